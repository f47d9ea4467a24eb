//! The offers a search's words find, and the page and facet counts a set of
//! filters makes of them.
//!
//! PostgreSQL matches and ranks (the `job_search` full-text index); the
//! filters and the facet counts are worked out here, over the hits kept in
//! memory. Every filter combination of the same words reads the same hits,
//! so the search cache keeps them per version of the offers
//! (`ui::search::cache::Kept::keep`): the common words, found in tens of
//! thousands of offers, were a full pass over those offers on every
//! distinct search (a third of a second for the commonest at 100,000 offers).
//!
//! A search is counted as its hits stream in (`Tallier` holds the counts
//! and the best `offset + limit` hits), so a read never holds more hits than
//! the cache lets it collect: the commonest words of a million offers find
//! hundreds of thousands, which are counted and let go.

use super::search::Filters;
use super::{CONTRACTS, EXPERIENCE, POSTED_WITHIN, REMOTE_MODES, SALARY_FLOORS};
use crate::ui::search::{cache::Room, ssr::FacetRow};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::PgPool;
use std::collections::{BinaryHeap, HashMap};

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

/// Hits are collected in chunks of this many (128 KiB): a set grows
/// without copying itself.
const CHUNK: usize = 4096;

/// What the words of one search found (or, without words, every live offer).
pub struct HitSet {
    chunks: Vec<Vec<Hit>>,
    len: usize,
    departements: Places,
    regions: Places,
}

/// What one search asks of the hits: its filters, order, clock and page.
pub struct Asked<'a> {
    pub filters: &'a Filters,
    pub order: Order,
    /// The database's clock: hits expired since they were read are left
    /// out, and the "posted within" windows start from it.
    pub now: DateTime<Utc>,
    pub offset: usize,
    pub limit: usize,
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
        self.len + 500
    }

    /// Reads the live offers `wanted` asks for, each with its rank, and
    /// tallies them for `asked`; the set too, when `room` lets it collect
    /// every hit (else each is let go once counted). Row by row: one
    /// message holding tens of thousands of hits would stay in its pooled
    /// connection's buffer.
    pub async fn read(
        pool: &PgPool,
        wanted: &Wanted,
        asked: &Asked<'_>,
        room: Option<&mut Room>,
    ) -> Result<(Tally, Option<Self>), sqlx::Error> {
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
        let departements = Places::new(names.departements.0);
        let regions = Places::new(names.regions.0);
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
-- The second try's words: each unknown one replaced by the closest known word.
typo AS (
    SELECT websearch_to_tsquery('french_unaccent', correct_words($1::text)) AS tsq
),
-- The offers the words find, or on the second try ($2) the corrected words
-- or the titles that look like them; every offer without words.
found AS (
    SELECT s.offer_id, s.contract, s.remote, s.experience, s.salary_year_min, s.departement, s.region,
           s.commune_code, s.published_at, s.expires_at, ts_rank(s.rank_document, p.tsq) AS rank
    FROM job_search s, params p
    -- The query spelled out rather than read from params: the planner then
    -- estimates its hits from the word statistics and picks plans to match.
    WHERE $1::text <> '' AND NOT $2::bool AND s.document @@ websearch_to_tsquery('french_unaccent', $1::text)
    UNION ALL
    SELECT s.offer_id, s.contract, s.remote, s.experience, s.salary_year_min, s.departement, s.region,
           s.commune_code, s.published_at, s.expires_at,
           ts_rank(s.rank_document, t.tsq) + word_similarity(p.qn, s.title_key)
    FROM job_search s, params p, typo t
    WHERE $1::text <> '' AND $2::bool
      AND (s.document @@ (SELECT tsq FROM typo) OR p.qn <% s.title_key)
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
        let mut tally = Tallier::new(asked, &departements, &regions);
        let mut collected = Collector::new(room);
        while let Some(row) = rows.try_next().await? {
            let hit = Hit {
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
            };
            tally.add(&hit);
            collected.push(hit);
        }
        let tally = tally.finish(&departements, &regions);
        let set = collected.finish().map(|(chunks, len)| Self {
            chunks,
            len,
            departements,
            regions,
        });
        Ok((tally, set))
    }

    /// The page (`offset`, `limit`) of the hits passing every filter, their
    /// number, and each facet's counts, as `Tallier` counts them.
    pub fn tally(&self, asked: &Asked<'_>) -> Tally {
        let mut tally = Tallier::new(asked, &self.departements, &self.regions);
        for hit in self.chunks.iter().flatten() {
            tally.add(hit);
        }
        tally.finish(&self.departements, &self.regions)
    }
}

/// Collects a read's hits to keep, a chunk at a time, while its room
/// lets it; past that it drops them and collects nothing more.
struct Collector<'r> {
    /// `None`: not collecting (no room given, or no more room).
    room: Option<&'r mut Room>,
    chunks: Vec<Vec<Hit>>,
    len: usize,
}

impl<'r> Collector<'r> {
    fn new(room: Option<&'r mut Room>) -> Self {
        Self {
            room,
            chunks: Vec::new(),
            len: 0,
        }
    }

    fn push(&mut self, hit: Hit) {
        let Some(room) = self.room.as_deref_mut() else {
            return;
        };
        if self.len.is_multiple_of(CHUNK) {
            if !room.take(CHUNK) {
                // Too many to keep: the rest are only counted.
                room.release();
                self.room = None;
                self.chunks = Vec::new();
                return;
            }
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.push(hit);
            self.len += 1;
        }
    }

    /// Every hit pushed, in chunks, and their number; `None` when they
    /// could not all be kept.
    fn finish(mut self) -> Option<(Vec<Vec<Hit>>, usize)> {
        self.room.as_ref()?;
        // Most sets are small: their one chunk would be mostly empty.
        if let Some(last) = self.chunks.last_mut() {
            last.shrink_to_fit();
        }
        Some((self.chunks, self.len))
    }
}

/// Counts hits one at a time for one search: a facet counts the hits
/// passing every filter but its own, and the page is the best `offset +
/// limit` passing them all. Salary floors and "posted within" come back as
/// bands between two thresholds (`ui::search::ssr::cumulate` sums them).
struct Tallier {
    order: Order,
    offset: usize,
    /// The hits the page needs, at most: `offset + limit`.
    best_wanted: usize,
    now_s: u32,
    wanted: Indexed,
    posted_since: Option<i64>,
    salary_band_wanted: Option<u8>,
    /// The "posted within" thresholds, oldest first.
    windows: Vec<i64>,
    counts: Counts,
    total: usize,
    /// The best hits so far, the worst on top.
    best: BinaryHeap<Ranked>,
}

impl Tallier {
    fn new(asked: &Asked<'_>, departements: &Places, regions: &Places) -> Self {
        let filters = asked.filters;
        let now_us = asked.now.timestamp_micros();
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
                .map(|code| departements.wanted(code)),
            region: filters.region.as_deref().map(|code| regions.wanted(code)),
        };
        let mut windows: Vec<i64> = POSTED_WITHIN
            .iter()
            .map(|(_, _, days)| ago(*days))
            .collect();
        windows.sort_unstable();
        let best_wanted = asked.offset.saturating_add(asked.limit);
        Self {
            order: asked.order,
            offset: asked.offset,
            best_wanted,
            now_s: u32::try_from(asked.now.timestamp()).unwrap_or(u32::MAX),
            wanted,
            posted_since: filters.posted_days.map(ago),
            salary_band_wanted: filters.salary_floor.map(|floor| salary_band(Some(floor))),
            counts: Counts::new(
                departements.list.len(),
                regions.list.len(),
                SALARY_FLOORS.len(),
                windows.len(),
            ),
            windows,
            total: 0,
            // Pages past the first hundred are rare: grown as needed.
            best: BinaryHeap::with_capacity(best_wanted.min(1024)),
        }
    }

    fn add(&mut self, hit: &Hit) {
        if hit.expires <= self.now_s {
            return;
        }
        let wanted = &self.wanted;
        let fails = |wanted: Option<u8>, value: u8| wanted.is_some_and(|w| w != value);
        let miss = u8::from(fails(wanted.contract, hit.contract))
            | u8::from(fails(wanted.remote, hit.remote)) << 1
            | u8::from(
                self.salary_band_wanted
                    .is_some_and(|band| hit.salary_band < band),
            ) << 2
            | u8::from(fails(wanted.experience, hit.experience)) << 3
            | u8::from(self.posted_since.is_some_and(|since| hit.published < since)) << 4
            | u8::from(wanted.departement.is_some_and(|d| d != hit.departement)) << 5
            | u8::from(wanted.region.is_some_and(|r| r != hit.region)) << 6;
        // A hit failing two filters counts nowhere.
        if miss & miss.wrapping_sub(1) != 0 {
            return;
        }
        if miss == 0 {
            self.total += 1;
            self.rank(hit);
        }
        let counts = &mut self.counts;
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
        if counts_in(4) && hit.published >= self.windows[0] {
            let band = self
                .windows
                .iter()
                .filter(|at| **at <= hit.published)
                .count();
            counts.posted[band - 1] += 1;
        }
        if counts_in(5) && hit.departement != NO_PLACE {
            counts.departement[usize::from(hit.departement)] += 1;
        }
        if counts_in(6) && hit.region != NO_PLACE {
            counts.region[usize::from(hit.region)] += 1;
        }
    }

    /// Keeps `hit` among the best when it is.
    fn rank(&mut self, hit: &Hit) {
        if self.best_wanted == 0 {
            return;
        }
        let ranked = Ranked {
            date: match self.order {
                Order::Date => hit.published,
                Order::Relevance => 0,
            },
            rank: hit.rank,
            published: hit.published,
            id: hit.id,
        };
        if self.best.len() < self.best_wanted {
            self.best.push(ranked);
        } else if let Some(mut worst) = self.best.peek_mut()
            && ranked < *worst
        {
            *worst = ranked;
        }
    }

    fn finish(self, departements: &Places, regions: &Places) -> Tally {
        let page = self
            .best
            .into_sorted_vec()
            .into_iter()
            .skip(self.offset)
            .map(|ranked| ranked.id)
            .collect();
        Tally {
            total: self.total as i64,
            page,
            facets: self.counts.rows(departements, regions),
        }
    }
}

/// A hit's place in the order: the lesser comes first (newest first by
/// date, then best rank, then newest, then smallest id).
#[derive(Clone, Copy, Debug)]
struct Ranked {
    /// `published` when ordered by date, else 0.
    date: i64,
    rank: f32,
    published: i64,
    id: i64,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .date
            .cmp(&self.date)
            .then(other.rank.total_cmp(&self.rank))
            .then(other.published.cmp(&self.published))
            .then(self.id.cmp(&other.id))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Ranked {}

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
    fn rows(&self, departements: &Places, regions: &Places) -> Vec<FacetRow> {
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
            ("departement", departements, &self.departement),
            ("region", regions, &self.region),
        ] {
            for ((code, name), count) in places.list.iter().zip(counts) {
                push(key, code.clone(), name, *count);
            }
        }
        rows
    }
}

/// Every département (or région), each with an index fixed before any
/// hit is read (by code): a search counts as it reads.
struct Places {
    /// `(code, name)`, by code.
    list: Vec<(String, String)>,
    index: HashMap<String, u16>,
}

impl Places {
    fn new(names: HashMap<String, String>) -> Self {
        let mut list: Vec<(String, String)> = names.into_iter().collect();
        list.sort_unstable();
        // Two indexes are no place: a place no hit has, and none.
        list.truncate(usize::from(NO_PLACE - 1));
        let index = (0..)
            .zip(&list)
            .map(|(i, (code, _))| (code.clone(), i))
            .collect();
        Self { list, index }
    }

    fn index(&self, code: Option<&str>) -> u16 {
        code.and_then(|code| self.index.get(code))
            .copied()
            .unwrap_or(NO_PLACE)
    }

    /// A filter's place; one no hit has when the place is unknown.
    fn wanted(&self, code: &str) -> u16 {
        self.index.get(code).copied().unwrap_or(NO_PLACE - 1)
    }
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
        // Indexed by code: 0 is the first of each pair.
        let places = |a: &str, b: &str| {
            Places::new(HashMap::from([
                (a.to_owned(), format!("{a}!")),
                (b.to_owned(), format!("{b}!")),
            ]))
        };
        HitSet {
            len: hits.len(),
            chunks: vec![hits],
            departements: places("69", "75"),
            regions: places("76", "84"),
        }
    }

    fn tally_of(
        filters: &Filters,
        order: Order,
        now: DateTime<Utc>,
        offset: usize,
        limit: usize,
    ) -> Tally {
        set().tally(&Asked {
            filters,
            order,
            now,
            offset,
            limit,
        })
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
        let tally = tally_of(&filters, Order::Relevance, now(), 0, 20);
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
        let tally = tally_of(&filters, Order::Relevance, now(), 0, 20);
        assert_eq!(tally.total, 0);
        assert_eq!(counts(&tally, "contrat"), pairs(&[("cdi", 1)]));
        assert_eq!(counts(&tally, "teletravail"), pairs(&[("hybride", 1)]));
        assert!(counts(&tally, "experience").is_empty());

        // A place no hit has: nothing passes, its facet offers the others.
        let filters = Filters {
            region: Some("93".into()),
            ..Filters::default()
        };
        let tally = tally_of(&filters, Order::Relevance, now(), 0, 20);
        assert_eq!(tally.total, 0);
        assert_eq!(counts(&tally, "region"), pairs(&[("76", 2), ("84", 1)]));
        // Missing salary fails a salary floor (3, newer, comes first).
        let filters = Filters {
            salary_floor: Some(20_000),
            ..Filters::default()
        };
        assert_eq!(
            tally_of(&filters, Order::Relevance, now(), 0, 20).page,
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
        let page = |order, offset, limit| tally_of(&all, order, now(), offset, limit).page;
        // Equal ranks: the newer first.
        assert_eq!(page(Order::Relevance, 0, 20), [2, 3, 1]);
        assert_eq!(page(Order::Date, 0, 20), [3, 1, 2]);
        assert_eq!(page(Order::Relevance, 1, 1), [3]);
        assert_eq!(page(Order::Date, 2, 5), [2]);
        assert!(page(Order::Relevance, 5, 20).is_empty());
        // Eleven days on, every hit has expired: the clock decides, not a new read.
        let later = now() + chrono::TimeDelta::days(11);
        assert_eq!(tally_of(&all, Order::Relevance, later, 0, 20).total, 0);
    }

    #[test]
    fn the_best_hits_kept_while_counting_are_those_a_full_sort_gives() {
        // 2,000 hits with four ranks and six dates: ties everywhere.
        let mut seed = 15_u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let hits: Vec<Hit> = (0..2_000)
            .map(|id| {
                let mut hit = hit(id, "cdi", "hybride", None, 0, next(6) as i64);
                hit.rank = next(4) as f32 / 4.0;
                hit
            })
            .collect();
        let mut set = set();
        set.len = hits.len();
        // Uneven chunks: the tally reads across them.
        set.chunks = hits.chunks(700).map(<[Hit]>::to_vec).collect();
        let all = Filters::default();
        for order in [Order::Relevance, Order::Date] {
            let mut sorted = hits.clone();
            sorted.sort_by(|a, b| {
                let date = match order {
                    Order::Date => b.published.cmp(&a.published),
                    Order::Relevance => std::cmp::Ordering::Equal,
                };
                date.then(b.rank.total_cmp(&a.rank))
                    .then(b.published.cmp(&a.published))
                    .then(a.id.cmp(&b.id))
            });
            let ids: Vec<i64> = sorted.iter().map(|hit| hit.id).collect();
            for (offset, limit) in [(0, 20), (20, 20), (1_990, 20), (0, 0), (2_500, 20)] {
                let tally = set.tally(&Asked {
                    filters: &all,
                    order,
                    now: now(),
                    offset,
                    limit,
                });
                assert_eq!(tally.total, 2_000);
                let end = (offset + limit).min(ids.len());
                assert_eq!(
                    tally.page,
                    ids.get(offset..end).unwrap_or_default(),
                    "{order:?} {offset} {limit}"
                );
            }
        }
    }

    #[test]
    fn a_read_collects_its_set_only_while_its_room_lets_it() {
        use crate::ui::search::cache::SearchCache;
        // Reads under way may hold two chunks together.
        let cache = SearchCache::default().keeping(4 * CHUNK);
        let hits = |n: usize| (0..n as i64).map(|id| hit(id, "cdi", "hybride", None, 0, 1));

        let mut first_room = cache.room();
        let mut first = Collector::new(Some(&mut first_room));
        hits(CHUNK + 1).for_each(|hit| first.push(hit));
        // The second chunk started: the budget is spent.
        let mut second_room = cache.room();
        let mut second = Collector::new(Some(&mut second_room));
        hits(1).for_each(|hit| second.push(hit));
        assert!(second.finish().is_none(), "no room left");
        let (chunks, len) = first.finish().expect("the whole set");
        assert_eq!((chunks.len(), len), (2, CHUNK + 1));
        assert_eq!(
            chunks[1].capacity(),
            1,
            "the last chunk shrinks to its hits"
        );
        drop(first_room);

        // Past the budget mid-read: nothing kept, and its room given back
        // at once, before the read ends.
        let mut big_room = cache.room();
        let mut big = Collector::new(Some(&mut big_room));
        hits(2 * CHUNK + 1).for_each(|hit| big.push(hit));
        assert!(cache.room().take(2 * CHUNK), "given back when it gave up");
        assert!(big.finish().is_none());
        // Without a room (alert digests), nothing is collected.
        let mut none = Collector::new(None);
        hits(3).for_each(|hit| none.push(hit));
        assert!(none.finish().is_none());
    }
}
