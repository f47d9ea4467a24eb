//! What a request may carry before any handler reads it: a bounded body
//! (size and time), no NUL character (PostgreSQL refuses them in text), and,
//! for uploads, a well-formed multipart envelope. Refusals are the client's
//! fault: a 4xx with the app's French error, as JSON for API callers and as a
//! short page for browsers.

use app::base::error::AppError;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::time::Duration;
use tower_http::timeout::{DeadlineBody, TimeoutError};

/// Limits of one request's body.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    /// Bytes of an ordinary request (uploads get [`app::base::media::UPLOAD_BODY_LIMIT`]).
    pub bytes: usize,
    /// Time to receive an ordinary body, and an upload.
    pub deadline: Duration,
    pub upload_deadline: Duration,
}

pub async fn guard(State(limits): State<BodyLimits>, request: Request, next: Next) -> Response {
    let wants_html = wants_html(request.headers());
    if has_nul(request.uri().path()) || request.uri().query().is_some_and(has_nul) {
        return refuse(wants_html, StatusCode::BAD_REQUEST, NUL_MESSAGE);
    }
    let upload = app::base::media::UPLOAD_PATHS.contains(&request.uri().path());
    let limit = if upload {
        app::base::media::UPLOAD_BODY_LIMIT
    } else {
        limits.bytes
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return too_large(wants_html, upload, limit);
    }
    if upload && request.method() == Method::POST && !multipart_with_boundary(request.headers()) {
        // server_fn's multipart codec panics without a boundary.
        return refuse(
            wants_html,
            StatusCode::BAD_REQUEST,
            "Envoi de fichier mal formé : le formulaire doit être envoyé en multipart/form-data.",
        );
    }
    let (parts, body) = request.into_parts();
    // Bodies are cut at the limit even when they lie about their length or
    // have none (chunked), and must arrive in time (a byte a second is no
    // upload).
    let deadline = if upload {
        limits.upload_deadline
    } else {
        limits.deadline
    };
    let body = DeadlineBody::new(deadline, Limited::new(body, limit));
    if upload || !carries_text(&parts.headers) {
        return next.run(Request::from_parts(parts, Body::new(body))).await;
    }
    // Forms and JSON are small: read them whole, then look for NUL.
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            return too_large(wants_html, false, limit);
        }
        Err(error) if error.downcast_ref::<TimeoutError>().is_some() => {
            return refuse(
                wants_html,
                StatusCode::REQUEST_TIMEOUT,
                "La requête est arrivée trop lentement : réessayez.",
            );
        }
        Err(_) => {
            return refuse(
                wants_html,
                StatusCode::BAD_REQUEST,
                "La requête est incomplète ou mal formée.",
            );
        }
    };
    if body_has_nul(&bytes) {
        return refuse(wants_html, StatusCode::BAD_REQUEST, NUL_MESSAGE);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

pub(crate) const NUL_MESSAGE: &str = "La requête contient un caractère interdit (NUL).";

/// A raw or percent-encoded NUL.
fn has_nul(text: &str) -> bool {
    text.contains('\0') || contains_ignore_case(text.as_bytes(), b"%00")
}

/// A NUL as bytes, percent-encoded (forms) or escaped (JSON).
pub(crate) fn body_has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || contains_ignore_case(bytes, b"%00")
        || contains_ignore_case(bytes, b"\\u0000")
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// Bodies read as text by the handlers: forms and JSON (and bodies that
/// say nothing of their type, which server functions read as forms).
fn carries_text(headers: &HeaderMap) -> bool {
    match headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(content_type) => {
            let essence = content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            essence == "application/x-www-form-urlencoded"
                || essence == "application/json"
                || essence.starts_with("text/")
        }
    }
}

fn multipart_with_boundary(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|content_type| multer::parse_boundary(content_type).is_ok())
}

/// A browser navigation or a plain form post (JavaScript off): it reads an
/// error as a page, where the hydrated app's fetches read JSON.
pub(crate) fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn too_large(wants_html: bool, upload: bool, limit: usize) -> Response {
    let message = format!(
        "La requête dépasse la taille maximale de {} Mo.",
        limit.div_ceil(1024 * 1024)
    );
    if wants_html {
        return page(StatusCode::PAYLOAD_TOO_LARGE, &message);
    }
    let error = AppError::TooLarge {
        field: if upload { "fichier" } else { "" }.to_owned(),
        message,
    };
    (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(error)).into_response()
}

pub fn refuse(wants_html: bool, status: StatusCode, message: &str) -> Response {
    if wants_html {
        page(status, message)
    } else {
        (status, axum::Json(AppError::invalid("", message))).into_response()
    }
}

/// A short French page for a browser's request refused before the app.
fn page(status: StatusCode, message: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Requête refusée · Passerelle</title></head><body><main>\
         <h1>Requête refusée</h1><p>{}</p><p><a href=\"/\">Revenir à l'accueil</a></p>\
         </main></body></html>",
        html_escape(message)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_however_it_is_written() {
        assert!(has_nul("q=a%00b"));
        assert!(has_nul("/offres/a\0"));
        assert!(!has_nul("q=100%25"));
        assert!(body_has_nul(b"email=a%00@b.fr"));
        assert!(body_has_nul(b"{\"q\":\"a\\u0000\"}"));
        assert!(body_has_nul(b"a\0b"));
        assert!(!body_has_nul(b"email=a%40b.fr&n=1000"));
    }

    #[test]
    fn forms_and_json_are_read_whole_files_are_not() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().expect("header"));
            headers
        };
        assert!(carries_text(&with("application/x-www-form-urlencoded")));
        assert!(carries_text(&with("application/json; charset=utf-8")));
        assert!(carries_text(&HeaderMap::new()));
        assert!(!carries_text(&with("multipart/form-data; boundary=x")));
        assert!(multipart_with_boundary(&with(
            "multipart/form-data; boundary=x"
        )));
        assert!(!multipart_with_boundary(&with("multipart/form-data")));
        assert!(!multipart_with_boundary(&with(
            "application/x-www-form-urlencoded"
        )));
    }
}
