//! Publishing a saved ad version: a public address (its slug) and the days it is open for
//! applications.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::input::{FieldErrors, FieldParser, Problem, lenient_text};
use super::profile::AdLanguage;
use super::search::fold;

pub const SLUG_MIN: usize = 3;
pub const SLUG_MAX: usize = 80;

/// A published ad version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Publication {
    pub id: i64,
    pub profile_id: i64,
    /// The ad version published.
    pub version: i64,
    /// The language that version is written in.
    pub language: AdLanguage,
    /// Its public page is `/jobs/{slug}`.
    pub slug: String,
    /// Open for applications from the start of this day…
    pub open_from: NaiveDate,
    /// …to the end of this one: the application deadline.
    pub open_until: NaiveDate,
    /// The name of who published it; `None` once that user is deleted.
    pub published_by: Option<String>,
    pub published_at: DateTime<Utc>,
}

impl Publication {
    /// Whether applications are taken on `day`.
    pub fn is_open_on(&self, day: NaiveDate) -> bool {
        self.open_from <= day && day <= self.open_until
    }
}

/// A publication as a form or a JSON body asks for it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PublicationInput {
    /// Lower-case letters, digits and hyphens, 3 to 80; made from the title and the company when
    /// not given.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, min_length = 3, max_length = 80, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: Option<String>,
    /// The first day it is open; today when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub from: Option<String>,
    /// The last day it is open; the profile's application deadline when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub until: Option<String>,
    /// `true` to publish although the wording check's legal findings or "[Mangler: …]" remain.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<bool>)]
    pub confirm: Option<String>,
}

/// A checked [`PublicationInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationRequest {
    /// `None`: made from the title and the company.
    pub slug: Option<String>,
    pub open_from: NaiveDate,
    pub open_until: NaiveDate,
    pub confirmed: bool,
}

impl PublicationInput {
    /// Checks the input on `today`, with the profile's `deadline` as the last day when none is
    /// given. `interviews_by`, the last day of the interview week the ad names for interviews
    /// after the deadline, is the last day it may take applications: later ones would apply
    /// after the interviews the page promises them.
    pub fn parse(
        &self,
        today: NaiveDate,
        deadline: Option<NaiveDate>,
        interviews_by: Option<NaiveDate>,
    ) -> Result<PublicationRequest, FieldErrors> {
        let mut p = FieldParser::default();
        let slug = p.optional_text(&self.slug);
        if let Some(problem) = slug.as_deref().and_then(|slug| check_slug(slug).err()) {
            p.reject("slug", problem);
        }
        let open_from = p.optional_date("from", &self.from).unwrap_or(today);
        let open_until = p.optional_date("until", &self.until).or(deadline);
        match open_until {
            // A field keeps its first problem: a malformed date stays the reason.
            None => p.reject("until", Problem::Required),
            Some(until) if until < today => p.reject("until", Problem::DateInPast),
            Some(until) if until < open_from => p.reject("until", Problem::EndBeforeStart),
            Some(until) if interviews_by.is_some_and(|last| until > last) => {
                p.reject("until", Problem::OpenAfterInterviews)
            }
            _ => {}
        }
        let confirmed = p.flag("confirm", &self.confirm);
        let request = PublicationRequest { slug, open_from, open_until: open_until.unwrap_or(open_from), confirmed };
        p.finish(request)
    }
}

/// Whether `slug` is one amfit makes: lower-case letters and digits in hyphen-joined runs.
pub fn check_slug(slug: &str) -> Result<(), Problem> {
    let runs_ok =
        slug.split('-').all(|run| !run.is_empty() && run.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if !(SLUG_MIN..=SLUG_MAX).contains(&slug.len()) || !runs_ok {
        return Err(Problem::InvalidSlug { min: SLUG_MIN as u64, max: SLUG_MAX as u64 });
    }
    Ok(())
}

/// A slug made of `text`: folded ("København" is "kobenhavn"), every other character a hyphen,
/// at most [`SLUG_MAX`] long, never ending in a hyphen.
pub fn slug_of(text: &str) -> String {
    let folded = fold(text);
    let runs: Vec<String> =
        folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|run| !run.is_empty()).map(str::to_owned).collect();
    let mut slug = runs.join("-");
    slug.truncate(SLUG_MAX);
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn input(pairs: &[(&str, &str)]) -> PublicationInput {
        let text = serde_html_form::to_string(pairs).unwrap();
        serde_html_form::from_str(&text).unwrap()
    }

    #[test]
    fn slugs_are_made_readable_and_checked() {
        assert_eq!(
            slug_of("Key Account Manager – Nordlys Digital ApS, København"),
            "key-account-manager-nordlys-digital-aps-kobenhavn"
        );
        assert_eq!(slug_of(&"Ærlig ".repeat(30)).len(), 80);
        assert!(!slug_of(&"Ærlig ".repeat(30)).ends_with('-'));
        assert!(check_slug("account-manager-2").is_ok());
        for bad in ["ab", "Account", "a--b", "-abc", "abc-", "æble-1", "a_b_c", &"a".repeat(81)] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_window_defaults_to_today_and_the_deadline_and_is_checked() {
        let today = day("2026-12-02");
        let parsed = input(&[]).parse(today, Some(day("2027-01-15")), None).unwrap();
        assert_eq!(
            (parsed.open_from, parsed.open_until, parsed.slug, parsed.confirmed),
            (today, day("2027-01-15"), None, false)
        );
        let fields = |pairs: &[(&str, &str)], deadline| -> Vec<String> {
            input(pairs).parse(today, deadline, None).unwrap_err().iter().map(|e| e.field.clone()).collect()
        };
        assert_eq!(fields(&[], None), ["until"], "no deadline, no until");
        assert_eq!(fields(&[("until", "2026-12-01")], None), ["until"], "in the past");
        assert_eq!(fields(&[("from", "2026-12-20"), ("until", "2026-12-10")], None), ["until"]);
        assert_eq!(
            fields(&[("slug", "Ugly Slug"), ("until", "2026-12-10"), ("confirm", "maybe")], None),
            ["slug", "confirm"]
        );
        // Interviews in the week ending 17 January: applications close by then.
        let interviews_by = Some(day("2027-01-17"));
        let late = input(&[("until", "2027-01-20")]).parse(today, None, interviews_by).unwrap_err();
        assert_eq!(late.get("until"), Some(&Problem::OpenAfterInterviews));
        assert!(input(&[("until", "2027-01-17")]).parse(today, None, interviews_by).is_ok());
        assert_eq!(
            input(&[]).parse(today, Some(day("2027-01-24")), interviews_by).unwrap_err().get("until"),
            Some(&Problem::OpenAfterInterviews),
            "a deadline after the week, as the default last day, too"
        );
    }
}
