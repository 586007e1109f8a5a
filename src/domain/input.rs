//! Turning what a person or a client sent into domain values.
//!
//! Forms and JSON bodies arrive as loosely typed input structs (every scalar an optional
//! string, so that a form can be shown again exactly as typed). [`FieldParser`] turns them
//! into domain types and collects every rejected field with the reason, so that one answer
//! names all of them.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use strum::VariantNames;
use validator::Validate;

/// Why a field was rejected. The web layer turns each into a sentence in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: u64,
    },
    TooManyItems {
        max: u64,
    },
    NotAWholeNumber,
    OutOfRange {
        min: i64,
        max: i64,
    },
    UnknownChoice {
        allowed: Vec<String>,
    },
    InvalidEmail,
    InvalidDate,
    /// Not a local date and time as "2026-12-03T10:00".
    InvalidDateTime,
    DateInPast,
    DeadlineAfterStart,
    /// Not an ISO week as "2027-W03", or a week 53 in a year without one.
    InvalidWeek,
    /// A period for a post that is not fixed-term.
    OnlyForFixedTerm,
    /// An interview week that ends before the application deadline, for interviews that are
    /// held after it.
    InterviewsBeforeDeadline,
    /// An interview week that begins after the start date.
    InterviewsAfterStart,
    /// A publication that takes applications after the interview week its ad names.
    OpenAfterInterviews,
    MoreThanEmployees,
    MoreThanAccounts,
    SalaryMinAboveMax,
    SalaryIncomplete,
    InvalidCurrency,
    /// A JSON value of the wrong kind, such as a number where a list belongs.
    WrongType,
    PasswordTooShort {
        min: u64,
    },
    PasswordTooCommon,
    EmailTaken,
    UnknownUser,
    /// A deactivated user, who can no longer interview.
    InactiveUser,
    /// An interviewer not on the application's interview plan.
    NotPlanned,
    NotAHiringManager,
    InvalidPhone,
    InvalidLink,
    /// A time zone that is not an IANA name such as Europe/Copenhagen.
    UnknownTimeZone,
    /// A webhook's address on amfit's own machine or its link's own network.
    WebhookToOwnNetwork,
    DateInFuture,
    /// A day in an application's history before the day it was applied for.
    BeforeApplied,
    AlreadyApplied,
    /// A rating of a competency the interviewer was not assigned.
    NotAssigned,
    EvidenceTooShort,
    /// A decision that cannot apply to the application's stage (a closed one, a second offer).
    VerdictNotPossible,
    /// The end of a period before its start.
    EndBeforeStart,
    /// One of a talent-pool consent's two days without the other.
    ConsentIncomplete,
    ConsentTooLong {
        max_months: i64,
    },
    /// A head-to-head of fewer than 2 or more than 5 candidates.
    HeadToHeadSize {
        min: u64,
        max: u64,
    },
    /// A control character other than tab, line feed or carriage return (a NUL, an escape).
    ControlCharacter,
    /// Not the user's present password.
    WrongPassword,
    /// A change that would leave no active administrator.
    LastAdmin,
    /// An administrator taking away their own administrator role.
    OwnAdminRole,
    /// A user deactivating themselves.
    DeactivatingSelf,
    /// A yes-or-no field given something else.
    NotYesOrNo,
    /// A paging cursor that no page gave.
    InvalidCursor,
    /// A search with no letter or digit in it (only punctuation).
    NothingToSearch,
    /// A search of more words than a search takes.
    TooManyWords {
        max: u64,
    },
    /// An `Idempotency-Key` that is empty, too long, or not visible ASCII.
    InvalidIdempotencyKey {
        max: u64,
    },
    /// An `Idempotency-Key` used before, within its lifetime, for another request.
    IdempotencyKeyReused,
    /// A public address that is not lower-case letters and digits in hyphen-joined runs.
    InvalidSlug {
        min: u64,
        max: u64,
    },
    /// A public address another published ad has.
    SlugTaken,
    /// Publishing an ad whose wording check still has legal findings or "[Mangler: …]" left,
    /// without the confirmation.
    UnresolvedFindings {
        flags: u64,
        placeholders: u64,
    },
    /// A file that is neither a PDF nor a Word document, whatever its name says.
    NotADocument,
    /// A file larger than a document may be.
    DocumentTooLarge {
        max_mb: u64,
    },
    /// A role profile no profile's id or title names.
    UnknownProfile,
    /// A title that more than one role profile has: the id tells them apart.
    AmbiguousProfile,
    /// A row for the same person and profile as an earlier row of the file.
    DuplicateRow {
        line: u64,
    },
    /// A file larger than an import takes.
    FileTooLarge {
        max_kb: u64,
    },
    /// A column every import file needs is not among its headers.
    MissingColumn {
        column: String,
    },
    /// The same column twice in one file.
    RepeatedColumn {
        column: String,
    },
    /// A file that cannot be read as CSV, and why.
    MalformedFile {
        reason: String,
    },
    /// An application chosen on a profile's board that is not one of that profile's.
    NotInThisProfile,
    /// A candidate to merge that is not marked as a possible duplicate of this one.
    NotAPossibleDuplicate,
    /// Two records to merge that applied to one profile, the newer application having moved
    /// on: merging would lose what was done with one of them.
    ApplicationsOverlap,
    /// `{name}` in a letter or a template, where that kind of letter has no such field.
    UnknownField {
        name: String,
        allowed: Vec<String>,
    },
    /// An invitation to an application whose interview has no time yet.
    NoInterviewTime,
    /// A form's own key (which makes a form sent twice count once) that no form of amfit's gave.
    InvalidFormKey,
    /// A form's key that another record's form used.
    FormKeyUsed,
    /// An "@" in a comment followed by no colleague's name or email address.
    UnknownMention {
        text: String,
    },
    /// An "@" in a comment followed by a name two colleagues have.
    AmbiguousMention {
        text: String,
    },
    /// A mention of a colleague who may not read the candidate's comments (yet).
    MentionCannotRead {
        name: String,
    },
}

impl Extend<(&'static str, Problem)> for FieldErrors {
    fn extend<I: IntoIterator<Item = (&'static str, Problem)>>(&mut self, items: I) {
        for (field, problem) in items {
            self.add(field, problem);
        }
    }
}

/// Whether `text` holds a control character that no field accepts: any but tab, line feed and
/// carriage return. They cannot be typed, would be stored differently by the two backends (or
/// not at all: PostgreSQL refuses NUL), and can hide text from a reader.
pub fn has_forbidden_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Whether `c` changes the direction in which the text around it is shown (the embeddings,
/// overrides, isolates and marks of Unicode's bidirectional algorithm). In a file name they make
/// `invoice\u{202E}gpj.pdf` read as `invoicefdp.jpg`.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A rejected field and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
}

/// Every rejected field of one input, at most one reason per field (the first found).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn single(field: &str, problem: Problem) -> Self {
        let mut errors = Self::default();
        errors.add(field, problem);
        errors
    }

    /// Records `problem` for `field` unless the field already has a reason.
    pub fn add(&mut self, field: &str, problem: Problem) {
        if !self.has(field) {
            self.0.push(FieldError { field: field.to_owned(), problem });
        }
    }

    /// The rejections of every input's declared bounds (lengths, list sizes).
    pub fn of_bounds(inputs: &[&dyn Validate]) -> Self {
        let mut errors = Self::default();
        for rejected in inputs.iter().filter_map(|input| input.validate().err()) {
            errors.absorb(rejected.into());
        }
        errors
    }

    /// Adds `other`'s rejections of fields that have none yet.
    fn absorb(&mut self, other: FieldErrors) {
        for FieldError { field, problem } in other.0 {
            self.add(&field, problem);
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn get(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.problem)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
}

impl From<validator::ValidationErrors> for FieldErrors {
    /// Maps the checks the input structs declare with `validator` (lengths).
    fn from(report: validator::ValidationErrors) -> Self {
        let mut errors = Self::default();
        let mut fields: Vec<_> = report.field_errors().into_iter().collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        for (field, field_errors) in fields {
            for error in field_errors {
                let max = error.params.get("max").and_then(|v| v.as_u64());
                let problem = match (error.code.as_ref(), max) {
                    ("too_many", Some(max)) => Problem::TooManyItems { max },
                    (_, Some(max)) => Problem::TooLong { max },
                    _ => Problem::Required,
                };
                errors.add(&field, problem);
            }
        }
        errors
    }
}

/// Parses loosely typed fields into domain values, remembering every rejection.
///
/// Each method returns a usable value even on failure (a default), so a whole domain struct
/// can be built in one expression; [`FieldParser::finish`] then refuses it if anything failed.
#[derive(Debug, Default)]
pub struct FieldParser {
    errors: FieldErrors,
}

impl FieldParser {
    pub fn new(errors: FieldErrors) -> Self {
        Self { errors }
    }

    pub fn reject(&mut self, field: &str, problem: Problem) {
        self.errors.add(field, problem);
    }

    /// True when none of `fields` has been rejected, so a check across them is meaningful.
    pub fn all_valid(&self, fields: &[&str]) -> bool {
        fields.iter().all(|f| !self.errors.has(f))
    }

    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.errors.is_empty() { Ok(value) } else { Err(self.errors) }
    }

    /// Trimmed text that must not be blank.
    pub fn required_text(&mut self, field: &str, value: &Option<String>) -> String {
        match non_blank(value) {
            Some(text) => text,
            None => {
                self.reject(field, Problem::Required);
                String::new()
            }
        }
    }

    /// Trimmed text that must be neither blank nor longer than `max` characters.
    pub fn required_text_within(&mut self, field: &str, value: &Option<String>, max: usize) -> String {
        let text = self.required_text(field, value);
        if text.chars().count() > max {
            self.reject(field, Problem::TooLong { max: max as u64 });
        }
        text
    }

    /// A trimmed, lowercased email address.
    pub fn required_email(&mut self, field: &str, value: &Option<String>) -> String {
        let email = self.required_text(field, value).to_lowercase();
        if !email.is_empty() && !validator::ValidateEmail::validate_email(&email) {
            self.reject(field, Problem::InvalidEmail);
        }
        email
    }

    /// A trimmed email address, `None` when blank.
    pub fn optional_email(&mut self, field: &str, value: &Option<String>) -> Option<String> {
        let email = non_blank(value)?;
        if !validator::ValidateEmail::validate_email(&email) {
            self.reject(field, Problem::InvalidEmail);
        }
        Some(email)
    }

    /// Trimmed text, `None` when blank.
    pub fn optional_text(&mut self, value: &Option<String>) -> Option<String> {
        non_blank(value)
    }

    pub fn required_integer<T>(&mut self, field: &str, value: &Option<String>, range: RangeInclusive<i64>) -> T
    where
        T: TryFrom<i64> + Default,
    {
        if non_blank(value).is_none() {
            self.reject(field, Problem::Required);
            return T::default();
        }
        self.optional_integer(field, value, range).unwrap_or_default()
    }

    pub fn optional_integer<T>(&mut self, field: &str, value: &Option<String>, range: RangeInclusive<i64>) -> Option<T>
    where
        T: TryFrom<i64>,
    {
        let text = non_blank(value)?;
        let Ok(number) = text.parse::<i64>() else {
            self.reject(field, Problem::NotAWholeNumber);
            return None;
        };
        if !range.contains(&number) {
            self.reject(field, Problem::OutOfRange { min: *range.start(), max: *range.end() });
            return None;
        }
        T::try_from(number).ok()
    }

    /// One of the values of a closed set (`snake_case` names, as the API documents them).
    pub fn choice<E>(&mut self, field: &str, value: &Option<String>) -> E
    where
        E: FromStr + VariantNames + Default,
    {
        let Some(text) = non_blank(value) else {
            self.reject(field, Problem::Required);
            return E::default();
        };
        text.parse().unwrap_or_else(|_| {
            self.reject(field, unknown_choice::<E>());
            E::default()
        })
    }

    /// One of the values of a closed set, `None` when blank.
    pub fn optional_choice<E>(&mut self, field: &str, value: &Option<String>) -> Option<E>
    where
        E: FromStr + VariantNames + Default,
    {
        non_blank(value)?;
        Some(self.choice(field, value))
    }

    /// Every entry must be one of the closed set; duplicates collapse.
    pub fn choices<E>(&mut self, field: &str, values: &[String]) -> Vec<E>
    where
        E: FromStr + VariantNames + Ord,
    {
        let mut chosen = Vec::new();
        for text in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            match text.parse() {
                Ok(choice) => chosen.push(choice),
                Err(_) => self.reject(field, unknown_choice::<E>()),
            }
        }
        chosen.sort();
        chosen.dedup();
        chosen
    }

    /// A yes-or-no field: `true` or `on` (a ticked checkbox) for yes; `false` or nothing for no.
    pub fn flag(&mut self, field: &str, value: &Option<String>) -> bool {
        match non_blank(value).as_deref() {
            None | Some("false") => false,
            Some("true" | "on") => true,
            Some(_) => {
                self.reject(field, Problem::NotYesOrNo);
                false
            }
        }
    }

    /// A value of a type that reads itself from text, such as an ISO week; `None` when blank.
    pub fn optional_parsed<T: FromStr>(&mut self, field: &str, value: &Option<String>, problem: Problem) -> Option<T> {
        let text = non_blank(value)?;
        text.parse().inspect_err(|_| self.reject(field, problem)).ok()
    }

    /// An ISO 8601 calendar date (what `<input type="date">` sends), `None` when blank.
    pub fn optional_date(&mut self, field: &str, value: &Option<String>) -> Option<NaiveDate> {
        let text = non_blank(value)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").inspect_err(|_| self.reject(field, Problem::InvalidDate)).ok()
    }
}

/// The version an update was made from, which every update must name.
pub fn parse_version(value: &Option<String>) -> Result<i64, FieldErrors> {
    let mut p = FieldParser::default();
    let version = p.required_integer("version", value, 1..=i64::MAX);
    p.finish(version)
}

/// An update's parsed fields together with its version, or every rejection of both.
pub fn versioned<T>(version: &Option<String>, parsed: Result<T, FieldErrors>) -> Result<(i64, T), FieldErrors> {
    match (parse_version(version), parsed) {
        (Ok(version), Ok(value)) => Ok((version, value)),
        (version, value) => {
            let mut errors = value.err().unwrap_or_default();
            errors.absorb(version.err().unwrap_or_default());
            Err(errors)
        }
    }
}

fn unknown_choice<E: VariantNames>() -> Problem {
    Problem::UnknownChoice { allowed: E::VARIANTS.iter().map(|v| v.to_string()).collect() }
}

fn non_blank(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// Splits comma-separated entries (a form's text field) and keeps the non-blank ones, so
/// `["Retail, Health care"]` and `["Retail", "Health care"]` mean the same list.
pub fn split_list(values: &[String]) -> Vec<String> {
    values.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
}

/// Deserializes a list of scalars of any JSON type (or a form's repeated values) as texts,
/// each as [`lenient_text`] reads one; nulls are left out.
pub fn lenient_texts<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct Item(#[serde(deserialize_with = "lenient_text")] Option<String>);
    let items = Vec::<Item>::deserialize(deserializer)?;
    Ok(items.into_iter().filter_map(|Item(text)| text).collect())
}

/// Deserializes a scalar of any JSON type (or a form value) as text, so that `12`, `"12"`
/// and `"twelve"` all reach [`FieldParser`], which names the field when it is not a number.
pub fn lenient_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(LenientText)
}

struct LenientText;

impl<'de> Visitor<'de> for LenientText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, a number, a boolean or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[derive(Debug, Default, PartialEq, Eq, PartialOrd, Ord, strum::EnumString, strum::VariantNames)]
    #[strum(serialize_all = "snake_case")]
    enum Colour {
        #[default]
        Red,
        DarkBlue,
    }

    #[test]
    fn integers_are_trimmed_range_checked_and_named() {
        let mut p = FieldParser::default();
        assert_eq!(p.required_integer::<u32>("a", &some(" 12 "), 1..=20), 12);
        assert_eq!(p.required_integer::<u32>("b", &some("21"), 1..=20), 0);
        assert_eq!(p.required_integer::<u32>("c", &some("1.5"), 1..=20), 0);
        assert_eq!(p.required_integer::<u32>("d", &some("  "), 1..=20), 0);
        assert_eq!(p.optional_integer::<u32>("e", &None, 1..=20), None);
        let errors = p.finish(()).unwrap_err();
        assert_eq!(errors.get("b"), Some(&Problem::OutOfRange { min: 1, max: 20 }));
        assert_eq!(errors.get("c"), Some(&Problem::NotAWholeNumber));
        assert_eq!(errors.get("d"), Some(&Problem::Required));
        assert!(!errors.has("a") && !errors.has("e"));
    }

    #[test]
    fn choices_accept_only_known_names() {
        let mut p = FieldParser::default();
        assert_eq!(p.choice::<Colour>("ok", &some("dark_blue")), Colour::DarkBlue);
        p.choice::<Colour>("bad", &some("green"));
        let list: Vec<Colour> = p.choices("list", &["red".into(), "red".into(), "".into()]);
        assert_eq!(list, vec![Colour::Red]);
        let errors = p.finish(()).unwrap_err();
        assert_eq!(
            errors.get("bad"),
            Some(&Problem::UnknownChoice { allowed: vec!["red".to_owned(), "dark_blue".to_owned()] })
        );
        assert_eq!(errors.iter().count(), 1);
    }

    #[test]
    fn only_the_first_reason_per_field_is_kept() {
        let mut errors = FieldErrors::default();
        errors.add("x", Problem::Required);
        errors.add("x", Problem::InvalidDate);
        assert_eq!(errors.iter().count(), 1);
        assert_eq!(errors.get("x"), Some(&Problem::Required));
    }

    #[test]
    fn dates_are_iso_calendar_dates() {
        let mut p = FieldParser::default();
        assert_eq!(p.optional_date("d", &some("2027-02-28")), NaiveDate::from_ymd_opt(2027, 2, 28));
        assert_eq!(p.optional_date("e", &some("2027-02-30")), None);
        assert!(p.finish(()).unwrap_err().has("e"));
    }

    #[test]
    fn lists_split_on_commas() {
        let raw = vec!["Retail, Health care".to_owned(), " ".to_owned(), "Energy".to_owned()];
        assert_eq!(split_list(&raw), vec!["Retail", "Health care", "Energy"]);
    }

    #[test]
    fn lenient_text_takes_any_scalar() {
        #[derive(serde::Deserialize)]
        struct Body {
            #[serde(default, deserialize_with = "lenient_text")]
            n: Option<String>,
        }
        let parse = |json: &str| serde_json::from_str::<Body>(json).unwrap().n;
        assert_eq!(parse(r#"{"n": 12}"#), some("12"));
        assert_eq!(parse(r#"{"n": "12"}"#), some("12"));
        assert_eq!(parse(r#"{"n": null}"#), None);
        assert_eq!(parse(r#"{}"#), None);
        assert!(serde_json::from_str::<Body>(r#"{"n": [1]}"#).is_err());
    }
}
