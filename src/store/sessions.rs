//! Web sessions in the application's own database (tower-sessions' sqlx stores), so that
//! several app instances on one PostgreSQL share them.

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session store of whichever backend the URL picked.
#[derive(Debug, Clone)]
pub enum SessionBackend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionBackend {
    pub async fn migrate(&self) -> sqlx::Result<()> {
        match self {
            Self::Sqlite(store) => store.migrate().await,
            Self::Postgres(store) => store.migrate().await,
        }
    }
}

/// Sessions are stored under a hash of their id, never the id the cookie carries, so that a
/// copy of the database (a backup) holds no session anyone could use.
#[async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let mut stored = stored_as(record);
            let wanted = stored.id;
            self.create_stored(&mut stored).await?;
            if stored.id == wanted {
                return Ok(());
            }
            // The inner store moved it to another id on a collision; that id hashes nothing
            // a cookie could carry, so it goes, and the session tries a new id of its own.
            self.delete_stored(&stored.id).await?;
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let stored = stored_as(record);
        match self {
            Self::Sqlite(store) => store.save(&stored).await,
            Self::Postgres(store) => store.save(&stored).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let hashed = hashed(id);
        let found = match self {
            Self::Sqlite(store) => store.load(&hashed).await?,
            Self::Postgres(store) => store.load(&hashed).await?,
        };
        Ok(found.map(|record| Record { id: *id, ..record }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.delete_stored(&hashed(id)).await
    }
}

impl SessionBackend {
    async fn create_stored(&self, stored: &mut Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.create(stored).await,
            Self::Postgres(store) => store.create(stored).await,
        }
    }

    async fn delete_stored(&self, stored_id: &Id) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.delete(stored_id).await,
            Self::Postgres(store) => store.delete(stored_id).await,
        }
    }
}

/// The record as it is stored: under the hash of its id.
fn stored_as(record: &Record) -> Record {
    Record { id: hashed(&record.id), ..record.clone() }
}

/// The first 128 bits of the id's SHA-256: as unguessable as the id, and no way back to it.
fn hashed(id: &Id) -> Id {
    let digest = Sha256::digest(id.0.to_le_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    Id(i128::from_le_bytes(first))
}

#[async_trait]
impl ExpiredDeletion for SessionBackend {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.delete_expired().await,
            Self::Postgres(store) => store.delete_expired().await,
        }
    }
}
