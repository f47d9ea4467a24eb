//! First-party audience measurement over the real stack: what counts
//! (pages, listing views, searches, funnel steps), what does not (robots,
//! revalidations, API calls), the daily totals it writes, and how the back
//! office and each organisation read them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::http::StatusCode;
use common::{app, body_text, json, ok_text, signed_in};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Today's totals: (metric, label, item) → (hits, zero).
async fn totals(pool: &PgPool) -> Vec<(String, String, i64, i64, i64)> {
    sqlx::query!(
        "SELECT metric, label, item, hits, zero FROM analytics_daily
         WHERE day = (now() AT TIME ZONE 'Europe/Paris')::date ORDER BY metric, label, item"
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.metric, r.label, r.item, r.hits, r.zero))
    .collect()
}

/// (hits, zero) of one counter today, (0, 0) when nothing was counted.
fn counted(
    rows: &[(String, String, i64, i64, i64)],
    metric: &str,
    label: &str,
    item: i64,
) -> (i64, i64) {
    rows.iter()
        .find(|(m, l, i, _, _)| m == metric && l == label && *i == item)
        .map_or((0, 0), |(_, _, _, hits, zero)| (*hits, *zero))
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n% CV\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        .to_vec()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn pages_searches_and_funnel_steps_become_daily_totals(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut rita, company, _) =
        common::organisation_owner(&app, "entreprise", "approved", "Atelier Nord", "Rita").await;
    let (offer, slug) = common::live_offer(&pool, company, "Soudeur TIG", "platform").await;
    let page = format!("/offres/{slug}");

    // Two visitors (the second gets the kept page), two searches, a robot.
    ok_text(app.get(&page).await).await;
    ok_text(app.get(&page).await).await;
    ok_text(app.get("/offres?q=Soudeur").await).await;
    ok_text(app.get("/offres?q=Astronaute++lunaire&contrat=cdi").await).await;
    let robot = app
        .get_with(
            &page,
            "user-agent",
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
        )
        .await;
    assert_eq!(robot.status(), StatusCode::OK);
    // A revalidation is a view of the offer, but no page served.
    let kept = app.get(&page).await;
    let etag = common::header(&kept, "etag").to_owned();
    assert_eq!(
        app.get_with(&page, "if-none-match", &etag).await.status(),
        StatusCode::NOT_MODIFIED
    );

    // A candidate sees the form and applies.
    let (mut lina, _, _) = common::signed_in_account(&app, Role::Candidate, "Lina").await;
    let form = body_text(lina.get(&page).await).await;
    assert!(form.contains("Envoyer ma candidature"), "{form}");
    lina.upload_cv("cv.pdf", &pdf()).await;
    let offer_id = offer.to_string();
    let referer = format!("http://localhost:3000{page}");
    let (status, body) = json(
        lina.post_multipart(
            "/api/candidatures/postuler",
            &[
                ("offer_id", &offer_id),
                ("message", "Bonjour, je suis soudeuse."),
            ],
            ("", "application/pdf", b""),
            &[("accept", "application/json"), ("referer", &referer)],
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A robot that renders a page first leaves it counting for people.
    let (second, second_slug) =
        common::live_offer(&pool, company, "Chaudronnier", "platform").await;
    let second_page = format!("/offres/{second_slug}");
    let robot = app
        .get_with(&second_page, "user-agent", "Googlebot/2.1")
        .await;
    assert_eq!(robot.status(), StatusCode::OK);
    ok_text(app.get(&second_page).await).await;

    // Nothing is written until the flush, then everything at once.
    assert!(totals(&pool).await.is_empty());
    app.analytics.flush(&pool).await.unwrap();
    let rows = totals(&pool).await;
    // Views: the visitors' 3 pages and 1 revalidation, the candidate's
    // page, not the robot's; offer pages: the same but the revalidation,
    // plus the second offer's.
    assert_eq!(counted(&rows, "vue", "offre", offer), (5, 0));
    assert_eq!(counted(&rows, "page", "offre", 0), (5, 0));
    assert_eq!(counted(&rows, "page", "recherche d'offres", 0), (2, 0));
    assert_eq!(counted(&rows, "vue", "offre", second), (1, 0));
    assert_eq!(counted(&rows, "recherche_offres", "soudeur", 0), (1, 0));
    assert_eq!(
        counted(&rows, "recherche_offres", "astronaute lunaire", 0),
        (1, 1)
    );
    assert_eq!(counted(&rows, "filtre_offres", "contrat=cdi", 0), (1, 0));
    assert_eq!(counted(&rows, "candidature_ouverte", "", offer), (1, 0));
    assert_eq!(counted(&rows, "candidature_envoyee", "", offer), (1, 0));
    // Nothing about a person: no address, no account.
    assert!(
        rows.iter()
            .all(|(_, label, _, _, _)| !label.contains('@') && !label.contains("Lina")),
        "{rows:?}"
    );
    assert_eq!(app.analytics.flush(&pool).await.unwrap(), 0);

    // The back office reads the period's figures, searches and funnels.
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let (status, stats) = admin.call("/api/admin/statistiques", &[]).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    let total = |key: &str| -> i64 {
        stats["series"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap()["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .sum()
    };
    assert_eq!(stats["periods"].as_array().unwrap().len(), 30);
    assert_eq!(total("candidatures"), 1);
    assert_eq!(total("inscriptions_candidate"), 1);
    assert_eq!(total("offres_publiees"), 2);
    // A level, not a flow: both offers are online at the period's end.
    assert_eq!(total("offres_en_ligne"), 2);
    assert_eq!(total("recherches_offres"), 2);
    assert_eq!(total("recherches_sans_resultat"), 1);
    let pages: i64 = rows
        .iter()
        .filter(|(m, ..)| m == "page")
        .map(|(.., hits, _)| hits)
        .sum();
    assert_eq!(total("pages_vues"), pages);
    assert_eq!(
        stats["zero_result_searches"][0]["words"],
        "astronaute lunaire"
    );
    let offers_funnel = &stats["funnels"][0];
    assert_eq!(offers_funnel["title"], "Offres d'emploi");
    let steps: Vec<i64> = offers_funnel["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[1].as_i64().unwrap())
        .collect();
    assert_eq!(steps, [6, 1, 1]);
    let home = body_text(admin.get("/admin").await).await;
    assert!(home.contains("Recherches sans résultat"), "{home}");
    assert!(home.contains("astronaute lunaire"), "{home}");
    assert!(home.contains("<svg"), "{home}");

    // Weekly, and refused when the period makes no sense.
    let (status, weekly) = admin
        .call(
            "/api/admin/statistiques",
            &[
                ("du", "2026-11-02"),
                ("au", "2026-11-29"),
                ("pas", "semaine"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{weekly}");
    assert_eq!(weekly["periods"].as_array().unwrap().len(), 4);
    let (status, body) = admin
        .call(
            "/api/admin/statistiques",
            &[("du", "2026-12-01"), ("au", "2026-11-01")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "du");

    // The same figures as a spreadsheet, for admins only.
    let csv = admin.get("/admin/statistiques.csv?pas=jour").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = body_text(csv).await;
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .contains("période;Inscriptions de candidats")
    );
    let separator = |line: &&str| line.is_empty() || *line == "\"\"";
    assert_eq!(lines.by_ref().take_while(|l| !separator(l)).count(), 30);
    // Then every other table, each under its title.
    let rest = lines.collect::<Vec<_>>().join("\n");
    assert!(
        rest.contains("Recherches sans résultat\nmots;sans résultat\nastronaute lunaire;1"),
        "{rest}"
    );
    assert_eq!(
        rita.get("/admin/statistiques.csv").await.status(),
        StatusCode::FORBIDDEN
    );

    // The company sees its own listings' audience, and only those.
    let (status, audience) = rita
        .call("/api/organisation/audience", &[("kind", "entreprise")])
        .await;
    assert_eq!(status, StatusCode::OK, "{audience}");
    let listing: &Value = &audience["listings"][0];
    assert_eq!(
        (
            &listing["title"],
            &listing["views"],
            &listing["started"],
            &listing["requests"]
        ),
        (
            &Value::from("Soudeur TIG"),
            &Value::from(5),
            &Value::from(1),
            &Value::from(1)
        )
    );
    let daily: i64 = audience["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(daily, 6, "{audience}");
    // Each listing's own views per day: 30 days, today's last.
    let per_day = listing["daily_views"].as_array().unwrap();
    assert_eq!(per_day.len(), 30);
    assert_eq!(per_day[29], 5, "{audience}");
    // The same as a spreadsheet, for the company only.
    let csv = rita
        .get("/tableau-de-bord/audience.csv?type=entreprise")
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = body_text(csv).await;
    assert!(csv.contains("\nSoudeur TIG;5;1;1;"), "{csv}");
    assert!(csv.contains("Offres vues;6"), "{csv}");
    let (mut other, _, _) =
        common::organisation_owner(&app, "entreprise", "approved", "Atelier Sud", "Sam").await;
    let (_, theirs) = other
        .call("/api/organisation/audience", &[("kind", "entreprise")])
        .await;
    assert_eq!(theirs["listings"], Value::Array(vec![]));
    assert_eq!(theirs["funnel"]["steps"][0][1], 0);
    // Another company's spreadsheet holds none of Rita's offers; a visitor is
    // sent to sign in.
    let theirs = body_text(
        other
            .get("/tableau-de-bord/audience.csv?type=entreprise")
            .await,
    )
    .await;
    assert!(!theirs.contains("Soudeur TIG"), "{theirs}");
    let visitor = app
        .get("/tableau-de-bord/audience.csv?type=entreprise")
        .await;
    assert!(visitor.status().is_redirection());
    let dashboard = body_text(rita.get("/tableau-de-bord/offres").await).await;
    assert!(
        dashboard.contains("Audience des 30 derniers jours"),
        "{dashboard}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn totals_are_forgotten_after_25_months(pool: PgPool) {
    sqlx::query(
        "INSERT INTO analytics_daily (day, metric, label, hits) VALUES
             (current_date - interval '26 months', 'recherche_offres', 'ancienne', 3),
             (current_date - interval '24 months', 'recherche_offres', 'récente', 2)",
    )
    .execute(&pool)
    .await
    .unwrap();
    app::worker::forget_old_records(&pool).await.unwrap();
    let left: Vec<String> = sqlx::query_scalar("SELECT label FROM analytics_daily")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(left, ["récente"]);
}
