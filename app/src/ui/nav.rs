//! The link bars at the top of each dashboard. Every area has its own list;
//! one component draws them all.

use leptos::prelude::*;

/// Links of one area: (href, label).
pub type Links = &'static [(&'static str, &'static str)];

pub const ADMIN_LINKS: Links = &[
    ("/admin/organisations", "Organisations à valider"),
    ("/admin/journal", "Journal de sécurité"),
    ("/admin/signalements", "Signalements"),
];

pub const CENTRE_LINKS: Links = &[
    ("/tableau-de-bord/formations", "Formations"),
    ("/tableau-de-bord/demandes", "Demandes d'inscription"),
    ("/tableau-de-bord/centre", "Fiche du centre"),
];

pub const COMPANY_LINKS: Links = &[
    ("/tableau-de-bord/offres", "Offres d'emploi"),
    (
        "/tableau-de-bord/candidatures-recues",
        "Candidatures reçues",
    ),
    ("/tableau-de-bord/entreprise", "Fiche de l'entreprise"),
];

pub const CANDIDATE_LINKS: Links = &[
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

#[component]
pub fn AdminNav() -> impl IntoView {
    view! { <AreaNav label="Administration" links=ADMIN_LINKS/> }
}

#[component]
pub fn CentreNav() -> impl IntoView {
    view! { <AreaNav label="Espace centre" links=CENTRE_LINKS/> }
}

#[component]
pub fn CompanyNav() -> impl IntoView {
    view! { <AreaNav label="Espace entreprise" links=COMPANY_LINKS/> }
}

#[component]
pub fn CandidateNav() -> impl IntoView {
    view! { <AreaNav label="Espace candidat" links=CANDIDATE_LINKS/> }
}
