//! Centres de formation: the endpoints of the profile their members edit
//! (`/tableau-de-bord/centre`) and of the public page `/centres/{slug}`; both
//! pages are shared with companies in [`crate::organisations::profile`].

use crate::organisations::profile::organisation_endpoints;

organisation_endpoints! {
    crate::organisations::profile::OrgKind::Centre,
    logo: "centre/logo" => upload_centre_logo,
    photos: "centre/photos" => add_centre_photo,
    page: "centres/fiche" => load_public_centre,
    cards: super::TrainingCard = super::search::by_centre,
}
