//! The kinds of background job: one struct per kind, its payload as fields
//! (stored as JSON in `background_jobs.payload`, its kind in `kind`), and
//! what running it does. The worker claims a row and hands it to [`run`].

mod alert_digest;
mod content_withdrawn;
mod expiry_reminder;
mod newsletter;

pub use alert_digest::AlertDigest;
pub use content_withdrawn::ContentWithdrawn;
pub use expiry_reminder::ExpiryReminder;
pub use newsletter::NewsletterIssue;

use crate::{base::error::AppError, base::mail::ssr::Mailer, base::site::Site};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use std::future::Future;

/// What a job runs with: the claimed row's transaction (its writes commit
/// with the job's outcome), the pool for reads outside it, the mailer and
/// the site's public URL.
pub struct JobContext<'a> {
    pub conn: &'a mut PgConnection,
    pub pool: &'a PgPool,
    pub mailer: &'a Mailer,
    pub site: &'a Site,
}

/// One kind of background job.
pub trait BackgroundJob: DeserializeOwned {
    /// The value of `background_jobs.kind` for this job.
    const KIND: &'static str;

    fn run(self, cx: JobContext<'_>) -> impl Future<Output = Result<(), AppError>> + Send;
}

/// Runs one claimed job: its payload is decoded into the struct of its kind.
pub async fn run(cx: JobContext<'_>, kind: &str, payload: Value) -> Result<(), AppError> {
    match kind {
        AlertDigest::KIND => decode::<AlertDigest>(payload)?.run(cx).await,
        ExpiryReminder::KIND => decode::<ExpiryReminder>(payload)?.run(cx).await,
        ContentWithdrawn::KIND => decode::<ContentWithdrawn>(payload)?.run(cx).await,
        NewsletterIssue::KIND => decode::<NewsletterIssue>(payload)?.run(cx).await,
        other => {
            tracing::error!(kind = other, "unknown background job");
            Err(AppError::Internal)
        }
    }
}

fn decode<J: BackgroundJob>(payload: Value) -> Result<J, AppError> {
    serde_json::from_value(payload).map_err(|error| {
        tracing::error!(kind = J::KIND, %error, "background job with a bad payload");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn payloads_as_the_queueing_statements_write_them_decode() {
        let reminder: ExpiryReminder =
            decode(json!({"offer": 7, "expires": 1_767_225_600, "user": 3})).expect("reminder");
        assert_eq!(
            (reminder.offer, reminder.expires, reminder.user),
            (7, 1_767_225_600, 3)
        );
        let digest: AlertDigest = decode(json!({"search": 42})).expect("digest");
        assert_eq!(digest.search, 42);
        let notice: ContentWithdrawn =
            decode(json!({"content": "formations", "id": 5, "user": 9})).expect("notice");
        assert_eq!(
            (notice.content, notice.id, notice.user),
            (crate::base::moderation::ContentKind::Formations, 5, 9)
        );
        let issue: NewsletterIssue =
            decode(json!({"issue": 2, "subscriber": 11})).expect("newsletter");
        assert_eq!((issue.issue, issue.subscriber), (2, 11));
    }

    #[test]
    fn a_payload_missing_its_ids_is_refused() {
        assert!(decode::<ExpiryReminder>(json!({"offer": 7, "user": 3})).is_err());
        assert!(decode::<AlertDigest>(json!({"search": "42"})).is_err());
    }
}
