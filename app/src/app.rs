//! The HTML shell (server only) and the root component with its routes.

use crate::base::hydration::{EnhancementScript, LazyHydrationScripts};
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
    organisations::invitations::{InvitationPage, account_section},
    organisations::profile::{OrgKind, ProfilePage, PublicOrganisationPage},
    pages::{
        home::HomePage,
        legal::{Accessibilite, Confidentialite, MentionsLegales},
    },
    trainings::centres::load_public_centre,
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
    Lazy, LazyRoute, SsrMode,
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
    #[cfg(feature = "ssr")]
    let interactive =
        use_context::<http::request::Parts>().is_none_or(|parts| hydrates(parts.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let interactive = true;
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
                {if interactive {
                    view! { <LazyHydrationScripts options/> }.into_any()
                } else {
                    view! { <EnhancementScript/> }.into_any()
                }}
            </head>
            <body class="flex min-h-screen flex-col bg-white text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// Whether the page at `path` hydrates into the reactive app: the pages
/// behind sign-in (dashboards, account, editor, back office) do. Every other
/// page (landing, blog, search, offers, trainings, centres, companies,
/// sign-in) is complete as the server renders it (every form on it posts
/// without JavaScript, which the browser tests check page by page), so it
/// downloads no WebAssembly at all: 0 bytes where the smallest split bundle
/// was 371 KiB brotli. A page opened from a dashboard is still drawn by the
/// hydrated app, which fetches its area's chunks then.
pub fn hydrates(path: &str) -> bool {
    ["/tableau-de-bord", "/compte", "/admin"]
        .iter()
        .any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
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

/// Pages are grouped in areas; each area is one split point: built with
/// `cargo leptos build --split`, its code leaves the main WebAssembly file
/// for chunks of its own, which the browser fetches when one of its pages is
/// first shown (the server preloads them with the page). The main file keeps
/// the runtime, the layout and the router, so a public page never downloads
/// a dashboard's, the editor's or the back office's code. (One split point per
/// page made 775 chunks, 100 to 300 per page: areas keep that count small.)
macro_rules! lazy_area {
    ($(#[$doc:meta])* $area:ident, $preload:ident, $Area:ident { $($route:ident => $view:expr;)* }) => {
        $(#[$doc])*
        // Variants are named after the routes they draw.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        #[repr(u8)]
        enum $Area {
            $($route,)*
        }

        #[leptos::lazy]
        fn $area(page: $Area) -> AnyView {
            match page {
                $($Area::$route => $view.into_any(),)*
            }
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_: Self) -> AnyView {
                    $area($Area::$route).await
                }

                // Hydration waits for this before it walks the server's HTML:
                // without the chunk loaded first, the page would be drawn again.
                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

lazy_area! {
    /// Public search pages.
    search_area, __preload_search_area, SearchArea {
        OffersRoute => view! { <crate::jobs::pages::OffersPage/> };
        CatalogueRoute => view! { <CataloguePage save_search=crate::jobs::alerts::training_alert_form/> };
        CentresRoute => view! { <crate::pages::directories::DirectoryPage kind=OrgKind::Centre/> };
        CompaniesRoute => view! { <crate::pages::directories::DirectoryPage kind=OrgKind::Entreprise/> };
    }
}

lazy_area! {
    /// Public pages of one offer, training, centre or company.
    detail_area, __preload_detail_area, DetailArea {
        OfferRoute => view! { <crate::jobs::pages::OfferPage/> };
        TrainingRoute => view! { <TrainingPage related_offers=crate::jobs::pages::training_offers_view/> };
        CentreRoute => view! { <PublicOrganisationPage kind=OrgKind::Centre load=load_public_centre/> };
        CompanyRoute => view! { <PublicOrganisationPage kind=OrgKind::Entreprise load=crate::jobs::companies::load_public_company/> };
    }
}

lazy_area! {
    /// Landing, blog, legal and e-mail link pages.
    content_area, __preload_content_area, ContentArea {
        HomeRoute => view! { <HomePage/> };
        MentionsLegalesRoute => view! { <MentionsLegales/> };
        ConfidentialiteRoute => view! { <Confidentialite/> };
        AccessibiliteRoute => view! { <Accessibilite/> };
        BlogIndexRoute => view! { <BlogIndexPage/> };
        BlogCategoryRoute => view! { <BlogCategoryPage/> };
        BlogTagRoute => view! { <BlogTagPage/> };
        ArticleRoute => view! { <ArticlePage/> };
        NewsletterConfirmRoute => view! { <crate::newsletter::NewsletterConfirmPage/> };
        NewsletterUnsubscribeRoute => view! { <crate::newsletter::NewsletterUnsubscribePage/> };
        UnsubscribeRoute => view! { <crate::jobs::alerts::UnsubscribePage/> };
    }
}

lazy_area! {
    /// Sign-up, sign-in and password pages.
    sign_in_area, __preload_sign_in_area, SignInArea {
        SignUpRoute => view! { <SignUpPage/> };
        CheckEmailRoute => view! { <CheckEmailPage/> };
        SignInRoute => view! { <SignInPage/> };
        TwoFactorSignInRoute => view! { <TwoFactorSignInPage/> };
        VerifyEmailRoute => view! { <VerifyEmailPage/> };
        ForgotPasswordRoute => view! { <ForgotPasswordPage/> };
        ResetPasswordRoute => view! { <ResetPasswordPage/> };
        InvitationRoute => view! { <InvitationPage/> };
        ConsentRoute => view! { <crate::identity::oauth::consent::ConsentPage/> };
    }
}

lazy_area! {
    /// The signed-in home, where sign-in lands.
    home_area, __preload_home_area, HomeArea {
        DashboardHomeRoute => view! { <crate::dashboard::DashboardHomePage/> };
    }
}

lazy_area! {
    /// The candidate's dashboard.
    candidate_area, __preload_candidate_area, CandidateArea {
        CandidateProfileRoute => view! { <crate::candidates::CandidateProfilePage/> };
        CandidateApplicationsRoute => view! { <crate::candidates::applications::CandidateApplicationsPage/> };
        CandidateEnrolmentsRoute => view! { <CandidateEnrolmentsPage/> };
        AlertsRoute => view! { <crate::jobs::alerts::AlertsPage/> };
    }
}

lazy_area! {
    /// The centre's dashboard.
    centre_area, __preload_centre_area, CentreArea {
        TrainingsDashboardRoute => view! { <TrainingsDashboardPage/> };
        TrainingEditRoute => view! { <TrainingEditPage/> };
        CentreRequestsRoute => view! { <CentreRequestsPage/> };
        CentreProfileRoute => view! { <ProfilePage kind=OrgKind::Centre/> };
        CentreApiRoute => view! { <crate::organisations::api_clients::ApiClientsPage kind=OrgKind::Centre/> };
    }
}

lazy_area! {
    /// The company's dashboard.
    company_area, __preload_company_area, CompanyArea {
        OffersDashboardRoute => view! { <crate::jobs::dashboard::OffersDashboardPage/> };
        OfferEditRoute => view! { <crate::jobs::dashboard::OfferEditPage/> };
        ReceivedApplicationsRoute => view! { <crate::candidates::applications::ReceivedApplicationsPage/> };
        CompanyProfileRoute => view! { <ProfilePage kind=OrgKind::Entreprise/> };
        CompanyApiRoute => view! { <crate::organisations::api_clients::ApiClientsPage kind=OrgKind::Entreprise/> };
    }
}

lazy_area! {
    /// The blog editor.
    editor_area, __preload_editor_area, EditorArea {
        EditorListRoute => view! { <EditorListPage/> };
        EditorRoute => view! { <EditorPage/> };
    }
}

lazy_area! {
    /// The back office.
    admin_area, __preload_admin_area, AdminArea {
        AdminHomeRoute => view! { <crate::admin::home::AdminHomePage/> };
        AdminUsersRoute => view! { <crate::admin::users::AdminUsersPage/> };
        AdminUserRoute => view! { <crate::admin::users::AdminUserPage/> };
        AdminOrganisationsRoute => view! { <crate::admin::organisations::AdminOrganisationsPage/> };
        AdminOrganisationRoute => view! { <crate::admin::organisations::AdminOrganisationPage/> };
        AdminContentRoute => view! { <crate::admin::content::AdminContentPage/> };
        AdminTasksRoute => view! { <crate::admin::tasks::AdminTasksPage/> };
        AdminNewsletterRoute => view! { <crate::admin::newsletter::AdminNewsletterPage/> };
        AdminAuditRoute => view! { <AdminAuditPage/> };
        AdminReportsRoute => view! { <crate::jobs::reports::AdminReportsPage/> };
        AdminApplicationsRoute => view! { <crate::admin::applications::AdminApplicationsPage/> };
    }
}

lazy_area! {
    /// The account and its second factor.
    account_area, __preload_account_area, AccountArea {
        AccountRoute => view! { <AccountPage organisation_section=account_section/> };
        TwoFactorRoute => view! { <TwoFactorPage/> };
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
            <Layout account_menu=|stacked| view! { <AccountMenu stacked/> }.into_any()>
                <ErrorBoundary fallback=|_| view! { <ServerError/> }>
                    <Routes fallback=|| view! { <NotFound/> }>
                        <Route path=path!("/") view={Lazy::<HomeRoute>::new()}/>
                        <Route path=path!("/mentions-legales") view={Lazy::<MentionsLegalesRoute>::new()}/>
                        <Route path=path!("/confidentialite") view={Lazy::<ConfidentialiteRoute>::new()}/>
                        <Route path=path!("/accessibilite") view={Lazy::<AccessibiliteRoute>::new()}/>
                        <Route path=path!("/inscription") view={Lazy::<SignUpRoute>::new()}/>
                        <Route path=path!("/inscription/verifiez") view={Lazy::<CheckEmailRoute>::new()}/>
                        <Route path=path!("/connexion") view={Lazy::<SignInRoute>::new()}/>
                        <Route path=path!("/connexion/code") view={Lazy::<TwoFactorSignInRoute>::new()}/>
                        <Route path=path!("/verifier-email") view={Lazy::<VerifyEmailRoute>::new()}/>
                        <Route path=path!("/mot-de-passe-oublie") view={Lazy::<ForgotPasswordRoute>::new()}/>
                        <Route path=path!("/reinitialiser") view={Lazy::<ResetPasswordRoute>::new()}/>
                        <Route path=path!("/invitation") view={Lazy::<InvitationRoute>::new()}/>
                        // The consent page redirects to the app, or to sign-in: a real status.
                        <Route path=path!("/oauth/autoriser") view={Lazy::<ConsentRoute>::new()} ssr=SsrMode::Async/>
                        // Public pages that can answer 404 or 301 wait for their data
                        // so the status is right.
                        <Route path=path!("/blog") view={Lazy::<BlogIndexRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/blog/categorie/:slug") view={Lazy::<BlogCategoryRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/blog/tag/:slug") view={Lazy::<BlogTagRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/blog/:slug") view={Lazy::<ArticleRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/formations") view={Lazy::<CatalogueRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/formations/:slug") view={Lazy::<TrainingRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/centres") view={Lazy::<CentresRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/entreprises") view={Lazy::<CompaniesRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/centres/:slug") view={Lazy::<CentreRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/entreprises/:slug") view={Lazy::<CompanyRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord") view={Lazy::<DashboardHomeRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/entreprise") view={Lazy::<CompanyProfileRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/entreprise/api") view={Lazy::<CompanyApiRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/offres") view={Lazy::<OffersDashboardRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/offres/nouvelle") view={Lazy::<OfferEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/offres/:id") view={Lazy::<OfferEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/offres") view={Lazy::<OffersRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/offres/:slug") view={Lazy::<OfferRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/formations") view={Lazy::<TrainingsDashboardRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/formations/nouvelle") view={Lazy::<TrainingEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/formations/:id") view={Lazy::<TrainingEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/demandes") view={Lazy::<CentreRequestsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/centre") view={Lazy::<CentreProfileRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/centre/api") view={Lazy::<CentreApiRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/inscriptions") view={Lazy::<CandidateEnrolmentsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/profil") view={Lazy::<CandidateProfileRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/candidatures") view={Lazy::<CandidateApplicationsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/candidatures-recues") view={Lazy::<ReceivedApplicationsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/blog") view={Lazy::<EditorListRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/blog/nouveau") view={Lazy::<EditorRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/blog/:id") view={Lazy::<EditorRoute>::new()} ssr=SsrMode::Async/>
                        // Protected pages resolve the user before the headers go
                        // out, so a redirect or a 403 is a real HTTP status.
                        <Route path=path!("/compte") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/compte/double-authentification") view={Lazy::<TwoFactorRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin") view={Lazy::<AdminHomeRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/utilisateurs") view={Lazy::<AdminUsersRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/utilisateurs/:id") view={Lazy::<AdminUserRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/organisations") view={Lazy::<AdminOrganisationsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/organisations/:id") view={Lazy::<AdminOrganisationRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/contenus") view={Lazy::<AdminContentRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/taches") view={Lazy::<AdminTasksRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/newsletter") view={Lazy::<AdminNewsletterRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/journal") view={Lazy::<AdminAuditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/signalements") view={Lazy::<AdminReportsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/admin/applications") view={Lazy::<AdminApplicationsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/tableau-de-bord/alertes") view={Lazy::<AlertsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/alertes/desabonnement") view={Lazy::<UnsubscribeRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/newsletter/confirmation") view={Lazy::<NewsletterConfirmRoute>::new()}/>
                        <Route path=path!("/newsletter/desabonnement") view={Lazy::<NewsletterUnsubscribeRoute>::new()}/>
                    </Routes>
                </ErrorBoundary>
            </Layout>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::hydrates;

    #[test]
    fn only_the_pages_behind_sign_in_hydrate() {
        for path in [
            "/tableau-de-bord",
            "/tableau-de-bord/offres/12",
            "/compte",
            "/compte/double-authentification",
            "/admin/journal",
        ] {
            assert!(hydrates(path), "{path} should hydrate");
        }
        for path in [
            "/",
            "/offres",
            "/formations/cuisine",
            "/entreprises/atelier",
            "/connexion",
            "/blog/un-article",
            "/comptes",
            "/administration",
        ] {
            assert!(!hydrates(path), "{path} should not hydrate");
        }
    }
}
