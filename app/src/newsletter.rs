//! Newsletter sign-up: the first vertical slice (form → server function →
//! validation → PostgreSQL → result on the page), with and without JavaScript.

use crate::{components::toast::use_toasts, error::AppError};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Query parameter set when a sign-up made without JavaScript succeeded.
pub const THANKS_QUERY: &str = "newsletter";

/// Normalises an address and checks it. Runs on the server for every call;
/// the result is what gets stored.
pub fn parse_email(input: &str) -> Result<String, AppError> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid("email", "Indiquez votre adresse e-mail."));
    }
    let domain_ok = email
        .rsplit_once('@')
        .map(|(_, domain)| {
            domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        .unwrap_or(false);
    if email.len() > 254 || !domain_ok || !email_address::EmailAddress::is_valid(&email) {
        return Err(AppError::invalid(
            "email",
            "Cette adresse e-mail n'est pas valide. Exemple : prenom.nom@exemple.fr",
        ));
    }
    Ok(email)
}

/// Signs an address up. Answers the same whether or not it was already
/// there, so the form cannot be used to learn who subscribed.
#[server(prefix = "/api", endpoint = "newsletter")]
pub async fn subscribe_newsletter(email: String) -> Result<(), AppError> {
    let outcome: Result<(), AppError> = async {
        let email = parse_email(&email)?;
        let pool = crate::db::pool()?;
        ssr::subscribe(&pool, &email).await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => {
            crate::forms::redirect_plain_form(&format!("/?{THANKS_QUERY}=merci#newsletter"));
            Ok(())
        }
        Err(error) => Err(error.into_response_error()),
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use sqlx::PgPool;

    /// Stores the address once; a repeat is a silent no-op.
    pub async fn subscribe(pool: &PgPool, email: &str) -> Result<(), sqlx::Error> {
        sqlx::query!(
            "INSERT INTO newsletter_subscribers (email) VALUES ($1)
             ON CONFLICT (email) DO NOTHING",
            email
        )
        .execute(pool)
        .await?;
        Ok(())
    }
}

const SUCCESS_MESSAGE: &str = "Merci ! Vous recevrez notre lettre mensuelle : formations qui démarrent, offres qui recrutent.";

#[component]
pub fn NewsletterForm() -> impl IntoView {
    let action = ServerAction::<SubscribeNewsletter>::new();
    let query = use_query_map();
    let toasts = use_toasts();
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    // Once hydrated, the same rules run in the browser before any request.
    let (client_error, set_client_error) = signal(None::<AppError>);

    let error = move || {
        client_error
            .get()
            .or_else(|| action.value().get().and_then(Result::err))
    };
    let email_error =
        move || error().map(|e| e.for_field("email").unwrap_or_else(|| e.to_string()));
    // Runs before ActionForm's own handler, which skips a prevented submit.
    let check_before_sending = move |ev: leptos::ev::SubmitEvent| {
        let value = input.get().map(|el| el.value()).unwrap_or_default();
        match parse_email(&value) {
            Ok(_) => set_client_error.set(None),
            Err(e) => {
                ev.prevent_default();
                set_client_error.set(Some(e));
            }
        }
    };
    let succeeded = move || {
        client_error.get().is_none()
            && match action.value().get() {
                Some(result) => result.is_ok(),
                // Without JavaScript the server redirected here with `?newsletter=merci`.
                None => query.read().get(THANKS_QUERY).as_deref() == Some("merci"),
            }
    };

    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            toasts.success("Inscription enregistrée. À bientôt dans votre boîte mail !");
        }
    });

    view! {
        <div on:submit:capture=check_before_sending>
        <ActionForm action=action attr:novalidate=true attr:class="mt-6 max-w-xl">
            <label for="newsletter-email" class="block text-sm font-semibold text-slate-900">
                "Votre adresse e-mail"
            </label>
            <div class="mt-2 flex flex-col gap-3 sm:flex-row">
                <input
                    node_ref=input
                    id="newsletter-email"
                    type="email"
                    name="email"
                    autocomplete="email"
                    inputmode="email"
                    placeholder="prenom.nom@exemple.fr"
                    required=true
                    aria-invalid=move || if email_error().is_some() { "true" } else { "false" }
                    aria-describedby="newsletter-email-help newsletter-email-error"
                    class="min-w-0 flex-1 rounded-lg border border-slate-400 bg-white px-4 py-3 text-base text-slate-900 shadow-sm placeholder:text-slate-500 aria-[invalid=true]:border-red-700"
                />
                <button
                    type="submit"
                    class="btn-primary"
                    aria-busy=move || if action.pending().get() { "true" } else { "false" }
                    disabled=move || action.pending().get()
                >
                    {move || if action.pending().get() { "Inscription…" } else { "Je m'inscris" }}
                </button>
            </div>
            <p id="newsletter-email-help" class="mt-2 text-sm text-slate-700">
                "Un e-mail par mois, désinscription en un clic."
            </p>
            <p id="newsletter-email-error" class="mt-2 text-sm font-semibold text-red-800" role="alert">
                {email_error}
            </p>
            <Show when=succeeded>
                <p class="mt-2 rounded-lg bg-emerald-50 px-4 py-3 text-sm font-semibold text-emerald-900" role="status">
                    {SUCCESS_MESSAGE}
                </p>
            </Show>
        </ActionForm>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        assert_eq!(
            parse_email("  Marie.Curie@Exemple.FR ").as_deref(),
            Ok("marie.curie@exemple.fr")
        );
    }

    #[test]
    fn bad_addresses_get_a_french_message_on_the_email_field() {
        for bad in [
            "",
            "   ",
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "a b@c.fr",
        ] {
            let err = parse_email(bad).expect_err(bad);
            let message = err.for_field("email").expect("message on the email field");
            assert!(
                message.contains("adresse e-mail"),
                "{bad:?} gave {message:?}"
            );
        }
    }

    #[test]
    fn overlong_addresses_are_refused() {
        let long = format!("{}@exemple.fr", "a".repeat(250));
        assert!(parse_email(&long).is_err());
    }
}
