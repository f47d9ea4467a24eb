//! Enrolment requests' data layer. A candidate sees only their requests, a
//! centre only those for its own trainings; both sides are told by e-mail.

use super::{EnrolmentStatus, RequestView};
use crate::{
    base::error::AppError,
    base::mail::ssr as mail,
    identity::auth::{AuthUser, Permission},
    organisations::requests::{Message, ssr as requests},
};
use sqlx::PgPool;

const MAX_MESSAGE: usize = 2_000;

fn check_message(field: &str, text: &str, required: bool) -> Result<String, AppError> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(AppError::invalid(field, "Écrivez votre message."));
    }
    if text.chars().count() > MAX_MESSAGE {
        return Err(AppError::invalid(
            field,
            "Votre message est trop long (2 000 caractères au plus).",
        ));
    }
    Ok(text.to_owned())
}

/// E-mails the candidate with the link to their requests: `email(link)`.
async fn tell_candidate(to: &str, email: impl FnOnce(&str) -> mail::Email) {
    requests::tell_candidate(to, super::MY_ENROLMENTS.path, "enrolment", email).await;
}

/// E-mails every member of `centre` about a request, with the link to the
/// centre's pipeline: `email(member's name, link)`.
async fn tell_centre(
    pool: &PgPool,
    centre: i64,
    email: impl Fn(&str, &str) -> mail::Email,
) -> Result<(), AppError> {
    requests::tell_members(
        pool,
        centre,
        "/tableau-de-bord/demandes",
        "enrolment",
        email,
    )
    .await
}

fn session_label(starts: Option<String>, ends: Option<String>) -> String {
    match (starts, ends) {
        (Some(s), Some(e)) => format!(
            "session du {} au {}",
            crate::trainings::french_date(&s),
            crate::trainings::french_date(&e)
        ),
        _ => "entrée permanente".to_owned(),
    }
}

/// A verified candidate asks to join a session (`None`: rolling entry).
pub async fn request(
    pool: &PgPool,
    user: &AuthUser,
    training: i64,
    session: Option<i64>,
    message: &str,
) -> Result<i64, AppError> {
    let message = check_message("message", message, false)?;
    let found = sqlx::query!(
        r#"SELECT title AS "title!", rolling_entry AS "rolling_entry!", centre_id AS "centre_id!"
           FROM public_trainings WHERE id = $1"#,
        training
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let label = match session {
        Some(session) => {
            let row = sqlx::query!(
                r#"SELECT to_char(starts_on, 'YYYY-MM-DD') AS "starts!", to_char(ends_on, 'YYYY-MM-DD') AS "ends!"
                   FROM training_sessions WHERE id = $1 AND training_id = $2 AND starts_on >= current_date"#,
                session,
                training
            )
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| {
                AppError::invalid("session_id", "Cette session n'est plus ouverte aux inscriptions.")
            })?;
            session_label(Some(row.starts), Some(row.ends))
        }
        None if found.rolling_entry => session_label(None, None),
        None => return Err(AppError::invalid("session_id", "Choisissez une session.")),
    };
    let inserted = sqlx::query_scalar!(
        "INSERT INTO enrolment_requests (training_id, session_id, candidate_id, message)
         VALUES ($1, $2, $3, $4) RETURNING id",
        training,
        session,
        user.id,
        message
    )
    .fetch_one(pool)
    .await;
    let id = requests::inserted(inserted, || {
        AppError::invalid(
            "session_id",
            "Vous avez déjà une demande en cours pour cette session.",
        )
    })?;
    tell_centre(pool, found.centre_id, |_, link| {
        mail::enrolment_received(&user.display_name, &found.title, &label, link)
    })
    .await?;
    tell_candidate(&user.email, |link| {
        mail::enrolment_sent(&user.display_name, &found.title, &label, link)
    })
    .await;
    Ok(id)
}

/// Requests and their messages, for one candidate or one centre.
pub async fn list(
    pool: &PgPool,
    candidate: Option<i64>,
    centre: Option<i64>,
    training: Option<i64>,
) -> Result<Vec<RequestView>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT r.id, r.status AS "status: EnrolmentStatus", r.refusal_reason, r.message, t.id AS training_id, t.title, t.slug,
                  t.status AS training_status, o.name AS centre_name, u.display_name AS candidate_name,
                  u.email AS candidate_email, s.id AS "session_id?",
                  to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(s.ends_on, 'YYYY-MM-DD') AS ends_on,
                  to_char(r.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY') AS "created_on!",
                  to_char(r.updated_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "updated_on!"
           FROM enrolment_requests r
           JOIN trainings t ON t.id = r.training_id
           JOIN organisations o ON o.id = t.centre_id
           JOIN users u ON u.id = r.candidate_id
           LEFT JOIN training_sessions s ON s.id = r.session_id
           WHERE ($1::bigint IS NULL OR r.candidate_id = $1)
             AND ($2::bigint IS NULL OR t.centre_id = $2)
             AND ($3::bigint IS NULL OR t.id = $3)
           ORDER BY r.updated_at DESC
           LIMIT 500"#,
        candidate,
        centre,
        training
    )
    .fetch_all(pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let messages = sqlx::query!(
        r#"SELECT m.request_id, m.from_centre, coalesce(u.display_name, 'Compte supprimé') AS "author!", m.body,
                  to_char(m.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "at!"
           FROM enrolment_messages m LEFT JOIN users u ON u.id = m.author_id
           WHERE m.request_id = ANY($1) ORDER BY m.created_at"#,
        &ids
    )
    .fetch_all(pool)
    .await?;
    let mut messages = requests::threads(messages.into_iter().map(|m| {
        let message = Message {
            from_organisation: m.from_centre,
            author: m.author,
            body: m.body,
            at: m.at,
        };
        (m.request_id, message)
    }));
    Ok(rows
        .into_iter()
        .map(|r| RequestView {
            id: r.id,
            messages: messages.remove(&r.id).unwrap_or_default(),
            status: r.status,
            refusal_reason: r.refusal_reason,
            message: r.message,
            training_id: r.training_id,
            training_title: r.title,
            training_slug: (r.training_status == "published").then_some(r.slug),
            centre_name: r.centre_name,
            // A centre sees who asks; a candidate knows who they are.
            candidate: centre.map(|_| (r.candidate_name, r.candidate_email)),
            session_dates: r.starts_on.clone().zip(r.ends_on.clone()),
            session_id: r.session_id,
            session: session_label(r.starts_on, r.ends_on),
            created_on: r.created_on,
            updated_on: r.updated_on,
        })
        .collect())
}

/// The centre moves a request: `in_review`, `accepted`, or `refused` with a reason.
pub async fn review(
    pool: &PgPool,
    centre: i64,
    id: i64,
    status: &str,
    reason: &str,
) -> Result<(), AppError> {
    let (status, from) = EnrolmentStatus::parse_step(status)?;
    let reason = check_message("reason", reason, status == EnrolmentStatus::Refused)?;
    let from: Vec<String> = from.iter().map(|s| s.as_str().to_owned()).collect();
    let row = requests::changed(
        "status",
        "Cette demande ne peut plus passer à cette étape.",
        sqlx::query!(
            "UPDATE enrolment_requests r SET status = $3, updated_at = now(),
            refusal_reason = CASE WHEN $3 = 'refused' THEN $4 ELSE '' END
         FROM trainings t, users u
         WHERE r.id = $1 AND t.id = r.training_id AND t.centre_id = $2 AND u.id = r.candidate_id
           AND r.status = ANY($5)
         RETURNING u.email, u.display_name, t.title",
            id,
            centre,
            status.as_str(),
            reason,
            &from
        )
        .fetch_optional(pool),
        sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM enrolment_requests r JOIN trainings t ON t.id = r.training_id
                              WHERE r.id = $1 AND t.centre_id = $2) AS "exists!""#,
            id,
            centre
        )
        .fetch_one(pool),
    )
    .await?;
    tell_candidate(&row.email, |link| {
        let training = mail::Request::Enrolment {
            training: &row.title,
        };
        mail::request_status(&row.display_name, training, status.label(), &reason, link)
    })
    .await;
    Ok(())
}

/// The candidate withdraws a live request; the centre is told.
pub async fn withdraw(pool: &PgPool, candidate: &AuthUser, id: i64) -> Result<(), AppError> {
    let training = sqlx::query!(
        "UPDATE enrolment_requests r SET status = 'withdrawn', updated_at = now()
         FROM trainings t
         WHERE r.id = $1 AND r.candidate_id = $2 AND t.id = r.training_id
           AND r.status IN ('new', 'in_review', 'accepted')
         RETURNING t.title, t.centre_id",
        id,
        candidate.id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let withdrawn = EnrolmentStatus::Withdrawn.label();
    tell_centre(pool, training.centre_id, |name, link| {
        let request = mail::Request::Enrolment {
            training: &training.title,
        };
        mail::request_status(name, request, withdrawn, "", link)
    })
    .await
}

/// Either side writes on a request it belongs to; the other side is told.
pub async fn write(pool: &PgPool, user: &AuthUser, id: i64, body: &str) -> Result<(), AppError> {
    let body = check_message("body", body, true)?;
    let side = sqlx::query!(
        r#"SELECT r.candidate_id = $2 AS "is_candidate!",
                  EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = t.centre_id AND m.user_id = $2) AS "is_centre!",
                  t.title, t.centre_id, u.email AS candidate_email, u.display_name AS candidate_name
           FROM enrolment_requests r JOIN trainings t ON t.id = r.training_id JOIN users u ON u.id = r.candidate_id
           WHERE r.id = $1"#,
        id,
        user.id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let from_centre = match (side.is_candidate, side.is_centre) {
        (true, _) => false,
        (false, true) => {
            crate::identity::auth::ssr::require_permission(pool, Permission::EnrolmentReview)
                .await?;
            true
        }
        // Someone else's request does not exist for this user.
        (false, false) => return Err(AppError::NotFound),
    };
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO enrolment_messages (request_id, author_id, from_centre, body) VALUES ($1, $2, $3, $4)",
        id,
        user.id,
        from_centre,
        body
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE enrolment_requests SET updated_at = now() WHERE id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if from_centre {
        tell_candidate(&side.candidate_email, |link| {
            mail::request_message(
                &side.candidate_name,
                "Le centre de formation",
                mail::Request::Enrolment {
                    training: &side.title,
                },
                link,
            )
        })
        .await;
    } else {
        tell_centre(pool, side.centre_id, |name, link| {
            let training = mail::Request::Enrolment {
                training: &side.title,
            };
            mail::request_message(name, &user.display_name, training, link)
        })
        .await?;
    }
    Ok(())
}
