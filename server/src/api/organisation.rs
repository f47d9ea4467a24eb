//! Who may act for an organisation through the API, decided once for every
//! route of `/api/v1/entreprise/…` and `/api/v1/centre/…`: the
//! organisation's own API client, or one of its members through an app
//! they consented to. A client needs the route's scope and the right kind
//! of organisation; a member needs the scope too, then the site's own guard
//! decides (`organisations::profile::ssr::as_member`: the permission, the
//! membership, and a verified address to publish), run as that user.
//!
//! What the routes share is here too: the answers' private cache headers,
//! the app's errors as problems (another organisation's resources are
//! 404, never 403), ids read from the path and dates written ISO 8601.

use super::{ApiState, Caller, bearer, problem::Problem};
use app::{
    base::error::AppError,
    identity::auth::{AuthUser, Permission},
    organisations::profile::OrgKind,
};
use axum::{
    Json,
    extract::{Path, rejection::PathRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

/// Who acts for an organisation, once [`actor`] let them.
#[derive(Clone, Debug)]
pub struct Actor {
    pub organisation_id: i64,
    /// The member acting through an app; `None` for the organisation's
    /// API client.
    pub user: Option<AuthUser>,
}

/// The organisation of `kind` that `caller` may act for with `scope` and
/// `permission`, or the answer that refuses them: 401 without a token, 403
/// for a client of another kind of organisation, a token without `scope`
/// (`insufficient_scope`) or a user the site's guard refuses.
pub async fn actor(
    state: &ApiState,
    caller: &Caller,
    kind: OrgKind,
    scope: &str,
    permission: Permission,
) -> Result<Actor, Response> {
    let insufficient = || {
        bearer::refusal(
            StatusCode::FORBIDDEN,
            Some(&format!(
                "Bearer realm=\"passerelle-api\", error=\"insufficient_scope\", scope=\"{scope}\""
            )),
            &format!("Ce jeton n'a pas la portée « {scope} »."),
        )
    };
    match caller {
        Caller::Anonymous => Err(bearer::refusal(
            StatusCode::UNAUTHORIZED,
            Some("Bearer realm=\"passerelle-api\""),
            "Cette route demande un jeton d'accès : celui d'un client de l'organisation, ou d'une application agissant pour l'un de ses membres (POST /api/v1/oauth/token).",
        )),
        Caller::Client(client) => {
            if client.kind != kind {
                return Err(forbidden(match kind {
                    OrgKind::Entreprise => "Cette route est réservée aux entreprises.",
                    OrgKind::Centre => "Cette route est réservée aux centres de formation.",
                }));
            }
            if !client.scopes.has(scope) {
                return Err(insufficient());
            }
            Ok(Actor {
                organisation_id: client.organisation_id,
                user: None,
            })
        }
        Caller::User(user) => {
            if !user.scopes.has(scope) {
                return Err(insufficient());
            }
            // The dashboard's guard, as the site runs it: publishing takes a
            // verified address too.
            let verified = matches!(
                permission,
                Permission::JobPublish | Permission::TrainingPublish
            );
            let organisation = caller
                .run(state, || {
                    app::organisations::profile::ssr::as_member(
                        kind,
                        permission,
                        verified,
                        |_, organisation| async move { Ok(organisation) },
                    )
                })
                .await
                .map_err(|error| match error {
                    AppError::Forbidden => forbidden(match kind {
                        OrgKind::Entreprise => "Votre compte n'a pas ce droit dans une entreprise dont vous êtes membre.",
                        OrgKind::Centre => "Votre compte n'a pas ce droit dans un centre de formation dont vous êtes membre.",
                    }),
                    AppError::TwoFactorRequired | AppError::Invalid { .. } => {
                        forbidden(&error.to_string())
                    }
                    AppError::Unauthenticated => bearer::refusal(
                        StatusCode::UNAUTHORIZED,
                        Some("Bearer realm=\"passerelle-api\", error=\"invalid_token\""),
                        "Ce jeton n'est plus valable.",
                    ),
                    other => Problem::from(other).into_response(),
                })?;
            Ok(Actor {
                organisation_id: organisation,
                user: Some(user.user.clone()),
            })
        }
    }
}

fn forbidden(detail: &str) -> Response {
    bearer::refusal(StatusCode::FORBIDDEN, None, detail)
}

/// An answer about one organisation's data: never kept by any cache, and
/// different for each token.
pub fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.append(header::VARY, HeaderValue::from_static("Authorization"));
    response
}

/// `body` as JSON with `status`.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    (status, Json(body)).into_response()
}

/// A 201 for what was created at `location` (a path of the API).
pub fn created<T: Serialize>(location: &str, body: &T) -> Response {
    let mut response = json(StatusCode::CREATED, body);
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The app's `error` as a problem: `missing` says what a 404 did not find
/// (another organisation's resource is one of those); the app's field
/// names become the body's (`renames`: app → API).
pub fn failure(error: AppError, missing: &str, renames: &[(&str, &str)]) -> Response {
    let error = match error {
        AppError::NotFound => return not_found(missing),
        AppError::Invalid { field, message } => AppError::Invalid {
            field: renames
                .iter()
                .find(|(from, _)| *from == field)
                .map_or(field, |(_, to)| (*to).to_owned()),
            message,
        },
        other => other,
    };
    Problem::from(error).into_response()
}

/// The `{id}` of the path, a positive number; anything else names nothing
/// ([`not_found`]).
pub fn id_of(path: Result<Path<String>, PathRejection>) -> Option<i64> {
    path.ok()
        .and_then(|Path(segment)| segment.parse::<i64>().ok())
        .filter(|id| *id > 0)
}

/// A 404 saying what was `missing`.
pub fn not_found(missing: &str) -> Response {
    Problem::not_found(missing).into_response()
}

/// "31/12/2026" (as the dashboards show dates) as "2026-12-31" (see
/// [`super::dates`]); a date the app wrote otherwise is logged and passed on.
pub fn iso_date(french: &str) -> String {
    super::dates::day(french).unwrap_or_else(|_| french.to_owned())
}

/// "31/12/2026 09:30" (Paris time, as the dashboards show it) as the UTC
/// instant "2026-12-31T08:30:00Z".
pub fn iso_minute(french: &str) -> String {
    super::dates::instant(french).unwrap_or_else(|_| french.to_owned())
}

/// Un message du fil d'une candidature ou d'une demande d'inscription.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThreadMessage {
    /// Écrit par l'entreprise ou le centre (sinon par le candidat).
    pub from_organisation: bool,
    pub author: String,
    pub body: String,
    /// Instant UTC (RFC 3339).
    #[schema(example = "2026-12-05T08:30:00Z")]
    pub at: String,
}

impl From<app::organisations::requests::Message> for ThreadMessage {
    fn from(message: app::organisations::requests::Message) -> Self {
        Self {
            from_organisation: message.from_organisation,
            author: message.author,
            body: message.body,
            at: iso_minute(&message.at),
        }
    }
}

/// A JSON field that may be absent (`None`: unchanged) or `null`
/// (`Some(None)`: emptied), for partial updates.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashboard_dates_read_as_iso_8601() {
        assert_eq!(iso_date("05/12/2026"), "2026-12-05");
        assert_eq!(iso_minute("05/12/2026 09:30"), "2026-12-05T08:30:00Z");
    }

    #[test]
    fn invalid_fields_take_the_api_names() {
        let response = failure(
            AppError::invalid("reason", "Choisissez le motif."),
            "",
            &[("reason", "motif")],
        );
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let missing = failure(AppError::NotFound, "Aucune offre.", &[]);
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }
}
