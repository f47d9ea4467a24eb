//! One error type for the whole app, mapped once to an HTTP status and to a
//! French message for the UI.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input on one field; the message is shown under that field.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("Trop de tentatives. Réessayez dans {retry_after} secondes.")]
    RateLimited { retry_after: u64 },
    #[error("Vous devez être connecté pour continuer.")]
    Unauthenticated,
    #[error("Vous n'avez pas les droits nécessaires pour cette action.")]
    Forbidden,
    /// Admins and editors must enrol a second factor before anything else.
    #[error("Activez la double authentification pour continuer.")]
    TwoFactorRequired,
    #[error("Cette page n'existe pas.")]
    NotFound,
    /// More than the server accepts in one request (a file, a form).
    #[error("{message}")]
    TooLarge { field: String, message: String },
    /// PostgreSQL or Redis cannot be reached right now: the visitor may try
    /// again in a moment; nothing is wrong with their request.
    #[error("Le service est momentanément indisponible. Réessayez dans un instant.")]
    Unavailable,
    /// Details are logged on the server, never sent to the client.
    #[error("Une erreur est survenue de notre côté. Réessayez dans un instant.")]
    Internal,
    /// The call itself failed (network, encoding) before the server could answer.
    #[error("Le serveur n'a pas pu être joint. Vérifiez votre connexion et réessayez.")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, message: &str) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }

    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::TwoFactorRequired => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal | Self::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message to show under the form field `name`, if this error is
    /// about it. A nested name (`input[title]`, as server functions taking a
    /// struct read their forms) answers for its inner key (`title`).
    pub fn for_field(&self, name: &str) -> Option<String> {
        let key = name
            .strip_suffix(']')
            .and_then(|n| n.rsplit_once('['))
            .map_or(name, |(_, key)| key);
        match self {
            Self::Invalid { field, message } | Self::TooLarge { field, message }
                if field == key =>
            {
                Some(message.clone())
            }
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        const MALFORMED: &str = "La requête est incomplète ou mal formée.";
        let (error, status) = match value {
            // The request reached the server but its arguments did not decode.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                (Self::invalid("", MALFORMED), 422)
            }
            // On the server, only reading the request body gives these: a
            // body that is not UTF-8 or not JSON, or one past the limit.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(message) if message.contains("length limit") => (
                Self::TooLarge {
                    field: String::new(),
                    message: "La requête dépasse la taille maximale acceptée.".to_owned(),
                },
                413,
            ),
            // The body came too slowly (see the server's body timeout).
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(message) if message.contains("timed out") => (
                Self::invalid("", "La requête est arrivée trop lentement : réessayez."),
                408,
            ),
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => (Self::invalid("", MALFORMED), 400),
            other => return Self::Transport(other.to_string()),
        };
        // server_fn answers every decoding failure with a 500: the client's
        // mistake gets its 4xx here, where the error is made.
        #[cfg(feature = "ssr")]
        ssr::set_decode_status(status);
        #[cfg(not(feature = "ssr"))]
        let _ = status;
        error
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        /// A database that cannot be reached (restarting, overloaded, pool
        /// exhausted) or a statement cancelled by a conflict is a 503: the
        /// request may succeed in a moment. Anything else is our bug, a 500.
        fn from(error: sqlx::Error) -> Self {
            if database_unreachable(&error) || cancelled_by_conflict(&error) {
                tracing::warn!(%error, "database unavailable");
                Self::Unavailable
            } else {
                tracing::error!(%error, "database error");
                Self::Internal
            }
        }
    }

    /// Connection trouble, not a faulty statement: I/O, TLS, pool time-outs
    /// and closures, and PostgreSQL's own "operator intervention" (57P0x:
    /// shutdown, crash, cannot connect now) and "connection exception" (08)
    /// classes.
    pub fn database_unreachable(error: &sqlx::Error) -> bool {
        match error {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|code| code.starts_with("57P") || code.starts_with("08")),
            _ => false,
        }
    }

    /// A statement PostgreSQL cancelled to be tried again: a serialisation
    /// failure or a deadlock (40001, 40P01), which is also how a read
    /// replica stops a query that its replay of the primary's changes
    /// conflicts with.
    pub fn cancelled_by_conflict(error: &sqlx::Error) -> bool {
        matches!(error, sqlx::Error::Database(db)
            if db.code().is_some_and(|code| code == "40001" || code == "40P01"))
    }

    /// Whether leptos_axum sends this failed call back to its form's page
    /// (a plain form post, with the page's address in `Referer`): that 302
    /// must stay. Anything else gets the error's own status.
    fn redirected_back() -> bool {
        crate::base::forms::is_plain_form_post()
            && leptos::prelude::use_context::<http::request::Parts>()
                .is_some_and(|parts| parts.headers.contains_key(http::header::REFERER))
    }

    /// Whether the current call is a server function's own HTTP request
    /// (`/api/…`) whose status is the error's. During a page render, server
    /// functions run in-process and the page decides its status (a redirect
    /// to sign in, a 404): their errors must not overwrite it.
    fn owns_the_status() -> bool {
        leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|parts| parts.uri.path().starts_with("/api/"))
            && !redirected_back()
    }

    /// The status of a server-function call whose arguments did not decode,
    /// for API callers (a plain form post keeps its redirect back to the
    /// form, which shows the message). Runs inside leptos_axum's handler,
    /// whose response options are applied after the error body is written.
    pub(super) fn set_decode_status(code: u16) {
        use leptos::prelude::use_context;
        if owns_the_status()
            && let (Some(response), Ok(status)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::StatusCode::from_u16(code),
            )
        {
            response.set_status(status);
        }
    }

    impl AppError {
        /// Sets the HTTP status of the current server-function response.
        ///
        /// A plain HTML form post (no JavaScript) is redirected back to its page
        /// by leptos_axum with the error in the URL, so its 302 must stay.
        pub fn into_response_error(self) -> Self {
            use leptos::prelude::use_context;
            use leptos_axum::ResponseOptions;
            if owns_the_status()
                && let Some(response) = use_context::<ResponseOptions>()
            {
                response.set_status(self.status());
                if let Self::RateLimited { retry_after } = &self
                    && let Ok(value) = http::HeaderValue::from_str(&retry_after.to_string())
                {
                    response.insert_header(http::header::RETRY_AFTER, value);
                }
            }
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_client_errors_for_bad_input() {
        assert_eq!(AppError::invalid("email", "x").status(), 422);
        assert_eq!(AppError::RateLimited { retry_after: 5 }.status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn field_message_only_for_its_field() {
        let err = AppError::invalid("email", "Adresse invalide");
        assert_eq!(err.for_field("email").as_deref(), Some("Adresse invalide"));
        assert_eq!(err.for_field("name"), None);
        assert_eq!(
            err.for_field("input[email]").as_deref(),
            Some("Adresse invalide")
        );
        assert_eq!(err.for_field("input[name]"), None);
    }

    #[test]
    fn internal_error_message_reveals_nothing() {
        let text = AppError::Internal.to_string();
        assert!(text.contains("erreur"));
        assert!(!text.to_lowercase().contains("sql"));
    }
}
