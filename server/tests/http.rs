//! HTTP tests: the real router against the test PostgreSQL and Redis.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use common::{TestApp, app, app_with, assert_contains_all, body_text, header};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// GETs `path`, which must answer 200 with a `content_type` body.
async fn get_ok(app: &TestApp, path: &str, content_type: &str) -> Response {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let actual = header(&response, "content-type");
    assert!(actual.starts_with(content_type), "{path}: {actual}");
    response
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn landing_page_is_french_server_rendered_html(pool: PgPool) {
    let app = app(pool).await;
    let html = body_text(get_ok(&app, "/", "text/html").await).await;

    assert!(html.contains("<html lang=\"fr\""), "lang=fr");
    assert_eq!(html.matches("<h1").count(), 1, "exactly one h1");
    assert_contains_all(
        &html,
        &[
            "Se former, se faire recruter",
            "<title>Passerelle</title>",
            "name=\"description\"",
            "<link href=\"http://localhost:3000/\" rel=\"canonical\">",
            "property=\"og:title\"",
            "name=\"twitter:card\"",
            "\"@type\":\"Organization\"",
            "\"@type\":\"WebSite\"",
            // Landmarks and the skip link.
            "<header",
            "<main id=\"contenu\"",
            "<footer",
            "href=\"#contenu\"",
            // The newsletter field has a label.
            "for=\"newsletter-email\"",
        ],
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn scripts_carry_the_nonce_announced_by_the_csp(pool: PgPool) {
    let app = app(pool).await;
    let mut candidate = common::signed_in(&app, app::identity::users::Role::Candidate, "Léa").await;
    let response = candidate.get("/compte").await;
    let csp = header(&response, "content-security-policy").to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP")
        .to_owned();
    assert!(nonce.len() >= 16);
    let html = body_text(response).await;
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "hydration script carries the nonce"
    );

    // A new request gets a new nonce.
    let again = candidate.get("/compte").await;
    assert!(!header(&again, "content-security-policy").contains(&nonce));

    // A public page, kept whole for every visitor, has no inline script
    // that would need one: its script is a file, its JSON-LD is data.
    for _ in 0..2 {
        let html = body_text(app.get("/").await).await;
        let tags: Vec<&str> = html.split("<script").skip(1).collect();
        assert!(!tags.is_empty());
        for tag in tags {
            let opening = &tag[..tag.find('>').unwrap()];
            assert!(
                opening.contains("src=\"/scripts/enhance-")
                    || opening.contains("type=\"application/ld+json\""),
                "inline script on /: {opening}"
            );
        }
    }
}

/// Public pages are whole as the server renders them: they reference no
/// WebAssembly, only the enhancement script; the pages behind sign-in
/// start the hydration bundle.
#[sqlx::test(migrator = "MIGRATOR")]
async fn only_pages_behind_sign_in_load_the_webassembly(pool: PgPool) {
    let app = app(pool).await;
    let loads_bundle = |html: &str| html.contains("import('/pkg/");
    for path in ["/", "/offres", "/formations", "/blog", "/connexion"] {
        let html = body_text(app.get(path).await).await;
        assert!(!loads_bundle(&html), "{path} loads the WebAssembly");
        assert!(!html.contains(".wasm"), "{path} names a WebAssembly file");
        assert!(
            html.contains(app::base::hydration::enhance_path()),
            "{path} has the enhancement script"
        );
    }
    let mut candidate = common::signed_in(&app, app::identity::users::Role::Candidate, "Léa").await;
    for path in ["/compte", "/tableau-de-bord/candidatures"] {
        let response = candidate.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = body_text(response).await;
        assert!(loads_bundle(&html), "{path} does not hydrate");
        assert!(
            !html.contains(app::base::hydration::enhance_path()),
            "{path}"
        );
    }
}

/// X-Request-Id is the request's trace id: a caller's W3C `traceparent`
/// continues its trace, anything else starts a new one, and a caller's own
/// X-Request-Id is never echoed (it would go into the logs unchecked).
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_request_id_is_the_trace_id(pool: PgPool) {
    let app = app(pool).await;
    let with = |name: &'static str, value: &'static str| {
        Request::get("/healthz")
            .header(name, value)
            .body(Body::empty())
            .unwrap()
    };
    let response = app
        .send(with(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ))
        .await;
    assert_eq!(
        header(&response, "x-request-id"),
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    let forged = app
        .send(with("traceparent", "00-zzzz-00f067aa0ba902b7-01"))
        .await;
    let spoofed = app.send(with("x-request-id", "abc\"injected")).await;
    let fresh = [
        header(&forged, "x-request-id").to_owned(),
        header(&spoofed, "x-request-id").to_owned(),
        header(&app.get("/healthz").await, "x-request-id").to_owned(),
    ];
    for id in &fresh {
        assert_eq!(id.len(), 32, "{id}");
        assert_ne!(id, "4bf92f3577b34da6a3ce929d0e0e4736");
    }
    assert!(fresh[0] != fresh[1] && fresh[1] != fresh[2], "{fresh:?}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn security_headers_are_set(pool: PgPool) {
    let app = app(pool).await;
    let response = app.get("/").await;
    let csp = header(&response, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("object-src 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&response, "referrer-policy"),
        "strict-origin-when-cross-origin"
    );
    assert!(header(&response, "permissions-policy").contains("camera=()"));
    // The request's trace id: 32 lowercase hex digits.
    let id = header(&response, "x-request-id");
    assert!(
        id.len() == 32
            && id
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{id}"
    );
    assert_eq!(
        header(&response, "strict-transport-security"),
        "",
        "no HSTS in development"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn hsts_outside_development(pool: PgPool) {
    let key = "k".repeat(64);
    let app = app_with(
        pool,
        &[
            ("PASSERELLE_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://passerelle.example"),
            ("SESSION_KEY", &key),
            ("DATA_ENCRYPTION_KEY", &"ab".repeat(32)),
            ("SMTP_URL", "smtp://127.0.0.1:2525"),
            // Production refuses to start without its own token keys.
            (
                "API_SIGNING_KEYS",
                "k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
            ),
        ],
        false,
    )
    .await;
    let response = app.get("/healthz").await;
    assert!(header(&response, "strict-transport-security").contains("max-age="));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn html_css_and_js_are_compressed(pool: PgPool) {
    let app = app(pool).await;
    for path in ["/", "/pkg/passerelle.css", "/pkg/passerelle.js"] {
        for encoding in ["br", "gzip"] {
            let response = app.get_with(path, "accept-encoding", encoding).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(
                header(&response, "content-encoding"),
                encoding,
                "{path} in {encoding}"
            );
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn hashed_assets_are_immutable_and_unhashed_ones_revalidate(pool: PgPool) {
    let unhashed = app(pool.clone()).await;
    let response = unhashed.get("/pkg/passerelle.css").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-cache");

    let hashed = app_with(pool, &[], true).await;
    let response = hashed.get("/pkg/passerelle.css").await;
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );

    let missing = hashed.get("/pkg/nothing-here.js").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn public_files_are_served(pool: PgPool) {
    let app = app(pool).await;
    get_ok(&app, "/favicon.svg", "image/svg+xml").await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn unknown_pages_get_a_french_404(pool: PgPool) {
    let app = app(pool).await;
    let response = app.get("/cette-page-n-existe-pas").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = body_text(response).await;
    assert!(html.contains("Cette page est introuvable"));
    assert!(html.contains("name=\"robots\" content=\"noindex\""));
    assert!(html.contains("<html lang=\"fr\""));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn legal_pages_have_their_own_title_and_canonical(pool: PgPool) {
    let app = app(pool).await;
    for (path, title) in [
        ("/mentions-legales", "Mentions légales"),
        ("/confidentialite", "Politique de confidentialité"),
        ("/accessibilite", "Déclaration d&#x27;accessibilité"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = body_text(response).await;
        assert!(
            html.contains(&format!("<title>{title} · Passerelle</title>"))
                || html.contains(&format!(
                    "<title>{} · Passerelle</title>",
                    title.replace("&#x27;", "'")
                )),
            "{path} title"
        );
        assert!(html.contains(&format!(
            "<link href=\"http://localhost:3000{path}\" rel=\"canonical\">"
        )));
        assert_eq!(html.matches("<h1").count(), 1, "{path} has one h1");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn robots_and_sitemap_point_at_the_public_pages(pool: PgPool) {
    let app = app(pool).await;
    let robots = body_text(app.get("/robots.txt").await).await;
    assert!(robots.contains("Sitemap: http://localhost:3000/sitemap.xml"));
    assert!(robots.contains("Disallow: /api/"));

    let xml = body_text(get_ok(&app, "/sitemap.xml", "application/xml").await).await;
    for path in [
        "/",
        "/mentions-legales",
        "/confidentialite",
        "/accessibilite",
    ] {
        assert!(
            xml.contains(&format!("<loc>http://localhost:3000{path}</loc>")),
            "{path}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn probes_and_metrics(pool: PgPool) {
    let token = "un-jeton-de-supervision-assez-long-0123";
    let app = app_with(pool, &[("METRICS_TOKEN", token)], false).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);

    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(body["postgres"], "ok");
    assert_eq!(body["redis"], "ok");

    app.get("/mentions-legales").await;
    app.get("/mentions-legales").await;
    app.get("/une-page-au-hasard").await;
    let bearer = format!("Bearer {token}");
    let metrics = body_text(app.get_with("/metrics", "authorization", &bearer).await).await;
    assert!(metrics.contains("axum_http_requests_total"));
    // The second visit was served from the page cache.
    for result in ["hit", "miss"] {
        assert!(
            metrics.lines().any(|l| l
                == format!(
                    "passerelle_cache_requests_total{{cache=\"pages\",result=\"{result}\"}} 1"
                )),
            "{metrics}"
        );
    }
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("axum_http_requests_total")
                && l.contains("endpoint=\"/mentions-legales\"")
                && l.contains("status=\"200\"")),
        "{metrics}"
    );
    assert!(
        metrics
            .lines()
            .any(|l| l.contains("endpoint=\"unmatched\"") && l.contains("status=\"404\""))
    );
    assert!(
        !metrics.contains("une-page-au-hasard"),
        "unmatched paths share one label"
    );
    assert!(metrics.contains("axum_http_requests_duration_seconds_bucket"));
    assert!(metrics.contains("passerelle_db_pool_connections"));
}

fn newsletter_post(email: &str, accept: &str) -> Request<Body> {
    Request::post("/api/newsletter")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", accept)
        .header("origin", "http://localhost:3000")
        .header("sec-fetch-site", "same-origin")
        .header("referer", "http://localhost:3000/")
        .body(Body::from(format!("email={}", urlencode(email))))
        .unwrap()
}

/// Signs `email` up for the newsletter as the hydrated page does (JSON answer).
async fn subscribe(app: &TestApp, email: &str) -> Response {
    app.send(newsletter_post(email, "application/json")).await
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

async fn subscriber_count(pool: &PgPool) -> i64 {
    common::rows_in(pool, "newsletter_subscribers").await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn newsletter_api_validates_and_stores_once(pool: PgPool) {
    let app = app(pool.clone()).await;

    let response = subscribe(&app, "pas-une-adresse").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(header(&response, "content-type").contains("json"));
    let body: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(body["Invalid"]["field"], "email");
    assert!(
        common::invalid_message(&body).contains("adresse e-mail"),
        "{body}"
    );
    assert_eq!(subscriber_count(&pool).await, 0);

    let first = subscribe(&app, " Alice.Martin@Exemple.fr ").await;
    assert_eq!(first.status(), StatusCode::OK);
    let first_body = body_text(first).await;
    // Signing up again answers exactly the same: nothing to learn from it.
    let second = subscribe(&app, "alice.martin@exemple.fr").await;
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(body_text(second).await, first_body);

    let stored: Vec<String> = sqlx::query_scalar("SELECT email FROM newsletter_subscribers")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(stored, vec!["alice.martin@exemple.fr".to_owned()]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn newsletter_without_javascript_redirects_with_the_outcome(pool: PgPool) {
    let app = app(pool.clone()).await;
    let ok = app
        .send(newsletter_post(
            "bob@exemple.fr",
            "text/html,application/xhtml+xml",
        ))
        .await;
    assert!(ok.status().is_redirection(), "{}", ok.status());
    assert_eq!(header(&ok, "location"), "/?newsletter=merci#newsletter");
    assert_eq!(subscriber_count(&pool).await, 1);

    // The thank-you page shows the confirmation, server-rendered.
    let html = body_text(app.get("/?newsletter=merci").await).await;
    assert!(html.contains("Merci ! Confirmez votre inscription"));

    let bad = app.send(newsletter_post("bob@", "text/html")).await;
    assert!(bad.status().is_redirection());
    let location = header(&bad, "location").to_owned();
    assert!(location.contains("__err="), "{location}");
    // Following the redirect renders the French message under the field.
    let path = location.trim_start_matches("http://localhost:3000");
    let html = body_text(app.get(path).await).await;
    assert!(
        html.contains("Cette adresse e-mail n&#x27;est pas valide")
            || html.contains("Cette adresse e-mail n'est pas valide")
    );
    assert_eq!(subscriber_count(&pool).await, 1);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn cross_site_posts_are_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let response = app.send(common::cross_site_newsletter_post()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body = body_text(response).await;
    assert!(body.contains("ne provient pas de Passerelle"));
    assert_eq!(subscriber_count(&pool).await, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn oversized_bodies_are_refused(pool: PgPool) {
    let app = app_with(pool, &[("BODY_LIMIT_BYTES", "1024")], false).await;
    let response = app.send(common::oversized_newsletter_post()).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
