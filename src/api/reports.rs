//! `/api/v1/reports`: the funnel, time to hire and in each stage, sources and scorecard
//! turnaround, as the reports page shows them; and the same as CSV.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::{Extension, Json};

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::report::{Report, ReportQuery};
use crate::error::AppResult;
use crate::http::{self, download};
use crate::i18n::{I18n, Lang};
use crate::service::reports;

/// Read the hiring report
#[utoipa::path(get, path = "/reports", operation_id = "readReport", tag = "reports", params(ReportQuery),
    responses(
        (status = 200, description = "The report over the applications made in the days given to the profiles given (all the caller may see by default): the funnel (each stage with the applications that reached it and the share of the stage before), time to hire and time in each stage (count, median and 90th percentile in days), applications, interviews and hires by source, and each interviewer's scorecard turnaround", body = Report),
        (status = 422, description = "A profile the caller does not see, a day that is not YYYY-MM-DD, or `to` before `from`", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> AppResult<Json<Report>> {
    Ok(Json(reports::asked(&state, &user, &http::query(query)?).await?))
}

/// Export the hiring report as CSV
#[utoipa::path(get, path = "/reports.csv", operation_id = "exportReport", tag = "reports",
    params(ReportQuery, ("Accept-Language" = Option<String>, Header, description = "`da` for Danish labels, `;` and decimal commas; English otherwise")),
    responses(
        (status = 200, description = "The report as CSV, one figure a row: section, item, measure, value (UTF-8 with a byte-order mark; no cell a spreadsheet would run as a formula)", content_type = "text/csv"),
        (status = 422, description = "A profile the caller does not see, a day that is not YYYY-MM-DD, or `to` before `from`", body = ProblemDocument),
    ))]
pub async fn export(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Extension(lang): Extension<Lang>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> AppResult<Response> {
    download::report_csv(&reports::asked(&state, &user, &http::query(query)?).await?, I18n::new(lang))
}
