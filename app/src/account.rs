//! `/compte`: the signed-in user's own space (profile, sign-out).

use crate::{
    auth::{
        self, Permission,
        pages::{SignOutButton, access_error},
    },
    components::form::{Field, FormError},
    error::AppError,
    seo::Seo,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Changes the signed-in user's display name.
#[server(prefix = "/api", endpoint = "compte/profil")]
pub async fn update_profile(display_name: String) -> Result<(), AppError> {
    let pool = crate::db::pool()?;
    let run = async {
        let user = auth::ssr::require_permission(&pool, Permission::ProfileEdit).await?;
        let name = auth::parse_display_name(&display_name)?;
        sqlx::query!(
            "UPDATE users SET display_name = $1, updated_at = now() WHERE id = $2",
            name,
            user.id
        )
        .execute(&pool)
        .await?;
        crate::forms::redirect_plain_form("/compte?profil=1");
        Ok(())
    };
    run.await.map_err(AppError::into_response_error)
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let user = Resource::new(move || save.version().get(), |_| auth::current_user());
    let query = use_query_map();
    let verified_now = move || query.read().get("verifie").is_some();
    let saved =
        move || matches!(save.value().get(), Some(Ok(()))) || query.read().get("profil").is_some();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <Seo title="Mon compte" description="Votre profil Passerelle." path="/compte" noindex=true/>
        <section class="mx-auto max-w-3xl px-4 py-10 sm:px-6">
            <h1 class="text-3xl font-extrabold text-slate-900">"Mon compte"</h1>
            <Suspense fallback=|| view! { <p class="mt-6" aria-busy="true">"Chargement…"</p> }>
                {move || user.get().map(|result| match result.and_then(|u| u.ok_or(AppError::Unauthenticated)) {
                    Err(error) => access_error(error),
                    Ok(me) => view! {
                        <Show when=verified_now>
                            <p class="mt-4 rounded-lg bg-emerald-50 px-4 py-3 font-semibold text-emerald-900" role="status">
                                "Merci, votre adresse est confirmée."
                            </p>
                        </Show>
                        {(!me.email_verified).then(|| view! {
                            <p class="mt-4 rounded-lg bg-amber-50 px-4 py-3 text-amber-900" role="status">
                                "Adresse e-mail non confirmée : cliquez sur le lien reçu à l'inscription pour pouvoir postuler, demander une inscription ou publier."
                            </p>
                        })}
                        <dl class="card mt-6 grid gap-3 sm:grid-cols-3">
                            <div><dt class="text-sm text-slate-700">"Nom"</dt><dd class="font-semibold">{me.display_name.clone()}</dd></div>
                            <div><dt class="text-sm text-slate-700">"E-mail"</dt><dd class="font-semibold break-all">{me.email.clone()}</dd></div>
                            <div><dt class="text-sm text-slate-700">"Profil"</dt><dd class="font-semibold">{me.role.label()}</dd></div>
                        </dl>
                        <h2 class="mt-10 text-xl font-bold text-slate-900">"Profil"</h2>
                        <ActionForm action=save attr:novalidate=true attr:class="mt-4 max-w-md space-y-4">
                            <Field label="Nom affiché" name="display_name" autocomplete="name" value=me.display_name.clone() error=error/>
                            <FormError error=error fields=&["display_name"]/>
                            <button type="submit" class="btn-primary">"Enregistrer"</button>
                            <Show when=saved>
                                <p class="text-sm font-semibold text-emerald-800" role="status">"Profil enregistré."</p>
                            </Show>
                        </ActionForm>
                        <div class="mt-10"><SignOutButton/></div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
