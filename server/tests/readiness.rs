//! `/readyz` follows Redis going away and coming back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::body_text;
use passerelle::{http, metrics, state};
use sqlx::PgPool;
use std::{
    process::{Child, Command, Stdio},
    sync::Arc,
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
async fn readyz_is_503_while_redis_is_down_and_200_once_back(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut redis = start_redis(port, dir.path());

    let url = format!("redis://127.0.0.1:{port}");
    let config = common::config_with(&[("REDIS_URL", &url)], dir.path());
    let redis_pool = state::connect_redis(&config).await.unwrap();
    let storage = state::open_storage(&config).unwrap();
    let router = http::router(state::AppState {
        leptos_options: state::leptos_options(&config),
        pool,
        redis: redis_pool,
        config: Arc::new(config),
        metrics: metrics::handle(),
        mailer: common::test_mailer(),
        storage,
        draining: Default::default(),
    });

    assert_eq!(readyz(&router).await.0, StatusCode::OK);

    redis.kill().unwrap();
    redis.wait().unwrap();
    let (status, body) = readyz(&router).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["redis"], "unavailable");
    assert_eq!(body["postgres"], "ok");
    assert_eq!(body["failed"], serde_json::json!(["redis"]));

    let mut redis = start_redis(port, dir.path());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, _) = readyz(&router).await;
        if status == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still not ready after Redis came back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    redis.kill().unwrap();
    let _ = redis.wait();
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn without_redis_public_pages_render_anonymously_and_account_pages_say_503(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut redis = start_redis(port, dir.path());
    let url = format!("redis://127.0.0.1:{port}");
    let config = common::config_with(&[("REDIS_URL", &url)], dir.path());
    let redis_pool = state::connect_redis(&config).await.unwrap();
    let storage = state::open_storage(&config).unwrap();
    let app = common::TestApp {
        router: http::router(state::AppState {
            leptos_options: state::leptos_options(&config),
            pool: pool.clone(),
            redis: redis_pool,
            config: Arc::new(config),
            metrics: metrics::handle(),
            mailer: common::test_mailer(),
            storage: storage.clone(),
            draining: Default::default(),
        }),
        pool: pool.clone(),
        site: tempfile::tempdir().unwrap(),
        storage,
    };
    let email = common::unique_email("sans-redis");
    app::identity::users::ssr::create_user(
        &pool,
        &email,
        "Rosalie Dis",
        common::PASSWORD,
        app::identity::users::Role::Candidate,
        true,
    )
    .await
    .unwrap();
    let mut visitor = common::Client::new(&app);
    assert_eq!(
        visitor.sign_in(&email, common::PASSWORD).await.status(),
        StatusCode::OK
    );
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
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        body_text(response)
            .await
            .contains("momentanément indisponible")
    );
    let response = visitor.post("/api/compte/sessions", &[]).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let mut newcomer = common::Client::new(&app);
    let response = newcomer.sign_in(&email, common::PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(body_text(response).await.contains("Unavailable"));

    // Redis back: signing in works again, by itself.
    let mut redis = start_redis(port, dir.path());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut client = common::Client::new(&app);
        if client.sign_in(&email, common::PASSWORD).await.status() == StatusCode::OK {
            assert!(
                body_text(client.get("/compte").await)
                    .await
                    .contains("Rosalie Dis")
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no sign-in 20 s after Redis came back"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    redis.kill().unwrap();
    let _ = redis.wait();
}
