//! Public pages that belong to no domain: landing, legal pages, errors.

pub mod errors;
pub mod home;
pub mod legal;

pub use errors::NotFound;

/// The static public pages, for the sitemap registry.
#[cfg(feature = "ssr")]
pub fn sitemap_entries(_pool: &sqlx::PgPool) -> crate::seo::ssr::SourceFuture<'_> {
    use crate::seo::ssr::SitemapEntry;
    Box::pin(async {
        Ok([
            "/",
            "/mentions-legales",
            "/confidentialite",
            "/accessibilite",
        ]
        .into_iter()
        .map(SitemapEntry::page)
        .collect())
    })
}
