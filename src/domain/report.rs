//! Reports on how hiring goes: the funnel with each stage's conversion, time to hire, time in
//! each stage, what each source brings, and how fast each interviewer's scorecards come in.
//! Computed from the applications' stage histories and the scorecards; no protected attribute
//! (amfit keeps none) and no candidate's name enters them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::candidate::Stage;
use super::input::{FieldErrors, FieldParser, Problem, lenient_text};

/// Which applications a report covers, as a query string asks: every parameter optional.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only the applications to this role profile (one the caller may see); all of those the
    /// caller may see without it.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<i64>, minimum = 1)]
    pub profile_id: Option<String>,
    /// Only applications made on this day or later.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<NaiveDate>)]
    pub from: Option<String>,
    /// Only applications made on this day or earlier.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<NaiveDate>)]
    pub to: Option<String>,
}

/// A report's scope, valid by construction (see [`ReportQuery::parse`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportScope {
    pub profile_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl ReportQuery {
    pub fn parse(&self) -> Result<ReportScope, FieldErrors> {
        let mut p = FieldParser::default();
        let profile_id = p.optional_integer("profile_id", &self.profile_id, 1..=i64::MAX);
        let from = p.optional_date("from", &self.from);
        let to = p.optional_date("to", &self.to);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            p.reject("to", Problem::EndBeforeStart);
        }
        p.finish(ReportScope { profile_id, from, to })
    }
}

impl ReportScope {
    /// Whether an application made on `day` is within the scope's days.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| day >= from) && self.to.is_none_or(|to| day <= to)
    }
}

/// The stages an application goes through on its way to a hire, in order; a rejection leaves
/// the way, and is no stage of the funnel.
pub const FUNNEL: [Stage; 5] = [Stage::Applied, Stage::Screening, Stage::Interviewing, Stage::Offer, Stage::Hired];

const HOURS_A_DAY: f64 = 24.0;

/// What a report reads of one application.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationFacts {
    pub applied_on: NaiveDate,
    pub source: Option<String>,
    /// Every stage it entered and when, oldest first.
    pub history: Vec<(Stage, DateTime<Utc>)>,
}

impl ApplicationFacts {
    /// How far along the funnel it came: the furthest funnel stage of its history; every
    /// application was applied (one imported as rejected has no other stage).
    fn furthest(&self) -> usize {
        self.history.iter().filter_map(|(stage, _)| FUNNEL.iter().position(|s| s == stage)).max().unwrap_or(0)
    }

    fn reached(&self, stage: Stage) -> bool {
        FUNNEL.iter().position(|s| *s == stage).is_some_and(|wanted| self.furthest() >= wanted)
    }

    /// The days it spent in `stage` before it moved on, all its stays there together (one that
    /// came back to a stage stayed twice; a move to the stage it was in starts no new stay);
    /// `None` when it never left the stage.
    fn days_in(&self, stage: Stage) -> Option<f64> {
        let mut total = None;
        let mut entered = None;
        for &(current, when) in &self.history {
            if current == stage {
                entered = entered.or(Some(when));
            } else if let Some(since) = entered.take() {
                *total.get_or_insert(0.0) += days_between(since, when);
            }
        }
        total
    }

    fn hired_at(&self) -> Option<DateTime<Utc>> {
        self.history.iter().find(|(stage, _)| *stage == Stage::Hired).map(|(_, at)| *at)
    }
}

/// What a report reads of one interview that has a time: who held it, when it ended (from
/// when its scorecard is due), when the first scorecard was submitted, and whether its
/// application is still open (a closed one's missing scorecard is not waited for).
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewFacts {
    pub interviewer_id: i64,
    pub interviewer_name: String,
    pub ended_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub application_open: bool,
}

/// How long something took over several cases: how many, the median and the 90th percentile,
/// in days (one decimal); no figure without a case.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Spread {
    pub count: usize,
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
}

impl Spread {
    fn of(mut days: Vec<f64>) -> Self {
        days.sort_by(f64::total_cmp);
        let rounded = |value: Option<f64>| value.map(|v| (v * 10.0).round() / 10.0);
        Self {
            count: days.len(),
            median_days: rounded(percentile(&days, 0.5)),
            p90_days: rounded(percentile(&days, 0.9)),
        }
    }
}

/// The `p` quantile of sorted `values`, interpolated between the two nearest ranks (as
/// spreadsheets' PERCENTILE.INC does): the median of an even count is the mean of the middle two.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p * last as f64;
    let (below, above) = (rank.floor() as usize, rank.ceil() as usize);
    Some(sorted[below] + (sorted[above] - sorted[below]) * (rank - below as f64))
}

fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_minutes() as f64 / 60.0 / HOURS_A_DAY
}

/// One stage of the funnel: how many applications reached it, and what share of those that
/// reached the stage before did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FunnelStage {
    pub stage: Stage,
    pub count: usize,
    /// Of the previous stage's count, 0–1; none for the first stage or after a stage none reached.
    pub conversion: Option<f64>,
}

/// How long applications stayed in one stage before they moved on, each application's stays
/// there together (stays that go on are not counted: their length is not known yet).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StageTime {
    pub stage: Stage,
    #[serde(flatten)]
    pub spread: Spread,
}

/// What one source brought: applications, how many of them reached an interview, and hires.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SourceLine {
    /// As recorded on the application; none when it was not.
    pub source: Option<String>,
    pub applications: usize,
    pub interviews: usize,
    pub hires: usize,
}

/// How fast one interviewer's scorecards came in after their interviews (those held: with a
/// time that has passed).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Turnaround {
    pub interviewer_id: i64,
    pub name: String,
    /// Interviews held for open applications whose scorecard is not submitted yet.
    pub outstanding: usize,
    /// Over the submitted ones: from the interview's end to the first submission.
    #[serde(flatten)]
    pub spread: Spread,
}

/// The report over some applications and their interviews.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Report {
    pub applications: usize,
    pub funnel: Vec<FunnelStage>,
    /// From the day of applying to the day of the hire, over the hires.
    pub time_to_hire: Spread,
    pub time_in_stage: Vec<StageTime>,
    /// Most applications first.
    pub sources: Vec<SourceLine>,
    /// By name.
    pub turnaround: Vec<Turnaround>,
}

impl Report {
    /// The report over `applications` and `interviews`, as it stands at `now`.
    pub fn of(applications: &[ApplicationFacts], interviews: &[InterviewFacts], now: DateTime<Utc>) -> Self {
        Report {
            applications: applications.len(),
            funnel: funnel(applications),
            time_to_hire: Spread::of(
                applications
                    .iter()
                    .filter_map(|a| a.hired_at().map(|at| (at.date_naive() - a.applied_on).num_days() as f64))
                    .collect(),
            ),
            time_in_stage: time_in_stage(applications),
            sources: sources(applications),
            turnaround: turnaround(interviews, now),
        }
    }
}

fn funnel(applications: &[ApplicationFacts]) -> Vec<FunnelStage> {
    let mut previous: Option<usize> = None;
    FUNNEL
        .iter()
        .map(|&stage| {
            let count = applications.iter().filter(|a| a.reached(stage)).count();
            let conversion = previous.filter(|&before| before > 0).map(|before| count as f64 / before as f64);
            previous = Some(count);
            FunnelStage { stage, count, conversion }
        })
        .collect()
}

fn time_in_stage(applications: &[ApplicationFacts]) -> Vec<StageTime> {
    let open_stages = FUNNEL.iter().filter(|stage| !stage.is_closed());
    let days = |stage: Stage| applications.iter().filter_map(|a| a.days_in(stage)).collect();
    open_stages.map(|&stage| StageTime { stage, spread: Spread::of(days(stage)) }).collect()
}

fn sources(applications: &[ApplicationFacts]) -> Vec<SourceLine> {
    let mut lines: Vec<SourceLine> = Vec::new();
    for application in applications {
        let at = match lines.iter().position(|line| line.source == application.source) {
            Some(at) => at,
            None => {
                let source = application.source.clone();
                lines.push(SourceLine { source, applications: 0, interviews: 0, hires: 0 });
                lines.len() - 1
            }
        };
        let line = &mut lines[at];
        line.applications += 1;
        line.interviews += usize::from(application.reached(Stage::Interviewing));
        line.hires += usize::from(application.reached(Stage::Hired));
    }
    lines.sort_by(|a, b| b.applications.cmp(&a.applications).then_with(|| a.source.cmp(&b.source)));
    lines
}

fn turnaround(interviews: &[InterviewFacts], now: DateTime<Utc>) -> Vec<Turnaround> {
    let held: Vec<&InterviewFacts> = interviews.iter().filter(|i| i.ended_at <= now).collect();
    let mut people: Vec<(i64, &str)> = held.iter().map(|i| (i.interviewer_id, i.interviewer_name.as_str())).collect();
    people.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)));
    people.dedup();
    people
        .into_iter()
        .map(|(id, name)| {
            let theirs: Vec<&&InterviewFacts> = held.iter().filter(|i| i.interviewer_id == id).collect();
            let days =
                theirs.iter().filter_map(|i| i.submitted_at.map(|at| days_between(i.ended_at, at).max(0.0))).collect();
            Turnaround {
                interviewer_id: id,
                name: name.to_owned(),
                outstanding: theirs.iter().filter(|i| i.submitted_at.is_none() && i.application_open).count(),
                spread: Spread::of(days),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    fn application(source: Option<&str>, history: &[(Stage, u32)]) -> ApplicationFacts {
        ApplicationFacts {
            applied_on: at(history[0].1, 0).date_naive(),
            source: source.map(str::to_owned),
            history: history.iter().map(|&(stage, day)| (stage, at(day, 12))).collect(),
        }
    }

    /// Four applications: one hired after 10 days, one rejected at interview, one rejected on
    /// screening, one still applied. Worked by hand below.
    fn four() -> Vec<ApplicationFacts> {
        use Stage::*;
        vec![
            application(Some("LinkedIn"), &[(Applied, 1), (Screening, 3), (Interviewing, 5), (Offer, 9), (Hired, 11)]),
            application(Some("LinkedIn"), &[(Applied, 2), (Screening, 3), (Interviewing, 9), (Rejected, 10)]),
            application(None, &[(Applied, 2), (Screening, 6), (Rejected, 7)]),
            application(Some("Jobindex"), &[(Applied, 4)]),
        ]
    }

    #[test]
    fn a_scope_is_checked_and_covers_its_days_inclusive() {
        let query =
            |from: &str, to: &str| ReportQuery { profile_id: None, from: Some(from.into()), to: Some(to.into()) };
        let scope = query("2026-11-02", "2026-11-04").parse().unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!([1, 2, 4, 5].map(|d| scope.covers(day(d))), [false, true, true, false]);
        assert_eq!(query("2026-11-04", "2026-11-02").parse().unwrap_err().get("to"), Some(&Problem::EndBeforeStart));
        assert_eq!(query("4 Nov", "").parse().unwrap_err().get("from"), Some(&Problem::InvalidDate));
        let unknown = ReportQuery { profile_id: Some("0".into()), ..Default::default() };
        assert!(unknown.parse().unwrap_err().get("profile_id").is_some());
        assert!(ReportScope::default().covers(day(1)));
    }

    #[test]
    fn the_funnel_counts_who_reached_each_stage_and_its_share_of_the_one_before() {
        let report = Report::of(&four(), &[], at(30, 0));
        let counts: Vec<(Stage, usize, Option<f64>)> =
            report.funnel.iter().map(|s| (s.stage, s.count, s.conversion)).collect();
        assert_eq!(
            counts,
            [
                (Stage::Applied, 4, None),
                (Stage::Screening, 3, Some(0.75)),
                (Stage::Interviewing, 2, Some(2.0 / 3.0)),
                (Stage::Offer, 1, Some(0.5)),
                (Stage::Hired, 1, Some(1.0)),
            ]
        );
        let skipped = application(None, &[(Stage::Applied, 1), (Stage::Interviewing, 2)]);
        let funnel = Report::of(&[skipped], &[], at(30, 0)).funnel;
        assert_eq!(funnel[1].count, 1, "a stage passed over was passed");
        let none = Report::of(&[], &[], at(30, 0)).funnel;
        assert!(none.iter().all(|s| s.count == 0 && s.conversion.is_none()));
    }

    #[test]
    fn times_are_medians_and_90th_percentiles_of_days() {
        let report = Report::of(&four(), &[], at(30, 0));
        assert_eq!(report.time_to_hire, Spread { count: 1, median_days: Some(10.0), p90_days: Some(10.0) });
        // Applied: 2, 1 and 4 days (the fourth goes on); sorted 1, 2, 4: median 2, the 90th
        // percentile 2 + (4 - 2) * 0.8 = 3.6.
        let applied = &report.time_in_stage[0];
        assert_eq!(
            (applied.stage, &applied.spread),
            (Stage::Applied, &Spread { count: 3, median_days: Some(2.0), p90_days: Some(3.6) })
        );
        // Screening: 2, 6 and 1 days: median 2, 90th 2 + 4 * 0.8 = 5.2.
        assert_eq!(report.time_in_stage[1].spread, Spread { count: 3, median_days: Some(2.0), p90_days: Some(5.2) });
        // Interviewing: 4 and 1: median 2.5, 90th 1 + 3 * 0.9 = 3.7.
        assert_eq!(report.time_in_stage[2].spread, Spread { count: 2, median_days: Some(2.5), p90_days: Some(3.7) });
        assert_eq!(
            report.time_in_stage.iter().map(|t| t.stage).collect::<Vec<_>>(),
            [Stage::Applied, Stage::Screening, Stage::Interviewing, Stage::Offer]
        );
    }

    #[test]
    fn a_stage_come_back_to_is_one_application_s_time_and_an_imported_rejection_was_applied() {
        use Stage::*;
        let history = [(Applied, 1), (Screening, 2), (Screening, 3), (Interviewing, 5), (Screening, 6), (Rejected, 9)];
        let back_and_forth = application(None, &history);
        let imported = application(None, &[(Rejected, 4)]);
        let report = Report::of(&[back_and_forth, imported], &[], at(30, 0));
        // Screening: days 2 to 5 (the move to the same stage does not split it), then 6 to 9.
        assert_eq!(report.time_in_stage[1].spread, Spread { count: 1, median_days: Some(6.0), p90_days: Some(6.0) });
        assert_eq!(report.funnel[0].count, 2, "the imported rejection was applied");
        assert_eq!(report.funnel[1].count, 1);
    }

    #[test]
    fn each_source_with_its_interviews_and_hires() {
        let report = Report::of(&four(), &[], at(30, 0));
        let lines: Vec<(Option<&str>, usize, usize, usize)> =
            report.sources.iter().map(|s| (s.source.as_deref(), s.applications, s.interviews, s.hires)).collect();
        assert_eq!(lines, [(Some("LinkedIn"), 2, 2, 1), (None, 1, 0, 0), (Some("Jobindex"), 1, 0, 0)]);
    }

    #[test]
    fn turnaround_runs_from_the_interview_to_the_first_submission() {
        let interview = |id: i64, name: &str, ended: u32, submitted: Option<(u32, u32)>| InterviewFacts {
            interviewer_id: id,
            interviewer_name: name.into(),
            ended_at: at(ended, 12),
            submitted_at: submitted.map(|(day, hour)| at(day, hour)),
            application_open: true,
        };
        let closed = InterviewFacts { application_open: false, ..interview(2, "Ivan", 4, None) };
        let interviews = [
            interview(2, "Ivan", 1, Some((1, 18))),
            interview(2, "Ivan", 3, Some((5, 12))),
            interview(2, "Ivan", 4, None),
            closed,
            interview(2, "Ivan", 20, None),
            interview(3, "Olga", 20, None),
            interview(1, "Anna", 2, Some((2, 6))),
        ];
        let report = Report::of(&[], &interviews, at(10, 0));
        let names: Vec<(&str, usize)> = report.turnaround.iter().map(|t| (t.name.as_str(), t.outstanding)).collect();
        assert_eq!(names, [("Anna", 0), ("Ivan", 1)], "one missing for an open application; none for those to come");
        assert_eq!(report.turnaround[0].spread.median_days, Some(0.0), "submitted before its time: no negative days");
        // Ivan: 0.25 and 2 days: median 1.125 (1.1), 90th 0.25 + 1.75 * 0.9 = 1.825 (1.8).
        assert_eq!(report.turnaround[1].spread, Spread { count: 2, median_days: Some(1.1), p90_days: Some(1.8) });
    }
}
