//! The commands of the `amfit` binary, behind the thin `main.rs`.

use std::sync::Arc;

use anyhow::Context;

use crate::app::{self, AppState};
use crate::config::{Command, Config};
use crate::domain::demo::demo_companies;
use crate::store::{self, Store, redact_url};

/// Opens (and migrates) the store, then runs the configured command.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let database = redact_url(&config.database_url);
    let store = store::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database at {database}"))?;
    tracing::info!(%database, "database ready");
    match config.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&config, store).await,
        Command::Migrate => Ok(()),
        Command::Demo => {
            for line in fill_with_demo_data(store.as_ref()).await? {
                println!("{line}");
            }
            Ok(())
        }
    }
}

async fn serve(config: &Config, store: Arc<dyn Store>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    app::serve(listener, AppState::new(store), app::shutdown_signal()).await?;
    Ok(())
}

/// Adds the demo companies and profiles to an empty store; returns what it created, a line
/// each. A store with data is left untouched.
pub async fn fill_with_demo_data(store: &dyn Store) -> anyhow::Result<Vec<String>> {
    anyhow::ensure!(store.is_empty().await?, "the database already has data; `amfit demo` only fills an empty one");
    let mut created = Vec::new();
    for (company, profile) in demo_companies(chrono::Utc::now().date_naive()) {
        let company = store.create_company(&company).await?;
        store.create_profile(company.id, &profile).await?;
        created.push(format!("created {} with the role profile {:?}", company.details.name, profile.title));
    }
    Ok(created)
}
