//! The digest e-mail of one saved search, of offers or of trainings.

use super::{BackgroundJob, JobContext};
use crate::{
    base::error::AppError,
    base::mail::ssr::{self as mail, DigestItem, DigestOf},
    base::site::Site,
    trainings::{MODALITIES, label_of},
    ui::search::{Scope, SearchQuery},
    worker::DIGEST_ITEMS,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

/// The new offers or trainings of one saved search since its last digest.
/// Nothing new: no e-mail, but the search is marked as sent so the next
/// period starts now.
#[derive(Debug, Serialize, Deserialize)]
pub struct AlertDigest {
    pub search: i64,
}

impl BackgroundJob for AlertDigest {
    const KIND: &'static str = "alert_digest";

    async fn run(self, cx: JobContext<'_>) -> Result<(), AppError> {
        let JobContext {
            conn,
            pool,
            mailer,
            site,
        } = cx;
        let search = self.search;
        // Locked so a user's change (unsubscribe) waits for this digest.
        let Some(row) = sqlx::query!(
            "SELECT s.scope, s.label, s.query, s.frequency, s.last_sent_at,
                u.email, u.display_name
         FROM saved_searches s JOIN users u ON u.id = s.user_id
         WHERE s.id = $1 AND u.suspended_at IS NULL FOR UPDATE OF s",
            search
        )
        .fetch_optional(&mut *conn)
        .await?
        else {
            // Deleted since it was queued, or its account is suspended.
            return Ok(());
        };
        if row.frequency == "none" {
            return Ok(());
        }
        let scope = crate::jobs::alerts::scope_of(&row.scope);
        let query = SearchQuery::parse_in(scope, &row.query);
        let since: DateTime<Utc> = row.last_sent_at;
        // The next digest starts where this one's read starts, not at the claim
        // transaction's start: nothing published in between is skipped. What is
        // published between this instant and the read below may be listed
        // again next time (`matching_since` has no upper bound).
        let boundary = sqlx::query_scalar!(r#"SELECT clock_timestamp() AS "now!""#)
            .fetch_one(&mut *conn)
            .await?;
        let limit = DIGEST_ITEMS as i64 + 1;
        let (of, mut items) = match scope {
            Scope::Offers => (
                DigestOf::Offers,
                new_offers(pool, site, &query, since, limit).await?,
            ),
            Scope::Trainings => (
                DigestOf::Trainings,
                new_trainings(pool, site, &query, since, limit).await?,
            ),
        };
        sqlx::query!(
            "UPDATE saved_searches SET last_sent_at = $2 WHERE id = $1",
            search,
            boundary
        )
        .execute(&mut *conn)
        .await?;
        if items.is_empty() {
            return Ok(());
        }
        let more = items.len() > DIGEST_ITEMS;
        items.truncate(DIGEST_ITEMS);
        let search_link = if row.query.is_empty() {
            site.url(scope.path())
        } else {
            site.url(&format!("{}?{}", scope.path(), row.query))
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
            of,
            &row.display_name,
            &row.label,
            &items,
            more,
            &search_link,
            &unsubscribe,
        );
        let headers = mail::unsubscribe_headers(&unsubscribe);
        mailer.send_with_headers(&row.email, email, &headers).await
    }
}

/// The offers published since `since`, as digest lines ("Lyon · CDI").
async fn new_offers(
    pool: &PgPool,
    site: &Site,
    query: &SearchQuery,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DigestItem>, AppError> {
    let offers = crate::jobs::search::matching_since(pool, query, since, limit).await?;
    Ok(offers
        .into_iter()
        .map(|card| {
            let mut facts = vec![card.city.unwrap_or_else(|| "Télétravail".to_owned())];
            facts.push(card.contract.label().to_owned());
            DigestItem {
                title: card.title,
                organisation: card.company_name,
                facts: facts.join(" · "),
                link: site.url(&Scope::Offers.item_path(&card.slug)),
            }
        })
        .collect())
}

/// The trainings published since `since`, as digest lines ("Lyon ·
/// Présentiel · 400 h"; no place: taught at a distance).
async fn new_trainings(
    pool: &PgPool,
    site: &Site,
    query: &SearchQuery,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DigestItem>, AppError> {
    let trainings = crate::trainings::search::matching_since(pool, query, since, limit).await?;
    Ok(trainings
        .into_iter()
        .map(|card| {
            let mut facts: Vec<String> = card.places.iter().take(2).cloned().collect();
            facts.push(label_of(&MODALITIES, &card.modality));
            facts.push(format!("{} h", card.duration_hours));
            DigestItem {
                title: card.title,
                organisation: card.centre_name,
                facts: facts.join(" · "),
                link: site.url(&Scope::Trainings.item_path(&card.slug)),
            }
        })
        .collect())
}
