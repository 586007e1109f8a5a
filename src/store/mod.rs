//! The only door to stored data: the [`Store`] trait, with an SQLite and a PostgreSQL backend.

mod postgres;
mod rows;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::company::{Company, CompanyDetails};
use crate::domain::profile::{ProfileDetails, RoleProfile};

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such record")]
    NotFound,
    /// The record changed since the version the caller read; nothing was written.
    #[error("the record was changed by someone else (now at version {current_version})")]
    Conflict { current_version: i64 },
    #[error("stored data does not fit the domain: {0}")]
    Corrupt(String),
    #[error("database URL: {0}")]
    Url(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migration(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A company with how many role profiles it has, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyOverview {
    pub company: Company,
    pub profile_count: i64,
}

/// A role profile with its company's name, for lists across companies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileOverview {
    pub profile: RoleProfile,
    pub company_name: String,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Answers when the database does.
    async fn ping(&self) -> StoreResult<()>;
    /// Brings the schema to the newest version.
    async fn migrate(&self) -> StoreResult<()>;
    /// True when no company exists (and so nothing hangs off one).
    async fn is_empty(&self) -> StoreResult<bool>;

    async fn list_companies(&self) -> StoreResult<Vec<CompanyOverview>>;
    async fn get_company(&self, id: i64) -> StoreResult<Company>;
    async fn create_company(&self, details: &CompanyDetails) -> StoreResult<Company>;
    /// Writes only if the company is still at `expected_version`.
    async fn update_company(&self, id: i64, expected_version: i64, details: &CompanyDetails) -> StoreResult<Company>;
    /// Deletes the company and its role profiles.
    async fn delete_company(&self, id: i64) -> StoreResult<()>;

    async fn list_profiles(&self) -> StoreResult<Vec<ProfileOverview>>;
    async fn list_company_profiles(&self, company_id: i64) -> StoreResult<Vec<RoleProfile>>;
    async fn get_profile(&self, id: i64) -> StoreResult<RoleProfile>;
    /// Fails with [`StoreError::NotFound`] when the company does not exist.
    async fn create_profile(&self, company_id: i64, details: &ProfileDetails) -> StoreResult<RoleProfile>;
    /// Writes only if the profile is still at `expected_version`.
    async fn update_profile(
        &self,
        id: i64,
        expected_version: i64,
        details: &ProfileDetails,
    ) -> StoreResult<RoleProfile>;
    async fn delete_profile(&self, id: i64) -> StoreResult<()>;
}

/// Opens the store the URL's scheme names (`sqlite:` or `postgres:`/`postgresql:`) and
/// migrates it.
pub async fn connect(url: &str) -> StoreResult<Arc<dyn Store>> {
    let store: Arc<dyn Store> = match url.split_once(':').map(|(scheme, _)| scheme) {
        Some("sqlite") => Arc::new(SqliteStore::connect(url).await?),
        Some("postgres" | "postgresql") => Arc::new(PgStore::connect(url).await?),
        _ => {
            return Err(StoreError::Url(format!(
                "unsupported scheme in {}; use sqlite:PATH or postgres://…",
                redact_url(url)
            )));
        }
    };
    store.migrate().await?;
    Ok(store)
}

/// The URL with any password replaced, fit for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("********"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "<unparseable URL>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(redact_url("postgres://amfit:s3cret@db:5432/amfit"), "postgres://amfit:********@db:5432/amfit");
        assert_eq!(redact_url("sqlite:data/amfit.db"), "sqlite:data/amfit.db");
        assert!(!redact_url("postgres://a:s3cret@c d/").contains("s3cret"));
    }
}
