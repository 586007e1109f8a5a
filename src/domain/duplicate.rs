//! Possible duplicates. A job page's form is anyone's to fill in, so an application that gives
//! the email address of a candidate amfit already holds is kept as a new candidate, marked as a
//! possible duplicate of that one; nothing it sent reaches the existing record until a recruiter,
//! having seen both, merges them. This module decides what a merge does.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::candidate::{Application, Candidate, CandidateDetails, Stage};
use super::input::{FieldErrors, FieldParser, Problem, lenient_text};

named_choice!(
    /// A detail a merge may take from the newer record instead of keeping the existing one's.
    MergedDetail, "merge-take" { Name, Phone }
);

/// A merge as a JSON body sends it to the candidate that stays (the merge page's form sends
/// the same fields to the newer record's page).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MergeInput {
    /// The newer candidate, marked as a possible duplicate of this one; it is merged in and
    /// then no longer exists.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = i64, minimum = 1, required = true)]
    pub duplicate_id: Option<String>,
    /// The details to take from the newer record (`name`, `phone`); every other detail stays
    /// as the existing candidate's.
    #[schema(value_type = Vec<MergedDetail>)]
    pub take_from_duplicate: Vec<String>,
    /// The newer record's version as the recruiter saw it: the merge is refused (409) if it
    /// has changed since.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub duplicate_version: Option<String>,
}

/// A merge, checked as far as the input alone tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeChoice {
    pub duplicate_id: i64,
    pub duplicate_version: Option<i64>,
    pub take: Vec<MergedDetail>,
}

impl MergeInput {
    pub fn parse(&self) -> Result<MergeChoice, FieldErrors> {
        let mut p = FieldParser::default();
        let duplicate_id = p.required_integer("duplicate_id", &self.duplicate_id, 1..=i64::MAX);
        let duplicate_version = p.optional_integer("duplicate_version", &self.duplicate_version, 1..=i64::MAX);
        let take = p.choices("take_from_duplicate", &self.take_from_duplicate);
        p.finish(MergeChoice { duplicate_id, duplicate_version, take })
    }
}

/// Both records as they were read for the merge (at the versions the recruiter saw, when the
/// request names them), and what becomes of each application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePlan {
    pub existing_id: i64,
    pub existing_version: i64,
    pub duplicate_id: i64,
    pub duplicate_version: i64,
    /// The existing candidate's details after the merge.
    pub details: CandidateDetails,
    /// The newer record's applications to profiles the existing candidate had not applied to:
    /// they become the existing candidate's, as they are.
    pub moved_applications: Vec<i64>,
    /// The newer record's applications to a profile the existing candidate applied to as well,
    /// each with that earlier application: its documents join the earlier one, which stays.
    pub folded_applications: Vec<(i64, i64)>,
}

/// Plans merging `duplicate` into `existing`, with each one's applications; `worked_on` holds
/// the applications with work done on them beyond the first stage's default interview plan
/// (an interview time, a scorecard, a decision). Refused when the newer record is not marked
/// as a possible duplicate of `existing` (`duplicate_id`), or when both applied to one profile
/// and the newer application has moved on: folding it away would lose what was done with it.
pub fn plan_merge(
    existing: (&Candidate, &[Application]),
    duplicate: (&Candidate, &[Application]),
    choice: &MergeChoice,
    worked_on: &HashSet<i64>,
) -> Result<MergePlan, FieldErrors> {
    let ((existing, existing_applications), (duplicate, duplicate_applications)) = (existing, duplicate);
    if duplicate.id != choice.duplicate_id || duplicate.possible_duplicate_of != Some(existing.id) {
        return Err(FieldErrors::single("duplicate_id", Problem::NotAPossibleDuplicate));
    }
    let earlier: HashMap<i64, i64> = existing_applications.iter().map(|a| (a.profile_id, a.id)).collect();
    let mut moved_applications = Vec::new();
    let mut folded_applications = Vec::new();
    for application in duplicate_applications {
        match earlier.get(&application.profile_id) {
            None => moved_applications.push(application.id),
            Some(_) if has_moved_on(application, worked_on) => {
                return Err(FieldErrors::single("duplicate_id", Problem::ApplicationsOverlap));
            }
            Some(&kept) => folded_applications.push((application.id, kept)),
        }
    }
    Ok(MergePlan {
        existing_id: existing.id,
        existing_version: existing.version,
        duplicate_id: duplicate.id,
        duplicate_version: duplicate.version,
        details: merged_details(&existing.details, &duplicate.details, &choice.take),
        moved_applications,
        folded_applications,
    })
}

/// Whether anything but receiving it was done with `application`: a stage change, or work in
/// `worked_on`.
fn has_moved_on(application: &Application, worked_on: &HashSet<i64>) -> bool {
    application.stage != Stage::Applied || application.history.len() > 1 || worked_on.contains(&application.id)
}

/// The existing candidate's details, with the chosen ones taken from the newer record (a phone
/// only when it has one), the newer record's notes added to theirs, and of the two talent-pool
/// consents the one that runs longer.
fn merged_details(
    existing: &CandidateDetails,
    duplicate: &CandidateDetails,
    take: &[MergedDetail],
) -> CandidateDetails {
    let mut details = existing.clone();
    for detail in take {
        match detail {
            MergedDetail::Name => details.name.clone_from(&duplicate.name),
            MergedDetail::Phone => {
                if duplicate.phone.is_some() {
                    details.phone.clone_from(&duplicate.phone);
                }
            }
        }
    }
    details.notes = match (&existing.notes, &duplicate.notes) {
        (Some(kept), Some(added)) => Some(format!("{kept}\n\n{added}")),
        (kept, added) => kept.clone().or_else(|| added.clone()),
    };
    details.talent_pool = match (existing.talent_pool, duplicate.talent_pool) {
        (Some(kept), Some(newer)) if newer.until > kept.until => Some(newer),
        (kept, newer) => kept.or(newer),
    };
    details
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::domain::retention::{ConsentGivenVia, TalentPoolConsent};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn candidate(id: i64, name: &str, phone: Option<&str>) -> Candidate {
        let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        Candidate {
            id,
            version: 3,
            details: CandidateDetails {
                name: name.into(),
                email: "sofie@example.dk".into(),
                phone: phone.map(Into::into),
                source: None,
                notes: None,
                link: None,
                talent_pool: None,
            },
            created_at: at,
            updated_at: at,
            erased_at: None,
            possible_duplicate_of: None,
        }
    }

    fn duplicate_of(existing: i64) -> Candidate {
        Candidate { possible_duplicate_of: Some(existing), ..candidate(9, "Sofie V. Madsen", Some("+45 20 30 40 50")) }
    }

    fn application(id: i64, profile_id: i64, stage: Stage) -> Application {
        Application {
            id,
            candidate_id: 0,
            profile_id,
            stage,
            applied_on: day("2026-11-02"),
            source: None,
            message: None,
            seen_at: None,
            language: crate::domain::profile::AdLanguage::Da,
            history: vec![],
        }
    }

    fn choice(take: Vec<MergedDetail>) -> MergeChoice {
        MergeChoice { duplicate_id: 9, duplicate_version: None, take }
    }

    #[test]
    fn applications_to_new_profiles_move_and_one_to_the_same_profile_joins_the_earlier() {
        let existing = candidate(4, "Sofie Madsen", None);
        let mine = [application(40, 1, Stage::Interviewing)];
        let theirs = [application(90, 1, Stage::Applied), application(91, 2, Stage::Applied)];
        let plan =
            plan_merge((&existing, &mine), (&duplicate_of(4), &theirs), &choice(vec![]), &HashSet::new()).unwrap();
        assert_eq!(plan.moved_applications, vec![91]);
        assert_eq!(plan.folded_applications, vec![(90, 40)]);
        assert_eq!((plan.existing_version, plan.duplicate_version), (3, 3));
        assert_eq!(plan.details, existing.details, "nothing chosen: the existing details stay");
    }

    #[test]
    fn only_the_chosen_details_are_taken_from_the_newer_record() {
        let existing = candidate(4, "Sofie Madsen", None);
        let plan =
            plan_merge((&existing, &[]), (&duplicate_of(4), &[]), &choice(vec![MergedDetail::Phone]), &HashSet::new())
                .unwrap();
        assert_eq!(plan.details.name, "Sofie Madsen");
        assert_eq!(plan.details.phone.as_deref(), Some("+45 20 30 40 50"));
    }

    #[test]
    fn of_two_consents_the_one_that_runs_longer_is_kept() {
        let given =
            |until, via| TalentPoolConsent { given_on: day("2026-11-02"), until: day(until), given_via: Some(via) };
        let form = given("2027-11-02", ConsentGivenVia::ApplicationForm);
        let mut existing = candidate(4, "Sofie Madsen", None);
        let mut newer = duplicate_of(4);
        newer.details.talent_pool = Some(form);
        let plan = |existing: &Candidate| {
            plan_merge((existing, &[]), (&newer, &[]), &choice(vec![]), &HashSet::new()).unwrap().details.talent_pool
        };
        assert_eq!(plan(&existing), Some(form), "none before: the form's");
        let longer = given("2028-01-01", ConsentGivenVia::Recruiter);
        existing.details.talent_pool = Some(longer);
        assert_eq!(plan(&existing), Some(longer));
        existing.details.talent_pool = Some(given("2026-12-01", ConsentGivenVia::Recruiter));
        assert_eq!(plan(&existing), Some(form), "one about to end gives way to the one given now");
    }

    #[test]
    fn a_phone_is_not_taken_from_a_record_without_one() {
        let existing = candidate(4, "Sofie Madsen", Some("+45 11 22 33 44"));
        let newer = Candidate { possible_duplicate_of: Some(4), ..candidate(9, "Sofie", None) };
        let plan = plan_merge((&existing, &[]), (&newer, &[]), &choice(vec![MergedDetail::Phone]), &HashSet::new());
        assert_eq!(plan.unwrap().details.phone.as_deref(), Some("+45 11 22 33 44"));
    }

    #[test]
    fn notes_of_both_records_are_kept() {
        let mut existing = candidate(4, "Sofie Madsen", None);
        existing.details.notes = Some("Met at the fair.".into());
        let mut newer = duplicate_of(4);
        newer.details.notes = Some("Called back on Monday.".into());
        let plan = plan_merge((&existing, &[]), (&newer, &[]), &choice(vec![]), &HashSet::new()).unwrap();
        assert_eq!(plan.details.notes.as_deref(), Some("Met at the fair.\n\nCalled back on Monday."));
    }

    #[test]
    fn a_record_not_marked_as_this_candidates_duplicate_is_refused() {
        let existing = candidate(4, "Sofie Madsen", None);
        let refused = |newer: &Candidate, choice: &MergeChoice| {
            plan_merge((&existing, &[]), (newer, &[]), choice, &HashSet::new()).unwrap_err()
        };
        let expected = FieldErrors::single("duplicate_id", Problem::NotAPossibleDuplicate);
        assert_eq!(refused(&duplicate_of(5), &choice(vec![])), expected, "a duplicate of someone else");
        assert_eq!(refused(&candidate(9, "Sofie", None), &choice(vec![])), expected, "not marked at all");
        let other = MergeChoice { duplicate_id: 10, duplicate_version: None, take: vec![] };
        assert_eq!(refused(&duplicate_of(4), &other), expected, "another record than the one read");
    }

    #[test]
    fn a_newer_application_to_the_same_profile_that_moved_on_is_not_folded_away() {
        let existing = candidate(4, "Sofie Madsen", None);
        let mine = [application(40, 1, Stage::Applied)];
        let overlap = FieldErrors::single("duplicate_id", Problem::ApplicationsOverlap);
        let plan = |theirs: &[Application], worked_on: &HashSet<i64>| {
            plan_merge((&existing, &mine), (&duplicate_of(4), theirs), &choice(vec![]), worked_on)
        };
        assert_eq!(plan(&[application(90, 1, Stage::Screening)], &HashSet::new()), Err(overlap.clone()));
        assert_eq!(plan(&[application(90, 1, Stage::Applied)], &HashSet::from([90])), Err(overlap.clone()));
        let mut back_again = application(90, 1, Stage::Applied);
        back_again.history =
            vec![stage_change(Stage::Applied), stage_change(Stage::Screening), stage_change(Stage::Applied)];
        assert_eq!(plan(&[back_again], &HashSet::new()), Err(overlap), "moved and moved back");
        assert!(plan(&[application(90, 1, Stage::Applied)], &HashSet::new()).is_ok());
    }

    fn stage_change(stage: Stage) -> crate::domain::candidate::StageChange {
        crate::domain::candidate::StageChange {
            stage,
            changed_by: None,
            changed_at: Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_input_names_what_is_wrong() {
        let input = MergeInput {
            duplicate_id: Some("x".into()),
            take_from_duplicate: vec!["email".into()],
            duplicate_version: Some("0".into()),
        };
        let errors = input.parse().unwrap_err();
        assert!(errors.has("duplicate_id") && errors.has("take_from_duplicate") && errors.has("duplicate_version"));
        let input = MergeInput {
            duplicate_id: Some("9".into()),
            take_from_duplicate: vec!["name".into()],
            ..MergeInput::default()
        };
        assert_eq!(input.parse(), Ok(choice(vec![MergedDetail::Name])));
    }
}
