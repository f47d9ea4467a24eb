//! Apps acting for a user through `/api/v1` (OAuth 2.1, authorisation code
//! with PKCE): the scopes a user may grant, the consent page
//! (`/oauth/autoriser`, [`consent`]) and, on the server, the apps' registry,
//! the codes and the token families ([`ssr`]).
//!
//! An app is registered by an admin (`/admin/applications`) or an operator
//! (`passerelle oauth-app create`). A user's consent gives the app a
//! one-minute code, which the token endpoint (`passerelle::api::oauth`)
//! turns into a token family: a `user_sessions` row listed on `/compte` with
//! the browser sessions and ended with them, and a refresh token rotated at
//! every use.

pub mod consent;
#[cfg(feature = "ssr")]
pub mod ssr;

use serde::{Deserialize, Serialize};

/// Scopes, as the database stores them. An organisation's client may hold
/// the organisation's; a user's token those the user consented to.
pub const OFFERS_READ: &str = "offres:lecture";
pub const OFFERS_WRITE: &str = "offres:ecriture";
/// A company's applications: the pipeline and the CVs.
pub const RECRUITING: &str = "recrutement";
pub const TRAININGS_READ: &str = "formations:lecture";
pub const TRAININGS_WRITE: &str = "formations:ecriture";
/// A centre's enrolment requests.
pub const ENROLMENTS: &str = "inscriptions";
/// A candidate's profile and CV.
pub const PROFILE: &str = "profil";
/// A candidate's applications and enrolment requests.
pub const APPLICATIONS: &str = "candidatures";
/// A candidate's saved offers and trainings.
pub const SAVED: &str = "favoris";
/// A candidate's alerts.
pub const ALERTS: &str = "alertes";

/// Every scope with what the consent page and the documentation say of it.
pub const SCOPES: [(&str, &str); 10] = [
    (
        OFFERS_READ,
        "Lire les offres de l'entreprise, dans tous leurs statuts.",
    ),
    (
        OFFERS_WRITE,
        "Créer, modifier, publier et clore les offres de l'entreprise.",
    ),
    (
        RECRUITING,
        "Lire les candidatures reçues et leurs CV, les faire avancer.",
    ),
    (
        TRAININGS_READ,
        "Lire les formations du centre et leurs sessions, dans tous leurs statuts.",
    ),
    (
        TRAININGS_WRITE,
        "Créer, modifier et publier les formations du centre et leurs sessions.",
    ),
    (
        ENROLMENTS,
        "Lire et traiter les demandes d'inscription reçues par le centre.",
    ),
    (PROFILE, "Lire et modifier votre profil et votre CV."),
    (
        APPLICATIONS,
        "Postuler, demander une inscription, suivre et retirer vos demandes.",
    ),
    (
        SAVED,
        "Lire et modifier vos offres et formations sauvegardées.",
    ),
    (ALERTS, "Lire, créer et supprimer vos alertes."),
];

/// The scopes an organisation's API client may hold.
pub const ORGANISATION_SCOPES: [&str; 6] = [
    OFFERS_READ,
    OFFERS_WRITE,
    RECRUITING,
    TRAININGS_READ,
    TRAININGS_WRITE,
    ENROLMENTS,
];

/// What the consent page and `/compte` say of scope `name`.
pub fn scope_label(name: &str) -> Option<&'static str> {
    SCOPES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, label)| *label)
}

/// The longest name of an app (the database checks it too).
pub const NAME_MAX: usize = 80;

/// The most redirect URIs an app may declare (the database checks it too).
pub const REDIRECT_URIS_MAX: usize = 10;

/// Seconds an authorisation code lives.
pub const CODE_SECONDS: i32 = 60;

/// Days a token family lives without a refresh (the worker forgets browser
/// sessions after as long).
pub const IDLE_DAYS: i32 = 30;

/// The response header by which a page lets its forms lead to one more
/// place (a CSP `form-action` source): the consent page, whose answer
/// redirects to the app. The server's security layer reads it, adds the
/// source to that response's policy and never sends the header itself.
pub const FORM_ACTION_HEADER: &str = "x-passerelle-form-action";

/// The scopes of `asked` (space-separated), each once, if every one is
/// among `held`: a refresh may narrow a token, never widen it. `Err` names
/// the first scope refused.
pub fn narrow(asked: &str, held: &[String]) -> Result<Vec<String>, String> {
    let mut granted: Vec<String> = Vec::new();
    for name in asked.split(' ').filter(|name| !name.is_empty()) {
        if !held.iter().any(|own| own == name) {
            return Err(name.to_owned());
        }
        if !granted.iter().any(|known| known == name) {
            granted.push(name.to_owned());
        }
    }
    Ok(granted)
}

/// One app of the registry, as the back office lists it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthAppRow {
    pub id: i64,
    pub client_id: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    /// Has a secret (a server); otherwise a public client (a mobile app).
    pub confidential: bool,
    /// "05/12/2026 09:30"
    pub created_at: String,
    pub created_by: Option<String>,
    pub revoked_at: Option<String>,
    /// Users' token families still open.
    pub families: i64,
}

/// An app just registered: the only answer that carries its secret (a
/// confidential app's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOAuthApp {
    pub client_id: String,
    pub name: String,
    pub secret: Option<String>,
}

/// The registration form as posted (`input[name]`, `input[scopes][]`…).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthAppInput {
    #[serde(default)]
    pub name: String,
    /// One URI per line.
    #[serde(default)]
    pub redirect_uris: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// A ticked box: the app gets a secret.
    #[serde(default)]
    pub confidential: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_narrows_scopes_and_never_widens_them() {
        let held = vec![PROFILE.to_owned(), ALERTS.to_owned()];
        assert_eq!(
            narrow("alertes  alertes", &held),
            Ok(vec![ALERTS.to_owned()])
        );
        assert_eq!(narrow("", &held), Ok(vec![]));
        assert_eq!(narrow("profil favoris", &held), Err(SAVED.to_owned()));
    }

    #[test]
    fn every_scope_has_a_french_label() {
        for name in ORGANISATION_SCOPES {
            assert!(scope_label(name).is_some(), "{name}");
        }
        assert_eq!(
            scope_label(PROFILE),
            Some("Lire et modifier votre profil et votre CV.")
        );
        assert_eq!(scope_label("admin"), None);
    }
}
