//! Apps acting for users over HTTP (OAuth 2.1, authorisation code with
//! PKCE): the consent page and its refusals, the code exchange, refresh
//! rotation with reuse detection, every way an access ends (the user's
//! account page, a password change, a suspension, the app's revocation,
//! RFC 7009), the admins' registry of apps and its command.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::{
    oauth::{OAuthAppInput, ssr as apps},
    users::Role,
};
use axum::{
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use common::{
    Client, PASSWORD, TestApp, app, body_text, header, json, ok_json, signed_in, signed_in_account,
};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;
const REDIRECT: &str = "http://127.0.0.1:8765/retour";

/// Registers an app through the registry's own checks: its client_id and,
/// if confidential, its secret.
async fn register(
    pool: &PgPool,
    name: &str,
    scopes: &[&str],
    confidential: bool,
) -> (String, Option<String>) {
    let spec = apps::AppSpec::parse(&OAuthAppInput {
        name: name.to_owned(),
        redirect_uris: format!("{REDIRECT}\nfr.passerelle.app:/oauth"),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        confidential: confidential.then(String::new),
    })
    .unwrap();
    let created = apps::create_app(pool, None, &spec).await.unwrap();
    assert!(created.client_id.starts_with("pa_"));
    (created.client_id, created.secret)
}

/// A PKCE verifier (its tag keeps it unique) and its S256 challenge.
fn pkce(tag: &str) -> (String, String) {
    let verifier = format!("verificateur-de-test-{tag}-{}", "x".repeat(30));
    let challenge = apps::challenge_of(&verifier);
    (verifier, challenge)
}

/// The consent page's address for this request (`None`: the parameter is left out).
fn authorize_url(params: &[(&str, Option<&str>)]) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().filter_map(|(k, v)| v.map(|v| (*k, v))))
        .finish();
    format!("/oauth/autoriser?{query}")
}

/// A well-formed request of `client_id` for `scope`.
fn request(client_id: &str, scope: &str, challenge: &str) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".to_owned()),
        ("client_id", client_id.to_owned()),
        ("redirect_uri", REDIRECT.to_owned()),
        ("scope", scope.to_owned()),
        ("state", "etat-123".to_owned()),
        ("code_challenge", challenge.to_owned()),
        ("code_challenge_method", "S256".to_owned()),
    ]
}

fn url_of(request: &[(&'static str, String)]) -> String {
    let params: Vec<(&str, Option<&str>)> = request
        .iter()
        .map(|(k, v)| (*k, Some(v.as_str())))
        .collect();
    authorize_url(&params)
}

/// The user's answer to `request`, as the page's form posts it without
/// JavaScript: the redirect's `Location`.
async fn answer(
    client: &mut Client<'_>,
    request: &[(&'static str, String)],
    decision: &str,
) -> String {
    let names: Vec<String> = request.iter().map(|(k, _)| format!("query[{k}]")).collect();
    let mut form: Vec<(&str, &str)> = names
        .iter()
        .zip(request)
        .map(|(name, (_, value))| (name.as_str(), value.as_str()))
        .collect();
    form.push(("decision", decision));
    let response = client.post_html("/api/oauth/autoriser", &form).await;
    assert_eq!(
        response.status(),
        StatusCode::FOUND,
        "{}",
        body_text(response).await
    );
    header(&response, "location").to_owned()
}

/// The query parameters of `location`.
fn params_of(location: &str) -> Vec<(String, String)> {
    let query = location.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn param(location: &str, name: &str) -> Option<String> {
    params_of(location)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The consent's code, from the redirect to the app (checked: its address
/// and state).
async fn consent_code(client: &mut Client<'_>, request: &[(&'static str, String)]) -> String {
    let location = answer(client, request, "autoriser").await;
    assert!(
        location.starts_with(&format!("{REDIRECT}?code=")),
        "{location}"
    );
    assert_eq!(param(&location, "state").as_deref(), Some("etat-123"));
    param(&location, "code").unwrap()
}

async fn token_request(
    app: &TestApp,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> Response {
    post_form(app, "/api/v1/oauth/token", basic, form).await
}

async fn post_form(
    app: &TestApp,
    path: &str,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> Response {
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "PasserelleMobile/1.0");
    if let Some((id, secret)) = basic {
        request = request.header(
            "authorization",
            format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
        );
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

/// The code exchanged by public app `client_id`: status and JSON answer.
async fn exchange(
    app: &TestApp,
    client_id: &str,
    code: &str,
    verifier: &str,
) -> (StatusCode, Value) {
    let response = token_request(
        app,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("client_id", client_id),
            ("code_verifier", verifier),
        ],
    )
    .await;
    assert_eq!(header(&response, "cache-control"), "no-store");
    json(response).await
}

/// A refresh by public app `client_id`: status and JSON answer.
async fn refresh(
    app: &TestApp,
    client_id: &str,
    token: &str,
    scope: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", client_id),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    json(token_request(app, None, &form).await).await
}

/// The answer is the token endpoint's `error` with `status`.
#[track_caller]
fn assert_error((status, body): &(StatusCode, Value), expected: StatusCode, error: &str) {
    assert_eq!(
        (*status, body["error"].as_str()),
        (expected, Some(error)),
        "{body}"
    );
    assert!(!body["error_description"].as_str().unwrap().is_empty());
}

/// The tokens of a whole consent of `user` to public app `client_id`:
/// (access token, refresh token, family).
async fn tokens_of(
    app: &TestApp,
    user: &mut Client<'_>,
    client_id: &str,
    scope: &str,
    tag: &str,
) -> (String, String, i64) {
    let (verifier, challenge) = pkce(tag);
    let code = consent_code(user, &request(client_id, scope, &challenge)).await;
    let body = ok_json(exchange(app, client_id, &code, &verifier).await);
    let access = body["access_token"].as_str().unwrap().to_owned();
    let (_, family) = common::api::app_keys()
        .verify(&access, passerelle::api::tokens::now())
        .unwrap()
        .user()
        .unwrap();
    (
        access,
        body["refresh_token"].as_str().unwrap().to_owned(),
        family,
    )
}

/// What `/api/v1/entreprise/offres` says to `token`: it reads the bearer
/// token first, so a dead token is a 401 `invalid_token` and a live
/// candidate's token some other refusal.
async fn token_is_dead(app: &TestApp, token: &str) -> bool {
    let response = app
        .get_with(
            "/api/v1/entreprise/offres",
            "authorization",
            &format!("Bearer {token}"),
        )
        .await;
    let dead = response.status() == StatusCode::UNAUTHORIZED
        && header(&response, "www-authenticate").contains("error=\"invalid_token\"");
    assert!(
        dead || response.status() != StatusCode::OK,
        "a candidate never reads a company's offers"
    );
    dead
}

async fn revoked_at_set(pool: &PgPool, family: i64) -> bool {
    sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM user_sessions WHERE id = $1")
        .bind(family)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn journal(pool: &PgPool, event: &str) -> Vec<Value> {
    sqlx::query_scalar("SELECT detail FROM audit_log WHERE event = $1 ORDER BY id")
        .bind(event)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_user_consents_and_the_app_gets_rotating_tokens_until_a_reuse_ends_them(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (client_id, _) = register(
        &pool,
        "Appli « Mobile »",
        &["profil", "candidatures", "alertes"],
        false,
    )
    .await;
    let (mut user, _, user_id) = signed_in_account(&app, Role::Candidate, "Chloé Consent").await;
    let (verifier, challenge) = pkce("flux");
    let request = request(&client_id, "profil candidatures", &challenge);

    // The page names the app and each scope, and lets its form go to the app.
    let page = user.get(&url_of(&request)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let policy = header(&page, "content-security-policy").to_owned();
    assert!(
        policy.contains("form-action 'self' http://127.0.0.1:8765;"),
        "{policy}"
    );
    assert!(
        page.headers()
            .get(app::identity::oauth::FORM_ACTION_HEADER)
            .is_none()
    );
    let html = body_text(page).await;
    common::assert_contains_all(
        &html,
        &[
            "Appli « Mobile »",
            "Lire et modifier votre profil et votre CV.",
            "Postuler, demander une inscription, suivre et retirer vos demandes.",
            "Autoriser",
            "Refuser",
        ],
    );
    assert!(
        !html.contains("Lire, créer et supprimer vos alertes."),
        "only what is asked"
    );

    // Consent: a code at the app's address, with its state; journaled.
    let code = consent_code(&mut user, &request).await;
    let consent = journal(&pool, "oauth.consent").await;
    assert_eq!(consent.len(), 1);
    assert_eq!(
        consent[0]["scopes"],
        serde_json::json!(["profil", "candidatures"])
    );

    // The app exchanges it with its verifier.
    let body = ok_json(exchange(&app, &client_id, &code, &verifier).await);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["scope"], "profil candidatures");
    let first_refresh = body["refresh_token"].as_str().unwrap().to_owned();
    assert!(first_refresh.starts_with("prt_"));
    let access = body["access_token"].as_str().unwrap().to_owned();
    let claims = common::api::app_keys()
        .verify(&access, passerelle::api::tokens::now())
        .unwrap();
    let (subject, family) = claims.user().unwrap();
    assert_eq!(subject, user_id);
    let (signed_in_as, granted) =
        app::identity::auth::ssr::api_session_user(&pool, user_id, family)
            .await
            .unwrap()
            .expect("the family is live");
    assert_eq!(signed_in_as.id, user_id);
    assert_eq!(granted, ["profil", "candidatures"]);
    assert!(!token_is_dead(&app, &access).await);
    // Only hashes are kept.
    let in_clear: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM oauth_refresh_tokens WHERE position(convert_to($1, 'UTF8') IN token_hash) > 0",
    )
    .bind(&first_refresh)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(in_clear, 0);

    // The user sees the app among their sessions, with what it may do.
    let sessions = user.call_ok("/api/compte/sessions", &[]).await;
    let listed = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == family)
        .expect("the family is listed");
    assert_eq!(listed["device"], "Application « Appli « Mobile » »");
    assert_eq!(
        listed["scopes"],
        serde_json::json!([
            "Lire et modifier votre profil et votre CV.",
            "Postuler, demander une inscription, suivre et retirer vos demandes."
        ])
    );

    // Rotation: each refresh token serves once and gives the next; a
    // refresh may narrow the scopes, never widen them.
    let second = ok_json(refresh(&app, &client_id, &first_refresh, None).await);
    let second_refresh = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(second["scope"], "profil candidatures");
    assert_error(
        &refresh(&app, &client_id, &second_refresh, Some("profil alertes")).await,
        StatusCode::BAD_REQUEST,
        "invalid_scope",
    );
    let third = ok_json(refresh(&app, &client_id, &second_refresh, Some("profil")).await);
    assert_eq!(third["scope"], "profil");
    let newest_refresh = third["refresh_token"].as_str().unwrap().to_owned();
    let newest_access = third["access_token"].as_str().unwrap().to_owned();
    assert!(!token_is_dead(&app, &newest_access).await);

    // A spent token again: the whole family ends, journaled; nothing of it works.
    assert_error(
        &refresh(&app, &client_id, &first_refresh, None).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    assert!(revoked_at_set(&pool, family).await);
    let reuse = journal(&pool, "oauth.refresh_reuse").await;
    assert_eq!(reuse.len(), 1);
    assert_eq!(reuse[0]["session"], family);
    assert_error(
        &refresh(&app, &client_id, &newest_refresh, None).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    assert!(token_is_dead(&app, &newest_access).await);
    assert!(token_is_dead(&app, &access).await);
    let sessions = user.call_ok("/api/compte/sessions", &[]).await;
    assert!(!sessions.to_string().contains("Application"), "{sessions}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_consent_page_refuses_bad_requests_here_or_at_the_app(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (client_id, _) = register(&pool, "Appli Limitée", &["profil"], false).await;
    let (mut user, _, _) = signed_in_account(&app, Role::Candidate, "Rémi Refus").await;
    let (_, challenge) = pkce("refus");
    let good = request(&client_id, "profil", &challenge);
    let with = |name: &str, value: Option<&str>| {
        let params: Vec<(&str, Option<&str>)> = good
            .iter()
            .map(|(k, v)| (*k, if *k == name { value } else { Some(v.as_str()) }))
            .collect();
        authorize_url(&params)
    };

    // No app, another app's address, a revoked app: said on the page, no redirect.
    let revoked = register(&pool, "Appli Révoquée", &["profil"], false)
        .await
        .0;
    sqlx::query("UPDATE oauth_apps SET revoked_at = now() WHERE client_id = $1")
        .bind(&revoked)
        .execute(&pool)
        .await
        .unwrap();
    for (url, says) in [
        (
            with("client_id", Some("pa_00000000000000000000000000000000")),
            "n'est pas enregistrée",
        ),
        (with("client_id", None), "client_id manque"),
        (with("client_id", Some(&revoked)), "n'est pas enregistrée"),
        (
            with("redirect_uri", Some("https://attaquant.example/vol")),
            "par prudence",
        ),
        (
            with("redirect_uri", Some("http://127.0.0.1:8765/retour/")),
            "par prudence",
        ),
        (with("redirect_uri", None), "par prudence"),
    ] {
        let response = user.get(&url).await;
        assert_eq!(header(&response, "location"), "", "{url}");
        common::assert_says(response, StatusCode::BAD_REQUEST, says).await;
    }

    // The rest goes back to the app, with the state (RFC 6749 §4.1.2.1).
    for (url, error) in [
        (
            with("response_type", Some("token")),
            "unsupported_response_type",
        ),
        (with("response_type", None), "invalid_request"),
        (
            with("code_challenge_method", Some("plain")),
            "invalid_request",
        ),
        (with("code_challenge_method", None), "invalid_request"),
        (with("code_challenge", None), "invalid_request"),
        (
            with("code_challenge", Some("trop-court")),
            "invalid_request",
        ),
        (with("scope", Some("profil alertes")), "invalid_scope"),
        (with("scope", Some("administration")), "invalid_scope"),
        (with("scope", None), "invalid_scope"),
    ] {
        let response = user.get(&url).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{url}");
        let location = header(&response, "location").to_owned();
        assert!(
            location.starts_with(&format!("{REDIRECT}?")),
            "{url}: {location}"
        );
        assert_eq!(param(&location, "error").as_deref(), Some(error), "{url}");
        assert_eq!(
            param(&location, "state").as_deref(),
            Some("etat-123"),
            "{url}"
        );
        let description = param(&location, "error_description").unwrap();
        assert!(
            !description.is_empty()
                && description
                    .bytes()
                    .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'),
            "{description}"
        );
    }

    // Refused by the user: access_denied, and no code.
    let location = answer(&mut user, &good, "refuser").await;
    assert!(location.starts_with(&format!("{REDIRECT}?")), "{location}");
    assert_eq!(param(&location, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&location, "state").as_deref(), Some("etat-123"));
    assert_eq!(param(&location, "code"), None);
    assert_eq!(common::rows_in(&pool, "oauth_codes").await, 0);

    // The form's fields come from the browser: checked again.
    let mut tampered = good.clone();
    tampered[2].1 = "https://attaquant.example/vol".to_owned();
    let form: Vec<(String, String)> = tampered
        .iter()
        .map(|(k, v)| (format!("query[{k}]"), v.clone()))
        .chain([("decision".to_owned(), "autoriser".to_owned())])
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = user.call("/api/oauth/autoriser", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(common::rows_in(&pool, "oauth_codes").await, 0);

    // A visitor signs in first, and comes back to this very request.
    let mut visitor = Client::new(&app);
    let response = visitor.get(&url_of(&good)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let to_sign_in = header(&response, "location").to_owned();
    assert!(
        to_sign_in.starts_with("/connexion?suivant="),
        "{to_sign_in}"
    );
    let next = param(&to_sign_in, "suivant").unwrap();
    assert_eq!(next, url_of(&good));
    let (_, email) = common::account(&pool, Role::Candidate, "Victor Visiteur", true).await;
    let signed = visitor
        .post(
            "/api/connexion",
            &[("email", &email), ("password", PASSWORD), ("next", &next)],
        )
        .await;
    assert_eq!(header(&signed, "location"), url_of(&good));
    let page = visitor.get(&next).await;
    assert_eq!(page.status(), StatusCode::OK);

    // The form refuses a visitor.
    let (status, _) = Client::new(&app).call("/api/oauth/autoriser", &form).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_token_endpoint_refuses_every_bad_exchange(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (public, _) = register(&pool, "Appli Publique", &["profil", "favoris"], false).await;
    let (other, _) = register(&pool, "Autre Appli", &["profil"], false).await;
    let (confidential, secret) = register(&pool, "Service Partenaire", &["profil"], true).await;
    let secret = secret.unwrap();
    assert!(secret.starts_with("pas_"));
    let (mut user, _, _) = signed_in_account(&app, Role::Candidate, "Tom Testeur").await;
    let (verifier, challenge) = pkce("jetons");
    let fresh_code = |client: &str| request(client, "profil", &challenge);

    // Wrong verifier, malformed or missing verifier, another redirect URI,
    // another app, an unknown app: refused, and the code still serves once.
    let code = consent_code(&mut user, &fresh_code(&public)).await;
    let (other_verifier, _) = pkce("autre");
    assert_error(
        &exchange(&app, &public, &code, &other_verifier).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    assert_error(
        &exchange(&app, &public, &code, "court").await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    );
    let no_verifier = json(
        token_request(
            &app,
            None,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("client_id", &public),
            ],
        )
        .await,
    )
    .await;
    assert_error(&no_verifier, StatusCode::BAD_REQUEST, "invalid_request");
    let elsewhere = json(
        token_request(
            &app,
            None,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "fr.passerelle.app:/oauth"),
                ("client_id", &public),
                ("code_verifier", &verifier),
            ],
        )
        .await,
    )
    .await;
    assert_error(&elsewhere, StatusCode::BAD_REQUEST, "invalid_grant");
    assert_error(
        &exchange(&app, &other, &code, &verifier).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    assert_error(
        &exchange(
            &app,
            "pa_00000000000000000000000000000000",
            &code,
            &verifier,
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    );
    let with_secret = json(
        token_request(
            &app,
            Some((&public, "pas_invente")),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &verifier),
            ],
        )
        .await,
    )
    .await;
    assert_error(&with_secret, StatusCode::UNAUTHORIZED, "invalid_client");

    // The code serves once; a second time, the access it opened ends.
    let first = ok_json(exchange(&app, &public, &code, &verifier).await);
    let refresh_token = first["refresh_token"].as_str().unwrap().to_owned();
    let access = first["access_token"].as_str().unwrap().to_owned();
    assert!(!token_is_dead(&app, &access).await);
    assert_error(
        &exchange(&app, &public, &code, &verifier).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    assert!(token_is_dead(&app, &access).await);
    assert_error(
        &refresh(&app, &public, &refresh_token, None).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    assert_eq!(journal(&pool, "oauth.code_reuse").await.len(), 1);

    // Expired (a minute): refused.
    let code = consent_code(&mut user, &fresh_code(&public)).await;
    sqlx::query(
        "UPDATE oauth_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_error(
        &exchange(&app, &public, &code, &verifier).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );

    // A confidential app must give its secret, and the right one.
    let code = consent_code(&mut user, &fresh_code(&confidential)).await;
    assert_error(
        &exchange(&app, &confidential, &code, &verifier).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    );
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier.as_str()),
    ];
    let wrong = token_request(&app, Some((&confidential, "pas_faux")), &form).await;
    assert!(header(&wrong, "www-authenticate").starts_with("Basic"));
    assert_error(
        &json(wrong).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    );
    let granted =
        ok_json(json(token_request(&app, Some((&confidential, &secret)), &form).await).await);
    let partner_refresh = granted["refresh_token"].as_str().unwrap().to_owned();
    // Its refresh needs the secret too; another app's client_id is refused.
    assert_error(
        &refresh(&app, &confidential, &partner_refresh, None).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    );
    assert_error(
        &refresh(&app, &other, &partner_refresh, None).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    let refreshed = json(
        token_request(
            &app,
            None,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &partner_refresh),
                ("client_id", &confidential),
                ("client_secret", &secret),
            ],
        )
        .await,
    )
    .await;
    assert!(
        ok_json(refreshed)["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("prt_")
    );

    // Unknown refresh tokens and missing parameters.
    assert_error(
        &refresh(&app, &public, "prt_inconnu", None).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    let missing = json(
        token_request(
            &app,
            None,
            &[("grant_type", "refresh_token"), ("client_id", &public)],
        )
        .await,
    )
    .await;
    assert_error(&missing, StatusCode::BAD_REQUEST, "invalid_request");
    let no_client = json(
        token_request(
            &app,
            None,
            &[("grant_type", "refresh_token"), ("refresh_token", "prt_x")],
        )
        .await,
    )
    .await;
    assert_error(&no_client, StatusCode::UNAUTHORIZED, "invalid_client");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_access_ends_from_the_account_a_password_change_a_suspension_or_a_revocation(
    pool: PgPool,
) {
    let app = app(pool.clone()).await;
    let (client_id, _) = register(&pool, "Appli Mobile", &["profil"], false).await;
    let (mut user, _, user_id) = signed_in_account(&app, Role::Candidate, "Fanny Fin").await;
    let dead = |pair: (String, String, i64)| {
        let (client_id, app) = (client_id.clone(), &app);
        async move {
            let (access, refresh_token, _) = pair;
            assert!(token_is_dead(app, &access).await, "access token");
            assert_error(
                &refresh(app, &client_id, &refresh_token, None).await,
                StatusCode::BAD_REQUEST,
                "invalid_grant",
            );
        }
    };

    // "Fermer" on /compte, as for a browser.
    let tokens = tokens_of(&app, &mut user, &client_id, "profil", "compte").await;
    let id = tokens.2.to_string();
    assert_eq!(
        user.post_status("/api/compte/sessions/fin", &[("id", &id)])
            .await,
        StatusCode::OK
    );
    dead(tokens).await;

    // A password change ends every other session, families included.
    let tokens = tokens_of(&app, &mut user, &client_id, "profil", "motdepasse").await;
    assert_eq!(
        user.change_password(PASSWORD, "une autre phrase de passe solide")
            .await
            .status(),
        StatusCode::OK
    );
    dead(tokens).await;

    // A suspension: refused at once, whatever the rows say.
    let tokens = tokens_of(&app, &mut user, &client_id, "profil", "suspension").await;
    sqlx::query("UPDATE users SET suspended_at = now() WHERE id = $1")
        .bind(user_id)
        .execute(&pool)
        .await
        .unwrap();
    let (access, refresh_token, family) = tokens.clone();
    assert!(token_is_dead(&app, &access).await);
    assert_error(
        &refresh(&app, &client_id, &refresh_token, None).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    // …and the admin's suspension ends the sessions themselves.
    app::identity::auth::ssr::end_sessions(&pool, user_id, None)
        .await
        .unwrap();
    assert!(revoked_at_set(&pool, family).await);
    sqlx::query("UPDATE users SET suspended_at = NULL WHERE id = $1")
        .bind(user_id)
        .execute(&pool)
        .await
        .unwrap();
    dead(tokens).await;

    // The app signs the user out (RFC 7009): by its refresh token, or its
    // access token; an unknown token is a 200 too.
    let mut user = Client::new(&app);
    let response = user
        .sign_in(
            &user_email(&pool, user_id).await,
            "une autre phrase de passe solide",
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let tokens = tokens_of(&app, &mut user, &client_id, "profil", "rfc7009").await;
    let response = post_form(
        &app,
        "/api/v1/oauth/revoke",
        None,
        &[("token", &tokens.1), ("client_id", &client_id)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-store");
    assert!(revoked_at_set(&pool, tokens.2).await);
    dead(tokens).await;
    let tokens = tokens_of(&app, &mut user, &client_id, "profil", "rfc7009-acces").await;
    let response = post_form(
        &app,
        "/api/v1/oauth/revoke",
        None,
        &[("token", &tokens.0), ("client_id", &client_id)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    dead(tokens).await;
    let response = post_form(
        &app,
        "/api/v1/oauth/revoke",
        None,
        &[("token", "prt_inconnu"), ("client_id", &client_id)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = post_form(
        &app,
        "/api/v1/oauth/revoke",
        None,
        &[("client_id", &client_id)],
    )
    .await;
    assert_error(
        &json(response).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    );
    let response = post_form(
        &app,
        "/api/v1/oauth/revoke",
        None,
        &[
            ("token", "prt_x"),
            ("client_id", "pa_00000000000000000000000000000000"),
        ],
    )
    .await;
    assert_error(
        &json(response).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    );

    // An admin revokes the app: every access it holds ends, and it may not
    // exchange or refresh any more.
    let tokens = tokens_of(&app, &mut user, &client_id, "profil", "application").await;
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let listed = admin.call_ok("/api/admin/applications", &[]).await;
    let row = listed["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["client_id"] == client_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["families"], 1);
    admin
        .call_ok(
            "/api/admin/applications/revoquer",
            &[("id", &row["id"].to_string())],
        )
        .await;
    assert!(revoked_at_set(&pool, tokens.2).await);
    let (access, refresh_token, _) = tokens;
    assert!(token_is_dead(&app, &access).await);
    assert_error(
        &refresh(&app, &client_id, &refresh_token, None).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    );
    let revoked = journal(&pool, "oauth_app.revoked").await;
    assert_eq!(revoked[0]["families"], 1);
    let (_, challenge) = pkce("apres");
    let response = user
        .get(&url_of(&request(&client_id, "profil", &challenge)))
        .await;
    common::assert_says(response, StatusCode::BAD_REQUEST, "n'est pas enregistrée").await;
}

async fn user_email(pool: &PgPool, id: i64) -> String {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn admins_register_apps_whose_secret_shows_once(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let form = |name: &'static str, uris: &'static str, confidential: bool| {
        let mut form = vec![
            ("input[name]", name),
            ("input[redirect_uris]", uris),
            ("input[scopes][]", "profil"),
            ("input[scopes][]", "alertes"),
        ];
        if confidential {
            form.push(("input[confidential]", "on"));
        }
        form
    };
    let created = admin
        .call_ok(
            "/api/admin/applications/creer",
            &form(
                "Service RH",
                "https://rh.exemple.fr/oauth\nhttp://127.0.0.1:9000/cb",
                true,
            ),
        )
        .await;
    let client_id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(client_id.starts_with("pa_") && secret.starts_with("pas_"));
    let stored: (Vec<String>, Vec<String>, Vec<u8>) = sqlx::query_as(
        "SELECT redirect_uris, scopes, secret_hash FROM oauth_apps WHERE client_id = $1",
    )
    .bind(&client_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        stored.0,
        ["https://rh.exemple.fr/oauth", "http://127.0.0.1:9000/cb"]
    );
    assert_eq!(stored.1, ["profil", "alertes"]);
    assert_eq!(stored.2, app::base::tokens::hash_token(&secret));
    let journaled = journal(&pool, "oauth_app.created").await;
    assert_eq!(journaled[0]["client_id"], client_id.as_str());
    assert!(!journaled[0].to_string().contains(&secret));

    // Listed without its secret; a public app has none.
    let listed = admin.call_ok("/api/admin/applications", &[]).await;
    assert!(!listed.to_string().contains(&secret));
    assert!(listed["created"].is_null(), "nothing stashed by a fetch");
    let public = admin
        .call_ok(
            "/api/admin/applications/creer",
            &form("Appli Mobile", "fr.passerelle.app:/oauth", false),
        )
        .await;
    assert!(public["secret"].is_null());

    // Without JavaScript: back to the page, which shows the secret once.
    let response = admin
        .post_html(
            "/api/admin/applications/creer",
            &form("Service Sans JS", "https://sansjs.exemple.fr/cb", true),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&response, "location"), "/admin/applications");
    let page = common::ok_text(admin.get("/admin/applications").await).await;
    assert!(
        page.contains("Service Sans JS") && page.contains("data-secret"),
        "the secret, once"
    );
    let again = common::ok_text(admin.get("/admin/applications").await).await;
    assert!(again.contains("Service Sans JS") && !again.contains("data-secret"));

    // Bad registrations say why, field by field.
    for (form, field, says) in [
        (
            form("Appli", "http://rh.exemple.fr/cb", false),
            "redirect_uris",
            "127.0.0.1",
        ),
        (
            form("Appli", "https://rh.exemple.fr/cb#x", false),
            "redirect_uris",
            "fragment",
        ),
        (
            form("Appli", "javascript:alert(1)", false),
            "redirect_uris",
            "schéma propre",
        ),
        (form("Appli", "", false), "redirect_uris", "une par ligne"),
        (form("", "https://rh.exemple.fr/cb", false), "name", "nom"),
        (
            vec![
                ("input[name]", "Appli"),
                ("input[redirect_uris]", "https://rh.exemple.fr/cb"),
            ],
            "scopes",
            "au moins une",
        ),
    ] {
        let (status, body) = admin.call("/api/admin/applications/creer", &form).await;
        common::assert_refused(status, &body, field, says);
    }

    // Anyone else: refused.
    let mut candidate = signed_in(&app, Role::Candidate, "Carla Candidate").await;
    assert_eq!(
        candidate.get("/admin/applications").await.status(),
        StatusCode::FORBIDDEN
    );
    let (status, _) = candidate
        .call(
            "/api/admin/applications/creer",
            &form("Pirate", "https://pirate.exemple/cb", true),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        candidate.call("/api/admin/applications", &[]).await.0,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn operators_register_an_app_from_the_command_line(pool: PgPool) {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL for the tests");
    let db = pool.connect_options().get_database().unwrap().to_owned();
    let url = format!("{}/{db}", base.rsplit_once('/').unwrap().0);
    let run = |args: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &url)
            .env("REDIS_URL", "redis://127.0.0.1:1")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let output = run(&[
        "oauth-app",
        "create",
        "--name",
        "Passerelle mobile",
        "--redirect-uri",
        "fr.passerelle.app:/oauth",
        "--redirect-uri",
        "http://127.0.0.1:8765/retour",
        "--scopes",
        "profil candidatures",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let client_id = stdout
        .lines()
        .find_map(|line| line.strip_prefix("client_id : "))
        .unwrap()
        .to_owned();
    assert!(
        !stdout.contains("secret"),
        "a public app has no secret: {stdout}"
    );
    let (uris, secret): (Vec<String>, Option<Vec<u8>>) =
        sqlx::query_as("SELECT redirect_uris, secret_hash FROM oauth_apps WHERE client_id = $1")
            .bind(&client_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        uris,
        ["fr.passerelle.app:/oauth", "http://127.0.0.1:8765/retour"]
    );
    assert_eq!(secret, None);

    let output = run(&[
        "oauth-app",
        "create",
        "--name",
        "Service",
        "--redirect-uri",
        "https://rh.exemple.fr/cb",
        "--scopes",
        "profil",
        "--confidential",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        stdout.lines().any(|line| line.starts_with("secret : pas_")),
        "{stdout}"
    );

    let refused = run(&[
        "oauth-app",
        "create",
        "--name",
        "Mauvaise",
        "--redirect-uri",
        "http://exemple.fr/cb",
        "--scopes",
        "profil",
    ]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("127.0.0.1"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_worker_forgets_old_codes_and_spent_refresh_tokens(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (client_id, _) = register(&pool, "Appli Mobile", &["profil"], false).await;
    let (mut user, _, _) = signed_in_account(&app, Role::Candidate, "Olga Oubli").await;
    let (_, spent, family) = tokens_of(&app, &mut user, &client_id, "profil", "oubli").await;
    ok_json(refresh(&app, &client_id, &spent, None).await);
    let (_, challenge) = pkce("frais");
    consent_code(&mut user, &request(&client_id, "profil", &challenge)).await;
    // The used code a day past its minute, the spent token a month old.
    sqlx::query(
        "UPDATE oauth_codes SET expires_at = now() - interval '25 hours' WHERE used_at IS NOT NULL",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE oauth_refresh_tokens SET used_at = now() - interval '31 days' WHERE used_at IS NOT NULL")
        .execute(&pool)
        .await
        .unwrap();
    app::worker::forget_old_records(&pool).await.unwrap();
    assert_eq!(
        common::rows_in(&pool, "oauth_codes").await,
        1,
        "the fresh code stays"
    );
    let left: Vec<Option<chrono::DateTime<chrono::Utc>>> =
        sqlx::query_scalar("SELECT used_at FROM oauth_refresh_tokens WHERE session_id = $1")
            .bind(family)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(left, [None], "the live refresh token stays");
    assert!(!revoked_at_set(&pool, family).await);
}
