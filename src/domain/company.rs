//! Companies: the employer a role profile belongs to, and its size band.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::Labelled;
use super::input::{FieldErrors, FieldParser, Problem, lenient_text};
use super::profile::AdLanguage;

pub const NAME_MAX: u64 = 200;
pub const DESCRIPTION_MAX: u64 = 5_000;
pub const EMPLOYEES_MAX: i64 = 10_000_000;

/// Where interviews are held unless a company says otherwise.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::Copenhagen;

/// The EU SME size bands (Commission Recommendation 2003/361/EC), by headcount.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SizeBand {
    /// Fewer than 10 employees.
    Micro,
    /// 10–49 employees.
    Small,
    /// 50–249 employees.
    Medium,
    /// 250 employees or more.
    Large,
}

impl SizeBand {
    pub fn of(employees: u32) -> Self {
        match employees {
            0..=9 => Self::Micro,
            10..=49 => Self::Small,
            50..=249 => Self::Medium,
            _ => Self::Large,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl Labelled for SizeBand {
    fn label_key(&self) -> String {
        format!("size-band-{}", self.as_str())
    }
}

/// What describes a company, valid by construction (see [`CompanyInput::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CompanyDetails {
    pub name: String,
    pub industry: String,
    pub employees: u32,
    pub account_managers: u32,
    /// What the company does, for its ads in Danish.
    pub description_da: Option<String>,
    /// The same for its ads in English: an ad quotes only its own language.
    pub description_en: Option<String>,
    pub location: String,
    /// The company's privacy notice, which its ads point applicants to.
    pub privacy_url: Option<String>,
    /// Where its interviews are held: their times are wall-clock times in this zone.
    #[schema(value_type = String, example = "Europe/Copenhagen")]
    pub time_zone: Tz,
}

impl CompanyDetails {
    pub fn size_band(&self) -> SizeBand {
        SizeBand::of(self.employees)
    }

    /// The description for an ad in `language`, if the company gave one in it.
    pub fn description(&self, language: AdLanguage) -> Option<&str> {
        language.pick(&self.description_da, &self.description_en).as_deref()
    }
}

/// A stored company. `version` grows with each update, so a stale edit can be refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Company {
    pub id: i64,
    pub version: i64,
    #[serde(flatten)]
    pub details: CompanyDetails,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A company as a form or a JSON body sends it: every field optional and loosely typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(default)]
pub struct CompanyInput {
    #[validate(length(max = NAME_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, example = "Nordlys Digital ApS", required = true)]
    pub name: Option<String>,
    #[validate(length(max = NAME_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, example = "Digital agency", required = true)]
    pub industry: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = u32, minimum = 1, maximum = 10_000_000, required = true)]
    pub employees: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = u32, minimum = 1, maximum = 10_000_000, required = true)]
    pub account_managers: Option<String>,
    /// What the company does, in Danish, for its Danish ads.
    #[validate(length(max = DESCRIPTION_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description_da: Option<String>,
    /// The same in English, for its English ads.
    #[validate(length(max = DESCRIPTION_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description_en: Option<String>,
    #[validate(length(max = NAME_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, example = "Aarhus", required = true)]
    pub location: Option<String>,
    /// An http or https address of the company's privacy notice.
    #[validate(length(max = 500))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 500, pattern = "^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/\\S*)?$")]
    pub privacy_url: Option<String>,
    /// The IANA time zone its interviews are held in; Europe/Copenhagen when left out.
    #[validate(length(max = 100))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 100, example = "Europe/Copenhagen")]
    pub time_zone: Option<String>,
    /// The version the change was made from; required when updating.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub version: Option<String>,
}

impl CompanyInput {
    pub fn parse(&self) -> Result<CompanyDetails, FieldErrors> {
        let mut p = FieldParser::new(self.validate().err().map(Into::into).unwrap_or_default());
        let details = CompanyDetails {
            name: p.required_text("name", &self.name),
            industry: p.required_text("industry", &self.industry),
            employees: p.required_integer("employees", &self.employees, 1..=EMPLOYEES_MAX),
            account_managers: p.required_integer("account_managers", &self.account_managers, 1..=EMPLOYEES_MAX),
            description_da: p.optional_text(&self.description_da),
            description_en: p.optional_text(&self.description_en),
            location: p.required_text("location", &self.location),
            privacy_url: p.optional_text(&self.privacy_url),
            time_zone: self.time_zone(&mut p),
        };
        if p.all_valid(&["employees", "account_managers"]) && details.account_managers > details.employees {
            p.reject("account_managers", Problem::MoreThanEmployees);
        }
        if details.privacy_url.as_deref().is_some_and(|url| !super::candidate::is_web_address(url)) {
            p.reject("privacy_url", Problem::InvalidLink);
        }
        p.finish(details)
    }

    fn time_zone(&self, p: &mut FieldParser) -> Tz {
        match p.optional_text(&self.time_zone) {
            None => DEFAULT_TIME_ZONE,
            Some(name) => name.parse().unwrap_or_else(|_| {
                p.reject("time_zone", Problem::UnknownTimeZone);
                DEFAULT_TIME_ZONE
            }),
        }
    }
}

impl From<&CompanyDetails> for CompanyInput {
    /// The form an edit starts from.
    fn from(d: &CompanyDetails) -> Self {
        Self {
            name: Some(d.name.clone()),
            industry: Some(d.industry.clone()),
            employees: Some(d.employees.to_string()),
            account_managers: Some(d.account_managers.to_string()),
            description_da: d.description_da.clone(),
            description_en: d.description_en.clone(),
            location: Some(d.location.clone()),
            privacy_url: d.privacy_url.clone(),
            time_zone: Some(d.time_zone.name().to_owned()),
            version: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CompanyInput {
        CompanyInput {
            name: Some(" Nordlys Digital ".into()),
            industry: Some("Digital agency".into()),
            employees: Some("12".into()),
            account_managers: Some("2".into()),
            description_da: Some("  ".into()),
            description_en: None,
            location: Some("Aarhus".into()),
            privacy_url: None,
            time_zone: None,
            version: None,
        }
    }

    #[test]
    fn a_time_zone_is_an_iana_name_and_copenhagen_when_left_out() {
        assert_eq!(input().parse().unwrap().time_zone, chrono_tz::Europe::Copenhagen);
        let london = CompanyInput { time_zone: Some(" Europe/London ".into()), ..input() };
        assert_eq!(london.parse().unwrap().time_zone, chrono_tz::Europe::London);
        for wrong in ["CET+1", "Europe/Atlantis", "europe/london"] {
            let errors = CompanyInput { time_zone: Some(wrong.into()), ..input() }.parse().unwrap_err();
            assert_eq!(errors.get("time_zone"), Some(&Problem::UnknownTimeZone), "{wrong}");
        }
    }

    #[test]
    fn size_bands_follow_the_eu_sme_thresholds() {
        let cases = [
            (1, SizeBand::Micro),
            (9, SizeBand::Micro),
            (10, SizeBand::Small),
            (49, SizeBand::Small),
            (50, SizeBand::Medium),
            (249, SizeBand::Medium),
            (250, SizeBand::Large),
            (5_000, SizeBand::Large),
        ];
        for (employees, band) in cases {
            assert_eq!(SizeBand::of(employees), band, "{employees} employees");
        }
    }

    #[test]
    fn a_valid_input_is_trimmed_and_typed() {
        let details = input().parse().unwrap();
        assert_eq!(details.name, "Nordlys Digital");
        assert_eq!(details.employees, 12);
        assert_eq!((&details.description_da, &details.description_en), (&None, &None));
        assert_eq!(details.size_band(), SizeBand::Small);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = CompanyInput {
            name: Some("   ".into()),
            industry: Some("x".repeat(201)),
            employees: Some("0".into()),
            account_managers: Some("many".into()),
            description_da: None,
            description_en: Some("d".repeat(5_001)),
            location: None,
            privacy_url: Some("privacy".into()),
            time_zone: Some("Mars/Olympus".into()),
            version: None,
        };
        let errors = bad.parse().unwrap_err();
        assert_eq!(errors.get("name"), Some(&Problem::Required));
        assert_eq!(errors.get("industry"), Some(&Problem::TooLong { max: 200 }));
        assert_eq!(errors.get("time_zone"), Some(&Problem::UnknownTimeZone));
        assert_eq!(errors.get("employees"), Some(&Problem::OutOfRange { min: 1, max: EMPLOYEES_MAX }));
        assert_eq!(errors.get("account_managers"), Some(&Problem::NotAWholeNumber));
        assert_eq!(errors.get("description_en"), Some(&Problem::TooLong { max: 5_000 }));
        assert_eq!(errors.get("privacy_url"), Some(&Problem::InvalidLink));
        assert_eq!(errors.get("location"), Some(&Problem::Required));
    }

    #[test]
    fn employees_are_bounded_and_account_managers_cannot_outnumber_them() {
        let mut too_many = input();
        too_many.employees = Some("10000001".into());
        assert!(too_many.parse().unwrap_err().has("employees"));

        let mut more_ams = input();
        more_ams.account_managers = Some("13".into());
        assert_eq!(more_ams.parse().unwrap_err().get("account_managers"), Some(&Problem::MoreThanEmployees));

        let mut all_ams = input();
        all_ams.account_managers = Some("12".into());
        assert!(all_ams.parse().is_ok());
    }

    #[test]
    fn an_edit_form_round_trips() {
        let details = input().parse().unwrap();
        assert_eq!(CompanyInput::from(&details).parse().unwrap(), details);
    }
}
