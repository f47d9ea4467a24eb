//! Passerelle's web application: pages, components, server functions and,
//! behind the `ssr` feature, the data layer that only the server compiles.
//!
//! Modules are split by domain; each keeps its types, server functions,
//! data access (`ssr` submodule) and views side by side.

// Leptos views are deeply nested types; the editor's form goes past 128.
#![recursion_limit = "256"]

// Layers, bottom up: `base` and `ui` import no domain; each domain imports
// only the ones listed before it; `app` (the router) and `worker` sit on top.
pub mod base;
pub mod ui;

pub mod analytics;
pub mod identity;
pub mod newsletter;
pub mod organisations;

pub mod candidates;
pub mod trainings;

pub mod jobs;

pub mod blog;

pub mod admin;
pub mod dashboard;
pub mod pages;

pub mod app;
#[cfg(feature = "ssr")]
pub mod worker;

/// Browser entry point: attaches the reactive app to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_lazy` waits for the code of the page's route (a chunk of its
    // own, see `app::App`) before hydrating.
    leptos::mount::hydrate_lazy(|| {
        leptos::prelude::provide_context(base::site::Site::from_document());
        leptos::view! { <app::App/> }
    });
}
