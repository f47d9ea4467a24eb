//! The organisations' side of `/api/v1` over HTTP: a company's offers
//! (create, update, publish, close) and its applications (the pipeline, a
//! move with the site's e-mail, the CV), a centre's trainings, sessions and
//! enrolment requests; for the organisation's API client and for a
//! member's token, with the site's permissions and every refusal (scope,
//! kind, permission, another organisation's resources, bad bodies). Also
//! the clients' page, where the owner picks each client's scopes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::{candidates::applications::REFUSAL_REASONS, identity::users::Role};
use axum::{
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use common::api::{expect, send};
use common::{Client, TestApp, app, body_text, header, json, last_mail_to, live_offer};
use serde_json::{Value, json};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// A small real-looking PDF.
const PDF: &[u8] =
    b"%PDF-1.7\n% CV de test API\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// The same, as (status, JSON answer).
async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    common::api::call(app, method, path, Some(token), body).await
}

/// A 422 problem naming `field` with the site's `message`.
#[track_caller]
fn assert_field((status, body): (StatusCode, Value), field: &str, message: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
    assert_eq!(body["errors"][0]["field"], field, "{body}");
    assert_eq!(body["errors"][0]["detail"], message, "{body}");
}

/// A 403 answer naming the missing scope.
async fn assert_insufficient_scope(response: Response, scope: &str) {
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let challenge = header(&response, "www-authenticate").to_owned();
    assert!(
        challenge.contains("insufficient_scope") && challenge.contains(scope),
        "{challenge}"
    );
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
}

/// A client of the owner's organisation of `kind` holding `scopes`,
/// created on the clients' page, and an access token of it.
async fn client_token(owner: &mut Client<'_>, kind: &str, scopes: &[&str]) -> String {
    let mut form = vec![("kind", kind), ("name", "Notre logiciel")];
    form.extend(scopes.iter().map(|scope| ("scopes[]", *scope)));
    let created = owner
        .call_ok("/api/organisation/clients-api/creer", &form)
        .await;
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "client_credentials"),
            ("client_id", created["client_id"].as_str().unwrap()),
            ("client_secret", created["secret"].as_str().unwrap()),
        ])
        .finish();
    let response = owner
        .app
        .send(
            Request::post("/api/v1/oauth/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    let (status, token) = json(response).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    token["access_token"].as_str().unwrap().to_owned()
}

/// A member's access token with `scopes`, as if they had consented to an app.
async fn member_token(pool: &PgPool, email: &str, scopes: &[&str]) -> String {
    let user = common::api::user_id(pool, email).await;
    common::api::user_token(pool, user, scopes).await.0
}

async fn some_skill(pool: &PgPool) -> i64 {
    sqlx::query_scalar!("SELECT id FROM skills ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A valid new offer in Lyon.
fn new_offer(skill: i64) -> Value {
    json!({
        "title": "Soudeur TIG (H/F)",
        "description": "Soudure **TIG** sur acier inoxydable, en atelier.",
        "contract": "cdd",
        "remote": "presentiel",
        "place": "Lyon",
        "salary_min": 1800,
        "salary_max": 2200,
        "salary_unit": "mois",
        "skills": [skill],
        "expiry_days": 30,
    })
}

/// The candidate applies to `offer` on the site, with a PDF CV.
async fn apply_on_site(candidate: &mut Client<'_>, offer: i64) -> i64 {
    let offer = offer.to_string();
    let response = candidate
        .post_multipart(
            "/api/candidatures/postuler",
            &[
                ("offer_id", &offer),
                ("message", "Je suis soudeur depuis dix ans."),
            ],
            ("cv.pdf", "application/pdf", PDF),
            &[
                ("accept", "application/json"),
                ("referer", "http://localhost:3000/offres/une-offre"),
            ],
        )
        .await;
    let (status, body) = json(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_company_client_creates_updates_publishes_and_closes_an_offer(pool: PgPool) {
    common::communes_of(&pool, &["69"]).await;
    let app = app(pool.clone()).await;
    let skill = some_skill(&pool).await;
    let (mut owner, company, _) =
        common::approved_company(&app, "Métallerie Dupont", "Odile").await;
    let token = client_token(
        &mut owner,
        "entreprise",
        &["offres:lecture", "offres:ecriture"],
    )
    .await;

    // Created as a draft, with the form's fields.
    let response = send(
        &app,
        "POST",
        "/api/v1/entreprise/offres",
        Some(&token),
        Some(new_offer(skill)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert!(header(&response, "vary").contains("Authorization"));
    let location = header(&response, "location").to_owned();
    let (_, offer) = json(response).await;
    let id = offer["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/entreprise/offres/{id}"));
    assert_eq!(
        (
            offer["status"].as_str(),
            offer["contract"].as_str(),
            offer["salary_max"].as_i64()
        ),
        (Some("draft"), Some("cdd"), Some(2200)),
        "{offer}"
    );
    assert_eq!(offer["skills"], json!([skill]));
    assert!(offer["public_url"].is_null());
    let owner_of: i64 = sqlx::query_scalar!("SELECT company_id FROM job_offers WHERE id = $1", id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(owner_of, company);
    let slug = offer["slug"].as_str().unwrap().to_owned();
    // A draft is nobody's business.
    assert_eq!(
        app.get(&format!("/offres/{slug}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/offres/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );

    // A partial update: what is not given stays, `null` empties.
    let path = format!("/api/v1/entreprise/offres/{id}");
    let updated = expect(
        call(
            &app,
            "PATCH",
            &path,
            &token,
            Some(json!({"title": "Soudeur TIG confirmé (H/F)", "salary_max": null})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(updated["title"], "Soudeur TIG confirmé (H/F)");
    assert!(updated["salary_max"].is_null(), "{updated}");
    assert_eq!(
        (updated["contract"].as_str(), updated["salary_min"].as_i64()),
        (Some("cdd"), Some(1800))
    );
    // The site's checks and messages, on the body's fields; nothing saved.
    assert_field(
        call(&app, "PATCH", &path, &token, Some(json!({"title": "abc"}))).await,
        "title",
        "L'intitulé doit faire entre 5 et 160 caractères.",
    );
    assert_field(
        call(&app, "PATCH", &path, &token, Some(json!({"place": null}))).await,
        "place",
        "Indiquez le lieu de travail (ou choisissez le télétravail complet).",
    );
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/entreprise/offres",
            &token,
            Some(json!({"title": "Soudeur", "place": "Lyon", "expiry_days": 365})),
        )
        .await,
        "expiry_days",
        "La durée de publication va de 1 à 90 jours.",
    );
    let (title, _) = common::title_and_status(&pool, "job_offers", id).await;
    assert_eq!(title, "Soudeur TIG confirmé (H/F)");
    // Strict bodies: an unknown field, a wrong type, another media type.
    let (status, problem) = call(&app, "PATCH", &path, &token, Some(json!({"titre": "x"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("titre"));
    let (status, _) = call(
        &app,
        "PATCH",
        &path,
        &token,
        Some(json!({"openings": "deux"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let response = app
        .send(
            Request::patch(&path)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "text/plain")
                .body(Body::from("title=x"))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Published: on its public page and in the public API.
    let published = expect(
        call(&app, "POST", &format!("{path}/publication"), &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(published["status"], "published");
    assert!(
        published["public_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/offres/{slug}"))
    );
    let page = body_text(app.get(&format!("/offres/{slug}")).await).await;
    assert!(page.contains("Soudeur TIG confirmé (H/F)"));
    let public = expect(
        json(app.get(&format!("/api/v1/offres/{id}")).await).await,
        StatusCode::OK,
    );
    assert_eq!(public["title"], "Soudeur TIG confirmé (H/F)");
    // Listed with ISO dates: 30 days online from today.
    let list = expect(
        call(&app, "GET", "/api/v1/entreprise/offres", &token, None).await,
        StatusCode::OK,
    );
    let row = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == id)
        .unwrap();
    let expires =
        chrono::NaiveDate::parse_from_str(row["expires_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let days = (expires - chrono::Utc::now().date_naive()).num_days();
    assert!((29..=31).contains(&days), "{row}");
    assert!(
        chrono::NaiveDate::parse_from_str(row["updated_on"].as_str().unwrap(), "%Y-%m-%d").is_ok()
    );

    // Closed: filled (the page stays, without applications), then archived
    // (gone, for good).
    let close = format!("{path}/cloture");
    let (status, _) = call(
        &app,
        "POST",
        &close,
        &token,
        Some(json!({"action": "vendre"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let filled = expect(
        call(
            &app,
            "POST",
            &close,
            &token,
            Some(json!({"action": "fill"})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(filled["status"], "filled");
    let public = expect(
        json(app.get(&format!("/api/v1/offres/{id}")).await).await,
        StatusCode::OK,
    );
    assert_eq!(public["status"], "filled", "{public}");
    let archived = expect(
        call(
            &app,
            "POST",
            &close,
            &token,
            Some(json!({"action": "archive"})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(archived["status"], "archived");
    assert_eq!(
        app.get(&format!("/offres/{slug}")).await.status(),
        StatusCode::GONE
    );
    assert_eq!(
        app.get(&format!("/api/v1/offres/{id}")).await.status(),
        StatusCode::GONE
    );
    // The site's transitions: nothing leaves « archived ».
    assert_field(
        call(&app, "POST", &format!("{path}/publication"), &token, None).await,
        "action",
        "Une offre archivée ne peut plus être modifiée ni republiée : dupliquez-la pour en créer une nouvelle.",
    );
    assert_eq!(
        common::title_and_status(&pool, "job_offers", id).await.1,
        "archived"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_pipeline_moves_applications_with_the_sites_emails_and_reads_cvs(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, company, _) =
        common::approved_company(&app, "Métallerie Dupont", "Odile").await;
    let (offer, _) = live_offer(&pool, company, "Chaudronnier (H/F)", "platform").await;
    let (_, candidate_email) =
        common::account(&pool, Role::Candidate, "Camille Candidate", true).await;
    let mut candidate = Client::signed_in_as(&app, &candidate_email).await;
    let application = apply_on_site(&mut candidate, offer).await;
    let token = client_token(&mut owner, "entreprise", &["recrutement"]).await;

    // The pipeline, all offers or one.
    let list = expect(
        call(&app, "GET", "/api/v1/entreprise/candidatures", &token, None).await,
        StatusCode::OK,
    );
    let item = &list["items"][0];
    assert_eq!(
        (
            item["id"].as_i64(),
            item["status"].as_str(),
            item["candidate"]["email"].as_str()
        ),
        (
            Some(application),
            Some("new"),
            Some(candidate_email.as_str())
        ),
        "{list}"
    );
    assert_eq!(list["offers"][0]["id"], offer);
    let path = format!("/api/v1/entreprise/candidatures/{application}");
    assert_eq!(item["cv"], format!("{path}/cv"));
    let one = expect(
        call(
            &app,
            "GET",
            &format!("/api/v1/entreprise/candidatures?offre={offer}"),
            &token,
            None,
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    for (query, status) in [
        ("?offre=abc", StatusCode::BAD_REQUEST),
        ("?autre=1", StatusCode::BAD_REQUEST),
        ("?offre=999999999", StatusCode::NOT_FOUND),
    ] {
        let (got, body) = call(
            &app,
            "GET",
            &format!("/api/v1/entreprise/candidatures{query}"),
            &token,
            None,
        )
        .await;
        assert_eq!(got, status, "{query}: {body}");
    }
    assert_eq!(
        expect(call(&app, "GET", &path, &token, None).await, StatusCode::OK)["message"],
        "Je suis soudeur depuis dix ans."
    );

    // A move: the site's step, the site's e-mail to the candidate.
    let moved = expect(
        call(
            &app,
            "POST",
            &format!("{path}/statut"),
            &token,
            Some(json!({"statut": "in_review"})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(moved["status"], "in_review");
    let (subject, _) = last_mail_to(&candidate_email).await;
    assert_eq!(
        subject,
        "Votre candidature « Chaudronnier (H/F) » : À l'étude"
    );
    // The site's refusals, on the body's fields.
    let statut = format!("{path}/statut");
    assert_field(
        call(
            &app,
            "POST",
            &statut,
            &token,
            Some(json!({"statut": "refused"})),
        )
        .await,
        "motif",
        "Choisissez le motif du refus dans la liste.",
    );
    assert_field(
        call(
            &app,
            "POST",
            &statut,
            &token,
            Some(json!({"statut": "withdrawn"})),
        )
        .await,
        "statut",
        "Étape inconnue.",
    );
    let refused = json!({"statut": "refused", "motif": REFUSAL_REASONS[0]});
    let moved = expect(
        call(&app, "POST", &statut, &token, Some(refused.clone())).await,
        StatusCode::OK,
    );
    assert_eq!(
        (moved["status"].as_str(), moved["refusal_reason"].as_str()),
        (Some("refused"), Some(REFUSAL_REASONS[0]))
    );
    let (subject, text) = last_mail_to(&candidate_email).await;
    assert!(subject.ends_with("Déclinée"), "{subject}");
    assert!(text.contains(REFUSAL_REASONS[0]), "{text}");
    // Already there: the site's transition refuses it.
    assert_field(
        call(&app, "POST", &statut, &token, Some(refused)).await,
        "statut",
        "Cette candidature ne peut pas passer à cette étape.",
    );

    // The CV, as sent: a download.
    let response = send(&app, "GET", &format!("{path}/cv"), Some(&token), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/pdf");
    assert!(header(&response, "content-disposition").starts_with("attachment"));
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    assert_eq!(&bytes[..], PDF);

    // Another company's client: none of it exists (404, never 403).
    let (mut other, _, _) = common::approved_company(&app, "Autre SA", "Alain").await;
    let stranger = client_token(&mut other, "entreprise", &["recrutement", "offres:lecture"]).await;
    for (method, target, body) in [
        ("GET", path.clone(), None),
        ("GET", format!("{path}/cv"), None),
        ("POST", statut.clone(), Some(json!({"statut": "hired"}))),
        (
            "GET",
            format!("/api/v1/entreprise/candidatures?offre={offer}"),
            None,
        ),
        ("GET", format!("/api/v1/entreprise/offres/{offer}"), None),
    ] {
        let (status, body) = call(&app, method, &target, &stranger, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {target}: {body}");
        assert!(!body.to_string().contains("Chaudronnier"), "{body}");
    }
    let theirs = expect(
        call(
            &app,
            "GET",
            "/api/v1/entreprise/candidatures",
            &stranger,
            None,
        )
        .await,
        StatusCode::OK,
    );
    assert!(theirs["items"].as_array().unwrap().is_empty(), "{theirs}");
    assert_eq!(
        common::column::<String>(&pool, "applications", "status", application).await,
        "refused"
    );

    // Each scope opens its own routes only.
    let reader = client_token(&mut owner, "entreprise", &["offres:lecture"]).await;
    assert_insufficient_scope(
        send(
            &app,
            "GET",
            "/api/v1/entreprise/candidatures",
            Some(&reader),
            None,
        )
        .await,
        "recrutement",
    )
    .await;
    assert_insufficient_scope(
        send(&app, "GET", &format!("{path}/cv"), Some(&reader), None).await,
        "recrutement",
    )
    .await;
    assert_insufficient_scope(
        send(
            &app,
            "POST",
            "/api/v1/entreprise/offres",
            Some(&reader),
            Some(new_offer(1)),
        )
        .await,
        "offres:ecriture",
    )
    .await;
    assert_insufficient_scope(
        send(&app, "GET", "/api/v1/entreprise/offres", Some(&token), None).await,
        "offres:lecture",
    )
    .await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_acts_through_an_app_with_the_sites_permissions(pool: PgPool) {
    common::communes_of(&pool, &["69"]).await;
    let app = app(pool.clone()).await;
    let skill = some_skill(&pool).await;
    let (_, company, owner_email) =
        common::approved_company(&app, "Métallerie Dupont", "Odile").await;
    let all = ["offres:lecture", "offres:ecriture", "recrutement"];
    let token = member_token(&pool, &owner_email, &all).await;

    // The owner's token: create and publish, as on the dashboard.
    let (status, offer) = call(
        &app,
        "POST",
        "/api/v1/entreprise/offres",
        &token,
        Some(new_offer(skill)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{offer}");
    let id = offer["id"].as_i64().unwrap();
    let path = format!("/api/v1/entreprise/offres/{id}");
    let published = expect(
        call(&app, "POST", &format!("{path}/publication"), &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(published["status"], "published");
    assert_eq!(
        app.get(&format!("/api/v1/offres/{id}")).await.status(),
        StatusCode::OK
    );
    let list = expect(
        call(&app, "GET", "/api/v1/entreprise/candidatures", &token, None).await,
        StatusCode::OK,
    );
    assert!(list["items"].as_array().unwrap().is_empty());

    // The permission table decides, as for the site: without job.publish a
    // recruiter still edits but no longer publishes, through the API or not.
    sqlx::query!(
        "DELETE FROM role_permissions WHERE role = 'recruiter' AND permission = 'job.publish'"
    )
    .execute(&pool)
    .await
    .unwrap();
    let draft = expect(
        call(
            &app,
            "POST",
            "/api/v1/entreprise/offres",
            &token,
            Some(new_offer(skill)),
        )
        .await,
        StatusCode::CREATED,
    );
    let draft_path = format!("/api/v1/entreprise/offres/{}", draft["id"]);
    let response = send(
        &app,
        "POST",
        &format!("{draft_path}/publication"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        common::title_and_status(&pool, "job_offers", draft["id"].as_i64().unwrap())
            .await
            .1,
        "draft"
    );
    let mut site = Client::signed_in_as(&app, &owner_email).await;
    let (status, _) = site
        .call(
            "/api/entreprise/offres/statut",
            &[("id", &draft["id"].to_string()), ("action", "publish")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the site refuses it too");
    expect(
        call(
            &app,
            "PATCH",
            &draft_path,
            &token,
            Some(json!({"openings": 3})),
        )
        .await,
        StatusCode::OK,
    );

    // A token without the scope, whatever the user may do.
    let reader = member_token(&pool, &owner_email, &["offres:lecture"]).await;
    assert_insufficient_scope(
        send(
            &app,
            "PATCH",
            &path,
            Some(&reader),
            Some(json!({"openings": 2})),
        )
        .await,
        "offres:ecriture",
    )
    .await;
    // Users the guard refuses: a candidate, a centre's member, a recruiter
    // of no company; each with every scope.
    let (_, candidate) = common::account(&pool, Role::Candidate, "Camille", true).await;
    let (_, _, centre_owner) =
        common::organisation_owner(&app, "centre", "approved", "Centre Rhône", "Claire").await;
    let (_, lone) = common::account(&pool, Role::Recruiter, "Rémi Seul", true).await;
    for email in [&candidate, &centre_owner, &lone] {
        let token = member_token(&pool, email, &all).await;
        for (method, target) in [
            ("GET", "/api/v1/entreprise/offres".to_owned()),
            ("GET", path.clone()),
            ("GET", "/api/v1/entreprise/candidatures".to_owned()),
        ] {
            let response = send(&app, method, &target, Some(&token), None).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{email} {target}");
            assert!(!body_text(response).await.contains("Soudeur"));
        }
    }
    // Another company's member: the offer does not exist for them.
    let (_, _, other_email) = common::approved_company(&app, "Autre SA", "Alain").await;
    let other = member_token(&pool, &other_email, &all).await;
    let (status, _) = call(&app, "GET", &path, &other, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &app,
        "POST",
        &format!("{path}/cloture"),
        &other,
        Some(json!({"action": "archive"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        common::title_and_status(&pool, "job_offers", id).await.1,
        "published"
    );

    // An unconfirmed address edits but does not publish, as on the site.
    let (member, member_email) = common::account(&pool, Role::Recruiter, "Nina Neuve", false).await;
    sqlx::query!(
        "INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, 'member')",
        member,
        company
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query!(
        "INSERT INTO role_permissions (role, permission) VALUES ('recruiter', 'job.publish')"
    )
    .execute(&pool)
    .await
    .unwrap();
    let unverified = member_token(&pool, &member_email, &all).await;
    let (status, problem) = call(
        &app,
        "POST",
        &format!("{draft_path}/publication"),
        &unverified,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Confirmez"));
    expect(
        call(&app, "GET", &draft_path, &unverified, None).await,
        StatusCode::OK,
    );

    // A company waiting for approval works on its offers as on its
    // dashboard; published, they stay invisible until it is approved.
    let (_, _, pending_email) =
        common::organisation_owner(&app, "entreprise", "pending", "En Attente SARL", "Paul").await;
    let pending = member_token(&pool, &pending_email, &all).await;
    let created = expect(
        call(
            &app,
            "POST",
            "/api/v1/entreprise/offres",
            &pending,
            Some(new_offer(skill)),
        )
        .await,
        StatusCode::CREATED,
    );
    let pending_path = format!("/api/v1/entreprise/offres/{}", created["id"]);
    expect(
        call(
            &app,
            "POST",
            &format!("{pending_path}/publication"),
            &pending,
            None,
        )
        .await,
        StatusCode::OK,
    );
    let list = expect(
        call(&app, "GET", "/api/v1/entreprise/offres", &pending, None).await,
        StatusCode::OK,
    );
    assert_eq!(list["company_status"], "pending");
    assert_eq!(
        app.get(&format!("/api/v1/offres/{}", created["id"]))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // No token: 401 with the challenge, before the body is even read.
    let response = send(
        &app,
        "POST",
        "/api/v1/entreprise/offres",
        None,
        Some(json!({"nope": 1})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        header(&response, "www-authenticate"),
        "Bearer realm=\"passerelle-api\""
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_centre_client_manages_trainings_sessions_and_enrolment_requests(pool: PgPool) {
    common::communes_of(&pool, &["69"]).await;
    let app = app(pool.clone()).await;
    let (mut owner, _, _) =
        common::organisation_owner(&app, "centre", "approved", "Centre Rhône", "Claire").await;
    let token = client_token(
        &mut owner,
        "centre",
        &["formations:lecture", "formations:ecriture", "inscriptions"],
    )
    .await;

    // Created with the form's checks.
    let training = json!({
        "title": "Titre professionnel Soudeur",
        "summary": "Une formation complète pour apprendre un métier qui recrute.",
        "duration_hours": 140,
        "price_euros": 1500,
        "places": ["Lyon"],
    });
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/centre/formations",
            &token,
            Some(json!({"title": "Titre professionnel Soudeur", "summary": "Trop court", "duration_hours": 140, "places": ["Lyon"]})),
        )
        .await,
        "summary",
        "Le résumé doit faire entre 20 et 300 caractères.",
    );
    let mut placeless = training.clone();
    placeless["places"] = json!([]);
    assert_field(
        call(
            &app,
            "POST",
            "/api/v1/centre/formations",
            &token,
            Some(placeless),
        )
        .await,
        "places",
        "Indiquez au moins un lieu pour une formation en présentiel ou hybride.",
    );
    let response = send(
        &app,
        "POST",
        "/api/v1/centre/formations",
        Some(&token),
        Some(training),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = header(&response, "location").to_owned();
    let (_, created) = json(response).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/centre/formations/{id}"));
    assert_eq!(created["status"], "draft");
    assert_eq!(
        created["places"][0].as_str().map(|p| p.starts_with("Lyon")),
        Some(true)
    );
    let path = format!("/api/v1/centre/formations/{id}");
    let updated = expect(
        call(
            &app,
            "PATCH",
            &path,
            &token,
            Some(json!({"price_euros": 1800, "rolling_entry": true})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (
            updated["price_euros"].as_i64(),
            updated["rolling_entry"].as_bool(),
            updated["title"].as_str()
        ),
        (Some(1800), Some(true), Some("Titre professionnel Soudeur"))
    );

    // Sessions: created, changed, checked as on the dashboard.
    let sessions = format!("{path}/sessions");
    assert_field(
        call(
            &app,
            "POST",
            &sessions,
            &token,
            Some(json!({"starts_on": in_days(-3), "ends_on": in_days(30), "seats": 12})),
        )
        .await,
        "starts_on",
        "La session ne peut pas commencer dans le passé.",
    );
    let response = send(
        &app,
        "POST",
        &sessions,
        Some(&token),
        Some(json!({"starts_on": in_days(30), "ends_on": in_days(60), "seats": 12})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = header(&response, "location").to_owned();
    let (_, session) = json(response).await;
    let session_id = session["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/centre/sessions/{session_id}"));
    let changed = expect(
        call(&app, "PATCH", &location, &token, Some(json!({"seats": 15}))).await,
        StatusCode::OK,
    );
    assert_eq!(
        (changed["seats"].as_i64(), changed["starts_on"].as_str()),
        (Some(15), Some(in_days(30).as_str()))
    );
    assert_field(
        call(
            &app,
            "PATCH",
            &location,
            &token,
            Some(json!({"ends_on": in_days(10)})),
        )
        .await,
        "ends_on",
        "La fin doit venir après le début.",
    );
    let seats: i32 = sqlx::query_scalar!(
        "SELECT seats FROM training_sessions WHERE id = $1",
        session_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(seats, 15);

    // Published: public, with its session.
    let published = expect(
        call(&app, "POST", &format!("{path}/publication"), &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(published["status"], "published");
    let slug = published["slug"].as_str().unwrap().to_owned();
    let page = body_text(app.get(&format!("/formations/{slug}")).await).await;
    assert!(page.contains("Titre professionnel Soudeur"));
    let public = expect(
        json(app.get(&format!("/api/v1/formations/{id}")).await).await,
        StatusCode::OK,
    );
    assert_eq!(public["title"], "Titre professionnel Soudeur");
    let list = expect(
        call(&app, "GET", "/api/v1/centre/formations", &token, None).await,
        StatusCode::OK,
    );
    assert_eq!(list["items"][0]["upcoming_sessions"], 1);

    // A candidate asks on the site; the centre decides through the API.
    let (_, candidate_email) = common::account(&pool, Role::Candidate, "Camille", true).await;
    let mut candidate = Client::signed_in_as(&app, &candidate_email).await;
    let request = candidate
        .call_ok(
            "/api/inscriptions/demander",
            &[
                ("training_id", &id.to_string()),
                ("session_id", &session_id.to_string()),
            ],
        )
        .await
        .as_i64()
        .unwrap();
    let requests = expect(
        call(
            &app,
            "GET",
            &format!("/api/v1/centre/inscriptions?formation={id}"),
            &token,
            None,
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (
            requests["items"][0]["id"].as_i64(),
            requests["items"][0]["candidate"]["email"].as_str()
        ),
        (Some(request), Some(candidate_email.as_str()))
    );
    let decision = format!("/api/v1/centre/inscriptions/{request}/decision");
    let accepted = expect(
        call(
            &app,
            "POST",
            &decision,
            &token,
            Some(json!({"decision": "acceptee"})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(accepted["status"], "accepted");
    let (subject, _) = last_mail_to(&candidate_email).await;
    assert_eq!(
        subject,
        "Votre demande pour « Titre professionnel Soudeur » : Acceptée"
    );
    assert_field(
        call(
            &app,
            "POST",
            &decision,
            &token,
            Some(json!({"decision": "en_etude"})),
        )
        .await,
        "decision",
        "Cette demande ne peut plus passer à cette étape.",
    );
    assert_field(
        call(
            &app,
            "POST",
            &decision,
            &token,
            Some(json!({"decision": "refusee"})),
        )
        .await,
        "motif",
        "Écrivez votre message.",
    );
    let (status, _) = call(
        &app,
        "POST",
        &decision,
        &token,
        Some(json!({"decision": "peut-etre"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let refused = expect(
        call(
            &app,
            "POST",
            &decision,
            &token,
            Some(json!({"decision": "refusee", "motif": "La session est complète."})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(refused["refusal_reason"], "La session est complète.");
    let (_, text) = last_mail_to(&candidate_email).await;
    assert!(text.contains("La session est complète."), "{text}");

    // Walls: a company's client, another centre's client.
    let (mut company_owner, _, _) = common::approved_company(&app, "Métallerie", "Odile").await;
    let company = client_token(&mut company_owner, "entreprise", &["offres:lecture"]).await;
    let response = send(
        &app,
        "GET",
        "/api/v1/centre/formations",
        Some(&company),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = send(&app, "GET", "/api/v1/entreprise/offres", Some(&token), None).await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "and the other way round"
    );
    let (mut other_owner, _, _) =
        common::organisation_owner(&app, "centre", "approved", "Autre Centre", "Alain").await;
    let other = client_token(
        &mut other_owner,
        "centre",
        &["formations:lecture", "formations:ecriture", "inscriptions"],
    )
    .await;
    for (method, target, body) in [
        ("GET", path.clone(), None),
        (
            "PATCH",
            path.clone(),
            Some(json!({"title": "Formation volée ici"})),
        ),
        ("POST", format!("{path}/publication"), None),
        (
            "POST",
            sessions.clone(),
            Some(json!({"starts_on": in_days(30), "ends_on": in_days(40), "seats": 3})),
        ),
        ("PATCH", location.clone(), Some(json!({"seats": 1}))),
        ("DELETE", location.clone(), None),
        (
            "POST",
            decision.clone(),
            Some(json!({"decision": "acceptee"})),
        ),
    ] {
        let (status, body) = call(&app, method, &target, &other, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {target}: {body}");
    }
    let theirs = expect(
        call(&app, "GET", "/api/v1/centre/inscriptions", &other, None).await,
        StatusCode::OK,
    );
    assert!(theirs["items"].as_array().unwrap().is_empty());
    // Scopes.
    let reader = client_token(&mut owner, "centre", &["formations:lecture"]).await;
    assert_insufficient_scope(
        send(
            &app,
            "PATCH",
            &path,
            Some(&reader),
            Some(json!({"title": "Autre titre"})),
        )
        .await,
        "formations:ecriture",
    )
    .await;
    assert_insufficient_scope(
        send(
            &app,
            "GET",
            "/api/v1/centre/inscriptions",
            Some(&reader),
            None,
        )
        .await,
        "inscriptions",
    )
    .await;

    // The session goes as on the dashboard; then it is no more.
    let response = send(&app, "DELETE", &location, Some(&token), None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, _) = call(&app, "DELETE", &location, &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        common::title_and_status(&pool, "trainings", id).await.0,
        "Titre professionnel Soudeur"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_owner_picks_each_clients_scopes_among_its_kinds(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, _, _) = common::approved_company(&app, "Métallerie Dupont", "Odile").await;
    let create = "/api/organisation/clients-api/creer";
    let (status, body) = owner
        .call(create, &[("kind", "entreprise"), ("name", "Sans portée")])
        .await;
    common::assert_refused(
        status,
        &body,
        "scopes",
        "Choisissez au moins une portée parmi celles proposées.",
    );
    // A centre's scope is not a company's.
    let (status, body) = owner
        .call(
            create,
            &[
                ("kind", "entreprise"),
                ("name", "Mauvaise portée"),
                ("scopes[]", "offres:lecture"),
                ("scopes[]", "formations:lecture"),
            ],
        )
        .await;
    common::assert_refused(
        status,
        &body,
        "scopes",
        "Choisissez au moins une portée parmi celles proposées.",
    );
    assert_eq!(common::rows_in(&pool, "api_clients").await, 0);

    let created = owner
        .call_ok(
            create,
            &[
                ("kind", "entreprise"),
                ("name", "Notre ATS"),
                ("scopes[]", "recrutement"),
                ("scopes[]", "offres:ecriture"),
            ],
        )
        .await;
    assert_eq!(created["scopes"], json!(["offres:ecriture", "recrutement"]));
    let stored: Vec<String> = sqlx::query_scalar!(
        "SELECT scopes FROM api_clients WHERE client_id = $1",
        created["client_id"].as_str().unwrap()
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, ["offres:ecriture", "recrutement"]);
    // Its token holds those, and no more.
    let token = client_token(&mut owner, "entreprise", &["recrutement"]).await;
    let claims = common::api::app_keys()
        .verify(&token, passerelle::api::tokens::now())
        .unwrap();
    assert_eq!(claims.scope, "recrutement");

    // The page offers the kind's scopes, reading ticked, and lists each client's.
    let page = body_text(owner.get("/tableau-de-bord/entreprise/api").await).await;
    assert!(page.contains("offres:ecriture, recrutement"), "the list");
    for scope in ["offres:lecture", "offres:ecriture", "recrutement"] {
        assert!(
            page.contains(&format!("name=\"scopes[]\" value=\"{scope}\"")),
            "{scope} offered"
        );
    }
    assert!(!page.contains("value=\"formations:lecture\""));
    let read_box = page
        .split("value=\"offres:lecture\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap();
    assert!(read_box.contains("checked"), "{read_box}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_contract_documents_every_organisation_route(pool: PgPool) {
    let app = app(pool).await;
    let doc = expect(
        json(app.get("/api/v1/openapi.json").await).await,
        StatusCode::OK,
    );
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        let (kind, other) = if path.starts_with("/api/v1/entreprise/") {
            ("entreprise", "centre")
        } else if path.starts_with("/api/v1/centre/") {
            ("centre", "entreprise")
        } else {
            continue;
        };
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let responses = &operation["responses"];
            // Who may call: a client, a member's app, with the route's scope.
            let security: Vec<&str> = operation["security"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| s.as_object().unwrap().keys().map(String::as_str))
                .collect();
            assert_eq!(
                security,
                ["oauth2", "oauth2_user", "bearer"],
                "{method} {path}"
            );
            let scope = operation["security"][0]["oauth2"][0].as_str().unwrap();
            assert_eq!(operation["security"][1]["oauth2_user"][0], scope);
            assert!(
                !scope.starts_with(other) && !scope.is_empty(),
                "{kind} {path}: {scope}"
            );
            // Every answer a caller can get, problems as problems.
            for status in ["400", "401", "403", "429", "500", "503"] {
                assert_eq!(
                    responses[status]["content"]["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{method} {path} {status}"
                );
            }
            if path.contains("{id}") {
                assert!(responses["404"].is_object(), "{method} {path}");
            }
            if operation["requestBody"].is_object() {
                for status in ["413", "415", "422"] {
                    assert!(responses[status].is_object(), "{method} {path} {status}");
                }
            }
        }
    }
    assert_eq!(operations, 20);
    let cv = &paths["/api/v1/entreprise/candidatures/{id}/cv"]["get"]["responses"]["200"];
    let file = &cv["content"]["application/pdf"]["schema"]["$ref"];
    assert_eq!(file, "#/components/schemas/SentFile", "{cv}");
    let file = &doc["components"]["schemas"]["SentFile"];
    assert_eq!(
        (file["type"].as_str(), file["format"].as_str()),
        (Some("string"), Some("binary")),
        "{file}"
    );
    let created = &paths["/api/v1/entreprise/offres"]["post"]["responses"]["201"];
    assert!(created["headers"]["Location"].is_object(), "{created}");
    let body = &doc["components"]["schemas"]["OfferBody"];
    assert_eq!(body["additionalProperties"], false, "{body}");
}
