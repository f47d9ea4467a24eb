//! `/tableau-de-bord`: the signed-in person's home, where sign-in lands.
//! What needs their attention, by role: a candidate's profile,
//! applications, enrolment requests, saved listings and alerts; each of a
//! member's centres or companies with its status and what waits to be
//! handled; an editor's articles. Admins have theirs at `/admin`, the back
//! office's home, and are sent there.
//!
//! One server function counts everything (a few statements of counts, never
//! the lists themselves); the server decides which blocks a person gets, from
//! their role's permissions and their memberships.

use crate::{
    base::error::AppError,
    base::format::{french_date, thousands},
    base::seo::Seo,
    candidates::applications::ApplicationStatus,
    identity::auth::pages::{ResendLink, protected},
    identity::users::Role,
    organisations::{OrgStatus, profile::OrgKind},
    trainings::enrolments::EnrolmentStatus,
    ui::form::Confirmation,
};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_query_map};
use serde::{Deserialize, Serialize};

/// Where the dashboard home lives: the landing after sign-in.
pub const PATH: &str = "/tableau-de-bord";

/// How many of the latest applications or requests the home lists.
pub const LATEST: i64 = 3;

/// How far ahead "soon" looks: offers expiring within 7 days, sessions
/// starting within 30.
pub const EXPIRY_DAYS: i32 = 7;
pub const SESSION_DAYS: i32 = 30;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub display_name: String,
    pub role: Role,
    pub email_verified: bool,
    /// The back office's home is theirs: the page sends them there.
    pub admin: bool,
    pub candidate: Option<CandidateHome>,
    pub organisations: Vec<OrganisationHome>,
    /// Kinds of organisation the role works for, of which the account
    /// belongs to none.
    pub missing: Vec<OrgKind>,
    pub blog: Option<BlogHome>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateHome {
    pub has_cv: bool,
    pub has_headline: bool,
    pub has_experience: bool,
    pub skills: i64,
    /// `None` without the right to apply (or to ask for a place).
    pub applications: Option<Activity<ApplicationStatus>>,
    pub enrolments: Option<Activity<EnrolmentStatus>>,
    pub saved_offers: i64,
    pub saved_trainings: i64,
    pub alerts: i64,
}

impl CandidateHome {
    /// (done, out of) of the profile's parts a recruiter reads.
    pub fn completeness(&self) -> (usize, usize) {
        let parts = [
            self.has_cv,
            self.has_headline,
            self.has_experience,
            self.skills > 0,
        ];
        (parts.iter().filter(|done| **done).count(), parts.len())
    }
}

/// A candidate's applications or enrolment requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity<S> {
    pub total: i64,
    /// Moved by the other side (not new, not withdrawn) in the last 7 days.
    pub updated: i64,
    /// The [`LATEST`] last changed.
    pub latest: Vec<Latest<S>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latest<S> {
    pub id: i64,
    pub status: S,
    pub title: String,
    pub organisation: String,
    /// ISO date.
    pub updated_on: String,
}

/// One of the member's centres or companies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationHome {
    pub id: i64,
    pub kind: OrgKind,
    pub name: String,
    pub status: OrgStatus,
    /// New applications, or new enrolment requests; `None` without the
    /// right to handle them.
    pub to_handle: Option<i64>,
    /// Live offers, or published trainings.
    pub live: i64,
    /// Offers expiring within [`EXPIRY_DAYS`], or sessions of published
    /// trainings starting within [`SESSION_DAYS`].
    pub soon: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogHome {
    pub drafts: i64,
    pub scheduled: i64,
}

/// The signed-in person's home, as their role and memberships allow.
#[server(prefix = "/api", endpoint = "tableau-de-bord")]
pub async fn dashboard_home() -> Result<Home, AppError> {
    crate::identity::auth::ssr::with_user(|pool, user| async move { ssr::home(&pool, user).await })
        .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{
        Activity, BlogHome, CandidateHome, EXPIRY_DAYS, Home, LATEST, Latest, OrganisationHome,
        SESSION_DAYS,
    };
    use crate::{
        base::error::AppError,
        candidates::applications::ApplicationStatus,
        identity::auth::{AuthUser, Permission},
        organisations::{OrgStatus, profile::OrgKind},
        trainings::enrolments::EnrolmentStatus,
    };
    use sqlx::PgPool;

    pub async fn home(pool: &PgPool, user: AuthUser) -> Result<Home, AppError> {
        // The role's permissions in one read; each block asks them.
        let granted = sqlx::query_scalar!(
            "SELECT permission FROM role_permissions WHERE role = $1",
            user.role.as_db()
        )
        .fetch_all(pool)
        .await?;
        let may = |permission: Permission| granted.iter().any(|g| g == permission.name());
        let mut home = Home {
            display_name: user.display_name.clone(),
            role: user.role,
            email_verified: user.email_verified,
            admin: may(Permission::BackofficeRead),
            candidate: None,
            organisations: Vec::new(),
            missing: Vec::new(),
            blog: None,
        };
        if home.admin {
            return Ok(home);
        }
        let (applies, enrols) = (
            may(Permission::ApplicationCreate),
            may(Permission::EnrolmentCreate),
        );
        if applies || enrols {
            home.candidate = Some(candidate(pool, user.id, applies, enrols).await?);
        }
        let (companies, centres) = (may(Permission::JobEdit), may(Permission::TrainingEdit));
        if companies || centres {
            home.organisations = organisations(
                pool,
                user.id,
                (companies, may(Permission::ApplicationReview)),
                (centres, may(Permission::EnrolmentReview)),
            )
            .await?;
            for (kind, works_for) in [(OrgKind::Entreprise, companies), (OrgKind::Centre, centres)]
            {
                if works_for && !home.organisations.iter().any(|o| o.kind == kind) {
                    home.missing.push(kind);
                }
            }
        }
        if may(Permission::ArticleEdit) {
            let row = sqlx::query!(
                r#"SELECT count(*) FILTER (WHERE status = 'draft') AS "drafts!",
                          count(*) FILTER (WHERE status = 'scheduled') AS "scheduled!"
                   FROM articles"#
            )
            .fetch_one(pool)
            .await?;
            home.blog = Some(BlogHome {
                drafts: row.drafts,
                scheduled: row.scheduled,
            });
        }
        Ok(home)
    }

    /// The candidate's counts in one statement, then the latest
    /// applications and requests (those they may make).
    async fn candidate(
        pool: &PgPool,
        user: i64,
        applies: bool,
        enrols: bool,
    ) -> Result<CandidateHome, AppError> {
        let row = sqlx::query!(
            r#"SELECT p.cv_media_id IS NOT NULL AS "has_cv!",
                      coalesce(p.headline <> '', false) AS "has_headline!",
                      coalesce(p.experience <> '', false) AS "has_experience!",
                      (SELECT count(*) FROM candidate_skills WHERE user_id = u.id) AS "skills!",
                      (SELECT count(*) FROM applications WHERE candidate_id = u.id) AS "applications!",
                      (SELECT count(*) FROM applications WHERE candidate_id = u.id
                         AND status NOT IN ('new', 'withdrawn')
                         AND updated_at > now() - interval '7 days') AS "applications_updated!",
                      (SELECT count(*) FROM enrolment_requests WHERE candidate_id = u.id) AS "enrolments!",
                      (SELECT count(*) FROM enrolment_requests WHERE candidate_id = u.id
                         AND status NOT IN ('new', 'withdrawn')
                         AND updated_at > now() - interval '7 days') AS "enrolments_updated!",
                      (SELECT count(*) FROM saved_offers WHERE user_id = u.id) AS "saved_offers!",
                      (SELECT count(*) FROM saved_trainings WHERE user_id = u.id) AS "saved_trainings!",
                      (SELECT count(*) FROM saved_searches WHERE user_id = u.id) AS "alerts!"
               FROM users u LEFT JOIN candidate_profiles p ON p.user_id = u.id
               WHERE u.id = $1"#,
            user
        )
        .fetch_one(pool)
        .await?;
        let applications = if applies {
            let latest = sqlx::query!(
                r#"SELECT a.id, a.status AS "status: ApplicationStatus", j.title, o.name,
                          to_char(a.updated_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "updated_on!"
                   FROM applications a JOIN job_offers j ON j.id = a.offer_id
                   JOIN organisations o ON o.id = j.company_id
                   WHERE a.candidate_id = $1 ORDER BY a.updated_at DESC, a.id DESC LIMIT $2"#,
                user,
                LATEST
            )
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| Latest {
                id: r.id,
                status: r.status,
                title: r.title,
                organisation: r.name,
                updated_on: r.updated_on,
            })
            .collect();
            Some(Activity {
                total: row.applications,
                updated: row.applications_updated,
                latest,
            })
        } else {
            None
        };
        let enrolments = if enrols {
            let latest = sqlx::query!(
                r#"SELECT r.id, r.status AS "status: EnrolmentStatus", t.title, o.name,
                          to_char(r.updated_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "updated_on!"
                   FROM enrolment_requests r JOIN trainings t ON t.id = r.training_id
                   JOIN organisations o ON o.id = t.centre_id
                   WHERE r.candidate_id = $1 ORDER BY r.updated_at DESC, r.id DESC LIMIT $2"#,
                user,
                LATEST
            )
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| Latest {
                id: r.id,
                status: r.status,
                title: r.title,
                organisation: r.name,
                updated_on: r.updated_on,
            })
            .collect();
            Some(Activity {
                total: row.enrolments,
                updated: row.enrolments_updated,
                latest,
            })
        } else {
            None
        };
        Ok(CandidateHome {
            has_cv: row.has_cv,
            has_headline: row.has_headline,
            has_experience: row.has_experience,
            skills: row.skills,
            applications,
            enrolments,
            saved_offers: row.saved_offers,
            saved_trainings: row.saved_trainings,
            alerts: row.alerts,
        })
    }

    /// The member's organisations of the kinds they work for, each with its
    /// counts, in one statement. `companies` and `centres`: (works for that
    /// kind, may handle its applications or requests).
    async fn organisations(
        pool: &PgPool,
        user: i64,
        companies: (bool, bool),
        centres: (bool, bool),
    ) -> Result<Vec<OrganisationHome>, AppError> {
        let rows = sqlx::query!(
            r#"SELECT o.id, o.kind AS "kind: OrgKind", o.name, o.status AS "status: OrgStatus",
                      CASE WHEN o.kind = 'entreprise' THEN
                          (SELECT count(*) FROM applications a JOIN job_offers j ON j.id = a.offer_id
                           WHERE j.company_id = o.id AND a.status = 'new')
                      ELSE
                          (SELECT count(*) FROM enrolment_requests r JOIN trainings t ON t.id = r.training_id
                           WHERE t.centre_id = o.id AND r.status = 'new')
                      END AS "to_handle!",
                      CASE WHEN o.kind = 'entreprise' THEN
                          (SELECT count(*) FROM job_offers j
                           WHERE j.company_id = o.id AND j.status = 'published' AND j.expires_at > now())
                      ELSE
                          (SELECT count(*) FROM trainings t WHERE t.centre_id = o.id AND t.status = 'published')
                      END AS "live!",
                      CASE WHEN o.kind = 'entreprise' THEN
                          (SELECT count(*) FROM job_offers j
                           WHERE j.company_id = o.id AND j.status = 'published' AND j.expires_at > now()
                             AND j.expires_at <= now() + make_interval(days => $4))
                      ELSE
                          (SELECT count(*) FROM training_sessions s JOIN trainings t ON t.id = s.training_id
                           WHERE t.centre_id = o.id AND t.status = 'published'
                             AND s.starts_on >= (now() AT TIME ZONE 'Europe/Paris')::date
                             AND s.starts_on <= (now() AT TIME ZONE 'Europe/Paris')::date + $5::int)
                      END AS "soon!"
               FROM memberships m JOIN organisations o ON o.id = m.organisation_id
               WHERE m.user_id = $1
                 AND ((o.kind = 'entreprise' AND $2) OR (o.kind = 'centre' AND $3))
               ORDER BY o.kind DESC, o.name, o.id"#,
            user,
            companies.0,
            centres.0,
            EXPIRY_DAYS,
            SESSION_DAYS
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let reviews = match r.kind {
                    OrgKind::Entreprise => companies.1,
                    OrgKind::Centre => centres.1,
                };
                OrganisationHome {
                    id: r.id,
                    kind: r.kind,
                    name: r.name,
                    status: r.status,
                    to_handle: reviews.then_some(r.to_handle),
                    live: r.live,
                    soon: r.soon,
                }
            })
            .collect())
    }
}

/// "1 candidature", "3 candidatures" (and "0 candidature", the French way).
fn count_of(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n > 1 { many } else { one })
}

/// `/tableau-de-bord`.
#[component]
pub fn DashboardHomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| dashboard_home());
    let query = use_query_map();
    let verified_now = move || query.read().get("verifie").is_some();
    view! {
        <Seo title="Tableau de bord" description="Ce qui vous attend sur Passerelle." path=PATH noindex=true/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            {protected(home, move |home| {
                if home.admin {
                    return view! { <Redirect path="/admin"/> }.into_any();
                }
                let nav = match home.role {
                    Role::Candidate => view! { <crate::ui::nav::CandidateNav/> }.into_any(),
                    Role::Recruiter => view! { <crate::ui::nav::CompanyNav/> }.into_any(),
                    Role::CentreMember => view! { <crate::ui::nav::CentreNav/> }.into_any(),
                    Role::Editor | Role::Admin => ().into_any(),
                };
                view! {
                    {nav}
                    <h1 class="text-3xl font-extrabold text-slate-900">"Tableau de bord"</h1>
                    <p class="mt-2 text-slate-700">"Bonjour " {home.display_name.clone()} "."</p>
                    <Show when=verified_now>
                        <Confirmation>"Merci, votre adresse est confirmée."</Confirmation>
                    </Show>
                    {(!home.email_verified).then(|| view! {
                        <div class="mt-6 rounded-lg bg-amber-50 px-4 py-3 text-amber-900" data-block="verification">
                            <p role="status">"Adresse e-mail non confirmée : cliquez sur le lien reçu à l'inscription pour pouvoir postuler, demander une inscription ou publier."</p>
                            <ResendLink/>
                        </div>
                    })}
                    {home.candidate.map(candidate_blocks)}
                    {home.organisations.into_iter().map(organisation_block).collect_view()}
                    {home.missing.into_iter().map(missing_block).collect_view()}
                    {home.blog.map(blog_block)}
                    <p class="mt-10 text-sm text-slate-700">
                        <a href="/compte" class="font-semibold text-brand-700 underline">"Mon compte"</a>
                        " : nom, mot de passe, double authentification, sessions et données."
                    </p>
                }
                .into_any()
            })}
        </section>
    }
}

/// A count linking to its page; highlighted while it asks for something
/// (`urgent` and not zero).
#[component]
fn Figure(
    label: &'static str,
    count: i64,
    href: &'static str,
    key: &'static str,
    #[prop(optional)] urgent: bool,
) -> impl IntoView {
    let class = if urgent && count > 0 {
        "block h-full rounded-xl border border-amber-300 bg-amber-50 p-4 hover:border-brand-500"
    } else {
        "block h-full rounded-xl border border-slate-200 bg-white p-4 hover:border-brand-500"
    };
    view! {
        <li>
            <a class=class href=href data-figure=key data-count=count>
                <span class="block text-3xl font-extrabold tabular-nums text-slate-900">{thousands(count)}</span>
                <span class="block text-sm text-slate-700">{label}</span>
            </a>
        </li>
    }
}

/// A block's frame: a card with its heading.
#[component]
fn Block(title: String, key: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="card mt-6" data-block=key>
            <h2 class="text-xl font-bold text-slate-900">{title}</h2>
            {children()}
        </section>
    }
}

fn application_badge(status: ApplicationStatus) -> AnyView {
    crate::candidates::applications::pages::status_badge(status).into_any()
}

fn enrolment_badge(status: EnrolmentStatus) -> AnyView {
    crate::trainings::enrolments::status_badge(status).into_any()
}

/// Applications or enrolment requests: how many, how many moved this
/// week, and the latest with their badges.
fn activity_block<S: Copy + Send + Sync + 'static>(
    activity: Activity<S>,
    texts: (&'static str, &'static str, &'static str),
    key: &'static str,
    href: &'static str,
    badge: fn(S) -> AnyView,
) -> impl IntoView {
    let (title, one, many) = texts;
    view! {
        <Block title=title.to_owned() key>
            <p class="mt-2 text-slate-800">
                <span data-count-of=key data-count=activity.total>{count_of(activity.total, one, many)}</span>
                {(activity.updated > 0).then(|| view! {
                    " · "
                    <strong data-updated=activity.updated>{count_of(activity.updated, "mise à jour", "mises à jour")} " ces 7 derniers jours"</strong>
                })}
            </p>
            {(!activity.latest.is_empty()).then(|| view! {
                <ul class="mt-4 divide-y divide-slate-200">
                    {activity.latest.into_iter().map(|item| view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-item=item.id>
                            <span>
                                <span class="font-semibold">{item.title}</span>
                                <span class="text-sm text-slate-700">" · " {item.organisation} " · " {french_date(&item.updated_on)}</span>
                            </span>
                            {badge(item.status)}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <a href=href class="mt-4 inline-block font-semibold text-brand-700 underline">{format!("Voir {}", title.to_lowercase())}</a>
        </Block>
    }
}

fn candidate_blocks(candidate: CandidateHome) -> impl IntoView {
    let (done, out_of) = candidate.completeness();
    let parts = [
        ("CV (PDF)", candidate.has_cv),
        ("Titre du profil", candidate.has_headline),
        ("Expérience", candidate.has_experience),
        ("Compétences", candidate.skills > 0),
    ];
    view! {
        <Block title="Mon profil".to_owned() key="profile">
            <p class="mt-2 text-slate-800" data-completeness=format!("{done}/{out_of}")>
                {format!("Profil complété : {done} sur {out_of}.")}
                {(done < out_of).then_some(" Un profil complet est lu avec chacune de vos candidatures.")}
            </p>
            <ul class="mt-3 grid gap-1 sm:grid-cols-2">
                {parts.into_iter().map(|(label, ok)| view! {
                    <li class=if ok { "text-emerald-800" } else { "text-slate-700" } data-done=ok.to_string()>
                        <span aria-hidden="true">{if ok { "✓ " } else { "○ " }}</span>
                        {label}
                        <span class="sr-only">{if ok { " : fait" } else { " : à compléter" }}</span>
                    </li>
                }).collect_view()}
            </ul>
            <a href="/tableau-de-bord/profil" class=if done < out_of { "btn-primary mt-4 inline-flex" } else { "btn-secondary mt-4 inline-flex" }>
                {if done < out_of { "Compléter mon profil" } else { "Voir mon profil" }}
            </a>
        </Block>
        {candidate.applications.map(|a| activity_block(a, ("Mes candidatures", "candidature", "candidatures"), "applications", "/tableau-de-bord/candidatures", application_badge))}
        {candidate.enrolments.map(|e| activity_block(e, ("Mes inscriptions", "demande d'inscription", "demandes d'inscription"), "enrolments", "/tableau-de-bord/inscriptions", enrolment_badge))}
        <Block title="Mes recherches".to_owned() key="saved">
            <ul class="mt-4 grid gap-4 sm:grid-cols-3">
                <Figure label="Offres sauvegardées" count=candidate.saved_offers href="/tableau-de-bord/candidatures" key="saved_offers"/>
                <Figure label="Formations sauvegardées" count=candidate.saved_trainings href="/tableau-de-bord/inscriptions" key="saved_trainings"/>
                <Figure label="Alertes e-mail" count=candidate.alerts href="/tableau-de-bord/alertes" key="alerts"/>
            </ul>
            <p class="mt-4 flex flex-wrap gap-4 font-semibold">
                <a href="/offres" class="text-brand-700 underline">"Chercher une offre d'emploi"</a>
                <a href="/formations" class="text-brand-700 underline">"Chercher une formation"</a>
            </p>
        </Block>
    }
}

/// What a member reads under an organisation that is not approved.
fn status_notice(kind: OrgKind, status: OrgStatus) -> Option<&'static str> {
    match (kind, status) {
        (_, OrgStatus::Approved) => None,
        (OrgKind::Entreprise, OrgStatus::Pending) => Some(
            "Votre entreprise attend la validation de l'équipe Passerelle : vos offres publiées seront visibles dès qu'elle sera approuvée.",
        ),
        (OrgKind::Centre, OrgStatus::Pending) => Some(
            "Votre centre attend la validation de l'équipe Passerelle : vos formations publiées seront visibles dès qu'il sera approuvé.",
        ),
        (_, OrgStatus::Rejected) => Some(
            "L'équipe Passerelle n'a pas validé cette inscription : rien n'est visible sur le site. Le motif et la marche à suivre (corriger la fiche et la soumettre à nouveau) sont sur la fiche de l'organisation.",
        ),
        (_, OrgStatus::Suspended) => Some(
            "Suspendue par l'équipe Passerelle : rien n'est visible sur le site. Contactez l'équipe pour en connaître le motif.",
        ),
    }
}

fn organisation_block(org: OrganisationHome) -> impl IntoView {
    let tone = match org.status {
        OrgStatus::Approved => "bg-emerald-100 text-emerald-900",
        OrgStatus::Pending => "bg-amber-100 text-amber-900",
        OrgStatus::Rejected | OrgStatus::Suspended => "bg-red-100 text-red-900",
    };
    let figures = match org.kind {
        OrgKind::Entreprise => view! {
            {org.to_handle.map(|n| view! {
                <Figure label="Nouvelles candidatures à traiter" count=n href="/tableau-de-bord/candidatures-recues" key="to_handle" urgent=true/>
            })}
            <Figure label="Offres qui expirent dans les 7 jours" count=org.soon href="/tableau-de-bord/offres" key="soon" urgent=true/>
            <Figure label="Offres en ligne" count=org.live href="/tableau-de-bord/offres" key="live"/>
        }
        .into_any(),
        OrgKind::Centre => view! {
            {org.to_handle.map(|n| view! {
                <Figure label="Nouvelles demandes d'inscription à traiter" count=n href="/tableau-de-bord/demandes" key="to_handle" urgent=true/>
            })}
            <Figure label="Sessions qui commencent dans les 30 jours" count=org.soon href="/tableau-de-bord/formations" key="soon"/>
            <Figure label="Formations publiées" count=org.live href="/tableau-de-bord/formations" key="live"/>
        }
        .into_any(),
    };
    let (new_href, new_label, profile_href, profile_label) = match org.kind {
        OrgKind::Entreprise => (
            "/tableau-de-bord/offres/nouvelle",
            "Publier une offre",
            "/tableau-de-bord/entreprise",
            "Fiche de l'entreprise",
        ),
        OrgKind::Centre => (
            "/tableau-de-bord/formations/nouvelle",
            "Nouvelle formation",
            "/tableau-de-bord/centre",
            "Fiche du centre",
        ),
    };
    view! {
        <section class="card mt-6" data-block="organisation" data-organisation=org.id data-kind=org.kind.as_db()>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 class="text-xl font-bold text-slate-900">{org.name}</h2>
                <span class=format!("rounded-full px-2.5 py-1 text-xs font-bold {tone}") data-org-status=org.status.as_str()>
                    <span class="sr-only">"Statut : "</span>{org.status.label()}
                </span>
            </div>
            {status_notice(org.kind, org.status).map(|notice| view! {
                <p class="mt-3 rounded-lg bg-amber-50 p-3 text-amber-900" role="status">{notice}</p>
            })}
            <ul class="mt-4 grid gap-4 sm:grid-cols-3">{figures}</ul>
            <p class="mt-4 flex flex-wrap items-center gap-4">
                <a href=new_href class="btn-primary">{new_label}</a>
                <a href=profile_href class="font-semibold text-brand-700 underline">{profile_label}</a>
            </p>
        </section>
    }
}

/// A role that works for an organisation of `kind`, with none yet: there is
/// no page to add one (sign-up creates it), so the way in is an invitation
/// or the team.
fn missing_block(kind: OrgKind) -> impl IntoView {
    let (title, text) = match kind {
        OrgKind::Entreprise => (
            "Votre entreprise",
            "Votre compte n'est rattaché à aucune entreprise. Demandez au responsable de la vôtre de vous inviter (depuis « Mon compte »), ou écrivez-nous pour l'inscrire sur Passerelle.",
        ),
        OrgKind::Centre => (
            "Votre centre de formation",
            "Votre compte n'est rattaché à aucun centre de formation. Demandez au responsable du vôtre de vous inviter (depuis « Mon compte »), ou écrivez-nous pour l'inscrire sur Passerelle.",
        ),
    };
    view! {
        <section class="card mt-6" data-block="missing" data-kind=kind.as_db()>
            <h2 class="text-xl font-bold text-slate-900">{title}</h2>
            <p class="mt-2 text-slate-800">{text}</p>
            <a href="mailto:contact@passerelle.fr?subject=Inscrire%20mon%20organisation" class="btn-primary mt-4 inline-flex">
                "Inscrire mon organisation"
            </a>
        </section>
    }
}

fn blog_block(blog: BlogHome) -> impl IntoView {
    view! {
        <Block title="Blog".to_owned() key="blog">
            <ul class="mt-4 grid gap-4 sm:grid-cols-3">
                <Figure label="Brouillons" count=blog.drafts href="/tableau-de-bord/blog" key="drafts"/>
                <Figure label="Articles programmés" count=blog.scheduled href="/tableau-de-bord/blog" key="scheduled"/>
            </ul>
            <a href="/tableau-de-bord/blog/nouveau" class="btn-primary mt-4 inline-flex">"Nouvel article"</a>
        </Block>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_french_does() {
        assert_eq!(count_of(0, "candidature", "candidatures"), "0 candidature");
        assert_eq!(count_of(1, "candidature", "candidatures"), "1 candidature");
        assert_eq!(count_of(2, "candidature", "candidatures"), "2 candidatures");
    }

    #[test]
    fn completeness_counts_each_part_once() {
        let mut candidate = CandidateHome {
            has_cv: true,
            has_headline: false,
            has_experience: true,
            skills: 3,
            applications: None,
            enrolments: None,
            saved_offers: 0,
            saved_trainings: 0,
            alerts: 0,
        };
        assert_eq!(candidate.completeness(), (3, 4));
        candidate.has_headline = true;
        assert_eq!(candidate.completeness(), (4, 4));
    }
}
