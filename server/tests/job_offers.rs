//! Companies and their offers over HTTP: the company profile and its public
//! page, the offer form's checks, the offer lifecycle (publish, renew,
//! filled, archived, draft, duplicate) and its search rows, and the
//! recruiter dashboard's authorisation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::{http::StatusCode, response::Response};
use common::{Client, PASSWORD, TestApp, app, body_text, signed_in, unique_email};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Départements whose communes the tests use.
const DEPARTEMENTS: &[&str] = &["69", "75", "13"];

/// A signed-in recruiter of a new company in `status`, and the company's id.
async fn company<'a>(app: &'a TestApp, name: &str, status: &str) -> (Client<'a>, i64) {
    let (client, company, _) =
        common::organisation_owner(app, "entreprise", status, name, name).await;
    (client, company)
}

/// Saves an offer through the dashboard's server function; `fields` override
/// a valid on-site CDI in Lyon.
async fn save(client: &mut Client<'_>, id: i64, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let defaults = [
        ("title", "Développeuse ou développeur Rust"),
        ("description", "Vous rejoindrez **l'équipe produit**."),
        ("contract", "cdi"),
        ("remote", "presentiel"),
        ("place", "Lyon"),
        ("apply_channel", "platform"),
    ];
    let id = id.to_string();
    client
        .post_input(
            "/api/entreprise/offres/enregistrer",
            &[("id", &id)],
            fields,
            &defaults,
        )
        .await
}

async fn create(client: &mut Client<'_>, fields: &[(&str, &str)]) -> i64 {
    common::ok_json(save(client, 0, fields).await)
        .as_i64()
        .unwrap()
}

async fn act(client: &mut Client<'_>, id: i64, action: &str) -> (StatusCode, Value) {
    client
        .call(
            "/api/entreprise/offres/statut",
            &[("id", &id.to_string()), ("action", action)],
        )
        .await
}

/// Duplicates offer `id` through the dashboard: the copy's id.
async fn duplicate(client: &mut Client<'_>, id: i64) -> i64 {
    let id = id.to_string();
    let copy = client
        .call_ok("/api/entreprise/offres/dupliquer", &[("id", &id)])
        .await;
    copy.as_i64().unwrap()
}

/// (status, days from now to expires_at, published_at is set)
async fn offer_state(pool: &PgPool, id: i64) -> (String, f64, bool) {
    let row = sqlx::query!(
        r#"SELECT status, extract(epoch FROM expires_at - now())::float8 / 86400 AS "days!",
                  published_at IS NOT NULL AS "published!"
           FROM job_offers WHERE id = $1"#,
        id
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.status, row.days, row.published)
}

/// Offer `id` is published, in the search, and ends in `days` days.
async fn assert_live_for(pool: &PgPool, id: i64, days: f64) {
    let (status, left, _) = offer_state(pool, id).await;
    assert_eq!(status, "published");
    assert!((left - days).abs() < 0.01, "{left}");
    assert!(common::in_search(pool, id).await);
}

/// When offer `id` was (last) published.
async fn published_at(pool: &PgPool, id: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    sqlx::query_scalar!("SELECT published_at FROM job_offers WHERE id = $1", id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Saves the lifecycle test's offer `id` with a duration of `days` days.
async fn save_duration(client: &mut Client<'_>, id: i64, days: &str) {
    common::ok_json(
        save(
            client,
            id,
            &[("title", "Conducteur poids lourd"), ("expiry_days", days)],
        )
        .await,
    );
}

/// Posts a logo for `client`'s company, answered as `accept` asks.
async fn post_company_logo(client: &mut Client<'_>, accept: &str) -> Response {
    client
        .post_logo("/api/entreprise/logo", &common::png(600, 300, 4), accept)
        .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_company_profile_is_saved_and_public_once_approved(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut recruiter, company_id) = company(&app, "Atelier Rhône", "pending").await;
    let profile = |extra: &[(&'static str, &'static str)]| {
        let mut form = vec![
            ("kind", "entreprise"),
            ("profile[name]", "Atelier Rhône"),
            (
                "profile[description]",
                "Menuiserie d'agencement fondée en 1990.",
            ),
            ("profile[sector]", "Menuiserie"),
            ("profile[size_band]", "10-49"),
            ("profile[website]", "https://atelier-rhone.example"),
            ("profile[contact_email]", "rh@atelier-rhone.example"),
            ("profile[address]", "12 quai Perrache"),
            ("profile[commune]", "Lyon"),
            ("profile[site_1]", "Marseille"),
            ("profile[site_2]", "Paris"),
            // A centre-only field is ignored for a company.
            ("profile[nda]", "abc"),
        ];
        for (k, v) in extra {
            form.retain(|(key, _)| key != k);
            form.push((k, v));
        }
        form
    };
    recruiter
        .call_ok("/api/organisation/fiche/enregistrer", &profile(&[]))
        .await;
    let row = sqlx::query!(
        r#"SELECT sector, size_band, nda, commune_code,
                  (SELECT count(*) FROM organisation_places p WHERE p.organisation_id = o.id) AS "sites!"
           FROM organisations o WHERE id = $1"#,
        company_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (
            row.sector.as_str(),
            row.size_band.as_str(),
            row.nda.as_str()
        ),
        ("Menuiserie", "10-49", "")
    );
    assert!(row.commune_code.is_some());
    assert_eq!(row.sites, 2);
    // Bad fields get their French message and change nothing.
    type Case<'a> = (&'a str, &'a str, &'a str, &'a str);
    let cases: [Case; 3] = [
        ("profile[size_band]", "énorme", "size_band", "taille"),
        (
            "profile[site_3]",
            "Xyzzyville",
            "site_3",
            "Commune introuvable",
        ),
        ("profile[website]", "atelier.example", "website", "https://"),
    ];
    for (key, value, field, message) in cases {
        let mut form = profile(&[(key, value)]);
        form.retain(|(k, _)| *k != "profile[sector]");
        form.push(("profile[sector]", "Changé"));
        let (status, body) = recruiter
            .call("/api/organisation/fiche/enregistrer", &form)
            .await;
        common::assert_refused(status, &body, field, message);
    }
    let sector = sqlx::query_scalar!("SELECT sector FROM organisations WHERE id = $1", company_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sector, "Menuiserie");
    // A recruiter is no centre member: the centre's form is not theirs.
    let (status, _) = recruiter
        .call("/api/organisation/fiche", &[("kind", "centre")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let form = recruiter
        .call_ok("/api/organisation/fiche", &[("kind", "entreprise")])
        .await;
    // Sites come back biggest first.
    assert_eq!(form["profile"]["site_1"], "Paris (75001)", "{form}");
    assert_eq!(form["profile"]["site_2"], "Marseille (13001)", "{form}");
    assert_eq!(form["status"], "pending");

    // No logo before approval: public files are for approved organisations.
    let response = post_company_logo(&mut recruiter, "application/json").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let offer = create(&mut recruiter, &[("title", "Menuisier agenceur")]).await;
    let (status, body) = act(&mut recruiter, offer, "publish").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Pending: no public page, no search row, not in the sitemap.
    let slug = sqlx::query_scalar!("SELECT slug FROM organisations WHERE id = $1", company_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(slug, "atelier-rhone");
    let page = format!("/entreprises/{slug}");
    assert_eq!(app.get(&page).await.status(), StatusCode::NOT_FOUND);
    assert!(!common::in_search(&pool, offer).await);
    assert!(
        !body_text(app.get("/sitemap.xml").await)
            .await
            .contains(&page)
    );

    let mut admin = signed_in(&app, Role::Admin, "Admin Passerelle").await;
    admin.approve_organisation(company_id).await;
    assert!(
        common::in_search(&pool, offer).await,
        "approval puts offers live"
    );
    // Logo: a plain form post comes back to the profile page.
    let response = post_company_logo(&mut recruiter, "text/html").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        common::header(&response, "location"),
        "/tableau-de-bord/entreprise"
    );
    let html = common::ok_text(app.get(&page).await).await;
    assert!(html.contains("\"@type\":\"Organization\""), "{html}");
    assert!(html.contains("\"BreadcrumbList\""));
    assert!(html.contains("\"logo\":\"http"), "logo in the JSON-LD");
    assert!(html.contains("alt=\"Logo de Atelier Rhône\""));
    assert!(html.contains("Marseille (13001)"), "other sites listed");
    assert!(html.contains("10 à 49 salariés"));
    assert!(html.contains("Menuisier agenceur"), "live offers listed");
    assert!(
        body_text(app.get("/sitemap.xml").await)
            .await
            .contains(&page)
    );
    // A centre's slug is no company page.
    assert_eq!(
        app.get("/entreprises/inconnue").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bad_offer_fields_get_french_messages_and_store_nothing(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut recruiter, _) = company(&app, "Entreprise Erreurs", "approved").await;
    // (fields, field at fault, part of its message)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 14] = [
        (&[("title", "Dev")], "title", "entre 5 et 160"),
        (&[("contract", "cdd-a-vie")], "contract", "contrat"),
        (&[("remote", "lune")], "remote", "mode de travail"),
        (
            &[("salary_unit", "mois"), ("salary_min", "")],
            "salary_min",
            "salaire minimum",
        ),
        (
            &[
                ("salary_unit", "mois"),
                ("salary_min", "2 400"),
                ("salary_max", "1 900"),
            ],
            "salary_max",
            "supérieur ou égal au minimum",
        ),
        (
            &[("salary_unit", "semaine"), ("salary_min", "500")],
            "salary_unit",
            "Unité",
        ),
        (&[("diploma_level", "12")], "diploma_level", "diplôme"),
        (&[("place", "")], "place", "lieu de travail"),
        (&[("place", "Xyzzyville")], "place", "Commune introuvable"),
        (&[("start_date", "demain")], "start_date", "Date"),
        (&[("openings", "0")], "openings", "entre 1 et 500"),
        (&[("expiry_days", "120")], "expiry_days", "1 à 90 jours"),
        (
            &[
                ("apply_channel", "url"),
                ("apply_url", "http://emplois.example/postuler"),
            ],
            "apply_url",
            "https://",
        ),
        (
            &[("apply_channel", "email"), ("apply_email", "rh@")],
            "apply_email",
            "e-mail",
        ),
    ];
    for (fields, field, message) in cases {
        let (status, body) = save(&mut recruiter, 0, fields).await;
        common::assert_refused(status, &body, field, message);
    }
    let (status, body) = save(&mut recruiter, 0, &[("skills", "999999")]).await;
    common::assert_refused(status, &body, "skills", "Compétence inconnue");
    let count = common::rows_in(&pool, "job_offers").await;
    assert_eq!(count, 0);

    // A bad edit of a saved offer leaves it as it was.
    let id = create(
        &mut recruiter,
        &[
            ("salary_unit", "annee"),
            ("salary_min", "38 000"),
            ("salary_max", "45000"),
            ("apply_channel", "email"),
            ("apply_email", "jobs@entreprise.example"),
            ("apply_url", "https://ignored.example"),
            ("diploma_level", "5"),
            ("expiry_days", "30"),
        ],
    )
    .await;
    let (status, _) = save(
        &mut recruiter,
        id,
        &[("title", "Nouveau titre"), ("openings", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let row = sqlx::query!(
        "SELECT title, status, salary_min, salary_max, salary_unit, apply_url, apply_email,
                diploma_level, expiry_days, description_html
         FROM job_offers WHERE id = $1",
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(row.title, "Développeuse ou développeur Rust");
    assert_eq!(row.status, "draft");
    assert_eq!(
        (row.salary_min, row.salary_max, row.salary_unit.as_deref()),
        (Some(38_000), Some(45_000), Some("annee"))
    );
    assert_eq!(row.apply_email, "jobs@entreprise.example");
    assert_eq!(row.apply_url, "", "only the channel's address is kept");
    assert_eq!(row.diploma_level, Some(5));
    assert_eq!(row.expiry_days, 30);
    assert!(
        row.description_html
            .contains("<strong>l'équipe produit</strong>")
            || row
                .description_html
                .contains("<strong>l&#39;équipe produit</strong>"),
        "{}",
        row.description_html
    );
    // Fully remote needs no place; a script in the description is dropped.
    let remote = create(
        &mut recruiter,
        &[
            ("remote", "teletravail"),
            ("place", ""),
            ("description", "Bonjour <script>alert(1)</script>"),
        ],
    )
    .await;
    let commune: Option<String> = common::column(&pool, "job_offers", "commune_code", remote).await;
    assert_eq!(commune, None);
    let html: String = common::column(&pool, "job_offers", "description_html", remote).await;
    assert!(!html.contains("<script"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn offers_move_through_their_lifecycle_and_the_search_follows(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut recruiter, company_id) = company(&app, "Transports Martin", "approved").await;
    let skills = sqlx::query_scalar!("SELECT id FROM skills ORDER BY id LIMIT 2")
        .fetch_all(&pool)
        .await
        .unwrap();
    let (a, b) = (skills[0].to_string(), skills[1].to_string());
    let id = create(
        &mut recruiter,
        &[
            ("title", "Conducteur poids lourd"),
            ("skills", &a),
            ("skills", &b),
        ],
    )
    .await;
    // A draft is not in the search.
    assert!(!common::in_search(&pool, id).await);
    assert_eq!(offer_state(&pool, id).await.0, "draft");

    // Publish: live for the default 60 days.
    let (status, body) = act(&mut recruiter, id, "publish").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_live_for(&pool, id, 60.0).await;
    let first_published = published_at(&pool, id).await;
    assert!(first_published.is_some());
    // Publishing twice is refused with a message, nothing changes.
    let (status, body) = act(&mut recruiter, id, "publish").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "action");

    // The dashboard lists it with its views, applications and expiry.
    let candidate_id = app::identity::users::ssr::create_user(
        &pool,
        &unique_email("candidat"),
        "Paul Candidat",
        PASSWORD,
        Role::Candidate,
        true,
    )
    .await
    .unwrap();
    sqlx::query!(
        "INSERT INTO applications (offer_id, candidate_id) VALUES ($1, $2)",
        id,
        candidate_id
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query!("UPDATE job_offers SET view_count = 7 WHERE id = $1", id)
        .execute(&pool)
        .await
        .unwrap();
    let (status, dashboard) = recruiter.call("/api/entreprise/offres", &[]).await;
    assert_eq!(status, StatusCode::OK, "{dashboard}");
    assert_eq!(dashboard["company_name"], "Transports Martin");
    let row = &dashboard["rows"][0];
    assert_eq!(row["status"], "published");
    assert_eq!(row["views"], 7);
    assert_eq!(row["applications"], 1);
    assert_eq!(row["new_applications"], 1);
    assert_eq!(row["expires_on"].as_str().unwrap().len(), 10);
    let html = common::ok_text(recruiter.get("/tableau-de-bord/offres").await).await;
    assert!(html.contains("Conducteur poids lourd"));
    assert!(html.contains(">En ligne<"), "status label");
    assert!(html.contains(&format!("/tableau-de-bord/candidatures-recues?offre={id}")));
    let html = common::ok_text(recruiter.get("/tableau-de-bord/offres/nouvelle").await).await;
    assert!(
        html.contains("name=\"input[skills][]\""),
        "the skills picker"
    );
    assert!(html.contains("name=\"input[place]\""));

    // Duplicate: a draft copy with the same skills, outside the search.
    let copy = duplicate(&mut recruiter, id).await;
    let row = sqlx::query!(
        r#"SELECT title, status, company_id, slug,
                  (SELECT count(*) FROM job_skills WHERE offer_id = $1) AS "skills!"
           FROM job_offers WHERE id = $1"#,
        copy
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(row.title, "Conducteur poids lourd (copie)");
    assert_eq!(row.status, "draft");
    assert_eq!(row.company_id, company_id);
    assert_eq!(row.skills, 2);
    assert!(!common::in_search(&pool, copy).await);

    // Expired (past its date, before the worker marks it): renew puts it back for 60 days.
    common::set_offer_end_ago(&pool, id, "1 day").await;
    common::refresh_job_search(&pool, id).await;
    assert!(!common::in_search(&pool, id).await);
    let (_, dashboard) = recruiter.call("/api/entreprise/offres", &[]).await;
    let listed = dashboard["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(listed["status"], "expired");
    let (status, body) = act(&mut recruiter, id, "renew").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_live_for(&pool, id, 60.0).await;
    // The worker's "expired" status renews the same way.
    sqlx::query!("UPDATE job_offers SET status = 'expired' WHERE id = $1", id)
        .execute(&pool)
        .await
        .unwrap();
    let (status, body) = act(&mut recruiter, id, "renew").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(offer_state(&pool, id).await.0, "published");
    assert_eq!(
        published_at(&pool, id).await,
        first_published,
        "first publication date kept"
    );

    // Filled, back to draft, archived: each leaves the search.
    for (action, expected) in [("fill", "filled"), ("draft", "draft")] {
        let (status, body) = act(&mut recruiter, id, action).await;
        assert_eq!(status, StatusCode::OK, "{action}: {body}");
        assert_eq!(offer_state(&pool, id).await.0, expected);
        assert!(!common::in_search(&pool, id).await, "{action}");
    }
    // A draft with a chosen duration is live for that many days.
    save_duration(&mut recruiter, id, "15").await;
    act(&mut recruiter, id, "publish").await;
    assert_live_for(&pool, id, 15.0).await;
    // Published again from a draft: a new publication date (alerts,
    // datePosted), not the first one.
    let republished = published_at(&pool, id).await;
    assert!(republished > first_published, "{republished:?}");
    // Saving a live offer keeps its date unless its duration changes: then
    // the end moves by the difference (the duration still runs from its
    // publication), it is not renewed from today.
    sqlx::query!(
        "UPDATE job_offers SET expires_at = expires_at - interval '1 day' WHERE id = $1",
        id
    )
    .execute(&pool)
    .await
    .unwrap();
    for (expiry, expected) in [("15", 14.0), ("45", 44.0)] {
        save_duration(&mut recruiter, id, expiry).await;
        let days = offer_state(&pool, id).await.1;
        assert!((days - expected).abs() < 0.01, "{expiry}: {days}");
        assert!(common::in_search(&pool, id).await);
    }
    // Renewing runs the offer's own duration (45 days), not the default,
    // and keeps its publication date.
    let (status, body) = act(&mut recruiter, id, "renew").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_live_for(&pool, id, 45.0).await;
    assert_eq!(published_at(&pool, id).await, republished);
    // Past its end (before the worker marks it), an edit of its duration
    // does not bring it back.
    common::set_offer_end_ago(&pool, id, "1 hour").await;
    save_duration(&mut recruiter, id, "90").await;
    let days = offer_state(&pool, id).await.1;
    assert!(days < 0.0, "still expired: {days}");
    assert!(!common::in_search(&pool, id).await);

    let (status, body) = act(&mut recruiter, id, "archive").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(offer_state(&pool, id).await.0, "archived");
    assert!(!common::in_search(&pool, id).await);
    // Archived stays archived (a withdrawal by moderation archives too):
    // no way back to a draft, so no way to publish it again.
    for action in ["draft", "publish", "renew", "fill", "vendre"] {
        let (status, body) = act(&mut recruiter, id, action).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{action}: {body}");
        assert_eq!(body["Invalid"]["field"], "action", "{action}: {body}");
    }
    let (_, body) = act(&mut recruiter, id, "draft").await;
    assert!(body.to_string().contains("dupliquez-la"), "{body}");
    assert_eq!(offer_state(&pool, id).await.0, "archived");
    assert!(!common::in_search(&pool, id).await);
    // The dashboard offers it no state change, only « Dupliquer » (the
    // other offer is the draft copy made above).
    let html = body_text(recruiter.get("/tableau-de-bord/offres").await).await;
    assert!(!html.contains("Repasser en brouillon"), "{html}");
    assert!(html.contains("Dupliquer"));
    let copy = duplicate(&mut recruiter, id).await;
    assert_eq!(offer_state(&pool, copy).await.0, "draft");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_company_never_touches_another_companys_offers(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut owner, _) = company(&app, "Boulangerie Dupont", "approved").await;
    let (mut other, _) = company(&app, "Boulangerie Voisine", "approved").await;
    let id = create(&mut owner, &[("title", "Boulanger ou boulangère")]).await;
    act(&mut owner, id, "publish").await;
    let id_s = id.to_string();
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/entreprise/offres/fiche", vec![("id", &id_s)]),
        (
            "/api/entreprise/offres/enregistrer",
            vec![
                ("id", &id_s),
                ("input[title]", "Offre volée"),
                ("input[contract]", "cdd"),
                ("input[remote]", "teletravail"),
            ],
        ),
        (
            "/api/entreprise/offres/statut",
            vec![("id", &id_s), ("action", "archive")],
        ),
        (
            "/api/entreprise/offres/statut",
            vec![("id", &id_s), ("action", "fill")],
        ),
        (
            "/api/entreprise/offres/statut",
            vec![("id", &id_s), ("action", "draft")],
        ),
        (
            "/api/entreprise/offres/statut",
            vec![("id", &id_s), ("action", "renew")],
        ),
        ("/api/entreprise/offres/dupliquer", vec![("id", &id_s)]),
    ];
    common::assert_each_answers(&mut other, &attempts, StatusCode::NOT_FOUND).await;
    let (_, dashboard) = other.call("/api/entreprise/offres", &[]).await;
    assert_eq!(dashboard["rows"], Value::Array(vec![]));
    // The edit page answers a real 404 too.
    let response = other.get(&format!("/tableau-de-bord/offres/{id}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = owner.get(&format!("/tableau-de-bord/offres/{id}")).await;
    common::assert_says(response, StatusCode::OK, "Boulanger ou boulangère").await;

    // Candidates are refused, visitors asked to sign in.
    let mut candidate = signed_in(&app, Role::Candidate, "Léa Candidate").await;
    let mut visitor = Client::new(&app);
    common::assert_each_answers(&mut candidate, &attempts, StatusCode::FORBIDDEN).await;
    common::assert_each_answers(&mut visitor, &attempts, StatusCode::UNAUTHORIZED).await;
    for (client, expected) in [
        (&mut candidate, StatusCode::FORBIDDEN),
        (&mut visitor, StatusCode::UNAUTHORIZED),
    ] {
        let (status, _) = client.call("/api/entreprise/offres", &[]).await;
        assert_eq!(status, expected);
        let response = post_company_logo(client, "application/json").await;
        assert_eq!(response.status(), expected);
        let (status, _) = client
            .call(
                "/api/organisation/fiche/enregistrer",
                &[("kind", "entreprise"), ("profile[name]", "Piratage")],
            )
            .await;
        assert_eq!(status, expected);
    }
    // Nothing changed.
    assert_eq!(
        common::title_and_status(&pool, "job_offers", id).await,
        ("Boulanger ou boulangère".to_owned(), "published".to_owned())
    );
    let offers = common::rows_in(&pool, "job_offers").await;
    assert_eq!(offers, 1);
    assert!(common::in_search(&pool, id).await);
}
