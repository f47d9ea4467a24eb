//! The background worker: each replica ticks on a timer (and
//! `passerelle worker --once` ticks by hand). A tick expires offers past
//! their date, queues expiry reminders and alert digests in
//! `background_jobs`, then runs the due jobs.
//!
//! Delivery is at least once, one e-mail per job: enqueuing is idempotent
//! through `dedupe_key` (one digest per search and period, one reminder per
//! offer, expiry date and company member), and a job is claimed with
//! `FOR UPDATE SKIP LOCKED` and marked done in the transaction that holds
//! the lock, so two replicas never run it both. A crash (or a lost commit)
//! between the SMTP server accepting the e-mail and that commit runs the
//! job again, and the e-mail goes out a second time.

use crate::{
    base::error::AppError,
    base::mail::ssr::{self as mail, Mailer},
    base::site::Site,
};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

/// Days before expiry when recruiters are reminded.
pub const REMINDER_DAYS: i32 = 5;
/// Offers listed in one digest e-mail.
pub const DIGEST_OFFERS: usize = 10;
/// A failing job is tried this many times, then left with its error.
pub const MAX_ATTEMPTS: i32 = 5;
/// Jobs one tick runs at most; the rest wait for the next tick.
const JOBS_PER_TICK: usize = 200;

/// What one tick did, for the logs and `passerelle worker --once`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TickReport {
    pub expired: u64,
    pub reminders_queued: u64,
    pub digests_queued: u64,
    pub jobs_done: u64,
    pub jobs_failed: u64,
}

impl std::fmt::Display for TickReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Offres expirées : {} · rappels programmés : {} · alertes programmées : {} · \
             tâches exécutées : {} · en échec : {}",
            self.expired,
            self.reminders_queued,
            self.digests_queued,
            self.jobs_done,
            self.jobs_failed
        )
    }
}

/// One pass of the worker. `base_url` is the public site URL that e-mail
/// links start with (the worker runs outside any request).
pub async fn tick(pool: &PgPool, mailer: &Mailer, base_url: &str) -> Result<TickReport, AppError> {
    let site = Site::new(base_url);
    forget_old_records(pool).await?;
    let expired = expire_offers(pool).await?;
    let reminders_queued = queue_reminders(pool).await?;
    let digests_queued = queue_digests(pool).await?;
    let mut report = TickReport {
        expired,
        reminders_queued,
        digests_queued,
        ..TickReport::default()
    };
    for _ in 0..JOBS_PER_TICK {
        match run_next_job(pool, mailer, &site).await? {
            None => break,
            Some(true) => report.jobs_done += 1,
            Some(false) => report.jobs_failed += 1,
        }
    }
    Ok(report)
}

/// Forgets what has served its purpose: sessions ended or idle for 30
/// days (the longest a session may last), used or expired e-mail links,
/// old sign-in failures, unsubscribe links older than a year, and newsletter
/// sign-ups never confirmed within a week.
pub async fn forget_old_records(pool: &PgPool) -> Result<u64, AppError> {
    let mut forgotten = sqlx::query!(
        "DELETE FROM user_sessions
         WHERE revoked_at < now() - interval '30 days' OR last_seen_at < now() - interval '30 days'"
    )
    .execute(pool)
    .await?
    .rows_affected();
    forgotten += sqlx::query!(
        "DELETE FROM email_tokens
         WHERE (used_at IS NOT NULL OR expires_at < now()) AND created_at < now() - interval '30 days'"
    )
    .execute(pool)
    .await?
    .rows_affected();
    forgotten += sqlx::query!("DELETE FROM auth_failures WHERE at < now() - interval '1 day'")
        .execute(pool)
        .await?
        .rows_affected();
    forgotten +=
        sqlx::query!("DELETE FROM unsubscribe_tokens WHERE created_at < now() - interval '1 year'")
            .execute(pool)
            .await?
            .rows_affected();
    forgotten += sqlx::query!(
        "DELETE FROM newsletter_subscribers
         WHERE confirmed_at IS NULL AND created_at < now() - interval '7 days'"
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(forgotten)
}

/// Published offers past their date become expired and leave the search.
pub async fn expire_offers(pool: &PgPool) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    let ids = sqlx::query_scalar!(
        "UPDATE job_offers SET status = 'expired', updated_at = now()
         WHERE status = 'published' AND expires_at <= now() RETURNING id"
    )
    .fetch_all(&mut *tx)
    .await?;
    // Also rows whose offer was renewed into the past by hand: the search
    // holds live offers only.
    sqlx::query!(
        "DELETE FROM job_search WHERE offer_id = ANY($1) OR expires_at <= now()",
        &ids
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ids.len() as u64)
}

/// One reminder per offer, expiry date and company member (a renewed offer
/// gets new ones): a failed send to one member is retried alone, without
/// resending to the others.
async fn queue_reminders(pool: &PgPool) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "INSERT INTO background_jobs (kind, payload, dedupe_key)
         SELECT 'expiry_reminder',
                jsonb_build_object('offer', j.id, 'expires', extract(epoch FROM j.expires_at)::bigint,
                                   'user', m.user_id),
                'expiry-reminder:' || j.id || ':' || extract(epoch FROM j.expires_at)::bigint
                    || ':' || m.user_id
         FROM job_offers j JOIN memberships m ON m.organisation_id = j.company_id
         WHERE j.status = 'published' AND j.expires_at > now()
           AND j.expires_at <= now() + make_interval(days => $1)
         ON CONFLICT (dedupe_key) DO NOTHING",
        REMINDER_DAYS
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// One digest per saved search and period (the Paris day, or the ISO week).
async fn queue_digests(pool: &PgPool) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        r#"INSERT INTO background_jobs (kind, payload, dedupe_key)
         SELECT 'alert_digest', jsonb_build_object('search', s.id),
                'alert:' || s.id || ':' || CASE s.frequency
                    WHEN 'daily' THEN to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')
                    ELSE to_char(now() AT TIME ZONE 'Europe/Paris', 'IYYY-"W"IW') END
         FROM saved_searches s
         WHERE (s.frequency = 'daily' AND s.last_sent_at <= now() - interval '1 day')
            OR (s.frequency = 'weekly' AND s.last_sent_at <= now() - interval '7 days')
         ON CONFLICT (dedupe_key) DO NOTHING"#
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// Claims the oldest due job, runs it and records the outcome in the same
/// transaction. `None` when nothing is due; `Some(false)` when the job failed.
async fn run_next_job(
    pool: &PgPool,
    mailer: &Mailer,
    site: &Site,
) -> Result<Option<bool>, AppError> {
    let mut tx = pool.begin().await?;
    let Some(job) = sqlx::query!(
        "SELECT id, kind, payload, attempts FROM background_jobs
         WHERE done_at IS NULL AND run_at <= now()
         ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED"
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    // The job's own writes go in a savepoint: a failure undoes them but
    // keeps the lock while the attempt is recorded.
    let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
    let outcome = run_job(&mut savepoint, pool, mailer, site, &job.kind, &job.payload).await;
    let ok = match outcome {
        Ok(()) => {
            savepoint.commit().await?;
            sqlx::query!(
                "UPDATE background_jobs SET done_at = now(), attempts = attempts + 1, last_error = NULL
                 WHERE id = $1",
                job.id
            )
            .execute(&mut *tx)
            .await?;
            true
        }
        Err(error) => {
            savepoint.rollback().await?;
            let attempts = job.attempts + 1;
            tracing::warn!(job = job.id, kind = %job.kind, attempts, %error, "background job failed");
            // Retries wait 1, 2, 4, 8 minutes; after the last one the job
            // stays with its error for someone to look at.
            sqlx::query!(
                "UPDATE background_jobs SET attempts = $2, last_error = $3,
                    run_at = now() + make_interval(mins => power(2, $2 - 1)::int),
                    done_at = CASE WHEN $2 >= $4 THEN now() END
                 WHERE id = $1",
                job.id,
                attempts,
                error.to_string(),
                MAX_ATTEMPTS
            )
            .execute(&mut *tx)
            .await?;
            false
        }
    };
    tx.commit().await?;
    Ok(Some(ok))
}

fn payload_id(payload: &Value, key: &str) -> Result<i64, AppError> {
    payload[key].as_i64().ok_or_else(|| {
        tracing::error!(%payload, key, "background job without its id");
        AppError::Internal
    })
}

async fn run_job(
    conn: &mut PgConnection,
    pool: &PgPool,
    mailer: &Mailer,
    site: &Site,
    kind: &str,
    payload: &Value,
) -> Result<(), AppError> {
    match kind {
        "alert_digest" => {
            send_digest(conn, pool, mailer, site, payload_id(payload, "search")?).await
        }
        "expiry_reminder" => {
            let offer = payload_id(payload, "offer")?;
            let expires = payload_id(payload, "expires")?;
            send_reminder(
                conn,
                mailer,
                site,
                offer,
                expires,
                payload_id(payload, "user")?,
            )
            .await
        }
        other => {
            tracing::error!(kind = other, "unknown background job");
            Err(AppError::Internal)
        }
    }
}

/// The new offers of one saved search since its last digest. Nothing new:
/// no e-mail, but the search is marked as sent so the next period starts now.
async fn send_digest(
    conn: &mut PgConnection,
    pool: &PgPool,
    mailer: &Mailer,
    site: &Site,
    search: i64,
) -> Result<(), AppError> {
    // Locked so a user's change (unsubscribe) waits for this digest.
    let Some(row) = sqlx::query!(
        "SELECT s.label, s.query, s.frequency, s.last_sent_at,
                u.email, u.display_name
         FROM saved_searches s JOIN users u ON u.id = s.user_id
         WHERE s.id = $1 FOR UPDATE OF s",
        search
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        // Deleted since it was queued.
        return Ok(());
    };
    if row.frequency == "none" {
        return Ok(());
    }
    let query = crate::ui::search::SearchQuery::parse(&row.query);
    let since: DateTime<Utc> = row.last_sent_at;
    // The next digest starts where this one's read starts, not at the claim
    // transaction's start: nothing published in between is skipped. An
    // offer published between this instant and the read below may be listed
    // again next time (`matching_since` has no upper bound).
    let boundary = sqlx::query_scalar!(r#"SELECT clock_timestamp() AS "now!""#)
        .fetch_one(&mut *conn)
        .await?;
    let mut offers =
        crate::jobs::search::matching_since(pool, &query, since, DIGEST_OFFERS as i64 + 1).await?;
    sqlx::query!(
        "UPDATE saved_searches SET last_sent_at = $2 WHERE id = $1",
        search,
        boundary
    )
    .execute(&mut *conn)
    .await?;
    if offers.is_empty() {
        return Ok(());
    }
    let more = offers.len() > DIGEST_OFFERS;
    offers.truncate(DIGEST_OFFERS);
    let listed: Vec<mail::DigestOffer> = offers
        .into_iter()
        .map(|card| {
            let mut facts = vec![card.city.unwrap_or_else(|| "Télétravail".to_owned())];
            facts.push(crate::base::format::label_of(
                &crate::jobs::CONTRACTS,
                &card.contract,
            ));
            mail::DigestOffer {
                title: card.title,
                company: card.company_name,
                facts: facts.join(" · "),
                link: site.url(&format!("/offres/{}", card.slug)),
            }
        })
        .collect();
    let search_link = if row.query.is_empty() {
        site.url("/offres")
    } else {
        site.url(&format!("/offres?{}", row.query))
    };
    // A token per e-mail, stored hashed: the database never holds a working link.
    let (token, token_hash) = crate::identity::auth::ssr::new_token();
    sqlx::query!(
        "INSERT INTO unsubscribe_tokens (token_hash, saved_search_id) VALUES ($1, $2)",
        token_hash,
        search
    )
    .execute(&mut *conn)
    .await?;
    let unsubscribe = site.url(&format!("/alertes/desabonnement?jeton={token}"));
    let email = mail::alert_digest(
        &row.display_name,
        &row.label,
        &listed,
        more,
        &search_link,
        &unsubscribe,
    );
    let headers = mail::unsubscribe_headers(&unsubscribe);
    mailer.send_with_headers(&row.email, email, &headers).await
}

/// Tells one company member that an offer expires soon, unless it was
/// renewed (its expiry is no longer `expires`), filled or withdrawn since
/// the reminder was queued, or the member has left the company.
async fn send_reminder(
    conn: &mut PgConnection,
    mailer: &Mailer,
    site: &Site,
    offer: i64,
    expires: i64,
    user: i64,
) -> Result<(), AppError> {
    let Some(row) = sqlx::query!(
        r#"SELECT title, company_id,
                  to_char(expires_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "expires_on!"
           FROM job_offers
           WHERE id = $1 AND status = 'published' AND expires_at > now()
             AND extract(epoch FROM expires_at)::bigint = $2"#,
        offer,
        expires
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let Some((email, name)) =
        crate::organisations::member_emails(&mut *conn, row.company_id, Some(user))
            .await?
            .into_iter()
            .next()
    else {
        return Ok(());
    };
    let link = site.url("/tableau-de-bord/offres");
    let expires_on = crate::base::format::french_date(&row.expires_on);
    mailer
        .send(
            &email,
            mail::expiry_reminder(&name, &row.title, &expires_on, &link),
        )
        .await
}
