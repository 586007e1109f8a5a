//! The merge page: a possible duplicate beside the candidate whose email address it gave, to
//! merge the two or keep them apart.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};
use serde::Deserialize;

use super::candidates::{DocumentLine, document_line};
use super::{Notice, Page, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::duplicate::{MergeInput, MergedDetail};
use crate::domain::input::{FieldParser, lenient_text, parse_version};
use crate::domain::retention::TalentPoolConsent;
use crate::domain::user::Permission;
use crate::error::{AppError, AppResult};
use crate::http::{HtmlForm, ResourceId};
use crate::i18n::I18n;
use crate::service::duplicates::{self, Pair, Record};

pub fn routes() -> Routes {
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default()
        .get("/candidates/{id}/merge", manage, merge_page)
        .post("/candidates/{id}/merge", manage, merge)
        .post("/candidates/{id}/keep-apart", manage, keep_apart)
}

/// One record's column of the comparison.
struct RecordColumn {
    id: i64,
    version: i64,
    name: String,
    email: String,
    phone: String,
    source: String,
    added: String,
    consent: String,
    /// "Title – company: stage, applied on …", one per application.
    applications: Vec<String>,
    documents: Vec<DocumentLine>,
    notes: String,
    erased: bool,
}

impl RecordColumn {
    fn of(record: &Record, i18n: I18n) -> Self {
        let candidate = &record.candidate;
        let details = &candidate.details;
        let none = || i18n.t("merge-none");
        RecordColumn {
            id: candidate.id,
            version: candidate.version,
            name: i18n.personal(&details.name),
            email: details.email.clone(),
            phone: details.phone.clone().unwrap_or_else(none),
            source: details.source.clone().unwrap_or_else(none),
            added: i18n.timestamp(&candidate.created_at),
            consent: details.talent_pool.map(|c| consent_line(c, i18n)).unwrap_or_else(none),
            applications: record
                .applications
                .iter()
                .map(|o| {
                    let a = &o.application;
                    i18n.tn(
                        "merge-application",
                        &[
                            ("title", &o.profile_title),
                            ("company", &o.company_name),
                            ("stage", &i18n.t(&a.stage.label_key())),
                            ("date", &i18n.date(&a.applied_on)),
                        ],
                    )
                })
                .collect(),
            documents: record.documents.iter().map(|d| document_line(d, i18n)).collect(),
            notes: details.notes.clone().unwrap_or_else(none),
            erased: candidate.erased_at.is_some(),
        }
    }
}

/// A consent in words: its days and how it was given.
pub fn consent_line(consent: TalentPoolConsent, i18n: I18n) -> String {
    let via = match consent.given_via {
        Some(via) => i18n.t(&via.label_key()),
        None => i18n.t("consent-via-unrecorded"),
    };
    i18n.tn(
        "consent-line",
        &[("from", &i18n.date(&consent.given_on)), ("until", &i18n.date(&consent.until)), ("via", &via)],
    )
}

#[derive(Template)]
#[template(path = "candidates/merge.html")]
struct MergePage {
    page: Page,
    existing: RecordColumn,
    duplicate: RecordColumn,
    /// Why the two are shown side by side.
    why: String,
    /// The details the recruiter may take from the newer record: those that differ.
    offered: Vec<(&'static str, String)>,
    /// Why the merge was refused.
    refusal: Option<String>,
}

impl MergePage {
    fn new(page: Page, pair: &Pair, refusal: Option<String>) -> Self {
        let i18n = page.i18n;
        let (kept, newer) = (&pair.existing.candidate.details, &pair.duplicate.candidate.details);
        let offered = [
            (MergedDetail::Name, kept.name != newer.name),
            (MergedDetail::Phone, newer.phone.is_some() && kept.phone != newer.phone),
        ]
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(detail, _)| (detail.as_str(), i18n.t(&detail.label_key())))
        .collect();
        let (existing, duplicate) = (RecordColumn::of(&pair.existing, i18n), RecordColumn::of(&pair.duplicate, i18n));
        let why = i18n
            .tn("merge-why", &[("name", &duplicate.name), ("existing", &existing.name), ("email", &duplicate.email)]);
        MergePage { existing, duplicate, why, offered, refusal, page }
    }
}

async fn merge_page(State(state): State<AppState>, page: Page, ResourceId(id): ResourceId) -> AppResult<Html<String>> {
    let pair = duplicates::pair(&state, id).await?;
    render(&MergePage::new(page, &pair, None))
}

/// The merge form, sent to the newer record's page with the versions of both records as the
/// page showed them: a record changed since is shown again as it is now, nothing merged.
async fn merge(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(duplicate_id): ResourceId,
    HtmlForm(form): HtmlForm<MergeForm>,
) -> AppResult<Response> {
    let mut p = FieldParser::default();
    let existing_id: i64 = p.required_integer("existing_id", &form.existing_id, 1..=i64::MAX);
    let version = p.required_integer("version", &form.version, 1..=i64::MAX);
    let (existing_id, version) = p.finish((existing_id, version)).map_err(AppError::Invalid)?;
    let input = MergeInput {
        duplicate_id: Some(duplicate_id.to_string()),
        take_from_duplicate: form.take_from_duplicate,
        duplicate_version: form.duplicate_version,
    };
    match duplicates::merge(&state, &user, existing_id, Some(version), &input).await {
        Ok(_) => Ok(see_other(format!("/candidates/{existing_id}?{}", Notice::Merged.query()))),
        Err(AppError::Invalid(errors)) => {
            let pair = duplicates::pair(&state, duplicate_id).await?;
            let refusal = errors.iter().next().map(|e| page.i18n.problem(&e.problem));
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &MergePage::new(page, &pair, refusal))
        }
        Err(AppError::Conflict { .. }) => {
            let pair = duplicates::pair(&state, duplicate_id).await?;
            let refusal = Some(page.i18n.t("merge-changed-meanwhile"));
            render_with_status(StatusCode::CONFLICT, &MergePage::new(page, &pair, refusal))
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MergeForm {
    take_from_duplicate: Vec<String>,
    /// The candidate the page showed the newer record beside, and its version then.
    #[serde(deserialize_with = "lenient_text")]
    existing_id: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    version: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    duplicate_version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct KeepApartForm {
    #[serde(deserialize_with = "lenient_text")]
    version: Option<String>,
}

async fn keep_apart(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    HtmlForm(form): HtmlForm<KeepApartForm>,
) -> AppResult<Response> {
    let version = parse_version(&form.version).map_err(AppError::Invalid)?;
    duplicates::keep_apart(&state, &user, id, Some(version)).await?;
    Ok(see_other(format!("/candidates/{id}?{}", Notice::KeptApart.query())))
}
