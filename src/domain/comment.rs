//! Comments colleagues write to each other about a candidate, and the colleagues a comment
//! mentions ("@" and their name or email address), who are told of it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::input::{FieldErrors, FieldParser, Problem, has_forbidden_control, lenient_text};

pub const BODY_MAX: usize = 4_000;

/// How much of an unknown mention a refusal quotes.
const QUOTED_MAX: usize = 40;

/// A comment as a form or a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CommentInput {
    /// The comment. "@" followed by a colleague's full name or email address mentions them:
    /// they are told of it. Only colleagues who may read the comment can be mentioned.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 4000, required = true)]
    pub body: Option<String>,
    /// The candidate's application the comment is about, which decides who reads it (as for
    /// scorecards: recruiters, administrators, the profile's hiring manager, and its
    /// interviewers once theirs is submitted). Without it the comment is about the candidate in
    /// general, which only those who see every application of theirs may write and read.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub application_id: Option<String>,
}

/// Someone a comment may mention: an active user, and whether they may read the comment now.
#[derive(Debug, Clone, Copy)]
pub struct Colleague<'a> {
    pub id: i64,
    pub name: &'a str,
    pub email: &'a str,
    pub may_read: bool,
}

/// A comment as it is to be written: what it is about, its text and whom it mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommentText {
    pub application_id: Option<i64>,
    pub body: String,
    pub mentions: Vec<i64>,
}

impl CommentInput {
    /// The comment, or every problem of the input. `colleagues_about` gives, for what the
    /// comment is about, the colleagues it may mention, or why the writer may not write about
    /// that (an application that is not the candidate's, or one they do not see).
    pub fn parse<'a>(
        &self,
        colleagues_about: impl FnOnce(Option<i64>) -> Result<Vec<Colleague<'a>>, Problem>,
    ) -> Result<NewCommentText, FieldErrors> {
        let mut p = FieldParser::default();
        let application_id = p.optional_integer("application_id", &self.application_id, 1..=i64::MAX);
        let body = p.required_text_within("body", &self.body, BODY_MAX);
        if has_forbidden_control(&body) {
            p.reject("body", Problem::ControlCharacter);
        }
        let mut mentions = Vec::new();
        if p.all_valid(&["application_id"]) {
            match colleagues_about(application_id) {
                Err(problem) => p.reject("application_id", problem),
                Ok(colleagues) if p.all_valid(&["body"]) => match mentioned(&body, &colleagues) {
                    Ok(ids) => mentions = ids,
                    Err(problem) => p.reject("body", problem),
                },
                Ok(_) => {}
            }
        }
        p.finish(NewCommentText { application_id, body, mentions })
    }
}

/// The colleagues `body` mentions. An "@" inside a word (an email address in the text) or
/// before no letter ("meet @ 10") mentions no one; one that names no colleague, two of them
/// at once, or one who may not read the comment is refused, so that no one goes untold
/// unnoticed and no one is told of what they may not read.
fn mentioned(body: &str, colleagues: &[Colleague<'_>]) -> Result<Vec<i64>, Problem> {
    let mut ids = Vec::new();
    for (at, _) in body.match_indices('@') {
        let rest = &body[at + 1..];
        let inside_a_word = body[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric());
        if inside_a_word || !rest.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        let colleague = named_at_start(rest, colleagues)?;
        if !colleague.may_read {
            return Err(Problem::MentionCannotRead { name: colleague.name.to_owned() });
        }
        if !ids.contains(&colleague.id) {
            ids.push(colleague.id);
        }
    }
    Ok(ids)
}

/// The colleague whose name or email address `rest` begins with, the longest such when one
/// name begins another ("Ann" and "Ann Berg").
fn named_at_start<'a>(rest: &str, colleagues: &'a [Colleague<'a>]) -> Result<&'a Colleague<'a>, Problem> {
    let matches: Vec<(usize, &Colleague<'_>)> = colleagues
        .iter()
        .filter_map(|c| [c.name, c.email].into_iter().filter_map(|name| whole_prefix(rest, name)).max().map(|n| (n, c)))
        .collect();
    let Some(longest) = matches.iter().map(|(length, _)| *length).max() else {
        let word = rest.split_whitespace().next().unwrap_or_default();
        return Err(Problem::UnknownMention { text: word.chars().take(QUOTED_MAX).collect() });
    };
    let mut named = matches.iter().filter(|(length, _)| *length == longest).map(|(_, c)| *c);
    match (named.next(), named.next()) {
        (Some(colleague), None) => Ok(colleague),
        _ => Err(Problem::AmbiguousMention { text: rest[..longest].to_owned() }),
    }
}

/// The length in bytes of `name` at the start of `text`, compared without case, when it ends
/// there as a whole word (what follows is no letter or digit).
fn whole_prefix(text: &str, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    let mut text_chars = text.char_indices();
    for wanted in name.chars() {
        let (_, found) = text_chars.next()?;
        if !found.to_lowercase().eq(wanted.to_lowercase()) {
            return None;
        }
    }
    match text_chars.next() {
        Some((end, next)) if !next.is_alphanumeric() => Some(end),
        Some(_) => None,
        None => Some(text.len()),
    }
}

/// A colleague a comment mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Mention {
    pub user_id: i64,
    pub name: String,
}

/// A comment on a candidate, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Comment {
    pub id: i64,
    pub candidate_id: i64,
    /// The application it is about; none for the candidate in general.
    pub application_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    /// The colleagues it mentions, who were told of it.
    pub mentions: Vec<Mention>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANN: Colleague<'static> = Colleague { id: 1, name: "Ann Berg", email: "ann@example.com", may_read: true };
    const ANNA: Colleague<'static> = Colleague { id: 2, name: "Anna", email: "anna@example.com", may_read: true };
    const BO: Colleague<'static> = Colleague { id: 3, name: "Bo Ek", email: "bo@example.com", may_read: false };

    fn input(body: &str) -> CommentInput {
        CommentInput { body: Some(body.to_owned()), application_id: None }
    }

    fn parse(body: &str) -> Result<(String, Vec<i64>), FieldErrors> {
        input(body).parse(|_| Ok(vec![ANN, ANNA, BO])).map(|text| (text.body, text.mentions))
    }

    fn problem(body: &str) -> Problem {
        parse(body).expect_err(body).get("body").cloned().expect("a problem with the body")
    }

    #[test]
    fn a_mention_is_a_whole_name_or_address_without_case() {
        assert_eq!(parse("@ann berg, please read the CV.").unwrap().1, vec![1]);
        assert_eq!(parse("Ask @Anna and @ANN@EXAMPLE.COM.").unwrap().1, vec![2, 1]);
        assert_eq!(parse("@Anna @Ann Berg @anna").unwrap().1, vec![2, 1], "each once, in order");
    }

    #[test]
    fn an_at_sign_inside_a_word_or_before_no_letter_mentions_no_one() {
        assert_eq!(parse("Her address is someone@elsewhere.dk; call @ 10.").unwrap().1, Vec::<i64>::new());
        assert_eq!(parse("@@ and @1").unwrap().1, Vec::<i64>::new());
    }

    #[test]
    fn a_name_that_only_begins_a_word_is_no_one() {
        assert_eq!(problem("@Annabel agreed"), Problem::UnknownMention { text: "Annabel".into() });
    }

    #[test]
    fn who_may_not_read_is_refused_by_name() {
        assert_eq!(problem("@Bo Ek what do you think?"), Problem::MentionCannotRead { name: "Bo Ek".into() });
    }

    #[test]
    fn two_colleagues_of_one_name_are_told_apart_by_address() {
        let twin = Colleague { id: 9, name: "Ann Berg", email: "ann.berg@example.com", may_read: true };
        let refused = input("@Ann Berg, look").parse(|_| Ok(vec![ANN, twin])).unwrap_err();
        assert_eq!(refused.get("body"), Some(&Problem::AmbiguousMention { text: "Ann Berg".into() }));
        let by_address = input("@ann.berg@example.com").parse(|_| Ok(vec![ANN, twin])).unwrap();
        assert_eq!(by_address.mentions, vec![9]);
    }

    #[test]
    fn what_a_comment_is_about_is_checked_with_its_text() {
        let about = CommentInput { body: Some("".into()), application_id: Some("7".into()) };
        let refused =
            about.parse(|id| if id == Some(7) { Err(Problem::UnknownChoice { allowed: vec![] }) } else { Ok(vec![]) });
        let refused = refused.unwrap_err();
        assert_eq!(refused.get("application_id"), Some(&Problem::UnknownChoice { allowed: vec![] }));
        assert_eq!(refused.get("body"), Some(&Problem::Required), "both at once");
        let not_a_number = CommentInput { body: Some("Fine".into()), application_id: Some("seven".into()) };
        assert!(not_a_number.parse(|_| Ok(vec![])).unwrap_err().get("application_id").is_some());
        let general = input("@Anna fine").parse(|id| if id.is_none() { Ok(vec![ANNA]) } else { Ok(vec![]) }).unwrap();
        assert_eq!((general.application_id, general.mentions), (None, vec![2]));
    }

    #[test]
    fn a_blank_long_or_controlled_text_is_refused() {
        assert_eq!(problem("   "), Problem::Required);
        assert_eq!(problem(&"x".repeat(BODY_MAX + 1)), Problem::TooLong { max: BODY_MAX as u64 });
        assert_eq!(problem("a\u{1b}b"), Problem::ControlCharacter);
        assert_eq!(parse(&"x".repeat(BODY_MAX)).unwrap().0.len(), BODY_MAX);
    }
}
