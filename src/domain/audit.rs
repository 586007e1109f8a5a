//! The audit trail: who saw or changed what, and when. Entries name their subject by id and
//! never hold a candidate's personal data, so that erasing a candidate leaves the trail whole.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::candidate::Stage;
use super::decision::Verdict;
use super::document::DocumentKind;
use super::input::{FieldErrors, FieldParser, lenient_text};
use super::letter::LetterKind;
use super::user::Role;

named_choice!(
    /// What was done.
    AuditAction, "audit" {
        ViewCandidate,
        ChangeScore,
        ChangeWeights,
        RecordDecision,
        ExportData,
        EraseData,
        /// Anonymised at the end of the retention period, by amfit itself.
        AnonymiseData,
        ChangeUser,
        /// An application a candidate sent on a job page.
        ReceiveApplication,
        /// Candidates imported from a file.
        ImportCandidates,
        /// An application moved to another stage.
        MoveStage,
        /// A possible duplicate merged into the candidate whose email address it gave.
        MergeCandidates,
        /// A possible duplicate judged to be someone else, or kept apart for now.
        KeepCandidatesApart,
        /// A letter to a candidate written to the outbox.
        SendLetter,
        /// What an application asked, confirmed by the owner of its address.
        ConfirmByMail,
        /// A comment on a candidate written.
        Comment,
        /// A document added to a candidate's record by a recruiter.
        AddDocument,
    }
);
named_choice!(
    /// What an entry is about.
    AuditSubject, "subject" { Candidate, Application, Profile, Interview, User }
);

named_choice!(
    /// amfit's own doers, which act without a signed-in user.
    Agent, "agent" {
        JobPage,
        Retention,
        UserAddCommand,
        UserPasswordCommand,
        DemoCommand,
        TokenCreateCommand,
        TokenRevokeCommand,
        ImportCommand,
        /// The owner of an email address, by a link amfit mailed to it.
        MailConfirmation,
    }
);

impl Agent {
    /// The name the trail stores, in English, as [`Agent::read`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Self::JobPage => "amfit job page",
            Self::Retention => "amfit retention",
            Self::UserAddCommand => "amfit user add (command line)",
            Self::UserPasswordCommand => "amfit user password (command line)",
            Self::DemoCommand => "amfit demo (command line)",
            Self::TokenCreateCommand => "amfit token create (command line)",
            Self::TokenRevokeCommand => "amfit token revoke (command line)",
            Self::ImportCommand => "amfit import candidates (command line)",
            Self::MailConfirmation => "the address's owner, by a link sent by mail",
        }
    }

    pub fn read(name: &str) -> Option<Self> {
        <Self as strum::VariantArray>::VARIANTS.iter().copied().find(|agent| agent.name() == name)
    }
}

/// What an entry says beyond its action and subject: each kind of detail amfit writes, with
/// its values. Stored as its English text, the record that the API and the CSV export give
/// as it is; [`AuditDetail::read`] takes the text back, so that a page can say it in the
/// reader's language, for entries written before this type existed too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditDetail {
    /// Nothing beyond the action (a candidate's page read).
    Nothing,
    ScorecardSubmitted,
    DraftSaved,
    CorrectionStarted,
    UserAdded(Role),
    RoleChanged(Role),
    Reactivated,
    Deactivated,
    /// An administrator set a forgotten password.
    PasswordReset,
    /// The user changed their own.
    PasswordChanged,
    /// Set on the server with `amfit user password`.
    PasswordSetOnServer,
    /// Set with a link the user asked for by mail, having forgotten it.
    PasswordResetByLink,
    /// The first password chosen with the invitation a new colleague was sent.
    InvitationAccepted,
    TokenMade(i64),
    TokenRevoked(i64),
    WeightSet {
        competency: String,
        weight: i64,
        minimum: Option<i64>,
    },
    WeightReset {
        competency: String,
    },
    AccessExport,
    ErasedOnRequest,
    DocumentRead(i64),
    Decided(Verdict),
    Imported(usize),
    /// An application on the job page with this address (slug).
    Received {
        job: String,
        documents: usize,
    },
    StageMoved(Stage),
    /// Anonymised when the retention period (and the talent-pool consent, when given) ended.
    Anonymised {
        months: u32,
        talent_pool: bool,
    },
    /// The possible duplicate with this id merged in, with its applications.
    MergedIn {
        duplicate: i64,
        applications: usize,
    },
    /// No longer marked as a possible duplicate of the candidate with this id.
    KeptApartFrom(i64),
    /// A letter of this kind, to the candidate of the application.
    Letter(LetterKind),
    /// The talent-pool consent ticked on a job page's form, confirmed by a link sent by mail.
    TalentPoolConfirmed,
    /// A document of this kind added.
    DocumentAdded(DocumentKind),
    /// A comment that mentions this many colleagues, who were told of it.
    Commented {
        mentions: usize,
    },
    /// That a job page's application joins the record held with its address, confirmed by a
    /// link sent by mail, where a recruiter must merge them (work had begun on it).
    JoinConfirmed,
}

const WEIGHT_RESET: &str = "back to the derived weight";
const ANONYMISED_WITH_CONSENT: &str = " and the talent-pool consent";

impl fmt::Display for AuditDetail {
    /// The English text stored on the trail, as [`AuditDetail::read`] reads it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Nothing => Ok(()),
            Self::ScorecardSubmitted => f.write_str("scorecard submitted"),
            Self::DraftSaved => f.write_str("draft saved"),
            Self::CorrectionStarted => f.write_str("correction started"),
            Self::UserAdded(role) => write!(f, "added as {}", role.as_str()),
            Self::RoleChanged(role) => write!(f, "role: {}", role.as_str()),
            Self::Reactivated => f.write_str("reactivated"),
            Self::Deactivated => f.write_str("deactivated"),
            Self::PasswordReset => f.write_str("password set by an administrator"),
            Self::PasswordChanged => f.write_str("changed their password"),
            Self::PasswordSetOnServer => f.write_str("password set"),
            Self::PasswordResetByLink => f.write_str("password set with a link sent by mail"),
            Self::InvitationAccepted => f.write_str("accepted the invitation and chose a password"),
            Self::TokenMade(id) => write!(f, "API token {id} made"),
            Self::TokenRevoked(id) => write!(f, "API token {id} revoked"),
            Self::WeightSet { competency, weight, minimum: None } => write!(f, "{competency}: weight {weight}"),
            Self::WeightSet { competency, weight, minimum: Some(minimum) } => {
                write!(f, "{competency}: weight {weight}, minimum {minimum}")
            }
            Self::WeightReset { competency } => write!(f, "{competency}: {WEIGHT_RESET}"),
            Self::AccessExport => f.write_str("access request export"),
            Self::ErasedOnRequest => f.write_str("personal data erased on request"),
            Self::DocumentRead(id) => write!(f, "document {id}"),
            Self::Decided(verdict) => f.write_str(verdict.as_str()),
            Self::Imported(count) => write!(f, "{count} application(s) from a file"),
            Self::Received { job, documents } => write!(f, "job page {job}; {documents} document(s)"),
            Self::StageMoved(stage) => write!(f, "stage: {}", stage.as_str()),
            Self::Anonymised { months, talent_pool } => {
                let consent = if *talent_pool { ANONYMISED_WITH_CONSENT } else { "" };
                write!(f, "anonymised: the retention period of {months} months{consent} ended")
            }
            Self::MergedIn { duplicate, applications } => {
                write!(f, "candidate {duplicate} merged in; {applications} application(s)")
            }
            Self::KeptApartFrom(id) => write!(f, "kept apart from candidate {id}"),
            Self::Letter(kind) => write!(f, "letter: {}", kind.as_str()),
            Self::TalentPoolConfirmed => f.write_str("talent-pool consent confirmed by a link sent by mail"),
            Self::DocumentAdded(kind) => write!(f, "document added: {}", kind.as_str()),
            Self::Commented { mentions } => write!(f, "comment; {mentions} colleague(s) mentioned"),
            Self::JoinConfirmed => {
                f.write_str("joining the record confirmed by a link sent by mail; left to a recruiter")
            }
        }
    }
}

impl AuditDetail {
    /// The detail a stored text says, or `None` for a text of no kind amfit writes.
    pub fn read(text: &str) -> Option<Self> {
        Self::fixed(text).or_else(|| Self::with_values(text))
    }

    fn fixed(text: &str) -> Option<Self> {
        let fixed = [
            Self::Nothing,
            Self::ScorecardSubmitted,
            Self::DraftSaved,
            Self::CorrectionStarted,
            Self::Reactivated,
            Self::Deactivated,
            Self::PasswordReset,
            Self::PasswordChanged,
            Self::PasswordSetOnServer,
            Self::PasswordResetByLink,
            Self::InvitationAccepted,
            Self::AccessExport,
            Self::ErasedOnRequest,
            Self::TalentPoolConfirmed,
            Self::JoinConfirmed,
        ];
        fixed.into_iter().find(|detail| detail.to_string() == text).or_else(|| text.parse().ok().map(Self::Decided))
    }

    fn with_values(text: &str) -> Option<Self> {
        fn number<T: std::str::FromStr>(digits: &str) -> Option<T> {
            digits.parse().ok()
        }
        if let Some(role) = text.strip_prefix("added as ") {
            return role.parse().ok().map(Self::UserAdded);
        }
        if let Some(role) = text.strip_prefix("role: ") {
            return role.parse().ok().map(Self::RoleChanged);
        }
        if let Some(stage) = text.strip_prefix("stage: ") {
            return stage.parse().ok().map(Self::StageMoved);
        }
        if let Some(token) = text.strip_prefix("API token ") {
            if let Some(id) = token.strip_suffix(" made") {
                return number(id).map(Self::TokenMade);
            }
            return token.strip_suffix(" revoked").and_then(number).map(Self::TokenRevoked);
        }
        if let Some(kind) = text.strip_prefix("document added: ") {
            return kind.parse().ok().map(Self::DocumentAdded);
        }
        if let Some(id) = text.strip_prefix("document ") {
            return number(id).map(Self::DocumentRead);
        }
        if let Some(kind) = text.strip_prefix("letter: ") {
            return kind.parse().ok().map(Self::Letter);
        }
        if let Some(id) = text.strip_prefix("kept apart from candidate ") {
            return number(id).map(Self::KeptApartFrom);
        }
        if let Some(merged) = text.strip_prefix("candidate ").and_then(|t| t.strip_suffix(" application(s)")) {
            let (duplicate, applications) = merged.split_once(" merged in; ")?;
            return Some(Self::MergedIn { duplicate: number(duplicate)?, applications: number(applications)? });
        }
        if let Some(mentions) = text.strip_prefix("comment; ").and_then(|t| t.strip_suffix(" colleague(s) mentioned")) {
            return number(mentions).map(|mentions| Self::Commented { mentions });
        }
        if let Some(count) = text.strip_suffix(" application(s) from a file") {
            return number(count).map(Self::Imported);
        }
        if let Some(received) = text.strip_prefix("job page ").and_then(|t| t.strip_suffix(" document(s)")) {
            let (job, documents) = received.split_once("; ")?;
            return Some(Self::Received { job: job.to_owned(), documents: number(documents)? });
        }
        if let Some(period) =
            text.strip_prefix("anonymised: the retention period of ").and_then(|t| t.strip_suffix(" ended"))
        {
            let (months, talent_pool) = match period.strip_suffix(ANONYMISED_WITH_CONSENT) {
                Some(months) => (months, true),
                None => (period, false),
            };
            return Some(Self::Anonymised { months: number(months.strip_suffix(" months")?)?, talent_pool });
        }
        Self::weight(text)
    }

    fn weight(text: &str) -> Option<Self> {
        let (competency, change) = text.split_once(": ")?;
        let competency = competency.to_owned();
        if change == WEIGHT_RESET {
            return Some(Self::WeightReset { competency });
        }
        let change = change.strip_prefix("weight ")?;
        let (weight, minimum) = match change.split_once(", minimum ") {
            Some((weight, minimum)) => (weight, Some(minimum.parse().ok()?)),
            None => (change, None),
        };
        Some(Self::WeightSet { competency, weight: weight.parse().ok()?, minimum })
    }
}

/// One entry of the trail. Entries are only ever added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `None` once the user is deleted; `actor_name` stays.
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: AuditAction,
    pub subject: AuditSubject,
    pub subject_id: i64,
    /// What changed, in words without personal data ("communication: weight 7, minimum 3").
    pub detail: String,
}

/// Entries that say the same (one actor, one action, one subject, the same detail) within one
/// clock hour, one after another: shown as one line, so that opening a page five times is not
/// five lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRun<'a> {
    /// The newest of them.
    pub entry: &'a AuditEntry,
    pub count: usize,
    pub oldest: DateTime<Utc>,
}

/// `entries` (newest first) as runs of entries that say the same within a clock hour.
pub fn runs(entries: &[AuditEntry]) -> Vec<AuditRun<'_>> {
    let hour = |at: &DateTime<Utc>| at.timestamp().div_euclid(3600);
    let same = |a: &AuditEntry, b: &AuditEntry| {
        (a.actor_id, &a.actor_name, a.action, a.subject, a.subject_id, &a.detail, hour(&a.at))
            == (b.actor_id, &b.actor_name, b.action, b.subject, b.subject_id, &b.detail, hour(&b.at))
    };
    let mut runs: Vec<AuditRun<'_>> = Vec::new();
    for entry in entries {
        match runs.last_mut() {
            Some(run) if same(run.entry, entry) => {
                run.count += 1;
                run.oldest = entry.at;
            }
            _ => runs.push(AuditRun { entry, count: 1, oldest: entry.at }),
        }
    }
    runs
}

/// Which entries to show, as a query string asks for them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries of this action.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<AuditAction>)]
    pub action: Option<String>,
    /// Only entries made by the user with this id.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<i64>, minimum = 1)]
    pub actor: Option<String>,
    /// Only entries about this kind of subject.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<AuditSubject>)]
    pub subject: Option<String>,
    /// Only entries about the subject with this id; needs `subject`.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<i64>, minimum = 1)]
    pub subject_id: Option<String>,
    /// From the start of this day (UTC).
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<NaiveDate>)]
    pub from: Option<String>,
    /// To the end of this day (UTC); not before `from`.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<NaiveDate>)]
    pub to: Option<String>,
}

/// A valid [`AuditQuery`]: every condition given must hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub actor_id: Option<i64>,
    pub subject: Option<(AuditSubject, Option<i64>)>,
    /// From the start of this day (UTC).
    pub from: Option<NaiveDate>,
    /// To the end of this day (UTC).
    pub to: Option<NaiveDate>,
}

impl AuditQuery {
    pub fn parse(&self) -> Result<AuditFilter, FieldErrors> {
        let mut p = FieldParser::default();
        let subject: Option<AuditSubject> = p.optional_choice("subject", &self.subject);
        let subject_id = p.optional_integer("subject_id", &self.subject_id, 1..=i64::MAX);
        let filter = AuditFilter {
            action: p.optional_choice("action", &self.action),
            actor_id: p.optional_integer("actor", &self.actor, 1..=i64::MAX),
            subject: subject.map(|s| (s, subject_id)),
            from: p.optional_date("from", &self.from),
            to: p.optional_date("to", &self.to),
        };
        if subject_id.is_some() && subject.is_none() {
            p.reject("subject", super::input::Problem::Required);
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            p.reject("to", super::input::Problem::EndBeforeStart);
        }
        p.finish(filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> AuditQuery {
        let text = serde_html_form::to_string(pairs).unwrap();
        serde_html_form::from_str(&text).unwrap()
    }

    fn entry(id: i64, at: &str, subject_id: i64) -> AuditEntry {
        AuditEntry {
            id,
            at: at.parse().unwrap(),
            actor_id: Some(1),
            actor_name: "Rikke".into(),
            action: AuditAction::ViewCandidate,
            subject: AuditSubject::Candidate,
            subject_id,
            detail: String::new(),
        }
    }

    #[test]
    fn every_detail_is_read_back_from_the_text_it_is_stored_as() {
        let details = [
            AuditDetail::Nothing,
            AuditDetail::ScorecardSubmitted,
            AuditDetail::DraftSaved,
            AuditDetail::CorrectionStarted,
            AuditDetail::UserAdded(Role::HiringManager),
            AuditDetail::RoleChanged(Role::Admin),
            AuditDetail::Reactivated,
            AuditDetail::Deactivated,
            AuditDetail::PasswordReset,
            AuditDetail::PasswordChanged,
            AuditDetail::PasswordSetOnServer,
            AuditDetail::PasswordResetByLink,
            AuditDetail::InvitationAccepted,
            AuditDetail::TokenMade(12),
            AuditDetail::TokenRevoked(3),
            AuditDetail::WeightSet { competency: "communication".into(), weight: 7, minimum: Some(3) },
            AuditDetail::WeightSet { competency: "reliability".into(), weight: 0, minimum: None },
            AuditDetail::WeightReset { competency: "customer_service".into() },
            AuditDetail::AccessExport,
            AuditDetail::ErasedOnRequest,
            AuditDetail::DocumentRead(41),
            AuditDetail::Decided(Verdict::Offer),
            AuditDetail::Imported(250),
            AuditDetail::Received { job: "account-manager-aarhus".into(), documents: 2 },
            AuditDetail::StageMoved(Stage::Interviewing),
            AuditDetail::Anonymised { months: 6, talent_pool: false },
            AuditDetail::Anonymised { months: 24, talent_pool: true },
            AuditDetail::MergedIn { duplicate: 57, applications: 2 },
            AuditDetail::KeptApartFrom(8),
            AuditDetail::Letter(LetterKind::Invitation),
            AuditDetail::Commented { mentions: 2 },
            AuditDetail::DocumentAdded(DocumentKind::Cv),
        ];
        for detail in details {
            let text = detail.to_string();
            assert_eq!(AuditDetail::read(&text), Some(detail), "{text:?}");
        }
        assert_eq!(AuditDetail::to_string(&AuditDetail::UserAdded(Role::HiringManager)), "added as hiring_manager");
    }

    #[test]
    fn every_agent_is_read_back_from_its_name() {
        for agent in <Agent as strum::VariantArray>::VARIANTS {
            assert_eq!(Agent::read(agent.name()), Some(*agent));
        }
        assert_eq!(Agent::read("Rikke"), None);
    }

    #[test]
    fn a_text_of_no_known_kind_is_not_read_as_one() {
        for text in [
            "stage: nowhere",
            "role: owner",
            "API token x made",
            "document ",
            "communication: weight seven",
            "communication: weight 7, minimum",
            "job page x",
            "anonymised: the retention period of many months ended",
            "something else",
        ] {
            assert_eq!(AuditDetail::read(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_same_entry_within_an_hour_is_one_run() {
        let entries = [
            entry(5, "2026-12-02T14:50:00Z", 7),
            entry(4, "2026-12-02T14:10:00Z", 7),
            entry(3, "2026-12-02T14:05:00Z", 7),
            entry(2, "2026-12-02T13:59:00Z", 7),
            entry(1, "2026-12-02T13:58:00Z", 8),
        ];
        let runs = runs(&entries);
        let shape: Vec<(i64, usize, String)> =
            runs.iter().map(|r| (r.entry.id, r.count, r.oldest.format("%H:%M").to_string())).collect();
        assert_eq!(
            shape,
            [(5, 3, "14:05".to_owned()), (2, 1, "13:59".to_owned()), (1, 1, "13:58".to_owned())],
            "another hour and another subject each start a run"
        );
    }

    #[test]
    fn a_filter_is_parsed_and_each_bad_condition_named() {
        let filter = query(&[
            ("action", "view_candidate"),
            ("subject", "candidate"),
            ("subject_id", "7"),
            ("from", "2026-11-01"),
        ])
        .parse()
        .unwrap();
        assert_eq!(filter.action, Some(AuditAction::ViewCandidate));
        assert_eq!(filter.subject, Some((AuditSubject::Candidate, Some(7))));
        assert_eq!(filter.from, NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(query(&[("action", ""), ("actor", " ")]).parse().unwrap(), AuditFilter::default());
        let fields = |pairs: &[(&str, &str)]| -> Vec<String> {
            query(pairs).parse().unwrap_err().iter().map(|e| e.field.clone()).collect()
        };
        assert_eq!(fields(&[("action", "delete_everything")]), ["action"]);
        assert_eq!(fields(&[("subject_id", "3")]), ["subject"]);
        assert_eq!(fields(&[("actor", "-1"), ("from", "yesterday")]), ["actor", "from"]);
        assert_eq!(fields(&[("from", "2026-11-02"), ("to", "2026-11-01")]), ["to"]);
    }
}
