//! `/api/v1/profiles/{id}/ad` and `/api/v1/profiles/{id}/ads`

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::header::{ACCEPT, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::idempotency::{Answer, created};
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::ad::{AdInput, AdQuery, AdVersion, CompareQuery, DiffLine, Unfinished, line_diff};
use crate::domain::paging::{self, PageQuery};
use crate::domain::wording::WordingReport;
use crate::error::{AppError, AppResult};
use crate::http::download::{ad_download, ad_request};
use crate::http::{self, ApiJson, ResourceId};
use crate::service::ads;

/// A saved version with the wording check of its text.
#[derive(Serialize, ToSchema)]
pub struct SavedAd {
    version: AdVersion,
    wording: WordingReport,
    /// What is left to finish before the ad is posted: its discrimination-law flags and the
    /// places still marked "[Mangler: …]". Saved all the same; the editor asks first.
    unfinished: Unfinished,
}

/// Read a role profile's job ad as Markdown, HTML, text or JSON-LD
#[utoipa::path(get, path = "/profiles/{id}/ad", operation_id = "readAd", tag = "ads",
    params(("id" = i64, Path), AdQuery),
    responses(
        (status = 200, description = "The ad: Markdown, a whole HTML document (with its JSON-LD), plain text or schema.org JobPosting JSON-LD, as `format` asks; without it, the one of these media types the `Accept` header prefers (its weights honoured), and Markdown when it prefers none", headers(("Vary" = String, description = "`accept`")), content(
            (String = "text/markdown"), (String = "text/html"), (String = "text/plain"), (Object = "application/ld+json"))),
        (status = 404, description = "No such profile or saved version", body = ProblemDocument),
        (status = 422, description = "An unknown format, language or tone, or a version that is not a positive whole number", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    headers: HeaderMap,
    query: Result<Query<AdQuery>, QueryRejection>,
) -> AppResult<Response> {
    let accept = headers.get(ACCEPT).and_then(|value| value.to_str().ok());
    let request = ad_request(query, accept)?;
    let ad = ads::for_user(&state, &user, id, &request).await?;
    let mut answer = ad_download(&ad, request.format, "inline");
    answer.headers_mut().insert(VARY, HeaderValue::from_static("accept"));
    Ok(answer)
}

page_of!(
    /// One page of an ad's saved versions, newest first.
    AdVersionPage,
    AdVersion
);

/// List the saved versions of a role profile's job ad
#[utoipa::path(get, path = "/profiles/{id}/ads", operation_id = "listAdVersions", tag = "ads", params(("id" = i64, Path), PageQuery),
    responses(
        (status = 200, description = "A page of the profile's saved ad versions, newest first", body = AdVersionPage),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn versions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    ResourceId(id): ResourceId,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let versions = ads::versions(&state, &user, id).await?;
    Ok(paged::<_, AdVersionPage>(&uri, paging::page_newest_first(versions.into_iter(), |v| v.number, request)))
}

/// Save a new version of a role profile's job ad
#[utoipa::path(post, path = "/profiles/{id}/ads", operation_id = "saveAd", tag = "ads", params(("id" = i64, Path)), request_body = AdInput,
    responses(
        (status = 201, description = "Saved as the profile's next version, with the wording check of its text", body = SavedAd),
        (status = 404, description = "No such profile", body = ProblemDocument),
        (status = 413, description = "A body over 512 KiB", body = ProblemDocument),
        (status = 422, description = "No text, a text over 50,000 characters, or an unknown language or tone", body = ProblemDocument),
    ))]
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<AdInput>,
) -> AppResult<Response> {
    let rules = state.wording.clone();
    let answer = Answer::new(move |version: &AdVersion| {
        let wording = rules.check(&version.text, version.language);
        let unfinished = Unfinished::of(&version.text, &wording);
        let location = format!("/api/v1/profiles/{id}/ad?version={}", version.number);
        created(location, &SavedAd { version: version.clone(), wording, unfinished })
    });
    Ok(answer.to(&ads::save(&state, &user, id, &input).await?))
}

/// Two saved versions of an ad, compared line by line.
#[derive(Serialize, ToSchema)]
pub struct AdComparison {
    from: AdVersion,
    to: AdVersion,
    /// Every line of both, in order: `same`, `added` in `to`, or `removed` from `from`.
    lines: Vec<DiffLine>,
}

/// Compare two saved versions of a role profile's job ad
#[utoipa::path(get, path = "/profiles/{id}/ads/diff", operation_id = "compareAdVersions", tag = "ads", params(("id" = i64, Path), CompareQuery),
    responses(
        (status = 200, description = "The two versions and their lines compared", body = AdComparison),
        (status = 404, description = "No such profile or saved version", body = ProblemDocument),
        (status = 422, description = "`from` or `to` missing or not a positive whole number", body = ProblemDocument),
    ))]
pub async fn diff(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    query: Result<Query<CompareQuery>, QueryRejection>,
) -> AppResult<Json<AdComparison>> {
    let versions = http::query(query)?.parse().map_err(AppError::Invalid)?;
    let (_, from, to) = ads::two_versions(&state, &user, id, versions).await?;
    let lines = line_diff(&from.text, &to.text);
    Ok(Json(AdComparison { from, to, lines }))
}
