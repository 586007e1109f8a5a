//! How every API error answers: an RFC 9457 problem document in the language the request asked
//! for, with the request id that the log carries.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::input::Problem;
use crate::error::ErrorReport;
use crate::i18n::I18n;

/// An RFC 9457 problem document.
#[derive(Serialize, ToSchema)]
pub struct ProblemDocument {
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every rejected field, for 422.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// The version the record has now, for 409.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// The id under which the server logged this request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
    /// The reason as a sentence, in the language the request asked for.
    pub message: String,
}

/// The problem document answering `report`, as `application/problem+json`.
pub fn problem_response(report: &ErrorReport, status: StatusCode, i18n: I18n, request_id: Option<&str>) -> Response {
    let body = ProblemDocument {
        kind: "about:blank".into(),
        title: report.title(i18n),
        status: status.as_u16(),
        detail: report.explanation(i18n),
        errors: report
            .fields
            .iter()
            .map(|e| FieldProblem {
                field: e.field.clone(),
                problem: e.problem.clone(),
                message: i18n.problem(&e.problem),
            })
            .collect(),
        current_version: report.current_version,
        request_id: request_id.map(str::to_owned),
    };
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}
