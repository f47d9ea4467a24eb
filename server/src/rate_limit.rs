//! Per-IP rate limits on the sign-in, sign-up, reset and 2FA endpoints
//! (tower_governor). Per-account delays live with sign-in in the app crate.

use app::{base::error::AppError, identity::auth::ssr::ClientIp};
use axum::{
    body::Body,
    http::{HeaderValue, Request, Response, StatusCode, header},
    response::IntoResponse,
};
use std::{net::IpAddr, sync::Arc, time::Duration};
use tower_governor::{
    GovernorError, GovernorLayer,
    governor::{GovernorConfig, GovernorConfigBuilder},
    key_extractor::KeyExtractor,
};

/// Server functions that check passwords or codes, or send e-mail, and
/// reporting an offer (open to visitors).
pub const LIMITED_ENDPOINTS: [&str; 12] = [
    "/api/connexion",
    "/api/connexion/code",
    "/api/inscription",
    "/api/mot-de-passe-oublie",
    "/api/reinitialiser",
    "/api/compte/2fa/activer",
    "/api/compte/2fa/desactiver",
    "/api/compte/mot-de-passe",
    "/api/compte/supprimer",
    "/api/compte/renvoyer-lien",
    "/api/newsletter",
    "/api/offres/signaler",
];

/// The client's address as [`crate::client_ip`] worked it out, IPv6 grouped
/// by /64; requests without one (in-process tests) share one key.
#[derive(Clone, Copy, Debug)]
pub struct ClientKey;

impl KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(crate::client_ip::rate_key(
            request
                .extensions()
                .get::<ClientIp>()
                .map_or(IpAddr::from([0, 0, 0, 0]), |client| client.0),
        ))
    }
}

/// `burst` attempts at once, then one more every `refill`.
pub fn layer(
    burst: u32,
    refill: Duration,
) -> GovernorLayer<ClientKey, governor::middleware::NoOpMiddleware, Body> {
    let config: Arc<GovernorConfig<ClientKey, _>> = Arc::new(
        GovernorConfigBuilder::default()
            .period(refill)
            .burst_size(burst.max(1))
            .key_extractor(ClientKey)
            .finish()
            .unwrap_or_else(|| unreachable!("period and burst are non-zero")),
    );
    // Forget idle addresses now and then; stops with the last router using it.
    let weak = Arc::downgrade(&config);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(60)).await;
            match weak.upgrade() {
                Some(config) => config.limiter().retain_recent(),
                None => break,
            }
        }
    });
    GovernorLayer::new(config).error_handler(too_many_requests)
}

/// A plain form post (JavaScript off) that hit the limit gets a French page
/// rather than the JSON error the hydrated forms read.
pub async fn html_for_forms(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response<Body> {
    let wants_html = crate::input::wants_html(request.headers());
    let response = next.run(request).await;
    if !wants_html || response.status() != StatusCode::TOO_MANY_REQUESTS {
        return response;
    }
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let mut page = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        TOO_MANY_PAGE,
    )
        .into_response();
    if let Some(value) = retry_after {
        page.headers_mut().insert(header::RETRY_AFTER, value);
    }
    page
}

const TOO_MANY_PAGE: &str = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Trop de tentatives · Passerelle</title></head>\
<body><main><h1>Trop de tentatives</h1><p>Par sécurité, patientez quelques minutes avant de réessayer.</p>\
<p><a href=\"/connexion\">Revenir à la connexion</a></p></main></body></html>";

/// 429 with Retry-After; the body is the app's own error, so the hydrated
/// forms show the French message.
fn too_many_requests(error: GovernorError) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            let retry_after = wait_time.max(1);
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(AppError::RateLimited { retry_after }),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        other => {
            tracing::error!(%other, "rate limiter");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
