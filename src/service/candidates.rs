//! Candidates: who sees which (recording each view), their applications, and interview plans.

use std::collections::HashSet;

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::{
    ApplicationInput, Assignment, AssignmentInput, Candidate, CandidateFilter, CandidateInput, ListOrder, Stage,
    StageInput,
};
use crate::domain::decision::Decision;
use crate::domain::input::{FieldErrors, Problem, versioned};
use crate::domain::paging::{Page, PageRequest};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::service::{audit, letters, notifications, panels, profiles, today};
use crate::store::{
    ApplicationOverview, ApplicationsOf, CandidateOverview, CandidateSearch, ListedCandidate, NewApplication,
    StoreError,
};

/// The candidates `user` may see: all (`None`), or those who applied to a profile they own.
async fn visible_ids(state: &AppState, user: &User) -> AppResult<Option<HashSet<i64>>> {
    if !user.role.sees_only_own_profiles() {
        return Ok(None);
    }
    let applications = state.store.list_applications(ApplicationsOf::HiringManager(user.id)).await?;
    Ok(Some(applications.iter().map(|a| a.application.candidate_id).collect()))
}

/// The candidates `user` may see, by name: every one, or those who applied to a profile they own.
pub async fn list(state: &AppState, user: &User) -> AppResult<Vec<CandidateOverview>> {
    let visible = visible_ids(state, user).await?;
    let mut all = state.store.list_candidates().await?;
    all.retain(|o| visible.as_ref().is_none_or(|ids| ids.contains(&o.candidate.id)));
    Ok(all)
}

/// One page of the candidates `user` may see that `filter` admits, in the filter's order or
/// else `default_order`, after the candidate the previous page ended with; a cursor whose
/// candidate is gone is [`Problem::InvalidCursor`], a profile the user cannot see is unknown.
/// A hiring manager sees only the applications to their own profiles; they are read when
/// `with_applications` asks. A page is kept in memory until the data changes: the first page
/// is what every recruiter opens, again and again.
pub async fn page(
    state: &AppState,
    user: &User,
    filter: &CandidateFilter,
    request: PageRequest,
    default_order: ListOrder,
    with_applications: bool,
) -> AppResult<Page<ListedCandidate>> {
    if let Some(profile_id) = filter.profile_id {
        let visible = crate::service::profiles::list(state, user).await?;
        if !visible.iter().any(|o| o.profile.id == profile_id) {
            let unknown = Problem::UnknownChoice { allowed: vec![] };
            return Err(AppError::Invalid(FieldErrors::single("profile_id", unknown)));
        }
    }
    let search = CandidateSearch {
        filter: filter.clone(),
        hiring_manager: user.role.sees_only_own_profiles().then_some(user.id),
        order: filter.order.unwrap_or(default_order),
        after: request.after,
        fetch: request.fetch(),
        with_applications,
    };
    let revision = state.store.revision().await?;
    let load = state.store.find_candidates(&search);
    let found =
        state.reads.candidate_pages.get_or_load(search.clone(), revision, load).await.map_err(|error| match error {
            StoreError::NotFound => AppError::Invalid(FieldErrors::single("cursor", Problem::InvalidCursor)),
            other => other.into(),
        })?;
    let mut found = found.as_ref().clone();
    found.iter_mut().for_each(|listed| hide_what_user_may_not_see(user, &mut listed.candidate));
    Ok(Page::of_fetched(found, request, |c| c.candidate.id))
}

/// Leaves out of `candidate` what `user` may not be told: whom they may duplicate is for those
/// who may merge them, as it tells of another candidate, who may be one the user does not see.
fn hide_what_user_may_not_see(user: &User, candidate: &mut Candidate) {
    if !user.role.grants(Permission::ManageCandidates) {
        candidate.possible_duplicate_of = None;
    }
}

/// The sources the list's filter offers: the most common, as recorded; kept while the data
/// is unchanged.
pub async fn sources(state: &AppState) -> AppResult<std::sync::Arc<Vec<String>>> {
    let revision = state.store.revision().await?;
    let load = state.store.candidate_sources(SOURCES_OFFERED);
    Ok(state.reads.candidate_sources.get_or_load((), revision, load).await?)
}

const SOURCES_OFFERED: usize = 50;

/// Records a new candidate; [`AppError::Invalid`] names every problem of the input.
pub async fn create(state: &AppState, input: &CandidateInput) -> AppResult<Candidate> {
    let details = input.parse(today()).map_err(AppError::Invalid)?;
    Ok(state.store.create_candidate(&details).await?)
}

/// A new candidate with an application to profile `profile_id` (which `user` must see), dated
/// today: a recruiter adding a candidate from the profile.
pub async fn create_applicant(
    state: &AppState,
    user: &User,
    profile_id: i64,
    input: &CandidateInput,
) -> AppResult<Candidate> {
    profiles::get(state, user, profile_id).await?;
    let candidate = create(state, input).await?;
    let new = NewApplication { candidate_id: candidate.id, profile_id, applied_on: today(), by: user.id };
    state.store.create_application(new).await?;
    Ok(candidate)
}

/// Changes candidate `id` if still at the input's version ([`AppError::Conflict`] otherwise)
/// and not erased ([`AppError::Erased`]); [`AppError::Invalid`] names every problem of the
/// input, version included.
pub async fn update(state: &AppState, id: i64, input: &CandidateInput) -> AppResult<Candidate> {
    let before = changeable(state, id).await?;
    let (version, mut details) = versioned(&input.version, input.parse(today())).map_err(AppError::Invalid)?;
    details.talent_pool = details.talent_pool.map(|consent| consent.as_edited_from(before.details.talent_pool));
    Ok(state.store.update_candidate(id, version, &details).await?)
}

/// Deletes candidate `id` with their applications; only at `expected_version` when one is given.
pub async fn delete(state: &AppState, id: i64, expected_version: Option<i64>) -> AppResult<()> {
    Ok(state.store.delete_candidate(id, expected_version).await?)
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
    let mut candidate = state.store.get_candidate(id).await?;
    hide_what_user_may_not_see(user, &mut candidate);
    let applications = state.store.list_applications(ApplicationsOf::Candidate(id)).await?;
    let visible: Vec<_> =
        applications.iter().filter(|a| user.sees_work_owned_by(a.hiring_manager_id)).cloned().collect();
    if visible.is_empty() && user.role.sees_only_own_profiles() {
        return Err(AppError::Forbidden);
    }
    Ok(CandidateView { candidate, applications, visible })
}

/// Application `id`, if `user` sees the work of its profile's owner: 404 / 403 otherwise.
pub async fn application_seen_by(state: &AppState, user: &User, id: i64) -> AppResult<ApplicationOverview> {
    let application = state.store.get_application(id).await?;
    if !user.sees_work_owned_by(application.hiring_manager_id) {
        return Err(AppError::Forbidden);
    }
    Ok(application)
}

/// Moves application `id` to the input's stage, on its history as `user`'s doing; only from
/// `expected_version` ([`Application::version`](crate::domain::candidate::Application::version)) when one is given.
pub async fn change_stage(
    state: &AppState,
    user: &User,
    id: i64,
    input: &StageInput,
    expected_version: Option<i64>,
) -> AppResult<ApplicationOverview> {
    let stage = input.parse().map_err(AppError::Invalid)?;
    move_to(state, user, id, stage, expected_version).await
}

/// Moves application `id` to `stage` (only from `expected_version` when one is given), on its
/// history and on the audit trail as `user`'s doing.
pub async fn move_to(
    state: &AppState,
    user: &User,
    id: i64,
    stage: Stage,
    expected_version: Option<i64>,
) -> AppResult<ApplicationOverview> {
    let moved =
        audit::entry(user, AuditAction::MoveStage, (AuditSubject::Application, id), AuditDetail::StageMoved(stage));
    Ok(state.store.change_stage(id, stage, user.id, expected_version, &moved).await?)
}

/// The interview plan of application `id`, if `user` may see the application.
pub async fn interview_plan(state: &AppState, user: &User, id: i64) -> AppResult<Vec<Assignment>> {
    plan_of(state, &application_seen_by(state, user, id).await?).await
}

/// The interview plan of an application its reader was allowed to see (by
/// [`application_seen_by`] or as one of a candidate's visible applications).
pub async fn plan_of(state: &AppState, application: &ApplicationOverview) -> AppResult<Vec<Assignment>> {
    Ok(state.store.list_assignments(application.application.id).await?)
}

/// Takes assignment `id` off its interview plan, as `user` asks: an interviewer who had a time
/// is sent its cancellation, and an invited candidate word of their interview's new time, or
/// of its cancellation, when it changes. Returns the application it was of.
pub async fn remove_from_plan(state: &AppState, user: &User, id: i64) -> AppResult<ApplicationOverview> {
    let assignment = state.store.get_assignment(id).await?;
    let application = state.store.get_application(assignment.application_id).await?;
    let plan = plan_of(state, &application).await?;
    let interviewer = [assignment.interviewer_id];
    let mut messages = letters::interviewer_invitations(state, user, &application, &interviewer, None, &plan).await?;
    let after: Vec<Assignment> = plan.iter().filter(|a| a.id != id).cloned().collect();
    messages.extend(letters::candidate_calendar_change(state, user, &application, &plan, &after).await?);
    state.store.remove_assignment(id, &messages).await?;
    Ok(application)
}

/// Every decision about candidate `id`'s applications, oldest first, for a reader who may see
/// the candidate ([`seen_by`]).
pub async fn decisions(state: &AppState, id: i64) -> AppResult<Vec<Decision>> {
    Ok(state.store.list_decisions(ApplicationsOf::Candidate(id)).await?)
}

/// [`seen_by`], with the view of their personal data on the audit trail.
pub async fn view(state: &AppState, user: &User, id: i64) -> AppResult<CandidateView> {
    let seen = seen_by(state, user, id).await?;
    let subject = (AuditSubject::Candidate, id);
    audit::record_reading(state.store.as_ref(), user, AuditAction::ViewCandidate, subject, AuditDetail::Nothing)
        .await?;
    // The recruiters' "new" mark goes once one of them has opened the candidate; the view
    // keeps it, so that this page still shows what was new.
    if user.role.grants(Permission::ManageCandidates)
        && seen.applications.iter().any(|a| a.application.seen_at.is_none())
    {
        state.store.mark_seen(id, chrono::Utc::now()).await?;
    }
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
    let application = state.store.get_application(application_id).await?;
    let (interviewer, competencies) = panels::parse_interviewer(state, input).await?;
    let assignment = state.store.assign(application_id, interviewer, &competencies).await?;
    notifications::assigned(state, &assignment, &application).await;
    Ok(assignment)
}
