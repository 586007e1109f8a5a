//! Reading a match in its context: whether a gendered word names whom the ad seeks or only the
//! clients or colleagues, and whether the words around a match change what it means.

use serde::Deserialize;

use super::Token;

/// How many words before a match are read for its context: enough for "vi søger en ung og erfaren".
const LOOK_BACK: usize = 4;

/// The words that show a match names whom the ad seeks, in one language (lower case).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RoleWords {
    /// Words that introduce the role sought: "søger", "ansætter", "en".
    #[serde(default)]
    leads: Vec<String>,
    /// Verbs that tie the reader to the role ("er" in "du er"), counted only after or before
    /// one of the `subjects`.
    #[serde(default)]
    copulas: Vec<String>,
    /// Who the ad speaks to: "du".
    #[serde(default)]
    subjects: Vec<String>,
    /// Words right after the role that seek it: "søges".
    #[serde(default)]
    follows: Vec<String>,
    /// A clause right after the role that seeks it: "vi leder efter" in "manden, vi leder efter".
    #[serde(default)]
    sought_by: Vec<String>,
}

impl RoleWords {
    pub(super) fn lowercased(self) -> Self {
        Self {
            leads: lowered(&self.leads),
            copulas: lowered(&self.copulas),
            subjects: lowered(&self.subjects),
            follows: lowered(&self.follows),
            sought_by: lowered(&self.sought_by),
        }
    }

    /// Whether `tokens[start..end]` names whom the ad seeks: on a heading line (an ad's
    /// title), right before a word that seeks it ("… søges"), or after a word that introduces
    /// it ("vi søger en …") or ties the reader to it ("du er …") in the same sentence.
    /// Leads in `not_leads` do not count: singular ones ("en") before a plural word belong to
    /// another noun ("en række landmænd").
    pub(super) fn names_the_role(&self, tokens: &[Token<'_>], start: usize, end: usize, not_leads: &[String]) -> bool {
        if tokens[start].place.in_heading || in_a_title(tokens, start) {
            return true;
        }
        // "Salgsmand til udekørende salg søges": a word that seeks it later in its clause.
        let clause = tokens[start].place.clause;
        if tokens[end..].iter().take_while(|t| t.place.clause == clause).any(|t| contains(&self.follows, t.lower)) {
            return true;
        }
        let sentence = tokens[start].place.sentence;
        let sought = self.sought_by.iter().any(|phrase| {
            phrase
                .split(' ')
                .enumerate()
                .all(|(k, word)| tokens.get(end + k).is_some_and(|t| t.place.sentence == sentence && t.lower == word))
        });
        if sought {
            return true;
        }
        // One word further back, for the subject of a copula at the edge ("du er …").
        let before: Vec<&Token<'_>> = before_in_sentence(tokens, start, LOOK_BACK + 1).collect();
        before.iter().take(LOOK_BACK).enumerate().any(|(i, token)| {
            (contains(&self.leads, token.lower) && !contains(not_leads, token.lower))
                || (contains(&self.copulas, token.lower) && self.subject_beside(&before, i, tokens, start))
        })
    }

    /// Whether the copula at `before[i]` (nearest first) has the reader as its subject: the
    /// word before it, or the word after it ("er du"), is one of the `subjects`.
    fn subject_beside(&self, before: &[&Token<'_>], i: usize, tokens: &[Token<'_>], start: usize) -> bool {
        let earlier = before.get(i + 1).map(|t| t.lower);
        let later = if i == 0 { tokens.get(start).map(|t| t.lower) } else { before.get(i - 1).map(|t| t.lower) };
        [earlier, later].into_iter().flatten().any(|word| contains(&self.subjects, word))
    }
}

/// Whether `tokens[start]` opens a sentence of a title's few words ("Ung salgsmand!"), which
/// names the job as a heading does.
fn in_a_title(tokens: &[Token<'_>], start: usize) -> bool {
    const TITLE_WORDS: usize = 3;
    let sentence = tokens[start].place.sentence;
    let first = start - before_in_sentence(tokens, start, TITLE_WORDS).count();
    let words = tokens[first..].iter().take_while(|t| t.place.sentence == sentence).take(TITLE_WORDS + 1).count();
    start - first < 2 && words <= TITLE_WORDS
}

/// Up to `n` words before `start` in its sentence, nearest first.
pub(super) fn before_in_sentence<'a, 't>(
    tokens: &'a [Token<'t>],
    start: usize,
    n: usize,
) -> impl Iterator<Item = &'a Token<'t>> {
    let sentence = tokens[start].place.sentence;
    tokens[start.saturating_sub(n)..start].iter().rev().take_while(move |t| t.place.sentence == sentence)
}

/// The word after `tokens[..end]`, if it is in the same sentence as the word before it.
pub(super) fn next_in_sentence<'a, 't>(tokens: &'a [Token<'t>], end: usize) -> Option<&'a Token<'t>> {
    let (last, next) = (tokens.get(end.checked_sub(1)?)?, tokens.get(end)?);
    (next.place.sentence == last.place.sentence).then_some(next)
}

/// The words of a list file in lower case, as every comparison takes them.
pub(super) fn lowered<C: FromIterator<String>>(words: &[String]) -> C {
    words.iter().map(|word| word.to_lowercase()).collect()
}

/// Whether `word` is one of `words`, where an entry ending in `*` stands for any ending.
pub(super) fn contains(words: &[String], word: &str) -> bool {
    words.iter().any(|entry| is_entry(entry, word))
}

/// Whether `word` is the list entry `entry`. A `*` at the end stands for any ending; at the
/// start, for any beginning of at least one letter ("*leder" is "projektleder", not "leder",
/// which is also the verb "leads").
pub(super) fn is_entry(entry: &str, word: &str) -> bool {
    let (any_beginning, entry) = match entry.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, entry),
    };
    match (any_beginning, entry.strip_suffix('*')) {
        (false, Some(beginning)) => word.starts_with(beginning),
        (false, None) => entry == word,
        (true, Some(middle)) => word.char_indices().nth(1).is_some_and(|(i, _)| word[i..].contains(middle)),
        (true, None) => word.len() > entry.len() && word.ends_with(entry),
    }
}
