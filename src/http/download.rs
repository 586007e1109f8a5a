//! Answers that are files: a job ad in one of its formats, a candidate's data export, the audit
//! trail, a comparison, a report.

use axum::body::Body;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use futures_util::StreamExt;

use super::spreadsheet::SpreadsheetCsv;
use crate::app::AppState;
use crate::domain::Labelled;
use crate::domain::ad::{AdFormat, AdQuery, AdRequest};
use crate::domain::audit::{AuditEntry, AuditFilter};
use crate::domain::candidate::Stage;
use crate::domain::document::{DocumentFormat, DocumentInfo};
use crate::domain::report::{Report, Spread};
use crate::error::{AppError, AppResult};
use crate::i18n::{I18n, Lang};
use crate::service::ads::ProfileAd;
use crate::service::audit;
use crate::service::comparison::ProfileCandidates;
use crate::service::privacy::CandidateExport;

/// The ad a query string asks for, in the format `accept` prefers when the query names none; a
/// query that is not even a query string is refused.
pub fn ad_request(query: Result<Query<AdQuery>, QueryRejection>, accept: Option<&str>) -> AppResult<AdRequest> {
    super::query(query)?.parse(accept).map_err(AppError::Invalid)
}

/// The ad as a file of `format`; `disposition` is `inline` or `attachment`.
pub fn ad_download(ad: &ProfileAd, format: AdFormat, disposition: &str) -> Response {
    let body = ad.write(format, chrono::Utc::now().date_naive());
    let disposition = format!("{disposition}; filename=\"{}\"", ad.file_name(format));
    ([(CONTENT_TYPE, format.content_type().to_owned()), (CONTENT_DISPOSITION, disposition)], body).into_response()
}

/// The export as JSON to save, named by the candidate's id (not their name).
pub fn export_file(export: &CandidateExport) -> AppResult<Response> {
    let body = export_json(export)?;
    let file = format!("attachment; filename=\"amfit-candidate-{}.json\"", export.candidate.id);
    Ok(([(CONTENT_TYPE, "application/json".to_owned()), (CONTENT_DISPOSITION, file)], body).into_response())
}

fn export_json(export: &CandidateExport) -> AppResult<String> {
    serde_json::to_string_pretty(export).map_err(|e| AppError::Internal(e.into()))
}

/// The export as a ZIP archive: the data as `candidate-{id}.json`, and each document in
/// `documents/`, prefixed by its id so that two files of one name stay apart.
pub fn export_archive(export: &CandidateExport, files: &[(DocumentInfo, Vec<u8>)]) -> AppResult<Response> {
    let id = export.candidate.id;
    let archive = write_archive(id, &export_json(export)?, files).map_err(|e| AppError::Internal(e.into()))?;
    let file = format!("attachment; filename=\"amfit-candidate-{id}.zip\"");
    Ok(([(CONTENT_TYPE, "application/zip".to_owned()), (CONTENT_DISPOSITION, file)], archive).into_response())
}

fn write_archive(id: i64, json: &str, files: &[(DocumentInfo, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    archive.start_file(format!("candidate-{id}.json"), options)?;
    archive.write_all(json.as_bytes())?;
    for (document, content) in files {
        archive.start_file(format!("documents/{}-{}", document.id, document.file_name), options)?;
        archive.write_all(content)?;
    }
    Ok(archive.finish()?.into_inner())
}

/// A candidate's document as a file to save, or, for a PDF asked `inline`, to read in the
/// browser's own viewer. Its type is the one its content was recognised as, never what the
/// sender claimed; no other kind of file is ever shown in the browser.
pub fn document_file(document: &DocumentInfo, content: Vec<u8>, inline: bool) -> Response {
    let disposition = if inline && document.format == DocumentFormat::Pdf { "inline" } else { "attachment" };
    let disposition = content_disposition(disposition, &document.file_name);
    ([(CONTENT_TYPE, document.format.content_type().to_owned()), (CONTENT_DISPOSITION, disposition)], content)
        .into_response()
}

/// A `Content-Disposition` naming `file_name`: as plain ASCII for old clients, and in full as
/// UTF-8 (RFC 6266) for the rest. The name has no quotes or control characters
/// ([`crate::domain::document::file_name`]).
fn content_disposition(disposition: &str, file_name: &str) -> String {
    let ascii: String = file_name.chars().map(|c| if c.is_ascii() && c != '\\' { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

const AUDIT_COLUMNS: [&str; 8] = ["id", "at", "actor_id", "actor_name", "action", "subject", "subject_id", "detail"];

/// The entries `filter` selects as a CSV file, newest first, sent a batch at a time as they are
/// read: the whole trail, however long, without holding it in memory.
pub fn audit_csv(state: &AppState, filter: AuditFilter) -> Response {
    let mut header = SpreadsheetCsv::new(b',');
    let header = header.row(AUDIT_COLUMNS).and_then(|()| header.finish());
    let rows = audit::every(state, filter).map(|batch| batch.and_then(|entries| audit_rows(&entries)));
    let body = Body::from_stream(futures_util::stream::once(async { header }).chain(rows));
    let file = "attachment; filename=\"amfit-audit.csv\"";
    ([(CONTENT_TYPE, "text/csv; charset=utf-8"), (CONTENT_DISPOSITION, file)], body).into_response()
}

fn audit_rows(entries: &[AuditEntry]) -> AppResult<Vec<u8>> {
    let mut csv = SpreadsheetCsv::continued(b',');
    for e in entries {
        let actor = e.actor_id.map(|id| id.to_string()).unwrap_or_default();
        let (id, at, subject_id) = (e.id.to_string(), e.at.to_rfc3339(), e.subject_id.to_string());
        let action = e.action.as_str();
        csv.row([id.as_str(), &at, &actor, &e.actor_name, action, e.subject.as_str(), &subject_id, &e.detail])?;
    }
    csv.finish()
}

/// The comparison of profile `profile_id` as CSV: a row per candidate, a column per competency
/// (its mean), then fit, coverage, knockouts and disagreements, in `i18n`'s language. Danish
/// readers get `;` and decimal commas, which their spreadsheets expect.
pub fn comparison_csv(state: &AppState, data: &ProfileCandidates, profile_id: i64, i18n: I18n) -> AppResult<Response> {
    let body = comparison_csv_text(state, data, i18n)?;
    let file = format!("attachment; filename=\"comparison-profile-{profile_id}.csv\"");
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (CONTENT_DISPOSITION, file)], body).into_response())
}

fn comparison_csv_text(state: &AppState, data: &ProfileCandidates, i18n: I18n) -> AppResult<Vec<u8>> {
    let mut csv = SpreadsheetCsv::new(delimiter(i18n));
    let mut header =
        vec![i18n.t("csv-application"), i18n.t("field-name"), i18n.t("field-stage"), i18n.t("csv-standing")];
    header.extend(data.requirements.iter().map(|r| state.rubric.competency_name(&r.competency, i18n.lang.content())));
    header.extend([
        i18n.t("fit-heading"),
        i18n.t("csv-coverage"),
        i18n.t("csv-knockouts"),
        i18n.t("csv-disagreements"),
    ]);
    csv.row(&header)?;
    let optional = |value: Option<f64>, places| value.map(|v| i18n.decimal(v, places)).unwrap_or_default();
    for candidate in data.ranked() {
        let result = &candidate.ranked.result;
        let names = |ids: &[&str]| {
            ids.iter().map(|id| state.rubric.competency_name(id, i18n.lang.content())).collect::<Vec<_>>().join(", ")
        };
        let mut record = vec![
            candidate.application.application.id.to_string(),
            candidate.application.candidate_name.clone(),
            i18n.t(&candidate.application.application.stage.label_key()),
            i18n.t(&candidate.ranked.standing.label_key()),
        ];
        record.extend(result.competencies.iter().map(|s| optional(s.mean, 2)));
        record.extend([
            optional(result.fit, 1),
            i18n.decimal(result.coverage, 1),
            names(&result.knockouts),
            names(&result.disagreements),
        ]);
        csv.row(&record)?;
    }
    csv.finish()
}

/// The report as CSV, one figure a row (section, item, measure, value), in `i18n`'s language:
/// what a spreadsheet's pivot table takes as it is.
pub fn report_csv(report: &Report, i18n: I18n) -> AppResult<Response> {
    let mut csv = SpreadsheetCsv::new(delimiter(i18n));
    let header = ["reports-csv-section", "reports-csv-item", "reports-csv-measure", "reports-csv-value"];
    csv.row(header.map(|key| i18n.t(key)))?;
    for [section, item, measure, value] in figures(report, i18n) {
        csv.row([section, item, measure, value])?;
    }
    let body = csv.finish()?;
    let file = "attachment; filename=\"amfit-report.csv\"";
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8"), (CONTENT_DISPOSITION, file)], body).into_response())
}

/// Every figure of the report as (section, item, measure, value).
fn figures(report: &Report, i18n: I18n) -> Vec<[String; 4]> {
    let t = |key: &str| i18n.t(key);
    let stage_name = |stage: &Stage| i18n.t(&stage.label_key());
    let count = |n: usize| i18n.number(n as i64);
    let optional = |value: Option<f64>, places: usize| value.map(|v| i18n.decimal(v, places)).unwrap_or_default();
    let spread = |section: &str, item: String, s: &Spread| {
        vec![
            [t(section), item.clone(), t("reports-count"), count(s.count)],
            [t(section), item.clone(), t("reports-median-days"), optional(s.median_days, 1)],
            [t(section), item, t("reports-p90-days"), optional(s.p90_days, 1)],
        ]
    };
    let mut rows = Vec::new();
    for s in &report.funnel {
        rows.push([t("reports-funnel"), stage_name(&s.stage), t("reports-count"), count(s.count)]);
        rows.push([t("reports-funnel"), stage_name(&s.stage), t("reports-conversion"), optional(s.conversion, 3)]);
    }
    rows.extend(spread("reports-time-to-hire", stage_name(&Stage::Hired), &report.time_to_hire));
    for stage in &report.time_in_stage {
        rows.extend(spread("reports-time-in-stage", stage_name(&stage.stage), &stage.spread));
    }
    for s in &report.sources {
        let source = source_name(&s.source, i18n);
        for (measure, n) in
            [("reports-applications", s.applications), ("reports-interviews", s.interviews), ("reports-hires", s.hires)]
        {
            rows.push([t("reports-sources"), source.clone(), t(measure), count(n)]);
        }
    }
    for person in &report.turnaround {
        rows.push([t("reports-turnaround"), person.name.clone(), t("reports-outstanding"), count(person.outstanding)]);
        rows.extend(spread("reports-turnaround", person.name.clone(), &person.spread));
    }
    rows
}

/// A source as reports name it: as recorded, or "not recorded".
pub fn source_name(source: &Option<String>, i18n: I18n) -> String {
    source.clone().unwrap_or_else(|| i18n.t("reports-no-source"))
}

/// The separator a spreadsheet in the reader's language expects: Danish ones take `;`, as the
/// comma is their decimal mark.
fn delimiter(i18n: I18n) -> u8 {
    match i18n.lang {
        Lang::En => b',',
        Lang::Da => b';',
    }
}
