//! The public API `/api/v1` over HTTP: each route on seeded data, the same
//! results as the pages, cursors through every result, ETag / 304, RFC 9457
//! problems for every bad request, CORS, cookies ignored, only public data,
//! the per-IP quota and the OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::{
    identity::users::Role,
    ui::search::{Scope, SearchQuery},
};
use axum::{
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use common::{TestApp, app, app_with, body_text, header, signed_in};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Lyon's and Paris' départements.
const DEPARTEMENTS: &[&str] = &["69", "75"];
const LYON: &str = "69123";
const PARIS: &str = "75056";

/// A new organisation of `kind` in `status`, its head office in Lyon: its
/// id and slug.
async fn org(pool: &PgPool, kind: &str, status: &str, name: &str) -> (i64, String) {
    static SIRETS: AtomicU64 = AtomicU64::new(0);
    let siret = format!(
        "{:014}",
        60_000_000_000_000 + SIRETS.fetch_add(1, Ordering::Relaxed)
    );
    let row = sqlx::query!(
        "INSERT INTO organisations (kind, name, siret, status, commune_code, description,
                                    contact_email, website)
         VALUES ($1, $2, $3, $4, $5, 'Une organisation lyonnaise.', 'contact@exemple.fr',
                 'https://exemple.fr')
         RETURNING id, slug",
        kind,
        name,
        siret,
        status,
        LYON
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.id, row.slug)
}

/// An offer of `company` in `status` (published `days_ago`), in the search
/// as the app leaves it: its id and slug.
async fn offer(
    pool: &PgPool,
    company: i64,
    title: &str,
    contract: &str,
    commune: &str,
    status: &str,
    days_ago: i32,
) -> (i64, String) {
    let row = sqlx::query!(
        "INSERT INTO job_offers (company_id, title, description_markdown, description_html, contract,
                                 remote, commune_code, status, published_at, expires_at, apply_channel,
                                 apply_email)
         VALUES ($1, $2, 'Une équipe qui recrute.', '<p>Une équipe qui recrute.</p>', $3,
                 'presentiel', $4, $5,
                 CASE WHEN $5 <> 'draft' THEN now() - make_interval(days => $6) END,
                 now() + interval '30 days', 'email', 'rh@exemple.fr')
         RETURNING id, slug",
        company,
        title,
        contract,
        commune,
        status,
        days_ago
    )
    .fetch_one(pool)
    .await
    .unwrap();
    common::refresh_job_search(pool, row.id).await;
    (row.id, row.slug)
}

/// A training of `centre` in `status`, taught in Lyon, with a session in
/// `session_in_days` if given: its id and slug.
async fn training(
    pool: &PgPool,
    centre: i64,
    title: &str,
    modality: &str,
    status: &str,
    session_in_days: Option<i32>,
) -> (i64, String) {
    let row = sqlx::query!(
        "INSERT INTO trainings (centre_id, title, summary, modality, duration_hours, price_cents,
                                status, published_at)
         VALUES ($1, $2, 'Une formation pour apprendre un métier.', $3, 35, 120000, $4, now())
         RETURNING id, slug",
        centre,
        title,
        modality,
        status
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query!(
        "INSERT INTO training_places (training_id, commune_code) VALUES ($1, $2)",
        row.id,
        LYON
    )
    .execute(pool)
    .await
    .unwrap();
    if let Some(days) = session_in_days {
        sqlx::query!(
            "INSERT INTO training_sessions (training_id, starts_on, ends_on, seats)
             VALUES ($1, current_date + $2::int, current_date + $2::int + 30, 12)",
            row.id,
            days
        )
        .execute(pool)
        .await
        .unwrap();
    }
    sqlx::query("SELECT refresh_training_search($1)")
        .bind(row.id)
        .execute(pool)
        .await
        .unwrap();
    (row.id, row.slug)
}

/// GETs `path` as a partner's program does.
async fn get(app: &TestApp, path: &str) -> Response {
    app.get_with(path, "accept", "application/json").await
}

/// The 200 JSON answer of `path`.
async fn ok(app: &TestApp, path: &str) -> Value {
    let response = get(app, path).await;
    let status = response.status();
    assert_eq!(
        header(&response, "content-type"),
        "application/json",
        "{path}"
    );
    let body = body_text(response).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// The problem `path` answers, checked to be RFC 9457 with `status`.
async fn problem(app: &TestApp, path: &str, status: StatusCode) -> Value {
    problem_of(
        app.get_with(path, "accept", "application/json").await,
        status,
    )
    .await
}

async fn problem_of(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
    let body: Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert!(body["type"].as_str().unwrap().starts_with("/api/v1/docs#"));
    assert!(!body["title"].as_str().unwrap().is_empty());
    assert!(!body["detail"].as_str().unwrap().is_empty());
    body
}

/// Every item of a list, following `next_cursor` from `path`.
async fn all_pages(app: &TestApp, path: &str) -> (Vec<Value>, i64, usize) {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut url = path.to_owned();
    let mut answers = 0;
    loop {
        let page = ok(app, &url).await;
        answers += 1;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("{path}{separator}cursor={cursor}"),
            None => return (items, page["total"].as_i64().unwrap(), answers),
        }
        assert!(answers < 50, "endless paging");
    }
}

fn ids(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_offer_search_pages_through_what_the_page_finds(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let (acme, _) = org(&pool, "entreprise", "approved", "Métallerie Dupont").await;
    let (pending, _) = org(&pool, "entreprise", "pending", "Soudures en attente").await;
    for n in 0..23 {
        let contract = if n % 3 == 0 { "cdd" } else { "cdi" };
        let commune = if n % 2 == 0 { LYON } else { PARIS };
        offer(
            &pool,
            acme,
            &format!("Soudeur {n}"),
            contract,
            commune,
            "published",
            n,
        )
        .await;
    }
    // Never listed: a draft, a pending company's offer.
    offer(&pool, acme, "Soudeur brouillon", "cdi", LYON, "draft", 0).await;
    offer(
        &pool,
        pending,
        "Soudeur en attente",
        "cdi",
        LYON,
        "published",
        0,
    )
    .await;
    let app = app(pool.clone()).await;

    // The first window is the page's first page, in its order.
    let first = ok(&app, "/api/v1/offres").await;
    let page = app::jobs::search::run(&pool, SearchQuery::new(Scope::Offers))
        .await
        .unwrap();
    assert_eq!(first["total"], 23);
    assert_eq!(
        ids(first["items"].as_array().unwrap()),
        page.cards.iter().map(|c| c.id).collect::<Vec<_>>()
    );
    let item = &first["items"][0];
    assert_eq!(item["company"]["name"], "Métallerie Dupont");
    assert!(
        item["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/offres/{}", item["slug"].as_str().unwrap()))
    );
    let contrat = first["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "contrat")
        .expect("the contract facet");
    let cdd = contrat["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "cdd")
        .unwrap();
    assert_eq!(cdd["count"], 8);

    // Windows of 7 through everything: no duplicate, no gap, in order.
    let (items, total, answers) = all_pages(&app, "/api/v1/offres?limit=7&tri=date").await;
    assert_eq!((items.len(), total, answers), (23, 23, 4));
    let mut all = Vec::new();
    for n in 1..=2 {
        let mut query = SearchQuery::with(Scope::Offers, "", &[]);
        query.tri = "date".into();
        query.page = n;
        all.extend(
            app::jobs::search::run(&pool, query)
                .await
                .unwrap()
                .cards
                .into_iter()
                .map(|c| c.id),
        );
    }
    assert_eq!(ids(&items), all);
    assert_eq!(ids(&items).into_iter().collect::<HashSet<_>>().len(), 23);

    // A filter finds what the page finds, and pages through it too.
    let (cdds, total, _) = all_pages(&app, "/api/v1/offres?contrat=cdd&limit=3").await;
    assert_eq!((cdds.len(), total), (8, 8));
    assert!(cdds.iter().all(|o| o["contract"] == "cdd"));
    let html = body_text(app.get("/offres?contrat=cdd").await).await;
    assert!(html.contains("8 offres"), "the page counts the same");
    let near = ok(&app, "/api/v1/offres?lieu=Lyon&rayon=10&limit=20").await;
    assert_eq!(near["total"], 12);
    assert_eq!(near["place"], "Lyon (69001)");
    assert!(
        near["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["city"] == "Lyon")
    );
    let words = ok(&app, "/api/v1/offres?q=soudeur+7").await;
    assert!(
        words["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["title"] == "Soudeur 7")
    );

    // A place that is nowhere is the caller's mistake, on its field.
    let body = problem(
        &app,
        "/api/v1/offres?lieu=Nullepartville",
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "lieu");

    // A cursor belongs to its search and cannot be edited.
    let next = ok(&app, "/api/v1/offres?limit=5").await["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = problem(
        &app,
        &format!("/api/v1/offres?q=macon&cursor={next}"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "cursor");
    let mut tampered = next.clone().into_bytes();
    tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    problem(
        &app,
        &format!("/api/v1/offres?cursor={tampered}"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    for garbage in ["x", "....", "%E2%82%AC", "eyJ2IjoxLCJvIjo1LCJmIjoiIn0"] {
        let body = problem(
            &app,
            &format!("/api/v1/offres?cursor={garbage}"),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "cursor", "{garbage}");
    }
    // Nor be read by another list, even with the same parameters.
    for other in ["formations", "centres", "entreprises"] {
        let body = problem(
            &app,
            &format!("/api/v1/{other}?cursor={next}"),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "cursor", "{other}");
    }
    // The cursor keeps its place whatever the next limit.
    let after = ok(&app, &format!("/api/v1/offres?limit=2&cursor={next}")).await;
    assert_eq!(
        ids(after["items"].as_array().unwrap()),
        page.cards[5..7].iter().map(|c| c.id).collect::<Vec<_>>()
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn one_offer_is_what_its_page_shows_and_nothing_unpublished(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let (acme, acme_slug) = org(&pool, "entreprise", "approved", "Métallerie Dupont").await;
    let (pending, _) = org(&pool, "entreprise", "pending", "Soudures en attente").await;
    let (id, slug) = offer(&pool, acme, "Soudeur TIG", "cdi", LYON, "published", 1).await;
    let (draft, draft_slug) = offer(&pool, acme, "Brouillon", "cdi", LYON, "draft", 0).await;
    let (hidden, _) = offer(&pool, pending, "En attente", "cdi", LYON, "published", 0).await;
    let (archived, _) = offer(&pool, acme, "Archivée", "cdi", LYON, "archived", 3).await;
    let app = app(pool.clone()).await;

    let by_id = ok(&app, &format!("/api/v1/offres/{id}")).await;
    assert_eq!(by_id, ok(&app, &format!("/api/v1/offres/{slug}")).await);
    assert_eq!(by_id["title"], "Soudeur TIG");
    assert_eq!(by_id["status"], "published");
    assert_eq!(by_id["live"], true);
    assert_eq!(by_id["apply"]["channel"], "email");
    assert_eq!(by_id["apply"]["email"], "rh@exemple.fr");
    assert_eq!(by_id["place"]["name"], "Lyon");
    assert_eq!(by_id["company_details"]["slug"], acme_slug.as_str());
    assert!(
        by_id["description_html"]
            .as_str()
            .unwrap()
            .contains("recrute")
    );

    for path in [
        format!("/api/v1/offres/{draft}"),
        format!("/api/v1/offres/{draft_slug}"),
        format!("/api/v1/offres/{hidden}"),
        "/api/v1/offres/999999999".to_owned(),
        "/api/v1/offres/pas-une-offre".to_owned(),
    ] {
        problem(&app, &path, StatusCode::NOT_FOUND).await;
    }
    problem(
        &app,
        &format!("/api/v1/offres/{archived}"),
        StatusCode::GONE,
    )
    .await;
    // Past its end date it is shown as expired, without a way to apply.
    common::set_offer_end_ago(&pool, id, "1 day").await;
    let expired = ok(&app, &format!("/api/v1/offres/{id}")).await;
    assert_eq!(
        (expired["status"].as_str(), expired["live"].as_bool()),
        (Some("expired"), Some(false))
    );
    assert!(expired["apply"].is_null());
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn trainings_are_searched_as_the_catalogue_and_shown_with_their_sessions(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let (centre, centre_slug) = org(&pool, "centre", "approved", "Institut Lumière").await;
    let (pending, _) = org(&pool, "centre", "pending", "Centre en attente").await;
    for n in 0..5 {
        let modality = if n < 2 { "distanciel" } else { "presentiel" };
        training(
            &pool,
            centre,
            &format!("Soudure niveau {n}"),
            modality,
            "published",
            Some(10 + n),
        )
        .await;
    }
    let (with_sessions, slug) = training(
        &pool,
        centre,
        "Chaudronnerie",
        "presentiel",
        "published",
        Some(20),
    )
    .await;
    let (draft, _) = training(&pool, centre, "Brouillon", "presentiel", "draft", None).await;
    let (hidden, _) = training(
        &pool,
        pending,
        "En attente",
        "presentiel",
        "published",
        None,
    )
    .await;
    let (archived, _) = training(&pool, centre, "Ancienne", "presentiel", "archived", None).await;
    // Archived without ever being published, or by a centre since
    // suspended: it never was public, so not even "gone".
    let (unpublished, unpublished_slug) = training(
        &pool,
        centre,
        "Jamais publiée",
        "presentiel",
        "archived",
        None,
    )
    .await;
    sqlx::query!(
        "UPDATE trainings SET published_at = NULL WHERE id = $1",
        unpublished
    )
    .execute(&pool)
    .await
    .unwrap();
    let (suspended, _) = org(&pool, "centre", "approved", "Centre suspendu").await;
    let (of_suspended, of_suspended_slug) = training(
        &pool,
        suspended,
        "Du centre suspendu",
        "presentiel",
        "archived",
        None,
    )
    .await;
    sqlx::query!(
        "UPDATE organisations SET status = 'suspended' WHERE id = $1",
        suspended
    )
    .execute(&pool)
    .await
    .unwrap();
    let app = app(pool.clone()).await;
    for (id, slug) in [
        (unpublished, &unpublished_slug),
        (of_suspended, &of_suspended_slug),
    ] {
        let body = problem(
            &app,
            &format!("/api/v1/formations/{id}"),
            StatusCode::NOT_FOUND,
        )
        .await;
        let body = body.to_string();
        assert!(!body.contains("Jamais publiée") && !body.contains("Du centre suspendu"));
        problem(
            &app,
            &format!("/api/v1/formations/{slug}"),
            StatusCode::NOT_FOUND,
        )
        .await;
        let page = app.get(&format!("/formations/{slug}")).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{slug}");
        let html = body_text(page).await;
        assert!(!html.contains("Jamais publiée") && !html.contains("Du centre suspendu"));
    }

    let (items, total, answers) = all_pages(&app, "/api/v1/formations?limit=4").await;
    assert_eq!((items.len(), total, answers), (6, 6, 2));
    // The whole list can be read: nothing is cut off.
    assert_eq!(ok(&app, "/api/v1/formations").await["truncated"], false);
    let page = app::trainings::search::run(&pool, SearchQuery::new(Scope::Trainings))
        .await
        .unwrap();
    assert_eq!(
        ids(&items),
        page.cards.iter().map(|c| c.id).collect::<Vec<_>>()
    );
    let remote = ok(&app, "/api/v1/formations?modalite=distanciel").await;
    assert_eq!(remote["total"], 2);
    assert!(
        remote["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["modality"] == "distanciel")
    );
    let html = body_text(app.get("/formations?modalite=distanciel").await).await;
    assert!(html.contains("2 formations"));
    assert!(
        remote["facets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"] == "modalite")
    );

    let one = ok(&app, &format!("/api/v1/formations/{with_sessions}")).await;
    assert_eq!(one, ok(&app, &format!("/api/v1/formations/{slug}")).await);
    assert_eq!(one["title"], "Chaudronnerie");
    assert_eq!(one["centre"]["slug"], centre_slug.as_str());
    assert_eq!(one["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(one["sessions"][0]["seats"], 12);
    assert_eq!(one["place_list"][0]["code"], LYON);
    for id in [draft, hidden] {
        problem(
            &app,
            &format!("/api/v1/formations/{id}"),
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    problem(
        &app,
        &format!("/api/v1/formations/{archived}"),
        StatusCode::GONE,
    )
    .await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn directories_list_approved_organisations_and_communes_are_looked_up(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let (centre, centre_slug) = org(&pool, "centre", "approved", "Institut Lumière").await;
    let (pending_centre, pending_slug) = org(&pool, "centre", "pending", "Centre en attente").await;
    let (company, _) = org(&pool, "entreprise", "approved", "Métallerie Dupont").await;
    for n in 0..4 {
        org(&pool, "entreprise", "approved", &format!("Entreprise {n}")).await;
    }
    let app = app(pool.clone()).await;

    let centres = ok(&app, "/api/v1/centres").await;
    assert_eq!(centres["total"], 1);
    assert_eq!(centres["items"][0]["slug"], centre_slug.as_str());
    assert_eq!(centres["items"][0]["id"], centre);
    let (companies, total, answers) = all_pages(&app, "/api/v1/entreprises?limit=2").await;
    assert_eq!((companies.len(), total, answers), (5, 5, 3));
    assert_eq!(ids(&companies).into_iter().collect::<HashSet<_>>().len(), 5);
    assert_eq!(
        ok(&app, "/api/v1/entreprises?q=metallerie").await["total"],
        1
    );
    assert_eq!(ok(&app, "/api/v1/entreprises?region=84").await["total"], 5);
    assert_eq!(ok(&app, "/api/v1/entreprises?region=11").await["total"], 0);
    assert_eq!(ok(&app, "/api/v1/entreprises?region=999").await["total"], 0);

    let one = ok(&app, &format!("/api/v1/centres/{centre}")).await;
    assert_eq!(
        one,
        ok(&app, &format!("/api/v1/centres/{centre_slug}")).await
    );
    assert_eq!(one["name"], "Institut Lumière");
    assert_eq!(one["contact_email"], "contact@exemple.fr");
    assert_eq!(
        ok(&app, &format!("/api/v1/entreprises/{company}")).await["name"],
        "Métallerie Dupont"
    );
    for path in [
        format!("/api/v1/centres/{pending_centre}"),
        format!("/api/v1/centres/{pending_slug}"),
        // A company is no centre.
        format!("/api/v1/centres/{company}"),
        "/api/v1/entreprises/0".to_owned(),
    ] {
        problem(&app, &path, StatusCode::NOT_FOUND).await;
    }

    let communes = ok(&app, "/api/v1/communes?q=lyon").await;
    assert_eq!(communes["items"][0]["code"], LYON);
    assert_eq!(communes["items"][0]["label"], "Lyon (69001)");
    assert_eq!(
        ok(&app, "/api/v1/communes?q=75015").await["items"][0]["code"],
        PARIS
    );
    assert_eq!(
        ok(&app, "/api/v1/communes").await["items"],
        Value::Array(vec![])
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn answers_carry_an_etag_and_every_bad_request_is_a_problem(pool: PgPool) {
    common::communes_of(&pool, &["69"]).await;
    let (acme, _) = org(&pool, "entreprise", "approved", "Métallerie Dupont").await;
    offer(&pool, acme, "Soudeur", "cdi", LYON, "published", 1).await;
    let app = app(pool.clone()).await;

    let response = get(&app, "/api/v1/offres").await;
    assert_eq!(header(&response, "cache-control"), "public, max-age=60");
    // Weak: compression changes the bytes, not the answer.
    let etag = header(&response, "etag").to_owned();
    assert!(etag.starts_with("W/\"") && etag.len() > 10, "{etag}");
    assert!(response.headers().get("set-cookie").is_none());
    let again = app.get_with("/api/v1/offres", "if-none-match", &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), etag);
    assert!(body_text(again).await.is_empty());
    let strong = app
        .get_with("/api/v1/offres", "if-none-match", &etag[2..])
        .await;
    assert_eq!(strong.status(), StatusCode::NOT_MODIFIED);
    // Another answer, another tag; a stale tag gets the body.
    let other = get(&app, "/api/v1/offres?contrat=cdd").await;
    assert_ne!(header(&other, "etag"), etag);
    let stale = app
        .get_with("/api/v1/offres?contrat=cdd", "if-none-match", &etag)
        .await;
    assert_eq!(stale.status(), StatusCode::OK);
    // A change in the data changes the tag.
    offer(&pool, acme, "Chaudronnier", "cdi", LYON, "published", 1).await;
    let changed = app.get_with("/api/v1/offres", "if-none-match", &etag).await;
    assert_eq!(changed.status(), StatusCode::OK);

    let long = "a".repeat(201);
    for (path, field) in [
        ("/api/v1/offres?limit=0", "limit"),
        ("/api/v1/offres?limit=21", "limit"),
        ("/api/v1/offres?limit=", "limit"),
        ("/api/v1/offres?limit=+5", "limit"),
        ("/api/v1/offres?tri=", "tri"),
        ("/api/v1/offres?tri=date%20", "tri"),
        // Checked as sent, before anything is trimmed or dropped.
        ("/api/v1/offres?region=%2084", "region"),
        ("/api/v1/offres?region=", "region"),
        ("/api/v1/formations?departement=69%00", "departement"),
        ("/api/v1/centres?region=", "region"),
        ("/api/v1/offres?q=soudeur%07", "q"),
        ("/api/v1/offres?lieu=Lyon%0A", "lieu"),
        ("/api/v1/entreprises?q=%C2%85", "q"),
        ("/api/v1/offres?cursor=", "cursor"),
        ("/api/v1/offres?limit=vingt", "limit"),
        ("/api/v1/offres?contrat=lune", "contrat"),
        ("/api/v1/offres?tri=prix", "tri"),
        ("/api/v1/offres?rayon=5", "rayon"),
        ("/api/v1/offres?salaire=31000", "salaire"),
        ("/api/v1/offres?region=%27%3B+DROP", "region"),
        ("/api/v1/offres?q=%FF", "q"),
        ("/api/v1/offres?q=%E2%82", "q"),
        ("/api/v1/offres?q=100%", "q"),
        ("/api/v1/offres?contract=cdi", "contract"),
        ("/api/v1/offres?q=a&q=b", "q"),
        ("/api/v1/formations?niveau=9", "niveau"),
        ("/api/v1/formations?cpf=peut-etre", "cpf"),
        ("/api/v1/centres?limit=-1", "limit"),
        ("/api/v1/communes?q=ab&x=1", "x"),
    ] {
        let body = problem(&app, path, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["errors"][0]["field"], field, "{path}");
    }
    let body = problem(
        &app,
        &format!("/api/v1/offres?q={long}"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "q");
    // 80 characters, one of them a control character the pages would drop.
    let long_place = format!("{}%1F", "a".repeat(80));
    let body = problem(
        &app,
        &format!("/api/v1/communes?q={long_place}"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "q");
    // Blank text is no filter; a known région in a known place is one.
    let all = ok(&app, "/api/v1/offres").await["total"].as_i64().unwrap();
    assert_eq!(ok(&app, "/api/v1/offres?q=+&lieu=").await["total"], all);
    assert_eq!(ok(&app, "/api/v1/offres?region=84").await["total"], all);
    problem(&app, "/api/v1/offres/%FF%FE", StatusCode::BAD_REQUEST).await;

    problem(&app, "/api/v1/rien", StatusCode::NOT_FOUND).await;
    problem(&app, "/api/v1/offres/1/candidatures", StatusCode::NOT_FOUND).await;
    for method in ["POST", "DELETE", "PUT"] {
        let response = app
            .send(
                Request::builder()
                    .method(method)
                    .uri("/api/v1/offres")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(header(&response, "allow"), "GET,HEAD");
        problem_of(response, StatusCode::METHOD_NOT_ALLOWED).await;
    }
    let head = app
        .send(Request::head("/api/v1/offres").body(Body::empty()).unwrap())
        .await;
    assert_eq!(head.status(), StatusCode::OK);
    // An OPTIONS that is no CORS preflight is just another method: the
    // route's 405 (a 404 where no route is), counted by the quota.
    for (path, status) in [
        ("/api/v1/offres", StatusCode::METHOD_NOT_ALLOWED),
        ("/api/v1/rien", StatusCode::NOT_FOUND),
    ] {
        let options = Request::builder()
            .method("OPTIONS")
            .uri(path)
            .header("origin", "https://partenaire.fr")
            .body(Body::empty())
            .unwrap();
        let response = app.send(options).await;
        assert!(
            response
                .headers()
                .get("access-control-allow-methods")
                .is_none()
        );
        assert!(response.headers().get("ratelimit").is_some(), "{path}");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert_eq!(header(&response, "allow"), "GET,HEAD");
        }
        problem_of(response, status).await;
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn cors_follows_the_configuration_and_cookies_change_nothing(pool: PgPool) {
    common::communes_of(&pool, &["69"]).await;
    let (acme, _) = org(&pool, "entreprise", "approved", "Métallerie Dupont").await;
    let (id, _) = offer(&pool, acme, "Soudeur", "cdi", LYON, "published", 1).await;
    let app = app_with(
        pool.clone(),
        &[("API_CORS_ORIGINS", "https://partenaire.fr")],
        false,
    )
    .await;

    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/v1/offres")
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "if-none-match")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app.send(preflight("https://partenaire.fr")).await;
    assert!(allowed.status().is_success());
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        "https://partenaire.fr"
    );
    assert!(header(&allowed, "access-control-allow-methods").contains("GET"));
    assert!(
        allowed
            .headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let refused = app.send(preflight("https://intrus.example")).await;
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let simple = app
        .get_with("/api/v1/offres", "origin", "https://partenaire.fr")
        .await;
    assert_eq!(
        header(&simple, "access-control-allow-origin"),
        "https://partenaire.fr"
    );
    assert!(
        header(&simple, "access-control-expose-headers")
            .to_lowercase()
            .contains("etag")
    );
    assert!(
        simple
            .headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    // The site's pages get no CORS headers.
    let page = app
        .get_with("/offres", "origin", "https://partenaire.fr")
        .await;
    assert!(page.headers().get("access-control-allow-origin").is_none());

    // A signed-in candidate's cookie: the same answer as anybody's, no session touched.
    let path = format!("/api/v1/offres/{id}");
    let anonymous = body_text(get(&app, &path).await).await;
    let mut candidate = signed_in(&app, Role::Candidate, "Camille").await;
    let cookie = candidate.cookie.clone().expect("a session cookie");
    let with_cookie = app.get_with(&path, "cookie", &cookie).await;
    assert_eq!(with_cookie.status(), StatusCode::OK);
    assert!(with_cookie.headers().get("set-cookie").is_none());
    assert_eq!(body_text(with_cookie).await, anonymous);
    // The same cookie still signs the candidate in on the site.
    assert_eq!(candidate.get("/compte").await.status(), StatusCode::OK);
    // A cross-site "write" with the cookie is only a 405: nothing there writes.
    let post = Request::post(&path)
        .header("cookie", &cookie)
        .header("origin", "https://intrus.example")
        .body(Body::empty())
        .unwrap();
    problem_of(app.send(post).await, StatusCode::METHOD_NOT_ALLOWED).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn past_its_quota_an_address_waits(pool: PgPool) {
    let app = app_with(
        pool,
        &[("API_RATE_BURST", "2"), ("API_RATE_PER_MINUTE", "1")],
        false,
    )
    .await;
    let first = get(&app, "/api/v1/communes?q=ly").await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&first, "ratelimit-policy"), "\"ip\";q=2;w=120");
    assert_eq!(header(&first, "ratelimit"), "\"ip\";r=1;t=60");
    let second = get(&app, "/api/v1/communes?q=ly").await;
    assert_eq!(header(&second, "ratelimit"), "\"ip\";r=0;t=120");
    let third = get(&app, "/api/v1/communes?q=ly").await;
    let retry: u64 = header(&third, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(header(&third, "ratelimit").starts_with("\"ip\";r=0;"));
    let body = problem_of(third, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(body["retry_after"], retry);
    // The site's own pages have their own limits.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_openapi_document_describes_every_route(pool: PgPool) {
    let app = app(pool).await;
    let doc = ok(&app, "/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/offres",
        "/api/v1/offres/{id}",
        "/api/v1/formations",
        "/api/v1/formations/{id}",
        "/api/v1/centres",
        "/api/v1/centres/{id}",
        "/api/v1/entreprises",
        "/api/v1/entreprises/{id}",
        "/api/v1/communes",
        "/api/v1/openapi.json",
        "/api/v1/docs",
    ] {
        let get = &paths[path]["get"];
        assert!(get.is_object(), "{path} is described");
        for status in ["200", "304", "400", "429"] {
            assert!(
                get["responses"][status].is_object(),
                "{path} answers {status}"
            );
        }
        assert!(get["responses"]["200"]["headers"]["ETag"].is_object());
    }
    // Each route documents exactly the parameters its handler accepts, and
    // declares for them what the handler checks.
    use passerelle::api::{communes, cursor, offers, organisations, params, trainings};
    let routes: &[(&str, &[&str])] = &[
        ("/api/v1/offres", &offers::PARAMETERS),
        ("/api/v1/offres/{id}", &["id"]),
        ("/api/v1/formations", &trainings::PARAMETERS),
        ("/api/v1/formations/{id}", &["id"]),
        ("/api/v1/centres", &organisations::PARAMETERS),
        ("/api/v1/centres/{id}", &["id"]),
        ("/api/v1/entreprises", &organisations::PARAMETERS),
        ("/api/v1/entreprises/{id}", &["id"]),
        ("/api/v1/communes", &communes::PARAMETERS),
        ("/api/v1/openapi.json", &[]),
        ("/api/v1/docs", &[]),
        ("/api/v1/oauth/token", &[]),
        ("/api/v1/oauth/revoke", &[]),
        ("/api/v1/entreprise/offres", &[]),
        ("/api/v1/entreprise/offres/{id}", &["id", "id"]),
        ("/api/v1/entreprise/offres/{id}/publication", &["id"]),
        ("/api/v1/entreprise/offres/{id}/cloture", &["id"]),
        ("/api/v1/entreprise/candidatures", &["offre"]),
        ("/api/v1/entreprise/candidatures/{id}", &["id"]),
        ("/api/v1/entreprise/candidatures/{id}/statut", &["id"]),
        ("/api/v1/entreprise/candidatures/{id}/cv", &["id"]),
        ("/api/v1/centre/formations", &[]),
        ("/api/v1/centre/formations/{id}", &["id", "id"]),
        ("/api/v1/centre/formations/{id}/publication", &["id"]),
        ("/api/v1/centre/formations/{id}/sessions", &["id"]),
        ("/api/v1/centre/sessions/{id}", &["id", "id"]),
        ("/api/v1/centre/inscriptions", &["formation"]),
        ("/api/v1/centre/inscriptions/{id}/decision", &["id"]),
        ("/api/v1/moi", &[]),
        ("/api/v1/moi/profil", &[]),
        ("/api/v1/moi/cv", &[]),
        ("/api/v1/moi/cv/{id}", &["id", "id"]),
        ("/api/v1/moi/candidatures", &[]),
        ("/api/v1/moi/candidatures/{id}", &["id"]),
        ("/api/v1/moi/candidatures/{id}/retrait", &["id"]),
        ("/api/v1/moi/inscriptions", &[]),
        ("/api/v1/moi/inscriptions/{id}", &["id"]),
        ("/api/v1/moi/inscriptions/{id}/retrait", &["id"]),
        ("/api/v1/moi/favoris", &[]),
        ("/api/v1/moi/favoris/offres/{id}", &["id", "id"]),
        ("/api/v1/moi/favoris/formations/{id}", &["id", "id"]),
        ("/api/v1/moi/alertes", &[]),
        ("/api/v1/moi/alertes/{id}", &["id", "id"]),
    ];
    // Every documented route is in this table.
    assert_eq!(routes.len(), paths.len());
    for &(path, accepted) in routes {
        let declared: Vec<Value> = paths[path]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|operation| operation["parameters"].as_array())
            .flatten()
            .cloned()
            .collect();
        let mut names: Vec<&str> = declared
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        names.sort_unstable();
        let mut accepted = accepted.to_vec();
        accepted.sort_unstable();
        assert_eq!(names, accepted, "{path}");
        for parameter in &declared {
            let (name, schema) = (parameter["name"].as_str().unwrap(), &parameter["schema"]);
            match name {
                "q" | "lieu" => {
                    assert_eq!(schema["pattern"], params::TEXT_PATTERN, "{path} {name}")
                }
                "cursor" => assert_eq!(schema["pattern"], cursor::PATTERN, "{path}"),
                "limit" => assert_eq!(schema["maximum"], cursor::MAX_LIMIT, "{path}"),
                "region" | "departement" => {
                    assert_eq!(schema["pattern"], "^[0-9A-Za-z]{1,3}$", "{path} {name}")
                }
                _ => {}
            }
        }
    }
    let search = &paths["/api/v1/offres"]["get"];
    let list = &doc["components"]["schemas"]["OfferList"];
    assert_eq!(list["properties"]["truncated"]["type"], "boolean");
    assert!(
        list["properties"]["total"]["description"]
            .as_str()
            .unwrap()
            .contains("20 000")
    );
    let schemas = &doc["components"]["schemas"];
    for schema in [
        "Problem",
        "Offer",
        "OfferList",
        "OfferPage",
        "Training",
        "TrainingPage",
        "Facet",
    ] {
        assert!(schemas[schema].is_object(), "{schema}");
    }
    assert_eq!(
        search["responses"]["429"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/Problem"
    );

    let page = app.get("/api/v1/docs").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let html = body_text(page).await;
    assert!(html.contains("API publique"));
    // Every operation of every route, each under its own method.
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let method = method.to_uppercase();
            assert!(
                html.contains(&format!("{method} {path}")),
                "{method} {path} on the page"
            );
        }
    }
}
