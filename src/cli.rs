//! The commands of the `amfit` binary, behind the thin `main.rs`.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tower_sessions::ExpiredDeletion;

use crate::app::{self, AppState, SessionSettings};
use crate::auth::AuthState;
use crate::config::{Command, Config, ImportCommand, RubricsCommand, TokenCommand, UserCommand};
use crate::domain::Labelled;
use crate::domain::ad::AdQuery;
use crate::domain::audit::{Agent, AuditDetail};
use crate::domain::rubric::Rubric;
use crate::domain::user::{User, UserInput};
use crate::domain::wording::WordingRules;
use crate::error::AppError;
use crate::i18n::{I18n, Lang};
use crate::rubrics::{self, RubricSource};
use crate::service::audit::Actor;
use crate::service::import::ImportSource;
use crate::service::{ads as job_ads, demo, import, retention, users};
use crate::store::{self, SessionBackend, Store, StoreError, TokenOverview, redact_url};

/// Opens (and migrates) the store, then runs the configured command.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let source = RubricSource::of(config.rubrics.as_deref());
    match &config.command {
        Some(Command::Rubrics(RubricsCommand::Check { folder })) => {
            let source = folder.as_deref().map_or(source, |folder| RubricSource::Folder(folder.to_owned()));
            let rubric = rubrics::load(&source)?;
            rubrics::load_wording(&source)?;
            println!(
                "{source}: {} competencies, {} weight rules, version {}; wording lists for en and da",
                rubric.competencies.len(),
                rubric.rules.len(),
                rubric.version
            );
            return Ok(());
        }
        Some(Command::Healthcheck) => return healthcheck(config.bind).await,
        Some(Command::Copy { from, to }) => {
            // Stop the servers first: what is written after the copy began is not in it.
            let report = store::copy(from, to).await?;
            print!("{report}");
            return Ok(());
        }
        Some(Command::Rubrics(RubricsCommand::Export { folder })) => {
            let written = rubrics::export(folder)?;
            println!("{} files of the built-in rubric written to {}", written.len(), folder.display());
            return Ok(());
        }
        _ => {}
    }
    // A server with a broken rubric would score against it: refuse to start instead.
    let rules = match config.command {
        None | Some(Command::Serve | Command::Ad { .. } | Command::Demo) => {
            tracing::info!(rubric = %source, "the rubric and wording lists used");
            Some((Arc::new(rubrics::load(&source)?), Arc::new(rubrics::load_wording(&source)?)))
        }
        _ => None,
    };
    let database = redact_url(&config.database_url);
    let store = store::connect_with(&config.database_url, config.pool_settings())
        .await
        .with_context(|| format!("cannot open the database at {database}"))?;
    tracing::info!(%database, "database ready");
    match config.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => {
            let (rubric, wording) = rules.context("the rubric is loaded before serving")?;
            serve(&config, store, rubric, wording).await
        }
        Command::Migrate => Ok(()),
        Command::Backup { path } => {
            store.backup(&path).await?;
            let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or_default();
            println!("backed up {database} to {} ({bytes} bytes)", path.display());
            Ok(())
        }
        Command::Purge => {
            print!("{}", retention::purge(store.as_ref(), config.retention_months, chrono::Utc::now()).await?);
            Ok(())
        }
        Command::Demo => {
            let (rubric, _) = rules.context("the rubric is loaded before making the demo")?;
            for line in demo::fill(store.as_ref(), &rubric, chrono::Utc::now()).await? {
                println!("{line}");
            }
            Ok(())
        }
        Command::User(UserCommand::Add { email, name, role }) => {
            let input =
                UserInput { email: Some(email), name: Some(name), role: Some(role), password: Some(read_password()?) };
            let user = add_user(store.as_ref(), &input).await?;
            println!("added {} <{}> as {}", user.name, user.email, user.role.as_str());
            Ok(())
        }
        Command::User(UserCommand::Password { email }) => {
            let user = set_password(store.as_ref(), &email, &read_password()?).await?;
            println!("password set for {} <{}>; their sessions have ended", user.name, user.email);
            Ok(())
        }
        Command::Token(TokenCommand::Create { email, expires_in_days }) => {
            let (id, token) = create_token(store.as_ref(), &email, expires_in_days).await?;
            let until = match expires_in_days {
                Some(days) => format!("valid for {days} days"),
                None => "valid until revoked".to_owned(),
            };
            println!("token {id} for {email}, {until} (shown this once; keep it secret):\n{token}");
            Ok(())
        }
        Command::Token(TokenCommand::List) => {
            print!("{}", token_table(&store.list_tokens().await?, chrono::Utc::now()));
            Ok(())
        }
        Command::Rubrics(_) | Command::Healthcheck | Command::Copy { .. } => Ok(()),
        Command::Ad { profile, format, lang, tone, version } => {
            let (rubric, _) = rules.context("the rubric is loaded before writing an ad")?;
            let query = AdQuery { format: Some(format), language: lang, tone, version };
            let ad = write_ad(store.as_ref(), &rubric, profile, &query).await?;
            // JSON-LD ends without a newline; a terminal prompt should not follow it on its line.
            if ad.ends_with('\n') {
                print!("{ad}")
            } else {
                println!("{ad}")
            }
            Ok(())
        }
        Command::Import(ImportCommand::Candidates { file, profile, dry_run }) => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            print!("{}", import_candidates(store.as_ref(), &bytes, profile, dry_run).await?);
            Ok(())
        }
        Command::Token(TokenCommand::Revoke { id }) => {
            let actor = Actor::Command(Agent::TokenRevokeCommand);
            crate::service::tokens::revoke_any(store.as_ref(), actor, id).await.map_err(|e| match e {
                AppError::NotFound => anyhow::anyhow!("there is no unrevoked token {id}"),
                other => other.into(),
            })?;
            println!("token {id} revoked");
            Ok(())
        }
    }
}

/// A profile's ad as `amfit ad` prints it; every rejected option is named.
pub async fn write_ad(store: &dyn Store, rubric: &Rubric, profile_id: i64, query: &AdQuery) -> anyhow::Result<String> {
    let english = I18n::new(Lang::En);
    let request = query.parse(None).map_err(|errors| {
        let reasons: Vec<_> =
            errors.iter().map(|e| format!("--{}: {}", option_of(&e.field), english.problem(&e.problem))).collect();
        anyhow::anyhow!("cannot write the ad: {}", reasons.join("; "))
    })?;
    let ad = job_ads::load(store, rubric, profile_id, &request).await.map_err(|e| match e {
        StoreError::NotFound => match request.version {
            Some(number) => anyhow::anyhow!("there is no role profile {profile_id} with a saved ad version {number}"),
            None => anyhow::anyhow!("there is no role profile {profile_id}"),
        },
        other => other.into(),
    })?;
    for item in &ad.missing {
        eprintln!("note: the profile lacks {}", english.t(&item.label_key()).to_lowercase());
    }
    Ok(ad.write(request.format, chrono::Utc::now().date_naive()))
}

/// The command-line option a query field comes from.
fn option_of(field: &str) -> &str {
    if field == "language" { "lang" } else { field }
}

/// The password for `amfit user add`: typed without echo at a terminal, else one line of
/// standard input (so scripts can pipe it).
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password("Password: ")?);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

/// Adds a user with the same rules as the admin page; every rejected field is named.
pub async fn add_user(store: &dyn Store, input: &UserInput) -> anyhow::Result<User> {
    let actor = Actor::Command(Agent::UserAddCommand);
    users::add(store, actor, input).await.map_err(|error| refusal("cannot add the user", error, true))
}

/// Sets the password of the user with this email, as `amfit user password` does: the rules
/// of every other password form, their sessions ended, an entry on the audit trail.
pub async fn set_password(store: &dyn Store, email: &str, new_password: &str) -> anyhow::Result<User> {
    let email = email.trim().to_lowercase();
    let Some((user, _)) = store.find_login(&email).await? else {
        anyhow::bail!("there is no user with the email address {email}");
    };
    let actor = Actor::Command(Agent::UserPasswordCommand);
    users::set_password(store, actor, &user, new_password.to_owned(), AuditDetail::PasswordSetOnServer)
        .await
        .map_err(|error| refusal("cannot set the password", error, false))
}

/// What `amfit import candidates` prints: the rows' problems by line (and nothing imported), or
/// what was (or, with `dry_run`, would be) imported.
pub async fn import_candidates(
    store: &dyn Store,
    bytes: &[u8],
    profile: Option<i64>,
    dry_run: bool,
) -> anyhow::Result<String> {
    let preview = import::preview(store, ImportSource::Csv(bytes), profile)
        .await
        .map_err(|e| refusal("cannot import the file", e, true))?;
    let english = I18n::new(Lang::En);
    let mut problems = Vec::new();
    for row in &preview.rows {
        for error in row.checked.as_ref().err().into_iter().flat_map(|errors| errors.iter()) {
            problems.push(format!("line {}, {}: {}", row.row.line, error.field, english.problem(&error.problem)));
        }
    }
    if !problems.is_empty() {
        anyhow::bail!("nothing imported; fix these and try again:\n{}", problems.join("\n"));
    }
    let known = preview.rows.iter().filter(|row| row.known_candidate.is_some()).count();
    let ignored = match preview.ignored_headers.as_slice() {
        [] => String::new(),
        headers => format!("; columns left out: {}", headers.join(", ")),
    };
    if dry_run {
        let rows = preview.rows.len();
        return Ok(format!(
            "{rows} row(s) ready, {known} of them for known candidates{ignored}; nothing imported (--dry-run)\n"
        ));
    }
    let actor = Actor::Command(Agent::ImportCommand);
    let imported = import::import(store, actor, ImportSource::Csv(bytes), profile)
        .await
        .map_err(|e| refusal("cannot import the file", e, true))?;
    Ok(format!(
        "imported {} application(s): {} new candidate(s), {known} known{ignored}\n",
        imported.applications, imported.new_candidates
    ))
}

/// A refused command as one line: what could not be done and, for invalid input, why, in
/// English, with the name of each rejected field when the command takes several.
fn refusal(what: &str, error: AppError, name_fields: bool) -> anyhow::Error {
    let AppError::Invalid(errors) = error else {
        return anyhow::Error::new(error).context(what.to_owned());
    };
    let english = I18n::new(Lang::En);
    let reason = |e: &crate::domain::input::FieldError| {
        let problem = english.problem(&e.problem);
        if name_fields { format!("{}: {problem}", e.field) } else { problem }
    };
    let reasons: Vec<_> = errors.iter().map(reason).collect();
    anyhow::anyhow!("{what}: {}", reasons.join("; "))
}

/// The tokens as `amfit token list` prints them, a line each.
fn token_table(tokens: &[TokenOverview], now: chrono::DateTime<chrono::Utc>) -> String {
    if tokens.is_empty() {
        return "no API tokens\n".to_owned();
    }
    let day = |at: &chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d").to_string();
    tokens
        .iter()
        .map(|t| {
            let state = match (t.revoked_at, t.expires_at) {
                (Some(revoked), _) => format!("revoked {}", day(&revoked)),
                (None, Some(expires)) if expires <= now => format!("expired {}", day(&expires)),
                (None, Some(expires)) => format!("valid until {}", day(&expires)),
                (None, None) => "valid until revoked".to_owned(),
            };
            format!("{}\t{}\tmade {}\t{state}\n", t.id, t.user_email, day(&t.created_at))
        })
        .collect()
}

/// Creates an API token for the active user with this email, valid for `expires_in_days` if
/// given; returns its id and the token.
pub async fn create_token(
    store: &dyn Store,
    email: &str,
    expires_in_days: Option<u16>,
) -> anyhow::Result<(i64, String)> {
    let email = email.trim().to_lowercase();
    let user = match store.find_login(&email).await? {
        Some((user, _)) if user.active => user,
        Some(_) => anyhow::bail!("the user {email} is deactivated"),
        None => anyhow::bail!("there is no user with the email address {email}"),
    };
    let made = crate::service::tokens::create(store, Actor::Command(Agent::TokenCreateCommand), &user, expires_in_days)
        .await?;
    Ok((made.id, made.token))
}

async fn serve(
    config: &Config,
    store: Arc<dyn Store>,
    rubric: Arc<Rubric>,
    wording: Arc<WordingRules>,
) -> anyhow::Result<()> {
    let mailer = mailer_of(config)?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    tracing::info!(version = %rubric.version, competencies = rubric.competencies.len(), "rubric loaded");
    let pruned = store
        .prune_panels(&rubric.competency_ids())
        .await
        .context("cannot check the interview panels against the rubric")?;
    if pruned > 0 {
        tracing::warn!(
            members = pruned,
            "interview panels rated competencies the rubric no longer has; those were taken off"
        );
    }
    let shutdown = app::shutdown_signal();
    tracing::info!("serving on http://{}", listener.local_addr()?);
    spawn_expired_session_cleanup(store.session_backend());
    crate::webhooks::spawn_sender(store.clone());
    let sends_mail = match mailer {
        Some(mailer) => {
            crate::mail::spawn_sender(store.clone(), mailer);
            true
        }
        None => false,
    };
    let mut state = AppState::new(store, rubric, wording);
    state.sends_mail = sends_mail;
    state.public_url = config.public_url();
    state.metrics_token = config.metrics_token.as_deref().map(Arc::from);
    retention::spawn_daily_purge(state.store.clone(), config.retention_months, state.metrics.clone());
    crate::service::notifications::spawn_morning_run(state.clone());
    if sends_mail && config.public_url.is_none() {
        tracing::warn!(
            public_url = %state.public_url,
            "--public-url is not set: links in mail (invitations, new passwords) lead to the address amfit listens on"
        );
    }
    state.retention = config.retention_months;
    state.shutdown_deadline = Duration::from_secs(u64::from(config.shutdown_seconds));
    state.request_body_time = Duration::from_secs(u64::from(config.request_body_seconds));
    state.auth = Arc::new(AuthState { trusted_proxies: config.trusted_proxy.clone(), ..AuthState::default() });
    state.sessions = SessionSettings {
        idle_timeout: Duration::from_secs(u64::from(config.session_idle_minutes) * 60),
        absolute_lifetime: Duration::from_secs(u64::from(config.session_max_days) * 24 * 60 * 60),
        secure: config.secure_cookies,
    };
    app::serve(listener, state, shutdown).await?;
    Ok(())
}

/// The mail server and sender `--smtp-url` and `--mail-from` name; `None` without a server,
/// when letters wait in the outbox. A bad URL stops the server before it listens.
fn mailer_of(config: &Config) -> anyhow::Result<Option<crate::mail::Mailer>> {
    let Some(url) = &config.smtp_url else {
        tracing::info!("no mail server (--smtp-url): letters are kept in the outbox, not sent");
        return Ok(None);
    };
    let server: crate::domain::mail::MailServer = url.parse()?;
    let Some(from) = &config.mail_from else {
        anyhow::bail!("--smtp-url needs --mail-from: the address amfit's mail comes from");
    };
    let transport = crate::mail::transport(&server).context("cannot use the mail server")?;
    tracing::info!(server = ?server, from = %from, "sending mail");
    Ok(Some(crate::mail::Mailer { from: from.clone(), transport }))
}

/// Deletes expired sessions once an hour; an expired session is refused anyway, this only
/// keeps the table small.
fn spawn_expired_session_cleanup(sessions: SessionBackend) {
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(Duration::from_secs(60 * 60));
        loop {
            hourly.tick().await;
            if let Err(error) = sessions.delete_expired().await {
                tracing::warn!(%error, "cannot delete expired sessions");
            }
        }
    });
}

/// How long `amfit healthcheck` waits for the server's answer.
const HEALTHCHECK_WAIT: Duration = Duration::from_secs(10);

/// Asks the server listening on `bind` whether it is ready: Ok when `/readyz` answers 200.
async fn healthcheck(bind: std::net::SocketAddr) -> anyhow::Result<()> {
    use http_body_util::BodyExt as _;
    let uri: hyper::Uri = format!("http://{}/readyz", reachable_address(bind)).parse()?;
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Empty<bytes::Bytes>>();
    let response = tokio::time::timeout(HEALTHCHECK_WAIT, client.get(uri.clone()))
        .await
        .with_context(|| format!("{uri} did not answer within {} s", HEALTHCHECK_WAIT.as_secs()))?
        .with_context(|| format!("cannot reach {uri}"))?;
    let status = response.status();
    let body = tokio::time::timeout(HEALTHCHECK_WAIT, response.into_body().collect()).await;
    let body = body.ok().and_then(Result::ok).map(|body| body.to_bytes()).unwrap_or_default();
    anyhow::ensure!(status.is_success(), "{uri} answered {status}: {}", String::from_utf8_lossy(&body));
    println!("{uri}: ready");
    Ok(())
}

/// The address to reach a server bound to `bind` at: 127.0.0.1 for one bound to every
/// interface (`[::]` takes IPv4 too, and a container may have no IPv6 at all).
fn reachable_address(bind: std::net::SocketAddr) -> std::net::SocketAddr {
    if bind.ip().is_unspecified() {
        return (std::net::Ipv4Addr::LOCALHOST, bind.port()).into();
    }
    bind
}
