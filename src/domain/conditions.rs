//! What a profile states that its client mix and rubric do not: the hard requirements a
//! recruiter writes in (experience, education, languages, a driving licence) and the terms a
//! Danish ad is expected to give (pension, bonus or commission, whom the job reports to, how
//! long a fixed-term post lasts, when interviews are held, an invitation to every qualified
//! applicant).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;
use validator::Validate;

use super::input::{FieldParser, Problem, lenient_text};
use super::profile::AdLanguage;

/// The longest education or reporting-line text: a phrase, not a paragraph.
pub const PHRASE_MAX: u64 = 200;
/// Years of experience an ad can ask for; beyond this the requirement excludes by age in effect.
const EXPERIENCE_YEARS_MAX: i64 = 15;
const PENSION_PERCENT_MAX: i64 = 30;
/// The longest fixed-term post an ad announces: five years is already more than a substitute's.
pub const FIXED_TERM_MONTHS_MAX: i64 = 60;

named_choice!(
    /// How well an applicant must speak and write a language. Mother tongue is not a level: it
    /// asks for a national origin, which an ad may not (forskelsbehandlingsloven).
    LanguageLevel, "language-level" { Conversational, Business, Fluent }
);
named_choice!(
    /// Pay on top of the salary.
    VariablePay, "variable-pay" { Bonus, Commission }
);
named_choice!(
    /// The languages an ad can require, in the order it names them.
    SpokenLanguage, "spoken-language" { Da, En, De, Sv, No, Fr }
);

impl SpokenLanguage {
    /// The language's name inside a sentence of an ad in `language`.
    pub fn name(self, language: AdLanguage) -> &'static str {
        use SpokenLanguage::*;
        match (language, self) {
            (AdLanguage::Da, Da) => "dansk",
            (AdLanguage::Da, En) => "engelsk",
            (AdLanguage::Da, De) => "tysk",
            (AdLanguage::Da, Sv) => "svensk",
            (AdLanguage::Da, No) => "norsk",
            (AdLanguage::Da, Fr) => "fransk",
            (AdLanguage::En, Da) => "Danish",
            (AdLanguage::En, En) => "English",
            (AdLanguage::En, De) => "German",
            (AdLanguage::En, Sv) => "Swedish",
            (AdLanguage::En, No) => "Norwegian",
            (AdLanguage::En, Fr) => "French",
        }
    }
}

/// The level required of each language; a language without one is not asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct LanguageLevels {
    #[serde(rename = "language_da")]
    pub da: Option<LanguageLevel>,
    #[serde(rename = "language_en")]
    pub en: Option<LanguageLevel>,
    #[serde(rename = "language_de")]
    pub de: Option<LanguageLevel>,
    #[serde(rename = "language_sv")]
    pub sv: Option<LanguageLevel>,
    #[serde(rename = "language_no")]
    pub no: Option<LanguageLevel>,
    #[serde(rename = "language_fr")]
    pub fr: Option<LanguageLevel>,
}

impl LanguageLevels {
    /// The required languages with their levels, in [`SpokenLanguage`] order.
    pub fn required(&self) -> Vec<(SpokenLanguage, LanguageLevel)> {
        use SpokenLanguage::*;
        [(Da, self.da), (En, self.en), (De, self.de), (Sv, self.sv), (No, self.no), (Fr, self.fr)]
            .into_iter()
            .filter_map(|(language, level)| Some((language, level?)))
            .collect()
    }
}

/// What the recruiter requires beyond the rubric's competencies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct HardRequirements {
    /// Years of experience with clients, at least.
    pub experience_years: Option<u8>,
    /// The education asked for, as the Danish ad phrases it after "Du har".
    pub education_da: Option<String>,
    /// The same for the English ad, after "You have".
    pub education_en: Option<String>,
    #[serde(flatten)]
    pub languages: LanguageLevels,
    pub driving_licence: bool,
}

impl HardRequirements {
    /// How many requirements an ad lists for these: the languages share one.
    pub fn listed(&self) -> usize {
        let education = self.education_da.is_some() || self.education_en.is_some();
        let languages = !self.languages.required().is_empty();
        [self.experience_years.is_some(), education, languages, self.driving_licence]
            .into_iter()
            .filter(|&set| set)
            .count()
    }

    pub fn education(&self, language: AdLanguage) -> Option<&str> {
        language.pick(&self.education_da, &self.education_en).as_deref()
    }
}

/// The terms of the job beyond hours, salary and employment type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct JobTerms {
    /// The employer's pension contribution, in percent of the salary.
    pub pension_percent: Option<u8>,
    pub variable_pay: Option<VariablePay>,
    /// Whom the job reports to, as the Danish ad names them after "Du refererer til".
    pub reports_to_da: Option<String>,
    /// The same for the English ad, after "You report to".
    pub reports_to_en: Option<String>,
    /// The job's title as the Danish ad names it, when the profile's title is not Danish.
    pub title_da: Option<String>,
    /// The same for the English ad.
    pub title_en: Option<String>,
    /// How long a fixed-term post lasts.
    pub fixed_term_months: Option<u8>,
    /// The week interviews are expected to be held, as the ad announces it ("uge 3").
    #[schema(value_type = Option<String>, pattern = r"^\d{4}-W\d{2}$", example = "2027-W03")]
    pub interview_week: Option<IsoWeek>,
    /// The ad invites every qualified applicant, whatever their age, gender, religion,
    /// disability or ethnic background.
    pub invite_all: bool,
}

impl JobTerms {
    pub fn reports_to(&self, language: AdLanguage) -> Option<&str> {
        language.pick(&self.reports_to_da, &self.reports_to_en).as_deref()
    }

    pub fn title(&self, language: AdLanguage) -> Option<&str> {
        language.pick(&self.title_da, &self.title_en).as_deref()
    }
}

/// A week as ISO 8601 numbers it ("2027-W03"), the way Danish ads name a week: "uge 3".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoWeek {
    monday: NaiveDate,
}

impl IsoWeek {
    /// The week `date` falls in.
    pub fn containing(date: NaiveDate) -> Self {
        Self { monday: date.week(Weekday::Mon).first_day() }
    }

    pub fn number(self) -> u32 {
        self.monday.iso_week().week()
    }

    pub fn monday(self) -> NaiveDate {
        self.monday
    }

    pub fn sunday(self) -> NaiveDate {
        self.monday + chrono::Days::new(6)
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let week = self.monday.iso_week();
        write!(f, "{:04}-W{:02}", week.year(), week.week())
    }
}

impl FromStr for IsoWeek {
    type Err = ();

    /// "2027-W03"; a week 53 only in a year that has one.
    fn from_str(text: &str) -> Result<Self, ()> {
        let (year, week) = text.split_once("-W").ok_or(())?;
        let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(week, 2) {
            return Err(());
        }
        let (year, week) = (year.parse().map_err(|_| ())?, week.parse().map_err(|_| ())?);
        let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or(())?;
        Ok(Self { monday })
    }
}

impl Serialize for IsoWeek {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoWeek {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|()| serde::de::Error::custom(format!("not an ISO week such as 2027-W03: {text}")))
    }
}

/// The hard requirements and terms as a form or JSON body sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(default)]
pub struct ConditionsInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<u8>, minimum = 1, maximum = 15)]
    pub experience_years: Option<String>,
    #[validate(length(max = PHRASE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 200, example = "en merkantil uddannelse eller tilsvarende erfaring")]
    pub education_da: Option<String>,
    #[validate(length(max = PHRASE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 200, example = "a degree in business or equivalent experience")]
    pub education_en: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<LanguageLevel>)]
    pub language_da: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<LanguageLevel>)]
    pub language_en: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<LanguageLevel>)]
    pub language_de: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<LanguageLevel>)]
    pub language_sv: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<LanguageLevel>)]
    pub language_no: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<LanguageLevel>)]
    pub language_fr: Option<String>,
    /// `false` when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<bool>)]
    pub driving_licence: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<u8>, minimum = 1, maximum = 30)]
    pub pension_percent: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<VariablePay>)]
    pub variable_pay: Option<String>,
    #[validate(length(max = PHRASE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 200, example = "salgsdirektøren")]
    pub reports_to_da: Option<String>,
    #[validate(length(max = PHRASE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 200, example = "the Head of Sales")]
    pub reports_to_en: Option<String>,
    #[validate(length(max = PHRASE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 200, example = "Account manager")]
    pub title_da: Option<String>,
    #[validate(length(max = PHRASE_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 200, example = "Account Manager")]
    pub title_en: Option<String>,
    /// Only for a fixed-term post.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<u8>, minimum = 1, maximum = 60)]
    pub fixed_term_months: Option<String>,
    /// An ISO week, "2027-W03"; not before the week of the application deadline unless
    /// interviews are held as applications come.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, pattern = r"^\d{4}-W\d{2}$", example = "2027-W03")]
    pub interview_week: Option<String>,
    /// `false` when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<bool>)]
    pub invite_all: Option<String>,
}

impl ConditionsInput {
    pub fn parse_requirements(&self, p: &mut FieldParser) -> HardRequirements {
        HardRequirements {
            experience_years: p.optional_integer("experience_years", &self.experience_years, 1..=EXPERIENCE_YEARS_MAX),
            education_da: p.optional_text(&self.education_da),
            education_en: p.optional_text(&self.education_en),
            languages: LanguageLevels {
                da: p.optional_choice("language_da", &self.language_da),
                en: p.optional_choice("language_en", &self.language_en),
                de: p.optional_choice("language_de", &self.language_de),
                sv: p.optional_choice("language_sv", &self.language_sv),
                no: p.optional_choice("language_no", &self.language_no),
                fr: p.optional_choice("language_fr", &self.language_fr),
            },
            driving_licence: p.flag("driving_licence", &self.driving_licence),
        }
    }

    pub fn parse_terms(&self, p: &mut FieldParser) -> JobTerms {
        JobTerms {
            pension_percent: p.optional_integer("pension_percent", &self.pension_percent, 1..=PENSION_PERCENT_MAX),
            variable_pay: p.optional_choice("variable_pay", &self.variable_pay),
            reports_to_da: p.optional_text(&self.reports_to_da),
            reports_to_en: p.optional_text(&self.reports_to_en),
            title_da: p.optional_text(&self.title_da),
            title_en: p.optional_text(&self.title_en),
            fixed_term_months: p.optional_integer(
                "fixed_term_months",
                &self.fixed_term_months,
                1..=FIXED_TERM_MONTHS_MAX,
            ),
            interview_week: p.optional_parsed("interview_week", &self.interview_week, Problem::InvalidWeek),
            invite_all: p.flag("invite_all", &self.invite_all),
        }
    }

    /// The form an edit starts from.
    pub fn of(requirements: &HardRequirements, terms: &JobTerms) -> Self {
        let number = |n: Option<u8>| n.map(|n| n.to_string());
        let level = |l: Option<LanguageLevel>| l.map(|l| l.as_str().to_owned());
        let flag = |set: bool| set.then(|| "true".to_owned());
        let languages = &requirements.languages;
        Self {
            experience_years: number(requirements.experience_years),
            education_da: requirements.education_da.clone(),
            education_en: requirements.education_en.clone(),
            language_da: level(languages.da),
            language_en: level(languages.en),
            language_de: level(languages.de),
            language_sv: level(languages.sv),
            language_no: level(languages.no),
            language_fr: level(languages.fr),
            driving_licence: flag(requirements.driving_licence),
            pension_percent: number(terms.pension_percent),
            variable_pay: terms.variable_pay.map(|pay| pay.as_str().to_owned()),
            reports_to_da: terms.reports_to_da.clone(),
            reports_to_en: terms.reports_to_en.clone(),
            title_da: terms.title_da.clone(),
            title_en: terms.title_en.clone(),
            fixed_term_months: number(terms.fixed_term_months),
            interview_week: terms.interview_week.map(|week| week.to_string()),
            invite_all: flag(terms.invite_all),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::input::{FieldErrors, Problem};

    fn parsed(input: &ConditionsInput) -> Result<(HardRequirements, JobTerms), FieldErrors> {
        let mut p = FieldParser::new(FieldErrors::of_bounds(&[input]));
        let parsed = (input.parse_requirements(&mut p), input.parse_terms(&mut p));
        p.finish(parsed)
    }

    #[test]
    fn a_full_input_round_trips_through_the_edit_form() {
        let text = |s: &str| Some(s.to_owned());
        let input = ConditionsInput {
            experience_years: text("3"),
            education_da: text(" en merkantil uddannelse "),
            language_da: text("fluent"),
            language_de: text("conversational"),
            driving_licence: text("on"),
            pension_percent: text("10"),
            variable_pay: text("commission"),
            reports_to_en: text("the Head of Sales"),
            invite_all: text("true"),
            ..ConditionsInput::default()
        };
        let (requirements, terms) = parsed(&input).unwrap();
        assert_eq!(requirements.education(AdLanguage::Da), Some("en merkantil uddannelse"));
        assert_eq!(
            requirements.languages.required(),
            [(SpokenLanguage::Da, LanguageLevel::Fluent), (SpokenLanguage::De, LanguageLevel::Conversational)]
        );
        assert!(requirements.driving_licence && terms.invite_all);
        assert_eq!((terms.pension_percent, terms.variable_pay), (Some(10), Some(VariablePay::Commission)));
        assert_eq!(parsed(&ConditionsInput::of(&requirements, &terms)).unwrap(), (requirements, terms));
    }

    #[test]
    fn nothing_given_asks_for_nothing() {
        let (requirements, terms) = parsed(&ConditionsInput::default()).unwrap();
        assert_eq!((requirements, terms), (HardRequirements::default(), JobTerms::default()));
    }

    #[test]
    fn every_bad_field_is_named() {
        let text = |s: &str| Some(s.to_owned());
        let input = ConditionsInput {
            experience_years: text("40"),
            education_en: Some("x".repeat(201)),
            language_sv: text("native"),
            driving_licence: text("maybe"),
            pension_percent: text("ten"),
            variable_pay: text("shares"),
            invite_all: text("2"),
            ..ConditionsInput::default()
        };
        let errors = parsed(&input).unwrap_err();
        assert_eq!(errors.get("experience_years"), Some(&Problem::OutOfRange { min: 1, max: 15 }));
        assert_eq!(errors.get("education_en"), Some(&Problem::TooLong { max: 200 }));
        assert!(matches!(errors.get("language_sv"), Some(Problem::UnknownChoice { .. })));
        assert_eq!(errors.get("driving_licence"), Some(&Problem::NotYesOrNo));
        assert_eq!(errors.get("invite_all"), Some(&Problem::NotYesOrNo));
        assert_eq!(errors.get("pension_percent"), Some(&Problem::NotAWholeNumber));
        assert!(matches!(errors.get("variable_pay"), Some(Problem::UnknownChoice { .. })));
    }

    #[test]
    fn an_iso_week_reads_back_as_it_is_written() {
        for text in ["2026-W53", "2027-W01", "0999-W10"] {
            let week: IsoWeek = text.parse().unwrap();
            assert_eq!(week.to_string(), text);
            let json = serde_json::to_string(&week).unwrap();
            assert_eq!(serde_json::from_str::<IsoWeek>(&json).unwrap(), week, "{json}");
        }
        let week: IsoWeek = "2026-W53".parse().unwrap();
        assert_eq!((week.monday().to_string(), week.sunday().to_string()), ("2026-12-28".into(), "2027-01-03".into()));
        assert_eq!(IsoWeek::containing(week.sunday()), week);
        for bad in ["2027-W53", "2027-W00", "2027-W3", "27-W03", "2027W03", "2027-w03", "+027-W03", ""] {
            assert!(bad.parse::<IsoWeek>().is_err(), "{bad}");
        }
    }
}
