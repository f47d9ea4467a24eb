//! The candidate's alerts (`/tableau-de-bord/alertes`): saved searches of
//! `/offres` or `/formations` whose new results are e-mailed daily or
//! weekly. Created with the site's rules (20 at most, a verified address);
//! the search's parameters are read as strictly as the API's searches.

use super::{
    Fields, Refusal, body_of, created, id_of, no_content, not_found, ok, refused, user_with,
};
use crate::api::{
    ApiState, Caller, body::ApiJson, offers, params::Params, problem::Problem, tokens, trainings,
};
use app::{
    base::error::AppError,
    jobs::alerts::{self as site, SavedSearch, scope_key},
    ui::search::Scope,
};
use axum::{
    extract::{Path, State, rejection::PathRejection},
    http::HeaderMap,
    response::Response,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// La liste qu'une alerte surveille : `/offres` ou `/formations`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AlertScope {
    Offers,
    Trainings,
}

impl AlertScope {
    fn of(scope: Scope) -> Self {
        match scope {
            Scope::Offers => Self::Offers,
            Scope::Trainings => Self::Trainings,
        }
    }

    fn scope(self) -> Scope {
        match self {
            Self::Offers => Scope::Offers,
            Self::Trainings => Scope::Trainings,
        }
    }
}

/// Une alerte.
#[derive(Debug, Serialize, ToSchema)]
pub struct Alert {
    pub id: i64,
    #[schema(inline)]
    pub scope: AlertScope,
    pub label: String,
    /// Les paramètres de la recherche, comme l'adresse de la page (sans `?`).
    #[schema(example = "q=soudeur&contrat=cdi")]
    pub query: String,
    /// `daily`, `weekly`, ou `none` (en pause).
    #[schema(example = "daily")]
    pub frequency: String,
    /// Jour de création (heure de Paris).
    #[schema(format = Date)]
    pub created_on: String,
    /// La recherche sur le site.
    #[schema(format = "uri")]
    pub url: String,
}

/// Vos alertes, les plus récentes d'abord.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    pub items: Vec<Alert>,
}

/// À quelle fréquence recevoir les nouveaux résultats.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AlertFrequency {
    Daily,
    Weekly,
}

/// Une alerte à créer, comme « Créer une alerte » sur /offres ou /formations.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAlert {
    #[schema(inline)]
    pub scope: AlertScope,
    /// Les paramètres de la recherche, ceux de `/api/v1/offres` ou de
    /// `/api/v1/formations` (sans `cursor` ni `limit`), en chaîne de
    /// requête ; vide : toute la liste.
    #[serde(default)]
    #[schema(example = "q=soudeur&contrat=cdi")]
    pub query: String,
    /// Son nom, 200 caractères au plus ; un résumé de la recherche par défaut.
    #[serde(default)]
    pub label: String,
    #[schema(inline)]
    pub frequency: AlertFrequency,
}

impl Alert {
    fn of(search: SavedSearch, base: &str) -> Self {
        Self {
            url: format!("{base}{}", search.href()),
            id: search.id,
            scope: AlertScope::of(search.scope),
            label: search.label,
            query: search.query,
            frequency: search.frequency,
            created_on: search.created_on,
        }
    }
}

/// The search's parameters checked as the API's search of that list checks
/// them (a typo is said, not dropped): the first refusal on `query`.
fn checked(scope: Scope, query: &str) -> Result<(), AppError> {
    let (parameters, read): (&[&str], fn(&Params) -> _) = match scope {
        Scope::Offers => (&offers::PARAMETERS, offers::search_query),
        Scope::Trainings => (&trainings::PARAMETERS, trainings::search_query),
    };
    let allowed: Vec<&str> = parameters
        .iter()
        .copied()
        .filter(|name| !matches!(*name, "cursor" | "limit"))
        .collect();
    Params::parse(Some(query.trim_start_matches('?')), &allowed)
        .and_then(|params| read(&params))
        .map(drop)
        .map_err(|problem: Problem| AppError::invalid("query", &problem.detail))
}

async fn read(state: &ApiState, caller: &Caller, id: i64) -> Result<Alert, Response> {
    caller
        .run(state, site::my_saved_searches)
        .await
        .map_err(|error| refused(error, Fields::default()))?
        .into_iter()
        .find(|search| search.id == id)
        .map(|search| Alert::of(search, &state.base_url))
        .ok_or_else(not_found)
}

/// Vos alertes.
#[utoipa::path(
    get,
    path = "/api/v1/moi/alertes",
    tag = "Candidat",
    security(("oauth2_user" = ["alertes"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les alertes.", body = AlertList),
    )
)]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::ALERTS)?;
    let items = caller
        .run(&state, site::my_saved_searches)
        .await
        .map_err(|error| refused(error, Fields::default()))?
        .into_iter()
        .map(|search| Alert::of(search, &state.base_url))
        .collect();
    Ok(ok(&headers, &AlertList { items }))
}

/// Une de vos alertes.
#[utoipa::path(
    get,
    path = "/api/v1/moi/alertes/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["alertes"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'alerte.")),
    responses(
        (status = 200, description = "L'alerte.", body = Alert),
        (status = 404, description = "Pas d'alerte à vous de cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::ALERTS)?;
    let id = id_of(path)?;
    Ok(ok(&headers, &read(&state, &caller, id).await?))
}

/// Crée une alerte sur une recherche d'offres ou de formations ; ses
/// nouveaux résultats arrivent par e-mail.
#[utoipa::path(
    post,
    path = "/api/v1/moi/alertes",
    tag = "Candidat",
    security(("oauth2_user" = ["alertes"]), ("bearer" = [])),
    request_body(content = NewAlert, content_type = "application/json"),
    responses(
        (status = 201, description = "L'alerte créée.", body = Alert,
            headers(("Location" = String, description = "`/api/v1/moi/alertes/{id}`"))),
        (status = 400, description = "Corps JSON illisible, champ inconnu ou d'un mauvais type.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps qui n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Paramètre de recherche inconnu ou invalide (`query`), nom trop long ou déjà 20 alertes (`label`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<ApiState>,
    caller: Caller,
    body: Result<ApiJson<NewAlert>, Response>,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::ALERTS)?;
    let alert = body_of(body)?;
    let scope = alert.scope.scope();
    checked(scope, &alert.query).map_err(|error| refused(error, Fields::default()))?;
    let frequency = match alert.frequency {
        AlertFrequency::Daily => "daily",
        AlertFrequency::Weekly => "weekly",
    };
    let id = caller
        .run(&state, || {
            site::save_search(
                alert.query,
                alert.label,
                frequency.to_owned(),
                scope_key(scope).to_owned(),
            )
        })
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    let alert = read(&state, &caller, id).await?;
    Ok(created(&format!("/api/v1/moi/alertes/{id}"), &alert))
}

/// Supprime une alerte.
#[utoipa::path(
    delete,
    path = "/api/v1/moi/alertes/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["alertes"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'alerte.")),
    responses(
        (status = 204, description = "L'alerte est supprimée."),
        (status = 404, description = "Pas d'alerte à vous de cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::ALERTS)?;
    let id = id_of(path)?;
    caller
        .run(&state, || site::delete_saved_search(id))
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(no_content())
}
