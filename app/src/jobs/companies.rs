//! Entreprises: the profile their recruiters edit (`/tableau-de-bord/entreprise`,
//! shared with centres in [`crate::organisations::profile`]) and the public page
//! `/entreprises/{slug}` with the company's live offers.

use crate::{
    base::error::AppError,
    base::seo::{JsonLd, Seo, breadcrumb},
    base::site::use_site,
    jobs::{OfferCard, pages::OfferCardView},
    organisations::profile::{OrgKind, OrganisationSummary, ProfilePage, PublicOrganisation},
    ui::errors::{NotFound, ServerError},
};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCompany {
    pub organisation: PublicOrganisation,
    /// Live offers, newest first.
    pub offers: Vec<OfferCard>,
}

/// Replaces the company's logo (field `fichier`). A plain form post comes
/// back to the profile page.
#[server(prefix = "/api", endpoint = "entreprise/logo", input = MultipartFormData)]
pub async fn upload_company_logo(
    data: MultipartData,
) -> Result<crate::base::media::ImageRef, AppError> {
    crate::base::db::with_pool(|pool| async move {
        let (user, company) = crate::organisations::profile::ssr::require_member(
            &pool,
            OrgKind::Entreprise,
            crate::identity::auth::Permission::OrganisationEdit,
        )
        .await?;
        let logo =
            crate::organisations::profile::ssr::replace_logo(&pool, &user, company, data).await?;
        crate::base::forms::redirect_plain_form(OrgKind::Entreprise.dashboard_path());
        Ok(logo)
    })
    .await
}

#[server(prefix = "/api", endpoint = "entreprises/fiche")]
pub async fn load_public_company(slug: String) -> Result<PublicCompany, AppError> {
    crate::base::db::with_pool(|pool| async move {
        let (id, organisation) =
            crate::organisations::profile::ssr::public(&pool, OrgKind::Entreprise, &slug).await?;
        let offers = crate::jobs::search::by_company(&pool, id).await?;
        Ok(PublicCompany {
            organisation,
            offers,
        })
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::base::seo::ssr::SitemapEntry;
    use sqlx::PgPool;

    /// Sitemap: every approved company's page.
    pub fn sitemap_entries(pool: &PgPool) -> crate::base::seo::ssr::SourceFuture<'_> {
        Box::pin(async move {
            let rows = sqlx::query!(
                "SELECT slug, updated_at FROM organisations
                 WHERE kind = 'entreprise' AND status = 'approved' ORDER BY id"
            )
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|r| SitemapEntry {
                    path: format!("/entreprises/{}", r.slug),
                    last_modified: Some(r.updated_at),
                })
                .collect())
        })
    }
}

/// `/tableau-de-bord/entreprise`
#[component]
pub fn CompanyProfilePage() -> impl IntoView {
    view! { <ProfilePage kind=OrgKind::Entreprise/> }
}

/// `/entreprises/{slug}`
#[component]
pub fn CompanyPage() -> impl IntoView {
    let params = use_params_map();
    let company = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        load_public_company,
    );
    let site = use_site();
    view! {
        <Suspense fallback=|| view! { <p class="mx-auto max-w-6xl px-4 py-10" aria-busy="true">"Chargement…"</p> }>
            {
                let site = site.clone();
                move || company.get().map(|result| match result {
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServerError/> }.into_any(),
                    Ok(company) => {
                        let org = company.organisation;
                        let path = OrgKind::Entreprise.public_path(&org.slug);
                        let name = org.profile.name.clone();
                        let description = if org.profile.description.is_empty() {
                            format!("{name} recrute : ses offres d'emploi sur Passerelle.")
                        } else {
                            crate::trainings::truncate_words(&org.profile.description, 160)
                        };
                        let crumbs = breadcrumb(&site, &[("Accueil", "/".to_owned()), ("Offres d'emploi", "/offres".to_owned()), (name.as_str(), path.clone())]);
                        let org_ld = crate::organisations::profile::json_ld(&site, &org);
                        let count = company.offers.len();
                        view! {
                            <Seo title=name.clone() description path=path.clone()/>
                            <JsonLd value=org_ld/>
                            <JsonLd value=crumbs/>
                            <section class="mx-auto max-w-5xl px-4 py-10 sm:px-6">
                                <OrganisationSummary org/>
                                <h2 class="mt-10 text-2xl font-bold text-slate-900">{format!("Offres d'emploi ({count})")}</h2>
                                {(count == 0).then(|| view! {
                                    <p class="mt-4 text-slate-700">"Aucune offre en ligne pour le moment."</p>
                                })}
                                <div class="mt-4 grid gap-4">
                                    {company.offers.into_iter().map(|card| view! { <OfferCardView card/> }).collect_view()}
                                </div>
                            </section>
                        }.into_any()
                    }
                })
            }
        </Suspense>
    }
}
