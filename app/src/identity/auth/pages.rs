//! Sign-up, sign-in, e-mail verification pages and the header's account menu.

use super::{
    ForgotPassword, ResendVerification, ResetPassword, SignIn, SignOut, SignUp, VerifyEmail,
    current_user,
};
use crate::{
    base::error::AppError,
    identity::users::Role,
    ui::errors::set_page_status,
    ui::form::{
        Confirmation, Field, FormError, FormPage, PageForm, QueryField, SubmitButton, action_error,
        action_succeeded,
    },
};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_query_map};

/// Bumped after sign-in and sign-out so that the account menu refetches.
#[derive(Clone, Copy)]
pub struct AuthVersion(pub RwSignal<usize>);

pub fn use_auth_version() -> RwSignal<usize> {
    use_context::<AuthVersion>()
        .map(|v| v.0)
        .unwrap_or_else(|| RwSignal::new(0))
}

/// Bumps the auth version once `action` succeeded.
pub(crate) fn refresh_auth_on_success<S>(action: ServerAction<S>)
where
    S: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    let version = use_auth_version();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            version.update(|v| *v += 1);
        }
    });
}

/// Whether this server render found the session store down (never in the
/// browser, whose calls get their 503 from the server).
fn session_store_down() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::identity::auth::ssr::session_store_down()
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The part of a protected page that needs its `data`: "Chargement…" while
/// it loads, then [`access_error`] if the guard said no, else `ok(value)`.
pub fn protected<T, V>(
    data: Resource<Result<T, AppError>>,
    ok: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="mt-6" aria-busy="true">"Chargement…"</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => access_error(error),
                Ok(value) => ok(value).into_any(),
            })}
        </Suspense>
    }
}

/// What a protected page shows when the guard said no.
pub fn access_error(error: AppError) -> AnyView {
    match error {
        // Without the session store nobody can be told to sign in: 503.
        AppError::Unauthenticated if session_store_down() => access_error(AppError::Unavailable),
        AppError::Unauthenticated => {
            let here = leptos_router::hooks::use_location()
                .pathname
                .get_untracked();
            view! { <Redirect path=format!("/connexion?suivant={}", crate::identity::auth::query_value(&here))/> }.into_any()
        }
        AppError::TwoFactorRequired => {
            view! { <Redirect path="/compte/double-authentification"/> }.into_any()
        }
        AppError::Forbidden => {
            set_page_status(http::StatusCode::FORBIDDEN);
            view! {
                <p class="mt-6 rounded-lg bg-amber-50 p-4 font-semibold text-amber-900" role="alert">
                    "Accès refusé : votre compte n'a pas les droits nécessaires pour cette page."
                </p>
            }
            .into_any()
        }
        other => {
            // The page answers with the error's status (503 while a service
            // is down, 404, 500), not a 200 around an error message.
            set_page_status(other.status());
            view! { <p class="mt-6 font-semibold text-red-800" role="alert">{other.to_string()}</p> }
                .into_any()
        }
    }
}

const SIGN_UP_FIELDS: &[&str] = &[
    "kind",
    "display_name",
    "email",
    "password",
    "organisation_name",
    "siret",
];

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    let kind_error = move || error.get().and_then(|e| e.for_field("kind"));
    view! {
        <FormPage title="Créer un compte"
            description="Créez votre compte Passerelle : candidat, centre de formation ou entreprise."
            path="/inscription" class="mx-auto max-w-xl px-4 py-10 sm:px-6">
            <ActionForm action=action attr:novalidate=true attr:class="signup-form mt-6 space-y-5">
                <fieldset>
                    <legend class="text-sm font-semibold text-slate-900">"Vous êtes"</legend>
                    <div class="mt-2 grid gap-2 sm:grid-cols-3">
                        {[("candidat", "Candidat"), ("centre", "Centre de formation"), ("entreprise", "Entreprise")]
                            .into_iter()
                            .map(|(value, label)| view! {
                                <label class="flex cursor-pointer items-center gap-2 rounded-lg border border-slate-300 px-3 py-2 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50">
                                    <input type="radio" name="kind" value=value checked=value == "candidat"/>
                                    <span class="text-sm font-semibold text-slate-900">{label}</span>
                                </label>
                            })
                            .collect_view()}
                    </div>
                    <p class="mt-1 text-sm font-semibold text-red-800">{kind_error}</p>
                </fieldset>
                <Field label="Nom et prénom" name="display_name" autocomplete="name" error=error/>
                <Field label="Adresse e-mail" name="email" input_type="email" autocomplete="email" error=error/>
                <Field
                    label="Mot de passe"
                    name="password"
                    input_type="password"
                    autocomplete="new-password"
                    help="12 caractères au moins. Une phrase de quelques mots est facile à retenir et difficile à deviner."
                    error=error
                />
                <div class="org-fields space-y-5 rounded-xl bg-slate-50 p-4">
                    <p class="text-sm text-slate-700">
                        "Votre organisation sera visible après validation par notre équipe."
                    </p>
                    <Field label="Nom de l'organisation" name="organisation_name" autocomplete="organization" error=error/>
                    <Field label="SIRET (14 chiffres)" name="siret" help="Il figure sur l'avis de situation Insee ou un extrait Kbis." error=error/>
                </div>
                <FormError error=error fields=SIGN_UP_FIELDS/>
                <SubmitButton label="Créer mon compte" busy="Création…" pending=action.pending()/>
            </ActionForm>
            <p class="mt-6 text-sm text-slate-700">
                "Déjà inscrit ? " <a class="font-semibold text-brand-800 underline" href="/connexion">"Se connecter"</a>
            </p>
        </FormPage>
    }
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <FormPage title="Vérifiez votre boîte mail"
            description="Confirmez votre adresse pour activer votre compte."
            path="/inscription/verifiez" noindex=true class="mx-auto max-w-xl px-4 py-16 text-center sm:px-6">
            <p class="mt-4 text-lg text-slate-700">
                "Nous venons de vous écrire. Cliquez sur le lien du message pour confirmer votre adresse, puis connectez-vous."
            </p>
            <a class="btn-primary mt-8 inline-flex" href="/connexion">"Aller à la connexion"</a>
        </FormPage>
    }
}

const SIGN_IN_FIELDS: &[&str] = &["email", "password"];

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    refresh_auth_on_success(action);
    let query = use_query_map();
    let verified = move || query.read().get("verifie").is_some();
    let was_reset = move || query.read().get("reinitialise").is_some();
    let error = action_error(action);
    view! {
        <FormPage title="Connexion"
            description="Connectez-vous à votre compte Passerelle."
            path="/connexion">
            <Show when=verified>
                <Confirmation>"Adresse e-mail confirmée. Vous pouvez vous connecter."</Confirmation>
            </Show>
            <Show when=was_reset>
                <Confirmation>"Mot de passe changé. Connectez-vous avec le nouveau."</Confirmation>
            </Show>
            <ActionForm action=action attr:novalidate=true attr:class="mt-6 space-y-5">
                <QueryField name="next" param="suivant"/>
                <Field label="Adresse e-mail" name="email" input_type="email" autocomplete="email" error=error/>
                <Field label="Mot de passe" name="password" input_type="password" autocomplete="current-password" error=error/>
                <FormError error=error fields=SIGN_IN_FIELDS/>
                <SubmitButton label="Se connecter" busy="Connexion…" pending=action.pending()/>
            </ActionForm>
            <p class="mt-6 text-sm text-slate-700">
                <a class="font-semibold text-brand-800 underline" href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a>
            </p>
            <p class="mt-2 text-sm text-slate-700">
                "Pas encore de compte ? " <a class="font-semibold text-brand-800 underline" href="/inscription">"Créer un compte"</a>
            </p>
        </FormPage>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let error = action_error(action);
    view! {
        <FormPage title="Confirmer votre adresse"
            description="Confirmez l'adresse e-mail de votre compte."
            path="/verifier-email" noindex=true class="mx-auto max-w-md px-4 py-16 text-center sm:px-6"
            intro="Un clic suffit pour activer toutes les fonctions de votre compte.">
            <ActionForm action=action attr:class="mt-6">
                <QueryField name="token" param="jeton"/>
                <FormError error=error fields=&[]/>
                <button type="submit" class="btn-primary mt-4">"Confirmer mon adresse"</button>
            </ActionForm>
        </FormPage>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent = move || query.read().get("envoye").is_some();
    let error = action_error(action);
    view! {
        <FormPage title="Mot de passe oublié"
            description="Recevez un lien pour choisir un nouveau mot de passe."
            path="/mot-de-passe-oublie">
            <Show
                when=sent
                fallback=move || view! {
                    <p class="mt-4 text-slate-700">"Indiquez l'adresse de votre compte : nous vous enverrons un lien valable une heure."</p>
                    <PageForm action error fields=&["email"] submit="Recevoir le lien">
                        <Field label="Adresse e-mail" name="email" input_type="email" autocomplete="email" error=error/>
                    </PageForm>
                }
            >
                <Confirmation>
                    "Si un compte existe avec cette adresse, un e-mail vient de partir. Pensez à regarder vos indésirables."
                </Confirmation>
            </Show>
        </FormPage>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    view! {
        <FormPage title="Nouveau mot de passe"
            description="Choisissez un nouveau mot de passe."
            path="/reinitialiser" noindex=true>
            <PageForm action query=("token", "jeton") error fields=&["password"] submit="Enregistrer le mot de passe">
                <Field
                    label="Nouveau mot de passe"
                    name="password"
                    input_type="password"
                    autocomplete="new-password"
                    help="12 caractères au moins. Vos autres sessions seront fermées."
                    error=error
                />
            </PageForm>
        </FormPage>
    }
}

/// "Renvoyer le lien", under a reminder to confirm the address: a new link
/// by e-mail, said here (without JavaScript, on `/compte`).
#[component]
pub fn ResendLink() -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let error = action_error(resend);
    let sent = action_succeeded(resend, "lien");
    view! {
        <ActionForm action=resend attr:class="mt-3 flex flex-wrap items-center gap-3">
            <span>"Lien perdu ou expiré ?"</span>
            <button type="submit" class="btn-secondary" disabled=move || resend.pending().get()>"Renvoyer le lien"</button>
            <FormError error=error fields=&[]/>
        </ActionForm>
        <Show when=sent>
            <Confirmation>"Un nouveau lien vous a été envoyé par e-mail."</Confirmation>
        </Show>
    }
}

/// Sign-out button: a plain form, so the browser reloads the whole page and
/// no signed-in state survives in the page.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let action = <SignOut as leptos::server_fn::ServerFn>::PATH;
    view! {
        <form method="post" action=action>
            <button type="submit" class="btn-secondary">"Se déconnecter"</button>
        </form>
    }
}

/// The header's account area: sign-in links, or the way to the user's
/// dashboard and account; `stacked`, as lines of the phone menu. The links
/// of each role's pages are on its dashboard, so the header never wraps.
#[component]
pub fn AccountMenu(stacked: bool) -> impl IntoView {
    let version = use_auth_version();
    let user = Resource::new(move || version.get(), |_| current_user());
    let (link, cta) = if stacked {
        ("menu-link", "menu-link text-brand-800")
    } else {
        ("header-link", "header-cta")
    };
    let guest = move || {
        view! {
            <a class=link href="/connexion">"Connexion"</a>
            <a class=cta href="/inscription">"Créer un compte"</a>
        }
    };
    view! {
        <Transition fallback=guest>
            {move || match user.get() {
                Some(Ok(Some(me))) => {
                    let admin = me.role == Role::Admin;
                    let writes = matches!(me.role, Role::Editor | Role::Admin);
                    view! {
                        {admin.then(|| view! { <a class=link href="/admin">"Administration"</a> })}
                        {(!admin).then(|| view! { <a class=link href="/tableau-de-bord">"Tableau de bord"</a> })}
                        {writes.then(|| view! { <a class=link href="/tableau-de-bord/blog">"Blog"</a> })}
                        <a class=link href="/compte">
                            <span class="sr-only">"Mon compte : "</span>{me.display_name}
                        </a>
                    }
                    .into_any()
                }
                _ => guest().into_any(),
            }}
        </Transition>
    }
}
