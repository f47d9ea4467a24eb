//! What the outside security review found (issue 12), each as the test that
//! failed before its fix: markup through `<title>`, open redirects, second
//! factor and password endpoints, client addresses behind proxies, the data
//! export and account deletion, costly input, headers on early answers,
//! private files, sessions, passwords, timing, newsletter, renames, secrets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode},
    response::Response,
};
use common::{
    Client, PASSWORD, TestApp, app, app_with, body_text, header, last_mail_to, organisation_owner,
    signed_in, totp_code, unique_email,
};
use sqlx::PgPool;
use std::net::SocketAddr;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// What an attacker puts in a title: it closes `<title>` and asks the
/// browser to go elsewhere.
const HOSTILE: &str =
    "Soudeur</title><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\"><title>x";

/// The `<head>` of a page, which must hold no markup from user text.
fn head_of(html: &str) -> &str {
    let end = html.find("</head>").expect("a <head>");
    &html[..end]
}

fn assert_inert_head(path: &str, html: &str) {
    let head = head_of(html);
    assert!(
        !head.to_ascii_lowercase().contains("<meta http-equiv"),
        "{path}: live markup in <head>: {head}"
    );
    assert_eq!(
        head.matches("<title>").count(),
        1,
        "{path}: one <title> only: {head}"
    );
    assert!(
        head.contains("&lt;/title&gt;"),
        "{path}: the title is escaped: {head}"
    );
}

/// `times` failed attempts already counted against `key` (before hashing).
async fn record_failures(pool: &PgPool, key: &str, times: i32) {
    sqlx::query("INSERT INTO auth_failures (key) SELECT $1 FROM generate_series(1, $2)")
        .bind(app::identity::auth::ssr::hash_token(key))
        .bind(times)
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn hostile_titles_stay_text_on_every_page_kind(pool: PgPool) {
    let app = app(pool.clone()).await;
    passerelle::seed::demo(&pool, &app.storage).await.unwrap();

    // Stored: one of each thing whose name becomes a page title.
    let hostile = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .bind(HOSTILE)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let offer = hostile(
        "UPDATE job_offers SET title = $1 WHERE id = (SELECT min(id) FROM job_offers WHERE status = 'published')
         RETURNING slug",
    )
    .await;
    let training = hostile(
        "UPDATE trainings SET title = $1 WHERE id = (SELECT min(id) FROM trainings WHERE status = 'published')
         RETURNING slug",
    )
    .await;
    let company = hostile(
        "UPDATE organisations SET name = $1 WHERE id = (SELECT min(id) FROM organisations
             WHERE kind = 'entreprise' AND status = 'approved') RETURNING slug",
    )
    .await;
    let centre = hostile(
        "UPDATE organisations SET name = $1 WHERE id = (SELECT min(id) FROM organisations
             WHERE kind = 'centre' AND status = 'approved') RETURNING slug",
    )
    .await;
    let article = hostile(
        "UPDATE articles SET title = $1 WHERE id = (SELECT min(id) FROM articles
             WHERE status IN ('published', 'scheduled') AND published_at <= now()) RETURNING slug",
    )
    .await;
    let category = hostile(
        "UPDATE blog_categories SET name = $1 WHERE id = (SELECT min(category_id) FROM articles
             WHERE status IN ('published', 'scheduled') AND published_at <= now()) RETURNING slug",
    )
    .await;
    let tag = hostile(
        "UPDATE blog_tags SET name = $1 WHERE id = (SELECT min(tag_id) FROM article_tags) RETURNING slug",
    )
    .await;
    sqlx::query("SELECT refresh_job_search(id) FROM job_offers")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("SELECT refresh_training_search(id) FROM trainings")
        .execute(&pool)
        .await
        .unwrap();

    // Reflected: the search text is in the title of the result page.
    let query: String = url::form_urlencoded::byte_serialize(HOSTILE.as_bytes()).collect();
    for path in [
        format!("/offres?q={query}"),
        format!("/formations?q={query}"),
        format!("/offres/{offer}"),
        format!("/formations/{training}"),
        format!("/entreprises/{company}"),
        format!("/centres/{centre}"),
        format!("/blog/{article}"),
        format!("/blog/categorie/{category}"),
        format!("/blog/tag/{tag}"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_inert_head(&path, &body_text(response).await);
    }
}

/// The `Location` of a sign-in with `next`, posted as a plain form.
async fn location_after_sign_in(client: &mut Client<'_>, email: &str, next: &str) -> String {
    client.post("/api/deconnexion", &[]).await;
    let response = client
        .post_html(
            "/api/connexion",
            &[("email", email), ("password", PASSWORD), ("next", next)],
        )
        .await;
    assert!(
        response.status().is_redirection(),
        "{next:?}: {}",
        response.status()
    );
    header(&response, "location").to_owned()
}

/// Tricks that make a browser leave the site from a path-looking `next`.
const REDIRECT_TRICKS: [&str; 20] = [
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/%0a/evil.example",
    "/\r\nSet-Cookie: x=1",
    "/%0d%0aSet-Cookie:%20x=1",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%2F/evil.example",
    "/%5C/evil.example",
    "/%252F%252Fevil.example",
    "/.//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\u{0}/evil.example",
    "/\u{7f}/evil.example",
    "/\u{200b}/evil.example",
    "evil.example",
    "/ok\u{0}",
];

/// Whether a browser following `location` stays on the site.
fn stays_on_site(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.contains('\\')
        && !location.contains("//")
        && location.bytes().all(|b| b.is_ascii_graphic())
        && !location.to_ascii_lowercase().contains("%2f%2f")
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_in_redirects_only_within_the_site(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, email) = common::account(&pool, Role::Candidate, "Renée Dirige", true).await;
    let mut client = Client::new(&app);
    assert_eq!(
        location_after_sign_in(&mut client, &email, "/formations?q=soudeur").await,
        "/formations?q=soudeur"
    );
    for trick in REDIRECT_TRICKS {
        if trick.contains('\0') {
            // Refused before any handler (PostgreSQL takes no NUL): no redirect at all.
            let body: String = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs([
                    ("email", email.as_str()),
                    ("password", PASSWORD),
                    ("next", trick),
                ])
                .finish();
            let response = client
                .app
                .send(
                    Request::post("/api/connexion")
                        .header("content-type", "application/x-www-form-urlencoded")
                        .header("origin", "http://localhost:3000")
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{trick:?}");
            continue;
        }
        let location = location_after_sign_in(&mut client, &email, trick).await;
        assert!(stays_on_site(&location), "{trick:?} led to {location:?}");
        assert_eq!(location, "/tableau-de-bord", "{trick:?}");
    }

    // The second step carries `next` along, encoded, and judges it again.
    let (_, admin_email) = common::account(&pool, Role::Admin, "Ada Min", true).await;
    let mut admin = Client::new(&app);
    common::sign_in_ready(&mut admin, &admin_email).await;
    let secret: String = {
        let sealed: String = common::user_column(&pool, &admin_email, "totp_secret").await;
        app::base::secrets::SecretBox::new(&[0; 32])
            .open(&sealed)
            .unwrap()
    };
    for (i, trick) in ["/%09/evil.example", "/\\evil.example", "/compte?a=1&b=2"]
        .into_iter()
        .enumerate()
    {
        let step = location_after_sign_in(&mut admin, &admin_email, trick).await;
        assert!(step.starts_with("/connexion/code?suivant="), "{step}");
        assert!(stays_on_site(&step), "{step}");
        let next = url::form_urlencoded::parse(step.split_once('?').unwrap().1.as_bytes())
            .find(|(k, _)| k == "suivant")
            .map(|(_, v)| v.into_owned())
            .unwrap();
        // Each step's code is accepted once: let this one be used again.
        sqlx::query("UPDATE users SET totp_last_step = 0 WHERE email = $1")
            .bind(&admin_email)
            .execute(&pool)
            .await
            .unwrap();
        let code = totp_code(&secret, 0);
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("code", code.as_str()), ("next", trick)])
            .finish();
        let request = Request::post("/api/connexion/code")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("origin", "http://localhost:3000")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", admin.cookie.clone().unwrap())
            .body(Body::from(body))
            .unwrap();
        let response = app.send(request).await;
        assert!(response.status().is_redirection(), "{trick:?}");
        let location = header(&response, "location");
        assert!(stays_on_site(location), "{trick:?} led to {location:?}");
        if i == 2 {
            assert_eq!(next, trick, "a same-site next survives the second step");
            assert_eq!(location, trick);
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn enabling_the_second_factor_needs_the_password_and_happens_once(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut user = signed_in(&app, Role::Candidate, "Hugo Vigilant").await;
    let status: serde_json::Value =
        serde_json::from_str(&body_text(user.post("/api/compte/2fa", &[]).await).await).unwrap();
    let secret = status["Setup"]["secret"].as_str().unwrap().to_owned();

    // A stolen session has the code generator of its choice, not the password.
    let code = totp_code(&secret, 0);
    for form in [
        vec![("code", code.as_str())],
        vec![("code", code.as_str()), ("password", "pas le mot de passe")],
    ] {
        let response = user.post("/api/compte/2fa/activer", &form).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let enabled_at: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
        "SELECT totp_enabled_at FROM users WHERE display_name = 'Hugo Vigilant'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(enabled_at.is_none());

    assert_eq!(
        user.enable_totp(code.as_str()).await.status(),
        StatusCode::OK
    );
    let codes_before: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT code_hash FROM recovery_codes ORDER BY code_hash")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(codes_before.len(), 10);

    // Calling it again neither re-enrols nor reissues the recovery codes.
    let again = user.enable_totp(&totp_code(&secret, 30)).await;
    common::assert_says(again, StatusCode::UNPROCESSABLE_ENTITY, "déjà activée").await;
    let codes_after: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT code_hash FROM recovery_codes ORDER BY code_hash")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(codes_before, codes_after);

    // The seed is stored encrypted, never in clear.
    let stored: String =
        sqlx::query_scalar("SELECT totp_secret FROM users WHERE display_name = 'Hugo Vigilant'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(stored.starts_with("v1:"), "{stored}");
    assert!(!stored.contains(&secret));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn seeds_stored_in_clear_are_sealed_at_start(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Candidate, "Ancien Compte", true).await;
    sqlx::query("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE email = $1")
        .bind(&email)
        .execute(&pool)
        .await
        .unwrap();
    let secrets = app::base::secrets::SecretBox::new(&[9; 32]);
    let sealed = app::identity::auth::two_factor::ssr::seal_plain_secrets(&pool, &secrets)
        .await
        .unwrap();
    assert_eq!(sealed, 1);
    let stored: String = common::user_column(&pool, &email, "totp_secret").await;
    assert_eq!(secrets.open(&stored).unwrap(), "JBSWY3DPEHPK3PXP");
    assert_eq!(
        app::identity::auth::two_factor::ssr::seal_plain_secrets(&pool, &secrets)
            .await
            .unwrap(),
        0,
        "sealed once"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn password_checks_are_limited_per_account_and_per_address(pool: PgPool) {
    // Per account: a stolen session guesses the password slower and slower,
    // whatever its address.
    let app = app(pool.clone()).await;
    let mut thief = signed_in(&app, Role::Candidate, "Iris Volée").await;
    for _ in 0..3 {
        let response = thief
            .change_password("mauvaise supposition", "une toute nouvelle phrase")
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Three more failures (as if made a moment ago): an 8 s delay, long
    // enough for the three calls below whatever the machine's speed.
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE display_name = 'Iris Volée'")
        .fetch_one(&pool)
        .await
        .unwrap();
    record_failures(&pool, &format!("confirm:{user_id}"), 3).await;
    for (path, form) in [
        (
            "/api/compte/supprimer",
            vec![("password", "mauvaise supposition")],
        ),
        (
            "/api/compte/2fa/desactiver",
            vec![("password", "mauvaise supposition")],
        ),
        (
            "/api/compte/mot-de-passe",
            vec![
                ("current_password", PASSWORD),
                ("new_password", "une toute nouvelle phrase"),
            ],
        ),
    ] {
        let response = thief.post(path, &form).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
    }

    // Per address: those endpoints share the sign-in's limit.
    let limited = app_with(
        pool.clone(),
        &[("AUTH_RATE_BURST", "2"), ("AUTH_RATE_REFILL_SECS", "60")],
        false,
    )
    .await;
    let mut client = signed_in(&limited, Role::Candidate, "Jade Pressée").await;
    // The sign-in itself took one of the two.
    let first = client
        .post("/api/compte/supprimer", &[("password", "essai")])
        .await;
    assert_eq!(first.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for path in ["/api/compte/supprimer", "/api/compte/2fa/desactiver"] {
        let response = client.post(path, &[("password", "essai")]).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn second_factor_failures_count_per_account_across_sessions(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, email) = common::account(&pool, Role::Admin, "Léon Tenace", true).await;
    common::sign_in_ready(&mut Client::new(&app), &email).await;
    // Each new sign-in gives a fresh session with five tries of its own;
    // the account's count goes on.
    let user_id: i64 = common::user_column(&pool, &email, "id").await;
    for attempt in 0..3 {
        let mut session = Client::signed_in_as(&app, &email).await;
        let status = session
            .post("/api/connexion/code", &[("code", "000000")])
            .await
            .status();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "try {attempt}");
    }
    let failures: i64 = sqlx::query_scalar("SELECT count(*) FROM auth_failures WHERE key = $1")
        .bind(app::identity::auth::ssr::hash_token(&format!(
            "2fa:{user_id}"
        )))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(failures, 3, "counted for the account, not the session");
    // Two more (an 4 s delay, whatever the machine's speed), then a new session.
    record_failures(&pool, &format!("2fa:{user_id}"), 2).await;
    let mut session = Client::signed_in_as(&app, &email).await;
    let last = session
        .post("/api/connexion/code", &[("code", "000000")])
        .await
        .status();
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

/// A sign-in attempt as it reaches the server from `peer`, with headers.
fn attempt_from(peer: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post("/api/connexion")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", "http://localhost:3000")
        .header("sec-fetch-site", "same-origin");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    // A new address each time: only the per-address limit is at play.
    let email: String =
        url::form_urlencoded::byte_serialize(unique_email("personne").as_bytes()).collect();
    let mut request = request
        .body(Body::from(format!("email={email}&password=x")))
        .unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn rate_limits_follow_the_client_behind_trusted_proxies(pool: PgPool) {
    let app = app_with(
        pool,
        &[
            ("AUTH_RATE_BURST", "2"),
            ("AUTH_RATE_REFILL_SECS", "60"),
            ("TRUSTED_PROXIES", "10.0.0.0/8"),
        ],
        false,
    )
    .await;
    let status = |response: axum::response::Response| response.status();
    let proxy = "10.0.0.1:443";
    // One client behind the proxy uses its attempts…
    for _ in 0..2 {
        let response = app
            .send(attempt_from(proxy, &[("x-forwarded-for", "203.0.113.7")]))
            .await;
        assert_ne!(status(response), StatusCode::TOO_MANY_REQUESTS);
    }
    let response = app
        .send(attempt_from(proxy, &[("x-forwarded-for", "203.0.113.7")]))
        .await;
    assert_eq!(status(response), StatusCode::TOO_MANY_REQUESTS);
    // …and another client behind the same proxy is not locked out with it.
    let response = app
        .send(attempt_from(
            proxy,
            &[("forwarded", "for=198.51.100.20;proto=https")],
        ))
        .await;
    assert_ne!(status(response), StatusCode::TOO_MANY_REQUESTS);

    // Outside the trusted list, a forged header changes nothing.
    for forged in ["192.0.2.1", "192.0.2.2"] {
        let response = app
            .send(attempt_from(
                "198.51.100.99:5000",
                &[("x-forwarded-for", forged)],
            ))
            .await;
        assert_ne!(status(response), StatusCode::TOO_MANY_REQUESTS);
    }
    let response = app
        .send(attempt_from(
            "198.51.100.99:5000",
            &[("x-forwarded-for", "192.0.2.3")],
        ))
        .await;
    assert_eq!(status(response), StatusCode::TOO_MANY_REQUESTS);

    // IPv6: one /64 is one customer.
    for host in ["[2001:db8:0:1::a]:1", "[2001:db8:0:1::b]:1"] {
        let response = app.send(attempt_from(host, &[])).await;
        assert_ne!(status(response), StatusCode::TOO_MANY_REQUESTS);
    }
    let response = app.send(attempt_from("[2001:db8:0:1::c]:1", &[])).await;
    assert_eq!(status(response), StatusCode::TOO_MANY_REQUESTS);
    let response = app.send(attempt_from("[2001:db8:0:2::a]:1", &[])).await;
    assert_ne!(status(response), StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_export_covers_every_table_that_points_at_a_user(pool: PgPool) {
    // Every foreign key to users(id) in the schema…
    let references: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, a.attname::text
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
         WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass
         ORDER BY 1, 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(references.len() >= 20, "{references:?}");
    // …is read by the export.
    let exported: Vec<(String, String)> = app::identity::account::ssr::USER_TABLES
        .iter()
        .map(|t| (t.table.to_owned(), t.column.to_owned()))
        .collect();
    let missing: Vec<_> = references
        .iter()
        .filter(|reference| !exported.contains(reference))
        .collect();
    assert!(
        missing.is_empty(),
        "tables holding a user that the export leaves out (add them to USER_TABLES): {missing:?}"
    );

    // And a candidate's records all come out.
    let app = app(pool.clone()).await;
    let (mut recruiter, company, _) =
        common::approved_company(&app, "Forges Export", "Rita Cruteuse").await;
    let (offer, _) = common::live_offer(&pool, company, "Forgeron ou forgeronne", "platform").await;
    let mut me = signed_in(&app, Role::Candidate, "Noé Exporte").await;
    me.upload_cv("mon-cv.pdf", b"%PDF-1.7\n% CV\n").await;
    let offer_id = offer.to_string();
    assert_eq!(
        me.post("/api/offres/favori", &[("offer_id", &offer_id)])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        me.post(
            "/api/alertes/enregistrer",
            &[
                ("query", "q=forgeron"),
                ("label", ""),
                ("frequency", "daily")
            ]
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        me.post(
            "/api/offres/signaler",
            &[
                ("offer_id", &offer_id),
                ("reason", "inexacte"),
                ("details", "Le salaire manque.")
            ]
        )
        .await
        .status(),
        StatusCode::OK
    );
    let _ = &mut recruiter;
    let data: serde_json::Value =
        serde_json::from_str(&body_text(me.get("/compte/donnees.json").await).await).unwrap();
    for section in [
        "files",
        "candidate_profile",
        "saved_offers",
        "alerts",
        "reports_filed",
        "sessions",
    ] {
        assert!(
            data[section]
                .as_array()
                .is_some_and(|rows| !rows.is_empty()),
            "{section}: {}",
            data[section]
        );
    }
    assert_eq!(data["reports_filed"][0]["details"], "Le salaire manque.");
    let text = data.to_string();
    for secret in ["token_hash", "code_hash", "storage_key", "password_hash"] {
        assert!(!text.contains(secret), "{secret} in the export");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_deleted_candidate_leaves_no_cv_and_no_words(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, company, _) = common::approved_company(&app, "Forges Oubli", "Rémi Cruteur").await;
    let (offer, _) =
        common::live_offer(&pool, company, "Chaudronnier ou chaudronnière", "platform").await;
    let mut me = signed_in(&app, Role::Candidate, "Gaspard Oubliable").await;
    let media_id = me
        .upload_cv(
            "cv-gaspard-oubliable.pdf",
            b"%PDF-1.7\n% CV de Gaspard Oubliable\n",
        )
        .await;
    let key: String = common::column(&pool, "media", "storage_key", media_id).await;
    assert!(app.storage.get(&key).await.unwrap().is_some());
    let report = me
        .report_offer(
            offer,
            "autre",
            "Signalé par Gaspard Oubliable, 06 12 34 56 78",
        )
        .await;
    assert_eq!(report, StatusCode::OK);

    let deleted = me
        .post("/api/compte/supprimer", &[("password", PASSWORD)])
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);

    for needle in ["Oubliable", "06 12 34 56 78"] {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'character varying')",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        for (table, column) in columns {
            let found: i64 = sqlx::query_scalar(&format!(
                "SELECT count(*) FROM \"{table}\" WHERE \"{column}\"::text ILIKE '%' || $1 || '%'"
            ))
            .bind(needle)
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(found, 0, "{needle:?} left in {table}.{column}");
        }
    }
    assert!(
        app.storage.get(&key).await.unwrap().is_none(),
        "the file is gone"
    );
    let reports = common::rows_in(&pool, "offer_reports").await;
    assert_eq!(
        reports, 1,
        "the report stays for the moderators, without its words"
    );

    // Not even an admin can fetch it.
    let mut admin = signed_in(&app, Role::Admin, "Ada Ministre").await;
    let response = admin.get(&format!("/medias/prive/{media_id}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// The same app over a pool whose statements stop after `timeout_ms`: a
/// request whose database work is not bounded fails with it.
async fn app_with_statement_timeout(pool: &PgPool, timeout_ms: u32) -> TestApp {
    let options = (*pool.connect_options())
        .clone()
        .options([("statement_timeout", timeout_ms.to_string())]);
    let short = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .unwrap();
    app(short).await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn long_place_names_and_searches_cost_no_database_time(pool: PgPool) {
    passerelle::communes::import(&pool).await.unwrap();
    let app = app_with_statement_timeout(&pool, 1_000).await;
    let long_place: String = "Saint-Rémy-en-Bouzemont-".repeat(170);
    let encoded: String = url::form_urlencoded::byte_serialize(long_place.as_bytes()).collect();
    let response = app.get(&format!("/api/communes?q={encoded}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "[]");
    // A normal place still resolves within the same budget.
    let response = app.get("/api/communes?q=Lyon").await;
    common::assert_says(response, StatusCode::OK, "Lyon").await;

    let long_text: String =
        url::form_urlencoded::byte_serialize("développeur web ".repeat(250).as_bytes()).collect();
    for path in [
        format!("/offres?lieu={encoded}"),
        format!("/formations?lieu={encoded}&rayon=100"),
        format!("/offres?q={long_text}"),
        format!("/formations?q={long_text}"),
    ] {
        let response = app.get(&path).await;
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
    }
}

/// A PNG header claiming `side` × `side` pixels (the data is one pixel).
fn png_claiming(side: u32) -> Vec<u8> {
    let mut bytes = common::png(1, 1, 3);
    bytes[16..20].copy_from_slice(&side.to_be_bytes());
    bytes[20..24].copy_from_slice(&side.to_be_bytes());
    let mut crc = 0xFFFF_FFFFu32;
    for byte in &bytes[12..29] {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    let crc = !crc;
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn logos_need_an_approved_organisation_and_a_sane_canvas(pool: PgPool) {
    let app = app(pool.clone()).await;
    let logo = common::png(64, 64, 5);
    let (mut pending, _, _) = organisation_owner(
        &app,
        "entreprise",
        "pending",
        "Ateliers en attente",
        "Paul Endant",
    )
    .await;
    let response = pending
        .post_logo("/api/entreprise/logo", &logo, "application/json")
        .await;
    common::assert_says(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validé votre organisation",
    )
    .await;

    let (mut approved, company, owner_email) =
        common::approved_company(&app, "Ateliers validés", "Val Idée").await;
    let response = approved
        .post_file(
            "/api/entreprise/logo",
            "geant.png",
            &png_claiming(7_000),
            "application/json",
        )
        .await;
    common::assert_says(response, StatusCode::UNPROCESSABLE_ENTITY, "40 mégapixels").await;

    // An unverified member may not upload either.
    sqlx::query("UPDATE users SET email_verified_at = NULL WHERE email = $1")
        .bind(&owner_email)
        .execute(&pool)
        .await
        .unwrap();
    let response = approved
        .post_logo("/api/entreprise/logo", &logo, "application/json")
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let logos: Option<i64> = common::column(&pool, "organisations", "logo_media_id", company).await;
    assert_eq!(logos, None);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn metrics_are_for_the_scraper_only(pool: PgPool) {
    let closed = app(pool.clone()).await;
    assert_eq!(closed.get("/metrics").await.status(), StatusCode::NOT_FOUND);

    let token = "jeton-de-supervision-0123456789abcdef";
    let app = app_with(pool, &[("METRICS_TOKEN", token)], false).await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::UNAUTHORIZED);
    let wrong = "Bearer jeton-de-supervision-0123456789abcdeX";
    let response = app.get_with("/metrics", "authorization", wrong).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let right = format!("Bearer {token}");
    let response = app.get_with("/metrics", "authorization", &right).await;
    common::assert_says(response, StatusCode::OK, "passerelle_db_pool_connections").await;
}

fn assert_security_headers(what: &str, response: &axum::response::Response) {
    for name in [
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "content-security-policy",
    ] {
        assert!(
            !header(response, name).is_empty(),
            "{what}: no {name} header"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn early_answers_carry_the_security_headers(pool: PgPool) {
    let app = app_with(pool, &[("BODY_LIMIT_BYTES", "1024")], false).await;
    let response = app.send(common::cross_site_newsletter_post()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_security_headers("CSRF refusal", &response);

    let response = app.send(common::oversized_newsletter_post()).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_security_headers("413", &response);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn private_files_are_downloads_in_a_sandbox(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut me = signed_in(&app, Role::Candidate, "Bérénice Pdf").await;
    let id = me
        .upload_cv("cv.pdf", b"%PDF-1.7\n% <script>alert(1)</script>\n")
        .await;
    let response = me.get(&format!("/medias/prive/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-disposition").starts_with("attachment"));
    let csp = header(&response, "content-security-policy");
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sessions_slide_while_used_and_end_when_idle_or_too_old(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut me = signed_in(&app, Role::Candidate, "Sacha Veille").await;
    let who = |response: String| -> serde_json::Value { serde_json::from_str(&response).unwrap() };

    // Used after ten quiet minutes: the session is saved again (new deadline).
    sqlx::query("UPDATE user_sessions SET last_seen_at = now() - interval '10 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    let response = me.post("/api/moi", &[]).await;
    assert!(
        header(&response, "set-cookie").starts_with("passerelle_session="),
        "the cookie's deadline slides"
    );
    assert!(who(body_text(response).await).is_object());
    let fresh: bool =
        sqlx::query_scalar("SELECT last_seen_at > now() - interval '1 minute' FROM user_sessions")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(fresh);

    // Idle past the limit (two hours by default): signed out.
    sqlx::query("UPDATE user_sessions SET last_seen_at = now() - interval '3 hours'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(who(body_text(me.post("/api/moi", &[]).await).await).is_null());
    let revoked: bool = sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM user_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(revoked);

    // Active all along, but signed in thirteen hours ago: signed out too.
    let mut busy = signed_in(&app, Role::Candidate, "Sam Actif").await;
    sqlx::query(
        "UPDATE user_sessions SET created_at = now() - interval '13 hours', last_seen_at = now()
         WHERE revoked_at IS NULL",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert!(who(body_text(busy.post("/api/moi", &[]).await).await).is_null());

    // The worker forgets sessions long gone.
    sqlx::query("UPDATE user_sessions SET revoked_at = now() - interval '31 days'")
        .execute(&pool)
        .await
        .unwrap();
    app::worker::forget_old_records(&pool).await.unwrap();
    let left = common::rows_in(&pool, "user_sessions").await;
    assert_eq!(left, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_production_cookie_is_host_only(pool: PgPool) {
    let key = "k".repeat(64);
    let data_key = "ab".repeat(32);
    let app = app_with(
        pool.clone(),
        &[
            ("PASSERELLE_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://passerelle.example"),
            ("SESSION_KEY", &key),
            ("DATA_ENCRYPTION_KEY", &data_key),
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
    let (_, email) = common::account(&pool, Role::Candidate, "Hortense Hôte", true).await;
    let body = format!(
        "email={}&password={}",
        url::form_urlencoded::byte_serialize(email.as_bytes()).collect::<String>(),
        url::form_urlencoded::byte_serialize(PASSWORD.as_bytes()).collect::<String>()
    );
    let request = Request::post("/api/connexion")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://passerelle.example")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = header(&response, "set-cookie");
    assert!(cookie.starts_with("__Host-passerelle_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn passwords_on_lists_or_built_on_the_person_are_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut visitor = Client::new(&app);
    for (password, expected) in [
        ("azertyuiop2026!", "trop courant"),
        ("password123456", "trop courant"),
        ("Capucine Lenoir 1990", "ni votre nom"),
        ("capucine.lenoir!!", "ni votre nom"),
    ] {
        let response = visitor
            .sign_up(
                "candidat",
                "Capucine Lenoir",
                "capucine.lenoir@exemple.fr",
                password,
                None,
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{password}"
        );
        assert!(body_text(response).await.contains(expected), "{password}");
    }
    // The same rules when changing it.
    let mut me = signed_in(&app, Role::Candidate, "Maxence Turpin").await;
    let response = me.change_password(PASSWORD, "turpin et compagnie").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_reset_request_answers_before_any_look_up(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, email) = common::account(&pool, Role::Candidate, "Olga Blieuse", true).await;
    // While the tables the work needs are locked, the answer still comes:
    // it did not wait for them, so its timing cannot tell known from unknown.
    let mut lock = pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE users, email_tokens IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let mut client = Client::new(&app);
    for address in [email.as_str(), "personne@exemple.fr"] {
        let answer = tokio::time::timeout(
            std::time::Duration::from_secs(3),
            client.post("/api/mot-de-passe-oublie", &[("email", address)]),
        )
        .await
        .expect("answered without waiting for the database");
        assert_eq!(answer.status(), StatusCode::OK);
    }
    lock.rollback().await.unwrap();
    // The link still goes out, once the work could run.
    common::assert_mailed(&email, "Réinitialisez", "/reinitialiser?jeton=").await;
}

/// Confirms a newsletter subscription with `token`, as the confirmation
/// page's button does.
async fn confirm_newsletter(client: &mut Client<'_>, token: &str) -> Response {
    let form = [("action", "confirmer"), ("token", token)];
    client.post("/api/newsletter/lien", &form).await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_newsletter_asks_for_confirmation_and_every_mail_unsubscribes(pool: PgPool) {
    let app = app(pool.clone()).await;
    let email = unique_email("lettre");
    let mut visitor = Client::new(&app);
    let response = visitor.post("/api/newsletter", &[("email", &email)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let confirmed: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT confirmed_at FROM newsletter_subscribers WHERE email = $1")
            .bind(&email)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        confirmed.is_none(),
        "nothing is sent before the owner confirms"
    );

    let (subject, text) = last_mail_to(&email).await;
    assert!(subject.contains("Confirmez"), "{subject}");
    let link = |path: &str| -> String {
        let marker = format!("{path}?jeton=");
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("{path} in {text}"))
            + marker.len();
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect()
    };
    let confirm = link("/newsletter/confirmation");
    let unsubscribe = link("/newsletter/desabonnement");

    // The page asks for a click; the click confirms.
    let page = body_text(
        visitor
            .get(&format!("/newsletter/confirmation?jeton={confirm}"))
            .await,
    )
    .await;
    assert!(page.contains("Confirmer mon inscription"));
    let response = confirm_newsletter(&mut visitor, &confirm).await;
    assert_eq!(response.status(), StatusCode::OK);
    let confirmed: bool = sqlx::query_scalar(
        "SELECT confirmed_at IS NOT NULL FROM newsletter_subscribers WHERE email = $1",
    )
    .bind(&email)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(confirmed);
    let again = confirm_newsletter(&mut visitor, &confirm).await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "single use"
    );

    // RFC 8058 one-click unsubscribe, from the mail provider.
    let request = Request::post(format!("/newsletter/desabonnement?jeton={unsubscribe}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("List-Unsubscribe=One-Click"))
        .unwrap();
    assert_eq!(app.send(request).await.status(), StatusCode::OK);
    let left: i64 =
        sqlx::query_scalar("SELECT count(*) FROM newsletter_subscribers WHERE email = $1")
            .bind(&email)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(left, 0);
    let tokens_in_clear = common::unsubscribe_tokens_in_clear(&pool, &unsubscribe).await;
    assert_eq!(tokens_in_clear, 0);
}

/// Saves the page of `client`'s company under `name`.
async fn save_company_page(client: &mut Client<'_>, name: &str) -> Response {
    client
        .post(
            "/api/organisation/fiche/enregistrer",
            &[
                ("kind", "entreprise"),
                ("profile[name]", name),
                ("profile[description]", "Menuiserie artisanale."),
            ],
        )
        .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_renamed_approved_organisation_waits_for_review(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, company, _) =
        common::approved_company(&app, "Menuiserie Martin", "Mathilde Martin").await;
    let slug: String = common::column(&pool, "organisations", "slug", company).await;

    // A member edits the page, but not the name.
    let (_, member_email) =
        common::organisation_member(&pool, company, Role::Recruiter, "Marc Membre").await;
    let mut member = Client::signed_in_as(&app, &member_email).await;
    let response = save_company_page(&mut member, "Menuiserie Martin").await;
    assert_eq!(response.status(), StatusCode::OK);
    common::assert_says(
        save_company_page(&mut member, "Arnaques en tous genres").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Seul le responsable",
    )
    .await;
    // Members do not invite either.
    let response = member.invite(company, "quelquun@exemple.fr").await;
    assert!(
        response.status() == StatusCode::FORBIDDEN || response.status() == StatusCode::NOT_FOUND,
        "{}",
        response.status()
    );

    // The owner renames: the public page keeps the approved name meanwhile.
    let response = save_company_page(&mut owner, "Menuiserie Martin & Fils").await;
    assert_eq!(response.status(), StatusCode::OK);
    let public = body_text(app.get(&format!("/entreprises/{slug}")).await).await;
    assert!(public.contains("Menuiserie Martin"));
    assert!(!public.contains("Martin &amp; Fils"), "not before review");
    let pending: Option<String> =
        common::column(&pool, "organisations", "pending_name", company).await;
    assert_eq!(pending.as_deref(), Some("Menuiserie Martin & Fils"));

    // An admin accepts it; the journal says which organisation and what.
    let mut admin = signed_in(&app, Role::Admin, "Alice Modère").await;
    let queue = body_text(admin.post("/api/admin/organisations/renommages", &[]).await).await;
    assert!(queue.contains("Menuiserie Martin & Fils"), "{queue}");
    let response = admin
        .post(
            "/api/admin/organisations/renommage",
            &[("id", &company.to_string()), ("decision", "approve")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let public = body_text(app.get(&format!("/entreprises/{slug}")).await).await;
    assert!(public.contains("Menuiserie Martin &amp; Fils"));
    let detail: serde_json::Value = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE event = 'organisation.rename_reviewed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(detail["organisation"], company);
    assert_eq!(detail["to"], "Menuiserie Martin & Fils");
}
