//! The audit trail: who saw or changed what, and when. Entries name their subject by id and
//! never hold a candidate's personal data, so that erasing a candidate leaves the trail whole.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::input::{FieldErrors, FieldParser, lenient_text};

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
    }
);
named_choice!(
    /// What an entry is about.
    AuditSubject, "subject" { Candidate, Application, Profile, Interview, User }
);

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
