//! Letters to candidates: the kinds amfit writes, the templates they are written from
//! (Markdown with named fields such as `{candidate_name}`), and a letter made from a template
//! and the values of its fields, as plain text and as HTML.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ad::to_letter_html;
use super::input::{FieldErrors, FieldParser, Problem, has_forbidden_control, lenient_text};
use super::profile::AdLanguage;

named_choice!(
    /// What a letter is for. A receipt, and a request to confirm what an application asked, are
    /// sent by amfit itself; the others by a recruiter.
    LetterKind, "letter" { Receipt, Invitation, Rejection, Offer, Custom, Confirmation }
);

named_choice!(
    /// The templates a company's letters are written from. A rejection has two: one for a
    /// candidate who was never met, one for a candidate who was interviewed. An invitation's
    /// time moved or cancelled is told from its own two.
    TemplateKind, "template" {
        Receipt, Invitation, InterviewMoved, InterviewCancelled, RejectionAfterScreening, RejectionAfterInterview, Offer
    }
);

/// A field a template may name, written `{name}` in its subject or body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    CandidateName,
    JobTitle,
    Company,
    /// Who signs: the recruiter who sends the letter, or the company for a receipt.
    SenderName,
    /// What happens after a receipt, and when: true to how the profile interviews.
    NextSteps,
    InterviewTime,
    InterviewPlace,
    Interviewers,
    /// The line a recruiter adds to a letter; empty when they add none.
    Note,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::CandidateName,
        Field::JobTitle,
        Field::Company,
        Field::SenderName,
        Field::NextSteps,
        Field::InterviewTime,
        Field::InterviewPlace,
        Field::Interviewers,
        Field::Note,
    ];

    /// The name a template writes in braces.
    pub fn name(self) -> &'static str {
        match self {
            Field::CandidateName => "candidate_name",
            Field::JobTitle => "job_title",
            Field::Company => "company",
            Field::SenderName => "sender_name",
            Field::NextSteps => "next_steps",
            Field::InterviewTime => "interview_time",
            Field::InterviewPlace => "interview_place",
            Field::Interviewers => "interviewers",
            Field::Note => "note",
        }
    }

    fn named(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.name() == name)
    }
}

/// Every letter may name who it is to, for which job at which company, and who signs.
const COMMON: [Field; 4] = [Field::CandidateName, Field::JobTitle, Field::Company, Field::SenderName];

/// The fields a letter of `kind` has values for.
pub fn fields_of(kind: LetterKind) -> Vec<Field> {
    let own: &[Field] = match kind {
        LetterKind::Receipt => &[Field::NextSteps],
        LetterKind::Invitation => &[Field::InterviewTime, Field::InterviewPlace, Field::Interviewers, Field::Note],
        LetterKind::Rejection | LetterKind::Offer => &[Field::Note],
        LetterKind::Custom | LetterKind::Confirmation => &[],
    };
    COMMON.iter().chain(own).copied().collect()
}

impl TemplateKind {
    /// The kind of letter written from this template.
    pub fn letter(self) -> LetterKind {
        match self {
            TemplateKind::Receipt => LetterKind::Receipt,
            TemplateKind::Invitation | TemplateKind::InterviewMoved | TemplateKind::InterviewCancelled => {
                LetterKind::Invitation
            }
            TemplateKind::RejectionAfterScreening | TemplateKind::RejectionAfterInterview => LetterKind::Rejection,
            TemplateKind::Offer => LetterKind::Offer,
        }
    }

    /// The fields a template of this kind may name: its letter's, but a moved or cancelled
    /// interview's, which amfit writes by itself and so has no recruiter's note.
    pub fn fields(self) -> Vec<Field> {
        let mut fields = fields_of(self.letter());
        if matches!(self, TemplateKind::InterviewMoved | TemplateKind::InterviewCancelled) {
            fields.retain(|field| *field != Field::Note);
        }
        fields
    }
}

/// The longest subject a letter may have: a mail program shows far less.
pub const SUBJECT_MAX: usize = 200;
/// The longest body a template or a recruiter's own letter may have.
pub const BODY_MAX: usize = 20_000;
/// The longest line a recruiter may add to a letter.
pub const NOTE_MAX: usize = 2_000;

/// A letter before its fields are filled in: a subject line and a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub struct LetterTemplate {
    pub subject: String,
    pub body: String,
}

/// The values of a letter's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldValues(BTreeMap<Field, String>);

impl FieldValues {
    pub fn with(mut self, field: Field, value: impl Into<String>) -> Self {
        self.0.insert(field, value.into());
        self
    }

    /// The value of `field`; empty when it has none.
    pub fn get(&self, field: Field) -> &str {
        self.0.get(&field).map(String::as_str).unwrap_or_default()
    }
}

/// A letter ready to send: its subject, and its body as plain text and as an HTML page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenLetter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A piece of a template: text as written, or a field to fill in.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    Field(Field),
    /// `{name}` where no field has that name.
    Unknown(&'t str),
}

/// `text` cut at its fields: `{` and `}` around a name of lower-case letters and underscores.
/// Any other brace is text.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_lowercase() || c == '_')).unwrap_or(after.len());
        if name_len == 0 || !after[name_len..].starts_with('}') {
            pieces.push(Piece::Text(&rest[..=open]));
            rest = after;
            continue;
        }
        pieces.push(Piece::Text(&rest[..open]));
        let name = &after[..name_len];
        pieces.push(Field::named(name).map_or(Piece::Unknown(name), Piece::Field));
        rest = &after[name_len + 1..];
    }
    pieces.push(Piece::Text(rest));
    pieces
}

impl LetterTemplate {
    /// Every problem of the subject (`"subject"`) and the body (`"body"`), which may name the
    /// `allowed` fields.
    pub fn problems(&self, allowed: &[Field]) -> Vec<(&'static str, Problem)> {
        let mut problems = Vec::new();
        for (part, text, max) in [("subject", &self.subject, SUBJECT_MAX), ("body", &self.body, BODY_MAX)] {
            if text.trim().is_empty() {
                problems.push((part, Problem::Required));
            } else if text.chars().count() > max {
                problems.push((part, Problem::TooLong { max: max as u64 }));
            } else if has_forbidden_control(text) {
                problems.push((part, Problem::ControlCharacter));
            }
            for name in unknown_fields(text, allowed) {
                problems.push((part, unknown_field(name, allowed)));
            }
        }
        problems
    }

    /// The letter with `values` filled in. In the HTML, a value is text whatever it holds (a
    /// candidate's name with Markdown or markup in it stays a name); the subject is one line.
    pub fn write(&self, language: AdLanguage, values: &FieldValues) -> WrittenLetter {
        let subject = one_line(&fill(&self.subject, values, |value| value.to_owned()));
        let text = fill(&self.body, values, |value| value.to_owned());
        let html = html_page(language, &subject, &fill(&self.body, values, markdown_text));
        WrittenLetter { subject, text: tidy_text(&text), html }
    }
}

/// A letter's HTML part: its Markdown `body` as a page titled `subject`.
fn html_page(language: AdLanguage, subject: &str, body: &str) -> String {
    let mut html =
        format!("<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>", language.as_str());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut html, subject);
    html.push_str("</title></head>\n<body>\n");
    html.push_str(&to_letter_html(body));
    html.push_str("</body>\n</html>\n");
    html
}

impl WrittenLetter {
    /// A letter of amfit's own words (no template): `text` as it is, and as HTML in which it is
    /// text whatever it holds.
    pub fn plain(language: AdLanguage, subject: &str, text: &str) -> Self {
        let subject = one_line(subject);
        let html = html_page(language, &subject, &markdown_text(text));
        WrittenLetter { html, subject, text: tidy_text(text) }
    }
}

/// `text` with each field replaced by its value as `escape` writes it; an unknown field stays
/// as written (a saved template has none).
fn fill(text: &str, values: &FieldValues, escape: impl Fn(&str) -> String) -> String {
    let mut filled = String::with_capacity(text.len() * 2);
    for piece in pieces(text) {
        match piece {
            Piece::Text(text) => filled.push_str(text),
            Piece::Field(field) => filled.push_str(&escape(values.get(field))),
            Piece::Unknown(name) => {
                filled.push('{');
                filled.push_str(name);
                filled.push('}');
            }
        }
    }
    filled
}

/// `value` as Markdown that shows it as it is: punctuation escaped, so that nothing in it
/// becomes a heading, a link or markup, and each of its lines a line of the letter.
fn markdown_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len() + 8);
    for (index, line) in value.lines().map(str::trim).filter(|line| !line.is_empty()).enumerate() {
        if index > 0 {
            escaped.push_str("\\\n");
        }
        for c in line.chars() {
            if c.is_ascii_punctuation() {
                escaped.push('\\');
            }
            escaped.push(c);
        }
    }
    escaped
}

/// A subject as one line: line breaks and other control characters become spaces, runs of
/// spaces one, and it is cut to [`SUBJECT_MAX`] characters.
fn one_line(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(SUBJECT_MAX).collect()
}

/// The plain-text body without the blank lines an empty field leaves: at most one blank line
/// between paragraphs.
fn tidy_text(text: &str) -> String {
    let mut tidy = String::with_capacity(text.len());
    let mut blank = true;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            if !blank {
                tidy.push('\n');
            }
            blank = true;
        } else {
            tidy.push_str(line);
            tidy.push('\n');
            blank = false;
        }
    }
    tidy.trim_end().to_owned() + "\n"
}

/// A letter a recruiter sends about an application, as a JSON body or the letter form sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct LetterInput {
    /// What the letter is for. An invitation needs the interview's time set first; a
    /// rejection is written for a candidate who was never interviewed or for one who was.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = SentLetterKind, required = true)]
    pub kind: Option<String>,
    /// A line of the recruiter's own, put into the letter where its template says `{note}`.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub note: Option<String>,
    /// The subject instead of the template's, with the same fields; required for `custom`.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub subject: Option<String>,
    /// The body (Markdown) instead of the template's, with the same fields; required for
    /// `custom`.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>, max_length = 20000)]
    pub body: Option<String>,
    /// The language to write in, when not the application's.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<AdLanguage>)]
    pub language: Option<String>,
}

named_choice!(
    /// The letters a recruiter sends (a receipt is amfit's own).
    SentLetterKind, "letter" { Invitation, Rejection, Offer, Custom }
);

impl From<SentLetterKind> for LetterKind {
    fn from(kind: SentLetterKind) -> Self {
        match kind {
            SentLetterKind::Invitation => LetterKind::Invitation,
            SentLetterKind::Rejection => LetterKind::Rejection,
            SentLetterKind::Offer => LetterKind::Offer,
            SentLetterKind::Custom => LetterKind::Custom,
        }
    }
}

/// A letter request, checked as far as the input alone tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRequest {
    pub kind: LetterKind,
    pub note: Option<String>,
    /// The recruiter's own subject and body, each in place of the template's.
    pub subject: Option<String>,
    pub body: Option<String>,
    pub language: Option<AdLanguage>,
}

impl LetterInput {
    /// The request, or every field that is wrong. The subject and body are checked as a
    /// template is: only the kind's own fields.
    pub fn parse(&self) -> Result<LetterRequest, FieldErrors> {
        let mut p = FieldParser::default();
        let kind: LetterKind = p.choice::<SentLetterKind>("kind", &self.kind).into();
        let language = p.optional_choice("language", &self.language);
        let note = p.optional_text(&self.note);
        let subject = p.optional_text(&self.subject);
        let body = p.optional_text(&self.body);
        for (field, text, max) in
            [("note", &note, NOTE_MAX), ("subject", &subject, SUBJECT_MAX), ("body", &body, BODY_MAX)]
        {
            match text {
                Some(text) if text.chars().count() > max => p.reject(field, Problem::TooLong { max: max as u64 }),
                Some(text) if has_forbidden_control(text) => p.reject(field, Problem::ControlCharacter),
                _ => {}
            }
        }
        if kind == LetterKind::Custom {
            for (field, text) in [("subject", &subject), ("body", &body)] {
                if text.is_none() {
                    p.reject(field, Problem::Required);
                }
            }
        }
        let allowed = fields_of(kind);
        for (field, text) in [("subject", &subject), ("body", &body)] {
            for name in unknown_fields(text.as_deref().unwrap_or_default(), &allowed) {
                p.reject(field, unknown_field(name, &allowed));
            }
        }
        p.finish(LetterRequest { kind, note, subject, body, language })
    }
}

/// The names in `text`'s braces that are not among `allowed`.
fn unknown_fields<'t>(text: &'t str, allowed: &[Field]) -> Vec<&'t str> {
    pieces(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Unknown(name) => Some(name),
            Piece::Field(field) if !allowed.contains(&field) => Some(field.name()),
            _ => None,
        })
        .collect()
}

/// The problem of a field named `name` where `allowed` are the fields.
fn unknown_field(name: &str, allowed: &[Field]) -> Problem {
    Problem::UnknownField { name: name.to_owned(), allowed: allowed.iter().map(|f| f.name().to_owned()).collect() }
}

/// A template in both languages: a company writes its own of a kind in Danish and English
/// together, so that every letter of that kind is its own, whatever the candidate's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BilingualTemplate {
    pub da: LetterTemplate,
    pub en: LetterTemplate,
}

impl BilingualTemplate {
    /// amfit's own template of `kind`.
    pub fn standard(kind: TemplateKind) -> Self {
        BilingualTemplate {
            da: default_template(kind, AdLanguage::Da).clone(),
            en: default_template(kind, AdLanguage::En).clone(),
        }
    }

    pub fn in_language(&self, language: AdLanguage) -> &LetterTemplate {
        language.pick(&self.da, &self.en)
    }
}

/// A company's own template of one kind, as its form or a JSON body sends it: the subject and
/// the Markdown body in Danish and in English, all four required.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct TemplateInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, required = true, example = "Din ansøgning til stillingen som {job_title}")]
    pub subject_da: Option<String>,
    /// Markdown, with the fields of the template's kind in braces.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 20000, required = true)]
    pub body_da: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, required = true, example = "Your application for {job_title}")]
    pub subject_en: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 20000, required = true)]
    pub body_en: Option<String>,
}

impl TemplateInput {
    /// The template of `kind`, or every problem, each named by its field (`body_en`): a
    /// language left out, a field that `kind`'s letters do not have, one that is too long.
    pub fn parse(&self, kind: TemplateKind) -> Result<BilingualTemplate, FieldErrors> {
        let text = |value: &Option<String>| value.as_deref().map(str::trim).unwrap_or_default().to_owned();
        let template = BilingualTemplate {
            da: LetterTemplate { subject: text(&self.subject_da), body: text(&self.body_da) },
            en: LetterTemplate { subject: text(&self.subject_en), body: text(&self.body_en) },
        };
        let mut p = FieldParser::default();
        for (language, written) in [("da", &template.da), ("en", &template.en)] {
            for (part, problem) in written.problems(&kind.fields()) {
                p.reject(&format!("{part}_{language}"), problem);
            }
        }
        p.finish(template)
    }
}

impl From<&BilingualTemplate> for TemplateInput {
    /// The form an edit starts from.
    fn from(template: &BilingualTemplate) -> Self {
        TemplateInput {
            subject_da: Some(template.da.subject.clone()),
            body_da: Some(template.da.body.clone()),
            subject_en: Some(template.en.subject.clone()),
            body_en: Some(template.en.body.clone()),
        }
    }
}

/// amfit's own templates in one language, as `templates/letters/{language}.toml` holds them.
#[derive(Debug, Deserialize)]
struct DefaultTemplates {
    receipt: LetterTemplate,
    invitation: LetterTemplate,
    interview_moved: LetterTemplate,
    interview_cancelled: LetterTemplate,
    rejection_after_screening: LetterTemplate,
    rejection_after_interview: LetterTemplate,
    offer: LetterTemplate,
}

const DA_TEMPLATES: &str = include_str!("../../templates/letters/da.toml");
const EN_TEMPLATES: &str = include_str!("../../templates/letters/en.toml");

/// The template amfit writes a letter from when a company has not written its own.
pub fn default_template(kind: TemplateKind, language: AdLanguage) -> &'static LetterTemplate {
    static DA: OnceLock<DefaultTemplates> = OnceLock::new();
    static EN: OnceLock<DefaultTemplates> = OnceLock::new();
    let (cell, text) = match language {
        AdLanguage::Da => (&DA, DA_TEMPLATES),
        AdLanguage::En => (&EN, EN_TEMPLATES),
    };
    // The files are part of the program, and a unit test reads each of them.
    let templates = cell.get_or_init(|| toml::from_str(text).expect("templates/letters/*.toml are valid"));
    match kind {
        TemplateKind::Receipt => &templates.receipt,
        TemplateKind::Invitation => &templates.invitation,
        TemplateKind::InterviewMoved => &templates.interview_moved,
        TemplateKind::InterviewCancelled => &templates.interview_cancelled,
        TemplateKind::RejectionAfterScreening => &templates.rejection_after_screening,
        TemplateKind::RejectionAfterInterview => &templates.rejection_after_interview,
        TemplateKind::Offer => &templates.offer,
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;

    fn values() -> FieldValues {
        FieldValues::default()
            .with(Field::CandidateName, "Sofie Vestergaard")
            .with(Field::JobTitle, "Key Account Manager")
            .with(Field::Company, "Nordlys A/S")
            .with(Field::SenderName, "Mette Holm")
            .with(Field::NextSteps, "We read every application after the deadline.")
            .with(Field::InterviewTime, "Thursday 3 December 2026, 10:00–11:00")
            .with(Field::InterviewPlace, "Havnegade 4, Aarhus")
            .with(Field::Interviewers, "Mette Holm and Jonas Friis")
    }

    #[test]
    fn every_default_template_names_only_its_own_fields_in_both_languages() {
        for &kind in TemplateKind::VARIANTS {
            for &language in AdLanguage::VARIANTS {
                let template = default_template(kind, language);
                assert!(template.problems(&kind.fields()).is_empty(), "{kind:?} in {language:?}");
                let letter = template.write(language, &values());
                assert!(letter.text.contains("Sofie Vestergaard"), "{kind:?} {language:?}: {}", letter.text);
                assert!(!letter.text.contains('{'), "{kind:?} {language:?}: a field left: {}", letter.text);
            }
        }
    }

    #[test]
    fn a_company_template_needs_both_languages_and_only_its_kind_s_fields() {
        let standard = BilingualTemplate::standard(TemplateKind::RejectionAfterInterview);
        let input = TemplateInput::from(&standard);
        let parsed = input.parse(TemplateKind::RejectionAfterInterview).unwrap();
        assert_eq!(
            (parsed.da.subject.as_str(), parsed.en.body.as_str()),
            (standard.da.subject.as_str(), standard.en.body.trim())
        );
        let wrong = TemplateInput {
            body_en: Some("  ".into()),
            subject_da: Some("Samtale {interview_time}".into()),
            body_da: Some("Hej {candidate_name}\u{7}".into()),
            ..input.clone()
        };
        let errors = wrong.parse(TemplateKind::RejectionAfterInterview).unwrap_err();
        assert_eq!(errors.get("body_en"), Some(&Problem::Required), "a language left out");
        assert!(
            matches!(errors.get("subject_da"), Some(Problem::UnknownField { name, .. }) if name == "interview_time")
        );
        assert_eq!(errors.get("body_da"), Some(&Problem::ControlCharacter));
        assert_eq!(errors.get("subject_en"), None);
        let moved = TemplateInput::from(&BilingualTemplate::standard(TemplateKind::InterviewMoved));
        assert!(moved.parse(TemplateKind::InterviewMoved).is_ok(), "an invitation's own fields");
        let mut with_note = moved.clone();
        with_note.body_en = with_note.body_en.map(|body| format!("{body}\n\n{{note}}"));
        let errors = with_note.parse(TemplateKind::InterviewMoved).unwrap_err();
        assert!(
            matches!(errors.get("body_en"), Some(Problem::UnknownField { name, .. }) if name == "note"),
            "amfit writes a moved interview's letter by itself: no recruiter's note would fill it"
        );
    }

    #[test]
    fn a_field_is_filled_in_and_any_other_brace_is_text() {
        let template = LetterTemplate {
            subject: "{job_title} at {company}".into(),
            body: "{ not a field } {candidate_name}{}".into(),
        };
        let letter = template.write(AdLanguage::En, &values());
        assert_eq!(letter.subject, "Key Account Manager at Nordlys A/S");
        assert_eq!(letter.text, "{ not a field } Sofie Vestergaard{}\n");
    }

    #[test]
    fn an_unknown_field_or_one_of_another_kind_of_letter_is_named() {
        let template = LetterTemplate { subject: "{job}".into(), body: "{interview_time} {note}".into() };
        let named = |problems: Vec<(&str, Problem)>| -> Vec<(String, String)> {
            problems
                .into_iter()
                .map(|(part, problem)| match problem {
                    Problem::UnknownField { name, .. } => (part.to_owned(), name),
                    other => (part.to_owned(), format!("{other:?}")),
                })
                .collect()
        };
        assert_eq!(
            named(template.problems(&fields_of(LetterKind::Rejection))),
            [("subject".to_owned(), "job".to_owned()), ("body".to_owned(), "interview_time".to_owned())]
        );
        assert_eq!(template.problems(&fields_of(LetterKind::Invitation)).len(), 1);
        let empty = LetterTemplate { subject: " ".into(), body: "x".repeat(BODY_MAX + 1) };
        assert_eq!(
            empty.problems(&fields_of(LetterKind::Custom)),
            vec![("subject", Problem::Required), ("body", Problem::TooLong { max: BODY_MAX as u64 })]
        );
    }

    #[test]
    fn a_letter_request_names_every_field_that_is_wrong() {
        let input = |kind: &str, subject: Option<&str>, body: Option<&str>| LetterInput {
            kind: Some(kind.into()),
            subject: subject.map(Into::into),
            body: body.map(Into::into),
            ..LetterInput::default()
        };
        let fields = |input: LetterInput| -> Vec<String> {
            input.parse().expect_err("refused").iter().map(|error| error.field.clone()).collect()
        };
        assert_eq!(fields(input("receipt", None, None)), ["kind"], "a receipt is amfit's own");
        assert_eq!(fields(input("custom", None, Some(" "))), ["subject", "body"]);
        assert_eq!(fields(input("rejection", Some("{interview_time}"), None)), ["subject"]);
        let note = LetterInput { note: Some("a\u{1b}b".into()), ..input("offer", None, None) };
        assert_eq!(fields(note), ["note"]);
        let fine = input("invitation", Some("Interview {interview_time}"), None).parse().unwrap();
        assert_eq!((fine.kind, fine.subject.as_deref()), (LetterKind::Invitation, Some("Interview {interview_time}")));
    }

    #[test]
    fn a_value_is_text_in_the_html_whatever_it_holds() {
        let hostile = values()
            .with(Field::CandidateName, "<script>alert(1)</script> [win](javascript:x) # **bold**")
            .with(Field::Note, "First line\n\nSecond <b>line</b>");
        let template = LetterTemplate { subject: "Hi".into(), body: "Dear {candidate_name}\n\n{note}".into() };
        let letter = template.write(AdLanguage::En, &hostile);
        assert!(!letter.html.contains("<script>") && !letter.html.contains("<b>"), "{}", letter.html);
        assert!(!letter.html.contains("href") && !letter.html.contains("<h1>"), "{}", letter.html);
        assert!(!letter.html.contains("<strong>"), "{}", letter.html);
        assert!(
            letter.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; [win](javascript:x) # **bold**"),
            "{}",
            letter.html
        );
        assert!(letter.html.contains("First line<br />\nSecond &lt;b&gt;line&lt;/b&gt;"), "{}", letter.html);
        assert!(letter.text.contains("Dear <script>alert(1)</script>"), "the text part is text: {}", letter.text);
    }

    #[test]
    fn a_subject_is_one_line_whatever_its_values_hold() {
        let template = LetterTemplate { subject: "Re: {candidate_name}".into(), body: "x".into() };
        let injected = values().with(Field::CandidateName, "Eve\r\nBcc: all@example.dk\tx");
        assert_eq!(template.write(AdLanguage::En, &injected).subject, "Re: Eve Bcc: all@example.dk x");
    }

    #[test]
    fn the_template_s_own_lines_are_kept_and_an_empty_field_leaves_no_gap() {
        let template = LetterTemplate {
            subject: "s".into(),
            body: "Kind regards\n{sender_name}\n{company}\n\n{note}\n\nBye".into(),
        };
        let letter = template.write(AdLanguage::En, &values());
        assert!(letter.html.contains("Kind regards<br />\nMette Holm<br />\nNordlys A/S</p>"), "{}", letter.html);
        assert_eq!(letter.text, "Kind regards\nMette Holm\nNordlys A/S\n\nBye\n");
        assert!(letter.html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{}", letter.html);
    }
}
