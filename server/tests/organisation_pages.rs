//! Richer organisation pages over HTTP: the photos members add (with a
//! description, on an approved organisation only, twelve at most) and the
//! video link, as the dashboard and the public page show them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::{http::StatusCode, response::Response};
use common::{Client, TestApp, app, assert_refused, body_text, json, ok_json};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

const PROFILE_PAGE: &str = "/tableau-de-bord/entreprise";

/// Posts a photo to `path` from the profile page, answered as `accept` asks.
async fn post_photo(
    client: &mut Client<'_>,
    path: &str,
    alt: &str,
    bytes: &[u8],
    accept: &str,
) -> Response {
    client
        .post_multipart(
            path,
            &[("alt", alt)],
            ("photo.png", "image/png", bytes),
            &[
                ("accept", accept),
                ("referer", &format!("http://localhost:3000{PROFILE_PAGE}")),
            ],
        )
        .await
}

/// Adds a photo to the client's company: the photo's id.
async fn add_company_photo(client: &mut Client<'_>, alt: &str, seed: u8) -> i64 {
    let response = post_photo(
        client,
        "/api/entreprise/photos",
        alt,
        &common::png(800, 600, seed),
        "application/json",
    )
    .await;
    ok_json(json(response).await)["id"].as_i64().unwrap()
}

/// Saves the company profile with `video` as its video link.
async fn save_video(
    client: &mut Client<'_>,
    name: &str,
    video: &str,
) -> (StatusCode, serde_json::Value) {
    client
        .call(
            "/api/organisation/fiche/enregistrer",
            &[
                ("kind", "entreprise"),
                ("profile[name]", name),
                ("profile[video_url]", video),
            ],
        )
        .await
}

async fn photos_of(pool: &PgPool, organisation: i64) -> Vec<String> {
    sqlx::query_scalar!(
        "SELECT alt FROM organisation_photos WHERE organisation_id = $1 ORDER BY id",
        organisation
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn company_page(app: &TestApp, organisation: i64) -> String {
    let slug: String = common::column(&app.pool, "organisations", "slug", organisation).await;
    common::ok_text(app.get(&format!("/entreprises/{slug}")).await).await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_company_page_shows_its_photos_and_video_link(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, company, _) =
        common::approved_company(&app, "Atelier Saône", "Inès Martin").await;

    // The description is escaped wherever it is shown.
    add_company_photo(&mut owner, "L'atelier <b>vu</b> de l'entrée", 1).await;
    add_company_photo(&mut owner, "  L'équipe   au déjeuner\n", 2).await;
    assert_eq!(
        photos_of(&pool, company).await,
        ["L'atelier <b>vu</b> de l'entrée", "L'équipe au déjeuner"],
        "descriptions stored on one line, in the order they were added"
    );
    let (status, body) = save_video(
        &mut owner,
        "Atelier Saône",
        " https://www.youtube.com/watch?v=dQw4w9WgXcQ ",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let page = company_page(&app, company).await;
    common::assert_contains_all(
        &page,
        &[
            "En images",
            "alt=\"L'atelier &lt;b&gt;vu&lt;/b&gt; de l'entrée\"",
            "alt=\"L'équipe au déjeuner\"",
            "srcset=\"/medias/images/",
            "href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\"",
            "Voir la vidéo",
            "(YouTube)",
            // The photos are the organisation's images for search engines.
            "\"image\":[\"http",
        ],
    );
    assert!(!page.contains("<b>vu</b>"), "user text never rendered raw");

    // The dashboard lists them with a button to remove each.
    let dashboard = body_text(owner.get(PROFILE_PAGE).await).await;
    common::assert_contains_all(
        &dashboard,
        &[
            "Photos (2 sur 12)",
            "Ajouter la photo",
            "dQw4w9WgXcQ",
            "Retirer",
        ],
    );

    // Removing the first leaves the second; the link is cleared by saving it empty.
    let first = sqlx::query_scalar!(
        "SELECT min(id) AS \"id!\" FROM organisation_photos WHERE organisation_id = $1",
        company
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    owner
        .call_ok(
            "/api/organisation/photos/retirer",
            &[("kind", "entreprise"), ("photo", &first.to_string())],
        )
        .await;
    assert_eq!(photos_of(&pool, company).await, ["L'équipe au déjeuner"]);
    ok_json(save_video(&mut owner, "Atelier Saône", "").await);
    let page = company_page(&app, company).await;
    assert!(page.contains("alt=\"L'équipe au déjeuner\""));
    assert!(!page.contains("vu&lt;/b&gt;"), "the removed photo is gone");
    assert!(!page.contains("Voir la vidéo"), "no link once cleared");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bad_photos_and_video_links_are_refused_on_their_field(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, company, _) =
        common::approved_company(&app, "Garage Vallée", "Hugo Petit").await;
    let image = common::png(640, 480, 3);
    let cases: [(&str, &[u8], &str, &str); 5] = [
        ("", &image, "alt", "Décrivez la photo"),
        ("   \n ", &image, "alt", "Décrivez la photo"),
        (&"é".repeat(201), &image, "alt", "200 caractères au plus"),
        ("Le garage", b"", "fichier", ""),
        ("Le garage", b"%PDF-1.4 not an image", "fichier", ""),
    ];
    for (alt, bytes, field, message) in cases {
        let response = post_photo(
            &mut owner,
            "/api/entreprise/photos",
            alt,
            bytes,
            "application/json",
        )
        .await;
        let (status, body) = json(response).await;
        assert_refused(status, &body, field, message);
    }
    assert!(photos_of(&pool, company).await.is_empty(), "nothing stored");

    // A plain form post's refusal comes back to the profile page, on its field.
    let response = post_photo(
        &mut owner,
        "/api/entreprise/photos",
        "",
        &image,
        "text/html",
    )
    .await;
    assert!(response.status().is_redirection());
    let back = common::header(&response, "location").to_owned();
    let back = back.strip_prefix("http://localhost:3000").unwrap_or(&back);
    assert!(back.starts_with(&format!("{PROFILE_PAGE}?")), "{back}");
    let page = body_text(owner.get(back).await).await;
    assert!(
        page.contains("Décrivez la photo en quelques mots"),
        "{page}"
    );
    // And its success goes back to the photos.
    let response = post_photo(
        &mut owner,
        "/api/entreprise/photos",
        "Le garage",
        &image,
        "text/html",
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        common::header(&response, "location"),
        format!("{PROFILE_PAGE}#photos")
    );
    // The same photo twice is one photo.
    let (status, body) = json(
        post_photo(
            &mut owner,
            "/api/entreprise/photos",
            "Encore le garage",
            &image,
            "application/json",
        )
        .await,
    )
    .await;
    assert_refused(status, &body, "fichier", "déjà sur votre page");

    for video in [
        "http://www.youtube.com/watch?v=abc",
        "https://evil.example/watch?v=abc",
        "javascript:alert(1)",
        "https://user:secret@vimeo.com/123",
        "https://www.youtube.com.evil.example/x",
        "https://vimeo.com:8443/123",
        "vimeo.com/123",
    ] {
        let (status, body) = save_video(&mut owner, "Garage Vallée", video).await;
        assert_refused(status, &body, "video_url", "YouTube, Vimeo ou Dailymotion");
    }
    let long = format!("https://vimeo.com/{}", "1".repeat(300));
    let (status, body) = save_video(&mut owner, "Garage Vallée", &long).await;
    assert_refused(status, &body, "video_url", "trop long");
    let video: String = common::column(&pool, "organisations", "video_url", company).await;
    assert_eq!(video, "", "no refused link stored");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_members_of_an_approved_organisation_manage_its_photos(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, company, _) =
        common::approved_company(&app, "Boulangerie Morel", "Lucie Morel").await;
    let photo = add_company_photo(&mut owner, "Le fournil", 4).await;
    let photo = photo.to_string();
    let image = common::png(300, 200, 5);

    // Another company's recruiter can neither remove it nor reach its form.
    let (mut other, _, _) = common::approved_company(&app, "Fromagerie Roux", "Paul Roux").await;
    let (status, _) = other
        .call(
            "/api/organisation/photos/retirer",
            &[("kind", "entreprise"), ("photo", &photo)],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A candidate is no member; a visitor is not signed in.
    let mut candidate = common::signed_in(&app, Role::Candidate, "Nora Candidate").await;
    let response = post_photo(
        &mut candidate,
        "/api/entreprise/photos",
        "Moi",
        &image,
        "application/json",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (status, _) = candidate
        .call(
            "/api/organisation/photos/retirer",
            &[("kind", "entreprise"), ("photo", &photo)],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut visitor = Client::new(&app);
    let response = post_photo(
        &mut visitor,
        "/api/entreprise/photos",
        "Moi",
        &image,
        "application/json",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // A company's recruiter is no centre member.
    let response = post_photo(
        &mut owner,
        "/api/centre/photos",
        "Salle",
        &image,
        "application/json",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(photos_of(&pool, company).await, ["Le fournil"]);

    // A pending organisation waits for approval, as for its logo.
    let (mut pending, pending_id, _) = common::organisation_owner(
        &app,
        "entreprise",
        "pending",
        "Menuiserie Neuve",
        "Eli Neuf",
    )
    .await;
    let (status, body) = json(
        post_photo(
            &mut pending,
            "/api/entreprise/photos",
            "Atelier",
            &image,
            "application/json",
        )
        .await,
    )
    .await;
    assert_refused(status, &body, "fichier", "dès que notre équipe aura validé");
    assert!(photos_of(&pool, pending_id).await.is_empty());

    // Twelve at most (small images: each is decoded and re-encoded).
    for seed in 10..21 {
        add_company_photo(&mut owner, &format!("Photo {seed}"), seed).await;
    }
    assert_eq!(photos_of(&pool, company).await.len(), 12);
    let (status, body) = json(
        post_photo(
            &mut owner,
            "/api/entreprise/photos",
            "Une de trop",
            &common::png(90, 90, 99),
            "application/json",
        )
        .await,
    )
    .await;
    assert_refused(status, &body, "fichier", "déjà 12 photos");
    assert_eq!(photos_of(&pool, company).await.len(), 12);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_centre_shows_photos_too(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, centre, _) =
        common::organisation_owner(&app, "centre", "approved", "Centre Horizon", "Anne Horizon")
            .await;
    let response = post_photo(
        &mut owner,
        "/api/centre/photos",
        "La salle de formation",
        &common::png(500, 400, 7),
        "application/json",
    )
    .await;
    assert_eq!(
        ok_json(json(response).await)["alt"],
        "La salle de formation"
    );
    let slug: String = common::column(&pool, "organisations", "slug", centre).await;
    let page = common::ok_text(app.get(&format!("/centres/{slug}")).await).await;
    assert!(page.contains("alt=\"La salle de formation\""), "{page}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_admin_removes_a_photo_and_the_journal_keeps_it(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, company, _) =
        common::approved_company(&app, "Transports Dumas", "Marc Dumas").await;
    let photo = add_company_photo(&mut owner, "Une photo hors sujet", 6).await;
    let form = [("id", company.to_string()), ("photo", photo.to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();

    // An editor reads the back office but does not moderate organisations.
    let mut editor = common::signed_in(&app, Role::Editor, "Eva Rédaction").await;
    let (status, _) = editor
        .call("/api/admin/organisation/photo/retirer", &form)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The photo must belong to the organisation named.
    let mut admin = common::signed_in(&app, Role::Admin, "Admin Passerelle").await;
    let (status, _) = admin
        .call(
            "/api/admin/organisation/photo/retirer",
            &[("id", "999999"), ("photo", &photo.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(photos_of(&pool, company).await.len(), 1);

    let page = body_text(admin.get(&format!("/admin/organisations/{company}")).await).await;
    assert!(
        page.contains("Photos (1)") && page.contains("Une photo hors sujet"),
        "{page}"
    );
    admin
        .call_ok("/api/admin/organisation/photo/retirer", &form)
        .await;
    assert!(photos_of(&pool, company).await.is_empty());
    assert!(
        !company_page(&app, company)
            .await
            .contains("Une photo hors sujet")
    );
    let journal = body_text(
        admin
            .get(&format!("/admin/journal?organisation={company}"))
            .await,
    )
    .await;
    assert!(
        journal.contains("photo « Une photo hors sujet » retirée"),
        "{journal}"
    );
}
