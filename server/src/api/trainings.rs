//! `/api/v1/formations`: the catalogue search of `/formations` (same
//! parameters, results and facets) and one training with its sessions.

use super::{
    ApiState, Caller, Facet, etag, found, lists,
    params::{Params, choices},
    problem::Problem,
    resolve,
};
use app::{
    trainings::{self, TrainingCard, TrainingDetail},
    ui::search::{MAX_PLACE_CHARS, MAX_QUERY_CHARS, Scope, SearchQuery},
};
use axum::{
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::HeaderMap,
    response::Response,
};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// The parameters `/api/v1/formations` accepts (any other is refused).
pub const PARAMETERS: [&str; 14] = [
    "q",
    "lieu",
    "rayon",
    "tri",
    "modalite",
    "cpf",
    "niveau",
    "duree",
    "prix",
    "debut",
    "region",
    "departement",
    "cursor",
    "limit",
];

/// The search's parameters, as `/formations` reads them from its URL.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Mots cherchés dans le titre, le résumé, les compétences, la
    /// certification et le centre (accents et petites fautes pardonnés).
    #[param(max_length = 200, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    q: Option<String>,
    /// La commune autour de laquelle chercher : « Lyon », « 69003 », « Lyon (69001) ».
    #[param(max_length = 80, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    lieu: Option<String>,
    /// Le rayon autour de `lieu`, en km (30 par défaut).
    #[param(minimum = 10, maximum = 100)]
    rayon: Option<i64>,
    /// `pertinence` (par défaut), `date` (prochaine session d'abord) ou
    /// `prix` (les moins chères d'abord).
    #[param(inline)]
    tri: Option<TrainingSort>,
    #[param(inline)]
    modalite: Option<Modality>,
    /// Éligible au CPF (`oui`) ou non (`non`).
    #[param(inline)]
    cpf: Option<YesNo>,
    /// Niveau de certification (nomenclature française).
    #[param(minimum = 3, maximum = 8)]
    niveau: Option<i64>,
    #[param(inline)]
    duree: Option<DurationBand>,
    #[param(inline)]
    prix: Option<PriceBand>,
    /// Quand commence la prochaine session.
    #[param(inline)]
    debut: Option<StartBand>,
    /// Le code INSEE d'une région, comme la facette `region` les donne.
    #[param(pattern = "^[0-9A-Za-z]{1,3}$")]
    region: Option<String>,
    /// Le code d'un département, comme la facette `departement` les donne.
    #[param(pattern = "^[0-9A-Za-z]{1,3}$")]
    departement: Option<String>,
    /// Le `next_cursor` de la réponse précédente, pour lire la suite.
    #[param(max_length = 200, pattern = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$")]
    cursor: Option<String>,
    /// Éléments par réponse, 20 au plus (une page du site) et par défaut.
    #[param(minimum = 1, maximum = 20)]
    limit: Option<i64>,
}

#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum TrainingSort {
    Pertinence,
    Date,
    Prix,
}

/// Comment la formation est suivie.
#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Presentiel,
    Distanciel,
    Hybride,
}

#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum YesNo {
    Oui,
    Non,
}

#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
pub enum DurationBand {
    #[serde(rename = "moins-35h")]
    Under35,
    #[serde(rename = "35-150h")]
    To150,
    #[serde(rename = "150-400h")]
    To400,
    #[serde(rename = "400-1000h")]
    To1000,
    #[serde(rename = "plus-1000h")]
    Over1000,
}

#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
pub enum PriceBand {
    #[serde(rename = "gratuit")]
    Free,
    #[serde(rename = "moins-1000")]
    Under1000,
    #[serde(rename = "1000-3000")]
    To3000,
    #[serde(rename = "3000-6000")]
    To6000,
    #[serde(rename = "plus-6000")]
    Over6000,
}

#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
pub enum StartBand {
    #[serde(rename = "permanente")]
    Rolling,
    #[serde(rename = "30-jours")]
    Within30Days,
    #[serde(rename = "3-mois")]
    Within3Months,
    #[serde(rename = "6-mois")]
    Within6Months,
    #[serde(rename = "plus-tard")]
    Later,
}

/// La certification visée : aucune, un titre RNCP ou une fiche du
/// Répertoire spécifique.
#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum CertificationKind {
    None,
    Rncp,
    Rs,
}

/// Une formation dans une liste.
#[derive(Debug, Serialize, ToSchema)]
pub struct Training {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub centre: CentreRef,
    #[schema(value_type = Modality, inline)]
    pub modality: String,
    #[schema(minimum = 0)]
    pub duration_hours: i32,
    /// Le prix en centimes d'euro (0 : gratuite).
    #[schema(minimum = 0)]
    pub price_cents: i32,
    pub cpf_eligible: bool,
    #[schema(value_type = CertificationKind, inline)]
    pub certification_kind: String,
    pub certification_level: Option<i16>,
    /// Entrée à tout moment, sans sessions.
    pub rolling_entry: bool,
    /// Jour où commence la prochaine session.
    #[schema(format = Date)]
    pub next_start: Option<String>,
    /// Communes où elle a lieu, les plus peuplées d'abord.
    pub places: Vec<String>,
    /// La page de la formation sur le site.
    #[schema(format = "uri")]
    pub url: String,
}

/// Le centre qui donne la formation.
#[derive(Debug, Serialize, ToSchema)]
pub struct CentreRef {
    pub name: String,
    /// Sa clé dans `/api/v1/centres/{id}`.
    pub slug: String,
}

impl Training {
    fn from_card(card: TrainingCard, base: &str) -> Self {
        Self {
            url: format!("{base}/formations/{}", card.slug),
            id: card.id,
            slug: card.slug,
            title: card.title,
            summary: card.summary,
            centre: CentreRef {
                name: card.centre_name,
                slug: card.centre_slug,
            },
            modality: card.modality,
            duration_hours: card.duration_hours,
            price_cents: card.price_cents,
            cpf_eligible: card.cpf_eligible,
            certification_kind: card.certification_kind,
            certification_level: card.certification_level,
            rolling_entry: card.rolling_entry,
            next_start: card.next_start,
            places: card.places,
        }
    }
}

/// Une fenêtre des résultats de la recherche.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingList {
    pub items: Vec<Training>,
    /// Résultats de toute la recherche. Seuls les 20 000 premiers se
    /// lisent, comme sur le site : au-delà, `truncated`.
    #[schema(minimum = 0)]
    pub total: i64,
    /// La commune autour de laquelle on cherche, telle que comprise (« Lyon (69001) »).
    pub place: Option<String>,
    pub facets: Vec<Facet>,
    /// Le `cursor` de la fenêtre suivante ; null après la dernière qui
    /// se lit (la fin des résultats, ou le 20 000e : voir `truncated`).
    pub next_cursor: Option<String>,
    /// Vrai quand `next_cursor` est null seulement parce que les résultats
    /// suivants sont au-delà des 20 000 qui se lisent : affinez la recherche.
    pub truncated: bool,
}

/// Recherche les formations publiées, comme la page /formations.
#[utoipa::path(
    get,
    path = "/api/v1/formations",
    tag = "Formations",
    params(SearchParams),
    responses(
        (status = 200, description = "Les formations trouvées, leurs facettes et le curseur suivant.", body = TrainingList),
        (status = 422, description = "Commune introuvable (`lieu`).", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(state): State<ApiState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let list = lists::search(
        &state,
        caller,
        "formations",
        query.as_deref(),
        &PARAMETERS,
        search_query,
        trainings::PAGE_SIZE,
        |pool, query| async move { trainings::search::run(&pool, query).await },
    )
    .await?;
    let body = TrainingList {
        items: list
            .items
            .into_iter()
            .map(|card| Training::from_card(card, &state.base_url))
            .collect(),
        total: list.total,
        place: list.place,
        facets: list.facets,
        next_cursor: list.next_cursor,
        truncated: list.truncated,
    };
    Ok(etag::json(&headers, &body))
}

/// The parameters as the search reads them, each checked first.
pub(super) fn search_query(params: &Params) -> Result<SearchQuery, Problem> {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut push = |key: &'static str, value: Option<&str>| {
        if let Some(value) = value {
            pairs.push((key, value.to_owned()));
        }
    };
    push("q", params.text("q", MAX_QUERY_CHARS)?);
    push("lieu", params.text("lieu", MAX_PLACE_CHARS)?);
    push(
        "rayon",
        params
            .integer("rayon", 10, 100)?
            .map(|r| r.to_string())
            .as_deref(),
    );
    push("tri", params.one_of("tri", &choices(&trainings::SORTS))?);
    push(
        "modalite",
        params.one_of("modalite", &choices(&trainings::MODALITIES))?,
    );
    push("cpf", params.one_of("cpf", &["oui", "non"])?);
    push(
        "niveau",
        params
            .integer("niveau", 3, 8)?
            .map(|n| n.to_string())
            .as_deref(),
    );
    push(
        "duree",
        params.one_of("duree", &choices(&trainings::DURATION_BANDS))?,
    );
    push(
        "prix",
        params.one_of("prix", &choices(&trainings::PRICE_BANDS))?,
    );
    push(
        "debut",
        params.one_of("debut", &choices(&trainings::START_BANDS))?,
    );
    push("region", params.code("region")?);
    push("departement", params.code("departement")?);
    Ok(SearchQuery::from_pairs(
        Scope::Trainings,
        pairs.iter().map(|(k, v)| (*k, v.as_str())),
    ))
}

/// Une formation, telle que sa page la montre, avec ses prochaines sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingPage {
    #[serde(flatten)]
    pub training: Training,
    /// La description telle que la page la montre (HTML assaini).
    pub description_html: String,
    pub objectives: String,
    pub prerequisites: String,
    /// Le code RNCP ou RS ; vide sans certification.
    pub certification_code: String,
    /// Sa page sur Mon Compte Formation, si elle est éligible et donnée.
    #[schema(format = "uri")]
    pub cpf_link: Option<String>,
    /// Ses financements possibles (« CPF », « OPCO »…).
    pub funding: Vec<String>,
    pub skills: Vec<String>,
    /// Les prochaines sessions (douze au plus), les plus proches d'abord.
    pub sessions: Vec<TrainingSession>,
    pub place_list: Vec<TrainingPlace>,
    pub centre_details: CentreDetails,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingSession {
    pub id: i64,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: String,
    pub seats: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingPlace {
    /// Le code INSEE de la commune.
    pub code: String,
    pub name: String,
    pub postal_code: String,
    pub departement_name: String,
    pub region_name: String,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CentreDetails {
    pub name: String,
    pub slug: String,
    pub qualiopi: bool,
    pub website: String,
    pub city: Option<String>,
}

impl TrainingPage {
    fn from_detail(detail: TrainingDetail, base: &str) -> Self {
        Self {
            training: Training::from_card(detail.card, base),
            description_html: detail.description_html,
            objectives: detail.objectives,
            prerequisites: detail.prerequisites,
            certification_code: detail.certification_code,
            cpf_link: detail.cpf_link,
            funding: detail.funding,
            skills: detail.skills,
            sessions: detail
                .sessions
                .into_iter()
                .map(|session| TrainingSession {
                    id: session.id,
                    starts_on: session.starts_on,
                    ends_on: session.ends_on,
                    seats: session.seats,
                })
                .collect(),
            place_list: detail
                .place_list
                .into_iter()
                .map(|place| TrainingPlace {
                    code: place.code,
                    name: place.name,
                    postal_code: place.postal_code,
                    departement_name: place.departement_name,
                    region_name: place.region_name,
                    latitude: place.latitude,
                    longitude: place.longitude,
                })
                .collect(),
            centre_details: CentreDetails {
                name: detail.centre.name,
                slug: detail.centre.slug,
                qualiopi: detail.centre.qualiopi,
                website: detail.centre.website,
                city: detail.centre.city,
            },
            updated_at: detail.updated_at,
        }
    }
}

/// Une formation publiée et ses prochaines sessions.
#[utoipa::path(
    get,
    path = "/api/v1/formations/{id}",
    tag = "Formations",
    params(("id" = String, Path, description = "L'identifiant numérique de la formation ou son slug.")),
    responses(
        (status = 200, description = "La formation et ses prochaines sessions.", body = TrainingPage),
        (status = 404, description = "Aucune formation publique ne porte cet identifiant.", body = super::problem::Problem, content_type = "application/problem+json"),
        (status = 410, description = "La formation a été retirée.", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let lookup = resolve(
        &state,
        caller,
        path,
        |pool, id| async move { trainings::ssr::slug_of(&pool, id).await },
        |pool, slug| async move { trainings::ssr::public_detail(&pool, &slug).await },
    )
    .await?;
    let detail = found(lookup, "Cette formation a été retirée par son centre.")?;
    Ok(etag::json(
        &headers,
        &TrainingPage::from_detail(detail, &state.base_url),
    ))
}
