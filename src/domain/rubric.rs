//! The rubric: competencies with behaviourally anchored 1–5 scales and interview questions,
//! and the rules that weigh them for one role profile. Both are data (TOML files under
//! `rubrics/`); this module parses and checks them, and derives a profile's weights.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::anchor_words::{ANCHOR_WORDS_FILE, AnchorWords, AnchorWordsFile};
use super::company::{CompanyDetails, SizeBand};
use super::profile::{
    AdLanguage, ClientSize, Duty, GrowthFocus, MeetingCadence, PresentationFrequency, ProfileDetails,
};
use super::scoring::Requirement;

pub const WEIGHT_MAX: i64 = 10;
pub const SCALE: std::ops::RangeInclusive<u8> = 1..=5;
const QUESTIONS_MIN: usize = 3;

/// A text in both languages of the product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default)]
    pub en: String,
    #[serde(default)]
    pub da: String,
}

impl Text {
    pub fn get(&self, language: AdLanguage) -> &str {
        language.pick(&self.da, &self.en)
    }

    /// The languages this text lacks.
    fn missing(&self) -> Vec<&'static str> {
        [("en", &self.en), ("da", &self.da)].into_iter().filter(|(_, t)| t.trim().is_empty()).map(|(l, _)| l).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// About what the candidate did ("Tell me about a time…").
    Behavioural,
    /// About what the candidate would do in a described situation.
    Situational,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub kind: QuestionKind,
    #[serde(default)]
    pub en: String,
    #[serde(default)]
    pub da: String,
    pub strong_answer: Text,
    /// How long the question takes with its follow-ups, for fitting a kit into its time.
    pub minutes: u32,
    /// The profiles it suits; a question about thirty clients does not suit a key account.
    pub applies_when: Option<Condition>,
}

impl Question {
    /// Whether the question suits a profile (one without conditions suits every profile).
    pub fn suits(&self, company: &CompanyDetails, profile: &ProfileDetails) -> bool {
        self.applies_when.as_ref().is_none_or(|when| when.holds(company, profile))
    }

    pub fn text(&self, language: AdLanguage) -> &str {
        language.pick(&self.da, &self.en)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Level {
    score: i64,
    #[serde(default)]
    en: String,
    #[serde(default)]
    da: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompetencyFile {
    id: String,
    name: Text,
    definition: Text,
    requirement: Text,
    requirement_one_client: Option<Text>,
    do_not_score: Text,
    #[serde(default)]
    levels: Vec<Level>,
    #[serde(default)]
    questions: Vec<Question>,
}

/// One competency with its anchored scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Competency {
    pub id: String,
    pub name: Text,
    pub definition: Text,
    /// A short phrase for job ads ("You express yourself clearly…").
    pub requirement: Text,
    /// The phrase for a job with one client, where `requirement` speaks of clients.
    pub requirement_one_client: Option<Text>,
    /// What interviewers must not let into the rating (an accent, nerves, a style).
    pub do_not_score: Text,
    /// The behavioural anchor of each score, 1 to 5.
    pub anchors: [Text; 5],
    pub questions: Vec<Question>,
}

impl Competency {
    /// The ad's phrase for this competency in `language`, in the singular for a job with one client.
    pub fn requirement_phrase(&self, one_client: bool, language: AdLanguage) -> &str {
        let phrase = if one_client { self.requirement_one_client.as_ref() } else { None };
        phrase.unwrap_or(&self.requirement).get(language)
    }
}

/// When a weight rule applies: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub size_band: Option<Vec<SizeBand>>,
    pub accounts_per_manager_at_least: Option<u32>,
    pub accounts_per_manager_at_most: Option<u32>,
    pub key_accounts_at_least: Option<u32>,
    pub client_size: Option<Vec<ClientSize>>,
    pub growth_focus: Option<Vec<GrowthFocus>>,
    pub presentation_frequency: Option<Vec<PresentationFrequency>>,
    pub meeting_cadence: Option<Vec<MeetingCadence>>,
    pub duty: Option<Duty>,
}

impl Condition {
    fn is_empty(&self) -> bool {
        self == &Condition::default()
    }

    pub fn holds(&self, company: &CompanyDetails, profile: &ProfileDetails) -> bool {
        let mix = &profile.client_mix;
        let within = |list: &Option<Vec<_>>, value| list.as_ref().is_none_or(|l: &Vec<_>| l.contains(value));
        within(&self.size_band, &company.size_band())
            && self.accounts_per_manager_at_least.is_none_or(|n| mix.accounts_per_manager >= n)
            && self.accounts_per_manager_at_most.is_none_or(|n| mix.accounts_per_manager <= n)
            && self.key_accounts_at_least.is_none_or(|n| mix.key_accounts_per_manager >= n)
            && self.client_size.as_ref().is_none_or(|l| l.contains(&mix.typical_client_size))
            && self.growth_focus.as_ref().is_none_or(|l| l.contains(&mix.growth_focus))
            && self.presentation_frequency.as_ref().is_none_or(|l| l.contains(&mix.presentation_frequency))
            && self.meeting_cadence.as_ref().is_none_or(|l| l.contains(&mix.meeting_cadence))
            && self.duty.is_none_or(|duty| profile.duties.contains(&duty))
    }
}

/// A rule that moves weights (and may raise minimums) for profiles it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub when: Condition,
    #[serde(default)]
    pub adjust: BTreeMap<String, i64>,
    #[serde(default)]
    pub minimum: BTreeMap<String, i64>,
    pub reason: Text,
}

/// Rules that measure the same thing: together they add at most `cap` to each competency
/// named, however many of them apply, so that one demand of the role is not counted twice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleGroup {
    pub id: String,
    pub rules: Vec<String>,
    pub cap: BTreeMap<String, i64>,
    /// What the group's rules all measure.
    pub reason: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsFile {
    base: BTreeMap<String, i64>,
    #[serde(default)]
    must_have: BTreeMap<String, i64>,
    #[serde(default)]
    groups: Vec<RuleGroup>,
    #[serde(default)]
    rules: Vec<Rule>,
}

/// The whole rubric, checked: every competency complete in both languages, every rule about
/// known competencies, every number in range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rubric {
    /// In the order of their base weight, then id.
    pub competencies: Vec<Competency>,
    base: BTreeMap<String, i64>,
    must_have: BTreeMap<String, i64>,
    pub groups: Vec<RuleGroup>,
    pub rules: Vec<Rule>,
    /// A content hash of every file, so a scorecard can say which rubric it was made with.
    pub version: String,
}

/// What is wrong with a rubric file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricError {
    pub file: String,
    pub item: String,
    pub reason: String,
}

impl std::fmt::Display for RubricError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.item, self.reason)
    }
}

/// The file that holds the weights; every other file is a competency.
pub const WEIGHTS_FILE: &str = "weights.toml";

/// Collects errors with the file they are in.
struct Findings<'a> {
    file: &'a str,
    errors: &'a mut Vec<RubricError>,
}

impl Findings<'_> {
    fn add(&mut self, item: impl Into<String>, reason: impl Into<String>) {
        self.errors.push(RubricError { file: self.file.to_owned(), item: item.into(), reason: reason.into() });
    }

    fn translations(&mut self, item: &str, text: &Text) {
        for language in text.missing() {
            self.add(format!("{item}.{language}"), "missing translation");
        }
    }
}

impl Rubric {
    /// Parses and checks the rubric from its files, given as (file name, contents): the
    /// weights in [`WEIGHTS_FILE`], each other file one competency. Returns every problem found.
    pub fn parse(files: &[(String, String)]) -> Result<Rubric, Vec<RubricError>> {
        let mut errors = Vec::new();
        let mut competencies: Vec<Competency> = Vec::new();
        let mut weights = None;
        let anchor_words = anchor_words_of(files, &mut errors);
        // In name order, so that a duplicate is always reported in the same file.
        let mut in_order: Vec<&(String, String)> = files.iter().collect();
        in_order.sort();
        for (file, contents) in in_order {
            let mut findings = Findings { file, errors: &mut errors };
            if file.ends_with(ANCHOR_WORDS_FILE) {
                continue;
            } else if file.ends_with(WEIGHTS_FILE) {
                weights = parse_toml::<WeightsFile>(contents, &mut findings);
            } else if let Some(parsed) = parse_toml::<CompetencyFile>(contents, &mut findings)
                && let Some(competency) = check_competency(parsed, &anchor_words, &mut findings)
            {
                if competencies.iter().any(|c| c.id == competency.id) {
                    findings.add(&competency.id, "duplicate competency id");
                } else {
                    competencies.push(competency);
                }
            }
        }
        if competencies.is_empty() {
            errors.push(RubricError {
                file: "competencies".into(),
                item: "-".into(),
                reason: "no competency files".into(),
            });
        }
        let Some(weights) = weights else {
            if !errors.iter().any(|e| e.file.ends_with(WEIGHTS_FILE)) {
                errors.push(RubricError { file: WEIGHTS_FILE.into(), item: "-".into(), reason: "missing".into() });
            }
            return Err(errors);
        };
        let ids: BTreeSet<&str> = competencies.iter().map(|c| c.id.as_str()).collect();
        let weights_file =
            files.iter().map(|(f, _)| f.as_str()).find(|f| f.ends_with(WEIGHTS_FILE)).unwrap_or(WEIGHTS_FILE);
        check_weights(&weights, &ids, &mut Findings { file: weights_file, errors: &mut errors });
        if !errors.is_empty() {
            return Err(errors);
        }
        competencies.sort_by(|a, b| weights.base[&b.id].cmp(&weights.base[&a.id]).then_with(|| a.id.cmp(&b.id)));
        Ok(Rubric {
            competencies,
            base: weights.base,
            must_have: weights.must_have,
            groups: weights.groups,
            rules: weights.rules,
            version: version_of(files),
        })
    }

    /// The group that caps what `rule` adds to `competency`, if any.
    fn group_capping(&self, rule: &str, competency: &str) -> Option<&RuleGroup> {
        self.groups.iter().find(|g| g.cap.contains_key(competency) && g.rules.iter().any(|r| r == rule))
    }

    /// Every competency's id, heaviest first.
    pub fn competency_ids(&self) -> Vec<&str> {
        self.competencies.iter().map(|c| c.id.as_str()).collect()
    }

    pub fn competency(&self, id: &str) -> Option<&Competency> {
        self.competencies.iter().find(|c| c.id == id)
    }

    /// The competency's name in `language`; its id when the rubric no longer has it.
    pub fn competency_name(&self, id: &str, language: AdLanguage) -> String {
        self.competency(id).map_or_else(|| id.to_owned(), |c| c.name.get(language).to_owned())
    }

    /// The profile's weights, heaviest first, each with the rules that moved it and any
    /// override a recruiter set (overrides of competencies the rubric no longer has are ignored).
    pub fn weigh<'r>(
        &'r self,
        company: &CompanyDetails,
        profile: &ProfileDetails,
        overrides: &'r [WeightOverride],
    ) -> Vec<DerivedWeight<'r>> {
        let mut weights = self.derive_weights(company, profile);
        for weight in &mut weights {
            if let Some(chosen) = overrides.iter().find(|o| o.competency_id == weight.competency.id) {
                weight.weight = chosen.weight;
                weight.minimum = chosen.minimum;
                weight.overridden = Some(chosen);
            }
        }
        weights.sort_by_key(|w| std::cmp::Reverse(w.weight));
        weights
    }

    /// The profile's weights by the rules alone, heaviest first, each with the rules that moved it.
    pub fn derive_weights(&self, company: &CompanyDetails, profile: &ProfileDetails) -> Vec<DerivedWeight<'_>> {
        let applying: Vec<&Rule> = self.rules.iter().filter(|rule| rule.when.holds(company, profile)).collect();
        let mut weights: Vec<DerivedWeight> = self
            .competencies
            .iter()
            .map(|competency| {
                let id = competency.id.as_str();
                let mut weight = self.base[id];
                let mut minimum = self.must_have.get(id).copied();
                let mut reasons = Vec::new();
                let mut shared = SharedEffects::default();
                for rule in &applying {
                    let asked = rule.adjust.get(id).copied().unwrap_or(0);
                    let group = self.group_capping(&rule.id, id);
                    let change = shared.allow(group, id, asked);
                    let raised = rule.minimum.get(id).copied().filter(|m| minimum.is_none_or(|old| *m > old));
                    if asked != 0 || raised.is_some() {
                        weight += change;
                        minimum = raised.or(minimum);
                        let shared_with = group.filter(|_| change != asked);
                        reasons.push(Adjustment { rule, change, minimum: raised, shared_with });
                    }
                }
                let weight = weight.clamp(0, WEIGHT_MAX);
                DerivedWeight { competency, weight, minimum, reasons, derived: (weight, minimum), overridden: None }
            })
            .collect();
        weights.sort_by_key(|w| std::cmp::Reverse(w.weight));
        weights
    }
}

/// A recruiter's choice of weight and minimum for one competency of one profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WeightOverride {
    pub competency_id: String,
    pub weight: i64,
    /// `None`: not a must-have.
    pub minimum: Option<i64>,
    /// Who set it; `None` once that user is gone.
    pub set_by: Option<String>,
    pub set_at: chrono::DateTime<chrono::Utc>,
}

/// A weight and minimum as a form or a JSON body sends them.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WeightInput {
    #[serde(deserialize_with = "super::input::lenient_text")]
    #[schema(value_type = u8, minimum = 0, maximum = 10, required = true)]
    pub weight: Option<String>,
    /// Empty or absent: not a must-have.
    #[serde(deserialize_with = "super::input::lenient_text")]
    #[schema(value_type = Option<u8>, minimum = 1, maximum = 5)]
    pub minimum: Option<String>,
}

impl WeightInput {
    /// The weight (0–10) and the minimum (1–5, or none).
    pub fn parse(&self) -> Result<(i64, Option<i64>), super::input::FieldErrors> {
        let mut p = super::input::FieldParser::default();
        let weight = p.required_integer("weight", &self.weight, 0..=WEIGHT_MAX);
        let minimum = p.optional_integer("minimum", &self.minimum, 1..=5);
        p.finish((weight, minimum))
    }
}

/// One competency's weight for a profile, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedWeight<'r> {
    pub competency: &'r Competency,
    /// 0–10.
    pub weight: i64,
    /// The lowest acceptable mean rating; `Some` makes the competency a must-have.
    pub minimum: Option<i64>,
    pub reasons: Vec<Adjustment<'r>>,
    /// The weight and minimum the rules gave, before any override.
    pub derived: (i64, Option<i64>),
    /// The recruiter's override that replaced them, if any.
    pub overridden: Option<&'r WeightOverride>,
}

impl From<&DerivedWeight<'_>> for Requirement {
    fn from(weight: &DerivedWeight<'_>) -> Self {
        Requirement {
            competency: weight.competency.id.clone(),
            weight: weight.weight as f64,
            minimum: weight.minimum.map(|m| m as f64),
        }
    }
}

/// How long one question may take with its follow-ups.
const QUESTION_MINUTES: std::ops::RangeInclusive<u32> = 2..=20;

/// What one rule did to one competency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment<'r> {
    pub rule: &'r Rule,
    /// What the rule added, after its group's cap.
    pub change: i64,
    pub minimum: Option<i64>,
    /// The group whose cap cut the rule's own change, which other rules of it had used.
    pub shared_with: Option<&'r RuleGroup>,
}

/// What each group's rules have added to one competency so far.
#[derive(Default)]
struct SharedEffects<'r> {
    used: BTreeMap<&'r str, i64>,
}

impl<'r> SharedEffects<'r> {
    /// The part of `asked` that `group`'s cap on `competency` still allows: all of it for a
    /// rule in no group, a lowering, or a competency the group does not cap.
    fn allow(&mut self, group: Option<&'r RuleGroup>, competency: &str, asked: i64) -> i64 {
        let Some((group, cap)) = group.and_then(|g| Some((g, *g.cap.get(competency)?))) else {
            return asked;
        };
        if asked <= 0 {
            return asked;
        }
        let used = self.used.entry(group.id.as_str()).or_default();
        let allowed = asked.min(cap - *used).max(0);
        *used += allowed;
        allowed
    }
}

fn parse_toml<T: serde::de::DeserializeOwned>(contents: &str, findings: &mut Findings) -> Option<T> {
    toml::from_str(contents)
        .map_err(|error| {
            let item = error.span().map(|span| location(contents, span.start)).unwrap_or_else(|| "-".into());
            findings.add(item, error.message().to_owned());
        })
        .ok()
}

/// "line L, column C" of a byte offset.
fn location(contents: &str, offset: usize) -> String {
    let before = &contents[..offset.min(contents.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
    format!("line {line}, column {column}")
}

/// The phrases anchors may not use, from [`ANCHOR_WORDS_FILE`]; none when the file is absent.
fn anchor_words_of(files: &[(String, String)], errors: &mut Vec<RubricError>) -> AnchorWords {
    let Some((file, contents)) = files.iter().find(|(name, _)| name.ends_with(ANCHOR_WORDS_FILE)) else {
        return AnchorWords::default();
    };
    parse_toml::<AnchorWordsFile>(contents, &mut Findings { file, errors }).map(AnchorWords::from).unwrap_or_default()
}

fn check_competency(file: CompetencyFile, anchor_words: &AnchorWords, findings: &mut Findings) -> Option<Competency> {
    let before = findings.errors.len();
    let id = file.id.trim().to_owned();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        findings.add("id", "must be lowercase letters and underscores");
    }
    findings.translations("name", &file.name);
    findings.translations("definition", &file.definition);
    findings.translations("requirement", &file.requirement);
    if let Some(phrase) = &file.requirement_one_client {
        findings.translations("requirement_one_client", phrase);
    }
    findings.translations("do_not_score", &file.do_not_score);
    let mut anchors: [Option<Text>; 5] = Default::default();
    for level in &file.levels {
        let item = format!("levels.{}", level.score);
        let Some(slot) = usize::try_from(level.score - 1).ok().and_then(|i| anchors.get_mut(i)) else {
            findings.add(item, "a level's score must be 1 to 5");
            continue;
        };
        if slot.is_some() {
            findings.add(item, "level given twice");
            continue;
        }
        let text = Text { en: level.en.clone(), da: level.da.clone() };
        findings.translations(&item, &text);
        for (language, anchor) in [("en", &text.en), ("da", &text.da)] {
            for phrase in anchor_words.found_in(anchor) {
                findings.add(
                    format!("{item}.{language}"),
                    format!("describes a trait, not behaviour: {:?} ({})", phrase.text, phrase.why),
                );
            }
        }
        *slot = Some(text);
    }
    for (score, anchor) in anchors.iter().enumerate() {
        if anchor.is_none() {
            findings.add(format!("levels.{}", score + 1), "missing level");
        }
    }
    if file.questions.len() < QUESTIONS_MIN {
        findings.add("questions", format!("at least {QUESTIONS_MIN} interview questions are needed"));
    }
    for (number, question) in file.questions.iter().enumerate() {
        let item = format!("questions.{}", number + 1);
        findings.translations(&item, &Text { en: question.en.clone(), da: question.da.clone() });
        findings.translations(&format!("{item}.strong_answer"), &question.strong_answer);
        if !QUESTION_MINUTES.contains(&question.minutes) {
            let (min, max) = (QUESTION_MINUTES.start(), QUESTION_MINUTES.end());
            findings.add(format!("{item}.minutes"), format!("{} minutes is outside {min}–{max}", question.minutes));
        }
        if question.applies_when.as_ref().is_some_and(Condition::is_empty) {
            findings.add(format!("{item}.applies_when"), "a condition needs at least one fact of the profile");
        }
    }
    if findings.errors.len() > before {
        return None;
    }
    Some(Competency {
        id,
        name: file.name,
        definition: file.definition,
        requirement: file.requirement,
        requirement_one_client: file.requirement_one_client,
        do_not_score: file.do_not_score,
        anchors: anchors.map(Option::unwrap_or_default),
        questions: file.questions,
    })
}

fn check_weights(weights: &WeightsFile, ids: &BTreeSet<&str>, findings: &mut Findings) {
    let known = |item: String, id: &str, findings: &mut Findings| {
        let known = ids.contains(id);
        if !known {
            findings.add(item, format!("unknown competency {id:?}"));
        }
        known
    };
    for (id, weight) in &weights.base {
        if known(format!("base.{id}"), id, findings) && !(0..=WEIGHT_MAX).contains(weight) {
            findings.add(format!("base.{id}"), format!("weight {weight} is outside 0–{WEIGHT_MAX}"));
        }
    }
    for id in ids.iter().filter(|id| !weights.base.contains_key(**id)) {
        findings.add(format!("base.{id}"), "the competency has no base weight");
    }
    for (id, minimum) in &weights.must_have {
        if known(format!("must_have.{id}"), id, findings) && !(1..=5).contains(minimum) {
            findings.add(format!("must_have.{id}"), format!("minimum {minimum} is outside 1–5"));
        }
    }
    let mut rule_ids = BTreeSet::new();
    for rule in &weights.rules {
        let item = format!("rules.{}", rule.id);
        if !rule_ids.insert(rule.id.as_str()) {
            findings.add(&item, "duplicate rule id");
        }
        if rule.when.is_empty() {
            findings.add(format!("{item}.when"), "a rule needs at least one condition");
        }
        if rule.adjust.is_empty() && rule.minimum.is_empty() {
            findings.add(&item, "a rule must adjust a weight or raise a minimum");
        }
        for (id, change) in &rule.adjust {
            if known(format!("{item}.adjust.{id}"), id, findings) && !(-WEIGHT_MAX..=WEIGHT_MAX).contains(change) {
                findings.add(format!("{item}.adjust.{id}"), format!("change {change} is outside ±{WEIGHT_MAX}"));
            }
        }
        for (id, minimum) in &rule.minimum {
            if known(format!("{item}.minimum.{id}"), id, findings) && !(1..=5).contains(minimum) {
                findings.add(format!("{item}.minimum.{id}"), format!("minimum {minimum} is outside 1–5"));
            }
        }
        findings.translations(&format!("{item}.reason"), &rule.reason);
    }
    check_groups(&weights.groups, &rule_ids, ids, findings);
}

fn check_groups(groups: &[RuleGroup], rule_ids: &BTreeSet<&str>, ids: &BTreeSet<&str>, findings: &mut Findings) {
    let mut group_ids = BTreeSet::new();
    // (rule, competency) pairs already capped by a group: a second cap would be ambiguous.
    let mut capped = BTreeSet::new();
    for group in groups {
        let item = format!("groups.{}", group.id);
        if !group_ids.insert(group.id.as_str()) {
            findings.add(&item, "duplicate group id");
        }
        if group.cap.is_empty() || group.rules.len() < 2 {
            findings.add(&item, "a group needs a cap on at least one competency and two rules or more");
        }
        for (id, cap) in &group.cap {
            if !ids.contains(id.as_str()) {
                findings.add(format!("{item}.cap.{id}"), format!("unknown competency {id:?}"));
            } else if !(1..=WEIGHT_MAX).contains(cap) {
                findings.add(format!("{item}.cap.{id}"), format!("cap {cap} is outside 1–{WEIGHT_MAX}"));
            }
        }
        for rule in &group.rules {
            if !rule_ids.contains(rule.as_str()) {
                findings.add(format!("{item}.rules"), format!("unknown rule {rule:?}"));
            }
            for id in group.cap.keys() {
                if !capped.insert((rule.as_str(), id.as_str())) {
                    findings.add(
                        format!("{item}.rules"),
                        format!("rule {rule:?} is already capped on {id:?} by another group"),
                    );
                }
            }
        }
        findings.translations(&format!("{item}.reason"), &group.reason);
    }
}

/// A SHA-256 over every file's name and contents, in name order. A name counts as it sits in
/// a folder called `rubrics`, wherever that folder is (or whether the rubric is the built-in
/// one): the same files are the same version, which scorecards keep.
fn version_of(files: &[(String, String)]) -> String {
    let mut sorted: Vec<_> = files.iter().map(|(name, contents)| (versioned_name(name), contents)).collect();
    sorted.sort();
    let mut hash = Sha256::new();
    for (name, contents) in sorted {
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update(contents.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// `name` (a file's path) as [`version_of`] counts it: `rubrics/` and the path below the
/// rubric's folder (`competencies/…` or the file's own name).
fn versioned_name(name: &str) -> String {
    let below = match name.rfind("competencies/") {
        Some(at) => &name[at..],
        None => name.rsplit(['/', '\\']).next().unwrap_or(name),
    };
    format!("rubrics/{below}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::demo_companies;

    /// The shipped rubric, read the way the loader reads it.
    fn shipped() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics");
        let mut files = vec![
            (WEIGHTS_FILE.to_owned(), std::fs::read_to_string(root.join(WEIGHTS_FILE)).unwrap()),
            (ANCHOR_WORDS_FILE.to_owned(), std::fs::read_to_string(root.join(ANCHOR_WORDS_FILE)).unwrap()),
        ];
        for entry in std::fs::read_dir(root.join("competencies")).unwrap().flatten() {
            let name = format!("competencies/{}", entry.file_name().to_string_lossy());
            files.push((name, std::fs::read_to_string(entry.path()).unwrap()));
        }
        files
    }

    fn with_file(mut files: Vec<(String, String)>, name: &str, edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
        let file = files.iter_mut().find(|(n, _)| n == name).unwrap();
        file.1 = edit(&file.1);
        files
    }

    fn errors(files: &[(String, String)]) -> Vec<String> {
        Rubric::parse(files).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_shipped_rubric_is_complete() {
        let rubric = Rubric::parse(&shipped()).unwrap_or_else(|e| panic!("{e:?}"));
        let ids: BTreeSet<_> = rubric.competencies.iter().map(|c| c.id.as_str()).collect();
        for id in [
            "communication",
            "reliability",
            "customer_service",
            "diligence",
            "efficiency",
            "relationship_building",
            "commercial_sense",
            "presentation",
            "delivery_coordination",
            "negotiation",
            "account_planning",
        ] {
            assert!(ids.contains(id), "{id}");
        }
        for competency in &rubric.competencies {
            let texts = [&competency.name, &competency.definition, &competency.requirement, &competency.do_not_score];
            let anchors = competency.anchors.iter();
            assert!(
                texts.into_iter().chain(anchors).all(|t| !t.en.is_empty() && !t.da.is_empty()),
                "{}",
                competency.id
            );
            assert!(competency.questions.len() >= 3, "{}", competency.id);
            assert!(competency.questions.iter().all(|q| !q.en.is_empty() && !q.da.is_empty() && q.minutes > 0));
        }
        assert_eq!(rubric.version.len(), 16);
    }

    #[test]
    fn weights_follow_the_profile() {
        let rubric = Rubric::parse(&shipped()).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let demo = demo_companies(today);
        let weight_of =
            |weights: &[DerivedWeight], id: &str| weights.iter().find(|w| w.competency.id == id).unwrap().weight;

        // The 12-person agency: 30 small clients each, renewals, liaison, upsell targets.
        let (agency, agency_profile) = &demo[0];
        let agency_weights = rubric.derive_weights(agency, agency_profile);
        // efficiency: 3 base + 2 small company + 2 many accounts + 1 small-business clients, but
        // the three measure one demand (volume) and share a cap of +3: 6.
        assert_eq!(weight_of(&agency_weights, "efficiency"), 6);
        assert_eq!(weight_of(&agency_weights, "presentation"), 2);
        let must: Vec<_> =
            agency_weights.iter().filter(|w| w.minimum.is_some()).map(|w| w.competency.id.as_str()).collect();
        assert_eq!(must.len(), 2, "communication and customer service are must-haves by default: {must:?}");
        let efficiency = agency_weights.iter().find(|w| w.competency.id == "efficiency").unwrap();
        let rules: Vec<_> = efficiency.reasons.iter().map(|r| r.rule.id.as_str()).collect();
        assert_eq!(rules, ["small-company", "many-accounts", "small-business-clients"]);
        let changes: Vec<_> =
            efficiency.reasons.iter().map(|r| (r.change, r.shared_with.map(|g| g.id.as_str()))).collect();
        assert_eq!(changes, [(2, None), (1, Some("volume")), (0, Some("volume"))], "the cap cuts the later rules");

        // The enterprise: one key client, weekly meetings, presents often.
        let (enterprise, key_account) = &demo[2];
        let key_weights = rubric.derive_weights(enterprise, key_account);
        // presentation: 2 base + 1 large + 2 enterprise clients + 3 presents often, which all
        // describe presenting to senior audiences and share a cap of +3: 5. Not a must-have: the
        // source text says presenting can be coached.
        let presentation = key_weights.iter().find(|w| w.competency.id == "presentation").unwrap();
        assert_eq!((presentation.weight, presentation.minimum), (5, None));
        // Renewals with an enterprise's procurement are negotiations.
        assert_eq!(weight_of(&key_weights, "negotiation"), 5);
        assert!(weight_of(&key_weights, "account_planning") > weight_of(&agency_weights, "account_planning"));
        assert!(weight_of(&key_weights, "relationship_building") > weight_of(&agency_weights, "relationship_building"));
        assert!(weight_of(&key_weights, "efficiency") < weight_of(&agency_weights, "efficiency"));
        assert!(key_weights.windows(2).all(|pair| pair[0].weight >= pair[1].weight), "heaviest first");
        assert!(key_weights.iter().all(|w| (0..=WEIGHT_MAX).contains(&w.weight)));
    }

    #[test]
    fn broken_files_are_named_with_the_item_and_the_reason() {
        let missing_level =
            with_file(shipped(), "competencies/diligence.toml", |s| s.replacen("score = 3", "score = 2", 1));
        let found = errors(&missing_level);
        assert!(found.contains(&"competencies/diligence.toml: levels.2: level given twice".to_owned()), "{found:?}");
        assert!(found.contains(&"competencies/diligence.toml: levels.3: missing level".to_owned()), "{found:?}");

        let duplicate = with_file(shipped(), "competencies/diligence.toml", |s| {
            s.replace("id = \"diligence\"", "id = \"reliability\"")
        });
        assert!(
            errors(&duplicate)
                .contains(&"competencies/reliability.toml: reliability: duplicate competency id".to_owned())
        );

        let unknown =
            with_file(shipped(), WEIGHTS_FILE, |s| s.replace("adjust = { diligence = 2 }", "adjust = { golf = 2 }"));
        assert!(
            errors(&unknown)
                .contains(&"weights.toml: rules.reporting.adjust.golf: unknown competency \"golf\"".to_owned())
        );

        let untranslated =
            with_file(shipped(), "competencies/reliability.toml", |s| s.replace("da = \"Pålidelighed\"", "da = \"\""));
        assert!(
            errors(&untranslated).contains(&"competencies/reliability.toml: name.da: missing translation".to_owned())
        );

        let heavy = with_file(shipped(), WEIGHTS_FILE, |s| s.replace("presentation = 2\n", "presentation = 12\n"));
        assert!(errors(&heavy).contains(&"weights.toml: base.presentation: weight 12 is outside 0–10".to_owned()));

        let broken = with_file(shipped(), WEIGHTS_FILE, |s| s.replace("[base]", "[base"));
        let found = errors(&broken);
        assert_eq!(found, ["weights.toml: line 6, column 6: unclosed table, expected `]`"]);

        let bad_condition =
            with_file(shipped(), WEIGHTS_FILE, |s| s.replace("when.duty = \"reporting\"", "when.duty = \"golf\""));
        assert!(errors(&bad_condition)[0].contains("unknown variant `golf`"));

        let few_questions = with_file(shipped(), "competencies/efficiency.toml", |s| {
            s.split("[[questions]]").next().unwrap().to_owned()
        });
        assert!(errors(&few_questions).contains(
            &"competencies/efficiency.toml: questions: at least 3 interview questions are needed".to_owned()
        ));
    }

    #[test]
    fn an_anchor_that_names_a_trait_is_refused() {
        let trait_words = with_file(shipped(), "competencies/reliability.toml", |s| {
            s.replacen("Can show commitments kept over time", "Known as the one who keeps commitments over time", 1)
        });
        let found = errors(&trait_words);
        assert_eq!(
            found[..1],
            [
                "competencies/reliability.toml: levels.5.en: describes a trait, not behaviour: \"known as\" (a reputation, not something the candidate did)"
            ]
        );
        let nerves = with_file(shipped(), "competencies/presentation.toml", |s| {
            s.replacen("Undgår at præsentere;", "Undgår at præsentere; virker nervøs;", 1)
        });
        assert!(
            errors(&nerves)[0].starts_with(
                "competencies/presentation.toml: levels.1.da: describes a trait, not behaviour: \"nervøs\""
            )
        );
        let malformed = with_file(shipped(), ANCHOR_WORDS_FILE, |s| s.replacen("why = ", "reason = ", 1));
        assert!(errors(&malformed)[0].starts_with("anchor_words.toml: line "), "{:?}", errors(&malformed));
    }

    #[test]
    fn rule_groups_and_question_conditions_are_checked() {
        let unknown_in_group = with_file(shipped(), WEIGHTS_FILE, |s| {
            s.replace("cap = { efficiency = 3 }", "cap = { golf = 3 }").replace(
                "rules = [\"growth-focus\", \"upsell-targets\", \"new-clients\"]",
                "rules = [\"growth-focus\", \"upsel-targets\", \"new-clients\"]",
            )
        });
        let found = errors(&unknown_in_group);
        assert!(
            found.contains(&"weights.toml: groups.volume.cap.golf: unknown competency \"golf\"".to_owned()),
            "{found:?}"
        );
        assert!(
            found.contains(&"weights.toml: groups.growing-revenue.rules: unknown rule \"upsel-targets\"".to_owned()),
            "{found:?}"
        );
        let capped_twice = with_file(shipped(), WEIGHTS_FILE, |s| {
            s.replace("cap = { account_planning = 5 }", "cap = { relationship_building = 3 }")
        });
        assert!(
            errors(&capped_twice)
                .iter()
                .any(|e| e.contains("is already capped on \"relationship_building\" by another group"))
        );

        let unknown_fact = with_file(shipped(), "competencies/efficiency.toml", |s| {
            s.replace("applies_when.accounts_per_manager_at_least = 10", "applies_when.clients_at_least = 10")
        });
        let found = errors(&unknown_fact);
        assert!(found[0].starts_with("competencies/efficiency.toml: line "), "{found:?}");
        assert!(found[0].contains("unknown field `clients_at_least`, expected one of `size_band`"), "{found:?}");

        let endless =
            with_file(shipped(), "competencies/efficiency.toml", |s| s.replacen("minutes = 7", "minutes = 45", 1));
        assert!(
            errors(&endless)
                .contains(&"competencies/efficiency.toml: questions.1.minutes: 45 minutes is outside 2–20".to_owned())
        );
    }

    #[test]
    fn an_override_replaces_the_derived_values_and_keeps_them_for_reference() {
        let rubric = Rubric::parse(&shipped()).unwrap();
        let (company, profile) = demo_companies(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).remove(0);
        let overrides = [WeightOverride {
            competency_id: "presentation".into(),
            weight: 10,
            minimum: Some(4),
            set_by: Some("Rita".into()),
            set_at: chrono::Utc::now(),
        }];
        let weights = rubric.weigh(&company, &profile, &overrides);
        assert_eq!(weights[0].competency.id, "presentation", "the override moves it to the top");
        assert_eq!((weights[0].weight, weights[0].minimum, weights[0].derived), (10, Some(4), (2, None)));
        assert!(weights[0].overridden.is_some());
        let unknown = [WeightOverride { competency_id: "golf".into(), ..overrides[0].clone() }];
        assert_eq!(rubric.weigh(&company, &profile, &unknown), rubric.derive_weights(&company, &profile));
    }

    #[test]
    fn weight_input_is_bounded() {
        let input = |w: &str, m: &str| WeightInput { weight: Some(w.into()), minimum: Some(m.into()) }.parse();
        assert_eq!(input("7", ""), Ok((7, None)));
        assert_eq!(input("0", "5"), Ok((0, Some(5))));
        for (w, m, field) in [
            ("-1", "", "weight"),
            ("11", "", "weight"),
            ("abc", "", "weight"),
            ("", "", "weight"),
            ("3", "0", "minimum"),
            ("3", "2.5", "minimum"),
        ] {
            assert!(input(w, m).unwrap_err().has(field), "{w:?} {m:?}");
        }
    }

    #[test]
    fn the_version_changes_with_any_content() {
        let base = Rubric::parse(&shipped()).unwrap().version;
        let edited = with_file(shipped(), "competencies/diligence.toml", |s| s.replace("Careful", "Very careful"));
        assert_ne!(Rubric::parse(&edited).unwrap().version, base);
        let elsewhere: Vec<_> = shipped()
            .into_iter()
            .map(|(name, text)| (format!("/srv/amfit/my-rubric/{}", name.trim_start_matches("rubrics/")), text))
            .collect();
        assert_eq!(
            Rubric::parse(&elsewhere).unwrap().version,
            base,
            "the same files in another folder: the same version"
        );
    }
}
