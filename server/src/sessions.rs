//! The session layer over Redis, and what happens when Redis is away.
//!
//! tower-sessions loads a session lazily and tries again at every access
//! while the store fails, and fred queues commands until Redis answers (2 s
//! each): a page with a session cookie used to wait seconds, then fail. Here
//! session commands fail fast (`SESSION_STORE_TIMEOUT_MS`, 250 ms by
//! default, at once while disconnected)
//! and a breaker stops asking for a few seconds after a failure, so a request
//! waits at most once, briefly. The app then treats the visitor as
//! anonymous on public pages and answers 503 where a sign-in is needed.

use crate::config::Config;
use async_trait::async_trait;
use std::{
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::time::Instant;
use tower_sessions::{
    Expiry, SessionManagerLayer, SessionStore,
    cookie::{Key, SameSite},
    service::PrivateCookie,
    session::{Id, Record},
    session_store,
};
use tower_sessions_redis_store::{
    RedisStore,
    fred::{
        clients::{Pool, WithOptions},
        interfaces::ClientLike,
        types::config::Options,
    },
};

/// After a failure, how long the store is not asked at all.
const COOL_DOWN: Duration = Duration::from_secs(3);

/// The session cookie's name: `__Host-` in production, which browsers accept
/// only from a secure origin, for the whole site and no other host.
pub fn cookie_name(production: bool) -> &'static str {
    if production {
        "__Host-passerelle_session"
    } else {
        "passerelle_session"
    }
}

pub type Store = Guarded<RedisStore<WithOptions<Pool>>>;

pub fn layer(config: &Config, redis: &Pool) -> SessionManagerLayer<Store, PrivateCookie> {
    let client = redis.with_options(&Options {
        fail_fast: true,
        timeout: Some(config.session_store_timeout),
        max_attempts: Some(1),
        ..Default::default()
    });
    let store = Guarded::new(
        RedisStore::new(client),
        config.session_store_timeout,
        COOL_DOWN,
    );
    let idle =
        time::Duration::try_from(config.session_idle_timeout).unwrap_or(time::Duration::hours(2));
    SessionManagerLayer::new(store)
        .with_name(cookie_name(config.is_production()))
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.is_production())
        .with_expiry(Expiry::OnInactivity(idle))
        .with_private(Key::derive_from(&config.session_key))
}

/// A session store behind a breaker: after a failure (or a command slower
/// than `timeout`), every call fails at once for `cool_down`.
#[derive(Clone, Debug)]
pub struct Guarded<S> {
    inner: S,
    timeout: Duration,
    cool_down: Duration,
    open_until: Arc<Mutex<Option<Instant>>>,
}

impl<S> Guarded<S> {
    pub fn new(inner: S, timeout: Duration, cool_down: Duration) -> Self {
        Self {
            inner,
            timeout,
            cool_down,
            open_until: Arc::new(Mutex::new(None)),
        }
    }

    fn is_open(&self) -> bool {
        self.open_until
            .lock()
            .map(|until| until.is_some_and(|until| Instant::now() < until))
            .unwrap_or(false)
    }

    fn trip(&self) {
        if let Ok(mut until) = self.open_until.lock() {
            *until = Some(Instant::now() + self.cool_down);
        }
    }

    async fn call<T>(
        &self,
        command: impl std::future::Future<Output = session_store::Result<T>>,
    ) -> session_store::Result<T> {
        if self.is_open() {
            return Err(unavailable());
        }
        match tokio::time::timeout(self.timeout, command).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => {
                tracing::warn!(%error, "session store failed: answering without it for a while");
                self.trip();
                Err(error)
            }
            Err(_) => {
                tracing::warn!("session store too slow: answering without it for a while");
                self.trip();
                Err(unavailable())
            }
        }
    }
}

/// tower-sessions answers a bare 500 (no header, no body) when it cannot
/// save a session after the handler ran: that is Redis being away, so the
/// visitor gets the app's French 503 instead.
pub async fn save_failure_is_unavailable(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::{
        body::HttpBody,
        http::{StatusCode, header},
        response::IntoResponse,
    };
    let wants_html = crate::input::wants_html(request.headers());
    let response = next.run(request).await;
    let bare_500 = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && response.headers().is_empty()
        && response.body().size_hint().exact() == Some(0);
    if !bare_500 {
        return response;
    }
    let error = app::base::error::AppError::Unavailable;
    if wants_html {
        let page = format!(
            "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Service indisponible · Passerelle</title></head><body><main>\
             <h1>Service momentanément indisponible</h1><p>{error}</p>\
             <p><a href=\"/\">Revenir à l'accueil</a></p></main></body></html>"
        );
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(error)).into_response()
    }
}

fn unavailable() -> session_store::Error {
    session_store::Error::Backend("session store unavailable".to_owned())
}

#[async_trait]
impl<S: SessionStore + Clone> SessionStore for Guarded<S> {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.call(self.inner.create(record)).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.call(self.inner.save(record)).await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.call(self.inner.load(id)).await
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.call(self.inner.delete(id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A store that always fails, counting the calls that reach it.
    #[derive(Clone, Debug, Default)]
    struct Broken(Arc<AtomicUsize>);

    #[async_trait]
    impl SessionStore for Broken {
        async fn save(&self, _: &Record) -> session_store::Result<()> {
            self.0.fetch_add(1, Ordering::Relaxed);
            Err(session_store::Error::Backend("down".into()))
        }
        async fn load(&self, _: &Id) -> session_store::Result<Option<Record>> {
            self.0.fetch_add(1, Ordering::Relaxed);
            Err(session_store::Error::Backend("down".into()))
        }
        async fn delete(&self, _: &Id) -> session_store::Result<()> {
            self.0.fetch_add(1, Ordering::Relaxed);
            Err(session_store::Error::Backend("down".into()))
        }
    }

    #[tokio::test]
    async fn a_failure_keeps_the_store_out_of_the_way_for_a_while() {
        let broken = Broken::default();
        let cool_down = Duration::from_millis(50);
        let store = Guarded::new(broken.clone(), Duration::from_millis(250), cool_down);
        for _ in 0..5 {
            assert!(store.load(&Id::default()).await.is_err());
        }
        assert_eq!(broken.0.load(Ordering::Relaxed), 1, "asked once");
        tokio::time::sleep(cool_down * 2).await;
        assert!(store.load(&Id::default()).await.is_err());
        assert_eq!(
            broken.0.load(Ordering::Relaxed),
            2,
            "asked again after the cool-down"
        );
    }
}
