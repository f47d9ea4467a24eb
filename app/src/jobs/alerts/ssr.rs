//! Saved searches' data layer. A user reads and changes only their own
//! rows (anyone else's answer 404); the unsubscribe token stands in for the
//! user in e-mail links, so it works without signing in.

use super::{
    FREQUENCIES, MAX_LABEL, MAX_SAVED_SEARCHES, SavedSearch, UnsubscribeInfo, scope_key, scope_of,
};
use crate::{
    base::error::AppError,
    identity::auth::AuthUser,
    ui::search::{Scope, SearchQuery},
};
use sqlx::PgPool;

/// The list a saved search watches, as a form sends it: `offers` (or
/// nothing, as before training alerts existed) or `trainings`.
pub fn parse_scope(value: &str) -> Result<Scope, AppError> {
    if value.is_empty() {
        return Ok(Scope::Offers);
    }
    [Scope::Offers, Scope::Trainings]
        .into_iter()
        .find(|scope| scope_key(*scope) == value)
        .ok_or_else(|| {
            AppError::invalid(
                "scope",
                "Une alerte porte sur des offres ou sur des formations.",
            )
        })
}

fn check_frequency(frequency: &str, allow_none: bool) -> Result<(), AppError> {
    let known = FREQUENCIES
        .iter()
        .any(|(value, _)| *value == frequency && (allow_none || *value != "none"));
    if known {
        Ok(())
    } else {
        Err(AppError::invalid("frequency", "Choisissez une fréquence."))
    }
}

/// The query string as the alert keeps it: only the parameters of its list
/// that say something, without the page number.
pub fn normalise_query(scope: Scope, query: &str) -> Result<String, AppError> {
    let mut parsed = SearchQuery::parse_in(scope, query);
    parsed.page = 0;
    let normalised = parsed.query_string();
    if normalised.chars().count() > 1000 {
        return Err(AppError::invalid(
            "query",
            "Cette recherche est trop longue pour une alerte.",
        ));
    }
    Ok(normalised)
}

/// Saves a search of `scope` for `user` (20 at most, both lists together);
/// the label defaults to a summary.
pub async fn save(
    pool: &PgPool,
    user: &AuthUser,
    scope: Scope,
    query: &str,
    label: &str,
    frequency: &str,
) -> Result<i64, AppError> {
    check_frequency(frequency, false)?;
    let query = normalise_query(scope, query)?;
    let label = match label.trim() {
        "" => super::summary(&SearchQuery::parse_in(scope, &query)),
        given => given.to_owned(),
    };
    if label.chars().count() > MAX_LABEL {
        return Err(AppError::invalid(
            "label",
            "Le nom de l'alerte ne doit pas dépasser 200 caractères.",
        ));
    }
    let mut tx = pool.begin().await?;
    // Serialises a user's concurrent saves so the cap holds.
    sqlx::query!("SELECT id FROM users WHERE id = $1 FOR UPDATE", user.id)
        .fetch_one(&mut *tx)
        .await?;
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM saved_searches WHERE user_id = $1"#,
        user.id
    )
    .fetch_one(&mut *tx)
    .await?;
    if count >= MAX_SAVED_SEARCHES {
        return Err(AppError::invalid(
            "label",
            "Vous avez déjà 20 alertes : supprimez-en une pour en créer une nouvelle.",
        ));
    }
    let id = sqlx::query_scalar!(
        "INSERT INTO saved_searches (user_id, label, query, frequency, scope)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        user.id,
        label,
        query,
        frequency,
        scope_key(scope)
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(pool: &PgPool, user: i64) -> Result<Vec<SavedSearch>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id, scope, label, query, frequency,
                  to_char(created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "created_on!"
           FROM saved_searches WHERE user_id = $1 ORDER BY created_at DESC, id DESC"#,
        user
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SavedSearch {
            id: row.id,
            scope: scope_of(&row.scope),
            label: row.label,
            query: row.query,
            frequency: row.frequency,
            created_on: row.created_on,
        })
        .collect())
}

/// Runs a change of one saved search (`RETURNING id`); when it matched
/// none, the search is not there (or not the user's): 404.
async fn one_search(
    change: impl Future<Output = Result<Option<i64>, sqlx::Error>>,
) -> Result<(), AppError> {
    change.await?.map(drop).ok_or(AppError::NotFound)
}

pub async fn set_frequency(
    pool: &PgPool,
    user: i64,
    id: i64,
    frequency: &str,
) -> Result<(), AppError> {
    check_frequency(frequency, true)?;
    // Back from a pause, the next digest covers what is published from now on.
    one_search(
        sqlx::query_scalar!(
            "UPDATE saved_searches
         SET last_sent_at = CASE WHEN frequency = 'none' AND $3 <> 'none' THEN now() ELSE last_sent_at END,
             frequency = $3
         WHERE id = $1 AND user_id = $2 RETURNING id",
            id,
            user,
            frequency
        )
        .fetch_optional(pool),
    )
    .await
}

pub async fn delete(pool: &PgPool, user: i64, id: i64) -> Result<(), AppError> {
    one_search(
        sqlx::query_scalar!(
            "DELETE FROM saved_searches WHERE id = $1 AND user_id = $2 RETURNING id",
            id,
            user
        )
        .fetch_optional(pool),
    )
    .await
}

/// The alert behind an unsubscribe link.
pub async fn by_token(pool: &PgPool, token: &str) -> Result<UnsubscribeInfo, AppError> {
    sqlx::query_as!(
        UnsubscribeInfo,
        r#"SELECT s.label, s.frequency = 'none' AS "unsubscribed!"
           FROM unsubscribe_tokens t JOIN saved_searches s ON s.id = t.saved_search_id
           WHERE t.token_hash = $1"#,
        crate::identity::auth::ssr::hash_token(token)
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// Stops the e-mails of one alert; the saved search itself stays.
pub async fn unsubscribe(pool: &PgPool, token: &str) -> Result<(), AppError> {
    if token.is_empty() {
        return Err(AppError::NotFound);
    }
    one_search(
        sqlx::query_scalar!(
            "UPDATE saved_searches SET frequency = 'none'
         WHERE id = (SELECT saved_search_id FROM unsubscribe_tokens WHERE token_hash = $1)
         RETURNING id",
            crate::identity::auth::ssr::hash_token(token)
        )
        .fetch_optional(pool),
    )
    .await
}
