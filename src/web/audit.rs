//! The administrators' view of the audit trail, filterable and exportable as CSV. No route
//! changes or deletes an entry; entries are made by the use cases ([`crate::service::audit`]).

use std::collections::HashMap;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use strum::VariantArray;

use super::comparison::competency_name;
use super::{Page, render_with_status};
use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::audit::{
    Agent, AuditAction, AuditDetail, AuditEntry, AuditFilter, AuditQuery, AuditRun, AuditSubject, runs,
};
use crate::domain::input::{FieldErrors, FieldParser};
use crate::domain::paging::{Page as PagedList, PageQuery};
use crate::domain::user::Permission;
use crate::error::{AppError, AppResult};
use crate::http::{self, download};
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

/// A run of entries as the table shows it.
struct EntryLine {
    /// When, or from when to when for a run.
    at: String,
    actor: String,
    action: String,
    /// "×5" for a run of five.
    times: Option<String>,
    subject: String,
    href: Option<String>,
    detail: String,
}

fn line(state: &AppState, run: &AuditRun<'_>, names: &HashMap<(AuditSubject, i64), String>, i18n: I18n) -> EntryLine {
    let entry = run.entry;
    let href = match entry.subject {
        AuditSubject::Candidate => Some(format!("/candidates/{}", entry.subject_id)),
        AuditSubject::Profile => Some(format!("/profiles/{}", entry.subject_id)),
        AuditSubject::Interview => Some(format!("/interviews/{}", entry.subject_id)),
        AuditSubject::Application | AuditSubject::User => None,
    };
    let kind = i18n.t(&entry.subject.label_key());
    let subject = match names.get(&(entry.subject, entry.subject_id)) {
        Some(name) => format!("{kind}: {}", i18n.personal(name)),
        None => format!("{kind} {}", entry.subject_id),
    };
    let at = if run.count > 1 { i18n.time_span(&run.oldest, &run.entry.at) } else { i18n.timestamp(&entry.at) };
    EntryLine {
        at,
        actor: actor_name(entry, i18n),
        action: i18n.t(&entry.action.label_key()),
        times: (run.count > 1).then(|| format!("×{}", run.count)),
        subject,
        href,
        detail: detail_text(state, &entry.detail, i18n),
    }
}

/// Who made the entry: a user by the name stored, amfit's own doers in the reader's language.
fn actor_name(entry: &AuditEntry, i18n: I18n) -> String {
    match Agent::read(&entry.actor_name) {
        Some(agent) if entry.actor_id.is_none() => i18n.t(&agent.label_key()),
        _ => entry.actor_name.clone(),
    }
}

/// The entry's detail in the reader's language; a text of no kind amfit writes, as stored.
fn detail_text(state: &AppState, stored: &str, i18n: I18n) -> String {
    let Some(detail) = AuditDetail::read(stored) else { return stored.to_owned() };
    let label = |choice: &dyn Labelled| i18n.t(&choice.label_key());
    let competency = |id: &str| competency_name(state, id, i18n);
    match detail {
        AuditDetail::Nothing => String::new(),
        AuditDetail::ScorecardSubmitted => i18n.t("audit-detail-scorecard-submitted"),
        AuditDetail::DraftSaved => i18n.t("audit-detail-draft-saved"),
        AuditDetail::CorrectionStarted => i18n.t("audit-detail-correction-started"),
        AuditDetail::UserAdded(role) => i18n.t1("audit-detail-user-added", "role", &label(&role)),
        AuditDetail::RoleChanged(role) => i18n.t1("audit-detail-role-changed", "role", &label(&role)),
        AuditDetail::Reactivated => i18n.t("audit-detail-reactivated"),
        AuditDetail::Deactivated => i18n.t("audit-detail-deactivated"),
        AuditDetail::PasswordReset => i18n.t("audit-detail-password-reset"),
        AuditDetail::PasswordChanged => i18n.t("audit-detail-password-changed"),
        AuditDetail::PasswordSetOnServer => i18n.t("audit-detail-password-set-on-server"),
        AuditDetail::PasswordResetByLink => i18n.t("audit-detail-password-reset-by-link"),
        AuditDetail::InvitationAccepted => i18n.t("audit-detail-invitation-accepted"),
        AuditDetail::TokenMade(id) => i18n.t1("audit-detail-token-made", "id", &id.to_string()),
        AuditDetail::TokenRevoked(id) => i18n.t1("audit-detail-token-revoked", "id", &id.to_string()),
        AuditDetail::WeightSet { competency: id, weight, minimum } => {
            let weight = weight.to_string();
            let competency = competency(&id);
            match minimum {
                Some(minimum) => i18n.tn(
                    "audit-detail-weight-minimum",
                    &[("competency", &competency), ("weight", &weight), ("minimum", &minimum.to_string())],
                ),
                None => i18n.tn("audit-detail-weight", &[("competency", &competency), ("weight", &weight)]),
            }
        }
        AuditDetail::WeightReset { competency: id } => {
            i18n.t1("audit-detail-weight-reset", "competency", &competency(&id))
        }
        AuditDetail::AccessExport => i18n.t("audit-detail-access-export"),
        AuditDetail::ErasedOnRequest => i18n.t("audit-detail-erased-on-request"),
        AuditDetail::DocumentRead(id) => i18n.t1("audit-detail-document-read", "id", &id.to_string()),
        AuditDetail::Decided(verdict) => label(&verdict),
        AuditDetail::Imported(count) => i18n.counted("audit-detail-imported", "count", count as i64),
        AuditDetail::Received { job, documents } => {
            i18n.tn("audit-detail-received", &[("job", &job), ("documents", &documents.to_string())])
        }
        AuditDetail::StageMoved(stage) => i18n.t1("audit-detail-stage-moved", "stage", &label(&stage)),
        AuditDetail::Anonymised { months, talent_pool } => {
            let key = if talent_pool { "audit-detail-anonymised-with-consent" } else { "audit-detail-anonymised" };
            i18n.t1(key, "period", &i18n.months(months))
        }
        AuditDetail::MergedIn { duplicate, applications } => i18n.tn(
            "audit-detail-merged-in",
            &[("id", &duplicate.to_string()), ("applications", &applications.to_string())],
        ),
        AuditDetail::KeptApartFrom(id) => i18n.t1("audit-detail-kept-apart", "id", &id.to_string()),
        AuditDetail::Letter(kind) => i18n.t1("audit-detail-letter", "kind", &label(&kind)),
        AuditDetail::TalentPoolConfirmed => i18n.t("audit-detail-talent-pool-confirmed"),
        AuditDetail::JoinConfirmed => i18n.t("audit-detail-join-confirmed"),
        AuditDetail::DocumentAdded(kind) => i18n.t1("audit-detail-document-added", "kind", &label(&kind)),
        AuditDetail::Commented { mentions } => i18n.counted("audit-detail-commented", "count", mentions as i64),
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
    /// The link to the next, older page, when there is one.
    older: Option<String>,
    /// The link back to the newest entries, on any page but the first.
    newest: Option<String>,
    /// Why the filter was refused.
    error: Option<String>,
    export: String,
}

async fn page(
    State(state): State<AppState>,
    page: Page,
    OriginalUri(uri): OriginalUri,
    query: Result<Query<AuditQuery>, QueryRejection>,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let (query, filter) = filter_of(query)?;
    let paging = http::query(paging)?;
    let i18n = page.i18n;
    let mut p = FieldParser::default();
    let request = paging.parse(&mut p);
    let (status, entries, error) = match filter.and_then(|filter| p.finish((filter, request))) {
        Ok((filter, request)) => (StatusCode::OK, audit::page(&state, &filter, request).await?, None),
        Err(errors) => {
            let reasons: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", i18n.t(&format!("field-{}", e.field)), i18n.problem(&e.problem)))
                .collect();
            (StatusCode::UNPROCESSABLE_ENTITY, PagedList::default(), Some(reasons.join(" ")))
        }
    };
    let names = audit::subject_names(&state, &entries.items).await?;
    let filter_query = filter_query_string(&query);
    render_with_status(
        status,
        &AuditPage {
            actions: AuditAction::VARIANTS.iter().map(|a| (a.as_str(), i18n.t(&a.label_key()))).collect(),
            subjects: AuditSubject::VARIANTS.iter().map(|s| (s.as_str(), i18n.t(&s.label_key()))).collect(),
            lines: runs(&entries.items).iter().map(|run| line(&state, run, &names, i18n)).collect(),
            older: entries.next.as_deref().map(|next| http::page_link(&uri, Some(next))),
            newest: paging.cursor.is_some().then(|| http::page_link(&uri, None)),
            export: format!("/admin/audit.csv?{filter_query}"),
            error,
            query,
            page,
        },
    )
}

/// The filter's conditions as a query string, for the export and the page links.
fn filter_query_string(query: &AuditQuery) -> String {
    let pairs = [
        ("action", &query.action),
        ("actor", &query.actor),
        ("subject", &query.subject),
        ("subject_id", &query.subject_id),
        ("from", &query.from),
        ("to", &query.to),
    ];
    let given: Vec<(&str, &str)> =
        pairs.iter().filter_map(|(key, value)| value.as_ref().map(|v| (*key, v.as_str()))).collect();
    serde_html_form::to_string(given).unwrap_or_default()
}

async fn export(
    State(state): State<AppState>,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> AppResult<Response> {
    let filter = filter_of(query)?.1.map_err(AppError::Invalid)?;
    Ok(download::audit_csv(&state, filter))
}
