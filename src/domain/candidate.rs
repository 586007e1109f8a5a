//! Candidates and their applications to role profiles.
//!
//! Deliberately without birth date, age, gender, photo or nationality: Danish law forbids
//! preferring by them (forskelsbehandlingsloven, ligebehandlingsloven), and data that is not
//! kept cannot leak or bias.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::company::{DESCRIPTION_MAX, NAME_MAX};
use super::input::{FieldErrors, FieldParser, Problem, lenient_text};
use super::interview::InterviewSlot;
use super::profile::AdLanguage;
use super::retention::{ConsentGivenVia, MAX_CONSENT_MONTHS, TalentPoolConsent};
use super::search;

const PHONE_MAX: u64 = 40;
const SOURCE_MAX: u64 = 100;
pub const LINK_MAX: u64 = 2_000;

named_choice!(
    /// Where an application stands.
    Stage, "stage" { Applied, Screening, Interviewing, Offer, Hired, Rejected }
);

impl Stage {
    /// Decided: nothing more happens to an application here.
    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Hired | Stage::Rejected)
    }
}

/// What describes a candidate, valid by construction (see [`CandidateInput::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CandidateDetails {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// Where the candidate came from: a job ad, a referral, a search…
    pub source: Option<String>,
    pub notes: Option<String>,
    /// A CV or a profile page (http or https).
    pub link: Option<String>,
    /// Their consent to be kept in the talent pool, which keeps them past the retention period.
    pub talent_pool: Option<TalentPoolConsent>,
}

/// What erased text reads as, where personal data was (a name, evidence, a reason), as stored
/// and as the API gives it; pages say it in the reader's language.
pub const ERASED: &str = "[erased]";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Candidate {
    pub id: i64,
    pub version: i64,
    #[serde(flatten)]
    pub details: CandidateDetails,
    #[serde(serialize_with = "super::moment::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "super::moment::serialize")]
    pub updated_at: DateTime<Utc>,
    /// When their personal data was erased, on request or at the end of the retention period.
    #[serde(serialize_with = "super::moment::optional::serialize")]
    pub erased_at: Option<DateTime<Utc>>,
    /// The candidate whose email address this one's application on a job page gave: the same
    /// person, or someone using their address. Until a recruiter merges the two or keeps them
    /// apart, nothing sent here reaches that candidate's record.
    pub possible_duplicate_of: Option<i64>,
}

named_choice!(
    /// The order a list of candidates is paged in.
    ListOrder, "sort" {
        /// Oldest first: a candidate added while a client pages through comes on a later page.
        Added,
        /// By name, as people look someone up.
        Name,
        /// Newest first: who has just come in.
        Newest,
        /// Most recent activity first: who is being worked on, or is waiting.
        Activity,
    }
);

/// Which candidates a list shows, as a query string asks for them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CandidateFilterQuery {
    /// Words that each start a word of the name, the email address or a document's text (a CV);
    /// case and accents do not matter. At most 10 words.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<String>, max_length = 200)]
    pub q: Option<String>,
    /// Only candidates added on this day (UTC) or later.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<NaiveDate>)]
    pub created_after: Option<String>,
    /// Only candidates added on this day (UTC) or earlier.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<NaiveDate>)]
    pub created_before: Option<String>,
    /// Only candidates who applied to this role profile.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<i64>, minimum = 1)]
    pub profile_id: Option<String>,
    /// Only candidates with an application at this stage (to `profile_id`, when given).
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<Stage>)]
    pub stage: Option<String>,
    /// Only candidates from this source, exactly as recorded.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<String>, max_length = 100)]
    pub source: Option<String>,
    /// `true`: only candidates with an application no recruiter has opened yet.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<bool>)]
    pub new: Option<String>,
    /// The order: `added` (oldest first, the API's default), `name` (the pages' default),
    /// `newest` or `activity` (most recent first).
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<ListOrder>)]
    pub sort: Option<String>,
}

/// A search of at most this many words.
pub const SEARCH_WORDS_MAX: u64 = 10;

/// Which candidates a list shows, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CandidateFilter {
    /// The words of the search, folded ([`search::fold`]); empty without a search.
    pub words: Vec<String>,
    /// Added on this day or later.
    pub created_from: Option<NaiveDate>,
    /// Added on this day or earlier.
    pub created_until: Option<NaiveDate>,
    /// Only those with an application to this profile.
    pub profile_id: Option<i64>,
    /// Only those with an application at this stage.
    pub stage: Option<Stage>,
    pub source: Option<String>,
    /// Only those with an application no recruiter has opened yet.
    pub new_only: bool,
    /// `None` when the query string asks for none: each list has its own default.
    pub order: Option<ListOrder>,
}

impl CandidateFilterQuery {
    pub fn parse(&self, p: &mut FieldParser) -> CandidateFilter {
        let created_from = p.optional_date("created_after", &self.created_after);
        let created_until = p.optional_date("created_before", &self.created_before);
        if created_from.zip(created_until).is_some_and(|(from, until)| until < from) {
            p.reject("created_before", Problem::EndBeforeStart);
        }
        let source = p.optional_text(&self.source);
        if source.as_ref().is_some_and(|s| s.chars().count() > SOURCE_MAX as usize) {
            p.reject("source", Problem::TooLong { max: SOURCE_MAX });
        }
        CandidateFilter {
            words: search_words(p, &self.q),
            created_from,
            created_until,
            profile_id: p.optional_integer("profile_id", &self.profile_id, 1..=i64::MAX),
            stage: p.optional_choice("stage", &self.stage),
            source,
            new_only: p.flag("new", &self.new),
            order: p.optional_choice("sort", &self.sort),
        }
    }
}

/// The folded words of a search: something typed must hold a letter or a digit, and not be
/// longer than a name.
fn search_words(p: &mut FieldParser, q: &Option<String>) -> Vec<String> {
    let Some(q) = p.optional_text(q) else { return Vec::new() };
    if q.chars().count() > NAME_MAX as usize {
        p.reject("q", Problem::TooLong { max: NAME_MAX });
        return Vec::new();
    }
    let folded = search::fold(&q);
    let mut words: Vec<String> = search::words(&folded).map(str::to_owned).collect();
    words.dedup();
    if words.is_empty() {
        p.reject("q", Problem::NothingToSearch);
    } else if words.len() > SEARCH_WORDS_MAX as usize {
        p.reject("q", Problem::TooManyWords { max: SEARCH_WORDS_MAX });
    }
    words
}

impl CandidateFilter {
    /// Whether anything narrows the list: without, an empty list means there are no candidates.
    pub fn narrows(&self) -> bool {
        *self != CandidateFilter { order: self.order, ..CandidateFilter::default() }
    }
}

/// A candidate as a form or a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(default)]
pub struct CandidateInput {
    #[validate(length(max = NAME_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, required = true)]
    pub name: Option<String>,
    #[validate(length(max = 254))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 254, format = Email, required = true)]
    pub email: Option<String>,
    #[validate(length(max = PHONE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 40)]
    pub phone: Option<String>,
    #[validate(length(max = SOURCE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub source: Option<String>,
    #[validate(length(max = DESCRIPTION_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub notes: Option<String>,
    #[validate(length(max = LINK_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 2000, pattern = "^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/\\S*)?$")]
    pub link: Option<String>,
    /// The day the candidate consented to stay in the talent pool.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub talent_pool_given_on: Option<String>,
    /// The last day of that consent (at most 36 months after it was given).
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub talent_pool_until: Option<String>,
    /// The version the change was made from; required when updating.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub version: Option<String>,
}

impl CandidateInput {
    /// The details; a talent-pool consent needs both its days, cannot be given after `today`
    /// and runs for at most [`MAX_CONSENT_MONTHS`].
    pub fn parse(&self, today: NaiveDate) -> Result<CandidateDetails, FieldErrors> {
        let mut p = FieldParser::new(self.validate().err().map(Into::into).unwrap_or_default());
        let details = CandidateDetails {
            name: p.required_text("name", &self.name),
            email: p.required_email("email", &self.email),
            phone: p.optional_text(&self.phone),
            source: p.optional_text(&self.source),
            notes: p.optional_text(&self.notes),
            link: p.optional_text(&self.link),
            talent_pool: self.talent_pool(&mut p, today),
        };
        if details.phone.as_deref().is_some_and(|phone| !is_phone_number(phone)) {
            p.reject("phone", Problem::InvalidPhone);
        }
        if details.link.as_deref().is_some_and(|link| !is_web_address(link)) {
            p.reject("link", Problem::InvalidLink);
        }
        p.finish(details)
    }

    fn talent_pool(&self, p: &mut FieldParser, today: NaiveDate) -> Option<TalentPoolConsent> {
        let given_on = p.optional_date("talent_pool_given_on", &self.talent_pool_given_on);
        let until = p.optional_date("talent_pool_until", &self.talent_pool_until);
        match (given_on, until) {
            (None, None) => None,
            (Some(given_on), Some(until)) => {
                if given_on > today {
                    p.reject("talent_pool_given_on", Problem::DateInFuture);
                } else if until < given_on {
                    p.reject("talent_pool_until", Problem::EndBeforeStart);
                } else if until > TalentPoolConsent::latest_end(given_on) {
                    p.reject("talent_pool_until", Problem::ConsentTooLong { max_months: MAX_CONSENT_MONTHS.into() });
                }
                Some(TalentPoolConsent { given_on, until, given_via: Some(ConsentGivenVia::Recruiter) })
            }
            (None, Some(_)) if p.all_valid(&["talent_pool_until"]) => {
                p.reject("talent_pool_given_on", Problem::ConsentIncomplete);
                None
            }
            (Some(_), None) if p.all_valid(&["talent_pool_given_on"]) => {
                p.reject("talent_pool_until", Problem::ConsentIncomplete);
                None
            }
            _ => None,
        }
    }
}

impl From<&CandidateDetails> for CandidateInput {
    fn from(d: &CandidateDetails) -> Self {
        Self {
            name: Some(d.name.clone()),
            email: Some(d.email.clone()),
            phone: d.phone.clone(),
            source: d.source.clone(),
            notes: d.notes.clone(),
            link: d.link.clone(),
            talent_pool_given_on: d.talent_pool.map(|c| c.given_on.to_string()),
            talent_pool_until: d.talent_pool.map(|c| c.until.to_string()),
            version: None,
        }
    }
}

/// Digits with the usual separators (`+45 86 12 34 56`, `(030) 1234-567`), six digits at least.
fn is_phone_number(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 6 && text.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

/// An http or https address with a host.
pub fn is_web_address(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
}

/// A candidate's application to one role profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Application {
    pub id: i64,
    pub candidate_id: i64,
    pub profile_id: i64,
    pub stage: Stage,
    pub applied_on: NaiveDate,
    /// Where it came from: the job board or link a candidate applying on a job page came by.
    pub source: Option<String>,
    /// What the candidate wrote with it, when they applied by themselves.
    pub message: Option<String>,
    /// When a recruiter first opened it; `None` while it is new. Those a recruiter entered
    /// were seen as they were made.
    pub seen_at: Option<DateTime<Utc>>,
    /// The language the candidate is written to in: that of the ad they applied through, else
    /// the profile's ad language.
    pub language: AdLanguage,
    /// Every stage the application has been in, oldest first.
    pub history: Vec<StageChange>,
}

impl Application {
    /// The application's version: how many stage changes it has had. Its ETag, and what an
    /// `If-Match` on a stage change names.
    pub fn version(&self) -> i64 {
        self.history.len() as i64
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StageChange {
    pub stage: Stage,
    /// The name of who changed it; `None` once that user is gone.
    pub changed_by: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// A new application or a stage change, as a form or a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ApplicationInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = i64, minimum = 1, required = true)]
    pub profile_id: Option<String>,
    /// Defaults to today.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub applied_on: Option<String>,
}

impl ApplicationInput {
    /// The profile and the date; a date in the future is refused.
    pub fn parse(&self, today: NaiveDate) -> Result<(i64, NaiveDate), FieldErrors> {
        let mut p = FieldParser::default();
        let profile_id = p.required_integer("profile_id", &self.profile_id, 1..=i64::MAX);
        let applied_on = p.optional_date("applied_on", &self.applied_on).unwrap_or(today);
        if applied_on > today {
            p.reject("applied_on", Problem::DateInFuture);
        }
        p.finish((profile_id, applied_on))
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct StageInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Stage, required = true)]
    pub stage: Option<String>,
}

impl StageInput {
    pub fn parse(&self) -> Result<Stage, FieldErrors> {
        let mut p = FieldParser::default();
        let stage = p.choice("stage", &self.stage);
        p.finish(stage)
    }
}

/// The most applications one request moves.
pub const MOVES_MAX: usize = 200;

/// An application to move: its id, and the version it was seen at when that is known.
pub type SeenApplication = (i64, Option<i64>);

/// Applications of one profile to move to one stage, as a JSON body sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct StageMovesInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Stage, required = true)]
    pub stage: Option<String>,
    /// At least one and at most 200, each once.
    #[schema(max_items = 200)]
    pub applications: Vec<ApplicationVersionInput>,
}

/// An application to move, and the version it was read at: the move is refused (409) when it
/// has moved since. Without a version it moves from wherever it is.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ApplicationVersionInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = i64, minimum = 1, required = true)]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub version: Option<String>,
}

impl StageMovesInput {
    /// The stage, and each application (id, the version it was read at) once.
    pub fn parse(&self) -> Result<(Stage, Vec<SeenApplication>), FieldErrors> {
        let mut p = FieldParser::default();
        let stage = p.choice("stage", &self.stage);
        if self.applications.is_empty() {
            p.reject("applications", Problem::Required);
        } else if self.applications.len() > MOVES_MAX {
            p.reject("applications", Problem::TooManyItems { max: MOVES_MAX as u64 });
        }
        let mut moves: Vec<SeenApplication> = Vec::new();
        for (at, application) in self.applications.iter().enumerate().take(MOVES_MAX) {
            let id = p.required_integer(&format!("applications[{at}].id"), &application.id, 1..=i64::MAX);
            let version =
                p.optional_integer(&format!("applications[{at}].version"), &application.version, 1..=i64::MAX);
            if !moves.iter().any(|(seen, _)| *seen == id) {
                moves.push((id, version));
            }
        }
        p.finish((stage, moves))
    }
}

/// One interviewer's part of an application's interview plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Assignment {
    pub id: i64,
    pub application_id: i64,
    pub interviewer_id: i64,
    pub interviewer_name: String,
    /// The competency ids this interviewer rates.
    pub competencies: Vec<String>,
    pub assigned_at: DateTime<Utc>,
    /// When and where they meet the candidate, once that is set.
    pub slot: Option<InterviewSlot>,
}

/// An assignment as a form or a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AssignmentInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = i64, minimum = 1, required = true)]
    pub interviewer_id: Option<String>,
    /// Competency ids of the rubric; at least one.
    pub competencies: Vec<String>,
}

impl AssignmentInput {
    /// The interviewer and the competencies, each of which must be one of `known`.
    pub fn parse(&self, known: &[&str]) -> Result<(i64, Vec<String>), FieldErrors> {
        let mut p = FieldParser::default();
        let interviewer = p.required_integer("interviewer_id", &self.interviewer_id, 1..=i64::MAX);
        let mut competencies: Vec<String> =
            self.competencies.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        competencies.sort();
        competencies.dedup();
        if competencies.is_empty() {
            p.reject("competencies", Problem::Required);
        } else if competencies.iter().any(|c| !known.contains(&c.as_str())) {
            p.reject("competencies", Problem::UnknownChoice { allowed: known.iter().map(|k| k.to_string()).collect() });
        }
        p.finish((interviewer, competencies))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CandidateInput {
        CandidateInput {
            name: Some("Sofie Nielsen".into()),
            email: Some(" Sofie@Example.DK ".into()),
            phone: Some("+45 20 30 40 50".into()),
            source: Some("Job ad".into()),
            notes: None,
            link: Some("https://www.linkedin.com/in/sofie".into()),
            ..CandidateInput::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn a_candidate_parses_and_names_bad_fields() {
        let details = input().parse(today()).unwrap();
        assert_eq!(details.email, "sofie@example.dk");
        let mut bad = input();
        bad.phone = Some("call me".into());
        bad.link = Some("javascript:alert(1)".into());
        bad.email = Some("nope".into());
        bad.name = Some(" ".into());
        let errors = bad.parse(today()).unwrap_err();
        assert_eq!(errors.get("phone"), Some(&Problem::InvalidPhone));
        assert_eq!(errors.get("link"), Some(&Problem::InvalidLink));
        assert_eq!(errors.get("email"), Some(&Problem::InvalidEmail));
        assert_eq!(errors.get("name"), Some(&Problem::Required));
    }

    #[test]
    fn a_talent_pool_consent_has_both_days_in_order_and_runs_36_months_at_most() {
        let consent = |given: &str, until: &str| {
            let mut input = input();
            input.talent_pool_given_on = Some(given.into());
            input.talent_pool_until = Some(until.into());
            input.parse(today())
        };
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let kept = consent("2026-11-01", "2029-11-01").unwrap().talent_pool;
        let given_via = Some(ConsentGivenVia::Recruiter);
        assert_eq!(kept, Some(TalentPoolConsent { given_on: day("2026-11-01"), until: day("2029-11-01"), given_via }));
        assert_eq!(consent("", " ").unwrap().talent_pool, None);
        let refused = |given: &str, until: &str, field: &str, problem: Problem| {
            let errors = consent(given, until).unwrap_err();
            assert_eq!(errors.get(field), Some(&problem), "{given}..{until}");
            assert_eq!(errors.iter().count(), 1, "{given}..{until}");
        };
        refused("2026-11-27", "2027-01-01", "talent_pool_given_on", Problem::DateInFuture);
        refused("2026-11-01", "2026-10-31", "talent_pool_until", Problem::EndBeforeStart);
        refused("2026-11-01", "2029-11-02", "talent_pool_until", Problem::ConsentTooLong { max_months: 36 });
        refused("2026-11-01", "", "talent_pool_until", Problem::ConsentIncomplete);
        refused("", "2027-01-01", "talent_pool_given_on", Problem::ConsentIncomplete);
        refused("1 Nov", "2027-01-01", "talent_pool_given_on", Problem::InvalidDate);
        refused("2026-11-01", "2027-02-30", "talent_pool_until", Problem::InvalidDate);
    }

    #[test]
    fn an_assignment_needs_an_interviewer_and_known_competencies() {
        let known = ["communication", "diligence"];
        let input = |id: &str, competencies: &[&str]| AssignmentInput {
            interviewer_id: Some(id.into()),
            competencies: competencies.iter().map(|c| c.to_string()).collect(),
        };
        assert_eq!(
            input("4", &["diligence", "communication", "diligence"]).parse(&known),
            Ok((4, vec!["communication".into(), "diligence".into()]))
        );
        assert!(input("4", &[]).parse(&known).unwrap_err().has("competencies"));
        assert!(input("4", &["golf"]).parse(&known).unwrap_err().has("competencies"));
        assert!(input("", &["diligence"]).parse(&known).unwrap_err().has("interviewer_id"));
    }

    #[test]
    fn applications_default_to_today_and_refuse_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let input = |id: &str, date: Option<&str>| ApplicationInput {
            profile_id: Some(id.into()),
            applied_on: date.map(Into::into),
        };
        assert_eq!(input("3", None).parse(today), Ok((3, today)));
        assert!(input("3", Some("2026-11-27")).parse(today).unwrap_err().has("applied_on"));
        assert!(input("x", None).parse(today).unwrap_err().has("profile_id"));
    }
}
