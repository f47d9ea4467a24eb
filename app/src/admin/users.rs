//! `/admin/utilisateurs`: every account, found by name, e-mail or
//! organisation and filtered by role, address confirmation and second
//! factor; `/admin/utilisateurs/{id}`: one account with its organisations,
//! open sessions, last sign-ins and audit trail.

use super::{AdminFrame, AuditEntry, AuditTable, FilterForm, FilterSelect, ListPage};
#[cfg(feature = "ssr")]
use super::{contains_pattern, yes_no};
#[cfg(feature = "ssr")]
use crate::identity::auth::{AuthUser, Permission, ssr::with_permission};
use crate::identity::users::Role;
use crate::organisations::{OrgStatus, profile::OrgKind};
use crate::ui::form::{Field, FormEnd, action_error, action_succeeded};
use crate::{base::error::AppError, identity::auth::pages::protected};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// Accounts per page of the list.
pub const USERS_PAGE: i64 = 50;

/// The list's filters, as its URL names them.
const USER_FILTERS: [&str; 5] = ["q", "role", "verifie", "double_auth", "suspendu"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub verified: bool,
    pub two_factor: bool,
    pub suspended: bool,
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

/// A page of accounts, newest first. `q` is looked for in the e-mail, the
/// name and the organisations' names; `role` is a `users.role` value;
/// `verifie`, `double_auth` and `suspendu` are "oui" or "non". Unknown
/// values filter nothing, as in the public searches.
#[server(prefix = "/api", endpoint = "admin/utilisateurs")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] role: String,
    #[server(default)] verifie: String,
    #[server(default)] double_auth: String,
    #[server(default)] suspendu: String,
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
                      u.suspended_at IS NOT NULL AS "suspended!",
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
                 AND ($7::bool IS NULL OR (u.suspended_at IS NOT NULL) = $7)
               ORDER BY u.created_at DESC, u.id DESC
               LIMIT $5 OFFSET $6"#,
            pattern,
            role,
            yes_no(&verifie),
            yes_no(&double_auth),
            USERS_PAGE,
            (page - 1) * USERS_PAGE,
            yes_no(&suspendu),
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
                    suspended: row.suspended,
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
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub status: OrgStatus,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSession {
    pub created: String,
    pub last_seen: String,
    pub ip: String,
    pub user_agent: String,
    /// The app a token family was given to (none for a browser).
    pub app: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    /// The `users.role` value behind `role`.
    pub role_code: String,
    pub verified: Option<String>,
    pub two_factor: bool,
    /// When and why the account was suspended, if it is.
    pub suspended: Option<(String, String)>,
    pub created: String,
    pub organisations: Vec<Membership>,
    pub sessions: Vec<OpenSession>,
    /// The newest 100 events of the account, sign-ins included.
    pub audit: Vec<AuditEntry>,
}

/// One account as the back office sees it.
#[server(prefix = "/api", endpoint = "admin/utilisateur")]
pub async fn user_detail(id: i64) -> Result<UserRecord, AppError> {
    with_permission(Permission::BackofficeRead, |pool, viewer| async move {
        let user = sqlx::query!(
            r#"SELECT id, email, display_name, role, totp_enabled_at IS NOT NULL AS "two_factor!",
                      to_char(suspended_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS suspended,
                      suspension_reason,
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
            r#"SELECT o.id, o.name, o.kind AS "kind: OrgKind", o.status AS "status: OrgStatus", m.role
               FROM memberships m JOIN organisations o ON o.id = m.organisation_id
               WHERE m.user_id = $1 ORDER BY o.name"#,
            id
        )
        .fetch_all(&pool)
        .await?;
        let sessions = sqlx::query_as!(
            OpenSession,
            r#"SELECT to_char(s.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created!",
                      to_char(s.last_seen_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "last_seen!",
                      s.ip, s.user_agent, a.name AS "app?"
               FROM user_sessions s LEFT JOIN oauth_apps a ON a.id = s.oauth_app_id
               WHERE s.user_id = $1 AND s.revoked_at IS NULL
               ORDER BY s.last_seen_at DESC"#,
            id
        )
        .fetch_all(&pool)
        .await?;
        // The journal is for those who may read every account's.
        let journal = crate::identity::auth::ssr::role_has(&pool, viewer.role, Permission::AuditReadAll).await?;
        let audit = if journal {
        sqlx::query_as!(
                AuditEntry,
                r#"SELECT to_char(a.at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI:SS') AS "at!",
                          NULL::text AS "user?", a.event, a.ip, a.user_agent, a.detail::text AS "detail!"
                   FROM audit_log a WHERE a.user_id = $1
                   ORDER BY a.at DESC, a.id DESC LIMIT 100"#,
                id
            )
            .fetch_all(&pool)
            .await?
        } else {
            Vec::new()
        };
        Ok(UserRecord {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: Role::from_db(&user.role).map_or_else(|| user.role.clone(), |r| r.label().to_owned()),
            role_code: user.role,
            verified: user.verified,
            two_factor: user.two_factor,
            suspended: user.suspended.map(|at| (at, user.suspension_reason)),
            created: user.created,
            organisations,
            sessions,
            audit,
        })
    })
    .await
}

/// The rest of the guard of every action below (after `user.manage`): a
/// second-factor code confirmed in the last minutes (step-up), and an
/// account that exists and is not the admin's own (nobody locks themselves
/// out). Each action then checks the account's state in its own UPDATE.
#[cfg(feature = "ssr")]
async fn act_on(
    pool: &sqlx::PgPool,
    admin: &AuthUser,
    id: i64,
    code: &str,
) -> Result<(), AppError> {
    crate::identity::auth::two_factor::ssr::require_step_up(pool, admin, code).await?;
    sqlx::query_scalar!("SELECT id FROM users WHERE id = $1", id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    if id == admin.id {
        return Err(AppError::invalid(
            "id",
            "Un administrateur ne peut pas faire cela sur son propre compte.",
        ));
    }
    Ok(())
}

/// The journal entry of an admin's change to account `target`: who did it,
/// the values before and after, and the reason if any.
#[cfg(feature = "ssr")]
async fn record_change(
    db: impl sqlx::PgExecutor<'_>,
    target: i64,
    event: &str,
    admin: &AuthUser,
    change: serde_json::Value,
) -> Result<(), AppError> {
    crate::identity::auth::ssr::audit(
        db,
        Some(target),
        event,
        &crate::identity::auth::ssr::request_meta(),
        crate::identity::auth::ssr::by_admin(admin, change),
    )
    .await
}

/// Records the change (see [`record_change`]) and commits it with the rest.
#[cfg(feature = "ssr")]
async fn commit_change(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    target: i64,
    event: &str,
    admin: &AuthUser,
    change: serde_json::Value,
) -> Result<(), AppError> {
    record_change(&mut *tx, target, event, admin, change).await?;
    tx.commit().await?;
    Ok(())
}

/// After an action posted without JavaScript, back to the account's page.
#[cfg(feature = "ssr")]
fn back_to_account(id: i64, done: &str) {
    crate::base::forms::redirect_plain_form(&format!("/admin/utilisateurs/{id}?{done}=1"));
}

/// Suspends an account: it cannot sign in any more (sign-in says so) and
/// every one of its sessions ends at once.
#[cfg(feature = "ssr")]
async fn suspend(
    pool: sqlx::PgPool,
    admin: AuthUser,
    id: i64,
    reason: String,
    code: String,
) -> Result<(), AppError> {
    act_on(&pool, &admin, id, &code).await?;
    let reason = reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            "Indiquez le motif de la suspension (500 caractères au plus).",
        ));
    }
    let mut tx = pool.begin().await?;
    // The state in the WHERE clause: of two admins acting at once, one
    // changes the account, the other is told it already was.
    let changed = sqlx::query!(
        "UPDATE users SET suspended_at = now(), suspension_reason = $2, updated_at = now()
         WHERE id = $1 AND suspended_at IS NULL",
        id,
        reason
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::invalid("id", "Ce compte est déjà suspendu."));
    }
    crate::identity::auth::ssr::end_sessions(&mut *tx, id, None).await?;
    commit_change(tx, id, "account.suspended", &admin, serde_json::json!({ "before": { "suspendu": false }, "after": { "suspendu": true }, "reason": reason })).await
}

/// Lifts a suspension: the account may sign in again.
#[cfg(feature = "ssr")]
async fn reactivate(
    pool: sqlx::PgPool,
    admin: AuthUser,
    id: i64,
    code: String,
) -> Result<(), AppError> {
    act_on(&pool, &admin, id, &code).await?;
    let mut tx = pool.begin().await?;
    let changed = sqlx::query!(
        "UPDATE users SET suspended_at = NULL, suspension_reason = '', updated_at = now()
         WHERE id = $1 AND suspended_at IS NOT NULL",
        id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::invalid("id", "Ce compte n'est pas suspendu."));
    }
    commit_change(
        tx,
        id,
        "account.reactivated",
        &admin,
        serde_json::json!({ "before": { "suspendu": true }, "after": { "suspendu": false } }),
    )
    .await
}

/// Ends every session of an account (a lost phone, a shared computer).
#[cfg(feature = "ssr")]
async fn end_all_sessions(
    pool: sqlx::PgPool,
    admin: AuthUser,
    id: i64,
    code: String,
) -> Result<(), AppError> {
    act_on(&pool, &admin, id, &code).await?;
    let mut tx = pool.begin().await?;
    crate::identity::auth::ssr::end_sessions(&mut *tx, id, None).await?;
    commit_change(
        tx,
        id,
        "account.sessions_ended",
        &admin,
        serde_json::json!({}),
    )
    .await
}

/// Gives an account another role. Staff roles (editor, admin) will have to
/// enrol a second factor before anything else, as at their first sign-in.
#[cfg(feature = "ssr")]
async fn change_role(
    pool: sqlx::PgPool,
    admin: AuthUser,
    id: i64,
    role: String,
    code: String,
) -> Result<(), AppError> {
    act_on(&pool, &admin, id, &code).await?;
    let role = Role::from_db(&role)
        .ok_or_else(|| AppError::invalid("role", "Choisissez un des rôles proposés."))?;
    let mut tx = pool.begin().await?;
    // The role read and the change are one step: the journal's "before" is
    // the role this change replaced, whatever another admin did meanwhile.
    let before = sqlx::query_scalar!(
        r#"UPDATE users u SET role = $2, updated_at = now()
           FROM users prior
           WHERE u.id = $1 AND prior.id = u.id AND u.role <> $2
           RETURNING prior.role AS "role!""#,
        id,
        role.as_db()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::invalid("role", "Le compte a déjà ce rôle."))?;
    commit_change(
        tx,
        id,
        "account.role_changed",
        &admin,
        serde_json::json!({ "before": { "role": before }, "after": { "role": role.as_db() } }),
    )
    .await
}

/// E-mails a new address-confirmation link (the person lost the first).
#[cfg(feature = "ssr")]
async fn resend_verification(pool: sqlx::PgPool, admin: AuthUser, id: i64) -> Result<(), AppError> {
    if !crate::identity::auth::ssr::send_verification_again(&pool, id).await? {
        return Err(AppError::invalid(
            "id",
            "Ce compte n'existe pas ou son adresse est déjà confirmée.",
        ));
    }
    record_change(
        &pool,
        id,
        "account.verification_sent",
        &admin,
        serde_json::json!({}),
    )
    .await
}

/// Removes the second factor (a lost phone, no recovery code left): the
/// person signs in with the password alone, staff must enrol again at once.
/// Every session ends.
#[cfg(feature = "ssr")]
async fn reset_two_factor(
    pool: sqlx::PgPool,
    admin: AuthUser,
    id: i64,
    code: String,
) -> Result<(), AppError> {
    act_on(&pool, &admin, id, &code).await?;
    let mut tx = pool.begin().await?;
    if !crate::identity::auth::two_factor::ssr::remove(&mut tx, id).await? {
        return Err(AppError::invalid(
            "id",
            "Ce compte n'a pas de double authentification.",
        ));
    }
    crate::identity::auth::ssr::end_sessions(&mut *tx, id, None).await?;
    commit_change(
        tx,
        id,
        "account.two_factor_reset",
        &admin,
        serde_json::json!({ "before": { "double_auth": true }, "after": { "double_auth": false } }),
    )
    .await
}

/// Erases the account at the person's request, exactly as their own
/// deletion does (see `identity::account::ssr::erase_account`); the journal
/// keeps which admin did it and the reference of the request, nothing of the person.
#[cfg(feature = "ssr")]
async fn erase(
    pool: sqlx::PgPool,
    admin: AuthUser,
    id: i64,
    reason: String,
    code: String,
) -> Result<(), AppError> {
    act_on(&pool, &admin, id, &code).await?;
    let reason = reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            "Indiquez la demande de la personne (sa date, son canal), 500 caractères au plus.",
        ));
    }
    let email = sqlx::query_scalar!("SELECT email FROM users WHERE id = $1", id)
        .fetch_one(&pool)
        .await?;
    let detail =
        crate::identity::auth::ssr::by_admin(&admin, serde_json::json!({ "reason": reason }));
    crate::identity::account::ssr::erase_account(&pool, id, &email, Some((admin.id, detail))).await
}

/// The actions of the account page, in one form: `action` is "suspendre"
/// (with a `reason`), "reactiver", "fermer_sessions", "changer_role" (with
/// a `role`), "renvoyer_confirmation", "reinitialiser_2fa" or "supprimer"
/// (with a `reason`: the person's request). Each needs `user.manage`; all
/// but resending the confirmation link need a second-factor `code` unless
/// one was confirmed on this session in the last 10 minutes.
#[server(prefix = "/api", endpoint = "admin/utilisateur/action")]
pub async fn manage_account(
    id: i64,
    #[server(default)] action: String,
    #[server(default)] reason: String,
    #[server(default)] role: String,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    // The guard first: nobody learns more than "forbidden" from here.
    with_permission(Permission::UserManage, |pool, admin| async move {
        match action.as_str() {
            "suspendre" => suspend(pool, admin, id, reason, code).await?,
            "reactiver" => reactivate(pool, admin, id, code).await?,
            "fermer_sessions" => end_all_sessions(pool, admin, id, code).await?,
            "changer_role" => change_role(pool, admin, id, role, code).await?,
            "renvoyer_confirmation" => resend_verification(pool, admin, id).await?,
            "reinitialiser_2fa" => reset_two_factor(pool, admin, id, code).await?,
            "supprimer" => {
                erase(pool, admin, id, reason, code).await?;
                crate::base::forms::redirect_plain_form("/admin/utilisateurs?supprime=1");
                return Ok(());
            }
            _ => return Err(AppError::invalid("action", "Choisissez une action.")),
        }
        back_to_account(id, "fait");
        Ok(())
    })
    .await
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
                field("suspendu"),
                field("page").parse::<i64>().unwrap_or(1),
            )
        },
        |(q, role, verifie, double_auth, suspendu, page)| {
            list_users(q, role, verifie, double_auth, suspendu, page)
        },
    );
    let roles: Vec<(&'static str, &'static str)> =
        Role::ALL.iter().map(|r| (r.as_db(), r.label())).collect();
    let yes_no = || vec![("oui", "Oui"), ("non", "Non")];
    view! {
        <AdminFrame title="Utilisateurs" description="Tous les comptes de la plateforme." path="/admin/utilisateurs" heading="Utilisateurs">
            {move || query.read().get("supprime").is_some().then(|| view! {
                <p class="mt-4 rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">
                    "Le compte a été supprimé, comme son titulaire l'a demandé ; le journal garde qui l'a fait."
                </p>
            })}
            <FilterForm action="/admin/utilisateurs" columns="sm:grid-cols-6">
                <label class="block text-sm font-medium text-slate-800 sm:col-span-2">
                    "Nom, e-mail ou organisation"
                    <input type="search" name="q" value=field("q")
                        class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"/>
                </label>
                <FilterSelect name="role" label="Rôle" options=roles selected=field("role")/>
                <FilterSelect name="verifie" label="Adresse confirmée" options=yes_no() selected=field("verifie")/>
                <FilterSelect name="double_auth" label="Double authentification" options=yes_no() selected=field("double_auth")/>
                <FilterSelect name="suspendu" label="Suspendu" options=yes_no() selected=field("suspendu")/>
            </FilterForm>
            {protected(users, move |list| view! {
                <ListPage total=list.total page=list.page per_page=USERS_PAGE base="/admin/utilisateurs"
                    filters=&USER_FILTERS counted="compte(s)"
                    headers=&["Compte", "Rôle", "Organisations", "Créé le", "Dernière connexion", "Sécurité"]>
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
                                {u.suspended.then(|| view! { <span class="block font-semibold text-amber-800">"Suspendu"</span> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </ListPage>
            })}
        </AdminFrame>
    }
}

/// `/admin/utilisateurs/{id}`.
#[component]
pub fn AdminUserPage() -> impl IntoView {
    let params = use_params_map();
    let manage = ServerAction::<ManageAccount>::new();
    let user = Resource::new(
        move || {
            // The versions are part of the key: a resource refetches only
            // when its key changes.
            (
                manage.version().get(),
                params
                    .read()
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok()),
            )
        },
        |(_, id)| async move {
            match id {
                Some(id) => user_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // An account gone after one of this page's actions was erased: back to
    // the list, as the plain form's redirect does.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if manage.version().get() > 0 && matches!(user.get(), Some(Err(AppError::NotFound))) {
            navigate("/admin/utilisateurs?supprime=1", Default::default());
        }
    });
    view! {
        <AdminFrame title="Utilisateur" description="Un compte de la plateforme." path="/admin/utilisateurs" heading="">
            {protected(user, move |u| view! {
                // An address is one long word: it may break anywhere on a phone.
                <h1 class="text-3xl font-extrabold break-all text-slate-900">{u.email.clone()}</h1>
                <dl class="mt-6 grid gap-x-8 gap-y-2 text-sm sm:grid-cols-2" data-user=u.id>
                    <div><dt class="font-semibold text-slate-900">"Nom affiché"</dt><dd>{u.display_name}</dd></div>
                    <div><dt class="font-semibold text-slate-900">"Rôle"</dt><dd>{u.role}</dd></div>
                    <div><dt class="font-semibold text-slate-900">"Compte créé le"</dt><dd>{u.created}</dd></div>
                    <div><dt class="font-semibold text-slate-900">"Adresse confirmée"</dt>
                        <dd>{u.verified.clone().map_or_else(|| "Non".to_owned(), |at| format!("Oui, le {at}"))}</dd></div>
                    <div><dt class="font-semibold text-slate-900">"Double authentification"</dt>
                        <dd>{if u.two_factor { "Activée" } else { "Non activée" }}</dd></div>
                </dl>
                {u.suspended.clone().map(|(at, reason)| view! {
                    <p class="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-suspended="">
                        {format!("Compte suspendu le {at}. Motif : {reason}")}
                    </p>
                })}
                <AccountActions id=u.id suspended=u.suspended.is_some() verified=u.verified.is_some()
                    two_factor=u.two_factor role=u.role_code.clone() action=manage/>
                <h2 class="mt-8 text-xl font-bold text-slate-900">"Organisations"</h2>
                {if u.organisations.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-700">"Aucune organisation."</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-2 list-disc pl-6 text-sm">
                            {u.organisations.into_iter().map(|o| view! {
                                <li>
                                    <a class="text-brand-700 underline" href=format!("/admin/organisations/{}", o.id)>{o.name}</a>
                                    {format!(" ({}, {}) : {}", o.kind.label(), o.status.label(),
                                        if o.role == "owner" { "responsable" } else { "membre" })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h2 class="mt-8 text-xl font-bold text-slate-900">"Sessions ouvertes"</h2>
                {if u.sessions.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-700">"Aucune session ouverte."</p> }.into_any()
                } else {
                    view! {
                        <div class="mt-2 overflow-x-auto" tabindex="0" role="region" aria-label="Sessions ouvertes">
                            <table class="w-full text-left text-sm">
                                <thead><tr><th scope="col" class="py-2 pr-4">"Ouverte le"</th><th scope="col" class="pr-4">"Vue le"</th><th scope="col" class="pr-4">"IP"</th><th scope="col">"Navigateur ou application"</th></tr></thead>
                                <tbody>
                                    {u.sessions.into_iter().map(|s| view! {
                                        <tr class="border-t border-slate-200">
                                            <td class="py-2 pr-4 whitespace-nowrap">{s.created}</td>
                                            <td class="pr-4 whitespace-nowrap">{s.last_seen}</td>
                                            <td class="pr-4">{s.ip}</td>
                                            <td class="max-w-xs truncate">{match s.app {
                                                Some(app) => format!("Application « {app} »"),
                                                None => s.user_agent,
                                            }}</td>
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
        </AdminFrame>
    }
}

/// The account's actions in one form (see [`manage_account`]).
#[component]
fn AccountActions(
    id: i64,
    suspended: bool,
    verified: bool,
    two_factor: bool,
    role: String,
    action: ServerAction<ManageAccount>,
) -> impl IntoView {
    let error = action_error(action);
    let done = action_succeeded(action, "fait");
    let message = move |name: &'static str| move || error.get().and_then(|e| e.for_field(name));
    let mut choices = vec![if suspended {
        ("reactiver", "Réactiver le compte")
    } else {
        (
            "suspendre",
            "Suspendre le compte (ses sessions sont fermées aussitôt)",
        )
    }];
    choices.extend([
        ("fermer_sessions", "Fermer toutes ses sessions"),
        ("changer_role", "Changer son rôle"),
    ]);
    if !verified {
        choices.push((
            "renvoyer_confirmation",
            "Renvoyer le lien de confirmation de l'adresse",
        ));
    }
    if two_factor {
        choices.push((
            "reinitialiser_2fa",
            "Réinitialiser la double authentification",
        ));
    }
    choices.push((
        "supprimer",
        "Supprimer le compte à la demande de la personne (RGPD)",
    ));
    let select = "mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900";
    view! {
        <h2 class="mt-8 text-xl font-bold text-slate-900">"Agir sur le compte"</h2>
        <ActionForm action attr:novalidate=true attr:class="mt-4 max-w-md space-y-4">
            <input type="hidden" name="id" value=id/>
            <div>
                <label for="champ-action" class="block text-sm font-semibold text-slate-900">"Action"</label>
                <select id="champ-action" name="action" class=select>
                    {choices.into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
                </select>
                <p class="mt-1 text-sm font-semibold text-red-800">{message("action")}</p>
            </div>
            <Field label="Motif (suspension) ou demande de la personne (suppression)" name="reason" error/>
            <div>
                <label for="champ-role" class="block text-sm font-semibold text-slate-900">"Nouveau rôle (pour un changement de rôle)"</label>
                <select id="champ-role" name="role" class=select>
                    {Role::ALL.into_iter().map(|r| {
                        let chosen = r.as_db() == role;
                        view! { <option value=r.as_db() selected=chosen>{r.label()}</option> }
                    }).collect_view()}
                </select>
                <p class="mt-1 text-sm font-semibold text-red-800">{message("role")}</p>
            </div>
            <super::StepUpField error/>
            <FormEnd error fields=&["action", "reason", "role", "code"] label="Valider" class="btn-primary"
                succeeded=done done="C'est fait : le journal du compte le garde."/>
        </ActionForm>
    }
}
