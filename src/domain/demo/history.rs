//! The demo's hiring history: its colleagues, about forty applicants over the three profiles
//! at every stage, and what happened to each of them over the last weeks, as steps in time.

use chrono::{DateTime, Days, Duration, NaiveDateTime, NaiveTime, Utc};

use crate::domain::candidate::Stage;
use crate::domain::decision::Verdict;
use crate::domain::profile::AdLanguage;
use crate::domain::scorecard::Recommendation;
use crate::domain::user::Role;

/// Every demo address is at this domain, reserved for examples: no mail reaches anyone.
pub const DEMO_DOMAIN: &str = "demo.amfit.example";

/// A colleague the demo adds, one or more per role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoColleague {
    pub name: &'static str,
    /// The part before `@`[`DEMO_DOMAIN`].
    pub mailbox: &'static str,
    pub role: Role,
}

impl DemoColleague {
    pub fn email(&self) -> String {
        format!("{}@{DEMO_DOMAIN}", self.mailbox)
    }
}

pub const RECRUITER: usize = 1;
pub const HIRING_MANAGER: usize = 2;
const INTERVIEWERS: [usize; 3] = [3, 4, 5];

/// The colleagues: the administrator first, then [`RECRUITER`], [`HIRING_MANAGER`] and the
/// interviewers.
pub const COLLEAGUES: [DemoColleague; 6] = [
    DemoColleague { name: "Signe Nørgaard", mailbox: "signe", role: Role::Admin },
    DemoColleague { name: "Rikke Dahl", mailbox: "rikke", role: Role::Recruiter },
    DemoColleague { name: "Jonas Berg", mailbox: "jonas", role: Role::HiringManager },
    DemoColleague { name: "Ahmed Karimi", mailbox: "ahmed", role: Role::Interviewer },
    DemoColleague { name: "Sofie Lind", mailbox: "sofie", role: Role::Interviewer },
    DemoColleague { name: "Lars Winther", mailbox: "lars", role: Role::Interviewer },
];

/// The two interviewers on the panel of profile `profile` (its index in the demo).
pub fn panel(profile: usize) -> [usize; 2] {
    [INTERVIEWERS[profile % 3], INTERVIEWERS[(profile + 1) % 3]]
}

/// What each of the two panel members rates, of the profile's competencies heaviest first:
/// both the heaviest (where two views of one competency show), then the rest in turn.
pub fn panel_competencies(heaviest_first: &[String]) -> [Vec<String>; 2] {
    let mut split: [Vec<String>; 2] = Default::default();
    for (index, competency) in heaviest_first.iter().enumerate() {
        match index {
            0 => split.iter_mut().for_each(|rated| rated.push(competency.clone())),
            _ => split[(index - 1) % 2].push(competency.clone()),
        }
    }
    split
}

/// How far an applicant got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journey {
    /// Just applied: not looked at yet.
    New,
    Screening,
    /// Interviews planned for the coming days.
    Scheduled,
    /// Interviewed; one of the two scorecards is still missing.
    HalfScored,
    /// Interviewed and scored, waiting for the hiring manager.
    Scored,
    /// As [`Journey::Scored`], with the two interviewers far apart on the shared competency.
    ScoredApart,
    RejectedAtScreening,
    RejectedAfterInterview,
    Offered,
    Hired,
}

impl Journey {
    /// The days from applying to the interview, and the days ago the applicant applied.
    fn timing(self) -> (u64, u64) {
        match self {
            Journey::New => (0, 1),
            Journey::Screening => (0, 6),
            Journey::Scheduled => (12, 10),
            Journey::HalfScored => (10, 12),
            Journey::Scored | Journey::ScoredApart => (11, 18),
            Journey::RejectedAtScreening => (0, 24),
            Journey::RejectedAfterInterview => (10, 27),
            Journey::Offered => (10, 30),
            Journey::Hired => (10, 41),
        }
    }

    /// Whether the applicant got as far as an interview being planned.
    fn interviewed(self) -> bool {
        !matches!(self, Journey::New | Journey::Screening | Journey::RejectedAtScreening)
    }
}

/// The journeys of a profile's applicants; the profiles further along have more of them.
fn journeys(profile: usize) -> Vec<Journey> {
    use Journey::*;
    let mut all = vec![
        ScoredApart,
        Scored,
        Scored,
        HalfScored,
        Scheduled,
        Screening,
        Screening,
        RejectedAtScreening,
        RejectedAfterInterview,
        New,
        New,
        New,
    ];
    match profile {
        0 => all.extend([Hired, Offered]),
        1 => all.extend([Hired, Scored]),
        _ => {}
    }
    all
}

/// An applicant, made up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoApplicant {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub source: &'static str,
    /// The index of the profile applied for.
    pub profile: usize,
    pub journey: Journey,
    /// How good they are, 1–5, before the interviewers' own views.
    pub strength: u8,
    /// The language of their CV: the profile's ad's.
    pub language: AdLanguage,
    /// The years they have worked with clients.
    pub years: u8,
}

const FIRST_NAMES: [&str; 20] = [
    "Mikkel", "Camilla", "Omar", "Freja", "Jakob", "Aisha", "Kasper", "Ida", "Tobias", "Maja", "Emil", "Nadia",
    "Rasmus", "Julie", "Ali", "Cecilie", "Mathias", "Sara", "Oliver", "Louise",
];
const LAST_NAMES: [&str; 13] = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Yilmaz",
    "Kowalski",
    "Madsen",
    "Ahmadi",
];
const SOURCES: [&str; 4] = ["Jobindex", "LinkedIn", "Referral", "Job page"];

/// The applicants of every profile, the profiles' languages given in the demo's order.
pub fn applicants(languages: &[AdLanguage]) -> Vec<DemoApplicant> {
    let mut all = Vec::new();
    for (profile, &language) in languages.iter().enumerate() {
        for journey in journeys(profile) {
            let n = all.len();
            let first = FIRST_NAMES[n % FIRST_NAMES.len()];
            let last = LAST_NAMES[(n * 5 + profile) % LAST_NAMES.len()];
            let strength = match journey {
                Journey::Hired | Journey::Offered => 4 + (n % 2) as u8,
                Journey::RejectedAtScreening | Journey::RejectedAfterInterview => 2,
                _ => 2 + (mixed(&[n, profile]) % 3) as u8,
            };
            all.push(DemoApplicant {
                name: format!("{first} {last}"),
                email: format!("{}.{}@example.com", mailbox_part(first), mailbox_part(last)),
                phone: format!(
                    "+45 {:02} {:02} {:02} {:02}",
                    20 + n % 10,
                    (n * 37) % 100,
                    (n * 53) % 100,
                    (n * 71) % 100
                ),
                source: SOURCES[(n * 3 + profile) % SOURCES.len()],
                profile,
                journey,
                strength,
                language,
                years: 2 + (n % 9) as u8,
            });
        }
    }
    all
}

/// A name as the part of a mail address: lower case, in ASCII.
fn mailbox_part(name: &str) -> String {
    name.to_lowercase().replace('ø', "oe").replace('æ', "ae").replace('å', "aa")
}

/// The score interviewer `panel_seat` (0 or 1) gives the applicant on competency number
/// `competency` of those they rate: near the applicant's strength, and on the shared first
/// competency far apart from the other seat's for a [`Journey::ScoredApart`].
pub fn score(applicant: &DemoApplicant, index: usize, competency: usize, panel_seat: usize) -> u8 {
    if applicant.journey == Journey::ScoredApart && competency == 0 {
        return if panel_seat == 0 { 5 } else { 2 };
    }
    // Mostly the strength, now and then a point either side.
    let offset = [-1, 0, 0, 1, 1, 0, -1][mixed(&[index, competency, panel_seat]) % 7];
    (i16::from(applicant.strength) + offset).clamp(1, 5) as u8
}

/// A number that looks random but is the same for the same `parts` (SplitMix64's finaliser),
/// so that the demo is the same on every run.
fn mixed(parts: &[usize]) -> usize {
    let mut x = parts.iter().fold(0x9E37_79B9_7F4A_7C15_u64, |acc, &part| acc.rotate_left(17) ^ part as u64);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (x ^ (x >> 31)) as usize
}

/// What an interviewer wrote of an answer that earned `score`: observations, as the
/// scorecard asks for, in `language`, one of a few for each score (by `variant`).
pub fn evidence(score: u8, variant: usize, language: AdLanguage) -> &'static str {
    const EN: [[&str; 2]; 5] = [
        [
            "Could not give an example of their own; described what they would do, not what they did.",
            "Answered in general terms twice; when asked for a case, named none.",
        ],
        [
            "The example was the team's work; their own part stayed unclear after two follow-up questions.",
            "Gave one example, without the steps taken or what came of it.",
        ],
        [
            "One clear example with the steps taken; the result was described but not measured.",
            "Described their usual way of working and, when asked, a case that fits it.",
        ],
        [
            "Two concrete examples, each with steps and an outcome; named the client's contact and what changed.",
            "Walked through a renewal step by step, including what they did when the client hesitated.",
        ],
        [
            "Three examples with numbers (kept 9 of 10 clients, one grew by a third); explained what they would do differently now.",
            "Told how they turned round a client about to leave: called the same day, agreed a plan, followed up weekly; the client renewed for two years.",
        ],
    ];
    const DA: [[&str; 2]; 5] = [
        [
            "Kunne ikke give et eksempel fra eget arbejde; beskrev, hvad der burde gøres, ikke hvad der blev gjort.",
            "Svarede generelt to gange; nævnte ingen konkret sag, da vi spurgte.",
        ],
        [
            "Eksemplet var teamets arbejde; egen rolle blev ikke klar efter to opfølgende spørgsmål.",
            "Gav ét eksempel, men uden skridtene undervejs eller hvad det førte til.",
        ],
        [
            "Ét klart eksempel med de skridt, der blev taget; resultatet blev beskrevet, men ikke målt.",
            "Beskrev sin faste arbejdsgang og, da vi spurgte, en sag, der passer til den.",
        ],
        [
            "To konkrete eksempler, hver med skridt og resultat; nævnte kundens kontaktperson og hvad der ændrede sig.",
            "Gennemgik en genforhandling skridt for skridt, også hvad der blev gjort, da kunden tøvede.",
        ],
        [
            "Tre eksempler med tal (beholdt 9 af 10 kunder, én voksede med en tredjedel); forklarede, hvad der ville blive gjort anderledes i dag.",
            "Fortalte, hvordan en kunde på vej væk blev vendt: ringede samme dag, aftalte en plan, fulgte op hver uge; kunden forlængede i to år.",
        ],
    ];
    let level = usize::from(score.clamp(1, 5)) - 1;
    language.pick(&DA, &EN)[level][variant % 2]
}

/// The recommendation that goes with the scores given.
pub fn recommendation(scores: &[u8]) -> Recommendation {
    let mean = scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len().max(1) as f64;
    match mean {
        m if m >= 4.5 => Recommendation::StrongYes,
        m if m >= 3.5 => Recommendation::Yes,
        m if m >= 2.5 => Recommendation::No,
        _ => Recommendation::StrongNo,
    }
}

/// One thing that happened in the demo's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoStep {
    /// The applicant applied: they, their application and their CV are added.
    Apply,
    /// The recruiter moved the application on.
    Move(Stage),
    /// The recruiter planned the panel's interviews, at this local time.
    Plan(NaiveDateTime),
    /// Panel member `seat` submitted their scorecard.
    Score { seat: usize },
    /// A decision, by a colleague, with its reason.
    Decide { by: usize, verdict: Verdict, reason: &'static str },
    /// A comment by a colleague naming another.
    Comment { by: usize, mentions: usize, body: String },
}

/// A step in the history of applicant `applicant` (an index into [`applicants`]) at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedStep {
    pub at: DateTime<Utc>,
    pub applicant: usize,
    pub step: DemoStep,
}

/// The days ago the demo's profiles were made and their ads published.
pub const PROFILES_MADE_DAYS_AGO: u64 = 45;

/// Every applicant's history, oldest step first, ending before `now`.
pub fn history(applicants: &[DemoApplicant], now: DateTime<Utc>) -> Vec<TimedStep> {
    let mut steps = Vec::new();
    for (index, applicant) in applicants.iter().enumerate() {
        steps.extend(applicant_history(applicant, index, now));
    }
    steps.sort_by_key(|step| step.at);
    steps
}

/// What happened to applicant number `index`, each step a few days after the one before (how
/// many varies from one applicant to the next).
fn applicant_history(applicant: &DemoApplicant, index: usize, now: DateTime<Utc>) -> Vec<TimedStep> {
    let journey = applicant.journey;
    let (to_interview, days_ago) = journey.timing();
    let applied = working_hour(now, days_ago + (index % 3) as u64, index);
    let mut steps = Vec::new();
    let mut at = |days: u64, hours: i64, step: DemoStep| {
        let when = applied + Duration::days(days as i64) + Duration::hours(hours);
        steps.push(TimedStep { at: when.min(now - Duration::minutes(1)), applicant: index, step });
    };
    at(0, 0, DemoStep::Apply);
    if journey == Journey::New {
        return steps;
    }
    let screened = 1 + (index % 2) as u64;
    at(screened, 1, DemoStep::Move(Stage::Screening));
    let [first, second] = panel(applicant.profile);
    match journey {
        Journey::RejectedAtScreening => {
            // The hiring manager decides; the recruiter's screening notes are the reason.
            let reason = "Has not yet worked with clients of their own; the profile asks for that.";
            at(screened + 2, 2, DemoStep::Decide { by: HIRING_MANAGER, verdict: Verdict::Reject, reason });
        }
        Journey::Screening if index.is_multiple_of(2) => {
            let body = format!(
                "@{} {} years with clients of their own and renewals to show for it. Shall we invite {}?",
                COLLEAGUES[HIRING_MANAGER].name, applicant.years, applicant.name
            );
            at(screened, 3, DemoStep::Comment { by: RECRUITER, mentions: HIRING_MANAGER, body });
        }
        _ => {}
    }
    if !journey.interviewed() {
        return steps;
    }
    let invited = screened + 2 + (index % 3) as u64;
    at(invited, 0, DemoStep::Move(Stage::Interviewing));
    let interview = (applied + Duration::days(to_interview.max(invited + 2) as i64)).date_naive();
    // One still to come is tomorrow at the earliest, whatever the hour the demo is made.
    let tomorrow = now.date_naive() + Duration::days(1);
    let interview = if journey == Journey::Scheduled { interview.max(tomorrow) } else { interview };
    let hour = 9 + (mixed(&[index]) % 7) as u32;
    at(invited, 1, DemoStep::Plan(interview.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default())));
    if journey == Journey::Scheduled {
        return steps;
    }
    let held = to_interview.max(invited + 2);
    // The interview lasts an hour; the scorecards follow within hours, or the next day.
    at(held, i64::from(hour) - 7, DemoStep::Score { seat: 0 });
    if journey == Journey::HalfScored {
        return steps;
    }
    at(held + (index % 2) as u64, 9, DemoStep::Score { seat: 1 });
    let decided = held + 2 + (index % 3) as u64;
    match journey {
        Journey::ScoredApart => {
            let body = format!(
                "@{} you and {} are three points apart on the first competency. What did you hear that made the difference?",
                COLLEAGUES[second].name, COLLEAGUES[first].name
            );
            at(held + 1, 11, DemoStep::Comment { by: HIRING_MANAGER, mentions: second, body });
        }
        Journey::Scored if index % 2 == 1 => {
            let body = format!(
                "@{} references called back for {}: two former clients, both would gladly work together again.",
                COLLEAGUES[HIRING_MANAGER].name, applicant.name
            );
            at(held + 2, 3, DemoStep::Comment { by: RECRUITER, mentions: HIRING_MANAGER, body });
        }
        Journey::RejectedAfterInterview => {
            let reason = "Below the must-have level in both interviews; the examples stayed general.";
            at(decided, 1, DemoStep::Decide { by: HIRING_MANAGER, verdict: Verdict::Reject, reason });
        }
        Journey::Offered | Journey::Hired => {
            let body = format!(
                "@{} both scorecards are in, and {} did best on the heaviest competencies. Shall I prepare an offer?",
                COLLEAGUES[HIRING_MANAGER].name, applicant.name
            );
            at(held + 1, 10, DemoStep::Comment { by: RECRUITER, mentions: HIRING_MANAGER, body });
            let reason = "Strongest on the heaviest competencies, with concrete examples from both interviews.";
            at(decided, 2, DemoStep::Decide { by: HIRING_MANAGER, verdict: Verdict::Offer, reason });
            if journey == Journey::Hired {
                let reason = "Accepted the offer; starts on the first of next month.";
                let accepted = decided + 4 + (index % 4) as u64;
                at(accepted, 1, DemoStep::Decide { by: HIRING_MANAGER, verdict: Verdict::Hire, reason });
            }
        }
        _ => {}
    }
    steps
}

/// A time within working hours `days_ago` days before `now`, varied by `index`.
fn working_hour(now: DateTime<Utc>, days_ago: u64, index: usize) -> DateTime<Utc> {
    let day = now.date_naive().checked_sub_days(Days::new(days_ago)).unwrap_or(now.date_naive());
    let time = NaiveTime::from_hms_opt(8 + (index % 8) as u32, ((index * 17) % 60) as u32, 0).unwrap_or_default();
    day.and_time(time).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn demo() -> Vec<DemoApplicant> {
        applicants(&[AdLanguage::Da, AdLanguage::En, AdLanguage::Da])
    }

    #[test]
    fn about_forty_applicants_reach_every_stage() {
        let applicants = demo();
        assert!((36..=44).contains(&applicants.len()), "{}", applicants.len());
        let steps = history(&applicants, now());
        let mut reached = vec![Stage::Applied];
        for step in &steps {
            match &step.step {
                DemoStep::Move(stage) => reached.push(*stage),
                DemoStep::Decide { verdict, .. } => reached.push(verdict.next_stage(Stage::Interviewing).unwrap()),
                _ => {}
            }
        }
        for stage in
            [Stage::Applied, Stage::Screening, Stage::Interviewing, Stage::Offer, Stage::Hired, Stage::Rejected]
        {
            assert!(reached.contains(&stage), "no one reaches {stage:?}");
        }
    }

    #[test]
    fn the_history_is_in_order_and_past() {
        let steps = history(&demo(), now());
        assert!(steps.windows(2).all(|pair| pair[0].at <= pair[1].at));
        assert!(steps.iter().all(|step| step.at < now()));
        assert!(steps.first().unwrap().at < now() - Duration::weeks(5), "weeks of history");
        // Each applicant applies before anything else happens to them.
        for (index, _) in demo().iter().enumerate() {
            let first = steps.iter().find(|step| step.applicant == index).unwrap();
            assert_eq!(first.step, DemoStep::Apply);
        }
    }

    #[test]
    fn interviewers_share_the_heaviest_competency_and_split_the_rest() {
        let competencies: Vec<String> = ["a", "b", "c", "d", "e", "f", "g", "h"].map(String::from).into();
        let [first, second] = panel_competencies(&competencies);
        assert_eq!(first, ["a", "b", "d", "f", "h"]);
        assert_eq!(second, ["a", "c", "e", "g"]);
    }

    #[test]
    fn some_interviewers_disagree_and_scores_stay_on_the_scale() {
        let applicants = demo();
        let apart = applicants.iter().position(|a| a.journey == Journey::ScoredApart).unwrap();
        let gap = score(&applicants[apart], apart, 0, 0).abs_diff(score(&applicants[apart], apart, 0, 1));
        assert!(gap >= 3);
        for (index, applicant) in applicants.iter().enumerate() {
            for competency in 0..4 {
                for seat in 0..2 {
                    assert!((1..=5).contains(&score(applicant, index, competency, seat)));
                }
            }
        }
        assert_eq!(recommendation(&[5, 5, 4, 5]), Recommendation::StrongYes);
        assert_eq!(recommendation(&[2, 1, 2]), Recommendation::StrongNo);
    }

    #[test]
    fn addresses_are_ascii_and_reserved_for_examples() {
        let applicants = demo();
        for applicant in &applicants {
            assert!(applicant.email.is_ascii() && applicant.email.ends_with("@example.com"), "{}", applicant.email);
        }
        let distinct: std::collections::HashSet<&str> = applicants.iter().map(|a| a.email.as_str()).collect();
        assert_eq!(distinct.len(), applicants.len(), "one address each");
        assert!(COLLEAGUES.iter().all(|c| c.email().ends_with(DEMO_DOMAIN)));
    }
}
