//! Form fields with their label, help and French error message.

use crate::base::{error::AppError, seo::Seo};
use leptos::prelude::*;
use leptos::server_fn::{Http, ServerFn, client::Client, codec::PostUrl, request::ClientReq};
use leptos_router::hooks::use_query_map;

/// A labelled input whose error (if `error` is about `name`) shows under it.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] help: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let error_id = format!("{id}-erreur");
    let help_id = format!("{id}-aide");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described_by = if help.is_empty() {
        error_id.clone()
    } else {
        format!("{help_id} {error_id}")
    };
    view! {
        <FieldFrame id=id.clone() label error_id message>
            <input
                id=id
                name=name
                type=input_type
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                value=value
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm aria-[invalid=true]:border-red-700"
            />
            {(!help.is_empty()).then(|| view! { <p id=help_id class="mt-1 text-sm text-slate-700">{help}</p> })}
        </FieldFrame>
    }
}

/// What every field below shows around its control (`children`): the label
/// of the control `id`, then the field's error `message` (`error_id`).
#[component]
fn FieldFrame<M>(
    id: String,
    label: &'static str,
    error_id: String,
    message: M,
    children: Children,
) -> impl IntoView
where
    M: Fn() -> Option<String> + Send + Sync + 'static,
{
    view! {
        <div>
            <label for=id class="block text-sm font-semibold text-slate-900">{label}</label>
            {children()}
            <p id=error_id class="mt-1 text-sm font-semibold text-red-800">{message}</p>
        </div>
    }
}

/// A labelled input or textarea posted as `input[key]`, with the error for `key`.
#[component]
pub fn InputField(
    label: &'static str,
    key: &'static str,
    #[prop(into)] value: String,
    error: Signal<Option<AppError>>,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] help: &'static str,
    #[prop(default = "text")] input_type: &'static str,
) -> impl IntoView {
    let id = format!("champ-{key}");
    let error_id = format!("{id}-erreur");
    let name = format!("input[{key}]");
    let message = move || error.get().and_then(|e| e.for_field(key));
    let invalid = move || if message().is_some() { "true" } else { "false" };
    let class = "mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm aria-[invalid=true]:border-red-700";
    view! {
        <FieldFrame id=id.clone() label error_id=error_id.clone() message>
            {if multiline {
                view! { <textarea id=id name=name rows="5" aria-invalid=invalid aria-describedby=error_id class=class>{crate::base::forms::textarea_text(value)}</textarea> }.into_any()
            } else {
                view! { <input id=id name=name type=input_type value=value aria-invalid=invalid aria-describedby=error_id class=class/> }.into_any()
            }}
            {(!help.is_empty()).then(|| view! { <p class="mt-1 text-sm text-slate-700">{help}</p> })}
        </FieldFrame>
    }
}

/// A labelled `<select>` posted as `input[key]`, with the error for `key`.
/// `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    label: &'static str,
    key: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("champ-{key}");
    let error_id = format!("{id}-erreur");
    let message = move || error.get().and_then(|e| e.for_field(key));
    view! {
        <FieldFrame id=id.clone() label error_id=error_id.clone() message>
            <select id=id name=format!("input[{key}]") aria-describedby=error_id
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 aria-[invalid=true]:border-red-700">
                {options.into_iter().map(|(option, text)| {
                    let selected = option == value;
                    view! { <option value=option selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </FieldFrame>
    }
}

/// The error of a server action's last call, as form fields read it.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The error a native multipart form post (which has no server action)
/// brought back in the URL of the page it came from.
pub fn url_error<S: ServerFn>() -> Option<AppError> {
    url_error_at(S::PATH)
}

/// [`url_error`] for the server function at `path` (endpoints made by a
/// macro, one per organisation kind, have no type a page can name).
pub fn url_error_at(path: &str) -> Option<AppError> {
    use leptos::server_fn::error::ServerFnUrlError;
    use_context::<leptos::server::ServerActionError>()
        .filter(|error| error.path() == path)
        .map(|error| ServerFnUrlError::<AppError>::decode_err(error.err()))
}

/// Data that loads again each time one of the actions behind `versions`
/// (their `version()`) ran: a list and the buttons that change it.
pub fn reloaded_after<T, Fut, const N: usize>(
    versions: [RwSignal<usize>; N],
    fetch: impl Fn() -> Fut + Send + Sync + 'static,
) -> Resource<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Resource::new(
        move || versions.map(|version| version.get()),
        move |_| fetch(),
    )
}

/// Whether `action` has just succeeded: its answer when the page runs it, or
/// the query parameter `param` that its plain-form redirect adds (without
/// JavaScript the page reloads with it).
pub fn action_succeeded<S>(
    action: ServerAction<S>,
    param: &'static str,
) -> impl Fn() -> bool + Copy + Send + Sync + 'static
where
    S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    move || matches!(action.value().get(), Some(Ok(()))) || query.read().get(param).is_some()
}

/// A form's full-width main button, disabled and reading `busy` while the
/// form is being sent (a second click would send it twice).
#[component]
pub fn SubmitButton(
    label: &'static str,
    busy: &'static str,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="btn-primary w-full" disabled=move || pending.get()>
            {move || if pending.get() { busy } else { label }}
        </button>
    }
}

/// Errors that belong to no field (server trouble, too many attempts…).
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Fields shown in the form: their errors are displayed by [`Field`].
    fields: &'static [&'static str],
) -> impl IntoView {
    let message = move || {
        error.get().and_then(|e| match &e {
            AppError::Invalid { field, .. } if fields.contains(&field.as_str()) => None,
            other => Some(other.to_string()),
        })
    };
    view! {
        <p class="text-sm font-semibold text-red-800" role="alert">{message}</p>
    }
}

/// The end of a form that stays on its page: the errors no field shows, the
/// submit button (`class`: `btn-primary` or `btn-secondary`), and `done`
/// once `succeeded` (see [`action_succeeded`]).
#[component]
pub fn FormEnd<F>(
    #[prop(into)] error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
    label: &'static str,
    class: &'static str,
    succeeded: F,
    done: &'static str,
) -> impl IntoView
where
    F: Fn() -> bool + Send + Sync + 'static,
{
    view! {
        <FormError error=error fields=fields/>
        <button type="submit" class=class>{label}</button>
        <Show when=succeeded>
            <p class="text-sm font-semibold text-emerald-800" role="status">{done}</p>
        </Show>
    }
}

/// A hidden field that posts on the value of the page's query parameter
/// `param` (a link's token, the page to go back to after signing in).
#[component]
pub fn QueryField(name: &'static str, param: &'static str) -> impl IntoView {
    let query = use_query_map();
    let value = move || query.read().get(param).unwrap_or_default();
    view! { <input type="hidden" name=name value=value/> }
}

/// A green note at the top of a form page saying what just succeeded.
#[component]
pub fn Confirmation(children: Children) -> impl IntoView {
    view! {
        <p class="mt-4 rounded-lg bg-emerald-50 px-4 py-3 font-semibold text-emerald-900" role="status">
            {children()}
        </p>
    }
}

/// A trait that only names its bounds (a trait alias), and the impl that
/// gives it to every type meeting them: the bounds are written once.
macro_rules! trait_alias {
    ($(#[$doc:meta])* $name:ident<$param:ident> = $($bounds:tt)+) => {
        $(#[$doc])*
        pub trait $name<$param>: $($bounds)+ {}
        impl<S, $param> $name<$param> for S where S: $($bounds)+ {}
    };
}

trait_alias! {
    /// What `ActionForm` asks of a server function posted by a form, said
    /// once for the forms below (`P`: the protocol's output encoding).
    FormAction<P> = serde::de::DeserializeOwned
        + ServerFn<
            Protocol = Http<PostUrl, P>,
            Output: Send + Sync + 'static,
            Error: Send + Sync + 'static,
            Client: Client<
                <Self as ServerFn>::Error,
                Request: ClientReq<<Self as ServerFn>::Error, FormData: From<web_sys::FormData>>,
            >,
        > + Clone
        + Send
        + Sync
        + 'static
}

/// A one-button moderation form: it posts the record's `id` and the
/// `decision` to `action`. `subject` (the record's name) is read to screen
/// readers after the label, as several such buttons stand side by side.
#[component]
pub fn DecisionForm<S, P>(
    action: ServerAction<S>,
    id: i64,
    decision: &'static str,
    label: &'static str,
    #[prop(optional, into)] subject: Option<String>,
    /// `btn-secondary` rather than `btn-primary`.
    #[prop(optional)]
    secondary: bool,
) -> impl IntoView
where
    // The protocol again: it is what ties `P` to `S` for the compiler.
    S: FormAction<P> + ServerFn<Protocol = Http<PostUrl, P>>,
    P: 'static,
{
    view! {
        <ActionForm action=action>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="decision" value=decision/>
            <button type="submit" class=if secondary { "btn-secondary" } else { "btn-primary" }>
                {label}
                {subject.map(|subject| view! { <span class="sr-only">" " {subject}</span> })}
            </button>
        </ActionForm>
    }
}

/// The form of a [`FormPage`]: posted to `action`, the hidden field of
/// `query` (its name, the page's parameter) if any, `children` (its fields),
/// the errors no field shows and the full-width `submit` button.
#[component]
pub fn PageForm<S, P>(
    action: ServerAction<S>,
    #[prop(optional)] query: Option<(&'static str, &'static str)>,
    #[prop(into)] error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
    submit: &'static str,
    children: Children,
) -> impl IntoView
where
    // The protocol again: it is what ties `P` to `S` for the compiler.
    S: FormAction<P> + ServerFn<Protocol = Http<PostUrl, P>>,
    P: 'static,
{
    view! {
        <ActionForm action=action attr:novalidate=true attr:class="mt-6 space-y-5">
            {query.map(|(name, param)| view! { <QueryField name param/> })}
            {children()}
            <FormError error fields/>
            <button type="submit" class="btn-primary w-full">{submit}</button>
        </ActionForm>
    }
}

/// A narrow page around one short form (sign-in, a code, an invitation):
/// its search tags, its heading, the `intro` paragraph if any, then
/// `children`. `heading` replaces `title` on the page where the two differ;
/// `class` is the section's, for a wider or centred page.
#[component]
pub fn FormPage(
    title: &'static str,
    description: &'static str,
    path: &'static str,
    #[prop(optional)] noindex: bool,
    #[prop(optional)] heading: Option<&'static str>,
    #[prop(optional)] intro: Option<&'static str>,
    #[prop(default = "mx-auto max-w-md px-4 py-10 sm:px-6")] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <Seo title=title description=description path=path noindex=noindex/>
        <section class=class>
            <h1 class="text-3xl font-extrabold text-slate-900">{heading.unwrap_or(title)}</h1>
            {intro.map(|intro| view! { <p class="mt-4 text-slate-700">{intro}</p> })}
            {children()}
        </section>
    }
}
