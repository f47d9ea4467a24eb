//! Accounts over HTTP: sign-up, e-mail verification, sign-in and out,
//! session rotation, no account enumeration, and the authorisation matrix.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::{http::StatusCode, response::Response};
use common::{
    Client, PASSWORD, app, body_text, header, last_mail_to, sign_in_ready, totp_code, unique_email,
};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Accepts invitation `token` as `name`, with the test password.
async fn accept_invitation(client: &mut Client<'_>, token: &str, name: &str) -> Response {
    client
        .post(
            "/api/invitation",
            &[
                ("token", token),
                ("display_name", name),
                ("password", PASSWORD),
            ],
        )
        .await
}

/// Ends session `id` as `client`: the answer's status.
async fn end_session(client: &mut Client<'_>, id: &str) -> StatusCode {
    client
        .post_status("/api/compte/sessions/fin", &[("id", id)])
        .await
}

/// The status of the admin's organisation queue for `client`: what its
/// session opens so far.
async fn queue_status(client: &mut Client<'_>) -> StatusCode {
    client.post_status("/api/admin/organisations", &[]).await
}

/// The app with `burst` tries on the auth endpoints per address, refilled
/// over a minute.
async fn app_limited_to(pool: PgPool, burst: &str) -> common::TestApp {
    common::app_with(
        pool,
        &[("AUTH_RATE_BURST", burst), ("AUTH_RATE_REFILL_SECS", "60")],
        false,
    )
    .await
}

fn token_from(text: &str) -> String {
    let start = text.find("jeton=").expect("a verification link") + "jeton=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_up_verify_then_sign_in(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Client::new(&app);
    let email = unique_email("zoe");

    let response = browser
        .sign_up("candidat", "Zoé Martin", &email, PASSWORD, None)
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        body_text(response).await
    );

    let (subject, text) = last_mail_to(&email).await;
    assert_eq!(subject, "Confirmez votre adresse e-mail");
    assert!(text.contains("Bonjour Zoé Martin,"));
    assert!(text.contains("http://localhost:3000/verifier-email?jeton="));
    let token = token_from(&text);

    // An unverified account can sign in, and lands on its dashboard home.
    let response = browser.sign_in(&email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "location"), "/tableau-de-bord");
    let html = body_text(browser.get("/compte").await).await;
    assert!(html.contains("Adresse e-mail non confirmée"));

    let response = browser
        .post("/api/verifier-email", &[("token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "location"), "/tableau-de-bord?verifie=1");
    let verified: bool = common::user_column(&pool, &email, "email_verified_at IS NOT NULL").await;
    assert!(verified);

    // The link works once.
    let again = browser
        .post("/api/verifier-email", &[("token", &token)])
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let html = body_text(browser.get("/compte").await).await;
    assert!(html.contains("Zoé Martin"));
    assert!(!html.contains("Adresse e-mail non confirmée"));

    let events: Vec<String> = sqlx::query_scalar("SELECT event FROM audit_log ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(events, ["sign_up", "sign_in.success", "email.verified"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_unconfirmed_account_gets_a_new_link_when_the_first_expired(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Client::new(&app);
    let email = unique_email("ines");
    browser
        .sign_up("candidat", "Inès Roy", &email, PASSWORD, None)
        .await;
    let first = token_from(&last_mail_to(&email).await.1);
    // Three days on, the first link has expired.
    sqlx::query(
        "UPDATE email_tokens SET created_at = now() - interval '3 days',
                                 expires_at = now() - interval '1 day'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let resend = "/api/compte/renvoyer-lien";
    assert_eq!(
        Client::new(&app).post_status(resend, &[]).await,
        StatusCode::UNAUTHORIZED
    );

    browser.sign_in(&email, PASSWORD).await;
    // Where the reminder to confirm appears, the button does too.
    for page in ["/compte", "/tableau-de-bord/profil"] {
        let html = body_text(browser.get(page).await).await;
        assert!(html.contains("Renvoyer le lien"), "{page}");
    }
    // Two clicks at once: one new link by e-mail, the other refused.
    let mut twin = Client {
        app: &app,
        cookie: browser.cookie.clone(),
    };
    let ((first_status, _), (second_status, _)) =
        tokio::join!(browser.call(resend, &[]), twin.call(resend, &[]));
    let mut statuses = [first_status, second_status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY]);
    assert_eq!(common::mails_to(&email).len(), 2, "sign-up, then one link");
    // Minutes later, without JavaScript: another, then back on /compte, which says so.
    sqlx::query("UPDATE email_tokens SET created_at = now() - interval '5 minutes' WHERE created_at > now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    let response = browser.post_html(resend, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&response, "location"), "/compte?lien=1");
    assert_eq!(common::mails_to(&email).len(), 3);
    let (subject, text) = last_mail_to(&email).await;
    assert_eq!(subject, "Confirmez votre adresse e-mail");
    let token = token_from(&text);
    assert_ne!(token, first);
    let html = body_text(browser.get("/compte?lien=1").await).await;
    assert!(html.contains("Un nouveau lien vous a été envoyé"));

    // Asked again at once: refused, nothing sent.
    let sent = common::mails_to(&email).len();
    let (status, body) = browser.call(resend, &[]).await;
    common::assert_refused(status, &body, "email", "Un lien vient de vous être envoyé");
    assert_eq!(common::mails_to(&email).len(), sent);

    // The expired link does nothing; the new one confirms the address.
    let verify = |token: String| {
        let mut client = Client::new(&app);
        async move {
            client
                .post("/api/verifier-email", &[("token", &token)])
                .await
                .status()
        }
    };
    assert_eq!(verify(first).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(verify(token).await, StatusCode::OK);
    let verified: bool = common::user_column(&pool, &email, "email_verified_at IS NOT NULL").await;
    assert!(verified);
    // Confirmed: nothing left to send, even minutes later.
    sqlx::query("UPDATE email_tokens SET created_at = now() - interval '1 hour'")
        .execute(&pool)
        .await
        .unwrap();
    let (status, body) = browser.call(resend, &[]).await;
    common::assert_refused(status, &body, "email", "déjà confirmée");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_session_cookie_is_hardened_and_changes_at_sign_in(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Candidate, "Léo", true).await;
    let app = app(pool).await;
    let mut browser = Client::new(&app);

    let response = browser.sign_in(&email, PASSWORD).await;
    let set_cookie = header(&response, "set-cookie").to_owned();
    assert!(set_cookie.starts_with("passerelle_session="));
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Lax"));
    assert!(!set_cookie.contains("Secure"), "plain http in development");
    let first = browser.cookie.clone().unwrap();

    // Signing in again from the same browser gets a new session id.
    browser.sign_in(&email, PASSWORD).await;
    let second = browser.cookie.clone().unwrap();
    assert_ne!(first, second);

    // The old cookie no longer opens the account.
    let mut stale = Client::new(&app);
    stale.cookie = Some(first);
    let response = stale.get("/compte").await;
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(header(&response, "location"), "/connexion?suivant=/compte");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_out_ends_the_session(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Candidate, "Inès", true).await;
    let app = app(pool.clone()).await;
    let mut browser = Client::signed_in_as(&app, &email).await;
    let cookie = browser.cookie.clone().unwrap();
    assert_eq!(browser.get("/compte").await.status(), StatusCode::OK);

    let response = browser.post("/api/deconnexion", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let revoked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM user_sessions WHERE revoked_at IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(revoked, 1);

    // Replaying the old cookie does not work either.
    let mut replay = Client::new(&app);
    replay.cookie = Some(cookie);
    assert!(replay.get("/compte").await.status().is_redirection());
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_in_and_sign_up_reveal_nothing_about_accounts(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Candidate, "Hugo", true).await;
    let app = app(pool.clone()).await;
    let mut browser = Client::new(&app);

    let wrong_password = browser.sign_in(&email, "pas le bon mot de passe").await;
    let wrong_status = wrong_password.status();
    let wrong_body = body_text(wrong_password).await;
    let unknown = browser
        .sign_in(&unique_email("inconnu"), "pas le bon mot de passe")
        .await;
    assert_eq!(wrong_status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status(), wrong_status);
    assert_eq!(body_text(unknown).await, wrong_body);
    assert!(wrong_body.contains("E-mail ou mot de passe incorrect."));

    // Signing up with a taken address looks like a success and sends the owner an e-mail.
    let fresh = unique_email("nouveau");
    let new = browser
        .sign_up("candidat", "Quelqu'un", &fresh, PASSWORD, None)
        .await;
    let taken = browser
        .sign_up("candidat", "Quelqu'un", &email, PASSWORD, None)
        .await;
    assert_eq!(new.status(), taken.status());
    assert_eq!(header(&new, "location"), header(&taken, "location"));
    assert_eq!(body_text(new).await, body_text(taken).await);
    let (subject, _) = last_mail_to(&email).await;
    assert_eq!(subject, "Vous avez déjà un compte Passerelle");
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE email = $1")
        .bind(&email)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn weak_passwords_and_bad_sirets_get_field_errors(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Client::new(&app);
    let email = unique_email("faible");
    // (kind, password, organisation, field at fault)
    for (kind, password, organisation, field) in [
        ("candidat", "motdepasse2026", None, "password"),
        (
            "centre",
            PASSWORD,
            Some(("Institut", "73282932000075")),
            "siret",
        ),
    ] {
        let response = browser
            .sign_up(kind, "Eva", &email, password, organisation)
            .await;
        let (status, body) = common::json(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert_eq!(body["Invalid"]["field"], field, "{body}");
    }
    let users = common::rows_in(&pool, "users").await;
    assert_eq!(users, 0, "nothing stored");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_new_centre_waits_for_an_admin(pool: PgPool) {
    let (_, admin) = common::account(&pool, Role::Admin, "Admin", true).await;
    let app = app(pool.clone()).await;
    let mut visitor = Client::new(&app);
    let owner = unique_email("centre");
    let response = visitor
        .sign_up(
            "centre",
            "Nadia Benali",
            &owner,
            PASSWORD,
            Some(("Institut Lumière", "732 829 320 00074")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, member_role): (String, String) = sqlx::query_as(
        "SELECT o.status, m.role FROM organisations o JOIN memberships m ON m.organisation_id = o.id
         JOIN users u ON u.id = m.user_id WHERE u.email = $1",
    )
    .bind(&owner)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), member_role.as_str()),
        ("pending", "owner")
    );

    let mut staff = Client::new(&app);
    sign_in_ready(&mut staff, &admin).await;
    let html = body_text(staff.get("/admin/organisations").await).await;
    assert!(html.contains("Institut Lumière"));
    let id: i64 = sqlx::query_scalar("SELECT id FROM organisations")
        .fetch_one(&pool)
        .await
        .unwrap();
    staff.approve_organisation(id).await;
    let status: String = sqlx::query_scalar("SELECT status FROM organisations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "approved");
    let html = body_text(staff.get("/admin/organisations").await).await;
    assert!(html.contains("Aucune organisation en attente."));
}

/// Every role against every protected server function: allowed (2xx) or
/// refused (401 for visitors, 403 for the wrong role).
#[sqlx::test(migrator = "MIGRATOR")]
async fn authorisation_matrix(pool: PgPool) {
    let app = app(pool.clone()).await;
    // A pending organisation for the review endpoint to act on.
    let org: i64 = sqlx::query_scalar("INSERT INTO organisations (kind, name, siret) VALUES ('entreprise', 'Atelier', '73282932000074') RETURNING id")
        .fetch_one(&pool)
        .await
        .unwrap();

    let mut clients: Vec<(&str, Option<Role>, Client)> =
        vec![("visiteur", None, Client::new(&app))];
    for role in Role::ALL {
        let email = unique_email(role.as_db());
        app::identity::users::ssr::create_user(&pool, &email, "Personne", PASSWORD, role, true)
            .await
            .unwrap();
        let mut client = Client::new(&app);
        sign_in_ready(&mut client, &email).await;
        clients.push((role.as_db(), Some(role), client));
    }

    /// Who a server function lets past its guard.
    #[derive(Clone, Copy)]
    enum Allowed {
        Anyone,
        SignedIn,
        Admin,
        Nobody,
    }
    use Allowed::{Admin, Anyone, Nobody, SignedIn};
    // (server function, form, who gets past its guard)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], Allowed);
    let cases: &[Case] = &[
        ("/api/moi", &[], Anyone),
        (
            "/api/compte/profil",
            &[("display_name", "Nouveau nom")],
            SignedIn,
        ),
        ("/api/compte/sessions", &[], SignedIn),
        ("/api/compte/journal", &[], SignedIn),
        ("/api/admin/organisations", &[], Admin),
        ("/api/admin/journal", &[], Admin),
        ("/api/admin/journal/evenements", &[], Admin),
        ("/api/admin/apercu", &[], Admin),
        ("/api/admin/utilisateurs", &[], Admin),
        ("/api/admin/utilisateur", &[("id", "999999")], Admin),
        (
            "/api/admin/utilisateur/action",
            &[("id", "999999"), ("action", "fermer_sessions")],
            Admin,
        ),
        ("/api/admin/organisations/liste", &[], Admin),
        ("/api/admin/organisation", &[("id", "999999")], Admin),
        (
            "/api/admin/organisation/action",
            &[("id", "999999"), ("action", "reactiver")],
            Admin,
        ),
        (
            "/api/admin/organisation/fiche",
            &[("id", "999999"), ("profile[name]", "Nom")],
            Admin,
        ),
        (
            "/api/admin/organisation/photo/retirer",
            &[("id", "999999"), ("photo", "1")],
            Admin,
        ),
        // Members of a company only; nobody here is one.
        (
            "/api/organisation/photos/retirer",
            &[("kind", "entreprise"), ("photo", "1")],
            Nobody,
        ),
        ("/api/admin/taches", &[], Admin),
        (
            "/api/admin/taches/action",
            &[("id", "999999"), ("decision", "relancer")],
            Admin,
        ),
        ("/api/admin/contenus", &[], Admin),
        (
            "/api/admin/contenus/retirer",
            &[
                ("kind", "offres"),
                ("id", "999999"),
                ("reason", "Motif du retrait"),
            ],
            Admin,
        ),
        ("/api/admin/newsletter", &[], Admin),
        ("/api/admin/newsletter/envoyer", &[("subject", "x")], Admin),
        ("/api/admin/statistiques", &[], Admin),
        // Members of a company only; nobody here is one.
        (
            "/api/organisation/audience",
            &[("kind", "entreprise")],
            Nobody,
        ),
        ("/api/compte/2fa", &[], SignedIn),
        ("/api/compte/organisations", &[], SignedIn),
        // Past the guard these refuse the wrong password (422) or a missing id (404).
        (
            "/api/compte/mot-de-passe",
            &[
                ("current_password", "pas le bon"),
                ("new_password", "une autre phrase solide"),
            ],
            SignedIn,
        ),
        (
            "/api/compte/supprimer",
            &[("password", "pas le bon")],
            SignedIn,
        ),
        (
            "/api/compte/2fa/desactiver",
            &[("password", "pas le bon")],
            SignedIn,
        ),
        ("/api/compte/sessions/fin", &[("id", "999999")], SignedIn),
        ("/api/compte/sessions/fin-autres", &[], SignedIn),
        // Past the guard, a confirmed address has no link to resend (422).
        ("/api/compte/renvoyer-lien", &[], SignedIn),
        // API clients are for owners of an organisation; nobody here is.
        (
            "/api/organisation/clients-api",
            &[("kind", "entreprise")],
            Nobody,
        ),
        (
            "/api/organisation/clients-api/creer",
            &[("kind", "entreprise"), ("name", "ATS")],
            Nobody,
        ),
        (
            "/api/organisation/clients-api/revoquer",
            &[("kind", "centre"), ("id", "1")],
            Nobody,
        ),
        // Only owners of organisation 1 may invite into it; nobody here is.
        (
            "/api/organisation/inviter",
            &[("organisation_id", "1"), ("email", "invite@exemple.fr")],
            Nobody,
        ),
        // Past the guard, a missing id is a 404; the guard runs first.
        (
            "/api/admin/organisations/decision",
            &[
                ("id", "999999"),
                ("decision", "reject"),
                ("reason", "Motif du refus"),
            ],
            Admin,
        ),
    ];
    for &(path, form, allowed) in cases {
        for (name, role, client) in clients.iter_mut() {
            let status = client.post_status(path, form).await;
            let is_allowed = match allowed {
                Anyone => true,
                SignedIn => role.is_some(),
                Admin => *role == Some(Role::Admin),
                Nobody => false,
            };
            if is_allowed {
                let past_guard = status.is_success()
                    || status == StatusCode::NOT_FOUND
                    || status == StatusCode::UNPROCESSABLE_ENTITY;
                assert!(past_guard, "{name} on {path}: {status}");
            } else if role.is_none() {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{name} on {path}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{name} on {path}");
            }
        }
    }
    // Nobody but the admin could touch the organisation.
    let status: String = common::column(&pool, "organisations", "status", org).await;
    assert_eq!(status, "pending");

    // Protected pages answer with real statuses too.
    let (_, _, recruiter) = clients
        .iter_mut()
        .find(|(n, _, _)| *n == "recruiter")
        .unwrap();
    assert_eq!(
        recruiter.get("/admin/organisations").await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, _, visitor) = clients
        .iter_mut()
        .find(|(n, _, _)| *n == "visiteur")
        .unwrap();
    let response = visitor.get("/admin/organisations").await;
    assert!(response.status().is_redirection());
    assert_eq!(
        header(&response, "location"),
        "/connexion?suivant=/admin/organisations"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_permission_in_code_exists_in_the_database(pool: PgPool) {
    for permission in app::identity::auth::Permission::ALL {
        let found: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM permissions WHERE name = $1)")
                .bind(permission.name())
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(found, "{}", permission.name());
    }
    for role in Role::ALL {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM role_permissions WHERE role = $1")
            .bind(role.as_db())
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(n > 0, "{} has permissions", role.as_db());
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn password_reset_is_single_use_and_ends_every_session(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Candidate, "Mathis", true).await;
    let app = app(pool.clone()).await;
    let mut laptop = Client::signed_in_as(&app, &email).await;
    assert_eq!(laptop.get("/compte").await.status(), StatusCode::OK);

    // Same answer for a known and an unknown address.
    let mut visitor = Client::new(&app);
    let known = visitor
        .post("/api/mot-de-passe-oublie", &[("email", &email)])
        .await;
    let unknown = visitor
        .post(
            "/api/mot-de-passe-oublie",
            &[("email", &unique_email("personne"))],
        )
        .await;
    assert_eq!(known.status(), StatusCode::OK);
    assert_eq!(known.status(), unknown.status());
    assert_eq!(header(&known, "location"), header(&unknown, "location"));
    assert_eq!(body_text(known).await, body_text(unknown).await);

    let (subject, text) = last_mail_to(&email).await;
    assert_eq!(subject, "Réinitialisez votre mot de passe");
    let start = text.find("jeton=").unwrap() + 6;
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();

    let new_password = "un tout nouveau mot de passe";
    let response = visitor
        .post(
            "/api/reinitialiser",
            &[("token", &token), ("password", new_password)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let again = visitor
        .post(
            "/api/reinitialiser",
            &[
                ("token", &token),
                ("password", "encore un autre mot de passe"),
            ],
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "single use"
    );

    // The laptop's session ended; the old password no longer works, the new one does.
    assert!(laptop.get("/compte").await.status().is_redirection());
    assert_eq!(
        visitor.sign_in(&email, PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        visitor.sign_in(&email, new_password).await.status(),
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sessions_are_listed_and_can_be_ended(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Recruiter, "Chloé", true).await;
    let app = app(pool.clone()).await;
    let mut phone = Client::signed_in_as(&app, &email).await;
    let mut laptop = Client::signed_in_as(&app, &email).await;

    let list: serde_json::Value =
        serde_json::from_str(&body_text(laptop.post("/api/compte/sessions", &[]).await).await)
            .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_id = list.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();

    // Another user cannot end it.
    let (_, other) = common::account(&pool, Role::Candidate, "Autre", true).await;
    let mut stranger = Client::signed_in_as(&app, &other).await;
    assert_eq!(
        end_session(&mut stranger, &phone_id).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(phone.get("/compte").await.status(), StatusCode::OK);

    assert_eq!(end_session(&mut laptop, &phone_id).await, StatusCode::OK);
    assert!(phone.get("/compte").await.status().is_redirection());
    assert_eq!(laptop.get("/compte").await.status(), StatusCode::OK);

    // Changing the password ends the others but keeps this one.
    phone.sign_in(&email, PASSWORD).await;
    let wrong = laptop
        .change_password("pas le bon", "une autre phrase solide")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = laptop
        .change_password(PASSWORD, "une autre phrase solide")
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(phone.get("/compte").await.status().is_redirection());
    assert_eq!(laptop.get("/compte").await.status(), StatusCode::OK);

    let events: serde_json::Value =
        serde_json::from_str(&body_text(laptop.post("/api/compte/journal", &[]).await).await)
            .unwrap();
    let labels: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Mot de passe modifié"));
    assert!(labels.contains(&"Session fermée"));
    assert!(
        !labels.iter().any(|l| l.contains("Autre")),
        "only the user's own events"
    );
}

/// Signs in; admins and editors enrol their second factor on the way, as they must.

#[sqlx::test(migrator = "MIGRATOR")]
async fn admins_enrol_totp_then_sign_in_with_a_code_or_a_recovery_code(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Admin, "Admin", true).await;
    let app = app(pool.clone()).await;
    let mut admin = Client::new(&app);

    // First sign-in: only the enrolment is open.
    let response = admin.sign_in(&email, PASSWORD).await;
    assert_eq!(
        header(&response, "location"),
        "/compte/double-authentification"
    );
    assert_eq!(queue_status(&mut admin).await, StatusCode::FORBIDDEN);
    let page = admin.get("/compte").await;
    assert_eq!(header(&page, "location"), "/compte/double-authentification");

    let status: serde_json::Value =
        serde_json::from_str(&body_text(admin.post("/api/compte/2fa", &[]).await).await).unwrap();
    let secret = status["Setup"]["secret"].as_str().unwrap().to_owned();
    assert!(
        !status["Setup"]["qr_png_base64"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        admin.enable_totp("000000").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let before = admin.cookie.clone();
    let enabled = admin.enable_totp(&totp_code(&secret, 0)).await;
    assert_eq!(enabled.status(), StatusCode::OK);
    assert_ne!(
        admin.cookie, before,
        "a new session id once the second factor is on"
    );
    let codes: Vec<String> = serde_json::from_str(&body_text(enabled).await).unwrap();
    assert_eq!(codes.len(), 10);
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 10);
    assert!(
        stored.iter().all(|h| h.len() == 32),
        "stored as SHA-256, not in clear"
    );
    assert_eq!(queue_status(&mut admin).await, StatusCode::OK);

    // Sign in again: the password alone opens nothing.
    admin.post("/api/deconnexion", &[]).await;
    let response = admin.sign_in(&email, PASSWORD).await;
    assert_eq!(
        header(&response, "location"),
        "/connexion/code?suivant=/tableau-de-bord"
    );
    assert_eq!(queue_status(&mut admin).await, StatusCode::UNAUTHORIZED);
    let bad = admin
        .post("/api/connexion/code", &[("code", "123456")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The enrolment used the current step; the next one is still in the window.
    let next_code = totp_code(&secret, 30);
    let ok = admin
        .post("/api/connexion/code", &[("code", &next_code)])
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(queue_status(&mut admin).await, StatusCode::OK);

    // A code is accepted once.
    admin.post("/api/deconnexion", &[]).await;
    admin.sign_in(&email, PASSWORD).await;
    let replay = admin
        .post("/api/connexion/code", &[("code", &next_code)])
        .await;
    assert_eq!(replay.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A recovery code works once, typed in any case.
    let recovery = admin
        .post("/api/connexion/code", &[("code", &codes[0].to_uppercase())])
        .await;
    assert_eq!(recovery.status(), StatusCode::OK);
    admin.post("/api/deconnexion", &[]).await;
    admin.sign_in(&email, PASSWORD).await;
    let reused = admin
        .post("/api/connexion/code", &[("code", &codes[0])])
        .await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Wrong codes: after three for the account, delays (even for a right one).
    for _ in 0..2 {
        admin
            .post("/api/connexion/code", &[("code", "999999")])
            .await;
    }
    let locked = admin
        .post("/api/connexion/code", &[("code", &codes[1])])
        .await;
    common::assert_says(locked, StatusCode::TOO_MANY_REQUESTS, "RateLimited").await;

    let events: Vec<String> = sqlx::query_scalar(
        "SELECT event FROM audit_log WHERE event LIKE 'two_factor%' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(events.contains(&"two_factor.enabled".to_owned()));
    assert!(events.contains(&"two_factor.recovery_used".to_owned()));
    assert!(events.contains(&"two_factor.failure".to_owned()));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_in_attempts_are_limited_per_address_with_growing_delays(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Candidate, "Cible", true).await;
    let app = app(pool.clone()).await;
    let mut attacker = Client::new(&app);
    // Three free failures, then a delay even for the right password.
    for _ in 0..3 {
        let status = attacker
            .sign_in(&email, "mauvais mot de passe")
            .await
            .status();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let throttled = attacker.sign_in(&email, PASSWORD).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = header(&throttled, "retry-after").parse().unwrap();
    assert!((1..=900).contains(&retry_after));
    let body: serde_json::Value = serde_json::from_str(&body_text(throttled).await).unwrap();
    assert!(body["RateLimited"]["retry_after"].as_u64().is_some());

    // An unknown address is throttled the same way: nothing to learn.
    let unknown = unique_email("inconnu");
    for _ in 0..3 {
        attacker.sign_in(&unknown, "mauvais mot de passe").await;
    }
    assert_eq!(
        attacker
            .sign_in(&unknown, "mauvais mot de passe")
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    // Once the delay has run, the right password works and clears the count.
    tokio::time::sleep(std::time::Duration::from_secs(retry_after)).await;
    assert_eq!(
        attacker.sign_in(&email, PASSWORD).await.status(),
        StatusCode::OK
    );
    let left = common::rows_in(&pool, "auth_failures").await;
    assert_eq!(left, 3, "only the unknown address' failures remain");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn auth_endpoints_are_limited_per_ip(pool: PgPool) {
    let app = app_limited_to(pool, "3").await;
    let mut client = Client::new(&app);
    for _ in 0..3 {
        let status = client
            .post("/api/mot-de-passe-oublie", &[("email", "x@exemple.fr")])
            .await
            .status();
        assert_eq!(status, StatusCode::OK);
    }
    let limited = client
        .post(
            "/api/connexion",
            &[("email", "x@exemple.fr"), ("password", "y")],
        )
        .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(header(&limited, "retry-after").parse::<u64>().unwrap() >= 1);
    assert!(body_text(limited).await.contains("RateLimited"));
    // Other endpoints are not limited.
    assert_eq!(client.post_status("/api/moi", &[]).await, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn data_export_holds_what_is_stored(pool: PgPool) {
    let (_, email) = common::account(&pool, Role::Candidate, "Manon Export", true).await;
    confirmed_subscriber(&pool, &email).await;
    let app = app(pool).await;
    let mut visitor = Client::new(&app);
    let response = visitor.get("/compte/donnees.json").await;
    assert!(
        response.status().is_redirection(),
        "visitors are sent to sign in"
    );

    let mut me = Client::new(&app);
    me.sign_in(&email, PASSWORD).await;
    let response = me.get("/compte/donnees.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-disposition").starts_with("attachment"));
    let data: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(data["profile"]["email"], email.as_str());
    assert_eq!(data["profile"]["display_name"], "Manon Export");
    assert!(data["newsletter"]["subscribed_at"].is_string());
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
    assert!(
        data["security_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "sign_in.success")
    );
    assert!(
        !data.to_string().contains("argon2"),
        "no password hash in the export"
    );
}

/// `email` as a confirmed newsletter subscriber, as if it had followed the link.
async fn confirmed_subscriber(pool: &PgPool, email: &str) {
    sqlx::query("INSERT INTO newsletter_subscribers (email, confirmed_at) VALUES ($1, now())")
        .bind(email)
        .execute(pool)
        .await
        .unwrap();
}

/// Every text and JSON column of every table, searched for `needle`.
async fn tables_mentioning(pool: &PgPool, needle: &str) -> Vec<String> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'character varying')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut found = Vec::new();
    for (table, column) in columns {
        let sql = format!(
            "SELECT count(*) FROM \"{table}\" WHERE \"{column}\"::text ILIKE '%' || $1 || '%'"
        );
        let n: i64 = sqlx::query_scalar(&sql)
            .bind(needle)
            .fetch_one(pool)
            .await
            .unwrap();
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_deleted_account_leaves_nothing_behind(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut me = Client::new(&app);
    let email = unique_email("effacee");
    let name = "Zélie Effacée";
    let response = me
        .sign_up(
            "entreprise",
            name,
            &email,
            PASSWORD,
            Some(("Atelier Zélie", "73282932000074")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    confirmed_subscriber(&pool, &email).await;
    me.sign_in(&email, "une erreur de frappe").await;
    me.sign_in(&email, PASSWORD).await;
    me.post("/api/compte/profil", &[("display_name", name)])
        .await;
    assert!(!tables_mentioning(&pool, &email).await.is_empty());

    let wrong = me
        .post("/api/compte/supprimer", &[("password", "pas le bon")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = me
        .post("/api/compte/supprimer", &[("password", PASSWORD)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    assert_eq!(tables_mentioning(&pool, &email).await, Vec::<String>::new());
    assert_eq!(
        tables_mentioning(&pool, "Zélie").await,
        Vec::<String>::new()
    );
    let users = common::rows_in(&pool, "users").await;
    assert_eq!(users, 0);
    let trail: Vec<(Option<i64>, String, String)> =
        sqlx::query_as("SELECT user_id, ip, user_agent FROM audit_log")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(!trail.is_empty(), "the audit trail stays");
    assert!(
        trail
            .iter()
            .all(|(user, ip, ua)| user.is_none() && ip.is_empty() && ua.is_empty())
    );
    // The browser is signed out.
    assert!(me.get("/compte").await.status().is_redirection());
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn old_password_hashes_are_upgraded_at_sign_in(pool: PgPool) {
    use argon2::{
        Argon2, Params, PasswordHasher,
        password_hash::{SaltString, rand_core::OsRng},
    };
    let email = unique_email("ancien");
    let weak = Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        Params::new(4096, 1, 1, None).unwrap(),
    )
    .hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
    .unwrap()
    .to_string();
    sqlx::query("INSERT INTO users (email, display_name, password_hash, role) VALUES ($1, 'Ancien', $2, 'candidate')")
        .bind(&email)
        .bind(&weak)
        .execute(&pool)
        .await
        .unwrap();
    let app = app(pool.clone()).await;
    Client::signed_in_as(&app, &email).await;
    let stored: String = common::user_column(&pool, &email, "password_hash").await;
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    // And the new hash still opens the account.
    Client::signed_in_as(&app, &email).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn owners_invite_members_by_email(pool: PgPool) {
    let app = app(pool.clone()).await;
    let owner_email = unique_email("proprietaire");
    let mut owner = Client::new(&app);
    owner
        .sign_up(
            "entreprise",
            "Julien Moreau",
            &owner_email,
            PASSWORD,
            Some(("Atelier Rhône", "73282932000074")),
        )
        .await;
    owner.sign_in(&owner_email, PASSWORD).await;
    let orgs: serde_json::Value =
        serde_json::from_str(&body_text(owner.post("/api/compte/organisations", &[]).await).await)
            .unwrap();
    let org_id = orgs[0]["id"].as_i64().unwrap();
    assert_eq!(orgs[0]["owner"], true);

    let invited = unique_email("recrue");
    let response = owner.invite(org_id, &invited).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (subject, text) = last_mail_to(&invited).await;
    assert_eq!(subject, "Rejoignez Atelier Rhône sur Passerelle");
    assert!(text.contains("Julien Moreau vous invite"));
    let token = token_from(&text);

    let mut newcomer = Client::new(&app);
    let response = accept_invitation(&mut newcomer, &token, "Sarah Lopez").await;
    assert_eq!(response.status(), StatusCode::OK);
    let (role, member_role, verified): (String, String, bool) = sqlx::query_as(
        "SELECT u.role, m.role, u.email_verified_at IS NOT NULL FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = $1",
    )
    .bind(&invited)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (role.as_str(), member_role.as_str(), verified),
        ("recruiter", "member", true)
    );
    // The link works once.
    let again = accept_invitation(&mut newcomer, &token, "X").await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A plain member cannot invite; nor can a recruiter of another company.
    newcomer.sign_in(&invited, PASSWORD).await;
    let refused = newcomer.invite(org_id, &unique_email("x")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (_, stranger_email) = common::account(&pool, Role::Recruiter, "Concurrent", true).await;
    let mut stranger = Client::signed_in_as(&app, &stranger_email).await;
    let refused = stranger.invite(org_id, &unique_email("y")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_limit_answers_plain_forms_with_a_french_page(pool: PgPool) {
    use axum::{body::Body, http::Request};
    let app = app_limited_to(pool, "1").await;
    let form = || {
        Request::post("/api/connexion")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", "http://localhost:3000/connexion")
            .body(Body::from("email=a%40exemple.fr&password=b"))
            .unwrap()
    };
    assert!(app.send(form()).await.status().is_redirection());
    let limited = app.send(form()).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(header(&limited, "content-type").starts_with("text/html"));
    assert!(!header(&limited, "retry-after").is_empty());
    assert!(body_text(limited).await.contains("Trop de tentatives"));
}
