//! Accounts: sign-up, e-mail verification, sign-in and sign-out, the
//! current user, and the permission guard every server function goes through.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod two_factor;

use crate::{error::AppError, users::Role};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user, as pages see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub email_verified: bool,
    pub two_factor_enabled: bool,
    /// Accepts information e-mails (security e-mails always go).
    pub contact_by_email: bool,
    /// Must enrol TOTP before doing anything else (admins, editors, `create-admin`).
    pub must_enrol_two_factor: bool,
}

/// Named permissions, granted to roles in the `role_permissions` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    ProfileEdit,
    ApplicationCreate,
    EnrolmentCreate,
    OrganisationEdit,
    MemberInvite,
    TrainingEdit,
    TrainingPublish,
    EnrolmentReview,
    JobEdit,
    JobPublish,
    ApplicationReview,
    ArticleEdit,
    ArticlePublish,
    OrganisationReview,
    UserManage,
    AuditReadAll,
}

impl Permission {
    pub const ALL: [Permission; 16] = [
        Permission::ProfileEdit,
        Permission::ApplicationCreate,
        Permission::EnrolmentCreate,
        Permission::OrganisationEdit,
        Permission::MemberInvite,
        Permission::TrainingEdit,
        Permission::TrainingPublish,
        Permission::EnrolmentReview,
        Permission::JobEdit,
        Permission::JobPublish,
        Permission::ApplicationReview,
        Permission::ArticleEdit,
        Permission::ArticlePublish,
        Permission::OrganisationReview,
        Permission::UserManage,
        Permission::AuditReadAll,
    ];

    /// The name stored in the `permissions` table.
    pub fn name(self) -> &'static str {
        match self {
            Permission::ProfileEdit => "profile.edit",
            Permission::ApplicationCreate => "application.create",
            Permission::EnrolmentCreate => "enrolment.create",
            Permission::OrganisationEdit => "organisation.edit",
            Permission::MemberInvite => "member.invite",
            Permission::TrainingEdit => "training.edit",
            Permission::TrainingPublish => "training.publish",
            Permission::EnrolmentReview => "enrolment.review",
            Permission::JobEdit => "job.edit",
            Permission::JobPublish => "job.publish",
            Permission::ApplicationReview => "application.review",
            Permission::ArticleEdit => "article.edit",
            Permission::ArticlePublish => "article.publish",
            Permission::OrganisationReview => "organisation.review",
            Permission::UserManage => "user.manage",
            Permission::AuditReadAll => "audit.read_all",
        }
    }
}

/// What kind of account a visitor signs up for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountKind {
    Candidat,
    Centre,
    Entreprise,
}

impl AccountKind {
    pub fn parse(value: &str) -> Result<Self, AppError> {
        match value {
            "candidat" => Ok(Self::Candidat),
            "centre" => Ok(Self::Centre),
            "entreprise" => Ok(Self::Entreprise),
            _ => Err(AppError::invalid("kind", "Choisissez le type de compte.")),
        }
    }

    pub fn role(self) -> Role {
        match self {
            Self::Candidat => Role::Candidate,
            Self::Centre => Role::CentreMember,
            Self::Entreprise => Role::Recruiter,
        }
    }
}

/// Display names: trimmed, 2 to 80 characters.
pub fn parse_display_name(input: &str) -> Result<String, AppError> {
    let name = input.trim();
    let n = name.chars().count();
    if n < 2 {
        return Err(AppError::invalid(
            "display_name",
            "Indiquez votre nom (2 caractères au moins).",
        ));
    }
    if n > 80 {
        return Err(AppError::invalid(
            "display_name",
            "Votre nom ne doit pas dépasser 80 caractères.",
        ));
    }
    Ok(name.to_owned())
}

/// Only local paths are accepted as a post-sign-in destination (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/compte".to_owned(),
    }
}

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "moi")]
pub async fn current_user() -> Result<Option<AuthUser>, AppError> {
    let pool = crate::db::pool()?;
    ssr::current_user(&pool)
        .await
        .map_err(AppError::into_response_error)
}

#[server(prefix = "/api", endpoint = "inscription")]
pub async fn sign_up(
    kind: String,
    display_name: String,
    email: String,
    password: String,
    organisation_name: Option<String>,
    siret: Option<String>,
) -> Result<(), AppError> {
    let pool = crate::db::pool()?;
    let form = ssr::SignUpForm {
        kind: AccountKind::parse(&kind),
        display_name,
        email,
        password,
        organisation_name: organisation_name.unwrap_or_default(),
        siret: siret.unwrap_or_default(),
    };
    match ssr::sign_up(&pool, form).await {
        Ok(()) => {
            leptos_axum::redirect("/inscription/verifiez");
            Ok(())
        }
        Err(error) => Err(error.into_response_error()),
    }
}

#[server(prefix = "/api", endpoint = "connexion")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let pool = crate::db::pool()?;
    match ssr::sign_in(&pool, &email, &password).await {
        Ok(outcome) => {
            let next = safe_next(next.as_deref());
            leptos_axum::redirect(&match outcome {
                ssr::SignInOutcome::SignedIn => next,
                ssr::SignInOutcome::MustEnrolTwoFactor => {
                    "/compte/double-authentification".to_owned()
                }
                ssr::SignInOutcome::SecondFactorNeeded => format!("/connexion/code?suivant={next}"),
            });
            Ok(())
        }
        Err(error) => Err(error.into_response_error()),
    }
}

#[server(prefix = "/api", endpoint = "deconnexion")]
pub async fn sign_out() -> Result<(), AppError> {
    let pool = crate::db::pool()?;
    ssr::sign_out(&pool)
        .await
        .map_err(AppError::into_response_error)?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/api", endpoint = "verifier-email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let pool = crate::db::pool()?;
    match ssr::verify_email(&pool, &token).await {
        Ok(()) => {
            let signed_in = ssr::current_user(&pool).await.ok().flatten().is_some();
            leptos_axum::redirect(if signed_in {
                "/compte?verifie=1"
            } else {
                "/connexion?verifie=1"
            });
            Ok(())
        }
        Err(error) => Err(error.into_response_error()),
    }
}

#[server(prefix = "/api", endpoint = "mot-de-passe-oublie")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let pool = crate::db::pool()?;
    match ssr::forgot_password(&pool, &email).await {
        Ok(()) => {
            leptos_axum::redirect("/mot-de-passe-oublie?envoye=1");
            Ok(())
        }
        Err(error) => Err(error.into_response_error()),
    }
}

#[server(prefix = "/api", endpoint = "reinitialiser")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let pool = crate::db::pool()?;
    match ssr::reset_password(&pool, &token, password).await {
        Ok(()) => {
            leptos_axum::redirect("/connexion?reinitialise=1");
            Ok(())
        }
        Err(error) => Err(error.into_response_error()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_the_site() {
        assert_eq!(
            safe_next(Some("/admin/organisations")),
            "/admin/organisations"
        );
        assert_eq!(safe_next(Some("https://evil.example")), "/compte");
        assert_eq!(safe_next(Some("//evil.example")), "/compte");
        assert_eq!(safe_next(Some("/\\evil.example")), "/compte");
        assert_eq!(safe_next(None), "/compte");
    }

    #[test]
    fn account_kinds_map_to_roles() {
        assert_eq!(
            AccountKind::parse("centre").map(AccountKind::role),
            Ok(Role::CentreMember)
        );
        assert_eq!(
            AccountKind::parse("entreprise").map(AccountKind::role),
            Ok(Role::Recruiter)
        );
        assert!(
            AccountKind::parse("admin").is_err(),
            "nobody signs up as an admin"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn delays_grow_after_three_failures_and_stop_at_fifteen_minutes() {
        use ssr::failure_delay_secs;
        assert_eq!(
            (0..3).map(failure_delay_secs).collect::<Vec<_>>(),
            [0, 0, 0]
        );
        assert_eq!(
            (3..7).map(failure_delay_secs).collect::<Vec<_>>(),
            [1, 2, 4, 8]
        );
        assert_eq!(failure_delay_secs(100), 900);
    }

    #[test]
    fn display_names_are_bounded() {
        assert!(parse_display_name(" A ").is_err());
        assert_eq!(
            parse_display_name("  Zoé Martin ").as_deref(),
            Ok("Zoé Martin")
        );
        assert!(parse_display_name(&"x".repeat(81)).is_err());
    }
}
