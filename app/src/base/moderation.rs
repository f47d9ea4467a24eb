//! Content that moderation can withdraw (offers, trainings, articles): its
//! kinds, and the guard that keeps a withdrawn one from being published
//! again by its owner. The back office does the withdrawing.

use serde::{Deserialize, Serialize};

/// The three kinds of public content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentKind {
    Offres,
    Formations,
    Articles,
}

impl ContentKind {
    pub const ALL: [ContentKind; 3] = [Self::Offres, Self::Formations, Self::Articles];

    /// Its value in URLs and payloads.
    pub fn param(self) -> &'static str {
        match self {
            Self::Offres => "offres",
            Self::Formations => "formations",
            Self::Articles => "articles",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.param() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Offres => "Offres d'emploi",
            Self::Formations => "Formations",
            Self::Articles => "Articles du blog",
        }
    }

    /// "l'offre", "la formation", "l'article", for sentences.
    pub fn the(self) -> &'static str {
        match self {
            Self::Offres => "l'offre",
            Self::Formations => "la formation",
            Self::Articles => "l'article",
        }
    }

    /// Its public page.
    pub fn public_path(self, slug: &str) -> String {
        match self {
            Self::Offres => format!("/offres/{slug}"),
            Self::Formations => format!("/formations/{slug}"),
            Self::Articles => format!("/blog/{slug}"),
        }
    }

    /// Where its owners manage it.
    pub fn dashboard_path(self) -> &'static str {
        match self {
            Self::Offres => "/tableau-de-bord/offres",
            Self::Formations => "/tableau-de-bord/formations",
            Self::Articles => "/tableau-de-bord/blog",
        }
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::ContentKind;
    use crate::base::error::AppError;

    /// Refuses to publish `id` of `kind` once moderation withdrew it, with
    /// the reason (the owner's publish and schedule actions ask this first).
    pub async fn refuse_if_withdrawn(
        db: impl sqlx::PgExecutor<'_>,
        kind: ContentKind,
        id: i64,
    ) -> Result<(), AppError> {
        let reason = sqlx::query_scalar!(
            "SELECT withdrawal_reason FROM job_offers WHERE $1 = 'offres' AND id = $2 AND withdrawn_at IS NOT NULL
             UNION ALL
             SELECT withdrawal_reason FROM trainings WHERE $1 = 'formations' AND id = $2 AND withdrawn_at IS NOT NULL
             UNION ALL
             SELECT withdrawal_reason FROM articles WHERE $1 = 'articles' AND id = $2 AND withdrawn_at IS NOT NULL",
            kind.param(),
            id
        )
        .fetch_optional(db)
        .await?;
        match reason.flatten() {
            Some(reason) => Err(AppError::invalid(
                "action",
                &format!(
                    "Ce contenu a été retiré par la modération (motif : {reason}) : il ne peut pas être republié."
                ),
            )),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_url_values() {
        for kind in ContentKind::ALL {
            assert_eq!(ContentKind::parse(kind.param()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.param()));
        }
        assert_eq!(ContentKind::parse("offre"), None);
        assert_eq!(
            ContentKind::Formations.public_path("cap"),
            "/formations/cap"
        );
    }
}
