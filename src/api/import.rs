//! Importing candidates from a CSV file, as the web page does: a dry run that reports every
//! row, and the import of the whole file or of nothing.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::candidate::Stage;
use crate::domain::import::{IMPORT_MAX_BYTES, ImportRows};
use crate::domain::input::{FieldErrors, FieldParser, Problem, lenient_text};
use crate::error::{AppError, AppResult};
use crate::http::{self, body};
use crate::service::import::{self, ImportPreview, ImportSource};
use crate::store::Imported;

/// How to import.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The role profile of rows that name none.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<i64>, minimum = 1)]
    profile_id: Option<String>,
    /// `true`: check every row and report, import nothing.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<bool>)]
    dry_run: Option<String>,
}

/// One row of the file, as checked.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRowReport {
    /// Its line in the file (the header is line 1); for a JSON body, its place in the list (from 0).
    line: u64,
    name: Option<String>,
    email: Option<String>,
    /// The profile it goes to, once ready.
    profile_id: Option<i64>,
    stage: Option<Stage>,
    applied_on: Option<chrono::NaiveDate>,
    /// Since when it has been in its stage: the file's day, else the applied day.
    stage_since: Option<chrono::NaiveDate>,
    /// The candidate amfit knows by its email address, who gets an application.
    known_candidate_id: Option<i64>,
    /// Each problem, by column; empty when the row is ready.
    #[schema(value_type = Vec<Object>)]
    problems: FieldErrors,
}

/// What a dry run found.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Whether every row is ready, so that the import would go through.
    ready: bool,
    rows: Vec<ImportRowReport>,
    /// Headers of the file that name no column amfit knows, left out.
    ignored_headers: Vec<String>,
}

impl From<ImportPreview> for ImportReport {
    fn from(preview: ImportPreview) -> Self {
        let ready = preview.is_ready();
        let rows: Vec<ImportRowReport> = preview
            .rows
            .into_iter()
            .map(|checked| {
                let entry = checked.checked.as_ref().ok();
                ImportRowReport {
                    line: checked.row.line,
                    profile_id: entry.map(|e| e.profile_id),
                    stage: entry.map(|e| e.stage),
                    applied_on: entry.map(|e| e.applied_on),
                    stage_since: entry.map(|e| e.stage_since),
                    known_candidate_id: checked.known_candidate,
                    problems: checked.checked.err().unwrap_or_default(),
                    name: checked.row.name,
                    email: checked.row.email,
                }
            })
            .collect();
        Self { ready, rows, ignored_headers: preview.ignored_headers }
    }
}

/// Import candidates from a CSV file or a JSON list of rows
#[utoipa::path(post, path = "/candidates/import", operation_id = "importCandidates", tag = "candidates", params(ImportQuery),
    request_body(description = "A CSV file with a header row: name and email (needed), phone, source, profile (id or title), stage, applied on, in stage since (the applied day without it, today for a closed stage); a comma or a semicolon between fields; UTF-8 (with or without a byte-order mark) or Windows-1252; at most 400 KB and 5,000 rows. Or the same rows as JSON, each column by its English name.",
        content((String = "text/csv"), (ImportRows = "application/json"))),
    responses(
        (status = 200, description = "The dry run's report of every row; nothing imported", body = ImportReport),
        (status = 201, description = "Every row imported, in one transaction", body = Imported),
        (status = 400, description = "Neither a text/csv nor a JSON body, or JSON that is not a list of rows", body = ProblemDocument),
        (status = 413, description = "A body past the limit", body = ProblemDocument),
        (status = 422, description = "The file as a whole (`file`) or the list (`rows`, at most 400 KB as a file), or rows (`rows[LINE].COLUMN`, by the file's line or the list's place from 0), or `profile_id`: nothing imported", body = ProblemDocument),
    ))]
pub async fn import_candidates(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    query: Result<Query<ImportQuery>, QueryRejection>,
    request: Request,
) -> AppResult<Response> {
    let query = http::query(query)?;
    let mut p = FieldParser::default();
    let profile = p.optional_integer("profile_id", &query.profile_id, 1..=i64::MAX);
    let dry_run = p.flag("dry_run", &query.dry_run);
    let profile = p.finish(profile).map_err(AppError::Invalid)?;
    body::require_content_type(&request, "text/csv or application/json", |media_type| {
        media_type == "text/csv" || media_type == JSON
    })?;
    let json = body::media_type(&request).as_deref() == Some(JSON);
    let bytes = body::read_body(request, &state).await?;
    // A JSON list is held to the file's size: every row of it is held in memory at once.
    if json && bytes.len() > IMPORT_MAX_BYTES {
        let too_large = Problem::FileTooLarge { max_kb: (IMPORT_MAX_BYTES / 1024) as u64 };
        return Err(AppError::Invalid(FieldErrors::single("rows", too_large)));
    }
    let source =
        if json { ImportSource::Rows(body::json_of::<ImportRows>(&bytes)?) } else { ImportSource::Csv(&bytes) };
    if dry_run {
        let preview = import::preview(state.store.as_ref(), source, profile).await?;
        return Ok(Json(ImportReport::from(preview)).into_response());
    }
    let imported = import::import(state.store.as_ref(), &user, source, profile).await?;
    Ok((StatusCode::CREATED, Json(imported)).into_response())
}

const JSON: &str = "application/json";
