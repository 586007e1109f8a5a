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

/// Many records' texts (a candidate's name and email address), folded once and their words
/// sorted, so that [`starts_a_word`] over all of them is a binary search, not a read of each.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Per record, its folded texts.
    texts: Vec<Vec<String>>,
    /// Every word of every text: (record, text, byte offset), sorted by the word there.
    words: Vec<(u32, u8, u32)>,
}

impl SearchIndex {
    /// The index of `records`, each given as its texts (unfolded), by position.
    pub fn new<R, T>(records: R) -> Self
    where
        R: IntoIterator<Item = T>,
        T: IntoIterator,
        T::Item: AsRef<str>,
    {
        let texts: Vec<Vec<String>> =
            records.into_iter().map(|texts| texts.into_iter().map(|t| fold(t.as_ref())).collect()).collect();
        let mut words = Vec::new();
        for (record, record_texts) in texts.iter().enumerate() {
            for (text, folded) in record_texts.iter().enumerate() {
                let starts = word_starts(folded).map(|at| (record as u32, text as u8, at as u32));
                words.extend(starts);
            }
        }
        let mut index = Self { texts, words: Vec::new() };
        words.sort_unstable_by(|a, b| index.word(*a).cmp(index.word(*b)));
        index.words = words;
        index
    }

    /// The positions of the records with a text that has a word starting with `query` (folded),
    /// in no order and once per word that matches: [`starts_a_word`] over every record.
    pub fn matching(&self, query: &str) -> Vec<u32> {
        if query.starts_with(char::is_alphanumeric) {
            // Sorted by the text from each word on, the words the query starts are side by side.
            let from = self.words.partition_point(|w| self.word(*w) < query);
            let to = from + self.words[from..].partition_point(|w| self.word(*w).starts_with(query));
            self.words[from..to].iter().map(|(record, _, _)| *record).collect()
        } else {
            // A query that begins with punctuation may match where no word begins: read every text.
            (0..self.texts.len() as u32).filter(|r| self.record_matches(*r, query)).collect()
        }
    }

    fn record_matches(&self, record: u32, query: &str) -> bool {
        self.texts[record as usize].iter().any(|text| starts_a_word(text, query))
    }

    /// The rest of the text from a word's start: sorting by it sorts by the word.
    fn word(&self, (record, text, at): (u32, u8, u32)) -> &str {
        &self.texts[record as usize][text as usize][at as usize..]
    }
}

/// Where the words of a folded text start: each alphanumeric after anything else.
fn word_starts(folded: &str) -> impl Iterator<Item = usize> + '_ {
    let mut previous_alphanumeric = false;
    folded.char_indices().filter_map(move |(at, c)| {
        let starts = c.is_alphanumeric() && !previous_alphanumeric;
        previous_alphanumeric = c.is_alphanumeric();
        starts.then_some(at)
    })
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

    #[test]
    fn the_index_finds_what_starts_a_word_reading_every_text_finds() {
        let records = [
            ["Søren Kierkegaard", "s.k@example.dk"],
            ["Sofie Sørensen", "sofie@firma.dk"],
            ["José Müller", "jm@example.com"],
            ["Ida Holm-Berg", "ida..holm@example.dk"],
        ];
        let index = SearchIndex::new(records);
        let by_index = |query: &str| -> Vec<u32> {
            let mut found = index.matching(query);
            found.sort_unstable();
            found.dedup();
            found
        };
        let by_reading = |query: &str| -> Vec<u32> {
            (0..records.len() as u32)
                .filter(|r| records[*r as usize].iter().any(|t| starts_a_word(&fold(t), query)))
                .collect()
        };
        for query in [
            "s", "sor", "soren k", "sofie@", "example", "mu", "ller", "jose mu", "holm", "holm-b", ".holm", "@firma",
            "x", "dk",
        ] {
            let query = fold(query);
            assert_eq!(by_index(&query), by_reading(&query), "{query}");
        }
        assert_eq!(by_index("sor"), [0, 1]);
    }
}
