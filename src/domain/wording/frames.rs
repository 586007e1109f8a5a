//! Whom a sentence is about. The same word is lawful or not by what it is said of: "raske" of
//! the applicant is a health demand, "raske dyr" are the clients' animals; "pigerne på
//! kontoret" describes the staff the applicant would join, "legetøj til piger" the products;
//! "hun" is the applicant unless a named colleague or a manager came before. And an inclusion
//! statement ("uanset alder, køn og etnisk baggrund") exempts the grounds it lists, not the
//! rest of its sentence.

use std::ops::Range;

use serde::Deserialize;

use super::Token;
use super::context::{RoleWords, WordList, before_in_sentence, phrase_at, sentence_range};

/// How many words around a match are read for a word that makes it a demand ("ikke", "sjældent").
const NEAR: usize = 5;
/// How many words before a group word are read for the staff it describes.
const STAFF_LOOK_BACK: usize = 6;
/// How many words after a group word are read for the staff it describes ("ungt og dynamisk hold").
const STAFF_LOOK_AHEAD: usize = 3;
/// How many words an item of an inclusion statement's list may have ("etnisk baggrund").
const LIST_ITEM_WORDS: usize = 4;

/// The words that show a sentence asks something of the applicant.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ApplicantWords {
    /// Who the ad speaks to or of: "du", "din", "ansøger*", "kandidat*".
    #[serde(default)]
    words: WordList,
    /// Verbs that seek someone: "søger", "mangler". A sentence with one describes the person sought.
    #[serde(default)]
    seeking: WordList,
    /// Words that make a clause an offer, not a demand: "tilbyder", "får", "ordning*".
    #[serde(default)]
    offers: WordList,
    /// Verbs that address applicants wherever they stand in the sentence: "bedes", "frabedes".
    #[serde(default)]
    addressed: WordList,
    /// The employer speaking of itself: "vi" before a copula ("vi er en kristen genbrugsbutik").
    #[serde(default)]
    we: WordList,
    #[serde(default)]
    copulas: WordList,
    /// How an ad speaks to the applicant: "du", "dig", "din".
    #[serde(default)]
    reader: WordList,
    /// The reader's possessives: "din", "dine".
    #[serde(default)]
    readers_own: WordList,
    /// Words that open a condition of what the clause before offers: "hvis", "når".
    #[serde(default)]
    conditions: WordList,
    /// Words that make a clause a demand whatever it offers: "skal", "bør".
    #[serde(default)]
    demands: WordList,
    /// Labels of what an ad requires ("Krav:", "Din profil:"): what follows one in its
    /// paragraph is asked of the applicant ("Krav: Ren straffeattest. Ikke medlem af …").
    #[serde(default)]
    labels: WordList,
    /// Phrases that keep someone out of the job: "ikke stedet for", "er desværre ikke
    /// aktuelle". Whom a sentence with one names, it excludes.
    #[serde(default)]
    excludes: WordList,
}

impl ApplicantWords {
    pub(super) fn is_seeking(&self, token: &Token<'_>) -> bool {
        self.seeking.contains(token.lower)
    }

    pub(super) fn is_copula(&self, token: &Token<'_>) -> bool {
        self.copulas.contains(token.lower)
    }

    /// Whether `tokens[at]` stands in a clause about the applicant (or in the clause after
    /// one: "vi søger en medarbejder, der …"), or after a verb that seeks the person, and not
    /// in a clause that offers something ("du får fuld løn under barsel").
    pub(super) fn asks_of_applicant(&self, tokens: &[Token<'_>], at: usize) -> bool {
        let sentence = in_sentence(tokens, at);
        let clause = tokens[at].place.clause;
        let near_clause = |t: &Token<'_>| t.place.clause == clause || t.place.clause + 1 == clause;
        let applicant = sentence
            .iter()
            .any(|t| (near_clause(t) && self.words.contains(t.lower)) || self.addressed.contains(t.lower));
        let sought = sentence.iter().take_while(|t| t.start < tokens[at].start).any(|t| self.is_seeking(t));
        (applicant || sought || self.under_a_label(tokens, at)) && !self.offered(tokens, at)
    }

    /// Whether a sentence that is only a label of requirements stands before `tokens[at]` in
    /// its paragraph (lines with no empty line between): "Krav:", "Din profil:".
    fn under_a_label(&self, tokens: &[Token<'_>], at: usize) -> bool {
        /// How far back a label is looked for: a list of requirements is short, and this runs
        /// for many matches of a long text.
        const LIST_WORDS: usize = 80;
        let mut i = at;
        while i > at.saturating_sub(LIST_WORDS) {
            let (before, after) = (&tokens[i - 1], &tokens[i]);
            if after.place.line > before.place.line + 1 {
                return false;
            }
            let ends_a_sentence = before.place.sentence != after.place.sentence;
            if ends_a_sentence && before.place.sentence != tokens[at].place.sentence {
                let first = sentence_range(tokens, i - 1).start;
                let words = i - first;
                if self.labels.iter().any(|label| label.split(' ').count() == words && phrase_at(tokens, first, label))
                {
                    return true;
                }
            }
            i -= 1;
        }
        false
    }

    /// Whether `token` says that what follows is the reader's: "din", "dine".
    pub(super) fn is_readers_own(&self, token: &Token<'_>) -> bool {
        self.readers_own.contains(token.lower)
    }

    /// Whether `token` is how an ad speaks to the applicant: "du", "dig".
    pub(super) fn is_reader(&self, token: &Token<'_>) -> bool {
        self.reader.contains(token.lower)
    }

    /// Whether `tokens[at]` stands in a clause that offers something, or in a condition of an
    /// offer made before it in its sentence: "en seniorordning fra det fyldte 60. år", "vi
    /// tilbyder voksenelevløn, hvis du er fyldt 25 år".
    pub(super) fn offered(&self, tokens: &[Token<'_>], at: usize) -> bool {
        let clause = tokens[at].place.clause;
        let sentence = sentence_range(tokens, at);
        let in_clause = sentence.clone().filter(|&i| tokens[i].place.clause == clause);
        if self.offers_in(in_clause.clone().map(|i| &tokens[i])) {
            return true;
        }
        // "hvis du er fyldt 25 år" after the offer, or "er du fyldt 25 år, får du …" before it.
        let Some(opening) = in_clause.min() else { return false };
        let offer_in = |range: Range<usize>| tokens[range].iter().any(|t| self.offers.contains(t.lower));
        let next_clause = (opening..sentence.end).filter(|&i| tokens[i].place.clause == clause + 1);
        (self.conditions.contains(tokens[opening].lower) && offer_in(sentence.start..opening))
            || (self.inverted_condition(tokens, opening)
                && next_clause
                    .clone()
                    .min()
                    .is_some_and(|first| offer_in(first..next_clause.max().map_or(first, |last| last + 1))))
    }

    /// Whether the clause at `tokens[opening]` is a condition by its word order: a copula and
    /// the reader first, after one joining word or none ("og er du fyldt 25 år, …").
    fn inverted_condition(&self, tokens: &[Token<'_>], opening: usize) -> bool {
        let is = |i: usize, words: &WordList| {
            tokens.get(i).is_some_and(|t| t.place.clause == tokens[opening].place.clause && words.contains(t.lower))
        };
        [opening, opening + 1].into_iter().any(|start| is(start, &self.copulas) && is(start + 1, &self.reader))
    }

    /// Whether the words of a clause offer something and demand nothing: "du får fuld løn
    /// under barsel", not "af hensyn til holdet bør du …".
    fn offers_in<'a, 't: 'a>(&self, clause: impl Iterator<Item = &'a Token<'t>> + Clone) -> bool {
        clause.clone().any(|t| self.offers.contains(t.lower))
            && !clause.into_iter().any(|t| self.demands.contains(t.lower))
    }

    /// Whether the sentence of `tokens[at]` keeps someone out of the job: "så muslimer, der skal
    /// til fredagsbøn, er desværre ikke aktuelle".
    pub(super) fn excludes_someone(&self, tokens: &[Token<'_>], at: usize) -> bool {
        sentence_has(tokens, at, &self.excludes)
    }

    /// Whether `token` speaks to the reader or for the employer, seeks, or demands: a clause
    /// with one asks something of someone ("køkkenet, hvor vi mangler en ung mand").
    pub(super) fn asks_in(&self, token: &Token<'_>) -> bool {
        self.is_reader(token)
            || self.we.contains(token.lower)
            || self.is_seeking(token)
            || self.demands.contains(token.lower)
    }

    /// Whether `token` asks ([`Self::asks_in`]) or says what is preferred or expected ("helst",
    /// "forventer", "foretrækker").
    pub(super) fn asks_or_prefers(&self, token: &Token<'_>) -> bool {
        self.asks_in(token) || self.addressed.contains(token.lower)
    }

    /// Whether the employer describes itself right before `tokens[at]`: "vi er en …".
    pub(super) fn self_described(&self, tokens: &[Token<'_>], at: usize) -> bool {
        let before: Vec<&Token<'_>> = before_in_sentence(tokens, at, 4).collect();
        before.windows(2).any(|pair| self.copulas.contains(pair[0].lower) && self.we.contains(pair[1].lower))
    }
}

/// Whether one of `words` (an entry may be several words: "på plads") stands within [`NEAR`]
/// words of `tokens[start..end]` in its sentence.
pub(super) fn near(tokens: &[Token<'_>], start: usize, end: usize, words: &WordList) -> bool {
    let sentence = tokens[start].place.sentence;
    let (from, to) = (start.saturating_sub(NEAR), (end + NEAR).min(tokens.len()));
    (from..to)
        .filter(|&i| (i < start || i >= end) && tokens[i].place.sentence == sentence)
        .any(|i| words.phrase_at(tokens, i).is_some())
}

/// Whether one of `words` (an entry may be several words) stands anywhere in the sentence of
/// `tokens[at]`.
pub(super) fn sentence_has(tokens: &[Token<'_>], at: usize, words: &WordList) -> bool {
    !words.is_empty() && sentence_range(tokens, at).any(|i| words.phrase_at(tokens, i).is_some())
}

/// The words of `tokens[at]`'s sentence.
fn in_sentence<'a, 't>(tokens: &'a [Token<'t>], at: usize) -> &'a [Token<'t>] {
    &tokens[sentence_range(tokens, at)]
}

/// The words that show a group word describes the staff the applicant would join.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StaffWords {
    /// Words before it that make it the staff: "vi", "team*", "flok", "sammen".
    #[serde(default)]
    words: WordList,
    /// Words before it that make it someone else: "kunde*", "til" (whom products are for).
    #[serde(default)]
    others: WordList,
    /// Words right after a definite group word that place it at work: "på", "i" ("pigerne på kontoret").
    #[serde(default)]
    places: WordList,
    /// The endings of a definite plural: "ne" ("pigerne").
    #[serde(default)]
    definite_endings: WordList,
    /// The endings of the genitive of a Danish group word: "es" ("unges trivsel", "drengenes
    /// fodbold"); not of an English plural ("en flok millennials").
    #[serde(default)]
    genitive_endings: WordList,
    /// Words for the people who work there: "kolleg*", "medarbejder*".
    #[serde(default)]
    members: WordList,
    /// Words before them that say who works there already: "har vi", "tæller" ("I produktionen
    /// har vi medarbejdere fra 19 til 68 år").
    #[serde(default)]
    present: WordList,
}

impl StaffWords {
    /// Whether `tokens[start]` describes the staff there already, after a word for them that
    /// says they are there, with nothing asked of anyone between: "Lønafdelingen tæller ni
    /// kolleger, hvor de yngste er midt i tyverne"; not "vi har 20 medarbejdere, og du skal være
    /// under 30", "vi har brug for en medarbejder under 30", "den nye sælger er helst under 30".
    pub(super) fn describes_the_staff_there(
        &self,
        tokens: &[Token<'_>],
        start: usize,
        applicant: &ApplicantWords,
    ) -> bool {
        /// How many words may stand between the verb and the staff ("har vi i dag 40 faste medarbejdere").
        const COUNT_WORDS: usize = 4;
        let sentence = sentence_range(tokens, start);
        let Some(member) = (sentence.start..start).rev().find(|&i| self.members.contains(tokens[i].lower)) else {
            return false;
        };
        let asked = |range: std::ops::Range<usize>| tokens[range].iter().any(|t| applicant.asks_or_prefers(t));
        !asked(member + 1..start)
            && (member.saturating_sub(COUNT_WORDS + 2).max(sentence.start)..member).any(|i| {
                self.present.phrase_at(tokens, i).is_some_and(|entry| {
                    let after = i + entry.split(' ').count();
                    after + COUNT_WORDS >= member && after <= member && !asked(after..member)
                })
            })
    }

    /// Whether the group word at `tokens[start..end]` describes the staff: a staff word before
    /// it in its sentence with no word for someone else between, or a place of work right
    /// after it.
    pub(super) fn describes_staff(&self, tokens: &[Token<'_>], start: usize, end: usize) -> bool {
        // "unges trivsel", "drengenes fodbold": what is theirs.
        if self.genitive_endings.iter().any(|ending| tokens[end - 1].lower.ends_with(ending.as_str())) {
            return false;
        }
        let before: Vec<&Token<'_>> = before_in_sentence(tokens, start, STAFF_LOOK_BACK + 2).collect();
        for (i, token) in before.iter().take(STAFF_LOOK_BACK).enumerate() {
            if self.others.contains(token.lower) {
                return false;
            }
            if self.words.contains(token.lower) {
                // "aktiviteter for en flok unge": a group the work is for.
                return !before[i + 1..].iter().take(2).any(|t| self.others.contains(t.lower));
            }
        }
        let sentence = tokens[start].place.sentence;
        let after = tokens[end..].iter().take(STAFF_LOOK_AHEAD).take_while(|t| t.place.sentence == sentence);
        let definite = self.definite_endings.iter().any(|ending| tokens[end - 1].lower.ends_with(ending.as_str()));
        // "pigerne på lageret", not "gutterne i vores kundebase".
        let place_of_others = tokens[end..].iter().skip(1).take(2).any(|t| self.others.contains(t.lower));
        let placed = definite
            && !place_of_others
            && tokens.get(end).is_some_and(|next| next.place.sentence == sentence && self.places.contains(next.lower));
        placed || after.into_iter().any(|t| self.words.contains(t.lower))
    }
}

/// An inclusion statement's words: what opens it, what joins its list, what ends it. The
/// subjects a job works with are listed the same way ("du underviser i kristendomskundskab og
/// historie"): named, not asked of the applicant.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InclusionWords {
    /// "uanset", "uagtet", "ikke oplyse" (an entry may be several words).
    #[serde(default)]
    opens: WordList,
    /// The words that join the last item to the list: "og", "eller".
    #[serde(default)]
    joins: WordList,
    /// Words that begin a clause and so end the list: "du", "skal", "men".
    #[serde(default)]
    ends: WordList,
    /// Words that open a clause the statement is about ("om" in "uanset om du er 25 eller 55"):
    /// the clause's subject and verb are skipped.
    #[serde(default)]
    clauses: WordList,
    /// Words that stand in a list without making its item longer: "derfor", "også", "personer"
    /// in "opfordrer derfor også personer med anden etnisk baggrund end dansk".
    #[serde(default)]
    fillers: WordList,
    /// Words that go on with examples of the item before them, unless a clause follows:
    /// "som" in "uanset personlige forhold som alder og køn".
    #[serde(default)]
    examples: WordList,
    /// Words for the subjects of the work ("undervise", "vejleder", "emner"), which open a
    /// list after one of the `topic_links` ("i", "om", "som"), a subject between them or not
    /// ("vejleder du om").
    #[serde(default)]
    topics: WordList,
    #[serde(default)]
    topic_links: WordList,
    #[serde(default)]
    topic_subjects: WordList,
}

impl InclusionWords {
    /// Whether `word` joins the last item to a list: "og", "eller".
    pub(super) fn joins_list(&self, word: &str) -> bool {
        self.joins.contains(word)
    }

    /// Whether `token` begins a clause: "du", "skal", "der".
    pub(super) fn begins_clause(&self, token: &Token<'_>) -> bool {
        self.ends.contains(token.lower)
    }

    /// Whether `tokens[at]` is among the grounds an inclusion statement lists as not
    /// mattering, or the subjects a job works with: inside a list that an opening word
    /// before it in its sentence introduces, which ends at a word that begins a clause, at a
    /// clause break after its last item, or at an item too long.
    pub(super) fn exempts(&self, tokens: &[Token<'_>], at: usize) -> bool {
        let sentence = tokens[at].place.sentence;
        let in_sentence = |i: usize| tokens.get(i).is_some_and(|t| t.place.sentence == sentence);
        (0..at).rev().take_while(|&i| in_sentence(i)).any(|i| {
            let opening = self.opens.phrase_at(tokens, i);
            let first = opening.map(|entry| i + entry.split(' ').count()).or_else(|| self.topic_list(tokens, i));
            first.is_some_and(|first| first <= at && self.list_end(tokens, first) > at)
        })
    }

    /// Where the list of subjects after a topic word at `tokens[i]` begins, if one does.
    fn topic_list(&self, tokens: &[Token<'_>], i: usize) -> Option<usize> {
        if !self.topics.contains(tokens[i].lower) {
            return None;
        }
        let sentence = tokens[i].place.sentence;
        let word = |at: usize, words: &WordList| {
            tokens.get(at).is_some_and(|t| t.place.sentence == sentence && words.contains(t.lower))
        };
        let link = if word(i + 1, &self.topic_subjects) { i + 2 } else { i + 1 };
        word(link, &self.topic_links).then_some(link + 1)
    }

    /// The index past the list that begins at `first`.
    fn list_end(&self, tokens: &[Token<'_>], first: usize) -> usize {
        let sentence = tokens[first - 1].place.sentence;
        let in_sentence = |i: usize| tokens.get(i).is_some_and(|t| t.place.sentence == sentence);
        let mut at = first;
        // "uanset om du er …": the subject and the verb of the clause belong to the statement.
        if in_sentence(at) && self.clauses.contains(tokens[at].lower) {
            at += 3;
        }
        let (mut joined, mut item_words) = (false, 0);
        while let Some(token) = tokens.get(at) {
            let previous = &tokens[at - 1];
            let examples_follow =
                self.examples.contains(token.lower) && in_sentence(at + 1) && !self.ends.contains(tokens[at + 1].lower);
            if examples_follow {
                (joined, item_words) = (false, 0);
                at += 1;
                continue;
            }
            if token.place.sentence != sentence || self.ends.contains(token.lower) {
                break;
            }
            if token.place.clause != previous.place.clause {
                if joined {
                    break;
                }
                item_words = 0;
            }
            if self.joins.contains(token.lower) {
                (joined, item_words) = (true, 0);
            } else if !self.fillers.contains(token.lower) {
                item_words += 1;
                if item_words > LIST_ITEM_WORDS {
                    break;
                }
            }
            at += 1;
        }
        at
    }
}

/// The employer as a sentence names it before the verb that seeks ("Menighedsrådet ved
/// Sankt Nikolaj Kirke søger …"), unless the sentence opens in the first person ("vores unge
/// team søger"): what that names describes the employer, not whom it seeks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EmployerWords {
    /// Words for an employer whose purpose is a faith or a politics ("menighed*", "parti"),
    /// which may ask its staff to share it (forskelsbehandlingsloven § 6).
    #[serde(default)]
    purpose: WordList,
    /// Words for an employer whose purpose is sexual minorities' cause ("lgbt*"): it may name
    /// their orientations as its work, but no employer may ask for one.
    #[serde(default)]
    causes: WordList,
    /// "vi", "vores", "du": a subject with one is people ("vores unge team søger", "er du ung
    /// og søger …"), not the employer.
    #[serde(default)]
    people: WordList,
    /// The verbs by which an employer seeks: "søger", "ansætter" (not "søges", whose subject is
    /// the role).
    #[serde(default)]
    seeks: WordList,
    /// Words that link an ad's headline to its employer: "til" in "Kirketjener til Sankt
    /// Mortens Kirke i Næstved".
    #[serde(default)]
    headline_links: WordList,
    /// The employer describing itself: "vi er" in "da vi er en politisk organisation".
    #[serde(default)]
    describes_us: WordList,
    /// Words before the employer's name: "ved" in "kirketjener ved Vor Frue Kirke".
    #[serde(default)]
    names_us: WordList,
    /// Roles whose work is a faith or a politics, so that their employer's purpose is too:
    /// "sognepræst", "imam", "partisekretær".
    #[serde(default)]
    purpose_roles: WordList,
}

impl EmployerWords {
    /// Whether `tokens[at]` stands in its sentence's naming of the employer, or after the link
    /// of the ad's headline.
    pub(super) fn names_the_employer(&self, tokens: &[Token<'_>], at: usize, clauses: &InclusionWords) -> bool {
        self.employer_named(tokens, at).is_some_and(|named| named.contains(&at))
            || self.headline_employer(tokens, clauses).is_some_and(|named| named.contains(&at))
    }

    /// Whether the text names an employer whose purpose is a faith or a politics.
    pub(super) fn has_a_purpose(&self, tokens: &[Token<'_>], clauses: &InclusionWords) -> bool {
        self.named_with(tokens, clauses, &self.purpose)
    }

    /// Whether the text names an employer whose purpose is sexual minorities' cause ("LGBT+
    /// Danmark søger …"), which may name their orientations as its work.
    pub(super) fn has_a_cause(&self, tokens: &[Token<'_>], clauses: &InclusionWords) -> bool {
        self.named_with(tokens, clauses, &self.causes)
    }

    /// Whether the text names its employer with one of `words`: before the verb that seeks,
    /// in its headline, by its name after "ved" or "hos" ("ved Vor Frue Kirke"), or as it
    /// describes itself ("vi er en politisk organisation").
    fn named_with(&self, tokens: &[Token<'_>], clauses: &InclusionWords, words: &WordList) -> bool {
        /// How many words after "vi er" or "ved" may name the purpose ("en politisk organisation").
        const NAME_WORDS: usize = 4;
        let has_purpose = |named: Range<usize>| named.into_iter().any(|i| words.phrase_at(tokens, i).is_some());
        let words_after = |i: usize, keep: &dyn Fn(&Token<'_>) -> bool| {
            let sentence = tokens[i].place.sentence;
            let end = (i + 1..tokens.len().min(i + 1 + NAME_WORDS))
                .find(|&k| tokens[k].place.sentence != sentence || !keep(&tokens[k]))
                .unwrap_or(tokens.len().min(i + 1 + NAME_WORDS));
            i + 1..end
        };
        let capitalised = |t: &Token<'_>| t.text.starts_with(char::is_uppercase);
        let named_after = |i: usize| {
            (self.names_us.contains(tokens[i].lower) && has_purpose(words_after(i, &capitalised)))
                || self.describes_us.iter().any(|entry| {
                    // The last word of the entry: "er" in "vi er".
                    let last = i + entry.split(' ').count() - 1;
                    phrase_at(tokens, i, entry) && has_purpose(words_after(last, &|_| true))
                })
        };
        !words.is_empty()
            && ((0..tokens.len())
                .filter(|&i| i == 0 || tokens[i - 1].place.sentence != tokens[i].place.sentence)
                .filter_map(|first| self.employer_named(tokens, first))
                .any(has_purpose)
                || self.headline_employer(tokens, clauses).is_some_and(has_purpose)
                || (0..tokens.len()).any(named_after))
    }

    /// Whether the text seeks someone for a role whose work is a faith or a politics, named as
    /// the role or in its headline: "Som sognepræst i Ribe Domsogn skal du …".
    pub(super) fn seeks_a_purpose_role(&self, tokens: &[Token<'_>], role: &RoleWords) -> bool {
        // The first sentence is the ad's headline: "Ledig præstestilling i Hvidovre Sogn".
        let in_headline = |i: usize| tokens[i].place.sentence == 0;
        (0..tokens.len()).any(|i| {
            self.purpose_roles.contains(tokens[i].lower)
                && (in_headline(i) || role.names_the_role(tokens, i, i + 1, &WordList::default()))
        })
    }

    /// The words after the link of the text's first clause, when it is a headline that names
    /// the role and then its employer by name, with no verb or pronoun that would make it a
    /// clause: "Kirketjener til Sankt Mortens Kirke i Næstved", not "Stillingen er velegnet
    /// til …" nor "Af hensyn til forældrene ansætter …".
    fn headline_employer(&self, tokens: &[Token<'_>], clauses: &InclusionWords) -> Option<Range<usize>> {
        /// "Erfaren bogholder til …": a title's words before the link.
        const ROLE_WORDS: usize = 2;
        let first = tokens.first()?.place.clause;
        let in_clause = |i: &usize| tokens[*i].place.clause == first && !clauses.begins_clause(&tokens[*i]);
        let link = (0..tokens.len())
            .take_while(in_clause)
            .take(ROLE_WORDS + 1)
            .skip(1)
            .find(|&i| self.headline_links.contains(tokens[i].lower))?;
        let named = tokens.get(link + 1).is_some_and(|t| t.text.starts_with(char::is_uppercase));
        let end = (link + 1..tokens.len()).find(|i| !in_clause(i)).unwrap_or(tokens.len());
        named.then_some(link + 1..end)
    }

    /// The words before the verb that seeks in the first clause of `tokens[at]`'s sentence,
    /// if the sentence opens with such a naming.
    fn employer_named(&self, tokens: &[Token<'_>], at: usize) -> Option<Range<usize>> {
        let first = sentence_range(tokens, at).start;
        let clause = tokens[first].place.clause;
        let verb = (first..tokens.len())
            .take_while(|&i| tokens[i].place.clause == clause)
            .find(|&i| self.seeks.contains(tokens[i].lower))?;
        let people = tokens[first..verb].iter().any(|t| self.people.contains(t.lower));
        (verb > first && !people).then_some(first..verb)
    }
}

/// Gendered pronouns that speak of the applicant ("hun skal have kørekort").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PronounWords {
    /// "han", "hun", "hans", "hendes", "ham", "hende".
    #[serde(default)]
    gendered: WordList,
    /// The words that join two into one ("han eller hun").
    #[serde(default)]
    joins: WordList,
    /// Words for someone else a pronoun may stand for: "*chef", "*direktør", "kontaktperson*",
    /// unless they name the role sought ("den nye projektleder").
    #[serde(default)]
    others: WordList,
    /// Words for people who are never the applicant: "kunde*", "gæst*".
    #[serde(default)]
    clients: WordList,
    /// Words before a capitalised word that make it a place, not a name: "i", "til".
    #[serde(default)]
    places: WordList,
    /// Copulas: "han er vores salgsdirektør" names whom "han" stands for after it.
    #[serde(default)]
    copulas: WordList,
    /// Demands: a word for someone else that a later "skal" in its clause asks something of is
    /// the person sought ("Byggelederen på vores projekt skal have …, og han skal …").
    #[serde(default)]
    demands: WordList,
    /// Possessives: "vores salgsdirektør skal …" is a colleague, whatever is asked of them.
    #[serde(default)]
    possessives: WordList,
    #[serde(default)]
    pub(super) suggestion: String,
}

impl PronounWords {
    /// (first token, end token) of every gendered pronoun that stands for the applicant: the
    /// person sought right after it ("Hende, vi leder efter"), or else no one else (a name, a
    /// manager, a contact person) named before it in its sentence or the one before, nor
    /// right after it as what it is ("Han er vores salgsdirektør"), and no "du" in its
    /// sentence. "han eller hun" and "han/hun" are one ([`Self::names_both`]).
    pub(super) fn find(
        &self,
        tokens: &[Token<'_>],
        role: &RoleWords,
        applicant: &ApplicantWords,
    ) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        while at < tokens.len() {
            if !self.gendered.contains(tokens[at].lower) {
                at += 1;
                continue;
            }
            let end = self.pair_end(tokens, at);
            // "Hende, vi leder efter, …": the pronoun is the person sought, whoever came before.
            if role.sought_right_after(tokens, end) || !self.someone_else_named(tokens, at, role, applicant) {
                found.push((at, end));
            }
            at = end;
        }
        found
    }

    /// Whether the pronoun at `tokens[start..end]` names both genders ("han eller hun"): it
    /// stands for the applicant, but prefers neither.
    pub(super) fn names_both(&self, tokens: &[Token<'_>], start: usize, end: usize) -> bool {
        end - start > 1 && tokens[start].lower != tokens[end - 1].lower
    }

    /// Past "hun" or past "han eller hun" / "han/hun".
    fn pair_end(&self, tokens: &[Token<'_>], at: usize) -> usize {
        let is = |i: usize, words: &WordList| tokens.get(i).is_some_and(|t| words.contains(t.lower));
        if is(at + 1, &self.gendered) {
            at + 2
        } else if is(at + 1, &self.joins) && is(at + 2, &self.gendered) {
            at + 3
        } else {
            at + 1
        }
    }

    /// "du" in the sentence is the reader, so a gendered pronoun beside it is someone else
    /// ("du skal overtage hans kunder").
    fn someone_else_named(
        &self,
        tokens: &[Token<'_>],
        at: usize,
        role: &RoleWords,
        applicant: &ApplicantWords,
    ) -> bool {
        let sentence = tokens[at].place.sentence;
        if in_sentence(tokens, at).iter().any(|t| applicant.is_reader(t)) {
            return true;
        }
        let earlier = (0..at).rev().take_while(|&i| tokens[i].place.sentence + 1 >= sentence);
        let named = |i: usize| self.is_someone_else(tokens, i, role);
        if earlier.into_iter().any(named) {
            return true;
        }
        // "Han er vores salgsdirektør": what the copula says he is, within two words.
        let clause = tokens[at].place.clause;
        let described = tokens.get(at + 1).is_some_and(|t| t.place.clause == clause && self.copulas.contains(t.lower));
        described && (at + 2..tokens.len().min(at + 4)).take_while(|&i| tokens[i].place.clause == clause).any(named)
    }

    /// A name, or a word for a client or someone else that does not name the role sought ("den
    /// nye projektleder" is the applicant).
    fn is_someone_else(&self, tokens: &[Token<'_>], i: usize, role: &RoleWords) -> bool {
        let sought = || role.names_the_role(tokens, i, i + 1, &WordList::default());
        self.is_name(tokens, i)
            // "Vi søger en elev. Han …": a word for a client may name the role sought.
            || (self.clients.contains(tokens[i].lower) && !sought())
            || (self.others.contains(tokens[i].lower) && !sought() && !self.asked_of(tokens, i))
    }

    /// Whether a demand later in the clause of `tokens[i]` asks something of it, with no
    /// possessive before it: the person sought, described ("Byggelederen … skal have …").
    fn asked_of(&self, tokens: &[Token<'_>], i: usize) -> bool {
        let clause = tokens[i].place.clause;
        let owned = i > 0 && tokens[i - 1].place.clause == clause && self.possessives.contains(tokens[i - 1].lower);
        !owned
            && tokens[i + 1..].iter().take_while(|t| t.place.clause == clause).any(|t| self.demands.contains(t.lower))
    }

    /// A capitalised word inside a sentence, neither an abbreviation nor a compound
    /// ("IT-afdelingen"), and not after a word that makes it a place ("i Odense") unless a
    /// second capitalised word follows ("til Mette Hansen").
    fn is_name(&self, tokens: &[Token<'_>], i: usize) -> bool {
        // "SuperBrugsen": a capital inside a word names a business, not a person.
        let capitalised = |token: &Token<'_>| {
            let mut letters = token.text.chars();
            letters.next().is_some_and(char::is_uppercase)
                && letters.next().is_some_and(char::is_lowercase)
                && !token.text.contains('-')
                && !letters.any(char::is_uppercase)
        };
        let token = &tokens[i];
        let inside = i > 0 && tokens[i - 1].place.sentence == token.place.sentence && !token.place.in_heading;
        if !(capitalised(token) && inside) {
            return false;
        }
        let full_name =
            tokens.get(i + 1).is_some_and(|next| next.place.sentence == token.place.sentence && capitalised(next))
                || capitalised(&tokens[i - 1]);
        // "i Skotland og Taiwan": the second of two places.
        let second_place = i >= 3
            && self.joins.contains(tokens[i - 1].lower)
            && capitalised(&tokens[i - 2])
            && self.places.contains(tokens[i - 3].lower);
        full_name || !(self.places.contains(tokens[i - 1].lower) || second_place)
    }
}
