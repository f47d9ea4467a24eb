//! `sqlx::migrate!` (crate::base::db::MIGRATOR) embeds the migrations at
//! compile time: a new or changed migration must rebuild this crate.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
