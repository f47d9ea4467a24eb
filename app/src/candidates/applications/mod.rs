//! Applications to job offers: a verified candidate applies in one step
//! (cover message and PDF CV), follows each status in
//! `/tableau-de-bord/candidatures` and can withdraw; the company's recruiters
//! review them in a pipeline with private notes and a CSV export. Both
//! sides write to each other on the application, and recruiters propose
//! interviews (`interviews`).

pub mod interviews;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use pages::{ApplySection, CandidateApplicationsPage, ReceivedApplicationsPage};

use crate::{base::error::AppError, organisations::requests::Message};
#[cfg(feature = "ssr")]
use crate::{
    candidates::ssr::DashboardPage,
    identity::auth::{
        Permission,
        ssr::{with_permission, with_user},
    },
};
use interviews::Interview;
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};
use serde::{Deserialize, Serialize};

/// Where an application stands (the `applications.status` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    New,
    InReview,
    Interview,
    Hired,
    Refused,
    Withdrawn,
}

impl ApplicationStatus {
    /// Pipeline steps in order.
    pub const ALL: [Self; 6] = [
        Self::New,
        Self::InReview,
        Self::Interview,
        Self::Hired,
        Self::Refused,
        Self::Withdrawn,
    ];

    /// Steps a recruiter can move an application to with one button:
    /// withdrawal is the candidate's, and an interview is proposed with
    /// its slot (`interviews::propose_interview`).
    pub const REVIEW_STEPS: [Self; 3] = [Self::InReview, Self::Hired, Self::Refused];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InReview => "in_review",
            Self::Interview => "interview",
            Self::Hired => "hired",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// What the candidate reads; the words of les emplois de l'inclusion
    /// where they fit ("retenue" alone reads as shortlisted or hired).
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "Envoyée",
            Self::InReview => "À l'étude",
            Self::Interview => "Entretien",
            Self::Hired => "Acceptée : embauche",
            Self::Refused => "Déclinée",
            Self::Withdrawn => "Retirée",
        }
    }

    /// A step sent by a recruiter's form; anything else is refused with a
    /// French message on the `status` field.
    pub fn parse_step(value: &str) -> Result<Self, AppError> {
        crate::base::validate::one_of(
            &Self::REVIEW_STEPS,
            Self::as_str,
            value,
            "status",
            "Étape inconnue.",
        )
    }

    /// Whether the candidate may still withdraw.
    pub fn withdrawable(self) -> bool {
        matches!(self, Self::New | Self::InReview | Self::Interview)
    }
}

/// The standard reasons a recruiter picks from; shown to the candidate as is.
pub const REFUSAL_REASONS: [&str; 6] = [
    "Le poste a été pourvu",
    "Votre profil ne correspond pas aux compétences demandées",
    "Expérience insuffisante pour ce poste",
    "Nous avons retenu une autre candidature",
    "Offre annulée",
    "Les conditions du poste (lieu, horaires, contrat) ne correspondent pas à votre demande",
];

/// What the apply section of an offer page shows to the person reading it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplyState {
    /// Not signed in: a link to sign in and come back.
    Visitor,
    /// A candidate whose address is not confirmed yet.
    Unverified,
    /// Signed in with an account that does not apply (recruiter, centre…).
    NotCandidate,
    /// The offer takes no application on Passerelle (expired, or applied elsewhere).
    Closed,
    /// Already applied (and not withdrawn).
    Applied {
        status: ApplicationStatus,
        applied_on: String,
    },
    /// The form; `cv_name` is the profile's CV, which is sent unless replaced.
    Open { cv_name: Option<String> },
}

/// An application as its candidate sees it (never the recruiters' notes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateApplication {
    pub id: i64,
    pub status: ApplicationStatus,
    pub refusal_reason: String,
    pub offer_id: i64,
    pub offer_title: String,
    /// Set while the offer page is public.
    pub offer_slug: Option<String>,
    pub company_name: String,
    /// ISO dates.
    pub applied_on: String,
    pub updated_on: String,
    pub messages: Vec<Message>,
    pub interview: Option<Interview>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedOffer {
    pub offer_id: i64,
    pub slug: String,
    pub title: String,
    pub company_name: String,
    pub live: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateDashboard {
    pub applications: Vec<CandidateApplication>,
    pub saved: Vec<SavedOffer>,
}

/// A recruiter's private note on an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub author: String,
    pub body: String,
    pub at: String,
}

/// An application as the company's recruiters see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedApplication {
    pub id: i64,
    pub status: ApplicationStatus,
    pub refusal_reason: String,
    pub offer_id: i64,
    pub offer_title: String,
    pub candidate_name: String,
    pub candidate_email: String,
    pub headline: String,
    /// The profile's experience, plain text.
    pub experience: String,
    pub skills: Vec<String>,
    pub message: String,
    /// ISO date.
    pub applied_on: String,
    /// The CV sent with the application, at `/medias/prive/{id}`.
    pub cv_media_id: Option<i64>,
    pub notes: Vec<Note>,
    /// Written with the candidate (who never sees the notes).
    pub messages: Vec<Message>,
    pub interview: Option<Interview>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pipeline {
    /// The company's offers that received applications: (id, title).
    pub offers: Vec<(i64, String)>,
    /// The offer shown, 0 for all.
    pub offer: i64,
    /// The newest [`PIPELINE_LIMIT`] applications at most.
    pub applications: Vec<ReceivedApplication>,
    /// Older applications were left out.
    pub truncated: bool,
}

/// Applications shown in the pipeline and its CSV export.
pub const PIPELINE_LIMIT: usize = 1_000;

/// The apply section's state for offer `offer_id` and the current visitor.
#[server(prefix = "/api", endpoint = "candidatures/etat")]
pub async fn load_apply_state(offer_id: i64) -> Result<ApplyState, AppError> {
    crate::base::db::with_pool(|pool| async move {
        let user = crate::identity::auth::ssr::current_user(&pool).await?;
        let state = ssr::apply_state(&pool, user.as_ref(), offer_id).await?;
        if matches!(state, ApplyState::Open { .. }) {
            use crate::base::audience::{Metric, ssr::shown};
            shown(Metric::ApplicationStarted, offer_id);
        }
        Ok(state)
    })
    .await
}

/// Applies in one step: fields `offer_id`, `message` and an optional PDF
/// `fichier` (required when the profile has no CV; it becomes the profile's
/// CV too). A plain form post comes back to the offer with a confirmation.
#[server(prefix = "/api", endpoint = "candidatures/postuler", input = MultipartFormData)]
pub async fn apply_to_offer(data: MultipartData) -> Result<i64, AppError> {
    with_permission(Permission::ApplicationCreate, |pool, user| async move {
        crate::identity::auth::ssr::require_verified(&user)?;
        let storage = crate::base::media::ssr::storage()?;
        let form = ssr::read_apply_form(data).await?;
        let offer = form.offer_id;
        let (id, slug) = ssr::apply(&pool, &storage, &user, form).await?;
        crate::base::audience::ssr::step(crate::base::audience::Metric::ApplicationSent, offer);
        crate::base::forms::redirect_plain_form(&format!("/offres/{slug}?candidature=envoyee"));
        Ok(id)
    })
    .await
}

#[server(prefix = "/api", endpoint = "candidatures/mes-candidatures")]
pub async fn my_applications() -> Result<CandidateDashboard, AppError> {
    with_permission(Permission::ApplicationCreate, |pool, user| async move {
        Ok(CandidateDashboard {
            applications: ssr::for_candidate(&pool, user.id).await?,
            saved: ssr::saved_offers(&pool, user.id).await?,
        })
    })
    .await
}

/// The candidate's page.
#[cfg(feature = "ssr")]
const MY_APPLICATIONS: DashboardPage = DashboardPage {
    permission: Permission::ApplicationCreate,
    path: "/tableau-de-bord/candidatures",
};

#[server(prefix = "/api", endpoint = "candidatures/retirer")]
pub async fn withdraw_application(id: i64) -> Result<(), AppError> {
    MY_APPLICATIONS
        .action(|pool, user| async move { ssr::withdraw(&pool, &user, id).await })
        .await
}

/// Removes an offer from the candidate's saved offers (nothing if it was not saved).
#[server(prefix = "/api", endpoint = "candidatures/offres-sauvegardees/retirer")]
pub async fn unsave_offer(offer_id: i64) -> Result<(), AppError> {
    MY_APPLICATIONS
        .action(|pool, user| async move { ssr::unsave(&pool, user.id, offer_id).await })
        .await
}

/// The applications to the recruiter's companies' offers (`offer = 0`: all).
#[server(prefix = "/api", endpoint = "entreprise/candidatures")]
pub async fn received_applications(offer: i64) -> Result<Pipeline, AppError> {
    with_permission(Permission::ApplicationReview, |pool, user| async move {
        let reviewer = ssr::Reviewer::Member(user.id);
        ssr::pipeline(&pool, reviewer, (offer != 0).then_some(offer)).await
    })
    .await
}

/// Moves an application to another step; `refused` needs one of [`REFUSAL_REASONS`].
/// A plain form post goes back to the page it came from (its filter kept).
#[server(prefix = "/api", endpoint = "entreprise/candidatures/etape")]
pub async fn move_application(
    id: i64,
    status: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    with_permission(Permission::ApplicationReview, |pool, user| async move {
        ssr::move_to(&pool, ssr::Reviewer::Member(user.id), id, &status, &reason).await
    })
    .await
}

/// A message on application `id`, from its candidate or a recruiter of the
/// offer's company; the other side is e-mailed.
#[server(prefix = "/api", endpoint = "candidatures/message")]
pub async fn send_application_message(id: i64, body: String) -> Result<(), AppError> {
    with_user(|pool, user| async move {
        let candidate = ssr::write_message(&pool, &user, id, &body).await?;
        let back = if candidate {
            MY_APPLICATIONS.path
        } else {
            "/tableau-de-bord/candidatures-recues"
        };
        crate::base::forms::redirect_plain_form(back);
        Ok(())
    })
    .await
}

/// A private note on an application, for the company's recruiters only.
#[server(prefix = "/api", endpoint = "entreprise/candidatures/note")]
pub async fn add_application_note(id: i64, body: String) -> Result<(), AppError> {
    with_permission(Permission::ApplicationReview, |pool, user| async move {
        ssr::add_note(&pool, user.id, id, &body).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_and_write_as_the_database_stores_them() {
        crate::base::validate::assert_stored_as(&ApplicationStatus::ALL, ApplicationStatus::as_str);
        for status in ApplicationStatus::ALL {
            assert!(!status.label().is_empty());
        }
        assert_eq!(ApplicationStatus::InReview.as_str(), "in_review");
        assert_eq!(ApplicationStatus::Refused.label(), "Déclinée");
        assert_eq!(
            ApplicationStatus::parse_step("hired").unwrap(),
            ApplicationStatus::Hired
        );
        // An interview comes with its slot, never from a bare step.
        assert!(ApplicationStatus::parse_step("interview").is_err());
        // A candidate's own step is not a recruiter's.
        assert!(ApplicationStatus::parse_step("withdrawn").is_err());
        assert!(ApplicationStatus::parse_step("new").is_err());
        assert!(!ApplicationStatus::Hired.withdrawable());
    }
}
