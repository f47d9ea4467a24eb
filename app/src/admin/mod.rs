//! Back office (admins only): its home with the figures and queues, the
//! accounts, the organisations, the content, the background jobs, the
//! newsletter, and the security audit log of all users, filtered by kind
//! of event, organisation, account and dates.
//! What the lists share lives here: filters, paging, the journal.

pub mod applications;
pub mod content;
pub mod home;
pub mod newsletter;
pub mod organisations;
pub mod tasks;
pub mod users;

#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::ui::nav::AdminNav;
use crate::{base::error::AppError, base::seo::Seo, identity::auth::pages::protected};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub user: Option<String>,
    pub event: String,
    pub ip: String,
    pub user_agent: String,
    /// The event's JSON detail (who changed what, see [`change_summary`]).
    pub detail: String,
}

/// "par ada@… · role : candidate → recruiter · motif : …" for an admin's
/// change to an account, from its journal detail; `None` for other events.
pub fn change_summary(detail: &str) -> Option<String> {
    change_summary_of(&serde_json::from_str(detail).ok()?)
}

fn change_summary_of(detail: &serde_json::Value) -> Option<String> {
    let plain = |value: &serde_json::Value| match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => "—".to_owned(),
        other => other.to_string(),
    };
    let mut parts = vec![format!("par {}", detail.get("by_email")?.as_str()?)];
    if let Some(after) = detail.get("after").and_then(|a| a.as_object()) {
        for (key, new) in after {
            let old = detail.get("before").and_then(|b| b.get(key));
            parts.push(format!(
                "{key} : {} → {}",
                old.map_or_else(|| "—".to_owned(), plain),
                plain(new)
            ));
        }
    }
    if let Some(reason) = detail
        .get("reason")
        .and_then(|r| r.as_str())
        .filter(|r| !r.is_empty())
    {
        parts.push(format!("motif : {reason}"));
    }
    Some(parts.join(" · "))
}

/// "Organisation « Atelier Nord » (n° 12) : refusée — motif : …" for an
/// event about an organisation: its name when the event was recorded (or
/// now), its number, and what became of it. The second value says whether
/// the line gave the event's reason.
fn organisation_summary(event: &str, detail: &serde_json::Value) -> Option<(String, bool)> {
    let id = detail.get("organisation")?.as_i64()?;
    let text = |key: &str| {
        detail
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let name = text("organisation_name")
        .or_else(|| text("from"))
        .or_else(|| text("organisation_now"));
    let mut line = match name {
        Some(name) => format!("Organisation « {name} » (n° {id})"),
        None => format!("Organisation n° {id}"),
    };
    let decision = |approved: bool| if approved { "validée" } else { "refusée" };
    let what = match event {
        "organisation.approved" => Some(decision(true).to_owned()),
        "organisation.rejected" => Some(decision(false).to_owned()),
        // Before approvals and refusals had an event each.
        "organisation.reviewed" => text("status").map(|s| decision(s == "approved").to_owned()),
        "organisation.suspended" => Some("suspendue".to_owned()),
        "organisation.reactivated" => Some("réactivée".to_owned()),
        "organisation.resubmitted" => Some("corrigée et soumise à nouveau".to_owned()),
        "organisation.edited" => Some("fiche modifiée".to_owned()),
        "api_client.created" => text("name").map(|name| format!("client de l'API « {name} » créé")),
        "api_client.revoked" => text("client_id").map(|id| format!("client de l'API {id} révoqué")),
        "organisation.photo_removed" => text("alt").map(|alt| format!("photo « {alt} » retirée")),
        "organisation.rename_requested" => {
            text("to").map(|to| format!("nouveau nom demandé « {to} »"))
        }
        "organisation.rename_reviewed" => text("to").map(|to| {
            let verdict = if text("decision") == Some("approve") {
                "accepté"
            } else {
                "refusé"
            };
            format!("nouveau nom « {to} » {verdict}")
        }),
        _ => None,
    };
    let mut with_reason = false;
    if let Some(what) = what {
        line.push_str(&format!(" : {what}"));
        if let Some(reason) = text("reason") {
            line.push_str(&format!(" — motif : {reason}"));
            with_reason = true;
        }
    }
    Some((line, with_reason))
}

/// What a journal entry's detail says, a line each: the organisation it is
/// about and what became of it, then who changed what (see
/// [`change_summary`]; the reason only once).
pub fn entry_summary(event: &str, detail: &str) -> Vec<String> {
    let Ok(mut detail) = serde_json::from_str::<serde_json::Value>(detail) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some((line, with_reason)) = organisation_summary(event, &detail) {
        lines.push(line);
        if let (true, Some(detail)) = (with_reason, detail.as_object_mut()) {
            detail.remove("reason");
        }
    }
    lines.extend(change_summary_of(&detail));
    lines
}

/// Journal entries per page.
pub const AUDIT_PAGE: i64 = 100;

/// The journal's filters, as its URL names them.
const AUDIT_FILTERS: [&str; 5] = ["action", "organisation", "compte", "du", "au"];

/// A page of the journal; `more` when older entries follow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditEntry>,
    pub page: i64,
    pub more: bool,
}

/// A journal filter's day, typed `AAAA-MM-JJ` (a date field) or
/// `JJ/MM/AAAA`; anything else is refused on `field` (`label` names it).
#[cfg(feature = "ssr")]
fn journal_day(
    field: &str,
    label: &str,
    text: &str,
) -> Result<Option<chrono::NaiveDate>, AppError> {
    use chrono::{Datelike, NaiveDate};
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
        // The journal starts in this century; PostgreSQL's dates end long before chrono's.
        .filter(|day| (2000..=2100).contains(&day.year()))
        .map(Some)
        .ok_or_else(|| {
            AppError::invalid(
                field,
                &format!("{label} invalide : écrivez-la JJ/MM/AAAA, par exemple 05/12/2026."),
            )
        })
}

/// What the organisation filter asks for: an organisation's number ("12",
/// "n° 12") or a LIKE pattern for its name; neither when empty.
#[cfg(feature = "ssr")]
fn organisation_filter(text: &str) -> (Option<i64>, Option<String>) {
    let text = text.trim();
    let number = text.trim_start_matches("n°").trim_start_matches('#').trim();
    match number.parse::<i64>() {
        Ok(id) if id > 0 => (Some(id), None),
        _ if text.is_empty() => (None, None),
        _ => (None, Some(contains_pattern(text))),
    }
}

/// A page of the security events of every user, newest first. `action` is
/// an event's name (see [`audit_events`]); `organisation` an organisation's
/// number or part of its name; `compte` part of the account's address; `du`
/// and `au` the first and last days, Paris time. Bad dates and unknown
/// kinds of event are refused with a French message.
#[server(prefix = "/api", endpoint = "admin/journal")]
pub async fn audit_entries(
    #[server(default)] action: String,
    #[server(default)] organisation: String,
    #[server(default)] compte: String,
    #[server(default)] du: String,
    #[server(default)] au: String,
    #[server(default)] page: i64,
) -> Result<AuditPage, AppError> {
    with_permission(Permission::AuditReadAll, |pool, _| async move {
        let page = page.clamp(1, 10_000);
        let action = action.trim();
        let known = action.len() <= 60
            && action
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
        if !known {
            return Err(AppError::invalid(
                "action",
                "Type d'événement inconnu : choisissez-en un dans la liste.",
            ));
        }
        let from = journal_day("du", "Date de début", &du)?;
        let to = journal_day("au", "Date de fin", &au)?;
        if matches!((from, to), (Some(from), Some(to)) if from > to) {
            return Err(AppError::invalid(
                "au",
                "La date de fin précède la date de début.",
            ));
        }
        let (organisation_id, organisation_name) = organisation_filter(&organisation);
        // One more than a page: whether older entries follow, without
        // counting a journal that only grows.
        let mut rows = sqlx::query_as!(
            AuditEntry,
            r#"SELECT to_char(a.at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI:SS') AS "at!",
                      u.email AS "user?", a.event, a.ip, a.user_agent,
                      (CASE WHEN o.name IS NULL THEN a.detail
                            ELSE a.detail || jsonb_build_object('organisation_now', o.name) END)::text AS "detail!"
               FROM audit_log a
               LEFT JOIN users u ON u.id = a.user_id
               LEFT JOIN organisations o
                      ON o.id = CASE WHEN jsonb_typeof(a.detail -> 'organisation') = 'number'
                                     THEN (a.detail ->> 'organisation')::numeric::bigint END
               WHERE ($1 = '' OR a.event = $1)
                 AND ($2::bigint IS NULL
                      OR (a.detail ? 'organisation' AND a.detail -> 'organisation' = to_jsonb($2::bigint)))
                 AND ($3::text IS NULL
                      OR (a.detail ? 'organisation'
                          AND (o.name ILIKE $3 OR a.detail ->> 'organisation_name' ILIKE $3
                               OR a.detail ->> 'from' ILIKE $3)))
                 AND ($4 = '%%' OR u.email ILIKE $4)
                 AND ($5::date IS NULL OR a.at >= $5::date::timestamp AT TIME ZONE 'Europe/Paris')
                 AND ($6::date IS NULL OR a.at < ($6::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')
               ORDER BY a.at DESC, a.id DESC
               LIMIT $7 OFFSET $8"#,
            action,
            organisation_id,
            organisation_name,
            contains_pattern(&compte),
            from,
            to,
            AUDIT_PAGE + 1,
            (page - 1) * AUDIT_PAGE,
        )
        .fetch_all(&pool)
        .await?;
        let more = rows.len() as i64 > AUDIT_PAGE;
        rows.truncate(AUDIT_PAGE as usize);
        Ok(AuditPage { rows, page, more })
    })
    .await
}

/// The kinds of event the journal holds, for its filter.
#[server(prefix = "/api", endpoint = "admin/journal/evenements")]
pub async fn audit_events() -> Result<Vec<String>, AppError> {
    with_permission(Permission::AuditReadAll, |pool, _| async move {
        // One index probe per kind, however long the journal.
        Ok(sqlx::query_scalar!(
            r#"WITH RECURSIVE kinds (event) AS (
                   (SELECT event FROM audit_log ORDER BY event LIMIT 1)
                   UNION ALL
                   SELECT (SELECT a.event FROM audit_log a WHERE a.event > k.event
                           ORDER BY a.event LIMIT 1)
                   FROM kinds k WHERE k.event IS NOT NULL
               )
               SELECT event AS "event!" FROM kinds WHERE event IS NOT NULL"#
        )
        .fetch_all(&pool)
        .await?)
    })
    .await
}

/// `/admin/journal`: every account's events, narrowed by a GET form (each
/// view of the journal is a link).
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let field = move |key: &str| query.read().get(key).unwrap_or_default();
    let entries = Resource::new(
        move || {
            (
                field("action"),
                field("organisation"),
                field("compte"),
                (field("du"), field("au")),
                field("page").parse::<i64>().unwrap_or(1),
            )
        },
        |(action, organisation, compte, (du, au), page)| {
            audit_entries(action, organisation, compte, du, au, page)
        },
    );
    let events = Resource::new(|| (), |_| audit_events());
    let link = move |page: i64| {
        page_link(
            "/admin/journal",
            &AUDIT_FILTERS,
            &query.read_untracked(),
            page,
        )
    };
    view! {
        <AdminFrame title="Journal de sécurité" description="Événements de sécurité de tous les comptes." path="/admin/journal" heading="Journal de sécurité">
            <Suspense fallback=|| ()>
                {move || events.get().and_then(Result::ok).map(|events| {
                    let chosen = field("action");
                    let mut options: Vec<(String, String)> = events
                        .into_iter()
                        .map(|event| {
                            let label = crate::identity::account::describe_event(&event);
                            // Kinds without a description read as their name.
                            let label = if label == crate::identity::account::describe_event("") {
                                event.clone()
                            } else {
                                label.to_owned()
                            };
                            (event, label)
                        })
                        .collect();
                    options.sort_by(|a, b| a.1.cmp(&b.1));
                    view! {
                        <FilterForm action="/admin/journal" columns="sm:grid-cols-2 lg:grid-cols-5">
                            <label class="block text-sm font-medium text-slate-800">
                                "Type d'événement"
                                <select name="action" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2">
                                    <option value="">"Tous"</option>
                                    {options.into_iter().map(|(value, text)| {
                                        let selected = value == chosen;
                                        view! { <option value=value selected=selected>{text}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class="block text-sm font-medium text-slate-800">
                                "Organisation (n° ou nom)"
                                <input type="search" name="organisation" value=field("organisation")
                                    class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"/>
                            </label>
                            <label class="block text-sm font-medium text-slate-800">
                                "Compte (e-mail)"
                                <input type="search" name="compte" value=field("compte")
                                    class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"/>
                            </label>
                            <label class="block text-sm font-medium text-slate-800">
                                "Du"
                                <input type="date" name="du" value=field("du")
                                    class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"/>
                            </label>
                            <label class="block text-sm font-medium text-slate-800">
                                "Au"
                                <input type="date" name="au" value=field("au")
                                    class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"/>
                            </label>
                        </FilterForm>
                    }
                })}
            </Suspense>
            {protected(entries, move |list| {
                let previous = (list.page > 1).then(|| link(list.page - 1));
                let next = list.more.then(|| link(list.page + 1));
                view! {
                    {if list.rows.is_empty() {
                        view! { <p class="mt-6 text-slate-700">"Aucun événement ne correspond à ces filtres."</p> }.into_any()
                    } else {
                        view! { <div class="mt-6"><AuditTable entries=list.rows with_user=true/></div> }.into_any()
                    }}
                    <nav class="mt-4 flex gap-4" aria-label="Pages">
                        {previous.map(|href| view! { <a class="text-brand-700 hover:underline" href=href rel="prev">"Événements plus récents"</a> })}
                        {next.map(|href| view! { <a class="text-brand-700 hover:underline" href=href rel="next">"Événements plus anciens"</a> })}
                    </nav>
                }
            })}
        </AdminFrame>
    }
}

/// The frame of a back-office page: its metadata (never indexed), the
/// admin navigation and the title (`heading`; empty when the page writes
/// its own, such as an account's address).
#[component]
pub fn AdminFrame(
    title: &'static str,
    description: &'static str,
    path: &'static str,
    heading: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <Seo title=title description=description path=path noindex=true/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            <AdminNav/>
            {(!heading.is_empty()).then(|| view! { <h1 class="text-3xl font-extrabold text-slate-900">{heading}</h1> })}
            {children()}
        </section>
    }
}

/// "oui" / "non" from a filter's query value; anything else is no filter.
#[cfg(feature = "ssr")]
pub fn yes_no(value: &str) -> Option<bool> {
    match value {
        "oui" => Some(true),
        "non" => Some(false),
        _ => None,
    }
}

/// `text` as a LIKE pattern that matches it anywhere, its own `%`, `_` and
/// `\` taken literally.
#[cfg(feature = "ssr")]
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().chars().take(100) {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The second-factor code a sensitive action asks for (step-up), unless
/// one was confirmed on this session in the last 10 minutes.
#[component]
pub fn StepUpField(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <crate::ui::form::Field label="Code de double authentification" name="code" autocomplete="one-time-code"
            help="Demandé si vous n'en avez pas confirmé un depuis 10 minutes sur cette session." error/>
    }
}

/// A filter's `<select>`: `(value, label)` options after "Tous".
#[component]
pub fn FilterSelect(
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    selected: String,
) -> impl IntoView {
    view! {
        <label class="block text-sm font-medium text-slate-800">
            {label}
            <select name=name class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2">
                <option value="">"Tous"</option>
                {options.into_iter().map(|(value, text)| {
                    let chosen = selected == value;
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// A list's URL (`base`) with its `filters` as the query has them and
/// another page number.
fn page_link(
    base: &str,
    filters: &[&str],
    query: &leptos_router::params::ParamsMap,
    page: i64,
) -> String {
    let mut url = format!("{base}?");
    for key in filters {
        if let Some(value) = query.get(key).filter(|v| !v.is_empty()) {
            url.push_str(&format!(
                "{key}={}&",
                crate::ui::search::encode_component(&value)
            ));
        }
    }
    url.push_str(&format!("page={page}"));
    url
}

/// A list's filters as a GET form, so that every list is a URL: the
/// fields (`children`) in a grid of `columns`, then the button.
#[component]
pub fn FilterForm(
    action: &'static str,
    columns: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="get" action=action class=format!("mt-6 grid gap-4 {columns}") role="search">
            {children()}
            <div class="col-span-full">
                <button type="submit" class="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">"Filtrer"</button>
            </div>
        </form>
    }
}

/// One page of a back-office list: how many rows match (`counted` names
/// them), the table with its `headers` and rows (`children`), and the links
/// to the pages before and after, keeping the list's `filters`.
#[component]
pub fn ListPage(
    total: i64,
    page: i64,
    per_page: i64,
    base: &'static str,
    filters: &'static [&'static str],
    counted: &'static str,
    headers: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let link = move |page: i64| page_link(base, filters, &query.read_untracked(), page);
    let previous = (page > 1).then(|| link(page - 1));
    let next = (page * per_page < total).then(|| link(page + 1));
    view! {
        <p class="mt-6 text-sm text-slate-700" data-total=total>
            {format!("{} {counted}", crate::base::format::thousands(total))}
        </p>
        // Focusable, so a keyboard scrolls it too.
        <div class="mt-2 overflow-x-auto" tabindex="0" role="region" aria-label=counted>
            <table class="w-full text-left text-sm">
                <thead><tr>
                    {headers.iter().map(|h| view! { <th scope="col" class="py-2 pr-4">{*h}</th> }).collect_view()}
                </tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
        <nav class="mt-4 flex gap-4" aria-label="Pages">
            {previous.map(|href| view! { <a class="text-brand-700 hover:underline" href=href rel="prev">"Page précédente"</a> })}
            {next.map(|href| view! { <a class="text-brand-700 hover:underline" href=href rel="next">"Page suivante"</a> })}
        </nav>
    }
}

/// Security events as a table; `with_user` adds the account's column.
#[component]
pub fn AuditTable(entries: Vec<AuditEntry>, with_user: bool) -> impl IntoView {
    view! {
        // Focusable, so a keyboard scrolls it too.
        <div class="overflow-x-auto" tabindex="0" role="region" aria-label="Journal">
            <table class="w-full text-left text-sm">
                <thead><tr>
                    <th scope="col" class="py-2 pr-4">"Date"</th>
                    {with_user.then(|| view! { <th scope="col" class="pr-4">"Compte"</th> })}
                    <th scope="col" class="pr-4">"Événement"</th>
                    <th scope="col" class="pr-4">"IP"</th>
                    <th scope="col">"Navigateur"</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| view! {
                        <tr class="border-t border-slate-200">
                            <td class="py-2 pr-4 whitespace-nowrap">{e.at}</td>
                            {with_user.then(|| view! { <td class="pr-4">{e.user.unwrap_or_else(|| "—".to_owned())}</td> })}
                            <td class="pr-4">
                                {crate::identity::account::describe_event(&e.event)}
                                {entry_summary(&e.event, &e.detail).into_iter().map(|line| view! {
                                    <span class="block text-slate-600">{line}</span>
                                }).collect_view()}
                            </td>
                            <td class="pr-4">{e.ip}</td>
                            <td class="max-w-xs truncate">{e.user_agent}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{change_summary, entry_summary};

    #[test]
    fn an_admins_change_says_who_and_what() {
        let detail = r#"{"by_email":"ada@exemple.fr","before":{"role":"candidate"},"after":{"role":"recruiter"},"reason":"demande"}"#;
        assert_eq!(
            change_summary(detail).as_deref(),
            Some("par ada@exemple.fr · role : candidate → recruiter · motif : demande")
        );
        assert_eq!(change_summary("{}"), None);
        assert_eq!(change_summary("pas du json"), None);
    }

    #[test]
    fn an_organisations_decision_says_which_and_what_with_the_reason_once() {
        let refused = r#"{"by_email":"ada@exemple.fr","organisation":12,"organisation_name":"Atelier Nord","decision":"rejected","reason":"SIRET inconnu"}"#;
        assert_eq!(
            entry_summary("organisation.rejected", refused),
            [
                "Organisation « Atelier Nord » (n° 12) : refusée — motif : SIRET inconnu",
                "par ada@exemple.fr",
            ]
        );
        let suspended = r#"{"by_email":"ada@exemple.fr","organisation":12,"before":{"statut":"validée"},"after":{"statut":"suspendue"},"reason":"Fraude","organisation_now":"Atelier Sud"}"#;
        assert_eq!(
            entry_summary("organisation.suspended", suspended),
            [
                "Organisation « Atelier Sud » (n° 12) : suspendue — motif : Fraude",
                "par ada@exemple.fr · statut : validée → suspendue",
            ]
        );
        // Older entries: one event for both decisions, no name.
        assert_eq!(
            entry_summary(
                "organisation.reviewed",
                r#"{"organisation":3,"status":"approved"}"#
            ),
            ["Organisation n° 3 : validée"]
        );
        let renamed = r#"{"organisation":3,"from":"Ancien","to":"Nouveau","decision":"reject"}"#;
        assert_eq!(
            entry_summary("organisation.rename_reviewed", renamed),
            ["Organisation « Ancien » (n° 3) : nouveau nom « Nouveau » refusé"]
        );
        // Another event naming an organisation keeps its reason in the change.
        let withdrawn = r#"{"by_email":"ada@exemple.fr","organisation":3,"reason":"Spam"}"#;
        assert_eq!(
            entry_summary("content.withdrawn", withdrawn),
            ["Organisation n° 3", "par ada@exemple.fr · motif : Spam"]
        );
        assert!(entry_summary("sign_in.success", "{}").is_empty());
        assert!(entry_summary("sign_in.success", "pas du json").is_empty());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn journal_filters_read_days_and_organisations_or_say_why_not() {
        use super::{journal_day, organisation_filter};
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5);
        assert_eq!(
            journal_day("du", "Date de début", "2026-12-05").unwrap(),
            day
        );
        assert_eq!(
            journal_day("du", "Date de début", " 05/12/2026 ").unwrap(),
            day
        );
        assert_eq!(journal_day("du", "Date de début", "").unwrap(), None);
        for bad in [
            "2026-13-01",
            "31/02/2026",
            "demain",
            "+99999-01-01",
            "1850-01-01",
        ] {
            let error = journal_day("au", "Date de fin", bad).expect_err(bad);
            assert!(
                error
                    .for_field("au")
                    .unwrap()
                    .starts_with("Date de fin invalide"),
                "{bad}"
            );
        }
        assert_eq!(organisation_filter(" n° 12 "), (Some(12), None));
        assert_eq!(organisation_filter("#7"), (Some(7), None));
        assert_eq!(organisation_filter(""), (None, None));
        assert_eq!(
            organisation_filter("Atelier 50%"),
            (None, Some("%Atelier 50\\%%".to_owned()))
        );
        assert_eq!(organisation_filter("-3"), (None, Some("%-3%".to_owned())));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn searched_text_matches_literally() {
        use super::contains_pattern;
        assert_eq!(contains_pattern(" ada "), "%ada%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(contains_pattern(""), "%%");
    }
}
