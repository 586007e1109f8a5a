//! `/api/v1/profiles/{id}/panel` and `/api/v1/applications/{id}/schedule`: interview panels
//! set once per role profile, and the times of an application's interviews.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::candidate::{Assignment, AssignmentInput};
use crate::domain::interview::{PanelMember, ScheduleInput};
use crate::error::AppResult;
use crate::http::path::PanelMemberPath;
use crate::http::{ApiJson, ResourceId};
use crate::service::panels;

/// List a role profile's default interview panel
#[utoipa::path(get, path = "/profiles/{id}/panel", operation_id = "listPanel", tag = "profiles", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The profile's default interview panel, by name: every new application of the profile gets its active members", body = [PanelMember]),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<Vec<PanelMember>>> {
    Ok(Json(panels::panel(&state, &user, id).await?))
}

/// Add an interviewer to a role profile's panel
#[utoipa::path(post, path = "/profiles/{id}/panel", operation_id = "setPanelMember", tag = "profiles", params(("id" = i64, Path)),
    request_body = AssignmentInput,
    responses(
        (status = 201, description = "On the panel (a member added again gets the new competencies)", body = PanelMember),
        (status = 404, description = "No such profile", body = ProblemDocument),
        (status = 422, description = "An unknown or deactivated user, or no or unknown competencies", body = ProblemDocument),
    ))]
pub async fn set_member(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<AssignmentInput>,
) -> AppResult<Response> {
    let member = panels::set_member(&state, &user, id, &input).await?;
    Ok((StatusCode::CREATED, Json(member)).into_response())
}

/// Remove an interviewer from a role profile's panel
#[utoipa::path(delete, path = "/profiles/{id}/panel/{interviewer_id}", operation_id = "removePanelMember", tag = "profiles",
    params(("id" = i64, Path), ("interviewer_id" = i64, Path)),
    responses(
        (status = 204, description = "Off the panel; the applications that have them keep them"),
        (status = 404, description = "No such profile, or not on its panel", body = ProblemDocument),
    ))]
pub async fn remove_member(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    path: PanelMemberPath,
) -> AppResult<StatusCode> {
    panels::remove_member(&state, &user, path.profile_id, path.interviewer_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What giving a panel to a profile's open applications did.
#[derive(Serialize, ToSchema)]
pub struct PanelApplied {
    /// How many interviewers were planned, over all the applications.
    pub planned: u64,
}

/// Plan a role profile's panel for its open applications
#[utoipa::path(post, path = "/profiles/{id}/panel/apply", operation_id = "applyPanel", tag = "profiles", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The panel's active members planned for every open application that lacked them; nobody removed", body = PanelApplied),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn apply(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<PanelApplied>> {
    Ok(Json(PanelApplied { planned: panels::apply_to_open_applications(&state, &user, id).await? }))
}

/// Schedule an application's interviews
#[utoipa::path(put, path = "/applications/{id}/schedule", operation_id = "scheduleInterviews", tag = "candidates", params(("id" = i64, Path)),
    request_body = ScheduleInput,
    responses(
        (status = 200, description = "The time set for the interviewers named (every planned one when none is): the plan", body = [Assignment]),
        (status = 404, description = "No such application", body = ProblemDocument),
        (status = 409, description = "The candidate's personal data was erased", body = ProblemDocument),
        (status = 422, description = "No or a bad time, a date before today, a bad duration or link, or an interviewer not on the plan", body = ProblemDocument),
    ))]
pub async fn schedule(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<ScheduleInput>,
) -> AppResult<Json<Vec<Assignment>>> {
    Ok(Json(panels::schedule(&state, &user, id, &input).await?))
}

/// Clear the times of an application's interviews
#[utoipa::path(delete, path = "/applications/{id}/schedule", operation_id = "clearInterviewTimes", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Every interview's time cleared: the plan", body = [Assignment]),
        (status = 404, description = "No such application", body = ProblemDocument),
    ))]
pub async fn clear_schedule(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<Vec<Assignment>>> {
    Ok(Json(panels::clear_schedule(&state, &user, id).await?))
}
