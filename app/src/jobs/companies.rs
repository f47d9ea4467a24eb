//! Entreprises: the profile their recruiters edit (`/tableau-de-bord/entreprise`,
//! shared with centres in [`crate::organisations::profile`]) and the public page
//! `/entreprises/{slug}` with the company's live offers.

use crate::{
    base::error::AppError,
    jobs::{OfferCard, pages::OfferCardView},
    organisations::profile::{
        OrgKind, ProfilePage, PublicListing, PublicOrganisation, PublicOrganisationPage,
    },
};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCompany {
    pub organisation: PublicOrganisation,
    /// Live offers, newest first.
    pub offers: Vec<OfferCard>,
}

impl PublicListing for PublicCompany {
    fn into_parts(self) -> (PublicOrganisation, Vec<AnyView>) {
        let cards = self.offers.into_iter();
        let cards = cards.map(|card| view! { <OfferCardView card/> }.into_any());
        (self.organisation, cards.collect())
    }
}

/// Replaces the company's logo (field `fichier`).
#[server(prefix = "/api", endpoint = "entreprise/logo", input = MultipartFormData)]
pub async fn upload_company_logo(
    data: MultipartData,
) -> Result<crate::base::media::ImageRef, AppError> {
    crate::organisations::profile::ssr::upload_logo(OrgKind::Entreprise, data).await
}

#[server(prefix = "/api", endpoint = "entreprises/fiche")]
pub async fn load_public_company(slug: String) -> Result<PublicCompany, AppError> {
    let (organisation, offers) = crate::organisations::profile::ssr::public_with(
        OrgKind::Entreprise,
        slug,
        |pool, id| async move { crate::jobs::search::by_company(&pool, id).await },
    )
    .await?;
    Ok(PublicCompany {
        organisation,
        offers,
    })
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::organisations::listing::ssr::{PublicPage, sitemap_pages};
    use sqlx::PgPool;

    /// Sitemap: every approved company's page.
    pub fn sitemap_entries(pool: &PgPool) -> crate::base::seo::ssr::SourceFuture<'_> {
        Box::pin(async move {
            let companies = sqlx::query_as!(
                PublicPage,
                "SELECT slug, updated_at FROM organisations
                 WHERE kind = 'entreprise' AND status = 'approved' ORDER BY id"
            )
            .fetch_all(pool)
            .await?;
            Ok(sitemap_pages("/entreprises", companies).collect())
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
    view! { <PublicOrganisationPage kind=OrgKind::Entreprise load=load_public_company/> }
}
