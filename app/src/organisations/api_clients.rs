//! An organisation's API clients: the OAuth 2.1 client-credentials
//! identities its owners create for their software (ATS, catalogue) to call
//! `/api/v1` as the organisation. The secret is shown once, right after
//! creation, and only its SHA-256 is kept; revoking a client refuses its
//! next token request and the next call of every token it already holds
//! (the API checks the client on each call, see `ssr::client_for_token`).

use super::profile::OrgKind;
use crate::{
    base::error::AppError,
    base::seo::Seo,
    identity::auth::pages::access_error,
    ui::form::{Field, FormEnd, action_error, reloaded_after},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The longest name of a client (the database checks it too).
pub const NAME_MAX: usize = 80;

/// The scopes a client of `kind` may be given, with what each lets it do;
/// the first, reading, is ticked on a new client's form.
pub fn scopes_of(kind: OrgKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        OrgKind::Entreprise => &[
            (
                "offres:lecture",
                "Lire les offres de l'entreprise, dans tous leurs statuts.",
            ),
            (
                "offres:ecriture",
                "Créer, modifier, publier et clore les offres.",
            ),
            (
                "recrutement",
                "Lire les candidatures reçues et leurs CV, les faire avancer.",
            ),
        ],
        OrgKind::Centre => &[
            (
                "formations:lecture",
                "Lire les formations du centre et leurs sessions, dans tous leurs statuts.",
            ),
            (
                "formations:ecriture",
                "Créer, modifier et publier les formations et leurs sessions.",
            ),
            (
                "inscriptions",
                "Lire et traiter les demandes d'inscription reçues.",
            ),
        ],
    }
}

/// One client as the dashboard lists it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientRow {
    pub id: i64,
    pub client_id: String,
    pub name: String,
    pub scopes: Vec<String>,
    /// "05/12/2026 09:30"
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A client just created: the only answer that carries its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiClient {
    pub client_id: String,
    pub secret: String,
    pub scopes: Vec<String>,
}

/// What the clients' page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientsPage {
    pub clients: Vec<ApiClientRow>,
    /// The client a plain form (JavaScript off) has just created, with its
    /// secret: on this one answer, then gone from the session.
    pub created: Option<NewApiClient>,
}

/// The session key of a client just created by a plain form.
#[cfg(feature = "ssr")]
const CREATED_KEY: &str = "fresh_api_client";

/// The clients of the signed-in owner's organisation of `kind`.
#[server(prefix = "/api", endpoint = "organisation/clients-api")]
pub async fn api_clients(kind: OrgKind) -> Result<ClientsPage, AppError> {
    ssr::as_owner(kind, |pool, _, org| async move {
        Ok(ClientsPage {
            clients: ssr::list(&pool, org).await?,
            created: crate::identity::auth::ssr::take_once(CREATED_KEY).await?,
        })
    })
    .await
}

/// Creates a client named `name` holding `scopes` (among those of its
/// kind): its secret is in this answer only (or, for a plain form, on the
/// page it comes back to, once).
#[server(prefix = "/api", endpoint = "organisation/clients-api/creer")]
pub async fn create_api_client(
    kind: OrgKind,
    name: String,
    #[server(default)] scopes: Vec<String>,
) -> Result<NewApiClient, AppError> {
    ssr::as_owner(kind, |pool, owner, org| async move {
        let created = ssr::create(&pool, &owner, org, kind, &name, &scopes).await?;
        if crate::base::forms::is_plain_form_post() {
            crate::identity::auth::ssr::stash_once(CREATED_KEY, &created).await?;
            crate::base::forms::redirect_plain_form(page_path(kind));
        }
        Ok(created)
    })
    .await
}

/// Revokes client `id` at once: its tokens fail at their next use.
#[server(prefix = "/api", endpoint = "organisation/clients-api/revoquer")]
pub async fn revoke_api_client(kind: OrgKind, id: i64) -> Result<(), AppError> {
    ssr::as_owner(kind, |pool, owner, org| async move {
        ssr::revoke(&pool, &owner, org, id).await?;
        crate::base::forms::redirect_plain_form(page_path(kind));
        Ok(())
    })
    .await
}

/// The clients' page of an organisation of `kind`.
pub fn page_path(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Centre => "/tableau-de-bord/centre/api",
        OrgKind::Entreprise => "/tableau-de-bord/entreprise/api",
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{ApiClientRow, NAME_MAX, NewApiClient, scopes_of};
    use crate::{
        base::error::AppError,
        base::tokens::{hash_token, new_token},
        identity::auth::{
            AuthUser, Permission,
            ssr::{audit, request_meta},
        },
        organisations::{OrgStatus, profile::OrgKind},
    };
    use rand::RngCore;
    use sqlx::PgPool;

    /// Runs `body` as an owner of the signed-in member's organisation of
    /// `kind`: a plain member is refused (403), as for invitations.
    pub async fn as_owner<T, Fut>(
        kind: OrgKind,
        body: impl FnOnce(PgPool, AuthUser, i64) -> Fut,
    ) -> Result<T, AppError>
    where
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        crate::organisations::profile::ssr::with_member(
            kind,
            Permission::OrganisationEdit,
            |pool, user, org| async move {
                let owner = sqlx::query_scalar!(
                    r#"SELECT EXISTS (SELECT 1 FROM memberships
                                      WHERE user_id = $1 AND organisation_id = $2 AND role = 'owner') AS "owner!""#,
                    user.id,
                    org
                )
                .fetch_one(&pool)
                .await?;
                if !owner {
                    return Err(AppError::Forbidden);
                }
                body(pool, user, org).await
            },
        )
        .await
    }

    pub async fn list(pool: &PgPool, organisation: i64) -> Result<Vec<ApiClientRow>, AppError> {
        Ok(sqlx::query_as!(
            ApiClientRow,
            r#"SELECT id, client_id, name, scopes,
                      to_char(created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created_at!",
                      to_char(last_used_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS last_used_at,
                      to_char(revoked_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS revoked_at
               FROM api_clients WHERE organisation_id = $1
               ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC"#,
            organisation
        )
        .fetch_all(pool)
        .await?)
    }

    /// A client's name, trimmed: 1 to 80 characters, no control character.
    pub fn parse_name(name: &str) -> Result<String, AppError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control)
        {
            return Err(AppError::invalid(
                "name",
                "Donnez un nom à ce client (80 caractères au plus), par exemple celui du logiciel qui l'utilisera.",
            ));
        }
        Ok(name.to_owned())
    }

    /// The scopes ticked, each one of `kind`'s, at least one; in the order
    /// the form lists them.
    pub fn parse_scopes(kind: OrgKind, given: &[String]) -> Result<Vec<String>, AppError> {
        let offered = scopes_of(kind);
        if given.is_empty()
            || given
                .iter()
                .any(|scope| !offered.iter().any(|(name, _)| name == scope))
        {
            return Err(AppError::invalid(
                "scopes",
                "Choisissez au moins une portée parmi celles proposées.",
            ));
        }
        Ok(offered
            .iter()
            .filter(|(name, _)| given.iter().any(|scope| scope == name))
            .map(|(name, _)| (*name).to_owned())
            .collect())
    }

    /// A new public identifier: "pc_" and 128 random bits in hexadecimal.
    fn new_client_id() -> String {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("pc_{hex}")
    }

    /// The SHA-256 a secret is kept and checked as.
    pub fn secret_hash(secret: &str) -> Vec<u8> {
        hash_token(secret)
    }

    pub async fn create(
        pool: &PgPool,
        owner: &AuthUser,
        organisation: i64,
        kind: OrgKind,
        name: &str,
        scopes: &[String],
    ) -> Result<NewApiClient, AppError> {
        let name = parse_name(name)?;
        let scopes = parse_scopes(kind, scopes)?;
        // 256 random bits; "pcs_" lets secret scanners recognise a leak.
        let secret = format!("pcs_{}", new_token().0);
        let client_id = new_client_id();
        let mut tx = pool.begin().await?;
        let id = sqlx::query_scalar!(
            "INSERT INTO api_clients (client_id, organisation_id, name, secret_hash, scopes, created_by)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            client_id,
            organisation,
            name,
            secret_hash(&secret),
            &scopes,
            owner.id
        )
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut *tx,
            Some(owner.id),
            "api_client.created",
            &request_meta(),
            serde_json::json!({
                "organisation": organisation,
                "api_client": id,
                "client_id": client_id,
                "name": name,
                "scopes": scopes,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(NewApiClient {
            client_id,
            secret,
            scopes,
        })
    }

    /// Revokes the organisation's client `id` (404 if it is another's or
    /// already revoked).
    pub async fn revoke(
        pool: &PgPool,
        owner: &AuthUser,
        organisation: i64,
        id: i64,
    ) -> Result<(), AppError> {
        let mut tx = pool.begin().await?;
        let client_id = sqlx::query_scalar!(
            "UPDATE api_clients SET revoked_at = now()
             WHERE id = $1 AND organisation_id = $2 AND revoked_at IS NULL
             RETURNING client_id",
            id,
            organisation
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        audit(
            &mut *tx,
            Some(owner.id),
            "api_client.revoked",
            &request_meta(),
            serde_json::json!({
                "organisation": organisation,
                "api_client": id,
                "client_id": client_id,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether `a` and `b` are equal, in a time that does not depend on
    /// where they differ.
    fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        let diff = a
            .iter()
            .zip(b)
            .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y));
        a.len() == b.len() && diff == 0
    }

    /// A client able to get or use a token: not revoked, its organisation
    /// approved.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ActiveClient {
        pub id: i64,
        pub client_id: String,
        pub organisation_id: i64,
        pub kind: OrgKind,
        pub scopes: Vec<String>,
    }

    /// Why a client may not have a token.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Refusal {
        /// Unknown, wrong secret or revoked: the same answer for all three.
        BadCredentials,
        /// Its organisation is not (or no longer) approved.
        OrganisationInactive,
    }

    /// The client `client_id` if `secret` is its own, it is not revoked and
    /// its organisation is approved. The hashes are compared in constant
    /// time, and an unknown client costs the same hash as a known one.
    pub async fn authenticate(
        pool: &PgPool,
        client_id: &str,
        secret: &str,
    ) -> Result<Result<ActiveClient, Refusal>, AppError> {
        let given = secret_hash(secret);
        let row = sqlx::query!(
            r#"SELECT c.id, c.client_id, c.organisation_id, c.secret_hash, c.scopes, c.revoked_at IS NOT NULL AS "revoked!",
                      o.kind AS "kind: OrgKind", o.status AS "status: OrgStatus"
               FROM api_clients c JOIN organisations o ON o.id = c.organisation_id
               WHERE c.client_id = $1"#,
            client_id
        )
        .fetch_optional(pool)
        .await?;
        let Some(row) = row else {
            return Ok(Err(Refusal::BadCredentials));
        };
        if !constant_time_eq(&row.secret_hash, &given) || row.revoked {
            return Ok(Err(Refusal::BadCredentials));
        }
        if row.status != OrgStatus::Approved {
            return Ok(Err(Refusal::OrganisationInactive));
        }
        sqlx::query!(
            "UPDATE api_clients SET last_used_at = now() WHERE id = $1",
            row.id
        )
        .execute(pool)
        .await?;
        Ok(Ok(ActiveClient {
            id: row.id,
            client_id: row.client_id,
            organisation_id: row.organisation_id,
            kind: row.kind,
            scopes: row.scopes,
        }))
    }

    /// The client a verified token names, if it may still call: it exists,
    /// is not revoked, still belongs to `organisation`, which is still
    /// approved. One query on the primary key; `last_used_at` is written at
    /// most once a minute.
    pub async fn client_for_token(
        pool: &PgPool,
        client_id: &str,
        organisation: i64,
    ) -> Result<Option<ActiveClient>, AppError> {
        let row = sqlx::query!(
            r#"WITH active AS (
                   SELECT c.id, c.client_id, c.organisation_id, c.scopes, c.last_used_at, o.kind
                   FROM api_clients c JOIN organisations o ON o.id = c.organisation_id
                   WHERE c.client_id = $1 AND c.organisation_id = $2
                     AND c.revoked_at IS NULL AND o.status = 'approved'
               ), touched AS (
                   UPDATE api_clients c SET last_used_at = now()
                   FROM active a
                   WHERE c.id = a.id
                     AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute')
               )
               SELECT id AS "id!", client_id AS "client_id!", organisation_id AS "organisation_id!",
                      scopes AS "scopes!", kind AS "kind!: OrgKind"
               FROM active"#,
            client_id,
            organisation
        )
        .fetch_optional(pool)
        .await?;
        Ok(row.map(|row| ActiveClient {
            id: row.id,
            client_id: row.client_id,
            organisation_id: row.organisation_id,
            kind: row.kind,
            scopes: row.scopes,
        }))
    }
}

/// `/tableau-de-bord/entreprise/api` and `/tableau-de-bord/centre/api`:
/// the organisation's API clients, for its owners.
#[component]
pub fn ApiClientsPage(kind: OrgKind) -> impl IntoView {
    let create = ServerAction::<CreateApiClient>::new();
    let revoke = ServerAction::<RevokeApiClient>::new();
    let clients = reloaded_after([create.version(), revoke.version()], move || {
        api_clients(kind)
    });
    let error = action_error(create);
    let scopes_error = move || error.get().and_then(|e| e.for_field("scopes"));
    let path = page_path(kind);
    let kind_value = match kind {
        OrgKind::Centre => "centre",
        OrgKind::Entreprise => "entreprise",
    };
    // The secret lives in this action's value only (or, without JavaScript,
    // in the one answer of the list after the form's redirect): a reload forgets it.
    let created = move || create.value().get().and_then(Result::ok);
    view! {
        <Seo title="Accès à l'API" description="Les clients de l'API de votre organisation." path noindex=true/>
        <section class="mx-auto max-w-3xl px-4 py-10 sm:px-6">
            {match kind {
                OrgKind::Centre => view! { <crate::ui::nav::CentreNav/> }.into_any(),
                OrgKind::Entreprise => view! { <crate::ui::nav::CompanyNav/> }.into_any(),
            }}
            <h1 class="text-3xl font-extrabold text-slate-900">"Accès à l'API"</h1>
            <p class="mt-2 text-slate-700">"Un client de l'API permet à votre logiciel (ATS, catalogue) d'appeler "
                <a class="text-brand-700 underline" href="/api/v1/docs">"l'API de Passerelle"</a>
                " au nom de votre organisation, avec le flux OAuth « client credentials »."</p>
            {move || created().map(|new| view! { <NewClient new/> })}
            <ActionForm action=create attr:novalidate=true attr:class="card mt-6 space-y-3">
                <input type="hidden" name="kind" value=kind_value/>
                <Field label="Nom du nouveau client" name="name" autocomplete="off"
                    help="Par exemple le nom du logiciel qui l'utilisera." error=error/>
                <fieldset>
                    <legend class="text-sm font-semibold text-slate-900">"Ce que le client peut faire (portées)"</legend>
                    <div class="mt-2 space-y-2">
                        {scopes_of(kind).iter().enumerate().map(|(i, (name, label))| view! {
                            <label class="flex items-start gap-2 text-sm text-slate-900">
                                <input type="checkbox" name="scopes[]" value=*name checked=i == 0 class="mt-0.5 h-5 w-5"/>
                                <span><code>{*name}</code> " : " {*label}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    <p class="mt-1 text-sm font-semibold text-red-800">{scopes_error}</p>
                </fieldset>
                <FormEnd error fields=&["name", "scopes"] label="Créer un client" class="btn-primary"
                    succeeded=move || created().is_some() done="Client créé."/>
            </ActionForm>
            <Suspense fallback=|| view! { <p aria-busy="true">"Chargement…"</p> }>
                {move || clients.get().map(|result| match result {
                    Err(error) => access_error(error).into_any(),
                    Ok(page) if page.clients.is_empty() => view! {
                        <p class="mt-6 text-slate-700">"Aucun client pour l'instant."</p>
                    }.into_any(),
                    Ok(page) => view! {
                        {page.created.map(|new| view! { <NewClient new/> })}
                        <ul class="mt-6 space-y-3">
                            {page.clients.into_iter().map(|client| view! {
                                <li class="card" data-client=client.client_id.clone()>
                                    <p class="font-bold">{client.name.clone()}</p>
                                    <p class="text-sm text-slate-700"><code class="break-all">{client.client_id.clone()}</code>
                                        " · " {client.scopes.join(", ")}</p>
                                    <p class="text-sm text-slate-700">"Créé le " {client.created_at.clone()}
                                        {client.last_used_at.clone().map(|at| format!(" · dernier usage le {at}"))}</p>
                                    {match client.revoked_at.clone() {
                                        Some(at) => view! { <p class="text-sm font-semibold text-red-800">"Révoqué le " {at}</p> }.into_any(),
                                        None => view! {
                                            <ActionForm action=revoke attr:class="mt-2">
                                                <input type="hidden" name="kind" value=kind_value/>
                                                <input type="hidden" name="id" value=client.id/>
                                                <button type="submit" class="btn-secondary">"Révoquer"</button>
                                            </ActionForm>
                                        }.into_any(),
                                    }}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// A client just created, with its secret: shown this once.
#[component]
fn NewClient(new: NewApiClient) -> impl IntoView {
    view! {
        <div class="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950" role="status" data-new-client="">
            <p class="font-semibold">"Client créé. Copiez son secret maintenant : il ne sera plus jamais affiché."</p>
            <p class="mt-2">"Identifiant : " <code class="break-all">{new.client_id}</code></p>
            <p class="mt-1">"Secret : " <code class="break-all" data-secret="">{new.secret}</code></p>
        </div>
    }
}
