//! An application form's multipart body, read as it streams, each file held to its size as it
//! arrives: the job page's form and the API's application send the same parts.

use axum::extract::Multipart;
use axum::extract::multipart::{Field as Part, MultipartError};
use axum::http::StatusCode;

use crate::domain::applying::MESSAGE_MAX;
use crate::domain::document::DOCUMENT_MAX_BYTES;
use crate::http::body::{arrived_too_late, part_within};
use crate::service::applying::{SentFile, Submission};

/// The most an application's body may hold: the CV and the other documents together, with
/// room for the text fields and the multipart framing.
pub const APPLICATION_BODY_MAX: usize = 2 * DOCUMENT_MAX_BYTES + 256 * 1024;

/// The most a text field may hold, in bytes: the longest message in four-byte characters.
const TEXT_FIELD_MAX: usize = 4 * MESSAGE_MAX + 1024;

/// Why a body could not be read as an application.
pub enum Unreadable {
    /// A file past [`DOCUMENT_MAX_BYTES`], named by its field.
    TooLarge(&'static str),
    /// The body past its limit ([`APPLICATION_BODY_MAX`]).
    BodyTooLarge,
    /// The body had not arrived in full when its time was up.
    TimedOut,
    Malformed(String),
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
/// Unknown parts are passed over.
pub async fn read_submission(mut multipart: Multipart) -> Result<Submission, Unreadable> {
    let mut sent = Submission::default();
    while let Some(part) = multipart.next_field().await? {
        let name = part.name().unwrap_or_default().to_owned();
        let text_field = match name.as_str() {
            "name" => &mut sent.form.name,
            "email" => &mut sent.form.email,
            "phone" => &mut sent.form.phone,
            "message" => &mut sent.form.message,
            "talent_pool" => &mut sent.form.talent_pool,
            "source" => &mut sent.form.source,
            "website" => &mut sent.form.website,
            "cv" | "documents" => {
                let field = if name == "cv" { "cv" } else { "documents" };
                if let Some(file) = read_file(part, field).await? {
                    if field == "cv" { sent.cv = Some(file) } else { sent.others.push(file) }
                }
                continue;
            }
            _ => continue,
        };
        let bytes =
            part_within(part, TEXT_FIELD_MAX).await?.ok_or(Unreadable::Malformed(format!("{name} is too long")))?;
        let text = String::from_utf8(bytes).map_err(|_| Unreadable::Malformed(format!("{name} is not UTF-8 text")))?;
        *text_field = Some(text);
    }
    Ok(sent)
}

async fn read_file(part: Part<'_>, field: &'static str) -> Result<Option<SentFile>, Unreadable> {
    let name = part.file_name().unwrap_or_default().to_owned();
    let content = part_within(part, DOCUMENT_MAX_BYTES).await?.ok_or(Unreadable::TooLarge(field))?;
    Ok((!(name.is_empty() && content.is_empty())).then_some(SentFile { name, content }))
}
