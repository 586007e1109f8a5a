//! Where the rubric comes from: the one compiled into the binary (the files of `rubrics/` as
//! they were at build time), or a folder of the same shape that overrides it: `weights.toml`,
//! one file per competency under `competencies/`, `anchor_words.toml`, and the job-ad wording
//! lists under `wording/`. The checking itself is the domain's ([`Rubric::parse`]).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::anchor_words::ANCHOR_WORDS_FILE;
use crate::domain::rubric::{Rubric, RubricError, WEIGHTS_FILE};
use crate::domain::wording::WordingRules;

include!(concat!(env!("OUT_DIR"), "/built_in_rubric.rs"));

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

/// The folder in the working directory that is used when it holds a rubric and `--rubrics`
/// names none.
const DEFAULT_FOLDER: &str = "rubrics";

/// The rubric to use: the built-in one, or a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubricSource {
    BuiltIn,
    Folder(PathBuf),
}

impl RubricSource {
    /// The folder when one is named; else `./rubrics` when it holds a rubric (the folder
    /// `--rubrics` defaulted to before the rubric was built in: one edited there stays in
    /// use); else the built-in rubric.
    pub fn of(folder: Option<&Path>) -> Self {
        match folder {
            Some(folder) => Self::Folder(folder.to_owned()),
            None if Path::new(DEFAULT_FOLDER).join(WEIGHTS_FILE).is_file() => Self::Folder(DEFAULT_FOLDER.into()),
            None => Self::BuiltIn,
        }
    }
}

impl fmt::Display for RubricSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RubricSource::BuiltIn => f.write_str("the built-in rubric"),
            RubricSource::Folder(folder) => write!(f, "{}", folder.display()),
        }
    }
}

/// Loads and checks the rubric; file names in errors start with the folder (or say the file
/// is the built-in one's).
pub fn load(source: &RubricSource) -> Result<Rubric, LoadError> {
    let files = match source {
        RubricSource::BuiltIn => {
            built_in(|path| path == WEIGHTS_FILE || path == ANCHOR_WORDS_FILE || path.starts_with("competencies/"))
        }
        RubricSource::Folder(folder) => read_files(folder)?,
    };
    Rubric::parse(&files).map_err(LoadError::Invalid)
}

/// Loads and checks the job-ad wording lists (`wording/*.toml`, one file per language).
pub fn load_wording(source: &RubricSource) -> Result<WordingRules, LoadError> {
    let files = match source {
        RubricSource::BuiltIn => built_in(|path| path.starts_with("wording/")),
        RubricSource::Folder(folder) => read_toml_files(&folder.join("wording"))?,
    };
    WordingRules::parse(&files).map_err(LoadError::InvalidWording)
}

/// Why the built-in rubric could not be written out.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the rubric to {0}")]
pub struct ExportError(String);

/// Writes the built-in rubric into `folder` (made if missing), to edit and use with
/// `--rubrics`: all of it or none. Refused when a file of it is there already (or anything
/// by its name, a link too), naming it. The paths written.
pub fn export(folder: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let failed = |path: &Path, error: std::io::Error| ExportError(format!("{}: {error}", path.display()));
    let targets: Vec<(PathBuf, &str)> =
        BUILT_IN_RUBRIC.iter().map(|(path, content)| (folder.join(path), *content)).collect();
    if let Some((taken, _)) = targets.iter().find(|(path, _)| path.symlink_metadata().is_ok()) {
        return Err(ExportError(format!("{}: it is there already; nothing was written", taken.display())));
    }
    let mut written = Vec::new();
    for (path, content) in &targets {
        let wrote = write_new(path, content);
        if let Err(error) = wrote {
            // All or none: what this export wrote goes again.
            written.iter().for_each(|path: &PathBuf| drop(std::fs::remove_file(path)));
            return Err(failed(path, error));
        }
        written.push(path.clone());
    }
    Ok(written)
}

/// Writes `content` to a new file at `path`, never over one (nor through a link).
fn write_new(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(content.as_bytes())
}

/// The built-in files whose path `keep` takes, named as the folder `rubrics` (the default
/// before the rubric was built in) names them: the rubric's version is a hash over names and
/// contents, and scorecards keep it, so the same rubric keeps the same version.
fn built_in(keep: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    BUILT_IN_RUBRIC
        .iter()
        .filter(|(path, _)| keep(path))
        .map(|(path, content)| (format!("rubrics/{path}"), (*content).to_owned()))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::AdLanguage;

    /// The phrases an ad quotes from the rubric pass amfit's own wording check: no
    /// discrimination flag and no masculine-coded word ("Du præsenterer med selvtillid" had one).
    #[test]
    fn the_ad_phrases_of_the_rubric_pass_the_wording_check() {
        let rubric = load(&RubricSource::BuiltIn).unwrap();
        let wording = load_wording(&RubricSource::BuiltIn).unwrap();
        for competency in &rubric.competencies {
            for language in [AdLanguage::En, AdLanguage::Da] {
                for one_client in [false, true] {
                    let phrase = competency.requirement_phrase(one_client, language);
                    let report = wording.check(phrase, language);
                    assert!(
                        report.flags.is_empty() && report.masculine.is_empty(),
                        "{}: {phrase}: {report:?}",
                        competency.id
                    );
                }
            }
        }
    }

    /// Presentation is defined and anchored by what a candidate does, not by a manner; a case
    /// that asks for a client's figures says that made-up ones will do.
    #[test]
    fn the_rubric_anchors_behaviour_and_asks_for_no_client_data() {
        let rubric = load(&RubricSource::BuiltIn).unwrap();
        for competency in &rubric.competencies {
            let texts = [&competency.name, &competency.definition, &competency.requirement]
                .into_iter()
                .chain(&competency.anchors)
                .flat_map(|text| [text.get(AdLanguage::En), text.get(AdLanguage::Da)]);
            for text in texts.chain(competency.questions.iter().flat_map(|q| [q.en.as_str(), q.da.as_str()])) {
                for manner in ["fremtoning", "selvsikker", "selvtillid", "confident", "presence", "rummet"] {
                    assert!(!text.to_lowercase().contains(manner), "{}: {manner} in {text}", competency.id);
                }
            }
        }
        let presentation = rubric.competency("presentation").unwrap();
        let case = presentation.questions.iter().find(|q| q.da.contains("resultaterne")).unwrap();
        assert!(case.da.contains("anonymiseret eller med opdigtede tal"), "{}", case.da);
        assert!(case.en.contains("made-up figures"), "{}", case.en);
    }

    #[test]
    fn the_built_in_rubric_is_the_one_in_the_source_tree_and_exports_to_the_same() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics");
        for (path, content) in BUILT_IN_RUBRIC {
            assert_eq!(std::fs::read_to_string(root.join(path)).unwrap(), *content, "{path}");
        }
        let in_tree = ["", "competencies", "wording"].iter().map(|sub| read_toml_files(&root.join(sub)).unwrap().len());
        assert_eq!(in_tree.sum::<usize>(), BUILT_IN_RUBRIC.len(), "every file of the tree is compiled in");
        let built_in = load(&RubricSource::BuiltIn).unwrap();
        // Tests run in the package's folder: `rubrics` is what `--rubrics` defaulted to.
        assert_eq!(built_in, load(&RubricSource::Folder("rubrics".into())).unwrap(), "the same, version and all");
        assert!(load_wording(&RubricSource::BuiltIn).is_ok());

        let folder = tempfile::tempdir().unwrap();
        let written = export(folder.path()).unwrap();
        assert_eq!(written.len(), BUILT_IN_RUBRIC.len());
        let exported = load(&RubricSource::Folder(folder.path().to_owned())).unwrap();
        assert_eq!(exported, built_in, "an export loads as the built-in rubric, version and all");
        let again = export(folder.path()).unwrap_err().to_string();
        assert!(again.contains("it is there already; nothing was written"), "{again}");
        let a_file = folder.path().join("weights.toml");
        let into_a_file = export(&a_file).unwrap_err().to_string();
        assert!(into_a_file.starts_with("cannot write the rubric to"), "{into_a_file}");
        assert!(!a_file.join("competencies").exists());
    }
}
