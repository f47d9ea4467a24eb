//! Organisation owners invite members by e-mail; the link creates the
//! member's account (or adds an existing one) in the organisation.

use super::{OrgStatus, profile::OrgKind};
#[cfg(feature = "ssr")]
use crate::identity::auth::ssr::with_user;
use crate::{
    base::error::AppError,
    ui::form::{
        Field, FormEnd, FormPage, PageForm, action_error, action_succeeded, reloaded_after,
    },
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyOrganisation {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub status: OrgStatus,
    pub owner: bool,
}

/// The organisations the signed-in user belongs to.
#[server(prefix = "/api", endpoint = "compte/organisations")]
pub async fn my_organisations() -> Result<Vec<MyOrganisation>, AppError> {
    with_user(|pool, user| async move {
        Ok(sqlx::query_as!(
            MyOrganisation,
            r#"SELECT o.id, o.name, o.kind AS "kind: OrgKind", o.status AS "status: OrgStatus", m.role = 'owner' AS "owner!"
               FROM memberships m JOIN organisations o ON o.id = m.organisation_id
               WHERE m.user_id = $1 ORDER BY o.name"#,
            user.id
        )
        .fetch_all(&pool)
        .await?)
    })
    .await
}

/// An owner invites someone to their organisation.
#[server(prefix = "/api", endpoint = "organisation/inviter")]
pub async fn invite_member(organisation_id: i64, email: String) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        ssr::invite(&pool, organisation_id, &email).await?;
        crate::base::forms::redirect_plain_form("/compte?invitation=1#organisation");
        Ok(())
    })
    .await
}

/// Accepts an invitation: creates the account, or adds the signed-in one.
#[server(prefix = "/api", endpoint = "invitation")]
pub async fn accept_invitation(
    token: String,
    display_name: Option<String>,
    password: Option<String>,
) -> Result<(), AppError> {
    crate::base::db::with_pool(|pool| async move {
        let signed_in = ssr::accept(
            &pool,
            &token,
            display_name.unwrap_or_default(),
            password.unwrap_or_default(),
        )
        .await?;
        leptos_axum::redirect(if signed_in {
            "/compte#organisation"
        } else {
            "/connexion?invitation=1"
        });
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::{
        base::error::AppError,
        base::mail::ssr::mailer,
        base::validate::parse_email,
        identity::auth::{
            Permission,
            ssr::{audit, hash_token, new_token, request_meta, require_organisation_permission},
        },
        identity::users::{Role, ssr as users},
        organisations::profile::OrgKind,
    };
    use sqlx::PgPool;

    const VALID_DAYS: i32 = 7;

    pub async fn invite(pool: &PgPool, organisation_id: i64, email: &str) -> Result<(), AppError> {
        let owner =
            require_organisation_permission(pool, Permission::MemberInvite, organisation_id)
                .await?;
        let is_owner = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND organisation_id = $2 AND role = 'owner') AS "owner!""#,
            owner.id,
            organisation_id
        )
        .fetch_one(pool)
        .await?;
        if !is_owner {
            return Err(AppError::Forbidden);
        }
        let email = parse_email(email)?;
        let organisation = sqlx::query_scalar!(
            "SELECT name FROM organisations WHERE id = $1",
            organisation_id
        )
        .fetch_one(pool)
        .await?;
        let (token, token_hash) = new_token();
        let mut tx = pool.begin().await?;
        sqlx::query!(
            "INSERT INTO invitations (token_hash, organisation_id, email, invited_by, expires_at)
             VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))",
            token_hash,
            organisation_id,
            email,
            owner.id,
            VALID_DAYS
        )
        .execute(&mut *tx)
        .await?;
        audit(
            &mut *tx,
            Some(owner.id),
            "member.invited",
            &request_meta(),
            serde_json::json!({ "organisation": organisation_id }),
        )
        .await?;
        tx.commit().await?;
        let link = crate::base::site::use_site().url(&format!("/invitation?jeton={token}"));
        mailer()?
            .send(
                &email,
                crate::base::mail::ssr::invitation(&owner.display_name, &organisation, &link),
            )
            .await
    }

    /// `Ok(true)` when a signed-in account joined, `Ok(false)` when an account was created.
    pub async fn accept(
        pool: &PgPool,
        token: &str,
        display_name: String,
        password: String,
    ) -> Result<bool, AppError> {
        let invitation = sqlx::query!(
            r#"SELECT i.organisation_id, i.email, o.kind AS "kind: OrgKind" FROM invitations i JOIN organisations o ON o.id = i.organisation_id
             WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now()"#,
            hash_token(token)
        )
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::invalid("token", "Cette invitation n'est plus valable : demandez-en une nouvelle."))?;
        let role = if invitation.kind == OrgKind::Centre {
            Role::CentreMember
        } else {
            Role::Recruiter
        };
        let meta = request_meta();

        let signed_in = crate::identity::auth::ssr::current_user(pool).await?;
        let existing = sqlx::query!(
            "SELECT id, role FROM users WHERE email = $1",
            invitation.email
        )
        .fetch_optional(pool)
        .await?;
        let user_id = match (signed_in, existing) {
            (Some(me), _) if me.email == invitation.email => {
                if me.role != role {
                    return Err(AppError::invalid(
                        "token",
                        "Ce compte ne peut pas rejoindre ce type d'organisation.",
                    ));
                }
                me.id
            }
            (Some(_), _) => {
                return Err(AppError::invalid(
                    "token",
                    "Cette invitation est adressée à un autre e-mail que celui de votre compte.",
                ));
            }
            (None, Some(_)) => {
                return Err(AppError::invalid(
                    "token",
                    "Un compte existe déjà avec cette adresse : connectez-vous, puis rouvrez le lien.",
                ));
            }
            (None, None) => {
                let name = crate::identity::auth::parse_display_name(&display_name)?;
                users::check_new_password(&password, &invitation.email, &name)?;
                let hash = users::hash_password(password).await?;
                // The link proves the address: the account starts verified.
                sqlx::query_scalar!(
                    "INSERT INTO users (email, display_name, password_hash, role, email_verified_at)
                     VALUES ($1, $2, $3, $4, now()) RETURNING id",
                    invitation.email,
                    name,
                    hash,
                    role.as_db()
                )
                .fetch_one(pool)
                .await?
            }
        };
        let mut tx = pool.begin().await?;
        let accepted = sqlx::query_scalar!(
            "UPDATE invitations SET accepted_at = now() WHERE token_hash = $1 AND accepted_at IS NULL RETURNING organisation_id",
            hash_token(token)
        )
        .fetch_optional(&mut *tx)
        .await?;
        if accepted.is_none() {
            return Err(AppError::invalid(
                "token",
                "Cette invitation vient d'être utilisée.",
            ));
        }
        sqlx::query!(
            "INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, 'member') ON CONFLICT DO NOTHING",
            user_id,
            invitation.organisation_id
        )
        .execute(&mut *tx)
        .await?;
        audit(
            &mut *tx,
            Some(user_id),
            "member.joined",
            &meta,
            serde_json::json!({ "organisation": invitation.organisation_id }),
        )
        .await?;
        tx.commit().await?;
        Ok(crate::identity::auth::ssr::current_user(pool)
            .await?
            .is_some())
    }
}

/// `/invitation?jeton=…`
#[component]
pub fn InvitationPage() -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = action_error(action);
    view! {
        <FormPage title="Invitation" heading="Rejoindre votre organisation"
            description="Rejoignez votre organisation sur Passerelle."
            path="/invitation" noindex=true
            intro="Créez votre compte ci-dessous. Vous avez déjà un compte avec cette adresse ? Connectez-vous, puis rouvrez le lien et validez sans remplir les champs.">
            <PageForm action query=("token", "jeton") error fields=&["display_name", "password"]
                submit="Rejoindre l'organisation">
                <Field label="Nom et prénom" name="display_name" autocomplete="name" error=error/>
                <Field label="Mot de passe" name="password" input_type="password" autocomplete="new-password"
                    help="12 caractères au moins." error=error/>
            </PageForm>
        </FormPage>
    }
}

/// Builds the "Mon organisation" part of `/compte`. Its action and data are
/// created with the page (not inside the page's Suspense) for hydration.
pub fn account_section() -> ViewFn {
    let invite = ServerAction::<InviteMember>::new();
    let organisations = reloaded_after([invite.version()], my_organisations);
    ViewFn::from(move || view! { <OrganisationSection organisations invite/> })
}

/// The "Mon organisation" section of `/compte`, with the invitation form for owners.
#[component]
pub fn OrganisationSection(
    organisations: Resource<Result<Vec<MyOrganisation>, AppError>>,
    invite: ServerAction<InviteMember>,
) -> impl IntoView {
    let sent = action_succeeded(invite, "invitation");
    let error = action_error(invite);
    view! {
        <Suspense fallback=|| ()>
            {move || organisations.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|list| view! {
                <h2 id="organisation" class="mt-10 scroll-mt-20 text-xl font-bold text-slate-900">"Mon organisation"</h2>
                {list.into_iter().map(|org| {
                    let status = org.status.label();
                    view! {
                        <div class="card mt-4">
                            <p class="font-bold">{org.name.clone()} <span class="ml-2 text-sm font-normal text-slate-700">{status}</span></p>
                            {org.owner.then(|| view! {
                                <ActionForm action=invite attr:novalidate=true attr:class="mt-4 space-y-3">
                                    <input type="hidden" name="organisation_id" value=org.id/>
                                    <Field label="Inviter un membre (e-mail)" name="email" input_type="email" autocomplete="off" error=error/>
                                    <FormEnd error fields=&["email"] label="Envoyer l'invitation" class="btn-secondary"
                                        succeeded=sent done="Invitation envoyée."/>
                                </ActionForm>
                            })}
                        </div>
                    }
                }).collect_view()}
            })}
        </Suspense>
    }
}
