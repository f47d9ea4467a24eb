//! The candidate's profile (`/tableau-de-bord/profil`): headline, experience,
//! skills and a PDF CV kept in the storage layer's private files. Recruiters
//! read it with the applications sent to their company. `applications`: what
//! candidates send to offers and what recruiters do with it.

pub mod applications;

#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::ui::nav::CandidateNav;
use crate::{
    base::error::AppError,
    base::seo::Seo,
    base::skills::{Skill, SkillsPicker},
    identity::auth::pages::protected,
    organisations::listing::Loaded,
    ui::form::{FormError, InputField, action_error},
};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};
use serde::{Deserialize, Serialize};

/// The profile form as posted (`input[headline]`, `input[skills][]`…).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub experience: String,
    #[serde(default)]
    pub skills: Vec<i64>,
}

/// The profile's CV, served at `/medias/prive/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CvFile {
    pub id: i64,
    pub name: String,
    /// ISO date.
    pub uploaded_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileData {
    pub verified: bool,
    pub input: ProfileInput,
    pub cv: Option<CvFile>,
    pub skills: Vec<Skill>,
}

#[server(prefix = "/api", endpoint = "candidat/profil")]
pub async fn candidate_profile() -> Result<ProfileData, AppError> {
    with_permission(Permission::ApplicationCreate, |pool, user| async move {
        ssr::load(&pool, user.id, user.email_verified).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "candidat/profil/enregistrer")]
pub async fn save_candidate_profile(input: ProfileInput) -> Result<(), AppError> {
    ssr::PROFILE
        .action(|pool, user| async move {
            crate::identity::auth::ssr::require_verified(&user)?;
            ssr::save(&pool, user.id, &input).await
        })
        .await
}

/// Replaces the profile's CV (field `fichier`, a PDF). Applications already
/// sent keep the CV they were sent with.
#[server(prefix = "/api", endpoint = "candidat/cv", input = MultipartFormData)]
pub async fn upload_cv(data: MultipartData) -> Result<i64, AppError> {
    let page = ssr::DashboardPage {
        path: "/tableau-de-bord/profil?cv=envoye",
        ..ssr::PROFILE
    };
    page.action(|pool, user| async move {
        crate::identity::auth::ssr::require_verified(&user)?;
        let storage = crate::base::media::ssr::storage()?;
        let file = crate::base::media::ssr::read_upload(
            data,
            "fichier",
            crate::base::media::ssr::MAX_DOCUMENT_BYTES,
        )
        .await?;
        let id = crate::base::media::ssr::store_private(&pool, &storage, user.id, &file).await?;
        let replaced = async {
            let mut tx = pool.begin().await?;
            let previous = ssr::set_cv(&mut tx, user.id, id).await?;
            tx.commit().await?;
            Ok::<_, AppError>(previous)
        };
        let previous = match replaced.await {
            Ok(previous) => previous,
            Err(error) => {
                ssr::forget_cv(&pool, &storage, id).await;
                return Err(error);
            }
        };
        if let Some(previous) = previous {
            ssr::forget_cv(&pool, &storage, previous).await;
        }
        Ok(id)
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{CvFile, ProfileData, ProfileInput};
    use crate::{
        base::error::AppError,
        base::media::storage::Storage,
        identity::auth::{AuthUser, Permission, ssr::with_permission},
        organisations::profile::ssr::check_len,
    };
    use sqlx::PgPool;

    /// A candidate's dashboard page (profile, applications, enrolments,
    /// alerts): the permission its actions need, and its path, where a plain
    /// form post of theirs comes back to.
    #[derive(Clone, Copy)]
    pub struct DashboardPage {
        pub permission: Permission,
        pub path: &'static str,
    }

    pub const PROFILE: DashboardPage = DashboardPage {
        permission: Permission::ApplicationCreate,
        path: "/tableau-de-bord/profil",
    };

    impl DashboardPage {
        /// A candidate's action on this page: [`with_permission`], then, once
        /// it succeeded, a plain form post goes back to the page, which shows
        /// the outcome.
        pub async fn action<T, Fut>(
            self,
            body: impl FnOnce(PgPool, AuthUser) -> Fut,
        ) -> Result<T, AppError>
        where
            Fut: std::future::Future<Output = Result<T, AppError>>,
        {
            let done = with_permission(self.permission, body).await?;
            crate::base::forms::redirect_plain_form(self.path);
            Ok(done)
        }
    }

    const MAX_HEADLINE: usize = 160;
    const MAX_EXPERIENCE: usize = 4_000;

    pub async fn load(pool: &PgPool, user: i64, verified: bool) -> Result<ProfileData, AppError> {
        let row = sqlx::query!(
            r#"SELECT p.headline, p.experience, p.cv_media_id, m.original_name AS "cv_name?",
                      to_char(m.created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS cv_on
               FROM candidate_profiles p LEFT JOIN media m ON m.id = p.cv_media_id
               WHERE p.user_id = $1"#,
            user
        )
        .fetch_optional(pool)
        .await?;
        let skills = sqlx::query_scalar!(
            "SELECT skill_id FROM candidate_skills WHERE user_id = $1 ORDER BY skill_id",
            user
        )
        .fetch_all(pool)
        .await?;
        let (input, cv) = match row {
            Some(row) => (
                ProfileInput {
                    headline: row.headline,
                    experience: row.experience,
                    skills,
                },
                row.cv_media_id.map(|id| CvFile {
                    id,
                    name: row.cv_name.unwrap_or_default(),
                    uploaded_on: row.cv_on.unwrap_or_default(),
                }),
            ),
            None => (
                ProfileInput {
                    skills,
                    ..ProfileInput::default()
                },
                None,
            ),
        };
        Ok(ProfileData {
            verified,
            input,
            cv,
            skills: crate::base::skills::ssr::all(pool).await?,
        })
    }

    /// Headline, experience and skills in one transaction.
    pub async fn save(pool: &PgPool, user: i64, input: &ProfileInput) -> Result<(), AppError> {
        let headline = check_len("headline", &input.headline, MAX_HEADLINE)?;
        let experience = check_len("experience", &input.experience, MAX_EXPERIENCE)?;
        let skills = crate::base::skills::ssr::checked(pool, &input.skills).await?;
        let mut tx = pool.begin().await?;
        sqlx::query!(
            "INSERT INTO candidate_profiles (user_id, headline, experience) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET headline = $2, experience = $3, updated_at = now()",
            user,
            headline,
            experience
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("DELETE FROM candidate_skills WHERE user_id = $1", user)
            .execute(&mut *tx)
            .await?;
        sqlx::query!(
            "INSERT INTO candidate_skills (user_id, skill_id) SELECT $1, unnest($2::bigint[])",
            user,
            &skills
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The profile's CV, locking the profile row until the transaction ends
    /// (as [`set_cv`] does), so the CV cannot be replaced and deleted while
    /// an application is being written with it.
    pub async fn lock_cv(
        executor: &mut sqlx::PgConnection,
        user: i64,
    ) -> Result<Option<i64>, AppError> {
        Ok(sqlx::query_scalar!(
            "SELECT cv_media_id FROM candidate_profiles WHERE user_id = $1 FOR UPDATE",
            user
        )
        .fetch_optional(executor)
        .await?
        .flatten())
    }

    /// Makes `media` the profile's CV; returns the CV it replaced.
    pub async fn set_cv(
        executor: &mut sqlx::PgConnection,
        user: i64,
        media: i64,
    ) -> Result<Option<i64>, AppError> {
        let previous = sqlx::query_scalar!(
            "SELECT cv_media_id FROM candidate_profiles WHERE user_id = $1 FOR UPDATE",
            user
        )
        .fetch_optional(&mut *executor)
        .await?
        .flatten();
        sqlx::query!(
            "INSERT INTO candidate_profiles (user_id, cv_media_id) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET cv_media_id = $2, updated_at = now()",
            user,
            media
        )
        .execute(&mut *executor)
        .await?;
        Ok(previous.filter(|p| *p != media))
    }

    /// Takes CV `media` off `user`'s profile (404 unless it is the
    /// profile's CV); the file goes too, unless an application was sent
    /// with it (its recruiters keep reading it).
    pub async fn remove_cv(
        pool: &PgPool,
        storage: &Storage,
        user: i64,
        media: i64,
    ) -> Result<(), AppError> {
        sqlx::query_scalar!(
            "UPDATE candidate_profiles SET cv_media_id = NULL, updated_at = now()
             WHERE user_id = $1 AND cv_media_id = $2 RETURNING user_id",
            user,
            media
        )
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
        forget_cv(pool, storage, media).await;
        Ok(())
    }

    /// Deletes a private CV nothing points at any more (a replaced profile CV
    /// that no application was sent with, or a file whose write failed).
    /// Best effort: a failure is logged and leaves an unused file behind.
    pub async fn forget_cv(pool: &PgPool, storage: &Storage, media: i64) {
        let removed = async {
            let mut tx = pool.begin().await?;
            // Wait for any application being written with this CV: those
            // hold the owner's profile row (see `lock_cv`), and the check
            // below then sees them committed.
            sqlx::query!(
                "SELECT p.user_id FROM candidate_profiles p JOIN media m ON m.owner_id = p.user_id
                 WHERE m.id = $1 FOR UPDATE OF p",
                media
            )
            .fetch_optional(&mut *tx)
            .await?;
            let key = sqlx::query_scalar!(
                "DELETE FROM media m WHERE m.id = $1 AND m.visibility = 'private'
                   AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.cv_media_id = m.id)
                   AND NOT EXISTS (SELECT 1 FROM candidate_profiles p WHERE p.cv_media_id = m.id)
                 RETURNING storage_key",
                media
            )
            .fetch_optional(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(key)
        };
        match removed.await {
            Ok(Some(key)) => {
                if let Err(error) = storage.delete(&key).await {
                    tracing::warn!(%error, key, "could not remove an unused CV");
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, media, "could not remove an unused CV"),
        }
    }
}

/// What a candidate's dashboard page shows: `fetch`ed, then again after
/// each run of one of the page's actions (their `version()`s).
pub fn dashboard_data<T: Loaded, Fut, const N: usize>(
    actions: [RwSignal<usize>; N],
    fetch: impl Fn() -> Fut + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    Resource::new(
        move || actions.map(|version| version.get()),
        move |_| fetch(),
    )
}

/// `/tableau-de-bord/profil`
#[component]
pub fn CandidateProfilePage() -> impl IntoView {
    let save = ServerAction::<SaveCandidateProfile>::new();
    let query = leptos_router::hooks::use_query_map();
    let uploaded = move || query.read().get("cv").is_some_and(|v| v == "envoye");
    let data = Resource::new(move || save.version().get(), |_| candidate_profile());
    let error = action_error(save);
    let upload_error = crate::ui::form::url_error::<UploadCv>();
    view! {
        <Seo title="Mon profil" description="Le profil que les recruteurs lisent avec vos candidatures." path="/tableau-de-bord/profil" noindex=true/>
        <section class="mx-auto max-w-3xl px-4 py-10 sm:px-6">
            <CandidateNav/>
            <h1 class="text-3xl font-extrabold text-slate-900">"Mon profil"</h1>
            <p class="mt-2 text-slate-700">"Les recruteurs lisent ce profil avec chacune de vos candidatures."</p>
            {protected(data, move |profile| if !profile.verified {
                view! {
                    <div class="mt-6 rounded-lg bg-amber-50 p-4 text-amber-900">
                        <p role="status">"Confirmez d'abord votre adresse e-mail (lien envoyé à l'inscription) pour compléter votre profil et postuler."</p>
                        <crate::identity::auth::pages::ResendLink/>
                    </div>
                }.into_any()
            } else {
                let input = profile.input.clone();
                view! {
                    <section class="mt-8 rounded-xl border border-slate-200 p-4" aria-labelledby="cv-titre">
                        <h2 id="cv-titre" class="text-xl font-bold text-slate-900">"CV"</h2>
                        {uploaded().then(|| view! {
                            <p class="mt-2 rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">"CV enregistré."</p>
                        })}
                        {match profile.cv.clone() {
                            Some(cv) => view! {
                                <p class="mt-2 text-slate-800" data-cv=cv.id>
                                    <a href=format!("/medias/prive/{}", cv.id) rel="external" class="font-semibold text-brand-700 underline">"Voir mon CV"</a>
                                    " · " {cv.name.clone()} " · envoyé le " {crate::base::format::french_date(&cv.uploaded_on)}
                                </p>
                            }.into_any(),
                            None => view! { <p class="mt-2 text-slate-700">"Aucun CV pour l'instant."</p> }.into_any(),
                        }}
                        // A native multipart post: works the same with or without JavaScript.
                        <form method="post" action="/api/candidat/cv" enctype="multipart/form-data" class="mt-4 flex flex-wrap items-end gap-3">
                            <div>
                                <label for="champ-cv" class="block text-sm font-semibold text-slate-900">
                                    {if profile.cv.is_some() { "Remplacer mon CV (PDF, 5 Mo au plus)" } else { "Mon CV (PDF, 5 Mo au plus)" }}
                                </label>
                                <input id="champ-cv" name="fichier" type="file" accept="application/pdf,.pdf" required
                                    aria-describedby="champ-cv-erreur" class="mt-1 block text-sm"/>
                                <p id="champ-cv-erreur" class="mt-1 text-sm font-semibold text-red-800">{upload_error.clone().map(|e| e.to_string())}</p>
                            </div>
                            <button type="submit" class="btn-secondary">"Envoyer le CV"</button>
                        </form>
                    </section>
                    {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                        <p class="mt-6 rounded-lg bg-emerald-50 p-3 text-emerald-900" role="status">"Profil enregistré."</p>
                    })}
                    <ActionForm action=save attr:class="mt-6 space-y-5" attr:novalidate=true>
                        <InputField label="Titre du profil (ex. : Soudeuse TIG, 5 ans d'expérience)" key="headline" value=input.headline.clone() error/>
                        <div>
                            <label for="champ-experience" class="block text-sm font-semibold text-slate-900">"Expérience"</label>
                            <textarea id="champ-experience" name="input[experience]" rows="8" maxlength="4000"
                                aria-describedby="champ-experience-aide champ-experience-erreur"
                                class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm">{crate::base::forms::textarea_text(input.experience.clone())}</textarea>
                            <p id="champ-experience-aide" class="mt-1 text-sm text-slate-700">"Postes occupés, missions, diplômes : en texte simple, 4 000 caractères au plus."</p>
                            <p id="champ-experience-erreur" class="mt-1 text-sm font-semibold text-red-800">{move || error.get().and_then(|e| e.for_field("experience"))}</p>
                        </div>
                        <SkillsPicker legend="Mes compétences" name="input[skills][]" skills=profile.skills.clone() selected=input.skills.clone() error/>
                        <FormError error fields=&["headline", "experience", "skills"]/>
                        <button type="submit" class="btn-primary">"Enregistrer le profil"</button>
                    </ActionForm>
                }.into_any()
            })}
        </section>
    }
}
