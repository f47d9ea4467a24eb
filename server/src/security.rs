//! Security headers, the CSP nonce, cross-site request refusal and the
//! panic page.

use crate::config::Config;
use app::app::CspNonce;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{any::Any, sync::Arc};
use tower_http::csrf::{CsrfLayer, ProtectionError};

/// The Content-Security-Policy for one response, with its nonce.
pub fn content_security_policy(nonce: &str, development: bool) -> String {
    content_security_policy_with(nonce, development, None)
}

/// [`content_security_policy`] whose forms may also lead to `form_action`
/// (a CSP source): the consent page's answer redirects to the app, and
/// browsers hold a form's redirects to `form-action` too.
pub fn content_security_policy_with(
    nonce: &str,
    development: bool,
    form_action: Option<&str>,
) -> String {
    // In development cargo-leptos' live-reload script talks to its websocket.
    let connect = if development {
        "'self' ws://localhost:3001 ws://127.0.0.1:3001"
    } else {
        "'self'"
    };
    let upgrade = if development {
        ""
    } else {
        "; upgrade-insecure-requests"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src {connect}; \
         object-src 'none'; base-uri 'self'; form-action 'self'{extra}; frame-ancestors 'none'{upgrade}",
        extra = form_action
            .map(|source| format!(" {source}"))
            .unwrap_or_default()
    )
}

/// The one CSP source a page asked its forms may also lead to (see
/// [`app::identity::oauth::FORM_ACTION_HEADER`]), taken off the response:
/// a scheme or an origin, nothing that could add a directive.
fn extra_form_action(headers: &mut axum::http::HeaderMap) -> Option<String> {
    let value = headers.remove(app::identity::oauth::FORM_ACTION_HEADER)?;
    let source = value.to_str().ok()?;
    let plain = source.len() <= 200
        && source.contains(':')
        && source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | ':' | '/'));
    plain.then(|| source.to_owned())
}

/// Gives each request a fresh nonce (read by the HTML shell) and puts the
/// security headers on every response, whichever layer made it (a CSRF
/// refusal, a 413, a timeout or the panic page get them too). A response
/// that brought its own CSP (private files) keeps it.
pub async fn headers(
    State(config): State<Arc<Config>>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let form_action = extra_form_action(headers);
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) = HeaderValue::from_str(&content_security_policy_with(
            &nonce,
            !config.is_production(),
            form_action.as_deref(),
        ))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    for (name, value) in static_headers(&config) {
        if !headers.contains_key(&name) {
            headers.insert(name, value);
        }
    }
    response
}

/// The policy of files users uploaded (CVs): nothing in them may run, load
/// or navigate, even if a browser renders one on our origin.
pub const DOWNLOAD_CSP: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

/// The fixed security headers: `(name, value)`; HSTS only outside development.
pub fn static_headers(config: &Config) -> Vec<(header::HeaderName, HeaderValue)> {
    let mut headers = vec![
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), payment=(), usb=(), geolocation=(self), interest-cohort=()",
            ),
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    if config.is_production() {
        headers.push((
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ));
    }
    headers
}

/// Refuses state-changing requests that do not come from the site itself
/// (Origin / Sec-Fetch-Site), with a French JSON error.
pub fn csrf_layer(config: &Config) -> CsrfLayer<fn(ProtectionError) -> Response> {
    let layer = CsrfLayer::new();
    let layer = match layer.clone().add_trusted_origin(config.origin()) {
        Ok(with_origin) => with_origin,
        Err(error) => {
            tracing::warn!(%error, "public base URL not usable as a trusted origin");
            layer
        }
    };
    layer.with_rejection_response(cross_site_refused as fn(ProtectionError) -> Response)
}

fn cross_site_refused(error: ProtectionError) -> Response {
    tracing::warn!(%error, "cross-site request refused");
    (
        StatusCode::FORBIDDEN,
        axum::Json(serde_json::json!({
            "error": "forbidden",
            "message": "Requête refusée : elle ne provient pas de Passerelle.",
        })),
    )
        .into_response()
}

/// A panic becomes a plain French 500 page that reveals nothing.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        SERVER_ERROR_PAGE,
    )
        .into_response()
}

const SERVER_ERROR_PAGE: &str = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Erreur · Passerelle</title></head>\
<body>\
<main><h1>Un incident est survenu</h1><p>Nous n'avons pas pu afficher cette page. Réessayez dans un instant.</p>\
<p><a href=\"/\">Revenir à l'accueil</a></p></main></body></html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_carries_the_nonce_and_forbids_framing() {
        let policy = content_security_policy("abc123", false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("ws://"));
    }

    #[test]
    fn a_page_may_let_its_forms_lead_to_one_more_source_and_nothing_else() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            app::identity::oauth::FORM_ACTION_HEADER,
            HeaderValue::from_static("http://127.0.0.1:8765"),
        );
        let source = extra_form_action(&mut headers);
        assert!(headers.is_empty(), "the header never leaves");
        let policy = content_security_policy_with("n", false, source.as_deref());
        assert!(policy.contains("form-action 'self' http://127.0.0.1:8765; frame-ancestors"));
        for trick in [
            "https://a.fr; script-src *",
            "'unsafe-inline'",
            "*",
            "data: *",
        ] {
            headers.insert(
                app::identity::oauth::FORM_ACTION_HEADER,
                HeaderValue::from_str(trick).unwrap(),
            );
            assert_eq!(extra_form_action(&mut headers), None, "{trick}");
        }
    }

    #[tokio::test]
    async fn a_panic_becomes_a_500_page_without_internals() {
        let response = panic_response(Box::new("secret: connection string postgres://x"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("Un incident est survenu"));
        assert!(html.contains("lang=\"fr\""));
        assert!(!html.contains("secret"));
        assert!(!html.contains("postgres"));
    }
}
