//! The public HTTP API, `/api/v1`: anonymous, read-only JSON over what the
//! public pages show (offers, trainings, centres, companies, communes),
//! with the same searches, filters and facets as `/offres` and
//! `/formations` (the app's data layer is called, never copied).
//!
//! The contract, in one place each: errors are RFC 9457 problems
//! ([`problem`]), parameters are read strictly ([`params`]), lists are
//! paged by opaque cursors ([`cursor`]) read from the app's pages
//! ([`lists`]), every 200 carries a weak ETag ([`etag`]), each address has
//! its quota and CORS is configured ([`limits`]), and the OpenAPI 3.1
//! document is generated from this code ([`openapi`]).
//!
//! The router lives outside the site's session, CSRF and page-cache layers
//! (see `crate::http`): no cookie is read here. Who calls is a [`Caller`]:
//! an anonymous address, an organisation's API client, or a user through an
//! app they consented to ([`bearer`]).

pub mod bearer;
pub mod body;
pub mod centre;
pub mod communes;
pub mod company;
pub mod cursor;
pub mod dates;
pub mod etag;
pub mod limits;
pub mod lists;
pub mod me;
pub mod oauth;
pub mod offers;
pub mod openapi;
pub mod organisation;
pub mod organisations;
pub mod params;
pub mod problem;
pub mod tokens;
pub mod trainings;

use crate::state::AppState;
use app::{
    base::error::AppError, identity::auth::ssr::CurrentUserCache, organisations::listing::Lookup,
    ui::search::cache::SearchCache,
};
use axum::{
    Router,
    extract::{FromRequestParts, Path, rejection::PathRejection},
    http::request::Parts,
    routing::{get, patch, post},
};
use cursor::Cursors;
use problem::Problem;
use serde::Serialize;
use sqlx::PgPool;
use std::{future::Future, sync::Arc};
use utoipa::ToSchema;

/// What every handler of the API reads.
#[derive(Clone)]
pub struct ApiState {
    pub pool: PgPool,
    /// The read replica, if any, for anonymous callers' public reads.
    pub replica: Option<app::base::db::Replica>,
    /// The public searches' cache, shared with the pages.
    pub searches: SearchCache,
    pub cursors: Cursors,
    /// The site's address, for the `url` of each item.
    pub base_url: String,
    /// The OpenAPI document and its page, built once at start.
    pub docs: Arc<openapi::Built>,
    /// The access tokens' keys ([`tokens`]).
    pub tokens: Arc<tokens::Keys>,
    /// The site's mailer and file storage, for the app code that writes
    /// e-mails or reads private files (a CV) as the site does.
    pub mailer: app::base::mail::ssr::Mailer,
    pub storage: app::base::media::storage::Storage,
}

/// Who is calling: anonymous (the quota reads the address itself, see
/// [`limits`]), an organisation's API client, or a user. Checked here once
/// for every route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    /// An organisation's API client, by a valid bearer token ([`bearer`]).
    Client(bearer::ApiClient),
    /// A user, by a valid token of an app they consented to: the app code
    /// it calls sees that user signed in, with the site's permissions.
    User(bearer::ApiUser),
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<Self, Self::Rejection> {
        // A Cookie header is ignored: the site's session never signs in
        // here. A bearer token is a client's, or a 401: never anonymous.
        Ok(match bearer::bearer(parts, state).await? {
            Some(bearer::Bearer::Client(client)) => Self::Client(client),
            Some(bearer::Bearer::User(user)) => Self::User(user),
            None => Self::Anonymous,
        })
    }
}

impl ApiState {
    /// The pool for `caller`'s public read: the replica for an anonymous
    /// caller; a token's holder may have just written, and reads the primary.
    pub fn reads(&self, caller: &Caller) -> PgPool {
        match (caller, self.replica.as_ref().and_then(|r| r.usable())) {
            (Caller::Anonymous, Some(replica)) => replica.clone(),
            _ => self.pool.clone(),
        }
    }
}

impl Caller {
    /// Runs a public read: the same for every caller (so the search cache
    /// serves all of them), never personalised by a user's token.
    pub async fn run_public<T, F>(&self, state: &ApiState, run: impl FnOnce() -> F) -> T
    where
        F: Future<Output = T>,
    {
        Self::Anonymous.run(state, run).await
    }

    /// Runs app code as this caller: the app's context (pool, search
    /// cache, mailer, storage, the site's address) and, for the current user, the token's user or nobody,
    /// resolved without any session. No request parts are given: the app counts no page view
    /// and sets no status for these calls.
    pub async fn run<T, F>(&self, state: &ApiState, run: impl FnOnce() -> F) -> T
    where
        F: Future<Output = T>,
    {
        use leptos::prelude::provide_context;
        use leptos::reactive::{computed::ScopedFuture, owner::Owner};
        let (pool, searches) = (state.pool.clone(), state.searches.clone());
        let (mailer, storage) = (state.mailer.clone(), state.storage.clone());
        let site = app::base::site::Site::new(&state.base_url);
        let user = match self {
            // A client acts for an organisation, not as one of its members.
            Self::Anonymous | Self::Client(_) => CurrentUserCache::anonymous(),
            Self::User(user) => CurrentUserCache::signed_in(user.user.clone()),
        };
        // A root of its own, as crate::http's `with_request` explains.
        let owner = Owner::new_root(None);
        owner
            .with(|| {
                ScopedFuture::new(async move {
                    provide_context(pool);
                    provide_context(searches);
                    provide_context(mailer);
                    provide_context(storage);
                    provide_context(site);
                    provide_context(user);
                    run().await
                })
            })
            .await
    }
}

/// A resource's path segment: its number or its slug.
pub enum Key {
    Id(i64),
    Slug(String),
}

impl Key {
    /// Reads `{id}`; a segment axum cannot decode (bad UTF-8) is a 400.
    pub fn from_path(path: Result<Path<String>, PathRejection>) -> Result<Self, Problem> {
        let Path(segment) = path.map_err(|_| Problem::bad_request("L'adresse est mal encodée."))?;
        if segment.chars().count() > 200 || segment.chars().any(char::is_control) {
            return Err(Problem::not_found(
                "Aucune ressource publique ne porte cet identifiant.",
            ));
        }
        Ok(match segment.parse::<i64>() {
            Ok(id) => Self::Id(id),
            Err(_) => Self::Slug(segment),
        })
    }
}

/// The public item the path names, for the single-item routes: its slug
/// (`slug_of` when given its number), then what `lookup` finds for that
/// slug, run as `caller`.
pub async fn resolve<T, S, L>(
    state: &ApiState,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    slug_of: impl FnOnce(PgPool, i64) -> S,
    lookup: impl FnOnce(PgPool, String) -> L,
) -> Result<T, Problem>
where
    S: Future<Output = Result<String, AppError>>,
    L: Future<Output = Result<T, AppError>>,
{
    let key = Key::from_path(path)?;
    let pool = state.reads(&caller);
    let found = caller
        .run_public(state, || async move {
            let slug = match key {
                Key::Id(id) => slug_of(pool.clone(), id).await?,
                Key::Slug(slug) => slug,
            };
            lookup(pool, slug).await
        })
        .await?;
    Ok(found)
}

/// A listing found, or `gone` (410) once archived.
pub fn found<T>(lookup: Lookup<T>, gone: &str) -> Result<T, Problem> {
    match lookup {
        Lookup::Found(item) => Ok(*item),
        Lookup::Gone { .. } => Err(Problem::gone(gone)),
    }
}

/// Une facette de la recherche, comme la page la montre : chaque valeur
/// avec le nombre de résultats qu'un clic sur elle donnerait.
#[derive(Debug, Serialize, ToSchema)]
pub struct Facet {
    /// Le paramètre qui filtre dessus (`contrat`, `region`…).
    pub key: String,
    /// Son nom.
    pub label: String,
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    /// La valeur du paramètre qui la choisit.
    pub value: String,
    pub label: String,
    /// Résultats avec cette valeur et tous les autres filtres de la recherche.
    #[schema(minimum = 0)]
    pub count: i64,
    /// Si la recherche filtre dessus.
    pub selected: bool,
}

impl From<app::ui::search::Facet> for Facet {
    fn from(facet: app::ui::search::Facet) -> Self {
        Self {
            key: facet.key,
            label: facet.label,
            values: facet
                .values
                .into_iter()
                .map(|value| FacetValue {
                    value: value.value,
                    label: value.label,
                    count: value.count,
                    selected: value.selected,
                })
                .collect(),
        }
    }
}

/// The `/api/v1` router, to nest at that path.
pub fn router(state: &AppState) -> Router {
    let config = &state.config;
    let tokens = tokens::keys(config);
    let api = ApiState {
        pool: state.pool.clone(),
        replica: state.replica.clone(),
        searches: state.searches.clone(),
        cursors: Cursors::new(&config.session_key),
        base_url: config.base_url(),
        tokens: tokens.clone(),
        mailer: state.mailer.clone(),
        storage: state.storage.clone(),
        docs: Arc::new(openapi::Built::new(&openapi::stylesheet_href(
            &state.leptos_options,
        ))),
    };
    let routes = Router::new()
        .route("/", get(openapi::page))
        .route("/docs", get(openapi::page))
        .route("/openapi.json", get(openapi::document))
        .route("/offres", get(offers::search))
        .route("/offres/{id}", get(offers::one))
        .route("/formations", get(trainings::search))
        .route("/formations/{id}", get(trainings::one))
        .route("/centres", get(organisations::centres))
        .route("/centres/{id}", get(organisations::centre))
        .route("/entreprises", get(organisations::companies))
        .route("/entreprises/{id}", get(organisations::company))
        .route("/communes", get(communes::lookup))
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/revoke", post(oauth::revoke))
        .route(
            "/entreprise/offres",
            get(company::offers).post(company::create_offer),
        )
        .route(
            "/entreprise/offres/{id}",
            get(company::offer).patch(company::update_offer),
        )
        .route(
            "/entreprise/offres/{id}/publication",
            post(company::publish_offer),
        )
        .route(
            "/entreprise/offres/{id}/cloture",
            post(company::close_offer),
        )
        .route("/entreprise/candidatures", get(company::applications))
        .route("/entreprise/candidatures/{id}", get(company::application))
        .route(
            "/entreprise/candidatures/{id}/statut",
            post(company::move_application),
        )
        .route(
            "/entreprise/candidatures/{id}/cv",
            get(company::application_cv),
        )
        .route(
            "/centre/formations",
            get(centre::trainings_list).post(centre::create_training),
        )
        .route(
            "/centre/formations/{id}",
            get(centre::training).patch(centre::update_training),
        )
        .route(
            "/centre/formations/{id}/publication",
            post(centre::publish_training),
        )
        .route(
            "/centre/formations/{id}/sessions",
            post(centre::add_session),
        )
        .route(
            "/centre/sessions/{id}",
            patch(centre::update_session).delete(centre::delete_session),
        )
        .route("/centre/inscriptions", get(centre::enrolments_list))
        .route(
            "/centre/inscriptions/{id}/decision",
            post(centre::decide_enrolment),
        )
        .merge(me::routes(config))
        .fallback(problem::no_such_route)
        .method_not_allowed_fallback(problem::wrong_method)
        .with_state(api)
        // Listed innermost first. A panic is a 500 problem, with the quota's
        // and CORS's headers (the site's panic page is HTML).
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            problem::panicked,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits::Quotas::new(config, tokens),
            limits::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(config.trusted_proxies.clone()),
            crate::client_ip::layer,
        ));
    // CORS answers preflights before the quota counts anything, and its
    // headers are on the 429s too; an OPTIONS that is no preflight goes
    // around it, straight to the routes (a 405 with their `Allow`).
    routes
        .clone()
        .layer(limits::cors(config))
        .layer(axum::middleware::from_fn_with_state(
            routes,
            limits::only_preflights,
        ))
}
