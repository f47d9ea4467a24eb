//! `/admin/newsletter`: the subscribers (confirmed or not), their export
//! as CSV, and the issues. Sending an issue queues one background job per
//! confirmed subscriber; each e-mail carries that subscriber's own
//! unsubscribe link, in its text and in its `List-Unsubscribe` headers.

use super::{AdminFrame, ListPage};
#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::ui::form::{Field, FormEnd, action_error, action_succeeded};
use crate::{base::error::AppError, identity::auth::pages::protected};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// Subscribers per page of the list.
pub const SUBSCRIBERS_PAGE: i64 = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscriber {
    pub email: String,
    pub subscribed: String,
    pub confirmed: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentIssue {
    pub id: i64,
    pub subject: String,
    pub sent: String,
    pub by: Option<String>,
    pub recipients: i32,
    /// Jobs done: e-mails the SMTP server accepted, or addresses that left
    /// the list meanwhile.
    pub delivered: i64,
    pub failed: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsletterState {
    pub confirmed: i64,
    pub unconfirmed: i64,
    pub subscribers: Vec<Subscriber>,
    pub page: i64,
    pub issues: Vec<SentIssue>,
}

/// The counts, a page of subscribers (newest first) and the last 20 issues.
#[server(prefix = "/api", endpoint = "admin/newsletter")]
pub async fn newsletter_overview(
    #[server(default)] page: i64,
) -> Result<NewsletterState, AppError> {
    with_permission(Permission::NewsletterManage, |pool, _| async move {
        let page = page.clamp(1, 10_000);
        let counts = sqlx::query!(
            r#"SELECT count(*) FILTER (WHERE confirmed_at IS NOT NULL) AS "confirmed!",
                      count(*) FILTER (WHERE confirmed_at IS NULL) AS "unconfirmed!"
               FROM newsletter_subscribers"#
        )
        .fetch_one(&pool)
        .await?;
        let subscribers = sqlx::query_as!(
            Subscriber,
            r#"SELECT email,
                      to_char(created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "subscribed!",
                      to_char(confirmed_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS confirmed
               FROM newsletter_subscribers ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2"#,
            SUBSCRIBERS_PAGE,
            (page - 1) * SUBSCRIBERS_PAGE
        )
        .fetch_all(&pool)
        .await?;
        let issues = sqlx::query_as!(
            SentIssue,
            r#"SELECT i.id, i.subject, u.email AS "by?", i.recipients,
                      to_char(i.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "sent!",
                      (SELECT count(*) FROM background_jobs j
                       WHERE j.kind = 'newsletter' AND (j.payload ->> 'issue')::bigint = i.id
                         AND j.done_at IS NOT NULL AND j.last_error IS NULL AND j.discarded_at IS NULL) AS "delivered!",
                      (SELECT count(*) FROM background_jobs j
                       WHERE j.kind = 'newsletter' AND (j.payload ->> 'issue')::bigint = i.id
                         AND j.last_error IS NOT NULL) AS "failed!"
               FROM newsletter_issues i LEFT JOIN users u ON u.id = i.sent_by
               ORDER BY i.id DESC LIMIT 20"#
        )
        .fetch_all(&pool)
        .await?;
        Ok(NewsletterState {
            confirmed: counts.confirmed,
            unconfirmed: counts.unconfirmed,
            subscribers,
            page,
            issues,
        })
    })
    .await
}

/// Every subscriber as CSV (e-mail, subscribed, confirmed), for admins.
#[cfg(feature = "ssr")]
pub async fn export_subscribers(pool: &sqlx::PgPool) -> Result<Vec<u8>, AppError> {
    let admin =
        crate::identity::auth::ssr::require_permission(pool, Permission::NewsletterManage).await?;
    let rows = sqlx::query_as!(
        Subscriber,
        r#"SELECT email,
                  to_char(created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI') AS "subscribed!",
                  to_char(confirmed_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI') AS confirmed
           FROM newsletter_subscribers ORDER BY id"#
    )
    .fetch_all(pool)
    .await?;
    // Personal data leaving the platform: the journal says who took it.
    crate::identity::auth::ssr::audit(
        pool,
        Some(admin.id),
        "newsletter.exported",
        &crate::identity::auth::ssr::request_meta(),
        serde_json::json!({ "rows": rows.len() }),
    )
    .await?;
    crate::base::csv::write(
        "newsletter subscribers",
        ["e-mail", "inscrit le", "confirmé le"],
        rows.into_iter()
            .map(|s| [s.email, s.subscribed, s.confirmed.unwrap_or_default()]),
    )
}

/// Sends an issue to every confirmed subscriber: a `subject` (5 to 150
/// characters) and a plain-text `body` (20 to 20,000; blank lines make
/// paragraphs). The issue and its jobs are written together. It cannot be
/// taken back: a second-factor `code` is asked for, as for the other
/// irreversible actions, unless one was confirmed in the last 10 minutes.
#[server(prefix = "/api", endpoint = "admin/newsletter/envoyer")]
pub async fn send_newsletter(
    #[server(default)] subject: String,
    #[server(default)] body: String,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    with_permission(Permission::NewsletterManage, |pool, admin| async move {
        crate::identity::auth::two_factor::ssr::require_step_up(&pool, &admin, &code).await?;
        let subject = subject.trim().to_owned();
        let body = body.trim().replace("\r\n", "\n");
        if !(5..=150).contains(&subject.chars().count()) {
            return Err(AppError::invalid(
                "subject",
                "L'objet compte de 5 à 150 caractères.",
            ));
        }
        if !(20..=20_000).contains(&body.chars().count()) {
            return Err(AppError::invalid(
                "body",
                "Le texte compte de 20 à 20 000 caractères.",
            ));
        }
        let mut tx = pool.begin().await?;
        let issue = sqlx::query_scalar!(
            "INSERT INTO newsletter_issues (subject, body, sent_by, recipients)
             VALUES ($1, $2, $3, (SELECT count(*) FROM newsletter_subscribers WHERE confirmed_at IS NOT NULL))
             RETURNING id",
            subject,
            body,
            admin.id
        )
        .fetch_one(&mut *tx)
        .await?;
        let queued = sqlx::query!(
            "INSERT INTO background_jobs (kind, payload, dedupe_key)
             SELECT 'newsletter', jsonb_build_object('issue', $1::bigint, 'subscriber', id),
                    'newsletter:' || $1 || ':' || id
             FROM newsletter_subscribers WHERE confirmed_at IS NOT NULL",
            issue
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        crate::identity::auth::ssr::audit(
            &mut *tx,
            Some(admin.id),
            "newsletter.sent",
            &crate::identity::auth::ssr::request_meta(),
            crate::identity::auth::ssr::by_admin(
                &admin,
                serde_json::json!({ "issue": issue, "subject": subject, "recipients": queued }),
            ),
        )
        .await?;
        tx.commit().await?;
        crate::base::forms::redirect_plain_form("/admin/newsletter?envoye=1");
        Ok(())
    })
    .await
}

/// `/admin/newsletter`.
#[component]
pub fn AdminNewsletterPage() -> impl IntoView {
    let query = use_query_map();
    let send = ServerAction::<SendNewsletter>::new();
    let overview = Resource::new(
        move || {
            // The versions are part of the key: a resource refetches only
            // when its key changes.
            (
                send.version().get(),
                query
                    .read()
                    .get("page")
                    .and_then(|p| p.parse::<i64>().ok())
                    .unwrap_or(1),
            )
        },
        |(_, page)| newsletter_overview(page),
    );
    let error = action_error(send);
    let sent = action_succeeded(send, "envoye");
    view! {
        <AdminFrame title="Lettre d'information" description="Abonnés et envois de la lettre." path="/admin/newsletter" heading="Lettre d'information">
            {protected(overview, move |o| view! {
                <p class="mt-4 text-slate-700" data-confirmed=o.confirmed>
                    {format!(
                        "{} abonné(s) confirmé(s), {} en attente de confirmation (effacés après 7 jours).",
                        crate::base::format::thousands(o.confirmed),
                        crate::base::format::thousands(o.unconfirmed),
                    )}
                    " "
                    <a class="font-semibold text-brand-700 hover:underline" href="/admin/newsletter/abonnes.csv" download>"Exporter les abonnés (CSV)"</a>
                </p>
                <h2 class="mt-8 text-xl font-bold text-slate-900">"Envoyer une lettre"</h2>
                <p class="mt-1 text-sm text-slate-700">
                    "Aux abonnés confirmés seulement ; chaque e-mail porte un lien de désabonnement personnel."
                </p>
                <ActionForm action=send attr:novalidate=true attr:class="mt-4 max-w-2xl space-y-4">
                    <Field label="Objet" name="subject" error/>
                    <div>
                        <label for="champ-body" class="block text-sm font-semibold text-slate-900">"Texte (une ligne vide sépare les paragraphes)"</label>
                        <textarea id="champ-body" name="body" rows="10" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2.5"></textarea>
                        <p class="mt-1 text-sm font-semibold text-red-800">{move || error.get().and_then(|e| e.for_field("body"))}</p>
                    </div>
                    <super::StepUpField error/>
                    <FormEnd error fields=&["subject", "body", "code"] label="Envoyer à tous les abonnés confirmés" class="btn-primary"
                        succeeded=sent done="Lettre programmée : les e-mails partent avec les tâches de fond."/>
                </ActionForm>
                <h2 class="mt-8 text-xl font-bold text-slate-900">"Lettres envoyées"</h2>
                {if o.issues.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-700">"Aucune lettre envoyée."</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-2 space-y-1 text-sm">
                            {o.issues.into_iter().map(|i| view! {
                                <li>
                                    <span class="font-semibold">{i.subject}</span>
                                    {format!(
                                        " · le {} par {} · {} destinataire(s), {} traité(s), {} en échec",
                                        i.sent, i.by.unwrap_or_else(|| "—".to_owned()), i.recipients, i.delivered, i.failed
                                    )}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h2 class="mt-8 text-xl font-bold text-slate-900">"Abonnés"</h2>
                <ListPage total=o.confirmed + o.unconfirmed page=o.page per_page=SUBSCRIBERS_PAGE base="/admin/newsletter"
                    filters=&[] counted="adresse(s)" headers=&["Adresse", "Inscrite le", "Confirmée le"]>
                    {o.subscribers.into_iter().map(|s| view! {
                        <tr class="border-t border-slate-200">
                            <td class="py-2 pr-4">{s.email}</td>
                            <td class="pr-4 whitespace-nowrap">{s.subscribed}</td>
                            <td class="whitespace-nowrap">{s.confirmed.unwrap_or_else(|| "Non confirmée".to_owned())}</td>
                        </tr>
                    }).collect_view()}
                </ListPage>
            })}
        </AdminFrame>
    }
}
