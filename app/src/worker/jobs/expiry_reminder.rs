//! The reminder that an offer expires soon, to one company member.

use super::{BackgroundJob, JobContext};
use crate::{base::error::AppError, base::mail::ssr as mail};
use serde::{Deserialize, Serialize};

/// Tells one company member that an offer expires soon, unless it was
/// renewed (its expiry is no longer `expires`), filled or withdrawn since
/// the reminder was queued, or the member has left the company.
#[derive(Debug, Serialize, Deserialize)]
pub struct ExpiryReminder {
    pub offer: i64,
    /// The offer's expiry (Unix time) when the reminder was queued.
    pub expires: i64,
    pub user: i64,
}

impl BackgroundJob for ExpiryReminder {
    const KIND: &'static str = "expiry_reminder";

    async fn run(self, cx: JobContext<'_>) -> Result<(), AppError> {
        let JobContext {
            conn, mailer, site, ..
        } = cx;
        let ExpiryReminder {
            offer,
            expires,
            user,
        } = self;
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
}
