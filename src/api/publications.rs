//! `/api/v1/profiles/{id}/ads/{version}/publication` and `/api/v1/publications`: saved ad
//! versions on their public pages.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::ProblemDocument;
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::paging::{self, PageQuery};
use crate::domain::publication::{Publication, PublicationInput};
use crate::error::AppResult;
use crate::http::ApiJson;
use crate::http::path::AdVersionPath;
use crate::service::publications;

page_of!(
    /// One page of publications, oldest first.
    PublicationPage,
    Publication
);

/// Publish a saved version of a role profile's job ad
#[utoipa::path(post, path = "/profiles/{id}/ads/{version}/publication", operation_id = "publishAd", tag = "ads",
    params(("id" = i64, Path), ("version" = i64, Path, description = "The saved version's number")),
    request_body = PublicationInput,
    responses(
        (status = 201, description = "Published (or given the new address and days): open for applications from `open_from` to `open_until`", body = Publication),
        (status = 404, description = "No such profile or saved version", body = ProblemDocument),
        (status = 422, description = "A bad `slug`, one another ad has, a window that ends in the past or before it starts, no deadline to end it, or legal findings or gaps left without `confirm`", body = ProblemDocument),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AdVersionPath { profile_id, number }: AdVersionPath,
    ApiJson(input): ApiJson<PublicationInput>,
) -> AppResult<Response> {
    let publication = publications::publish(&state, &user, profile_id, number, &input).await?;
    Ok((StatusCode::CREATED, Json(publication)).into_response())
}

/// Unpublish a version of a role profile's job ad
#[utoipa::path(delete, path = "/profiles/{id}/ads/{version}/publication", operation_id = "unpublishAd", tag = "ads",
    params(("id" = i64, Path), ("version" = i64, Path, description = "The saved version's number")),
    responses(
        (status = 204, description = "Taken off its public page; the address is free again"),
        (status = 404, description = "No such profile, or the version is not published", body = ProblemDocument),
    ))]
pub async fn unpublish(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AdVersionPath { profile_id, number }: AdVersionPath,
) -> AppResult<StatusCode> {
    publications::unpublish(&state, &user, profile_id, number).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// List the published job ads
#[utoipa::path(get, path = "/publications", operation_id = "listPublications", tag = "ads", params(PageQuery),
    responses((status = 200, description = "A page of the published ads of the profiles the caller may see, open or not, oldest first", body = PublicationPage)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let published = publications::list(&state, &user).await?;
    Ok(paged::<_, PublicationPage>(&uri, paging::page(published.into_iter(), |p| p.id, request)))
}
