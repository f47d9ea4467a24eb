//! Second factor: TOTP (RFC 6238) enrolled with a QR code, and ten
//! single-use recovery codes stored hashed.

use crate::{
    base::error::AppError,
    ui::form::{Field, FormError, FormPage, PageForm, action_error, reloaded_after},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactor {
    /// `fresh_codes`: recovery codes just made by a form posted without
    /// JavaScript, handed over once through the session.
    Enabled {
        can_disable: bool,
        fresh_codes: Vec<String>,
    },
    /// Not enabled yet: scan this, then confirm with a code.
    Setup {
        qr_png_base64: String,
        secret: String,
    },
}

/// The enrolment screen's data; prepares a secret if none is pending.
#[server(prefix = "/api", endpoint = "compte/2fa")]
pub async fn two_factor_status() -> Result<SecondFactor, AppError> {
    crate::base::db::with_pool(|pool| async move {
        let user = super::ssr::require_user_for_enrolment(&pool).await?;
        ssr::state(&pool, &user).await
    })
    .await
}

/// Confirms enrolment with the account's password and a first code; answers
/// the recovery codes, shown once. The password keeps a stolen session from
/// enrolling its own device and locking the owner out.
#[server(prefix = "/api", endpoint = "compte/2fa/activer")]
pub async fn enable_two_factor(code: String, password: String) -> Result<Vec<String>, AppError> {
    crate::base::db::with_pool(|pool| async move {
        let user = super::ssr::require_user_for_enrolment(&pool).await?;
        let codes = ssr::enable(&pool, &user, &code, password).await?;
        super::ssr::rotate_session().await?;
        if crate::base::forms::is_plain_form_post() {
            super::ssr::stash_recovery_codes(&codes).await?;
            crate::base::forms::redirect_plain_form("/compte/double-authentification");
        }
        Ok(codes)
    })
    .await
}

#[server(prefix = "/api", endpoint = "compte/2fa/desactiver")]
pub async fn disable_two_factor(password: String) -> Result<(), AppError> {
    super::ssr::with_user_form("/compte/double-authentification", |pool, user| async move {
        ssr::disable(&pool, &user, password).await
    })
    .await
}

/// Second step of a sign-in: a TOTP code or a recovery code.
#[server(prefix = "/api", endpoint = "connexion/code")]
pub async fn sign_in_code(code: String, next: Option<String>) -> Result<(), AppError> {
    let next = super::safe_next(next.as_deref());
    super::ssr::then_redirect(&next, |pool| async move {
        super::ssr::sign_in_second_factor(&pool, &code).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::SecondFactor;
    use crate::{
        base::error::AppError,
        base::secrets::{SecretBox, secret_box},
        identity::auth::{
            AuthUser,
            ssr::{RequestMeta, audit, audit_user_event, hash_token},
        },
    };
    use rand::Rng;
    use sqlx::PgPool;
    use totp_rs::{Builder, Secret, Totp};

    const ISSUER: &str = "Passerelle";
    const RECOVERY_CODES: usize = 10;

    fn totp(secret_base32: &str, account: &str) -> Result<Totp, AppError> {
        let secret = Secret::try_from_base32(secret_base32).map_err(|_| AppError::Internal)?;
        Builder::new()
            .with_secret(secret)
            .with_account_name(account)
            .with_issuer(Some(ISSUER))
            .build()
            .map_err(|error| {
                tracing::error!(?error, "building a TOTP");
                AppError::Internal
            })
    }

    /// The seed as stored: sealed, or plain in rows from before encryption
    /// at rest (sealed at the next start, see [`seal_plain_secrets`]).
    fn reveal(stored: &str) -> Result<String, AppError> {
        if SecretBox::is_sealed(stored) {
            secret_box()?.open(stored)
        } else {
            Ok(stored.to_owned())
        }
    }

    /// The user's TOTP seed, in clear, if one was made.
    async fn seed(pool: &PgPool, user_id: i64) -> Result<Option<String>, AppError> {
        sqlx::query_scalar!("SELECT totp_secret FROM users WHERE id = $1", user_id)
            .fetch_one(pool)
            .await?
            .map(|stored| reveal(&stored))
            .transpose()
    }

    /// Encrypts the seeds still stored in clear; answers how many.
    pub async fn seal_plain_secrets(pool: &PgPool, secrets: &SecretBox) -> Result<u64, AppError> {
        let rows = sqlx::query!(
            "SELECT id, totp_secret AS \"secret!\" FROM users
             WHERE totp_secret IS NOT NULL AND totp_secret NOT LIKE 'v1:%'"
        )
        .fetch_all(pool)
        .await?;
        let mut sealed = 0;
        for row in rows {
            // Only if nobody changed it meanwhile.
            sealed += sqlx::query!(
                "UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3",
                secrets.seal(&row.secret)?,
                row.id,
                row.secret
            )
            .execute(pool)
            .await?
            .rows_affected();
        }
        Ok(sealed)
    }

    pub async fn state(pool: &PgPool, user: &AuthUser) -> Result<SecondFactor, AppError> {
        if user.two_factor_enabled {
            return Ok(SecondFactor::Enabled {
                can_disable: !user.role.requires_two_factor(),
                fresh_codes: crate::identity::auth::ssr::take_recovery_codes().await?,
            });
        }
        let secret = match seed(pool, user.id).await? {
            Some(secret) => secret,
            None => {
                let secret = Secret::generate().to_base32();
                sqlx::query!(
                    "UPDATE users SET totp_secret = $1 WHERE id = $2",
                    secret_box()?.seal(&secret)?,
                    user.id
                )
                .execute(pool)
                .await?;
                secret
            }
        };
        let totp = totp(&secret, &user.email)?;
        let qr_png_base64 = totp.to_qr_base64().map_err(|error| {
            tracing::error!(?error, "QR code");
            AppError::Internal
        })?;
        Ok(SecondFactor::Setup {
            qr_png_base64,
            secret,
        })
    }

    /// `xxxx-xxxx-xxxx`, lower case letters and digits without look-alikes.
    fn recovery_code() -> String {
        const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
        let mut rng = rand::rng();
        let chars: String = (0..12)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        format!("{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..12])
    }

    fn normalise(code: &str) -> String {
        code.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    }

    pub async fn enable(
        pool: &PgPool,
        user: &AuthUser,
        code: &str,
        password: String,
    ) -> Result<Vec<String>, AppError> {
        // Enrolling again would silently replace the device and the codes.
        if user.two_factor_enabled {
            return Err(AppError::invalid(
                "code",
                "La double authentification est déjà activée. Désactivez-la d'abord pour changer d'appareil.",
            ));
        }
        crate::identity::auth::ssr::confirm_password_field(pool, user.id, password).await?;
        let secret = seed(pool, user.id).await?.ok_or(AppError::invalid(
            "code",
            "Rechargez la page pour obtenir un QR code.",
        ))?;
        let step = totp(&secret, &user.email)?
            .check_current(code.trim())
            .ok_or(AppError::invalid(
                "code",
                "Code incorrect : vérifiez l'heure de votre téléphone et réessayez.",
            ))?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
        let mut tx = pool.begin().await?;
        // Only the first of two racing enrolments wins.
        sqlx::query_scalar!(
            "UPDATE users SET totp_enabled_at = now(), totp_last_step = $1, must_enrol_totp = false, updated_at = now()
             WHERE id = $2 AND totp_enabled_at IS NULL RETURNING id",
            i64::try_from(step).unwrap_or(i64::MAX),
            user.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::invalid(
            "code",
            "La double authentification est déjà activée.",
        ))?;
        sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user.id)
            .execute(&mut *tx)
            .await?;
        for code in &codes {
            sqlx::query!(
                "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
                user.id,
                hash_token(&normalise(code))
            )
            .execute(&mut *tx)
            .await?;
        }
        audit_user_event(&mut *tx, user.id, "two_factor.enabled").await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Removes `user_id`'s second factor and recovery codes in `tx` (the
    /// person turning it off, or an admin resetting it); `false` when there
    /// was none.
    pub async fn remove(
        tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
        user_id: i64,
    ) -> Result<bool, AppError> {
        let removed = sqlx::query_scalar!(
            "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, updated_at = now()
             WHERE id = $1 AND totp_enabled_at IS NOT NULL RETURNING id",
            user_id
        )
        .fetch_optional(&mut **tx)
        .await?;
        sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user_id)
            .execute(&mut **tx)
            .await?;
        Ok(removed.is_some())
    }

    pub async fn disable(pool: &PgPool, user: &AuthUser, password: String) -> Result<(), AppError> {
        if user.role.requires_two_factor() {
            return Err(AppError::invalid(
                "password",
                "La double authentification est obligatoire pour votre profil.",
            ));
        }
        crate::identity::auth::ssr::confirm_password_field(pool, user.id, password).await?;
        let mut tx = pool.begin().await?;
        remove(&mut tx, user.id).await?;
        audit_user_event(&mut *tx, user.id, "two_factor.disabled").await?;
        tx.commit().await?;
        Ok(())
    }

    /// A current TOTP code (each time step accepted once) or an unused recovery code.
    pub async fn check_code(
        pool: &PgPool,
        user_id: i64,
        code: &str,
        meta: &RequestMeta,
    ) -> Result<bool, AppError> {
        let user = sqlx::query!(
            "SELECT email, totp_secret, totp_last_step FROM users WHERE id = $1 AND totp_enabled_at IS NOT NULL",
            user_id
        )
        .fetch_optional(pool)
        .await?;
        let Some(user) = user else { return Ok(false) };
        let Some(secret) = user.totp_secret.as_deref().map(reveal).transpose()? else {
            return Ok(false);
        };
        let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let Some(step) = totp(&secret, &user.email)?.check_current(&digits) else {
                return Ok(false);
            };
            let step = i64::try_from(step).unwrap_or(i64::MAX);
            // Only a step after the last accepted one: no replay.
            let accepted = sqlx::query_scalar!(
                "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1 RETURNING id",
                step,
                user_id
            )
            .fetch_optional(pool)
            .await?;
            return Ok(accepted.is_some());
        }
        let used = sqlx::query_scalar!(
            "UPDATE recovery_codes SET used_at = now()
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING user_id",
            user_id,
            hash_token(&normalise(code))
        )
        .fetch_optional(pool)
        .await?;
        if used.is_some() {
            audit(
                pool,
                Some(user_id),
                "two_factor.recovery_used",
                meta,
                serde_json::json!({}),
            )
            .await?;
        }
        Ok(used.is_some())
    }

    /// How long one confirmed code covers sensitive actions on its session.
    pub const STEP_UP_MINUTES: i32 = 10;

    /// The guard of destructive or privilege-changing actions (step-up):
    /// a second-factor code confirmed on this very session in the last
    /// [`STEP_UP_MINUTES`], or `code` now. A stolen session cookie alone is
    /// then not enough to suspend, demote or lock anyone out.
    pub async fn require_step_up(
        pool: &PgPool,
        user: &AuthUser,
        code: &str,
    ) -> Result<(), AppError> {
        let session = crate::identity::auth::ssr::current_session_id(pool)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let recent = sqlx::query_scalar!(
            r#"SELECT coalesce(stepped_up_at > now() - make_interval(mins => $2), false) AS "recent!"
               FROM user_sessions WHERE id = $1"#,
            session,
            STEP_UP_MINUTES
        )
        .fetch_one(pool)
        .await?;
        if recent {
            return Ok(());
        }
        if code.trim().is_empty() {
            return Err(AppError::invalid(
                "code",
                "Confirmez cette action avec un code de double authentification.",
            ));
        }
        let meta = crate::identity::auth::ssr::request_meta();
        if !crate::identity::auth::ssr::check_code_throttled(pool, user.id, code, &meta).await? {
            audit_user_event(pool, user.id, "two_factor.failure").await?;
            return Err(AppError::invalid(
                "code",
                "Ce code n'est pas valide. Saisissez le code affiché par votre application.",
            ));
        }
        sqlx::query!(
            "UPDATE user_sessions SET stepped_up_at = now() WHERE id = $1",
            session
        )
        .execute(pool)
        .await?;
        audit_user_event(pool, user.id, "two_factor.step_up").await?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn recovery_codes_are_readable_and_normalised() {
            let code = recovery_code();
            assert_eq!(code.len(), 14);
            assert_eq!(code.matches('-').count(), 2);
            assert_eq!(
                normalise(&code.to_uppercase().replace('-', " ")),
                normalise(&code)
            );
            assert!(!code.contains(['0', 'o', '1', 'l', 'i']));
        }
    }
}

#[component]
pub fn TwoFactorSignInPage() -> impl IntoView {
    let action = ServerAction::<SignInCode>::new();
    let error = action_error(action);
    super::pages::refresh_auth_on_success(action);
    view! {
        <FormPage title="Code de vérification"
            description="Deuxième étape de la connexion."
            path="/connexion/code" noindex=true
            intro="Saisissez le code à 6 chiffres de votre application d'authentification, ou l'un de vos codes de secours.">
            <PageForm action query=("next", "suivant") error fields=&["code"] submit="Valider">
                <Field label="Code" name="code" autocomplete="one-time-code" error=error/>
            </PageForm>
        </FormPage>
    }
}

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let enable = ServerAction::<EnableTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let state = reloaded_after([enable.version(), disable.version()], two_factor_status);
    let enable_error = action_error(enable);
    let disable_error = action_error(disable);
    view! {
        <FormPage title="Double authentification"
            description="Protégez votre compte avec un second facteur."
            path="/compte/double-authentification" noindex=true class="mx-auto max-w-2xl px-4 py-10 sm:px-6">
            {super::pages::protected(state, move |status| match status {
                SecondFactor::Enabled { can_disable, fresh_codes } => {
                    // Just enabled: from the action (JavaScript) or the session (plain form).
                    let codes = enable.value().get().and_then(Result::ok).unwrap_or(fresh_codes);
                    view! {
                        {(!codes.is_empty()).then(|| view! {
                            <div class="mt-6 rounded-xl border border-emerald-300 bg-emerald-50 p-5" role="status">
                                <p class="font-bold text-emerald-900">"Double authentification activée."</p>
                                <p class="mt-2 text-emerald-900">
                                    "Voici vos 10 codes de secours. Chacun sert une fois si vous n'avez plus votre téléphone. Gardez-les en lieu sûr : ils ne seront plus affichés."
                                </p>
                                <ul class="mt-3 grid grid-cols-2 gap-2 font-mono text-lg" data-testid="recovery-codes">
                                    {codes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                                </ul>
                                <a class="btn-primary mt-4 inline-flex" href="/tableau-de-bord">"Continuer vers mon tableau de bord"</a>
                            </div>
                        })}
                        <p class="mt-6 font-semibold text-emerald-800">"La double authentification protège votre compte."</p>
                        {can_disable.then(|| view! {
                            <ActionForm action=disable attr:novalidate=true attr:class="mt-6 max-w-md space-y-4">
                                <Field label="Mot de passe" name="password" input_type="password" autocomplete="current-password" error=disable_error/>
                                <FormError error=disable_error fields=&["password"]/>
                                <button type="submit" class="btn-secondary">"Désactiver la double authentification"</button>
                            </ActionForm>
                        })}
                    }.into_any()
                }
                SecondFactor::Setup { qr_png_base64, secret } => view! {
                    <p class="mt-4 text-slate-700">
                        "Votre profil demande un second facteur. Scannez ce QR code avec une application d'authentification (Aegis, FreeOTP, Google Authenticator…), puis saisissez le code affiché."
                    </p>
                    <img class="mt-6 h-56 w-56 rounded-lg border border-slate-200" width="224" height="224"
                        src=format!("data:image/png;base64,{qr_png_base64}")
                        alt="QR code à scanner avec votre application d'authentification"/>
                    <p class="mt-3 text-sm text-slate-700">
                        "Pas d'appareil photo ? Saisissez cette clé : "
                        <code class="break-all font-mono font-bold" data-testid="totp-secret">{secret}</code>
                    </p>
                    <ActionForm action=enable attr:novalidate=true attr:class="mt-6 max-w-md space-y-4">
                        <Field label="Code à 6 chiffres" name="code" autocomplete="one-time-code" error=enable_error/>
                        <Field label="Mot de passe actuel" name="password" input_type="password" autocomplete="current-password" error=enable_error/>
                        <FormError error=enable_error fields=&["code", "password"]/>
                        <button type="submit" class="btn-primary">"Activer"</button>
                    </ActionForm>
                }.into_any(),
            })}
        </FormPage>
    }
}
