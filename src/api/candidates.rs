//! `/api/v1/candidates` and `/api/v1/applications`

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::idempotency::{Answer, created, json_answer};
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::candidate::ListOrder;
use crate::domain::candidate::{
    Application, ApplicationInput, Assignment, AssignmentInput, Candidate, CandidateFilterQuery, CandidateInput,
    StageInput, StageMovesInput,
};
use crate::domain::input::FieldParser;
use crate::domain::paging::{self, PageQuery};
use crate::domain::scorecard::Scorecard;
use crate::domain::scoring::FitResult;
use crate::error::{AppError, AppResult};
use crate::http::download::export_file;
use crate::http::precondition::{IfMatch, tagged};
use crate::http::{self, ApiJson, ResourceId};
use crate::service::comparison;
use crate::service::privacy::{self, CandidateExport};
use crate::service::{candidates, interviews, pipeline};
use crate::store::ApplicationOverview;
use crate::store::Erasure;

/// An application with the names of its candidate, profile and company.
#[derive(Serialize, ToSchema)]
pub struct ApplicationResource {
    #[serde(flatten)]
    application: Application,
    candidate_name: String,
    profile_title: String,
    company_name: String,
}

impl From<ApplicationOverview> for ApplicationResource {
    fn from(o: ApplicationOverview) -> Self {
        Self {
            application: o.application,
            candidate_name: o.candidate_name,
            profile_title: o.profile_title,
            company_name: o.company_name,
        }
    }
}

page_of!(
    /// One page of candidates, oldest first.
    CandidatePage,
    Candidate
);

/// List the candidates
#[utoipa::path(get, path = "/candidates", operation_id = "listCandidates", tag = "candidates",
    params(CandidateFilterQuery, PageQuery),
    responses(
        (status = 200, description = "A page of the candidates the caller may see, oldest first", body = CandidatePage),
        (status = 422, description = "A bad `limit`, `cursor`, `q`, `created_after`, `stage`, or a `profile_id` the caller does not know, named", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    filter: Result<Query<CandidateFilterQuery>, QueryRejection>,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let (filter, paging) = (http::query(filter)?, http::query(paging)?);
    let mut p = FieldParser::default();
    let (filter, request) = (filter.parse(&mut p), paging.parse(&mut p));
    let (filter, request) = p.finish((filter, request)).map_err(AppError::Invalid)?;
    let page = candidates::page(&state, &user, &filter, request, ListOrder::Added, false).await?;
    Ok(paged::<_, CandidatePage>(&uri, page.map(|o| o.candidate)))
}

/// Create a candidate
#[utoipa::path(post, path = "/candidates", operation_id = "createCandidate", tag = "candidates", request_body = CandidateInput,
    responses(
        (status = 201, description = "Created", body = Candidate, headers(("Location" = String))),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 422, description = "Invalid fields, each named", body = ProblemDocument),
    ))]
pub async fn create(State(state): State<AppState>, ApiJson(input): ApiJson<CandidateInput>) -> AppResult<Response> {
    let answer =
        Answer::new(|candidate: &Candidate| created(format!("/api/v1/candidates/{}", candidate.id), candidate));
    Ok(answer.to(&candidates::create(&state, &input).await?))
}

/// Read one candidate
#[utoipa::path(get, path = "/candidates/{id}", operation_id = "readCandidate", tag = "candidates", params(("id" = i64, Path)),
    responses((status = 200, description = "The candidate", body = Candidate, headers(("ETag" = String, description = "The version, as `\"3\"`"))), (status = 404, description = "No such candidate", body = ProblemDocument)))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let candidate = candidates::view(&state, &user, id).await?.candidate;
    Ok(tagged(candidate.version, Json(candidate)))
}

/// Update a candidate
#[utoipa::path(put, path = "/candidates/{id}", operation_id = "updateCandidate", tag = "candidates", params(("id" = i64, Path), IfMatch),
    request_body(content = CandidateInput, description = "All fields, and the `version` the change was made from"),
    responses(
        (status = 200, description = "The candidate", body = Candidate),
        (status = 404, description = "No such candidate", body = ProblemDocument),
        (status = 409, description = "Changed since `version`, or the candidate's data was erased; nothing was written", body = ProblemDocument),
        (status = 422, description = "Invalid fields, each named", body = ProblemDocument),
    ))]
pub async fn update(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
    ApiJson(mut input): ApiJson<CandidateInput>,
) -> AppResult<Response> {
    if_match.apply(&mut input.version);
    let candidate = if_match.judge(candidates::update(&state, id, &input).await)?;
    Ok(tagged(candidate.version, Json(candidate)))
}

/// Delete a candidate with their applications
#[utoipa::path(delete, path = "/candidates/{id}", operation_id = "deleteCandidate", tag = "candidates", params(("id" = i64, Path), IfMatch),
    responses(
        (status = 204, description = "Deleted, with their applications"),
        (status = 404, description = "No such candidate", body = ProblemDocument),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
) -> AppResult<StatusCode> {
    if_match.judge(candidates::delete(&state, id, if_match.0).await)?;
    Ok(StatusCode::NO_CONTENT)
}

page_of!(
    /// One page of applications, oldest first.
    ApplicationPage,
    ApplicationResource
);

/// List a candidate's applications
#[utoipa::path(get, path = "/candidates/{id}/applications", operation_id = "listApplications", tag = "candidates", params(("id" = i64, Path), PageQuery),
    responses(
        (status = 200, description = "A page of the candidate's applications the caller may see, oldest first", body = ApplicationPage),
        (status = 404, description = "No such candidate", body = ProblemDocument),
    ))]
pub async fn applications(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    ResourceId(id): ResourceId,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let seen = candidates::seen_by(&state, &user, id).await?;
    let applications = seen.visible.into_iter().map(ApplicationResource::from);
    Ok(paged::<_, ApplicationPage>(&uri, paging::page(applications, |a| a.application.id, request)))
}

/// Apply a candidate to a role profile
#[utoipa::path(post, path = "/candidates/{id}/applications", operation_id = "createApplication", tag = "candidates", params(("id" = i64, Path)),
    request_body = ApplicationInput,
    responses(
        (status = 201, description = "Created, in the stage 'applied'", body = ApplicationResource,
            headers(("Location" = String))),
        (status = 404, description = "No such candidate", body = ProblemDocument),
        (status = 409, description = "The candidate's personal data was erased", body = ProblemDocument),
        (status = 422, description = "No such profile, applied already, or a date in the future", body = ProblemDocument),
    ))]
pub async fn apply(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<ApplicationInput>,
) -> AppResult<Response> {
    let answer = Answer::new(|application: &ApplicationOverview| {
        let location = format!("/api/v1/applications/{}", application.application.id);
        created(location, &ApplicationResource::from(application.clone()))
    });
    Ok(answer.to(&candidates::record_application(&state, id, &input, user.id).await?))
}

/// Read one application with its stage history
#[utoipa::path(get, path = "/applications/{id}", operation_id = "readApplication", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The application with its stage history", body = ApplicationResource,
            headers(("ETag" = String, description = "The version: how many stage changes it has had, as `\"2\"`"))),
        (status = 404, description = "No such application", body = ProblemDocument),
    ))]
pub async fn read_application(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let application = candidates::application_seen_by(&state, &user, id).await?;
    Ok(tagged(application.application.version(), Json(ApplicationResource::from(application))))
}

/// Move several applications of one profile to a stage
#[utoipa::path(post, path = "/profiles/{id}/stage-moves", operation_id = "moveApplications", tag = "candidates", params(("id" = i64, Path)),
    request_body = StageMovesInput,
    responses(
        (status = 200, description = "Every application moved, each on its history and the audit trail", body = StageMoves),
        (status = 404, description = "No such profile, or one the caller does not see", body = ProblemDocument),
        (status = 409, description = "An application moved since the version given. All are checked before the first moves, so nothing moved, unless someone moved one in the moment between the moves: then those before it moved", body = ProblemDocument),
        (status = 422, description = "An unknown stage, no application or more than 200, or an application that is not one of this profile's; nothing was moved", body = ProblemDocument),
    ))]
pub async fn move_applications(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<StageMovesInput>,
) -> AppResult<Json<StageMoves>> {
    let (stage, moves) = input.parse().map_err(AppError::Invalid)?;
    let moved = pipeline::move_many(&state, &user, id, &moves, stage).await?;
    Ok(Json(StageMoves { moved, stage }))
}

/// What a move of several applications did.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageMoves {
    /// How many applications moved.
    pub moved: usize,
    pub stage: crate::domain::candidate::Stage,
}

/// Move an application to another stage
#[utoipa::path(put, path = "/applications/{id}/stage", operation_id = "changeStage", tag = "candidates", params(("id" = i64, Path), IfMatch),
    request_body = StageInput,
    responses(
        (status = 200, description = "Moved; the history records who and when", body = ApplicationResource,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such application", body = ProblemDocument),
        (status = 422, description = "An unknown stage", body = ProblemDocument),
    ))]
pub async fn change_stage(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
    ApiJson(input): ApiJson<StageInput>,
) -> AppResult<Response> {
    let application = if_match.judge(candidates::change_stage(&state, &user, id, &input, if_match.0).await)?;
    Ok(tagged(application.application.version(), Json(ApplicationResource::from(application))))
}

/// Read an application's interview plan
#[utoipa::path(get, path = "/applications/{id}/interviewers", operation_id = "listInterviewers", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The application's interview plan", body = [Assignment]),
        (status = 404, description = "No such application", body = ProblemDocument),
    ))]
pub async fn interview_plan(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<Vec<Assignment>>> {
    Ok(Json(candidates::interview_plan(&state, &user, id).await?))
}

/// Assign an interviewer to an application
#[utoipa::path(post, path = "/applications/{id}/interviewers", operation_id = "assignInterviewer", tag = "candidates", params(("id" = i64, Path)),
    request_body = AssignmentInput,
    responses(
        (status = 201, description = "Assigned (an interviewer assigned again gets the new competencies)", body = Assignment),
        (status = 404, description = "No such application", body = ProblemDocument),
        (status = 422, description = "An unknown or deactivated user, or no or unknown competencies", body = ProblemDocument),
    ))]
pub async fn assign(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<AssignmentInput>,
) -> AppResult<Response> {
    let assignment = candidates::plan_interview(&state, id, &input).await?;
    Ok((StatusCode::CREATED, Json(assignment)).into_response())
}

/// Remove an interviewer from an application's interview plan
#[utoipa::path(delete, path = "/assignments/{id}", operation_id = "unassignInterviewer", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Removed from the interview plan"),
        (status = 404, description = "No such assignment", body = ProblemDocument),
    ))]
pub async fn unassign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<StatusCode> {
    candidates::remove_from_plan(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Read an application's fit and what lies behind it
#[utoipa::path(get, path = "/applications/{id}/fit", operation_id = "readApplicationFit", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The fit with everything behind it: per competency the mean, the number of ratings and the spread; coverage, knockouts, disagreements. `fit` is null while unscored.", body = FitResult),
        (status = 404, description = "No such application", body = ProblemDocument),
    ))]
pub async fn application_fit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let application = candidates::application_seen_by(&state, &user, id).await?;
    Ok(Json(comparison::scored(&state, &application).await?.fit()).into_response())
}

/// List an application's scorecards
#[utoipa::path(get, path = "/applications/{id}/scorecards", operation_id = "listScorecards", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Every scorecard version of the application, oldest first, drafts included", body = [Scorecard]),
        (status = 404, description = "No such application", body = ProblemDocument),
    ))]
pub async fn scorecards(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<Vec<Scorecard>>> {
    Ok(Json(interviews::every_version(&state, &user, id).await?))
}

/// Export everything held about a candidate
#[utoipa::path(get, path = "/candidates/{id}/export", operation_id = "exportCandidate", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Everything held about the candidate (an access request under GDPR art. 15): details, applications with their stage history, scorecards with evidence, decisions, and the job ad of each role applied to; the export is on the audit trail", body = CandidateExport),
        (status = 404, description = "No such candidate", body = ProblemDocument),
    ))]
pub async fn export(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    export_file(&privacy::export(&state, &user, id).await?)
}

/// What an erasure request did.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErasureResource {
    candidate_id: i64,
    /// `erased`, or `already_erased` when an earlier request erased the data.
    outcome: &'static str,
}

/// Erase a candidate's personal data
#[utoipa::path(post, path = "/candidates/{id}/erasure", operation_id = "eraseCandidate", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The candidate's personal data is erased everywhere (details, evidence, decision reasons); scores, stages and verdicts stay, anonymous. Asking again answers `already_erased`", body = ErasureResource),
        (status = 404, description = "No such candidate", body = ProblemDocument),
    ))]
pub async fn erase(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let answer = Answer::new(move |erasure: &Erasure| {
        let outcome = match erasure {
            Erasure::Erased => "erased",
            Erasure::AlreadyErased => "already_erased",
        };
        json_answer(StatusCode::OK, &ErasureResource { candidate_id: id, outcome })
    });
    Ok(answer.to(&privacy::erase(&state, &user, id).await?))
}
