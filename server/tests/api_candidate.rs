//! The candidate's side of `/api/v1` (`/moi/…`) over HTTP, with a user's
//! token: the profile and its CV, applications, enrolment requests, saved
//! offers and trainings, alerts. Each route changes the database as the
//! site's own form does (and the site's pages show it), refuses what the
//! site refuses with its messages, and refuses anyone but a user's token
//! holding the route's scope.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::{
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use common::api::{expect, send};
use common::{Client, TestApp, app, header, json, last_mail_to, live_offer};
use serde_json::{Value, json};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// A small real-looking PDF, different for every `seed`.
fn pdf(seed: u8) -> Vec<u8> {
    format!("%PDF-1.7\n% CV de test {seed}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

/// The same, as (status, JSON answer).
async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    common::api::call(app, method, path, Some(token), body).await
}

/// A problem of `status` naming `field`, whose message says `says`.
#[track_caller]
fn assert_field(
    (status, body): (StatusCode, Value),
    expected: StatusCode,
    field: &str,
    says: &str,
) {
    assert_eq!(status, expected, "{field}: {body}");
    assert_eq!(body["errors"][0]["field"], field, "{body}");
    assert!(
        body["errors"][0]["detail"].as_str().unwrap().contains(says),
        "{body}"
    );
}

/// POSTs `bytes` as the CV (`name`) in the part `fichier` of a multipart body.
async fn upload(app: &TestApp, token: &str, name: &str, bytes: &[u8]) -> Response {
    let boundary = "----passerelle-api-test";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.send(
        Request::post("/api/v1/moi/cv")
            .header("authorization", format!("Bearer {token}"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("content-length", body.len())
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// A verified candidate signed in on the site and a token of theirs with
/// `scopes`: (site client, e-mail, user id, token).
async fn candidate<'a>(
    app: &'a TestApp,
    name: &str,
    scopes: &[&str],
) -> (Client<'a>, String, i64, String) {
    let (client, email, id) = common::signed_in_account(app, Role::Candidate, name).await;
    let (token, _) = common::api::user_token(&app.pool, id, scopes).await;
    (client, email, id, token)
}

/// A token of a new account with `role` (verified or not), holding `scopes`.
async fn token_of(pool: &PgPool, role: Role, verified: bool, scopes: &[&str]) -> (i64, String) {
    let (id, _) = common::account(pool, role, "Compte Témoin", verified).await;
    (id, common::api::user_token(pool, id, scopes).await.0)
}

/// The display name of user `id`.
async fn display_name(pool: &PgPool, id: i64) -> String {
    common::column(pool, "users", "display_name", id).await
}

/// A new approved company whose owner gets the mails: (id, owner's e-mail).
async fn company(pool: &PgPool, name: &str) -> (i64, String) {
    common::organisation(pool, "entreprise", "approved", name, "Rose Recruteuse").await
}

/// A published training of a new approved centre: rolling entry, or with
/// a session starting in `session_in_days` (negative: already started).
/// Returns (training id, session id).
async fn training(pool: &PgPool, title: &str, session_in_days: Option<i32>) -> (i64, Option<i64>) {
    let (centre, _) =
        common::organisation(pool, "centre", "approved", "Centre Rhône", "Claire Centre").await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO trainings (centre_id, title, summary, modality, duration_hours, price_cents,
                                status, published_at, rolling_entry)
         VALUES ($1, $2, 'Une formation pour apprendre un métier.', 'distanciel', 35, 120000,
                 'published', now(), $3)
         RETURNING id",
    )
    .bind(centre)
    .bind(title)
    .bind(session_in_days.is_none())
    .fetch_one(pool)
    .await
    .unwrap();
    let session = match session_in_days {
        Some(days) => Some(
            sqlx::query_scalar(
                "INSERT INTO training_sessions (training_id, starts_on, ends_on, seats)
                 VALUES ($1, current_date + $2, current_date + $2 + 30, 12) RETURNING id",
            )
            .bind(id)
            .bind(days)
            .fetch_one(pool)
            .await
            .unwrap(),
        ),
        None => None,
    };
    sqlx::query("SELECT refresh_training_search($1)")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    (id, session)
}

/// A client of a new approved company with every scope it may hold: its token.
async fn organisation_client_token(app: &TestApp) -> String {
    let (mut owner, _, _) = common::organisation_owner(
        app,
        "entreprise",
        "approved",
        "Atelier Client",
        "Odile Owner",
    )
    .await;
    let mut form = vec![("kind", "entreprise"), ("name", "Notre logiciel")];
    form.extend(
        ["offres:lecture", "offres:ecriture", "recrutement"].map(|scope| ("scopes[]", scope)),
    );
    let created = owner
        .call_ok("/api/organisation/clients-api/creer", &form)
        .await;
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "client_credentials"),
            ("client_id", created["client_id"].as_str().unwrap()),
            ("client_secret", created["secret"].as_str().unwrap()),
        ])
        .finish();
    let response = app
        .send(
            Request::post("/api/v1/oauth/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    let token = expect(json(response).await, StatusCode::OK);
    token["access_token"].as_str().unwrap().to_owned()
}

/// Every route of `/moi`: method, path, scope, and a body it accepts.
fn routes() -> Vec<(&'static str, &'static str, &'static str, Option<Value>)> {
    let none = None;
    vec![
        ("GET", "/api/v1/moi", "profil", none.clone()),
        (
            "PATCH",
            "/api/v1/moi/profil",
            "profil",
            Some(json!({"display_name": "Nouveau Nom"})),
        ),
        ("GET", "/api/v1/moi/cv", "profil", none.clone()),
        ("POST", "/api/v1/moi/cv", "profil", none.clone()),
        ("GET", "/api/v1/moi/cv/1", "profil", none.clone()),
        ("DELETE", "/api/v1/moi/cv/1", "profil", none.clone()),
        (
            "GET",
            "/api/v1/moi/candidatures",
            "candidatures",
            none.clone(),
        ),
        (
            "POST",
            "/api/v1/moi/candidatures",
            "candidatures",
            Some(json!({"offre": 1, "message": "Bonjour"})),
        ),
        (
            "GET",
            "/api/v1/moi/candidatures/1",
            "candidatures",
            none.clone(),
        ),
        (
            "POST",
            "/api/v1/moi/candidatures/1/retrait",
            "candidatures",
            none.clone(),
        ),
        (
            "GET",
            "/api/v1/moi/inscriptions",
            "candidatures",
            none.clone(),
        ),
        (
            "POST",
            "/api/v1/moi/inscriptions",
            "candidatures",
            Some(json!({"session": 1})),
        ),
        (
            "GET",
            "/api/v1/moi/inscriptions/1",
            "candidatures",
            none.clone(),
        ),
        (
            "POST",
            "/api/v1/moi/inscriptions/1/retrait",
            "candidatures",
            none.clone(),
        ),
        ("GET", "/api/v1/moi/favoris", "favoris", none.clone()),
        (
            "PUT",
            "/api/v1/moi/favoris/offres/1",
            "favoris",
            none.clone(),
        ),
        (
            "DELETE",
            "/api/v1/moi/favoris/offres/1",
            "favoris",
            none.clone(),
        ),
        (
            "PUT",
            "/api/v1/moi/favoris/formations/1",
            "favoris",
            none.clone(),
        ),
        (
            "DELETE",
            "/api/v1/moi/favoris/formations/1",
            "favoris",
            none.clone(),
        ),
        ("GET", "/api/v1/moi/alertes", "alertes", none.clone()),
        (
            "POST",
            "/api/v1/moi/alertes",
            "alertes",
            Some(json!({"scope": "offers", "frequency": "daily"})),
        ),
        ("GET", "/api/v1/moi/alertes/1", "alertes", none.clone()),
        ("DELETE", "/api/v1/moi/alertes/1", "alertes", none),
    ]
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_a_users_token_with_the_routes_scope_gets_in(pool: PgPool) {
    let app = app(pool.clone()).await;
    let client = organisation_client_token(&app).await;
    let (_, wrong_scope) = token_of(&pool, Role::Candidate, true, &["offres:lecture"]).await;
    let (candidate, every_scope) = token_of(
        &pool,
        Role::Candidate,
        true,
        &["profil", "candidatures", "favoris", "alertes"],
    )
    .await;
    let name_before = display_name(&pool, candidate).await;
    for (method, path, scope, body) in routes() {
        // Nobody, or an organisation's client: who is the user?
        for token in [None, Some(client.as_str())] {
            let response = send(&app, method, path, token, body.clone()).await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path}"
            );
            assert_eq!(
                header(&response, "www-authenticate"),
                "Bearer realm=\"passerelle-api\"",
                "{method} {path}"
            );
            assert_eq!(
                header(&response, "content-type"),
                "application/problem+json"
            );
            assert_eq!(header(&response, "cache-control"), "private, no-store");
        }
        // A user's token without the scope.
        let response = send(&app, method, path, Some(&wrong_scope), body.clone()).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
        let challenge = header(&response, "www-authenticate");
        assert!(
            challenge.contains("error=\"insufficient_scope\"")
                && challenge.contains(&format!("scope=\"{scope}\"")),
            "{method} {path}: {challenge}"
        );
        let (_, problem) = json(response).await;
        assert_eq!(problem["status"], 403);
        // With it, every read answers, privately.
        if method == "GET" && !path.ends_with("/1") {
            let response = send(&app, method, path, Some(&every_scope), None).await;
            assert_eq!(response.status(), StatusCode::OK, "{method} {path}");
            assert_eq!(header(&response, "cache-control"), "private, no-store");
            assert!(
                response
                    .headers()
                    .get_all("vary")
                    .iter()
                    .any(|v| v.to_str().unwrap().contains("Authorization")),
                "{path}"
            );
            assert!(!header(&response, "etag").is_empty());
        }
    }
    // A route answers its own methods only; a read held already is a 304.
    let response = send(&app, "GET", "/api/v1/moi/profil", Some(&every_scope), None).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(header(&response, "allow"), "PATCH");
    let response = send(&app, "GET", "/api/v1/moi", Some(&every_scope), None).await;
    let etag = header(&response, "etag").to_owned();
    let response = app
        .send(
            Request::get("/api/v1/moi")
                .header("authorization", format!("Bearer {every_scope}"))
                .header("if-none-match", etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    // None of the refused writes changed anything.
    assert_eq!(display_name(&pool, candidate).await, name_before);
    assert_eq!(common::rows_in(&pool, "saved_searches").await, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_revoked_token_family_ends_at_its_next_call(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (user, token) = token_of(&pool, Role::Candidate, true, &["profil"]).await;
    let me = expect(
        call(&app, "GET", "/api/v1/moi", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(me["id"], user);
    sqlx::query("UPDATE user_sessions SET revoked_at = now() WHERE user_id = $1")
        .bind(user)
        .execute(&pool)
        .await
        .unwrap();
    let response = send(&app, "GET", "/api/v1/moi", Some(&token), None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(header(&response, "www-authenticate").contains("invalid_token"));
    let response = send(
        &app,
        "PATCH",
        "/api/v1/moi/profil",
        Some(&token),
        Some(json!({"display_name": "Après Révocation"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_ne!(display_name(&pool, user).await, "Après Révocation");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_profile_is_read_and_edited_with_the_sites_rules(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut site, email, id, token) = candidate(&app, "Inès Dubois", &["profil"]).await;
    let skills: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM skills ORDER BY id LIMIT 2")
            .fetch_all(&pool)
            .await
            .unwrap();
    let me = expect(
        call(&app, "GET", "/api/v1/moi", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(me["id"], id);
    assert_eq!(me["email"], email.as_str());
    assert_eq!(me["role"], "candidate");
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["candidate"]["headline"], "");
    assert_eq!(me["candidate"]["cv"], Value::Null);

    let me = expect(
        call(
            &app,
            "PATCH",
            "/api/v1/moi/profil",
            &token,
            Some(json!({
                "display_name": "  Inès Martin ",
                "contact_by_email": true,
                "headline": "Soudeuse TIG, 5 ans d'expérience",
                "skills": [skills[0].0, skills[1].0],
            })),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(me["display_name"], "Inès Martin");
    assert_eq!(me["contact_by_email"], true);
    assert_eq!(
        me["candidate"]["headline"],
        "Soudeuse TIG, 5 ans d'expérience"
    );
    assert_eq!(me["candidate"]["skills"][1]["name"], skills[1].1.as_str());
    assert_eq!(
        common::user_column::<String>(&pool, &email, "display_name").await,
        "Inès Martin"
    );
    assert!(common::user_column::<bool>(&pool, &email, "contact_by_email").await);
    // The site's profile page reads the same.
    let profile = site.call_ok("/api/candidat/profil", &[]).await;
    assert_eq!(
        profile["input"]["headline"],
        "Soudeuse TIG, 5 ans d'expérience"
    );
    assert_eq!(profile["input"]["skills"].as_array().unwrap().len(), 2);

    // A partial change leaves the rest alone.
    let me = expect(
        call(
            &app,
            "PATCH",
            "/api/v1/moi/profil",
            &token,
            Some(json!({"experience": "Dix ans en chaudronnerie."})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        me["candidate"]["headline"],
        "Soudeuse TIG, 5 ans d'expérience"
    );
    assert_eq!(me["candidate"]["experience"], "Dix ans en chaudronnerie.");
    assert_eq!(me["candidate"]["skills"].as_array().unwrap().len(), 2);

    // The site's messages; a refused field writes nothing, the name included.
    assert_field(
        call(
            &app,
            "PATCH",
            "/api/v1/moi/profil",
            &token,
            Some(json!({"display_name": "Autre Nom", "headline": "x".repeat(161)})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "headline",
        "160",
    );
    assert_eq!(
        common::user_column::<String>(&pool, &email, "display_name").await,
        "Inès Martin"
    );
    assert_field(
        call(
            &app,
            "PATCH",
            "/api/v1/moi/profil",
            &token,
            Some(json!({"display_name": "I", "headline": "Ne doit pas rester"})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "display_name",
        "2 caractères",
    );
    let headline: String =
        sqlx::query_scalar("SELECT headline FROM candidate_profiles WHERE user_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(headline, "Soudeuse TIG, 5 ans d'expérience");
    assert_field(
        call(
            &app,
            "PATCH",
            "/api/v1/moi/profil",
            &token,
            Some(json!({"skills": [-5]})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "skills",
        "",
    );
    // Bodies read strictly.
    for (body, status) in [
        (json!({"nom": "Inconnu"}), StatusCode::BAD_REQUEST),
        (json!({"headline": 12}), StatusCode::BAD_REQUEST),
        (json!(["pas un objet"]), StatusCode::BAD_REQUEST),
        // PostgreSQL refuses NUL: refused before, as the site does.
        (json!({"headline": "a\u{0}b"}), StatusCode::BAD_REQUEST),
    ] {
        let (got, problem) = call(&app, "PATCH", "/api/v1/moi/profil", &token, Some(body)).await;
        assert_eq!(got, status, "{problem}");
        assert_eq!(problem["status"], status.as_u16());
    }
    let response = app
        .send(
            Request::patch("/api/v1/moi/profil")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from("{\"headline\": "))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = app
        .send(
            Request::patch("/api/v1/moi/profil")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "text/plain")
                .body(Body::from("headline=x"))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // A recruiter has an account but no candidate profile.
    let (_, recruiter) = token_of(&pool, Role::Recruiter, true, &["profil"]).await;
    let me = expect(
        call(&app, "GET", "/api/v1/moi", &recruiter, None).await,
        StatusCode::OK,
    );
    assert_eq!(me["role"], "recruiter");
    assert_eq!(me["candidate"], Value::Null);
    let (status, problem) = call(
        &app,
        "PATCH",
        "/api/v1/moi/profil",
        &recruiter,
        Some(json!({"headline": "Recruteur"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    // An unconfirmed address: the name, yes; the profile, not yet.
    let (unverified_id, unverified) = token_of(&pool, Role::Candidate, false, &["profil"]).await;
    let (status, problem) = call(
        &app,
        "PATCH",
        "/api/v1/moi/profil",
        &unverified,
        Some(json!({"headline": "Pas encore"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        problem["detail"].as_str().unwrap().contains("Confirmez"),
        "{problem}"
    );
    expect(
        call(
            &app,
            "PATCH",
            "/api/v1/moi/profil",
            &unverified,
            Some(json!({"display_name": "Nom Changé"})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(display_name(&pool, unverified_id).await, "Nom Changé");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_cv_is_uploaded_listed_and_removed_as_on_the_profile_page(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut site, _, id, token) = candidate(&app, "Inès Dubois", &["profil"]).await;
    let list = expect(
        call(&app, "GET", "/api/v1/moi/cv", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(list["items"], json!([]));

    let response = upload(&app, &token, "cv-ines.pdf", &pdf(1)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = header(&response, "location").to_owned();
    let (_, cv) = json(response).await;
    let first = cv["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/moi/cv/{first}"));
    assert_eq!(cv["name"], "cv-ines.pdf");
    assert_eq!(
        cv["uploaded_on"].as_str().unwrap().len(),
        10,
        "an ISO date: {cv}"
    );
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT cv_media_id FROM candidate_profiles WHERE user_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, Some(first));
    let profile = site.call_ok("/api/candidat/profil", &[]).await;
    assert_eq!(profile["cv"]["id"], first);
    let listed = expect(
        call(&app, "GET", "/api/v1/moi/cv", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(listed["items"][0]["id"], first);
    let one = expect(
        call(&app, "GET", &location, &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(one["name"], "cv-ines.pdf");

    // A second upload replaces the first, which goes (no application has it).
    let response = upload(&app, &token, "cv-2.pdf", &pdf(2)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let (_, second) = json(response).await;
    let second = second["id"].as_i64().unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM media WHERE id = $1")
        .bind(first)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    expect(
        call(
            &app,
            "GET",
            &format!("/api/v1/moi/cv/{first}"),
            &token,
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );

    // The site's checks and messages.
    assert_field(
        json(upload(&app, &token, "cv.pdf", b"ceci n'est pas un PDF").await).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "fichier",
        "PDF",
    );
    let big = app
        .send(
            Request::post("/api/v1/moi/cv")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "multipart/form-data; boundary=x")
                .header("content-length", 20 * 1024 * 1024)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = call(
        &app,
        "POST",
        "/api/v1/moi/cv",
        &token,
        Some(json!({"fichier": "cv.pdf"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (_, unverified) = token_of(&pool, Role::Candidate, false, &["profil"]).await;
    let response = upload(&app, &unverified, "cv.pdf", &pdf(3)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Another candidate's CV is nothing to this one.
    let (_, _, _, other) = candidate(&app, "Autre Candidate", &["profil"]).await;
    expect(
        call(
            &app,
            "GET",
            &format!("/api/v1/moi/cv/{second}"),
            &other,
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    expect(
        call(
            &app,
            "DELETE",
            &format!("/api/v1/moi/cv/{second}"),
            &other,
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    expect(
        call(&app, "DELETE", "/api/v1/moi/cv/abc", &token, None).await,
        StatusCode::NOT_FOUND,
    );
    // Removed: off the profile and out of storage.
    let (status, _) = call(
        &app,
        "DELETE",
        &format!("/api/v1/moi/cv/{second}"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let profile = site.call_ok("/api/candidat/profil", &[]).await;
    assert_eq!(profile["cv"], Value::Null);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM media WHERE owner_id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    expect(
        call(
            &app,
            "DELETE",
            &format!("/api/v1/moi/cv/{second}"),
            &token,
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn applications_are_sent_followed_and_withdrawn_as_on_the_site(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (company, recruiter_email) = company(&pool, "Atelier Lumière").await;
    let (offer, slug) = live_offer(&pool, company, "Soudeur TIG", "platform").await;
    let (elsewhere, _) = live_offer(&pool, company, "Chaudronnier", "url").await;
    let (mut site, email, user, token) =
        candidate(&app, "Inès Dubois", &["candidatures", "profil"]).await;
    let apply = |offre: i64, message: &str| json!({"offre": offre, "message": message});

    // No CV on the profile yet: the site's message, on `cv`.
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/candidatures",
            &token,
            Some(apply(offer, "Bonjour")),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "cv",
        "Joignez votre CV",
    );
    let (_, cv) = json(upload(&app, &token, "cv.pdf", &pdf(1)).await).await;
    let cv = cv["id"].as_i64().unwrap();
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/candidatures",
            &token,
            Some(apply(offer, "  ")),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "message",
        "Écrivez quelques mots",
    );
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/candidatures",
            &token,
            Some(json!({"offre": offer, "cv": cv + 1000, "message": "Bonjour"})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "cv",
        "pas celui de votre profil",
    );
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/candidatures",
            &token,
            Some(apply(elsewhere, "Bonjour")),
        )
        .await,
        StatusCode::CONFLICT,
        "offre",
        "n'accepte plus de candidatures",
    );
    expect(
        call(
            &app,
            "POST",
            "/api/v1/moi/candidatures",
            &token,
            Some(apply(offer + 1000, "Bonjour")),
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    let (status, problem) = call(
        &app,
        "POST",
        "/api/v1/moi/candidatures",
        &token,
        Some(json!({"offre": offer, "message": "Bonjour", "lettre": "?"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(common::rows_in(&pool, "applications").await, 0);

    // Sent: with the profile's CV, the company and the candidate told.
    let response = send(
        &app,
        "POST",
        "/api/v1/moi/candidatures",
        Some(&token),
        Some(json!({"offre": offer, "cv": cv, "message": "Disponible dès lundi."})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = header(&response, "location").to_owned();
    let (_, sent) = json(response).await;
    let id = sent["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/moi/candidatures/{id}"));
    assert_eq!(sent["status"], "new");
    assert_eq!(sent["withdrawable"], true);
    assert_eq!(sent["offer"]["id"], offer);
    assert_eq!(sent["offer"]["slug"], slug.as_str());
    assert_eq!(sent["offer"]["company"], "Atelier Lumière");
    let (candidate_id, cv_sent, message): (i64, Option<i64>, String) =
        sqlx::query_as("SELECT candidate_id, cv_media_id, message FROM applications WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((candidate_id, cv_sent), (user, Some(cv)));
    assert_eq!(message, "Disponible dès lundi.");
    let (subject, _) = last_mail_to(&recruiter_email).await;
    assert!(subject.contains("Soudeur TIG"), "{subject}");
    let (subject, _) = last_mail_to(&email).await;
    assert!(subject.contains("Soudeur TIG"), "{subject}");
    // The site's dashboard lists it too.
    let mine = site
        .call_ok("/api/candidatures/mes-candidatures", &[])
        .await;
    assert_eq!(mine["applications"][0]["id"], id);

    // Twice: a conflict, with the site's message.
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/candidatures",
            &token,
            Some(apply(offer, "Encore")),
        )
        .await,
        StatusCode::CONFLICT,
        "offre",
        "déjà postulé",
    );

    // Followed: the company writes, the thread's times are UTC.
    sqlx::query(
        "INSERT INTO application_messages (application_id, author_id, from_company, body, created_at)
         SELECT $1, m.user_id, true, 'Pouvez-vous venir mardi ?', '2026-12-05 13:30:00+00'
         FROM memberships m WHERE m.organisation_id = $2",
    )
    .bind(id)
    .bind(company)
    .execute(&pool)
    .await
    .unwrap();
    let list = expect(
        call(&app, "GET", "/api/v1/moi/candidatures", &token, None).await,
        StatusCode::OK,
    );
    let item = &list["items"][0];
    assert_eq!(item["id"], id);
    let applied_on = item["applied_on"].as_str().unwrap();
    assert!(
        chrono::NaiveDate::parse_from_str(applied_on, "%Y-%m-%d").is_ok(),
        "{applied_on}"
    );
    assert_eq!(item["messages"][0]["at"], "2026-12-05T13:30:00Z");
    assert_eq!(item["messages"][0]["from_organisation"], true);
    let one = expect(
        call(&app, "GET", &location, &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(one["messages"][0]["body"], "Pouvez-vous venir mardi ?");

    // Someone else's application does not exist for this candidate.
    let (_, _, _, other) = candidate(&app, "Autre Candidate", &["candidatures"]).await;
    expect(
        call(&app, "GET", &location, &other, None).await,
        StatusCode::NOT_FOUND,
    );
    expect(
        call(&app, "POST", &format!("{location}/retrait"), &other, None).await,
        StatusCode::NOT_FOUND,
    );
    let status: String = common::column(&pool, "applications", "status", id).await;
    assert_eq!(status, "new");

    // Withdrawn: final, the company told; twice is a conflict.
    let withdrawn = expect(
        call(&app, "POST", &format!("{location}/retrait"), &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["withdrawable"], false);
    let status: String = common::column(&pool, "applications", "status", id).await;
    assert_eq!(status, "withdrawn");
    let (subject, _) = last_mail_to(&recruiter_email).await;
    assert!(
        subject.contains("Retirée") || subject.contains("retir"),
        "{subject}"
    );
    assert_field(
        call(&app, "POST", &format!("{location}/retrait"), &token, None).await,
        StatusCode::CONFLICT,
        "id",
        "ne peut plus être retirée",
    );
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/candidatures",
            &token,
            Some(apply(offer, "Encore")),
        )
        .await,
        StatusCode::CONFLICT,
        "offre",
        "retirée",
    );

    // A recruiter's token: the site does not let recruiters apply.
    let (_, recruiter) = token_of(&pool, Role::Recruiter, true, &["candidatures"]).await;
    expect(
        call(
            &app,
            "POST",
            "/api/v1/moi/candidatures",
            &recruiter,
            Some(apply(offer, "Bonjour")),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    expect(
        call(&app, "GET", "/api/v1/moi/candidatures", &recruiter, None).await,
        StatusCode::FORBIDDEN,
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn enrolment_requests_are_sent_and_withdrawn_as_on_the_site(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (training_id, session) = training(&pool, "Aide-soignant", Some(20)).await;
    let session = session.unwrap();
    let (_, past) = training(&pool, "Cariste", Some(-3)).await;
    let (rolling, _) = training(&pool, "Anglais professionnel", None).await;
    let (mut site, email, user, token) = candidate(&app, "Inès Dubois", &["candidatures"]).await;

    let response = send(
        &app,
        "POST",
        "/api/v1/moi/inscriptions",
        Some(&token),
        Some(json!({"session": session, "message": "Disponible en septembre."})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = header(&response, "location").to_owned();
    let (_, sent) = json(response).await;
    let id = sent["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/moi/inscriptions/{id}"));
    assert_eq!(sent["status"], "new");
    assert_eq!(sent["training"]["id"], training_id);
    assert_eq!(sent["session"]["id"], session);
    let starts_on: chrono::NaiveDate =
        sqlx::query_scalar("SELECT starts_on FROM training_sessions WHERE id = $1")
            .bind(session)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(sent["session"]["starts_on"], starts_on.to_string());
    assert!(
        chrono::NaiveDate::parse_from_str(sent["created_on"].as_str().unwrap(), "%Y-%m-%d").is_ok()
    );
    assert!(
        chrono::DateTime::parse_from_rfc3339(sent["updated_at"].as_str().unwrap()).is_ok(),
        "{sent}"
    );
    let (candidate_id, message): (i64, String) =
        sqlx::query_as("SELECT candidate_id, message FROM enrolment_requests WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (candidate_id, message.as_str()),
        (user, "Disponible en septembre.")
    );
    let (subject, _) = last_mail_to(&email).await;
    assert!(subject.contains("Aide-soignant"), "{subject}");
    let mine = site.call_ok("/api/inscriptions/mes-demandes", &[]).await;
    assert_eq!(mine["requests"][0]["id"], id);

    // The site's refusals.
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"session": session})),
        )
        .await,
        StatusCode::CONFLICT,
        "session",
        "déjà une demande",
    );
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"session": past.unwrap()})),
        )
        .await,
        StatusCode::CONFLICT,
        "session",
        "plus ouverte",
    );
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"formation": training_id})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "session",
        "Choisissez une session",
    );
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "session",
        "Choisissez une session",
    );
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"session": session, "message": "x".repeat(2001)})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "message",
        "2 000",
    );
    expect(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"session": session + 1000})),
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    expect(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"session": "un"})),
        )
        .await,
        StatusCode::BAD_REQUEST,
    );

    // Rolling entry: the training alone, once.
    let rolling_sent = expect(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"formation": rolling})),
        )
        .await,
        StatusCode::CREATED,
    );
    assert_eq!(rolling_sent["session"], Value::Null);
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"formation": rolling})),
        )
        .await,
        StatusCode::CONFLICT,
        "session",
        "déjà une demande",
    );
    assert_eq!(common::rows_in(&pool, "enrolment_requests").await, 2);
    let list = expect(
        call(&app, "GET", "/api/v1/moi/inscriptions", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(list["items"].as_array().unwrap().len(), 2);

    // Someone else's request does not exist for this candidate.
    let (_, _, _, other) = candidate(&app, "Autre Candidate", &["candidatures"]).await;
    expect(
        call(&app, "GET", &location, &other, None).await,
        StatusCode::NOT_FOUND,
    );
    expect(
        call(&app, "POST", &format!("{location}/retrait"), &other, None).await,
        StatusCode::NOT_FOUND,
    );
    // Withdrawn; a second time, as on the site, there is no live request.
    let withdrawn = expect(
        call(&app, "POST", &format!("{location}/retrait"), &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(withdrawn["status"], "withdrawn");
    let status: String = common::column(&pool, "enrolment_requests", "status", id).await;
    assert_eq!(status, "withdrawn");
    expect(
        call(&app, "POST", &format!("{location}/retrait"), &token, None).await,
        StatusCode::NOT_FOUND,
    );
    // A new request for the same session is possible again.
    expect(
        call(
            &app,
            "POST",
            "/api/v1/moi/inscriptions",
            &token,
            Some(json!({"session": session})),
        )
        .await,
        StatusCode::CREATED,
    );

    // An unconfirmed address is asked to confirm it first.
    let (_, unverified) = token_of(&pool, Role::Candidate, false, &["candidatures"]).await;
    let (status, problem) = call(
        &app,
        "POST",
        "/api/v1/moi/inscriptions",
        &unverified,
        Some(json!({"session": session})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        problem["detail"].as_str().unwrap().contains("Confirmez"),
        "{problem}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn offers_and_trainings_are_saved_and_unsaved(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (company, _) = company(&pool, "Atelier Lumière").await;
    let (offer, slug) = live_offer(&pool, company, "Soudeur TIG", "platform").await;
    let (training_id, _) = training(&pool, "Aide-soignant", Some(20)).await;
    let (mut site, _, user, token) = candidate(&app, "Inès Dubois", &["favoris"]).await;
    let saved_offers = |pool: PgPool| async move {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM saved_offers WHERE user_id = $1")
            .bind(user)
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    for _ in 0..2 {
        let (status, _) = call(
            &app,
            "PUT",
            &format!("/api/v1/moi/favoris/offres/{offer}"),
            &token,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = call(
            &app,
            "PUT",
            &format!("/api/v1/moi/favoris/formations/{training_id}"),
            &token,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    assert_eq!(saved_offers(pool.clone()).await, 1);
    let saved = expect(
        call(&app, "GET", "/api/v1/moi/favoris", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(saved["offers"][0]["id"], offer);
    assert_eq!(saved["offers"][0]["slug"], slug.as_str());
    assert_eq!(saved["offers"][0]["live"], true);
    assert_eq!(saved["trainings"][0]["id"], training_id);
    assert!(
        saved["trainings"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/formations/aide-soignant")
    );
    // The site's dashboard shows the same.
    let mine = site
        .call_ok("/api/candidatures/mes-candidatures", &[])
        .await;
    assert_eq!(mine["saved"][0]["offer_id"], offer);
    let mine = site.call_ok("/api/inscriptions/mes-demandes", &[]).await;
    assert_eq!(mine["saved"][0]["id"], training_id);

    // What is not public cannot be saved.
    expect(
        call(
            &app,
            "PUT",
            &format!("/api/v1/moi/favoris/offres/{}", offer + 1000),
            &token,
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    expect(
        call(
            &app,
            "PUT",
            &format!("/api/v1/moi/favoris/formations/{}", training_id + 1000),
            &token,
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    // Un-saved, twice alike.
    for _ in 0..2 {
        let (status, _) = call(
            &app,
            "DELETE",
            &format!("/api/v1/moi/favoris/offres/{offer}"),
            &token,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = call(
            &app,
            "DELETE",
            &format!("/api/v1/moi/favoris/formations/{training_id}"),
            &token,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    assert_eq!(saved_offers(pool.clone()).await, 0);
    assert_eq!(common::rows_in(&pool, "saved_trainings").await, 0);
    let saved = expect(
        call(&app, "GET", "/api/v1/moi/favoris", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(saved, json!({"offers": [], "trainings": []}));
    // A recruiter does not save, as on the site.
    let (_, recruiter) = token_of(&pool, Role::Recruiter, true, &["favoris"]).await;
    expect(
        call(
            &app,
            "PUT",
            &format!("/api/v1/moi/favoris/offres/{offer}"),
            &recruiter,
            None,
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    assert_eq!(common::rows_in(&pool, "saved_offers").await, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn alerts_are_created_with_the_sites_rules_and_strict_searches(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, _, user, token) = candidate(&app, "Inès Dubois", &["alertes"]).await;
    let alert =
        |scope: &str, query: &str| json!({"scope": scope, "query": query, "frequency": "weekly"});

    let response = send(
        &app,
        "POST",
        "/api/v1/moi/alertes",
        Some(&token),
        Some(alert("offers", "q=soudeur&contrat=cdi")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = header(&response, "location").to_owned();
    let (_, created) = json(response).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/moi/alertes/{id}"));
    assert_eq!(created["scope"], "offers");
    assert_eq!(created["frequency"], "weekly");
    // The site's summary names it.
    assert!(
        created["label"].as_str().unwrap().contains("soudeur"),
        "{created}"
    );
    assert!(
        created["url"]
            .as_str()
            .unwrap()
            .ends_with("/offres?q=soudeur&contrat=cdi")
    );
    let (owner, query, frequency, scope): (i64, String, String, String) =
        sqlx::query_as("SELECT user_id, query, frequency, scope FROM saved_searches WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (owner, query.as_str(), frequency.as_str(), scope.as_str()),
        (user, "q=soudeur&contrat=cdi", "weekly", "offers")
    );
    let trainings = expect(
        call(
            &app,
            "POST",
            "/api/v1/moi/alertes",
            &token,
            Some(json!({"scope": "trainings", "query": "modalite=distanciel", "label": "À distance", "frequency": "daily"})),
        )
        .await,
        StatusCode::CREATED,
    );
    assert_eq!(trainings["label"], "À distance");
    let list = expect(
        call(&app, "GET", "/api/v1/moi/alertes", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(list["items"][0]["scope"], "trainings");
    expect(
        call(&app, "GET", &location, &token, None).await,
        StatusCode::OK,
    );

    // The search is read as strictly as the API's searches.
    for (scope, query, says) in [
        ("offers", "couleur=bleu", "couleur"),
        ("offers", "contrat=cdx", "contrat"),
        ("offers", "modalite=distanciel", "modalite"),
        ("trainings", "cursor=abc", "cursor"),
    ] {
        assert_field(
            call(
                &app,
                "POST",
                "/api/v1/moi/alertes",
                &token,
                Some(alert(scope, query)),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "query",
            says,
        );
    }
    for body in [
        json!({"scope": "offers", "frequency": "none"}),
        json!({"scope": "annonces", "frequency": "daily"}),
        json!({"scope": "offers", "frequency": "daily", "couleur": "bleu"}),
    ] {
        expect(
            call(&app, "POST", "/api/v1/moi/alertes", &token, Some(body)).await,
            StatusCode::BAD_REQUEST,
        );
    }
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/alertes",
            &token,
            Some(json!({"scope": "offers", "label": "x".repeat(201), "frequency": "daily"})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "label",
        "200 caractères",
    );
    // Twenty at most, as on the site.
    for n in 0..18 {
        expect(
            call(
                &app,
                "POST",
                "/api/v1/moi/alertes",
                &token,
                Some(alert("offers", &format!("q=metier{n}"))),
            )
            .await,
            StatusCode::CREATED,
        );
    }
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/moi/alertes",
            &token,
            Some(alert("offers", "q=encore")),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "label",
        "20 alertes",
    );
    assert_eq!(common::rows_in(&pool, "saved_searches").await, 20);

    // Someone else's alert does not exist for this candidate.
    let (_, _, _, other) = candidate(&app, "Autre Candidate", &["alertes"]).await;
    expect(
        call(&app, "GET", &location, &other, None).await,
        StatusCode::NOT_FOUND,
    );
    expect(
        call(&app, "DELETE", &location, &other, None).await,
        StatusCode::NOT_FOUND,
    );
    let (status, _) = call(&app, "DELETE", &location, &token, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(common::rows_in(&pool, "saved_searches").await, 19);
    expect(
        call(&app, "DELETE", &location, &token, None).await,
        StatusCode::NOT_FOUND,
    );
    // Digests go to the address: it must be confirmed.
    let (_, unverified) = token_of(&pool, Role::Candidate, false, &["alertes"]).await;
    expect(
        call(
            &app,
            "POST",
            "/api/v1/moi/alertes",
            &unverified,
            Some(alert("offers", "")),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_contract_documents_every_route_of_moi(pool: PgPool) {
    let app = app(pool).await;
    let response = app.get("/api/v1/openapi.json").await;
    let (_, doc) = json(response).await;
    for (method, path, scope, _) in routes() {
        let path = path.replace("/1", "/{id}");
        let operation = &doc["paths"][&path][method.to_lowercase()];
        assert!(operation.is_object(), "{method} {path}");
        assert_eq!(
            operation["security"][0]["oauth2_user"][0], scope,
            "{method} {path}"
        );
        for status in ["401", "403", "429"] {
            assert_eq!(
                operation["responses"][status]["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{method} {path} {status}"
            );
        }
        let success = operation["responses"]
            .as_object()
            .unwrap()
            .keys()
            .find(|status| status.starts_with('2'))
            .unwrap();
        assert!(
            operation["responses"][success]["headers"]["Cache-Control"].is_object(),
            "{method} {path}"
        );
    }
}
