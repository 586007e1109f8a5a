//! The interview kit: the questions one interview of a chosen length can ask of a profile's
//! candidates, chosen so that every must-have is probed, then every competency the ad names as
//! the job's work, and the heaviest competencies get the most time; with time kept free to
//! probe thin answers, and an account of what did not fit and why.

use super::company::CompanyDetails;
use super::input::{FieldErrors, FieldParser, Problem};
use super::profile::Duty;
use super::profile::{AdLanguage, ProfileDetails};
use super::rubric::{Adjustment, DerivedWeight, Question};

/// The interview lengths a kit can be planned for, in minutes.
pub const KIT_MINUTES: [u32; 4] = [30, 45, 60, 90];
/// The length a kit is planned for unless the recruiter chooses another.
pub const DEFAULT_KIT_MINUTES: u32 = 60;
/// Minutes of every interview spent outside the questions: the welcome, the candidate's own
/// questions and the close.
pub const FRAME_MINUTES: u32 = 10;
/// How many competencies get a question before the heaviest gets a second one: an hour
/// probes about six with evidence, and the heaviest deserves two before the lightest get one.
const BREADTH: usize = 6;
/// The share of the time for questions, in percent, kept free: follow-up questions where an
/// answer is vague or has no example are how a structured interview gets to evidence.
const PROBE_PERCENT: u32 = 15;

/// Work the ad names that a competency is weighed for: a duty in its list, or presenting to
/// clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdWork {
    Duty(Duty),
    /// Presenting results and proposals to clients, often.
    Presenting,
}

impl AdWork {
    /// Its name in the API: the duty's own, or `presenting`.
    pub fn as_str(self) -> &'static str {
        match self {
            AdWork::Duty(duty) => duty.as_str(),
            AdWork::Presenting => "presenting",
        }
    }
}

/// A competency that counts but got no question, and the work the ad names it for, if any:
/// those are the ones an interviewer must know were not probed.
#[derive(Debug, Clone)]
pub struct LeftOut<'a, 'r> {
    pub weight: &'a DerivedWeight<'r>,
    pub named_in_ad: Vec<AdWork>,
}

/// One competency of a kit and the questions it asks about it.
#[derive(Debug, Clone)]
pub struct KitPart<'a, 'r> {
    pub weight: &'a DerivedWeight<'r>,
    pub questions: Vec<&'r Question>,
}

/// A planned interview.
#[derive(Debug, Clone)]
pub struct Kit<'a, 'r> {
    pub minutes: u32,
    /// Must-haves first, then by weight.
    pub parts: Vec<KitPart<'a, 'r>>,
    /// Competencies that count for the profile but got no question in this length: those the
    /// ad names as the job's work first.
    pub left_out: Vec<LeftOut<'a, 'r>>,
    /// What the chosen questions take, the frame not included.
    pub question_minutes: u32,
}

impl Kit<'_, '_> {
    /// Whether the must-haves alone take more than the length allows: they are asked all the
    /// same, and the interview runs over.
    pub fn runs_over(&self) -> bool {
        self.question_minutes + FRAME_MINUTES > self.minutes
    }

    pub fn question_count(&self) -> usize {
        self.parts.iter().map(|part| part.questions.len()).sum()
    }

    /// The minutes left free to probe: the length less the frame and the questions.
    pub fn probe_minutes(&self) -> u32 {
        self.minutes.saturating_sub(FRAME_MINUTES + self.question_minutes)
    }
}

/// The work the ad names that `weight` is raised for: the rules on a duty or on presenting to
/// clients that apply and add to it (also where a group's cap left nothing for them to add).
pub fn named_in_ad(weight: &DerivedWeight<'_>) -> Vec<AdWork> {
    let mut work = Vec::new();
    let raises = |reason: &&Adjustment| reason.rule.adjust.get(&weight.competency.id).is_some_and(|&change| change > 0);
    for reason in weight.reasons.iter().filter(raises) {
        let when = &reason.rule.when;
        let named = when
            .duty
            .map(AdWork::Duty)
            .into_iter()
            .chain(when.presentation_frequency.as_ref().map(|_| AdWork::Presenting));
        for item in named {
            if !work.contains(&item) {
                work.push(item);
            }
        }
    }
    work
}

/// The kit a query string asks for.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct KitQuery {
    /// The interview's length in minutes: 30, 45, 60 (the default) or 90.
    #[param(value_type = Option<u32>)]
    pub minutes: Option<String>,
    /// The language to write the kit in: the reader's own (the page's language, or the API
    /// request's `Accept-Language`) when not given, whatever the ad's language.
    #[param(value_type = Option<AdLanguage>)]
    pub language: Option<String>,
}

/// A checked [`KitQuery`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KitRequest {
    pub minutes: u32,
    /// `None`: the reader's own language.
    pub language: Option<AdLanguage>,
}

impl KitQuery {
    /// The length asked for (one of [`KIT_MINUTES`], [`DEFAULT_KIT_MINUTES`] when none) and the language.
    pub fn parse(&self) -> Result<KitRequest, FieldErrors> {
        let mut p = FieldParser::default();
        let minutes = p.optional_integer::<u32>("minutes", &self.minutes, 0..=i64::from(u32::MAX));
        if p.all_valid(&["minutes"]) && minutes.is_some_and(|m| !KIT_MINUTES.contains(&m)) {
            let allowed = KIT_MINUTES.iter().map(u32::to_string).collect();
            p.reject("minutes", Problem::UnknownChoice { allowed });
        }
        let language = p.optional_choice("language", &self.language);
        p.finish(KitRequest { minutes: minutes.unwrap_or(DEFAULT_KIT_MINUTES), language })
    }
}

/// Plans a kit of `minutes` (one of [`KIT_MINUTES`]) from the profile's weights, heaviest first.
pub fn plan<'a, 'r>(
    weights: &'a [DerivedWeight<'r>],
    company: &CompanyDetails,
    profile: &ProfileDetails,
    minutes: u32,
) -> Kit<'a, 'r> {
    let for_questions = minutes.saturating_sub(FRAME_MINUTES);
    let mut planner = Planner { budget: for_questions - (for_questions * PROBE_PERCENT).div_ceil(100), used: 0 };
    let mut parts: Vec<KitPart> = ranked(weights).map(|weight| KitPart { weight, questions: Vec::new() }).collect();
    let named: Vec<Vec<AdWork>> = parts.iter().map(|part| named_in_ad(part.weight)).collect();
    let suitable = |part: &KitPart<'a, 'r>| -> Vec<&'r Question> {
        part.weight.competency.questions.iter().filter(|q| q.suits(company, profile)).collect()
    };
    let mut ask = |part: &mut KitPart<'a, 'r>, regardless: bool| {
        let questions = suitable(part);
        planner.ask(part, &questions, regardless);
    };
    // One question for every must-have, whatever the time; then for the heaviest of the others;
    // then for what the ad names as the job's work, so that the interview probes what the ad
    // says the job is; then for the next heaviest. `ranked` puts the must-haves first and the
    // others heaviest first.
    let first_other = parts.iter().position(|part| part.weight.minimum.is_none());
    let must_haves = first_other.unwrap_or(parts.len());
    for part in &mut parts[..must_haves] {
        ask(part, true);
    }
    let others = first_other.into_iter();
    let in_ad = (0..parts.len()).filter(|&i| !named[i].is_empty());
    for i in others.chain(in_ad).chain(0..BREADTH.min(parts.len())) {
        if parts[i].questions.is_empty() {
            ask(&mut parts[i], false);
        }
    }
    // A second question for the heaviest, then one for each of the rest, then a second for
    // the others covered, each round heaviest first.
    let mut by_weight: Vec<usize> = (0..parts.len()).collect();
    by_weight.sort_by_key(|&i| std::cmp::Reverse(parts[i].weight.weight));
    let rounds = [(&by_weight[..1.min(by_weight.len())], 1), (&by_weight[..], 0), (&by_weight[..], 1)];
    for (indices, asked_before) in rounds {
        for &i in indices {
            if parts[i].questions.len() == asked_before {
                ask(&mut parts[i], false);
            }
        }
    }
    let (covered, left_out): (Vec<_>, Vec<_>) =
        parts.into_iter().zip(named).partition(|(part, _)| !part.questions.is_empty());
    let covered = covered.into_iter().map(|(part, _)| part).collect();
    let mut left_out: Vec<LeftOut> =
        left_out.into_iter().map(|(part, named_in_ad)| LeftOut { weight: part.weight, named_in_ad }).collect();
    left_out.sort_by_key(|left| left.named_in_ad.is_empty());
    Kit { minutes, parts: covered, left_out, question_minutes: planner.used }
}

/// The competencies that count, must-haves first, each group heaviest first.
fn ranked<'a, 'r>(weights: &'a [DerivedWeight<'r>]) -> impl Iterator<Item = &'a DerivedWeight<'r>> {
    let counting = || weights.iter().filter(|w| w.weight > 0);
    counting().filter(|w| w.minimum.is_some()).chain(counting().filter(|w| w.minimum.is_none()))
}

struct Planner {
    budget: u32,
    used: u32,
}

impl Planner {
    /// Adds to `part` the first of `suitable` it does not ask yet that fits the time left,
    /// or, when `regardless`, the first it does not ask yet.
    fn ask<'r>(&mut self, part: &mut KitPart<'_, 'r>, suitable: &[&'r Question], regardless: bool) {
        let mut unasked = suitable.iter().filter(|q| !part.questions.iter().any(|asked| std::ptr::eq(*asked, **q)));
        let fits = |q: &&&Question| self.used + q.minutes <= self.budget;
        let chosen =
            if regardless { unasked.clone().find(fits).or_else(|| unasked.next()) } else { unasked.find(fits) };
        if let Some(question) = chosen {
            self.used += question.minutes;
            part.questions.push(question);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::demo_companies;
    use crate::domain::rubric::Rubric;

    fn rubric() -> Rubric {
        crate::rubrics::load(&crate::rubrics::RubricSource::BuiltIn).unwrap()
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn an_hour_asks_ten_questions_at_most_and_probes_every_must_have_and_the_heaviest() {
        let rubric = rubric();
        for (company, profile) in demo_companies(today()) {
            let weights = rubric.weigh(&company, &profile, &[]);
            let kit = plan(&weights, &company, &profile, 60);
            assert!(kit.question_count() <= 10, "{}: {} questions", company.name, kit.question_count());
            assert!(!kit.runs_over(), "{}: {} minutes of questions", company.name, kit.question_minutes);
            for must in weights.iter().filter(|w| w.minimum.is_some()) {
                assert!(
                    kit.parts.iter().any(|p| p.weight.competency.id == must.competency.id),
                    "{}: must-have {} is probed",
                    company.name,
                    must.competency.id
                );
            }
            let heaviest = weights.iter().find(|w| w.weight > 0).unwrap();
            let probed = kit.parts.iter().any(|p| p.weight.competency.id == heaviest.competency.id);
            assert!(probed, "{}: the heaviest is probed", company.name);
            let asked = kit.parts.len() + kit.left_out.len();
            assert_eq!(asked, weights.iter().filter(|w| w.weight > 0).count(), "every competency is asked or left out");
        }
    }

    #[test]
    fn longer_interviews_ask_more_and_short_ones_say_what_they_left_out() {
        let rubric = rubric();
        let (company, profile) = demo_companies(today()).remove(1);
        let weights = rubric.weigh(&company, &profile, &[]);
        let kits: Vec<Kit> = KIT_MINUTES.iter().map(|&minutes| plan(&weights, &company, &profile, minutes)).collect();
        for pair in kits.windows(2) {
            assert!(pair[0].question_minutes <= pair[1].question_minutes);
            assert!(pair[0].left_out.len() >= pair[1].left_out.len());
        }
        for kit in &kits {
            assert!(
                kit.question_minutes + FRAME_MINUTES <= kit.minutes,
                "{} minutes: {}",
                kit.minutes,
                kit.question_minutes
            );
        }
        assert!(!kits[0].left_out.is_empty(), "half an hour cannot probe every competency");
    }

    #[test]
    fn questions_follow_the_client_mix() {
        let rubric = rubric();
        let demo = demo_companies(today());
        let asks = |(company, profile): &(CompanyDetails, ProfileDetails), words: &str| {
            let weights = rubric.weigh(company, profile, &[]);
            let kit = plan(&weights, company, profile, 90);
            kit.parts.iter().flat_map(|p| p.questions.iter()).any(|q| q.en.contains(words))
        };
        let (portfolio, key_account) = (&demo[0], &demo[2]);
        assert!(!asks(key_account, "thirty different clients"), "one client is not thirty");
        assert!(!asks(portfolio, "the different people at a large client"));
        assert!(asks(key_account, "the different people at a large client") || !asks(portfolio, "thirty"));
    }

    /// The two ends of the range the README shows side by side.
    fn ends_of_the_range() -> [(CompanyDetails, ProfileDetails); 2] {
        use crate::domain::profile::{ClientSize, Duty, GrowthFocus, MeetingCadence, PresentationFrequency};
        let demo = demo_companies(today());
        let (mut small_company, mut portfolio) = demo[0].clone();
        (small_company.employees, small_company.account_managers) = (6, 1);
        let mix = &mut portfolio.client_mix;
        (mix.accounts_per_manager, mix.key_accounts_per_manager) = (60, 0);
        (mix.typical_client_size, mix.growth_focus) = (ClientSize::SmallBusiness, GrowthFocus::Balanced);
        (mix.meeting_cadence, mix.presentation_frequency) = (MeetingCadence::Quarterly, PresentationFrequency::Rarely);
        portfolio.duties =
            vec![Duty::DeliverySalesLiaison, Duty::Renewals, Duty::Onboarding, Duty::NewClientAcquisition];
        let (mut large_company, mut key_accounts) = demo[2].clone();
        (large_company.employees, large_company.account_managers) = (900, 20);
        let mix = &mut key_accounts.client_mix;
        (mix.accounts_per_manager, mix.key_accounts_per_manager) = (2, 2);
        (mix.typical_client_size, mix.growth_focus) = (ClientSize::Enterprise, GrowthFocus::MostlyRetain);
        (mix.meeting_cadence, mix.presentation_frequency) = (MeetingCadence::Weekly, PresentationFrequency::Often);
        key_accounts.duties =
            vec![Duty::DeliverySalesLiaison, Duty::Renewals, Duty::Reporting, Duty::UpsellCrossSellTargets];
        [(small_company, portfolio), (large_company, key_accounts)]
    }

    #[test]
    fn the_two_ends_of_the_range_weigh_and_ask_what_their_work_needs() {
        let rubric = rubric();
        let [(small_company, portfolio), (large_company, key_accounts)] = ends_of_the_range();
        let ids = |left_out: Vec<LeftOut>| -> Vec<String> {
            left_out.iter().map(|left| left.weight.competency.id.clone()).collect()
        };
        let small = rubric.weigh(&small_company, &portfolio, &[]);
        let large = rubric.weigh(&large_company, &key_accounts, &[]);
        assert_eq!((small[0].competency.id.as_str(), small[0].weight), ("delivery_coordination", 8));
        let weight =
            |weights: &[DerivedWeight], id: &str| weights.iter().find(|w| w.competency.id == id).unwrap().weight;
        assert_eq!((weight(&small, "efficiency"), weight(&small, "account_planning")), (6, 0));
        let kit = plan(&small, &small_company, &portfolio, 60);
        assert_eq!((kit.question_count(), kit.question_minutes, kit.probe_minutes()), (6, 42, 8));
        // Presentation is named for winning new clients; the others are not in the ad.
        assert_eq!(ids(kit.left_out), ["presentation", "efficiency", "relationship_building", "diligence"]);

        assert_eq!((weight(&large, "relationship_building"), weight(&large, "account_planning")), (7, 6));
        assert_eq!((weight(&large, "negotiation"), weight(&large, "efficiency")), (5, 2));
        let kit = plan(&large, &large_company, &key_accounts, 60);
        assert_eq!((kit.question_count(), kit.question_minutes, kit.probe_minutes()), (6, 42, 8));
        let left_out = ids(kit.left_out);
        assert_eq!(left_out, ["negotiation", "presentation", "commercial_sense", "account_planning", "efficiency"]);
        let longer = plan(&large, &large_company, &key_accounts, 90);
        assert_eq!(ids(longer.left_out), ["account_planning", "efficiency"], "all that the ad names is probed");
    }

    #[test]
    fn a_kit_probes_what_the_ad_names_as_the_job_s_work_or_says_why_not_and_leaves_time_to_probe() {
        let rubric = rubric();
        let mut profiles = demo_companies(today());
        profiles.extend(ends_of_the_range());
        for (company, profile) in &profiles {
            let weights = rubric.weigh(company, profile, &[]);
            for minutes in KIT_MINUTES {
                let kit = plan(&weights, company, profile, minutes);
                let counting = weights.iter().filter(|w| w.weight > 0);
                for named in counting.filter(|w| !named_in_ad(w).is_empty()) {
                    let id = &named.competency.id;
                    let probed = kit.parts.iter().any(|part| &part.weight.competency.id == id);
                    let said = kit
                        .left_out
                        .iter()
                        .any(|left| &left.weight.competency.id == id && !left.named_in_ad.is_empty());
                    assert!(
                        probed || said,
                        "{} in {minutes} minutes: {id} is probed or said to be left out",
                        company.name
                    );
                }
                let free = (minutes - FRAME_MINUTES) * PROBE_PERCENT / 100;
                assert!(kit.runs_over() || kit.probe_minutes() >= free, "{} in {minutes}: time to probe", company.name);
            }
            let long = plan(&weights, company, profile, 90);
            assert!(
                long.left_out.iter().all(|left| left.named_in_ad.is_empty()),
                "{}: 90 minutes probe all the ad names",
                company.name
            );
        }
        let large = &profiles[4];
        let weights = rubric.weigh(&large.0, &large.1, &[]);
        let presentation = weights.iter().find(|w| w.competency.id == "presentation").unwrap();
        assert_eq!(
            named_in_ad(presentation),
            [AdWork::Presenting],
            "named also where a cap left the rule nothing to add"
        );
        let negotiation = weights.iter().find(|w| w.competency.id == "negotiation").unwrap();
        assert_eq!(named_in_ad(negotiation), [AdWork::Duty(Duty::Renewals)]);
    }

    #[test]
    fn only_the_offered_lengths_and_languages_are_planned() {
        let length = |minutes: Option<&str>| {
            KitQuery { minutes: minutes.map(str::to_owned), language: None }.parse().map(|kit| kit.minutes)
        };
        assert_eq!(length(None), Ok(60));
        assert_eq!(length(Some("90")), Ok(90));
        let language = |language: &str| KitQuery { minutes: None, language: Some(language.to_owned()) }.parse();
        assert_eq!(language("da").map(|kit| kit.language), Ok(Some(AdLanguage::Da)));
        assert!(language("de").unwrap_err().has("language"));
        for bad in ["50", "0", "-30", "an hour", "99999999999"] {
            assert!(length(Some(bad)).unwrap_err().has("minutes"), "{bad}");
        }
        let allowed = ["30", "45", "60", "90"].map(String::from).to_vec();
        assert_eq!(length(Some("50")).unwrap_err().get("minutes"), Some(&Problem::UnknownChoice { allowed }));
    }

    #[test]
    fn must_haves_are_asked_even_when_the_time_is_too_short() {
        let rubric = rubric();
        let (company, profile) = demo_companies(today()).remove(0);
        let mut weights = rubric.weigh(&company, &profile, &[]);
        for w in &mut weights {
            w.minimum = Some(3);
        }
        let kit = plan(&weights, &company, &profile, 30);
        assert_eq!(kit.parts.len(), weights.iter().filter(|w| w.weight > 0).count());
        assert!(kit.runs_over());
        assert!(kit.parts.iter().all(|p| p.questions.len() == 1));
    }
}
