//! Result pages of the public searches, kept in memory per scope and
//! version. Every write that changes what a search reads bumps its scope's
//! version as the writer's transaction commits (the `search_versions`
//! triggers), and a page is only served for the version it
//! was computed at: never stale after a publish, a withdrawal or a rename.
//! Time alone changes results too (an offer expires, a session starts soon,
//! the "published within" windows slide): an entry lives until the next
//! offer expiry, the next day for trainings, and a minute at most.

use super::{Results, Scope, SearchQuery};
use crate::base::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use lru::LruCache;
use sqlx::PgPool;
use std::{
    any::Any,
    collections::HashMap,
    num::NonZeroUsize,
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
};

/// Result pages kept per scope (about 15 KB each).
const ENTRIES_PER_SCOPE: NonZeroUsize = NonZeroUsize::new(1_000).unwrap();

/// The longest an entry lives, for the windows that slide with time.
const LONGEST: TimeDelta = TimeDelta::seconds(60);

/// The app's search cache, shared by its requests (a context of the
/// server's, like the pool).
#[derive(Clone, Default)]
pub struct SearchCache {
    shelves: Arc<Mutex<HashMap<Scope, Shelf>>>,
    hits: Arc<AtomicU64>,
    misses: Arc<AtomicU64>,
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

impl SearchCache {
    /// Searches answered from the cache, and searches that ran.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
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
/// the search simply runs).
pub async fn cached<C, Fut>(
    pool: &PgPool,
    mut query: SearchQuery,
    scope: Scope,
    search: impl FnOnce(SearchQuery) -> Fut,
) -> Result<Results<C>, AppError>
where
    C: Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Results<C>, AppError>>,
{
    let Some(cache) = leptos::prelude::use_context::<SearchCache>() else {
        return search(query).await;
    };
    query.scope = scope;
    let name = match scope {
        Scope::Offers => "offers",
        Scope::Trainings => "trainings",
    };
    // The version, and when time alone will change the results: offers at
    // their next expiry, trainings at midnight (their start bands).
    let state = sqlx::query!(
        r#"SELECT v.version, now() AS "now!",
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
    cache.misses.fetch_add(1, Ordering::Relaxed);
    let results = search(query.clone()).await?;
    let until = (state.now + LONGEST).min(state.next_change.unwrap_or(DateTime::<Utc>::MAX_UTC));
    cache.put(query, state.version, until, results.clone());
    Ok(results)
}
