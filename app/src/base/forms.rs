//! Progressive enhancement helpers for server functions posted by plain
//! HTML forms (JavaScript off).

/// True when the current server-function call comes from a plain `<form>`
/// post (the browser asks for HTML) rather than the hydrated app's fetch.
#[cfg(feature = "ssr")]
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// After a plain form post succeeded, send the browser to `path` (which
/// carries the outcome) instead of back to the bare referring page.
/// Does nothing for calls from the hydrated app, which reads the result itself.
#[cfg(feature = "ssr")]
pub fn redirect_plain_form(path: &str) {
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;
    if !is_plain_form_post() {
        return;
    }
    if let (Some(response), Ok(location)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(path),
    ) {
        response.insert_header(http::header::LOCATION, location);
        response.set_status(http::StatusCode::SEE_OTHER);
    }
}

#[cfg(not(feature = "ssr"))]
pub fn redirect_plain_form(_path: &str) {}

/// A `<textarea>`'s text as the server must write it: tachys writes textarea
/// children unescaped, so a typed `</textarea>` would end the element. The
/// browser decodes the entities; hydration keeps the server's text node.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = html_escape::encode_text(&text).into_owned();
    text
}
