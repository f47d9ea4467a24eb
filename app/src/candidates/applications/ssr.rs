//! Applications' data layer. A candidate reads only their applications; a
//! recruiter only those sent to offers of a company they are a member of
//! (anything else answers 404). Both sides are told by e-mail.

use super::{
    ApplicationStatus, ApplyState, CandidateApplication, Note, PIPELINE_LIMIT, Pipeline,
    REFUSAL_REASONS, ReceivedApplication, SavedOffer,
};
use crate::{
    base::error::AppError,
    base::mail::ssr as mail,
    base::media::{
        ssr::{MAX_DOCUMENT_BYTES, UploadError, UploadedFile},
        storage::Storage,
    },
    candidates::ssr as profile,
    identity::auth::{AuthUser, Permission},
    organisations::requests::{Message, ssr as requests},
};
use sqlx::PgPool;
use std::collections::HashMap;

const MAX_MESSAGE: usize = 4_000;
/// A message of the thread, as on enrolment requests.
const MAX_THREAD_MESSAGE: usize = 2_000;
const MAX_NOTE: usize = 4_000;
/// Room for a text field of the apply form (4,000 characters of up to 4 bytes).
const MAX_TEXT_FIELD_BYTES: usize = 20 * 1024;

/// [`crate::organisations::profile::ssr::check_len`], and the text may not be empty.
fn check_text(field: &str, text: &str, max: usize, empty: &str) -> Result<String, AppError> {
    let text = crate::organisations::profile::ssr::check_len(field, text, max)?;
    if text.is_empty() {
        return Err(AppError::invalid(field, empty));
    }
    Ok(text)
}

/// E-mails every recruiter of `company` about an application to `offer`,
/// with the link to that offer's pipeline: `email(recruiter's name, link)`.
async fn tell_recruiters(
    pool: &PgPool,
    company: i64,
    offer: i64,
    email: impl Fn(&str, &str) -> mail::Email,
) -> Result<(), AppError> {
    let pipeline = format!("/tableau-de-bord/candidatures-recues?offre={offer}");
    requests::tell_members(pool, company, &pipeline, "application", email).await
}

/// An offer the public can read, and whether it takes applications here.
struct Offer {
    id: i64,
    slug: String,
    title: String,
    company_id: i64,
    open: bool,
}

async fn public_offer(pool: &PgPool, id: i64) -> Result<Option<Offer>, AppError> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", slug AS "slug!", title AS "title!", company_id AS "company_id!",
                  (live AND apply_channel = 'platform') AS "open!"
           FROM public_job_offers WHERE id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Offer {
        id: r.id,
        slug: r.slug,
        title: r.title,
        company_id: r.company_id,
        open: r.open,
    }))
}

pub async fn apply_state(
    pool: &PgPool,
    user: Option<&AuthUser>,
    offer: i64,
) -> Result<ApplyState, AppError> {
    let offer = public_offer(pool, offer).await?.ok_or(AppError::NotFound)?;
    let Some(user) = user else {
        return Ok(if offer.open {
            ApplyState::Visitor
        } else {
            ApplyState::Closed
        });
    };
    if !crate::identity::auth::ssr::role_has(pool, user.role, Permission::ApplicationCreate).await?
    {
        return Ok(ApplyState::NotCandidate);
    }
    let applied = sqlx::query!(
        r#"SELECT status AS "status: ApplicationStatus", to_char(created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "on!"
           FROM applications WHERE candidate_id = $1 AND offer_id = $2"#,
        user.id,
        offer.id
    )
    .fetch_optional(pool)
    .await?;
    if let Some(applied) = applied {
        return Ok(ApplyState::Applied {
            status: applied.status,
            applied_on: applied.on,
        });
    }
    if !offer.open {
        return Ok(ApplyState::Closed);
    }
    if !user.email_verified {
        return Ok(ApplyState::Unverified);
    }
    let cv_name = sqlx::query_scalar!(
        "SELECT m.original_name FROM candidate_profiles p JOIN media m ON m.id = p.cv_media_id
         WHERE p.user_id = $1",
        user.id
    )
    .fetch_optional(pool)
    .await?;
    Ok(ApplyState::Open { cv_name })
}

/// The apply form as posted.
#[derive(Debug, Default)]
pub struct ApplyForm {
    pub offer_id: i64,
    pub message: String,
    /// `None` when the file input was left empty.
    pub file: Option<UploadedFile>,
    /// The profile CV the caller means to send (the API names it): refused
    /// if it is not the profile's CV when the application is written.
    pub cv: Option<i64>,
}

/// Reads the apply form's fields; the file is refused as soon as it passes
/// [`MAX_DOCUMENT_BYTES`] (the body is never buffered past the limit).
pub async fn read_apply_form(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<ApplyForm, AppError> {
    let too_large = || UploadError::TooLarge(MAX_DOCUMENT_BYTES / (1024 * 1024));
    let mut form = ApplyForm::default();
    let Some(mut multipart) = data.into_inner() else {
        return Err(AppError::invalid(
            "",
            "La requête est incomplète ou mal formée.",
        ));
    };
    while let Some(mut part) = multipart.next_field().await.map_err(|error| {
        tracing::info!(%error, "multipart body refused");
        too_large()
    })? {
        let name = part.name().unwrap_or_default().to_owned();
        let file_name =
            crate::base::media::ssr::clean_file_name(part.file_name().unwrap_or_default());
        let max = if name == "fichier" {
            MAX_DOCUMENT_BYTES
        } else {
            MAX_TEXT_FIELD_BYTES
        };
        let mut buffer = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(|_| too_large())? {
            if buffer.len() + chunk.len() > max {
                return Err(if name == "fichier" {
                    too_large().into()
                } else {
                    AppError::invalid(&name, "Votre texte est trop long.")
                });
            }
            buffer.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "offer_id" => {
                form.offer_id = String::from_utf8_lossy(&buffer)
                    .trim()
                    .parse()
                    .map_err(|_| AppError::NotFound)?;
            }
            "message" => form.message = String::from_utf8_lossy(&buffer).replace('\0', ""),
            // An empty file input still sends an empty part.
            "fichier" if !buffer.is_empty() => {
                form.file = Some(UploadedFile {
                    name: file_name,
                    bytes: bytes::Bytes::from(buffer),
                });
            }
            _ => {}
        }
    }
    Ok(form)
}

/// Applying again after withdrawing is refused.
fn withdrawn_already() -> AppError {
    AppError::invalid(
        "offer_id",
        "Vous avez déjà postulé à cette offre (candidature retirée : vous ne pouvez pas postuler à nouveau).",
    )
}

/// One step: checks, stores the CV given (which becomes the profile's CV),
/// then writes the application with a snapshot of the CV in one transaction.
/// Returns the application's id and the offer's slug.
pub async fn apply(
    pool: &PgPool,
    storage: &Storage,
    user: &AuthUser,
    form: ApplyForm,
) -> Result<(i64, String), AppError> {
    let offer = public_offer(pool, form.offer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !offer.open {
        return Err(AppError::invalid(
            "offer_id",
            "Cette offre n'accepte plus de candidatures sur Passerelle.",
        ));
    }
    let message = check_text(
        "message",
        &form.message,
        MAX_MESSAGE,
        "Écrivez quelques mots au recruteur.",
    )?;
    let duplicate = || {
        AppError::invalid(
            "offer_id",
            "Vous avez déjà postulé à cette offre : suivez votre candidature dans « Mes candidatures ».",
        )
    };
    // One application per candidate and offer, withdrawn ones included:
    // withdrawing is final (the unique index says so too).
    let already = sqlx::query_scalar!(
        "SELECT status FROM applications WHERE candidate_id = $1 AND offer_id = $2",
        user.id,
        offer.id
    )
    .fetch_optional(pool)
    .await?;
    match already.as_deref() {
        Some("withdrawn") => return Err(withdrawn_already()),
        Some(_) => return Err(duplicate()),
        None => {}
    }
    // The file is checked (PDF by its bytes, size) and stored before the
    // transaction; if the transaction fails it is removed again.
    let new_cv = match &form.file {
        Some(file) => {
            Some(crate::base::media::ssr::store_private(pool, storage, user.id, file).await?)
        }
        None => None,
    };
    let write = async {
        let mut tx = pool.begin().await?;
        // The profile row stays locked until commit, so an upload replacing
        // the CV at the same time waits, and only deletes the old file once
        // this application (which may point at it) is visible.
        let (cv, replaced) = match new_cv {
            Some(new_cv) => (
                Some(new_cv),
                profile::set_cv(&mut tx, user.id, new_cv).await?,
            ),
            None => (profile::lock_cv(&mut tx, user.id).await?, None),
        };
        if form.cv.is_some_and(|named| cv != Some(named)) {
            return Err(AppError::invalid(
                "cv",
                "Ce CV n'est pas celui de votre profil : envoyez d'abord le CV voulu, puis postulez avec lui.",
            ));
        }
        let Some(cv) = cv else {
            return Err(AppError::invalid(
                "fichier",
                "Joignez votre CV au format PDF (5 Mo au plus).",
            ));
        };
        let id = requests::inserted(
            sqlx::query_scalar!(
                "INSERT INTO applications (offer_id, candidate_id, message, cv_media_id)
             VALUES ($1, $2, $3, $4) RETURNING id",
                offer.id,
                user.id,
                message,
                cv
            )
            .fetch_one(&mut *tx)
            .await,
            duplicate,
        )?;
        tx.commit().await?;
        Ok((id, replaced))
    };
    let (id, replaced) = match write.await {
        Ok(done) => done,
        Err(error) => {
            if let Some(new_cv) = new_cv {
                profile::forget_cv(pool, storage, new_cv).await;
            }
            return Err(error);
        }
    };
    if let Some(replaced) = replaced {
        profile::forget_cv(pool, storage, replaced).await;
    }
    tell_recruiters(pool, offer.company_id, offer.id, |_, link| {
        mail::application_received(&user.display_name, &offer.title, link)
    })
    .await?;
    requests::tell_candidate(
        &user.email,
        super::MY_APPLICATIONS.path,
        "application",
        |link| mail::application_sent(&user.display_name, &offer.title, link),
    )
    .await;
    Ok((id, offer.slug))
}

/// The candidate's applications, newest first; no recruiter notes here.
pub async fn for_candidate(
    pool: &PgPool,
    candidate: i64,
) -> Result<Vec<CandidateApplication>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT a.id, a.status AS "status: ApplicationStatus", a.refusal_reason, j.id AS offer_id, j.title, j.slug, o.name AS company_name,
                  (j.status IN ('published', 'expired', 'filled') AND o.status = 'approved') AS "public!",
                  to_char(a.created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "applied_on!",
                  to_char(a.updated_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "updated_on!"
           FROM applications a
           JOIN job_offers j ON j.id = a.offer_id
           JOIN organisations o ON o.id = j.company_id
           WHERE a.candidate_id = $1
           ORDER BY a.created_at DESC, a.id DESC
           LIMIT 500"#,
        candidate
    )
    .fetch_all(pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut messages = messages(pool, &ids).await?;
    let mut interviews = super::interviews::ssr::latest(pool, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| CandidateApplication {
            messages: messages.remove(&r.id).unwrap_or_default(),
            interview: interviews.remove(&r.id),
            id: r.id,
            status: r.status,
            refusal_reason: r.refusal_reason,
            offer_id: r.offer_id,
            offer_title: r.title,
            offer_slug: r.public.then_some(r.slug),
            company_name: r.company_name,
            applied_on: r.applied_on,
            updated_on: r.updated_on,
        })
        .collect())
}

/// The candidate's saved offers still public, newest first.
pub async fn saved_offers(pool: &PgPool, user: i64) -> Result<Vec<SavedOffer>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT p.id AS "id!", p.slug AS "slug!", p.title AS "title!",
                  p.company_name AS "company_name!", p.live AS "live!"
           FROM saved_offers s JOIN public_job_offers p ON p.id = s.offer_id
           WHERE s.user_id = $1
           ORDER BY s.created_at DESC
           LIMIT 500"#,
        user
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| SavedOffer {
        offer_id: r.id,
        slug: r.slug,
        title: r.title,
        company_name: r.company_name,
        live: r.live,
    })
    .collect())
}

pub async fn unsave(pool: &PgPool, user: i64, offer: i64) -> Result<(), AppError> {
    sqlx::query!(
        "DELETE FROM saved_offers WHERE user_id = $1 AND offer_id = $2",
        user,
        offer
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The candidate withdraws an application still under way; the company is told.
pub async fn withdraw(pool: &PgPool, candidate: &AuthUser, id: i64) -> Result<(), AppError> {
    let open: Vec<String> = ApplicationStatus::ALL
        .into_iter()
        .filter(|s| s.withdrawable())
        .map(|s| s.as_str().to_owned())
        .collect();
    let row = requests::changed(
        "id",
        "Cette candidature ne peut plus être retirée.",
        sqlx::query!(
            r#"WITH withdrawn AS (
                   UPDATE applications a SET status = 'withdrawn', refusal_reason = '', updated_at = now()
                   FROM job_offers j
                   WHERE a.id = $1 AND a.candidate_id = $2 AND j.id = a.offer_id AND a.status = ANY($3)
                   RETURNING a.id, j.id AS offer_id, j.title, j.company_id
               ),
               -- An interview still ahead is off (one at most: a unique index).
               cancelled AS (
                   UPDATE interviews i SET status = 'cancelled', sequence = i.sequence + 1, updated_at = now()
                   FROM withdrawn w
                   WHERE i.application_id = w.id AND i.status IN ('proposed', 'accepted') AND i.starts_at > now()
                   RETURNING i.id
               )
               SELECT offer_id AS "offer_id!", title AS "title!", company_id AS "company_id!",
                      (SELECT id FROM cancelled LIMIT 1) AS "cancelled_interview?"
               FROM withdrawn"#,
            id,
            candidate.id,
            &open
        )
        .fetch_optional(pool),
        sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM applications WHERE id = $1 AND candidate_id = $2) AS "mine!""#,
            id,
            candidate.id
        )
        .fetch_one(pool),
    )
    .await?;
    if let Some(interview) = row.cancelled_interview {
        super::interviews::ssr::tell_cancelled(pool, interview, true).await;
    }
    tell_recruiters(pool, row.company_id, row.offer_id, |name, link| {
        mail::application_withdrawn(name, &candidate.display_name, &row.title, link)
    })
    .await
}

/// Who reviews applications: a recruiter, for every company they are a
/// member of (the site's pages), or one company as a whole (the API, for
/// its client or one of its members). Nothing else exists for either (404).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reviewer {
    Member(i64),
    Company(i64),
}

impl Reviewer {
    /// (member, company) as the queries take them: one of the two is set.
    fn keys(self) -> (Option<i64>, Option<i64>) {
        match self {
            Self::Member(user) => (Some(user), None),
            Self::Company(company) => (None, Some(company)),
        }
    }
}

/// 404 unless `offer` belongs to a company `reviewer` reviews for.
async fn ensure_member_offer(
    pool: &PgPool,
    reviewer: Reviewer,
    offer: i64,
) -> Result<(), AppError> {
    let (user, company) = reviewer.keys();
    let member = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM job_offers j
                          WHERE j.id = $1 AND (j.company_id = $3 OR EXISTS (
                              SELECT 1 FROM memberships m WHERE m.organisation_id = j.company_id AND m.user_id = $2))) AS "member!""#,
        offer,
        user,
        company
    )
    .fetch_one(pool)
    .await?;
    if member {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The pipeline of the reviewer's companies, optionally for one offer.
pub async fn pipeline(
    pool: &PgPool,
    reviewer: Reviewer,
    offer: Option<i64>,
) -> Result<Pipeline, AppError> {
    if let Some(offer) = offer {
        ensure_member_offer(pool, reviewer, offer).await?;
    }
    let (user, company) = reviewer.keys();
    let offers = sqlx::query!(
        "SELECT j.id, j.title FROM job_offers j
         WHERE (j.company_id = $3 OR EXISTS (
                   SELECT 1 FROM memberships m WHERE m.organisation_id = j.company_id AND m.user_id = $1))
           AND (EXISTS (SELECT 1 FROM applications a WHERE a.offer_id = j.id) OR j.id = $2)
         ORDER BY j.updated_at DESC, j.id DESC",
        user,
        offer,
        company
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.title))
    .collect();
    let (applications, truncated) = received(pool, reviewer, offer, None).await?;
    Ok(Pipeline {
        offers,
        offer: offer.unwrap_or(0),
        applications,
        truncated,
    })
}

/// One application the reviewer received, as the pipeline shows it.
pub async fn received_one(
    pool: &PgPool,
    reviewer: Reviewer,
    id: i64,
) -> Result<ReceivedApplication, AppError> {
    received(pool, reviewer, None, Some(id))
        .await?
        .0
        .pop()
        .ok_or(AppError::NotFound)
}

/// The reviewer's applications (to `offer`, or the one `application`),
/// newest first, [`PIPELINE_LIMIT`] at most, and whether some were left out.
async fn received(
    pool: &PgPool,
    reviewer: Reviewer,
    offer: Option<i64>,
    application: Option<i64>,
) -> Result<(Vec<ReceivedApplication>, bool), AppError> {
    let (user, company) = reviewer.keys();
    let mut rows = sqlx::query!(
        r#"SELECT a.id, a.status AS "status: ApplicationStatus", a.refusal_reason, a.message, a.cv_media_id,
                  j.id AS offer_id, j.title AS offer_title,
                  u.display_name, u.email, coalesce(p.headline, '') AS "headline!",
                  coalesce(p.experience, '') AS "experience!",
                  coalesce((SELECT array_agg(s.name ORDER BY s.name) FROM candidate_skills cs
                            JOIN skills s ON s.id = cs.skill_id WHERE cs.user_id = a.candidate_id),
                           '{}') AS "skills!",
                  to_char(a.created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "applied_on!"
           FROM applications a
           JOIN job_offers j ON j.id = a.offer_id
           JOIN users u ON u.id = a.candidate_id
           LEFT JOIN candidate_profiles p ON p.user_id = a.candidate_id
           WHERE ($2::bigint IS NULL OR j.id = $2) AND ($5::bigint IS NULL OR a.id = $5)
             AND (j.company_id = $4 OR EXISTS (
                     SELECT 1 FROM memberships m WHERE m.organisation_id = j.company_id AND m.user_id = $1))
           ORDER BY a.created_at DESC, a.id DESC
           LIMIT $3"#,
        user,
        offer,
        // One more than shown, to know whether some were left out.
        PIPELINE_LIMIT as i64 + 1,
        company,
        application
    )
    .fetch_all(pool)
    .await?;
    let truncated = rows.len() > PIPELINE_LIMIT;
    rows.truncate(PIPELINE_LIMIT);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let notes = sqlx::query!(
        r#"SELECT n.application_id, coalesce(u.display_name, 'Compte supprimé') AS "author!", n.body,
                  to_char(n.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "at!"
           FROM application_notes n LEFT JOIN users u ON u.id = n.author_id
           WHERE n.application_id = ANY($1) ORDER BY n.created_at, n.id"#,
        &ids
    )
    .fetch_all(pool)
    .await?;
    let mut notes = requests::threads(notes.into_iter().map(|n| {
        let note = Note {
            author: n.author,
            body: n.body,
            at: n.at,
        };
        (n.application_id, note)
    }));
    let mut messages = messages(pool, &ids).await?;
    let mut interviews = super::interviews::ssr::latest(pool, &ids).await?;
    let applications = rows
        .into_iter()
        .map(|r| ReceivedApplication {
            notes: notes.remove(&r.id).unwrap_or_default(),
            messages: messages.remove(&r.id).unwrap_or_default(),
            interview: interviews.remove(&r.id),
            id: r.id,
            status: r.status,
            refusal_reason: r.refusal_reason,
            offer_id: r.offer_id,
            offer_title: r.offer_title,
            candidate_name: r.display_name,
            candidate_email: r.email,
            headline: r.headline,
            experience: r.experience,
            skills: r.skills,
            message: r.message,
            applied_on: r.applied_on,
            cv_media_id: r.cv_media_id,
        })
        .collect();
    Ok((applications, truncated))
}

/// A reviewer of the offer's company moves an application; the candidate
/// is told, with the reason when refused.
pub async fn move_to(
    pool: &PgPool,
    reviewer: Reviewer,
    id: i64,
    status: &str,
    reason: &str,
) -> Result<(), AppError> {
    let status = ApplicationStatus::parse_step(status)?;
    let reason = if status == ApplicationStatus::Refused {
        let reason = reason.trim();
        if !REFUSAL_REASONS.contains(&reason) {
            return Err(AppError::invalid(
                "reason",
                "Choisissez le motif du refus dans la liste.",
            ));
        }
        reason
    } else {
        ""
    };
    let (user, company) = reviewer.keys();
    let row = requests::changed(
        "status",
        "Cette candidature ne peut pas passer à cette étape.",
        sqlx::query!(
            r#"WITH moved AS (
                   UPDATE applications a SET status = $3, refusal_reason = $4, updated_at = now()
                   FROM job_offers j, users u, organisations o
                   WHERE a.id = $1 AND j.id = a.offer_id
                     AND (j.company_id = $5 OR EXISTS (
                             SELECT 1 FROM memberships m WHERE m.organisation_id = j.company_id AND m.user_id = $2))
                     AND u.id = a.candidate_id AND o.id = j.company_id
                     AND a.status <> 'withdrawn' AND a.status <> $3
                   RETURNING a.id, u.email, u.display_name, j.title, o.name AS company_name
               ),
               -- Declined or hired: an interview still ahead is off.
               cancelled AS (
                   UPDATE interviews i SET status = 'cancelled', sequence = i.sequence + 1, updated_at = now()
                   FROM moved
                   WHERE i.application_id = moved.id AND $3 IN ('refused', 'hired')
                     AND i.status IN ('proposed', 'accepted') AND i.starts_at > now()
                   RETURNING i.id
               )
               SELECT email AS "email!", display_name AS "display_name!", title AS "title!",
                      company_name AS "company_name!", (SELECT id FROM cancelled LIMIT 1) AS "cancelled_interview?"
               FROM moved"#,
            id,
            user,
            status.as_str(),
            reason,
            company
        )
        .fetch_optional(pool),
        sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM applications a JOIN job_offers j ON j.id = a.offer_id
                              WHERE a.id = $1 AND (j.company_id = $3 OR EXISTS (
                                  SELECT 1 FROM memberships m WHERE m.organisation_id = j.company_id AND m.user_id = $2))) AS "member!""#,
            id,
            user,
            company
        )
        .fetch_one(pool),
    )
    .await?;
    let page = super::MY_APPLICATIONS.path;
    requests::tell_candidate(&row.email, page, "application", |link| {
        let offer = mail::Request::Application {
            offer: &row.title,
            company: &row.company_name,
        };
        mail::request_status(&row.display_name, offer, status.label(), reason, link)
    })
    .await;
    if let Some(interview) = row.cancelled_interview {
        super::interviews::ssr::tell_cancelled(pool, interview, false).await;
    }
    Ok(())
}

/// The threads of applications `ids`, oldest message first.
async fn messages(pool: &PgPool, ids: &[i64]) -> Result<HashMap<i64, Vec<Message>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT m.application_id, m.from_company, coalesce(u.display_name, 'Compte supprimé') AS "author!", m.body,
                  to_char(m.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "at!"
           FROM application_messages m LEFT JOIN users u ON u.id = m.author_id
           WHERE m.application_id = ANY($1) ORDER BY m.created_at, m.id"#,
        ids
    )
    .fetch_all(pool)
    .await?;
    Ok(requests::threads(rows.into_iter().map(|m| {
        let message = Message {
            from_organisation: m.from_company,
            author: m.author,
            body: m.body,
            at: m.at,
        };
        (m.application_id, message)
    })))
}

/// `user` writes on application `id`: its candidate, or a recruiter of the
/// offer's company (anyone else: 404). The other side is e-mailed. Answers
/// whether the writer is the candidate.
pub async fn write_message(
    pool: &PgPool,
    user: &AuthUser,
    id: i64,
    body: &str,
) -> Result<bool, AppError> {
    let body = check_text("body", body, MAX_THREAD_MESSAGE, "Écrivez votre message.")?;
    let side = sqlx::query!(
        r#"SELECT a.candidate_id = $2 AS "is_candidate!",
                  EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = j.company_id AND m.user_id = $2) AS "is_company!",
                  j.id AS offer_id, j.title, j.company_id, o.name AS company,
                  u.email AS candidate_email, u.display_name AS candidate_name
           FROM applications a JOIN job_offers j ON j.id = a.offer_id
           JOIN organisations o ON o.id = j.company_id JOIN users u ON u.id = a.candidate_id
           WHERE a.id = $1"#,
        id,
        user.id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let from_company = match (side.is_candidate, side.is_company) {
        (true, _) => false,
        (false, true) => {
            crate::identity::auth::ssr::require_permission(pool, Permission::ApplicationReview)
                .await?;
            true
        }
        (false, false) => return Err(AppError::NotFound),
    };
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO application_messages (application_id, author_id, from_company, body)
         VALUES ($1, $2, $3, $4)",
        id,
        user.id,
        from_company,
        body
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE applications SET updated_at = now() WHERE id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let about = mail::Request::Application {
        offer: &side.title,
        company: &side.company,
    };
    if from_company {
        let page = super::MY_APPLICATIONS.path;
        requests::tell_candidate(&side.candidate_email, page, "application", |link| {
            mail::request_message(&side.candidate_name, &side.company, about, link)
        })
        .await;
    } else {
        tell_recruiters(pool, side.company_id, side.offer_id, |name, link| {
            mail::request_message(name, &user.display_name, about, link)
        })
        .await
        // The message is saved: a failure to tell is logged, not the writer's.
        .unwrap_or_else(|error| tracing::warn!(%error, "message e-mails not sent"));
    }
    Ok(!from_company)
}

pub async fn add_note(pool: &PgPool, user: i64, id: i64, body: &str) -> Result<(), AppError> {
    let body = check_text("body", body, MAX_NOTE, "Écrivez votre note.")?;
    sqlx::query_scalar!(
        "INSERT INTO application_notes (application_id, author_id, body)
         SELECT a.id, $2, $3 FROM applications a
         JOIN job_offers j ON j.id = a.offer_id
         JOIN memberships m ON m.organisation_id = j.company_id AND m.user_id = $2
         WHERE a.id = $1
         RETURNING id",
        id,
        user,
        body
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(())
}

/// An application's cell in a column of the CSV.
type Cell = fn(&ReceivedApplication) -> String;

/// The CSV's columns: heading, and the cell of an application.
const CSV_COLUMNS: [(&str, Cell); 8] = [
    ("date", |a| a.applied_on.clone()),
    ("offre", |a| a.offer_title.clone()),
    ("candidat", |a| a.candidate_name.clone()),
    ("e-mail", |a| a.candidate_email.clone()),
    ("titre", |a| a.headline.clone()),
    ("statut", |a| a.status.label().to_owned()),
    ("motif", |a| a.refusal_reason.clone()),
    ("compétences", |a| a.skills.join(", ")),
];

/// The company's applications (or one offer's) as CSV, for a recruiter
/// member of it. Semicolons and a byte-order mark: what French spreadsheet
/// software opens correctly.
pub async fn export_csv(pool: &PgPool, offer: Option<i64>) -> Result<Vec<u8>, AppError> {
    let user =
        crate::identity::auth::ssr::require_permission(pool, Permission::ApplicationReview).await?;
    let pipeline = pipeline(pool, Reviewer::Member(user.id), offer).await?;
    crate::base::csv::write(
        "applications",
        CSV_COLUMNS.map(|(heading, _)| heading),
        pipeline
            .applications
            .iter()
            .map(|a| CSV_COLUMNS.map(|(_, cell)| cell(a))),
    )
}

/// A private file as the handler sends it.
pub struct PrivateFile {
    pub content_type: String,
    pub name: String,
    pub bytes: bytes::Bytes,
}

/// Reads private file `id` for the signed-in user: its owner, an admin, or a
/// member of a company it was sent to with an application.
pub async fn read_private(
    pool: &PgPool,
    storage: &crate::base::media::storage::Storage,
    id: i64,
) -> Result<PrivateFile, AppError> {
    let user = crate::identity::auth::ssr::require_user(pool).await?;
    let row = sqlx::query!(
        "SELECT owner_id, content_type, original_name, storage_key FROM media
         WHERE id = $1 AND visibility = 'private'",
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let allowed = row.owner_id == Some(user.id)
        || crate::identity::auth::ssr::role_has(pool, user.role, Permission::UserManage).await?
        // A company's members read the CV sent with an application to its offers.
        || sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM applications a JOIN job_offers j ON j.id = a.offer_id
                              JOIN memberships m ON m.organisation_id = j.company_id
                              WHERE a.cv_media_id = $1 AND m.user_id = $2) AS "allowed!""#,
            id,
            user.id
        )
        .fetch_one(pool)
        .await?;
    if !allowed {
        // Same answer as a missing file: ids reveal nothing.
        return Err(AppError::NotFound);
    }
    stored_file(
        storage,
        row.storage_key,
        row.content_type,
        row.original_name,
    )
    .await
}

/// The bytes of a private file the caller was found allowed to read.
async fn stored_file(
    storage: &crate::base::media::storage::Storage,
    key: String,
    content_type: String,
    name: String,
) -> Result<PrivateFile, AppError> {
    let bytes = storage.get(&key).await?.ok_or(AppError::NotFound)?;
    Ok(PrivateFile {
        content_type,
        name,
        bytes,
    })
}

/// The CV sent with application `id`, for a reviewer of the offer's
/// company: the rule of [`read_private`] for a company's members (the CV
/// of an application to one of its offers), by the application's id.
pub async fn application_cv(
    pool: &PgPool,
    storage: &crate::base::media::storage::Storage,
    reviewer: Reviewer,
    id: i64,
) -> Result<PrivateFile, AppError> {
    let (user, company) = reviewer.keys();
    let row = sqlx::query!(
        "SELECT m.content_type, m.original_name, m.storage_key
         FROM applications a JOIN job_offers j ON j.id = a.offer_id
         JOIN media m ON m.id = a.cv_media_id AND m.visibility = 'private'
         WHERE a.id = $1 AND (j.company_id = $3 OR EXISTS (
             SELECT 1 FROM memberships ms WHERE ms.organisation_id = j.company_id AND ms.user_id = $2))",
        id,
        user,
        company
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    stored_file(
        storage,
        row.storage_key,
        row.content_type,
        row.original_name,
    )
    .await
}
