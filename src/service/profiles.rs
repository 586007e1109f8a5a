//! Role profiles: who sees which, their owners, and the weights a recruiter sets by hand.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::company::Company;
use crate::domain::input::{FieldErrors, Problem, versioned};
use crate::domain::profile::{DeadlineContext, ProfileDetails, ProfileInput, RoleProfile};
use crate::domain::rubric::{DerivedWeight, Rubric, WeightOverride};
use crate::domain::scoring::Requirement;
use crate::domain::user::{Role, User};
use crate::error::{AppError, AppResult};
use crate::service::{audit, today};
use crate::store::{ApplicationOverview, ApplicationsOf, NewAuditEntry, OverrideRecord, ProfileOverview};

/// One competency of one profile: what a weight override is about.
pub struct ProfileCompetency {
    pub profile_id: i64,
    /// A competency id of the rubric.
    pub competency: String,
}

/// Profile `id`: 404 when there is none, 403 when `user` may not see it.
pub async fn get(state: &AppState, user: &User, id: i64) -> AppResult<RoleProfile> {
    let profile = state.store.get_profile(id).await?;
    check_visible(user, &profile)?;
    Ok(profile)
}

/// 403 unless `user` may see `profile` and what belongs to it.
pub fn check_visible(user: &User, profile: &RoleProfile) -> AppResult<()> {
    if user.may_view_profile(profile) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Every profile `user` sees, by company and title.
pub async fn list(state: &AppState, user: &User) -> AppResult<Vec<ProfileOverview>> {
    let revision = state.store.revision().await?;
    let profiles = state.reads.profiles.get_or_load((), revision, state.store.list_profiles()).await?;
    Ok(profiles.iter().filter(|o| user.may_view_profile(&o.profile)).cloned().collect())
}

/// The active hiring managers: who may own a profile.
pub async fn possible_owners(state: &AppState) -> AppResult<Vec<User>> {
    let users = state.store.list_users().await?;
    Ok(users.into_iter().filter(|u| u.active && u.role == Role::HiringManager).collect())
}

/// The name of the profile's owner, if it has one.
pub async fn owner_name(state: &AppState, profile: &RoleProfile) -> AppResult<Option<String>> {
    match profile.details.hiring_manager_id {
        Some(owner) => Ok(Some(state.store.get_user(owner).await?.name)),
        None => Ok(None),
    }
}

/// A new profile of company `company_id` (404 without it); [`AppError::Invalid`] names every
/// problem of the input.
pub async fn create(state: &AppState, company_id: i64, input: &ProfileInput) -> AppResult<RoleProfile> {
    state.store.get_company(company_id).await?;
    let context = DeadlineContext { today: today(), stored_deadline: None, stored_interview_week: None };
    let details = parse(state, input, context).await.map_err(AppError::Invalid)?;
    Ok(state.store.create_profile(company_id, &details).await?)
}

/// Changes profile `id` if it is still at the input's version: [`AppError::Conflict`]
/// otherwise; [`AppError::Invalid`] names every problem of the input, version included. A
/// deadline already past may stay as it was.
pub async fn update(state: &AppState, id: i64, input: &ProfileInput) -> AppResult<RoleProfile> {
    let stored = state.store.get_profile(id).await?;
    let context = DeadlineContext {
        today: today(),
        stored_deadline: stored.details.application_deadline,
        stored_interview_week: stored.details.terms.interview_week,
    };
    let (version, details) =
        versioned(&input.version, parse(state, input, context).await).map_err(AppError::Invalid)?;
    Ok(state.store.update_profile(id, version, &details).await?)
}

/// Deletes profile `id` and returns what it was; only at `expected_version` when one is given.
pub async fn delete(state: &AppState, id: i64, expected_version: Option<i64>) -> AppResult<RoleProfile> {
    let profile = state.store.get_profile(id).await?;
    state.store.delete_profile(id, expected_version).await?;
    Ok(profile)
}

/// The applications to `profile`, which its reader was allowed to see ([`get`]).
pub async fn applications(state: &AppState, profile: &RoleProfile) -> AppResult<Vec<ApplicationOverview>> {
    Ok(state.store.list_applications(ApplicationsOf::Profile(profile.id)).await?)
}

/// A profile with everything its weights derive from.
pub struct WeighedProfile {
    pub profile: RoleProfile,
    pub company: Company,
    /// The weights set by hand.
    pub overrides: Vec<WeightOverride>,
}

impl WeighedProfile {
    /// `profile` with its company and overrides, for a caller that has checked who may see it.
    pub async fn load(state: &AppState, profile: RoleProfile) -> AppResult<Self> {
        let company = state.store.get_company(profile.company_id).await?;
        let overrides = state.store.list_weight_overrides(profile.id).await?;
        Ok(Self { profile, company, overrides })
    }

    /// The profile's weights under `rubric`, heaviest first.
    pub fn weights<'r>(&'r self, rubric: &'r Rubric) -> Vec<DerivedWeight<'r>> {
        rubric.weigh(&self.company.details, &self.profile.details, &self.overrides)
    }

    /// The weights as the scoring takes them, heaviest first.
    pub fn requirements(&self, rubric: &Rubric) -> Vec<Requirement> {
        self.weights(rubric).iter().map(Requirement::from).collect()
    }
}

/// Profile `id` with its company and overrides, if `user` may see it ([`get`]).
pub async fn weighed(state: &AppState, user: &User, id: i64) -> AppResult<WeighedProfile> {
    WeighedProfile::load(state, get(state, user, id).await?).await
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
    let competency = target.competency.clone();
    let set = weights_changed(user, target, AuditDetail::WeightSet { competency, weight, minimum });
    Ok(state.store.set_weight_override(target.profile_id, &change, &set).await?)
}

/// Takes a competency of a profile back to the derived weight and minimum, on the trail.
pub async fn reset_weight_override(state: &AppState, user: &User, target: &ProfileCompetency) -> AppResult<()> {
    let reset = weights_changed(user, target, AuditDetail::WeightReset { competency: target.competency.clone() });
    Ok(state.store.reset_weight_override(target.profile_id, &target.competency, &reset).await?)
}

/// The audit entry of a change of one competency's weight.
fn weights_changed(user: &User, target: &ProfileCompetency, change: AuditDetail) -> NewAuditEntry {
    audit::entry(user, AuditAction::ChangeWeights, (AuditSubject::Profile, target.profile_id), change)
}
