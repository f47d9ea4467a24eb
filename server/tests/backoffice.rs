//! The back office's home (`/admin`): its queues and figures, for admins
//! only, over the real database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::http::StatusCode;
use common::{Client, app, body_text, header, signed_in};
use serde_json::json;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_admin_home_counts_what_waits_and_what_is_live(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (company, _) =
        common::organisation(&pool, "entreprise", "approved", "Atelier Nord", "Rita").await;
    common::organisation(&pool, "centre", "pending", "Institut Sud", "Nadia").await;
    common::live_offer(&pool, company, "Soudeur TIG", "platform").await;
    // One job that will run again, one given up, one done.
    sqlx::query(
        "INSERT INTO background_jobs (kind, attempts, last_error, done_at) VALUES
             ('alert_digest', 1, 'SMTP refusé', NULL),
             ('alert_digest', 5, 'SMTP refusé', now()),
             ('alert_digest', 1, NULL, now())",
    )
    .execute(&pool)
    .await
    .unwrap();

    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let (status, o) = admin.call("/api/admin/apercu", &[]).await;
    assert_eq!(status, StatusCode::OK, "{o}");
    assert_eq!(o["pending_organisations"], 1);
    assert_eq!(o["open_reports"], 0);
    assert_eq!(
        (&o["retrying_jobs"], &o["given_up_jobs"]),
        (&json!(1), &json!(1))
    );
    assert_eq!((&o["companies"], &o["centres"]), (&json!(1), &json!(0)));
    assert_eq!(o["live_offers"], 1);
    assert_eq!(
        o["users"],
        json!([
            ["Candidat", 0],
            ["Membre d'un centre de formation", 1],
            ["Recruteur", 1],
            ["Éditeur", 0],
            ["Administrateur", 1]
        ])
    );
    assert_eq!(o["sign_ups"], json!([3, 3]));
    assert_eq!(o["applications"], json!([0, 0]));

    let page = body_text(admin.get("/admin").await).await;
    assert!(page.contains("Organisations en attente"), "{page}");
    assert!(page.contains("href=\"/admin/organisations\""));
    assert!(page.contains("1 relancées automatiquement, 1 abandonnées"));

    // Every other role is refused, on the page and its server function.
    for role in [
        Role::Candidate,
        Role::CentreMember,
        Role::Recruiter,
        Role::Editor,
    ] {
        let mut client = signed_in(&app, role, "Quelqu'un").await;
        let refused = client.post_status("/api/admin/apercu", &[]).await;
        assert_eq!(refused, StatusCode::FORBIDDEN, "{role:?}");
        let page = client.get("/admin").await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "{role:?}");
    }
    let mut visitor = Client::new(&app);
    assert_eq!(
        visitor.post_status("/api/admin/apercu", &[]).await,
        StatusCode::UNAUTHORIZED
    );
    let response = visitor.get("/admin").await;
    assert!(response.status().is_redirection());
    assert_eq!(header(&response, "location"), "/connexion?suivant=/admin");
}

/// The e-mails of a page of `/api/admin/utilisateurs` and its total.
fn listed(body: &serde_json::Value) -> (Vec<String>, i64) {
    let emails = body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect();
    (emails, body["total"].as_i64().unwrap())
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn admins_find_any_account_and_see_its_organisations_sessions_and_journal(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut admin, admin_email, _) =
        common::signed_in_account(&app, Role::Admin, "Ada Admin").await;
    let (_, rita) =
        common::organisation(&pool, "entreprise", "approved", "Atelier Nord", "Rita").await;
    let (paul_id, paul) = common::account(&pool, Role::Candidate, "Paul 50%_Pascal", false).await;
    // Rita signs in once: an open session and a sign-in in her journal.
    let _rita_browser = Client::signed_in_as(&app, &rita).await;
    let rita_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&rita)
        .fetch_one(&pool)
        .await
        .unwrap();

    let (status, all) = admin.call("/api/admin/utilisateurs", &[]).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let (emails, total) = listed(&all);
    assert_eq!(total, 3);
    // Newest first.
    assert_eq!(emails, [paul.clone(), rita.clone(), admin_email.clone()]);

    // By organisation name, by name (the % and _ typed are plain text), by e-mail.
    for (q, expected) in [
        ("atelier nord", &rita),
        ("50%_pas", &paul),
        (admin_email.as_str(), &admin_email),
    ] {
        let (_, body) = admin.call("/api/admin/utilisateurs", &[("q", q)]).await;
        assert_eq!(listed(&body), (vec![expected.clone()], 1), "{q}");
    }
    let (_, body) = admin
        .call("/api/admin/utilisateurs", &[("q", "50%x")])
        .await;
    assert_eq!(listed(&body).1, 0, "% is not a wildcard");
    // Filters: role, address confirmation, second factor; unknown values filter nothing.
    for (form, expected) in [
        (vec![("role", "recruiter")], vec![rita.clone()]),
        (vec![("verifie", "non")], vec![paul.clone()]),
        (vec![("double_auth", "oui")], vec![admin_email.clone()]),
        (
            vec![("double_auth", "non"), ("verifie", "oui")],
            vec![rita.clone()],
        ),
        (
            vec![("role", "pirate")],
            vec![paul.clone(), rita.clone(), admin_email.clone()],
        ),
    ] {
        let (_, body) = admin.call("/api/admin/utilisateurs", &form).await;
        assert_eq!(listed(&body).0, expected, "{form:?}");
    }
    let (_, far) = admin
        .call("/api/admin/utilisateurs", &[("page", "2")])
        .await;
    assert_eq!(listed(&far), (vec![], 0));

    let (status, detail) = admin
        .call("/api/admin/utilisateur", &[("id", &rita_id.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["role"], "Recruteur");
    assert_eq!(detail["organisations"][0]["name"], "Atelier Nord");
    assert_eq!(detail["organisations"][0]["role"], "owner");
    assert_eq!(detail["sessions"].as_array().unwrap().len(), 1);
    assert!(
        detail["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "sign_in.success"),
        "{detail}"
    );
    let (_, paul_detail) = admin
        .call("/api/admin/utilisateur", &[("id", &paul_id.to_string())])
        .await;
    assert_eq!(paul_detail["verified"], serde_json::Value::Null);
    assert_eq!(paul_detail["sessions"], json!([]));
    let (status, _) = admin
        .call("/api/admin/utilisateur", &[("id", "999999")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The pages: the list links to each account, the account page shows it.
    let page = body_text(admin.get("/admin/utilisateurs?q=atelier").await).await;
    assert!(
        page.contains(&format!("href=\"/admin/utilisateurs/{rita_id}\"")),
        "{page}"
    );
    assert!(!page.contains(&paul), "{page}");
    let page = body_text(admin.get(&format!("/admin/utilisateurs/{rita_id}")).await).await;
    assert!(page.contains("Atelier Nord"), "{page}");
    assert!(page.contains("Connexion réussie"), "{page}");

    // Nobody else gets the list or an account.
    let mut recruiter = Client::signed_in_as(&app, &rita).await;
    assert_eq!(
        recruiter.post_status("/api/admin/utilisateurs", &[]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        recruiter.get("/admin/utilisateurs").await.status(),
        StatusCode::FORBIDDEN
    );
    let mut visitor = Client::new(&app);
    assert_eq!(
        visitor
            .post_status("/api/admin/utilisateur", &[("id", "1")])
            .await,
        StatusCode::UNAUTHORIZED
    );
}

/// A signed-in admin who enrolled TOTP here: the client, its id and the
/// TOTP secret (to make the codes a sensitive action asks for).
async fn admin_with_secret(app: &common::TestApp) -> (Client<'_>, i64, String) {
    let (id, email) = common::account(&app.pool, Role::Admin, "Ada Admin", true).await;
    let mut admin = Client::new(app);
    admin.sign_in(&email, common::PASSWORD).await;
    let (_, status) = common::json(admin.post("/api/compte/2fa", &[]).await).await;
    let secret = status["Setup"]["secret"].as_str().unwrap().to_owned();
    let enabled = admin.enable_totp(&common::totp_code(&secret, 0)).await;
    assert_eq!(enabled.status(), StatusCode::OK);
    (admin, id, secret)
}

/// The journal events of account `id`, newest first, with their detail.
async fn journal(pool: &PgPool, id: i64) -> Vec<(String, serde_json::Value)> {
    sqlx::query!(
        "SELECT event, detail FROM audit_log WHERE user_id = $1 ORDER BY id DESC",
        id
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| (row.event, row.detail))
    .collect()
}

/// Posts the account page's form: `action` on account `id` with `code`.
async fn act(
    admin: &mut Client<'_>,
    id: i64,
    action: &str,
    code: &str,
) -> (StatusCode, serde_json::Value) {
    let id = id.to_string();
    admin
        .call(
            "/api/admin/utilisateur/action",
            &[
                ("id", id.as_str()),
                ("action", action),
                ("reason", "Annonces frauduleuses"),
                ("role", "recruiter"),
                ("code", code),
            ],
        )
        .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sensitive_account_actions_need_a_fresh_second_factor_and_are_journaled(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut admin, admin_id, secret) = admin_with_secret(&app).await;
    let (paul_id, paul) = common::account(&pool, Role::Candidate, "Paul", true).await;
    let mut paul_browser = Client::signed_in_as(&app, &paul).await;

    // Without a code, or with a wrong one, nothing happens.
    for code in ["", "pas-un-code"] {
        let (status, body) = act(&mut admin, paul_id, "suspendre", code).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["Invalid"]["field"], "code", "{body}");
    }
    assert!(paul_browser.get("/compte").await.status().is_success());

    // A code: Paul is suspended, his session ends at once and sign-in says why.
    let code = common::totp_code(&secret, 30);
    let (status, body) = act(&mut admin, paul_id, "suspendre", &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(paul_browser.get("/compte").await.status().is_redirection());
    let refused = Client::new(&app).sign_in(&paul, common::PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(refused).await.contains("Ce compte est suspendu"));
    let (event, detail) = &journal(&pool, paul_id).await[1];
    assert_eq!(event, "account.suspended");
    assert_eq!(detail["by"], admin_id);
    assert_eq!(detail["before"], json!({ "suspendu": false }));
    assert_eq!(detail["after"], json!({ "suspendu": true }));
    assert_eq!(detail["reason"], "Annonces frauduleuses");
    let (_, listed) = admin
        .call("/api/admin/utilisateurs", &[("suspendu", "oui")])
        .await;
    assert_eq!(listed["total"], 1);
    // Twice is refused: the state is checked in the statement that changes it.
    let (status, body) = act(&mut admin, paul_id, "suspendre", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "id", "{body}");

    // Within ten minutes the same session needs no new code.
    for action in ["reactiver", "changer_role"] {
        let (status, body) = act(&mut admin, paul_id, action, "").await;
        assert_eq!(status, StatusCode::OK, "{action}: {body}");
    }
    let (event, detail) = &journal(&pool, paul_id).await[0];
    assert_eq!(event, "account.role_changed");
    assert_eq!(detail["before"], json!({ "role": "candidate" }));
    assert_eq!(detail["after"], json!({ "role": "recruiter" }));
    let (status, body) = act(&mut admin, paul_id, "changer_role", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "role", "{body}");
    let mut paul_again = Client::new(&app);
    assert_eq!(
        paul_again.sign_in(&paul, common::PASSWORD).await.status(),
        StatusCode::OK
    );
    let (_, me) = common::json(paul_again.post("/api/moi", &[]).await).await;
    assert_eq!(me["role"], "Recruiter", "{me}");

    // Ending his sessions signs him out everywhere; his page says who did what.
    assert_eq!(
        act(&mut admin, paul_id, "fermer_sessions", "").await.0,
        StatusCode::OK
    );
    assert!(paul_again.get("/compte").await.status().is_redirection());
    let page = body_text(admin.get(&format!("/admin/utilisateurs/{paul_id}")).await).await;
    assert!(
        page.contains("Rôle modifié par un administrateur"),
        "{page}"
    );
    assert!(page.contains("role : candidate → recruiter"), "{page}");

    // Never on one's own account.
    let (status, body) = act(&mut admin, admin_id, "fermer_sessions", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "id");
    assert!(admin.get("/admin").await.status().is_success());

    // Guessing codes is slowed down as at sign-in (per account, whatever
    // the session): after the free tries, the next ones are refused for a while.
    sqlx::query!(
        "UPDATE user_sessions SET stepped_up_at = NULL WHERE user_id = $1",
        admin_id
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut last = StatusCode::OK;
    for _ in 0..10 {
        last = act(&mut admin, paul_id, "fermer_sessions", "pas-un-code")
            .await
            .0;
        if last == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

/// Posts an erasure of account `id` with the person's request `reason`.
async fn erase(admin: &mut Client<'_>, id: i64, reason: &str) -> (StatusCode, serde_json::Value) {
    let id = id.to_string();
    admin
        .call(
            "/api/admin/utilisateur/action",
            &[
                ("id", id.as_str()),
                ("action", "supprimer"),
                ("reason", reason),
            ],
        )
        .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn admins_resend_a_confirmation_reset_a_second_factor_and_erase_on_request(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut admin, admin_id, secret) = admin_with_secret(&app).await;
    let (paul_id, paul) = common::account(&pool, Role::Candidate, "Paul", false).await;
    let (mut edith, _, edith_id) = common::signed_in_account(&app, Role::Editor, "Edith").await;

    // A new confirmation link: no second factor needed, and only for an
    // address still unconfirmed.
    let (status, body) = act(&mut admin, paul_id, "renvoyer_confirmation", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    common::assert_mailed(&paul, "Confirmez votre adresse", "/verifier-email?jeton=").await;
    let (status, body) = act(&mut admin, edith_id, "renvoyer_confirmation", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Edith lost her phone: her second factor and recovery codes go, and so
    // do her sessions; as an editor she must enrol again when she signs in.
    assert_eq!(
        act(&mut admin, edith_id, "reinitialiser_2fa", "").await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code first"
    );
    let code = common::totp_code(&secret, 30);
    let (status, body) = act(&mut admin, edith_id, "reinitialiser_2fa", &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let left = sqlx::query!(
        r#"SELECT totp_enabled_at IS NULL AS "off!",
                  (SELECT count(*) FROM recovery_codes WHERE user_id = $1) AS "codes!"
           FROM users WHERE id = $1"#,
        edith_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(left.off);
    assert_eq!(left.codes, 0);
    assert!(edith.get("/compte").await.status().is_redirection());

    // Erasure on request: the reason (the request) is required; then the
    // account is gone as with the person's own deletion, and the admin's
    // journal keeps who did it.
    let (status, body) = erase(&mut admin, paul_id, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "reason");
    let (status, body) = erase(&mut admin, paul_id, "Courriel du 3 décembre").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let gone: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE id = $1")
        .bind(paul_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(gone, 0);
    let (event, detail) = &journal(&pool, admin_id).await[0];
    assert_eq!(event, "account.erased_on_request");
    assert_eq!(detail["by"], admin_id);
    assert_eq!(detail["reason"], "Courriel du 3 décembre");
    // The list the admin comes back to says so.
    let list = body_text(admin.get("/admin/utilisateurs?supprime=1").await).await;
    assert!(list.contains("Le compte a été supprimé"), "{list}");
}

/// Posts the organisation page's suspension form.
async fn act_on_organisation(
    admin: &mut Client<'_>,
    id: i64,
    action: &str,
    reason: &str,
    code: &str,
) -> (StatusCode, serde_json::Value) {
    let id = id.to_string();
    admin
        .call(
            "/api/admin/organisation/action",
            &[
                ("id", id.as_str()),
                ("action", action),
                ("reason", reason),
                ("code", code),
            ],
        )
        .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_suspended_organisation_leaves_every_public_page_until_reactivated(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut admin, admin_id, secret) = admin_with_secret(&app).await;
    let (company, owner) =
        common::organisation(&pool, "entreprise", "approved", "Atelier Nord", "Rita").await;
    common::organisation(&pool, "centre", "pending", "Institut Sud", "Nadia").await;
    let (_, offer) = common::live_offer(&pool, company, "Soudeur TIG", "platform").await;
    let company_slug: String = common::column(&pool, "organisations", "slug", company).await;

    // The list finds it by name, kind and status.
    let (status, list) = admin
        .call(
            "/api/admin/organisations/liste",
            &[
                ("q", "nord"),
                ("kind", "entreprise"),
                ("statut", "approved"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["rows"][0]["name"], "Atelier Nord");
    assert_eq!(list["rows"][0]["published"], 1);
    let (_, all) = admin.call("/api/admin/organisations/liste", &[]).await;
    assert_eq!(all["total"], 2);

    let visible = async |app: &common::TestApp| {
        let search = body_text(app.get("/offres?q=soudeur").await).await;
        let sitemap = body_text(app.get("/sitemap.xml").await).await;
        (
            app.get(&format!("/offres/{offer}")).await.status(),
            app.get(&format!("/entreprises/{company_slug}"))
                .await
                .status(),
            search.contains("Soudeur TIG"),
            sitemap.contains(&format!("/offres/{offer}<")),
        )
    };
    assert_eq!(
        visible(&app).await,
        (StatusCode::OK, StatusCode::OK, true, true)
    );

    // A reason and a fresh second factor are asked for.
    let (status, body) = act_on_organisation(&mut admin, company, "suspendre", "", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "code", "{body}");
    let code = common::totp_code(&secret, 30);
    let (status, body) = act_on_organisation(&mut admin, company, "suspendre", " ", &code).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "reason", "{body}");
    let (status, body) =
        act_on_organisation(&mut admin, company, "suspendre", "Annonces trompeuses", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Gone at once from the offer, the company page, the search and the sitemap.
    assert_eq!(
        visible(&app).await,
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND, false, false)
    );
    let stored: String = common::column(&pool, "organisations", "status", company).await;
    assert_eq!(stored, "suspended");
    // Twice is refused; its members keep their dashboard.
    let (status, _) = act_on_organisation(&mut admin, company, "suspendre", "Encore", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut rita = Client::signed_in_as(&app, &owner).await;
    let dashboard = common::ok_text(rita.get("/tableau-de-bord/offres").await).await;
    assert!(
        dashboard.contains("Votre entreprise est suspendue"),
        "{dashboard}"
    );
    // A new name while suspended still waits for an admin.
    let (status, body) = rita
        .call(
            "/api/organisation/fiche/enregistrer",
            &[("kind", "entreprise"), ("profile[name]", "Atelier Renommé")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let pending: Option<String> =
        common::column(&pool, "organisations", "pending_name", company).await;
    assert_eq!(pending.as_deref(), Some("Atelier Renommé"));

    // Its page shows the suspension, its members and its journal.
    let page = body_text(admin.get(&format!("/admin/organisations/{company}")).await).await;
    assert!(page.contains("Organisation suspendue le"), "{page}");
    assert!(page.contains("Annonces trompeuses"), "{page}");
    assert!(page.contains(&owner), "{page}");
    assert!(page.contains("statut : validée → suspendue"), "{page}");

    // Reactivated: everything comes back.
    let (status, body) = act_on_organisation(&mut admin, company, "reactiver", "", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        visible(&app).await,
        (StatusCode::OK, StatusCode::OK, true, true)
    );
    let events: Vec<(String, serde_json::Value)> = sqlx::query!(
        "SELECT event, detail FROM audit_log WHERE detail -> 'organisation' = to_jsonb($1::bigint) ORDER BY id",
        company
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| (row.event, row.detail))
    .collect();
    let names: Vec<&str> = events.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(
        names,
        [
            "organisation.suspended",
            "organisation.rename_requested",
            "organisation.reactivated"
        ]
    );
    assert_eq!(events[0].1["by"], admin_id);
    assert_eq!(events[0].1["reason"], "Annonces trompeuses");
    assert_eq!(events[2].1["after"], json!({ "statut": "validée" }));

    // A pending organisation is not suspended: it is reviewed.
    let (status, _) = act_on_organisation(&mut admin, 999_999, "reactiver", "", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn admins_edit_a_public_profile_and_a_new_name_applies_at_once(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let (company, _) =
        common::organisation(&pool, "entreprise", "approved", "Atelier Nord", "Rita").await;
    common::live_offer(&pool, company, "Soudeur TIG", "platform").await;
    let id = company.to_string();
    let form = |name: &'static str, website: &'static str| {
        vec![
            ("id", id.clone()),
            ("profile[name]", name.to_owned()),
            ("profile[description]", "Chaudronnerie fine.".to_owned()),
            ("profile[website]", website.to_owned()),
        ]
    };
    let post = async |admin: &mut Client<'_>, form: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        admin.call("/api/admin/organisation/fiche", &pairs).await
    };

    // Checked as the members' own form is.
    let (status, body) = post(&mut admin, form("Atelier Nord", "ftp://nord.fr")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "website");

    let (status, body) = post(&mut admin, form("Ateliers du Nord", "https://nord.fr")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let name: String = common::column(&pool, "organisations", "name", company).await;
    assert_eq!(name, "Ateliers du Nord");
    // The search's cards carry the new name at once.
    let search = body_text(app.get("/offres?q=soudeur").await).await;
    assert!(search.contains("Ateliers du Nord"), "{search}");
    let page = body_text(admin.get(&format!("/admin/organisations/{company}")).await).await;
    assert!(
        page.contains("nom : Atelier Nord → Ateliers du Nord"),
        "{page}"
    );
    assert!(page.contains("Chaudronnerie fine."), "{page}");

    // A recruiter cannot use it on their own organisation either.
    let (mut rita, _, _) =
        common::organisation_owner(&app, "entreprise", "approved", "Atelier Sud", "Rita").await;
    let (status, _) = post(&mut rita, form("Atelier Sud bis", "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

const BASE_URL: &str = "http://localhost:3000";

/// One pass of the worker over this test's database.
async fn tick(pool: &PgPool) -> app::worker::TickReport {
    app::worker::tick(pool, &common::test_mailer(), BASE_URL)
        .await
        .unwrap()
}

/// (attempts, has an error, done, set aside) of background job `id`.
async fn job_state(pool: &PgPool, id: i64) -> (i32, bool, bool, bool) {
    let row = sqlx::query!(
        r#"SELECT attempts, last_error IS NOT NULL AS "failed!", done_at IS NOT NULL AS "done!",
                  discarded_at IS NOT NULL AS "discarded!"
           FROM background_jobs WHERE id = $1"#,
        id
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.attempts, row.failed, row.done, row.discarded)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn admins_retry_or_set_aside_the_background_jobs_that_failed(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    // A digest of a search deleted since: it succeeds at once when it runs.
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO background_jobs (kind, payload, attempts, last_error, done_at, run_at) VALUES
             ('alert_digest', '{\"search\": 999999}', 2, 'SMTP refusé', NULL, now() + interval '1 hour'),
             ('alert_digest', '{\"search\": 999998}', 5, 'SMTP refusé', now(), now()),
             ('alert_digest', '{\"search\": 999997}', 1, NULL, now(), now())
         RETURNING id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let (failing, given_up, done) = (ids[0], ids[1], ids[2]);
    let listed = |body: &serde_json::Value| -> Vec<i64> {
        body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    };

    // By default: the failures, retrying or given up, with their errors.
    let (status, body) = admin.call("/api/admin/taches", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(listed(&body), [failing, given_up]);
    assert_eq!(body["rows"][0]["last_error"], "SMTP refusé");
    let (_, body) = admin
        .call("/api/admin/taches", &[("etat", "abandonnee")])
        .await;
    assert_eq!(listed(&body), [given_up]);
    let page = body_text(admin.get("/admin/taches").await).await;
    assert!(page.contains("Abandonnée après plusieurs essais"), "{page}");

    let decide = async |admin: &mut Client<'_>, id: i64, decision: &str| {
        let id = id.to_string();
        admin
            .call(
                "/api/admin/taches/action",
                &[("id", id.as_str()), ("decision", decision)],
            )
            .await
            .0
    };
    // A job that succeeded is neither retried nor set aside.
    assert_eq!(
        decide(&mut admin, done, "relancer").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        decide(&mut admin, done, "ecarter").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Retried: a full round of attempts, run at the next tick.
    assert_eq!(
        decide(&mut admin, given_up, "relancer").await,
        StatusCode::OK
    );
    assert_eq!(job_state(&pool, given_up).await, (0, false, false, false));
    tick(&pool).await;
    assert_eq!(job_state(&pool, given_up).await, (1, false, true, false));

    // Set aside: never run again, out of the failures, kept in its own list.
    assert_eq!(decide(&mut admin, failing, "ecarter").await, StatusCode::OK);
    assert_eq!(job_state(&pool, failing).await, (2, true, true, true));
    let (_, body) = admin.call("/api/admin/taches", &[]).await;
    assert_eq!(body["total"], 0);
    let (_, body) = admin
        .call("/api/admin/taches", &[("etat", "ecartee")])
        .await;
    assert_eq!(listed(&body), [failing]);
    let (_, home) = admin.call("/api/admin/apercu", &[]).await;
    assert_eq!(
        (&home["retrying_jobs"], &home["given_up_jobs"]),
        (&json!(0), &json!(0))
    );
    let events: Vec<String> =
        sqlx::query_scalar("SELECT event FROM audit_log WHERE event LIKE 'task.%' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(events, ["task.retried", "task.discarded"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn moderation_withdraws_content_and_its_owners_learn_why(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let (mut rita, company, rita_email) =
        common::organisation_owner(&app, "entreprise", "approved", "Atelier Nord", "Rita").await;
    let (offer, offer_slug) = common::live_offer(&pool, company, "Soudeur TIG", "platform").await;
    let (mut nadia, centre, nadia_email) =
        common::organisation_owner(&app, "centre", "approved", "Institut Sud", "Nadia").await;
    let training: i64 = sqlx::query_scalar(
        "INSERT INTO trainings (centre_id, title, summary, modality, duration_hours, price_cents, status, published_at)
         VALUES ($1, 'Chaudronnier industriel', 'Former des chaudronniers.', 'presentiel', 400, 0, 'published', now())
         RETURNING id",
    )
    .bind(centre)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("SELECT refresh_training_search($1)")
        .bind(training)
        .execute(&pool)
        .await
        .unwrap();
    let (mut lea, lea_email, lea_id) = common::signed_in_account(&app, Role::Editor, "Léa").await;
    let article: i64 = sqlx::query_scalar(
        "INSERT INTO articles (slug, title, body_html, author_id, status, published_at)
         VALUES ('un-article-trompeur', 'Un article trompeur', '<p>Texte</p>', $1, 'published', now())
         RETURNING id",
    )
    .bind(lea_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let withdraw = async |admin: &mut Client<'_>, kind: &str, id: i64, reason: &str| {
        let id = id.to_string();
        admin
            .call(
                "/api/admin/contenus/retirer",
                &[("kind", kind), ("id", id.as_str()), ("reason", reason)],
            )
            .await
    };

    // Every owner's content is listed, found by title or owner.
    let (status, list) = admin
        .call("/api/admin/contenus", &[("kind", "offres"), ("q", "nord")])
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["rows"][0]["public"], true);
    let (_, list) = admin
        .call(
            "/api/admin/contenus",
            &[("kind", "formations"), ("statut", "public")],
        )
        .await;
    assert_eq!(list["rows"][0]["title"], "Chaudronnier industriel");

    // A reason is needed: it is what the owner reads.
    let (status, body) = withdraw(&mut admin, "offres", offer, "  ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "reason");

    // The offer leaves the site at once; its company is told why.
    assert!(
        app.get(&format!("/offres/{offer_slug}"))
            .await
            .status()
            .is_success()
    );
    let (status, body) = withdraw(
        &mut admin,
        "offres",
        offer,
        "Offre discriminatoire (critère d'âge)",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Not even a 410 with its title: it is gone.
    assert_eq!(
        app.get(&format!("/offres/{offer_slug}")).await.status(),
        StatusCode::NOT_FOUND
    );
    // Nor does it come back as a copy.
    let id = offer.to_string();
    let (status, body) = rita
        .call("/api/entreprise/offres/dupliquer", &[("id", id.as_str())])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("critère d'âge"), "{body}");
    assert!(
        !body_text(app.get("/offres?q=soudeur").await)
            .await
            .contains("Soudeur TIG")
    );
    let (status, _) = withdraw(&mut admin, "offres", offer, "Encore une fois").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The training and the article too; their owners cannot publish them again.
    for (kind, id) in [("formations", training), ("articles", article)] {
        let (status, body) = withdraw(&mut admin, kind, id, "Contenu trompeur signalé").await;
        assert_eq!(status, StatusCode::OK, "{kind}: {body}");
    }
    assert!(
        !app.get("/blog/un-article-trompeur")
            .await
            .status()
            .is_success()
    );
    let id = training.to_string();
    let (status, body) = nadia
        .call(
            "/api/centre/formations/statut",
            &[("id", id.as_str()), ("action", "publish")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("Contenu trompeur signalé"),
        "{body}"
    );
    let id = article.to_string();
    let (status, _) = lea
        .call(
            "/api/blog/editeur/statut",
            &[("id", id.as_str()), ("action", "Publish")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = admin
        .call(
            "/api/admin/contenus",
            &[("kind", "articles"), ("statut", "retire")],
        )
        .await;
    assert_eq!(list["rows"][0]["withdrawn"], "Contenu trompeur signalé");

    // Each owner gets the reason by e-mail, through the background jobs.
    let report = tick(&pool).await;
    assert_eq!(report.jobs_done, 3, "{report:?}");
    common::assert_mailed(
        &rita_email,
        "Soudeur TIG",
        "Offre discriminatoire (critère d'âge)",
    )
    .await;
    common::assert_mailed(
        &nadia_email,
        "Chaudronnier industriel",
        "Contenu trompeur signalé",
    )
    .await;
    common::assert_mailed(
        &lea_email,
        "Un article trompeur",
        "Contenu trompeur signalé",
    )
    .await;
    // The company's journal names the withdrawal.
    let page = body_text(admin.get(&format!("/admin/organisations/{company}")).await).await;
    assert!(page.contains("Contenu retiré par la modération"), "{page}");
    // Owners are not moderators.
    let (status, _) = withdraw(&mut rita, "formations", training, "Concurrent déloyal").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_newsletter_goes_to_confirmed_subscribers_each_with_an_unsubscribe_link(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut admin, _, secret) = admin_with_secret(&app).await;
    let tag = common::unique_email("lettre");
    let (confirmed, waiting) = (format!("oui-{tag}"), format!("non-{tag}"));
    sqlx::query(
        "INSERT INTO newsletter_subscribers (email, confirmed_at) VALUES ($1, now()), ($2, NULL),
             ('=cmd|calc@exemple.fr', now())",
    )
    .bind(&confirmed)
    .bind(&waiting)
    .execute(&pool)
    .await
    .unwrap();

    let (status, body) = admin.call("/api/admin/newsletter", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (&body["confirmed"], &body["unconfirmed"]),
        (&json!(2), &json!(1))
    );

    // The export: every address, spreadsheet formulas neutralised, journaled.
    let response = admin.get("/admin/newsletter/abonnes.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-disposition").contains("attachment"));
    let csv = body_text(response).await;
    assert!(csv.contains(&confirmed) && csv.contains(&waiting), "{csv}");
    assert!(csv.contains("'=cmd|calc@exemple.fr"), "{csv}");
    let mut rita = signed_in(&app, Role::Recruiter, "Rita").await;
    assert_eq!(
        rita.get("/admin/newsletter/abonnes.csv").await.status(),
        StatusCode::FORBIDDEN
    );

    // Irreversible: a second-factor code first, then a checked text.
    let issue = [
        ("subject", "Les formations de décembre"),
        (
            "body",
            "Bonjour à tous.\n\nVoici les formations <b>qui démarrent</b> ce mois-ci.",
        ),
    ];
    let (status, body) = admin.call("/api/admin/newsletter/envoyer", &issue).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "code");
    let code = common::totp_code(&secret, 30);
    let (status, body) = admin
        .call(
            "/api/admin/newsletter/envoyer",
            &[("subject", "Hop"), ("body", ""), ("code", &code)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "subject");
    assert_eq!(common::rows_in(&pool, "newsletter_issues").await, 0);
    let (status, body) = admin.call("/api/admin/newsletter/envoyer", &issue).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report = tick(&pool).await;
    assert_eq!(report.jobs_done, 2, "{report:?}");
    assert!(mails_to_subject(&waiting, "Les formations de décembre").is_empty());
    let sent = mails_to_subject(&confirmed, "Les formations de décembre");
    assert_eq!(sent.len(), 1);
    let mail = &sent[0];
    assert!(mail.text.contains("<b>qui démarrent</b>"), "{}", mail.text);
    let unsubscribe = mail
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("List-Unsubscribe"))
        .map(|(_, value)| value.trim_matches(['<', '>']).to_owned())
        .expect("List-Unsubscribe");
    assert!(mail.text.contains(&unsubscribe), "{}", mail.text);
    let (_, body) = admin.call("/api/admin/newsletter", &[]).await;
    assert_eq!(body["issues"][0]["delivered"], 2, "{body}");

    // The link works: the address is forgotten.
    let path = unsubscribe.trim_start_matches(BASE_URL);
    let token = path.split("jeton=").nth(1).unwrap();
    let (status, _) = Client::new(&app)
        .call(
            "/api/newsletter/lien",
            &[("action", "desabonner"), ("token", token)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = admin.call("/api/admin/newsletter", &[]).await;
    assert_eq!(body["confirmed"], 1);
}

/// The e-mails `to` received whose subject contains `subject`.
fn mails_to_subject(to: &str, subject: &str) -> Vec<common::Mail> {
    common::mails_to(to)
        .into_iter()
        .filter(|m| m.subject.contains(subject))
        .collect()
}
