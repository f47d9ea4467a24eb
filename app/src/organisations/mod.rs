//! Organisations (centres de formation, entreprises): SIRET checks and the
//! admin approval queue's server functions (its page is in `admin`). An
//! organisation is public only once approved; its members hear of each
//! decision by e-mail, and of a refusal's reason, which they answer by
//! correcting their profile (see `profile::ssr::save`).
//! `profile`: the centre's and the company's public profile editor;
//! `invitations`: members invited by e-mail; `requests`: what applications
//! and enrolment requests share; `api_clients`: the clients an owner creates
//! for the public API.

pub mod api_clients;
pub mod invitations;
pub mod listing;
pub mod photos;
pub mod profile;
pub mod requests;

pub use crate::base::validate::{luhn_key, parse_siret};

use crate::base::error::AppError;
#[cfg(feature = "ssr")]
use crate::{
    base::mail::ssr as mail,
    identity::auth::{Permission, ssr::with_permission},
};
use leptos::prelude::*;
use profile::OrgKind;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
/// The (e-mail, display name) of an organisation's members, or of the one member
/// `only` (nothing if they are not a member).
pub async fn member_emails<'c, E>(
    executor: E,
    organisation: i64,
    only: Option<i64>,
) -> Result<Vec<(String, String)>, AppError>
where
    E: sqlx::PgExecutor<'c>,
{
    Ok(sqlx::query!(
        "SELECT u.email, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organisation_id = $1 AND ($2::bigint IS NULL OR m.user_id = $2)
         ORDER BY u.id",
        organisation,
        only
    )
    .fetch_all(executor)
    .await?
    .into_iter()
    .map(|r| (r.email, r.display_name))
    .collect())
}

/// Ends an admin's decision on the queue: the audit entry (who decided,
/// then `change`), the commit, and a plain form post goes back to `queue`.
#[cfg(feature = "ssr")]
async fn record_review(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    admin: &crate::identity::auth::AuthUser,
    event: &str,
    change: serde_json::Value,
    queue: &str,
) -> Result<(), AppError> {
    crate::identity::auth::ssr::audit(
        &mut *tx,
        Some(admin.id),
        event,
        &crate::identity::auth::ssr::request_meta(),
        crate::identity::auth::ssr::by_admin(admin, change),
    )
    .await?;
    tx.commit().await?;
    crate::base::forms::redirect_plain_form(queue);
    Ok(())
}

/// The longest reason an admin may give for a refusal.
pub const REFUSAL_MAX: usize = 1000;

/// A refusal's reason, trimmed, or a French message on `reason`: the
/// organisation's members read it, so it may not be empty.
pub fn refusal_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REFUSAL_MAX {
        return Err(AppError::invalid(
            "reason",
            "Indiquez le motif du refus (1 000 caractères au plus) : il est envoyé aux membres de l'organisation.",
        ));
    }
    Ok(reason.to_owned())
}

/// Rewrites the search rows of an organisation's trainings and offers
/// (after its status or name changed).
#[cfg(feature = "ssr")]
pub async fn refresh_search(
    tx: &mut sqlx::PgConnection,
    organisation: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "SELECT refresh_training_search(id) FROM trainings WHERE centre_id = $1",
        organisation
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "SELECT refresh_job_search(id) FROM job_offers WHERE company_id = $1",
        organisation
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// `organisations.status`: public only once approved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum OrgStatus {
    Pending,
    Approved,
    Rejected,
    /// Taken off every public page by an admin; reactivation makes it
    /// approved again.
    Suspended,
}

impl OrgStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    /// What its members read next to its name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "en attente de validation",
            Self::Approved => "validée",
            Self::Rejected => "refusée",
            Self::Suspended => "suspendue",
        }
    }

    /// Every status, for the back office's filter.
    pub const ALL: [OrgStatus; 4] = [
        Self::Pending,
        Self::Approved,
        Self::Rejected,
        Self::Suspended,
    ];

    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// An admin's decision (`approve` or `reject`) on a pending organisation;
    /// anything else is refused with a French message on `decision`.
    pub fn decided(decision: &str) -> Result<Self, AppError> {
        match decision {
            "approve" => Ok(Self::Approved),
            "reject" => Ok(Self::Rejected),
            _ => Err(AppError::invalid("decision", "Décision inconnue.")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingOrganisation {
    pub id: i64,
    pub kind: OrgKind,
    pub name: String,
    pub siret: String,
    pub owner_email: Option<String>,
    pub created_at: String,
    /// The reason of its last refusal, when it was corrected and sent back.
    pub previous_refusal: Option<String>,
}

#[server(prefix = "/api", endpoint = "admin/organisations")]
pub async fn pending_organisations() -> Result<Vec<PendingOrganisation>, AppError> {
    with_permission(Permission::OrganisationReview, |pool, _| async move {
        Ok(sqlx::query_as!(
            PendingOrganisation,
            r#"SELECT o.id, o.kind AS "kind: OrgKind", o.name, o.siret,
                      (SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
                       WHERE m.organisation_id = o.id AND m.role = 'owner' LIMIT 1) AS owner_email,
                      to_char(o.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created_at!",
                      NULLIF(o.rejection_reason, '') AS previous_refusal
               FROM organisations o WHERE o.status = 'pending' ORDER BY o.created_at"#
        )
        .fetch_all(&pool)
        .await?)
    })
    .await
}

/// Approves (`decision = "approve"`) or rejects (`"reject"`, with a
/// `reason`) a pending organisation. Its members learn the decision by
/// e-mail once it is committed; a refused one's members also read the
/// reason on their dashboard, and saving their profile sends it back here.
#[server(prefix = "/api", endpoint = "admin/organisations/decision")]
pub async fn review_organisation(
    id: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    with_permission(Permission::OrganisationReview, |pool, admin| async move {
        let status = OrgStatus::decided(&decision)?;
        let approved = status == OrgStatus::Approved;
        // Checked before anything is written: a refusal without a reason
        // changes nothing.
        let reason = if approved {
            String::new()
        } else {
            refusal_reason(&reason)?
        };
        let mut tx = pool.begin().await?;
        let reviewed = sqlx::query!(
            r#"UPDATE organisations
               SET status = $1, reviewed_by = $2, reviewed_at = now(), rejection_reason = $4,
                   updated_at = now()
               WHERE id = $3 AND status = 'pending'
               RETURNING name, slug, kind AS "kind: OrgKind""#,
            status.as_str(),
            admin.id,
            id,
            reason
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        // An approved organisation's published trainings and offers enter
        // the search, a rejected one's leave it.
        refresh_search(&mut tx, id).await?;
        // Read with the decision: whoever is a member when it is made.
        let members = member_emails(&mut *tx, id, None).await?;
        let mut change = serde_json::json!({
            "organisation": id,
            "organisation_name": reviewed.name,
            "decision": status.as_str(),
        });
        if !approved {
            change["reason"] = reason.clone().into();
        }
        let event = if approved {
            "organisation.approved"
        } else {
            "organisation.rejected"
        };
        record_review(tx, &admin, event, change, "/admin/organisations?decidee=1").await?;
        let site = crate::base::site::use_site();
        let link = site.url(reviewed.kind.dashboard_path());
        let public_link = site.url(&reviewed.kind.public_path(&reviewed.slug));
        let listings = match reviewed.kind {
            OrgKind::Centre => "vos formations",
            OrgKind::Entreprise => "vos offres d'emploi",
        };
        for (to, name) in members {
            let email = if approved {
                mail::organisation_approved(&name, &reviewed.name, listings, &public_link, &link)
            } else {
                mail::organisation_refused(&name, &reviewed.name, &reason, &link)
            };
            requests::ssr::send(&to, email, "organisation decision").await;
        }
        Ok(())
    })
    .await
}

/// An approved organisation's new name, waiting for an admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRename {
    pub id: i64,
    pub kind: OrgKind,
    pub name: String,
    pub pending_name: String,
    pub siret: String,
}

#[server(prefix = "/api", endpoint = "admin/organisations/renommages")]
pub async fn pending_renames() -> Result<Vec<PendingRename>, AppError> {
    with_permission(Permission::OrganisationReview, |pool, _| async move {
        Ok(sqlx::query_as!(
            PendingRename,
            r#"SELECT id, kind AS "kind: OrgKind", name, pending_name AS "pending_name!", siret
               FROM organisations WHERE pending_name IS NOT NULL ORDER BY updated_at"#
        )
        .fetch_all(&pool)
        .await?)
    })
    .await
}

/// Accepts (`decision = "approve"`) or refuses (`"reject"`) a new name.
#[server(prefix = "/api", endpoint = "admin/organisations/renommage")]
pub async fn review_rename(id: i64, decision: String) -> Result<(), AppError> {
    with_permission(Permission::OrganisationReview, |pool, admin| async move {
        let approve = OrgStatus::decided(&decision)? == OrgStatus::Approved;
        let mut tx = pool.begin().await?;
        let renamed = sqlx::query!(
            r#"UPDATE organisations o
               SET name = CASE WHEN $2 THEN o.pending_name ELSE o.name END,
                   pending_name = NULL, updated_at = now()
               FROM organisations prior
               WHERE o.id = $1 AND prior.id = o.id AND o.pending_name IS NOT NULL
               RETURNING prior.name AS "from!", prior.pending_name AS "to!""#,
            id,
            approve
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        if approve {
            // Search rows carry the organisation's name.
            refresh_search(&mut tx, id).await?;
        }
        record_review(
            tx,
            &admin,
            "organisation.rename_reviewed",
            serde_json::json!({
                "organisation": id,
                "from": renamed.from,
                "to": renamed.to,
                "decision": decision,
            }),
            "/admin/organisations",
        )
        .await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_kinds_read_as_the_database_stores_them() {
        crate::base::validate::assert_stored_as(&OrgStatus::ALL, OrgStatus::as_str);
        assert_eq!(OrgStatus::decided("approve").unwrap(), OrgStatus::Approved);
        assert_eq!(OrgStatus::decided("reject").unwrap(), OrgStatus::Rejected);
        assert!(OrgStatus::decided("approved").is_err());
        crate::base::validate::assert_stored_as(
            &[OrgKind::Centre, OrgKind::Entreprise],
            OrgKind::as_db,
        );
        assert_eq!(OrgKind::Centre.label(), "Centre de formation");
    }

    #[test]
    fn a_refusal_reason_is_trimmed_and_bounded() {
        assert_eq!(
            refusal_reason("  Dossier incomplet \n").unwrap(),
            "Dossier incomplet"
        );
        // Counted in characters, as the database's check counts them.
        assert!(refusal_reason(&"é".repeat(REFUSAL_MAX)).is_ok());
        for bad in ["", " \n\t ", &"é".repeat(REFUSAL_MAX + 1)] {
            let error = refusal_reason(bad).expect_err("refused");
            assert!(error.for_field("reason").is_some());
        }
    }

    #[test]
    fn real_sirets_pass_the_luhn_check() {
        // Published SIRETs of well-known French bodies.
        for siret in ["73282932000074", "732 829 320 00074", "35600000000048"] {
            assert!(parse_siret(siret).is_ok(), "{siret}");
        }
        assert_eq!(
            parse_siret("732 829 320 00074").as_deref(),
            Ok("73282932000074")
        );
    }

    #[test]
    fn bad_sirets_get_a_french_message() {
        for bad in ["", "1234", "7328293200007X", "73282932000075"] {
            let err = parse_siret(bad).expect_err(bad);
            assert!(err.for_field("siret").is_some(), "{bad}");
        }
    }
}
