//! `passerelle seed --demo`: realistic French demo data, safe to run again.

use app::{error::AppError, users::Role};
use sqlx::PgPool;

/// Shared by every demo account; for development only (listed in the README).
pub const DEMO_PASSWORD: &str = "passerelle-demo-2026";

/// One account per role.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 5] = [
    (
        "camille.martin@demo.passerelle.fr",
        "Camille Martin",
        Role::Candidate,
    ),
    (
        "formation@demo.passerelle.fr",
        "Nadia Benali (Institut Lumière Formation)",
        Role::CentreMember,
    ),
    (
        "recrutement@demo.passerelle.fr",
        "Julien Moreau (Atelier Rhône Industrie)",
        Role::Recruiter,
    ),
    ("redaction@demo.passerelle.fr", "Léa Fontaine", Role::Editor),
    ("admin@demo.passerelle.fr", "Équipe Passerelle", Role::Admin),
];

const DEMO_SUBSCRIBERS: [&str; 6] = [
    "lucas.bernard@exemple.fr",
    "ines.dubois@exemple.fr",
    "hugo.petit@exemple.fr",
    "chloe.robert@exemple.fr",
    "mathis.richard@exemple.fr",
    "manon.durand@exemple.fr",
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub accounts_created: usize,
    pub subscribers: usize,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Données de démonstration prêtes : {} compte(s) créé(s), {} abonné(s) à la lettre.",
            self.accounts_created, self.subscribers
        )
    }
}

pub async fn demo(pool: &PgPool) -> Result<SeedReport, AppError> {
    let mut report = SeedReport::default();
    for (email, name, role) in DEMO_ACCOUNTS {
        // Skip before hashing: a second run should be instant.
        if app::users::ssr::email_exists(pool, email).await? {
            continue;
        }
        app::users::ssr::create_user(pool, email, name, DEMO_PASSWORD, role, true).await?;
        report.accounts_created += 1;
    }
    for email in DEMO_SUBSCRIBERS {
        app::newsletter::ssr::subscribe(pool, email).await?;
    }
    report.subscribers =
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM newsletter_subscribers"#)
            .fetch_one(pool)
            .await?
            .try_into()
            .unwrap_or(0);
    Ok(report)
}
