//! `/api/v1/users`: administrators keep the user accounts, by the same rules as the users page
//! (no change leaves amfit without an active administrator; each change on the audit trail).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::client::ClientAddress;
use crate::domain::paging::{self, PageQuery};
use crate::domain::user::{ActiveInput, OwnPasswordInput, PasswordResetInput, Role, RoleInput, User, UserInput};
use crate::error::{AppError, AppResult};
use crate::http::{ApiJson, ResourceId};
use crate::service::{accounts, users};

/// A user account as administrators see it (never its password).
#[derive(Serialize, ToSchema)]
pub struct UserResource {
    id: i64,
    email: String,
    name: String,
    role: Role,
    /// `false` once deactivated: the user cannot sign in, and their tokens are revoked.
    active: bool,
    created_at: DateTime<Utc>,
}

impl From<User> for UserResource {
    fn from(user: User) -> Self {
        let User { id, email, name, role, active, created_at, .. } = user;
        Self { id, email, name, role, active, created_at }
    }
}

#[utoipa::path(get, path = "/me", operation_id = "readMe", tag = "users", summary = "Who the token or session belongs to",
    responses(
        (status = 200, description = "The signed-in user: what a client shows as who is signed in, and the role that decides what it may do", body = UserResource),
    ))]
pub async fn me(CurrentUser(me): CurrentUser) -> Json<UserResource> {
    Json(me.into())
}

#[utoipa::path(put, path = "/me/password", operation_id = "changeOwnPassword", tag = "users", summary = "Change one's own password",
    request_body = OwnPasswordInput,
    responses(
        (status = 204, description = "Changed; every session of the user ends (their API tokens stay); on the audit trail"),
        (status = 422, description = "The present password wrong, or the new one too short, too long, too common or the email address; each named", body = ProblemDocument),
        (status = 429, description = "Too many wrong passwords from this address: try again later", body = ProblemDocument),
    ))]
pub async fn change_own_password(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    client: ClientAddress,
    ApiJson(input): ApiJson<OwnPasswordInput>,
) -> AppResult<StatusCode> {
    let (present, new) = (input.current_password.unwrap_or_default(), input.password.unwrap_or_default());
    accounts::change_own_password(&state, &me, client, present, new).await?;
    Ok(StatusCode::NO_CONTENT)
}

page_of!(
    /// One page of users, oldest first.
    UserPage,
    UserResource
);

/// List the users
#[utoipa::path(get, path = "/users", operation_id = "listUsers", tag = "users", params(PageQuery),
    responses(
        (status = 200, description = "A page of the users, deactivated ones too, oldest first", body = UserPage),
    ))]
pub async fn list(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let users = users::list(&state).await?.into_iter().map(UserResource::from);
    Ok(paged::<_, UserPage>(&uri, paging::page(users, |u| u.id, request)))
}

/// Create a user
#[utoipa::path(post, path = "/users", operation_id = "createUser", tag = "users", request_body = UserInput,
    responses(
        (status = 201, description = "Added, active; on the audit trail", body = UserResource, headers(("Location" = String))),
        (status = 422, description = "Invalid fields, each named: a taken email address, a password too short or too common", body = ProblemDocument),
    ))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    ApiJson(input): ApiJson<UserInput>,
) -> AppResult<Response> {
    let user = users::add(state.store.as_ref(), (&me).into(), &input).await?;
    let location = format!("/api/v1/users/{}", user.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(UserResource::from(user))).into_response())
}

/// Read one user
#[utoipa::path(get, path = "/users/{id}", operation_id = "readUser", tag = "users", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The user", body = UserResource),
        (status = 404, description = "No such user", body = ProblemDocument),
    ))]
pub async fn read(State(state): State<AppState>, ResourceId(id): ResourceId) -> AppResult<Json<UserResource>> {
    Ok(Json(users::get(&state, id).await?.into()))
}

/// Change a user's role
#[utoipa::path(put, path = "/users/{id}/role", operation_id = "changeUserRole", tag = "users", params(("id" = i64, Path)),
    request_body = RoleInput,
    responses(
        (status = 200, description = "The user with the new role; on the audit trail", body = UserResource),
        (status = 404, description = "No such user", body = ProblemDocument),
        (status = 422, description = "An unknown role, or a change that takes the caller's own administrator role or the last one away", body = ProblemDocument),
    ))]
pub async fn change_role(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<RoleInput>,
) -> AppResult<Json<UserResource>> {
    users::get(&state, id).await?;
    let role = input.parse().map_err(AppError::Invalid)?;
    users::change_role(&state, &me, id, role).await?;
    Ok(Json(users::get(&state, id).await?.into()))
}

/// Deactivate or reactivate a user
#[utoipa::path(put, path = "/users/{id}/active", operation_id = "setUserActive", tag = "users", params(("id" = i64, Path)),
    request_body = ActiveInput,
    responses(
        (status = 200, description = "Deactivated (sessions end, tokens are revoked) or reactivated; on the audit trail", body = UserResource),
        (status = 404, description = "No such user", body = ProblemDocument),
        (status = 422, description = "No `active`, or a deactivation of the caller or of the last active administrator", body = ProblemDocument),
    ))]
pub async fn set_active(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<ActiveInput>,
) -> AppResult<Json<UserResource>> {
    users::get(&state, id).await?;
    let active = input.parse().map_err(AppError::Invalid)?;
    users::set_active(&state, &me, id, active).await?;
    Ok(Json(users::get(&state, id).await?.into()))
}

/// Reset a user's password
#[utoipa::path(put, path = "/users/{id}/password", operation_id = "resetUserPassword", tag = "users", params(("id" = i64, Path)),
    request_body = PasswordResetInput,
    responses(
        (status = 204, description = "Set; every session of the user ends; on the audit trail"),
        (status = 404, description = "No such user", body = ProblemDocument),
        (status = 422, description = "A password too short, too long or too common", body = ProblemDocument),
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<PasswordResetInput>,
) -> AppResult<StatusCode> {
    users::reset_password(&state, &me, id, input.password.unwrap_or_default()).await?;
    Ok(StatusCode::NO_CONTENT)
}
