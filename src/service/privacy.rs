//! Candidates' rights under the GDPR: everything amfit holds about one candidate (an access
//! request, art. 15), and erasure of their personal data on request (art. 17), each on the
//! audit trail.

use crate::domain::document::DocumentInfo;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::domain::ad::AdVersion;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::{Application, Candidate};
use crate::domain::comment::Comment;
use crate::domain::decision::Decision;
use crate::domain::letter::LetterKind;
use crate::domain::profile::AdLanguage;
use crate::domain::scorecard::Scorecard;
use crate::domain::user::User;
use crate::error::AppResult;
use crate::service::audit;
use crate::store::{ApplicationsOf, Erasure, Message, ScorecardsOf};

/// Everything held about one candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateExport {
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    pub candidate: Candidate,
    pub applications: Vec<ApplicationExport>,
    /// The documents they sent; the file export holds each beside this data.
    pub documents: Vec<DocumentInfo>,
    /// Every letter written to them, oldest first, as it was written.
    pub letters: Vec<LetterExport>,
    /// What colleagues wrote about them, oldest first.
    pub comments: Vec<Comment>,
}

/// A letter written to the candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct LetterExport {
    pub kind: LetterKind,
    pub application_id: Option<i64>,
    pub to: String,
    pub language: AdLanguage,
    pub subject: String,
    /// The letter's text (its plain-text part); empty for a request to confirm, whose link only
    /// the applicant may use.
    pub text: String,
    /// `queued`, `sent` or `failed`.
    #[schema(example = "sent")]
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<Message> for LetterExport {
    fn from(message: Message) -> Self {
        let status = message.status.as_str();
        LetterExport {
            kind: message.kind,
            application_id: message.application_id,
            to: message.recipient,
            language: message.language,
            subject: message.subject,
            text: message.body_text,
            status,
            created_at: message.created_at,
            sent_at: message.sent_at,
        }
    }
}

/// One application with what was recorded about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationExport {
    #[serde(flatten)]
    pub application: Application,
    pub profile_title: String,
    pub company_name: String,
    /// Every version of every interviewer's scorecard, with the evidence written.
    pub scorecards: Vec<Scorecard>,
    pub decisions: Vec<Decision>,
    /// The newest saved version of the job ad of the role applied to, if one was saved.
    pub job_ad: Option<AdVersion>,
}

/// The export of candidate `id`, on the audit trail as an export by `user`.
pub async fn export(state: &AppState, user: &User, id: i64) -> AppResult<CandidateExport> {
    let candidate = state.store.get_candidate(id).await?;
    let mut decisions = state.store.list_decisions(ApplicationsOf::Candidate(id)).await?;
    let mut applications = Vec::new();
    for overview in state.store.list_applications(ApplicationsOf::Candidate(id)).await? {
        let application_id = overview.application.id;
        let profile_id = overview.application.profile_id;
        applications.push(ApplicationExport {
            scorecards: state.store.list_scorecards(ScorecardsOf::Application(application_id)).await?,
            decisions: decisions.extract_if(.., |d| d.application_id == application_id).collect(),
            job_ad: state.store.list_ad_versions(profile_id).await?.into_iter().next(),
            profile_title: overview.profile_title,
            company_name: overview.company_name,
            application: overview.application,
        });
    }
    let subject = (AuditSubject::Candidate, id);
    audit::record_reading(state.store.as_ref(), user, AuditAction::ExportData, subject, AuditDetail::AccessExport)
        .await?;
    let documents = state.store.list_documents(id).await?;
    let mut messages = state.store.messages_of(id).await?;
    messages.sort_by_key(|message| message.id);
    let letters = messages.into_iter().map(LetterExport::from).collect();
    Ok(CandidateExport {
        exported_at: Utc::now(),
        exported_by: user.name.clone(),
        candidate,
        applications,
        documents,
        letters,
        comments: state.store.list_comments(id).await?,
    })
}

/// The export of candidate `id` (as [`export`]) with the bytes of each of their documents.
pub async fn export_with_documents(
    state: &AppState,
    user: &User,
    id: i64,
) -> AppResult<(CandidateExport, Vec<(DocumentInfo, Vec<u8>)>)> {
    let export = export(state, user, id).await?;
    let mut files = Vec::with_capacity(export.documents.len());
    for document in &export.documents {
        files.push(state.store.read_document(id, document.id).await?);
    }
    Ok((export, files))
}

/// Erases candidate `id`'s personal data, on the audit trail (by id only) when there was any.
pub async fn erase(state: &AppState, user: &User, id: i64) -> AppResult<Erasure> {
    let subject = (AuditSubject::Candidate, id);
    let erased = audit::entry(user, AuditAction::EraseData, subject, AuditDetail::ErasedOnRequest);
    Ok(state.store.erase_candidate(id, &erased).await?)
}
