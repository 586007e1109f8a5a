//! Finding people by what a recruiter types: case- and accent-insensitive, from the start of
//! any word of a name or of an email address.

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

/// Whether `folded` (a [`fold`]ed text) has a word that starts with `query` (folded too).
pub fn starts_a_word(folded: &str, query: &str) -> bool {
    !query.is_empty()
        && folded
            .match_indices(query)
            .any(|(at, _)| !folded[..at].chars().next_back().is_some_and(char::is_alphanumeric))
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
    fn a_query_matches_the_start_of_a_word() {
        let name = fold("Søren Kierkegaard");
        assert!(starts_a_word(&name, &fold("sør")));
        assert!(starts_a_word(&name, &fold("KIERK")));
        assert!(starts_a_word(&name, &fold("soren k")));
        assert!(!starts_a_word(&name, &fold("egaard")), "not inside a word");
        assert!(!starts_a_word(&name, ""));
        assert!(starts_a_word(&fold("dina.holm@example.dk"), "holm"));
    }
}
