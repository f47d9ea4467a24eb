//! Who is asking: sign-up and sign-in with the second factor (`auth`), people
//! and their roles (`users`), the account pages (`account`), and the apps
//! that act for a user through the API (`oauth`).

pub mod account;
pub mod auth;
pub mod oauth;
pub mod users;
