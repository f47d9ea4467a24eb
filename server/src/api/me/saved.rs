//! The candidate's saved offers and trainings (the hearts of the public
//! pages): listed as their dashboard pages list them, saved and un-saved
//! one at a time. Saving twice or un-saving what is not saved changes
//! nothing.

use super::{Fields, Refusal, id_of, no_content, ok, refused, user_with};
use crate::api::{ApiState, Caller, problem::Problem, tokens};
use app::{
    base::error::AppError,
    identity::auth::{Permission, ssr::with_permission},
    organisations::{listing::ssr::set_saved, profile::OrgKind},
};
use axum::{
    extract::{Path, State, rejection::PathRejection},
    http::HeaderMap,
    response::Response,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Vos offres et formations sauvegardées encore publiques, les plus récentes d'abord.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub offers: Vec<SavedOffer>,
    pub trainings: Vec<SavedTraining>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedOffer {
    /// Sa clé dans `/api/v1/offres/{id}`.
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub company: String,
    /// Elle est encore en ligne (pas échue ni pourvue).
    pub live: bool,
    #[schema(format = "uri")]
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedTraining {
    /// Sa clé dans `/api/v1/formations/{id}`.
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub centre: String,
    /// Entrée permanente.
    pub rolling_entry: bool,
    /// Début de la prochaine session.
    #[schema(format = Date)]
    pub next_start: Option<String>,
    #[schema(format = "uri")]
    pub url: String,
}

/// Vos offres et formations sauvegardées.
#[utoipa::path(
    get,
    path = "/api/v1/moi/favoris",
    tag = "Candidat",
    security(("oauth2_user" = ["favoris"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les offres et les formations sauvegardées.", body = Saved),
    )
)]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::SAVED)?;
    let base = &state.base_url;
    let (offers, trainings) = caller
        .run(&state, || async {
            // Each list needs the right to save its kind, as on the site.
            let offers = with_permission(Permission::ApplicationCreate, |pool, user| async move {
                app::candidates::applications::ssr::saved_offers(&pool, user.id).await
            })
            .await?;
            let trainings = with_permission(Permission::EnrolmentCreate, |pool, user| async move {
                app::trainings::ssr::saved_cards(&pool, user.id).await
            })
            .await?;
            Ok::<_, AppError>((offers, trainings))
        })
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    let saved = Saved {
        offers: offers
            .into_iter()
            .map(|offer| SavedOffer {
                url: format!("{base}/offres/{}", offer.slug),
                id: offer.offer_id,
                slug: offer.slug,
                title: offer.title,
                company: offer.company_name,
                live: offer.live,
            })
            .collect(),
        trainings: trainings
            .into_iter()
            .map(|card| SavedTraining {
                url: format!("{base}/formations/{}", card.slug),
                id: card.id,
                slug: card.slug,
                title: card.title,
                centre: card.centre_name,
                rolling_entry: card.rolling_entry,
                next_start: card.next_start,
            })
            .collect(),
    };
    Ok(ok(&headers, &saved))
}

/// Saves (`saved`) or un-saves listing `path` of `kind` for the caller.
async fn set(
    state: &ApiState,
    caller: &Caller,
    path: Result<Path<i64>, PathRejection>,
    kind: OrgKind,
    saved: bool,
) -> Result<Response, Refusal> {
    user_with(caller, tokens::SAVED)?;
    let id = id_of(path)?;
    caller
        .run(state, || set_saved(kind, id, saved))
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(no_content())
}

/// Sauvegarde une offre publique.
#[utoipa::path(
    put,
    path = "/api/v1/moi/favoris/offres/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["favoris"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'offre.")),
    responses(
        (status = 204, description = "L'offre est sauvegardée (qu'elle l'ait déjà été ou non)."),
        (status = 404, description = "Pas d'offre publique de cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save_offer(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Response, Refusal> {
    set(&state, &caller, path, OrgKind::Entreprise, true).await
}

/// Retire une offre des sauvegardées.
#[utoipa::path(
    delete,
    path = "/api/v1/moi/favoris/offres/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["favoris"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'offre.")),
    responses(
        (status = 204, description = "L'offre n'est pas (ou plus) sauvegardée."),
        (status = 404, description = "Identifiant qui n'est pas un nombre.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unsave_offer(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Response, Refusal> {
    set(&state, &caller, path, OrgKind::Entreprise, false).await
}

/// Sauvegarde une formation publique.
#[utoipa::path(
    put,
    path = "/api/v1/moi/favoris/formations/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["favoris"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de la formation.")),
    responses(
        (status = 204, description = "La formation est sauvegardée (qu'elle l'ait déjà été ou non)."),
        (status = 404, description = "Pas de formation publique de cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save_training(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Response, Refusal> {
    set(&state, &caller, path, OrgKind::Centre, true).await
}

/// Retire une formation des sauvegardées.
#[utoipa::path(
    delete,
    path = "/api/v1/moi/favoris/formations/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["favoris"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de la formation.")),
    responses(
        (status = 204, description = "La formation n'est pas (ou plus) sauvegardée."),
        (status = 404, description = "Identifiant qui n'est pas un nombre.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unsave_training(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Response, Refusal> {
    set(&state, &caller, path, OrgKind::Centre, false).await
}
