//! Documents a candidate sends with an application: a CV and up to three others, each a PDF
//! or a Word document, recognised by what the file holds, never by its name, and the text a
//! recruiter can search, read out of it.

use std::io::Read;

use serde::Serialize;
use utoipa::ToSchema;

use super::input::{Problem, is_bidi_control};

/// The most a single document may weigh.
pub const DOCUMENT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// How many documents besides the CV an application may carry.
pub const OTHER_DOCUMENTS_MAX: usize = 3;
/// The longest file name kept; a longer one is cut (the name is only shown and offered back).
const FILE_NAME_MAX: usize = 200;
/// How far a Word document's text may unpack: a real CV is a few hundred kilobytes of XML; a
/// "zip bomb" unpacks to gigabytes from a few kilobytes.
const UNPACKED_TEXT_MAX: u64 = 20 * 1024 * 1024;
/// How many parts a Word document may have; Word writes a dozen or two.
const ARCHIVE_ENTRIES_MAX: usize = 1_000;
/// How many times larger than its packed size a Word document's body may claim to be: XML
/// packs ten or twenty times; a bomb, a thousand times.
const PACKING_RATIO_MAX: u64 = 200;

named_choice!(
    /// What a document is to the application.
    DocumentKind, "document-kind" { Cv, Other }
);

named_choice!(
    /// The formats accepted, recognised by content.
    DocumentFormat, "document-format" { Pdf, Docx }
);

named_choice!(
    /// Whether a document's text was read for search.
    TextState, "document-text" {
        /// Read, and found by search.
        Indexed,
        /// Read, but it holds no text (a scanned CV) or none that could be made out.
        Unreadable,
        /// Not read: it would unpack to more, or take longer to read, than any real document.
        TooLarge,
    }
);

/// The text read from a document, for search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentText {
    Indexed(String),
    Unreadable,
    TooLarge,
}

impl DocumentText {
    pub fn state(&self) -> TextState {
        match self {
            DocumentText::Indexed(_) => TextState::Indexed,
            DocumentText::Unreadable => TextState::Unreadable,
            DocumentText::TooLarge => TextState::TooLarge,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            DocumentText::Indexed(text) => Some(text),
            _ => None,
        }
    }

    fn from_tidied(text: &str) -> Self {
        tidy_text(text).map_or(DocumentText::Unreadable, DocumentText::Indexed)
    }
}

impl DocumentFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            DocumentFormat::Pdf => "application/pdf",
            DocumentFormat::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            DocumentFormat::Pdf => "pdf",
            DocumentFormat::Docx => "docx",
        }
    }
}

/// A document as stored and listed, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DocumentInfo {
    pub id: i64,
    pub candidate_id: i64,
    /// The application it came with; `None` once that application is deleted.
    pub application_id: Option<i64>,
    pub kind: DocumentKind,
    pub format: DocumentFormat,
    /// The name the file had on the sender's computer, tidied ([`file_name`]).
    pub file_name: String,
    /// Bytes.
    pub size: i64,
    /// Whether its text was read for search.
    pub text: TextState,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
}

/// A document recognised as a PDF or a Word document, its text not read yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecognisedDocument {
    pub kind: DocumentKind,
    pub format: DocumentFormat,
    pub file_name: String,
    pub content: Vec<u8>,
}

impl RecognisedDocument {
    /// Recognises `content`: a file that is neither a PDF nor a Word document, whatever its
    /// name, is refused.
    pub fn recognise(kind: DocumentKind, sent_name: &str, content: Vec<u8>) -> Result<Self, Problem> {
        let format = recognise(&content).ok_or(Problem::NotADocument)?;
        let file_name = file_name(sent_name, format);
        Ok(Self { kind, format, file_name, content })
    }

    pub fn with_text(self, text: DocumentText) -> ReceivedDocument {
        ReceivedDocument {
            kind: self.kind,
            format: self.format,
            file_name: self.file_name,
            content: self.content,
            text,
        }
    }
}

/// A document recognised and read, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedDocument {
    pub kind: DocumentKind,
    pub format: DocumentFormat,
    pub file_name: String,
    pub content: Vec<u8>,
    pub text: DocumentText,
}

/// The text of a document of `format`. This parses an untrusted format with a large parser,
/// which bounds neither memory nor time for a PDF: it runs only in a child process with
/// resource limits (`document_reader`), never in the server.
pub fn document_text(format: DocumentFormat, content: &[u8]) -> DocumentText {
    match format {
        DocumentFormat::Pdf => pdf_text(content),
        DocumentFormat::Docx => docx_text(content),
    }
}

/// What `content` is: a PDF starts with `%PDF-`; a Word document is a zip archive with the
/// parts of a WordprocessingML package.
pub fn recognise(content: &[u8]) -> Option<DocumentFormat> {
    if content.starts_with(b"%PDF-") {
        return Some(DocumentFormat::Pdf);
    }
    if !content.starts_with(b"PK\x03\x04") || archive_entries(content)? > ARCHIVE_ENTRIES_MAX {
        return None;
    }
    let archive = zip::ZipArchive::new(std::io::Cursor::new(content)).ok()?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    (has("[Content_Types].xml") && has("word/document.xml")).then_some(DocumentFormat::Docx)
}

/// How many entries a zip archive's end record says it has, read without opening the archive
/// (which reads every entry's record into memory); `None` without an end record, or with the
/// 64-bit one that no Word document needs.
fn archive_entries(content: &[u8]) -> Option<usize> {
    const END_RECORD: &[u8] = b"PK\x05\x06";
    const END_RECORD_LEN: usize = 22;
    // The record ends the file, after a comment of at most 65,535 bytes.
    let tail_start = content.len().saturating_sub(END_RECORD_LEN + usize::from(u16::MAX));
    let at = tail_start + content[tail_start..].windows(END_RECORD.len()).rposition(|w| w == END_RECORD)?;
    let record = content.get(at..at + END_RECORD_LEN)?;
    let entries = u16::from_le_bytes([record[10], record[11]]);
    (entries != u16::MAX).then_some(usize::from(entries))
}

/// A file name fit to show and to offer back: its last path part, without control characters,
/// bidirectional controls or quotes, at most [`FILE_NAME_MAX`] characters, and ending in the
/// extension of what it is.
pub fn file_name(sent: &str, format: DocumentFormat) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let tidy: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c) && !matches!(c, '"' | '<' | '>' | '*' | '?' | '|' | ':'))
        .take(FILE_NAME_MAX)
        .collect();
    let tidy = tidy.trim().trim_start_matches('.');
    let stem = match tidy.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ if tidy.is_empty() => "document",
        _ => tidy,
    };
    format!("{stem}.{}", format.extension())
}

/// The text of a PDF. A panic inside the parser costs only the text.
fn pdf_text(content: &[u8]) -> DocumentText {
    match std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(content)) {
        Ok(Ok(text)) => DocumentText::from_tidied(&text),
        _ => DocumentText::Unreadable,
    }
}

/// The text of a Word document's body, paragraph by paragraph: the runs of text (`w:t`) and
/// tabs, breaks and paragraph ends between them. Not read when the archive has more parts than
/// a document has, or its body claims to unpack, or does unpack, too far.
fn docx_text(content: &[u8]) -> DocumentText {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(content)) else {
        return DocumentText::Unreadable;
    };
    if archive.len() > ARCHIVE_ENTRIES_MAX {
        return DocumentText::TooLarge;
    }
    let Ok(body) = archive.by_name("word/document.xml") else {
        return DocumentText::Unreadable;
    };
    if body.size() > UNPACKED_TEXT_MAX || body.size() > body.compressed_size().saturating_mul(PACKING_RATIO_MAX) {
        return DocumentText::TooLarge;
    }
    let mut xml = Vec::new();
    // The declared size may lie: the limit holds while unpacking. One byte past it tells an
    // over-long body from one exactly at it.
    if body.take(UNPACKED_TEXT_MAX + 1).read_to_end(&mut xml).is_err() {
        return DocumentText::Unreadable;
    }
    if xml.len() as u64 > UNPACKED_TEXT_MAX {
        return DocumentText::TooLarge;
    }
    DocumentText::from_tidied(&wordprocessing_text(&xml))
}

fn wordprocessing_text(xml: &[u8]) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut text = String::new();
    let mut in_text = false;
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(tag)) if tag.local_name().into_inner() == "t" => in_text = true,
            Ok(Event::End(tag)) => match tag.local_name().into_inner() {
                "t" => in_text = false,
                "p" => text.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(tag)) => match tag.local_name().into_inner() {
                "tab" => text.push('\t'),
                "br" | "cr" => text.push('\n'),
                _ => {}
            },
            Ok(Event::Text(run)) if in_text => {
                text.push_str(&run.xml10_content());
            }
            Ok(Event::GeneralRef(entity)) if in_text => {
                if let Ok(Some(c)) = entity.resolve_char_ref() {
                    text.push(c);
                } else {
                    text.push_str(predefined_entity(&entity.into_inner()));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buffer.clear();
    }
    text
}

fn predefined_entity(name: &str) -> &'static str {
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
}

/// The text with the characters no field keeps taken out and its lines trimmed; `None` when
/// nothing but white space is left.
fn tidy_text(text: &str) -> Option<String> {
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.chars().filter(|c| !c.is_control() || *c == '\t').collect::<String>())
        .map(|line| line.trim().to_owned())
        .collect();
    let joined = lines.join("\n");
    let joined = joined.trim();
    (!joined.is_empty()).then(|| joined.to_owned())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A Word document with `body` as its `word/document.xml`.
    pub fn docx(body: &[u8]) -> Vec<u8> {
        let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        archive.start_file("[Content_Types].xml", options).unwrap();
        archive.write_all(b"<Types/>").unwrap();
        archive.start_file("word/document.xml", options).unwrap();
        archive.write_all(body).unwrap();
        archive.finish().unwrap().into_inner()
    }

    #[test]
    fn formats_are_recognised_by_content_not_by_name() {
        assert_eq!(recognise(b"%PDF-1.7\n..."), Some(DocumentFormat::Pdf));
        assert_eq!(recognise(&docx(b"<w:document/>")), Some(DocumentFormat::Docx));
        assert_eq!(recognise(b"<html><script>alert(1)</script>"), None, "HTML called .pdf");
        assert_eq!(recognise(b"MZ\x90\x00\x03"), None, "a Windows program");
        assert_eq!(recognise(b"\x7fELF\x02\x01"), None, "a Linux program");
        assert_eq!(recognise(b"PK\x03\x04 not really a zip"), None);
        let mut other_zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        other_zip.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
        assert_eq!(recognise(&other_zip.finish().unwrap().into_inner()), None, "a zip that is no Word document");
    }

    #[test]
    fn a_word_documents_text_keeps_its_paragraphs_tabs_and_entities() {
        let body = br#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>Key account</w:t></w:r><w:r><w:t xml:space="preserve"> manager</w:t></w:r></w:p>
            <w:p><w:r><w:t>2019</w:t><w:tab/><w:t>Salg &amp; service &#230;</w:t></w:r></w:p>
            <w:p><w:r><w:instrText>HYPERLINK</w:instrText></w:r></w:p>
        </w:body></w:document>"#;
        assert_eq!(recognise(&docx(body)), Some(DocumentFormat::Docx));
        assert_eq!(
            document_text(DocumentFormat::Docx, &docx(body)),
            DocumentText::Indexed("Key account manager\n2019\tSalg & service æ".into())
        );
    }

    #[test]
    fn a_word_document_that_unpacks_too_far_is_not_read() {
        // 30 MB of one repeated byte deflates to a few tens of kilobytes.
        let mut body = b"<w:document><w:p><w:t>".to_vec();
        body.resize(30 * 1024 * 1024, b'a');
        let bomb = docx(&body);
        assert!(bomb.len() < 200_000, "the bomb is small: {} bytes", bomb.len());
        assert_eq!(document_text(DocumentFormat::Docx, &bomb), DocumentText::TooLarge);
    }

    #[test]
    fn a_word_document_that_packs_far_tighter_than_text_is_not_read() {
        // 5 MB, under the size limit, but packed a thousand times: no document packs so well.
        let mut body = b"<w:document><w:p><w:t>".to_vec();
        body.resize(5 * 1024 * 1024, b'a');
        assert_eq!(document_text(DocumentFormat::Docx, &docx(&body)), DocumentText::TooLarge);
    }

    /// A Word document with `extra` empty parts besides its two.
    fn docx_with_parts(extra: usize) -> Vec<u8> {
        let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for part in ["[Content_Types].xml", "word/document.xml"] {
            archive.start_file(part, options).unwrap();
            archive.write_all(b"<w:document/>").unwrap();
        }
        for n in 0..extra {
            archive.start_file(format!("word/media/{n}.xml"), options).unwrap();
        }
        archive.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_with_more_parts_than_a_document_has_is_not_opened_in_the_server() {
        let most = docx_with_parts(ARCHIVE_ENTRIES_MAX - 2);
        assert_eq!(archive_entries(&most), Some(ARCHIVE_ENTRIES_MAX));
        assert_eq!(recognise(&most), Some(DocumentFormat::Docx));
        let many = docx_with_parts(ARCHIVE_ENTRIES_MAX);
        assert_eq!(archive_entries(&many), Some(ARCHIVE_ENTRIES_MAX + 2));
        assert_eq!(recognise(&many), None, "refused by its end record, before its entries are read");
        assert_eq!(document_text(DocumentFormat::Docx, &many), DocumentText::TooLarge, "the reader's own bound");
        assert_eq!(archive_entries(b"PK\x03\x04 no end record"), None);
    }

    #[test]
    fn what_is_neither_pdf_nor_word_is_refused_whatever_its_name() {
        let html = b"<!doctype html><script>alert(1)</script>".to_vec();
        assert_eq!(RecognisedDocument::recognise(DocumentKind::Cv, "cv.pdf", html), Err(Problem::NotADocument));
    }

    #[test]
    fn a_pdfs_text_is_read() {
        let cv = include_bytes!("../../tests/fixtures/cv.pdf").to_vec();
        let DocumentText::Indexed(text) = document_text(DocumentFormat::Pdf, &cv) else {
            panic!("the fixture has text")
        };
        assert!(text.contains("Key account manager, Nordlys Energi"), "{text}");
        assert!(text.contains("Quetzalkoatlfjer"), "{text}");
    }

    #[test]
    fn a_pdf_whose_text_cannot_be_read_is_kept_without_text() {
        let read =
            RecognisedDocument::recognise(DocumentKind::Other, "scan.pdf", b"%PDF-1.4\ngarbage".to_vec()).unwrap();
        assert_eq!(read.format, DocumentFormat::Pdf);
        assert_eq!(document_text(read.format, &read.content), DocumentText::Unreadable);
    }

    #[test]
    fn file_names_are_tidied_and_end_in_what_the_file_is() {
        assert_eq!(file_name("C:\\Users\\sofie\\CV 2026.pdf", DocumentFormat::Pdf), "CV 2026.pdf");
        assert_eq!(file_name("../../etc/passwd", DocumentFormat::Pdf), "passwd.pdf");
        assert_eq!(file_name("evil.exe", DocumentFormat::Pdf), "evil.pdf");
        assert_eq!(file_name("a\"b<c>\r\n.docx", DocumentFormat::Docx), "abc.docx");
        assert_eq!(file_name("", DocumentFormat::Pdf), "document.pdf");
        assert_eq!(file_name("invoice\u{202E}gpj.pdf", DocumentFormat::Pdf), "invoicegpj.pdf");
        assert_eq!(file_name("\u{2067}cv\u{2069}\u{200F}.docx", DocumentFormat::Docx), "cv.docx");
        assert_eq!(file_name(".hidden", DocumentFormat::Pdf), "hidden.pdf");
        assert_eq!(file_name(&"x".repeat(500), DocumentFormat::Pdf).chars().count(), FILE_NAME_MAX + 4);
    }
}
