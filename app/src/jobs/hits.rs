//! The offers a search's words find, and the page and facet counts a set of
//! filters makes of them.
//!
//! PostgreSQL matches and ranks (the `job_search` full-text index); the
//! filters and the facet counts are worked out here, over the hits kept in
//! memory. Every filter combination of the same words reads the same hits,
//! so the search cache keeps them per version of the offers
//! (`ui::search::cache::Kept::hit_set`): the common words, found in tens of
//! thousands of offers, were a full pass over those offers on every
//! distinct search (a third of a second for the commonest at 100,000 offers).

use super::search::Filters;
use super::{CONTRACTS, EXPERIENCE, POSTED_WITHIN, REMOTE_MODES, SALARY_FLOORS};
use crate::ui::search::ssr::FacetRow;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::PgPool;
use std::collections::HashMap;

/// One live offer the words found, in 32 bytes: the columns the filters,
/// facets and order read. Vocabulary values are indexes into their table
/// (`CONTRACTS`…), places into the set's lists of départements and régions.
#[derive(Clone, Debug)]
struct Hit {
    id: i64,
    /// Microseconds since the epoch, as PostgreSQL orders them.
    published: i64,
    /// Seconds since the epoch, rounded down: an offer leaves at most a
    /// second early, never late.
    expires: u32,
    rank: f32,
    departement: u16,
    region: u16,
    /// How many of `SALARY_FLOORS` its yearly salary reaches (0: none, or
    /// no salary given): the salary filter and facet read nothing else.
    salary_band: u8,
    contract: u8,
    remote: u8,
    experience: u8,
}

/// A value outside its vocabulary table.
const NO_VALUE: u8 = u8::MAX;
/// No place.
const NO_PLACE: u16 = u16::MAX;
const DAY_US: i64 = 86_400_000_000;

/// What the words of one search found (or, without words, every live offer).
pub struct HitSet {
    hits: Vec<Hit>,
    /// `(code, name)` of the places the hits are in.
    departements: Vec<(String, String)>,
    regions: Vec<(String, String)>,
}

/// Which offers to read: the words (on the second try, titles that look
/// like them), near a place, published after a date (alert digests).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Wanted {
    pub words: String,
    pub typo: bool,
    pub near: Option<String>,
    pub radius_m: i64,
    pub since: Option<DateTime<Utc>>,
}

impl HitSet {
    /// What the set weighs in the cache, in hits: its hits, and its place
    /// lists and key (about 16 KB, the weight of 500 hits).
    pub fn weight(&self) -> usize {
        self.hits.len() + 500
    }

    /// Reads the live offers `wanted` asks for, each with its rank. Row by
    /// row: one message holding tens of thousands of hits would stay in
    /// its pooled connection's buffer.
    pub async fn read(pool: &PgPool, wanted: &Wanted) -> Result<Self, sqlx::Error> {
        let names = sqlx::query!(
            r#"SELECT (SELECT coalesce(json_object_agg(code, name), '{}') FROM departements)
                          AS "departements!: sqlx::types::Json<HashMap<String, String>>",
                      (SELECT coalesce(json_object_agg(region_code, region_name), '{}')
                       FROM (SELECT region_code, min(region_name) AS region_name FROM departements
                             GROUP BY region_code) r)
                          AS "regions!: sqlx::types::Json<HashMap<String, String>>""#
        )
        .fetch_one(pool)
        .await?;
        let mut departements = Places::new(names.departements.0);
        let mut regions = Places::new(names.regions.0);
        let mut rows = sqlx::query!(
            r#"WITH params AS (
    SELECT websearch_to_tsquery('french_unaccent', $1::text) AS tsq, immutable_unaccent(lower(trim($1::text))) AS qn
),
near AS (
    SELECT c.code FROM communes c, communes o
    WHERE o.code = $3::text
      AND earth_box(ll_to_earth(o.latitude, o.longitude), $4::float8) @> ll_to_earth(c.latitude, c.longitude)
      AND distance_m(o.latitude, o.longitude, c.latitude, c.longitude) <= $4::float8
),
-- The offers the words find, or on the second try ($2) the titles that
-- look like them; every offer without words.
found AS (
    SELECT s.offer_id, s.contract, s.remote, s.experience, s.salary_year_min, s.departement, s.region,
           s.commune_code, s.published_at, s.expires_at, ts_rank(s.rank_document, p.tsq) AS rank
    FROM job_search s, params p
    -- The query spelled out rather than read from params: the planner then
    -- estimates its hits from the word statistics and picks plans to match.
    WHERE $1::text <> '' AND NOT $2::bool AND s.document @@ websearch_to_tsquery('french_unaccent', $1::text)
    UNION ALL
    SELECT s.offer_id, s.contract, s.remote, s.experience, s.salary_year_min, s.departement, s.region,
           s.commune_code, s.published_at, s.expires_at, word_similarity(p.qn, s.title_key)
    FROM job_search s, params p
    WHERE $1::text <> '' AND $2::bool AND p.qn <% s.title_key
    UNION ALL
    SELECT s.offer_id, s.contract, s.remote, s.experience, s.salary_year_min, s.departement, s.region,
           s.commune_code, s.published_at, s.expires_at, 0
    FROM job_search s WHERE $1::text = ''
)
-- Vocabulary values travel as their index in the lists given (from 0).
SELECT f.offer_id AS "id!", f.rank AS "rank!", f.published_at AS "published!", f.expires_at AS "expires!",
       f.salary_year_min AS salary, f.departement, f.region,
       (array_position($6::text[], f.contract) - 1)::int2 AS contract,
       (array_position($7::text[], f.remote) - 1)::int2 AS remote,
       (array_position($8::text[], f.experience) - 1)::int2 AS experience
FROM found f
WHERE f.expires_at > now()
  AND ($5::timestamptz IS NULL OR f.published_at > $5)
  -- Near a place: offers there, and fully remote ones (open to anyone).
  AND ($3::text IS NULL OR f.remote = 'teletravail' OR f.commune_code IN (SELECT code FROM near))"#,
            wanted.words,
            wanted.typo,
            wanted.near,
            wanted.radius_m as f64,
            wanted.since,
            &values(&CONTRACTS),
            &values(&REMOTE_MODES),
            &values(&EXPERIENCE),
        )
        .fetch(pool);
        let value = |i: Option<i16>| i.and_then(|i| u8::try_from(i).ok()).unwrap_or(NO_VALUE);
        let mut hits = Vec::new();
        while let Some(row) = rows.try_next().await? {
            hits.push(Hit {
                id: row.id,
                published: row.published.timestamp_micros(),
                expires: u32::try_from(row.expires.timestamp()).unwrap_or(u32::MAX),
                rank: row.rank,
                departement: departements.index(row.departement.as_deref()),
                region: regions.index(row.region.as_deref()),
                salary_band: salary_band(row.salary),
                contract: value(row.contract),
                remote: value(row.remote),
                experience: value(row.experience),
            });
        }
        hits.shrink_to_fit();
        Ok(Self {
            hits,
            departements: departements.list,
            regions: regions.list,
        })
    }

    /// The page (`offset`, `limit`) of the hits passing every filter, their
    /// number, and each facet's counts: a facet counts the hits passing
    /// every filter but its own. Salary floors and "posted within" come back
    /// as bands between two thresholds (`ui::search::ssr::cumulate` sums
    /// them). `now` is the database's clock: hits expired since they were
    /// read are left out, and the "posted within" windows start from it.
    pub fn tally(
        &self,
        filters: &Filters,
        order: Order,
        now: DateTime<Utc>,
        offset: usize,
        limit: usize,
    ) -> Tally {
        let now_us = now.timestamp_micros();
        let now_s = u32::try_from(now.timestamp()).unwrap_or(u32::MAX);
        // Days of 24 hours (PostgreSQL's `now() - interval` follows the
        // session's time zone: an hour apart around a change of time).
        let ago = |days: i32| now_us - i64::from(days) * DAY_US;
        let wanted = Indexed {
            contract: filters.contract.as_deref().map(|c| position(&CONTRACTS, c)),
            remote: filters
                .remote
                .as_deref()
                .map(|c| position(&REMOTE_MODES, c)),
            experience: filters
                .experience
                .as_deref()
                .map(|c| position(&EXPERIENCE, c)),
            departement: filters
                .departement
                .as_deref()
                .map(|code| place_index(&self.departements, code)),
            region: filters
                .region
                .as_deref()
                .map(|code| place_index(&self.regions, code)),
        };
        let posted_since = filters.posted_days.map(ago);
        let salary_band_wanted = filters.salary_floor.map(|floor| salary_band(Some(floor)));
        // The band thresholds, lowest first.
        let floors = SALARY_FLOORS;
        let mut windows: Vec<i64> = POSTED_WITHIN
            .iter()
            .map(|(_, _, days)| ago(*days))
            .collect();
        windows.sort_unstable();

        let mut counts = Counts::new(
            self.departements.len(),
            self.regions.len(),
            floors.len(),
            windows.len(),
        );
        let mut matched: Vec<u32> = Vec::new();
        for (i, hit) in self.hits.iter().enumerate() {
            if hit.expires <= now_s {
                continue;
            }
            let fails = |wanted: Option<u8>, value: u8| wanted.is_some_and(|w| w != value);
            let miss = u8::from(fails(wanted.contract, hit.contract))
                | u8::from(fails(wanted.remote, hit.remote)) << 1
                | u8::from(salary_band_wanted.is_some_and(|band| hit.salary_band < band)) << 2
                | u8::from(fails(wanted.experience, hit.experience)) << 3
                | u8::from(posted_since.is_some_and(|since| hit.published < since)) << 4
                | u8::from(wanted.departement.is_some_and(|d| d != hit.departement)) << 5
                | u8::from(wanted.region.is_some_and(|r| r != hit.region)) << 6;
            // A hit failing two filters counts nowhere.
            if miss & miss.wrapping_sub(1) != 0 {
                continue;
            }
            if miss == 0 {
                matched.push(i as u32);
            }
            let counts_in = |bit: u8| miss == 0 || miss == 1 << bit;
            if counts_in(0) && hit.contract != NO_VALUE {
                counts.contract[usize::from(hit.contract)] += 1;
            }
            if counts_in(1) && hit.remote != NO_VALUE {
                counts.remote[usize::from(hit.remote)] += 1;
            }
            if counts_in(2) && hit.salary_band > 0 {
                counts.salary[usize::from(hit.salary_band) - 1] += 1;
            }
            if counts_in(3) && hit.experience != NO_VALUE {
                counts.experience[usize::from(hit.experience)] += 1;
            }
            if counts_in(4) && hit.published >= windows[0] {
                counts.posted[windows.iter().filter(|at| **at <= hit.published).count() - 1] += 1;
            }
            if counts_in(5) && hit.departement != NO_PLACE {
                counts.departement[usize::from(hit.departement)] += 1;
            }
            if counts_in(6) && hit.region != NO_PLACE {
                counts.region[usize::from(hit.region)] += 1;
            }
        }

        let total = matched.len();
        let before = |a: &u32, b: &u32| {
            let (a, b) = (&self.hits[*a as usize], &self.hits[*b as usize]);
            let by_date = match order {
                Order::Date => b.published.cmp(&a.published),
                Order::Relevance => std::cmp::Ordering::Equal,
            };
            by_date
                .then(b.rank.total_cmp(&a.rank))
                .then(b.published.cmp(&a.published))
                .then(a.id.cmp(&b.id))
        };
        let end = (offset + limit).min(total);
        if offset >= end {
            matched.clear();
        } else if end < total {
            matched.select_nth_unstable_by(end - 1, before);
        }
        if let Some(top) = matched.get_mut(..end) {
            top.sort_unstable_by(before);
        }
        let page = matched
            .get(offset..end)
            .unwrap_or_default()
            .iter()
            .map(|i| self.hits[*i as usize].id)
            .collect();
        Tally {
            total: total as i64,
            page,
            facets: counts.rows(self),
        }
    }
}

/// How the page is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Best rank first, then newest.
    Relevance,
    /// Newest first, then best rank.
    Date,
}

/// A page of a search: ids in order, their total and the facet rows.
pub struct Tally {
    pub total: i64,
    pub page: Vec<i64>,
    pub facets: Vec<FacetRow>,
}

/// The filters as indexes (`Some`: filtered on that value).
struct Indexed {
    contract: Option<u8>,
    remote: Option<u8>,
    experience: Option<u8>,
    departement: Option<u16>,
    region: Option<u16>,
}

struct Counts {
    contract: [i64; CONTRACTS.len()],
    remote: [i64; REMOTE_MODES.len()],
    experience: [i64; EXPERIENCE.len()],
    salary: Vec<i64>,
    posted: Vec<i64>,
    departement: Vec<i64>,
    region: Vec<i64>,
}

impl Counts {
    fn new(departements: usize, regions: usize, floors: usize, windows: usize) -> Self {
        Self {
            contract: [0; CONTRACTS.len()],
            remote: [0; REMOTE_MODES.len()],
            experience: [0; EXPERIENCE.len()],
            salary: vec![0; floors],
            posted: vec![0; windows],
            departement: vec![0; departements],
            region: vec![0; regions],
        }
    }

    /// The non-zero counts as facet rows; bands numbered from 1.
    fn rows(&self, set: &HitSet) -> Vec<FacetRow> {
        let mut rows = Vec::new();
        let mut push = |facet: &str, value: String, label: &str, count: i64| {
            if count > 0 {
                rows.push(FacetRow {
                    facet: facet.to_owned(),
                    value,
                    label: label.to_owned(),
                    count,
                });
            }
        };
        for (table, key, counts) in [
            (&CONTRACTS[..], "contrat", &self.contract[..]),
            (&REMOTE_MODES[..], "teletravail", &self.remote[..]),
            (&EXPERIENCE[..], "experience", &self.experience[..]),
        ] {
            for ((value, _), count) in table.iter().zip(counts) {
                push(key, (*value).to_owned(), "", *count);
            }
        }
        for (key, bands) in [("salaire", &self.salary), ("publiee", &self.posted)] {
            for (band, count) in bands.iter().enumerate() {
                push(key, (band + 1).to_string(), "", *count);
            }
        }
        for (key, places, counts) in [
            ("departement", &set.departements, &self.departement),
            ("region", &set.regions, &self.region),
        ] {
            for ((code, name), count) in places.iter().zip(counts) {
                push(key, code.clone(), name, *count);
            }
        }
        rows
    }
}

/// Places met while reading hits, each given an index once.
struct Places {
    names: HashMap<String, String>,
    list: Vec<(String, String)>,
    seen: HashMap<String, u16>,
}

impl Places {
    fn new(names: HashMap<String, String>) -> Self {
        Self {
            names,
            list: Vec::new(),
            seen: HashMap::new(),
        }
    }

    fn index(&mut self, code: Option<&str>) -> u16 {
        let Some(code) = code else { return NO_PLACE };
        if let Some(index) = self.seen.get(code) {
            return *index;
        }
        let Ok(index) = u16::try_from(self.list.len()) else {
            return NO_PLACE;
        };
        let name = self.names.get(code).cloned().unwrap_or_default();
        self.list.push((code.to_owned(), name));
        self.seen.insert(code.to_owned(), index);
        index
    }
}

/// A filter's place as an index; one no hit has when no hit is there.
fn place_index(places: &[(String, String)], code: &str) -> u16 {
    places
        .iter()
        .position(|(c, _)| c == code)
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(NO_PLACE - 1)
}

/// How many salary floors a yearly salary reaches.
fn salary_band(salary: Option<i32>) -> u8 {
    let reached = salary.map_or(0, |salary| {
        SALARY_FLOORS
            .iter()
            .filter(|floor| **floor <= salary)
            .count()
    });
    u8::try_from(reached).unwrap_or(NO_VALUE)
}

/// A vocabulary table's values, in order.
fn values(table: &[(&str, &str)]) -> Vec<String> {
    table.iter().map(|(value, _)| (*value).to_owned()).collect()
}

fn position(table: &[(&str, &str)], value: &str) -> u8 {
    table
        .iter()
        .position(|(v, _)| *v == value)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(NO_VALUE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(
        id: i64,
        contract: &str,
        remote: &str,
        salary: Option<i32>,
        place: u16,
        half_days_ago: i64,
    ) -> Hit {
        let at = now();
        Hit {
            id,
            published: at.timestamp_micros() - half_days_ago * DAY_US / 2,
            expires: (at.timestamp() + 10 * 86_400) as u32,
            rank: 0.5,
            salary_band: salary_band(salary),
            departement: place,
            region: place,
            contract: position(&CONTRACTS, contract),
            remote: position(&REMOTE_MODES, remote),
            experience: position(&EXPERIENCE, "debutant"),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    /// Offer 1 (CDI, hybrid, 32 k€, Rhône, a day and a half old), 2 (CDD, hybrid, no
    /// salary, Paris, 5 days old, better ranked), 3 (CDI, on site, 45 k€,
    /// Rhône, half a day old) and 4 (CDI, hybrid, expired).
    fn set() -> HitSet {
        let mut hits = vec![
            hit(1, "cdi", "hybride", Some(32_000), 0, 3),
            hit(2, "cdd", "hybride", None, 1, 10),
            hit(3, "cdi", "presentiel", Some(45_000), 0, 1),
            hit(4, "cdi", "hybride", Some(32_000), 0, 3),
        ];
        hits[1].rank = 0.9;
        hits[3].expires = now().timestamp() as u32;
        let places = |a: &str, b: &str| {
            vec![
                (a.to_owned(), format!("{a}!")),
                (b.to_owned(), format!("{b}!")),
            ]
        };
        HitSet {
            hits,
            departements: places("69", "75"),
            regions: places("84", "11"),
        }
    }

    fn counts(tally: &Tally, facet: &str) -> Vec<(String, i64)> {
        tally
            .facets
            .iter()
            .filter(|row| row.facet == facet)
            .map(|row| (row.value.clone(), row.count))
            .collect()
    }

    fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
        list.iter().map(|(v, n)| ((*v).to_owned(), *n)).collect()
    }

    #[test]
    fn each_facet_counts_the_hits_passing_every_other_filter() {
        let filters = Filters {
            contract: Some("cdi".into()),
            remote: Some("hybride".into()),
            ..Filters::default()
        };
        let tally = set().tally(&filters, Order::Relevance, now(), 0, 20);
        assert_eq!(
            (tally.total, tally.page.clone()),
            (1, vec![1]),
            "4 has expired"
        );
        assert_eq!(counts(&tally, "contrat"), pairs(&[("cdi", 1), ("cdd", 1)]));
        assert_eq!(
            counts(&tally, "teletravail"),
            pairs(&[("presentiel", 1), ("hybride", 1)])
        );
        // Bands from 1: 32 k€ is past three floors; a day and a half old, within two windows.
        assert_eq!(counts(&tally, "salaire"), pairs(&[("3", 1)]));
        assert_eq!(counts(&tally, "publiee"), pairs(&[("2", 1)]));
        let places: Vec<_> = tally
            .facets
            .iter()
            .filter(|row| row.facet == "departement")
            .collect();
        assert_eq!(
            (
                places[0].value.as_str(),
                places[0].label.as_str(),
                places[0].count
            ),
            ("69", "69!", 1)
        );

        // Failing two filters counts nowhere; one, only in its own facet.
        let filters = Filters {
            contract: Some("cdd".into()),
            remote: Some("presentiel".into()),
            ..Filters::default()
        };
        let tally = set().tally(&filters, Order::Relevance, now(), 0, 20);
        assert_eq!(tally.total, 0);
        assert_eq!(counts(&tally, "contrat"), pairs(&[("cdi", 1)]));
        assert_eq!(counts(&tally, "teletravail"), pairs(&[("hybride", 1)]));
        assert!(counts(&tally, "experience").is_empty());

        // A place no hit has: nothing passes, its facet offers the others.
        let filters = Filters {
            region: Some("93".into()),
            ..Filters::default()
        };
        let tally = set().tally(&filters, Order::Relevance, now(), 0, 20);
        assert_eq!(tally.total, 0);
        assert_eq!(counts(&tally, "region"), pairs(&[("84", 2), ("11", 1)]));
        // Missing salary fails a salary floor (3, newer, comes first).
        let filters = Filters {
            salary_floor: Some(20_000),
            ..Filters::default()
        };
        assert_eq!(
            set().tally(&filters, Order::Relevance, now(), 0, 20).page,
            [3, 1]
        );
    }

    #[test]
    fn a_hit_takes_32_bytes() {
        // The cache's allowance (`HITS_KEPT`) is counted in hits.
        assert_eq!(std::mem::size_of::<Hit>(), 32);
    }

    #[test]
    fn pages_follow_rank_or_date_and_end_with_the_hits() {
        let all = Filters::default();
        let page = |order, offset, limit| set().tally(&all, order, now(), offset, limit).page;
        // Equal ranks: the newer first.
        assert_eq!(page(Order::Relevance, 0, 20), [2, 3, 1]);
        assert_eq!(page(Order::Date, 0, 20), [3, 1, 2]);
        assert_eq!(page(Order::Relevance, 1, 1), [3]);
        assert_eq!(page(Order::Date, 2, 5), [2]);
        assert!(page(Order::Relevance, 5, 20).is_empty());
        // Eleven days on, every hit has expired: the clock decides, not a new read.
        let later = now() + chrono::TimeDelta::days(11);
        assert_eq!(set().tally(&all, Order::Relevance, later, 0, 20).total, 0);
    }
}
