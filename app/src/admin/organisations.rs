//! Every organisation for the back office: the approval queues and the
//! list of all (`/admin/organisations`), found by name or SIRET and
//! filtered by kind and status, and `/admin/organisations/{id}` with its
//! members, its journal, suspension and reactivation, and its public
//! profile to edit.

use super::{AdminFrame, AuditEntry, AuditTable, FilterForm, FilterSelect, ListPage};
#[cfg(feature = "ssr")]
use crate::identity::auth::{AuthUser, Permission, ssr::with_permission};
use crate::organisations::{
    OrgStatus, ReviewOrganisation, ReviewRename, pending_organisations, pending_renames,
    profile::{FORM_FIELDS, OrgKind, OrganisationProfile, ProfileFields},
};
use crate::ui::form::{
    DecisionForm, Field, FormEnd, FormError, action_error, action_succeeded, reloaded_after,
};
use crate::{base::error::AppError, identity::auth::pages::protected};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// Organisations per page of the list.
pub const ORGANISATIONS_PAGE: i64 = 50;

/// The list's filters, as its URL names them.
const ORGANISATION_FILTERS: [&str; 3] = ["q", "type", "statut"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub id: i64,
    pub kind: OrgKind,
    pub name: String,
    pub siret: String,
    pub status: OrgStatus,
    pub members: i64,
    /// Published trainings or offers.
    pub published: i64,
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationList {
    pub rows: Vec<OrganisationRow>,
    pub total: i64,
    pub page: i64,
}

/// A page of organisations, newest first. `q` is looked for in the name
/// and the SIRET; `kind` is "centre" or "entreprise", `statut` an
/// `organisations.status`; unknown values filter nothing.
#[server(prefix = "/api", endpoint = "admin/organisations/liste")]
pub async fn list_organisations(
    #[server(default)] q: String,
    #[server(default)] kind: String,
    #[server(default)] statut: String,
    #[server(default)] page: i64,
) -> Result<OrganisationList, AppError> {
    with_permission(Permission::BackofficeRead, |pool, _| async move {
        let page = page.clamp(1, 10_000);
        let pattern = super::contains_pattern(&q);
        let kind = OrgKind::from_db(&kind).map(OrgKind::as_db);
        let status = OrgStatus::from_db(&statut).map(OrgStatus::as_str);
        let rows = sqlx::query!(
            r#"SELECT o.id, o.kind AS "kind: OrgKind", o.name, o.siret, o.status AS "status: OrgStatus",
                      (SELECT count(*) FROM memberships m WHERE m.organisation_id = o.id) AS "members!",
                      (SELECT count(*) FROM trainings t WHERE t.centre_id = o.id AND t.status = 'published')
                      + (SELECT count(*) FROM job_offers j WHERE j.company_id = o.id AND j.status = 'published') AS "published!",
                      to_char(o.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY') AS "created!",
                      count(*) OVER () AS "total!"
               FROM organisations o
               WHERE ($1 = '%%' OR o.name ILIKE $1 OR o.siret LIKE $1)
                 AND ($2::text IS NULL OR o.kind = $2)
                 AND ($3::text IS NULL OR o.status = $3)
               ORDER BY o.created_at DESC, o.id DESC
               LIMIT $4 OFFSET $5"#,
            pattern,
            kind,
            status,
            ORGANISATIONS_PAGE,
            (page - 1) * ORGANISATIONS_PAGE,
        )
        .fetch_all(&pool)
        .await?;
        Ok(OrganisationList {
            total: rows.first().map_or(0, |row| row.total),
            page,
            rows: rows
                .into_iter()
                .map(|row| OrganisationRow {
                    id: row.id,
                    kind: row.kind,
                    name: row.name,
                    siret: row.siret,
                    status: row.status,
                    members: row.members,
                    published: row.published,
                    created: row.created,
                })
                .collect(),
        })
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub owner: bool,
}

/// One organisation as the back office sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRecord {
    pub id: i64,
    pub kind: OrgKind,
    pub slug: String,
    pub siret: String,
    pub status: OrgStatus,
    /// When and why it was suspended, if it is.
    pub suspended: Option<(String, String)>,
    /// Why it was refused, if it is.
    pub refused: Option<String>,
    pub created: String,
    pub published: i64,
    pub profile: OrganisationProfile,
    pub members: Vec<Member>,
    pub photos: Vec<crate::organisations::photos::Photo>,
    /// The newest 100 journal events that name it.
    pub audit: Vec<AuditEntry>,
}

#[server(prefix = "/api", endpoint = "admin/organisation")]
pub async fn organisation_detail(id: i64) -> Result<OrganisationRecord, AppError> {
    with_permission(Permission::BackofficeRead, |pool, viewer| async move {
        let row = sqlx::query!(
            r#"SELECT o.kind AS "kind: OrgKind", o.slug, o.siret, o.status AS "status: OrgStatus",
                      to_char(o.suspended_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS suspended,
                      o.suspension_reason, o.rejection_reason,
                      to_char(o.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created!",
                      (SELECT count(*) FROM trainings t WHERE t.centre_id = o.id AND t.status = 'published')
                      + (SELECT count(*) FROM job_offers j WHERE j.company_id = o.id AND j.status = 'published') AS "published!"
               FROM organisations o WHERE o.id = $1"#,
            id
        )
        .fetch_optional(&pool)
        .await?
        .ok_or(AppError::NotFound)?;
        let profile = crate::organisations::profile::ssr::load(&pool, id)
            .await?
            .profile;
        let members = sqlx::query_as!(
            Member,
            r#"SELECT u.id, u.email, u.display_name, m.role = 'owner' AS "owner!"
               FROM memberships m JOIN users u ON u.id = m.user_id
               WHERE m.organisation_id = $1 ORDER BY m.role = 'owner' DESC, u.email"#,
            id
        )
        .fetch_all(&pool)
        .await?;
        let photos = crate::organisations::photos::ssr::of(&pool, id).await?;
        // The journal is for those who may read every account's.
        let journal = crate::identity::auth::ssr::role_has(&pool, viewer.role, Permission::AuditReadAll).await?;
        let audit = if journal {
        sqlx::query_as!(
                AuditEntry,
                r#"SELECT to_char(a.at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI:SS') AS "at!",
                          u.email AS "user?", a.event, a.ip, a.user_agent, a.detail::text AS "detail!"
                   FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
                   WHERE a.detail ? 'organisation' AND a.detail -> 'organisation' = to_jsonb($1::bigint)
                   ORDER BY a.at DESC, a.id DESC LIMIT 100"#,
                id
            )
            .fetch_all(&pool)
            .await?
        } else {
            Vec::new()
        };
        Ok(OrganisationRecord {
            id,
            kind: row.kind,
            slug: row.slug,
            siret: row.siret,
            status: row.status,
            suspended: row.suspended.map(|at| (at, row.suspension_reason)),
            refused: (row.status == OrgStatus::Rejected).then_some(row.rejection_reason),
            created: row.created,
            published: row.published,
            profile,
            members,
            photos,
            audit,
        })
    })
    .await
}

/// Suspends an approved organisation (`suspend`, with a reason) or
/// reactivates a suspended one: its trainings and offers leave or re-enter
/// the search, the sitemap and every public page in the same transaction.
#[cfg(feature = "ssr")]
async fn set_suspended(
    pool: sqlx::PgPool,
    admin: AuthUser,
    id: i64,
    suspend: bool,
    reason: String,
    code: String,
) -> Result<(), AppError> {
    crate::identity::auth::two_factor::ssr::require_step_up(&pool, &admin, &code).await?;
    let reason = reason.trim().to_owned();
    if suspend && (reason.is_empty() || reason.chars().count() > 500) {
        return Err(AppError::invalid(
            "reason",
            "Indiquez le motif de la suspension (500 caractères au plus).",
        ));
    }
    let (from, to) = if suspend {
        (OrgStatus::Approved, OrgStatus::Suspended)
    } else {
        (OrgStatus::Suspended, OrgStatus::Approved)
    };
    let mut tx = pool.begin().await?;
    // The status in the WHERE clause makes the check and the change one
    // step: two admins acting at once cannot both succeed.
    let changed = sqlx::query_scalar!(
        "UPDATE organisations
         SET status = $2, suspended_at = CASE WHEN $4 THEN now() END,
             suspension_reason = $5, updated_at = now()
         WHERE id = $1 AND status = $3 RETURNING name",
        id,
        to.as_str(),
        from.as_str(),
        suspend,
        if suspend { reason.as_str() } else { "" },
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(name) = changed else {
        let exists = sqlx::query_scalar!("SELECT id FROM organisations WHERE id = $1", id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(match (exists, suspend) {
            (None, _) => AppError::NotFound,
            (Some(_), true) => AppError::invalid(
                "action",
                "Seule une organisation validée peut être suspendue.",
            ),
            (Some(_), false) => {
                AppError::invalid("action", "Cette organisation n'est pas suspendue.")
            }
        });
    };
    crate::organisations::refresh_search(&mut tx, id).await?;
    let mut change = serde_json::json!({
        "organisation": id,
        "organisation_name": name,
        "before": { "statut": from.label() },
        "after": { "statut": to.label() },
    });
    if suspend {
        change["reason"] = reason.into();
    }
    crate::identity::auth::ssr::audit(
        &mut *tx,
        Some(admin.id),
        if suspend {
            "organisation.suspended"
        } else {
            "organisation.reactivated"
        },
        &crate::identity::auth::ssr::request_meta(),
        crate::identity::auth::ssr::by_admin(&admin, change),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "suspendre" (with a `reason`) or "reactiver" an organisation. Both need
/// `organisation.manage` and a second-factor `code` unless one was confirmed
/// on this session in the last 10 minutes.
#[server(prefix = "/api", endpoint = "admin/organisation/action")]
pub async fn manage_organisation(
    id: i64,
    #[server(default)] action: String,
    #[server(default)] reason: String,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    with_permission(Permission::OrganisationManage, |pool, admin| async move {
        let suspend = match action.as_str() {
            "suspendre" => true,
            "reactiver" => false,
            _ => return Err(AppError::invalid("action", "Choisissez une action.")),
        };
        set_suspended(pool, admin, id, suspend, reason, code).await?;
        crate::base::forms::redirect_plain_form(&format!("/admin/organisations/{id}?fait=1"));
        Ok(())
    })
    .await
}

/// Saves an organisation's public profile for it (a correction asked by
/// the organisation, or content that breaks the rules). A new name applies
/// at once and the journal keeps the old one.
#[server(prefix = "/api", endpoint = "admin/organisation/fiche")]
pub async fn edit_organisation(id: i64, profile: OrganisationProfile) -> Result<(), AppError> {
    use crate::organisations::profile::ssr::{Editor, save};
    with_permission(Permission::OrganisationManage, |pool, admin| async move {
        let kind = sqlx::query_scalar!(
            r#"SELECT kind AS "kind: OrgKind" FROM organisations WHERE id = $1"#,
            id
        )
        .fetch_optional(&pool)
        .await?
        .ok_or(AppError::NotFound)?;
        save(&pool, Editor::Admin(&admin), id, kind, &profile).await?;
        crate::base::forms::redirect_plain_form(&format!("/admin/organisations/{id}?enregistre=1"));
        Ok(())
    })
    .await
}

/// Removes a photo from an organisation's page (content that breaks the
/// rules); the journal keeps its description.
#[server(prefix = "/api", endpoint = "admin/organisation/photo/retirer")]
pub async fn remove_organisation_photo_as_admin(id: i64, photo: i64) -> Result<(), AppError> {
    with_permission(Permission::OrganisationManage, |pool, admin| async move {
        let mut tx = pool.begin().await?;
        let (alt, name) = crate::organisations::photos::ssr::remove(&mut *tx, id, photo).await?;
        crate::identity::auth::ssr::audit(
            &mut *tx,
            Some(admin.id),
            "organisation.photo_removed",
            &crate::identity::auth::ssr::request_meta(),
            crate::identity::auth::ssr::by_admin(
                &admin,
                serde_json::json!({ "organisation": id, "organisation_name": name, "alt": alt }),
            ),
        )
        .await?;
        tx.commit().await?;
        crate::base::forms::redirect_plain_form(&format!("/admin/organisations/{id}#photos"));
        Ok(())
    })
    .await
}

/// An entry of the approval queue: the organisation, its decision buttons
/// (`children`), then what opens `below` them (the refusal's form).
#[component]
fn ReviewCard(
    title: String,
    details: String,
    /// The anchor a link to this entry names.
    #[prop(optional, into)]
    anchor: Option<String>,
    /// Said under the details (an earlier refusal); none when empty.
    #[prop(optional, into)]
    note: String,
    #[prop(optional, into)] below: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    view! {
        <li class="card" id=anchor>
            <div class="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                <div>
                    <p class="font-bold text-slate-900">{title}</p>
                    <p class="text-sm text-slate-700">{details}</p>
                    {(!note.is_empty()).then(|| view! { <p class="mt-1 text-sm text-amber-900">{note}</p> })}
                </div>
                <div class="flex flex-wrap gap-2">{children()}</div>
            </div>
            {below.map(|below| below.run())}
        </li>
    }
}

/// The refusal of a pending organisation: its reason, required, goes to
/// its members. A plain form post that fails comes back to the page it
/// was posted from (`?refuser={id}`), which opens this form again with the
/// message under the field.
#[component]
fn RefusalForm(action: ServerAction<ReviewOrganisation>, id: i64, name: String) -> impl IntoView {
    let error = action_error(action);
    let message = move || error.get().and_then(|e| e.for_field("reason"));
    let field = format!("champ-motif-{id}");
    let help = format!("{field}-aide");
    let error_id = format!("{field}-erreur");
    view! {
        <ActionForm action attr:novalidate=true attr:class="mt-4 space-y-3 border-t border-slate-200 pt-4">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="decision" value="reject"/>
            <div>
                <label for=field.clone() class="block text-sm font-semibold text-slate-900">"Motif du refus"</label>
                <textarea id=field name="reason" rows="4" required maxlength=crate::organisations::REFUSAL_MAX
                    aria-invalid=move || if message().is_some() { "true" } else { "false" }
                    aria-describedby=format!("{help} {error_id}")
                    class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm aria-[invalid=true]:border-red-700"></textarea>
                <p id=help class="mt-1 text-sm text-slate-700">
                    "Envoyé par e-mail aux membres de l'organisation et affiché sur leur tableau de bord : dites ce qui manque ou ne va pas. Ils pourront corriger leur fiche et la soumettre à nouveau."
                </p>
                <p id=error_id class="mt-1 text-sm font-semibold text-red-800">{message}</p>
            </div>
            <div class="flex flex-wrap gap-2">
                <button type="submit" class="btn-primary">
                    "Refuser l'organisation" <span class="sr-only">" " {name}</span>
                </button>
                <a href="/admin/organisations" class="btn-secondary">"Annuler"</a>
            </div>
        </ActionForm>
    }
}

/// `/admin/organisations`: the approval queues, then every organisation.
#[component]
pub fn AdminOrganisationsPage() -> impl IntoView {
    let review = ServerAction::<ReviewOrganisation>::new();
    let pending = reloaded_after([review.version()], pending_organisations);
    let review_error = action_error(review);
    let decided = action_succeeded(review, "decidee");
    // The organisation whose refusal form is open (a link opens it, so
    // that it works without JavaScript).
    let query = use_query_map();
    let refusing = move || {
        query
            .read()
            .get("refuser")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let rename = ServerAction::<ReviewRename>::new();
    let renames = reloaded_after([rename.version()], pending_renames);
    view! {
        <AdminFrame title="Organisations" description="File de validation et liste des organisations." path="/admin/organisations" heading="Organisations">
            <h2 class="mt-6 text-2xl font-bold text-slate-900">"À valider"</h2>
            <div class="mt-2" aria-live="polite">
                <FormError error=review_error fields=&["reason"]/>
                {move || decided().then(|| view! {
                    <p class="rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">
                        "Décision enregistrée : les membres de l'organisation la reçoivent par e-mail."
                    </p>
                })}
            </div>
            <Suspense fallback=|| view! { <p class="mt-6 text-slate-700" aria-busy="true">"Chargement…"</p> }>
                {move || pending.get().map(|result| match result {
                    Err(error) => crate::identity::auth::pages::access_error(error).into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="mt-4 text-slate-700">"Aucune organisation en attente."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="mt-4 space-y-4">
                            {list.into_iter().map(|org| {
                                let details = format!(
                                    "{} · SIRET {} · {} · inscrite le {}",
                                    org.kind.label(),
                                    org.siret,
                                    org.owner_email.unwrap_or_default(),
                                    org.created_at,
                                );
                                let note = org.previous_refusal.map(|reason| format!("Déjà refusée une fois, motif : {reason}")).unwrap_or_default();
                                let (id, name) = (org.id, org.name.clone());
                                let below = ViewFn::from(move || {
                                    let name = name.clone();
                                    move || (refusing() == Some(id)).then(|| view! { <RefusalForm action=review id name=name.clone()/> })
                                });
                                view! {
                                    <ReviewCard title=org.name.clone() details anchor=format!("refus-{}", org.id) note=note below>
                                        <DecisionForm action=review id=org.id decision="approve" label="Approuver" subject=org.name.clone()/>
                                        <a class="btn-secondary" href=format!("/admin/organisations?refuser={}#refus-{}", org.id, org.id)>
                                            "Refuser…" <span class="sr-only">" " {org.name}</span>
                                        </a>
                                    </ReviewCard>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <h2 class="mt-10 text-2xl font-bold text-slate-900">"Changements de nom à valider"</h2>
            <Suspense fallback=|| ()>
                {move || renames.get().map(|result| match result {
                    Err(_) => ().into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="mt-4 text-slate-700">"Aucun changement de nom en attente."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="mt-4 space-y-4">
                            {list.into_iter().map(|org| {
                                let title = format!("{} → {}", org.name, org.pending_name);
                                let details = format!("{} · SIRET {}", org.kind.label(), org.siret);
                                view! {
                                    <ReviewCard title details>
                                        <DecisionForm action=rename id=org.id decision="approve" label="Accepter le nom" subject=org.pending_name.clone()/>
                                        <DecisionForm action=rename id=org.id decision="reject" label="Refuser le nom" subject=org.pending_name secondary=true/>
                                    </ReviewCard>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <AllOrganisations/>
        </AdminFrame>
    }
}

/// Every organisation, with the filters as a GET form (every list is a URL).
#[component]
pub fn AllOrganisations() -> impl IntoView {
    let query = use_query_map();
    let field = move |key: &str| query.read().get(key).unwrap_or_default();
    let list = Resource::new(
        move || {
            (
                field("q"),
                field("type"),
                field("statut"),
                field("page").parse::<i64>().unwrap_or(1),
            )
        },
        |(q, kind, statut, page)| list_organisations(q, kind, statut, page),
    );
    let kinds = [OrgKind::Centre, OrgKind::Entreprise]
        .map(|k| (k.as_db(), k.label()))
        .to_vec();
    let statuses = OrgStatus::ALL.map(|s| (s.as_str(), s.label())).to_vec();
    view! {
        <h2 class="mt-10 text-2xl font-bold text-slate-900" id="toutes">"Toutes les organisations"</h2>
        <FilterForm action="/admin/organisations#toutes" columns="sm:grid-cols-4">
            <label class="block text-sm font-medium text-slate-800 sm:col-span-2">
                "Nom ou SIRET"
                <input type="search" name="q" value=field("q")
                    class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"/>
            </label>
            <FilterSelect name="type" label="Type" options=kinds selected=field("type")/>
            <FilterSelect name="statut" label="Statut" options=statuses selected=field("statut")/>
        </FilterForm>
        {protected(list, move |list| view! {
            <ListPage total=list.total page=list.page per_page=ORGANISATIONS_PAGE base="/admin/organisations"
                filters=&ORGANISATION_FILTERS counted="organisation(s)"
                headers=&["Organisation", "Type", "Statut", "Membres", "Publiées", "Inscrite le"]>
                {list.rows.into_iter().map(|o| view! {
                    <tr class="border-t border-slate-200">
                        <td class="py-2 pr-4">
                            <a class="font-semibold text-brand-700 hover:underline" href=format!("/admin/organisations/{}", o.id)>{o.name}</a>
                            <span class="block text-slate-600">{format!("SIRET {}", o.siret)}</span>
                        </td>
                        <td class="pr-4">{o.kind.label()}</td>
                        <td class="pr-4">{o.status.label()}</td>
                        <td class="pr-4">{o.members}</td>
                        <td class="pr-4">{o.published}</td>
                        <td class="whitespace-nowrap">{o.created}</td>
                    </tr>
                }).collect_view()}
            </ListPage>
        })}
    }
}

/// `/admin/organisations/{id}`.
#[component]
pub fn AdminOrganisationPage() -> impl IntoView {
    let params = use_params_map();
    let manage = ServerAction::<ManageOrganisation>::new();
    let edit = ServerAction::<EditOrganisation>::new();
    let remove_photo = ServerAction::<RemoveOrganisationPhotoAsAdmin>::new();
    let record = Resource::new(
        move || {
            // The versions are part of the key: a resource refetches only
            // when its key changes.
            (
                manage.version().get(),
                edit.version().get(),
                remove_photo.version().get(),
                params
                    .read()
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok()),
            )
        },
        |(_, _, _, id)| async move {
            match id {
                Some(id) => organisation_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AdminFrame title="Organisation" description="Une organisation de la plateforme." path="/admin/organisations" heading="">
            {protected(record, move |o| {
                let public = (o.status == OrgStatus::Approved).then(|| o.kind.public_path(&o.slug));
                view! {
                    <h1 class="text-3xl font-extrabold text-slate-900">{o.profile.name.clone()}</h1>
                    <dl class="mt-6 grid gap-x-8 gap-y-2 text-sm sm:grid-cols-2" data-organisation=o.id data-status=o.status.as_str()>
                        <div><dt class="font-semibold text-slate-900">"Type"</dt><dd>{o.kind.label()}</dd></div>
                        <div><dt class="font-semibold text-slate-900">"Statut"</dt><dd>{o.status.label()}</dd></div>
                        <div><dt class="font-semibold text-slate-900">"SIRET"</dt><dd>{o.siret.clone()}</dd></div>
                        <div><dt class="font-semibold text-slate-900">"Inscrite le"</dt><dd>{o.created.clone()}</dd></div>
                        <div><dt class="font-semibold text-slate-900">"Formations ou offres publiées"</dt><dd>{o.published}</dd></div>
                        <div><dt class="font-semibold text-slate-900">"Page publique"</dt><dd>
                            {match public {
                                Some(href) => {
                                    let text = href.clone();
                                    view! { <a class="break-all text-brand-700 hover:underline" href=href>{text}</a> }.into_any()
                                }
                                None => "Non publiée".into_any(),
                            }}
                        </dd></div>
                    </dl>
                    {o.suspended.clone().map(|(at, reason)| view! {
                        <p class="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-suspended="">
                            {format!("Organisation suspendue le {at}. Motif : {reason}")}
                        </p>
                    })}
                    {o.refused.clone().map(|reason| view! {
                        <p class="mt-4 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-refused="">
                            {format!("Organisation refusée. Motif : {reason}")}
                        </p>
                    })}
                    {matches!(o.status, OrgStatus::Approved | OrgStatus::Suspended).then(|| view! {
                        <SuspensionForm id=o.id suspended=o.status == OrgStatus::Suspended action=manage/>
                    })}
                    <h2 class="mt-8 text-xl font-bold text-slate-900">"Membres"</h2>
                    {if o.members.is_empty() {
                        view! { <p class="mt-2 text-sm text-slate-700">"Aucun membre."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="mt-2 list-disc pl-6 text-sm">
                                {o.members.into_iter().map(|m| view! {
                                    <li>
                                        <a class="text-brand-700 underline" href=format!("/admin/utilisateurs/{}", m.id)>{m.email}</a>
                                        {format!(" ({}) : {}", m.display_name, if m.owner { "responsable" } else { "membre" })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <AdminPhotos id=o.id photos=o.photos action=remove_photo/>
                    <EditForm id=o.id kind=o.kind profile=o.profile action=edit/>
                    <h2 class="mt-8 text-xl font-bold text-slate-900">"Journal de l'organisation"</h2>
                    <div class="mt-2"><AuditTable entries=o.audit with_user=true/></div>
                }
            })}
        </AdminFrame>
    }
}

/// Suspend or reactivate (see [`manage_organisation`]).
#[component]
fn SuspensionForm(
    id: i64,
    suspended: bool,
    action: ServerAction<ManageOrganisation>,
) -> impl IntoView {
    let error = action_error(action);
    let done = action_succeeded(action, "fait");
    let (value, title) = if suspended {
        ("reactiver", "Réactiver l'organisation")
    } else {
        ("suspendre", "Suspendre l'organisation")
    };
    view! {
        <h2 class="mt-8 text-xl font-bold text-slate-900">{title}</h2>
        <p class="mt-1 text-sm text-slate-700">
            {if suspended {
                "Ses formations et offres publiées reviennent aussitôt dans la recherche et le plan du site."
            } else {
                "Ses formations et offres quittent aussitôt la recherche, le plan du site et les pages publiques ; ses membres gardent leur espace."
            }}
        </p>
        <ActionForm action attr:novalidate=true attr:class="mt-4 max-w-md space-y-4">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="action" value=value/>
            {(!suspended).then(|| view! { <Field label="Motif de la suspension" name="reason" error/> })}
            <super::StepUpField error/>
            <FormEnd error fields=&["reason", "code"] label=title class="btn-primary"
                succeeded=done done="C'est fait : le journal de l'organisation le garde."/>
        </ActionForm>
    }
}

/// The photos of the organisation's page, each with a button that removes it
/// (see [`remove_organisation_photo_as_admin`]).
#[component]
fn AdminPhotos(
    id: i64,
    photos: Vec<crate::organisations::photos::Photo>,
    action: ServerAction<RemoveOrganisationPhotoAsAdmin>,
) -> impl IntoView {
    let error = action_error(action);
    view! {
        <h2 id="photos" class="mt-8 text-xl font-bold text-slate-900">{format!("Photos ({})", photos.len())}</h2>
        {photos.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-700">"Aucune photo."</p> })}
        <ul class="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4" role="list">
            {photos.into_iter().map(|photo| view! {
                <li class="rounded-lg border border-slate-200 p-2" data-photo=photo.id>
                    <crate::base::media::ResponsiveImage image=photo.image alt=photo.alt.clone()
                        sizes="12rem" class="aspect-[4/3] w-full rounded object-cover"/>
                    <p class="mt-1 break-words text-sm">{photo.alt.clone()}</p>
                    <ActionForm action attr:class="mt-1">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="photo" value=photo.id/>
                        <button type="submit" class="text-sm font-semibold text-red-800 underline">
                            "Retirer" <span class="sr-only">{format!(" la photo « {} »", photo.alt)}</span>
                        </button>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
        <FormError error fields=&[]/>
    }
}

/// The public profile, edited for the organisation (see [`edit_organisation`]).
#[component]
fn EditForm(
    id: i64,
    kind: OrgKind,
    profile: OrganisationProfile,
    action: ServerAction<EditOrganisation>,
) -> impl IntoView {
    let error = action_error(action);
    let saved = action_succeeded(action, "enregistre");
    view! {
        <h2 class="mt-8 text-xl font-bold text-slate-900">"Fiche publique"</h2>
        <ActionForm action attr:novalidate=true attr:class="mt-4 max-w-3xl space-y-5">
            <input type="hidden" name="id" value=id/>
            <ProfileFields kind profile error/>
            <FormError error fields=FORM_FIELDS/>
            {move || saved().then(|| view! {
                <p class="rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">"Fiche enregistrée."</p>
            })}
            <button type="submit" class="btn-primary">"Enregistrer la fiche"</button>
        </ActionForm>
    }
}
