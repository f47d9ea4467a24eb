//! Uploaded files: one storage interface (local disk or S3), image
//! processing into WebP variants, and the responsive `<img>`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod storage;

/// Site path under which public files are served.
pub const PUBLIC_PREFIX: &str = "/medias/";

/// Server functions that take files: they get [`UPLOAD_BODY_LIMIT`].
pub const UPLOAD_PATHS: [&str; 7] = [
    "/api/medias/image",
    "/api/centre/logo",
    "/api/entreprise/logo",
    "/api/centre/photos",
    "/api/entreprise/photos",
    "/api/candidat/cv",
    "/api/candidatures/postuler",
];
/// The largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// The largest file plus room for the multipart envelope.
pub const UPLOAD_BODY_LIMIT: usize = MAX_IMAGE_BYTES + 64 * 1024;

/// One stored size of an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Storage key, also the path under [`PUBLIC_PREFIX`] for public files.
    pub key: String,
    pub bytes: u64,
}

/// What a page needs to show an uploaded image responsively.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    pub id: i64,
    /// The variant closest to 960 pixels wide (fallback `src`).
    pub src: String,
    /// `srcset` listing every variant with its width.
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    /// The widest variant (OpenGraph images).
    pub largest: String,
}

impl ImageRef {
    /// Builds the reference from the variants, smallest first.
    pub fn from_variants(id: i64, variants: &[Variant]) -> Option<Self> {
        let default = variants
            .iter()
            .rev()
            .find(|v| v.width <= 960)
            .or_else(|| variants.first())?;
        let srcset = variants
            .iter()
            .map(|v| format!("{PUBLIC_PREFIX}{} {}w", v.key, v.width))
            .collect::<Vec<_>>()
            .join(", ");
        Some(Self {
            id,
            src: format!("{PUBLIC_PREFIX}{}", default.key),
            srcset,
            width: default.width,
            height: default.height,
            largest: format!("{PUBLIC_PREFIX}{}", variants.last()?.key),
        })
    }
}

/// A responsive `<img>`: the browser picks the variant for its layout width.
#[component]
pub fn ResponsiveImage(
    image: ImageRef,
    #[prop(into)] alt: String,
    /// The `sizes` attribute: how wide the image is drawn.
    #[prop(into)]
    sizes: String,
    #[prop(optional, into)] class: String,
    /// Above the fold: load at once and with high priority (LCP images).
    #[prop(optional)]
    eager: bool,
) -> impl IntoView {
    view! {
        <img
            src=image.src
            srcset=image.srcset
            sizes=sizes
            width=image.width
            height=image.height
            alt=alt
            class=class
            loading=if eager { "eager" } else { "lazy" }
            fetchpriority=if eager { "high" } else { "auto" }
            decoding=if eager { "auto" } else { "async" }
        />
    }
}
