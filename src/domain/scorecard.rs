//! Scorecards: an interviewer's independent ratings of the competencies assigned to them,
//! each with the evidence behind it, and an overall recommendation.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::input::{FieldErrors, FieldParser, Problem};
use super::scoring::Rating;

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
    /// A correction made when its interviewer could already read colleagues' scorecards for
    /// the application (see [`mark_corrections_after_seeing_others`]): it may echo them.
    pub corrected_after_seeing_others: bool,
}

impl Scorecard {
    pub fn is_submitted(&self) -> bool {
        self.submitted_at.is_some()
    }

    /// Whether it scores at least one competency (rather than "not assessed" throughout).
    pub fn rates_anything(&self) -> bool {
        self.ratings.iter().any(|r| r.score.is_some())
    }
}

/// Whether an interviewer's own versions open colleagues' scorecards to them: one of them is
/// submitted and scores something. A card of "not assessed" only opens nothing, or anyone
/// could read the others first and then rate by correcting it.
pub fn opens_others<'a>(own: impl IntoIterator<Item = &'a Scorecard>) -> bool {
    own.into_iter().any(|card| card.is_submitted() && card.rates_anything())
}

/// Sets [`Scorecard::corrected_after_seeing_others`] on each version of `cards`, which must
/// hold every version of every scorecard of the applications they are about. A version is so
/// marked when it corrects an earlier version of the same interviewer that had opened the
/// others to them ([`opens_others`]), and a colleague had submitted for the same application
/// before this version was submitted (or, while it is a draft, last saved).
pub fn mark_corrections_after_seeing_others(cards: &mut [Scorecard]) {
    let mut by_application: HashMap<i64, Vec<usize>> = HashMap::new();
    for (index, card) in cards.iter().enumerate() {
        by_application.entry(card.application_id).or_default().push(index);
    }
    let mut marked = Vec::new();
    for indices in by_application.values() {
        let same = || indices.iter().map(|&i| &cards[i]);
        for &index in indices {
            let card = &cards[index];
            if card.number < 2 {
                continue;
            }
            let opened =
                opens_others(same().filter(|c| c.assignment_id == card.assignment_id && c.number < card.number));
            let at = card.submitted_at.unwrap_or(card.updated_at);
            let colleague_before = same().any(|c| {
                c.assignment_id != card.assignment_id && c.submitted_at.is_some_and(|submitted| submitted <= at)
            });
            if opened && colleague_before {
                marked.push(index);
            }
        }
    }
    for index in marked {
        cards[index].corrected_after_seeing_others = true;
    }
}

named_choice!(
    /// Where an interviewer's scorecard for one interview stands.
    ScorecardStatus, "scorecard-status" { ToDo, Draft, Submitted }
);

/// Where the scorecard of assignment `assignment_id` stands, by its newest version among `cards`.
pub fn status_of(cards: &[Scorecard], assignment_id: i64) -> ScorecardStatus {
    match cards.iter().filter(|c| c.assignment_id == assignment_id).max_by_key(|c| c.number) {
        None => ScorecardStatus::ToDo,
        Some(card) if card.is_submitted() => ScorecardStatus::Submitted,
        Some(_) => ScorecardStatus::Draft,
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

/// The ratings the fit counts: those of each interviewer's latest submitted scorecard.
pub fn counted_ratings<'a>(cards: impl IntoIterator<Item = &'a Scorecard>) -> Vec<Rating<'a>> {
    cards
        .into_iter()
        .flat_map(|card| &card.ratings)
        .filter_map(|r| r.score.map(|score| Rating { competency: &r.competency, score }))
        .collect()
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
/// application only once their own have opened them ([`opens_others`]); recruiters and the
/// profile's hiring manager see them all.
pub fn may_see_others<'a>(sees_all: bool, own: impl IntoIterator<Item = &'a Scorecard>) -> bool {
    sees_all || opens_others(own)
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

    fn card(assignment_id: i64, number: i64, score: Option<u8>, submitted_minute: Option<i64>) -> Scorecard {
        let at = |minute: i64| chrono::DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).unwrap();
        Scorecard {
            id: assignment_id * 10 + number,
            assignment_id,
            application_id: 7,
            interviewer_id: assignment_id,
            interviewer_name: format!("Interviewer {assignment_id}"),
            number,
            ratings: vec![CompetencyRating { competency: "communication".into(), score, evidence: String::new() }],
            recommendation: None,
            rubric_version: "v".into(),
            submitted_at: submitted_minute.map(at),
            updated_at: at(submitted_minute.unwrap_or(100)),
            corrected_after_seeing_others: false,
        }
    }

    #[test]
    fn others_are_hidden_until_ones_own_submitted_card_rates_something() {
        let (draft, empty, rated) =
            (card(1, 1, Some(4), None), card(1, 1, None, Some(1)), card(1, 1, Some(4), Some(1)));
        assert!(!may_see_others(false, [&draft]));
        assert!(!may_see_others(false, [&empty]), "a card of 'not assessed' only opens nothing");
        assert!(may_see_others(false, [&rated]));
        assert!(may_see_others(true, []));
    }

    #[test]
    fn a_correction_is_marked_when_colleagues_cards_were_open_to_its_interviewer() {
        // Interviewer 1 submits a rated card at minute 1, a colleague at minute 2; 1 corrects at 3.
        let mut cards = vec![card(1, 1, Some(2), Some(1)), card(2, 1, Some(5), Some(2)), card(1, 2, Some(5), Some(3))];
        mark_corrections_after_seeing_others(&mut cards);
        let marks: Vec<bool> = cards.iter().map(|c| c.corrected_after_seeing_others).collect();
        assert_eq!(marks, [false, false, true]);

        // Corrected before any colleague had submitted: nothing to have seen.
        let mut cards = vec![card(1, 1, Some(2), Some(1)), card(1, 2, Some(3), Some(2)), card(2, 1, Some(5), Some(4))];
        mark_corrections_after_seeing_others(&mut cards);
        assert!(cards.iter().all(|c| !c.corrected_after_seeing_others));

        // A first card of "not assessed" opened nothing, so the correction saw nothing either.
        let mut cards = vec![card(1, 1, None, Some(1)), card(2, 1, Some(5), Some(2)), card(1, 2, Some(5), Some(3))];
        mark_corrections_after_seeing_others(&mut cards);
        assert!(cards.iter().all(|c| !c.corrected_after_seeing_others));
    }
}
