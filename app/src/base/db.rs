//! Server-only database access: the migrator and the pool taken from context.

use crate::base::error::AppError;
pub use sqlx::PgPool;

/// Every migration under `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The migrations as the long-running processes (`serve`, `worker`) apply
/// them: a database that a newer release already migrated is accepted, so
/// that the previous release can still start during a release or after a
/// rollback (migrations are backward compatible across one release: see
/// "Production" in the README). `passerelle migrate` stays strict.
pub fn tolerant_migrator() -> sqlx::migrate::Migrator {
    let mut migrator = sqlx::migrate!("../migrations");
    migrator.set_ignore_missing(true);
    migrator
}

/// The pool the server put in the Leptos context for this request.
pub fn pool() -> Result<PgPool, AppError> {
    leptos::prelude::use_context::<PgPool>().ok_or_else(|| {
        tracing::error!("no PgPool in the Leptos context");
        AppError::Internal
    })
}

/// The shape every server function shares: the request's pool, the body,
/// and its error turned into the answer's status and French message (once,
/// here, for the HTTP callers of `/api/`).
pub async fn with_pool<T, Fut>(body: impl FnOnce(PgPool) -> Fut) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let run = async { body(pool()?).await };
    run.await.map_err(AppError::into_response_error)
}

/// A streaming replica of the database (`DATABASE_READ_URL`), for what
/// visitors who are not signed in read: public pages, searches, the public
/// API. Anyone signed in reads the primary, so nobody reads their own write
/// from a replica that has not replayed it yet. Reads go back to the
/// primary while the replica does not answer (the server checks it).
#[derive(Clone)]
pub struct Replica {
    pool: PgPool,
    healthy: std::sync::Arc<std::sync::atomic::AtomicBool>,
    session_cookie: &'static str,
}

impl Replica {
    /// `session_cookie`: the name of the site's session cookie, whose
    /// presence sends a request's reads to the primary.
    pub fn new(pool: PgPool, session_cookie: &'static str) -> Self {
        Self {
            pool,
            healthy: Default::default(),
            session_cookie,
        }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub fn set_healthy(&self, healthy: bool) {
        use std::sync::atomic::Ordering;
        if self.healthy.swap(healthy, Ordering::Relaxed) != healthy {
            tracing::warn!(healthy, "read replica");
        }
    }

    /// The replica, when it answers; `None`: read the primary.
    pub fn usable(&self) -> Option<&PgPool> {
        self.healthy
            .load(std::sync::atomic::Ordering::Relaxed)
            .then_some(&self.pool)
    }

    /// Whether `headers` come from someone who may have just written: a
    /// session cookie (a visitor signed in, or signing in) or a token.
    pub fn writer(&self, headers: &http::HeaderMap) -> bool {
        headers.contains_key(http::header::AUTHORIZATION)
            || headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(';'))
                .any(|cookie| {
                    cookie
                        .trim_start()
                        .strip_prefix(self.session_cookie)
                        .is_some_and(|rest| rest.starts_with('='))
                })
    }
}

/// The pool for a public read in this request: the replica for a visitor
/// who is not signed in, else the primary (see [`Replica`]).
pub fn read_pool() -> Result<PgPool, AppError> {
    use leptos::prelude::use_context;
    if let Some(replica) = use_context::<Replica>()
        && let Some(parts) = use_context::<http::request::Parts>()
        && !replica.writer(&parts.headers)
        && let Some(pool) = replica.usable()
    {
        return Ok(pool.clone());
    }
    pool()
}

/// [`with_pool`] for public reads: the replica when [`read_pool`] says so.
pub async fn with_read_pool<T, Fut>(body: impl FnOnce(PgPool) -> Fut) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let run = async { body(read_pool()?).await };
    run.await.map_err(AppError::into_response_error)
}
