//! Public pages that belong to no domain: landing and legal pages, and the
//! directories of centres and companies.

pub mod directories;
pub mod home;
pub mod legal;

/// The static public pages and the directories, for the sitemap registry.
#[cfg(feature = "ssr")]
pub fn sitemap_entries(_pool: &sqlx::PgPool) -> crate::base::seo::ssr::SourceFuture<'_> {
    use crate::base::seo::ssr::SitemapEntry;
    Box::pin(async {
        Ok([
            "/",
            "/mentions-legales",
            "/confidentialite",
            "/accessibilite",
            "/centres",
            "/entreprises",
        ]
        .into_iter()
        .map(SitemapEntry::page)
        .collect())
    })
}
