//! The embedded default: one SQLite file, in WAL mode with foreign keys on.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

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
use super::{StoreError, StoreResult, WRITE_WAIT};

/// The size (bytes) the write-ahead log is cut back to after a checkpoint: a few times the
/// 1,000 pages (4 MiB) at which SQLite checkpoints on its own.
pub const WAL_SIZE_LIMIT: u64 = 8 * 1024 * 1024;

/// Free space below which the database's disk counts as full for readiness: a write that
/// needs new pages, or a checkpoint, would fail soon, although a small probe may still fit
/// in space the log file holds already.
pub const MIN_FREE_DISK: u64 = 1024 * 1024;

pub struct SqliteStore {
    pub(super) pool: SqlitePool,
    /// The database file.
    path: PathBuf,
    revisions: SharedRead<i64>,
}

impl SqliteStore {
    pub(super) const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

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
            // After a checkpoint has copied the log back, the log file is cut to this size, so
            // that a burst of writes does not leave it large for good.
            .pragma("journal_size_limit", WAL_SIZE_LIMIT.to_string())
            .busy_timeout(WRITE_WAIT);
        if let Some(folder) = options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|e| StoreError::File(format!("cannot create {}: {e}", folder.display())))?;
        }
        let path = options.get_filename().to_owned();
        owner_only(&path)?;
        // A connection that comes back to the pool still counted inside a transaction is
        // closed, not reused. When SQLite has rolled a failed transaction back by itself (a
        // full disk does that), sqlx's ROLLBACK fails and its count stays at one: the next
        // "BEGIN" on that connection would be a SAVEPOINT inside a transaction that never
        // ends, whose "COMMIT" writes nothing and whose lock keeps every other writer out.
        // Closing rolls back whatever is open; the pool opens a fresh connection.
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .after_release(|connection, _| Box::pin(async move { Ok(!connection.is_in_transaction()) }))
            // The full-text index is opened first thing. Opened instead while SQLite compiles a
            // statement whose triggers write to it (deleting a candidate cascades there), it
            // made that statement fail, now and then, with "no such table" for the statement's
            // own table. Before the migrations have made the index, there is nothing to open.
            .after_connect(|connection, _| {
                Box::pin(async move {
                    let _ = sqlx::query("SELECT rowid FROM candidate_words_index WHERE 0").execute(connection).await;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { pool, path, revisions: SharedRead::default() })
    }
}

// Braces, so that rustfmt leaves the items alone.
impl_store! {
    SqliteStore,
    fn session_backend(&self) -> SessionBackend {
        SessionBackend::Sqlite(tower_sessions_sqlx_store::SqliteStore::new(self.pool.clone()))
    }
    async fn check_writable(&self) -> StoreResult<()> {
        self.probe_write().await?;
        let free = free_disk_space(&self.path)?;
        if free < MIN_FREE_DISK {
            return Err(StoreError::DiskFull { free });
        }
        Ok(())
    }
    // VACUUM INTO reads one snapshot of the database (WAL lets writers go on meanwhile) and
    // writes it compacted to a new file.
    /// Writes the copy to a temporary file beside `to` and renames it into place once it is
    /// complete and on disk: a backup killed half-way leaves no broken file under the name a
    /// restore would use, and the next backup to that name goes ahead.
    async fn backup(&self, to: &std::path::Path) -> StoreResult<()> {
        if to.exists() {
            return Err(StoreError::Backup(format!("{} exists already; name a new file", to.display())));
        }
        let cannot_write = |error: &dyn std::fmt::Display| StoreError::Backup(format!("cannot write {}: {error}", to.display()));
        let partial = partial_backup_path(to).ok_or_else(|| cannot_write(&"it names no file"))?;
        let partial_text =
            partial.to_str().ok_or_else(|| StoreError::Backup(format!("{} is not a UTF-8 path", to.display())))?;
        let written = sqlx::query("VACUUM INTO $1").bind(partial_text).execute(&self.pool).await;
        let placed = match written {
            Ok(_) => move_into_place(&partial, to),
            Err(error) => Err(cannot_write(&error)),
        };
        if placed.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        placed
    }
}

/// Where a backup to `to` is written until it is complete: a hidden file in the same folder
/// (so that the rename is atomic), named so that no two backups share it.
fn partial_backup_path(to: &Path) -> Option<PathBuf> {
    let name = to.file_name()?.to_str()?;
    Some(to.with_file_name(format!(".{name}.{}.partial", uuid::Uuid::new_v4().simple())))
}

/// Makes the complete copy at `partial` durable, then gives it the name `to` unless something
/// took that name meanwhile, and makes the new name durable too.
fn move_into_place(partial: &Path, to: &Path) -> StoreResult<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    let failed = |error: &dyn std::fmt::Display| StoreError::Backup(format!("cannot write {}: {error}", to.display()));
    std::fs::File::open(partial).and_then(|file| file.sync_all()).map_err(|e| failed(&e))?;
    let exists = || StoreError::Backup(format!("{} exists already; name a new file", to.display()));
    match renameat_with(CWD, partial, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => {}
        Err(rustix::io::Errno::EXIST) => return Err(exists()),
        // A file system without the flag (some network ones): a hard link refuses a taken name too.
        Err(rustix::io::Errno::INVAL) => {
            std::fs::hard_link(partial, to).map_err(|error| match error.kind() {
                std::io::ErrorKind::AlreadyExists => exists(),
                _ => failed(&error),
            })?;
            std::fs::remove_file(partial).map_err(|e| failed(&e))?;
        }
        Err(other) => return Err(failed(&other)),
    }
    let folder = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::File::open(folder).and_then(|folder| folder.sync_all()).map_err(|e| failed(&e))
}
impl_account_store!(SqliteStore);
impl_candidate_store!(SqliteStore);
impl_retention_store!(SqliteStore);
impl_application_store!(SqliteStore);
impl_interview_store!(SqliteStore);
impl_ad_store!(SqliteStore);
impl_audit_store!(SqliteStore);
impl_idempotency_store!(SqliteStore);
impl_publication_store!(SqliteStore);
impl_intake_store!(SqliteStore);
impl_duplicate_store!(SqliteStore);
impl_outbox_store!(SqliteStore);
impl_letter_template_store!(SqliteStore);
impl_webhook_store!(SqliteStore);
impl_notification_store!(SqliteStore);
impl_comment_store!(SqliteStore);
impl_report_store!(SqliteStore);

/// The bytes an unprivileged writer may still use on the file system that holds `file`.
fn free_disk_space(file: &Path) -> StoreResult<u64> {
    let folder = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let stats = rustix::fs::statvfs(folder).map_err(|e| StoreError::File(format!("{}: {e}", folder.display())))?;
    Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
}

/// Takes group and other access away from a database made before files were created that way
/// (and from its log and shared-memory files); new files get mode 0600 from the process umask.
fn owner_only(database: &Path) -> StoreResult<()> {
    use std::os::unix::fs::PermissionsExt;
    for suffix in ["", "-wal", "-shm"] {
        let mut file = database.as_os_str().to_owned();
        file.push(suffix);
        let file = Path::new(&file);
        match std::fs::metadata(file) {
            Ok(metadata) if metadata.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| StoreError::File(format!("cannot make {} private: {e}", file.display())))?;
            }
            _ => {}
        }
    }
    Ok(())
}
