//! Shared state: one PostgreSQL pool, one Redis pool, the configuration.

use crate::config::{Config, Mode};
use app::{
    base::db::Replica,
    base::mail::ssr::Mailer,
    base::media::storage::{Storage, StorageError},
};
use axum::extract::FromRef;
use leptos::config::{Env, LeptosOptions};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::{PgPool, postgres::PgPoolOptions};
use std::{sync::Arc, time::Duration};
use tower_sessions_redis_store::fred::{
    self,
    prelude::{ClientLike, Pool as RedisPool},
    types::{
        Builder,
        config::{Config as RedisConfig, ReconnectPolicy},
    },
};

/// Set on SIGTERM: `/readyz` answers 503 while requests are still served,
/// so the load balancer moves traffic away before the process stops.
#[derive(Clone, Debug, Default)]
pub struct Draining(pub Arc<std::sync::atomic::AtomicBool>);

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// The streaming replica of `DATABASE_READ_URL`, if any.
    pub replica: Option<Replica>,
    pub redis: RedisPool,
    pub config: Arc<Config>,
    pub metrics: PrometheusHandle,
    pub mailer: Mailer,
    pub storage: Storage,
    pub draining: Draining,
    /// Audience counts waiting to be written (`serve` flushes them).
    pub analytics: app::base::audience::ssr::Counter,
    /// The public searches' result pages.
    pub searches: app::ui::search::cache::SearchCache,
    /// Whole public pages for visitors who are not signed in.
    pub pages: crate::page_cache::PageCache,
}

pub async fn connect_database(config: &Config) -> Result<PgPool, sqlx::Error> {
    pool_options(config).connect(&config.database_url).await
}

impl AppState {
    /// The pool for a public read outside Leptos (sitemap, feed): the
    /// replica while it answers, unless the caller may have just written
    /// (see [`Replica`]).
    pub fn public_reads(&self, headers: &axum::http::HeaderMap) -> &PgPool {
        self.replica
            .as_ref()
            .filter(|replica| !replica.writer(headers))
            .and_then(Replica::usable)
            .unwrap_or(&self.pool)
    }
}

/// The replica's pool, when `DATABASE_READ_URL` is set. It connects on
/// first use, so a replica that is down delays nothing: `serve` checks it
/// every second and reads go to the primary meanwhile.
pub fn replica(config: &Config) -> Result<Option<Replica>, sqlx::Error> {
    let Some(url) = &config.database_read_url else {
        return Ok(None);
    };
    let pool = pool_options(config)
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy(url)?;
    Ok(Some(Replica::new(
        pool,
        crate::sessions::cookie_name(config.is_production()),
    )))
}

/// How the server's pool behaves (tests that cut connections build theirs
/// with it too).
pub fn pool_options(config: &Config) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(config.database_pool_size)
        .acquire_timeout(Duration::from_secs(5))
}

/// Connects the Redis pool. It reconnects by itself after Redis comes back,
/// and no command waits longer than two seconds meanwhile.
pub async fn connect_redis(config: &Config) -> Result<RedisPool, fred::error::Error> {
    let redis_config = RedisConfig::from_url(&config.redis_url)?;
    let pool = Builder::from_config(redis_config)
        .with_connection_config(|c| {
            c.connection_timeout = Duration::from_secs(2);
            c.internal_command_timeout = Duration::from_secs(2);
        })
        .with_performance_config(|p| {
            p.default_command_timeout = Duration::from_secs(2);
        })
        .set_policy(ReconnectPolicy::new_constant(0, 250))
        .build_pool(config.redis_pool_size)?;
    pool.init().await?;
    Ok(pool)
}

/// The configured file storage (local folder or S3 bucket).
pub fn open_storage(config: &Config) -> Result<Storage, StorageError> {
    match &config.storage {
        crate::config::Storage::Local { dir } => Storage::local(dir),
        crate::config::Storage::S3(settings) => Storage::s3(settings),
    }
}

/// Leptos' own settings, derived from ours. File hashing is on when
/// cargo-leptos left its `hash.txt` beside the binary (release builds).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").is_file()))
        .unwrap_or(false);
    LeptosOptions::builder()
        .output_name("passerelle")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .env(match config.mode {
            Mode::Production => Env::PROD,
            Mode::Development => Env::DEV,
        })
        .site_addr(config.listen_addr)
        .hash_files(hash_files)
        .build()
}
