//! Hiring decisions: who may record one, and recording it with its audit entry.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::decision::{Decision, DecisionInput};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::{audit, candidates};
use crate::store::{ApplicationOverview, ApplicationsOf, NewDecision};

/// Application `id`, if `user` is the hiring manager of its profile: 404 without it, 403 for
/// anyone else.
pub async fn decidable(state: &AppState, user: &User, id: i64) -> AppResult<ApplicationOverview> {
    let application = state.store.get_application(id).await?;
    if !user.decides_for(application.hiring_manager_id) {
        return Err(AppError::Forbidden);
    }
    Ok(application)
}

/// The decisions about application `id`, oldest first, if `user` sees the application.
pub async fn of_application(state: &AppState, user: &User, id: i64) -> AppResult<Vec<Decision>> {
    let application = candidates::application_seen_by(state, user, id).await?;
    let of_profile = state.store.list_decisions(ApplicationsOf::Profile(application.application.profile_id)).await?;
    Ok(of_profile.into_iter().filter(|d| d.application_id == id).collect())
}

/// Checks and records a decision; the application moves to the stage it leads to.
/// [`AppError::Invalid`] names the rejected fields; [`AppError::Conflict`] when the application
/// moved on since it was read.
pub async fn decide(
    state: &AppState,
    user: &User,
    application: &ApplicationOverview,
    input: &DecisionInput,
) -> AppResult<Decision> {
    let from = application.application.stage;
    let (verdict, reason, to) = input.parse(from).map_err(AppError::Invalid)?;
    let new =
        NewDecision { application_id: application.application.id, verdict, reason: &reason, from, to, by: user.id };
    let subject = (AuditSubject::Application, application.application.id);
    let decided = audit::entry(user, AuditAction::RecordDecision, subject, AuditDetail::Decided(verdict));
    let decision = state.store.record_decision(new, &decided).await?;
    tracing::info!(
        application_id = decision.application_id,
        verdict = verdict.as_str(),
        by = user.id,
        "decision recorded"
    );
    Ok(decision)
}
