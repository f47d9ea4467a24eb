//! Successful answers: JSON with a weak `ETag` (a digest of the body
//! before compression: weak because the bytes sent change with the
//! encoding CompressionLayer picks, RFC 9110 § 8.8.1), `Cache-Control`
//! for anonymous reads, and `304 Not Modified` when the caller already
//! holds that body (`If-None-Match`, compared weakly as § 13.1.2 says).

use super::problem::Problem;
use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Anonymous reads may be kept a minute by the caller and shared caches.
pub const CACHE_CONTROL: &str = "public, max-age=60";

/// `body` as JSON, or a 304 when `request`'s `If-None-Match` names it.
pub fn json<T: Serialize>(request: &HeaderMap, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => bytes_of(request, "application/json", bytes),
        Err(error) => {
            tracing::error!(%error, "public API: encoding an answer");
            Problem::from(app::base::error::AppError::Internal).into_response()
        }
    }
}

/// `bytes` of `content_type`, or a 304 when `request`'s `If-None-Match` names them.
pub fn bytes_of(request: &HeaderMap, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let tag = format!(
        "W/\"{}\"",
        URL_SAFE_NO_PAD.encode(&Sha256::digest(&bytes)[..18])
    );
    let fresh = matches(request, &tag);
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            bytes,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    response
}

/// Whether `If-None-Match` lists `tag` (or is `*`). RFC 9110 compares
/// weakly here: `W/"x"` and `"x"` match each other.
fn matches(request: &HeaderMap, tag: &str) -> bool {
    fn opaque(tag: &str) -> &str {
        tag.trim().trim_start_matches("W/")
    }
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|candidate| candidate.trim() == "*" || opaque(candidate) == opaque(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(matches(&headers, "\"b\""));
        assert!(matches(&headers, "W/\"a\""));
        assert!(matches(&headers, "W/\"b\""));
        assert!(!matches(&headers, "W/\"c\""));
        assert!(!matches(&HeaderMap::new(), "\"a\""));
    }
}
