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
