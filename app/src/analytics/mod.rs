//! The platform's figures over time. `base::audience` counts page views,
//! searches and the steps of the conversion funnels without cookies or
//! personal data (daily totals only); the functions below read them back,
//! with the sign-ups, organisations, publications and requests of the same
//! period, for the back office (`/admin`) and for each centre and company
//! (their own listings).

pub mod pages;

pub use crate::base::audience::Metric;

use crate::base::error::AppError;
#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Days a statistics period may cover at most.
pub const LONGEST_PERIOD_DAYS: i64 = 366;

/// A period (`du` to `au`, inclusive, "AAAA-MM-JJ") counted per day or per
/// week (`pas` = "jour" or "semaine").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: String,
    pub to: String,
    pub weekly: bool,
}

/// Each series of the figures over time: (key, label).
pub const SERIES: [(&str, &str); 16] = [
    ("inscriptions_candidate", "Inscriptions de candidats"),
    (
        "inscriptions_centre_member",
        "Inscriptions de membres de centres",
    ),
    ("inscriptions_recruiter", "Inscriptions de recruteurs"),
    ("organisations_centre", "Centres inscrits"),
    ("organisations_entreprise", "Entreprises inscrites"),
    ("offres_publiees", "Offres publiées"),
    ("formations_publiees", "Formations publiées"),
    ("candidatures", "Candidatures envoyées"),
    ("demandes_inscription", "Demandes d'inscription"),
    ("pages_vues", "Pages vues"),
    ("recherches_offres", "Recherches d'offres"),
    ("recherches_formations", "Recherches de formations"),
    ("recherches_sans_resultat", "Recherches sans résultat"),
    ("inscriptions_staff", "Comptes d'équipe créés"),
    ("offres_en_ligne", "Offres en ligne (fin de période)"),
    (
        "formations_en_ligne",
        "Formations en ligne (fin de période)",
    ),
];

/// The series that are a level (how many are online), not a flow: their
/// rows are the changes, added up from what was online before the period.
#[cfg(feature = "ssr")]
const LEVELS: [&str; 2] = ["offres_en_ligne", "formations_en_ligne"];

/// One series over the period: its label and a value per period start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub key: String,
    pub label: String,
    pub values: Vec<i64>,
    /// A level (how many are online at each period's end), not a flow.
    pub level: bool,
}

impl Series {
    /// The period's total: the sum of a flow, a level's last value.
    pub fn total(&self) -> i64 {
        if self.level {
            self.values.last().copied().unwrap_or(0)
        } else {
            self.values.iter().sum()
        }
    }
}

/// Searched words with their counts over the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchedWords {
    pub words: String,
    pub searches: i64,
    pub without_results: i64,
}

/// A funnel's steps: (label, count).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    pub title: String,
    pub steps: Vec<(String, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    pub period: Period,
    /// Each period's first day, "JJ/MM".
    pub periods: Vec<String>,
    pub series: Vec<Series>,
    /// Pages viewed per route kind, most first.
    pub routes: Vec<(String, i64)>,
    pub top_offer_searches: Vec<SearchedWords>,
    pub top_training_searches: Vec<SearchedWords>,
    /// The searches that found nothing, both scopes, most first.
    pub zero_result_searches: Vec<SearchedWords>,
    pub top_filters: Vec<(String, i64)>,
    pub funnels: Vec<Funnel>,
}

/// Today in Paris, as the database's clock says.
#[cfg(feature = "ssr")]
pub async fn paris_today(pool: &sqlx::PgPool) -> Result<chrono::NaiveDate, AppError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT (now() AT TIME ZONE 'Europe/Paris')::date AS "today!""#)
            .fetch_one(pool)
            .await?,
    )
}

/// `du`, `au` and `pas` as the statistics form sends them; empty means
/// the 30 days up to `today`, per day. French messages on the field at fault.
#[cfg(feature = "ssr")]
pub fn parse_period(
    du: &str,
    au: &str,
    pas: &str,
    today: chrono::NaiveDate,
) -> Result<Period, AppError> {
    use chrono::NaiveDate;
    let date = |field: &str, text: &str, default: NaiveDate| {
        if text.trim().is_empty() {
            return Ok(default);
        }
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid(field, "Date invalide (jj/mm/aaaa)."))
    };
    let to = date("au", au, today)?;
    let from = date("du", du, to - chrono::Days::new(29))?;
    if from > to {
        return Err(AppError::invalid(
            "du",
            "Le début de la période doit précéder sa fin.",
        ));
    }
    if (to - from).num_days() >= LONGEST_PERIOD_DAYS {
        return Err(AppError::invalid(
            "du",
            "Choisissez une période d'un an au plus.",
        ));
    }
    let weekly = match pas {
        "" | "jour" => false,
        "semaine" => true,
        _ => {
            return Err(AppError::invalid(
                "pas",
                "Choisissez « jour » ou « semaine ».",
            ));
        }
    };
    Ok(Period {
        from: from.to_string(),
        to: to.to_string(),
        weekly,
    })
}

/// The first day of each period step from `from` to `to` (weeks start on
/// Monday, as PostgreSQL's `date_trunc('week')`).
#[cfg(feature = "ssr")]
pub fn period_starts(period: &Period) -> Vec<chrono::NaiveDate> {
    use chrono::{Datelike, NaiveDate};
    let (Ok(from), Ok(to)) = (
        NaiveDate::parse_from_str(&period.from, "%Y-%m-%d"),
        NaiveDate::parse_from_str(&period.to, "%Y-%m-%d"),
    ) else {
        return Vec::new();
    };
    let (mut day, step) = if period.weekly {
        let monday = from - chrono::Days::new(u64::from(from.weekday().num_days_from_monday()));
        (monday, chrono::Days::new(7))
    } else {
        (from, chrono::Days::new(1))
    };
    let mut starts = Vec::new();
    while day <= to {
        starts.push(day);
        day = day + step;
    }
    starts
}

/// The platform's figures over a period, for the back office.
#[cfg(feature = "ssr")]
pub async fn site_statistics_for(
    pool: &sqlx::PgPool,
    period: Period,
) -> Result<Statistics, AppError> {
    let starts = period_starts(&period);
    let unit = if period.weekly { "week" } else { "day" };
    let from = chrono::NaiveDate::parse_from_str(&period.from, "%Y-%m-%d")
        .map_err(|_| AppError::invalid("du", "Date invalide (jj/mm/aaaa)."))?;
    let to = chrono::NaiveDate::parse_from_str(&period.to, "%Y-%m-%d")
        .map_err(|_| AppError::invalid("au", "Date invalide (jj/mm/aaaa)."))?;
    // Every source in one pass each, grouped by period start (Paris time).
    let rows = sqlx::query!(
        r#"WITH bounds AS (
               SELECT $1::date::timestamp AT TIME ZONE 'Europe/Paris' AS from_at,
                      ($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris' AS to_at
           ), events AS (
               SELECT u.created_at AS at,
                      'inscriptions_' || CASE WHEN u.role IN ('editor', 'admin') THEN 'staff' ELSE u.role END AS series,
                      1::bigint AS n
               FROM users u, bounds b WHERE u.created_at >= b.from_at AND u.created_at < b.to_at
               UNION ALL
               SELECT o.created_at, 'organisations_' || o.kind, 1
               FROM organisations o, bounds b WHERE o.created_at >= b.from_at AND o.created_at < b.to_at
               UNION ALL
               SELECT j.published_at, 'offres_publiees', 1
               FROM job_offers j, bounds b WHERE j.published_at >= b.from_at AND j.published_at < b.to_at
               UNION ALL
               SELECT t.published_at, 'formations_publiees', 1
               FROM trainings t, bounds b WHERE t.published_at >= b.from_at AND t.published_at < b.to_at
               UNION ALL
               SELECT a.created_at, 'candidatures', 1
               FROM applications a, bounds b WHERE a.created_at >= b.from_at AND a.created_at < b.to_at
               UNION ALL
               SELECT r.created_at, 'demandes_inscription', 1
               FROM enrolment_requests r, bounds b WHERE r.created_at >= b.from_at AND r.created_at < b.to_at
               UNION ALL
               -- Online: +1 when published, -1 when it expired, was filled
               -- or archived (its last change then) or withdrawn.
               SELECT l.at, l.series, l.n FROM (
                   SELECT j.published_at AS at, 'offres_en_ligne' AS series, 1::bigint AS n
                   FROM job_offers j WHERE j.status <> 'draft'
                   UNION ALL
                   SELECT least(j.expires_at, CASE WHEN j.status IN ('filled', 'archived') THEN j.updated_at END),
                          'offres_en_ligne', -1
                   FROM job_offers j WHERE j.status <> 'draft'
                   UNION ALL
                   SELECT t.published_at, 'formations_en_ligne', 1
                   FROM trainings t WHERE t.status <> 'draft'
                   UNION ALL
                   SELECT t.updated_at, 'formations_en_ligne', -1
                   FROM trainings t WHERE t.status = 'archived'
               ) l, bounds b WHERE l.at >= b.from_at AND l.at < b.to_at
               UNION ALL
               SELECT d.day::timestamp AT TIME ZONE 'Europe/Paris',
                      CASE d.metric WHEN 'page' THEN 'pages_vues' ELSE 'recherches_' || substr(d.metric, 11) END,
                      d.hits
               FROM analytics_daily d
               WHERE d.day BETWEEN $1 AND $2
                 AND d.metric IN ('page', 'recherche_offres', 'recherche_formations')
               UNION ALL
               SELECT d.day::timestamp AT TIME ZONE 'Europe/Paris', 'recherches_sans_resultat', d.zero
               FROM analytics_daily d
               WHERE d.day BETWEEN $1 AND $2 AND d.metric IN ('recherche_offres', 'recherche_formations')
           )
           SELECT date_trunc($3, e.at AT TIME ZONE 'Europe/Paris')::date AS "start!",
                  e.series AS "series!", sum(e.n)::bigint AS "value!"
           FROM events e GROUP BY 1, 2"#,
        from,
        to,
        unit
    )
    .fetch_all(pool)
    .await?;
    // What was online when the period began.
    let before = sqlx::query!(
        r#"WITH b AS (SELECT $1::date::timestamp AT TIME ZONE 'Europe/Paris' AS from_at)
           SELECT
               (SELECT count(*) FROM job_offers j, b
                WHERE j.status <> 'draft' AND j.published_at < b.from_at
                  AND least(j.expires_at, CASE WHEN j.status IN ('filled', 'archived') THEN j.updated_at END) >= b.from_at
               ) AS "offers!",
               (SELECT count(*) FROM trainings t, b
                WHERE t.status <> 'draft' AND t.published_at < b.from_at
                  AND (t.status <> 'archived' OR t.updated_at >= b.from_at)
               ) AS "trainings!""#,
        from
    )
    .fetch_one(pool)
    .await?;
    let series = SERIES
        .iter()
        .map(|(key, label)| {
            let mut values: Vec<i64> = starts
                .iter()
                .map(|start| {
                    rows.iter()
                        .filter(|r| r.series == *key && r.start == *start)
                        .map(|r| r.value)
                        .sum()
                })
                .collect();
            if LEVELS.contains(key) {
                let mut level = if *key == "offres_en_ligne" {
                    before.offers
                } else {
                    before.trainings
                };
                for value in &mut values {
                    level += *value;
                    *value = level;
                }
            }
            Series {
                key: (*key).to_owned(),
                label: (*label).to_owned(),
                values,
                level: LEVELS.contains(key),
            }
        })
        .collect();
    let routes = sqlx::query!(
        r#"SELECT label AS "label!", sum(hits)::bigint AS "views!" FROM analytics_daily
           WHERE metric = 'page' AND day BETWEEN $1 AND $2
           GROUP BY label ORDER BY 2 DESC"#,
        from,
        to
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.label, r.views))
    .collect();
    // The words of searches in `scopes`, most searched first, or (with
    // `zero_only`) most often without results first.
    let words = |scopes: &'static [Metric], zero_only: bool| async move {
        Ok::<_, AppError>(
            sqlx::query_as!(
                SearchedWords,
                r#"SELECT label AS "words!", sum(hits)::bigint AS "searches!",
                          sum(zero)::bigint AS "without_results!"
                   FROM analytics_daily
                   WHERE metric = ANY($1) AND day BETWEEN $2 AND $3
                   GROUP BY label HAVING NOT $4 OR sum(zero) > 0
                   ORDER BY CASE WHEN $4 THEN sum(zero) ELSE sum(hits) END DESC, label
                   LIMIT 20"#,
                &scopes.iter().map(|m| m.as_db()).collect::<Vec<_>>() as &[&str],
                from,
                to,
                zero_only
            )
            .fetch_all(pool)
            .await?,
        )
    };
    let top_offer_searches = words(&[Metric::OfferSearch], false).await?;
    let top_training_searches = words(&[Metric::TrainingSearch], false).await?;
    let both = &[Metric::OfferSearch, Metric::TrainingSearch];
    let zero_result_searches = words(both, true).await?;
    let top_filters = sqlx::query!(
        r#"SELECT CASE metric WHEN 'filtre_offres' THEN 'Offres : ' ELSE 'Formations : ' END || label AS "label!",
                  sum(hits)::bigint AS "uses!"
           FROM analytics_daily
           WHERE metric IN ('filtre_offres', 'filtre_formations') AND day BETWEEN $1 AND $2
           GROUP BY metric, label ORDER BY 2 DESC, 1 LIMIT 15"#,
        from,
        to
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.label, r.uses))
    .collect();
    let funnels = funnels(pool, from, to, None).await?.to_vec();
    Ok(Statistics {
        periods: starts
            .iter()
            .map(|d| d.format("%d/%m").to_string())
            .collect(),
        period,
        series,
        routes,
        top_offer_searches,
        top_training_searches,
        zero_result_searches,
        top_filters,
        funnels,
    })
}

/// The offers' and the trainings' funnels, in that order, over `from`–`to`,
/// for the whole site or for the listings of one organisation.
#[cfg(feature = "ssr")]
async fn funnels(
    pool: &sqlx::PgPool,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    organisation: Option<i64>,
) -> Result<[Funnel; 2], AppError> {
    let row = sqlx::query!(
        r#"SELECT
               coalesce(sum(hits) FILTER (WHERE metric = 'vue' AND label = 'offre'), 0)::bigint AS "offer_views!",
               coalesce(sum(hits) FILTER (WHERE metric = 'candidature_ouverte'), 0)::bigint AS "started!",
               coalesce(sum(hits) FILTER (WHERE metric = 'candidature_envoyee'), 0)::bigint AS "sent!",
               coalesce(sum(hits) FILTER (WHERE metric = 'vue' AND label = 'formation'), 0)::bigint AS "training_views!",
               coalesce(sum(hits) FILTER (WHERE metric = 'inscription_demandee'), 0)::bigint AS "requested!"
           FROM analytics_daily d
           WHERE d.day BETWEEN $1 AND $2
             AND d.metric IN ('vue', 'candidature_ouverte', 'candidature_envoyee', 'inscription_demandee')
             AND ($3::bigint IS NULL
                  OR (d.metric IN ('candidature_ouverte', 'candidature_envoyee') OR d.label = 'offre')
                     AND d.item IN (SELECT id FROM job_offers WHERE company_id = $3)
                  OR (d.metric = 'inscription_demandee' OR d.label = 'formation')
                     AND d.item IN (SELECT id FROM trainings WHERE centre_id = $3))"#,
        from,
        to,
        organisation
    )
    .fetch_one(pool)
    .await?;
    Ok([
        Funnel {
            title: "Offres d'emploi".to_owned(),
            steps: vec![
                ("Offres vues".to_owned(), row.offer_views),
                ("Formulaires de candidature ouverts".to_owned(), row.started),
                ("Candidatures envoyées".to_owned(), row.sent),
            ],
        },
        Funnel {
            title: "Formations".to_owned(),
            steps: vec![
                ("Formations vues".to_owned(), row.training_views),
                ("Demandes d'inscription".to_owned(), row.requested),
            ],
        },
    ])
}

/// The figures over a period (see [`parse_period`]), for the back office.
#[server(prefix = "/api", endpoint = "admin/statistiques")]
pub async fn site_statistics(
    #[server(default)] du: String,
    #[server(default)] au: String,
    #[server(default)] pas: String,
) -> Result<Statistics, AppError> {
    with_permission(Permission::BackofficeRead, |pool, _| async move {
        let period = parse_period(&du, &au, &pas, paris_today(&pool).await?)?;
        site_statistics_for(&pool, period).await
    })
    .await
}

/// Every table of [`site_statistics`] as one CSV: the series, one line
/// per period, then each other table after an empty line and its title.
#[cfg(feature = "ssr")]
pub async fn statistics_csv(
    pool: &sqlx::PgPool,
    du: &str,
    au: &str,
    pas: &str,
) -> Result<Vec<u8>, AppError> {
    crate::identity::auth::ssr::require_permission(pool, Permission::BackofficeRead).await?;
    let period = parse_period(du, au, pas, paris_today(pool).await?)?;
    let starts = period_starts(&period);
    let stats = site_statistics_for(pool, period).await?;
    let mut headings = vec!["période".to_owned()];
    headings.extend(stats.series.iter().map(|s| s.label.clone()));
    let mut rows: Vec<Vec<String>> = starts
        .iter()
        .enumerate()
        .map(|(i, start)| {
            let mut row = vec![start.to_string()];
            row.extend(stats.series.iter().map(|s| s.values[i].to_string()));
            row
        })
        .collect();
    let mut table = |title: &str, columns: [&str; 2], lines: Vec<(String, i64)>| {
        rows.push(Vec::new());
        rows.push(vec![title.to_owned()]);
        rows.push(columns.map(str::to_owned).to_vec());
        rows.extend(
            lines
                .into_iter()
                .map(|(label, n)| vec![label, n.to_string()]),
        );
    };
    let words = |list: &[SearchedWords], zero: bool| {
        list.iter()
            .map(|w| {
                (
                    w.words.clone(),
                    if zero { w.without_results } else { w.searches },
                )
            })
            .collect()
    };
    table(
        "Pages vues par type de page",
        ["type", "pages"],
        stats.routes.clone(),
    );
    table(
        "Offres : recherches les plus fréquentes",
        ["mots", "recherches"],
        words(&stats.top_offer_searches, false),
    );
    table(
        "Formations : recherches les plus fréquentes",
        ["mots", "recherches"],
        words(&stats.top_training_searches, false),
    );
    table(
        "Recherches sans résultat",
        ["mots", "sans résultat"],
        words(&stats.zero_result_searches, true),
    );
    table(
        "Filtres les plus utilisés",
        ["filtre", "utilisations"],
        stats.top_filters.clone(),
    );
    for funnel in &stats.funnels {
        table(
            &format!("Parcours : {}", funnel.title),
            ["étape", "nombre"],
            funnel.steps.clone(),
        );
    }
    crate::base::csv::write_rows("statistics", &headings, rows)
}

/// One listing of an organisation with its audience over 30 days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingAudience {
    pub title: String,
    pub views: i64,
    /// Offers: application forms opened; trainings: none.
    pub started: i64,
    /// Applications or enrolment requests.
    pub requests: i64,
    /// Views on each of the 30 days, oldest first.
    pub daily_views: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    pub listings: Vec<ListingAudience>,
    pub funnel: Funnel,
    /// The 30 days, "JJ/MM", and each day's views and requests of all the
    /// organisation's listings.
    pub days: Vec<String>,
    pub views: Vec<i64>,
    pub requests: Vec<i64>,
}

/// How the member's centre (`kind` centre) or company is seen over the
/// last 30 days: each published listing's views and requests, and its
/// funnel.
#[server(prefix = "/api", endpoint = "organisation/audience")]
pub async fn organisation_audience(
    kind: crate::organisations::profile::OrgKind,
) -> Result<Audience, AppError> {
    use crate::organisations::profile::{OrgKind, ssr::with_member};
    let permission = match kind {
        OrgKind::Centre => Permission::EnrolmentReview,
        OrgKind::Entreprise => Permission::ApplicationReview,
    };
    with_member(kind, permission, |pool, _, organisation| async move {
        let to = paris_today(&pool).await?;
        let from = to - chrono::Days::new(29);
        let listings = sqlx::query_as!(
            ListingAudience,
            r#"WITH mine AS (
                   SELECT id, title, 'offre' AS kind FROM job_offers
                   WHERE company_id = $1 AND status <> 'draft' AND $4 = 'entreprise'
                   UNION ALL
                   SELECT id, title, 'formation' FROM trainings
                   WHERE centre_id = $1 AND status <> 'draft' AND $4 = 'centre'
               )
               SELECT m.title AS "title!",
                      coalesce(sum(d.hits) FILTER (WHERE d.metric = 'vue'), 0)::bigint AS "views!",
                      coalesce(sum(d.hits) FILTER (WHERE d.metric = 'candidature_ouverte'), 0)::bigint AS "started!",
                      coalesce(sum(d.hits) FILTER (WHERE d.metric IN ('candidature_envoyee', 'inscription_demandee')), 0)::bigint AS "requests!",
                      ARRAY(SELECT coalesce(sum(v.hits), 0)::bigint
                            FROM generate_series($2::date, $3::date, interval '1 day') AS g (day)
                            LEFT JOIN analytics_daily v ON v.day = g.day::date AND v.metric = 'vue'
                                 AND v.label = m.kind AND v.item = m.id
                            GROUP BY g.day ORDER BY g.day) AS "daily_views!"
               FROM mine m
               LEFT JOIN analytics_daily d ON d.item = m.id AND d.day BETWEEN $2 AND $3
                    AND (d.metric = 'vue' AND d.label = m.kind
                         OR d.metric IN ('candidature_ouverte', 'candidature_envoyee') AND m.kind = 'offre'
                         OR d.metric = 'inscription_demandee' AND m.kind = 'formation')
               GROUP BY m.id, m.title, m.kind ORDER BY 2 DESC, m.title LIMIT 100"#,
            organisation,
            from,
            to,
            kind.as_db()
        )
        .fetch_all(&pool)
        .await?;
        let [offers, trainings] = funnels(&pool, from, to, Some(organisation)).await?;
        let funnel = match kind {
            OrgKind::Entreprise => offers,
            OrgKind::Centre => trainings,
        };
        let daily = sqlx::query!(
            r#"SELECT d.day AS "day!",
                      coalesce(sum(d.hits) FILTER (WHERE d.metric = 'vue'), 0)::bigint AS "views!",
                      coalesce(sum(d.hits) FILTER (WHERE d.metric <> 'vue'), 0)::bigint AS "requests!"
               FROM analytics_daily d
               WHERE d.day BETWEEN $2 AND $3
                 AND (d.metric = 'vue' AND d.label = CASE $4 WHEN 'centre' THEN 'formation' ELSE 'offre' END
                      OR d.metric = CASE $4 WHEN 'centre' THEN 'inscription_demandee' ELSE 'candidature_envoyee' END)
                 AND d.item IN (SELECT id FROM job_offers WHERE company_id = $1 AND $4 = 'entreprise'
                                UNION ALL SELECT id FROM trainings WHERE centre_id = $1 AND $4 = 'centre')
               GROUP BY d.day"#,
            organisation,
            from,
            to,
            kind.as_db()
        )
        .fetch_all(&pool)
        .await?;
        let days = period_starts(&Period {
            from: from.to_string(),
            to: to.to_string(),
            weekly: false,
        });
        let on = |day: &chrono::NaiveDate, pick: fn(i64, i64) -> i64| {
            daily
                .iter()
                .find(|r| r.day == *day)
                .map_or(0, |r| pick(r.views, r.requests))
        };
        Ok(Audience {
            listings,
            funnel,
            views: days.iter().map(|d| on(d, |views, _| views)).collect(),
            requests: days.iter().map(|d| on(d, |_, requests| requests)).collect(),
            days: days.iter().map(|d| d.format("%d/%m").to_string()).collect(),
        })
    })
    .await
}

/// [`organisation_audience`] as CSV, for the organisation's members: one
/// line per listing (its totals, then its views on each day), then the
/// organisation's days and its funnel, each table under its title.
#[cfg(feature = "ssr")]
pub async fn audience_csv(
    kind: crate::organisations::profile::OrgKind,
) -> Result<Vec<u8>, AppError> {
    let audience = organisation_audience(kind).await?;
    let mut headings: Vec<String> = ["titre", "vues", "formulaires ouverts", "demandes"]
        .map(str::to_owned)
        .to_vec();
    headings.extend(audience.days.iter().map(|day| format!("vues le {day}")));
    let mut rows: Vec<Vec<String>> = audience
        .listings
        .iter()
        .map(|l| {
            let mut row = vec![
                l.title.clone(),
                l.views.to_string(),
                l.started.to_string(),
                l.requests.to_string(),
            ];
            row.extend(l.daily_views.iter().map(i64::to_string));
            row
        })
        .collect();
    rows.push(Vec::new());
    rows.push(vec!["Par jour".to_owned()]);
    rows.push(["jour", "vues", "demandes"].map(str::to_owned).to_vec());
    for (i, day) in audience.days.iter().enumerate() {
        rows.push(vec![
            day.clone(),
            audience.views[i].to_string(),
            audience.requests[i].to_string(),
        ]);
    }
    rows.push(Vec::new());
    rows.push(vec![format!("Parcours : {}", audience.funnel.title)]);
    rows.extend(
        audience
            .funnel
            .steps
            .iter()
            .map(|(step, n)| vec![step.clone(), n.to_string()]),
    );
    crate::base::csv::write_rows("audience", &headings, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn periods_are_checked_and_cut_into_days_or_weeks() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let days = parse_period("2026-11-01", "2026-11-30", "jour", today).unwrap();
        assert_eq!(period_starts(&days).len(), 30);
        let default = parse_period("", "", "", today).unwrap();
        assert_eq!(
            (default.from.as_str(), default.to.as_str(), default.weekly),
            ("2026-11-05", "2026-12-04", false)
        );
        // 1 November 2026 is a Sunday: its week starts on 26 October.
        let weeks = parse_period("2026-11-01", "2026-11-30", "semaine", today).unwrap();
        let starts = period_starts(&weeks);
        assert_eq!(
            starts.first().map(|d| d.to_string()).as_deref(),
            Some("2026-10-26")
        );
        assert_eq!(starts.len(), 6);
        for (du, au, pas, field) in [
            ("2026-12-01", "2026-11-01", "jour", "du"),
            ("2025-01-01", "2026-11-01", "jour", "du"),
            ("hier", "", "jour", "du"),
            ("", "", "mois", "pas"),
        ] {
            let error = parse_period(du, au, pas, today).unwrap_err();
            assert!(error.for_field(field).is_some(), "{du} {au} {pas}");
        }
    }
}
