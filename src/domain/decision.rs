//! Hiring decisions: the profile's hiring manager moves a candidate on or out, always with a
//! reason, and the history keeps who decided what and when.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::candidate::Stage;
use super::input::{FieldErrors, FieldParser, Problem, lenient_text};

pub const REASON_MAX: usize = 2_000;

named_choice!(
    /// What a hiring manager decides about one candidate.
    Verdict, "verdict" { Advance, Reject, Offer, Hire }
);

impl Verdict {
    /// The stage the application moves to, or `None` when the verdict cannot apply to an
    /// application at `current` (nothing follows an offer but a hire; a closed one stays closed).
    pub fn next_stage(self, current: Stage) -> Option<Stage> {
        if current.is_closed() {
            return None;
        }
        match self {
            Verdict::Advance => match current {
                Stage::Applied => Some(Stage::Screening),
                Stage::Screening => Some(Stage::Interviewing),
                Stage::Interviewing => Some(Stage::Offer),
                Stage::Offer | Stage::Hired | Stage::Rejected => None,
            },
            Verdict::Reject => Some(Stage::Rejected),
            Verdict::Offer => (current != Stage::Offer).then_some(Stage::Offer),
            Verdict::Hire => Some(Stage::Hired),
        }
    }
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Decision {
    pub id: i64,
    pub application_id: i64,
    pub verdict: Verdict,
    pub reason: String,
    /// The stage the decision moved the application to.
    pub stage: Stage,
    /// The name of who decided; `None` once that user is gone.
    pub decided_by: Option<String>,
    pub decided_at: DateTime<Utc>,
}

/// A decision as a form or a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Verdict, required = true)]
    pub verdict: Option<String>,
    /// Why: required, so that the history explains itself.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 2000, required = true)]
    pub reason: Option<String>,
}

impl DecisionInput {
    /// The verdict, the reason and the stage it leads to from `current`.
    pub fn parse(&self, current: Stage) -> Result<(Verdict, String, Stage), FieldErrors> {
        let mut p = FieldParser::default();
        let verdict: Verdict = p.choice("verdict", &self.verdict);
        let reason = p.required_text("reason", &self.reason);
        if reason.chars().count() > REASON_MAX {
            p.reject("reason", Problem::TooLong { max: REASON_MAX as u64 });
        }
        let stage = if p.all_valid(&["verdict"]) {
            verdict.next_stage(current).unwrap_or_else(|| {
                p.reject("verdict", Problem::VerdictNotPossible);
                current
            })
        } else {
            current
        };
        p.finish((verdict, reason, stage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(verdict: &str, reason: &str) -> DecisionInput {
        DecisionInput { verdict: Some(verdict.into()), reason: Some(reason.into()) }
    }

    #[test]
    fn each_verdict_leads_to_its_stage() {
        let reason = "Strong on every must-have.";
        assert_eq!(input("advance", reason).parse(Stage::Applied).unwrap().2, Stage::Screening);
        assert_eq!(input("advance", reason).parse(Stage::Interviewing).unwrap().2, Stage::Offer);
        assert_eq!(input("reject", reason).parse(Stage::Screening).unwrap().2, Stage::Rejected);
        assert_eq!(input("offer", reason).parse(Stage::Interviewing).unwrap().2, Stage::Offer);
        assert_eq!(input("hire", reason).parse(Stage::Offer).unwrap().2, Stage::Hired);
    }

    #[test]
    fn a_decision_needs_a_reason_and_a_known_verdict() {
        let errors = input("advance", "   ").parse(Stage::Applied).unwrap_err();
        assert_eq!(errors.get("reason"), Some(&Problem::Required));
        let errors = input("maybe", "Because.").parse(Stage::Applied).unwrap_err();
        assert!(matches!(errors.get("verdict"), Some(Problem::UnknownChoice { .. })));
        let long = "x".repeat(REASON_MAX + 1);
        assert!(input("reject", &long).parse(Stage::Applied).unwrap_err().has("reason"));
    }

    #[test]
    fn closed_applications_and_impossible_moves_are_refused() {
        for stage in [Stage::Hired, Stage::Rejected] {
            for verdict in ["advance", "reject", "offer", "hire"] {
                let errors = input(verdict, "Reconsidered.").parse(stage).unwrap_err();
                assert_eq!(errors.get("verdict"), Some(&Problem::VerdictNotPossible), "{verdict} at {stage:?}");
            }
        }
        assert!(input("advance", "Next.").parse(Stage::Offer).is_err(), "after an offer comes a hire");
        assert!(input("offer", "Again.").parse(Stage::Offer).is_err(), "an offer is made once");
    }
}
