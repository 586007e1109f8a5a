//! Inflected forms. A listed word also matches its plural, definite and adjective forms: the
//! word with an ending that its Snowball stemmer takes off again. "kvindelig" finds
//! "kvindelige", "rask" "raske", "gravid" "gravide"; "kvinder" is not "kvindelig" although both
//! stem to "kvind", nor "dansk" "dansker". Irregular forms ("mand", "mænd"; "kristen",
//! "kristne") are listed as such.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

/// The languages whose Snowball stemmer a list may name.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum StemmerLanguage {
    Danish,
    English,
}

/// A language's Snowball stemmer.
pub(super) struct Stemmer(rust_stemmers::Stemmer);

impl fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Stemmer")
    }
}

impl Stemmer {
    pub(super) fn new(language: StemmerLanguage) -> Self {
        Self(rust_stemmers::Stemmer::create(match language {
            StemmerLanguage::Danish => rust_stemmers::Algorithm::Danish,
            StemmerLanguage::English => rust_stemmers::Algorithm::English,
        }))
    }

    /// The stem of a word in lower case.
    pub(super) fn stem<'w>(&self, word: &'w str) -> Cow<'w, str> {
        self.0.stem(word)
    }

    /// The stem a listed word is compared by.
    pub(super) fn comparable(&self, word: &str) -> String {
        self.stem(word).into_owned()
    }
}

/// Whether `word` (with its `stem`) is an inflected form of the listed `listed` (with its
/// stem `listed_stem`): the listed word with an ending the stemmer takes off.
pub(super) fn inflects(word: &str, stem: &str, listed: &str, listed_stem: &str) -> bool {
    word.len() > listed.len() && word.starts_with(listed) && stem == listed_stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_share_the_stem_of_the_listed_word() {
        let danish = Stemmer::new(StemmerLanguage::Danish);
        let inflects =
            |word: &str, listed: &str| inflects(word, &danish.stem(word), listed, &danish.comparable(listed));
        for (listed, inflected) in
            [("kvindelig", "kvindelige"), ("rask", "raske"), ("gravid", "gravide"), ("sælgerske", "sælgerskerne")]
        {
            assert!(inflects(inflected, listed), "{inflected}");
        }
        for (listed, other) in [("kvindelig", "kvinder"), ("dansker", "dansk"), ("moden", "mod")] {
            assert!(!inflects(other, listed), "{other} is no form of {listed}");
        }
    }
}
