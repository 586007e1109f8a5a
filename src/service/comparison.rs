//! The comparison of a profile's candidates: the requirements the profile's weights make,
//! and everything the comparison shows, loaded at once and kept while the data is unchanged.

use crate::domain::candidate::Assignment;
use std::collections::HashMap;
use std::sync::Arc;

use crate::app::AppState;
use crate::domain::company::Company;
use crate::domain::compare::{LEADERS, RankedCandidate, Robustness, compare, contenders, robustness};
use crate::domain::decision::Decision;
use crate::domain::profile::RoleProfile;
use crate::domain::scorecard::{RecommendationTally, Scorecard, counted, counted_ratings};
use crate::domain::scoring::{FitResult, Rating, Requirement, fit};
use crate::domain::user::User;
use crate::error::AppResult;
use crate::service::profiles::{self, WeighedProfile};
use crate::store::{ApplicationOverview, ApplicationsOf, ScorecardsOf};

/// An application's scorecards and what its profile requires: all its fit is computed from.
pub struct ScoredApplication {
    /// Every version, oldest first, drafts included.
    pub scorecards: Vec<Scorecard>,
    pub requirements: Vec<Requirement>,
}

impl ScoredApplication {
    /// The fit of the counted scorecards against the profile's requirements.
    pub fn fit(&self) -> FitResult<'_> {
        fit(&self.requirements, &counted_ratings(counted(&self.scorecards)))
    }
}

/// The scorecards and fit of an application its reader was allowed to see (by
/// [`candidates::application_seen_by`](super::candidates::application_seen_by) or as one of
/// a candidate's visible applications).
pub async fn scored(state: &AppState, application: &ApplicationOverview) -> AppResult<ScoredApplication> {
    let profile = state.store.get_profile(application.application.profile_id).await?;
    let requirements = WeighedProfile::load(state, profile).await?.requirements(&state.rubric);
    let scorecards = state.store.list_scorecards(ScorecardsOf::Application(application.application.id)).await?;
    Ok(ScoredApplication { scorecards, requirements })
}

/// Everything about one profile's candidates that the comparison shows, loaded in a fixed
/// number of queries however many candidates there are.
pub struct ProfileCandidates {
    /// The data revision this was read at.
    pub revision: i64,
    pub profile: RoleProfile,
    pub company: Company,
    pub requirements: Vec<Requirement>,
    pub applications: Vec<ApplicationOverview>,
    pub scorecards: Vec<Scorecard>,
    /// The interview plans: who is to score each application.
    pub assignments: Vec<Assignment>,
    /// Oldest first.
    pub decisions: Vec<Decision>,
}

/// One candidate in the comparison.
pub struct ComparedCandidate<'a> {
    pub application: &'a ApplicationOverview,
    pub ranked: RankedCandidate<'a>,
    pub recommendations: RecommendationTally,
    /// The interviewers whose counted scorecard is a correction made after they could read
    /// their colleagues' ones.
    pub corrected_after_seeing_others: Vec<&'a str>,
    /// The interviewers planned for the candidate who have not submitted a scorecard yet.
    pub awaiting: Vec<&'a str>,
    pub latest_decision: Option<&'a Decision>,
}

impl ProfileCandidates {
    /// 404 for an unknown profile, 403 for one the user may not see. Served from memory while
    /// the data is unchanged: the comparison is the page hiring managers reload most.
    pub async fn load(state: &AppState, user: &User, profile_id: i64) -> AppResult<Arc<Self>> {
        let revision = state.store.revision().await?;
        let data =
            state.reads.comparisons.get_or_load(profile_id, revision, Self::fetch(state, profile_id, revision)).await?;
        profiles::check_visible(user, &data.profile)?;
        Ok(data)
    }

    async fn fetch(state: &AppState, profile_id: i64, revision: i64) -> AppResult<Self> {
        let weighed = WeighedProfile::load(state, state.store.get_profile(profile_id).await?).await?;
        let requirements = weighed.requirements(&state.rubric);
        let WeighedProfile { profile, company, .. } = weighed;
        Ok(Self {
            requirements,
            applications: state.store.list_applications(ApplicationsOf::Profile(profile_id)).await?,
            scorecards: state.store.list_scorecards(ScorecardsOf::Profile(profile_id)).await?,
            assignments: state.store.list_profile_assignments(profile_id).await?,
            decisions: state.store.list_decisions(ApplicationsOf::Profile(profile_id)).await?,
            profile,
            company,
            revision,
        })
    }

    /// The candidates as [`compare`] ranks them: contenders by fit, then those set apart.
    pub fn ranked(&self) -> Vec<ComparedCandidate<'_>> {
        let mut cards_of: HashMap<i64, Vec<&Scorecard>> = HashMap::new();
        for card in counted(&self.scorecards) {
            cards_of.entry(card.application_id).or_default().push(card);
        }
        let no_cards = Vec::new();
        let cards = |id: i64| cards_of.get(&id).unwrap_or(&no_cards);
        let ratings: Vec<(i64, Vec<Rating>)> = self
            .applications
            .iter()
            .map(|a| (a.application.id, counted_ratings(cards(a.application.id).iter().copied())))
            .collect();
        compare(&self.requirements, &ratings)
            .into_iter()
            .filter_map(|ranked| {
                let application = self.applications.iter().find(|a| a.application.id == ranked.id)?;
                Some(ComparedCandidate {
                    application,
                    recommendations: RecommendationTally::of(cards(ranked.id).iter().copied()),
                    corrected_after_seeing_others: cards(ranked.id)
                        .iter()
                        .filter(|card| card.corrected_after_seeing_others)
                        .map(|card| card.interviewer_name.as_str())
                        .collect(),
                    awaiting: self
                        .assignments
                        .iter()
                        .filter(|a| a.application_id == ranked.id)
                        .filter(|a| !cards(ranked.id).iter().any(|card| card.assignment_id == a.id))
                        .map(|a| a.interviewer_name.as_str())
                        .collect(),
                    latest_decision: self.decisions.iter().rev().find(|d| d.application_id == ranked.id),
                    ranked,
                })
            })
            .collect()
    }

    /// Whether the order of the leading contenders survives other weightings.
    pub fn robustness(&self, ranked: &[ComparedCandidate]) -> Robustness {
        let (weights, means) = contenders(&self.requirements, ranked.iter().map(|c| &c.ranked));
        robustness(&weights, &means, LEADERS)
    }

    /// The name of a candidate by application id, for robustness messages.
    pub fn candidate_name(&self, application_id: i64) -> &str {
        self.applications.iter().find(|a| a.application.id == application_id).map_or("", |a| a.candidate_name.as_str())
    }
}
