//! Result pages of the public searches, kept in memory per scope and
//! version. Every write that changes what a search reads bumps its scope's
//! version as the writer's transaction commits (the `search_versions`
//! triggers), and a page is only served for the version it
//! was computed at: never stale after a publish, a withdrawal or a rename.
//! Time alone changes results too (an offer expires, a session starts soon,
//! the "published within" windows slide): an entry lives until the next
//! offer expiry, the next day for trainings, and a minute at most.
//!
//! Two layers: Redis, shared by every replica (a page one computed is there
//! for all), and a small in-process layer in front of it. Redis keys carry
//! the database, scope and version, so a bump leaves old keys unread until
//! their TTL ends them; a Redis that is down or slow only costs the search.
//!
//! Below the pages, the hit sets: what a search's words found, before any
//! filter (`jobs::hits`). Distinct searches mostly differ by their filters,
//! so they share these; kept in process only (megabytes for a common word),
//! per scope and version like the pages. Memory is bounded twice: the sets
//! kept weigh at most the allowance (`SEARCH_HITS_KEPT` hits), and the
//! reads under way collect at most half of it together; a read past that
//! counts its hits as they come and keeps none.

use super::{Results, Scope, SearchQuery};
use crate::base::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use fred::{
    clients::Pool as RedisPool,
    interfaces::{ClientLike, KeysInterface},
    types::{Expiration, config::Options},
};
use lru::LruCache;
use serde::{Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::{
    any::Any,
    collections::HashMap,
    num::NonZeroUsize,
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
};

/// Result pages kept in process per scope (about 15 KB each); the rest
/// are in Redis.
const ENTRIES_PER_SCOPE: NonZeroUsize = NonZeroUsize::new(200).unwrap();

/// The longest an entry lives, for the windows that slide with time.
const LONGEST: TimeDelta = TimeDelta::seconds(60);

/// Hits kept in process per scope when the server does not say, all sets
/// together (an offer's hit is 32 bytes, and each set weighs 500 hits more:
/// 16 MB at most): at 100,000 offers the commonest words find 10,000 to
/// 67,000 offers each.
pub const HITS_KEPT: usize = 500_000;

/// A set read again in a few milliseconds (at 100,000 offers).
const SMALL_SET: usize = 10_000;

/// The app's search cache, shared by its requests (a context of the
/// server's, like the pool).
#[derive(Clone)]
pub struct SearchCache {
    shelves: Arc<Mutex<HashMap<Scope, Shelf>>>,
    hit_sets: Arc<Mutex<HashMap<Scope, HitShelf>>>,
    /// Hit sets found kept, and read.
    set_counts: Arc<(AtomicU64, AtomicU64)>,
    /// Hits kept per scope, at most; reads under way collect half as many.
    hits_kept: usize,
    /// Hits the reads under way hold to be kept.
    collecting: Arc<AtomicUsize>,
    hits: Arc<AtomicU64>,
    shared_hits: Arc<AtomicU64>,
    misses: Arc<AtomicU64>,
    /// Redis, shared by every replica (`None`: this process only), and the
    /// longest wait for it before a search runs by itself.
    shared: Option<(RedisPool, std::time::Duration)>,
    /// Searches that may run at once. Each keeps a PostgreSQL core busy for
    /// milliseconds, so a burst of distinct searches waits here instead of
    /// taking every pooled connection (through the whole app on 2 cores the
    /// throughput was the same with and without the limit).
    running: Arc<tokio::sync::Semaphore>,
}

/// Searches at once when the server does not say.
const SEARCHES_AT_ONCE: usize = 4;

impl Default for SearchCache {
    fn default() -> Self {
        Self {
            shelves: Arc::default(),
            hit_sets: Arc::default(),
            set_counts: Arc::default(),
            hits_kept: HITS_KEPT,
            collecting: Arc::default(),
            hits: Arc::default(),
            shared_hits: Arc::default(),
            misses: Arc::default(),
            shared: None,
            running: Arc::new(tokio::sync::Semaphore::new(SEARCHES_AT_ONCE)),
        }
    }
}

/// One scope's pages, all of one version.
struct Shelf {
    version: i64,
    pages: LruCache<SearchQuery, Page>,
}

struct Page {
    until: DateTime<Utc>,
    results: Arc<dyn Any + Send + Sync>,
}

/// One scope's hit sets, all of one version, with their weight (hits held).
struct HitShelf {
    version: i64,
    sets: LruCache<String, (Arc<dyn Any + Send + Sync>, usize)>,
    held: usize,
}

/// What a request read before searching: its scope's version and the
/// database's clock, and the cache its search may keep hit sets in.
#[derive(Clone)]
pub struct Kept {
    cache: SearchCache,
    scope: Scope,
    pub version: i64,
    pub now: DateTime<Utc>,
}

impl Kept {
    /// The hit set `key` names, when kept for this version.
    pub fn hit_set<T: Send + Sync + 'static>(&self, key: &str) -> Option<Arc<T>> {
        let (found, read) = &*self.cache.set_counts;
        let kept = {
            let mut shelves = self.cache.hit_sets();
            shelves
                .get_mut(&self.scope)
                .filter(|shelf| shelf.version == self.version)
                .and_then(|shelf| shelf.sets.get(key).map(|(set, _)| set.clone()))
        };
        match kept.and_then(|set| set.downcast::<T>().ok()) {
            Some(set) => {
                found.fetch_add(1, Ordering::Relaxed);
                Some(set)
            }
            None => {
                read.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Room for a read to collect its set in, given back when dropped.
    pub fn room(&self) -> Room {
        self.cache.room()
    }

    /// Keeps `set`, of `weight` hits, under `key` for this version (unless
    /// heavier than the whole allowance); small sets leave first. Two
    /// requests missing the same set at once both read it.
    pub fn keep<T: Send + Sync + 'static>(&self, key: String, set: Arc<T>, weight: usize) {
        let (allowance, weight) = (self.cache.hits_kept, weight.max(1));
        if weight > allowance {
            return;
        }
        let mut shelves = self.cache.hit_sets();
        let shelf = shelves.entry(self.scope).or_insert_with(|| HitShelf {
            version: self.version,
            sets: LruCache::unbounded(),
            held: 0,
        });
        if self.version > shelf.version {
            shelf.version = self.version;
            shelf.sets.clear();
            shelf.held = 0;
        }
        if self.version != shelf.version {
            return;
        }
        let any: Arc<dyn Any + Send + Sync> = set;
        if let Some((_, old)) = shelf.sets.put(key, (any, weight)) {
            shelf.held -= old;
        }
        shelf.held += weight;
        while shelf.held > allowance {
            // The least recently used small set goes first: a big
            // one is the longest to read again (and the tail latency).
            let victim = shelf
                .sets
                .iter()
                .rev()
                .find(|(_, (_, weight))| *weight < SMALL_SET)
                .or_else(|| shelf.sets.iter().next_back())
                .map(|(key, _)| key.clone());
            let Some((_, dropped)) = victim.and_then(|key| shelf.sets.pop(&key)) else {
                break;
            };
            shelf.held -= dropped;
        }
    }
}

/// What one read may collect to keep, out of what every read under way
/// may hold together. Dropping it (the read done, kept or not, or its
/// request gone) gives its share back.
pub struct Room {
    collecting: Arc<AtomicUsize>,
    allowed: usize,
    held: usize,
}

impl Room {
    /// Whether `hits` more may be held (then they are, until the drop).
    pub fn take(&mut self, hits: usize) -> bool {
        let before = self.collecting.fetch_add(hits, Ordering::Relaxed);
        if before + hits > self.allowed {
            self.collecting.fetch_sub(hits, Ordering::Relaxed);
            return false;
        }
        self.held += hits;
        true
    }

    /// Gives back what it holds (a read that stops collecting).
    pub fn release(&mut self) {
        self.collecting.fetch_sub(self.held, Ordering::Relaxed);
        self.held = 0;
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        self.release();
    }
}

/// What Redis keeps of a page: its results and when they stop being right.
#[derive(Serialize, serde::Deserialize)]
struct Shared<C> {
    until: DateTime<Utc>,
    results: Results<C>,
}

impl SearchCache {
    /// A cache whose pages every replica shares through `redis`; a command
    /// slower than `wait` is given up (the search runs, or is not kept).
    /// At most `at_once` searches run together.
    pub fn shared(redis: RedisPool, wait: std::time::Duration, at_once: usize) -> Self {
        Self {
            shared: Some((redis, wait)),
            running: Arc::new(tokio::sync::Semaphore::new(at_once.max(1))),
            ..Self::default()
        }
    }

    /// The same cache, keeping at most `hits_kept` hits per scope.
    pub fn keeping(mut self, hits_kept: usize) -> Self {
        self.hits_kept = hits_kept;
        self
    }

    /// Room for one read to collect a set in, given back when dropped.
    pub fn room(&self) -> Room {
        Room {
            collecting: self.collecting.clone(),
            allowed: self.hits_kept / 2,
            held: 0,
        }
    }

    /// Searches answered from this process's layer, and searches that ran.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Searches answered from Redis (computed by this or another replica).
    pub fn shared_hits(&self) -> u64 {
        self.shared_hits.load(Ordering::Relaxed)
    }

    /// Hit sets found kept, and hit sets read from the database.
    pub fn hit_sets_found_and_read(&self) -> (u64, u64) {
        let (found, read) = &*self.set_counts;
        (found.load(Ordering::Relaxed), read.load(Ordering::Relaxed))
    }

    fn hit_sets(&self) -> MutexGuard<'_, HashMap<Scope, HitShelf>> {
        self.hit_sets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn fetch<C: DeserializeOwned>(&self, key: &str) -> Option<Shared<C>> {
        let (redis, wait) = self.shared.as_ref()?;
        let found: Option<Vec<u8>> = redis
            .with_options(&quick(*wait))
            .get(key)
            .await
            .inspect_err(|error| tracing::warn!(%error, "search cache: Redis read failed"))
            .ok()?;
        serde_json::from_slice(&found?)
            .inspect_err(|error| tracing::warn!(%error, "search cache: unreadable entry"))
            .ok()
    }

    async fn store<C: Serialize>(&self, key: &str, page: &Shared<C>, now: DateTime<Utc>) {
        let (Some((redis, wait)), Ok(ttl)) = (&self.shared, (page.until - now).to_std()) else {
            return;
        };
        let Ok(json) = serde_json::to_vec(page) else {
            return;
        };
        let ttl = Expiration::PX(ttl.as_millis().clamp(1, i64::MAX as u128) as i64);
        let stored: Result<(), _> = redis
            .with_options(&quick(*wait))
            .set(key, json, Some(ttl), None, false)
            .await;
        if let Err(error) = stored {
            tracing::warn!(%error, "search cache: Redis write failed");
        }
    }

    fn shelves(&self) -> MutexGuard<'_, HashMap<Scope, Shelf>> {
        // A panic under the lock leaves the map whole.
        self.shelves.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn get<C: Clone + 'static>(
        &self,
        query: &SearchQuery,
        version: i64,
        now: DateTime<Utc>,
    ) -> Option<Results<C>> {
        let mut shelves = self.shelves();
        let shelf = shelves.get_mut(&query.scope)?;
        if shelf.version != version {
            return None;
        }
        let page = shelf.pages.get(query)?;
        if page.until <= now {
            shelf.pages.pop(query);
            return None;
        }
        page.results.downcast_ref::<Results<C>>().cloned()
    }

    fn put<C: Send + Sync + 'static>(
        &self,
        query: SearchQuery,
        version: i64,
        until: DateTime<Utc>,
        results: Results<C>,
    ) {
        let mut shelves = self.shelves();
        let shelf = shelves.entry(query.scope).or_insert_with(|| Shelf {
            version,
            pages: LruCache::new(ENTRIES_PER_SCOPE),
        });
        // A page of an older version than the shelf's is of no use; a newer
        // version makes every page on the shelf useless.
        if version < shelf.version {
            return;
        }
        if version > shelf.version {
            shelf.version = version;
            shelf.pages.clear();
        }
        let results = Arc::new(results);
        shelf.pages.put(query, Page { until, results });
    }
}

/// `search`'s results for `query`, from the request's [`SearchCache`] when
/// it holds them for the current version (without a cache in the context,
/// the search simply runs, given no [`Kept`]).
pub async fn cached<C, Fut>(
    pool: &PgPool,
    mut query: SearchQuery,
    scope: Scope,
    search: impl FnOnce(SearchQuery, Option<Kept>) -> Fut,
) -> Result<Results<C>, AppError>
where
    C: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<Results<C>, AppError>>,
{
    let Some(cache) = leptos::prelude::use_context::<SearchCache>() else {
        return search(query, None).await;
    };
    query.scope = scope;
    let name = match scope {
        Scope::Offers => "offers",
        Scope::Trainings => "trainings",
    };
    // The version, and when time alone will change the results: offers at
    // their next expiry, trainings at midnight (their start bands). The
    // database's oid keeps apart, in one Redis, databases that share
    // version numbers (tests, a recreated database).
    let state = sqlx::query!(
        r#"SELECT v.version, now() AS "now!",
                  (SELECT oid::bigint FROM pg_database WHERE datname = current_database()) AS "database!",
                  CASE v.scope
                      WHEN 'offers' THEN (SELECT min(expires_at) FROM job_search WHERE expires_at > now())
                      ELSE (current_date + 1)::timestamptz
                  END AS next_change
           FROM search_versions v WHERE v.scope = $1"#,
        name
    )
    .fetch_one(pool)
    .await?;
    if let Some(results) = cache.get(&query, state.version, state.now) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return Ok(results);
    }
    let key = shared_key(state.database, name, state.version, &query);
    if let Some(page) = cache.fetch::<C>(&key).await
        && page.until > state.now
    {
        cache.shared_hits.fetch_add(1, Ordering::Relaxed);
        cache.put(query, state.version, page.until, page.results.clone());
        return Ok(page.results);
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    let results = {
        // Never closed: a failed acquire only means running without a turn.
        let _turn = cache.running.acquire().await.ok();
        let kept = Kept {
            cache: cache.clone(),
            scope,
            version: state.version,
            now: state.now,
        };
        search(query.clone(), Some(kept)).await?
    };
    let until = (state.now + LONGEST).min(state.next_change.unwrap_or(DateTime::<Utc>::MAX_UTC));
    let page = Shared { until, results };
    cache.store(&key, &page, state.now).await;
    cache.put(query, state.version, until, page.results.clone());
    Ok(page.results)
}

/// Redis' key of a page: database, scope, version and a digest of the query.
fn shared_key(database: i64, scope: &str, version: i64, query: &SearchQuery) -> String {
    // Serialised the same way by every replica (facets are a sorted map).
    let digest = Sha256::digest(serde_json::to_vec(query).unwrap_or_default());
    let digest: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("passerelle:search:{database}:{scope}:{version}:{digest}")
}

/// Redis is a shortcut here: a slow or absent one is skipped, not waited for.
fn quick(wait: std::time::Duration) -> Options {
    Options {
        timeout: Some(wait),
        fail_fast: true,
        max_attempts: Some(1),
        ..Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(cache: &SearchCache, version: i64) -> Kept {
        Kept {
            cache: cache.clone(),
            scope: Scope::Offers,
            version,
            now: Utc::now(),
        }
    }

    /// Keeps a set of `weight` hits under `key` (read when not kept);
    /// whether it was read.
    fn keep(kept: &Kept, key: &str, weight: usize) -> bool {
        if kept.hit_set::<usize>(key).is_some() {
            return false;
        }
        kept.keep(key.to_owned(), Arc::new(weight), weight);
        true
    }

    #[test]
    fn reads_under_way_collect_half_the_allowance_between_them() {
        let cache = SearchCache::default();
        let v1 = kept(&cache, 1);
        let mut first = v1.room();
        assert!(first.take(HITS_KEPT / 4));
        let mut second = v1.room();
        assert!(second.take(HITS_KEPT / 4));
        assert!(!second.take(1), "half the allowance is held");
        drop(first);
        assert!(second.take(HITS_KEPT / 4), "given back when a read ends");
        drop(second);
        assert_eq!(cache.collecting.load(Ordering::Relaxed), 0);
        // Nothing kept, nothing collected.
        let none = SearchCache::default().keeping(0);
        assert!(!kept(&none, 1).room().take(1));
    }

    #[test]
    fn small_sets_leave_first_and_a_new_version_drops_every_set() {
        let cache = SearchCache::default();
        let v1 = kept(&cache, 1);
        assert!(keep(&v1, "big", 300_000));
        assert!(!keep(&v1, "big", 300_000), "kept");
        // Small sets past the allowance push out the oldest small ones, not the big one.
        for i in 0..30 {
            keep(&v1, &format!("small {i}"), 9_000);
        }
        assert!(!keep(&v1, "big", 300_000), "the big set stays");
        assert!(keep(&v1, "small 0", 9_000), "the oldest small set left");
        assert!(!keep(&v1, "small 29", 9_000));
        // Heavier than the whole allowance: read, never kept.
        assert!(keep(&v1, "huge", HITS_KEPT + 1));
        assert!(keep(&v1, "huge", HITS_KEPT + 1));
        // A write (a new version): every set is read again; an older
        // version's request neither finds nor keeps sets.
        let v2 = kept(&cache, 2);
        assert!(keep(&v2, "big", 300_000));
        assert!(keep(&v1, "small 29", 9_000));
        assert!(!keep(&v2, "big", 300_000));
    }
}
