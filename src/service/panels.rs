//! Interview panels set once: a role profile's default panel, which every new application of
//! the profile is given (the store does it as it creates the application), and the times of
//! an application's interviews.

use crate::app::AppState;
use crate::domain::candidate::{Assignment, AssignmentInput};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::interview::{InterviewSlot, PanelMember, ScheduleInput};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::{candidates, letters, profiles, today};
use crate::store::StoreError;

/// The default panel of profile `profile_id`, if `user` may see the profile.
pub async fn panel(state: &AppState, user: &User, profile_id: i64) -> AppResult<Vec<PanelMember>> {
    profiles::get(state, user, profile_id).await?;
    Ok(state.store.list_panel(profile_id).await?)
}

/// Puts an active user on the profile's default panel with the rubric competencies they rate
/// (or gives a member new ones); [`AppError::Invalid`] says why not.
pub async fn set_member(
    state: &AppState,
    user: &User,
    profile_id: i64,
    input: &AssignmentInput,
) -> AppResult<PanelMember> {
    profiles::get(state, user, profile_id).await?;
    let (interviewer, competencies) = parse_interviewer(state, input).await?;
    Ok(state.store.set_panel_member(profile_id, interviewer, &competencies).await?)
}

/// Takes an interviewer off the profile's default panel; the applications that have them
/// keep them.
pub async fn remove_member(state: &AppState, user: &User, profile_id: i64, interviewer_id: i64) -> AppResult<()> {
    profiles::get(state, user, profile_id).await?;
    Ok(state.store.remove_panel_member(profile_id, interviewer_id).await?)
}

/// Gives the profile's open applications the default panel members they lack (those added
/// before the panel was set); returns how many interviewers were planned.
pub async fn apply_to_open_applications(state: &AppState, user: &User, profile_id: i64) -> AppResult<u64> {
    profiles::get(state, user, profile_id).await?;
    Ok(state.store.apply_panel(profile_id).await?)
}

/// The interviewer and the rubric competencies an assignment or a panel member names: the
/// interviewer must be an active user.
pub async fn parse_interviewer(state: &AppState, input: &AssignmentInput) -> AppResult<(i64, Vec<String>)> {
    let (interviewer, competencies) = input.parse(&state.rubric.competency_ids()).map_err(AppError::Invalid)?;
    let refused = |problem| Err(AppError::Invalid(FieldErrors::single("interviewer_id", problem)));
    match state.store.get_user(interviewer).await {
        Ok(user) if user.active => Ok((interviewer, competencies)),
        Ok(_) => refused(Problem::InactiveUser),
        Err(StoreError::NotFound) => refused(Problem::UnknownUser),
        Err(other) => Err(other.into()),
    }
}

/// Sets the time of application `id`'s interviews with the interviewers the input names
/// (every planned one when it names none), and sends each a calendar invitation (and the candidate, if
/// invited, word of a new time); returns the plan.
pub async fn schedule(state: &AppState, user: &User, id: i64, input: &ScheduleInput) -> AppResult<Vec<Assignment>> {
    let application = candidates::application_seen_by(state, user, id).await?;
    candidates::changeable(state, application.application.candidate_id).await?;
    let schedule = input.parse(today()).map_err(AppError::Invalid)?;
    let plan = state.store.list_assignments(id).await?;
    let planned = |interviewer: &i64| plan.iter().any(|a| a.interviewer_id == *interviewer);
    if plan.is_empty() || !schedule.interviewer_ids.iter().all(planned) {
        return Err(AppError::Invalid(FieldErrors::single("interviewer_ids", Problem::NotPlanned)));
    }
    let whose = if schedule.interviewer_ids.is_empty() { everyone_on(&plan) } else { schedule.interviewer_ids };
    let mut invitations =
        letters::interviewer_invitations(state, user, &application, &whose, Some(&schedule.slot), &plan).await?;
    let after = rescheduled(&plan, &whose, Some(&schedule.slot));
    invitations.extend(letters::candidate_calendar_change(state, user, &application, &plan, &after).await?);
    Ok(state.store.schedule(id, &whose, Some(&schedule.slot), &invitations).await?)
}

/// Clears the time of every interview of application `id`, and sends each interviewer who had
/// one its cancellation (and the candidate, if invited); returns the plan.
pub async fn clear_schedule(state: &AppState, user: &User, id: i64) -> AppResult<Vec<Assignment>> {
    let application = candidates::application_seen_by(state, user, id).await?;
    let plan = state.store.list_assignments(id).await?;
    let everyone = everyone_on(&plan);
    let mut cancellations = letters::interviewer_invitations(state, user, &application, &everyone, None, &plan).await?;
    let after = rescheduled(&plan, &everyone, None);
    cancellations.extend(letters::candidate_calendar_change(state, user, &application, &plan, &after).await?);
    Ok(state.store.schedule(id, &everyone, None, &cancellations).await?)
}

fn everyone_on(plan: &[Assignment]) -> Vec<i64> {
    plan.iter().map(|a| a.interviewer_id).collect()
}

/// `plan` as it is once `interviewers` meet the candidate at `slot` (or at no set time).
fn rescheduled(plan: &[Assignment], interviewers: &[i64], slot: Option<&InterviewSlot>) -> Vec<Assignment> {
    let mut after = plan.to_vec();
    for assignment in after.iter_mut().filter(|a| interviewers.contains(&a.interviewer_id)) {
        assignment.slot = slot.cloned();
    }
    after
}
