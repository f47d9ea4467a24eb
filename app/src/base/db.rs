//! Server-only database access: the migrator and the pool taken from context.

use crate::base::error::AppError;
pub use sqlx::PgPool;

/// Every migration under `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

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
