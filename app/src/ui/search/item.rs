//! What an offer and a training share around their own content: the card
//! of a result list, the page of one result with its breadcrumb and the
//! candidate's save button.

use super::Scope;
use crate::base::seo::{JsonLd, Seo};
use leptos::prelude::*;

/// Implements [`super::ResultCard`] for a card type with `slug` and `title`
/// fields, drawn by its `$View` component.
macro_rules! result_card {
    ($Card:ty, $View:ident) => {
        impl $crate::ui::search::ResultCard for $Card {
            fn link(&self) -> (&str, &str) {
                (&self.slug, &self.title)
            }

            fn view(self) -> AnyView {
                view! { <$View card=self/> }.into_any()
            }
        }
    };
}
pub(crate) use result_card;

/// A result's card: its linked title, who offers it and where, its
/// summary, then `children` (its tags and dates). The caller names the
/// card with a `data-…-card` attribute.
#[component]
pub fn CardFrame(
    href: String,
    title: String,
    organisation: String,
    place: String,
    summary: String,
    children: Children,
) -> impl IntoView {
    view! {
        <article class="card">
            <h3 class="text-lg font-bold text-slate-900">
                <a href=href class="hover:underline">{title}</a>
            </h3>
            <p class="text-sm text-slate-700">{organisation} " · " {place}</p>
            <p class="mt-2 text-slate-800">{summary}</p>
            {children()}
        </article>
    }
}

/// The page of one result of `scope`: its search tags, its JSON-LD and
/// breadcrumb (named `name`), then `children` in the article.
#[component]
pub fn ItemPage(
    scope: Scope,
    slug: String,
    name: String,
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(optional)] noindex: bool,
    json_ld: serde_json::Value,
    children: Children,
) -> impl IntoView {
    let site = crate::base::site::use_site();
    let path = scope.item_path(&slug);
    let crumbs = scope.breadcrumb(&site, Some((&name, path.clone())));
    view! {
        <Seo title description path noindex/>
        <JsonLd value=json_ld/>
        <JsonLd value=crumbs/>
        <article class="mx-auto max-w-5xl px-4 py-10 sm:px-6">
            <nav aria-label="Fil d'Ariane" class="text-sm text-slate-700">
                <a href="/" class="hover:underline">"Accueil"</a> " › "
                <a href=scope.path() class="hover:underline">{scope.name()}</a> " › "
                <span aria-current="page">{name}</span>
            </nav>
            {children()}
        </article>
    }
}

/// The candidate's button that adds a result to (or removes it from) their
/// saved list, inside the caller's form: it posts `field` = `id`.
#[component]
pub fn SaveButton(
    field: &'static str,
    id: i64,
    saved: bool,
    /// The button's text once saved.
    saved_label: &'static str,
) -> impl IntoView {
    view! {
        <input type="hidden" name=field value=id/>
        <button type="submit" class="btn-secondary" aria-pressed=if saved { "true" } else { "false" }>
            {if saved { saved_label } else { "☆ Sauvegarder" }}
        </button>
    }
}
