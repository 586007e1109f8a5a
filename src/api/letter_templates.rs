//! `/api/v1/companies/{id}/letter-templates`: the templates a company's letters are written
//! from, its own or amfit's, each kind in Danish and English.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::letter::{LetterTemplate, TemplateInput, TemplateKind};
use crate::error::AppResult;
use crate::http::path::CompanyTemplatePath;
use crate::http::{ApiJson, ResourceId};
use crate::service::letter_templates::{self, TemplateOverview};

/// The template one kind of letter is written from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemplateResource {
    pub kind: TemplateKind,
    /// Whether it is the company's own; `false` while amfit's standard is used.
    pub own: bool,
    pub da: LetterTemplate,
    pub en: LetterTemplate,
    /// Who changed the company's own last; `null` for amfit's, or once that user is deleted.
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<TemplateOverview> for TemplateResource {
    fn from(overview: TemplateOverview) -> Self {
        TemplateResource {
            kind: overview.kind,
            own: overview.own.is_some(),
            updated_by: overview.own.as_ref().and_then(|own| own.updated_by.clone()),
            updated_at: overview.own.as_ref().map(|own| own.updated_at),
            da: overview.template.da,
            en: overview.template.en,
        }
    }
}

/// List a company's letter templates
#[utoipa::path(get, path = "/companies/{id}/letter-templates", operation_id = "listLetterTemplates", tag = "companies",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Every kind of letter with the template it is written from: the company's own, else amfit's", body = Vec<TemplateResource>),
        (status = 403, description = "The caller may not manage companies", body = ProblemDocument),
        (status = 404, description = "No such company", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<Vec<TemplateResource>>> {
    let templates = letter_templates::of_company(&state, &user, id).await?;
    Ok(Json(templates.into_iter().map(TemplateResource::from).collect()))
}

/// Save a company's own letter template of one kind
#[utoipa::path(put, path = "/companies/{id}/letter-templates/{kind}", operation_id = "saveLetterTemplate", tag = "companies",
    params(("id" = i64, Path), ("kind" = TemplateKind, Path)),
    request_body = TemplateInput,
    responses(
        (status = 200, description = "The company's own template of this kind, in both languages: letters of the kind are written from it from now on", body = TemplateResource),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 403, description = "The caller may not manage companies", body = ProblemDocument),
        (status = 404, description = "No such company or kind of template", body = ProblemDocument),
        (status = 422, description = "A field is wrong: a language's subject or body missing or too long, a control character, or a field in braces that this kind of letter has not (named, with the kind's fields)", body = ProblemDocument),
    ))]
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    target: CompanyTemplatePath,
    ApiJson(input): ApiJson<TemplateInput>,
) -> AppResult<Json<TemplateResource>> {
    let saved = letter_templates::save(&state, &user, target.company_id, target.kind, &input).await?;
    let overview = TemplateOverview { kind: saved.kind, template: saved.template.clone(), own: Some(saved) };
    Ok(Json(overview.into()))
}

/// Reset a company's letter template to amfit's standard
#[utoipa::path(delete, path = "/companies/{id}/letter-templates/{kind}", operation_id = "resetLetterTemplate", tag = "companies",
    params(("id" = i64, Path), ("kind" = TemplateKind, Path)),
    responses(
        (status = 204, description = "Back to amfit's standard template of this kind (also when the company had none of its own)"),
        (status = 403, description = "The caller may not manage companies", body = ProblemDocument),
        (status = 404, description = "No such company or kind of template", body = ProblemDocument),
    ))]
pub async fn reset(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    target: CompanyTemplatePath,
) -> AppResult<StatusCode> {
    letter_templates::reset(&state, &user, target.company_id, target.kind).await?;
    Ok(StatusCode::NO_CONTENT)
}
