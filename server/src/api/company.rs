//! What a company's API client reads of its own: `/api/v1/entreprise/…`.
//! The list is the recruiter's dashboard's (`app::jobs::manage::dashboard`),
//! every status included; the answer is private to the caller.

use super::{ApiState, Caller, bearer, etag, problem::Problem, tokens};
use app::{jobs::OfferState, organisations::profile::OrgKind};
use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// Une offre de l'entreprise, comme son tableau de bord la liste.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnOffer {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// `draft`, `published`, `expired` (publiée mais échue), `filled` ou `archived`.
    #[schema(example = "draft")]
    pub status: String,
    /// Vues de la page publique.
    pub views: i64,
    pub applications: i64,
    /// Candidatures pas encore lues.
    pub new_applications: i64,
    /// « JJ/MM/AAAA », heure de Paris.
    #[schema(example = "31/12/2026")]
    pub expires_on: String,
    #[schema(example = "05/12/2026")]
    pub updated_on: String,
}

/// Les offres d'une entreprise.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnOffers {
    /// Le nom de l'entreprise.
    pub company: String,
    /// Son statut sur Passerelle (`approved`).
    pub company_status: String,
    pub items: Vec<OwnOffer>,
}

fn status_name(state: OfferState) -> &'static str {
    match state {
        OfferState::Draft => "draft",
        OfferState::Published => "published",
        OfferState::Expired => "expired",
        OfferState::Filled => "filled",
        OfferState::Archived => "archived",
    }
}

/// The company client among `caller`, or the 401 / 403 that refuses it.
fn company_with(caller: Caller, scope: &str) -> Result<bearer::ApiClient, Box<Response>> {
    let client = match caller {
        Caller::Client(client) => client,
        _ => {
            return Err(Box::new(bearer::refusal(
                StatusCode::UNAUTHORIZED,
                Some("Bearer realm=\"passerelle-api\""),
                "Cette route demande le jeton d'accès d'un client de l'API (POST /api/v1/oauth/token).",
            )));
        }
    };
    if client.kind != OrgKind::Entreprise {
        return Err(Box::new(bearer::refusal(
            StatusCode::FORBIDDEN,
            None,
            "Cette route est réservée aux clients d'une entreprise.",
        )));
    }
    if !client.scopes.has(scope) {
        return Err(Box::new(bearer::refusal(
            StatusCode::FORBIDDEN,
            Some(&format!(
                "Bearer realm=\"passerelle-api\", error=\"insufficient_scope\", scope=\"{scope}\""
            )),
            &format!("Ce jeton n'a pas la portée « {scope} »."),
        )));
    }
    Ok(client)
}

/// Les offres de l'entreprise appelante, dans tous leurs statuts
/// (brouillons, publiées, échues, pourvues, archivées), comme son tableau de bord.
#[utoipa::path(
    get,
    path = "/api/v1/entreprise/offres",
    tag = "Entreprise",
    security(("oauth2" = ["offres:lecture"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les offres de l'entreprise, les plus récemment modifiées d'abord (archivées en dernier).", body = OwnOffers),
        (status = 401, description = "Jeton absent, invalide, expiré ou client révoqué.", body = Problem, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String, description = "`Bearer error=\"invalid_token\"`"))),
        (status = 403, description = "Client d'un centre, ou jeton sans la portée `offres:lecture` (`insufficient_scope`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn offers(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let client = company_with(caller, tokens::OFFERS_READ).map_err(|refused| *refused)?;
    let dashboard = app::jobs::manage::dashboard(&state.pool, client.organisation_id)
        .await
        .map_err(|error| Problem::from(error).into_response())?;
    let body = OwnOffers {
        company: dashboard.company_name,
        company_status: dashboard.status.as_str().to_owned(),
        items: dashboard
            .rows
            .into_iter()
            .map(|row| OwnOffer {
                id: row.id,
                slug: row.slug,
                title: row.title,
                status: status_name(row.status).to_owned(),
                views: row.views,
                applications: row.applications,
                new_applications: row.new_applications,
                expires_on: row.expires_on,
                updated_on: row.updated_on,
            })
            .collect(),
    };
    let mut response = etag::json(&headers, &body);
    // One organisation's data: no shared cache keeps it.
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    headers.append(header::VARY, HeaderValue::from_static("Authorization"));
    Ok(response)
}
