use clap::Parser;
use passerelle::{cli::Cli, config::Config};
use std::process::ExitCode;

/// jemalloc returns what a burst of searches freed to the system (see
/// server/Cargo.toml).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    // A missing .env is normal; a malformed one is a configuration error.
    if let Err(error) = dotenvy::dotenv()
        && !error.not_found()
    {
        eprintln!("configuration error: .env: {error}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let telemetry = passerelle::telemetry::init(&config);
    // Rendering a page walks a deeply nested view tree; unoptimised (debug)
    // builds need more than tokio's 2 MiB per worker for the biggest pages.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(8 * 1024 * 1024)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(passerelle::cli::run(cli, config));
    if let Err(error) = &outcome {
        tracing::error!("{error:#}");
        eprintln!("error: {error}");
    }
    // The last spans leave before the process does.
    telemetry.shutdown();
    if outcome.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
