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
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::comment::{Comment, CommentInput};
use crate::error::AppResult;
use crate::http::{ApiJson, ResourceId};
use crate::service::{audit, comments};

/// The comments on a candidate that the caller may read.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateComments {
    /// Oldest first (a candidate gathers a few dozen at most, so not paged).
    pub comments: Vec<Comment>,
    /// True for an interviewer whose scorecard for an application they interview for is not yet
    /// submitted: colleagues' comments about it are not listed, so that their judgement stays
    /// their own.
    pub others_hidden: bool,
}

/// List the comments on a candidate
#[utoipa::path(get, path = "/candidates/{id}/comments", operation_id = "listComments", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The comments the caller may read, oldest first; reading them is on the audit trail. A comment about an application is read as its scorecards are (recruiters, administrators, the profile's hiring manager, and its interviewers once their own scorecard is submitted); one about the candidate in general only by those who see every application of theirs; everyone reads their own", body = CandidateComments),
        (status = 403, description = "Neither one who sees the candidate nor one of their interviewers", body = ProblemDocument),
        (status = 404, description = "No such candidate", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<CandidateComments>> {
    let view = comments::readable(&state, &user, id).await?;
    // What colleagues wrote of a candidate is their personal data: reading it is on the trail,
    // as a view of the candidate's page is.
    let subject = (AuditSubject::Candidate, id);
    audit::record_reading(state.store.as_ref(), &user, AuditAction::ViewCandidate, subject, AuditDetail::Nothing)
        .await?;
    Ok(Json(CandidateComments { others_hidden: view.others_hidden, comments: view.comments }))
}

/// Add a comment on a candidate
#[utoipa::path(post, path = "/candidates/{id}/comments", operation_id = "addComment", tag = "candidates", params(("id" = i64, Path)),
    request_body = CommentInput,
    responses(
        (status = 201, description = "Written, on the audit trail; each colleague it mentions is told, as their notification settings say", body = Comment, headers(("Location" = String, description = "The candidate's comments"))),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 403, description = "Neither one who sees the candidate nor one of their interviewers", body = ProblemDocument),
        (status = 404, description = "No such candidate", body = ProblemDocument),
        (status = 409, description = "The candidate's data was erased", body = ProblemDocument),
        (status = 422, description = "No text, too long a text, a mention of no one, of two colleagues of one name or of a colleague who may not read the comment (yet), an application the caller does not see, no application from one who does not see the candidate whole, or a candidate who holds the most comments one may; nothing was written", body = ProblemDocument),
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
