//! Applying on a job page: the form's multipart body read as it streams
//! ([`read_submission`]), and the page that confirms the application in the ad's language.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::jobs::{ApplicationFormView, JobPage, closed_page, job_at};
use super::{Page, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::routes::{Access, Routes};
use crate::domain::applying::ApplicationForm;
use crate::domain::audit::Agent;
use crate::domain::document::DOCUMENT_MAX_BYTES;
use crate::domain::input::{FieldErrors, Problem};
use crate::error::{AppError, AppResult};
use crate::http::application_form::{APPLICATION_BODY_MAX, Unreadable, read_submission};
use crate::i18n::{I18n, Lang};
use crate::service::applying;
use crate::service::audit::Actor;
use crate::service::jobs::Job;
use crate::service::letters;

pub fn routes() -> Routes {
    // Anyone may apply, and the application acts with nobody's rights: no session's authority is
    // used, so no CSRF token is asked for. The handler reads the body as it streams.
    let apply = axum::routing::post(apply).layer(DefaultBodyLimit::max(APPLICATION_BODY_MAX));
    Routes::default().public_upload("/jobs/{slug}/apply", apply).get("/jobs/{slug}/applied", Access::Public, applied)
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
        return Err(AppError::Busy { retry_after_secs: applying::BUSY_RETRY_AFTER_SECS });
    };
    applying::admit(&state, client).await?;
    let sent = match read_submission(multipart).await {
        Ok(read) => read.sent,
        Err(Unreadable::Malformed(reason)) => return Err(AppError::MalformedBody(reason)),
        Err(Unreadable::TimedOut) => {
            tracing::warn!(%client, "application cut off: its body did not arrive in time");
            return Err(AppError::BodyTimedOut);
        }
        Err(unreadable) => {
            let max_mb = (DOCUMENT_MAX_BYTES / (1024 * 1024)) as u64;
            let all_files = ("documents", Problem::DocumentTooLarge { max_mb });
            let (field, problem) = unreadable.part_problem().unwrap_or(all_files);
            let status = match unreadable {
                Unreadable::TextTooLong(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::PAYLOAD_TOO_LARGE,
            };
            let errors = FieldErrors::single(field, problem);
            // The rest of the body is not read: what was typed went with it.
            let form = |i18n: I18n| ApplicationFormView::new(i18n, &slug, &ApplicationForm::default(), &errors, &state);
            return render_with_status(status, &JobPage::new(page, &ad, form));
        }
    };
    let applied = see_other(format!("/jobs/{slug}/applied"));
    if sent.form.is_from_a_robot() {
        // Answered as if it were kept, so that the robot learns nothing.
        tracing::info!(%client, slug, "application with the hidden field filled in: not kept");
        return Ok(applied);
    }
    let form = sent.form.clone();
    match applying::apply(&state, &ad, Actor::Command(Agent::JobPage), sent).await {
        // One answer, whoever the address names: the form tells no stranger who applied.
        Ok(_) => Ok(applied),
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
