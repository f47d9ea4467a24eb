//! `/admin/contenus`: every job offer, training and article whoever owns
//! it, found by title or owner; moderation withdraws one with a reason.
//! A withdrawn item leaves every public page in the same transaction, its
//! owner cannot publish it again, and each of its owners is told why by
//! e-mail (a background job per person, queued in that transaction).

use super::{AdminFrame, FilterForm, FilterSelect, ListPage};
pub use crate::base::moderation::ContentKind;
#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::ui::form::{FormError, action_error, action_succeeded};
use crate::{base::error::AppError, identity::auth::pages::protected};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// Rows per page of the list.
pub const CONTENT_PAGE: i64 = 50;

const CONTENT_FILTERS: [&str; 3] = ["type", "q", "statut"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    /// The organisation, or the article's author.
    pub owner: String,
    pub status: String,
    pub public: bool,
    /// The moderation's reason, once withdrawn.
    pub withdrawn: Option<String>,
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentList {
    pub kind: ContentKind,
    pub rows: Vec<ContentRow>,
    pub total: i64,
    pub page: i64,
}

/// A page of `kind` ("offres" by default, "formations", "articles"),
/// newest first; `q` is looked for in the title and the owner's name;
/// `statut` is "public" or "retire" (withdrawn), anything else all.
#[server(prefix = "/api", endpoint = "admin/contenus")]
pub async fn list_content(
    #[server(default)] kind: String,
    #[server(default)] q: String,
    #[server(default)] statut: String,
    #[server(default)] page: i64,
) -> Result<ContentList, AppError> {
    with_permission(Permission::BackofficeRead, |pool, _| async move {
        let kind = ContentKind::parse(&kind).unwrap_or(ContentKind::Offres);
        let page = page.clamp(1, 10_000);
        let pattern = super::contains_pattern(&q);
        let public = match statut.as_str() {
            "public" => Some(true),
            "retire" => Some(false),
            _ => None,
        };
        // One branch per table, each saying what "public" means for it;
        // only the branch of `kind` runs.
        let rows = sqlx::query!(
            r#"SELECT c.id AS "id!", c.title AS "title!", c.slug AS "slug!", c.owner AS "owner!",
                      c.status AS "status!", c.public AS "public!", c.withdrawn,
                      to_char(c.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY') AS "created!",
                      count(*) OVER () AS "total!"
               FROM (
                   SELECT j.id, j.title, j.slug, o.name AS owner,
                          CASE WHEN j.status = 'published' AND j.expires_at <= now() THEN 'expired' ELSE j.status END,
                          j.created_at,
                          (j.status = 'published' AND j.expires_at > now() AND o.status = 'approved') AS public,
                          CASE WHEN j.withdrawn_at IS NOT NULL THEN j.withdrawal_reason END AS withdrawn
                   FROM job_offers j JOIN organisations o ON o.id = j.company_id WHERE $5 = 'offres'
                   UNION ALL
                   SELECT t.id, t.title, t.slug, o.name, t.status, t.created_at,
                          (t.status = 'published' AND o.status = 'approved'),
                          CASE WHEN t.withdrawn_at IS NOT NULL THEN t.withdrawal_reason END
                   FROM trainings t JOIN organisations o ON o.id = t.centre_id WHERE $5 = 'formations'
                   UNION ALL
                   SELECT a.id, a.title, a.slug, coalesce(u.display_name, '—'), a.status, a.created_at,
                          (a.status IN ('published', 'scheduled') AND a.published_at <= now()),
                          CASE WHEN a.withdrawn_at IS NOT NULL THEN a.withdrawal_reason END
                   FROM articles a LEFT JOIN users u ON u.id = a.author_id WHERE $5 = 'articles'
               ) c
               WHERE ($1 = '%%' OR c.title ILIKE $1 OR c.owner ILIKE $1)
                 AND ($2::bool IS NULL OR ($2 AND c.public) OR (NOT $2 AND c.withdrawn IS NOT NULL))
               ORDER BY c.created_at DESC, c.id DESC LIMIT $3 OFFSET $4"#,
            pattern,
            public,
            CONTENT_PAGE,
            (page - 1) * CONTENT_PAGE,
            kind.param(),
        )
        .fetch_all(&pool)
        .await?;
        Ok(ContentList {
            kind,
            total: rows.first().map_or(0, |row| row.total),
            page,
            rows: rows
                .into_iter()
                .map(|r| ContentRow {
                    id: r.id,
                    title: r.title,
                    slug: r.slug,
                    owner: r.owner,
                    status: r.status,
                    public: r.public,
                    withdrawn: r.withdrawn,
                    created: r.created,
                })
                .collect(),
        })
    })
    .await
}

/// Withdraws `id` of `kind` with a `reason` (5 to 500 characters) that
/// its owners receive by e-mail: archived (out of the search, the sitemap
/// and its page), never published again by its owner, journaled. An
/// offer's open reports are closed with it.
#[server(prefix = "/api", endpoint = "admin/contenus/retirer")]
pub async fn withdraw_content(
    kind: String,
    id: i64,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    with_permission(Permission::ContentModerate, |pool, admin| async move {
        let kind = ContentKind::parse(&kind)
            .ok_or_else(|| AppError::invalid("kind", "Type de contenu inconnu."))?;
        let reason = reason.trim().to_owned();
        if !(5..=500).contains(&reason.chars().count()) {
            return Err(AppError::invalid(
                "reason",
                "Indiquez le motif du retrait (5 à 500 caractères) : il est envoyé à son auteur.",
            ));
        }
        let mut tx = pool.begin().await?;
        // (title, organisation) of what was withdrawn; the WHERE clause
        // makes a second withdrawal a no-op that is refused below.
        let withdrawn = match kind {
            ContentKind::Offres => sqlx::query!(
                "UPDATE job_offers SET status = 'archived', withdrawn_at = now(), withdrawal_reason = $2, updated_at = now()
                 WHERE id = $1 AND withdrawn_at IS NULL RETURNING title, company_id",
                id,
                reason
            )
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| (r.title, Some(r.company_id))),
            ContentKind::Formations => sqlx::query!(
                "UPDATE trainings SET status = 'archived', withdrawn_at = now(), withdrawal_reason = $2, updated_at = now()
                 WHERE id = $1 AND withdrawn_at IS NULL RETURNING title, centre_id",
                id,
                reason
            )
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| (r.title, Some(r.centre_id))),
            ContentKind::Articles => sqlx::query!(
                "UPDATE articles SET status = 'archived', withdrawn_at = now(), withdrawal_reason = $2, updated_at = now()
                 WHERE id = $1 AND withdrawn_at IS NULL RETURNING title",
                id,
                reason
            )
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| (r.title, None)),
        };
        let Some((title, organisation)) = withdrawn else {
            return Err(AppError::NotFound);
        };
        match kind {
            ContentKind::Offres => {
                sqlx::query!("SELECT refresh_job_search($1)", id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query!(
                    "UPDATE offer_reports SET status = 'actioned', handled_by = $2, handled_at = now()
                     WHERE offer_id = $1 AND status = 'open'",
                    id,
                    admin.id
                )
                .execute(&mut *tx)
                .await?;
            }
            ContentKind::Formations => {
                sqlx::query!("SELECT refresh_training_search($1)", id)
                    .execute(&mut *tx)
                    .await?;
            }
            ContentKind::Articles => {}
        }
        // One notice per owner: the organisation's members, or the author.
        sqlx::query!(
            "INSERT INTO background_jobs (kind, payload, dedupe_key)
             SELECT 'content_withdrawn', jsonb_build_object('content', $1::text, 'id', $2::bigint, 'user', u),
                    'content_withdrawn:' || $1 || ':' || $2 || ':' || u
             FROM unnest(CASE WHEN $3::bigint IS NULL
                              THEN ARRAY(SELECT author_id FROM articles WHERE id = $2 AND author_id IS NOT NULL)
                              ELSE ARRAY(SELECT user_id FROM memberships WHERE organisation_id = $3) END) AS u
             ON CONFLICT (dedupe_key) DO NOTHING",
            kind.param(),
            id,
            organisation
        )
        .execute(&mut *tx)
        .await?;
        let mut detail = serde_json::json!({
            "content": kind.param(), "id": id, "title": title, "reason": reason,
        });
        if let Some(organisation) = organisation {
            // So that the organisation's journal lists it too.
            detail["organisation"] = organisation.into();
        }
        crate::identity::auth::ssr::audit(
            &mut *tx,
            Some(admin.id),
            "content.withdrawn",
            &crate::identity::auth::ssr::request_meta(),
            crate::identity::auth::ssr::by_admin(&admin, detail),
        )
        .await?;
        tx.commit().await?;
        crate::base::forms::redirect_plain_form(&format!(
            "/admin/contenus?type={}&retire=1",
            kind.param()
        ));
        Ok(())
    })
    .await
}

/// A content's status (`status` of its table) in words.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "draft" => "Brouillon",
        "published" => "Publié",
        "scheduled" => "Programmé",
        "expired" => "Expiré",
        "filled" => "Pourvu",
        "archived" => "Archivé",
        _ => "Autre état",
    }
}

/// `/admin/contenus`.
#[component]
pub fn AdminContentPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |key: &str| query.read().get(key).unwrap_or_default();
    let withdraw = ServerAction::<WithdrawContent>::new();
    let list = Resource::new(
        move || {
            // The versions are part of the key: a resource refetches only
            // when its key changes.
            (
                withdraw.version().get(),
                field("type"),
                field("q"),
                field("statut"),
                field("page").parse::<i64>().unwrap_or(1),
            )
        },
        |(_, kind, q, statut, page)| list_content(kind, q, statut, page),
    );
    let error = action_error(withdraw);
    let done = action_succeeded(withdraw, "retire");
    let kinds = ContentKind::ALL.map(|k| (k.param(), k.label())).to_vec();
    view! {
        <AdminFrame title="Contenus" description="Offres, formations et articles de tous les auteurs." path="/admin/contenus" heading="Contenus">
            <FilterForm action="/admin/contenus" columns="sm:grid-cols-4">
                <label class="block text-sm font-medium text-slate-800">
                    "Type"
                    <select name="type" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2">
                        {kinds.into_iter().map(|(value, text)| {
                            let chosen = field("type") == value;
                            view! { <option value=value selected=chosen>{text}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="block text-sm font-medium text-slate-800 sm:col-span-2">
                    "Titre ou auteur"
                    <input type="search" name="q" value=field("q")
                        class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"/>
                </label>
                <FilterSelect name="statut" label="Statut" options=vec![("public", "En ligne"), ("retire", "Retiré par la modération")] selected=field("statut")/>
            </FilterForm>
            <p class="mt-4 text-sm text-slate-700">
                "Un contenu retiré quitte aussitôt le site ; son auteur reçoit le motif par e-mail et ne peut plus le republier."
            </p>
            <div class="mt-2" aria-live="polite">
                <FormError error fields=&[]/>
                {move || done().then(|| view! {
                    <p class="rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">"Contenu retiré : le motif part par e-mail à ses auteurs."</p>
                })}
            </div>
            {protected(list, move |list| {
                let kind = list.kind;
                view! {
                    <ListPage total=list.total page=list.page per_page=CONTENT_PAGE base="/admin/contenus"
                        filters=&CONTENT_FILTERS counted="contenu(s)"
                        headers=&["Titre", "Auteur", "Statut", "Créé le", "Modération"]>
                        {list.rows.into_iter().map(|c| {
                            let withdrawable = c.withdrawn.is_none();
                            view! {
                            <tr class="border-t border-slate-200 align-top" data-content=c.id>
                                <td class="py-2 pr-4">
                                    {if c.public {
                                        view! { <a class="font-semibold text-brand-700 hover:underline" href=kind.public_path(&c.slug)>{c.title}</a> }.into_any()
                                    } else {
                                        view! { <span class="font-semibold">{c.title}</span> }.into_any()
                                    }}
                                    <span class="block text-slate-600">{format!("n° {}", c.id)}</span>
                                </td>
                                <td class="pr-4">{c.owner}</td>
                                <td class="pr-4">
                                    {if c.public { "En ligne" } else { status_label(&c.status) }}
                                    {c.withdrawn.map(|reason| view! {
                                        <span class="block font-semibold text-amber-800">{format!("Retiré : {reason}")}</span>
                                    })}
                                </td>
                                <td class="pr-4 whitespace-nowrap">{c.created}</td>
                                <td>
                                    {withdrawable.then(|| view! {
                                        <details>
                                            <summary class="cursor-pointer font-semibold text-brand-700">"Retirer"</summary>
                                            <ActionForm action=withdraw attr:novalidate=true attr:class="mt-2 w-64 space-y-2">
                                                <input type="hidden" name="kind" value=kind.param()/>
                                                <input type="hidden" name="id" value=c.id/>
                                                <label class="block text-sm font-semibold text-slate-900">
                                                    "Motif, envoyé à l'auteur"
                                                    <textarea name="reason" rows="3" required
                                                        class="mt-1 block w-full rounded-lg border border-slate-400 px-2 py-1"></textarea>
                                                </label>
                                                <button type="submit" class="btn-secondary">"Retirer du site"</button>
                                            </ActionForm>
                                        </details>
                                    })}
                                </td>
                            </tr>
                        }}).collect_view()}
                    </ListPage>
                }
            })}
        </AdminFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_in_french() {
        assert_eq!(status_label("archived"), "Archivé");
        assert_eq!(status_label("expired"), "Expiré");
    }
}
