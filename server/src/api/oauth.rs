//! `POST /api/v1/oauth/token`: the OAuth 2.1 client-credentials grant.
//! An organisation's API client authenticates (HTTP Basic, or
//! `client_id`/`client_secret` in the form, RFC 6749 §2.3.1, never both)
//! and gets a 15-minute access token ([`super::tokens`]). Errors are RFC
//! 6749 §5.2 JSON, with a French `error_description`; nothing is cached.

use super::{ApiState, tokens};
use app::organisations::api_clients::ssr::{self as clients, Refusal};
use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde::Serialize;
use utoipa::ToSchema;

/// The longest form read: a client's credentials and scopes are far less.
const MAX_BODY: usize = 4096;

/// Une réponse réussie du point de jeton (RFC 6749 §5.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Le jeton d'accès (JWT signé EdDSA), à envoyer en `Authorization: Bearer`.
    pub access_token: String,
    /// Toujours `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Durée de validité du jeton, en secondes.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// Les portées accordées, séparées par des espaces.
    #[schema(example = "offres:lecture")]
    pub scope: String,
}

/// Une erreur du point de jeton (RFC 6749 §5.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`,
    /// `unauthorized_client`, `unsupported_grant_type` ou `invalid_scope`.
    #[schema(example = "invalid_client")]
    pub error: &'static str,
    /// Ce qui n'a pas été, en français.
    pub error_description: String,
}

impl TokenError {
    fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            error,
            error_description: description.into(),
        }
    }

    fn request(description: impl Into<String>) -> Self {
        Self::new("invalid_request", description)
    }

    fn client() -> Self {
        Self::new(
            "invalid_client",
            "Client inconnu, secret erroné ou client révoqué.",
        )
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let status = match self.error {
            "invalid_client" => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        };
        let challenge = status == StatusCode::UNAUTHORIZED;
        let mut response = (status, Json(self)).into_response();
        let headers = response.headers_mut();
        if challenge {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"passerelle-api\", charset=\"UTF-8\""),
            );
        }
        no_store(headers);
        response
    }
}

fn no_store(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// The form's parameters, each at most once (RFC 6749 §3.2).
fn read_form(body: &[u8]) -> Result<Vec<(String, String)>, TokenError> {
    if body.len() > MAX_BODY {
        return Err(TokenError::request("La requête est trop longue."));
    }
    let mut params: Vec<(String, String)> = Vec::new();
    for (name, value) in url::form_urlencoded::parse(body) {
        if params.iter().any(|(known, _)| *known == name) {
            return Err(TokenError::request(format!(
                "Le paramètre « {name} » est donné plusieurs fois."
            )));
        }
        params.push((name.into_owned(), value.into_owned()));
    }
    Ok(params)
}

/// The client's credentials from `Authorization: Basic` (each part
/// form-encoded, RFC 6749 §2.3.1), if that header is given.
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), TokenError>> {
    let value = headers.get(header::AUTHORIZATION)?;
    let bad = || TokenError::client();
    Some((|| {
        let value = value.to_str().map_err(|_| bad())?;
        let (scheme, encoded) = value.trim().split_once(' ').ok_or_else(bad)?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(TokenError::request(
                "Authentifiez le client par HTTP Basic ou par client_id et client_secret.",
            ));
        }
        let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
        let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
        let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
        let unescape = |part: &str| {
            percent_encoding::percent_decode_str(&part.replace('+', " "))
                .decode_utf8()
                .map(|text| text.into_owned())
                .map_err(|_| bad())
        };
        Ok((unescape(id)?, unescape(secret)?))
    })())
}

/// Obtient un jeton d'accès pour un client de l'API (OAuth 2.1, « client credentials »).
///
/// Le client s'authentifie par HTTP Basic (`client_id:client_secret`) ou
/// par `client_id` et `client_secret` dans le formulaire, jamais les deux.
/// Sans `scope`, le jeton porte toutes les portées du client.
#[utoipa::path(
    post,
    path = "/api/v1/oauth/token",
    tag = "Jetons",
    request_body(
        content_type = "application/x-www-form-urlencoded",
        description = "`grant_type=client_credentials`, `scope` facultatif (portées séparées par des espaces), et `client_id` / `client_secret` sans en-tête Basic.",
        content = String,
    ),
    responses(
        (status = 200, description = "Le jeton d'accès (15 minutes).", body = TokenResponse,
            headers(("Cache-Control" = String, description = "`no-store`"))),
        (status = 400, description = "Requête invalide, type d'autorisation non pris en charge, portée refusée ou organisation non validée.", body = TokenError),
        (status = 401, description = "Client inconnu, secret erroné ou client révoqué.", body = TokenError,
            headers(("WWW-Authenticate" = String, description = "`Basic realm=\"passerelle-api\"`"))),
        (status = 429, description = "Quota de requêtes de l'adresse épuisé.", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn token(State(state): State<ApiState>, headers: HeaderMap, body: Bytes) -> Response {
    match grant(&state, &headers, &body).await {
        Ok(answer) => {
            let mut response = Json(answer).into_response();
            no_store(response.headers_mut());
            response
        }
        Err(Failure::Token(error)) => error.into_response(),
        Err(Failure::Internal(error)) => super::problem::Problem::from(error).into_response(),
    }
}

enum Failure {
    Token(TokenError),
    Internal(app::base::error::AppError),
}

impl From<TokenError> for Failure {
    fn from(error: TokenError) -> Self {
        Self::Token(error)
    }
}

async fn grant(
    state: &ApiState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<TokenResponse, Failure> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if form_type.as_deref() != Some("application/x-www-form-urlencoded") {
        return Err(TokenError::request(
            "Le corps doit être un formulaire (application/x-www-form-urlencoded).",
        )
        .into());
    }
    let params = read_form(body)?;
    let param = |name: &str| {
        params
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.as_str())
    };
    match param("grant_type") {
        None | Some("") => {
            return Err(TokenError::request("Le paramètre grant_type manque.").into());
        }
        Some("client_credentials") => {}
        Some(_) => {
            return Err(TokenError::new(
                "unsupported_grant_type",
                "Seul le type d'autorisation client_credentials est pris en charge.",
            )
            .into());
        }
    }
    let in_body = (param("client_id"), param("client_secret"));
    let (client_id, secret) = match (basic_credentials(headers), in_body) {
        (Some(_), (Some(_), _) | (_, Some(_))) => {
            return Err(TokenError::request(
                "Authentifiez le client d'une seule façon : HTTP Basic ou le formulaire.",
            )
            .into());
        }
        (Some(basic), _) => basic?,
        (None, (Some(id), Some(secret))) => (id.to_owned(), secret.to_owned()),
        (None, _) => return Err(TokenError::client().into()),
    };
    let client = match clients::authenticate(&state.pool, &client_id, &secret)
        .await
        .map_err(Failure::Internal)?
    {
        Ok(client) => client,
        Err(Refusal::BadCredentials) => return Err(TokenError::client().into()),
        Err(Refusal::OrganisationInactive) => {
            return Err(TokenError::new(
                "unauthorized_client",
                "L'organisation de ce client n'est pas validée ou est suspendue.",
            )
            .into());
        }
    };
    let scope = match param("scope").map(str::trim) {
        None | Some("") => client.scopes.join(" "),
        Some(asked) => {
            let mut granted: Vec<&str> = Vec::new();
            for name in asked.split(' ').filter(|name| !name.is_empty()) {
                if !client.scopes.iter().any(|own| own == name) {
                    return Err(TokenError::new(
                        "invalid_scope",
                        format!("La portée « {name} » n'est pas accordée à ce client."),
                    )
                    .into());
                }
                if !granted.contains(&name) {
                    granted.push(name);
                }
            }
            granted.join(" ")
        }
    };
    let access_token = state.tokens.issue(
        &client.client_id,
        client.organisation_id,
        &scope,
        tokens::now(),
    );
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: tokens::LIFETIME,
        scope,
    })
}
