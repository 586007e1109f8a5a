//! What the HTML pages and the JSON API share of HTTP: reading request bodies and ids from
//! paths. Neither adapter imports the other; both import this.

pub mod application_form;
pub mod body;
pub mod download;
pub mod path;
pub mod precondition;
pub mod spreadsheet;

pub use body::{ApiJson, HtmlForm};

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;

use crate::error::{AppError, AppResult};

/// The request's own path and query with `cursor` set to `cursor`, or left out for the first
/// page: the link to another page of the same list, its filters kept. A page's one-time
/// `notice` ("saved") is not carried on.
pub fn page_link(uri: &axum::http::Uri, cursor: Option<&str>) -> String {
    let kept = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .filter(|(key, _)| key != "cursor" && key != "notice");
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(kept);
    if let Some(cursor) = cursor {
        query.append_pair("cursor", cursor);
    }
    match query.finish() {
        query if query.is_empty() => uri.path().to_owned(),
        query => format!("{}?{query}", uri.path()),
    }
}

/// A query string read into `T`; one that is not even a query string is refused (400).
pub fn query<T>(query: Result<Query<T>, QueryRejection>) -> AppResult<T> {
    query.map(|Query(query)| query).map_err(|rejection| AppError::MalformedBody(rejection.body_text()))
}
pub use path::ResourceId;
