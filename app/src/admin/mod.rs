//! Back office (admins only): its home with the figures and queues, the
//! accounts, the organisations, the content, the background jobs, the
//! newsletter, and the security audit log of all users.
//! What the lists share lives here: filters, paging, the journal.

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
    let detail: serde_json::Value = serde_json::from_str(detail).ok()?;
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

/// The newest 200 security events of every user.
#[server(prefix = "/api", endpoint = "admin/journal")]
pub async fn audit_entries() -> Result<Vec<AuditEntry>, AppError> {
    with_permission(Permission::AuditReadAll, |pool, _| async move {
        Ok(sqlx::query_as!(
            AuditEntry,
            r#"SELECT to_char(a.at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI:SS') AS "at!",
                      u.email AS "user?", a.event, a.ip, a.user_agent, a.detail::text AS "detail!"
               FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
               ORDER BY a.id DESC LIMIT 200"#
        )
        .fetch_all(&pool)
        .await?)
    })
    .await
}

/// `/admin/journal`.
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| audit_entries());
    view! {
        <AdminFrame title="Journal de sécurité" description="Événements de sécurité de tous les comptes." path="/admin/journal" heading="Journal de sécurité">
            {protected(entries, |list| view! {
                <div class="mt-6"><AuditTable entries=list with_user=true/></div>
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
        <div class="mt-2 overflow-x-auto">
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
        <div class="overflow-x-auto">
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
                                {change_summary(&e.detail).map(|change| view! { <span class="block text-slate-600">{change}</span> })}
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
    use super::change_summary;

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

    #[cfg(feature = "ssr")]
    #[test]
    fn searched_text_matches_literally() {
        use super::contains_pattern;
        assert_eq!(contains_pattern(" ada "), "%ada%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(contains_pattern(""), "%%");
    }
}
