//! `/readyz` follows Redis going away and coming back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::http::StatusCode;
use common::body_text;
use sqlx::PgPool;
use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};
use tower::ServiceExt;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// A Redis of this test's own, so stopping it disturbs no other test.
fn start_redis(port: u16, dir: &std::path::Path) -> Child {
    let child = Command::new("redis-server")
        .args([
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .current_dir(dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server on PATH");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "redis did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Tries `attempt` every `pause` until it succeeds; fails with `what` once
/// `within` has passed.
async fn eventually<Attempt, Done>(within: Duration, pause: Duration, what: &str, attempt: Attempt)
where
    Attempt: Fn() -> Done,
    Done: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while !attempt().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(pause).await;
    }
}

/// The test app over the Redis listening on `port`.
async fn app_on_redis(pool: PgPool, port: u16) -> common::TestApp {
    let url = format!("redis://127.0.0.1:{port}");
    common::app_with(pool, &[("REDIS_URL", &url)], false).await
}

async fn readyz(router: &axum::Router) -> (StatusCode, serde_json::Value) {
    let request = axum::http::Request::get("/readyz")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    (
        status,
        serde_json::from_str(&body_text(response).await).unwrap(),
    )
}

#[sqlx::test(migrator = "MIGRATOR")]
/// Without Redis a replica still serves the public pages: it stays in the
/// load balancer (200, "degraded"), and says so at once, within a check's
/// timeout. Every replica shares Redis: a 503 would take them all out.
async fn readyz_says_degraded_at_once_while_redis_is_down_and_ready_once_back(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut redis = start_redis(port, dir.path());

    let app = app_on_redis(pool, port).await;
    let router = &app.router;

    assert_eq!(readyz(router).await.0, StatusCode::OK);

    redis.kill().unwrap();
    redis.wait().unwrap();
    let started = Instant::now();
    let (status, body) = readyz(router).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["redis"], "unavailable");
    assert_eq!(body["postgres"], "ok");
    assert_eq!(body["failed"], serde_json::json!(["redis"]));

    let mut redis = start_redis(port, dir.path());
    eventually(
        Duration::from_secs(15),
        Duration::from_millis(200),
        "still degraded after Redis came back",
        || async { readyz(router).await.1["status"] == "ready" },
    )
    .await;
    redis.kill().unwrap();
    let _ = redis.wait();
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn without_redis_public_pages_render_anonymously_and_account_pages_say_503(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut redis = start_redis(port, dir.path());
    let app = app_on_redis(pool.clone(), port).await;
    let (_, email) = common::account(&pool, Role::Candidate, "Rosalie Dis", true).await;
    let mut visitor = common::Client::signed_in_as(&app, &email).await;
    assert!(
        body_text(visitor.get("/").await)
            .await
            .contains("Rosalie Dis")
    );

    redis.kill().unwrap();
    redis.wait().unwrap();

    // Public pages: as an anonymous visitor, after one short try.
    for path in ["/", "/offres", "/blog"] {
        let started = Instant::now();
        let response = visitor.get(path).await;
        let elapsed = started.elapsed();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = body_text(response).await;
        assert!(!html.contains("Rosalie Dis"), "{path} as anonymous");
        println!("{path} with Redis down: {elapsed:?}");
    }
    // Pages and actions that need the sign-in: a French 503.
    let response = visitor.get("/compte").await;
    common::assert_says(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        "momentanément indisponible",
    )
    .await;
    let response = visitor.post("/api/compte/sessions", &[]).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let mut newcomer = common::Client::new(&app);
    let response = newcomer.sign_in(&email, common::PASSWORD).await;
    common::assert_says(response, StatusCode::SERVICE_UNAVAILABLE, "Unavailable").await;

    // Redis back: signing in works again, by itself.
    let mut redis = start_redis(port, dir.path());
    let (app, email) = (&app, &email);
    eventually(
        Duration::from_secs(20),
        Duration::from_millis(250),
        "no sign-in 20 s after Redis came back",
        || async move {
            let mut client = common::Client::new(app);
            if client.sign_in(email, common::PASSWORD).await.status() != StatusCode::OK {
                return false;
            }
            assert!(
                body_text(client.get("/compte").await)
                    .await
                    .contains("Rosalie Dis")
            );
            true
        },
    )
    .await;
    redis.kill().unwrap();
    let _ = redis.wait();
}
