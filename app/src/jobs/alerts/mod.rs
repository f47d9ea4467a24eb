//! Saved searches with e-mail alerts: a candidate keeps an `/offres` or a
//! `/formations` search and gets a daily or weekly digest of its new offers
//! or trainings (sent by the worker), with a one-click unsubscribe link.

#[cfg(feature = "ssr")]
pub mod ssr;

use crate::{
    base::error::AppError,
    base::seo::Seo,
    candidates::dashboard_data,
    identity::auth::pages::{access_error, protected},
    identity::users::Role,
    jobs::{CONTRACTS, EXPERIENCE, POSTED_WITHIN, REMOTE_MODES, label_of},
    trainings::{DURATION_BANDS, MODALITIES, PRICE_BANDS, START_BANDS, level_label},
    ui::form::{FormError, action_error},
    ui::search::{Scope, SearchQuery},
};
#[cfg(feature = "ssr")]
use crate::{
    candidates::ssr::DashboardPage,
    identity::auth::{Permission, ssr::with_permission},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// Saved searches one user may keep.
pub const MAX_SAVED_SEARCHES: i64 = 20;
pub const MAX_LABEL: usize = 200;

pub const FREQUENCIES: [(&str, &str); 3] = [
    ("daily", "Chaque jour"),
    ("weekly", "Chaque semaine"),
    ("none", "Jamais (alerte en pause)"),
];

/// `saved_searches.scope`: the list an alert searches (its CHECK
/// constraint lists the same values).
pub fn scope_key(scope: Scope) -> &'static str {
    match scope {
        Scope::Offers => "offers",
        Scope::Trainings => "trainings",
    }
}

/// A stored `scope` back as the list it names.
pub fn scope_of(key: &str) -> Scope {
    if key == scope_key(Scope::Trainings) {
        Scope::Trainings
    } else {
        Scope::Offers
    }
}

/// What a list's alerts send: "offres", "formations".
fn items(scope: Scope) -> &'static str {
    match scope {
        Scope::Offers => "offres",
        Scope::Trainings => "formations",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub id: i64,
    /// `/offres` or `/formations`.
    pub scope: Scope,
    pub label: String,
    /// The list's query string, without `?`.
    pub query: String,
    pub frequency: String,
    /// ISO date.
    pub created_on: String,
}

impl SavedSearch {
    pub fn href(&self) -> String {
        let path = self.scope.path();
        if self.query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", self.query)
        }
    }
}

/// The "create an alert" form of a `/formations` search, for the catalogue
/// page (which takes it as a parameter).
pub fn training_alert_form(query: String) -> AnyView {
    view! { <SaveSearchForm scope=crate::ui::search::Scope::Trainings query/> }.into_any()
}

/// What an unsubscribe link shows before the click.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeInfo {
    pub label: String,
    pub unsubscribed: bool,
}

/// A French name for a search: "soudeur · CDI · Lyon", "développeur web ·
/// À distance · Éligible au CPF".
pub fn summary(query: &SearchQuery) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !query.q.is_empty() {
        parts.push(query.q.clone());
    }
    match query.scope {
        Scope::Offers => offer_parts(query, &mut parts),
        Scope::Trainings => training_parts(query, &mut parts),
    }
    if !query.lieu.is_empty() {
        parts.push(query.lieu.clone());
    }
    if !query.facet("departement").is_empty() {
        parts.push(format!("Département {}", query.facet("departement")));
    }
    if !query.facet("region").is_empty() {
        parts.push(format!("Région {}", query.facet("region")));
    }
    let summary = if parts.is_empty() {
        format!("Toutes les {}", items(query.scope))
    } else {
        parts.join(" · ")
    };
    summary.chars().take(MAX_LABEL).collect()
}

fn offer_parts(query: &SearchQuery, parts: &mut Vec<String>) {
    for (key, list) in [
        ("contrat", &CONTRACTS[..]),
        ("teletravail", &REMOTE_MODES[..]),
        ("experience", &EXPERIENCE[..]),
    ] {
        let value = query.facet(key);
        if !value.is_empty() {
            parts.push(label_of(list, value));
        }
    }
    if let Ok(floor) = query.facet("salaire").parse::<i32>() {
        parts.push(format!(
            "{} par an et plus",
            crate::trainings::price_label(floor.saturating_mul(100))
        ));
    }
    if let Some((_, label, _)) = POSTED_WITHIN
        .iter()
        .find(|(value, _, _)| *value == query.facet("publiee"))
    {
        parts.push((*label).to_owned());
    }
}

/// The catalogue's facets, in the page's order, as its facet blocks name them.
fn training_parts(query: &SearchQuery, parts: &mut Vec<String>) {
    let modality = query.facet("modalite");
    if !modality.is_empty() {
        parts.push(label_of(&MODALITIES, modality));
    }
    match query.facet("cpf") {
        "oui" => parts.push("Éligible au CPF".to_owned()),
        "non" => parts.push("Non éligible au CPF".to_owned()),
        _ => {}
    }
    if let Ok(level) = query.facet("niveau").parse::<i16>() {
        parts.push(level_label(level));
    }
    for (key, list) in [
        ("duree", &DURATION_BANDS[..]),
        ("prix", &PRICE_BANDS[..]),
        ("debut", &START_BANDS[..]),
    ] {
        let value = query.facet(key);
        if !value.is_empty() {
            parts.push(label_of(list, value));
        }
    }
}

fn frequency_label(frequency: &str) -> String {
    crate::trainings::label_of(&FREQUENCIES, frequency)
}

/// The candidate's alerts page.
#[cfg(feature = "ssr")]
const MY_ALERTS: DashboardPage = DashboardPage {
    permission: Permission::ApplicationCreate,
    path: "/tableau-de-bord/alertes",
};

/// A candidate saves the current search (`query` without `?`) of `scope`:
/// `offers` (the default) or `trainings`.
#[server(prefix = "/api", endpoint = "alertes/enregistrer")]
pub async fn save_search(
    query: String,
    #[server(default)] label: String,
    frequency: String,
    #[server(default)] scope: String,
) -> Result<i64, AppError> {
    MY_ALERTS
        .action(|pool, user| async move {
            // Digests go to this address: it must be the user's.
            crate::identity::auth::ssr::require_verified(&user)?;
            let scope = ssr::parse_scope(&scope)?;
            ssr::save(&pool, &user, scope, &query, &label, &frequency).await
        })
        .await
}

#[server(prefix = "/api", endpoint = "alertes/mes-alertes")]
pub async fn my_saved_searches() -> Result<Vec<SavedSearch>, AppError> {
    with_permission(Permission::ApplicationCreate, |pool, user| async move {
        ssr::list(&pool, user.id).await
    })
    .await
}

/// `frequency`: daily, weekly or none (paused).
#[server(prefix = "/api", endpoint = "alertes/frequence")]
pub async fn set_alert_frequency(id: i64, frequency: String) -> Result<(), AppError> {
    MY_ALERTS
        .action(
            |pool, user| async move { ssr::set_frequency(&pool, user.id, id, &frequency).await },
        )
        .await
}

#[server(prefix = "/api", endpoint = "alertes/supprimer")]
pub async fn delete_saved_search(id: i64) -> Result<(), AppError> {
    MY_ALERTS
        .action(|pool, user| async move { ssr::delete(&pool, user.id, id).await })
        .await
}

/// The alert an unsubscribe link points at (no sign-in: the token is the key).
#[server(prefix = "/api", endpoint = "alertes/desabonnement/info")]
pub async fn alert_by_token(token: String) -> Result<UnsubscribeInfo, AppError> {
    crate::base::db::with_pool(|pool| async move { ssr::by_token(&pool, &token).await }).await
}

/// The confirmation button of the unsubscribe page. Mail clients' one-click
/// POST (RFC 8058) goes to the link itself, handled by the server's router.
#[server(prefix = "/api", endpoint = "alertes/desabonner")]
pub async fn unsubscribe(token: String) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        ssr::unsubscribe(&pool, &token).await?;
        crate::base::forms::redirect_plain_form(&format!(
            "/alertes/desabonnement?jeton={}",
            crate::ui::search::encode_component(&token)
        ));
        Ok(())
    })
    .await
}

/// "Créer une alerte" on `/offres` and `/formations`: a visitor is sent to
/// sign in, a candidate names the alert and picks its frequency. `query` is
/// the current query string of `scope` (`q=soudeur&contrat=cdi`).
#[component]
pub fn SaveSearchForm(scope: Scope, query: String) -> impl IntoView {
    let viewer = Resource::new(|| (), |_| crate::identity::auth::current_user());
    let action = ServerAction::<SaveSearch>::new();
    let error = action_error(action);
    let parsed = SearchQuery::parse_in(scope, &query);
    let label = summary(&parsed);
    let items = items(scope);
    let back = crate::ui::search::encode_component(&parsed.with_page(0).href());
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <Transition fallback=|| ()>
            {move || viewer.get().map(|user| match user {
                Ok(Some(user)) if user.role == Role::Candidate => {
                    let (query, label) = (query.clone(), label.clone());
                    view! {
                        <details class="rounded-xl border border-slate-200 bg-slate-50 p-4" data-save-search="">
                            <summary class="cursor-pointer font-semibold text-brand-800">"Créer une alerte e-mail pour cette recherche"</summary>
                            <Show
                                when=saved
                                fallback=move || {
                                    let (query, label) = (query.clone(), label.clone());
                                    view! {
                                        <ActionForm action attr:class="mt-3 space-y-3">
                                            <input type="hidden" name="query" value=query/>
                                            <input type="hidden" name="scope" value=scope_key(scope)/>
                                            <div>
                                                <label for="alerte-nom" class="block text-sm font-semibold">"Nom de l'alerte"</label>
                                                <input id="alerte-nom" name="label" type="text" maxlength="200" value=label
                                                    class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2"/>
                                                <p class="mt-1 text-sm font-semibold text-red-800">{move || error.get().and_then(|e| e.for_field("label"))}</p>
                                            </div>
                                            <div>
                                                <label for="alerte-frequence" class="block text-sm font-semibold">{format!("Recevoir les nouvelles {items}")}</label>
                                                <select id="alerte-frequence" name="frequency" class="mt-1 block rounded-lg border border-slate-400 bg-white px-3 py-2">
                                                    <option value="daily" selected=true>"Chaque jour"</option>
                                                    <option value="weekly">"Chaque semaine"</option>
                                                </select>
                                            </div>
                                            <FormError error fields=&["label"]/>
                                            <button type="submit" class="btn-primary">"Créer l'alerte"</button>
                                        </ActionForm>
                                    }
                                }
                            >
                                <p class="mt-3 font-semibold text-emerald-800" role="status">
                                    "Alerte créée. " <a href="/tableau-de-bord/alertes" class="underline">"Gérer mes alertes"</a>
                                </p>
                            </Show>
                        </details>
                    }
                    .into_any()
                }
                // Recruiters, centres and staff have no alerts.
                Ok(Some(_)) => ().into_any(),
                _ => view! {
                    <p class="text-sm text-slate-700" data-save-search="">
                        <a href=format!("/connexion?suivant={back}") class="font-semibold text-brand-800 underline">
                            {format!("Connectez-vous pour recevoir ces {items} par e-mail")}
                        </a>
                    </p>
                }
                .into_any(),
            })}
        </Transition>
    }
}

/// `/tableau-de-bord/alertes`: the candidate's saved searches.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let change = ServerAction::<SetAlertFrequency>::new();
    let delete = ServerAction::<DeleteSavedSearch>::new();
    let searches = dashboard_data([change.version(), delete.version()], my_saved_searches);
    view! {
        <Seo title="Mes alertes" description="Mes recherches d'offres et de formations sauvegardées et leurs alertes e-mail." path="/tableau-de-bord/alertes" noindex=true/>
        <section class="mx-auto max-w-4xl px-4 py-10 sm:px-6">
            <h1 class="text-3xl font-extrabold text-slate-900">"Mes alertes"</h1>
            <p class="mt-2 text-slate-700">"Les nouvelles offres ou formations de chaque recherche vous sont envoyées par e-mail ("
                {MAX_SAVED_SEARCHES} " alertes au plus)."</p>
            <FormError error=action_error(change) fields=&[]/>
            <FormError error=action_error(delete) fields=&[]/>
            {protected(searches, move |list| if list.is_empty() {
                view! {
                    <p class="mt-6 text-slate-700">"Aucune alerte pour l'instant. Cherchez des "
                        <a href="/offres" class="text-brand-700 underline">"offres d'emploi"</a> " ou des "
                        <a href="/formations" class="text-brand-700 underline">"formations"</a>
                        " puis cliquez sur « Créer une alerte »."</p>
                }.into_any()
            } else {
                view! {
                    <ul class="mt-6 space-y-4">
                        {list.into_iter().map(|search| {
                            let field = format!("frequence-{}", search.id);
                            let href = search.href();
                            let (change_label, delete_label) = (search.label.clone(), search.label.clone());
                            view! {
                                <li class="card" data-alert=search.id data-alert-scope=scope_key(search.scope)>
                                    // What it watches, before its name: both lists' alerts share the page.
                                    <p class="text-xs font-bold uppercase tracking-wide text-brand-800">{search.scope.name()}</p>
                                    <h2 class="text-lg font-bold"><a href=href class="hover:underline">{search.label.clone()}</a></h2>
                                    <p class="text-sm text-slate-700">
                                        {frequency_label(&search.frequency)} " · créée le " {crate::base::format::french_date(&search.created_on)}
                                    </p>
                                    <div class="mt-3 flex flex-wrap items-end gap-3">
                                        <ActionForm action=change attr:class="flex items-end gap-2">
                                            <input type="hidden" name="id" value=search.id/>
                                            <div>
                                                <label for=field.clone() class="block text-sm font-semibold">"Fréquence"</label>
                                                <select id=field name="frequency" class="rounded-lg border border-slate-400 bg-white px-3 py-2">
                                                    {FREQUENCIES.iter().map(|(value, name)| view! {
                                                        <option value=*value selected=search.frequency == *value>{*name}</option>
                                                    }).collect_view()}
                                                </select>
                                            </div>
                                            <button type="submit" class="btn-secondary">"Modifier"<span class="sr-only">" : " {change_label}</span></button>
                                        </ActionForm>
                                        <ActionForm action=delete>
                                            <input type="hidden" name="id" value=search.id/>
                                            <button type="submit" class="btn-ghost text-red-800">"Supprimer"<span class="sr-only">" : " {delete_label}</span></button>
                                        </ActionForm>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

/// `/alertes/desabonnement?jeton=…`: the link in every digest. It asks
/// before unsubscribing (link scanners follow GET links).
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let query = use_query_map();
    let token = Memo::new(move |_| query.read().get("jeton").unwrap_or_default());
    let action = ServerAction::<Unsubscribe>::new();
    let info = Resource::new(
        move || (token.get(), action.version().get()),
        |(token, _)| alert_by_token(token),
    );
    let error = action_error(action);
    view! {
        <Seo title="Se désabonner d'une alerte" description="Arrêter les e-mails d'une alerte d'offres d'emploi ou de formations." path="/alertes/desabonnement" noindex=true/>
        <section class="mx-auto max-w-2xl px-4 py-16 sm:px-6">
            <h1 class="text-3xl font-extrabold text-slate-900">"Se désabonner d'une alerte"</h1>
            <Suspense fallback=|| view! { <p class="mt-6" aria-busy="true">"Chargement…"</p> }>
                {move || info.get().map(|result| match result {
                    Ok(info) if info.unsubscribed => view! {
                        <p class="mt-6 rounded-lg bg-emerald-50 p-4 font-semibold text-emerald-900" role="status">
                            "C'est fait : vous ne recevrez plus l'alerte « " {info.label} " ». "
                        </p>
                        <p class="mt-4 text-slate-700">"Vous pouvez la réactiver depuis "
                            <a href="/tableau-de-bord/alertes" class="text-brand-700 underline">"vos alertes"</a> "."</p>
                    }.into_any(),
                    Ok(info) => view! {
                        <p class="mt-6 text-slate-700">"Vous ne recevrez plus les e-mails de l'alerte « " {info.label} " »."</p>
                        <ActionForm action attr:class="mt-4">
                            <input type="hidden" name="token" value=token.get_untracked()/>
                            <button type="submit" class="btn-primary">"Confirmer le désabonnement"</button>
                        </ActionForm>
                        <FormError error fields=&[]/>
                    }.into_any(),
                    Err(AppError::NotFound) => {
                        crate::ui::errors::set_page_status(http::StatusCode::NOT_FOUND);
                        view! {
                            <p class="mt-6 rounded-lg bg-amber-50 p-4 font-semibold text-amber-900" role="alert">
                                "Ce lien de désabonnement n'est pas valable : l'alerte a peut-être été supprimée. "
                                "Gérez vos alertes depuis votre compte."
                            </p>
                        }.into_any()
                    }
                    Err(other) => access_error(other),
                })}
            </Suspense>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_french_and_bounded() {
        let query =
            SearchQuery::parse("q=soudeur&contrat=cdi&teletravail=hybride&lieu=Lyon&page=3");
        assert_eq!(summary(&query), "soudeur · CDI · Hybride · Lyon");
        assert_eq!(summary(&SearchQuery::parse("")), "Toutes les offres");
        let training = SearchQuery::parse_in(
            Scope::Trainings,
            "q=d%C3%A9veloppeur+web&modalite=distanciel&cpf=oui&niveau=5&contrat=cdi&lieu=Lyon",
        );
        assert_eq!(
            summary(&training),
            "développeur web · À distance · Éligible au CPF · Niveau 5 · Lyon"
        );
        assert_eq!(
            summary(&SearchQuery::new(Scope::Trainings)),
            "Toutes les formations"
        );
        let long = format!("q={}", "a".repeat(500));
        assert_eq!(
            summary(&SearchQuery::parse(&long)).chars().count(),
            MAX_LABEL
        );
    }

    #[test]
    fn scopes_round_trip_through_their_stored_names() {
        for scope in [Scope::Offers, Scope::Trainings] {
            assert_eq!(scope_of(scope_key(scope)), scope);
        }
    }
}
