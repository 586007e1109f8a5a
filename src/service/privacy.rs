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
use crate::domain::decision::Decision;
use crate::domain::scorecard::Scorecard;
use crate::domain::user::User;
use crate::error::AppResult;
use crate::service::audit;
use crate::store::{ApplicationsOf, Erasure, ScorecardsOf};

/// Everything held about one candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateExport {
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    pub candidate: Candidate,
    pub applications: Vec<ApplicationExport>,
    /// The documents they sent; the file export holds each beside this data.
    pub documents: Vec<DocumentInfo>,
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
    Ok(CandidateExport { exported_at: Utc::now(), exported_by: user.name.clone(), candidate, applications, documents })
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
