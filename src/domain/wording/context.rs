//! Reading a match in its context: whether a gendered word names whom the ad seeks or only the
//! clients or colleagues, and whether the words around a match change what it means.

use std::ops::Range;

use rustc_hash::FxHashSet;
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
    leads: WordList,
    /// Verbs that tie the reader to the role ("er" in "du er"), counted only after or before
    /// one of the `subjects`.
    #[serde(default)]
    copulas: WordList,
    /// Who the ad speaks to: "du".
    #[serde(default)]
    subjects: WordList,
    /// Words right after the role that seek it: "søges".
    #[serde(default)]
    follows: WordList,
    /// A clause right after the role that seeks it: "vi leder efter" in "manden, vi leder efter".
    #[serde(default)]
    sought_by: WordList,
    /// Prepositions: a word after one belongs to another noun ("en træner til vores
    /// U12-drenge", "støttekontaktperson for en ung kvinde"), not to the role.
    #[serde(default)]
    objects: WordList,
    /// Words after which a preposition does introduce the role: "brug" in "brug for en …",
    /// "egnet" in "ikke egnet for transkønnede" (where "for" would otherwise name whom the job
    /// serves).
    #[serde(default)]
    needs: WordList,
    /// Words that join two gendered words into a pair that prefers neither: "og", "eller" in
    /// "mænd og kvinder", "en mand eller en kvinde".
    #[serde(default)]
    pairs: WordList,
    /// Possessives of the employer or of others: a need's preposition before one names those
    /// already there ("gode erfaringer med vores mandlige pædagoger").
    #[serde(default)]
    owners: WordList,
    /// A need and its preposition that say what something consists of: "kun af" in "består
    /// næsten kun af mænd" (not "en af" in "en af de skarpe drenge").
    #[serde(default)]
    not_needs: WordList,
    /// Words that may stand between a need and its preposition: "ikke" in "egner sig ikke for
    /// småbørnsforældre".
    #[serde(default)]
    need_hedges: WordList,
    /// Words after an ad's headline title that link it to the employer or seek it: "til",
    /// "søges".
    #[serde(default)]
    title_links: WordList,
    /// Words for applicants: a listed word right before one describes the applicant ("yngre
    /// ansøgere").
    #[serde(default)]
    applicants: WordList,
    /// Phrases that open the job to everyone ("åben for alle", "m/k"): a gendered title in the
    /// same text is then its name, not a preference.
    #[serde(default)]
    open_to_all: WordList,
}

impl RoleWords {
    /// Whether `tokens[start..end]` names whom the ad seeks: on a heading line (an ad's
    /// title), right before a word that seeks it ("… søges"), or after a word that introduces
    /// it ("vi søger en …") or ties the reader to it ("du er …") in the same sentence.
    /// Leads in `not_leads` do not count: singular ones ("en") before a plural word belong to
    /// another noun ("en række landmænd").
    pub(super) fn names_the_role(&self, tokens: &[Token<'_>], start: usize, end: usize, not_leads: &WordList) -> bool {
        if tokens[start].place.in_heading || in_a_title(tokens, start) || self.in_a_headline(tokens, start, end) {
            return true;
        }
        // "Salgsmand til udekørende salg søges": a word that seeks it later in its clause.
        let clause = tokens[start].place.clause;
        if tokens[end..].iter().take_while(|t| t.place.clause == clause).any(|t| self.follows.contains(t.lower)) {
            return true;
        }
        self.sought_right_after(tokens, end) || self.introduction(tokens, start, not_leads) == Introduction::Role
    }

    /// Whether the lead before `tokens[start]` introduces another person: after a name ("Maja,
    /// en 29-årig kvinde") or a preposition ("kontaktperson for en 17-årig dreng", not "passer
    /// til en 25-35-årig").
    pub(super) fn lead_names_another(&self, tokens: &[Token<'_>], start: usize) -> bool {
        let before: Vec<&Token<'_>> = before_in_sentence(tokens, start, LOOK_BACK + 2).collect();
        let word = |i: usize| before.get(i).map_or("", |t| t.lower);
        let lead = before.iter().take(LOOK_BACK).position(|t| self.leads.contains(t.lower));
        lead.is_some_and(|i| {
            is_named_before(&before, i)
                || (self.objects.contains(word(i + 1)) && !self.follows_a_need(tokens, start - 1 - (i + 1)))
        })
    }

    /// Whether the word after `tokens[..end]` is a word for applicants: "yngre ansøgere".
    pub(super) fn describes_an_applicant(&self, tokens: &[Token<'_>], end: usize) -> bool {
        next_in_sentence(tokens, end).is_some_and(|next| self.applicants.contains(next.lower))
    }

    /// Whether `token` owns what follows: "vores", "deres".
    pub(super) fn is_owner(&self, token: &Token<'_>) -> bool {
        self.owners.contains(token.lower)
    }

    pub(super) fn is_preposition(&self, token: &Token<'_>) -> bool {
        self.objects.contains(token.lower)
    }

    pub(super) fn joins_a_pair(&self, word: &str) -> bool {
        self.pairs.contains(word)
    }

    /// Whether the word before `tokens[at]` is a need, after which a preposition introduces
    /// the person sought ("brug for", "egnet til", "gode erfaringer med"), with at most two
    /// hedges between ("egner sig ikke for").
    pub(super) fn follows_a_need(&self, tokens: &[Token<'_>], at: usize) -> bool {
        const HEDGES: usize = 2;
        // "består kun af mænd": what something consists of, not a need; "gode erfaringer med
        // vores mandlige pædagoger": the staff there already.
        let owned = tokens.get(at + 1).is_some_and(|next| self.owners.contains(next.lower));
        if owned || self.not_needs.phrase_ends_at(tokens, at) {
            return false;
        }
        for (i, token) in before_in_sentence(tokens, at, HEDGES + 1).enumerate() {
            // A need first: "kun" in "kun for kvinder" is one, not a hedge.
            if self.needs.contains(token.lower) || self.needs.phrase_ends_at(tokens, at - 1 - i) {
                return true;
            }
            if !self.need_hedges.contains(token.lower) {
                return false;
            }
        }
        false
    }

    /// What introduces `tokens[start]`, read back over a few words of its sentence.
    fn introduction(&self, tokens: &[Token<'_>], start: usize, not_leads: &WordList) -> Introduction {
        // One word further back, for the subject of a copula at the edge ("du er …") and the
        // word before a preposition or a lead.
        let before: Vec<&Token<'_>> = before_in_sentence(tokens, start, LOOK_BACK + 1).collect();
        let word = |i: usize| before.get(i).map_or("", |t| t.lower);
        let after_a_need = |i: usize| self.follows_a_need(tokens, start - 1 - i);
        let preposition = |i: usize| self.objects.contains(word(i)) && !after_a_need(i);
        for (i, token) in before.iter().take(LOOK_BACK).enumerate() {
            // "brug for to …", "styrke sjakket med to stærke mænd": the role; "til vores
            // U12-drenge": another noun's.
            if self.objects.contains(token.lower) {
                return if after_a_need(i) { Introduction::Role } else { Introduction::Another };
            }
            if self.leads.contains(token.lower) && !not_leads.contains(token.lower) {
                // "for en ung kvinde": the lead begins a preposition's noun; "Sofie, en ung
                // kvinde": a named person's description.
                if preposition(i + 1) || is_named_before(&before, i) {
                    return Introduction::Another;
                }
                // "hjælper du en ældre herre": the object of the reader's own verb.
                if !self.subjects.contains(word(i + 1)) {
                    return Introduction::Role;
                }
            }
            if self.copulas.contains(token.lower) && self.subject_beside(&before, i, tokens, start) {
                return Introduction::Role;
            }
        }
        Introduction::Nothing
    }

    /// Whether `tokens[start..end]` is an ad's headline naming the role: the first words of a
    /// line, at most two before it and none a link, and a link to the employer or the seeking
    /// right after it or a few words on ("Lagermand til grossist i Taastrup!", "Kontordame på
    /// deltid til tømrerfirma"; not "piger" in "Træner til piger hos Aalborg Freja").
    fn in_a_headline(&self, tokens: &[Token<'_>], start: usize, end: usize) -> bool {
        const WORDS_BEFORE: usize = 2;
        /// "Kontordame på deltid til tømrerfirma": words between the title and its link.
        const HEADLINE_WORDS_AFTER: usize = 2;
        let line = tokens[start].place.line;
        let first = start - tokens[..start].iter().rev().take_while(|t| t.place.line == line).count();
        start - first <= WORDS_BEFORE
            && tokens[first].place.first_on_line
            && tokens[first..start]
                .iter()
                .all(|t| t.place.sentence == tokens[start].place.sentence && !self.title_links.contains(t.lower))
            && tokens[end..]
                .iter()
                .take(HEADLINE_WORDS_AFTER + 1)
                .take_while(|next| next.place.line == line && next.place.sentence == tokens[start].place.sentence)
                .any(|next| self.title_links.contains(next.lower))
    }

    /// Whether a copula stands within two words before `tokens[start]` in its clause: "hun
    /// skal være ung".
    pub(super) fn after_copula(&self, tokens: &[Token<'_>], start: usize) -> bool {
        let clause = tokens[start].place.clause;
        before_in_sentence(tokens, start, 2)
            .take_while(|t| t.place.clause == clause)
            .any(|t| self.copulas.contains(t.lower))
    }

    /// Whether the phrase at `tokens[at..]` opens the job to everyone: "åben for alle".
    pub(super) fn says_open_to_all(&self, tokens: &[Token<'_>], at: usize) -> bool {
        self.open_to_all.phrase_at(tokens, at).is_some()
    }

    /// Whether a clause that seeks the words before `end` follows them: "vi leder efter" in
    /// "manden, vi leder efter".
    pub(super) fn sought_right_after(&self, tokens: &[Token<'_>], end: usize) -> bool {
        let Some(sentence) = end.checked_sub(1).and_then(|last| tokens.get(last)).map(|t| t.place.sentence) else {
            return false;
        };
        tokens.get(end).is_some_and(|next| next.place.sentence == sentence)
            && self.sought_by.phrase_at(tokens, end).is_some()
    }

    /// Whether the copula at `before[i]` (nearest first) has the reader as its subject: the
    /// word before it, or the word after it ("er du"), is one of the `subjects`.
    fn subject_beside(&self, before: &[&Token<'_>], i: usize, tokens: &[Token<'_>], start: usize) -> bool {
        let earlier = before.get(i + 1).map(|t| t.lower);
        let later = if i == 0 { tokens.get(start).map(|t| t.lower) } else { before.get(i - 1).map(|t| t.lower) };
        [earlier, later].into_iter().flatten().any(|word| self.subjects.contains(word))
    }
}

/// What the words before a match make of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Introduction {
    /// The role sought: "vi søger en …", "du er …".
    Role,
    /// Another's description: "til vores U12-drenge", "Maja, en 29-årig kvinde".
    Another,
    Nothing,
}

/// Whether the word before the lead at `before[i]` (words nearest first) is a name in the
/// clause before it, capitalised where its sentence does not begin: the person the lead's
/// words describe ("Sofie, en ung kvinde").
fn is_named_before(before: &[&Token<'_>], i: usize) -> bool {
    match (before.get(i), before.get(i + 1), before.get(i + 2)) {
        (Some(lead), Some(name), Some(_)) => {
            name.place.clause != lead.place.clause && name.text.starts_with(char::is_uppercase)
        }
        _ => false,
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

/// The indices of the words of `tokens[at]`'s sentence.
pub(super) fn sentence_range(tokens: &[Token<'_>], at: usize) -> Range<usize> {
    let sentence = tokens[at].place.sentence;
    let first = at - tokens[..at].iter().rev().take_while(|t| t.place.sentence == sentence).count();
    let last = at + tokens[at..].iter().take_while(|t| t.place.sentence == sentence).count();
    first..last
}

/// Whether the words of `entry` stand at `tokens[i..]`, in one sentence.
pub(super) fn phrase_at(tokens: &[Token<'_>], i: usize, entry: &str) -> bool {
    let sentence = tokens[i].place.sentence;
    entry
        .split(' ')
        .enumerate()
        .all(|(k, word)| tokens.get(i + k).is_some_and(|t| t.place.sentence == sentence && is_entry(word, t.lower)))
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

/// A word list of the rules file, in lower case as it is read. An entry ending in `*` stands
/// for any ending; one beginning with `*`, for any beginning of two letters or more ("*leder"
/// is "projektleder", not "leder", which is also the verb "leads"). The entries are sorted by
/// kind once, so that a word is looked up, not matched against every entry: the check asks
/// these lists about every word of a text.
#[derive(Debug, Clone, Default)]
pub(super) struct WordList {
    /// As written (lower-cased), for the rules that read phrases of several words.
    entries: Vec<String>,
    /// The entries, each as one word.
    words: WordSet,
    /// The first and the last word of each entry: a phrase is read only where one of these
    /// stands, since phrases are looked for at every word of a sentence.
    firsts: WordSet,
    lasts: WordSet,
}

/// Words looked up by kind: whole words in a set, parts with `*` matched in turn.
#[derive(Debug, Clone, Default)]
struct WordSet {
    exact: FxHashSet<String>,
    beginnings: Vec<String>,
    endings: Vec<String>,
    middles: Vec<String>,
}

impl WordSet {
    fn insert(&mut self, entry: &str) {
        match Entry::parse(entry) {
            Entry::Word(word) => {
                self.exact.insert(word.to_owned());
            }
            Entry::Beginning(part) => self.beginnings.push(part.to_owned()),
            Entry::Ending(part) => self.endings.push(part.to_owned()),
            Entry::Middle(part) => self.middles.push(part.to_owned()),
        }
    }

    fn contains(&self, word: &str) -> bool {
        self.exact.contains(word)
            || self.beginnings.iter().any(|part| Entry::Beginning(part).matches(word))
            || self.endings.iter().any(|part| Entry::Ending(part).matches(word))
            || self.middles.iter().any(|part| Entry::Middle(part).matches(word))
    }
}

impl WordList {
    pub(super) fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The entry (of one word or several) that stands at `tokens[i..]` in one sentence, if any.
    pub(super) fn phrase_at(&self, tokens: &[Token<'_>], i: usize) -> Option<&str> {
        if !self.firsts.contains(tokens[i].lower) {
            return None;
        }
        self.entries.iter().map(String::as_str).find(|entry| phrase_at(tokens, i, entry))
    }

    /// Whether an entry of several words ends at `tokens[i]`: "tage dig af".
    pub(super) fn phrase_ends_at(&self, tokens: &[Token<'_>], i: usize) -> bool {
        self.lasts.contains(tokens[i].lower)
            && self.entries.iter().filter(|entry| entry.contains(' ')).any(|entry| {
                let words = entry.split(' ').count();
                i + 1 >= words && phrase_at(tokens, i + 1 - words, entry)
            })
    }
}

impl FromIterator<String> for WordList {
    fn from_iter<I: IntoIterator<Item = String>>(words: I) -> Self {
        let mut list = WordList::default();
        for entry in words.into_iter().map(|word| word.to_lowercase()) {
            list.words.insert(&entry);
            list.firsts.insert(entry.split(' ').next().unwrap_or_default());
            list.lasts.insert(entry.split(' ').next_back().unwrap_or_default());
            list.entries.push(entry);
        }
        list
    }
}

/// One entry of a word list: a word, or a part of words with `*` where any letters may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry<'e> {
    Word(&'e str),
    /// `ung*`: the part begins the word.
    Beginning(&'e str),
    /// `*leder`: the part ends the word, after a compound's first word.
    Ending(&'e str),
    /// `*chef*`: the part stands in the word after its first letter.
    Middle(&'e str),
}

impl<'e> Entry<'e> {
    fn parse(entry: &'e str) -> Self {
        let (any_beginning, rest) = match entry.strip_prefix('*') {
            Some(rest) => (true, rest),
            None => (false, entry),
        };
        match (any_beginning, rest.strip_suffix('*')) {
            (false, Some(part)) => Entry::Beginning(part),
            (true, Some(part)) => Entry::Middle(part),
            (true, None) => Entry::Ending(rest),
            (false, None) => Entry::Word(rest),
        }
    }

    fn matches(self, word: &str) -> bool {
        match self {
            Entry::Word(entry) => entry == word,
            Entry::Beginning(part) => word.starts_with(part),
            Entry::Ending(part) => word.ends_with(part) && after_a_first_word(word, word.len() - part.len()),
            Entry::Middle(part) => is_inside(part, word),
        }
    }
}

impl<'de> Deserialize<'de> for WordList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<String>::deserialize(deserializer)?.into_iter().collect())
    }
}

/// Whether `word` is the list entry `entry`, with the wildcards of [`WordList`]: for the words
/// of a phrase, read one at a time.
fn is_entry(entry: &str, word: &str) -> bool {
    Entry::parse(entry).matches(word)
}

/// Whether `word[..at]` can be the first word of a compound: two letters or more ("svarer" is
/// no "*varer", "kassedame" is a "*dame").
pub(super) fn after_a_first_word(word: &str, at: usize) -> bool {
    word.get(..at).is_some_and(|first| first.chars().nth(1).is_some())
}

/// Whether `part` stands in `word` after its first letter.
fn is_inside(part: &str, word: &str) -> bool {
    word.char_indices().nth(1).is_some_and(|(i, _)| word[i..].contains(part))
}

impl std::ops::Deref for WordList {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.entries
    }
}
