//! `DATABASE_READ_URL`: visitors who are not signed in read the replica
//! (pages, searches, the public API); anyone signed in, or calling with a
//! token, reads the primary, so nobody reads their own write stale; a
//! replica that stops answering sends every read back to the primary.
//!
//! The "replica" here is a second database with other rows, so each answer
//! tells which database it came from. The real streaming replica is in
//! `make scale-test`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::base::db::Replica;
use axum::http::StatusCode;
use common::{Client, api, ok_text};
use sqlx::{PgPool, postgres::PgPoolOptions};

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// A new, migrated database on the same server as `pool`'s.
async fn other_database(pool: &PgPool) -> PgPool {
    let name = format!(
        "passerelle_replica_{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(pool)
        .await
        .unwrap();
    let options = (*pool.connect_options()).clone().database(&name);
    let other = PgPoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .unwrap();
    app::base::db::MIGRATOR.run(&other).await.unwrap();
    other
}

async fn drop_database(pool: &PgPool, other: PgPool) {
    let name = other.connect_options().get_database().unwrap().to_owned();
    other.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(pool)
        .await
        .unwrap();
}

/// A published offer titled `title` by company `company`.
async fn publish(pool: &PgPool, company: i64, title: &str) {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO job_offers (company_id, title, description_markdown, contract, remote, status,
                                 published_at, expires_at)
         VALUES ($1, $2, 'Une belle offre, une équipe accueillante.', 'cdi', 'teletravail',
                 'published', now(), now() + interval '30 days')
         RETURNING id",
    )
    .bind(company)
    .bind(title)
    .fetch_one(pool)
    .await
    .unwrap();
    common::refresh_job_search(pool, id).await;
}

/// An approved company with no one in it (the replica's).
async fn company(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO organisations (kind, name, siret, status)
         VALUES ('entreprise', 'Atelier Martin', '73282932000074', 'approved') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Which of the two offers `text` shows.
fn source(text: &str) -> &'static str {
    match (
        text.contains("Soudeur du primaire"),
        text.contains("Soudeur du réplica"),
    ) {
        (true, false) => "primary",
        (false, true) => "replica",
        (true, true) => "both",
        (false, false) => "neither",
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn visitors_read_the_replica_and_the_signed_in_the_primary(pool: PgPool) {
    let replica_pool = other_database(&pool).await;
    let (primary_company, recruiter) =
        common::organisation(&pool, "entreprise", "approved", "Atelier Martin", "Rita").await;
    publish(&pool, primary_company, "Soudeur du primaire").await;
    let replica_company = company(&replica_pool).await;
    publish(&replica_pool, replica_company, "Soudeur du réplica").await;
    // A true replica has the primary's data versions for the primary's
    // data; these two databases differ in data, so in versions too.
    sqlx::query("UPDATE search_versions SET version = version + 1000")
        .execute(&pool)
        .await
        .unwrap();
    let replica = Replica::new(
        replica_pool.clone(),
        passerelle::sessions::cookie_name(false),
    );
    replica.set_healthy(true);
    let app = common::app_with_replica(pool.clone(), replica.clone(), &[]).await;

    // A visitor: the page, a search, the public API.
    let anonymous = ["/offres", "/offres?q=soudeur", "/api/v1/offres?q=soudeur"];
    for path in anonymous {
        let text = ok_text(app.get(path).await).await;
        assert_eq!(source(&text), "replica", "{path}: {text}");
    }

    // Signed in (a session cookie): the primary, page and search alike.
    let mut signed_in = Client::signed_in_as(&app, &recruiter).await;
    for path in ["/offres", "/offres?q=soudeur"] {
        let response = signed_in.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let text = common::body_text(response).await;
        assert_eq!(source(&text), "primary", "{path} signed in");
    }
    // A token's holder may have just written through the API: the primary.
    let user = api::user_id(&pool, &recruiter).await;
    let (token, _) = api::user_token(&pool, user, &["profil"]).await;
    let (status, body) =
        api::call(&app, "GET", "/api/v1/offres?q=soudeur", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(source(&body.to_string()), "primary", "{body}");

    // The replica stops answering: visitors read the primary, and no page
    // kept from the replica is served in its place.
    replica.set_healthy(false);
    for path in anonymous {
        let text = ok_text(app.get(path).await).await;
        assert_eq!(
            source(&text),
            "primary",
            "{path} with the replica away: {text}"
        );
    }
    let (status, ready) = common::json(app.get("/readyz").await).await;
    assert_eq!(status, StatusCode::OK, "still ready: {ready}");
    assert_eq!(ready["replica"], "unavailable", "{ready}");

    // Back: visitors read it again.
    replica.set_healthy(true);
    assert_eq!(source(&ok_text(app.get("/offres").await).await), "replica");
    let (_, ready) = common::json(app.get("/readyz").await).await;
    assert_eq!(ready["replica"], "ok", "{ready}");

    drop_database(&pool, replica_pool).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_metrics_show_both_pools_and_the_job_queue(pool: PgPool) {
    let replica_pool = other_database(&pool).await;
    let replica = Replica::new(
        replica_pool.clone(),
        passerelle::sessions::cookie_name(false),
    );
    replica.set_healthy(true);
    // One job due for ten minutes, one given up after its attempts.
    sqlx::raw_sql(
        "INSERT INTO background_jobs (kind, run_at) VALUES ('newsletter_issue', now() - interval '10 minutes');
         INSERT INTO background_jobs (kind, attempts, last_error, done_at)
         VALUES ('newsletter_issue', 5, 'SMTP refusé', now())",
    )
    .execute(&pool)
    .await
    .unwrap();
    let token = "jeton-de-test-des-metriques-0123456789";
    let app = common::app_with_replica(pool.clone(), replica, &[("METRICS_TOKEN", token)]).await;
    let bearer = format!("Bearer {token}");
    let metrics = ok_text(app.get_with("/metrics", "authorization", &bearer).await).await;
    let value = |name: &str| -> f64 {
        metrics
            .lines()
            .find(|line| line.starts_with(name) && line[name.len()..].starts_with([' ', '{']))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {metrics}"))
    };
    assert_eq!(value("passerelle_worker_jobs_pending"), 1.0);
    assert_eq!(value("passerelle_worker_jobs_given_up"), 1.0);
    let oldest = value("passerelle_worker_jobs_oldest_pending_seconds");
    assert!((590.0..900.0).contains(&oldest), "{oldest}");
    for pool in ["primary", "read"] {
        assert!(
            metrics.lines().any(
                |line| line.starts_with("passerelle_db_pool_max_connections{")
                    && line.contains(&format!("pool=\"{pool}\""))
            ),
            "{pool}: {metrics}"
        );
    }
    assert!(value("passerelle_redis_pool_connected") >= 1.0);
    drop_database(&pool, replica_pool).await;
}

/// A replica cancels a query its replay conflicts with (SQLSTATE 40001,
/// as a serialisation failure or, 40P01, a deadlock): the visitor gets a
/// 503 "try again", not a 500 as for a bug.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_statement_cancelled_by_a_conflict_is_a_503(pool: PgPool) {
    use app::base::error::AppError;
    for code in ["40001", "40P01"] {
        let cancelled = sqlx::query(&format!(
            "DO $$ BEGIN RAISE EXCEPTION 'conflit' USING ERRCODE = '{code}'; END $$"
        ))
        .execute(&pool)
        .await
        .unwrap_err();
        assert!(
            matches!(AppError::from(cancelled), AppError::Unavailable),
            "{code}"
        );
    }
    let bug = sqlx::query("SELECT * FROM pas_de_table")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(matches!(AppError::from(bug), AppError::Internal));
}
