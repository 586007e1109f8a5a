//! Command line and environment: one place that says how amfit is configured.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use ipnet::IpNet;
use lettre::message::Mailbox;

use crate::domain::retention::RetentionPolicy;
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

    /// A folder with a rubric to use instead of the built-in one: weights.toml,
    /// competencies/*.toml, anchor_words.toml and wording/*.toml (`amfit rubrics export`
    /// writes the built-in one out to start from).
    #[arg(long, env = "AMFIT_RUBRICS", global = true)]
    pub rubrics: Option<PathBuf>,

    /// Minutes a signed-in session may stay idle before it ends.
    #[arg(long, env = "AMFIT_SESSION_IDLE_MINUTES", default_value_t = 480, value_parser = clap::value_parser!(u32).range(1..=43_200), global = true)]
    pub session_idle_minutes: u32,

    /// Days a session lives after sign-in, however active (1 to 90); then the user signs in again.
    #[arg(long, env = "AMFIT_SESSION_MAX_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=90), global = true)]
    pub session_max_days: u16,

    /// Months to keep a candidate who was not hired, after their last application closed (1 to
    /// 36); after that their personal data is anonymised. A talent-pool consent keeps them longer.
    #[arg(long, env = "AMFIT_RETENTION_MONTHS", default_value_t = RetentionPolicy::default(), global = true)]
    pub retention_months: RetentionPolicy,

    /// Mark the session cookie Secure; turn on when amfit is served over https.
    #[arg(long, env = "AMFIT_SECURE_COOKIES", global = true)]
    pub secure_cookies: bool,

    /// Reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For header
    /// names the client for login throttling. None by default: the connection's peer is the client.
    #[arg(long, env = "AMFIT_TRUSTED_PROXY", value_delimiter = ',', value_parser = parse_network, global = true)]
    pub trusted_proxy: Vec<IpNet>,

    /// Seconds the requests in flight get to finish after SIGTERM or Ctrl-C; then the
    /// connections still open are closed and the process exits.
    #[arg(long, env = "AMFIT_SHUTDOWN_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..=3600), global = true)]
    pub shutdown_seconds: u16,

    /// PostgreSQL: the connections this instance keeps at most (all instances together must
    /// stay within the server's max_connections).
    #[arg(long, env = "AMFIT_DATABASE_MAX_CONNECTIONS", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub database_max_connections: u32,

    /// PostgreSQL: seconds a request waits for a free connection before it is answered 503.
    #[arg(long, env = "AMFIT_DATABASE_ACQUIRE_SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=300), global = true)]
    pub database_acquire_seconds: u16,

    /// PostgreSQL: seconds one statement may run before the server cancels it and the request
    /// is answered 503 (1 to 3600); without it, the server's statement_timeout holds.
    #[arg(long, env = "AMFIT_DATABASE_STATEMENT_SECONDS", value_parser = clap::value_parser!(u16).range(1..=3600), global = true)]
    pub database_statement_seconds: Option<u16>,

    /// How the log (on standard error) is written: text for people, or json, one object a
    /// line, for a log collector. Colours only when it goes to a terminal.
    #[arg(long, env = "AMFIT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Seconds a request's body (an application with its documents, a form, a JSON document)
    /// may take to arrive in full; a body still arriving then is cut off with 408 and its
    /// connection closed, so that slow or stalled uploads cannot hold the server's connections.
    #[arg(long, env = "AMFIT_REQUEST_BODY_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u16).range(1..=3600), global = true)]
    pub request_body_seconds: u16,

    /// The mail server amfit sends through: smtp://HOST[:PORT] (STARTTLS when offered),
    /// smtp://HOST:PORT?tls=starttls (STARTTLS required) or smtps://HOST[:PORT] (TLS), with
    /// USER:PASSWORD@ before the host when it asks for them. Without it, mail stays queued.
    // Read as text and parsed when the server starts: clap would repeat a refused value, and
    // with it the password, in its message.
    #[arg(long, env = "AMFIT_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Where people reach amfit, as its links in mail (an invitation, a password reset) start:
    /// http(s)://HOST[:PORT][/PATH]. Default: http:// and the --bind address (localhost for
    /// an address of every interface).
    #[arg(long, env = "AMFIT_PUBLIC_URL", value_parser = parse_public_url, global = true)]
    pub public_url: Option<url::Url>,

    /// The sender of amfit's mail, as "Name <address>" or an address.
    #[arg(long, env = "AMFIT_MAIL_FROM", value_parser = clap::value_parser!(Mailbox), global = true)]
    pub mail_from: Option<Mailbox>,

    /// A token that a scrape of /metrics must send as "Authorization: Bearer TOKEN" (at least
    /// 16 characters); without it, /metrics is open to whoever reaches the port.
    #[arg(long, env = "AMFIT_METRICS_TOKEN", value_parser = parse_metrics_token, global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A metrics token: long enough not to be guessed, and sendable in a header as it is.
fn parse_metrics_token(text: &str) -> Result<String, String> {
    if text.chars().count() < 16 {
        return Err("give a token of at least 16 characters".into());
    }
    if !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("give a token of visible ASCII characters, without spaces".into());
    }
    Ok(text.to_owned())
}

/// A public URL as `--public-url` takes it: http or https, with a host, without credentials,
/// a query or a fragment; ending in `/`, so that links are made by appending to it.
fn parse_public_url(text: &str) -> Result<url::Url, String> {
    let mut url = url::Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("give an http:// or https:// address with a host".into());
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
        return Err("give the address without a user, a query or a fragment".into());
    }
    if !url.path().ends_with('/') {
        url.set_path(&format!("{}/", url.path()));
    }
    Ok(url)
}

impl Config {
    /// How this instance uses a PostgreSQL server's connections.
    pub fn pool_settings(&self) -> crate::store::PoolSettings {
        crate::store::PoolSettings {
            max_connections: self.database_max_connections,
            acquire_timeout: std::time::Duration::from_secs(self.database_acquire_seconds.into()),
            statement_timeout: self
                .database_statement_seconds
                .map(|seconds| std::time::Duration::from_secs(seconds.into())),
        }
    }

    /// Where people reach amfit: `--public-url`, else http:// and the address it listens on.
    pub fn public_url(&self) -> url::Url {
        self.public_url.clone().unwrap_or_else(|| {
            let mut url = url::Url::parse(&format!("http://{}/", self.bind)).expect("an address makes a URL");
            if self.bind.ip().is_unspecified() {
                // Setting a host on an http URL cannot fail.
                let _ = url.set_host(Some("localhost"));
            }
            url
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the web app and the API (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Fill a database without companies with example data: a colleague in every role (their
    /// sign-ins printed once), three companies with a published ad and an interview panel each,
    /// and about forty candidates with CVs, interviews, scorecards, comments and decisions over
    /// the last weeks. Nothing is mailed: every address is reserved for examples.
    Demo,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Work with the rubric files.
    #[command(subcommand)]
    Rubrics(RubricsCommand),
    /// Anonymise every candidate whose retention period (or talent-pool consent) has ended, and
    /// say what was done. The server does this once a day by itself.
    Purge,
    /// Ask the server on --bind (127.0.0.1 for 0.0.0.0 or [::]) whether it is
    /// ready (`/readyz`), as a container's health check does: exits 0 when it is, else 1.
    Healthcheck,
    /// Copy every table (ids and versions kept; web sessions left out) from one database to
    /// another, SQLite to PostgreSQL or back. The target must be empty; both must be at this
    /// amfit's schema version. All or nothing: each table is read back from the target and
    /// compared with the source (rows and a SHA-256) before anything is committed.
    Copy {
        /// The database to copy: sqlite:PATH or postgres://…
        #[arg(long)]
        from: String,
        /// The empty database to copy into: postgres://… or sqlite:PATH
        #[arg(long)]
        to: String,
    },
    /// Write a consistent copy of the SQLite database to a new file, also while the server runs.
    Backup {
        /// The new file; it must not exist yet.
        path: PathBuf,
    },
    /// Import candidates from a file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Print a role profile's job ad: written afresh from the profile, or a saved version.
    Ad {
        /// The role profile's id.
        #[arg(long)]
        profile: i64,
        /// md, html (a whole document with its JSON-LD), text or jsonld
        #[arg(long, default_value = "md")]
        format: String,
        /// da or en; the profile's ad language when not given
        #[arg(long)]
        lang: Option<String>,
        /// informal (the default) or formal
        #[arg(long)]
        tone: Option<String>,
        /// A saved version's number
        #[arg(long)]
        version: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum ImportCommand {
    /// Import candidates from a CSV file (columns: name, email, phone, source, profile, stage,
    /// applied on; a comma or a semicolon between them): every row is checked first, and the
    /// file is imported whole or not at all. Each row's problems are printed by its line.
    Candidates {
        file: PathBuf,
        /// The role profile (its id) of rows that name none.
        #[arg(long)]
        profile: Option<i64>,
        /// Check and print what would be imported, and import nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum RubricsCommand {
    /// Check the rubric (default: the --rubrics folder, else the built-in rubric) as the
    /// server does at start, and say which file, which item and why for every problem.
    Check { folder: Option<PathBuf> },
    /// Write the built-in rubric into a folder (made if missing), to edit and use with
    /// --rubrics; nothing is written if a file of it is there already.
    Export { folder: PathBuf },
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input (without echo on a terminal).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, recruiter, hiring_manager or interviewer
        #[arg(long)]
        role: String,
    },
    /// Set a user's password, read from standard input (without echo on a terminal), with the
    /// same rules as everywhere; every session the user has ends.
    Password {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it; it is shown this once and stored only as a hash.
    Create {
        #[arg(long)]
        email: String,
        /// Days the token stays valid (1 to 3650); without it, until revoked.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=3650))]
        expires_in_days: Option<u16>,
    },
    /// List every token: id, user, when made, until when valid, whether revoked (never the token).
    List,
    /// Revoke an API token by the id printed when it was created.
    Revoke {
        #[arg(long)]
        id: i64,
    },
}

/// An address (one host) or a CIDR range.
fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR range such as 10.0.0.0/8"))
}

impl fmt::Debug for Config {
    /// Never prints the database password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("rubrics", &self.rubrics)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_max_days", &self.session_max_days)
            .field("retention_months", &self.retention_months)
            .field("secure_cookies", &self.secure_cookies)
            .field("trusted_proxy", &self.trusted_proxy)
            .field("log_format", &self.log_format)
            .field("database_max_connections", &self.database_max_connections)
            .field("database_acquire_seconds", &self.database_acquire_seconds)
            .field("shutdown_seconds", &self.shutdown_seconds)
            .field("request_body_seconds", &self.request_body_seconds)
            .field("public_url", &self.public_url)
            .field("command", &self.command)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_is_an_http_address_ending_in_a_slash_or_the_bind_address() {
        let given = Config::parse_from(["amfit", "--public-url", "https://hr.example.dk/amfit"]);
        assert_eq!(given.public_url().as_str(), "https://hr.example.dk/amfit/");
        let everywhere = Config::parse_from(["amfit", "--bind", "0.0.0.0:8080"]);
        assert_eq!(everywhere.public_url().as_str(), "http://localhost:8080/");
        let v6 = Config::parse_from(["amfit", "--bind", "[::1]:3000"]);
        assert_eq!(v6.public_url().as_str(), "http://[::1]:3000/");
        for wrong in
            ["ftp://hr.example.dk", "https://user:pw@hr.example.dk", "https://hr.example.dk/?next=x", "hr.example.dk"]
        {
            assert!(Config::try_parse_from(["amfit", "--public-url", wrong]).is_err(), "{wrong}");
        }
    }

    #[test]
    fn debug_output_hides_the_database_password() {
        let config =
            Config::parse_from(["amfit", "--database-url", "postgres://amfit:hunter2hunter2@db/amfit", "migrate"]);
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert_eq!(config.command, Some(Command::Migrate));
    }

    #[test]
    fn the_retention_period_is_1_to_36_months() {
        assert_eq!(Config::parse_from(["amfit"]).retention_months.length_in_months(), 6);
        let config = Config::parse_from(["amfit", "--retention-months", "36", "purge"]);
        assert_eq!(config.retention_months.length_in_months(), 36);
        for months in ["0", "-1", "37", "1000", "six"] {
            let error = Config::try_parse_from(["amfit", &format!("--retention-months={months}"), "purge"])
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains("from 1 to 36"), "{months}: {error}");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let config = Config::parse_from(["amfit", "--trusted-proxy", "10.0.0.0/8, 192.0.2.1,::1"]);
        let shown: Vec<String> = config.trusted_proxy.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.0.2.1/32", "::1/128"]);
        assert!(Config::parse_from(["amfit"]).trusted_proxy.is_empty(), "none unless configured");
        let error = Config::try_parse_from(["amfit", "--trusted-proxy", "proxy.local"]).err().unwrap().to_string();
        assert!(error.contains("neither an IP address nor a CIDR range"), "{error}");
    }

    #[test]
    fn serving_is_the_default() {
        let config = Config::parse_from(["amfit"]);
        assert_eq!(config.command, None);
        assert_eq!(config.bind.port(), 3000);
    }
}
