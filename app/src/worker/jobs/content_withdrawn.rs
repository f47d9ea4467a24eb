//! The notice that moderation withdrew an offer, a training or an article,
//! to one of its owners, with the reason.

use super::{BackgroundJob, JobContext};
use crate::{base::error::AppError, base::mail::ssr as mail, base::moderation::ContentKind};
use serde::{Deserialize, Serialize};

/// Tells `user` that `id` of kind `content` was withdrawn and why (the
/// reason is read at sending time: the row keeps it).
#[derive(Debug, Serialize, Deserialize)]
pub struct ContentWithdrawn {
    pub content: ContentKind,
    pub id: i64,
    pub user: i64,
}

impl BackgroundJob for ContentWithdrawn {
    const KIND: &'static str = "content_withdrawn";

    async fn run(self, cx: JobContext<'_>) -> Result<(), AppError> {
        let JobContext {
            conn, mailer, site, ..
        } = cx;
        let ContentWithdrawn { content, id, user } = self;
        let withdrawn = match content {
            ContentKind::Offres => sqlx::query!(
                r#"SELECT title, withdrawal_reason FROM job_offers WHERE id = $1 AND withdrawn_at IS NOT NULL"#,
                id
            )
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| (r.title, r.withdrawal_reason)),
            ContentKind::Formations => sqlx::query!(
                r#"SELECT title, withdrawal_reason FROM trainings WHERE id = $1 AND withdrawn_at IS NOT NULL"#,
                id
            )
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| (r.title, r.withdrawal_reason)),
            ContentKind::Articles => sqlx::query!(
                r#"SELECT title, withdrawal_reason FROM articles WHERE id = $1 AND withdrawn_at IS NOT NULL"#,
                id
            )
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| (r.title, r.withdrawal_reason)),
        };
        let recipient = sqlx::query!("SELECT email, display_name FROM users WHERE id = $1", user)
            .fetch_optional(&mut *conn)
            .await?;
        // Deleted since (the content or the account): nobody to tell.
        let (Some((title, reason)), Some(to)) = (withdrawn, recipient) else {
            return Ok(());
        };
        let link = site.url(content.dashboard_path());
        mailer
            .send(
                &to.email,
                mail::content_withdrawn(&to.display_name, content.the(), &title, &reason, &link),
            )
            .await
    }
}
