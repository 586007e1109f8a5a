//! Applying on a job page: the form's multipart body read as it streams, each file held to
//! its size as it arrives, and the page that confirms the application in the ad's language.

use askama::Template;
use axum::extract::multipart::{Field as Part, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::jobs::{ApplicationFormView, JobPage, closed_page, job_at};
use super::{Page, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::routes::{Access, Routes};
use crate::domain::applying::{ApplicationForm, MESSAGE_MAX};
use crate::domain::document::DOCUMENT_MAX_BYTES;
use crate::domain::input::{FieldErrors, Problem};
use crate::error::{AppError, AppResult};
use crate::http::body::{arrived_too_late, part_within};
use crate::i18n::{I18n, Lang};
use crate::service::applying::{self, Outcome, SentFile, Submission};
use crate::service::jobs::Job;
use crate::service::letters;

/// The most an application's body may hold: the CV and the other documents together, with
/// room for the text fields and the multipart framing.
const APPLICATION_BODY_MAX: usize = 2 * DOCUMENT_MAX_BYTES + 256 * 1024;
/// When to try again after the server was too busy reading applications: one is read in a
/// second or two.
const BUSY_RETRY_AFTER_SECS: u64 = 5;

/// The most a text field may hold, in bytes: the longest message in four-byte characters.
const TEXT_FIELD_MAX: usize = 4 * MESSAGE_MAX + 1024;

pub fn routes() -> Routes {
    // Anyone may apply, and the application acts with nobody's rights: no session's authority is
    // used, so no CSRF token is asked for. The handler reads the body as it streams.
    let apply = axum::routing::post(apply).layer(DefaultBodyLimit::max(APPLICATION_BODY_MAX));
    Routes::default().public_upload("/jobs/{slug}/apply", apply).get("/jobs/{slug}/applied", Access::Public, applied)
}

/// Why a body could not be read as an application.
enum Unreadable {
    /// A file past [`DOCUMENT_MAX_BYTES`], named by its field, or the body past its limit.
    TooLarge(&'static str),
    /// The body had not arrived in full when its time was up.
    TimedOut,
    Malformed(String),
}

impl From<MultipartError> for Unreadable {
    fn from(error: MultipartError) -> Self {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Unreadable::TooLarge("documents")
        } else if arrived_too_late(&error) {
            Unreadable::TimedOut
        } else {
            Unreadable::Malformed(error.body_text())
        }
    }
}

/// Reads the form's parts in the order sent, each held to its limit as it arrives: a file that
/// grows past [`DOCUMENT_MAX_BYTES`] is refused before the rest of it is read ([`part_within`]). A file input left
/// empty sends a part without a name or bytes, which counts as no file. Unknown parts are
/// passed over.
async fn read_submission(mut multipart: Multipart) -> Result<Submission, Unreadable> {
    let mut sent = Submission::default();
    while let Some(part) = multipart.next_field().await? {
        let name = part.name().unwrap_or_default().to_owned();
        let text_field = match name.as_str() {
            "name" => &mut sent.form.name,
            "email" => &mut sent.form.email,
            "phone" => &mut sent.form.phone,
            "message" => &mut sent.form.message,
            "talent_pool" => &mut sent.form.talent_pool,
            "source" => &mut sent.form.source,
            "website" => &mut sent.form.website,
            "cv" | "documents" => {
                let field = if name == "cv" { "cv" } else { "documents" };
                if let Some(file) = read_file(part, field).await? {
                    if field == "cv" { sent.cv = Some(file) } else { sent.others.push(file) }
                }
                continue;
            }
            _ => continue,
        };
        let bytes =
            part_within(part, TEXT_FIELD_MAX).await?.ok_or(Unreadable::Malformed(format!("{name} is too long")))?;
        let text = String::from_utf8(bytes).map_err(|_| Unreadable::Malformed(format!("{name} is not UTF-8 text")))?;
        *text_field = Some(text);
    }
    Ok(sent)
}

async fn read_file(part: Part<'_>, field: &'static str) -> Result<Option<SentFile>, Unreadable> {
    let name = part.file_name().unwrap_or_default().to_owned();
    let content = part_within(part, DOCUMENT_MAX_BYTES).await?.ok_or(Unreadable::TooLarge(field))?;
    Ok((!(name.is_empty() && content.is_empty())).then_some(SentFile { name, content }))
}

async fn apply(
    State(state): State<AppState>,
    page: Page,
    client: ClientAddress,
    Path(slug): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let ad = match job_at(&state, &slug).await? {
        Job::Open(ad) => ad,
        Job::Closed { company, others } => return closed_page(page, company, others),
    };
    let multipart = multipart.map_err(|rejection| AppError::MalformedBody(rejection.body_text()))?;
    // Held until the application is kept: its documents are in memory till then. Taken first,
    // so that an answer of "busy, nothing read" does not count against the sender's address.
    let Ok(_in_flight) = state.applications_in_flight.try_acquire() else {
        tracing::warn!(%client, "application refused: as many are being received as are read at once");
        return Err(AppError::Busy { retry_after_secs: BUSY_RETRY_AFTER_SECS });
    };
    applying::admit(&state, client).await?;
    let sent = match read_submission(multipart).await {
        Ok(sent) => sent,
        Err(Unreadable::Malformed(reason)) => return Err(AppError::MalformedBody(reason)),
        Err(Unreadable::TimedOut) => {
            tracing::warn!(%client, "application cut off: its body did not arrive in time");
            return Err(AppError::BodyTimedOut);
        }
        Err(Unreadable::TooLarge(field)) => {
            let max_mb = (DOCUMENT_MAX_BYTES / (1024 * 1024)) as u64;
            let errors = FieldErrors::single(field, Problem::DocumentTooLarge { max_mb });
            // The rest of the body is not read: what was typed went with it.
            let form = |i18n: I18n| ApplicationFormView::new(i18n, &slug, &ApplicationForm::default(), &errors, &state);
            return render_with_status(StatusCode::PAYLOAD_TOO_LARGE, &JobPage::new(page, &ad, form));
        }
    };
    let form = sent.form.clone();
    match applying::apply(&state, &ad, client, sent).await {
        // One answer, whoever the address names: the form tells no stranger who applied.
        Ok(Outcome::Received(_) | Outcome::Ignored) => Ok(see_other(format!("/jobs/{slug}/applied"))),
        Err(AppError::Invalid(errors)) => {
            let form = |i18n: I18n| ApplicationFormView::new(i18n, &slug, &form, &errors, &state);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &JobPage::new(page, &ad, form))
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "jobs/applied.html")]
struct AppliedPage {
    page: Page,
    title: String,
    /// Which job, at which company, was applied to.
    lead: String,
    /// What happens next, and by when.
    next: String,
    privacy_url: Option<String>,
}

/// The confirmation, in the ad's language. It names no applicant: anyone may open it.
async fn applied(State(state): State<AppState>, mut page: Page, Path(slug): Path<String>) -> AppResult<Response> {
    let ad = match job_at(&state, &slug).await? {
        Job::Open(ad) => ad,
        Job::Closed { company, others } => return closed_page(page, company, others),
    };
    page.i18n = I18n::new(Lang::of_content(ad.publication.language));
    let next = letters::next_steps(&ad);
    let confirmation = AppliedPage {
        title: ad.title.clone(),
        lead: page.i18n.tn("applied-text", &[("title", &ad.title), ("company", &ad.company)]),
        next,
        privacy_url: ad.privacy_url.clone(),
        page,
    };
    render_with_status(StatusCode::OK, &confirmation)
}
