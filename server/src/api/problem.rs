//! Errors of the public API as RFC 9457 `application/problem+json`: a type
//! (a link to the section of the documentation page that explains it), a
//! title, the status, a French `detail` and, for bad parameters, one entry a
//! field. The app's [`AppError`] is mapped here, once.

use app::base::error::AppError;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error answer.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Une réponse d'erreur (RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    /// Le genre de problème : un lien vers son explication dans la documentation.
    #[serde(rename = "type")]
    #[schema(format = "uri-reference", example = "/api/v1/docs#requete-invalide")]
    pub kind: String,
    /// Un résumé, le même pour tous les problèmes de ce genre.
    pub title: String,
    /// Le statut HTTP, répété.
    #[schema(minimum = 400, maximum = 599, example = 400)]
    pub status: u16,
    /// Ce qui n'a pas été, cette fois-ci.
    pub detail: String,
    /// Les paramètres en cause (requêtes invalides seulement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Secondes à attendre avant de réessayer (429 seulement, comme `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub retry_after: Option<u64>,
}

/// Un paramètre en cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Le nom du paramètre (`q`, `limit`, `cursor`…), ou `""` pour la
    /// requête entière.
    pub field: String,
    /// Pourquoi.
    pub detail: String,
}

impl Problem {
    fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("/api/v1/docs#{kind}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// A parameter that cannot be read (type, range, value, encoding): 400.
    pub fn bad_parameter(field: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let mut problem = Self::new(
            StatusCode::BAD_REQUEST,
            "requete-invalide",
            "Requête invalide",
            format!("Paramètre « {field} » invalide : {detail}"),
        );
        problem.errors.push(FieldError {
            field: field.to_owned(),
            detail,
        });
        problem
    }

    /// The whole request is malformed (its address cannot be decoded).
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "requete-invalide",
            "Requête invalide",
            detail,
        )
    }

    /// No valid token where the route needs one (the caller adds the
    /// `WWW-Authenticate` challenge, see `super::bearer::refusal`).
    pub fn unauthorised(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "non-authentifie",
            "Authentification requise",
            detail,
        )
    }

    /// A valid token of a caller this route or this action is not for.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "interdit", "Accès refusé", detail)
    }

    /// A body of another media type than the route reads: 415.
    pub fn unsupported_media_type(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "type-non-pris-en-charge",
            "Type de contenu non pris en charge",
            detail,
        )
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "introuvable",
            "Ressource introuvable",
            detail,
        )
    }

    pub fn gone(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::GONE, "retiree", "Ressource retirée", detail)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "methode-non-autorisee",
            "Méthode non autorisée",
            "Cette adresse n'accepte pas cette méthode : l'en-tête Allow donne celles qu'elle accepte.",
        )
    }

    pub fn too_many_requests(retry_after: u64) -> Self {
        let mut problem = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "trop-de-requetes",
            "Trop de requêtes",
            format!("Votre quota de requêtes est épuisé : réessayez dans {retry_after} secondes."),
        );
        problem.retry_after = Some(retry_after);
        problem
    }

    /// The server is too slow or one of its services is down: 503.
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "indisponible",
            "Service indisponible",
            AppError::Unavailable.to_string(),
        )
    }

    /// A bug of ours: 500, saying nothing of it.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "erreur-interne",
            "Erreur interne",
            AppError::Internal.to_string(),
        )
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let status = error.status();
        match error {
            AppError::Invalid { field, message } => {
                let mut problem = Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "parametre-refuse",
                    "Paramètre refusé",
                    message.clone(),
                );
                problem.errors.push(FieldError {
                    field,
                    detail: message,
                });
                problem
            }
            AppError::NotFound => {
                Self::not_found("Cette ressource n'existe pas ou n'est pas publique.")
            }
            AppError::RateLimited { retry_after } => Self::too_many_requests(retry_after),
            AppError::TooLarge { message, .. } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "trop-volumineuse",
                "Requête trop volumineuse",
                message,
            ),
            AppError::Unavailable => Self::unavailable(),
            // The site's own guards, run for a user's token: the token is
            // good, the user may not (or no longer) do this.
            AppError::Unauthenticated => Self::unauthorised(error.to_string()),
            AppError::Forbidden | AppError::TwoFactorRequired => Self::forbidden(error.to_string()),
            AppError::Internal | AppError::Transport(_) => {
                // The cause stays in the log: the answer says nothing of it.
                tracing::error!(?error, %status, "public API: internal error");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        // Errors change with the data and the quota: never kept.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(seconds) = retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            headers.insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// A handler that panicked: a 500 problem (the site answers its HTML page).
pub fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "public API: handler panicked");
    Problem::internal().into_response()
}

/// Whether `path` is the API's: its errors are problems, not pages.
pub fn is_api_path(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/v1/")
}

/// `/api/v1/…` that no route serves.
pub async fn no_such_route() -> Problem {
    Problem::not_found(
        "Aucune route de l'API v1 ne correspond à cette adresse : voir /api/v1/openapi.json.",
    )
}

/// A route asked with another method than GET or HEAD.
/// axum adds the route's own `Allow` (`GET,HEAD`, `POST`…).
pub async fn wrong_method() -> Problem {
    Problem::method_not_allowed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_errors_map_to_problems_without_internals() {
        let problem = Problem::from(AppError::invalid("lieu", "Commune introuvable"));
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors[0].field, "lieu");
        let problem = Problem::from(AppError::Transport("postgres://secret".into()));
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("postgres"));
        assert_eq!(Problem::from(AppError::NotFound).status, 404);
        assert_eq!(Problem::from(AppError::Unavailable).status, 503);
    }

    #[tokio::test]
    async fn a_panic_is_a_500_problem_without_internals() {
        let response = panicked(Box::new("secret: postgres://x"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("erreur-interne"), "{body}");
        assert!(!body.contains("postgres"));
        assert!(is_api_path("/api/v1") && is_api_path("/api/v1/offres"));
        assert!(!is_api_path("/api/v10") && !is_api_path("/api/recherche"));
    }

    #[test]
    fn a_bad_parameter_names_its_field() {
        let problem = Problem::bad_parameter("limit", "entre 1 et 100");
        assert_eq!(problem.status, 400);
        assert_eq!(problem.kind, "/api/v1/docs#requete-invalide");
        let json = serde_json::to_value(&problem).unwrap_or_default();
        assert_eq!(json["errors"][0]["field"], "limit");
        assert!(json.get("retry_after").is_none());
    }
}
