//! `/tableau-de-bord`, where sign-in lands: each role's blocks with their
//! counts, the walls between organisations, and the way there (sign-in with
//! or without `next`, the second factor, the e-mail confirmation).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::http::StatusCode;
use common::{Client, PASSWORD, app, body_text, header, signed_in, signed_in_account, totp_code};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// The home's data, as the page loads it.
async fn home(client: &mut Client<'_>) -> Value {
    client.call_ok("/api/tableau-de-bord", &[]).await
}

/// The page's HTML, which must answer 200.
async fn page(client: &mut Client<'_>) -> String {
    let response = client.get("/tableau-de-bord").await;
    assert_eq!(response.status(), StatusCode::OK);
    body_text(response).await
}

/// Whether `html` shows the figure `key` with `count`.
fn shows(html: &str, key: &str, count: i64) -> bool {
    html.contains(&format!(r#"data-figure="{key}" data-count="{count}""#))
}

/// A published offer of `company` expiring `days` from now.
async fn offer(pool: &PgPool, company: i64, title: &str, days: i32) -> i64 {
    let (id, _) = common::live_offer(pool, company, title, "platform").await;
    sqlx::query(
        "UPDATE job_offers SET expires_at = now() + make_interval(days => $2) WHERE id = $1",
    )
    .bind(id)
    .bind(days)
    .execute(pool)
    .await
    .unwrap();
    id
}

/// An application of a new candidate to `offer`: its id.
async fn application(pool: &PgPool, offer: i64) -> i64 {
    let (candidate, _) = common::account(pool, Role::Candidate, "Camille Candidate", true).await;
    applied(pool, candidate, offer).await
}

async fn applied(pool: &PgPool, candidate: i64, offer: i64) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO applications (offer_id, candidate_id) VALUES ($1, $2) RETURNING id",
    )
    .bind(offer)
    .bind(candidate)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A training of `centre` with `status`, and a session starting in `starts_in` days.
async fn training(pool: &PgPool, centre: i64, status: &str, starts_in: i32) -> (i64, i64) {
    let training: i64 = sqlx::query_scalar(
        "INSERT INTO trainings (centre_id, title, summary, modality, duration_hours, price_cents, status, published_at)
         VALUES ($1, 'Soudure TIG', 'Souder.', 'presentiel', 35, 0, $2,
                 CASE WHEN $2 = 'published' THEN now() END)
         RETURNING id",
    )
    .bind(centre)
    .bind(status)
    .fetch_one(pool)
    .await
    .unwrap();
    let session: i64 = sqlx::query_scalar(
        "INSERT INTO training_sessions (training_id, starts_on, ends_on, seats)
         VALUES ($1, current_date + $2, current_date + $2 + 5, 10) RETURNING id",
    )
    .bind(training)
    .bind(starts_in)
    .fetch_one(pool)
    .await
    .unwrap();
    (training, session)
}

/// An enrolment request of `candidate` for `session` of `training`, with `status`.
async fn request(pool: &PgPool, candidate: i64, (training, session): (i64, i64), status: &str) {
    sqlx::query(
        "INSERT INTO enrolment_requests (training_id, session_id, candidate_id, status)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(training)
    .bind(session)
    .bind(candidate)
    .bind(status)
    .execute(pool)
    .await
    .unwrap();
}

/// The organisation blocks of a home: (id, kind, status, to_handle, live, soon).
fn organisations(home: &Value) -> Vec<(i64, String, String, Option<i64>, i64, i64)> {
    home["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_i64().unwrap(),
                o["kind"].as_str().unwrap().to_owned(),
                o["status"].as_str().unwrap().to_owned(),
                o["to_handle"].as_i64(),
                o["live"].as_i64().unwrap(),
                o["soon"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn visitors_are_sent_to_sign_in_and_come_back(pool: PgPool) {
    let app = app(pool).await;
    let mut visitor = Client::new(&app);
    let response = visitor.get("/tableau-de-bord").await;
    assert!(response.status().is_redirection());
    assert_eq!(
        header(&response, "location"),
        "/connexion?suivant=/tableau-de-bord"
    );
    let (status, _) = visitor.call("/api/tableau-de-bord", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_in_lands_on_the_home_unless_a_safe_next_is_given(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (id, email) = common::account(&pool, Role::Candidate, "Inès Candidate", true).await;
    let mut browser = Client::new(&app);

    // The hydrated form, then a browser without JavaScript.
    let response = browser.sign_in(&email, PASSWORD).await;
    assert_eq!(header(&response, "location"), "/tableau-de-bord");
    for (next, lands) in [
        (None, "/tableau-de-bord"),
        (Some("/offres?q=soudeur"), "/offres?q=soudeur"),
        (Some("//evil.example"), "/tableau-de-bord"),
    ] {
        browser.post("/api/deconnexion", &[]).await;
        let mut form = vec![("email", email.as_str()), ("password", PASSWORD)];
        form.extend(next.map(|next| ("next", next)));
        let response = browser.post_html("/api/connexion", &form).await;
        assert!(response.status().is_redirection(), "{next:?}");
        assert_eq!(header(&response, "location"), lands, "{next:?}");
    }
    assert!(page(&mut browser).await.contains("Tableau de bord"));

    // With a second factor: the code step carries the home along, and
    // without `next` lands there too.
    let status = browser.call_ok("/api/compte/2fa", &[]).await;
    let secret = status["Setup"]["secret"].as_str().unwrap().to_owned();
    assert_eq!(
        browser.enable_totp(&totp_code(&secret, 0)).await.status(),
        StatusCode::OK
    );
    for next in [Some("/tableau-de-bord"), None] {
        browser.post("/api/deconnexion", &[]).await;
        let response = browser.sign_in(&email, PASSWORD).await;
        assert_eq!(
            header(&response, "location"),
            "/connexion/code?suivant=/tableau-de-bord"
        );
        // Each time step's code is accepted once: let this one be used again.
        sqlx::query("UPDATE users SET totp_last_step = 0 WHERE id = $1")
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        let code = totp_code(&secret, 0);
        let mut form = vec![("code", code.as_str())];
        form.extend(next.map(|next| ("next", next)));
        let response = browser.post_html("/api/connexion/code", &form).await;
        assert!(response.status().is_redirection(), "{next:?}");
        assert_eq!(header(&response, "location"), "/tableau-de-bord");
    }
    assert_eq!(home(&mut browser).await["display_name"], "Inès Candidate");

    // Confirming the address while signed in comes back here, which says so.
    sqlx::query("UPDATE users SET email_verified_at = NULL WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let html = page(&mut browser).await;
    assert!(html.contains(r#"data-block="verification""#));
    assert!(html.contains("Renvoyer le lien"));
    let token = {
        let (token, hash) = app::identity::auth::ssr::new_token();
        sqlx::query(
            "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at)
             VALUES ($1, $2, 'verify_email', now() + interval '1 hour')",
        )
        .bind(hash)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
        token
    };
    let response = browser
        .post_html("/api/verifier-email", &[("token", &token)])
        .await;
    assert_eq!(header(&response, "location"), "/tableau-de-bord?verifie=1");
    let response = browser.get("/tableau-de-bord?verifie=1").await;
    let html = body_text(response).await;
    assert!(html.contains("Merci, votre adresse est confirmée."));
    assert!(!html.contains(r#"data-block="verification""#));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn admins_go_on_to_the_back_office(pool: PgPool) {
    let app = app(pool).await;
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let response = admin.get("/tableau-de-bord").await;
    assert!(response.status().is_redirection());
    assert_eq!(header(&response, "location"), "/admin");
    let home = home(&mut admin).await;
    assert_eq!(home["admin"], true);
    assert_eq!(home["candidate"], Value::Null);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_recruiter_sees_what_waits_in_their_company_only(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut rita, atelier, _) =
        common::approved_company(&app, "Atelier Rhône", "Rita Recruteuse").await;
    let soudeur = offer(&pool, atelier, "Soudeur TIG", 3).await;
    let tourneur = offer(&pool, atelier, "Tourneur fraiseur", 40).await;
    offer(&pool, atelier, "Offre expirée", -2).await;
    let first = application(&pool, soudeur).await;
    application(&pool, tourneur).await;

    // Another company, with more of everything.
    let (mut bruno, autre, _) =
        common::organisation_owner(&app, "entreprise", "pending", "Chantiers Bretons", "Bruno")
            .await;
    let theirs = offer(&pool, autre, "Charpentier", 2).await;
    for _ in 0..5 {
        application(&pool, theirs).await;
    }

    let mine = organisations(&home(&mut rita).await);
    assert_eq!(
        mine,
        [(
            atelier,
            "entreprise".to_owned(),
            "approved".to_owned(),
            Some(2),
            2,
            1
        )]
    );
    let html = page(&mut rita).await;
    assert!(shows(&html, "to_handle", 2));
    assert!(shows(&html, "soon", 1));
    assert!(shows(&html, "live", 2));
    assert!(html.contains("/tableau-de-bord/candidatures-recues"));
    assert!(html.contains("Publier une offre"));
    assert!(html.contains(r#"data-org-status="approved""#));
    assert!(!html.contains("Chantiers Bretons"));
    assert!(!html.contains(&format!(r#"data-organisation="{autre}""#)));
    assert!(!html.contains(r#"data-block="profile""#));

    // One application moves on: one is left to handle.
    rita.call_ok(
        "/api/entreprise/candidatures/etape",
        &[("id", &first.to_string()), ("status", "in_review")],
    )
    .await;
    assert_eq!(organisations(&home(&mut rita).await)[0].3, Some(1));
    assert!(shows(&page(&mut rita).await, "to_handle", 1));

    // The other company sees its own, pending.
    let theirs = organisations(&home(&mut bruno).await);
    assert_eq!(
        theirs,
        [(
            autre,
            "entreprise".to_owned(),
            "pending".to_owned(),
            Some(5),
            1,
            1
        )]
    );
    let html = page(&mut bruno).await;
    assert!(html.contains("attend la validation"));
    assert!(!html.contains("Atelier Rhône"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_centre_member_sees_requests_trainings_and_sessions(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut nadia, centre, _) =
        common::organisation_owner(&app, "centre", "approved", "Institut Lumière", "Nadia").await;
    let soon = training(&pool, centre, "published", 10).await;
    let later = training(&pool, centre, "published", 60).await;
    training(&pool, centre, "draft", 5).await;
    for status in ["new", "new", "new", "in_review"] {
        let (candidate, _) = common::account(&pool, Role::Candidate, "Léa", true).await;
        request(&pool, candidate, soon, status).await;
    }
    // Another centre's request never counts here.
    let (other, _) =
        common::organisation(&pool, "centre", "approved", "Autre Centre", "Omar").await;
    let elsewhere = training(&pool, other, "published", 3).await;
    let (candidate, _) = common::account(&pool, Role::Candidate, "Léo", true).await;
    request(&pool, candidate, elsewhere, "new").await;
    request(&pool, candidate, later, "withdrawn").await;

    let home = home(&mut nadia).await;
    assert_eq!(
        organisations(&home),
        [(
            centre,
            "centre".to_owned(),
            "approved".to_owned(),
            Some(3),
            2,
            1
        )]
    );
    assert_eq!(home["candidate"], Value::Null);
    let html = page(&mut nadia).await;
    assert!(shows(&html, "to_handle", 3));
    assert!(shows(&html, "soon", 1));
    assert!(shows(&html, "live", 2));
    assert!(html.contains("/tableau-de-bord/demandes"));
    assert!(!html.contains("Autre Centre"));
    // The centre's navigation starts at this home.
    assert!(html.contains(r#"aria-label="Espace centre""#));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_candidate_sees_profile_applications_requests_and_saved_searches(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut ines, _, ines_id) = signed_in_account(&app, Role::Candidate, "Inès Candidate").await;
    let (mut rita, company, _) = common::approved_company(&app, "Atelier Nord", "Rita").await;
    let first = offer(&pool, company, "Soudeur TIG", 30).await;
    let second = offer(&pool, company, "Chaudronnier", 30).await;
    let moved = applied(&pool, ines_id, first).await;
    applied(&pool, ines_id, second).await;
    let (centre, _) = common::organisation(&pool, "centre", "approved", "Institut", "Nadia").await;
    let session = training(&pool, centre, "published", 20).await;
    request(&pool, ines_id, session, "new").await;
    sqlx::query("INSERT INTO saved_offers (user_id, offer_id) VALUES ($1, $2)")
        .bind(ines_id)
        .bind(second)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO saved_trainings (user_id, training_id) VALUES ($1, $2)")
        .bind(ines_id)
        .bind(session.0)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO saved_searches (user_id, label, query) VALUES ($1, 'Soudeur', 'q=soudeur')",
    )
    .bind(ines_id)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO candidate_profiles (user_id, headline) VALUES ($1, 'Soudeuse TIG')")
        .bind(ines_id)
        .execute(&pool)
        .await
        .unwrap();

    let before = home(&mut ines).await;
    let candidate = &before["candidate"];
    assert_eq!(candidate["has_headline"], true);
    assert_eq!(candidate["has_cv"], false);
    assert_eq!(candidate["applications"]["total"], 2);
    assert_eq!(candidate["applications"]["updated"], 0);
    assert_eq!(candidate["enrolments"]["total"], 1);
    assert_eq!(candidate["saved_offers"], 1);
    assert_eq!(candidate["saved_trainings"], 1);
    assert_eq!(candidate["alerts"], 1);
    assert_eq!(before["organisations"], serde_json::json!([]));

    // The recruiter moves one: it is the latest, with its new status.
    rita.call_ok(
        "/api/entreprise/candidatures/etape",
        &[("id", &moved.to_string()), ("status", "in_review")],
    )
    .await;
    let after = home(&mut ines).await;
    let applications = &after["candidate"]["applications"];
    assert_eq!(applications["updated"], 1);
    assert_eq!(applications["latest"][0]["id"], moved);
    assert_eq!(applications["latest"][0]["status"], "in_review");

    let html = page(&mut ines).await;
    assert!(html.contains(r#"data-completeness="1/4""#));
    assert!(html.contains("Compléter mon profil"));
    assert!(html.contains(r#"data-count-of="applications" data-count="2""#));
    assert!(html.contains(r#"data-status="in_review""#));
    assert!(html.contains(r#"data-count-of="enrolments" data-count="1""#));
    assert!(shows(&html, "saved_offers", 1));
    assert!(shows(&html, "alerts", 1));
    assert!(html.contains("1 mise à jour"));
    assert!(html.contains(r#"aria-label="Espace candidat""#));
    // Verified: no reminder; no organisation's block.
    assert!(!html.contains(r#"data-block="verification""#));
    assert!(!html.contains(r#"data-block="organisation""#));

    // Another candidate's home counts none of this.
    let mut other = signed_in(&app, Role::Candidate, "Zoé").await;
    let theirs = home(&mut other).await;
    assert_eq!(theirs["candidate"]["applications"]["total"], 0);
    assert_eq!(theirs["candidate"]["saved_offers"], 0);
    assert_eq!(
        theirs["candidate"]["applications"]["latest"],
        serde_json::json!([])
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn blocks_follow_the_role_not_old_memberships(pool: PgPool) {
    let app = app(pool.clone()).await;

    // A recruiter without a company is told how to get one.
    let mut lone = signed_in(&app, Role::Recruiter, "Sam Seul").await;
    let home_of_lone = home(&mut lone).await;
    assert_eq!(home_of_lone["missing"], serde_json::json!(["entreprise"]));
    let html = page(&mut lone).await;
    assert!(html.contains(r#"data-block="missing" data-kind="entreprise""#));
    assert!(html.contains("Inscrire mon organisation"));

    // Made a candidate, a former recruiter keeps the membership row but
    // sees a candidate's home, and nothing of the company.
    let (company, email) =
        common::organisation(&pool, "entreprise", "approved", "Ancienne Boîte", "Paul").await;
    sqlx::query("UPDATE users SET role = 'candidate' WHERE email = $1")
        .bind(&email)
        .execute(&pool)
        .await
        .unwrap();
    let mut paul = Client::signed_in_as(&app, &email).await;
    let home_of_paul = home(&mut paul).await;
    assert_eq!(home_of_paul["organisations"], serde_json::json!([]));
    assert_eq!(home_of_paul["missing"], serde_json::json!([]));
    assert!(home_of_paul["candidate"].is_object());
    let html = page(&mut paul).await;
    assert!(!html.contains("Ancienne Boîte"));
    assert!(!html.contains(&format!(r#"data-organisation="{company}""#)));

    // An editor gets the blog's block only.
    sqlx::query(
        "INSERT INTO articles (slug, title, body_html, status) VALUES ('brouillon', 'Brouillon', '', 'draft')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut lea = signed_in(&app, Role::Editor, "Léa").await;
    let home_of_lea = home(&mut lea).await;
    assert_eq!(home_of_lea["blog"]["drafts"], 1);
    assert_eq!(home_of_lea["candidate"], Value::Null);
    assert_eq!(home_of_lea["missing"], serde_json::json!([]));
    assert!(shows(&page(&mut lea).await, "drafts", 1));
}
