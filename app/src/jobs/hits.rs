//! The offers a search's words find, and the page and facet counts a set of
//! filters makes of them.
//!
//! PostgreSQL matches and ranks (the `job_search` full-text index); the
//! filters and the facet counts are worked out here, over the hits kept in
//! memory. Every filter combination of the same words reads the same hits,
//! so the search cache keeps them per version of the offers
//! (`ui::search::cache::hit_set`): the common words, found in tens of
//! thousands of offers, were a full pass over those offers on every
//! distinct search (a third of a second for the commonest at 100,000 offers).

use super::search::Filters;
use super::{CONTRACTS, EXPERIENCE, REMOTE_MODES};
use crate::ui::search::ssr::FacetRow;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;
use std::collections::HashMap;

/// One live offer the words found, in 40 bytes: the columns the filters,
/// facets and order read. Vocabulary values are indexes into their table
/// (`CONTRACTS`…), places into the set's own lists.
#[derive(Clone, Debug)]
struct Hit {
    id: i64,
    /// Microseconds since the epoch, as PostgreSQL compares them.
    published: i64,
    expires: i64,
    rank: f32,
    /// Yearly salary floor; `NONE` when not given.
    salary: i32,
    departement: u16,
    region: u16,
    contract: u8,
    remote: u8,
    experience: u8,
}

const NONE: i32 = i32::MIN;
/// No place, or a value outside its vocabulary table.
const NO_PLACE: u16 = u16::MAX;
const NO_VALUE: u8 = u8::MAX;

/// What the words of one search found (or, without words, every live offer).
pub struct HitSet {
    hits: Vec<Hit>,
    departements: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    /// The database's clock when the hits were read.
    pub read_at: DateTime<Utc>,
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
    /// Offers held, the weight of the set in the cache.
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// Reads the live offers `wanted` asks for, each with its rank.
    pub async fn read(pool: &PgPool, wanted: &Wanted) -> Result<Self, sqlx::Error> {
        let row = sqlx::query!(
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
),
live AS (
    SELECT * FROM found f
    WHERE f.expires_at > now()
      AND ($5::timestamptz IS NULL OR f.published_at > $5)
      -- Near a place: offers there, and fully remote ones (open to anyone).
      AND ($3::text IS NULL OR f.remote = 'teletravail' OR f.commune_code IN (SELECT code FROM near))
)
SELECT now() AS "now!",
       coalesce(array_agg(offer_id), '{}') AS "ids!: Vec<i64>",
       coalesce(array_agg(rank), '{}') AS "ranks!: Vec<f32>",
       coalesce(array_agg(published_at), '{}') AS "published!: Vec<DateTime<Utc>>",
       coalesce(array_agg(expires_at), '{}') AS "expires!: Vec<DateTime<Utc>>",
       coalesce(array_agg(salary_year_min), '{}') AS "salaries!: Vec<Option<i32>>",
       coalesce(array_agg(contract), '{}') AS "contracts!: Vec<String>",
       coalesce(array_agg(remote), '{}') AS "remotes!: Vec<String>",
       coalesce(array_agg(experience), '{}') AS "experiences!: Vec<String>",
       coalesce(array_agg(departement), '{}') AS "departements!: Vec<Option<String>>",
       coalesce(array_agg(region), '{}') AS "regions!: Vec<Option<String>>",
       (SELECT coalesce(json_object_agg(code, name), '{}') FROM departements) AS "departement_names!",
       (SELECT coalesce(json_object_agg(region_code, region_name), '{}')
        FROM (SELECT DISTINCT region_code, region_name FROM departements) r) AS "region_names!"
FROM live"#,
            wanted.words,
            wanted.typo,
            wanted.near,
            wanted.radius_m as f64,
            wanted.since,
        )
        .fetch_one(pool)
        .await?;
        let names = |json: serde_json::Value| -> HashMap<String, String> {
            serde_json::from_value(json).unwrap_or_default()
        };
        let mut departements = Places::new(names(row.departement_names));
        let mut regions = Places::new(names(row.region_names));
        let micros = |at: &DateTime<Utc>| at.timestamp_micros();
        let hits = (0..row.ids.len())
            .map(|i| Hit {
                id: row.ids[i],
                published: micros(&row.published[i]),
                expires: micros(&row.expires[i]),
                rank: row.ranks[i],
                salary: row.salaries[i].unwrap_or(NONE),
                departement: departements.index(row.departements[i].as_deref()),
                region: regions.index(row.regions[i].as_deref()),
                contract: position(&CONTRACTS, Some(&row.contracts[i])),
                remote: position(&REMOTE_MODES, Some(&row.remotes[i])),
                experience: position(&EXPERIENCE, Some(&row.experiences[i])),
            })
            .collect();
        Ok(Self {
            hits,
            departements: departements.list,
            regions: regions.list,
            read_at: row.now,
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
        let day = TimeDelta::days(1)
            .num_microseconds()
            .unwrap_or(86_400_000_000);
        let ago = |days: i32| now_us - i64::from(days) * day;
        let wanted = Indexed {
            contract: filters
                .contract
                .as_deref()
                .map(|c| position(&CONTRACTS, Some(c))),
            remote: filters
                .remote
                .as_deref()
                .map(|c| position(&REMOTE_MODES, Some(c))),
            experience: filters
                .experience
                .as_deref()
                .map(|c| position(&EXPERIENCE, Some(c))),
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
        // The band thresholds, lowest first, as PostgreSQL's width_bucket takes them.
        let floors = super::SALARY_FLOORS;
        let mut windows: Vec<i64> = super::POSTED_WITHIN
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
            if hit.expires <= now_us {
                continue;
            }
            let fails = |wanted: Option<u8>, value: u8| wanted.is_some_and(|w| w != value);
            let miss = u8::from(fails(wanted.contract, hit.contract))
                | u8::from(fails(wanted.remote, hit.remote)) << 1
                | u8::from(filters.salary_floor.is_some_and(|floor| hit.salary < floor)) << 2
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
            if counts_in(2) && hit.salary >= floors[0] {
                counts.salary[floors.iter().filter(|floor| **floor <= hit.salary).count() - 1] += 1;
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
        if end > 0 && end < total {
            matched.select_nth_unstable_by(end - 1, before);
        }
        matched[..end].sort_unstable_by(before);
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
        let index = u16::try_from(self.list.len()).unwrap_or(NO_PLACE);
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

fn position(table: &[(&str, &str)], value: Option<&str>) -> u8 {
    value
        .and_then(|value| table.iter().position(|(v, _)| *v == value))
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(NO_VALUE)
}
