//! PostgreSQL, for deployments where several app instances share one database.

use std::str::FromStr as _;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use super::StoreError;
use super::ad_sql::impl_ad_store;
use super::application_sql::impl_application_store;
use super::audit_sql::impl_audit_store;
use super::cache::SharedRead;
use super::candidate_sql::impl_candidate_store;
use super::comment_sql::impl_comment_store;
use super::duplicate_sql::impl_duplicate_store;
use super::idempotency_sql::impl_idempotency_store;
use super::intake_sql::impl_intake_store;
use super::interview_sql::impl_interview_store;
use super::letter_template_sql::impl_letter_template_store;
use super::notification_sql::impl_notification_store;
use super::outbox_sql::impl_outbox_store;
use super::publication_sql::impl_publication_store;
use super::report_sql::impl_report_store;
use super::retention_sql::impl_retention_store;
use super::sql::impl_store;
use super::user_sql::impl_account_store;
use super::webhook_sql::impl_webhook_store;
use super::{PoolSettings, StoreResult};

pub struct PgStore {
    pub(super) pool: PgPool,
    revisions: SharedRead<i64>,
}

impl PgStore {
    pub(super) const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

    /// Connects as `url` says, with TLS when its `sslmode` asks (`require`, `verify-ca`,
    /// `verify-full` with `sslrootcert`; `prefer`, the default, takes TLS when the server offers it).
    pub async fn connect(url: &str, settings: PoolSettings) -> StoreResult<Self> {
        let mut options = PgConnectOptions::from_str(url)?;
        if let Some(timeout) = settings.statement_timeout {
            // Sent with each connection's start, so that no statement of amfit's runs longer.
            options = options.options([("statement_timeout", format!("{}ms", timeout.as_millis()))]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(|error| tls_failure(&error).unwrap_or(StoreError::Database(error)))?;
        Ok(Self { pool, revisions: SharedRead::default() })
    }
}

/// A connection refused while setting up TLS, said so: rustls's own words ("invalid peer
/// certificate: UnknownIssuer") name neither TLS nor what to check.
fn tls_failure(error: &sqlx::Error) -> Option<StoreError> {
    let cause = error.to_string();
    // rustls's words for a server certificate that does not check out; a client certificate
    // the server asks for (pg_hba's `cert`) is another matter, with its own message.
    let about_tls = matches!(error, sqlx::Error::Tls(_)) || cause.contains("invalid peer certificate");
    about_tls.then(|| {
        StoreError::Tls(format!(
            "{cause}. Check sslmode, that sslrootcert names the CA that signed the server's certificate, \
             and (for verify-full) that the host is a name the certificate holds"
        ))
    })
}

// Braces, so that rustfmt leaves the items alone.
impl_store! {
    PgStore,
    fn session_backend(&self) -> SessionBackend {
        SessionBackend::Postgres(tower_sessions_sqlx_store::PostgresStore::new(self.pool.clone()))
    }
    async fn check_writable(&self) -> StoreResult<()> {
        self.probe_write().await
    }
    async fn backup(&self, _to: &std::path::Path) -> StoreResult<()> {
        Err(StoreError::Backup(
            "amfit copies SQLite databases only; for PostgreSQL use its own tool: \
             pg_dump --format=custom --file=PATH \"$DATABASE_URL\" (and pg_restore to restore)"
                .to_owned(),
        ))
    }
}
impl_account_store!(PgStore);
impl_candidate_store!(PgStore);
impl_retention_store!(PgStore);
impl_application_store!(PgStore);
impl_interview_store!(PgStore);
impl_ad_store!(PgStore);
impl_audit_store!(PgStore);
impl_idempotency_store!(PgStore);
impl_publication_store!(PgStore);
impl_intake_store!(PgStore);
impl_duplicate_store!(PgStore);
impl_outbox_store!(PgStore);
impl_letter_template_store!(PgStore);
impl_webhook_store!(PgStore);
impl_notification_store!(PgStore);
impl_comment_store!(PgStore);
impl_report_store!(PgStore);
