//! Subcommands of the `passerelle` binary.

use crate::{
    catalogue_seed, communes, config::Config, demo::bench::BenchReport, error::Error, jobs_seed,
    seed, serve, state,
};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Read};

#[derive(Debug, Parser)]
#[command(
    name = "passerelle",
    version,
    about = "Passerelle : formation et emploi"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations and serve the site (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Load data into the database.
    Seed {
        /// Realistic French demo data (communes and training catalogue
        /// included); safe to run again.
        #[arg(long)]
        demo: bool,
        /// Tops the catalogue up to N generated trainings (slugs `bench-…`)
        /// for load tests; loads the demo data first.
        #[arg(long, value_name = "N")]
        bench: Option<u32>,
        /// Tops the job board up to N generated live offers (slugs
        /// `bench-offre-…`) for load tests; loads the demo data first.
        #[arg(long, value_name = "N")]
        bench_offers: Option<u32>,
    },
    /// Import (or update) every French commune from the file shipped in the binary.
    ImportCommunes,
    /// Run the background worker (alert digests, expiry sweep and reminders)
    /// until SIGTERM or Ctrl-C; `serve` runs it too unless
    /// WORKER_INTERVAL_SECS=0. Any number may run: each job runs once.
    Worker {
        /// One tick, print what it did, and exit (for cron or by hand).
        #[arg(long)]
        once: bool,
    },
    /// Create an administrator (password from stdin, or asked for).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrateur")]
        name: String,
    },
    /// Apps that act for users through /api/v1 (OAuth 2.1, authorisation
    /// code with PKCE), as admins register them on /admin/applications.
    OauthApp {
        #[command(subcommand)]
        action: OauthAppCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum OauthAppCommand {
    /// Register an app: prints its client_id, and a confidential app's
    /// secret (shown this once).
    Create {
        /// The name users read on the consent page.
        #[arg(long)]
        name: String,
        /// An exact redirect URI (https, http to 127.0.0.1 or [::1], or the
        /// app's own scheme such as fr.passerelle.app:/oauth); repeatable.
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// The scopes it may ask for, separated by spaces.
        #[arg(long)]
        scopes: String,
        /// A server that keeps a secret (a mobile app is public).
        #[arg(long)]
        confidential: bool,
    },
}

pub async fn run(cli: Cli, config: Config) -> Result<(), Error> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(config).await?,
        Command::Migrate => {
            migrated_pool(&config).await?;
            tracing::info!("migrations applied");
        }
        Command::Seed {
            demo,
            bench,
            bench_offers,
        } => {
            if !demo && bench.is_none() && bench_offers.is_none() {
                return Err(Error::Usage(
                    "nothing to seed: pass --demo, --bench N or --bench-offers N".into(),
                ));
            }
            let pool = migrated_pool(&config).await?;
            let storage = state::open_storage(&config)?;
            // Bench trainings belong to the demo centres: the demo comes first
            // (a second run of it only checks what is there).
            let report = seed::demo(&pool, &storage).await?;
            println!("{report}");
            if let Some(target) = bench {
                let started = std::time::Instant::now();
                let bench = catalogue_seed::bench(&pool, target).await?;
                print_bench("Formations de test", &bench, started);
            }
            if let Some(target) = bench_offers {
                let started = std::time::Instant::now();
                let bench = jobs_seed::bench(&pool, target).await?;
                print_bench("Offres d'emploi de test", &bench, started);
            }
        }
        Command::Worker { once } => {
            // Like `serve`: the previous release's worker runs on.
            let pool = state::connect_database(&config).await?;
            app::base::db::tolerant_migrator().run(&pool).await?;
            let mailer =
                app::base::mail::ssr::Mailer::new(config.smtp_url.as_str(), &config.mail_from)
                    .map_err(Error::Usage)?;
            if once {
                let report = app::worker::tick(&pool, &mailer, &config.base_url()).await?;
                println!("{report}");
            } else {
                let interval = config
                    .worker_interval
                    .unwrap_or(std::time::Duration::from_secs(60));
                let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
                // SIGTERM (the orchestrator) or Ctrl-C: the tick under way
                // finishes, then the process exits.
                tokio::spawn(async move {
                    serve::shutdown_signal().await;
                    tracing::info!("stopping after the current tick");
                    let _ = stop_tx.send(true);
                });
                if let Some(addr) = config.metrics_listen_addr {
                    let listener = tokio::net::TcpListener::bind(addr)
                        .await
                        .map_err(|source| Error::Bind { addr, source })?;
                    tracing::info!(%addr, "worker metrics");
                    tokio::spawn(serve::serve_http(
                        listener,
                        crate::metrics::worker_router(pool.clone()),
                        serve::ConnectionLimits {
                            max_connections: 64,
                            ..serve::connection_limits(&config)
                        },
                        stop_rx.clone(),
                        config.shutdown_grace,
                    ));
                }
                serve::run_worker(pool.clone(), mailer, config.base_url(), interval, stop_rx).await;
                pool.close().await;
                tracing::info!("worker stopped");
            }
        }
        Command::ImportCommunes => {
            let pool = migrated_pool(&config).await?;
            let started = std::time::Instant::now();
            let count = communes::import(&pool).await?;
            println!(
                "{count} communes importées en {:.1} s.",
                started.elapsed().as_secs_f64()
            );
        }
        Command::CreateAdmin { email, name } => {
            let password = read_password()?;
            let pool = migrated_pool(&config).await?;
            let id = app::identity::users::ssr::create_user(
                &pool,
                &email,
                &name,
                &password,
                app::identity::users::Role::Admin,
                true,
            )
            .await?;
            println!(
                "Administrateur créé (id {id}) : {email}. La double authentification lui sera demandée à la première connexion."
            );
        }
        Command::OauthApp {
            action:
                OauthAppCommand::Create {
                    name,
                    redirect_uris,
                    scopes,
                    confidential,
                },
        } => {
            use app::identity::oauth::{OAuthAppInput, ssr as apps};
            // The admin page's checks, from the same form.
            let spec = apps::AppSpec::parse(&OAuthAppInput {
                name,
                redirect_uris: redirect_uris.join("\n"),
                scopes: scopes.split_whitespace().map(str::to_owned).collect(),
                confidential: confidential.then(String::new),
            })?;
            let pool = migrated_pool(&config).await?;
            let created = apps::create_app(&pool, None, &spec).await?;
            println!("Application « {} » enregistrée.", created.name);
            println!("client_id : {}", created.client_id);
            if let Some(secret) = created.secret {
                println!("secret : {secret}");
                println!("Copiez ce secret maintenant : il ne sera plus jamais affiché.");
            }
        }
    }
    Ok(())
}

/// Every subcommand but `serve` (which does the same with its own errors)
/// works on an up-to-date schema.
async fn migrated_pool(config: &Config) -> Result<sqlx::PgPool, Error> {
    let pool = state::connect_database(config).await?;
    app::base::db::MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// "Formations de test : 12 créée(s), 50 au total, en 0.3 s."
fn print_bench(what: &str, bench: &BenchReport, started: std::time::Instant) {
    println!(
        "{what} : {} créée(s), {} au total, en {:.1} s.",
        bench.created,
        bench.total,
        started.elapsed().as_secs_f64()
    );
}

/// The password comes from stdin when it is piped, else from a hidden prompt.
fn read_password() -> Result<String, Error> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        rpassword::prompt_password("Mot de passe (12 caractères au moins) : ")?
    } else {
        let mut buf = String::new();
        stdin.lock().read_to_string(&mut buf)?;
        buf.lines().next().unwrap_or_default().to_owned()
    };
    if password.is_empty() {
        return Err(Error::Usage("no password given on stdin".into()));
    }
    Ok(password)
}
