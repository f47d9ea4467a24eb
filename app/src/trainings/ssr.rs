//! Trainings' data layer: the public page, the centre's writes, saved
//! trainings and sitemap entries. Every write is scoped to the caller's centre.

use super::{
    CentreSummary, FUNDING, MODALITIES, Place, Session, TrainingCard, TrainingDetail,
    TrainingLookup, Viewer,
    dashboard::{Dashboard, DashboardRow, EditData, Skill, TrainingInput},
    label_of,
};
use crate::{
    base::error::AppError,
    base::seo::ssr::SitemapEntry,
    identity::auth::{AuthUser, Permission},
    organisations::{listing::ssr as listing, profile::OrgKind},
};
use chrono::NaiveDate;
use sqlx::PgPool;

/// The signed-in centre member holding `permission`, and their centre.
pub async fn require_centre(
    pool: &PgPool,
    permission: Permission,
) -> Result<(AuthUser, i64), AppError> {
    crate::organisations::profile::ssr::require_member(pool, OrgKind::Centre, permission).await
}

pub async fn public_detail(pool: &PgPool, slug: &str) -> Result<TrainingLookup, AppError> {
    let Some(row) = sqlx::query!(
        r#"SELECT t.id AS "id!", t.slug AS "slug!", t.title AS "title!", t.summary AS "summary!",
                  t.centre_name AS "centre_name!", t.centre_slug AS "centre_slug!",
                  t.modality AS "modality!", t.duration_hours AS "duration_hours!",
                  t.price_cents AS "price_cents!", t.cpf_eligible AS "cpf_eligible!",
                  t.certification_kind AS "certification_kind!", t.certification_level,
                  t.certification_code AS "certification_code!", t.rolling_entry AS "rolling_entry!",
                  to_char(t.next_start, 'YYYY-MM-DD') AS next_start,
                  t.description_html AS "description_html!", t.objectives AS "objectives!",
                  t.prerequisites AS "prerequisites!", t.funding AS "funding!",
                  t.centre_qualiopi AS "qualiopi!", o.website,
                  -- Not in the view, which lists the columns it was made with.
                  (SELECT x.cpf_link FROM trainings x WHERE x.id = t.id AND x.cpf_eligible) AS cpf_link,
                  (SELECT c.name FROM communes c WHERE c.code = o.commune_code) AS centre_city,
                  to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updated_at!"
           FROM public_trainings t JOIN organisations o ON o.id = t.centre_id
           WHERE t.slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await?
    else {
        let archived = sqlx::query_scalar!(
            // As for offers: never published, or of a centre that is not
            // (or no longer) approved, it never existed for the public;
            // withdrawn by moderation, not even its title stays public.
            "SELECT t.title FROM trainings t JOIN organisations o ON o.id = t.centre_id
             WHERE t.slug = $1 AND t.status = 'archived' AND t.withdrawn_at IS NULL
               AND t.published_at IS NOT NULL AND o.status = 'approved'",
            slug
        )
        .fetch_optional(pool)
        .await?;
        return archived
            .map(|title| TrainingLookup::Gone { title })
            .ok_or(AppError::NotFound);
    };
    let sessions = sqlx::query_as!(
        Session,
        r#"SELECT id, to_char(starts_on, 'YYYY-MM-DD') AS "starts_on!",
                  to_char(ends_on, 'YYYY-MM-DD') AS "ends_on!", seats
           FROM training_sessions WHERE training_id = $1 AND starts_on >= current_date
           ORDER BY starts_on LIMIT 12"#,
        row.id
    )
    .fetch_all(pool)
    .await?;
    let skills = sqlx::query_scalar!(
        "SELECT s.name FROM training_skills ts JOIN skills s ON s.id = ts.skill_id
         WHERE ts.training_id = $1 ORDER BY s.name",
        row.id
    )
    .fetch_all(pool)
    .await?;
    let place_list = sqlx::query_as!(
        Place,
        r#"SELECT c.code, c.name, coalesce(c.postal_codes[1], '') AS "postal_code!",
                  c.departement_name, c.region_name, c.latitude, c.longitude
           FROM training_places tp JOIN communes c ON c.code = tp.commune_code
           WHERE tp.training_id = $1 ORDER BY c.population DESC"#,
        row.id
    )
    .fetch_all(pool)
    .await?;
    let (viewer, saved, requested_sessions) = viewer_state(pool, row.id).await?;
    crate::base::audience::ssr::view("formation", row.id);
    Ok(TrainingLookup::Found(Box::new(TrainingDetail {
        card: TrainingCard {
            id: row.id,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            centre_name: row.centre_name.clone(),
            centre_slug: row.centre_slug.clone(),
            modality: row.modality,
            duration_hours: row.duration_hours,
            price_cents: row.price_cents,
            cpf_eligible: row.cpf_eligible,
            certification_kind: row.certification_kind,
            certification_level: row.certification_level,
            rolling_entry: row.rolling_entry,
            next_start: row.next_start,
            places: place_list.iter().map(|p| p.name.clone()).collect(),
        },
        description_html: row.description_html,
        objectives: row.objectives,
        prerequisites: row.prerequisites,
        certification_code: row.certification_code,
        cpf_link: row.cpf_link.filter(|link| !link.is_empty()),
        funding: row.funding.iter().map(|f| label_of(&FUNDING, f)).collect(),
        skills,
        sessions,
        place_list,
        centre: CentreSummary {
            name: row.centre_name,
            slug: row.centre_slug,
            qualiopi: row.qualiopi,
            website: row.website,
            city: row.centre_city,
        },
        updated_at: row.updated_at,
        saved,
        requested_sessions,
        viewer,
    })))
}

/// The slug of the training `id`, whatever its status (the public API
/// reads it by id; [`public_detail`] still decides what is public).
pub async fn slug_of(pool: &PgPool, id: i64) -> Result<String, AppError> {
    sqlx::query_scalar!("SELECT slug FROM trainings WHERE id = $1", id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// Who is looking, and for a candidate, whether they saved the training
/// and which of its sessions they already asked for.
async fn viewer_state(
    pool: &PgPool,
    training: i64,
) -> Result<(Viewer, bool, Vec<Option<i64>>), AppError> {
    let (viewer, candidate) = listing::viewer(pool).await?;
    let Some(candidate) = candidate else {
        return Ok((viewer, false, Vec::new()));
    };
    let saved = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM saved_trainings WHERE user_id = $1 AND training_id = $2) AS "saved!""#,
        candidate,
        training
    )
    .fetch_one(pool)
    .await?;
    let requested = sqlx::query_scalar!(
        "SELECT session_id FROM enrolment_requests
         WHERE candidate_id = $1 AND training_id = $2 AND status IN ('new', 'in_review', 'accepted')",
        candidate,
        training
    )
    .fetch_all(pool)
    .await?;
    Ok((viewer, saved, requested))
}

/// The candidate's saved trainings still public, newest first.
pub async fn saved_cards(pool: &PgPool, user: i64) -> Result<Vec<TrainingCard>, AppError> {
    let ids = sqlx::query_scalar!(
        "SELECT training_id FROM saved_trainings WHERE user_id = $1 ORDER BY created_at DESC",
        user
    )
    .fetch_all(pool)
    .await?;
    super::search::cards(pool, &ids).await
}

pub async fn skills(pool: &PgPool) -> Result<Vec<Skill>, AppError> {
    crate::base::skills::ssr::all(pool).await
}

/// A training's fields, checked; French messages name the field at fault.
#[derive(Debug)]
pub struct Valid {
    pub title: String,
    pub summary: String,
    pub description: listing::Description,
    pub objectives: String,
    pub prerequisites: String,
    pub skills: Vec<i64>,
    pub certification: Certification,
    pub cpf_eligible: bool,
    /// Empty, or the training's page on Mon Compte Formation.
    pub cpf_link: String,
    pub modality: String,
    pub duration_hours: i32,
    pub price_cents: i32,
    pub funding: Vec<String>,
    pub rolling_entry: bool,
    pub places: Vec<String>,
}

/// What a training leads to: `kind` "none", "rncp" or "rs", its code in the
/// national repertories and, for an RNCP title, its level (3 to 8).
#[derive(Debug)]
pub struct Certification {
    pub kind: String,
    pub code: String,
    pub level: Option<i16>,
}

/// The certification the form names; French messages on its three fields.
fn certification(input: &TrainingInput) -> Result<Certification, AppError> {
    let (kind, code, level) = match input.certification_kind.as_str() {
        "" | "none" => ("none".to_owned(), String::new(), None),
        kind @ ("rncp" | "rs") => {
            let code = input
                .certification_code
                .trim()
                .to_uppercase()
                .replace(' ', "");
            let prefix = kind.to_uppercase();
            let valid = code.strip_prefix(&prefix).is_some_and(|n| {
                (3..=6).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())
            });
            if !valid {
                return Err(AppError::invalid(
                    "certification_code",
                    &format!(
                        "Le code s'écrit {prefix} suivi de son numéro, par exemple {prefix}37805."
                    ),
                ));
            }
            // Required for a title RNCP only.
            let level = listing::number_in(&input.certification_level, 3..=8);
            if kind == "rncp" && level.is_none() {
                return Err(AppError::invalid(
                    "certification_level",
                    "Un titre RNCP a un niveau de 3 à 8.",
                ));
            }
            (kind.to_owned(), code, level)
        }
        _ => {
            return Err(AppError::invalid(
                "certification_kind",
                "Type de certification inconnu.",
            ));
        }
    };
    Ok(Certification { kind, code, level })
}

pub async fn validate(pool: &PgPool, input: &TrainingInput) -> Result<Valid, AppError> {
    let title = listing::title(OrgKind::Centre, &input.title)?;
    let summary = input.summary.trim().to_owned();
    if !(20..=300).contains(&summary.chars().count()) {
        return Err(AppError::invalid(
            "summary",
            "Le résumé doit faire entre 20 et 300 caractères.",
        ));
    }
    let description = listing::description(&input.description)?;
    for (field, text) in [
        ("objectives", &input.objectives),
        ("prerequisites", &input.prerequisites),
    ] {
        if text.chars().count() > 4_000 {
            return Err(AppError::invalid(
                field,
                "Ce texte est trop long (4 000 caractères au plus).",
            ));
        }
    }
    if !MODALITIES.iter().any(|(v, _)| *v == input.modality) {
        return Err(AppError::invalid("modality", "Choisissez une modalité."));
    }
    let duration_hours =
        listing::number_in(input.duration_hours.trim(), 1..=5000).ok_or_else(|| {
            AppError::invalid(
                "duration_hours",
                "Indiquez une durée en heures, entre 1 et 5 000.",
            )
        })?;
    let price_cents = listing::cents(&input.price_euros).ok_or_else(|| {
        AppError::invalid(
            "price_euros",
            "Indiquez un prix en euros (0 si la formation est gratuite).",
        )
    })?;
    let certification = certification(input)?;
    let cpf_link = input.cpf_link.trim().to_owned();
    if !cpf_link.is_empty()
        && (input.cpf_eligible.is_none()
            || cpf_link.chars().count() > 500
            || !cpf_link.starts_with("https://www.moncompteformation.gouv.fr/"))
    {
        return Err(AppError::invalid(
            "cpf_link",
            "Collez l'adresse de la page de la formation sur moncompteformation.gouv.fr (formation éligible au CPF).",
        ));
    }
    let mut funding: Vec<String> = input
        .funding
        .iter()
        .filter(|f| FUNDING.iter().any(|(v, _)| v == f))
        .cloned()
        .collect();
    funding.dedup();
    let skill_ids = crate::base::skills::ssr::checked(pool, &input.skills).await?;
    let mut places = Vec::new();
    for (field, text) in [
        ("place_1", &input.place_1),
        ("place_2", &input.place_2),
        ("place_3", &input.place_3),
    ] {
        let place = crate::base::places::ssr::code_if_given(pool, text, field).await?;
        if let Some(code) = place.filter(|code| !places.contains(code)) {
            places.push(code);
        }
    }
    if places.is_empty() && input.modality != "distanciel" {
        return Err(AppError::invalid(
            "place_1",
            "Indiquez au moins un lieu pour une formation en présentiel ou hybride.",
        ));
    }
    Ok(Valid {
        title,
        summary,
        description,
        objectives: input.objectives.trim().to_owned(),
        prerequisites: input.prerequisites.trim().to_owned(),
        skills: skill_ids,
        certification,
        cpf_eligible: input.cpf_eligible.is_some(),
        cpf_link,
        modality: input.modality.clone(),
        duration_hours,
        price_cents,
        funding,
        rolling_entry: input.rolling_entry.is_some(),
        places,
    })
}

/// Creates (`id = None`) or updates a training of the centre, all or nothing.
pub async fn save(
    pool: &PgPool,
    centre: i64,
    id: Option<i64>,
    valid: &Valid,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    // One statement for both: the update finds no training `$1` of another
    // centre (404), the insert runs for a new training only.
    let id = sqlx::query_scalar!(
        r#"WITH updated AS (
               UPDATE trainings SET title = $2, summary = $3, description_markdown = $4,
                   description_html = $5, objectives = $6, prerequisites = $7,
                   certification_kind = $8, certification_code = $9, certification_level = $10,
                   cpf_eligible = $11, modality = $12, duration_hours = $13, price_cents = $14,
                   funding = $15, rolling_entry = $16, cpf_link = $18, updated_at = now()
                WHERE id = $1 AND centre_id = $17
                RETURNING id
           ), created AS (
               INSERT INTO trainings (centre_id, title, summary, description_markdown,
                   description_html, objectives, prerequisites, certification_kind,
                   certification_code, certification_level, cpf_eligible, modality,
                   duration_hours, price_cents, funding, rolling_entry, cpf_link)
               SELECT $17, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $18
                WHERE $1::bigint IS NULL
                RETURNING id
           )
           SELECT id AS "id!" FROM updated UNION ALL SELECT id FROM created"#,
        id,
        valid.title,
        valid.summary,
        valid.description.markdown,
        valid.description.html,
        valid.objectives,
        valid.prerequisites,
        valid.certification.kind,
        valid.certification.code,
        valid.certification.level,
        valid.cpf_eligible,
        valid.modality,
        valid.duration_hours,
        valid.price_cents,
        &valid.funding,
        valid.rolling_entry,
        centre,
        valid.cpf_link
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    listing::set_skills(&mut tx, OrgKind::Centre, id, &valid.skills).await?;
    sqlx::query!("DELETE FROM training_places WHERE training_id = $1", id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO training_places (training_id, commune_code) SELECT $1, unnest($2::text[])",
        id,
        &valid.places
    )
    .execute(&mut *tx)
    .await?;
    listing::refresh_and_commit(tx, OrgKind::Centre, id).await?;
    Ok(id)
}

/// `publish`, `archive` or `draft` (back to draft).
pub async fn set_status(
    pool: &PgPool,
    centre: i64,
    id: i64,
    action: super::TrainingAction,
) -> Result<(), AppError> {
    let status = action.target();
    let mut tx = pool.begin().await?;
    listing::ensure_owned(&mut tx, OrgKind::Centre, centre, id).await?;
    if status == super::TrainingState::Published {
        crate::base::moderation::ssr::refuse_if_withdrawn(
            &mut *tx,
            crate::base::moderation::ContentKind::Formations,
            id,
        )
        .await?;
    }
    sqlx::query!(
        "UPDATE trainings SET status = $2, updated_at = now(),
            published_at = CASE WHEN $2 = 'published' THEN coalesce(published_at, now()) ELSE published_at END
         WHERE id = $1",
        id,
        status as super::TrainingState
    )
    .execute(&mut *tx)
    .await?;
    listing::refresh_and_commit(tx, OrgKind::Centre, id).await
}

/// A session's dates and seats as the form gives them, checked. A start
/// in the past is refused unless it is the one the session already has
/// (`kept`: a session under way keeps its start when other fields change).
fn session_fields(
    starts_on: &str,
    ends_on: &str,
    seats: &str,
    kept: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate, i32), AppError> {
    let date = |field: &str, text: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid(field, "Date invalide (jj/mm/aaaa)."))
    };
    let starts = date("starts_on", starts_on)?;
    let ends = date("ends_on", ends_on)?;
    if starts < chrono::Utc::now().date_naive() && kept != Some(starts) {
        return Err(AppError::invalid(
            "starts_on",
            "La session ne peut pas commencer dans le passé.",
        ));
    }
    if ends < starts {
        return Err(AppError::invalid(
            "ends_on",
            "La fin doit venir après le début.",
        ));
    }
    let seats = listing::number_in::<i32>(seats.trim(), 1..=1000).ok_or_else(|| {
        AppError::invalid("seats", "Indiquez un nombre de places entre 1 et 1 000.")
    })?;
    Ok((starts, ends, seats))
}

/// A session as it is saved.
fn saved_session(id: i64, starts: NaiveDate, ends: NaiveDate, seats: i32) -> Session {
    Session {
        id,
        starts_on: starts.format("%Y-%m-%d").to_string(),
        ends_on: ends.format("%Y-%m-%d").to_string(),
        seats,
    }
}

pub async fn add_session(
    pool: &PgPool,
    centre: i64,
    training: i64,
    starts_on: &str,
    ends_on: &str,
    seats: &str,
) -> Result<Session, AppError> {
    let (starts, ends, seats) = session_fields(starts_on, ends_on, seats, None)?;
    let mut tx = pool.begin().await?;
    listing::ensure_owned(&mut tx, OrgKind::Centre, centre, training).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO training_sessions (training_id, starts_on, ends_on, seats) VALUES ($1, $2, $3, $4)
         RETURNING id",
        training,
        starts,
        ends,
        seats
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE trainings SET updated_at = now() WHERE id = $1",
        training
    )
    .execute(&mut *tx)
    .await?;
    listing::refresh_and_commit(tx, OrgKind::Centre, training).await?;
    Ok(saved_session(id, starts, ends, seats))
}

/// Changes a session of the centre's (`None`: the field is kept), checked
/// as [`add_session`] checks a new one.
pub async fn update_session(
    pool: &PgPool,
    centre: i64,
    session: i64,
    starts_on: Option<&str>,
    ends_on: Option<&str>,
    seats: Option<&str>,
) -> Result<Session, AppError> {
    let mut tx = pool.begin().await?;
    let current = sqlx::query!(
        r#"SELECT s.training_id, s.starts_on, s.ends_on, s.seats
           FROM training_sessions s JOIN trainings t ON t.id = s.training_id
           WHERE s.id = $1 AND t.centre_id = $2
           FOR UPDATE OF s"#,
        session,
        centre
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let iso = |date: NaiveDate| date.format("%Y-%m-%d").to_string();
    let (starts, ends, seats) = session_fields(
        starts_on
            .map_or_else(|| iso(current.starts_on), str::to_owned)
            .as_str(),
        ends_on
            .map_or_else(|| iso(current.ends_on), str::to_owned)
            .as_str(),
        seats
            .map_or_else(|| current.seats.to_string(), str::to_owned)
            .as_str(),
        Some(current.starts_on),
    )?;
    sqlx::query!(
        "UPDATE training_sessions SET starts_on = $2, ends_on = $3, seats = $4 WHERE id = $1",
        session,
        starts,
        ends,
        seats
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE trainings SET updated_at = now() WHERE id = $1",
        current.training_id
    )
    .execute(&mut *tx)
    .await?;
    listing::refresh_and_commit(tx, OrgKind::Centre, current.training_id).await?;
    Ok(saved_session(session, starts, ends, seats))
}

pub async fn delete_session(pool: &PgPool, centre: i64, session: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let training = sqlx::query_scalar!(
        "DELETE FROM training_sessions s USING trainings t
         WHERE s.id = $1 AND t.id = s.training_id AND t.centre_id = $2
         RETURNING t.id",
        session,
        centre
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    listing::refresh_and_commit(tx, OrgKind::Centre, training).await
}

pub async fn dashboard_rows(pool: &PgPool, centre: i64) -> Result<Vec<DashboardRow>, AppError> {
    Ok(sqlx::query_as!(
        DashboardRow,
        r#"SELECT t.id, t.slug, t.title, t.status AS "status: super::TrainingState", t.view_count AS views,
                  (SELECT count(*) FROM enrolment_requests r WHERE r.training_id = t.id) AS "requests!",
                  (SELECT count(*) FROM enrolment_requests r WHERE r.training_id = t.id AND r.status = 'new') AS "new_requests!",
                  (SELECT count(*) FROM training_sessions s WHERE s.training_id = t.id AND s.starts_on >= current_date) AS "upcoming_sessions!",
                  to_char(t.updated_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY') AS "updated_on!"
           FROM trainings t WHERE t.centre_id = $1
           ORDER BY (t.status = 'archived'), t.updated_at DESC"#,
        centre
    )
    .fetch_all(pool)
    .await?)
}

pub async fn edit_data(pool: &PgPool, centre: i64, id: i64) -> Result<EditData, AppError> {
    let row = sqlx::query!(
        r#"SELECT t.id, t.slug, t.status AS "status: super::TrainingState", t.title, t.summary, t.description_markdown, t.objectives,
                  t.prerequisites, t.certification_kind, t.certification_code, t.certification_level,
                  t.cpf_eligible, t.cpf_link, t.modality, t.duration_hours, t.price_cents, t.funding, t.rolling_entry,
                  coalesce((SELECT array_agg(ts.skill_id) FROM training_skills ts WHERE ts.training_id = t.id), '{}') AS "skills!",
                  coalesce((SELECT array_agg(c.name || coalesce(' (' || c.postal_codes[1] || ')', '') ORDER BY c.population DESC)
                            FROM training_places tp JOIN communes c ON c.code = tp.commune_code
                            WHERE tp.training_id = t.id), '{}') AS "places!"
           FROM trainings t WHERE t.id = $1 AND t.centre_id = $2"#,
        id,
        centre
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let place = |i: usize| row.places.get(i).cloned().unwrap_or_default();
    Ok(EditData {
        id: row.id,
        slug: row.slug,
        status: row.status,
        input: TrainingInput {
            title: row.title,
            summary: row.summary,
            description: row.description_markdown,
            objectives: row.objectives,
            prerequisites: row.prerequisites,
            skills: row.skills.clone(),
            certification_kind: row.certification_kind,
            certification_code: row.certification_code,
            certification_level: row
                .certification_level
                .map(|l| l.to_string())
                .unwrap_or_default(),
            cpf_eligible: row.cpf_eligible.then(|| "on".to_owned()),
            cpf_link: row.cpf_link,
            modality: row.modality,
            duration_hours: row.duration_hours.to_string(),
            price_euros: (row.price_cents / 100).to_string(),
            funding: row.funding,
            rolling_entry: row.rolling_entry.then(|| "on".to_owned()),
            place_1: place(0),
            place_2: place(1),
            place_3: place(2),
        },
        sessions: sqlx::query_as!(
            Session,
            r#"SELECT id, to_char(starts_on, 'YYYY-MM-DD') AS "starts_on!",
                  to_char(ends_on, 'YYYY-MM-DD') AS "ends_on!", seats
           FROM training_sessions WHERE training_id = $1 ORDER BY starts_on"#,
            id
        )
        .fetch_all(pool)
        .await?,
        skills: skills(pool).await?,
    })
}

/// The centre's name, its status, and its trainings.
pub async fn dashboard(pool: &PgPool, centre: i64) -> Result<Dashboard, AppError> {
    let row = listing::publisher(pool, centre).await?;
    Ok(Dashboard {
        centre_name: row.name,
        status: row.status,
        rows: dashboard_rows(pool, centre).await?,
    })
}

/// Sitemap: the catalogue and every public training.
pub fn sitemap_entries(pool: &PgPool) -> crate::base::seo::ssr::SourceFuture<'_> {
    Box::pin(async move {
        let mut entries = vec![SitemapEntry::page("/formations")];
        let trainings = sqlx::query_as!(
            listing::PublicPage,
            r#"SELECT slug AS "slug!", updated_at AS "updated_at!" FROM public_trainings ORDER BY id"#
        )
        .fetch_all(pool)
        .await?;
        entries.extend(listing::sitemap_pages("/formations", trainings));
        let centres = sqlx::query_as!(
            listing::PublicPage,
            r#"SELECT o.slug, o.updated_at FROM organisations o
               WHERE o.kind = 'centre' AND o.status = 'approved'
                 AND EXISTS (SELECT 1 FROM public_trainings t WHERE t.centre_id = o.id)
               ORDER BY o.id"#
        )
        .fetch_all(pool)
        .await?;
        entries.extend(listing::sitemap_pages("/centres", centres));
        Ok(entries)
    })
}
