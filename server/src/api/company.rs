//! A company's side of the API, `/api/v1/entreprise/…`: its offers (every
//! status; create, update, publish, close) and the applications they
//! received (the pipeline, a move to another step, the CV), for the
//! company's API client or one of its members ([`super::organisation::actor`]).
//!
//! Each route calls what the recruiter's dashboard calls
//! (`app::jobs::manage`, `app::candidates::applications::ssr`): the same
//! checks, the same French messages on the same fields, the same
//! transitions and e-mails. Another company's offer or application is a
//! 404. Nothing here records who acted: neither does the site for these
//! actions.

use super::{
    ApiState, Caller,
    body::ApiJson,
    etag,
    organisation::{
        Actor, ThreadMessage, actor, created, failure, id_of, iso_date, iso_minute, json,
        not_found, nullable, private,
    },
    params::Params,
    problem::Problem,
    tokens,
};
use app::{
    base::error::AppError,
    candidates::applications::{
        ReceivedApplication,
        ssr::{self as applications, Reviewer},
    },
    identity::auth::Permission,
    jobs::{
        OfferAction, OfferState,
        dashboard::{OfferInput, OfferRow, new_offer_input},
        manage,
    },
    organisations::profile::OrgKind,
};
use axum::{
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const NO_OFFER: &str = "Aucune offre de votre entreprise ne porte cet identifiant.";
const NO_APPLICATION: &str =
    "Aucune candidature reçue par votre entreprise ne porte cet identifiant.";
const NO_CV: &str = "Aucune candidature reçue par votre entreprise ne porte cet identifiant, ou elle n'a pas de CV.";

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
    /// Fin de la publication (heure de Paris), `AAAA-MM-JJ`.
    #[schema(example = "2026-12-31", format = "date")]
    pub expires_on: String,
    /// Dernière modification (heure de Paris), `AAAA-MM-JJ`.
    #[schema(example = "2026-12-05", format = "date")]
    pub updated_on: String,
}

impl From<OfferRow> for OwnOffer {
    fn from(row: OfferRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            title: row.title,
            status: status_name(row.status).to_owned(),
            views: row.views,
            applications: row.applications,
            new_applications: row.new_applications,
            expires_on: iso_date(&row.expires_on),
            updated_on: iso_date(&row.updated_on),
        }
    }
}

/// Les offres d'une entreprise.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnOffers {
    /// Le nom de l'entreprise.
    pub company: String,
    /// Son statut sur Passerelle : `approved` ; `pending`, `rejected` ou
    /// `suspended` pour un membre (ses offres publiées ne sont alors pas
    /// visibles sur le site).
    pub company_status: String,
    pub items: Vec<OwnOffer>,
}

/// Une offre de l'entreprise, tous ses champs.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnOfferDetail {
    #[serde(flatten)]
    pub row: OwnOffer,
    /// Sa page publique, une fois publiée (visible tant que l'entreprise est approuvée).
    pub public_url: Option<String>,
    /// La description en Markdown.
    pub description: String,
    /// `cdi`, `cdd`, `interim`, `saisonnier`, `alternance`, `stage` ou `freelance`.
    #[schema(example = "cdi")]
    pub contract: String,
    /// `temps-plein` ou `temps-partiel`.
    #[schema(example = "temps-plein")]
    pub working_time: String,
    /// `presentiel`, `hybride` ou `teletravail` (complet).
    #[schema(example = "presentiel")]
    pub remote: String,
    /// Salaire brut minimum, en euros par `salary_unit`.
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    /// `heure`, `mois` ou `annee` ; `null` : salaire non affiché.
    pub salary_unit: Option<String>,
    /// `debutant`, `1-2`, `3-5` ou `5-plus`.
    pub experience: String,
    /// Niveau de diplôme demandé (3 à 8), `null` : aucun.
    pub diploma_level: Option<i64>,
    /// Les compétences demandées (identifiants).
    pub skills: Vec<i64>,
    /// Le lieu de travail, « Commune (code postal) » ; `null` en télétravail complet.
    #[schema(example = "Lyon (69001)")]
    pub place: Option<String>,
    /// Date de prise de poste, `AAAA-MM-JJ`.
    #[schema(format = "date")]
    pub start_date: Option<String>,
    pub openings: i64,
    /// Jours en ligne une fois publiée (1 à 90).
    pub expiry_days: i64,
    /// `platform` (sur Passerelle), `url` (site de l'entreprise) ou `email`.
    pub apply_channel: String,
    pub apply_url: Option<String>,
    pub apply_email: Option<String>,
}

/// Les champs d'une offre, comme le formulaire du tableau de bord les
/// reçoit et les vérifie (mêmes messages, sur les mêmes champs). À la
/// création, un champ absent prend la valeur par défaut du formulaire ; en
/// modification, il reste inchangé, et `null` vide un champ facultatif.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferBody {
    /// Intitulé du poste, 5 à 160 caractères (obligatoire à la création).
    #[schema(example = "Soudeur TIG (H/F)")]
    pub title: Option<String>,
    /// Description en Markdown, 20 000 caractères au plus.
    pub description: Option<String>,
    /// `cdi` (par défaut), `cdd`, `interim`, `saisonnier`, `alternance`, `stage` ou `freelance`.
    #[schema(example = "cdi")]
    pub contract: Option<String>,
    /// `temps-plein` (par défaut) ou `temps-partiel`.
    pub working_time: Option<String>,
    /// `presentiel` (par défaut), `hybride` ou `teletravail`.
    pub remote: Option<String>,
    /// Salaire brut minimum en euros (avec `salary_unit`).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub salary_min: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub salary_max: Option<Option<i64>>,
    /// `heure`, `mois` ou `annee` ; `null` ou vide : salaire non affiché.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub salary_unit: Option<Option<String>>,
    /// `debutant` (par défaut), `1-2`, `3-5` ou `5-plus`.
    pub experience: Option<String>,
    /// Niveau de diplôme demandé, 3 à 8 ; `null` : aucun.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub diploma_level: Option<Option<i64>>,
    /// Identifiants des compétences demandées.
    pub skills: Option<Vec<i64>>,
    /// La commune, « Lyon (69001) », « 69001 » ou « Lyon » ; obligatoire
    /// sauf en télétravail complet.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, example = "Lyon (69001)")]
    pub place: Option<Option<String>>,
    /// Date de prise de poste, `AAAA-MM-JJ`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, example = "2027-01-04")]
    pub start_date: Option<Option<String>>,
    /// Nombre de postes, 1 à 500 (1 par défaut).
    pub openings: Option<i64>,
    /// Jours en ligne une fois publiée, 1 à 90 (60 par défaut).
    pub expiry_days: Option<i64>,
    /// `platform` (par défaut), `url` ou `email`.
    pub apply_channel: Option<String>,
    /// L'adresse https de la page de candidature (`apply_channel` = `url`).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub apply_url: Option<Option<String>>,
    /// L'adresse e-mail de candidature (`apply_channel` = `email`).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub apply_email: Option<Option<String>>,
}

impl OfferBody {
    /// The form's fields with this body's written over them.
    fn onto(self, mut input: OfferInput) -> OfferInput {
        fn set(field: &mut String, value: Option<String>) {
            if let Some(value) = value {
                *field = value;
            }
        }
        fn set_text(field: &mut String, value: Option<Option<String>>) {
            set(field, value.map(Option::unwrap_or_default));
        }
        fn set_number(field: &mut String, value: Option<Option<i64>>) {
            set_text(field, value.map(|n| n.map(|n| n.to_string())));
        }
        set(&mut input.title, self.title);
        set(&mut input.description, self.description);
        set(&mut input.contract, self.contract);
        set(&mut input.working_time, self.working_time);
        set(&mut input.remote, self.remote);
        set_number(&mut input.salary_min, self.salary_min);
        set_number(&mut input.salary_max, self.salary_max);
        set_text(&mut input.salary_unit, self.salary_unit);
        set(&mut input.experience, self.experience);
        set_number(&mut input.diploma_level, self.diploma_level);
        if let Some(skills) = self.skills {
            input.skills = skills;
        }
        set_text(&mut input.place, self.place);
        set_text(&mut input.start_date, self.start_date);
        set_number(&mut input.openings, self.openings.map(Some));
        set_number(&mut input.expiry_days, self.expiry_days.map(Some));
        set(&mut input.apply_channel, self.apply_channel);
        set_text(&mut input.apply_url, self.apply_url);
        set_text(&mut input.apply_email, self.apply_email);
        input
    }
}

/// Comment clore une offre.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Closing {
    /// Pourvue : elle reste lisible, sans candidature.
    Fill,
    /// Archivée : retirée du site, définitivement.
    Archive,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    pub action: Closing,
}

/// Une étape de la candidature, comme les boutons du tableau de bord.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    /// `in_review` (à l'étude), `hired` (embauche) ou `refused` (déclinée).
    #[schema(example = "in_review")]
    pub statut: String,
    /// Obligatoire pour `refused` : l'un des motifs proposés sur le site
    /// (« Le poste a été pourvu », « Nous avons retenu une autre candidature »…),
    /// montré au candidat.
    pub motif: Option<String>,
}

/// Le candidat, comme le recruteur le voit.
#[derive(Debug, Serialize, ToSchema)]
pub struct Candidate {
    pub name: String,
    pub email: String,
    pub headline: String,
    /// Son expérience, en texte.
    pub experience: String,
    pub skills: Vec<String>,
}

/// Une note privée des recruteurs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationNote {
    pub author: String,
    pub body: String,
    /// Instant UTC (RFC 3339).
    pub at: String,
}

/// Une candidature reçue.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineApplication {
    pub id: i64,
    /// `new`, `in_review`, `interview`, `hired`, `refused` ou `withdrawn`.
    #[schema(example = "new")]
    pub status: String,
    /// Le motif d'un refus (vide sinon).
    pub refusal_reason: String,
    pub offer_id: i64,
    pub offer_title: String,
    pub candidate: Candidate,
    /// Le message du candidat.
    pub message: String,
    #[schema(format = "date")]
    pub applied_on: String,
    /// Où lire le CV joint (`GET`), s'il y en a un.
    pub cv: Option<String>,
    pub notes: Vec<ApplicationNote>,
    pub messages: Vec<ThreadMessage>,
}

impl From<ReceivedApplication> for PipelineApplication {
    fn from(a: ReceivedApplication) -> Self {
        Self {
            cv: a
                .cv_media_id
                .map(|_| format!("/api/v1/entreprise/candidatures/{}/cv", a.id)),
            id: a.id,
            status: a.status.as_str().to_owned(),
            refusal_reason: a.refusal_reason,
            offer_id: a.offer_id,
            offer_title: a.offer_title,
            candidate: Candidate {
                name: a.candidate_name,
                email: a.candidate_email,
                headline: a.headline,
                experience: a.experience,
                skills: a.skills,
            },
            message: a.message,
            applied_on: a.applied_on,
            notes: a
                .notes
                .into_iter()
                .map(|n| ApplicationNote {
                    author: n.author,
                    body: n.body,
                    at: iso_minute(&n.at),
                })
                .collect(),
            messages: a.messages.into_iter().map(ThreadMessage::from).collect(),
        }
    }
}

/// Une offre qui a reçu des candidatures.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferRef {
    pub id: i64,
    pub title: String,
}

/// Les candidatures reçues, les plus récentes d'abord.
#[derive(Debug, Serialize, ToSchema)]
pub struct Applications {
    /// Les offres de l'entreprise qui ont reçu des candidatures.
    pub offers: Vec<OfferRef>,
    /// L'offre demandée (`offre`), sinon `null`.
    pub offer: Option<i64>,
    /// 1 000 au plus.
    pub items: Vec<PipelineApplication>,
    /// Des candidatures plus anciennes ont été laissées de côté.
    pub truncated: bool,
}

/// Un fichier tel que le candidat l'a envoyé.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct SentFile(#[allow(dead_code)] Vec<u8>);

fn status_name(state: OfferState) -> &'static str {
    match state {
        OfferState::Draft => "draft",
        OfferState::Published => "published",
        OfferState::Expired => "expired",
        OfferState::Filled => "filled",
        OfferState::Archived => "archived",
    }
}

/// The company `caller` acts for, with `scope` and `permission`.
async fn company(
    state: &ApiState,
    caller: &Caller,
    scope: &str,
    permission: Permission,
) -> Result<Actor, Response> {
    actor(state, caller, OrgKind::Entreprise, scope, permission).await
}

/// The answer, whichever it is, kept private.
fn done(result: Result<Response, Response>) -> Response {
    private(result.unwrap_or_else(|refused| refused))
}

/// The company's offer `id` with all its fields.
async fn offer_detail(
    state: &ApiState,
    caller: &Caller,
    company: i64,
    id: i64,
) -> Result<OwnOfferDetail, Response> {
    let (pool, base) = (state.pool.clone(), state.base_url.clone());
    caller
        .run(state, || async move {
            let edit = manage::edit_data(&pool, company, id).await?;
            let row = manage::dashboard(&pool, company)
                .await?
                .rows
                .into_iter()
                .find(|row| row.id == id)
                .ok_or(AppError::NotFound)?;
            let public = matches!(
                row.status,
                OfferState::Published | OfferState::Expired | OfferState::Filled
            );
            let input = edit.input;
            let text = |value: String| (!value.is_empty()).then_some(value);
            let number = |value: &str| value.parse::<i64>().ok();
            Ok(OwnOfferDetail {
                public_url: public.then(|| format!("{base}/offres/{}", row.slug)),
                row: row.into(),
                description: input.description,
                contract: input.contract,
                working_time: input.working_time,
                remote: input.remote,
                salary_min: number(&input.salary_min),
                salary_max: number(&input.salary_max),
                salary_unit: text(input.salary_unit),
                experience: input.experience,
                diploma_level: number(&input.diploma_level),
                skills: input.skills,
                place: text(input.place),
                start_date: text(input.start_date),
                openings: number(&input.openings).unwrap_or(1),
                expiry_days: number(&input.expiry_days).unwrap_or_default(),
                apply_channel: input.apply_channel,
                apply_url: text(input.apply_url),
                apply_email: text(input.apply_email),
            })
        })
        .await
        .map_err(|error| failure(error, NO_OFFER, &[]))
}

const UNAUTHORIZED: &str =
    "Aucun jeton d'accès : `WWW-Authenticate: Bearer realm=\"passerelle-api\"`.";

/// Les offres de l'entreprise, dans tous leurs statuts (brouillons,
/// publiées, échues, pourvues, archivées), comme son tableau de bord.
#[utoipa::path(
    get,
    path = "/api/v1/entreprise/offres",
    tag = "Entreprise",
    security(("oauth2" = ["offres:lecture"]), ("oauth2_user" = ["offres:lecture"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les offres de l'entreprise, les plus récemment modifiées d'abord (archivées en dernier).", body = OwnOffers),
        (status = 401, description = "Jeton absent, invalide, expiré ou révoqué.", body = Problem, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"passerelle-api\"` (et `error=\"invalid_token\"` pour un jeton refusé)."))),
        (status = 403, description = "Client d'un centre, jeton sans la portée `offres:lecture` (`insufficient_scope`), ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn offers(State(state): State<ApiState>, caller: Caller, headers: HeaderMap) -> Response {
    done(
        async {
            let actor = company(&state, &caller, tokens::OFFERS_READ, Permission::JobEdit).await?;
            let pool = state.pool.clone();
            let dashboard = caller
                .run(&state, || async move {
                    manage::dashboard(&pool, actor.organisation_id).await
                })
                .await
                .map_err(|error| failure(error, NO_OFFER, &[]))?;
            let body = OwnOffers {
                company: dashboard.company_name,
                company_status: dashboard.status.as_str().to_owned(),
                items: dashboard.rows.into_iter().map(OwnOffer::from).collect(),
            };
            Ok(etag::json(&headers, &body))
        }
        .await,
    )
}

/// Crée une offre en brouillon, avec les champs et les vérifications du
/// formulaire du site.
#[utoipa::path(
    post,
    path = "/api/v1/entreprise/offres",
    tag = "Entreprise",
    security(("oauth2" = ["offres:ecriture"]), ("oauth2_user" = ["offres:ecriture"]), ("bearer" = [])),
    request_body(content = OfferBody, content_type = "application/json"),
    responses(
        (status = 201, description = "L'offre créée, en brouillon.", body = OwnOfferDetail,
            headers(("Location" = String, description = "Son adresse dans l'API."))),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `offres:ecriture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ refusé, avec le message du site (`errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_offer(
    State(state): State<ApiState>,
    caller: Caller,
    body: Result<ApiJson<OfferBody>, Response>,
) -> Response {
    done(
        async {
            let actor = company(&state, &caller, tokens::OFFERS_WRITE, Permission::JobEdit).await?;
            let ApiJson(body) = body?;
            let input = body.onto(new_offer_input());
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            let id = caller
                .run(&state, || async move {
                    let valid = manage::validate(&pool, &input).await?;
                    manage::save(&pool, org, None, &valid).await
                })
                .await
                .map_err(|error| failure(error, NO_OFFER, &[]))?;
            let detail = offer_detail(&state, &caller, org, id).await?;
            Ok(created(&format!("/api/v1/entreprise/offres/{id}"), &detail))
        }
        .await,
    )
}

/// Une offre de l'entreprise, tous ses champs, quel que soit son statut.
#[utoipa::path(
    get,
    path = "/api/v1/entreprise/offres/{id}",
    tag = "Entreprise",
    params(("id" = i64, Path, description = "L'identifiant de l'offre.")),
    security(("oauth2" = ["offres:lecture"]), ("oauth2_user" = ["offres:lecture"]), ("bearer" = [])),
    responses(
        (status = 200, description = "L'offre.", body = OwnOfferDetail),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `offres:lecture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune offre de l'entreprise ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn offer(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    done(
        async {
            let actor = company(&state, &caller, tokens::OFFERS_READ, Permission::JobEdit).await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_OFFER))?;
            let detail = offer_detail(&state, &caller, actor.organisation_id, id).await?;
            Ok(etag::json(&headers, &detail))
        }
        .await,
    )
}

/// Modifie une offre (champs donnés seulement), avec les vérifications du
/// formulaire du site ; une offre en ligne le reste.
#[utoipa::path(
    patch,
    path = "/api/v1/entreprise/offres/{id}",
    tag = "Entreprise",
    params(("id" = i64, Path, description = "L'identifiant de l'offre.")),
    security(("oauth2" = ["offres:ecriture"]), ("oauth2_user" = ["offres:ecriture"]), ("bearer" = [])),
    request_body(content = OfferBody, content_type = "application/json"),
    responses(
        (status = 200, description = "L'offre modifiée.", body = OwnOfferDetail),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `offres:ecriture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune offre de l'entreprise ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ refusé, avec le message du site (`errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_offer(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<OfferBody>, Response>,
) -> Response {
    done(
        async {
            let actor = company(&state, &caller, tokens::OFFERS_WRITE, Permission::JobEdit).await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_OFFER))?;
            let ApiJson(body) = body?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            caller
                .run(&state, || async move {
                    let current = manage::edit_data(&pool, org, id).await?;
                    let input = body.onto(current.input);
                    let valid = manage::validate(&pool, &input).await?;
                    manage::save(&pool, org, Some(id), &valid).await
                })
                .await
                .map_err(|error| failure(error, NO_OFFER, &[]))?;
            let detail = offer_detail(&state, &caller, org, id).await?;
            Ok(json(StatusCode::OK, &detail))
        }
        .await,
    )
}

/// A change of the offer's state, as the dashboard's buttons make it.
async fn change_offer(
    state: &ApiState,
    caller: &Caller,
    actor: &Actor,
    id: i64,
    action: impl FnOnce(OfferState) -> OfferAction,
) -> Result<Response, Response> {
    let (pool, org) = (state.pool.clone(), actor.organisation_id);
    caller
        .run(state, || async move {
            let current = manage::edit_data(&pool, org, id).await?;
            manage::set_status(&pool, org, id, action(current.status)).await
        })
        .await
        .map_err(|error| failure(error, NO_OFFER, &[]))?;
    let detail = offer_detail(state, caller, org, id).await?;
    Ok(json(StatusCode::OK, &detail))
}

/// Publie une offre : un brouillon part en ligne pour sa durée de
/// publication ; une offre en ligne ou échue est prolongée d'autant à
/// partir d'aujourd'hui (les boutons « Publier » et « Prolonger » du site).
/// Une offre pourvue ou archivée ne se publie pas (422) ; celle d'une
/// entreprise qui n'est pas approuvée est en ligne mais invisible.
#[utoipa::path(
    post,
    path = "/api/v1/entreprise/offres/{id}/publication",
    tag = "Entreprise",
    params(("id" = i64, Path, description = "L'identifiant de l'offre.")),
    security(("oauth2" = ["offres:ecriture"]), ("oauth2_user" = ["offres:ecriture"]), ("bearer" = [])),
    responses(
        (status = 200, description = "L'offre en ligne.", body = OwnOfferDetail),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `offres:ecriture`, membre sans le droit de publier ou dont l'adresse n'est pas confirmée.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune offre de l'entreprise ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "L'offre ne peut pas être publiée dans son état (`action`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn publish_offer(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    done(
        async {
            let actor = company(
                &state,
                &caller,
                tokens::OFFERS_WRITE,
                Permission::JobPublish,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_OFFER))?;
            change_offer(&state, &caller, &actor, id, |current| {
                if current == OfferState::Draft {
                    OfferAction::Publish
                } else {
                    OfferAction::Renew
                }
            })
            .await
        }
        .await,
    )
}

/// Clôt une offre : `fill` (pourvue : sa page reste lisible, sans
/// candidature) ou `archive` (retirée du site, définitivement).
#[utoipa::path(
    post,
    path = "/api/v1/entreprise/offres/{id}/cloture",
    tag = "Entreprise",
    params(("id" = i64, Path, description = "L'identifiant de l'offre.")),
    security(("oauth2" = ["offres:ecriture"]), ("oauth2_user" = ["offres:ecriture"]), ("bearer" = [])),
    request_body(content = CloseBody, content_type = "application/json"),
    responses(
        (status = 200, description = "L'offre close.", body = OwnOfferDetail),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `offres:ecriture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune offre de l'entreprise ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "L'offre ne peut pas être close ainsi dans son état (`action`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn close_offer(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<CloseBody>, Response>,
) -> Response {
    done(
        async {
            let actor = company(&state, &caller, tokens::OFFERS_WRITE, Permission::JobEdit).await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_OFFER))?;
            let ApiJson(body) = body?;
            let action = match body.action {
                Closing::Fill => OfferAction::Fill,
                Closing::Archive => OfferAction::Archive,
            };
            change_offer(&state, &caller, &actor, id, |_| action).await
        }
        .await,
    )
}

/// Les candidatures reçues par l'entreprise (`offre` : celles d'une
/// offre), comme son tableau de bord « Candidatures reçues ».
#[utoipa::path(
    get,
    path = "/api/v1/entreprise/candidatures",
    tag = "Entreprise",
    params(("offre" = Option<i64>, Query, minimum = 1, description = "Seulement les candidatures de cette offre.")),
    security(("oauth2" = ["recrutement"]), ("oauth2_user" = ["recrutement"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les candidatures, les plus récentes d'abord.", body = Applications),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `recrutement`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune offre de l'entreprise ne porte l'identifiant `offre`.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn applications(
    State(state): State<ApiState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    done(
        async {
            let actor = company(
                &state,
                &caller,
                tokens::RECRUITING,
                Permission::ApplicationReview,
            )
            .await?;
            let params =
                Params::parse(query.as_deref(), &["offre"]).map_err(IntoResponse::into_response)?;
            let offer = params
                .integer("offre", 1, i64::MAX)
                .map_err(IntoResponse::into_response)?;
            let (pool, reviewer) = (state.pool.clone(), Reviewer::Company(actor.organisation_id));
            let pipeline = caller
                .run(&state, || async move {
                    applications::pipeline(&pool, reviewer, offer).await
                })
                .await
                .map_err(|error| failure(error, NO_OFFER, &[]))?;
            let body = Applications {
                offers: pipeline
                    .offers
                    .into_iter()
                    .map(|(id, title)| OfferRef { id, title })
                    .collect(),
                offer,
                items: pipeline
                    .applications
                    .into_iter()
                    .map(PipelineApplication::from)
                    .collect(),
                truncated: pipeline.truncated,
            };
            Ok(etag::json(&headers, &body))
        }
        .await,
    )
}

/// The company's application `id`, as the pipeline shows it.
async fn one_application(
    state: &ApiState,
    caller: &Caller,
    reviewer: Reviewer,
    id: i64,
) -> Result<PipelineApplication, Response> {
    let pool = state.pool.clone();
    caller
        .run(state, || async move {
            applications::received_one(&pool, reviewer, id).await
        })
        .await
        .map(PipelineApplication::from)
        .map_err(|error| failure(error, NO_APPLICATION, &[]))
}

/// Une candidature reçue par l'entreprise.
#[utoipa::path(
    get,
    path = "/api/v1/entreprise/candidatures/{id}",
    tag = "Entreprise",
    params(("id" = i64, Path, description = "L'identifiant de la candidature.")),
    security(("oauth2" = ["recrutement"]), ("oauth2_user" = ["recrutement"]), ("bearer" = [])),
    responses(
        (status = 200, description = "La candidature.", body = PipelineApplication),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `recrutement`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune candidature reçue par l'entreprise ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn application(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    done(
        async {
            let actor = company(
                &state,
                &caller,
                tokens::RECRUITING,
                Permission::ApplicationReview,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_APPLICATION))?;
            let reviewer = Reviewer::Company(actor.organisation_id);
            let body = one_application(&state, &caller, reviewer, id).await?;
            Ok(etag::json(&headers, &body))
        }
        .await,
    )
}

/// Fait passer une candidature à une autre étape, comme les boutons du
/// site : le candidat en est informé par e-mail (avec le motif d'un refus),
/// un entretien à venir est annulé pour `hired` et `refused`.
#[utoipa::path(
    post,
    path = "/api/v1/entreprise/candidatures/{id}/statut",
    tag = "Entreprise",
    params(("id" = i64, Path, description = "L'identifiant de la candidature.")),
    security(("oauth2" = ["recrutement"]), ("oauth2_user" = ["recrutement"]), ("bearer" = [])),
    request_body(content = MoveBody, content_type = "application/json"),
    responses(
        (status = 200, description = "La candidature à sa nouvelle étape.", body = PipelineApplication),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `recrutement`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune candidature reçue par l'entreprise ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Étape inconnue, motif manquant (`motif`), ou étape impossible depuis l'état de la candidature (`statut` : retirée, ou déjà à cette étape).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn move_application(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<MoveBody>, Response>,
) -> Response {
    done(
        async {
            let actor = company(
                &state,
                &caller,
                tokens::RECRUITING,
                Permission::ApplicationReview,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_APPLICATION))?;
            let ApiJson(body) = body?;
            let (pool, reviewer) = (state.pool.clone(), Reviewer::Company(actor.organisation_id));
            caller
                .run(&state, || async move {
                    let reason = body.motif.unwrap_or_default();
                    applications::move_to(&pool, reviewer, id, &body.statut, &reason).await
                })
                .await
                .map_err(|error| {
                    failure(
                        error,
                        NO_APPLICATION,
                        &[("status", "statut"), ("reason", "motif")],
                    )
                })?;
            let body = one_application(&state, &caller, reviewer, id).await?;
            Ok(json(StatusCode::OK, &body))
        }
        .await,
    )
}

/// Le CV joint à une candidature, tel que le candidat l'a envoyé : la même
/// règle d'accès que son téléchargement sur le site (un membre de
/// l'entreprise qui a reçu la candidature).
#[utoipa::path(
    get,
    path = "/api/v1/entreprise/candidatures/{id}/cv",
    tag = "Entreprise",
    params(("id" = i64, Path, description = "L'identifiant de la candidature.")),
    security(("oauth2" = ["recrutement"]), ("oauth2_user" = ["recrutement"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Le fichier (PDF), à télécharger.", content_type = "application/pdf", body = SentFile,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"…\"`"))),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'un centre, jeton sans la portée `recrutement`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune candidature reçue par l'entreprise ne porte cet identifiant, ou elle n'a pas de CV.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn application_cv(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    done(
        async {
            let actor = company(
                &state,
                &caller,
                tokens::RECRUITING,
                Permission::ApplicationReview,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_CV))?;
            let (pool, storage, reviewer) = (
                state.pool.clone(),
                state.storage.clone(),
                Reviewer::Company(actor.organisation_id),
            );
            let file = caller
                .run(&state, || async move {
                    applications::application_cv(&pool, &storage, reviewer, id).await
                })
                .await
                .map_err(|error| failure(error, NO_CV, &[]))?;
            // As the site sends it: a download, never rendered.
            let name: String = file
                .name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                .collect();
            let disposition = format!(
                "attachment; filename=\"{}\"",
                if name.is_empty() { "cv.pdf" } else { &name }
            );
            let mut response = file.bytes.into_response();
            let headers = response.headers_mut();
            for (name, value) in [
                (header::CONTENT_TYPE, file.content_type.as_str()),
                (header::CONTENT_DISPOSITION, disposition.as_str()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    crate::security::DOWNLOAD_CSP,
                ),
            ] {
                if let Ok(value) = HeaderValue::from_str(value) {
                    headers.insert(name, value);
                }
            }
            Ok(response)
        }
        .await,
    )
}
