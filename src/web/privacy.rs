//! Candidates' rights under the GDPR: everything amfit holds about one candidate, as one JSON
//! file (an access request, art. 15), and erasure of their personal data on request (art. 17),
//! from the candidate's page and the API; and who retention anonymises soon, so that a
//! recruiter can ask them for talent-pool consent first.

use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Notice, Page, render, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::ad::AdVersion;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::candidate::{Application, Candidate};
use crate::domain::decision::Decision;
use crate::domain::retention::{KeptBecause, Retention};
use crate::domain::scorecard::Scorecard;
use crate::domain::user::{Permission, User};
use crate::error::AppResult;
use crate::http::ResourceId;
use crate::service::audit;
use crate::store::{ApplicationsOf, Erasure, ScorecardsOf};

pub fn routes() -> Routes {
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default()
        .get("/candidates/{id}/export", manage, download)
        .get("/candidates/{id}/erase", manage, confirm_erasure)
        .post("/candidates/{id}/erase", manage, erase_on_request)
        .get("/candidates/retention", manage, retention_page)
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

/// How far ahead the retention page looks.
const UPCOMING_DAYS: u64 = 60;

/// A candidate on the retention page.
struct RetentionLine {
    id: i64,
    name: String,
    /// When they are anonymised, or that it happens at the next run.
    when: String,
    why: String,
}

/// A candidate in the talent pool, with the days of their consent.
struct PoolLine {
    id: i64,
    name: String,
    given_on: String,
    until: String,
}

#[derive(Template)]
#[template(path = "candidates/retention.html")]
struct RetentionPage {
    page: Page,
    policy: String,
    upcoming: Vec<RetentionLine>,
    talent_pool: Vec<PoolLine>,
}

/// Who is anonymised within [`UPCOMING_DAYS`], soonest first, and who is in the talent pool.
async fn retention_page(State(state): State<AppState>, page: Page) -> AppResult<Html<String>> {
    let i18n = page.i18n;
    let now = Utc::now();
    let horizon = now + chrono::Days::new(UPCOMING_DAYS);
    let mut upcoming: Vec<(DateTime<Utc>, RetentionLine)> = Vec::new();
    for candidate in state.store.retention_candidates().await? {
        let (at, when, why) = match state.retention.verdict(&candidate.record, now) {
            Retention::Due => (now, i18n.t("retention-next-run"), i18n.t("retention-why-ended")),
            Retention::KeptUntil { until, reason } if until <= horizon => {
                let why = match reason {
                    KeptBecause::RetentionPeriod => i18n.t("retention-why-period"),
                    KeptBecause::TalentPool => i18n.t("retention-why-consent"),
                };
                (until, i18n.date(&until.date_naive()), why)
            }
            _ => continue,
        };
        upcoming.push((at, RetentionLine { id: candidate.id, name: candidate.name, when, why }));
    }
    upcoming.sort_by_key(|(at, line)| (*at, line.id));
    let talent_pool = crate::service::candidates::all(&state, state.store.revision().await?)
        .await?
        .iter()
        .filter_map(|o| Some((&o.candidate, o.candidate.details.talent_pool?)))
        .map(|(candidate, consent)| PoolLine {
            id: candidate.id,
            name: candidate.details.name.clone(),
            given_on: i18n.date(&consent.given_on),
            until: i18n.date(&consent.until),
        })
        .collect();
    let months = i18n.months(state.retention.length_in_months());
    render(&RetentionPage {
        policy: i18n.tn("retention-policy", &[("months", &months), ("days", &UPCOMING_DAYS.to_string())]),
        upcoming: upcoming.into_iter().map(|(_, line)| line).collect(),
        talent_pool,
        page,
    })
}
