//! `passerelle serve`: migrate, connect, listen, and stop gracefully.

use crate::{config::Config, error::Error, http, metrics, state};
use std::{
    net::SocketAddr,
    sync::{Arc, atomic::Ordering},
    time::Duration,
};
use tokio::{net::TcpListener, sync::watch};

pub async fn run(config: Config) -> Result<(), Error> {
    let config = Arc::new(config);
    let pool = state::connect_database(&config).await?;
    app::base::db::tolerant_migrator().run(&pool).await?;
    let redis = state::connect_redis(&config).await?;
    let replica = state::replica(&config)?;
    if let Some(replica) = &replica {
        check_replica(&pool, replica).await;
    }
    let state = state::AppState {
        leptos_options: state::leptos_options(&config),
        pool: pool.clone(),
        replica: replica.clone(),
        redis: redis.clone(),
        config: config.clone(),
        metrics: metrics::handle(),
        mailer: app::base::mail::ssr::Mailer::new(config.smtp_url.as_str(), &config.mail_from)
            .map_err(Error::Mail)?,
        storage: state::open_storage(&config)?,
        draining: state::Draining::default(),
        // Counting off (AUDIENCE_FLUSH_SECS=0): every count is dropped.
        analytics: if config.audience_flush.is_some() {
            Default::default()
        } else {
            app::base::audience::ssr::Counter::off()
        },
        searches: app::ui::search::cache::SearchCache::shared(
            redis.clone(),
            config.session_store_timeout,
            config.search_concurrency as usize,
        )
        .keeping(config.search_hits_kept),
        pages: Default::default(),
    };
    let mailer = state.mailer.clone();
    let analytics = state.analytics.clone();
    let draining = state.draining.clone();
    // TOTP seeds stored before they were encrypted at rest are sealed now.
    let sealed = app::identity::auth::two_factor::ssr::seal_plain_secrets(
        &pool,
        &app::base::secrets::SecretBox::new(&config.data_key),
    )
    .await
    .map_err(|_| Error::Secrets)?;
    if sealed > 0 {
        tracing::info!(sealed, "TOTP secrets encrypted at rest");
    }
    let metrics_router = config
        .metrics_listen_addr
        .map(|_| metrics::router(state.clone()));
    let router = http::router(state);

    let listener = TcpListener::bind(config.listen_addr)
        .await
        .map_err(|source| Error::Bind {
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
    // Prometheus scrapes a private address of its own, when one is set.
    if let (Some(addr), Some(metrics_router)) = (config.metrics_listen_addr, metrics_router) {
        let metrics_listener = TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind { addr, source })?;
        tracing::info!(%addr, "metrics are served on their own address");
        let limits = ConnectionLimits {
            max_connections: 64,
            ..connection_limits(&config)
        };
        tokio::spawn(serve_http(
            metrics_listener,
            metrics_router,
            limits,
            stop_rx.clone(),
            config.shutdown_grace,
        ));
    }
    if let Some(replica) = replica {
        let primary = pool.clone();
        tokio::spawn(every(REPLICA_CHECK, stop_rx.clone(), move || {
            let (primary, replica) = (primary.clone(), replica.clone());
            async move { check_replica(&primary, &replica).await }
        }));
    }
    if let Some(interval) = config.audience_flush {
        tokio::spawn(flush_counts(
            analytics.clone(),
            pool.clone(),
            interval,
            stop_rx.clone(),
        ));
    }
    let drain = config.shutdown_drain;
    tokio::spawn(async move {
        let signal = shutdown_signal().await;
        // Asked to stop by the orchestrator: say "not ready" for a while, so
        // the load balancer stops sending traffic, while still answering.
        if signal == Signal::Terminate && !drain.is_zero() {
            draining.0.store(true, Ordering::Relaxed);
            tracing::info!(?drain, "draining: /readyz answers 503");
            tokio::time::sleep(drain).await;
        }
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop_tx.send(true);
    });
    serve_http(
        listener,
        router,
        connection_limits(&config),
        stop_rx,
        config.shutdown_grace,
    )
    .await;

    // A tick under way finishes (its e-mails and their bookkeeping go together).
    if let Some(worker) = worker
        && tokio::time::timeout(config.shutdown_grace, worker)
            .await
            .is_err()
    {
        tracing::warn!("worker still busy after the grace period");
    }
    // The last requests' counts.
    if let Err(error) = analytics.flush(&pool).await {
        tracing::warn!(%error, "audience counts not written");
    }
    pool.close().await;
    use tower_sessions_redis_store::fred::prelude::ClientLike;
    let _ = redis.quit().await;
    tracing::info!("stopped");
    Ok(())
}

/// How often the read replica is checked, and how long it may take.
const REPLICA_CHECK: Duration = Duration::from_secs(1);

/// Write-ahead log the replica may still have to replay and be read:
/// seconds of writes, not a replica stuck behind.
const REPLICA_LAG_BYTES: i64 = 16 * 1024 * 1024;

/// Marks the replica usable while it answers within [`REPLICA_CHECK`] and
/// has replayed the primary's log to within [`REPLICA_LAG_BYTES`].
async fn check_replica(primary: &sqlx::PgPool, replica: &app::base::db::Replica) {
    let lag = async {
        let position: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
            .fetch_one(primary)
            .await?;
        // A database not in recovery is not a replica (a test's, or one
        // promoted): it is read as it is.
        sqlx::query_scalar::<_, Option<i64>>(
            "SELECT CASE WHEN pg_is_in_recovery()
                    THEN pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::bigint
                    ELSE 0 END",
        )
        .bind(position)
        .fetch_one(replica.pool())
        .await
    };
    let usable = match tokio::time::timeout(REPLICA_CHECK, lag).await {
        Ok(Ok(Some(behind))) => behind <= REPLICA_LAG_BYTES,
        _ => false,
    };
    replica.set_healthy(usable);
}

/// Ticks the background worker until `stop` turns true. Replicas may all
/// run it: jobs are claimed with `SKIP LOCKED`, so each one runs once.
pub async fn run_worker(
    pool: sqlx::PgPool,
    mailer: app::base::mail::ssr::Mailer,
    base_url: String,
    interval: std::time::Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    every(interval, stop, || async {
        // A trace per tick: its statements and e-mails, together.
        let span = tracing::info_span!("worker_tick", otel.kind = "internal");
        let tick =
            tracing::Instrument::instrument(app::worker::tick(&pool, &mailer, &base_url), span)
                .await;
        crate::metrics::count_tick(tick.as_ref().ok());
        match tick {
            Ok(report) if report != app::worker::TickReport::default() => {
                tracing::info!(%report, "worker tick");
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "worker tick failed"),
        }
    })
    .await;
}

/// Runs `tick` every `interval` until `stop` turns true; after a slow tick,
/// waits a full interval rather than catching up.
async fn every<F: Future<Output = ()>>(
    interval: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
    mut tick: impl FnMut() -> F,
) {
    let mut timer = tokio::time::interval(interval);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = timer.tick() => {}
            () = stop_requested(&mut stop) => break,
        }
        tick().await;
    }
}

/// Writes the audience counted in memory every `interval`, in one
/// statement, until `stop` turns true (`run` writes the last ones).
async fn flush_counts(
    counter: app::base::audience::ssr::Counter,
    pool: sqlx::PgPool,
    interval: std::time::Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    every(interval, stop, || async {
        if let Err(error) = counter.flush(&pool).await {
            tracing::warn!(%error, "audience counts not written yet");
        }
    })
    .await;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// Ctrl-C: a developer at the terminal, no load balancer to drain.
    Interrupt,
    /// SIGTERM: the orchestrator's way to ask for a stop.
    Terminate,
}

pub async fn shutdown_signal() -> Signal {
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
    tokio::select! {
        _ = ctrl_c => Signal::Interrupt,
        _ = terminate => Signal::Terminate,
    }
}

/// Resolves once `stop` turns true (or its sender is gone).
async fn stop_requested(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// How connections are accepted and kept.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// A client has this long to send a request's head, on a new connection
    /// and between two requests on a kept-alive one: slow headers and idle
    /// connections are cut.
    pub header_read_timeout: Duration,
    /// Connections served at once; more wait in the kernel's queue.
    pub max_connections: usize,
}

/// The configured limits, within what the open-files limit allows.
pub fn connection_limits(config: &Config) -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout: config.header_read_timeout,
        max_connections: config
            .max_connections
            .min(connections_allowed_by_fd_limit()),
    }
}

/// Raises the soft open-files limit to the hard one (where allowed) and
/// answers how many connections it leaves room for, keeping some files for
/// the pools, uploads and logs.
pub fn connections_allowed_by_fd_limit() -> usize {
    const RESERVED: u64 = 256;
    let soft = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(%error, "could not raise the open-files limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    };
    usize::try_from(soft.saturating_sub(RESERVED).max(16)).unwrap_or(usize::MAX)
}

/// Serves `router` on `listener` with HTTP/1.1 (behind the TLS proxy), a
/// header read timeout and a cap on connections, until `stop` turns true;
/// then lets in-flight requests finish, at most `grace`.
///
/// `axum::serve` gives hyper no timer, so hyper's header timeout never runs
/// there and a client sending a byte a second, or nothing, keeps its
/// connection forever; hence this loop over hyper-util's builder.
pub async fn serve_http(
    listener: TcpListener,
    router: axum::Router,
    limits: ConnectionLimits,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) {
    use axum::{Extension, extract::ConnectInfo};
    use hyper_util::{
        rt::{TokioExecutor, TokioIo, TokioTimer},
        server::{conn::auto::Builder, graceful::GracefulShutdown},
        service::TowerToHyperService,
    };
    use tower::Layer;

    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(64 * 1024);
    let builder = builder.http1_only();
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = stop_requested(&mut stop) => break,
        };
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(error) => {
                    // Out of files or a connection reset before accept: wait
                    // a little rather than spin.
                    tracing::warn!(%error, "accept");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stop_requested(&mut stop) => break,
        };
        // Streamed pages go out in several writes: without TCP_NODELAY,
        // Nagle's algorithm and delayed ACKs hold each response back by ~40 ms.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY");
        }
        // Peer addresses feed the client address (see client_ip.rs).
        let service = Extension(ConnectInfo::<SocketAddr>(peer)).layer(router.clone());
        let connection = graceful.watch(
            builder
                .serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service))
                .into_owned(),
        );
        tokio::spawn(async move {
            let _permit = permit;
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(grace) => {
            tracing::warn!(?grace, "grace period over: dropping the requests still running");
        }
    }
}
