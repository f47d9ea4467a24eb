//! The HTTP stack: routes (pages, server functions, probes, SEO files) and
//! the middleware around them.

use crate::{health, metrics, rate_limit, security, state::AppState};
use app::{
    app::{App, shell},
    site::Site,
};
use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use leptos::prelude::provide_context;
use leptos_axum::{
    LeptosRoutes, generate_route_list_with_exclusions, handle_server_fns_with_context,
};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use tower_sessions::{
    Expiry, SessionManagerLayer,
    cookie::{Key, SameSite},
};
use tower_sessions_redis_store::RedisStore;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every Leptos render and server function finds in its context.
fn leptos_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + use<> {
    let pool = state.pool.clone();
    let site = Site::new(state.config.base_url());
    let mailer = state.mailer.clone();
    move || {
        provide_context(pool.clone());
        provide_context(site.clone());
        provide_context(mailer.clone());
        // Called once per request: a fresh cache each time.
        provide_context(app::auth::ssr::CurrentUserCache::default());
    }
}

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let options = state.leptos_options.clone();
    let context = leptos_context(&state);

    // Endpoints that guess passwords or codes, or send e-mail: limited per IP.
    // Leptos registers every other server function at its `/api/...` path.
    let limited = rate_limit::LIMITED_ENDPOINTS
        .into_iter()
        .fold(Router::new(), |router, path| {
            router.route(path, post(server_fn))
        })
        .layer(rate_limit::layer(
            config.auth_rate_burst,
            config.auth_rate_refill,
        ))
        .layer(axum::middleware::from_fn(rate_limit::html_for_forms));
    let routes = generate_route_list_with_exclusions(
        App,
        Some(rate_limit::LIMITED_ENDPOINTS.map(str::to_owned).to_vec()),
    );

    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context.clone(), shell));

    // Hashed asset names change with their content: cache them for a year.
    // Without hashing (debug builds) the browser must revalidate.
    let pkg_cache = HeaderValue::from_static(if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    });
    let pkg_dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            pkg_cache,
        ))
        .service(ServeDir::new(pkg_dir));

    let session_store = RedisStore::new(state.redis.clone());
    let idle =
        time::Duration::try_from(config.session_idle_timeout).unwrap_or(time::Duration::days(1));
    let sessions = SessionManagerLayer::new(session_store)
        .with_name("passerelle_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.is_production())
        .with_expiry(Expiry::OnInactivity(idle))
        .with_private(Key::derive_from(&config.session_key));

    let mut app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
        .route("/compte/donnees.json", get(export_my_data))
        .merge(limited)
        .nest_service("/pkg", pkg)
        .merge(pages)
        .with_state(state.clone());

    for (name, value) in security::static_headers(&config) {
        app = app.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }

    // Listed outermost first.
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CatchPanicLayer::custom(security::panic_response))
            .layer(metrics::layer(state.metrics.clone()))
            .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, config.request_timeout))
            .layer(CompressionLayer::new())
            .layer(axum::middleware::from_fn_with_state(config.clone(), security::csp))
            .layer(RequestBodyLimitLayer::new(config.body_limit_bytes))
            .layer(security::csrf_layer(&config))
            .layer(sessions),
    )
}

/// The rate-limited server functions (Leptos routes the others).
async fn server_fn(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(leptos_context(&state), request).await
}

/// "Télécharger mes données": the signed-in user's data as a JSON file.
async fn export_my_data(State(state): State<AppState>, request: Request<Body>) -> Response {
    use leptos::reactive::{computed::ScopedFuture, owner::Owner};
    let (_, parts) = leptos_axum::generate_request_and_parts(request);
    let pool = state.pool.clone();
    // The account code reads the request (session, address) from the Leptos context.
    let owner = Owner::new();
    let result = owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                app::account::ssr::export_data(&pool).await
            })
        })
        .await;
    match result {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"passerelle-mes-donnees.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(app::error::AppError::Unauthenticated) => {
            axum::response::Redirect::to("/connexion?suivant=/compte").into_response()
        }
        Err(error) => (error.status(), axum::Json(error)).into_response(),
    }
}

async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /tableau-de-bord/\nDisallow: /compte\nDisallow: /admin/\n\nSitemap: {}/sitemap.xml\n",
        state.config.base_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

async fn sitemap(State(state): State<AppState>) -> Response {
    match app::seo::ssr::entries(&state.pool).await {
        Ok(entries) => (
            [
                (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            app::seo::ssr::render(&state.config.base_url(), &entries),
        )
            .into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
