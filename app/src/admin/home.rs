//! `/admin`: the back office's home. What waits for an admin (each queue
//! with its count and its page) and the platform's figures of the moment.

use super::AdminFrame;
#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::{base::error::AppError, identity::auth::pages::protected};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub pending_organisations: i64,
    pub open_reports: i64,
    /// Background jobs whose last attempt failed and that will run again.
    pub retrying_jobs: i64,
    /// Background jobs that failed every attempt.
    pub given_up_jobs: i64,
    /// Accounts per role, in `Role::ALL` order, with the role's label.
    pub users: Vec<(String, i64)>,
    pub centres: i64,
    pub companies: i64,
    pub live_offers: i64,
    pub public_trainings: i64,
    /// The last 7 and 30 days.
    pub sign_ups: (i64, i64),
    pub applications: (i64, i64),
    pub enrolment_requests: (i64, i64),
}

/// The figures and queue counts of `/admin`, in one statement.
#[server(prefix = "/api", endpoint = "admin/apercu")]
pub async fn overview() -> Result<AdminOverview, AppError> {
    use crate::identity::users::Role;
    with_permission(Permission::BackofficeRead, |pool, _| async move {
        let row = sqlx::query!(
            r#"SELECT
                   (SELECT count(*) FROM organisations WHERE status = 'pending') AS "pending!",
                   (SELECT count(*) FROM offer_reports WHERE status = 'open') AS "reports!",
                   (SELECT count(*) FROM background_jobs
                    WHERE last_error IS NOT NULL AND done_at IS NULL) AS "retrying!",
                   (SELECT count(*) FROM background_jobs
                    WHERE last_error IS NOT NULL AND done_at IS NOT NULL AND discarded_at IS NULL) AS "given_up!",
                   (SELECT coalesce(json_object_agg(role, n), '{}') FROM
                        (SELECT role, count(*) AS n FROM users GROUP BY role) r) AS "users!",
                   (SELECT count(*) FROM organisations WHERE status = 'approved' AND kind = 'centre') AS "centres!",
                   (SELECT count(*) FROM organisations WHERE status = 'approved' AND kind = 'entreprise') AS "companies!",
                   (SELECT count(*) FROM job_search WHERE expires_at > now()) AS "offers!",
                   (SELECT count(*) FROM public_trainings) AS "trainings!",
                   (SELECT count(*) FROM users WHERE created_at > now() - interval '7 days') AS "sign_ups_7!",
                   (SELECT count(*) FROM users WHERE created_at > now() - interval '30 days') AS "sign_ups_30!",
                   (SELECT count(*) FROM applications WHERE created_at > now() - interval '7 days') AS "applications_7!",
                   (SELECT count(*) FROM applications WHERE created_at > now() - interval '30 days') AS "applications_30!",
                   (SELECT count(*) FROM enrolment_requests WHERE created_at > now() - interval '7 days') AS "enrolments_7!",
                   (SELECT count(*) FROM enrolment_requests WHERE created_at > now() - interval '30 days') AS "enrolments_30!""#
        )
        .fetch_one(&pool)
        .await?;
        let per_role: std::collections::HashMap<String, i64> =
            crate::ui::search::ssr::decode(row.users, "users per role")?;
        Ok(AdminOverview {
            pending_organisations: row.pending,
            open_reports: row.reports,
            retrying_jobs: row.retrying,
            given_up_jobs: row.given_up,
            users: Role::ALL
                .iter()
                .map(|role| {
                    let n = per_role.get(role.as_db()).copied().unwrap_or(0);
                    (role.label().to_owned(), n)
                })
                .collect(),
            centres: row.centres,
            companies: row.companies,
            live_offers: row.offers,
            public_trainings: row.trainings,
            sign_ups: (row.sign_ups_7, row.sign_ups_30),
            applications: (row.applications_7, row.applications_30),
            enrolment_requests: (row.enrolments_7, row.enrolments_30),
        })
    })
    .await
}

/// `/admin`.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| overview());
    view! {
        <AdminFrame title="Administration" description="Vue d'ensemble de la plateforme." path="/admin" heading="Vue d'ensemble">
            {protected(overview, |o| view! {
                <h2 class="mt-8 text-xl font-bold text-slate-900">"À traiter"</h2>
                <ul class="mt-4 grid gap-4 sm:grid-cols-3" data-queues="">
                    <Queue label="Organisations en attente" count=o.pending_organisations href="/admin/organisations"/>
                    <Queue label="Signalements ouverts" count=o.open_reports href="/admin/signalements"/>
                    <Queue label="Tâches en échec" count=o.retrying_jobs + o.given_up_jobs href="/admin/taches"/>
                </ul>
                <p class="mt-2 text-sm text-slate-600">
                    {format!("Tâches en échec : {} relancées automatiquement, {} abandonnées.", o.retrying_jobs, o.given_up_jobs)}
                </p>
                <h2 class="mt-10 text-xl font-bold text-slate-900">"La plateforme"</h2>
                <dl class="mt-4 grid gap-4 sm:grid-cols-4">
                    <Figure label="Offres en ligne" value=o.live_offers/>
                    <Figure label="Formations publiées" value=o.public_trainings/>
                    <Figure label="Centres de formation" value=o.centres/>
                    <Figure label="Entreprises" value=o.companies/>
                </dl>
                <div class="mt-8 grid gap-8 md:grid-cols-2">
                    <table class="w-full text-left text-sm">
                        <caption class="mb-2 text-left font-semibold text-slate-900">"Comptes par rôle"</caption>
                        <thead><tr><th scope="col" class="py-2 pr-4">"Rôle"</th><th scope="col" class="text-right">"Comptes"</th></tr></thead>
                        <tbody>
                            {o.users.into_iter().map(|(role, n)| view! {
                                <tr class="border-t border-slate-200">
                                    <th scope="row" class="py-2 pr-4 font-normal">{role}</th>
                                    <td class="text-right tabular-nums">{crate::base::format::thousands(n)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <table class="w-full text-left text-sm">
                        <caption class="mb-2 text-left font-semibold text-slate-900">"Activité récente"</caption>
                        <thead><tr>
                            <th scope="col" class="py-2 pr-4"></th>
                            <th scope="col" class="pr-4 text-right">"7 derniers jours"</th>
                            <th scope="col" class="text-right">"30 derniers jours"</th>
                        </tr></thead>
                        <tbody>
                            {[
                                ("Inscriptions sur le site", o.sign_ups),
                                ("Candidatures envoyées", o.applications),
                                ("Demandes d'inscription en formation", o.enrolment_requests),
                            ].into_iter().map(|(label, (week, month))| view! {
                                <tr class="border-t border-slate-200">
                                    <th scope="row" class="py-2 pr-4 font-normal">{label}</th>
                                    <td class="pr-4 text-right tabular-nums">{crate::base::format::thousands(week)}</td>
                                    <td class="text-right tabular-nums">{crate::base::format::thousands(month)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <crate::analytics::pages::SiteStatisticsSection/>
        </AdminFrame>
    }
}

/// A queue: its count, linking to its page.
#[component]
fn Queue(label: &'static str, count: i64, href: &'static str) -> impl IntoView {
    let figure = view! {
        <span class="block text-3xl font-extrabold tabular-nums text-slate-900">{crate::base::format::thousands(count)}</span>
        <span class="block text-sm text-slate-700">{label}</span>
    };
    let class = if count > 0 {
        "block rounded-xl border border-amber-300 bg-amber-50 p-4"
    } else {
        "block rounded-xl border border-slate-200 bg-white p-4"
    };
    view! {
        <li>
            <a class=format!("{class} hover:border-brand-500") href=href>{figure}</a>
        </li>
    }
}

#[component]
fn Figure(label: &'static str, value: i64) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-4">
            <dt class="text-sm text-slate-700">{label}</dt>
            <dd class="text-2xl font-extrabold tabular-nums text-slate-900">{crate::base::format::thousands(value)}</dd>
        </div>
    }
}
