//! The blog over HTTP: the editor's server functions, what the public sees
//! and when, redirects, the feed, the sitemap and the SEO of each page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::http::StatusCode;
use common::{Client, app, assert_contains_all, body_text, header, ok_json, signed_in};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// Saves through the server function, as the editor page does.
async fn save(
    client: &mut Client<'_>,
    id: Option<i64>,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let id = id.map(|i| i.to_string());
    let mut fields = fields.to_vec();
    if let Some(id) = &id {
        fields.push(("id", id));
    }
    let empty = [
        "title",
        "slug",
        "excerpt",
        "body_markdown",
        "cover_alt",
        "category",
        "tags",
    ]
    .map(|key| (key, ""));
    client
        .post_input("/api/blog/editeur/enregistrer", &[], &fields, &empty)
        .await
}

/// Saves as `save` does, which must succeed: the editor's answer.
async fn saved(client: &mut Client<'_>, id: Option<i64>, fields: &[(&str, &str)]) -> Value {
    ok_json(save(client, id, fields).await)
}

async fn status(client: &mut Client<'_>, id: i64, action: &[(&str, &str)]) -> (StatusCode, Value) {
    let id = id.to_string();
    let mut form = vec![("id", id.as_str())];
    form.extend_from_slice(action);
    client.call("/api/blog/editeur/statut", &form).await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_article_goes_from_draft_to_scheduled_to_public_on_time(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut editor = signed_in(&app, Role::Editor, "Léa Fontaine").await;
    let draft = saved(
        &mut editor,
        None,
        &[
            ("title", "L'été à Besançon : réussir son CV"),
            ("excerpt", "Nos conseils pour un CV clair."),
            ("body_markdown", "# Un CV clair\n\nUne page, des **résultats** chiffrés.\n\n[Modèle](https://exemple.fr/modele)"),
            ("category", "emploi"),
            ("tags", "CV, Candidature"),
        ],
    )
    .await;
    assert_eq!(draft["slug"], "l-ete-a-besancon-reussir-son-cv");
    assert_eq!(draft["status"], "Draft");
    let id = draft["id"].as_i64().unwrap();
    let path = "/blog/l-ete-a-besancon-reussir-son-cv";

    // A draft is nobody's business.
    assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND);
    assert!(
        !body_text(app.get("/sitemap.xml").await)
            .await
            .contains(path)
    );

    // Scheduled for later: still hidden, with a French error for a past date.
    let (code, error) = status(&mut editor, id, &[("action[Schedule]", "2020-01-01T09:00")]).await;
    common::assert_refused(code, &error, "publish_at", "à venir");
    let scheduled =
        ok_json(status(&mut editor, id, &[("action[Schedule]", "2099-06-01T09:30")]).await);
    assert_eq!(scheduled["status"], "Scheduled");
    assert_eq!(
        scheduled["publish_at"], "2099-06-01T09:30",
        "kept in Paris time"
    );
    assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND);
    assert!(
        !body_text(app.get("/blog/feed.xml").await)
            .await
            .contains("Besançon")
    );

    // Its time comes: public at once, no job, write or restart involved
    // (and no cached page of the blog outlives that moment).
    sqlx::query("UPDATE articles SET published_at = now() + interval '2 seconds' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let (hits, misses) = app.pages.hits_and_misses();
    for _ in 0..2 {
        assert!(!body_text(app.get("/blog").await).await.contains(path));
    }
    assert_eq!(
        app.pages.hits_and_misses(),
        (hits + 1, misses + 1),
        "kept until then"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    let html = common::ok_text(app.get(path).await).await;
    assert!(
        html.contains(&format!(
            "<link href=\"http://localhost:3000{path}\" rel=\"canonical\">"
        )),
        "canonical"
    );
    assert!(
        html.contains("<h2>Un CV clair</h2>"),
        "Markdown headings move under the page's h1"
    );
    assert_contains_all(
        &html,
        &[
            "<title>L'été à Besançon : réussir son CV · Passerelle</title>",
            "<meta name=\"description\" content=\"Nos conseils pour un CV clair.\">",
            "<meta property=\"og:type\" content=\"article\"",
            "\"@type\":\"BlogPosting\"",
            "\"@type\":\"BreadcrumbList\"",
            "rel=\"noopener noreferrer nofollow\"",
            "1 min de lecture",
            "href=\"/blog/tag/cv\"",
        ],
    );

    let sitemap = body_text(app.get("/sitemap.xml").await).await;
    assert!(
        sitemap.contains(&format!("<loc>http://localhost:3000{path}</loc><lastmod>")),
        "{sitemap}"
    );
    assert!(sitemap.contains("/blog/categorie/emploi</loc>"));
    let feed = app.get("/blog/feed.xml").await;
    assert_eq!(
        header(&feed, "content-type"),
        "application/atom+xml; charset=utf-8"
    );
    let feed = body_text(feed).await;
    assert!(
        feed.contains("<feed") && feed.contains(&format!("http://localhost:3000{path}")),
        "{feed}"
    );
    for listing in [
        "/blog",
        "/blog/categorie/emploi",
        "/blog/tag/candidature",
        "/",
    ] {
        let html = body_text(app.get(listing).await).await;
        assert!(html.contains(path), "{listing} lists the article");
    }
    assert!(
        !body_text(app.get("/blog/categorie/formation").await)
            .await
            .contains(path)
    );
    // The blog's navigation leads only to categories with articles.
    let blog = body_text(app.get("/blog").await).await;
    assert!(blog.contains("href=\"/blog/categorie/emploi\""), "{blog}");
    assert!(
        !blog.contains("href=\"/blog/categorie/formation\""),
        "{blog}"
    );
    assert_eq!(
        app.get("/blog/tag/inconnu").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/blog/categorie/inconnue").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/blog?page=5").await.status(),
        StatusCode::NOT_FOUND
    );

    // A new address: the old one answers 301 to it.
    saved(
        &mut editor,
        Some(id),
        &[
            ("title", "Réussir son CV"),
            ("slug", "reussir-son-cv"),
            ("body_markdown", "Une page."),
            ("category", "emploi"),
        ],
    )
    .await;
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(header(&response, "location"), "/blog/reussir-son-cv");
    assert_eq!(
        app.get("/blog/reussir-son-cv").await.status(),
        StatusCode::OK
    );

    // Unpublished: gone again, old address included.
    let (code, _) = status(&mut editor, id, &[("action", "Unpublish")]).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        app.get("/blog/reussir-son-cv").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn saved_markdown_is_sanitised_and_revisions_can_be_restored(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut editor = signed_in(&app, Role::Editor, "Léa Fontaine").await;
    let hostile = "Bonjour<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[lien](javascript:alert(3))\n\n<a href=\"#\" onclick=\"alert(4)\">clic</a>";
    let draft = saved(
        &mut editor,
        None,
        &[("title", "Version une"), ("body_markdown", hostile)],
    )
    .await;
    let id = draft["id"].as_i64().unwrap();
    let stored: String = common::column(&pool, "articles", "body_html", id).await;
    for forbidden in ["<script", "onerror", "javascript:", "onclick"] {
        assert!(!stored.contains(forbidden), "{forbidden} in {stored}");
    }
    assert!(stored.contains("Bonjour"));
    let (_, preview) = editor
        .call("/api/blog/editeur/apercu", &[("markdown", hostile)])
        .await;
    assert!(!preview.as_str().unwrap().contains("<script"));
    // An inserted image keeps its placeholder alternative text until the
    // editor describes it: saving says so on the body.
    let placeholder = format!(
        "Avant.\n\n![{}](/medias/images/1-960.webp)",
        app::blog::editor::ALT_PLACEHOLDER
    );
    let (status, body) = save(
        &mut editor,
        Some(id),
        &[("title", "Version une"), ("body_markdown", &placeholder)],
    )
    .await;
    common::assert_refused(status, &body, "body_markdown", "texte alternatif");

    let second = saved(
        &mut editor,
        Some(id),
        &[("title", "Version deux"), ("body_markdown", "Texte deux")],
    )
    .await;
    let revisions = second["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 2, "{second}");
    let first_revision = revisions[1]["id"].as_i64().unwrap();
    // Saving the same text again adds no revision.
    let same = saved(
        &mut editor,
        Some(id),
        &[("title", "Version deux"), ("body_markdown", "Texte deux")],
    )
    .await;
    assert_eq!(same["revisions"].as_array().unwrap().len(), 2);

    let restored = editor
        .call_ok(
            "/api/blog/editeur/restaurer",
            &[
                ("id", &id.to_string()),
                ("revision", &first_revision.to_string()),
            ],
        )
        .await;
    assert_eq!(restored["title"], "Version une");
    assert!(
        restored["body_markdown"]
            .as_str()
            .unwrap()
            .starts_with("Bonjour")
    );
    assert_eq!(
        restored["revisions"].as_array().unwrap().len(),
        3,
        "the restore is a revision too"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bad_input_gets_french_field_errors_and_stores_nothing(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut editor = signed_in(&app, Role::Editor, "Léa Fontaine").await;
    for (fields, field, message) in [
        (vec![("title", "CV")], "title", "entre 3 et 160 caractères"),
        (
            vec![("title", "Un titre"), ("slug", "!!!")],
            "slug",
            "au moins une lettre",
        ),
        (
            vec![("title", "Un titre"), ("category", "cuisine")],
            "category",
            "Choisissez une catégorie",
        ),
        (
            vec![("title", "Un titre"), ("tags", &"x".repeat(41))],
            "tags",
            "de 1 à 40 caractères",
        ),
        (
            vec![("title", "Un titre"), ("cover_media_id", "999")],
            "cover",
            "n'existe plus",
        ),
    ] {
        let (code, error) = save(&mut editor, None, &fields).await;
        common::assert_refused(code, &error, field, message);
    }
    let count = common::rows_in(&pool, "articles").await;
    assert_eq!(count, 0);

    // Two articles cannot share an address.
    saved(&mut editor, None, &[("title", "Même titre")]).await;
    let (code, error) = save(&mut editor, None, &[("title", "Même titre")]).await;
    common::assert_refused(code, &error, "slug", "déjà celle d'un autre article");
    assert_eq!(common::rows_in(&pool, "articles").await, 1);
}

/// Who may call the blog's server functions.
#[sqlx::test(migrator = "MIGRATOR")]
async fn only_editors_and_admins_write(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut clients: Vec<(Option<Role>, Client)> = vec![(None, Client::new(&app))];
    for role in Role::ALL {
        clients.push((Some(role), signed_in(&app, role, "Personne").await));
    }
    let cases: [(&str, &[(&str, &str)]); 6] = [
        ("/api/blog/editeur", &[]),
        (
            "/api/blog/editeur/articles",
            &[
                ("query[q]", ""),
                ("query[status]", ""),
                ("query[category]", ""),
            ],
        ),
        ("/api/blog/editeur/article", &[("id", "999999")]),
        ("/api/blog/editeur/apercu", &[("markdown", "Bonjour")]),
        (
            "/api/blog/editeur/statut",
            &[("id", "999999"), ("action", "Publish")],
        ),
        (
            "/api/blog/editeur/restaurer",
            &[("id", "999999"), ("revision", "1")],
        ),
    ];
    for (path, form) in cases {
        for (role, client) in clients.iter_mut() {
            let code = client.post_status(path, form).await;
            match role {
                Some(Role::Editor | Role::Admin) => assert!(
                    code.is_success() || code == StatusCode::NOT_FOUND,
                    "{role:?} on {path}: {code}"
                ),
                Some(_) => assert_eq!(code, StatusCode::FORBIDDEN, "{role:?} on {path}"),
                None => assert_eq!(code, StatusCode::UNAUTHORIZED, "visitor on {path}"),
            }
        }
    }
    // The dashboard page answers with the same statuses.
    let (_, visitor) = clients.iter_mut().find(|(r, _)| r.is_none()).unwrap();
    let response = visitor.get("/tableau-de-bord/blog").await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let (_, candidate) = clients
        .iter_mut()
        .find(|(r, _)| *r == Some(Role::Candidate))
        .unwrap();
    assert_eq!(
        candidate.get("/tableau-de-bord/blog").await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, staff) = clients
        .iter_mut()
        .find(|(r, _)| *r == Some(Role::Editor))
        .unwrap();
    let response = staff.get("/tableau-de-bord/blog").await;
    common::assert_says(response, StatusCode::OK, "Articles du blog").await;
}
