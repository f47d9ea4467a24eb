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

/// `/metrics`: Prometheus text format.
pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
    let size = f64::from(state.pool.size());
    let idle = state.pool.num_idle() as f64;
    metrics::gauge!("passerelle_db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("passerelle_db_pool_connections", "state" => "in_use").set(size - idle);
    metrics::gauge!("passerelle_db_pool_max_connections")
        .set(f64::from(state.config.database_pool_size));
    metrics::gauge!("passerelle_redis_pool_connections").set(state.redis.size() as f64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
