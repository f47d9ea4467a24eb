//! The catalogue search: one SQL statement gives the page of results (its
//! ids, whose cards [`cards`] reads), the total and every facet's counts.
//! Each facet is counted with all the other filters applied but its own, so
//! each count is exactly what a click on that value would show. Alert
//! digests run the same statement for what was published since a date.

use super::{
    DURATION_BANDS, FacetValue, MODALITIES, PAGE_SIZE, PRICE_BANDS, START_BANDS, SearchQuery,
    SearchResults, TrainingCard, label_of, level_label,
};
use crate::base::error::AppError;
use crate::ui::search::{
    Scope,
    ssr::{
        FacetRow, FacetSpec, code, decode, facets, found_any, known, prepare, results, sort_as,
        words_then_typos,
    },
};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Validated filters, as the SQL takes them (`None` = not filtered).
#[derive(Debug, Default, PartialEq)]
pub struct Filters {
    pub modality: Option<String>,
    pub cpf: Option<bool>,
    pub level: Option<i32>,
    pub duration: Option<String>,
    pub price: Option<String>,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub start: Option<String>,
}

/// Unknown values are ignored rather than refused: a shared URL with an old
/// filter still shows results.
pub fn filters(query: &SearchQuery) -> Filters {
    Filters {
        modality: known(&MODALITIES, query.facet("modalite")),
        cpf: match query.facet("cpf") {
            "oui" => Some(true),
            "non" => Some(false),
            _ => None,
        },
        level: query
            .facet("niveau")
            .parse::<i32>()
            .ok()
            .filter(|l| (3..=8).contains(l)),
        duration: known(&DURATION_BANDS, query.facet("duree")),
        price: known(&PRICE_BANDS, query.facet("prix")),
        departement: code(query.facet("departement")),
        region: code(query.facet("region")),
        start: known(&START_BANDS, query.facet("debut")),
    }
}

pub async fn run(pool: &PgPool, query: SearchQuery) -> Result<SearchResults, AppError> {
    crate::ui::search::cache::cached(pool, query, Scope::Trainings, |query, _| {
        search(pool, query, None, PAGE_SIZE)
    })
    .await
}

/// The trainings of a saved search published after `since`, newest first
/// (alert digests).
pub async fn matching_since(
    pool: &PgPool,
    query: &SearchQuery,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<TrainingCard>, AppError> {
    let mut query = query.clone();
    query.page = 1;
    Ok(search(pool, query, Some(since), limit).await?.cards)
}

async fn search(
    pool: &PgPool,
    mut query: SearchQuery,
    since: Option<DateTime<Utc>>,
    page_size: i64,
) -> Result<SearchResults, AppError> {
    let (near, radius_m) = prepare(pool, &mut query, Scope::Trainings).await?;
    let filters = filters(&query);
    // A digest lists the newest first, whatever order the saved URL asked;
    // a URL cannot ask for that order.
    let sort = match (since, query.tri.as_str()) {
        (Some(_), _) => "nouveautes".to_owned(),
        (None, "date" | "prix") => query.tri.clone(),
        _ => "pertinence".to_owned(),
    };
    let page = query.page_number();
    let row = words_then_typos(
        pool,
        Scope::Trainings,
        &query.q,
        |typo| {
            sqlx::query!(
                r#"WITH params AS (
    SELECT websearch_to_tsquery('french_unaccent', $1::text) AS tsq, immutable_unaccent(lower(trim($1::text))) AS qn
),
near AS (
    SELECT c.code FROM communes c, communes o
    WHERE o.code = $10::text
      AND earth_box(ll_to_earth(o.latitude, o.longitude), $11::float8) @> ll_to_earth(c.latitude, c.longitude)
      AND distance_m(o.latitude, o.longitude, c.latitude, c.longitude) <= $11::float8
),
-- The second try's words: each unknown one replaced by the closest known word.
typo AS (
    SELECT websearch_to_tsquery('french_unaccent', correct_words($1::text)) AS tsq
),
-- Each candidate row carries what the filters and facets read, so hits are
-- not fetched a second time by key. The trainings the words find, or on the
-- second try ($15) the corrected words or the titles that look like them;
-- every training without words.
candidates AS (
    SELECT s.training_id, s.modality, s.cpf_eligible, s.certification_level, s.duration_band, s.price_band,
           s.price_cents, s.published_at, s.rolling_entry, s.departements, s.regions, s.next_start, s.session_starts,
           ts_rank(s.document, p.tsq) AS rank
    FROM training_search s, params p
    -- The query spelled out rather than read from params: the planner then
    -- estimates its hits from the word statistics and picks plans to match.
    WHERE $1::text <> '' AND NOT $15::bool AND s.document @@ websearch_to_tsquery('french_unaccent', $1::text)
    UNION ALL
    SELECT s.training_id, s.modality, s.cpf_eligible, s.certification_level, s.duration_band, s.price_band,
           s.price_cents, s.published_at, s.rolling_entry, s.departements, s.regions, s.next_start, s.session_starts,
           ts_rank(s.document, t.tsq) + word_similarity(p.qn, s.title_key)
    FROM training_search s, params p, typo t
    WHERE $1::text <> '' AND $15::bool
      AND (s.document @@ (SELECT tsq FROM typo) OR p.qn <% s.title_key)
    UNION ALL
    SELECT s.training_id, s.modality, s.cpf_eligible, s.certification_level, s.duration_band, s.price_band,
           s.price_cents, s.published_at, s.rolling_entry, s.departements, s.regions, s.next_start, s.session_starts,
           0::real
    FROM training_search s WHERE $1::text = ''
),
flagged AS (
    SELECT b.*,
           ($2::text IS NULL OR b.modality = $2) AS m_modality,
           ($3::bool IS NULL OR b.cpf_eligible = $3) AS m_cpf,
           ($4::int IS NULL OR b.certification_level = $4) AS m_level,
           ($5::text IS NULL OR b.duration_band = $5) AS m_duration,
           ($6::text IS NULL OR b.price_band = $6) AS m_price,
           ($9::text IS NULL OR b.start_band = $9) AS m_start,
           ($7::text IS NULL OR $7 = ANY (b.departements)) AS m_departement,
           ($8::text IS NULL OR $8 = ANY (b.regions)) AS m_region
    FROM (
        SELECT c.training_id AS id, c.modality, c.cpf_eligible, c.certification_level, c.duration_band,
               c.price_band, c.price_cents, c.published_at, c.rolling_entry, c.departements, c.regions,
               ns.next_start, c.rank,
               CASE WHEN c.rolling_entry THEN 'permanente'
                    WHEN ns.next_start IS NULL THEN NULL
                    WHEN ns.next_start <= current_date + 30 THEN '30-jours'
                    WHEN ns.next_start <= current_date + 90 THEN '3-mois'
                    WHEN ns.next_start <= current_date + 180 THEN '6-mois'
                    ELSE 'plus-tard' END AS start_band
        FROM candidates c
        -- The stored next start, unless that date has passed.
        CROSS JOIN LATERAL (
            SELECT CASE WHEN c.next_start IS NULL OR c.next_start >= current_date THEN c.next_start
                        ELSE (SELECT min(d) FROM unnest(c.session_starts) d WHERE d >= current_date) END AS next_start
        ) ns
        -- An array, so the trainings near the place are fetched by key
        -- rather than found by scanning them all.
        WHERE ($10::text IS NULL OR c.training_id = ANY (ARRAY(
            SELECT tp.training_id FROM training_places tp WHERE tp.commune_code IN (SELECT code FROM near))))
          -- Alert digests: only what was published since the last one.
          AND ($16::timestamptz IS NULL OR c.published_at > $16)
    ) b
),
-- A facet counts the trainings passing every filter but its own: one
-- failing two filters counts nowhere, so it is dropped before the counts.
base AS MATERIALIZED (
    SELECT * FROM flagged
    WHERE (NOT m_modality)::int + (NOT m_cpf)::int + (NOT m_level)::int + (NOT m_duration)::int
          + (NOT m_price)::int + (NOT m_start)::int + (NOT m_departement)::int + (NOT m_region)::int <= 1
),
-- Read twice (total and page) straight from base, not copied once more.
matched AS NOT MATERIALIZED (
    SELECT * FROM base
    WHERE m_modality AND m_cpf AND m_level AND m_duration AND m_price AND m_start AND m_departement AND m_region
),
sorted AS (
    SELECT id, next_start, rank, published_at,
           CASE WHEN $12::text = 'prix' THEN price_cents END AS by_price,
           CASE WHEN $12 = 'date' THEN CASE WHEN rolling_entry THEN current_date ELSE next_start END END AS by_date,
           CASE WHEN $12 = 'nouveautes' THEN published_at END AS by_news
    FROM matched
),
-- A top-N sort of the matches; positions are numbered on the page only.
page AS (
    SELECT id, row_number() OVER (ORDER BY by_price, by_date NULLS LAST, by_news DESC, rank DESC, published_at DESC, id) AS position
    FROM (SELECT * FROM sorted ORDER BY by_price, by_date NULLS LAST, by_news DESC, rank DESC, published_at DESC, id
          LIMIT $13::bigint OFFSET $14::bigint) top
),
facets AS (
    SELECT 'modalite' AS facet, modality AS value, '' AS label, count(*) AS count FROM base
    WHERE m_cpf AND m_level AND m_duration AND m_price AND m_start AND m_departement AND m_region GROUP BY modality
    UNION ALL
    SELECT 'cpf', cpf_eligible::text, '', count(*) FROM base
    WHERE m_modality AND m_level AND m_duration AND m_price AND m_start AND m_departement AND m_region GROUP BY cpf_eligible
    UNION ALL
    SELECT 'niveau', certification_level::text, '', count(*) FROM base
    WHERE certification_level IS NOT NULL
      AND m_modality AND m_cpf AND m_duration AND m_price AND m_start AND m_departement AND m_region GROUP BY certification_level
    UNION ALL
    SELECT 'duree', duration_band, '', count(*) FROM base
    WHERE m_modality AND m_cpf AND m_level AND m_price AND m_start AND m_departement AND m_region GROUP BY duration_band
    UNION ALL
    SELECT 'prix', price_band, '', count(*) FROM base
    WHERE m_modality AND m_cpf AND m_level AND m_duration AND m_start AND m_departement AND m_region GROUP BY price_band
    UNION ALL
    SELECT 'debut', start_band, '', count(*) FROM base
    WHERE start_band IS NOT NULL
      AND m_modality AND m_cpf AND m_level AND m_duration AND m_price AND m_departement AND m_region GROUP BY start_band
    UNION ALL
    -- Geography: count the (few) distinct place sets first, then spread each
    -- count over its départements or régions (a set lists each one once).
    SELECT 'departement', d.code, (SELECT dep.name FROM departements dep WHERE dep.code = d.code), sum(g.n)::bigint
    FROM (SELECT departements, count(*) AS n FROM base
          WHERE m_modality AND m_cpf AND m_level AND m_duration AND m_price AND m_start AND m_region
          GROUP BY departements) g
    CROSS JOIN unnest(g.departements) AS d (code)
    GROUP BY d.code
    UNION ALL
    SELECT 'region', r.code, (SELECT dep.region_name FROM departements dep WHERE dep.region_code = r.code LIMIT 1), sum(g.n)::bigint
    FROM (SELECT regions, count(*) AS n FROM base
          WHERE m_modality AND m_cpf AND m_level AND m_duration AND m_price AND m_start AND m_departement
          GROUP BY regions) g
    CROSS JOIN unnest(g.regions) AS r (code)
    GROUP BY r.code
)
SELECT
    (SELECT count(*) FROM matched) AS "total!",
    ARRAY(SELECT id FROM page ORDER BY position) AS "ids!",
    (SELECT coalesce(json_agg(f), '[]'::json) FROM facets f) AS "facets!""#,
                query.q,
                filters.modality,
                filters.cpf,
                filters.level,
                filters.duration,
                filters.price,
                filters.departement,
                filters.region,
                filters.start,
                near.code,
                radius_m,
                sort,
                page_size,
                (page - 1) * page_size,
                typo,
                since,
            )
            .fetch_one(pool)
        },
        |row| found_any(row.total, &row.facets),
    )
    .await?;
    let cards = cards(pool, &row.ids).await?;
    let rows: Vec<FacetRow> = decode(row.facets, "training facets")?;
    let facets = facets(&query, rows, &TrainingFacets);
    Ok(results(query, near, row.total, page_size, cards, facets))
}

/// Cards of public trainings, in the order of `ids`.
pub async fn cards(pool: &PgPool, ids: &[i64]) -> Result<Vec<TrainingCard>, AppError> {
    let json = sqlx::query_scalar!(
        r#"SELECT coalesce(json_agg(card ORDER BY card.position), '[]'::json) AS "cards!" FROM (
               SELECT ids.position, t.id, t.slug, t.title, t.summary, t.centre_name, t.centre_slug,
                      t.modality, t.duration_hours, t.price_cents, t.cpf_eligible, t.certification_kind,
                      t.certification_level, t.rolling_entry,
                      to_char(t.next_start, 'YYYY-MM-DD') AS next_start,
                      coalesce((SELECT array_agg(c.name ORDER BY c.population DESC)
                                FROM training_places tp JOIN communes c ON c.code = tp.commune_code
                                WHERE tp.training_id = t.id), '{}') AS places
               FROM unnest($1::bigint[]) WITH ORDINALITY AS ids (id, position)
               JOIN public_trainings t ON t.id = ids.id
           ) card"#,
        ids
    )
    .fetch_one(pool)
    .await?;
    decode(json, "training cards")
}

/// A centre's first `limit` public trainings, next sessions first, and how
/// many it has.
pub async fn by_centre(
    pool: &PgPool,
    centre: i64,
    limit: i64,
) -> Result<(Vec<TrainingCard>, i64), AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", count(*) OVER () AS "total!" FROM public_trainings
           WHERE centre_id = $1
           ORDER BY rolling_entry DESC, next_start NULLS LAST, title LIMIT $2"#,
        centre,
        limit
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map_or(0, |row| row.total);
    let ids: Vec<i64> = rows.into_iter().map(|row| row.id).collect();
    Ok((cards(pool, &ids).await?, total))
}

/// The catalogue's own facets.
struct TrainingFacets;

impl FacetSpec for TrainingFacets {
    fn value(&self, key: &str, value: &str) -> String {
        match (key, value) {
            ("cpf", "true") => "oui".to_owned(),
            ("cpf", _) => "non".to_owned(),
            _ => value.to_owned(),
        }
    }

    fn label(&self, key: &str, value: &str) -> String {
        match key {
            "modalite" => label_of(&MODALITIES, value),
            "cpf" if value == "oui" => "Éligible au CPF".to_owned(),
            "cpf" => "Non éligible au CPF".to_owned(),
            "niveau" => level_label(value.parse().unwrap_or_default()),
            "duree" => label_of(&DURATION_BANDS, value),
            "prix" => label_of(&PRICE_BANDS, value),
            _ => label_of(&START_BANDS, value),
        }
    }

    fn sort(&self, key: &str, values: &mut [FacetValue]) {
        match key {
            "niveau" | "cpf" => values.sort_by(|a, b| a.value.cmp(&b.value)),
            "modalite" => sort_as(values, &MODALITIES),
            "duree" => sort_as(values, &DURATION_BANDS),
            "prix" => sort_as(values, &PRICE_BANDS),
            _ => sort_as(values, &START_BANDS),
        }
    }

    fn title(&self, key: &str) -> &'static str {
        match key {
            "modalite" => "Modalité",
            "cpf" => "Financement CPF",
            "niveau" => "Niveau de certification",
            "duree" => "Durée",
            "prix" => "Prix",
            _ => "Prochaine entrée",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_filter_values_are_ignored() {
        let query = SearchQuery::from_pairs(
            Scope::Trainings,
            [
                ("modalite", "teleportation"),
                ("cpf", "oui"),
                ("niveau", "9"),
                ("departement", "69"),
                ("region", "'; DROP"),
                ("prix", "gratuit"),
            ],
        );
        let f = filters(&query);
        assert_eq!(f.modality, None);
        assert_eq!(f.cpf, Some(true));
        assert_eq!(f.level, None);
        assert_eq!(f.departement.as_deref(), Some("69"));
        assert_eq!(f.region, None);
        assert_eq!(f.price.as_deref(), Some("gratuit"));
    }
}
