//! The communes import (`passerelle import-communes`) and the demo catalogue
//! built on it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use passerelle::{catalogue_seed, communes};
use sqlx::PgPool;

/// Paris, Lyon and their départements: enough for the checks, fast to load.
fn paris_and_lyon(row: &communes::CommuneRow) -> bool {
    matches!(row.departement_code.as_str(), "69" | "75")
}

#[sqlx::test(migrations = "../migrations")]
async fn a_subset_imports_with_its_details_and_twice_changes_nothing(pool: PgPool) {
    let imported = communes::import_where(&pool, paris_and_lyon).await.unwrap();
    assert!(imported > 200, "{imported} communes in the Rhône and Paris");

    let lyon = sqlx::query!(
        "SELECT name, postal_codes, departement_code, departement_name, region_code,
                region_name, population, search_name
         FROM communes WHERE code = '69123'"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(lyon.name, "Lyon");
    assert_eq!(
        lyon.postal_codes,
        (1..=9).map(|n| format!("6900{n}")).collect::<Vec<_>>()
    );
    assert_eq!(
        (
            lyon.departement_code.as_str(),
            lyon.departement_name.as_str()
        ),
        ("69", "Rhône")
    );
    assert_eq!(
        (lyon.region_code.as_str(), lyon.region_name.as_str()),
        ("84", "Auvergne-Rhône-Alpes")
    );
    assert!(lyon.population > 500_000);
    assert_eq!(lyon.search_name.as_deref(), Some("lyon"));

    // The generated search name drops accents and case.
    let found = sqlx::query_scalar!("SELECT name FROM communes WHERE search_name = 'villeurbanne'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(found, "Villeurbanne");

    let count = || async {
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM communes"#)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = count().await;
    assert_eq!(before, imported as i64);
    let again = communes::import_where(&pool, paris_and_lyon).await.unwrap();
    assert_eq!(again, imported);
    assert_eq!(count().await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn paris_to_lyon_is_about_392_km(pool: PgPool) {
    communes::import_where(&pool, paris_and_lyon).await.unwrap();
    let metres = sqlx::query_scalar!(
        r#"SELECT earth_distance(ll_to_earth(p.latitude, p.longitude),
                                 ll_to_earth(l.latitude, l.longitude)) AS "metres!"
           FROM communes p, communes l WHERE p.code = '75056' AND l.code = '69123'"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let km = metres / 1000.0;
    assert!((km - 392.0).abs() <= 392.0 * 0.02, "{km} km");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_catalogue_loads_once_with_skills_places_and_search(pool: PgPool) {
    communes::import(&pool).await.unwrap();
    let first = catalogue_seed::demo(&pool).await.unwrap();
    assert_eq!(first.centres_created, 30);
    assert_eq!(first.accounts_created, 30);
    // Institut Lumière Formation is not there (seed::demo creates it): its six are skipped.
    assert!((100..=150).contains(&first.trainings_created), "{first:?}");

    let second = catalogue_seed::demo(&pool).await.unwrap();
    assert_eq!(second, catalogue_seed::CatalogueReport::default());

    let stats = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM trainings) AS "trainings!",
             (SELECT count(*) FROM public_trainings) AS "public!",
             (SELECT count(*) FROM trainings WHERE status = 'archived') AS "archived!",
             (SELECT count(*) FROM trainings t WHERE
                 (SELECT count(*) FROM training_skills s WHERE s.training_id = t.id)
                 NOT BETWEEN 2 AND 5) AS "bad_skills!",
             (SELECT count(*) FROM public_trainings p WHERE NOT EXISTS (
                 SELECT 1 FROM training_search s WHERE s.training_id = p.id AND s.document <> ''::tsvector)) AS "unsearchable!",
             (SELECT count(*) FROM trainings t WHERE modality <> 'distanciel'
                 AND NOT EXISTS (SELECT 1 FROM training_places p WHERE p.training_id = t.id)) AS "placeless!",
             (SELECT count(*) FROM public_trainings WHERE start_band = '30-jours') AS "soon!",
             (SELECT count(*) FROM organisations WHERE kind = 'centre' AND status = 'approved'
                 AND (nda !~ '^[0-9]{11}$' OR commune_code IS NULL OR description = '')) AS "bad_profiles!"
        "#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stats.trainings, first.trainings_created as i64);
    assert!(stats.public >= stats.trainings - 15, "most are public");
    assert_eq!(stats.archived, 2);
    assert_eq!(
        stats.bad_skills, 0,
        "every training teaches 2 to 5 known skills"
    );
    assert_eq!(stats.unsearchable, 0);
    assert_eq!(stats.placeless, 0);
    assert!(stats.soon > 0, "some sessions start within 30 days");
    assert_eq!(stats.bad_profiles, 0);

    // A search by skill finds a training through its skills (weight B).
    let hits = common::search_hits(&pool, "training_search", "soudure").await;
    assert!(hits >= 2, "{hits}");

    // The bench tops up, then a second run adds nothing.
    let bench = catalogue_seed::bench(&pool, 50).await.unwrap();
    assert_eq!(
        bench,
        catalogue_seed::BenchReport {
            created: 50,
            total: 50
        }
    );
    let bench = catalogue_seed::bench(&pool, 60).await.unwrap();
    assert_eq!(
        bench,
        catalogue_seed::BenchReport {
            created: 10,
            total: 60
        }
    );
    let bench = catalogue_seed::bench(&pool, 60).await.unwrap();
    assert_eq!(bench.created, 0);
    let unsearchable = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM public_trainings p
           WHERE p.slug LIKE 'bench-%' AND NOT EXISTS (
               SELECT 1 FROM training_search s WHERE s.training_id = p.id AND s.document <> ''::tsvector)"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(unsearchable, 0);
}
