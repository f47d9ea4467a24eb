//! Who a `Authorization: Bearer` header names: an organisation's API client
//! whose token verifies ([`super::tokens`]) and who is still active. A bad
//! token is a 401 problem with `WWW-Authenticate: Bearer
//! error="invalid_token"` (RFC 6750 §3), never an anonymous call.

use super::{ApiState, problem::Problem, tokens};
use app::organisations::{api_clients::ssr as clients, profile::OrgKind};
use axum::{
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};

/// An organisation's API client, as a token proved it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiClient {
    /// `api_clients.id`
    pub id: i64,
    pub organisation_id: i64,
    pub kind: OrgKind,
    /// The token's scopes that the client still holds.
    pub scopes: tokens::Scopes,
}

/// A problem of `status` (401 or 403) with its `WWW-Authenticate` challenge.
pub fn refusal(status: StatusCode, challenge: Option<&str>, detail: &str) -> Response {
    let (kind, title) = if status == StatusCode::UNAUTHORIZED {
        ("non-authentifie", "Authentification requise")
    } else {
        ("interdit", "Accès refusé")
    };
    // The public constructors give the other fields their usual values.
    let mut problem = Problem::bad_request(detail);
    problem.kind = format!("/api/v1/docs#{kind}");
    problem.title = title.to_owned();
    problem.status = status.as_u16();
    let mut response = problem.into_response();
    if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(c).ok()) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

fn invalid_token(detail: &str) -> Response {
    refusal(
        StatusCode::UNAUTHORIZED,
        Some("Bearer realm=\"passerelle-api\", error=\"invalid_token\""),
        detail,
    )
}

/// The client the request's bearer token names; `None` without an
/// `Authorization` header.
pub async fn client(parts: &Parts, state: &ApiState) -> Result<Option<ApiClient>, Response> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| {
            refusal(
                StatusCode::UNAUTHORIZED,
                Some("Bearer realm=\"passerelle-api\", error=\"invalid_request\""),
                "L'en-tête Authorization doit porter un jeton : « Bearer <jeton> ».",
            )
        })?;
    let claims = state.tokens.verify(token, tokens::now()).map_err(|error| {
        tracing::debug!(%error, "API token refused");
        invalid_token("Jeton d'accès invalide ou expiré : demandez-en un nouveau.")
    })?;
    let Some(client_id) = claims.client_id() else {
        return Err(invalid_token("Ce jeton ne désigne pas un client de l'API."));
    };
    let active = clients::client_for_token(&state.pool, client_id, claims.org)
        .await
        .map_err(|error| Problem::from(error).into_response())?
        .ok_or_else(|| {
            invalid_token(
                "Ce jeton n'est plus valable : le client a été révoqué ou son organisation n'est plus validée.",
            )
        })?;
    let held = tokens::Scopes::of(active.scopes.iter().map(String::as_str));
    Ok(Some(ApiClient {
        id: active.id,
        organisation_id: active.organisation_id,
        kind: active.kind,
        scopes: tokens::Scopes::of(claims.scope.split(' ')).and(held),
    }))
}
