//! What the training catalogue (`/formations`) and the job board (`/offres`)
//! share: the query read from and written to the URL, facet types, and the
//! search form, facet lists, active filters and pager they both render.
//! Each side keeps its own SQL statement (app/src/trainings/search.rs,
//! app/src/jobs/search.rs) over its own narrow search table.

use crate::base::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Form;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
pub mod cache;
pub mod item;

/// Radius of a place search when none is chosen, and the allowed choices.
pub const DEFAULT_RADIUS_KM: i64 = 30;
pub const RADII_KM: [i64; 5] = [10, 20, 30, 50, 100];

/// Deepest result page served (20 a page: the first 20,000 results).
pub const MAX_PAGE: i64 = 1000;

/// Longest search text, place and other parameter value kept from a URL.
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_PLACE_CHARS: usize = 80;
const MAX_VALUE_CHARS: usize = 60;

/// `text` trimmed, without control characters, cut at `max` characters.
pub fn clean_text(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .chars()
        .take(max)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// Facet keys of `/formations` in the order the page shows them.
pub const TRAINING_FACET_KEYS: [&str; 8] = [
    "modalite",
    "cpf",
    "niveau",
    "duree",
    "prix",
    "debut",
    "region",
    "departement",
];
/// Sort orders of `/formations`: value and label.
pub const TRAINING_SORTS: [(&str, &str); 3] = [
    ("pertinence", "Pertinence"),
    ("date", "Prochaine session"),
    ("prix", "Prix croissant"),
];
/// Facet keys of `/offres` in the order the page shows them.
pub const OFFER_FACET_KEYS: [&str; 7] = [
    "contrat",
    "teletravail",
    "salaire",
    "experience",
    "publiee",
    "region",
    "departement",
];
/// Sort orders of `/offres`: value and label.
pub const OFFER_SORTS: [(&str, &str); 2] =
    [("pertinence", "Pertinence"), ("date", "Plus récentes")];

/// Which list a query searches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    #[default]
    Trainings,
    Offers,
}

impl Scope {
    pub fn path(self) -> &'static str {
        match self {
            Self::Trainings => "/formations",
            Self::Offers => "/offres",
        }
    }

    /// Facet keys in the order pages show them.
    pub fn facet_keys(self) -> &'static [&'static str] {
        match self {
            Self::Trainings => &TRAINING_FACET_KEYS,
            Self::Offers => &OFFER_FACET_KEYS,
        }
    }

    pub fn sorts(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Trainings => &TRAINING_SORTS,
            Self::Offers => &OFFER_SORTS,
        }
    }

    /// The list's name in breadcrumbs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Trainings => "Formations",
            Self::Offers => "Offres d'emploi",
        }
    }

    /// The page of one result: `/formations/{slug}`, `/offres/{slug}`.
    pub fn item_path(self, slug: &str) -> String {
        format!("{}/{slug}", self.path())
    }

    /// Breadcrumb JSON-LD: home, the list, then `page` (name, path) if any.
    pub fn breadcrumb(
        self,
        site: &crate::base::site::Site,
        page: Option<(&str, String)>,
    ) -> serde_json::Value {
        let mut items = vec![
            ("Accueil", "/".to_owned()),
            (self.name(), self.path().to_owned()),
        ];
        items.extend(page);
        crate::base::seo::breadcrumb(site, &items)
    }

    /// The result page's title for the search text `q`.
    pub fn title(self, q: &str) -> String {
        match (self, q.is_empty()) {
            (Self::Trainings, true) => "Catalogue des formations".to_owned(),
            (Self::Trainings, false) => format!("Formations « {q} »"),
            (Self::Offers, true) => "Offres d'emploi".to_owned(),
            (Self::Offers, false) => format!("Offres d'emploi « {q} »"),
        }
    }

    pub fn description(self, total: i64) -> String {
        match self {
            Self::Trainings => format!(
                "{total} formations professionnelles en France : certifiantes, éligibles au CPF, en présentiel ou à distance."
            ),
            Self::Offers => format!(
                "{total} offres d'emploi en France : CDI, CDD, alternance, stage, intérim, sur site ou en télétravail."
            ),
        }
    }

    /// The search text's label and placeholder.
    pub fn q_texts(self) -> (&'static str, &'static str) {
        match self {
            Self::Trainings => (
                "Métier, compétence, certification",
                "ex. développeur web, CACES, comptabilité",
            ),
            Self::Offers => (
                "Métier, compétence, entreprise",
                "ex. soudeur, comptable, aide-soignant",
            ),
        }
    }

    /// "12 formations", "Aucune offre ne correspond.".
    pub fn count_label(self, total: i64) -> String {
        let (none, one, many) = match self {
            Self::Trainings => ("Aucune formation ne correspond.", "formation", "formations"),
            Self::Offers => ("Aucune offre ne correspond.", "offre", "offres"),
        };
        match total {
            0 => none.to_owned(),
            1 => format!("1 {one}"),
            n => format!("{n} {many}"),
        }
    }

    /// What follows the count when the search is around a place (fully
    /// remote offers are found from anywhere).
    pub fn near_label(self, radius_km: i64, place: &str) -> String {
        match self {
            Self::Trainings => format!(" à moins de {radius_km} km de {place}"),
            Self::Offers => {
                format!(" à moins de {radius_km} km de {place} ou en télétravail complet")
            }
        }
    }
}

/// Everything a search URL can say; every filter lives in the query string
/// so a search can be shared, bookmarked, indexed or saved as an alert.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
// Empty values (no facet, no text) are left out of a server function's URL.
#[serde(default)]
pub struct SearchQuery {
    pub scope: Scope,
    pub q: String,
    /// What the user typed as a place ("Lyon (69001)", "35000").
    pub lieu: String,
    pub rayon: String,
    pub tri: String,
    pub page: i64,
    /// Selected facet values by key; only the scope's keys are kept.
    pub facets: BTreeMap<String, String>,
}

impl SearchQuery {
    pub fn new(scope: Scope) -> Self {
        Self {
            scope,
            ..Self::default()
        }
    }

    /// A query with some facets set (tests, links).
    pub fn with(scope: Scope, q: &str, facets: &[(&str, &str)]) -> Self {
        let mut query = Self::new(scope);
        q.clone_into(&mut query.q);
        for (key, value) in facets {
            query = query.with_facet(key, value);
        }
        query
    }

    /// Reads a query string's parameters (unknown ones are ignored). Text is
    /// cut to what a real search needs, and control characters (NUL among
    /// them) are dropped: a URL cannot make the database work for seconds.
    pub fn from_pairs<'a>(
        scope: Scope,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut query = Self::new(scope);
        for (key, value) in pairs {
            let limit = match key {
                "q" => MAX_QUERY_CHARS,
                "lieu" => MAX_PLACE_CHARS,
                _ => MAX_VALUE_CHARS,
            };
            let value = clean_text(value, limit);
            match key {
                "q" => query.q = value,
                "lieu" => query.lieu = value,
                "rayon" => query.rayon = value,
                "tri" => query.tri = value,
                "page" => query.page = value.parse().unwrap_or(0),
                other if scope.facet_keys().contains(&other) && !value.is_empty() => {
                    query.facets.insert(other.to_owned(), value);
                }
                _ => {}
            }
        }
        query
    }

    /// Reads a raw query string (`q=soudeur&contrat=cdi`) of `scope`.
    pub fn parse_in(scope: Scope, query_string: &str) -> Self {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query_string.trim_start_matches('?').as_bytes())
                .into_owned()
                .collect();
        Self::from_pairs(scope, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Reads an `/offres` query string, as saved searches keep it.
    pub fn parse(query_string: &str) -> Self {
        Self::parse_in(Scope::Offers, query_string)
    }

    pub fn facet(&self, key: &str) -> &str {
        self.facets.get(key).map_or("", String::as_str)
    }

    /// The same search with one facet set (or cleared), back on page 1.
    pub fn with_facet(&self, key: &str, value: &str) -> Self {
        let mut next = self.clone();
        if value.is_empty() {
            next.facets.remove(key);
        } else if self.scope.facet_keys().contains(&key) {
            next.facets.insert(key.to_owned(), value.to_owned());
        }
        next.page = 0;
        next
    }

    pub fn with_page(&self, page: i64) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    /// The page asked for, within what a result list can have (an absurd
    /// `?page=` must not overflow the offset).
    pub fn page_number(&self) -> i64 {
        self.page.clamp(1, MAX_PAGE)
    }

    /// Radius in km, clamped to the offered range.
    pub fn radius_km(&self) -> i64 {
        self.rayon
            .parse::<i64>()
            .map_or(DEFAULT_RADIUS_KM, |r| r.clamp(10, 100))
    }

    /// The query string (without `?`) with only the parameters that say
    /// something, facets in page order.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let mut push = |key: &'static str, value: &str| {
            if !value.is_empty() {
                pairs.push((key, value.to_owned()));
            }
        };
        push("q", &self.q);
        push("lieu", &self.lieu);
        if !self.lieu.is_empty() {
            push("rayon", &self.rayon);
        }
        for key in self.scope.facet_keys() {
            push(key, self.facet(key));
        }
        if self.tri != "pertinence" {
            push("tri", &self.tri);
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode_component(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// `/formations?...` or `/offres?...`.
    pub fn href(&self) -> String {
        let query = self.query_string();
        if query.is_empty() {
            self.scope.path().to_owned()
        } else {
            format!("{}?{query}", self.scope.path())
        }
    }

    /// Free-text and place searches are thin pages for search engines; facet pages are not.
    pub fn noindex(&self) -> bool {
        !self.q.is_empty() || !self.lieu.is_empty()
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved kept).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: i64,
    pub selected: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub key: String,
    pub label: String,
    pub values: Vec<FacetValue>,
}

/// A page of results with the facets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results<C> {
    pub query: SearchQuery,
    pub cards: Vec<C>,
    pub total: i64,
    pub pages: i64,
    /// Only facets with at least one value that gives results.
    pub facets: Vec<Facet>,
    /// The commune the place search is centred on, as understood.
    pub place: Option<String>,
    /// Why the typed place was not understood.
    pub place_error: Option<String>,
}

/// A card of a result list (a training, an offer).
pub trait ResultCard:
    Clone + Serialize + for<'de> Deserialize<'de> + Send + Sync + 'static
{
    /// Its slug (its page is `{scope path}/{slug}`) and title.
    fn link(&self) -> (&str, &str);
    fn view(self) -> AnyView;
}

/// The place part of a search, resolved on the server, and what both
/// searches do around their own statement.
#[cfg(feature = "ssr")]
pub mod ssr {
    /// Counts a search that found `total` results (see `base::audience`):
    /// its words ("" for browsing), and each filter on its own; for a place,
    /// only that one was given. Further pages of the same search
    /// are not new searches.
    pub fn count(query: &SearchQuery, total: i64) {
        if query.page > 1 {
            return;
        }
        let (words, filters) = match query.scope {
            Scope::Offers => (Metric::OfferSearch, Metric::OfferFilter),
            Scope::Trainings => (Metric::TrainingSearch, Metric::TrainingFilter),
        };
        let mut event = Event::new(words, &normalise_words(&query.q), 0);
        event.zero = total == 0;
        record(event);
        for (key, value) in &query.facets {
            if !value.is_empty() {
                record(Event::new(filters, &format!("{key}={value}"), 0));
            }
        }
        if !query.lieu.trim().is_empty() {
            record(Event::new(filters, "lieu", 0));
        }
    }

    use super::{Facet, FacetValue, Results, Scope, SearchQuery};
    use crate::base::audience::{
        Metric, normalise_words,
        ssr::{Event, record},
    };
    use crate::base::error::AppError;
    use sqlx::PgPool;

    /// Readies `query` for `scope`'s statement (text cut to what a search
    /// needs) and resolves its place; the radius is in metres.
    pub async fn prepare(
        pool: &PgPool,
        query: &mut SearchQuery,
        scope: Scope,
    ) -> Result<(Near, f64), AppError> {
        query.scope = scope;
        query.q = query.q.chars().take(200).collect();
        let near = near(pool, &query.lieu).await?;
        Ok((near, (query.radius_km() * 1000) as f64))
    }

    /// Runs a search on its words (`typo` false) and, when they match
    /// nothing at all, once more on titles that look like them (`typo`
    /// true). `found` tells from its answer whether it found anything (a result,
    /// or a facet value one filter away); only when it did not is the cheap
    /// question "do these words exist?" asked. Asking it inside the
    /// statement cost every search a second index scan of its words, and a
    /// typo try on every empty filtered search a trigram scan of the titles.
    pub async fn words_then_typos<R, Fut>(
        pool: &PgPool,
        scope: Scope,
        words: &str,
        run: impl Fn(bool) -> Fut,
        found: impl Fn(&R) -> bool,
    ) -> Result<R, AppError>
    where
        Fut: std::future::Future<Output = Result<R, sqlx::Error>>,
    {
        let row = run(false).await?;
        if words.is_empty() || found(&row) || words_exist(pool, scope, words).await? {
            return Ok(row);
        }
        Ok(run(true).await?)
    }

    /// Whether any row of `scope`'s search table (live or not) has `words`.
    async fn words_exist(pool: &PgPool, scope: Scope, words: &str) -> Result<bool, AppError> {
        let exists = match scope {
            Scope::Offers => {
                sqlx::query_scalar!(
                    r#"SELECT EXISTS (SELECT 1 FROM job_search
                                      WHERE document @@ websearch_to_tsquery('french_unaccent', $1)) AS "exists!""#,
                    words
                )
                .fetch_one(pool)
                .await?
            }
            Scope::Trainings => {
                sqlx::query_scalar!(
                    r#"SELECT EXISTS (SELECT 1 FROM training_search
                                      WHERE document @@ websearch_to_tsquery('french_unaccent', $1)) AS "exists!""#,
                    words
                )
                .fetch_one(pool)
                .await?
            }
        };
        Ok(exists)
    }

    /// Whether a search statement's row found anything: results, or facet
    /// values (its JSON array of facet rows) a click away.
    pub fn found_any(total: i64, facets: &serde_json::Value) -> bool {
        total > 0 || facets.as_array().is_some_and(|rows| !rows.is_empty())
    }

    /// The page of results: `total` matches, `page_size` a page.
    pub fn results<C>(
        query: SearchQuery,
        near: Near,
        total: i64,
        page_size: i64,
        cards: Vec<C>,
        facets: Vec<Facet>,
    ) -> Results<C> {
        Results {
            facets,
            pages: (total + page_size - 1) / page_size,
            query,
            cards,
            total,
            place: near.label,
            place_error: near.error,
        }
    }

    /// What a search says of its own facets; région and département are
    /// the same in both.
    pub trait FacetSpec {
        /// The URL value of a statement's value.
        fn value(&self, _key: &str, value: &str) -> String {
            value.to_owned()
        }
        fn label(&self, key: &str, value: &str) -> String;
        fn sort(&self, key: &str, values: &mut [FacetValue]);
        fn title(&self, key: &str) -> &'static str;
    }

    /// The scope's facets in page order, from the search's rows: only
    /// values that give results, the URL's choices selected.
    pub fn facets(query: &SearchQuery, rows: Vec<FacetRow>, spec: &impl FacetSpec) -> Vec<Facet> {
        query
            .scope
            .facet_keys()
            .iter()
            .filter_map(|key| {
                let geography = matches!(*key, "departement" | "region");
                let selected = query.facet(key);
                let mut values: Vec<FacetValue> = rows
                    .iter()
                    .filter(|row| row.facet == *key && row.count > 0)
                    .map(|row| {
                        let value = spec.value(key, &row.value);
                        let label = if geography {
                            format!("{} ({})", row.label, row.value)
                        } else {
                            spec.label(key, &value)
                        };
                        FacetValue {
                            selected: value == selected,
                            value,
                            label,
                            count: row.count,
                        }
                    })
                    .collect();
                if values.is_empty() {
                    return None;
                }
                if geography {
                    values.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
                } else {
                    spec.sort(key, &mut values);
                }
                let label = match *key {
                    "region" => "Région",
                    "departement" => "Département",
                    _ => spec.title(key),
                };
                Some(Facet {
                    key: (*key).to_owned(),
                    label: label.to_owned(),
                    values,
                })
            })
            .collect()
    }

    /// Turns a threshold facet's counts per band into counts per threshold.
    /// Thresholds nest (an offer paid 40 000 € is above 30 000 € too), so the
    /// search counts each row once, in band `b` (as SQL's `width_bucket`:
    /// the `b`-th threshold is the last one it reaches), and threshold `i`
    /// counts every band from `i` on.
    pub fn cumulate<T: ToString>(rows: &mut Vec<FacetRow>, key: &str, thresholds: &[T]) {
        let mut bands = vec![0i64; thresholds.len()];
        rows.retain(|row| {
            if row.facet != key {
                return true;
            }
            if let Some(n) = row
                .value
                .parse::<usize>()
                .ok()
                .and_then(|b| b.checked_sub(1))
                .and_then(|b| bands.get_mut(b))
            {
                *n += row.count;
            }
            false
        });
        let mut count = 0;
        for (threshold, band) in thresholds.iter().zip(bands).rev() {
            count += band;
            if count > 0 {
                rows.push(FacetRow {
                    facet: key.to_owned(),
                    value: threshold.to_string(),
                    label: String::new(),
                    count,
                });
            }
        }
    }

    /// Sorts values in the order of `list` (value first), unknown ones last.
    pub fn sort_as(values: &mut [FacetValue], list: &[(&str, &str)]) {
        values.sort_by_key(|v| {
            list.iter()
                .position(|(value, _)| *value == v.value)
                .unwrap_or(usize::MAX)
        });
    }

    /// The commune searched around: `(label, code)` when understood, or the
    /// French reason it was not.
    pub struct Near {
        pub label: Option<String>,
        pub code: Option<String>,
        pub error: Option<String>,
    }

    pub async fn near(pool: &PgPool, lieu: &str) -> Result<Near, AppError> {
        if lieu.is_empty() {
            return Ok(Near {
                label: None,
                code: None,
                error: None,
            });
        }
        match crate::base::places::ssr::resolve(pool, lieu, "lieu").await {
            Ok(commune) => Ok(Near {
                label: Some(commune.label()),
                code: Some(commune.code),
                error: None,
            }),
            Err(AppError::Invalid { message, .. }) => Ok(Near {
                label: None,
                code: None,
                error: Some(message),
            }),
            Err(other) => Err(other),
        }
    }

    /// A facet's rows as the searches count them (the catalogue's statement
    /// returns them as JSON).
    #[derive(serde::Deserialize)]
    pub struct FacetRow {
        pub facet: String,
        pub value: String,
        pub label: String,
        pub count: i64,
    }

    pub fn decode<T: serde::de::DeserializeOwned>(
        json: serde_json::Value,
        what: &str,
    ) -> Result<T, AppError> {
        serde_json::from_value(json).map_err(|error| {
            tracing::error!(%error, what, "decoding search results");
            AppError::Internal
        })
    }

    /// Facet values are ignored unless they are one of `list`'s: a shared URL
    /// with an old filter still shows results.
    pub fn known(list: &[(&'static str, &'static str)], value: &str) -> Option<String> {
        list.iter()
            .any(|(v, _)| *v == value)
            .then(|| value.to_owned())
    }

    /// A département or région code as the URL carries it.
    pub fn code(value: &str) -> Option<String> {
        (!value.is_empty() && value.len() <= 3 && value.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| value.to_owned())
    }
}

/// What the hydrated search form sends, as [`SearchQuery::query_string`]
/// writes it: no empty field, no radius without a place, not the default
/// sort, and not the nameless submit button (Leptos adds it: a trailing `&=`).
fn tidy_query(data: &web_sys::FormData) {
    let value = |key: &str| data.get(key).as_string().unwrap_or_default();
    if value("lieu").is_empty() {
        data.delete("rayon");
    }
    if value("tri") == "pertinence" {
        data.delete("tri");
    }
    for key in ["", "q", "lieu"] {
        if value(key).is_empty() {
            data.delete(key);
        }
    }
}

/// Text, place, radius and sort: a GET form, so it works without JavaScript
/// and, hydrated, navigates in place with the URL following.
#[component]
pub fn SearchForm(
    query: SearchQuery,
    place: Option<String>,
    place_error: Option<String>,
    q_label: &'static str,
    q_placeholder: &'static str,
) -> impl IntoView {
    let radius = query.radius_km();
    let place_error_signal = {
        let message = place_error.clone();
        Signal::derive(move || message.clone().map(|m| AppError::invalid("lieu", &m)))
    };
    let scope = query.scope;
    view! {
        <Form method="GET" action=scope.path() on_form_data=std::sync::Arc::new(tidy_query) attr:class="mt-6 grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-slate-50 p-4 md:grid-cols-[2fr_2fr_1fr_1fr_auto] md:items-end md:gap-4" attr:role="search">
            // On a phone: text and place on their own lines, radius and sort side by side.
            <div class="col-span-2 md:col-span-1">
                <label for="recherche-q" class="block text-sm font-semibold text-slate-900">{q_label}</label>
                <input id="recherche-q" name="q" type="search" value=query.q.clone() placeholder=q_placeholder
                    class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5"/>
            </div>
            <div class="col-span-2 md:col-span-1">
                <crate::base::places::CommuneInput label="Près de" name="lieu" value=place.unwrap_or_else(|| query.lieu.clone()) error=place_error_signal/>
            </div>
            <div>
                <label for="recherche-rayon" class="block text-sm font-semibold text-slate-900">"Rayon"</label>
                <select id="recherche-rayon" name="rayon" class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5">
                    {RADII_KM.iter().map(|r| view! { <option value=r.to_string() selected=*r == radius>{format!("{r} km")}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="recherche-tri" class="block text-sm font-semibold text-slate-900">"Trier par"</label>
                <select id="recherche-tri" name="tri" class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5">
                    {scope.sorts().iter().map(|(value, label)| view! { <option value=*value selected=query.tri == *value>{*label}</option> }).collect_view()}
                </select>
            </div>
            {query.facets.iter().map(|(key, value)| view! {
                <input type="hidden" name=key.clone() value=value.clone()/>
            }).collect_view()}
            <button type="submit" class="btn-primary col-span-2 md:col-span-1">"Rechercher"</button>
        </Form>
    }
}

/// One facet: each value is a link to the search with it set (or cleared).
#[component]
pub fn FacetBlock(facet: Facet, query: SearchQuery) -> impl IntoView {
    let key = facet.key.clone();
    view! {
        <section class="mb-6" data-facet=facet.key.clone()>
            <h2 class="text-sm font-bold uppercase tracking-wide text-slate-700">{facet.label}</h2>
            <ul class="mt-2 space-y-1">
                {facet.values.into_iter().map(|value| {
                    let href = if value.selected { query.with_facet(&key, "").href() } else { query.with_facet(&key, &value.value).href() };
                    view! {
                        <li>
                            <a href=href class="flex justify-between gap-2 rounded px-2 py-1 text-sm hover:bg-slate-100 aria-[current=true]:bg-brand-50 aria-[current=true]:font-bold"
                                aria-current=value.selected.then_some("true") data-value=value.value.clone() data-count=value.count>
                                <span>{value.label}</span><span class="text-slate-600">{value.count}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The selected facet values, each a link that removes it.
#[component]
pub fn ActiveFilters(facets: Vec<Facet>, query: SearchQuery) -> impl IntoView {
    let chips: Vec<(String, String)> = facets
        .iter()
        .flat_map(|facet| {
            facet
                .values
                .iter()
                .filter(|v| v.selected)
                .map(|v| (v.label.clone(), query.with_facet(&facet.key, "").href()))
                .collect::<Vec<_>>()
        })
        .collect();
    (!chips.is_empty()).then(|| view! {
        <ul class="mt-3 flex flex-wrap gap-2" aria-label="Filtres actifs">
            {chips.into_iter().map(|(label, href)| view! {
                <li><a href=href class="inline-flex items-center gap-1 rounded-full bg-brand-50 px-3 py-1 text-sm font-semibold text-brand-800 hover:underline">
                    {label} <span aria-hidden="true">"×"</span><span class="sr-only">" (retirer ce filtre)"</span>
                </a></li>
            }).collect_view()}
        </ul>
    })
}

/// Previous/next links of a result list, in the page and in `<head>`.
#[component]
pub fn Pager(query: SearchQuery, pages: i64) -> impl IntoView {
    let site = crate::base::site::use_site();
    let page = query.page_number();
    let prev = (page > 1).then(|| query.with_page(page - 1).href());
    let next = (page < pages).then(|| query.with_page(page + 1).href());
    view! {
        {prev.clone().map(|href| view! { <leptos_meta::Link rel="prev" href=site.url(&href)/> })}
        {next.clone().map(|href| view! { <leptos_meta::Link rel="next" href=site.url(&href)/> })}
        {(prev.is_some() || next.is_some()).then(|| view! {
            <nav aria-label="Pagination" class="mt-8 flex items-center justify-between">
                {prev.map(|href| view! { <a href=href rel="prev" class="btn-secondary">"← Page précédente"</a> })}
                <span class="text-sm text-slate-700">{format!("Page {page} sur {pages}")}</span>
                {next.map(|href| view! { <a href=href rel="next" class="btn-secondary">"Page suivante →"</a> })}
            </nav>
        })}
    }
}

/// `/formations` and `/offres`: the search of `scope` as the URL says it,
/// its facets, results and pager. `save_search` draws what sits beside the
/// count (the alert form of offers and trainings) from the query string.
#[component]
pub fn SearchPage<C, Fut>(
    scope: Scope,
    load: fn(SearchQuery) -> Fut,
    #[prop(optional)] save_search: Option<fn(String) -> AnyView>,
) -> impl IntoView
where
    C: ResultCard,
    Fut: std::future::Future<Output = Result<Results<C>, AppError>> + Send + 'static,
{
    let query_map = leptos_router::hooks::use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        let pairs: Vec<(String, String)> = map
            .clone()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SearchQuery::from_pairs(scope, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    });
    let results = Resource::new(move || query.get(), load);
    let site = crate::base::site::use_site();
    // A Transition keeps the current results on screen while a new filter loads.
    view! {
        <Transition fallback=|| view! { <p class="mx-auto max-w-6xl px-4 py-10" aria-busy="true">"Chargement…"</p> }>
            {
                let site = site.clone();
                move || results.get().map(|result| match result {
                    Err(error) => crate::ui::errors::error_view(error),
                    Ok(results) => results_view(&site, results, save_search),
                })
            }
        </Transition>
    }
}

fn results_view<C: ResultCard>(
    site: &crate::base::site::Site,
    results: Results<C>,
    save_search: Option<fn(String) -> AnyView>,
) -> AnyView {
    use crate::base::seo::{JsonLd, Seo};
    let query = results.query.clone();
    let scope = query.scope;
    let path = query.href();
    let title = scope.title(&query.q);
    let description = scope.description(results.total);
    let items: Vec<(String, String)> = results
        .cards
        .iter()
        .map(|card| {
            let (slug, title) = card.link();
            (scope.item_path(slug), title.to_owned())
        })
        .collect();
    let crumbs = scope.breadcrumb(site, None);
    let total = results.total;
    let active = results
        .facets
        .iter()
        .flat_map(|facet| &facet.values)
        .filter(|value| value.selected)
        .count();
    let (q_label, q_placeholder) = scope.q_texts();
    let count = view! {
        <p class="font-semibold text-slate-900" role="status" data-total=total>
            {scope.count_label(total)}
            {results.place.clone().map(|p| scope.near_label(query.radius_km(), &p))}
        </p>
    };
    let count = match save_search {
        Some(form) => view! {
            <div class="flex flex-wrap items-start justify-between gap-4">
                {count}
                {form(query.with_page(0).query_string())}
            </div>
        }
        .into_any(),
        None => count.into_any(),
    };
    view! {
        <Seo title=title.clone() description path=path noindex=query.noindex()/>
        <JsonLd value=crumbs/>
        <JsonLd value=item_list(site, &items)/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            <h1 class="text-3xl font-extrabold text-slate-900">{title}</h1>
            <SearchForm query=query.clone() place=results.place.clone() place_error=results.place_error.clone()
                q_label q_placeholder/>
            <div class="mt-6 grid gap-4 lg:mt-8 lg:grid-cols-[16rem_1fr] lg:gap-8">
                // On a phone the results come first: the facets wait behind
                // "Filtres", a checkbox and its label, so it opens without
                // JavaScript too; on wide screens they are a column.
                <div>
                    <input id="voir-filtres" type="checkbox" class="peer sr-only lg:hidden" aria-controls="filtres"/>
                    <label for="voir-filtres" class="btn-secondary w-full cursor-pointer peer-focus-visible:ring-2 peer-focus-visible:ring-brand-700 peer-checked:bg-brand-50 lg:hidden">
                        "Filtres" {(active > 0).then(|| format!(" ({active})"))}
                    </label>
                    <aside id="filtres" aria-label="Filtres" class="mt-4 hidden peer-checked:block lg:mt-0 lg:block">
                        {results.facets.iter().cloned().map(|facet| view! { <FacetBlock facet query=query.clone()/> }).collect_view()}
                    </aside>
                </div>
                <div>
                    {count}
                    <ActiveFilters facets=results.facets.clone() query=query.clone()/>
                    <div class="mt-4 grid gap-4">
                        {results.cards.into_iter().map(ResultCard::view).collect_view()}
                    </div>
                    <Pager query=query.clone() pages=results.pages/>
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// ItemList JSON-LD of a result page.
pub fn item_list(site: &crate::base::site::Site, items: &[(String, String)]) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "numberOfItems": items.len(),
        "itemListElement": items.iter().enumerate().map(|(i, (path, name))| serde_json::json!({
            "@type": "ListItem",
            "position": i + 1,
            "url": site.url(path),
            "name": name,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trips_through_its_url() {
        let query = SearchQuery::from_pairs(
            Scope::Trainings,
            [
                ("q", "développeur web"),
                ("modalite", "presentiel"),
                ("lieu", "Lyon (69001)"),
                ("rayon", "50"),
                ("page", "2"),
                ("inconnu", "x"),
                ("contrat", "cdi"),
            ],
        );
        assert_eq!(query.facet("modalite"), "presentiel");
        // A job-board key means nothing to the catalogue.
        assert_eq!(query.facet("contrat"), "");
        let href = query.href();
        assert_eq!(
            href,
            "/formations?q=d%C3%A9veloppeur+web&lieu=Lyon+%2869001%29&rayon=50&modalite=presentiel&page=2"
        );
        assert_eq!(SearchQuery::parse_in(Scope::Trainings, &href[11..]), query);
        // A facet change goes back to page 1; clearing removes it.
        assert_eq!(query.with_facet("cpf", "oui").page, 0);
        assert_eq!(query.with_facet("modalite", "").facet("modalite"), "");
        assert_eq!(query.radius_km(), 50);
        assert_eq!(query.with_page(i64::MAX).page_number(), MAX_PAGE);
        assert_eq!(query.with_page(-3).page_number(), 1);
        assert_eq!(SearchQuery::default().radius_km(), DEFAULT_RADIUS_KM);
        assert_eq!(
            SearchQuery::from_pairs(Scope::Trainings, [("rayon", "500")]).radius_km(),
            100
        );
    }

    #[test]
    fn saved_offer_searches_parse_back() {
        let query = SearchQuery::parse("q=soudeur+tig&contrat=cdi&teletravail=hybride&modalite=x");
        assert_eq!(query.scope, Scope::Offers);
        assert_eq!(query.q, "soudeur tig");
        assert_eq!(query.facet("contrat"), "cdi");
        assert_eq!(query.facet("modalite"), "");
        assert_eq!(
            query.href(),
            "/offres?q=soudeur+tig&contrat=cdi&teletravail=hybride"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn threshold_bands_add_up_into_each_threshold() {
        use ssr::{FacetRow, cumulate};
        let row = |facet: &str, value: &str, count| FacetRow {
            facet: facet.into(),
            value: value.into(),
            label: String::new(),
            count,
        };
        // Band 1: [20 000, 30 000), band 3: 40 000 and more; none in band 2.
        let mut rows = vec![
            row("salaire", "3", 2),
            row("contrat", "cdi", 9),
            row("salaire", "1", 5),
            row("salaire", "7", 1), // beyond the thresholds: ignored
        ];
        cumulate(&mut rows, "salaire", &[20_000, 30_000, 40_000, 50_000]);
        let counts: Vec<(&str, &str, i64)> = rows
            .iter()
            .map(|r| (r.facet.as_str(), r.value.as_str(), r.count))
            .collect();
        assert_eq!(
            counts,
            [
                ("contrat", "cdi", 9),
                ("salaire", "40000", 2),
                ("salaire", "30000", 2),
                ("salaire", "20000", 7),
            ]
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn words_found_something_with_results_or_facet_values_a_click_away() {
        use ssr::found_any;
        let facet =
            serde_json::json!([{ "facet": "contrat", "value": "cdi", "label": "", "count": 1 }]);
        assert!(found_any(3, &serde_json::json!([])));
        assert!(found_any(0, &facet));
        assert!(!found_any(0, &serde_json::json!([])));
    }
}
