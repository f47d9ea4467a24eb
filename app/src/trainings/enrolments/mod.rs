//! Enrolment requests: a candidate asks to join a session, the centre moves
//! the request through its pipeline (new → in review → accepted / refused,
//! or withdrawn by the candidate) and both sides can write to each other.

#[cfg(feature = "ssr")]
pub mod ssr;

use crate::{
    base::error::AppError,
    candidates::dashboard_data,
    organisations::profile::OrgKind,
    organisations::requests::{
        self, CandidateRequests, CandidateRequestsPage, Message, PipelineColumn, PipelinePage,
    },
    trainings::{TrainingCard, Viewer, pages::TrainingCardView},
    ui::form::action_error,
};
#[cfg(feature = "ssr")]
use crate::{
    candidates::ssr::DashboardPage,
    identity::auth::{
        Permission,
        ssr::{with_permission, with_user},
    },
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where an enrolment request stands (the `enrolment_requests.status` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    New,
    InReview,
    Accepted,
    Refused,
    Withdrawn,
}

impl EnrolmentStatus {
    /// The centre's columns, in order.
    pub const ALL: [Self; 5] = [
        Self::New,
        Self::InReview,
        Self::Accepted,
        Self::Refused,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InReview => "in_review",
            Self::Accepted => "accepted",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "Nouvelle",
            Self::InReview => "En cours d'étude",
            Self::Accepted => "Acceptée",
            Self::Refused => "Refusée",
            Self::Withdrawn => "Retirée",
        }
    }

    /// Still under way: the candidate may withdraw, the centre may refuse.
    pub fn open(self) -> bool {
        matches!(self, Self::New | Self::InReview | Self::Accepted)
    }

    /// A step the centre's form sent, and the statuses it may come from;
    /// anything else is refused with a French message on the `status` field.
    pub fn parse_step(value: &str) -> Result<(Self, &'static [Self]), AppError> {
        use EnrolmentStatus::*;
        match value {
            "in_review" => Ok((InReview, &[New])),
            "accepted" => Ok((Accepted, &[New, InReview])),
            "refused" => Ok((Refused, &[New, InReview, Accepted])),
            _ => Err(AppError::invalid("status", "Étape inconnue.")),
        }
    }
}

/// A request as either side sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: i64,
    pub status: EnrolmentStatus,
    pub refusal_reason: String,
    pub message: String,
    pub training_id: i64,
    pub training_title: String,
    /// Set while the training is public.
    pub training_slug: Option<String>,
    pub centre_name: String,
    /// Name and e-mail, for the centre only.
    pub candidate: Option<(String, String)>,
    pub session: String,
    /// The session asked for and its ISO dates; `None`: rolling entry.
    pub session_id: Option<i64>,
    pub session_dates: Option<(String, String)>,
    pub created_on: String,
    pub updated_on: String,
    pub messages: Vec<Message>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateDashboard {
    pub requests: Vec<RequestView>,
    pub saved: Vec<TrainingCard>,
}

/// The candidate's page.
#[cfg(feature = "ssr")]
const MY_ENROLMENTS: DashboardPage = DashboardPage {
    permission: Permission::EnrolmentCreate,
    path: "/tableau-de-bord/inscriptions",
};

/// A verified candidate asks to join a session (`session_id = 0`: rolling entry).
#[server(prefix = "/api", endpoint = "inscriptions/demander")]
pub async fn request_enrolment(
    training_id: i64,
    session_id: i64,
    #[server(default)] message: String,
) -> Result<i64, AppError> {
    MY_ENROLMENTS
        .action(|pool, user| async move {
            crate::identity::auth::ssr::require_verified(&user)?;
            let session = (session_id != 0).then_some(session_id);
            let id = ssr::request(&pool, &user, training_id, session, &message).await?;
            crate::base::audience::ssr::step(
                crate::base::audience::Metric::EnrolmentSent,
                training_id,
            );
            Ok(id)
        })
        .await
}

#[server(prefix = "/api", endpoint = "inscriptions/mes-demandes")]
pub async fn my_enrolments() -> Result<CandidateDashboard, AppError> {
    with_permission(Permission::EnrolmentCreate, |pool, user| async move {
        Ok(CandidateDashboard {
            requests: ssr::list(&pool, Some(user.id), None, None).await?,
            saved: crate::trainings::ssr::saved_cards(&pool, user.id).await?,
        })
    })
    .await
}

#[server(prefix = "/api", endpoint = "inscriptions/retirer")]
pub async fn withdraw_enrolment(id: i64) -> Result<(), AppError> {
    MY_ENROLMENTS
        .action(|pool, user| async move { ssr::withdraw(&pool, &user, id).await })
        .await
}

/// The centre's requests, optionally for one training (`training = 0`: all).
#[server(prefix = "/api", endpoint = "centre/demandes")]
pub async fn centre_requests(training: i64) -> Result<Vec<RequestView>, AppError> {
    crate::base::db::with_pool(|pool| async move {
        let (_, centre) =
            crate::trainings::ssr::require_centre(&pool, Permission::EnrolmentReview).await?;
        ssr::list(
            &pool,
            None,
            Some(centre),
            (training != 0).then_some(training),
        )
        .await
    })
    .await
}

#[server(prefix = "/api", endpoint = "centre/demandes/etape")]
pub async fn review_enrolment(
    id: i64,
    status: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        let (_, centre) =
            crate::trainings::ssr::require_centre(&pool, Permission::EnrolmentReview).await?;
        ssr::review(&pool, centre, id, &status, &reason).await?;
        crate::base::forms::redirect_plain_form("/tableau-de-bord/demandes");
        Ok(())
    })
    .await
}

/// A message on a request, from the candidate or the centre.
#[server(prefix = "/api", endpoint = "inscriptions/message")]
pub async fn send_enrolment_message(id: i64, body: String) -> Result<(), AppError> {
    with_user(|pool, user| async move {
        ssr::write(&pool, &user, id, &body).await?;
        let back = if user.role == crate::identity::users::Role::Candidate {
            MY_ENROLMENTS.path
        } else {
            "/tableau-de-bord/demandes"
        };
        crate::base::forms::redirect_plain_form(back);
        Ok(())
    })
    .await
}

/// The "ask to enrol" form of one session on a training page.
#[component]
pub fn EnrolmentForm(
    action: ServerAction<RequestEnrolment>,
    training_id: i64,
    session: Option<i64>,
    label: String,
    viewer: Viewer,
    requested: bool,
) -> impl IntoView {
    if requested {
        return view! {
            <p class="mt-2 text-sm font-semibold text-emerald-800" role="status">
                "Demande envoyée · " <a href="/tableau-de-bord/inscriptions" class="underline">"suivre mes inscriptions"</a>
            </p>
        }
        .into_any();
    }
    if viewer != (Viewer::Candidate { verified: true }) {
        return ().into_any();
    }
    let session_id = session.unwrap_or(0);
    let field = format!("message-{session_id}");
    let error = action_error(action);
    let mine = move || {
        action
            .input()
            .get()
            .is_some_and(|input| input.session_id == session_id)
    };
    view! {
        <details class="mt-2">
            <summary class="btn-primary inline-block cursor-pointer">"Demander l'inscription"<span class="sr-only">" : " {label}</span></summary>
            <ActionForm action attr:class="mt-3 space-y-2">
                <input type="hidden" name="training_id" value=training_id/>
                <input type="hidden" name="session_id" value=session_id/>
                <label for=field.clone() class="block text-sm font-semibold">"Message au centre (facultatif)"</label>
                <textarea id=field name="message" rows="3" class="block w-full rounded-lg border border-slate-400 px-3 py-2"></textarea>
                <p class="text-sm font-semibold text-red-800" role="alert">
                    {move || mine().then(|| error.get().map(|e| e.to_string())).flatten()}
                </p>
                <button type="submit" class="btn-primary">"Envoyer ma demande"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// A request's status as a coloured pill (here and on the dashboard home).
pub fn status_badge(status: EnrolmentStatus) -> impl IntoView + use<> {
    let tone = match status {
        EnrolmentStatus::Accepted => "bg-emerald-100 text-emerald-900",
        EnrolmentStatus::Refused => "bg-red-100 text-red-900",
        EnrolmentStatus::Withdrawn => "bg-slate-200 text-slate-800",
        EnrolmentStatus::InReview => "bg-amber-100 text-amber-900",
        EnrolmentStatus::New => "bg-brand-50 text-brand-800",
    };
    requests::status_badge(tone, status.as_str(), status.label())
}

#[component]
fn Thread(
    messages: Vec<Message>,
    request: i64,
    write: ServerAction<SendEnrolmentMessage>,
) -> impl IntoView {
    view! {
        {requests::thread(messages)}
        <ActionForm action=write attr:class="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
            {requests::message_fields(request, format!("reponse-{request}"))}
        </ActionForm>
    }
}

/// `/tableau-de-bord/inscriptions`: the candidate's requests and saved trainings.
#[component]
pub fn CandidateEnrolmentsPage() -> impl IntoView {
    let withdraw = ServerAction::<WithdrawEnrolment>::new();
    let write = ServerAction::<SendEnrolmentMessage>::new();
    let data = dashboard_data([withdraw.version(), write.version()], my_enrolments);
    view! {
        <CandidateRequestsPage kind=OrgKind::Centre data error=action_error(write) items=move |dashboard: CandidateDashboard| CandidateRequests {
            requests: dashboard.requests.into_iter().map(|r| {
                let live = r.status.open();
                view! {
                    <li class="card" data-request=r.id>
                        {requests::request_heading(r.training_title.clone(), r.training_slug.clone().map(|slug| format!("/formations/{slug}")), status_badge(r.status))}
                        <p class="text-sm text-slate-700">{r.centre_name.clone()} " · " {r.session.clone()} " · demandée le " {r.created_on.clone()}</p>
                        {(!r.refusal_reason.is_empty()).then(|| view! {
                            <p class="mt-2 text-slate-800">"Motif du refus : " {r.refusal_reason.clone()}</p>
                        })}
                        <Thread messages=r.messages.clone() request=r.id write/>
                        {live.then(|| view! {
                            <ActionForm action=withdraw attr:class="mt-3">
                                <input type="hidden" name="id" value=r.id/>
                                <button type="submit" class="btn-secondary">"Retirer ma demande"</button>
                            </ActionForm>
                        })}
                    </li>
                }.into_any()
            }).collect(),
            saved: (!dashboard.saved.is_empty()).then(|| view! {
                <div class="mt-4 grid gap-4" data-saved-trainings="">
                    {dashboard.saved.into_iter().map(|card| view! { <TrainingCardView card/> }).collect_view()}
                </div>
            }.into_any()),
        }/>
    }
}

/// `/tableau-de-bord/demandes`: the centre's pipeline, one column per step.
#[component]
pub fn CentreRequestsPage() -> impl IntoView {
    let review = ServerAction::<ReviewEnrolment>::new();
    let write = ServerAction::<SendEnrolmentMessage>::new();
    let data = requests::pipeline_data(
        "formation",
        [review.version(), write.version()],
        centre_requests,
    );
    let columns = move |requests: Vec<RequestView>| {
        view! {
            <div class="mt-6 grid gap-4 lg:grid-cols-5">
                {EnrolmentStatus::ALL.into_iter().map(|status| {
                    let cards = requests.iter().filter(|r| r.status == status).cloned()
                        .map(|r| view! { <CentreRequest request=r review write/> }.into_any())
                        .collect();
                    view! { <PipelineColumn key=status.as_str() label=status.label() cards/> }
                }).collect_view()}
            </div>
        }
        .into_any()
    };
    view! { <PipelinePage kind=OrgKind::Centre data error=action_error(review) body=columns/> }
}

#[component]
fn CentreRequest(
    request: RequestView,
    review: ServerAction<ReviewEnrolment>,
    write: ServerAction<SendEnrolmentMessage>,
) -> impl IntoView {
    let (name, email) = request.candidate.clone().unwrap_or_default();
    let id = request.id;
    let reason_id = format!("motif-{id}");
    let step = move |status: EnrolmentStatus, label: &'static str| {
        view! { <ActionForm action=review>{requests::step_fields(id, status.as_str(), label)}</ActionForm> }
    };
    let open = request.status.open();
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-request=id>
            <p class="font-bold">{name}</p>
            <p class="break-all text-slate-700">{email}</p>
            <p class="mt-1">{request.training_title.clone()}</p>
            <p class="text-slate-700">{request.session.clone()} " · " {request.created_on.clone()}</p>
            {(!request.message.is_empty()).then(|| view! { <p class="mt-2 whitespace-pre-line italic">"« " {request.message.clone()} " »"</p> })}
            {(!request.refusal_reason.is_empty()).then(|| view! { <p class="mt-2">"Motif : " {request.refusal_reason.clone()}</p> })}
            <div class="mt-3 space-y-2">
                {(request.status == EnrolmentStatus::New).then(|| step(EnrolmentStatus::InReview, "Mettre à l'étude"))}
                {matches!(request.status, EnrolmentStatus::New | EnrolmentStatus::InReview).then(|| step(EnrolmentStatus::Accepted, "Accepter"))}
                {open.then(|| view! {
                    <ActionForm action=review attr:class="space-y-1">
                        {requests::refusal_fields(id, reason_id.clone(), view! {
                            <input id=reason_id name="reason" type="text" class="block w-full rounded border border-slate-400 px-2 py-1"/>
                        })}
                    </ActionForm>
                })}
            </div>
            <details class="mt-3">
                <summary class="cursor-pointer font-semibold text-brand-700">{format!("Messages ({})", request.messages.len())}</summary>
                <Thread messages=request.messages.clone() request=id write/>
            </details>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::EnrolmentStatus;

    #[test]
    fn statuses_read_and_write_as_the_database_stores_them() {
        crate::base::validate::assert_stored_as(&EnrolmentStatus::ALL, EnrolmentStatus::as_str);
        assert_eq!(EnrolmentStatus::InReview.label(), "En cours d'étude");
        let (accepted, from) = EnrolmentStatus::parse_step("accepted").unwrap();
        assert_eq!(accepted, EnrolmentStatus::Accepted);
        assert!(!from.contains(&EnrolmentStatus::Accepted));
        // Withdrawal is the candidate's, never a centre's step.
        assert!(EnrolmentStatus::parse_step("withdrawn").is_err());
        assert!(!EnrolmentStatus::Refused.open());
    }
}
