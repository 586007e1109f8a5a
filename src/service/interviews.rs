//! Interviews: who may open an assignment and read which scorecards, and an interviewer's
//! scorecard, written as a draft, submitted, or corrected as a new version, each on the audit
//! trail.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::Assignment;
use crate::domain::company::CompanyDetails;
use crate::domain::profile::ProfileDetails;
use crate::domain::scorecard::{
    Completeness, Scorecard, ScorecardInput, ScorecardStatus, counted, may_see_others, status_of,
};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::service::{audit, notifications};
use crate::store::{ApplicationOverview, ScorecardsOf};

/// The interviews assigned to `user`, with the application each is about.
pub async fn assigned_to(state: &AppState, user: &User) -> AppResult<Vec<(Assignment, ApplicationOverview)>> {
    Ok(state.store.list_assignments_of(user.id).await?)
}

/// The interviews assigned to `user`, each with where its scorecard stands: those submitted,
/// and those still to submit of applications still open (one not scored before its candidate
/// was hired or rejected is no longer work).
pub async fn assigned_with_status(
    state: &AppState,
    user: &User,
) -> AppResult<Vec<(Assignment, ApplicationOverview, ScorecardStatus)>> {
    let mut assigned = Vec::new();
    for (assignment, application) in assigned_to(state, user).await? {
        let cards = state.store.list_scorecards(ScorecardsOf::Application(application.application.id)).await?;
        let status = status_of(&cards, assignment.id);
        if status == ScorecardStatus::Submitted || !application.application.stage.is_closed() {
            assigned.push((assignment, application, status));
        }
    }
    Ok(assigned)
}

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
    let detail = if submit { AuditDetail::ScorecardSubmitted } else { AuditDetail::DraftSaved };
    let saved = audit::entry(user, AuditAction::ChangeScore, (AuditSubject::Interview, assignment.id), detail);
    let card = state.store.write_scorecard(assignment.id, &content, &state.rubric.version, submit, &saved).await?;
    tracing::info!(assignment_id = assignment.id, submit, "scorecard saved");
    if submit && let Ok(application) = state.store.get_application(assignment.application_id).await {
        notifications::scorecard_submitted(state, &application).await;
    }
    Ok(card)
}

/// Starts a correction of the interviewer's submitted scorecard: a new draft version.
pub async fn start_correction(state: &AppState, user: &User, id: i64) -> AppResult<Scorecard> {
    interviewers_own(state, user, id).await?;
    let started =
        audit::entry(user, AuditAction::ChangeScore, (AuditSubject::Interview, id), AuditDetail::CorrectionStarted);
    Ok(state.store.start_correction(id, &started).await?)
}

/// What an assignment's page shows: the assignment, its application, and the scorecards its
/// reader may read.
pub struct Guide {
    pub assignment: Assignment,
    pub application: ApplicationOverview,
    /// Every version of this assignment's scorecard, oldest first.
    pub versions: Vec<Scorecard>,
    /// The other interviewers' counted scorecards; empty until the independence rule opens them.
    pub others: Vec<Scorecard>,
    /// The role applied to and its company, which decide the questions that suit it.
    pub profile: ProfileDetails,
    pub company: CompanyDetails,
}

impl Guide {
    /// The scorecard version being written or last submitted.
    pub fn current(&self) -> Option<&Scorecard> {
        self.versions.last()
    }
}

/// The guide of assignment `id`, if `user` may open it ([`seen_by`]).
pub async fn guide(state: &AppState, user: &User, id: i64) -> AppResult<Guide> {
    let assignment = seen_by(state, user, id).await?;
    let application = state.store.get_application(assignment.application_id).await?;
    let scorecards = state.store.list_scorecards(ScorecardsOf::Application(assignment.application_id)).await?;
    let (versions, others): (Vec<Scorecard>, Vec<Scorecard>) =
        scorecards.into_iter().partition(|card| card.assignment_id == id);
    let sees_all = user.sees_every_scorecard_of(application.hiring_manager_id);
    let others =
        if may_see_others(sees_all, &versions) { counted(&others).into_iter().cloned().collect() } else { Vec::new() };
    let profile = state.store.get_profile(application.application.profile_id).await?;
    let company = state.store.get_company(profile.company_id).await?;
    Ok(Guide { assignment, application, versions, others, profile: profile.details, company: company.details })
}

/// Every scorecard version of application `id`, drafts included, for a reader who sees the
/// application ([`candidates::application_seen_by`](super::candidates::application_seen_by)).
pub async fn every_version(state: &AppState, user: &User, id: i64) -> AppResult<Vec<Scorecard>> {
    super::candidates::application_seen_by(state, user, id).await?;
    Ok(state.store.list_scorecards(ScorecardsOf::Application(id)).await?)
}

/// The counted scorecards of an application that one reader may read.
pub struct ReadableScorecards {
    pub application: ApplicationOverview,
    /// Oldest first.
    pub cards: Vec<Scorecard>,
    /// Others' scorecards are hidden until the reader submits their own.
    pub others_hidden: bool,
}

/// The counted scorecards of application `id` that `user` may read: all of them for those who
/// see every scorecard; an interviewer of the application sees their own, and the others once
/// their own opened them. Anyone else is refused.
pub async fn readable_scorecards(state: &AppState, user: &User, id: i64) -> AppResult<ReadableScorecards> {
    let application = state.store.get_application(id).await?;
    let scorecards = state.store.list_scorecards(ScorecardsOf::Application(id)).await?;
    let sees_all = user.sees_every_scorecard_of(application.hiring_manager_id);
    let own: Vec<&Scorecard> = scorecards.iter().filter(|c| c.interviewer_id == user.id).collect();
    if !sees_all && own.is_empty() {
        return Err(AppError::Forbidden);
    }
    let others_shown = may_see_others(sees_all, own.iter().copied());
    let cards = counted(&scorecards)
        .into_iter()
        .filter(|card| others_shown || card.interviewer_id == user.id)
        .cloned()
        .collect();
    Ok(ReadableScorecards { application, cards, others_hidden: !others_shown })
}
