//! A candidate's request to an organisation, an application to a company's
//! offer or an enrolment request to a centre's training, is the same thing
//! under two names: the organisation moves it through a pipeline of
//! statuses, the candidate follows it. This module draws what the two share:
//! the candidate's page listing them (`/tableau-de-bord/candidatures`,
//! `/tableau-de-bord/inscriptions`), a request's heading and status badge,
//! the organisation's pipeline page, its columns, step and refusal forms;
//! and, server side, the e-mail sending and the "not yours or not now"
//! answer. Each domain draws its own cards and keeps its own queries and
//! permission checks.

use super::{listing::Loaded, profile::OrgKind};
use crate::{
    base::error::AppError, base::seo::Seo, identity::auth::pages::access_error, ui::form::FormError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A message on a request, from the candidate or the organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub from_organisation: bool,
    pub author: String,
    pub body: String,
    pub at: String,
}

/// A request's messages, oldest first: the organisation's on grey, the
/// candidate's in the brand colour.
pub fn thread(messages: Vec<Message>) -> impl IntoView {
    (!messages.is_empty()).then(|| {
        view! {
            <ol class="mt-3 space-y-2" data-thread="">
                {messages.into_iter().map(|m| view! {
                    <li class=if m.from_organisation { "rounded-lg bg-slate-100 p-3" } else { "rounded-lg bg-brand-50 p-3" } data-message="">
                        <p class="text-xs text-slate-700">{m.author} " · " {m.at}</p>
                        <p class="whitespace-pre-line break-words">{m.body}</p>
                    </li>
                }).collect_view()}
            </ol>
        }
    })
}

/// The fields of the form that writes on request `id` (the domain wraps
/// them in its `ActionForm`); `field` is the textarea's id.
pub fn message_fields(id: i64, field: String) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id/>
        <div class="flex-1">
            <label for=field.clone() class="block text-sm font-semibold">"Écrire un message"</label>
            <textarea id=field name="body" rows="2" required maxlength="2000" class="block w-full rounded-lg border border-slate-400 px-3 py-2"></textarea>
        </div>
        <button type="submit" class="btn-secondary">"Envoyer"</button>
    }
}

/// What the candidate's page says, by the kind of organisation asked.
#[derive(Clone, Copy)]
struct Texts {
    title: &'static str,
    description: &'static str,
    path: &'static str,
    /// The candidate's navigation (profile, applications) heads the page.
    nav: bool,
    /// The class of the "loading" line.
    loading_class: Option<&'static str>,
    empty: &'static str,
    /// Where to find something to ask for: address and link text.
    find: (&'static str, &'static str),
    saved_title: &'static str,
    saved_empty: &'static str,
}

fn texts(kind: OrgKind) -> Texts {
    match kind {
        OrgKind::Centre => Texts {
            title: "Mes inscriptions",
            description: "Suivre mes demandes d'inscription.",
            path: "/tableau-de-bord/inscriptions",
            nav: false,
            loading_class: None,
            empty: "Aucune demande pour l'instant. ",
            find: ("/formations", "Trouver une formation"),
            saved_title: "Formations sauvegardées",
            saved_empty: "Aucune formation sauvegardée.",
        },
        OrgKind::Entreprise => Texts {
            title: "Mes candidatures",
            description: "Suivre mes candidatures aux offres d'emploi.",
            path: "/tableau-de-bord/candidatures",
            nav: true,
            loading_class: Some("mt-6"),
            empty: "Aucune candidature pour l'instant. ",
            find: ("/offres", "Trouver une offre"),
            saved_title: "Offres sauvegardées",
            saved_empty: "Aucune offre sauvegardée.",
        },
    }
}

/// The candidate's page as the domain draws it from what it loaded: one
/// item (`<li>`) a request, and the saved listings (`None`: none saved).
pub struct CandidateRequests {
    pub requests: Vec<AnyView>,
    pub saved: Option<AnyView>,
}

/// The candidate's page: title, the actions' error, the requests, then the
/// saved listings, drawn by `items` from what `data` loaded.
#[component]
pub fn CandidateRequestsPage<D: Loaded, R>(
    kind: OrgKind,
    data: Resource<Result<D, AppError>>,
    #[prop(into)] error: Signal<Option<AppError>>,
    items: R,
) -> impl IntoView
where
    R: Fn(D) -> CandidateRequests + Clone + Send + Sync + 'static,
{
    let texts = texts(kind);
    view! {
        <Seo title=texts.title description=texts.description path=texts.path noindex=true/>
        <section class="mx-auto max-w-5xl px-4 py-10 sm:px-6">
            {texts.nav.then(|| view! { <crate::ui::nav::CandidateNav/> })}
            <h1 class="text-3xl font-extrabold text-slate-900">{texts.title}</h1>
            <FormError error fields=&[]/>
            <Suspense fallback=move || view! { <p class=texts.loading_class aria-busy="true">"Chargement…"</p> }>
                {move || data.get().map(|result| match result {
                    Err(error) => access_error(error).into_any(),
                    Ok(loaded) => {
                        let drawn = items(loaded);
                        view! {
                            {if drawn.requests.is_empty() {
                                view! {
                                    <p class="mt-6 text-slate-700">{texts.empty}
                                        <a href=texts.find.0 class="text-brand-700 underline">{texts.find.1}</a></p>
                                }.into_any()
                            } else {
                                view! { <ul class="mt-6 space-y-4">{drawn.requests}</ul> }.into_any()
                            }}
                            <h2 class="mt-12 text-2xl font-bold text-slate-900">{texts.saved_title}</h2>
                            {match drawn.saved {
                                None => view! { <p class="mt-3 text-slate-700">{texts.saved_empty}</p> }.into_any(),
                                Some(saved) => saved,
                            }}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A request's status as a coloured pill; `tone` is its colour classes.
pub fn status_badge(tone: &str, key: &'static str, label: &'static str) -> impl IntoView + use<> {
    view! {
        <span class=format!("rounded-full px-2.5 py-1 text-xs font-bold {tone}") data-status=key>{label}</span>
    }
}

/// The top line of a request on the candidate's page: what was asked for
/// (a link while its page is public) and the status badge.
pub fn request_heading(title: String, href: Option<String>, badge: impl IntoView) -> impl IntoView {
    view! {
        <div class="flex flex-wrap items-center justify-between gap-2">
            <h2 class="text-lg font-bold">
                {match href {
                    Some(href) => view! { <a href=href class="hover:underline">{title}</a> }.into_any(),
                    None => view! { <span>{title}</span> }.into_any(),
                }}
            </h2>
            {badge}
        </div>
    }
}

/// The organisation's pipeline page: title, the actions' errors (`error`,
/// and `other_error` for a second action), then what `body` draws from what
/// `data` loaded (filters and columns).
#[component]
pub fn PipelinePage<D: Loaded, B>(
    kind: OrgKind,
    data: Resource<Result<D, AppError>>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] other_error: Option<Signal<Option<AppError>>>,
    body: B,
) -> impl IntoView
where
    B: Fn(D) -> AnyView + Clone + Send + Sync + 'static,
{
    let (title, description, path, loading_class) = match kind {
        OrgKind::Centre => (
            "Demandes d'inscription",
            "Traiter les demandes d'inscription.",
            "/tableau-de-bord/demandes",
            None,
        ),
        OrgKind::Entreprise => (
            "Candidatures reçues",
            "Les candidatures aux offres de l'entreprise.",
            "/tableau-de-bord/candidatures-recues",
            Some("mt-6"),
        ),
    };
    view! {
        <Seo title=title description=description path=path noindex=true/>
        <section class="mx-auto max-w-7xl px-4 py-10 sm:px-6">
            {match kind {
                OrgKind::Centre => view! { <crate::ui::nav::CentreNav/> }.into_any(),
                OrgKind::Entreprise => view! { <crate::ui::nav::CompanyNav/> }.into_any(),
            }}
            <h1 class="text-3xl font-extrabold text-slate-900">{title}</h1>
            <FormError error fields=&[]/>
            {other_error.map(|error| view! { <FormError error fields=&[]/> })}
            <Suspense fallback=move || view! { <p class=loading_class aria-busy="true">"Chargement…"</p> }>
                {move || data.get().map(|result| match result {
                    Err(error) => access_error(error).into_any(),
                    Ok(loaded) => body(loaded),
                })}
            </Suspense>
        </section>
    }
}

/// What the pipeline shows: `fetch` of the listing picked in the query
/// (`?offre=ID`, `?formation=ID` by `key`; 0, for all, when absent or not a
/// number), fetched again after each run of one of the page's actions
/// (their `version()`s).
pub fn pipeline_data<D: Loaded, Fut, const N: usize>(
    key: &'static str,
    actions: [RwSignal<usize>; N],
    fetch: impl Fn(i64) -> Fut + Send + Sync + 'static,
) -> Resource<Result<D, AppError>>
where
    Fut: std::future::Future<Output = Result<D, AppError>> + Send + 'static,
{
    let query = leptos_router::hooks::use_query_map();
    let listing = Memo::new(move |_| {
        query
            .read()
            .get(key)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    });
    Resource::new(
        move || (listing.get(), actions.map(|version| version.get())),
        move |(listing, _)| fetch(listing),
    )
}

/// One column of the organisation's pipeline: the status `key`, its title
/// with the count, and the cards. `heading_named` names the column by its
/// heading (`aria-labelledby`) rather than by `aria-label`.
#[component]
pub fn PipelineColumn(
    key: &'static str,
    label: &'static str,
    #[prop(optional)] heading_named: bool,
    cards: Vec<AnyView>,
) -> impl IntoView {
    let heading = heading_named.then(|| format!("colonne-{key}"));
    let labelled_by = heading.clone();
    view! {
        <section class="rounded-xl bg-slate-50 p-3" data-column=key
            aria-label=(!heading_named).then_some(label) aria-labelledby=labelled_by>
            <h2 id=heading class="text-sm font-bold uppercase tracking-wide text-slate-700">
                {label} " (" {cards.len()} ")"
            </h2>
            <ul class="mt-3 space-y-3">{cards}</ul>
        </section>
    }
}

/// The fields of the one-button form that moves request `id` to `status`
/// (the domain wraps them in its `ActionForm`).
pub fn step_fields(id: i64, status: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id/>
        <input type="hidden" name="status" value=status/>
        <button type="submit" class="btn-secondary w-full">{label}</button>
    }
}

/// The fields of the form that refuses request `id`: the reason's label,
/// `reason`, the domain's field for it (name `reason`, id `reason_id`: a
/// list of standard reasons or free text), then the button.
pub fn refusal_fields(id: i64, reason_id: String, reason: impl IntoView) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id/>
        <input type="hidden" name="status" value="refused"/>
        <label for=reason_id class="block font-semibold">"Motif du refus"</label>
        {reason}
        <button type="submit" class="btn-secondary w-full">"Refuser"</button>
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::{base::error::AppError, base::mail::ssr as mail};
    use std::collections::HashMap;

    /// E-mail goes after the write committed; a failed send is logged (`what`:
    /// "application", "enrolment"), the request stands and both dashboards
    /// show it.
    pub async fn send(to: &str, email: mail::Email, what: &str) {
        match mail::mailer() {
            Ok(mailer) => {
                if let Err(error) = mailer.send(to, email).await {
                    tracing::warn!(%error, "{what} e-mail not sent");
                }
            }
            Err(error) => tracing::warn!(%error, "no mailer for {what} e-mail"),
        }
    }

    /// E-mails every member of `organisation` with the link to `page` (a
    /// path of the site): `email(member's name, link)`; `what` as for [`send`].
    pub async fn tell_members(
        pool: &sqlx::PgPool,
        organisation: i64,
        page: &str,
        what: &str,
        email: impl Fn(&str, &str) -> mail::Email,
    ) -> Result<(), AppError> {
        let link = crate::base::site::use_site().url(page);
        for (to, name) in crate::organisations::member_emails(pool, organisation, None).await? {
            send(&to, email(&name, &link), what).await;
        }
        Ok(())
    }

    /// E-mails the candidate with the link to `page`, their list of
    /// requests: `email(link)`; `what` as for [`send`].
    pub async fn tell_candidate(
        to: &str,
        page: &str,
        what: &str,
        email: impl FnOnce(&str) -> mail::Email,
    ) {
        let link = crate::base::site::use_site().url(page);
        send(to, email(&link), what).await;
    }

    /// The id a request's `INSERT … RETURNING id` gave; when the unique
    /// index refused it (the same request twice, even two posts at once),
    /// the domain's `duplicate` error.
    pub fn inserted(
        result: Result<i64, sqlx::Error>,
        duplicate: impl FnOnce() -> AppError,
    ) -> Result<i64, AppError> {
        match result {
            Ok(id) => Ok(id),
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Err(duplicate()),
            Err(other) => Err(other.into()),
        }
    }

    /// The row that `change`, a move of one request, returned. When it
    /// matched none, `theirs` (run only then) says whether the request is
    /// the caller's: then it cannot take this move now (`message` on
    /// `field`); else, so that ids reveal nothing, it does not exist.
    pub async fn changed<T>(
        field: &str,
        message: &str,
        change: impl Future<Output = Result<Option<T>, sqlx::Error>>,
        theirs: impl Future<Output = Result<bool, sqlx::Error>>,
    ) -> Result<T, AppError> {
        match change.await? {
            Some(row) => Ok(row),
            None if theirs.await? => Err(AppError::invalid(field, message)),
            None => Err(AppError::NotFound),
        }
    }

    /// The posts loaded for a page of requests (notes, messages), given as
    /// (request, post) in order, split by request.
    pub fn threads<P>(posts: impl IntoIterator<Item = (i64, P)>) -> HashMap<i64, Vec<P>> {
        let mut threads: HashMap<i64, Vec<P>> = HashMap::new();
        for (request, post) in posts {
            threads.entry(request).or_default().push(post);
        }
        threads
    }
}
