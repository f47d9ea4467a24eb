//! Passerelle's web application: pages, components, server functions and,
//! behind the `ssr` feature, the data layer that only the server compiles.
//!
//! Modules are split by domain; each keeps its types, server functions,
//! data access (`ssr` submodule) and views side by side.

// Leptos views are deeply nested types; the editor's form goes past 128.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod alerts;
pub mod app;
pub mod applications;
pub mod auth;
pub mod blog;
pub mod candidates;
pub mod centres;
pub mod companies;
pub mod components;
pub mod enrolments;
pub mod error;
pub mod format;
pub mod forms;
pub mod hydration;
pub mod invitations;
pub mod jobs;
pub mod mail;
pub mod media;
pub mod newsletter;
pub mod organisations;
pub mod pages;
pub mod places;
pub mod profiles;
pub mod reports;
pub mod search;
pub mod seo;
pub mod site;
pub mod skills;
pub mod trainings;
pub mod users;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod worker;

/// Browser entry point: attaches the reactive app to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(|| {
        leptos::prelude::provide_context(site::Site::from_document());
        leptos::view! { <app::App/> }
    });
}
