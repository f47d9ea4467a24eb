//! `/api/v1/communes?q=`: the communes a name or postal code designates,
//! as the site's place fields suggest them (the value of `lieu` the
//! searches understand).

use super::{ApiState, Caller, etag, params::Params, problem::Problem};
use app::base::places::ssr::{MAX_PLACE_CHARS, suggest};
use axum::{
    extract::{RawQuery, State},
    http::HeaderMap,
    response::Response,
};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// The parameters `/api/v1/communes` accepts (any other is refused).
pub const PARAMETERS: [&str; 1] = ["q"];

/// Suggestions given at most.
const SUGGESTIONS: i64 = 10;

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct LookupParams {
    /// Le début d'un nom (« lyo », accents et petites fautes pardonnés), un
    /// code postal (« 69003 ») ou les deux (« Lyon (69001) »). Sous deux
    /// lettres sans code postal (ou sans `q`), rien n'est suggéré.
    #[param(max_length = 80, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    q: Option<String>,
}

/// Une commune.
#[derive(Debug, Serialize, ToSchema)]
pub struct Commune {
    /// Le code INSEE.
    pub code: String,
    pub name: String,
    /// Le code postal demandé, ou le premier de la commune.
    pub postal_code: String,
    pub departement_code: String,
    pub departement_name: String,
    /// « Lyon (69001) » : une valeur de `lieu` que les recherches comprennent.
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneList {
    /// Les plus peuplées d'abord, dix au plus.
    pub items: Vec<Commune>,
}

/// Les communes d'un nom ou d'un code postal, comme les champs de lieu les suggèrent.
#[utoipa::path(
    get,
    path = "/api/v1/communes",
    tag = "Communes",
    params(LookupParams),
    responses((status = 200, description = "Les communes correspondantes, les plus peuplées d'abord.", body = CommuneList))
)]
pub async fn lookup(
    State(state): State<ApiState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let params = Params::parse(query.as_deref(), &PARAMETERS)?;
    let q = params
        .text("q", MAX_PLACE_CHARS)?
        .unwrap_or_default()
        .to_owned();
    let pool = state.reads(&caller);
    let communes = caller
        .run_public(
            &state,
            || async move { suggest(&pool, &q, SUGGESTIONS).await },
        )
        .await?;
    let body = CommuneList {
        items: communes
            .into_iter()
            .map(|commune| Commune {
                label: commune.label(),
                code: commune.code,
                name: commune.name,
                postal_code: commune.postal_code,
                departement_code: commune.departement_code,
                departement_name: commune.departement_name,
            })
            .collect(),
    };
    Ok(etag::json(&headers, &body))
}
