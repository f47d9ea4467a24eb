//! The background worker (alert digests, expiry sweep, expiry reminders),
//! saved searches with their unsubscribe links, and offer reports with the
//! admin moderation queue, over the real database and SMTP sink.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::identity::users::Role;
use axum::{body::Body, http::Request, http::StatusCode};
use common::{
    Client, Mail, app, body_text, json, mails_to, signed_in, signed_in_account, test_mailer,
};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;
const BASE_URL: &str = "http://localhost:3000";

async fn tick(pool: &PgPool) -> app::worker::TickReport {
    app::worker::tick(pool, &test_mailer(), BASE_URL)
        .await
        .unwrap()
}

async fn offer_status(pool: &PgPool, id: i64) -> String {
    common::column(pool, "job_offers", "status", id).await
}

/// Decides report `report` (`dismiss` or `withdraw`) as `client`: the status.
async fn decide_report(client: &mut Client<'_>, report: i64, decision: &str) -> StatusCode {
    let report = report.to_string();
    let form = [("id", report.as_str()), ("decision", decision)];
    client
        .post_status("/api/admin/signalements/decision", &form)
        .await
}

/// An approved company with one recruiter; returns (company id, recruiter e-mail).
async fn company(pool: &PgPool, name: &str) -> (i64, String) {
    common::organisation(pool, "entreprise", "approved", name, "Rita Recruteuse").await
}

/// A published, fully remote offer, in the search; ages in hours.
async fn offer(
    pool: &PgPool,
    company: i64,
    title: &str,
    contract: &str,
    published_hours_ago: i32,
    expires_in_hours: i32,
) -> i64 {
    let id = sqlx::query_scalar!(
        "INSERT INTO job_offers (company_id, title, description_markdown, contract, remote, status,
                                 published_at, expires_at)
         VALUES ($1, $2, 'Une belle offre, une équipe accueillante.', $3, 'teletravail', 'published',
                 now() - make_interval(hours => $4), now() + make_interval(hours => $5))
         RETURNING id",
        company,
        title,
        contract,
        published_hours_ago,
        expires_in_hours
    )
    .fetch_one(pool)
    .await
    .unwrap();
    common::refresh_job_search(pool, id).await;
    id
}

async fn save_search(client: &mut Client<'_>, query: &str, frequency: &str) -> i64 {
    let body = client
        .call_ok(
            "/api/alertes/enregistrer",
            &[("query", query), ("label", ""), ("frequency", frequency)],
        )
        .await;
    body.as_i64().unwrap()
}

/// Sets how often alert `id` sends, as `client`: the answer's status.
async fn set_frequency(client: &mut Client<'_>, id: &str, frequency: &str) -> StatusCode {
    let form = [("id", id), ("frequency", frequency)];
    client.post_status("/api/alertes/frequence", &form).await
}

/// A new candidate (`name`) signs in and saves an alert on `query` sent
/// `frequency`, through the app over `pool`: the candidate's e-mail and the
/// alert's id.
async fn candidate_alert(pool: &PgPool, name: &str, query: &str, frequency: &str) -> (String, i64) {
    let app = app(pool.clone()).await;
    let (mut candidate, email, _) = signed_in_account(&app, Role::Candidate, name).await;
    (email, save_search(&mut candidate, query, frequency).await)
}

async fn set_last_sent(pool: &PgPool, search: i64, hours_ago: i32) {
    sqlx::query!(
        "UPDATE saved_searches SET last_sent_at = now() - make_interval(hours => $2) WHERE id = $1",
        search,
        hours_ago
    )
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_digest_goes_out_once_with_only_the_new_matching_offers(pool: PgPool) {
    let (email, search) = candidate_alert(
        &pool,
        "Sami Soudeur",
        "q=soudeur&contrat=cdi&page=2",
        "daily",
    )
    .await;
    let (company, _) = company(&pool, "Ateliers Durand").await;
    let (label, query): (String, String) =
        sqlx::query_as("SELECT label, query FROM saved_searches WHERE id = $1")
            .bind(search)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(label, "soudeur · CDI");
    assert_eq!(
        query, "q=soudeur&contrat=cdi",
        "the page number is not kept"
    );

    offer(&pool, company, "Soudeur TIG confirmé", "cdi", 72, 1000).await;
    offer(&pool, company, "Soudeur à l'arc", "cdi", 2, 1000).await;
    offer(&pool, company, "Soudeur MIG intérimaire", "cdd", 2, 1000).await;
    offer(&pool, company, "Comptable fournisseurs", "cdi", 2, 1000).await;
    set_last_sent(&pool, search, 48).await;

    // Two replicas at once, then one more tick: one digest in all.
    let (one, two) = (test_mailer(), test_mailer());
    let (a, b) = tokio::join!(
        app::worker::tick(&pool, &one, BASE_URL),
        app::worker::tick(&pool, &two, BASE_URL)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.digests_queued + b.digests_queued, 1);
    assert_eq!(a.jobs_done + b.jobs_done, 1);
    let again = tick(&pool).await;
    assert_eq!((again.digests_queued, again.jobs_done), (0, 0));

    let mails = mails_to(&email);
    assert_eq!(mails.len(), 1, "exactly one digest");
    let Mail {
        subject,
        headers,
        text,
        ..
    } = &mails[0];
    assert_eq!(subject, "1 nouvelle offre pour « soudeur · CDI »");
    assert!(text.contains("Soudeur à l'arc"), "{text}");
    assert!(text.contains("Ateliers Durand"));
    assert!(text.contains("Télétravail · CDI"));
    assert!(
        text.contains(&format!("{BASE_URL}/offres/soudeur-a-l-arc")),
        "{text}"
    );
    assert!(text.contains(&format!("{BASE_URL}/offres?q=soudeur&contrat=cdi")));
    for absent in ["TIG", "MIG", "Comptable"] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
    let prefix = format!("{BASE_URL}/alertes/desabonnement?jeton=");
    let start = text.find(&prefix).expect("an unsubscribe link") + prefix.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let link = format!("{prefix}{token}");
    // Only the token's hash is stored, for this very alert.
    let stored: Option<i64> = sqlx::query_scalar(
        "SELECT saved_search_id FROM unsubscribe_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
    )
    .bind(&token)
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert_eq!(stored, Some(search));
    let in_clear = common::unsubscribe_tokens_in_clear(&pool, &token).await;
    assert_eq!(in_clear, 0);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(header("List-Unsubscribe"), format!("<{link}>"));
    assert_eq!(
        header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );

    // Nothing new for another search: no e-mail, but its period starts now.
    let (quiet_email, quiet_search) =
        candidate_alert(&pool, "Quentin Calme", "q=boulanger", "daily").await;
    set_last_sent(&pool, quiet_search, 48).await;
    let report = tick(&pool).await;
    assert_eq!((report.digests_queued, report.jobs_done), (1, 1));
    assert!(mails_to(&quiet_email).is_empty());
    let advanced: bool = sqlx::query_scalar(
        "SELECT last_sent_at > now() - interval '1 minute' FROM saved_searches WHERE id = $1",
    )
    .bind(quiet_search)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(advanced);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_weekly_alert_waits_a_week(pool: PgPool) {
    let (email, search) = candidate_alert(&pool, "Wendy Hebdo", "q=menuisier", "weekly").await;
    let (company, _) = company(&pool, "Menuiserie Martin").await;
    set_last_sent(&pool, search, 24).await;
    offer(&pool, company, "Menuisier poseur", "cdi", 2, 1000).await;

    let report = tick(&pool).await;
    assert_eq!(report.digests_queued, 0, "sent yesterday: not due");
    assert!(mails_to(&email).is_empty());

    set_last_sent(&pool, search, 8 * 24).await;
    let report = tick(&pool).await;
    assert_eq!(report.digests_queued, 1);
    common::assert_mailed(&email, "1 nouvelle offre", "Menuisier poseur").await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn alerts_are_their_owners_and_unsubscribe_without_signing_in(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut owner = signed_in(&app, Role::Candidate, "Olga Owner").await;
    let mut other = signed_in(&app, Role::Candidate, "Oscar Autre").await;
    let first = save_search(&mut owner, "q=cariste", "daily").await;
    let second = save_search(&mut owner, "contrat=interim", "weekly").await;

    // The list is the owner's; nobody else reads or changes a row.
    let (status, list) = owner.call("/api/alertes/mes-alertes", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let (_, theirs) = other.call("/api/alertes/mes-alertes", &[]).await;
    assert_eq!(theirs, Value::Array(vec![]));
    let id = first.to_string();
    assert_eq!(
        set_frequency(&mut other, &id, "weekly").await,
        StatusCode::NOT_FOUND
    );
    let response = other.post("/api/alertes/supprimer", &[("id", &id)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = Client::new(&app)
        .post("/api/alertes/mes-alertes", &[])
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        set_frequency(&mut owner, &id, "hourly").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let page = body_text(owner.get("/tableau-de-bord/alertes").await).await;
    assert!(page.contains("href=\"/offres?q=cariste\""), "{page}");
    assert!(page.contains("Chaque jour") && page.contains("Chaque semaine"));

    // The link a digest would carry (the digest test reads a real one).
    let token = |id: i64| {
        let pool = pool.clone();
        async move {
            let token = format!("jeton-de-test-{id}");
            sqlx::query(
                "INSERT INTO unsubscribe_tokens (token_hash, saved_search_id)
                 VALUES (sha256(convert_to($1, 'UTF8')), $2)",
            )
            .bind(&token)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
            token
        }
    };
    let frequency = |id: i64| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT frequency FROM saved_searches WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };

    // The e-mail link: a page that asks, then the button.
    let mut visitor = Client::new(&app);
    let first_token = token(first).await;
    let path = format!("/alertes/desabonnement?jeton={first_token}");
    let page = common::ok_text(visitor.get(&path).await).await;
    assert!(page.contains("Confirmer le désabonnement"), "{page}");
    assert_eq!(frequency(first).await, "daily", "GET changes nothing");
    let response = visitor
        .post("/api/alertes/desabonner", &[("token", &first_token)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(frequency(first).await, "none");
    assert!(
        body_text(visitor.get(&path).await)
            .await
            .contains("C'est fait")
    );

    // RFC 8058: the mail provider POSTs to the link, from no page of ours.
    let second_token = token(second).await;
    let one_click = |token: String| {
        Request::post(format!("/alertes/desabonnement?jeton={token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("List-Unsubscribe=One-Click"))
            .unwrap()
    };
    let response = app.send(one_click(second_token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(frequency(second).await, "none");

    // Unknown tokens: a French message and 404.
    common::assert_says(
        visitor.get("/alertes/desabonnement?jeton=inconnu").await,
        StatusCode::NOT_FOUND,
        "lien de désabonnement n'est pas valable",
    )
    .await;
    let response = app.send(one_click("inconnu".into())).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // The owner turns the alert back on, then deletes it.
    assert_eq!(
        set_frequency(&mut owner, &id, "weekly").await,
        StatusCode::OK
    );
    assert_eq!(frequency(first).await, "weekly");
    let response = owner.post("/api/alertes/supprimer", &[("id", &id)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, list) = owner.call("/api/alertes/mes-alertes", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Without JavaScript the form post lands on the list.
    let response = owner
        .post_html(
            "/api/alertes/enregistrer",
            &[
                ("query", "q=soudeur"),
                ("label", "Soudure"),
                ("frequency", "weekly"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        common::header(&response, "location"),
        "/tableau-de-bord/alertes"
    );

    // Twenty alerts at most.
    let owner_id: i64 = common::column(&pool, "saved_searches", "user_id", second).await;
    sqlx::query(
        "INSERT INTO saved_searches (user_id, label, query)
         SELECT $1, 'Alerte ' || n, 'q=metier' || n FROM generate_series(1, 18) n",
    )
    .bind(owner_id)
    .execute(&pool)
    .await
    .unwrap();
    let response = owner
        .post(
            "/api/alertes/enregistrer",
            &[("query", "q=peintre"), ("frequency", "daily")],
        )
        .await;
    let (status, body) = json(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["field"], "label", "{body}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn offers_expire_and_recruiters_are_reminded_once_per_expiry(pool: PgPool) {
    let (company, recruiter) = company(&pool, "Transports Leroy").await;
    let past = offer(&pool, company, "Chauffeur poids lourd", "cdi", 500, 10).await;
    common::set_offer_end_ago(&pool, past, "1 minute").await;
    let soon = offer(&pool, company, "Magasinier cariste", "cdi", 500, 4 * 24).await;
    offer(&pool, company, "Agent de quai", "cdi", 10, 10 * 24).await;
    assert!(common::in_search(&pool, past).await);

    let report = tick(&pool).await;
    assert_eq!(report.expired, 1);
    assert_eq!(offer_status(&pool, past).await, "expired");
    assert!(!common::in_search(&pool, past).await);
    assert!(common::in_search(&pool, soon).await);

    let reminders = |title: &'static str| {
        mails_to(&recruiter)
            .into_iter()
            .filter(|mail| mail.subject.contains(title))
            .collect::<Vec<_>>()
    };
    let sent = reminders("Magasinier cariste");
    assert_eq!(sent.len(), 1);
    let Mail { subject, text, .. } = &sent[0];
    assert_eq!(subject, "Votre offre « Magasinier cariste » expire bientôt");
    assert!(
        text.contains("Votre offre « Magasinier cariste » expire le "),
        "{text}"
    );
    assert!(text.contains(&format!("{BASE_URL}/tableau-de-bord/offres")));
    assert!(
        reminders("Agent de quai").is_empty(),
        "ten days left: no reminder yet"
    );
    assert!(reminders("Chauffeur").is_empty(), "already expired");

    tick(&pool).await;
    assert_eq!(reminders("Magasinier cariste").len(), 1, "once per expiry");

    // Renewed (and again close to its end): a new reminder.
    sqlx::query!(
        "UPDATE job_offers SET expires_at = now() + interval '3 days' WHERE id = $1",
        soon
    )
    .execute(&pool)
    .await
    .unwrap();
    tick(&pool).await;
    assert_eq!(reminders("Magasinier cariste").len(), 2);
    tick(&pool).await;
    assert_eq!(reminders("Magasinier cariste").len(), 2);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn reports_reach_the_admin_queue_and_a_withdrawn_offer_leaves_the_board(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (company, _) = company(&pool, "Bonnes Affaires SARL").await;
    let scam = offer(
        &pool,
        company,
        "Gagnez 5000 euros par semaine",
        "freelance",
        2,
        1000,
    )
    .await;
    let fine = offer(&pool, company, "Vendeur en boulangerie", "cdd", 2, 1000).await;
    let scam_id = scam.to_string();

    let mut visitor = Client::new(&app);
    assert_eq!(
        visitor
            .report_offer(scam, "arnaque", "On me demande de payer des frais.")
            .await,
        StatusCode::OK
    );
    assert_eq!(
        visitor.report_offer(scam, "spam", "").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let long = "x".repeat(2001);
    assert_eq!(
        visitor.report_offer(scam, "autre", &long).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // A signed-in user keeps one open report per offer.
    let mut candidate = signed_in(&app, Role::Candidate, "Carla Vigilante").await;
    let report = [("offer_id", scam_id.as_str()), ("reason", "inexacte")];
    assert_eq!(
        candidate
            .post("/api/offres/signaler", &report)
            .await
            .status(),
        StatusCode::OK
    );
    let (status, body) = candidate.call("/api/offres/signaler", &report).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("déjà signalé"), "{body}");
    assert_eq!(
        candidate.report_offer(fine, "pourvue", "").await,
        StatusCode::OK
    );

    // Only admins see the queue.
    assert_eq!(
        Client::new(&app)
            .post("/api/admin/signalements", &[])
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        candidate
            .post("/api/admin/signalements", &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        candidate.get("/admin/signalements").await.status(),
        StatusCode::FORBIDDEN
    );
    let mut recruiter = signed_in(&app, Role::Recruiter, "Rémi Recruteur").await;
    assert_eq!(
        decide_report(&mut recruiter, 1, "withdraw").await,
        StatusCode::FORBIDDEN
    );

    let mut admin = signed_in(&app, Role::Admin, "Ada Admin").await;
    let (status, queue) = admin.call("/api/admin/signalements", &[]).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    let queue = queue.as_array().unwrap().clone();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0]["offer_id"], scam);
    assert_eq!(queue[0]["company"], "Bonnes Affaires SARL");
    assert_eq!(queue[0]["reports"].as_array().unwrap().len(), 2);
    assert_eq!(queue[0]["reports"][0]["reason"], "arnaque");
    assert_eq!(
        queue[0]["reports"][0]["details"],
        "On me demande de payer des frais."
    );
    assert_eq!(queue[0]["reports"][0]["reporter"], Value::Null);
    let page = body_text(admin.get("/admin/signalements").await).await;
    assert!(
        page.contains("Gagnez 5000 euros par semaine"),
        "{}",
        &page[page.len().saturating_sub(3000)..]
    );
    assert!(page.contains("2 signalements"));

    // Dismiss the report on the fine offer: it stays online.
    let fine_report = queue[1]["reports"][0]["id"].as_i64().unwrap();
    assert_eq!(
        decide_report(&mut admin, fine_report, "dismiss").await,
        StatusCode::OK
    );
    assert!(common::in_search(&pool, fine).await);

    // Withdraw the scam: archived, out of the search, every report closed.
    let scam_report = queue[0]["reports"][0]["id"].as_i64().unwrap();
    assert_eq!(
        decide_report(&mut admin, scam_report, "withdraw").await,
        StatusCode::OK
    );
    assert_eq!(offer_status(&pool, scam).await, "archived");
    assert!(!common::in_search(&pool, scam).await);
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM offer_reports WHERE status = 'open'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(open, 0);
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM offer_reports WHERE offer_id = $1 ORDER BY id")
            .bind(scam)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(statuses, ["actioned", "actioned"]);
    let events: Vec<String> =
        sqlx::query_scalar("SELECT event FROM audit_log WHERE event LIKE 'offer%' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(events, ["offer_report.dismissed", "offer.withdrawn"]);
    // The admin's security journal names them in French.
    assert_eq!(
        app::identity::account::describe_event("offer_report.dismissed"),
        "Signalement d'offre classé sans suite"
    );
    assert_eq!(
        app::identity::account::describe_event("offer.withdrawn"),
        "Offre d'emploi retirée après signalement"
    );
    let (_, queue) = admin.call("/api/admin/signalements", &[]).await;
    assert_eq!(queue, Value::Array(vec![]));

    // A closed report cannot be handled twice; a withdrawn offer cannot be reported.
    assert_eq!(
        decide_report(&mut admin, scam_report, "dismiss").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.report_offer(scam, "arnaque", "").await,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_worker_subcommand_ticks_once_and_reports(pool: PgPool) {
    let (company, _) = company(&pool, "Cuisines Petit").await;
    let past = offer(&pool, company, "Commis de cuisine", "saisonnier", 500, 10).await;
    common::set_offer_end_ago(&pool, past, "1 minute").await;
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL for the tests");
    let db = pool.connect_options().get_database().unwrap().to_owned();
    let url = format!("{}/{db}", base.rsplit_once('/').unwrap().0);
    let smtp = std::env::var("SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2525".into());
    let dir = tempfile::tempdir().unwrap(); // no stray .env
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["worker", "--once"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs([
            ("DATABASE_URL", url.as_str()),
            ("REDIS_URL", "redis://127.0.0.1:1"),
            ("SMTP_URL", smtp.as_str()),
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("Offres expirées : 1"), "{stdout}");
    assert_eq!(offer_status(&pool, past).await, "expired");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_failing_job_is_retried_later_then_given_up(pool: PgPool) {
    let job: i64 = sqlx::query_scalar(
        "INSERT INTO background_jobs (kind, payload) VALUES ('inconnu', '{}') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let state = || async {
        sqlx::query_as::<_, (i32, Option<String>, bool, bool)>(
            "SELECT attempts, last_error, done_at IS NOT NULL, run_at > now() FROM background_jobs WHERE id = $1",
        )
        .bind(job)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let report = tick(&pool).await;
    assert_eq!((report.jobs_done, report.jobs_failed), (0, 1));
    let (attempts, error, done, later) = state().await;
    assert_eq!(attempts, 1);
    assert!(error.is_some());
    assert!(!done && later, "retried later");
    assert_eq!(tick(&pool).await.jobs_failed, 0, "not due yet");

    sqlx::query("UPDATE background_jobs SET attempts = 4, run_at = now() WHERE id = $1")
        .bind(job)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(tick(&pool).await.jobs_failed, 1);
    let (attempts, _, done, _) = state().await;
    assert_eq!(attempts, app::worker::MAX_ATTEMPTS);
    assert!(done, "given up after the last attempt");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_job_board_pages_carry_the_alert_and_report_forms(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (company, _) = company(&pool, "Garage Moreau").await;
    let id = offer(&pool, company, "Mécanicien automobile", "cdi", 2, 1000).await;

    let mut visitor = Client::new(&app);
    let page = common::ok_text(visitor.get("/offres?q=mecanicien&contrat=cdi").await).await;
    assert!(
        page.contains("Connectez-vous pour recevoir ces offres par e-mail"),
        "{page}"
    );
    assert!(page.contains("/connexion?suivant=%2Foffres%3Fq%3Dmecanicien%26contrat%3Dcdi"));

    let mut candidate = signed_in(&app, Role::Candidate, "Marc Mécano").await;
    let page = body_text(candidate.get("/offres?q=mecanicien&contrat=cdi").await).await;
    assert!(
        page.contains("Créer une alerte e-mail pour cette recherche"),
        "{page}"
    );
    assert!(page.contains("value=\"mecanicien · CDI\""), "{page}");

    let page = body_text(visitor.get("/offres/mecanicien-automobile").await).await;
    assert!(page.contains("Signaler cette offre"));
    assert!(
        page.contains(&format!("name=\"offer_id\" value=\"{id}\"")),
        "{page}"
    );

    // Without JavaScript: the report lands back on the offer, with thanks.
    let response = visitor
        .post_html(
            "/api/offres/signaler",
            &[
                ("offer_id", &id.to_string()),
                ("reason", "pourvue"),
                ("details", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = common::header(&response, "location").to_owned();
    assert_eq!(location, "/offres/mecanicien-automobile?signalement=envoye");
    let page = body_text(visitor.get(&location).await).await;
    assert!(page.contains("votre signalement a été transmis"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_digest_period_ends_when_its_offers_are_read_not_when_its_job_was_claimed(pool: PgPool) {
    let (email, search) = candidate_alert(&pool, "Paula Peintre", "q=peintre", "daily").await;
    let (company, _) = company(&pool, "Peintures Blanc").await;
    set_last_sent(&pool, search, 48).await;

    // The user holds the search (as an edit would) while the worker claims
    // its digest; an offer is published meanwhile, before the digest reads.
    let mut edit = pool.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM saved_searches WHERE id = $1 FOR UPDATE")
        .bind(search)
        .execute(&mut *edit)
        .await
        .unwrap();
    let mailer = test_mailer();
    let (report, fresh) = tokio::join!(app::worker::tick(&pool, &mailer, BASE_URL), async {
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        let fresh = offer(&pool, company, "Peintre en bâtiment", "cdi", 0, 1000).await;
        edit.commit().await.unwrap();
        fresh
    });
    assert_eq!(report.unwrap().jobs_done, 1);
    let mails = mails_to(&email);
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].text.contains("Peintre en bâtiment"),
        "{}",
        mails[0].text
    );
    // Listed now, so not again: the next period starts after its publication.
    let last_sent: Option<chrono::DateTime<chrono::Utc>> =
        common::column(&pool, "saved_searches", "last_sent_at", search).await;
    let published: Option<chrono::DateTime<chrono::Utc>> =
        common::column(&pool, "job_offers", "published_at", fresh).await;
    assert!(
        last_sent >= published,
        "the offer would be listed in the next digest too"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_reminder_failing_for_one_member_is_not_resent_to_the_others(pool: PgPool) {
    let (company, recruiter) = company(&pool, "Boulangerie Roux").await;
    let (colleague, _) =
        common::organisation_member(&pool, company, Role::Recruiter, "Colin Collègue").await;
    // An address the mailer refuses: this member's send always fails.
    sqlx::query!(
        "UPDATE users SET email = 'adresse-sans-arobase' WHERE id = $1",
        colleague
    )
    .execute(&pool)
    .await
    .unwrap();
    offer(&pool, company, "Boulanger de nuit", "cdi", 500, 2 * 24).await;

    let report = tick(&pool).await;
    assert_eq!(report.reminders_queued, 2, "one per member");
    assert_eq!((report.jobs_done, report.jobs_failed), (1, 1));
    // The failed one is retried, alone.
    sqlx::query!("UPDATE background_jobs SET run_at = now() WHERE done_at IS NULL")
        .execute(&pool)
        .await
        .unwrap();
    let report = tick(&pool).await;
    assert_eq!((report.jobs_done, report.jobs_failed), (0, 1));
    let sent = mails_to(&recruiter)
        .into_iter()
        .filter(|mail| mail.subject.contains("Boulanger de nuit"))
        .count();
    assert_eq!(sent, 1, "the other member got it once");
    let failing: Vec<Value> = sqlx::query_scalar(
        "SELECT payload FROM background_jobs WHERE kind = 'expiry_reminder' AND last_error IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(failing.len(), 1);
    assert_eq!(failing[0]["user"], colleague);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_report_sent_twice_at_once_gets_the_french_message(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (company, _) = company(&pool, "Nettoyage Express").await;
    let id = offer(&pool, company, "Agent d'entretien", "cdi", 2, 1000).await;
    let (mut candidate, _, candidate_id) =
        signed_in_account(&app, Role::Candidate, "Vera Vigilante").await;

    // The user's other report is being written (not yet committed) when
    // this one arrives: both pass the "not reported yet" check.
    let mut other = pool.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO offer_reports (offer_id, reporter_id, reason, details) VALUES ($1, $2, 'arnaque', '')",
    )
    .bind(id)
    .bind(candidate_id)
    .execute(&mut *other)
    .await
    .unwrap();
    let offer_id = id.to_string();
    let ((status, body), ()) = tokio::join!(
        async {
            candidate
                .call(
                    "/api/offres/signaler",
                    &[("offer_id", offer_id.as_str()), ("reason", "inexacte")],
                )
                .await
        },
        async {
            tokio::time::sleep(std::time::Duration::from_millis(700)).await;
            other.commit().await.unwrap();
        }
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["field"], "reason", "{body}");
    assert!(body.to_string().contains("déjà signalé"), "{body}");
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM offer_reports WHERE offer_id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(open, 1);
}

/// A training of `centre` in `modality`, published `published_hours_ago`
/// (in the catalogue), or a draft when `None`: its slug.
async fn training(
    pool: &PgPool,
    centre: i64,
    title: &str,
    modality: &str,
    published_hours_ago: Option<i32>,
) -> String {
    let (id, slug): (i64, String) = sqlx::query_as(
        "INSERT INTO trainings (centre_id, title, summary, modality, duration_hours, price_cents,
                                status, published_at)
         VALUES ($1, $2, 'Une formation qualifiante, des formateurs du métier.', $3, 400, 0,
                 CASE WHEN $4::int IS NULL THEN 'draft' ELSE 'published' END,
                 now() - make_interval(hours => $4))
         RETURNING id, slug",
    )
    .bind(centre)
    .bind(title)
    .bind(modality)
    .bind(published_hours_ago)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("SELECT refresh_training_search($1)")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    slug
}

/// Saves an alert on the catalogue search `query` as `client`: the answer.
async fn save_training_search(
    client: &mut Client<'_>,
    query: &str,
    label: &str,
    frequency: &str,
) -> (StatusCode, Value) {
    let form = [
        ("query", query),
        ("label", label),
        ("frequency", frequency),
        ("scope", "trainings"),
    ];
    client.call("/api/alertes/enregistrer", &form).await
}

/// The unsubscribe link of a digest's text and its token.
fn unsubscribe_link(text: &str) -> (String, String) {
    let prefix = format!("{BASE_URL}/alertes/desabonnement?jeton=");
    let start = text.find(&prefix).expect("an unsubscribe link") + prefix.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    (format!("{prefix}{token}"), token)
}

/// The card of the alerts page's alert `id`.
fn alert_card(page: &str, id: i64) -> &str {
    let start = page
        .find(&format!("data-alert=\"{id}\""))
        .unwrap_or_else(|| panic!("alert {id} listed: {page}"));
    let end = page[start..].find("</li>").expect("its end") + start;
    &page[start..end]
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_catalogue_search_is_saved_as_a_training_alert_under_the_offers_rules(pool: PgPool) {
    let app = app(pool.clone()).await;
    let search = "/formations?q=soudure&modalite=presentiel";

    // Visitors are asked to sign in and come back to the same search.
    let mut visitor = Client::new(&app);
    let page = common::ok_text(visitor.get(search).await).await;
    assert!(
        page.contains("Connectez-vous pour recevoir ces formations par e-mail"),
        "{page}"
    );
    assert!(
        page.contains("/connexion?suivant=%2Fformations%3Fq%3Dsoudure%26modalite%3Dpresentiel")
    );
    let (status, body) = save_training_search(&mut visitor, "q=soudure", "", "daily").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // A candidate gets the form, for the catalogue.
    let (mut candidate, _, candidate_id) =
        signed_in_account(&app, Role::Candidate, "Sonia Soudure").await;
    let page = body_text(candidate.get(search).await).await;
    common::assert_contains_all(
        &page,
        &[
            "Créer une alerte e-mail pour cette recherche",
            "name=\"scope\" value=\"trainings\"",
            "value=\"soudure · Présentiel\"",
            "Recevoir les nouvelles formations",
        ],
    );

    // Saved in the catalogue's terms: its parameters only, without the page.
    let (status, body) = save_training_search(
        &mut candidate,
        "q=soudure&modalite=presentiel&contrat=cdi&page=2",
        "",
        "weekly",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();
    let row: (String, String, String, String) =
        sqlx::query_as("SELECT scope, label, query, frequency FROM saved_searches WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        row,
        (
            "trainings".to_owned(),
            "soudure · Présentiel".to_owned(),
            "q=soudure&modalite=presentiel".to_owned(),
            "weekly".to_owned()
        )
    );
    // An offers alert (no scope, as the offers form always sent) stays one.
    let offers = save_search(&mut candidate, "q=soudeur", "daily").await;
    let scope: String = common::column(&pool, "saved_searches", "scope", offers).await;
    assert_eq!(scope, "offers");

    // The same refusals as for offers, and an unknown list.
    for (frequency, scope, label, field) in [
        ("hourly", "trainings", "", "frequency"),
        ("none", "trainings", "", "frequency"),
        ("daily", "blog", "", "scope"),
        ("daily", "trainings", &"x".repeat(201)[..], "label"),
    ] {
        let form = [
            ("query", "q=soudure"),
            ("label", label),
            ("frequency", frequency),
            ("scope", scope),
        ];
        let (status, body) = candidate.call("/api/alertes/enregistrer", &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert_eq!(body["Invalid"]["field"], field, "{body}");
    }
    for role in [Role::Recruiter, Role::CentreMember] {
        let mut other = signed_in(&app, role, "Pas Candidat").await;
        let (status, body) = save_training_search(&mut other, "q=soudure", "", "daily").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}: {body}");
        let page = body_text(other.get(search).await).await;
        assert!(!page.contains("data-save-search"), "{role:?} has no alerts");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM saved_searches")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 2, "nothing refused was saved");

    // Without JavaScript the form post lands on the list, which shows it.
    let response = candidate
        .post_html(
            "/api/alertes/enregistrer",
            &[
                ("query", "q=cariste&cpf=oui"),
                ("label", ""),
                ("frequency", "daily"),
                ("scope", "trainings"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = common::header(&response, "location").to_owned();
    assert_eq!(location, "/tableau-de-bord/alertes");
    let page = body_text(candidate.get(&location).await).await;
    assert!(page.contains("cariste · Éligible au CPF"), "{page}");
    assert!(
        page.contains("href=\"/formations?q=cariste&amp;cpf=oui\""),
        "{page}"
    );

    // Twenty alerts at most, both lists together.
    sqlx::query(
        "INSERT INTO saved_searches (user_id, label, query)
         SELECT $1, 'Alerte ' || n, 'q=metier' || n FROM generate_series(1, 17) n",
    )
    .bind(candidate_id)
    .execute(&pool)
    .await
    .unwrap();
    let (status, body) = save_training_search(&mut candidate, "q=peinture", "", "daily").await;
    common::assert_refused(status, &body, "label", "déjà 20 alertes");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_training_digest_goes_out_once_with_only_the_new_matching_trainings(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut candidate, email, _) = signed_in_account(&app, Role::Candidate, "Tom Tuyauteur").await;
    let (status, body) =
        save_training_search(&mut candidate, "q=soudure&modalite=presentiel", "", "daily").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let trainings_alert = body.as_i64().unwrap();
    // The same words watched in the job board: its own digest, of offers.
    let offers_alert = save_search(&mut candidate, "q=soudure", "daily").await;
    let (centre, _) = common::organisation(
        &pool,
        "centre",
        "approved",
        "Institut de Soudure",
        "Célia Centre",
    )
    .await;
    let (company, _) = company(&pool, "Chaudronnerie Petit").await;

    training(
        &pool,
        centre,
        "Soudure TIG, les bases",
        "presentiel",
        Some(72),
    )
    .await;
    let fresh = training(&pool, centre, "Soudure à l'arc", "presentiel", Some(2)).await;
    training(&pool, centre, "Soudure MIG en ligne", "distanciel", Some(2)).await;
    training(
        &pool,
        centre,
        "Comptabilité générale",
        "presentiel",
        Some(2),
    )
    .await;
    training(&pool, centre, "Soudure oxyacétylénique", "presentiel", None).await;
    offer(&pool, company, "Agent de soudure", "cdi", 2, 1000).await;
    set_last_sent(&pool, trainings_alert, 48).await;
    set_last_sent(&pool, offers_alert, 48).await;

    // Two replicas at once, then one more tick: one digest per alert in all.
    let (one, two) = (test_mailer(), test_mailer());
    let (a, b) = tokio::join!(
        app::worker::tick(&pool, &one, BASE_URL),
        app::worker::tick(&pool, &two, BASE_URL)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.digests_queued + b.digests_queued, 2);
    assert_eq!(a.jobs_done + b.jobs_done, 2);
    let again = tick(&pool).await;
    assert_eq!((again.digests_queued, again.jobs_done), (0, 0));

    let mails = mails_to(&email);
    assert_eq!(mails.len(), 2, "one digest per alert");
    let offers_mail = mails
        .iter()
        .find(|mail| mail.subject.contains("offre"))
        .expect("the offers digest");
    assert_eq!(offers_mail.subject, "1 nouvelle offre pour « soudure »");
    assert!(offers_mail.text.contains("Agent de soudure"));
    assert!(!offers_mail.text.contains("Soudure à l'arc"));
    let Mail {
        subject,
        headers,
        text,
        ..
    } = mails
        .iter()
        .find(|mail| mail.subject.contains("formation"))
        .expect("the trainings digest");
    assert_eq!(
        subject,
        "1 nouvelle formation pour « soudure · Présentiel »"
    );
    common::assert_contains_all(
        text,
        &[
            "Voici les nouvelles formations qui correspondent à votre alerte « soudure · Présentiel »",
            "Soudure à l'arc — Institut de Soudure · Présentiel · 400 h",
            &format!("{BASE_URL}/formations/{fresh}"),
            &format!(
                "Voir toutes les formations de cette recherche : {BASE_URL}/formations?q=soudure&modalite=presentiel"
            ),
        ],
    );
    for absent in [
        "TIG",
        "MIG",
        "Comptabilité",
        "oxyacétylénique",
        "Agent de soudure",
    ] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
    let (link, token) = unsubscribe_link(text);
    let stored: Option<i64> = sqlx::query_scalar(
        "SELECT saved_search_id FROM unsubscribe_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
    )
    .bind(&token)
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert_eq!(stored, Some(trainings_alert));
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(header("List-Unsubscribe"), format!("<{link}>"));
    assert_eq!(
        header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );

    // Listed once: the next day, only what is new since. (As if a day had
    // passed: the period, the publications and today's job key move a day back.)
    for statement in [
        "UPDATE saved_searches SET last_sent_at = last_sent_at - interval '1 day'",
        "UPDATE trainings SET published_at = published_at - interval '1 day'",
        "UPDATE training_search SET published_at = published_at - interval '1 day'",
        "UPDATE background_jobs SET dedupe_key = dedupe_key || ':veille'",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    set_last_sent(&pool, offers_alert, 1).await;
    training(&pool, centre, "Soudure sous flux", "presentiel", Some(0)).await;
    assert_eq!(tick(&pool).await.jobs_done, 1);
    let mails = mails_to(&email);
    assert_eq!(mails.len(), 3);
    let next = mails
        .iter()
        .find(|mail| mail.text.contains("Soudure sous flux"))
        .expect("the next digest");
    assert!(!next.text.contains("Soudure à l'arc"), "{}", next.text);

    // The link unsubscribes this alert, without signing in: no more digests.
    let mut visitor = Client::new(&app);
    let page = common::ok_text(
        visitor
            .get(&format!("/alertes/desabonnement?jeton={token}"))
            .await,
    )
    .await;
    assert!(page.contains("soudure · Présentiel"), "{page}");
    let response = visitor
        .post("/api/alertes/desabonner", &[("token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let frequency: String =
        common::column(&pool, "saved_searches", "frequency", trainings_alert).await;
    assert_eq!(frequency, "none");
    let frequency: String =
        common::column(&pool, "saved_searches", "frequency", offers_alert).await;
    assert_eq!(frequency, "daily", "the other alert is untouched");
    training(&pool, centre, "Soudure orbitale", "presentiel", Some(0)).await;
    set_last_sent(&pool, trainings_alert, 48).await;
    set_last_sent(&pool, offers_alert, 1).await;
    let report = tick(&pool).await;
    assert_eq!((report.digests_queued, report.jobs_done), (0, 0));
    assert_eq!(mails_to(&email).len(), 3);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_alerts_page_lists_both_kinds_and_manages_each(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut owner = signed_in(&app, Role::Candidate, "Alice Alertes").await;
    let offers = save_search(&mut owner, "q=cariste", "daily").await;
    let (status, body) = save_training_search(
        &mut owner,
        "q=caces&modalite=presentiel",
        "Mon CACES",
        "daily",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let trainings = body.as_i64().unwrap();

    let (_, list) = owner.call("/api/alertes/mes-alertes", &[]).await;
    let scopes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|search| search["scope"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["Trainings", "Offers"], "newest first");

    let page = body_text(owner.get("/tableau-de-bord/alertes").await).await;
    let card = alert_card(&page, offers);
    assert!(card.contains("data-alert-scope=\"offers\""), "{card}");
    assert!(card.contains(">Offres d'emploi<"), "{card}");
    assert!(card.contains("href=\"/offres?q=cariste\""), "{card}");
    let card = alert_card(&page, trainings);
    assert!(card.contains("data-alert-scope=\"trainings\""), "{card}");
    assert!(card.contains(">Formations<"), "{card}");
    assert!(card.contains("Mon CACES"), "{card}");
    assert!(
        card.contains("href=\"/formations?q=caces&amp;modalite=presentiel\""),
        "{card}"
    );

    // Its frequency changes and it goes, as an offers alert does; only its owner's.
    let id = trainings.to_string();
    let mut other = signed_in(&app, Role::Candidate, "Oscar Autre").await;
    assert_eq!(
        set_frequency(&mut other, &id, "weekly").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        set_frequency(&mut owner, &id, "weekly").await,
        StatusCode::OK
    );
    let frequency: String = common::column(&pool, "saved_searches", "frequency", trainings).await;
    assert_eq!(frequency, "weekly");
    let response = other.post("/api/alertes/supprimer", &[("id", &id)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = owner.post("/api/alertes/supprimer", &[("id", &id)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, list) = owner.call("/api/alertes/mes-alertes", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], offers);
}
