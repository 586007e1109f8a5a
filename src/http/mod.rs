//! What the HTML pages and the JSON API share of HTTP: reading request bodies and ids from
//! paths. Neither adapter imports the other; both import this.

pub mod body;
pub mod download;
pub mod path;
pub mod precondition;
pub mod spreadsheet;

pub use body::{ApiJson, HtmlForm};

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;

use crate::error::{AppError, AppResult};

/// A query string read into `T`; one that is not even a query string is refused (400).
pub fn query<T>(query: Result<Query<T>, QueryRejection>) -> AppResult<T> {
    query.map(|Query(query)| query).map_err(|rejection| AppError::MalformedBody(rejection.body_text()))
}
pub use path::ResourceId;
