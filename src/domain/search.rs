//! Finding people by what a recruiter types: case- and accent-insensitive, each word typed the
//! start of a word of their name, email address or documents. The store keeps every
//! candidate's [`indexed_words`] in a full-text index; a search asks it for [`words`] of the
//! folded query as prefixes.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `text` as a search compares it: lower case, accents dropped ("é" is "e"), and the Danish
/// letters as they are typed on a keyboard without them ("ø" "o", "æ" "ae", "å" "a").
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .flat_map(|c| match c {
            'ø' => ['o', '\0'],
            'æ' => ['a', 'e'],
            'ß' => ['s', 's'],
            other => [other, '\0'],
        })
        .filter(|c| *c != '\0')
        .collect()
}

/// The words of a folded text: its runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty())
}

/// At most this many distinct words of a record are indexed: a name, an address and a CV hold
/// a few thousand; more is a document that is not a CV, and PostgreSQL's index has a limit.
pub const INDEXED_WORDS_MAX: usize = 20_000;
/// Longer "words" are not something anyone types (an encoded image, a long link).
pub const WORD_LENGTH_MAX: usize = 60;

/// What a record is found by: the distinct words of its `texts`, folded, separated by spaces,
/// in the order they first appear. A search finds the record when each of its words starts one.
pub fn indexed_words<T: AsRef<str>>(texts: impl IntoIterator<Item = T>) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut indexed = String::new();
    for text in texts {
        let folded = fold(text.as_ref());
        for word in words(&folded).filter(|w| w.chars().count() <= WORD_LENGTH_MAX) {
            if seen.len() == INDEXED_WORDS_MAX {
                return indexed;
            }
            if seen.insert(word.to_owned()) {
                if !indexed.is_empty() {
                    indexed.push(' ');
                }
                indexed.push_str(word);
            }
        }
    }
    indexed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_accents_and_types_danish_letters() {
        assert_eq!(fold("Søren Ærø"), "soren aero");
        assert_eq!(fold("Åse"), "ase");
        assert_eq!(fold("José MÜLLER"), "jose muller");
    }

    #[test]
    fn a_record_is_indexed_by_its_distinct_folded_words() {
        let indexed = indexed_words(["Søren Kierkegaard", "s.kierkegaard@example.dk", "SØREN: a CV"]);
        assert_eq!(indexed, "soren kierkegaard s example dk a cv");
        assert_eq!(indexed_words(["...", ""]), "");
        let long = "x".repeat(WORD_LENGTH_MAX + 1);
        assert_eq!(indexed_words([format!("Ida {long} Holm")]), "ida holm");
    }

    #[test]
    fn indexing_stops_at_the_words_limit() {
        let many: String = (0..INDEXED_WORDS_MAX + 10).map(|n| format!("w{n} ")).collect();
        assert_eq!(words(&indexed_words([many])).count(), INDEXED_WORDS_MAX);
    }
}
