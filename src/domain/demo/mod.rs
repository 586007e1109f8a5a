//! The demo data set: three companies at the three points of the size and client-mix range
//! that the domain describes, each with one role profile.

pub mod cv;
pub mod history;

use chrono::{Days, NaiveDate};

use super::company::CompanyDetails;
use super::conditions::{HardRequirements, IsoWeek, JobTerms, LanguageLevel, LanguageLevels, VariablePay};
use super::profile::{
    AdLanguage, ClientMix, ClientSize, ContactPerson, Duty, Employment, GrowthFocus, Interviewing, MeetingCadence,
    PresentationFrequency, ProfileDetails, RemoteOption, SalaryBand, SalaryPeriod,
};

/// The demo companies and their profiles; dates fall after `today`, so the data stays valid.
pub fn demo_companies(today: NaiveDate) -> Vec<(CompanyDetails, ProfileDetails)> {
    let in_days = |days| today.checked_add_days(Days::new(days));
    vec![
        (
            CompanyDetails {
                name: "Nordlys Digital ApS".into(),
                industry: "Digital marketing agency".into(),
                employees: 12,
                account_managers: 2,
                description_da: Some("Et lille bureau i Aarhus, der driver webshops, søgemaskineoptimering og annoncer på sociale medier for omkring 60 lokale virksomheder.".into()),
                description_en: Some("A small agency in Aarhus that runs web shops, search engine optimisation and social media advertising for around 60 local businesses.".into()),
                location: "Aarhus".into(),
                privacy_url: Some("https://nordlys.example/privatliv".into()),
                time_zone: super::company::DEFAULT_TIME_ZONE,
            },
            ProfileDetails {
                title: "Account Manager".into(),
                ad_language: AdLanguage::Da,
                client_mix: ClientMix {
                    accounts_per_manager: 30,
                    key_accounts_per_manager: 2,
                    typical_client_size: ClientSize::SmallBusiness,
                    client_industries_da: vec!["Detailhandel".into(), "Restauranter".into(), "Håndværk".into()],
                    client_industries_en: vec!["Retail".into(), "Restaurants".into(), "Skilled trades".into()],
                    growth_focus: GrowthFocus::Balanced,
                    meeting_cadence: MeetingCadence::Monthly,
                    presentation_frequency: PresentationFrequency::Sometimes,
                    travel_share: 10,
                },
                duties: vec![Duty::DeliverySalesLiaison, Duty::UpsellCrossSellTargets, Duty::Renewals, Duty::Onboarding],
                location: "Aarhus C".into(),
                remote_option: RemoteOption::Hybrid,
                weekly_hours: 37,
                salary: Some(SalaryBand { min: 36_000, max: 42_000, currency: "DKK".into(), period: SalaryPeriod::Month }),
                start_date: in_days(60),
                application_deadline: in_days(28),
                contact: ContactPerson {
                    name: Some("Mette Holm".into()),
                    email: Some("mette.holm@nordlys.example".into()),
                    phone: Some("+45 86 12 34 56".into()),
                },
                hiring_manager_id: None,
                employment: Employment::Permanent,
                interviewing: Interviewing::AsApplicationsCome,
                apply_url: None,
                requirements: HardRequirements {
                    education_da: Some("en merkantil uddannelse eller tilsvarende erfaring".into()),
                    education_en: Some("a business education or equivalent experience".into()),
                    languages: LanguageLevels { da: Some(LanguageLevel::Fluent), ..LanguageLevels::default() },
                    driving_licence: true,
                    ..HardRequirements::default()
                },
                terms: JobTerms {
                    reports_to_da: Some("indehaveren, Mette Holm".into()),
                    reports_to_en: Some("the owner, Mette Holm".into()),
                    ..JobTerms::default()
                },
            },
        ),
        (
            CompanyDetails {
                name: "Ledgerly A/S".into(),
                industry: "SaaS: accounting software".into(),
                employees: 150,
                account_managers: 9,
                description_da: Some("Bogføring i skyen for mellemstore virksomheder i Norden; kundesucces og account management er ét team.".into()),
                description_en: Some("Cloud bookkeeping for mid-sized companies in the Nordics; customer success and account management sit in one team.".into()),
                location: "København".into(),
                privacy_url: None,
                time_zone: super::company::DEFAULT_TIME_ZONE,
            },
            ProfileDetails {
                title: "Account Manager, Mid-Market".into(),
                ad_language: AdLanguage::En,
                client_mix: ClientMix {
                    accounts_per_manager: 25,
                    key_accounts_per_manager: 5,
                    typical_client_size: ClientSize::MidMarket,
                    client_industries_da: vec!["Engroshandel".into(), "Produktion".into(), "Rådgivning".into()],
                    client_industries_en: vec!["Wholesale".into(), "Manufacturing".into(), "Professional services".into()],
                    growth_focus: GrowthFocus::MostlyGrow,
                    meeting_cadence: MeetingCadence::Quarterly,
                    presentation_frequency: PresentationFrequency::Often,
                    travel_share: 15,
                },
                duties: vec![Duty::UpsellCrossSellTargets, Duty::Renewals, Duty::Onboarding, Duty::Reporting],
                location: "København".into(),
                remote_option: RemoteOption::Hybrid,
                weekly_hours: 37,
                salary: Some(SalaryBand { min: 45_000, max: 55_000, currency: "DKK".into(), period: SalaryPeriod::Month }),
                start_date: in_days(90),
                application_deadline: in_days(35),
                contact: ContactPerson {
                    name: Some("Jonas Berg".into()),
                    email: Some("jonas.berg@ledgerly.example".into()),
                    phone: None,
                },
                hiring_manager_id: None,
                employment: Employment::Permanent,
                interviewing: Interviewing::AfterDeadline,
                apply_url: Some("https://ledgerly.example/jobs/account-manager".into()),
                requirements: HardRequirements {
                    experience_years: Some(2),
                    languages: LanguageLevels {
                        da: Some(LanguageLevel::Fluent),
                        en: Some(LanguageLevel::Fluent),
                        sv: Some(LanguageLevel::Conversational),
                        ..LanguageLevels::default()
                    },
                    ..HardRequirements::default()
                },
                terms: JobTerms {
                    pension_percent: Some(8),
                    variable_pay: Some(VariablePay::Bonus),
                    reports_to_da: Some("chefen for account management".into()),
                    reports_to_en: Some("the Head of Account Management".into()),
                    title_da: Some("Account manager".into()),
                    interview_week: in_days(49).map(IsoWeek::containing),
                    invite_all: true,
                    ..JobTerms::default()
                },
            },
        ),
        (
            CompanyDetails {
                name: "Dansk Energi & Infrastruktur A/S".into(),
                industry: "Energy and infrastructure".into(),
                employees: 5_000,
                account_managers: 40,
                description_da: Some("Vi bygger og servicerer energiinfrastruktur for forsyningsselskaber og store industrikunder i hele Nordeuropa.".into()),
                description_en: Some("We build and service energy infrastructure for utilities and large industrial clients across Northern Europe.".into()),
                location: "Fredericia".into(),
                privacy_url: Some("https://dei.example/privacy".into()),
                time_zone: super::company::DEFAULT_TIME_ZONE,
            },
            ProfileDetails {
                title: "Key Account Manager".into(),
                ad_language: AdLanguage::Da,
                client_mix: ClientMix {
                    accounts_per_manager: 1,
                    key_accounts_per_manager: 1,
                    typical_client_size: ClientSize::Enterprise,
                    client_industries_da: vec!["Forsyning".into()],
                    client_industries_en: vec!["Utilities".into()],
                    growth_focus: GrowthFocus::MostlyRetain,
                    meeting_cadence: MeetingCadence::Weekly,
                    presentation_frequency: PresentationFrequency::Often,
                    travel_share: 30,
                },
                duties: vec![Duty::DeliverySalesLiaison, Duty::Renewals, Duty::Reporting],
                location: "Fredericia".into(),
                remote_option: RemoteOption::OnSite,
                weekly_hours: 37,
                salary: None,
                start_date: None,
                application_deadline: in_days(21),
                contact: ContactPerson {
                    name: Some("Anne Kjær".into()),
                    email: Some("anne.kjaer@dei.example".into()),
                    phone: None,
                },
                hiring_manager_id: None,
                employment: Employment::FixedTerm,
                interviewing: Interviewing::AfterDeadline,
                apply_url: None,
                requirements: HardRequirements {
                    experience_years: Some(5),
                    languages: LanguageLevels {
                        da: Some(LanguageLevel::Fluent),
                        en: Some(LanguageLevel::Business),
                        de: Some(LanguageLevel::Conversational),
                        ..LanguageLevels::default()
                    },
                    driving_licence: true,
                    ..HardRequirements::default()
                },
                terms: JobTerms {
                    pension_percent: Some(12),
                    reports_to_da: Some("salgsdirektøren for forsyning".into()),
                    reports_to_en: Some("the Sales Director for Utilities".into()),
                    ..JobTerms::default()
                },
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::company::{CompanyInput, SizeBand};
    use crate::domain::profile::{AccountModel, DeadlineContext, ProfileInput};

    #[test]
    fn demo_data_spans_the_range_and_passes_validation() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let demo = demo_companies(today);
        let shape: Vec<_> = demo.iter().map(|(c, p)| (c.size_band(), p.client_mix.account_model())).collect();
        assert_eq!(
            shape,
            vec![
                (SizeBand::Small, AccountModel::Portfolio),
                (SizeBand::Medium, AccountModel::Mixed),
                (SizeBand::Large, AccountModel::KeyAccount),
            ]
        );
        let context = DeadlineContext { today, stored_deadline: None, stored_interview_week: None };
        for (company, profile) in &demo {
            assert_eq!(&CompanyInput::from(company).parse().unwrap(), company);
            assert_eq!(&ProfileInput::from(profile).parse(context).unwrap(), profile);
        }
    }
}
