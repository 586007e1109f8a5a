//! Reading the rubric folder: `weights.toml` and one file per competency under
//! `competencies/`. The checking itself is the domain's ([`Rubric::parse`]).

use std::fmt;
use std::path::Path;

use crate::domain::anchor_words::ANCHOR_WORDS_FILE;
use crate::domain::rubric::{Rubric, RubricError, WEIGHTS_FILE};
use crate::domain::wording::WordingRules;

/// Why the rubric could not be loaded: unreadable files, or every problem in them.
#[derive(Debug)]
pub enum LoadError {
    Unreadable(String),
    Invalid(Vec<RubricError>),
    /// The wording lists (`wording/*.toml`), with every problem as `file: reason`.
    InvalidWording(Vec<String>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreadable(reason) => write!(f, "cannot read the rubric: {reason}"),
            LoadError::Invalid(errors) => {
                write!(f, "the rubric has {} problem(s):", errors.len())?;
                errors.iter().try_for_each(|error| write!(f, "\n  {error}"))
            }
            LoadError::InvalidWording(problems) => {
                write!(f, "the wording lists have {} problem(s):", problems.len())?;
                problems.iter().try_for_each(|problem| write!(f, "\n  {problem}"))
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Loads and checks the rubric in `folder`; file names in errors start with the folder.
pub fn load(folder: &Path) -> Result<Rubric, LoadError> {
    Rubric::parse(&read_files(folder)?).map_err(LoadError::Invalid)
}

/// Loads and checks the job-ad wording lists in `folder/wording` (one TOML file per language).
pub fn load_wording(folder: &Path) -> Result<WordingRules, LoadError> {
    WordingRules::parse(&read_toml_files(&folder.join("wording"))?).map_err(LoadError::InvalidWording)
}

fn read_files(folder: &Path) -> Result<Vec<(String, String)>, LoadError> {
    let weights = folder.join(WEIGHTS_FILE);
    let mut files = vec![(weights.display().to_string(), read(&weights)?)];
    let anchor_words = folder.join(ANCHOR_WORDS_FILE);
    if anchor_words.exists() {
        files.push((anchor_words.display().to_string(), read(&anchor_words)?));
    }
    files.extend(read_toml_files(&folder.join("competencies"))?);
    Ok(files)
}

/// Every `*.toml` file in `folder`, as (path, content).
fn read_toml_files(folder: &Path) -> Result<Vec<(String, String)>, LoadError> {
    let entries = std::fs::read_dir(folder).map_err(|e| LoadError::Unreadable(format!("{}: {e}", folder.display())))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| LoadError::Unreadable(e.to_string()))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push((path.display().to_string(), read(&path)?));
        }
    }
    Ok(files)
}

fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|e| LoadError::Unreadable(format!("{}: {e}", path.display())))
}
