//! OpenTelemetry traces: `passerelle serve` with `OTEL_EXPORTER_OTLP_ENDPOINT`
//! sends its spans over OTLP/HTTP to a receiver here, which decodes them
//! with the OTLP protocol's own types. One span per request, named by its
//! trace id in `X-Request-Id`; one per SQL statement and per outgoing call
//! (SMTP, S3) inside that request's trace.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use opentelemetry_proto::tonic::{
    collector::trace::v1::{ExportTraceServiceRequest, ExportTraceServiceResponse},
    common::v1::any_value::Value,
    trace::v1::Span,
};
use prost::Message;
use sqlx::PgPool;
use std::{
    io::{Read, Write},
    net::TcpStream,
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;
const BIN: &str = env!("CARGO_BIN_EXE_passerelle");

/// An OTLP/HTTP receiver on a free port: every span it is sent.
fn receiver() -> (String, Arc<Mutex<Vec<Span>>>) {
    let spans = Arc::new(Mutex::new(Vec::new()));
    let kept = spans.clone();
    let router = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(move |body: axum::body::Bytes| {
            let kept = kept.clone();
            async move {
                let request = ExportTraceServiceRequest::decode(body).expect("an OTLP export");
                let mut kept = kept.lock().unwrap();
                for resource in request.resource_spans {
                    for scope in resource.scope_spans {
                        kept.extend(scope.spans);
                    }
                }
                (
                    [("content-type", "application/x-protobuf")],
                    ExportTraceServiceResponse::default().encode_to_vec(),
                )
            }
        }),
    );
    // On a runtime of its own: the test blocks its thread on the server.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router).await
        })
    });
    (format!("http://{addr}"), spans)
}

fn free_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

/// One HTTP/1.1 exchange; the answer's head and body as text.
fn exchange(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
}

fn request_id(reply: &str) -> String {
    reply
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .unwrap_or_else(|| panic!("no x-request-id in {reply}"))
        .trim()
        .to_owned()
}

fn text(span: &Span, key: &str) -> Option<String> {
    span.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
            Value::StringValue(value) => Some(value.clone()),
            _ => None,
        })
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn requests_statements_and_outgoing_calls_are_traced(pool: PgPool) {
    let (endpoint, spans) = receiver();
    let base = std::env::var("DATABASE_URL").unwrap();
    let db = pool.connect_options().get_database().unwrap().to_owned();
    let url = format!("{}/{db}", base.rsplit_once('/').unwrap().0);
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:63799".into());
    let smtp = std::env::var("SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2525".into());
    let s3 = std::env::var("S3_TEST_ENDPOINT")
        .expect("S3_TEST_ENDPOINT is not set: run `make test`, which starts the S3 test server");
    let bucket = std::env::var("S3_TEST_BUCKET").unwrap_or_else(|_| "passerelle-test".into());
    let addr = free_addr();
    let origin = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(BIN)
        .arg("serve")
        .env_clear()
        .envs([
            ("DATABASE_URL", url.as_str()),
            ("REDIS_URL", redis.as_str()),
            ("SMTP_URL", smtp.as_str()),
            ("LISTEN_ADDR", addr.as_str()),
            ("PUBLIC_BASE_URL", origin.as_str()),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
            ("OTEL_SERVICE_NAME", "passerelle-test"),
            ("WORKER_INTERVAL_SECS", "0"),
            ("STORAGE_BACKEND", "s3"),
            ("S3_ENDPOINT", s3.as_str()),
            ("S3_BUCKET", bucket.as_str()),
            ("S3_ACCESS_KEY_ID", "test"),
            ("S3_SECRET_ACCESS_KEY", "test"),
            ("RUST_LOG", "warn"),
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(&addr).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }

    // A page (its statements run in Leptos' tasks), an e-mail, a file.
    let close = "Host: localhost\r\nConnection: close\r\n";
    // A caller's W3C traceparent continues its trace.
    let caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let page = exchange(
        &addr,
        &format!(
            "GET /offres HTTP/1.1\r\n{close}traceparent: 00-{caller_trace}-00f067aa0ba902b7-01\r\n\r\n"
        ),
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let address = common::unique_email("trace.lettre");
    let body = format!("email={}", address.replace('@', "%40"));
    let signup = exchange(
        &addr,
        &format!(
            "POST /api/newsletter HTTP/1.1\r\n{close}Origin: {origin}\r\nSec-Fetch-Site: same-origin\r\n\
             Referer: {origin}/\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(signup.starts_with("HTTP/1.1 200"), "{signup}");
    // Sent after the answer: wait for it to arrive before stopping.
    common::newest_mail_to(&address).await;
    let file = exchange(
        &addr,
        &format!("GET /medias/images/0123456789abcdef-400.webp HTTP/1.1\r\n{close}\r\n"),
    );
    assert!(file.starts_with("HTTP/1.1 404"), "{file}");

    // SIGTERM: the last spans are sent before the process exits.
    assert!(
        Command::new("kill")
            .args(["-TERM", &server.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = server.wait().unwrap();
    assert!(status.success(), "{status:?}");

    let spans = spans.lock().unwrap().clone();
    let trace = |id: &str| -> Vec<&Span> {
        spans
            .iter()
            .filter(|span| hex(&span.trace_id) == id)
            .collect()
    };
    let named = |trace: &[&Span], name: &str| trace.iter().any(|span| span.name == name);

    assert_eq!(request_id(&page), caller_trace);
    let page = trace(caller_trace);
    let request = page
        .iter()
        .find(|span| span.name == "GET /offres")
        .unwrap_or_else(|| panic!("{page:#?}"));
    assert_eq!(hex(&request.parent_span_id), "00f067aa0ba902b7");
    let statements: Vec<_> = page
        .iter()
        .filter(|span| text(span, "db.system.name").as_deref() == Some("postgresql"))
        .collect();
    assert!(
        !statements.is_empty(),
        "no statement in the page's trace: {page:#?}"
    );
    assert!(
        statements
            .iter()
            .any(|span| text(span, "db.query.text").is_some_and(|sql| sql.contains("job_search"))),
        "{statements:#?}"
    );
    for statement in &statements {
        assert!(!statement.parent_span_id.is_empty(), "{statement:#?}");
        assert!(statement.end_time_unix_nano >= statement.start_time_unix_nano);
    }

    // The e-mail goes after the answer: a trace of its own, linked to the
    // request's, so that the request's span ends with its answer.
    let signup_id = request_id(&signup);
    let signup = trace(&signup_id);
    assert!(named(&signup, "POST /api"), "{signup:#?}");
    assert!(!named(&signup, "smtp.send"), "{signup:#?}");
    let after = spans
        .iter()
        .find(|span| {
            span.name == "newsletter confirmation"
                && span
                    .links
                    .iter()
                    .any(|link| hex(&link.trace_id) == signup_id)
        })
        .unwrap_or_else(|| panic!("no linked span for the e-mail: {spans:#?}"));
    let mail = trace(&hex(&after.trace_id));
    assert!(named(&mail, "smtp.send"), "{mail:#?}");
    assert!(
        signup.iter().any(|span| text(span, "db.query.text")
            .is_some_and(|sql| sql.contains("newsletter_subscribers"))),
        "{signup:#?}"
    );

    let file = trace(&request_id(&file));
    let read = file
        .iter()
        .find(|span| span.name == "storage.get")
        .unwrap_or_else(|| panic!("{file:#?}"));
    assert_eq!(text(read, "backend").as_deref(), Some("s3"));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
