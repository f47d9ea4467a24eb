//! Centres de formation: the profile their members edit
//! (`/tableau-de-bord/centre`, shared with companies in [`crate::organisations::profile`])
//! and the public page `/centres/{slug}`.

use crate::{
    base::error::AppError,
    base::seo::{JsonLd, Seo, breadcrumb},
    base::site::use_site,
    organisations::profile::{OrgKind, OrganisationSummary, ProfilePage, PublicOrganisation},
    trainings::{TrainingCard, pages::TrainingCardView},
    ui::errors::{NotFound, ServerError},
};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCentre {
    pub organisation: PublicOrganisation,
    pub trainings: Vec<TrainingCard>,
}

/// Replaces the centre's logo (field `fichier`). A plain form post comes
/// back to the profile page.
#[server(prefix = "/api", endpoint = "centre/logo", input = MultipartFormData)]
pub async fn upload_centre_logo(
    data: MultipartData,
) -> Result<crate::base::media::ImageRef, AppError> {
    crate::base::db::with_pool(|pool| async move {
        let (user, centre) = crate::organisations::profile::ssr::require_member(
            &pool,
            OrgKind::Centre,
            crate::identity::auth::Permission::OrganisationEdit,
        )
        .await?;
        let logo =
            crate::organisations::profile::ssr::replace_logo(&pool, &user, centre, data).await?;
        crate::base::forms::redirect_plain_form(OrgKind::Centre.dashboard_path());
        Ok(logo)
    })
    .await
}

#[server(prefix = "/api", endpoint = "centres/fiche")]
pub async fn load_public_centre(slug: String) -> Result<PublicCentre, AppError> {
    crate::base::db::with_pool(|pool| async move {
        let (id, organisation) =
            crate::organisations::profile::ssr::public(&pool, OrgKind::Centre, &slug).await?;
        let trainings = crate::trainings::search::by_centre(&pool, id).await?;
        Ok(PublicCentre {
            organisation,
            trainings,
        })
    })
    .await
}

/// `/tableau-de-bord/centre`
#[component]
pub fn CentreProfilePage() -> impl IntoView {
    view! { <ProfilePage kind=OrgKind::Centre/> }
}

/// `/centres/{slug}`
#[component]
pub fn CentrePage() -> impl IntoView {
    let params = use_params_map();
    let centre = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        load_public_centre,
    );
    let site = use_site();
    view! {
        <Suspense fallback=|| view! { <p class="mx-auto max-w-6xl px-4 py-10" aria-busy="true">"Chargement…"</p> }>
            {
                let site = site.clone();
                move || centre.get().map(|result| match result {
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServerError/> }.into_any(),
                    Ok(centre) => {
                        let org = centre.organisation;
                        let path = OrgKind::Centre.public_path(&org.slug);
                        let name = org.profile.name.clone();
                        let description = if org.profile.description.is_empty() {
                            format!("{name} : centre de formation, ses formations et ses prochaines sessions.")
                        } else {
                            crate::trainings::truncate_words(&org.profile.description, 160)
                        };
                        let crumbs = breadcrumb(&site, &[("Accueil", "/".to_owned()), ("Formations", "/formations".to_owned()), (name.as_str(), path.clone())]);
                        let org_ld = crate::organisations::profile::json_ld(&site, &org);
                        view! {
                            <Seo title=name.clone() description path=path.clone()/>
                            <JsonLd value=org_ld/>
                            <JsonLd value=crumbs/>
                            <section class="mx-auto max-w-5xl px-4 py-10 sm:px-6">
                                <OrganisationSummary org/>
                                <h2 class="mt-10 text-2xl font-bold text-slate-900">{format!("Formations ({})", centre.trainings.len())}</h2>
                                <div class="mt-4 grid gap-4">
                                    {centre.trainings.into_iter().map(|card| view! { <TrainingCardView card/> }).collect_view()}
                                </div>
                            </section>
                        }.into_any()
                    }
                })
            }
        </Suspense>
    }
}
