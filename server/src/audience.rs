//! Page views by kind of page (`base::audience`): every HTML page served
//! whole, from the page cache or rendered, counts once; robots, prefetches
//! and anything else (files, API calls, redirects, errors) do not.

use app::base::audience::{
    Metric, route_kind,
    ssr::{Counter, Event, is_bot, is_prefetch},
};
use axum::{
    extract::{Request, State},
    http::{Method, StatusCode, header},
    middleware::Next,
    response::Response,
};

pub async fn layer(State(counter): State<Counter>, request: Request, next: Next) -> Response {
    let counts = request.method() == Method::GET
        && !is_bot(request.headers())
        && !is_prefetch(request.headers());
    // Only for requests that may count: files and API calls pass untouched.
    let kind = counts.then(|| route_kind(request.uri().path()));
    let response = next.run(request).await;
    let page = response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
    if let Some(kind) = kind.filter(|_| page) {
        counter.add(&Event::new(Metric::Page, kind, 0));
    }
    response
}
