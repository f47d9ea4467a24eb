//! One newsletter issue to one subscriber, with their own unsubscribe link.

use super::{BackgroundJob, JobContext};
use crate::{base::error::AppError, base::mail::ssr as mail};
use serde::{Deserialize, Serialize};

/// Sends `issue` to `subscriber`, unless they unsubscribed since it was
/// queued (their row is gone) or never confirmed.
#[derive(Debug, Serialize, Deserialize)]
pub struct NewsletterIssue {
    pub issue: i64,
    pub subscriber: i64,
}

impl BackgroundJob for NewsletterIssue {
    const KIND: &'static str = "newsletter";

    async fn run(self, cx: JobContext<'_>) -> Result<(), AppError> {
        let JobContext {
            conn, mailer, site, ..
        } = cx;
        let Some(row) = sqlx::query!(
            "SELECT i.subject, i.body, s.email
             FROM newsletter_issues i, newsletter_subscribers s
             WHERE i.id = $1 AND s.id = $2 AND s.confirmed_at IS NOT NULL",
            self.issue,
            self.subscriber
        )
        .fetch_optional(&mut *conn)
        .await?
        else {
            return Ok(());
        };
        // The link's token is stored in the job's transaction: a failed send
        // leaves no token behind.
        let unsubscribe =
            crate::newsletter::ssr::unsubscribe_link(conn, site, self.subscriber).await?;
        mailer
            .send_with_headers(
                &row.email,
                mail::newsletter_issue(&row.subject, &row.body, &unsubscribe),
                &mail::unsubscribe_headers(&unsubscribe),
            )
            .await
    }
}
