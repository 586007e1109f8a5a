use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use amfit::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    // Whatever amfit creates (the SQLite database, its log, backups) holds candidates' personal
    // data: readable and writable by its owner only.
    rustix::process::umask(rustix::fs::Mode::from_bits_truncate(0o077));
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("amfit=info,tower_http=info"));
    // Logs go to stderr, so that a command's own output on stdout stays clean.
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    match amfit::cli::run(Config::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            ExitCode::FAILURE
        }
    }
}
