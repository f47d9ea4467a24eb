//! `POST /api/v1/oauth/token` and `POST /api/v1/oauth/revoke`: OAuth 2.1's
//! token endpoint and RFC 7009's revocation.
//!
//! Three grants. `client_credentials`: an organisation's API client
//! (HTTP Basic, or `client_id`/`client_secret` in the form, RFC 6749
//! §2.3.1, never both) gets a 15-minute access token ([`super::tokens`]).
//! `authorization_code`: an app a user consented to on `/oauth/autoriser`
//! exchanges its one-minute code and PKCE verifier for an access token and
//! a refresh token, opening a token family. `refresh_token`: the app spends
//! its refresh token for new ones; a spent one presented again ends the
//! family. The apps' rules and the database work are the app's
//! (`app::identity::oauth::ssr`); this module reads the form, authenticates
//! the client and signs. Errors are RFC 6749 §5.2 JSON, with a French
//! `error_description`; nothing is cached.

use super::{ApiState, tokens};
use app::identity::{
    auth::ssr::{ClientIp, RequestMeta},
    oauth::ssr::{self as apps, ActiveApp, Grant, Refusal as GrantRefusal},
};
use app::organisations::api_clients::ssr::{self as clients, Refusal};
use axum::{
    Extension, Json,
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
    /// Le jeton de rafraîchissement (`prt_…`, opaque), pour les applications
    /// agissant pour un utilisateur : il ne sert qu'une fois, la réponse en
    /// donne un nouveau. Absent pour un client d'organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Les portées accordées, séparées par des espaces.
    #[schema(example = "offres:lecture")]
    pub scope: String,
}

/// Une erreur du point de jeton (RFC 6749 §5.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`,
    /// `unauthorized_client`, `unsupported_grant_type` ou `invalid_scope`.
    #[schema(example = "invalid_grant")]
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

    fn grant(description: impl Into<String>) -> Self {
        Self::new("invalid_grant", description)
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

/// The form's parameters, each at most once (RFC 6749 §3.2), from a body
/// that must be a form.
fn read_form(headers: &HeaderMap, body: &[u8]) -> Result<Form, TokenError> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if form_type.as_deref() != Some("application/x-www-form-urlencoded") {
        return Err(TokenError::request(
            "Le corps doit être un formulaire (application/x-www-form-urlencoded).",
        ));
    }
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
    Ok(Form(params))
}

/// A form read by [`read_form`].
struct Form(Vec<(String, String)>);

impl Form {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.as_str())
    }

    /// A parameter that must be given (and not empty).
    fn required(&self, name: &str) -> Result<&str, TokenError> {
        self.get(name)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| TokenError::request(format!("Le paramètre {name} manque.")))
    }
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

/// Who the client says it is: its `client_id` and, if it gave one, its
/// secret, by HTTP Basic or the form (never both). No `client_id` at all
/// is `invalid_client`.
fn client_of(headers: &HeaderMap, form: &Form) -> Result<(String, Option<String>), TokenError> {
    let in_form = (form.get("client_id"), form.get("client_secret"));
    match (basic_credentials(headers), in_form) {
        (Some(_), (Some(_), _) | (_, Some(_))) => Err(TokenError::request(
            "Authentifiez le client d'une seule façon : HTTP Basic ou le formulaire.",
        )),
        (Some(basic), _) => basic.map(|(id, secret)| (id, Some(secret))),
        (None, (Some(id), secret)) if !id.is_empty() => {
            Ok((id.to_owned(), secret.map(str::to_owned)))
        }
        (None, _) => Err(TokenError::client()),
    }
}

/// The app the request authenticates (a public app by its `client_id`, a
/// confidential one with its secret too).
async fn app_of(state: &ApiState, headers: &HeaderMap, form: &Form) -> Result<ActiveApp, Failure> {
    let (client_id, secret) = client_of(headers, form)?;
    apps::authenticate_app(&state.pool, &client_id, secret.as_deref())
        .await
        .map_err(Failure::Internal)?
        .map_err(|why| TokenError::new("invalid_client", why).into())
}

/// Who calls, for the token family and the journal.
fn meta_of(headers: &HeaderMap, ip: Option<Extension<ClientIp>>) -> RequestMeta {
    RequestMeta {
        ip: ip
            .map(|Extension(ClientIp(ip))| ip.to_string())
            .unwrap_or_default(),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect(),
    }
}

/// Obtient des jetons (OAuth 2.1) : `client_credentials`, `authorization_code` (PKCE) ou `refresh_token`.
///
/// **Client d'une organisation** (`grant_type=client_credentials`) : il
/// s'authentifie par HTTP Basic (`client_id:client_secret`) ou par
/// `client_id` et `client_secret` dans le formulaire, jamais les deux. Sans
/// `scope`, le jeton porte toutes les portées du client.
///
/// **Application agissant pour un utilisateur** (`grant_type=authorization_code`) :
/// `code` (reçu sur l'adresse de retour après le consentement sur
/// `/oauth/autoriser`, valable une minute, une seule fois), `redirect_uri`
/// (la même que dans la demande), `code_verifier` (PKCE : 43 à 128
/// caractères dont BASE64URL(SHA256) est le `code_challenge` de la demande)
/// et `client_id` ; une application confidentielle s'authentifie en plus
/// avec son secret. La réponse porte un `refresh_token`.
///
/// **Rafraîchissement** (`grant_type=refresh_token`) : `refresh_token`,
/// `client_id` (et le secret d'une application confidentielle), `scope`
/// facultatif (un sous-ensemble des portées accordées). Chaque jeton de
/// rafraîchissement ne sert qu'une fois : la réponse en donne un nouveau ;
/// présenter un jeton déjà utilisé révoque tout l'accès (`invalid_grant`).
#[utoipa::path(
    post,
    path = "/api/v1/oauth/token",
    tag = "Jetons",
    request_body(
        content_type = "application/x-www-form-urlencoded",
        description = "`grant_type` (`client_credentials`, `authorization_code` ou `refresh_token`) et ses paramètres : `scope` ; `code`, `redirect_uri`, `code_verifier` ; `refresh_token` ; `client_id` / `client_secret` sans en-tête Basic.",
        content = String,
    ),
    responses(
        (status = 200, description = "Le jeton d'accès (15 minutes) et, pour une application agissant pour un utilisateur, le nouveau jeton de rafraîchissement.", body = TokenResponse,
            headers(("Cache-Control" = String, description = "`no-store`"))),
        (status = 400, description = "Requête invalide (`invalid_request`), code ou jeton de rafraîchissement refusé (`invalid_grant` : inconnu, expiré, déjà utilisé, d'une autre application, vérificateur PKCE faux, accès révoqué), type d'autorisation non pris en charge, portée refusée ou organisation non validée.", body = TokenError),
        (status = 401, description = "Client inconnu, secret erroné ou manquant, client révoqué (`invalid_client`).", body = TokenError,
            headers(("WWW-Authenticate" = String, description = "`Basic realm=\"passerelle-api\"`"))),
        (status = 429, description = "Quota de requêtes de l'adresse épuisé.", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn token(
    State(state): State<ApiState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let meta = meta_of(&headers, ip);
    match grant(&state, &headers, &body, &meta).await {
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
    meta: &RequestMeta,
) -> Result<TokenResponse, Failure> {
    let form = read_form(headers, body)?;
    match form.get("grant_type") {
        None | Some("") => Err(TokenError::request("Le paramètre grant_type manque.").into()),
        Some("client_credentials") => client_credentials(state, headers, &form).await,
        Some("authorization_code") => authorization_code(state, headers, &form, meta).await,
        Some("refresh_token") => refresh_token(state, headers, &form, meta).await,
        Some(_) => Err(TokenError::new(
            "unsupported_grant_type",
            "Types d'autorisation pris en charge : client_credentials, authorization_code et refresh_token.",
        )
        .into()),
    }
}

/// An organisation's client: its secret is required.
async fn client_credentials(
    state: &ApiState,
    headers: &HeaderMap,
    form: &Form,
) -> Result<TokenResponse, Failure> {
    let (client_id, Some(secret)) = client_of(headers, form)? else {
        return Err(TokenError::client().into());
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
    let scope = match form.get("scope").map(str::trim) {
        None | Some("") => client.scopes.join(" "),
        Some(asked) => app::identity::oauth::narrow(asked, &client.scopes)
            .map_err(|name| {
                TokenError::new(
                    "invalid_scope",
                    format!("La portée « {name} » n'est pas accordée à ce client."),
                )
            })?
            .join(" "),
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
        refresh_token: None,
        scope,
    })
}

/// An app's code, with its PKCE verifier.
async fn authorization_code(
    state: &ApiState,
    headers: &HeaderMap,
    form: &Form,
    meta: &RequestMeta,
) -> Result<TokenResponse, Failure> {
    let app = app_of(state, headers, form).await?;
    let code = form.required("code")?;
    let redirect_uri = form.required("redirect_uri")?;
    let verifier = form.required("code_verifier")?;
    if !apps::is_verifier(verifier) {
        return Err(TokenError::request(
            "code_verifier doit compter de 43 à 128 caractères parmi A-Z, a-z, 0-9, « - », « . », « _ » et « ~ ».",
        )
        .into());
    }
    let granted = apps::exchange_code(&state.pool, &app, code, redirect_uri, verifier, meta)
        .await
        .map_err(Failure::Internal)?;
    user_tokens(state, granted)
}

/// An app's refresh token, spent for new ones.
async fn refresh_token(
    state: &ApiState,
    headers: &HeaderMap,
    form: &Form,
    meta: &RequestMeta,
) -> Result<TokenResponse, Failure> {
    let app = app_of(state, headers, form).await?;
    let token = form.required("refresh_token")?;
    let granted = apps::refresh(&state.pool, &app, token, form.get("scope"), meta)
        .await
        .map_err(Failure::Internal)?;
    user_tokens(state, granted)
}

/// The answer to a user's grant: the access token of the family and the
/// new refresh token.
fn user_tokens(
    state: &ApiState,
    granted: Result<Grant, GrantRefusal>,
) -> Result<TokenResponse, Failure> {
    let grant = match granted {
        Ok(grant) => grant,
        Err(GrantRefusal::Grant(why)) => return Err(TokenError::grant(why).into()),
        Err(GrantRefusal::Scope(why)) => return Err(TokenError::new("invalid_scope", why).into()),
    };
    let scope = grant.scopes.join(" ");
    let access_token =
        state
            .tokens
            .issue_user(grant.user_id, grant.session_id, &scope, tokens::now());
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: tokens::LIFETIME,
        refresh_token: Some(grant.refresh_token),
        scope,
    })
}

/// Révoque l'accès d'une application à un utilisateur (RFC 7009).
///
/// `token` : un jeton de rafraîchissement ou un jeton d'accès de
/// l'application ; tout l'accès (la famille de jetons) est révoqué, comme
/// « Fermer » sur la page du compte de l'utilisateur. L'application
/// s'authentifie comme au point de jeton (`client_id`, et son secret si elle
/// est confidentielle). Un jeton inconnu, expiré ou d'une autre application
/// reçoit la même réponse 200, sans rien révoquer.
#[utoipa::path(
    post,
    path = "/api/v1/oauth/revoke",
    tag = "Jetons",
    request_body(
        content_type = "application/x-www-form-urlencoded",
        description = "`token`, `token_type_hint` facultatif (`refresh_token` ou `access_token`), et `client_id` / `client_secret` sans en-tête Basic.",
        content = String,
    ),
    responses(
        (status = 200, description = "Révoqué, ou rien à révoquer. Pas de corps.",
            headers(("Cache-Control" = String, description = "`no-store`"))),
        (status = 400, description = "Requête invalide : pas de formulaire, `token` manquant (`invalid_request`).", body = TokenError),
        (status = 401, description = "Application inconnue, secret erroné ou manquant, application révoquée (`invalid_client`).", body = TokenError,
            headers(("WWW-Authenticate" = String, description = "`Basic realm=\"passerelle-api\"`"))),
        (status = 429, description = "Quota de requêtes de l'adresse épuisé.", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn revoke(
    State(state): State<ApiState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let meta = meta_of(&headers, ip);
    let revoked = async {
        let form = read_form(&headers, &body)?;
        let token = form.required("token")?;
        let app = app_of(&state, &headers, &form).await?;
        // A JWT is an access token: its family, if the signature holds
        // (expired ones too would be refused: they end by themselves).
        let family = state
            .tokens
            .verify(token, tokens::now())
            .ok()
            .and_then(|claims| claims.user());
        let refresh = family.is_none().then_some(token);
        apps::revoke(&state.pool, &app, refresh, family, &meta)
            .await
            .map_err(Failure::Internal)
    };
    match revoked.await {
        Ok(()) => {
            let mut response = StatusCode::OK.into_response();
            no_store(response.headers_mut());
            response
        }
        Err(Failure::Token(error)) => error.into_response(),
        Err(Failure::Internal(error)) => super::problem::Problem::from(error).into_response(),
    }
}
