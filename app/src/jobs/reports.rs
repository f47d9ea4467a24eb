//! "Signaler cette offre": anyone (visitors too) reports an offer; admins
//! work through the queue at `/admin/signalements`, dismissing a report or
//! withdrawing the offer. Visitors are held back by the per-IP limit of the
//! server's rate-limited endpoints; a signed-in user keeps one open report
//! per offer.

#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::{
    base::error::AppError,
    identity::auth::pages::protected,
    ui::form::{DecisionForm, FormError, action_error},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub const REASONS: [(&str, &str); 5] = [
    ("arnaque", "Arnaque ou offre frauduleuse"),
    ("discrimination", "Contenu discriminatoire"),
    ("inexacte", "Informations fausses ou trompeuses"),
    ("pourvue", "Offre déjà pourvue ou inexistante"),
    ("autre", "Autre"),
];

pub const MAX_DETAILS: usize = 2_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    pub id: i64,
    pub reason: String,
    pub details: String,
    /// "DD/MM/YYYY HH:MM", Paris time.
    pub created_at: String,
    /// The reporter's e-mail; `None` for a visitor.
    pub reporter: Option<String>,
}

/// An offer with its open reports, as the moderation queue shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedOffer {
    pub offer_id: i64,
    pub title: String,
    pub slug: String,
    pub offer_status: crate::jobs::OfferState,
    pub company: String,
    pub reports: Vec<ReportItem>,
}

/// Checks a report's reason and details; returns the trimmed details.
pub fn check_report(reason: &str, details: &str) -> Result<String, AppError> {
    if !REASONS.iter().any(|(value, _)| *value == reason) {
        return Err(AppError::invalid("reason", "Choisissez un motif."));
    }
    let details = details.trim();
    if details.chars().count() > MAX_DETAILS {
        return Err(AppError::invalid(
            "details",
            "Votre message est trop long (2 000 caractères au plus).",
        ));
    }
    if reason == "autre" && details.is_empty() {
        return Err(AppError::invalid("details", "Précisez le problème."));
    }
    Ok(details.to_owned())
}

/// Reports a public offer. Open to visitors.
#[server(prefix = "/api", endpoint = "offres/signaler")]
pub async fn report_offer(
    offer_id: i64,
    #[server(default)] reason: String,
    #[server(default)] details: String,
) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        let details = check_report(&reason, &details)?;
        let reporter = crate::identity::auth::ssr::current_user(&pool).await?;
        // Drafts and archived offers are nobody's to report.
        let slug = sqlx::query_scalar!(
            r#"SELECT slug AS "slug!" FROM public_job_offers WHERE id = $1"#,
            offer_id
        )
        .fetch_optional(&pool)
        .await?
        .ok_or(AppError::NotFound)?;
        let reporter_id = reporter.map(|user| user.id);
        // `offer_reports_open_once` keeps one open report per user and
        // offer; a second one, even sent at the same instant, inserts nothing.
        let inserted = sqlx::query_scalar!(
            "INSERT INTO offer_reports (offer_id, reporter_id, reason, details)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (offer_id, reporter_id) WHERE status = 'open' AND reporter_id IS NOT NULL
             DO NOTHING
             RETURNING id",
            offer_id,
            reporter_id,
            reason,
            details
        )
        .fetch_optional(&pool)
        .await?;
        if inserted.is_none() {
            return Err(AppError::invalid(
                "reason",
                "Vous avez déjà signalé cette offre : notre équipe l'examine.",
            ));
        }
        crate::base::forms::redirect_plain_form(&format!("/offres/{slug}?signalement=envoye"));
        Ok(())
    })
    .await
}

/// Open reports grouped by offer, the oldest first.
#[server(prefix = "/api", endpoint = "admin/signalements")]
pub async fn open_reports() -> Result<Vec<ReportedOffer>, AppError> {
    with_permission(Permission::OrganisationReview, |pool, _| async move {
        let rows = sqlx::query!(
            r#"SELECT r.id, r.offer_id, r.reason, r.details, u.email AS "reporter?",
                      to_char(r.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created_at!",
                      j.title, j.slug, j.status AS "status: crate::jobs::OfferState", o.name AS company
               FROM offer_reports r
               JOIN job_offers j ON j.id = r.offer_id
               JOIN organisations o ON o.id = j.company_id
               LEFT JOIN users u ON u.id = r.reporter_id
               WHERE r.status = 'open'
               ORDER BY min(r.created_at) OVER (PARTITION BY r.offer_id), r.offer_id, r.created_at
               LIMIT 1000"#
        )
        .fetch_all(&pool)
        .await?;
        let mut offers: Vec<ReportedOffer> = Vec::new();
        for row in rows {
            let item = ReportItem {
                id: row.id,
                reason: row.reason,
                details: row.details,
                created_at: row.created_at,
                reporter: row.reporter,
            };
            match offers.last_mut() {
                Some(offer) if offer.offer_id == row.offer_id => offer.reports.push(item),
                _ => offers.push(ReportedOffer {
                    offer_id: row.offer_id,
                    title: row.title,
                    slug: row.slug,
                    offer_status: row.status,
                    company: row.company,
                    reports: vec![item],
                }),
            }
        }
        Ok(offers)
    })
    .await
}

/// `decision`: "dismiss" closes this report; "withdraw" archives the offer
/// (out of the search, 410 on its page) and closes all its open reports.
#[server(prefix = "/api", endpoint = "admin/signalements/decision")]
pub async fn moderate_report(id: i64, decision: String) -> Result<(), AppError> {
    with_permission(Permission::OrganisationReview, |pool, admin| async move {
        let meta = crate::identity::auth::ssr::request_meta();
        let mut tx = pool.begin().await?;
        let offer = sqlx::query_scalar!(
            "SELECT offer_id FROM offer_reports WHERE id = $1 AND status = 'open' FOR UPDATE",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        match decision.as_str() {
            "dismiss" => {
                sqlx::query!(
                    "UPDATE offer_reports SET status = 'dismissed', handled_by = $2, handled_at = now()
                     WHERE id = $1",
                    id,
                    admin.id
                )
                .execute(&mut *tx)
                .await?;
                crate::identity::auth::ssr::audit(
                    &mut *tx,
                    Some(admin.id),
                    "offer_report.dismissed",
                    &meta,
                    serde_json::json!({ "report": id, "offer": offer }),
                )
                .await?;
            }
            "withdraw" => {
                sqlx::query!(
                    "UPDATE job_offers SET status = 'archived', updated_at = now() WHERE id = $1",
                    offer
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query!("SELECT refresh_job_search($1)", offer)
                    .execute(&mut *tx)
                    .await?;
                let closed = sqlx::query!(
                    "UPDATE offer_reports SET status = 'actioned', handled_by = $2, handled_at = now()
                     WHERE offer_id = $1 AND status = 'open'",
                    offer,
                    admin.id
                )
                .execute(&mut *tx)
                .await?
                .rows_affected();
                crate::identity::auth::ssr::audit(
                    &mut *tx,
                    Some(admin.id),
                    "offer.withdrawn",
                    &meta,
                    serde_json::json!({ "report": id, "offer": offer, "reports_closed": closed }),
                )
                .await?;
            }
            _ => return Err(AppError::invalid("decision", "Décision inconnue.")),
        }
        tx.commit().await?;
        crate::base::forms::redirect_plain_form("/admin/signalements");
        Ok(())
    })
    .await
}

/// « Signaler cette offre » on an offer page.
#[component]
pub fn ReportOfferForm(offer_id: i64) -> impl IntoView {
    let action = ServerAction::<ReportOffer>::new();
    let error = action_error(action);
    let query = use_query_map();
    // A plain form post comes back with `?signalement=envoye`.
    let sent = move || {
        matches!(action.value().get(), Some(Ok(())))
            || query.read().get("signalement").as_deref() == Some("envoye")
    };
    let field_error = move |name: &'static str| move || error.get().and_then(|e| e.for_field(name));
    view! {
        <details class="mt-8 rounded-xl border border-slate-200 p-4" data-report-offer="">
            <summary class="cursor-pointer text-sm font-semibold text-slate-800">"Signaler cette offre"</summary>
            <Show
                when=sent
                fallback=move || view! {
                    <ActionForm action attr:class="mt-3 space-y-3">
                        <input type="hidden" name="offer_id" value=offer_id/>
                        <fieldset>
                            <legend class="text-sm font-semibold">"Motif du signalement"</legend>
                            <div class="mt-2 space-y-1">
                                {REASONS.iter().map(|(value, label)| {
                                    let id = format!("signalement-{value}");
                                    view! {
                                        <div class="flex items-center gap-2">
                                            <input type="radio" id=id.clone() name="reason" value=*value required=true/>
                                            <label for=id>{*label}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                            <p class="mt-1 text-sm font-semibold text-red-800">{field_error("reason")}</p>
                        </fieldset>
                        <div>
                            <label for="signalement-details" class="block text-sm font-semibold">"Précisions (facultatif, obligatoire pour « Autre »)"</label>
                            <textarea id="signalement-details" name="details" rows="3" maxlength="2000"
                                class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2"></textarea>
                            <p class="mt-1 text-sm font-semibold text-red-800">{field_error("details")}</p>
                        </div>
                        <FormError error fields=&["reason", "details"]/>
                        <button type="submit" class="btn-secondary">"Envoyer le signalement"</button>
                    </ActionForm>
                }
            >
                <p class="mt-3 font-semibold text-emerald-800" role="status">
                    "Merci : votre signalement a été transmis à notre équipe de modération."
                </p>
            </Show>
        </details>
    }
}

/// `/admin/signalements`: the moderation queue.
#[component]
pub fn AdminReportsPage() -> impl IntoView {
    let moderate = ServerAction::<ModerateReport>::new();
    let queue = Resource::new(move || moderate.version().get(), |_| open_reports());
    let error = action_error(moderate);
    view! {
        <crate::admin::AdminFrame title="Signalements" description="Offres signalées à examiner." path="/admin/signalements" heading="Offres signalées">
            <FormError error fields=&[]/>
            {protected(queue, move |list| if list.is_empty() {
                view! {
                    <p class="mt-6 text-slate-700">"Aucun signalement en attente."</p>
                }.into_any()
            } else {
                view! {
                    <ul class="mt-6 space-y-6">
                        {list.into_iter().map(|offer| {
                            let first = offer.reports.first().map_or(0, |r| r.id);
                            let count = offer.reports.len();
                            let title = offer.title.clone();
                            view! {
                                <li class="card" data-reported-offer=offer.offer_id>
                                    <div class="flex flex-wrap items-start justify-between gap-3">
                                        <div>
                                            <h2 class="text-lg font-bold">
                                                <a href=format!("/offres/{}", offer.slug) class="hover:underline">{offer.title.clone()}</a>
                                            </h2>
                                            <p class="text-sm text-slate-700">
                                                {offer.company.clone()} " · "
                                                {offer.offer_status.label()} " · "
                                                {if count == 1 { "1 signalement".to_owned() } else { format!("{count} signalements") }}
                                            </p>
                                        </div>
                                        <DecisionForm action=moderate id=first decision="withdraw" label="Retirer l'offre" subject=title/>
                                    </div>
                                    <ul class="mt-3 space-y-2">
                                        {offer.reports.into_iter().map(|report| view! {
                                            <li class="rounded-lg bg-slate-50 p-3 text-sm" data-report=report.id>
                                                <p class="font-semibold">{crate::trainings::label_of(&REASONS, &report.reason)}</p>
                                                {(!report.details.is_empty()).then(|| view! { <p class="mt-1 whitespace-pre-line">{report.details.clone()}</p> })}
                                                <p class="mt-1 text-slate-700">
                                                    {report.created_at.clone()} " · " {report.reporter.clone().unwrap_or_else(|| "Visiteur".to_owned())}
                                                </p>
                                                <DecisionForm action=moderate id=report.id decision="dismiss" label="Classer sans suite" secondary=true attr:class="mt-2"/>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </crate::admin::AdminFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_need_a_known_reason_and_bounded_details() {
        assert!(check_report("arnaque", "").is_ok());
        assert!(
            check_report("spam", "")
                .unwrap_err()
                .for_field("reason")
                .is_some()
        );
        assert!(
            check_report("autre", "  ")
                .unwrap_err()
                .for_field("details")
                .is_some()
        );
        let long = "x".repeat(MAX_DETAILS + 1);
        assert!(
            check_report("inexacte", &long)
                .unwrap_err()
                .for_field("details")
                .is_some()
        );
        assert_eq!(
            check_report("autre", " faux numéro ").as_deref(),
            Ok("faux numéro")
        );
    }
}
