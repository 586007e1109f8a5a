//! Candidates: who sees which (recording each view), their applications, and interview plans.

use std::collections::HashSet;
use std::sync::Arc;

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::candidate::{
    ApplicationInput, Assignment, AssignmentInput, Candidate, CandidateFilter, CandidateInput, Stage, StageInput,
};
use crate::domain::decision::Decision;
use crate::domain::input::{FieldErrors, Problem, versioned};
use crate::domain::paging::{Page, PageRequest};
use crate::domain::search::SearchIndex;
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::service::{audit, today};
use crate::store::{ApplicationOverview, ApplicationsOf, CandidateOverview, NewApplication, StoreError};

/// The candidates `user` may see: all (`None`), or those who applied to a profile they own.
async fn visible_ids(state: &AppState, user: &User) -> AppResult<Option<HashSet<i64>>> {
    if !user.role.sees_only_own_profiles() {
        return Ok(None);
    }
    let applications = state.store.list_applications(ApplicationsOf::HiringManager(user.id)).await?;
    Ok(Some(applications.iter().map(|a| a.application.candidate_id).collect()))
}

/// Every candidate at one data revision, with their number of applications, and what paging
/// and searching them needs worked out once.
pub struct CandidateIndex {
    /// By name.
    by_name: Vec<CandidateOverview>,
    /// Positions in `by_name`, in id order.
    by_id: Vec<u32>,
    /// Over `by_name`'s names and email addresses.
    search: SearchIndex,
}

impl CandidateIndex {
    fn new(by_name: Vec<CandidateOverview>) -> Self {
        let mut by_id: Vec<u32> = (0..by_name.len() as u32).collect();
        by_id.sort_unstable_by_key(|position| by_name[*position as usize].candidate.id);
        let texts = by_name.iter().map(|o| [o.candidate.details.name.as_str(), o.candidate.details.email.as_str()]);
        let search = SearchIndex::new(texts);
        Self { by_name, by_id, search }
    }

    /// Where candidate `id` stands by name.
    fn position_of(&self, id: i64) -> Option<u32> {
        let at = self.by_id.partition_point(|p| self.candidate(*p).id < id);
        self.by_id.get(at).copied().filter(|p| self.candidate(*p).id == id)
    }

    fn candidate(&self, position: u32) -> &Candidate {
        &self.by_name[position as usize].candidate
    }

    /// Which candidates `query` finds: a few are sorted into `order`; many (a one-letter query
    /// finds thousands) are marked, and the list is read in its order to the page's end.
    fn found(&self, query: Option<&str>, order: ListOrder) -> Found {
        let Some(query) = query else { return Found::All };
        let mut positions = self.search.matching(query);
        if positions.len() <= self.by_name.len() / FEW {
            match order {
                ListOrder::Added => positions.sort_unstable_by_key(|position| self.candidate(*position).id),
                ListOrder::Name => positions.sort_unstable(),
            }
            positions.dedup();
            return Found::Few(positions);
        }
        let mut marks = vec![false; self.by_name.len()];
        for position in positions {
            marks[position as usize] = true;
        }
        Found::Many(marks)
    }
}

/// What a search found, in the form that pages it fastest.
enum Found {
    /// No search: every candidate.
    All,
    /// Positions in the list's order.
    Few(Vec<u32>),
    /// A mark per position.
    Many(Vec<bool>),
}

/// Up to one in this many candidates found counts as few.
const FEW: usize = 16;

/// Every candidate at the data `revision`, indexed; served from memory while the data is
/// unchanged (the list is the recruiters' most visited page).
async fn all(state: &AppState, revision: i64) -> AppResult<Arc<CandidateIndex>> {
    let load = async { Ok::<_, StoreError>(CandidateIndex::new(state.store.list_candidates().await?)) };
    Ok(state.reads.candidates.get_or_load((), revision, load).await?)
}

/// The candidates one user may see, by name.
pub struct CandidateList {
    /// The data revision this was read at.
    pub revision: i64,
    all: Arc<CandidateIndex>,
    /// `None` when the user sees every candidate.
    visible: Option<HashSet<i64>>,
}

impl CandidateList {
    /// Whether this is every candidate, the same list for everyone who sees them all.
    pub fn is_everyone(&self) -> bool {
        self.visible.is_none()
    }

    fn sees(&self, id: i64) -> bool {
        self.visible.as_ref().is_none_or(|ids| ids.contains(&id))
    }

    pub fn iter(&self) -> impl Iterator<Item = &CandidateOverview> {
        self.all.by_name.iter().filter(|o| self.sees(o.candidate.id))
    }
}

/// The candidates `user` may see: every one, or those who applied to a profile they own.
pub async fn list(state: &AppState, user: &User) -> AppResult<CandidateList> {
    let visible = visible_ids(state, user).await?;
    let revision = state.store.revision().await?;
    Ok(CandidateList { revision, all: all(state, revision).await?, visible })
}

/// The order a list of candidates is paged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// Oldest first: a candidate added while a client pages through comes on a later page.
    Added,
    /// By name, as people look someone up.
    Name,
}

/// One page of the candidates `user` may see that `filter` admits, in `order`, after the
/// candidate the previous page ended with. In name order, a cursor whose candidate is gone is
/// [`Problem::InvalidCursor`].
pub async fn page(
    state: &AppState,
    user: &User,
    filter: &CandidateFilter,
    request: PageRequest,
    order: ListOrder,
) -> AppResult<Page<CandidateOverview>> {
    let list = list(state, user).await?;
    let applicants = applicants(state, user, filter).await?;
    let index = &list.all;
    let found = index.found(filter.query(), order);
    // Where the previous page ended, as the order sorts: an id, or a position by name.
    let stale = || AppError::Invalid(FieldErrors::single("cursor", Problem::InvalidCursor));
    let after = match (order, request.after) {
        (_, None) => None,
        (ListOrder::Added, Some(id)) => Some(id),
        (ListOrder::Name, Some(id)) => Some(i64::from(index.position_of(id).ok_or_else(stale)?)),
    };
    let sort_key = |position: u32| match order {
        ListOrder::Added => index.candidate(position).id,
        ListOrder::Name => i64::from(position),
    };
    // Read from where the previous page ended, only as far as this page needs.
    let beyond = |in_order: &[u32]| after.map_or(0, |after| in_order.partition_point(|p| sort_key(*p) <= after));
    let rest: Box<dyn Iterator<Item = u32> + '_> = match (&found, order) {
        (Found::Few(positions), _) => Box::new(positions[beyond(positions)..].iter().copied()),
        (_, ListOrder::Added) => Box::new(index.by_id[beyond(&index.by_id)..].iter().copied()),
        // By name, the positions are the order itself.
        (_, ListOrder::Name) => Box::new(after.map_or(0, |after| after as u32 + 1)..index.by_name.len() as u32),
    };
    let applied = |id: i64| applicants.as_ref().is_none_or(|ids| ids.contains(&id));
    let fetched: Vec<&CandidateOverview> = rest
        .filter(|position| !matches!(&found, Found::Many(marks) if !marks[*position as usize]))
        .map(|position| &index.by_name[position as usize])
        .filter(|o| list.sees(o.candidate.id) && applied(o.candidate.id) && filter.added_in_time(&o.candidate))
        .take(request.fetch())
        .collect();
    Ok(Page::of_fetched(fetched, request, |o| o.candidate.id).map(CandidateOverview::clone))
}

/// The candidates with the application `filter` asks for, `None` when it asks for none; a
/// profile the user cannot see is refused as unknown.
async fn applicants(state: &AppState, user: &User, filter: &CandidateFilter) -> AppResult<Option<HashSet<i64>>> {
    if !filter.asks_about_applications() {
        return Ok(None);
    }
    if let Some(profile_id) = filter.profile_id {
        let visible = crate::service::profiles::list(state, user).await?;
        if !visible.iter().any(|o| o.profile.id == profile_id) {
            let unknown = Problem::UnknownChoice { allowed: vec![] };
            return Err(AppError::Invalid(FieldErrors::single("profile_id", unknown)));
        }
    }
    Ok(Some(state.store.applicant_ids(filter.profile_id, filter.stage).await?))
}

/// Records a new candidate; [`AppError::Invalid`] names every problem of the input.
pub async fn create(state: &AppState, input: &CandidateInput) -> AppResult<Candidate> {
    let details = input.parse(today()).map_err(AppError::Invalid)?;
    Ok(state.store.create_candidate(&details).await?)
}

/// Changes candidate `id` if still at the input's version ([`AppError::Conflict`] otherwise)
/// and not erased ([`AppError::Erased`]); [`AppError::Invalid`] names every problem of the
/// input, version included.
pub async fn update(state: &AppState, id: i64, input: &CandidateInput) -> AppResult<Candidate> {
    changeable(state, id).await?;
    let (version, details) = versioned(&input.version, input.parse(today())).map_err(AppError::Invalid)?;
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
    let candidate = state.store.get_candidate(id).await?;
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
    let application = state.store.change_stage(id, stage, user.id, expected_version).await?;
    let detail = format!("stage: {}", stage.as_str());
    audit::record(state.store.as_ref(), user, AuditAction::MoveStage, (AuditSubject::Application, id), &detail).await?;
    Ok(application)
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

/// Takes assignment `id` off its interview plan; returns the application it was of.
pub async fn remove_from_plan(state: &AppState, id: i64) -> AppResult<ApplicationOverview> {
    let assignment = state.store.get_assignment(id).await?;
    let application = state.store.get_application(assignment.application_id).await?;
    state.store.remove_assignment(id).await?;
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
    audit::record(state.store.as_ref(), user, AuditAction::ViewCandidate, (AuditSubject::Candidate, id), "").await?;
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
    state.store.get_application(application_id).await?;
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
