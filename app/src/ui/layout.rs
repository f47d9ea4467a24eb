//! Header, footer and skip link around every page.

use crate::ui::toast::ToastRegion;
use leptos::prelude::*;
use leptos_router::components::A;

/// The shell: skip link, header with navigation, `<main>`, footer, toasts.
/// `account_menu` is drawn in the header (the identity domain provides it).
#[component]
pub fn Layout(#[prop(into)] account_menu: ViewFn, children: Children) -> impl IntoView {
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
    ("/#centres", "Centres de formation"),
    ("/#entreprises", "Entreprises"),
];

#[component]
fn Header(account_menu: ViewFn) -> impl IntoView {
    let (menu_open, set_menu_open) = signal(false);
    view! {
        <header class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
                <A href="/" attr:class="flex items-center gap-2 text-xl font-extrabold tracking-tight text-brand-800">
                    <span aria-hidden="true" class="inline-block h-7 w-7 rounded-lg bg-brand-700"></span>
                    "Passerelle"
                </A>
                <nav aria-label="Navigation principale" class="hidden md:block">
                    <ul class="flex items-center gap-6 text-sm font-semibold text-slate-800">
                        {NAV.iter().map(|(href, label)| view! {
                            <li><a class="nav-link" href=*href>{*label}</a></li>
                        }).collect_view()}
                    </ul>
                </nav>
                <div class="hidden items-center gap-3 md:flex">
                    <a class="btn-ghost" href="/#newsletter">"Newsletter"</a>
                    {account_menu.run()}
                </div>
                <button
                    type="button"
                    class="btn-ghost md:hidden"
                    aria-controls="menu-mobile"
                    aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                    on:click=move |_| set_menu_open.update(|open| *open = !*open)
                >
                    {move || if menu_open.get() { "Fermer" } else { "Menu" }}
                </button>
            </div>
            <nav
                id="menu-mobile"
                aria-label="Navigation mobile"
                class="border-t border-slate-200 px-4 pb-4 md:hidden"
                hidden=move || !menu_open.get()
            >
                <ul class="flex flex-col gap-1 pt-2 text-base font-semibold text-slate-800">
                    {NAV.iter().map(|(href, label)| view! {
                        <li>
                            <a class="block rounded-md px-2 py-2 hover:bg-slate-100" href=*href
                                on:click=move |_| set_menu_open.set(false)>{*label}</a>
                        </li>
                    }).collect_view()}
                    <li><a class="block rounded-md px-2 py-2 hover:bg-slate-100" href="/#newsletter">"Newsletter"</a></li>
                    <li><a class="block rounded-md px-2 py-2 hover:bg-slate-100" href="/compte">"Mon compte"</a></li>
                </ul>
            </nav>
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
