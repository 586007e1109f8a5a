//! Importing candidates from a CSV file: a preview that marks each row's problems and who is
//! known already, then the import of every row in one transaction, or of none.

use std::collections::{HashMap, HashSet};

use crate::domain::Labelled;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::Stage;
use crate::domain::import::{self, CheckedRow, ImportContext, ImportEntry, ImportFile, ImportRows};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::search;
use crate::error::{AppError, AppResult};
use crate::i18n::{I18n, Lang};
use crate::service::audit::{self, Actor};
use crate::service::today;
use crate::store::{Imported, NewAuditEntry, Store, StoreError};

/// A file read and every row checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPreview {
    pub rows: Vec<CheckedRow>,
    /// The file's headers that name no column amfit knows, left out.
    pub ignored_headers: Vec<String>,
    /// The title of every role profile a row may name, by id.
    pub titles: HashMap<i64, String>,
}

impl ImportPreview {
    /// Whether every row is ready, so that the import would go through.
    pub fn is_ready(&self) -> bool {
        self.rows.iter().all(|row| row.checked.is_ok())
    }

    /// Every row's problems, each named `rows[LINE].COLUMN` by the row's line in the file.
    pub fn problems(&self) -> FieldErrors {
        let mut problems = FieldErrors::default();
        for row in &self.rows {
            if let Err(errors) = &row.checked {
                for error in errors.iter() {
                    problems.add(&format!("rows[{}].{}", row.row.line, error.field), error.problem.clone());
                }
            }
        }
        problems
    }

    /// The rows ready to import, when all of them are.
    fn entries(&self) -> Option<Vec<ImportEntry>> {
        self.rows.iter().map(|row| row.checked.as_ref().ok().cloned()).collect()
    }
}

/// What is imported: a CSV file's bytes, or rows a JSON body sent.
pub enum ImportSource<'a> {
    Csv(&'a [u8]),
    Rows(ImportRows),
}

impl ImportSource<'_> {
    /// The rows, or [`AppError::Invalid`] naming `file` (`rows` for a JSON body) when the whole
    /// cannot be read.
    fn read(self) -> AppResult<ImportFile> {
        let (field, read) = match self {
            ImportSource::Csv(bytes) => ("file", import::read(bytes)),
            ImportSource::Rows(rows) => ("rows", rows.into_file()),
        };
        let file = read.map_err(|problem| AppError::Invalid(FieldErrors::single(field, problem)))?;
        if file.rows.is_empty() {
            return Err(AppError::Invalid(FieldErrors::single(field, Problem::Required)));
        }
        Ok(file)
    }
}

/// The rows of `source` read and checked, rows without a profile of their own going to
/// `default_profile`; [`AppError::Invalid`] when the whole cannot be read.
pub async fn preview(
    store: &dyn Store,
    source: ImportSource<'_>,
    default_profile: Option<i64>,
) -> AppResult<ImportPreview> {
    let file = source.read()?;
    let profiles: Vec<(i64, String)> =
        store.list_profiles().await?.into_iter().map(|o| (o.profile.id, o.profile.details.title)).collect();
    if default_profile.is_some_and(|id| !profiles.iter().any(|(p, _)| *p == id)) {
        return Err(AppError::Invalid(FieldErrors::single("profile_id", Problem::UnknownProfile)));
    }
    let known: HashMap<String, i64> = store
        .list_candidates()
        .await?
        .into_iter()
        .filter(|o| o.candidate.erased_at.is_none())
        .map(|o| (o.candidate.details.email, o.candidate.id))
        .collect();
    let mut applied = HashSet::new();
    for (profile, _) in &profiles {
        applied.extend(store.applicant_ids(*profile).await?.into_iter().map(|c| (c, *profile)));
    }
    let stage_names = stage_names();
    let context = ImportContext {
        profiles: &profiles,
        default_profile,
        stage_names: &stage_names,
        known: &known,
        applied: &applied,
        today: today(),
    };
    let rows = import::check(file.rows, &context);
    Ok(ImportPreview { rows, ignored_headers: file.ignored_headers, titles: profiles.into_iter().collect() })
}

/// Every stage by its name in each of the app's languages, folded.
fn stage_names() -> Vec<(String, Stage)> {
    let stages = <Stage as strum::VariantArray>::VARIANTS;
    Lang::ALL
        .into_iter()
        .flat_map(|lang| stages.iter().map(move |stage| (search::fold(&I18n::new(lang).t(&stage.label_key())), *stage)))
        .collect()
}

/// Imports the file when every row of it is ready ([`AppError::Invalid`] naming each row's
/// problems otherwise, and nothing imported), on the audit trail per profile. `actor` set the
/// applications' first stage.
pub async fn import<'a>(
    store: &dyn Store,
    actor: impl Into<Actor<'a>>,
    source: ImportSource<'_>,
    default_profile: Option<i64>,
) -> AppResult<Imported> {
    let preview = preview(store, source, default_profile).await?;
    let Some(entries) = preview.entries() else { return Err(AppError::Invalid(preview.problems())) };
    let actor = actor.into();
    let by = match actor {
        Actor::User(user) => Some(user.id),
        Actor::Command(_) => None,
    };
    let mut per_profile: Vec<(i64, usize)> = Vec::new();
    for entry in &entries {
        match per_profile.iter_mut().find(|(profile, _)| *profile == entry.profile_id) {
            Some((_, count)) => *count += 1,
            None => per_profile.push((entry.profile_id, 1)),
        }
    }
    let trail: Vec<NewAuditEntry> = per_profile
        .into_iter()
        .map(|(profile, count)| {
            let subject = (AuditSubject::Profile, profile);
            audit::entry(actor, AuditAction::ImportCandidates, subject, AuditDetail::Imported(count))
        })
        .collect();
    match store.import_candidates(&entries, by, &trail).await {
        // Someone applied or was entered between the preview and the import.
        Err(StoreError::Duplicate) => Err(AppError::Invalid(FieldErrors::single("file", Problem::AlreadyApplied))),
        other => Ok(other?),
    }
}
