//! What an organisation publishes, a centre's trainings or a company's
//! offers, is the same thing under two names; this module draws the pages
//! they share: the dashboard listing them (`/tableau-de-bord/formations`,
//! `/tableau-de-bord/offres`), the form page of one of them, and the frame
//! of its public page (`/formations/{slug}`, `/offres/{slug}`) with its
//! "withdrawn" notice. Each domain draws its own rows, fields and details.

use super::profile::OrgKind;
use crate::{base::error::AppError, base::seo::Seo, identity::auth::pages::access_error};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};

/// What the listing page says, by kind.
#[derive(Clone, Copy)]
struct Texts {
    title: &'static str,
    description: &'static str,
    path: &'static str,
    new_label: &'static str,
    pending: &'static str,
    /// What the dashboard says while an admin has suspended the organisation.
    suspended: &'static str,
    /// What it says once an admin refused it (the reason is on the profile page).
    refused: &'static str,
    empty: &'static str,
    columns: [&'static str; 5],
    /// The form page's title and description.
    form_title: &'static str,
    form_description: &'static str,
    saved: &'static str,
    /// The public pages' prefix, and the form's link to the published page.
    public: &'static str,
    view_public: &'static str,
    /// The form's link to what the listing received (label, address + id).
    received: Option<(&'static str, &'static str)>,
    /// Another organisation's listing on the form page: the full 404 page
    /// (offers) or the inline message (trainings).
    not_found_page: bool,
    /// The public page once withdrawn: its description, message and link.
    gone_description: &'static str,
    gone_message: &'static str,
    gone_back: &'static str,
}

impl OrgKind {
    fn listing_texts(self) -> Texts {
        match self {
            Self::Centre => Texts {
                title: "Mes formations",
                description: "Gérer les formations du centre.",
                path: "/tableau-de-bord/formations",
                new_label: "Nouvelle formation",
                pending: "Votre centre attend la validation de l'équipe Passerelle : vos formations publiées seront visibles dès qu'il sera approuvé.",
                suspended: "Votre centre est suspendu par l'équipe Passerelle : ses formations ne sont plus visibles sur le site. Contactez l'équipe pour en connaître le motif.",
                refused: "L'équipe Passerelle n'a pas validé votre centre : le motif et la marche à suivre sont sur la fiche du centre.",
                empty: "Aucune formation pour l'instant.",
                columns: [
                    "Formation",
                    "Statut",
                    "Vues",
                    "Demandes",
                    "Sessions à venir",
                ],
                form_title: "Formation",
                form_description: "Modifier une formation.",
                saved: "Formation enregistrée.",
                public: "/formations",
                view_public: "Voir la fiche publique",
                received: None,
                not_found_page: false,
                gone_description: "Cette formation n'est plus proposée.",
                gone_message: "Cette formation n'est plus proposée par son centre.",
                gone_back: "Voir les autres formations",
            },
            Self::Entreprise => Texts {
                title: "Mes offres d'emploi",
                description: "Gérer les offres d'emploi de l'entreprise.",
                path: "/tableau-de-bord/offres",
                new_label: "Nouvelle offre",
                pending: "Votre entreprise attend la validation de l'équipe Passerelle : vos offres publiées seront visibles dès qu'elle sera approuvée.",
                suspended: "Votre entreprise est suspendue par l'équipe Passerelle : ses offres ne sont plus visibles sur le site. Contactez l'équipe pour en connaître le motif.",
                refused: "L'équipe Passerelle n'a pas validé votre entreprise : le motif et la marche à suivre sont sur la fiche de l'entreprise.",
                empty: "Aucune offre pour l'instant.",
                columns: ["Offre", "Statut", "Vues", "Candidatures", "Expire le"],
                form_title: "Offre d'emploi",
                form_description: "Rédiger une offre d'emploi.",
                saved: "Offre enregistrée.",
                public: "/offres",
                view_public: "Voir l'offre publiée",
                received: Some((
                    "Candidatures reçues",
                    "/tableau-de-bord/candidatures-recues?offre=",
                )),
                not_found_page: true,
                gone_description: "Cette offre d'emploi a été retirée.",
                gone_message: "Cette offre d'emploi a été retirée par l'entreprise.",
                gone_back: "Voir les autres offres",
            },
        }
    }
}

/// The organisation's navigation on its dashboard pages.
fn dashboard_nav(kind: OrgKind) -> AnyView {
    match kind {
        OrgKind::Centre => view! { <crate::ui::nav::CentreNav/> }.into_any(),
        OrgKind::Entreprise => view! { <crate::ui::nav::CompanyNav/> }.into_any(),
    }
}

/// What a page loads from a server function and hands to the domain.
pub trait Loaded: Clone + Serialize + for<'de> Deserialize<'de> + Send + Sync + 'static {}
impl<T: Clone + Serialize + for<'de> Deserialize<'de> + Send + Sync + 'static> Loaded for T {}

/// What a dashboard loads: the organisation's name, its status (the
/// listings are public only while it is approved), and its listings' rows.
pub trait DashboardData: Loaded {
    type Row;
    fn into_parts(self) -> (String, super::OrgStatus, Vec<Self::Row>);
}

/// The page: navigation, title, the "new" link, `children` (the actions'
/// errors), then the table of what `data` loaded, each row drawn by `row`.
/// A duplicate (`duplicated`) opens the copy's form.
#[component]
pub fn ListingDashboard<D: DashboardData, R>(
    kind: OrgKind,
    data: Resource<Result<D, AppError>>,
    #[prop(into)] duplicated: Signal<Option<Result<i64, AppError>>>,
    row: R,
    children: Children,
) -> impl IntoView
where
    R: Fn(D::Row) -> AnyView + Clone + Send + Sync + 'static,
{
    let texts = kind.listing_texts();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(copy)) = duplicated.get() {
            navigate(&format!("{}/{copy}", texts.path), Default::default());
        }
    });
    view! {
        <Seo title=texts.title description=texts.description path=texts.path noindex=true/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            {dashboard_nav(kind)}
            <div class="flex flex-wrap items-center justify-between gap-4">
                <h1 class="text-3xl font-extrabold text-slate-900">{texts.title}</h1>
                <a href=format!("{}/nouvelle", texts.path) class="btn-primary">{texts.new_label}</a>
            </div>
            {children()}
            <Suspense fallback=|| view! { <p class="mt-6" aria-busy="true">"Chargement…"</p> }>
                {move || data.get().map(|result| match result {
                    Err(error) => access_error(error).into_any(),
                    Ok(loaded) => {
                        let (name, status, rows) = loaded.into_parts();
                        let notice = match status {
                            super::OrgStatus::Approved => None,
                            super::OrgStatus::Suspended => Some(texts.suspended),
                            super::OrgStatus::Pending => Some(texts.pending),
                            super::OrgStatus::Rejected => Some(texts.refused),
                        };
                        let rows: Vec<AnyView> = rows.into_iter().map(&row).collect();
                        view! {
                            <p class="mt-2 text-slate-700">{name}</p>
                            {notice.map(|notice| view! {
                                <p class="mt-4 rounded-lg bg-amber-50 p-4 text-amber-900" role="status">{notice}</p>
                            })}
                            {if rows.is_empty() {
                                view! { <p class="mt-6 text-slate-700">{texts.empty}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="mt-6">
                                    <table class="stack-table w-full text-left text-sm">
                                        <thead class="border-b border-slate-300 text-slate-700">
                                            <tr>
                                                {texts.columns.iter().map(|column| view! { <th scope="col" class="py-2 pr-4">{*column}</th> }).collect_view()}
                                                <th scope="col" class="py-2">"Actions"</th>
                                            </tr>
                                        </thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A dashboard row's first cells, the same for every kind: the title
/// (opening the listing's form) with its last change, the status and the
/// views.
pub fn leading_cells(
    kind: OrgKind,
    id: i64,
    title: String,
    updated_on: String,
    status: &'static str,
    views: i64,
) -> impl IntoView {
    let path = kind.listing_texts().path;
    view! {
        <td class="py-3 pr-4">
            <a href=format!("{path}/{id}") class="font-semibold text-brand-700 hover:underline">{title}</a>
            <p class="text-slate-600">"Modifiée le " {updated_on}</p>
        </td>
        <td class="py-3 pr-4" data-label="Statut">{status}</td>
        <td class="py-3 pr-4" data-label="Vues">{views}</td>
    }
}

/// The listing a form page edits: `/tableau-de-bord/…/nouvelle` (0) or
/// `/tableau-de-bord/…/{id}`.
pub fn edited_id() -> Memo<i64> {
    let params = use_params_map();
    // Anything but a number (`nouvelle`) is a new listing.
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    })
}

/// A loaded form page, as the domain draws it.
pub struct ListingForm {
    /// 0 for a new listing.
    pub id: i64,
    /// The saved title, the page's heading.
    pub title: String,
    pub status: &'static str,
    /// The public page's slug, while published.
    pub published: Option<String>,
    /// The form and whatever follows it.
    pub form: AnyView,
}

/// The form page: navigation, heading, status line with its links, the
/// "saved" notice, then the domain's form. Saving a new listing (`saved`
/// with `id` 0) opens the saved one's page.
#[component]
pub fn ListingEditPage<D: Loaded>(
    kind: OrgKind,
    id: Memo<i64>,
    data: Resource<Result<D, AppError>>,
    #[prop(into)] saved: Signal<Option<Result<i64, AppError>>>,
    form: impl Fn(D) -> ListingForm + Send + Sync + 'static,
) -> impl IntoView {
    let texts = kind.listing_texts();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = saved.get()
            && id.get_untracked() == 0
        {
            navigate(&format!("{}/{saved}", texts.path), Default::default());
        }
    });
    view! {
        <Seo title=texts.form_title description=texts.form_description path=texts.path noindex=true/>
        <section class="mx-auto max-w-4xl px-4 py-10 sm:px-6">
            {dashboard_nav(kind)}
            <Suspense fallback=|| view! { <p aria-busy="true">"Chargement…"</p> }>
                {move || data.get().map(|result| match result {
                    Err(AppError::NotFound) if texts.not_found_page => view! { <crate::ui::errors::NotFound/> }.into_any(),
                    Err(error) => access_error(error).into_any(),
                    Ok(loaded) => {
                        let edit = form(loaded);
                        view! {
                            <h1 class="text-3xl font-extrabold text-slate-900">
                                {if edit.id == 0 { texts.new_label.to_owned() } else { edit.title }}
                            </h1>
                            {(edit.id != 0).then(|| view! {
                                <p class="mt-2 text-slate-700">"Statut : " {edit.status}
                                    {edit.published.map(|slug| view! {
                                        " · " <a class="text-brand-700 underline" href=format!("{}/{slug}", texts.public)>{texts.view_public}</a>
                                    })}
                                    {texts.received.map(|(label, href)| view! {
                                        " · " <a class="text-brand-700 underline" href=format!("{href}{}", edit.id)>{label}</a>
                                    })}
                                </p>
                            })}
                            {move || matches!(saved.get(), Some(Ok(_))).then(|| view! {
                                <p class="mt-4 rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">{texts.saved}</p>
                            })}
                            {edit.form}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A public listing's page: the listing, or `Gone` once archived (410).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lookup<T> {
    Found(Box<T>),
    Gone { title: String },
}

/// Who is looking at a public listing, to pick its call to action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    Anonymous,
    Candidate { verified: bool },
    Other,
}

/// The `{slug}` of a public listing's address (`/offres/{slug}`,
/// `/formations/{slug}`).
pub fn slug_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}

/// The public page's frame: the error page, the "withdrawn" notice, or
/// the listing as `found` draws it.
#[component]
pub fn PublicListingPage<T: Loaded>(
    kind: OrgKind,
    lookup: Resource<Result<Lookup<T>, AppError>>,
    found: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let texts = kind.listing_texts();
    view! {
        <Suspense fallback=|| view! { <p class="mx-auto max-w-6xl px-4 py-10" aria-busy="true">"Chargement…"</p> }>
            {move || lookup.get().map(|result| match result {
                Err(error) => crate::ui::errors::error_view(error),
                Ok(Lookup::Gone { title }) => view! {
                    <Seo title=title.clone() description=texts.gone_description path=texts.public noindex=true/>
                    <section class="mx-auto max-w-3xl px-4 py-16 text-center sm:px-6">
                        <h1 class="text-3xl font-extrabold text-slate-900">{title}</h1>
                        <p class="mt-4 text-lg text-slate-700">{texts.gone_message}</p>
                        <a href=texts.public class="btn-primary mt-8 inline-block">{texts.gone_back}</a>
                    </section>
                }.into_any(),
                Ok(Lookup::Found(detail)) => found(*detail),
            })}
        </Suspense>
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{Lookup, Viewer};
    use crate::{
        base::error::AppError, base::seo::ssr::SitemapEntry, identity::auth::Permission,
        identity::users::Role, organisations::profile::OrgKind,
    };
    use sqlx::{PgPool, Postgres, Transaction};

    /// `body` for the signed-in member's organisation of `kind`: editing its
    /// listings, or publishing them (`publish`: that right and a verified
    /// address).
    pub async fn as_editor<T, Fut>(
        kind: OrgKind,
        publish: bool,
        body: impl FnOnce(sqlx::PgPool, i64) -> Fut,
    ) -> Result<T, AppError>
    where
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        let permission = match (kind, publish) {
            (OrgKind::Entreprise, false) => Permission::JobEdit,
            (OrgKind::Entreprise, true) => Permission::JobPublish,
            (OrgKind::Centre, false) => Permission::TrainingEdit,
            (OrgKind::Centre, true) => Permission::TrainingPublish,
        };
        crate::organisations::profile::ssr::as_member(kind, permission, publish, body).await
    }

    /// `body` as the editor, for an action that leaves a listing to edit
    /// (saved or copied; `body` returns its id): a plain form post then
    /// lands on that listing's form page.
    pub async fn edit_then_open<Fut>(
        kind: OrgKind,
        body: impl FnOnce(PgPool, i64) -> Fut,
    ) -> Result<i64, AppError>
    where
        Fut: std::future::Future<Output = Result<i64, AppError>>,
    {
        as_editor(kind, false, |pool, organisation| async move {
            let id = body(pool, organisation).await?;
            let path = kind.listing_texts().path;
            crate::base::forms::redirect_plain_form(&format!("{path}/{id}"));
            Ok(id)
        })
        .await
    }

    /// Saves or un-saves a public listing of `kind` for the signed-in
    /// candidate (who needs the right to apply, or to ask for a place);
    /// returns the new state. A plain form post then goes back to the page
    /// `back` names, if any.
    pub async fn toggle_saved_then<Fut>(
        kind: OrgKind,
        listing: i64,
        back: impl FnOnce(PgPool) -> Fut,
    ) -> Result<bool, AppError>
    where
        Fut: std::future::Future<Output = Result<Option<String>, AppError>>,
    {
        crate::identity::auth::ssr::with_permission(saver(kind), |pool, user| async move {
            let saved = toggle_saved(&pool, kind, user.id, listing).await?;
            if let Some(path) = back(pool).await? {
                crate::base::forms::redirect_plain_form(&path);
            }
            Ok(saved)
        })
        .await
    }

    /// The right a candidate needs to save a listing of `kind`: to apply,
    /// or to ask for a place.
    fn saver(kind: OrgKind) -> Permission {
        match kind {
            OrgKind::Entreprise => Permission::ApplicationCreate,
            OrgKind::Centre => Permission::EnrolmentCreate,
        }
    }

    /// Saves (`saved`) or un-saves a listing of `kind` for the signed-in
    /// candidate, whatever it was before (the public API's PUT and
    /// DELETE). Only a public listing can be saved (else 404); any can be
    /// un-saved.
    pub async fn set_saved(kind: OrgKind, listing: i64, saved: bool) -> Result<(), AppError> {
        crate::identity::auth::ssr::with_permission(saver(kind), |pool, user| async move {
            let public = match (kind, saved) {
                (OrgKind::Entreprise, true) => {
                    sqlx::query_scalar!(
                        r#"WITH listing AS (SELECT id FROM public_job_offers WHERE id = $2),
                            added AS (INSERT INTO saved_offers (user_id, offer_id)
                                      SELECT $1, id FROM listing ON CONFLICT DO NOTHING)
                       SELECT EXISTS (SELECT 1 FROM listing) AS "public!""#,
                        user.id,
                        listing
                    )
                    .fetch_one(&pool)
                    .await?
                }
                (OrgKind::Centre, true) => {
                    sqlx::query_scalar!(
                        r#"WITH listing AS (SELECT id FROM public_trainings WHERE id = $2),
                            added AS (INSERT INTO saved_trainings (user_id, training_id)
                                      SELECT $1, id FROM listing ON CONFLICT DO NOTHING)
                       SELECT EXISTS (SELECT 1 FROM listing) AS "public!""#,
                        user.id,
                        listing
                    )
                    .fetch_one(&pool)
                    .await?
                }
                (OrgKind::Entreprise, false) => {
                    sqlx::query!(
                        "DELETE FROM saved_offers WHERE user_id = $1 AND offer_id = $2",
                        user.id,
                        listing
                    )
                    .execute(&pool)
                    .await?;
                    true
                }
                (OrgKind::Centre, false) => {
                    sqlx::query!(
                        "DELETE FROM saved_trainings WHERE user_id = $1 AND training_id = $2",
                        user.id,
                        listing
                    )
                    .execute(&pool)
                    .await?;
                    true
                }
            };
            if public {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        })
        .await
    }

    /// `body` as the editor (`publish`: with that right), for a change of
    /// a listing's state: a plain form post then lands back on the
    /// dashboard.
    pub async fn change_then_list<Fut>(
        kind: OrgKind,
        publish: bool,
        body: impl FnOnce(PgPool, i64) -> Fut,
    ) -> Result<(), AppError>
    where
        Fut: std::future::Future<Output = Result<(), AppError>>,
    {
        as_editor(kind, publish, |pool, organisation| async move {
            body(pool, organisation).await?;
            crate::base::forms::redirect_plain_form(kind.listing_texts().path);
            Ok(())
        })
        .await
    }

    /// A public page's slug and last change, as the sitemap lists it.
    pub struct PublicPage {
        pub slug: String,
        pub updated_at: chrono::DateTime<chrono::Utc>,
    }

    /// Sitemap entries for the pages `{prefix}/{slug}`.
    pub fn sitemap_pages(
        prefix: &'static str,
        pages: Vec<PublicPage>,
    ) -> impl Iterator<Item = SitemapEntry> {
        pages.into_iter().map(move |page| SitemapEntry {
            path: format!("{prefix}/{}", page.slug),
            last_modified: Some(page.updated_at),
        })
    }

    /// A listing's title, trimmed: 5 to 160 characters.
    pub fn title(kind: OrgKind, text: &str) -> Result<String, AppError> {
        let title = text.trim().to_owned();
        if (5..=160).contains(&title.chars().count()) {
            Ok(title)
        } else {
            Err(AppError::invalid(
                "title",
                match kind {
                    OrgKind::Centre => "Le titre doit faire entre 5 et 160 caractères.",
                    OrgKind::Entreprise => "L'intitulé doit faire entre 5 et 160 caractères.",
                },
            ))
        }
    }

    /// A listing's description as its author wrote it (Markdown) and as
    /// pages show it (sanitised HTML).
    #[derive(Debug)]
    pub struct Description {
        pub markdown: String,
        pub html: String,
    }

    /// A listing's description, trimmed Markdown of 20 000 characters at
    /// most, and its HTML.
    pub fn description(text: &str) -> Result<Description, AppError> {
        if text.chars().count() > 20_000 {
            return Err(AppError::invalid(
                "description",
                "La description est trop longue (20 000 caractères au plus).",
            ));
        }
        let markdown = text.trim().to_owned();
        let html = crate::base::markdown::render(&markdown, &std::collections::HashMap::new());
        Ok(Description { markdown, html })
    }

    /// A public page's load (`load`), answered: a page render of a
    /// withdrawn listing gets a 410; the hydrated app's call gets a 200
    /// with `Gone` in its body (a 4xx body would be read as an error).
    /// A public read: the replica's for visitors not signed in.
    pub async fn answer<T, Fut>(load: impl FnOnce(PgPool) -> Fut) -> Result<Lookup<T>, AppError>
    where
        Fut: std::future::Future<Output = Result<Lookup<T>, AppError>>,
    {
        let found = crate::base::db::with_read_pool(load).await;
        if let Ok(Lookup::Gone { .. }) = &found
            && crate::base::seo::ssr::is_page_render()
            && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        {
            response.set_status(http::StatusCode::GONE);
        }
        found
    }

    /// The organisation's name and status, for the head of its dashboard.
    pub struct Publisher {
        pub name: String,
        pub status: crate::organisations::OrgStatus,
    }

    pub async fn publisher(pool: &PgPool, organisation: i64) -> Result<Publisher, AppError> {
        Ok(sqlx::query_as!(
            Publisher,
            r#"SELECT name, status AS "status: crate::organisations::OrgStatus" FROM organisations WHERE id = $1"#,
            organisation
        )
        .fetch_one(pool)
        .await?)
    }

    /// 404 unless the listing belongs to the organisation: another
    /// organisation's listings do not exist for it.
    pub async fn ensure_owned(
        tx: &mut sqlx::PgConnection,
        kind: OrgKind,
        organisation: i64,
        listing: i64,
    ) -> Result<(), AppError> {
        let owned = match kind {
            OrgKind::Entreprise => sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM job_offers WHERE id = $1 AND company_id = $2) AS "owned!""#,
                listing,
                organisation
            ),
            OrgKind::Centre => sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM trainings WHERE id = $1 AND centre_id = $2) AS "owned!""#,
                listing,
                organisation
            ),
        }
        .fetch_one(&mut *tx)
        .await?;
        if owned {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Replaces the skills a listing asks for (offers) or teaches
    /// (trainings).
    pub async fn set_skills(
        tx: &mut sqlx::PgConnection,
        kind: OrgKind,
        listing: i64,
        skills: &[i64],
    ) -> Result<(), AppError> {
        // Each kind keeps its skills in a table of its own.
        let (clear, insert) = match kind {
            OrgKind::Entreprise => (
                sqlx::query!("DELETE FROM job_skills WHERE offer_id = $1", listing),
                sqlx::query!(
                    "INSERT INTO job_skills (offer_id, skill_id) SELECT $1, unnest($2::bigint[])",
                    listing,
                    skills
                ),
            ),
            OrgKind::Centre => (
                sqlx::query!(
                    "DELETE FROM training_skills WHERE training_id = $1",
                    listing
                ),
                sqlx::query!(
                    "INSERT INTO training_skills (training_id, skill_id) SELECT $1, unnest($2::bigint[])",
                    listing,
                    skills
                ),
            ),
        };
        clear.execute(&mut *tx).await?;
        insert.execute(&mut *tx).await?;
        Ok(())
    }

    /// A draft copy of the organisation's listing: its fields, its skills
    /// and a training's places, not its sessions. Returns the copy's id.
    pub async fn duplicate(
        pool: &PgPool,
        kind: OrgKind,
        organisation: i64,
        listing: i64,
    ) -> Result<i64, AppError> {
        let mut tx = pool.begin().await?;
        ensure_owned(&mut tx, kind, organisation, listing).await?;
        // A withdrawn listing does not come back as a copy.
        let content = match kind {
            OrgKind::Entreprise => crate::base::moderation::ContentKind::Offres,
            OrgKind::Centre => crate::base::moderation::ContentKind::Formations,
        };
        crate::base::moderation::ssr::refuse_if_withdrawn(&mut *tx, content, listing).await?;
        let copy = match kind {
            OrgKind::Entreprise => sqlx::query_scalar!(
                "INSERT INTO job_offers (company_id, slug, title, description_markdown, description_html,
            contract, working_time, remote, salary_min, salary_max, salary_unit, experience,
            diploma_level, commune_code, start_date, openings, expiry_days, apply_channel,
            apply_url, apply_email)
         SELECT company_id, '', left(title, 150) || ' (copie)', description_markdown, description_html,
            contract, working_time, remote, salary_min, salary_max, salary_unit, experience,
            diploma_level, commune_code, start_date, openings, expiry_days, apply_channel,
            apply_url, apply_email
         FROM job_offers WHERE id = $1 RETURNING id",
                listing
            ),
            OrgKind::Centre => sqlx::query_scalar!(
                "INSERT INTO trainings (centre_id, title, summary, description_markdown, description_html,
            objectives, prerequisites, certification_kind, certification_code, certification_level,
            cpf_eligible, modality, duration_hours, price_cents, funding, rolling_entry)
         SELECT centre_id, left(title, 150) || ' (copie)', summary, description_markdown, description_html,
            objectives, prerequisites, certification_kind, certification_code, certification_level,
            cpf_eligible, modality, duration_hours, price_cents, funding, rolling_entry
         FROM trainings WHERE id = $1 RETURNING id",
                listing
            ),
        }
        .fetch_one(&mut *tx)
        .await?;
        // Each kind keeps its skills (and a training its places) in tables
        // of its own.
        match kind {
            OrgKind::Entreprise => {
                sqlx::query!(
                    "INSERT INTO job_skills (offer_id, skill_id) SELECT $1, skill_id FROM job_skills WHERE offer_id = $2",
                    copy,
                    listing
                )
                .execute(&mut *tx)
                .await?;
            }
            OrgKind::Centre => {
                sqlx::query!(
                    "INSERT INTO training_skills (training_id, skill_id) SELECT $1, skill_id FROM training_skills WHERE training_id = $2",
                    copy,
                    listing
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query!(
                    "INSERT INTO training_places (training_id, commune_code) SELECT $1, commune_code FROM training_places WHERE training_id = $2",
                    copy,
                    listing
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        refresh_and_commit(tx, kind, copy).await?;
        Ok(copy)
    }

    /// [`duplicate`] as the editor; a plain form post then lands on the
    /// copy's form page.
    pub async fn duplicate_then_open(kind: OrgKind, listing: i64) -> Result<i64, AppError> {
        edit_then_open(kind, |pool, organisation| async move {
            duplicate(&pool, kind, organisation, listing).await
        })
        .await
    }

    /// Ends a write to a listing: its row in the public search table
    /// (`job_search`, `training_search`) is brought in step, then all is
    /// committed together.
    pub async fn refresh_and_commit(
        mut tx: Transaction<'_, Postgres>,
        kind: OrgKind,
        listing: i64,
    ) -> Result<(), AppError> {
        match kind {
            OrgKind::Entreprise => {
                sqlx::query!("SELECT refresh_job_search($1)", listing)
                    .execute(&mut *tx)
                    .await?
            }
            OrgKind::Centre => {
                sqlx::query!("SELECT refresh_training_search($1)", listing)
                    .execute(&mut *tx)
                    .await?
            }
        };
        tx.commit().await?;
        Ok(())
    }

    /// Saves or un-saves a public listing for the candidate `user`;
    /// returns the new state. Only public listings can be saved.
    pub async fn toggle_saved(
        pool: &PgPool,
        kind: OrgKind,
        user: i64,
        listing: i64,
    ) -> Result<bool, AppError> {
        // Each kind keeps its saved listings in a table of its own.
        let (remove, add) = match kind {
            OrgKind::Entreprise => (
                sqlx::query!(
                    "DELETE FROM saved_offers WHERE user_id = $1 AND offer_id = $2",
                    user,
                    listing
                ),
                sqlx::query!(
                    "INSERT INTO saved_offers (user_id, offer_id)
         SELECT $1, id FROM public_job_offers WHERE id = $2",
                    user,
                    listing
                ),
            ),
            OrgKind::Centre => (
                sqlx::query!(
                    "DELETE FROM saved_trainings WHERE user_id = $1 AND training_id = $2",
                    user,
                    listing
                ),
                sqlx::query!(
                    "INSERT INTO saved_trainings (user_id, training_id)
         SELECT $1, id FROM public_trainings WHERE id = $2 ON CONFLICT DO NOTHING",
                    user,
                    listing
                ),
            ),
        };
        let mut tx = pool.begin().await?;
        if remove.execute(&mut *tx).await?.rows_affected() > 0 {
            tx.commit().await?;
            return Ok(false);
        }
        if add.execute(&mut *tx).await?.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Who is looking at a public listing, and the candidate's id when it
    /// is a candidate (the only one who can save it or ask for it).
    pub async fn viewer(pool: &PgPool) -> Result<(Viewer, Option<i64>), AppError> {
        Ok(
            match crate::identity::auth::ssr::current_user(pool).await? {
                None => (Viewer::Anonymous, None),
                Some(user) if user.role == Role::Candidate => (
                    Viewer::Candidate {
                        verified: user.email_verified,
                    },
                    Some(user.id),
                ),
                Some(_) => (Viewer::Other, None),
            },
        )
    }

    /// A whole number typed in a form's field, if it lies in `range`.
    pub fn number_in<T: std::str::FromStr + PartialOrd>(
        text: &str,
        range: std::ops::RangeInclusive<T>,
    ) -> Option<T> {
        text.parse::<T>().ok().filter(|n| range.contains(n))
    }

    /// An amount of euros as typed in France ("2 100", "1250,50 €"):
    /// without its spaces and euro sign, a decimal comma read as a point.
    fn euros(text: &str) -> String {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{202f}')
            .map(|c| if c == ',' { '.' } else { c })
            .collect()
    }

    /// A salary: whole euros, 1 to 10 000 000; `None` otherwise.
    pub fn whole_euros(text: &str) -> Option<i32> {
        euros(text)
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=10_000_000).contains(n))
    }

    /// A price in cents: 0 (nothing typed: free) to 200 000 euros, cents
    /// allowed; `None` otherwise.
    pub fn cents(text: &str) -> Option<i32> {
        let cleaned = euros(text);
        if cleaned.is_empty() {
            return Some(0);
        }
        let euros: f64 = cleaned.parse().ok()?;
        (0.0..=200_000.0)
            .contains(&euros)
            .then(|| (euros * 100.0).round() as i32)
    }

    #[cfg(test)]
    mod tests {
        use super::{cents, whole_euros};

        #[test]
        fn euros_as_typed_in_france() {
            // (typed, as a salary, as a price in cents)
            for (text, salary, price) in [
                ("2 100", Some(2100), Some(210_000)),
                ("35000 €", Some(35_000), Some(3_500_000)),
                ("1 250", Some(1250), Some(125_000)),
                ("1250,50 €", None, Some(125_050)),
                ("0", None, Some(0)),
                ("", None, Some(0)),
                ("-5", None, None),
                ("-3", None, None),
                ("beaucoup", None, None),
            ] {
                assert_eq!(whole_euros(text), salary, "salary {text:?}");
                assert_eq!(cents(text), price, "price {text:?}");
            }
        }
    }
}
