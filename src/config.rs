//! Command line and environment: one place that says how amfit is configured.

use std::fmt;
use std::net::SocketAddr;

use clap::{Parser, Subcommand};

use crate::store::redact_url;

pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/amfit.db";

#[derive(Parser)]
#[command(name = "amfit", version, about = "Hire account managers: role profiles, anchored rubrics, fair job ads")]
pub struct Config {
    /// Where the data lives: sqlite:PATH (created on first start) or postgres://USER:PASSWORD@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,

    /// Address the web server listens on.
    #[arg(long, env = "AMFIT_BIND", default_value = "127.0.0.1:3000", global = true)]
    pub bind: SocketAddr,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the web app and the API (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Fill an empty database with three example companies and their role profiles.
    Demo,
}

impl fmt::Debug for Config {
    /// Never prints the database password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("command", &self.command)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_database_password() {
        let config =
            Config::parse_from(["amfit", "--database-url", "postgres://amfit:hunter2hunter2@db/amfit", "migrate"]);
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert_eq!(config.command, Some(Command::Migrate));
    }

    #[test]
    fn serving_is_the_default() {
        let config = Config::parse_from(["amfit"]);
        assert_eq!(config.command, None);
        assert_eq!(config.bind.port(), 3000);
    }
}
