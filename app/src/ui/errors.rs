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
        <ErrorFrame label="Erreur 404" tone="text-brand-700"
            title="Cette page est introuvable" title_class="sm:text-4xl"
            message="Le lien est peut-être ancien, ou l'adresse contient une faute de frappe.">
            <a href="/" class="btn-primary mt-8 inline-flex">"Revenir à l'accueil"</a>
        </ErrorFrame>
    }
}

/// Shown when rendering failed; the details stay in the server logs.
#[component]
pub fn ServerError() -> impl IntoView {
    set_page_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    view! {
        <ErrorFrame label="Erreur 500" tone="text-red-800"
            title="Un incident est survenu"
            message="Nous n'avons pas pu afficher cette page. Réessayez dans un instant."/>
    }
}

/// An error page's body: its `label` ("Erreur 404") in `tone` (a text
/// colour), the title (with `title_class` added), the message, then `children`.
#[component]
fn ErrorFrame(
    label: &'static str,
    tone: &'static str,
    title: &'static str,
    #[prop(optional)] title_class: &'static str,
    message: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let title_class = format!("mt-2 text-3xl font-extrabold text-slate-900 {title_class}");
    view! {
        <section class="mx-auto max-w-3xl px-4 py-20 text-center sm:px-6">
            <p class=format!("text-sm font-bold uppercase tracking-wide {tone}")>{label}</p>
            <h1 class=title_class.trim_end().to_owned()>{title}</h1>
            <p class="mt-4 text-lg text-slate-700">{message}</p>
            {children.map(|children| children())}
        </section>
    }
}
