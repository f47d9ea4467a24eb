//! The API's authorisation matrix: every operation the OpenAPI document
//! lists, called by every kind of caller (anonymous, a client of each kind
//! of organisation, a user of each role through an app with every scope),
//! is let past its guard or refused as the site would: 401 without a
//! token, 403 for the wrong caller. Tokens carry every scope, so what
//! decides is who calls, never a missing scope (scopes have their own tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::http::StatusCode;
use common::{api, app, organisation_member};
use passerelle::api::tokens;
use serde_json::{Value, json};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    CompanyClient,
    CentreClient,
    User(Role),
}

/// What a guard answers a caller: let past (any status but 401 and 403:
/// the made-up ids and empty bodies then give 404, 400 or 422), or refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Past,
    Unauthorised,
    Forbidden,
}

/// The routes' families, by path, and who each lets past.
fn expected(path: &str, caller: Caller) -> Verdict {
    use Verdict::{Forbidden, Past, Unauthorised};
    let (company, centre, mine) = (
        path.starts_with("/api/v1/entreprise/"),
        path.starts_with("/api/v1/centre/"),
        path.starts_with("/api/v1/moi"),
    );
    match caller {
        _ if !(company || centre || mine) => Past,
        Caller::Anonymous => Unauthorised,
        // A client acts for its organisation, never as a person.
        Caller::CompanyClient | Caller::CentreClient if mine => Unauthorised,
        Caller::CompanyClient if company => Past,
        Caller::CentreClient if centre => Past,
        Caller::CompanyClient | Caller::CentreClient => Forbidden,
        Caller::User(Role::Recruiter) if company => Past,
        Caller::User(Role::CentreMember) if centre => Past,
        // The account itself is anyone's; the rest of /moi is a candidate's.
        Caller::User(Role::Recruiter | Role::CentreMember) if path == "/api/v1/moi" => Past,
        Caller::User(Role::Candidate) if mine => Past,
        Caller::User(_) => Forbidden,
    }
}

/// What a route is sent: a body of the right shape where the guard reads
/// it first (an empty one would be refused before any guard is asked).
enum Payload {
    Nothing,
    Json(Value),
    /// A small PDF CV, as `POST /moi/cv` takes it.
    Cv,
}

fn payload(method: &str, path: &str) -> Payload {
    match (method, path) {
        ("GET" | "DELETE", _) => Payload::Nothing,
        ("POST", "/api/v1/moi/cv") => Payload::Cv,
        ("POST", "/api/v1/moi/alertes") => {
            Payload::Json(json!({ "scope": "offers", "query": "q=soudeur", "frequency": "daily" }))
        }
        ("POST", "/api/v1/moi/candidatures") => {
            Payload::Json(json!({ "offre": 999_999, "message": "Bonjour" }))
        }
        ("POST", "/api/v1/moi/inscriptions") => Payload::Json(json!({ "session": 999_999 })),
        // The candidate's own fields (the account's are anyone's).
        ("PATCH", "/api/v1/moi/profil") => Payload::Json(json!({ "headline": "Soudeur TIG" })),
        _ => Payload::Json(json!({})),
    }
}

/// Sends `payload` to `method path` with `token`: the status and the JSON answer.
async fn send(
    app: &common::TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    payload: &Payload,
) -> (StatusCode, Value) {
    match payload {
        Payload::Nothing => api::call(app, method, path, token, None).await,
        Payload::Json(body) => api::call(app, method, path, token, Some(body.clone())).await,
        Payload::Cv => {
            let boundary = "matrice";
            let body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n%%EOF\n\r\n--{boundary}--\r\n"
            );
            let mut request = axum::http::Request::builder()
                .method(method)
                .uri(path)
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                );
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let request = request.body(axum::body::Body::from(body)).unwrap();
            common::json(app.send(request).await).await
        }
    }
}

/// `{id}` and its kin: an id of nothing, so that a guard let past ends in 404.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        out.push_str("999999");
        rest = rest[start..].split_once('}').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

/// An organisation's client holding every scope of its kind: its token.
async fn client_token(pool: &PgPool, organisation: i64, scopes: &[&str]) -> String {
    let client_id = format!("pc_{organisation:032x}");
    let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
    sqlx::query(
        "INSERT INTO api_clients (client_id, organisation_id, name, secret_hash, scopes)
         VALUES ($1, $2, 'Matrice', $3, $4)",
    )
    .bind(&client_id)
    .bind(organisation)
    .bind(vec![7u8; 32])
    .bind(&scopes)
    .execute(pool)
    .await
    .unwrap();
    api::app_keys().issue(&client_id, organisation, &scopes.join(" "), tokens::now())
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_api_route_lets_past_whom_the_site_would_and_refuses_the_others(pool: PgPool) {
    let app = app(pool.clone()).await;
    let every_scope: Vec<&str> = tokens::SCOPES.iter().map(|(name, _)| *name).collect();
    let (company, _) =
        common::organisation(&pool, "entreprise", "approved", "Atelier Matrice", "Rémi").await;
    let (centre, _) =
        common::organisation(&pool, "centre", "approved", "Centre Matrice", "Cécile").await;
    let mut callers: Vec<(Caller, Option<String>)> = vec![
        (Caller::Anonymous, None),
        (
            Caller::CompanyClient,
            Some(client_token(&pool, company, &tokens::ORGANISATION_SCOPES[..3]).await),
        ),
        (
            Caller::CentreClient,
            Some(client_token(&pool, centre, &tokens::ORGANISATION_SCOPES[3..]).await),
        ),
    ];
    for role in Role::ALL {
        // Members of the organisation of their kind: the permission decides.
        let user = match role {
            Role::Recruiter => organisation_member(&pool, company, role, "Membre").await.0,
            Role::CentreMember => organisation_member(&pool, centre, role, "Membre").await.0,
            _ => common::account(&pool, role, "Personne", true).await.0,
        };
        let (token, _) = api::user_token(&pool, user, &every_scope).await;
        callers.push((Caller::User(role), Some(token)));
    }
    assert_eq!(
        tokens::ORGANISATION_SCOPES[..3],
        [
            tokens::OFFERS_READ,
            tokens::OFFERS_WRITE,
            tokens::RECRUITING
        ]
    );

    let doc = api::expect(
        api::call(&app, "GET", "/api/v1/openapi.json", None, None).await,
        StatusCode::OK,
    );
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        // The token endpoints authenticate the client in their form, not
        // by a bearer token: their refusals have their own tests.
        if path.starts_with("/api/v1/oauth/") {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                operations.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(operations.len() >= 50, "{} operations", operations.len());
    for family in ["/api/v1/entreprise/", "/api/v1/centre/", "/api/v1/moi"] {
        assert!(operations.iter().any(|(_, path)| path.starts_with(family)));
    }

    let mut wrong = Vec::new();
    for (method, path) in &operations {
        let payload = payload(method, path);
        for (caller, token) in &callers {
            let (status, answer) =
                send(&app, method, &concrete(path), token.as_deref(), &payload).await;
            let verdict = match status {
                StatusCode::UNAUTHORIZED => Verdict::Unauthorised,
                StatusCode::FORBIDDEN => Verdict::Forbidden,
                _ => Verdict::Past,
            };
            assert!(
                status.as_u16() < 500,
                "{method} {path} as {caller:?}: {status} {answer}"
            );
            if verdict != expected(path, *caller) {
                wrong.push(format!(
                    "{method} {path} as {caller:?}: {status} {}",
                    answer.get("detail").unwrap_or(&Value::Null)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
