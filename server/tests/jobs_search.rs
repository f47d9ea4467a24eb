//! The public job board: search and facets on fixtures, the offer page and
//! its JobPosting JSON-LD, expiry (banner, noindex, 410 once archived), the
//! sitemap, saved offers, and the bridge between offers and trainings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::{
    identity::users::Role,
    jobs::search,
    ui::search::{Scope, SearchQuery},
};
use axum::http::StatusCode;
use common::search::within;
use common::{TestApp, app, body_text, signed_in};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Départements whose communes the tests use.
const DEPARTEMENTS: &[&str] = &["69", "75", "13", "38", "33"];

async fn company(pool: &PgPool, name: &str, status: &str) -> i64 {
    let n: i64 = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM organisations"#)
        .fetch_one(pool)
        .await
        .unwrap();
    let siret = format!("{:014}", 90_000_000_000_000 + n * 7);
    sqlx::query_scalar!(
        "INSERT INTO organisations (kind, name, siret, status, website)
         VALUES ('entreprise', $1, $2, $3, 'https://exemple.fr') RETURNING id",
        name,
        siret,
        status
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// An offer as a recruiter's form would leave it; `fields` override the defaults.
#[derive(Clone)]
struct Offer {
    title: &'static str,
    description: &'static str,
    contract: &'static str,
    working_time: &'static str,
    remote: &'static str,
    salary: Option<(i32, Option<i32>, &'static str)>,
    experience: &'static str,
    commune: Option<&'static str>,
    status: &'static str,
    days_ago: i32,
    expires_in_days: i32,
    apply_channel: &'static str,
    skills: &'static [&'static str],
}

const BASE: Offer = Offer {
    title: "Offre",
    description: "Une équipe qui recrute.",
    contract: "cdi",
    working_time: "temps-plein",
    remote: "presentiel",
    salary: None,
    experience: "debutant",
    commune: Some("69123"),
    status: "published",
    days_ago: 2,
    expires_in_days: 58,
    apply_channel: "platform",
    skills: &[],
};

/// The default offer (`BASE`) of `company`, titled `title`.
async fn default_offer(pool: &PgPool, company: i64, title: &'static str) -> (i64, String) {
    offer(pool, company, Offer { title, ..BASE }).await
}

async fn offer(pool: &PgPool, company: i64, o: Offer) -> (i64, String) {
    let (min, max, unit) = match o.salary {
        Some((min, max, unit)) => (Some(min), max, Some(unit)),
        None => (None, None, None),
    };
    let (apply_url, apply_email) = match o.apply_channel {
        "url" => ("https://exemple.fr/postuler", ""),
        "email" => ("", "rh@exemple.fr"),
        _ => ("", ""),
    };
    let row = sqlx::query!(
        "INSERT INTO job_offers (company_id, title, description_markdown, description_html, contract,
                                 working_time, remote, salary_min, salary_max, salary_unit, experience,
                                 commune_code, status, published_at, expires_at, apply_channel,
                                 apply_url, apply_email)
         VALUES ($1, $2, $3, '<p>' || $3 || '</p>', $4, $5, $6, $7, $8, $9, $10, $11, $12,
                 CASE WHEN $12 <> 'draft' THEN now() - make_interval(days => $13) END,
                 now() + make_interval(days => $14), $15, $16, $17)
         RETURNING id, slug",
        company,
        o.title,
        o.description,
        o.contract,
        o.working_time,
        o.remote,
        min,
        max,
        unit,
        o.experience,
        o.commune,
        o.status,
        o.days_ago,
        o.expires_in_days,
        o.apply_channel,
        apply_url,
        apply_email
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let skills: Vec<String> = o.skills.iter().map(|s| (*s).to_owned()).collect();
    let found = sqlx::query!(
        "INSERT INTO job_skills (offer_id, skill_id) SELECT $1, id FROM skills WHERE name = ANY($2)",
        row.id,
        &skills
    )
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(found.rows_affected() as usize, skills.len(), "{skills:?}");
    common::refresh_job_search(pool, row.id).await;
    (row.id, row.slug)
}

fn query(q: &str, facets: &[(&str, &str)]) -> SearchQuery {
    SearchQuery::with(Scope::Offers, q, facets)
}

async fn titles(pool: &PgPool, query: SearchQuery) -> Vec<String> {
    search::run(pool, query)
        .await
        .unwrap()
        .cards
        .into_iter()
        .map(|c| c.title)
        .collect()
}

/// The JSON-LD objects of a page.
fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .filter_map(|part| part.split("</script>").next())
        .map(|text| serde_json::from_str(text).unwrap())
        .collect()
}

fn job_posting(html: &str) -> Option<Value> {
    json_ld(html)
        .into_iter()
        .find(|v| v["@type"] == "JobPosting")
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn search_ranks_titles_first_forgives_typos_and_hides_closed_offers(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Métallerie Dupont", "approved").await;
    let pending = company(&pool, "Soudures en attente", "pending").await;
    for fixture in [
        Offer {
            title: "Soudeur TIG (H/F)",
            ..BASE
        },
        Offer {
            title: "Chaudronnier",
            skills: &["Soudure"],
            ..BASE
        },
        Offer {
            title: "Technicien de maintenance",
            description: "Vous ferez aussi un peu de soudure à l'arc.",
            ..BASE
        },
    ] {
        offer(&pool, acme, fixture).await;
    }
    // Not public: a draft, an expired one, one past its date the worker has
    // not swept yet, a pending company's.
    for fixture in [
        Offer {
            title: "Soudeur brouillon",
            status: "draft",
            ..BASE
        },
        Offer {
            title: "Soudeur expiré",
            status: "expired",
            expires_in_days: -1,
            ..BASE
        },
    ] {
        offer(&pool, acme, fixture).await;
    }
    let (stale, _) = default_offer(&pool, acme, "Soudeur périmé").await;
    sqlx::query!(
        "UPDATE job_search SET expires_at = now() - interval '1 minute' WHERE offer_id = $1",
        stale
    )
    .execute(&pool)
    .await
    .unwrap();
    default_offer(&pool, pending, "Soudeur en attente").await;
    // An absurd hourly rate is capped when made yearly, not an overflow.
    offer(
        &pool,
        acme,
        Offer {
            title: "Consultant hors de prix",
            salary: Some((5_000_000, None, "heure")),
            ..BASE
        },
    )
    .await;

    assert_eq!(
        titles(&pool, query("soudeur", &[])).await,
        ["Soudeur TIG (H/F)"]
    );
    // Title, then the skill, then the description: "soudure" and "soudeur"
    // share no stem, so this one asks for the skill's word.
    assert_eq!(
        titles(&pool, query("soudure", &[])).await,
        ["Chaudronnier", "Technicien de maintenance"]
    );
    // The company's name is searchable; accents do not matter.
    assert_eq!(titles(&pool, query("metallerie", &[])).await.len(), 4);
    // A typo finds the title.
    assert_eq!(
        titles(&pool, query("technicein maintenance", &[])).await,
        ["Technicien de maintenance"]
    );
    // Word by word: a misspelt title word next to a skill's word, which no
    // title looks like as a whole.
    assert_eq!(
        titles(&pool, query("soudure technicein", &[])).await,
        ["Technicien de maintenance"]
    );
    // The typo-tolerant try keeps the filters, and a search the filters
    // empty stays empty.
    assert_eq!(
        titles(
            &pool,
            query("technicein maintenance", &[("contrat", "cdi")])
        )
        .await,
        ["Technicien de maintenance"]
    );
    assert!(
        titles(
            &pool,
            query("technicein maintenance", &[("contrat", "cdd")])
        )
        .await
        .is_empty()
    );
    assert!(
        titles(&pool, query("soudeur", &[("contrat", "stage")]))
            .await
            .is_empty()
    );
    assert!(titles(&pool, query("boulanger", &[])).await.is_empty());

    let page = body_text(app(pool.clone()).await.get("/offres?q=soudeur").await).await;
    assert!(page.contains("data-total=\"1\""), "{page}");
    assert!(
        page.contains("noindex"),
        "a free-text search is not indexed"
    );
    let ld = json_ld(&page);
    assert!(ld.iter().any(|v| v["@type"] == "ItemList"));
    assert!(
        job_posting(&page).is_none(),
        "JobPosting only on offer pages"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_facet_count_is_what_its_click_gives(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Groupe Horizon", "approved").await;
    let fixtures = [
        Offer {
            title: "Développeur web",
            contract: "cdi",
            remote: "hybride",
            salary: Some((38_000, Some(45_000), "annee")),
            experience: "3-5",
            commune: Some("69123"),
            days_ago: 0,
            ..BASE
        },
        Offer {
            title: "Développeuse mobile",
            contract: "cdi",
            remote: "teletravail",
            salary: Some((3_000, None, "mois")),
            experience: "3-5",
            commune: None,
            days_ago: 3,
            ..BASE
        },
        Offer {
            title: "Développeur stagiaire",
            contract: "stage",
            remote: "presentiel",
            salary: Some((4, None, "heure")),
            experience: "debutant",
            commune: Some("69266"),
            days_ago: 10,
            ..BASE
        },
        Offer {
            title: "Cariste",
            contract: "interim",
            remote: "presentiel",
            salary: Some((12, None, "heure")),
            experience: "1-2",
            commune: Some("75056"),
            days_ago: 20,
            ..BASE
        },
        Offer {
            title: "Comptable",
            contract: "cdd",
            remote: "hybride",
            working_time: "temps-partiel",
            experience: "5-plus",
            commune: Some("13055"),
            days_ago: 40,
            ..BASE
        },
        Offer {
            title: "Développeur alternant",
            contract: "alternance",
            remote: "presentiel",
            salary: Some((1_100, None, "mois")),
            commune: Some("38185"),
            days_ago: 1,
            ..BASE
        },
    ];
    for fixture in fixtures {
        offer(&pool, acme, fixture).await;
    }
    for base in [
        query("", &[]),
        query("developpeur", &[]),
        query("", &[("contrat", "cdi")]),
        query("", &[("teletravail", "presentiel"), ("region", "84")]),
        query("", &[("salaire", "25000")]),
    ] {
        common::search::assert_facet_counts_match(|q| search::run(&pool, q), base).await;
    }
    let all = search::run(&pool, query("", &[])).await.unwrap();
    assert_eq!(all.total, 6);
    let count = |key: &str, value: &str| {
        all.facets
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| f.values.iter().find(|v| v.value == value))
            .map_or(0, |v| v.count)
    };
    // Salary floors are yearly and cumulative: 38 k€/year, 3,000 €/month
    // (36 k€), 12 €/hour (19.3 k€), 1,100 €/month (13.2 k€), 4 €/hour.
    assert_eq!(count("salaire", "20000"), 2);
    assert_eq!(count("salaire", "35000"), 2);
    assert_eq!(count("salaire", "40000"), 0);
    // Posted within: 0, 1, 3, 10, 20, 40 days ago.
    assert_eq!(count("publiee", "24h"), 1);
    assert_eq!(count("publiee", "7j"), 3);
    assert_eq!(count("publiee", "30j"), 5);
    assert_eq!(count("region", "84"), 3, "Lyon, Villeurbanne, Grenoble");
    assert_eq!(count("teletravail", "teletravail"), 1);
    // Newest first when asked.
    let newest = search::run(
        &pool,
        SearchQuery {
            tri: "date".into(),
            ..query("", &[])
        },
    )
    .await
    .unwrap();
    assert_eq!(newest.cards[0].title, "Développeur web");
    assert_eq!(newest.cards[5].title, "Comptable");

    // Around Lyon: the offers within the radius, and the fully remote one.
    let near = search::run(&pool, within(query("", &[]), "Lyon", "10"))
        .await
        .unwrap();
    let mut found: Vec<String> = near.cards.into_iter().map(|c| c.title).collect();
    found.sort();
    assert_eq!(
        found,
        [
            "Développeur stagiaire",
            "Développeur web",
            "Développeuse mobile"
        ]
    );
    let far = search::run(&pool, within(query("", &[]), "Lyon", "100"))
        .await
        .unwrap();
    assert_eq!(far.total, 4, "Grenoble is within 100 km");

    // Without JavaScript the facets are links carrying the whole search.
    let page = body_text(app(pool.clone()).await.get("/offres?contrat=cdi").await).await;
    assert!(page.contains("data-total=\"2\""));
    assert!(
        page.contains("href=\"/offres?contrat=cdi&amp;teletravail=hybride\""),
        "{page}"
    );
    assert!(!page.contains("noindex"), "facet pages are indexable");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_offer_page_carries_its_job_posting(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Clinique du Parc", "approved").await;
    let (id, slug) = offer(
        &pool,
        acme,
        Offer {
            title: "Aide-soignant de nuit (H/F)",
            description: "Nuits en **EHPAD**.",
            contract: "cdd",
            working_time: "temps-partiel",
            salary: Some((1_900, Some(2_200), "mois")),
            commune: Some("69123"),
            apply_channel: "platform",
            ..BASE
        },
    )
    .await;
    sqlx::query!(
        "UPDATE job_offers SET description_html = '<p>Nuits en <strong>EHPAD</strong>.</p>' WHERE id = $1",
        id
    )
    .execute(&pool)
    .await
    .unwrap();
    let server = app(pool.clone()).await;
    let page = common::ok_text(server.get(&format!("/offres/{slug}")).await).await;
    assert!(!page.contains("noindex"));
    let posting = job_posting(&page).expect("JobPosting");
    assert_eq!(posting["@context"], "https://schema.org");
    assert_eq!(posting["title"], "Aide-soignant de nuit (H/F)");
    assert_eq!(
        posting["description"],
        "<p>Nuits en <strong>EHPAD</strong>.</p>"
    );
    let posted =
        chrono::DateTime::parse_from_rfc3339(posting["datePosted"].as_str().unwrap()).unwrap();
    let through =
        chrono::DateTime::parse_from_rfc3339(posting["validThrough"].as_str().unwrap()).unwrap();
    assert!((through - posted).num_days() >= 59, "{posted} → {through}");
    assert!(through > chrono::Utc::now());
    assert_eq!(
        posting["employmentType"],
        serde_json::json!(["TEMPORARY", "PART_TIME"])
    );
    assert_eq!(posting["hiringOrganization"]["@type"], "Organization");
    assert_eq!(posting["hiringOrganization"]["name"], "Clinique du Parc");
    assert_eq!(
        posting["hiringOrganization"]["sameAs"],
        "https://exemple.fr"
    );
    let address = &posting["jobLocation"]["address"];
    assert_eq!(address["@type"], "PostalAddress");
    assert_eq!(address["addressLocality"], "Lyon");
    assert_eq!(address["addressCountry"], "FR");
    assert!(address["postalCode"].as_str().unwrap().starts_with("690"));
    assert!(posting.get("jobLocationType").is_none());
    let salary = &posting["baseSalary"];
    assert_eq!(salary["@type"], "MonetaryAmount");
    assert_eq!(salary["currency"], "EUR");
    assert_eq!(salary["value"]["unitText"], "MONTH");
    assert_eq!(salary["value"]["minValue"], 1900);
    assert_eq!(salary["value"]["maxValue"], 2200);
    assert_eq!(posting["directApply"], true);
    assert_eq!(posting["identifier"]["@type"], "PropertyValue");
    assert_eq!(posting["identifier"]["value"], id.to_string());
    // A page render counts one view (and one page), written with the next flush.
    assert_eq!(
        common::column::<i64>(&pool, "job_offers", "view_count", id).await,
        0
    );
    assert_eq!(server.analytics.flush(&pool).await.unwrap(), 2);
    assert_eq!(
        common::column::<i64>(&pool, "job_offers", "view_count", id).await,
        1
    );

    // Fully remote, no salary, applications on the company's site.
    let (_, remote) = offer(
        &pool,
        acme,
        Offer {
            title: "Secrétaire médicale à distance",
            contract: "freelance",
            remote: "teletravail",
            commune: None,
            apply_channel: "url",
            ..BASE
        },
    )
    .await;
    let page = body_text(server.get(&format!("/offres/{remote}")).await).await;
    let posting = job_posting(&page).unwrap();
    assert_eq!(posting["jobLocationType"], "TELECOMMUTE");
    assert_eq!(posting["applicantLocationRequirements"]["@type"], "Country");
    assert_eq!(posting["applicantLocationRequirements"]["name"], "France");
    assert!(posting.get("jobLocation").is_none());
    assert!(posting.get("baseSalary").is_none());
    assert_eq!(posting["employmentType"], serde_json::json!(["CONTRACTOR"]));
    assert_eq!(posting["directApply"], false);
    assert!(
        page.contains("href=\"https://exemple.fr/postuler\" rel=\"nofollow noopener\""),
        "external apply links are nofollow noopener"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn expired_offers_stay_readable_then_archived_ones_are_gone(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Transports Martin", "approved").await;
    let pending = company(&pool, "Entreprise en attente", "pending").await;
    let (live, live_slug) = default_offer(&pool, acme, "Chauffeur poids lourd").await;
    let (expired, slug) = offer(
        &pool,
        acme,
        Offer {
            title: "Cariste CACES",
            status: "expired",
            days_ago: 70,
            expires_in_days: -10,
            ..BASE
        },
    )
    .await;
    let (_, draft) = offer(
        &pool,
        acme,
        Offer {
            title: "Brouillon de quai",
            status: "draft",
            ..BASE
        },
    )
    .await;
    let (_, hidden) = default_offer(&pool, pending, "Magasinier en attente").await;
    let server = app(pool.clone()).await;

    let response = server.get(&format!("/offres/{slug}")).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "an expired offer stays readable"
    );
    let page = body_text(response).await;
    assert!(
        page.contains("data-offer-closed=\"expired\""),
        "a clear banner"
    );
    common::assert_contains_all(
        &page,
        &[
            "Cette offre a expiré le",
            "noindex",
            "Les candidatures sont closes.",
        ],
    );
    let posting = job_posting(&page).unwrap();
    let through =
        chrono::DateTime::parse_from_rfc3339(posting["validThrough"].as_str().unwrap()).unwrap();
    assert!(through < chrono::Utc::now(), "validThrough in the past");

    let sitemap = body_text(server.get("/sitemap.xml").await).await;
    assert!(sitemap.contains(&format!("/offres/{live_slug}")));
    assert!(
        !sitemap.contains(&format!("/offres/{slug}")),
        "expired offers leave the sitemap"
    );

    // Filled: readable with its banner, out of the search.
    sqlx::query!(
        "UPDATE job_offers SET status = 'filled' WHERE id = $1",
        live
    )
    .execute(&pool)
    .await
    .unwrap();
    common::refresh_job_search(&pool, live).await;
    let page = body_text(server.get(&format!("/offres/{live_slug}")).await).await;
    assert!(page.contains("data-offer-closed=\"filled\""));
    assert_eq!(search::run(&pool, query("", &[])).await.unwrap().total, 0);
    // Seen again: served from the page cache.
    let (hits, _) = server.pages.hits_and_misses();
    server.get(&format!("/offres/{live_slug}")).await;
    assert_eq!(server.pages.hits_and_misses().0, hits + 1);
    // A filled offer is in no search; archiving it still ends its cached page.
    sqlx::query!(
        "UPDATE job_offers SET status = 'archived' WHERE id = $1",
        live
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        server.get(&format!("/offres/{live_slug}")).await.status(),
        StatusCode::GONE
    );

    sqlx::query!(
        "UPDATE job_offers SET status = 'archived' WHERE id = $1",
        expired
    )
    .execute(&pool)
    .await
    .unwrap();
    let response = server.get(&format!("/offres/{slug}")).await;
    assert_eq!(response.status(), StatusCode::GONE);
    let page = body_text(response).await;
    assert!(page.contains("Cette offre d'emploi a été retirée"));
    assert!(page.contains("noindex"));
    assert!(job_posting(&page).is_none());

    // The hydrated app asks the server function: a 200 whose body says gone.
    let mut visitor = common::Client::new(&server);
    let response = visitor.post("/api/offres/fiche", &[("slug", &slug)]).await;
    common::assert_says(response, StatusCode::OK, "Gone").await;

    // A draft archived without ever being published never existed publicly.
    sqlx::query!(
        "UPDATE job_offers SET status = 'archived' WHERE slug = $1",
        draft
    )
    .execute(&pool)
    .await
    .unwrap();
    for path in [
        format!("/offres/{draft}"),
        format!("/offres/{hidden}"),
        "/offres/inconnue".to_owned(),
    ] {
        assert_eq!(
            server.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_bridge_shows_missing_skills_and_the_trainings_that_teach_them(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Web Factory", "approved").await;
    let (_, slug) = offer(
        &pool,
        acme,
        Offer {
            title: "Développeur full stack",
            skills: &["Développement web", "Bases de données SQL"],
            ..BASE
        },
    )
    .await;
    offer(
        &pool,
        acme,
        Offer {
            title: "Commercial terrain",
            skills: &["Vente"],
            ..BASE
        },
    )
    .await;
    // Trainings by an approved centre, each teaching one skill.
    let centre: i64 = sqlx::query_scalar!(
        "INSERT INTO organisations (kind, name, siret, status) VALUES ('centre', 'Centre Bridge', '91111111100015', 'approved') RETURNING id"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut training_slugs = Vec::new();
    // The offer is in Lyon: trainings at a distance, near it (Villeurbanne),
    // in its région (Grenoble, 95 km) and elsewhere (Marseille).
    for (title, skill, starts_in, place) in [
        (
            "Formation bases de données SQL",
            "Bases de données SQL",
            40,
            None,
        ),
        ("Formation développement web", "Développement web", 10, None),
        ("Formation vente en magasin", "Vente", 5, None),
        (
            "Formation SQL à Villeurbanne",
            "Bases de données SQL",
            60,
            Some("69266"),
        ),
        (
            "Formation SQL à Grenoble",
            "Bases de données SQL",
            1,
            Some("38185"),
        ),
        (
            "Formation SQL à Marseille",
            "Bases de données SQL",
            2,
            Some("13055"),
        ),
    ] {
        let modality = if place.is_some() {
            "presentiel"
        } else {
            "distanciel"
        };
        let row = sqlx::query!(
            "INSERT INTO trainings (centre_id, title, summary, modality, duration_hours, price_cents, status, published_at)
             VALUES ($1, $2, 'Résumé', $3, 35, 0, 'published', now()) RETURNING id, slug",
            centre,
            title,
            modality
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        if let Some(place) = place {
            sqlx::query!(
                "INSERT INTO training_places (training_id, commune_code) VALUES ($1, $2)",
                row.id,
                place
            )
            .execute(&pool)
            .await
            .unwrap();
        }
        sqlx::query!(
            "INSERT INTO training_skills (training_id, skill_id) SELECT $1, id FROM skills WHERE name = $2",
            row.id,
            skill
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query!(
            "INSERT INTO training_sessions (training_id, starts_on, ends_on, seats)
             VALUES ($1, current_date + $2::int, current_date + $2::int + 5, 10)",
            row.id,
            starts_in
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query!("SELECT refresh_training_search($1)", row.id)
            .execute(&pool)
            .await
            .unwrap();
        training_slugs.push(row.slug);
    }
    let server = app(pool.clone()).await;

    // Visitors see the offer's skills and the trainings for all of them, soonest first.
    let page = body_text(server.get(&format!("/offres/{slug}")).await).await;
    let web = page
        .find("Formation développement web")
        .expect("web training");
    let sql = page
        .find("Formation bases de données SQL")
        .expect("SQL training");
    assert!(web < sql, "next sessions first");
    assert!(!page.contains("Formation vente en magasin"));
    // Near the job or at a distance first, then the région; never elsewhere,
    // however soon it starts.
    let near = page
        .find("Formation SQL à Villeurbanne")
        .expect("near training");
    let region = page
        .find("Formation SQL à Grenoble")
        .expect("région training");
    assert!(near < web && sql < region, "{near} {web} {sql} {region}");
    assert!(!page.contains("Formation SQL à Marseille"));
    assert!(!page.contains("à acquérir"));

    // A candidate who has one skill sees what is missing and its training only.
    let mut candidate = signed_in(&server, Role::Candidate, "Inès Candidate").await;
    let user: i64 = sqlx::query_scalar!("SELECT id FROM users WHERE role = 'candidate'")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query!(
        "INSERT INTO candidate_skills (user_id, skill_id) SELECT $1, id FROM skills WHERE name = 'Développement web'",
        user
    )
    .execute(&pool)
    .await
    .unwrap();
    let page = body_text(candidate.get(&format!("/offres/{slug}")).await).await;
    assert!(page.contains("Se former aux compétences qui vous manquent"));
    assert!(page.contains("Bases de données SQL · à acquérir"));
    assert!(!page.contains("Développement web · à acquérir"));
    assert!(page.contains("Formation bases de données SQL"));
    assert!(!page.contains("Formation développement web"));

    // From the training: the live offers asking for its skills.
    let page = body_text(
        server
            .get(&format!("/formations/{}", training_slugs[1]))
            .await,
    )
    .await;
    assert!(page.contains("data-training-offers"));
    assert!(page.contains("Développeur full stack"));
    assert!(!page.contains("Commercial terrain"));

    // Saving an offer: candidates only, toggles.
    let offer_id: i64 = sqlx::query_scalar!("SELECT id FROM job_offers WHERE slug = $1", slug)
        .fetch_one(&pool)
        .await
        .unwrap();
    let id = offer_id.to_string();
    let response = candidate
        .post("/api/offres/favori", &[("offer_id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "true");
    let response = candidate
        .post("/api/offres/favori", &[("offer_id", &id)])
        .await;
    assert_eq!(body_text(response).await, "false");
    let mut visitor = common::Client::new(&server);
    let response = visitor
        .post("/api/offres/favori", &[("offer_id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn page_views_wait_in_memory_and_are_written_together(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Vues & Cie", "approved").await;
    let (first, first_slug) = default_offer(&pool, acme, "Cariste (H/F)").await;
    let (second, second_slug) = default_offer(&pool, acme, "Magasinier (H/F)").await;
    let server = app(pool.clone()).await;
    for _ in 0..3 {
        common::ok_text(server.get(&format!("/offres/{first_slug}")).await).await;
    }
    common::ok_text(server.get(&format!("/offres/{second_slug}")).await).await;
    // The hydrated app's own call follows a counted render: not a view.
    let mut visitor = common::Client::new(&server);
    let response = visitor
        .post("/api/offres/fiche", &[("slug", &second_slug)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let views = |id| common::column::<i64>(&pool, "job_offers", "view_count", id);
    // No row was touched by the page views themselves.
    assert_eq!((views(first).await, views(second).await), (0, 0));

    // A flush that fails keeps its views for the next one.
    let gone = sqlx::postgres::PgPoolOptions::new()
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    gone.close().await;
    assert!(server.analytics.flush(&gone).await.is_err());
    assert_eq!(views(first).await, 0);

    // Four views and four pages served.
    assert_eq!(server.analytics.flush(&pool).await.unwrap(), 8);
    assert_eq!((views(first).await, views(second).await), (3, 1));
    // Written once: a second flush has nothing left.
    assert_eq!(server.analytics.flush(&pool).await.unwrap(), 0);
    common::ok_text(server.get(&format!("/offres/{first_slug}")).await).await;
    assert_eq!(server.analytics.flush(&pool).await.unwrap(), 2);
    assert_eq!(views(first).await, 4);
}

/// Changes offer `id` as `set` (SQL) says, then its search row, as the
/// app's own writes do.
async fn change_offer(pool: &PgPool, id: i64, set: &str) {
    sqlx::query(&format!("UPDATE job_offers SET {set} WHERE id = $1"))
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    common::refresh_job_search(pool, id).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn visitors_get_public_pages_whole_with_validators_and_users_their_own(pool: PgPool) {
    use std::io::Read;
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Ateliers Entêtes", "approved").await;
    let (id, slug) = default_offer(&pool, acme, "Chaudronnier (H/F)").await;
    let server = &app(pool.clone()).await;
    let path = format!("/offres/{slug}");

    let plain = server.get(&path).await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert!(
        plain.headers().get("set-cookie").is_none(),
        "no session for a visitor"
    );
    assert_eq!(
        common::header(&plain, "cache-control"),
        "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    );
    assert_eq!(common::header(&plain, "vary"), "Accept-Encoding, Cookie");
    assert!(
        plain
            .headers()
            .get(app::base::audience::ssr::COUNT_HEADER)
            .is_none()
    );
    let etag = common::header(&plain, "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let html = body_text(plain).await;
    // No inline script: nothing in the page belongs to one response alone.
    assert!(!html.contains("nonce="));
    let script = app::base::hydration::enhance_path();
    assert!(html.contains(&format!("src=\"{script}\"")));
    let js = server.get(script).await;
    assert_eq!(
        common::header(&js, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(body_text(js).await.contains("addEventListener"));
    assert_eq!(
        server
            .get("/scripts/enhance-0000000000000000.js")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Kept compressed: a browser's brotli decodes to the same page.
    let compressed = server
        .get_with(&path, "accept-encoding", "gzip, deflate, br, zstd")
        .await;
    assert_eq!(common::header(&compressed, "content-encoding"), "br");
    assert_eq!(common::header(&compressed, "etag"), etag);
    let bytes = axum::body::to_bytes(compressed.into_body(), usize::MAX)
        .await
        .unwrap();
    let mut decoded = String::new();
    brotli::Decompressor::new(&bytes[..], 4096)
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, html);

    // A revalidation with the tag: 304, no body.
    let revalidated = server.get_with(&path, "if-none-match", &etag).await;
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(common::header(&revalidated, "etag"), etag);
    assert!(body_text(revalidated).await.is_empty());
    assert_eq!(server.pages.hits_and_misses(), (2, 1));
    // Every answer was a view, the two kept ones included; the two with a
    // body were pages served (a 304 is not one).
    assert_eq!(server.analytics.flush(&pool).await.unwrap(), 3 + 2);

    // A session cookie: the page is rendered for its bearer, private.
    let own = server
        .get_with(&path, "cookie", "passerelle_session=inconnue")
        .await;
    assert_eq!(common::header(&own, "cache-control"), "private, no-cache");
    assert!(own.headers().get("etag").is_none());
    assert_eq!(
        server.pages.hits_and_misses(),
        (2, 1),
        "the cache is not asked"
    );

    // Edited: a new page and a new tag at once; withdrawn: gone at once.
    change_offer(&pool, id, "title = 'Chaudronnier soudeur (H/F)'").await;
    let edited = server.get_with(&path, "if-none-match", &etag).await;
    assert_eq!(edited.status(), StatusCode::OK);
    assert_ne!(common::header(&edited, "etag"), etag);
    assert!(body_text(edited).await.contains("Chaudronnier soudeur"));
    change_offer(&pool, id, "status = 'archived'").await;
    assert_ne!(server.get(&path).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_company_with_many_offers_shows_its_newest_and_their_number(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Ateliers Nombreux", "approved").await;
    let shown = app::organisations::profile::CARDS_SHOWN;
    for _ in 0..shown + 2 {
        default_offer(&pool, acme, "Monteur (H/F)").await;
    }
    let slug: String = common::column(&pool, "organisations", "slug", acme).await;
    let server = app(pool.clone()).await;
    let html = common::ok_text(server.get(&format!("/entreprises/{slug}")).await).await;
    assert_eq!(
        html.matches("data-offer-card=").count(),
        usize::try_from(shown).unwrap()
    );
    let total = shown + 2;
    assert!(
        html.contains(&format!("({total})")),
        "the heading counts them all"
    );
    assert!(html.contains(&format!("Affichage des {shown} premières sur {total}.")));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn visitors_arriving_together_wait_for_one_render(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Ateliers Ensemble", "approved").await;
    default_offer(&pool, acme, "Tuyauteur (H/F)").await;
    let server = &app(pool.clone()).await;
    for round in 1..=2 {
        let pages = futures_util::future::join_all(
            (0..8).map(|_| async { common::ok_text(server.get("/offres").await).await }),
        )
        .await;
        assert!(pages.iter().all(|page| page.contains("Tuyauteur")));
        let (hits, misses) = server.pages.hits_and_misses();
        assert_eq!(misses, round, "one render for eight visitors");
        assert_eq!(hits, 7 * round);
        // A write: the next eight need one new render.
        default_offer(&pool, acme, "Tuyauteur soudeur (H/F)").await;
    }
}

/// A search page as a visitor gets it (whole from the page cache) or as a
/// signed-in user does (rendered over the search cache: a session cookie
/// keeps the page cache out of the way), with the hits and misses of the
/// cache that served it.
async fn search_as(server: &TestApp, signed_in: bool) -> (String, (u64, u64)) {
    let response = if signed_in {
        server
            .get_with("/offres?q=soudeur", "cookie", "passerelle_session=inconnue")
            .await
    } else {
        server.get("/offres?q=soudeur").await
    };
    let page = common::ok_text(response).await;
    (page, counts(server, signed_in))
}

fn counts(server: &TestApp, signed_in: bool) -> (u64, u64) {
    if signed_in {
        server.searches.hits_and_misses()
    } else {
        server.pages.hits_and_misses()
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_cached_search_is_never_served_after_a_write_or_an_expiry(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Ateliers Cache", "approved").await;
    let (tig, _) = default_offer(&pool, acme, "Soudeur TIG (H/F)").await;
    let server = &app(pool.clone()).await;
    let both = || async {
        let (visitor, _) = search_as(server, false).await;
        let (user, _) = search_as(server, true).await;
        [visitor, user]
    };

    // Signed in first: a visitor's render fills the search cache too.
    for signed_in in [true, false] {
        let (page, counts) = search_as(server, signed_in).await;
        assert!(page.contains("Soudeur TIG"));
        assert_eq!(counts, (0, 1), "signed in: {signed_in}");
        let (page, counts) = search_as(server, signed_in).await;
        assert!(page.contains("Soudeur TIG"));
        assert_eq!(
            counts,
            (1, 1),
            "served from the cache (signed in: {signed_in})"
        );
    }

    // Published: there at once.
    let (mig, _) = default_offer(&pool, acme, "Soudeur MIG (H/F)").await;
    for page in both().await {
        assert!(page.contains("Soudeur MIG"));
    }
    // Withdrawn: gone at once.
    change_offer(&pool, tig, "status = 'archived'").await;
    for page in both().await {
        assert!(!page.contains("Soudeur TIG"));
    }
    // The company renamed: its cards say so at once.
    sqlx::query!(
        "UPDATE organisations SET name = 'Forges Nouvelles' WHERE id = $1",
        acme
    )
    .execute(&pool)
    .await
    .unwrap();
    for page in both().await {
        assert!(page.contains("Forges Nouvelles"));
    }

    // Expiring with no write at all: the cached page ends with the offer.
    change_offer(&pool, mig, "expires_at = now() + interval '2 seconds'").await;
    for page in both().await {
        assert!(page.contains("Soudeur MIG"));
    }
    for signed_in in [true, false] {
        let (_, (hits, misses)) = search_as(server, signed_in).await;
        let (page, counts) = search_as(server, signed_in).await;
        assert!(page.contains("Soudeur MIG"));
        assert_eq!(counts, (hits + 1, misses), "signed in: {signed_in}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    let (found, read) = server.searches.hit_sets_found_and_read();
    for signed_in in [true, false] {
        let (hits, misses) = counts(server, signed_in);
        let (page, after) = search_as(server, signed_in).await;
        assert!(!page.contains("Soudeur MIG"));
        assert_eq!(
            after,
            (hits, misses + 1),
            "rendered again (signed in: {signed_in})"
        );
    }
    // The search ran once (the visitor's render found its page), on the
    // words' hits kept since the rename: the expiry is told by the clock,
    // not by a new read.
    assert_eq!(server.searches.hit_sets_found_and_read(), (found + 1, read));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn searches_of_the_same_words_share_their_hits_until_a_write(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Ateliers Communs", "approved").await;
    default_offer(&pool, acme, "Soudeur TIG (H/F)").await;
    let server = &app(pool.clone()).await;
    let total = |page: &str| {
        page.split("data-total=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
    };
    // Signed in, so past the page cache: every search runs.
    let search = |path: &'static str| async move {
        common::ok_text(
            server
                .get_with(path, "cookie", "passerelle_session=inconnue")
                .await,
        )
        .await
    };

    let page = search("/offres?q=soudeur").await;
    assert_eq!(total(&page).as_deref(), Some("1"));
    assert_eq!(server.searches.hit_sets_found_and_read(), (0, 1));
    let page = search("/offres?q=soudeur&contrat=cdd").await;
    assert_eq!(total(&page).as_deref(), Some("0"));
    let page = search("/offres?q=soudeur&contrat=cdi&tri=date").await;
    assert_eq!(total(&page).as_deref(), Some("1"));
    assert_eq!(
        server.searches.hit_sets_found_and_read(),
        (2, 1),
        "other filters, the same words: their hits read once"
    );
    // Other words read their own.
    search("/offres?q=tig").await;
    assert_eq!(server.searches.hit_sets_found_and_read(), (2, 2));

    // A publish makes every kept set useless: the words are read again.
    default_offer(&pool, acme, "Soudeur MIG (H/F)").await;
    let page = search("/offres?q=soudeur&contrat=cdi").await;
    assert_eq!(total(&page).as_deref(), Some("2"));
    assert_eq!(server.searches.hit_sets_found_and_read(), (2, 3));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn replicas_share_computed_searches_through_redis_never_stale_ones(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Ateliers Partagés", "approved").await;
    default_offer(&pool, acme, "Soudeur TIG (H/F)").await;
    // Two replicas: each its own memory, one Redis.
    let (first, second) = (&app(pool.clone()).await, &app(pool.clone()).await);

    // Signed in, so past the page cache and into the search cache.
    let (page, _) = search_as(first, true).await;
    assert!(page.contains("Soudeur TIG"));
    assert_eq!(first.searches.hits_and_misses(), (0, 1));
    let (page, _) = search_as(second, true).await;
    assert!(page.contains("Soudeur TIG"));
    assert_eq!(
        (
            second.searches.hits_and_misses(),
            second.searches.shared_hits()
        ),
        ((0, 0), 1),
        "the second replica reads the first one's page"
    );
    let (_, counts) = search_as(second, true).await;
    assert_eq!(counts, (1, 0), "then keeps it in its own memory");

    // A publish bumps the version: neither replica serves the old page.
    default_offer(&pool, acme, "Soudeur MIG (H/F)").await;
    let (page, _) = search_as(second, true).await;
    assert!(page.contains("Soudeur MIG"));
    assert_eq!(second.searches.hits_and_misses(), (1, 1));
    let (page, _) = search_as(first, true).await;
    assert!(
        page.contains("Soudeur MIG"),
        "not the first replica's old page"
    );
    assert_eq!(
        (
            first.searches.hits_and_misses(),
            first.searches.shared_hits()
        ),
        ((0, 1), 1),
        "and the second replica's new page is shared"
    );
}

/// One search of `/offres`.
struct Search {
    words: &'static str,
    facets: &'static [(&'static str, &'static str)],
    by_date: bool,
    page: i64,
}

/// What a page shows: its total, its offers in order, each facet value with its count.
type Shown = (Vec<String>, Vec<String>, Vec<(String, String)>);

impl Search {
    fn path(&self) -> String {
        let mut path = format!("/offres?q={}&page={}", self.words, self.page);
        for (facet, value) in self.facets {
            path.push_str(&format!("&{facet}={value}"));
        }
        if self.by_date {
            path.push_str("&tri=date");
        }
        path
    }

    /// As `server` shows it to a signed-in user (past the page cache).
    async fn served(&self, server: &TestApp) -> Shown {
        let html = common::ok_text(
            server
                .get_with(&self.path(), "cookie", "passerelle_session=inconnue")
                .await,
        )
        .await;
        let after = |marker: &str| -> Vec<String> {
            html.split(marker)
                .skip(1)
                .filter_map(|rest| rest.split('"').next().map(str::to_owned))
                .collect()
        };
        let counts = after("data-value=\"")
            .into_iter()
            .zip(after("data-count=\""))
            .collect();
        (after("data-total=\""), after("data-offer-card=\""), counts)
    }

    /// Without any cache, as alert digests search: every hit counted as it
    /// comes and let go.
    async fn streamed(&self, pool: &PgPool) -> Shown {
        let mut query = query(self.words, self.facets);
        if self.by_date {
            query.tri = "date".to_owned();
        }
        query.page = self.page;
        let results = search::run(pool, query).await.unwrap();
        let counts = results
            .facets
            .iter()
            .flat_map(|facet| &facet.values)
            .map(|value| (value.value.clone(), value.count.to_string()))
            .collect();
        let slugs = results.cards.into_iter().map(|card| card.slug).collect();
        (vec![results.total.to_string()], slugs, counts)
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn kept_hits_and_hits_counted_as_they_come_give_the_same_pages(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let acme = company(&pool, "Forges Réunies", "approved").await;
    let titles = ["Soudeur TIG (H/F)", "Chaudronnier soudeur", "Soudeur MIG"];
    let contracts = ["cdi", "cdd", "interim"];
    let remotes = ["presentiel", "hybride"];
    let communes = ["69123", "69266", "75056"];
    // 48 offers the word finds (three pages), and 6 more without it.
    for i in 0..54_usize {
        let title = if i < 48 { titles[i % 3] } else { "Tuyauteur" };
        offer(
            &pool,
            acme,
            Offer {
                title,
                contract: contracts[i / 3 % 3],
                remote: remotes[i % 2],
                commune: Some(communes[i / 2 % 3]),
                days_ago: (i % 5) as i32,
                ..BASE
            },
        )
        .await;
    }
    let search = |words, facets, by_date, page| Search {
        words,
        facets,
        by_date,
        page,
    };
    let server = &app(pool.clone()).await;
    // A first search of each set of words reads its hits and keeps them.
    for words in ["soudeur", ""] {
        search(words, &[("contrat", "freelance")], false, 1)
            .served(server)
            .await;
    }
    assert_eq!(server.searches.hit_sets_found_and_read(), (0, 2));
    let from_kept = [
        search("soudeur", &[], false, 1),
        search("soudeur", &[], false, 2),
        search("soudeur", &[], true, 3),
        search("soudeur", &[("contrat", "cdi")], false, 1),
        search(
            "soudeur",
            &[("departement", "69"), ("teletravail", "hybride")],
            true,
            1,
        ),
        search("", &[], true, 2),
        search("", &[("contrat", "cdd"), ("publiee", "7j")], false, 1),
    ];
    for search in &from_kept {
        let shown = search.served(server).await;
        assert!(!shown.1.is_empty(), "{}: a page of offers", search.path());
        assert_eq!(shown, search.streamed(&pool).await, "{}", search.path());
    }
    assert_eq!(
        server.searches.hit_sets_found_and_read(),
        (from_kept.len() as u64, 2),
        "every page above came from a kept set"
    );

    // A server keeping nothing counts every search as its hits come.
    let none_kept = &common::app_with(pool.clone(), &[("SEARCH_HITS_KEPT", "0")], false).await;
    for search in [
        search("soudeur", &[("teletravail", "presentiel")], false, 1),
        search("soudeur", &[("teletravail", "hybride")], true, 1),
    ] {
        let shown = search.served(none_kept).await;
        assert_eq!(shown, search.streamed(&pool).await, "{}", search.path());
    }
    assert_eq!(none_kept.searches.hit_sets_found_and_read(), (0, 2));
}
