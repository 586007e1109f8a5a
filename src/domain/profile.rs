//! Role profiles: one account-manager job as it really is at one company.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::Labelled;
use super::company::NAME_MAX;
use super::conditions::{ConditionsInput, HardRequirements, IsoWeek, JobTerms};
use super::input::{FieldErrors, FieldParser, Problem, lenient_text, split_list};

pub const ACCOUNTS_MAX: i64 = 1_000;
pub const INDUSTRIES_MAX: u64 = 20;
pub const INDUSTRY_NAME_MAX: u64 = 100;
pub const SALARY_MAX: i64 = 100_000_000;
const CONTACT_MAX: u64 = 200;

named_choice!(
    /// The language the job ad is written in.
    AdLanguage, "language" { Da, En }
);

impl AdLanguage {
    /// The language an ad in this one is not written in.
    pub fn other(self) -> Self {
        match self {
            AdLanguage::Da => AdLanguage::En,
            AdLanguage::En => AdLanguage::Da,
        }
    }

    /// Of a thing given per language, the one in this language.
    pub fn pick<'a, T: ?Sized>(self, da: &'a T, en: &'a T) -> &'a T {
        match self {
            AdLanguage::Da => da,
            AdLanguage::En => en,
        }
    }
}
named_choice!(
    /// How large the account manager's typical client is.
    ClientSize, "client-size" { SmallBusiness, MidMarket, Enterprise }
);
named_choice!(
    /// Where the role's weight lies between keeping accounts and growing them.
    GrowthFocus, "growth-focus" { Retain, MostlyRetain, Balanced, MostlyGrow, Grow }
);
named_choice!(
    /// How often the account manager meets each client.
    MeetingCadence, "cadence" { Weekly, Monthly, Quarterly, AdHoc }
);
named_choice!(
    /// How often the account manager presents to clients.
    PresentationFrequency, "presenting" { Rarely, Sometimes, Often }
);
named_choice!(
    /// Where the work is done.
    RemoteOption, "remote" { OnSite, Hybrid, Remote }
);
named_choice!(
    /// Whether the job is permanent or for a fixed term (a maternity cover, a project).
    Employment, "employment" { Permanent, FixedTerm }
);
named_choice!(
    /// When candidates are called to interviews: after the deadline, or as applications come in
    /// ("vi indkalder løbende til samtaler"), which tells applicants not to wait.
    Interviewing, "interviewing" { AfterDeadline, AsApplicationsCome }
);
named_choice!(
    /// The period a salary band is quoted for.
    SalaryPeriod, "salary-period" { Month, Year }
);
named_choice!(
    /// Duties that an account manager may have besides looking after clients.
    Duty, "duty" {
        DeliverySalesLiaison,
        UpsellCrossSellTargets,
        NewClientAcquisition,
        Renewals,
        Onboarding,
        Reporting,
    }
);

/// How accounts are split between account managers, derived from the client mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AccountModel {
    /// Many smaller accounts each: breadth, prioritisation and efficiency.
    Portfolio,
    /// A few key accounts plus a tail of smaller ones.
    Mixed,
    /// One or a few large clients each: depth and strategic account planning.
    KeyAccount,
}

impl Labelled for AccountModel {
    fn label_key(&self) -> String {
        format!("account-model-{}", <&str>::from(*self))
    }
}

/// The clients one account manager looks after, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ClientMix {
    pub accounts_per_manager: u32,
    pub key_accounts_per_manager: u32,
    pub typical_client_size: ClientSize,
    /// The clients' industries in Danish, for the Danish ads.
    pub client_industries_da: Vec<String>,
    /// The same in English: an ad names them only in its own language.
    pub client_industries_en: Vec<String>,
    pub growth_focus: GrowthFocus,
    pub meeting_cadence: MeetingCadence,
    pub presentation_frequency: PresentationFrequency,
    /// Share of working time spent travelling, in per cent.
    pub travel_share: u8,
}

/// A list of industries as a form or a body sends it, each checked.
fn industries(p: &mut FieldParser, field: &str, sent: &[String]) -> Vec<String> {
    let industries = split_list(sent);
    if industries.len() as u64 > INDUSTRIES_MAX {
        p.reject(field, Problem::TooManyItems { max: INDUSTRIES_MAX });
    }
    if industries.iter().any(|i| i.chars().count() as u64 > INDUSTRY_NAME_MAX) {
        p.reject(field, Problem::TooLong { max: INDUSTRY_NAME_MAX });
    }
    industries
}

impl ClientMix {
    /// The clients' industries as an ad in `language` names them.
    pub fn client_industries(&self, language: AdLanguage) -> &[String] {
        language.pick(&self.client_industries_da, &self.client_industries_en)
    }

    /// The account model, by this rule:
    ///
    /// | model       | accounts per AM | and                                                    |
    /// |-------------|-----------------|--------------------------------------------------------|
    /// | key account | at most 5       | at least half are key accounts, or clients are enterprises |
    /// | portfolio   | at least 10     | at most one in ten is a key account                    |
    /// | mixed       | anything else   |                                                        |
    ///
    /// Five and ten are where recruiters' descriptions change: up to five clients can each
    /// get an account plan and senior attention; from ten on, the work is triage.
    pub fn account_model(&self) -> AccountModel {
        let accounts = self.accounts_per_manager;
        let key = self.key_accounts_per_manager;
        let mostly_key = key * 2 >= accounts || self.typical_client_size == ClientSize::Enterprise;
        if accounts <= 5 && mostly_key {
            AccountModel::KeyAccount
        } else if accounts >= 10 && key * 10 <= accounts {
            AccountModel::Portfolio
        } else {
            AccountModel::Mixed
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SalaryBand {
    #[serde(rename = "salary_min")]
    pub min: u32,
    #[serde(rename = "salary_max")]
    pub max: u32,
    /// ISO 4217 code, such as DKK or EUR.
    #[serde(rename = "salary_currency")]
    pub currency: String,
    #[serde(rename = "salary_period")]
    pub period: SalaryPeriod,
}

/// How a profile's salary band reads in the API: the four fields of [`SalaryBand`], all given
/// or all left out.
#[derive(ToSchema)]
#[allow(dead_code)] // Only its schema is used: the band itself serializes as these fields.
pub struct SalaryFields {
    salary_min: Option<u32>,
    salary_max: Option<u32>,
    /// ISO 4217 code, such as DKK or EUR.
    salary_currency: Option<String>,
    salary_period: Option<SalaryPeriod>,
}

/// Who applicants can ask about the job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContactPerson {
    #[serde(rename = "contact_name")]
    pub name: Option<String>,
    #[serde(rename = "contact_email")]
    pub email: Option<String>,
    #[serde(rename = "contact_phone")]
    pub phone: Option<String>,
}

/// What describes a role profile, valid by construction (see [`ProfileInput::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProfileDetails {
    pub title: String,
    pub ad_language: AdLanguage,
    #[serde(flatten)]
    pub client_mix: ClientMix,
    pub duties: Vec<Duty>,
    pub location: String,
    pub remote_option: RemoteOption,
    pub weekly_hours: u8,
    /// Documented as four fields that are all present or all absent: an absent band writes none.
    #[serde(flatten)]
    #[schema(value_type = SalaryFields)]
    pub salary: Option<SalaryBand>,
    /// `None`: as soon as possible.
    pub start_date: Option<NaiveDate>,
    pub application_deadline: Option<NaiveDate>,
    #[serde(flatten)]
    pub contact: ContactPerson,
    /// The user (a hiring manager) who owns the profile: sees its candidates and decides.
    pub hiring_manager_id: Option<i64>,
    pub employment: Employment,
    pub interviewing: Interviewing,
    /// Where to apply online; without it, applications go to the contact's email address.
    pub apply_url: Option<String>,
    #[serde(flatten)]
    pub requirements: HardRequirements,
    #[serde(flatten)]
    pub terms: JobTerms,
}

impl ProfileDetails {
    /// The job's title as an ad in `language` names it: the title given for that language, or
    /// the profile's own.
    pub fn ad_title(&self, language: AdLanguage) -> &str {
        self.terms.title(language).unwrap_or(&self.title)
    }
}

/// A stored role profile of one company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RoleProfile {
    pub id: i64,
    pub company_id: i64,
    pub version: i64,
    #[serde(flatten)]
    pub details: ProfileDetails,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RoleProfile {
    pub fn account_model(&self) -> AccountModel {
        self.details.client_mix.account_model()
    }
}

/// What a deadline and an interview week are checked against: neither may be set in the past,
/// but a profile whose dates have passed can still be edited without moving them.
#[derive(Debug, Clone, Copy)]
pub struct DeadlineContext {
    pub today: NaiveDate,
    pub stored_deadline: Option<NaiveDate>,
    pub stored_interview_week: Option<IsoWeek>,
}

/// A role profile as a form or a JSON body sends it: every field optional and loosely typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(default)]
pub struct ProfileInput {
    #[validate(length(max = NAME_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, example = "Key Account Manager", required = true)]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = AdLanguage, required = true)]
    pub ad_language: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = u32, minimum = 1, maximum = 1000, required = true)]
    pub accounts_per_manager: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = u32, minimum = 0, maximum = 1000, required = true)]
    pub key_accounts_per_manager: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = ClientSize, required = true)]
    pub typical_client_size: Option<String>,
    /// Industries of the clients in Danish; a form sends them comma-separated.
    #[validate(length(max = INDUSTRIES_MAX, code = "too_many"))]
    pub client_industries_da: Vec<String>,
    /// The same in English.
    #[validate(length(max = INDUSTRIES_MAX, code = "too_many"))]
    pub client_industries_en: Vec<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = GrowthFocus, required = true)]
    pub growth_focus: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = MeetingCadence, required = true)]
    pub meeting_cadence: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = PresentationFrequency, required = true)]
    pub presentation_frequency: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = u8, minimum = 0, maximum = 100, required = true)]
    pub travel_share: Option<String>,
    #[schema(value_type = Vec<Duty>)]
    pub duties: Vec<String>,
    #[validate(length(max = NAME_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, required = true)]
    pub location: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = RemoteOption, required = true)]
    pub remote_option: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = u8, minimum = 1, maximum = 60, required = true)]
    pub weekly_hours: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 100_000_000)]
    pub salary_min: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 100_000_000)]
    pub salary_max: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, example = "DKK")]
    pub salary_currency: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<SalaryPeriod>)]
    pub salary_period: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub start_date: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub application_deadline: Option<String>,
    #[validate(length(max = CONTACT_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>)]
    pub contact_name: Option<String>,
    #[validate(length(max = CONTACT_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>)]
    pub contact_email: Option<String>,
    #[validate(length(max = 40))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>)]
    pub contact_phone: Option<String>,
    /// The id of the hiring manager who owns the profile.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub hiring_manager_id: Option<String>,
    /// `permanent` when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<Employment>)]
    pub employment: Option<String>,
    /// `after_deadline` when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<Interviewing>)]
    pub interviewing: Option<String>,
    /// An http or https address where applications are made.
    #[validate(length(max = 500))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub apply_url: Option<String>,
    /// Checked by its own `validate`, so that its fields' errors carry their own names.
    #[serde(flatten)]
    pub conditions: ConditionsInput,
    /// The version the change was made from; required when updating.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<i64>)]
    pub version: Option<String>,
}

impl ProfileInput {
    pub fn parse(&self, deadline: DeadlineContext) -> Result<ProfileDetails, FieldErrors> {
        let mut p = FieldParser::new(FieldErrors::of_bounds(&[self, &self.conditions]));
        let client_mix = self.parse_client_mix(&mut p);
        let details = ProfileDetails {
            title: p.required_text("title", &self.title),
            ad_language: p.choice("ad_language", &self.ad_language),
            client_mix,
            duties: p.choices("duties", &self.duties),
            location: p.required_text("location", &self.location),
            remote_option: p.choice("remote_option", &self.remote_option),
            weekly_hours: p.required_integer("weekly_hours", &self.weekly_hours, 1..=60),
            salary: self.parse_salary(&mut p),
            start_date: p.optional_date("start_date", &self.start_date),
            application_deadline: p.optional_date("application_deadline", &self.application_deadline),
            contact: ContactPerson {
                name: p.optional_text(&self.contact_name),
                email: p.optional_email("contact_email", &self.contact_email),
                phone: p.optional_text(&self.contact_phone),
            },
            hiring_manager_id: p.optional_integer("hiring_manager_id", &self.hiring_manager_id, 1..=i64::MAX),
            employment: p.optional_choice("employment", &self.employment).unwrap_or(Employment::Permanent),
            interviewing: p.optional_choice("interviewing", &self.interviewing).unwrap_or(Interviewing::AfterDeadline),
            apply_url: p.optional_text(&self.apply_url),
            requirements: self.conditions.parse_requirements(&mut p),
            terms: self.conditions.parse_terms(&mut p),
        };
        if details.apply_url.as_deref().is_some_and(|url| !super::candidate::is_web_address(url)) {
            p.reject("apply_url", Problem::InvalidLink);
        }
        check_dates(&mut p, &details, deadline);
        check_recruitment_terms(&mut p, &details, deadline);
        p.finish(details)
    }

    fn parse_client_mix(&self, p: &mut FieldParser) -> ClientMix {
        let mix = ClientMix {
            accounts_per_manager: p.required_integer(
                "accounts_per_manager",
                &self.accounts_per_manager,
                1..=ACCOUNTS_MAX,
            ),
            key_accounts_per_manager: p.required_integer(
                "key_accounts_per_manager",
                &self.key_accounts_per_manager,
                0..=ACCOUNTS_MAX,
            ),
            typical_client_size: p.choice("typical_client_size", &self.typical_client_size),
            client_industries_da: industries(p, "client_industries_da", &self.client_industries_da),
            client_industries_en: industries(p, "client_industries_en", &self.client_industries_en),
            growth_focus: p.choice("growth_focus", &self.growth_focus),
            meeting_cadence: p.choice("meeting_cadence", &self.meeting_cadence),
            presentation_frequency: p.choice("presentation_frequency", &self.presentation_frequency),
            travel_share: p.required_integer("travel_share", &self.travel_share, 0..=100),
        };
        if p.all_valid(&["accounts_per_manager", "key_accounts_per_manager"])
            && mix.key_accounts_per_manager > mix.accounts_per_manager
        {
            p.reject("key_accounts_per_manager", Problem::MoreThanAccounts);
        }
        mix
    }

    /// A salary band is optional, but when given it needs both ends, a currency and a period.
    fn parse_salary(&self, p: &mut FieldParser) -> Option<SalaryBand> {
        let min = p.optional_integer::<u32>("salary_min", &self.salary_min, 1..=SALARY_MAX);
        let max = p.optional_integer::<u32>("salary_max", &self.salary_max, 1..=SALARY_MAX);
        let (min, max) = match (min, max) {
            (Some(min), Some(max)) => (min, max),
            (None, None) => return None,
            (Some(_), None) => {
                p.reject("salary_max", Problem::SalaryIncomplete);
                return None;
            }
            (None, Some(_)) => {
                p.reject("salary_min", Problem::SalaryIncomplete);
                return None;
            }
        };
        if min > max {
            p.reject("salary_max", Problem::SalaryMinAboveMax);
        }
        let currency = p.required_text("salary_currency", &self.salary_currency).to_uppercase();
        let iso_code = currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase());
        if !currency.is_empty() && !iso_code {
            p.reject("salary_currency", Problem::InvalidCurrency);
        }
        let period = p.choice("salary_period", &self.salary_period);
        Some(SalaryBand { min, max, currency, period })
    }
}

fn check_dates(p: &mut FieldParser, details: &ProfileDetails, context: DeadlineContext) {
    let Some(deadline) = details.application_deadline else {
        return;
    };
    if deadline < context.today && context.stored_deadline != Some(deadline) {
        p.reject("application_deadline", Problem::DateInPast);
    }
    if details.start_date.is_some_and(|start| deadline > start) {
        p.reject("application_deadline", Problem::DeadlineAfterStart);
    }
}

/// A period only for a fixed-term post; an interview week not past (unless kept as stored),
/// not after the start, and, for interviews held after the deadline, not ending before it.
fn check_recruitment_terms(p: &mut FieldParser, details: &ProfileDetails, context: DeadlineContext) {
    let terms = &details.terms;
    if terms.fixed_term_months.is_some() && details.employment != Employment::FixedTerm {
        p.reject("fixed_term_months", Problem::OnlyForFixedTerm);
    }
    let Some(week) = terms.interview_week else {
        return;
    };
    let after_deadline = details.interviewing == Interviewing::AfterDeadline;
    if week.sunday() < context.today && context.stored_interview_week != Some(week) {
        p.reject("interview_week", Problem::DateInPast);
    } else if details.start_date.is_some_and(|start| week.monday() > start) {
        p.reject("interview_week", Problem::InterviewsAfterStart);
    } else if after_deadline && details.application_deadline.is_some_and(|deadline| week.sunday() < deadline) {
        p.reject("interview_week", Problem::InterviewsBeforeDeadline);
    }
}

impl From<&ProfileDetails> for ProfileInput {
    /// The form an edit starts from.
    fn from(d: &ProfileDetails) -> Self {
        let mix = &d.client_mix;
        let text = |s: &str| Some(s.to_owned());
        Self {
            title: text(&d.title),
            ad_language: text(d.ad_language.as_str()),
            accounts_per_manager: Some(mix.accounts_per_manager.to_string()),
            key_accounts_per_manager: Some(mix.key_accounts_per_manager.to_string()),
            typical_client_size: text(mix.typical_client_size.as_str()),
            client_industries_da: vec![mix.client_industries_da.join(", ")],
            client_industries_en: vec![mix.client_industries_en.join(", ")],
            growth_focus: text(mix.growth_focus.as_str()),
            meeting_cadence: text(mix.meeting_cadence.as_str()),
            presentation_frequency: text(mix.presentation_frequency.as_str()),
            travel_share: Some(mix.travel_share.to_string()),
            duties: d.duties.iter().map(|duty| duty.as_str().to_owned()).collect(),
            location: text(&d.location),
            remote_option: text(d.remote_option.as_str()),
            weekly_hours: Some(d.weekly_hours.to_string()),
            salary_min: d.salary.as_ref().map(|s| s.min.to_string()),
            salary_max: d.salary.as_ref().map(|s| s.max.to_string()),
            salary_currency: d.salary.as_ref().map(|s| s.currency.clone()),
            salary_period: d.salary.as_ref().map(|s| s.period.as_str().to_owned()),
            start_date: d.start_date.map(|date| date.to_string()),
            application_deadline: d.application_deadline.map(|date| date.to_string()),
            contact_name: d.contact.name.clone(),
            contact_email: d.contact.email.clone(),
            contact_phone: d.contact.phone.clone(),
            hiring_manager_id: d.hiring_manager_id.map(|id| id.to_string()),
            employment: text(d.employment.as_str()),
            interviewing: text(d.interviewing.as_str()),
            apply_url: d.apply_url.clone(),
            conditions: ConditionsInput::of(&d.requirements, &d.terms),
            version: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: DeadlineContext = DeadlineContext {
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        stored_deadline: None,
        stored_interview_week: None,
    };

    fn input() -> ProfileInput {
        let text = |s: &str| Some(s.to_owned());
        ProfileInput {
            title: text("Account Manager"),
            ad_language: text("da"),
            accounts_per_manager: text("30"),
            key_accounts_per_manager: text("2"),
            typical_client_size: text("small_business"),
            client_industries_da: vec!["Detailhandel, Hotel og restauration".into()],
            client_industries_en: vec!["Retail, Hospitality".into()],
            growth_focus: text("balanced"),
            meeting_cadence: text("monthly"),
            presentation_frequency: text("sometimes"),
            travel_share: text("10"),
            duties: vec!["renewals".into(), "reporting".into()],
            location: text("Aarhus"),
            remote_option: text("hybrid"),
            weekly_hours: text("37"),
            salary_min: text("38000"),
            salary_max: text("45000"),
            salary_currency: text("dkk"),
            salary_period: text("month"),
            start_date: text("2027-02-01"),
            application_deadline: text("2027-01-10"),
            contact_name: text("Mette Holm"),
            contact_email: text("mette@example.dk"),
            contact_phone: None,
            hiring_manager_id: None,
            employment: None,
            interviewing: None,
            apply_url: None,
            conditions: ConditionsInput::default(),
            version: None,
        }
    }

    fn mix(accounts: u32, key: u32, size: ClientSize) -> ClientMix {
        ClientMix {
            accounts_per_manager: accounts,
            key_accounts_per_manager: key,
            typical_client_size: size,
            client_industries_da: vec![],
            client_industries_en: vec![],
            growth_focus: GrowthFocus::Balanced,
            meeting_cadence: MeetingCadence::Monthly,
            presentation_frequency: PresentationFrequency::Sometimes,
            travel_share: 0,
        }
    }

    #[test]
    fn account_model_rule_at_its_boundaries() {
        use AccountModel::*;
        use ClientSize::*;
        let cases = [
            (1, 1, MidMarket, KeyAccount),
            (5, 3, MidMarket, KeyAccount),
            (4, 2, SmallBusiness, KeyAccount),
            (5, 2, MidMarket, Mixed),
            (3, 0, Enterprise, KeyAccount),
            (6, 6, Enterprise, Mixed),
            (3, 0, SmallBusiness, Mixed),
            (9, 0, SmallBusiness, Mixed),
            (10, 1, SmallBusiness, Portfolio),
            (10, 2, SmallBusiness, Mixed),
            (30, 3, MidMarket, Portfolio),
            (30, 4, MidMarket, Mixed),
            (1_000, 0, Enterprise, Portfolio),
        ];
        for (accounts, key, size, model) in cases {
            assert_eq!(mix(accounts, key, size).account_model(), model, "{accounts} accounts, {key} key, {size:?}");
        }
    }

    #[test]
    fn a_valid_profile_parses_with_lists_and_salary() {
        let details = input().parse(TODAY).unwrap();
        assert_eq!(details.client_mix.client_industries_en, vec!["Retail", "Hospitality"]);
        assert_eq!(details.client_mix.client_industries_da, vec!["Detailhandel", "Hotel og restauration"]);
        assert_eq!(details.duties, vec![Duty::Renewals, Duty::Reporting]);
        let salary = details.salary.as_ref().unwrap();
        assert_eq!((salary.min, salary.max, salary.currency.as_str()), (38_000, 45_000, "DKK"));
        assert_eq!(details.client_mix.account_model(), AccountModel::Portfolio);
        assert_eq!(ProfileInput::from(&details).parse(TODAY).unwrap(), details);
    }

    #[test]
    fn bad_values_are_named() {
        let mut bad = input();
        bad.ad_language = Some("de".into());
        bad.accounts_per_manager = Some("0".into());
        bad.typical_client_size = Some("huge".into());
        bad.duties.push("golf".into());
        bad.travel_share = Some("101".into());
        bad.contact_email = Some("not-an-email".into());
        bad.salary_currency = Some("kroner".into());
        let errors = bad.parse(TODAY).unwrap_err();
        for field in [
            "ad_language",
            "accounts_per_manager",
            "typical_client_size",
            "duties",
            "travel_share",
            "contact_email",
            "salary_currency",
        ] {
            assert!(errors.has(field), "{field} should be rejected: {errors:?}");
        }
        assert_eq!(errors.get("contact_email"), Some(&Problem::InvalidEmail));
    }

    #[test]
    fn key_accounts_cannot_outnumber_accounts() {
        let mut bad = input();
        bad.accounts_per_manager = Some("3".into());
        bad.key_accounts_per_manager = Some("4".into());
        assert_eq!(bad.parse(TODAY).unwrap_err().get("key_accounts_per_manager"), Some(&Problem::MoreThanAccounts));
        bad.accounts_per_manager = Some("1001".into());
        let errors = bad.parse(TODAY).unwrap_err();
        assert!(errors.has("accounts_per_manager"));
        assert!(!errors.has("key_accounts_per_manager"), "no comparison with an invalid count");
    }

    #[test]
    fn a_period_needs_a_fixed_term_post_and_interviews_after_the_deadline_a_week_after_it() {
        // The input's deadline is Sunday 10 January 2027, the last day of ISO week 2027-W01.
        let with = |employment: &str, months: &str, week: &str, interviewing: &str| {
            let mut input = input();
            input.employment = Some(employment.into());
            input.conditions.fixed_term_months = Some(months.into());
            input.conditions.interview_week = Some(week.into());
            input.interviewing = Some(interviewing.into());
            input.parse(TODAY)
        };
        let parsed = with("fixed_term", "12", "2027-W01", "after_deadline").unwrap();
        assert_eq!(parsed.terms.fixed_term_months, Some(12));
        assert_eq!(parsed.terms.interview_week.map(|w| (w.number(), w.monday())), Some((1, date(2027, 1, 4))));

        let refused = with("permanent", "12", "2026-W53", "after_deadline").unwrap_err();
        assert_eq!(refused.get("fixed_term_months"), Some(&Problem::OnlyForFixedTerm));
        assert_eq!(refused.get("interview_week"), Some(&Problem::InterviewsBeforeDeadline));
        assert!(with("fixed_term", "12", "2026-W53", "as_applications_come").is_ok(), "rolling interviews start early");

        for week in ["2027-W53", "2027-W00", "2027-3", "27-W03", "2027-W3", "uge 3", "2027-W03x"] {
            let refused = with("fixed_term", "6", week, "after_deadline").unwrap_err();
            assert_eq!(refused.get("interview_week"), Some(&Problem::InvalidWeek), "{week}");
        }
        for months in ["0", "61", "x"] {
            assert!(with("fixed_term", months, "2027-W02", "after_deadline").unwrap_err().has("fixed_term_months"));
        }
        let round_trip = ProfileInput::from(&parsed).parse(TODAY).unwrap();
        assert_eq!(round_trip, parsed, "the edit form shows what was saved");

        let past = with("fixed_term", "12", "2026-W47", "as_applications_come").unwrap_err();
        assert_eq!(past.get("interview_week"), Some(&Problem::DateInPast));
        let kept = DeadlineContext { stored_interview_week: "2026-W47".parse().ok(), ..TODAY };
        let mut unchanged = input();
        unchanged.conditions.interview_week = Some("2026-W47".into());
        unchanged.interviewing = Some("as_applications_come".into());
        assert!(unchanged.parse(kept).is_ok(), "a passed week that is not moved does not block an edit");
        let late = with("fixed_term", "12", "2027-W10", "after_deadline").unwrap_err();
        assert_eq!(late.get("interview_week"), Some(&Problem::InterviewsAfterStart), "after a start on 1 February");
    }

    #[test]
    fn deadlines_are_not_in_the_past_nor_after_the_start() {
        let mut past = input();
        past.application_deadline = Some("2026-11-25".into());
        assert_eq!(past.parse(TODAY).unwrap_err().get("application_deadline"), Some(&Problem::DateInPast));

        let unchanged = DeadlineContext { stored_deadline: Some(date(2026, 11, 25)), ..TODAY };
        assert!(past.parse(unchanged).is_ok(), "an old deadline that is not moved does not block an edit");

        let mut late = input();
        late.application_deadline = Some("2027-02-02".into());
        assert_eq!(late.parse(TODAY).unwrap_err().get("application_deadline"), Some(&Problem::DeadlineAfterStart));

        let mut same_day = input();
        same_day.application_deadline = Some("2026-11-26".into());
        assert!(same_day.parse(TODAY).is_ok());
    }

    #[test]
    fn salary_needs_both_ends_in_order() {
        let mut half = input();
        half.salary_max = None;
        assert_eq!(half.parse(TODAY).unwrap_err().get("salary_max"), Some(&Problem::SalaryIncomplete));

        let mut upside_down = input();
        upside_down.salary_min = Some("50000".into());
        assert_eq!(upside_down.parse(TODAY).unwrap_err().get("salary_max"), Some(&Problem::SalaryMinAboveMax));

        let mut none = input();
        (none.salary_min, none.salary_max, none.salary_currency, none.salary_period) = (None, None, None, None);
        assert_eq!(none.parse(TODAY).unwrap().salary, None);
    }

    #[test]
    fn a_form_with_nothing_in_it_names_every_required_field() {
        let errors = ProfileInput::default().parse(TODAY).unwrap_err();
        for field in [
            "title",
            "ad_language",
            "accounts_per_manager",
            "key_accounts_per_manager",
            "typical_client_size",
            "growth_focus",
            "meeting_cadence",
            "presentation_frequency",
            "travel_share",
            "location",
            "remote_option",
            "weekly_hours",
        ] {
            assert_eq!(errors.get(field), Some(&Problem::Required), "{field}");
        }
    }
}
