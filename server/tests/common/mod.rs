//! Test harness: the real router over the test PostgreSQL (one database per
//! test, from `#[sqlx::test]`) and the test Redis started by `make test`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::{Router, body::Body, http::Request, response::Response};
use http_body_util::BodyExt;
use passerelle::{config::Config, http, metrics, state};
use sqlx::PgPool;
use std::{collections::HashMap, sync::Arc};
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
    /// Holds the fake site folder (`pkg/`, public files) alive.
    pub site: tempfile::TempDir,
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:63799".into())
}

/// A site folder like the one cargo-leptos builds, with small real files.
fn fake_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let css = ".btn-primary{display:inline-flex;align-items:center}\n".repeat(200);
    std::fs::write(pkg.join("passerelle.css"), css).unwrap();
    std::fs::write(
        pkg.join("passerelle.js"),
        "export default function init(){}\n".repeat(100),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    dir
}

pub fn config_with(extra: &[(&str, &str)], site_root: &std::path::Path) -> Config {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert(
        "DATABASE_URL".into(),
        "postgres://unused@127.0.0.1/unused".into(),
    );
    vars.insert("REDIS_URL".into(), redis_url());
    vars.insert("SITE_ROOT".into(), site_root.to_string_lossy().into_owned());
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    Config::from_vars(&vars).expect("test configuration")
}

pub async fn app_with(pool: PgPool, extra: &[(&str, &str)], hash_files: bool) -> TestApp {
    let site = fake_site();
    let config = config_with(extra, site.path());
    let redis = state::connect_redis(&config)
        .await
        .expect("test Redis (started by make test)");
    let mut leptos_options = state::leptos_options(&config);
    leptos_options.hash_files = hash_files;
    let app_state = state::AppState {
        leptos_options,
        pool: pool.clone(),
        redis,
        config: Arc::new(config),
        metrics: metrics::handle(),
    };
    TestApp {
        router: http::router(app_state),
        pool,
        site,
    }
}

pub async fn app(pool: PgPool) -> TestApp {
    app_with(pool, &[], false).await
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Response {
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }
}

pub async fn body_text(response: Response) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}
