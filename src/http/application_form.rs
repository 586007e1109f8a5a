//! An application form's multipart body, read as it streams, each file held to its size as it
//! arrives: the job page's form and the API's application send the same parts.

use axum::extract::Multipart;
use axum::extract::multipart::{Field as Part, MultipartError};
use axum::http::StatusCode;

use crate::domain::applying::MESSAGE_MAX;
use crate::domain::document::DOCUMENT_MAX_BYTES;
use crate::domain::input::Problem;
use crate::http::body::{arrived_too_late, part_within};
use crate::service::applying::{SentFile, Submission};

/// The most an application's body may hold: the CV and the other documents together, with
/// room for the text fields and the multipart framing.
pub const APPLICATION_BODY_MAX: usize = 2 * DOCUMENT_MAX_BYTES + 256 * 1024;

/// The most a text field may hold, in bytes: the longest message in four-byte characters.
const TEXT_FIELD_MAX: usize = 4 * MESSAGE_MAX + 1024;

/// An application form as read: what it sent, and what of it no form of amfit's sends.
pub struct ReadForm {
    pub sent: Submission,
    /// The names of parts that are not the form's, each once.
    pub unknown_parts: Vec<String>,
    /// Whether a second CV came (the first is kept).
    pub second_cv: bool,
}

/// The parts an application form has.
pub const FORM_PARTS: [&str; 8] = ["name", "email", "phone", "message", "source", "talent_pool", "cv", "documents"];

/// Why a body could not be read as an application.
pub enum Unreadable {
    /// A file past [`DOCUMENT_MAX_BYTES`], named by its field.
    FileTooLarge(&'static str),
    /// A text field past [`TEXT_FIELD_MAX`] bytes, named.
    TextTooLong(&'static str),
    /// The body past its limit ([`APPLICATION_BODY_MAX`]).
    BodyTooLarge,
    /// The body had not arrived in full when its time was up.
    TimedOut,
    Malformed(String),
}

impl Unreadable {
    /// The part to blame and its problem, when one part was too large: a file past its size,
    /// or a text past the longest any field may be (the message's).
    pub fn part_problem(&self) -> Option<(&'static str, Problem)> {
        match self {
            Unreadable::FileTooLarge(field) => {
                Some((field, Problem::DocumentTooLarge { max_mb: (DOCUMENT_MAX_BYTES / (1024 * 1024)) as u64 }))
            }
            Unreadable::TextTooLong(field) => Some((field, Problem::TooLong { max: MESSAGE_MAX as u64 })),
            _ => None,
        }
    }
}

impl From<MultipartError> for Unreadable {
    fn from(error: MultipartError) -> Self {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Unreadable::BodyTooLarge
        } else if arrived_too_late(&error) {
            Unreadable::TimedOut
        } else {
            Unreadable::Malformed(error.body_text())
        }
    }
}

/// Reads the form's parts in the order sent, each held to its limit as it arrives: a file that
/// grows past [`DOCUMENT_MAX_BYTES`] is refused before the rest of it is read ([`part_within`]).
/// A file input left empty sends a part without a name or bytes, which counts as no file.
/// Parts that are not the form's are passed over, and named in what is returned.
pub async fn read_submission(mut multipart: Multipart) -> Result<ReadForm, Unreadable> {
    let mut read = ReadForm { sent: Submission::default(), unknown_parts: Vec::new(), second_cv: false };
    let sent = &mut read.sent;
    while let Some(part) = multipart.next_field().await? {
        let name = part.name().unwrap_or_default().to_owned();
        let Some(field) = FORM_PARTS.iter().chain(["website"].iter()).find(|known| **known == name) else {
            if !read.unknown_parts.contains(&name) {
                read.unknown_parts.push(name);
            }
            continue;
        };
        let text_field = match *field {
            "name" => &mut sent.form.name,
            "email" => &mut sent.form.email,
            "phone" => &mut sent.form.phone,
            "message" => &mut sent.form.message,
            "talent_pool" => &mut sent.form.talent_pool,
            "source" => &mut sent.form.source,
            "website" => &mut sent.form.website,
            _ => {
                if let Some(file) = read_file(part, field).await? {
                    match *field {
                        "cv" if sent.cv.is_some() => read.second_cv = true,
                        "cv" => sent.cv = Some(file),
                        _ => sent.others.push(file),
                    }
                }
                continue;
            }
        };
        let bytes = part_within(part, TEXT_FIELD_MAX).await?.ok_or(Unreadable::TextTooLong(field))?;
        let text = String::from_utf8(bytes).map_err(|_| Unreadable::Malformed(format!("{name} is not UTF-8 text")))?;
        *text_field = Some(text);
    }
    Ok(read)
}

async fn read_file(part: Part<'_>, field: &'static str) -> Result<Option<SentFile>, Unreadable> {
    let name = part.file_name().unwrap_or_default().to_owned();
    let content = part_within(part, DOCUMENT_MAX_BYTES).await?.ok_or(Unreadable::FileTooLarge(field))?;
    Ok((!(name.is_empty() && content.is_empty())).then_some(SentFile { name, content }))
}
