//! A complete application through the API, as a careers site or a job board sends on what a
//! candidate gave it: the same parts as the job page's form, documents included, to a
//! published job.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::idempotency::{Answer, created};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::publication::check_slug;
use crate::error::{AppError, AppResult};
use crate::http::application_form::{FORM_PARTS, Unreadable, read_submission};
use crate::service::applying;
use crate::service::audit::Actor;
use crate::service::jobs::{self, Job};
use crate::service::today;
use crate::store::Intake;

/// An application as sent: the candidate's details and documents, the form's parts.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the multipart body to the document; the handler reads its parts.
pub struct ApplicationUpload {
    /// The candidate's name.
    name: String,
    /// Their email address, where the receipt goes.
    email: String,
    /// A phone number.
    phone: Option<String>,
    /// Their message to the company, at most 3,000 characters.
    message: Option<String>,
    /// Where the candidate came from (a job board's name, a campaign); its first 100 characters
    /// are kept.
    source: Option<String>,
    /// `true` when the candidate agreed to be kept in the talent pool (they are asked by mail
    /// to confirm it); `false` or left out when not.
    talent_pool: Option<bool>,
    /// The CV: a PDF or a Word document (.docx), recognised by its content, at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    cv: Vec<u8>,
    /// Other documents (a cover letter, references), each as the CV, at most 3; the whole body
    /// at most 20.25 MB.
    #[schema(value_type = Option<Vec<String>>, format = Binary)]
    documents: Option<Vec<Vec<u8>>>,
}

/// What an application through the API became.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedApplication {
    pub candidate_id: i64,
    pub application_id: i64,
}

/// Send a complete application to a published job
#[utoipa::path(post, path = "/jobs/{slug}/applications", operation_id = "sendApplication", tag = "candidates",
    params(("slug" = String, Path, description = "The job's public address, `/jobs/{slug}`")),
    request_body(content = ApplicationUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Received: a new candidate with the application, its source, message and documents (their text read for search), in the stage 'applied', on the audit trail as the caller's; the candidate is sent the receipt. One already held with the email address is marked as their possible duplicate", body = ReceivedApplication,
            headers(("Location" = String, description = "The application"))),
        (status = 400, description = "Not a multipart body, or a text part that is not UTF-8", body = ProblemDocument),
        (status = 404, description = "No job is open for applications at this address", body = ProblemDocument),
        (status = 408, description = "The body did not arrive in time; nothing was kept", body = ProblemDocument),
        (status = 413, description = "Files together past the body's 20.25 MB", body = ProblemDocument),
        (status = 422, description = "Each part that is wrong: no name, no or a malformed email address, a malformed phone number, a message past 3,000 characters, control characters, a talent_pool that is neither true nor false, no CV or a second one, a file that is neither a PDF nor a Word document or past 10 MB, more than 3 other documents, a part the form does not have; nothing was kept", body = ProblemDocument),
        (status = 503, description = "As many applications are being received as are read at once: try again after Retry-After", body = ProblemDocument),
    ))]
pub async fn send(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(slug): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    check_slug(&slug).map_err(|_| AppError::NotFound)?;
    let Job::Open(job) = jobs::by_slug(&state, &slug, today()).await? else { return Err(AppError::NotFound) };
    let multipart = multipart.map_err(|rejection| AppError::MalformedBody(rejection.body_text()))?;
    // Its documents are in memory until the application is kept, as the job page's are.
    let Ok(_in_flight) = state.applications_in_flight.try_acquire() else {
        return Err(AppError::Busy { retry_after_secs: applying::BUSY_RETRY_AFTER_SECS });
    };
    let read = read_submission(multipart).await.map_err(|unreadable| match unreadable {
        Unreadable::Malformed(reason) => AppError::MalformedBody(reason),
        Unreadable::TimedOut => AppError::BodyTimedOut,
        Unreadable::BodyTooLarge => AppError::PayloadTooLarge,
        too_large => match too_large.part_problem() {
            Some((field, problem)) => AppError::Invalid(FieldErrors::single(field, problem)),
            None => AppError::PayloadTooLarge,
        },
    })?;
    // A client's part under another name would be lost without a word.
    let mut strays = FieldErrors::default();
    let allowed: Vec<String> = FORM_PARTS.map(String::from).into();
    for part in &read.unknown_parts {
        strays.add(part, Problem::UnknownChoice { allowed: allowed.clone() });
    }
    if read.second_cv {
        strays.add("cv", Problem::TooManyItems { max: 1 });
    }
    if !strays.is_empty() {
        return Err(AppError::Invalid(strays));
    }
    let answer = Answer::new(|intake: &Intake| {
        let received = ReceivedApplication { candidate_id: intake.candidate_id, application_id: intake.application_id };
        created(format!("/api/v1/applications/{}", intake.application_id), &received)
    });
    Ok(answer.to(&applying::apply(&state, &job, Actor::User(&user), read.sent).await?))
}
