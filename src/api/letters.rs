//! `/api/v1/applications/{id}/letters` and `/api/v1/candidates/{id}/messages`: letters to a
//! candidate, sent through the outbox, and where each stands.

use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::idempotency::{Answer, json_answer};
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::letter::{LetterInput, LetterKind};
use crate::domain::paging::{self, PageQuery};
use crate::domain::profile::AdLanguage;
use crate::error::AppResult;
use crate::http::{ApiJson, ResourceId};
use crate::service::letters::{self, LetterState};
use crate::store::Message;

/// A letter to a candidate and where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageResource {
    pub id: i64,
    pub kind: LetterKind,
    /// The application it is about; `null` once that application was deleted.
    pub application_id: Option<i64>,
    /// The address it goes to.
    pub to: String,
    pub subject: String,
    pub language: AdLanguage,
    /// `queued` (waiting for its first try, or for another: see `error`), `sent`, `failed`
    /// (refused for good, or never taken after a day of tries: see `error`), or
    /// `not_configured` (amfit was started without a mail server: it waits).
    #[schema(example = "sent")]
    pub status: &'static str,
    /// What the mail server said the last time it did not take the letter.
    pub error: Option<String>,
    /// How many times it was handed to the mail server without success, or with.
    pub attempts: i32,
    /// Whether it carries a calendar invitation (`.ics`).
    pub calendar: bool,
    /// The user who sent it; `null` for what amfit sends by itself (a receipt).
    pub sent_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl MessageResource {
    fn of(message: &Message, state: &LetterState) -> Self {
        MessageResource {
            id: message.id,
            kind: message.kind,
            application_id: message.application_id,
            to: message.recipient.clone(),
            subject: message.subject.clone(),
            language: message.language,
            status: state.name(),
            error: message.last_error.clone(),
            attempts: message.attempts,
            calendar: message.has_calendar,
            sent_by: message.sent_by.clone(),
            created_at: message.created_at,
            sent_at: message.sent_at,
        }
    }
}

/// Send a letter to an application's candidate
#[utoipa::path(post, path = "/applications/{id}/letters", operation_id = "sendLetter", tag = "candidates",
    params(("id" = i64, Path)),
    request_body = LetterInput,
    responses(
        (status = 202, description = "Written to the outbox with its entry on the audit trail: sent within seconds when amfit has a mail server, else kept (`not_configured`). With an Idempotency-Key, a retry makes no second letter", body = MessageResource),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 403, description = "The caller may not send letters about this application", body = ProblemDocument),
        (status = 404, description = "No such application", body = ProblemDocument),
        (status = 409, description = "The candidate's data was erased: no letter is written", body = ProblemDocument),
        (status = 422, description = "A field is wrong: an unknown `kind`, a `subject` or `body` naming a field the kind of letter has not, a custom letter without both, or an invitation before the interview has a time", body = ProblemDocument),
    ))]
pub async fn send(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<LetterInput>,
) -> AppResult<Response> {
    let sends_mail = state.sends_mail;
    let answer = Answer::new(move |message: &Message| {
        json_answer(StatusCode::ACCEPTED, &MessageResource::of(message, &LetterState::of(message, sends_mail)))
    });
    Ok(answer.to(&letters::send(&state, &user, id, &input, None).await?))
}

page_of!(
    /// One page of a candidate's letters, oldest first.
    MessagePage,
    MessageResource
);

/// List the letters written to a candidate
#[utoipa::path(get, path = "/candidates/{id}/messages", operation_id = "listMessages", tag = "candidates",
    params(("id" = i64, Path), PageQuery),
    responses(
        (status = 200, description = "A page of the letters written to the candidate, oldest first (a hiring manager: those about the applications they see), each with where it stands", body = MessagePage),
        (status = 403, description = "A hiring manager none of whose profiles the candidate applied to", body = ProblemDocument),
        (status = 404, description = "No such candidate", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    ResourceId(id): ResourceId,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let mut messages = letters::of_candidate(&state, &user, id).await?;
    messages.sort_by_key(|(message, _)| message.id);
    let resources = messages.iter().map(|(message, letter_state)| MessageResource::of(message, letter_state));
    Ok(paged::<_, MessagePage>(&uri, paging::page(resources, |m| m.id, request)))
}
