//! `/api/v1/retention`: who is anonymised within the next 60 days and why, and who is in the
//! talent pool, as the retention page shows it.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::retention::KeptBecause;
use crate::error::AppResult;
use crate::service::retention::{self, UPCOMING_DAYS, Upcoming};

/// A candidate anonymised soon.
#[derive(Serialize, ToSchema)]
pub struct UpcomingAnonymisation {
    candidate_id: i64,
    name: String,
    /// When; now for those the next daily run anonymises.
    at: DateTime<Utc>,
    /// What keeps them until `at`; `null` when that has ended.
    kept_because: Option<KeptBecause>,
}

/// A candidate who consented to stay in the talent pool.
#[derive(Serialize, ToSchema)]
pub struct TalentPoolMember {
    candidate_id: i64,
    name: String,
    given_on: NaiveDate,
    until: NaiveDate,
}

/// The retention list.
#[derive(Serialize, ToSchema)]
pub struct RetentionResource {
    /// How long candidates who were not hired are kept after their last application closed.
    period_months: u32,
    /// Soonest first.
    upcoming: Vec<UpcomingAnonymisation>,
    /// By name.
    talent_pool: Vec<TalentPoolMember>,
}

/// List the upcoming anonymisations and the talent pool
#[utoipa::path(get, path = "/retention", operation_id = "readRetention", tag = "candidates",
    responses((status = 200, description = "Who is anonymised within the next 60 days and why, and the talent pool", body = RetentionResource)))]
pub async fn read(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> AppResult<Json<RetentionResource>> {
    let now = Utc::now();
    let upcoming = retention::upcoming(&state, now, now + chrono::Days::new(UPCOMING_DAYS)).await?;
    let upcoming = upcoming
        .into_iter()
        .map(|Upcoming { at, candidate, kept_because }| UpcomingAnonymisation {
            candidate_id: candidate.id,
            name: candidate.name,
            at,
            kept_because,
        })
        .collect();
    let talent_pool = retention::talent_pool(&state, &user)
        .await?
        .into_iter()
        .map(|(candidate, consent)| TalentPoolMember {
            candidate_id: candidate.id,
            name: candidate.details.name,
            given_on: consent.given_on,
            until: consent.until,
        })
        .collect();
    Ok(Json(RetentionResource { period_months: state.retention.length_in_months(), upcoming, talent_pool }))
}
