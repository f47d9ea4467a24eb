//! The job-board search: PostgreSQL finds and ranks the offers a search's
//! words match (`hits`), kept per version of the offers; the page, the total
//! and every facet's counts (each counted with all the other filters but its
//! own) are worked out from them. Salary and "posted within" are
//! thresholds, so their counts are cumulative ("30 000 € et plus" includes
//! "40 000 € et plus").

use super::hits::{Asked, HitSet, Order, Wanted};
use super::{
    CONTRACTS, EXPERIENCE, OfferCard, OfferSearchResults, PAGE_SIZE, POSTED_WITHIN, REMOTE_MODES,
    SALARY_FLOORS, label_of,
};
use crate::base::error::AppError;
use crate::ui::search::{
    FacetValue, Scope, SearchQuery,
    cache::Kept,
    ssr::{
        FacetSpec, code, cumulate, decode, facets, known, prepare, results, sort_as,
        words_then_typos,
    },
};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::sync::Arc;

/// Validated filters (`None` = not filtered).
#[derive(Debug, Default, PartialEq)]
pub struct Filters {
    pub contract: Option<String>,
    pub remote: Option<String>,
    pub salary_floor: Option<i32>,
    pub experience: Option<String>,
    pub posted_days: Option<i32>,
    pub departement: Option<String>,
    pub region: Option<String>,
}

/// Unknown values are ignored rather than refused: a shared URL with an old
/// filter still shows results.
pub fn filters(query: &SearchQuery) -> Filters {
    Filters {
        contract: known(&CONTRACTS, query.facet("contrat")),
        remote: known(&REMOTE_MODES, query.facet("teletravail")),
        salary_floor: query
            .facet("salaire")
            .parse::<i32>()
            .ok()
            .filter(|floor| SALARY_FLOORS.contains(floor)),
        experience: known(&EXPERIENCE, query.facet("experience")),
        posted_days: POSTED_WITHIN
            .iter()
            .find(|(value, _, _)| *value == query.facet("publiee"))
            .map(|(_, _, days)| *days),
        departement: code(query.facet("departement")),
        region: code(query.facet("region")),
    }
}

/// `/offres`: a page of results with the facets.
pub async fn run(pool: &PgPool, query: SearchQuery) -> Result<OfferSearchResults, AppError> {
    crate::ui::search::cache::cached(pool, query, Scope::Offers, |query, kept| {
        search(pool, query, None, PAGE_SIZE, kept)
    })
    .await
}

/// The offers of a saved search published after `since`, newest first (alert digests).
pub async fn matching_since(
    pool: &PgPool,
    query: &SearchQuery,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<OfferCard>, AppError> {
    let mut query = query.clone();
    query.tri = "date".to_owned();
    query.page = 1;
    Ok(search(pool, query, Some(since), limit, None).await?.cards)
}

async fn search(
    pool: &PgPool,
    mut query: SearchQuery,
    since: Option<DateTime<Utc>>,
    page_size: i64,
    kept: Option<Kept>,
) -> Result<OfferSearchResults, AppError> {
    let (near, radius_m) = prepare(pool, &mut query, Scope::Offers).await?;
    let filters = filters(&query);
    let order = if query.tri == "date" {
        Order::Date
    } else {
        Order::Relevance
    };
    let page = query.page_number();
    let offset = usize::try_from((page - 1) * page_size).unwrap_or_default();
    let limit = usize::try_from(page_size).unwrap_or_default();
    // The database's clock: the one the version was read with, when kept.
    let now = match &kept {
        Some(kept) => kept.now,
        None => {
            sqlx::query_scalar!(r#"SELECT now() AS "now!""#)
                .fetch_one(pool)
                .await?
        }
    };
    let tally = words_then_typos(
        pool,
        Scope::Offers,
        &query.q,
        |typo| {
            let wanted = Wanted {
                words: query.q.clone(),
                typo,
                // The radius only matters around a place: one set for all without.
                radius_m: near.code.as_ref().map_or(0, |_| radius_m as i64),
                near: near.code.clone(),
                since,
            };
            let kept = kept.clone();
            let asked = Asked {
                filters: &filters,
                order,
                now,
                offset,
                limit,
            };
            async move {
                let Some(kept) = kept else {
                    return Ok((HitSet::read(pool, &wanted, &asked, None).await?).0);
                };
                // Its Debug text names a set: every field, quoted.
                let key = format!("{wanted:?}");
                if let Some(set) = kept.hit_set::<HitSet>(&key) {
                    return Ok(set.tally(&asked));
                }
                let mut room = kept.room();
                let (tally, set) = HitSet::read(pool, &wanted, &asked, Some(&mut room)).await?;
                if let Some(set) = set {
                    let weight = set.weight();
                    kept.keep(key, Arc::new(set), weight);
                }
                Ok::<_, sqlx::Error>(tally)
            }
        },
        |tally| tally.total > 0 || !tally.facets.is_empty(),
    )
    .await?;
    let mut rows = tally.facets;
    let mut posted_days: Vec<i32> = POSTED_WITHIN.iter().map(|(_, _, days)| *days).collect();
    // Longest window first, as the bands are numbered.
    posted_days.sort_unstable_by(|a, b| b.cmp(a));
    cumulate(&mut rows, "salaire", &SALARY_FLOORS);
    cumulate(&mut rows, "publiee", &posted_days);
    let facets = facets(&query, rows, &OfferFacets);
    let cards = cards(pool, &tally.page).await?;
    Ok(results(query, near, tally.total, page_size, cards, facets))
}

/// Cards of offers in the order of `ids` (live or not: callers choose the ids).
pub async fn cards(pool: &PgPool, ids: &[i64]) -> Result<Vec<OfferCard>, AppError> {
    let json = sqlx::query_scalar!(
        r#"SELECT coalesce(json_agg(card ORDER BY card.position), '[]'::json) AS "cards!" FROM (
               SELECT ids.position, c.*
               FROM unnest($1::bigint[]) WITH ORDINALITY AS ids (id, position)
               CROSS JOIN LATERAL offer_card(ids.id) c
           ) card"#,
        ids
    )
    .fetch_one(pool)
    .await?;
    let cards: Vec<OfferCard> = decode(json, "offer cards")?;
    Ok(cards.into_iter().map(OfferCard::tidy).collect())
}

/// A company's `limit` newest live offers, and how many it has.
pub async fn by_company(
    pool: &PgPool,
    company: i64,
    limit: i64,
) -> Result<(Vec<OfferCard>, i64), AppError> {
    let rows = sqlx::query!(
        r#"SELECT offer_id, count(*) OVER () AS "total!" FROM job_search
           WHERE company_id = $1 AND expires_at > now()
           ORDER BY published_at DESC, offer_id LIMIT $2"#,
        company,
        limit
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map_or(0, |row| row.total);
    let ids: Vec<i64> = rows.into_iter().map(|row| row.offer_id).collect();
    Ok((cards(pool, &ids).await?, total))
}

/// The offers' own facets.
struct OfferFacets;

impl FacetSpec for OfferFacets {
    fn value(&self, key: &str, value: &str) -> String {
        // "Posted within" comes back as days; the URL says "7j".
        match key {
            "publiee" => POSTED_WITHIN
                .iter()
                .find(|(_, _, days)| days.to_string() == value)
                .map_or_else(|| value.to_owned(), |(v, _, _)| (*v).to_owned()),
            _ => value.to_owned(),
        }
    }

    fn label(&self, key: &str, value: &str) -> String {
        match key {
            "contrat" => label_of(&CONTRACTS, value),
            "teletravail" => label_of(&REMOTE_MODES, value),
            "salaire" => format!(
                "{} et plus par an",
                crate::trainings::price_label(
                    value.parse::<i32>().unwrap_or_default().saturating_mul(100)
                )
            ),
            "publiee" => POSTED_WITHIN
                .iter()
                .find(|(v, _, _)| *v == value)
                .map_or_else(|| value.to_owned(), |(_, l, _)| (*l).to_owned()),
            _ => label_of(&EXPERIENCE, value),
        }
    }

    fn sort(&self, key: &str, values: &mut [FacetValue]) {
        match key {
            "salaire" => values.sort_by_key(|v| v.value.parse::<i32>().unwrap_or_default()),
            "publiee" => sort_as(values, &POSTED_WITHIN.map(|(v, l, _)| (v, l))),
            "contrat" => sort_as(values, &CONTRACTS),
            "teletravail" => sort_as(values, &REMOTE_MODES),
            _ => sort_as(values, &EXPERIENCE),
        }
    }

    fn title(&self, key: &str) -> &'static str {
        match key {
            "contrat" => "Type de contrat",
            "teletravail" => "Télétravail",
            "salaire" => "Salaire minimum",
            "publiee" => "Publiée depuis",
            _ => "Expérience",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_filter_values_are_ignored() {
        let query = SearchQuery::parse(
            "contrat=cdi&teletravail=lune&salaire=31000&experience=3-5&publiee=7j&region=%27%3B+DROP",
        );
        let f = filters(&query);
        assert_eq!(f.contract.as_deref(), Some("cdi"));
        assert_eq!(f.remote, None);
        assert_eq!(f.salary_floor, None);
        assert_eq!(f.experience.as_deref(), Some("3-5"));
        assert_eq!(f.posted_days, Some(7));
        assert_eq!(f.region, None);
        assert_eq!(
            filters(&SearchQuery::parse("salaire=30000")).salary_floor,
            Some(30_000)
        );
    }
}
