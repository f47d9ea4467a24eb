//! Liveness and readiness probes.

use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use std::time::Duration;
use tower_sessions_redis_store::fred::prelude::ClientLike;

const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// `/healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `/readyz`: PostgreSQL and Redis both answer; else 503 naming which failed.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.draining.0.load(std::sync::atomic::Ordering::Relaxed) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "draining" })),
        );
    }
    let postgres =
        tokio::time::timeout(PROBE_TIMEOUT, sqlx::query("SELECT 1").execute(&state.pool));
    let redis = tokio::time::timeout(PROBE_TIMEOUT, state.redis.ping::<String>(None));
    let (postgres, redis) = tokio::join!(postgres, redis);
    let postgres_ok = matches!(postgres, Ok(Ok(_)));
    let redis_ok = matches!(redis, Ok(Ok(_)));

    let failed: Vec<&str> = [("postgres", postgres_ok), ("redis", redis_ok)]
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(name, _)| name)
        .collect();
    let status = if failed.is_empty() {
        StatusCode::OK
    } else {
        tracing::warn!(?failed, "not ready");
        StatusCode::SERVICE_UNAVAILABLE
    };
    let label = |ok: bool| if ok { "ok" } else { "unavailable" };
    (
        status,
        Json(serde_json::json!({
            "status": if failed.is_empty() { "ready" } else { "unavailable" },
            "postgres": label(postgres_ok),
            "redis": label(redis_ok),
            "failed": failed,
        })),
    )
}
