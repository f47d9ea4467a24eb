//! The recruiter's side of offers: checks, writes and the dashboard's
//! reads. Every query is scoped to the caller's company: another company's
//! offers do not exist for it (404). Each write keeps `job_search` in step
//! in the same transaction.

use super::{
    Contract, DEFAULT_EXPIRY_DAYS, DIPLOMA_LEVELS, EXPERIENCE, HowToApply, OfferAction, OfferState,
    RemoteMode, SALARY_UNITS, WORKING_TIMES,
    dashboard::{
        APPLY_CHANNELS, MAX_EXPIRY_DAYS, OfferEditData, OfferInput, OfferRow, OffersDashboard,
        new_offer_input,
    },
};
use crate::{
    base::error::AppError,
    organisations::{listing::ssr as listing, profile::OrgKind},
};
use chrono::NaiveDate;
use sqlx::PgPool;

/// An offer's fields, checked.
#[derive(Debug)]
pub struct Valid {
    pub title: String,
    pub description: listing::Description,
    pub contract: Contract,
    pub working_time: String,
    pub remote: RemoteMode,
    /// `None`: the offer does not show its pay.
    pub salary: Option<Salary>,
    pub experience: String,
    pub diploma_level: Option<i16>,
    pub skills: Vec<i64>,
    pub commune_code: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub openings: i32,
    pub expiry_days: i16,
    pub apply: HowToApply,
}

/// A pay range in whole euros per `unit` (a key of `SALARY_UNITS`).
#[derive(Debug)]
pub struct Salary {
    pub min: i32,
    pub max: Option<i32>,
    pub unit: String,
}

/// One of `list`'s values, `default` when empty, or a French message on `field`.
fn one_of(
    list: &[(&str, &str)],
    value: &str,
    default: &str,
    field: &str,
    message: &str,
) -> Result<String, AppError> {
    let value = value.trim();
    let value = if value.is_empty() { default } else { value };
    if list.iter().any(|(v, _)| *v == value) {
        Ok(value.to_owned())
    } else {
        Err(AppError::invalid(field, message))
    }
}

/// An https address with a host, or `None`.
fn https_url(text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() > 500 || text.chars().any(char::is_whitespace) {
        return None;
    }
    let uri: http::Uri = text.parse().ok()?;
    (uri.scheme_str() == Some("https") && uri.host().is_some_and(|h| h.contains('.')))
        .then(|| text.to_owned())
}

/// The pay range the form gives, or `None` when it is not shown.
fn salary(input: &OfferInput) -> Result<Option<Salary>, AppError> {
    Ok(match input.salary_unit.trim() {
        "" => None,
        unit => {
            if !SALARY_UNITS.iter().any(|(v, _)| *v == unit) {
                return Err(AppError::invalid(
                    "salary_unit",
                    "Unité de salaire inconnue.",
                ));
            }
            let min = listing::whole_euros(&input.salary_min).ok_or_else(|| {
                AppError::invalid(
                    "salary_min",
                    "Indiquez le salaire minimum en euros (ou choisissez « Ne pas afficher »).",
                )
            })?;
            let max = match input.salary_max.trim() {
                "" => None,
                text => Some(listing::whole_euros(text).ok_or_else(|| {
                    AppError::invalid("salary_max", "Indiquez le salaire maximum en euros.")
                })?),
            };
            if max.is_some_and(|max| max < min) {
                return Err(AppError::invalid(
                    "salary_max",
                    "Le salaire maximum doit être supérieur ou égal au minimum.",
                ));
            }
            Some(Salary {
                min,
                max,
                unit: unit.to_owned(),
            })
        }
    })
}

pub async fn validate(pool: &PgPool, input: &OfferInput) -> Result<Valid, AppError> {
    let title = listing::title(OrgKind::Entreprise, &input.title)?;
    let description = listing::description(&input.description)?;
    let contract = Contract::parse(&input.contract)
        .ok_or_else(|| AppError::invalid("contract", "Choisissez un type de contrat."))?;
    let working_time = one_of(
        &WORKING_TIMES,
        &input.working_time,
        "temps-plein",
        "working_time",
        "Choisissez un temps de travail.",
    )?;
    let remote = RemoteMode::parse(&input.remote)
        .ok_or_else(|| AppError::invalid("remote", "Choisissez un mode de travail."))?;
    let salary = salary(input)?;
    let experience = one_of(
        &EXPERIENCE,
        &input.experience,
        "debutant",
        "experience",
        "Choisissez l'expérience demandée.",
    )?;
    let diploma_level = match input.diploma_level.trim() {
        "" => None,
        text => Some(
            text.parse::<i16>()
                .ok()
                .filter(|l| DIPLOMA_LEVELS.iter().any(|(v, _)| v == l))
                .ok_or_else(|| AppError::invalid("diploma_level", "Niveau de diplôme inconnu."))?,
        ),
    };
    let skills = crate::base::skills::ssr::checked(pool, &input.skills).await?;
    let commune_code = crate::base::places::ssr::code_if_given(pool, &input.place, "place").await?;
    if commune_code.is_none() && remote != RemoteMode::Teletravail {
        return Err(AppError::invalid(
            "place",
            "Indiquez le lieu de travail (ou choisissez le télétravail complet).",
        ));
    }
    let start_date = match input.start_date.trim() {
        "" => None,
        text => Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            AppError::invalid(
                "start_date",
                "Date de prise de poste invalide (jj/mm/aaaa).",
            )
        })?),
    };
    let openings = match input.openings.trim() {
        "" => 1,
        text => listing::number_in(text, 1..=500).ok_or_else(|| {
            AppError::invalid("openings", "Indiquez un nombre de postes entre 1 et 500.")
        })?,
    };
    let expiry_days = match input.expiry_days.trim() {
        "" => DEFAULT_EXPIRY_DAYS as i16,
        text => listing::number_in(text, 1..=MAX_EXPIRY_DAYS as i16).ok_or_else(|| {
            AppError::invalid("expiry_days", "La durée de publication va de 1 à 90 jours.")
        })?,
    };
    // Only the address the channel uses is kept.
    let apply = match one_of(
        &APPLY_CHANNELS,
        &input.apply_channel,
        "platform",
        "apply_channel",
        "Choisissez comment les candidats postulent.",
    )?
    .as_str()
    {
        "url" => HowToApply::Website(https_url(&input.apply_url).ok_or_else(|| {
            AppError::invalid(
                "apply_url",
                "Indiquez l'adresse complète de la page de candidature, commençant par https://",
            )
        })?),
        "email" => {
            let email = input.apply_email.trim();
            if email.len() > 254 || !email_address::EmailAddress::is_valid(email) {
                return Err(AppError::invalid(
                    "apply_email",
                    "Indiquez une adresse e-mail de candidature valide.",
                ));
            }
            HowToApply::Email(email.to_owned())
        }
        _ => HowToApply::Platform,
    };
    Ok(Valid {
        title,
        description,
        contract,
        working_time,
        remote,
        salary,
        experience,
        diploma_level,
        skills,
        commune_code,
        start_date,
        openings,
        expiry_days,
        apply,
    })
}

/// Creates (`id = None`, as a draft) or updates an offer of the company,
/// its skills and its search row, all or nothing.
pub async fn save(
    pool: &PgPool,
    company: i64,
    id: Option<i64>,
    valid: &Valid,
) -> Result<i64, AppError> {
    let (apply_channel, apply_url, apply_email) = valid.apply.columns();
    let salary = valid.salary.as_ref();
    let mut tx = pool.begin().await?;
    // One statement for both: the update finds no offer `$1` of another
    // company (404), the insert runs for a new offer only.
    let id = sqlx::query_scalar!(
        r#"WITH updated AS (
               UPDATE job_offers SET title = $2, description_markdown = $3, description_html = $4,
                   contract = $5, working_time = $6, remote = $7, salary_min = $8, salary_max = $9,
                   salary_unit = $10, experience = $11, diploma_level = $12, commune_code = $13,
                   start_date = $14, openings = $15, expiry_days = $16, apply_channel = $17,
                   apply_url = $18, apply_email = $19, updated_at = now(),
                   -- A live offer given a new duration keeps its start (its
                   -- publication or last renewal): the end moves by the
                   -- difference, so an edit never renews it, and an offer
                   -- already past its end is never revived.
                   expires_at = CASE WHEN status = 'published' AND expires_at > now() AND expiry_days <> $16
                                     THEN expires_at + make_interval(days => ($16 - expiry_days)::int)
                                     ELSE expires_at END
                WHERE id = $1 AND company_id = $20
                RETURNING id
           ), created AS (
               INSERT INTO job_offers (company_id, slug, title, description_markdown, description_html,
                   contract, working_time, remote, salary_min, salary_max, salary_unit, experience,
                   diploma_level, commune_code, start_date, openings, expiry_days, apply_channel,
                   apply_url, apply_email)
               SELECT $20, '', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                   $17, $18, $19
                WHERE $1::bigint IS NULL
                RETURNING id
           )
           SELECT id AS "id!" FROM updated UNION ALL SELECT id FROM created"#,
        id,
        valid.title,
        valid.description.markdown,
        valid.description.html,
        valid.contract.as_str(),
        valid.working_time,
        valid.remote.as_str(),
        salary.map(|s| s.min),
        salary.and_then(|s| s.max),
        salary.map(|s| s.unit.as_str()),
        valid.experience,
        valid.diploma_level,
        valid.commune_code,
        valid.start_date,
        valid.openings,
        valid.expiry_days,
        apply_channel,
        apply_url,
        apply_email,
        company
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    listing::set_skills(&mut tx, OrgKind::Entreprise, id, &valid.skills).await?;
    listing::refresh_and_commit(tx, OrgKind::Entreprise, id).await?;
    Ok(id)
}

/// `publish` (live for the offer's chosen number of days, from now),
/// `renew` (live again for its chosen number of days from now, keeping its
/// first publication date), `fill`, `archive`, or `draft`. Nothing leaves
/// 'archived'.
pub async fn set_status(
    pool: &PgPool,
    company: i64,
    id: i64,
    action: OfferAction,
) -> Result<(), AppError> {
    let (from, to) = action.transition();
    let mut tx = pool.begin().await?;
    let current = sqlx::query_scalar!(
        r#"SELECT CASE WHEN status = 'published' AND expires_at <= now() THEN 'expired' ELSE status END AS "status!: OfferState"
           FROM job_offers WHERE id = $1 AND company_id = $2 FOR UPDATE"#,
        id,
        company
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if current == OfferState::Archived {
        crate::base::moderation::ssr::refuse_if_withdrawn(
            &mut *tx,
            crate::base::moderation::ContentKind::Offres,
            id,
        )
        .await?;
        return Err(AppError::invalid(
            "action",
            "Une offre archivée ne peut plus être modifiée ni republiée : dupliquez-la pour en créer une nouvelle.",
        ));
    }
    if !from.contains(&current) {
        return Err(AppError::invalid(
            "action",
            &format!(
                "Cette action n'est pas possible pour une offre « {} ».",
                current.label().to_lowercase()
            ),
        ));
    }
    sqlx::query!(
        // Publishing (again) from a draft is a new offer for alerts and
        // datePosted; a renewal keeps its publication date.
        "UPDATE job_offers SET status = $2, updated_at = now(),
            published_at = CASE $3::text
                WHEN 'publish' THEN now()
                WHEN 'renew' THEN coalesce(published_at, now())
                ELSE published_at END,
            expires_at = CASE WHEN $3::text IN ('publish', 'renew')
                THEN now() + make_interval(days => expiry_days) ELSE expires_at END
         WHERE id = $1",
        id,
        to as OfferState,
        action.as_str()
    )
    .execute(&mut *tx)
    .await?;
    listing::refresh_and_commit(tx, OrgKind::Entreprise, id).await
}

/// The company's name, its status, and its offers.
pub async fn dashboard(pool: &PgPool, company: i64) -> Result<OffersDashboard, AppError> {
    let org = listing::publisher(pool, company).await?;
    let rows = sqlx::query_as!(
        OfferRow,
        r#"SELECT j.id, j.slug, j.title,
                  CASE WHEN j.status = 'published' AND j.expires_at <= now() THEN 'expired' ELSE j.status END AS "status!: OfferState",
                  j.view_count AS views,
                  (SELECT count(*) FROM applications a WHERE a.offer_id = j.id) AS "applications!",
                  (SELECT count(*) FROM applications a WHERE a.offer_id = j.id AND a.status = 'new') AS "new_applications!",
                  to_char(j.expires_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY') AS "expires_on!",
                  to_char(j.updated_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY') AS "updated_on!"
           FROM job_offers j WHERE j.company_id = $1
           ORDER BY (j.status = 'archived'), j.updated_at DESC"#,
        company
    )
    .fetch_all(pool)
    .await?;
    Ok(OffersDashboard {
        company_name: org.name,
        status: org.status,
        rows,
    })
}

/// The form's data: a new offer's defaults (`id = 0`) or the company's offer `id`.
pub async fn edit_data(pool: &PgPool, company: i64, id: i64) -> Result<OfferEditData, AppError> {
    let skills = crate::base::skills::ssr::all(pool).await?;
    if id == 0 {
        return Ok(OfferEditData {
            id: 0,
            slug: String::new(),
            status: OfferState::Draft,
            input: new_offer_input(),
            skills,
        });
    }
    let row = sqlx::query!(
        r#"SELECT j.id, j.slug, j.status AS "status: OfferState", j.title, j.description_markdown, j.contract, j.working_time,
                  j.remote, j.salary_min, j.salary_max, j.salary_unit, j.experience, j.diploma_level,
                  to_char(j.start_date, 'YYYY-MM-DD') AS start_date, j.openings, j.expiry_days,
                  j.apply_channel, j.apply_url, j.apply_email,
                  c.name || coalesce(' (' || c.postal_codes[1] || ')', '') AS place,
                  coalesce((SELECT array_agg(js.skill_id) FROM job_skills js WHERE js.offer_id = j.id), '{}') AS "skills!"
           FROM job_offers j LEFT JOIN communes c ON c.code = j.commune_code
           WHERE j.id = $1 AND j.company_id = $2"#,
        id,
        company
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let text = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    Ok(OfferEditData {
        id: row.id,
        slug: row.slug,
        status: row.status,
        input: OfferInput {
            title: row.title,
            description: row.description_markdown,
            contract: row.contract,
            working_time: row.working_time,
            remote: row.remote,
            salary_min: text(row.salary_min),
            salary_max: text(row.salary_max),
            salary_unit: row.salary_unit.unwrap_or_default(),
            experience: row.experience,
            diploma_level: row.diploma_level.map(|l| l.to_string()).unwrap_or_default(),
            skills: row.skills,
            place: row.place.unwrap_or_default(),
            start_date: row.start_date.unwrap_or_default(),
            openings: row.openings.to_string(),
            expiry_days: row.expiry_days.to_string(),
            apply_channel: row.apply_channel,
            apply_url: row.apply_url,
            apply_email: row.apply_email,
        },
        skills,
    })
}

#[cfg(test)]
mod tests {
    use super::https_url;

    #[test]
    fn application_links_are_https_only() {
        assert!(https_url("https://emplois.exemple.fr/postuler?id=4").is_some());
        assert_eq!(https_url("http://exemple.fr"), None);
        assert_eq!(https_url("javascript:alert(1)"), None);
        assert_eq!(https_url("https://"), None);
        assert_eq!(https_url("https://exemple.fr/a b"), None);
    }
}
