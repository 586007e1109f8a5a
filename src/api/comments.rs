//! `/api/v1/candidates/{id}/comments`: colleagues' comments on a candidate.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::idempotency::{Answer, created};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::comment::{Comment, CommentInput};
use crate::error::AppResult;
use crate::http::{ApiJson, ResourceId};
use crate::service::comments;

/// The comments on a candidate that the caller may read.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateComments {
    /// Oldest first (a candidate gathers a few dozen at most, so not paged).
    pub comments: Vec<Comment>,
    /// True for an interviewer whose scorecard for the candidate is not yet submitted: only
    /// their own comments are listed, so that their judgement stays their own.
    pub others_hidden: bool,
}

#[utoipa::path(get, path = "/candidates/{id}/comments", operation_id = "listComments", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The comments the caller may read: every one for recruiters, administrators and the hiring manager of a profile the candidate applied to; an interviewer of the candidate reads their own, and the others' once their scorecard is submitted", body = CandidateComments),
        (status = 403, description = "Neither one who sees the candidate nor one of their interviewers", body = ProblemDocument),
        (status = 404, description = "No such candidate", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<CandidateComments>> {
    let view = comments::readable(&state, &user, id).await?;
    Ok(Json(CandidateComments { others_hidden: !view.reading.reads_others(), comments: view.comments }))
}

#[utoipa::path(post, path = "/candidates/{id}/comments", operation_id = "addComment", tag = "candidates", params(("id" = i64, Path)),
    request_body = CommentInput,
    responses(
        (status = 201, description = "Written, on the audit trail; each colleague it mentions is told, as their notification settings say", body = Comment, headers(("Location" = String, description = "The candidate's comments"))),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 403, description = "Neither one who sees the candidate nor one of their interviewers", body = ProblemDocument),
        (status = 404, description = "No such candidate", body = ProblemDocument),
        (status = 409, description = "The candidate's data was erased", body = ProblemDocument),
        (status = 422, description = "No text, too long a text, or a mention of no one, of two colleagues of one name, or of a colleague who may not read the comments (yet); nothing was written", body = ProblemDocument),
    ))]
pub async fn add(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<CommentInput>,
) -> AppResult<Response> {
    let answer = Answer::new(move |comment: &Comment| created(format!("/api/v1/candidates/{id}/comments"), comment));
    Ok(answer.to(&comments::add(&state, &user, id, &input).await?))
}
