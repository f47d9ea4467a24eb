//! Liveness and readiness probes.

use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use std::time::Duration;
use tower_sessions_redis_store::fred::prelude::ClientLike;

/// Under a load balancer's check timeout (HAProxy, Kubernetes: 1 s).
const PROBE_TIMEOUT: Duration = Duration::from_millis(800);

/// `/healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `/readyz`: 503 while draining (after SIGTERM) or without PostgreSQL,
/// which every page needs. Without Redis it stays 200, "degraded": public
/// pages still render (only signing in waits), and a Redis that every
/// replica shares would otherwise take every replica out of the load
/// balancer at once, the public site with them. It answers within
/// [`PROBE_TIMEOUT`] either way.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.draining.0.load(std::sync::atomic::Ordering::Relaxed) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "draining" })),
        );
    }
    let postgres =
        tokio::time::timeout(PROBE_TIMEOUT, sqlx::query("SELECT 1").execute(&state.pool));
    let redis = async {
        // Not connected: no need to wait for a reconnection to say so.
        if !state
            .redis
            .clients()
            .iter()
            .any(|client| client.is_connected())
        {
            return false;
        }
        matches!(
            tokio::time::timeout(PROBE_TIMEOUT, state.redis.ping::<String>(None)).await,
            Ok(Ok(_))
        )
    };
    let (postgres, redis_ok) = tokio::join!(postgres, redis);
    let postgres_ok = matches!(postgres, Ok(Ok(_)));
    // A replica that does not answer is no reason to stop serving either:
    // reads go to the primary meanwhile (see `serve::check_replica`).
    let replica = state.replica.as_ref().map(|replica| {
        if replica.usable().is_some() {
            "ok"
        } else {
            "unavailable"
        }
    });

    let failed: Vec<&str> = [("postgres", postgres_ok), ("redis", redis_ok)]
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(name, _)| name)
        .collect();
    let (status, label) = match (postgres_ok, redis_ok) {
        (true, true) => (StatusCode::OK, "ready"),
        (true, false) => (StatusCode::OK, "degraded"),
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    };
    if !failed.is_empty() {
        tracing::warn!(?failed, "not fully ready");
    }
    let state_of = |ok: bool| if ok { "ok" } else { "unavailable" };
    (
        status,
        Json(serde_json::json!({
            "status": label,
            "postgres": state_of(postgres_ok),
            "redis": state_of(redis_ok),
            "replica": replica,
            "failed": failed,
        })),
    )
}
