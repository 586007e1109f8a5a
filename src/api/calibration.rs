//! `/api/v1/calibration`: how each interviewer's ratings compare with the panel's, as the
//! calibration page shows it.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ProblemDocument;
use crate::app::AppState;
use crate::domain::calibration::Tendency;
use crate::domain::input::{FieldErrors, FieldParser, Problem, lenient_text};
use crate::error::{AppError, AppResult};
use crate::http;
use crate::service::calibration::{self, InterviewerCalibration};

/// Which ratings to compare, as a query string asks for them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CalibrationQuery {
    /// Only the ratings of this role profile's applications; every profile's when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<i64>, minimum = 1)]
    profile_id: Option<String>,
}

/// One interviewer's counted ratings against the panel's on the same items.
#[derive(Serialize, ToSchema)]
pub struct CalibrationResource {
    interviewer_id: i64,
    name: String,
    ratings: usize,
    /// Their ratings of items (a competency of an application) someone else rated too.
    shared: usize,
    own_mean: Option<f64>,
    panel_mean: Option<f64>,
    /// `own_mean` minus `panel_mean`: positive is lenient, negative severe.
    difference: Option<f64>,
    /// `null` while they share no item with anyone.
    tendency: Option<Tendency>,
    /// Shared items where they and another interviewer were 2 points or more apart.
    disagreements: usize,
    /// The share (0–100) of shared items with a disagreement.
    disagreement_rate: Option<f64>,
}

impl From<InterviewerCalibration> for CalibrationResource {
    fn from(InterviewerCalibration { name, calibration: c }: InterviewerCalibration) -> Self {
        Self {
            interviewer_id: c.interviewer,
            name,
            ratings: c.ratings,
            shared: c.shared,
            own_mean: c.own_mean,
            panel_mean: c.panel_mean,
            difference: c.difference(),
            tendency: c.tendency(),
            disagreements: c.disagreements,
            disagreement_rate: c.disagreement_rate(),
        }
    }
}

/// Compare each interviewer's ratings with the panel's
#[utoipa::path(get, path = "/calibration", operation_id = "readCalibration", tag = "interviews", params(CalibrationQuery),
    responses(
        (status = 200, description = "Every interviewer with a counted rating, by name", body = [CalibrationResource]),
        (status = 422, description = "A `profile_id` that names no role profile", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    query: Result<Query<CalibrationQuery>, QueryRejection>,
) -> AppResult<Json<Vec<CalibrationResource>>> {
    let query = http::query(query)?;
    let mut p = FieldParser::default();
    let profile = p.optional_integer("profile_id", &query.profile_id, 1..=i64::MAX);
    let profile = p.finish(profile).map_err(AppError::Invalid)?;
    let panel = calibration::panel(&state, profile).await?;
    if profile.is_some() && panel.chosen.is_none() {
        let unknown = Problem::UnknownChoice { allowed: vec![] };
        return Err(AppError::Invalid(FieldErrors::single("profile_id", unknown)));
    }
    Ok(Json(panel.interviewers.into_iter().map(Into::into).collect()))
}
