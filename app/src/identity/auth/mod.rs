//! Accounts: sign-up, e-mail verification, sign-in and sign-out, the
//! current user, and the permission guard every server function goes through.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod two_factor;

use crate::{base::error::AppError, identity::users::Role};
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
    BackofficeRead,
    OrganisationManage,
    TaskManage,
    ContentModerate,
    NewsletterManage,
}

impl Permission {
    pub const ALL: [Permission; 21] = [
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
        Permission::BackofficeRead,
        Permission::OrganisationManage,
        Permission::TaskManage,
        Permission::ContentModerate,
        Permission::NewsletterManage,
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
            Permission::BackofficeRead => "backoffice.read",
            Permission::OrganisationManage => "organisation.manage",
            Permission::TaskManage => "task.manage",
            Permission::ContentModerate => "content.moderate",
            Permission::NewsletterManage => "newsletter.manage",
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

/// Where a sign-in goes when `next` is missing or refused: the person's
/// dashboard home (an admin's sends them on to `/admin`).
pub const DEFAULT_NEXT: &str = "/tableau-de-bord";

/// The post-sign-in destination, if `next` is a path of this site and
/// nothing a browser could read as another host (no open redirect).
///
/// Browsers drop tabs and newlines from URLs and read `\` as `/`, so
/// `/\t/evil.example` or `/\\evil.example` lead elsewhere: control characters,
/// whitespace other than a plain space, and backslashes are refused outright, and so is `//` anywhere
/// in the path, in the text as sent and once percent-decoded (`/%2F/evil.example`). The query may
/// hold `//`, which cannot change the host: the consent page's carries the app's `redirect_uri`.
/// Letters beyond ASCII (a search for "développeur") are kept, percent-encoded,
/// so the answer is always a valid `Location` header.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(same_site_path)
        .unwrap_or_else(|| DEFAULT_NEXT.to_owned())
}

fn same_site_path(next: &str) -> Option<String> {
    fn printable(text: &str) -> bool {
        !text.contains('\\')
            && !text
                .chars()
                .any(|c| c.is_control() || (c.is_whitespace() && c != ' ') || is_invisible(c))
    }
    fn plain(path: &str) -> bool {
        path.starts_with('/') && !path.contains("//") && printable(path)
    }
    // The path ends at the first `?` or `#` as sent: a decoded `%3F` is
    // still part of the path, where `//` stays refused.
    let (path, rest) = next.split_at(next.find(['?', '#']).unwrap_or(next.len()));
    if next.len() > 2_000 || !plain(path) || !printable(rest) {
        return None;
    }
    // Decoded as a browser or a proxy might, up to three times (`%252F`).
    let (mut path, mut rest) = (path.to_owned(), rest.to_owned());
    for _ in 0..3 {
        let (once, rest_once) = (percent_decode(&path), percent_decode(&rest));
        if once == path && rest_once == rest {
            break;
        }
        if !plain(&once) || !printable(&rest_once) {
            return None;
        }
        (path, rest) = (once, rest_once);
    }
    Some(
        next.chars()
            .map(|c| {
                if c == ' ' {
                    "%20".to_owned()
                } else if c.is_ascii() {
                    c.to_string()
                } else {
                    let mut buf = [0u8; 4];
                    c.encode_utf8(&mut buf)
                        .bytes()
                        .map(|b| format!("%{b:02X}"))
                        .collect()
                }
            })
            .collect(),
    )
}

/// Zero-width and direction marks: invisible, and never in our paths.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// `%XX` sequences decoded (invalid UTF-8 replaced); anything else kept.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `value` as one query-string value (`suivant=...`); slashes, which a
/// query may hold as they are, stay readable.
pub fn query_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace("%2F", "/")
}

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "moi")]
pub async fn current_user() -> Result<Option<AuthUser>, AppError> {
    crate::base::db::with_pool(|pool| async move { ssr::current_user(&pool).await }).await
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
    let form = ssr::SignUpForm {
        kind: AccountKind::parse(&kind),
        display_name,
        email,
        password,
        organisation_name: organisation_name.unwrap_or_default(),
        siret: siret.unwrap_or_default(),
    };
    ssr::then_redirect("/inscription/verifiez", |pool| async move {
        ssr::sign_up(&pool, form).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "connexion")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        let outcome = ssr::sign_in(&pool, &email, &password).await?;
        let next = safe_next(next.as_deref());
        leptos_axum::redirect(&match outcome {
            ssr::SignInOutcome::SignedIn => next,
            ssr::SignInOutcome::MustEnrolTwoFactor => "/compte/double-authentification".to_owned(),
            ssr::SignInOutcome::SecondFactorNeeded => {
                format!("/connexion/code?suivant={}", query_value(&next))
            }
        });
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "deconnexion")]
pub async fn sign_out() -> Result<(), AppError> {
    ssr::then_redirect("/", |pool| async move { ssr::sign_out(&pool).await }).await
}

#[server(prefix = "/api", endpoint = "verifier-email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        ssr::verify_email(&pool, &token).await?;
        let signed_in = ssr::current_user(&pool).await.ok().flatten().is_some();
        leptos_axum::redirect(if signed_in {
            "/tableau-de-bord?verifie=1"
        } else {
            "/connexion?verifie=1"
        });
        Ok(())
    })
    .await
}

/// "Renvoyer le lien": a new address-confirmation e-mail for the signed-in
/// person, who lost or let expire the first (without JavaScript, then back
/// on `/compte`).
#[server(prefix = "/api", endpoint = "compte/renvoyer-lien")]
pub async fn resend_verification() -> Result<(), AppError> {
    ssr::with_user_form("/compte?lien=1", |pool, user| async move {
        ssr::resend_my_verification(&pool, &user).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "mot-de-passe-oublie")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    ssr::then_redirect("/mot-de-passe-oublie?envoye=1", |pool| async move {
        ssr::forgot_password(&pool, &email).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "reinitialiser")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    ssr::then_redirect("/connexion?reinitialise=1", |pool| async move {
        ssr::reset_password(&pool, &token, password).await
    })
    .await
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
        assert_eq!(
            safe_next(Some("/offres?q=soudeur&contrat=cdi")),
            "/offres?q=soudeur&contrat=cdi"
        );
        // Kept, and percent-encoded so it is a valid header.
        assert_eq!(
            safe_next(Some("/offres?q=développeur")),
            "/offres?q=d%C3%A9veloppeur"
        );
        for trick in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/\n/evil.example",
            "/%0a/evil.example",
            "/%0d%0aSet-Cookie:%20x=1",
            "/\r\nLocation: https://evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5C/evil.example",
            "/%5c%5cevil.example",
            "/%252F%252Fevil.example",
            "/./\\evil.example",
            "/.//evil.example",
            "/\u{0}/evil.example",
            "/%00/evil.example",
            "/\u{200B}/evil.example",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "evil.example",
            "",
            "   ",
        ] {
            assert_eq!(safe_next(Some(trick)), DEFAULT_NEXT, "{trick:?}");
        }
        assert_eq!(safe_next(None), DEFAULT_NEXT);
        // A plain space cannot change the host: kept, encoded.
        assert_eq!(safe_next(Some("/ /evil.example")), "/%20/evil.example");
        // An address in the query cannot either (the consent page's
        // redirect_uri); in the path, decoded or not, it stays refused.
        let consent = "/oauth/autoriser?client_id=pa_1&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fretour&state=a//b";
        assert_eq!(safe_next(Some(consent)), consent);
        for trick in [
            "/%3F//evil.example",
            "/%3F%2F%2Fevil.example",
            "//evil.example?x=1",
            "/?x=%0d%0aSet-Cookie:%20x=1",
            "/?x=%5C",
            "/#\t",
        ] {
            assert_eq!(safe_next(Some(trick)), DEFAULT_NEXT, "{trick:?}");
        }
    }

    #[test]
    fn every_accepted_next_is_a_valid_location_header() {
        for next in ["/compte", "/offres?q=é&lieu=Saint-Étienne (42000)", "/a#b"] {
            let path = safe_next(Some(next));
            assert!(
                http::HeaderValue::from_str(&path).is_ok(),
                "{next:?} gave {path:?}"
            );
        }
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
