//! A training centre's side of the API, `/api/v1/centre/…`: its trainings
//! (every status; create, update, publish) with their sessions, and the
//! enrolment requests it received, for the centre's API client or one of
//! its members ([`super::organisation::actor`]).
//!
//! Each route calls what the centre's dashboard calls
//! (`app::trainings::ssr`, `app::trainings::enrolments::ssr`): the same
//! checks and messages, the same transitions and e-mails. Another centre's
//! training, session or request is a 404.

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
    identity::auth::Permission,
    organisations::profile::OrgKind,
    trainings::{
        Session, TrainingAction, TrainingState,
        dashboard::{DashboardRow, TrainingInput},
        enrolments::{RequestView, ssr as enrolments},
        ssr as trainings,
    },
};
use axum::{
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const NO_TRAINING: &str = "Aucune formation de votre centre ne porte cet identifiant.";
const NO_SESSION: &str = "Aucune session d'une formation de votre centre ne porte cet identifiant.";
const NO_REQUEST: &str =
    "Aucune demande d'inscription reçue par votre centre ne porte cet identifiant.";
const UNAUTHORIZED: &str =
    "Aucun jeton d'accès : `WWW-Authenticate: Bearer realm=\"passerelle-api\"`.";
/// The form's three places, named by the API as one list.
const PLACES: [(&str, &str); 3] = [
    ("place_1", "places"),
    ("place_2", "places"),
    ("place_3", "places"),
];

fn state_name(state: TrainingState) -> &'static str {
    match state {
        TrainingState::Draft => "draft",
        TrainingState::Published => "published",
        TrainingState::Archived => "archived",
    }
}

/// Une formation du centre, comme son tableau de bord la liste.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnTraining {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// `draft`, `published` ou `archived`.
    #[schema(example = "published")]
    pub status: String,
    /// Vues de la page publique.
    pub views: i64,
    /// Demandes d'inscription reçues, et celles pas encore lues.
    pub requests: i64,
    pub new_requests: i64,
    /// Sessions à venir.
    pub upcoming_sessions: i64,
    /// Dernière modification (heure de Paris), `AAAA-MM-JJ`.
    #[schema(format = "date", example = "2026-12-05")]
    pub updated_on: String,
}

impl From<DashboardRow> for OwnTraining {
    fn from(row: DashboardRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            title: row.title,
            status: state_name(row.status).to_owned(),
            views: row.views,
            requests: row.requests,
            new_requests: row.new_requests,
            upcoming_sessions: row.upcoming_sessions,
            updated_on: iso_date(&row.updated_on),
        }
    }
}

/// Les formations d'un centre.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnTrainings {
    /// Le nom du centre.
    pub centre: String,
    /// Son statut sur Passerelle : `approved` ; `pending`, `rejected` ou
    /// `suspended` pour un membre (ses formations publiées ne sont alors pas
    /// visibles sur le site).
    pub centre_status: String,
    pub items: Vec<OwnTraining>,
}

/// Une session d'une formation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnSession {
    pub id: i64,
    #[schema(format = "date", example = "2027-01-04")]
    pub starts_on: String,
    #[schema(format = "date", example = "2027-03-26")]
    pub ends_on: String,
    pub seats: i32,
}

impl From<Session> for OwnSession {
    fn from(session: Session) -> Self {
        Self {
            id: session.id,
            starts_on: session.starts_on,
            ends_on: session.ends_on,
            seats: session.seats,
        }
    }
}

/// Une formation du centre, tous ses champs et ses sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnTrainingDetail {
    pub id: i64,
    pub slug: String,
    /// `draft`, `published` ou `archived`.
    pub status: String,
    /// Sa page publique, une fois publiée (visible tant que le centre est approuvé).
    pub public_url: Option<String>,
    pub title: String,
    pub summary: String,
    /// La description en Markdown.
    pub description: String,
    pub objectives: String,
    pub prerequisites: String,
    /// Les compétences enseignées (identifiants).
    pub skills: Vec<i64>,
    /// `none`, `rncp` ou `rs`.
    pub certification_kind: String,
    pub certification_code: String,
    pub certification_level: Option<i64>,
    pub cpf_eligible: bool,
    pub cpf_link: Option<String>,
    /// `presentiel`, `distanciel` ou `hybride`.
    pub modality: String,
    pub duration_hours: i64,
    /// En euros entiers, comme le formulaire du site le montre.
    pub price_euros: i64,
    /// `cpf`, `opco`, `france-travail`, `region`, `employeur`, `personnel`.
    pub funding: Vec<String>,
    /// Entrée permanente.
    pub rolling_entry: bool,
    /// Les lieux, « Commune (code postal) », trois au plus.
    pub places: Vec<String>,
    /// Toutes ses sessions, passées comprises.
    pub sessions: Vec<OwnSession>,
}

/// Les champs d'une formation, comme le formulaire du tableau de bord les
/// reçoit et les vérifie (mêmes messages, sur les mêmes champs ; ceux des
/// lieux sur `places`). À la création, un champ absent prend la valeur par
/// défaut du formulaire ; en modification, il reste inchangé, et `null`
/// vide un champ facultatif.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingBody {
    /// 5 à 160 caractères (obligatoire à la création).
    #[schema(example = "Titre professionnel Soudeur")]
    pub title: Option<String>,
    /// 20 à 300 caractères (obligatoire à la création).
    pub summary: Option<String>,
    /// En Markdown, 20 000 caractères au plus.
    pub description: Option<String>,
    /// 4 000 caractères au plus.
    pub objectives: Option<String>,
    pub prerequisites: Option<String>,
    /// Identifiants des compétences enseignées.
    pub skills: Option<Vec<i64>>,
    /// `none` (par défaut), `rncp` ou `rs`.
    pub certification_kind: Option<String>,
    /// `RNCP37805`, `RS5678`…
    pub certification_code: Option<String>,
    /// Niveau d'un titre RNCP, 3 à 8.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub certification_level: Option<Option<i64>>,
    pub cpf_eligible: Option<bool>,
    /// La page de la formation sur moncompteformation.gouv.fr.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub cpf_link: Option<Option<String>>,
    /// `presentiel` (par défaut), `distanciel` ou `hybride`.
    pub modality: Option<String>,
    /// 1 à 5 000 heures (obligatoire à la création).
    pub duration_hours: Option<i64>,
    /// Prix en euros, 0 (gratuit, par défaut) à 200 000.
    pub price_euros: Option<f64>,
    /// Parmi `cpf`, `opco`, `france-travail`, `region`, `employeur`, `personnel`.
    pub funding: Option<Vec<String>>,
    pub rolling_entry: Option<bool>,
    /// Trois lieux au plus (« Lyon (69001) », « 69001 »…) ; au moins un,
    /// sauf à distance.
    pub places: Option<Vec<String>>,
}

impl TrainingBody {
    /// The form's fields with this body's written over them.
    fn onto(self, mut input: TrainingInput) -> Result<TrainingInput, AppError> {
        fn set(field: &mut String, value: Option<String>) {
            if let Some(value) = value {
                *field = value;
            }
        }
        // A checkbox: present when ticked.
        let ticked = |on: bool| on.then(|| "on".to_owned());
        set(&mut input.title, self.title);
        set(&mut input.summary, self.summary);
        set(&mut input.description, self.description);
        set(&mut input.objectives, self.objectives);
        set(&mut input.prerequisites, self.prerequisites);
        if let Some(skills) = self.skills {
            input.skills = skills;
        }
        set(&mut input.certification_kind, self.certification_kind);
        set(&mut input.certification_code, self.certification_code);
        set(
            &mut input.certification_level,
            self.certification_level
                .map(|level| level.map(|l| l.to_string()).unwrap_or_default()),
        );
        if let Some(eligible) = self.cpf_eligible {
            input.cpf_eligible = ticked(eligible);
        }
        set(
            &mut input.cpf_link,
            self.cpf_link.map(Option::unwrap_or_default),
        );
        set(&mut input.modality, self.modality);
        set(
            &mut input.duration_hours,
            self.duration_hours.map(|h| h.to_string()),
        );
        set(
            &mut input.price_euros,
            self.price_euros.map(|p| p.to_string()),
        );
        if let Some(funding) = self.funding {
            input.funding = funding;
        }
        if let Some(rolling) = self.rolling_entry {
            input.rolling_entry = ticked(rolling);
        }
        if let Some(places) = self.places {
            if places.len() > PLACES.len() {
                return Err(AppError::invalid("places", "Indiquez trois lieux au plus."));
            }
            let mut places = places.into_iter();
            for field in [&mut input.place_1, &mut input.place_2, &mut input.place_3] {
                *field = places.next().unwrap_or_default();
            }
        }
        Ok(input)
    }
}

/// Une nouvelle session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionBody {
    /// Premier jour, `AAAA-MM-JJ`, pas dans le passé.
    #[schema(example = "2027-01-04")]
    pub starts_on: String,
    /// Dernier jour, `AAAA-MM-JJ`.
    #[schema(example = "2027-03-26")]
    pub ends_on: String,
    /// 1 à 1 000 places.
    pub seats: i64,
}

/// Les champs d'une session à changer (les autres restent).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionPatch {
    #[schema(example = "2027-01-04")]
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub seats: Option<i64>,
}

/// Le candidat qui demande l'inscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct Applicant {
    pub name: String,
    pub email: String,
}

/// Une demande d'inscription reçue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedEnrolment {
    pub id: i64,
    /// `new`, `in_review`, `accepted`, `refused` ou `withdrawn`.
    #[schema(example = "new")]
    pub status: String,
    /// Le motif d'un refus (vide sinon).
    pub refusal_reason: String,
    /// Le message du candidat.
    pub message: String,
    pub training_id: i64,
    pub training_title: String,
    /// « session du 4 janvier 2027 au 26 mars 2027 » ou « entrée permanente ».
    pub session: String,
    pub candidate: Option<Applicant>,
    #[schema(format = "date")]
    pub created_on: String,
    /// Instant UTC (RFC 3339).
    pub updated_at: String,
    pub messages: Vec<ThreadMessage>,
}

impl From<RequestView> for ReceivedEnrolment {
    fn from(r: RequestView) -> Self {
        Self {
            id: r.id,
            status: r.status.as_str().to_owned(),
            refusal_reason: r.refusal_reason,
            message: r.message,
            training_id: r.training_id,
            training_title: r.training_title,
            session: r.session,
            candidate: r.candidate.map(|(name, email)| Applicant { name, email }),
            created_on: iso_date(&r.created_on),
            updated_at: iso_minute(&r.updated_on),
            messages: r.messages.into_iter().map(ThreadMessage::from).collect(),
        }
    }
}

/// Les demandes d'inscription reçues, les plus récemment changées d'abord.
#[derive(Debug, Serialize, ToSchema)]
pub struct Enrolments {
    /// 500 au plus.
    pub items: Vec<ReceivedEnrolment>,
}

/// La décision du centre sur une demande.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Mise à l'étude (depuis `new`).
    EnEtude,
    /// Acceptée (depuis `new` ou `in_review`).
    Acceptee,
    /// Refusée, avec un motif (depuis `new`, `in_review` ou `accepted`).
    Refusee,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub decision: Decision,
    /// Obligatoire pour `refusee` (2 000 caractères au plus) : montré au candidat.
    pub motif: Option<String>,
}

/// The centre `caller` acts for, with `scope` and `permission`.
async fn centre(
    state: &ApiState,
    caller: &Caller,
    scope: &str,
    permission: Permission,
) -> Result<Actor, Response> {
    actor(state, caller, OrgKind::Centre, scope, permission).await
}

/// The answer, whichever it is, kept private.
fn done(result: Result<Response, Response>) -> Response {
    private(result.unwrap_or_else(|refused| refused))
}

/// The centre's training `id` with all its fields and sessions.
async fn training_detail(
    state: &ApiState,
    caller: &Caller,
    centre: i64,
    id: i64,
) -> Result<OwnTrainingDetail, Response> {
    let (pool, base) = (state.pool.clone(), state.base_url.clone());
    caller
        .run(state, || async move {
            let edit = trainings::edit_data(&pool, centre, id).await?;
            let input = edit.input;
            let published = edit.status == TrainingState::Published;
            let number = |value: &str| value.parse::<i64>().ok();
            Ok(OwnTrainingDetail {
                id: edit.id,
                public_url: published.then(|| format!("{base}/formations/{}", edit.slug)),
                slug: edit.slug,
                status: state_name(edit.status).to_owned(),
                title: input.title,
                summary: input.summary,
                description: input.description,
                objectives: input.objectives,
                prerequisites: input.prerequisites,
                skills: input.skills,
                certification_kind: input.certification_kind,
                certification_code: input.certification_code,
                certification_level: number(&input.certification_level),
                cpf_eligible: input.cpf_eligible.is_some(),
                cpf_link: (!input.cpf_link.is_empty()).then_some(input.cpf_link),
                modality: input.modality,
                duration_hours: number(&input.duration_hours).unwrap_or_default(),
                price_euros: number(&input.price_euros).unwrap_or_default(),
                funding: input.funding,
                rolling_entry: input.rolling_entry.is_some(),
                places: [input.place_1, input.place_2, input.place_3]
                    .into_iter()
                    .filter(|place| !place.is_empty())
                    .collect(),
                sessions: edit.sessions.into_iter().map(OwnSession::from).collect(),
            })
        })
        .await
        .map_err(|error| failure(error, NO_TRAINING, &[]))
}

/// Les formations du centre, dans tous leurs statuts, comme son tableau de bord.
#[utoipa::path(
    get,
    path = "/api/v1/centre/formations",
    tag = "Centre",
    security(("oauth2" = ["formations:lecture"]), ("oauth2_user" = ["formations:lecture"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les formations, les plus récemment modifiées d'abord (archivées en dernier).", body = OwnTrainings),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"passerelle-api\"`"))),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `formations:lecture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn trainings_list(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::TRAININGS_READ,
                Permission::TrainingEdit,
            )
            .await?;
            let pool = state.pool.clone();
            let dashboard = caller
                .run(&state, || async move {
                    trainings::dashboard(&pool, actor.organisation_id).await
                })
                .await
                .map_err(|error| failure(error, NO_TRAINING, &[]))?;
            let body = OwnTrainings {
                centre: dashboard.centre_name,
                centre_status: dashboard.status.as_str().to_owned(),
                items: dashboard.rows.into_iter().map(OwnTraining::from).collect(),
            };
            Ok(etag::json(&headers, &body))
        }
        .await,
    )
}

/// Crée une formation en brouillon, avec les champs et les vérifications
/// du formulaire du site.
#[utoipa::path(
    post,
    path = "/api/v1/centre/formations",
    tag = "Centre",
    security(("oauth2" = ["formations:ecriture"]), ("oauth2_user" = ["formations:ecriture"]), ("bearer" = [])),
    request_body(content = TrainingBody, content_type = "application/json"),
    responses(
        (status = 201, description = "La formation créée, en brouillon.", body = OwnTrainingDetail,
            headers(("Location" = String, description = "Son adresse dans l'API."))),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `formations:ecriture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ refusé, avec le message du site (`errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_training(
    State(state): State<ApiState>,
    caller: Caller,
    body: Result<ApiJson<TrainingBody>, Response>,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::TRAININGS_WRITE,
                Permission::TrainingEdit,
            )
            .await?;
            let ApiJson(body) = body?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            let id = caller
                .run(&state, || async move {
                    // A new training's form: on site unless said otherwise.
                    let input = body.onto(TrainingInput {
                        modality: "presentiel".to_owned(),
                        ..TrainingInput::default()
                    })?;
                    let valid = trainings::validate(&pool, &input).await?;
                    trainings::save(&pool, org, None, &valid).await
                })
                .await
                .map_err(|error| failure(error, NO_TRAINING, &PLACES))?;
            let detail = training_detail(&state, &caller, org, id).await?;
            Ok(created(&format!("/api/v1/centre/formations/{id}"), &detail))
        }
        .await,
    )
}

/// Une formation du centre, tous ses champs et ses sessions, quel que soit son statut.
#[utoipa::path(
    get,
    path = "/api/v1/centre/formations/{id}",
    tag = "Centre",
    params(("id" = i64, Path, description = "L'identifiant de la formation.")),
    security(("oauth2" = ["formations:lecture"]), ("oauth2_user" = ["formations:lecture"]), ("bearer" = [])),
    responses(
        (status = 200, description = "La formation.", body = OwnTrainingDetail),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `formations:lecture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune formation du centre ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn training(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::TRAININGS_READ,
                Permission::TrainingEdit,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_TRAINING))?;
            let detail = training_detail(&state, &caller, actor.organisation_id, id).await?;
            Ok(etag::json(&headers, &detail))
        }
        .await,
    )
}

/// Modifie une formation (champs donnés seulement), avec les vérifications
/// du formulaire du site.
#[utoipa::path(
    patch,
    path = "/api/v1/centre/formations/{id}",
    tag = "Centre",
    params(("id" = i64, Path, description = "L'identifiant de la formation.")),
    security(("oauth2" = ["formations:ecriture"]), ("oauth2_user" = ["formations:ecriture"]), ("bearer" = [])),
    request_body(content = TrainingBody, content_type = "application/json"),
    responses(
        (status = 200, description = "La formation modifiée.", body = OwnTrainingDetail),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `formations:ecriture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune formation du centre ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ refusé, avec le message du site (`errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_training(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<TrainingBody>, Response>,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::TRAININGS_WRITE,
                Permission::TrainingEdit,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_TRAINING))?;
            let ApiJson(body) = body?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            caller
                .run(&state, || async move {
                    let current = trainings::edit_data(&pool, org, id).await?;
                    let input = body.onto(current.input)?;
                    let valid = trainings::validate(&pool, &input).await?;
                    trainings::save(&pool, org, Some(id), &valid).await
                })
                .await
                .map_err(|error| failure(error, NO_TRAINING, &PLACES))?;
            let detail = training_detail(&state, &caller, org, id).await?;
            Ok(json(StatusCode::OK, &detail))
        }
        .await,
    )
}

/// Publie une formation (ou la republie), comme le bouton « Publier » du
/// site ; une formation retirée par la modération ne se republie pas. Celle
/// d'un centre qui n'est pas approuvé est publiée mais invisible.
#[utoipa::path(
    post,
    path = "/api/v1/centre/formations/{id}/publication",
    tag = "Centre",
    params(("id" = i64, Path, description = "L'identifiant de la formation.")),
    security(("oauth2" = ["formations:ecriture"]), ("oauth2_user" = ["formations:ecriture"]), ("bearer" = [])),
    responses(
        (status = 200, description = "La formation publiée.", body = OwnTrainingDetail),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `formations:ecriture`, membre sans le droit de publier ou dont l'adresse n'est pas confirmée.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune formation du centre ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Formation retirée par la modération.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn publish_training(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::TRAININGS_WRITE,
                Permission::TrainingPublish,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_TRAINING))?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            caller
                .run(&state, || async move {
                    trainings::set_status(&pool, org, id, TrainingAction::Publish).await
                })
                .await
                .map_err(|error| failure(error, NO_TRAINING, &[]))?;
            let detail = training_detail(&state, &caller, org, id).await?;
            Ok(json(StatusCode::OK, &detail))
        }
        .await,
    )
}

/// Ajoute une session à une formation du centre.
#[utoipa::path(
    post,
    path = "/api/v1/centre/formations/{id}/sessions",
    tag = "Centre",
    params(("id" = i64, Path, description = "L'identifiant de la formation.")),
    security(("oauth2" = ["formations:ecriture"]), ("oauth2_user" = ["formations:ecriture"]), ("bearer" = [])),
    request_body(content = SessionBody, content_type = "application/json"),
    responses(
        (status = 201, description = "La session créée.", body = OwnSession,
            headers(("Location" = String, description = "Son adresse dans l'API."))),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `formations:ecriture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune formation du centre ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Date invalide ou passée, fin avant le début, places hors bornes (`errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_session(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<SessionBody>, Response>,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::TRAININGS_WRITE,
                Permission::TrainingEdit,
            )
            .await?;
            let training = id_of(path).ok_or_else(|| not_found(NO_TRAINING))?;
            let ApiJson(body) = body?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            let session = caller
                .run(&state, || async move {
                    trainings::add_session(
                        &pool,
                        org,
                        training,
                        &body.starts_on,
                        &body.ends_on,
                        &body.seats.to_string(),
                    )
                    .await
                })
                .await
                .map_err(|error| failure(error, NO_TRAINING, &[]))?;
            let location = format!("/api/v1/centre/sessions/{}", session.id);
            Ok(created(&location, &OwnSession::from(session)))
        }
        .await,
    )
}

/// Modifie une session (champs donnés seulement) : les vérifications d'une
/// nouvelle session ; une session commencée garde son début.
#[utoipa::path(
    patch,
    path = "/api/v1/centre/sessions/{id}",
    tag = "Centre",
    params(("id" = i64, Path, description = "L'identifiant de la session.")),
    security(("oauth2" = ["formations:ecriture"]), ("oauth2_user" = ["formations:ecriture"]), ("bearer" = [])),
    request_body(content = SessionPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "La session modifiée.", body = OwnSession),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `formations:ecriture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune session d'une formation du centre ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Date invalide ou passée, fin avant le début, places hors bornes (`errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_session(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<SessionPatch>, Response>,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::TRAININGS_WRITE,
                Permission::TrainingEdit,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_SESSION))?;
            let ApiJson(body) = body?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            let session = caller
                .run(&state, || async move {
                    let seats = body.seats.map(|n| n.to_string());
                    trainings::update_session(
                        &pool,
                        org,
                        id,
                        body.starts_on.as_deref(),
                        body.ends_on.as_deref(),
                        seats.as_deref(),
                    )
                    .await
                })
                .await
                .map_err(|error| failure(error, NO_SESSION, &[]))?;
            Ok(json(StatusCode::OK, &OwnSession::from(session)))
        }
        .await,
    )
}

/// Supprime une session, comme le tableau de bord (les demandes qui la
/// visaient restent, sans session).
#[utoipa::path(
    delete,
    path = "/api/v1/centre/sessions/{id}",
    tag = "Centre",
    params(("id" = i64, Path, description = "L'identifiant de la session.")),
    security(("oauth2" = ["formations:ecriture"]), ("oauth2_user" = ["formations:ecriture"]), ("bearer" = [])),
    responses(
        (status = 204, description = "Session supprimée."),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `formations:ecriture`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune session d'une formation du centre ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_session(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::TRAININGS_WRITE,
                Permission::TrainingEdit,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_SESSION))?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            caller
                .run(&state, || async move {
                    trainings::delete_session(&pool, org, id).await
                })
                .await
                .map_err(|error| failure(error, NO_SESSION, &[]))?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        .await,
    )
}

/// Les demandes d'inscription reçues par le centre (`formation` : celles
/// d'une formation), comme son tableau de bord « Demandes ».
#[utoipa::path(
    get,
    path = "/api/v1/centre/inscriptions",
    tag = "Centre",
    params(("formation" = Option<i64>, Query, minimum = 1, description = "Seulement les demandes de cette formation.")),
    security(("oauth2" = ["inscriptions"]), ("oauth2_user" = ["inscriptions"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Les demandes.", body = Enrolments),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `inscriptions`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn enrolments_list(
    State(state): State<ApiState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::ENROLMENTS,
                Permission::EnrolmentReview,
            )
            .await?;
            let params = Params::parse(query.as_deref(), &["formation"])
                .map_err(IntoResponse::into_response)?;
            let training = params
                .integer("formation", 1, i64::MAX)
                .map_err(IntoResponse::into_response)?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            let requests = caller
                .run(&state, || async move {
                    enrolments::list(&pool, None, Some(org), training).await
                })
                .await
                .map_err(|error| failure(error, NO_REQUEST, &[]))?;
            let body = Enrolments {
                items: requests.into_iter().map(ReceivedEnrolment::from).collect(),
            };
            Ok(etag::json(&headers, &body))
        }
        .await,
    )
}

/// Décide d'une demande d'inscription, comme le tableau de bord : le
/// candidat en est informé par e-mail (avec le motif d'un refus).
#[utoipa::path(
    post,
    path = "/api/v1/centre/inscriptions/{id}/decision",
    tag = "Centre",
    params(("id" = i64, Path, description = "L'identifiant de la demande.")),
    security(("oauth2" = ["inscriptions"]), ("oauth2_user" = ["inscriptions"]), ("bearer" = [])),
    request_body(content = DecisionBody, content_type = "application/json"),
    responses(
        (status = 200, description = "La demande après la décision.", body = ReceivedEnrolment),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Client d'une entreprise, jeton sans la portée `inscriptions`, ou membre sans ce droit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune demande reçue par le centre ne porte cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps autre que du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Motif manquant ou trop long (`motif`), ou décision impossible depuis l'état de la demande (`decision`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn decide_enrolment(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<DecisionBody>, Response>,
) -> Response {
    done(
        async {
            let actor = centre(
                &state,
                &caller,
                tokens::ENROLMENTS,
                Permission::EnrolmentReview,
            )
            .await?;
            let id = id_of(path).ok_or_else(|| not_found(NO_REQUEST))?;
            let ApiJson(body) = body?;
            let (pool, org) = (state.pool.clone(), actor.organisation_id);
            let request = caller
                .run(&state, || async move {
                    let step = match body.decision {
                        Decision::EnEtude => "in_review",
                        Decision::Acceptee => "accepted",
                        Decision::Refusee => "refused",
                    };
                    let reason = body.motif.unwrap_or_default();
                    enrolments::review(&pool, org, id, step, &reason).await?;
                    // Just changed: the newest of the centre's list.
                    enrolments::list(&pool, None, Some(org), None)
                        .await?
                        .into_iter()
                        .find(|request| request.id == id)
                        .ok_or(AppError::NotFound)
                })
                .await
                .map_err(|error| {
                    failure(
                        error,
                        NO_REQUEST,
                        &[("status", "decision"), ("reason", "motif")],
                    )
                })?;
            Ok(json(StatusCode::OK, &ReceivedEnrolment::from(request)))
        }
        .await,
    )
}
