//! Importing candidates from a CSV file: upload, a preview of every row with its problems,
//! then the import of all of them (the file's text rides along in the preview's form).

use std::collections::HashMap;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, Response};

use super::form::{Control, Field, FieldBuilder, error_summary};
use super::{Notice, Page, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::import::{CheckedRow, text_of};
use crate::domain::input::FieldErrors;
use crate::domain::user::Permission;
use crate::error::{AppError, AppResult};
use crate::i18n::I18n;
use crate::service::import::{self, ImportPreview, ImportSource};

pub fn routes() -> Routes {
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default()
        .get("/candidates/import", manage, upload_form)
        .post("/candidates/import", manage, check_file)
        .post("/candidates/import/confirm", manage, confirm)
}

/// A row of the preview.
struct PreviewLine {
    line: u64,
    name: String,
    email: String,
    profile: String,
    stage: String,
    applied_on: String,
    stage_since: String,
    /// New or known candidate, when the row is ready.
    status: Option<String>,
    /// "Column: problem" for each problem.
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "candidates/import.html")]
struct ImportPage {
    page: Page,
    fields: Vec<Field>,
    error_summary: Vec<(&'static str, String, String)>,
    /// The rows, once a file was checked.
    rows: Vec<PreviewLine>,
    /// What the preview says of the file as a whole.
    verdict: Option<String>,
    ignored: Option<String>,
    /// The file's text and the chosen profile, to import once confirmed; `None` while not ready.
    ready: Option<(String, String)>,
    confirm_label: String,
}

impl ImportPage {
    async fn new(state: &AppState, page: Page, profile: &Option<String>, errors: &FieldErrors) -> AppResult<Self> {
        let build = FieldBuilder { i18n: page.i18n, errors };
        let profiles = state
            .store
            .list_profiles()
            .await?
            .into_iter()
            .map(|o| (o.profile.id.to_string(), format!("{} – {}", o.profile.details.title, o.company_name)))
            .collect();
        let fields = vec![
            build.field("file", true, Control::File { accept: ".csv,text/csv", multiple: false }),
            Field {
                hint: Some(page.i18n.t("import-profile-hint")),
                ..build.select_among("profile_id", false, profiles, profile)
            },
        ];
        let error_summary = error_summary(&fields);
        Ok(Self {
            page,
            fields,
            error_summary,
            rows: Vec::new(),
            verdict: None,
            ignored: None,
            ready: None,
            confirm_label: String::new(),
        })
    }

    fn with_preview(mut self, preview: &ImportPreview, text: String, profile: String) -> Self {
        let i18n = self.page.i18n;
        self.rows = preview.rows.iter().map(|row| preview_line(row, &preview.titles, i18n)).collect();
        let rows = i18n.number(preview.rows.len() as i64);
        if preview.is_ready() {
            let known = preview.rows.iter().filter(|row| row.known_candidate.is_some()).count() as i64;
            let new = preview.rows.len() as i64 - known;
            let (new, known) = (i18n.number(new), i18n.number(known));
            self.verdict = Some(i18n.tn("import-ready", &[("rows", &rows), ("new", &new), ("known", &known)]));
            self.confirm_label = i18n.t1("import-confirm", "rows", &rows);
            self.ready = Some((text, profile));
        } else {
            self.verdict = Some(i18n.t("import-not-ready"));
        }
        if !preview.ignored_headers.is_empty() {
            self.ignored = Some(i18n.t1("import-ignored", "headers", &preview.ignored_headers.join(", ")));
        }
        self
    }
}

fn preview_line(row: &CheckedRow, titles: &HashMap<i64, String>, i18n: I18n) -> PreviewLine {
    let written = |value: &Option<String>| value.clone().unwrap_or_default();
    let (profile, stage, (applied_on, stage_since), status, problems) = match &row.checked {
        Ok(entry) => {
            let status = if row.known_candidate.is_some() { "import-known-candidate" } else { "import-new-candidate" };
            (
                titles.get(&entry.profile_id).cloned().unwrap_or_default(),
                i18n.t(&entry.stage.label_key()),
                (i18n.date(&entry.applied_on), i18n.date(&entry.stage_since)),
                Some(i18n.t(status)),
                Vec::new(),
            )
        }
        Err(errors) => {
            let problems = errors
                .iter()
                .map(|e| format!("{}: {}", i18n.t(&format!("import-column-{}", e.field)), i18n.problem(&e.problem)))
                .collect();
            let days = (written(&row.row.applied_on), written(&row.row.stage_since));
            (written(&row.row.profile), written(&row.row.stage), days, None, problems)
        }
    };
    PreviewLine {
        line: row.row.line,
        name: written(&row.row.name),
        email: written(&row.row.email),
        profile,
        stage,
        applied_on,
        stage_since,
        status,
        problems,
    }
}

async fn upload_form(State(state): State<AppState>, page: Page) -> AppResult<Html<String>> {
    render(&ImportPage::new(&state, page, &None, &FieldErrors::default()).await?)
}

/// The form's fields: their bytes by name. The body was read whole within the body limit by
/// the CSRF check already, so no field can be larger.
async fn fields(multipart: Result<Multipart, MultipartRejection>) -> AppResult<HashMap<String, Vec<u8>>> {
    let mut multipart = multipart.map_err(|rejection| AppError::MalformedBody(rejection.body_text()))?;
    let mut fields = HashMap::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| AppError::MalformedBody(e.body_text()))? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|e| AppError::MalformedBody(e.body_text()))?;
        fields.insert(name, bytes.to_vec());
    }
    Ok(fields)
}

/// The chosen profile (`None` when none was chosen); 422 for one that is not a number.
fn chosen_profile(fields: &HashMap<String, Vec<u8>>) -> AppResult<Option<i64>> {
    let sent = fields.get("profile_id").map(|b| String::from_utf8_lossy(b).into_owned());
    let mut p = crate::domain::input::FieldParser::default();
    let id = p.optional_integer("profile_id", &sent, 1..=i64::MAX);
    p.finish(id).map_err(AppError::Invalid)
}

async fn check_file(
    State(state): State<AppState>,
    page: Page,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let fields = fields(multipart).await?;
    let bytes = fields.get("file").cloned().unwrap_or_default();
    preview_page(&state, page, &fields, &bytes).await
}

/// The preview of `bytes` (200 when every row is ready, 422 otherwise), or the upload form with
/// what is wrong with the file as a whole.
async fn preview_page(
    state: &AppState,
    page: Page,
    fields: &HashMap<String, Vec<u8>>,
    bytes: &[u8],
) -> AppResult<Response> {
    let sent = fields.get("profile_id").map(|b| String::from_utf8_lossy(b).trim().to_owned());
    let checked = match chosen_profile(fields) {
        Ok(profile) => import::preview(state.store.as_ref(), ImportSource::Csv(bytes), profile).await,
        Err(refused) => Err(refused),
    };
    let preview = match checked {
        Ok(preview) => preview,
        Err(AppError::Invalid(errors)) => {
            let form = ImportPage::new(state, page, &sent, &errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form);
        }
        Err(other) => return Err(other),
    };
    let status = if preview.is_ready() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let form = ImportPage::new(state, page, &sent, &FieldErrors::default()).await?;
    render_with_status(status, &form.with_preview(&preview, text_of(bytes), sent.unwrap_or_default()))
}

async fn confirm(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let fields = fields(multipart).await?;
    let bytes = fields.get("content").cloned().unwrap_or_default();
    let profile = chosen_profile(&fields)?;
    match import::import(state.store.as_ref(), &user, ImportSource::Csv(&bytes), profile).await {
        Ok(_) => Ok(see_other(format!("/candidates?{}", Notice::Imported.query()))),
        // Something changed since the preview: show the file's rows as they stand now.
        Err(AppError::Invalid(_)) => preview_page(&state, page, &fields, &bytes).await,
        Err(other) => Err(other),
    }
}
