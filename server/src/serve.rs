//! `passerelle serve`: migrate, connect, listen, and stop gracefully.

use crate::{config::Config, http, metrics, state};
use axum::serve::ListenerExt;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
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
    Storage(#[from] app::media::storage::StorageError),
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not encrypt the stored TOTP secrets (see the log)")]
    Secrets,
}

pub async fn run(config: Config) -> Result<(), ServeError> {
    let config = Arc::new(config);
    let pool = state::connect_database(&config).await?;
    app::db::MIGRATOR.run(&pool).await?;
    let redis = state::connect_redis(&config).await?;
    let state = state::AppState {
        leptos_options: state::leptos_options(&config),
        pool: pool.clone(),
        redis: redis.clone(),
        config: config.clone(),
        metrics: metrics::handle(),
        mailer: app::mail::ssr::Mailer::new(config.smtp_url.as_str(), &config.mail_from)
            .map_err(ServeError::Mail)?,
        storage: state::open_storage(&config)?,
    };
    let mailer = state.mailer.clone();
    // TOTP seeds stored before they were encrypted at rest are sealed now.
    let sealed = app::auth::two_factor::ssr::seal_plain_secrets(
        &pool,
        &app::secrets::SecretBox::new(&config.data_key),
    )
    .await
    .map_err(|_| ServeError::Secrets)?;
    if sealed > 0 {
        tracing::info!(sealed, "TOTP secrets encrypted at rest");
    }
    let metrics_router = config
        .metrics_listen_addr
        .map(|_| metrics::router(state.clone()));
    let router = http::router(state);

    let listener = TcpListener::bind(config.listen_addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.listen_addr,
            source,
        })?;
    tracing::info!(addr = %config.listen_addr, base_url = %config.public_base_url, "Passerelle is listening");

    // On SIGTERM / Ctrl-C: stop accepting, let in-flight requests finish, but
    // never wait longer than the grace period.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = config.worker_interval.map(|interval| {
        tokio::spawn(run_worker(
            pool.clone(),
            mailer,
            config.base_url(),
            interval,
            stop_rx.clone(),
        ))
    });
    // Streamed pages go out in several writes: without TCP_NODELAY, Nagle's
    // algorithm and delayed ACKs hold each response back by ~40 ms.
    let listener = listener.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY");
        }
    });
    // Prometheus scrapes a private address of its own, when one is set.
    if let (Some(addr), Some(metrics_router)) = (config.metrics_listen_addr, metrics_router) {
        let metrics_listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        tracing::info!(%addr, "metrics are served on their own address");
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let served = axum::serve(metrics_listener, metrics_router)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|stop| *stop).await;
                })
                .await;
            if let Err(error) = served {
                tracing::warn!(%error, "metrics listener");
            }
        });
    }
    // Peer addresses feed the audit log and the list of active sessions.
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = axum::serve(listener, service).with_graceful_shutdown({
        let mut stop_rx = stop_rx.clone();
        async move {
            let _ = stop_rx.wait_for(|stop| *stop).await;
        }
    });
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop_tx.send(true);
    });
    let grace = config.shutdown_grace;
    let mut stop_rx = stop_rx;
    tokio::select! {
        result = server => result?,
        _ = async move {
            let _ = stop_rx.wait_for(|stop| *stop).await;
            tokio::time::sleep(grace).await;
        } => tracing::warn!(?grace, "grace period over: dropping the requests still running"),
    }

    // A tick under way finishes (its e-mails and their bookkeeping go together).
    if let Some(worker) = worker
        && tokio::time::timeout(grace, worker).await.is_err()
    {
        tracing::warn!("worker still busy after the grace period");
    }
    pool.close().await;
    use tower_sessions_redis_store::fred::prelude::ClientLike;
    let _ = redis.quit().await;
    tracing::info!("stopped");
    Ok(())
}

/// Ticks the background worker until `stop` turns true. Replicas may all
/// run it: jobs are claimed with `SKIP LOCKED`, so each one runs once.
pub async fn run_worker(
    pool: sqlx::PgPool,
    mailer: app::mail::ssr::Mailer,
    base_url: String,
    interval: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut timer = tokio::time::interval(interval);
    // After a slow tick, wait a full interval rather than catching up.
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = timer.tick() => {}
            _ = stop.wait_for(|stop| *stop) => break,
        }
        match app::worker::tick(&pool, &mailer, &base_url).await {
            Ok(report) if report != app::worker::TickReport::default() => {
                tracing::info!(%report, "worker tick");
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "worker tick failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
