//! Slow and idle clients (issue 13), against the real connection loop on a
//! loopback port: slow headers and idle connections are cut, slow bodies get
//! a 408, and thousands of idle sockets neither stay open nor stop the site.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use passerelle::serve::{ConnectionLimits, serve_http};
use sqlx::PgPool;
use std::{net::SocketAddr, time::Duration};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::watch,
    time::{Instant, timeout},
};

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// The site on a loopback port, with a one-second header timeout.
async fn serve(
    pool: PgPool,
    max_connections: usize,
) -> (SocketAddr, watch::Sender<bool>, common::TestApp) {
    let app = common::app_with(pool, &[("BODY_TIMEOUT_SECS", "1")], false).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = watch::channel(false);
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(1),
        max_connections,
    };
    tokio::spawn(serve_http(
        listener,
        app.router.clone(),
        limits,
        stop_rx,
        Duration::from_secs(2),
    ));
    (addr, stop_tx, app)
}

/// Reads until the server closes the connection (or `limit` passes);
/// answers what came and when the connection ended.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Option<Duration>) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let left = limit.saturating_sub(started.elapsed());
        match timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return (
                    String::from_utf8_lossy(&received).into_owned(),
                    Some(started.elapsed()),
                );
            }
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), None),
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn slow_headers_and_idle_connections_are_cut(pool: PgPool) {
    let (addr, _stop, _app) = serve(pool, 100).await;

    // Headers one byte every 300 ms: never a whole head within the timeout.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    let drip = tokio::spawn(async move {
        for byte in b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
            .iter()
            .cycle()
            .take(200)
        {
            if slow.write_all(&[*byte]).await.is_err() {
                return slow;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        slow
    });
    let mut slow = drip.await.unwrap();
    let (_, closed) = read_until_closed(&mut slow, Duration::from_secs(1)).await;
    assert!(closed.is_some(), "a client dripping its headers is cut");

    // Connected, then silent.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    let (_, closed) = read_until_closed(&mut idle, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "an idle connection is closed");

    // Kept alive after a request, then silent.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let (answer, closed) = read_until_closed(&mut kept, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed.is_some(), "an idle kept-alive connection is closed");

    // A rendered page, compressed, over the real connection: whole, then kept.
    let mut page = TcpStream::connect(addr).await.unwrap();
    page.write_all(
        b"GET /mentions-legales HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\
          Accept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let (answer, closed) = read_until_closed(&mut page, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert!(answer.contains("content-encoding: gzip"), "{answer:.300}");
    assert!(
        closed.is_some(),
        "the whole page came, then the connection closed"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_body_sent_a_byte_at_a_time_gets_a_408(pool: PgPool) {
    let (addr, _stop, _app) = serve(pool, 100).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /api/newsletter HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost:3000\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
              Content-Length: 200\r\n\r\nemail=",
        )
        .await
        .unwrap();
    let started = Instant::now();
    let reader = tokio::spawn(async move {
        let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
        answer
    });
    // The writer half is gone with the stream; the deadline alone must answer.
    let answer = reader.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("trop lentement"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn thousands_of_idle_sockets_are_closed_and_the_site_answers(pool: PgPool) {
    // The test opens both ends of every socket.
    let _ = rlimit::increase_nofile_limit(16_384);
    let (addr, _stop, _app) = serve(pool, 1_000).await;
    let mut idle = Vec::new();
    for _ in 0..2_000 {
        match TcpStream::connect(addr).await {
            Ok(stream) => idle.push(stream),
            Err(error) => panic!("connect {}: {error}", idle.len()),
        }
    }
    // Beyond the cap, connections wait in the kernel's queue; the ones served
    // are cut after the header timeout, which frees room for the next ones.
    let started = Instant::now();
    let mut visitor = loop {
        if let Ok(stream) = TcpStream::connect(addr).await {
            break stream;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    visitor
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = read_until_closed(&mut visitor, Duration::from_secs(30)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.200}");
    println!(
        "a visitor behind 2,000 idle sockets was served after {:?}",
        started.elapsed()
    );
    // Every idle socket is eventually closed by the server.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut open = 0;
    for stream in &mut idle {
        let left = deadline.saturating_duration_since(Instant::now());
        let (_, closed) = read_until_closed(stream, left).await;
        if closed.is_none() {
            open += 1;
        }
    }
    assert_eq!(open, 0, "idle sockets still open after a minute");
}
