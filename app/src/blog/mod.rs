//! The blog: articles written in Markdown by editors, published on a
//! schedule, read by everyone and indexed by search engines.

pub mod editor;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::{base::error::AppError, base::media::ImageRef};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Articles per listing page.
pub const PAGE_SIZE: i64 = 9;

/// Where an article is in its life. `Scheduled` articles are public once
/// their time has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum Status {
    Draft,
    Scheduled,
    Published,
    Archived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Brouillon",
            Self::Scheduled => "Programmé",
            Self::Published => "Publié",
            Self::Archived => "Archivé",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

/// An article in a listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleCard {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    /// "25 novembre 2026"
    pub published_on: String,
    /// RFC 3339, for `<time datetime>` and JSON-LD.
    pub published_at: String,
    pub reading_minutes: i32,
    pub category: Option<Category>,
    pub cover: Option<ImageRef>,
    pub cover_alt: String,
}

/// A public article with what its page shows around it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub card: ArticleCard,
    /// Sanitised when saved.
    pub body_html: String,
    pub updated_at: String,
    pub author: Option<String>,
    pub tags: Vec<Tag>,
    pub related: Vec<ArticleCard>,
}

/// What `/blog/{slug}` finds: the article, or the slug it moved to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lookup {
    Found(Box<Article>),
    Moved(String),
}

/// Which listing: all articles, one category or one tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Filter {
    All,
    Category(String),
    Tag(String),
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub articles: Vec<ArticleCard>,
    pub page: i64,
    pub pages: i64,
    /// Name and description of the category or tag, if filtered.
    pub heading: Option<(String, String)>,
    pub categories: Vec<Category>,
}

/// A page of published articles, newest first.
#[server(prefix = "/api", endpoint = "blog/articles")]
pub async fn blog_listing(filter: Filter, page: i64) -> Result<Listing, AppError> {
    crate::base::db::with_read_pool(|pool| async move { ssr::listing(&pool, &filter, page).await })
        .await
}

/// A published article by slug; an old slug gives the new one.
#[server(prefix = "/api", endpoint = "blog/article")]
pub async fn blog_article(slug: String) -> Result<Lookup, AppError> {
    crate::base::db::with_read_pool(|pool| async move {
        let found = ssr::article(&pool, &slug).await;
        // A page render answers with a 301 so search engines move their index;
        // the hydrated app's own call gets the new slug and navigates.
        if let Ok(Lookup::Moved(to)) = &found
            && crate::base::seo::ssr::is_page_render()
            && let (Some(response), Ok(location)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::HeaderValue::from_str(&format!("/blog/{to}")),
            )
        {
            response.set_status(http::StatusCode::MOVED_PERMANENTLY);
            response.insert_header(http::header::LOCATION, location);
        }
        found
    })
    .await
}

/// The newest published articles (landing page).
#[server(prefix = "/api", endpoint = "blog/latest")]
pub async fn latest_articles() -> Result<Vec<ArticleCard>, AppError> {
    let pool = crate::base::db::read_pool()?;
    ssr::latest(&pool, 3).await
}

/// The blog's categories, for menus and the editor.
#[server(prefix = "/api", endpoint = "blog/categories")]
pub async fn blog_categories() -> Result<Vec<Category>, AppError> {
    let pool = crate::base::db::read_pool()?;
    ssr::categories(&pool).await
}
