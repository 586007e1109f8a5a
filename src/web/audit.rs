//! The administrators' view of the audit trail, filterable and exportable as CSV. No route
//! changes or deletes an entry; entries are made by the use cases ([`crate::service::audit`]).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use strum::VariantArray;

use super::spreadsheet::SpreadsheetCsv;
use super::{Page, render_with_status};
use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::audit::{AUDIT_PAGE_MAX, AuditAction, AuditEntry, AuditFilter, AuditQuery, AuditSubject};
use crate::domain::input::FieldErrors;
use crate::domain::user::Permission;
use crate::error::{AppError, AppResult};
use crate::http;
use crate::i18n::I18n;
use crate::service::audit;

pub fn routes() -> Routes {
    let admin = Access::Requires(Permission::ManageUsers);
    Routes::default().get("/admin/audit", admin, page).get("/admin/audit.csv", admin, export)
}

/// The query string as a filter; one that is not even a query string is refused.
fn filter_of(
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> AppResult<(AuditQuery, Result<AuditFilter, FieldErrors>)> {
    let query = http::query(query)?;
    let filter = query.parse();
    Ok((query, filter))
}

/// An entry as the table shows it.
struct EntryLine {
    at: String,
    actor: String,
    action: String,
    subject: String,
    href: Option<String>,
    detail: String,
}

fn line(entry: &AuditEntry, i18n: I18n) -> EntryLine {
    let href = match entry.subject {
        AuditSubject::Candidate => Some(format!("/candidates/{}", entry.subject_id)),
        AuditSubject::Profile => Some(format!("/profiles/{}", entry.subject_id)),
        AuditSubject::Interview => Some(format!("/interviews/{}", entry.subject_id)),
        AuditSubject::Application | AuditSubject::User => None,
    };
    EntryLine {
        at: i18n.timestamp(&entry.at),
        actor: entry.actor_name.clone(),
        action: i18n.t(&entry.action.label_key()),
        subject: format!("{} {}", i18n.t(&entry.subject.label_key()), entry.subject_id),
        href,
        detail: entry.detail.clone(),
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: Page,
    query: AuditQuery,
    actions: Vec<(&'static str, String)>,
    subjects: Vec<(&'static str, String)>,
    lines: Vec<EntryLine>,
    /// Set when the newest [`AUDIT_PAGE_MAX`] are all that is shown.
    truncated: Option<String>,
    /// Why the filter was refused.
    error: Option<String>,
    export: String,
}

async fn page(
    State(state): State<AppState>,
    page: Page,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> AppResult<Response> {
    let (query, filter) = filter_of(query)?;
    let i18n = page.i18n;
    let (status, entries, error) = match filter {
        Ok(filter) => (StatusCode::OK, audit::entries(&state, &filter).await?, None),
        Err(errors) => {
            let reasons: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", i18n.t(&format!("field-{}", e.field)), i18n.problem(&e.problem)))
                .collect();
            (StatusCode::UNPROCESSABLE_ENTITY, Vec::new(), Some(reasons.join(" ")))
        }
    };
    let export = serde_html_form::to_string(
        [
            ("action", &query.action),
            ("actor", &query.actor),
            ("subject", &query.subject),
            ("subject_id", &query.subject_id),
            ("from", &query.from),
            ("to", &query.to),
        ]
        .iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| (*key, v.as_str())))
        .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    render_with_status(
        status,
        &AuditPage {
            actions: AuditAction::VARIANTS.iter().map(|a| (a.as_str(), i18n.t(&a.label_key()))).collect(),
            subjects: AuditSubject::VARIANTS.iter().map(|s| (s.as_str(), i18n.t(&s.label_key()))).collect(),
            lines: entries.iter().map(|e| line(e, i18n)).collect(),
            truncated: (entries.len() == AUDIT_PAGE_MAX)
                .then(|| i18n.t1("audit-truncated", "max", &i18n.number(AUDIT_PAGE_MAX as i64))),
            export: format!("/admin/audit.csv?{export}"),
            error,
            query,
            page,
        },
    )
}

async fn export(
    State(state): State<AppState>,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> AppResult<Response> {
    let filter = filter_of(query)?.1.map_err(AppError::Invalid)?;
    let entries = audit::entries(&state, &filter).await?;
    let mut csv = SpreadsheetCsv::new(b',');
    csv.row(["id", "at", "actor_id", "actor_name", "action", "subject", "subject_id", "detail"])?;
    for e in &entries {
        let actor = e.actor_id.map(|id| id.to_string()).unwrap_or_default();
        let at = e.at.to_rfc3339();
        let (id, subject_id) = (e.id.to_string(), e.subject_id.to_string());
        csv.row([
            id.as_str(),
            &at,
            &actor,
            &e.actor_name,
            e.action.as_str(),
            e.subject.as_str(),
            &subject_id,
            &e.detail,
        ])?;
    }
    let body = csv.finish()?;
    let file = "attachment; filename=\"amfit-audit.csv\"";
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8"), (CONTENT_DISPOSITION, file)], body).into_response())
}
