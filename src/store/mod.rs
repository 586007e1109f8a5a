//! The only door to stored data: the [`Store`] trait, with an SQLite and a PostgreSQL backend.

mod ad_sql;
mod application_sql;
mod audit_sql;
pub mod cache;
mod candidate_sql;
pub mod clock;
mod comment_sql;
mod copy;
mod duplicate_sql;
mod idempotency_sql;
mod intake_sql;
mod interview_sql;
pub mod keyed;
mod letter_template_sql;
mod notification_sql;
mod outbox_sql;
mod postgres;
mod publication_sql;
mod report_sql;
mod retention_sql;
mod rows;
mod sessions;
mod sql;
mod sqlite;
mod user_sql;
mod webhook_sql;

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::ad::{AdVersion, Tone};
use crate::domain::audit::{AuditAction, AuditEntry, AuditFilter, AuditSubject};
use crate::domain::candidate::{
    Application, Assignment, Candidate, CandidateDetails, CandidateFilter, ListOrder, Stage,
};
use crate::domain::comment::Comment;
use crate::domain::company::{Company, CompanyDetails};
use crate::domain::decision::{Decision, Verdict};
use crate::domain::document::{DocumentInfo, ReceivedDocument};
use crate::domain::duplicate::MergePlan;
use crate::domain::import::ImportEntry;
use crate::domain::interview::{InterviewSlot, PanelMember};
use crate::domain::paging::{Page, PageRequest};
use crate::domain::profile::{AdLanguage, ProfileDetails, RoleProfile};
use crate::domain::publication::Publication;
use crate::domain::retention::{Retention, RetentionPolicy, RetentionRecord, TalentPoolConsent};
use crate::domain::rubric::WeightOverride;
use crate::domain::scorecard::{Scorecard, ScorecardContent};
use crate::domain::user::{Role, User};

pub use copy::{CopyError, CopyReport, TableCopied, copy};
pub use postgres::PgStore;
pub use sessions::SessionBackend;
pub use sqlite::{SqliteStore, WAL_SIZE_LIMIT};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such record")]
    NotFound,
    /// A unique value (such as a user's email address) is taken already.
    #[error("the value is taken already")]
    Duplicate,
    /// Another request with the same `Idempotency-Key` kept its answer first; this one's
    /// change was not written.
    #[error("another request with this idempotency key was answered first")]
    KeyTaken,
    /// The record changed since the version the caller read; nothing was written.
    #[error("the record was changed by someone else (now at version {current_version})")]
    Conflict { current_version: i64 },
    #[error("stored data does not fit the domain: {0}")]
    Corrupt(String),
    /// The disk that holds the database has less room than a burst of writes needs.
    #[error("the database's disk is full ({free} bytes free)")]
    DiskFull { free: u64 },
    #[error("database URL: {0}")]
    Url(String),
    /// The TLS connection to the database could not be set up, and why.
    #[error("the TLS connection to PostgreSQL failed: {0}")]
    Tls(String),
    /// The database's file or folder cannot be made, read or changed on the file system.
    #[error("database file: {0}")]
    File(String),
    /// A backup that cannot be made, and why.
    #[error("{0}")]
    Backup(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The session store's database could not answer; its crate gives the cause as text only.
    #[error("session store: {0}")]
    Sessions(String),
    #[error(transparent)]
    Migration(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Whether the same request may succeed later unchanged: the disk is full, the database is
    /// locked past the busy timeout, or out of reach. Nothing was written.
    pub fn is_transient(&self) -> bool {
        let error = match self {
            // The session store reaches the database only through the same pool: when it
            // fails, the database is out of reach, locked or full.
            StoreError::DiskFull { .. } | StoreError::Sessions(_) => return true,
            StoreError::Database(error) => error,
            _ => return false,
        };
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed => {
                true
            }
            sqlx::Error::Database(db) => {
                let Some(code) = db.code() else { return false };
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    sqlite_code_is_transient(&code)
                } else {
                    sqlstate_is_transient(&code)
                }
            }
            _ => false,
        }
    }
}

/// SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, by the primary result code within
/// the extended code sqlx reports.
fn sqlite_code_is_transient(extended: &str) -> bool {
    extended.parse::<i32>().is_ok_and(|code| matches!(code & 0xff, 5 | 6 | 10 | 13))
}

/// PostgreSQL's connection exceptions (08), insufficient resources (53: a full disk, too many
/// connections), an operator's shutdown (57P01–57P03), and transactions that lost a
/// serialisation or a deadlock (40001, 40P01) or could not take a lock (55P03), and statements
/// cancelled past their time (57014: mostly a wait for another transaction's lock).
fn sqlstate_is_transient(state: &str) -> bool {
    state.starts_with("08")
        || state.starts_with("53")
        || matches!(state, "57P01" | "57P02" | "57P03" | "57014" | "40001" | "40P01" | "55P03")
}

/// A company with how many role profiles it has, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyOverview {
    pub company: Company,
    pub profile_count: i64,
}

/// A user to be stored; the password arrives hashed.
#[derive(Debug, Clone, Copy)]
pub struct UserRecord<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

/// A role profile with its company's name, for lists across companies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileOverview {
    pub profile: RoleProfile,
    pub company_name: String,
}

/// The only door to stored data; each backend implements all of it.
#[async_trait]
pub trait Store:
    RecruitmentStore
    + CandidateStore
    + RetentionStore
    + ApplicationStore
    + InterviewStore
    + AdStore
    + AuditStore
    + AccountStore
    + IdempotencyStore
    + PublicationStore
    + IntakeStore
    + DuplicateStore
    + OutboxStore
    + LetterTemplateStore
    + WebhookStore
    + NotificationStore
    + CommentStore
    + ReportStore
{
    /// Answers when the database does.
    async fn ping(&self) -> StoreResult<()>;
    /// Commits a one-row write that changes no data: fails when the database cannot take
    /// writes now (a full disk, a lock held past the busy timeout, a read-only server).
    async fn check_writable(&self) -> StoreResult<()>;
    /// A number that every committed change to the recruitment data (not sessions, tokens or
    /// failed logins) increases, whichever instance made it: what cached reads are checked by.
    async fn revision(&self) -> StoreResult<i64>;
    /// Brings the schema (and the session table) to the newest version.
    async fn migrate(&self) -> StoreResult<()>;
    /// The rubric version's number (1 for the first this installation used, and so on) and
    /// when it was first used: recorded now if it is new.
    async fn rubric_edition(&self, version: &str) -> StoreResult<(i64, chrono::DateTime<chrono::Utc>)>;
    /// Where the web sessions live: the same database, so that instances share them.
    fn session_backend(&self) -> SessionBackend;
    /// How this instance's connections are used now, and how long taking one took.
    async fn pool_use(&self) -> StoreResult<PoolUse>;
    /// The mail waiting to be sent and the mail that could not be.
    async fn outbox_backlog(&self) -> StoreResult<OutboxBacklog>;
    /// Writes a consistent copy of the whole database to a new file at `to`, while the app
    /// keeps serving; [`StoreError::Backup`] says why not (the file exists, cannot be written,
    /// or the backend has its own tool).
    async fn backup(&self, to: &std::path::Path) -> StoreResult<()>;
}

/// Companies and role profiles.
#[async_trait]
pub trait RecruitmentStore: Send + Sync {
    /// True when no company exists (and so nothing hangs off one).
    async fn is_empty(&self) -> StoreResult<bool>;
    async fn list_companies(&self) -> StoreResult<Vec<CompanyOverview>>;
    async fn get_company(&self, id: i64) -> StoreResult<Company>;
    async fn create_company(&self, details: &CompanyDetails) -> StoreResult<Company>;
    /// Writes only if the company is still at `expected_version`.
    async fn update_company(&self, id: i64, expected_version: i64, details: &CompanyDetails) -> StoreResult<Company>;
    /// Deletes the company and its role profiles.
    /// [`StoreError::Conflict`] when `expected_version` is given and the company is at another.
    async fn delete_company(&self, id: i64, expected_version: Option<i64>) -> StoreResult<()>;

    async fn list_profiles(&self) -> StoreResult<Vec<ProfileOverview>>;
    async fn list_company_profiles(&self, company_id: i64) -> StoreResult<Vec<RoleProfile>>;
    async fn get_profile(&self, id: i64) -> StoreResult<RoleProfile>;
    /// Fails with [`StoreError::NotFound`] when the company does not exist.
    async fn create_profile(&self, company_id: i64, details: &ProfileDetails) -> StoreResult<RoleProfile>;
    /// Writes only if the profile is still at `expected_version`.
    async fn update_profile(
        &self,
        id: i64,
        expected_version: i64,
        details: &ProfileDetails,
    ) -> StoreResult<RoleProfile>;
    /// [`StoreError::Conflict`] when `expected_version` is given and the profile is at another.
    async fn delete_profile(&self, id: i64, expected_version: Option<i64>) -> StoreResult<()>;

    /// The weight overrides a recruiter set on the profile, with who set them.
    async fn list_weight_overrides(&self, profile_id: i64) -> StoreResult<Vec<WeightOverride>>;
    /// Sets (or replaces) one competency's override; [`StoreError::NotFound`] without the profile.
    async fn set_weight_override(
        &self,
        profile_id: i64,
        change: &OverrideRecord<'_>,
        audit: &NewAuditEntry,
    ) -> StoreResult<()>;
    /// Back to the derived values; [`StoreError::NotFound`] when there was no override.
    async fn reset_weight_override(
        &self,
        profile_id: i64,
        competency_id: &str,
        audit: &NewAuditEntry,
    ) -> StoreResult<()>;
}

/// The saved versions of job ads.
#[async_trait]
pub trait AdStore: Send + Sync {
    /// Saves the text as the profile's next version; [`StoreError::NotFound`] without the
    /// profile.
    async fn save_ad_version(&self, new: NewAdVersion<'_>) -> StoreResult<AdVersion>;
    /// The profile's versions, newest first.
    async fn list_ad_versions(&self, profile_id: i64) -> StoreResult<Vec<AdVersion>>;
    async fn get_ad_version(&self, profile_id: i64, number: i64) -> StoreResult<AdVersion>;
}

/// The audit trail: entries are added, never changed or deleted.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Adds an entry of its own: of a reading, which changes nothing else.
    async fn record_audit(&self, entry: &NewAuditEntry) -> StoreResult<()>;
    /// The page `request` asks for of the entries `filter` names, newest first.
    async fn list_audit(&self, filter: &AuditFilter, request: PageRequest) -> StoreResult<Page<AuditEntry>>;
}

/// Published ad versions.
#[async_trait]
pub trait PublicationStore: Send + Sync {
    /// Publishes ad version `number` of the profile, or gives a published one its new slug and
    /// window; [`StoreError::Duplicate`] when another publication has the slug.
    async fn publish(&self, new: NewPublication<'_>) -> StoreResult<Publication>;
    /// [`StoreError::NotFound`] when the version is not published.
    async fn unpublish(&self, profile_id: i64, number: i64) -> StoreResult<()>;
    /// Every publication, open or not, oldest first.
    async fn list_publications(&self) -> StoreResult<Vec<Publication>>;
}

/// An ad version to publish.
#[derive(Debug, Clone, Copy)]
pub struct NewPublication<'a> {
    pub profile_id: i64,
    pub number: i64,
    pub slug: &'a str,
    pub open_from: chrono::NaiveDate,
    pub open_until: chrono::NaiveDate,
    pub by: i64,
}

/// The answers to POST requests sent with an `Idempotency-Key`, kept so that a retry gets the
/// first answer again.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// The answer kept for `key` of `user_id` within [`KEY_LIFETIME`] of `now`, with the
    /// fingerprint of the request it answered.
    async fn kept_answer(
        &self,
        user_id: i64,
        key: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(String, KeptAnswer)>>;
    /// Keeps the answer to a request whose change's write kept none (a check, a change that is
    /// refused or the same when done twice); `false` when an answer was kept already for the
    /// key, which stays.
    async fn keep_answer(&self, kept: &keyed::AnswerToKeep, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Forgets every answer kept before `before` (they may hold personal data); how many.
    async fn forget_answers_before(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// How long a write waits for its turn (SQLite's busy timeout, PostgreSQL's wait for a
/// connection) before it fails as unavailable.
pub const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// How long a key's answer is kept.
pub const KEY_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// An answer as kept: its status, the headers a client needs again, its body (JSON: text, so
/// that what it holds is as visible in the database as any other personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// An entry to add to the audit trail; `detail` must hold no personal data of candidates. A
/// change hands its entry to the store call that makes it, which writes both in one
/// transaction: the change is kept with its entry, or neither is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: AuditAction,
    pub subject: AuditSubject,
    pub subject_id: i64,
    pub detail: String,
}

/// The audit entry of a change that creates a record, made from the new record's id.
pub type AuditOfCreated<'a> = &'a (dyn Fn(i64) -> NewAuditEntry + Send + Sync);

/// An ad version to save.
#[derive(Debug, Clone, Copy)]
pub struct NewAdVersion<'a> {
    pub profile_id: i64,
    pub language: AdLanguage,
    pub tone: Tone,
    pub text: &'a str,
    pub by: i64,
}

/// An override to store.
#[derive(Debug, Clone, Copy)]
pub struct OverrideRecord<'a> {
    pub competency_id: &'a str,
    pub weight: i64,
    pub minimum: Option<i64>,
    pub set_by: i64,
}

/// An application a candidate sent on a job page, checked, to store.
#[derive(Debug, Clone, Copy)]
pub struct NewIntake<'a> {
    pub profile_id: i64,
    /// Their name, email address, phone and talent-pool consent (the rest is left empty).
    pub details: &'a CandidateDetails,
    pub source: Option<&'a str>,
    pub message: Option<&'a str>,
    pub applied_on: NaiveDate,
    pub documents: &'a [ReceivedDocument],
    /// The language of the ad applied through.
    pub language: AdLanguage,
    /// The receipt to send the candidate, written with the application.
    pub receipt: &'a NewMessage,
    /// What the owner of the address is asked to confirm by mail; `None` without a mail server.
    pub confirmation: Option<ConfirmationAsked<'a>>,
}

/// A link a job-page application mails to its address, asking its owner to confirm what only
/// they may: that the application joins the candidate already held with that address, and the
/// talent-pool consent the form asked for (not recorded until then). Which letter goes depends
/// on whether the address is known, which only the application's transaction can tell.
#[derive(Debug, Clone, Copy)]
pub struct ConfirmationAsked<'a> {
    pub token_digest: &'a str,
    pub expires_at: DateTime<Utc>,
    /// Whether the form asked for the talent-pool consent.
    pub talent_pool: bool,
    /// The letter for an address already a candidate's: join their record (and the consent).
    pub if_known: &'a NewMessage,
    /// The letter for a new address: the consent; `None` when the form asked for none.
    pub if_new: Option<&'a NewMessage>,
}

/// A link to confirm what an application asked, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailConfirmation {
    pub id: i64,
    /// The candidate it is about now: a merge moves it to the record that stays.
    pub candidate_id: i64,
    /// The role applied to; `None` once it is deleted.
    pub profile_id: Option<i64>,
    pub language: AdLanguage,
    pub joins_record: bool,
    pub talent_pool: bool,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// What became of an application sent on a job page: always a new candidate with a new
/// application, whoever its email address names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intake {
    pub candidate_id: i64,
    pub application_id: i64,
    /// The candidate already held with its email address, whom it may duplicate: for the
    /// recruiters' side only, never for the answer to the form, which must not tell whether
    /// the address was known.
    pub possible_duplicate_of: Option<i64>,
}

/// What an import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub new_candidates: u64,
    pub applications: u64,
}

/// Applications candidates send themselves, the documents that come with them, and candidates
/// imported from a file.
#[async_trait]
pub trait IntakeStore: Send + Sync {
    /// Stores an application from a job page in one transaction: a new candidate, the
    /// application to the profile and the documents. Whoever sends a form is not proven to be
    /// the person its address names, so a candidate already held with that address (not
    /// erased; the oldest, should there be two) is left exactly as it was, and the new one is
    /// marked as its possible duplicate. [`StoreError::NotFound`] without the profile.
    async fn receive_application(&self, new: NewIntake<'_>, audit: AuditOfCreated<'_>) -> StoreResult<Intake>;
    /// Imports the entries in one transaction, all or none: each a candidate (the one with its
    /// email address who was not erased, else a new one) with an application at its stage, set
    /// by `by`, with the entries of `trail`. [`StoreError::Duplicate`] when one of them applied
    /// to its profile already (by now), [`StoreError::NotFound`] when its profile is gone.
    async fn import_candidates(
        &self,
        entries: &[ImportEntry],
        by: Option<i64>,
        trail: &[NewAuditEntry],
    ) -> StoreResult<Imported>;
    /// Adds a document to candidate `candidate_id`, sent with their application `application_id`
    /// or on its own, with its audit entry: [`StoreError::NotFound`] without the candidate or
    /// when the application is not theirs, [`StoreError::Conflict`] once their data is erased.
    async fn add_document(
        &self,
        candidate_id: i64,
        application_id: Option<i64>,
        document: &ReceivedDocument,
        audit: &NewAuditEntry,
    ) -> StoreResult<DocumentInfo>;
    /// The candidate's documents, oldest first, without their bytes.
    async fn list_documents(&self, candidate_id: i64) -> StoreResult<Vec<DocumentInfo>>;
    /// One of the candidate's documents with its bytes; [`StoreError::NotFound`] for a
    /// document that is not theirs.
    async fn read_document(&self, candidate_id: i64, id: i64) -> StoreResult<(DocumentInfo, Vec<u8>)>;
    /// Marks the candidate's new applications seen at `at`; how many were new.
    async fn mark_seen(&self, candidate_id: i64, at: DateTime<Utc>) -> StoreResult<u64>;
    /// The confirmation link whose secret has this digest, used or not.
    async fn mail_confirmation(&self, digest: &str) -> StoreResult<Option<MailConfirmation>>;
    /// Until when candidate `candidate_id` may still confirm a talent-pool consent asked on a
    /// job page's form (the latest of their links that still work); `None` when none waits.
    async fn consent_waiting_until(&self, candidate_id: i64) -> StoreResult<Option<DateTime<Utc>>>;
    /// Marks confirmation `id` used and records `consent` on the candidate it is about (unless
    /// theirs runs as long or longer), with the entries of `trail`, in one transaction.
    /// [`StoreError::Conflict`] when the link was used or had expired by then, or its candidate
    /// was erased.
    async fn use_mail_confirmation(
        &self,
        id: i64,
        consent: Option<TalentPoolConsent>,
        trail: &[NewAuditEntry],
    ) -> StoreResult<()>;
}

/// Candidates, and erasing their personal data.
#[async_trait]
pub trait CandidateStore: Send + Sync {
    /// Every candidate with how many applications they have, by name.
    async fn list_candidates(&self) -> StoreResult<Vec<CandidateOverview>>;
    /// The candidates `search` finds, at most `search.fetch`, in its order after its `after`
    /// ([`StoreError::NotFound`] when that candidate is gone), through the store's indexes.
    async fn find_candidates(&self, search: &CandidateSearch) -> StoreResult<Vec<ListedCandidate>>;
    /// How many candidates have an application no recruiter has opened yet.
    async fn count_new_applicants(&self) -> StoreResult<u64>;
    /// The sources candidates came from, each once, most common first, at most `limit`.
    async fn candidate_sources(&self, limit: usize) -> StoreResult<Vec<String>>;
    async fn get_candidate(&self, id: i64) -> StoreResult<Candidate>;
    async fn create_candidate(&self, details: &CandidateDetails) -> StoreResult<Candidate>;
    /// Writes only if the candidate is still at `expected_version`.
    async fn update_candidate(
        &self,
        id: i64,
        expected_version: i64,
        details: &CandidateDetails,
    ) -> StoreResult<Candidate>;
    /// Deletes the candidate and their applications.
    /// [`StoreError::Conflict`] when `expected_version` is given and the candidate is at another.
    async fn delete_candidate(&self, id: i64, expected_version: Option<i64>) -> StoreResult<()>;
    /// Erases the candidate's personal data everywhere it is held, in one transaction: their
    /// details, the evidence written about them, the reasons given for decisions. Scores,
    /// stages and verdicts stay, anonymous. [`StoreError::NotFound`] without the candidate.
    async fn erase_candidate(&self, id: i64, audit: &NewAuditEntry) -> StoreResult<Erasure>;
}

pub use comment_sql::NewComment;
pub use letter_template_sql::CompanyTemplate;
pub use notification_sql::Digest;
pub use report_sql::{ReportRows, ReportSelection, ReportedApplication, ReportedChange, ReportedInterview};
pub use webhook_sql::{DeliveryOverview, QueuedDelivery, Webhook};

/// How users are told of their work, and what waits for their daily digests.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    async fn notification_settings(&self, user_id: i64) -> StoreResult<crate::domain::user::NotificationSettings>;
    /// [`StoreError::NotFound`] without the user.
    async fn set_notification_settings(
        &self,
        user_id: i64,
        settings: crate::domain::user::NotificationSettings,
    ) -> StoreResult<()>;
    /// Tells active user `user_id` of something as they asked: `at_once` to the outbox, or
    /// `line` (with `link`) kept for their daily digest, or nothing; in one transaction.
    async fn notify(&self, user_id: i64, at_once: &NewMessage, line: &str, link: &str) -> StoreResult<()>;
    /// What waits for each active user's digest.
    async fn waiting_digests(&self) -> StoreResult<Vec<Digest>>;
    /// Writes `mail`, the digest of `digest`'s lines, to the outbox, and marks them sent.
    async fn send_digest(&self, digest: &Digest, mail: &NewMessage) -> StoreResult<()>;
    /// Whether this instance is the first to run `job` on `day` (and so runs it).
    async fn claim_daily_run(&self, job: &str, day: NaiveDate) -> StoreResult<bool>;
}

/// What reports are computed from.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// The applications `selection` covers, the stages each entered, and their interviews.
    async fn report_rows(&self, selection: ReportSelection<'_>) -> StoreResult<ReportRows>;
}

/// Colleagues' comments on candidates.
#[async_trait]
pub trait CommentStore: Send + Sync {
    /// Writes a comment on a candidate, with whom it mentions and its audit entry, in one
    /// transaction: [`StoreError::NotFound`] without the candidate, [`StoreError::Conflict`]
    /// once their data is erased.
    async fn add_comment(&self, new: NewComment<'_>, audit: &NewAuditEntry) -> StoreResult<Comment>;
    /// The comments on candidate `candidate_id`, oldest first.
    async fn list_comments(&self, candidate_id: i64) -> StoreResult<Vec<Comment>>;
}

/// Integrators' webhooks and their deliveries.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Keeps a webhook, signed with `secret`, made by user `by`.
    async fn create_webhook(
        &self,
        hook: &crate::domain::webhook::NewWebhook,
        secret: &str,
        by: i64,
    ) -> StoreResult<Webhook>;
    /// Every webhook, oldest first, each with its newest delivery.
    async fn list_webhooks(&self) -> StoreResult<Vec<Webhook>>;
    /// Deletes it with its deliveries; [`StoreError::NotFound`] without it.
    async fn delete_webhook(&self, id: i64) -> StoreResult<()>;
    /// Claims for `lease` up to `limit` deliveries due at `now` that no other instance holds,
    /// oldest first, as [`OutboxStore::claim_due`] claims mail.
    async fn claim_due_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: chrono::TimeDelta,
        limit: i64,
    ) -> StoreResult<Vec<QueuedDelivery>>;
    /// Records what came of each try (with the HTTP status it was answered with), in one
    /// transaction, where the claim is still the round's.
    async fn record_webhook_deliveries(
        &self,
        outcomes: &[(&QueuedDelivery, crate::domain::mail::Delivery, Option<u16>)],
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}
pub use outbox_sql::{Message, NewMessage, OutboxStatus, QueuedMessage};

/// The letter templates a company wrote itself.
#[async_trait]
pub trait LetterTemplateStore: Send + Sync {
    /// Company `company_id`'s own templates, by kind: only the kinds it wrote.
    async fn letter_templates(&self, company_id: i64) -> StoreResult<Vec<CompanyTemplate>>;
    /// Its own template of `kind`, if it wrote one.
    async fn letter_template(
        &self,
        company_id: i64,
        kind: crate::domain::letter::TemplateKind,
    ) -> StoreResult<Option<crate::domain::letter::BilingualTemplate>>;
    /// Keeps `template` as the company's own of `kind`, both languages at once, changed by
    /// user `by`; [`StoreError::NotFound`] without the company.
    async fn save_letter_template(
        &self,
        company_id: i64,
        kind: crate::domain::letter::TemplateKind,
        template: &crate::domain::letter::BilingualTemplate,
        by: i64,
    ) -> StoreResult<CompanyTemplate>;
    /// The newest application to one of company `company_id`'s profiles, which its templates
    /// are previewed with.
    async fn newest_application_of(&self, company_id: i64) -> StoreResult<Option<i64>>;
    /// Goes back to amfit's template of `kind`; whether the company had its own.
    async fn reset_letter_template(
        &self,
        company_id: i64,
        kind: crate::domain::letter::TemplateKind,
    ) -> StoreResult<bool>;
}

/// The mail waiting to be sent.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims for `lease` up to `limit` messages due at `now` that no other instance holds
    /// (PostgreSQL: rows locked by another are passed over), oldest first.
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: chrono::TimeDelta,
        limit: i64,
    ) -> StoreResult<Vec<QueuedMessage>>;
    /// Whether `message` is still waiting and claimed as it was claimed: not erased, merged
    /// away, or taken over by another instance since.
    async fn still_claimed(&self, message: &QueuedMessage) -> StoreResult<bool>;
    /// Records what each try to send a message came to, in one transaction: sent, to be tried
    /// again after the policy's wait, or failed for good; the claims end.
    async fn record_deliveries(
        &self,
        deliveries: &[(&QueuedMessage, crate::domain::mail::Delivery)],
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Writes a letter to candidate `candidate_id` about their application `application_id` to
    /// the outbox, due at once, with its entry on the audit trail; the letter with the same
    /// message id when there is one already (written once, however often it is sent).
    /// [`StoreError::Conflict`] when the candidate's data was erased (nothing written);
    /// [`StoreError::Duplicate`] when the message id is another candidate's letter's.
    async fn queue_letter(
        &self,
        candidate_id: i64,
        application_id: i64,
        new: &NewMessage,
        audit: &NewAuditEntry,
    ) -> StoreResult<Message>;
    /// The letters written to candidate `candidate_id`, newest first (not the interviewers'
    /// invitations about them).
    async fn messages_of(&self, candidate_id: i64) -> StoreResult<Vec<Message>>;
    /// How many calendar entries application `application_id`'s interview was sent as, to
    /// anyone: the next one's SEQUENCE.
    async fn calendar_versions(&self, application_id: i64) -> StoreResult<i64>;
    /// The last calendar entry the candidate of application `application_id` was sent about
    /// its interview, if any, with the language its letter was written in.
    async fn candidate_calendar_entry(
        &self,
        application_id: i64,
    ) -> StoreResult<Option<(String, crate::domain::profile::AdLanguage)>>;
}

/// Candidates marked as possible duplicates of others, and what a recruiter does about them.
#[async_trait]
pub trait DuplicateStore: Send + Sync {
    /// Carries out `plan` in one transaction with its entry on the audit trail: the newer
    /// record's applications and documents become the existing candidate's, the existing
    /// candidate's details become the plan's, and the newer record goes. Records marked as
    /// possible duplicates of the newer one are marked as duplicates of the existing one.
    /// [`StoreError::Conflict`] (and nothing written) when either record changed after the plan
    /// was made: a version, the mark, an application.
    async fn merge_candidates(&self, plan: &MergePlan, audit: &NewAuditEntry) -> StoreResult<Candidate>;
    /// Takes the possible-duplicate mark off candidate `id`, still at `expected_version`, with
    /// its entry on the audit trail: a recruiter judged them to be someone else, or the
    /// application not theirs. [`StoreError::Conflict`] at another version or without a mark.
    async fn keep_apart(&self, id: i64, expected_version: i64, audit: &NewAuditEntry) -> StoreResult<Candidate>;
    /// The candidates marked as possible duplicates of candidate `id`, oldest first.
    async fn possible_duplicates_of(&self, id: i64) -> StoreResult<Vec<Candidate>>;
}

/// What the retention period asks of the store: who it may run out for, and anonymising them.
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// The candidates, not yet anonymised, whose applications all ended in a rejection (or who
    /// have none): those the retention period may run out for, by id.
    async fn retention_candidates(&self) -> StoreResult<Vec<RetentionCandidate>>;
    /// Anonymises candidate `id`, as [`erase_candidate`](CandidateStore::erase_candidate) does, when
    /// `policy` says they are due at `now`, judged again within the transaction that does it,
    /// with an entry on the audit trail. A candidate another instance is processing at this
    /// moment, or one anonymised already, is skipped, so that no candidate is processed twice.
    async fn anonymise_if_due(&self, id: i64, policy: RetentionPolicy, now: DateTime<Utc>) -> StoreResult<PurgeStep>;
}

/// Applications, their stages and the decisions about them.
#[async_trait]
pub trait ApplicationStore: Send + Sync {
    async fn list_applications(&self, of: ApplicationsOf) -> StoreResult<Vec<ApplicationOverview>>;
    /// The candidates with an application to `profile_id`.
    async fn applicant_ids(&self, profile_id: i64) -> StoreResult<HashSet<i64>>;
    async fn get_application(&self, id: i64) -> StoreResult<ApplicationOverview>;
    /// [`StoreError::NotFound`] without the candidate or the profile, [`StoreError::Duplicate`]
    /// when the candidate applied to the profile already.
    async fn create_application(&self, new: NewApplication) -> StoreResult<ApplicationOverview>;
    /// Moves the application to `stage` and records who did it; [`StoreError::Conflict`] when
    /// `expected_version` (its number of stage changes, [`Application::version`]) is given and
    /// the application has had another number.
    async fn change_stage(
        &self,
        id: i64,
        stage: Stage,
        by: i64,
        expected_version: Option<i64>,
        audit: &NewAuditEntry,
    ) -> StoreResult<ApplicationOverview>;
    /// Records a decision and moves the application to its stage, in one transaction.
    /// [`StoreError::Conflict`] when the application is no longer at `from`.
    async fn record_decision(&self, new: NewDecision<'_>, audit: &NewAuditEntry) -> StoreResult<Decision>;
    /// The decisions, oldest first.
    async fn list_decisions(&self, of: ApplicationsOf) -> StoreResult<Vec<Decision>>;
}

/// Interview plans and the interviewers' scorecards.
#[async_trait]
pub trait InterviewStore: Send + Sync {
    /// The application's interview plan.
    async fn list_assignments(&self, application_id: i64) -> StoreResult<Vec<Assignment>>;
    /// The interview plans of every application to the profile.
    async fn list_profile_assignments(&self, profile_id: i64) -> StoreResult<Vec<Assignment>>;
    /// What `interviewer_id` is assigned to, with the applications.
    async fn list_assignments_of(&self, interviewer_id: i64) -> StoreResult<Vec<(Assignment, ApplicationOverview)>>;
    async fn get_assignment(&self, id: i64) -> StoreResult<Assignment>;
    /// The interviews of open applications of candidates not erased that begin before `before`
    /// and whose scorecard has not been submitted, earliest first, with the applications.
    async fn unscored_interviews(
        &self,
        before: chrono::NaiveDateTime,
    ) -> StoreResult<Vec<(Assignment, ApplicationOverview)>>;
    /// Assigns (or re-assigns) an interviewer the competencies; [`StoreError::NotFound`]
    /// without the application or the user.
    async fn assign(
        &self,
        application_id: i64,
        interviewer_id: i64,
        competencies: &[String],
    ) -> StoreResult<Assignment>;
    /// Takes assignment `id` off its interview plan, writing `messages` (the calendar entries
    /// it cancels) to the outbox in the same transaction.
    async fn remove_assignment(&self, id: i64, messages: &[NewMessage]) -> StoreResult<()>;
    /// Sets (or with `None` clears) the time of the application's interviews with each of
    /// `interviewer_ids`, and writes the `invitations` (the calendar entries that say so) to
    /// the outbox, in one transaction; returns the plan.
    async fn schedule(
        &self,
        application_id: i64,
        interviewer_ids: &[i64],
        slot: Option<&InterviewSlot>,
        invitations: &[NewMessage],
    ) -> StoreResult<Vec<Assignment>>;

    /// The profile's default interview panel, by name.
    async fn list_panel(&self, profile_id: i64) -> StoreResult<Vec<PanelMember>>;
    /// Puts an interviewer on the profile's default panel, or gives them new competencies;
    /// [`StoreError::NotFound`] without the profile or the user.
    async fn set_panel_member(
        &self,
        profile_id: i64,
        interviewer_id: i64,
        competencies: &[String],
    ) -> StoreResult<PanelMember>;
    /// [`StoreError::NotFound`] when the interviewer is not on the panel.
    async fn remove_panel_member(&self, profile_id: i64, interviewer_id: i64) -> StoreResult<()>;
    /// Takes competencies the rubric no longer has off every panel (a member left with none
    /// goes); returns how many members changed.
    async fn prune_panels(&self, known: &[&str]) -> StoreResult<u64>;
    /// Gives every application of the profile its active default panel members it does not
    /// have yet, unless it is closed; returns how many interviewers were planned.
    async fn apply_panel(&self, profile_id: i64) -> StoreResult<u64>;

    /// Every scorecard version, drafts included, by assignment and version number.
    async fn list_scorecards(&self, of: ScorecardsOf) -> StoreResult<Vec<Scorecard>>;
    /// Saves the assignment's current scorecard as a draft, or submits it (which locks it).
    /// [`StoreError::Conflict`] when the current one is submitted already.
    async fn write_scorecard(
        &self,
        assignment_id: i64,
        card: &ScorecardContent,
        rubric_version: &str,
        submit: bool,
        audit: &NewAuditEntry,
    ) -> StoreResult<Scorecard>;
    /// Starts a correction of a submitted scorecard: a new draft version with its content.
    /// [`StoreError::Conflict`] while the current one is still a draft, `NotFound` with none.
    async fn start_correction(&self, assignment_id: i64, audit: &NewAuditEntry) -> StoreResult<Scorecard>;
}

/// The sqlx database type behind a store backend, and its SQL where the two differ, for code
/// the backends share.
pub trait Backend {
    type Db: sqlx::Database;
    const DIALECT: Dialect;
}

impl Backend for SqliteStore {
    type Db = sqlx::Sqlite;
    const DIALECT: Dialect = Dialect::Sqlite;
}

impl Backend for PgStore {
    type Db = sqlx::Postgres;
    const DIALECT: Dialect = Dialect::Postgres;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// A query whose one value is every row of `select` as a JSON array (text), in no
    /// particular order (the caller sorts: an ordered aggregate tripled SQLite's time).
    /// `columns` are the select's column names; `embedded` those holding JSON that SQLite keeps
    /// as text. Lists are read this way because sqlx's SQLite driver hands rows over one at a
    /// time between threads: about 12 µs a row, measured on the candidate list.
    pub fn json_rows(self, select: &str, columns: &[&str], embedded: &[&str]) -> String {
        match self {
            Dialect::Sqlite => {
                let pairs: Vec<String> = columns
                    .iter()
                    .map(|c| if embedded.contains(c) { format!("'{c}', json(t.{c})") } else { format!("'{c}', t.{c}") })
                    .collect();
                format!("SELECT json_group_array(json_object({})) FROM ({select}) t", pairs.join(", "))
            }
            Dialect::Postgres => format!("SELECT COALESCE(json_agg(t), '[]')::text FROM ({select}) t"),
        }
    }

    /// As [`json_rows`](Self::json_rows), each row a JSON array of its `columns` in order
    /// instead of an object: a struct reads its fields from it in the order it declares them,
    /// without matching keys, for the lists read most often.
    pub fn json_tuples(self, select: &str, columns: &[&str], embedded: &[&str]) -> String {
        let values: Vec<String> = columns
            .iter()
            .map(|c| match self {
                Dialect::Sqlite if embedded.contains(c) => format!("json(t.{c})"),
                _ => format!("t.{c}"),
            })
            .collect();
        let tuples = self.json_array_of(&values.join(", "));
        match self {
            Dialect::Sqlite => format!("SELECT json_group_array({tuples}) FROM ({select}) t"),
            Dialect::Postgres => format!("SELECT COALESCE(json_agg({tuples}), '[]')::text FROM ({select}) t"),
        }
    }

    /// A JSON array of `values` (SQL expressions, comma-separated) as one value.
    pub fn json_array_of(self, values: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_array({values})"),
            Dialect::Postgres => format!("json_build_array({values})"),
        }
    }

    /// The condition that candidate `c` has words starting with each of `words`, the search
    /// bound as `param` ([`word_query`](Self::word_query)), answered by the full-text index.
    pub fn words_match(self, param: &str) -> String {
        match self {
            Dialect::Sqlite => {
                format!("c.id IN (SELECT rowid FROM candidate_words_index WHERE candidate_words_index MATCH {param})")
            }
            Dialect::Postgres => format!(
                "c.id IN (SELECT candidate_id FROM candidate_words \
                 WHERE to_tsvector('simple', words) @@ to_tsquery('simple', {param}))"
            ),
        }
    }

    /// The full-text query for records with a word starting with each of `words` (letters and
    /// digits only, as [`crate::domain::search::words`] gives them: nothing to escape).
    pub fn word_query(self, words: &[String]) -> String {
        match self {
            Dialect::Sqlite => words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
            Dialect::Postgres => words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & "),
        }
    }

    /// Begins a transaction that will write after reading. SQLite takes its one write lock at
    /// once, so that a second writer waits instead of failing when the read turns into a write;
    /// PostgreSQL locks rows as the statements name them.
    pub fn begin_to_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        }
    }

    /// A statement that holds a lock named by its one parameter until the transaction ends, so
    /// that two transactions about the same thing (an email address) run one after the other.
    /// SQLite needs none: [`begin_to_write`](Self::begin_to_write) holds the database.
    pub fn lock_name(self) -> Option<&'static str> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some("SELECT pg_advisory_xact_lock(hashtext($1))"),
        }
    }

    /// Ends a select that locks the rows it returns and passes over rows another transaction
    /// holds. SQLite needs none: [`begin_to_write`](Self::begin_to_write) holds the database.
    pub fn lock_or_skip(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
        }
    }

    /// A lock as [`lock`](Self::lock) takes, on the rows of `alias` only in a select of
    /// joined tables.
    pub fn lock_of(self, alias: &str) -> String {
        match self {
            Dialect::Sqlite => String::new(),
            Dialect::Postgres => format!("FOR UPDATE OF {alias}"),
        }
    }

    /// The same for a select of joined tables, locking only the rows of `alias`.
    pub fn lock_or_skip_of(self, alias: &str) -> String {
        match self {
            Dialect::Sqlite => String::new(),
            Dialect::Postgres => format!("FOR UPDATE OF {alias} SKIP LOCKED"),
        }
    }

    /// Ends a select that locks the rows it returns until the transaction ends, waiting for a
    /// transaction that holds one. SQLite needs none, as above.
    pub fn lock(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => "FOR UPDATE",
        }
    }
}

/// What an erasure request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    Erased,
    /// The data was erased by an earlier request; nothing was left to do.
    AlreadyErased,
}

/// What one step of a purge did with a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeStep {
    Anonymised,
    Kept(Retention),
    /// Anonymised already, or being processed by another instance.
    Skipped,
}

/// A candidate retention may be due for, with what it judges them by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionCandidate {
    pub id: i64,
    pub name: String,
    pub record: RetentionRecord,
}

/// Whose applications to list.
#[derive(Debug, Clone, Copy)]
pub enum ApplicationsOf {
    Candidate(i64),
    Profile(i64),
    /// Those to the profiles this user is the hiring manager of.
    HiringManager(i64),
}

impl ApplicationsOf {
    /// The SQL condition over applications `a`, taking the id as `$1`.
    pub(crate) fn filter(self) -> (&'static str, i64) {
        match self {
            ApplicationsOf::Candidate(id) => ("a.candidate_id = $1", id),
            ApplicationsOf::Profile(id) => ("a.profile_id = $1", id),
            ApplicationsOf::HiringManager(id) => {
                ("a.profile_id IN (SELECT id FROM role_profiles WHERE hiring_manager_id = $1)", id)
            }
        }
    }
}

/// Whose scorecards to list.
#[derive(Debug, Clone, Copy)]
pub enum ScorecardsOf {
    Application(i64),
    Profile(i64),
    All,
}

/// A decision to record; `from` is the stage it was checked against.
#[derive(Debug, Clone, Copy)]
pub struct NewDecision<'a> {
    pub application_id: i64,
    pub verdict: Verdict,
    pub reason: &'a str,
    pub from: Stage,
    pub to: Stage,
    pub by: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct NewApplication {
    pub candidate_id: i64,
    pub profile_id: i64,
    pub applied_on: chrono::NaiveDate,
    pub by: i64,
}

/// A candidate with how many applications they have, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateOverview {
    pub candidate: Candidate,
    pub application_count: i64,
    /// Of those, the ones no recruiter has opened yet.
    pub new_applications: i64,
}

/// A search of the candidate list, as the store runs it; what a page found is kept by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CandidateSearch {
    pub filter: CandidateFilter,
    /// Only applicants to the profiles this hiring manager owns, and only those applications.
    pub hiring_manager: Option<i64>,
    pub order: ListOrder,
    /// The candidate the previous page ended with.
    pub after: Option<i64>,
    pub fetch: usize,
    /// Whether to read each candidate's applications too (a page shows them; the API's list
    /// does not, and is about three times as fast without).
    pub with_applications: bool,
}

/// A candidate as the list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCandidate {
    pub candidate: Candidate,
    /// When anything last happened to them: added, edited, moved, scored, decided on.
    pub last_activity_at: DateTime<Utc>,
    /// Their applications the reader may see, oldest first (when the search asked for them).
    pub applications: Vec<ListedApplication>,
}

/// An application in a line of the candidate list; read as a JSON tuple, in the order of the
/// fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ListedApplication {
    pub id: i64,
    pub profile_id: i64,
    pub profile_title: String,
    pub stage: Stage,
    /// No recruiter has opened it yet.
    #[serde(deserialize_with = "rows::flag")]
    pub is_new: bool,
    /// What a stage change must name ([`Application::version`]).
    pub version: i64,
}

/// An application with the names lists and pages show beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationOverview {
    pub application: Application,
    pub candidate_name: String,
    pub profile_title: String,
    pub company_id: i64,
    pub company_name: String,
    /// Where the company holds its interviews.
    pub time_zone: chrono_tz::Tz,
    /// The profile's owner, for the hiring manager's view.
    pub hiring_manager_id: Option<i64>,
}

/// A link to set a password, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordLink {
    pub user_id: i64,
    pub purpose: crate::domain::user::LinkPurpose,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// Users, API tokens and failed logins.
#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn has_users(&self) -> StoreResult<bool>;
    /// Creates the user only while no user exists (the first-start admin); `None` otherwise,
    /// also when another instance won the race.
    async fn create_first_user(&self, user: UserRecord<'_>) -> StoreResult<Option<User>>;
    /// Fails with [`StoreError::Duplicate`] when the email address is taken.
    async fn create_user(&self, user: UserRecord<'_>, audit: AuditOfCreated<'_>) -> StoreResult<User>;
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    async fn get_user(&self, id: i64) -> StoreResult<User>;
    /// The user with this (lowercased) email address and their password hash.
    async fn find_login(&self, email: &str) -> StoreResult<Option<(User, String)>>;
    /// Keeps a link for user `user_id` to set their password (its secret's `digest`), working
    /// until `expires_at`, with `mail`, the message that carries it, in one transaction; the
    /// user's earlier unused links of the same purpose stop working.
    async fn create_password_link(
        &self,
        user_id: i64,
        digest: &str,
        purpose: crate::domain::user::LinkPurpose,
        expires_at: DateTime<Utc>,
        mail: &NewMessage,
    ) -> StoreResult<()>;
    /// The link whose secret has this digest, used or not.
    async fn password_link(&self, digest: &str) -> StoreResult<Option<PasswordLink>>;
    /// Sets the password of the link's user as [`set_password`](Self::set_password) does (their
    /// sessions and API tokens end), marks the link used and every other link of theirs void,
    /// in one transaction. [`StoreError::Conflict`] when the link was used or had expired by
    /// then (a second use racing the first).
    async fn use_password_link(&self, digest: &str, password_hash: &str, audit: &NewAuditEntry) -> StoreResult<User>;
    async fn set_user_role(&self, id: i64, role: Role, audit: &NewAuditEntry) -> StoreResult<User>;
    /// Deactivating also revokes the user's API tokens and invalidates their sessions.
    async fn set_user_active(&self, id: i64, active: bool, audit: &NewAuditEntry) -> StoreResult<User>;
    /// Replaces the user's password hash and ends every session they have (the session epoch
    /// moves on); the caller keeps its own session by storing the new epoch in it. With
    /// `end_tokens`, every API token of theirs is revoked in the same transaction.
    async fn set_password(
        &self,
        id: i64,
        password_hash: &str,
        end_tokens: bool,
        audit: &NewAuditEntry,
    ) -> StoreResult<User>;

    /// Stores a new API token by its hash, valid until `expires_at` if given; returns its id.
    async fn create_token(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: Option<DateTime<Utc>>,
        audit: AuditOfCreated<'_>,
    ) -> StoreResult<i64>;
    /// The active user an unrevoked, unexpired token belongs to.
    async fn user_for_token(&self, token_hash: &str) -> StoreResult<Option<User>>;
    async fn revoke_token(&self, id: i64, audit: &NewAuditEntry) -> StoreResult<()>;
    /// Every token ever made, revoked and expired ones too, by id.
    async fn list_tokens(&self) -> StoreResult<Vec<TokenOverview>>;

    /// Records an attempt at a throttled action (a login, an application) against each subject
    /// (an account, a client address) before the action is tried, each committed before it
    /// returns, so that every later count sees it: parallel tries cannot all pass under the
    /// limit. Returns the attempts' ids.
    async fn record_attempt(&self, subjects: &[&str], at: DateTime<Utc>) -> StoreResult<Vec<i64>>;
    /// The attempts recorded against `subject` since `since`.
    async fn count_attempts(&self, subject: &str, since: DateTime<Utc>) -> StoreResult<i64>;
    /// After a successful login: forgets its own `attempts` and every earlier one of `subject`.
    async fn forget_attempts(&self, attempts: &[i64], subject: &str) -> StoreResult<()>;
    /// Forgets every attempt made before `before`; how many.
    async fn forget_attempts_before(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// Runs a write that returns a row in a transaction of its own, and commits it. Read straight
/// from the pool with `fetch_one`/`fetch_optional`, an autocommit SQLite statement commits
/// only when sqlx resets it after the first row: the commit's error (a full disk) is dropped
/// there, and a commit made that way never starts a WAL checkpoint. An explicit `COMMIT` is
/// stepped to its end, so both happen as they should.
pub(crate) async fn write_returning<'q, DB, O>(
    pool: &sqlx::Pool<DB>,
    query: sqlx::query::QueryAs<'q, DB, O, <DB as sqlx::Database>::Arguments<'q>>,
) -> Result<Option<O>, sqlx::Error>
where
    DB: sqlx::Database,
    O: Send + Unpin + for<'r> sqlx::FromRow<'r, DB::Row>,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
{
    let mut tx = pool.begin().await?;
    let row = query.fetch_optional(&mut *tx).await?;
    tx.commit().await?;
    Ok(row)
}

/// An API token as `amfit token list` shows it: never the token itself, which is not stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenOverview {
    pub id: i64,
    pub user_id: i64,
    pub user_email: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// [`StoreError::NotFound`] when a statement aimed at one record touched none.
pub(crate) fn touched(rows: u64) -> StoreResult<()> {
    if rows == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Opens the store the URL's scheme names (`sqlite:` or `postgres:`/`postgresql:`) and
/// migrates it.
pub async fn connect(url: &str) -> StoreResult<Arc<dyn Store>> {
    connect_with(url, PoolSettings::default()).await
}

/// The connections of one instance's pool at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoolUse {
    /// The most it keeps.
    pub max: u32,
    /// Open now, in use or idle.
    pub open: u32,
    pub idle: u32,
    /// How long taking a connection from the pool took just now: what a request would wait.
    pub acquire_wait: std::time::Duration,
}

/// The outbox's backlog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxBacklog {
    /// Letters waiting for their first or next try.
    pub queued: i64,
    /// Letters the mail server refused for good, or that failed every try.
    pub failed: i64,
    /// When the letter that has waited longest was written.
    pub oldest_queued_at: Option<DateTime<Utc>>,
}

/// How one instance uses a PostgreSQL server's connections (SQLite has one writer and needs
/// none of this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// The connections this instance keeps at most: the instances together must stay within
    /// the server's `max_connections`.
    pub max_connections: u32,
    /// How long a request waits for a free connection before it fails as unavailable (503).
    pub acquire_timeout: std::time::Duration,
    /// How long one statement may run before the server cancels it (503); the server's own
    /// setting when `None`.
    pub statement_timeout: Option<std::time::Duration>,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self { max_connections: 16, acquire_timeout: WRITE_WAIT, statement_timeout: None }
    }
}

/// [`connect`], with `pool` for PostgreSQL.
pub async fn connect_with(url: &str, pool: PoolSettings) -> StoreResult<Arc<dyn Store>> {
    let store: Arc<dyn Store> = match url.split_once(':').map(|(scheme, _)| scheme) {
        Some("sqlite") => Arc::new(SqliteStore::connect(url).await?),
        Some("postgres" | "postgresql") => Arc::new(PgStore::connect(url, pool).await?),
        _ => {
            return Err(StoreError::Url(format!(
                "unsupported scheme in {}; use sqlite:PATH or postgres://…",
                redact_url(url)
            )));
        }
    };
    store.migrate().await?;
    Ok(store)
}

/// The URL with any password replaced, fit for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else { return "<unparseable URL>".to_owned() };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("********"));
    }
    // libpq's URLs may carry the password as a parameter too.
    let secret = |key: &str| matches!(key, "password" | "sslpassword");
    if parsed.query_pairs().any(|(key, _)| secret(&key)) {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(key, value)| {
                let value = if secret(&key) { "********".to_owned() } else { value.into_owned() };
                (key.into_owned(), value)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::{redact_url, sqlite_code_is_transient, sqlstate_is_transient};

    #[test]
    fn a_full_busy_or_unreachable_database_is_worth_a_retry_and_a_broken_rule_is_not() {
        // SQLITE_FULL, SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED, SQLITE_IOERR_WRITE
        for code in ["13", "5", "517", "6", "778"] {
            assert!(sqlite_code_is_transient(code), "{code}");
        }
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_CHECK, SQLITE_ERROR, not a number
        for code in ["2067", "275", "1", "x"] {
            assert!(!sqlite_code_is_transient(code), "{code}");
        }
        for state in ["08006", "53100", "53300", "57P03", "40001", "40P01", "55P03"] {
            assert!(sqlstate_is_transient(state), "{state}");
        }
        for state in ["23505", "23514", "22021", "42P01"] {
            assert!(!sqlstate_is_transient(state), "{state}");
        }
    }

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(redact_url("postgres://amfit:s3cret@db:5432/amfit"), "postgres://amfit:********@db:5432/amfit");
        assert_eq!(redact_url("sqlite:data/amfit.db"), "sqlite:data/amfit.db");
        assert!(!redact_url("postgres://a:s3cret@c d/").contains("s3cret"));
        let in_query = redact_url("postgres://db/amfit?user=amfit&password=s3cret&sslmode=require");
        assert_eq!(in_query, "postgres://db/amfit?user=amfit&password=********&sslmode=require");
    }
}
