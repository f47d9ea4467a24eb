//! Entreprises: the endpoints of the profile their recruiters edit
//! (`/tableau-de-bord/entreprise`) and of the public page `/entreprises/{slug}`
//! with the company's live offers; both pages are shared with centres in
//! [`crate::organisations::profile`].

use crate::organisations::profile::organisation_endpoints;

organisation_endpoints! {
    crate::organisations::profile::OrgKind::Entreprise,
    logo: "entreprise/logo" => upload_company_logo,
    photos: "entreprise/photos" => add_company_photo,
    page: "entreprises/fiche" => load_public_company,
    // Live offers, newest first.
    cards: super::OfferCard = super::search::by_company,
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
