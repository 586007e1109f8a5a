//! Reports over the applications a user may see: which profiles, which days, and the facts
//! each report is computed from.

use crate::app::AppState;
use crate::domain::calendar::in_utc;
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::report::{ApplicationFacts, InterviewFacts, Report, ReportScope};
use crate::domain::scorecard::Scorecard;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::profiles;
use crate::store::{ApplicationOverview, ApplicationsOf, ProfileOverview, ScorecardsOf};

/// The report over the applications `scope` selects among those to the profiles `user` may
/// see; a profile they may not see is refused as unknown (422), as it is in the lists.
pub async fn report(state: &AppState, user: &User, scope: ReportScope) -> AppResult<Report> {
    let profiles = in_scope(state, user, scope).await?;
    let (mut applications, mut interviews) = (Vec::new(), Vec::new());
    for profile in &profiles {
        let id = profile.profile.id;
        let overviews: Vec<ApplicationOverview> = state
            .store
            .list_applications(ApplicationsOf::Profile(id))
            .await?
            .into_iter()
            .filter(|a| scope.covers(a.application.applied_on))
            .collect();
        let cards = state.store.list_scorecards(ScorecardsOf::Profile(id)).await?;
        for assignment in state.store.list_profile_assignments(id).await? {
            let Some(overview) = overviews.iter().find(|a| a.application.id == assignment.application_id) else {
                continue;
            };
            let due_from = match &assignment.slot {
                Some(slot) => in_utc(slot.ends_at(), overview.time_zone),
                None => assignment.assigned_at,
            };
            interviews.push(InterviewFacts {
                interviewer_id: assignment.interviewer_id,
                submitted_at: first_submission(&cards, assignment.id),
                interviewer_name: assignment.interviewer_name,
                due_from,
            });
        }
        applications.extend(overviews.into_iter().map(facts));
    }
    Ok(Report::of(&applications, &interviews))
}

/// The profiles a report over `scope` covers, of those `user` may see.
pub async fn in_scope(state: &AppState, user: &User, scope: ReportScope) -> AppResult<Vec<ProfileOverview>> {
    let mut visible = profiles::list(state, user).await?;
    if let Some(profile_id) = scope.profile_id {
        visible.retain(|o| o.profile.id == profile_id);
        if visible.is_empty() {
            let unknown = Problem::UnknownChoice { allowed: vec![] };
            return Err(AppError::Invalid(FieldErrors::single("profile_id", unknown)));
        }
    }
    Ok(visible)
}

fn first_submission(cards: &[Scorecard], assignment_id: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    cards.iter().filter(|c| c.assignment_id == assignment_id).filter_map(|c| c.submitted_at).min()
}

fn facts(overview: ApplicationOverview) -> ApplicationFacts {
    let application = overview.application;
    ApplicationFacts {
        applied_on: application.applied_on,
        source: application.source,
        history: application.history.into_iter().map(|change| (change.stage, change.changed_at)).collect(),
    }
}
