//! The embedded default: one SQLite file, in WAL mode with foreign keys on.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use super::ad_sql::impl_ad_store;
use super::audit_sql::impl_audit_store;
use super::candidate_sql::impl_candidate_store;
use super::sql::impl_store;
use super::user_sql::impl_account_store;
use super::{StoreError, StoreResult};

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

    /// Opens (creating it and its folder if need be) the database file the URL names.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Deleted and overwritten content is zeroed in the file, not left in free space:
            // an erased candidate must not be readable from the database file either.
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(5));
        if let Some(folder) = options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|e| StoreError::Url(format!("cannot create {}: {e}", folder.display())))?;
        }
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        Ok(Self { pool })
    }
}

// Braces, so that rustfmt leaves the items alone.
impl_store! {
    SqliteStore,
    fn session_backend(&self) -> SessionBackend {
        SessionBackend::Sqlite(tower_sessions_sqlx_store::SqliteStore::new(self.pool.clone()))
    }
    // VACUUM INTO reads one snapshot of the database (WAL lets writers go on meanwhile) and
    // writes it compacted to a new file.
    async fn backup(&self, to: &std::path::Path) -> StoreResult<()> {
        if to.exists() {
            return Err(StoreError::Backup(format!("{} exists already; name a new file", to.display())));
        }
        let path = to.to_str().ok_or_else(|| StoreError::Backup(format!("{} is not a UTF-8 path", to.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await
            .map_err(|error| StoreError::Backup(format!("cannot write {}: {error}", to.display())))?;
        Ok(())
    }
}
impl_account_store!(SqliteStore);
impl_candidate_store!(SqliteStore);
impl_ad_store!(SqliteStore);
impl_audit_store!(SqliteStore);
