//! Ages written as numbers: "mellem 25 og 35 år", "under 30 år", "Alder: 25-40", "30-årig",
//! "i 30'erne", "født efter 1990". A word list cannot find them; the numbers and the words
//! around them can. Years of experience ("3 års erfaring", "over 20 år i branchen") and the
//! company's own age ("i over 25 år") are not ages.

use std::ops::RangeInclusive;

use serde::Deserialize;

use super::Token;
use super::context::{before_in_sentence, contains, lowered, next_in_sentence};

/// The ages a job ad could ask for: a number outside is a count of something else.
const WORKING_AGES: RangeInclusive<u32> = 15..=70;
/// The decades of a life that a text names as "i 30'erne".
const LIFE_DECADES: [u32; 5] = [20, 30, 40, 50, 60];
/// The birth years an ad could ask for.
const BIRTH_YEARS: RangeInclusive<u32> = 1940..=2012;
/// How many words before a number are read for the word that makes it an age.
const LOOK_BACK: usize = 3;

/// One language's words for ages, as written in its list file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AgeWords {
    /// Labels that make the number after them an age: "alder", "alderen".
    labels: Vec<String>,
    /// Words before a number of years that bound an age: "mellem", "under", "over".
    bounds: Vec<String>,
    /// The unit: "år".
    years: Vec<String>,
    /// Words after "N år" that make it a duration, not an age: "erfaring", "i", "med".
    not_after_years: Vec<String>,
    /// Words before a bound that make it a duration: "i" in "i over 25 år".
    durations: Vec<String>,
    /// The ending of "30-årig": "årig", "årige".
    year_old: Vec<String>,
    /// Words after "N-årig" that make it a duration: "uddannelse", "kontrakt".
    not_after_year_old: Vec<String>,
    /// The ending of a decade of life after its number: "erne" in "30'erne".
    decade: Vec<String>,
    /// Words before a birth year: "født", "årgang".
    born: Vec<String>,
}

impl AgeWords {
    pub(super) fn lowercased(self) -> Self {
        Self {
            labels: lowered(&self.labels),
            bounds: lowered(&self.bounds),
            years: lowered(&self.years),
            not_after_years: lowered(&self.not_after_years),
            durations: lowered(&self.durations),
            year_old: lowered(&self.year_old),
            not_after_year_old: lowered(&self.not_after_year_old),
            decade: lowered(&self.decade),
            born: lowered(&self.born),
        }
    }

    /// (first token, end token) of every age the text asks for.
    pub(super) fn find(&self, tokens: &[Token<'_>]) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for at in 0..tokens.len() {
            if found.last().is_some_and(|&(_, end)| end > at) {
                continue;
            }
            let age = self.year_old_at(tokens, at).or_else(|| {
                numbers(tokens[at].lower).and_then(|numbers| {
                    self.labelled(tokens, at, &numbers)
                        .or_else(|| self.bounded(tokens, at, &numbers))
                        .or_else(|| self.decade_at(tokens, at, &numbers))
                        .or_else(|| self.birth_year(tokens, at, &numbers))
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
        let label = before.into_iter().position(|t| contains(&self.labels, t.lower))?;
        Some((at - label - 1, self.past_years(tokens, at + 1)))
    }

    /// "mellem 25 og 35 år", "under 30 år", "25-35 år": working ages in years, bounded or a
    /// range, unless what follows or precedes makes them a duration.
    fn bounded(&self, tokens: &[Token<'_>], at: usize, numbers: &[u32]) -> Option<(usize, usize)> {
        if !numbers.iter().all(|n| WORKING_AGES.contains(n)) {
            return None;
        }
        next_in_sentence(tokens, at + 1).filter(|t| contains(&self.years, t.lower))?;
        if next_in_sentence(tokens, at + 2).is_some_and(|t| contains(&self.not_after_years, t.lower)) {
            return None;
        }
        let before: Vec<&Token<'_>> = before_in_sentence(tokens, at, LOOK_BACK + 1).collect();
        let bound = before.iter().take(LOOK_BACK).position(|t| contains(&self.bounds, t.lower));
        let first = match bound {
            // "i over 25 år" is how long, not how old.
            Some(i) if before.get(i + 1).is_some_and(|t| contains(&self.durations, t.lower)) => return None,
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
        if !contains(&self.year_old, ending) {
            return None;
        }
        let numbers = numbers(digits)?;
        if !numbers.iter().all(|n| WORKING_AGES.contains(n)) {
            return None;
        }
        if next_in_sentence(tokens, at + 1).is_some_and(|t| contains(&self.not_after_year_old, t.lower)) {
            return None;
        }
        Some((at, at + 1))
    }

    /// "i 30'erne": a decade of life (the apostrophe parts the number from its ending).
    fn decade_at(&self, tokens: &[Token<'_>], at: usize, numbers: &[u32]) -> Option<(usize, usize)> {
        let [decade] = numbers else { return None };
        let ending = next_in_sentence(tokens, at + 1).filter(|t| contains(&self.decade, t.lower))?;
        (LIFE_DECADES.contains(decade) && ending.start == tokens[at].end + 1).then_some((at, at + 2))
    }

    /// "født efter 1990", "årgang 1995": a birth year.
    fn birth_year(&self, tokens: &[Token<'_>], at: usize, numbers: &[u32]) -> Option<(usize, usize)> {
        if !numbers.iter().all(|n| BIRTH_YEARS.contains(n)) {
            return None;
        }
        let born = before_in_sentence(tokens, at, LOOK_BACK).position(|t| contains(&self.born, t.lower))?;
        Some((at - born - 1, at + 1))
    }

    /// Past the unit of years at `at`, if there is one.
    fn past_years(&self, tokens: &[Token<'_>], at: usize) -> usize {
        match next_in_sentence(tokens, at) {
            Some(unit) if contains(&self.years, unit.lower) => at + 1,
            _ => at,
        }
    }
}

/// The number or range ("25", "25-35") a word is, if it is one.
fn numbers(word: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = word.split('-').map(|part| part.parse().ok()).collect();
    parts.filter(|parts| (1..=2).contains(&parts.len()))
}
