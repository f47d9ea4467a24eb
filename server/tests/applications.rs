//! Applications to job offers over HTTP: the candidate's profile and CV, the
//! one-step apply form, the recruiters' pipeline with its e-mails, private
//! notes and CSV export, and the walls between companies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::{candidates::applications::REFUSAL_REASONS, identity::users::Role};
use axum::{http::StatusCode, response::Response};
use common::{Client, TestApp, app, body_text, header, json, last_mail_to, live_offer};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// A small real-looking PDF, different for every `seed`.
fn pdf(seed: u8) -> Vec<u8> {
    format!("%PDF-1.7\n% CV de test {seed}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

/// A signed-in recruiter of a new approved company: (client, company id, e-mail).
async fn company<'a>(app: &'a TestApp, name: &str) -> (Client<'a>, i64, String) {
    common::approved_company(app, name, &format!("Recrutement {name}")).await
}

/// A recruiter's private note on `application`.
async fn write_note(client: &mut Client<'_>, application: i64, body: &str) -> (StatusCode, Value) {
    let id = application.to_string();
    client
        .call(
            "/api/entreprise/candidatures/note",
            &[("id", &id), ("body", body)],
        )
        .await
}

/// A signed-in candidate: (client, e-mail).
async fn candidate<'a>(app: &'a TestApp, name: &str, verified: bool) -> (Client<'a>, String) {
    let (_, email) = common::account(&app.pool, Role::Candidate, name, verified).await;
    (Client::signed_in_as(app, &email).await, email)
}

/// Posts a multipart form from the site's page `from`: text fields, then an
/// optional file as `fichier` (an empty part when `None`, as a browser sends
/// an empty file input).
async fn post_multipart(
    client: &mut Client<'_>,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
    accept: &str,
    from: &str,
) -> Response {
    let (file_name, bytes) = file.unwrap_or(("", b""));
    let referer = format!("http://localhost:3000{from}");
    client
        .post_multipart(
            path,
            fields,
            (file_name, "application/pdf", bytes),
            &[("accept", accept), ("referer", &referer)],
        )
        .await
}

async fn apply(
    client: &mut Client<'_>,
    offer: i64,
    message: &str,
    file: Option<(&str, &[u8])>,
) -> (StatusCode, Value) {
    let offer = offer.to_string();
    json(
        post_multipart(
            client,
            "/api/candidatures/postuler",
            &[("offer_id", &offer), ("message", message)],
            file,
            "application/json",
            "/offres/une-offre",
        )
        .await,
    )
    .await
}

/// The id of an application the server accepted (`apply`'s answer).
fn accepted((status, body): (StatusCode, Value)) -> i64 {
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

async fn application_row(pool: &PgPool, id: i64) -> (String, String, Option<i64>) {
    let row = sqlx::query!(
        "SELECT status, refusal_reason, cv_media_id FROM applications WHERE id = $1",
        id
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.status, row.refusal_reason, row.cv_media_id)
}

async fn move_to(
    client: &mut Client<'_>,
    id: i64,
    status: &str,
    reason: &str,
) -> (StatusCode, Value) {
    client
        .call(
            "/api/entreprise/candidatures/etape",
            &[
                ("id", &id.to_string()),
                ("status", status),
                ("reason", reason),
            ],
        )
        .await
}

/// A slot a week ahead, as a `datetime-local` field sends it.
fn in_a_week() -> String {
    (chrono::Utc::now() + chrono::Days::new(7))
        .format("%Y-%m-%dT14:30")
        .to_string()
}

/// The recruiter's interview form for application `id`.
fn interview_fields<'a>(
    id: &'a str,
    starts: &'a str,
    mode: &'a str,
    place: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("id", id),
        ("starts", starts),
        ("minutes", "45"),
        ("mode", mode),
        ("place", place),
        ("contact", "Mme Roche, 04 72 00 00 00"),
    ]
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_verified_candidate_applies_once_with_a_pdf_and_the_recruiter_is_told(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut recruiter, company_id, recruiter_email) = company(&app, "Atelier Test").await;
    let (offer_id, _) = live_offer(&pool, company_id, "Soudeur TIG en atelier", "platform").await;

    // An unconfirmed address cannot apply; nothing is stored.
    let (mut pending, _) = candidate(&app, "Sans Confirmation", false).await;
    let (status, body) = apply(&mut pending, offer_id, "Bonjour", Some(("cv.pdf", &pdf(1)))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        common::invalid_message(&body).contains("Confirmez"),
        "{body}"
    );

    let (mut camille, camille_email) = candidate(&app, "Camille Testeuse", true).await;
    // No CV on the profile and none given.
    let (status, body) = apply(&mut camille, offer_id, "Bonjour", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "fichier");
    // Text named .pdf is judged by its bytes.
    let (status, body) = apply(
        &mut camille,
        offer_id,
        "Bonjour",
        Some(("cv.pdf", b"ceci n'est pas un PDF")),
    )
    .await;
    common::assert_refused(status, &body, "fichier", "PDF");
    // A message is asked for.
    let (status, body) = apply(&mut camille, offer_id, "   ", Some(("cv.pdf", &pdf(2)))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "message");
    // Over 5 Mo: refused on the field.
    let mut big = pdf(2);
    big.resize(app::base::media::ssr::MAX_DOCUMENT_BYTES + 1, b' ');
    let (status, body) = apply(&mut camille, offer_id, "Bonjour", Some(("gros.pdf", &big))).await;
    common::assert_refused(status, &body, "fichier", "5 Mo");
    assert_eq!(common::rows_in(&pool, "applications").await, 0);
    assert_eq!(
        common::rows_in(&pool, "media").await,
        0,
        "no file kept from refused posts"
    );

    let application = accepted(
        apply(
            &mut camille,
            offer_id,
            "Soudeuse TIG depuis cinq ans, disponible tout de suite.",
            Some(("CV Camille.pdf", &pdf(3))),
        )
        .await,
    );
    let (status, _, cv) = application_row(&pool, application).await;
    assert_eq!(status, "new");
    let profile_cv = sqlx::query_scalar!(
        "SELECT cv_media_id FROM candidate_profiles p JOIN users u ON u.id = p.user_id WHERE u.email = $1",
        camille_email
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(cv.is_some());
    assert_eq!(cv, profile_cv, "the CV given becomes the profile's");
    let (subject, text) = last_mail_to(&recruiter_email).await;
    assert_eq!(subject, "Nouvelle candidature : Soudeur TIG en atelier");
    assert!(text.contains("Camille Testeuse"), "{text}");
    assert!(
        text.contains("/tableau-de-bord/candidatures-recues"),
        "{text}"
    );
    // The candidate is told it left, with the way to follow it.
    let (subject, text) = last_mail_to(&camille_email).await;
    assert_eq!(subject, "Candidature envoyée : Soudeur TIG en atelier");
    assert!(
        text.contains("/tableau-de-bord/candidatures") && !text.contains("recues"),
        "{text}"
    );

    // No second application to the same offer.
    let (status, body) = apply(&mut camille, offer_id, "Encore moi", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        common::invalid_message(&body).contains("déjà postulé"),
        "{body}"
    );
    assert_eq!(common::rows_in(&pool, "applications").await, 1);
    let (_, state) = camille
        .call(
            "/api/candidatures/etat",
            &[("offer_id", &offer_id.to_string())],
        )
        .await;
    assert_eq!(state["Applied"]["status"], "new");

    // Another offer: the profile's CV goes along when no file is given, and a
    // plain form post (no JavaScript) comes back to the offer with a confirmation.
    let (second, second_slug) =
        live_offer(&pool, company_id, "Chaudronnier en atelier", "platform").await;
    let from = format!("/offres/{second_slug}");
    let response = post_multipart(
        &mut camille,
        "/api/candidatures/postuler",
        &[("offer_id", &second.to_string()), ("message", " ")],
        None,
        "text/html",
        &from,
    )
    .await;
    // An error goes back to the offer page, which shows it on its field.
    assert!(response.status().is_redirection());
    let back = header(&response, "location").to_owned();
    let back = back.strip_prefix("http://localhost:3000").unwrap_or(&back);
    assert!(back.starts_with(&format!("{from}?")), "{back}");
    let page = body_text(camille.get(back).await).await;
    assert!(
        page.contains("Écrivez quelques mots au recruteur."),
        "{page}"
    );
    // One "Postuler" heading: the aside's, around the form.
    assert_eq!(page.matches(">Postuler</h2>").count(), 1, "{page}");
    assert!(page.contains("name=\"fichier\""), "{page}");
    let response = post_multipart(
        &mut camille,
        "/api/candidatures/postuler",
        &[
            ("offer_id", &second.to_string()),
            ("message", "Bonjour, je suis intéressée."),
        ],
        None,
        "text/html",
        &from,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(&response, "location"),
        format!("/offres/{second_slug}?candidature=envoyee")
    );
    let second_cv = sqlx::query_scalar!(
        "SELECT cv_media_id FROM applications WHERE offer_id = $1",
        second
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(second_cv, cv);
    assert_eq!(common::rows_in(&pool, "media").await, 1);

    // Offers applied to elsewhere, drafts and expired offers take no application here.
    let (external, _) = live_offer(&pool, company_id, "Tourneur sur site client", "url").await;
    let (status, body) = apply(&mut camille, external, "Bonjour", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (expired, _) = live_offer(&pool, company_id, "Fraiseur expérimenté", "platform").await;
    common::set_offer_end_ago(&pool, expired, "1 day").await;
    let (status, _) = apply(&mut camille, expired, "Bonjour", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (draft, _) = live_offer(&pool, company_id, "Offre en brouillon", "platform").await;
    sqlx::query!(
        "UPDATE job_offers SET status = 'draft' WHERE id = $1",
        draft
    )
    .execute(&pool)
    .await
    .unwrap();
    let (status, _) = apply(&mut camille, draft, "Bonjour", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(common::rows_in(&pool, "applications").await, 2);

    // Recruiters cannot apply; the apply section tells them so.
    let (status, _) = apply(
        &mut recruiter,
        offer_id,
        "Bonjour",
        Some(("cv.pdf", &pdf(4))),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, state) = recruiter
        .call(
            "/api/candidatures/etat",
            &[("offer_id", &offer_id.to_string())],
        )
        .await;
    assert_eq!(state, "NotCandidate");
    let (_, state) = json(
        Client::new(&app)
            .post(
                "/api/candidatures/etat",
                &[("offer_id", &offer_id.to_string())],
            )
            .await,
    )
    .await;
    assert_eq!(state, "Visitor");

    // Both the candidate and the company's recruiter open the CV.
    let cv_path = format!("/medias/prive/{}", cv.unwrap());
    let response = camille.get(&cv_path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/pdf");
    let response = recruiter.get(&cv_path).await;
    common::assert_says(response, StatusCode::OK, "CV de test 3").await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_pipeline_moves_with_emails_reasons_and_private_notes(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut recruiter, company_id, recruiter_email) = company(&app, "Atelier Pipeline").await;
    let (offer_id, _) = live_offer(&pool, company_id, "Opérateur de production", "platform").await;
    let (other_offer, other_slug) =
        live_offer(&pool, company_id, "Technicien de maintenance", "platform").await;
    let (mut ines, ines_email) = candidate(&app, "Inès Dubois", true).await;
    // Recruiters read the profile's experience on the card, escaped.
    ines.call_ok(
        "/api/candidat/profil/enregistrer",
        &[
            ("input[headline]", "Opératrice"),
            (
                "input[experience]",
                "EXP-INES <b>gras</b>\n2 ans de conditionnement",
            ),
        ],
    )
    .await;
    let application = accepted(
        apply(
            &mut ines,
            offer_id,
            "Disponible dès lundi.",
            Some(("cv.pdf", &pdf(5))),
        )
        .await,
    );

    let (status, pipeline) = recruiter
        .call(
            "/api/entreprise/candidatures",
            &[("offer", &offer_id.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{pipeline}");
    let card = &pipeline["applications"][0];
    assert_eq!(card["candidate_name"], "Inès Dubois");
    assert_eq!(card["message"], "Disponible dès lundi.");
    assert_eq!(card["status"], "new");

    let (status, body) = move_to(&mut recruiter, application, "in_review", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (subject, text) = last_mail_to(&ines_email).await;
    assert_eq!(
        subject,
        "Votre candidature « Opérateur de production » : À l'étude"
    );
    assert!(text.contains("Atelier Pipeline"), "{text}");
    assert!(
        text.contains("/tableau-de-bord/candidatures") && !text.contains("recues"),
        "{text}"
    );

    // Refusing takes one of the standard reasons.
    let (status, body) = move_to(&mut recruiter, application, "refused", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["field"], "reason");
    let (status, _) = move_to(
        &mut recruiter,
        application,
        "refused",
        "Vous ne nous plaisez pas",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = move_to(&mut recruiter, application, "withdrawn", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // An interview comes with its slot, never as a bare step.
    let (status, _) = move_to(&mut recruiter, application, "interview", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(application_row(&pool, application).await.0, "in_review");

    // A private note, then the refusal with its reason.
    let (status, body) = write_note(
        &mut recruiter,
        application,
        "NOTE-PRIVEE : salaire trop élevé",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reason = REFUSAL_REASONS[1];
    let (status, body) = move_to(&mut recruiter, application, "refused", reason).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (subject, text) = last_mail_to(&ines_email).await;
    assert!(subject.ends_with(": Déclinée"), "{subject}");
    assert!(text.contains(reason), "{text}");
    let (_, pipeline) = recruiter
        .call("/api/entreprise/candidatures", &[("offer", "0")])
        .await;
    let card = &pipeline["applications"][0];
    assert_eq!(card["refusal_reason"], reason);
    assert!(
        card["notes"][0]["body"]
            .as_str()
            .unwrap()
            .starts_with("NOTE-PRIVEE")
    );

    // The candidate sees the status and the reason, never the note.
    let (status, mine) = ines.call("/api/candidatures/mes-candidatures", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["applications"][0]["status"], "refused");
    assert_eq!(mine["applications"][0]["refusal_reason"], reason);
    assert!(!mine.to_string().contains("NOTE-PRIVEE"));
    let page = common::ok_text(ines.get("/tableau-de-bord/candidatures").await).await;
    assert!(page.contains("Opérateur de production"));
    assert!(page.contains("Déclinée"));
    assert!(page.contains(reason));
    assert!(!page.contains("NOTE-PRIVEE"));
    // A refused application is not withdrawn.
    let (status, _) = ines
        .call(
            "/api/candidatures/retirer",
            &[("id", &application.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Withdrawal is final: the company is told, the recruiters cannot move
    // it any more, and the candidate cannot apply to that offer again.
    let second = accepted(apply(&mut ines, other_offer, "Très motivée.", None).await);
    let page = body_text(ines.get("/tableau-de-bord/candidatures").await).await;
    assert!(
        page.contains("Retirer ma candidature (définitif)"),
        "{page}"
    );
    ines.call_ok("/api/candidatures/retirer", &[("id", &second.to_string())])
        .await;
    assert_eq!(application_row(&pool, second).await.0, "withdrawn");
    let (subject, text) = last_mail_to(&recruiter_email).await;
    assert_eq!(subject, "Candidature retirée : Technicien de maintenance");
    assert!(text.contains("Inès Dubois"));
    let (status, _) = move_to(&mut recruiter, second, "in_review", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = apply(&mut ines, other_offer, "Finalement, je postule.", None).await;
    common::assert_refused(
        status,
        &body,
        "offer_id",
        "vous ne pouvez pas postuler à nouveau",
    );
    assert_eq!(
        sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM applications WHERE offer_id = $1"#,
            other_offer
        )
        .fetch_one(&pool)
        .await
        .unwrap(),
        1
    );
    let (_, state) = ines
        .call(
            "/api/candidatures/etat",
            &[("offer_id", &other_offer.to_string())],
        )
        .await;
    assert_eq!(state["Applied"]["status"], "withdrawn");
    // The offer page says so instead of showing the form.
    let page = body_text(ines.get(&format!("/offres/{other_slug}")).await).await;
    assert!(page.contains("data-withdrawn"), "{page}");
    assert!(!page.contains("Message au recruteur"), "{page}");

    // Saved offers are listed and can be removed.
    sqlx::query!(
        "INSERT INTO saved_offers (user_id, offer_id) SELECT id, $2 FROM users WHERE email = $1",
        ines_email,
        offer_id
    )
    .execute(&pool)
    .await
    .unwrap();
    let (_, mine) = ines.call("/api/candidatures/mes-candidatures", &[]).await;
    assert_eq!(mine["saved"][0]["title"], "Opérateur de production");
    let (status, _) = ines
        .call(
            "/api/candidatures/offres-sauvegardees/retirer",
            &[("offer_id", &offer_id.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(common::rows_in(&pool, "saved_offers").await, 0);

    // The pipeline page renders the columns for the recruiter.
    let response = recruiter
        .get(&format!(
            "/tableau-de-bord/candidatures-recues?offre={offer_id}"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body_text(response).await;
    assert!(page.contains("data-column=\"refused\""));
    assert!(page.contains("NOTE-PRIVEE"));
    assert!(page.contains("data-experience"), "{page}");
    assert!(
        page.contains("EXP-INES &lt;b&gt;gras&lt;/b&gt;"),
        "the experience is escaped: {page}"
    );
    assert!(!page.contains("<b>gras</b>"));
    assert!(!page.contains("data-truncated"));
    let (_, pipeline) = recruiter
        .call("/api/entreprise/candidatures", &[("offer", "0")])
        .await;
    assert_eq!(pipeline["truncated"], false);
    assert!(
        pipeline["applications"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["experience"].as_str().unwrap().starts_with("EXP-INES"))
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_pipeline_and_the_export_say_when_they_stop_at_the_limit(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut recruiter, company_id, _) = company(&app, "Atelier Volume").await;
    let (offer_id, _) = live_offer(&pool, company_id, "Préparateur de commandes", "platform").await;
    let limit = app::candidates::applications::PIPELINE_LIMIT;
    // One more application than the limit, the oldest first.
    sqlx::query!(
        "WITH c AS (
             INSERT INTO users (email, display_name, password_hash, role, email_verified_at)
             SELECT 'volume' || n || '@exemple.fr', 'Candidat ' || n, 'x', 'candidate', now()
             FROM generate_series(1, $2::int) n
             RETURNING id, display_name)
         INSERT INTO applications (offer_id, candidate_id, message, created_at)
         SELECT $1, id, 'Bonjour', now() - (substr(display_name, 10)::int * interval '1 minute')
         FROM c",
        offer_id,
        i32::try_from(limit + 1).unwrap()
    )
    .execute(&pool)
    .await
    .unwrap();
    let pipeline = recruiter
        .call_ok("/api/entreprise/candidatures", &[("offer", "0")])
        .await;
    assert_eq!(pipeline["truncated"], true);
    let shown = pipeline["applications"].as_array().unwrap();
    assert_eq!(shown.len(), limit);
    // The newest are kept: the oldest (the last of the series) is left out.
    let oldest = format!("Candidat {}", limit + 1);
    assert!(shown.iter().all(|a| a["candidate_name"] != oldest.as_str()));
    assert_eq!(shown[0]["candidate_name"], "Candidat 1");
    let page = body_text(recruiter.get("/tableau-de-bord/candidatures-recues").await).await;
    assert!(page.contains("data-truncated"), "{page}");
    assert!(
        page.contains("Les 1\u{a0}000 candidatures les plus récentes"),
        "{page}"
    );
    assert_eq!(limit, 1_000, "the page spells the limit out");
    let csv = body_text(
        recruiter
            .get("/tableau-de-bord/candidatures-recues/export.csv")
            .await,
    )
    .await;
    assert_eq!(
        csv.lines().count(),
        limit + 1,
        "headers and the newest rows"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn applying_while_the_cv_is_replaced_keeps_a_readable_cv(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, company_id, _) = company(&app, "Atelier Course").await;
    let (offer_id, _) = live_offer(&pool, company_id, "Agent de quai", "platform").await;
    let (mut lina, lina_email) = candidate(&app, "Lina Course", true).await;
    let first = lina.upload_cv("cv-1.pdf", &pdf(10)).await;
    // The same candidate in a second tab replaces the CV.
    let mut other_tab = Client::signed_in_as(&app, &lina_email).await;

    // Something else holds the profile row (as an upload does while it
    // swaps the CV): the application waits instead of using a CV that may
    // be gone by the time it is written.
    let mut held = pool.begin().await.unwrap();
    sqlx::query!(
        "SELECT p.user_id FROM candidate_profiles p JOIN users u ON u.id = p.user_id
         WHERE u.email = $1 FOR UPDATE OF p",
        lina_email
    )
    .fetch_one(&mut *held)
    .await
    .unwrap();
    let release = async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(
            common::rows_in(&pool, "applications").await,
            0,
            "the application waits for the profile row"
        );
        held.commit().await.unwrap();
    };
    let ((status, body), (upload_status, upload), ()) = tokio::join!(
        apply(&mut lina, offer_id, "Disponible de nuit.", None),
        async {
            json(
                other_tab
                    .post_file("/api/candidat/cv", "cv-2.pdf", &pdf(11), "application/json")
                    .await,
            )
            .await
        },
        release
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(upload_status, StatusCode::OK, "{upload}");
    let second = upload.as_i64().unwrap();
    let (_, _, sent) = application_row(&pool, body.as_i64().unwrap()).await;
    let sent = sent.expect("the application keeps its CV");
    // Whichever went first, the CV sent is one of the two and still readable,
    // and the first file is gone only if the application was not sent with it.
    assert!(sent == first || sent == second);
    let response = lina.get(&format!("/medias/prive/{sent}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seed = if sent == first { 10 } else { 11 };
    assert!(
        body_text(response)
            .await
            .contains(&format!("CV de test {seed}\n"))
    );
    let first_kept = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM media WHERE id = $1) AS "kept!""#,
        first
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(first_kept, sent == first);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_csv_export_lists_applications_and_defuses_formulas(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut recruiter, company_id, _) = company(&app, "Atelier Export").await;
    let (offer_id, _) = live_offer(&pool, company_id, "Magasinier cariste", "platform").await;
    let (quiet, _) = live_offer(&pool, company_id, "Offre sans candidature", "platform").await;
    let (mut hugo, hugo_email) = candidate(&app, "=HYPERLINK(\"http://x\")", true).await;
    let skills = sqlx::query_scalar!("SELECT id FROM skills ORDER BY name LIMIT 2")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut form = vec![
        ("input[headline]".to_owned(), "+33 6 12 34 56 78".to_owned()),
        (
            "input[experience]".to_owned(),
            "Cariste depuis 2019.".to_owned(),
        ),
    ];
    for skill in &skills {
        form.push(("input[skills][]".to_owned(), skill.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = hugo.call("/api/candidat/profil/enregistrer", &pairs).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    accepted(apply(&mut hugo, offer_id, "-Bonjour", Some(("cv.pdf", &pdf(6)))).await);

    let response = recruiter
        .get(&format!(
            "/tableau-de-bord/candidatures-recues/export.csv?offre={offer_id}"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "text/csv; charset=utf-8");
    assert!(header(&response, "content-disposition").starts_with("attachment"));
    let csv = body_text(response).await;
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.as_bytes());
    assert_eq!(
        csv.lines().next(),
        Some("date;offre;candidat;e-mail;titre;statut;motif;compétences"),
        "the header line"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(&row[1], "Magasinier cariste");
    assert_eq!(&row[2], "'=HYPERLINK(\"http://x\")", "formula defused");
    assert_eq!(&row[3], hugo_email);
    assert_eq!(&row[4], "'+33 6 12 34 56 78");
    assert_eq!(&row[5], "Envoyée");
    assert_eq!(row[7].split(", ").count(), 2);
    // One offer without applications: headers only. All offers: the same row.
    let response = recruiter
        .get(&format!(
            "/tableau-de-bord/candidatures-recues/export.csv?offre={quiet}"
        ))
        .await;
    assert_eq!(body_text(response).await.lines().count(), 1);
    let response = recruiter
        .get("/tableau-de-bord/candidatures-recues/export.csv")
        .await;
    assert_eq!(body_text(response).await.lines().count(), 2);
    // Visitors are sent to sign in; candidates may not.
    let response = Client::new(&app)
        .get("/tableau-de-bord/candidatures-recues/export.csv")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(header(&response, "location").starts_with("/connexion"));
    let response = hugo
        .get("/tableau-de-bord/candidatures-recues/export.csv")
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn another_company_never_reads_or_touches_the_applications(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, company_id, _) = company(&app, "Atelier Propriétaire").await;
    let (mut other, other_company, _) = company(&app, "Atelier Voisin").await;
    let (offer_id, _) = live_offer(&pool, company_id, "Électricien industriel", "platform").await;
    live_offer(&pool, other_company, "Offre du voisin", "platform").await;
    let (mut lea, _) = candidate(&app, "Léa Candidate", true).await;
    let application =
        accepted(apply(&mut lea, offer_id, "Bonjour.", Some(("cv.pdf", &pdf(7)))).await);
    let (status, _) = write_note(&mut owner, application, "Très bon profil.").await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, cv) = application_row(&pool, application).await;
    let (id_s, offer_s) = (application.to_string(), offer_id.to_string());
    let week = in_a_week();

    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/entreprise/candidatures", vec![("offer", &offer_s)]),
        (
            "/api/entreprise/candidatures/etape",
            vec![("id", &id_s), ("status", "in_review")],
        ),
        (
            "/api/entreprise/candidatures/entretien",
            interview_fields(&id_s, &week, "video", "https://visio.exemple.fr/abc"),
        ),
        (
            "/api/candidatures/message",
            vec![("id", &id_s), ("body", "Message d'un autre atelier.")],
        ),
        (
            "/api/entreprise/candidatures/etape",
            vec![
                ("id", &id_s),
                ("status", "refused"),
                ("reason", REFUSAL_REASONS[0]),
            ],
        ),
        (
            "/api/entreprise/candidatures/note",
            vec![("id", &id_s), ("body", "Note d'un autre atelier.")],
        ),
    ];
    common::assert_each_answers(&mut other, &attempts, StatusCode::NOT_FOUND).await;
    let pipeline = other
        .call_ok("/api/entreprise/candidatures", &[("offer", "0")])
        .await;
    assert_eq!(pipeline["applications"], Value::Array(vec![]));
    let page = body_text(other.get("/tableau-de-bord/candidatures-recues").await).await;
    assert!(!page.contains("Léa Candidate"));
    assert!(!page.contains("Très bon profil"));
    let response = other
        .get(&format!(
            "/tableau-de-bord/candidatures-recues/export.csv?offre={offer_id}"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = other
        .get("/tableau-de-bord/candidatures-recues/export.csv")
        .await;
    let csv = body_text(response).await;
    assert!(!csv.contains("Léa"), "{csv}");
    let cv_path = format!("/medias/prive/{}", cv.unwrap());
    assert_eq!(other.get(&cv_path).await.status(), StatusCode::NOT_FOUND);
    // Nor does another candidate read the CV or withdraw the application.
    let (mut hugo, _) = candidate(&app, "Hugo Curieux", true).await;
    assert_eq!(hugo.get(&cv_path).await.status(), StatusCode::NOT_FOUND);
    let (status, _) = hugo
        .call("/api/candidatures/retirer", &[("id", &id_s)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = hugo
        .call(
            "/api/candidatures/message",
            &[("id", &id_s), ("body", "Bonjour ?")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Candidates never reach the pipeline.
    let (status, _) = lea
        .call("/api/entreprise/candidatures", &[("offer", "0")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Nothing changed.
    assert_eq!(
        application_row(&pool, application).await,
        ("new".to_owned(), String::new(), cv)
    );
    assert_eq!(common::rows_in(&pool, "application_notes").await, 1);
    assert_eq!(common::rows_in(&pool, "application_messages").await, 0);
    assert_eq!(common::rows_in(&pool, "interviews").await, 0);
    assert_eq!(owner.get(&cv_path).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn messages_and_interviews_go_both_ways_with_their_emails_and_calendar_files(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut recruiter, company_id, recruiter_email) = company(&app, "Atelier Entretiens").await;
    let (offer_id, _) = live_offer(&pool, company_id, "Soudeur TIG", "platform").await;
    let (mut zoe, zoe_email) = candidate(&app, "Zoé Martin", true).await;
    let application =
        accepted(apply(&mut zoe, offer_id, "Bonjour.", Some(("cv.pdf", &pdf(9)))).await);
    let id = application.to_string();

    // A message each way, each e-mailed to the other side.
    recruiter
        .call_ok(
            "/api/candidatures/message",
            &[
                ("id", &id),
                ("body", "Pouvez-vous préciser vos disponibilités ?"),
            ],
        )
        .await;
    let (subject, text) = last_mail_to(&zoe_email).await;
    assert_eq!(subject, "Nouveau message : Soudeur TIG");
    assert!(text.contains("Atelier Entretiens vous a écrit"), "{text}");
    assert!(text.contains("/tableau-de-bord/candidatures"), "{text}");
    zoe.call_ok(
        "/api/candidatures/message",
        &[("id", &id), ("body", "Libre <b>tous</b> les matins.")],
    )
    .await;
    let (subject, text) = last_mail_to(&recruiter_email).await;
    assert_eq!(subject, "Nouveau message : Soudeur TIG");
    assert!(text.contains("Zoé Martin vous a écrit"), "{text}");
    let (status, body) = zoe
        .call("/api/candidatures/message", &[("id", &id), ("body", "   ")])
        .await;
    common::assert_refused(status, &body, "body", "Écrivez votre message");
    let mine = zoe.call_ok("/api/candidatures/mes-candidatures", &[]).await;
    let thread = mine["applications"][0]["messages"].as_array().unwrap();
    assert_eq!(thread.len(), 2);
    assert_eq!(thread[0]["from_organisation"], true);
    assert_eq!(thread[1]["body"], "Libre <b>tous</b> les matins.");
    // Both pages show the thread, escaped.
    for (client, path) in [
        (&mut zoe, "/tableau-de-bord/candidatures"),
        (&mut recruiter, "/tableau-de-bord/candidatures-recues"),
    ] {
        let page = common::ok_text(client.get(path).await).await;
        assert!(
            page.contains("Libre &lt;b&gt;tous&lt;/b&gt; les matins."),
            "{path}"
        );
        assert!(
            page.contains("Pouvez-vous préciser vos disponibilités ?"),
            "{path}"
        );
    }

    // A slot that cannot be: each refused on its field, nothing written.
    let week = in_a_week();
    let refusals = [
        (
            interview_fields(&id, "demain", "on_site", "3 rue des Lilas"),
            "starts",
        ),
        (
            interview_fields(&id, "2020-01-06T10:00", "on_site", "3 rue des Lilas"),
            "starts",
        ),
        (
            interview_fields(&id, &week, "carrier_pigeon", "3 rue des Lilas"),
            "mode",
        ),
        (
            interview_fields(&id, &week, "video", "visio.exemple.fr/abc"),
            "place",
        ),
        (interview_fields(&id, &week, "on_site", "  "), "place"),
        // A year the database cannot store, a line break that would start a
        // new line in the calendar file.
        (
            interview_fields(&id, "+300000-01-06T10:00", "on_site", "Lyon"),
            "starts",
        ),
        (
            interview_fields(&id, &week, "on_site", "3 rue des Lilas\rX-INJECTE:1"),
            "place",
        ),
    ];
    for (fields, field) in refusals {
        let (status, body) = recruiter
            .call("/api/entreprise/candidatures/entretien", &fields)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert_eq!(body["Invalid"]["field"], field, "{fields:?}");
    }
    let mut too_long = interview_fields(&id, &week, "on_site", "Lyon");
    too_long[2] = ("minutes", "2000");
    let (status, body) = recruiter
        .call("/api/entreprise/candidatures/entretien", &too_long)
        .await;
    common::assert_refused(status, &body, "minutes", "15 minutes à 8 heures");
    assert_eq!(common::rows_in(&pool, "interviews").await, 0);

    // The proposal: the application moves to "Entretien", the candidate gets
    // the details and a tentative calendar event.
    recruiter
        .call_ok(
            "/api/entreprise/candidatures/entretien",
            &interview_fields(&id, &week, "video", "https://visio.exemple.fr/abc"),
        )
        .await;
    assert_eq!(application_row(&pool, application).await.0, "interview");
    let mail = common::newest_mail_to(&zoe_email).await;
    assert_eq!(mail.subject, "Entretien proposé : Soudeur TIG");
    assert!(
        mail.text.contains("à 14\u{a0}h 30 (durée : 45 min)"),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains("En visioconférence : https://visio.exemple.fr/abc")
    );
    assert!(mail.text.contains("Mme Roche, 04 72 00 00 00"));
    let [(kind, ics)] = &mail.attachments[..] else {
        panic!("one .ics expected: {:?}", mail.attachments);
    };
    assert_eq!(kind, "text/calendar");
    let ics = ics.replace("\r\n ", "");
    assert!(ics.contains("METHOD:PUBLISH"), "{ics}");
    assert!(ics.contains("STATUS:TENTATIVE"), "{ics}");
    assert!(
        ics.contains(&format!("UID:entretien-{application}@")),
        "{ics}"
    );
    // 14:30 in Paris is 13:30 or 12:30 UTC, winter or summer.
    let day = week.split('T').next().unwrap().replace('-', "");
    assert!(
        ics.contains(&format!("DTSTART:{day}T133000Z"))
            || ics.contains(&format!("DTSTART:{day}T123000Z")),
        "{ics}"
    );
    let interview = zoe.call_ok("/api/candidatures/mes-candidatures", &[]).await["applications"][0]
        ["interview"]
        .clone();
    assert_eq!(interview["status"], "proposed");
    assert_eq!(interview["starts"], week);
    let interview_id = interview["id"].as_i64().unwrap().to_string();

    // Another candidate cannot answer it; a made-up answer is refused.
    let (mut hugo, _) = candidate(&app, "Hugo Curieux", true).await;
    let (status, _) = hugo
        .call(
            "/api/candidatures/entretien",
            &[("id", &interview_id), ("choice", "accept")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = zoe
        .call(
            "/api/candidatures/entretien",
            &[("id", &interview_id), ("choice", "peut-etre")],
        )
        .await;
    common::assert_refused(status, &body, "choice", "Réponse inconnue");

    // Zoé asks for another slot: the recruiters read why.
    zoe.call_ok(
        "/api/candidatures/entretien",
        &[
            ("id", &interview_id),
            ("choice", "other"),
            ("answer", "Plutôt le jeudi matin."),
        ],
    )
    .await;
    let (subject, text) = last_mail_to(&recruiter_email).await;
    assert_eq!(subject, "Autre créneau demandé : Soudeur TIG");
    assert!(text.contains("Plutôt le jeudi matin."), "{text}");
    // It no longer waits for an answer.
    let (status, body) = zoe
        .call(
            "/api/candidatures/entretien",
            &[("id", &interview_id), ("choice", "accept")],
        )
        .await;
    common::assert_refused(status, &body, "id", "n'attend plus de réponse");

    // A second proposal replaces the first; Zoé accepts it and both sides
    // get the confirmed event, the same UID at a higher sequence.
    recruiter
        .call_ok(
            "/api/entreprise/candidatures/entretien",
            &interview_fields(&id, &week, "on_site", "3 rue des Lilas, 69003 Lyon"),
        )
        .await;
    let second = zoe.call_ok("/api/candidatures/mes-candidatures", &[]).await["applications"][0]
        ["interview"]["id"]
        .as_i64()
        .unwrap();
    assert_ne!(second.to_string(), interview_id);
    zoe.call_ok(
        "/api/candidatures/entretien",
        &[("id", &second.to_string()), ("choice", "accept")],
    )
    .await;
    for (to, subject) in [
        (&zoe_email, "Entretien confirmé : Soudeur TIG"),
        (&recruiter_email, "Entretien accepté : Soudeur TIG"),
    ] {
        let mail = common::newest_mail_to(to).await;
        assert_eq!(mail.subject, subject);
        assert!(
            mail.text
                .contains("Sur place : 3 rue des Lilas, 69003 Lyon"),
            "{}",
            mail.text
        );
        let ics = mail.attachments[0].1.replace("\r\n ", "");
        assert!(ics.contains("STATUS:CONFIRMED"), "{ics}");
        assert!(ics.contains("SEQUENCE:2"), "{ics}");
        assert!(
            ics.contains(&format!("UID:entretien-{application}@")),
            "{ics}"
        );
    }
    let statuses: Vec<String> = sqlx::query_scalar!("SELECT status FROM interviews ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(statuses, ["declined", "accepted"]);
    let page = common::ok_text(zoe.get("/tableau-de-bord/candidatures").await).await;
    assert!(page.contains("Confirmé"), "{page}");
    assert!(page.contains("3 rue des Lilas, 69003 Lyon"));
    // Once declined, the slot still ahead is off and no interview can be
    // proposed any more.
    let (status, _) = move_to(&mut recruiter, application, "refused", REFUSAL_REASONS[0]).await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<String> = sqlx::query_scalar!("SELECT status FROM interviews ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(statuses, ["declined", "cancelled"]);
    // The candidate's calendar drops the event: same UID, a higher SEQUENCE.
    let mail = common::newest_mail_to(&zoe_email).await;
    assert_eq!(mail.subject, "Entretien annulé : Soudeur TIG");
    assert!(
        mail.text.contains("votre candidature a pris fin"),
        "{}",
        mail.text
    );
    let ics = mail.attachments[0].1.replace("\r\n ", "");
    for line in [
        "STATUS:CANCELLED".to_owned(),
        "SEQUENCE:3".to_owned(),
        format!("UID:entretien-{application}@"),
    ] {
        assert!(ics.contains(&line), "{line} in {ics}");
    }
    let (status, body) = recruiter
        .call(
            "/api/entreprise/candidatures/entretien",
            &interview_fields(&id, &week, "phone", "04 72 00 00 01"),
        )
        .await;
    common::assert_refused(status, &body, "id", "n'est plus en cours");

    // A candidate who withdraws before the slot: the recruiters' calendars drop it.
    let (second_offer, _) = live_offer(&pool, company_id, "Chaudronnier", "platform").await;
    let second = accepted(
        apply(
            &mut zoe,
            second_offer,
            "Bonjour.",
            Some(("cv.pdf", &pdf(9))),
        )
        .await,
    );
    let second_s = second.to_string();
    recruiter
        .call_ok(
            "/api/entreprise/candidatures/entretien",
            &interview_fields(&second_s, &week, "video", "https://visio.exemple.fr/salle"),
        )
        .await;
    zoe.call_ok("/api/candidatures/retirer", &[("id", &second_s)])
        .await;
    let cancelled = common::mails_to(&recruiter_email)
        .into_iter()
        .find(|m| m.subject == "Entretien annulé : Chaudronnier")
        .expect("the recruiter is told the interview is off");
    assert!(
        cancelled
            .text
            .contains("Zoé Martin a retiré sa candidature"),
        "{}",
        cancelled.text
    );
    let ics = cancelled.attachments[0].1.replace("\r\n ", "");
    assert!(
        ics.contains("STATUS:CANCELLED") && ics.contains("SEQUENCE:1"),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:entretien-{second}@")), "{ics}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_profile_keeps_escaped_text_skills_and_one_cv(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut nadia, _) = candidate(&app, "Nadia Profil", true).await;
    let skill = sqlx::query_scalar!("SELECT id FROM skills ORDER BY name LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap()
        .to_string();
    nadia
        .call_ok(
            "/api/candidat/profil/enregistrer",
            &[
                ("input[headline]", "Assistante comptable"),
                (
                    "input[experience]",
                    "</textarea><script>alert(1)</script> 3 ans en cabinet",
                ),
                ("input[skills][]", &skill),
            ],
        )
        .await;
    let (status, body) = nadia
        .call(
            "/api/candidat/profil/enregistrer",
            &[("input[headline]", &"x".repeat(161))],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["field"], "headline");
    let (status, body) = nadia
        .call(
            "/api/candidat/profil/enregistrer",
            &[
                ("input[headline]", "Assistante"),
                ("input[skills][]", "999999999"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["field"], "skills");
    let (_, profile) = nadia.call("/api/candidat/profil", &[]).await;
    assert_eq!(profile["input"]["headline"], "Assistante comptable");
    assert_eq!(profile["input"]["skills"][0].to_string(), skill);

    // A plain form post of the CV comes back to the profile.
    let response = nadia
        .post_file("/api/candidat/cv", "cv.pdf", &pdf(8), "text/html")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(&response, "location"),
        "/tableau-de-bord/profil?cv=envoye"
    );
    let response = nadia
        .post_file(
            "/api/candidat/cv",
            "photo.pdf",
            &common::png(20, 20, 1),
            "application/json",
        )
        .await;
    let (status, body) = json(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["field"], "fichier");
    // Replacing a CV no application was sent with leaves one file.
    nadia.upload_cv("cv-2026.pdf", &pdf(9)).await;
    assert_eq!(common::rows_in(&pool, "media").await, 1);

    let page = common::ok_text(nadia.get("/tableau-de-bord/profil").await).await;
    // The text stays inside its textarea, escaped.
    assert!(
        page.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; 3 ans en cabinet")
    );
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("cv-2026.pdf"));
    // Other roles have no candidate profile.
    let (mut recruiter, ..) = company(&app, "Atelier Profil").await;
    let (status, _) = recruiter.call("/api/candidat/profil", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
