//! The layout shell every page uses, and small shared widgets.

pub mod form;
pub mod layout;
pub mod toast;
