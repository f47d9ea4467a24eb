//! Audience measurement, the way the CNIL exempts it from consent: no
//! cookie, no IP address, no user id, no per-visitor record; daily totals
//! per [`Metric`]. `ssr` counts; the `analytics` module reads the totals.

use serde::{Deserialize, Serialize};

/// What a counter counts (`analytics_daily.metric`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Metric {
    /// A page served, by route kind (`label`, see [`route_kind`]).
    Page,
    /// A public listing's page: `label` its kind, `item` its id.
    View,
    OfferSearch,
    OfferFilter,
    TrainingSearch,
    TrainingFilter,
    /// A candidate who may apply was shown the application form.
    ApplicationStarted,
    ApplicationSent,
    EnrolmentSent,
}

impl Metric {
    pub const ALL: [Metric; 9] = [
        Self::Page,
        Self::View,
        Self::OfferSearch,
        Self::OfferFilter,
        Self::TrainingSearch,
        Self::TrainingFilter,
        Self::ApplicationStarted,
        Self::ApplicationSent,
        Self::EnrolmentSent,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::View => "vue",
            Self::OfferSearch => "recherche_offres",
            Self::OfferFilter => "filtre_offres",
            Self::TrainingSearch => "recherche_formations",
            Self::TrainingFilter => "filtre_formations",
            Self::ApplicationStarted => "candidature_ouverte",
            Self::ApplicationSent => "candidature_envoyee",
            Self::EnrolmentSent => "inscription_demandee",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_db() == value)
    }
}

/// The kind of page a path is, as the page-view counts group them.
pub fn route_kind(path: &str) -> &'static str {
    let mut parts = path.trim_matches('/').split('/');
    match (parts.next().unwrap_or(""), parts.next()) {
        ("", _) => "accueil",
        ("offres", None) => "recherche d'offres",
        ("offres", Some(_)) => "offre",
        ("formations", None) => "catalogue",
        ("formations", Some(_)) => "formation",
        ("blog", None) => "blog",
        ("blog", Some("categorie" | "tag")) => "blog",
        ("blog", Some(_)) => "article",
        ("centres", _) => "centre",
        ("entreprises", _) => "entreprise",
        ("tableau-de-bord", _) => "tableau de bord",
        ("compte", _) => "compte",
        ("admin", _) => "administration",
        ("connexion" | "inscription" | "mot-de-passe-oublie" | "reinitialiser", _) => "connexion",
        _ => "autre",
    }
}

/// A search's words as they are counted: lower case, single spaces, at
/// most 80 characters; words that look like an e-mail address or a phone
/// number are not kept (people paste their own).
pub fn normalise_words(words: &str) -> String {
    let personal =
        |word: &str| word.contains('@') || word.chars().filter(char::is_ascii_digit).count() >= 6;
    words
        .split_whitespace()
        .map(|word| if personal(word) { "…" } else { word })
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .chars()
        .take(80)
        .collect()
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! Pages add to counters in memory ([`Counter`]); the server writes
    //! them every few seconds as daily totals, in one statement
    //! (`analytics_daily`), never a row per page view. The worker forgets
    //! totals after 25 months.

    use super::Metric;
    use sqlx::PgPool;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, PoisonError};

    /// One thing counted: a metric, what it is about (`label`: a route or
    /// listing kind, a search's words, a filter; `item`: an offer's, a
    /// training's… id, or 0), and for searches whether it found nothing.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Event {
        pub metric: Metric,
        pub label: String,
        pub item: i64,
        pub zero: bool,
    }

    impl Event {
        pub fn new(metric: Metric, label: &str, item: i64) -> Self {
            Self {
                metric,
                label: label.chars().take(LONGEST_LABEL).collect(),
                item,
                zero: false,
            }
        }
    }

    /// Longer search words are cut: a label is a count's name, not a text.
    const LONGEST_LABEL: usize = 80;
    /// Distinct counters kept between two writes: a flood of made-up searches
    /// cannot grow memory past this (known counters still count).
    const MOST_COUNTERS: usize = 20_000;

    type Key = (Metric, String, i64);

    /// The counts since the last [`Counter::flush`]: (events, of which found
    /// nothing). Shared by every request of the process.
    #[derive(Clone, Debug, Default)]
    pub struct Counter {
        counts: Arc<Mutex<HashMap<Key, (i64, i64)>>>,
        /// Counting turned off: every event is dropped.
        off: bool,
    }

    impl Counter {
        /// A counter that counts nothing (counting turned off).
        pub fn off() -> Self {
            Self {
                off: true,
                ..Self::default()
            }
        }

        fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (i64, i64)>> {
            // A panic while holding the lock leaves the map whole.
            self.counts.lock().unwrap_or_else(PoisonError::into_inner)
        }

        pub fn add(&self, event: &Event) {
            if self.off {
                return;
            }
            let mut counts = self.counts();
            let key = (event.metric, event.label.clone(), event.item);
            let full = counts.len() >= MOST_COUNTERS;
            let entry = match counts.get_mut(&key) {
                Some(entry) => entry,
                None if full => return,
                None => counts.entry(key).or_default(),
            };
            entry.0 += 1;
            entry.1 += i64::from(event.zero);
        }

        /// Writes the counts as today's totals (Paris time) and the offers' and
        /// trainings' view counters, in one statement; the number of events
        /// written. On failure they go back for the next flush.
        pub async fn flush(&self, pool: &PgPool) -> Result<i64, sqlx::Error> {
            let taken = std::mem::take(&mut *self.counts());
            if taken.is_empty() {
                return Ok(0);
            }
            let total = taken.values().map(|(hits, _)| hits).sum();
            let (mut metrics, mut labels, mut items, mut hits, mut zeros) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for ((metric, label, item), (n, zero)) in &taken {
                metrics.push(metric.as_db());
                labels.push(label.as_str());
                items.push(*item);
                hits.push(*n);
                zeros.push(*zero);
            }
            let written = sqlx::query!(
                r#"WITH counted AS (
                       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
                           AS c (metric, label, item, hits, zero)
                   ), daily AS (
                       INSERT INTO analytics_daily (day, metric, label, item, hits, zero)
                       SELECT (now() AT TIME ZONE 'Europe/Paris')::date, metric, label, item, hits, zero
                       FROM counted
                       ON CONFLICT (day, metric, label, item) DO UPDATE
                           SET hits = analytics_daily.hits + EXCLUDED.hits,
                               zero = analytics_daily.zero + EXCLUDED.zero
                   ), offers AS (
                       UPDATE job_offers j SET view_count = j.view_count + c.hits
                       FROM counted c WHERE c.metric = 'vue' AND c.label = 'offre' AND j.id = c.item
                   ), trainings AS (
                       UPDATE trainings t SET view_count = t.view_count + c.hits
                       FROM counted c WHERE c.metric = 'vue' AND c.label = 'formation' AND t.id = c.item
                   )
                   SELECT 1 AS "done!""#,
                &metrics as &[&str],
                &labels as &[&str],
                &items,
                &hits,
                &zeros
            )
            .fetch_one(pool)
            .await;
            if let Err(error) = written {
                let mut counts = self.counts();
                for (key, (n, zero)) in taken {
                    let entry = counts.entry(key).or_default();
                    entry.0 += n;
                    entry.1 += zero;
                }
                return Err(error);
            }
            Ok(total)
        }
    }

    /// A client that says it is a robot (search engines, link checkers): its
    /// requests are not an audience.
    pub fn is_bot(headers: &http::HeaderMap) -> bool {
        headers
            .get(http::header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|agent| {
                let agent = agent.to_ascii_lowercase();
                [
                    "bot",
                    "crawl",
                    "spider",
                    "slurp",
                    "facebookexternalhit",
                    "preview",
                ]
                .iter()
                .any(|word| agent.contains(word))
            })
    }

    /// A page the browser fetches ahead in case it is visited: not a view.
    pub fn is_prefetch(headers: &http::HeaderMap) -> bool {
        ["sec-purpose", "purpose"].into_iter().any(|name| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.contains("prefetch"))
        })
    }

    /// The response header that carries what a page render counted, so that
    /// the server's page cache counts it again each time it serves the page
    /// unrendered (and takes it off the response).
    pub const COUNT_HEADER: &str = "x-passerelle-count";

    /// An event as [`COUNT_HEADER`] carries it: `metric/label/item/zero`, the
    /// label percent-encoded.
    pub fn encode(event: &Event) -> String {
        format!(
            "{}/{}/{}/{}",
            event.metric.as_db(),
            form_urlencoded::byte_serialize(event.label.as_bytes()).collect::<String>(),
            event.item,
            u8::from(event.zero)
        )
    }

    /// The event [`encode`] wrote; `None` for anything else.
    pub fn decode(value: &str) -> Option<Event> {
        let mut parts = value.trim().split('/');
        let metric = Metric::from_db(parts.next()?)?;
        // Read as a form's lone key: `+` and `%XX` decoded as they were encoded.
        let label = form_urlencoded::parse(parts.next()?.as_bytes())
            .next()
            .map_or_else(String::new, |(key, _)| key.into_owned());
        let item = parts.next()?.parse().ok()?;
        let zero = parts.next()? == "1";
        Some(Event {
            metric,
            label,
            item,
            zero,
        })
    }

    /// Counts `event` for the request under way: not for robots, and in the
    /// response header too when this is a page render (see [`COUNT_HEADER`]).
    pub fn record(event: Event) {
        use leptos::prelude::use_context;
        let Some(parts) = use_context::<http::request::Parts>() else {
            return;
        };
        // A robot's render is not counted, but carries its counts all the
        // same: the page cache may keep it and serve it to people.
        if !is_bot(&parts.headers) && !is_prefetch(&parts.headers) {
            match use_context::<Counter>() {
                Some(counter) => counter.add(&event),
                None => tracing::error!("no analytics Counter in the Leptos context"),
            }
        }
        if crate::base::seo::ssr::is_page_render()
            && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(value) = http::HeaderValue::from_str(&encode(&event))
        {
            response.append_header(http::HeaderName::from_static(COUNT_HEADER), value);
        }
    }

    /// A view of a public listing page: `kind` is "offre", "formation",
    /// "article", "centre" or "entreprise". Only page renders count: the
    /// hydrated app's own calls follow a render that was already counted.
    pub fn view(kind: &str, id: i64) {
        if crate::base::seo::ssr::is_page_render() {
            record(Event::new(Metric::View, kind, id));
        }
    }

    /// A step of a conversion funnel about listing `item` (a request sent).
    pub fn step(metric: Metric, item: i64) {
        record(Event::new(metric, "", item));
    }

    /// A step that is something shown (an application form), counted like
    /// views: on page renders only.
    pub fn shown(metric: Metric, item: i64) {
        if crate::base::seo::ssr::is_page_render() {
            step(metric, item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_grouped_by_kind_of_page() {
        for (path, kind) in [
            ("/", "accueil"),
            ("/offres", "recherche d'offres"),
            ("/offres/soudeur-tig", "offre"),
            ("/formations/", "catalogue"),
            ("/blog/tag/emploi", "blog"),
            ("/blog/un-article", "article"),
            ("/entreprises/atelier", "entreprise"),
            ("/admin/taches", "administration"),
            ("/nimporte/quoi", "autre"),
        ] {
            assert_eq!(route_kind(path), kind, "{path}");
        }
    }

    #[test]
    fn words_are_counted_alike_however_typed() {
        assert_eq!(normalise_words("  Développeur   WEB "), "développeur web");
        assert_eq!(
            normalise_words("soudeur jean@exemple.fr 0612345678 2026"),
            "soudeur … … 2026"
        );
        assert_eq!(normalise_words(&"a".repeat(200)).len(), 80);
        for metric in Metric::ALL {
            assert_eq!(Metric::from_db(metric.as_db()), Some(metric));
        }
    }
}
