//! Reading the rubric folder: `weights.toml` and one file per competency under
//! `competencies/`. The checking itself is the domain's ([`Rubric::parse`]).

use std::fmt;
use std::path::Path;

use crate::domain::rubric::{Rubric, RubricError, WEIGHTS_FILE};

/// Why the rubric could not be loaded: unreadable files, or every problem in them.
#[derive(Debug)]
pub enum LoadError {
    Unreadable(String),
    Invalid(Vec<RubricError>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreadable(reason) => write!(f, "cannot read the rubric: {reason}"),
            LoadError::Invalid(errors) => {
                write!(f, "the rubric has {} problem(s):", errors.len())?;
                errors.iter().try_for_each(|error| write!(f, "\n  {error}"))
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Loads and checks the rubric in `folder`; file names in errors start with the folder.
pub fn load(folder: &Path) -> Result<Rubric, LoadError> {
    Rubric::parse(&read_files(folder)?).map_err(LoadError::Invalid)
}

fn read_files(folder: &Path) -> Result<Vec<(String, String)>, LoadError> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|e| LoadError::Unreadable(format!("{}: {e}", path.display())))
    };
    let mut files = vec![(folder.join(WEIGHTS_FILE).display().to_string(), read(&folder.join(WEIGHTS_FILE))?)];
    let competencies = folder.join("competencies");
    let entries = std::fs::read_dir(&competencies)
        .map_err(|e| LoadError::Unreadable(format!("{}: {e}", competencies.display())))?;
    for entry in entries {
        let path = entry.map_err(|e| LoadError::Unreadable(e.to_string()))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push((path.display().to_string(), read(&path)?));
        }
    }
    Ok(files)
}
