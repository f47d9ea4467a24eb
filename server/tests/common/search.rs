//! Checks shared by the training search and the job search.

use app::ui::search::{Results, SearchQuery};
use std::future::Future;

/// From `base`, every facet value shown counts the results that choosing
/// it gives (so values without results are hidden). `run` is the search.
pub async fn assert_facet_counts_match<C, Run, Found, E>(run: Run, base: SearchQuery)
where
    Run: Fn(SearchQuery) -> Found,
    Found: Future<Output = Result<Results<C>, E>>,
    E: std::fmt::Debug,
{
    let results = run(base.clone()).await.unwrap();
    assert!(!results.facets.is_empty());
    for facet in &results.facets {
        for value in &facet.values {
            assert!(value.count > 0, "empty values are hidden");
            let narrowed = run(base.with_facet(&facet.key, &value.value))
                .await
                .unwrap();
            assert_eq!(
                narrowed.total, value.count,
                "{} = {} from {base:?}",
                facet.key, value.value
            );
        }
    }
}

/// `base` narrowed to `radius_km` around `place`.
pub fn within(base: SearchQuery, place: &str, radius_km: &str) -> SearchQuery {
    SearchQuery {
        lieu: place.into(),
        rayon: radius_km.into(),
        ..base
    }
}
