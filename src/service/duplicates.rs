//! Possible duplicates: a job-page application that gave a known candidate's email address,
//! shown beside that candidate, merged into them or kept apart by a recruiter.

use std::collections::HashSet;

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::{Application, Candidate};
use crate::domain::document::DocumentInfo;
use crate::domain::duplicate::{MergeInput, plan_merge};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, Actor};
use crate::service::candidates::changeable;
use crate::store::{ApplicationOverview, ApplicationsOf, ScorecardsOf, StoreError};

/// One record as the merge page shows it.
pub struct Record {
    pub candidate: Candidate,
    pub applications: Vec<ApplicationOverview>,
    pub documents: Vec<DocumentInfo>,
}

/// A possible duplicate beside the candidate whose address it gave.
pub struct Pair {
    pub existing: Record,
    pub duplicate: Record,
}

/// Candidate `duplicate_id` beside the candidate it is marked as a possible duplicate of:
/// 404 when it is not marked (or not there).
pub async fn pair(state: &AppState, duplicate_id: i64) -> AppResult<Pair> {
    let duplicate = state.store.get_candidate(duplicate_id).await?;
    let existing_id = duplicate.possible_duplicate_of.ok_or(AppError::NotFound)?;
    let existing = state.store.get_candidate(existing_id).await?;
    Ok(Pair { existing: record(state, existing).await?, duplicate: record(state, duplicate).await? })
}

async fn record(state: &AppState, candidate: Candidate) -> AppResult<Record> {
    let applications = state.store.list_applications(ApplicationsOf::Candidate(candidate.id)).await?;
    let documents = state.store.list_documents(candidate.id).await?;
    Ok(Record { candidate, applications, documents })
}

/// Merges the possible duplicate the input names into candidate `existing_id` (only at
/// `expected_version` when one is given, and the duplicate at the input's version), as `actor`,
/// on the audit trail: 422 naming `duplicate_id` when that record is not marked as this
/// candidate's duplicate, or when both applied to one profile and the newer application has
/// moved on; 409 when either record is erased or not at the version seen, or changed while this
/// ran.
pub async fn merge<'a>(
    state: &AppState,
    actor: impl Into<Actor<'a>>,
    existing_id: i64,
    expected_version: Option<i64>,
    input: &MergeInput,
) -> AppResult<Candidate> {
    let choice = input.parse().map_err(AppError::Invalid)?;
    let existing = changeable(state, existing_id).await?;
    let duplicate = match state.store.get_candidate(choice.duplicate_id).await {
        Err(StoreError::NotFound) => {
            return Err(AppError::Invalid(FieldErrors::single("duplicate_id", Problem::NotAPossibleDuplicate)));
        }
        found => found?,
    };
    if duplicate.erased_at.is_some() {
        return Err(AppError::Erased);
    }
    for (seen, candidate) in [(expected_version, &existing), (choice.duplicate_version, &duplicate)] {
        if seen.is_some_and(|seen| seen != candidate.version) {
            return Err(AppError::Conflict { current_version: candidate.version });
        }
    }
    let applications_of = |id| state.store.list_applications(ApplicationsOf::Candidate(id));
    let existing_applications: Vec<_> =
        applications_of(existing.id).await?.into_iter().map(|o| o.application).collect();
    let duplicate_applications: Vec<_> =
        applications_of(duplicate.id).await?.into_iter().map(|o| o.application).collect();
    let worked_on = worked_on(state, duplicate.id, &duplicate_applications).await?;
    let plan =
        plan_merge((&existing, &existing_applications), (&duplicate, &duplicate_applications), &choice, &worked_on)
            .map_err(AppError::Invalid)?;
    let detail = AuditDetail::MergedIn { duplicate: duplicate.id, applications: duplicate_applications.len() };
    let merged = audit::entry(actor, AuditAction::MergeCandidates, (AuditSubject::Candidate, existing.id), detail);
    Ok(state.store.merge_candidates(&plan, &merged).await?)
}

/// Of candidate `id`'s `applications`, those with work done on them beyond the interview plan
/// a profile gives each new application: an interview time, a scorecard, a decision.
async fn worked_on(state: &AppState, id: i64, applications: &[Application]) -> AppResult<HashSet<i64>> {
    let mut worked_on: HashSet<i64> =
        state.store.list_decisions(ApplicationsOf::Candidate(id)).await?.iter().map(|d| d.application_id).collect();
    for application in applications {
        let scheduled = state.store.list_assignments(application.id).await?.iter().any(|a| a.slot.is_some());
        let scored = !state.store.list_scorecards(ScorecardsOf::Application(application.id)).await?.is_empty();
        if scheduled || scored {
            worked_on.insert(application.id);
        }
    }
    Ok(worked_on)
}

/// Takes the possible-duplicate mark off candidate `id` (only at `expected_version` when one
/// is given), as `user`, on the audit trail. A candidate with no mark is left as it is.
pub async fn keep_apart(state: &AppState, user: &User, id: i64, expected_version: Option<i64>) -> AppResult<Candidate> {
    let candidate = changeable(state, id).await?;
    let version = expected_version.unwrap_or(candidate.version);
    let Some(existing_id) = candidate.possible_duplicate_of else {
        return if version == candidate.version {
            Ok(candidate)
        } else {
            Err(AppError::Conflict { current_version: candidate.version })
        };
    };
    let detail = AuditDetail::KeptApartFrom(existing_id);
    let kept_apart = audit::entry(user, AuditAction::KeepCandidatesApart, (AuditSubject::Candidate, id), detail);
    Ok(state.store.keep_apart(id, version, &kept_apart).await?)
}

/// The candidates marked as possible duplicates of candidate `id`.
pub async fn of(state: &AppState, id: i64) -> AppResult<Vec<Candidate>> {
    Ok(state.store.possible_duplicates_of(id).await?)
}
