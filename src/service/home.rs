//! What each user has to do next, for their start page: an administrator's first steps, a
//! recruiter's new applications, waiting candidates and closing ads, a hiring manager's
//! candidates ready for a decision. (An interviewer's list is their interviews.)

use chrono::{Duration, Utc};

use crate::app::AppState;
use crate::domain::user::{Permission, Role, User};
use crate::error::AppResult;
use crate::service::pipeline::Card;
use crate::service::{pipeline, profiles, today};
use crate::store::ProfileOverview;

/// An application waits too long when it has been in an open stage this many days.
pub const WAITING_DAYS: i64 = 7;
/// An ad closes soon when its last day is at most this many days away.
pub const CLOSING_DAYS: i64 = 7;

/// A new installation's first steps, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    /// Users besides administrators.
    pub colleagues: usize,
    pub companies: usize,
    pub profiles: usize,
}

impl Setup {
    pub fn is_done(&self) -> bool {
        self.colleagues > 0 && self.companies > 0 && self.profiles > 0
    }
}

/// A profile and how many of its applications something applies to, with their names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileCount {
    pub profile_id: i64,
    pub title: String,
    pub company: String,
    pub names: Vec<String>,
}

/// A published ad whose last day is near.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingAd {
    pub profile_id: i64,
    pub title: String,
    pub slug: String,
    pub open_until: chrono::NaiveDate,
}

/// What a recruiter (or an administrator) has waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recruiting {
    /// Candidates with an application no recruiter has opened yet.
    pub new_applicants: u64,
    /// Per profile, the applications in an open stage for more than [`WAITING_DAYS`].
    pub waiting: Vec<ProfileCount>,
    pub closing: Vec<ClosingAd>,
    /// Interviews held before today whose scorecard is still not submitted, earliest first.
    pub overdue: Vec<OverdueInterview>,
}

/// An interview that was held and still has no scorecard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueInterview {
    pub candidate_id: i64,
    pub candidate: String,
    pub interviewer: String,
    pub held_on: chrono::NaiveDate,
}

/// What the start page shows a user, by what their role does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Agenda {
    /// For administrators, until the installation has colleagues, a company and a profile.
    pub setup: Option<Setup>,
    pub recruiting: Option<Recruiting>,
    /// For hiring managers: per profile they own, the candidates still in the process whose
    /// planned interviewers have all submitted.
    pub ready: Vec<ProfileCount>,
}

pub async fn agenda(state: &AppState, user: &User) -> AppResult<Agenda> {
    let visible = profiles::list(state, user).await?;
    let mut agenda = Agenda::default();
    if user.role.grants(Permission::ManageUsers) {
        agenda.setup = Some(setup(state, &visible).await?).filter(|setup| !setup.is_done());
    }
    if user.role.grants(Permission::ManageCandidates) {
        agenda.recruiting = Some(recruiting(state, user, &visible).await?);
    }
    if user.role.grants(Permission::Decide) {
        agenda.ready = ready_for_decision(state, user, &visible).await?;
    }
    Ok(agenda)
}

async fn setup(state: &AppState, visible: &[ProfileOverview]) -> AppResult<Setup> {
    let users = state.store.list_users().await?;
    Ok(Setup {
        colleagues: users.iter().filter(|u| u.active && u.role != Role::Admin).count(),
        companies: state.store.list_companies().await?.len(),
        profiles: visible.len(),
    })
}

async fn recruiting(state: &AppState, user: &User, visible: &[ProfileOverview]) -> AppResult<Recruiting> {
    let since = Utc::now() - Duration::days(WAITING_DAYS);
    Ok(Recruiting {
        new_applicants: state.store.count_new_applicants().await?,
        waiting: open_cards(state, user, visible.iter(), |card| card.entered < since).await?,
        closing: closing_ads(state, visible).await?,
        overdue: overdue_interviews(state).await?,
    })
}

/// Interviews whose day has passed without a submitted scorecard.
async fn overdue_interviews(state: &AppState) -> AppResult<Vec<OverdueInterview>> {
    let start_of_today = today().and_time(chrono::NaiveTime::MIN);
    let overdue = state.store.unscored_interviews(start_of_today).await?;
    Ok(overdue
        .into_iter()
        .filter_map(|(assignment, application)| {
            Some(OverdueInterview {
                candidate_id: application.application.candidate_id,
                candidate: application.candidate_name,
                interviewer: assignment.interviewer_name,
                held_on: assignment.slot?.starts_at.date(),
            })
        })
        .collect())
}

/// The ads open today whose last day is within [`CLOSING_DAYS`], soonest first.
async fn closing_ads(state: &AppState, visible: &[ProfileOverview]) -> AppResult<Vec<ClosingAd>> {
    let today = today();
    let last = today + Duration::days(CLOSING_DAYS);
    let mut closing: Vec<ClosingAd> = state
        .store
        .list_publications()
        .await?
        .into_iter()
        .filter(|p| p.is_open_on(today) && p.open_until <= last)
        .filter_map(|p| {
            let overview = visible.iter().find(|o| o.profile.id == p.profile_id)?;
            let title = overview.profile.details.title.clone();
            Some(ClosingAd { profile_id: p.profile_id, title, slug: p.slug, open_until: p.open_until })
        })
        .collect();
    closing.sort_by_key(|ad| ad.open_until);
    Ok(closing)
}

/// Per profile the hiring manager owns, the open applications whose planned interviewers have
/// all submitted.
async fn ready_for_decision(
    state: &AppState,
    user: &User,
    visible: &[ProfileOverview],
) -> AppResult<Vec<ProfileCount>> {
    let owned = visible.iter().filter(|o| o.profile.details.hiring_manager_id == Some(user.id));
    open_cards(state, user, owned, |card| card.expected > 0 && card.submitted >= card.expected).await
}

/// Per profile, the names on its board's cards in an open stage that `matches`; the profiles
/// with none are left out.
async fn open_cards<'a>(
    state: &AppState,
    user: &User,
    profiles: impl Iterator<Item = &'a ProfileOverview>,
    matches: impl Fn(&Card) -> bool,
) -> AppResult<Vec<ProfileCount>> {
    let mut counts = Vec::new();
    for overview in profiles {
        let board = pipeline::board(state, user, overview.profile.id).await?;
        let open = board.columns.iter().filter(|column| !column.stage.is_closed()).flat_map(|column| &column.cards);
        let names: Vec<String> = open.filter(|card| matches(card)).map(|card| card.name.clone()).collect();
        if !names.is_empty() {
            counts.push(count_of(overview, names));
        }
    }
    Ok(counts)
}

fn count_of(overview: &ProfileOverview, names: Vec<String>) -> ProfileCount {
    ProfileCount {
        profile_id: overview.profile.id,
        title: overview.profile.details.title.clone(),
        company: overview.company_name.clone(),
        names,
    }
}
