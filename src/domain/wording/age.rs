//! Ages written as numbers: "mellem 25 og 35 år", "under 30 år", "Alder: 25-40", "30-årig",
//! "i 30'erne", "født efter 1990", "født i 90'erne", "ansøgere over 50"; and a cap on years of
//! experience ("højst tre års erfaring"), which keeps older applicants out as an age limit
//! would. A word list cannot find them; the numbers and the words around them can. Years of
//! experience asked as a minimum ("3 års erfaring", "over 20 år i branchen") and the company's
//! own age ("i over 25 år") are not ages.

use std::ops::RangeInclusive;

use serde::Deserialize;

use super::Token;
use super::context::{WordList, before_in_sentence, next_in_sentence, sentence_range};

/// The ages a job ad could ask for: a number outside is a count of something else.
const WORKING_AGES: RangeInclusive<u32> = 15..=70;
/// The decades of a life that a text names as "i 30'erne".
const LIFE_DECADES: [u32; 5] = [20, 30, 40, 50, 60];
/// The decades of birth a text names as "født i 90'erne" (two digits) or "1990'erne".
const BIRTH_DECADES: [u32; 9] = [0, 10, 40, 50, 60, 70, 80, 90, 1900];
/// The birth years an ad could ask for.
const BIRTH_YEARS: RangeInclusive<u32> = 1940..=2012;
/// How many words before an age without a unit are read for whom it is said of ("du skal dog
/// helst være under 35").
const PEOPLE_LOOK_BACK: usize = 6;
/// The ages below which the law itself sets limits (18 to sell alcohol or drive a lorry).
const LEGAL_AGES_BELOW: u32 = 19;
/// How many words before a number are read for the word that makes it an age.
const LOOK_BACK: usize = 3;

/// One language's words for ages, as written in its list file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AgeWords {
    /// Labels that make the number after them an age: "alder", "alderen".
    labels: WordList,
    /// Verbs that make the number after them an age above the ages the law itself sets
    /// ("fyldt 18" for selling alcohol is lawful): "fyldt", "rundet".
    #[serde(default)]
    turned: WordList,
    /// Words before a number of years that bound an age: "mellem", "under", "over".
    bounds: WordList,
    /// The unit: "år".
    years: WordList,
    /// Words after "N år" that make it a duration, not an age: "erfaring", "i", "med".
    not_after_years: WordList,
    /// Words before a bound that make it a duration: "i" in "i over 25 år".
    durations: WordList,
    /// The ending of "30-årig": "årig", "årige".
    year_old: WordList,
    /// Words after "N-årig" that make it a duration: "uddannelse", "kontrakt".
    not_after_year_old: WordList,
    /// The ending of a decade of life after its number: "erne" in "30'erne".
    decade: WordList,
    /// The decade endings that name a time, not people ("30'erne", not "30'ere"): a decade of
    /// life only after one of `in_decade` ("i 30'erne").
    #[serde(default)]
    decade_after: WordList,
    #[serde(default)]
    in_decade: WordList,
    /// Words before a birth year or decade: "født", "årgang", "er fra" (an entry may be
    /// several words).
    born: WordList,
    /// Decades of birth in words, counted after a `born` word: "halvfemserne".
    #[serde(default)]
    birth_decades: WordList,
    /// Numbers in words: "tre", "ti".
    #[serde(default)]
    number_words: WordList,
    /// Words that cap a number: "højst", "ikke mere end" (an entry may be several words).
    #[serde(default)]
    caps: WordList,
    /// Words right after a number of years of experience that cap it: "ikke mere" in "2-5 års
    /// erfaring (ikke mere)".
    #[serde(default)]
    caps_after: WordList,
    /// Verbs that may stand between a cap and its number: "har været" in "højst har været to år
    /// på arbejdsmarkedet".
    #[serde(default)]
    cap_verbs: WordList,
    /// The unit of years of experience: "år", "års".
    #[serde(default)]
    experience_years: WordList,
    /// Words after a number of years that make it experience: "erfaring*", "arbejdsmarkedet".
    #[serde(default)]
    experience: WordList,
    /// People an age without a unit is said of, a few words before it: "ansøger*", "du".
    #[serde(default)]
    people: WordList,
    /// Copulas: a bound right after one is an age of the sentence's subject, however far
    /// before it ("du kommer direkte fra 9. klasse og er under 20").
    #[serde(default)]
    copulas: WordList,
    /// Gendered pronouns, people an age is said of where they stand for the applicant.
    #[serde(default)]
    pronouns: WordList,
    /// Words that begin a clause after such a number and so end its phrase: "for at" in "under
    /// 35 for at passe ind".
    #[serde(default)]
    clause_ends: WordList,
    /// Bounds of a time of day, after which no clause makes the number an age: "til 22 for at
    /// dække lukkevagten".
    #[serde(default)]
    times: WordList,
    /// Words after such a number that end the phrase ("og", "eller"): any other word makes
    /// the number a count ("over 50 kunder").
    #[serde(default)]
    phrase_ends: WordList,
}

impl AgeWords {
    /// (first token, end token) of every age the text asks for.
    /// `applicant_pronouns` are the first tokens of the gendered pronouns that stand for the
    /// applicant.
    pub(super) fn find(&self, tokens: &[Token<'_>], applicant_pronouns: &[usize]) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for at in 0..tokens.len() {
            if found.last().is_some_and(|&(_, end)| end > at) {
                continue;
            }
            let age = self
                .year_old_at(tokens, at)
                .or_else(|| self.experience_cap(tokens, at))
                .or_else(|| self.birth_decade_word(tokens, at))
                .or_else(|| {
                    numbers(tokens[at].lower).and_then(|numbers| {
                        self.labelled(tokens, at, &numbers)
                            .or_else(|| self.bounded(tokens, at, &numbers))
                            .or_else(|| self.decade_at(tokens, at, &numbers))
                            .or_else(|| self.birth_year(tokens, at, &numbers))
                            .or_else(|| self.said_of_people(tokens, at, &numbers, applicant_pronouns))
                    })
                });
            match (found.last_mut(), age) {
                // "i alderen 30 til 45 år": both numbers after one label make one age.
                (Some(last), Some((start, end))) if start < last.1 => last.1 = end,
                (_, Some(age)) => found.push(age),
                (_, None) => {}
            }
        }
        found
    }

    /// "Alder: 25-40", "i alderen 25 til 35": a working age after an age label.
    fn labelled(&self, tokens: &[Token<'_>], at: usize, numbers: &[u32]) -> Option<(usize, usize)> {
        if !numbers.iter().all(|n| WORKING_AGES.contains(n)) {
            return None;
        }
        // A label ends its own sentence ("Alder: 25-40"): read back along the line instead.
        let line = tokens[at].place.line;
        let before = tokens[at.saturating_sub(LOOK_BACK)..at].iter().rev().take_while(|t| t.place.line == line);
        let label = before.into_iter().position(|t| self.labels.contains(t.lower) || self.turned.contains(t.lower))?;
        let first = at - label - 1;
        if self.turned.contains(tokens[first].lower) && numbers.iter().any(|n| *n < LEGAL_AGES_BELOW) {
            return None;
        }
        Some((first, self.past_years(tokens, at + 1)))
    }

    /// "mellem 25 og 35 år", "under 30 år", "25-35 år": working ages in years, bounded or a
    /// range, unless what follows or precedes makes them a duration.
    fn bounded(&self, tokens: &[Token<'_>], at: usize, numbers: &[u32]) -> Option<(usize, usize)> {
        if !numbers.iter().all(|n| WORKING_AGES.contains(n)) {
            return None;
        }
        next_in_sentence(tokens, at + 1).filter(|t| self.years.contains(t.lower))?;
        if next_in_sentence(tokens, at + 2).is_some_and(|t| self.not_after_years.contains(t.lower)) {
            return None;
        }
        let before: Vec<&Token<'_>> = before_in_sentence(tokens, at, LOOK_BACK + 1).collect();
        // "mellem 12 og 16 år": the lower end of a range must be a working age too.
        let lower_end = before.get(1).filter(|_| before.first().is_some_and(|t| self.phrase_ends.contains(t.lower)));
        if lower_end.and_then(|t| self::numbers(t.lower)).is_some_and(|n| !n.iter().all(|n| WORKING_AGES.contains(n))) {
            return None;
        }
        let bound = before.iter().take(LOOK_BACK).position(|t| self.bounds.contains(t.lower));
        let first = match bound {
            // "i over 25 år" is how long, not how old.
            Some(i) if before.get(i + 1).is_some_and(|t| self.durations.contains(t.lower)) => return None,
            Some(i) => at - i - 1,
            None if numbers.len() == 2 => at,
            None => return None,
        };
        Some((first, at + 2))
    }

    /// "30-årig", "25-35-årige": an age as an adjective, unless it qualifies a period
    /// ("en 3-årig uddannelse").
    fn year_old_at(&self, tokens: &[Token<'_>], at: usize) -> Option<(usize, usize)> {
        let word = tokens[at].lower;
        let (digits, ending) = word.rsplit_once('-')?;
        if !self.year_old.contains(ending) {
            return None;
        }
        let numbers = numbers(digits)?;
        if !numbers.iter().all(|n| WORKING_AGES.contains(n)) {
            return None;
        }
        if next_in_sentence(tokens, at + 1).is_some_and(|t| self.not_after_year_old.contains(t.lower)) {
            return None;
        }
        Some((at, at + 1))
    }

    /// "i 30'erne": a decade of life (the apostrophe parts the number from its ending);
    /// "født i 90'erne", "du er fra 1990'erne": a decade of birth.
    fn decade_at(&self, tokens: &[Token<'_>], at: usize, numbers: &[u32]) -> Option<(usize, usize)> {
        let [decade] = numbers else { return None };
        // An apostrophe, or a plus and one ("50+'ere"), parts the number from its ending.
        let ending = next_in_sentence(tokens, at + 1).filter(|t| self.decade.contains(t.lower))?;
        if ending.start > tokens[at].end + 2 || !ending.place.joined {
            return None;
        }
        // "i 30'erne" of a person; "møbler fra 50'erne" are not. "50'ere" are people.
        let of_life = !self.decade_after.contains(ending.lower)
            || before_in_sentence(tokens, at, LOOK_BACK).any(|t| self.in_decade.contains(t.lower));
        if LIFE_DECADES.contains(decade) && of_life {
            return Some((at, at + 2));
        }
        let of_birth = BIRTH_DECADES.contains(&(decade % 100)) || BIRTH_DECADES.contains(&(decade - decade % 100));
        let born = self.born_before(tokens, at)?;
        (of_birth && decade % 10 == 0).then_some((born, at + 2))
    }

    /// "fra halvfemserne", "født i firserne": a decade of birth in words.
    fn birth_decade_word(&self, tokens: &[Token<'_>], at: usize) -> Option<(usize, usize)> {
        if !self.birth_decades.contains(tokens[at].lower) {
            return None;
        }
        Some((self.born_before(tokens, at)?, at + 1))
    }

    /// "født efter 1990", "årgang 1995": a birth year.
    fn birth_year(&self, tokens: &[Token<'_>], at: usize, numbers: &[u32]) -> Option<(usize, usize)> {
        if !numbers.iter().all(|n| BIRTH_YEARS.contains(n)) {
            return None;
        }
        Some((self.born_before(tokens, at)?, at + 1))
    }

    /// Where a `born` word or phrase stands among the few words before `at`.
    fn born_before(&self, tokens: &[Token<'_>], at: usize) -> Option<usize> {
        let first = at - before_in_sentence(tokens, at, LOOK_BACK).count();
        (first..at).find(|&i| self.born.iter().any(|phrase| phrase_within(tokens, i, phrase, at)))
    }

    /// "højst tre års erfaring", "ikke mere end 5 år på arbejdsmarkedet", "højst har været to år
    /// på arbejdsmarkedet": a cap on experience.
    fn experience_cap(&self, tokens: &[Token<'_>], at: usize) -> Option<(usize, usize)> {
        // The unit first: it rules out nearly every word at once.
        next_in_sentence(tokens, at + 1).filter(|t| self.experience_years.contains(t.lower))?;
        let word = tokens[at].lower;
        if numbers(word).is_none() && !self.number_words.contains(word) {
            return None;
        }
        let sentence = tokens[at].place.sentence;
        let after =
            (at + 2..tokens.len().min(at + 2 + LOOK_BACK)).take_while(|&i| tokens[i].place.sentence == sentence);
        let experience = after.into_iter().find(|&i| self.experience.contains(tokens[i].lower))?;
        let first = at - before_in_sentence(tokens, at, LOOK_BACK).count();
        if let Some(cap) = (first..at).find(|&i| self.caps.iter().any(|phrase| self.caps_at(tokens, i, phrase, at))) {
            return Some((cap, experience + 1));
        }
        // "2-5 års erfaring (ikke mere)": the cap right after.
        let capped = |phrase: &String| {
            let words = phrase.split(' ').count();
            let end = experience + 1 + words;
            (end <= tokens.len() && tokens[end - 1].place.sentence == sentence)
                .then(|| phrase_within(tokens, experience + 1, phrase, end).then_some(end))
                .flatten()
        };
        self.caps_after.iter().find_map(capped).map(|end| (at, end))
    }

    /// Whether the cap `phrase` stands at `tokens[i..]` and caps the number at `tokens[at]`:
    /// right before it, or with only verbs between ("højst har været to år").
    fn caps_at(&self, tokens: &[Token<'_>], i: usize, phrase: &str, at: usize) -> bool {
        let end = i + phrase.split(' ').count();
        end <= at
            && phrase_within(tokens, i, phrase, at)
            && tokens[end..at].iter().all(|t| self.cap_verbs.contains(t.lower))
    }

    /// "ansøgere over 50", "den ideelle kandidat er mellem 25 og 35": working ages without a
    /// unit, said of the applicant, where no noun after them makes them a count.
    fn said_of_people(
        &self,
        tokens: &[Token<'_>],
        at: usize,
        numbers: &[u32],
        applicant_pronouns: &[usize],
    ) -> Option<(usize, usize)> {
        let (numbers, end) =
            match (numbers, tokens.get(at + 1), tokens.get(at + 2).and_then(|t| self::numbers(t.lower))) {
                // "mellem 25 og 35".
                ([single], Some(and), Some(second)) if self.phrase_ends.iter().any(|w| w == and.lower) => {
                    (vec![*single, second[0]], at + 3)
                }
                _ => (numbers.to_vec(), at + 1),
            };
        if !numbers.iter().all(|n| WORKING_AGES.contains(n)) {
            return None;
        }
        let ends = match tokens.get(end) {
            Some(next) => {
                next.place.clause != tokens[end - 1].place.clause
                    || self.phrase_ends.contains(next.lower)
                    || (!before_is_time(tokens, at, &self.times)
                        && self.clause_ends.iter().any(|phrase| phrase_within(tokens, end, phrase, tokens.len())))
            }
            None => true,
        };
        // A pronoun counts only where it stands for the applicant ("Han må gerne være mellem 17
        // og 22"), not for a colleague named before it ("Du afløser Jens. Han er over 60").
        let is_person = |i: usize| {
            self.people.contains(tokens[i].lower)
                || (self.pronouns.contains(tokens[i].lower) && applicant_pronouns.contains(&i))
        };
        let before: Vec<&Token<'_>> = before_in_sentence(tokens, at, PEOPLE_LOOK_BACK).collect();
        let bounded = before.first().is_some_and(|t| self.bounds.contains(t.lower));
        let after_copula = bounded && before.get(1).is_some_and(|t| self.copulas.contains(t.lower));
        let first = sentence_range(tokens, at).start;
        let person = (at - before.len()..at).any(is_person) || (after_copula && (first..at).any(is_person));
        (person && ends && (bounded || numbers.len() == 2)).then_some((at - usize::from(bounded), end))
    }

    /// Past the unit of years at `at`, if there is one.
    fn past_years(&self, tokens: &[Token<'_>], at: usize) -> usize {
        match next_in_sentence(tokens, at) {
            Some(unit) if self.years.contains(unit.lower) => at + 1,
            _ => at,
        }
    }
}

/// Whether the word before `tokens[at]` bounds a time of day: "til", "ca".
fn before_is_time(tokens: &[Token<'_>], at: usize, times: &WordList) -> bool {
    before_in_sentence(tokens, at, 1).any(|t| times.contains(t.lower))
}

/// Whether the words of `phrase` stand at `tokens[i..]`, ending by `before`.
fn phrase_within(tokens: &[Token<'_>], i: usize, phrase: &str, before: usize) -> bool {
    let words: Vec<&str> = phrase.split(' ').collect();
    i + words.len() <= before && words.iter().zip(&tokens[i..]).all(|(word, token)| token.lower == *word)
}

/// The number or range ("25", "25-35") a word is, if it is one.
fn numbers(word: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = word.split('-').map(|part| part.parse().ok()).collect();
    parts.filter(|parts| (1..=2).contains(&parts.len()))
}
