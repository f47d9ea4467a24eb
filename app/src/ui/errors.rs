//! Error pages: they set the right HTTP status and show no internals.

use crate::base::{error::AppError, seo::Seo};
use leptos::prelude::*;

/// Answers the page being rendered on the server with `status` (a page
/// that shows an error must not come with a 200). Nothing in the browser.
pub fn set_page_status(status: http::StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// A public page's failed load: 404 for what does not exist (or cannot),
/// 500 for the rest.
pub fn error_view(error: AppError) -> AnyView {
    match error {
        AppError::NotFound | AppError::Invalid { .. } => view! { <NotFound/> }.into_any(),
        _ => view! { <ServerError/> }.into_any(),
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_page_status(http::StatusCode::NOT_FOUND);
    view! {
        <Seo
            title="Page introuvable"
            description="Cette page n'existe pas ou a été déplacée."
            path="/404"
            noindex=true
        />
        <section class="mx-auto max-w-3xl px-4 py-20 text-center sm:px-6">
            <p class="text-sm font-bold uppercase tracking-wide text-brand-700">"Erreur 404"</p>
            <h1 class="mt-2 text-3xl font-extrabold text-slate-900 sm:text-4xl">"Cette page est introuvable"</h1>
            <p class="mt-4 text-lg text-slate-700">
                "Le lien est peut-être ancien, ou l'adresse contient une faute de frappe."
            </p>
            <a href="/" class="btn-primary mt-8 inline-flex">"Revenir à l'accueil"</a>
        </section>
    }
}

/// Shown when rendering failed; the details stay in the server logs.
#[component]
pub fn ServerError() -> impl IntoView {
    set_page_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    view! {
        <section class="mx-auto max-w-3xl px-4 py-20 text-center sm:px-6">
            <p class="text-sm font-bold uppercase tracking-wide text-red-800">"Erreur 500"</p>
            <h1 class="mt-2 text-3xl font-extrabold text-slate-900">"Un incident est survenu"</h1>
            <p class="mt-4 text-lg text-slate-700">
                "Nous n'avons pas pu afficher cette page. Réessayez dans un instant."
            </p>
        </section>
    }
}
