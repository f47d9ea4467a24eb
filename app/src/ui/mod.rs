//! The UI kit: the layout shell every page uses, form fields, toasts, the
//! search kit (form, facets, pager) and error pages. It imports no domain:
//! what a widget needs from one arrives as props or children.

pub mod errors;
pub mod form;
pub mod layout;
pub mod nav;
pub mod search;
pub mod toast;

pub use errors::NotFound;
