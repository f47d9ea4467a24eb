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
