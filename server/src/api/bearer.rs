//! Who a `Authorization: Bearer` header names: an organisation's API client,
//! or a user through an app they consented to, whose token verifies
//! ([`super::tokens`]) and who is still active. A bad token is a 401
//! problem with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750
//! §3), never an anonymous call.

use super::{ApiState, problem::Problem, tokens};
use app::{
    identity::auth::{AuthUser, ssr::api_session_user},
    organisations::{api_clients::ssr as clients, profile::OrgKind},
};
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

/// A user acting through an app, as a token proved it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiUser {
    pub user: AuthUser,
    /// The token family (`user_sessions.id`).
    pub session_id: i64,
    /// The token's scopes that the family still grants.
    pub scopes: tokens::Scopes,
}

/// Who a valid bearer token names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bearer {
    Client(ApiClient),
    User(ApiUser),
}

/// A problem of `status` (401 or 403) with its `WWW-Authenticate` challenge.
pub fn refusal(status: StatusCode, challenge: Option<&str>, detail: &str) -> Response {
    let problem = if status == StatusCode::UNAUTHORIZED {
        Problem::unauthorised(detail)
    } else {
        Problem::forbidden(detail)
    };
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

/// Who the request's bearer token names; `None` without an
/// `Authorization` header.
pub async fn bearer(parts: &Parts, state: &ApiState) -> Result<Option<Bearer>, Response> {
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
    // Verified already by the quota layer, which every route is behind.
    let verified = parts
        .extensions
        .get::<tokens::Verified>()
        .map(|v| v.0.clone());
    let claims = match verified {
        Some(claims) => claims,
        None => state.tokens.verify(token, tokens::now()).map_err(|error| {
            tracing::debug!(%error, "API token refused");
            invalid_token("Jeton d'accès invalide ou expiré : demandez-en un nouveau.")
        })?,
    };
    if let Some((user_id, session_id)) = claims.user() {
        let (user, granted) = api_session_user(&state.pool, user_id, session_id)
            .await
            .map_err(|error| Problem::from(error).into_response())?
            .ok_or_else(|| {
                invalid_token(
                    "Ce jeton n'est plus valable : l'accès a été révoqué, le mot de passe changé ou le compte suspendu.",
                )
            })?;
        let granted = tokens::Scopes::of(granted.iter().map(String::as_str));
        return Ok(Some(Bearer::User(ApiUser {
            user,
            session_id,
            scopes: tokens::Scopes::of(claims.scope.split(' ')).and(granted),
        })));
    }
    let (Some(client_id), Some(organisation)) = (claims.client_id(), claims.org) else {
        return Err(invalid_token(
            "Ce jeton ne désigne ni un client ni un utilisateur.",
        ));
    };
    let active = clients::client_for_token(&state.pool, client_id, organisation)
        .await
        .map_err(|error| Problem::from(error).into_response())?
        .ok_or_else(|| {
            invalid_token(
                "Ce jeton n'est plus valable : le client a été révoqué ou son organisation n'est plus validée.",
            )
        })?;
    let held = tokens::Scopes::of(active.scopes.iter().map(String::as_str));
    Ok(Some(Bearer::Client(ApiClient {
        id: active.id,
        organisation_id: active.organisation_id,
        kind: active.kind,
        scopes: tokens::Scopes::of(claims.scope.split(' ')).and(held),
    })))
}
