//! Centres de formation: the profile their members edit
//! (`/tableau-de-bord/centre`, shared with companies in [`crate::organisations::profile`])
//! and the public page `/centres/{slug}`.

use crate::{
    base::error::AppError,
    organisations::profile::{
        OrgKind, ProfilePage, PublicListing, PublicOrganisation, PublicOrganisationPage,
    },
    trainings::{TrainingCard, pages::TrainingCardView},
};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCentre {
    pub organisation: PublicOrganisation,
    pub trainings: Vec<TrainingCard>,
}

impl PublicListing for PublicCentre {
    fn into_parts(self) -> (PublicOrganisation, Vec<AnyView>) {
        let cards = self.trainings.into_iter();
        let cards = cards.map(|card| view! { <TrainingCardView card/> }.into_any());
        (self.organisation, cards.collect())
    }
}

/// Replaces the centre's logo (field `fichier`).
#[server(prefix = "/api", endpoint = "centre/logo", input = MultipartFormData)]
pub async fn upload_centre_logo(
    data: MultipartData,
) -> Result<crate::base::media::ImageRef, AppError> {
    crate::organisations::profile::ssr::upload_logo(OrgKind::Centre, data).await
}

#[server(prefix = "/api", endpoint = "centres/fiche")]
pub async fn load_public_centre(slug: String) -> Result<PublicCentre, AppError> {
    let (organisation, trainings) = crate::organisations::profile::ssr::public_with(
        OrgKind::Centre,
        slug,
        |pool, id| async move { crate::trainings::search::by_centre(&pool, id).await },
    )
    .await?;
    Ok(PublicCentre {
        organisation,
        trainings,
    })
}

/// `/tableau-de-bord/centre`
#[component]
pub fn CentreProfilePage() -> impl IntoView {
    view! { <ProfilePage kind=OrgKind::Centre/> }
}

/// `/centres/{slug}`
#[component]
pub fn CentrePage() -> impl IntoView {
    view! { <PublicOrganisationPage kind=OrgKind::Centre load=load_public_centre/> }
}
