//! What surrounds the API's handlers: the quotas, told on every answer in
//! the IETF draft's `RateLimit-Policy` / `RateLimit` headers
//! (draft-ietf-httpapi-ratelimit-headers), and CORS for the configured
//! origins, without credentials.
//!
//! A call with a valid access token counts against its client's (or its
//! user's) quota, larger than an address's; any other call, the token
//! endpoint's included, against its address's (its own, more generous
//! than the sign-in endpoints').

use super::{
    problem::Problem,
    tokens::{Keys, Verified},
};
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
use std::{hash::Hash, net::IpAddr, num::NonZeroU32, sync::Arc, time::Duration};
use tower_http::cors::{AllowOrigin, CorsLayer};

const POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
const STATE: HeaderName = HeaderName::from_static("ratelimit");

type Limiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// One quota: `burst` requests at once, refilled at `per_minute`, for each
/// key (an address, a token's subject).
struct Bucket<K: Hash + Eq + Clone> {
    limiter: Arc<Limiter<K>>,
    burst: u32,
    /// Time one request's unit takes to come back.
    period: Duration,
    /// The policy's name in the headers: `ip` or `client`.
    name: &'static str,
    policy: HeaderValue,
}

impl<K: Hash + Eq + Clone + Send + Sync + 'static> Bucket<K> {
    fn new(name: &'static str, burst: u32, per_minute: u32) -> Self {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(rate).allow_burst(burst);
        let period = quota.replenish_interval();
        let limiter =
            Arc::new(RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>());
        // Forget idle keys now and then; stops with the last router using it.
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
        let policy = HeaderValue::from_str(&format!("\"{name}\";q={burst};w={window}"))
            .unwrap_or_else(|_| HeaderValue::from_static("\"ip\""));
        Self {
            limiter,
            burst: burst.get(),
            period,
            name,
            policy,
        }
    }

    /// Counts one request of `key`: what remains and the seconds until the
    /// quota is full again, or the seconds to wait.
    fn take(&self, key: &K) -> Result<(u32, u64), u64> {
        match self.limiter.check_key(key) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let used = self.burst.saturating_sub(remaining);
                Ok((remaining, seconds(self.period * used)))
            }
            Err(not_until) => Err(seconds(
                not_until.wait_time_from(self.limiter.clock().now()),
            )),
        }
    }
}

/// The API's quotas: per address, and per token subject.
#[derive(Clone)]
pub struct Quotas {
    ip: Arc<Bucket<IpAddr>>,
    client: Arc<Bucket<String>>,
    /// To tell a valid token (its signature and times only: the quota needs
    /// no database; the handler checks the rest).
    keys: Arc<Keys>,
}

impl Quotas {
    pub fn new(config: &Config, keys: Arc<Keys>) -> Self {
        Self {
            ip: Arc::new(Bucket::new(
                "ip",
                config.api_rate_burst,
                config.api_rate_per_minute,
            )),
            client: Arc::new(Bucket::new(
                "client",
                config.api_client_rate_burst,
                config.api_client_rate_per_minute,
            )),
            keys,
        }
    }

    /// The subject of the request's access token, if it verifies; its
    /// claims are left in the request for `super::bearer`.
    fn subject(&self, request: &mut Request) -> Option<String> {
        let value = request
            .headers()
            .get(header::AUTHORIZATION)?
            .to_str()
            .ok()?;
        let (scheme, token) = value.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let claims = self.keys.verify(token.trim(), super::tokens::now()).ok()?;
        let subject = claims.sub.clone();
        request.extensions_mut().insert(Verified(claims));
        Some(subject)
    }
}

/// Whole seconds, rounded up, at least 1.
fn seconds(duration: Duration) -> u64 {
    duration.as_millis().div_ceil(1000).max(1) as u64
}

/// Counts the request against its token's or its address's quota: past
/// it, a 429 problem with `Retry-After`; either way the quota's headers.
pub async fn rate_limit(
    State(quotas): State<Quotas>,
    mut request: Request,
    next: Next,
) -> Response {
    let (taken, name, policy) = match quotas.subject(&mut request) {
        Some(subject) => (
            quotas.client.take(&subject),
            quotas.client.name,
            &quotas.client.policy,
        ),
        None => {
            // The client's address as crate::client_ip worked it out, IPv6 by /64.
            let ip = crate::client_ip::rate_key(
                request
                    .extensions()
                    .get::<ClientIp>()
                    .map_or(IpAddr::from([0, 0, 0, 0]), |client| client.0),
            );
            (quotas.ip.take(&ip), quotas.ip.name, &quotas.ip.policy)
        }
    };
    let policy = policy.clone();
    let (mut response, remaining, reset) = match taken {
        Ok((remaining, reset)) => (next.run(request).await, remaining, reset),
        Err(wait) => (Problem::too_many_requests(wait).into_response(), 0, wait),
    };
    let headers = response.headers_mut();
    headers.insert(POLICY, policy);
    if let Ok(value) = HeaderValue::from_str(&format!("\"{name}\";r={remaining};t={reset}")) {
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

/// CORS for `/api/v1`: the configured origins only, never credentials (no
/// cookie is read there: a partner's page sends its bearer token). Browsers
/// may read the pagination, cache and quota headers.
pub fn cors(config: &Config) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .api_cors_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::IF_NONE_MATCH,
            header::ACCEPT,
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::CACHE_CONTROL,
            POLICY,
            STATE,
        ])
        .allow_credentials(false)
        .max_age(Duration::from_secs(3600))
}
