//! Scorecards: an interviewer's independent ratings of the competencies assigned to them,
//! each with the evidence behind it, and an overall recommendation.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::input::{FieldErrors, FieldParser, Problem};

/// Evidence must say what was seen or heard: a sentence, not a word.
pub const EVIDENCE_MIN_WORDS: usize = 4;
pub const EVIDENCE_MAX: usize = 5_000;

named_choice!(
    /// The interviewer's overall recommendation.
    Recommendation, "recommendation" { StrongNo, No, Yes, StrongYes }
);

/// One competency's rating: a score on the anchored scale, or "not assessed".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CompetencyRating {
    pub competency: String,
    /// 1–5; `None`: not assessed.
    pub score: Option<u8>,
    pub evidence: String,
}

/// What a scorecard form or body sends for one competency.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RatingInput {
    pub competency: String,
    /// "1" to "5", or "not_assessed".
    #[serde(deserialize_with = "super::input::lenient_text")]
    #[schema(value_type = String, example = "4")]
    pub score: Option<String>,
    #[serde(deserialize_with = "super::input::lenient_text")]
    #[schema(value_type = String)]
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ScorecardInput {
    pub ratings: Vec<RatingInput>,
    #[serde(deserialize_with = "super::input::lenient_text")]
    #[schema(value_type = Option<Recommendation>)]
    pub recommendation: Option<String>,
}

/// A scorecard's content, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScorecardContent {
    pub ratings: Vec<CompetencyRating>,
    pub recommendation: Option<Recommendation>,
}

/// How complete the content must be: a draft may be partial, a submission may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    Draft,
    Submission,
}

const NOT_ASSESSED: &str = "not_assessed";

impl ScorecardInput {
    /// Checks the ratings against the competencies `assigned` to this interviewer. Field names
    /// in errors are `ratings.<competency>.score` / `.evidence`, and `recommendation`.
    pub fn parse(&self, assigned: &[String], completeness: Completeness) -> Result<ScorecardContent, FieldErrors> {
        let mut p = FieldParser::default();
        let submitting = completeness == Completeness::Submission;
        for rating in &self.ratings {
            if !assigned.contains(&rating.competency) {
                p.reject(&format!("ratings.{}", rating.competency), Problem::NotAssigned);
            }
        }
        let ratings = assigned
            .iter()
            .map(|competency| {
                let given = self.ratings.iter().find(|r| &r.competency == competency);
                parse_rating(&mut p, competency, given, submitting)
            })
            .collect();
        let recommendation = match self.recommendation.as_deref().map(str::trim) {
            None | Some("") if !submitting => None,
            _ => Some(p.choice::<Recommendation>("recommendation", &self.recommendation)),
        };
        p.finish(ScorecardContent { ratings, recommendation })
    }
}

fn parse_rating(
    p: &mut FieldParser,
    competency: &str,
    given: Option<&RatingInput>,
    submitting: bool,
) -> CompetencyRating {
    let score_field = format!("ratings.{competency}.score");
    let evidence_field = format!("ratings.{competency}.evidence");
    let raw_score = given.and_then(|g| g.score.as_deref()).map(str::trim).filter(|s| !s.is_empty());
    let evidence = given.and_then(|g| g.evidence.as_deref()).unwrap_or_default().trim().to_owned();
    let score = match raw_score {
        None => {
            if submitting {
                p.reject(&score_field, Problem::Required);
            }
            None
        }
        Some(NOT_ASSESSED) => None,
        Some(text) => p.optional_integer::<u8>(&score_field, &Some(text.to_owned()), 1..=5),
    };
    let rated = score.is_some();
    if evidence.chars().count() > EVIDENCE_MAX {
        p.reject(&evidence_field, Problem::TooLong { max: EVIDENCE_MAX as u64 });
    } else if submitting && rated && evidence.split_whitespace().count() < EVIDENCE_MIN_WORDS {
        p.reject(&evidence_field, Problem::EvidenceTooShort);
    }
    CompetencyRating { competency: competency.to_owned(), score, evidence }
}

/// A stored scorecard, one version of one interviewer's ratings for one assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Scorecard {
    pub id: i64,
    pub assignment_id: i64,
    pub application_id: i64,
    pub interviewer_id: i64,
    pub interviewer_name: String,
    /// 1 for the first; each correction of a submitted scorecard adds one.
    pub number: i64,
    #[schema(value_type = Vec<CompetencyRating>)]
    pub ratings: Vec<CompetencyRating>,
    pub recommendation: Option<Recommendation>,
    /// The rubric version (content hash) the scorecard was made against.
    pub rubric_version: String,
    /// `None` while it is a draft.
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Scorecard {
    pub fn is_submitted(&self) -> bool {
        self.submitted_at.is_some()
    }
}

/// The latest submitted version of each interviewer's scorecard: what the fit counts.
pub fn counted(scorecards: &[Scorecard]) -> Vec<&Scorecard> {
    let mut latest: Vec<&Scorecard> = Vec::new();
    for card in scorecards.iter().filter(|c| c.is_submitted()) {
        match latest.iter_mut().find(|l| l.assignment_id == card.assignment_id) {
            Some(current) if current.number < card.number => *current = card,
            Some(_) => {}
            None => latest.push(card),
        }
    }
    latest
}

/// How many counted scorecards recommend what.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecommendationTally {
    pub strong_no: usize,
    pub no: usize,
    pub yes: usize,
    pub strong_yes: usize,
}

impl RecommendationTally {
    pub fn of<'a>(cards: impl IntoIterator<Item = &'a Scorecard>) -> Self {
        let mut tally = Self::default();
        for recommendation in cards.into_iter().filter_map(|c| c.recommendation) {
            *tally.count_mut(recommendation) += 1;
        }
        tally
    }

    pub fn count(&self, recommendation: Recommendation) -> usize {
        match recommendation {
            Recommendation::StrongNo => self.strong_no,
            Recommendation::No => self.no,
            Recommendation::Yes => self.yes,
            Recommendation::StrongYes => self.strong_yes,
        }
    }

    fn count_mut(&mut self, recommendation: Recommendation) -> &mut usize {
        match recommendation {
            Recommendation::StrongNo => &mut self.strong_no,
            Recommendation::No => &mut self.no,
            Recommendation::Yes => &mut self.yes,
            Recommendation::StrongYes => &mut self.strong_yes,
        }
    }
}

/// The independence rule: an interviewer sees other interviewers' scorecards for an
/// application only after submitting their own; recruiters and the profile's hiring manager
/// see them all.
pub fn may_see_others(sees_all: bool, own_submitted: bool) -> bool {
    sees_all || own_submitted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assigned() -> Vec<String> {
        vec!["communication".into(), "diligence".into()]
    }

    fn rating(competency: &str, score: &str, evidence: &str) -> RatingInput {
        RatingInput { competency: competency.into(), score: Some(score.into()), evidence: Some(evidence.into()) }
    }

    fn complete() -> ScorecardInput {
        ScorecardInput {
            ratings: vec![
                rating("communication", "4", "Explained the invoice problem clearly and confirmed in writing."),
                rating("diligence", "not_assessed", ""),
            ],
            recommendation: Some("yes".into()),
        }
    }

    #[test]
    fn a_complete_scorecard_parses() {
        let content = complete().parse(&assigned(), Completeness::Submission).unwrap();
        assert_eq!(content.ratings[0].score, Some(4));
        assert_eq!(content.ratings[1].score, None, "not assessed");
        assert_eq!(content.recommendation, Some(Recommendation::Yes));
    }

    #[test]
    fn a_submission_needs_every_rating_evidence_and_a_recommendation() {
        let mut input = complete();
        input.ratings[0].evidence = Some("Good.".into());
        input.ratings.pop();
        input.recommendation = None;
        let errors = input.parse(&assigned(), Completeness::Submission).unwrap_err();
        assert_eq!(errors.get("ratings.communication.evidence"), Some(&Problem::EvidenceTooShort));
        assert_eq!(errors.get("ratings.diligence.score"), Some(&Problem::Required));
        assert_eq!(errors.get("recommendation"), Some(&Problem::Required));
        assert!(input.parse(&assigned(), Completeness::Draft).is_ok(), "a draft may be partial");
    }

    #[test]
    fn ratings_are_whole_numbers_from_1_to_5_on_assigned_competencies() {
        for bad in ["0", "6", "3.5", "good", "-1"] {
            let mut input = complete();
            input.ratings[0].score = Some(bad.into());
            let errors = input.parse(&assigned(), Completeness::Draft).unwrap_err();
            assert!(errors.has("ratings.communication.score"), "{bad}");
        }
        let mut input = complete();
        input.ratings.push(rating("presentation", "5", "Presented our quarterly review with confidence."));
        assert_eq!(
            input.parse(&assigned(), Completeness::Draft).unwrap_err().get("ratings.presentation"),
            Some(&Problem::NotAssigned)
        );
        input.ratings.pop();
        input.recommendation = Some("maybe".into());
        assert!(input.parse(&assigned(), Completeness::Draft).unwrap_err().has("recommendation"));
    }

    #[test]
    fn others_are_hidden_until_one_has_submitted() {
        assert!(!may_see_others(false, false));
        assert!(may_see_others(false, true));
        assert!(may_see_others(true, false));
    }
}
