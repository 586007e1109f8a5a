//! Candidates' rights under the GDPR: everything amfit holds about one candidate, as one JSON
//! file (an access request, art. 15), and erasure of their personal data on request (art. 17),
//! from the candidate's page and the API.

use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::audit;
use super::{Notice, Page, ResourceId, render, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::ad::AdVersion;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::candidate::{Application, Candidate};
use crate::domain::decision::Decision;
use crate::domain::scorecard::Scorecard;
use crate::domain::user::{Permission, User};
use crate::error::AppResult;
use crate::store::{ApplicationsOf, Erasure, ScorecardsOf};

pub fn routes() -> Routes {
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default()
        .get("/candidates/{id}/export", manage, download)
        .get("/candidates/{id}/erase", manage, confirm_erasure)
        .post("/candidates/{id}/erase", manage, erase_on_request)
}

/// Everything held about one candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateExport {
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    pub candidate: Candidate,
    pub applications: Vec<ApplicationExport>,
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
    audit::record(
        state.store.as_ref(),
        user,
        AuditAction::ExportData,
        (AuditSubject::Candidate, id),
        "access request export",
    )
    .await?;
    Ok(CandidateExport { exported_at: Utc::now(), exported_by: user.name.clone(), candidate, applications })
}

/// The export as a file to save, named by the candidate's id (not their name).
pub fn as_file(export: &CandidateExport) -> AppResult<Response> {
    let body = serde_json::to_string_pretty(export).map_err(|e| crate::error::AppError::Internal(e.into()))?;
    let file = format!("attachment; filename=\"amfit-candidate-{}.json\"", export.candidate.id);
    Ok(([(CONTENT_TYPE, "application/json".to_owned()), (CONTENT_DISPOSITION, file)], body).into_response())
}

async fn download(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    as_file(&export(&state, &user, id).await?)
}

/// Erases candidate `id`'s personal data, on the audit trail (by id only) when there was any.
pub async fn erase(state: &AppState, user: &User, id: i64) -> AppResult<Erasure> {
    let erasure = state.store.erase_candidate(id).await?;
    if erasure == Erasure::Erased {
        let subject = (AuditSubject::Candidate, id);
        audit::record(state.store.as_ref(), user, AuditAction::EraseData, subject, "personal data erased on request")
            .await?;
    }
    Ok(erasure)
}

#[derive(Template)]
#[template(path = "candidates/confirm_erase.html")]
struct ConfirmErasurePage {
    page: Page,
    id: i64,
    name: String,
}

async fn confirm_erasure(
    State(state): State<AppState>,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let candidate = state.store.get_candidate(id).await?;
    render(&ConfirmErasurePage { page, id, name: candidate.details.name })
}

async fn erase_on_request(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let notice = match erase(&state, &user, id).await? {
        Erasure::Erased => Notice::Erased,
        Erasure::AlreadyErased => Notice::AlreadyErased,
    };
    Ok(see_other(format!("/candidates/{id}?{}", notice.query())))
}
