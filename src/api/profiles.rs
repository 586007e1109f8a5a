//! `/api/v1/profiles` and `/api/v1/companies/{id}/profiles`

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::json::ApiJson;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::input::versioned;
use crate::domain::profile::{AccountModel, DeadlineContext, ProfileInput, RoleProfile};
use crate::error::{AppError, AppResult, ProblemDocument};
use crate::web::ResourceId;
use crate::web::profiles::{parse_profile, today};

/// A role profile with its derived account model.
#[derive(Serialize, ToSchema)]
pub struct ProfileResource {
    #[serde(flatten)]
    profile: RoleProfile,
    account_model: AccountModel,
}

impl From<RoleProfile> for ProfileResource {
    fn from(profile: RoleProfile) -> Self {
        let account_model = profile.account_model();
        Self { profile, account_model }
    }
}

#[utoipa::path(get, path = "/profiles", tag = "profiles",
    responses((status = 200, description = "All role profiles, by company and title", body = [ProfileResource])))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> AppResult<Json<Vec<ProfileResource>>> {
    let profiles = state.store.list_profiles().await?;
    Ok(Json(profiles.into_iter().filter(|o| user.may_view_profile(&o.profile)).map(|o| o.profile.into()).collect()))
}

#[utoipa::path(get, path = "/companies/{id}/profiles", tag = "profiles", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The company's role profiles, by title", body = [ProfileResource]),
        (status = 404, description = "No such company", body = ProblemDocument),
    ))]
pub async fn list_of_company(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(company_id): ResourceId,
) -> AppResult<Json<Vec<ProfileResource>>> {
    state.store.get_company(company_id).await?;
    let profiles = state.store.list_company_profiles(company_id).await?;
    Ok(Json(profiles.into_iter().filter(|p| user.may_view_profile(p)).map(Into::into).collect()))
}

#[utoipa::path(post, path = "/companies/{id}/profiles", tag = "profiles", params(("id" = i64, Path)),
    request_body = ProfileInput,
    responses(
        (status = 201, description = "Created", body = ProfileResource,
            headers(("Location" = String, description = "The new profile's URL"))),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 404, description = "No such company", body = ProblemDocument),
        (status = 413, description = "Body over 64 KiB", body = ProblemDocument),
        (status = 422, description = "Invalid fields, each named", body = ProblemDocument),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ResourceId(company_id): ResourceId,
    ApiJson(input): ApiJson<ProfileInput>,
) -> AppResult<Response> {
    state.store.get_company(company_id).await?;
    let context = DeadlineContext { today: today(), stored_deadline: None };
    let details = parse_profile(&state, &input, context).await.map_err(AppError::Invalid)?;
    let profile = state.store.create_profile(company_id, &details).await?;
    let location = format!("/api/v1/profiles/{}", profile.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(ProfileResource::from(profile))).into_response())
}

#[utoipa::path(get, path = "/profiles/{id}", tag = "profiles", params(("id" = i64, Path)),
    responses(
        (status = 200, body = ProfileResource),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<ProfileResource>> {
    let profile = state.store.get_profile(id).await?;
    if !user.may_view_profile(&profile) {
        return Err(AppError::Forbidden);
    }
    Ok(Json(profile.into()))
}

#[utoipa::path(put, path = "/profiles/{id}", tag = "profiles", params(("id" = i64, Path)),
    request_body(content = ProfileInput, description = "All fields, and the `version` the change was made from"),
    responses(
        (status = 200, body = ProfileResource),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 404, description = "No such profile", body = ProblemDocument),
        (status = 409, description = "Changed since `version`; nothing was written", body = ProblemDocument),
        (status = 413, description = "Body over 64 KiB", body = ProblemDocument),
        (status = 422, description = "Invalid fields, each named", body = ProblemDocument),
    ))]
pub async fn update(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<ProfileInput>,
) -> AppResult<Json<ProfileResource>> {
    let stored = state.store.get_profile(id).await?;
    let context = DeadlineContext { today: today(), stored_deadline: stored.details.application_deadline };
    let (version, details) =
        versioned(&input.version, parse_profile(&state, &input, context).await).map_err(AppError::Invalid)?;
    Ok(Json(state.store.update_profile(id, version, &details).await?.into()))
}

#[utoipa::path(delete, path = "/profiles/{id}", tag = "profiles", params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn delete(State(state): State<AppState>, ResourceId(id): ResourceId) -> AppResult<StatusCode> {
    state.store.delete_profile(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
