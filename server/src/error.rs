//! The one error of the binary's commands (`serve`, `worker`, the seeds and
//! the admin tools): each says which part failed, for the operator's log.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("PostgreSQL at DATABASE_URL: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("Redis at REDIS_URL: {0}")]
    Redis(#[from] tower_sessions_redis_store::fred::error::Error),
    #[error("cannot listen on {addr}: {source} (is another server running? set LISTEN_ADDR)")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Mail(String),
    #[error("file storage: {0}")]
    Storage(#[from] app::base::media::storage::StorageError),
    #[error("input/output: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not encrypt the stored TOTP secrets (see the log)")]
    Secrets,
    // Kept apart from the database's errors: AppError hides its cause
    // behind a message for users.
    #[error("{0}")]
    App(#[from] app::base::error::AppError),
    #[error("{0}")]
    Communes(#[from] crate::communes::ImportError),
    #[error("{0}")]
    Usage(String),
}
