//! Server-only database access: the migrator and the pool taken from context.

use crate::base::error::AppError;
pub use sqlx::PgPool;

/// Every migration under `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The pool the server put in the Leptos context for this request.
pub fn pool() -> Result<PgPool, AppError> {
    leptos::prelude::use_context::<PgPool>().ok_or_else(|| {
        tracing::error!("no PgPool in the Leptos context");
        AppError::Internal
    })
}
