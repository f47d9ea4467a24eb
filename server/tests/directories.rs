//! The directories `/centres` and `/entreprises` over HTTP: only approved
//! organisations, with their counts; search (accent-insensitive), région
//! filter and pages as GET parameters; bad parameters never fail; the
//! sitemap and the header link to them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{app, body_text, ok_text};
use serde_json::Value;
use sqlx::PgPool;
use std::sync::atomic::{AtomicU64, Ordering};

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Départements whose communes the tests use: Lyon (Auvergne-Rhône-Alpes,
/// 84), Rennes (Bretagne, 53), Paris (Île-de-France, 11).
const DEPARTEMENTS: &[&str] = &["69", "35", "75"];
const LYON: &str = "69123";
const RENNES: &str = "35238";
const PARIS: &str = "75056";

/// A new organisation of `kind` in `status`, its head office in `commune`:
/// its id and slug. Directories need no members.
async fn org(
    pool: &PgPool,
    kind: &str,
    status: &str,
    name: &str,
    commune: Option<&str>,
    description: &str,
) -> (i64, String) {
    static SIRETS: AtomicU64 = AtomicU64::new(0);
    let siret = format!(
        "{:014}",
        40_000_000_000_000 + SIRETS.fetch_add(1, Ordering::Relaxed)
    );
    let row = sqlx::query!(
        "INSERT INTO organisations (kind, name, siret, status, commune_code, description)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, slug",
        kind,
        name,
        siret,
        status,
        commune,
        description
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.id, row.slug)
}

/// A training of `centre` in `status`, in the search as the app leaves it.
async fn training(pool: &PgPool, centre: i64, title: &str, status: &str) {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO trainings (centre_id, title, summary, modality, duration_hours, price_cents, status, published_at)
         VALUES ($1, $2, 'Une formation pour apprendre un métier.', 'distanciel', 35, 0, $3, now())
         RETURNING id",
    )
    .bind(centre)
    .bind(title)
    .bind(status)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("SELECT refresh_training_search($1)")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
}

/// The slugs of the cards on a directory page, in order.
fn cards(page: &str) -> Vec<String> {
    page.split("data-organisation-card=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

/// The total a directory page announces.
fn total(page: &str) -> i64 {
    let rest = page
        .split("data-total=\"")
        .nth(1)
        .expect("a data-total attribute");
    rest.split('"').next().unwrap().parse().unwrap()
}

/// The page's JSON-LD blocks.
fn json_ld(page: &str) -> Vec<Value> {
    page.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(s.split("</script>").next().unwrap()).unwrap())
        .collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn directories_list_approved_organisations_with_their_counts(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let (lumiere, lumiere_slug) = org(
        &pool,
        "centre",
        "approved",
        "Institut Lumière",
        Some(LYON),
        "Nos formations au numérique, à Lyon depuis 1998.",
    )
    .await;
    let logo: i64 = sqlx::query_scalar(
        "INSERT INTO media (visibility, content_type, sha256, byte_size, storage_key, variants)
         VALUES ('public', 'image/webp', 'logo-lumiere', 10, 'images/logo-lumiere.webp',
                 '[{\"width\": 320, \"height\": 160, \"key\": \"images/logo-lumiere-320.webp\", \"bytes\": 10}]')
         RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE organisations SET logo_media_id = $2 WHERE id = $1")
        .bind(lumiere)
        .bind(logo)
        .execute(&pool)
        .await
        .unwrap();
    training(&pool, lumiere, "Développeur web et web mobile", "published").await;
    training(&pool, lumiere, "Technicien réseaux", "published").await;
    training(&pool, lumiere, "Brouillon jamais publié", "draft").await;
    let (_, quiet_slug) = org(
        &pool,
        "centre",
        "approved",
        "Centre Sans Formation",
        None,
        "<script>alert('centre')</script> Présentation <b>grasse</b>",
    )
    .await;
    for (status, name) in [
        ("pending", "Centre En Attente"),
        ("suspended", "Centre Suspendu"),
        ("rejected", "Centre Refusé"),
    ] {
        let (hidden, _) = org(&pool, "centre", status, name, Some(LYON), "").await;
        training(&pool, hidden, &format!("Formation de {name}"), "published").await;
    }
    let (atelier, atelier_slug) = org(
        &pool,
        "entreprise",
        "approved",
        "Atelier Rhône",
        Some(LYON),
        "Mécanique de précision.",
    )
    .await;
    common::live_offer(&pool, atelier, "Soudeur TIG", "platform").await;
    let (expired, _) = common::live_offer(&pool, atelier, "Tourneur", "platform").await;
    common::set_offer_end_ago(&pool, expired, "1 day").await;
    common::refresh_job_search(&pool, expired).await;
    for (status, name) in [
        ("pending", "Entreprise En Attente"),
        ("suspended", "Entreprise Suspendue"),
    ] {
        let (hidden, _) = org(&pool, "entreprise", status, name, Some(LYON), "").await;
        common::live_offer(&pool, hidden, &format!("Offre de {name}"), "platform").await;
    }
    let server = app(pool.clone()).await;

    let page = ok_text(server.get("/centres").await).await;
    // Most active first.
    assert_eq!(cards(&page), [lumiere_slug.clone(), quiet_slug.clone()]);
    assert_eq!(total(&page), 2);
    common::assert_contains_all(
        &page,
        &[
            "<title>Centres de formation · Passerelle</title>",
            "<link href=\"http://localhost:3000/centres\" rel=\"canonical\">",
            "property=\"og:title\"",
            &format!("href=\"/centres/{lumiere_slug}\""),
            "Lyon · Auvergne-Rhône-Alpes",
            "Nos formations au numérique",
            "src=\"/medias/images/logo-lumiere-320.webp\"",
            "2 formations publiées",
            "Aucune formation publiée",
            "2 centres de formation",
            "role=\"status\"",
            "role=\"search\"",
            "<label for=\"annuaire-q\"",
            "<label for=\"annuaire-region\"",
            // User text is escaped.
            "&lt;script&gt;alert(",
        ],
    );
    assert!(!page.contains("<script>alert("), "{page}");
    assert!(!page.contains("<b>grasse"));
    assert!(!page.contains("noindex"), "the directory is indexable");
    assert_eq!(page.matches("<h1").count(), 1);
    for hidden in ["En Attente", "Suspendu", "Refusé"] {
        assert!(!page.contains(hidden), "{hidden} in {page}");
    }
    // One page: no pager.
    assert!(!page.contains("aria-label=\"Pagination\""));
    let blocks = json_ld(&page);
    let list = blocks
        .iter()
        .find(|v| v["@type"] == "ItemList")
        .expect("ItemList JSON-LD");
    assert_eq!(list["numberOfItems"], 2);
    assert_eq!(
        list["itemListElement"][0]["url"],
        format!("http://localhost:3000/centres/{lumiere_slug}")
    );
    assert_eq!(list["itemListElement"][0]["name"], "Institut Lumière");
    assert!(blocks.iter().any(|v| v["@type"] == "BreadcrumbList"));

    let page = ok_text(server.get("/entreprises").await).await;
    assert_eq!(cards(&page), [atelier_slug.as_str()]);
    common::assert_contains_all(
        &page,
        &[
            "<title>Entreprises · Passerelle</title>",
            "<link href=\"http://localhost:3000/entreprises\" rel=\"canonical\">",
            &format!("href=\"/entreprises/{atelier_slug}\""),
            // The expired offer is not counted.
            "1 offre en ligne",
            "1 entreprise",
        ],
    );
    for hidden in ["En Attente", "Suspendue"] {
        assert!(!page.contains(hidden), "{hidden} in {page}");
    }

    // Suspended: gone from the directory at once (the page cache follows).
    sqlx::query("UPDATE organisations SET status = 'suspended' WHERE id = $1")
        .bind(lumiere)
        .execute(&pool)
        .await
        .unwrap();
    let page = ok_text(server.get("/centres").await).await;
    assert_eq!(cards(&page), [quiet_slug]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn search_and_region_narrow_the_directory(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let (_, ecole) = org(
        &pool,
        "centre",
        "approved",
        "École Bretonne de Santé",
        Some(RENNES),
        "Formation d'aides-soignants et d'auxiliaires de puériculture.",
    )
    .await;
    let (_, lumiere) = org(
        &pool,
        "centre",
        "approved",
        "Institut Lumière",
        Some(LYON),
        "Développement web et réseaux.",
    )
    .await;
    let (_, canopee) = org(
        &pool,
        "centre",
        "approved",
        "Canopée Numérique",
        Some(PARIS),
        "Formations au design et au numérique.",
    )
    .await;
    let server = app(pool.clone()).await;
    let list = |path: &'static str| {
        let server = &server;
        async move { ok_text(server.get(path).await).await }
    };

    // Words of the name and the presentation, accents or not.
    let page = list("/centres?q=formation+ecole").await;
    assert_eq!(cards(&page), [ecole.as_str()]);
    assert_eq!(total(&page), 1);
    assert!(page.contains("Centres de formation « formation ecole »"));
    assert!(
        page.contains("name=\"robots\" content=\"noindex\""),
        "searches are not indexed"
    );
    assert!(page.contains(
        "<link href=\"http://localhost:3000/centres?q=formation+ecole\" rel=\"canonical\">"
    ));
    assert!(
        page.contains("value=\"formation ecole\""),
        "the field keeps the words"
    );
    assert_eq!(
        cards(&list("/centres?q=num%C3%A9rique").await),
        [canopee.as_str()]
    );
    assert_eq!(cards(&list("/centres?q=reseau").await), [lumiere.as_str()]);
    // Part of a name.
    assert_eq!(cards(&list("/centres?q=lumi").await), [lumiere.as_str()]);
    let none = list("/centres?q=boulangerie").await;
    assert!(cards(&none).is_empty());
    common::assert_contains_all(
        &none,
        &["Aucun centre ne correspond.", "Voir tous les centres"],
    );
    // LIKE's wildcards are plain characters.
    assert!(cards(&list("/centres?q=%25").await).is_empty());
    assert!(cards(&list("/centres?q=_").await).is_empty());

    // Région: the head office's.
    let page = list("/centres?region=53").await;
    assert_eq!(cards(&page), [ecole.as_str()]);
    common::assert_contains_all(
        &page,
        &[
            "Centres de formation en région Bretagne",
            "<option value=\"53\" selected",
            "<link href=\"http://localhost:3000/centres?region=53\" rel=\"canonical\">",
        ],
    );
    assert!(!page.contains("noindex"), "a région's list is indexable");
    assert_eq!(cards(&list("/centres?region=84").await), [lumiere.as_str()]);
    // Both at once, and empty parameters as a plain GET form sends them.
    assert!(cards(&list("/centres?q=ecole&region=84").await).is_empty());
    let page = list("/centres?q=&region=").await;
    assert_eq!(total(&page), 3);
    assert!(page.contains("<link href=\"http://localhost:3000/centres\" rel=\"canonical\">"));
    // An unknown région is ignored.
    let page = list("/centres?region=zz").await;
    assert_eq!(total(&page), 3);
    assert!(page.contains("<link href=\"http://localhost:3000/centres\" rel=\"canonical\">"));

    // A company is found in the région of any of its sites too.
    let (studio, studio_slug) = org(
        &pool,
        "entreprise",
        "approved",
        "Studio Parisien",
        Some(PARIS),
        "",
    )
    .await;
    sqlx::query("INSERT INTO organisation_places (organisation_id, commune_code) VALUES ($1, $2)")
        .bind(studio)
        .bind(LYON)
        .execute(&pool)
        .await
        .unwrap();
    let (_, rennais) = org(
        &pool,
        "entreprise",
        "approved",
        "Chantiers Rennais",
        Some(RENNES),
        "",
    )
    .await;
    assert_eq!(
        cards(&list("/entreprises?region=84").await),
        [studio_slug.as_str()]
    );
    assert_eq!(cards(&list("/entreprises?region=11").await), [studio_slug]);
    assert_eq!(cards(&list("/entreprises?region=53").await), [rennais]);
    // Centres are not companies.
    assert!(cards(&list("/entreprises?q=lumiere").await).is_empty());

    // The hydrated app asks the same through its server function.
    let (status, body) = common::json(
        server
            .get("/api/organisations/annuaire?kind=centre&query[q]=ecole&query[region]=53")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total"], 1);
    assert_eq!(body["cards"][0]["slug"], ecole);
    assert_eq!(body["cards"][0]["region"], "Bretagne");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn pages_of_twenty_and_bad_parameters_never_fail(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let mut slugs = Vec::new();
    for n in 1..=25 {
        let name = format!("Entreprise {n:02}");
        slugs.push(org(&pool, "entreprise", "approved", &name, Some(LYON), "").await);
    }
    // The one with a live offer comes first, the others by name.
    common::live_offer(&pool, slugs[24].0, "Magasinier cariste", "platform").await;
    let server = app(pool.clone()).await;

    let first = ok_text(server.get("/entreprises").await).await;
    assert_eq!(total(&first), 25);
    let shown = cards(&first);
    assert_eq!(shown.len(), 20);
    assert_eq!(shown[0], slugs[24].1);
    assert_eq!(shown[1], slugs[0].1);
    common::assert_contains_all(
        &first,
        &[
            "<nav aria-label=\"Pagination\"",
            "href=\"/entreprises?page=2\" rel=\"next\"",
            "<link href=\"http://localhost:3000/entreprises?page=2\" rel=\"next\">",
            "Page 1 sur 2",
        ],
    );
    let second = ok_text(server.get("/entreprises?page=2").await).await;
    let rest: Vec<String> = slugs[19..24].iter().map(|(_, s)| s.clone()).collect();
    assert_eq!(cards(&second), rest);
    common::assert_contains_all(
        &second,
        &[
            "href=\"/entreprises\" rel=\"prev\"",
            "Page 2 sur 2",
            "<link href=\"http://localhost:3000/entreprises?page=2\" rel=\"canonical\">",
        ],
    );
    // Past the end: the last page.
    let past = ok_text(server.get("/entreprises?page=99999").await).await;
    assert_eq!(cards(&past), rest);

    let long = "é".repeat(3_000);
    // (address, cards shown when it says)
    for (path, shown) in [
        // A bad page number is the first page; a huge one the last.
        ("/entreprises?page=abc".to_owned(), Some(20)),
        ("/entreprises?page=-1".to_owned(), Some(20)),
        ("/entreprises?page=0".to_owned(), Some(20)),
        (
            "/entreprises?page=99999999999999999999999".to_owned(),
            Some(5),
        ),
        ("/entreprises?region=zz".to_owned(), Some(20)),
        (
            "/entreprises?region=%27%3B+DROP+TABLE+organisations".to_owned(),
            Some(20),
        ),
        // Control characters are refused before the page (server::input).
        ("/entreprises?q=%00%01entreprise".to_owned(), None),
        (
            "/entreprises?q=%22%27%29%28%3A%2A%7C%21%26".to_owned(),
            None,
        ),
        (format!("/entreprises?q={long}"), None),
        (format!("/centres?q={long}&region={long}&page={long}"), None),
    ] {
        let response = server.get(&path).await;
        let status = response.status();
        let page = body_text(response).await;
        assert!(
            status == StatusCode::OK || status.is_client_error(),
            "{path}: {status}"
        );
        if let Some(shown) = shown {
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(cards(&page).len(), shown, "{path}");
        }
    }
    let api = server
        .get("/api/organisations/annuaire?kind=martien&query[page]=x")
        .await
        .status();
    assert!(!api.is_server_error(), "{api}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_sitemap_and_the_header_lead_to_the_directories(pool: PgPool) {
    let server = app(pool.clone()).await;
    let sitemap = ok_text(server.get("/sitemap.xml").await).await;
    common::assert_contains_all(
        &sitemap,
        &[
            "<loc>http://localhost:3000/centres</loc>",
            "<loc>http://localhost:3000/entreprises</loc>",
        ],
    );
    let home = ok_text(server.get("/").await).await;
    common::assert_contains_all(&home, &["href=\"/centres\"", "href=\"/entreprises\""]);
    assert!(!home.contains("href=\"/#centres\""));
    assert!(!home.contains("href=\"/#entreprises\""));
    // Empty directories still answer, with nothing to page through.
    let page = ok_text(server.get("/entreprises").await).await;
    assert!(page.contains("Aucune entreprise ne correspond."));
    assert!(
        !page.contains("Voir toutes les entreprises"),
        "nothing was filtered"
    );
}
