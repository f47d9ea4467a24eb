//! The training catalogue over HTTP and through its data layer: search
//! relevance, facet counts, radius search, the public pages, the centre's
//! dashboard with its authorisation, and enrolment requests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::{
    identity::users::Role,
    trainings::search,
    ui::search::{Scope, SearchQuery},
};
use axum::http::StatusCode;
use common::search::within;
use common::{Client, PASSWORD, TestApp, app, body_text, json, last_mail_to, signed_in};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Départements whose communes the tests use.
const DEPARTEMENTS: &[&str] = &["69", "75", "13", "38", "35", "33", "92"];

/// A signed-in member of a new approved centre, and the centre's id.
async fn centre<'a>(app: &'a TestApp, name: &str) -> (Client<'a>, i64, String) {
    common::organisation_owner(app, "centre", "approved", name, name).await
}

async fn skill_ids(pool: &PgPool, names: &[&str]) -> Vec<String> {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let ids = sqlx::query_scalar!("SELECT id FROM skills WHERE name = ANY($1)", &names)
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(ids.len(), names.len(), "unknown skill in {names:?}");
    ids.into_iter().map(|i| i.to_string()).collect()
}

/// Saves a training through the dashboard's server function; `fields`
/// override a valid training in Lyon.
async fn save(
    client: &mut Client<'_>,
    id: i64,
    fields: &[(&str, &str)],
    skills: &[String],
) -> (StatusCode, Value) {
    let id = id.to_string();
    let defaults = [
        ("title", "Titre correct"),
        (
            "summary",
            "Une formation complète pour apprendre un métier qui recrute.",
        ),
        ("modality", "presentiel"),
        ("duration_hours", "140"),
        ("price_euros", "1 500"),
        ("place_1", "Lyon"),
    ];
    let mut fields = fields.to_vec();
    fields.extend(skills.iter().map(|skill| ("skills", skill.as_str())));
    client
        .post_input(
            "/api/centre/formations/enregistrer",
            &[("id", &id)],
            &fields,
            &defaults,
        )
        .await
}

/// Creates and publishes a training; returns its id.
async fn publish(client: &mut Client<'_>, fields: &[(&str, &str)], skills: &[String]) -> i64 {
    let id = common::ok_json(save(client, 0, fields, skills).await)
        .as_i64()
        .unwrap();
    client
        .call_ok(
            "/api/centre/formations/statut",
            &[("id", &id.to_string()), ("action", "publish")],
        )
        .await;
    id
}

/// Today plus `days`, as the session form takes a date.
fn in_days(days: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(days)).to_string()
}

/// Adds a session to training `id` through the dashboard.
async fn add_session(client: &mut Client<'_>, id: i64, starts_on: &str, ends_on: &str, seats: u32) {
    client
        .call_ok(
            "/api/centre/sessions/ajouter",
            &[
                ("training_id", &id.to_string()),
                ("starts_on", starts_on),
                ("ends_on", ends_on),
                ("seats", &seats.to_string()),
            ],
        )
        .await;
}

/// The id of training `id`'s one session.
async fn only_session(pool: &PgPool, id: i64) -> i64 {
    sqlx::query_scalar!(
        "SELECT id FROM training_sessions WHERE training_id = $1",
        id
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A candidate asks to join `session` of `training` ("0": rolling entry).
async fn ask_to_enrol(
    client: &mut Client<'_>,
    training: &str,
    session: &str,
) -> (StatusCode, Value) {
    client
        .call(
            "/api/inscriptions/demander",
            &[("training_id", training), ("session_id", session)],
        )
        .await
}

/// The centre moves enrolment request `request` to `status`, giving
/// `reason` when it refuses.
async fn move_request(
    client: &mut Client<'_>,
    request: &str,
    status: &str,
    reason: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = vec![("id", request), ("status", status)];
    form.extend(reason.map(|reason| ("reason", reason)));
    client.call("/api/centre/demandes/etape", &form).await
}

/// Writes `body` on enrolment request `request` as `client` (centre or
/// candidate), which must be accepted.
async fn send_message(client: &mut Client<'_>, request: &str, body: &str) {
    client
        .call_ok(
            "/api/inscriptions/message",
            &[("id", request), ("body", body)],
        )
        .await;
}

async fn search_titles(pool: &PgPool, q: &str) -> Vec<String> {
    let results = search::run(pool, SearchQuery::with(Scope::Trainings, q, &[]))
        .await
        .unwrap();
    results.cards.into_iter().map(|c| c.title).collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn search_ranks_title_then_skills_then_description_and_forgives_accents_and_typos(
    pool: PgPool,
) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut client, ..) = centre(&app, "Centre Lumière").await;
    let web = skill_ids(&pool, &["Développement web"]).await;
    let compta = skill_ids(&pool, &["Comptabilité", "Paie"]).await;
    publish(
        &mut client,
        &[("title", "Développeur web et mobile")],
        &skill_ids(&pool, &["Développement web", "JavaScript"]).await,
    )
    .await;
    publish(&mut client, &[("title", "Intégrateur web")], &[]).await;
    publish(
        &mut client,
        &[("title", "Technicien support applicatif")],
        &web,
    )
    .await;
    publish(
        &mut client,
        &[
            ("title", "Assistant de communication"),
            (
                "description",
                "Vous animerez aussi le site web de l'entreprise.",
            ),
        ],
        &[],
    )
    .await;
    publish(&mut client, &[("title", "Assistant comptable")], &compta).await;
    publish(
        &mut client,
        &[
            ("title", "Gestionnaire de paie"),
            ("description", "Les bases de la comptabilité sont revues."),
        ],
        &[],
    )
    .await;
    publish(&mut client, &[("title", "Secrétaire médicale")], &[]).await;

    // Title (A) before skills (B) before description (C).
    let web_titles = search_titles(&pool, "web").await;
    assert_eq!(web_titles.len(), 4, "{web_titles:?}");
    let mut first_two = web_titles[..2].to_vec();
    first_two.sort();
    assert_eq!(first_two, ["Développeur web et mobile", "Intégrateur web"]);
    assert_eq!(web_titles[2], "Technicien support applicatif");
    assert_eq!(web_titles[3], "Assistant de communication");

    // Accents do not matter, stems do: the skill outranks the description.
    assert_eq!(
        search_titles(&pool, "comptabilite").await,
        ["Assistant comptable", "Gestionnaire de paie"]
    );
    assert_eq!(
        search_titles(&pool, "secretaire medicale").await,
        ["Secrétaire médicale"]
    );
    // Typos: trigram similarity on titles.
    assert_eq!(
        search_titles(&pool, "devloppeur").await,
        ["Développeur web et mobile"]
    );
    assert_eq!(
        search_titles(&pool, "secretair medical").await,
        ["Secrétaire médicale"]
    );
    // Word by word: one misspelt word among right ones (the case),
    // and a misspelt title word next to a skill's word.
    assert_eq!(
        search_titles(&pool, "devlopeur web")
            .await
            .first()
            .map(String::as_str),
        Some("Développeur web et mobile")
    );
    let mut both = search_titles(&pool, "comptabilte paie").await;
    both.sort();
    assert_eq!(both, ["Assistant comptable", "Gestionnaire de paie"]);
    // The typo-tolerant try keeps the filters.
    let typo_with = |modality: &'static str| {
        search::run(
            &pool,
            SearchQuery::with(Scope::Trainings, "devloppeur", &[("modalite", modality)]),
        )
    };
    assert_eq!(typo_with("presentiel").await.unwrap().total, 1);
    assert_eq!(typo_with("distanciel").await.unwrap().total, 0);
    assert!(search_titles(&pool, "boulangerie").await.is_empty());

    // The page itself: server-rendered, with ItemList JSON-LD.
    let page = body_text(app.get("/formations?q=web").await).await;
    assert!(page.contains("data-total=\"4\""), "{page}");
    assert!(page.contains("\"@type\":\"ItemList\""));
    assert!(page.contains("Intégrateur web"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_facet_count_is_the_number_of_results_behind_it(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut client, ..) = centre(&app, "Centre Facettes").await;
    let variants: [&[(&str, &str)]; 6] = [
        &[
            ("title", "Soudeur TIG"),
            ("modality", "presentiel"),
            ("place_1", "Lyon"),
            ("price_euros", "0"),
            ("duration_hours", "20"),
        ],
        &[
            ("title", "Soudeur MIG"),
            ("modality", "hybride"),
            ("place_1", "Marseille"),
            ("cpf_eligible", "on"),
            ("certification_kind", "rncp"),
            ("certification_code", "RNCP12345"),
            ("certification_level", "3"),
        ],
        &[
            ("title", "Chaudronnier"),
            ("modality", "presentiel"),
            ("place_1", "Paris"),
            ("place_2", "Lyon"),
            ("cpf_eligible", "on"),
            ("duration_hours", "700"),
            ("price_euros", "7000"),
        ],
        &[
            ("title", "Anglais professionnel"),
            ("modality", "distanciel"),
            ("place_1", ""),
            ("cpf_eligible", "on"),
            ("certification_kind", "rs"),
            ("certification_code", "RS5642"),
            ("rolling_entry", "on"),
        ],
        &[
            ("title", "Soudure à l'arc"),
            ("modality", "presentiel"),
            ("place_1", "Rennes"),
            ("duration_hours", "400"),
        ],
        &[
            ("title", "Tuyauteur industriel"),
            ("modality", "hybride"),
            ("place_1", "Bordeaux"),
            ("price_euros", "3500"),
        ],
    ];
    for fields in variants {
        publish(&mut client, fields, &[]).await;
    }
    // Sessions so that the start facet has values.
    let first = sqlx::query_scalar!("SELECT id FROM trainings WHERE title = 'Soudeur TIG'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let start = in_days(10);
    let end = in_days(40);
    add_session(&mut client, first, &start, &end, 12).await;

    for base in [
        SearchQuery::default(),
        SearchQuery::with(Scope::Trainings, "soudure", &[]),
        SearchQuery::with(Scope::Trainings, "", &[("modalite", "presentiel")]),
        SearchQuery::with(Scope::Trainings, "", &[("cpf", "oui"), ("region", "84")]),
    ] {
        common::search::assert_facet_counts_match(|q| search::run(&pool, q), base).await;
    }
    let all = search::run(&pool, SearchQuery::default()).await.unwrap();
    assert_eq!(all.total, 6);
    let facet = |key: &str| all.facets.iter().find(|f| f.key == key).unwrap().clone();
    // Lyon counts once for the training that has both Paris and Lyon.
    let rhone = facet("departement")
        .values
        .into_iter()
        .find(|v| v.value == "69")
        .unwrap();
    assert_eq!(rhone.count, 2);
    assert_eq!(
        facet("cpf")
            .values
            .iter()
            .find(|v| v.value == "oui")
            .unwrap()
            .count,
        3
    );
    assert_eq!(
        facet("debut")
            .values
            .iter()
            .map(|v| v.value.as_str())
            .collect::<Vec<_>>(),
        ["permanente", "30-jours"]
    );

    // Without JavaScript: facet links carry counts and the URL says it all.
    let page = body_text(app.get("/formations?modalite=hybride").await).await;
    assert!(page.contains("data-total=\"2\""), "{page}");
    assert!(
        page.contains("href=\"/formations?modalite=hybride&amp;cpf=oui\""),
        "{page}"
    );
}

fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6_371.0 * h.sqrt().asin()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn radius_search_follows_the_distances_between_communes(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut client, ..) = centre(&app, "Centre Rayons").await;
    // (title, commune typed by the centre, INSEE code)
    let places = [
        ("Formation à Lyon", "Lyon", "69123"),
        ("Formation à Villeurbanne", "69100", "69266"),
        ("Formation à Bron", "Bron (69500)", "69029"),
        ("Formation à Grenoble", "Grenoble", "38185"),
        ("Formation à Marseille", "Marseille", "13055"),
    ];
    for (title, place, _) in places {
        publish(&mut client, &[("title", title), ("place_1", place)], &[]).await;
    }
    let point = |code: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query!(
                "SELECT latitude, longitude FROM communes WHERE code = $1",
                code
            )
            .fetch_one(&pool)
            .await
            .map(|r| (r.latitude, r.longitude))
            .unwrap()
        }
    };
    let lyon = point("69123").await;
    // Known distances between town points, within a few kilometres.
    let grenoble_km = haversine_km(lyon, point("38185").await);
    assert!((88.0..100.0).contains(&grenoble_km), "{grenoble_km}");
    let marseille_km = haversine_km(lyon, point("13055").await);
    assert!((270.0..285.0).contains(&marseille_km), "{marseille_km}");
    for radius in [10, 20, 30, 50, 100] {
        let mut expected = Vec::new();
        for (title, _, code) in places {
            if haversine_km(lyon, point(code).await) <= radius as f64 {
                expected.push(title.to_owned());
            }
        }
        expected.sort();
        let results = search::run(
            &pool,
            within(SearchQuery::default(), "Lyon (69001)", &radius.to_string()),
        )
        .await
        .unwrap();
        assert_eq!(results.place.as_deref(), Some("Lyon (69001)"));
        let mut found: Vec<String> = results.cards.into_iter().map(|c| c.title).collect();
        found.sort();
        assert_eq!(found, expected, "within {radius} km of Lyon");
    }
    let near = search::run(&pool, within(SearchQuery::default(), "Lyon", "10"))
        .await
        .unwrap();
    assert_eq!(near.total, 3, "Lyon, Villeurbanne (4 km), Bron (6 km)");
    let far = search::run(&pool, within(SearchQuery::default(), "Lyon", "100"))
        .await
        .unwrap();
    assert_eq!(far.total, 4, "Grenoble is 94 km away, Marseille 278 km");
    // A place nobody knows is said so, and nothing is filtered by it.
    let unknown = search::run(
        &pool,
        SearchQuery {
            lieu: "Xyzzyville".into(),
            ..SearchQuery::default()
        },
    )
    .await
    .unwrap();
    assert!(unknown.place_error.unwrap().contains("Commune introuvable"));
    // Suggestions: by name without accents, by postal code.
    let (status, list) = json(app.get("/api/communes?q=villeurb").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["name"], "Villeurbanne");
    let (_, list) = json(app.get("/api/communes?q=69100").await).await;
    assert_eq!(list[0]["code"], "69266");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn training_page_has_course_json_ld_and_archived_trainings_are_gone(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut client, ..) = centre(&app, "Centre Pages").await;
    let (status, body) = save(
        &mut client,
        0,
        &[
            ("title", "Électricien du bâtiment"),
            (
                "description",
                "## Programme\n\nDu câblage <script>alert(1)</script> aux normes.",
            ),
            ("certification_kind", "rncp"),
            ("certification_code", "rncp 37805"),
            ("certification_level", "3"),
            ("cpf_eligible", "on"),
            ("funding", "personnel"),
            (
                "cpf_link",
                "https://www.moncompteformation.gouv.fr/espace-prive/html/#/formation/recherche/12345678900012_ELEC/12345678900012_ELEC-1",
            ),
        ],
        &skill_ids(&pool, &["Électricité", "Habilitation électrique"]).await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();
    let slug = sqlx::query_scalar!("SELECT slug FROM trainings WHERE id = $1", id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(slug, "electricien-du-batiment");
    // A draft is not public.
    assert_eq!(
        app.get(&format!("/formations/{slug}")).await.status(),
        StatusCode::NOT_FOUND
    );
    client
        .post(
            "/api/centre/formations/statut",
            &[("id", &id.to_string()), ("action", "publish")],
        )
        .await;
    let start = in_days(30);
    let end = in_days(90);
    add_session(&mut client, id, &start, &end, 14).await;
    let page = common::ok_text(app.get(&format!("/formations/{slug}")).await).await;
    assert!(!page.contains("<script>alert"), "description is sanitised");
    // A CPF-eligible training links to its page on Mon Compte Formation, and
    // one heading names the ways to pay.
    assert!(page.contains("href=\"https://www.moncompteformation.gouv.fr/espace-prive/html/#/formation/recherche/12345678900012_ELEC/12345678900012_ELEC-1\""), "{page}");
    assert!(page.contains("Financements possibles") && page.contains("Autofinancement"));
    assert!(!page.contains(">Financements<") && !page.contains("Financement personnel"));
    let json_ld: Vec<Value> = page
        .split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(s.split("</script>").next().unwrap()).unwrap())
        .collect();
    let course = json_ld
        .iter()
        .find(|v| v["@type"] == "Course")
        .expect("Course JSON-LD");
    assert_eq!(course["name"], "Électricien du bâtiment");
    assert_eq!(course["provider"]["name"], "Centre Pages");
    assert_eq!(course["offers"][0]["priceCurrency"], "EUR");
    assert_eq!(course["offers"][0]["price"], "1500.00");
    assert_eq!(course["hasCourseInstance"][0]["courseMode"], "Onsite");
    assert_eq!(course["hasCourseInstance"][0]["startDate"], start);
    assert_eq!(course["educationalCredentialAwarded"], "RNCP37805 niveau 3");
    assert!(json_ld.iter().any(|v| v["@type"] == "BreadcrumbList"));
    // The view was counted, for the page render only.
    app.analytics.flush(&pool).await.unwrap();
    assert_eq!(
        common::column::<i64>(&pool, "trainings", "view_count", id).await,
        1
    );
    // Sitemap and the centre's public page.
    let sitemap = body_text(app.get("/sitemap.xml").await).await;
    assert!(sitemap.contains(&format!("/formations/{slug}</loc>")));
    let centre_slug = sqlx::query_scalar!(
        "SELECT o.slug FROM organisations o JOIN trainings t ON t.centre_id = o.id WHERE t.id = $1",
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let centre_page = body_text(app.get(&format!("/centres/{centre_slug}")).await).await;
    assert!(centre_page.contains("Électricien du bâtiment"));
    // Archived: 410 with a way back to the catalogue, out of the sitemap.
    client
        .post(
            "/api/centre/formations/statut",
            &[("id", &id.to_string()), ("action", "archive")],
        )
        .await;
    let gone = app.get(&format!("/formations/{slug}")).await;
    common::assert_says(gone, StatusCode::GONE, "n'est plus proposée").await;
    assert!(
        !body_text(app.get("/sitemap.xml").await)
            .await
            .contains(&slug)
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bad_training_fields_get_french_messages_and_store_nothing(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut client, ..) = centre(&app, "Centre Erreurs").await;
    // (fields, field at fault, part of its message)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 9] = [
        (&[("title", "Abc")], "title", "entre 5 et 160"),
        (&[("summary", "court")], "summary", "entre 20 et 300"),
        (&[("duration_hours", "0")], "duration_hours", "durée"),
        (&[("price_euros", "gratuit ?")], "price_euros", "prix"),
        (
            &[
                ("certification_kind", "rncp"),
                ("certification_code", "ABC"),
            ],
            "certification_code",
            "RNCP",
        ),
        (
            &[("place_1", "Xyzzyville")],
            "place_1",
            "Commune introuvable",
        ),
        (&[("place_1", "")], "place_1", "au moins un lieu"),
        (
            &[
                ("cpf_eligible", "on"),
                ("cpf_link", "https://exemple.fr/ma-formation"),
            ],
            "cpf_link",
            "moncompteformation.gouv.fr",
        ),
        // A link for a training that is not eligible to the CPF.
        (
            &[(
                "cpf_link",
                "https://www.moncompteformation.gouv.fr/espace-prive/html/",
            )],
            "cpf_link",
            "éligible au CPF",
        ),
    ];
    for (fields, field, message) in cases {
        let (status, body) = save(&mut client, 0, fields, &[]).await;
        common::assert_refused(status, &body, field, message);
    }
    let (status, body) = save(&mut client, 0, &[], &["999999".to_owned()]).await;
    common::assert_refused(status, &body, "skills", "Compétence inconnue");
    let count = common::rows_in(&pool, "trainings").await;
    assert_eq!(count, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_centre_never_touches_another_centres_trainings_or_requests(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut owner, ..) = centre(&app, "Centre Propriétaire").await;
    let (mut other, ..) = centre(&app, "Centre Voisin").await;
    let id = publish(
        &mut owner,
        &[("title", "Cariste CACES R489"), ("rolling_entry", "on")],
        &[],
    )
    .await;
    let start = in_days(20);
    add_session(&mut owner, id, &start, &start, 8).await;
    let session = only_session(&pool, id).await;
    let mut candidate = signed_in(&app, Role::Candidate, "Léa Candidate").await;
    let (status, body) = ask_to_enrol(&mut candidate, &id.to_string(), "0").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let request = body.as_i64().unwrap().to_string();
    let id_s = id.to_string();
    let session_s = session.to_string();

    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/api/centre/formations/enregistrer",
            vec![
                ("id", &id_s),
                ("input[title]", "Volée"),
                (
                    "input[summary]",
                    "Une formation complète pour apprendre un métier.",
                ),
                ("input[modality]", "distanciel"),
                ("input[duration_hours]", "10"),
            ],
        ),
        (
            "/api/centre/formations/statut",
            vec![("id", &id_s), ("action", "archive")],
        ),
        ("/api/centre/formations/dupliquer", vec![("id", &id_s)]),
        ("/api/centre/formations/fiche", vec![("id", &id_s)]),
        (
            "/api/centre/sessions/ajouter",
            vec![
                ("training_id", &id_s),
                ("starts_on", &start),
                ("ends_on", &start),
                ("seats", "3"),
            ],
        ),
        (
            "/api/centre/sessions/supprimer",
            vec![("training_id", &id_s), ("id", &session_s)],
        ),
        (
            "/api/centre/demandes/etape",
            vec![("id", &request), ("status", "accepted")],
        ),
        (
            "/api/inscriptions/message",
            vec![("id", &request), ("body", "Bonjour, ici un autre centre.")],
        ),
    ];
    common::assert_each_answers(&mut other, &attempts, StatusCode::NOT_FOUND).await;
    let (_, list) = other
        .call("/api/centre/demandes", &[("training", "0")])
        .await;
    assert_eq!(list, Value::Array(vec![]), "no other centre's requests");
    let (_, rows) = other.call("/api/centre/formations", &[]).await;
    assert_eq!(rows["rows"], Value::Array(vec![]));
    // Candidates and visitors do not reach the dashboard at all.
    let (status, _) = candidate.call("/api/centre/formations", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut visitor = Client::new(&app);
    let (status, _) = visitor
        .call(
            "/api/centre/formations/statut",
            &[("id", &id_s), ("action", "archive")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Nothing changed.
    assert_eq!(
        common::title_and_status(&pool, "trainings", id).await,
        ("Cariste CACES R489".to_owned(), "published".to_owned())
    );
    let sessions = common::rows_in(&pool, "training_sessions").await;
    assert_eq!(sessions, 1);
    let trainings = common::rows_in(&pool, "trainings").await;
    assert_eq!(trainings, 1);
    let status = sqlx::query_scalar!("SELECT status FROM enrolment_requests")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "new");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn enrolment_requests_move_through_the_pipeline_with_emails_on_both_sides(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut centre_client, _, centre_email) = centre(&app, "Centre Pipeline").await;
    let id = publish(&mut centre_client, &[("title", "Aide-soignant")], &[]).await;
    let start = in_days(15);
    let end = in_days(200);
    add_session(&mut centre_client, id, &start, &end, 20).await;
    let session = only_session(&pool, id).await;
    let (id_s, session_s) = (id.to_string(), session.to_string());

    // An unverified candidate is asked to confirm their address first.
    let (_, unverified) = common::account(&pool, Role::Candidate, "Sans Confirmation", false).await;
    let mut pending = Client::new(&app);
    pending.sign_in(&unverified, PASSWORD).await;
    let (status, body) = ask_to_enrol(&mut pending, &id_s, &session_s).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        common::invalid_message(&body).contains("Confirmez"),
        "{body}"
    );

    let (mut candidate, email, _) =
        common::signed_in_account(&app, Role::Candidate, "Inès Dubois").await;
    let body = candidate
        .call_ok(
            "/api/inscriptions/demander",
            &[
                ("training_id", &id_s),
                ("session_id", &session_s),
                ("message", "Je suis disponible dès la rentrée."),
            ],
        )
        .await;
    let request = body.as_i64().unwrap().to_string();
    common::assert_mailed(&centre_email, "Aide-soignant", "Inès Dubois").await;
    // The candidate is told it left, with the way to follow it.
    common::assert_mailed(
        &email,
        "Demande d'inscription envoyée : Aide-soignant",
        "/tableau-de-bord/inscriptions",
    )
    .await;
    // No second live request for the same session.
    let (status, body) = ask_to_enrol(&mut candidate, &id_s, &session_s).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        common::invalid_message(&body).contains("déjà une demande"),
        "{body}"
    );
    // A session must belong to the training; rolling entry needs the flag.
    let (status, _) = ask_to_enrol(&mut candidate, &id_s, "0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The centre sees it, studies it, refuses only with a reason.
    let (_, list) = centre_client
        .call("/api/centre/demandes", &[("training", "0")])
        .await;
    assert_eq!(list[0]["status"], "new");
    assert_eq!(list[0]["candidate"][0], "Inès Dubois");
    assert_eq!(list[0]["message"], "Je suis disponible dès la rentrée.");
    let (status, _) = move_request(&mut centre_client, &request, "in_review", None).await;
    assert_eq!(status, StatusCode::OK);
    let (subject, _) = last_mail_to(&email).await;
    assert!(subject.contains("En cours d'étude"), "{subject}");
    let (status, body) = move_request(&mut centre_client, &request, "refused", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["field"], "reason");
    // Messages both ways.
    send_message(
        &mut centre_client,
        &request,
        "Avez-vous votre attestation ?",
    )
    .await;
    let (subject, _) = last_mail_to(&email).await;
    assert!(subject.contains("Nouveau message"), "{subject}");
    send_message(&mut candidate, &request, "Oui, je l'envoie.").await;
    let (status, _) = move_request(
        &mut centre_client,
        &request,
        "refused",
        Some("Session complète."),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    common::assert_mailed(&email, "Refusée", "Session complète.").await;
    // The candidate's dashboard says so, with the thread.
    let (_, mine) = candidate.call("/api/inscriptions/mes-demandes", &[]).await;
    let first = &mine["requests"][0];
    assert_eq!(first["status"], "refused");
    assert_eq!(first["refusal_reason"], "Session complète.");
    assert_eq!(first["messages"].as_array().unwrap().len(), 2);
    assert_eq!(
        first["candidate"],
        Value::Null,
        "the candidate's own e-mail is not echoed"
    );
    // A refused request cannot be withdrawn or accepted, but a new one can be made.
    let (status, _) = candidate
        .call("/api/inscriptions/retirer", &[("id", &request)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = move_request(&mut centre_client, &request, "accepted", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = ask_to_enrol(&mut candidate, &id_s, &session_s).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let again = body.as_i64().unwrap().to_string();
    candidate
        .call_ok("/api/inscriptions/retirer", &[("id", &again)])
        .await;
    let (subject, _) = last_mail_to(&centre_email).await;
    assert!(subject.contains("Retirée"), "{subject}");

    // Saved trainings.
    let (status, body) = candidate
        .call("/api/formations/favori", &[("training_id", &id_s)])
        .await;
    assert_eq!((status, body), (StatusCode::OK, Value::Bool(true)));
    let (_, mine) = candidate.call("/api/inscriptions/mes-demandes", &[]).await;
    assert_eq!(mine["saved"][0]["title"], "Aide-soignant");
    let (_, body) = candidate
        .call("/api/formations/favori", &[("training_id", &id_s)])
        .await;
    assert_eq!(body, Value::Bool(false));
    // The centre's dashboard counts the requests.
    let (_, dashboard) = centre_client.call("/api/centre/formations", &[]).await;
    assert_eq!(dashboard["rows"][0]["requests"], 2);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_pending_centres_trainings_enter_the_search_when_an_admin_approves_it(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut client, centre_id, _) = centre(&app, "Centre En Attente").await;
    sqlx::query!(
        "UPDATE organisations SET status = 'pending' WHERE id = $1",
        centre_id
    )
    .execute(&pool)
    .await
    .unwrap();
    let id = publish(&mut client, &[("title", "Maçon du bâti ancien")], &[]).await;
    let slug = sqlx::query_scalar!("SELECT slug FROM trainings WHERE id = $1", id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(search_titles(&pool, "maçon").await.is_empty());
    assert_eq!(
        app.get(&format!("/formations/{slug}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let mut admin = signed_in(&app, Role::Admin, "Admin Passerelle").await;
    admin.approve_organisation(centre_id).await;
    assert_eq!(
        search_titles(&pool, "maçon").await,
        ["Maçon du bâti ancien"]
    );
    assert_eq!(
        app.get(&format!("/formations/{slug}")).await.status(),
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_centre_uploads_its_logo_and_its_page_shows_it(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let (mut client, centre_id, _) = centre(&app, "Centre Au Logo").await;
    publish(&mut client, &[("title", "Peintre en bâtiment")], &[]).await;
    // A plain form post (no JavaScript) comes back to the profile page.
    let response = client
        .post_logo("/api/centre/logo", &common::png(600, 300, 9), "text/html")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        common::header(&response, "location"),
        "/tableau-de-bord/centre"
    );
    let logo: Option<i64> =
        common::column(&pool, "organisations", "logo_media_id", centre_id).await;
    assert!(logo.is_some());
    let page = body_text(app.get("/centres/centre-au-logo").await).await;
    assert!(page.contains("alt=\"Logo de Centre Au Logo\""), "{page}");
    assert!(page.contains("\"logo\":\"http"), "logo in the JSON-LD");
    // Text pretending to be an image is refused on the field, nothing changes.
    let (status, body) = json(
        client
            .post_file(
                "/api/centre/logo",
                "faux.png",
                b"pas une image",
                "application/json",
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "fichier");
    // Candidates and visitors cannot.
    let candidate = signed_in(&app, Role::Candidate, "Candidat Curieux").await;
    for (mut client, refused) in [
        (candidate, StatusCode::FORBIDDEN),
        (Client::new(&app), StatusCode::UNAUTHORIZED),
    ] {
        let response = client
            .post_logo(
                "/api/centre/logo",
                &common::png(60, 30, 3),
                "application/json",
            )
            .await;
        assert_eq!(response.status(), refused);
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_cached_catalogue_follows_every_publish_withdrawal_and_approval(pool: PgPool) {
    common::communes_of(&pool, DEPARTEMENTS).await;
    let app = app(pool.clone()).await;
    let app = &app;
    let search =
        move || async move { common::ok_text(app.get("/formations?q=charpentier").await).await };
    let (mut client, _, _) = centre(app, "Centre Des Charpentes").await;
    let first = publish(&mut client, &[("title", "Charpentier bois")], &[]).await;
    assert!(search().await.contains("Charpentier bois"));
    assert!(search().await.contains("Charpentier bois"));
    assert_eq!(app.pages.hits_and_misses(), (1, 1), "served from the cache");

    // Published through the dashboard: there at once.
    publish(&mut client, &[("title", "Charpentier métal")], &[]).await;
    assert!(search().await.contains("Charpentier métal"));
    // Archived by its centre: gone at once.
    client
        .call_ok(
            "/api/centre/formations/statut",
            &[("id", &first.to_string()), ("action", "archive")],
        )
        .await;
    let page = search().await;
    assert!(!page.contains("Charpentier bois"));
    assert!(page.contains("Charpentier métal"));

    // A pending centre's training enters the cached search on approval.
    let (mut pending, pending_id, _) = centre(app, "Centre En Revue").await;
    sqlx::query!(
        "UPDATE organisations SET status = 'pending' WHERE id = $1",
        pending_id
    )
    .execute(&pool)
    .await
    .unwrap();
    publish(&mut pending, &[("title", "Charpentier de marine")], &[]).await;
    assert!(!search().await.contains("Charpentier de marine"));
    let mut admin = signed_in(app, Role::Admin, "Admin Passerelle").await;
    admin.approve_organisation(pending_id).await;
    assert!(search().await.contains("Charpentier de marine"));
}
