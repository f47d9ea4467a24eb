//! API clients and their tokens over HTTP: an owner creates a client (its
//! secret shown once), the client-credentials grant (Basic and form), the
//! company's own offers with the token, every refusal of the token
//! endpoint and of a token, revocation and suspension at the next call, and
//! key rotation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use base64::{Engine, engine::general_purpose::STANDARD, engine::general_purpose::URL_SAFE_NO_PAD};
use common::{Client, TestApp, app, app_with, body_text, header, json, organisation_owner};
use hmac::{Hmac, Mac};
use passerelle::{
    api::tokens::{self, Claims, Keys},
    config::ApiSigningKeys,
};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;
const ISSUER: &str = "http://localhost:3000";

/// The development key the test app signs with (derived from SESSION_KEY).
fn app_keys() -> Keys {
    let dir = tempfile::tempdir().unwrap();
    let config = common::config_with(&[], dir.path());
    Keys::new(&config.api_signing_keys, &config.base_url()).unwrap()
}

fn keys_of(list: &[(&str, u8)]) -> Keys {
    let seeds = list
        .iter()
        .map(|(kid, byte)| ((*kid).to_owned(), [*byte; 32]))
        .collect();
    Keys::new(&ApiSigningKeys::from_seeds(seeds), ISSUER).unwrap()
}

/// A new client of a new organisation of `kind` in `status`, created by its
/// owner through the server function: (owner, organisation, client_id, secret).
async fn new_client<'a>(
    app: &'a TestApp,
    kind: &str,
    status: &str,
) -> (Client<'a>, i64, String, String) {
    let (mut owner, org, _) =
        organisation_owner(app, kind, status, "Atelier Rhône", "Odile Owner").await;
    // The form's default: the read scope of its kind.
    let read = if kind == "centre" {
        "formations:lecture"
    } else {
        "offres:lecture"
    };
    let created = owner
        .call_ok(
            "/api/organisation/clients-api/creer",
            &[("kind", kind), ("name", "Notre ATS"), ("scopes[]", read)],
        )
        .await;
    let id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(id.starts_with("pc_") && secret.starts_with("pcs_"));
    (owner, org, id, secret)
}

async fn token_request(
    app: &TestApp,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> Response {
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut request = Request::post("/api/v1/oauth/token")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some((id, secret)) = basic {
        request = request.header(
            "authorization",
            format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
        );
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

/// A token by the form's credentials (must succeed).
async fn token_for(app: &TestApp, id: &str, secret: &str) -> String {
    let response = token_request(
        app,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(header(&response, "cache-control"), "no-store");
    let (status, body) = json(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn own_offers(app: &TestApp, token: &str) -> Response {
    app.get_with(
        "/api/v1/entreprise/offres",
        "authorization",
        &format!("Bearer {token}"),
    )
    .await
}

/// A 401 answer that names the bearer token as invalid.
async fn assert_invalid_token(response: Response, why: &str) {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{why}");
    assert!(
        header(&response, "www-authenticate").contains("error=\"invalid_token\""),
        "{why}"
    );
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
    let body = body_text(response).await;
    assert!(!body.contains("Offre"), "{why}: {body}");
}

async fn offer(pool: &PgPool, company: i64, title: &str, status: &str) -> i64 {
    sqlx::query_scalar!(
        "INSERT INTO job_offers (company_id, title, contract, remote, status, published_at,
                                 apply_channel, apply_email)
         VALUES ($1, $2, 'cdi', 'teletravail', $3, CASE WHEN $3 <> 'draft' THEN now() END,
                 'email', 'rh@exemple.fr')
         RETURNING id",
        company,
        title,
        status
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

fn claims(client_id: &str, org: i64, scope: &str, now: u64) -> Claims {
    Claims {
        iss: ISSUER.to_owned(),
        aud: tokens::AUDIENCE.to_owned(),
        sub: format!("client:{client_id}"),
        org: Some(org),
        sid: None,
        scope: scope.to_owned(),
        iat: now,
        nbf: now,
        exp: now + tokens::LIFETIME,
        jti: "essai".to_owned(),
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_company_client_reads_its_own_offers_in_every_status(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_owner, company, id, secret) = new_client(&app, "entreprise", "approved").await;
    offer(&pool, company, "Offre brouillon", "draft").await;
    offer(&pool, company, "Offre en ligne", "published").await;
    let (_, other, _) =
        organisation_owner(&app, "entreprise", "approved", "Autre SA", "Alain Autre").await;
    offer(&pool, other, "Offre d'une autre", "draft").await;

    // Basic authentication, then the form's: both give a token.
    let response = token_request(
        &app,
        Some((&id, &secret)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    let (status, body) = json(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["scope"], "offres:lecture");
    let token = token_for(&app, &id, &secret).await;
    let claims = app_keys().verify(&token, tokens::now()).unwrap();
    assert_eq!(
        (claims.org, claims.sub.as_str()),
        (Some(company), format!("client:{id}").as_str())
    );

    let response = own_offers(&app, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "cache-control").contains("private"));
    let (_, body) = json(response).await;
    let titles: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Offre brouillon") && titles.contains(&"Offre en ligne"),
        "{body}"
    );
    assert!(!titles.contains(&"Offre d'une autre"), "{body}");
    let draft = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Offre brouillon")
        .unwrap();
    assert_eq!(draft["status"], "draft");

    // The same token on a public route: served (a client may read what anyone may).
    let response = app
        .get_with(
            "/api/v1/communes?q=Lyon",
            "authorization",
            &format!("Bearer {token}"),
        )
        .await;
    assert_ne!(response.status(), StatusCode::UNAUTHORIZED);
    // Only the hash is stored.
    let stored: Vec<u8> = sqlx::query_scalar!(
        "SELECT secret_hash FROM api_clients WHERE client_id = $1",
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(&secret));
    let journal: i64 = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM audit_log WHERE event = 'api_client.created' AND detail->>'client_id' = $1"#,
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(journal, 1);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_token_endpoint_refuses_bad_requests(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_owner, _, id, secret) = new_client(&app, "entreprise", "approved").await;
    let grant = ("grant_type", "client_credentials");
    let cases: Vec<(Response, StatusCode, &str)> = vec![
        (
            token_request(
                &app,
                None,
                &[grant, ("client_id", &id), ("client_secret", "pcs_faux")],
            )
            .await,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            token_request(&app, Some((&id, "pcs_faux")), &[grant]).await,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            token_request(
                &app,
                None,
                &[
                    grant,
                    ("client_id", "pc_00000000000000000000000000000000"),
                    ("client_secret", &secret),
                ],
            )
            .await,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            token_request(&app, None, &[grant]).await,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            token_request(
                &app,
                None,
                &[
                    ("grant_type", "password"),
                    ("client_id", &id),
                    ("client_secret", &secret),
                ],
            )
            .await,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
        ),
        (
            token_request(
                &app,
                None,
                &[("client_id", &id), ("client_secret", &secret)],
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            token_request(
                &app,
                None,
                &[grant, grant, ("client_id", &id), ("client_secret", &secret)],
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            token_request(
                &app,
                Some((&id, &secret)),
                &[grant, ("client_id", &id), ("client_secret", &secret)],
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            token_request(
                &app,
                None,
                &[
                    grant,
                    ("client_id", &id),
                    ("client_secret", &secret),
                    ("scope", "formations:lecture"),
                ],
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_scope",
        ),
    ];
    for (i, (response, status, error)) in cases.into_iter().enumerate() {
        assert_eq!(header(&response, "cache-control"), "no-store", "case {i}");
        let challenge = header(&response, "www-authenticate").to_owned();
        let (got, body) = json(response).await;
        assert_eq!(
            (got, body["error"].as_str().unwrap()),
            (status, error),
            "case {i}: {body}"
        );
        assert!(!body["error_description"].as_str().unwrap().is_empty());
        assert_eq!(
            status == StatusCode::UNAUTHORIZED,
            challenge.starts_with("Basic"),
            "case {i}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn revocation_and_suspension_end_tokens_at_their_next_use(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, company, id, secret) = new_client(&app, "entreprise", "approved").await;
    let token = token_for(&app, &id, &secret).await;
    assert_eq!(own_offers(&app, &token).await.status(), StatusCode::OK);

    // Suspended: the token and the credentials are refused; reactivated, served again.
    sqlx::query!(
        "UPDATE organisations SET status = 'suspended' WHERE id = $1",
        company
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_invalid_token(own_offers(&app, &token).await, "suspended").await;
    let response = token_request(
        &app,
        Some((&id, &secret)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    let (status, body) = json(response).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unauthorized_client"))
    );
    sqlx::query!(
        "UPDATE organisations SET status = 'approved' WHERE id = $1",
        company
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(own_offers(&app, &token).await.status(), StatusCode::OK);

    // Revoked by the owner: the token issued before is refused at once.
    let page = owner
        .call_ok("/api/organisation/clients-api", &[("kind", "entreprise")])
        .await;
    assert!(
        page["created"].is_null(),
        "nothing stashed by a fetch: {page}"
    );
    let rows = &page["clients"];
    let row = &rows[0];
    assert_eq!(row["client_id"], id.as_str());
    assert!(row.get("secret").is_none() && !rows.to_string().contains(&secret));
    let db_id = row["id"].as_i64().unwrap().to_string();
    owner
        .call_ok(
            "/api/organisation/clients-api/revoquer",
            &[("kind", "entreprise"), ("id", &db_id)],
        )
        .await;
    assert_invalid_token(own_offers(&app, &token).await, "revoked").await;
    let response = token_request(
        &app,
        Some((&id, &secret)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // A plain member may not create or revoke clients.
    let (_, email) = common::organisation_member(
        &pool,
        company,
        app::identity::users::Role::Recruiter,
        "Marc Membre",
    )
    .await;
    let mut member = Client::signed_in_as(&app, &email).await;
    let (status, _) = member
        .call(
            "/api/organisation/clients-api/creer",
            &[("kind", "entreprise"), ("name", "Pirate")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Without JavaScript the form comes back to the page, which shows the
    // new secret once (kept in the session, never in a URL), then never again.
    let response = owner
        .post_html(
            "/api/organisation/clients-api/creer",
            &[
                ("kind", "entreprise"),
                ("name", "Sans JavaScript"),
                ("scopes[]", "offres:lecture"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = common::header(&response, "location").to_owned();
    assert_eq!(location, "/tableau-de-bord/entreprise/api");
    let page = body_text(owner.get(&location).await).await;
    let secret = page
        .split("data-secret=\"\"")
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the new secret on the page: {page}"))
        .to_owned();
    assert!(secret.starts_with("pcs_"), "{secret}");
    let again = body_text(owner.get(&location).await).await;
    assert!(again.contains("Sans JavaScript") && !again.contains(&secret));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn forged_expired_and_foreign_tokens_are_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_owner, company, id, _) = new_client(&app, "entreprise", "approved").await;
    let keys = app_keys();
    let now = tokens::now();
    let good = claims(&id, company, "offres:lecture", now);
    assert_eq!(
        own_offers(&app, &keys.sign(&good)).await.status(),
        StatusCode::OK
    );

    let with = |change: &dyn Fn(&mut Claims)| {
        let mut claims = good.clone();
        change(&mut claims);
        keys.sign(&claims)
    };
    let forged = [
        (
            "expired",
            with(&|c| {
                c.iat = now - 2000;
                c.nbf = now - 2000;
                c.exp = now - 31
            }),
        ),
        ("nbf in the future", with(&|c| c.nbf = now + 120)),
        ("wrong aud", with(&|c| c.aud = "autre-api".into())),
        (
            "wrong iss",
            with(&|c| c.iss = "https://ailleurs.example".into()),
        ),
        (
            "other organisation",
            with(&|c| c.org = Some(company + 1000)),
        ),
        (
            "unknown client",
            with(&|c| c.sub = "client:pc_00000000000000000000000000000000".into()),
        ),
        ("not a client", with(&|c| c.sub = "user:1".into())),
        ("too long-lived", with(&|c| c.exp = now + 86_400)),
        ("unknown kid", keys_of(&[("autre", 7)]).sign(&good)),
    ];
    for (why, token) in &forged {
        assert_invalid_token(own_offers(&app, token).await, why).await;
    }
    // Within the leeway: still served.
    let late = with(&|c| {
        c.iat = now - 920;
        c.nbf = now - 920;
        c.exp = now - 20
    });
    assert_eq!(own_offers(&app, &late).await.status(), StatusCode::OK);

    let token = keys.sign(&good);
    let (head, rest) = token.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    // alg none, with and without a signature.
    let none = b64(&serde_json::json!({"alg": "none", "typ": "JWT", "kid": "dev"}));
    // HS256 "signed" with the public key (raw and as its JWK `x`).
    let jwks: Value =
        serde_json::from_str(&body_text(app.get("/.well-known/jwks.json").await).await).unwrap();
    let x = jwks["keys"][0]["x"].as_str().unwrap().to_owned();
    let hs = b64(&serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": "dev"}));
    let hmac_with = |secret: &[u8]| {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
        mac.update(format!("{hs}.{payload}").as_bytes());
        format!(
            "{hs}.{payload}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    };
    let rs = b64(&serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": "dev"}));
    // A signature with one byte changed, and a payload changed under a good signature.
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
    bytes[10] ^= 1;
    let mut other = good.clone();
    other.org = Some(company + 1);
    let swapped_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&other).unwrap());
    let attacks = [
        ("alg none", format!("{none}.{payload}.")),
        ("alg none signed", format!("{none}.{payload}.{signature}")),
        (
            "HS256 with the raw public key",
            hmac_with(&URL_SAFE_NO_PAD.decode(&x).unwrap()),
        ),
        ("HS256 with the JWK x", hmac_with(x.as_bytes())),
        ("RS256 header", format!("{rs}.{payload}.{signature}")),
        (
            "tampered signature",
            format!("{head}.{payload}.{}", URL_SAFE_NO_PAD.encode(&bytes)),
        ),
        (
            "tampered payload",
            format!("{head}.{swapped_payload}.{signature}"),
        ),
        ("garbage", "pas.un.jeton".to_owned()),
        ("two parts", format!("{head}.{payload}")),
    ];
    for (why, token) in &attacks {
        assert_invalid_token(own_offers(&app, token).await, why).await;
    }
    // Another scheme than Bearer is a 401 too, never anonymous.
    let response = app
        .get_with(
            "/api/v1/entreprise/offres",
            "authorization",
            &format!("Basic {token}"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app
        .get_with("/api/v1/offres", "authorization", "Bearer pas.un.jeton")
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a public route too"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_a_company_client_with_the_scope_reads_company_offers(pool: PgPool) {
    let app = app(pool.clone()).await;
    // A centre's client: a token, but not for this route.
    let (_owner, _, centre_id, centre_secret) = new_client(&app, "centre", "approved").await;
    let token = token_for(&app, &centre_id, &centre_secret).await;
    let response = own_offers(&app, &token).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );

    // A company's token without the scope: insufficient_scope.
    let (mut owner, company, id, _) = new_client(&app, "entreprise", "approved").await;
    offer(&pool, company, "Offre brouillon", "draft").await;
    let keys = app_keys();
    let unscoped = keys.sign(&claims(&id, company, "formations:lecture", tokens::now()));
    let response = own_offers(&app, &unscoped).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(header(&response, "www-authenticate").contains("insufficient_scope"));

    // No token at all: 401, and a member's session cookie changes nothing.
    let response = app.get("/api/v1/entreprise/offres").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = owner.get("/api/v1/entreprise/offres").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(!body_text(response).await.contains("Offre brouillon"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn tokens_of_the_old_key_verify_while_it_is_published(pool: PgPool) {
    let old_seed = URL_SAFE_NO_PAD.encode([1u8; 32]);
    let new_seed = URL_SAFE_NO_PAD.encode([2u8; 32]);
    let standard = |s: &str| STANDARD.encode(URL_SAFE_NO_PAD.decode(s).unwrap());
    let (old_seed, new_seed) = (standard(&old_seed), standard(&new_seed));
    // During the switch: the new key signs, the old one is still published.
    let both = format!("neuve:{new_seed},ancienne:{old_seed}");
    let app = app_with(pool.clone(), &[("API_SIGNING_KEYS", &both)], false).await;
    let (_owner, company, id, secret) = new_client(&app, "entreprise", "approved").await;

    let jwks_response = app.get("/.well-known/jwks.json").await;
    assert_eq!(
        header(&jwks_response, "content-type"),
        "application/jwk-set+json"
    );
    let jwks: Value = serde_json::from_str(&body_text(jwks_response).await).unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, ["neuve", "ancienne"]);
    for key in jwks["keys"].as_array().unwrap() {
        assert_eq!(
            (
                key["kty"].as_str(),
                key["crv"].as_str(),
                key["alg"].as_str(),
                key["use"].as_str()
            ),
            (Some("OKP"), Some("Ed25519"), Some("EdDSA"), Some("sig"))
        );
        assert!(key.get("d").is_none(), "no private part");
    }
    // A token of the old key (issued before the switch) still verifies.
    let old = keys_of(&[("ancienne", 1)]);
    let token = old.sign(&claims(&id, company, "offres:lecture", tokens::now()));
    assert_eq!(own_offers(&app, &token).await.status(), StatusCode::OK);
    // New tokens carry the new key's kid.
    let fresh = token_for(&app, &id, &secret).await;
    let head: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(fresh.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (head["alg"].as_str(), head["kid"].as_str()),
        (Some("EdDSA"), Some("neuve"))
    );

    // Once the old key is dropped, its tokens fail.
    let app = app_with(
        pool,
        &[("API_SIGNING_KEYS", &format!("neuve:{new_seed}"))],
        false,
    )
    .await;
    assert_invalid_token(own_offers(&app, &token).await, "old key dropped").await;
    assert_eq!(own_offers(&app, &fresh).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_page_shows_the_secret_once(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, _, id, secret) = new_client(&app, "entreprise", "approved").await;
    let page = body_text(owner.get("/tableau-de-bord/entreprise/api").await).await;
    assert!(page.contains("Accès à l'API"), "{page}");
    assert!(page.contains(&id), "the client is listed");
    assert!(!page.contains(&secret), "the secret is never shown again");
    // The company's navigation links to it.
    let dashboard = body_text(owner.get("/tableau-de-bord/entreprise").await).await;
    assert!(dashboard.contains("/tableau-de-bord/entreprise/api"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_token_has_its_own_quota_apart_from_its_address(pool: PgPool) {
    let app = app_with(
        pool,
        &[
            ("API_RATE_BURST", "3"),
            ("API_RATE_PER_MINUTE", "1"),
            ("API_CLIENT_RATE_BURST", "2"),
            ("API_CLIENT_RATE_PER_MINUTE", "1"),
        ],
        false,
    )
    .await;
    let (_owner, _company, id, secret) = new_client(&app, "entreprise", "approved").await;
    // The token request itself counts against the address: 1 of 3.
    let token = token_for(&app, &id, &secret).await;
    let first = own_offers(&app, &token).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&first, "ratelimit-policy"), "\"client\";q=2;w=120");
    assert_eq!(header(&first, "ratelimit"), "\"client\";r=1;t=60");
    // Public reads with the token count against the token too.
    let second = app
        .get_with(
            "/api/v1/communes?q=ly",
            "authorization",
            &format!("Bearer {token}"),
        )
        .await;
    assert_eq!(header(&second, "ratelimit"), "\"client\";r=0;t=120");
    let third = own_offers(&app, &token).await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(header(&third, "ratelimit").starts_with("\"client\";r=0;"));
    // The address still has its own: 2 of 3 left after the token request.
    let anonymous = app.get("/api/v1/communes?q=ly").await;
    assert_eq!(anonymous.status(), StatusCode::OK);
    assert_eq!(header(&anonymous, "ratelimit"), "\"ip\";r=1;t=120");
    // A token that does not verify is no way around the address's quota.
    let forged = app
        .get_with(
            "/api/v1/communes?q=ly",
            "authorization",
            "Bearer abc.def.ghi",
        )
        .await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    assert!(header(&forged, "ratelimit").starts_with("\"ip\";r=0;"));
    // The address is spent now: even the token endpoint waits.
    let refused = token_request(
        &app,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
}
