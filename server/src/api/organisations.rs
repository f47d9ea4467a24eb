//! `/api/v1/centres` and `/api/v1/entreprises`: the directories of
//! approved organisations (as `/centres` and `/entreprises` list them) and
//! one organisation as its public page shows it.

use super::{ApiState, Caller, etag, lists::slice, params::Params, problem::Problem, resolve};
use app::{
    organisations::profile::{OrgKind, PublicOrganisation, SIZE_BANDS, ssr as profile},
    pages::directories::{self, DirectoryCard, DirectoryQuery},
    ui::search::MAX_QUERY_CHARS,
};
use axum::{
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::HeaderMap,
    response::Response,
};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

pub const PARAMETERS: [&str; 4] = ["q", "region", "cursor", "limit"];

/// A directory's parameters, as its page reads them.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DirectoryParams {
    /// Mots du nom ou de la présentation ; un morceau du nom suffit aussi.
    #[param(max_length = 200, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    q: Option<String>,
    /// Le code INSEE d'une région où est le siège ou un site.
    #[param(pattern = "^[0-9A-Za-z]{1,3}$")]
    region: Option<String>,
    /// Le `next_cursor` de la réponse précédente, pour lire la suite.
    #[param(max_length = 200, pattern = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$")]
    cursor: Option<String>,
    /// Éléments par réponse, 20 au plus (une page du site) et par défaut.
    #[param(minimum = 1, maximum = 20)]
    limit: Option<i64>,
}

/// Une organisation dans un annuaire.
#[derive(Debug, Serialize, ToSchema)]
pub struct Organisation {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// La commune et la région du siège, si elles sont données.
    pub city: Option<String>,
    pub region: Option<String>,
    /// Chemin absolu de son logo sur le site.
    pub logo: Option<String>,
    /// Le début de sa présentation.
    pub excerpt: String,
    /// Formations publiées (centres) ou offres en ligne (entreprises).
    #[schema(minimum = 0)]
    pub listings: i64,
    /// Sa page sur le site.
    #[schema(format = "uri")]
    pub url: String,
}

impl Organisation {
    fn from_card(card: DirectoryCard, kind: OrgKind, base: &str) -> Self {
        Self {
            url: format!("{base}{}", kind.public_path(&card.slug)),
            id: card.id,
            slug: card.slug,
            name: card.name,
            city: card.city,
            region: card.region,
            logo: card.logo.map(|logo| logo.largest),
            excerpt: card.excerpt,
            listings: card.listings,
        }
    }
}

/// Une fenêtre d'un annuaire.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationList {
    pub items: Vec<Organisation>,
    /// Organisations de l'annuaire. Seules les 20 000 premières se
    /// lisent, comme sur le site : au-delà, `truncated`.
    #[schema(minimum = 0)]
    pub total: i64,
    /// Le `cursor` de la fenêtre suivante ; null après la dernière qui
    /// se lit (la fin de l'annuaire, ou la 20 000e : voir `truncated`).
    pub next_cursor: Option<String>,
    /// Vrai quand `next_cursor` est null seulement parce que les suivantes
    /// sont au-delà des 20 000 qui se lisent : affinez la recherche.
    pub truncated: bool,
}

/// Une organisation approuvée, telle que sa page publique la montre.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationPage {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub website: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub address: String,
    /// Le siège, « Lyon (69001) ».
    pub commune: String,
    pub region: Option<String>,
    pub siret: String,
    /// Centres : numéro de déclaration d'activité.
    pub nda: String,
    /// Centres : certifié Qualiopi.
    pub qualiopi: bool,
    /// Entreprises : secteur d'activité.
    pub sector: String,
    /// Entreprises : effectif (« 10 à 49 salariés ») ; vide s'il n'est pas donné.
    pub size: String,
    /// Les autres sites des entreprises, « Lyon (69001) ».
    pub sites: Vec<String>,
    /// Chemin absolu de son logo sur le site.
    pub logo: Option<String>,
    #[schema(format = "uri")]
    pub url: String,
}

impl OrganisationPage {
    fn new(id: i64, org: PublicOrganisation, base: &str) -> Self {
        let p = org.profile;
        Self {
            url: format!("{base}{}", org.kind.public_path(&org.slug)),
            id,
            slug: org.slug,
            size: if p.size_band.is_empty() {
                String::new()
            } else {
                app::base::format::label_of(&SIZE_BANDS, &p.size_band)
            },
            name: p.name,
            description: p.description,
            website: p.website,
            contact_email: p.contact_email,
            contact_phone: p.contact_phone,
            address: p.address,
            commune: p.commune,
            region: org.region,
            siret: org.siret,
            nda: p.nda,
            qualiopi: p.qualiopi.is_some(),
            sector: p.sector,
            sites: org.sites,
            logo: org.logo.map(|logo| logo.largest),
        }
    }
}

/// Les centres de formation approuvés, comme la page /centres.
#[utoipa::path(
    get,
    path = "/api/v1/centres",
    tag = "Organisations",
    params(DirectoryParams),
    responses((status = 200, description = "Les centres de formation approuvés, les plus actifs d'abord.", body = OrganisationList))
)]
pub async fn centres(
    state: State<ApiState>,
    caller: Caller,
    query: RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    directory(OrgKind::Centre, state, caller, query, headers).await
}

/// Les entreprises approuvées, comme la page /entreprises.
#[utoipa::path(
    get,
    path = "/api/v1/entreprises",
    tag = "Organisations",
    params(DirectoryParams),
    responses((status = 200, description = "Les entreprises approuvées, les plus actives d'abord.", body = OrganisationList))
)]
pub async fn companies(
    state: State<ApiState>,
    caller: Caller,
    query: RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    directory(OrgKind::Entreprise, state, caller, query, headers).await
}

async fn directory(
    kind: OrgKind,
    State(state): State<ApiState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let scope = match kind {
        OrgKind::Centre => "centres",
        OrgKind::Entreprise => "entreprises",
    };
    let params = Params::parse(query.as_deref(), &PARAMETERS)?;
    let window = state.cursors.window(scope, &params)?;
    let q = params.text("q", MAX_QUERY_CHARS)?.unwrap_or_default();
    let region = params.code("region")?.unwrap_or_default();
    // The page ignores a région it does not know (and lists everyone); in
    // the API, as in the searches, no organisation is in it: no search needed.
    if !region.is_empty() {
        let pool = state.reads(&caller);
        let regions = caller
            .run_public(
                &state,
                || async move { directories::ssr::regions(&pool).await },
            )
            .await?;
        if !regions.iter().any(|known| known.code == region) {
            let body = OrganisationList {
                items: Vec::new(),
                total: 0,
                next_cursor: None,
                truncated: false,
            };
            return Ok(etag::json(&headers, &body));
        }
    }
    let caller = &caller;
    let list = slice(window, directories::PAGE_SIZE, |page| {
        let query = DirectoryQuery {
            q: q.to_owned(),
            region: region.to_owned(),
            page,
        };
        let state = &state;
        async move {
            let pool = state.reads(caller);
            let directory = caller
                .run_public(state, || async move {
                    directories::ssr::directory(&pool, kind, query).await
                })
                .await?;
            Ok(directory)
        }
    })
    .await?;
    let body = OrganisationList {
        next_cursor: list
            .next
            .map(|offset| state.cursors.next(scope, &params, offset)),
        items: list
            .items
            .into_iter()
            .map(|card| Organisation::from_card(card, kind, &state.base_url))
            .collect(),
        total: list.head.total,
        truncated: list.truncated,
    };
    Ok(etag::json(&headers, &body))
}

/// Un centre de formation approuvé, tel que sa page publique le montre.
#[utoipa::path(
    get,
    path = "/api/v1/centres/{id}",
    tag = "Organisations",
    params(("id" = String, Path, description = "L'identifiant numérique du centre ou son slug.")),
    responses(
        (status = 200, description = "Le centre, tel que sa page publique le montre.", body = OrganisationPage),
        (status = 404, description = "Aucun centre approuvé ne porte cet identifiant.", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn centre(
    state: State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    one(OrgKind::Centre, state, caller, path, headers).await
}

/// Une entreprise approuvée, telle que sa page publique la montre.
#[utoipa::path(
    get,
    path = "/api/v1/entreprises/{id}",
    tag = "Organisations",
    params(("id" = String, Path, description = "L'identifiant numérique de l'entreprise ou son slug.")),
    responses(
        (status = 200, description = "L'entreprise, telle que sa page publique la montre.", body = OrganisationPage),
        (status = 404, description = "Aucune entreprise approuvée ne porte cet identifiant.", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn company(
    state: State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    one(OrgKind::Entreprise, state, caller, path, headers).await
}

async fn one(
    kind: OrgKind,
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    // Approved only: anything else is a 404, as on the site.
    let (id, organisation) = resolve(
        &state,
        caller,
        path,
        |pool, id| async move { directories::ssr::slug_of(&pool, kind, id).await },
        |pool, slug| async move { profile::public(&pool, kind, &slug).await },
    )
    .await?;
    Ok(etag::json(
        &headers,
        &OrganisationPage::new(id, organisation, &state.base_url),
    ))
}
