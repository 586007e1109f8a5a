//! Applying to a published ad, on its page (under a limit per client address) or through the
//! API: checking what a candidate sent, and keeping it as an application with its documents,
//! all or nothing.

use std::time::Duration;

use crate::app::AppState;
use crate::auth::client::ClientAddress;
use crate::domain::applying::ApplicationForm;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::document::{DocumentKind, OTHER_DOCUMENTS_MAX, RecognisedDocument};
use crate::domain::input::Problem;
use crate::domain::letter::TemplateKind;
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, Actor};
use crate::service::jobs::PublishedAd;
use crate::service::today;
use crate::service::{confirmations, letter_templates, letters, notifications};
use crate::store::{Intake, NewIntake};

/// How many applications one client address may send in [`LIMIT_WINDOW`]: more than a family or
/// an office sharing a router sends, far fewer than a flood.
const APPLICATIONS_PER_CLIENT: i64 = 10;
const LIMIT_WINDOW: Duration = Duration::from_secs(60 * 60);

/// When to try again after the server was too busy reading applications: one is read in a
/// second or two.
pub const BUSY_RETRY_AFTER_SECS: u64 = 5;

/// A file as the form sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFile {
    pub name: String,
    pub content: Vec<u8>,
}

/// Everything the application form sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submission {
    pub form: ApplicationForm,
    pub cv: Option<SentFile>,
    pub others: Vec<SentFile>,
}

/// Receives an application to the open job `job`, sent by `by` (the job page for a visitor who
/// was [`admit`]ted before the body was read, or an API client passing on what a candidate
/// sent it): refused with 422 naming every field that is wrong (nothing kept), else stored in
/// one transaction with an entry on the audit trail, and the candidate is sent the receipt.
pub async fn apply(state: &AppState, job: &PublishedAd, by: Actor<'_>, sent: Submission) -> AppResult<Intake> {
    let checked = sent.form.check(today());
    let recognised = recognise_documents(sent.cv, sent.others);
    let (mut checked, recognised) = match (checked, recognised) {
        (Ok(checked), Ok(recognised)) => (checked, recognised),
        (checked, recognised) => {
            let mut errors = checked.err().unwrap_or_default();
            errors.extend(recognised.err().unwrap_or_default());
            return Err(AppError::Invalid(errors));
        }
    };
    // Read only once the application will be kept: a refused form costs no reader's time.
    let mut documents = Vec::with_capacity(recognised.len());
    for document in recognised {
        let text = state.documents.read(&document).await;
        documents.push(document.with_text(text));
    }
    let language = job.publication.language;
    let template = letter_templates::template_for(state, job.company_id, TemplateKind::Receipt, language).await?;
    let confirmation = confirmations::request(state, job, &checked.details, checked.details.talent_pool.is_some())?;
    if confirmation.is_some() {
        // Recorded once the owner of the address confirms it: a stranger may have typed it.
        checked.details.talent_pool = None;
    }
    let new = NewIntake {
        profile_id: job.publication.profile_id,
        details: &checked.details,
        source: checked.source.as_deref(),
        message: checked.message.as_deref(),
        applied_on: today(),
        documents: &documents,
        language: job.publication.language,
        receipt: &letters::receipt(job, &template, &checked.details),
        confirmation: confirmation.as_ref().map(confirmations::Request::asked),
    };
    let detail = AuditDetail::Received { job: job.publication.slug.clone(), documents: documents.len() };
    let received = |application_id| {
        let subject = (AuditSubject::Application, application_id);
        audit::entry(by, AuditAction::ReceiveApplication, subject, detail.clone())
    };
    let intake = state.store.receive_application(new, &received).await?;
    if let Ok(application) = state.store.get_application(intake.application_id).await {
        notifications::arrived(state, &application).await;
    }
    Ok(intake)
}

/// Counts an application against its client address before its body is read, so that a
/// flood is refused (429) before it is read, even when each of its applications is malformed.
pub async fn admit(state: &AppState, client: ClientAddress) -> AppResult<()> {
    let subject = format!("application client:{client}");
    let now = chrono::Utc::now();
    state.store.record_attempt(&[&subject], now).await?;
    let recent = state.store.count_attempts(&subject, now - LIMIT_WINDOW).await?;
    if recent > APPLICATIONS_PER_CLIENT {
        tracing::warn!(%client, recent, "application refused: too many from this address");
        return Err(AppError::TooManyApplications { retry_after_secs: LIMIT_WINDOW.as_secs() });
    }
    Ok(())
}

/// The CV (required) and the other documents, each recognised as a PDF or a Word document by
/// what it holds. Every problem is returned, named by its form field (`cv`, `documents`).
fn recognise_documents(
    cv: Option<SentFile>,
    others: Vec<SentFile>,
) -> Result<Vec<RecognisedDocument>, Vec<(&'static str, Problem)>> {
    let mut problems = Vec::new();
    if cv.is_none() {
        problems.push(("cv", Problem::Required));
    }
    if others.len() > OTHER_DOCUMENTS_MAX {
        problems.push(("documents", Problem::TooManyItems { max: OTHER_DOCUMENTS_MAX as u64 }));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let sent = cv
        .into_iter()
        .map(|file| ("cv", DocumentKind::Cv, file))
        .chain(others.into_iter().map(|file| ("documents", DocumentKind::Other, file)));
    let mut recognised = Vec::new();
    for (field, kind, file) in sent {
        match RecognisedDocument::recognise(kind, &file.name, file.content) {
            Ok(document) => recognised.push(document),
            Err(problem) => problems.push((field, problem)),
        }
    }
    if problems.is_empty() { Ok(recognised) } else { Err(problems) }
}
