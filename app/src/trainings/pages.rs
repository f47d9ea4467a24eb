//! Public catalogue pages, rendered on the server for search engines:
//! `/formations` (search with facets) and `/formations/{slug}`.

use super::{
    MODALITIES, SearchQuery, TrainingCard, TrainingDetail, Viewer, french_date, label_of,
    level_label, price_label, search_trainings, training_page,
};
use crate::{
    base::site::{Site, use_site},
    organisations::{
        listing::{PublicListingPage, slug_param},
        profile::OrgKind,
    },
    trainings::enrolments::{EnrolmentForm, RequestEnrolment},
    ui::search::{
        Scope, SearchPage,
        item::{CardFrame, ItemPage, SaveButton, result_card},
    },
};
use leptos::prelude::*;

fn modality_label(modality: &str) -> String {
    label_of(&MODALITIES, modality)
}

/// One training in a result list (catalogue, centre page, saved list).
#[component]
pub fn TrainingCardView(card: TrainingCard) -> impl IntoView {
    let href = Scope::Trainings.item_path(&card.slug);
    let next = if card.rolling_entry {
        Some("Entrée permanente".to_owned())
    } else {
        card.next_start
            .as_deref()
            .map(|d| format!("Prochaine session : {}", french_date(d)))
    };
    let places = if card.places.is_empty() {
        "À distance".to_owned()
    } else if card.places.len() > 3 {
        format!(
            "{} et {} autres lieux",
            card.places[..3].join(", "),
            card.places.len() - 3
        )
    } else {
        card.places.join(", ")
    };
    view! {
        <CardFrame attr:data-training-card=card.slug.clone() href title=card.title organisation=card.centre_name place=places summary=card.summary>
            <ul class="mt-3 flex flex-wrap gap-2 text-xs font-semibold">
                <li class="rounded-full bg-slate-100 px-2.5 py-1">{modality_label(&card.modality)}</li>
                <li class="rounded-full bg-slate-100 px-2.5 py-1">{format!("{} h", card.duration_hours)}</li>
                <li class="rounded-full bg-slate-100 px-2.5 py-1">{price_label(card.price_cents)}</li>
                {card.cpf_eligible.then(|| view! { <li class="rounded-full bg-emerald-100 px-2.5 py-1 text-emerald-900">"CPF"</li> })}
                {card.certification_level.map(|l| view! { <li class="rounded-full bg-brand-50 px-2.5 py-1 text-brand-800">{level_label(l)}</li> })}
            </ul>
            {next.map(|n| view! { <p class="mt-3 text-sm text-slate-700">{n}</p> })}
        </CardFrame>
    }
}

result_card!(TrainingCard, TrainingCardView);

/// `/formations`. `save_search` draws the "create an alert" form of a
/// search (the alerts live with the offers' in the jobs domain, which
/// provides it: the catalogue does not depend on the job board).
#[component]
pub fn CataloguePage(save_search: fn(String) -> AnyView) -> impl IntoView {
    view! { <SearchPage scope=Scope::Trainings load=search_trainings save_search/> }
}

/// `/formations/{slug}`
/// `related_offers` draws the job offers a training leads to (the jobs
/// domain provides it). It is called here, once, so that its data loads
/// once, beside the training's: a resource made inside the page's Suspense
/// would be made again by each of its server-side passes.
#[component]
pub fn TrainingPage(related_offers: fn(Signal<String>) -> ViewFn) -> impl IntoView {
    let slug = slug_param();
    let related_offers = related_offers(Signal::derive(slug));
    let enrol = ServerAction::<RequestEnrolment>::new();
    let save = ServerAction::<super::ToggleSavedTraining>::new();
    let lookup = Resource::new(
        move || (slug(), enrol.version().get(), save.version().get()),
        |(slug, ..)| training_page(slug),
    );
    let site = use_site();
    let found = move |detail| detail_view(&site, detail, enrol, save, related_offers.clone());
    view! { <PublicListingPage kind=OrgKind::Centre lookup found/> }
}

fn course_mode(modality: &str) -> &'static str {
    match modality {
        "distanciel" => "Online",
        "hybride" => "Blended",
        _ => "Onsite",
    }
}

fn course_json_ld(site: &Site, detail: &TrainingDetail) -> serde_json::Value {
    let card = &detail.card;
    let location = detail.place_list.first().map(|p| {
        serde_json::json!({
            "@type": "Place",
            "name": p.name,
            "address": { "@type": "PostalAddress", "addressLocality": p.name, "postalCode": p.postal_code, "addressRegion": p.region_name, "addressCountry": "FR" },
        })
    });
    let instances: Vec<serde_json::Value> = detail
        .sessions
        .iter()
        .map(|s| {
            let mut instance = serde_json::json!({
                "@type": "CourseInstance",
                "courseMode": course_mode(&card.modality),
                "startDate": s.starts_on,
                "endDate": s.ends_on,
                "courseWorkload": format!("PT{}H", card.duration_hours),
            });
            if let (Some(location), Some(map)) = (&location, instance.as_object_mut()) {
                map.insert("location".to_owned(), location.clone());
            }
            instance
        })
        .collect();
    let instances = if instances.is_empty() {
        vec![serde_json::json!({
            "@type": "CourseInstance",
            "courseMode": course_mode(&card.modality),
            "courseWorkload": format!("PT{}H", card.duration_hours),
        })]
    } else {
        instances
    };
    let mut course = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": card.title,
        "description": card.summary,
        "url": site.url(&format!("/formations/{}", card.slug)),
        "inLanguage": "fr",
        "provider": {
            "@type": "EducationalOrganization",
            "name": detail.centre.name,
            "url": site.url(&format!("/centres/{}", detail.centre.slug)),
        },
        "offers": [{
            "@type": "Offer",
            "category": if card.price_cents == 0 { "Free" } else { "Paid" },
            "price": format!("{:.2}", f64::from(card.price_cents) / 100.0),
            "priceCurrency": "EUR",
        }],
        "hasCourseInstance": instances,
        "teaches": detail.skills,
    });
    if let (Some(level), Some(map)) = (card.certification_level, course.as_object_mut()) {
        map.insert(
            "educationalCredentialAwarded".to_owned(),
            serde_json::json!(format!("{} niveau {level}", detail.certification_code)),
        );
    }
    course
}

fn detail_view(
    site: &Site,
    detail: TrainingDetail,
    enrol: ServerAction<RequestEnrolment>,
    save: ServerAction<super::ToggleSavedTraining>,
    related_offers: ViewFn,
) -> AnyView {
    let card = detail.card.clone();
    let path = Scope::Trainings.item_path(&card.slug);
    let json_ld = course_json_ld(site, &detail);
    let certification = match card.certification_kind.as_str() {
        "rncp" => Some(format!(
            "Titre {} (niveau {})",
            detail.certification_code,
            card.certification_level.unwrap_or_default()
        )),
        "rs" => Some(format!(
            "Certification {} (Répertoire spécifique)",
            detail.certification_code
        )),
        _ => None,
    };
    let viewer = detail.viewer;
    let training_id = card.id;
    let requested = detail.requested_sessions.clone();
    let sign_in = format!(
        "/connexion?suivant={}",
        crate::identity::auth::query_value(&path)
    );
    let saved = detail.saved;
    let rolling = card.rolling_entry;
    view! {
        <ItemPage scope=Scope::Trainings slug=card.slug.clone() name=card.title.clone() title=card.title.clone() description=card.summary.clone() json_ld>
            <h1 class="mt-4 text-3xl font-extrabold text-slate-900 sm:text-4xl">{card.title.clone()}</h1>
            <p class="mt-2 text-lg text-slate-700">
                "Par " <a href=format!("/centres/{}", detail.centre.slug) class="font-semibold text-brand-700 hover:underline">{detail.centre.name.clone()}</a>
                {detail.centre.qualiopi.then_some(" · certifié Qualiopi")}
            </p>
            <p class="mt-4 text-lg text-slate-800">{card.summary.clone()}</p>
            <dl class="mt-6 grid gap-4 rounded-xl border border-slate-200 p-4 sm:grid-cols-4">
                <div><dt class="text-sm text-slate-700">"Modalité"</dt><dd class="font-semibold">{modality_label(&card.modality)}</dd></div>
                <div><dt class="text-sm text-slate-700">"Durée"</dt><dd class="font-semibold">{format!("{} heures", card.duration_hours)}</dd></div>
                <div><dt class="text-sm text-slate-700">"Prix"</dt><dd class="font-semibold">{price_label(card.price_cents)}</dd></div>
                <div><dt class="text-sm text-slate-700">"CPF"</dt><dd class="font-semibold">{if card.cpf_eligible { "Éligible" } else { "Non éligible" }}</dd></div>
            </dl>
            {(viewer != Viewer::Other && viewer != Viewer::Anonymous).then(|| view! {
                <ActionForm action=save attr:class="mt-4">
                    <SaveButton field="training_id" id=training_id saved saved_label="★ Formation sauvegardée"/>
                </ActionForm>
            })}
            <div class="mt-8 grid gap-10 lg:grid-cols-[1fr_20rem]">
                <div>
                    {certification.map(|c| view! { <p class="font-semibold text-slate-900">{c}</p> })}
                    <section class="prose prose-slate mt-6 max-w-none" inner_html=detail.description_html.clone()></section>
                    {(!detail.objectives.is_empty()).then(|| view! {
                        <h2 class="mt-8 text-2xl font-bold">"Objectifs"</h2>
                        <p class="mt-2 whitespace-pre-line text-slate-800">{detail.objectives.clone()}</p>
                    })}
                    {(!detail.prerequisites.is_empty()).then(|| view! {
                        <h2 class="mt-8 text-2xl font-bold">"Prérequis"</h2>
                        <p class="mt-2 whitespace-pre-line text-slate-800">{detail.prerequisites.clone()}</p>
                    })}
                    {(!detail.skills.is_empty()).then(|| view! {
                        <h2 class="mt-8 text-2xl font-bold">"Compétences"</h2>
                        <ul class="mt-3 flex flex-wrap gap-2">
                            {detail.skills.iter().map(|s| view! {
                                <li><a class="rounded-full bg-slate-100 px-3 py-1 text-sm hover:underline"
                                    href=SearchQuery::with(Scope::Trainings, s, &[]).href()>{s.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                    {(!detail.funding.is_empty() || detail.cpf_link.is_some()).then(|| view! {
                        <h2 class="mt-8 text-2xl font-bold">"Financements possibles"</h2>
                        <p class="mt-2 text-slate-800">{detail.funding.join(" · ")}</p>
                        {detail.cpf_link.clone().map(|link| view! {
                            <p class="mt-3">
                                <a href=link rel="external noopener" target="_blank" class="btn-secondary" data-cpf-link="">
                                    "Voir cette formation sur Mon Compte Formation"<span class="sr-only">" (nouvel onglet)"</span>
                                </a>
                            </p>
                        })}
                    })}
                    <h2 class="mt-8 text-2xl font-bold">"Lieux"</h2>
                    <p class="mt-2 text-slate-800">
                        {if detail.place_list.is_empty() { "Formation à distance".to_owned() } else {
                            detail.place_list.iter().map(|p| format!("{} ({})", p.name, p.departement_name)).collect::<Vec<_>>().join(" · ")
                        }}
                    </p>
                    {related_offers.run()}
                </div>
                <aside aria-labelledby="sessions-titre" class="h-fit rounded-xl border border-slate-200 p-4">
                    <h2 id="sessions-titre" class="text-xl font-bold">{if rolling { "Entrée permanente" } else { "Prochaines sessions" }}</h2>
                    {move || match viewer {
                        Viewer::Anonymous => view! {
                            <p class="mt-3 text-slate-700">"Connectez-vous avec un compte candidat pour demander votre inscription."</p>
                            <a href=sign_in.clone() class="btn-primary mt-3 inline-block">"Se connecter pour s'inscrire"</a>
                        }.into_any(),
                        Viewer::Candidate { verified: false } => view! {
                            <p class="mt-3 text-slate-700">"Confirmez votre adresse e-mail (lien reçu à l'inscription) pour demander une inscription."</p>
                        }.into_any(),
                        _ => ().into_any(),
                    }}
                    {if rolling {
                        view! { <EnrolmentForm action=enrol training_id session=None label="Entrée permanente".to_owned() viewer requested=requested.contains(&None)/> }.into_any()
                    } else if detail.sessions.is_empty() {
                        view! { <p class="mt-3 text-slate-700">"Aucune session programmée pour le moment."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="mt-3 space-y-4">
                                {detail.sessions.iter().map(|s| {
                                    let label = format!("Du {} au {}", french_date(&s.starts_on), french_date(&s.ends_on));
                                    view! {
                                        <li class="border-t border-slate-200 pt-3">
                                            <p class="font-semibold">{label.clone()}</p>
                                            <p class="text-sm text-slate-700">{format!("{} places", s.seats)}</p>
                                            <EnrolmentForm action=enrol training_id session=Some(s.id) label viewer requested=requested.contains(&Some(s.id))/>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </aside>
            </div>
        </ItemPage>
    }
    .into_any()
}
