//! CSV files as spreadsheets will open them: UTF-8 with a byte-order mark (without it, Excel
//! reads "Ansøgning" as "AnsÃ¸gning"), and no cell that a spreadsheet would run as a formula.

use std::borrow::Cow;

use crate::error::{AppError, AppResult};

const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// A CSV file being written, a row at a time.
pub struct SpreadsheetCsv {
    writer: csv::Writer<Vec<u8>>,
}

impl SpreadsheetCsv {
    pub fn new(delimiter: u8) -> Self {
        Self::starting_with(delimiter, BYTE_ORDER_MARK.to_vec())
    }

    /// More rows of a file already started with [`SpreadsheetCsv::new`], for files sent a part
    /// at a time.
    pub fn continued(delimiter: u8) -> Self {
        Self::starting_with(delimiter, Vec::new())
    }

    fn starting_with(delimiter: u8, bytes: Vec<u8>) -> Self {
        Self { writer: csv::WriterBuilder::new().delimiter(delimiter).from_writer(bytes) }
    }

    /// Writes one row; each cell is [`inert`].
    pub fn row<I, S>(&mut self, cells: I) -> AppResult<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells = cells.into_iter().map(|cell| inert(cell.as_ref()).into_owned());
        self.writer.write_record(cells).map_err(|error| AppError::Internal(error.into()))
    }

    /// The file's bytes.
    pub fn finish(self) -> AppResult<Vec<u8>> {
        self.writer.into_inner().map_err(|error| AppError::Internal(anyhow::anyhow!("{error}")))
    }
}

/// The cell as text no spreadsheet evaluates: one that starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return (OWASP's list for CSV injection) gets a leading apostrophe.
pub fn inert(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_the_file_starts_with_a_byte_order_mark() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+45 12 34 56 78", "'+45 12 34 56 78"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Ada Lovelace", "Ada Lovelace"),
            ("4,5", "4,5"),
            ("", ""),
        ] {
            assert_eq!(inert(cell), written, "{cell:?}");
        }
        let mut csv = SpreadsheetCsv::new(b';');
        csv.row(["Ansøgning", "=1+1"]).unwrap();
        let bytes = csv.finish().unwrap();
        assert_eq!(bytes, "\u{feff}Ansøgning;'=1+1\n".as_bytes());
    }
}
