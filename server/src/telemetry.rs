//! Logging (readable in development, JSON lines in production) and, when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` is set, traces over OTLP/HTTP: one span per
//! request ([`request_span`]), per SQL statement ([`SqlSpans`]) and per
//! outgoing call (the app's `smtp.send` and `storage.*` spans). Every log
//! line written inside a request carries its trace id, which the answer
//! also gives in `X-Request-Id`.

use crate::config::{Config, LogFormat};
use axum::{extract::Request, http::HeaderValue, middleware::Next, response::Response};
use opentelemetry::{
    KeyValue,
    trace::{Span as _, TraceContextExt, TraceId, Tracer as _, TracerProvider as _},
};
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};
use std::time::{Duration, SystemTime};
use tracing::{Instrument, Subscriber};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::{
    EnvFilter, Layer, filter::Targets, fmt, layer::Context, prelude::*, registry::LookupSpan,
};

const REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");
const TRACEPARENT: &str = "traceparent";

/// Keeps the trace exporter; [`Telemetry::shutdown`] sends the last spans.
#[must_use]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(error) = provider.shutdown()
        {
            eprintln!("traces not all sent: {error}");
        }
    }
}

pub fn init(config: &Config) -> Telemetry {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn,fred=warn"));
    let logs = match config.log_format {
        LogFormat::Json => fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            // The request's span (its trace id) even under a nested one.
            .with_span_list(true)
            .boxed(),
        LogFormat::Pretty => fmt::layer().compact().boxed(),
    }
    .with_filter(filter);
    let (traces, provider) = match &config.otlp_endpoint {
        Some(endpoint) => match tracer_provider(endpoint, &config.otel_service_name) {
            Ok(provider) => {
                let tracer = provider.tracer("passerelle");
                // Spans (and events) of our own code, whatever RUST_LOG says…
                let ours = Targets::new()
                    .with_target("passerelle", tracing::Level::INFO)
                    .with_target("app", tracing::Level::INFO);
                let spans = tracing_opentelemetry::layer()
                    .with_tracer(tracer.clone())
                    .with_filter(ours);
                // …and one span per statement (sqlx reports each as an event
                // at debug level).
                let statements = SqlSpans { tracer }
                    .with_filter(Targets::new().with_target("sqlx::query", tracing::Level::DEBUG));
                (Some(spans.and_then(statements)), Some(provider))
            }
            Err(error) => {
                eprintln!("traces off: {error}");
                (None, None)
            }
        },
        None => (None, None),
    };
    // A second init (tests) is harmless: keep the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(logs)
        .with(traces)
        .try_init();
    Telemetry { provider }
}

fn tracer_provider(
    endpoint: &url::Url,
    service: &str,
) -> Result<SdkTracerProvider, opentelemetry_otlp::ExporterBuildError> {
    use opentelemetry_otlp::WithExportConfig;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(format!(
            "{}/v1/traces",
            endpoint.as_str().trim_end_matches('/')
        ))
        .with_timeout(Duration::from_secs(5))
        .build()?;
    opentelemetry::global::set_text_map_propagator(
        opentelemetry_sdk::propagation::TraceContextPropagator::new(),
    );
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name(service.to_owned())
                .build(),
        )
        .build())
}

/// Turns sqlx's event for each statement it ran into a span of its own,
/// child of the span it ran in, timed by the elapsed time sqlx measured.
struct SqlSpans {
    tracer: SdkTracer,
}

#[derive(Default)]
struct Statement {
    summary: String,
    text: String,
    elapsed: f64,
    rows: u64,
}

impl tracing::field::Visit for Statement {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        match field.name() {
            "summary" => value.clone_into(&mut self.summary),
            "db.statement" => value.trim().clone_into(&mut self.text),
            _ => {}
        }
    }
    fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
        if field.name() == "elapsed_secs" {
            self.elapsed = value;
        }
    }
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if matches!(field.name(), "rows_affected" | "rows_returned") {
            self.rows += value;
        }
    }
    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

impl<S> Layer<S> for SqlSpans
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut statement = Statement::default();
        event.record(&mut statement);
        let end = SystemTime::now();
        let start = end
            .checked_sub(Duration::from_secs_f64(statement.elapsed.max(0.0)))
            .unwrap_or(end);
        let text = if statement.text.is_empty() {
            statement.summary.clone()
        } else {
            statement.text
        };
        let parent = tracing::Span::current().context();
        // Statements outside a request or a task's span (the replica's
        // check every second, pool upkeep) would each be a trace of their own.
        if !parent.has_active_span() {
            return;
        }
        let mut span = self
            .tracer
            .span_builder(statement.summary)
            .with_kind(opentelemetry::trace::SpanKind::Client)
            .with_start_time(start)
            .with_attributes([
                KeyValue::new("db.system.name", "postgresql"),
                KeyValue::new("db.query.text", text),
                KeyValue::new("db.response.returned_rows", statement.rows as i64),
            ])
            .start_with_context(&self.tracer, &parent);
        span.end_with_timestamp(end);
    }
}

/// Leptos' executor, as its Tokio one, but each task it spawns (a page's
/// resources, a server function's) stays in the span it was spawned from,
/// so that their statements and logs belong to the request's trace.
struct TracedTokio;

impl any_spawner::CustomExecutor for TracedTokio {
    fn spawn(&self, task: any_spawner::PinnedFuture<()>) {
        tokio::spawn(task.instrument(tracing::Span::current()));
    }
    fn spawn_local(&self, task: any_spawner::PinnedLocalFuture<()>) {
        tokio::task::spawn_local(task.instrument(tracing::Span::current()));
    }
    fn poll_local(&self) {}
}

/// Installs [`TracedTokio`] before Leptos installs its own (the first one
/// set stays; later calls, as in tests, change nothing).
pub fn init_executor() {
    let _ = any_spawner::Executor::init_custom_executor(TracedTokio);
}

/// The request's span, its trace id in `X-Request-Id` (and in every log
/// line inside it). A valid W3C `traceparent` from the caller (a proxy
/// that traces) continues its trace; otherwise the trace starts here.
pub async fn request_span(mut request: Request, next: Next) -> Response {
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        trace_id = tracing::field::Empty,
        otel.name = %span_name(&request),
        otel.kind = "server",
        http.response.status_code = tracing::field::Empty,
    );
    let incoming = request
        .headers()
        .get(TRACEPARENT)
        .and_then(|value| value.to_str().ok())
        .and_then(parse_traceparent);
    if let Some(incoming) = &incoming {
        let context = opentelemetry::global::get_text_map_propagator(|propagator| {
            propagator.extract(&Traceparent(incoming.header.as_str()))
        });
        // Fails only when tracing is off: the trace id is then kept below.
        let _ = span.set_parent(context);
    }
    let exported = span.context().span().span_context().trace_id();
    let trace_id = if exported != TraceId::INVALID {
        exported
    } else {
        incoming.map_or_else(random_trace_id, |incoming| incoming.trace_id)
    };
    let id = format!("{trace_id}");
    span.record("trace_id", id.as_str());
    // The caller's own X-Request-Id is not believed: ours is the trace's.
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("-"));
    request.headers_mut().insert(REQUEST_ID, value.clone());
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    span.record("http.response.status_code", status.as_u16());
    if status.is_server_error() {
        span.in_scope(|| {
            tracing::error!(
                status = status.as_u16(),
                latency_ms = started.elapsed().as_millis() as u64,
                "request failed"
            );
        });
    }
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

/// The method and the path's first segment: a span name must not carry
/// ids or slugs (the whole path is the span's `path`).
fn span_name(request: &Request) -> String {
    let first = request.uri().path().split('/').nth(1).unwrap_or_default();
    format!("{} /{first}", request.method())
}

struct Incoming {
    header: String,
    trace_id: TraceId,
}

/// `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, ids not zero.
fn parse_traceparent(value: &str) -> Option<Incoming> {
    let mut parts = value.trim().split('-');
    let (version, trace, parent, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex = |s: &str, len: usize| {
        s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    if parts.next().is_some()
        || version != "00"
        || !hex(trace, 32)
        || !hex(parent, 16)
        || !hex(flags, 2)
        || trace.bytes().all(|b| b == b'0')
        || parent.bytes().all(|b| b == b'0')
    {
        return None;
    }
    Some(Incoming {
        header: value.trim().to_owned(),
        trace_id: TraceId::from_hex(trace).ok()?,
    })
}

fn random_trace_id() -> TraceId {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; 16];
    if SystemRandom::new().fill(&mut bytes).is_err() {
        // Never seen; a clock-based id still tells requests apart.
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(1, |since| since.as_nanos());
        bytes = nanos.to_be_bytes();
    }
    TraceId::from_bytes(bytes)
}

/// The caller's `traceparent`, for the propagator.
struct Traceparent<'a>(&'a str);

impl opentelemetry::propagation::Extractor for Traceparent<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        (key == TRACEPARENT).then_some(self.0)
    }
    fn keys(&self) -> Vec<&str> {
        vec![TRACEPARENT]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_traceparent_is_continued() {
        let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(
            parse_traceparent(good).map(|incoming| incoming.trace_id.to_string()),
            Some("4bf92f3577b34da6a3ce929d0e0e4736".to_owned())
        );
        for bad in [
            "",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n\"x\":1",
        ] {
            assert!(parse_traceparent(bad).is_none(), "{bad:?}");
        }
    }
}
