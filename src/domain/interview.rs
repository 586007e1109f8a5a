//! Interviews as they are planned: a role profile's default panel, given to each of its new
//! applications, and when and where an interviewer meets a candidate.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::candidate::{LINK_MAX, is_web_address};
use super::input::{FieldErrors, FieldParser, Problem, lenient_text, lenient_texts};

/// How long an interview lasts when nobody says: an hour.
pub const DURATION_DEFAULT_MINUTES: u16 = 60;
pub const DURATION_MIN_MINUTES: i64 = 15;
/// A working day: no single interview runs longer.
pub const DURATION_MAX_MINUTES: i64 = 480;
pub const PLACE_MAX: u64 = 200;

/// One member of a role profile's default interview panel, and what they rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PanelMember {
    pub profile_id: i64,
    pub interviewer_id: i64,
    pub interviewer_name: String,
    /// Whether they can still interview: new applications skip a deactivated member.
    pub active: bool,
    /// The competency ids of the rubric they rate.
    pub competencies: Vec<String>,
}

/// When and where an interviewer meets a candidate. The time is the wall-clock time where
/// the interview is held: everybody meets there, whatever the server's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InterviewSlot {
    #[schema(value_type = String, example = "2026-12-03T10:00:00")]
    pub starts_at: NaiveDateTime,
    pub duration_minutes: u16,
    /// A room or an address.
    pub place: Option<String>,
    /// A video meeting's address.
    pub video_link: Option<String>,
}

/// The days after an interview on whose mornings its interviewer is reminded of a scorecard
/// still not submitted: the next day, then twice more, and then no more (the start pages of
/// recruiters keep listing it).
pub const OVERDUE_REMINDER_DAYS: [i64; 3] = [1, 3, 7];

/// What an interviewer is reminded of in the morning, of an interview whose scorecard they
/// have not submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// The interview is tomorrow.
    Tomorrow,
    /// The interview was held, and its scorecard is late.
    ScorecardOverdue,
}

impl InterviewSlot {
    pub fn ends_at(&self) -> NaiveDateTime {
        self.starts_at + TimeDelta::minutes(self.duration_minutes.into())
    }

    /// The reminder due on the morning of `today` for this interview, if any.
    pub fn reminder_on(&self, today: NaiveDate) -> Option<Reminder> {
        match (today - self.starts_at.date()).num_days() {
            -1 => Some(Reminder::Tomorrow),
            days if OVERDUE_REMINDER_DAYS.contains(&days) => Some(Reminder::ScorecardOverdue),
            _ => None,
        }
    }

    /// Where to go: the place and the video link, whichever it has, as one line.
    pub fn whereabouts(&self) -> String {
        let both = [self.place.as_deref(), self.video_link.as_deref()];
        both.into_iter().flatten().collect::<Vec<_>>().join(" · ")
    }
}

/// A time for an application's interviews, as a form or a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(default)]
pub struct ScheduleInput {
    /// The local date and time where the interview is held, as `<input type="datetime-local">`
    /// sends it: "2026-12-03T10:00". Not before today.
    #[validate(length(max = 32))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, example = "2026-12-03T10:00", required = true, max_length = 32)]
    pub starts_at: Option<String>,
    /// Minutes, 15 to 480; an hour when left out.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<i64>, minimum = 15, maximum = 480)]
    pub duration_minutes: Option<String>,
    #[validate(length(max = PLACE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub place: Option<String>,
    #[validate(length(max = LINK_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 2000, pattern = "^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/\\S*)?$")]
    pub video_link: Option<String>,
    /// Which of the application's interviewers meet at this time; every one of them when empty.
    #[serde(deserialize_with = "lenient_texts")]
    #[schema(value_type = Vec<i64>)]
    pub interviewer_ids: Vec<String>,
}

/// A parsed [`ScheduleInput`]: the time, and whose interviews it is for (empty: everyone's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub slot: InterviewSlot,
    pub interviewer_ids: Vec<i64>,
}

impl ScheduleInput {
    /// The slot; a new time may not lie before `today` (an hour earlier today is allowed: the
    /// interview may be written down after it began).
    pub fn parse(&self, today: NaiveDate) -> Result<Schedule, FieldErrors> {
        let mut p = FieldParser::new(self.validate().err().map(Into::into).unwrap_or_default());
        let starts_at = local_date_time(&mut p, "starts_at", &self.starts_at);
        if starts_at.is_some_and(|at| at.date() < today) {
            p.reject("starts_at", Problem::DateInPast);
        }
        let duration_minutes = p
            .optional_integer("duration_minutes", &self.duration_minutes, DURATION_MIN_MINUTES..=DURATION_MAX_MINUTES)
            .unwrap_or(DURATION_DEFAULT_MINUTES);
        let video_link = p.optional_text(&self.video_link);
        if video_link.as_deref().is_some_and(|link| !is_web_address(link)) {
            p.reject("video_link", Problem::InvalidLink);
        }
        let mut interviewer_ids = Vec::new();
        for id in self.interviewer_ids.iter().filter(|id| !id.trim().is_empty()) {
            interviewer_ids.extend(p.optional_integer::<i64>("interviewer_ids", &Some(id.clone()), 1..=i64::MAX));
        }
        interviewer_ids.sort_unstable();
        interviewer_ids.dedup();
        let slot = InterviewSlot {
            starts_at: starts_at.unwrap_or_default(),
            duration_minutes,
            place: p.optional_text(&self.place),
            video_link,
        };
        p.finish(Schedule { slot, interviewer_ids })
    }
}

/// "2026-12-03T10:00", with or without seconds (browsers send them when a step asks).
fn local_date_time(p: &mut FieldParser, field: &str, value: &Option<String>) -> Option<NaiveDateTime> {
    let Some(text) = p.optional_text(value) else {
        p.reject(field, Problem::Required);
        return None;
    };
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&text, format).ok())
        .or_else(|| {
            p.reject(field, Problem::InvalidDateTime);
            None
        })
}

/// The panel's competencies that `known` (the rubric's) still holds, and whether any went.
pub fn still_known(competencies: &[String], known: &[&str]) -> (Vec<String>, bool) {
    let kept: Vec<String> = competencies.iter().filter(|c| known.contains(&c.as_str())).cloned().collect();
    let pruned = kept.len() != competencies.len();
    (kept, pruned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interviewer_is_reminded_the_day_before_and_three_times_of_a_late_scorecard() {
        let slot = |day: u32| InterviewSlot {
            starts_at: NaiveDate::from_ymd_opt(2026, 12, day).unwrap().and_hms_opt(10, 0, 0).unwrap(),
            duration_minutes: 60,
            place: None,
            video_link: None,
        };
        let morning = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let reminders: Vec<_> = (1..=12).map(|day| (day, slot(day).reminder_on(morning))).collect();
        let due: Vec<_> = reminders.iter().filter_map(|(day, reminder)| reminder.map(|r| (*day, r))).collect();
        assert_eq!(
            due,
            vec![
                (3, Reminder::ScorecardOverdue),
                (7, Reminder::ScorecardOverdue),
                (9, Reminder::ScorecardOverdue),
                (11, Reminder::Tomorrow),
            ],
            "a week, three days and a day after; the day before; nothing on the day itself"
        );
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    fn input(starts_at: &str) -> ScheduleInput {
        ScheduleInput { starts_at: Some(starts_at.into()), ..ScheduleInput::default() }
    }

    #[test]
    fn a_time_parses_with_an_hour_by_default() {
        let schedule = input("2026-12-03T10:00").parse(today()).unwrap();
        assert_eq!(schedule.slot.starts_at.to_string(), "2026-12-03 10:00:00");
        assert_eq!(schedule.slot.duration_minutes, 60);
        assert_eq!(schedule.slot.ends_at().to_string(), "2026-12-03 11:00:00");
        assert!(schedule.interviewer_ids.is_empty());
        let with_seconds = input("2026-12-02T08:30:00").parse(today()).unwrap();
        assert_eq!(with_seconds.slot.starts_at.to_string(), "2026-12-02 08:30:00", "earlier today is allowed");
    }

    #[test]
    fn a_bad_time_names_its_field() {
        let refused = |input: ScheduleInput, field: &str, problem: Problem| {
            let errors = input.parse(today()).unwrap_err();
            assert_eq!(errors.get(field), Some(&problem), "{input:?}");
        };
        refused(input("2026-12-01T10:00"), "starts_at", Problem::DateInPast);
        refused(input("3 December"), "starts_at", Problem::InvalidDateTime);
        refused(input("2026-12-03T25:00"), "starts_at", Problem::InvalidDateTime);
        refused(input(" "), "starts_at", Problem::Required);
        let too_long = ScheduleInput { duration_minutes: Some("481".into()), ..input("2026-12-03T10:00") };
        refused(too_long, "duration_minutes", Problem::OutOfRange { min: 15, max: 480 });
        let link = ScheduleInput { video_link: Some("javascript:alert(1)".into()), ..input("2026-12-03T10:00") };
        refused(link, "video_link", Problem::InvalidLink);
        let who = ScheduleInput { interviewer_ids: vec!["me".into()], ..input("2026-12-03T10:00") };
        refused(who, "interviewer_ids", Problem::NotAWholeNumber);
        let place = ScheduleInput { place: Some("x".repeat(201)), ..input("2026-12-03T10:00") };
        refused(place, "place", Problem::TooLong { max: 200 });
    }

    #[test]
    fn a_panel_keeps_only_the_competencies_the_rubric_still_has() {
        let panel = vec!["communication".to_owned(), "gone".to_owned()];
        assert_eq!(still_known(&panel, &["communication", "reliability"]), (vec!["communication".to_owned()], true));
        assert_eq!(still_known(&panel[..1], &["communication"]), (vec!["communication".to_owned()], false));
    }
}
