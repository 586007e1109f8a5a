//! Importing the candidates a recruiter already has, from a CSV file: read as spreadsheets
//! write it (a comma or, in Danish, a semicolon between fields; UTF-8 with or without a
//! byte-order mark, or Windows-1252), every row checked, and imported all together or not at all.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::candidate::{CandidateDetails, CandidateInput, Stage};
use super::input::{FieldErrors, Problem, lenient_text};
use super::search;

/// The largest file taken: some 5,000 rows.
pub const IMPORT_MAX_BYTES: usize = 400 * 1024;
pub const IMPORT_MAX_ROWS: usize = 5_000;

named_choice!(
    /// A column an import file may have.
    ImportColumn, "import-column" { Name, Email, Phone, Source, Profile, Stage, AppliedOn, StageSince }
);

impl ImportColumn {
    /// The header names the column is known by, folded ([`search::fold`]): English and Danish,
    /// as recruiters' spreadsheets and other systems' exports name them.
    fn names(self) -> &'static [&'static str] {
        match self {
            ImportColumn::Name => &["name", "navn", "full name", "fulde navn"],
            ImportColumn::Email => &["email", "e-mail", "email address", "e-mailadresse", "mail"],
            ImportColumn::Phone => &["phone", "telefon", "tlf", "mobil", "mobile"],
            ImportColumn::Source => &["source", "kilde"],
            ImportColumn::Profile => &["profile", "profil", "role profile", "rolleprofil", "job", "stilling"],
            ImportColumn::Stage => &["stage", "fase", "trin", "status"],
            ImportColumn::AppliedOn => {
                &["applied on", "applied", "ansogt", "ansogt den", "ansogningsdato", "date", "dato"]
            }
            ImportColumn::StageSince => &[
                "stage since",
                "in stage since",
                "stage date",
                "status date",
                "i fasen siden",
                "fase siden",
                "i trinnet siden",
                "trin siden",
                "statusdato",
                "fasedato",
            ],
        }
    }

    fn of_header(header: &str) -> Option<Self> {
        let folded = search::fold(header.trim()).replace('_', " ");
        <Self as strum::VariantArray>::VARIANTS.iter().copied().find(|column| column.names().contains(&folded.as_str()))
    }
}

/// One row of the file as written, by column; `line` is its line in the file (the header is 1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportRow {
    pub line: u64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub source: Option<String>,
    pub profile: Option<String>,
    pub stage: Option<String>,
    pub applied_on: Option<String>,
    pub stage_since: Option<String>,
}

/// A file read: its rows, and the headers it had that no column is known by (left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportFile {
    pub rows: Vec<ImportRow>,
    pub ignored_headers: Vec<String>,
}

/// Reads `bytes` as a CSV file with a header row naming its columns (in any order).
pub fn read(bytes: &[u8]) -> Result<ImportFile, Problem> {
    if bytes.len() > IMPORT_MAX_BYTES {
        return Err(Problem::FileTooLarge { max_kb: (IMPORT_MAX_BYTES / 1024) as u64 });
    }
    let text = text_of(bytes);
    if text.trim().is_empty() {
        return Err(Problem::Required);
    }
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter(&text)).flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(malformed)?.clone();
    let (columns, ignored_headers) = columns(&headers)?;
    let mut rows = Vec::new();
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = record.map_err(malformed)?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if rows.len() == IMPORT_MAX_ROWS {
            return Err(Problem::TooManyItems { max: IMPORT_MAX_ROWS as u64 });
        }
        let line = lines.at(&text, record.position().map_or(0, |p| p.byte()));
        rows.push(row(line, &record, &columns));
    }
    Ok(ImportFile { rows, ignored_headers })
}

/// Import rows as a JSON body sends them: the same columns as a file's, by their English
/// names; an integer where text is expected is taken as its digits (a profile's id).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ImportRows {
    /// At most 5,000; each row's place in the list (from 0) names its problems, as
    /// `rows[PLACE].COLUMN`.
    #[schema(max_items = 5000)]
    pub rows: Vec<ImportRowInput>,
}

/// One row of a JSON import.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ImportRowInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, required = true)]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, required = true)]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>)]
    pub source: Option<String>,
    /// The role profile's id or title; the query's `profile_id` without it.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>)]
    pub profile: Option<String>,
    /// A stage's name, in English or Danish (`applied` without it).
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<String>)]
    pub stage: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub applied_on: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<NaiveDate>)]
    pub stage_since: Option<String>,
}

impl ImportRows {
    /// The rows as a file's, each numbered by its place in the list from 0, as JSON paths
    /// number them.
    pub fn into_file(self) -> Result<ImportFile, Problem> {
        if self.rows.len() > IMPORT_MAX_ROWS {
            return Err(Problem::TooManyItems { max: IMPORT_MAX_ROWS as u64 });
        }
        let rows = (0..)
            .zip(self.rows)
            .map(|(line, row)| ImportRow {
                line,
                name: row.name,
                email: row.email,
                phone: row.phone,
                source: row.source,
                profile: row.profile,
                stage: row.stage,
                applied_on: row.applied_on,
                stage_since: row.stage_since,
            })
            .collect();
        Ok(ImportFile { rows, ignored_headers: Vec::new() })
    }
}

/// The line a byte offset of the text is on, counted onwards from the last offset asked about.
/// (The reader's own count depends on the line endings: after a "\r\n" a record starts at the
/// "\n", on the line before.)
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    fn at(&mut self, text: &str, offset: u64) -> u64 {
        let bytes = text.as_bytes();
        let mut offset = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
        if bytes.get(offset) == Some(&b'\n') {
            offset += 1;
        }
        let offset = offset.max(self.offset);
        self.newlines += bytes[self.offset..offset].iter().filter(|&&b| b == b'\n').count() as u64;
        self.offset = offset;
        self.newlines + 1
    }
}

/// The file's text: UTF-8 (its byte-order mark dropped), else Windows-1252, which Excel
/// writes as "CSV" on a Danish Windows.
pub fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The separator the header line uses most: a semicolon (Danish spreadsheets), a tab or a comma.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    [b';', b'\t', b','].into_iter().max_by_key(|&d| header.bytes().filter(|&b| b == d).count()).unwrap_or(b',')
}

fn malformed(error: csv::Error) -> Problem {
    Problem::MalformedFile { reason: error.to_string() }
}

/// Which column each header is; the name and the email address must be among them.
fn columns(headers: &csv::StringRecord) -> Result<(Vec<Option<ImportColumn>>, Vec<String>), Problem> {
    let mut columns = Vec::new();
    let mut ignored = Vec::new();
    for header in headers {
        let column = ImportColumn::of_header(header);
        if let Some(column) = column.filter(|c| columns.contains(&Some(*c))) {
            return Err(Problem::RepeatedColumn { column: column.as_str().to_owned() });
        }
        if column.is_none() && !header.trim().is_empty() {
            ignored.push(header.trim().to_owned());
        }
        columns.push(column);
    }
    for required in [ImportColumn::Name, ImportColumn::Email] {
        if !columns.contains(&Some(required)) {
            return Err(Problem::MissingColumn { column: required.as_str().to_owned() });
        }
    }
    Ok((columns, ignored))
}

fn row(line: u64, record: &csv::StringRecord, columns: &[Option<ImportColumn>]) -> ImportRow {
    let mut row = ImportRow { line, ..ImportRow::default() };
    for (value, column) in record.iter().zip(columns) {
        let value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        let Some(column) = column else { continue };
        *match column {
            ImportColumn::Name => &mut row.name,
            ImportColumn::Email => &mut row.email,
            ImportColumn::Phone => &mut row.phone,
            ImportColumn::Source => &mut row.source,
            ImportColumn::Profile => &mut row.profile,
            ImportColumn::Stage => &mut row.stage,
            ImportColumn::AppliedOn => &mut row.applied_on,
            ImportColumn::StageSince => &mut row.stage_since,
        } = value;
    }
    row
}

/// What the rows are checked against: the profiles, the stages' names, who is known already.
pub struct ImportContext<'a> {
    /// Every role profile, as (id, title).
    pub profiles: &'a [(i64, String)],
    /// The profile of rows that name none.
    pub default_profile: Option<i64>,
    /// The stages by their names in the app's languages, folded; their ids are known too.
    pub stage_names: &'a [(String, Stage)],
    /// The candidates (not erased) by email address.
    pub known: &'a HashMap<String, i64>,
    /// The (candidate, profile) pairs that have an application already.
    pub applied: &'a HashSet<(i64, i64)>,
    pub today: NaiveDate,
}

/// A row ready to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportEntry {
    pub details: CandidateDetails,
    pub profile_id: i64,
    pub stage: Stage,
    pub applied_on: NaiveDate,
    /// Since when the application has been in its stage: the day the file gives, else the day
    /// it was applied for (today for a closed stage), so that days in a stage count from the
    /// history the file brings.
    pub stage_since: NaiveDate,
}

/// A row checked: ready, or every problem with it, by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRow {
    pub row: ImportRow,
    pub checked: Result<ImportEntry, FieldErrors>,
    /// The candidate amfit knows by the row's email address, whom the row adds an application to.
    pub known_candidate: Option<i64>,
}

/// Checks every row against `context` and against the rows before it: a second row for the
/// same person and profile is a duplicate.
pub fn check(rows: Vec<ImportRow>, context: &ImportContext<'_>) -> Vec<CheckedRow> {
    let mut seen: HashMap<(String, i64), u64> = HashMap::new();
    rows.into_iter()
        .map(|row| {
            let mut checked = check_row(&row, context);
            if let Ok(entry) = &checked {
                let key = (entry.details.email.clone(), entry.profile_id);
                if let Some(first) = seen.get(&key) {
                    checked = Err(FieldErrors::single("email", Problem::DuplicateRow { line: *first }));
                } else {
                    seen.insert(key, row.line);
                }
            }
            let known_candidate = checked.as_ref().ok().and_then(|e| context.known.get(&e.details.email).copied());
            CheckedRow { row, checked, known_candidate }
        })
        .collect()
}

fn check_row(row: &ImportRow, context: &ImportContext<'_>) -> Result<ImportEntry, FieldErrors> {
    let as_entered = CandidateInput {
        name: row.name.clone(),
        email: row.email.clone(),
        phone: row.phone.clone(),
        source: row.source.clone(),
        ..CandidateInput::default()
    };
    let details = as_entered.parse(context.today);
    let mut errors = details.as_ref().err().cloned().unwrap_or_default();
    let profile_id = profile_of(row.profile.as_deref(), context).map_err(|p| errors.add("profile", p)).ok();
    let stage = stage_of(row.stage.as_deref(), context).map_err(|p| errors.add("stage", p)).ok();
    let applied_on = date_of(row.applied_on.as_deref(), context.today).map_err(|p| errors.add("applied_on", p)).ok();
    let stage_since = applied_on.zip(stage).and_then(|(applied_on, stage)| {
        let written = row.stage_since.as_deref();
        since_of(written, stage, applied_on, context.today).map_err(|p| errors.add("stage_since", p)).ok()
    });
    let (Ok(details), Some(profile_id), Some(stage), Some(applied_on), Some(stage_since)) =
        (details, profile_id, stage, applied_on, stage_since)
    else {
        return Err(errors);
    };
    let known = context.known.get(&details.email);
    if known.is_some_and(|candidate| context.applied.contains(&(*candidate, profile_id))) {
        return Err(FieldErrors::single("profile", Problem::AlreadyApplied));
    }
    Ok(ImportEntry { details, profile_id, stage, applied_on, stage_since })
}

/// The day a row says its application entered its stage: not before it was applied for, nor
/// after today. When none is written, the applied day for an open stage; for a closed one
/// today, as the import found it: the retention period counts from a closed stage's day, and an
/// old applied day would have the candidate anonymised the night after the import.
fn since_of(
    written: Option<&str>,
    stage: Stage,
    applied_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, Problem> {
    let Some(written) = written else { return Ok(if stage.is_closed() { today } else { applied_on }) };
    let day = date_of(Some(written), today)?;
    if day < applied_on { Err(Problem::BeforeApplied) } else { Ok(day) }
}

/// The profile a row names by id or by title (ignoring case), else the import's own.
fn profile_of(named: Option<&str>, context: &ImportContext<'_>) -> Result<i64, Problem> {
    let Some(named) = named else { return context.default_profile.ok_or(Problem::Required) };
    let by_id = named.parse::<i64>().ok().filter(|id| context.profiles.iter().any(|(p, _)| p == id));
    let folded = search::fold(named);
    let mut by_title = context.profiles.iter().filter(|(_, title)| search::fold(title) == folded).map(|(id, _)| *id);
    match (by_id, by_title.next(), by_title.next()) {
        (Some(id), _, _) | (None, Some(id), None) => Ok(id),
        (None, Some(_), Some(_)) => Err(Problem::AmbiguousProfile),
        (None, None, _) => Err(Problem::UnknownProfile),
    }
}

/// The stage a row names by id or by its name in either language; "applied" when it names none.
fn stage_of(named: Option<&str>, context: &ImportContext<'_>) -> Result<Stage, Problem> {
    let Some(named) = named else { return Ok(Stage::Applied) };
    let folded = search::fold(named);
    named
        .parse()
        .ok()
        .or_else(|| context.stage_names.iter().find(|(name, _)| *name == folded).map(|(_, s)| *s))
        .ok_or_else(|| Problem::UnknownChoice {
            allowed: <Stage as strum::VariantNames>::VARIANTS.iter().map(|v| (*v).to_owned()).collect(),
        })
}

/// A day written as 2026-03-01, or as Danish spreadsheets write it: 01-03-2026 or 1.3.2026;
/// today when none is written. Not after today.
fn date_of(written: Option<&str>, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let Some(written) = written else { return Ok(today) };
    let day = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(written, format).ok())
        .ok_or(Problem::InvalidDate)?;
    if day > today { Err(Problem::DateInFuture) } else { Ok(day) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    fn checked(file: &str, default_profile: Option<i64>) -> Vec<CheckedRow> {
        let profiles = [
            (7, "Key Account Manager".to_owned()),
            (8, "Account Manager".to_owned()),
            (9, "Account Manager".to_owned()),
        ];
        let stage_names = [("ansogt".to_owned(), Stage::Applied), ("samtaler".to_owned(), Stage::Interviewing)];
        let known = HashMap::from([("bo@example.dk".to_owned(), 41)]);
        let applied = HashSet::from([(41, 7)]);
        let context = ImportContext {
            profiles: &profiles,
            default_profile,
            stage_names: &stage_names,
            known: &known,
            applied: &applied,
            today: today(),
        };
        check(read(file.as_bytes()).unwrap().rows, &context)
    }

    #[test]
    fn the_stage_since_day_comes_from_the_file_or_the_applied_day() {
        let file = "navn,e-mail,trin,ansøgt den,i fasen siden\n\
                    Sofie,sofie@example.dk,samtaler,01-11-2026,15-11-2026\n\
                    Jonas,jonas@example.dk,samtaler,01-11-2026,\n\
                    Amira,amira@example.dk,samtaler,10-11-2026,01-11-2026\n\
                    Ole,ole@example.dk,samtaler,10-11-2026,24-12-2026\n\
                    Eva,eva@example.dk,rejected,01-03-2026,\n";
        let rows = checked(file, Some(7));
        let since = |i: usize| rows[i].checked.as_ref().map(|e| (e.stage, e.stage_since.to_string()));
        assert_eq!(since(0), Ok((Stage::Interviewing, "2026-11-15".to_owned())), "\"trin\" names the stage");
        assert_eq!(since(1), Ok((Stage::Interviewing, "2026-11-01".to_owned())), "no day: the applied day");
        let problem = |i: usize| rows[i].checked.as_ref().unwrap_err().get("stage_since").cloned();
        assert_eq!(problem(2), Some(Problem::BeforeApplied));
        assert_eq!(problem(3), Some(Problem::DateInFuture));
        let rejected = rows[4].checked.as_ref().map(|e| (e.stage, e.stage_since));
        assert_eq!(rejected, Ok((Stage::Rejected, today())), "closed with no day: the import's, for retention");
    }

    #[test]
    fn a_danish_spreadsheet_file_is_read_with_its_bom_semicolons_and_headers() {
        let file = "\u{feff}Navn;E-mail;Telefon;Kilde;Profil;Fase;Ansøgt den;Noter\r\nSofie Ø;sofie@example.dk;+45 20 30 40 50;Jobindex;7;Samtaler;01-11-2026;x\r\n;;;;;;;\r\n";
        let file = read(file.as_bytes()).unwrap();
        assert_eq!(file.ignored_headers, ["Noter"]);
        assert_eq!(file.rows.len(), 1, "the empty row is passed over");
        assert_eq!(file.rows[0].name.as_deref(), Some("Sofie Ø"));
        assert_eq!(file.rows[0].line, 2);
        let rows = checked(
            "Navn;E-mail;Profil;Fase;Ansøgt den\nSofie Ø;Sofie@Example.dk;key account manager;Samtaler;1.11.2026\n",
            None,
        );
        let entry = rows[0].checked.as_ref().unwrap();
        assert_eq!(
            (entry.profile_id, entry.stage, entry.applied_on.to_string()),
            (7, Stage::Interviewing, "2026-11-01".to_owned())
        );
        assert_eq!(entry.details.email, "sofie@example.dk");
    }

    #[test]
    fn windows_1252_is_read_when_the_file_is_not_utf8() {
        let file = b"name,email\nS\xf8ren \xc6bel\xf8,soren@example.dk\n";
        assert_eq!(read(file).unwrap().rows[0].name.as_deref(), Some("Søren Æbelø"));
    }

    #[test]
    fn a_file_without_a_needed_column_or_with_too_much_is_refused_whole() {
        assert_eq!(read(b"name,phone\nBo,12345678\n"), Err(Problem::MissingColumn { column: "email".into() }));
        assert_eq!(read(b"name,email,navn\n"), Err(Problem::RepeatedColumn { column: "name".into() }));
        assert_eq!(read(b"  \n"), Err(Problem::Required));
        let long = format!("name,email\n{}", "Bo,bo@example.dk\n".repeat(IMPORT_MAX_ROWS + 1));
        assert_eq!(read(long.as_bytes()), Err(Problem::TooManyItems { max: IMPORT_MAX_ROWS as u64 }));
        assert!(matches!(read(&vec![b'a'; IMPORT_MAX_BYTES + 1]), Err(Problem::FileTooLarge { .. })));
    }

    #[test]
    fn each_rows_problems_are_named_by_column() {
        let rows = checked(
            "name,email,profile,stage,applied on\n\
             ,not-an-email,99,hired-ish,31-02-2026\n\
             Ann,ann@example.dk,Account Manager,,\n\
             Bo,bo@example.dk,7,,\n\
             Cy,cy@example.dk,,,2027-01-01\n\
             Di,di@example.dk,7,,\n\
             Di Again,DI@example.dk,7,,\n",
            None,
        );
        let problems = |i: usize| rows[i].checked.clone().unwrap_err();
        let first = problems(0);
        for column in ["name", "email", "profile", "stage", "applied_on"] {
            assert!(first.has(column), "{column}: {first:?}");
        }
        assert_eq!(problems(1).get("profile"), Some(&Problem::AmbiguousProfile));
        assert_eq!(problems(2).get("profile"), Some(&Problem::AlreadyApplied), "Bo applied to 7 before");
        assert_eq!(problems(3).get("profile"), Some(&Problem::Required), "no profile and none chosen");
        assert_eq!(problems(3).get("applied_on"), Some(&Problem::DateInFuture));
        assert!(rows[4].checked.is_ok());
        assert_eq!(problems(5).get("email"), Some(&Problem::DuplicateRow { line: 6 }));
    }

    #[test]
    fn a_known_candidate_gets_an_application_and_the_chosen_profile_fills_in() {
        let rows = checked("name,email\nBo Berg,bo@example.dk\nNy Person,ny@example.dk\n", Some(8));
        assert_eq!(rows[0].known_candidate, Some(41));
        assert_eq!(rows[1].known_candidate, None);
        assert!(rows.iter().all(|r| r.checked.as_ref().is_ok_and(|e| e.profile_id == 8 && e.stage == Stage::Applied)));
        assert_eq!(rows[1].checked.as_ref().unwrap().applied_on, today(), "no day written: today");
    }
}
