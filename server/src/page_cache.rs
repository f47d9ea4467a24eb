//! Whole public pages for visitors who are not signed in, kept in memory
//! rendered and brotli-compressed, with the HTTP caching headers a CDN or a
//! reverse proxy in front needs (`Cache-Control`, `ETag`, `Vary`, 304).
//!
//! A page is served only while the versions it was rendered at are the
//! current ones: every write that changes a public page (an offer, a
//! training, an organisation, an article) bumps a version as its transaction
//! commits (the `search_versions` triggers), so no page outlives such a
//! write, on any replica. Time alone changes pages too: an entry ends at the
//! next offer expiry, the next scheduled article, midnight (training
//! sessions' dates) or after a minute, whichever comes first. Reading the
//! versions is one indexed statement per request.
//!
//! A request with a session cookie never reads or fills the cache: its page
//! has the visitor's own header. A cached hit never touches the session
//! store either. What a page's render counted for the audience (a view of
//! an offer, a search) is counted again at each hit, robots aside.

use app::base::audience::ssr::{COUNT_HEADER, Counter, Event, decode, is_bot, is_prefetch};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, TimeDelta, Utc};
use lru::LruCache;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::{
    collections::HashMap,
    io::Write,
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
};

/// The memory the pages may take, compressed and not (about 60 KB a page).
const BUDGET_BYTES: usize = 32 << 20;

/// A page longer than this is served, not kept.
const LARGEST_PAGE: usize = 1 << 20;

/// Query strings longer than this are not cache keys (nobody types them).
const LONGEST_KEY: usize = 512;

/// The longest an entry lives: "il y a 5 minutes" and the search windows
/// slide with time.
const LONGEST: TimeDelta = TimeDelta::seconds(60);

/// What proxies and browsers may do with a visitor's public page: proxies
/// keep it a minute and may serve it stale while they revalidate (the ETag
/// makes that a 304); browsers ask each time.
const PUBLIC: HeaderValue =
    HeaderValue::from_static("public, max-age=0, s-maxage=60, stale-while-revalidate=300");

/// A signed-in visitor's page is theirs alone.
const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-cache");

const VARY: HeaderValue = HeaderValue::from_static("Accept-Encoding, Cookie");

/// The brotli quality of a kept page: compressed once, served many times.
const BROTLI_QUALITY: u32 = 5;

#[derive(Clone, Default)]
pub struct PageCache {
    pages: Arc<Mutex<Shelf>>,
    /// The pages being rendered, each with the lock its render holds.
    rendering: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    hits: Arc<AtomicU64>,
    misses: Arc<AtomicU64>,
}

#[derive(Default)]
struct Shelf {
    pages: Option<LruCache<String, Arc<Page>>>,
    bytes: usize,
}

struct Page {
    versions: String,
    until: DateTime<Utc>,
    etag: HeaderValue,
    headers: Vec<(HeaderName, HeaderValue)>,
    html: Bytes,
    brotli: Bytes,
    /// What the render counted, counted again at each hit.
    counted: Vec<Event>,
}

impl Page {
    fn size(&self) -> usize {
        self.html.len() + self.brotli.len()
    }
}

impl PageCache {
    /// Pages served from the cache, and pages rendered for it.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    fn shelf(&self) -> MutexGuard<'_, Shelf> {
        // A panic under the lock leaves the map whole.
        self.pages.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for the page's render under way, if any, then holds the
    /// page's turn until the guard drops.
    async fn turn(&self, key: &str) -> Turn {
        let lock = self
            .rendering
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key.to_owned())
            .or_default()
            .clone();
        let guard = lock.clone().lock_owned().await;
        Turn {
            rendering: self.rendering.clone(),
            key: key.to_owned(),
            lock,
            _guard: guard,
        }
    }

    fn get(&self, key: &str, state: &Now) -> Option<Arc<Page>> {
        let mut shelf = self.shelf();
        let pages = shelf.pages.as_mut()?;
        let page = pages.get(key)?.clone();
        if page.versions == state.versions && state.now < page.until {
            return Some(page);
        }
        if let Some(old) = pages.pop(key) {
            shelf.bytes -= old.size();
        }
        None
    }

    fn put(&self, key: String, page: Arc<Page>) {
        let mut shelf = self.shelf();
        let Shelf { pages, bytes } = &mut *shelf;
        let pages = pages.get_or_insert_with(LruCache::unbounded);
        *bytes += page.size();
        if let Some(old) = pages.put(key, page) {
            *bytes -= old.size();
        }
        while *bytes > BUDGET_BYTES {
            match pages.pop_lru() {
                Some((_, old)) => *bytes -= old.size(),
                None => break,
            }
        }
    }
}

/// A page's turn to render; the last one waiting takes the page's lock
/// out of the map (a panicking render included).
struct Turn {
    rendering: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut rendering = self
            .rendering
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Held by the map, this turn and its guard: nobody else waits.
        if Arc::strong_count(&self.lock) <= 3 {
            rendering.remove(&self.key);
        }
    }
}

/// What the middleware needs besides the request.
#[derive(Clone)]
pub struct Context {
    pub cache: PageCache,
    pub pool: PgPool,
    /// Kept pages are for visitors who are not signed in: their versions
    /// are read where those visitors' pages are (the replica, if any).
    pub replica: Option<app::base::db::Replica>,
    pub analytics: Counter,
    pub session_cookie: &'static str,
}

/// The public pages, the same for every visitor who is not signed in.
fn is_public_page(path: &str) -> bool {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    matches!(
        path,
        "/" | "/mentions-legales" | "/confidentialite" | "/accessibilite"
    ) || [
        "/offres",
        "/formations",
        "/blog",
        "/centres",
        "/entreprises",
    ]
    .into_iter()
    .any(under)
}

/// The items of every `name` header, split at `separator`.
fn items(
    headers: &HeaderMap,
    name: header::HeaderName,
    separator: char,
) -> impl Iterator<Item = &str> {
    headers
        .get_all(name)
        .into_iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(move |value| value.split(separator))
}

fn has_cookie(headers: &HeaderMap, name: &str) -> bool {
    items(headers, header::COOKIE, ';').any(|pair| {
        pair.trim()
            .split_once('=')
            .is_some_and(|(key, _)| key == name)
    })
}

pub async fn layer(State(cx): State<Context>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !is_public_page(path) {
        return next.run(request).await;
    }
    let signed_in = has_cookie(request.headers(), cx.session_cookie)
        || request.headers().contains_key(header::AUTHORIZATION);
    let key = request
        .uri()
        .path_and_query()
        .map_or(path, |value| value.as_str())
        .to_owned();
    if signed_in || request.method() != Method::GET || key.len() > LONGEST_KEY {
        let mut response = strip_counts(next.run(request).await).0;
        let headers = response.headers_mut();
        if signed_in && !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, PRIVATE);
            headers.insert(header::VARY, VARY);
        }
        return response;
    }
    let on_replica = || cx.replica.as_ref().and_then(|replica| replica.usable());
    let read_on_replica = on_replica().is_some();
    let state = match now(on_replica().unwrap_or(&cx.pool)).await {
        Ok(state) => state,
        // The database is away: the page says so itself.
        Err(_) => return strip_counts(next.run(request).await).0,
    };
    let conditional = request.headers().get(header::IF_NONE_MATCH).cloned();
    let brotli = accepts_brotli(request.headers());
    let robot = is_bot(request.headers()) || is_prefetch(request.headers());
    let nonce = request.extensions().get::<app::app::CspNonce>().cloned();
    let hit = |page: Arc<Page>| {
        cx.cache.hits.fetch_add(1, Ordering::Relaxed);
        if !robot {
            for event in &page.counted {
                cx.analytics.add(event);
            }
        }
        answer(&page, conditional.as_ref(), brotli)
    };
    if let Some(page) = cx.cache.get(&key, &state) {
        return hit(page);
    }
    // One render per page at a time: when a write makes a busy page
    // stale, the requests that arrive meanwhile wait for that render rather
    // than each running the same statements.
    let _turn = cx.cache.turn(&key).await;
    if let Some(page) = cx.cache.get(&key, &state) {
        return hit(page);
    }
    cx.cache.misses.fetch_add(1, Ordering::Relaxed);
    let (response, counted) = strip_counts(next.run(request).await);
    let (parts, body) = response.into_parts();
    // The replica set aside or back during the render: the page may come
    // from another database than its versions, so it is not kept.
    let keep = parts.status == StatusCode::OK
        && on_replica().is_some() == read_on_replica
        && !parts.headers.contains_key(header::SET_COOKIE)
        && !parts.headers.contains_key(header::CONTENT_ENCODING)
        && !parts.headers.contains_key(header::CACHE_CONTROL)
        && parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
    if !keep {
        return Response::from_parts(parts, body);
    }
    let html = match axum::body::to_bytes(body, LARGEST_PAGE).await {
        Ok(html) => html,
        // Too large to keep, or cut off: render it again without the cache.
        Err(error) => {
            tracing::warn!(%error, "public page not kept");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    // Leptos appends the render's resources after `</html>`, as scripts
    // for hydration; these pages do not hydrate, so they go (and their
    // nonce with them). A page with a nonce still in it (development's
    // live-reload script) is this response's alone.
    let html = match memchr::memmem::rfind(&html, b"</html>") {
        Some(end) => html.slice(..end + "</html>".len()),
        None => html,
    };
    if let Some(nonce) = nonce
        && memchr::memmem::find(&html, nonce.0.as_bytes()).is_some()
    {
        return Response::from_parts(parts, Body::from(html));
    }
    let page = Arc::new(Page {
        etag: etag(&html),
        headers: parts
            .headers
            .iter()
            .filter(|(name, _)| *name != header::CONTENT_LENGTH)
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect(),
        brotli: compress(&html),
        html,
        versions: state.versions,
        until: state.until,
        counted,
    });
    cx.cache.put(key, page.clone());
    answer(&page, conditional.as_ref(), brotli)
}

/// Takes the audience header off a response (it is for this layer only).
fn strip_counts(mut response: Response) -> (Response, Vec<Event>) {
    let counted = response
        .headers()
        .get_all(COUNT_HEADER)
        .iter()
        .filter_map(|value| value.to_str().ok().and_then(decode))
        .collect();
    response.headers_mut().remove(COUNT_HEADER);
    (response, counted)
}

/// A kept page as one visitor asked for it: 304 when they hold it already,
/// brotli when they read it.
fn answer(page: &Page, conditional: Option<&HeaderValue>, brotli: bool) -> Response {
    let not_modified = conditional.is_some_and(|value| matches_etag(value, &page.etag));
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = if brotli {
            Body::from(page.brotli.clone()).into_response()
        } else {
            Body::from(page.html.clone()).into_response()
        };
        let headers = response.headers_mut();
        for (name, value) in &page.headers {
            headers.insert(name.clone(), value.clone());
        }
        if brotli {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(header::CACHE_CONTROL, PUBLIC);
    headers.insert(header::VARY, VARY);
    response
}

/// The same bytes for the same page on every replica, so a proxy's
/// revalidation works whichever replica answers. Weak: the brotli and the
/// plain bodies share it.
fn etag(html: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(html);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// `If-None-Match`: a list of tags, or `*`; compared weakly (RFC 9110 13.1.2).
fn matches_etag(condition: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(condition) = condition.to_str() else {
        return false;
    };
    let ours = etag.to_str().unwrap_or_default().trim_start_matches("W/");
    condition
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

/// Whether `Accept-Encoding` lists `br` with a non-zero quality.
fn accepts_brotli(headers: &HeaderMap) -> bool {
    items(headers, header::ACCEPT_ENCODING, ',').any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        parts
            .next()
            .is_some_and(|name| name.eq_ignore_ascii_case("br"))
            && parts.all(|param| {
                param
                    .strip_prefix("q=")
                    .is_none_or(|q| q.parse::<f32>().is_ok_and(|q| q > 0.0))
            })
    })
}

fn compress(html: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(html.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, 22);
        // Writing into a Vec cannot fail.
        let _ = writer.write_all(html);
    }
    Bytes::from(out)
}

/// The current versions of the public content, and how long a page
/// rendered now may live.
struct Now {
    versions: String,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
}

async fn now(pool: &PgPool) -> Result<Now, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT string_agg(scope || ':' || version, ',' ORDER BY scope) AS "versions!",
                  now() AS "now!",
                  LEAST((SELECT min(expires_at) FROM job_search WHERE expires_at > now()),
                        (SELECT min(published_at) FROM articles
                          WHERE status = 'scheduled' AND published_at > now()),
                        (current_date + 1)::timestamptz) AS "next_change!"
           FROM search_versions"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Now {
        versions: row.versions,
        until: (row.now + LONGEST).min(row.next_change),
        now: row.now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_public_pages_are_kept() {
        for path in [
            "/",
            "/offres",
            "/offres/soudeur-42",
            "/blog",
            "/blog/tag/x",
            "/centres/a",
        ] {
            assert!(is_public_page(path), "{path}");
        }
        for path in [
            "/offresx",
            "/connexion",
            "/compte",
            "/tableau-de-bord/offres",
            "/api/x",
            "/admin",
        ] {
            assert!(!is_public_page(path), "{path}");
        }
    }

    #[test]
    fn brotli_is_read_only_when_accepted() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepts_brotli(&headers)
        };
        assert!(with("gzip, deflate, br, zstd"));
        assert!(with("br;q=0.5"));
        assert!(!with("br;q=0"));
        assert!(!with("gzip, brx"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }

    #[test]
    fn conditions_match_weakly_and_in_lists() {
        let ours = HeaderValue::from_static("W/\"abc\"");
        for (condition, expected) in [
            ("W/\"abc\"", true),
            ("\"abc\"", true),
            ("\"x\", W/\"abc\"", true),
            ("*", true),
            ("\"abd\"", false),
        ] {
            assert_eq!(
                matches_etag(&HeaderValue::from_static(condition), &ours),
                expected,
                "{condition}"
            );
        }
    }

    #[test]
    fn a_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; passerelle_session=xyz"),
        );
        assert!(has_cookie(&headers, "passerelle_session"));
        assert!(!has_cookie(&headers, "passerelle"));
    }
}
