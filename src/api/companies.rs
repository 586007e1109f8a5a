//! `/api/v1/companies`

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::idempotency::{Answer, created};
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::company::{Company, CompanyInput, SizeBand};
use crate::domain::paging::{self, PageQuery};
use crate::error::AppResult;
use crate::http::precondition::{IfMatch, tagged};
use crate::http::{ApiJson, ResourceId};
use crate::service::companies;

/// A company with its derived size band.
#[derive(Serialize, ToSchema)]
pub struct CompanyResource {
    #[serde(flatten)]
    company: Company,
    size_band: SizeBand,
}

impl From<Company> for CompanyResource {
    fn from(company: Company) -> Self {
        let size_band = company.details.size_band();
        Self { company, size_band }
    }
}

page_of!(
    /// One page of companies, oldest first.
    CompanyPage,
    CompanyResource
);

/// List the companies
#[utoipa::path(get, path = "/companies", operation_id = "listCompanies", tag = "companies", params(PageQuery),
    responses(
        (status = 200, description = "A page of the companies the caller may see, oldest first", body = CompanyPage),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let companies = companies::list(&state, &user).await?;
    let page = paging::page(companies.into_iter().map(|o| CompanyResource::from(o.company)), |c| c.company.id, request);
    Ok(paged::<_, CompanyPage>(&uri, page))
}

/// Create a company
#[utoipa::path(post, path = "/companies", operation_id = "createCompany", tag = "companies", request_body = CompanyInput,
    responses(
        (status = 201, description = "Created", body = CompanyResource,
            headers(("Location" = String, description = "The new company's URL"))),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 413, description = "Body over 512 KiB", body = ProblemDocument),
        (status = 422, description = "Invalid fields, each named", body = ProblemDocument),
    ))]
pub async fn create(State(state): State<AppState>, ApiJson(input): ApiJson<CompanyInput>) -> AppResult<Response> {
    let answer = Answer::new(|company: &Company| {
        let location = format!("/api/v1/companies/{}", company.id);
        created(location, &CompanyResource::from(company.clone()))
    });
    Ok(answer.to(&companies::create(&state, &input).await?))
}

/// Read one company
#[utoipa::path(get, path = "/companies/{id}", operation_id = "readCompany", tag = "companies", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The company", body = CompanyResource, headers(("ETag" = String, description = "The version, as `\"3\"`"))),
        (status = 404, description = "No such company", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let company = companies::get(&state, &user, id).await?;
    Ok(tagged(company.version, Json(CompanyResource::from(company))))
}

/// Update a company
#[utoipa::path(put, path = "/companies/{id}", operation_id = "updateCompany", tag = "companies", params(("id" = i64, Path), IfMatch),
    request_body(content = CompanyInput, description = "All fields, and the `version` the change was made from"),
    responses(
        (status = 200, description = "The company", body = CompanyResource),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 404, description = "No such company", body = ProblemDocument),
        (status = 409, description = "Changed since `version`; nothing was written", body = ProblemDocument),
        (status = 413, description = "Body over 512 KiB", body = ProblemDocument),
        (status = 422, description = "Invalid fields, each named", body = ProblemDocument),
    ))]
pub async fn update(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
    ApiJson(mut input): ApiJson<CompanyInput>,
) -> AppResult<Response> {
    if_match.apply(&mut input.version);
    let company = if_match.judge(companies::update(&state, id, &input).await)?;
    Ok(tagged(company.version, Json(CompanyResource::from(company))))
}

/// Delete a company with its role profiles
#[utoipa::path(delete, path = "/companies/{id}", operation_id = "deleteCompany", tag = "companies", params(("id" = i64, Path), IfMatch),
    responses(
        (status = 204, description = "Deleted, with its role profiles"),
        (status = 404, description = "No such company", body = ProblemDocument),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
) -> AppResult<StatusCode> {
    if_match.judge(companies::delete(&state, id, if_match.0).await)?;
    Ok(StatusCode::NO_CONTENT)
}
