//! How long amfit keeps a candidate who was not hired: the retention period after their last
//! application closed, or longer while they consented to stay in the talent pool. After that
//! their personal data is anonymised (scores stay, for statistics).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Months, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::candidate::{Application, Candidate, Stage};

/// The retention period when none is configured; what many Danish employers keep.
pub const DEFAULT_RETENTION_MONTHS: u32 = 6;
/// The longest retention period accepted: the Danish Data Protection Agency accepts keeping
/// applications up to 3 years after the recruitment ended.
pub const MAX_RETENTION_MONTHS: u32 = 36;
/// The longest a talent-pool consent may run, counted from the day it was given.
pub const MAX_CONSENT_MONTHS: u32 = 36;

/// The number of months a closed recruitment is kept, 1 to [`MAX_RETENTION_MONTHS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    months: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self { months: DEFAULT_RETENTION_MONTHS }
    }
}

/// A retention period that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the retention period must be a whole number of months from 1 to {MAX_RETENTION_MONTHS} (the Danish Data \
     Protection Agency accepts up to 3 years); {0}"
)]
pub struct InvalidRetention(String);

impl RetentionPolicy {
    pub fn months(months: u32) -> Result<Self, InvalidRetention> {
        match months {
            0 => Err(InvalidRetention("0 would anonymise candidates the moment they are rejected".to_owned())),
            1..=MAX_RETENTION_MONTHS => Ok(Self { months }),
            _ => Err(InvalidRetention(format!("{months} is longer than that"))),
        }
    }

    pub fn length_in_months(self) -> u32 {
        self.months
    }

    /// Whether, and until when, the candidate `record` describes is kept at `now`.
    pub fn verdict(self, record: &RetentionRecord, now: DateTime<Utc>) -> Retention {
        if record.applications.iter().any(|a| a.stage == Stage::Hired) {
            return Retention::Hired;
        }
        if record.applications.iter().any(|a| a.stage != Stage::Rejected) {
            return Retention::InProgress;
        }
        let closed = record.applications.iter().map(|a| a.since).max().unwrap_or(record.created_at);
        let period_end = closed.checked_add_months(Months::new(self.months)).unwrap_or(DateTime::<Utc>::MAX_UTC);
        let pool_end = record.talent_pool.map(|consent| consent.ends_at());
        let (until, reason) = match pool_end {
            Some(pool_end) if pool_end > period_end => (pool_end, KeptBecause::TalentPool),
            _ => (period_end, KeptBecause::RetentionPeriod),
        };
        if now >= until { Retention::Due } else { Retention::KeptUntil { until, reason } }
    }
}

impl fmt::Display for RetentionPolicy {
    /// The number of months, as [`FromStr`] reads it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.months)
    }
}

impl FromStr for RetentionPolicy {
    type Err = InvalidRetention;

    /// Months as typed on the command line or in the environment.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        match text.parse::<i64>() {
            Ok(months) if months < 0 => Err(InvalidRetention(format!("{months} is negative"))),
            Ok(months) => Self::months(u32::try_from(months).unwrap_or(u32::MAX)),
            Err(_) => Err(InvalidRetention(format!("\"{text}\" is not a whole number"))),
        }
    }
}

named_choice!(
    /// How a talent-pool consent reached amfit: the basis a recruiter may be asked to show.
    ConsentGivenVia, "consent-via" {
        /// The candidate ticked the box on a job page's application form.
        ApplicationForm,
        /// A recruiter recorded a consent the candidate gave them.
        Recruiter,
    }
);

/// A candidate's consent to stay in the talent pool, from one day to another (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TalentPoolConsent {
    pub given_on: NaiveDate,
    pub until: NaiveDate,
    /// How it was given; `null` for a consent recorded before amfit kept that.
    pub given_via: Option<ConsentGivenVia>,
}

impl TalentPoolConsent {
    /// This consent as a recruiter's edit keeps it: when its days are those of the consent
    /// recorded before, it is that consent, given as that one was; otherwise the recruiter's.
    pub fn as_edited_from(self, before: Option<TalentPoolConsent>) -> Self {
        match before {
            Some(before) if (before.given_on, before.until) == (self.given_on, self.until) => before,
            _ => self,
        }
    }

    /// The first moment the consent no longer holds: the start of the day after `until`.
    fn ends_at(self) -> DateTime<Utc> {
        let next_day = self.until.succ_opt().unwrap_or(NaiveDate::MAX);
        next_day.and_time(NaiveTime::MIN).and_utc()
    }

    /// The latest `until` allowed for a consent given on `given_on`.
    pub fn latest_end(given_on: NaiveDate) -> NaiveDate {
        given_on.checked_add_months(Months::new(MAX_CONSENT_MONTHS)).unwrap_or(NaiveDate::MAX)
    }
}

/// What retention looks at of one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRecord {
    pub created_at: DateTime<Utc>,
    pub talent_pool: Option<TalentPoolConsent>,
    pub applications: Vec<ApplicationState>,
}

impl RetentionRecord {
    pub fn of(candidate: &Candidate, applications: &[Application]) -> Self {
        let state = |a: &Application| ApplicationState {
            stage: a.stage,
            since: a
                .history
                .iter()
                .map(|c| c.changed_at)
                .max()
                .unwrap_or_else(|| a.applied_on.and_time(NaiveTime::MIN).and_utc()),
        };
        Self {
            created_at: candidate.created_at,
            talent_pool: candidate.details.talent_pool,
            applications: applications.iter().map(state).collect(),
        }
    }
}

/// Where one application stands and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplicationState {
    pub stage: Stage,
    /// When it moved to its stage: for a closed application, when it closed.
    pub since: DateTime<Utc>,
}

/// Whether a candidate is kept, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// An application is still open: the recruitment has not ended.
    InProgress,
    /// Hired: their data is no longer an applicant's, and amfit leaves it to the employer.
    Hired,
    KeptUntil {
        until: DateTime<Utc>,
        reason: KeptBecause,
    },
    /// To be anonymised now.
    Due,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeptBecause {
    RetentionPeriod,
    TalentPool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: &str) -> DateTime<Utc> {
        format!("{day}T09:30:00Z").parse().unwrap()
    }

    fn date(day: &str) -> NaiveDate {
        day.parse().unwrap()
    }

    fn closed(stages: &[(Stage, &str)]) -> RetentionRecord {
        RetentionRecord {
            created_at: at("2025-01-02"),
            talent_pool: None,
            applications: stages.iter().map(|&(stage, day)| ApplicationState { stage, since: at(day) }).collect(),
        }
    }

    #[test]
    fn a_rejected_candidate_is_kept_for_the_period_after_the_last_application_closed() {
        let policy = RetentionPolicy::default();
        let record = closed(&[(Stage::Rejected, "2026-01-10"), (Stage::Rejected, "2026-03-15")]);
        let until = at("2026-09-15");
        let kept = Retention::KeptUntil { until, reason: KeptBecause::RetentionPeriod };
        assert_eq!(policy.verdict(&record, at("2026-09-14")), kept);
        assert_eq!(policy.verdict(&record, until), Retention::Due);
        assert_eq!(policy.verdict(&record, at("2027-01-01")), Retention::Due);
    }

    #[test]
    fn months_are_calendar_months_and_month_ends_stay_in_their_month() {
        let policy = RetentionPolicy::months(1).unwrap();
        let record = closed(&[(Stage::Rejected, "2026-01-31")]);
        let Retention::KeptUntil { until, .. } = policy.verdict(&record, at("2026-02-01")) else { panic!() };
        assert_eq!(until, at("2026-02-28"));
    }

    #[test]
    fn open_and_hired_candidates_are_kept_whatever_their_age() {
        let policy = RetentionPolicy::months(1).unwrap();
        let now = at("2030-01-01");
        for stage in [Stage::Applied, Stage::Screening, Stage::Interviewing, Stage::Offer] {
            let record = closed(&[(Stage::Rejected, "2025-01-01"), (stage, "2025-01-01")]);
            assert_eq!(policy.verdict(&record, now), Retention::InProgress, "{stage:?}");
        }
        let record = closed(&[(Stage::Rejected, "2025-01-01"), (Stage::Hired, "2025-01-01")]);
        assert_eq!(policy.verdict(&record, now), Retention::Hired);
    }

    #[test]
    fn a_candidate_without_applications_counts_from_when_they_were_added() {
        let record = closed(&[]);
        let policy = RetentionPolicy::default();
        assert!(matches!(policy.verdict(&record, at("2025-07-01")), Retention::KeptUntil { .. }));
        assert_eq!(policy.verdict(&record, at("2025-07-02")), Retention::Due);
    }

    #[test]
    fn talent_pool_consent_keeps_the_candidate_to_the_end_of_its_last_day() {
        let policy = RetentionPolicy::default();
        let mut record = closed(&[(Stage::Rejected, "2026-01-10")]);
        record.talent_pool =
            Some(TalentPoolConsent { given_on: date("2026-01-10"), until: date("2027-01-09"), given_via: None });
        let end: DateTime<Utc> = "2027-01-10T00:00:00Z".parse().unwrap();
        let kept = Retention::KeptUntil { until: end, reason: KeptBecause::TalentPool };
        assert_eq!(policy.verdict(&record, at("2026-12-01")), kept);
        assert_eq!(policy.verdict(&record, "2027-01-09T23:59:59Z".parse().unwrap()), kept);
        assert_eq!(policy.verdict(&record, end), Retention::Due);
    }

    #[test]
    fn a_consent_shorter_than_the_period_does_not_shorten_it() {
        let policy = RetentionPolicy::default();
        let mut record = closed(&[(Stage::Rejected, "2026-01-10")]);
        record.talent_pool =
            Some(TalentPoolConsent { given_on: date("2026-01-10"), until: date("2026-02-01"), given_via: None });
        let kept = Retention::KeptUntil { until: at("2026-07-10"), reason: KeptBecause::RetentionPeriod };
        assert_eq!(policy.verdict(&record, at("2026-03-01")), kept);
    }

    #[test]
    fn the_period_is_1_to_36_months_and_anything_else_says_why() {
        assert_eq!(RetentionPolicy::default().length_in_months(), 6);
        assert_eq!(RetentionPolicy::default().to_string().parse(), Ok(RetentionPolicy::default()));
        assert_eq!("36".parse::<RetentionPolicy>().unwrap().length_in_months(), 36);
        assert_eq!(" 1 ".parse::<RetentionPolicy>().unwrap().length_in_months(), 1);
        for (text, why) in [
            ("0", "the moment they are rejected"),
            ("-3", "-3 is negative"),
            ("37", "37 is longer than that"),
            ("99999999999", "is longer than that"),
            ("six", "\"six\" is not a whole number"),
            ("1.5", "not a whole number"),
            ("", "not a whole number"),
        ] {
            let error = text.parse::<RetentionPolicy>().unwrap_err().to_string();
            assert!(error.contains("from 1 to 36") && error.contains(why), "{text}: {error}");
        }
    }
}
