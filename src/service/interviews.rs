//! Interviews: who may open an assignment, and an interviewer's scorecard, written as a
//! draft, submitted, or corrected as a new version, each on the audit trail.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::candidate::Assignment;
use crate::domain::scorecard::{Completeness, Scorecard, ScorecardInput};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::service::audit;

/// Assignment `id`, if `user` is its interviewer or manages candidates: 404 / 403 otherwise.
pub async fn seen_by(state: &AppState, user: &User, id: i64) -> AppResult<Assignment> {
    let assignment = state.store.get_assignment(id).await?;
    if assignment.interviewer_id != user.id && !user.role.grants(Permission::ManageCandidates) {
        return Err(AppError::Forbidden);
    }
    Ok(assignment)
}

/// Assignment `id`, if `user` is its interviewer: only they write its scorecard.
pub async fn interviewers_own(state: &AppState, user: &User, id: i64) -> AppResult<Assignment> {
    let assignment = seen_by(state, user, id).await?;
    if assignment.interviewer_id != user.id {
        return Err(AppError::Forbidden);
    }
    Ok(assignment)
}

/// Saves the interviewer's scorecard as a draft, or submits it (which locks it).
/// [`AppError::Invalid`] names what a draft or a submission lacks; [`AppError::Conflict`]
/// when it is submitted already.
pub async fn write_scorecard(
    state: &AppState,
    user: &User,
    assignment: &Assignment,
    input: &ScorecardInput,
    submit: bool,
) -> AppResult<Scorecard> {
    let completeness = if submit { Completeness::Submission } else { Completeness::Draft };
    let content = input.parse(&assignment.competencies, completeness).map_err(AppError::Invalid)?;
    let card = state.store.write_scorecard(assignment.id, &content, &state.rubric.version, submit).await?;
    let detail = if submit { "scorecard submitted" } else { "draft saved" };
    let subject = (AuditSubject::Interview, assignment.id);
    audit::record(state.store.as_ref(), user, AuditAction::ChangeScore, subject, detail).await?;
    tracing::info!(assignment_id = assignment.id, submit, "scorecard saved");
    Ok(card)
}

/// Starts a correction of the interviewer's submitted scorecard: a new draft version.
pub async fn start_correction(state: &AppState, user: &User, id: i64) -> AppResult<Scorecard> {
    interviewers_own(state, user, id).await?;
    let card = state.store.start_correction(id).await?;
    let subject = (AuditSubject::Interview, id);
    audit::record(state.store.as_ref(), user, AuditAction::ChangeScore, subject, "correction started").await?;
    Ok(card)
}
