//! An admin's decision on a pending organisation (issue 17): approving or
//! refusing it e-mails its members, a refusal needs a reason that they also
//! read on their dashboard before sending the corrected organisation back,
//! and the security journal names the organisation and the decision, with
//! filters. Over the real database and SMTP sink.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::{
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use common::{Client, app, assert_contains_all, body_text, ok_text, signed_in};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

const DECISION: &str = "/api/admin/organisations/decision";

/// Posts `decision` (with `reason`) on organisation `id`: the JSON answer.
async fn decide(
    admin: &mut Client<'_>,
    id: i64,
    decision: &str,
    reason: &str,
) -> (StatusCode, serde_json::Value) {
    let id = id.to_string();
    admin
        .call(
            DECISION,
            &[("id", &id), ("decision", decision), ("reason", reason)],
        )
        .await
}

/// The journal entries that name organisation `id`, oldest first.
async fn journal_of(pool: &PgPool, id: i64) -> Vec<(String, serde_json::Value)> {
    sqlx::query!(
        "SELECT event, detail FROM audit_log WHERE detail -> 'organisation' = to_jsonb($1::bigint) ORDER BY id",
        id
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| (row.event, row.detail))
    .collect()
}

/// Posts a form as a browser without JavaScript does, from the site's page
/// `from` (the page a refused form comes back to).
async fn post_from_page(
    client: &mut Client<'_>,
    path: &str,
    from: &str,
    form: &[(&str, &str)],
) -> Response {
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("origin", "http://localhost:3000")
        .header("sec-fetch-site", "same-origin")
        .header("referer", format!("http://localhost:3000{from}"));
    if let Some(cookie) = &client.cookie {
        request = request.header("cookie", cookie);
    }
    client
        .app
        .send(request.body(Body::from(body)).unwrap())
        .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn approving_an_organisation_mails_its_members_their_dashboard_and_public_page(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let (centre, owner) =
        common::organisation(&pool, "centre", "pending", "Institut Lumière", "Nadia").await;
    let (_, member) =
        common::organisation_member(&pool, centre, Role::CentreMember, "Marc Membre").await;
    let slug: String = common::column(&pool, "organisations", "slug", centre).await;

    let (status, body) = decide(&mut admin, centre, "approve", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stored: String = common::column(&pool, "organisations", "status", centre).await;
    assert_eq!(stored, "approved");
    // Every member hears it, with the way to their dashboard and the public page.
    for (to, name) in [(&owner, "Nadia"), (&member, "Marc Membre")] {
        let (subject, text) = common::last_mail_to(to).await;
        assert!(
            subject.contains("« Institut Lumière » est validée"),
            "{subject}"
        );
        assert_contains_all(
            &text,
            &[
                &format!("Bonjour {name},"),
                "/tableau-de-bord/centre",
                &format!("/centres/{slug}"),
                "vos formations publiées",
            ],
        );
    }
    // The journal says which organisation, what and who.
    let journal = journal_of(&pool, centre).await;
    assert_eq!(journal.len(), 1, "{journal:?}");
    let (event, detail) = &journal[0];
    assert_eq!(event, "organisation.approved");
    assert_eq!(detail["organisation_name"], "Institut Lumière");
    assert_eq!(detail["decision"], "approved");
    assert!(detail["by_email"].as_str().unwrap().starts_with("admin."));

    // Decided once: a second decision finds nothing to decide, mails nobody.
    let (status, _) = decide(&mut admin, centre, "reject", "Trop tard").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(common::mails_to(&owner).len(), 1);
    // Without JavaScript the queue comes back with the confirmation.
    let (other, _) =
        common::organisation(&pool, "entreprise", "pending", "Atelier Nord", "Rita").await;
    let response = post_from_page(
        &mut admin,
        DECISION,
        "/admin/organisations",
        &[("id", &other.to_string()), ("decision", "approve")],
    )
    .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = common::header(&response, "location").to_owned();
    assert_eq!(location, "/admin/organisations?decidee=1");
    let page = ok_text(admin.get(&location).await).await;
    assert!(page.contains("Décision enregistrée"), "{page}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_refusal_needs_a_reason_that_the_members_read_then_they_send_it_back(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let (mut rita, company, owner) =
        common::organisation_owner(&app, "entreprise", "pending", "Atelier Nord", "Rita").await;

    // No reason, blanks, too long, or no field at all: refused on `reason`.
    let too_long = "x".repeat(1001);
    for reason in ["", "   \n ", too_long.as_str()] {
        let (status, body) = decide(&mut admin, company, "reject", reason).await;
        common::assert_refused(status, &body, "reason", "Indiquez le motif du refus");
    }
    let (status, body) = admin
        .call(
            DECISION,
            &[("id", &company.to_string()), ("decision", "reject")],
        )
        .await;
    common::assert_refused(status, &body, "reason", "Indiquez le motif du refus");
    // …and nothing happened: no change, no mail, no journal entry.
    let stored: String = common::column(&pool, "organisations", "status", company).await;
    assert_eq!(stored, "pending");
    let kept: String = common::column(&pool, "organisations", "rejection_reason", company).await;
    assert_eq!(kept, "");
    assert!(common::mails_to(&owner).is_empty());
    assert!(journal_of(&pool, company).await.is_empty());

    // The queue opens the refusal form with a link; without JavaScript a
    // refused post comes back to it with the message under the field.
    let queue = ok_text(admin.get("/admin/organisations").await).await;
    let link = format!("/admin/organisations?refuser={company}#refus-{company}");
    assert!(queue.contains(&link), "{queue}");
    assert!(!queue.contains("name=\"reason\""), "closed until asked");
    let from = format!("/admin/organisations?refuser={company}");
    let form_page = ok_text(admin.get(&from).await).await;
    assert_contains_all(
        &form_page,
        &[
            &format!("<label for=\"champ-motif-{company}\""),
            &format!("id=\"champ-motif-{company}\" name=\"reason\""),
            "required",
        ],
    );
    let response = post_from_page(
        &mut admin,
        DECISION,
        &from,
        &[
            ("id", &company.to_string()),
            ("decision", "reject"),
            ("reason", " "),
        ],
    )
    .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = common::header(&response, "location").to_owned();
    assert!(
        location.contains(&format!("refuser={company}")) && location.contains("__err="),
        "{location}"
    );
    let page = ok_text(
        admin
            .get(location.trim_start_matches("http://localhost:3000"))
            .await,
    )
    .await;
    assert!(page.contains("Indiquez le motif du refus"), "{page}");
    assert!(page.contains("aria-invalid=\"true\""), "{page}");
    assert_eq!(
        common::column::<String>(&pool, "organisations", "status", company).await,
        "pending"
    );

    // With a reason: refused, the reason kept (trimmed) and mailed.
    let reason = "Le SIRET ne correspond pas à la raison sociale indiquée.";
    let (status, body) = decide(&mut admin, company, "reject", &format!("  {reason}\n")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stored: String = common::column(&pool, "organisations", "status", company).await;
    assert_eq!(stored, "rejected");
    let kept: String = common::column(&pool, "organisations", "rejection_reason", company).await;
    assert_eq!(kept, reason);
    let (subject, text) = common::last_mail_to(&owner).await;
    assert!(
        subject.contains("« Atelier Nord » n'a pas été validée"),
        "{subject}"
    );
    assert_contains_all(
        &text,
        &[
            &format!("Motif : {reason}"),
            "corrigez ou complétez sa fiche",
            "/tableau-de-bord/entreprise",
        ],
    );
    let journal = journal_of(&pool, company).await;
    assert_eq!(journal.len(), 1, "{journal:?}");
    assert_eq!(journal[0].0, "organisation.rejected");
    assert_eq!(journal[0].1["reason"], reason);
    assert_eq!(journal[0].1["organisation_name"], "Atelier Nord");

    // The owner reads it on the organisation's page, and the offers page
    // points there.
    let dashboard = ok_text(rita.get("/tableau-de-bord/entreprise").await).await;
    assert_contains_all(
        &dashboard,
        &[reason, "data-refused", "Enregistrer et soumettre à nouveau"],
    );
    let offers = ok_text(rita.get("/tableau-de-bord/offres").await).await;
    assert!(
        offers.contains("le motif et la marche à suivre sont sur la fiche"),
        "{offers}"
    );

    // Saving the corrected profile sends it back to the queue, where the
    // admin sees the earlier refusal.
    let (status, body) = rita
        .call(
            "/api/organisation/fiche/enregistrer",
            &[
                ("kind", "entreprise"),
                ("profile[name]", "Atelier Nord"),
                ("profile[description]", "Menuiserie et agencement."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stored: String = common::column(&pool, "organisations", "status", company).await;
    assert_eq!(stored, "pending");
    let journal = journal_of(&pool, company).await;
    assert_eq!(journal.last().unwrap().0, "organisation.resubmitted");
    let queue = admin.call_ok("/api/admin/organisations", &[]).await;
    assert_eq!(queue[0]["id"], company);
    assert_eq!(queue[0]["previous_refusal"], reason);
    let page = ok_text(admin.get("/admin/organisations").await).await;
    assert!(page.contains("Déjà refusée une fois"), "{page}");
    let dashboard = ok_text(rita.get("/tableau-de-bord/entreprise").await).await;
    assert!(!dashboard.contains("data-refused"), "{dashboard}");
    assert!(dashboard.contains("attend la validation"), "{dashboard}");
}

/// Today, yesterday and tomorrow in Paris, as a date field sends them.
async fn paris_days(pool: &PgPool) -> (String, String, String) {
    sqlx::query_as(
        "SELECT to_char(d, 'YYYY-MM-DD'), to_char(d - 1, 'YYYY-MM-DD'), to_char(d + 1, 'YYYY-MM-DD')
         FROM (SELECT (now() AT TIME ZONE 'Europe/Paris')::date AS d) t",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_journal_names_each_decision_and_its_filters_narrow_it(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut admin, admin_email, _) =
        common::signed_in_account(&app, Role::Admin, "Ada Admin").await;
    let (nord, _) =
        common::organisation(&pool, "entreprise", "pending", "Atelier Nord", "Rita").await;
    let (sud, _) = common::organisation(&pool, "centre", "pending", "Institut Sud", "Nadia").await;
    assert_eq!(
        decide(&mut admin, nord, "approve", "").await.0,
        StatusCode::OK
    );
    let reason = "Dossier incomplet : certificat Qualiopi manquant.";
    assert_eq!(
        decide(&mut admin, sud, "reject", reason).await.0,
        StatusCode::OK
    );
    let approved = format!("Organisation « Atelier Nord » (n° {nord}) : validée");
    let refused = format!("Organisation « Institut Sud » (n° {sud}) : refusée — motif : {reason}");

    let page = ok_text(admin.get("/admin/journal").await).await;
    assert_contains_all(
        &page,
        &[
            &approved,
            &refused,
            "Organisation validée par un administrateur",
            "Organisation refusée par un administrateur",
            // The filter offers the kinds of event the journal holds.
            "<option value=\"organisation.rejected\"",
            "name=\"organisation\"",
            "name=\"du\"",
        ],
    );

    // Each filter is a link; an entry of another organisation or another
    // kind of event leaves the list.
    let (today, yesterday, tomorrow) = paris_days(&pool).await;
    let admin_part = admin_email.split('@').next().unwrap().to_owned();
    let cases: Vec<(String, bool, bool)> = vec![
        ("action=organisation.rejected".into(), false, true),
        ("action=organisation.approved".into(), true, false),
        (format!("organisation={nord}"), true, false),
        (format!("organisation=n%C2%B0+{sud}"), false, true),
        ("organisation=institut+SUD".into(), false, true),
        ("organisation=Atelier".into(), true, false),
        (format!("du={today}&au={today}"), true, true),
        (format!("du={tomorrow}"), false, false),
        (format!("au={yesterday}"), false, false),
        (
            format!("compte={admin_part}&action=organisation.approved"),
            true,
            false,
        ),
        ("compte=personne-ici".into(), false, false),
    ];
    for (query, with_nord, with_sud) in &cases {
        let page = ok_text(admin.get(&format!("/admin/journal?{query}")).await).await;
        assert_eq!(page.contains(&approved), *with_nord, "{query}");
        assert_eq!(page.contains(&refused), *with_sud, "{query}");
        if !with_nord && !with_sud {
            assert!(page.contains("Aucun événement ne correspond"), "{query}");
        }
    }
    // The chosen kind stays selected in the form.
    let page = ok_text(
        admin
            .get("/admin/journal?action=organisation.rejected")
            .await,
    )
    .await;
    assert!(
        page.contains("<option value=\"organisation.rejected\" selected"),
        "{page}"
    );
    // The server function answers the same, day typed the French way too.
    let french_today = format!("{}/{}/{}", &today[8..10], &today[5..7], &today[..4]);
    let body = admin
        .call_ok(
            "/api/admin/journal",
            &[("action", "organisation.rejected"), ("du", &french_today)],
        )
        .await;
    let rows = body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{body}");
    assert_eq!(rows[0]["event"], "organisation.rejected");
    assert_eq!(body["more"], false);
    let kinds = admin.call_ok("/api/admin/journal/evenements", &[]).await;
    let kinds: Vec<&str> = kinds
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"organisation.approved") && kinds.contains(&"organisation.rejected"),
        "{kinds:?}"
    );

    // Bad values get a French message, never a 5xx; a bad page number is page 1.
    for (query, says) in [
        ("du=31/02/2026", "Date de début invalide"),
        ("au=demain", "Date de fin invalide"),
        (
            "du=2026-12-10&au=2026-12-01",
            "La date de fin précède la date de début",
        ),
        ("action=DROP+TABLE", "Type d&#x27;événement inconnu"),
    ] {
        let response = admin.get(&format!("/admin/journal?{query}")).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}"
        );
        let page = body_text(response).await;
        assert!(
            page.contains(says) || page.contains(&says.replace("&#x27;", "'")),
            "{query}: {page}"
        );
    }
    let (status, body) = admin
        .call("/api/admin/journal", &[("du", "1850-01-01")])
        .await;
    common::assert_refused(status, &body, "du", "Date de début invalide");
    let page = ok_text(admin.get("/admin/journal?page=abc&organisation=%25_").await).await;
    assert!(page.contains("Aucun événement ne correspond"), "{page}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_reviewers_decide_and_only_auditors_read_the_journal(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut rita, company, owner) =
        common::organisation_owner(&app, "entreprise", "pending", "Atelier Nord", "Rita").await;
    let mut candidate = signed_in(&app, Role::Candidate, "Noé Candidat").await;
    let mut visitor = Client::new(&app);

    for client in [&mut rita, &mut candidate] {
        // Not even on their own organisation.
        assert_eq!(
            decide(client, company, "approve", "").await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            decide(client, company, "reject", "Motif").await.0,
            StatusCode::FORBIDDEN
        );
        for api in ["/api/admin/journal", "/api/admin/journal/evenements"] {
            assert_eq!(
                client.post_status(api, &[]).await,
                StatusCode::FORBIDDEN,
                "{api}"
            );
        }
        let response = client
            .get("/admin/journal?action=organisation.approved")
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let page = body_text(response).await;
        assert!(page.contains("Accès refusé"), "{page}");
        assert!(!page.contains("name=\"organisation\""), "no filters either");
    }
    assert_eq!(
        decide(&mut visitor, company, "approve", "").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        visitor.post_status("/api/admin/journal", &[]).await,
        StatusCode::UNAUTHORIZED
    );
    let response = visitor.get("/admin/journal").await;
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(
        common::header(&response, "location"),
        "/connexion?suivant=/admin/journal"
    );
    // Nothing changed, nobody was told.
    let stored: String = common::column(&pool, "organisations", "status", company).await;
    assert_eq!(stored, "pending");
    assert!(common::mails_to(&owner).is_empty());
    assert!(journal_of(&pool, company).await.is_empty());
}
