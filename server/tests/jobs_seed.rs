//! The demo job board (`seed --demo`) and the generated offers of
//! `seed --bench-offers N`: what they load, that the bridge has something to
//! show both ways, and that a second run adds nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use passerelle::{communes, jobs_seed, seed};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_demo_job_board_loads_once_and_the_bench_tops_it_up(pool: PgPool) {
    // Companies are spread over France: the whole communes file.
    communes::import(&pool).await.unwrap();
    let test_app = common::app(pool.clone()).await;
    let first = seed::demo(&pool, &test_app.storage).await.unwrap();
    assert!((140..=170).contains(&first.offers_created), "{first:?}");
    assert_eq!(first.applications_created, 8);

    let stats = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM organisations WHERE kind = 'entreprise' AND status = 'approved'
                 AND commune_code IS NOT NULL AND description <> '' AND sector <> ''
                 AND size_band <> '' AND website LIKE 'https://%.example') AS "companies!",
             (SELECT count(*) FROM organisations o WHERE kind = 'entreprise' AND NOT EXISTS (
                 SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.organisation_id = o.id AND m.role = 'owner' AND u.role = 'recruiter')) AS "ownerless!",
             (SELECT count(*) FROM job_offers WHERE status = 'published') AS "published!",
             (SELECT count(*) FROM job_offers WHERE status = 'draft') AS "drafts!",
             (SELECT count(*) FROM job_offers WHERE status = 'expired' AND expires_at < now()) AS "expired!",
             (SELECT count(*) FROM job_offers WHERE status = 'filled') AS "filled!",
             (SELECT count(*) FROM job_offers WHERE status = 'archived') AS "archived!",
             (SELECT count(*) FROM job_search) AS "searchable!",
             (SELECT count(*) FROM job_offers j WHERE j.status = 'published' AND (
                 j.expires_at <= now() OR j.published_at < now() - interval '46 days'
                 OR j.expires_at <> j.published_at + interval '60 days'
                 OR NOT EXISTS (SELECT 1 FROM job_search s WHERE s.offer_id = j.id)
                 OR (SELECT count(*) FROM job_skills js WHERE js.offer_id = j.id) < 2)) AS "bad_live!",
             (SELECT count(DISTINCT contract) FROM job_offers) AS "contracts!",
             (SELECT count(*) FROM job_offers WHERE remote = 'teletravail' AND commune_code IS NULL) AS "remote!",
             (SELECT count(*) FROM job_offers WHERE salary_unit IS NULL) AS "unpaid!",
             (SELECT count(*) FROM job_offers WHERE description_html NOT LIKE '%<h2>Vos missions</h2>%') AS "bad_html!"
        "#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!((19..=21).contains(&stats.companies), "{}", stats.companies);
    assert_eq!(stats.ownerless, 0);
    assert_eq!(stats.expired, 3);
    assert_eq!(stats.filled, 2);
    assert_eq!(stats.archived, 2);
    assert!((4..=12).contains(&stats.drafts), "{}", stats.drafts);
    assert_eq!(
        stats.published + stats.drafts + 7,
        first.offers_created as i64
    );
    assert_eq!(
        stats.searchable, stats.published,
        "only live offers are searchable"
    );
    assert_eq!(
        stats.bad_live, 0,
        "live offers: dates, search row, 2+ skills"
    );
    assert_eq!(stats.contracts, 7);
    assert!(stats.remote >= 8, "{}", stats.remote);
    assert!(stats.unpaid >= 15, "{}", stats.unpaid);
    assert_eq!(stats.bad_html, 0);

    // Atelier Rhône Industrie: a filled profile and live offers on the
    // platform, most of them without any application yet.
    let ari = sqlx::query!(
        r#"SELECT o.id, o.commune_code, o.description,
                  (SELECT count(*) FROM job_search s JOIN job_offers j ON j.id = s.offer_id
                   WHERE j.company_id = o.id AND j.apply_channel = 'platform') AS "live_platform!",
                  (SELECT count(*) FROM job_search s JOIN job_offers j ON j.id = s.offer_id
                   WHERE j.company_id = o.id AND j.apply_channel = 'platform'
                     AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.offer_id = j.id)) AS "untouched!"
           FROM organisations o WHERE o.siret = '82345678900010'"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(ari.commune_code.as_deref(), Some("69123"));
    assert!(!ari.description.is_empty());
    assert!(ari.live_platform >= 8, "{}", ari.live_platform);
    assert!(ari.untouched >= 6, "{}", ari.untouched);

    // Applications: only to its offers, several statuses, none by Camille.
    let applications = sqlx::query!(
        r#"SELECT count(*) AS "all!", count(DISTINCT a.status) AS "statuses!",
                  count(*) FILTER (WHERE u.email = 'camille.martin@demo.passerelle.fr') AS "camille!",
                  count(*) FILTER (WHERE j.company_id <> $1) AS "elsewhere!",
                  count(*) FILTER (WHERE a.message = '' OR a.created_at < j.published_at) AS "bad!"
           FROM applications a JOIN users u ON u.id = a.candidate_id
           JOIN job_offers j ON j.id = a.offer_id"#,
        ari.id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(applications.all, 8);
    assert!(applications.statuses >= 5);
    assert_eq!(applications.camille, 0);
    assert_eq!(applications.elsewhere, 0);
    assert_eq!(applications.bad, 0);

    // Camille has a profile with skills, and the bridge shows what she lacks
    // on a welding offer, with trainings that teach it.
    let camille = sqlx::query!(
        r#"SELECT u.id, p.headline,
                  (SELECT count(*) FROM candidate_skills s WHERE s.user_id = u.id) AS "skills!"
           FROM users u JOIN candidate_profiles p ON p.user_id = u.id
           WHERE u.email = 'camille.martin@demo.passerelle.fr'"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!camille.headline.is_empty());
    assert!((3..=4).contains(&camille.skills));
    let welding =
        sqlx::query_scalar!("SELECT id FROM job_offers WHERE slug = 'soudeur-tig-mig-lyon'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let bridge = app::jobs::ssr::bridge(&pool, welding, Some(camille.id))
        .await
        .unwrap();
    assert!(bridge.personal);
    let missing: Vec<&str> = bridge.missing.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(missing, ["Soudure"]);
    assert!(!bridge.trainings.is_empty());
    // And from the training side: the welding training lists live offers.
    let training = sqlx::query_scalar!(
        "SELECT t.slug FROM trainings t JOIN training_search s ON s.training_id = t.id
         WHERE t.slug LIKE 'titre-professionnel-soudeur%' ORDER BY t.id LIMIT 1"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let offers = app::jobs::ssr::offers_for_training(&pool, &training)
        .await
        .unwrap();
    assert!(offers.len() >= 3, "{}", offers.len());

    // A second run adds nothing.
    let again = jobs_seed::demo(&pool).await.unwrap();
    assert_eq!(again, jobs_seed::JobsReport::default());
    let second = seed::demo(&pool, &test_app.storage).await.unwrap();
    assert_eq!((second.offers_created, second.applications_created), (0, 0));

    // The bench tops up, then a second run adds nothing; all of it is live
    // and searchable.
    let bench = jobs_seed::bench(&pool, 500).await.unwrap();
    assert_eq!(
        bench,
        jobs_seed::BenchReport {
            created: 500,
            total: 500
        }
    );
    let bench = jobs_seed::bench(&pool, 520).await.unwrap();
    assert_eq!(
        bench,
        jobs_seed::BenchReport {
            created: 20,
            total: 520
        }
    );
    assert_eq!(jobs_seed::bench(&pool, 520).await.unwrap().created, 0);
    let generated = sqlx::query!(
        r#"SELECT count(*) AS "all!",
                  count(s.offer_id) AS "searchable!",
                  count(*) FILTER (WHERE j.remote = 'teletravail') AS "remote!",
                  count(*) FILTER (WHERE (SELECT count(*) FROM job_skills k WHERE k.offer_id = j.id) < 2) AS "few_skills!",
                  count(*) FILTER (WHERE s.document = ''::tsvector OR s.departement IS DISTINCT FROM c.departement_code) AS "bad_rows!",
                  count(DISTINCT j.commune_code) AS "towns!"
           FROM job_offers j LEFT JOIN job_search s ON s.offer_id = j.id
           LEFT JOIN communes c ON c.code = j.commune_code
           WHERE j.slug LIKE 'bench-offre-%'"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(generated.all, 520);
    assert_eq!(generated.searchable, 520);
    assert_eq!(generated.few_skills, 0);
    assert_eq!(generated.bad_rows, 0);
    assert!(
        (20..=110).contains(&generated.remote),
        "{}",
        generated.remote
    );
    assert!(generated.towns > 100, "{}", generated.towns);

    // The set-based search rows equal what refresh_job_search writes.
    let offer = sqlx::query_scalar!("SELECT id FROM job_offers WHERE slug = 'bench-offre-000042'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let before = common::search_document(&pool, offer).await;
    common::refresh_job_search(&pool, offer).await;
    let after = common::search_document(&pool, offer).await;
    assert_eq!(before, after);
    let found = common::search_hits(&pool, "job_search", "developpeur").await;
    assert!(found >= 10, "{found}");
}
