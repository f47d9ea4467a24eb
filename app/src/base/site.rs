//! Facts about the deployed site that pages need to build absolute URLs.

use serde::{Deserialize, Serialize};

pub const SITE_NAME: &str = "Passerelle";

/// The public base URL, e.g. `https://passerelle.fr` (no trailing slash).
///
/// The server provides it from configuration; the browser reads it back from
/// the `data-base-url` attribute the server put on `<html>`, so both sides
/// render identical canonical URLs and JSON-LD.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub base_url: String,
}

impl Site {
    pub fn new(base_url: impl Into<String>) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_string();
        Self { base_url }
    }

    /// Absolute URL for a site path such as `/mentions-legales`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    #[cfg(feature = "hydrate")]
    pub fn from_document() -> Self {
        let base = leptos::prelude::document()
            .document_element()
            .and_then(|html| html.get_attribute("data-base-url"))
            .unwrap_or_default();
        Self::new(base)
    }
}

/// The site as the current render knows it (empty base URL if none was provided).
pub fn use_site() -> Site {
    leptos::prelude::use_context::<Site>().unwrap_or_else(|| Site::new(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_loses_its_trailing_slash() {
        let site = Site::new("https://passerelle.example/");
        assert_eq!(site.url("/blog"), "https://passerelle.example/blog");
    }
}
