//! `/api/v1/interviews`: an interviewer's assignments and their scorecards — read, saved as a
//! draft, submitted, corrected — by the same rules as the interview page.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::candidates::ApplicationResource;
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::candidate::Assignment;
use crate::domain::paging::{self, PageQuery};
use crate::domain::scorecard::{Scorecard, ScorecardInput, ScorecardStatus};
use crate::domain::user::User;
use crate::error::AppResult;
use crate::http::{ApiJson, ResourceId};
use crate::service::interviews;

/// An interview assigned to the caller, with the application it is about.
#[derive(Serialize, ToSchema)]
pub struct AssignedInterview {
    assignment: Assignment,
    application: ApplicationResource,
    /// Where the caller's scorecard for it stands.
    status: ScorecardStatus,
}

page_of!(
    /// One page of the caller's interviews, oldest assignment first.
    InterviewPage,
    AssignedInterview
);

/// An interview as its page shows it.
#[derive(Serialize, ToSchema)]
pub struct InterviewResource {
    assignment: Assignment,
    application: ApplicationResource,
    /// Every version of this interview's scorecard, oldest first; the last is the one being
    /// written or last submitted.
    versions: Vec<Scorecard>,
    /// The other interviewers' counted scorecards: empty until the caller's own is submitted
    /// (for those who do not see every scorecard anyway), so that ratings stay independent.
    others: Vec<Scorecard>,
}

/// List the caller's interviews
#[utoipa::path(get, path = "/interviews", operation_id = "listInterviews", tag = "interviews", params(PageQuery),
    responses(
        (status = 200, description = "A page of the interviews assigned to the caller: those scored, and those still to score of applications still open", body = InterviewPage),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let assigned =
        interviews::assigned_with_status(&state, &user).await?.into_iter().map(|(assignment, application, status)| {
            AssignedInterview { assignment, application: application.into(), status }
        });
    Ok(paged::<_, InterviewPage>(&uri, paging::page(assigned, |i| i.assignment.id, request)))
}

/// Read one interview with its scorecards
#[utoipa::path(get, path = "/interviews/{id}", operation_id = "readInterview", tag = "interviews", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The interview with the caller's scorecard versions, drafts included, and the colleagues' once theirs is submitted", body = InterviewResource),
        (status = 404, description = "No such interview", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<InterviewResource>> {
    let guide = interviews::guide(&state, &user, id).await?;
    Ok(Json(InterviewResource {
        assignment: guide.assignment,
        application: guide.application.into(),
        versions: guide.versions,
        others: guide.others,
    }))
}

/// Save a draft of an interview's scorecard
#[utoipa::path(put, path = "/interviews/{id}/scorecard", operation_id = "saveScorecardDraft", tag = "interviews", params(("id" = i64, Path)),
    request_body(content = ScorecardInput, description = "Ratings of the assigned competencies (any of them, each `1`–`5` or `not_assessed`, with evidence) and a recommendation, as far as written"),
    responses(
        (status = 200, description = "Saved as the draft of the interview's scorecard", body = Scorecard),
        (status = 404, description = "No such interview", body = ProblemDocument),
        (status = 409, description = "The scorecard is submitted: start a correction first", body = ProblemDocument),
        (status = 422, description = "A rating of a competency not assigned, a score out of range, evidence too long, each named", body = ProblemDocument),
    ))]
pub async fn save_draft(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<ScorecardInput>,
) -> AppResult<Json<Scorecard>> {
    write(&state, &user, id, &input, false).await
}

/// Submit an interview's scorecard
#[utoipa::path(post, path = "/interviews/{id}/scorecard/submission", operation_id = "submitScorecard", tag = "interviews", params(("id" = i64, Path)),
    request_body(content = ScorecardInput, description = "Every assigned competency rated (`1`–`5` with evidence of at least a sentence, or `not_assessed`) and a recommendation"),
    responses(
        (status = 200, description = "Submitted: the scorecard counts, is locked, and opens the colleagues' to the caller", body = Scorecard),
        (status = 404, description = "No such interview", body = ProblemDocument),
        (status = 409, description = "Submitted already: start a correction to change it", body = ProblemDocument),
        (status = 422, description = "What the submission lacks, each named", body = ProblemDocument),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<ScorecardInput>,
) -> AppResult<Json<Scorecard>> {
    write(&state, &user, id, &input, true).await
}

/// Writes the caller's scorecard of interview `id`: only its interviewer may.
async fn write(
    state: &AppState,
    user: &User,
    id: i64,
    input: &ScorecardInput,
    submit: bool,
) -> AppResult<Json<Scorecard>> {
    let assignment = interviews::interviewers_own(state, user, id).await?;
    Ok(Json(interviews::write_scorecard(state, user, &assignment, input, submit).await?))
}

/// Start a correction of a submitted scorecard
#[utoipa::path(post, path = "/interviews/{id}/corrections", operation_id = "startScorecardCorrection", tag = "interviews", params(("id" = i64, Path)),
    responses(
        (status = 201, description = "A new draft version of the submitted scorecard, to change and submit; the submitted one counts until then", body = Scorecard),
        (status = 404, description = "No such interview", body = ProblemDocument),
        (status = 409, description = "Nothing submitted to correct, or a correction is open already", body = ProblemDocument),
    ))]
pub async fn start_correction(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let draft = interviews::start_correction(&state, &user, id).await?;
    Ok((StatusCode::CREATED, Json(draft)).into_response())
}
