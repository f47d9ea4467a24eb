//! The editors' dashboard: `/tableau-de-bord/blog` lists articles, the
//! editor writes them with a live preview, image uploads, scheduling and
//! revisions. Unsaved text is kept in the browser as it is typed, so a
//! closed tab loses nothing.

use super::{Category, Status};
#[cfg(feature = "ssr")]
use crate::identity::auth::{AuthUser, Permission, ssr::with_permission};
use crate::{
    base::error::AppError,
    base::media::{ImageRef, ResponsiveImage},
    base::seo::Seo,
    identity::auth::pages::{access_error, protected},
    ui::{form::FormError, toast::use_toasts},
};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorQuery {
    pub q: String,
    pub status: String,
    pub category: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    /// As the public sees it: a scheduled article whose time came is published.
    pub status: Status,
    pub category: Option<String>,
    pub updated: String,
    pub published: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: i64,
    pub title: String,
    pub at: String,
    pub author: Option<String>,
}

/// An article as the editor loads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub excerpt: String,
    pub body_markdown: String,
    pub body_html: String,
    pub cover: Option<ImageRef>,
    pub cover_alt: String,
    /// Category slug, empty for none.
    pub category: String,
    /// Tag names, comma-separated.
    pub tags: String,
    pub status: Status,
    /// `YYYY-MM-DDTHH:MM`, Paris time, empty when never published.
    pub publish_at: String,
    pub updated: String,
    pub revisions: Vec<Revision>,
}

/// What the editor sends to save.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleInput {
    pub id: Option<i64>,
    pub title: String,
    /// Empty: made from the title.
    pub slug: String,
    pub excerpt: String,
    pub body_markdown: String,
    pub cover_media_id: Option<i64>,
    pub cover_alt: String,
    pub category: String,
    pub tags: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusAction {
    Publish,
    /// `YYYY-MM-DDTHH:MM`, Paris time.
    Schedule(String),
    Unpublish,
    Archive,
}

/// What every editor page needs first; also the access check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorContext {
    pub categories: Vec<Category>,
    pub can_publish: bool,
}

/// Runs a server function's `body` for a signed-in user who may edit
/// articles (as [`with_permission`]).
#[cfg(feature = "ssr")]
async fn as_editor<T, Fut>(body: impl FnOnce(sqlx::PgPool, AuthUser) -> Fut) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    with_permission(Permission::ArticleEdit, body).await
}

#[server(prefix = "/api", endpoint = "blog/editeur")]
pub async fn editor_setup() -> Result<EditorContext, AppError> {
    as_editor(|pool, user| async move {
        let can_publish =
            crate::identity::auth::ssr::role_has(&pool, user.role, Permission::ArticlePublish)
                .await?;
        Ok(EditorContext {
            categories: super::ssr::categories(&pool).await?,
            can_publish,
        })
    })
    .await
}

#[server(prefix = "/api", endpoint = "blog/editeur/articles")]
pub async fn editor_articles(query: EditorQuery) -> Result<Vec<EditorRow>, AppError> {
    as_editor(|pool, _| async move { super::ssr::editor_rows(&pool, &query).await }).await
}

#[server(prefix = "/api", endpoint = "blog/editeur/article")]
pub async fn editor_article(id: i64) -> Result<Draft, AppError> {
    as_editor(|pool, _| async move { super::ssr::draft(&pool, id).await }).await
}

#[server(prefix = "/api", endpoint = "blog/editeur/enregistrer")]
pub async fn save_article(input: ArticleInput) -> Result<Draft, AppError> {
    as_editor(|pool, user| async move {
        let id = super::ssr::save(&pool, user.id, &input).await?;
        super::ssr::draft(&pool, id).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "blog/editeur/statut")]
pub async fn change_article_status(id: i64, action: StatusAction) -> Result<Draft, AppError> {
    with_permission(Permission::ArticlePublish, |pool, _| async move {
        super::ssr::change_status(&pool, id, &action).await?;
        super::ssr::draft(&pool, id).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "blog/editeur/restaurer")]
pub async fn restore_revision(id: i64, revision: i64) -> Result<Draft, AppError> {
    as_editor(|pool, user| async move {
        super::ssr::restore_revision(&pool, user.id, id, revision).await?;
        super::ssr::draft(&pool, id).await
    })
    .await
}

/// The editor's preview: the same rendering and cleaning as publication.
#[server(prefix = "/api", endpoint = "blog/editeur/apercu")]
pub async fn preview_markdown(markdown: String) -> Result<String, AppError> {
    as_editor(|pool, _| async move {
        if markdown.len() > 200_000 {
            return Err(AppError::invalid(
                "body_markdown",
                "Le texte est trop long (200 000 caractères au plus).",
            ));
        }
        super::ssr::render_body(&pool, &markdown).await
    })
    .await
}

fn status_badge(status: Status) -> impl IntoView {
    let class = match status {
        Status::Draft => "bg-slate-200 text-slate-900",
        Status::Scheduled => "bg-amber-100 text-amber-900",
        Status::Published => "bg-green-100 text-green-900",
        Status::Archived => "bg-slate-700 text-white",
    };
    view! {
        <span class=format!("inline-block rounded-full px-2.5 py-0.5 text-xs font-bold {class}")>
            {status.label()}
        </span>
    }
}

/// `/tableau-de-bord/blog`: every article, with filters and search.
#[component]
pub fn EditorListPage() -> impl IntoView {
    let query = use_query_map();
    let current = move || {
        let q = query.get();
        EditorQuery {
            q: q.get("q").unwrap_or_default(),
            status: q.get("statut").unwrap_or_default(),
            category: q.get("categorie").unwrap_or_default(),
        }
    };
    let context = Resource::new(|| (), |_| editor_setup());
    let rows = Resource::new(current, editor_articles);
    view! {
        <Seo title="Articles du blog" description="Rédaction et publication des articles du blog." path="/tableau-de-bord/blog" noindex=true/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            <div class="flex flex-wrap items-center justify-between gap-4">
                <h1 class="text-3xl font-extrabold text-slate-900">"Articles du blog"</h1>
                <a href="/tableau-de-bord/blog/nouveau" class="btn-primary">"Nouvel article"</a>
            </div>
            {protected(context, move |context| {
                let selected = current();
                view! {
                    <form method="get" role="search" class="mt-6 flex flex-wrap items-end gap-3">
                        <div>
                            <label for="recherche" class="block text-sm font-semibold">"Rechercher"</label>
                            <input id="recherche" name="q" type="search" value=selected.q class="mt-1 rounded-lg border border-slate-400 px-3 py-2"/>
                        </div>
                        <div>
                            <label for="statut" class="block text-sm font-semibold">"Statut"</label>
                            <select id="statut" name="statut" class="mt-1 rounded-lg border border-slate-400 px-3 py-2">
                                <option value="">"Tous"</option>
                                {[Status::Draft, Status::Scheduled, Status::Published, Status::Archived].into_iter().map(|s| view! {
                                    <option value=s.as_str() selected=selected.status == s.as_str()>{s.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="categorie" class="block text-sm font-semibold">"Catégorie"</label>
                            <select id="categorie" name="categorie" class="mt-1 rounded-lg border border-slate-400 px-3 py-2">
                                <option value="">"Toutes"</option>
                                {context.categories.into_iter().map(|c| {
                                    let chosen = selected.category == c.slug;
                                    view! { <option value=c.slug selected=chosen>{c.name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="btn-secondary">"Filtrer"</button>
                    </form>
                    <EditorTable rows/>
                }
            })}
        </section>
    }
}

#[component]
fn EditorTable(rows: Resource<Result<Vec<EditorRow>, AppError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || rows.get().map(|result| match result {
                Err(error) => access_error(error),
                Ok(list) if list.is_empty() => view! { <p class="mt-6">"Aucun article ne correspond."</p> }.into_any(),
                Ok(list) => view! {
                    <div class="mt-6 overflow-x-auto" tabindex="0" role="region" aria-label="Articles">
                        <table class="w-full text-left text-sm">
                            <thead><tr>
                                <th class="py-2 pr-4">"Titre"</th><th class="pr-4">"Statut"</th>
                                <th class="pr-4">"Catégorie"</th><th class="pr-4">"Publication"</th><th>"Modifié le"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|row| view! {
                                    <tr class="border-t border-slate-200">
                                        <td class="py-2 pr-4">
                                            <a class="font-semibold text-brand-800 underline" href=format!("/tableau-de-bord/blog/{}", row.id)>{row.title}</a>
                                        </td>
                                        <td class="pr-4">{status_badge(row.status)}</td>
                                        <td class="pr-4">{row.category.unwrap_or_else(|| "—".to_owned())}</td>
                                        <td class="pr-4 whitespace-nowrap">{row.published.unwrap_or_else(|| "—".to_owned())}</td>
                                        <td class="whitespace-nowrap">{row.updated}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

/// `/tableau-de-bord/blog/nouveau` and `/tableau-de-bord/blog/{id}`.
#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").and_then(|id| id.parse::<i64>().ok());
    let context = Resource::new(|| (), |_| editor_setup());
    let draft = Resource::new(id, |id| async move {
        match id {
            Some(id) => editor_article(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Seo title="Rédiger un article" description="Éditeur d'articles du blog." path="/tableau-de-bord/blog" noindex=true/>
        <section class="mx-auto max-w-7xl px-4 py-10 sm:px-6">
            <a href="/tableau-de-bord/blog" class="text-sm font-semibold text-brand-800 underline">"← Tous les articles"</a>
            <Suspense fallback=|| view! { <p class="mt-6" aria-busy="true">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match (context.await, draft.await) {
                        (Err(error), _) | (_, Err(error)) => access_error(error),
                        (Ok(context), Ok(draft)) => view! { <ArticleForm context draft/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Where unsaved text waits in this browser.
fn local_key(id: Option<i64>) -> String {
    match id {
        Some(id) => format!("passerelle:article:{id}"),
        None => "passerelle:article:nouveau".to_owned(),
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The form's fields, one signal each.
#[derive(Clone, Copy)]
struct Fields {
    title: RwSignal<String>,
    slug: RwSignal<String>,
    excerpt: RwSignal<String>,
    body: RwSignal<String>,
    cover: RwSignal<Option<ImageRef>>,
    cover_alt: RwSignal<String>,
    category: RwSignal<String>,
    tags: RwSignal<String>,
}

impl Fields {
    fn new(input: &ArticleInput, cover: Option<ImageRef>) -> Self {
        Self {
            title: RwSignal::new(input.title.clone()),
            slug: RwSignal::new(input.slug.clone()),
            excerpt: RwSignal::new(input.excerpt.clone()),
            body: RwSignal::new(input.body_markdown.clone()),
            cover: RwSignal::new(cover),
            cover_alt: RwSignal::new(input.cover_alt.clone()),
            category: RwSignal::new(input.category.clone()),
            tags: RwSignal::new(input.tags.clone()),
        }
    }

    fn set(&self, input: &ArticleInput, cover: Option<ImageRef>) {
        self.title.set(input.title.clone());
        self.slug.set(input.slug.clone());
        self.excerpt.set(input.excerpt.clone());
        self.body.set(input.body_markdown.clone());
        self.cover.set(cover);
        self.cover_alt.set(input.cover_alt.clone());
        self.category.set(input.category.clone());
        self.tags.set(input.tags.clone());
    }

    fn input(&self, id: Option<i64>) -> ArticleInput {
        ArticleInput {
            id,
            title: self.title.get(),
            slug: self.slug.get(),
            excerpt: self.excerpt.get(),
            body_markdown: self.body.get(),
            cover_media_id: self.cover.get().map(|c| c.id),
            cover_alt: self.cover_alt.get(),
            category: self.category.get(),
            tags: self.tags.get(),
        }
    }
}

/// What a local copy holds: the fields and the cover shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct LocalCopy {
    input: ArticleInput,
    cover: Option<ImageRef>,
}

fn input_of(draft: &Draft) -> ArticleInput {
    ArticleInput {
        id: Some(draft.id),
        title: draft.title.clone(),
        slug: draft.slug.clone(),
        excerpt: draft.excerpt.clone(),
        body_markdown: draft.body_markdown.clone(),
        cover_media_id: draft.cover.as_ref().map(|c| c.id),
        cover_alt: draft.cover_alt.clone(),
        category: draft.category.clone(),
        tags: draft.tags.clone(),
    }
}

/// Uploads the first file of a file input through `upload_image`.
#[cfg(feature = "hydrate")]
async fn upload(file: web_sys::File) -> Result<Uploaded, AppError> {
    let form = web_sys::FormData::new().map_err(|_| AppError::Transport("FormData".to_owned()))?;
    form.append_with_blob_and_filename("fichier", &file, &file.name())
        .map_err(|_| AppError::Transport("FormData".to_owned()))?;
    upload_image(form.into()).await
}

/// Files are picked in the browser only.
#[cfg(not(feature = "hydrate"))]
async fn upload(_file: web_sys::File) -> Result<Uploaded, AppError> {
    Err(AppError::Internal)
}

fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    ev.target()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?
        .files()?
        .get(0)
}

#[component]
fn ArticleForm(context: EditorContext, draft: Option<Draft>) -> impl IntoView {
    let toasts = use_toasts();
    let navigate = use_navigate();
    let id = RwSignal::new(draft.as_ref().map(|d| d.id));
    let initial = draft.as_ref().map(input_of).unwrap_or_default();
    let fields = Fields::new(&initial, draft.as_ref().and_then(|d| d.cover.clone()));
    let status = RwSignal::new(draft.as_ref().map_or(Status::Draft, |d| d.status));
    let publish_at = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.publish_at.clone())
            .unwrap_or_default(),
    );
    let updated = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.updated.clone())
            .unwrap_or_default(),
    );
    let revisions = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.revisions.clone())
            .unwrap_or_default(),
    );
    let slug_saved = RwSignal::new(draft.as_ref().map(|d| d.slug.clone()).unwrap_or_default());
    let preview = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.body_html.clone())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<AppError>);
    let restored = RwSignal::new(false);
    // The server's version: what "discard local changes" goes back to.
    let saved = StoredValue::new(LocalCopy {
        input: initial,
        cover: draft.as_ref().and_then(|d| d.cover.clone()),
    });

    let load = move |draft: Draft| {
        let input = input_of(&draft);
        fields.set(&input, draft.cover.clone());
        saved.set_value(LocalCopy {
            input,
            cover: draft.cover.clone(),
        });
        status.set(draft.status);
        publish_at.set(draft.publish_at.clone());
        updated.set(draft.updated.clone());
        revisions.set(draft.revisions.clone());
        slug_saved.set(draft.slug.clone());
        preview.set(draft.body_html.clone());
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(&local_key(Some(draft.id)));
            let _ = storage.remove_item(&local_key(None));
        }
        error.set(None);
        restored.set(false);
    };

    // A copy left by a closed tab comes back first.
    Effect::new(move |first: Option<()>| {
        if first.is_none()
            && let Some(text) = local_storage()
                .and_then(|s| s.get_item(&local_key(id.get_untracked())).ok().flatten())
            && let Ok(copy) = serde_json::from_str::<LocalCopy>(&text)
            && copy != saved.get_value()
        {
            fields.set(&copy.input, copy.cover);
            restored.set(true);
        }
    });
    // Then every change is kept locally, half a second after typing stops.
    let typed = RwSignal::new(0u64);
    Effect::new(move |previous: Option<()>| {
        let copy = LocalCopy {
            input: fields.input(id.get_untracked()),
            cover: fields.cover.get(),
        };
        if previous.is_none() {
            return;
        }
        let tick = typed.get_untracked() + 1;
        typed.set(tick);
        set_timeout(
            // The form may be gone by then (saved and reopened): `try_` reads.
            move || {
                let (Some(current), Some(saved), Some(id)) = (
                    typed.try_get_untracked(),
                    saved.try_get_value(),
                    id.try_get_untracked(),
                ) else {
                    return;
                };
                if current != tick {
                    return;
                }
                if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(&copy)) {
                    if copy == saved {
                        let _ = storage.remove_item(&local_key(id));
                    } else {
                        let _ = storage.set_item(&local_key(id), &text);
                    }
                }
            },
            Duration::from_millis(500),
        );
    });
    // The preview follows the text, 400 ms after typing stops.
    let previewed = RwSignal::new(0u64);
    Effect::new(move |previous: Option<()>| {
        let markdown = fields.body.get();
        if previous.is_none() && !restored.get_untracked() {
            return;
        }
        let tick = previewed.get_untracked() + 1;
        previewed.set(tick);
        set_timeout(
            move || {
                if previewed.try_get_untracked() != Some(tick) {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(html) = preview_markdown(markdown).await
                        && previewed.try_get_untracked() == Some(tick)
                    {
                        preview.try_set(html);
                    }
                });
            },
            Duration::from_millis(400),
        );
    });

    let save = Action::new_local(move |then: &Option<StatusAction>| {
        let input = fields.input(id.get_untracked());
        let then = then.clone();
        async move {
            let draft = save_article(input).await?;
            match then {
                Some(action) => change_article_status(draft.id, action).await,
                None => Ok(draft),
            }
        }
    });
    Effect::new({
        let navigate = navigate.clone();
        move |_| match save.value().get() {
            Some(Ok(draft)) => {
                let new = id.get_untracked().is_none();
                id.set(Some(draft.id));
                let message = match draft.status {
                    Status::Scheduled => format!(
                        "Publication programmée le {}.",
                        draft.publish_at.replace('T', " à ")
                    ),
                    Status::Published => "Article publié.".to_owned(),
                    _ => "Article enregistré.".to_owned(),
                };
                load(draft.clone());
                toasts.success(message);
                if new {
                    navigate(
                        &format!("/tableau-de-bord/blog/{}", draft.id),
                        Default::default(),
                    );
                }
            }
            Some(Err(e)) => error.set(Some(e)),
            None => {}
        }
    });
    let status_action = Action::new_local(move |action: &StatusAction| {
        let action = action.clone();
        async move {
            match id.get_untracked() {
                Some(id) => change_article_status(id, action).await,
                None => Err(AppError::invalid("title", "Enregistrez l'article d'abord.")),
            }
        }
    });
    let restore = Action::new_local(move |revision: &i64| {
        let revision = *revision;
        async move {
            match id.get_untracked() {
                Some(id) => restore_revision(id, revision).await,
                None => Err(AppError::NotFound),
            }
        }
    });
    Effect::new({
        move |_| {
            for (result, message) in [
                (status_action.value().get(), "Statut mis à jour."),
                (restore.value().get(), "Version restaurée."),
            ] {
                match result {
                    Some(Ok(draft)) => {
                        load(draft);
                        toasts.success(message);
                    }
                    Some(Err(e)) => error.set(Some(e)),
                    None => {}
                }
            }
        }
    });

    let upload_cover = Action::new_local(|file: &web_sys::File| upload(file.clone()));
    Effect::new(move |_| match upload_cover.value().get() {
        Some(Ok(uploaded)) => {
            fields.cover.set(Some(uploaded.image));
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let upload_inline = Action::new_local(|file: &web_sys::File| upload(file.clone()));
    Effect::new(move |_| match upload_inline.value().get() {
        Some(Ok(uploaded)) => {
            // At the cursor, on a paragraph of its own.
            let body = fields.body.get_untracked();
            let at = textarea
                .get_untracked()
                .and_then(|t| t.selection_start().ok().flatten())
                .map_or(body.len(), |i| {
                    body.char_indices()
                        .nth(i as usize)
                        .map_or(body.len(), |(b, _)| b)
                });
            let (head, tail) = body.split_at(at);
            fields
                .body
                .set(format!("{head}\n\n{}\n\n{tail}", uploaded.markdown));
            error.set(None);
            // The placeholder selected, for the editor to type the description
            // over it (positions in UTF-16 units, as the browser counts).
            let start = head.encode_utf16().count() as u32 + 4;
            let end = start + ALT_PLACEHOLDER.encode_utf16().count() as u32;
            request_animation_frame(move || {
                if let Some(area) = textarea.get_untracked() {
                    let _ = area.focus();
                    let _ = area.set_selection_range(start, end);
                }
            });
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });

    let field_error = move |name: &'static str| move || error.get().and_then(|e| e.for_field(name));
    let busy =
        move || save.pending().get() || status_action.pending().get() || restore.pending().get();
    let can_publish = context.can_publish;
    let public_url = move || {
        matches!(status.get(), Status::Published).then(|| format!("/blog/{}", slug_saved.get()))
    };

    view! {
        <div class="mt-4 flex flex-wrap items-center gap-3">
            <h1 class="text-3xl font-extrabold text-slate-900">
                {move || if id.get().is_some() { "Modifier l'article" } else { "Nouvel article" }}
            </h1>
            {move || status_badge(status.get())}
            {move || public_url().map(|url| view! {
                <a href=url class="text-sm font-semibold text-brand-800 underline">"Voir l'article en ligne"</a>
            })}
        </div>
        <Show when=move || restored.get()>
            <div class="mt-4 flex flex-wrap items-center gap-3 rounded-lg bg-amber-50 p-3 text-amber-900" role="status">
                <p>"Modifications non enregistrées retrouvées dans ce navigateur."</p>
                <button type="button" class="btn-secondary" on:click=move |_| {
                    let copy = saved.get_value();
                    fields.set(&copy.input, copy.cover);
                    restored.set(false);
                }>"Les abandonner"</button>
            </div>
        </Show>
        <div class="mt-6 grid grid-cols-1 gap-8 lg:grid-cols-2">
            <form class="space-y-5" on:submit=move |ev| { ev.prevent_default(); save.dispatch_local(None); }>
                <TextField label="Titre" name="title" value=fields.title error=Signal::derive(field_error("title"))/>
                <TextField label="Adresse (slug)" name="slug" value=fields.slug error=Signal::derive(field_error("slug"))
                    help="Laissez vide pour la déduire du titre. Changer l'adresse d'un article publié redirige l'ancienne."/>
                <div>
                    <label for="champ-excerpt" class="block text-sm font-semibold">"Chapeau"</label>
                    <textarea id="champ-excerpt" rows="3" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2"
                        prop:value=move || fields.excerpt.get() on:input=move |ev| fields.excerpt.set(event_target_value(&ev))></textarea>
                    <p class="mt-1 text-sm font-semibold text-red-800">{field_error("excerpt")}</p>
                </div>
                <div>
                    <label for="champ-body" class="block text-sm font-semibold">"Texte (Markdown)"</label>
                    <textarea id="champ-body" node_ref=textarea rows="18" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2 font-mono text-sm"
                        prop:value=move || fields.body.get() on:input=move |ev| fields.body.set(event_target_value(&ev))></textarea>
                    <p class="mt-1 text-sm font-semibold text-red-800">{field_error("body_markdown")}</p>
                    <label class="mt-2 inline-block cursor-pointer text-sm font-semibold text-brand-800 underline">
                        "Insérer une image dans le texte"
                        <input type="file" accept="image/jpeg,image/png,image/webp,image/gif" class="sr-only"
                            on:change=move |ev| if let Some(file) = picked_file(&ev) { upload_inline.dispatch_local(file); }/>
                    </label>
                    {move || upload_inline.pending().get().then(|| view! { <span class="ml-2 text-sm">"Envoi…"</span> })}
                </div>
                // A fieldset is as wide as its widest content unless told otherwise.
                <fieldset class="min-w-0 space-y-3 rounded-lg border border-slate-300 p-4">
                    <legend class="px-1 text-sm font-semibold">"Image de couverture"</legend>
                    {move || fields.cover.get().map(|image| view! {
                        <ResponsiveImage image alt=fields.cover_alt.get_untracked() sizes="20rem" class="h-auto w-80 max-w-full rounded"/>
                    })}
                    <label class="block text-sm font-semibold" for="champ-cover">"Choisir une image"</label>
                    <input id="champ-cover" type="file" accept="image/jpeg,image/png,image/webp,image/gif"
                        on:change=move |ev| if let Some(file) = picked_file(&ev) { upload_cover.dispatch_local(file); }/>
                    {move || upload_cover.pending().get().then(|| view! { <span class="text-sm">"Envoi…"</span> })}
                    <p class="text-sm font-semibold text-red-800">{field_error("fichier")}{field_error("cover")}</p>
                    <TextField label="Texte alternatif de l'image" name="cover_alt" value=fields.cover_alt error=Signal::derive(field_error("cover_alt"))/>
                </fieldset>
                <div>
                    <label for="champ-category" class="block text-sm font-semibold">"Catégorie"</label>
                    <select id="champ-category" class="mt-1 rounded-lg border border-slate-400 px-3 py-2"
                        prop:value=move || fields.category.get() on:change=move |ev| fields.category.set(event_target_value(&ev))>
                        <option value="">"Aucune"</option>
                        {context.categories.into_iter().map(|c| view! { <option value=c.slug>{c.name}</option> }).collect_view()}
                    </select>
                    <p class="mt-1 text-sm font-semibold text-red-800">{field_error("category")}</p>
                </div>
                <TextField label="Mots-clés" name="tags" value=fields.tags error=Signal::derive(field_error("tags"))
                    help="Séparés par des virgules, par exemple : alternance, CPF"/>
                <FormError error=Signal::derive(move || error.get()) fields=&["title", "slug", "excerpt", "body_markdown", "cover_alt", "cover", "fichier", "category", "tags", "publish_at"]/>
                <div class="flex flex-wrap gap-3">
                    <button type="submit" class="btn-primary" disabled=busy>"Enregistrer"</button>
                    {can_publish.then(|| view! {
                        <button type="button" class="btn-secondary" disabled=busy
                            on:click=move |_| { save.dispatch_local(Some(StatusAction::Publish)); }>"Enregistrer et publier"</button>
                    })}
                </div>
                <p class="text-sm text-slate-700">{move || {
                    let at = updated.get();
                    (!at.is_empty()).then(|| format!("Dernier enregistrement : {at}"))
                }}</p>
            </form>
            <div class="space-y-6">
                <section aria-labelledby="apercu-titre">
                    <h2 id="apercu-titre" class="text-xl font-bold">"Aperçu"</h2>
                    <article class="prose mt-3 max-w-none rounded-lg border border-slate-300 p-4" data-testid="apercu">
                        // The page has its own h1: the previewed title only looks like one.
                        <p class="text-3xl font-extrabold text-slate-900">{move || fields.title.get()}</p>
                        <div inner_html=move || preview.get()></div>
                    </article>
                </section>
                {can_publish.then(|| view! {
                    <section aria-labelledby="publication-titre" class="space-y-3 rounded-lg border border-slate-300 p-4">
                        <h2 id="publication-titre" class="text-xl font-bold">"Publication"</h2>
                        <div>
                            <label for="champ-publish_at" class="block text-sm font-semibold">"Publier le (heure de Paris)"</label>
                            <input id="champ-publish_at" type="datetime-local" class="mt-1 max-w-full rounded-lg border border-slate-400 px-3 py-2"
                                prop:value=move || publish_at.get() on:input=move |ev| publish_at.set(event_target_value(&ev))/>
                            <p class="mt-1 text-sm font-semibold text-red-800">{field_error("publish_at")}</p>
                        </div>
                        <div class="flex flex-wrap gap-3">
                            <button type="button" class="btn-secondary" disabled=busy
                                on:click=move |_| { save.dispatch_local(Some(StatusAction::Schedule(publish_at.get_untracked()))); }>"Programmer"</button>
                            <Show when=move || matches!(status.get(), Status::Published | Status::Scheduled)>
                                <button type="button" class="btn-secondary" disabled=busy
                                    on:click=move |_| { status_action.dispatch_local(StatusAction::Unpublish); }>"Dépublier"</button>
                            </Show>
                            <Show when=move || id.get().is_some() && status.get() != Status::Archived>
                                <button type="button" class="btn-secondary" disabled=busy
                                    on:click=move |_| { status_action.dispatch_local(StatusAction::Archive); }>"Archiver"</button>
                            </Show>
                        </div>
                    </section>
                })}
                <section aria-labelledby="versions-titre">
                    <h2 id="versions-titre" class="text-xl font-bold">"Versions"</h2>
                    <ul class="mt-3 space-y-2 text-sm">
                        <For each=move || revisions.get() key=|r| r.id let:revision>
                            <li class="flex flex-wrap items-center gap-3">
                                <span>{revision.at.clone()}" · "{revision.author.clone().unwrap_or_else(|| "—".to_owned())}" · "{revision.title.clone()}</span>
                                <button type="button" class="font-semibold text-brand-800 underline" disabled=busy
                                    on:click=move |_| { restore.dispatch_local(revision.id); }>"Restaurer"</button>
                            </li>
                        </For>
                    </ul>
                </section>
            </div>
        </div>
    }
}

/// A text input bound to a signal, with its label, help and error.
#[component]
fn TextField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] help: &'static str,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let error_id = format!("{id}-erreur");
    view! {
        <div>
            <label for=id.clone() class="block text-sm font-semibold text-slate-900">{label}</label>
            <input id=id type="text" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2"
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            {(!help.is_empty()).then(|| view! { <p class="mt-1 text-sm text-slate-700">{help}</p> })}
            <p id=error_id class="mt-1 text-sm font-semibold text-red-800">{move || error.get()}</p>
        </div>
    }
}

/// The alternative text of an image just inserted in the body, for the
/// editor to replace with a description.
pub const ALT_PLACEHOLDER: &str = "Décrivez l'image";

/// The answer to an image upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    pub image: ImageRef,
    /// Markdown to paste into an article body.
    pub markdown: String,
}

/// Uploads one image (field `fichier`) for the blog. Editors and admins only.
#[server(prefix = "/api", endpoint = "medias/image", input = MultipartFormData)]
pub async fn upload_image(data: MultipartData) -> Result<Uploaded, AppError> {
    as_editor(|pool, user| async move {
        let (media, _) = crate::base::media::ssr::receive_image(&pool, Some(user.id), data).await?;
        // A file name is no description: the editor writes one, and saving
        // refuses the article while the placeholder is left.
        Ok(Uploaded {
            markdown: format!("![{ALT_PLACEHOLDER}]({})", media.src),
            image: media,
        })
    })
    .await
}
