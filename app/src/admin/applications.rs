//! `/admin/applications`: the apps that may act for users through
//! `/api/v1` (the mobile app, partners' services). An admin registers one
//! (its redirect URIs, the scopes it may ask for, public or confidential),
//! sees a confidential app's secret once, and revokes an app with every
//! access its users gave it. Each change is journaled.

use super::AdminFrame;
#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::{
    base::error::AppError,
    identity::{
        auth::pages::protected,
        oauth::{NewOAuthApp, OAuthAppInput, OAuthAppRow, SCOPES},
    },
    ui::form::{FormEnd, InputField, action_error, reloaded_after},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationsPage {
    pub apps: Vec<OAuthAppRow>,
    /// The app a plain form (JavaScript off) has just registered, with its
    /// secret: on this one answer, then gone from the session.
    pub created: Option<NewOAuthApp>,
}

/// The session key of an app just registered by a plain form.
#[cfg(feature = "ssr")]
const CREATED_KEY: &str = "fresh_oauth_app";

/// The page's address.
const PATH: &str = "/admin/applications";

/// Every registered app.
#[server(prefix = "/api", endpoint = "admin/applications")]
pub async fn oauth_apps() -> Result<ApplicationsPage, AppError> {
    with_permission(Permission::UserManage, |pool, _| async move {
        Ok(ApplicationsPage {
            apps: crate::identity::oauth::ssr::list_apps(&pool).await?,
            created: crate::identity::auth::ssr::take_once(CREATED_KEY).await?,
        })
    })
    .await
}

/// Registers an app: a confidential one's secret is in this answer only
/// (or, for a plain form, on the page it comes back to, once).
#[server(prefix = "/api", endpoint = "admin/applications/creer")]
pub async fn create_oauth_app(input: OAuthAppInput) -> Result<NewOAuthApp, AppError> {
    with_permission(Permission::UserManage, |pool, admin| async move {
        let spec = crate::identity::oauth::ssr::AppSpec::parse(&input)?;
        let created = crate::identity::oauth::ssr::create_app(&pool, Some(&admin), &spec).await?;
        if crate::base::forms::is_plain_form_post() {
            crate::identity::auth::ssr::stash_once(CREATED_KEY, &created).await?;
            crate::base::forms::redirect_plain_form(PATH);
        }
        Ok(created)
    })
    .await
}

/// Revokes app `id`: every access its users gave it ends at once.
#[server(prefix = "/api", endpoint = "admin/applications/revoquer")]
pub async fn revoke_oauth_app(id: i64) -> Result<(), AppError> {
    with_permission(Permission::UserManage, |pool, admin| async move {
        crate::identity::oauth::ssr::revoke_app(&pool, &admin, id).await?;
        crate::base::forms::redirect_plain_form(PATH);
        Ok(())
    })
    .await
}

/// `/admin/applications`.
#[component]
pub fn AdminApplicationsPage() -> impl IntoView {
    let create = ServerAction::<CreateOauthApp>::new();
    let revoke = ServerAction::<RevokeOauthApp>::new();
    let apps = reloaded_after([create.version(), revoke.version()], oauth_apps);
    let error = action_error(create);
    // The secret lives in this action's value only (or, without JavaScript,
    // in the one answer of the list after the form's redirect).
    let created = move || create.value().get().and_then(Result::ok);
    let scopes_error = move || error.get().and_then(|e| e.for_field("scopes"));
    view! {
        <AdminFrame title="Applications" description="Les applications qui agissent pour les utilisateurs par l'API."
            path=PATH heading="Applications">
            <p class="mt-2 text-slate-700">
                "Une application (l'application mobile, le service d'un partenaire) agit pour un utilisateur qui y consent sur "
                <code>"/oauth/autoriser"</code> " (OAuth 2.1, code d'autorisation avec PKCE). "
                <a class="text-brand-700 underline" href="/api/v1/docs">"Documentation de l'API"</a>
            </p>
            {move || created().map(|new| view! { <NewApp new/> })}
            <h2 class="mt-8 text-xl font-bold text-slate-900">"Enregistrer une application"</h2>
            <ActionForm action=create attr:novalidate=true attr:class="card mt-4 space-y-4">
                <InputField label="Nom (montré aux utilisateurs)" key="name" value="" error/>
                <InputField label="Adresses de retour, une par ligne" key="redirect_uris" value="" error multiline=true
                    help="https://…, http://127.0.0.1:port/… pour une application sur ordinateur, ou un schéma propre à l'application (fr.exemple.app:/retour). Comparées telles quelles."/>
                <fieldset>
                    <legend class="text-sm font-semibold text-slate-900">"Portées qu'elle peut demander"</legend>
                    <div class="mt-2 space-y-2">
                        {SCOPES.iter().map(|(name, label)| view! {
                            <label class="flex items-start gap-2 text-sm text-slate-900">
                                <input type="checkbox" name="input[scopes][]" value=*name class="mt-0.5 h-5 w-5"/>
                                <span><code>{*name}</code> " : " {*label}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    <p class="mt-1 text-sm font-semibold text-red-800">{scopes_error}</p>
                </fieldset>
                <label class="flex items-start gap-2 text-sm text-slate-900">
                    <input type="checkbox" name="input[confidential]" value="on" class="mt-0.5 h-5 w-5"/>
                    "Application confidentielle : un serveur qui garde un secret (une application mobile ou de bureau est publique)."
                </label>
                <FormEnd error fields=&["name", "redirect_uris", "scopes"] label="Enregistrer l'application" class="btn-primary"
                    succeeded=move || created().is_some() done="Application enregistrée."/>
            </ActionForm>
            <h2 class="mt-8 text-xl font-bold text-slate-900">"Applications enregistrées"</h2>
            {protected(apps, move |page| view! {
                {page.created.map(|new| view! { <NewApp new/> })}
                {if page.apps.is_empty() {
                    view! { <p class="mt-4 text-slate-700">"Aucune application pour l'instant."</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-4 space-y-3">
                            {page.apps.into_iter().map(|app| view! { <AppCard app revoke/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            })}
        </AdminFrame>
    }
}

/// One registered app, with its revocation button while it is active.
#[component]
fn AppCard(app: OAuthAppRow, revoke: ServerAction<RevokeOauthApp>) -> impl IntoView {
    let kind = if app.confidential {
        "confidentielle"
    } else {
        "publique"
    };
    view! {
        <li class="card" data-app=app.client_id.clone()>
            <p class="font-bold">{app.name.clone()} <span class="ml-2 text-sm font-normal text-slate-700">{kind}</span></p>
            <p class="text-sm text-slate-700"><code class="break-all">{app.client_id.clone()}</code> " · " {app.scopes.join(", ")}</p>
            <ul class="mt-1 text-sm text-slate-700">
                {app.redirect_uris.iter().map(|uri| view! { <li><code class="break-all">{uri.clone()}</code></li> }).collect_view()}
            </ul>
            <p class="text-sm text-slate-700">
                "Enregistrée le " {app.created_at.clone()}
                {app.created_by.clone().map(|by| format!(" par {by}"))}
                {format!(" · {} accès ouvert(s)", app.families)}
            </p>
            {match app.revoked_at.clone() {
                Some(at) => view! { <p class="text-sm font-semibold text-red-800">"Révoquée le " {at}</p> }.into_any(),
                None => view! {
                    <ActionForm action=revoke attr:class="mt-2">
                        <input type="hidden" name="id" value=app.id/>
                        <button type="submit" class="btn-secondary">"Révoquer"<span class="sr-only">" " {app.name.clone()}</span></button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}

/// An app just registered, with its secret if it has one: shown this once.
#[component]
fn NewApp(new: NewOAuthApp) -> impl IntoView {
    view! {
        <div class="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950" role="status" data-new-app="">
            <p class="font-semibold">{format!("Application « {} » enregistrée.", new.name)}</p>
            <p class="mt-2">"Identifiant (client_id) : " <code class="break-all" data-client-id="">{new.client_id}</code></p>
            {new.secret.map(|secret| view! {
                <p class="mt-1 font-semibold">"Copiez son secret maintenant : il ne sera plus jamais affiché."</p>
                <p class="mt-1">"Secret : " <code class="break-all" data-secret="">{secret}</code></p>
            })}
        </div>
    }
}
