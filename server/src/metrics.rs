//! Prometheus metrics: request counts and latency by route and status
//! (axum-prometheus), plus pool gauges refreshed at each scrape.

use crate::state::AppState;
use axum::{extract::State, http::header, response::IntoResponse};
use axum_prometheus::{
    AXUM_HTTP_REQUESTS_DURATION_SECONDS, GenericMetricLayer, Handle, PrometheusMetricLayerBuilder,
    utils::SECONDS_DURATION_BUCKETS,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
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

/// `/metrics`: Prometheus text format.
pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
    let size = f64::from(state.pool.size());
    let idle = state.pool.num_idle() as f64;
    metrics::gauge!("passerelle_db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("passerelle_db_pool_connections", "state" => "in_use").set(size - idle);
    metrics::gauge!("passerelle_db_pool_max_connections")
        .set(f64::from(state.config.database_pool_size));
    metrics::gauge!("passerelle_redis_pool_connections").set(state.redis.size() as f64);
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
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
