//! JSON request bodies of the API, read strictly: `Content-Type:
//! application/json`, 64 KiB at most, the document's shape exactly (the
//! types deny unknown fields). Anything else is a problem, never axum's
//! plain-text rejection: 415 for another media type, 413 past the limit,
//! 400 for a body that does not parse, does not fit or carries a NUL.

use super::problem::Problem;
use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::header,
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

/// The largest JSON body read: an offer's or a training's text is far less.
pub const MAX_JSON_BODY: usize = 64 * 1024;

/// A JSON body of type `T`.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(Problem::unsupported_media_type(
                "Le corps de la requête doit être du JSON (Content-Type: application/json).",
            )
            .into_response());
        }
        let request = request
            .map(|body| axum::body::Body::new(http_body_util::Limited::new(body, MAX_JSON_BODY)));
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| too_large("Le corps de la requête dépasse 64 Kio."))?;
        // PostgreSQL refuses NUL in text: refused here as the site's own
        // bodies are (`crate::input`), not found by a 500 later.
        if crate::input::body_has_nul(&bytes) {
            return Err(Problem::bad_request(crate::input::NUL_MESSAGE).into_response());
        }
        serde_json::from_slice(&bytes).map(Self).map_err(|error| {
            Problem::bad_request(format!(
                "Le corps JSON ne correspond pas au schéma attendu : {}.",
                plain(&error)
            ))
            .into_response()
        })
    }
}

/// serde's message without its position, which says nothing useful here.
fn plain(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

fn too_large(detail: &str) -> Response {
    Problem::from(app::base::error::AppError::TooLarge {
        field: String::new(),
        message: detail.to_owned(),
    })
    .into_response()
}
