//! A role profile's pipeline: its applications by stage, each as a card with what a recruiter
//! decides by, and moving several at once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::app::AppState;
use crate::domain::candidate::Stage;
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::scorecard::counted;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::candidates;
use crate::service::comparison::ProfileCandidates;

/// An application as its card on the board shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub application_id: i64,
    pub candidate_id: i64,
    pub name: String,
    /// 0–100, `None` while unscored.
    pub fit: Option<f64>,
    /// Interviewers who submitted a scorecard, of those planned.
    pub submitted: usize,
    pub expected: usize,
    /// Whole days since it entered its stage.
    pub days_in_stage: i64,
    pub source: Option<String>,
    pub is_new: bool,
    /// What a move must name ([`crate::domain::candidate::Application::version`]).
    pub version: i64,
}

/// One stage's column, its cards newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub stage: Stage,
    pub cards: Vec<Card>,
}

/// The columns of profile `profile_id`'s board, one per stage in the order of the process,
/// for a `user` who may see the profile; served from the comparison's data while it stands.
pub async fn board(state: &AppState, user: &User, profile_id: i64, now: DateTime<Utc>) -> AppResult<Vec<Column>> {
    let data = ProfileCandidates::load(state, user, profile_id).await?;
    let fits: HashMap<i64, Option<f64>> = data.ranked().iter().map(|c| (c.ranked.id, c.ranked.result.fit)).collect();
    let mut submitted: HashMap<i64, usize> = HashMap::new();
    for card in counted(&data.scorecards) {
        *submitted.entry(card.application_id).or_default() += 1;
    }
    let mut expected: HashMap<i64, usize> = HashMap::new();
    for assignment in &data.assignments {
        *expected.entry(assignment.application_id).or_default() += 1;
    }
    let mut columns: Vec<Column> =
        <Stage as strum::VariantArray>::VARIANTS.iter().map(|&stage| Column { stage, cards: Vec::new() }).collect();
    for overview in &data.applications {
        let a = &overview.application;
        let entered = a.history.last().map_or(now, |change| change.changed_at);
        let card = Card {
            application_id: a.id,
            candidate_id: a.candidate_id,
            name: overview.candidate_name.clone(),
            fit: fits.get(&a.id).copied().flatten(),
            submitted: submitted.get(&a.id).copied().unwrap_or_default(),
            expected: expected.get(&a.id).copied().unwrap_or_default(),
            days_in_stage: (now - entered).num_days().max(0),
            source: a.source.clone(),
            is_new: a.seen_at.is_none(),
            version: a.version(),
        };
        if let Some(column) = columns.iter_mut().find(|c| c.stage == a.stage) {
            column.cards.push(card);
        }
    }
    Ok(columns)
}

/// Moves each of `moves` (application id, the version it was seen at) of profile `profile_id`
/// to `stage`, each in its own transaction and on the audit trail. Refused as a whole, before
/// anything moves, when one is not an application to this profile that `user` may see
/// (422 naming `applications`) or has moved since it was seen (409).
pub async fn move_many(
    state: &AppState,
    user: &User,
    profile_id: i64,
    moves: &[(i64, i64)],
    stage: Stage,
) -> AppResult<usize> {
    let data = ProfileCandidates::load(state, user, profile_id).await?;
    for (id, version) in moves {
        let Some(application) = data.applications.iter().find(|a| a.application.id == *id) else {
            return Err(AppError::Invalid(FieldErrors::single("applications", Problem::NotInThisProfile)));
        };
        if application.application.version() != *version {
            return Err(AppError::Conflict { current_version: application.application.version() });
        }
    }
    for (id, version) in moves {
        candidates::move_to(state, user, *id, stage, Some(*version)).await?;
    }
    Ok(moves.len())
}
