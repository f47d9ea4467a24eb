//! The candidate's enrolment requests (`/tableau-de-bord/inscriptions`):
//! asking for a place in a session (or a rolling-entry training),
//! following each request and withdrawing it, as the site does.

use super::{
    Fields, Refusal, ThreadMessage, body_of, created, dates, id_of, not_found, ok, refused, thread,
    user_with,
};
use crate::api::{ApiState, Caller, body::ApiJson, problem::Problem, tokens};
use app::{
    base::error::AppError,
    identity::auth::{
        Permission,
        ssr::{require_permission, with_permission},
    },
    trainings::enrolments::{self as site, EnrolmentStatus, RequestView},
};
use axum::{
    extract::{Path, State, rejection::PathRejection},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Où en est une demande d'inscription.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentState {
    New,
    InReview,
    Accepted,
    Refused,
    Withdrawn,
}

impl From<EnrolmentStatus> for EnrolmentState {
    fn from(status: EnrolmentStatus) -> Self {
        match status {
            EnrolmentStatus::New => Self::New,
            EnrolmentStatus::InReview => Self::InReview,
            EnrolmentStatus::Accepted => Self::Accepted,
            EnrolmentStatus::Refused => Self::Refused,
            EnrolmentStatus::Withdrawn => Self::Withdrawn,
        }
    }
}

/// Une demande d'inscription, comme « Mes inscriptions » la montre.
#[derive(Debug, Serialize, ToSchema)]
pub struct Enrolment {
    pub id: i64,
    #[schema(inline)]
    pub status: EnrolmentState,
    /// Le statut tel que le site l'écrit (« En cours d'étude »).
    pub status_label: String,
    /// Ce que le centre a répondu en la refusant ; vide sinon.
    pub refusal_reason: String,
    /// Vous pouvez encore la retirer (`POST …/retrait`).
    pub withdrawable: bool,
    /// Votre message au centre.
    pub message: String,
    pub training: RequestedTraining,
    /// La session demandée ; null pour une entrée permanente.
    pub session: Option<RequestedSession>,
    /// Jour de la demande (heure de Paris).
    #[schema(format = Date)]
    pub created_on: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Le fil avec le centre, le plus ancien d'abord.
    pub messages: Vec<ThreadMessage>,
}

/// La formation d'une demande.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestedTraining {
    /// Sa clé dans `/api/v1/formations/{id}`.
    pub id: i64,
    pub title: String,
    pub centre: String,
    /// Null quand sa page n'est plus publique.
    pub slug: Option<String>,
    #[schema(format = "uri")]
    pub url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestedSession {
    pub id: i64,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: String,
}

/// Les demandes, les plus récemment changées d'abord (500 au plus).
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentList {
    pub items: Vec<Enrolment>,
}

/// Une demande à envoyer : une session, ou une formation à entrée
/// permanente (sans `session`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnrolment {
    /// La session demandée (voir les `sessions` de `/api/v1/formations/{id}`).
    #[serde(default)]
    pub session: Option<i64>,
    /// La formation : facultative avec `session`, seule pour une entrée permanente.
    #[serde(default)]
    pub formation: Option<i64>,
    /// Un message au centre, 2 000 caractères au plus.
    #[serde(default)]
    pub message: String,
}

impl Enrolment {
    fn of(request: RequestView, base: &str) -> Result<Self, AppError> {
        Ok(Self {
            messages: thread(request.messages),
            created_on: dates::day(&request.created_on)?,
            updated_at: dates::instant(&request.updated_on)?,
            session: request.session_id.zip(request.session_dates).map(
                |(id, (starts_on, ends_on))| RequestedSession {
                    id,
                    starts_on,
                    ends_on,
                },
            ),
            id: request.id,
            status_label: request.status.label().to_owned(),
            withdrawable: request.status.open(),
            status: request.status.into(),
            refusal_reason: request.refusal_reason,
            message: request.message,
            training: RequestedTraining {
                url: request
                    .training_slug
                    .as_ref()
                    .map(|slug| format!("{base}/formations/{slug}")),
                id: request.training_id,
                title: request.training_title,
                centre: request.centre_name,
                slug: request.training_slug,
            },
        })
    }
}

/// The candidate's requests, as their page lists them (for one training
/// if `training`).
async fn mine(training: Option<i64>) -> Result<Vec<RequestView>, AppError> {
    with_permission(Permission::EnrolmentCreate, |pool, user| async move {
        site::ssr::list(&pool, Some(user.id), None, training).await
    })
    .await
}

async fn read(state: &ApiState, caller: &Caller, id: i64) -> Result<Enrolment, Response> {
    caller
        .run(state, || mine(None))
        .await
        .and_then(|list| {
            list.into_iter()
                .find(|request| request.id == id)
                .ok_or(AppError::NotFound)
        })
        .and_then(|request| Enrolment::of(request, &state.base_url))
        .map_err(|error| match error {
            AppError::NotFound => not_found(),
            error => refused(error, Fields::default()),
        })
}

/// Vos demandes d'inscription.
#[utoipa::path(
    get,
    path = "/api/v1/moi/inscriptions",
    tag = "Candidat",
    security(("oauth2_user" = ["candidatures"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les demandes.", body = EnrolmentList),
    )
)]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::APPLICATIONS)?;
    let items = caller
        .run(&state, || mine(None))
        .await
        .and_then(|list| {
            list.into_iter()
                .map(|request| Enrolment::of(request, &state.base_url))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(ok(&headers, &EnrolmentList { items }))
}

/// Une de vos demandes d'inscription.
#[utoipa::path(
    get,
    path = "/api/v1/moi/inscriptions/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["candidatures"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de la demande.")),
    responses(
        (status = 200, description = "La demande.", body = Enrolment),
        (status = 404, description = "Pas de demande à vous de cet identifiant.", body = Problem, content_type = "application/problem+json"),
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
    Ok(ok(&headers, &read(&state, &caller, id).await?))
}

/// Demande une place dans une session, comme le bouton « Demander
/// l'inscription » d'une page de formation : le centre et vous êtes
/// prévenus par e-mail.
#[utoipa::path(
    post,
    path = "/api/v1/moi/inscriptions",
    tag = "Candidat",
    security(("oauth2_user" = ["candidatures"]), ("bearer" = [])),
    request_body(content = NewEnrolment, content_type = "application/json"),
    responses(
        (status = 201, description = "La demande envoyée.", body = Enrolment,
            headers(("Location" = String, description = "`/api/v1/moi/inscriptions/{id}`"))),
        (status = 400, description = "Corps JSON illisible, champ inconnu ou d'un mauvais type.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de session ou de formation publique de cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Session passée ou d'une autre formation, ou demande déjà en cours pour elle : `session`.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps qui n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Pas de session pour une formation qui en a (`session`), message trop long (`message`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request(
    State(state): State<ApiState>,
    caller: Caller,
    body: Result<ApiJson<NewEnrolment>, Response>,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::APPLICATIONS)?;
    let body = body_of(body)?;
    // The site's guard first: who may not ask for a place learns nothing
    // of the sessions (the request itself checks it again).
    let pool = state.pool.clone();
    caller
        .run(&state, || async move {
            require_permission(&pool, Permission::EnrolmentCreate).await
        })
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    let training = match (body.formation, body.session) {
        (Some(training), _) => training,
        (None, Some(session)) => session_training(&state, session)
            .await?
            .ok_or_else(not_found)?,
        (None, None) => {
            return Err(refused(
                AppError::invalid(
                    "session",
                    "Choisissez une session (ou, pour une formation à entrée permanente, donnez la formation).",
                ),
                Fields::default(),
            )
            .into());
        }
    };
    let (session, message) = (body.session, body.message);
    let sent = caller
        .run(&state, || {
            site::request_enrolment(training, session.unwrap_or(0), message)
        })
        .await;
    let id = match sent {
        Ok(id) => id,
        Err(error) => {
            // A session past or of another training, or a second live
            // request, conflicts with what is stored; no session for a
            // training that has sessions is the request's own mistake.
            let conflict = match &error {
                AppError::Invalid { field, .. } if field == "session_id" => {
                    session.is_some() || live_rolling_request(&state, &caller, training).await?
                }
                _ => false,
            };
            let fields = Fields {
                renamed: &[("session_id", "session")],
                conflicts: if conflict { &["session_id"] } else { &[] },
            };
            return Err(refused(error, fields).into());
        }
    };
    let enrolment = read(&state, &caller, id).await?;
    Ok(created(
        &format!("/api/v1/moi/inscriptions/{id}"),
        &enrolment,
    ))
}

/// The training of `session`, if there is one.
async fn session_training(state: &ApiState, session: i64) -> Result<Option<i64>, Response> {
    sqlx::query_scalar!(
        "SELECT training_id FROM training_sessions WHERE id = $1",
        session
    )
    .fetch_optional(&state.pool)
    .await
    .map_err(|error| refused(error.into(), Fields::default()))
}

/// Whether the caller already has a live request for `training`'s rolling entry.
async fn live_rolling_request(
    state: &ApiState,
    caller: &Caller,
    training: i64,
) -> Result<bool, Response> {
    let requests = caller
        .run(state, || mine(Some(training)))
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(requests
        .iter()
        .any(|request| request.session_id.is_none() && request.status.open()))
}

/// Retire une demande encore en cours (nouvelle, à l'étude ou acceptée) ;
/// le centre est prévenu. Comme sur le site, une demande déjà retirée ou
/// refusée ne se retire plus : 404.
#[utoipa::path(
    post,
    path = "/api/v1/moi/inscriptions/{id}/retrait",
    tag = "Candidat",
    security(("oauth2_user" = ["candidatures"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de la demande.")),
    responses(
        (status = 200, description = "La demande, retirée.", body = Enrolment),
        (status = 404, description = "Pas de demande en cours à vous de cet identifiant.", body = Problem, content_type = "application/problem+json"),
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
        .run(&state, || site::withdraw_enrolment(id))
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(axum::Json(read(&state, &caller, id).await?).into_response())
}
