//! Public job-board pages, rendered on the server for search engines:
//! `/offres` (search with facets) and `/offres/{slug}` (JobPosting JSON-LD).

use super::{
    Contract, DIPLOMA_LEVELS, EXPERIENCE, HowToApply, OfferCard, OfferDetail, RemoteMode,
    WORKING_TIMES, label_of, offer_page, salary_label, search_offers, training_offers,
};
use crate::{
    base::format::french_date,
    base::site::{Site, use_site},
    organisations::{
        listing::{PublicListingPage, slug_param},
        profile::OrgKind,
    },
    trainings::{Viewer, pages::TrainingCardView},
    ui::search::{
        Scope, SearchPage,
        item::{CardFrame, ItemPage, SaveButton, result_card},
    },
};
use leptos::prelude::*;

/// "Lyon (69)", "Télétravail complet".
fn place_label(card: &OfferCard) -> String {
    match (&card.city, &card.departement_code) {
        (Some(city), Some(dep)) => format!("{city} ({dep})"),
        (Some(city), None) => city.clone(),
        _ => RemoteMode::Teletravail.label().to_owned(),
    }
}

/// One offer in a result list (search, company page, bridge).
#[component]
pub fn OfferCardView(card: OfferCard) -> impl IntoView {
    let href = Scope::Offers.item_path(&card.slug);
    let salary = salary_label(
        card.salary_min,
        card.salary_max,
        card.salary_unit.as_deref(),
    );
    let place = place_label(&card);
    view! {
        <CardFrame attr:data-offer-card=card.slug.clone() href title=card.title organisation=card.company_name place summary=card.excerpt>
            <ul class="mt-3 flex flex-wrap gap-2 text-xs font-semibold">
                <li class="rounded-full bg-brand-50 px-2.5 py-1 text-brand-800">{card.contract.label()}</li>
                {(card.remote != RemoteMode::Presentiel).then(|| view! { <li class="rounded-full bg-slate-100 px-2.5 py-1">{card.remote.label()}</li> })}
                {(card.working_time != "temps-plein").then(|| view! { <li class="rounded-full bg-slate-100 px-2.5 py-1">{label_of(&WORKING_TIMES, &card.working_time)}</li> })}
                {salary.map(|s| view! { <li class="rounded-full bg-emerald-100 px-2.5 py-1 text-emerald-900">{s}</li> })}
                <li class="rounded-full bg-slate-100 px-2.5 py-1">{label_of(&EXPERIENCE, &card.experience)}</li>
            </ul>
            <p class="mt-3 text-sm text-slate-700">{format!("Publiée le {}", french_date(&card.published_on))}</p>
        </CardFrame>
    }
}

result_card!(OfferCard, OfferCardView);

/// `/offres`
#[component]
pub fn OffersPage() -> impl IntoView {
    let save_search: fn(String) -> AnyView = |query| {
        view! { <crate::jobs::alerts::SaveSearchForm scope=Scope::Offers query/> }.into_any()
    };
    view! { <SearchPage scope=Scope::Offers load=search_offers save_search/> }
}

/// `/offres/{slug}`
#[component]
pub fn OfferPage() -> impl IntoView {
    let slug = slug_param();
    let save = ServerAction::<super::ToggleSavedOffer>::new();
    let lookup = Resource::new(
        move || (slug(), save.version().get()),
        |(slug, _)| offer_page(slug),
    );
    let site = use_site();
    let found = move |detail| detail_view(&site, detail, save);
    view! { <PublicListingPage kind=OrgKind::Entreprise lookup found/> }
}

/// schema.org `employmentType` values for a French contract and working time.
pub fn employment_type(contract: Contract, working_time: &str) -> Vec<&'static str> {
    let time = if working_time == "temps-partiel" {
        "PART_TIME"
    } else {
        "FULL_TIME"
    };
    contract.employment_types(time)
}

fn salary_unit_text(unit: &str) -> &'static str {
    match unit {
        "heure" => "HOUR",
        "mois" => "MONTH",
        _ => "YEAR",
    }
}

/// JobPosting as Google documents it for job search.
pub fn job_posting_json_ld(site: &Site, detail: &OfferDetail) -> serde_json::Value {
    let card = &detail.card;
    let mut organisation = serde_json::json!({
        "@type": "Organization",
        "name": detail.company.name,
        "url": site.url(&format!("/entreprises/{}", detail.company.slug)),
    });
    if let Some(map) = organisation.as_object_mut() {
        if !detail.company.website.is_empty() {
            map.insert("sameAs".to_owned(), detail.company.website.clone().into());
        }
        if let Some(logo) = &detail.company.logo {
            map.insert("logo".to_owned(), site.url(logo).into());
        }
    }
    let mut posting = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": card.title,
        "description": detail.description_html,
        "datePosted": detail.published_at,
        "validThrough": detail.valid_through,
        "employmentType": employment_type(card.contract, &card.working_time),
        "hiringOrganization": organisation,
        "directApply": detail.apply == HowToApply::Platform,
        "identifier": {
            "@type": "PropertyValue",
            "name": detail.company.name,
            "value": card.id.to_string(),
        },
        "url": site.url(&format!("/offres/{}", card.slug)),
        "totalJobOpenings": detail.openings,
    });
    let Some(map) = posting.as_object_mut() else {
        return posting;
    };
    if let Some(place) = &detail.place {
        map.insert(
            "jobLocation".to_owned(),
            serde_json::json!({
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": place.name,
                    "postalCode": place.postal_code,
                    "addressRegion": place.region_name,
                    "addressCountry": "FR",
                },
            }),
        );
    }
    if card.remote == RemoteMode::Teletravail {
        map.insert("jobLocationType".to_owned(), "TELECOMMUTE".into());
        map.insert(
            "applicantLocationRequirements".to_owned(),
            serde_json::json!({ "@type": "Country", "name": "France" }),
        );
    }
    if let (Some(min), Some(unit)) = (card.salary_min, card.salary_unit.as_deref()) {
        let mut value = serde_json::json!({
            "@type": "QuantitativeValue",
            "unitText": salary_unit_text(unit),
        });
        if let Some(v) = value.as_object_mut() {
            match card.salary_max.filter(|max| *max > min) {
                Some(max) => {
                    v.insert("minValue".to_owned(), min.into());
                    v.insert("maxValue".to_owned(), max.into());
                }
                None => {
                    v.insert("value".to_owned(), min.into());
                }
            }
        }
        map.insert(
            "baseSalary".to_owned(),
            serde_json::json!({ "@type": "MonetaryAmount", "currency": "EUR", "value": value }),
        );
    }
    if !detail.skills.is_empty() {
        let skills: Vec<&str> = detail.skills.iter().map(|s| s.name.as_str()).collect();
        map.insert("skills".to_owned(), skills.join(", ").into());
    }
    posting
}

fn detail_view(
    site: &Site,
    detail: OfferDetail,
    save: ServerAction<super::ToggleSavedOffer>,
) -> AnyView {
    let card = detail.card.clone();
    let json_ld = job_posting_json_ld(site, &detail);
    let title = format!("{} – {}", card.title, card.company_name);
    let description = format!(
        "{} · {} · {}. {}",
        card.contract.label(),
        card.company_name,
        place_label(&card),
        card.excerpt
    );
    let banner = (!detail.live).then(|| {
        if detail.status == "filled" {
            "Cette offre a été pourvue : l'entreprise ne reçoit plus de candidatures.".to_owned()
        } else {
            format!(
                "Cette offre a expiré le {} : l'entreprise ne reçoit plus de candidatures.",
                french_date(&detail.valid_through[..10])
            )
        }
    });
    let salary = salary_label(
        card.salary_min,
        card.salary_max,
        card.salary_unit.as_deref(),
    );
    let diploma = detail.diploma_level.map_or_else(
        || "Aucun diplôme exigé".to_owned(),
        |level| {
            DIPLOMA_LEVELS
                .iter()
                .find(|(l, _)| *l == level)
                .map_or_else(
                    || format!("Niveau {level}"),
                    |(_, label)| (*label).to_owned(),
                )
        },
    );
    let viewer = detail.viewer;
    let saved = detail.saved;
    let offer_id = card.id;
    let missing: Vec<i64> = detail.bridge.missing.iter().map(|s| s.id).collect();
    let personal = detail.bridge.personal;
    let apply = if !detail.live {
        None
    } else {
        Some(match &detail.apply {
            HowToApply::Website(url) => view! {
                <a href=url.clone() rel="nofollow noopener" target="_blank" class="btn-primary inline-block">
                    "Postuler sur le site de l'entreprise"
                </a>
            }
            .into_any(),
            HowToApply::Email(email) => view! {
                <p class="text-slate-800">"Envoyez votre candidature par e-mail à "
                    <a href=format!("mailto:{email}") class="font-semibold text-brand-700 underline">{email.clone()}</a>"."</p>
            }
            .into_any(),
            HowToApply::Platform => view! { <crate::candidates::applications::ApplySection offer_id/> }.into_any(),
        })
    };
    view! {
        <ItemPage scope=Scope::Offers slug=card.slug.clone() name=card.title.clone() title description noindex=!detail.live json_ld>
            {banner.map(|text| view! {
                <p class="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-4 font-semibold text-amber-900" role="status" data-offer-closed=detail.status.clone()>{text}</p>
            })}
            <h1 class="mt-4 text-3xl font-extrabold text-slate-900 sm:text-4xl">{card.title.clone()}</h1>
            <p class="mt-2 text-lg text-slate-700">
                <a href=format!("/entreprises/{}", detail.company.slug) class="font-semibold text-brand-700 hover:underline">{detail.company.name.clone()}</a>
                " · " {place_label(&card)}
            </p>
            <dl class="mt-6 grid gap-4 rounded-xl border border-slate-200 p-4 sm:grid-cols-3">
                <div><dt class="text-sm text-slate-700">"Contrat"</dt><dd class="font-semibold">{card.contract.label()} " · " {label_of(&WORKING_TIMES, &card.working_time)}</dd></div>
                <div><dt class="text-sm text-slate-700">"Lieu de travail"</dt><dd class="font-semibold">{card.remote.label()}</dd></div>
                <div><dt class="text-sm text-slate-700">"Salaire"</dt><dd class="font-semibold">{salary.unwrap_or_else(|| "Non communiqué".to_owned())}</dd></div>
                <div><dt class="text-sm text-slate-700">"Expérience"</dt><dd class="font-semibold">{label_of(&EXPERIENCE, &card.experience)}</dd></div>
                <div><dt class="text-sm text-slate-700">"Diplôme"</dt><dd class="font-semibold">{diploma}</dd></div>
                <div><dt class="text-sm text-slate-700">"Prise de poste"</dt><dd class="font-semibold">
                    {detail.start_date.as_deref().map_or_else(|| "Dès que possible".to_owned(), french_date)}
                    {(detail.openings > 1).then(|| format!(" · {} postes", detail.openings))}
                </dd></div>
            </dl>
            <p class="mt-3 text-sm text-slate-700">{format!("Publiée le {}", french_date(&card.published_on))}</p>
            {(matches!(viewer, Viewer::Candidate { .. })).then(|| view! {
                <ActionForm action=save attr:class="mt-4">
                    <SaveButton field="offer_id" id=offer_id saved saved_label="★ Offre sauvegardée"/>
                </ActionForm>
            })}
            <div class="mt-8 grid gap-10 lg:grid-cols-[1fr_20rem]">
                <div>
                    <section class="prose prose-slate max-w-none" inner_html=detail.description_html.clone()></section>
                    {(!detail.skills.is_empty()).then(|| view! {
                        <h2 class="mt-8 text-2xl font-bold">"Compétences demandées"</h2>
                        <ul class="mt-3 flex flex-wrap gap-2" data-offer-skills>
                            {detail.skills.iter().map(|s| {
                                let lacking = personal && missing.contains(&s.id);
                                view! {
                                    <li class="rounded-full bg-slate-100 px-3 py-1 text-sm" data-missing=lacking.then_some("true")>
                                        {if lacking { format!("{} · à acquérir", s.name) } else { s.name.clone() }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                    <BridgeTrainings detail=detail.clone()/>
                </div>
                <aside aria-labelledby="postuler-titre" class="h-fit rounded-xl border border-slate-200 p-4">
                    <h2 id="postuler-titre" class="text-xl font-bold">"Postuler"</h2>
                    <div class="mt-3">
                        {apply.unwrap_or_else(|| view! { <p class="text-slate-700">"Les candidatures sont closes."</p> }.into_any())}
                    </div>
                </aside>
            </div>
            <div class="mt-10">
                <crate::jobs::reports::ReportOfferForm offer_id/>
            </div>
        </ItemPage>
    }
    .into_any()
}

/// The bridge on an offer: the trainings that teach the skills the visitor lacks.
#[component]
fn BridgeTrainings(detail: OfferDetail) -> impl IntoView {
    let bridge = detail.bridge;
    if bridge.trainings.is_empty() {
        return None;
    }
    let heading = if bridge.personal {
        "Se former aux compétences qui vous manquent"
    } else {
        "Se former aux compétences demandées"
    };
    let names: Vec<String> = bridge.missing.iter().map(|s| s.name.clone()).collect();
    Some(view! {
        <section class="mt-10" aria-labelledby="passerelle-titre" data-bridge>
            <h2 id="passerelle-titre" class="text-2xl font-bold">{heading}</h2>
            <p class="mt-2 text-slate-700">{format!("Formations qui enseignent : {}.", names.join(", "))}</p>
            <div class="mt-4 grid gap-4">
                {bridge.trainings.into_iter().map(|card| view! { <TrainingCardView card/> }).collect_view()}
            </div>
        </section>
    })
}

/// The bridge on a training (`slug`): live offers that ask for its skills.
/// Their data starts loading at once; the view goes where the page puts it.
pub fn training_offers_view(slug: Signal<String>) -> ViewFn {
    let offers = Resource::new(move || slug.get(), training_offers);
    ViewFn::from(move || {
        view! {
            <Suspense fallback=|| ()>
                {move || offers.get().and_then(Result::ok).filter(|cards| !cards.is_empty()).map(|cards| view! {
                    <section class="mt-10" aria-labelledby="offres-titre" data-training-offers>
                        <h2 id="offres-titre" class="text-2xl font-bold">"Des offres d'emploi qui demandent ces compétences"</h2>
                        <div class="mt-4 grid gap-4">
                            {cards.into_iter().map(|card| view! { <OfferCardView card/> }).collect_view()}
                        </div>
                    </section>
                })}
            </Suspense>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{Contract, employment_type};

    #[test]
    fn french_contracts_map_to_schema_org() {
        assert_eq!(employment_type(Contract::Cdi, "temps-plein"), ["FULL_TIME"]);
        assert_eq!(
            employment_type(Contract::Cdi, "temps-partiel"),
            ["PART_TIME"]
        );
        assert_eq!(
            employment_type(Contract::Interim, "temps-plein"),
            ["TEMPORARY", "FULL_TIME"]
        );
        assert_eq!(employment_type(Contract::Stage, "temps-plein"), ["INTERN"]);
        assert_eq!(
            employment_type(Contract::Freelance, "temps-plein"),
            ["CONTRACTOR"]
        );
    }
}
