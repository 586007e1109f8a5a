//! Reports over the applications a user may see: which profiles, which days, and the facts
//! each report is computed from, read in three queries whatever the number of applications.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::app::AppState;
use crate::domain::calendar::in_utc;
use crate::domain::candidate::Stage;
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::report::{ApplicationFacts, InterviewFacts, Report, ReportQuery, ReportScope};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::profiles;
use crate::store::{ProfileOverview, ReportRows, ReportSelection, ReportedInterview, StoreError};

/// The report `query` asks for: [`AppError::Invalid`] naming each parameter that is wrong, else
/// [`report`].
pub async fn asked(state: &AppState, user: &User, query: &ReportQuery) -> AppResult<Report> {
    report(state, user, query.parse().map_err(AppError::Invalid)?).await
}

/// The report over the applications `scope` selects among those to the profiles `user` may
/// see; a profile they may not see is refused as unknown (422), as it is in the lists.
pub async fn report(state: &AppState, user: &User, scope: ReportScope) -> AppResult<Report> {
    let profile_ids: Vec<i64> = in_scope(state, user, scope).await?.iter().map(|o| o.profile.id).collect();
    let selection = ReportSelection { profile_ids: &profile_ids, from: scope.from, to: scope.to };
    let rows = state.store.report_rows(selection).await?;
    let applications = applications(&rows)?;
    let open: HashMap<i64, bool> = applications
        .iter()
        .map(|(id, facts)| (*id, facts.history.last().is_none_or(|(stage, _)| !stage.is_closed())))
        .collect();
    let interviews: Vec<InterviewFacts> = rows
        .interviews
        .into_iter()
        .filter_map(|interview| {
            let application_open = *open.get(&interview.application_id)?;
            Some(InterviewFacts {
                ended_at: ended_at(&interview)?,
                interviewer_id: interview.interviewer_id,
                interviewer_name: interview.interviewer_name,
                submitted_at: interview.first_submitted_at,
                application_open,
            })
        })
        .collect();
    let applications: Vec<ApplicationFacts> = applications.into_iter().map(|(_, facts)| facts).collect();
    Ok(Report::of(&applications, &interviews, chrono::Utc::now()))
}

/// Each application with its history, by id, in the order read.
fn applications(rows: &ReportRows) -> AppResult<Vec<(i64, ApplicationFacts)>> {
    let mut histories: HashMap<i64, Vec<(Stage, DateTime<Utc>)>> = HashMap::new();
    for change in &rows.changes {
        let stage = change.stage.parse().map_err(|_| StoreError::Corrupt(format!("stage = {:?}", change.stage)))?;
        histories.entry(change.application_id).or_default().push((stage, change.changed_at));
    }
    Ok(rows
        .applications
        .iter()
        .map(|a| {
            let history = histories.remove(&a.id).unwrap_or_default();
            (a.id, ApplicationFacts { applied_on: a.applied_on, source: a.source.clone(), history })
        })
        .collect())
}

/// When an interview with a time ended, in UTC; none without a time (or with a time zone no
/// longer known).
fn ended_at(interview: &ReportedInterview) -> Option<DateTime<Utc>> {
    let starts_at = interview.starts_at?;
    let minutes = i64::from(interview.duration_minutes.unwrap_or_default());
    let zone: chrono_tz::Tz = interview.time_zone.parse().ok()?;
    Some(in_utc(starts_at + chrono::TimeDelta::minutes(minutes), zone))
}

/// The profiles a report over `scope` covers, of those `user` may see.
pub async fn in_scope(state: &AppState, user: &User, scope: ReportScope) -> AppResult<Vec<ProfileOverview>> {
    let mut visible = profiles::list(state, user).await?;
    if let Some(profile_id) = scope.profile_id {
        visible.retain(|o| o.profile.id == profile_id);
        if visible.is_empty() {
            return Err(AppError::Invalid(FieldErrors::single("profile_id", Problem::UnknownProfile)));
        }
    }
    Ok(visible)
}
