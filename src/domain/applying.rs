//! Applying on a published ad's page: what the candidate types in, checked.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::candidate::{CandidateDetails, CandidateInput};
use super::input::{FieldErrors, FieldParser, Problem, has_forbidden_control};
use super::retention::{ConsentGivenVia, TalentPoolConsent};

/// The longest message a candidate may write with their application.
pub const MESSAGE_MAX: usize = 3_000;
/// The longest source kept from a job page link (`?source=`); a longer one is cut.
const SOURCE_MAX: usize = 100;
/// How long a talent-pool consent given on the form runs; the form's text says so.
pub const CONSENT_MONTHS: u32 = 12;

/// The text fields of the application form, as typed, so that the form can show them again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplicationForm {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub message: Option<String>,
    /// The talent-pool box, ticked (`Some`) or not.
    pub talent_pool: Option<String>,
    /// Where the candidate came from, carried from the page's `?source=`.
    pub source: Option<String>,
    /// A field people never see and robots fill in: an application with it is not kept.
    pub website: Option<String>,
}

/// An application checked: the candidate's details, their message and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedApplication {
    pub details: CandidateDetails,
    pub message: Option<String>,
    pub source: Option<String>,
}

impl ApplicationForm {
    /// Whether the candidate agreed to the talent pool: the box ticked (`true`; `on` and `yes`
    /// as other forms send it) or not (left out, empty, `false`, `off`, `no`); `None` for any
    /// other value, which says neither.
    fn consents(&self) -> Option<bool> {
        let said = self.talent_pool.as_deref().map(|value| value.trim().to_lowercase());
        match said.as_deref() {
            None | Some("" | "false" | "off" | "no") => Some(false),
            Some("true" | "on" | "yes") => Some(true),
            Some(_) => None,
        }
    }

    /// Whether the hidden field was filled in: by a robot, since people cannot see it.
    pub fn is_from_a_robot(&self) -> bool {
        self.website.as_deref().is_some_and(|text| !text.trim().is_empty())
    }

    /// The application, checked as a recruiter's entry of the candidate is (name, email
    /// address, phone), with the message and the consent; every field's problem at once.
    pub fn check(&self, today: NaiveDate) -> Result<CheckedApplication, FieldErrors> {
        let source = source_of(self.source.as_deref());
        let as_entered = CandidateInput {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            ..CandidateInput::default()
        };
        let (details, mut errors) = match as_entered.parse(today) {
            Ok(details) => (Some(details), FieldErrors::default()),
            Err(errors) => (None, errors),
        };
        let typed = [("name", &self.name), ("email", &self.email), ("phone", &self.phone), ("message", &self.message)];
        for (field, value) in typed {
            if value.as_deref().is_some_and(has_forbidden_control) {
                errors.add(field, Problem::ControlCharacter);
            }
        }
        let message = FieldParser::default().optional_text(&self.message);
        if message.as_ref().is_some_and(|m| m.chars().count() > MESSAGE_MAX) {
            errors.add("message", Problem::TooLong { max: MESSAGE_MAX as u64 });
        }
        let consented = self.consents();
        if consented.is_none() {
            errors.add("talent_pool", Problem::UnknownChoice { allowed: vec!["true".to_owned()] });
        }
        match details {
            Some(details) if errors.is_empty() => {
                let talent_pool = consented.unwrap_or_default().then(|| consent_from(today));
                Ok(CheckedApplication {
                    details: CandidateDetails { source: source.clone(), talent_pool, ..details },
                    message,
                    source,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A consent given today on the form, for [`CONSENT_MONTHS`].
pub fn consent_from(today: NaiveDate) -> TalentPoolConsent {
    let until = today.checked_add_months(Months::new(CONSENT_MONTHS)).unwrap_or(NaiveDate::MAX);
    TalentPoolConsent { given_on: today, until, given_via: Some(ConsentGivenVia::ApplicationForm) }
}

/// The source a job page link named, tidied: it comes from whoever made the link, not from the
/// candidate, so a bad one is cut to size rather than refusing their application.
pub fn source_of(sent: Option<&str>) -> Option<String> {
    let tidy: String = sent?.chars().filter(|c| !c.is_control()).take(SOURCE_MAX).collect();
    let tidy = tidy.trim();
    (!tidy.is_empty()).then(|| tidy.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    fn form() -> ApplicationForm {
        ApplicationForm {
            name: Some(" Sofie Vestergaard ".into()),
            email: Some("Sofie@Example.DK".into()),
            phone: Some("+45 20 30 40 50".into()),
            message: Some("I have kept key clients for seven years.".into()),
            source: Some("jobindex".into()),
            ..ApplicationForm::default()
        }
    }

    #[test]
    fn a_good_application_is_checked_and_tidied() {
        let checked = form().check(today()).unwrap();
        assert_eq!(checked.details.name, "Sofie Vestergaard");
        assert_eq!(checked.details.email, "sofie@example.dk");
        assert_eq!(checked.source.as_deref(), Some("jobindex"));
        assert_eq!(checked.details.source.as_deref(), Some("jobindex"));
        assert_eq!(checked.details.talent_pool, None, "the box starts unticked");
        for unsaid in [None, Some(""), Some("false"), Some("No")] {
            let left = ApplicationForm { talent_pool: unsaid.map(String::from), ..form() }.check(today()).unwrap();
            assert_eq!(left.details.talent_pool, None);
        }
        for neither in ["0", "maybe", "ja"] {
            let refused = ApplicationForm { talent_pool: Some(neither.into()), ..form() }.check(today()).unwrap_err();
            assert!(refused.has("talent_pool"), "{neither} is no consent, and not taken as none either");
        }
        let ticked = ApplicationForm { talent_pool: Some("true".into()), ..form() }.check(today()).unwrap();
        let consent = ticked.details.talent_pool.unwrap();
        assert_eq!((consent.given_on, consent.until), (today(), NaiveDate::from_ymd_opt(2027, 12, 2).unwrap()));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = ApplicationForm {
            name: Some("  ".into()),
            email: Some("not an address".into()),
            phone: Some("call me".into()),
            message: Some("x".repeat(MESSAGE_MAX + 1)),
            ..ApplicationForm::default()
        };
        let errors = bad.check(today()).unwrap_err();
        for field in ["name", "email", "phone", "message"] {
            assert!(errors.has(field), "{field} is named: {errors:?}");
        }
        let nul = ApplicationForm { message: Some("a\u{0}b".into()), ..form() }.check(today()).unwrap_err();
        assert!(nul.has("message"));
    }

    #[test]
    fn a_robot_fills_the_hidden_field() {
        assert!(!form().is_from_a_robot());
        assert!(!ApplicationForm { website: Some(" ".into()), ..form() }.is_from_a_robot());
        assert!(ApplicationForm { website: Some("http://spam.example".into()), ..form() }.is_from_a_robot());
    }

    #[test]
    fn a_links_source_is_cut_to_size_not_refused() {
        assert_eq!(source_of(Some("  linkedin ")), Some("linkedin".into()));
        assert_eq!(source_of(Some("a\u{1b}b")), Some("ab".into()));
        assert_eq!(source_of(Some(&"s".repeat(500))).map(|s| s.len()), Some(SOURCE_MAX));
        assert_eq!(source_of(Some("   ")), None);
        assert_eq!(source_of(None), None);
    }
}
