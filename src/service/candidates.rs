//! Candidates: who sees which (recording each view), their applications, and interview plans.

use std::collections::HashSet;
use std::sync::Arc;

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::candidate::{ApplicationInput, Assignment, AssignmentInput, Candidate};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::{audit, today};
use crate::store::{ApplicationOverview, ApplicationsOf, CandidateOverview, NewApplication, StoreError};

/// The candidates `user` may see: all (`None`), or those who applied to a profile they own.
pub async fn visible_ids(state: &AppState, user: &User) -> AppResult<Option<HashSet<i64>>> {
    if !user.role.sees_only_own_profiles() {
        return Ok(None);
    }
    let applications = state.store.list_applications(ApplicationsOf::HiringManager(user.id)).await?;
    Ok(Some(applications.iter().map(|a| a.application.candidate_id).collect()))
}

/// Every candidate with their number of applications, by name, at the data `revision`;
/// served from memory while the data is unchanged (the list is the recruiters' most visited page).
pub async fn all(state: &AppState, revision: i64) -> AppResult<Arc<Vec<CandidateOverview>>> {
    Ok(state.reads.candidates.get_or_load((), revision, state.store.list_candidates()).await?)
}

/// A candidate as one user sees them.
pub struct CandidateView {
    pub candidate: Candidate,
    /// Every application of theirs, for what is judged from all of them (retention).
    pub applications: Vec<ApplicationOverview>,
    /// The applications the user may see.
    pub visible: Vec<ApplicationOverview>,
}

/// Candidate `id` as `user` sees them: 404 without the candidate, 403 for a hiring manager
/// none of whose profiles they applied to.
pub async fn seen_by(state: &AppState, user: &User, id: i64) -> AppResult<CandidateView> {
    let candidate = state.store.get_candidate(id).await?;
    let applications = state.store.list_applications(ApplicationsOf::Candidate(id)).await?;
    let visible: Vec<_> =
        applications.iter().filter(|a| user.sees_work_owned_by(a.hiring_manager_id)).cloned().collect();
    if visible.is_empty() && user.role.sees_only_own_profiles() {
        return Err(AppError::Forbidden);
    }
    Ok(CandidateView { candidate, applications, visible })
}

/// [`seen_by`], with the view of their personal data on the audit trail.
pub async fn view(state: &AppState, user: &User, id: i64) -> AppResult<CandidateView> {
    let seen = seen_by(state, user, id).await?;
    audit::record(state.store.as_ref(), user, AuditAction::ViewCandidate, (AuditSubject::Candidate, id), "").await?;
    Ok(seen)
}

/// The candidate `id`, unless their personal data was erased: a change would bring it back.
pub async fn changeable(state: &AppState, id: i64) -> AppResult<Candidate> {
    let candidate = state.store.get_candidate(id).await?;
    if candidate.erased_at.is_some() { Err(AppError::Erased) } else { Ok(candidate) }
}

/// Records a new application; [`AppError::Invalid`] says why not (an unknown profile, a
/// second application).
pub async fn record_application(
    state: &AppState,
    candidate_id: i64,
    input: &ApplicationInput,
    by: i64,
) -> AppResult<ApplicationOverview> {
    let (profile_id, applied_on) = input.parse(today()).map_err(AppError::Invalid)?;
    changeable(state, candidate_id).await?;
    let new = NewApplication { candidate_id, profile_id, applied_on, by };
    match state.store.create_application(new).await {
        Ok(application) => Ok(application),
        Err(StoreError::NotFound) => {
            Err(AppError::Invalid(FieldErrors::single("profile_id", Problem::UnknownChoice { allowed: vec![] })))
        }
        Err(StoreError::Duplicate) => {
            Err(AppError::Invalid(FieldErrors::single("profile_id", Problem::AlreadyApplied)))
        }
        Err(other) => Err(other.into()),
    }
}

/// Assigns an active user the competencies of the rubric they are to rate;
/// [`AppError::Invalid`] says why not.
pub async fn plan_interview(state: &AppState, application_id: i64, input: &AssignmentInput) -> AppResult<Assignment> {
    let known: Vec<&str> = state.rubric.competencies.iter().map(|c| c.id.as_str()).collect();
    let (interviewer, competencies) = input.parse(&known).map_err(AppError::Invalid)?;
    match state.store.get_user(interviewer).await {
        Ok(user) if user.active => {}
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(AppError::Invalid(FieldErrors::single("interviewer_id", Problem::UnknownUser)));
        }
        Err(other) => return Err(other.into()),
    }
    Ok(state.store.assign(application_id, interviewer, &competencies).await?)
}
