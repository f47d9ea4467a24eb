//! `/admin/utilisateurs`: every account, found by name, e-mail or
//! organisation and filtered by role, address confirmation and second
//! factor; `/admin/utilisateurs/{id}`: one account with its organisations,
//! open sessions, last sign-ins and audit trail.

use super::{AuditEntry, AuditTable};
#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::identity::users::Role;
use crate::ui::nav::AdminNav;
use crate::{base::error::AppError, base::seo::Seo, identity::auth::pages::protected};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// Accounts per page of the list.
pub const USERS_PAGE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub verified: bool,
    pub two_factor: bool,
    pub organisations: Vec<String>,
    pub created: String,
    pub last_sign_in: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserList {
    pub users: Vec<UserRow>,
    pub total: i64,
    pub page: i64,
}

/// "oui" / "non" from a filter's query value; anything else is no filter.
#[cfg(feature = "ssr")]
fn yes_no(value: &str) -> Option<bool> {
    match value {
        "oui" => Some(true),
        "non" => Some(false),
        _ => None,
    }
}

/// `text` as a LIKE pattern that matches it anywhere, its own `%`, `_` and
/// `\` taken literally.
#[cfg(feature = "ssr")]
fn contains_pattern(text: &str) -> String {
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

/// A page of accounts, newest first. `q` is looked for in the e-mail, the
/// name and the organisations' names; `role` is a `users.role` value;
/// `verifie` and `double_auth` are "oui" or "non". Unknown values filter
/// nothing, as in the public searches.
#[server(prefix = "/api", endpoint = "admin/utilisateurs")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] role: String,
    #[server(default)] verifie: String,
    #[server(default)] double_auth: String,
    #[server(default)] page: i64,
) -> Result<UserList, AppError> {
    with_permission(Permission::BackofficeRead, |pool, _| async move {
        let page = page.clamp(1, 10_000);
        let pattern = contains_pattern(&q);
        let role = Role::from_db(&role).map(Role::as_db);
        let rows = sqlx::query!(
            r#"SELECT u.id, u.email, u.display_name, u.role,
                      u.email_verified_at IS NOT NULL AS "verified!",
                      u.totp_enabled_at IS NOT NULL AS "two_factor!",
                      ARRAY(SELECT o.name FROM memberships m JOIN organisations o ON o.id = m.organisation_id
                            WHERE m.user_id = u.id ORDER BY o.name) AS "organisations!",
                      to_char(u.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY') AS "created!",
                      (SELECT to_char(a.at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') FROM audit_log a
                       WHERE a.user_id = u.id AND a.event = 'sign_in.success'
                       ORDER BY a.at DESC LIMIT 1) AS last_sign_in,
                      count(*) OVER () AS "total!"
               FROM users u
               WHERE ($1 = '%%' OR u.email ILIKE $1 OR u.display_name ILIKE $1
                      OR EXISTS (SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.organisation_id
                                 WHERE m.user_id = u.id AND o.name ILIKE $1))
                 AND ($2::text IS NULL OR u.role = $2)
                 AND ($3::bool IS NULL OR (u.email_verified_at IS NOT NULL) = $3)
                 AND ($4::bool IS NULL OR (u.totp_enabled_at IS NOT NULL) = $4)
               ORDER BY u.created_at DESC, u.id DESC
               LIMIT $5 OFFSET $6"#,
            pattern,
            role,
            yes_no(&verifie),
            yes_no(&double_auth),
            USERS_PAGE,
            (page - 1) * USERS_PAGE,
        )
        .fetch_all(&pool)
        .await?;
        Ok(UserList {
            total: rows.first().map_or(0, |row| row.total),
            page,
            users: rows
                .into_iter()
                .map(|row| UserRow {
                    id: row.id,
                    email: row.email,
                    display_name: row.display_name,
                    role: Role::from_db(&row.role).map_or(row.role, |r| r.label().to_owned()),
                    verified: row.verified,
                    two_factor: row.two_factor,
                    organisations: row.organisations,
                    created: row.created,
                    last_sign_in: row.last_sign_in,
                })
                .collect(),
        })
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub name: String,
    pub kind: String,
    pub status: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSession {
    pub created: String,
    pub last_seen: String,
    pub ip: String,
    pub user_agent: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub verified: Option<String>,
    pub two_factor: bool,
    pub created: String,
    pub organisations: Vec<Membership>,
    pub sessions: Vec<OpenSession>,
    /// The newest 100 events of the account, sign-ins included.
    pub audit: Vec<AuditEntry>,
}

/// One account as the back office sees it.
#[server(prefix = "/api", endpoint = "admin/utilisateur")]
pub async fn user_detail(id: i64) -> Result<UserRecord, AppError> {
    with_permission(Permission::BackofficeRead, |pool, _| async move {
        let user = sqlx::query!(
            r#"SELECT id, email, display_name, role, totp_enabled_at IS NOT NULL AS "two_factor!",
                      to_char(email_verified_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS verified,
                      to_char(created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created!"
               FROM users WHERE id = $1"#,
            id
        )
        .fetch_optional(&pool)
        .await?
        .ok_or(AppError::NotFound)?;
        let organisations = sqlx::query_as!(
            Membership,
            r#"SELECT o.name, o.kind, o.status, m.role
               FROM memberships m JOIN organisations o ON o.id = m.organisation_id
               WHERE m.user_id = $1 ORDER BY o.name"#,
            id
        )
        .fetch_all(&pool)
        .await?;
        let sessions = sqlx::query_as!(
            OpenSession,
            r#"SELECT to_char(created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created!",
                      to_char(last_seen_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "last_seen!",
                      ip, user_agent
               FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL
               ORDER BY last_seen_at DESC"#,
            id
        )
        .fetch_all(&pool)
        .await?;
        let audit = sqlx::query_as!(
            AuditEntry,
            r#"SELECT to_char(a.at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI:SS') AS "at!",
                      NULL::text AS "user?", a.event, a.ip, a.user_agent
               FROM audit_log a WHERE a.user_id = $1
               ORDER BY a.at DESC, a.id DESC LIMIT 100"#,
            id
        )
        .fetch_all(&pool)
        .await?;
        Ok(UserRecord {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: Role::from_db(&user.role).map_or(user.role, |r| r.label().to_owned()),
            verified: user.verified,
            two_factor: user.two_factor,
            created: user.created,
            organisations,
            sessions,
            audit,
        })
    })
    .await
}

/// A filter's `<select>`: `(value, label)` options after "Tous".
#[component]
fn FilterSelect(
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

/// `/admin/utilisateurs`: the filters are a GET form, so every list is a URL.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |key: &str| query.read().get(key).unwrap_or_default();
    let users = Resource::new(
        move || {
            (
                field("q"),
                field("role"),
                field("verifie"),
                field("double_auth"),
                field("page").parse::<i64>().unwrap_or(1),
            )
        },
        |(q, role, verifie, double_auth, page)| list_users(q, role, verifie, double_auth, page),
    );
    let roles: Vec<(&'static str, &'static str)> =
        Role::ALL.iter().map(|r| (r.as_db(), r.label())).collect();
    let yes_no = || vec![("oui", "Oui"), ("non", "Non")];
    view! {
        <Seo title="Utilisateurs" description="Tous les comptes de la plateforme." path="/admin/utilisateurs" noindex=true/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            <AdminNav/>
            <h1 class="text-3xl font-extrabold text-slate-900">"Utilisateurs"</h1>
            <form method="get" action="/admin/utilisateurs" class="mt-6 grid gap-4 sm:grid-cols-5" role="search">
                <label class="block text-sm font-medium text-slate-800 sm:col-span-2">
                    "Nom, e-mail ou organisation"
                    <input type="search" name="q" value=field("q")
                        class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"/>
                </label>
                <FilterSelect name="role" label="Rôle" options=roles selected=field("role")/>
                <FilterSelect name="verifie" label="Adresse confirmée" options=yes_no() selected=field("verifie")/>
                <FilterSelect name="double_auth" label="Double authentification" options=yes_no() selected=field("double_auth")/>
                <div class="sm:col-span-5">
                    <button type="submit" class="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">"Filtrer"</button>
                </div>
            </form>
            {protected(users, move |list| {
                let next = (list.page * USERS_PAGE < list.total).then(|| page_link(&query.read_untracked(), list.page + 1));
                let previous = (list.page > 1).then(|| page_link(&query.read_untracked(), list.page - 1));
                view! {
                    <p class="mt-6 text-sm text-slate-700" data-total=list.total>
                        {format!("{} compte(s)", crate::base::format::thousands(list.total))}
                    </p>
                    <div class="mt-2 overflow-x-auto">
                        <table class="w-full text-left text-sm">
                            <thead><tr>
                                <th scope="col" class="py-2 pr-4">"Compte"</th>
                                <th scope="col" class="pr-4">"Rôle"</th>
                                <th scope="col" class="pr-4">"Organisations"</th>
                                <th scope="col" class="pr-4">"Créé le"</th>
                                <th scope="col" class="pr-4">"Dernière connexion"</th>
                                <th scope="col">"Sécurité"</th>
                            </tr></thead>
                            <tbody>
                                {list.users.into_iter().map(|u| view! {
                                    <tr class="border-t border-slate-200">
                                        <td class="py-2 pr-4">
                                            <a class="font-semibold text-brand-700 hover:underline" href=format!("/admin/utilisateurs/{}", u.id)>{u.email}</a>
                                            <span class="block text-slate-600">{u.display_name}</span>
                                        </td>
                                        <td class="pr-4">{u.role}</td>
                                        <td class="pr-4">{u.organisations.join(", ")}</td>
                                        <td class="pr-4 whitespace-nowrap">{u.created}</td>
                                        <td class="pr-4 whitespace-nowrap">{u.last_sign_in.unwrap_or_else(|| "—".to_owned())}</td>
                                        <td>
                                            {if u.verified { "Adresse confirmée" } else { "Adresse non confirmée" }}
                                            <span class="block">{if u.two_factor { "Double authentification" } else { "Sans double authentification" }}</span>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <nav class="mt-4 flex gap-4" aria-label="Pages">
                        {previous.map(|href| view! { <a class="text-brand-700 hover:underline" href=href rel="prev">"Page précédente"</a> })}
                        {next.map(|href| view! { <a class="text-brand-700 hover:underline" href=href rel="next">"Page suivante"</a> })}
                    </nav>
                }
            })}
        </section>
    }
}

/// The list's URL with its filters and another page number.
fn page_link(query: &leptos_router::params::ParamsMap, page: i64) -> String {
    let mut url = String::from("/admin/utilisateurs?");
    for key in ["q", "role", "verifie", "double_auth"] {
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

/// `/admin/utilisateurs/{id}`.
#[component]
pub fn AdminUserPage() -> impl IntoView {
    let params = use_params_map();
    let user = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok())
        },
        |id| async move {
            match id {
                Some(id) => user_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Seo title="Utilisateur" description="Un compte de la plateforme." path="/admin/utilisateurs" noindex=true/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            <AdminNav/>
            {protected(user, |u| view! {
                <h1 class="text-3xl font-extrabold text-slate-900">{u.email.clone()}</h1>
                <dl class="mt-6 grid gap-x-8 gap-y-2 text-sm sm:grid-cols-2" data-user=u.id>
                    <div><dt class="font-semibold text-slate-900">"Nom affiché"</dt><dd>{u.display_name}</dd></div>
                    <div><dt class="font-semibold text-slate-900">"Rôle"</dt><dd>{u.role}</dd></div>
                    <div><dt class="font-semibold text-slate-900">"Compte créé le"</dt><dd>{u.created}</dd></div>
                    <div><dt class="font-semibold text-slate-900">"Adresse confirmée"</dt>
                        <dd>{u.verified.map_or_else(|| "Non".to_owned(), |at| format!("Oui, le {at}"))}</dd></div>
                    <div><dt class="font-semibold text-slate-900">"Double authentification"</dt>
                        <dd>{if u.two_factor { "Activée" } else { "Non activée" }}</dd></div>
                </dl>
                <h2 class="mt-8 text-xl font-bold text-slate-900">"Organisations"</h2>
                {if u.organisations.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-700">"Aucune organisation."</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-2 list-disc pl-6 text-sm">
                            {u.organisations.into_iter().map(|o| view! {
                                <li>{format!("{} ({}, {}) : {}", o.name, organisation_kind(&o.kind), organisation_status(&o.status),
                                    if o.role == "owner" { "responsable" } else { "membre" })}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h2 class="mt-8 text-xl font-bold text-slate-900">"Sessions ouvertes"</h2>
                {if u.sessions.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-700">"Aucune session ouverte."</p> }.into_any()
                } else {
                    view! {
                        <div class="mt-2 overflow-x-auto">
                            <table class="w-full text-left text-sm">
                                <thead><tr><th scope="col" class="py-2 pr-4">"Ouverte le"</th><th scope="col" class="pr-4">"Vue le"</th><th scope="col" class="pr-4">"IP"</th><th scope="col">"Navigateur"</th></tr></thead>
                                <tbody>
                                    {u.sessions.into_iter().map(|s| view! {
                                        <tr class="border-t border-slate-200">
                                            <td class="py-2 pr-4 whitespace-nowrap">{s.created}</td>
                                            <td class="pr-4 whitespace-nowrap">{s.last_seen}</td>
                                            <td class="pr-4">{s.ip}</td>
                                            <td class="max-w-xs truncate">{s.user_agent}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
                <h2 class="mt-8 text-xl font-bold text-slate-900">"Journal du compte"</h2>
                <div class="mt-2"><AuditTable entries=u.audit with_user=false/></div>
            })}
        </section>
    }
}

fn organisation_kind(kind: &str) -> &'static str {
    if kind == "centre" {
        "centre de formation"
    } else {
        "entreprise"
    }
}

fn organisation_status(status: &str) -> &'static str {
    match status {
        "approved" => "validée",
        "pending" => "en attente",
        "rejected" => "refusée",
        _ => "autre état",
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn searched_text_matches_literally() {
        assert_eq!(contains_pattern(" ada "), "%ada%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(contains_pattern(""), "%%");
    }
}
