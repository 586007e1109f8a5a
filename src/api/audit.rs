//! `/api/v1/audit`: the audit trail for administrators, as JSON pages or one CSV file.

use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;

use super::ProblemDocument;
use super::listing::{page_of, paged};
use crate::app::AppState;
use crate::domain::audit::{AuditEntry, AuditFilter, AuditQuery};
use crate::domain::input::FieldParser;
use crate::domain::paging::PageQuery;
use crate::error::{AppError, AppResult};
use crate::http::{self, download};
use crate::service::audit;

page_of!(
    /// One page of the audit trail, newest first.
    AuditPage,
    AuditEntry
);

/// The filter a query string asks for; each bad condition is named.
fn filter_of(query: Result<Query<AuditQuery>, QueryRejection>) -> AppResult<AuditFilter> {
    http::query(query)?.parse().map_err(AppError::Invalid)
}

/// List the audit trail's entries
#[utoipa::path(get, path = "/audit", operation_id = "listAuditEntries", tag = "audit", params(AuditQuery, PageQuery),
    responses(
        (status = 200, description = "A page of the entries the filter selects, newest first", body = AuditPage),
        (status = 422, description = "A bad filter condition, `limit` or `cursor`, named", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    query: Result<Query<AuditQuery>, QueryRejection>,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let filter = filter_of(query)?;
    let mut p = FieldParser::default();
    let request = http::query(paging)?.parse(&mut p);
    let request = p.finish(request).map_err(AppError::Invalid)?;
    let page = audit::page(&state, &filter, request).await?;
    Ok(paged::<_, AuditPage>(&uri, page))
}

/// Export the audit trail's entries as CSV
#[utoipa::path(get, path = "/audit.csv", operation_id = "exportAuditEntries", tag = "audit", params(AuditQuery),
    responses(
        (status = 200, description = "Every entry the filter selects, newest first, as CSV (UTF-8 with a byte-order mark; no cell a spreadsheet would run as a formula)", content_type = "text/csv"),
        (status = 422, description = "A bad filter condition, named", body = ProblemDocument),
    ))]
pub async fn export(
    State(state): State<AppState>,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> AppResult<Response> {
    Ok(download::audit_csv(&state, filter_of(query)?))
}
