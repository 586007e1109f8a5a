//! `/api/v1/wording-check`

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::ProblemDocument;
use crate::app::AppState;
use crate::domain::wording::{WordingCheckInput, WordingReport};
use crate::error::{AppError, AppResult};
use crate::http::ApiJson;

/// Check a text's wording for bias, legal flags and readability
#[utoipa::path(post, path = "/wording-check", operation_id = "checkWording", tag = "ads", request_body = WordingCheckInput,
    responses(
        (status = 200, description = "The gender-coding verdict with the coded words on each side, every discrimination-law flag with its position (in characters), LIX, \"the candidate\" wording and missing practical information", body = WordingReport),
        (status = 413, description = "A body over 512 KiB", body = ProblemDocument),
        (status = 422, description = "No text, a text over 50,000 characters, or an unknown language", body = ProblemDocument),
    ))]
pub async fn check(State(state): State<AppState>, ApiJson(input): ApiJson<WordingCheckInput>) -> AppResult<Response> {
    let (text, language) = input.parse().map_err(AppError::Invalid)?;
    Ok(Json(state.wording.check(&text, language)).into_response())
}
