//! Test harness: the real router over the test PostgreSQL (one database per
//! test, from `#[sqlx::test]`) and the test Redis started by `make test`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
    response::Response,
};
use http_body_util::BodyExt;
use passerelle::{config::Config, http, metrics, state};
use sqlx::PgPool;
use std::{collections::HashMap, sync::Arc};
use tower::ServiceExt;

pub mod api;
pub mod search;

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
    /// Holds the fake site folder (`pkg/`, public files) alive.
    pub site: tempfile::TempDir,
    pub storage: app::base::media::storage::Storage,
    /// The audience the app counted and has not written yet.
    pub analytics: app::base::audience::ssr::Counter,
    /// The public searches' result pages.
    pub searches: app::ui::search::cache::SearchCache,
    /// Whole public pages for visitors who are not signed in.
    pub pages: passerelle::page_cache::PageCache,
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:63799".into())
}

/// A site folder like the one cargo-leptos builds, with small real files.
fn fake_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let css = ".btn-primary{display:inline-flex;align-items:center}\n".repeat(200);
    std::fs::write(pkg.join("passerelle.css"), css).unwrap();
    std::fs::write(
        pkg.join("passerelle.js"),
        "export default function init(){}\n".repeat(100),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    dir
}

pub fn config_with(extra: &[(&str, &str)], site_root: &std::path::Path) -> Config {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert(
        "DATABASE_URL".into(),
        "postgres://unused@127.0.0.1/unused".into(),
    );
    vars.insert("REDIS_URL".into(), redis_url());
    vars.insert("SITE_ROOT".into(), site_root.to_string_lossy().into_owned());
    vars.insert(
        "STORAGE_LOCAL_DIR".into(),
        site_root.join("uploads").to_string_lossy().into_owned(),
    );
    // Tests sign in many times from one address; the limit has its own test.
    vars.insert("AUTH_RATE_BURST".into(), "1000".into());
    // Debug builds on a busy two-core runner: a slow Redis answer is not an
    // outage (the breaker has tests of its own).
    vars.insert("SESSION_STORE_TIMEOUT_MS".into(), "2000".into());
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    Config::from_vars(&vars).expect("test configuration")
}

pub async fn app_with(pool: PgPool, extra: &[(&str, &str)], hash_files: bool) -> TestApp {
    app_on(pool, None, extra, hash_files).await
}

/// A test app whose anonymous public reads go to `replica` (any database
/// with the schema, while the test marks it healthy).
pub async fn app_with_replica(
    pool: PgPool,
    replica: app::base::db::Replica,
    extra: &[(&str, &str)],
) -> TestApp {
    app_on(pool, Some(replica), extra, false).await
}

async fn app_on(
    pool: PgPool,
    replica: Option<app::base::db::Replica>,
    extra: &[(&str, &str)],
    hash_files: bool,
) -> TestApp {
    let site = fake_site();
    let config = config_with(extra, site.path());
    let redis = state::connect_redis(&config)
        .await
        .expect("test Redis (started by make test)");
    let storage = state::open_storage(&config).expect("test storage");
    let mut leptos_options = state::leptos_options(&config);
    leptos_options.hash_files = hash_files;
    let app_state = state::AppState {
        leptos_options,
        pool: pool.clone(),
        replica,
        redis: redis.clone(),
        searches: app::ui::search::cache::SearchCache::shared(
            redis,
            config.session_store_timeout,
            config.search_concurrency as usize,
        )
        .keeping(config.search_hits_kept),
        config: Arc::new(config),
        metrics: metrics::handle(),
        mailer: test_mailer(),
        storage: storage.clone(),
        draining: Default::default(),
        analytics: Default::default(),
        pages: Default::default(),
    };
    let analytics = app_state.analytics.clone();
    let searches = app_state.searches.clone();
    let pages = app_state.pages.clone();
    TestApp {
        router: http::router(app_state),
        pool,
        site,
        storage,
        analytics,
        searches,
        pages,
    }
}

/// The SMTP sink started by `make test` (scripts/services.sh).
pub fn test_mailer() -> app::base::mail::ssr::Mailer {
    let url = std::env::var("SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2525".into());
    app::base::mail::ssr::Mailer::new(&url, "Passerelle <ne-pas-repondre@passerelle.test>").unwrap()
}

pub async fn app(pool: PgPool) -> TestApp {
    app_with(pool, &[], false).await
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Response {
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// GETs `path` with header `name` set to `value`.
    pub async fn get_with(&self, path: &str, name: &str, value: &str) -> Response {
        let request = Request::get(path).header(name, value);
        self.send(request.body(Body::empty()).unwrap()).await
    }
}

/// A newsletter sign-up posted from another site, as a forged form would
/// be: the CSRF check refuses it.
pub fn cross_site_newsletter_post() -> Request<Body> {
    Request::post("/api/newsletter")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://attaquant.example")
        .header("sec-fetch-site", "cross-site")
        .header("host", "localhost:3000")
        .body(Body::from("email=victime%40exemple.fr"))
        .unwrap()
}

/// A newsletter sign-up from this site whose body (5,000 bytes, announced
/// up front) is over a 1,024-byte `BODY_LIMIT_BYTES`.
pub fn oversized_newsletter_post() -> Request<Body> {
    Request::post("/api/newsletter")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", "5000")
        .header("origin", "http://localhost:3000")
        .body(Body::from(format!("email={}", "a".repeat(4994))))
        .unwrap()
}

/// Status and JSON body of a server function's answer (the raw text as a
/// JSON string when it is not JSON, so a failing assertion shows it).
pub async fn json(response: Response) -> (StatusCode, serde_json::Value) {
    let status = response.status();
    let text = body_text(response).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// The JSON body of a server function's answer that must be 200 OK, as
/// `json` or `Client::call` give it.
#[track_caller]
pub fn ok_json((status, body): (StatusCode, serde_json::Value)) -> serde_json::Value {
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// How many rows `table` holds.
pub async fn rows_in(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The title and status of row `id` of `table` (trainings, job offers).
pub async fn title_and_status(pool: &PgPool, table: &str, id: i64) -> (String, String) {
    sqlx::query_as(&format!("SELECT title, status FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A value that one column of a row decodes to.
pub trait Scalar:
    for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin
{
}

impl<T> Scalar for T where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin
{
}

/// Column `column` of row `id` of `table`.
pub async fn column<T: Scalar>(pool: &PgPool, table: &str, column: &str, id: i64) -> T {
    column_where(pool, table, column, "id", id).await
}

/// Column `column` of the user whose e-mail is `email`.
pub async fn user_column<T: Scalar>(pool: &PgPool, email: &str, column: &str) -> T {
    column_where(pool, "users", column, "email", email).await
}

/// Column `column` of the row of `table` whose `key` is `value`.
async fn column_where<T, K>(pool: &PgPool, table: &str, column: &str, key: &str, value: K) -> T
where
    T: Scalar,
    K: for<'q> sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send,
{
    sqlx::query_scalar(&format!("SELECT {column} FROM {table} WHERE {key} = $1"))
        .bind(value)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The answer (`status`, `body`) refuses a form on `field`, with a message
/// that says `message`.
pub fn assert_refused(status: StatusCode, body: &serde_json::Value, field: &str, message: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
    assert_eq!(body["Invalid"]["field"], field, "{body}");
    assert!(invalid_message(body).contains(message), "{field}: {body}");
}

/// The message of a form refused on one of its fields (`Invalid`).
pub fn invalid_message(body: &serde_json::Value) -> &str {
    body["Invalid"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("not a refused field: {body}"))
}

/// How many stored unsubscribe tokens hold `token` as it is (none should:
/// only its hash is kept).
pub async fn unsubscribe_tokens_in_clear(pool: &PgPool, token: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM unsubscribe_tokens WHERE position(convert_to($1, 'UTF8') IN token_hash) > 0",
    )
    .bind(token)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Imports the communes of these départements (the whole file takes longer).
pub async fn communes_of(pool: &PgPool, departements: &[&str]) {
    passerelle::communes::import_where(pool, |c| {
        departements.contains(&c.departement_code.as_str())
    })
    .await
    .unwrap();
}

/// The whole body; a body still streaming after 20 s fails the test instead
/// of hanging the run.
pub async fn body_text(response: Response) -> String {
    let collect = response.into_body().collect();
    let bytes = tokio::time::timeout(std::time::Duration::from_secs(20), collect)
        .await
        .expect("response body still streaming after 20 s")
        .unwrap()
        .to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The body of an answer that must be 200 OK.
pub async fn ok_text(response: Response) -> String {
    let status = response.status();
    let text = body_text(response).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    text
}

/// The answer has `status` and its body says `says`.
pub async fn assert_says(response: Response, status: StatusCode, says: &str) {
    let actual = response.status();
    let text = body_text(response).await;
    assert_eq!(actual, status, "{text}");
    assert!(text.contains(says), "{says:?} in {text}");
}

/// `text` contains each of `needles`; a failure names the one missing.
#[track_caller]
pub fn assert_contains_all(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} in {text}");
    }
}

pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The newest e-mail to `to` has `subject` in its subject and `says` in its
/// text.
pub async fn assert_mailed(to: &str, subject: &str, says: &str) {
    let (actual, text) = last_mail_to(to).await;
    assert!(actual.contains(subject), "{subject:?} in {actual}");
    assert!(text.contains(says), "{says:?} in {text}");
}

/// The newest e-mail the SMTP sink received for `to`: (subject, plain-text
/// body), waiting up to five seconds for one (some mail leaves in the background).
pub async fn last_mail_to(to: &str) -> (String, String) {
    let newest = newest_mail_to(to).await;
    (newest.subject, newest.text)
}

/// The newest e-mail to `to`, whole (headers, attachments), waiting for it
/// as [`last_mail_to`] does.
pub async fn newest_mail_to(to: &str) -> Mail {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        // Of mails written within one clock tick, the sink's count decides.
        if let Some(found) = mails_to(to)
            .into_iter()
            .max_by_key(|mail| (mail.at, mail.sequence))
        {
            return found;
        }
        assert!(std::time::Instant::now() < deadline, "no e-mail to {to}");
        // Yield to the runtime: background sends must get to run.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// An e-mail from the SMTP sink.
pub struct Mail {
    /// When the sink wrote it.
    pub at: std::time::SystemTime,
    /// The sink's count of mails (the end of `<ms>-<pid>-<count>.eml`).
    pub sequence: u64,
    pub subject: String,
    pub headers: Vec<(String, String)>,
    /// The plain-text part (the whole body when there is none).
    pub text: String,
    /// The attached files: content type (without parameters) and text.
    pub attachments: Vec<(String, String)>,
}

/// Every leaf part of a message, depth first (an e-mail with a file is
/// `mixed` around the `alternative` text and HTML).
fn leaves<'a>(part: &'a mailparse::ParsedMail<'a>, found: &mut Vec<&'a mailparse::ParsedMail<'a>>) {
    if part.subparts.is_empty() {
        found.push(part);
    }
    for sub in &part.subparts {
        leaves(sub, found);
    }
}

/// Every e-mail the SMTP sink holds for `to`, in the order the folder lists them.
pub fn mails_to(to: &str) -> Vec<Mail> {
    use mailparse::MailHeaderMap;
    let dir = std::env::var("MAIL_SINK_DIR").unwrap_or_else(|_| ".data/mail".into());
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("MAIL_SINK_DIR (make test starts the sink)") {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".eml") || name.starts_with('.') {
            continue;
        }
        let raw = std::fs::read(entry.path()).unwrap();
        let parsed = mailparse::parse_mail(&raw).unwrap();
        let recipient = parsed.headers.get_first_value("To").unwrap_or_default();
        if !recipient.contains(to) {
            continue;
        }
        let mut parts = Vec::new();
        leaves(&parsed, &mut parts);
        let text = parts
            .iter()
            .find(|p| p.ctype.mimetype == "text/plain")
            .map(|p| p.get_body().unwrap())
            .unwrap_or_else(|| parsed.get_body().unwrap());
        let attachments = parts
            .iter()
            .filter(|p| {
                p.get_content_disposition().disposition == mailparse::DispositionType::Attachment
            })
            .map(|p| (p.ctype.mimetype.clone(), p.get_body().unwrap()))
            .collect();
        let sequence = name
            .trim_end_matches(".eml")
            .rsplit('-')
            .next()
            .and_then(|count| count.parse().ok())
            .unwrap_or_default();
        found.push(Mail {
            at: entry.metadata().unwrap().modified().unwrap(),
            sequence,
            subject: parsed
                .headers
                .get_first_value("Subject")
                .unwrap_or_default(),
            headers: parsed
                .headers
                .iter()
                .map(|h| (h.get_key(), h.get_value()))
                .collect(),
            text,
            attachments,
        });
    }
    found
}

/// A browser-like client: keeps the session cookie between requests.
pub struct Client<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

impl<'a> Client<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookie: None }
    }

    /// POSTs a form to a server function as the hydrated app does (JSON answer).
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        self.post_form(path, form, "application/json").await
    }

    /// POSTs a form as a browser without JavaScript does (`Accept: text/html`):
    /// the answer is a redirect or a page.
    pub async fn post_html(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        self.post_form(path, form, "text/html").await
    }

    async fn post_form(&mut self, path: &str, form: &[(&str, &str)], accept: &str) -> Response {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", accept);
        self.send_same_origin(request, Body::from(body)).await
    }

    /// POSTs a form as `post` does: the answer's status, when only it matters.
    pub async fn post_status(&mut self, path: &str, form: &[(&str, &str)]) -> StatusCode {
        self.post(path, form).await.status()
    }

    /// Calls a server function with a form: its status and JSON answer.
    pub async fn call(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, serde_json::Value) {
        json(self.post(path, form).await).await
    }

    /// Calls a server function that must succeed (200): its JSON answer.
    pub async fn call_ok(&mut self, path: &str, form: &[(&str, &str)]) -> serde_json::Value {
        ok_json(self.call(path, form).await)
    }

    /// Approves organisation `id` as this client, an admin.
    pub async fn approve_organisation(&mut self, id: i64) {
        self.call_ok(
            "/api/admin/organisations/decision",
            &[("id", &id.to_string()), ("decision", "approve")],
        )
        .await;
    }

    /// POSTs an editor's form as the hydrated app does: `outer` as they are,
    /// each of `fields` as `input[key]` (`skills` as the list `input[skills][]`),
    /// then each of `defaults` that `fields` does not give. JSON answer.
    pub async fn post_input(
        &mut self,
        path: &str,
        outer: &[(&str, &str)],
        fields: &[(&str, &str)],
        defaults: &[(&str, &str)],
    ) -> (StatusCode, serde_json::Value) {
        let given = fields.iter().map(|(k, v)| (*k, *v));
        let missing = defaults
            .iter()
            .filter(|(k, _)| !fields.iter().any(|(f, _)| f == k))
            .map(|(k, v)| (*k, *v));
        let mut form: Vec<(String, String)> = outer
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        for (key, value) in given.chain(missing) {
            // The form's lists.
            let key = if matches!(key, "skills" | "funding") {
                format!("input[{key}][]")
            } else {
                format!("input[{key}]")
            };
            form.push((key, value.to_owned()));
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.call(path, &pairs).await
    }

    /// Sends a POST from this site's pages: same origin, with the session cookie.
    async fn send_same_origin(
        &mut self,
        request: axum::http::request::Builder,
        body: Body,
    ) -> Response {
        let mut request = request
            .header("origin", "http://localhost:3000")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = self.app.send(request.body(body).unwrap()).await;
        self.keep_cookie(&response);
        response
    }

    /// GETs a page as a browser does (`Accept: text/html`).
    pub async fn get(&mut self, path: &str) -> Response {
        let mut request = Request::get(path).header("accept", "text/html,application/xhtml+xml");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = self.app.send(request.body(Body::empty()).unwrap()).await;
        self.keep_cookie(&response);
        response
    }

    fn keep_cookie(&mut self, response: &Response) {
        if let Some(set) = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
        {
            let pair = set.split(';').next().unwrap_or_default().to_owned();
            let removed = pair
                .split_once('=')
                .is_none_or(|(_, value)| value.is_empty());
            self.cookie = if removed { None } else { Some(pair) };
        }
    }

    /// POSTs a multipart form as a browser does: the text `fields`, then
    /// `file` (file name, content type, bytes) as `fichier`; `headers` go
    /// along with the same-origin ones (`accept`, a `referer`…).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
        headers: &[(&str, &str)],
    ) -> Response {
        let boundary = "----passerelle-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        let (file_name, content_type, bytes) = file;
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut request = Request::post(path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("content-length", body.len());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send_same_origin(request, Body::from(body)).await
    }

    /// POSTs one file as `fichier` in a multipart body, as a file input does.
    pub async fn post_file(
        &mut self,
        path: &str,
        name: &str,
        bytes: &[u8],
        accept: &str,
    ) -> Response {
        self.post_multipart(path, &[], (name, "image/png", bytes), &[("accept", accept)])
            .await
    }

    /// POSTs `bytes` as an organisation's logo (`logo.png`) to `path`
    /// (`/api/centre/logo`, `/api/entreprise/logo`).
    pub async fn post_logo(&mut self, path: &str, bytes: &[u8], accept: &str) -> Response {
        self.post_file(path, "logo.png", bytes, accept).await
    }

    /// Uploads `bytes` as the candidate's CV, named `name`: the stored file's id.
    pub async fn upload_cv(&mut self, name: &str, bytes: &[u8]) -> i64 {
        let response = self
            .post_file("/api/candidat/cv", name, bytes, "application/json")
            .await;
        ok_json(json(response).await).as_i64().unwrap()
    }

    /// Turns two-factor sign-in on with `code` (and the test password).
    pub async fn enable_totp(&mut self, code: &str) -> Response {
        self.post(
            "/api/compte/2fa/activer",
            &[("code", code), ("password", PASSWORD)],
        )
        .await
    }

    /// Posts the sign-up form as `kind` ("candidat", "centre", "entreprise"),
    /// with the organisation's name and SIRET for a centre or a company.
    pub async fn sign_up(
        &mut self,
        kind: &str,
        name: &str,
        email: &str,
        password: &str,
        organisation: Option<(&str, &str)>,
    ) -> Response {
        let mut form = vec![
            ("kind", kind),
            ("display_name", name),
            ("email", email),
            ("password", password),
        ];
        if let Some((organisation_name, siret)) = organisation {
            form.extend([("organisation_name", organisation_name), ("siret", siret)]);
        }
        self.post("/api/inscription", &form).await
    }

    /// Reports offer `offer` for `reason`, with `details` unless empty: the status.
    pub async fn report_offer(&mut self, offer: i64, reason: &str, details: &str) -> StatusCode {
        let offer = offer.to_string();
        let mut form = vec![("offer_id", offer.as_str()), ("reason", reason)];
        if !details.is_empty() {
            form.push(("details", details));
        }
        self.post_status("/api/offres/signaler", &form).await
    }

    /// Invites `email` into organisation `organisation` as this client.
    pub async fn invite(&mut self, organisation: i64, email: &str) -> Response {
        let organisation = organisation.to_string();
        self.post(
            "/api/organisation/inviter",
            &[("organisation_id", &organisation), ("email", email)],
        )
        .await
    }

    /// Asks to change the password from `current` to `new`.
    pub async fn change_password(&mut self, current: &str, new: &str) -> Response {
        self.post(
            "/api/compte/mot-de-passe",
            &[("current_password", current), ("new_password", new)],
        )
        .await
    }

    /// A new client signed in as `email` with the test password (which must work).
    pub async fn signed_in_as(app: &'a TestApp, email: &str) -> Self {
        let mut client = Self::new(app);
        assert_eq!(
            client.sign_in(email, PASSWORD).await.status(),
            StatusCode::OK
        );
        client
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Response {
        self.post(
            "/api/connexion",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

/// Calls each server function of `calls` (path and form) as `client`:
/// every one must answer `expected`.
pub async fn assert_each_answers(
    client: &mut Client<'_>,
    calls: &[(&str, Vec<(&str, &str)>)],
    expected: StatusCode,
) {
    for (path, form) in calls {
        let (status, body) = client.call(path, form).await;
        assert_eq!(status, expected, "{path}: {body}");
    }
}

pub const PASSWORD: &str = "une phrase de passe solide";

pub fn unique_email(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{tag}.{nanos}@exemple.fr")
}

/// Signs in; staff accounts enrol TOTP on the way, as they must.
pub async fn sign_in_ready(client: &mut Client<'_>, email: &str) {
    let response = client.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    if header(&response, "location") == "/compte/double-authentification" {
        let status: serde_json::Value =
            serde_json::from_str(&body_text(client.post("/api/compte/2fa", &[]).await).await)
                .unwrap();
        let secret = status["Setup"]["secret"].as_str().unwrap().to_owned();
        assert_eq!(
            client.enable_totp(&totp_code(&secret, 0)).await.status(),
            StatusCode::OK
        );
    }
}

pub fn totp_code(secret: &str, offset_secs: u64) -> String {
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .with_account_name("test")
        .build()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now + offset_secs).to_string()
}

/// A new account with `role` and the test password: its id and e-mail.
pub async fn account(
    pool: &PgPool,
    role: app::identity::users::Role,
    name: &str,
    verified: bool,
) -> (i64, String) {
    let email = unique_email(role.as_db());
    let id = app::identity::users::ssr::create_user(pool, &email, name, PASSWORD, role, verified)
        .await
        .unwrap();
    (id, email)
}

/// A new verified account with `role`, signed in (TOTP enrolled for staff):
/// the client, the e-mail and the user's id.
pub async fn signed_in_account<'a>(
    app: &'a TestApp,
    role: app::identity::users::Role,
    name: &str,
) -> (Client<'a>, String, i64) {
    let (id, email) = account(&app.pool, role, name, true).await;
    let mut client = Client::new(app);
    sign_in_ready(&mut client, &email).await;
    (client, email, id)
}

/// A new verified account with `role`, signed in (TOTP enrolled for staff).
pub async fn signed_in<'a>(
    app: &'a TestApp,
    role: app::identity::users::Role,
    name: &str,
) -> Client<'a> {
    signed_in_account(app, role, name).await.0
}

/// A live, fully remote offer of `company` taking applications on `channel`.
pub async fn live_offer(pool: &PgPool, company: i64, title: &str, channel: &str) -> (i64, String) {
    let row = sqlx::query!(
        "INSERT INTO job_offers (company_id, title, contract, remote, status, published_at,
                                 apply_channel, apply_url)
         VALUES ($1, $2, 'cdi', 'teletravail', 'published', now(), $3,
                 CASE WHEN $3 = 'url' THEN 'https://exemple.fr/postuler' ELSE '' END)
         RETURNING id, slug",
        company,
        title,
        channel
    )
    .fetch_one(pool)
    .await
    .unwrap();
    refresh_job_search(pool, row.id).await;
    (row.id, row.slug)
}

/// Rewrites the job search row of offer `id`, as the app does after an edit
/// (tests that change an offer in SQL call it to bring the search along).
pub async fn refresh_job_search(pool: &PgPool, id: i64) {
    sqlx::query!(r#"SELECT refresh_job_search($1) AS "refreshed: ()""#, id)
        .execute(pool)
        .await
        .unwrap();
}

/// How many rows of `search_table` (training_search, job_search) match the
/// French search `words`.
pub async fn search_hits(pool: &PgPool, search_table: &str, words: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "SELECT count(*) FROM {search_table}
         WHERE document @@ websearch_to_tsquery('french_unaccent', $1)"
    ))
    .bind(words)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Whether offer `offer` has a row in the job search.
pub async fn in_search(pool: &PgPool, offer: i64) -> bool {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM job_search WHERE offer_id = $1) AS "found!""#,
        offer
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The job search document of offer `offer`, as text.
pub async fn search_document(pool: &PgPool, offer: i64) -> Option<String> {
    sqlx::query_scalar!(
        "SELECT document::text FROM job_search WHERE offer_id = $1",
        offer
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Puts the end of offer `id` `ago` (an interval: "1 day") in the past,
/// as if that time had gone by; its search row is left as it was.
pub async fn set_offer_end_ago(pool: &PgPool, id: i64, ago: &str) {
    sqlx::query("UPDATE job_offers SET expires_at = now() - $2::interval WHERE id = $1")
        .bind(id)
        .bind(ago)
        .execute(pool)
        .await
        .unwrap();
}

/// A photo-like test image, different for every `seed`.
pub fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x % 251) as u8 ^ seed,
            (y % 241) as u8,
            seed.wrapping_mul(7),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A new organisation of `kind` ("centre" or "entreprise") with `status`,
/// owned by a new verified account (`user_name`, the test password): the
/// organisation's id and the owner's e-mail.
pub async fn organisation(
    pool: &PgPool,
    kind: &str,
    status: &str,
    name: &str,
    user_name: &str,
) -> (i64, String) {
    let (role, tag, offset) = match kind {
        "centre" => (
            app::identity::users::Role::CentreMember,
            "centre",
            10_000_000_000_000,
        ),
        _ => (
            app::identity::users::Role::Recruiter,
            "recruteur",
            20_000_000_000_000,
        ),
    };
    let email = unique_email(tag);
    let user =
        app::identity::users::ssr::create_user(pool, &email, user_name, PASSWORD, role, true)
            .await
            .unwrap();
    let siret = format!("{:014}", user * 7919 + offset);
    let organisation: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (kind, name, siret, status) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(kind)
    .bind(name)
    .bind(&siret)
    .bind(status)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, 'owner')",
    )
    .bind(user)
    .bind(organisation)
    .execute(pool)
    .await
    .unwrap();
    (organisation, email)
}

/// A signed-in owner (`user_name`) of a new organisation of `kind`
/// ("centre" or "entreprise") with `status`: the client, the organisation's
/// id and the owner's e-mail.
pub async fn organisation_owner<'a>(
    app: &'a TestApp,
    kind: &str,
    status: &str,
    name: &str,
    user_name: &str,
) -> (Client<'a>, i64, String) {
    let (organisation, email) = organisation(&app.pool, kind, status, name, user_name).await;
    (Client::signed_in_as(app, &email).await, organisation, email)
}

/// A signed-in owner (`user_name`) of a new approved company `name`: the
/// client, the company's id and the owner's e-mail.
pub async fn approved_company<'a>(
    app: &'a TestApp,
    name: &str,
    user_name: &str,
) -> (Client<'a>, i64, String) {
    organisation_owner(app, "entreprise", "approved", name, user_name).await
}

/// A new verified account with `role` (`name`, the test password), made a
/// plain member (not owner) of `organisation`: its id and e-mail.
pub async fn organisation_member(
    pool: &PgPool,
    organisation: i64,
    role: app::identity::users::Role,
    name: &str,
) -> (i64, String) {
    let (user, email) = account(pool, role, name, true).await;
    sqlx::query!(
        "INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, 'member')",
        user,
        organisation
    )
    .execute(pool)
    .await
    .unwrap();
    (user, email)
}
