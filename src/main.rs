use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use amfit::config::{Config, LogFormat};
use amfit::document_reader::{READ_DOCUMENT_COMMAND, run_reader};

fn main() -> ExitCode {
    // Whatever amfit creates (the SQLite database, its log, backups) holds candidates' personal
    // data: readable and writable by its owner only.
    rustix::process::umask(rustix::fs::Mode::from_bits_truncate(0o077));
    // The server's own document reader: started by the server alone, it limits itself before
    // anything else runs (no runtime, no threads, no configuration).
    if std::env::args_os().nth(1).is_some_and(|command| command == READ_DOCUMENT_COMMAND) {
        return run_reader();
    }
    let config = Config::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("amfit=info,tower_http=info"));
    // Logs go to stderr, so that a command's own output on stdout stays clean.
    let log = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Text => log.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => {
            log.json().with_current_span(true).with_span_list(false).init();
            // A panic's own text spans lines: said as one of the log's objects instead.
            std::panic::set_hook(Box::new(|panic| tracing::error!(%panic, "panicked")));
        }
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(amfit::cli::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            ExitCode::FAILURE
        }
    }
}
