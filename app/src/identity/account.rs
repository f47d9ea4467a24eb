//! `/compte`: the signed-in user's own space (profile, sign-out).

use crate::{
    base::error::AppError,
    identity::auth::{
        self,
        pages::{SignOutButton, access_error},
    },
    ui::form::{
        Confirmation, Field, FormEnd, FormError, FormPage, action_error, action_succeeded,
        reloaded_after,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveSession {
    pub id: i64,
    /// The browser, or the app a token family was given to.
    pub device: String,
    /// What an app may do (French), for a token family; empty for a browser.
    pub scopes: Vec<String>,
    pub ip: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEvent {
    pub at: String,
    pub event: String,
    pub ip: String,
}

/// A short, French description of a browser from its user agent.
pub fn describe_device(user_agent: &str) -> String {
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/"]
        .into_iter()
        .find(|marker| user_agent.contains(marker))
        .map(|marker| match marker {
            "Edg/" => "Edge",
            "Firefox/" => "Firefox",
            "Chrome/" => "Chrome",
            _ => "Safari",
        });
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} sur {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) => "Appareil inconnu".to_owned(),
    }
}

/// French labels for the audit events a user sees.
pub fn describe_event(event: &str) -> &'static str {
    match event {
        "sign_up" => "Création du compte",
        "sign_in.success" => "Connexion réussie",
        "sign_in.failure" => "Échec de connexion",
        "sign_out" => "Déconnexion",
        "email.verified" => "Adresse e-mail confirmée",
        "password.changed" => "Mot de passe modifié",
        "password.reset_requested" => "Demande de réinitialisation du mot de passe",
        "password.reset" => "Mot de passe réinitialisé",
        "session.ended" => "Session fermée",
        "sessions.ended_others" => "Autres sessions fermées",
        "sign_up.existing_address" => "Tentative d'inscription avec votre adresse",
        "organisation.reviewed" => "Organisation validée ou refusée",
        "organisation.approved" => "Organisation validée par un administrateur",
        "organisation.rejected" => "Organisation refusée par un administrateur",
        "organisation.resubmitted" => "Organisation corrigée et soumise à nouveau",
        "two_factor.enabled" => "Double authentification activée",
        "two_factor.disabled" => "Double authentification désactivée",
        "two_factor.failure" => "Code de double authentification refusé",
        "sign_in.password_ok" => "Mot de passe accepté, code demandé",
        "account.deleted" => "Compte supprimé",
        "member.invited" => "Invitation envoyée",
        "member.joined" => "Organisation rejointe",
        "api_client.created" => "Client de l'API créé",
        "api_client.revoked" => "Client de l'API révoqué",
        "two_factor.recovery_used" => "Code de secours utilisé",
        "password.confirm_failure" => "Mot de passe actuel refusé",
        "organisation.rename_requested" => "Changement de nom de l'organisation demandé",
        "organisation.rename_reviewed" => "Changement de nom d'une organisation examiné",
        "offer.withdrawn" => "Offre d'emploi retirée après signalement",
        "offer_report.dismissed" => "Signalement d'offre classé sans suite",
        "two_factor.step_up" => "Action sensible confirmée par un code",
        "sign_in.suspended" => "Connexion refusée : compte suspendu",
        "account.suspended" => "Compte suspendu par un administrateur",
        "account.reactivated" => "Compte réactivé par un administrateur",
        "account.role_changed" => "Rôle modifié par un administrateur",
        "account.sessions_ended" => "Sessions fermées par un administrateur",
        "account.verification_sent" => "Lien de confirmation renvoyé par un administrateur",
        "account.two_factor_reset" => "Double authentification réinitialisée par un administrateur",
        "account.erased_on_request" => "Compte d'une personne supprimé à sa demande",
        "organisation.suspended" => "Organisation suspendue par un administrateur",
        "organisation.reactivated" => "Organisation réactivée par un administrateur",
        "organisation.edited" => "Fiche d'organisation modifiée par un administrateur",
        "organisation.photo_removed" => "Photo d'organisation retirée par un administrateur",
        "content.withdrawn" => "Contenu retiré par la modération",
        "task.retried" => "Tâche de fond relancée",
        "task.discarded" => "Tâche de fond écartée",
        "newsletter.sent" => "Lettre d'information envoyée",
        "newsletter.exported" => "Abonnés à la lettre exportés",
        "oauth.consent" => "Application autorisée à agir pour vous",
        "oauth.revoked" => "Accès d'une application fermé par l'application",
        "oauth.refresh_reuse" => {
            "Accès d'une application révoqué : jeton de rafraîchissement réutilisé"
        }
        "oauth.code_reuse" => "Accès d'une application révoqué : code d'autorisation réutilisé",
        "oauth_app.created" => "Application de l'API enregistrée",
        "oauth_app.revoked" => "Application de l'API révoquée",
        _ => "Événement de sécurité",
    }
}

#[server(prefix = "/api", endpoint = "compte/sessions")]
pub async fn my_sessions() -> Result<Vec<ActiveSession>, AppError> {
    auth::ssr::with_user(|pool, user| async move {
        let current = auth::ssr::current_session_id(&pool).await?;
        let rows = sqlx::query!(
            r#"SELECT s.id, s.user_agent, s.ip, a.name AS "app?", s.scopes,
                      to_char(s.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created_at!",
                      to_char(s.last_seen_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "last_seen_at!"
               FROM user_sessions s LEFT JOIN oauth_apps a ON a.id = s.oauth_app_id
               WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.last_seen_at DESC"#,
            user.id
        )
        .fetch_all(&pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ActiveSession {
                id: r.id,
                // A token family: the app the user let act for them.
                device: match &r.app {
                    Some(app) => format!("Application « {app} »"),
                    None => describe_device(&r.user_agent),
                },
                scopes: r
                    .scopes
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|name| crate::identity::oauth::scope_label(name))
                    .map(str::to_owned)
                    .collect(),
                ip: r.ip,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
                current: Some(r.id) == current,
            })
            .collect())
    })
    .await
}

/// Ends one of the user's own sessions.
#[server(prefix = "/api", endpoint = "compte/sessions/fin")]
pub async fn end_session(id: i64) -> Result<(), AppError> {
    auth::ssr::with_user_form("/compte#securite", |pool, user| async move {
        let ended = sqlx::query_scalar!(
            "UPDATE user_sessions SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
            id,
            user.id
        )
        .fetch_optional(&pool)
        .await?;
        // Someone else's session id looks exactly like a missing one.
        ended.ok_or(AppError::NotFound)?;
        auth::ssr::audit(
            &pool,
            Some(user.id),
            "session.ended",
            &auth::ssr::request_meta(),
            serde_json::json!({ "session": id }),
        )
        .await
    })
    .await
}

/// Ends every session of the user but this one.
#[server(prefix = "/api", endpoint = "compte/sessions/fin-autres")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    auth::ssr::with_user_form("/compte#securite", |pool, user| async move {
        let keep = auth::ssr::current_session_id(&pool).await?;
        auth::ssr::end_sessions(&pool, user.id, keep).await?;
        auth::ssr::audit_user_event(&pool, user.id, "sessions.ended_others").await
    })
    .await
}

#[server(prefix = "/api", endpoint = "compte/mot-de-passe")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    auth::ssr::with_user_form("/compte?mot-de-passe=1#securite", |pool, user| async move {
        auth::ssr::change_password(&pool, &user, current_password, new_password).await?;
        auth::ssr::rotate_session().await
    })
    .await
}

/// The user's own security events, newest first.
#[server(prefix = "/api", endpoint = "compte/journal")]
pub async fn my_security_events() -> Result<Vec<SecurityEvent>, AppError> {
    auth::ssr::with_user(|pool, user| async move {
        let rows = sqlx::query!(
            r#"SELECT to_char(at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "at!", event, ip
               FROM audit_log WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT 50"#,
            user.id
        )
        .fetch_all(&pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SecurityEvent {
                at: r.at,
                event: describe_event(&r.event).to_owned(),
                ip: r.ip,
            })
            .collect())
    })
    .await
}

/// Changes the signed-in user's display name and contact preference.
#[server(prefix = "/api", endpoint = "compte/profil")]
pub async fn update_profile(
    display_name: String,
    contact_by_email: Option<String>,
) -> Result<(), AppError> {
    auth::ssr::with_permission(auth::Permission::ProfileEdit, |pool, user| async move {
        let name = auth::parse_display_name(&display_name)?;
        // An unchecked box is simply absent from the form.
        let contact = contact_by_email.is_some();
        sqlx::query!(
            "UPDATE users SET display_name = $1, contact_by_email = $2, updated_at = now() WHERE id = $3",
            name,
            contact,
            user.id
        )
        .execute(&pool)
        .await?;
        crate::base::forms::redirect_plain_form("/compte?profil=1");
        Ok(())
    })
    .await
}

/// `/compte`. `organisation_section` builds the part about the person's
/// organisations (the organisations domain provides it); it is called with
/// the page, outside the Suspense, so its data hydrates.
#[component]
pub fn AccountPage(organisation_section: fn() -> ViewFn) -> impl IntoView {
    let save = ServerAction::<UpdateProfile>::new();
    let user = reloaded_after([save.version()], auth::current_user);
    let security = Security::new();
    let organisation_section = organisation_section();
    let query = use_query_map();
    let verified_now = move || query.read().get("verifie").is_some();
    let saved = action_succeeded(save, "profil");
    let error = action_error(save);
    view! {
        <FormPage title="Mon compte" description="Votre profil Passerelle." path="/compte" noindex=true
            class="mx-auto max-w-3xl px-4 py-10 sm:px-6">
            <Suspense fallback=|| view! { <p class="mt-6" aria-busy="true">"Chargement…"</p> }>
                {move || user.get().map(|result| match result
                    .and_then(|u| u.ok_or(AppError::Unauthenticated))
                    .and_then(|u| if u.must_enrol_two_factor { Err(AppError::TwoFactorRequired) } else { Ok(u) })
                {
                    Err(error) => access_error(error),
                    Ok(me) => view! {
                        <Show when=verified_now>
                            <Confirmation>"Merci, votre adresse est confirmée."</Confirmation>
                        </Show>
                        {(!me.email_verified).then(|| view! {
                            <div class="mt-4 rounded-lg bg-amber-50 px-4 py-3 text-amber-900">
                                <p role="status">"Adresse e-mail non confirmée : cliquez sur le lien reçu à l'inscription pour pouvoir postuler, demander une inscription ou publier."</p>
                                <crate::identity::auth::pages::ResendLink/>
                            </div>
                        })}
                        <dl class="card mt-6 grid gap-3 sm:grid-cols-3">
                            <div><dt class="text-sm text-slate-700">"Nom"</dt><dd class="font-semibold">{me.display_name.clone()}</dd></div>
                            <div><dt class="text-sm text-slate-700">"E-mail"</dt><dd class="font-semibold break-all">{me.email.clone()}</dd></div>
                            <div><dt class="text-sm text-slate-700">"Profil"</dt><dd class="font-semibold">{me.role.label()}</dd></div>
                        </dl>
                        <h2 class="mt-10 text-xl font-bold text-slate-900">"Profil"</h2>
                        <ActionForm action=save attr:novalidate=true attr:class="mt-4 max-w-md space-y-4">
                            <Field label="Nom affiché" name="display_name" autocomplete="name" value=me.display_name.clone() error=error/>
                            <label class="flex items-center gap-2 text-slate-900">
                                <input type="checkbox" name="contact_by_email" value="on" checked=me.contact_by_email class="h-5 w-5"/>
                                "Recevoir par e-mail les nouveautés utiles (formations, offres). Les e-mails de sécurité sont toujours envoyés."
                            </label>
                            <FormEnd error fields=&["display_name"] label="Enregistrer" class="btn-primary"
                                succeeded=saved done="Profil enregistré."/>
                        </ActionForm>
                        {organisation_section.run()}
                        <SecuritySection security=security/>
                        <DataSection/>
                        <div class="mt-10"><SignOutButton/></div>
                    }.into_any(),
                })}
            </Suspense>
        </FormPage>
    }
}

/// Deletes the account after checking the password: personal data goes,
/// the audit trail stays without anything that names the person.
#[server(prefix = "/api", endpoint = "compte/supprimer")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    auth::ssr::then_redirect("/?compte-supprime=1", |pool| async move {
        let user = auth::ssr::require_user_for_enrolment(&pool).await?;
        ssr::delete_account(&pool, &user, password).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::{base::error::AppError, identity::auth::AuthUser};
    use sqlx::PgPool;

    /// A table that refers to users, as the export reads it.
    pub struct UserTable {
        pub table: &'static str,
        /// The column holding the user's id.
        pub column: &'static str,
        /// The key of its rows in the export.
        pub section: &'static str,
        /// Columns left out: secrets and hashes that mean nothing to a person.
        pub omit: &'static [&'static str],
    }

    const fn table(
        table: &'static str,
        column: &'static str,
        section: &'static str,
        omit: &'static [&'static str],
    ) -> UserTable {
        UserTable {
            table,
            column,
            section,
            omit,
        }
    }

    /// Every column of the database that points at a user, and where its rows
    /// go in the export. A test compares this list with the foreign keys of
    /// the schema: a new table holding a user reference fails it until it is
    /// listed here (and so exported).
    pub const USER_TABLES: &[UserTable] = &[
        table("memberships", "user_id", "memberships", &[]),
        table("user_sessions", "user_id", "sessions", &["token_hash"]),
        table("audit_log", "user_id", "security_events", &[]),
        table("email_tokens", "user_id", "email_links", &["token_hash"]),
        table(
            "recovery_codes",
            "user_id",
            "recovery_codes",
            &["code_hash"],
        ),
        table(
            "invitations",
            "invited_by",
            "invitations_sent",
            &["token_hash"],
        ),
        table(
            "organisations",
            "reviewed_by",
            "organisations_reviewed",
            &[],
        ),
        table(
            "media",
            "owner_id",
            "files",
            &["storage_key", "variants", "sha256"],
        ),
        table("articles", "author_id", "articles", &["body_html"]),
        table("article_revisions", "author_id", "article_revisions", &[]),
        table("candidate_profiles", "user_id", "candidate_profile", &[]),
        table("candidate_skills", "user_id", "candidate_skills", &[]),
        table("applications", "candidate_id", "applications", &[]),
        table(
            "application_notes",
            "author_id",
            "application_notes_written",
            &[],
        ),
        table(
            "application_messages",
            "author_id",
            "application_messages_written",
            &[],
        ),
        table("interviews", "proposed_by", "interviews_proposed", &[]),
        table(
            "enrolment_requests",
            "candidate_id",
            "enrolment_requests",
            &[],
        ),
        table(
            "enrolment_messages",
            "author_id",
            "enrolment_messages_written",
            &[],
        ),
        table("saved_trainings", "user_id", "saved_trainings", &[]),
        table("saved_offers", "user_id", "saved_offers", &[]),
        table("saved_searches", "user_id", "alerts", &[]),
        table("offer_reports", "reporter_id", "reports_filed", &[]),
        table("offer_reports", "handled_by", "reports_handled", &[]),
        table("newsletter_issues", "sent_by", "newsletters_sent", &[]),
        table(
            "api_clients",
            "created_by",
            "api_clients_created",
            &["secret_hash"],
        ),
        table(
            "oauth_codes",
            "user_id",
            "oauth_codes",
            &["code_hash", "code_challenge"],
        ),
        table(
            "oauth_apps",
            "created_by",
            "oauth_apps_registered",
            &["secret_hash"],
        ),
    ];

    /// Everything stored about the signed-in user, as one JSON document.
    pub async fn export_data(pool: &PgPool) -> Result<serde_json::Value, AppError> {
        let user = crate::identity::auth::ssr::require_user_for_enrolment(pool).await?;
        let profile = sqlx::query!(
            r#"SELECT email, display_name, role, created_at, updated_at, email_verified_at,
                      totp_enabled_at, must_enrol_totp, contact_by_email
               FROM users WHERE id = $1"#,
            user.id
        )
        .fetch_one(pool)
        .await?;
        let mut document = serde_json::json!({
            "export": { "generated_at": chrono::Utc::now(), "service": "Passerelle" },
            "profile": {
                "email": profile.email,
                "display_name": profile.display_name,
                "role": profile.role,
                "created_at": profile.created_at,
                "updated_at": profile.updated_at,
                "email_verified_at": profile.email_verified_at,
                "two_factor_enabled_at": profile.totp_enabled_at,
                "must_enrol_two_factor": profile.must_enrol_totp,
                "contact_by_email": profile.contact_by_email,
            },
        });
        for entry in USER_TABLES {
            // Names come from the constant list above, never from a request.
            let sql = format!(
                "SELECT coalesce(jsonb_agg(to_jsonb(t) - $2::text[]), '[]') FROM {} t WHERE t.{} = $1",
                entry.table, entry.column
            );
            let omit: Vec<String> = entry.omit.iter().map(|c| (*c).to_owned()).collect();
            let rows: serde_json::Value = sqlx::query_scalar(&sql)
                .bind(user.id)
                .bind(&omit)
                .fetch_one(pool)
                .await?;
            document[entry.section] = rows;
        }
        // Besides the rows that point at the user: the organisations they
        // belong to, what centres wrote to them, invitations to their address
        // and the newsletter.
        document["organisations"] = sqlx::query_scalar!(
            r#"SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'kind', o.kind, 'name', o.name, 'siret', o.siret, 'status', o.status,
                   'membership', m.role, 'since', m.created_at)), '[]') AS "rows!"
               FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1"#,
            user.id
        )
        .fetch_one(pool)
        .await?;
        document["enrolment_messages_received"] = sqlx::query_scalar!(
            r#"SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'request_id', m.request_id, 'from_centre', m.from_centre, 'body', m.body,
                   'created_at', m.created_at) ORDER BY m.created_at), '[]') AS "rows!"
               FROM enrolment_messages m JOIN enrolment_requests r ON r.id = m.request_id
               WHERE r.candidate_id = $1 AND m.from_centre"#,
            user.id
        )
        .fetch_one(pool)
        .await?;
        // What recruiters wrote and proposed on the user's applications.
        document["application_messages_received"] = sqlx::query_scalar!(
            r#"SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'application_id', m.application_id, 'body', m.body,
                   'created_at', m.created_at) ORDER BY m.created_at), '[]') AS "rows!"
               FROM application_messages m JOIN applications a ON a.id = m.application_id
               WHERE a.candidate_id = $1 AND m.from_company"#,
            user.id
        )
        .fetch_one(pool)
        .await?;
        document["interviews"] = sqlx::query_scalar!(
            r#"SELECT coalesce(jsonb_agg(to_jsonb(i) - 'proposed_by' ORDER BY i.created_at), '[]') AS "rows!"
               FROM interviews i JOIN applications a ON a.id = i.application_id
               WHERE a.candidate_id = $1"#,
            user.id
        )
        .fetch_one(pool)
        .await?;
        document["invitations_received"] = sqlx::query_scalar!(
            r#"SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'organisation', o.name, 'expires_at', i.expires_at, 'accepted_at', i.accepted_at,
                   'created_at', i.created_at)), '[]') AS "rows!"
               FROM invitations i JOIN organisations o ON o.id = i.organisation_id WHERE i.email = $1"#,
            user.email
        )
        .fetch_one(pool)
        .await?;
        let newsletter = sqlx::query!(
            "SELECT created_at, confirmed_at FROM newsletter_subscribers WHERE email = $1",
            user.email
        )
        .fetch_optional(pool)
        .await?;
        document["newsletter"] = match newsletter {
            Some(row) => serde_json::json!({
                "subscribed_at": row.created_at,
                "confirmed_at": row.confirmed_at,
            }),
            None => serde_json::Value::Null,
        };
        Ok(document)
    }

    pub async fn delete_account(
        pool: &PgPool,
        user: &AuthUser,
        password: String,
    ) -> Result<(), AppError> {
        crate::identity::auth::ssr::confirm_password_field(pool, user.id, password).await?;
        erase_account(pool, user.id, &user.email, None).await?;
        crate::identity::auth::ssr::forget_session().await
    }

    /// Erases account `user_id` (address `email`) as the GDPR asks, whether
    /// the person does it or an admin does it at their request: personal
    /// data goes, the audit trail stays without anything that names them.
    /// `by_admin`: the admin's id and the journal detail of their request,
    /// recorded in the same transaction.
    pub async fn erase_account(
        pool: &PgPool,
        user_id: i64,
        email: &str,
        by_admin: Option<(i64, serde_json::Value)>,
    ) -> Result<(), AppError> {
        let storage = crate::base::media::ssr::storage()?;
        let mut tx = pool.begin().await?;
        // Organisations nobody else belongs to leave with their only member.
        sqlx::query!(
            "DELETE FROM organisations o WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id AND m.user_id = $1)
             AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id AND m.user_id <> $1)",
            user_id
        )
        .execute(&mut *tx)
        .await?;
        // Private files (CVs) go with their rows; the bytes are removed once
        // the rows are gone for good (below). Public images the person
        // uploaded stay where they are used, without the file's name.
        let private_keys = sqlx::query_scalar!(
            "DELETE FROM media WHERE owner_id = $1 AND visibility = 'private' RETURNING storage_key",
            user_id
        )
        .fetch_all(&mut *tx)
        .await?;
        let failure_keys: Vec<Vec<u8>> = [
            format!("sign-in:{email}"),
            format!("confirm:{user_id}"),
            format!("2fa:{user_id}"),
        ]
        .iter()
        .map(|key| crate::identity::auth::ssr::hash_token(key))
        .collect();
        // In one statement: reports stay for the moderators' record without
        // the reporter's words, the trail of security events stays
        // anonymised; the newsletter, invitations and sign-in failures go.
        sqlx::query!(
            r#"WITH file_names AS (UPDATE media SET original_name = '' WHERE owner_id = $1),
                    reports AS (UPDATE offer_reports SET details = '' WHERE reporter_id = $1),
                    trail AS (UPDATE audit_log SET ip = '', user_agent = '', detail = '{}' WHERE user_id = $1),
                    newsletter AS (DELETE FROM newsletter_subscribers WHERE email = $2),
                    invited AS (DELETE FROM invitations WHERE email = $2)
               DELETE FROM auth_failures WHERE key = ANY($3)"#,
            user_id,
            email,
            &failure_keys
        )
        .execute(&mut *tx)
        .await?;
        // Sessions, tokens, memberships, profile, applications, requests,
        // saved items, alerts and recovery codes cascade.
        sqlx::query!("DELETE FROM users WHERE id = $1", user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query!("INSERT INTO audit_log (event) VALUES ('account.deleted')")
            .execute(&mut *tx)
            .await?;
        if let Some((admin, detail)) = by_admin {
            crate::identity::auth::ssr::audit(
                &mut *tx,
                Some(admin),
                "account.erased_on_request",
                &crate::identity::auth::ssr::request_meta(),
                detail,
            )
            .await?;
        }
        tx.commit().await?;
        for key in private_keys {
            if let Err(error) = storage.delete(&key).await {
                // The row is gone, so no page links to it; logged for a sweep.
                tracing::warn!(%error, key, "could not remove a deleted account's file");
            }
        }
        Ok(())
    }
}

/// The actions and data of the security section. Created with the page,
/// not inside its `Suspense`, so that server and browser create them in the
/// same order (hydration matches resources by order).
#[derive(Clone, Copy)]
struct Security {
    change: ServerAction<ChangePassword>,
    end_one: ServerAction<EndSession>,
    end_others: ServerAction<EndOtherSessions>,
    sessions: Resource<Result<Vec<ActiveSession>, AppError>>,
    events: Resource<Result<Vec<SecurityEvent>, AppError>>,
}

impl Security {
    fn new() -> Self {
        let change = ServerAction::<ChangePassword>::new();
        let end_one = ServerAction::<EndSession>::new();
        let end_others = ServerAction::<EndOtherSessions>::new();
        let sessions = reloaded_after(
            [end_one.version(), end_others.version(), change.version()],
            my_sessions,
        );
        let events = reloaded_after([change.version()], my_security_events);
        Self {
            change,
            end_one,
            end_others,
            sessions,
            events,
        }
    }
}

/// Password, active sessions and the security log.
#[component]
fn SecuritySection(security: Security) -> impl IntoView {
    let Security {
        change,
        end_one,
        end_others,
        sessions,
        events,
    } = security;
    let changed = action_succeeded(change, "mot-de-passe");
    let error = action_error(change);
    view! {
        <h2 id="securite" class="mt-10 scroll-mt-20 text-xl font-bold text-slate-900">"Sécurité"</h2>
        <p class="mt-4">
            <a class="font-semibold text-brand-800 underline" href="/compte/double-authentification">
                "Double authentification (application TOTP et codes de secours)"
            </a>
        </p>
        <h3 class="mt-6 text-lg font-bold text-slate-900">"Changer de mot de passe"</h3>
        <ActionForm action=change attr:novalidate=true attr:class="mt-4 max-w-md space-y-4">
            <Field label="Mot de passe actuel" name="current_password" input_type="password" autocomplete="current-password" error=error/>
            <Field label="Nouveau mot de passe" name="new_password" input_type="password" autocomplete="new-password"
                help="12 caractères au moins. Vos autres sessions seront fermées." error=error/>
            <FormEnd error fields=&["current_password", "new_password", "password"] label="Changer le mot de passe"
                class="btn-primary" succeeded=changed done="Mot de passe changé ; vos autres sessions sont fermées."/>
        </ActionForm>

        <h3 class="mt-8 text-lg font-bold text-slate-900">"Sessions actives"</h3>
        <Suspense fallback=|| view! { <p aria-busy="true">"Chargement…"</p> }>
            {move || sessions.get().map(|result| match result {
                Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="mt-3 divide-y divide-slate-200 rounded-xl border border-slate-200" data-testid="sessions">
                        {list.into_iter().map(|s| view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                                <span>
                                    <span class="font-semibold">{s.device.clone()}</span>
                                    {s.current.then(|| view! { <span class="ml-2 rounded bg-emerald-100 px-2 text-sm text-emerald-900">"cet appareil"</span> })}
                                    <span class="block text-sm text-slate-700">
                                        "Ouverte le " {s.created_at.clone()} " · vue le " {s.last_seen_at.clone()}
                                        {(!s.ip.is_empty()).then(|| format!(" · {}", s.ip))}
                                    </span>
                                    // What the app may do, a line each (inside a span: no list).
                                    {(!s.scopes.is_empty()).then(|| view! {
                                        <span class="mt-1 block text-sm text-slate-700">
                                            {s.scopes.iter().map(|label| view! { <span class="block">"– " {label.clone()}</span> }).collect_view()}
                                        </span>
                                    })}
                                </span>
                                {(!s.current).then(|| view! {
                                    <ActionForm action=end_one>
                                        <input type="hidden" name="id" value=s.id/>
                                        <button type="submit" class="btn-ghost text-sm">"Fermer"</button>
                                    </ActionForm>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
        <ActionForm action=end_others attr:class="mt-3">
            <button type="submit" class="btn-secondary">"Fermer toutes les autres sessions"</button>
        </ActionForm>

        <h3 class="mt-8 text-lg font-bold text-slate-900">"Journal de sécurité"</h3>
        <Suspense fallback=|| view! { <p aria-busy="true">"Chargement…"</p> }>
            {move || events.get().map(|result| match result {
                Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="mt-3 w-full text-left text-sm">
                        <thead><tr><th class="py-2">"Date"</th><th>"Événement"</th><th>"Adresse IP"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| view! {
                                <tr class="border-t border-slate-200"><td class="py-2">{e.at}</td><td>{e.event}</td><td>{e.ip}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// "Vos données": download everything, or delete the account.
#[component]
fn DataSection() -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    let error = action_error(delete);
    view! {
        <h2 id="donnees" class="mt-10 scroll-mt-20 text-xl font-bold text-slate-900">"Vos données"</h2>
        <p class="mt-3 text-slate-700">"Tout ce que Passerelle conserve sur vous, dans un fichier JSON."</p>
        <a class="btn-secondary mt-3 inline-flex" href="/compte/donnees.json" download="passerelle-mes-donnees.json" rel="external">
            "Télécharger mes données"
        </a>
        <h3 class="mt-8 text-lg font-bold text-slate-900">"Supprimer mon compte"</h3>
        <p class="mt-2 text-slate-700">
            "Votre profil, vos sessions et vos données personnelles seront effacés définitivement. Le journal de sécurité ne gardera aucune information qui vous nomme."
        </p>
        <ActionForm action=delete attr:novalidate=true attr:class="mt-4 max-w-md space-y-4">
            <Field label="Mot de passe (pour confirmer)" name="password" input_type="password" autocomplete="current-password" error=error/>
            <FormError error=error fields=&["password"]/>
            <button type="submit" class="rounded-lg bg-red-800 px-5 py-3 font-semibold text-white hover:bg-red-900">"Supprimer définitivement mon compte"</button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_described_in_french() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(describe_device(firefox), "Firefox sur Linux");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(iphone), "Safari sur iPhone");
        assert_eq!(describe_device(""), "Appareil inconnu");
    }
}
