//! Prometheus metrics: request counts and latency by route and status
//! (axum-prometheus), plus pool gauges refreshed at each scrape.

use crate::state::AppState;
use axum::{extract::State, http::header, response::IntoResponse};
use axum_prometheus::{
    AXUM_HTTP_REQUESTS_DURATION_SECONDS, GenericMetricLayer, Handle, PrometheusMetricLayerBuilder,
    utils::SECONDS_DURATION_BUCKETS,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use std::sync::OnceLock;

/// The process-wide recorder (a process can install only one).
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new();
            let builder = builder
                .set_buckets_for_metric(
                    Matcher::Full(AXUM_HTTP_REQUESTS_DURATION_SECONDS.to_string()),
                    SECONDS_DURATION_BUCKETS,
                )
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Already installed (several routers in one test process): reuse it.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// The request-metrics layer. Unmatched paths share one label so that
/// random 404s cannot blow up the number of series.
pub fn layer(handle: PrometheusHandle) -> GenericMetricLayer<'static, PrometheusHandle, Handle> {
    let (layer, _) = PrometheusMetricLayerBuilder::new()
        .with_endpoint_label_type(axum_prometheus::EndpointLabel::MatchedPathWithFallbackFn(
            |_| "unmatched".to_owned(),
        ))
        .with_ignore_patterns(&["/metrics", "/healthz"])
        .with_metrics_from_fn(move || handle)
        .build_pair();
    layer
}

/// `/metrics` on the public address: only for the bearer of `METRICS_TOKEN`
/// (compared in constant time); without a token configured it does not
/// exist there. The page names routes and pool sizes: nothing for visitors.
pub async fn render_with_token(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use subtle::ConstantTimeEq;
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        render(State(state)).await.into_response()
    } else {
        (
            axum::http::StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response()
    }
}

/// The router of `METRICS_LISTEN_ADDR`: `/metrics` alone, no token (the
/// address belongs to the private network).
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(render))
        .with_state(state)
}

/// The router of `passerelle worker`'s `METRICS_LISTEN_ADDR`: the job
/// queue and the worker's own counters.
pub fn worker_router(pool: PgPool) -> axum::Router {
    let handle = handle();
    axum::Router::new()
        // Liveness: the process answers (the metrics need the database).
        .route("/healthz", axum::routing::get(crate::health::healthz))
        .route(
            "/metrics",
            axum::routing::get(move || {
                let (pool, handle) = (pool.clone(), handle.clone());
                async move {
                    pool_gauges("primary", &pool);
                    queue_gauges(&pool).await;
                    text(handle.render())
                }
            }),
        )
}

/// What a tick of the worker did (`None`: it failed), counted.
pub fn count_tick(report: Option<&app::worker::TickReport>) {
    let result = if report.is_some() { "ok" } else { "error" };
    metrics::counter!("passerelle_worker_ticks_total", "result" => result).increment(1);
    if let Some(report) = report {
        metrics::counter!("passerelle_worker_jobs_total", "result" => "done")
            .increment(report.jobs_done);
        metrics::counter!("passerelle_worker_jobs_total", "result" => "failed")
            .increment(report.jobs_failed);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |since| since.as_secs_f64());
        metrics::gauge!("passerelle_worker_last_tick_timestamp_seconds").set(now);
    }
}

fn pool_gauges(name: &'static str, pool: &PgPool) {
    let size = f64::from(pool.size());
    let idle = pool.num_idle() as f64;
    metrics::gauge!("passerelle_db_pool_connections", "pool" => name, "state" => "idle").set(idle);
    metrics::gauge!("passerelle_db_pool_connections", "pool" => name, "state" => "in_use")
        .set(size - idle);
    metrics::gauge!("passerelle_db_pool_max_connections", "pool" => name)
        .set(f64::from(pool.options().get_max_connections()));
}

/// The job queue, read at each scrape (every replica reports the same
/// figures: alert on their max, not their sum).
async fn queue_gauges(pool: &PgPool) {
    match app::worker::queue_state(pool).await {
        Ok(queue) => {
            metrics::gauge!("passerelle_worker_jobs_pending").set(queue.pending as f64);
            metrics::gauge!("passerelle_worker_jobs_oldest_pending_seconds")
                .set(queue.oldest_pending_seconds);
            metrics::gauge!("passerelle_worker_jobs_given_up").set(queue.given_up as f64);
        }
        Err(error) => tracing::warn!(%error, "job queue not measured"),
    }
}

fn text(body: String) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
}

/// `/metrics`: Prometheus text format.
pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
    pool_gauges("primary", &state.pool);
    if let Some(replica) = &state.replica {
        pool_gauges("read", replica.pool());
    }
    queue_gauges(&state.pool).await;
    metrics::gauge!("passerelle_redis_pool_connections").set(state.redis.size() as f64);
    use tower_sessions_redis_store::fred::prelude::ClientLike;
    let connected = state
        .redis
        .clients()
        .iter()
        .filter(|client| client.is_connected())
        .count();
    metrics::gauge!("passerelle_redis_pool_connected").set(connected as f64);
    // Steady under load, or something is left running (see renders.rs).
    metrics::gauge!("passerelle_tokio_alive_tasks").set(
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks() as f64,
    );
    // How often the caches answer (see page_cache.rs and app::ui::search::cache).
    for (cache, (hits, misses)) in [
        ("pages", state.pages.hits_and_misses()),
        ("searches", state.searches.hits_and_misses()),
        ("hit_sets", state.searches.hit_sets_found_and_read()),
    ] {
        metrics::counter!("passerelle_cache_requests_total", "cache" => cache, "result" => "hit")
            .absolute(hits);
        metrics::counter!("passerelle_cache_requests_total", "cache" => cache, "result" => "miss")
            .absolute(misses);
    }
    // Searches another replica (or this one, before its own layer dropped
    // them) computed, read from Redis.
    metrics::counter!("passerelle_cache_requests_total", "cache" => "searches", "result" => "shared")
        .absolute(state.searches.shared_hits());
    text(state.metrics.render())
}
