//! The training catalogue: formations published by centres, their sessions,
//! the public search and the centre's dashboard.

pub mod centres;
pub mod dashboard;
pub mod enrolments;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use crate::base::format::{label_of, price_label, truncate_words};
pub use crate::ui::search::{TRAINING_FACET_KEYS as FACET_KEYS, TRAINING_SORTS as SORTS};

use crate::base::error::AppError;
#[cfg(feature = "ssr")]
use crate::{
    base::db::with_read_pool,
    organisations::{
        listing::ssr::{answer, toggle_saved_then},
        profile::OrgKind,
    },
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Trainings per catalogue page.
pub const PAGE_SIZE: i64 = 20;

pub use crate::ui::search::{
    DEFAULT_RADIUS_KM, Facet, FacetValue, RADII_KM, SearchQuery, encode_component,
};

pub const MODALITIES: [(&str, &str); 3] = [
    ("presentiel", "Présentiel"),
    ("distanciel", "À distance"),
    ("hybride", "Hybride"),
];

pub const FUNDING: [(&str, &str); 6] = [
    ("cpf", "CPF"),
    ("opco", "OPCO"),
    ("france-travail", "France Travail"),
    ("region", "Région"),
    ("employeur", "Employeur"),
    ("personnel", "Autofinancement"),
];

pub const DURATION_BANDS: [(&str, &str); 5] = [
    ("moins-35h", "Moins de 35 h"),
    ("35-150h", "35 à 150 h"),
    ("150-400h", "150 à 400 h"),
    ("400-1000h", "400 à 1 000 h"),
    ("plus-1000h", "1 000 h et plus"),
];

pub const PRICE_BANDS: [(&str, &str); 5] = [
    ("gratuit", "Gratuit"),
    ("moins-1000", "Moins de 1 000 €"),
    ("1000-3000", "1 000 à 3 000 €"),
    ("3000-6000", "3 000 à 6 000 €"),
    ("plus-6000", "6 000 € et plus"),
];

pub const START_BANDS: [(&str, &str); 5] = [
    ("permanente", "Entrée permanente"),
    ("30-jours", "Dans les 30 jours"),
    ("3-mois", "Dans 1 à 3 mois"),
    ("6-mois", "Dans 3 à 6 mois"),
    ("plus-tard", "Plus tard"),
];

pub fn level_label(level: i16) -> String {
    format!("Niveau {level}")
}

pub use crate::base::format::french_date;

/// `trainings.status` (its CHECK constraint lists the same values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum TrainingState {
    Draft,
    Published,
    Archived,
}

impl TrainingState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Brouillon",
            Self::Published => "Publiée",
            Self::Archived => "Archivée",
        }
    }

    /// The dashboard's one button for a training in this state.
    pub fn toggle(self) -> (TrainingAction, &'static str) {
        match self {
            Self::Published => (TrainingAction::Archive, "Archiver"),
            Self::Draft | Self::Archived => (TrainingAction::Publish, "Publier"),
        }
    }
}

/// What a centre can do to a training's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainingAction {
    Publish,
    Archive,
    /// Back to draft.
    Draft,
}

impl TrainingAction {
    pub const ALL: [TrainingAction; 3] = [Self::Publish, Self::Archive, Self::Draft];

    /// What a form or an API caller sent; anything else is refused with a
    /// French message on the `action` field.
    pub fn parse(value: &str) -> Result<Self, AppError> {
        crate::base::validate::action(&Self::ALL, Self::as_str, value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publish => "publish",
            Self::Archive => "archive",
            Self::Draft => "draft",
        }
    }

    /// The state it leads to (from any state: a centre may republish).
    pub fn target(self) -> TrainingState {
        match self {
            Self::Publish => TrainingState::Published,
            Self::Archive => TrainingState::Archived,
            Self::Draft => TrainingState::Draft,
        }
    }
}

/// A training in a result list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingCard {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub centre_name: String,
    pub centre_slug: String,
    pub modality: String,
    pub duration_hours: i32,
    pub price_cents: i32,
    pub cpf_eligible: bool,
    pub certification_kind: String,
    pub certification_level: Option<i16>,
    pub rolling_entry: bool,
    /// ISO date of the next session, if any.
    pub next_start: Option<String>,
    /// Commune names, biggest first.
    pub places: Vec<String>,
}

pub type SearchResults = crate::ui::search::Results<TrainingCard>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub seats: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub postal_code: String,
    pub departement_name: String,
    pub region_name: String,
    pub latitude: f64,
    pub longitude: f64,
}

// f64 fields: equality is only used by reactive memos.
impl Eq for Place {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreSummary {
    pub name: String,
    pub slug: String,
    pub qualiopi: bool,
    pub website: String,
    pub city: Option<String>,
}

/// Everything `/formations/{slug}` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingDetail {
    pub card: TrainingCard,
    pub description_html: String,
    pub objectives: String,
    pub prerequisites: String,
    pub certification_code: String,
    /// The training's page on Mon Compte Formation, when eligible and given.
    pub cpf_link: Option<String>,
    pub funding: Vec<String>,
    pub skills: Vec<String>,
    pub sessions: Vec<Session>,
    pub place_list: Vec<Place>,
    pub centre: CentreSummary,
    pub updated_at: String,
    /// Saved by the signed-in candidate.
    pub saved: bool,
    /// Sessions (or `None` for rolling entry) the candidate already asked for.
    pub requested_sessions: Vec<Option<i64>>,
    /// The visitor's situation, to pick the call to action.
    pub viewer: Viewer,
}

pub use crate::organisations::listing::Viewer;

/// `/formations/{slug}`: the training, or `Gone` once archived (410).
pub type TrainingLookup = crate::organisations::listing::Lookup<TrainingDetail>;

/// The public catalogue search.
#[server(prefix = "/api", endpoint = "formations/recherche", input = server_fn::codec::GetUrl)]
pub async fn search_trainings(query: SearchQuery) -> Result<SearchResults, AppError> {
    with_read_pool(|pool| async move {
        let results = search::run(&pool, query).await?;
        crate::ui::search::ssr::count(&results.query, results.total);
        Ok(results)
    })
    .await
}

/// One public training; counts a view when a page is rendered for it.
#[server(prefix = "/api", endpoint = "formations/fiche")]
pub async fn training_page(slug: String) -> Result<TrainingLookup, AppError> {
    answer(|pool| async move { ssr::public_detail(&pool, &slug).await }).await
}

/// Adds a training to (or removes it from) the candidate's saved list; a
/// plain form post goes back to the page it came from (the training or a
/// search).
#[server(prefix = "/api", endpoint = "formations/favori")]
pub async fn toggle_saved_training(training_id: i64) -> Result<bool, AppError> {
    toggle_saved_then(OrgKind::Centre, training_id, |_| async {
        Ok(use_context::<http::request::Parts>().and_then(|parts| {
            parts
                .headers
                .get(http::header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(url_path)
        }))
    })
    .await
}

/// The path (and query) of a same-site URL, for redirects after plain form posts.
#[cfg(feature = "ssr")]
fn url_path(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map(|i| &rest[i..])?;
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_button_always_changes_the_state_and_unknown_actions_are_refused() {
        for state in [
            TrainingState::Draft,
            TrainingState::Published,
            TrainingState::Archived,
        ] {
            assert_ne!(state.toggle().0.target(), state, "{state:?}");
        }
        for action in TrainingAction::ALL {
            assert_eq!(TrainingAction::parse(action.as_str()).ok(), Some(action));
        }
        let refused = TrainingAction::parse("supprimer").expect_err("unknown action");
        assert!(
            matches!(refused, AppError::Invalid { ref field, .. } if field == "action"),
            "{refused:?}"
        );
    }

    #[test]
    fn prices_and_dates_in_french() {
        assert_eq!(price_label(0), "Gratuit");
        assert_eq!(price_label(125_000), "1\u{202f}250\u{a0}€");
        assert_eq!(price_label(99_900), "999\u{a0}€");
    }
}
