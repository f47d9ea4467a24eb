//! The job board: offers published by companies (entreprises), the public
//! search `/offres`, offer pages, and the bridge between offers and trainings.

pub mod alerts;
pub mod companies;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod hits;
#[cfg(feature = "ssr")]
pub mod manage;
pub mod pages;
pub mod reports;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use crate::ui::search::{OFFER_FACET_KEYS as FACET_KEYS, OFFER_SORTS as SORTS};

#[cfg(feature = "ssr")]
use crate::{
    base::db::with_read_pool,
    organisations::{
        listing::ssr::{answer, toggle_saved_then},
        profile::OrgKind,
    },
};
use crate::{
    base::error::AppError,
    trainings::{TrainingCard, Viewer},
    ui::search::SearchQuery,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Offers per search page.
pub const PAGE_SIZE: i64 = 20;

/// Days an offer stays live after publication unless the recruiter says otherwise.
pub const DEFAULT_EXPIRY_DAYS: i64 = 60;

/// Builds an enum's `(value, label)` table at compile time, for the search
/// facets, the alert summaries and the form's options, and `parse` for the
/// forms' values.
macro_rules! vocabulary {
    ($Enum:ident, $n:literal) => {
        impl $Enum {
            pub const PAIRS: [(&'static str, &'static str); $n] = {
                let mut pairs = [("", ""); $n];
                let mut i = 0;
                while i < $n {
                    pairs[i] = (Self::ALL[i].as_str(), Self::ALL[i].label());
                    i += 1;
                }
                pairs
            };

            /// The value written `text` (spaces around it ignored), if any.
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == text.trim())
            }
        }
    };
}

/// An offer's contract (the `job_offers.contract` column and the `contrat` facet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum Contract {
    Cdi,
    Cdd,
    Interim,
    Saisonnier,
    Alternance,
    Stage,
    Freelance,
}

impl Contract {
    pub const ALL: [Self; 7] = [
        Self::Cdi,
        Self::Cdd,
        Self::Interim,
        Self::Saisonnier,
        Self::Alternance,
        Self::Stage,
        Self::Freelance,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Cdi => "cdi",
            Self::Cdd => "cdd",
            Self::Interim => "interim",
            Self::Saisonnier => "saisonnier",
            Self::Alternance => "alternance",
            Self::Stage => "stage",
            Self::Freelance => "freelance",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Cdi => "CDI",
            Self::Cdd => "CDD",
            Self::Interim => "Intérim",
            Self::Saisonnier => "Saisonnier",
            Self::Alternance => "Alternance",
            Self::Stage => "Stage",
            Self::Freelance => "Freelance",
        }
    }

    /// schema.org `employmentType` values, with the working time's.
    pub fn employment_types(self, time: &'static str) -> Vec<&'static str> {
        match self {
            Self::Cdi => vec![time],
            Self::Cdd | Self::Interim | Self::Saisonnier => vec!["TEMPORARY", time],
            // Alternance is an apprenticeship: work and training, paid, time-bound.
            Self::Alternance => vec!["INTERN", time],
            Self::Stage => vec!["INTERN"],
            Self::Freelance => vec!["CONTRACTOR"],
        }
    }
}
vocabulary!(Contract, 7);

/// Where an offer's work happens (the `job_offers.remote` column and the
/// `teletravail` facet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum RemoteMode {
    Presentiel,
    Hybride,
    /// Fully remote: open to anyone, wherever they live; no place needed.
    Teletravail,
}

impl RemoteMode {
    pub const ALL: [Self; 3] = [Self::Presentiel, Self::Hybride, Self::Teletravail];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Presentiel => "presentiel",
            Self::Hybride => "hybride",
            Self::Teletravail => "teletravail",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Presentiel => "Sur site",
            Self::Hybride => "Hybride",
            Self::Teletravail => "Télétravail complet",
        }
    }
}
vocabulary!(RemoteMode, 3);

/// Contracts and remote modes as `(value, label)` tables.
pub const CONTRACTS: [(&str, &str); 7] = Contract::PAIRS;
pub const REMOTE_MODES: [(&str, &str); 3] = RemoteMode::PAIRS;

pub const WORKING_TIMES: [(&str, &str); 2] = [
    ("temps-plein", "Temps plein"),
    ("temps-partiel", "Temps partiel"),
];

pub const EXPERIENCE: [(&str, &str); 4] = [
    ("debutant", "Débutant accepté"),
    ("1-2", "1 à 2 ans"),
    ("3-5", "3 à 5 ans"),
    ("5-plus", "Plus de 5 ans"),
];

pub const SALARY_UNITS: [(&str, &str); 3] = [
    ("heure", "de l'heure"),
    ("mois", "par mois"),
    ("annee", "par an"),
];

/// Diploma levels an offer can ask for (French nomenclature, 2019).
pub const DIPLOMA_LEVELS: [(i16, &str); 6] = [
    (3, "CAP, BEP (niveau 3)"),
    (4, "Bac (niveau 4)"),
    (5, "Bac +2 (niveau 5)"),
    (6, "Bac +3 (niveau 6)"),
    (7, "Bac +5 (niveau 7)"),
    (8, "Doctorat (niveau 8)"),
];

/// Yearly salary floors of the salary facet, in euros.
pub const SALARY_FLOORS: [i32; 6] = [20_000, 25_000, 30_000, 35_000, 40_000, 50_000];

/// "Posted within" facet values and their age in days.
pub const POSTED_WITHIN: [(&str, &str, i32); 3] = [
    ("24h", "Dernières 24 heures", 1),
    ("7j", "7 derniers jours", 7),
    ("30j", "30 derniers jours", 30),
];

/// `job_offers.status` (its CHECK constraint lists the same values), and
/// `Expired`, which is also how a published offer past its date is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum OfferState {
    Draft,
    Published,
    Expired,
    Filled,
    Archived,
}

impl OfferState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Brouillon",
            Self::Published => "En ligne",
            Self::Expired => "Expirée",
            Self::Filled => "Pourvue",
            Self::Archived => "Archivée",
        }
    }
}

/// What a recruiter can do to an offer's state (the dashboard's buttons).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferAction {
    /// Live for the offer's number of days, from now.
    Publish,
    /// Live again for its number of days, keeping its first publication date.
    Renew,
    Fill,
    Archive,
    /// Back to draft.
    Draft,
}

impl OfferAction {
    const ALL: [OfferAction; 5] = [
        Self::Publish,
        Self::Renew,
        Self::Fill,
        Self::Archive,
        Self::Draft,
    ];

    /// What a form or an API caller sent; anything else is refused with a
    /// French message on the `action` field.
    pub fn parse(value: &str) -> Result<Self, AppError> {
        crate::base::validate::action(&Self::ALL, Self::as_str, value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publish => "publish",
            Self::Renew => "renew",
            Self::Fill => "fill",
            Self::Archive => "archive",
            Self::Draft => "draft",
        }
    }

    /// The states it starts from (a published offer past its expiry counts
    /// as expired), and the state it leads to. Never from `Archived`: an
    /// offer withdrawn by moderation (or by its company) stays down; the
    /// company may still duplicate it.
    pub fn transition(self) -> (&'static [OfferState], OfferState) {
        use OfferState::*;
        match self {
            Self::Publish => (&[Draft], Published),
            Self::Renew => (&[Published, Expired], Published),
            Self::Fill => (&[Published, Expired], Filled),
            Self::Archive => (&[Draft, Published, Expired, Filled], Archived),
            Self::Draft => (&[Published, Expired, Filled], Draft),
        }
    }

    /// Whether the offer goes live (publishing needs more rights).
    pub fn goes_live(self) -> bool {
        matches!(self, Self::Publish | Self::Renew)
    }

    /// The buttons the dashboard shows for an offer in `state`, in order.
    pub fn offered_for(state: OfferState) -> &'static [(OfferAction, &'static str)] {
        use OfferAction::*;
        match state {
            OfferState::Draft => &[(Publish, "Publier"), (Archive, "Archiver")],
            OfferState::Published => &[
                (Fill, "Marquer pourvue"),
                (Renew, "Prolonger"),
                (Draft, "Repasser en brouillon"),
                (Archive, "Archiver"),
            ],
            OfferState::Expired => &[
                (Renew, "Renouveler"),
                (Fill, "Marquer pourvue"),
                (Archive, "Archiver"),
            ],
            OfferState::Filled => &[(Draft, "Repasser en brouillon"), (Archive, "Archiver")],
            // Archived stays archived: « Dupliquer » only.
            OfferState::Archived => &[],
        }
    }
}

pub use crate::base::format::label_of;

/// "1 800 – 2 200 € par mois", "35 000 € par an", or `None` when no salary is shown.
pub fn salary_label(min: Option<i32>, max: Option<i32>, unit: Option<&str>) -> Option<String> {
    let (min, unit) = (min?, unit?);
    let amount = |euros: i32| crate::trainings::price_label(euros.saturating_mul(100));
    let unit = label_of(&SALARY_UNITS, unit);
    Some(match max {
        Some(max) if max > min => format!(
            "{} – {} {unit}",
            amount(min).trim_end_matches("\u{a0}€"),
            amount(max)
        ),
        _ => format!("{} {unit}", amount(min)),
    })
}

/// An offer in a result list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferCard {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub company_name: String,
    pub company_slug: String,
    pub contract: Contract,
    pub remote: RemoteMode,
    pub working_time: String,
    pub experience: String,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub salary_unit: Option<String>,
    /// Commune name, `None` for fully remote offers.
    pub city: Option<String>,
    pub departement_code: Option<String>,
    /// ISO date.
    pub published_on: String,
    pub excerpt: String,
}

impl OfferCard {
    /// The excerpt as plain words: Markdown marks dropped, cut at a word.
    pub fn tidy(mut self) -> Self {
        let plain: String = self
            .excerpt
            .chars()
            .map(|c| if "#*_>`[]|".contains(c) { ' ' } else { c })
            .collect();
        self.excerpt = crate::trainings::truncate_words(&plain, 180);
        self
    }
}

pub type OfferSearchResults = crate::ui::search::Results<OfferCard>;

pub use crate::base::skills::Skill;

/// Where the job is, for the page and the JobPosting's `jobLocation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobPlace {
    pub name: String,
    pub postal_code: String,
    pub departement_name: String,
    pub region_name: String,
}

impl Eq for JobPlace {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySummary {
    pub name: String,
    pub slug: String,
    pub website: String,
    pub sector: String,
    /// Absolute-path URL of the logo's largest variant.
    pub logo: Option<String>,
}

/// The bridge: which of the offer's skills the visitor lacks, and the
/// trainings that teach them (next sessions first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bridge {
    /// The viewer is a candidate whose profile lists skills.
    pub personal: bool,
    pub missing: Vec<Skill>,
    pub trainings: Vec<TrainingCard>,
}

/// How candidates apply to an offer: the `apply_channel` column and the one
/// address (`apply_url` or `apply_email`) that channel uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HowToApply {
    /// On Passerelle, with the candidate's profile and CV.
    Platform,
    /// On the company's own page (an https address).
    Website(String),
    /// By e-mail to this address.
    Email(String),
}

impl HowToApply {
    /// From the three columns; an unknown channel (the CHECK constraint
    /// allows none) reads as the platform.
    pub fn from_columns(channel: &str, url: String, email: String) -> Self {
        match channel {
            "url" => Self::Website(url),
            "email" => Self::Email(email),
            _ => Self::Platform,
        }
    }

    /// The three columns, only the channel's own address filled.
    pub fn columns(&self) -> (&'static str, &str, &str) {
        match self {
            Self::Platform => ("platform", "", ""),
            Self::Website(url) => ("url", url, ""),
            Self::Email(email) => ("email", "", email),
        }
    }
}

/// Everything `/offres/{slug}` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferDetail {
    pub card: OfferCard,
    pub description_html: String,
    /// Published and not past its expiry.
    pub live: bool,
    /// "published", "expired" or "filled".
    pub status: String,
    /// RFC 3339.
    pub published_at: String,
    pub valid_through: String,
    pub diploma_level: Option<i16>,
    pub start_date: Option<String>,
    pub openings: i32,
    pub apply: HowToApply,
    pub skills: Vec<Skill>,
    pub place: Option<JobPlace>,
    pub company: CompanySummary,
    pub saved: bool,
    pub viewer: Viewer,
    pub bridge: Bridge,
}

/// `/offres/{slug}`: the offer, or `Gone` once archived (410).
pub type OfferLookup = crate::organisations::listing::Lookup<OfferDetail>;

/// The public job search.
#[server(prefix = "/api", endpoint = "offres/recherche", input = server_fn::codec::GetUrl)]
pub async fn search_offers(query: SearchQuery) -> Result<OfferSearchResults, AppError> {
    with_read_pool(|pool| async move {
        let results = search::run(&pool, query).await?;
        crate::ui::search::ssr::count(&results.query, results.total);
        Ok(results)
    })
    .await
}

/// One public offer; counts a view when a page is rendered for it.
#[server(prefix = "/api", endpoint = "offres/fiche")]
pub async fn offer_page(slug: String) -> Result<OfferLookup, AppError> {
    answer(|pool| async move { ssr::public_detail(&pool, &slug).await }).await
}

/// Adds an offer to (or removes it from) the candidate's saved offers; a
/// plain form post goes back to the offer.
#[server(prefix = "/api", endpoint = "offres/favori")]
pub async fn toggle_saved_offer(offer_id: i64) -> Result<bool, AppError> {
    toggle_saved_then(OrgKind::Entreprise, offer_id, |pool| async move {
        let slug = ssr::slug_of(&pool, offer_id).await?;
        Ok(Some(format!("/offres/{slug}")))
    })
    .await
}

/// The bridge seen from a training (`slug`): live offers asking for its skills.
#[server(prefix = "/api", endpoint = "formations/offres")]
pub async fn training_offers(slug: String) -> Result<Vec<OfferCard>, AppError> {
    with_read_pool(|pool| async move { ssr::offers_for_training(&pool, &slug).await }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_button_is_an_allowed_transition_and_archived_offers_none() {
        use OfferState::*;
        for state in [Draft, Published, Expired, Filled, Archived] {
            for (action, _) in OfferAction::offered_for(state) {
                let (from, _) = action.transition();
                assert!(from.contains(&state), "{action:?} offered from {state:?}");
            }
        }
        assert!(OfferAction::offered_for(Archived).is_empty());
        for action in OfferAction::ALL {
            assert!(
                !action.transition().0.contains(&Archived),
                "{action:?} leaves Archived"
            );
        }
    }

    #[test]
    fn states_and_actions_travel_as_the_database_and_forms_spell_them() {
        assert_eq!(
            serde_json::to_string(&OfferState::Published).unwrap(),
            "\"published\""
        );
        for action in OfferAction::ALL {
            assert_eq!(OfferAction::parse(action.as_str()).ok(), Some(action));
        }
        let refused = OfferAction::parse("vendre").expect_err("unknown action");
        assert!(
            matches!(refused, AppError::Invalid { ref field, .. } if field == "action"),
            "{refused:?}"
        );
    }

    #[test]
    fn salaries_in_french() {
        assert_eq!(
            salary_label(Some(1800), Some(2200), Some("mois")).as_deref(),
            Some("1\u{202f}800 – 2\u{202f}200\u{a0}€ par mois")
        );
        assert_eq!(
            salary_label(Some(35_000), None, Some("annee")).as_deref(),
            Some("35\u{202f}000\u{a0}€ par an")
        );
        assert_eq!(salary_label(None, None, None), None);
        assert_eq!(salary_label(Some(12), None, None), None);
    }
}

#[cfg(test)]
mod vocabulary_tests {
    use super::{CONTRACTS, Contract, REMOTE_MODES, RemoteMode};

    /// What the database stores, the URL facets carry and the JSON of a card
    /// holds is one and the same name for each value.
    #[test]
    fn contracts_and_remote_modes_read_as_stored() {
        crate::base::validate::assert_stored_as(&Contract::ALL, Contract::as_str);
        crate::base::validate::assert_stored_as(&RemoteMode::ALL, RemoteMode::as_str);
        assert_eq!(CONTRACTS[0], ("cdi", "CDI"));
        assert_eq!(CONTRACTS[6], ("freelance", "Freelance"));
        assert_eq!(REMOTE_MODES[2], ("teletravail", "Télétravail complet"));
        assert!(serde_json::from_str::<Contract>("\"cdi-interimaire\"").is_err());
    }
}
