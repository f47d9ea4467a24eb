//! The API's access tokens: JWTs signed with Ed25519 (`alg: EdDSA`, RFC
//! 8037), each naming its key by `kid`, valid 15 minutes. Signing and
//! verification are here and nowhere else.
//!
//! Verification accepts exactly one algorithm, EdDSA, with a published
//! key: `alg: none`, HMAC (an HS256 "signed" with the public key), RSA or
//! ECDSA and unknown keys are refused before anything else is read. Then
//! the issuer, the audience and the times (30 s of leeway) are checked, and
//! the client the token names must still be active (see
//! `app::organisations::api_clients::ssr::client_for_token`): revoking a
//! client or suspending its organisation ends its tokens at their next use.
//!
//! Keys come from `API_SIGNING_KEYS` (see `crate::config`): the first signs,
//! all verify and are published at `/.well-known/jwks.json`, so a new key
//! is published before it signs and an old one stays published until its
//! last tokens have expired.

use crate::config::ApiSigningKeys;
use axum::{
    Router,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::get,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The `aud` of every access token.
pub const AUDIENCE: &str = "passerelle-api";
/// Seconds an access token lives.
pub const LIFETIME: u64 = 900;
/// Seconds of clock difference allowed on `exp`, `nbf` and `iat`.
pub const LEEWAY: u64 = 30;
/// The longest token read: ours are about 400 bytes.
const MAX_TOKEN_LEN: usize = 4096;

// Scopes, as the database stores them, with what the consent page and the
// documentation say of each: the app's list (the consent page shows it too).
pub use app::identity::oauth::{
    ALERTS, APPLICATIONS, ENROLMENTS, OFFERS_READ, OFFERS_WRITE, ORGANISATION_SCOPES, PROFILE,
    RECRUITING, SAVED, SCOPES, TRAININGS_READ, TRAININGS_WRITE,
};

/// The claims of an access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// `client:<client_id>` or `user:<users.id>`
    pub sub: String,
    /// The organisation a client acts for (none in a user's token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<i64>,
    /// A user's token family (`user_sessions.id`; none in a client's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<i64>,
    /// Space-separated scopes.
    pub scope: String,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
    pub jti: String,
}

impl Claims {
    /// The `client_id` of `sub`, if it names a client.
    pub fn client_id(&self) -> Option<&str> {
        self.sub.strip_prefix("client:")
    }

    /// The user and token family of a user's token.
    pub fn user(&self) -> Option<(i64, i64)> {
        let user = self.sub.strip_prefix("user:")?.parse().ok()?;
        Some((user, self.sid?))
    }
}

/// The claims of the request's bearer token, verified once by the quota
/// layer (`super::limits`) and read again by `super::bearer`.
#[derive(Clone, Debug)]
pub struct Verified(pub Claims);

#[derive(Serialize)]
struct Header<'a> {
    alg: &'static str,
    typ: &'static str,
    kid: &'a str,
}

/// The header as a token brings it: only what is needed to refuse it.
#[derive(Deserialize)]
struct GivenHeader {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
    /// Extensions that must be understood: none is.
    #[serde(default)]
    crit: Option<serde_json::Value>,
}

/// Why a token is refused (the caller is told only "invalid_token").
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("algorithm other than EdDSA")]
    Algorithm,
    #[error("unknown key")]
    UnknownKey,
    #[error("bad signature")]
    Signature,
    #[error("wrong issuer")]
    Issuer,
    #[error("wrong audience")]
    Audience,
    #[error("expired")]
    Expired,
    #[error("not yet valid")]
    NotYetValid,
}

struct PublicKey {
    kid: String,
    bytes: Vec<u8>,
}

/// The signing key and every published key.
pub struct Keys {
    signing_kid: String,
    signing: Ed25519KeyPair,
    published: Vec<PublicKey>,
    issuer: String,
}

impl Keys {
    /// Keys from the configuration (each seed is a valid Ed25519 key); the
    /// tokens' issuer is the site's address.
    pub fn new(settings: &ApiSigningKeys, issuer: &str) -> Result<Self, ring::error::Unspecified> {
        let mut pairs = settings
            .keys()
            .iter()
            .map(|(kid, seed)| Ok((kid.clone(), Ed25519KeyPair::from_seed_unchecked(seed)?)))
            .collect::<Result<Vec<_>, ring::error::KeyRejected>>()
            .map_err(|_| ring::error::Unspecified)?;
        if pairs.is_empty() {
            return Err(ring::error::Unspecified);
        }
        let published = pairs
            .iter()
            .map(|(kid, pair)| PublicKey {
                kid: kid.clone(),
                bytes: pair.public_key().as_ref().to_vec(),
            })
            .collect();
        let (signing_kid, signing) = pairs.remove(0);
        Ok(Self {
            signing_kid,
            signing,
            published,
            issuer: issuer.to_owned(),
        })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The JSON Web Key Set of every published key (RFC 8037 §2).
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<_> = self
            .published
            .iter()
            .map(|key| {
                serde_json::json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": URL_SAFE_NO_PAD.encode(&key.bytes),
                    "kid": key.kid,
                    "use": "sig",
                    "alg": "EdDSA",
                })
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }

    /// `claims` signed with the signing key.
    pub fn sign(&self, claims: &Claims) -> String {
        let header = Header {
            alg: "EdDSA",
            typ: "JWT",
            kid: &self.signing_kid,
        };
        // Serialising these plain structs cannot fail.
        let header = serde_json::to_vec(&header).unwrap_or_default();
        let claims = serde_json::to_vec(claims).unwrap_or_default();
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let signature = self.signing.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }

    /// A new access token for `client_id` of `organisation` with `scope`,
    /// issued at `now` (Unix seconds).
    pub fn issue(&self, client_id: &str, organisation: i64, scope: &str, now: u64) -> String {
        self.sign(&Claims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: format!("client:{client_id}"),
            org: Some(organisation),
            sid: None,
            scope: scope.to_owned(),
            iat: now,
            nbf: now,
            exp: now + LIFETIME,
            jti: app::base::tokens::new_token().0,
        })
    }

    /// A new access token for `user` in the token family `session` (a
    /// `user_sessions` row of an OAuth app) with `scope`, issued at `now`.
    pub fn issue_user(&self, user: i64, session: i64, scope: &str, now: u64) -> String {
        self.sign(&Claims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: format!("user:{user}"),
            org: None,
            sid: Some(session),
            scope: scope.to_owned(),
            iat: now,
            nbf: now,
            exp: now + LIFETIME,
            jti: app::base::tokens::new_token().0,
        })
    }

    /// The claims of `token` if it is one of ours, valid at `now`.
    pub fn verify(&self, token: &str, now: u64) -> Result<Claims, TokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::Malformed);
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let decode = |part: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| TokenError::Malformed)
        };
        let given: GivenHeader =
            serde_json::from_slice(&decode(header)?).map_err(|_| TokenError::Malformed)?;
        // The algorithm is ours to choose, never the token's.
        if given.alg != "EdDSA" || given.crit.is_some() {
            return Err(TokenError::Algorithm);
        }
        let key = given
            .kid
            .and_then(|kid| self.published.iter().find(|key| key.kid == kid))
            .ok_or(TokenError::UnknownKey)?;
        let signature = decode(signature)?;
        let input = &token[..header.len() + 1 + payload.len()];
        UnparsedPublicKey::new(&ED25519, &key.bytes)
            .verify(input.as_bytes(), &signature)
            .map_err(|_| TokenError::Signature)?;
        let claims: Claims =
            serde_json::from_slice(&decode(payload)?).map_err(|_| TokenError::Malformed)?;
        if claims.iss != self.issuer {
            return Err(TokenError::Issuer);
        }
        if claims.aud != AUDIENCE {
            return Err(TokenError::Audience);
        }
        // Longer-lived than any we issue: not a token of ours.
        if claims.exp.saturating_sub(claims.iat) > LIFETIME {
            return Err(TokenError::Malformed);
        }
        if claims.iat > now.saturating_add(LEEWAY) {
            return Err(TokenError::NotYetValid);
        }
        if now >= claims.exp.saturating_add(LEEWAY) {
            return Err(TokenError::Expired);
        }
        if claims.nbf > now.saturating_add(LEEWAY) {
            return Err(TokenError::NotYetValid);
        }
        Ok(claims)
    }
}

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The scopes a caller holds, as bits (the caller stays `Copy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scopes(u16);

impl Scopes {
    /// The known scopes among `names` (unknown ones give nothing).
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self(names.into_iter().fold(0, |bits, name| {
            bits | SCOPES
                .iter()
                .position(|(known, _)| *known == name)
                .map_or(0, |bit| 1 << bit)
        }))
    }

    pub fn has(self, name: &str) -> bool {
        self.0 & Self::of([name]).0 != 0 && !name.is_empty()
    }

    pub fn and(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }
}

/// `/.well-known/jwks.json`, beside the API (never behind a session).
pub fn well_known(keys: Arc<Keys>) -> Router {
    Router::new().route(
        "/.well-known/jwks.json",
        get(move || {
            let body = keys.jwks().to_string();
            async move {
                let mut response = body.into_response();
                let headers = response.headers_mut();
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/jwk-set+json"),
                );
                // Short: a rotation is seen within five minutes.
                headers.insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=300"),
                );
                response
            }
        }),
    )
}

/// The OpenAPI document's security schemes: the OAuth 2 flows (client
/// credentials for organisations, authorisation code with PKCE for apps
/// acting for a user) and the bearer JWT they give.
pub struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            AuthorizationCode, ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2,
            Scopes as OpenApiScopes, SecurityScheme,
        };
        let organisation = OpenApiScopes::from_iter(
            SCOPES
                .iter()
                .filter(|(name, _)| ORGANISATION_SCOPES.contains(name))
                .map(|(name, says)| (*name, *says)),
        );
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new(
                    "/api/v1/oauth/token",
                    organisation,
                ))],
                "Un client de l'API, créé par le propriétaire de l'organisation sur son tableau de bord.",
            )),
        );
        // A member's token may also carry the organisation's scopes: the
        // site's permissions then decide, as on the dashboard.
        let for_users = OpenApiScopes::from_iter(SCOPES.iter().map(|(name, says)| (*name, *says)));
        components.add_security_scheme(
            "oauth2_user",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::AuthorizationCode(AuthorizationCode::new(
                    "/oauth/autoriser",
                    "/api/v1/oauth/token",
                    for_users,
                ))],
                "Une application (l'application mobile, un service tiers) agissant pour un utilisateur qui y a consenti ; PKCE (S256) obligatoire, jeton de rafraîchissement tournant.",
            )),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Le jeton de POST /api/v1/oauth/token (JWT EdDSA, 15 minutes ; clés publiques : /.well-known/jwks.json)."))
                    .build(),
            ),
        );
    }
}

/// The keys the server uses, from its configuration.
pub fn keys(config: &crate::config::Config) -> Arc<Keys> {
    static TOLD: std::sync::Once = std::sync::Once::new();
    if config.api_signing_keys.from_session_key() {
        TOLD.call_once(|| {
            tracing::warn!(
                "API_SIGNING_KEYS is not set: API tokens are signed with a development key derived from SESSION_KEY"
            )
        });
    }
    match Keys::new(&config.api_signing_keys, &config.base_url()) {
        Ok(keys) => Arc::new(keys),
        // The configuration checked every key: this cannot be reached.
        Err(_) => unreachable_keys(),
    }
}

#[cold]
fn unreachable_keys() -> ! {
    tracing::error!("API signing keys rejected after the configuration accepted them");
    std::process::exit(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(list: &[(&str, u8)]) -> Keys {
        let settings = ApiSigningKeys::from_seeds(
            list.iter()
                .map(|(kid, byte)| ((*kid).to_owned(), [*byte; 32]))
                .collect(),
        );
        Keys::new(&settings, "https://passerelle.example").expect("keys")
    }

    #[test]
    fn a_token_verifies_with_its_key_and_only_it() {
        let keys = keys_of(&[("a", 1), ("b", 2)]);
        let token = keys.issue("pc_x", 7, OFFERS_READ, 1_000_000);
        let claims = keys.verify(&token, 1_000_010).expect("valid");
        assert_eq!((claims.org, claims.client_id()), (Some(7), Some("pc_x")));
        assert_eq!(claims.user(), None);
        let user = keys.verify(&keys.issue_user(3, 11, PROFILE, 1_000_000), 1_000_010);
        assert_eq!(
            user.map(|c| (c.user(), c.client_id().is_none())),
            Ok((Some((3, 11)), true))
        );
        assert_eq!(keys.jwks()["keys"].as_array().map(Vec::len), Some(2));
        // Expired past the leeway, not before.
        assert!(
            keys.verify(&token, 1_000_000 + LIFETIME + LEEWAY - 1)
                .is_ok()
        );
        assert_eq!(
            keys.verify(&token, 1_000_000 + LIFETIME + LEEWAY),
            Err(TokenError::Expired)
        );
        // Another key set with the same kid refuses it.
        let other = keys_of(&[("a", 9)]);
        assert_eq!(other.verify(&token, 1_000_010), Err(TokenError::Signature));
    }

    #[test]
    fn scopes_are_bits_of_known_names() {
        let scopes = Scopes::of(["offres:lecture", "inconnu"]);
        assert!(scopes.has(OFFERS_READ) && !scopes.has(TRAININGS_READ) && !scopes.has(""));
        assert!(!scopes.and(Scopes::of([TRAININGS_READ])).has(OFFERS_READ));
    }
}
