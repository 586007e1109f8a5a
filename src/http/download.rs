//! Answers that are files: a job ad in one of its formats.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::domain::ad::{AdFormat, AdQuery, AdRequest};
use crate::error::{AppError, AppResult};
use crate::service::ads::ProfileAd;

/// The ad a query string asks for; a query that is not even a query string is refused.
pub fn ad_request(query: Result<Query<AdQuery>, QueryRejection>) -> AppResult<AdRequest> {
    let Query(query) = query.map_err(|rejection| AppError::MalformedBody(rejection.body_text()))?;
    query.parse().map_err(AppError::Invalid)
}

/// The ad as a file of `format`; `disposition` is `inline` or `attachment`.
pub fn ad_download(ad: &ProfileAd, format: AdFormat, disposition: &str) -> Response {
    let body = ad.write(format, chrono::Utc::now().date_naive());
    let disposition = format!("{disposition}; filename=\"{}\"", ad.file_name(format));
    ([(CONTENT_TYPE, format.content_type().to_owned()), (CONTENT_DISPOSITION, disposition)], body).into_response()
}
