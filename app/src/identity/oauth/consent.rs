//! `/oauth/autoriser`: where an app sends a user to ask for access (OAuth
//! 2.1 authorisation request, PKCE S256 only). The page names the app and
//! each scope it asks for; "Autoriser" gives the app a one-minute code at
//! its redirect URI, "Refuser" sends it `access_denied`. The page does not
//! hydrate: its one form posts without JavaScript, and its server function
//! checks the whole request again.

use crate::{
    base::error::AppError,
    base::seo::Seo,
    identity::auth::{self, pages::access_error},
    ui::{
        errors::set_page_status,
        form::{FormError, action_error},
    },
};
use leptos::prelude::*;
use leptos_router::{
    components::Redirect,
    hooks::{use_location, use_query_map},
};
use serde::{Deserialize, Serialize};

/// The page's address.
pub const PATH: &str = "/oauth/autoriser";

/// The query of an authorisation request (RFC 6749 §4.1.1, RFC 7636 §4.3),
/// as given: each parameter may be missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeQuery {
    #[serde(default)]
    pub response_type: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub redirect_uri: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub code_challenge: Option<String>,
    #[serde(default)]
    pub code_challenge_method: Option<String>,
}

impl AuthorizeQuery {
    /// The query's parameters as the form posts them back (`query[…]`).
    fn fields(&self) -> Vec<(&'static str, String)> {
        [
            ("response_type", &self.response_type),
            ("client_id", &self.client_id),
            ("redirect_uri", &self.redirect_uri),
            ("scope", &self.scope),
            ("state", &self.state),
            ("code_challenge", &self.code_challenge),
            ("code_challenge_method", &self.code_challenge_method),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.clone().map(|value| (name, value)))
        .collect()
    }
}

/// A request to put to the user, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentAsk {
    pub app_name: String,
    /// (scope, what it allows), as asked.
    pub scopes: Vec<(String, String)>,
    /// The request, its values checked, for the form to post back.
    pub query: AuthorizeQuery,
    #[serde(skip)]
    pub app_id: i64,
    /// The CSP source of the redirect URI (see [`super::FORM_ACTION_HEADER`]).
    #[serde(skip)]
    pub form_action: String,
    /// Who is asked.
    pub user_email: String,
}

/// What the page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentAnswer {
    Ask(Box<ConsentAsk>),
    /// Not sent back to an app that cannot be trusted with it: said here.
    Refused(String),
    /// The app is told of the error at this address.
    Redirect(String),
}

/// The consent page's request, checked: the app and its redirect URI, then
/// the rest (an error the app is told at its redirect URI). Only a request
/// to ask needs a signed-in user.
#[server(prefix = "/api", endpoint = "oauth/demande")]
pub async fn consent_request(query: AuthorizeQuery) -> Result<ConsentAnswer, AppError> {
    use super::ssr::{Checked, check};
    crate::base::db::with_pool(|pool| async move {
        Ok(match check(&pool, &query).await? {
            Checked::Ask(mut request) => {
                let user = auth::ssr::require_user(&pool).await?;
                request.user_email = user.email;
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
                    && let Ok(source) = http::HeaderValue::from_str(&request.form_action)
                {
                    // The answer to the form redirects to the app: the
                    // page's policy must let the form go there.
                    response.insert_header(
                        http::HeaderName::from_static(super::FORM_ACTION_HEADER),
                        source,
                    );
                }
                ConsentAnswer::Ask(request)
            }
            Checked::Refused(why) => ConsentAnswer::Refused(why),
            Checked::Redirect(to) => ConsentAnswer::Redirect(to),
        })
    })
    .await
}

/// The user's answer: "autoriser" gives the app a code at its redirect URI,
/// anything else sends it `access_denied`. The request is checked again
/// (the form's fields come from the browser).
#[server(prefix = "/api", endpoint = "oauth/autoriser")]
pub async fn decide_consent(query: AuthorizeQuery, decision: String) -> Result<(), AppError> {
    use super::ssr::{Checked, check, code_redirect, error_redirect, issue_code};
    auth::ssr::with_user(|pool, user| async move {
        let to = match check(&pool, &query).await? {
            Checked::Refused(why) => return Err(AppError::invalid("client_id", &why)),
            Checked::Redirect(to) => to,
            Checked::Ask(request) => {
                let redirect_uri = request.query.redirect_uri.clone().unwrap_or_default();
                let state = request.query.state.as_deref();
                if decision == "autoriser" {
                    let code = issue_code(&pool, &user, &request).await?;
                    code_redirect(&redirect_uri, &code, state)
                } else {
                    error_redirect(
                        &redirect_uri,
                        "access_denied",
                        "L'utilisateur a refusé l'accès.",
                        state,
                    )
                }
            }
        };
        go_to_app(&to)
    })
    .await
}

/// Sends the browser to the app (a 302 for a page or a plain form).
#[cfg(feature = "ssr")]
fn go_to_app(to: &str) -> Result<(), AppError> {
    // `redirect` panics on a value that is no header: refuse it first.
    http::HeaderValue::from_str(to).map_err(|_| AppError::Internal)?;
    leptos_axum::redirect(to);
    Ok(())
}

/// The page's query as the request to check.
fn read_query(query: &leptos_router::params::ParamsMap) -> AuthorizeQuery {
    let get = |name: &str| query.get(name);
    AuthorizeQuery {
        response_type: get("response_type"),
        client_id: get("client_id"),
        redirect_uri: get("redirect_uri"),
        scope: get("scope"),
        state: get("state"),
        code_challenge: get("code_challenge"),
        code_challenge_method: get("code_challenge_method"),
    }
}

/// `/oauth/autoriser`.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let answer = Resource::new(move || read_query(&query.read()), consent_request);
    let action = ServerAction::<DecideConsent>::new();
    let error = action_error(action);
    view! {
        <Seo title="Autoriser une application" description="Autoriser une application à agir pour vous sur Passerelle."
            path=PATH noindex=true/>
        <section class="mx-auto max-w-xl px-4 py-10 sm:px-6">
            <h1 class="text-3xl font-extrabold text-slate-900">"Autoriser une application"</h1>
            <Suspense fallback=|| view! { <p class="mt-6" aria-busy="true">"Chargement…"</p> }>
                {move || answer.get().map(|result| match result {
                    Ok(ConsentAnswer::Ask(request)) => view! { <Ask request=*request action error/> }.into_any(),
                    Ok(ConsentAnswer::Refused(why)) => {
                        set_page_status(http::StatusCode::BAD_REQUEST);
                        view! {
                            <p class="mt-6 rounded-lg bg-amber-50 p-4 font-semibold text-amber-900" role="alert">{why}</p>
                            <p class="mt-4 text-slate-700">"Si vous suiviez un lien d'une application, prévenez son éditeur."</p>
                        }.into_any()
                    }
                    Ok(ConsentAnswer::Redirect(to)) => {
                        #[cfg(feature = "ssr")]
                        let _ = go_to_app(&to);
                        view! {
                            <p class="mt-6"><a class="font-semibold text-brand-800 underline" href=to rel="external">"Retourner à l'application"</a></p>
                        }.into_any()
                    }
                    // Signed in, the user comes back to this very request.
                    Err(AppError::Unauthenticated) if !store_down() => {
                        let here = format!("{}?{}", location.pathname.get_untracked(), location.search.get_untracked());
                        view! { <Redirect path=format!("/connexion?suivant={}", auth::query_value(&here))/> }.into_any()
                    }
                    Err(other) => access_error(other),
                })}
            </Suspense>
        </section>
    }
}

/// Whether this server render found the session store down (then
/// [`access_error`] says so rather than asking to sign in).
fn store_down() -> bool {
    #[cfg(feature = "ssr")]
    {
        auth::ssr::session_store_down()
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The question: the app, what it asks, and the two buttons.
#[component]
fn Ask(
    request: ConsentAsk,
    action: ServerAction<DecideConsent>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let redirect_uri = request.query.redirect_uri.clone().unwrap_or_default();
    view! {
        <p class="mt-6 text-lg text-slate-900">
            "L'application " <strong data-app="">{request.app_name.clone()}</strong>
            " demande à agir pour vous (" <span class="break-words">{request.user_email.clone()}</span> ") sur Passerelle. Elle pourra :"
        </p>
        <ul class="mt-4 list-disc space-y-2 pl-6 text-slate-900" data-testid="scopes">
            {request.scopes.iter().map(|(name, label)| view! {
                <li data-scope=name.clone()>{label.clone()}</li>
            }).collect_view()}
        </ul>
        <p class="mt-4 text-sm text-slate-700">
            "Elle ne connaîtra pas votre mot de passe. Vous pourrez lui retirer cet accès à tout moment dans "
            <a class="font-semibold text-brand-800 underline" href="/compte#securite">"votre compte"</a>
            ", parmi vos sessions actives."
        </p>
        <p class="mt-2 text-sm text-slate-700">
            "Votre réponse sera envoyée à " <code class="break-all">{redirect_uri}</code> "."
        </p>
        <ActionForm action attr:class="mt-6 flex flex-wrap gap-3">
            {request.query.fields().into_iter().map(|(name, value)| view! {
                <input type="hidden" name=format!("query[{name}]") value=value/>
            }).collect_view()}
            <button type="submit" name="decision" value="autoriser" class="btn-primary">"Autoriser"</button>
            <button type="submit" name="decision" value="refuser" class="btn-secondary">"Refuser"</button>
        </ActionForm>
        <div class="mt-3"><FormError error fields=&[]/></div>
    }
}
