//! Server side of accounts: sessions, tokens, the permission guard, audit.

use super::{AccountKind, AuthUser, Permission};
pub use crate::base::tokens::{hash_token, new_token};
use crate::{
    base::error::AppError,
    base::mail::ssr::{self as mail, mailer},
    base::validate::{parse_email, parse_siret},
    identity::users::{Role, check_password_policy, ssr as users},
};
use sqlx::PgPool;
use std::sync::LazyLock;
use tower_sessions::Session;

/// The session cookie carries this key; its value is a random sign-in token.
const LOGIN_KEY: &str = "login";

/// How long an e-mail verification link stays valid.
const VERIFY_HOURS: i32 = 48;

/// The client's address, worked out once per request by the server's
/// middleware (the peer, or what trusted proxies say it is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// Who is asking: kept in the audit log and the list of active sessions.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub ip: String,
    pub user_agent: String,
}

pub fn request_meta() -> RequestMeta {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return RequestMeta::default();
    };
    let ip = parts
        .extensions
        .get::<ClientIp>()
        .map(|client| client.0.to_string())
        .unwrap_or_default();
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    RequestMeta { ip, user_agent }
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|error| {
        tracing::error!(%error, "no session layer");
        AppError::Internal
    })
}

/// The session store (Redis) failed: nothing the visitor did, and likely
/// over in a moment.
fn session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::warn!(%error, "session store");
    mark_session_store_down();
    AppError::Unavailable
}

/// Remembers, for this request, that the session store could not be read.
fn mark_session_store_down() {
    if let Some(cache) = leptos::prelude::use_context::<CurrentUserCache>() {
        cache
            .store_down
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Whether this request found the session store down: a page that needs a
/// sign-in then says "try again in a moment" rather than "sign in".
pub fn session_store_down() -> bool {
    leptos::prelude::use_context::<CurrentUserCache>()
        .is_some_and(|cache| cache.store_down.load(std::sync::atomic::Ordering::Relaxed))
}

/// The journal detail of an admin's change: who did it, then `change`
/// (`before`, `after`, `reason`, the organisation…), as the back office's
/// `change_summary` reads it.
pub fn by_admin(admin: &AuthUser, change: serde_json::Value) -> serde_json::Value {
    let mut detail = serde_json::json!({ "by": admin.id, "by_email": admin.email });
    if let (Some(detail), Some(change)) = (detail.as_object_mut(), change.as_object()) {
        detail.extend(change.clone());
    }
    detail
}

/// Records a security event.
pub async fn audit<'e>(
    db: impl sqlx::PgExecutor<'e>,
    user_id: Option<i64>,
    event: &str,
    meta: &RequestMeta,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO audit_log (user_id, event, ip, user_agent, detail) VALUES ($1, $2, $3, $4, $5)",
        user_id,
        event,
        meta.ip,
        meta.user_agent,
        detail
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records an event of `user_id` in this request that needs no detail.
pub async fn audit_user_event<'e>(
    db: impl sqlx::PgExecutor<'e>,
    user_id: i64,
    event: &str,
) -> Result<(), AppError> {
    audit(
        db,
        Some(user_id),
        event,
        &request_meta(),
        serde_json::json!({}),
    )
    .await
}

/// The sign-in token this browser's session carries, if any.
async fn login_token(session: &Session) -> Result<Option<String>, AppError> {
    session
        .get::<String>(LOGIN_KEY)
        .await
        .map_err(session_error)
}

/// How long a sign-in lasts: it ends after `idle` without a request, and
/// `absolute` after the password was typed, however active.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: std::time::Duration,
    pub absolute: std::time::Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: std::time::Duration::from_secs(2 * 3600),
            absolute: std::time::Duration::from_secs(12 * 3600),
        }
    }
}

/// Session key touched when the sign-in is seen again, so that the session
/// store and the cookie get a fresh inactivity deadline.
const SEEN_KEY: &str = "seen";

/// The signed-in user, resolved once per request: a page's header and its
/// resources all ask, and one session look-up and query answers them all.
#[derive(Clone, Default)]
pub struct CurrentUserCache {
    user: std::sync::Arc<tokio::sync::OnceCell<Option<AuthUser>>>,
    store_down: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl CurrentUserCache {
    /// A request answered as nobody, whatever cookie it carries: the public
    /// API (`/api/v1`) reads no session, and the app code it calls sees an
    /// anonymous visitor without asking the session store.
    pub fn anonymous() -> Self {
        let cache = Self::default();
        // A fresh cell: setting it cannot fail.
        let _ = cache.user.set(None);
        cache
    }

    /// A request answered as `user`, proved by other means than a session
    /// (an API access token, see [`api_session_user`]).
    pub fn signed_in(user: AuthUser) -> Self {
        let cache = Self::default();
        // A fresh cell: setting it cannot fail.
        let _ = cache.user.set(Some(user));
        cache
    }
}

/// The user of an API token family (a `user_sessions` row opened by an
/// OAuth app's consent) and the scopes it grants, if the family, its app
/// and the account are all still active: revoking it on `/compte`, a
/// password change, a suspension or the app's revocation end its access
/// tokens at their next use.
pub async fn api_session_user(
    pool: &PgPool,
    user_id: i64,
    session_id: i64,
) -> Result<Option<(AuthUser, Vec<String>)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT u.id, u.email, u.display_name, u.role,
                  u.email_verified_at IS NOT NULL AS "verified!",
                  u.totp_enabled_at IS NOT NULL AS "totp_enabled!", u.must_enrol_totp, u.contact_by_email,
                  s.scopes AS "scopes!"
           FROM user_sessions s
           JOIN users u ON u.id = s.user_id
           JOIN oauth_apps a ON a.id = s.oauth_app_id
           WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL
             AND u.suspended_at IS NULL AND a.revoked_at IS NULL"#,
        session_id,
        user_id
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let role = Role::from_db(&row.role).ok_or(AppError::Internal)?;
    let user = AuthUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role,
        email_verified: row.verified,
        two_factor_enabled: row.totp_enabled,
        contact_by_email: row.contact_by_email,
        must_enrol_two_factor: !row.totp_enabled
            && (row.must_enrol_totp || role.requires_two_factor()),
    };
    Ok(Some((user, row.scopes)))
}

/// The user behind this request's session, if it is still valid.
pub async fn current_user(pool: &PgPool) -> Result<Option<AuthUser>, AppError> {
    match leptos::prelude::use_context::<CurrentUserCache>() {
        Some(cache) => cache
            .user
            .get_or_try_init(|| resolve_current_user(pool))
            .await
            .cloned(),
        None => resolve_current_user(pool).await,
    }
}

async fn resolve_current_user(pool: &PgPool) -> Result<Option<AuthUser>, AppError> {
    let session = session().await?;
    // Without the session store, the visitor is anonymous for this request
    // (public pages still render; protected ones answer 503, see below).
    let token = match login_token(&session).await {
        Ok(token) => token,
        Err(AppError::Unavailable) => return Ok(None),
        Err(error) => return Err(error),
    };
    let Some(token) = token else {
        return Ok(None);
    };
    let policy = leptos::prelude::use_context::<SessionPolicy>().unwrap_or_default();
    let row = sqlx::query!(
        r#"SELECT u.id, u.email, u.display_name, u.role,
                  u.email_verified_at IS NOT NULL AS "verified!",
                  u.totp_enabled_at IS NOT NULL AS "totp_enabled!", u.must_enrol_totp, u.contact_by_email,
                  s.id AS session_id, s.last_seen_at < now() - interval '5 minutes' AS "stale!",
                  (s.last_seen_at < now() - make_interval(secs => $2)
                   OR s.created_at < now() - make_interval(secs => $3)) AS "expired!"
           FROM user_sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND u.suspended_at IS NULL"#,
        hash_token(&token),
        policy.idle.as_secs_f64(),
        policy.absolute.as_secs_f64()
    )
    .fetch_optional(pool)
    .await?;
    let row = match row {
        Some(row) if row.expired => {
            sqlx::query!(
                "UPDATE user_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
                row.session_id
            )
            .execute(pool)
            .await?;
            None
        }
        row => row,
    };
    let Some(row) = row else {
        // Ended elsewhere ("end all sessions", password reset) or expired:
        // forget it here too.
        session
            .remove::<String>(LOGIN_KEY)
            .await
            .map_err(session_error)?;
        return Ok(None);
    };
    if row.stale {
        sqlx::query!(
            "UPDATE user_sessions SET last_seen_at = now() WHERE id = $1",
            row.session_id
        )
        .execute(pool)
        .await?;
        // A changed session is saved again: its inactivity deadline slides.
        session
            .insert(SEEN_KEY, now_secs())
            .await
            .map_err(session_error)?;
    }
    let role = Role::from_db(&row.role).ok_or(AppError::Internal)?;
    Ok(Some(AuthUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role,
        email_verified: row.verified,
        two_factor_enabled: row.totp_enabled,
        contact_by_email: row.contact_by_email,
        must_enrol_two_factor: !row.totp_enabled
            && (row.must_enrol_totp || role.requires_two_factor()),
    }))
}

/// The signed-in user, or 401; a user who must enrol a second factor gets
/// 403 everywhere but the enrolment itself.
pub async fn require_user(pool: &PgPool) -> Result<AuthUser, AppError> {
    let user = require_user_for_enrolment(pool).await?;
    if user.must_enrol_two_factor {
        return Err(AppError::TwoFactorRequired);
    }
    Ok(user)
}

/// The shape of a server function for signed-in users: the pool, the
/// check, and errors mapped once (as [`crate::base::db::with_pool`]).
pub async fn with_user<T, Fut>(body: impl FnOnce(PgPool, AuthUser) -> Fut) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    crate::base::db::with_pool(|pool| async move {
        let user = require_user(&pool).await?;
        body(pool, user).await
    })
    .await
}

/// [`with_user`] for a form's action: after `body`, a form posted without
/// JavaScript goes back to `to`.
pub async fn with_user_form<Fut>(
    to: &str,
    body: impl FnOnce(PgPool, AuthUser) -> Fut,
) -> Result<(), AppError>
where
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    with_user(|pool, user| async move {
        body(pool, user).await?;
        crate::base::forms::redirect_plain_form(to);
        Ok(())
    })
    .await
}

/// The shape of the sign-in pages' server functions: `body` with the pool
/// (as [`crate::base::db::with_pool`]), then the browser goes to `to`.
pub async fn then_redirect<Fut>(to: &str, body: impl FnOnce(PgPool) -> Fut) -> Result<(), AppError>
where
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    crate::base::db::with_pool(|pool| async move {
        body(pool).await?;
        leptos_axum::redirect(to);
        Ok(())
    })
    .await
}

/// The same for a server function that needs `permission`.
pub async fn with_permission<T, Fut>(
    permission: Permission,
    body: impl FnOnce(PgPool, AuthUser) -> Fut,
) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    crate::base::db::with_pool(|pool| async move {
        let user = require_permission(&pool, permission).await?;
        body(pool, user).await
    })
    .await
}

/// The signed-in user, even one who still has to enrol a second factor.
pub async fn require_user_for_enrolment(pool: &PgPool) -> Result<AuthUser, AppError> {
    current_user(pool).await?.ok_or_else(|| {
        if session_store_down() {
            AppError::Unavailable
        } else {
            AppError::Unauthenticated
        }
    })
}

/// Whether `role` holds `permission` (the `role_permissions` table decides).
pub async fn role_has(pool: &PgPool, role: Role, permission: Permission) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM role_permissions WHERE role = $1 AND permission = $2) AS "allowed!""#,
        role.as_db(),
        permission.name()
    )
    .fetch_one(pool)
    .await?)
}

/// The one guard: a signed-in user whose role holds `permission`, else 401 / 403.
pub async fn require_permission(
    pool: &PgPool,
    permission: Permission,
) -> Result<AuthUser, AppError> {
    let user = require_user(pool).await?;
    if role_has(pool, user.role, permission).await? {
        Ok(user)
    } else {
        tracing::info!(
            user = user.id,
            permission = permission.name(),
            "permission denied"
        );
        Err(AppError::Forbidden)
    }
}

/// The guard for organisation-scoped actions: the permission, and
/// membership of that very organisation (a recruiter edits only their own company).
pub async fn require_organisation_permission(
    pool: &PgPool,
    permission: Permission,
    organisation_id: i64,
) -> Result<AuthUser, AppError> {
    let user = require_permission(pool, permission).await?;
    let member = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND organisation_id = $2) AS "member!""#,
        user.id,
        organisation_id
    )
    .fetch_one(pool)
    .await?;
    if member {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A verified address is needed to apply, enrol or publish.
pub fn require_verified(user: &AuthUser) -> Result<(), AppError> {
    if user.email_verified {
        Ok(())
    } else {
        Err(AppError::invalid(
            "email",
            "Confirmez d'abord votre adresse e-mail avec le lien reçu à l'inscription. \
             Lien perdu ou expiré ? Demandez-en un autre dans « Mon compte ».",
        ))
    }
}

pub struct SignUpForm {
    pub kind: Result<AccountKind, AppError>,
    pub display_name: String,
    pub email: String,
    pub password: String,
    pub organisation_name: String,
    pub siret: String,
}

/// A hash to verify against when the address is unknown, so that sign-in and
/// sign-up take the same time whether or not an account exists.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    use argon2::{
        Argon2, PasswordHasher,
        password_hash::{SaltString, rand_core::OsRng},
    };
    Argon2::default()
        .hash_password(
            b"no account has this password",
            &SaltString::generate(&mut OsRng),
        )
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// The dummy hash, made on the blocking pool the first time (argon2 takes
/// tens of milliseconds: not on an async worker).
async fn dummy_hash() -> Result<String, AppError> {
    tokio::task::spawn_blocking(|| DUMMY_HASH.clone())
        .await
        .map_err(|_| AppError::Internal)
}

/// Creates the account (and its pending organisation) and sends the
/// verification e-mail. An address already registered gets an e-mail
/// instead, and the caller sees exactly the same answer.
pub async fn sign_up(pool: &PgPool, form: SignUpForm) -> Result<(), AppError> {
    let kind = form.kind?;
    let display_name = super::parse_display_name(&form.display_name)?;
    let email = parse_email(&form.email)?;
    users::check_new_password(&form.password, &email, &display_name)?;
    let organisation = match kind {
        AccountKind::Candidat => None,
        AccountKind::Centre | AccountKind::Entreprise => {
            let name = form.organisation_name.trim();
            if name.chars().count() < 2 {
                return Err(AppError::invalid(
                    "organisation_name",
                    "Indiquez le nom de votre organisation.",
                ));
            }
            Some((name.to_owned(), parse_siret(&form.siret)?))
        }
    };
    let meta = request_meta();
    let base = crate::base::site::use_site();

    if let Some(existing) =
        sqlx::query!("SELECT id, display_name FROM users WHERE email = $1", email)
            .fetch_optional(pool)
            .await?
    {
        // Same cost as a real sign-up, then tell the owner by e-mail.
        let _ = users::verify_password(form.password, dummy_hash().await?).await;
        audit_user_event(pool, existing.id, "sign_up.existing_address").await?;
        mailer()?
            .send(
                &email,
                mail::already_registered(&existing.display_name, &base.url("/connexion")),
            )
            .await?;
        return Ok(());
    }

    let hash = users::hash_password(form.password).await?;
    let mut tx = pool.begin().await?;
    let user_id = sqlx::query_scalar!(
        "INSERT INTO users (email, display_name, password_hash, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING RETURNING id",
        email,
        display_name,
        hash,
        kind.role().as_db()
    )
    .fetch_optional(&mut *tx)
    .await?
    // Lost a race with a sign-up for the same address: answer as for any existing one.
    .ok_or(AppError::invalid(
        "email",
        "Un compte existe déjà avec cette adresse.",
    ))?;
    if let Some((name, siret)) = organisation {
        let kind_db = if kind == AccountKind::Centre {
            "centre"
        } else {
            "entreprise"
        };
        let organisation_id = sqlx::query_scalar!(
            "INSERT INTO organisations (kind, name, siret) VALUES ($1, $2, $3)
             ON CONFLICT (siret) DO NOTHING RETURNING id",
            kind_db,
            name,
            siret
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::invalid(
            "siret",
            "Cette organisation est déjà inscrite : demandez une invitation à son responsable.",
        ))?;
        sqlx::query!(
            "INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, 'owner')",
            user_id,
            organisation_id
        )
        .execute(&mut *tx)
        .await?;
    }
    let token = verification_token(&mut *tx, user_id).await?;
    audit(
        &mut *tx,
        Some(user_id),
        "sign_up",
        &meta,
        serde_json::json!({ "kind": kind_name(kind) }),
    )
    .await?;
    tx.commit().await?;

    mail_verification(&email, &display_name, &token).await
}

/// The address-confirmation e-mail carrying `token`'s link.
async fn mail_verification(email: &str, name: &str, token: &str) -> Result<(), AppError> {
    let link = crate::base::site::use_site().url(&format!("/verifier-email?jeton={token}"));
    mailer()?.send(email, mail::verify_email(name, &link)).await
}

/// A new address-confirmation token of `user_id`, valid `VERIFY_HOURS`.
async fn verification_token<'e>(
    db: impl sqlx::PgExecutor<'e>,
    user_id: i64,
) -> Result<String, AppError> {
    let (token, token_hash) = new_token();
    sqlx::query!(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at)
         VALUES ($1, $2, 'verify_email', now() + make_interval(hours => $3))",
        token_hash,
        user_id,
        VERIFY_HOURS
    )
    .execute(db)
    .await?;
    Ok(token)
}

/// E-mails account `user_id` a new address-confirmation link (earlier links
/// stay valid until they expire). `false` when the address is already
/// confirmed: nothing to send.
pub async fn send_verification_again(pool: &PgPool, user_id: i64) -> Result<bool, AppError> {
    let Some(user) = sqlx::query!(
        "SELECT email, display_name FROM users WHERE id = $1 AND email_verified_at IS NULL",
        user_id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(false);
    };
    let token = verification_token(pool, user_id).await?;
    mail_verification(&user.email, &user.display_name, &token).await?;
    Ok(true)
}

/// Minutes before a signed-in person may ask for another confirmation link,
/// and links an account may be sent in a day.
const RESEND_AFTER_MINUTES: i32 = 2;
const LINKS_PER_DAY: i64 = 5;

/// E-mails `user` a new address-confirmation link ("renvoyer le lien"):
/// refused once the address is confirmed, within minutes of the last link
/// (a click repeated in a hurry) and past a few a day (an inbox flooded
/// through an account opened with someone else's address).
pub async fn resend_my_verification(pool: &PgPool, user: &AuthUser) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    // The account's row, locked: a second request waits here, and its next
    // statement sees the link the first one wrote.
    let account = sqlx::query!(
        "SELECT email, display_name FROM users
         WHERE id = $1 AND email_verified_at IS NULL FOR UPDATE",
        user.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::invalid("email", "Votre adresse e-mail est déjà confirmée."))?;
    let sent = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE created_at > now() - make_interval(mins => $2)) AS "recent!",
                  count(*) AS "today!"
           FROM email_tokens
           WHERE user_id = $1 AND purpose = 'verify_email' AND created_at > now() - interval '1 day'"#,
        user.id,
        RESEND_AFTER_MINUTES
    )
    .fetch_one(&mut *tx)
    .await?;
    if sent.recent > 0 {
        return Err(AppError::invalid(
            "email",
            "Un lien vient de vous être envoyé : regardez dans votre boîte de réception et \
             dans vos courriers indésirables. Vous pourrez en demander un autre d'ici deux minutes.",
        ));
    }
    if sent.today >= LINKS_PER_DAY {
        return Err(AppError::invalid(
            "email",
            "Plusieurs liens vous ont été envoyés aujourd'hui : utilisez le plus récent, \
             ou réessayez demain.",
        ));
    }
    let token = verification_token(&mut *tx, user.id).await?;
    tx.commit().await?;
    let mailed = mail_verification(&account.email, &account.display_name, &token).await;
    if mailed.is_err() {
        // Nothing left: the next request may send one at once.
        sqlx::query!(
            "DELETE FROM email_tokens WHERE token_hash = $1",
            hash_token(&token)
        )
        .execute(pool)
        .await?;
    }
    mailed
}

fn kind_name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Candidat => "candidat",
        AccountKind::Centre => "centre",
        AccountKind::Entreprise => "entreprise",
    }
}

const BAD_CREDENTIALS: &str = "E-mail ou mot de passe incorrect.";
const SUSPENDED: &str =
    "Ce compte est suspendu. Écrivez-nous si vous pensez qu'il s'agit d'une erreur.";

/// Where a correct password leads.
#[derive(Debug, PartialEq, Eq)]
pub enum SignInOutcome {
    SignedIn,
    /// Signed in, but only the TOTP enrolment is open until it is done.
    MustEnrolTwoFactor,
    /// The password was right; a TOTP or recovery code comes next.
    SecondFactorNeeded,
}

/// Session keys of a sign-in waiting for its second factor.
const PENDING_USER: &str = "pending_2fa_user";
const PENDING_SINCE: &str = "pending_2fa_since";
const PENDING_TRIES: &str = "pending_2fa_tries";
/// Time allowed to type the code, and tries allowed, before starting over.
const PENDING_SECS: i64 = 300;
const PENDING_MAX_TRIES: i64 = 5;

/// Checks the password. Without a second factor the session opens now (with
/// a new id: no fixation); with one, the session only remembers who is halfway.
pub async fn sign_in(
    pool: &PgPool,
    email: &str,
    password: &str,
) -> Result<SignInOutcome, AppError> {
    let meta = request_meta();
    let email = email.trim().to_lowercase();
    // Keyed by address whether or not it has an account: no enumeration.
    let failure_key = hash_token(&format!("sign-in:{email}"));
    throttle(pool, &failure_key).await?;
    let user = sqlx::query!(
        r#"SELECT id, password_hash, role, must_enrol_totp, totp_enabled_at IS NOT NULL AS "totp!",
                  suspended_at IS NOT NULL AS "suspended!"
           FROM users WHERE email = $1"#,
        email
    )
    .fetch_optional(pool)
    .await?;
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash().await?,
    };
    let valid = users::verify_password(password.to_owned(), hash).await?;
    let known = user.as_ref().map(|u| u.id);
    let Some(user) = user.filter(|_| valid) else {
        record_failure(pool, &failure_key).await?;
        audit(pool, known, "sign_in.failure", &meta, serde_json::json!({})).await?;
        return Err(AppError::invalid("password", BAD_CREDENTIALS));
    };
    clear_failures(pool, &failure_key).await?;
    // Only the right password learns that the account is suspended.
    if user.suspended {
        audit(
            pool,
            Some(user.id),
            "sign_in.suspended",
            &meta,
            serde_json::json!({}),
        )
        .await?;
        return Err(AppError::invalid("password", SUSPENDED));
    }
    // Hashes made with older parameters are brought up to date now that we have the password.
    if users::needs_rehash(&user.password_hash) {
        let upgraded = users::hash_password(password.to_owned()).await?;
        sqlx::query!(
            "UPDATE users SET password_hash = $1 WHERE id = $2",
            upgraded,
            user.id
        )
        .execute(pool)
        .await?;
    }
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    if user.totp {
        session
            .insert(PENDING_USER, user.id)
            .await
            .map_err(session_error)?;
        session
            .insert(PENDING_SINCE, now_secs())
            .await
            .map_err(session_error)?;
        session
            .insert(PENDING_TRIES, 0_i64)
            .await
            .map_err(session_error)?;
        audit_user_event(pool, user.id, "sign_in.password_ok").await?;
        return Ok(SignInOutcome::SecondFactorNeeded);
    }
    open_session(pool, &session, user.id, &meta).await?;
    let must_enrol =
        user.must_enrol_totp || Role::from_db(&user.role).is_some_and(Role::requires_two_factor);
    Ok(if must_enrol {
        SignInOutcome::MustEnrolTwoFactor
    } else {
        SignInOutcome::SignedIn
    })
}

/// [`confirm_password`] for a form whose field is `password`.
pub async fn confirm_password_field(
    pool: &PgPool,
    user_id: i64,
    password: String,
) -> Result<(), AppError> {
    confirm_password(
        pool,
        user_id,
        password,
        "password",
        "Mot de passe incorrect.",
    )
    .await
}

/// Checks the signed-in user's password before a sensitive change (new
/// password, second factor, deletion); a wrong one is an error on `field`.
/// Failures count per account with the same growing delays as sign-in, so a
/// stolen session cannot be used to guess the password.
pub async fn confirm_password(
    pool: &PgPool,
    user_id: i64,
    password: String,
    field: &str,
    message: &str,
) -> Result<(), AppError> {
    let key = hash_token(&format!("confirm:{user_id}"));
    throttle(pool, &key).await?;
    if users::password_matches(pool, user_id, password).await? {
        clear_failures(pool, &key).await
    } else {
        record_failure(pool, &key).await?;
        audit_user_event(pool, user_id, "password.confirm_failure").await?;
        Err(AppError::invalid(field, message))
    }
}

async fn record_failure(pool: &PgPool, key: &[u8]) -> Result<(), AppError> {
    sqlx::query!("INSERT INTO auth_failures (key) VALUES ($1)", key)
        .execute(pool)
        .await?;
    Ok(())
}

async fn clear_failures(pool: &PgPool, key: &[u8]) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM auth_failures WHERE key = $1", key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Failures tolerated before delays start, and the longest delay.
const FREE_FAILURES: i64 = 3;
const MAX_DELAY_SECS: i64 = 900;

/// The wait imposed after `failures` recent failures: 1 s, 2 s, 4 s… up to 15 min.
pub fn failure_delay_secs(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let exponent = u32::try_from(failures - FREE_FAILURES)
        .unwrap_or(u32::MAX)
        .min(10);
    (1_i64 << exponent).min(MAX_DELAY_SECS)
}

/// Refuses the attempt while the delay earned by recent failures runs.
async fn throttle(pool: &PgPool, key: &[u8]) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "failures!",
                  coalesce(extract(epoch FROM now() - max(at)), 0)::bigint AS "elapsed!"
           FROM auth_failures WHERE key = $1 AND at > now() - interval '15 minutes'"#,
        key
    )
    .fetch_one(pool)
    .await?;
    let wait = failure_delay_secs(row.failures) - row.elapsed;
    if wait > 0 {
        return Err(AppError::RateLimited {
            retry_after: u64::try_from(wait).unwrap_or(1),
        });
    }
    Ok(())
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The user halfway through a sign-in (password checked, code expected).
pub async fn pending_second_factor() -> Result<Option<i64>, AppError> {
    let session = session().await?;
    let user = session
        .get::<i64>(PENDING_USER)
        .await
        .map_err(session_error)?;
    let since = session
        .get::<i64>(PENDING_SINCE)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    let tries = session
        .get::<i64>(PENDING_TRIES)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    if now_secs() - since > PENDING_SECS || tries >= PENDING_MAX_TRIES {
        return Ok(None);
    }
    Ok(user)
}

/// Finishes a sign-in with a TOTP code or a recovery code.
pub async fn sign_in_second_factor(pool: &PgPool, code: &str) -> Result<(), AppError> {
    let meta = request_meta();
    let session = session().await?;
    let Some(user_id) = pending_second_factor().await? else {
        return Err(AppError::invalid(
            "code",
            "Délai dépassé ou trop d'essais : reprenez la connexion depuis le début.",
        ));
    };
    if !check_code_throttled(pool, user_id, code, &meta).await? {
        let tries = session
            .get::<i64>(PENDING_TRIES)
            .await
            .map_err(session_error)?
            .unwrap_or(0);
        session
            .insert(PENDING_TRIES, tries + 1)
            .await
            .map_err(session_error)?;
        audit(
            pool,
            Some(user_id),
            "two_factor.failure",
            &meta,
            serde_json::json!({}),
        )
        .await?;
        return Err(AppError::invalid("code", "Code incorrect ou déjà utilisé."));
    }
    for key in [PENDING_USER, PENDING_SINCE, PENDING_TRIES] {
        session.remove_value(key).await.map_err(session_error)?;
    }
    // Suspended between the password and the code.
    let suspended = sqlx::query_scalar!(
        r#"SELECT suspended_at IS NOT NULL AS "suspended!" FROM users WHERE id = $1"#,
        user_id
    )
    .fetch_one(pool)
    .await?;
    if suspended {
        audit(
            pool,
            Some(user_id),
            "sign_in.suspended",
            &meta,
            serde_json::json!({}),
        )
        .await?;
        return Err(AppError::invalid("code", SUSPENDED));
    }
    // Privilege changes: a new session id again.
    session.cycle_id().await.map_err(session_error)?;
    open_session(pool, &session, user_id, &meta).await
}

/// [`super::two_factor::ssr::check_code`] with the failure count and
/// growing delays of sign-in, per account: a new session per try does not
/// reset them (second step of sign-in, step-up of sensitive actions).
pub async fn check_code_throttled(
    pool: &PgPool,
    user_id: i64,
    code: &str,
    meta: &RequestMeta,
) -> Result<bool, AppError> {
    let failure_key = hash_token(&format!("2fa:{user_id}"));
    throttle(pool, &failure_key).await?;
    if super::two_factor::ssr::check_code(pool, user_id, code, meta).await? {
        clear_failures(pool, &failure_key).await?;
        Ok(true)
    } else {
        record_failure(pool, &failure_key).await?;
        Ok(false)
    }
}

/// Keeps `value` in the session for the next page only: what a plain form
/// (JavaScript off) made and must show once, without putting it in a URL
/// (recovery codes, an API client's secret).
pub async fn stash_once<T: serde::Serialize + Sync>(key: &str, value: &T) -> Result<(), AppError> {
    session()
        .await?
        .insert(key, value)
        .await
        .map_err(session_error)
}

/// Hands what [`stash_once`] kept under `key` over, once.
pub async fn take_once<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, AppError> {
    session()
        .await?
        .remove::<T>(key)
        .await
        .map_err(session_error)
}

const FRESH_CODES: &str = "fresh_recovery_codes";

/// Keeps just-made recovery codes for the next page (forms without JavaScript).
pub async fn stash_recovery_codes(codes: &[String]) -> Result<(), AppError> {
    stash_once(FRESH_CODES, &codes).await
}

/// Hands the stashed recovery codes over once.
pub async fn take_recovery_codes() -> Result<Vec<String>, AppError> {
    Ok(take_once(FRESH_CODES).await?.unwrap_or_default())
}

/// Records a signed-in browser and puts its token in the session.
async fn open_session(
    pool: &PgPool,
    session: &Session,
    user_id: i64,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let (token, token_hash) = new_token();
    sqlx::query!(
        "INSERT INTO user_sessions (user_id, token_hash, user_agent, ip) VALUES ($1, $2, $3, $4)",
        user_id,
        token_hash,
        meta.user_agent,
        meta.ip
    )
    .execute(pool)
    .await?;
    session
        .insert(LOGIN_KEY, token)
        .await
        .map_err(session_error)?;
    audit(
        pool,
        Some(user_id),
        "sign_in.success",
        meta,
        serde_json::json!({}),
    )
    .await
}

/// Ends this browser's session, in Redis and in the list of active sessions.
pub async fn sign_out(pool: &PgPool) -> Result<(), AppError> {
    let session = session().await?;
    if let Some(token) = session
        .get::<String>(LOGIN_KEY)
        .await
        .map_err(session_error)?
    {
        let user_id = sqlx::query_scalar!(
            "UPDATE user_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id",
            hash_token(&token)
        )
        .fetch_optional(pool)
        .await?;
        audit(
            pool,
            user_id,
            "sign_out",
            &request_meta(),
            serde_json::json!({}),
        )
        .await?;
    }
    session.flush().await.map_err(session_error)
}

/// How long a password-reset link stays valid.
const RESET_MINUTES: i32 = 60;

/// Sends a reset link if the address has an account. The caller always sees
/// the same answer at the same speed: the look-up, the link and the e-mail
/// all happen after the answer, in the background.
pub async fn forgot_password(pool: &PgPool, email: &str) -> Result<(), AppError> {
    let email = parse_email(email)?;
    let meta = request_meta();
    let site = crate::base::site::use_site();
    let mailer = mailer()?;
    let pool = pool.clone();
    mail::after_answer("password reset", async move {
        if let Err(error) = send_reset_link(&pool, &mailer, &site, &email, &meta).await {
            tracing::warn!(?error, "password reset e-mail");
        }
    });
    Ok(())
}

async fn send_reset_link(
    pool: &PgPool,
    mailer: &mail::Mailer,
    site: &crate::base::site::Site,
    email: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let Some(user) = sqlx::query!("SELECT id, display_name FROM users WHERE email = $1", email)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(());
    };
    let (token, token_hash) = new_token();
    let mut tx = pool.begin().await?;
    // A new link replaces any earlier one.
    sqlx::query!(
        "WITH replaced AS (
             UPDATE email_tokens SET used_at = now()
              WHERE user_id = $2 AND purpose = 'reset_password' AND used_at IS NULL
         )
         INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at)
         VALUES ($1, $2, 'reset_password', now() + make_interval(mins => $3))",
        token_hash,
        user.id,
        RESET_MINUTES
    )
    .execute(&mut *tx)
    .await?;
    audit(
        &mut *tx,
        Some(user.id),
        "password.reset_requested",
        meta,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    let link = site.url(&format!("/reinitialiser?jeton={token}"));
    mailer
        .send(email, mail::reset_password(&user.display_name, &link))
        .await
}

/// Sets a new password from a reset link and ends every session of the account.
pub async fn reset_password(pool: &PgPool, token: &str, password: String) -> Result<(), AppError> {
    check_password_policy(&password)?;
    let expired = || {
        AppError::invalid(
            "password",
            "Ce lien n'est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau.",
        )
    };
    // The link's owner, for the checks against their address and name; the
    // link itself is spent below, in the transaction.
    let owner = sqlx::query!(
        "SELECT u.email, u.display_name FROM email_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.purpose = 'reset_password' AND t.used_at IS NULL
           AND t.expires_at > now()",
        hash_token(token)
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(expired)?;
    users::check_new_password(&password, &owner.email, &owner.display_name)?;
    let hash = users::hash_password(password).await?;
    let mut tx = pool.begin().await?;
    let user_id = sqlx::query_scalar!(
        "UPDATE email_tokens SET used_at = now()
         WHERE token_hash = $1 AND purpose = 'reset_password' AND used_at IS NULL AND expires_at > now()
         RETURNING user_id",
        hash_token(token)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(expired)?;
    replace_password(&mut tx, user_id, &hash, None).await?;
    audit_user_event(&mut *tx, user_id, "password.reset").await?;
    tx.commit().await?;
    Ok(())
}

/// The id of this browser's row in `user_sessions`, if signed in.
pub async fn current_session_id(pool: &PgPool) -> Result<Option<i64>, AppError> {
    let Some(token) = login_token(&session().await?).await? else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar!(
        "SELECT id FROM user_sessions WHERE token_hash = $1 AND revoked_at IS NULL",
        hash_token(&token)
    )
    .fetch_optional(pool)
    .await?)
}

/// Changes the password after checking the current one; other sessions end.
pub async fn change_password(
    pool: &PgPool,
    user: &AuthUser,
    current: String,
    new: String,
) -> Result<(), AppError> {
    users::check_new_password(&new, &user.email, &user.display_name)?;
    confirm_password(
        pool,
        user.id,
        current,
        "current_password",
        "Mot de passe actuel incorrect.",
    )
    .await?;
    let hash = users::hash_password(new).await?;
    let keep = current_session_id(pool).await?;
    let mut tx = pool.begin().await?;
    replace_password(&mut tx, user.id, &hash, keep).await?;
    audit_user_event(&mut *tx, user.id, "password.changed").await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a new password hash and ends the account's sessions but `keep`:
/// whoever knew the old password must sign in again.
async fn replace_password(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    hash: &str,
    keep: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE users SET password_hash = $1, updated_at = now() WHERE id = $2",
        hash,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    end_sessions(&mut *tx, user_id, keep).await
}

/// Ends every session of `user_id` but `keep` (all of them when `None`).
pub async fn end_sessions<'e>(
    db: impl sqlx::PgExecutor<'e>,
    user_id: i64,
    keep: Option<i64>,
) -> Result<(), AppError> {
    // `id IS DISTINCT FROM NULL` holds for every row: `None` keeps none.
    sqlx::query!(
        "UPDATE user_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2",
        user_id,
        keep
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A new session id for the same sign-in, after a privilege change
/// (second factor enabled, password changed): an id seen before is worthless.
pub async fn rotate_session() -> Result<(), AppError> {
    session().await?.cycle_id().await.map_err(session_error)
}

/// Drops this browser's session entirely (after the account is gone).
pub async fn forget_session() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}

/// Consumes a verification link: single use, before its expiry.
pub async fn verify_email(pool: &PgPool, token: &str) -> Result<(), AppError> {
    let user_id = sqlx::query_scalar!(
        "UPDATE email_tokens SET used_at = now()
         WHERE token_hash = $1 AND purpose = 'verify_email' AND used_at IS NULL AND expires_at > now()
         RETURNING user_id",
        hash_token(token)
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::invalid(
        "token",
        "Ce lien n'est plus valable (déjà utilisé ou expiré). Connectez-vous pour en recevoir un nouveau.",
    ))?;
    sqlx::query!(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1",
        user_id
    )
    .execute(pool)
    .await?;
    audit_user_event(pool, user_id, "email.verified").await
}
