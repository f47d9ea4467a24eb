//! The dashboard page listing what an organisation publishes: a centre's
//! trainings (`/tableau-de-bord/formations`), a company's offers
//! (`/tableau-de-bord/offres`). Each domain draws its own table rows.

use super::profile::OrgKind;
use crate::{base::error::AppError, base::seo::Seo, identity::auth::pages::access_error};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// What the listing page says, by kind.
#[derive(Clone, Copy)]
struct Texts {
    title: &'static str,
    description: &'static str,
    path: &'static str,
    new_label: &'static str,
    pending: &'static str,
    empty: &'static str,
    columns: [&'static str; 5],
}

impl OrgKind {
    fn listing_texts(self) -> Texts {
        match self {
            Self::Centre => Texts {
                title: "Mes formations",
                description: "Gérer les formations du centre.",
                path: "/tableau-de-bord/formations",
                new_label: "Nouvelle formation",
                pending: "Votre centre attend la validation de l'équipe Passerelle : vos formations publiées seront visibles dès qu'il sera approuvé.",
                empty: "Aucune formation pour l'instant.",
                columns: [
                    "Formation",
                    "Statut",
                    "Vues",
                    "Demandes",
                    "Sessions à venir",
                ],
            },
            Self::Entreprise => Texts {
                title: "Mes offres d'emploi",
                description: "Gérer les offres d'emploi de l'entreprise.",
                path: "/tableau-de-bord/offres",
                new_label: "Nouvelle offre",
                pending: "Votre entreprise attend la validation de l'équipe Passerelle : vos offres publiées seront visibles dès qu'elle sera approuvée.",
                empty: "Aucune offre pour l'instant.",
                columns: ["Offre", "Statut", "Vues", "Candidatures", "Expire le"],
            },
        }
    }
}

/// A loaded listing: the organisation's name, whether it is approved, and
/// the table's rows.
pub struct Listing {
    pub name: String,
    pub approved: bool,
    pub rows: Vec<AnyView>,
}

/// The page: navigation, title, the "new" link, `children` (the actions'
/// errors), then the table `rows` draws from what `data` loaded. A
/// duplicate (`duplicated`) opens the copy's form.
#[component]
pub fn ListingDashboard<D, R>(
    kind: OrgKind,
    data: Resource<Result<D, AppError>>,
    #[prop(into)] duplicated: Signal<Option<Result<i64, AppError>>>,
    rows: R,
    children: Children,
) -> impl IntoView
where
    D: Clone + serde::Serialize + for<'de> serde::Deserialize<'de> + Send + Sync + 'static,
    R: Fn(D) -> Listing + Clone + Send + Sync + 'static,
{
    let texts = kind.listing_texts();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(copy)) = duplicated.get() {
            navigate(&format!("{}/{copy}", texts.path), Default::default());
        }
    });
    view! {
        <Seo title=texts.title description=texts.description path=texts.path noindex=true/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            {match kind {
                OrgKind::Centre => view! { <crate::ui::nav::CentreNav/> }.into_any(),
                OrgKind::Entreprise => view! { <crate::ui::nav::CompanyNav/> }.into_any(),
            }}
            <div class="flex flex-wrap items-center justify-between gap-4">
                <h1 class="text-3xl font-extrabold text-slate-900">{texts.title}</h1>
                <a href=format!("{}/nouvelle", texts.path) class="btn-primary">{texts.new_label}</a>
            </div>
            {children()}
            <Suspense fallback=|| view! { <p class="mt-6" aria-busy="true">"Chargement…"</p> }>
                {move || data.get().map(|result| match result {
                    Err(error) => access_error(error).into_any(),
                    Ok(loaded) => {
                        let listing = rows(loaded);
                        view! {
                            <p class="mt-2 text-slate-700">{listing.name}</p>
                            {(!listing.approved).then(|| view! {
                                <p class="mt-4 rounded-lg bg-amber-50 p-4 text-amber-900" role="status">{texts.pending}</p>
                            })}
                            {if listing.rows.is_empty() {
                                view! { <p class="mt-6 text-slate-700">{texts.empty}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="mt-6 overflow-x-auto">
                                    <table class="w-full text-left text-sm">
                                        <thead class="border-b border-slate-300 text-slate-700">
                                            <tr>
                                                {texts.columns.iter().map(|column| view! { <th scope="col" class="py-2 pr-4">{*column}</th> }).collect_view()}
                                                <th scope="col" class="py-2">"Actions"</th>
                                            </tr>
                                        </thead>
                                        <tbody>{listing.rows}</tbody>
                                    </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
