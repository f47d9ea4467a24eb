//! `passerelle seed --demo`: realistic French demo data, safe to run again.

use app::{error::AppError, users::Role};
use sqlx::PgPool;

/// Shared by every demo account; for development only (listed in the README).
pub const DEMO_PASSWORD: &str = "passerelle-demo-2026";

/// One account per role, and the owner of an organisation awaiting approval.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 6] = [
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
    (
        "contact@demo-competences-bretagne.fr",
        "Yann Le Gall (Compétences Bretagne)",
        Role::CentreMember,
    ),
];

/// (kind, name, SIRET with a valid Luhn key, status, owner).
const DEMO_ORGANISATIONS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "centre",
        "Institut Lumière Formation",
        "81234567800013",
        "approved",
        "formation@demo.passerelle.fr",
    ),
    (
        "entreprise",
        "Atelier Rhône Industrie",
        "82345678900010",
        "approved",
        "recrutement@demo.passerelle.fr",
    ),
    (
        "centre",
        "Compétences Bretagne",
        "83456789000019",
        "pending",
        "contact@demo-competences-bretagne.fr",
    ),
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
    pub organisations_created: usize,
    pub subscribers: usize,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Données de démonstration prêtes : {} compte(s) créé(s), {} organisation(s) créée(s), {} abonné(s) à la lettre.",
            self.accounts_created, self.organisations_created, self.subscribers
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
    for (kind, name, siret, status, owner) in DEMO_ORGANISATIONS {
        // One statement per organisation: it and its owner's membership, or nothing.
        let created = sqlx::query_scalar!(
            r#"WITH organisation AS (
                   INSERT INTO organisations (kind, name, siret, status, reviewed_at)
                   VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'approved' THEN now() END)
                   ON CONFLICT (siret) DO NOTHING RETURNING id
               )
               INSERT INTO memberships (user_id, organisation_id, role)
               SELECT u.id, organisation.id, 'owner' FROM organisation, users u WHERE u.email = $5
               RETURNING organisation_id"#,
            kind,
            name,
            siret,
            status,
            owner
        )
        .fetch_optional(pool)
        .await?;
        report.organisations_created += usize::from(created.is_some());
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
