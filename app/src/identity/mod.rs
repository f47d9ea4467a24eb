//! Who is asking: sign-up and sign-in with the second factor (`auth`), people
//! and their roles (`users`), and the account pages (`account`).

pub mod account;
pub mod auth;
pub mod users;
