//! Centres de formation: the profile their members edit
//! (`/tableau-de-bord/centre`) and the public page `/centres/{slug}`.

use crate::{
    auth::pages::access_error,
    components::form::{Field, FormError, action_error},
    error::AppError,
    pages::{NotFound, errors::ServerError},
    places::CommuneInput,
    seo::{JsonLd, Seo, breadcrumb},
    site::use_site,
    trainings::{TrainingCard, pages::TrainingCardView},
};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreProfile {
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
    /// "Lyon (69001)" as typed or shown.
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub nda: String,
    #[serde(default)]
    pub qualiopi: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCentre {
    pub slug: String,
    pub logo: Option<crate::media::ImageRef>,
    pub profile: CentreProfile,
    pub siret: String,
    pub region: Option<String>,
    pub trainings: Vec<TrainingCard>,
}

#[server(prefix = "/api", endpoint = "centre/fiche")]
pub async fn load_centre_profile() -> Result<(String, CentreProfile), AppError> {
    let pool = crate::db::pool()?;
    let run = async {
        let (_, centre) =
            crate::trainings::ssr::require_centre(&pool, crate::auth::Permission::OrganisationEdit)
                .await?;
        let centre = ssr::load(&pool, centre).await?;
        Ok((centre.slug, centre.profile))
    };
    run.await.map_err(AppError::into_response_error)
}

#[server(prefix = "/api", endpoint = "centre/fiche/enregistrer")]
pub async fn save_centre_profile(profile: CentreProfile) -> Result<(), AppError> {
    let pool = crate::db::pool()?;
    let run = async {
        let (_, centre) =
            crate::trainings::ssr::require_centre(&pool, crate::auth::Permission::OrganisationEdit)
                .await?;
        ssr::save(&pool, centre, &profile).await?;
        crate::forms::redirect_plain_form("/tableau-de-bord/centre");
        Ok(())
    };
    run.await.map_err(AppError::into_response_error)
}

/// Replaces the centre's logo (field `fichier`): checked and re-encoded like
/// every public image. A plain form post comes back to the profile page.
#[server(prefix = "/api", endpoint = "centre/logo", input = MultipartFormData)]
pub async fn upload_centre_logo(data: MultipartData) -> Result<crate::media::ImageRef, AppError> {
    let pool = crate::db::pool()?;
    let run = async {
        let (user, centre) =
            crate::trainings::ssr::require_centre(&pool, crate::auth::Permission::OrganisationEdit)
                .await?;
        let storage = crate::media::ssr::storage()?;
        let file =
            crate::media::ssr::read_upload(data, "fichier", crate::media::MAX_IMAGE_BYTES).await?;
        let logo = crate::media::ssr::store_image(&pool, &storage, Some(user.id), &file).await?;
        sqlx::query!(
            "UPDATE organisations SET logo_media_id = $2, updated_at = now() WHERE id = $1",
            centre,
            logo.id
        )
        .execute(&pool)
        .await?;
        crate::forms::redirect_plain_form("/tableau-de-bord/centre");
        Ok(logo)
    };
    run.await.map_err(AppError::into_response_error)
}

#[server(prefix = "/api", endpoint = "centres/fiche")]
pub async fn load_public_centre(slug: String) -> Result<PublicCentre, AppError> {
    let pool = crate::db::pool()?;
    ssr::public(&pool, &slug)
        .await
        .map_err(AppError::into_response_error)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{CentreProfile, PublicCentre};
    use crate::error::AppError;
    use sqlx::PgPool;

    /// A centre's row as its pages need it.
    pub struct Loaded {
        pub slug: String,
        pub profile: CentreProfile,
        pub siret: String,
        pub region: Option<String>,
        pub logo_media_id: Option<i64>,
    }

    pub async fn load(pool: &PgPool, centre: i64) -> Result<Loaded, AppError> {
        let row = sqlx::query!(
            r#"SELECT o.slug, o.name, o.description, o.website, o.contact_email, o.contact_phone,
                      o.address, o.nda, o.qualiopi, o.siret, o.logo_media_id,
                      c.name || coalesce(' (' || c.postal_codes[1] || ')', '') AS commune, c.region_name AS "region?"
               FROM organisations o LEFT JOIN communes c ON c.code = o.commune_code
               WHERE o.id = $1"#,
            centre
        )
        .fetch_one(pool)
        .await?;
        Ok(Loaded {
            slug: row.slug,
            profile: CentreProfile {
                name: row.name,
                description: row.description,
                website: row.website,
                contact_email: row.contact_email,
                contact_phone: row.contact_phone,
                address: row.address,
                commune: row.commune.unwrap_or_default(),
                nda: row.nda,
                qualiopi: row.qualiopi.then(|| "on".to_owned()),
            },
            siret: row.siret,
            region: row.region,
            logo_media_id: row.logo_media_id,
        })
    }

    fn check_len(field: &str, text: &str, max: usize) -> Result<String, AppError> {
        let text = text.trim();
        if text.chars().count() > max {
            return Err(AppError::invalid(
                field,
                &format!("Ce champ est trop long ({max} caractères au plus)."),
            ));
        }
        Ok(text.to_owned())
    }

    pub async fn save(pool: &PgPool, centre: i64, profile: &CentreProfile) -> Result<(), AppError> {
        let name = profile.name.trim();
        if !(2..=160).contains(&name.chars().count()) {
            return Err(AppError::invalid(
                "name",
                "Le nom doit faire entre 2 et 160 caractères.",
            ));
        }
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
        let nda: String = profile.nda.chars().filter(|c| !c.is_whitespace()).collect();
        if !nda.is_empty() && (nda.len() != 11 || !nda.bytes().all(|b| b.is_ascii_digit())) {
            return Err(AppError::invalid(
                "nda",
                "Le numéro de déclaration d'activité compte 11 chiffres.",
            ));
        }
        let commune = if profile.commune.trim().is_empty() {
            None
        } else {
            Some(
                crate::places::ssr::resolve(pool, &profile.commune, "commune")
                    .await?
                    .code,
            )
        };
        sqlx::query!(
            "UPDATE organisations SET name = $2, description = $3, website = $4, contact_email = $5,
                contact_phone = $6, address = $7, commune_code = $8, nda = $9, qualiopi = $10,
                updated_at = now()
             WHERE id = $1",
            centre,
            name,
            description,
            website,
            contact_email,
            contact_phone,
            address,
            commune,
            nda,
            profile.qualiopi.is_some()
        )
        .execute(pool)
        .await?;
        Ok(())
    }

    pub async fn public(pool: &PgPool, slug: &str) -> Result<PublicCentre, AppError> {
        let id = sqlx::query_scalar!(
            "SELECT id FROM organisations WHERE slug = $1 AND kind = 'centre' AND status = 'approved'",
            slug
        )
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
        let centre = load(pool, id).await?;
        let trainings = crate::trainings::search::by_centre(pool, id).await?;
        let logo = match centre.logo_media_id {
            Some(media) => crate::media::ssr::image_by_id(pool, media).await?,
            None => None,
        };
        Ok(PublicCentre {
            slug: centre.slug,
            logo,
            profile: centre.profile,
            siret: centre.siret,
            region: centre.region,
            trainings,
        })
    }
}

/// `/tableau-de-bord/centre`
#[component]
pub fn CentreProfilePage() -> impl IntoView {
    let save = ServerAction::<SaveCentreProfile>::new();
    let data = Resource::new(move || save.version().get(), |_| load_centre_profile());
    let error = action_error(save);
    view! {
        <Seo title="Fiche du centre" description="Modifier la fiche publique du centre." path="/tableau-de-bord/centre" noindex=true/>
        <section class="mx-auto max-w-3xl px-4 py-10 sm:px-6">
            <crate::trainings::dashboard::CentreNav/>
            <h1 class="text-3xl font-extrabold text-slate-900">"Fiche du centre"</h1>
            <Suspense fallback=|| view! { <p aria-busy="true">"Chargement…"</p> }>
                {move || data.get().map(|result| match result {
                    Err(error) => access_error(error).into_any(),
                    Ok((slug, profile)) => view! {
                        <p class="mt-2 text-slate-700">"Page publique : " <a class="text-brand-700 underline" href=format!("/centres/{slug}")>{format!("/centres/{slug}")}</a></p>
                        {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                            <p class="mt-4 rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">"Fiche enregistrée."</p>
                        })}
                        // A native multipart post: works the same with or without JavaScript.
                        <form method="post" action="/api/centre/logo" enctype="multipart/form-data"
                            class="mt-6 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 p-4">
                            <div>
                                <label for="champ-logo" class="block text-sm font-semibold text-slate-900">"Logo (JPEG, PNG ou WebP, 10 Mo au plus)"</label>
                                <input id="champ-logo" name="fichier" type="file" accept="image/jpeg,image/png,image/webp" required class="mt-1 block text-sm"/>
                            </div>
                            <button type="submit" class="btn-secondary">"Envoyer le logo"</button>
                        </form>
                        <ActionForm action=save attr:class="mt-6 space-y-5" attr:novalidate=true>
                            <Field label="Nom du centre" name="profile[name]" value=profile.name.clone() error/>
                            <div>
                                <label for="champ-description" class="block text-sm font-semibold text-slate-900">"Présentation"</label>
                                <textarea id="champ-description" name="profile[description]" rows="6" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2.5">{profile.description.clone()}</textarea>
                                <p class="mt-1 text-sm font-semibold text-red-800">{move || error.get().and_then(|e| e.for_field("description"))}</p>
                            </div>
                            <Field label="Site web" name="profile[website]" input_type="url" value=profile.website.clone() error/>
                            <Field label="E-mail de contact" name="profile[contact_email]" input_type="email" value=profile.contact_email.clone() error/>
                            <Field label="Téléphone" name="profile[contact_phone]" input_type="tel" value=profile.contact_phone.clone() error/>
                            <Field label="Adresse" name="profile[address]" value=profile.address.clone() error/>
                            <CommuneInput label="Commune" name="profile[commune]" value=profile.commune.clone() error/>
                            <Field label="Numéro de déclaration d'activité (NDA)" name="profile[nda]" value=profile.nda.clone() error
                                help="11 chiffres, délivré par la DREETS."/>
                            <label class="flex items-center gap-2 text-sm font-semibold">
                                <input type="checkbox" name="profile[qualiopi]" value="on" checked=profile.qualiopi.is_some()/>
                                "Certifié Qualiopi"
                            </label>
                            <FormError error fields=&["name", "description", "website", "contact_email", "contact_phone", "address", "commune", "nda"]/>
                            <button type="submit" class="btn-primary">"Enregistrer"</button>
                        </ActionForm>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
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
                        let path = format!("/centres/{}", centre.slug);
                        let p = centre.profile.clone();
                        let description = if p.description.is_empty() {
                            format!("{} : centre de formation, ses formations et ses prochaines sessions.", p.name)
                        } else {
                            crate::trainings::truncate_words(&p.description, 160)
                        };
                        let mut org = serde_json::json!({
                            "@context": "https://schema.org",
                            "@type": "EducationalOrganization",
                            "name": p.name,
                            "url": site.url(&path),
                            "identifier": { "@type": "PropertyValue", "propertyID": "SIRET", "value": centre.siret },
                        });
                        if let Some(map) = org.as_object_mut() {
                            if !p.website.is_empty() {
                                map.insert("sameAs".to_owned(), serde_json::json!(p.website));
                            }
                            if let Some(logo) = &centre.logo {
                                map.insert("logo".to_owned(), serde_json::json!(site.url(&logo.largest)));
                            }
                            if !p.commune.is_empty() {
                                map.insert("address".to_owned(), serde_json::json!({
                                    "@type": "PostalAddress", "streetAddress": p.address,
                                    "addressLocality": p.commune, "addressCountry": "FR",
                                }));
                            }
                        }
                        let crumbs = breadcrumb(&site, &[("Accueil", "/".to_owned()), ("Formations", "/formations".to_owned()), (p.name.as_str(), path.clone())]);
                        view! {
                            <Seo title=p.name.clone() description path=path.clone()/>
                            <JsonLd value=org/>
                            <JsonLd value=crumbs/>
                            <section class="mx-auto max-w-5xl px-4 py-10 sm:px-6">
                                {centre.logo.clone().map(|logo| view! {
                                    <crate::media::ResponsiveImage image=logo alt=format!("Logo de {}", p.name) sizes="8rem"
                                        class="mb-4 h-24 w-auto rounded-lg object-contain" eager=true/>
                                })}
                                <h1 class="text-3xl font-extrabold text-slate-900">{p.name.clone()}</h1>
                                <p class="mt-2 text-slate-700">
                                    {p.commune.clone()} {centre.region.clone().map(|r| format!(" · {r}"))}
                                    {p.qualiopi.is_some().then_some(" · certifié Qualiopi")}
                                </p>
                                {(!p.description.is_empty()).then(|| view! { <p class="mt-4 whitespace-pre-line text-lg text-slate-800">{p.description.clone()}</p> })}
                                <dl class="mt-6 grid gap-3 text-sm sm:grid-cols-2">
                                    {(!p.address.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Adresse"</dt><dd>{p.address.clone()} ", " {p.commune.clone()}</dd></div> })}
                                    {(!p.website.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Site web"</dt><dd><a href=p.website.clone() rel="noopener nofollow" class="text-brand-700 underline">{p.website.clone()}</a></dd></div> })}
                                    {(!p.contact_email.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Contact"</dt><dd>{p.contact_email.clone()}</dd></div> })}
                                    {(!p.contact_phone.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Téléphone"</dt><dd>{p.contact_phone.clone()}</dd></div> })}
                                    {(!p.nda.is_empty()).then(|| view! { <div><dt class="text-slate-700">"Déclaration d'activité"</dt><dd>{p.nda.clone()}</dd></div> })}
                                    <div><dt class="text-slate-700">"SIRET"</dt><dd>{centre.siret.clone()}</dd></div>
                                </dl>
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
