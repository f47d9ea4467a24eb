//! Organisation profiles, shared by centres de formation and entreprises:
//! the form their members edit, its checks, the logo, and what the public
//! pages (`/centres/{slug}`, `/entreprises/{slug}`) show of it. Fields that
//! belong to one kind only (NDA and Qualiopi for centres; sector, size and
//! other sites for companies) are ignored for the other.

#[cfg(feature = "ssr")]
use crate::identity::auth::Permission;
use crate::{
    base::error::AppError,
    base::places::CommuneInput,
    base::seo::Seo,
    base::site::Site,
    identity::auth::pages::access_error,
    ui::form::{Field, FormError, action_error, reloaded_after},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Company sizes (number of employees), as stored in `organisations.size_band`.
pub const SIZE_BANDS: [(&str, &str); 5] = [
    ("1-9", "1 à 9 salariés"),
    ("10-49", "10 à 49 salariés"),
    ("50-249", "50 à 249 salariés"),
    ("250-999", "250 à 999 salariés"),
    ("1000-plus", "1 000 salariés et plus"),
];

/// A company's other sites besides its head office, as the form names them.
pub const SITE_FIELDS: [&str; 5] = [
    "profile[site_1]",
    "profile[site_2]",
    "profile[site_3]",
    "profile[site_4]",
    "profile[site_5]",
];

/// `organisations.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    Centre,
    Entreprise,
}

impl OrgKind {
    pub fn from_db(value: &str) -> Option<Self> {
        [Self::Centre, Self::Entreprise]
            .into_iter()
            .find(|kind| kind.as_db() == value)
    }

    /// `organisations.kind`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Centre => "centre",
            Self::Entreprise => "entreprise",
        }
    }

    /// What the back office calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Centre => "Centre de formation",
            Self::Entreprise => "Entreprise",
        }
    }

    /// Where its members edit the profile.
    pub fn dashboard_path(self) -> &'static str {
        match self {
            Self::Centre => "/tableau-de-bord/centre",
            Self::Entreprise => "/tableau-de-bord/entreprise",
        }
    }

    /// The public page of the organisation `slug`.
    pub fn public_path(self, slug: &str) -> String {
        match self {
            Self::Centre => format!("/centres/{slug}"),
            Self::Entreprise => format!("/entreprises/{slug}"),
        }
    }

    /// The photo upload's endpoint (a plain multipart form posts there).
    pub fn photo_endpoint(self) -> &'static str {
        match self {
            Self::Centre => "/api/centre/photos",
            Self::Entreprise => "/api/entreprise/photos",
        }
    }

    /// The logo upload's endpoint (a plain multipart form posts there).
    pub fn logo_endpoint(self) -> &'static str {
        match self {
            Self::Centre => "/api/centre/logo",
            Self::Entreprise => "/api/entreprise/logo",
        }
    }

    /// The public listing its page links back to: name and path.
    pub fn listing(self) -> (&'static str, &'static str) {
        match self {
            Self::Centre => ("Formations", "/formations"),
            Self::Entreprise => ("Offres d'emploi", "/offres"),
        }
    }

    /// The public page's description when the organisation wrote none.
    pub fn default_description(self, name: &str) -> String {
        match self {
            Self::Centre => {
                format!("{name} : centre de formation, ses formations et ses prochaines sessions.")
            }
            Self::Entreprise => format!("{name} recrute : ses offres d'emploi sur Passerelle."),
        }
    }

    /// What the public page says under the heading when it lists nothing
    /// (a centre's page says nothing).
    pub fn empty_listing(self) -> Option<&'static str> {
        match self {
            Self::Centre => None,
            Self::Entreprise => Some("Aucune offre en ligne pour le moment."),
        }
    }
}

/// What a public organisation page loads: the organisation and the cards
/// it lists (a company's offers, a centre's trainings).
pub trait PublicListing:
    Clone + Serialize + for<'de> Deserialize<'de> + Send + Sync + 'static
{
    /// The organisation, the cards shown and how many there are in all.
    fn into_parts(self) -> (PublicOrganisation, Vec<AnyView>, i64);
}

/// What `/entreprises/{slug}` and `/centres/{slug}` load: the organisation
/// and the cards it lists (a company's live offers, a centre's trainings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationCards<C> {
    pub organisation: PublicOrganisation,
    /// The newest [`CARDS_SHOWN`] of them.
    pub cards: Vec<C>,
    /// How many there are in all.
    pub total: i64,
}

/// The cards a public organisation page shows: a company with thousands of
/// live offers still renders in a few milliseconds.
pub const CARDS_SHOWN: i64 = 24;

impl<C: crate::ui::search::ResultCard> PublicListing for OrganisationCards<C> {
    fn into_parts(self) -> (PublicOrganisation, Vec<AnyView>, i64) {
        let cards = self
            .cards
            .into_iter()
            .map(crate::ui::search::ResultCard::view)
            .collect();
        (self.organisation, cards, self.total)
    }
}

/// The endpoints of an organisation kind that publishes `$Card`s: its logo
/// upload (field `fichier`), its photo upload (fields `alt` and `fichier`)
/// and its public page's data, the cards read by `$cards(pool, organisation id)`.
// rustfmt indents the multi-line attribute further on every run.
#[rustfmt::skip]
macro_rules! organisation_endpoints {
    (
        $kind:expr,
        logo: $logo_endpoint:tt => $upload:ident,
        photos: $photo_endpoint:tt => $add_photo:ident,
        page: $page_endpoint:tt => $load:ident,
        cards: $Card:ty = $cards:path $(,)?
    ) => {
        /// Replaces the organisation's logo (field `fichier`).
        #[leptos::server(
            prefix = "/api",
            endpoint = $logo_endpoint,
            input = leptos::server_fn::codec::MultipartFormData
        )]
        pub async fn $upload(
            data: leptos::server_fn::codec::MultipartData,
        ) -> Result<$crate::base::media::ImageRef, $crate::base::error::AppError> {
            $crate::organisations::profile::ssr::upload_logo($kind, data).await
        }

        /// Adds a photo to the organisation's page (fields `alt` and `fichier`).
        #[leptos::server(
            prefix = "/api",
            endpoint = $photo_endpoint,
            input = leptos::server_fn::codec::MultipartFormData
        )]
        pub async fn $add_photo(
            data: leptos::server_fn::codec::MultipartData,
        ) -> Result<$crate::organisations::photos::Photo, $crate::base::error::AppError> {
            $crate::organisations::photos::ssr::upload($kind, data).await
        }

        /// The approved organisation and its cards.
        #[leptos::server(prefix = "/api", endpoint = $page_endpoint)]
        pub async fn $load(
            slug: String,
        ) -> Result<
            $crate::organisations::profile::OrganisationCards<$Card>,
            $crate::base::error::AppError,
        > {
            let (organisation, (cards, total)) = $crate::organisations::profile::ssr::public_with(
                $kind,
                slug,
                |pool, id| async move {
                    $cards(&pool, id, $crate::organisations::profile::CARDS_SHOWN).await
                },
            )
            .await?;
            Ok($crate::organisations::profile::OrganisationCards {
                organisation,
                cards,
                total,
            })
        }
    };
}
pub(crate) use organisation_endpoints;

/// The profile form as posted (`profile[name]`…).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationProfile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub address: String,
    /// Head office, "Lyon (69001)" as typed or shown.
    #[serde(default)]
    pub commune: String,
    /// Centres: numéro de déclaration d'activité.
    #[serde(default)]
    pub nda: String,
    /// Centres: checkbox, present when ticked.
    #[serde(default)]
    pub qualiopi: Option<String>,
    /// Companies: sector of activity.
    #[serde(default)]
    pub sector: String,
    /// Companies: one of [`SIZE_BANDS`] or empty.
    #[serde(default)]
    pub size_band: String,
    /// Companies: other sites (communes), up to five.
    #[serde(default)]
    pub site_1: String,
    #[serde(default)]
    pub site_2: String,
    #[serde(default)]
    pub site_3: String,
    #[serde(default)]
    pub site_4: String,
    #[serde(default)]
    pub site_5: String,
    /// A video on YouTube, Vimeo or Dailymotion (`https://`), linked from the page.
    #[serde(default)]
    pub video_url: String,
}

impl OrganisationProfile {
    pub fn sites(&self) -> [&String; 5] {
        [
            &self.site_1,
            &self.site_2,
            &self.site_3,
            &self.site_4,
            &self.site_5,
        ]
    }
}

/// What the dashboard's profile page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub slug: String,
    pub siret: String,
    pub status: super::OrgStatus,
    pub profile: OrganisationProfile,
    /// A new name waiting for an admin (the approved one stays public meanwhile).
    pub pending_name: Option<String>,
    /// Owners may rename the organisation; members edit the rest.
    pub owner: bool,
    /// Why an admin refused it, while it is refused.
    pub refusal: Option<String>,
    pub photos: Vec<super::photos::Photo>,
}

/// An approved organisation as its public page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOrganisation {
    pub kind: OrgKind,
    pub slug: String,
    pub logo: Option<crate::base::media::ImageRef>,
    pub profile: OrganisationProfile,
    pub siret: String,
    pub region: Option<String>,
    /// Companies' other sites, "Lyon (69001)".
    pub sites: Vec<String>,
    pub photos: Vec<super::photos::Photo>,
}

#[server(prefix = "/api", endpoint = "organisation/fiche")]
pub async fn load_organisation_profile(kind: OrgKind) -> Result<ProfileForm, AppError> {
    ssr::with_member(
        kind,
        Permission::OrganisationEdit,
        |pool, user, org| async move {
            let loaded = ssr::load(&pool, org).await?;
            let standing = ssr::standing(&pool, org, user.id).await?;
            let refused = loaded.status == crate::organisations::OrgStatus::Rejected;
            let photos = crate::organisations::photos::ssr::of(&pool, org).await?;
            Ok(ProfileForm {
                slug: loaded.slug,
                siret: loaded.siret,
                status: loaded.status,
                profile: loaded.profile,
                pending_name: standing.pending_name,
                owner: standing.owner,
                refusal: refused.then_some(loaded.rejection_reason),
                photos,
            })
        },
    )
    .await
}

#[server(prefix = "/api", endpoint = "organisation/fiche/enregistrer")]
pub async fn save_organisation_profile(
    kind: OrgKind,
    profile: OrganisationProfile,
) -> Result<(), AppError> {
    ssr::with_member(
        kind,
        Permission::OrganisationEdit,
        |pool, user, org| async move {
            ssr::save(&pool, ssr::Editor::Member(&user), org, kind, &profile).await?;
            crate::base::forms::redirect_plain_form(kind.dashboard_path());
            Ok(())
        },
    )
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{OrgKind, OrganisationProfile, PublicOrganisation, SIZE_BANDS};
    use crate::{
        base::error::AppError,
        identity::auth::{AuthUser, Permission},
    };
    use sqlx::PgPool;

    /// The signed-in member holding `permission`, and their organisation of
    /// `kind` (403 for anyone else).
    pub async fn require_member(
        pool: &PgPool,
        kind: OrgKind,
        permission: Permission,
    ) -> Result<(AuthUser, i64), AppError> {
        let user = crate::identity::auth::ssr::require_permission(pool, permission).await?;
        let org = sqlx::query_scalar!(
            "SELECT o.id FROM memberships m JOIN organisations o ON o.id = m.organisation_id
             WHERE m.user_id = $1 AND o.kind = $2 ORDER BY o.id LIMIT 1",
            user.id,
            kind.as_db()
        )
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::Forbidden)?;
        Ok((user, org))
    }

    /// An organisation's row as its pages need it.
    pub struct Loaded {
        pub kind: OrgKind,
        pub slug: String,
        pub profile: OrganisationProfile,
        pub siret: String,
        pub status: crate::organisations::OrgStatus,
        /// The reason of the last refusal ('' if none).
        pub rejection_reason: String,
        pub region: Option<String>,
        pub logo_media_id: Option<i64>,
    }

    pub async fn load(pool: &PgPool, org: i64) -> Result<Loaded, AppError> {
        let row = sqlx::query!(
            r#"SELECT o.kind AS "kind: OrgKind", o.slug, o.name, o.description, o.website, o.contact_email, o.contact_phone,
                      o.address, o.nda, o.qualiopi, o.siret, o.logo_media_id, o.sector, o.size_band,
                      o.video_url, o.status AS "status: crate::organisations::OrgStatus", o.rejection_reason,
                      c.name || coalesce(' (' || c.postal_codes[1] || ')', '') AS commune, c.region_name AS "region?",
                      coalesce((SELECT array_agg(s.name || coalesce(' (' || s.postal_codes[1] || ')', '') ORDER BY s.population DESC)
                                FROM organisation_places op JOIN communes s ON s.code = op.commune_code
                                WHERE op.organisation_id = o.id), '{}') AS "sites!"
               FROM organisations o LEFT JOIN communes c ON c.code = o.commune_code
               WHERE o.id = $1"#,
            org
        )
        .fetch_one(pool)
        .await?;
        let site = |i: usize| row.sites.get(i).cloned().unwrap_or_default();
        Ok(Loaded {
            kind: row.kind,
            slug: row.slug,
            profile: OrganisationProfile {
                name: row.name,
                description: row.description,
                website: row.website,
                contact_email: row.contact_email,
                contact_phone: row.contact_phone,
                address: row.address,
                commune: row.commune.unwrap_or_default(),
                nda: row.nda,
                qualiopi: row.qualiopi.then(|| "on".to_owned()),
                sector: row.sector,
                size_band: row.size_band,
                site_1: site(0),
                site_2: site(1),
                site_3: site(2),
                site_4: site(3),
                site_5: site(4),
                video_url: row.video_url,
            },
            siret: row.siret,
            status: row.status,
            rejection_reason: row.rejection_reason,
            region: row.region,
            logo_media_id: row.logo_media_id,
        })
    }

    /// The text trimmed, or a French message on `field` past `max` characters.
    pub fn check_len(field: &str, text: &str, max: usize) -> Result<String, AppError> {
        let text = text.trim();
        if text.chars().count() > max {
            return Err(AppError::invalid(
                field,
                &format!("Ce champ est trop long ({max} caractères au plus)."),
            ));
        }
        Ok(text.to_owned())
    }

    /// Where a member stands in their organisation.
    pub struct Standing {
        pub owner: bool,
        pub approved: bool,
        pub name: String,
        pub pending_name: Option<String>,
    }

    pub async fn standing(pool: &PgPool, org: i64, user: i64) -> Result<Standing, AppError> {
        sqlx::query_as!(
            Standing,
            // A suspended organisation was approved: a new name waits for
            // an admin all the same.
            r#"SELECT m.role = 'owner' AS "owner!", o.status IN ('approved', 'suspended') AS "approved!",
                      o.name, o.pending_name
               FROM organisations o JOIN memberships m ON m.organisation_id = o.id AND m.user_id = $2
               WHERE o.id = $1"#,
            org,
            user
        )
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::Forbidden)
    }

    /// Who saves a profile: one of its members, or an admin of the back
    /// office (who may rename it at once: they are who reviews names).
    pub enum Editor<'a> {
        Member(&'a AuthUser),
        Admin(&'a AuthUser),
    }

    /// Checks the profile and saves it with the company's sites, all or nothing.
    ///
    /// The name is the organisation's identity: only an owner changes it,
    /// and once the organisation is approved a new name waits for an admin
    /// (`pending_name`) while pages keep the approved one. An admin's save
    /// is journaled with the fields it changed, and refreshes the search
    /// rows (they carry the name). A refused organisation saved by one of
    /// its members goes back to the admins' queue.
    pub async fn save(
        pool: &PgPool,
        editor: Editor<'_>,
        org: i64,
        kind: OrgKind,
        profile: &OrganisationProfile,
    ) -> Result<(), AppError> {
        let requested = profile.name.trim();
        if !(2..=160).contains(&requested.chars().count()) {
            return Err(AppError::invalid(
                "name",
                "Le nom doit faire entre 2 et 160 caractères.",
            ));
        }
        let (standing, user) = match editor {
            Editor::Member(user) => (standing(pool, org, user.id).await?, user),
            Editor::Admin(admin) => {
                let standing = sqlx::query_as!(
                    Standing,
                    r#"SELECT true AS "owner!", false AS "approved!", name, pending_name
                       FROM organisations WHERE id = $1 AND kind = $2"#,
                    org,
                    kind.as_db()
                )
                .fetch_optional(pool)
                .await?
                .ok_or(AppError::NotFound)?;
                (standing, admin)
            }
        };
        // What the journal says an admin changed.
        let before = match editor {
            Editor::Admin(_) => Some(standing.name.clone()),
            Editor::Member(_) => None,
        };
        let renamed = requested != standing.name;
        if renamed && !standing.owner {
            return Err(AppError::invalid(
                "name",
                "Seul le responsable de l'organisation peut changer son nom.",
            ));
        }
        let held_for_review = renamed && standing.approved;
        let name = if held_for_review {
            standing.name.as_str()
        } else {
            requested
        };
        let description = check_len("description", &profile.description, 5_000)?;
        let website = check_len("website", &profile.website, 300)?;
        let web_address = website.starts_with("https://") || website.starts_with("http://");
        if !website.is_empty() && !web_address {
            return Err(AppError::invalid(
                "website",
                "L'adresse du site commence par https://",
            ));
        }
        let contact_email = check_len("contact_email", &profile.contact_email, 254)?;
        if !contact_email.is_empty() && !email_address::EmailAddress::is_valid(&contact_email) {
            return Err(AppError::invalid(
                "contact_email",
                "Adresse e-mail invalide.",
            ));
        }
        let contact_phone = check_len("contact_phone", &profile.contact_phone, 30)?;
        if !contact_phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +.()-".contains(c))
        {
            return Err(AppError::invalid(
                "contact_phone",
                "Numéro de téléphone invalide.",
            ));
        }
        let address = check_len("address", &profile.address, 300)?;
        let video_url = crate::organisations::photos::ssr::check_video_url(&profile.video_url)?;
        let commune =
            crate::base::places::ssr::code_if_given(pool, &profile.commune, "commune").await?;
        // Kind-specific fields: `None` leaves the column as it is.
        let (mut nda, mut qualiopi, mut sector, mut size_band) = (None, None, None, None);
        let mut sites = Vec::new();
        match kind {
            OrgKind::Centre => {
                let digits: String = profile.nda.chars().filter(|c| !c.is_whitespace()).collect();
                if !digits.is_empty()
                    && (digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()))
                {
                    return Err(AppError::invalid(
                        "nda",
                        "Le numéro de déclaration d'activité compte 11 chiffres.",
                    ));
                }
                nda = Some(digits);
                qualiopi = Some(profile.qualiopi.is_some());
            }
            OrgKind::Entreprise => {
                sector = Some(check_len("sector", &profile.sector, 80)?);
                let band = profile.size_band.trim();
                if !band.is_empty() && !SIZE_BANDS.iter().any(|(v, _)| *v == band) {
                    return Err(AppError::invalid("size_band", "Choisissez une taille."));
                }
                size_band = Some(band.to_owned());
                for (i, text) in profile.sites().into_iter().enumerate() {
                    let field = format!("site_{}", i + 1);
                    let place = crate::base::places::ssr::code_if_given(pool, text, &field).await?;
                    if let Some(code) = place.filter(|code| !sites.contains(code)) {
                        sites.push(code);
                    }
                }
            }
        }
        let mut tx = pool.begin().await?;
        sqlx::query!(
            "UPDATE organisations SET name = $2, description = $3, website = $4, contact_email = $5,
                contact_phone = $6, address = $7, commune_code = $8, nda = coalesce($9, nda),
                qualiopi = coalesce($10, qualiopi), sector = coalesce($11, sector),
                size_band = coalesce($12, size_band), video_url = $13, updated_at = now()
             WHERE id = $1",
            org,
            name,
            description,
            website,
            contact_email,
            contact_phone,
            address,
            commune,
            nda,
            qualiopi,
            sector,
            size_band,
            video_url
        )
        .execute(&mut *tx)
        .await?;
        if let Editor::Member(member) = editor {
            // A refused organisation, corrected by its members, goes back
            // to the admins' queue (the reason stays there for them).
            let resubmitted = sqlx::query_scalar!(
                "UPDATE organisations SET status = 'pending' WHERE id = $1 AND status = 'rejected'
                 RETURNING name",
                org
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(name) = resubmitted {
                crate::identity::auth::ssr::audit(
                    &mut *tx,
                    Some(member.id),
                    "organisation.resubmitted",
                    &crate::identity::auth::ssr::request_meta(),
                    serde_json::json!({ "organisation": org, "organisation_name": name }),
                )
                .await?;
            }
        }
        if held_for_review {
            sqlx::query!(
                "UPDATE organisations SET pending_name = $2 WHERE id = $1",
                org,
                requested
            )
            .execute(&mut *tx)
            .await?;
            crate::identity::auth::ssr::audit(
                &mut *tx,
                Some(user.id),
                "organisation.rename_requested",
                &crate::identity::auth::ssr::request_meta(),
                serde_json::json!({ "organisation": org, "from": standing.name, "to": requested }),
            )
            .await?;
        }
        if let Some(before) = before {
            if renamed {
                // An admin's new name replaces any name still waiting.
                sqlx::query!(
                    "UPDATE organisations SET pending_name = NULL WHERE id = $1",
                    org
                )
                .execute(&mut *tx)
                .await?;
                super::super::refresh_search(&mut tx, org).await?;
            }
            crate::identity::auth::ssr::audit(
                &mut *tx,
                Some(user.id),
                "organisation.edited",
                &crate::identity::auth::ssr::request_meta(),
                crate::identity::auth::ssr::by_admin(
                    user,
                    if renamed {
                        serde_json::json!({
                            "organisation": org,
                            "before": { "nom": before },
                            "after": { "nom": name },
                        })
                    } else {
                        serde_json::json!({ "organisation": org })
                    },
                ),
            )
            .await?;
        }
        if kind == OrgKind::Entreprise {
            sqlx::query!(
                "DELETE FROM organisation_places WHERE organisation_id = $1",
                org
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "INSERT INTO organisation_places (organisation_id, commune_code)
                 SELECT $1, unnest($2::text[])",
                org,
                &sites
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the organisation's logo with the upload's field `fichier`,
    /// checked and re-encoded like every public image.
    ///
    /// Only a verified member of an approved organisation may upload: public
    /// files are served to everyone, and decoding costs real time and memory.
    pub async fn replace_logo(
        pool: &PgPool,
        user: &AuthUser,
        org: i64,
        data: leptos::server_fn::codec::MultipartData,
    ) -> Result<crate::base::media::ImageRef, AppError> {
        crate::identity::auth::ssr::require_verified(user)?;
        let approved = sqlx::query_scalar!(
            r#"SELECT status = 'approved' AS "approved!" FROM organisations WHERE id = $1"#,
            org
        )
        .fetch_one(pool)
        .await?;
        if !approved {
            return Err(AppError::invalid(
                "fichier",
                "Vous pourrez ajouter un logo dès que notre équipe aura validé votre organisation.",
            ));
        }
        let (logo, _) = crate::base::media::ssr::receive_image(pool, Some(user.id), data).await?;
        sqlx::query!(
            "UPDATE organisations SET logo_media_id = $2, updated_at = now() WHERE id = $1",
            org,
            logo.id
        )
        .execute(pool)
        .await?;
        Ok(logo)
    }

    /// Runs `body` with the pool and the organisation of the signed-in
    /// member of `kind` holding `permission` (with a verified address too
    /// when `verified`).
    pub async fn as_member<T, Fut>(
        kind: OrgKind,
        permission: Permission,
        verified: bool,
        body: impl FnOnce(PgPool, i64) -> Fut,
    ) -> Result<T, AppError>
    where
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        with_member(kind, permission, |pool, user, org| async move {
            if verified {
                crate::identity::auth::ssr::require_verified(&user)?;
            }
            body(pool, org).await
        })
        .await
    }

    /// Runs `body` with the pool, the signed-in member of `kind` holding
    /// `permission`, and that member's organisation.
    pub async fn with_member<T, Fut>(
        kind: OrgKind,
        permission: Permission,
        body: impl FnOnce(PgPool, AuthUser, i64) -> Fut,
    ) -> Result<T, AppError>
    where
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        crate::base::db::with_pool(|pool| async move {
            let (user, org) = require_member(&pool, kind, permission).await?;
            body(pool, user, org).await
        })
        .await
    }

    /// Replaces the logo of the signed-in member's organisation of `kind`
    /// (field `fichier`). A plain form post comes back to the profile page.
    pub async fn upload_logo(
        kind: OrgKind,
        data: leptos::server_fn::codec::MultipartData,
    ) -> Result<crate::base::media::ImageRef, AppError> {
        with_member(
            kind,
            Permission::OrganisationEdit,
            |pool, user, org| async move {
                let logo = replace_logo(&pool, &user, org, data).await?;
                crate::base::forms::redirect_plain_form(kind.dashboard_path());
                Ok(logo)
            },
        )
        .await
    }

    /// The approved organisation `slug` of `kind` and what `listing` finds
    /// for its id (404 when there is no such organisation).
    pub async fn public_with<T, Fut>(
        kind: OrgKind,
        slug: String,
        listing: impl FnOnce(PgPool, i64) -> Fut,
    ) -> Result<(PublicOrganisation, T), AppError>
    where
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        crate::base::db::with_read_pool(|pool| async move {
            let (id, organisation) = public(&pool, kind, &slug).await?;
            Ok((organisation, listing(pool, id).await?))
        })
        .await
    }

    /// The approved organisation `slug` of `kind` (404 otherwise) and its id.
    pub async fn public(
        pool: &PgPool,
        kind: OrgKind,
        slug: &str,
    ) -> Result<(i64, PublicOrganisation), AppError> {
        let id = sqlx::query_scalar!(
            "SELECT id FROM organisations WHERE slug = $1 AND kind = $2 AND status = 'approved'",
            slug,
            kind.as_db()
        )
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
        crate::base::audience::ssr::view(kind.as_db(), id);
        let org = load(pool, id).await?;
        let logo = match org.logo_media_id {
            Some(media) => crate::base::media::ssr::image_by_id(pool, media).await?,
            None => None,
        };
        let sites = org
            .profile
            .sites()
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
        let photos = crate::organisations::photos::ssr::of(pool, id).await?;
        Ok((
            id,
            PublicOrganisation {
                kind: org.kind,
                slug: org.slug,
                logo,
                profile: org.profile,
                siret: org.siret,
                region: org.region,
                sites,
                photos,
            },
        ))
    }
}

/// The organisation's schema.org description for its public page.
pub fn json_ld(site: &Site, org: &PublicOrganisation) -> serde_json::Value {
    let p = &org.profile;
    let kind = match org.kind {
        OrgKind::Centre => "EducationalOrganization",
        OrgKind::Entreprise => "Organization",
    };
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": kind,
        "name": p.name,
        "url": site.url(&org.kind.public_path(&org.slug)),
        "identifier": { "@type": "PropertyValue", "propertyID": "SIRET", "value": org.siret },
    });
    if let Some(map) = value.as_object_mut() {
        if !p.website.is_empty() {
            map.insert("sameAs".to_owned(), serde_json::json!(p.website));
        }
        if let Some(logo) = &org.logo {
            map.insert(
                "logo".to_owned(),
                serde_json::json!(site.url(&logo.largest)),
            );
        }
        if !org.photos.is_empty() {
            let images: Vec<_> = org
                .photos
                .iter()
                .map(|photo| site.url(&photo.image.largest))
                .collect();
            map.insert("image".to_owned(), serde_json::json!(images));
        }
        if !p.description.is_empty() {
            map.insert(
                "description".to_owned(),
                serde_json::json!(crate::base::format::truncate_words(&p.description, 300)),
            );
        }
        if !p.commune.is_empty() {
            map.insert(
                "address".to_owned(),
                serde_json::json!({
                    "@type": "PostalAddress", "streetAddress": p.address,
                    "addressLocality": p.commune, "addressCountry": "FR",
                }),
            );
        }
        if !org.sites.is_empty() {
            let places: Vec<_> = org
                .sites
                .iter()
                .map(|s| serde_json::json!({ "@type": "Place", "address": { "@type": "PostalAddress", "addressLocality": s, "addressCountry": "FR" } }))
                .collect();
            map.insert("location".to_owned(), serde_json::json!(places));
        }
    }
    value
}

/// The head of a public organisation page: logo, name, place, presentation
/// and contact details.
#[component]
pub fn OrganisationSummary(org: PublicOrganisation) -> impl IntoView {
    let p = org.profile;
    let size =
        (!p.size_band.is_empty()).then(|| crate::base::format::label_of(&SIZE_BANDS, &p.size_band));
    let subtitle = [
        (!p.sector.is_empty()).then(|| p.sector.clone()),
        (!p.commune.is_empty()).then(|| p.commune.clone()),
        org.region.clone(),
        p.qualiopi.is_some().then(|| "certifié Qualiopi".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        {org.logo.map(|logo| view! {
            <crate::base::media::ResponsiveImage image=logo alt=format!("Logo de {}", p.name) sizes="8rem"
                class="mb-4 h-24 w-auto rounded-lg object-contain" eager=true/>
        })}
        <h1 class="text-3xl font-extrabold text-slate-900">{p.name.clone()}</h1>
        <p class="mt-2 text-slate-700">{subtitle}</p>
        {(!p.description.is_empty()).then(|| view! { <p class="mt-4 whitespace-pre-line text-lg text-slate-800">{p.description.clone()}</p> })}
        <dl class="mt-6 grid gap-3 text-sm sm:grid-cols-2">
            {(!p.address.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Adresse"</dt><dd>{p.address.clone()} ", " {p.commune.clone()}</dd></div> })}
            {(!org.sites.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Autres sites"</dt><dd>{org.sites.join(", ")}</dd></div> })}
            {size.map(|size| view! { <div><dt class="text-slate-700">"Effectif"</dt><dd>{size}</dd></div> })}
            {(!p.website.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Site web"</dt><dd><a href=p.website.clone() rel="noopener nofollow" class="text-brand-700 underline">{p.website.clone()}</a></dd></div> })}
            {(!p.contact_email.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Contact"</dt><dd>{p.contact_email.clone()}</dd></div> })}
            {(!p.contact_phone.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Téléphone"</dt><dd>{p.contact_phone.clone()}</dd></div> })}
            {(!p.nda.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Déclaration d'activité"</dt><dd>{p.nda.clone()}</dd></div> })}
            <div><dt class="text-slate-700">"SIRET"</dt><dd>{org.siret.clone()}</dd></div>
        </dl>
    }
}

/// `/centres/{slug}` and `/entreprises/{slug}`: the organisation and what
/// it lists.
#[component]
pub fn PublicOrganisationPage<P, Fut>(kind: OrgKind, load: fn(String) -> Fut) -> impl IntoView
where
    P: PublicListing,
    Fut: std::future::Future<Output = Result<P, AppError>> + Send + 'static,
{
    let params = leptos_router::hooks::use_params_map();
    let page = Resource::new(move || params.read().get("slug").unwrap_or_default(), load);
    let site = crate::base::site::use_site();
    view! {
        <Suspense fallback=|| view! { <p class="mx-auto max-w-6xl px-4 py-10" aria-busy="true">"Chargement…"</p> }>
            {
                let site = site.clone();
                move || page.get().map(|result| match result {
                    Err(AppError::NotFound) => view! { <crate::ui::errors::NotFound/> }.into_any(),
                    Err(_) => view! { <crate::ui::errors::ServerError/> }.into_any(),
                    Ok(page) => {
                        let (org, cards, total) = page.into_parts();
                        let path = kind.public_path(&org.slug);
                        let name = org.profile.name.clone();
                        let description = if org.profile.description.is_empty() {
                            kind.default_description(&name)
                        } else {
                            crate::base::format::truncate_words(&org.profile.description, 160)
                        };
                        let (listing, listing_path) = kind.listing();
                        let crumbs = crate::base::seo::breadcrumb(&site, &[("Accueil", "/".to_owned()), (listing, listing_path.to_owned()), (name.as_str(), path.clone())]);
                        let org_ld = json_ld(&site, &org);
                        let shown = cards.len();
                        let (photos, video_url) = (org.photos.clone(), org.profile.video_url.clone());
                        view! {
                            <Seo title=name.clone() description path=path.clone()/>
                            <crate::base::seo::JsonLd value=org_ld/>
                            <crate::base::seo::JsonLd value=crumbs/>
                            <section class="mx-auto max-w-5xl px-4 py-10 sm:px-6">
                                <OrganisationSummary org/>
                                <super::photos::Gallery photos video_url/>
                                <h2 class="mt-10 text-2xl font-bold text-slate-900">{format!("{listing} ({total})")}</h2>
                                {kind.empty_listing().filter(|_| total == 0).map(|text| view! {
                                    <p class="mt-4 text-slate-700">{text}</p>
                                })}
                                {(total > shown as i64).then(|| view! {
                                    <p class="mt-2 text-slate-700">{format!("Affichage des {shown} premières sur {total}.")}</p>
                                })}
                                <div class="mt-4 grid gap-4">{cards}</div>
                            </section>
                        }.into_any()
                    }
                })
            }
        </Suspense>
    }
}

pub const FORM_FIELDS: &[&str] = &[
    "name",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "address",
    "commune",
    "nda",
    "sector",
    "size_band",
    "site_1",
    "site_2",
    "site_3",
    "site_4",
    "site_5",
    "video_url",
];

/// The fields of a profile form (`profile[…]`), as `kind` has them, filled
/// with `profile`: the members' page and the back office both post them.
#[component]
pub fn ProfileFields(
    kind: OrgKind,
    profile: OrganisationProfile,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let name_label = match kind {
        OrgKind::Centre => "Nom du centre",
        OrgKind::Entreprise => "Nom de l'entreprise",
    };
    view! {
        <Field label=name_label name="profile[name]" value=profile.name.clone() error/>
        <div>
            <label for="champ-description" class="block text-sm font-semibold text-slate-900">"Présentation"</label>
            <textarea id="champ-description" name="profile[description]" rows="6" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2.5">{crate::base::forms::textarea_text(profile.description.clone())}</textarea>
            <p class="mt-1 text-sm font-semibold text-red-800">{move || error.get().and_then(|e| e.for_field("description"))}</p>
        </div>
        {(kind == OrgKind::Entreprise).then(|| view! {
            <div class="grid gap-4 sm:grid-cols-2">
                <Field label="Secteur d'activité" name="profile[sector]" value=profile.sector.clone() error/>
                <div>
                    <label for="champ-size_band" class="block text-sm font-semibold text-slate-900">"Effectif"</label>
                    <select id="champ-size_band" name="profile[size_band]" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2.5">
                        <option value="" selected=profile.size_band.is_empty()>"Non précisé"</option>
                        {SIZE_BANDS.iter().map(|(value, label)| view! {
                            <option value=*value selected=profile.size_band == *value>{*label}</option>
                        }).collect_view()}
                    </select>
                    <p class="mt-1 text-sm font-semibold text-red-800">{move || error.get().and_then(|e| e.for_field("size_band"))}</p>
                </div>
            </div>
        })}
        <Field label="Site web" name="profile[website]" input_type="url" value=profile.website.clone() error/>
        <Field label="E-mail de contact" name="profile[contact_email]" input_type="email" value=profile.contact_email.clone() error/>
        <Field label="Téléphone" name="profile[contact_phone]" input_type="tel" value=profile.contact_phone.clone() error/>
        <Field label="Adresse" name="profile[address]" value=profile.address.clone() error/>
        <Field label="Vidéo de présentation" name="profile[video_url]" input_type="url" value=profile.video_url.clone() error
            help="Un lien https:// vers YouTube, Vimeo ou Dailymotion, affiché sur votre page publique."/>
        <CommuneInput label=if kind == OrgKind::Entreprise { "Commune du siège" } else { "Commune" } name="profile[commune]" value=profile.commune.clone() error/>
        {match kind {
            OrgKind::Centre => view! {
                <Field label="Numéro de déclaration d'activité (NDA)" name="profile[nda]" value=profile.nda.clone() error
                    help="11 chiffres, délivré par la DREETS."/>
                <label class="flex items-center gap-2 text-sm font-semibold">
                    <input type="checkbox" name="profile[qualiopi]" value="on" checked=profile.qualiopi.is_some()/>
                    "Certifié Qualiopi"
                </label>
            }.into_any(),
            OrgKind::Entreprise => {
                let sites = profile.sites().map(Clone::clone);
                view! {
                    <fieldset class="grid gap-4 sm:grid-cols-2">
                        <legend class="text-sm font-semibold text-slate-900">"Autres sites (5 au plus)"</legend>
                        {SITE_FIELDS.into_iter().zip(sites).enumerate().map(|(i, (name, value))| {
                            let label = ["Site 1", "Site 2", "Site 3", "Site 4", "Site 5"][i];
                            view! { <CommuneInput label name value error/> }
                        }).collect_view()}
                    </fieldset>
                }.into_any()
            }
        }}
    }
}

/// `/tableau-de-bord/centre` and `/tableau-de-bord/entreprise`: the profile
/// form with the logo upload.
#[component]
pub fn ProfilePage(kind: OrgKind) -> impl IntoView {
    let save = ServerAction::<SaveOrganisationProfile>::new();
    let remove_photo = ServerAction::<super::photos::RemoveOrganisationPhoto>::new();
    let data = reloaded_after([save.version(), remove_photo.version()], move || {
        load_organisation_profile(kind)
    });
    let error = action_error(save);
    let title = match kind {
        OrgKind::Centre => "Fiche du centre",
        OrgKind::Entreprise => "Fiche de l'entreprise",
    };
    view! {
        <Seo title description="Modifier la fiche publique de votre organisation." path=kind.dashboard_path() noindex=true/>
        <section class="mx-auto max-w-3xl px-4 py-10 sm:px-6">
            {match kind {
                OrgKind::Centre => view! { <crate::ui::nav::CentreNav/> }.into_any(),
                OrgKind::Entreprise => view! { <crate::ui::nav::CompanyNav/> }.into_any(),
            }}
            <h1 class="text-3xl font-extrabold text-slate-900">{title}</h1>
            <Suspense fallback=|| view! { <p aria-busy="true">"Chargement…"</p> }>
                {move || data.get().map(|result| match result {
                    Err(error) => access_error(error).into_any(),
                    Ok(form) => {
                        let profile = form.profile;
                        let public = kind.public_path(&form.slug);
                        view! {
                            <p class="mt-2 text-slate-700">"Page publique : " <a class="text-brand-700 underline" href=public.clone()>{public.clone()}</a>
                                " · SIRET " {form.siret.clone()}</p>
                            {match form.status {
                                super::OrgStatus::Approved => None,
                                super::OrgStatus::Suspended => Some("Votre organisation est suspendue par l'équipe Passerelle : sa page publique, ses offres et ses formations ne sont plus visibles. Contactez l'équipe pour en connaître le motif."),
                                super::OrgStatus::Pending => Some("Votre organisation attend la validation de l'équipe Passerelle : sa page publique sera visible dès qu'elle sera approuvée."),
                                super::OrgStatus::Rejected => None,
                            }.map(|notice| view! {
                                <p class="mt-4 rounded-lg bg-amber-50 p-4 text-amber-900" role="status">{notice}</p>
                            })}
                            {form.refusal.clone().map(|reason| view! {
                                <div class="mt-4 rounded-lg border border-red-200 bg-red-50 p-4 text-red-900" role="status" data-refused="">
                                    <p class="font-semibold">"L'équipe Passerelle n'a pas validé votre organisation."</p>
                                    <p class="mt-1">"Motif : " {reason}</p>
                                    <p class="mt-1">"Corrigez ou complétez la fiche ci-dessous, puis enregistrez-la : elle sera de nouveau soumise à notre équipe, qui vous répondra par e-mail."</p>
                                </div>
                            })}
                            {form.pending_name.clone().map(|pending| view! {
                                <p class="mt-4 rounded-lg bg-amber-50 p-4 text-amber-900" role="status">
                                    "Nouveau nom en attente de validation : « " {pending} " ». Votre page garde le nom actuel jusque-là."
                                </p>
                            })}
                            {(!form.owner).then(|| view! {
                                <p class="mt-4 text-sm text-slate-700">"Seul le responsable de l'organisation peut changer son nom."</p>
                            })}
                            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                                <p class="mt-4 rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">"Fiche enregistrée."</p>
                            })}
                            // A native multipart post: works the same with or without JavaScript.
                            <form method="post" action=kind.logo_endpoint() enctype="multipart/form-data"
                                class="mt-6 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 p-4">
                                <div>
                                    <label for="champ-logo" class="block text-sm font-semibold text-slate-900">"Logo (JPEG, PNG ou WebP, 10 Mo au plus)"</label>
                                    <input id="champ-logo" name="fichier" type="file" accept="image/jpeg,image/png,image/webp" required class="mt-1 block text-sm"/>
                                </div>
                                <button type="submit" class="btn-secondary">"Envoyer le logo"</button>
                            </form>
                            <super::photos::PhotoManager kind photos=form.photos.clone()
                                approved=form.status == super::OrgStatus::Approved remove=remove_photo/>
                            <ActionForm action=save attr:class="mt-6 space-y-5" attr:novalidate=true>
                                <input type="hidden" name="kind" value=kind.as_db()/>
                                <ProfileFields kind profile error/>
                                <FormError error fields=FORM_FIELDS/>
                                <button type="submit" class="btn-primary">
                                    {if form.refusal.is_some() { "Enregistrer et soumettre à nouveau" } else { "Enregistrer" }}
                                </button>
                            </ActionForm>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
