//! Role profiles: who sees which, their owners, and the weights a recruiter sets by hand.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::profile::{DeadlineContext, ProfileDetails, ProfileInput, RoleProfile};
use crate::domain::user::{Role, User};
use crate::error::{AppError, AppResult};
use crate::http::ProfileCompetency;
use crate::service::audit;
use crate::store::OverrideRecord;

/// Profile `id`: 404 when there is none, 403 when `user` may not see it.
pub async fn get(state: &AppState, user: &User, id: i64) -> AppResult<RoleProfile> {
    let profile = state.store.get_profile(id).await?;
    if user.may_view_profile(&profile) { Ok(profile) } else { Err(AppError::Forbidden) }
}

/// A profile's owner must be an active hiring manager.
async fn check_owner(state: &AppState, details: &ProfileDetails) -> Result<(), FieldErrors> {
    let Some(id) = details.hiring_manager_id else {
        return Ok(());
    };
    match state.store.get_user(id).await {
        Ok(user) if user.active && user.role == Role::HiringManager => Ok(()),
        Ok(_) => Err(FieldErrors::single("hiring_manager_id", Problem::NotAHiringManager)),
        Err(_) => Err(FieldErrors::single("hiring_manager_id", Problem::UnknownUser)),
    }
}

/// Parses a profile and checks its owner; all of the input's problems at once.
pub async fn parse(
    state: &AppState,
    input: &ProfileInput,
    context: DeadlineContext,
) -> Result<ProfileDetails, FieldErrors> {
    let details = input.parse(context)?;
    check_owner(state, &details).await?;
    Ok(details)
}

/// Sets one competency's weight (and minimum) by hand, on the audit trail.
pub async fn override_weight(
    state: &AppState,
    user: &User,
    target: &ProfileCompetency,
    (weight, minimum): (i64, Option<i64>),
) -> AppResult<()> {
    let change = OverrideRecord { competency_id: &target.competency, weight, minimum, set_by: user.id };
    state.store.set_weight_override(target.profile_id, &change).await?;
    let minimum = minimum.map(|m| format!(", minimum {m}")).unwrap_or_default();
    weights_changed(state, user, target, &format!("weight {weight}{minimum}")).await
}

/// Takes a competency of a profile back to the derived weight and minimum, on the trail.
pub async fn reset_weight_override(state: &AppState, user: &User, target: &ProfileCompetency) -> AppResult<()> {
    state.store.reset_weight_override(target.profile_id, &target.competency).await?;
    weights_changed(state, user, target, "back to the derived weight").await
}

/// Puts a change of one competency's weight on the audit trail.
async fn weights_changed(state: &AppState, user: &User, target: &ProfileCompetency, change: &str) -> AppResult<()> {
    let detail = format!("{}: {change}", target.competency);
    let subject = (AuditSubject::Profile, target.profile_id);
    audit::record(state.store.as_ref(), user, AuditAction::ChangeWeights, subject, &detail).await
}
