//! The layer every domain builds on; it imports no domain. Errors, the
//! database pool, site settings, form helpers, formats and validation,
//! Markdown, mail, files, places and skills, SEO helpers.

pub mod audience;
pub mod error;
pub mod format;
pub mod forms;
pub mod hydration;
pub mod mail;
pub mod media;
pub mod moderation;
pub mod places;
pub mod seo;
pub mod site;
pub mod skills;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod tokens;
