//! Phrases that a behaviourally anchored scale must not use: each describes a trait, a
//! reputation or a state of the interview rather than something the candidate did, so two
//! interviewers would not mean the same by it (the list is `rubrics/anchor_words.toml`).

use serde::Deserialize;

/// The file that holds the phrases, beside the weights.
pub const ANCHOR_WORDS_FILE: &str = "anchor_words.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnchorWordsFile {
    phrases: Vec<BannedPhrase>,
}

/// One phrase and why an anchor may not use it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BannedPhrase {
    /// Matched case-insensitively at the start of a word, so "venlig" also finds "venlige".
    pub text: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnchorWords {
    phrases: Vec<BannedPhrase>,
}

impl From<AnchorWordsFile> for AnchorWords {
    fn from(file: AnchorWordsFile) -> Self {
        let phrases = file
            .phrases
            .into_iter()
            .map(|p| BannedPhrase { text: p.text.trim().to_lowercase(), why: p.why })
            .filter(|p| !p.text.is_empty())
            .collect();
        Self { phrases }
    }
}

impl AnchorWords {
    /// The banned phrases `anchor` uses.
    pub fn found_in<'w>(&'w self, anchor: &str) -> Vec<&'w BannedPhrase> {
        let lowered = anchor.to_lowercase();
        self.phrases.iter().filter(|p| at_word_start(&lowered, &p.text)).collect()
    }
}

/// Whether `phrase` occurs in `text` where a word begins.
fn at_word_start(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| !text[..at].chars().next_back().is_some_and(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_found_where_a_word_begins_whatever_the_case() {
        let file: AnchorWordsFile = toml::from_str(
            "[[phrases]]\ntext = \"Venlig\"\nwhy = \"a trait\"\n[[phrases]]\ntext = \"known as\"\nwhy = \"a reputation\"\n",
        )
        .unwrap();
        let words = AnchorWords::from(file);
        assert_eq!(words.found_in("Venlige og hjælpsomme svar").len(), 1);
        assert_eq!(words.found_in("Known as the one who delivers")[0].why, "a reputation");
        assert!(words.found_in("Uvenlig tone").is_empty(), "not inside a word");
        assert!(words.found_in("Gives examples of promises kept").is_empty());
    }
}
