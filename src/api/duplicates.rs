//! `/api/v1/candidates/{id}/merge` and `/api/v1/candidates/{id}/possible-duplicate`: a job-page
//! application that gave a known candidate's email address, merged or kept apart.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::ETAG;
use axum::response::Response;

use super::ProblemDocument;
use super::idempotency::{Answer, json_answer};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::candidate::Candidate;
use crate::domain::duplicate::MergeInput;
use crate::error::AppResult;
use crate::http::precondition::{IfMatch, etag, tagged};
use crate::http::{ApiJson, ResourceId};
use crate::service::duplicates;

/// Merge a possible duplicate into a candidate
#[utoipa::path(post, path = "/candidates/{id}/merge", operation_id = "mergeCandidates", tag = "candidates",
    params(("id" = i64, Path, description = "The candidate that stays: the one whose email address the newer record gave"), IfMatch),
    request_body = MergeInput,
    responses(
        (status = 200, description = "Merged: the newer record's applications (one to a profile both applied to joins the earlier application, with its documents), documents and notes are this candidate's, with its talent-pool consent where this candidate had none; the newer record no longer exists. On the audit trail", body = Candidate, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 404, description = "No such candidate", body = ProblemDocument),
        (status = 409, description = "Either record's data was erased, or is not at the version given (`duplicate_version`), or a record changed while the merge ran; nothing was written", body = ProblemDocument),
        (status = 412, description = "`If-Match` names another version of this candidate", body = ProblemDocument),
        (status = 422, description = "`duplicate_id` is not marked as a possible duplicate of this candidate, or both applied to one profile and the newer application has moved on; or `take_from_duplicate` names something else than `name` and `phone`", body = ProblemDocument),
    ))]
pub async fn merge(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
    ApiJson(input): ApiJson<MergeInput>,
) -> AppResult<Response> {
    let answer = Answer::new(|candidate: &Candidate| {
        let mut answer = json_answer(StatusCode::OK, candidate);
        answer.headers.push((ETAG.as_str().to_owned(), etag(candidate.version)));
        answer
    });
    Ok(answer.to(&if_match.judge(duplicates::merge(&state, &user, id, if_match.0, &input).await)?))
}

/// Keep a possible duplicate apart from a candidate
#[utoipa::path(delete, path = "/candidates/{id}/possible-duplicate", operation_id = "keepCandidateApart", tag = "candidates",
    params(("id" = i64, Path), IfMatch),
    responses(
        (status = 200, description = "No longer marked as a possible duplicate: a recruiter judged it to be someone else (on the audit trail). A candidate with no mark is answered as it is", body = Candidate, headers(("ETag" = String))),
        (status = 404, description = "No such candidate", body = ProblemDocument),
        (status = 409, description = "The candidate's data was erased", body = ProblemDocument),
        (status = 412, description = "`If-Match` names another version", body = ProblemDocument),
    ))]
pub async fn keep_apart(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
) -> AppResult<Response> {
    let candidate = if_match.judge(duplicates::keep_apart(&state, &user, id, if_match.0).await)?;
    Ok(tagged(candidate.version, Json(candidate)))
}
