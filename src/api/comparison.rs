//! `/api/v1/profiles/{id}/comparison` (JSON and CSV) and `/api/v1/applications/{id}/decisions`

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::candidate::Stage;
use crate::domain::compare::{PERTURBATION, Robustness, Standing};
use crate::domain::decision::{Decision, DecisionInput};
use crate::domain::scorecard::RecommendationTally;
use crate::domain::scoring::FitResult;
use crate::error::AppResult;
use crate::http::download;
use crate::http::{ApiJson, ResourceId};
use crate::i18n::{I18n, Lang};
use crate::service::comparison::{ComparedCandidate, ProfileCandidates};
use crate::service::decisions;

/// What the profile asks of one competency.
#[derive(Serialize, ToSchema)]
pub struct RequirementResource<'a> {
    competency: &'a str,
    weight: f64,
    /// Set for a must-have: the lowest acceptable mean.
    minimum: Option<f64>,
}

/// One candidate in the comparison.
#[derive(Serialize, ToSchema)]
pub struct ComparedResource<'a> {
    application_id: i64,
    candidate_id: i64,
    candidate_name: &'a str,
    stage: Stage,
    /// `contender` (ranked by fit), `knocked_out`, `low_coverage` or `unscored`.
    standing: Standing,
    #[serde(flatten)]
    result: FitResult<'a>,
    recommendations: RecommendationTally,
    /// The planned interviewers who have not submitted a scorecard yet, by name.
    awaiting: Vec<&'a str>,
    #[schema(value_type = Option<Decision>)]
    latest_decision: Option<&'a Decision>,
}

impl<'a> From<ComparedCandidate<'a>> for ComparedResource<'a> {
    fn from(c: ComparedCandidate<'a>) -> Self {
        let application = &c.application.application;
        Self {
            application_id: application.id,
            candidate_id: application.candidate_id,
            candidate_name: &c.application.candidate_name,
            stage: application.stage,
            standing: c.ranked.standing,
            result: c.ranked.result,
            recommendations: c.recommendations,
            awaiting: c.awaiting,
            latest_decision: c.latest_decision,
        }
    }
}

/// A weighting that would reorder the leading candidates.
#[derive(Serialize, ToSchema)]
pub struct SwapResource {
    /// The competency whose weight moved; absent for a joint move of all weights.
    competency: Option<String>,
    /// +20 or −20; absent for a joint move.
    change_percent: Option<i32>,
    /// Application ids: who was ahead, and who would overtake them.
    ahead: i64,
    overtaken_by: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RobustnessResource {
    /// `stable`, `fragile` or `too_few` (fewer than two ranked candidates).
    verdict: &'static str,
    swaps: Vec<SwapResource>,
}

/// The whole comparison of a profile's candidates.
#[derive(Serialize, ToSchema)]
pub struct ComparisonResource<'a> {
    profile_id: i64,
    /// Heaviest first; each candidate's `competencies` follow this order.
    requirements: Vec<RequirementResource<'a>>,
    /// Contenders by fit, then those set apart (knocked out, low coverage), then the unscored.
    candidates: Vec<ComparedResource<'a>>,
    robustness: RobustnessResource,
}

fn robustness_resource(data: &ProfileCandidates, verdict: Robustness) -> RobustnessResource {
    match verdict {
        Robustness::Stable => RobustnessResource { verdict: "stable", swaps: Vec::new() },
        Robustness::TooFew => RobustnessResource { verdict: "too_few", swaps: Vec::new() },
        Robustness::Fragile { swaps } => RobustnessResource {
            verdict: "fragile",
            swaps: swaps
                .into_iter()
                .map(|s| SwapResource {
                    competency: s.weight.map(|i| data.requirements[i].competency.clone()),
                    change_percent: s
                        .factor
                        .map(|f| if f > 1.0 { 1 } else { -1 } * (PERTURBATION * 100.0).round() as i32),
                    ahead: s.ahead,
                    overtaken_by: s.overtaken_by,
                })
                .collect(),
        },
    }
}

/// Compare a role profile's candidates
#[utoipa::path(get, path = "/profiles/{id}/comparison", operation_id = "readComparison", tag = "comparison", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Every candidate of the profile with the fit and everything behind it, and whether the ranking survives ±20 % on any weight", body = ComparisonResource),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn comparison(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let data = ProfileCandidates::load(&state, &user, id).await?;
    let ranked = data.ranked();
    let robustness = robustness_resource(&data, data.robustness(&ranked));
    let document = ComparisonResource {
        profile_id: id,
        requirements: data
            .requirements
            .iter()
            .map(|r| RequirementResource { competency: &r.competency, weight: r.weight, minimum: r.minimum })
            .collect(),
        candidates: ranked.into_iter().map(Into::into).collect(),
        robustness,
    };
    Ok(Json(document).into_response())
}

/// List an application's hiring decisions
#[utoipa::path(get, path = "/applications/{id}/decisions", operation_id = "listDecisions", tag = "comparison", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The application's decisions, oldest first", body = [Decision]),
        (status = 404, description = "No such application", body = ProblemDocument),
    ))]
pub async fn decisions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<Vec<Decision>>> {
    Ok(Json(decisions::of_application(&state, &user, id).await?))
}

/// Record a hiring decision on an application
#[utoipa::path(post, path = "/applications/{id}/decisions", operation_id = "recordDecision", tag = "comparison", params(("id" = i64, Path)),
    request_body = DecisionInput,
    responses(
        (status = 201, description = "Recorded; the application moved to the decision's stage", body = Decision),
        (status = 403, description = "Only the profile's hiring manager decides", body = ProblemDocument),
        (status = 404, description = "No such application", body = ProblemDocument),
        (status = 409, description = "The application moved on since it was read", body = ProblemDocument),
        (status = 422, description = "No reason, an unknown verdict, or one that cannot apply at the application's stage", body = ProblemDocument),
    ))]
pub async fn record_decision(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    ApiJson(input): ApiJson<DecisionInput>,
) -> AppResult<Response> {
    let application = decisions::decidable(&state, &user, id).await?;
    let decision = decisions::decide(&state, &user, &application, &input).await?;
    let location = format!("/api/v1/applications/{id}/decisions");
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(decision)).into_response())
}

/// Export a role profile's candidate comparison as CSV
#[utoipa::path(get, path = "/profiles/{id}/comparison.csv", operation_id = "exportComparison", tag = "comparison",
    params(("id" = i64, Path), ("Accept-Language" = Option<String>, Header, description = "`da` for Danish headings, `;` and decimal commas; English otherwise")),
    responses(
        (status = 200, description = "The comparison as CSV: a row per candidate, a column per competency (its mean), then fit, coverage, knockouts and disagreements (UTF-8 with a byte-order mark; no cell a spreadsheet would run as a formula)", content_type = "text/csv"),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn export(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    Extension(lang): Extension<Lang>,
) -> AppResult<Response> {
    let data = ProfileCandidates::load(&state, &user, id).await?;
    download::comparison_csv(&state, &data, id, I18n::new(lang))
}
