//! Letters on the web: the page where a recruiter writes a letter about an application (a
//! preview with the candidate's real data, then send), and the letters on a candidate's page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, Response};
use chrono_tz::Tz;
use serde::Deserialize;

use super::form::{Control, Field, FieldBuilder, error_summary, shown};
use super::{Notice, Page, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::input::{FieldErrors, lenient_text};
use crate::domain::letter::{BODY_MAX, LetterInput, LetterKind, NOTE_MAX, SUBJECT_MAX, SentLetterKind};
use crate::domain::profile::AdLanguage;
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::{HtmlForm, ResourceId};
use crate::i18n::I18n;
use crate::service::candidates;
use crate::service::letters::{self, LetterState};
use crate::store::{Message, NewMessage};

pub fn routes() -> Routes {
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default().get("/applications/{id}/letter", manage, letter_page).post(
        "/applications/{id}/letter",
        manage,
        write,
    )
}

/// The letter form as the browser sends it: the letter, the form's own key, and which button.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LetterForm {
    #[serde(flatten)]
    letter: LetterInput,
    /// Made when the page was shown: the same form sent twice makes one letter.
    #[serde(deserialize_with = "lenient_text")]
    letter_key: Option<String>,
    /// `send`, or anything else for a preview.
    #[serde(deserialize_with = "lenient_text")]
    action: Option<String>,
}

#[derive(Template)]
#[template(path = "letters/write.html")]
struct LetterPage {
    page: Page,
    application_id: i64,
    candidate_id: i64,
    candidate_name: String,
    /// "Letter to Sofie Vestergaard".
    heading: String,
    /// "Key Account Manager – Nordlys A/S".
    about: String,
    fields: Vec<Field>,
    error_summary: Vec<(&'static str, String, String)>,
    letter_key: String,
    preview: Option<Preview>,
    /// Said above the form when amfit sends no mail: the letter will wait.
    not_configured: bool,
}

/// The letter as the candidate would get it.
struct Preview {
    to: String,
    subject: String,
    text: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LetterQuery {
    kind: Option<String>,
}

async fn letter_page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    Query(query): Query<LetterQuery>,
) -> AppResult<Html<String>> {
    let form = LetterForm {
        letter: LetterInput { kind: query.kind, ..LetterInput::default() },
        letter_key: Some(letters::new_message_id()),
        action: None,
    };
    render(&letter_page_of(&state, &user, page, id, &form, &FieldErrors::default(), None).await?)
}

/// Previews the letter, or sends it and goes back to the candidate's page; a refused letter is
/// shown again as typed, each problem beside its field.
async fn write(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(form): HtmlForm<LetterForm>,
) -> AppResult<Response> {
    let outcome = if form.action.as_deref() == Some("send") {
        letters::send(&state, &user, id, &form.letter, Some(form.letter_key.as_deref().unwrap_or_default()))
            .await
            .map(|_| Written::Sent)
    } else {
        letters::preview(&state, &user, id, &form.letter).await.map(Written::Previewed)
    };
    match outcome {
        Ok(Written::Sent) => {
            let application = candidates::application_seen_by(&state, &user, id).await?;
            let candidate = application.application.candidate_id;
            Ok(see_other(format!("/candidates/{candidate}?{}#letters-heading", Notice::LetterQueued.query())))
        }
        Ok(Written::Previewed(letter)) => {
            let preview = Preview { to: letter.recipient, subject: letter.letter.subject, text: letter.letter.text };
            let shown = letter_page_of(&state, &user, page, id, &form, &FieldErrors::default(), Some(preview)).await?;
            render_with_status(StatusCode::OK, &shown)
        }
        Err(AppError::Invalid(errors)) => {
            let shown = letter_page_of(&state, &user, page, id, &form, &errors, None).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &shown)
        }
        Err(other) => Err(other),
    }
}

enum Written {
    Sent,
    Previewed(NewMessage),
}

async fn letter_page_of(
    state: &AppState,
    user: &User,
    page: Page,
    id: i64,
    form: &LetterForm,
    errors: &FieldErrors,
    preview: Option<Preview>,
) -> AppResult<LetterPage> {
    let application = candidates::application_seen_by(state, user, id).await?;
    let candidate = candidates::changeable(state, application.application.candidate_id).await?;
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let input = &form.letter;
    let language = input.language.clone().or_else(|| Some(application.application.language.as_str().to_owned()));
    let fields = vec![
        b.select::<SentLetterKind>("kind", true, &input.kind),
        b.select::<AdLanguage>("language", true, &language),
        b.field("note", false, Control::TextArea { value: shown(&input.note), max: NOTE_MAX as u64 }),
        Field {
            // `field-subject` is the audit filter's "About".
            label: i18n.t("letter-subject"),
            hint: Some(i18n.t("letter-subject-hint")),
            ..b.field("subject", false, Control::Text { value: shown(&input.subject), max: SUBJECT_MAX as u64 })
        },
        b.field("body", false, Control::TextArea { value: shown(&input.body), max: BODY_MAX as u64 }),
    ];
    Ok(LetterPage {
        application_id: id,
        candidate_id: candidate.id,
        candidate_name: candidate.details.name.clone(),
        heading: i18n.t1("letter-heading", "name", &candidate.details.name),
        about: format!("{} – {}", application.profile_title, application.company_name),
        error_summary: error_summary(&fields),
        fields,
        letter_key: form.letter_key.clone().unwrap_or_else(letters::new_message_id),
        preview,
        not_configured: !state.sends_mail,
        page,
    })
}

/// A letter as a candidate's page lists it.
pub struct LetterLine {
    pub kind: String,
    pub subject: String,
    pub to: String,
    pub language: String,
    /// When it was written, and by whom.
    pub written: String,
    /// Where it stands: sent when, waiting, retrying or failed and why.
    pub state: String,
    /// Whether it needs the reader's attention: failed, or waiting for a mail server.
    pub alarming: bool,
    pub text: String,
}

/// The letters written to candidate `id` that `user` may see, newest first.
/// The letters to candidate `id`, each at the time of the company its application is with
/// (`zones`, by application).
pub async fn letter_lines(
    state: &AppState,
    user: &User,
    id: i64,
    i18n: I18n,
    zones: &HashMap<i64, Tz>,
) -> AppResult<Vec<LetterLine>> {
    let letters = letters::of_candidate(state, user, id).await?;
    let zoned = |message: &Message| match message.application_id.and_then(|id| zones.get(&id)) {
        Some(zone) => i18n.in_zone(*zone),
        None => i18n,
    };
    Ok(letters.iter().map(|(message, letter_state)| letter_line(message, letter_state, zoned(message))).collect())
}

fn letter_line(message: &Message, letter_state: &LetterState, i18n: I18n) -> LetterLine {
    let when = i18n.timestamp(&message.created_at);
    let written = match &message.sent_by {
        Some(by) => i18n.tn("letter-written-by", &[("when", &when), ("name", by)]),
        None => i18n.t1("letter-written-by-amfit", "when", &when),
    };
    let state = match letter_state {
        LetterState::Queued => i18n.t("letter-state-queued"),
        LetterState::Retrying(said) => i18n.t1("letter-state-retrying", "said", said),
        LetterState::Sent => {
            let at = message.sent_at.as_ref().map(|at| i18n.timestamp(at)).unwrap_or_default();
            i18n.t1("letter-state-sent", "when", &at)
        }
        LetterState::Failed(said) => i18n.t1("letter-state-failed", "said", said),
        LetterState::NotConfigured => i18n.t("letter-state-not-configured"),
    };
    LetterLine {
        kind: i18n.t(&message.kind.label_key()),
        subject: message.subject.clone(),
        to: message.recipient.clone(),
        language: i18n.t(&message.language.label_key()),
        written,
        state,
        alarming: matches!(letter_state, LetterState::Failed(_) | LetterState::NotConfigured),
        text: if message.kind == LetterKind::Confirmation {
            i18n.t("letter-confirmation-withheld")
        } else {
            message.body_text.clone()
        },
    }
}
