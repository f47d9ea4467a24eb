//! The HTTP stack: routes (pages, server functions, probes, SEO files) and
//! the middleware around them.

use crate::{
    api, audience, client_ip, health, input, metrics, page_cache, rate_limit, renders, security,
    sessions, state::AppState,
};
use app::{
    app::{App, shell},
    base::site::Site,
};
use axum::{
    Router,
    body::Body,
    extract::{Path, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use leptos::prelude::provide_context;
use leptos_axum::{
    LeptosRoutes, generate_route_list_with_exclusions, handle_server_fns_with_context,
};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{
        CompressionLayer,
        predicate::{DefaultPredicate, NotForContentType, Predicate},
    },
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
};

/// What every Leptos render and server function finds in its context.
fn leptos_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + use<> {
    let pool = state.pool.clone();
    let replica = state.replica.clone();
    let site = Site::new(state.config.base_url());
    let mailer = state.mailer.clone();
    let storage = state.storage.clone();
    let session_policy = app::identity::auth::ssr::SessionPolicy {
        idle: state.config.session_idle_timeout,
        absolute: state.config.session_absolute_timeout,
    };
    let secrets = app::base::secrets::SecretBox::new(&state.config.data_key);
    let analytics = state.analytics.clone();
    let searches = state.searches.clone();
    move || {
        provide_context(analytics.clone());
        provide_context(searches.clone());
        provide_context(pool.clone());
        if let Some(replica) = &replica {
            provide_context(replica.clone());
        }
        provide_context(site.clone());
        provide_context(mailer.clone());
        provide_context(storage.clone());
        provide_context(session_policy);
        provide_context(secrets.clone());
        // Called once per request: a fresh cache each time.
        provide_context(app::identity::auth::ssr::CurrentUserCache::default());
    }
}

pub fn router(state: AppState) -> Router {
    crate::telemetry::init_executor();
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
        >(context.clone(), shell))
        .layer(axum::middleware::from_fn(renders::to_completion));

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
        // Release builds write .br and .gz next to each file (--precompress).
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );

    let sessions = sessions::layer(&config, &state.redis);
    let page_cache = page_cache::Context {
        cache: state.pages.clone(),
        pool: state.pool.clone(),
        replica: state.replica.clone(),
        analytics: state.analytics.clone(),
        session_cookie: sessions::cookie_name(config.is_production()),
    };

    let app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render_with_token))
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
        .route("/sitemaps/{name}", get(sitemap_part))
        .route("/compte/donnees.json", get(export_my_data))
        .route(
            "/tableau-de-bord/candidatures-recues/export.csv",
            get(applications_csv),
        )
        .route("/admin/newsletter/abonnes.csv", get(subscribers_csv))
        .route("/admin/statistiques.csv", get(statistics_csv))
        .route("/tableau-de-bord/audience.csv", get(audience_csv))
        .route("/blog/feed.xml", get(blog_feed))
        .route("/scripts/{name}", get(script))
        .route("/alertes/desabonnement", post(unsubscribe_one_click))
        .route("/newsletter/desabonnement", post(newsletter_one_click))
        .route("/medias/prive/{id}", get(private_media))
        .route("/medias/{*key}", get(public_media))
        .merge(limited)
        .nest_service("/pkg", pkg)
        .merge(pages)
        .with_state(state.clone());

    // The site's own layers, listed outermost first. The public API is
    // outside them: it reads no session and no cookie (so no CSRF surface),
    // and its answers are neither kept pages nor page views.
    let site = app.layer(
        ServiceBuilder::new()
            // Inside compression: what it keeps is the page before encoding,
            // and the brotli it serves passes through untouched. Outside the
            // sessions: a kept page never asks the session store.
            // Outside the page cache: its hits are page views too.
            .layer(axum::middleware::from_fn_with_state(
                state.analytics.clone(),
                audience::layer,
            ))
            .layer(axum::middleware::from_fn_with_state(
                page_cache,
                page_cache::layer,
            ))
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(config.trusted_proxies.clone()),
                client_ip::layer,
            ))
            .layer(axum::middleware::from_fn_with_state(
                input::BodyLimits {
                    bytes: config.body_limit_bytes,
                    deadline: config.body_timeout,
                    upload_deadline: config.upload_timeout,
                },
                input::guard,
            ))
            .layer(security::csrf_layer(&config))
            .layer(axum::middleware::from_fn(
                sessions::save_failure_is_unavailable,
            ))
            .layer(sessions),
    );

    // Shared by the site and the API, listed outermost first.
    Router::new()
        .nest("/api/v1", api::router(&state))
        .merge(api::tokens::well_known(api::tokens::keys(&config)))
        .merge(site)
        .layer(
            ServiceBuilder::new()
                // The request's span and trace id (X-Request-Id), see telemetry.rs.
                .layer(axum::middleware::from_fn(crate::telemetry::request_span))
                // Outside everything that can answer early (panic, timeout, 413, CSRF).
                .layer(axum::middleware::from_fn_with_state(
                    config.clone(),
                    security::headers,
                ))
                .layer(CatchPanicLayer::custom(security::panic_response))
                .layer(metrics::layer(state.metrics.clone()))
                .layer(axum::middleware::from_fn_with_state(
                    config.request_timeout,
                    deadline,
                ))
                // WebAssembly is never compressed per request: release builds serve
                // the brotli/gzip files written at build time, and compressing
                // megabytes of chunks on the runtime's threads starved every other
                // request (Redis calls timed out) when a page preloads them all.
                .layer(CompressionLayer::new().compress_when(
                    DefaultPredicate::new().and(NotForContentType::const_new("application/wasm")),
                )),
        )
}

/// Past the request's deadline, a 503: empty for the site, a problem under
/// `/api/v1`, as its document declares.
async fn deadline(
    State(limit): State<std::time::Duration>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let api = api::problem::is_api_path(request.uri().path());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) if api => api::problem::Problem::unavailable().into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// The rate-limited server functions (Leptos routes the others).
async fn server_fn(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(leptos_context(&state), request).await
}

/// Runs app code that reads the request (session, address) and the app's
/// context (pool, settings), outside a Leptos route.
async fn with_request<T, F>(state: &AppState, request: Request<Body>, run: impl FnOnce() -> F) -> T
where
    F: std::future::Future<Output = T>,
{
    use leptos::reactive::{computed::ScopedFuture, owner::Owner};
    let (_, parts) = leptos_axum::generate_request_and_parts(request);
    let context = leptos_context(state);
    // A root of its own: `Owner::new()` would hang under whatever render
    // last ran on this thread, and a context this request lacks would then
    // be read from another visitor's (their signed-in user, say).
    let owner = Owner::new_root(None);
    owner
        .with(|| {
            ScopedFuture::new(async move {
                context();
                provide_context(parts);
                run().await
            })
        })
        .await
}

/// Public files: content-addressed names, so cacheable for a year.
async fn public_media(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    if !app::base::media::ssr::is_public_key(&key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.storage.get(&key).await {
        Ok(Some(bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    app::base::media::storage::content_type_of(&key),
                ),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, key, "storage read failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Private files (CVs, documents): only their owner and admins read them.
async fn private_media(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request<Body>,
) -> Response {
    let (pool, storage) = (state.pool.clone(), state.storage.clone());
    let result = with_request(&state, request, move || async move {
        app::candidates::applications::ssr::read_private(&pool, &storage, id).await
    })
    .await;
    match result {
        Ok(file) => {
            let name: String = file
                .name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                .collect();
            // Always a download, never rendered on the site's origin; and
            // should a browser render it anyway, the sandbox keeps it inert.
            let disposition = format!(
                "attachment; filename=\"{}\"",
                if name.is_empty() { "document" } else { &name }
            );
            let mut response = file.bytes.into_response();
            let headers = response.headers_mut();
            for (name, value) in [
                (header::CONTENT_TYPE, file.content_type.as_str()),
                (header::CACHE_CONTROL, "private, no-store"),
                (header::CONTENT_DISPOSITION, disposition.as_str()),
                (header::CONTENT_SECURITY_POLICY, security::DOWNLOAD_CSP),
            ] {
                if let Ok(value) = HeaderValue::from_str(value) {
                    headers.insert(name, value);
                }
            }
            response
        }
        Err(app::base::error::AppError::Unauthenticated) => {
            axum::response::Redirect::to("/connexion").into_response()
        }
        Err(error) => (error.status(), axum::Json(error)).into_response(),
    }
}

/// A company's applications as a spreadsheet (`?offre=ID`: one offer's),
/// for its recruiters only.
async fn applications_csv(State(state): State<AppState>, request: Request<Body>) -> Response {
    let offer = request.uri().query().and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "offre")
            .map(|(_, value)| value.into_owned())
    });
    // An offer that is not a number is no offer of this company.
    let offer = match offer.filter(|v| !v.is_empty()).map(|v| v.parse::<i64>()) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return StatusCode::NOT_FOUND.into_response(),
    };
    let pool = state.pool.clone();
    let result = with_request(&state, request, move || async move {
        app::candidates::applications::ssr::export_csv(&pool, offer).await
    })
    .await;
    Download {
        content_type: "text/csv; charset=utf-8",
        disposition: "attachment; filename=\"candidatures.csv\"",
        cache_control: "private, no-store",
        sign_in: "/connexion?suivant=/tableau-de-bord/candidatures-recues",
    }
    .answer(result)
}

/// The newsletter's subscribers as a spreadsheet, for admins.
async fn subscribers_csv(State(state): State<AppState>, request: Request<Body>) -> Response {
    let pool = state.pool.clone();
    let result = with_request(&state, request, move || async move {
        app::admin::newsletter::export_subscribers(&pool).await
    })
    .await;
    Download {
        content_type: "text/csv; charset=utf-8",
        disposition: "attachment; filename=\"abonnes-lettre.csv\"",
        cache_control: "private, no-store",
        sign_in: "/connexion?suivant=/admin/newsletter",
    }
    .answer(result)
}

/// An organisation's audience (`?type=entreprise` or `centre`) as a
/// spreadsheet, for its members.
async fn audience_csv(State(state): State<AppState>, request: Request<Body>) -> Response {
    use app::organisations::profile::OrgKind;
    let kind = request.uri().query().and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "type")
            .and_then(|(_, value)| OrgKind::from_db(&value))
    });
    let Some(kind) = kind else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = with_request(&state, request, move || async move {
        app::analytics::audience_csv(kind).await
    })
    .await;
    Download {
        content_type: "text/csv; charset=utf-8",
        disposition: "attachment; filename=\"audience.csv\"",
        cache_control: "private, no-store",
        sign_in: "/connexion?suivant=/tableau-de-bord",
    }
    .answer(result)
}

/// The back office's figures over a period (`du`, `au`, `pas`) as a spreadsheet.
async fn statistics_csv(State(state): State<AppState>, request: Request<Body>) -> Response {
    let query: std::collections::HashMap<String, String> = request
        .uri()
        .query()
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    let (du, au, pas) = (field("du"), field("au"), field("pas"));
    let pool = state.pool.clone();
    let result = with_request(&state, request, move || async move {
        app::analytics::statistics_csv(&pool, &du, &au, &pas).await
    })
    .await;
    Download {
        content_type: "text/csv; charset=utf-8",
        disposition: "attachment; filename=\"statistiques.csv\"",
        cache_control: "private, no-store",
        sign_in: "/connexion?suivant=/admin",
    }
    .answer(result)
}

/// A file that only its signed-in owner may download.
struct Download {
    content_type: &'static str,
    disposition: &'static str,
    cache_control: &'static str,
    /// Where a visitor who is not signed in goes (and comes back from).
    sign_in: &'static str,
}

impl Download {
    fn answer(&self, result: Result<impl IntoResponse, app::base::error::AppError>) -> Response {
        match result {
            Ok(body) => (
                [
                    (header::CONTENT_TYPE, self.content_type),
                    (header::CONTENT_DISPOSITION, self.disposition),
                    (header::CACHE_CONTROL, self.cache_control),
                ],
                body,
            )
                .into_response(),
            Err(app::base::error::AppError::Unauthenticated) => {
                axum::response::Redirect::to(self.sign_in).into_response()
            }
            Err(error) => (error.status(), axum::Json(error)).into_response(),
        }
    }
}

/// RFC 8058 one-click unsubscribe: mail clients POST
/// `List-Unsubscribe=One-Click` to the link of an alert digest (GET shows
/// the confirmation page).
async fn unsubscribe_one_click(
    State(state): State<AppState>,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    one_click_answer(
        app::jobs::alerts::ssr::unsubscribe(&state.pool, jeton(&params)).await,
        "Vous êtes désabonné de cette alerte.",
        app::base::error::AppError::status,
    )
}

/// RFC 8058 one-click unsubscribe from the newsletter (GET shows the page).
async fn newsletter_one_click(
    State(state): State<AppState>,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    one_click_answer(
        app::newsletter::ssr::unsubscribe(&state.pool, jeton(&params)).await,
        "Votre adresse a été retirée de la liste de la lettre.",
        // Whatever went wrong, the link leads nowhere.
        |_| StatusCode::NOT_FOUND,
    )
}

/// The token of an unsubscribe link; a missing one is empty, which no
/// subscription has.
fn jeton(params: &std::collections::HashMap<String, String>) -> &str {
    params.get("jeton").map_or("", String::as_str)
}

/// What a mail client gets from a one-click unsubscribe: `done` in plain
/// text, or the error as JSON with the status `failure` gives it.
fn one_click_answer(
    result: Result<(), app::base::error::AppError>,
    done: &'static str,
    failure: fn(&app::base::error::AppError) -> StatusCode,
) -> Response {
    match result {
        Ok(()) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], done).into_response(),
        Err(error) => (failure(&error), axum::Json(error)).into_response(),
    }
}

/// `/blog/feed.xml`: the Atom feed of the newest articles.
async fn blog_feed(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let pool = state.public_reads(&headers);
    match app::blog::ssr::atom_feed(pool, &state.config.base_url()).await {
        Ok(xml) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            xml,
        )
            .into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// "Télécharger mes données": the signed-in user's data as a JSON file.
async fn export_my_data(State(state): State<AppState>, request: Request<Body>) -> Response {
    let pool = state.pool.clone();
    let result = with_request(&state, request, move || async move {
        app::identity::account::ssr::export_data(&pool).await
    })
    .await;
    Download {
        content_type: "application/json; charset=utf-8",
        disposition: "attachment; filename=\"passerelle-mes-donnees.json\"",
        cache_control: "no-store",
        sign_in: "/connexion?suivant=/compte",
    }
    .answer(result.map(|data| serde_json::to_string_pretty(&data).unwrap_or_default()))
}

/// The enhancement script of the pages that do not hydrate, at the address
/// named after its content (`app::base::hydration::enhance_path`).
async fn script(Path(name): Path<String>) -> Response {
    use app::base::hydration::{ENHANCE_JS, enhance_path};
    if enhance_path().strip_prefix("/scripts/") != Some(name.as_str()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        ENHANCE_JS,
    )
        .into_response()
}

async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /tableau-de-bord/\nDisallow: /compte\nDisallow: /admin/\n\nSitemap: {}/sitemap.xml\n",
        state.config.base_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

/// `/sitemap.xml`: the sitemap, or past 50,000 URLs an index of its parts.
async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    use app::base::seo::ssr::{URLS_PER_FILE, sitemap};
    sitemap_answer(&state, &headers, |base, entries| {
        Some(sitemap(base, entries, URLS_PER_FILE))
    })
    .await
}

/// `/sitemaps/{n}.xml`: part n of a sitemap too long for one file.
async fn sitemap_part(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    use app::base::seo::ssr::{URLS_PER_FILE, part};
    let Some(n) = name.strip_suffix(".xml").and_then(|n| n.parse().ok()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    sitemap_answer(&state, &headers, |base, entries| {
        part(base, entries, URLS_PER_FILE, n)
    })
    .await
}

async fn sitemap_answer(
    state: &AppState,
    headers: &HeaderMap,
    render: impl FnOnce(&str, &[app::base::seo::ssr::SitemapEntry]) -> Option<String>,
) -> Response {
    let pool = state.public_reads(headers);
    match app::base::seo::ssr::entries(pool, app::app::SITEMAP_SOURCES).await {
        Ok(entries) => match render(&state.config.base_url(), &entries) {
            Some(xml) => (
                [
                    (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
                    (header::CACHE_CONTROL, "public, max-age=3600"),
                ],
                xml,
            )
                .into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn past_the_deadline_the_api_answers_a_problem_and_the_site_a_bare_503() {
        let slow = || async {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            "trop tard"
        };
        let router = Router::new()
            .route("/api/v1/offres", get(slow))
            .route("/offres", get(slow))
            .layer(axum::middleware::from_fn_with_state(
                std::time::Duration::from_millis(20),
                deadline,
            ));
        for (path, content_type) in [
            ("/api/v1/offres", Some(api::problem::PROBLEM_JSON)),
            ("/offres", None),
        ] {
            let request = Request::get(path).body(Body::empty()).unwrap_or_default();
            let response = router.clone().oneshot(request).await;
            let response = response.unwrap_or_else(|never| match never {});
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
            assert_eq!(
                response
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok()),
                content_type,
                "{path}"
            );
        }
    }
}
