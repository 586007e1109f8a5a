//! Answers that are files: a job ad in one of its formats, a candidate's data export.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::domain::ad::{AdFormat, AdQuery, AdRequest};
use crate::error::{AppError, AppResult};
use crate::service::ads::ProfileAd;
use crate::service::privacy::CandidateExport;

/// The ad a query string asks for; a query that is not even a query string is refused.
pub fn ad_request(query: Result<Query<AdQuery>, QueryRejection>) -> AppResult<AdRequest> {
    super::query(query)?.parse().map_err(AppError::Invalid)
}

/// The ad as a file of `format`; `disposition` is `inline` or `attachment`.
pub fn ad_download(ad: &ProfileAd, format: AdFormat, disposition: &str) -> Response {
    let body = ad.write(format, chrono::Utc::now().date_naive());
    let disposition = format!("{disposition}; filename=\"{}\"", ad.file_name(format));
    ([(CONTENT_TYPE, format.content_type().to_owned()), (CONTENT_DISPOSITION, disposition)], body).into_response()
}

/// The export as a file to save, named by the candidate's id (not their name).
pub fn export_file(export: &CandidateExport) -> AppResult<Response> {
    let body = serde_json::to_string_pretty(export).map_err(|e| AppError::Internal(e.into()))?;
    let file = format!("attachment; filename=\"amfit-candidate-{}.json\"", export.candidate.id);
    Ok(([(CONTENT_TYPE, "application/json".to_owned()), (CONTENT_DISPOSITION, file)], body).into_response())
}
