//! Lists of the API read from the app's pages: a window (`cursor`,
//! `limit`) is cut from the pages of 20 the site itself serves, so the
//! API's results are the pages' results, in the same order.
//!
//! Two limits come from the pages and are said in the answers: `limit` is
//! at most a page (so one answer runs at most two searches), and only the
//! first [`MAX_PAGE`] pages can be read (`truncated` says when the list
//! stops there).

use super::{ApiState, Caller, Facet, cursor::Window, params::Params, problem::Problem};
use app::{
    base::error::AppError,
    ui::search::{MAX_PAGE, Results, SearchQuery},
};
use sqlx::PgPool;
use std::future::Future;

/// A list the app serves in pages of a fixed size.
pub trait Paged {
    type Item;
    fn total(&self) -> i64;
    fn take_items(&mut self) -> Vec<Self::Item>;
}

impl<C> Paged for Results<C> {
    type Item = C;
    fn total(&self) -> i64 {
        self.total
    }
    fn take_items(&mut self) -> Vec<C> {
        std::mem::take(&mut self.cards)
    }
}

impl Paged for app::pages::directories::Directory {
    type Item = app::pages::directories::DirectoryCard;
    fn total(&self) -> i64 {
        self.total
    }
    fn take_items(&mut self) -> Vec<Self::Item> {
        std::mem::take(&mut self.cards)
    }
}

/// A window of a list, as the app's pages give it.
pub struct Slice<P: Paged> {
    /// The first page read (its facets, its total), its items taken.
    pub head: P,
    pub items: Vec<P::Item>,
    /// Where the next window starts, if anything is left that can be read.
    pub next: Option<i64>,
    /// Whether `next` is `None` only because the rest of the list is past
    /// the last page that can be read.
    pub truncated: bool,
}

/// Reads `window` from pages of `page_size` that `fetch(page)` gives
/// (numbered from 1, at most [`MAX_PAGE`], as the pages allow: deeper
/// results are not served either). A window is at most a page long (see
/// `cursor::MAX_LIMIT`), so it spans at most two pages: two fetches.
pub async fn slice<P, Fut>(
    window: Window,
    page_size: i64,
    fetch: impl Fn(i64) -> Fut,
) -> Result<Slice<P>, Problem>
where
    P: Paged,
    Fut: Future<Output = Result<P, Problem>>,
{
    let reachable = page_size * MAX_PAGE;
    let (offset, limit) = (window.offset, window.limit.min(page_size));
    let page = (offset / page_size + 1).min(MAX_PAGE);
    let mut head = fetch(page).await?;
    let total = head.total();
    let end = offset.saturating_add(limit).min(total).min(reachable);
    if offset >= end {
        return Ok(Slice {
            head,
            items: Vec::new(),
            next: None,
            truncated: total > reachable,
        });
    }
    let wanted = usize::try_from(end - offset).unwrap_or_default();
    let mut items = head.take_items();
    let skip = usize::try_from(offset % page_size).unwrap_or_default();
    items.drain(..skip.min(items.len()));
    // The rest of the window is at the start of the next page.
    if items.len() < wanted && page < MAX_PAGE {
        items.extend(fetch(page + 1).await?.take_items());
    }
    items.truncate(wanted);
    let next = (end < total.min(reachable)).then_some(end);
    Ok(Slice {
        head,
        items,
        next,
        truncated: next.is_none() && end < total,
    })
}

/// A window of one of the app's searches (`/offres`, `/formations`), for
/// the handler to turn into its own list type.
pub struct Listed<C> {
    pub items: Vec<C>,
    pub total: i64,
    pub place: Option<String>,
    pub facets: Vec<Facet>,
    pub next_cursor: Option<String>,
    pub truncated: bool,
}

/// One of the app's searches as a list of the API: the parameters read
/// (`allowed`, then `query_of` for the search's own), the window cut from
/// the pages `search` gives, and a place the search does not know made
/// the caller's mistake (the page shows it under its field: here a 422).
#[allow(clippy::too_many_arguments)]
pub async fn search<C, Fut>(
    state: &ApiState,
    caller: Caller,
    scope: &'static str,
    raw_query: Option<&str>,
    allowed: &[&str],
    query_of: fn(&Params) -> Result<SearchQuery, Problem>,
    page_size: i64,
    search: impl Fn(PgPool, SearchQuery) -> Fut,
) -> Result<Listed<C>, Problem>
where
    Fut: Future<Output = Result<Results<C>, AppError>>,
{
    let params = Params::parse(raw_query, allowed)?;
    let window = state.cursors.window(scope, &params)?;
    let query = query_of(&params)?;
    let caller = &caller;
    let list = slice(window, page_size, |page| {
        let run = search(state.reads(caller), query.with_page(page));
        async move {
            let results = caller.run_public(state, || run).await?;
            match &results.place_error {
                Some(error) => Err(Problem::from(AppError::invalid("lieu", error))),
                None => Ok(results),
            }
        }
    })
    .await?;
    Ok(Listed {
        next_cursor: list
            .next
            .map(|offset| state.cursors.next(scope, &params, offset)),
        items: list.items,
        total: list.head.total,
        place: list.head.place,
        facets: list.head.facets.into_iter().map(Facet::from).collect(),
        truncated: list.truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A list of `total` numbers, in pages of 20.
    struct Numbers {
        total: i64,
        page: Vec<i64>,
    }

    impl Paged for Numbers {
        type Item = i64;
        fn total(&self) -> i64 {
            self.total
        }
        fn take_items(&mut self) -> Vec<i64> {
            std::mem::take(&mut self.page)
        }
    }

    /// The window, the next offset, whether truncated, and the pages read.
    async fn read(total: i64, offset: i64, limit: i64) -> (Vec<i64>, Option<i64>, bool, usize) {
        let fetches = Cell::new(0);
        let slice = slice(Window { offset, limit }, 20, |page| {
            fetches.set(fetches.get() + 1);
            let first = (page - 1) * 20;
            let page = (first..(first + 20).min(total)).collect();
            async move { Ok(Numbers { total, page }) }
        })
        .await;
        let slice = slice.unwrap_or_else(|_| panic!("no problem expected"));
        (slice.items, slice.next, slice.truncated, fetches.get())
    }

    #[tokio::test]
    async fn a_window_reads_at_most_two_pages_and_says_where_the_list_stops() {
        let (items, next, truncated, fetches) = read(95, 37, 20).await;
        assert_eq!(items, (37..57).collect::<Vec<_>>());
        assert_eq!((next, truncated, fetches), (Some(57), false, 2));
        // A longer limit is a page.
        let (items, _, _, fetches) = read(95, 5, 100).await;
        assert_eq!((items.len(), fetches), (20, 2));
        let (items, next, truncated, _) = read(95, 90, 20).await;
        assert_eq!((items.len(), next, truncated), (5, None, false));
        // Past the last readable page: the list stops, and says so.
        let reachable = 20 * MAX_PAGE;
        let (items, next, truncated, fetches) = read(reachable + 500, reachable - 10, 20).await;
        assert_eq!((items.len(), next, truncated, fetches), (10, None, true, 1));
        let (items, next, truncated, _) = read(reachable + 500, 0, 20).await;
        assert_eq!((items.len(), next, truncated), (20, Some(20), false));
    }
}
