//! Page renders run to their end, even when the browser hangs up.
//!
//! Leptos 0.8 (leptos_integration_utils 0.8.9) cleans up a render's reactive
//! owner and drains its shared context only once the response body has been
//! read to the end. A client that aborts an `SsrMode::Async` page drops the
//! body early: each `Resource` of the render then stays in a reference cycle
//! with its owner and a parked task, for good (about 40 KB and one task per
//! aborted `/offres`), and the resources still running find their context
//! gone ("no PgPool in the Leptos context", "reactive value already
//! disposed"). Browsers abort navigations all the time.
//!
//! Until upstream cleans up on drop, the render runs in a task of its own and
//! its body is read to the end there; the client gets the bytes as they come
//! and may leave at any time. The queries were going to finish anyway.

use axum::{
    body::{Body, Bytes},
    extract::Request,
    middleware::Next,
    response::Response,
};
use futures_util::StreamExt;
use std::sync::{Arc, LazyLock};
use tokio::sync::{Semaphore, mpsc, oneshot};

/// Renders detached from their client at once; past this, a render runs in
/// the request's own task as before (a flood of aborts cannot pile up work).
const DETACHED_RENDERS: usize = 512;

static SLOTS: LazyLock<Arc<Semaphore>> =
    LazyLock::new(|| Arc::new(Semaphore::new(DETACHED_RENDERS)));

pub async fn to_completion(request: Request, next: Next) -> Response {
    // Server functions have no render to clean up.
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let Ok(permit) = SLOTS.clone().try_acquire_owned() else {
        return next.run(request).await;
    };
    let (head_tx, head_rx) = oneshot::channel();
    // In the request's span: the render's queries and logs keep its trace.
    let span = tracing::Span::current();
    tokio::spawn(tracing::Instrument::instrument(
        async move {
            let _permit = permit;
            let (parts, body) = next.run(request).await.into_parts();
            let (chunk_tx, chunk_rx) = mpsc::channel::<Result<Bytes, axum::Error>>(16);
            let mut listening = head_tx.send((parts, chunk_rx)).is_ok();
            let mut chunks = body.into_data_stream();
            // Read to the end whether or not anyone listens: the end of the body
            // is where Leptos disposes of the render.
            while let Some(chunk) = chunks.next().await {
                if listening && chunk_tx.send(chunk).await.is_err() {
                    listening = false;
                }
            }
        },
        span,
    ));
    match head_rx.await {
        Ok((parts, chunk_rx)) => {
            // Fused: the body is polled again after its end by the layers
            // around it (compression), which `unfold` alone forbids.
            let chunks = futures_util::stream::unfold(chunk_rx, |mut rx| async move {
                rx.recv().await.map(|chunk| (chunk, rx))
            })
            .fuse();
            Response::from_parts(parts, Body::from_stream(chunks))
        }
        // The render panicked before its head (the panic is in the log).
        Err(_) => crate::security::panic_response(Box::new("page render panicked")),
    }
}
