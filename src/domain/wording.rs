//! The wording check of a job ad: gender-coded words (Gaucher, Friesen & Kay, 2011), wording
//! that Danish anti-discrimination law forbids, readability (LIX) and the ad's structure. The
//! word lists are data (`rubrics/wording/*.toml`); this module knows no list by heart.
//!
//! Positions are counted in characters (Unicode scalar values) from the start of the text.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};

use super::ad::REQUIREMENTS_MAX;
use super::input::{FieldErrors, FieldParser, lenient_text};
use super::profile::AdLanguage;

/// The longest text checked: far above any job ad, and a bound on the work of one check.
pub const TEXT_MAX: usize = 50_000;

mod age;
mod context;
mod frames;
mod inflection;

use self::age::AgeWords;
use self::context::{RoleWords, WordList, next_in_sentence};
use self::frames::{ApplicantWords, EmployerWords, InclusionWords, PronounWords, StaffWords};
use self::inflection::{Stemmer, StemmerLanguage, inflects};
/// Words longer than this many letters are long words in LIX.
const LONG_WORD: usize = 6;

named_choice!(
    /// What a discrimination-law flag is about.
    FlagCategory, "flag" { Age, Gender, Health, Family, Origin, Belief, Orientation }
);

named_choice!(
    /// The gender-decoder's verdict on (feminine − masculine) coded words.
    GenderVerdict, "gender-verdict" {
        /// No coded word at all.
        Empty,
        Neutral,
        FeminineCoded,
        StronglyFeminineCoded,
        MasculineCoded,
        StronglyMasculineCoded,
    }
);

named_choice!(
    /// LIX bands as Danish readability guidance uses them.
    LixBand, "lix" { VeryEasy, Easy, Medium, Difficult, VeryDifficult }
);

named_choice!(
    /// Practical information a job ad should give.
    PracticalItem, "practical" { Deadline, Start, Place, Hours, Contact }
);

impl FlagCategory {
    /// The law a flag of this category rests on.
    pub fn law(self) -> &'static str {
        match self {
            FlagCategory::Gender => "ligebehandlingsloven § 6",
            // Family situation is indirect discrimination by gender (§ 1), in an ad (§ 6).
            FlagCategory::Family => "ligebehandlingsloven §§ 1, 6",
            FlagCategory::Age
            | FlagCategory::Health
            | FlagCategory::Origin
            | FlagCategory::Belief
            | FlagCategory::Orientation => "forskelsbehandlingsloven § 6",
        }
    }
}

impl LixBand {
    pub fn of(lix: f64) -> Self {
        match lix {
            l if l < 25.0 => LixBand::VeryEasy,
            l if l < 35.0 => LixBand::Easy,
            l if l < 45.0 => LixBand::Medium,
            l if l < 55.0 => LixBand::Difficult,
            _ => LixBand::VeryDifficult,
        }
    }
}

impl GenderVerdict {
    /// The gender-decoder's bands: 0 is neutral (empty without any coded word), 1–3 feminine,
    /// above 3 strongly feminine, and the same below 0 for masculine.
    pub fn of(feminine: usize, masculine: usize) -> Self {
        match feminine as i64 - masculine as i64 {
            0 if feminine == 0 => GenderVerdict::Empty,
            0 => GenderVerdict::Neutral,
            d if d > 3 => GenderVerdict::StronglyFeminineCoded,
            d if d > 0 => GenderVerdict::FeminineCoded,
            d if d < -3 => GenderVerdict::StronglyMasculineCoded,
            _ => GenderVerdict::MasculineCoded,
        }
    }
}

/// A span of the checked text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    /// The text of the span, as written.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CodedWord {
    #[serde(flatten)]
    pub span: Span,
    /// The stem it matched (shared with the rules: a text has many coded words).
    #[schema(value_type = String)]
    pub stem: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Flag {
    #[serde(flatten)]
    pub span: Span,
    pub category: FlagCategory,
    /// The law that forbids it.
    pub law: &'static str,
    pub suggestion: String,
}

/// Lawful wording that narrows who applies, with a wording that does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Prompt {
    #[serde(flatten)]
    pub span: Span,
    pub suggestion: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Readability {
    /// Björnsson's LIX: words per sentence plus the percentage of long words.
    pub lix: f64,
    pub band: LixBand,
    pub words: usize,
    pub sentences: usize,
    pub average_sentence_length: f64,
    /// Percentage of words longer than six letters.
    pub long_word_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WordingReport {
    pub language: AdLanguage,
    pub verdict: GenderVerdict,
    pub masculine: Vec<CodedWord>,
    pub feminine: Vec<CodedWord>,
    pub flags: Vec<Flag>,
    /// Lawful wording that narrows who applies ("dynamisk", "stressresistent"): worth a second
    /// thought, not a breach.
    pub prompts: Vec<Prompt>,
    /// The sentences written in the other language.
    pub other_language: Vec<Span>,
    pub readability: Readability,
    /// "The candidate" where the ad should say "you".
    pub third_person: Vec<Span>,
    pub missing_practical: Vec<PracticalItem>,
    /// How many requirements the ad lists under its must-have headings; more than
    /// [`REQUIREMENTS_MAX`] deters qualified applicants.
    pub must_haves: usize,
}

impl WordingReport {
    /// More must-haves than an ad should list.
    pub fn too_many_must_haves(&self) -> bool {
        self.must_haves > REQUIREMENTS_MAX
    }
}

/// A text to check, as a body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WordingCheckInput {
    /// At most 50,000 characters.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, required = true)]
    pub text: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = AdLanguage, required = true)]
    pub language: Option<String>,
}

impl WordingCheckInput {
    pub fn parse(&self) -> Result<(String, AdLanguage), FieldErrors> {
        let mut p = FieldParser::default();
        let language = p.choice("language", &self.language);
        let text = p.required_text_within("text", &self.text, TEXT_MAX);
        p.finish((text, language))
    }
}

/// What a marked stretch of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Masculine,
    Feminine,
    /// The flag's index in [`WordingReport::flags`].
    Flag(usize),
    /// The prompt's index in [`WordingReport::prompts`].
    Prompt(usize),
    /// A sentence in the other language.
    OtherLanguage,
    ThirdPerson,
}

/// A stretch of the checked text, marked or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub mark: Option<Mark>,
}

impl WordingReport {
    /// The text cut into stretches with the findings marked, for showing it highlighted. Where
    /// findings overlap, a discrimination flag wins over a prompt, which wins over "the
    /// candidate", which wins over a coded word (a word that starts two stems is marked once).
    pub fn segments(&self, text: &str) -> Vec<Segment> {
        let mut marks: Vec<(usize, usize, Mark)> = Vec::new();
        let candidates = self
            .flags
            .iter()
            .enumerate()
            .map(|(i, f)| (&f.span, Mark::Flag(i)))
            .chain(self.prompts.iter().enumerate().map(|(i, p)| (&p.span, Mark::Prompt(i))))
            .chain(self.other_language.iter().map(|span| (span, Mark::OtherLanguage)))
            .chain(self.third_person.iter().map(|span| (span, Mark::ThirdPerson)))
            .chain(self.masculine.iter().map(|w| (&w.span, Mark::Masculine)))
            .chain(self.feminine.iter().map(|w| (&w.span, Mark::Feminine)));
        for (span, mark) in candidates {
            if !marks.iter().any(|&(start, end, _)| span.start < end && start < span.end) {
                marks.push((span.start, span.end, mark));
            }
        }
        marks.sort_by_key(|&(start, _, _)| start);
        let chars: Vec<char> = text.chars().collect();
        let mut segments = Vec::new();
        let mut at = 0;
        for (start, end, mark) in marks {
            if start > at {
                segments.push(Segment { text: chars[at..start].iter().collect(), mark: None });
            }
            segments.push(Segment { text: chars[start..end].iter().collect(), mark: Some(mark) });
            at = end;
        }
        if at < chars.len() {
            segments.push(Segment { text: chars[at..].iter().collect(), mark: None });
        }
        segments
    }
}

/// A word list file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    language: AdLanguage,
    gender: GenderLists,
    third_person: Vec<String>,
    /// Headings under which an ad lists what it requires (compared without case and without a
    /// trailing colon).
    #[serde(default)]
    must_have_headings: Vec<String>,
    practical: Vec<PracticalFile>,
    flag: Vec<FlagFile>,
    /// Wording that is lawful but narrows who applies: prompts to reconsider, not flags.
    #[serde(default)]
    prompt: Vec<PromptFile>,
    /// The language's commonest short words, none shared with the other language: what tells
    /// a sentence's language.
    #[serde(default)]
    function_words: Vec<String>,
    /// The words that show a gendered word names whom the ad seeks.
    #[serde(default)]
    role: RoleWords,
    /// Whom and what a job serves, treats or sells: a listed word right before one of them
    /// describes them ("mandlige patienter", "thailandsk mad"), not whom the ad seeks.
    #[serde(default)]
    served: WordList,
    /// Verbs whose object is whom the job serves: "hjælpe flygtninge fra Ukraine".
    #[serde(default)]
    serving: WordList,
    /// Relative words that open a clause on the word before them: "som" in "vores kunder, som
    /// typisk er landmænd".
    #[serde(default)]
    served_clauses: WordList,
    /// Words that give a demand its legal basis ("lovkrav", "ifølge loven"): a demand the law
    /// itself makes is no flag (an entry may be several words).
    #[serde(default)]
    lawful_basis: WordList,
    /// The employer named before the verb that seeks.
    #[serde(default)]
    employer: EmployerWords,
    /// The words that show a sentence asks something of the applicant.
    #[serde(default)]
    applicant: ApplicantWords,
    /// The words that show a group word describes the staff.
    #[serde(default)]
    staff: StaffWords,
    /// Inclusion statements: the grounds they list are no flag.
    #[serde(default)]
    inclusion: InclusionWords,
    /// Gendered pronouns that stand for the applicant.
    #[serde(default)]
    pronoun: Option<PronounWords>,
    /// The Snowball stemmer by which listed words also match their inflected forms.
    #[serde(default)]
    stemmer: Option<StemmerLanguage>,
    /// Endings that a listed word's inflected forms change rather than extend (`["et", "ede"]`:
    /// "venstreorienteret", "venstreorienterede"): the changed form is listed with it.
    #[serde(default)]
    changed_endings: Vec<(String, String)>,
    /// Phrases that count a crowd the work concerns ("tusindvis af"), as a number of 100 or
    /// more does; each is read as ending right before the match.
    #[serde(default)]
    crowds: WordList,
    /// Words that no legal basis makes lawful to ask ("etnisk", "race"): a sentence that gives a
    /// basis for a citizenship does not give one for an ethnicity.
    #[serde(default)]
    never_lawful: WordList,
    /// The words around numbers that make them ages.
    #[serde(default)]
    age: Option<AgeWords>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenderLists {
    feminine: Vec<String>,
    masculine: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PracticalFile {
    item: PracticalItem,
    /// Phrases that give the item wherever they stand ("søg senest").
    #[serde(default)]
    words: Vec<String>,
    /// Words that give it only as a label or a heading, first on their line ("Tiltrædelse:"):
    /// elsewhere they mean something else ("en god start").
    #[serde(default)]
    labels: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagFile {
    category: FlagCategory,
    patterns: Vec<String>,
    suggestion: String,
    /// Where a match counts.
    #[serde(default)]
    when: FlagWhen,
    /// Words that, right after a match, show it is about something else ("unge virksomheder"
    /// are the clients); `*` at the end for any ending.
    #[serde(default)]
    not_before: Vec<String>,
    /// When given, a match counts only with one of these among the two words before it
    /// ("gift" is the marital status in "er gift", the poison in "gift og sprøjtemidler").
    #[serde(default)]
    after: Vec<String>,
    /// Words that, for this rule, do not introduce the role (with `when = "role"`).
    #[serde(default)]
    not_led_by: Vec<String>,
    /// When given, a match counts only with one of these (an entry may be several words)
    /// within a few words of it in its sentence: "ikke", "sjældent", "planer".
    #[serde(default)]
    near: Vec<String>,
    /// Words that, anywhere in its sentence, count as `near` words do and say whom the sentence
    /// asks it of: a phase of life said to be over ("vi har haft tre på barsel, så nu søger vi
    /// en, der er færdig med den del af livet").
    #[serde(default)]
    in_sentence: Vec<String>,
    /// Whether a sentence that keeps someone out counts as a `near` word does: where the near
    /// words are words of demand ("ikke", "sjældent"), not words that tell the sense ("medlem"
    /// makes "partiet" a party).
    #[serde(default)]
    near_exclusions: bool,
    /// When given, a match does not count with one of these in its sentence: the reason the
    /// work gives ("fordi", "røgdykker"), the language work that needs flawless Danish
    /// ("korrekturlæse").
    #[serde(default)]
    not_near: Vec<String>,
    /// Words that, a few words before a match in its clause, show it describes something
    /// else: "friskole" in "en friskole med et kristent livssyn".
    #[serde(default)]
    not_after: Vec<String>,
    /// When given, a match counts only with one of these as the word after it: a nationality
    /// describes people in "polske håndværkere", a language in "taler polsk", an
    /// authorisation in "dansk autoriseret sygeplejerske".
    #[serde(default)]
    before: Vec<String>,
    /// Words a pattern with `*` would find that are not the rule's: "sygeplejerske" is the
    /// neutral title of a nurse.
    #[serde(default)]
    except: Vec<String>,
}

/// Where a flag's match counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum FlagWhen {
    #[default]
    Anywhere,
    /// Only where it names whom the ad seeks (see [`RoleWords`]): "landmænd" as the clients
    /// is no gendered job title.
    Role,
    /// Only where it names whom the ad seeks or stands in a sentence that asks something of
    /// the applicant (see [`ApplicantWords`]): "raske dyr" are the clients' animals.
    Applicant,
    /// Only where it describes the staff the applicant would join (see [`StaffWords`]).
    Staff,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PromptFile {
    patterns: Vec<String>,
    suggestion: String,
    #[serde(default)]
    not_before: Vec<String>,
}

/// A word or phrase to find; `*` at the end of a one-word pattern matches any ending, at the
/// start any beginning.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    words: Vec<String>,
    /// Each word's stem, where its inflected forms match too.
    stems: Vec<Option<String>>,
    any_ending: bool,
    any_beginning: bool,
}

impl Pattern {
    fn parse(text: &str) -> Result<Self, String> {
        let lower = text.trim().to_lowercase();
        let any_ending = lower.ends_with('*');
        let any_beginning = lower.starts_with('*');
        let words: Vec<String> = lower.trim_matches('*').split_whitespace().map(str::to_owned).collect();
        if words.is_empty()
            || ((any_ending || any_beginning) && words.len() > 1)
            || words.iter().any(|w| w.contains('*'))
        {
            return Err(format!("{text:?} is not a word or a phrase (\"*\" only at either end of one word)"));
        }
        Ok(Self { stems: vec![None; words.len()], words, any_ending, any_beginning })
    }

    /// The pattern with its words' inflected forms matching too.
    /// The pattern with its inflected forms matching too: every form of a one-word pattern,
    /// and of the last word of a phrase. A phrase's first words are mostly function words
    /// ("ikke", "i", "uden"), which do not inflect: stemming every word that begins with one
    /// made the check ten times slower.
    fn inflected(mut self, stemmer: &Stemmer) -> Self {
        let last = self.words.len() - 1;
        self.stems =
            self.words.iter().enumerate().map(|(i, word)| (i == last).then(|| stemmer.comparable(word))).collect();
        self
    }

    /// How many tokens from `at` the pattern (without `*`) covers there, if it matches; a
    /// word is stemmed only when it begins with the listed one.
    #[inline]
    fn matches_at(&self, tokens: &[Token<'_>], at: usize, stemmer: Option<&Stemmer>) -> Option<usize> {
        let candidates = tokens.get(at..at + self.words.len())?;
        let matches = |((word, stem), token): ((&String, &Option<String>), &Token<'_>)| {
            token.lower == word
                || stem.as_deref().zip(stemmer).is_some_and(|(stem, stemmer)| {
                    token.lower.starts_with(word.as_str())
                        && inflects(token.lower, &stemmer.stem(token.lower), word, stem)
                })
        };
        self.words.iter().zip(&self.stems).zip(candidates).all(matches).then_some(self.words.len())
    }
}

/// The form of a listed word whose ending its inflection changes ("venstreorienteret" →
/// "venstreorienterede"), if it has such an ending and no `*` at its end.
fn changed_form(text: &str, endings: &[(String, String)]) -> Option<String> {
    let text = text.trim();
    endings.iter().find_map(|(ending, changed)| {
        let base = text.strip_suffix(ending.as_str())?;
        (!base.is_empty() && !base.contains(' ')).then(|| format!("{base}{changed}"))
    })
}

/// Which rule a pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finding {
    /// The index of the flag rule.
    Flag(usize),
    /// The index of the prompt rule.
    Prompt(usize),
    ThirdPerson,
    /// The index of the practical item.
    Practical(usize),
    /// The index of the practical item, given by a label.
    PracticalLabel(usize),
}

/// Every pattern of a language, by its first word, so that each word of a text is looked up
/// once rather than compared with every pattern.
#[derive(Debug)]
struct PatternIndex {
    by_first_word: FxHashMap<String, Vec<(Finding, Pattern)>>,
    /// The patterns whose first word matches its inflected forms, by that word: a word of a
    /// text is looked up by its beginnings of these lengths (in bytes, a bit each).
    by_inflected_first: FxHashMap<String, Vec<(Finding, Pattern)>>,
    /// For each first byte, a bit for each length of a listed word with it, as for exact words.
    inflected_shapes: [u64; 256],
    /// The stemmer that tells an inflected form, for a language that has one.
    stemmer: Option<Stemmer>,
    /// For each first byte of a first word, a bit for each length (in bytes, 63 for longer)
    /// that first words with it have: most words of a text are ruled out without hashing.
    first_word_shapes: [u64; 256],
    /// The one-word patterns with a `*`.
    affixes: Vec<Affix>,
    /// The affixes by the first two bytes of their part: a word is compared only with those
    /// whose part could stand where it begins, or at a place near its end.
    affixes_by_start: FxHashMap<[u8; 2], Vec<usize>>,
    /// For each first byte, a bit for each second byte (modulo 64) that parts begin with.
    affix_second_bytes: [u64; 256],
    /// The longest part, in bytes: how far from a word's end a part can begin.
    longest_part: usize,
}

/// The longest inflectional ending, in bytes, after a part that ends words ("erne", "ernes").
const INFLECTION_BYTES: usize = 6;

/// A one-word pattern with `*` at one end: a word part that begins or ends words.
#[derive(Debug)]
struct Affix {
    finding: Finding,
    part: String,
    /// The part's stem, where a word's inflected forms match too ("kassedamerne" for `*dame`).
    part_stem: Option<String>,
    /// `*mand`: the part ends the word (and is not all of it); `ung*`: it begins the word.
    ends_word: bool,
}

impl Affix {
    /// Whether the (lower-case) word has the part; the first or last byte rules most words
    /// out before the comparison. A part that ends words also ends an inflected word's stem,
    /// with the whole part still in the word ("kassedamerne", not "amsterdam").
    #[inline]
    fn matches(&self, token: &Token<'_>, stemmer: Option<&Stemmer>) -> bool {
        let (word, part) = (token.lower.as_bytes(), self.part.as_bytes());
        if self.ends_word {
            let compound = |at: usize| context::after_a_first_word(token.lower, at);
            (word.last() == part.last() && word.ends_with(part) && compound(word.len() - part.len()))
                || self.part_stem.as_deref().zip(stemmer).is_some_and(|(stem, stemmer)| {
                    // An inflected form ends with the part and an ending of a few letters; the
                    // first byte rules out most places before a comparison.
                    let from = 1.max(word.len().saturating_sub(part.len() + INFLECTION_BYTES));
                    let places = from..word.len().saturating_sub(part.len());
                    places.into_iter().any(|at| word[at] == part[0] && word[at..].starts_with(part) && compound(at))
                        && stemmer.stem(token.lower).ends_with(stem)
                })
        } else {
            word.first() == part.first() && word.starts_with(part)
        }
    }
}

impl Default for PatternIndex {
    fn default() -> Self {
        Self {
            by_first_word: FxHashMap::default(),
            by_inflected_first: FxHashMap::default(),
            inflected_shapes: [0; 256],
            stemmer: None,
            first_word_shapes: [0; 256],
            affixes: Vec::new(),
            affixes_by_start: FxHashMap::default(),
            affix_second_bytes: [0; 256],
            longest_part: 0,
        }
    }
}

/// A word's first byte and the bit of its length, as [`PatternIndex::first_word_shapes`] keeps them.
fn shape(word: &str) -> Option<(usize, u64)> {
    word.as_bytes().first().map(|&first| (usize::from(first), 1 << word.len().min(63)))
}

impl PatternIndex {
    fn add(&mut self, finding: Finding, pattern: Pattern) {
        if pattern.any_beginning || pattern.any_ending {
            // Pattern::parse allows a `*` only on a pattern of one word.
            let part_stem = pattern.stems.into_iter().next().flatten();
            let part = pattern.words.into_iter().next().unwrap_or_default();
            if let [first, second, ..] = *part.as_bytes() {
                self.affix_second_bytes[usize::from(first)] |= 1 << (second % 64);
                self.affixes_by_start.entry([first, second]).or_default().push(self.affixes.len());
            }
            self.longest_part = self.longest_part.max(part.len());
            self.affixes.push(Affix { finding, part, part_stem, ends_word: pattern.any_beginning });
        } else {
            if let Some((first, length)) = shape(&pattern.words[0]) {
                self.first_word_shapes[first] |= length;
            }
            if pattern.stems[0].is_some() {
                if let Some((first, length)) = shape(&pattern.words[0]) {
                    self.inflected_shapes[first] |= length;
                }
                self.by_inflected_first.entry(pattern.words[0].clone()).or_default().push((finding, pattern.clone()));
            }
            self.by_first_word.entry(pattern.words[0].clone()).or_default().push((finding, pattern));
        }
    }

    /// The patterns whose first word is `word` (lower case).
    fn starting_with(&self, word: &str) -> &[(Finding, Pattern)] {
        match shape(word) {
            Some((first, length)) if self.first_word_shapes[first] & length != 0 => {
                self.by_first_word.get(word).map_or(&[][..], Vec::as_slice)
            }
            _ => &[][..],
        }
    }

    /// The affixes whose part may stand in `word`: at its start, or beginning at a place near
    /// its end (an inflected form's ending after it is a few letters), each once.
    fn affixes_at(&self, word: &str) -> impl Iterator<Item = &Affix> {
        let bytes = word.as_bytes();
        let near_end = 1.max(bytes.len().saturating_sub(self.longest_part + INFLECTION_BYTES));
        let starts = if bytes.len() < 2 { 0..0 } else { 0..1 };
        let places = starts.chain(near_end..bytes.len().saturating_sub(1));
        let mut seen: Vec<usize> = Vec::new();
        for at in places {
            let (first, second) = (bytes[at], bytes[at + 1]);
            if self.affix_second_bytes[usize::from(first)] & (1 << (second % 64)) == 0 {
                continue;
            }
            for &i in self.affixes_by_start.get(&[first, second]).map_or(&[][..], Vec::as_slice) {
                if !seen.contains(&i) {
                    seen.push(i);
                }
            }
        }
        seen.into_iter().map(|i| &self.affixes[i])
    }

    /// (finding, first token, end token) of every match; within one finding the longest match
    /// at a word wins and matches do not overlap.
    fn find(&self, tokens: &[Token<'_>]) -> Vec<(Finding, usize, usize)> {
        let mut found: Vec<(Finding, usize, usize)> = Vec::new();
        let mut here: Vec<(Finding, usize)> = Vec::new();
        for at in 0..tokens.len() {
            here.clear();
            let word = tokens[at].lower;
            let exact = self.starting_with(word);
            let lengths = word.as_bytes().first().map_or(0, |&first| self.inflected_shapes[usize::from(first)]);
            let inflected = (1..word.len().min(63))
                .filter(|&length| lengths & (1 << length) != 0 && word.is_char_boundary(length))
                .filter_map(|length| self.by_inflected_first.get(&word[..length]))
                .flatten();
            let stemmer = self.stemmer.as_ref();
            for (finding, pattern) in exact.iter().chain(inflected) {
                if let Some(length) = pattern.matches_at(tokens, at, stemmer) {
                    here.push((*finding, length));
                }
            }
            for affix in self.affixes_at(word) {
                if affix.matches(&tokens[at], stemmer) {
                    here.push((affix.finding, 1));
                }
            }
            if here.len() > 1 {
                here.sort_by_key(|&(_, length)| std::cmp::Reverse(length));
            }
            for &(finding, length) in &here {
                let overlaps = found.iter().any(|&(f, _, end)| f == finding && end > at);
                if !overlaps {
                    found.push((finding, at, at + length));
                }
            }
        }
        found
    }
}

/// Which side of the gender coding a stem is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Feminine,
    Masculine,
}

/// Both sides' stems by their first two bytes, so a word is compared only with the few stems
/// it could begin with, in one lookup.
#[derive(Debug)]
struct StemIndex {
    by_start: FxHashMap<[u8; 2], Vec<(Side, Arc<str>)>>,
    /// For each first byte, a bit for each second byte (modulo 64) that stems begin with:
    /// most words are ruled out before hashing.
    second_bytes: [u64; 256],
    /// Stems of a single byte, tried with every word (the shipped lists have none).
    short: Vec<(Side, Arc<str>)>,
}

impl StemIndex {
    fn new(feminine: &[String], masculine: &[String]) -> Self {
        let mut index = Self { by_start: FxHashMap::default(), second_bytes: [0; 256], short: Vec::new() };
        let sides = feminine.iter().map(|s| (Side::Feminine, s)).chain(masculine.iter().map(|s| (Side::Masculine, s)));
        for (side, stem) in sides {
            let stem: Arc<str> = stem.to_lowercase().into();
            match *stem.as_bytes() {
                [] => {}
                [_] => index.short.push((side, stem)),
                [first, second, ..] => {
                    index.second_bytes[usize::from(first)] |= 1 << (second % 64);
                    index.by_start.entry([first, second]).or_default().push((side, stem));
                }
            }
        }
        index
    }

    fn matching<'s>(&'s self, word: &'s str) -> impl Iterator<Item = &'s (Side, Arc<str>)> {
        let bucket = match word.as_bytes() {
            [first, second, ..] if self.second_bytes[usize::from(*first)] & (1 << (second % 64)) != 0 => {
                self.by_start.get(&[*first, *second]).map_or(&[][..], Vec::as_slice)
            }
            _ => &[][..],
        };
        bucket.iter().chain(&self.short).filter(move |(_, stem)| word.starts_with(&**stem))
    }
}

/// One language's lists, ready to check with.
#[derive(Debug)]
pub struct LanguageRules {
    stems: StemIndex,
    /// Coded stems with a hyphen: a hyphenated word is kept whole only if it begins with one.
    hyphenated: Vec<String>,
    patterns: PatternIndex,
    practical: Vec<PracticalItem>,
    must_have_headings: Vec<String>,
    /// By [`Finding::Flag`] index.
    flags: Vec<FlagRule>,
    /// By [`Finding::Prompt`] index.
    prompts: Vec<PromptRule>,
    role: RoleWords,
    served: WordList,
    serving: WordList,
    served_clauses: WordList,
    lawful_basis: WordList,
    never_lawful: WordList,
    crowds: WordList,
    employer: EmployerWords,
    applicant: ApplicantWords,
    staff: StaffWords,
    inclusion: InclusionWords,
    pronoun: Option<PronounWords>,
    function_words: FxHashSet<String>,
    age: Option<AgeWords>,
    /// The suggestion for an age found by its number.
    age_suggestion: String,
}

/// A flag rule, its words in lower case.
#[derive(Debug)]
struct FlagRule {
    category: FlagCategory,
    suggestion: String,
    when: FlagWhen,
    not_before: WordList,
    after: WordList,
    not_led_by: WordList,
    near: WordList,
    in_sentence: WordList,
    near_exclusions: bool,
    not_near: WordList,
    not_after: WordList,
    before: WordList,
    except: WordList,
}

/// A prompt rule, its words in lower case.
#[derive(Debug)]
struct PromptRule {
    suggestion: String,
    not_before: WordList,
}

impl FlagRule {
    fn of(file: &FlagFile) -> Self {
        Self {
            category: file.category,
            suggestion: file.suggestion.clone(),
            when: file.when,
            not_before: file.not_before.iter().cloned().collect(),
            after: file.after.iter().cloned().collect(),
            not_led_by: file.not_led_by.iter().cloned().collect(),
            near: file.near.iter().cloned().collect(),
            in_sentence: file.in_sentence.iter().cloned().collect(),
            near_exclusions: file.near_exclusions,
            not_near: file.not_near.iter().cloned().collect(),
            not_after: file.not_after.iter().cloned().collect(),
            before: file.before.iter().cloned().collect(),
            except: file.except.iter().cloned().collect(),
        }
    }
}

/// What the whole text says that changes how a match reads.
struct Reading {
    /// The first tokens of the gendered pronouns that stand for the applicant.
    applicant_pronouns: Vec<usize>,
    /// The employer's purpose is a faith or a politics, which it may ask its staff to share.
    /// Read when a belief is found.
    purpose_employer: OnceCell<bool>,
    /// The employer's purpose is sexual minorities' cause, which it may name as its work. Read
    /// when an orientation is found.
    cause_employer: OnceCell<bool>,
    /// The role sought is a faith's or a politics' own office. Read when a belief is found.
    purpose_role: OnceCell<bool>,
}

impl Reading {
    /// Whether a gendered pronoun for the applicant stands in the clause of `tokens[at]` or
    /// the one before it: "vi håber, at hun ikke skal på barsel foreløbig".
    fn near_applicant_pronoun(&self, tokens: &[Token<'_>], at: usize) -> bool {
        let clause = tokens[at].place.clause;
        self.applicant_pronouns.iter().any(|&pronoun| {
            let theirs = tokens[pronoun].place.clause;
            tokens[pronoun].place.sentence == tokens[at].place.sentence && (theirs == clause || theirs + 1 == clause)
        })
    }
}

/// The rules of both languages.
#[derive(Debug)]
pub struct WordingRules {
    en: LanguageRules,
    da: LanguageRules,
}

impl WordingRules {
    /// Parses the two list files (`(file name, content)`), naming every problem found.
    pub fn parse(files: &[(String, String)]) -> Result<Self, Vec<String>> {
        let mut by_language: HashMap<AdLanguage, LanguageRules> = HashMap::new();
        let mut problems = Vec::new();
        for (name, content) in files {
            match toml::from_str::<ListFile>(content) {
                Ok(file) => match LanguageRules::from_file(&file) {
                    Ok(rules) => {
                        if by_language.insert(file.language, rules).is_some() {
                            problems.push(format!("{name}: a second list for language {:?}", file.language.as_str()));
                        }
                    }
                    Err(errors) => problems.extend(errors.into_iter().map(|e| format!("{name}: {e}"))),
                },
                Err(error) => problems.push(format!("{name}: {}", error.to_string().trim())),
            }
        }
        let (en, da) = (by_language.remove(&AdLanguage::En), by_language.remove(&AdLanguage::Da));
        match (en, da) {
            (Some(en), Some(da)) if problems.is_empty() => Ok(Self { en, da }),
            (en, da) => {
                for (missing, language) in [(en.is_none(), "en"), (da.is_none(), "da")] {
                    if missing {
                        problems.push(format!("no word list for language {language:?}"));
                    }
                }
                Err(problems)
            }
        }
    }

    pub fn language(&self, language: AdLanguage) -> &LanguageRules {
        language.pick(&self.da, &self.en)
    }

    /// The whole check of `text`.
    pub fn check(&self, text: &str, language: AdLanguage) -> WordingReport {
        let other = self.language(language.other());
        self.language(language).check(text, language, &other.function_words)
    }
}

impl LanguageRules {
    fn from_file(file: &ListFile) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        let mut patterns = PatternIndex::default();
        let stemmer = file.stemmer.map(Stemmer::new);
        let mut add = |finding: Finding, texts: &[String]| {
            // Flags and prompts are words whose every form counts; the rest are set phrases.
            let inflect = matches!(finding, Finding::Flag(_) | Finding::Prompt(_));
            let changed = texts.iter().filter(|_| inflect).filter_map(|text| changed_form(text, &file.changed_endings));
            for text in texts.iter().cloned().chain(changed.collect::<Vec<_>>()) {
                match Pattern::parse(&text) {
                    Ok(pattern) => match (&stemmer, inflect) {
                        (Some(stemmer), true) => patterns.add(finding, pattern.inflected(stemmer)),
                        _ => patterns.add(finding, pattern),
                    },
                    Err(problem) => problems.push(problem),
                }
            }
        };
        add(Finding::ThirdPerson, &file.third_person);
        for (index, practical) in file.practical.iter().enumerate() {
            add(Finding::Practical(index), &practical.words);
            add(Finding::PracticalLabel(index), &practical.labels);
        }
        for (index, flag) in file.flag.iter().enumerate() {
            add(Finding::Flag(index), &flag.patterns);
        }
        for (index, prompt) in file.prompt.iter().enumerate() {
            add(Finding::Prompt(index), &prompt.patterns);
        }
        for (side, stems) in [("feminine", &file.gender.feminine), ("masculine", &file.gender.masculine)] {
            if stems.is_empty() {
                problems.push(format!("the {side} list is empty"));
            }
        }
        patterns.stemmer = stemmer;
        if !problems.is_empty() {
            return Err(problems);
        }
        let hyphenated =
            file.gender.feminine.iter().chain(&file.gender.masculine).filter(|s| s.contains('-')).cloned().collect();
        Ok(Self {
            stems: StemIndex::new(&file.gender.feminine, &file.gender.masculine),
            hyphenated,
            patterns,
            practical: file.practical.iter().map(|p| p.item).collect(),
            must_have_headings: file.must_have_headings.iter().map(|heading| heading.to_lowercase()).collect(),
            flags: file.flag.iter().map(FlagRule::of).collect(),
            prompts: file
                .prompt
                .iter()
                .map(|p| PromptRule {
                    suggestion: p.suggestion.clone(),
                    not_before: p.not_before.iter().cloned().collect(),
                })
                .collect(),
            role: file.role.clone(),
            served: file.served.clone(),
            serving: file.serving.clone(),
            served_clauses: file.served_clauses.clone(),
            lawful_basis: file.lawful_basis.clone(),
            never_lawful: file.never_lawful.clone(),
            crowds: file.crowds.clone(),
            employer: file.employer.clone(),
            applicant: file.applicant.clone(),
            staff: file.staff.clone(),
            inclusion: file.inclusion.clone(),
            pronoun: file.pronoun.clone(),
            function_words: file.function_words.iter().map(|word| word.to_lowercase()).collect(),
            age: file.age.clone(),
            age_suggestion: file
                .flag
                .iter()
                .find(|f| f.category == FlagCategory::Age)
                .map(|f| f.suggestion.clone())
                .unwrap_or_default(),
        })
    }

    /// The check of `text` in `language`; `foreign` are the other language's function words.
    fn check(&self, text: &str, language: AdLanguage, foreign: &FxHashSet<String>) -> WordingReport {
        let mut lowered = String::new();
        let Words { tokens, sentences } = tokenize(text, &mut lowered);
        let other_language = self.sentences_in(foreign, &tokens);
        let (feminine, masculine) = self.coded_words(&tokens);
        let found = self.patterns.find(&tokens);
        let flags = self.flags(&tokens, &found);
        let prompts = found
            .iter()
            .filter_map(|&(finding, start, end)| match finding {
                Finding::Prompt(index) if !self.followed_by(&tokens, end, &self.prompts[index].not_before) => {
                    Some(Prompt { span: span(&tokens, start, end), suggestion: self.prompts[index].suggestion.clone() })
                }
                _ => None,
            })
            .collect();
        let given = |index: usize, (finding, start, _): &(Finding, usize, usize)| match *finding {
            Finding::Practical(i) => i == index,
            Finding::PracticalLabel(i) => i == index && tokens[*start].place.first_on_line,
            _ => false,
        };
        WordingReport {
            language,
            verdict: GenderVerdict::of(feminine.len(), masculine.len()),
            masculine,
            feminine,
            flags,
            prompts,
            other_language,
            readability: readability(&tokens, sentences),
            third_person: found
                .iter()
                .filter(|(finding, _, _)| *finding == Finding::ThirdPerson)
                .map(|&(_, start, end)| span(&tokens, start, end))
                .collect(),
            missing_practical: self
                .practical
                .iter()
                .enumerate()
                .filter(|&(index, _)| !found.iter().any(|f| given(index, f)))
                .map(|(_, item)| *item)
                .collect(),
            must_haves: count_must_haves(text, &self.must_have_headings),
        }
    }

    /// The sentences written in the other language: more of its function words than of this
    /// one's, and at least two ("We are looking for" in a Danish ad; not a lone "B2B").
    fn sentences_in(&self, foreign: &FxHashSet<String>, tokens: &[Token<'_>]) -> Vec<Span> {
        const AT_LEAST: usize = 2;
        let mut spans = Vec::new();
        let mut start = 0;
        while start < tokens.len() {
            let sentence = tokens[start].place.sentence;
            let end = start + tokens[start..].iter().take_while(|t| t.place.sentence == sentence).count();
            let words = &tokens[start..end];
            let theirs = words.iter().filter(|t| foreign.contains(t.lower)).count();
            let ours = words.iter().filter(|t| self.function_words.contains(t.lower)).count();
            if theirs >= AT_LEAST && theirs > ours {
                spans.push(span(tokens, start, end));
            }
            start = end;
        }
        spans
    }

    /// The discrimination flags: the pattern matches that count where they stand, and the
    /// ages written as numbers; in the order of the text.
    fn flags(&self, tokens: &[Token<'_>], found: &[(Finding, usize, usize)]) -> Vec<Flag> {
        let flag = |category: FlagCategory, suggestion: &str, start: usize, end: usize| Flag {
            span: span(tokens, start, end),
            category,
            law: category.law(),
            suggestion: suggestion.to_owned(),
        };
        let flagged: Vec<(usize, usize, usize)> = found
            .iter()
            .filter_map(|&(finding, start, end)| match finding {
                Finding::Flag(index) => Some((index, start, end)),
                _ => None,
            })
            .collect();
        let pronouns: Vec<(usize, usize)> =
            self.pronoun.as_ref().map(|pronoun| pronoun.find(tokens, &self.role, &self.applicant)).unwrap_or_default();
        let reading = self.read(&pronouns);
        let mut flags: Vec<Flag> = found
            .iter()
            .filter(|&&(finding, start, end)| !self.paired(tokens, &flagged, finding, start, end))
            .filter_map(|&(finding, start, end)| match finding {
                Finding::Flag(index) if self.counts(&self.flags[index], tokens, start, end, &reading) => {
                    Some(flag(self.flags[index].category, &self.flags[index].suggestion, start, end))
                }
                _ => None,
            })
            .collect();
        let ages = self
            .age
            .iter()
            .flat_map(|age| age.find(tokens, &reading.applicant_pronouns))
            .filter(|&(start, _)| {
                !self.said_of_the_served(tokens, start)
                    && !self.describes_whom_the_job_serves(tokens, start)
                    && !self.counts_a_crowd(tokens, start)
                    && !self.object_of_serving(tokens, start, 4)
                    && !self.role.lead_names_another(tokens, start)
                    && !self.applicant.offered(tokens, start)
                    && !self.staff.describes_the_staff_there(tokens, start, &self.applicant)
            })
            .map(|at| (FlagCategory::Age, &*self.age_suggestion, at));
        let pronoun_suggestion = self.pronoun.as_ref().map_or("", |pronoun| &pronoun.suggestion);
        let pronouns = pronouns
            .iter()
            .filter(|&&(start, end)| !self.pronoun.as_ref().is_some_and(|p| p.names_both(tokens, start, end)))
            .map(|&at| (FlagCategory::Gender, pronoun_suggestion, at));
        for (category, suggestion, (start, end)) in ages.chain(pronouns) {
            let first = &tokens[start];
            let overlaps = flags.iter().any(|f| f.span.start < tokens[end - 1].end && first.start < f.span.end);
            if !overlaps && !self.inclusion.exempts(tokens, start) && !self.has_lawful_basis(tokens, start, end) {
                flags.push(flag(category, suggestion, start, end));
            }
        }
        flags.sort_by_key(|f| (f.span.start, f.span.end));
        // A word two rules find ("sælgersker": a feminine title, and in the plural) is one flag.
        flags.dedup_by(|a, b| a.span == b.span && a.category == b.category);
        flags
    }

    /// Whether a gender flag's match is joined to another ("mandlige og kvindelige
    /// medarbejdere", "mænd og kvinder"): both sides named, no side preferred.
    fn paired(
        &self,
        tokens: &[Token<'_>],
        flagged: &[(usize, usize, usize)],
        finding: Finding,
        start: usize,
        end: usize,
    ) -> bool {
        let Finding::Flag(index) = finding else { return false };
        let category = self.flags[index].category;
        if category != FlagCategory::Gender {
            return false;
        }
        let join = |at: usize| tokens.get(at).is_some_and(|t| self.role.joins_a_pair(t.lower));
        // "to mødre eller to fædre": the same word before each side.
        let same_before = |first: usize, second: usize| {
            first > 0 && tokens.get(second).is_some_and(|t| t.lower == tokens[first - 1].lower)
        };
        let follows = |first_start: usize, first_end: usize, second_start: usize| {
            join(first_end)
                && (second_start == first_end + 1
                    || (second_start == first_end + 2 && same_before(first_start, first_end + 1)))
        };
        flagged.iter().any(|&(other, other_start, other_end)| {
            self.flags[other].category == category
                && (follows(start, end, other_start) || follows(other_start, other_end, start))
        })
    }

    /// Whether a flag rule's match at `tokens[start..end]` counts where it stands.
    fn counts(&self, rule: &FlagRule, tokens: &[Token<'_>], start: usize, end: usize, reading: &Reading) -> bool {
        // The rule's own conditions first: they are cheap and rule out most matches.
        self.meets_the_rule(rule, tokens, start, end)
            && !self.said_of_another(rule, tokens, start, end, reading)
            && match rule.when {
                FlagWhen::Anywhere => true,
                FlagWhen::Role => {
                    self.role.names_the_role(tokens, start, end, &rule.not_led_by)
                        || self.role.describes_an_applicant(tokens, end)
                        || (self.role.after_copula(tokens, start) && reading.near_applicant_pronoun(tokens, start))
                }
                FlagWhen::Applicant => {
                    !self.applicant.self_described(tokens, start)
                        && (self.states_what_it_asks(rule, tokens, start)
                            || self.role.names_the_role(tokens, start, end, &rule.not_led_by)
                            || self.role.describes_an_applicant(tokens, end)
                            || self.applicant.asks_of_applicant(tokens, start)
                            || reading.near_applicant_pronoun(tokens, start))
                }
                FlagWhen::Staff => self.staff.describes_staff(tokens, start, end),
            }
    }

    /// Whether the sentence of `tokens[start]` asks the match of someone in words, not by whom
    /// it addresses: it keeps someone out ("er desværre ikke aktuelle") or says a phase of life
    /// is over (the rule's `in_sentence`), and offers nothing.
    fn states_what_it_asks(&self, rule: &FlagRule, tokens: &[Token<'_>], start: usize) -> bool {
        (self.applicant.excludes_someone(tokens, start) || frames::sentence_has(tokens, start, &rule.in_sentence))
            && !self.applicant.offered(tokens, start)
    }

    /// Whether a match at `tokens[start..end]` meets its rule's own conditions: not an
    /// exception, the words it needs before, after and near it, none it must not have.
    fn meets_the_rule(&self, rule: &FlagRule, tokens: &[Token<'_>], start: usize, end: usize) -> bool {
        !(end - start == 1 && rule.except.contains(tokens[start].lower))
            && (rule.after.is_empty()
                || context::before_in_sentence(tokens, start, 2).any(|t| rule.after.contains(t.lower)))
            && (rule.before.is_empty()
                || next_in_sentence(tokens, end).is_some_and(|next| rule.before.contains(next.lower)))
            && (rule.near.is_empty()
                || frames::near(tokens, start, end, &rule.near)
                || (rule.near_exclusions && self.states_what_it_asks(rule, tokens, start)))
            && !frames::sentence_has(tokens, start, &rule.not_near)
            && !self.followed_by(tokens, end, &rule.not_before)
            && !self.described_as_other(rule, tokens, start)
    }

    /// Whether the match is said of someone or something other than the applicant, or in
    /// words the law allows: whom the job serves, a list that names without asking, a demand
    /// with its legal basis, the employer's own name or purpose, a title open to all.
    fn said_of_another(
        &self,
        rule: &FlagRule,
        tokens: &[Token<'_>],
        start: usize,
        end: usize,
        reading: &Reading,
    ) -> bool {
        let about_the_staff = rule.when == FlagWhen::Staff;
        self.serves(tokens, end)
            || self.describes_whom_the_job_serves(tokens, start)
            // "over 20.000 danskere", not "Tivoli søger 300 unge".
            || (self.counts_a_crowd(tokens, start) && !self.role.names_the_role(tokens, start, end, &rule.not_led_by))
            || (!about_the_staff && self.object_of_serving(tokens, start, 3))
            // "tage dig af en flok unge": whom the applicant cares for, not the staff.
            || (about_the_staff && self.cared_for(tokens, start))
            || self.inclusion.exempts(tokens, start)
            || self.has_lawful_basis(tokens, start, end)
            || (!about_the_staff && self.employer.names_the_employer(tokens, start, &self.inclusion))
            || (rule.category == FlagCategory::Belief && self.purpose_employer(tokens, reading))
            || (rule.category == FlagCategory::Orientation
                && *reading.cause_employer.get_or_init(|| self.employer.has_a_cause(tokens, &self.inclusion)))
            // A faith's or a politics' own office may ask for the faith or the politics only.
            || (rule.category == FlagCategory::Belief
                && *reading.purpose_role.get_or_init(|| self.employer.seeks_a_purpose_role(tokens, &self.role)))
            || (rule.category == FlagCategory::Age
                && !about_the_staff
                && self.staff.describes_the_staff_there(tokens, start, &self.applicant))
            || (rule.category == FlagCategory::Gender
                && rule.when == FlagWhen::Role
                && context::sentence_range(tokens, start).any(|i| self.role.says_open_to_all(tokens, i)))
    }

    /// Whether one of the rule's `not_after` words stands a few words before `tokens[start]`
    /// in its clause, with no word that seeks someone between ("en friskole med et kristent
    /// livssyn"), and is not a preposition after a need ("egnet for", "brug for").
    fn described_as_other(&self, rule: &FlagRule, tokens: &[Token<'_>], start: usize) -> bool {
        /// How many words before a match are read for a word that makes it something else's.
        const DESCRIBED_BY: usize = 4;
        let clause = tokens[start].place.clause;
        (start.saturating_sub(DESCRIBED_BY)..start)
            .rev()
            .take_while(|&i| tokens[i].place.clause == clause && !self.applicant.is_seeking(&tokens[i]))
            .any(|i| {
                let after_a_need = self.role.is_preposition(&tokens[i]) && self.role.follows_a_need(tokens, i);
                // "oplys om din seksuelle orientering": the reader's own, not what is talked about.
                let the_readers = tokens[i + 1..start].iter().any(|t| self.applicant.is_readers_own(t));
                rule.not_after.contains(tokens[i].lower) && !after_a_need && !the_readers
            })
    }

    /// What the whole text says that changes how a match reads.
    fn read(&self, pronouns: &[(usize, usize)]) -> Reading {
        Reading {
            applicant_pronouns: pronouns.iter().map(|&(start, _)| start).collect(),
            purpose_employer: OnceCell::new(),
            cause_employer: OnceCell::new(),
            purpose_role: OnceCell::new(),
        }
    }

    fn purpose_employer(&self, tokens: &[Token<'_>], reading: &Reading) -> bool {
        *reading.purpose_employer.get_or_init(|| self.employer.has_a_purpose(tokens, &self.inclusion))
    }

    /// Whether a crowd is counted right before `tokens[start]`: "over 20.000 danskere", "tusindvis
    /// af danskere".
    fn counts_a_crowd(&self, tokens: &[Token<'_>], start: usize) -> bool {
        counts_a_crowd_in_figures(tokens, start) || (start > 0 && self.crowds.phrase_ends_at(tokens, start - 1))
    }

    /// Whether the sentence of `tokens[start..end]` gives a demand its legal basis: "kræver
    /// dansk indfødsret, som er et fast optagelseskrav ved politiet"; never for a match with a
    /// word no basis makes lawful ("etnisk dansker", "lys hud" after a security clearance).
    fn has_lawful_basis(&self, tokens: &[Token<'_>], start: usize, end: usize) -> bool {
        !tokens[start..end].iter().any(|t| self.never_lawful.contains(t.lower))
            && frames::sentence_has(tokens, start, &self.lawful_basis)
    }

    /// Whether a verb of serving stands up to `words` words before `tokens[start]` in its
    /// clause: its object is whom the job serves ("hjælpe flygtninge fra Ukraine"; an age,
    /// further on: "hjælpe yngre ledige mellem 18 og 29 år").
    /// The reader and the words that join a list do not count ("besøger du nybagte mødre og
    /// fædre"); a copula ends the object ("betjene kunder og være ung").
    fn object_of_serving(&self, tokens: &[Token<'_>], start: usize, words: usize) -> bool {
        let clause = tokens[start].place.clause;
        let sentence = tokens[start].place.sentence;
        let counted = |&i: &usize| !self.inclusion.joins_list(tokens[i].lower) && !self.applicant.is_reader(&tokens[i]);
        (start.saturating_sub(2 * words)..start)
            .rev()
            .take_while(|&i| {
                let t = &tokens[i];
                t.place.sentence == sentence && t.place.clause == clause && !self.applicant.is_copula(t)
            })
            .filter(counted)
            .take(words)
            .any(|i| self.serving.contains(tokens[i].lower) || self.serving.phrase_ends_at(tokens, i))
    }

    /// Whether one of the few words before `tokens[start]` ends a phrase of care ("tage dig af
    /// en flok unge"): unlike a verb of serving alone ("hjælpe gutterne på lageret"), its
    /// object is never the staff.
    fn cared_for(&self, tokens: &[Token<'_>], start: usize) -> bool {
        const WORDS: usize = 3;
        let sentence = tokens[start].place.sentence;
        let clause = tokens[start].place.clause;
        (start.saturating_sub(WORDS)..start)
            .filter(|&i| tokens[i].place.sentence == sentence && tokens[i].place.clause == clause)
            .any(|i| self.serving.phrase_ends_at(tokens, i))
    }

    /// Whether a word for whom the job serves stands right before `tokens[start]` (up to two
    /// words): "kunder over 60".
    fn said_of_the_served(&self, tokens: &[Token<'_>], start: usize) -> bool {
        context::before_in_sentence(tokens, start, 2).any(|t| self.served.contains(t.lower))
    }

    /// Whether `tokens[start]` describes whom the job serves: as the predicate of a copula whose
    /// subject they are, or in a clause on them.
    fn describes_whom_the_job_serves(&self, tokens: &[Token<'_>], start: usize) -> bool {
        self.describes_the_served(tokens, start) || self.in_a_clause_on_the_served(tokens, start)
    }

    /// Whether `tokens[start]` is said of whom the job serves, after a copula, alone or in a
    /// list: "vores gæster er primært danskere, nordmænd og tyskere".
    fn describes_the_served(&self, tokens: &[Token<'_>], start: usize) -> bool {
        /// How many words may stand between the copula and the match ("er primært danskere,").
        const PREDICATE_WORDS: usize = 6;
        /// How many words may stand between whom the job serves and the copula ("gæster").
        const SUBJECT_WORDS: usize = 3;
        let predicate = context::before_in_sentence(tokens, start, PREDICATE_WORDS).enumerate();
        let Some(copula) = predicate
            .take_while(|(_, t)| self.applicant.is_copula(t) || !self.inclusion.begins_clause(t))
            .find(|(_, t)| self.applicant.is_copula(t))
            .map(|(i, _)| start - 1 - i)
        else {
            return false;
        };
        let subject_is_served = |i: usize| self.served.contains(tokens[i].lower);
        let sentence = context::sentence_range(tokens, start);
        if copula > sentence.start && tokens[copula - 1].place.clause != tokens[copula].place.clause {
            // "Borgeren, du skal hjælpe, er en 45-årig mand": the subject opens the sentence.
            let first_clause = tokens[sentence.start].place.clause;
            return (sentence.start..copula)
                .take_while(|&i| tokens[i].place.clause == first_clause)
                .any(subject_is_served);
        }
        let clause = tokens[copula].place.clause;
        context::before_in_sentence(tokens, copula, SUBJECT_WORDS)
            .take_while(|t| t.place.clause == clause)
            .any(|t| self.served.contains(t.lower))
    }

    /// Whether the word after `tokens[..end]` in its clause is whom or what the job serves, or
    /// the word after that with no clause or preposition begun between: "mandlige patienter",
    /// "thailandsk mad", not "uden accent, så kunderne …", "du er bøsse – kunderne …" nor
    /// "pigerne i køkkenet".
    fn serves(&self, tokens: &[Token<'_>], end: usize) -> bool {
        let clause = tokens[end - 1].place.clause;
        let served = |at: usize| next_in_sentence(tokens, at).is_some_and(|next| self.served.contains(next.lower));
        next_in_sentence(tokens, end).filter(|next| next.place.clause == clause).is_some_and(|next| {
            served(end) || (!self.inclusion.begins_clause(next) && !self.role.is_preposition(next) && served(end + 1))
        })
    }

    /// Whether `tokens[start]` stands in a clause on whom the job serves, opened by a relative
    /// word right after them or with them as its subject, that asks nothing of anyone: "vores
    /// kunder, som typisk er landmænd", "et ambulatorium, hvor patienterne har diagnoser som
    /// …"; not "køkkenet, hvor vi mangler en ung mand".
    fn in_a_clause_on_the_served(&self, tokens: &[Token<'_>], start: usize) -> bool {
        let clause = tokens[start].place.clause;
        let sentence = context::sentence_range(tokens, start);
        let mut in_clause = sentence.clone().filter(|&i| tokens[i].place.clause == clause);
        let Some(opening) = in_clause.next() else { return false };
        // "vores kunder, som …", or "et ambulatorium, hvor patienterne …": the clause's subject.
        let subject_served = opening + 1 < start && self.served.contains(tokens[opening + 1].lower);
        opening > sentence.start
            && self.served_clauses.contains(tokens[opening].lower)
            && (self.served.contains(tokens[opening - 1].lower) || subject_served)
            && !in_clause.any(|i| self.applicant.asks_or_prefers(&tokens[i]))
    }

    /// Whether one of the two words after `tokens[..end]` in its sentence is one of `words`
    /// ("kristen, diakonal organisation"): the first in the match's clause ("du er bøsse –
    /// kunderne …" are no customers of it), the second where the first goes on describing
    /// ("homoseksuelle i kundevendte stillinger", "bøsse – vores kunder …" do not).
    fn followed_by(&self, tokens: &[Token<'_>], end: usize, words: &WordList) -> bool {
        let Some(next) = next_in_sentence(tokens, end) else { return false };
        let clause = tokens[end - 1].place.clause;
        // After a comma a list of describing words may go on ("kristen, diakonal"); a clause
        // or a phrase of its own begins with a joining word, an owner or a preposition.
        let goes_on = next.place.clause == clause
            || !(self.inclusion.begins_clause(next) || self.role.is_owner(next) || self.role.is_preposition(next));
        let second = next_in_sentence(tokens, end + 1).filter(|second| second.place.clause == next.place.clause);
        !words.is_empty()
            && ((next.place.clause == clause && words.contains(next.lower))
                || (goes_on
                    && !self.role.is_preposition(next)
                    && second.is_some_and(|second| words.contains(second.lower))))
    }

    /// Every (word, stem) match, feminine and masculine, over the words as the gender-decoder
    /// counts them: a word counts once for each stem it begins with, and a hyphenated word is
    /// split into its parts unless it begins with a hyphenated coded stem ("self-confident").
    fn coded_words(&self, tokens: &[Token<'_>]) -> (Vec<CodedWord>, Vec<CodedWord>) {
        let (mut feminine, mut masculine) = (Vec::new(), Vec::new());
        let mut record = |lower: &str, text: &str, start: usize, end: usize| {
            for (side, stem) in self.stems.matching(lower) {
                let coded = CodedWord { span: Span { start, end, text: text.to_owned() }, stem: Arc::clone(stem) };
                match side {
                    Side::Feminine => feminine.push(coded),
                    Side::Masculine => masculine.push(coded),
                }
            }
        };
        for token in tokens {
            let lower = token.lower;
            if !lower.contains('-') || self.hyphenated.iter().any(|stem| lower.starts_with(stem.as_str())) {
                record(lower, token.text, token.start, token.end);
                continue;
            }
            let mut start = token.start;
            for part in token.text.split('-') {
                let length = part.chars().count();
                if length > 0 {
                    record(&lowercase(part), part, start, start + length);
                }
                start += length + 1;
            }
        }
        (feminine, masculine)
    }
}

/// A word of the text: letters and digits, hyphens inside it kept; `start` and `end` count characters.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token<'t> {
    text: &'t str,
    lower: &'t str,
    start: usize,
    end: usize,
    /// How many of its characters are letters (not digits or hyphens), for LIX.
    letters: usize,
    place: Place,
}

/// Where a word stands in the text's layout, for the rules that read a word in its context.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Place {
    /// The number of the sentence it is in, from 0.
    sentence: usize,
    /// The number of the clause it is in, from 0: a sentence, or its part between commas,
    /// semicolons, dashes and brackets.
    clause: usize,
    /// The number of the line it is on, from 0.
    line: usize,
    /// The first word of its line (a list marker before it aside): where a label stands.
    first_on_line: bool,
    /// On a Markdown heading line.
    in_heading: bool,
    /// No space parts it from the word before: "er" in "50'ere", not in "de 20 er".
    joined: bool,
}

/// The words of a text and how many sentences it has.
struct Words<'t> {
    tokens: Vec<Token<'t>>,
    sentences: usize,
}

/// The word in lower case, borrowed when it is already.
fn lowercase(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else if word.chars().any(is_upper) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// Whether `c` is a letter; ASCII and the Latin-1 letters (æ, ø, å, é, ü…) that Danish and
/// English ads are made of without a Unicode table lookup, which the check does per character.
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7f}' => false,
        'À'..='ÿ' => c != '×' && c != '÷',
        _ => c.is_alphabetic(),
    }
}

fn is_upper(c: char) -> bool {
    match c {
        'A'..='Z' => true,
        '\0'..='\u{7f}' => false,
        'À'..='Þ' => c != '×',
        'ß'..='ÿ' => false,
        _ => c.is_uppercase(),
    }
}

/// The words of the text and its sentences, in one pass over its characters (this runs on
/// every keystroke's check). A sentence ends at `.`, `!`, `?` or `:` before a space or the end,
/// and at a line break after text (a heading or a bullet is a sentence). The lower-case forms
/// of words with capitals go into `lowered`, one buffer rather than an allocation a word.
fn tokenize<'t>(text: &'t str, lowered: &'t mut String) -> Words<'t> {
    let mut words = Vec::with_capacity(text.len() / 5);
    lowered.reserve(text.len() / 4);
    let (mut at, mut position, mut sentences, mut open) = (0, 0, 0, false);
    let (mut line_start, mut heading, mut line, mut clause) = (true, false, 0, 0);
    let mut spaced = false;
    while at < text.len() {
        let (class, width) = class_at(text, at);
        if class & WORD != 0 {
            let mut word = read_word(text, &mut at, &mut position, lowered);
            let (first_on_line, in_heading, joined) = (line_start, heading, !spaced);
            word.place = Place { sentence: sentences, clause, line, first_on_line, in_heading, joined };
            words.push(word);
            (open, line_start, spaced) = (true, false, false);
            continue;
        }
        spaced |= text[at..].starts_with(char::is_whitespace);
        let ends = class & NEWLINE != 0
            || (class & STOP != 0
                && class_at(text, at + width).0 & AFTER_STOP != 0
                && !(text.as_bytes()[at] == b'.' && goes_on(words.last(), &text[at + width..])));
        if open && (ends || parts_clauses(&text[at..])) {
            clause += 1;
        }
        if open && ends {
            sentences += 1;
            open = false;
        }
        if class & NEWLINE != 0 {
            (line_start, heading, line) = (true, false, line + 1);
        } else if line_start && text.as_bytes()[at] == b'#' {
            heading = true;
        }
        at += width;
        position += 1;
    }
    let lowered: &'t String = lowered;
    let tokens = words
        .into_iter()
        .map(|w| {
            let lower = match &w.lowered {
                Some(range) => &lowered[range.clone()],
                None => &text[w.bytes.clone()],
            };
            Token { text: &text[w.bytes], lower, start: w.start, end: w.end, letters: w.letters, place: w.place }
        })
        .collect();
    Words { tokens, sentences: sentences + usize::from(open) }
}

/// Whether the text after a full stop goes on with the same sentence: a lower-case word on the
/// same line follows an abbreviation ("jf. reglerne"), and so does a number after a short one
/// ("kl. 9", "ca. 6 timer"; not "1. marts. 37 timer om ugen").
fn goes_on(before: Option<&ReadWord>, after: &str) -> bool {
    /// The longest abbreviation before a number: "ca", "kl", "nr", "pkt".
    const ABBREVIATION_BYTES: usize = 3;
    let short_before = before.is_some_and(|word| word.bytes.len() <= ABBREVIATION_BYTES && word.letters > 0);
    after
        .trim_start_matches([' ', '\t'])
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || (c.is_ascii_digit() && short_before))
}

/// Whether the text starts with a character that parts a sentence's clauses: a dash only
/// with a space after it ("25–35" is a range).
fn parts_clauses(text: &str) -> bool {
    text.starts_with([',', ';', '(', ')']) || text.starts_with("– ") || text.starts_with("— ")
}

/// A word as it is read, before the lower-case buffer is complete.
struct ReadWord {
    bytes: Range<usize>,
    /// Where its lower-case form is in the buffer, when it differs from the word.
    lowered: Option<Range<usize>>,
    start: usize,
    end: usize,
    letters: usize,
    place: Place,
}

/// The word that starts at byte `at` (character `position`), moving both past it; a hyphen
/// between word characters is part of the word.
fn read_word(text: &str, at: &mut usize, position: &mut usize, lowered: &mut String) -> ReadWord {
    let (start, start_position) = (*at, *position);
    let (mut letters, mut upper) = (0, false);
    loop {
        let (class, width) = class_at(text, *at);
        let joins = class & HYPHEN != 0 && *at > start && class_at(text, *at + width).0 & WORD != 0;
        if class & WORD == 0 && !joins {
            break;
        }
        letters += usize::from(class & LETTER != 0);
        upper |= class & UPPER != 0;
        *at += width;
        *position += 1;
    }
    let word = &text[start..*at];
    let lowered = upper.then(|| {
        let from = lowered.len();
        if word.is_ascii() {
            lowered.push_str(word);
            lowered[from..].make_ascii_lowercase();
        } else {
            lowered.extend(word.chars().flat_map(char::to_lowercase));
        }
        from..lowered.len()
    });
    ReadWord { bytes: start..*at, lowered, start: start_position, end: *position, letters, place: Place::default() }
}

/// What the tokenizer needs to know of a character, as bits.
const WORD: u8 = 1;
const LETTER: u8 = 2;
const UPPER: u8 = 4;
const HYPHEN: u8 = 8;
/// `.`, `!`, `?` or `:`: the end of a sentence when a space (or the end of the text) follows.
const STOP: u8 = 16;
const NEWLINE: u8 = 32;
const SPACE: u8 = 64;
/// What may follow a [`STOP`] that ends a sentence: a space, or the end of the text.
const AFTER_STOP: u8 = SPACE | END_OF_TEXT;
const END_OF_TEXT: u8 = 128;

/// The class of every ASCII character, looked up rather than computed per character.
const ASCII_CLASSES: [u8; 128] = {
    let mut classes = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let byte = c as u8;
        classes[c] = match byte {
            b'a'..=b'z' => WORD | LETTER,
            b'A'..=b'Z' => WORD | LETTER | UPPER,
            b'0'..=b'9' => WORD,
            b'-' => HYPHEN,
            b'.' | b'!' | b'?' | b':' => STOP,
            b'\n' => NEWLINE | SPACE,
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => SPACE,
            _ => 0,
        };
        c += 1;
    }
    classes
};

/// The class of the character at byte `at` and its width in bytes; past the end, the end.
#[inline]
fn class_at(text: &str, at: usize) -> (u8, usize) {
    match text.as_bytes().get(at) {
        None => (END_OF_TEXT, 0),
        Some(&byte) if byte < 0x80 => (ASCII_CLASSES[usize::from(byte)], 1),
        Some(_) => {
            let c = text[at..].chars().next().unwrap_or_default();
            let class = if is_letter(c) {
                WORD | LETTER | if is_upper(c) { UPPER } else { 0 }
            } else if c.is_numeric() {
                WORD
            } else if c.is_whitespace() {
                SPACE
            } else {
                0
            };
            (class, c.len_utf8())
        }
    }
}

/// The smallest count before a match that makes it a crowd the work concerns ("over 20.000
/// danskere på skiferie"), not the few an ad seeks.
const CROWD: u64 = 100;

/// Whether a number of at least [`CROWD`] stands right before `tokens[start]` in its sentence,
/// its groups of digits read as one ("20.000"), with only a space between ("100 % rask" is no
/// count of people).
fn counts_a_crowd_in_figures(tokens: &[Token<'_>], start: usize) -> bool {
    if start == 0 || tokens[start].start > tokens[start - 1].end + 1 {
        return false;
    }
    let is_digits = |t: &Token<'_>| {
        t.lower.bytes().any(|b| b.is_ascii_digit())
            && t.lower.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    };
    let mut groups = context::before_in_sentence(tokens, start, start).peekable();
    let mut number = String::new();
    while let Some(group) = groups.next_if(|t| is_digits(t)) {
        number.insert_str(0, &group.lower.replace(['.', ','], ""));
        if !group.place.joined {
            break;
        }
    }
    number.parse::<u64>().is_ok_and(|n| n >= CROWD)
}

/// The text span of tokens `start..end`, from the first token's start to the last one's end.
fn span(tokens: &[Token<'_>], start: usize, end: usize) -> Span {
    let (first, last) = (&tokens[start], &tokens[end - 1]);
    let text = tokens[start..end].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
    Span { start: first.start, end: last.end, text }
}

/// LIX over the words that have a letter, with the sentences [`tokenize`] counted.
fn readability(tokens: &[Token<'_>], sentences: usize) -> Readability {
    let (mut words, mut long) = (0, 0);
    for token in tokens {
        words += usize::from(token.letters > 0);
        long += usize::from(token.letters > LONG_WORD);
    }
    let sentences = sentences.max(usize::from(words > 0));
    let (per_sentence, long_share) =
        if words == 0 { (0.0, 0.0) } else { (words as f64 / sentences as f64, 100.0 * long as f64 / words as f64) };
    let lix = per_sentence + long_share;
    Readability {
        lix,
        band: LixBand::of(lix),
        words,
        sentences,
        average_sentence_length: per_sentence,
        long_word_share: long_share,
    }
}

/// The list items under the must-have headings (lowercase) of `text`: a heading is a line of
/// its own, Markdown `#` marks and a trailing colon aside; its list runs until the first line
/// that is neither blank nor a list item.
fn count_must_haves(text: &str, headings: &[String]) -> usize {
    let longest = headings.iter().map(String::len).max().unwrap_or(0);
    let mut count = 0;
    let mut in_list = false;
    for line in text.lines().map(str::trim) {
        if is_list_item(line) {
            count += usize::from(in_list);
            continue;
        }
        let heading = line.trim_start_matches('#').trim().trim_end_matches(':').trim_end();
        // Only a line as short as a heading is worth comparing (in lower case).
        if heading.len() <= longest && is_heading(heading, headings) {
            in_list = true;
        } else if !line.is_empty() {
            in_list = false;
        }
    }
    count
}

/// Whether `line` is one of the (lower-case) `headings`, whatever its case.
fn is_heading(line: &str, headings: &[String]) -> bool {
    let lower = lowercase(line);
    headings.iter().any(|heading| *heading == *lower)
}

fn is_list_item(line: &str) -> bool {
    let numbered = line.trim_start_matches(|c: char| c.is_ascii_digit());
    ["- ", "* ", "+ ", "• ", "– "].iter().any(|marker| line.starts_with(marker))
        || (numbered.len() < line.len() && (numbered.starts_with(". ") || numbered.starts_with(") ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> WordingRules {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/wording");
        let files =
            ["en.toml", "da.toml"].map(|f| (f.to_owned(), std::fs::read_to_string(folder.join(f)).unwrap())).to_vec();
        WordingRules::parse(&files).unwrap()
    }

    fn stems(words: &[CodedWord]) -> Vec<&str> {
        words.iter().map(|w| &*w.stem).collect()
    }

    #[test]
    fn must_haves_are_counted_under_their_headings_only() {
        let seven = (1..=7).map(|n| format!("- requirement {n}\n")).collect::<String>();
        let text = format!("## What we need from you\n\n{seven}\n## What you get\n\n- a salary\n- a desk\n");
        let report = rules().check(&text, AdLanguage::En);
        assert_eq!(report.must_haves, 7);
        assert!(report.too_many_must_haves());
        let numbered = "Kvalifikationer:\n1. klar\n2) grundig\n\n* pålidelig\nVi tilbyder\n- løn\n";
        let report = rules().check(numbered, AdLanguage::Da);
        assert_eq!(report.must_haves, 3);
        assert!(!report.too_many_must_haves());
        assert_eq!(rules().check("- one\n- two\n", AdLanguage::En).must_haves, 0, "no heading, no must-haves");
    }

    #[test]
    fn the_generated_demo_ads_pass_their_own_check() {
        let rubric = crate::rubrics::load(&crate::rubrics::RubricSource::BuiltIn).unwrap();
        let rules = rules();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        for (company, profile) in crate::domain::demo::demo_companies(today) {
            let weights = rubric.weigh(&company, &profile, &[]);
            for language in [AdLanguage::Da, AdLanguage::En] {
                for tone in [crate::domain::ad::Tone::Informal, crate::domain::ad::Tone::Formal] {
                    let source = crate::domain::ad::AdSource { company: &company, profile: &profile, language, tone };
                    let ad = source.generate(&weights);
                    let report = rules.check(&ad.markdown, language);
                    let context = format!("{} {language:?} {tone:?}", company.name);
                    assert!(report.flags.is_empty(), "{context}: {:?}", report.flags);
                    assert!(report.third_person.is_empty(), "{context}");
                    assert!(report.other_language.is_empty(), "{context}: {:?}", report.other_language);
                    assert!(report.missing_practical.is_empty(), "{context}: {:?}", report.missing_practical);
                    assert!(report.must_haves > 0 && !report.too_many_must_haves(), "{context}: {}", report.must_haves);
                }
            }
        }
    }

    #[test]
    fn stems_match_as_prefixes_and_count_once_per_stem() {
        let report = rules().check("A dominant, supportive leader. Leadership and analytical sharing.", AdLanguage::En);
        // "dominant" begins with both "domina" and "dominant", as in the gender-decoder.
        assert_eq!(stems(&report.masculine), ["domina", "dominant", "lead", "lead", "analy"]);
        assert_eq!(stems(&report.feminine), ["support", "sharin"]);
        assert_eq!(report.masculine[0].span, Span { start: 2, end: 10, text: "dominant".into() });
        assert_eq!(report.verdict, GenderVerdict::MasculineCoded);
    }

    #[test]
    fn hyphenated_words_split_unless_a_coded_stem_has_the_hyphen() {
        let report = rules().check("Self-confident and team-oriented, warm-hearted.", AdLanguage::En);
        assert_eq!(stems(&report.masculine), ["self-confiden"]);
        assert_eq!(stems(&report.feminine), ["warm"]);
        assert_eq!(report.feminine[0].span.text, "warm");
    }

    #[test]
    fn the_verdict_bands_follow_the_gender_decoder() {
        use GenderVerdict::*;
        let cases = [
            ((0, 0), Empty),
            ((2, 2), Neutral),
            ((1, 0), FeminineCoded),
            ((3, 0), FeminineCoded),
            ((4, 0), StronglyFeminineCoded),
            ((4, 1), FeminineCoded),
            ((5, 1), StronglyFeminineCoded),
            ((0, 1), MasculineCoded),
            ((0, 3), MasculineCoded),
            ((0, 4), StronglyMasculineCoded),
        ];
        for ((feminine, masculine), verdict) in cases {
            assert_eq!(GenderVerdict::of(feminine, masculine), verdict, "{feminine} − {masculine}");
        }
        assert_eq!(rules().check("We sell software to shops.", AdLanguage::En).verdict, Empty);
    }

    #[test]
    fn danish_words_with_æ_ø_and_å_are_matched_and_placed_by_character() {
        let report = rules().check("Økonomi: du er ærlig, selvstændig og forstår kunderne.", AdLanguage::Da);
        assert_eq!(stems(&report.feminine), ["ærlig", "forstå"]);
        assert_eq!(stems(&report.masculine), ["selvstændig"]);
        assert_eq!(report.feminine[0].span, Span { start: 15, end: 20, text: "ærlig".into() });
        assert_eq!(report.verdict, GenderVerdict::FeminineCoded);
        // Capitals, ASCII or not, are matched in lower case and shown as written.
        let shouted = rules().check("DU ER ÆRLIG OG SELVSTÆNDIG. Ung Salgsmand!", AdLanguage::Da);
        assert_eq!(stems(&shouted.feminine), ["ærlig"]);
        assert_eq!(shouted.feminine[0].span, Span { start: 6, end: 11, text: "ÆRLIG".into() });
        assert_eq!(stems(&shouted.masculine), ["selvstændig"]);
        let flagged: Vec<&str> = shouted.flags.iter().map(|f| f.span.text.as_str()).collect();
        assert_eq!(flagged, ["Ung", "Salgsmand"]);
        assert_eq!(shouted.readability.sentences, 2);
    }

    #[test]
    fn discrimination_flags_name_the_rule_and_a_neutral_wording() {
        let report = rules().check("Vi søger en ung salgsmand til vores team. Dansk som modersmål.", AdLanguage::Da);
        let found: Vec<(FlagCategory, &str)> =
            report.flags.iter().map(|f| (f.category, f.span.text.as_str())).collect();
        assert_eq!(
            found,
            [(FlagCategory::Age, "ung"), (FlagCategory::Gender, "salgsmand"), (FlagCategory::Origin, "modersmål")]
        );
        assert!(report.flags[0].law.contains("forskelsbehandlingsloven"));
        assert!(report.flags[1].law.contains("ligebehandlingsloven"));
        assert!(report.flags[1].suggestion.contains("sælger"));
        let english =
            rules().check("Join our young team! Recent graduates and native speakers welcome.", AdLanguage::En);
        let found: Vec<&str> = english.flags.iter().map(|f| f.span.text.as_str()).collect();
        assert_eq!(found, ["young", "Recent graduates", "native speakers"]);
        assert_eq!(english.flags[1].span.start, 21);
    }

    fn flagged(text: &str) -> Vec<(String, &'static str)> {
        rules().check(text, AdLanguage::Da).flags.into_iter().map(|f| (f.span.text, f.category.as_str())).collect()
    }

    fn assert_nothing_flagged(texts: &[&str]) {
        for text in texts {
            assert_eq!(flagged(text), [], "{text}");
        }
    }

    /// Each text is flagged at least in its category.
    fn assert_each_flagged(texts: &[(&str, &str)]) {
        for (text, category) in texts {
            assert!(flagged(text).iter().any(|(_, found)| found == category), "{text}: {:?}", flagged(text));
        }
    }

    #[test]
    fn an_inclusion_statement_exempts_its_list_and_nothing_after_it() {
        assert_eq!(flagged("Vi opfordrer alle til at søge uanset alder, køn, religion eller etnisk baggrund."), []);
        assert_eq!(flagged("Uanset om du er 25 eller 55, får du gode muligheder."), []);
        let same_sentence = flagged("Alle er velkomne uanset etnisk baggrund, men du skal have dansk som modersmål.");
        assert_eq!(same_sentence, [("modersmål".to_owned(), "origin")]);
        let next_sentence = flagged("Vi ansætter uanset køn og baggrund. Du skal dog være under 35 år.");
        assert_eq!(next_sentence, [("under 35 år".to_owned(), "age")]);
        let after_the_list = flagged("Uanset religion er du velkommen, så længe du ikke bærer tørklæde.");
        assert_eq!(after_the_list, [("tørklæde".to_owned(), "belief")]);
    }

    #[test]
    fn a_gendered_pronoun_is_the_applicant_unless_someone_else_was_named() {
        assert_eq!(flagged("Vi forestiller os, at hun har styr på tallene."), [("hun".to_owned(), "gender")]);
        // Both named prefer neither: no flag, but the ad is asked to say "du".
        assert_eq!(flagged("Han/hun skal have kørekort."), []);
        let both = rules().check("Vi søger en lagerchef. Han eller hun skal have truckcertifikat.", AdLanguage::Da);
        assert_eq!((both.flags.len(), both.third_person[0].text.as_str()), (0, "Han eller hun"));
        let new_role = flagged("Den nye projektleder skal kunne lide byggeri, og han må gerne være tømrer.");
        assert_eq!(new_role, [("han".to_owned(), "gender")], "the role sought is no one else");
        assert_eq!(flagged("Kontakt Anders Berg. Han kan træffes hele dagen."), []);
        let places = flagged("Ruten går mellem Aabenraa og Flensborg. Han skal kunne rejse.");
        assert_eq!(places, [("Han".to_owned(), "gender")], "two places name no one");
        assert_eq!(flagged("Han er vores salgsdirektør, og du refererer til ham."), []);
        assert_eq!(flagged("Når en kunde ringer, skal du hjælpe ham eller hende videre."), []);
    }

    /// Sentences a review of the unseen sets' readings brought: ordinary ad wording that a
    /// reading too broad would flag, and demands one would let pass.
    #[test]
    fn readings_stay_as_narrow_as_the_language() {
        let clean = [
            "Du deler vores tro på, at god service betaler sig.",
            "Du kontrollerer hvert parti og holder styr på dokumentationen.",
            "Du har faste daglige opgaver og faste pauser.",
            "Vi er Skandinaviens største grossist.",
            "Du er dansk autoriseret sygeplejerske.",
            "Du er afløser under ferie og sygdom.",
            "Har du ikke mange års erfaring, skal det ikke afholde dig fra at søge.",
            "Du arbejder gerne med børn og unge.",
            "Træner til piger hos Aalborg Freja.",
            "Du har erfaring med sårbare gravide og nybagte mødre.",
        ];
        assert_nothing_flagged(&clean);
        let demands = [
            ("Ansøgere bedes oplyse om eventuel graviditet.", "family"),
            ("Vi søger en sælger, der er ung og sulten.", "age"),
            ("Er du ung og søger et fritidsjob?", "age"),
            ("Du skal være under 30 år, jf. vores personalepolitik.", "age"),
            ("Du er både ung og sulten.", "age"),
            ("Vi søger en stærk lagermand. Kantinen er åben for alle.", "gender"),
            ("Vi søger en vejleder mellem 25 og 35 år.", "age"),
            ("Du skal kende ferieloven og være under 30 år.", "age"),
            ("Vi er en familievirksomhed stiftet i 1962, og du deler vores kristne værdier.", "belief"),
        ];
        assert_each_flagged(&demands);
    }

    #[test]
    fn an_abbreviation_does_not_end_its_sentence() {
        let report = rules().check("Vi mødes kl. 9 og går ca. 6 km, jf. planen. Tag kaffe med.", AdLanguage::Da);
        assert_eq!(report.readability.sentences, 2);
        let dates = rules().check("Tiltrædelse 1. marts. 37 timer om ugen.", AdLanguage::Da);
        assert_eq!(dates.readability.sentences, 2, "a number after a month begins a sentence");
        let lawful = "Du skal være fyldt 18 år, jf. reglerne om unges arbejde, der ikke tillader natarbejde for personer under 18.";
        assert_eq!(flagged(lawful), [], "the legal basis is in the same sentence");
    }

    #[test]
    fn a_word_is_read_of_whom_it_is_said() {
        let gender = |word: &str| vec![(word.to_owned(), "gender")];
        assert_eq!(flagged("Hende, vi leder efter, er omsorgsfuld."), gender("Hende"), "the person sought");
        assert_eq!(flagged("Henrik går på pension, og du skal overtage hans kunder."), [], "\"du\" is the reader");
        assert_eq!(flagged("Vores gæster er primært danskere, nordmænd og tyskere."), [], "the guests");
        assert_eq!(flagged("Som støttekontaktperson for en ung kvinde hjælper du hende."), [], "whom the job helps");
        assert_eq!(flagged("Vi søger en træner til vores U12-drenge."), []);
        assert_eq!(flagged("Vi har brug for en ung mand."), [("ung".to_owned(), "age"), ("mand".to_owned(), "gender")]);
        // Gender identity: beside sexual orientation, and a ground of the equal-treatment act.
        let identity = [("transkønnede".to_owned(), "orientation"), ("transkønnede".to_owned(), "gender")];
        assert_eq!(flagged("Stillingen er ikke egnet for transkønnede."), identity);
        assert_eq!(flagged("Vi foretrækker polske håndværkere."), [("polske".to_owned(), "origin")]);
        assert_eq!(flagged("Du taler flydende polsk og arbejder med vores polske kolleger."), []);
    }

    #[test]
    fn what_a_job_works_with_is_named_not_asked() {
        assert_eq!(flagged("Du skal undervise i kristendomskundskab og historie."), []);
        assert_eq!(
            flagged("Vi er en friskole, og du underviser i religion og skal selv være troende."),
            [("troende".to_owned(), "belief")]
        );
        assert_eq!(flagged("Du vejleder om seksualitet, kønsidentitet og trivsel."), []);
        assert_eq!(flagged("Som kirketjener sørger du for klargøring til gudstjenester."), []);
        assert_eq!(flagged("Du skal deltage i morgenandagten."), [("morgenandagten".to_owned(), "belief")]);
    }

    #[test]
    fn an_employer_and_the_law_may_state_what_the_law_allows() {
        let church = "Menighedsrådet ved Vor Frue Kirke søger en sognepræst, der er medlem af folkekirken.";
        assert_eq!(flagged(church), [], "a faith's own employer (forskelsbehandlingsloven § 6)");
        let church_on_orientation = "Menighedsrådet ved Vor Frue Kirke søger en kirketjener, der er heteroseksuel.";
        assert_eq!(flagged(church_on_orientation), [("heteroseksuel".to_owned(), "orientation")], "§ 6 is faith");
        let business = "Vi er en kristen familievirksomhed og søger en montør, der deler vores tro.";
        assert_eq!(flagged(business), [("vores tro".to_owned(), "belief")], "a business is no faith");
        assert_eq!(flagged("Stillingen kræver dansk indfødsret, som er et lovkrav."), []);
        assert_eq!(flagged("Stillingen kræver dansk indfødsret."), [("dansk indfødsret".to_owned(), "origin")]);
        let clearance = "Da stillingen kræver sikkerhedsgodkendelse, skal du være";
        assert_eq!(flagged(&format!("{clearance} dansk statsborger.")), [], "the basis of a citizenship");
        let ethnicity = flagged(&format!("{clearance} etnisk dansker."));
        assert_eq!(ethnicity.first().map(|(_, category)| *category), Some("origin"), "no basis for an ethnicity");
        assert_eq!(flagged("Du skal opfylde lovens aldersgrænse for at føre lastbil."), []);
        assert_eq!(flagged("Rederiet søger en styrmand; stillingen er åben for alle."), []);
        assert_eq!(flagged("Rederiet søger en salgsmand."), [("salgsmand".to_owned(), "gender")]);
        assert_eq!(flagged("Salgsdame søges til butik i Aarhus."), [("Salgsdame".to_owned(), "gender")]);
    }

    /// Words between a match and what makes it a demand or lawful do not hide it: a hedge
    /// after a need, a verb after a cap, a filler in an inclusion's list, the role itself.
    #[test]
    fn the_words_between_do_not_change_the_reading() {
        let demands = [
            ("Stillingen egner sig ikke for småbørnsforældre.", "family"),
            ("Stillingen er for dig, der højst har været to år på arbejdsmarkedet.", "age"),
            ("Vi søger en elev til firmaet. Han må gerne være mellem 17 og 22.", "age"),
            ("Den ideelle dagplejer har selv børn.", "family"),
            ("Du er slank og i god form.", "health"),
        ];
        assert_each_flagged(&demands);
        let lawful = [
            "Som sognepræst i Ribe Domsogn skal du være medlem af folkekirken.",
            "Du skal tage dig af en flok unge på efterskolen.",
            "Vi opfordrer derfor også personer med anden etnisk baggrund end dansk til at søge.",
            "Vores organisation er slank, og du får stor frihed.",
            "Stillingen kræver dansk statsborgerskab efter de gældende sikkerhedsbestemmelser.",
            "Vi holdt 25 møder om året, og du har højst fem kunder.",
        ];
        assert_nothing_flagged(&lawful);
    }

    /// A sentence that keeps someone out, or tells whom the employer has had good or bad
    /// experience with, says whom it wants; a clause on the clients, a crowd the work concerns
    /// and both sexes named alike say nothing of the applicant.
    #[test]
    fn exclusions_and_preferences_name_whom_an_ad_wants() {
        assert_each_flagged(&[
            ("Butikken har åbent om fredagen, så muslimer er desværre ikke aktuelle.", "belief"),
            ("Vi har dårlige erfaringer med diabetikere, så dem ansætter vi ikke.", "health"),
            ("Vi har dårlige erfaringer med småbørnsforældre.", "family"),
            ("Vi har haft tre på barsel, så nu søger vi en, der er færdig med den del af livet.", "family"),
            ("Pigerne i køkkenet mangler en ny veninde.", "gender"),
            ("Stillingerne passer ikke til småbørnsfamilier, så dem opfordrer vi til at søge andre steder.", "family"),
            ("Af hensyn til teamet vil en kandidat under 40 blive foretrukket.", "age"),
            ("Af hensyn til kunderne ønsker vi ikke medarbejdere, der skifter køn.", "gender"),
            ("Vi ansætter ikke homoseksuelle i kundevendte stillinger.", "orientation"),
            ("Til vores salon ser vi gerne, at du er bøsse – kunderne elsker det.", "orientation"),
            ("Af hensyn til butikkens udtryk må ekspedienterne ikke bære tørklæde.", "belief"),
            ("Stillingen passer bedst til en moden person over 50.", "age"),
            ("Gutterne på lageret trænger til en ung mand.", "age"),
            ("Vi har brug for en ny medarbejder under 30 år.", "age"),
            ("Vi har 20 medarbejdere, og den nye sælger er helst under 30 år.", "age"),
            ("Vi søger en lagerchef. Han eller hun skal være ung og stærk.", "age"),
            ("Da stillingen kræver sikkerhedsgodkendelse, skal du have lys hud.", "origin"),
            ("Oplys venligst om din seksuelle orientering.", "orientation"),
            ("Vi ansætter ikke homoseksuelle, da kunderne ikke bryder sig om det.", "orientation"),
            ("Du kommer til vores salon, hvor kunderne foretrækker unge kvindelige frisører.", "gender"),
            ("Stillingen er åben for alle. 2 stærke flyttemænd søges.", "gender"),
            ("Advokatfirmaet søger en ung forsvarer.", "age"),
            ("Slagteren i vores SuperBrugsen mangler en afløser. Det er vigtigt, at han er stærk.", "gender"),
        ]);
        assert_nothing_flagged(&[
            "Vi sender hvert år over 20.000 danskere på skiferie.",
            "Vores kundeservice taler hver uge med tusindvis af danskere om deres elregning.",
            "I produktionen har vi medarbejdere fra 19 til 68 år.",
            "Lønafdelingen tæller ni kolleger, hvor de yngste er midt i tyverne.",
            "Du har engelsk på forhandlingsniveau og gerne tysk, da du skal betjene kunder i Hamborg.",
            "Kantinen laver gerne italiensk mad om fredagen.",
            "Du må gerne bære tørklæde.",
            "Medarbejdere over 60 kan gå ned i tid.",
            "Du bliver en del af et ambulatorium, hvor patienterne bl.a. har diagnoser som svær depression.",
            "Vi søger en SSP-medarbejder, der kan tale åbent med unge om seksualitet og kønsidentitet.",
            "Vi søger en ny driftsleder. Vedkommende skal kende lean, og han eller hun får ansvar for 12 truckførere.",
            "Du klipper både herrer og damer.",
            "Du rådgiver vores kunder, som typisk er landmænd.",
            "Du arbejder med familier, hvor børnene er anbragt uden for hjemmet.",
            "På opholdsstedet bor unge mellem 15 og 18 år.",
            "Hvis du ikke kan lide at arbejde med børn, er stillingen ikke noget for dig.",
            "Tørklæde kan sagtens bæres under hårnettet.",
        ]);
    }

    /// Where an ad states a requirement: under a label in its paragraph, in a headline whose
    /// link comes a few words on, a cap after the years, an age after "er" far from its "du".
    #[test]
    fn requirements_are_read_where_an_ad_states_them() {
        assert_each_flagged(&[
            ("Vagtfirma i Glostrup.\nKrav:\n- Ren straffeattest\n- Ikke medlem af Enhedslisten", "belief"),
            ("Kontordame på deltid til tømrerfirma i Holbæk.", "gender"),
            ("Krav: 2-5 års erfaring (ikke mere).", "age"),
            ("Du kommer direkte fra 9. klasse og er under 20.", "age"),
            ("Du er i topform.", "health"),
        ]);
        assert_nothing_flagged(&[
            "Krav:\n- Kørekort B\n\nVores butik ligger i et kvarter med mange muslimer.",
            "Vi udvikler apps, der styrker unges mentale trivsel.",
            "Ungdomsklubben søger en leder, der kan skabe aktiviteter for en flok unge.",
            "Du skal lære medlemmer med overvægt at styrketræne.",
            "Du skal være i topform, da jobbet byder på tunge løft.",
        ]);
    }

    #[test]
    fn listed_words_match_their_inflected_forms_not_their_relatives() {
        assert_eq!(
            flagged("Gravide ansøgere kan desværre ikke komme i betragtning."),
            [("Gravide".to_owned(), "family")]
        );
        assert_eq!(flagged("Vi søger to sælgersker."), [("sælgersker".to_owned(), "gender")]);
        let participle = flagged("Ansøgere, der er venstreorienterede, passer ikke ind.");
        assert_eq!(participle, [("venstreorienterede".to_owned(), "belief")], "\"-et\" inflects as \"-ede\"");
        let identity = flagged("Vi ansætter kun personer, hvis kønsidentitet svarer til fødselskønnet.");
        assert!(!identity.is_empty(), "\"svarer\" is no compound of \"varer\"");
        let reservation = flagged("Vi søger en uden religiøse forbehold.");
        assert_eq!(reservation, [("religiøse".to_owned(), "belief")], "\"forbehold\" is no team (\"*hold\")");
        assert_eq!(flagged("Lønnen er den samme for mandlige og kvindelige medarbejdere."), []);
        assert_eq!(flagged("Du taler og skriver flydende dansk."), [], "\"dansk\" is no form of \"dansker\"");
        assert_eq!(flagged("Du arbejder i et raskt tempo."), []);
        assert_eq!(flagged("Vi søger en sygeplejerske."), [], "the neutral title of every nurse");
    }

    #[test]
    fn flags_match_whole_words_only() {
        let report = rules().check("Ungarsk kunde, ungdom ikke nævnt, mandag møde, mandat.", AdLanguage::Da);
        assert!(report.flags.is_empty(), "{:?}", report.flags);
    }

    #[test]
    fn lix_by_hand() {
        // 8 words, 2 sentences, 3 long words (customers, relations, quarterly): 4 + 37.5 = 41.5.
        let report = rules().check("You meet customers weekly. You keep relations quarterly.", AdLanguage::En);
        let r = &report.readability;
        assert_eq!((r.words, r.sentences), (8, 2));
        assert!((r.lix - (4.0 + 100.0 * 3.0 / 8.0)).abs() < 1e-9, "{}", r.lix);
        assert_eq!(r.band, LixBand::Medium);
        for (lix, band) in
            [(24.9, LixBand::VeryEasy), (25.0, LixBand::Easy), (44.9, LixBand::Medium), (55.0, LixBand::VeryDifficult)]
        {
            assert_eq!(LixBand::of(lix), band);
        }
        let headings =
            rules().check("Your role\nYou own 30 accounts. Version 2.5 ships soon", AdLanguage::En).readability;
        assert_eq!(headings.sentences, 3, "a heading line, then two sentences; 2.5 ends none");
    }

    #[test]
    fn the_candidate_and_missing_practical_information_are_found() {
        let report = rules().check("The candidate must know Excel. Contact Mette with questions.", AdLanguage::En);
        assert_eq!(report.third_person[0].text, "The candidate");
        assert!(report.missing_practical.contains(&PracticalItem::Deadline));
        assert!(!report.missing_practical.contains(&PracticalItem::Contact));
        let empty = rules().check("", AdLanguage::Da);
        assert_eq!(empty.readability.words, 0);
        assert_eq!(empty.missing_practical.len(), 5);
    }

    #[test]
    fn broken_lists_are_refused_with_the_reason() {
        let bad = [("x.toml".to_owned(), "language = \"en\"\nthird_person = []\npractical = []\nflag = []\n[gender]\nfeminine = []\nmasculine = [\"lead\"]\n".to_owned())];
        let problems = WordingRules::parse(&bad).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("x.toml") && p.contains("feminine list is empty")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("no word list for language \"da\"")));
        let pattern = Pattern::parse("two *words");
        assert!(pattern.is_err());
    }

    #[test]
    fn findings_are_marked_once_and_the_text_stays_whole() {
        let text = "The candidate is a young, supportive salesman.";
        let report = rules().check(text, AdLanguage::En);
        let segments = report.segments(text);
        assert_eq!(segments.iter().map(|s| s.text.as_str()).collect::<String>(), text);
        let marked: Vec<(&str, Mark)> = segments.iter().filter_map(|s| s.mark.map(|m| (s.text.as_str(), m))).collect();
        assert_eq!(
            marked,
            [
                ("The candidate", Mark::ThirdPerson),
                ("young", Mark::Flag(0)),
                ("supportive", Mark::Feminine),
                ("salesman", Mark::Flag(1))
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_checked_without_panic_and_positions_point_at_the_words(text in "\\PC{0,200}") {
            let mut lowered = String::new();
            let tokens = tokenize(&text, &mut lowered).tokens;
            for token in &tokens {
                let at: String = text.chars().skip(token.start).take(token.end - token.start).collect();
                proptest::prop_assert_eq!(at.as_str(), token.text);
            }
            let report = rules().check(&text, AdLanguage::Da);
            proptest::prop_assert!(report.readability.lix >= 0.0);
            let whole: String = report.segments(&text).into_iter().map(|s| s.text).collect();
            proptest::prop_assert_eq!(whole, text);
        }

        /// Texts thick with numbers, ranges and the words around ages, where the age rules
        /// do their arithmetic on positions.
        #[test]
        fn ages_are_read_from_any_numbers_without_panic(
            words in proptest::collection::vec(
                "[0-9]{1,12}|[0-9]{1,3}-[0-9]{1,3}|[0-9]{2}-årige?|alder:?|mellem|under|over|og|til|år|års|i|født|'erne|erfaring|\\.|\n|#",
                0..40,
            )
        ) {
            let text = words.join(" ");
            let report = rules().check(&text, AdLanguage::Da);
            let chars = text.chars().count();
            for flag in &report.flags {
                proptest::prop_assert!(flag.span.start < flag.span.end && flag.span.end <= chars, "{:?}", flag);
            }
            let whole: String = report.segments(&text).into_iter().map(|s| s.text).collect();
            proptest::prop_assert_eq!(whole, text);
        }
    }
}
