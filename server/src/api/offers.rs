//! `/api/v1/offres`: the job search of `/offres` (same parameters, same
//! results, same facets) and one offer as its page shows it.

use super::{
    ApiState, Caller, Facet, etag, found, lists,
    params::{Params, choices},
    problem::Problem,
    resolve,
};
use app::{
    jobs::{self, HowToApply, OfferCard, OfferDetail},
    ui::search::{MAX_PLACE_CHARS, MAX_QUERY_CHARS, Scope, SearchQuery},
};
use axum::{
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::HeaderMap,
    response::Response,
};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// The parameters `/api/v1/offres` accepts (any other is refused).
pub const PARAMETERS: [&str; 13] = [
    "q",
    "lieu",
    "rayon",
    "tri",
    "contrat",
    "teletravail",
    "salaire",
    "experience",
    "publiee",
    "region",
    "departement",
    "cursor",
    "limit",
];

/// The search's parameters, as `/offres` reads them from its URL.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Mots cherchés dans le titre, la description, les compétences et le
    /// nom de l'entreprise (accents et petites fautes de frappe pardonnés).
    #[param(max_length = 200, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    q: Option<String>,
    /// La commune autour de laquelle chercher : « Lyon », « 69003 »,
    /// « Lyon (69001) ». Les offres en télétravail complet sont trouvées de partout.
    #[param(max_length = 80, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    lieu: Option<String>,
    /// Le rayon autour de `lieu`, en km (30 par défaut).
    #[param(minimum = 10, maximum = 100)]
    rayon: Option<i64>,
    /// `pertinence` (par défaut) ou `date` (les plus récentes d'abord).
    #[param(inline)]
    tri: Option<OfferSort>,
    #[param(inline)]
    contrat: Option<ContractKind>,
    #[param(inline)]
    teletravail: Option<RemoteKind>,
    /// Un salaire annuel minimum, en euros.
    #[param(inline)]
    salaire: Option<SalaryFloor>,
    #[param(inline)]
    experience: Option<Experience>,
    /// Publiée depuis 24 heures, 7 ou 30 jours.
    #[param(inline)]
    publiee: Option<PostedWithin>,
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
pub enum OfferSort {
    Pertinence,
    Date,
}

/// Le type de contrat (`contrat`).
#[derive(Debug, ToSchema, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContractKind {
    Cdi,
    Cdd,
    Interim,
    Saisonnier,
    Alternance,
    Stage,
    Freelance,
}

impl From<jobs::Contract> for ContractKind {
    fn from(contract: jobs::Contract) -> Self {
        use jobs::Contract::*;
        match contract {
            Cdi => Self::Cdi,
            Cdd => Self::Cdd,
            Interim => Self::Interim,
            Saisonnier => Self::Saisonnier,
            Alternance => Self::Alternance,
            Stage => Self::Stage,
            Freelance => Self::Freelance,
        }
    }
}

/// Où se fait le travail (`teletravail`) : sur site, hybride, télétravail complet.
#[derive(Debug, ToSchema, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RemoteKind {
    Presentiel,
    Hybride,
    Teletravail,
}

impl From<jobs::RemoteMode> for RemoteKind {
    fn from(mode: jobs::RemoteMode) -> Self {
        match mode {
            jobs::RemoteMode::Presentiel => Self::Presentiel,
            jobs::RemoteMode::Hybride => Self::Hybride,
            jobs::RemoteMode::Teletravail => Self::Teletravail,
        }
    }
}

/// `salaire` : seuils annuels, en euros.
#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
pub enum SalaryFloor {
    #[serde(rename = "20000")]
    S20000,
    #[serde(rename = "25000")]
    S25000,
    #[serde(rename = "30000")]
    S30000,
    #[serde(rename = "35000")]
    S35000,
    #[serde(rename = "40000")]
    S40000,
    #[serde(rename = "50000")]
    S50000,
}

#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
pub enum PostedWithin {
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7j")]
    Week,
    #[serde(rename = "30j")]
    Month,
}

/// L'expérience demandée.
#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
pub enum Experience {
    #[serde(rename = "debutant")]
    Beginner,
    #[serde(rename = "1-2")]
    OneToTwo,
    #[serde(rename = "3-5")]
    ThreeToFive,
    #[serde(rename = "5-plus")]
    MoreThanFive,
}

#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
#[serde(rename_all = "kebab-case")]
pub enum WorkingTime {
    TempsPlein,
    TempsPartiel,
}

#[derive(ToSchema, Serialize)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum SalaryUnit {
    Heure,
    Mois,
    Annee,
}

/// Une offre dans une liste.
#[derive(Debug, Serialize, ToSchema)]
pub struct Offer {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub company: CompanyRef,
    #[schema(inline)]
    pub contract: ContractKind,
    #[schema(inline)]
    pub remote: RemoteKind,
    #[schema(value_type = WorkingTime, inline)]
    pub working_time: String,
    #[schema(value_type = Experience, inline)]
    pub experience: String,
    /// En euros, par `salary_unit` ; null quand l'entreprise n'en donne pas.
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    #[schema(value_type = Option<SalaryUnit>)]
    pub salary_unit: Option<String>,
    /// La commune ; null pour le télétravail complet.
    pub city: Option<String>,
    pub departement_code: Option<String>,
    /// Jour de publication (heure de Paris).
    #[schema(format = Date)]
    pub published_on: String,
    /// Le début de la description, en texte brut.
    pub excerpt: String,
    /// La page de l'offre sur le site.
    #[schema(format = "uri")]
    pub url: String,
}

/// L'entreprise qui publie l'offre.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyRef {
    pub name: String,
    /// Sa clé dans `/api/v1/entreprises/{id}`.
    pub slug: String,
}

impl Offer {
    fn from_card(card: OfferCard, base: &str) -> Self {
        Self {
            url: format!("{base}/offres/{}", card.slug),
            id: card.id,
            slug: card.slug,
            title: card.title,
            company: CompanyRef {
                name: card.company_name,
                slug: card.company_slug,
            },
            contract: card.contract.into(),
            remote: card.remote.into(),
            working_time: card.working_time,
            experience: card.experience,
            salary_min: card.salary_min,
            salary_max: card.salary_max,
            salary_unit: card.salary_unit,
            city: card.city,
            departement_code: card.departement_code,
            published_on: card.published_on,
            excerpt: card.excerpt,
        }
    }
}

/// Une fenêtre des résultats de la recherche.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferList {
    pub items: Vec<Offer>,
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

/// Recherche les offres publiées, comme la page /offres.
#[utoipa::path(
    get,
    path = "/api/v1/offres",
    tag = "Offres",
    params(SearchParams),
    responses(
        (status = 200, description = "Les offres trouvées, leurs facettes et le curseur suivant.", body = OfferList),
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
        "offres",
        query.as_deref(),
        &PARAMETERS,
        search_query,
        jobs::PAGE_SIZE,
        |pool, query| async move { jobs::search::run(&pool, query).await },
    )
    .await?;
    let body = OfferList {
        items: list
            .items
            .into_iter()
            .map(|card| Offer::from_card(card, &state.base_url))
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
    push("tri", params.one_of("tri", &["pertinence", "date"])?);
    push(
        "contrat",
        params.one_of("contrat", &choices(&jobs::CONTRACTS))?,
    );
    push(
        "teletravail",
        params.one_of("teletravail", &choices(&jobs::REMOTE_MODES))?,
    );
    let floors: Vec<String> = jobs::SALARY_FLOORS.iter().map(i32::to_string).collect();
    let floors: Vec<&str> = floors.iter().map(String::as_str).collect();
    push("salaire", params.one_of("salaire", &floors)?);
    push(
        "experience",
        params.one_of("experience", &choices(&jobs::EXPERIENCE))?,
    );
    let windows: Vec<&str> = jobs::POSTED_WITHIN.iter().map(|(v, _, _)| *v).collect();
    push("publiee", params.one_of("publiee", &windows)?);
    push("region", params.code("region")?);
    push("departement", params.code("departement")?);
    Ok(SearchQuery::from_pairs(
        Scope::Offers,
        pairs.iter().map(|(k, v)| (*k, v.as_str())),
    ))
}

/// Une offre, telle que sa page la montre.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferPage {
    #[serde(flatten)]
    pub offer: Offer,
    /// La description telle que la page la montre (HTML assaini).
    pub description_html: String,
    /// Publiée et pas encore échue : on ne peut postuler qu'alors.
    pub live: bool,
    #[schema(inline)]
    pub status: OfferStatus,
    #[schema(format = DateTime)]
    pub published_at: String,
    /// Quand elle cesse (ou a cessé) d'être valable.
    #[schema(format = DateTime)]
    pub valid_through: String,
    /// Niveau de diplôme demandé (nomenclature française, 3 à 8).
    pub diploma_level: Option<i16>,
    #[schema(format = Date)]
    pub start_date: Option<String>,
    pub openings: i32,
    /// Comment postuler ; null quand l'offre n'est plus en ligne.
    pub apply: Option<Apply>,
    pub skills: Vec<String>,
    pub place: Option<OfferPlace>,
    pub company_details: CompanyDetails,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OfferStatus {
    Published,
    Expired,
    Filled,
}

/// Comment postuler.
#[derive(Debug, Serialize, ToSchema)]
pub struct Apply {
    /// `platform` : sur Passerelle avec un compte candidat ; `website` : à
    /// l'adresse `url` ; `email` : par e-mail à `email`.
    #[schema(inline)]
    pub channel: ApplyChannel,
    #[schema(format = "uri")]
    pub url: Option<String>,
    #[schema(format = Email)]
    pub email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApplyChannel {
    Platform,
    Website,
    Email,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferPlace {
    pub name: String,
    pub postal_code: String,
    pub departement_name: String,
    pub region_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyDetails {
    pub name: String,
    pub slug: String,
    pub website: String,
    pub sector: String,
    /// Chemin absolu de son logo sur le site.
    pub logo: Option<String>,
}

impl OfferPage {
    fn from_detail(detail: OfferDetail, base: &str) -> Self {
        let status = match detail.status.as_str() {
            "filled" => OfferStatus::Filled,
            _ if !detail.live => OfferStatus::Expired,
            _ => OfferStatus::Published,
        };
        let apply = detail.live.then_some(match detail.apply {
            HowToApply::Platform => Apply {
                channel: ApplyChannel::Platform,
                url: None,
                email: None,
            },
            HowToApply::Website(url) => Apply {
                channel: ApplyChannel::Website,
                url: Some(url),
                email: None,
            },
            HowToApply::Email(email) => Apply {
                channel: ApplyChannel::Email,
                url: None,
                email: Some(email),
            },
        });
        Self {
            offer: Offer::from_card(detail.card, base),
            description_html: detail.description_html,
            live: detail.live,
            status,
            published_at: detail.published_at,
            valid_through: detail.valid_through,
            diploma_level: detail.diploma_level,
            start_date: detail.start_date,
            openings: detail.openings,
            apply,
            skills: detail.skills.into_iter().map(|skill| skill.name).collect(),
            place: detail.place.map(|place| OfferPlace {
                name: place.name,
                postal_code: place.postal_code,
                departement_name: place.departement_name,
                region_name: place.region_name,
            }),
            company_details: CompanyDetails {
                name: detail.company.name,
                slug: detail.company.slug,
                website: detail.company.website,
                sector: detail.company.sector,
                logo: detail.company.logo,
            },
        }
    }
}

/// Une offre publiée (en ligne, expirée ou pourvue, comme sa page la montre).
#[utoipa::path(
    get,
    path = "/api/v1/offres/{id}",
    tag = "Offres",
    params(("id" = String, Path, description = "L'identifiant numérique de l'offre ou son slug.")),
    responses(
        (status = 200, description = "L'offre.", body = OfferPage),
        (status = 404, description = "Aucune offre publique ne porte cet identifiant.", body = super::problem::Problem, content_type = "application/problem+json"),
        (status = 410, description = "L'offre a été retirée.", body = super::problem::Problem, content_type = "application/problem+json"),
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
        |pool, id| async move { jobs::ssr::slug_of(&pool, id).await },
        |pool, slug| async move { jobs::ssr::public_data(&pool, &slug).await },
    )
    .await?;
    let detail = found(lookup, "Cette offre a été retirée par l'entreprise.")?;
    Ok(etag::json(
        &headers,
        &OfferPage::from_detail(detail, &state.base_url),
    ))
}
