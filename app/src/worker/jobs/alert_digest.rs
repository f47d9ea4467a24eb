//! The digest e-mail of one saved search.

use super::{BackgroundJob, JobContext};
use crate::{base::error::AppError, base::mail::ssr as mail, worker::DIGEST_OFFERS};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The new offers of one saved search since its last digest. Nothing new:
/// no e-mail, but the search is marked as sent so the next period starts now.
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
            "SELECT s.label, s.query, s.frequency, s.last_sent_at,
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
            crate::jobs::search::matching_since(pool, &query, since, DIGEST_OFFERS as i64 + 1)
                .await?;
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
                facts.push(card.contract.label().to_owned());
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
}
