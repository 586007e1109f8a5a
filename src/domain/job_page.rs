//! What an ad says on its public job page, where the application form stands below it: one
//! story. A line telling applicants to e-mail their CV would send some past the form (and past
//! amfit's records and consent), so on the page it points to the form instead; a contact
//! person's address for questions stays. And the page, the confirmation and the receipt say
//! what the ad says about when interviews are held.

use std::borrow::Cow;

use super::profile::{AdLanguage, Interviewing};

/// The id of the application form's heading on the job page, which the how-to-apply line links to.
pub const FORM_ANCHOR: &str = "apply-heading";

/// Words that make a sentence with an e-mail address a way to apply, not a contact for questions.
const APPLY_WORDS_DA: [&str; 6] = ["søg", "send", "ansøgning", "cv", "ansøg", "indsend"];
const APPLY_WORDS_EN: [&str; 6] = ["apply", "send", "application", "cv", "résumé", "resume"];
/// Words of a sentence about interviews.
const INTERVIEW_WORDS: [&str; 4] = ["samtale", "indkald", "interview", "invite"];
/// Words that hold interviews as applications come in.
const ROLLING_WORDS: [&str; 5] = ["løbende", "rolling", "as applications come", "as they come", "ongoing basis"];
/// Words that hold them after the deadline.
const AFTER_DEADLINE_WORDS: [&str; 4] =
    ["efter ansøgningsfristen", "efter fristen", "after the deadline", "after the closing date"];

/// The ad's Markdown as its job page shows it: each sentence that asks for applications by
/// e-mail becomes a link to the form below.
pub fn with_the_form(text: &str, language: AdLanguage) -> Cow<'_, str> {
    if !text.contains('@') {
        return Cow::Borrowed(text);
    }
    let form_line = match language {
        AdLanguage::Da => format!("Søg via [ansøgningsformularen herunder](#{FORM_ANCHOR})."),
        AdLanguage::En => format!("Apply with [the application form below](#{FORM_ANCHOR})."),
    };
    let lines: Vec<String> = text.lines().map(|line| without_apply_by_mail(line, language, &form_line)).collect();
    let mut shown = lines.join("\n");
    if text.ends_with('\n') {
        shown.push('\n');
    }
    Cow::Owned(shown)
}

/// One line with its apply-by-mail sentences replaced by `form_line` (once per line).
fn without_apply_by_mail(line: &str, language: AdLanguage, form_line: &str) -> String {
    let mut replaced = false;
    let sentences: Vec<&str> = sentences(line).collect();
    let kept: Vec<String> = sentences
        .into_iter()
        .filter_map(|sentence| {
            if !asks_to_apply_by_mail(sentence, language) {
                return Some(sentence.to_owned());
            }
            let first = !std::mem::replace(&mut replaced, true);
            first.then(|| format!("{}{form_line}", &sentence[..sentence.len() - sentence.trim_start().len()]))
        })
        .collect();
    kept.concat()
}

/// The sentences of a line, each with the space before it, so that they join back as written.
fn sentences(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // A sentence ends at ". " (an address's dots have no space after them).
        let end = rest.find(". ").map_or(rest.len(), |at| at + 1);
        let (sentence, after) = rest.split_at(end);
        rest = after;
        Some(sentence)
    })
}

fn asks_to_apply_by_mail(sentence: &str, language: AdLanguage) -> bool {
    let lower = sentence.to_lowercase();
    let has_address = lower.split_whitespace().any(|word| {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        word.split_once('@').is_some_and(|(name, domain)| !name.is_empty() && domain.contains('.'))
    });
    let words: &[&str] = match language {
        AdLanguage::Da => &APPLY_WORDS_DA,
        AdLanguage::En => &APPLY_WORDS_EN,
    };
    has_address
        && lower.split(|c: char| !c.is_alphanumeric() && c != 'é').any(|word| words.iter().any(|w| word.starts_with(w)))
}

/// When the ad says interviews are held, if it says so: as applications come in, or after
/// the deadline.
pub fn interviewing_stated(text: &str) -> Option<Interviewing> {
    let mut stated = None;
    for sentence in interview_sentences(&text.to_lowercase()) {
        if ROLLING_WORDS.iter().any(|w| sentence.contains(w)) {
            return Some(Interviewing::AsApplicationsCome);
        }
        if AFTER_DEADLINE_WORDS.iter().any(|w| sentence.contains(w)) {
            stated = Some(Interviewing::AfterDeadline);
        }
    }
    stated
}

/// The sentences of a lower-cased text that speak of interviews.
fn interview_sentences(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(['.', '\n']).filter(|sentence| INTERVIEW_WORDS.iter().any(|word| sentence.contains(word)))
}

/// Words that name a week by its number: "uge 3", "week 3".
const WEEK_WORDS: [&str; 2] = ["uge", "week"];

/// The week the ad says interviews are held in, if it names one: "Samtaler forventes afholdt
/// i uge 3", "in week 3".
pub fn interview_week_stated(text: &str) -> Option<u32> {
    interview_sentences(&text.to_lowercase()).find_map(|sentence| {
        let words: Vec<&str> = sentence.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        words.windows(2).find_map(|pair| {
            let number = pair[1].parse().ok().filter(|n| (1..=53).contains(n));
            number.filter(|_| WEEK_WORDS.contains(&pair[0]))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applying_by_mail_points_to_the_form_and_a_contact_keeps_the_address() {
        let ad = "## Praktisk\n\n- Kontaktperson: Mette Holm, mette@nordlys.example\n\nSøg ved at sende dit CV og en kort \
                  ansøgning til mette@nordlys.example. Vi indkalder løbende til samtaler.\n";
        let shown = with_the_form(ad, AdLanguage::Da);
        assert!(shown.contains("- Kontaktperson: Mette Holm, mette@nordlys.example\n"), "{shown}");
        assert!(
            shown.contains("Søg via [ansøgningsformularen herunder](#apply-heading). Vi indkalder løbende"),
            "{shown}"
        );
        assert!(!shown.contains("sende dit CV"), "{shown}");
        let english = "Questions? Write to anne@dei.example. To apply, send your CV to jobs@dei.example.";
        let shown = with_the_form(english, AdLanguage::En);
        assert_eq!(
            shown,
            "Questions? Write to anne@dei.example. Apply with [the application form below](#apply-heading)."
        );
        assert!(matches!(with_the_form("Søg via https://dei.example/job.", AdLanguage::Da), Cow::Borrowed(_)));
    }

    #[test]
    fn the_ad_s_own_words_on_interviews_are_read() {
        assert_eq!(interviewing_stated("Vi indkalder løbende til samtaler."), Some(Interviewing::AsApplicationsCome));
        assert_eq!(interviewing_stated("Samtaler holdes efter ansøgningsfristen."), Some(Interviewing::AfterDeadline));
        assert_eq!(interviewing_stated("We interview on a rolling basis."), Some(Interviewing::AsApplicationsCome));
        assert_eq!(interviewing_stated("Vi følger løbende op med kunderne."), None, "not about interviews");
    }

    #[test]
    fn the_interview_week_is_read_from_the_ad_s_own_words() {
        assert_eq!(interview_week_stated("Søg nu. Samtaler forventes afholdt i uge 3."), Some(3));
        assert_eq!(interview_week_stated("We expect to hold interviews in week 12 (from 22 March)."), Some(12));
        assert_eq!(interview_week_stated("Tiltrædelse i uge 3. Vi indkalder løbende til samtaler."), None);
        assert_eq!(interview_week_stated("Samtaler i uge 54."), None, "no such week");
    }
}
