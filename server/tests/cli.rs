//! The binary itself: configuration errors, `create-admin`, `seed --demo`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sqlx::PgPool;
use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;
const BIN: &str = env!("CARGO_BIN_EXE_passerelle");

/// Runs the binary with exactly these variables (plus PATH) and stdin.
fn run(args: &[&str], vars: &[(&str, &str)], stdin: &str) -> Output {
    let dir = tempfile::tempdir().unwrap(); // no stray .env
    let mut child = Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(vars.iter().copied())
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn bad_configuration_exits_with_code_2_naming_the_variable() {
    let redis = ("REDIS_URL", "redis://127.0.0.1:1");
    let db = ("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none");
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[redis], "DATABASE_URL"),
        (
            &[redis, db, ("DATABASE_POOL_SIZE", "beaucoup")],
            "DATABASE_POOL_SIZE",
        ),
        (
            &[redis, db, ("LISTEN_ADDR", "pas-une-adresse")],
            "LISTEN_ADDR",
        ),
        (
            &[
                redis,
                db,
                ("PASSERELLE_ENV", "production"),
                ("PUBLIC_BASE_URL", "https://passerelle.example"),
            ],
            "SESSION_KEY",
        ),
    ];
    for (vars, named) in cases {
        let output = run(&["serve"], vars, "");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{named}: {}",
            stderr(&output)
        );
        let err = stderr(&output);
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(err.contains(named), "{named} named in {err}");
    }
}

/// The URL of the test's own database, for the binary to use.
fn database_url(pool: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL for the tests");
    let db = pool.connect_options().get_database().unwrap().to_owned();
    let (server, _) = base.rsplit_once('/').unwrap();
    format!("{server}/{db}")
}

/// The variables that run the binary on the database at `url`, with no
/// Redis behind (the commands tested here do not need it).
fn on_database(url: &str) -> [(&'static str, &str); 2] {
    [("DATABASE_URL", url), ("REDIS_URL", "redis://127.0.0.1:1")]
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn create_admin_reads_the_password_from_stdin(pool: PgPool) {
    let url = database_url(&pool);
    let vars = on_database(&url);

    let output = run(
        &["create-admin", "--email", "Chef@Passerelle.test"],
        &vars,
        "une phrase de passe solide\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));

    let (role, must_enrol, hash): (String, bool, String) =
        sqlx::query_as("SELECT role, must_enrol_totp, password_hash FROM users WHERE email = 'chef@passerelle.test'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(role, "admin");
    assert!(must_enrol, "admins must enrol 2FA at first sign-in");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains("une phrase"));

    let again = run(
        &["create-admin", "--email", "chef@passerelle.test"],
        &vars,
        "une autre phrase de passe\n",
    );
    assert!(!again.status.success(), "an address is used once");
    assert!(stderr(&again).contains("existe déjà"));

    let short = run(
        &["create-admin", "--email", "autre@passerelle.test"],
        &vars,
        "court\n",
    );
    assert!(!short.status.success());
    assert!(stderr(&short).contains("12 caractères"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn demo_seed_is_idempotent(pool: PgPool) {
    let url = database_url(&pool);
    let vars = on_database(&url);
    let counts = || async {
        let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
            .fetch_one(&pool)
            .await
            .unwrap();
        let subs: i64 = sqlx::query_scalar("SELECT count(*) FROM newsletter_subscribers")
            .fetch_one(&pool)
            .await
            .unwrap();
        (users, subs)
    };

    let first = run(&["seed", "--demo"], &vars, "");
    assert!(first.status.success(), "{}", stderr(&first));
    let after_first = counts().await;
    assert_eq!(
        after_first.0, 61,
        "one account per role, a pending centre's owner, the 30 catalogue centres' owners, \
         the 20 job board companies' recruiters and 5 candidates who applied"
    );
    assert!(after_first.1 >= 6);

    let second = run(&["seed", "--demo"], &vars, "");
    assert!(second.status.success());
    let second_report = String::from_utf8_lossy(&second.stdout).into_owned();
    assert!(
        second_report.contains("0 compte(s) créé(s), 0 organisation(s) créée(s)")
            && second_report.contains("0 article(s) de blog créé(s)")
            && second_report.contains("0 offre(s) d'emploi créée(s), 0 candidature(s) créée(s)"),
        "{second_report}"
    );
    assert_eq!(counts().await, after_first);
    // Demo articles with their covers: four public, one scheduled for later.
    let (public, scheduled, covers): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM public_article_cards),
                (SELECT count(*) FROM articles WHERE status = 'scheduled' AND published_at > now()),
                (SELECT count(*) FROM articles a JOIN media m ON m.id = a.cover_media_id)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((public, scheduled, covers), (4, 1, 5));

    let roles: Vec<String> = sqlx::query_scalar("SELECT DISTINCT role FROM users ORDER BY role")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        roles,
        ["admin", "candidate", "centre_member", "editor", "recruiter"]
    );

    // Each organisation has its owner; one waits in the admin queue.
    let organisations: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT o.name, o.status, u.email FROM organisations o
         JOIN memberships m ON m.organisation_id = o.id AND m.role = 'owner'
         JOIN users u ON u.id = m.user_id ORDER BY o.name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        organisations.len(),
        53,
        "3 demo organisations, 30 catalogue centres and 20 companies"
    );
    assert_eq!(
        organisations
            .iter()
            .filter(|(_, status, _)| status == "pending")
            .count(),
        1
    );
    for (_, _, owner) in &organisations {
        let role: String = sqlx::query_scalar("SELECT role FROM users WHERE email = $1")
            .bind(owner)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(
            role == "centre_member" || role == "recruiter",
            "{owner} is {role}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sigterm_finishes_cleanly(pool: PgPool) {
    use std::{
        io::Read,
        net::TcpStream,
        time::{Duration, Instant},
    };
    let url = database_url(&pool);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:63799".into());
    let dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(BIN)
        .arg("serve")
        .env_clear()
        .envs([
            ("DATABASE_URL", url.as_str()),
            ("REDIS_URL", redis.as_str()),
            ("LISTEN_ADDR", addr.as_str()),
            ("SHUTDOWN_DRAIN_SECS", "2"),
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let get = |path: &str| -> String {
        let mut stream = TcpStream::connect(&addr).expect("still accepting");
        stream
            .write_all(
                format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        reply
    };

    // Wait until it answers /healthz.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(mut stream) = TcpStream::connect(&addr) {
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut reply = String::new();
            let _ = stream.read_to_string(&mut reply);
            if reply.starts_with("HTTP/1.1 200") {
                break;
            }
        }
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // Draining: still answering, but no longer ready, so the load balancer
    // moves traffic elsewhere before the listener closes.
    std::thread::sleep(Duration::from_millis(300));
    let ready = get("/readyz");
    assert!(ready.starts_with("HTTP/1.1 503"), "{ready}");
    assert!(ready.contains("draining"), "{ready}");
    assert!(get("/healthz").starts_with("HTTP/1.1 200"));
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "server still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "clean exit after SIGTERM: {status:?}");
    assert!(TcpStream::connect(&addr).is_err(), "no longer listening");
}

/// `GET path` on `addr` with HTTP/1.1, the whole answer as text ("" when
/// nothing listens).
fn http_get(addr: &str, path: &str) -> String {
    use std::{io::Read, net::TcpStream};
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return String::new();
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
}

fn free_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

/// Two `passerelle worker` processes on one queue: every job runs once (a
/// failing one, here, is tried once, then waits its retry), each reports
/// what it did on its own metrics address, and SIGTERM stops both cleanly.
#[sqlx::test(migrator = "MIGRATOR")]
async fn two_worker_processes_share_the_queue_and_stop_on_sigterm(pool: PgPool) {
    use std::time::{Duration, Instant};
    const JOBS: i64 = 60;
    sqlx::query(
        "INSERT INTO background_jobs (kind) SELECT 'essai_inconnu' FROM generate_series(1, $1)",
    )
    .bind(JOBS)
    .execute(&pool)
    .await
    .unwrap();
    let url = database_url(&pool);
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:63799".into());
    let smtp = std::env::var("SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2525".into());
    let dir = tempfile::tempdir().unwrap();
    let metrics = [free_addr(), free_addr()];
    let mut workers: Vec<_> = metrics
        .iter()
        .map(|addr| {
            Command::new(BIN)
                .arg("worker")
                .env_clear()
                .envs([
                    ("DATABASE_URL", url.as_str()),
                    ("REDIS_URL", redis.as_str()),
                    ("SMTP_URL", smtp.as_str()),
                    ("WORKER_INTERVAL_SECS", "1"),
                    ("METRICS_LISTEN_ADDR", addr.as_str()),
                    ("RUST_LOG", "error"),
                ])
                .current_dir(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();

    // Every job tried, by one worker or the other.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let tried: i64 =
            sqlx::query_scalar("SELECT count(*) FROM background_jobs WHERE attempts > 0")
                .fetch_one(&pool)
                .await
                .unwrap();
        if tried == JOBS {
            break;
        }
        assert!(Instant::now() < deadline, "{tried} of {JOBS} jobs tried");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let attempts: Vec<i32> = sqlx::query_scalar("SELECT attempts FROM background_jobs")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(
        attempts.iter().all(|&n| n == 1),
        "a job ran twice: {attempts:?}"
    );

    // Each worker's own count; together, every job once.
    let failed = |text: &str| -> u64 {
        text.lines()
            .find(|line| line.starts_with("passerelle_worker_jobs_total{result=\"failed\"}"))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let scraped: Vec<String> = metrics
        .iter()
        .map(|addr| http_get(addr, "/metrics"))
        .collect();
    for text in &scraped {
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(
            text.contains("passerelle_worker_ticks_total{result=\"ok\"}"),
            "{text}"
        );
        assert!(text.contains("passerelle_worker_jobs_pending 0"), "{text}");
    }
    assert_eq!(
        scraped.iter().map(|text| failed(text)).sum::<u64>(),
        JOBS as u64
    );

    for worker in &workers {
        let killed = Command::new("kill")
            .args(["-TERM", &worker.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    for worker in &mut workers {
        let status = loop {
            if let Some(status) = worker.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "a worker still runs after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "clean exit after SIGTERM: {status:?}");
    }
    for addr in &metrics {
        assert_eq!(http_get(addr, "/metrics"), "", "{addr} still serving");
    }
}

/// During a release, or after a rollback, the previous binary meets a
/// database the next one migrated: `serve` and `worker` start on it (the
/// migrations are backward compatible across one release); `migrate`,
/// run before each release, refuses a database it does not know.
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_previous_release_runs_on_a_database_the_next_one_migrated(pool: PgPool) {
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (99991231000000, 'from the next release', true, '\\x00', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let url = database_url(&pool);
    let smtp = std::env::var("SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2525".into());
    let mut vars = on_database(&url).to_vec();
    vars.push(("SMTP_URL", smtp.as_str()));
    let worker = run(&["worker", "--once"], &vars, "");
    assert!(worker.status.success(), "{}", stderr(&worker));
    // And `serve` comes up.
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:63799".into());
    let addr = free_addr();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(BIN)
        .arg("serve")
        .env_clear()
        .envs(vars.iter().copied())
        .envs([
            ("LISTEN_ADDR", addr.as_str()),
            ("WORKER_INTERVAL_SECS", "0"),
            ("REDIS_URL", redis.as_str()),
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !http_get(&addr, "/healthz").starts_with("HTTP/1.1 200") {
        if let Some(status) = server.try_wait().unwrap() {
            panic!("serve refused the database: {status:?}");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "serve did not come up"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    server.kill().unwrap();
    let _ = server.wait();
    let migrate = run(&["migrate"], &vars, "");
    assert!(!migrate.status.success());
    assert!(
        stderr(&migrate).contains("99991231000000"),
        "{}",
        stderr(&migrate)
    );
}
