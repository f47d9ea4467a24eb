//! Photos and a video link on an organisation's public page, in the spirit
//! of Welcome to the Jungle: members of an approved organisation add photos
//! (public images of the media layer, each with the description a screen
//! reader reads) and link one video on a known host. The link is never
//! embedded: the pages' content security policy loads nothing from elsewhere.

use super::profile::OrgKind;
use crate::{base::error::AppError, base::media::ImageRef};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Photos one organisation may show: a gallery, not an album.
pub const MAX_PHOTOS: i64 = 12;

/// A photo's description: one or two sentences.
pub const MAX_ALT_CHARS: usize = 200;

/// Hosts a video link may point to, and the name the page gives them.
pub const VIDEO_HOSTS: [(&str, &str); 10] = [
    ("youtube.com", "YouTube"),
    ("www.youtube.com", "YouTube"),
    ("m.youtube.com", "YouTube"),
    ("youtu.be", "YouTube"),
    ("www.youtube-nocookie.com", "YouTube"),
    ("vimeo.com", "Vimeo"),
    ("player.vimeo.com", "Vimeo"),
    ("dailymotion.com", "Dailymotion"),
    ("www.dailymotion.com", "Dailymotion"),
    ("dai.ly", "Dailymotion"),
];

/// The video host's name for a stored link ("" if it is none of ours).
pub fn video_host(url: &str) -> &'static str {
    let host = url
        .strip_prefix("https://")
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or_default();
    VIDEO_HOSTS
        .iter()
        .find(|(known, _)| host.eq_ignore_ascii_case(known))
        .map_or("", |(_, name)| name)
}

/// One photo of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub id: i64,
    pub image: ImageRef,
    /// What the photo shows, for those who cannot see it.
    pub alt: String,
}

/// Removes one of the photos of the signed-in member's organisation of `kind`.
#[server(prefix = "/api", endpoint = "organisation/photos/retirer")]
pub async fn remove_organisation_photo(kind: OrgKind, photo: i64) -> Result<(), AppError> {
    use crate::identity::auth::Permission;
    crate::organisations::profile::ssr::with_member(
        kind,
        Permission::OrganisationEdit,
        |pool, _user, org| async move {
            ssr::remove(&pool, org, photo).await?;
            crate::base::forms::redirect_plain_form(&format!("{}#photos", kind.dashboard_path()));
            Ok(())
        },
    )
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{MAX_ALT_CHARS, MAX_PHOTOS, Photo, VIDEO_HOSTS};
    use crate::{
        base::error::AppError,
        base::media::{MAX_IMAGE_BYTES, ssr::UploadedFile},
        identity::auth::AuthUser,
    };
    use sqlx::PgPool;

    /// A description is short text, not a file: refused past this many bytes.
    const MAX_ALT_BYTES: usize = 4 * MAX_ALT_CHARS;

    /// The photo form as posted: its description and its file.
    #[derive(Debug, Default)]
    pub struct PhotoForm {
        pub alt: String,
        pub file: Option<UploadedFile>,
    }

    /// Reads the photo form's fields `alt` and `fichier`, whatever their
    /// order, refusing a part past its limit as soon as it arrives.
    pub async fn read_form(
        data: leptos::server_fn::codec::MultipartData,
    ) -> Result<PhotoForm, AppError> {
        let malformed = || AppError::invalid("fichier", "Envoi de fichier mal formé : réessayez.");
        let mut form = PhotoForm::default();
        let Some(mut multipart) = data.into_inner() else {
            return Err(malformed());
        };
        while let Some(mut part) = multipart.next_field().await.map_err(|error| {
            tracing::info!(%error, "multipart body refused");
            malformed()
        })? {
            let name = part.name().unwrap_or_default().to_owned();
            let file_name =
                crate::base::media::ssr::clean_file_name(part.file_name().unwrap_or_default());
            let max = if name == "fichier" {
                MAX_IMAGE_BYTES
            } else {
                MAX_ALT_BYTES
            };
            let mut buffer = Vec::new();
            while let Some(chunk) = part.chunk().await.map_err(|_| malformed())? {
                if buffer.len() + chunk.len() > max {
                    return Err(if name == "fichier" {
                        crate::base::media::ssr::UploadError::TooLarge(
                            MAX_IMAGE_BYTES / (1024 * 1024),
                        )
                        .into()
                    } else {
                        too_long_alt()
                    });
                }
                buffer.extend_from_slice(&chunk);
            }
            match name.as_str() {
                "alt" => form.alt = String::from_utf8_lossy(&buffer).into_owned(),
                // An empty file input still sends an empty part.
                "fichier" if !buffer.is_empty() => {
                    form.file = Some(UploadedFile {
                        name: file_name,
                        bytes: bytes::Bytes::from(buffer),
                    });
                }
                _ => {}
            }
        }
        Ok(form)
    }

    fn too_long_alt() -> AppError {
        AppError::invalid(
            "alt",
            &format!("La description fait {MAX_ALT_CHARS} caractères au plus."),
        )
    }

    /// The description as stored: one line of 1 to [`MAX_ALT_CHARS`] characters.
    pub fn check_alt(alt: &str) -> Result<String, AppError> {
        let alt: String = alt
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        if alt.is_empty() {
            return Err(AppError::invalid(
                "alt",
                "Décrivez la photo en quelques mots (pour les personnes qui ne la voient pas).",
            ));
        }
        if alt.chars().count() > MAX_ALT_CHARS {
            return Err(too_long_alt());
        }
        Ok(alt)
    }

    /// The video link as stored ('' for none): `https://` on one of
    /// [`VIDEO_HOSTS`], without credentials, 300 characters at most.
    pub fn check_video_url(text: &str) -> Result<String, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(String::new());
        }
        let refused = || {
            AppError::invalid(
                "video_url",
                "Donnez le lien https:// d'une vidéo YouTube, Vimeo ou Dailymotion.",
            )
        };
        let url = url::Url::parse(text).map_err(|_| refused())?;
        let known = url
            .host_str()
            .is_some_and(|host| VIDEO_HOSTS.iter().any(|(known, _)| host == *known));
        let bare = url.username().is_empty() && url.password().is_none() && url.port().is_none();
        if url.scheme() != "https" || !known || !bare {
            return Err(refused());
        }
        let url = String::from(url);
        if url.chars().count() > 300 {
            return Err(AppError::invalid(
                "video_url",
                "Ce lien est trop long (300 caractères au plus).",
            ));
        }
        Ok(url)
    }

    /// Adds the posted photo to `org`, checked and re-encoded like every
    /// public image.
    ///
    /// Like the logo, only a verified member of an approved organisation
    /// adds photos: public files are served to everyone, and decoding costs
    /// real time and memory. The description is checked before the image is
    /// decoded, and the count again under the organisation's row lock.
    pub async fn add(
        pool: &PgPool,
        user: &AuthUser,
        org: i64,
        data: leptos::server_fn::codec::MultipartData,
    ) -> Result<Photo, AppError> {
        crate::identity::auth::ssr::require_verified(user)?;
        let standing = sqlx::query!(
            r#"SELECT status = 'approved' AS "approved!",
                      (SELECT count(*) FROM organisation_photos WHERE organisation_id = $1) AS "photos!"
               FROM organisations WHERE id = $1"#,
            org
        )
        .fetch_one(pool)
        .await?;
        if !standing.approved {
            return Err(AppError::invalid(
                "fichier",
                "Vous pourrez ajouter des photos dès que notre équipe aura validé votre organisation.",
            ));
        }
        let full = || {
            AppError::invalid(
                "fichier",
                &format!(
                    "Votre page compte déjà {MAX_PHOTOS} photos : retirez-en une avant d'en ajouter."
                ),
            )
        };
        if standing.photos >= MAX_PHOTOS {
            return Err(full());
        }
        let form = read_form(data).await?;
        let alt = check_alt(&form.alt)?;
        let file = form
            .file
            .ok_or(crate::base::media::ssr::UploadError::Missing)?;
        let storage = crate::base::media::ssr::storage()?;
        let image =
            crate::base::media::ssr::store_image(pool, &storage, Some(user.id), &file).await?;

        let mut tx = pool.begin().await?;
        sqlx::query!("SELECT id FROM organisations WHERE id = $1 FOR UPDATE", org)
            .fetch_one(&mut *tx)
            .await?;
        let count = sqlx::query_scalar!(
            r#"SELECT count(*) AS "count!" FROM organisation_photos WHERE organisation_id = $1"#,
            org
        )
        .fetch_one(&mut *tx)
        .await?;
        if count >= MAX_PHOTOS {
            return Err(full());
        }
        let id = sqlx::query_scalar!(
            "INSERT INTO organisation_photos (organisation_id, media_id, alt) VALUES ($1, $2, $3)
             ON CONFLICT (organisation_id, media_id) DO NOTHING RETURNING id",
            org,
            image.id,
            alt
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::invalid("fichier", "Cette photo est déjà sur votre page."))?;
        sqlx::query!(
            "UPDATE organisations SET updated_at = now() WHERE id = $1",
            org
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Photo { id, image, alt })
    }

    /// Adds a photo to the signed-in member's organisation of `kind` (fields
    /// `alt` and `fichier`). A plain form post comes back to the profile page.
    pub async fn upload(
        kind: super::OrgKind,
        data: leptos::server_fn::codec::MultipartData,
    ) -> Result<Photo, AppError> {
        crate::organisations::profile::ssr::with_member(
            kind,
            crate::identity::auth::Permission::OrganisationEdit,
            |pool, user, org| async move {
                let photo = add(&pool, &user, org, data).await?;
                crate::base::forms::redirect_plain_form(&format!(
                    "{}#photos",
                    kind.dashboard_path()
                ));
                Ok(photo)
            },
        )
        .await
    }

    /// Removes photo `photo` of `org` (404 if `org` has no such photo):
    /// the photo's description and the organisation's name, for the journal.
    pub async fn remove(
        db: impl sqlx::PgExecutor<'_>,
        org: i64,
        photo: i64,
    ) -> Result<(String, String), AppError> {
        let removed = sqlx::query!(
            r#"WITH gone AS (DELETE FROM organisation_photos WHERE id = $1 AND organisation_id = $2 RETURNING alt),
                    touched AS (UPDATE organisations SET updated_at = now()
                                WHERE id = $2 AND EXISTS (SELECT 1 FROM gone) RETURNING name)
               SELECT gone.alt AS "alt!", touched.name AS "name!" FROM gone, touched"#,
            photo,
            org
        )
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)?;
        Ok((removed.alt, removed.name))
    }

    /// The photos of `org`, oldest first (the order they were added in).
    pub async fn of(pool: &PgPool, org: i64) -> Result<Vec<Photo>, AppError> {
        let rows = sqlx::query!(
            "SELECT p.id, p.alt, m.id AS media_id, m.variants
             FROM organisation_photos p JOIN media m ON m.id = p.media_id AND m.visibility = 'public'
             WHERE p.organisation_id = $1 ORDER BY p.id",
            org
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let image = crate::base::media::ssr::image_ref(row.media_id, row.variants)?;
                Some(Photo {
                    id: row.id,
                    image,
                    alt: row.alt,
                })
            })
            .collect())
    }
}

/// The public page's photos and video link.
#[component]
pub fn Gallery(photos: Vec<Photo>, video_url: String) -> impl IntoView {
    if photos.is_empty() && video_url.is_empty() {
        return None;
    }
    let host = video_host(&video_url);
    Some(view! {
        <section class="mt-10" aria-labelledby="en-images">
            <h2 id="en-images" class="text-2xl font-bold text-slate-900">"En images"</h2>
            {(!video_url.is_empty()).then(|| view! {
                <p class="mt-3">
                    <a href=video_url.clone() rel="noopener nofollow" data-video="" class="btn-secondary inline-flex">
                        "Voir la vidéo" {(!host.is_empty()).then(|| format!(" ({host})"))}
                    </a>
                </p>
            })}
            <ul class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3" role="list">
                {photos.into_iter().map(|photo| view! {
                    <li>
                        <figure>
                            <crate::base::media::ResponsiveImage image=photo.image alt=photo.alt.clone()
                                sizes="(min-width: 640px) 20rem, 50vw"
                                class="aspect-[4/3] w-full rounded-lg object-cover"/>
                        </figure>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

/// The profile page's photo section: the photos with a button to remove
/// each, and the form that adds one (a native multipart post, the same
/// with or without JavaScript).
#[component]
pub fn PhotoManager(
    kind: OrgKind,
    photos: Vec<Photo>,
    /// Photos are added once the organisation is approved.
    approved: bool,
    /// The page reloads its data after each removal.
    remove: ServerAction<RemoveOrganisationPhoto>,
) -> impl IntoView {
    let upload_error = crate::ui::form::url_error_at(kind.photo_endpoint());
    let remove_error = crate::ui::form::action_error(remove);
    let field_error = |field: &str| upload_error.as_ref().and_then(|e| e.for_field(field));
    let (alt_error, file_error) = (field_error("alt"), field_error("fichier"));
    let other_error = upload_error
        .as_ref()
        .filter(|_| alt_error.is_none() && file_error.is_none())
        .map(ToString::to_string);
    let count = photos.len();
    view! {
        <section id="photos" class="mt-6 rounded-xl border border-slate-200 p-4" aria-labelledby="titre-photos">
            <h2 id="titre-photos" class="text-lg font-bold text-slate-900">{format!("Photos ({count} sur {MAX_PHOTOS})")}</h2>
            <p class="mt-1 text-sm text-slate-700">"Montrez vos locaux, vos équipes, votre quotidien : elles paraissent sur votre page publique."</p>
            <ul class="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3" role="list">
                {photos.into_iter().map(|photo| view! {
                    <li class="rounded-lg border border-slate-200 p-2" data-photo=photo.id>
                        <crate::base::media::ResponsiveImage image=photo.image alt=photo.alt.clone()
                            sizes="(min-width: 640px) 14rem, 45vw" class="aspect-[4/3] w-full rounded object-cover"/>
                        <p class="mt-1 break-words text-sm text-slate-800">{photo.alt.clone()}</p>
                        <ActionForm action=remove attr:class="mt-1">
                            <input type="hidden" name="kind" value=kind.as_db()/>
                            <input type="hidden" name="photo" value=photo.id/>
                            <button type="submit" class="text-sm font-semibold text-red-800 underline">
                                "Retirer" <span class="sr-only">{format!(" la photo « {} »", photo.alt)}</span>
                            </button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <p class="text-sm font-semibold text-red-800" role="alert">{move || remove_error.get().map(|e| e.to_string())}</p>
            {if approved {
                view! {
                    <form method="post" action=kind.photo_endpoint() enctype="multipart/form-data" class="mt-4 grid gap-3">
                        <div>
                            <label for="champ-photo-alt" class="block text-sm font-semibold text-slate-900">"Description de la photo"</label>
                            <input id="champ-photo-alt" name="alt" type="text" required maxlength=MAX_ALT_CHARS
                                aria-describedby="champ-photo-alt-aide champ-photo-alt-erreur"
                                class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2.5"/>
                            <p id="champ-photo-alt-aide" class="mt-1 text-sm text-slate-700">"Ce qu'elle montre, lu aux personnes qui ne la voient pas : « L'atelier de soudure, vu de l'entrée »."</p>
                            <p id="champ-photo-alt-erreur" class="mt-1 text-sm font-semibold text-red-800">{alt_error}</p>
                        </div>
                        <div>
                            <label for="champ-photo" class="block text-sm font-semibold text-slate-900">"Photo (JPEG, PNG ou WebP, 10 Mo au plus)"</label>
                            <input id="champ-photo" name="fichier" type="file" accept="image/jpeg,image/png,image/webp" required
                                aria-describedby="champ-photo-erreur" class="mt-1 block text-sm"/>
                            <p id="champ-photo-erreur" class="mt-1 text-sm font-semibold text-red-800">{file_error}</p>
                        </div>
                        <p class="text-sm font-semibold text-red-800" role="alert">{other_error}</p>
                        <div><button type="submit" class="btn-secondary">"Ajouter la photo"</button></div>
                    </form>
                }.into_any()
            } else {
                view! {
                    <p class="mt-3 text-sm text-slate-700">"Vous pourrez ajouter des photos dès que notre équipe aura validé votre organisation."</p>
                }.into_any()
            }}
        </section>
    }
}
