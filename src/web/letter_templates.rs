//! A company's letter templates on the web: the kinds it writes letters of, and the page where
//! a recruiter makes one the company's own (both languages at once, previewed with the
//! company's newest application) or goes back to amfit's.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};
use serde::Deserialize;

use super::form::{Control, Field, FieldBuilder, error_summary, shown};
use super::{Notice, Page, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::input::{FieldErrors, lenient_text};
use crate::domain::letter::{BODY_MAX, SUBJECT_MAX, TemplateInput};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::http::path::CompanyTemplatePath;
use crate::i18n::I18n;
use crate::service::letter_templates::{TemplateOverview, TemplatePreview};
use crate::service::{companies, letter_templates};

pub fn routes() -> Routes {
    let manage = Access::Requires(Permission::ManageProfiles);
    Routes::default()
        .get("/companies/{id}/letters/{kind}", manage, edit_page)
        .post("/companies/{id}/letters/{kind}", manage, write)
        .post("/companies/{id}/letters/{kind}/reset", manage, reset)
}

/// A kind of template as the company's page lists it.
pub struct TemplateLine {
    pub kind: &'static str,
    pub name: String,
    /// "Your own, changed … by …", or "amfit's standard".
    pub source: String,
}

/// The kinds of letters company `company_id` writes, each with whose template it is.
pub async fn template_lines(
    state: &AppState,
    user: &User,
    company_id: i64,
    i18n: I18n,
) -> AppResult<Vec<TemplateLine>> {
    let templates = letter_templates::of_company(state, user, company_id).await?;
    Ok(templates.iter().map(|t| template_line(t, i18n)).collect())
}

fn template_line(overview: &TemplateOverview, i18n: I18n) -> TemplateLine {
    let source = match &overview.own {
        Some(own) => {
            let when = i18n.timestamp(&own.updated_at);
            let name = own.updated_by.clone().unwrap_or_else(|| i18n.t("ad-deleted-user"));
            i18n.tn("letter-templates-own", &[("when", &when), ("name", &name)])
        }
        None => i18n.t("letter-templates-standard"),
    };
    TemplateLine { kind: overview.kind.as_str(), name: i18n.t(&overview.kind.label_key()), source }
}

/// The template form as the browser sends it, and which button.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TemplateForm {
    #[serde(flatten)]
    template: TemplateInput,
    /// `save`, or anything else for a preview.
    #[serde(deserialize_with = "lenient_text")]
    action: Option<String>,
}

#[derive(Template)]
#[template(path = "companies/letter_template.html")]
struct TemplatePage {
    page: Page,
    company_id: i64,
    company_name: String,
    kind: &'static str,
    heading: String,
    /// "Fields you can use: {candidate_name}, …".
    fields_hint: String,
    /// Whether the company has its own (which it may go back from).
    own: bool,
    fields: Vec<Field>,
    error_summary: Vec<(&'static str, String, String)>,
    preview: Option<PreviewShown>,
}

/// The template written as a letter, in both languages.
struct PreviewShown {
    /// Whose application it was written with, or that examples stand in.
    written_with: String,
    letters: Vec<(String, String, String)>,
}

async fn edit_page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    CompanyTemplatePath { company_id: id, kind }: CompanyTemplatePath,
) -> AppResult<Html<String>> {
    let overview = letter_templates::one(&state, &user, id, kind).await?;
    let input = TemplateInput::from(&overview.template);
    let shown = template_page(&state, &user, page, id, &overview, &input, &FieldErrors::default(), None).await?;
    render(&shown)
}

/// Previews the template, or saves it and goes back to the company; a refused template is
/// shown again as typed, each problem beside its field.
async fn write(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    CompanyTemplatePath { company_id: id, kind }: CompanyTemplatePath,
    HtmlForm(form): HtmlForm<TemplateForm>,
) -> AppResult<Response> {
    let overview = letter_templates::one(&state, &user, id, kind).await?;
    let outcome = if form.action.as_deref() == Some("save") {
        letter_templates::save(&state, &user, id, kind, &form.template).await.map(|_| None)
    } else {
        letter_templates::preview(&state, &user, id, kind, &form.template).await.map(Some)
    };
    let (status, errors, preview) = match outcome {
        Ok(None) => {
            return Ok(see_other(format!("/companies/{id}?{}#letters-heading", Notice::TemplateSaved.query())));
        }
        Ok(Some(preview)) => (StatusCode::OK, FieldErrors::default(), Some(preview)),
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(other) => return Err(other),
    };
    let shown = template_page(&state, &user, page, id, &overview, &form.template, &errors, preview).await?;
    render_with_status(status, &shown)
}

async fn reset(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    CompanyTemplatePath { company_id: id, kind }: CompanyTemplatePath,
) -> AppResult<Response> {
    letter_templates::reset(&state, &user, id, kind).await?;
    Ok(see_other(format!("/companies/{id}?{}#letters-heading", Notice::TemplateReset.query())))
}

#[allow(clippy::too_many_arguments)]
async fn template_page(
    state: &AppState,
    user: &User,
    page: Page,
    id: i64,
    overview: &TemplateOverview,
    input: &TemplateInput,
    errors: &FieldErrors,
    preview: Option<TemplatePreview>,
) -> AppResult<TemplatePage> {
    let company = companies::get(state, user, id).await?;
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let subject = |value: &Option<String>| Control::Text { value: shown(value), max: SUBJECT_MAX as u64 };
    let body = |value: &Option<String>| Control::TextArea { value: shown(value), max: BODY_MAX as u64 };
    let fields = vec![
        b.field("subject_da", true, subject(&input.subject_da)),
        b.field("body_da", true, body(&input.body_da)),
        b.field("subject_en", true, subject(&input.subject_en)),
        b.field("body_en", true, body(&input.body_en)),
    ];
    let names: Vec<String> = overview.kind.fields().iter().map(|f| format!("{{{}}}", f.name())).collect();
    let kind_name = i18n.t(&overview.kind.label_key());
    Ok(TemplatePage {
        company_id: id,
        heading: i18n.tn("letter-template-heading", &[("kind", &kind_name), ("company", &company.details.name)]),
        company_name: company.details.name,
        kind: overview.kind.as_str(),
        fields_hint: i18n.t1("letter-template-fields", "fields", &names.join(", ")),
        own: overview.own.is_some(),
        error_summary: error_summary(&fields),
        fields,
        preview: preview.map(|preview| preview_shown(preview, i18n)),
        page,
    })
}

fn preview_shown(preview: TemplatePreview, i18n: I18n) -> PreviewShown {
    let written_with = match &preview.written_with {
        Some(who) => i18n.t1("letter-template-written-with", "who", who),
        None => i18n.t("letter-template-written-with-examples"),
    };
    let letters = [(i18n.t("language-da"), preview.da), (i18n.t("language-en"), preview.en)]
        .into_iter()
        .map(|(language, letter)| (language, letter.subject, letter.text))
        .collect();
    PreviewShown { written_with, letters }
}
