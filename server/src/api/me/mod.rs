//! The signed-in user's own space, `/api/v1/moi/…`: a candidate's profile
//! and CV, applications, enrolment requests, saved offers and trainings,
//! and alerts, for an app the user consented to (a user token, see
//! [`super::bearer`]). Anyone else is a 401; a token without the route's
//! scope a 403 `insufficient_scope`.
//!
//! Each route runs the app's own server functions (or, where those read the
//! request, its data layer with the same guards) as that user: the site's
//! permissions, its "verified address first" rule, its validation and its
//! French messages apply unchanged, and so do its transactions. The app's
//! refusals become problems here ([`refused`]); answers are the user's
//! alone (`Cache-Control: private, no-store`, `Vary: Authorization`).

pub mod alerts;
pub mod applications;

pub mod enrolments;
pub mod profile;
pub mod saved;

pub use super::organisation::ThreadMessage;
use super::{
    ApiState, Caller,
    bearer::{self, ApiUser},
    dates, etag,
    problem::{PROBLEM_JSON, Problem},
};
use crate::config::Config;
use app::base::error::AppError;
use axum::{
    Router,
    body::Body,
    extract::{Path, Request, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::{get, patch, post, put},
};
use serde::Serialize;
use std::time::Duration;
use utoipa::{
    Modify,
    openapi::{ContentBuilder, HeaderBuilder, ObjectBuilder, RefOr, ResponseBuilder, Type},
};

/// The routes of `/moi`, to merge into the API's router.
pub fn routes(config: &Config) -> Router<ApiState> {
    Router::new()
        .route("/moi", get(profile::me))
        .route("/moi/profil", patch(profile::edit))
        .route(
            "/moi/cv",
            get(profile::cvs)
                .post(profile::upload)
                .layer(axum::middleware::from_fn_with_state(
                    config.upload_timeout,
                    upload_body,
                )),
        )
        .route("/moi/cv/{id}", get(profile::cv).delete(profile::remove))
        .route(
            "/moi/candidatures",
            get(applications::list).post(applications::apply),
        )
        .route("/moi/candidatures/{id}", get(applications::one))
        .route(
            "/moi/candidatures/{id}/retrait",
            post(applications::withdraw),
        )
        .route(
            "/moi/inscriptions",
            get(enrolments::list).post(enrolments::request),
        )
        .route("/moi/inscriptions/{id}", get(enrolments::one))
        .route("/moi/inscriptions/{id}/retrait", post(enrolments::withdraw))
        .route("/moi/favoris", get(saved::list))
        .route(
            "/moi/favoris/offres/{id}",
            put(saved::save_offer).delete(saved::unsave_offer),
        )
        .route(
            "/moi/favoris/formations/{id}",
            put(saved::save_training).delete(saved::unsave_training),
        )
        .route("/moi/alertes", get(alerts::list).post(alerts::create))
        .route("/moi/alertes/{id}", get(alerts::one).delete(alerts::delete))
        .layer(axum::middleware::map_response(private))
}

/// Every answer of `/moi` is one user's: kept by no cache.
async fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.append(header::VARY, HeaderValue::from_static("Authorization"));
    response
}

/// The CV upload's body, bounded as the site's uploads are (see
/// `crate::input`): the same size limit, cut even when the length lies,
/// and the same time to arrive.
async fn upload_body(State(deadline): State<Duration>, request: Request, next: Next) -> Response {
    let limit = app::base::media::UPLOAD_BODY_LIMIT;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Problem::from(AppError::TooLarge {
            field: "fichier".to_owned(),
            message: format!(
                "La requête dépasse la taille maximale de {} Mo.",
                limit.div_ceil(1024 * 1024)
            ),
        })
        .into_response();
    }
    let (parts, body) = request.into_parts();
    let body =
        tower_http::timeout::DeadlineBody::new(deadline, http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, Body::new(body))).await
}

/// The user of `caller`'s token if it holds `scope`; else the 401 (not a
/// user's token) or the 403 (`insufficient_scope`) that refuses it.
fn user_with<'a>(caller: &'a Caller, scope: &str) -> Result<&'a ApiUser, Refusal> {
    let Caller::User(user) = caller else {
        return Err(Refusal::from(bearer::refusal(
            StatusCode::UNAUTHORIZED,
            Some("Bearer realm=\"passerelle-api\""),
            "Cette route demande le jeton d'accès d'un utilisateur, obtenu par une application à laquelle il a consenti (OAuth 2.1, « authorization_code »).",
        )));
    };
    if !user.scopes.has(scope) {
        return Err(Refusal::from(bearer::refusal(
            StatusCode::FORBIDDEN,
            Some(&format!(
                "Bearer realm=\"passerelle-api\", error=\"insufficient_scope\", scope=\"{scope}\""
            )),
            &format!("Ce jeton n'a pas la portée « {scope} »."),
        )));
    }
    Ok(user)
}

/// A refusal as a handler's error: a `Response`, boxed (it is large).
pub struct Refusal(Box<Response>);

impl From<Response> for Refusal {
    fn from(response: Response) -> Self {
        Self(Box::new(response))
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// How a route names the app's fields, and which of the app's refusals on
/// a field say that the request conflicts with what is stored (a closed
/// offer, a second application: 409) rather than that it is wrong (422).
#[derive(Clone, Copy, Default)]
struct Fields {
    /// (the app's field, the API's)
    renamed: &'static [(&'static str, &'static str)],
    conflicts: &'static [&'static str],
}

/// A 403 problem, no challenge: the token is fine, the account may not.
fn forbidden(detail: &str) -> Response {
    bearer::refusal(StatusCode::FORBIDDEN, None, detail)
}

/// The app's refusal as the API's problem.
fn refused(error: AppError, fields: Fields) -> Response {
    match error {
        // The site's one use of `email`: the address is not confirmed yet
        // (`require_verified`). The token is fine; the account may not, yet.
        AppError::Invalid { field, message } if field == "email" => forbidden(&message),
        AppError::Invalid { field, message } => {
            let conflict = fields.conflicts.contains(&field.as_str());
            let field = fields
                .renamed
                .iter()
                .find(|(app, _)| *app == field)
                .map_or(field, |(_, api)| (*api).to_owned());
            let mut problem = Problem::from(AppError::Invalid { field, message });
            if conflict {
                problem.status = StatusCode::CONFLICT.as_u16();
                problem.kind = "/api/v1/docs#conflit".to_owned();
                problem.title = "Conflit".to_owned();
            }
            problem.into_response()
        }
        AppError::Forbidden | AppError::TwoFactorRequired => forbidden(&error.to_string()),
        // The token's user is signed in for the app: only a family revoked
        // meanwhile ends here.
        AppError::Unauthenticated => bearer::refusal(
            StatusCode::UNAUTHORIZED,
            Some("Bearer realm=\"passerelle-api\", error=\"invalid_token\""),
            &error.to_string(),
        ),
        other => Problem::from(other).into_response(),
    }
}

/// The `{id}` of the path; one that is no number names nothing.
fn id_of(path: Result<Path<i64>, PathRejection>) -> Result<i64, Refusal> {
    path.map(|Path(id)| id).map_err(|_| not_found().into())
}

fn not_found() -> Response {
    Problem::from(AppError::NotFound).into_response()
}

/// A JSON body read by [`super::body::ApiJson`], once the caller is known.
fn body_of<T>(body: Result<super::body::ApiJson<T>, Response>) -> Result<T, Refusal> {
    body.map(|super::body::ApiJson(body)| body)
        .map_err(Refusal::from)
}

/// A 200 with `body` (its ETag, a 304 when the caller holds it already).
fn ok<T: Serialize>(headers: &HeaderMap, body: &T) -> Response {
    etag::json(headers, body)
}

/// A 201 with `body`, the new resource at `location`.
fn created<T: Serialize>(location: &str, body: &T) -> Response {
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The messages of a thread, as the API shows them.
fn thread(messages: Vec<app::organisations::requests::Message>) -> Vec<ThreadMessage> {
    messages.into_iter().map(ThreadMessage::from).collect()
}

/// What every operation of `/moi` may answer besides its own: 401 for
/// anyone but a user's token, 403 without its scope or for an account the
/// site does not let do it; the private cache headers of its answers.
pub struct UserRoutes;

impl Modify for UserRoutes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let string = || {
            ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::SchemaType::new(Type::String))
                .build()
        };
        let header = |description: &str| {
            HeaderBuilder::new()
                .schema(string())
                .description(Some(description))
                .build()
        };
        let problem = |description: &str, challenge: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    PROBLEM_JSON,
                    ContentBuilder::new()
                        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                            "Problem",
                        ))))
                        .build(),
                )
                .header("WWW-Authenticate", header(challenge))
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path != "/api/v1/moi" && !path.starts_with("/api/v1/moi/") {
                continue;
            }
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                responses.entry("401".to_owned()).or_insert_with(|| {
                    RefOr::T(problem(
                        "Pas de jeton d'utilisateur (anonyme ou client d'une organisation), ou jeton invalide, expiré ou révoqué.",
                        "`Bearer realm=\"passerelle-api\"`, avec `error=\"invalid_token\"` pour un jeton refusé.",
                    ))
                });
                responses.entry("403".to_owned()).or_insert_with(|| {
                    RefOr::T(problem(
                        "Jeton sans la portée de la route (`insufficient_scope`), ou compte que le site ne laisse pas faire (pas candidat, adresse e-mail à confirmer).",
                        "`Bearer error=\"insufficient_scope\", scope=\"…\"` quand la portée manque.",
                    ))
                });
                for (status, response) in responses.iter_mut() {
                    if let RefOr::T(response) = response
                        && status.starts_with('2')
                    {
                        response.headers.insert(
                            "Cache-Control".to_owned(),
                            header("`private, no-store` : les données d'un seul utilisateur."),
                        );
                        response
                            .headers
                            .insert("Vary".to_owned(), header("`Authorization`."));
                    }
                }
            }
        }
    }
}
