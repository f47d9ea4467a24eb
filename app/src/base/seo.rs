//! Search-engine plumbing shared by every public page: meta tags,
//! JSON-LD, and the sitemap registry.

use crate::base::site::{SITE_NAME, use_site};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// Title, description, canonical URL, OpenGraph and Twitter tags for one page.
#[component]
pub fn Seo(
    /// Page title, without the site name (added here).
    #[prop(into)]
    title: String,
    #[prop(into)] description: String,
    /// Site path of the page, e.g. `/mentions-legales`.
    #[prop(into)]
    path: String,
    /// Keep the page out of search results (error pages, private pages).
    #[prop(optional)]
    noindex: bool,
    /// Site path of the link-preview image (default: the site's card).
    #[prop(default = None)]
    image: Option<String>,
    /// OpenGraph type: "website" unless told ("article").
    #[prop(optional)]
    og_type: Option<&'static str>,
) -> impl IntoView {
    let site = use_site();
    let full_title = if title == SITE_NAME {
        title
    } else {
        format!("{title} · {SITE_NAME}")
    };
    let canonical = site.url(&path);
    let image = site.url(image.as_deref().unwrap_or("/og-image.png"));
    view! {
        <Title text=full_title.clone()/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=canonical.clone()/>
        {noindex.then(|| view! { <Meta name="robots" content="noindex"/> })}
        <Meta property="og:type" content=og_type.unwrap_or("website")/>
        <Meta property="og:site_name" content=SITE_NAME/>
        <Meta property="og:locale" content="fr_FR"/>
        <Meta property="og:title" content=full_title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=canonical/>
        <Meta property="og:image" content=image.clone()/>
        <Meta name="twitter:card" content="summary_large_image"/>
        <Meta name="twitter:title" content=full_title/>
        <Meta name="twitter:description" content=description/>
        <Meta name="twitter:image" content=image/>
    }
}

/// Serialises JSON-LD so that it is safe inside `<script>`: user text can
/// never close the tag or open a comment.
pub fn json_ld_string(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A `<script type="application/ld+json">` block.
#[component]
pub fn JsonLd(value: serde_json::Value) -> impl IntoView {
    view! { <script type="application/ld+json" inner_html=json_ld_string(&value)></script> }
}

/// BreadcrumbList JSON-LD from (name, site path) pairs, home first.
pub fn breadcrumb(site: &crate::base::site::Site, items: &[(&str, String)]) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items.iter().enumerate().map(|(i, (name, path))| serde_json::json!({
            "@type": "ListItem",
            "position": i + 1,
            "name": name,
            "item": site.url(path),
        })).collect::<Vec<_>>(),
    })
}

/// The sitemap: each domain with public pages has one source function; the
/// list of sources is filled at the top (`SITEMAP_SOURCES`, in the router).
#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::base::error::AppError;
    use chrono::{DateTime, Utc};
    use sqlx::PgPool;
    use std::{future::Future, pin::Pin};

    /// True while the server renders a page, false for the hydrated app's
    /// server-function calls (under `/api/`): views are counted and 410s set
    /// for pages only.
    pub fn is_page_render() -> bool {
        leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|parts| !parts.uri.path().starts_with("/api/"))
    }

    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SitemapEntry {
        /// Site path, starting with `/`.
        pub path: String,
        pub last_modified: Option<DateTime<Utc>>,
    }

    impl SitemapEntry {
        pub fn page(path: &str) -> Self {
            Self {
                path: path.to_owned(),
                last_modified: None,
            }
        }
    }

    pub type SourceFuture<'a> =
        Pin<Box<dyn Future<Output = Result<Vec<SitemapEntry>, AppError>> + Send + 'a>>;
    pub type Source = for<'a> fn(&'a PgPool) -> SourceFuture<'a>;

    /// Collects every entry from every source.
    pub async fn entries(pool: &PgPool, sources: &[Source]) -> Result<Vec<SitemapEntry>, AppError> {
        let mut all = Vec::new();
        for source in sources {
            all.extend(source(pool).await?);
        }
        Ok(all)
    }

    /// The most URLs one sitemap file may list (sitemaps.org).
    pub const URLS_PER_FILE: usize = 50_000;

    /// `/sitemap.xml` for these entries: the sitemap itself when it fits in
    /// one file of `per_file` URLs, else an index of its parts
    /// (`/sitemaps/1.xml` …, see [`part`]).
    pub fn sitemap(base_url: &str, entries: &[SitemapEntry], per_file: usize) -> String {
        if entries.len() <= per_file {
            return render(base_url, entries);
        }
        let base = base_url.trim_end_matches('/');
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for n in 1..=entries.len().div_ceil(per_file) {
            xml.push_str(&format!(
                "  <sitemap><loc>{}</loc></sitemap>\n",
                html_escape::encode_text(&format!("{base}/sitemaps/{n}.xml"))
            ));
        }
        xml.push_str("</sitemapindex>\n");
        xml
    }

    /// Part `n` (from 1) of a sitemap too long for one file; `None` past
    /// its end.
    pub fn part(
        base_url: &str,
        entries: &[SitemapEntry],
        per_file: usize,
        n: usize,
    ) -> Option<String> {
        let chunk = entries.chunks(per_file).nth(n.checked_sub(1)?)?;
        (entries.len() > per_file).then(|| render(base_url, chunk))
    }

    /// Renders the sitemap XML (sitemaps.org 0.9) with absolute URLs.
    pub fn render(base_url: &str, entries: &[SitemapEntry]) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for entry in entries {
            let loc = format!("{}{}", base_url.trim_end_matches('/'), entry.path);
            xml.push_str("  <url><loc>");
            xml.push_str(&html_escape::encode_text(&loc));
            xml.push_str("</loc>");
            if let Some(at) = entry.last_modified {
                xml.push_str("<lastmod>");
                xml.push_str(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                xml.push_str("</lastmod>");
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script_tag() {
        let value = serde_json::json!({ "name": "</script><script>alert(1)</script>" });
        let out = json_ld_string(&value);
        assert!(!out.contains("</script"));
        assert!(!out.contains('<'));
        let back: serde_json::Value = serde_json::from_str(&out).expect("still valid JSON");
        assert_eq!(back, value);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_long_sitemap_is_split_into_parts_under_an_index() {
        use ssr::{SitemapEntry, part, sitemap};
        let entries: Vec<_> = (1..=5)
            .map(|n| SitemapEntry::page(&format!("/offres/o-{n}")))
            .collect();
        let base = "https://passerelle.example/";
        let index = sitemap(base, &entries, 2);
        assert!(index.contains("<sitemapindex"));
        assert_eq!(index.matches("<sitemap>").count(), 3);
        assert!(index.contains("<loc>https://passerelle.example/sitemaps/3.xml</loc>"));
        let third = part(base, &entries, 2, 3).expect("a third part");
        assert_eq!(third.matches("<url>").count(), 1);
        assert!(third.contains("/offres/o-5</loc>"));
        assert!(part(base, &entries, 2, 4).is_none());
        assert!(part(base, &entries, 2, 0).is_none());
        // Short enough: one file, and no parts.
        let whole = sitemap(base, &entries, 5);
        assert!(whole.contains("<urlset") && whole.matches("<url>").count() == 5);
        assert!(part(base, &entries, 5, 1).is_none());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn sitemap_uses_absolute_escaped_urls() {
        use ssr::*;
        let xml = render(
            "https://passerelle.example/",
            &[SitemapEntry::page("/"), SitemapEntry::page("/a?b=1&c=2")],
        );
        assert!(xml.contains("<loc>https://passerelle.example/</loc>"));
        assert!(xml.contains("<loc>https://passerelle.example/a?b=1&amp;c=2</loc>"));
        assert!(xml.starts_with("<?xml"));
    }
}
