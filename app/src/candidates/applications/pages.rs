//! The apply section of an offer page, the candidate's applications and the
//! recruiters' pipeline. Every form works without JavaScript.

use super::{
    AddApplicationNote, ApplicationStatus, ApplyState, ApplyToOffer, CandidateDashboard,
    MoveApplication, Pipeline, REFUSAL_REASONS, ReceivedApplication, SendApplicationMessage,
    UnsaveOffer, WithdrawApplication,
    interviews::{AnswerInterview, CandidateInterview, ProposeInterview, SlotLines},
    load_apply_state, my_applications, received_applications,
};
use crate::{
    base::format::french_date,
    candidates::dashboard_data,
    organisations::profile::OrgKind,
    organisations::requests::{
        self, CandidateRequests, CandidateRequestsPage, PipelineColumn, PipelinePage,
    },
    ui::form::{FormError, action_error, url_error},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// Column titles of the recruiters' pipeline.
fn column_label(status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::New => "Nouvelles",
        ApplicationStatus::InReview => "À l'étude",
        ApplicationStatus::Interview => "Entretien",
        ApplicationStatus::Hired => "Embauches",
        ApplicationStatus::Refused => "Déclinées",
        ApplicationStatus::Withdrawn => "Retirées",
    }
}

/// The button that moves an application to `step`.
fn step_action(step: ApplicationStatus) -> &'static str {
    match step {
        ApplicationStatus::InReview => "Mettre à l'étude",
        _ => "Confirmer l'embauche",
    }
}

/// An application's status as a coloured pill (here and on the dashboard home).
pub fn status_badge(status: ApplicationStatus) -> impl IntoView + use<> {
    let tone = match status {
        ApplicationStatus::Hired => "bg-emerald-100 text-emerald-900",
        ApplicationStatus::Refused => "bg-red-100 text-red-900",
        ApplicationStatus::Withdrawn => "bg-slate-200 text-slate-800",
        ApplicationStatus::Interview => "bg-violet-100 text-violet-900",
        ApplicationStatus::InReview => "bg-amber-100 text-amber-900",
        ApplicationStatus::New => "bg-brand-50 text-brand-800",
    };
    requests::status_badge(tone, status.as_str(), status.label())
}

/// The apply box of an offer page (`/offres/{slug}`): sign-in link, state of the
/// application already sent, or the one-step form (message and PDF CV).
#[component]
pub fn ApplySection(offer_id: i64) -> impl IntoView {
    let error = Signal::stored(url_error::<ApplyToOffer>());
    let state = Resource::new(move || offer_id, load_apply_state);
    let query = use_query_map();
    let sent = move || {
        query
            .read()
            .get("candidature")
            .is_some_and(|v| v == "envoyee")
    };
    let here = use_location().pathname.get_untracked();
    let field_error = move |name: &'static str| move || error.get().and_then(|e| e.for_field(name));
    view! {
        <Suspense fallback=|| ()>
            {move || state.get().and_then(Result::ok).map(|state| {
                let body = match state {
                    ApplyState::Closed => return ().into_any(),
                    ApplyState::Visitor => view! {
                        <p class="mt-2 text-slate-800">"Connectez-vous avec votre compte candidat pour postuler en quelques clics."</p>
                        <div class="mt-3 flex flex-wrap gap-3">
                            <a class="btn-primary" href=format!("/connexion?suivant={}", crate::identity::auth::query_value(&here))>"Se connecter pour postuler"</a>
                            <a class="btn-secondary" href="/inscription">"Créer un compte"</a>
                        </div>
                    }.into_any(),
                    ApplyState::Unverified => view! {
                        <div class="mt-2 rounded-lg bg-amber-50 p-3 text-amber-900">
                            <p role="status">"Confirmez d'abord votre adresse e-mail (lien envoyé à l'inscription) pour postuler."</p>
                            <crate::identity::auth::pages::ResendLink/>
                        </div>
                    }.into_any(),
                    ApplyState::NotCandidate => view! {
                        <p class="mt-2 text-slate-700">"Les candidatures se font avec un compte candidat."</p>
                    }.into_any(),
                    ApplyState::Applied { status, applied_on } => view! {
                        {sent().then(|| view! {
                            <p class="mt-2 rounded-lg bg-emerald-50 p-3 font-semibold text-emerald-900" role="status">
                                "Votre candidature a été envoyée."
                            </p>
                        })}
                        <p class="mt-2 text-slate-800">
                            "Vous avez postulé le " {french_date(&applied_on)} " · " {status_badge(status)}
                        </p>
                        {(status == ApplicationStatus::Withdrawn).then(|| view! {
                            <p class="mt-2 text-slate-800" data-withdrawn="">
                                "Vous avez retiré cette candidature : vous ne pouvez pas postuler à nouveau à cette offre."
                            </p>
                        })}
                        <p class="mt-2">
                            <a href="/tableau-de-bord/candidatures" class="font-semibold text-brand-700 underline">"Suivre mes candidatures"</a>
                        </p>
                    }.into_any(),
                    ApplyState::Open { cv_name } => {
                        let has_cv = cv_name.is_some();
                        view! {
                            // A native multipart post: the same with or without JavaScript.
                            <form method="post" action="/api/candidatures/postuler" enctype="multipart/form-data" class="mt-3 space-y-4">
                                <input type="hidden" name="offer_id" value=offer_id/>
                                <div>
                                    <label for="candidature-message" class="block text-sm font-semibold text-slate-900">"Message au recruteur"</label>
                                    <textarea id="candidature-message" name="message" rows="6" required maxlength="4000"
                                        aria-describedby="candidature-message-erreur"
                                        class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2"></textarea>
                                    <p id="candidature-message-erreur" class="mt-1 text-sm font-semibold text-red-800">{field_error("message")}</p>
                                </div>
                                <div>
                                    <label for="candidature-cv" class="block text-sm font-semibold text-slate-900">
                                        {if has_cv { "Joindre un autre CV (PDF, 5 Mo au plus, facultatif)" } else { "Votre CV (PDF, 5 Mo au plus)" }}
                                    </label>
                                    {cv_name.map(|name| view! {
                                        <p class="mt-1 text-sm text-slate-700">"Sinon, le CV de votre profil sera joint : " {name}</p>
                                    })}
                                    <input id="candidature-cv" name="fichier" type="file" accept="application/pdf,.pdf" required=!has_cv
                                        aria-describedby="candidature-cv-erreur" class="mt-1 block text-sm"/>
                                    <p id="candidature-cv-erreur" class="mt-1 text-sm font-semibold text-red-800">{field_error("fichier")}</p>
                                </div>
                                <FormError error fields=&["message", "fichier"]/>
                                <button type="submit" class="btn-primary">"Envoyer ma candidature"</button>
                            </form>
                        }.into_any()
                    }
                };
                // The offer page's aside gives the heading.
                view! { <div id="candidater" data-apply=offer_id>{body}</div> }.into_any()
            })}
        </Suspense>
    }
}

/// `/tableau-de-bord/candidatures`: the candidate's applications and saved offers.
#[component]
pub fn CandidateApplicationsPage() -> impl IntoView {
    let withdraw = ServerAction::<WithdrawApplication>::new();
    let unsave = ServerAction::<UnsaveOffer>::new();
    let write = ServerAction::<SendApplicationMessage>::new();
    let answer = ServerAction::<AnswerInterview>::new();
    let data = dashboard_data(
        [
            withdraw.version(),
            unsave.version(),
            write.version(),
            answer.version(),
        ],
        my_applications,
    );
    // The last action's refusal, whichever form it came from.
    let errors = [
        action_error(withdraw),
        action_error(write),
        action_error(answer),
    ];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    view! {
        <CandidateRequestsPage kind=OrgKind::Entreprise data error items=move |dashboard: CandidateDashboard| CandidateRequests {
            requests: dashboard.applications.into_iter().map(|a| {
                let can_withdraw = a.status.withdrawable();
                let title = a.offer_title.clone();
                view! {
                    <li class="card" data-application=a.id>
                        {requests::request_heading(a.offer_title.clone(), a.offer_slug.clone().map(|slug| format!("/offres/{slug}")), status_badge(a.status))}
                        <p class="text-sm text-slate-700">
                            {a.company_name.clone()} " · envoyée le " {french_date(&a.applied_on)}
                            {(a.updated_on != a.applied_on).then(|| format!(" · mise à jour le {}", french_date(&a.updated_on)))}
                        </p>
                        {(!a.refusal_reason.is_empty()).then(|| view! {
                            <p class="mt-2 text-slate-800" data-refusal-reason="">"Motif : " {a.refusal_reason.clone()}</p>
                        })}
                        {a.interview.clone().map(|interview| view! {
                            <CandidateInterview interview answer live=a.status == ApplicationStatus::Interview/>
                        })}
                        <details class="mt-3" open=!a.messages.is_empty()>
                            <summary class="cursor-pointer font-semibold text-brand-700">{format!("Échanges avec le recruteur ({})", a.messages.len())}</summary>
                            {requests::thread(a.messages.clone())}
                            <ActionForm action=write attr:class="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
                                {requests::message_fields(a.id, format!("message-{}", a.id))}
                            </ActionForm>
                        </details>
                        {can_withdraw.then(|| {
                            let note_id = format!("retrait-{}", a.id);
                            view! {
                                <ActionForm action=withdraw attr:class="mt-3">
                                    <input type="hidden" name="id" value=a.id/>
                                    <button type="submit" class="btn-secondary" aria-describedby=note_id.clone()>
                                        "Retirer ma candidature (définitif)"<span class="sr-only">" : " {title}</span>
                                    </button>
                                    <p id=note_id class="mt-1 text-sm text-slate-700">"Une candidature retirée ne peut pas être renvoyée à cette offre."</p>
                                </ActionForm>
                            }
                        })}
                    </li>
                }.into_any()
            }).collect(),
            saved: (!dashboard.saved.is_empty()).then(|| view! {
                <ul class="mt-4 space-y-3" data-saved-offers="">
                    {dashboard.saved.into_iter().map(|offer| {
                        let title = offer.title.clone();
                        view! {
                            <li class="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 p-3" data-saved-offer=offer.offer_id>
                                <div>
                                    <a href=format!("/offres/{}", offer.slug) class="font-semibold text-brand-700 hover:underline">{offer.title.clone()}</a>
                                    <p class="text-sm text-slate-700">{offer.company_name.clone()} {(!offer.live).then_some(" · offre expirée")}</p>
                                </div>
                                <ActionForm action=unsave>
                                    <input type="hidden" name="offer_id" value=offer.offer_id/>
                                    <button type="submit" class="btn-secondary">"Retirer"<span class="sr-only">" des offres sauvegardées : " {title}</span></button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()),
        }/>
    }
}

/// `/tableau-de-bord/candidatures-recues` (`?offre=ID`: one offer): the
/// recruiters' pipeline, one column per step.
#[component]
pub fn ReceivedApplicationsPage() -> impl IntoView {
    let step = ServerAction::<MoveApplication>::new();
    let note = ServerAction::<AddApplicationNote>::new();
    let write = ServerAction::<SendApplicationMessage>::new();
    let propose = ServerAction::<ProposeInterview>::new();
    let data = requests::pipeline_data(
        "offre",
        [
            step.version(),
            note.version(),
            write.version(),
            propose.version(),
        ],
        received_applications,
    );
    let forms = Forms {
        step,
        note,
        write,
        propose,
    };
    // Filter, export link and columns, from the loaded pipeline.
    let body = move |pipeline: Pipeline| {
        let export = if pipeline.offer == 0 {
            "/tableau-de-bord/candidatures-recues/export.csv".to_owned()
        } else {
            format!(
                "/tableau-de-bord/candidatures-recues/export.csv?offre={}",
                pipeline.offer
            )
        };
        let applications = pipeline.applications;
        let truncated = pipeline.truncated;
        view! {
            <div class="mt-4 flex flex-wrap items-end justify-between gap-4">
                <form method="get" action="/tableau-de-bord/candidatures-recues" class="flex max-w-full flex-wrap items-end gap-2">
                    // A long offer title must not widen the page on a phone.
                    <div class="min-w-0 max-w-full">
                        <label for="filtre-offre" class="block text-sm font-semibold text-slate-900">"Offre"</label>
                        <select id="filtre-offre" name="offre" class="mt-1 block w-full max-w-full rounded-lg border border-slate-400 px-3 py-2">
                            <option value="" selected=pipeline.offer == 0>"Toutes les offres"</option>
                            {pipeline.offers.iter().map(|(id, title)| view! {
                                <option value=*id selected=pipeline.offer == *id>{title.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="btn-secondary">"Filtrer"</button>
                </form>
                <a href=export class="btn-secondary" rel="external" download="">"Exporter en CSV"</a>
            </div>
            {applications.is_empty().then(|| view! {
                <p class="mt-6 text-slate-700">"Aucune candidature reçue pour l'instant."</p>
            })}
            {truncated.then(|| view! {
                <p class="mt-6 rounded-lg bg-amber-50 p-3 text-amber-900" role="status" data-truncated="">
                    // The text spells PIPELINE_LIMIT out, French style.
                    "Les 1\u{a0}000 candidatures les plus récentes sont affichées (et exportées en CSV) : choisissez une offre pour affiner."
                </p>
            })}
            <div class="mt-6 grid gap-4 md:grid-cols-3 xl:grid-cols-6">
                {ApplicationStatus::ALL.into_iter().map(|status| {
                    let cards = applications.iter().filter(|a| a.status == status).cloned()
                        .map(|application| view! { <ApplicationCard application forms/> }.into_any())
                        .collect();
                    view! { <PipelineColumn key=status.as_str() label=column_label(status) heading_named=true cards/> }
                }).collect_view()}
            </div>
        }.into_any()
    };
    let errors = [
        action_error(note),
        action_error(write),
        action_error(propose),
    ];
    let other_error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    view! {
        <PipelinePage kind=OrgKind::Entreprise data error=action_error(step) other_error body/>
    }
}

/// The recruiters' actions on a card.
#[derive(Clone, Copy)]
struct Forms {
    step: ServerAction<MoveApplication>,
    note: ServerAction<AddApplicationNote>,
    write: ServerAction<SendApplicationMessage>,
    propose: ServerAction<ProposeInterview>,
}

#[component]
fn ApplicationCard(application: ReceivedApplication, forms: Forms) -> impl IntoView {
    let Forms {
        step,
        note,
        write,
        propose,
    } = forms;
    let a = application;
    let id = a.id;
    let reason_id = format!("motif-{id}");
    let note_id = format!("note-{id}");
    let open = a.status != ApplicationStatus::Withdrawn;
    let can_meet = a.status.withdrawable();
    let moves: Vec<ApplicationStatus> = ApplicationStatus::REVIEW_STEPS
        .into_iter()
        .filter(|s| open && *s != ApplicationStatus::Refused && *s != a.status)
        .collect();
    let name = a.candidate_name.clone();
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-application=id>
            <p class="font-bold">{a.candidate_name.clone()}</p>
            {(!a.headline.is_empty()).then(|| view! { <p class="text-slate-800">{a.headline.clone()}</p> })}
            <p class="break-all text-slate-700">{a.candidate_email.clone()}</p>
            <p class="mt-1">{a.offer_title.clone()}</p>
            <p class="text-slate-700">"Reçue le " {french_date(&a.applied_on)}</p>
            {(!a.skills.is_empty()).then(|| view! {
                <ul class="mt-2 flex flex-wrap gap-1" aria-label="Compétences">
                    {a.skills.iter().map(|s| view! { <li class="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{s.clone()}</li> }).collect_view()}
                </ul>
            })}
            {(!a.message.is_empty()).then(|| view! { <p class="mt-2 whitespace-pre-line italic">"« " {a.message.clone()} " »"</p> })}
            {(!a.experience.is_empty()).then(|| view! {
                <details class="mt-2" data-experience="">
                    <summary class="cursor-pointer font-semibold text-brand-700">"Expérience"<span class="sr-only">" de " {a.candidate_name.clone()}</span></summary>
                    <p class="mt-1 whitespace-pre-line">{a.experience.clone()}</p>
                </details>
            })}
            {(!a.refusal_reason.is_empty()).then(|| view! { <p class="mt-2">"Motif : " {a.refusal_reason.clone()}</p> })}
            {a.cv_media_id.map(|cv| view! {
                <p class="mt-2"><a href=format!("/medias/prive/{cv}") class="font-semibold text-brand-700 underline" rel="external">"Voir le CV"<span class="sr-only">" de " {name.clone()}</span></a></p>
            })}
            <div class="mt-3 space-y-2">
                {moves.into_iter().map(|target| view! {
                    <ActionForm action=step>{requests::step_fields(id, target.as_str(), step_action(target))}</ActionForm>
                }).collect_view()}
                {(open && a.status != ApplicationStatus::Refused).then(|| view! {
                    <ActionForm action=step attr:class="space-y-1">
                        {requests::refusal_fields(id, reason_id.clone(), view! {
                            <select id=reason_id name="reason" class="block w-full rounded border border-slate-400 px-2 py-1">
                                {REFUSAL_REASONS.into_iter().map(|r| view! { <option value=r>{r}</option> }).collect_view()}
                            </select>
                        })}
                    </ActionForm>
                })}
            </div>
            {a.interview.clone().map(|interview| {
                let (slot, status) = (interview.id, interview.status);
                view! {
                    <div class="mt-3 rounded bg-violet-50 p-2" data-interview=slot data-interview-status=status.as_str()>
                        <p class="font-semibold">"Entretien · " {status.label()}</p>
                        <SlotLines interview/>
                    </div>
                }
            })}
            {can_meet.then(|| view! {
                <details class="mt-3" data-propose-interview="">
                    <summary class="cursor-pointer font-semibold text-brand-700">
                        {if a.interview.is_some() { "Proposer un autre créneau" } else { "Proposer un entretien" }}
                        <span class="sr-only">" à " {a.candidate_name.clone()}</span>
                    </summary>
                    <ProposeInterview id propose/>
                </details>
            })}
            <details class="mt-3">
                <summary class="cursor-pointer font-semibold text-brand-700">{format!("Messages ({})", a.messages.len())}</summary>
                {requests::thread(a.messages.clone())}
                <ActionForm action=write attr:class="mt-2 space-y-1">
                    {requests::message_fields(id, format!("message-{id}"))}
                </ActionForm>
            </details>
            <details class="mt-3">
                <summary class="cursor-pointer font-semibold text-brand-700">{format!("Notes privées ({})", a.notes.len())}</summary>
                <ol class="mt-2 space-y-2">
                    {a.notes.into_iter().map(|n| view! {
                        <li class="rounded bg-amber-50 p-2" data-note="">
                            <p class="text-xs text-slate-700">{n.author} " · " {n.at}</p>
                            <p class="whitespace-pre-line">{n.body}</p>
                        </li>
                    }).collect_view()}
                </ol>
                <ActionForm action=note attr:class="mt-2 space-y-1">
                    <input type="hidden" name="id" value=id/>
                    <label for=note_id.clone() class="block font-semibold">"Ajouter une note (visible par l'entreprise seulement)"</label>
                    <textarea id=note_id name="body" rows="2" class="block w-full rounded border border-slate-400 px-2 py-1"></textarea>
                    <button type="submit" class="btn-secondary w-full">"Ajouter la note"</button>
                </ActionForm>
            </details>
        </li>
    }
}
