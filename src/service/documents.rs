//! The documents candidates sent with their applications, for those who may see them.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::document::{DocumentInfo, DocumentKind, RecognisedDocument};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::candidates::{self, CandidateView};
use crate::service::{audit, interviews};
use crate::store::{ApplicationOverview, ApplicationsOf, StoreError};

/// The most documents one candidate's record holds, those sent with applications included.
pub const MOST_A_CANDIDATE: usize = 20;

/// A file a recruiter adds to a candidate's record: its kind, the name it was sent with, its
/// bytes, and the application it belongs to, if any.
pub struct AddedFile {
    pub kind: DocumentKind,
    pub name: String,
    pub content: Vec<u8>,
    pub application_id: Option<i64>,
}

/// Adds `file` to candidate `id`'s record, its text read for search, on the audit trail as
/// `user`'s doing. 404 without the candidate, 409 once their data is erased, 422 for a file
/// that is neither a PDF nor a Word document (`file`), a record that holds the most documents
/// one may, or an application that is not the candidate's (`application_id`). The caller holds
/// a [`reading_permit`] from before the file arrived.
pub async fn add(state: &AppState, user: &User, id: i64, file: AddedFile) -> AppResult<DocumentInfo> {
    let candidate = candidates::changeable(state, id).await?;
    let applications = state.store.list_applications(ApplicationsOf::Candidate(candidate.id)).await?;
    let mut errors = FieldErrors::default();
    if file.application_id.is_some_and(|wanted| !applications.iter().any(|a| a.application.id == wanted)) {
        errors.add("application_id", Problem::UnknownChoice { allowed: vec![] });
    }
    if state.store.list_documents(id).await?.len() >= MOST_A_CANDIDATE {
        errors.add("file", Problem::TooManyItems { max: MOST_A_CANDIDATE as u64 });
    }
    let recognised = RecognisedDocument::recognise(file.kind, &file.name, file.content);
    if let Err(problem) = &recognised {
        errors.add("file", problem.clone());
    }
    let recognised = match recognised {
        Ok(recognised) if errors.is_empty() => recognised,
        _ => return Err(AppError::Invalid(errors)),
    };
    let text = state.documents.read(&recognised).await;
    let added = audit::entry(
        user,
        AuditAction::AddDocument,
        (AuditSubject::Candidate, id),
        AuditDetail::DocumentAdded(file.kind),
    );
    let document = recognised.with_text(text);
    match state.store.add_document(id, file.application_id, &document, &added).await {
        Err(StoreError::Conflict { .. }) => Err(AppError::Erased),
        other => Ok(other?),
    }
}

/// When to try again after the readers were all busy: one document is read in a second or two.
const READER_BUSY_RETRY_AFTER_SECS: u64 = 5;

/// A place among the documents held and read at once (as many as job-page applications), or
/// 503 while all are taken: taken before a file is read, so that uploads in flight hold no more
/// memory than that.
pub fn reading_permit(state: &AppState) -> AppResult<tokio::sync::SemaphorePermit<'_>> {
    state
        .applications_in_flight
        .try_acquire()
        .map_err(|_| AppError::Busy { retry_after_secs: READER_BUSY_RETRY_AFTER_SECS })
}

/// The documents of candidate `id` that `user` may see: those sent with an application the
/// user sees ([`candidates::seen_by`]), oldest first.
pub async fn of(state: &AppState, user: &User, id: i64) -> AppResult<Vec<DocumentInfo>> {
    let seen = candidates::seen_by(state, user, id).await?;
    visible(state, &seen).await
}

/// The documents of a candidate as `seen` by its reader.
pub async fn visible(state: &AppState, seen: &CandidateView) -> AppResult<Vec<DocumentInfo>> {
    let documents = state.store.list_documents(seen.candidate.id).await?;
    let everything = seen.visible.len() == seen.applications.len();
    Ok(documents
        .into_iter()
        .filter(|d| {
            everything || d.application_id.is_some_and(|id| seen.visible.iter().any(|a| a.application.id == id))
        })
        .collect())
}

/// Document `document_id` of candidate `candidate_id` with its bytes, if `user` may see it
/// (404 otherwise, as for a document that is not theirs); reading it is on the audit trail.
pub async fn read(
    state: &AppState,
    user: &User,
    candidate_id: i64,
    document_id: i64,
) -> AppResult<(DocumentInfo, Vec<u8>)> {
    if !of(state, user, candidate_id).await?.iter().any(|d| d.id == document_id) {
        return Err(AppError::NotFound);
    }
    read_recorded(state, user, candidate_id, document_id).await
}

/// The documents sent with the application that interview `assignment_id` is about, for its
/// interviewer (and those who manage candidates): what they read before the interview. An
/// interviewer sees no other document of the candidate's.
pub async fn of_interview(state: &AppState, user: &User, assignment_id: i64) -> AppResult<Vec<DocumentInfo>> {
    let assignment = interviews::seen_by(state, user, assignment_id).await?;
    sent_with(state, &state.store.get_application(assignment.application_id).await?).await
}

/// The documents sent with `application`, for a reader the caller has let see it.
pub async fn sent_with(state: &AppState, application: &ApplicationOverview) -> AppResult<Vec<DocumentInfo>> {
    let documents = state.store.list_documents(application.application.candidate_id).await?;
    Ok(documents.into_iter().filter(|d| d.application_id == Some(application.application.id)).collect())
}

/// Document `document_id` of interview `assignment_id`'s application with its bytes, if `user`
/// may see the interview (404 for a document that is not the application's); reading it is on
/// the audit trail.
pub async fn read_for_interview(
    state: &AppState,
    user: &User,
    assignment_id: i64,
    document_id: i64,
) -> AppResult<(DocumentInfo, Vec<u8>)> {
    let documents = of_interview(state, user, assignment_id).await?;
    let document = documents.iter().find(|d| d.id == document_id).ok_or(AppError::NotFound)?;
    read_recorded(state, user, document.candidate_id, document_id).await
}

/// Document `document_id` of candidate `candidate_id`, its reading recorded on the audit trail.
async fn read_recorded(
    state: &AppState,
    user: &User,
    candidate_id: i64,
    document_id: i64,
) -> AppResult<(DocumentInfo, Vec<u8>)> {
    let (info, content) = state.store.read_document(candidate_id, document_id).await?;
    let subject = (AuditSubject::Candidate, candidate_id);
    let detail = AuditDetail::DocumentRead(document_id);
    audit::record_reading(state.store.as_ref(), user, AuditAction::ViewCandidate, subject, detail).await?;
    Ok((info, content))
}
