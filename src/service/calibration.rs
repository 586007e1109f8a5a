//! Interviewer calibration: how each interviewer's counted ratings compare with the panel's,
//! across every profile or one.

use std::collections::HashMap;

use crate::app::AppState;
use crate::domain::calibration::{Calibration, PanelRating, calibrate};
use crate::domain::scorecard::counted;
use crate::error::AppResult;
use crate::store::{ProfileOverview, ScorecardsOf};

/// One interviewer's calibration.
pub struct InterviewerCalibration {
    pub name: String,
    pub calibration: Calibration,
}

/// The calibration of every interviewer with a counted rating, by name.
pub struct PanelCalibration {
    pub interviewers: Vec<InterviewerCalibration>,
    /// Every profile, the ones the calibration can be narrowed to.
    pub profiles: Vec<ProfileOverview>,
    /// The profile it is narrowed to; `None` for every profile.
    pub chosen: Option<i64>,
}

/// The calibration over every profile, or over `profile` alone when it names one.
pub async fn panel(state: &AppState, profile: Option<i64>) -> AppResult<PanelCalibration> {
    let profiles = state.store.list_profiles().await?;
    let chosen = profile.filter(|id| profiles.iter().any(|o| o.profile.id == *id));
    let scorecards = state.store.list_scorecards(chosen.map_or(ScorecardsOf::All, ScorecardsOf::Profile)).await?;
    let counted = counted(&scorecards);
    let ratings: Vec<PanelRating> = counted
        .iter()
        .flat_map(|card| {
            card.ratings.iter().filter_map(|r| {
                r.score.map(|score| PanelRating {
                    application: card.application_id,
                    competency: &r.competency,
                    interviewer: card.interviewer_id,
                    score,
                })
            })
        })
        .collect();
    let names: HashMap<i64, &str> = counted.iter().map(|c| (c.interviewer_id, c.interviewer_name.as_str())).collect();
    let mut interviewers: Vec<InterviewerCalibration> = calibrate(&ratings)
        .into_iter()
        .map(|calibration| {
            let name = names.get(&calibration.interviewer).copied().unwrap_or_default().to_owned();
            InterviewerCalibration { name, calibration }
        })
        .collect();
    interviewers.sort_by_key(|line| line.name.to_lowercase());
    Ok(PanelCalibration { interviewers, profiles, chosen })
}
