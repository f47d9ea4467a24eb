//! Calling `/api/v1` in tests: bearer tokens minted the way the server
//! signs them (its development key, derived from SESSION_KEY), JSON bodies,
//! and the RFC 9457 problems it answers.

use super::TestApp;
use axum::{
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use passerelle::api::tokens::{self, Keys};
use serde_json::Value;
use sqlx::PgPool;

/// The keys the test app signs and verifies with.
pub fn app_keys() -> Keys {
    let dir = tempfile::tempdir().unwrap();
    let config = super::config_with(&[], dir.path());
    Keys::new(&config.api_signing_keys, &config.base_url()).unwrap()
}

/// A registered app acting for users (`oauth_apps`), public (no secret),
/// allowed every scope: its id.
pub async fn test_oauth_app(pool: &PgPool, redirect_uri: &str) -> i64 {
    let scopes: Vec<String> = tokens::SCOPES
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    sqlx::query_scalar(
        "INSERT INTO oauth_apps (client_id, name, redirect_uris, scopes) VALUES ($1, 'Appli de test', $2, $3) RETURNING id",
    )
    .bind(hex_id(&app::base::tokens::new_token().0))
    .bind(vec![redirect_uri.to_owned()])
    .bind(scopes)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// `pa_` and 32 hexadecimal digits, whatever `seed` is.
fn hex_id(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(seed.as_bytes());
    format!(
        "pa_{}",
        digest[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// A user's access token with `scopes`, as if the user had consented to an
/// app: a token family (a `user_sessions` row of a test app) is opened for
/// it. Returns (token, family id).
pub async fn user_token(pool: &PgPool, user_id: i64, scopes: &[&str]) -> (String, i64) {
    let app_id = test_oauth_app(pool, "http://127.0.0.1:8765/retour").await;
    let owned: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
    let family: i64 = sqlx::query_scalar(
        "INSERT INTO user_sessions (user_id, token_hash, oauth_app_id, scopes, user_agent)
         VALUES ($1, $2, $3, $4, 'test') RETURNING id",
    )
    .bind(user_id)
    .bind(app::base::tokens::hash_token(
        &app::base::tokens::new_token().0,
    ))
    .bind(app_id)
    .bind(owned)
    .fetch_one(pool)
    .await
    .unwrap();
    let token = app_keys().issue_user(user_id, family, &scopes.join(" "), tokens::now());
    (token, family)
}

/// The id of the account `email`.
pub async fn user_id(pool: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Calls `method path` with `token` (if any) and a JSON `body` (if any):
/// the whole answer.
pub async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Response {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    app.send(request).await
}

/// The same, as the status and the JSON answer (`Value::Null` when empty).
pub async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    super::json(send(app, method, path, token, body).await).await
}

/// An answer that must have `status`: its JSON.
#[track_caller]
pub fn expect((status, body): (StatusCode, Value), expected: StatusCode) -> Value {
    assert_eq!(status, expected, "{body}");
    body
}
