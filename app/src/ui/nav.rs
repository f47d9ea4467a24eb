//! The link bars at the top of each dashboard. Every area has its own list;
//! one component draws them all.

use leptos::prelude::*;

/// Links of one area: (href, label).
pub type Links = &'static [(&'static str, &'static str)];

pub const ADMIN_LINKS: Links = &[
    ("/admin", "Vue d'ensemble"),
    ("/admin/utilisateurs", "Utilisateurs"),
    ("/admin/organisations", "Organisations"),
    ("/admin/contenus", "Contenus"),
    ("/admin/taches", "Tâches de fond"),
    ("/admin/newsletter", "Lettre d'information"),
    ("/admin/journal", "Journal de sécurité"),
    ("/admin/signalements", "Signalements"),
    ("/admin/applications", "Applications"),
];

pub const CENTRE_LINKS: Links = &[
    ("/tableau-de-bord", "Accueil"),
    ("/tableau-de-bord/formations", "Formations"),
    ("/tableau-de-bord/demandes", "Demandes d'inscription"),
    ("/tableau-de-bord/centre", "Fiche du centre"),
    ("/tableau-de-bord/centre/api", "Accès à l'API"),
];

pub const COMPANY_LINKS: Links = &[
    ("/tableau-de-bord", "Accueil"),
    ("/tableau-de-bord/offres", "Offres d'emploi"),
    (
        "/tableau-de-bord/candidatures-recues",
        "Candidatures reçues",
    ),
    ("/tableau-de-bord/entreprise", "Fiche de l'entreprise"),
    ("/tableau-de-bord/entreprise/api", "Accès à l'API"),
];

pub const CANDIDATE_LINKS: Links = &[
    ("/tableau-de-bord", "Accueil"),
    ("/tableau-de-bord/candidatures", "Mes candidatures"),
    ("/tableau-de-bord/profil", "Mon profil"),
    ("/tableau-de-bord/inscriptions", "Mes inscriptions"),
    ("/offres", "Offres d'emploi"),
];

/// A labelled `<nav>` of links.
#[component]
pub fn AreaNav(label: &'static str, links: Links) -> impl IntoView {
    view! {
        <nav aria-label=label class="mb-6 flex flex-wrap gap-4 text-sm font-semibold">
            {links.iter().map(|(href, text)| view! {
                <a href=*href class="text-brand-700 hover:underline">{*text}</a>
            }).collect_view()}
        </nav>
    }
}

/// Each area's bar as a component of its own, as its pages name it.
macro_rules! area_navs {
    ($($Nav:ident: $label:literal, $links:ident;)*) => {$(
        #[component]
        pub fn $Nav() -> impl IntoView {
            view! { <AreaNav label={$label} links={$links}/> }
        }
    )*};
}

area_navs! {
    AdminNav: "Administration", ADMIN_LINKS;
    CentreNav: "Espace centre", CENTRE_LINKS;
    CompanyNav: "Espace entreprise", COMPANY_LINKS;
    CandidateNav: "Espace candidat", CANDIDATE_LINKS;
}
