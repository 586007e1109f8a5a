//! `/api/v1/tokens`: the caller's own API tokens — listed (never the secret), made with an
//! optional expiry, revoked.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::paging::{self, PageQuery};
use crate::error::{AppError, AppResult};
use crate::http::{ApiJson, ResourceId};
use crate::service::tokens::{self, TokenInput};
use crate::store::TokenOverview;

/// A token as listed: never the token itself, which is not stored.
#[derive(Serialize, ToSchema)]
pub struct TokenResource {
    id: i64,
    created_at: DateTime<Utc>,
    /// `null`: valid until revoked.
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenOverview> for TokenResource {
    fn from(t: TokenOverview) -> Self {
        Self { id: t.id, created_at: t.created_at, expires_at: t.expires_at, revoked_at: t.revoked_at }
    }
}

page_of!(
    /// One page of the caller's tokens, oldest first.
    TokenPage,
    TokenResource
);

/// A token just made.
#[derive(Serialize, ToSchema)]
pub struct NewTokenResource {
    id: i64,
    /// Send it as `Authorization: Bearer …`. Shown this once: amfit keeps only its hash.
    token: String,
    expires_at: Option<DateTime<Utc>>,
}

/// List the caller's API tokens
#[utoipa::path(get, path = "/tokens", operation_id = "listTokens", tag = "tokens", params(PageQuery),
    responses(
        (status = 200, description = "A page of the caller's tokens, revoked and expired ones too", body = TokenPage),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let own = tokens::of(state.store.as_ref(), &user).await?.into_iter().map(TokenResource::from);
    Ok(paged::<_, TokenPage>(&uri, paging::page(own, |t| t.id, request)))
}

/// Create an API token
#[utoipa::path(post, path = "/tokens", operation_id = "createToken", tag = "tokens", request_body = TokenInput,
    responses(
        (status = 201, description = "Made for the caller, with the caller's role; on the audit trail", body = NewTokenResource),
        (status = 422, description = "`expires_in_days` not a whole number from 1 to 3650", body = ProblemDocument),
    ))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(input): ApiJson<TokenInput>,
) -> AppResult<Response> {
    let days = input.parse().map_err(AppError::Invalid)?;
    let made = tokens::create(state.store.as_ref(), (&user).into(), &user, days).await?;
    let body = NewTokenResource { id: made.id, token: made.token, expires_at: made.expires_at };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Revoke an API token
#[utoipa::path(delete, path = "/tokens/{id}", operation_id = "revokeToken", tag = "tokens", params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Revoked: refused from now on; on the audit trail"),
        (status = 404, description = "None of the caller's unrevoked tokens has this id", body = ProblemDocument),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<StatusCode> {
    tokens::revoke_own(state.store.as_ref(), &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
