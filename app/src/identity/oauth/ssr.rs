//! Server side of the apps acting for users: the registry (checked on
//! registration), the consent request's checks (the same for the page and
//! its form), the codes, and the token families with their rotating
//! refresh tokens. The token endpoint (`passerelle::api::oauth`) calls
//! [`authenticate_app`], [`exchange_code`], [`refresh`] and [`revoke`], then
//! signs the access token itself.

use super::{
    CODE_SECONDS, IDLE_DAYS, NAME_MAX, NewOAuthApp, OAuthAppInput, OAuthAppRow, REDIRECT_URIS_MAX,
    SCOPES,
    consent::{AuthorizeQuery, ConsentAsk},
};
use crate::{
    base::error::AppError,
    base::tokens::{hash_token, new_token},
    identity::auth::{
        AuthUser,
        ssr::{RequestMeta, audit, by_admin, request_meta},
    },
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// An app as registered: its name, redirect URIs and scopes checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppSpec {
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub confidential: bool,
}

impl AppSpec {
    /// The registration form, checked: each field's French message on refusal.
    pub fn parse(input: &OAuthAppInput) -> Result<Self, AppError> {
        Ok(Self {
            name: parse_name(&input.name)?,
            redirect_uris: parse_redirect_uris(&input.redirect_uris)?,
            scopes: parse_scopes(&input.scopes)?,
            confidential: input.confidential.is_some(),
        })
    }
}

/// An app's name, trimmed: 1 to 80 characters, no control character.
pub fn parse_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "name",
            "Donnez un nom à l'application (80 caractères au plus) : les utilisateurs le liront avant d'autoriser.",
        ));
    }
    Ok(name.to_owned())
}

/// Why `uri` cannot be a redirect URI, if it cannot: https; http only to a
/// loopback address (RFC 8252 §7.3, an app on the user's computer); or a
/// private-use scheme named after a domain the app's publisher holds
/// (`fr.passerelle.app:/oauth`, RFC 8252 §7.1). Never a fragment.
pub fn redirect_uri_problem(uri: &str) -> Option<String> {
    let refuse = |why: &str| Some(format!("« {uri} » : {why}"));
    if uri.len() > 500 || uri.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return refuse("adresse trop longue ou contenant des espaces.");
    }
    let Ok(parsed) = url::Url::parse(uri) else {
        return refuse("ce n'est pas une adresse complète (https://…).");
    };
    if parsed.fragment().is_some() {
        return refuse("une adresse de retour ne porte pas de fragment (#…).");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return refuse("une adresse de retour ne porte pas d'identifiants.");
    }
    match parsed.scheme() {
        "https" if parsed.host().is_some() => None,
        "http" => match parsed.host() {
            Some(url::Host::Ipv4(ip)) if ip == std::net::Ipv4Addr::LOCALHOST => None,
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => None,
            _ => refuse(
                "http n'est permis que vers 127.0.0.1 ou [::1] (une application sur l'ordinateur de l'utilisateur) ; sinon, https.",
            ),
        },
        // A private-use scheme is a reversed domain name: it holds a dot,
        // which no scheme a browser runs (javascript:, data:, file:) does.
        scheme if scheme.contains('.') => None,
        _ => refuse(
            "utilisez https, http vers 127.0.0.1, ou un schéma propre à l'application (fr.exemple.app:/retour).",
        ),
    }
}

/// The redirect URIs of the form, one per line: each valid, 1 to 10.
pub fn parse_redirect_uris(text: &str) -> Result<Vec<String>, AppError> {
    let mut uris: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(problem) = redirect_uri_problem(line) {
            return Err(AppError::invalid("redirect_uris", &problem));
        }
        if !uris.iter().any(|known| known == line) {
            uris.push(line.to_owned());
        }
    }
    if uris.is_empty() || uris.len() > REDIRECT_URIS_MAX {
        return Err(AppError::invalid(
            "redirect_uris",
            "Indiquez de 1 à 10 adresses de retour, une par ligne.",
        ));
    }
    Ok(uris)
}

/// The scopes ticked: known ones, at least one, in the list's order.
pub fn parse_scopes(ticked: &[String]) -> Result<Vec<String>, AppError> {
    if let Some(unknown) = ticked.iter().find(|s| super::scope_label(s).is_none()) {
        return Err(AppError::invalid(
            "scopes",
            &format!("Portée inconnue : « {unknown} »."),
        ));
    }
    let scopes: Vec<String> = SCOPES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| ticked.iter().any(|s| s == name))
        .map(str::to_owned)
        .collect();
    if scopes.is_empty() {
        return Err(AppError::invalid(
            "scopes",
            "Cochez au moins une portée que l'application pourra demander.",
        ));
    }
    Ok(scopes)
}

/// A new public identifier: "pa_" and 128 random bits in hexadecimal.
fn new_client_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("pa_{hex}")
}

/// Registers `spec` (by an admin, or by an operator's command when `by` is
/// `None`) and journals it. A confidential app's secret is in this answer
/// only; the database keeps its SHA-256, as for the API clients.
pub async fn create_app(
    pool: &PgPool,
    by: Option<&AuthUser>,
    spec: &AppSpec,
) -> Result<NewOAuthApp, AppError> {
    // 256 random bits; "pas_" lets secret scanners recognise a leak.
    let secret = spec.confidential.then(|| format!("pas_{}", new_token().0));
    let client_id = new_client_id();
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO oauth_apps (client_id, name, redirect_uris, scopes, secret_hash, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        client_id,
        spec.name,
        &spec.redirect_uris,
        &spec.scopes,
        secret.as_deref().map(hash_token),
        by.map(|user| user.id)
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = serde_json::json!({
        "oauth_app": id,
        "client_id": client_id,
        "name": spec.name,
        "redirect_uris": spec.redirect_uris,
        "scopes": spec.scopes,
        "confidential": spec.confidential,
    });
    let detail = match by {
        Some(admin) => by_admin(admin, change),
        None => change,
    };
    audit(
        &mut *tx,
        by.map(|user| user.id),
        "oauth_app.created",
        &request_meta(),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(NewOAuthApp {
        client_id,
        name: spec.name.clone(),
        secret,
    })
}

/// Every app, the active ones first, newest first.
pub async fn list_apps(pool: &PgPool) -> Result<Vec<OAuthAppRow>, AppError> {
    Ok(sqlx::query_as!(
        OAuthAppRow,
        r#"SELECT a.id, a.client_id, a.name, a.redirect_uris, a.scopes,
                  a.secret_hash IS NOT NULL AS "confidential!",
                  to_char(a.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created_at!",
                  u.email AS "created_by?",
                  to_char(a.revoked_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS revoked_at,
                  (SELECT count(*) FROM user_sessions s
                   WHERE s.oauth_app_id = a.id AND s.revoked_at IS NULL) AS "families!"
           FROM oauth_apps a LEFT JOIN users u ON u.id = a.created_by
           ORDER BY a.revoked_at IS NOT NULL, a.created_at DESC, a.id DESC"#
    )
    .fetch_all(pool)
    .await?)
}

/// Revokes app `id` and every token family it holds, at once: its access
/// tokens fail at their next use, its refresh tokens and codes are refused.
pub async fn revoke_app(pool: &PgPool, admin: &AuthUser, id: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let app = sqlx::query!(
        "UPDATE oauth_apps SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
         RETURNING client_id, name",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let families = sqlx::query!(
        "UPDATE user_sessions SET revoked_at = now() WHERE oauth_app_id = $1 AND revoked_at IS NULL",
        id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    audit(
        &mut *tx,
        Some(admin.id),
        "oauth_app.revoked",
        &request_meta(),
        by_admin(
            admin,
            serde_json::json!({
                "oauth_app": id,
                "client_id": app.client_id,
                "name": app.name,
                "families": families,
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `a` and `b` are equal, in a time that does not depend on where
/// they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let diff = a
        .iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y));
    a.len() == b.len() && diff == 0
}

/// An app that may exchange codes and refresh tokens: registered, not revoked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveApp {
    pub id: i64,
    pub client_id: String,
    pub name: String,
}

/// The app `client_id`, authenticated: a confidential app by its `secret`
/// (compared in constant time), a public app by nothing (PKCE protects its
/// codes) and refused if it sends one. `Err` says why, in French, for the
/// `invalid_client` answer.
pub async fn authenticate_app(
    pool: &PgPool,
    client_id: &str,
    secret: Option<&str>,
) -> Result<Result<ActiveApp, &'static str>, AppError> {
    const UNKNOWN: &str = "Application inconnue, secret erroné ou application révoquée.";
    let row = sqlx::query!(
        r#"SELECT id, client_id, name, secret_hash FROM oauth_apps
           WHERE client_id = $1 AND revoked_at IS NULL"#,
        client_id
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(Err(UNKNOWN));
    };
    match (&row.secret_hash, secret) {
        (Some(hash), Some(secret)) if constant_time_eq(hash, &hash_token(secret)) => {}
        (Some(_), Some(_)) => return Ok(Err(UNKNOWN)),
        (Some(_), None) => {
            return Ok(Err(
                "Cette application est confidentielle : authentifiez-la avec son secret (HTTP Basic ou client_secret).",
            ));
        }
        (None, Some(_)) => {
            return Ok(Err(
                "Cette application est publique : elle n'a pas de secret, PKCE la protège.",
            ));
        }
        (None, None) => {}
    }
    Ok(Ok(ActiveApp {
        id: row.id,
        client_id: row.client_id,
        name: row.name,
    }))
}

/// Whether `challenge` is a S256 PKCE challenge: BASE64URL(SHA-256), 43
/// characters without padding.
pub fn is_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `verifier` is a PKCE code verifier (RFC 7636 §4.1): 43 to 128
/// of `[A-Za-z0-9-._~]`.
pub fn is_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The S256 challenge of `verifier`: BASE64URL(SHA256(verifier)).
pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `text` as an `error_description` may carry it in a redirect (RFC 6749
/// §4.1.2.1: printable ASCII but `"` and `\`): French letters lose their
/// accents, quotes become apostrophes, anything else goes.
pub fn ascii_description(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            let plain = match c {
                'à' | 'â' | 'ä' => 'a',
                'À' | 'Â' => 'A',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'É' | 'È' | 'Ê' => 'E',
                'î' | 'ï' => 'i',
                'ô' | 'ö' => 'o',
                'ù' | 'û' | 'ü' => 'u',
                'ç' => 'c',
                'Ç' => 'C',
                '«' | '»' | '"' | '’' => '\'',
                '\u{a0}' | '\u{202f}' => ' ',
                c if c == ' ' || (c.is_ascii_graphic() && c != '\\') => c,
                _ => return None,
            };
            Some(plain)
        })
        .collect::<String>()
        .split(' ')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `redirect_uri` with `params` added to its query (a query it has is
/// kept, RFC 6749 §3.1.2).
fn with_params(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(params);
            url.to_string()
        }
        // Registered URIs all parse: this is never reached.
        Err(_) => redirect_uri.to_owned(),
    }
}

/// The app's redirect URI with an error (RFC 6749 §4.1.2.1) and its `state`.
pub fn error_redirect(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> String {
    let description = ascii_description(description);
    let mut params = vec![("error", error), ("error_description", &description)];
    if let Some(state) = state {
        params.push(("state", state));
    }
    with_params(redirect_uri, &params)
}

/// The app's redirect URI with a code and its `state`.
pub fn code_redirect(redirect_uri: &str, code: &str, state: Option<&str>) -> String {
    let mut params = vec![("code", code)];
    if let Some(state) = state {
        params.push(("state", state));
    }
    with_params(redirect_uri, &params)
}

/// The CSP `form-action` source of `redirect_uri`: its origin (`https://host`,
/// `http://127.0.0.1:8765`), or its scheme for a private-use one and for
/// `[::1]` (CSP cannot name an IPv6 host).
pub fn form_action_source(redirect_uri: &str) -> Option<String> {
    let url = url::Url::parse(redirect_uri).ok()?;
    match (url.scheme(), url.host()) {
        ("https" | "http", Some(url::Host::Ipv6(_))) => Some(format!("{}:", url.scheme())),
        ("https" | "http", Some(_)) => Some(url.origin().ascii_serialization()),
        (scheme, _) => Some(format!("{scheme}:")),
    }
}

/// What a consent request comes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Checked {
    /// A request to put to the user.
    Ask(Box<ConsentAsk>),
    /// No app or no registered redirect URI: said on the page, never sent
    /// anywhere (RFC 6749 §4.1.2.1).
    Refused(String),
    /// An error the app is told at its redirect URI (this URL).
    Redirect(String),
}

/// The longest `state` sent back to an app.
const STATE_MAX: usize = 1000;

/// Checks a consent request (`/oauth/autoriser`'s query, or the form that
/// page posts) against the registry, in the order RFC 6749 §4.1.2.1 asks:
/// the app and its redirect URI first, whose errors stay here; then the
/// rest, whose errors go back to the app.
pub async fn check(pool: &PgPool, query: &AuthorizeQuery) -> Result<Checked, AppError> {
    let given = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    let Some(client_id) = given(&query.client_id) else {
        return Ok(Checked::Refused(
            "Cette demande ne nomme aucune application (client_id manque).".to_owned(),
        ));
    };
    let app = sqlx::query!(
        "SELECT id, name, redirect_uris, scopes FROM oauth_apps WHERE client_id = $1 AND revoked_at IS NULL",
        client_id
    )
    .fetch_optional(pool)
    .await?;
    let Some(app) = app else {
        return Ok(Checked::Refused(
            "Cette application n'est pas enregistrée sur Passerelle, ou son accès a été révoqué."
                .to_owned(),
        ));
    };
    let Some(redirect_uri) =
        given(&query.redirect_uri).filter(|uri| app.redirect_uris.contains(uri))
    else {
        return Ok(Checked::Refused(format!(
            "L'adresse de retour demandée n'est pas une de celles que l'application « {} » a déclarées : par prudence, vous n'y êtes pas renvoyé.",
            app.name
        )));
    };
    let state = given(&query.state);
    let fail = |error: &str, description: &str| {
        let state = state.as_deref().filter(|s| s.len() <= STATE_MAX);
        Ok(Checked::Redirect(error_redirect(
            &redirect_uri,
            error,
            description,
            state,
        )))
    };
    if state.as_ref().is_some_and(|s| s.len() > STATE_MAX) {
        return fail("invalid_request", "Le paramètre state est trop long.");
    }
    match given(&query.response_type).as_deref() {
        Some("code") => {}
        None => return fail("invalid_request", "Le paramètre response_type manque."),
        Some(_) => {
            return fail(
                "unsupported_response_type",
                "Seul response_type=code est pris en charge.",
            );
        }
    }
    let Some(code_challenge) = given(&query.code_challenge) else {
        return fail(
            "invalid_request",
            "PKCE est obligatoire : le paramètre code_challenge manque.",
        );
    };
    if given(&query.code_challenge_method).as_deref() != Some("S256") {
        return fail(
            "invalid_request",
            "Seule la méthode PKCE S256 est acceptée (code_challenge_method=S256).",
        );
    }
    if !is_challenge(&code_challenge) {
        return fail(
            "invalid_request",
            "code_challenge doit être BASE64URL(SHA256(code_verifier)), 43 caractères.",
        );
    }
    let Some(asked) = given(&query.scope) else {
        return fail("invalid_scope", "Aucune portée demandée (scope).");
    };
    let mut scopes: Vec<String> = Vec::new();
    for name in asked.split(' ').filter(|name| !name.is_empty()) {
        if super::scope_label(name).is_none() {
            return fail("invalid_scope", &format!("Portée inconnue : {name}."));
        }
        if !app.scopes.iter().any(|allowed| allowed == name) {
            return fail(
                "invalid_scope",
                &format!("Cette application ne peut pas demander la portée {name}."),
            );
        }
        if !scopes.contains(&name.to_owned()) {
            scopes.push(name.to_owned());
        }
    }
    if scopes.is_empty() {
        return fail("invalid_scope", "Aucune portée demandée (scope).");
    }
    let form_action = form_action_source(&redirect_uri).unwrap_or_default();
    Ok(Checked::Ask(Box::new(ConsentAsk {
        app_name: app.name,
        scopes: scopes
            .iter()
            .map(|name| {
                let label = super::scope_label(name).unwrap_or_default();
                (name.clone(), label.to_owned())
            })
            .collect(),
        query: AuthorizeQuery {
            response_type: Some("code".to_owned()),
            client_id: Some(client_id),
            redirect_uri: Some(redirect_uri),
            scope: Some(scopes.join(" ")),
            state,
            code_challenge: Some(code_challenge),
            code_challenge_method: Some("S256".to_owned()),
        },
        app_id: app.id,
        form_action,
        user_email: String::new(),
    })))
}

/// A one-minute code for `user`'s consent to `request` (checked), kept
/// hashed with what it is bound to; the consent is journaled with it.
pub async fn issue_code(
    pool: &PgPool,
    user: &AuthUser,
    request: &ConsentAsk,
) -> Result<String, AppError> {
    let (code, code_hash) = new_token();
    let scopes: Vec<String> = request
        .scopes
        .iter()
        .map(|(name, _)| name.clone())
        .collect();
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO oauth_codes (code_hash, app_id, user_id, redirect_uri, code_challenge, scopes, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))",
        code_hash,
        request.app_id,
        user.id,
        request.query.redirect_uri.as_deref().unwrap_or_default(),
        request.query.code_challenge.as_deref().unwrap_or_default(),
        &scopes,
        f64::from(CODE_SECONDS)
    )
    .execute(&mut *tx)
    .await?;
    audit(
        &mut *tx,
        Some(user.id),
        "oauth.consent",
        &request_meta(),
        serde_json::json!({
            "oauth_app": request.app_id,
            "client_id": request.query.client_id,
            "name": request.app_name,
            "scopes": scopes,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// Tokens granted to an app for a user: the family, its scopes (the access
/// token's), and the new refresh token (`prt_…`, shown this once).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub user_id: i64,
    pub session_id: i64,
    pub scopes: Vec<String>,
    pub refresh_token: String,
}

/// Why no tokens were granted: `invalid_grant` or `invalid_scope`, with
/// the French description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Grant(String),
    Scope(String),
}

fn refused<T>(description: &str) -> Result<Result<T, Refusal>, AppError> {
    Ok(Err(Refusal::Grant(description.to_owned())))
}

/// A new refresh token of `family`; only its hash is kept.
async fn new_refresh_token(tx: &mut sqlx::PgConnection, family: i64) -> Result<String, AppError> {
    let token = format!("prt_{}", new_token().0);
    sqlx::query!(
        "INSERT INTO oauth_refresh_tokens (token_hash, session_id) VALUES ($1, $2)",
        hash_token(&token),
        family
    )
    .execute(&mut *tx)
    .await?;
    Ok(token)
}

/// Ends `family` (if still open) and journals why: `event` for `user`.
async fn end_family(
    tx: &mut sqlx::PgConnection,
    family: i64,
    user_id: i64,
    app_id: i64,
    event: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let ended = sqlx::query!(
        "UPDATE user_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
        family
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if ended > 0 {
        audit(
            &mut *tx,
            Some(user_id),
            event,
            meta,
            serde_json::json!({ "session": family, "oauth_app": app_id }),
        )
        .await?;
    }
    Ok(())
}

/// The `authorization_code` grant (OAuth 2.1 §4.1.3), in one transaction
/// holding the code's row: the code must be `app`'s, unused, unexpired,
/// for this `redirect_uri`, and `verifier` must be its PKCE verifier. It
/// opens a token family (a `user_sessions` row nobody's cookie can name:
/// its `token_hash` is that of a token nobody holds). A code presented
/// again ends the family it opened, whoever holds its tokens.
pub async fn exchange_code(
    pool: &PgPool,
    app: &ActiveApp,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
    meta: &RequestMeta,
) -> Result<Result<Grant, Refusal>, AppError> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"SELECT c.app_id, c.user_id, c.redirect_uri, c.code_challenge, c.scopes, c.session_id,
                  c.used_at IS NOT NULL AS "used!", c.expires_at <= now() AS "expired!",
                  u.suspended_at IS NOT NULL AS "suspended!"
           FROM oauth_codes c JOIN users u ON u.id = c.user_id
           WHERE c.code_hash = $1
           FOR UPDATE OF c"#,
        hash_token(code)
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return refused("Code d'autorisation inconnu.");
    };
    if row.app_id != app.id {
        return refused("Ce code a été délivré à une autre application.");
    }
    if row.used {
        if let Some(family) = row.session_id {
            end_family(
                &mut tx,
                family,
                row.user_id,
                app.id,
                "oauth.code_reuse",
                meta,
            )
            .await?;
        }
        tx.commit().await?;
        return refused("Ce code a déjà servi : par sécurité, l'accès qu'il a ouvert est révoqué.");
    }
    if row.expired {
        return refused("Ce code a expiré (une minute) : recommencez l'autorisation.");
    }
    if row.redirect_uri != redirect_uri {
        return refused("redirect_uri n'est pas celle de la demande d'autorisation.");
    }
    let expected = row.code_challenge.as_bytes();
    if !constant_time_eq(challenge_of(verifier).as_bytes(), expected) {
        return refused("code_verifier ne correspond pas au code_challenge de la demande.");
    }
    if row.suspended {
        return refused("Ce compte est suspendu.");
    }
    let user_agent = if meta.user_agent.is_empty() {
        app.name.clone()
    } else {
        meta.user_agent.clone()
    };
    // The family's own token is never given out: no cookie can name it.
    let family = sqlx::query_scalar!(
        "INSERT INTO user_sessions (user_id, token_hash, user_agent, ip, oauth_app_id, scopes)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        row.user_id,
        new_token().1,
        user_agent,
        meta.ip,
        app.id,
        &row.scopes
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE oauth_codes SET used_at = now(), session_id = $2 WHERE code_hash = $1",
        hash_token(code),
        family
    )
    .execute(&mut *tx)
    .await?;
    let refresh_token = new_refresh_token(&mut tx, family).await?;
    tx.commit().await?;
    Ok(Ok(Grant {
        user_id: row.user_id,
        session_id: family,
        scopes: row.scopes,
        refresh_token,
    }))
}

/// The `refresh_token` grant (OAuth 2.1 §4.3), in one transaction holding
/// the token's row: a valid token of `app` is spent and replaced, and the
/// family's last use is now. A token already spent ends its whole family
/// (it was stolen, or its holder's copy was), and is journaled. `scope`
/// may only narrow the family's.
pub async fn refresh(
    pool: &PgPool,
    app: &ActiveApp,
    token: &str,
    scope: Option<&str>,
    meta: &RequestMeta,
) -> Result<Result<Grant, Refusal>, AppError> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"SELECT t.session_id, t.used_at IS NOT NULL AS "used!", s.user_id, s.oauth_app_id, s.scopes,
                  s.revoked_at IS NOT NULL AS "revoked!",
                  s.last_seen_at < now() - make_interval(days => $2) AS "idle!",
                  u.suspended_at IS NOT NULL AS "suspended!"
           FROM oauth_refresh_tokens t
           JOIN user_sessions s ON s.id = t.session_id
           JOIN users u ON u.id = s.user_id
           WHERE t.token_hash = $1
           FOR UPDATE OF t"#,
        hash_token(token),
        IDLE_DAYS
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return refused("Jeton de rafraîchissement inconnu.");
    };
    if row.oauth_app_id != Some(app.id) {
        return refused("Ce jeton a été délivré à une autre application.");
    }
    if row.used {
        end_family(
            &mut tx,
            row.session_id,
            row.user_id,
            app.id,
            "oauth.refresh_reuse",
            meta,
        )
        .await?;
        tx.commit().await?;
        return refused(
            "Ce jeton de rafraîchissement a déjà servi : par sécurité, l'accès est révoqué ; demandez une nouvelle autorisation.",
        );
    }
    if row.revoked {
        return refused(
            "Cet accès a été révoqué (sur le compte de l'utilisateur, par un changement de mot de passe ou une suspension).",
        );
    }
    if row.idle {
        return refused("Cet accès a expiré : 30 jours sans usage.");
    }
    if row.suspended {
        return refused("Ce compte est suspendu.");
    }
    let held = row.scopes.unwrap_or_default();
    let scopes = match scope.map(str::trim).filter(|s| !s.is_empty()) {
        None => held,
        Some(asked) => match super::narrow(asked, &held) {
            Ok(scopes) => scopes,
            Err(name) => {
                return Ok(Err(Refusal::Scope(format!(
                    "La portée « {name} » n'a pas été accordée à cet accès."
                ))));
            }
        },
    };
    sqlx::query!(
        "UPDATE oauth_refresh_tokens SET used_at = now() WHERE token_hash = $1",
        hash_token(token)
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE user_sessions SET last_seen_at = now(), ip = $2 WHERE id = $1",
        row.session_id,
        meta.ip
    )
    .execute(&mut *tx)
    .await?;
    let refresh_token = new_refresh_token(&mut tx, row.session_id).await?;
    tx.commit().await?;
    Ok(Ok(Grant {
        user_id: row.user_id,
        session_id: row.session_id,
        scopes,
        refresh_token,
    }))
}

/// Revokes the family of `token` (RFC 7009) if it is `app`'s: a refresh
/// token, or the family (`user`, `session`) an access token names. Anything
/// else is quietly ignored, as the RFC asks.
pub async fn revoke(
    pool: &PgPool,
    app: &ActiveApp,
    refresh_token: Option<&str>,
    access_family: Option<(i64, i64)>,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let family = match (refresh_token, access_family) {
        (Some(token), _) => sqlx::query!(
            "SELECT s.id, s.user_id FROM oauth_refresh_tokens t JOIN user_sessions s ON s.id = t.session_id
             WHERE t.token_hash = $1 AND s.oauth_app_id = $2",
            hash_token(token),
            app.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| (row.user_id, row.id)),
        (None, Some((user, session))) => sqlx::query_scalar!(
            "SELECT id FROM user_sessions WHERE id = $1 AND user_id = $2 AND oauth_app_id = $3",
            session,
            user,
            app.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .map(|id| (user, id)),
        (None, None) => None,
    };
    if let Some((user, session)) = family {
        end_family(&mut tx, session, user, app.id, "oauth.revoked", meta).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_https_loopback_http_or_an_apps_own_scheme() {
        for good in [
            "https://partenaire.exemple.fr/oauth/retour",
            "https://partenaire.exemple.fr/retour?source=passerelle",
            "http://127.0.0.1:8765/retour",
            "http://[::1]:8765/retour",
            "fr.passerelle.app:/oauth",
            "com.exemple.mobile:/retour",
        ] {
            assert_eq!(redirect_uri_problem(good), None, "{good}");
        }
        for bad in [
            "http://partenaire.exemple.fr/retour",
            "http://localhost:8765/retour",
            "http://127.0.0.2/retour",
            "https://partenaire.exemple.fr/retour#fragment",
            "https://moi:secret@partenaire.exemple.fr/retour",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "/retour",
            "https://exemple.fr/a b",
            "",
        ] {
            assert!(redirect_uri_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(
            parse_redirect_uris("\n https://a.exemple.fr/r \nhttps://a.exemple.fr/r\n").unwrap(),
            ["https://a.exemple.fr/r"]
        );
        assert!(parse_redirect_uris("  \n").is_err());
    }

    #[test]
    fn scopes_are_known_ones_in_the_lists_order() {
        let ticked = vec!["alertes".to_owned(), "profil".to_owned()];
        assert_eq!(parse_scopes(&ticked).unwrap(), ["profil", "alertes"]);
        assert!(parse_scopes(&[]).is_err());
        assert!(parse_scopes(&["admin".to_owned()]).is_err());
    }

    #[test]
    fn pkce_s256_is_the_rfc_7636_example() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(is_verifier(verifier));
        assert_eq!(
            challenge_of(verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(is_challenge(&challenge_of(verifier)));
        assert!(!is_verifier("court"));
        assert!(!is_verifier(&"a".repeat(129)));
        assert!(!is_verifier(&format!("{}+", "a".repeat(50))));
        assert!(!is_challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-c="));
    }

    #[test]
    fn redirects_keep_the_apps_query_and_carry_ascii_descriptions() {
        let url = error_redirect(
            "https://a.exemple.fr/r?x=1",
            "invalid_scope",
            "Portée « alertes » refusée",
            Some("é t"),
        );
        assert_eq!(
            url,
            "https://a.exemple.fr/r?x=1&error=invalid_scope&error_description=Portee+%27+alertes+%27+refusee&state=%C3%A9+t"
        );
        assert_eq!(
            code_redirect("fr.passerelle.app:/oauth", "abc", None),
            "fr.passerelle.app:/oauth?code=abc"
        );
        let text = ascii_description("L'accès \"est\" révoqué\\ çà");
        assert!(
            text.bytes()
                .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'),
            "{text}"
        );
    }

    #[test]
    fn form_action_sources_are_origins_or_schemes() {
        let source = |uri| form_action_source(uri).unwrap();
        assert_eq!(
            source("http://127.0.0.1:8765/retour"),
            "http://127.0.0.1:8765"
        );
        assert_eq!(source("https://a.exemple.fr/r?x=1"), "https://a.exemple.fr");
        assert_eq!(source("http://[::1]:9/r"), "http:");
        assert_eq!(source("fr.passerelle.app:/oauth"), "fr.passerelle.app:");
    }
}
