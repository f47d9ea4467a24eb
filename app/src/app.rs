//! The HTML shell (server only) and the root component with its routes.

use crate::base::hydration::LazyHydrationScripts;
use crate::{
    admin::AdminAuditPage,
    base::site::use_site,
    blog::{
        editor::{EditorListPage, EditorPage},
        pages::{ArticlePage, BlogCategoryPage, BlogIndexPage, BlogTagPage},
    },
    identity::account::AccountPage,
    identity::auth::pages::{
        AccountMenu, AuthVersion, CheckEmailPage, ForgotPasswordPage, ResetPasswordPage,
        SignInPage, SignUpPage, VerifyEmailPage,
    },
    identity::auth::two_factor::{TwoFactorPage, TwoFactorSignInPage},
    organisations::AdminOrganisationsPage,
    organisations::invitations::{InvitationPage, account_section},
    pages::{
        home::HomePage,
        legal::{Accessibilite, Confidentialite, MentionsLegales},
    },
    trainings::centres::{CentrePage, CentreProfilePage},
    trainings::enrolments::{CandidateEnrolmentsPage, CentreRequestsPage},
    trainings::{
        dashboard::{TrainingEditPage, TrainingsDashboardPage},
        pages::{CataloguePage, TrainingPage},
    },
    ui::errors::{NotFound, ServerError},
    ui::{layout::Layout, toast::Toasts},
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// Per-request CSP nonce, put on the request by the server's security
/// middleware; the shell hands it to Leptos so its scripts carry it.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Every source of sitemap URLs, one per domain with public pages.
#[cfg(feature = "ssr")]
pub const SITEMAP_SOURCES: &[crate::base::seo::ssr::Source] = &[
    crate::pages::sitemap_entries,
    crate::blog::ssr::sitemap_entries,
    crate::trainings::ssr::sitemap_entries,
    crate::jobs::companies::ssr::sitemap_entries,
    crate::jobs::ssr::sitemap_entries,
];

/// The whole document. Rendered on the server only; the browser hydrates `<body>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(CspNonce(nonce)) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
    let site = use_site();
    view! {
        <!DOCTYPE html>
        <html lang="fr" data-base-url=site.base_url>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1e40af"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <MetaTags/>
                <LazyHydrationScripts options/>
            </head>
            <body class="flex min-h-screen flex-col bg-white text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// leptos_meta 0.8 writes the title text into the server's HTML as it is, so
/// a search term or an offer title could close `<title>` and add markup to
/// `<head>` (a meta refresh, say). The server escapes it here; the browser
/// sets `document.title`, which is plain text, so it must not.
pub fn escape_title(title: String) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&title).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        title
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(Toasts::new());
    provide_context(AuthVersion(RwSignal::new(0)));

    // Runs only in the browser: marks the page as interactive.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        // Every page's title goes through this formatter (the last one set wins,
        // and no page sets its own): see `escape_title`.
        <Title formatter=escape_title/>
        <Router>
            <Layout account_menu=|| view! { <AccountMenu/> }>
                <ErrorBoundary fallback=|_| view! { <ServerError/> }>
                    <Routes fallback=|| view! { <NotFound/> }>
                        <Route path=path!("/") view=HomePage/>
                        <Route path=path!("/mentions-legales") view=MentionsLegales/>
                        <Route path=path!("/confidentialite") view=Confidentialite/>
                        <Route path=path!("/accessibilite") view=Accessibilite/>
                        <Route path=path!("/inscription") view=SignUpPage/>
                        <Route path=path!("/inscription/verifiez") view=CheckEmailPage/>
                        <Route path=path!("/connexion") view=SignInPage/>
                        <Route path=path!("/connexion/code") view=TwoFactorSignInPage/>
                        <Route path=path!("/verifier-email") view=VerifyEmailPage/>
                        <Route path=path!("/mot-de-passe-oublie") view=ForgotPasswordPage/>
                        <Route path=path!("/reinitialiser") view=ResetPasswordPage/>
                        <Route path=path!("/invitation") view=InvitationPage/>
                        // Public pages that can answer 404 or 301 wait for their data
                        // so the status is right.
                        <Route path=path!("/blog") view=BlogIndexPage ssr=SsrMode::Async/>
                        <Route path=path!("/blog/categorie/:slug") view=BlogCategoryPage ssr=SsrMode::Async/>
                        <Route path=path!("/blog/tag/:slug") view=BlogTagPage ssr=SsrMode::Async/>
                        <Route path=path!("/blog/:slug") view=ArticlePage ssr=SsrMode::Async/>
                        <Route path=path!("/formations") view=CataloguePage ssr=SsrMode::Async/>
                        <Route path=path!("/formations/:slug") view=|| view! { <TrainingPage related_offers=|training_id| view! { <crate::jobs::pages::TrainingOffers training_id/> }.into_any()/> } ssr=SsrMode::Async/>
                        <Route path=path!("/centres/:slug") view=CentrePage ssr=SsrMode::Async/>
                        <Route path=path!("/entreprises/:slug") view=crate::jobs::companies::CompanyPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/entreprise") view=crate::jobs::companies::CompanyProfilePage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/offres") view=crate::jobs::dashboard::OffersDashboardPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/offres/nouvelle") view=crate::jobs::dashboard::OfferEditPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/offres/:id") view=crate::jobs::dashboard::OfferEditPage ssr=SsrMode::Async/>
                        <Route path=path!("/offres") view=crate::jobs::pages::OffersPage ssr=SsrMode::Async/>
                        <Route path=path!("/offres/:slug") view=crate::jobs::pages::OfferPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/formations") view=TrainingsDashboardPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/formations/nouvelle") view=TrainingEditPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/formations/:id") view=TrainingEditPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/demandes") view=CentreRequestsPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/centre") view=CentreProfilePage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/inscriptions") view=CandidateEnrolmentsPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/profil") view=crate::candidates::CandidateProfilePage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/candidatures") view=crate::candidates::applications::CandidateApplicationsPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/candidatures-recues") view=crate::candidates::applications::ReceivedApplicationsPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/blog") view=EditorListPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/blog/nouveau") view=EditorPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/blog/:id") view=EditorPage ssr=SsrMode::Async/>
                        // Protected pages resolve the user before the headers go
                        // out, so a redirect or a 403 is a real HTTP status.
                        <Route path=path!("/compte") view=|| view! { <AccountPage organisation_section=account_section/> } ssr=SsrMode::Async/>
                        <Route path=path!("/compte/double-authentification") view=TwoFactorPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/organisations") view=AdminOrganisationsPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/journal") view=AdminAuditPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/signalements") view=crate::jobs::reports::AdminReportsPage ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/alertes") view=crate::jobs::alerts::AlertsPage ssr=SsrMode::Async/>
                        <Route path=path!("/alertes/desabonnement") view=crate::jobs::alerts::UnsubscribePage ssr=SsrMode::Async/>
                        <Route path=path!("/newsletter/confirmation") view=crate::newsletter::NewsletterConfirmPage/>
                        <Route path=path!("/newsletter/desabonnement") view=crate::newsletter::NewsletterUnsubscribePage/>
                    </Routes>
                </ErrorBoundary>
            </Layout>
        </Router>
    }
}
