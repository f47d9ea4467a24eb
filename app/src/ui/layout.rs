//! Header, footer and skip link around every page.

use crate::ui::toast::ToastRegion;
use leptos::prelude::*;
use leptos_router::components::A;

/// The shell: skip link, header with navigation, `<main>`, footer, toasts.
/// `account_menu` draws the header's account links (the identity domain
/// provides it): in a row on wide screens, `stacked` in the phone menu.
#[component]
pub fn Layout(account_menu: fn(bool) -> AnyView, children: Children) -> impl IntoView {
    view! {
        <a href="#contenu" class="skip-link">"Aller au contenu"</a>
        <Header account_menu/>
        <main id="contenu" tabindex="-1" class="flex-1 focus:outline-none">
            {children()}
        </main>
        <Footer/>
        <ToastRegion/>
    }
}

const NAV: [(&str, &str); 4] = [
    ("/formations", "Formations"),
    ("/offres", "Offres d'emploi"),
    ("/centres", "Centres de formation"),
    ("/entreprises", "Entreprises"),
];

/// On wide screens the links sit in the header's row; below `lg`, behind a
/// "Menu" that is a `<details>`, so it opens without JavaScript too.
#[component]
fn Header(account_menu: fn(bool) -> AnyView) -> impl IntoView {
    let menu = NodeRef::<leptos::html::Details>::new();
    // Hydrated, following a link of the open menu keeps the header: close it.
    let close = move |_| {
        if let Some(menu) = menu.get_untracked() {
            let _ = menu.remove_attribute("open");
        }
    };
    view! {
        <header class="relative border-b border-slate-200 bg-white">
            <div class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
                <A href="/" attr:class="flex shrink-0 items-center gap-2 text-xl font-extrabold tracking-tight text-brand-800">
                    <span aria-hidden="true" class="inline-block h-7 w-7 rounded-lg bg-brand-700"></span>
                    "Passerelle"
                </A>
                <nav aria-label="Navigation principale" class="hidden lg:block">
                    <ul class="flex items-center gap-1">
                        {NAV.iter().map(|(href, label)| view! {
                            <li><a class="header-link" href=*href>{*label}</a></li>
                        }).collect_view()}
                    </ul>
                </nav>
                <div class="hidden items-center gap-1 lg:flex">{account_menu(false)}</div>
                <details node_ref=menu class="lg:hidden" data-menu-mobile="">
                    <summary class="header-link cursor-pointer list-none border border-slate-300">"Menu"</summary>
                    <div class="absolute inset-x-0 top-full z-40 border-b border-slate-200 bg-white px-4 pb-4 shadow-lg" on:click=close>
                        <nav aria-label="Navigation mobile">
                            <ul class="flex flex-col gap-1 pt-2">
                                {NAV.iter().map(|(href, label)| view! {
                                    <li><a class="menu-link" href=*href>{*label}</a></li>
                                }).collect_view()}
                            </ul>
                        </nav>
                        <div class="mt-2 flex flex-col gap-1 border-t border-slate-200 pt-2">{account_menu(true)}</div>
                    </div>
                </details>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="border-t border-slate-200 bg-slate-50">
            <div class="mx-auto grid max-w-6xl gap-8 px-4 py-10 text-sm text-slate-700 sm:px-6 md:grid-cols-3">
                <div>
                    <p class="text-base font-extrabold text-brand-800">"Passerelle"</p>
                    <p class="mt-2">"La plateforme française qui relie formation et emploi."</p>
                </div>
                <nav aria-label="Pied de page">
                    <p class="font-semibold text-slate-900">"Informations"</p>
                    <ul class="mt-2 space-y-2">
                        <li><A href="/mentions-legales" attr:class="footer-link">"Mentions légales"</A></li>
                        <li><A href="/confidentialite" attr:class="footer-link">"Confidentialité"</A></li>
                        <li><A href="/accessibilite" attr:class="footer-link">"Accessibilité : partiellement conforme"</A></li>
                    </ul>
                </nav>
                <div>
                    <p class="font-semibold text-slate-900">"Contact"</p>
                    <p class="mt-2">
                        <a class="footer-link" href="mailto:contact@passerelle.fr">"contact@passerelle.fr"</a>
                    </p>
                </div>
            </div>
        </footer>
    }
}
