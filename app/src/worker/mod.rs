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

pub mod jobs;

use crate::{base::error::AppError, base::mail::ssr::Mailer, base::site::Site};
use jobs::{AlertDigest, BackgroundJob, ExpiryReminder, JobContext};
use sqlx::PgPool;

/// Days before expiry when recruiters are reminded.
pub const REMINDER_DAYS: i32 = 5;
/// Offers or trainings listed in one digest e-mail.
pub const DIGEST_ITEMS: usize = 10;
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

/// The job queue as operators watch it (the metrics read it at each scrape).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueState {
    /// Jobs due now and not done.
    pub pending: i64,
    /// How long the oldest of them has been due (0 when none).
    pub oldest_pending_seconds: f64,
    /// Jobs that failed every attempt and wait for an admin (retried or
    /// set aside on /admin/taches).
    pub given_up: i64,
}

pub async fn queue_state(pool: &PgPool) -> Result<QueueState, AppError> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM background_jobs WHERE done_at IS NULL AND run_at <= now()) AS "pending!",
             (SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(run_at)), 0)::float8 FROM background_jobs
               WHERE done_at IS NULL AND run_at <= now()) AS "oldest!",
             (SELECT count(*) FROM background_jobs
               WHERE last_error IS NOT NULL AND done_at IS NOT NULL AND discarded_at IS NULL) AS "given_up!""#
    )
    .fetch_one(pool)
    .await?;
    Ok(QueueState {
        pending: row.pending,
        oldest_pending_seconds: row.oldest,
        given_up: row.given_up,
    })
}

/// Forgets what has served its purpose: sessions ended or idle for 30
/// days (the longest a session may last; an app's token family with it),
/// authorisation codes a day past their minute, refresh tokens spent 30
/// days ago (kept until then to catch a reuse), used or expired e-mail links,
/// old sign-in failures, unsubscribe links older than a year, and newsletter
/// sign-ups never confirmed within a week, audience totals after 25 months.
pub async fn forget_old_records(pool: &PgPool) -> Result<u64, AppError> {
    let mut forgotten = sqlx::query!(
        "DELETE FROM user_sessions
         WHERE revoked_at < now() - interval '30 days' OR last_seen_at < now() - interval '30 days'"
    )
    .execute(pool)
    .await?
    .rows_affected();
    forgotten +=
        sqlx::query!("DELETE FROM oauth_codes WHERE expires_at < now() - interval '1 day'")
            .execute(pool)
            .await?
            .rows_affected();
    forgotten +=
        sqlx::query!("DELETE FROM oauth_refresh_tokens WHERE used_at < now() - interval '30 days'")
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
    // Audience totals are kept 25 months, as the CNIL allows without consent.
    forgotten += sqlx::query!(
        "DELETE FROM analytics_daily WHERE day < (now() AT TIME ZONE 'Europe/Paris')::date - interval '25 months'"
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
         SELECT $2,
                jsonb_build_object('offer', j.id, 'expires', extract(epoch FROM j.expires_at)::bigint,
                                   'user', m.user_id),
                'expiry-reminder:' || j.id || ':' || extract(epoch FROM j.expires_at)::bigint
                    || ':' || m.user_id
         FROM job_offers j JOIN memberships m ON m.organisation_id = j.company_id
         WHERE j.status = 'published' AND j.expires_at > now()
           AND j.expires_at <= now() + make_interval(days => $1)
         ON CONFLICT (dedupe_key) DO NOTHING",
        REMINDER_DAYS,
        ExpiryReminder::KIND
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// One digest per saved search and period (the Paris day, or the ISO week).
async fn queue_digests(pool: &PgPool) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        r#"INSERT INTO background_jobs (kind, payload, dedupe_key)
         SELECT $1, jsonb_build_object('search', s.id),
                'alert:' || s.id || ':' || CASE s.frequency
                    WHEN 'daily' THEN to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')
                    ELSE to_char(now() AT TIME ZONE 'Europe/Paris', 'IYYY-"W"IW') END
         FROM saved_searches s
         WHERE (s.frequency = 'daily' AND s.last_sent_at <= now() - interval '1 day')
            OR (s.frequency = 'weekly' AND s.last_sent_at <= now() - interval '7 days')
         ON CONFLICT (dedupe_key) DO NOTHING"#,
        AlertDigest::KIND
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
    let context = JobContext {
        conn: &mut savepoint,
        pool,
        mailer,
        site,
    };
    let outcome = jobs::run(context, &job.kind, job.payload).await;
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
