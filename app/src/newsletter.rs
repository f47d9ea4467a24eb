//! Newsletter sign-up: the first vertical slice (form → server function →
//! validation → PostgreSQL → result on the page), with and without JavaScript.

pub use crate::base::validate::parse_email;
use crate::{
    base::error::AppError,
    ui::form::{QueryField, action_succeeded},
    ui::toast::use_toasts,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Query parameter set when a sign-up made without JavaScript succeeded.
pub const THANKS_QUERY: &str = "newsletter";

/// Signs an address up. Answers the same whether or not it was already
/// there, so the form cannot be used to learn who subscribed.
#[server(prefix = "/api", endpoint = "newsletter")]
pub async fn subscribe_newsletter(email: String) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        let email = parse_email(&email)?;
        ssr::subscribe(&pool, &email).await?;
        crate::base::forms::redirect_plain_form(&format!("/?{THANKS_QUERY}=merci#newsletter"));
        Ok(())
    })
    .await
}

/// The two links of newsletter e-mails, each to a page that asks for a click.
#[derive(Clone, Copy)]
enum Link {
    /// Double opt-in.
    Confirm,
    /// In every e-mail; mail clients' one-click POST (RFC 8058) goes to the
    /// link itself.
    Unsubscribe,
}

impl Link {
    /// Its page, which takes the `jeton` of the e-mail.
    fn path(self) -> &'static str {
        match self {
            Link::Confirm => "/newsletter/confirmation",
            Link::Unsubscribe => "/newsletter/desabonnement",
        }
    }

    /// What its page's button sends as `action`.
    fn action(self) -> &'static str {
        match self {
            Link::Confirm => "confirmer",
            Link::Unsubscribe => "desabonner",
        }
    }
}

/// The buttons behind the links of newsletter e-mails: `action` is
/// [`Link::action`].
#[server(prefix = "/api", endpoint = "newsletter/lien")]
pub async fn newsletter_link(action: String, token: String) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        let link = [Link::Confirm, Link::Unsubscribe]
            .into_iter()
            .find(|link| link.action() == action)
            .ok_or_else(|| AppError::invalid("action", "Action inconnue."))?;
        match link {
            Link::Confirm => ssr::confirm(&pool, &token).await?,
            Link::Unsubscribe => ssr::unsubscribe(&pool, &token).await?,
        }
        crate::base::forms::redirect_plain_form(&format!("{}?fait=1", link.path()));
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::Link;
    use crate::{
        base::error::AppError,
        base::mail::ssr as mail,
        identity::auth::ssr::{hash_token, new_token},
    };
    use sqlx::PgPool;

    /// Records the address and sends the confirmation link: nothing goes to
    /// an address until its owner clicks it. A repeat answers the same and
    /// sends again at most every ten minutes (an address already confirmed
    /// gets nothing). The e-mail leaves in the background so that the answer
    /// time says nothing about the address.
    pub async fn subscribe(pool: &PgPool, email: &str) -> Result<(), AppError> {
        let (token, token_hash) = new_token();
        let mut tx = pool.begin().await?;
        let Some(subscriber) = sqlx::query_scalar!(
            "INSERT INTO newsletter_subscribers (email, confirm_token_hash, confirm_sent_at)
             VALUES ($1, $2, now())
             ON CONFLICT (email) DO UPDATE
                SET confirm_token_hash = EXCLUDED.confirm_token_hash, confirm_sent_at = now()
                WHERE newsletter_subscribers.confirmed_at IS NULL
                  AND newsletter_subscribers.confirm_sent_at < now() - interval '10 minutes'
             RETURNING id",
            email,
            token_hash
        )
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(());
        };
        let site = crate::base::site::use_site();
        let unsubscribe = unsubscribe_link(&mut tx, &site, subscriber).await?;
        tx.commit().await?;
        let message = mail::newsletter_confirm(
            &site.url(&format!("{}?jeton={token}", Link::Confirm.path())),
            &unsubscribe,
        );
        let mailer = mail::mailer()?;
        let to = email.to_owned();
        mail::after_answer("newsletter confirmation", async move {
            let headers = mail::unsubscribe_headers(&unsubscribe);
            let _ = mailer.send_with_headers(&to, message, &headers).await;
        });
        Ok(())
    }

    /// A fresh unsubscribe link for one e-mail to `subscriber` (its token
    /// stored hashed). Every newsletter e-mail carries one.
    pub async fn unsubscribe_link(
        conn: &mut sqlx::PgConnection,
        site: &crate::base::site::Site,
        subscriber: i64,
    ) -> Result<String, AppError> {
        let (token, token_hash) = new_token();
        sqlx::query!(
            "INSERT INTO unsubscribe_tokens (token_hash, subscriber_id) VALUES ($1, $2)",
            token_hash,
            subscriber
        )
        .execute(&mut *conn)
        .await?;
        let path = Link::Unsubscribe.path();
        Ok(site.url(&format!("{path}?jeton={token}")))
    }

    pub async fn confirm(pool: &PgPool, token: &str) -> Result<(), AppError> {
        let confirmed = sqlx::query_scalar!(
            "UPDATE newsletter_subscribers SET confirmed_at = now(), confirm_token_hash = NULL
             WHERE confirm_token_hash = $1 AND confirmed_at IS NULL RETURNING id",
            hash_token(token)
        )
        .fetch_optional(pool)
        .await?;
        link_used(
            confirmed,
            "Ce lien de confirmation n'est plus valable : inscrivez-vous de nouveau.",
        )
    }

    /// Forgets the address entirely (its links go with it).
    pub async fn unsubscribe(pool: &PgPool, token: &str) -> Result<(), AppError> {
        let forgotten = sqlx::query_scalar!(
            "DELETE FROM newsletter_subscribers
             WHERE id = (SELECT subscriber_id FROM unsubscribe_tokens WHERE token_hash = $1)
             RETURNING id",
            hash_token(token)
        )
        .fetch_optional(pool)
        .await?;
        link_used(
            forgotten,
            "Ce lien de désabonnement n'est plus valable : l'adresse n'est peut-être déjà plus inscrite.",
        )
    }

    /// A link's outcome: the row its token reached, or none when the link
    /// was spent or never valid (`dead`: what the page says then).
    fn link_used(row: Option<i64>, dead: &'static str) -> Result<(), AppError> {
        row.map(drop)
            .ok_or_else(|| AppError::invalid("token", dead))
    }
}

const SUCCESS_MESSAGE: &str =
    "Merci ! Confirmez votre inscription avec le lien que nous venons de vous envoyer par e-mail.";

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
            toasts.success("Presque fini : confirmez votre inscription depuis votre boîte mail.");
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
                "Un e-mail par mois, après confirmation de votre adresse ; désinscription en un clic."
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

/// `/newsletter/confirmation?jeton=…`: the link of the confirmation e-mail.
/// It asks for a click (link scanners follow GET links).
#[component]
pub fn NewsletterConfirmPage() -> impl IntoView {
    view! { <LinkPage link=Link::Confirm/> }
}

/// `/newsletter/desabonnement?jeton=…`: the link in every newsletter e-mail.
#[component]
pub fn NewsletterUnsubscribePage() -> impl IntoView {
    view! { <LinkPage link=Link::Unsubscribe/> }
}

/// One click on the `jeton` of an e-mail link, then the outcome.
#[component]
fn LinkPage(link: Link) -> impl IntoView {
    let (title, intro, button, done) = match link {
        Link::Confirm => (
            "Confirmer votre inscription",
            "Confirmez votre adresse pour recevoir la lettre de Passerelle, une fois par mois.",
            "Confirmer mon inscription",
            "C'est fait : vous recevrez notre prochaine lettre.",
        ),
        Link::Unsubscribe => (
            "Se désabonner de la lettre",
            "Vous ne recevrez plus la lettre de Passerelle et votre adresse sera effacée de la liste.",
            "Me désabonner",
            "C'est fait : votre adresse a été retirée de la liste.",
        ),
    };
    let submit = ServerAction::<NewsletterLink>::new();
    // With JavaScript the action's answer; without, the redirect's `?fait=1`.
    let succeeded = action_succeeded(submit, "fait");
    let error = move || {
        submit
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.for_field("token").unwrap_or_else(|| e.to_string()))
    };
    view! {
        <crate::base::seo::Seo title=title description=intro path=link.path() noindex=true/>
        <section class="mx-auto max-w-2xl px-4 py-16 sm:px-6">
            <h1 class="text-3xl font-extrabold text-slate-900">{title}</h1>
            <Show
                when=succeeded
                fallback=move || view! {
                    <p class="mt-6 text-slate-700">{intro}</p>
                    <ActionForm action=submit attr:class="mt-4">
                        <input type="hidden" name="action" value=link.action()/>
                        <QueryField name="token" param="jeton"/>
                        <button type="submit" class="btn-primary">{button}</button>
                    </ActionForm>
                    <p class="mt-3 font-semibold text-red-800" role="alert">{error}</p>
                }
            >
                <p class="mt-6 rounded-lg bg-emerald-50 p-4 font-semibold text-emerald-900" role="status">{done}</p>
            </Show>
        </section>
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
