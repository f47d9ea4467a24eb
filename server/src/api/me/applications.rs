//! The candidate's applications (`/tableau-de-bord/candidatures`): each
//! with its offer, its status, the thread with the company and the
//! interview proposed; applying and withdrawing as the site does.

use super::{
    Fields, Refusal, ThreadMessage, body_of, created, dates, id_of, not_found, ok, refused, thread,
    user_with,
};
use crate::api::{ApiState, Caller, body::ApiJson, problem::Problem, tokens};
use app::{
    base::error::AppError,
    candidates::applications::{
        self as site, ApplicationStatus, CandidateApplication, interviews::Interview,
        ssr::ApplyForm,
    },
    identity::auth::{
        Permission,
        ssr::{require_verified, with_permission},
    },
};
use axum::{
    extract::{Path, State, rejection::PathRejection},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Où en est une candidature.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    New,
    InReview,
    Interview,
    Hired,
    Refused,
    Withdrawn,
}

impl From<ApplicationStatus> for ApplicationState {
    fn from(status: ApplicationStatus) -> Self {
        match status {
            ApplicationStatus::New => Self::New,
            ApplicationStatus::InReview => Self::InReview,
            ApplicationStatus::Interview => Self::Interview,
            ApplicationStatus::Hired => Self::Hired,
            ApplicationStatus::Refused => Self::Refused,
            ApplicationStatus::Withdrawn => Self::Withdrawn,
        }
    }
}

/// Une candidature, comme « Mes candidatures » la montre.
#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    pub id: i64,
    #[schema(inline)]
    pub status: ApplicationState,
    /// Le statut tel que le site l'écrit (« À l'étude »).
    pub status_label: String,
    /// Le motif choisi par le recruteur quand elle est déclinée ; vide sinon.
    pub refusal_reason: String,
    /// Vous pouvez encore la retirer (`POST …/retrait`).
    pub withdrawable: bool,
    pub offer: AppliedOffer,
    /// Jour de l'envoi (heure de Paris).
    #[schema(format = Date)]
    pub applied_on: String,
    /// Jour du dernier changement.
    #[schema(format = Date)]
    pub updated_on: String,
    /// Le fil avec l'entreprise, le plus ancien d'abord.
    pub messages: Vec<ThreadMessage>,
    /// Le dernier entretien proposé.
    pub interview: Option<InterviewSlot>,
}

/// L'offre d'une candidature.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedOffer {
    /// Sa clé dans `/api/v1/offres/{id}`.
    pub id: i64,
    pub title: String,
    pub company: String,
    /// Null quand sa page n'est plus publique.
    pub slug: Option<String>,
    #[schema(format = "uri")]
    pub url: Option<String>,
}

/// Un entretien proposé par l'entreprise.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewSlot {
    /// `proposed`, `accepted`, `declined` (autre créneau demandé), `replaced` ou `cancelled`.
    #[schema(example = "proposed")]
    pub status: String,
    pub status_label: String,
    /// `on_site`, `video` ou `phone`.
    #[schema(example = "video")]
    pub mode: String,
    #[schema(format = DateTime)]
    pub starts_at: String,
    pub minutes: i32,
    /// L'adresse, le lien de la visioconférence ou le numéro de téléphone.
    pub place: String,
    pub contact: String,
    /// Ce que vous avez répondu en demandant un autre créneau.
    pub answer: String,
}

/// Les candidatures, les plus récentes d'abord (500 au plus).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationList {
    pub items: Vec<Application>,
}

/// Une candidature à envoyer, comme le formulaire de la page de l'offre.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplication {
    /// L'offre (son identifiant).
    pub offre: i64,
    /// Le CV envoyé : celui du profil (`GET /api/v1/moi/cv`), envoyé par
    /// défaut. Pour en envoyer un autre, envoyez-le d'abord (`POST /api/v1/moi/cv`).
    #[serde(default)]
    pub cv: Option<i64>,
    /// Quelques mots au recruteur, 4 000 caractères au plus.
    pub message: String,
}

impl Application {
    fn of(application: CandidateApplication, base: &str) -> Result<Self, AppError> {
        Ok(Self {
            messages: thread(application.messages),
            interview: application.interview.map(InterviewSlot::of).transpose()?,
            id: application.id,
            status_label: application.status.label().to_owned(),
            withdrawable: application.status.withdrawable(),
            status: application.status.into(),
            refusal_reason: application.refusal_reason,
            offer: AppliedOffer {
                url: application
                    .offer_slug
                    .as_ref()
                    .map(|slug| format!("{base}/offres/{slug}")),
                id: application.offer_id,
                title: application.offer_title,
                company: application.company_name,
                slug: application.offer_slug,
            },
            applied_on: application.applied_on,
            updated_on: application.updated_on,
        })
    }
}

impl InterviewSlot {
    fn of(interview: Interview) -> Result<Self, AppError> {
        Ok(Self {
            starts_at: dates::local_instant(&interview.starts)?,
            status: interview.status.as_str().to_owned(),
            status_label: interview.status.label().to_owned(),
            mode: interview.mode.as_str().to_owned(),
            minutes: interview.minutes,
            place: interview.place,
            contact: interview.contact,
            answer: interview.answer,
        })
    }
}

/// The app's fields as this API names them: applying again, or to a
/// closed offer, conflicts with what is stored.
const APPLY_FIELDS: Fields = Fields {
    renamed: &[("offer_id", "offre"), ("fichier", "cv")],
    conflicts: &["offer_id"],
};

/// Withdrawing what can no longer be withdrawn.
const WITHDRAW_FIELDS: Fields = Fields {
    renamed: &[],
    conflicts: &["id"],
};

/// The candidate's applications, as their page lists them.
async fn mine() -> Result<Vec<CandidateApplication>, AppError> {
    with_permission(Permission::ApplicationCreate, |pool, user| async move {
        site::ssr::for_candidate(&pool, user.id).await
    })
    .await
}

/// Application `id` of the candidate's, else 404.
async fn one_of(id: i64) -> Result<CandidateApplication, AppError> {
    mine()
        .await?
        .into_iter()
        .find(|application| application.id == id)
        .ok_or(AppError::NotFound)
}

/// Vos candidatures, les plus récentes d'abord.
#[utoipa::path(
    get,
    path = "/api/v1/moi/candidatures",
    tag = "Candidat",
    security(("oauth2_user" = ["candidatures"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les candidatures.", body = ApplicationList),
    )
)]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::APPLICATIONS)?;
    let list = caller
        .run(&state, mine)
        .await
        .and_then(|list| {
            list.into_iter()
                .map(|application| Application::of(application, &state.base_url))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(ok(&headers, &ApplicationList { items: list }))
}

/// Une de vos candidatures.
#[utoipa::path(
    get,
    path = "/api/v1/moi/candidatures/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["candidatures"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de la candidature.")),
    responses(
        (status = 200, description = "La candidature.", body = Application),
        (status = 404, description = "Pas de candidature à vous de cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::APPLICATIONS)?;
    let id = id_of(path)?;
    let application = read(&state, &caller, id).await?;
    Ok(ok(&headers, &application))
}

/// Application `id` of the caller, as the API shows it.
async fn read(state: &ApiState, caller: &Caller, id: i64) -> Result<Application, Response> {
    caller
        .run(state, || one_of(id))
        .await
        .and_then(|application| Application::of(application, &state.base_url))
        .map_err(|error| match error {
            AppError::NotFound => not_found(),
            error => refused(error, Fields::default()),
        })
}

/// Postule à une offre avec le CV du profil, comme le formulaire de sa
/// page : l'entreprise et vous êtes prévenus par e-mail.
#[utoipa::path(
    post,
    path = "/api/v1/moi/candidatures",
    tag = "Candidat",
    security(("oauth2_user" = ["candidatures"]), ("bearer" = [])),
    request_body(content = NewApplication, content_type = "application/json"),
    responses(
        (status = 201, description = "La candidature envoyée.", body = Application,
            headers(("Location" = String, description = "`/api/v1/moi/candidatures/{id}`"))),
        (status = 400, description = "Corps JSON illisible, champ inconnu ou d'un mauvais type.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas d'offre publique de cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Offre qui ne prend plus de candidatures sur Passerelle, ou déjà postulé (même si la candidature a été retirée) : `offre`.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps qui n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Message vide ou trop long (`message`), pas de CV au profil ou CV qui n'est pas le sien (`cv`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn apply(
    State(state): State<ApiState>,
    caller: Caller,
    body: Result<ApiJson<NewApplication>, Response>,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::APPLICATIONS)?;
    let body = body_of(body)?;
    let id = caller
        .run(&state, || {
            // The site's apply (`apply_to_offer`) with its checks, minus
            // the multipart form it reads: the profile's CV is sent.
            with_permission(Permission::ApplicationCreate, |pool, user| async move {
                require_verified(&user)?;
                let storage = app::base::media::ssr::storage()?;
                let form = ApplyForm {
                    offer_id: body.offre,
                    message: body.message,
                    file: None,
                    cv: body.cv,
                };
                Ok(site::ssr::apply(&pool, &storage, &user, form).await?.0)
            })
        })
        .await
        .map_err(|error| refused(error, APPLY_FIELDS))?;
    let application = read(&state, &caller, id).await?;
    Ok(created(
        &format!("/api/v1/moi/candidatures/{id}"),
        &application,
    ))
}

/// Retire une candidature encore en cours (envoyée, à l'étude ou en
/// entretien) : c'est définitif, l'entreprise est prévenue.
#[utoipa::path(
    post,
    path = "/api/v1/moi/candidatures/{id}/retrait",
    tag = "Candidat",
    security(("oauth2_user" = ["candidatures"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de la candidature.")),
    responses(
        (status = 200, description = "La candidature, retirée.", body = Application),
        (status = 404, description = "Pas de candidature à vous de cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Déjà retirée, acceptée ou déclinée.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn withdraw(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::APPLICATIONS)?;
    let id = id_of(path)?;
    caller
        .run(&state, || site::withdraw_application(id))
        .await
        .map_err(|error| refused(error, WITHDRAW_FIELDS))?;
    Ok(axum::Json(read(&state, &caller, id).await?).into_response())
}
