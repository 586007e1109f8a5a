//! A role profile's pipeline: its applications by stage, each as a card with what a recruiter
//! decides by, and moving several at once.

use std::collections::HashMap;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::AppState;
use crate::domain::candidate::{SeenApplication, Stage};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::profile::RoleProfile;
use crate::domain::scorecard::counted;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::comparison::ProfileCandidates;
use crate::service::{candidates, profiles};

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
    /// When it entered its stage.
    pub entered: DateTime<Utc>,
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

/// A profile's board: the profile, and a column per stage in the order of the process.
pub struct Board {
    pub profile: RoleProfile,
    pub columns: Vec<Column>,
    /// The data revision this was made at.
    pub revision: i64,
}

/// Profile `profile_id`'s board, for a `user` who may see the profile (403 otherwise); kept
/// in memory, like the comparison it is made from, while the data is unchanged.
pub async fn board(state: &AppState, user: &User, profile_id: i64) -> AppResult<Arc<Board>> {
    let revision = state.store.revision().await?;
    let board = state.reads.boards.get_or_load(profile_id, revision, made(state, user, profile_id)).await?;
    profiles::check_visible(user, &board.profile)?;
    Ok(board)
}

async fn made(state: &AppState, user: &User, profile_id: i64) -> AppResult<Board> {
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
        let entered = a
            .history
            .last()
            .map_or(overview.application.applied_on.and_time(chrono::NaiveTime::MIN).and_utc(), |change| {
                change.changed_at
            });
        let card = Card {
            application_id: a.id,
            candidate_id: a.candidate_id,
            name: overview.candidate_name.clone(),
            fit: fits.get(&a.id).copied().flatten(),
            submitted: submitted.get(&a.id).copied().unwrap_or_default(),
            expected: expected.get(&a.id).copied().unwrap_or_default(),
            entered,
            source: a.source.clone(),
            is_new: a.seen_at.is_none(),
            version: a.version(),
        };
        if let Some(column) = columns.iter_mut().find(|c| c.stage == a.stage) {
            column.cards.push(card);
        }
    }
    Ok(Board { profile: data.profile.clone(), columns, revision: data.revision })
}

/// The fit of each of `applications` (application, profile), from its profile's board.
pub async fn fits(
    state: &AppState,
    user: &User,
    applications: impl IntoIterator<Item = (i64, i64)>,
) -> AppResult<HashMap<i64, Option<f64>>> {
    let mut by_profile: HashMap<i64, Vec<i64>> = HashMap::new();
    for (application, profile) in applications {
        by_profile.entry(profile).or_default().push(application);
    }
    let mut fits = HashMap::new();
    for (profile, wanted) in by_profile {
        let board = board(state, user, profile).await?;
        let cards = board.columns.iter().flat_map(|c| &c.cards).filter(|c| wanted.contains(&c.application_id));
        fits.extend(cards.map(|c| (c.application_id, c.fit)));
    }
    Ok(fits)
}

/// Moves each of `moves` (application id, the version it was seen at, if known) of profile
/// `profile_id` to `stage`, each in its own transaction and on the audit trail. Refused as a
/// whole, before anything moves, when one is not an application to this profile that `user`
/// may see (422 naming `applications`) or has moved since it was seen (409); one that moves
/// meanwhile is refused (409) with those before it moved already.
pub async fn move_many(
    state: &AppState,
    user: &User,
    profile_id: i64,
    moves: &[SeenApplication],
    stage: Stage,
) -> AppResult<usize> {
    let data = ProfileCandidates::load(state, user, profile_id).await?;
    let mut checked = Vec::with_capacity(moves.len());
    for (id, seen) in moves {
        let Some(application) = data.applications.iter().find(|a| a.application.id == *id) else {
            return Err(AppError::Invalid(FieldErrors::single("applications", Problem::NotInThisProfile)));
        };
        let current = application.application.version();
        if seen.is_some_and(|seen| seen != current) {
            return Err(AppError::Conflict { current_version: current });
        }
        checked.push((*id, *seen));
    }
    for (id, seen) in checked {
        candidates::move_to(state, user, id, stage, seen).await?;
    }
    Ok(moves.len())
}
