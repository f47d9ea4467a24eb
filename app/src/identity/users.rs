//! Users and their roles. Sign-in, sessions and permissions build on this.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Candidate,
    CentreMember,
    Recruiter,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Candidate,
        Role::CentreMember,
        Role::Recruiter,
        Role::Editor,
        Role::Admin,
    ];

    /// The value stored in `users.role`.
    pub fn as_db(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::CentreMember => "centre_member",
            Role::Recruiter => "recruiter",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn from_db(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_db() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Candidate => "Candidat",
            Role::CentreMember => "Membre d'un centre de formation",
            Role::Recruiter => "Recruteur",
            Role::Editor => "Éditeur",
            Role::Admin => "Administrateur",
        }
    }

    /// Roles that must use a second factor.
    pub fn requires_two_factor(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }
}

/// Minimum password length (characters), per the accounts policy.
pub const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_CHARS: usize = 128;

/// Checks a new password against the length policy.
pub fn check_password_policy(password: &str) -> Result<(), crate::base::error::AppError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(crate::base::error::AppError::invalid(
            "password",
            "Le mot de passe doit contenir au moins 12 caractères.",
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(crate::base::error::AppError::invalid(
            "password",
            "Le mot de passe ne doit pas dépasser 128 caractères.",
        ));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::Role;
    use crate::base::error::AppError;
    use argon2::{
        Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
        password_hash::{SaltString, rand_core::OsRng},
    };
    use sqlx::PgPool;
    use std::sync::{Arc, LazyLock};
    use tokio::sync::Semaphore;

    /// Argon2 takes ~19 MiB and tens of ms per hash: run at most one per core,
    /// off the async runtime, so a burst of sign-ins cannot exhaust memory.
    static HASH_PERMITS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Arc::new(Semaphore::new(cores))
    });

    /// Runs `work` on the blocking pool once a hashing permit is free.
    async fn with_hash_permit<T: Send + 'static>(
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = HASH_PERMITS
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|_| AppError::Internal)?
    }

    /// Hashes with argon2id and the OWASP parameters (argon2's defaults:
    /// m = 19 MiB, t = 2, p = 1).
    pub async fn hash_password(password: String) -> Result<String, AppError> {
        with_hash_permit(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| {
                    tracing::error!(%error, "password hashing failed");
                    AppError::Internal
                })
        })
        .await
    }

    /// Whether a stored hash was made with other parameters than today's
    /// (older algorithm or cheaper costs): it is then rehashed at sign-in.
    pub fn needs_rehash(hash: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(hash) else {
            return true;
        };
        let current = argon2::Params::default();
        let param = |name: &str| parsed.params.get_decimal(name);
        parsed.algorithm != argon2::Algorithm::Argon2id.ident()
            || parsed.version != Some(argon2::Version::V0x13.into())
            || param("m") != Some(current.m_cost())
            || param("t") != Some(current.t_cost())
            || param("p") != Some(current.p_cost())
    }

    /// Checks a password against a stored PHC string.
    pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
        with_hash_permit(move || {
            let parsed = PasswordHash::new(&hash).map_err(|_| AppError::Internal)?;
            Ok(Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok())
        })
        .await
    }

    /// Whether `password` is the user's. Callers go through
    /// `auth::ssr::confirm_password`, which counts failures.
    pub async fn password_matches(
        pool: &PgPool,
        user_id: i64,
        password: String,
    ) -> Result<bool, AppError> {
        let stored = sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user_id)
            .fetch_one(pool)
            .await?;
        verify_password(password, stored).await
    }

    /// Creates a user; an address already in use is a field error.
    pub async fn create_user(
        pool: &PgPool,
        email: &str,
        display_name: &str,
        password: &str,
        role: Role,
        email_verified: bool,
    ) -> Result<i64, AppError> {
        let email = crate::base::validate::parse_email(email)?;
        check_new_password(password, &email, display_name)?;
        let hash = hash_password(password.to_owned()).await?;
        let id = sqlx::query_scalar!(
            "INSERT INTO users (email, display_name, password_hash, role, must_enrol_totp,
                                email_verified_at)
             VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END)
             ON CONFLICT (email) DO NOTHING
             RETURNING id",
            email,
            display_name,
            hash,
            role.as_db(),
            role.requires_two_factor(),
            email_verified,
        )
        .fetch_optional(pool)
        .await?;
        id.ok_or_else(|| AppError::invalid("email", "Un compte existe déjà avec cette adresse."))
    }

    /// The checks every new password goes through: length, the common
    /// passwords list, and nothing built on the person's own address or name.
    pub fn check_new_password(password: &str, email: &str, name: &str) -> Result<(), AppError> {
        super::check_password_policy(password)?;
        check_common_password(password)?;
        check_personal_password(password, email, name)
    }

    /// Refuses the passwords people pick most often (the 10,000 of
    /// `app/data/common-passwords.txt`, from SecLists, plus French ones),
    /// also when dressed up with digits or symbols around them
    /// ("azertyuiop2026!"), one character repeated, or one short pattern
    /// repeated ("abcabcabcabc").
    pub fn check_common_password(password: &str) -> Result<(), AppError> {
        static COMMON: LazyLock<std::collections::HashSet<&'static str>> = LazyLock::new(|| {
            include_str!("../../data/common-passwords.txt")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .collect()
        });
        let lower = password.to_lowercase();
        // The word inside its decoration: leading and trailing digits and symbols.
        let core = lower.trim_matches(|c: char| !c.is_alphabetic()).to_owned();
        let chars: Vec<char> = lower.chars().collect();
        let repeated = (1..=chars.len() / 2).any(|unit| {
            chars.len().is_multiple_of(unit)
                && chars.chunks(unit).all(|chunk| chunk == &chars[..unit])
        });
        let common = COMMON.contains(lower.as_str())
            || (core.chars().count() >= 6 && COMMON.contains(core.as_str()));
        if repeated || common {
            return Err(AppError::invalid(
                "password",
                "Ce mot de passe est trop courant : choisissez une phrase plus personnelle.",
            ));
        }
        Ok(())
    }

    /// Refuses a password that contains the address's local part or the
    /// person's name (or a word of it of four letters or more): the first
    /// things an attacker tries.
    pub fn check_personal_password(
        password: &str,
        email: &str,
        name: &str,
    ) -> Result<(), AppError> {
        let fold = |text: &str| -> String {
            text.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect()
        };
        let password = fold(password);
        let local = email.split('@').next().unwrap_or_default();
        let mut parts: Vec<String> = vec![fold(local), fold(name)];
        parts.extend(
            local
                .split(|c: char| !c.is_alphanumeric())
                .chain(name.split(|c: char| !c.is_alphanumeric()))
                .map(fold)
                .filter(|word| word.chars().count() >= 4),
        );
        if parts
            .iter()
            .any(|part| part.chars().count() >= 3 && password.contains(part.as_str()))
        {
            return Err(AppError::invalid(
                "password",
                "Votre mot de passe ne doit contenir ni votre nom ni votre adresse e-mail.",
            ));
        }
        Ok(())
    }

    pub async fn email_exists(pool: &PgPool, email: &str) -> Result<bool, AppError> {
        let found = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM users WHERE email = $1) AS "found!""#,
            email
        )
        .fetch_one(pool)
        .await?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused_in_french() {
        let err = check_password_policy("court").expect_err("too short");
        assert!(
            err.for_field("password")
                .is_some_and(|m| m.contains("12 caractères"))
        );
        assert!(check_password_policy("une phrase de passe longue").is_ok());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn common_passwords_are_refused() {
        for common in [
            "MotDePasse2026",
            "zzzzzzzzzzzzzz",
            "abcabcabcabc",
            "password1234",
            "2026Azertyuiop!!",
            "123456789012",
            "qwertyuiop12",
        ] {
            assert!(ssr::check_common_password(common).is_err(), "{common}");
        }
        assert!(ssr::check_common_password("un cheval bleu mange des pommes").is_ok());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn passwords_built_on_the_name_or_address_are_refused() {
        let check =
            |password| ssr::check_new_password(password, "zoe.martin@exemple.fr", "Zoé Martin");
        assert!(
            check("Zoe.Martin-1987!").is_err(),
            "the address's local part"
        );
        assert!(check("martin et ses chats").is_err(), "a word of the name");
        assert!(check("zoé martin 2026 !").is_err(), "the name");
        assert!(check("un cheval bleu mange des pommes").is_ok());
        let err = check("martin et ses chats").expect_err("refused");
        assert!(err.for_field("password").is_some_and(|m| m.contains("nom")));
    }

    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn weaker_hashes_are_flagged_for_rehash() {
        use argon2::{
            Argon2, Params, PasswordHasher,
            password_hash::{SaltString, rand_core::OsRng},
        };
        let current = ssr::hash_password("une phrase de passe".into())
            .await
            .expect("hash");
        assert!(!ssr::needs_rehash(&current));
        let weak = Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            Params::new(4096, 1, 1, None).expect("params"),
        )
        .hash_password(b"une phrase de passe", &SaltString::generate(&mut OsRng))
        .expect("hash")
        .to_string();
        assert!(ssr::needs_rehash(&weak));
        assert!(ssr::needs_rehash(
            "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
        ));
    }

    #[test]
    fn staff_roles_need_two_factor() {
        let staff: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| r.requires_two_factor())
            .collect();
        assert_eq!(staff, vec![Role::Editor, Role::Admin]);
    }
}
