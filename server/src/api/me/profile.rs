//! The account and the candidate's profile (`/compte` and
//! `/tableau-de-bord/profil`), and the profile's CV: one PDF, replaced by
//! each upload; applications keep the CV they were sent with.

use super::{Fields, Refusal, body_of, created, id_of, no_content, ok, refused, user_with};
use crate::api::{ApiState, Caller, body::ApiJson, problem::Problem, tokens};
use app::{
    base::error::AppError,
    candidates::{self, ProfileData, ProfileInput},
    identity::auth::{AuthUser, ssr::api_session_user},
};
use axum::{
    extract::{Path, Request, State, rejection::PathRejection},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use leptos::server_fn::codec::MultipartData;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Le compte et, pour un candidat, le profil que les recruteurs lisent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// `candidate`, `recruiter`, `centre_member`, `editor` ou `admin`.
    #[schema(example = "candidate")]
    pub role: String,
    /// L'adresse est confirmée : il le faut pour postuler, demander une
    /// inscription, envoyer un CV ou créer une alerte.
    pub email_verified: bool,
    /// Recevoir par e-mail les nouveautés utiles (les e-mails de sécurité
    /// partent toujours).
    pub contact_by_email: bool,
    /// Le profil de candidat ; null pour un compte qui ne postule pas.
    pub candidate: Option<CandidateProfile>,
}

/// Le profil de candidat, comme la page « Mon profil ».
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateProfile {
    pub headline: String,
    /// Texte simple.
    pub experience: String,
    pub skills: Vec<SkillRef>,
    /// Le CV du profil, envoyé avec chaque candidature.
    pub cv: Option<Cv>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillRef {
    pub id: i64,
    pub name: String,
}

/// Un CV (PDF).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cv {
    pub id: i64,
    /// Le nom du fichier envoyé.
    pub name: String,
    /// Jour de l'envoi (heure de Paris).
    #[schema(format = Date)]
    pub uploaded_on: String,
}

/// Les CV du profil : un au plus, comme sur le site (chaque envoi remplace le précédent).
#[derive(Debug, Serialize, ToSchema)]
pub struct CvList {
    pub items: Vec<Cv>,
}

/// Les champs à changer ; un champ absent (ou null) ne change pas.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileEdit {
    /// 2 à 80 caractères.
    pub display_name: Option<String>,
    pub contact_by_email: Option<bool>,
    /// Titre du profil, 160 caractères au plus (candidats).
    pub headline: Option<String>,
    /// 4 000 caractères au plus (candidats).
    pub experience: Option<String>,
    /// Les compétences, par identifiant : la liste remplace la précédente (candidats).
    pub skills: Option<Vec<i64>>,
}

/// L'envoi d'un CV.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CvUpload {
    /// Le CV, un PDF de 5 Mo au plus.
    #[schema(value_type = String, format = Binary)]
    pub fichier: Vec<u8>,
}

impl Cv {
    fn of(cv: candidates::CvFile) -> Self {
        Self {
            id: cv.id,
            name: cv.name,
            uploaded_on: cv.uploaded_on,
        }
    }
}

fn me_of(user: AuthUser, profile: Option<ProfileData>) -> Me {
    Me {
        candidate: profile.map(|profile| {
            let chosen = &profile.input.skills;
            CandidateProfile {
                headline: profile.input.headline,
                experience: profile.input.experience,
                skills: profile
                    .skills
                    .into_iter()
                    .filter(|skill| chosen.contains(&skill.id))
                    .map(|skill| SkillRef {
                        id: skill.id,
                        name: skill.name,
                    })
                    .collect(),
                cv: profile.cv.map(Cv::of),
            }
        }),
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role.as_db().to_owned(),
        email_verified: user.email_verified,
        contact_by_email: user.contact_by_email,
    }
}

/// The candidate profile, or `None` for an account that does not apply
/// (the site answers it 403).
async fn profile_if_candidate() -> Result<Option<ProfileData>, AppError> {
    match candidates::candidate_profile().await {
        Ok(profile) => Ok(Some(profile)),
        Err(AppError::Forbidden) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Le compte de l'utilisateur et son profil de candidat.
#[utoipa::path(
    get,
    path = "/api/v1/moi",
    tag = "Candidat",
    security(("oauth2_user" = ["profil"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Le compte et, pour un candidat, son profil.", body = Me),
    )
)]
pub async fn me(State(state): State<ApiState>, caller: Caller, headers: HeaderMap) -> Response {
    let user = match user_with(&caller, tokens::PROFILE) {
        Ok(user) => user.user.clone(),
        Err(refusal) => return refusal.into_response(),
    };
    match caller.run(&state, profile_if_candidate).await {
        Ok(profile) => ok(&headers, &me_of(user, profile)),
        Err(error) => refused(error, Fields::default()),
    }
}

/// Modifie le compte (nom, préférence de contact) et le profil de candidat,
/// avec les règles du site : rien n'est écrit si un champ est refusé.
#[utoipa::path(
    patch,
    path = "/api/v1/moi/profil",
    tag = "Candidat",
    security(("oauth2_user" = ["profil"]), ("bearer" = [])),
    request_body(content = ProfileEdit, content_type = "application/json"),
    responses(
        (status = 200, description = "Le compte et le profil modifiés.", body = Me),
        (status = 400, description = "Corps JSON illisible, champ inconnu ou d'un mauvais type.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps qui n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Champ refusé (`display_name`, `headline`, `experience`, `skills`), avec le message du site.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn edit(
    State(state): State<ApiState>,
    caller: Caller,
    body: Result<ApiJson<ProfileEdit>, Response>,
) -> Result<Response, Refusal> {
    let user = user_with(&caller, tokens::PROFILE)?.clone();
    let edit = body_of(body)?;
    let pool = state.pool.clone();
    let me = caller
        .run(&state, || async move {
            // Every field is checked before anything is written: the name
            // here, the profile's fields by the save itself.
            let name = edit
                .display_name
                .as_deref()
                .map(app::identity::auth::parse_display_name)
                .transpose()?;
            if edit.headline.is_some() || edit.experience.is_some() || edit.skills.is_some() {
                let current = candidates::candidate_profile().await?.input;
                candidates::save_candidate_profile(ProfileInput {
                    headline: edit.headline.unwrap_or(current.headline),
                    experience: edit.experience.unwrap_or(current.experience),
                    skills: edit.skills.unwrap_or(current.skills),
                })
                .await?;
            }
            if name.is_some() || edit.contact_by_email.is_some() {
                let contact = edit.contact_by_email.unwrap_or(user.user.contact_by_email);
                app::identity::account::update_profile(
                    name.unwrap_or_else(|| user.user.display_name.clone()),
                    contact.then(|| "on".to_owned()),
                )
                .await?;
            }
            // Read again: the token's user was read before the change.
            let (fresh, _) = api_session_user(&pool, user.user.id, user.session_id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            Ok(me_of(fresh, profile_if_candidate().await?))
        })
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(axum::Json(me).into_response())
}

/// The profile's CV, for a candidate.
async fn current_cv() -> Result<Option<Cv>, AppError> {
    Ok(candidates::candidate_profile().await?.cv.map(Cv::of))
}

/// Le CV du profil (aucun ou un).
#[utoipa::path(
    get,
    path = "/api/v1/moi/cv",
    tag = "Candidat",
    security(("oauth2_user" = ["profil"]), ("bearer" = [])),
    responses(
        (status = 200, description = "Le CV du profil, s'il y en a un.", body = CvList),
    )
)]
pub async fn cvs(State(state): State<ApiState>, caller: Caller, headers: HeaderMap) -> Response {
    if let Err(refusal) = user_with(&caller, tokens::PROFILE) {
        return refusal.into_response();
    }
    match caller.run(&state, current_cv).await {
        Ok(cv) => ok(
            &headers,
            &CvList {
                items: cv.into_iter().collect(),
            },
        ),
        Err(error) => refused(error, Fields::default()),
    }
}

/// Un CV du profil.
#[utoipa::path(
    get,
    path = "/api/v1/moi/cv/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["profil"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant du CV.")),
    responses(
        (status = 200, description = "Le CV.", body = Cv),
        (status = 404, description = "Ce n'est pas le CV de votre profil.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cv(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::PROFILE)?;
    let id = id_of(path)?;
    let cv = caller
        .run(&state, current_cv)
        .await
        .map_err(|error| refused(error, Fields::default()))?
        .filter(|cv| cv.id == id)
        .ok_or_else(super::not_found)?;
    Ok(ok(&headers, &cv))
}

/// Envoie le CV du profil (un PDF de 5 Mo au plus, dans la partie
/// `fichier`), comme la page « Mon profil » : il remplace le précédent.
#[utoipa::path(
    post,
    path = "/api/v1/moi/cv",
    tag = "Candidat",
    security(("oauth2_user" = ["profil"]), ("bearer" = [])),
    request_body(content = CvUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Le CV enregistré, désormais celui du profil.", body = Cv,
            headers(("Location" = String, description = "`/api/v1/moi/cv/{id}`"))),
        (status = 413, description = "Requête de plus de 10 Mo.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps qui n'est pas en `multipart/form-data`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fichier absent, trop lourd (5 Mo) ou qui n'est pas un PDF (`fichier`), ou envoi mal formé.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn upload(
    State(state): State<ApiState>,
    caller: Caller,
    request: Request,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::PROFILE)?;
    let boundary = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| multer::parse_boundary(value).ok())
        .ok_or_else(|| {
            Problem::unsupported_media_type(
                "Le CV s'envoie en multipart/form-data, dans la partie « fichier ».",
            )
            .into_response()
        })?;
    let data = MultipartData::Server(multer::Multipart::new(
        request.into_body().into_data_stream(),
        boundary,
    ));
    let cv = caller
        .run(&state, || async move {
            // The site's own upload: its guards, checks and storage.
            let id = candidates::upload_cv(data).await?;
            current_cv()
                .await?
                .filter(|cv| cv.id == id)
                .ok_or(AppError::Internal)
        })
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(created(&format!("/api/v1/moi/cv/{}", cv.id), &cv))
}

/// Retire le CV du profil ; le fichier reste lisible par les recruteurs
/// des candidatures envoyées avec lui.
#[utoipa::path(
    delete,
    path = "/api/v1/moi/cv/{id}",
    tag = "Candidat",
    security(("oauth2_user" = ["profil"]), ("bearer" = [])),
    params(("id" = i64, Path, description = "L'identifiant du CV.")),
    responses(
        (status = 204, description = "Le profil n'a plus de CV."),
        (status = 404, description = "Ce n'est pas le CV de votre profil.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn remove(
    State(state): State<ApiState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Response, Refusal> {
    user_with(&caller, tokens::PROFILE)?;
    let id = id_of(path)?;
    caller
        .run(&state, || {
            candidates::ssr::PROFILE.action(|pool, user| async move {
                let storage = app::base::media::ssr::storage()?;
                candidates::ssr::remove_cv(&pool, &storage, user.id, id).await
            })
        })
        .await
        .map_err(|error| refused(error, Fields::default()))?;
    Ok(no_content())
}
