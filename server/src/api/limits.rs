//! What surrounds the API's handlers: the per-IP quota (its own, more
//! generous than the sign-in endpoints'), told on every answer in the IETF
//! draft's `RateLimit-Policy` / `RateLimit` headers
//! (draft-ietf-httpapi-ratelimit-headers), and CORS for the configured
//! origins, without credentials.

use super::problem::Problem;
use crate::config::Config;
use app::identity::auth::ssr::ClientIp;
use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};
use std::{net::IpAddr, num::NonZeroU32, sync::Arc, time::Duration};
use tower_http::cors::{AllowOrigin, CorsLayer};

const POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
const STATE: HeaderName = HeaderName::from_static("ratelimit");

type Limiter =
    RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock, StateInformationMiddleware>;

/// The API's per-IP quota: `burst` requests at once, refilled at
/// `per_minute`.
#[derive(Clone)]
pub struct Quotas {
    limiter: Arc<Limiter>,
    burst: u32,
    /// Time one request's unit takes to come back.
    period: Duration,
    policy: HeaderValue,
}

impl Quotas {
    pub fn new(burst: u32, per_minute: u32) -> Self {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(rate).allow_burst(burst);
        let period = quota.replenish_interval();
        let limiter =
            Arc::new(RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>());
        // Forget idle addresses now and then; stops with the last router using it.
        let weak = Arc::downgrade(&limiter);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(60)).await;
                match weak.upgrade() {
                    Some(limiter) => limiter.retain_recent(),
                    None => break,
                }
            }
        });
        // The window: the time an emptied quota takes to fill up again.
        let window = seconds(period * burst.get());
        let policy = HeaderValue::from_str(&format!("\"ip\";q={burst};w={window}"))
            .unwrap_or_else(|_| HeaderValue::from_static("\"ip\""));
        Self {
            limiter,
            burst: burst.get(),
            period,
            policy,
        }
    }
}

/// Whole seconds, rounded up, at least 1.
fn seconds(duration: Duration) -> u64 {
    duration.as_millis().div_ceil(1000).max(1) as u64
}

/// Counts the request against its address's quota: past it, a 429 problem
/// with `Retry-After`; either way the quota's headers.
pub async fn rate_limit(State(quotas): State<Quotas>, request: Request, next: Next) -> Response {
    // The client's address as crate::client_ip worked it out, IPv6 by /64.
    let ip = crate::client_ip::rate_key(
        request
            .extensions()
            .get::<ClientIp>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |client| client.0),
    );
    let (mut response, remaining, reset) = match quotas.limiter.check_key(&ip) {
        Ok(snapshot) => {
            let remaining = snapshot.remaining_burst_capacity();
            let used = quotas.burst.saturating_sub(remaining);
            (
                next.run(request).await,
                remaining,
                seconds(quotas.period * used),
            )
        }
        Err(not_until) => {
            let wait = seconds(not_until.wait_time_from(quotas.limiter.clock().now()));
            (Problem::too_many_requests(wait).into_response(), 0, wait)
        }
    };
    let headers = response.headers_mut();
    headers.insert(POLICY, quotas.policy.clone());
    if let Ok(value) = HeaderValue::from_str(&format!("\"ip\";r={remaining};t={reset}")) {
        headers.insert(STATE, value);
    }
    response
}

/// Lets only CORS preflights (an `Origin` and an
/// `Access-Control-Request-Method`) reach [`cors`], which would answer any
/// OPTIONS, even at an unknown address. Any other OPTIONS goes to `routes`
/// (the API without CORS), which refuse it as any other method: a 405 with
/// the route's `Allow` (a 404 where no route is), counted by the quota.
pub async fn only_preflights(
    State(routes): State<axum::Router>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let preflight = headers.contains_key(header::ORIGIN)
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if request.method() == Method::OPTIONS && !preflight {
        use tower::ServiceExt;
        return match routes.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
    }
    next.run(request).await
}

/// CORS for `/api/v1`: the configured origins only, GET and HEAD, never
/// credentials (no cookie is read there anyway). Browsers may read the
/// pagination, cache and quota headers.
pub fn cors(config: &Config) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .api_cors_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::IF_NONE_MATCH, header::ACCEPT])
        .expose_headers([
            header::ETAG,
            header::RETRY_AFTER,
            header::CACHE_CONTROL,
            POLICY,
            STATE,
        ])
        .allow_credentials(false)
        .max_age(Duration::from_secs(3600))
}
