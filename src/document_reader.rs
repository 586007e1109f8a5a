//! Reading the text of documents that strangers send, where a crafted one can do no harm.
//!
//! A PDF's streams may inflate from 2 MB to gigabytes, and the PDF parser bounds neither the
//! memory nor the time it takes. So the server never parses a document itself: it starts its
//! own binary again as `amfit read-document`, which limits its own address space and processor
//! time before it reads a byte, and reads the text from its standard input. A document that
//! takes the child past a limit kills only the child; the server keeps the document and marks
//! its text as too large to read.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

use crate::domain::document::{DOCUMENT_MAX_BYTES, DocumentText, RecognisedDocument, document_text, recognise};

/// The hidden subcommand that runs the reader.
pub const READ_DOCUMENT_COMMAND: &str = "read-document";

/// The address space the reader may use, its binary and libraries included: a CV's text takes a
/// few megabytes to read; past this, the allocation fails and the reader ends.
pub const READER_MEMORY_BYTES: u64 = 128 * 1024 * 1024;
/// The processor time the reader may use; a real document takes well under a second.
const READER_CPU_SECONDS: u64 = 5;
/// How long the server waits for a reader once it runs: past this it is ended.
const READER_WALL_TIME: Duration = Duration::from_secs(10);
/// Readers at work at once; more wait their turn. Each may hold a processor and its memory.
const READERS_AT_ONCE: usize = 2;
/// The most text kept of one document: far more than any CV holds.
const TEXT_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The reader's first line, so that the server knows that it speaks to amfit's reader and not to
/// another program under the configured name.
const GREETING: &[u8] = b"amfit document text 1\n";
/// The reader's exit code for a document whose limits it found before reading it.
const EXIT_TOO_LARGE: u8 = 3;
/// The reader's exit code for input that is no document, or cannot be read from standard input.
const EXIT_NOT_A_DOCUMENT: u8 = 2;

/// The reader as the server starts it.
#[derive(Debug)]
pub struct DocumentReader {
    program: PathBuf,
    turns: Semaphore,
}

impl DocumentReader {
    /// A reader run as `program read-document`: `program` must be the amfit binary.
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self { program: program.into(), turns: Semaphore::new(READERS_AT_ONCE) }
    }

    /// A reader run from the binary this process was started from.
    pub fn of_this_program() -> Self {
        // Without a path of its own, the process was started in an unusual way; reading then
        // fails for every document, which the log says, and the documents are kept unread.
        Self::new(std::env::current_exe().unwrap_or_else(|_| PathBuf::from("amfit")))
    }

    /// The text of `document`, read by a child process within its limits once it has its turn:
    /// time spent waiting for a turn (behind a bomb, say) counts against no document.
    pub async fn read(&self, document: &RecognisedDocument) -> DocumentText {
        let Ok(_turn) = self.turns.acquire().await else { return DocumentText::Unreadable };
        let Ok(text) = tokio::time::timeout(READER_WALL_TIME, self.run(&document.content)).await else {
            tracing::warn!(file_name = document.file_name, "document reader ended: it took too long");
            return DocumentText::TooLarge;
        };
        text.unwrap_or_else(|error| {
            tracing::error!(%error, program = %self.program.display(), "cannot run the document reader");
            DocumentText::Unreadable
        })
    }

    async fn run(&self, content: &[u8]) -> std::io::Result<DocumentText> {
        let mut child = tokio::process::Command::new(&self.program)
            .arg(READ_DOCUMENT_COMMAND)
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let mut stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("no stdin"))?;
        let mut stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("no stdout"))?;
        let send = async move {
            // A reader that ended early (past a limit) closes its end: that is its answer.
            let _ = stdin.write_all(content).await;
        };
        let mut answer = Vec::new();
        let mut bounded = (&mut stdout).take((GREETING.len() + TEXT_MAX_BYTES) as u64);
        let ((), received) = tokio::join!(send, bounded.read_to_end(&mut answer));
        received?;
        // A program that writes on past the bound is not waited for while its pipe is full.
        drop(stdout);
        let status = child.wait().await?;
        Ok(match (status.code(), answer.strip_prefix(GREETING)) {
            (Some(0), Some([])) => DocumentText::Unreadable,
            (Some(0), Some(text)) => DocumentText::Indexed(String::from_utf8_lossy(text).into_owned()),
            (Some(0), None) => return Err(std::io::Error::other("the program is not amfit's document reader")),
            (Some(code), _) if code == i32::from(EXIT_TOO_LARGE) => DocumentText::TooLarge,
            (Some(_), _) => DocumentText::Unreadable,
            // Ended by a signal: the allocator's abort past the memory limit, or the processor
            // time limit.
            (None, _) => DocumentText::TooLarge,
        })
    }
}

/// `amfit read-document`: limits itself, reads one document from standard input and writes
/// [`GREETING`] and its text to standard output.
pub fn run_reader() -> ExitCode {
    if let Err(error) = limit_this_process() {
        eprintln!("cannot limit the document reader: {error}");
        return ExitCode::FAILURE;
    }
    let mut content = Vec::new();
    let read = std::io::stdin().take(DOCUMENT_MAX_BYTES as u64 + 1).read_to_end(&mut content);
    let Some(format) = read.ok().and_then(|_| recognise(&content)) else {
        return ExitCode::from(EXIT_NOT_A_DOCUMENT);
    };
    let text = match document_text(format, &content) {
        DocumentText::Indexed(text) => text,
        DocumentText::Unreadable => String::new(),
        DocumentText::TooLarge => return ExitCode::from(EXIT_TOO_LARGE),
    };
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(GREETING)
        .and_then(|()| stdout.write_all(cut_at_char(&text, TEXT_MAX_BYTES).as_bytes()))
        .and_then(|()| stdout.flush());
    if written.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn limit_this_process() -> rustix::io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let limit = |value: u64| Rlimit { current: Some(value), maximum: Some(value) };
    setrlimit(Resource::As, limit(READER_MEMORY_BYTES))?;
    setrlimit(Resource::Cpu, limit(READER_CPU_SECONDS))?;
    // A reader that ends past its memory limit leaves no core file with a stranger's document.
    setrlimit(Resource::Core, limit(0))
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn cut_at_char(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::cut_at_char;

    #[test]
    fn text_is_cut_at_a_character_boundary() {
        assert_eq!(cut_at_char("æøå", 3), "æ");
        assert_eq!(cut_at_char("æøå", 4), "æø");
        assert_eq!(cut_at_char("abc", 10), "abc");
    }
}
