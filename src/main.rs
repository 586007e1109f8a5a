use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use tracing_subscriber::EnvFilter;

use amfit::app::{self, AppState};
use amfit::config::{Command, Config};
use amfit::domain::demo::demo_companies;
use amfit::store::{self, Store, redact_url};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("amfit=info,tower_http=info")),
        )
        .init();
    let config = Config::parse();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("amfit: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let database = redact_url(&config.database_url);
    let store = store::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database at {database}"))?;
    tracing::info!(%database, "database ready");
    match config.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config, store).await,
        Command::Migrate => Ok(()),
        Command::Demo => demo(store.as_ref()).await,
    }
}

async fn serve(config: Config, store: std::sync::Arc<dyn Store>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    app::serve(listener, AppState::new(store), app::shutdown_signal()).await?;
    Ok(())
}

async fn demo(store: &dyn Store) -> anyhow::Result<()> {
    anyhow::ensure!(store.is_empty().await?, "the database already has data; `amfit demo` only fills an empty one");
    for (company, profile) in demo_companies(chrono::Utc::now().date_naive()) {
        let company = store.create_company(&company).await?;
        store.create_profile(company.id, &profile).await?;
        println!("created {} with the profile {:?}", company.details.name, profile.title);
    }
    Ok(())
}
