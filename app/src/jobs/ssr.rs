//! The public side of offers: an offer's page, saved offers, the bridge
//! between offers and trainings, and the sitemap.

use super::{
    Bridge, CompanySummary, HowToApply, JobPlace, OfferCard, OfferDetail, OfferLookup, Skill,
    search::cards,
};
use crate::{
    base::error::AppError, base::seo::ssr::SitemapEntry, organisations::listing::ssr as listing,
};
use sqlx::PgPool;

/// Trainings and offers the bridge shows at most.
const BRIDGE_SIZE: i64 = 6;

pub async fn public_detail(pool: &PgPool, slug: &str) -> Result<OfferLookup, AppError> {
    detail(pool, slug, true).await
}

/// The offer as data (the public API): what [`public_detail`] finds,
/// without what only its page shows to its viewer (the call to action, the
/// saved mark, the bridge to trainings, which is most of its cost), nor a
/// page view.
pub async fn public_data(pool: &PgPool, slug: &str) -> Result<OfferLookup, AppError> {
    detail(pool, slug, false).await
}

async fn detail(pool: &PgPool, slug: &str, page: bool) -> Result<OfferLookup, AppError> {
    let Some(row) = sqlx::query!(
        r#"SELECT j.id, j.status, j.title, j.description_html, j.diploma_level, j.openings,
                  to_char(j.start_date, 'YYYY-MM-DD') AS start_date,
                  j.apply_channel, j.apply_url, j.apply_email, j.commune_code,
                  (j.status = 'published' AND j.expires_at > now()) AS "live!",
                  to_char(j.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS published_at,
                  -- A filled offer stopped being valid when it was filled.
                  to_char(CASE WHEN j.status = 'filled' THEN least(j.expires_at, j.updated_at) ELSE j.expires_at END
                          AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "valid_through!",
                  o.name AS company_name, o.slug AS company_slug, o.website, o.sector, o.logo_media_id,
                  (o.status = 'approved') AS "approved!", j.withdrawn_at IS NOT NULL AS "withdrawn!"
           FROM job_offers j JOIN organisations o ON o.id = j.company_id
           WHERE j.slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await?
    else {
        return Err(AppError::NotFound);
    };
    if !row.approved || row.status == "draft" {
        return Err(AppError::NotFound);
    }
    if row.status == "archived" {
        // Never published: it never existed for the public; withdrawn by
        // moderation: not even its title stays public.
        if row.published_at.is_none() || row.withdrawn {
            return Err(AppError::NotFound);
        }
        return Ok(OfferLookup::Gone { title: row.title });
    }
    if page {
        crate::base::audience::ssr::view("offre", row.id);
    }
    let card = cards(pool, &[row.id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let skills = sqlx::query_as!(
        Skill,
        "SELECT s.id, s.name FROM job_skills js JOIN skills s ON s.id = js.skill_id
         WHERE js.offer_id = $1 ORDER BY s.name",
        row.id
    )
    .fetch_all(pool)
    .await?;
    let place = match &row.commune_code {
        Some(code) => sqlx::query_as!(
            JobPlace,
            r#"SELECT name, coalesce(postal_codes[1], '') AS "postal_code!", departement_name, region_name
               FROM communes WHERE code = $1"#,
            code
        )
        .fetch_optional(pool)
        .await?,
        None => None,
    };
    let logo = match row.logo_media_id {
        Some(id) => crate::base::media::ssr::image_by_id(pool, id)
            .await?
            .map(|image| image.largest),
        None => None,
    };
    let (viewer, candidate) = if page {
        listing::viewer(pool).await?
    } else {
        (crate::organisations::listing::Viewer::Anonymous, None)
    };
    let saved = match candidate {
        Some(candidate) => sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM saved_offers WHERE user_id = $1 AND offer_id = $2) AS "saved!""#,
            candidate,
            row.id
        )
        .fetch_one(pool)
        .await?,
        None => false,
    };
    let bridge = if page {
        bridge(pool, row.id, candidate).await?
    } else {
        Bridge::default()
    };
    Ok(OfferLookup::Found(Box::new(OfferDetail {
        card,
        description_html: row.description_html,
        live: row.live,
        status: row.status,
        published_at: row.published_at.unwrap_or_default(),
        valid_through: row.valid_through,
        diploma_level: row.diploma_level,
        start_date: row.start_date,
        openings: row.openings,
        apply: HowToApply::from_columns(&row.apply_channel, row.apply_url, row.apply_email),
        skills,
        place,
        company: CompanySummary {
            name: row.company_name,
            slug: row.company_slug,
            website: row.website,
            sector: row.sector,
            logo,
        },
        saved,
        viewer,
        bridge,
    })))
}

/// The offer's skills the candidate's profile lacks (all of them for
/// visitors and candidates without skills), and the public trainings that
/// teach any of them, around the job first ([`trainings_teaching`]).
pub async fn bridge(pool: &PgPool, offer: i64, candidate: Option<i64>) -> Result<Bridge, AppError> {
    let row = sqlx::query!(
        r#"SELECT
               coalesce((SELECT json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name)
                         FROM job_skills js JOIN skills s ON s.id = js.skill_id
                         WHERE js.offer_id = $1
                           AND NOT EXISTS (SELECT 1 FROM candidate_skills cs
                                           WHERE cs.user_id = $2 AND cs.skill_id = js.skill_id)),
                        '[]'::json) AS "missing!",
               EXISTS (SELECT 1 FROM candidate_skills WHERE user_id = $2) AS "personal!",
               -- Where the job is, unless it is fully remote.
               (SELECT commune_code FROM job_offers WHERE id = $1 AND remote <> 'teletravail') AS origin"#,
        offer,
        candidate
    )
    .fetch_one(pool)
    .await?;
    let missing: Vec<Skill> = crate::ui::search::ssr::decode(row.missing, "missing skills")?;
    let ids: Vec<i64> = missing.iter().map(|s| s.id).collect();
    let trainings = trainings_teaching(pool, &ids, row.origin.as_deref()).await?;
    Ok(Bridge {
        personal: row.personal,
        missing,
        trainings,
    })
}

/// Public trainings teaching any of `skills`. Around the job's commune
/// `origin`: those within 50 km or at a distance first, then the rest of its
/// région, none elsewhere. Then the ones covering most skills, the nearest,
/// the soonest to start (rolling entry counts as today).
pub async fn trainings_teaching(
    pool: &PgPool,
    skills: &[i64],
    origin: Option<&str>,
) -> Result<Vec<crate::trainings::TrainingCard>, AppError> {
    if skills.is_empty() {
        return Ok(Vec::new());
    }
    let ids = sqlx::query_scalar!(
        r#"WITH origin AS (SELECT latitude, longitude, region_code FROM communes WHERE code = $3)
           SELECT s.training_id AS "id!"
           FROM (SELECT training_id, count(*) AS covered FROM training_skills
                 WHERE skill_id = ANY ($1) GROUP BY training_id) ts
           JOIN training_search s ON s.training_id = ts.training_id
           CROSS JOIN LATERAL (
               SELECT CASE WHEN s.rolling_entry THEN current_date
                           WHEN s.next_start >= current_date THEN s.next_start
                           ELSE (SELECT min(d) FROM unnest(s.session_starts) d WHERE d >= current_date) END AS starts
           ) n
           CROSS JOIN LATERAL (
               SELECT min(distance_m(o.latitude, o.longitude, c.latitude, c.longitude)) AS metres
               FROM origin o, training_places tp JOIN communes c ON c.code = tp.commune_code
               WHERE tp.training_id = s.training_id
           ) d
           CROSS JOIN LATERAL (
               SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM origin) OR s.modality = 'distanciel'
                                OR d.metres <= 50000 THEN 0
                           WHEN (SELECT region_code FROM origin) = ANY (s.regions) THEN 1
                           ELSE 2 END AS tier
           ) t
           WHERE t.tier < 2
           ORDER BY t.tier, ts.covered DESC, d.metres NULLS LAST, n.starts NULLS LAST, s.training_id
           LIMIT $2"#,
        skills,
        BRIDGE_SIZE,
        origin
    )
    .fetch_all(pool)
    .await?;
    crate::trainings::search::cards(pool, &ids).await
}

/// Live offers asking for the skills of the training `slug`: most shared
/// skills first, then newest.
pub async fn offers_for_training(pool: &PgPool, slug: &str) -> Result<Vec<OfferCard>, AppError> {
    let ids = sqlx::query_scalar!(
        r#"SELECT js.offer_id AS "id!"
           FROM job_skills js
           JOIN job_search s ON s.offer_id = js.offer_id AND s.expires_at > now()
           WHERE js.skill_id IN (SELECT ts.skill_id FROM training_skills ts
                                 JOIN trainings t ON t.id = ts.training_id WHERE t.slug = $1)
           GROUP BY js.offer_id, s.published_at
           ORDER BY count(*) DESC, s.published_at DESC, js.offer_id
           LIMIT $2"#,
        slug,
        BRIDGE_SIZE
    )
    .fetch_all(pool)
    .await?;
    cards(pool, &ids).await
}

pub async fn slug_of(pool: &PgPool, offer: i64) -> Result<String, AppError> {
    sqlx::query_scalar!("SELECT slug FROM job_offers WHERE id = $1", offer)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// `/offres` and every live offer (expired ones leave the sitemap).
pub fn sitemap_entries(pool: &PgPool) -> crate::base::seo::ssr::SourceFuture<'_> {
    Box::pin(async move {
        let mut entries = vec![SitemapEntry::page("/offres")];
        let offers = sqlx::query_as!(
            listing::PublicPage,
            r#"SELECT j.slug, j.updated_at FROM job_search s JOIN job_offers j ON j.id = s.offer_id
               WHERE s.expires_at > now() ORDER BY j.id"#
        )
        .fetch_all(pool)
        .await?;
        entries.extend(listing::sitemap_pages("/offres", offers));
        Ok(entries)
    })
}
