//! The shared SQL implementation of [`IntakeStore`](super::IntakeStore): applications that
//! candidates send themselves, the documents that come with them, and candidates imported from
//! a file, for both backends.

/// A document's columns but its content, as [`DocumentRow`] reads them.
pub const DOCUMENT_COLUMNS: &str =
    "id, candidate_id, application_id, kind, format, file_name, size, text_state, uploaded_at";

/// A document as stored, without its bytes.
#[derive(sqlx::FromRow)]
pub struct DocumentRow {
    id: i64,
    candidate_id: i64,
    application_id: Option<i64>,
    kind: String,
    format: String,
    file_name: String,
    size: i64,
    text_state: String,
    uploaded_at: chrono::DateTime<chrono::Utc>,
}

/// A document with its bytes, as one read fetches them.
#[derive(sqlx::FromRow)]
pub struct DocumentWithContent {
    #[sqlx(flatten)]
    pub info: DocumentRow,
    pub content: Vec<u8>,
}

impl TryFrom<DocumentRow> for crate::domain::document::DocumentInfo {
    type Error = super::StoreError;

    fn try_from(row: DocumentRow) -> Result<Self, super::StoreError> {
        let corrupt = |column: &str, value: &str| super::StoreError::Corrupt(format!("document {column} {value:?}"));
        Ok(Self {
            id: row.id,
            candidate_id: row.candidate_id,
            application_id: row.application_id,
            kind: row.kind.parse().map_err(|_| corrupt("kind", &row.kind))?,
            format: row.format.parse().map_err(|_| corrupt("format", &row.format))?,
            file_name: row.file_name,
            size: row.size,
            text: row.text_state.parse().map_err(|_| corrupt("text state", &row.text_state))?,
            uploaded_at: row.uploaded_at,
        })
    }
}

/// A confirmation link as stored.
#[derive(sqlx::FromRow)]
pub struct ConfirmationRow {
    id: i64,
    candidate_id: i64,
    profile_id: Option<i64>,
    language: String,
    joins_record: bool,
    talent_pool: bool,
    expires_at: chrono::DateTime<chrono::Utc>,
    used_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl TryFrom<ConfirmationRow> for super::MailConfirmation {
    type Error = super::StoreError;

    fn try_from(row: ConfirmationRow) -> Result<Self, super::StoreError> {
        let language = row
            .language
            .parse()
            .map_err(|_| super::StoreError::Corrupt(format!("confirmation language {:?}", row.language)))?;
        Ok(Self {
            id: row.id,
            candidate_id: row.candidate_id,
            profile_id: row.profile_id,
            language,
            joins_record: row.joins_record,
            talent_pool: row.talent_pool,
            expires_at: row.expires_at,
            used_at: row.used_at,
        })
    }
}

/// How many receipts one address gets in a day, however many applications give it: enough for
/// anyone who applies to several jobs, too few for the form to bomb a stranger's mailbox.
pub const RECEIPTS_PER_ADDRESS: i64 = 3;

/// Implements `IntakeStore` for a backend struct with a `pool` field.
macro_rules! impl_intake_store {
    ($backend:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};
            use $crate::domain::candidate::{CandidateDetails, Stage};
            use $crate::domain::document::{DocumentInfo, ReceivedDocument};
            use $crate::domain::import::ImportEntry;
            use $crate::store::idempotency_sql::keep_answer;
            use $crate::store::user_sql::duplicate_or;
            use $crate::store::Backend;
            use $crate::store::candidate_sql::{INSERT_CANDIDATE, bind_candidate};
            use $crate::store::intake_sql::{DOCUMENT_COLUMNS, DocumentRow, DocumentWithContent, RECEIPTS_PER_ADDRESS};
            use $crate::store::audit_sql::insert_audit;
            use $crate::domain::profile::AdLanguage;
            use $crate::domain::retention::TalentPoolConsent;
            use $crate::store::intake_sql::ConfirmationRow;
            use $crate::store::{
                AuditOfCreated, ConfirmationAsked, Imported, Intake, IntakeStore, MailConfirmation, NewAuditEntry,
                NewIntake, StoreError, StoreResult,
            };

            type Tx<'c> = sqlx::Transaction<'c, <$backend as Backend>::Db>;

            #[async_trait::async_trait]
            impl IntakeStore for $backend {
                async fn receive_application(&self, new: NewIntake<'_>, audit: AuditOfCreated<'_>) -> StoreResult<Intake> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    if let Some(lock) = Self::DIALECT.lock_name() {
                        sqlx::query(lock).bind(&new.details.email).execute(&mut *tx).await?;
                    }
                    let possible_duplicate_of = known_candidate(&mut tx, &new.details.email).await?;
                    let candidate_id = insert_candidate(&mut tx, new.details, possible_duplicate_of, now).await?;
                    let application_id = new_application(&mut tx, candidate_id, new, now).await?;
                    let intake = Intake { candidate_id, application_id, possible_duplicate_of };
                    for document in new.documents {
                        insert_document(&mut tx, candidate_id, Some(application_id), document, now).await?;
                    }
                    Self::index_candidate(&mut tx, candidate_id).await?;
                    if receipts_lately(&mut tx, &new.details.email, now).await? < RECEIPTS_PER_ADDRESS {
                        <$backend>::queue_message(&mut tx, Some(candidate_id), Some(application_id), new.receipt).await?;
                        if let Some(asked) = new.confirmation {
                            ask_to_confirm(&mut tx, &intake, new.profile_id, asked, new.language, now).await?;
                        }
                    }
                    insert_audit!(&mut *tx, &audit(application_id));
                    keep_answer!(tx, &intake);
                    tx.commit().await?;
                    Ok(intake)
                }

                async fn import_candidates(
                    &self,
                    entries: &[ImportEntry],
                    by: Option<i64>,
                    trail: &[NewAuditEntry],
                ) -> StoreResult<Imported> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let mut imported = Imported::default();
                    for entry in entries {
                        let candidate_id = match known_candidate(&mut tx, &entry.details.email).await? {
                            Some(id) => id,
                            None => {
                                imported.new_candidates += 1;
                                let id = insert_candidate(&mut tx, &entry.details, None, now).await?;
                                Self::index_candidate(&mut tx, id).await?;
                                id
                            }
                        };
                        let created: Option<(i64,)> = sqlx::query_as(
                            "INSERT INTO applications (candidate_id, profile_id, stage, applied_on, created_at, source, seen_at) \
                             SELECT $1, p.id, $3, $4, $5, $6, $5 FROM role_profiles p WHERE p.id = $2 RETURNING id",
                        )
                        .bind(candidate_id)
                        .bind(entry.profile_id)
                        .bind(entry.stage.as_str())
                        .bind(entry.applied_on)
                        .bind(now)
                        .bind(&entry.details.source)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(duplicate_or)?;
                        let (application_id,) = created.ok_or(StoreError::NotFound)?;
                        // Days in the stage count from the day the file gives, not from the import;
                        // at noon UTC, which is that day in every time zone a company may use.
                        let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
                        let entered = entry.stage_since.and_time(noon).and_utc().min(now);
                        Self::start_application(&mut tx, application_id, entry.stage, by, (entered, now)).await?;
                        imported.applications += 1;
                    }
                    for entry in trail {
                        insert_audit!(&mut *tx, entry);
                    }
                    tx.commit().await?;
                    Ok(imported)
                }

                async fn add_document(
                    &self,
                    candidate_id: i64,
                    application_id: Option<i64>,
                    document: &ReceivedDocument,
                    audit: &NewAuditEntry,
                ) -> StoreResult<DocumentInfo> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // Held till the end on PostgreSQL: an erasure runs before or after, never between.
                    let sql = format!("SELECT erased_at, version FROM candidates WHERE id = $1 {}", Self::DIALECT.lock());
                    let found: Option<(Option<DateTime<Utc>>, i64)> =
                        sqlx::query_as(&sql).bind(candidate_id).fetch_optional(&mut *tx).await?;
                    match found {
                        None => return Err(StoreError::NotFound),
                        Some((Some(_), version)) => return Err(StoreError::Conflict { current_version: version }),
                        Some((None, _)) => {}
                    }
                    let row = insert_document(&mut tx, candidate_id, application_id, document, now).await?;
                    let info: DocumentInfo = row.ok_or(StoreError::NotFound)?.try_into()?;
                    Self::index_candidate(&mut tx, candidate_id).await?;
                    insert_audit!(&mut *tx, audit);
                    keep_answer!(tx, &info);
                    tx.commit().await?;
                    Ok(info)
                }

                async fn list_documents(&self, candidate_id: i64) -> StoreResult<Vec<DocumentInfo>> {
                    let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE candidate_id = $1 ORDER BY id");
                    let rows: Vec<DocumentRow> = sqlx::query_as(&sql).bind(candidate_id).fetch_all(&self.pool).await?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn read_document(&self, candidate_id: i64, id: i64) -> StoreResult<(DocumentInfo, Vec<u8>)> {
                    let sql =
                        format!("SELECT {DOCUMENT_COLUMNS}, content FROM documents WHERE candidate_id = $1 AND id = $2");
                    let row: Option<DocumentWithContent> =
                        sqlx::query_as(&sql).bind(candidate_id).bind(id).fetch_optional(&self.pool).await?;
                    let DocumentWithContent { info, content } = row.ok_or(StoreError::NotFound)?;
                    Ok((info.try_into()?, content))
                }

                async fn mail_confirmation(&self, digest: &str) -> StoreResult<Option<MailConfirmation>> {
                    let row: Option<ConfirmationRow> = sqlx::query_as(
                        "SELECT id, candidate_id, profile_id, language, joins_record, talent_pool, expires_at, \
                         used_at FROM mail_confirmations WHERE token_digest = $1",
                    )
                    .bind(digest)
                    .fetch_optional(&self.pool)
                    .await?;
                    row.map(TryInto::try_into).transpose()
                }

                async fn consent_waiting_until(&self, candidate_id: i64) -> StoreResult<Option<DateTime<Utc>>> {
                    let (until,): (Option<DateTime<Utc>>,) = sqlx::query_as(
                        "SELECT MAX(expires_at) FROM mail_confirmations WHERE candidate_id = $1 AND talent_pool \
                         AND used_at IS NULL AND expires_at > $2",
                    )
                    .bind(candidate_id)
                    .bind(chrono::Utc::now())
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(until)
                }

                async fn use_mail_confirmation(
                    &self,
                    id: i64,
                    consent: Option<TalentPoolConsent>,
                    trail: &[NewAuditEntry],
                ) -> StoreResult<()> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // Marked used only if it still works: of two uses at once, one marks it.
                    let used: Option<(i64,)> = sqlx::query_as(
                        "UPDATE mail_confirmations SET used_at = $2 WHERE id = $1 AND used_at IS NULL \
                         AND expires_at > $2 AND candidate_id IN (SELECT id FROM candidates WHERE erased_at IS NULL) \
                         RETURNING candidate_id",
                    )
                    .bind(id)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some((candidate_id,)) = used else {
                        return Err(StoreError::Conflict { current_version: 0 });
                    };
                    if let Some(consent) = consent {
                        sqlx::query(
                            "UPDATE candidates SET talent_pool_given_on = $2, talent_pool_until = $3, \
                             talent_pool_given_via = $4, version = version + 1, updated_at = $5 \
                             WHERE id = $1 AND (talent_pool_until IS NULL OR talent_pool_until < $3)",
                        )
                        .bind(candidate_id)
                        .bind(consent.given_on)
                        .bind(consent.until)
                        .bind(consent.given_via.map(|via| via.as_str()))
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                    for entry in trail {
                        insert_audit!(&mut *tx, entry);
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn mark_seen(&self, candidate_id: i64, at: DateTime<Utc>) -> StoreResult<u64> {
                    let done = sqlx::query(
                        "UPDATE applications SET seen_at = $2 WHERE candidate_id = $1 AND seen_at IS NULL",
                    )
                    .bind(candidate_id)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected())
                }
            }

            /// Keeps the link `asked` and writes its letter: to join the known candidate's record
            /// (and the consent), or, for a new address, the consent alone when it was asked.
            async fn ask_to_confirm(
                tx: &mut Tx<'_>,
                intake: &Intake,
                profile_id: i64,
                asked: ConfirmationAsked<'_>,
                language: AdLanguage,
                now: DateTime<Utc>,
            ) -> StoreResult<()> {
                let joins_record = intake.possible_duplicate_of.is_some();
                let letter = if joins_record { Some(asked.if_known) } else { asked.if_new };
                let Some(letter) = letter else { return Ok(()) };
                sqlx::query(
                    "INSERT INTO mail_confirmations (candidate_id, profile_id, token_digest, language, \
                     joins_record, talent_pool, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(intake.candidate_id)
                .bind(profile_id)
                .bind(asked.token_digest)
                .bind(language.as_str())
                .bind(joins_record)
                .bind(asked.talent_pool)
                .bind(now)
                .bind(asked.expires_at)
                .execute(&mut **tx)
                .await?;
                <$backend>::queue_message(tx, Some(intake.candidate_id), Some(intake.application_id), letter).await?;
                Ok(())
            }

            /// The candidate, not erased, with this email address (the oldest, should there be two).
            async fn known_candidate(tx: &mut Tx<'_>, email: &str) -> StoreResult<Option<i64>> {
                let found: Option<(i64,)> = sqlx::query_as(
                    "SELECT id FROM candidates WHERE email = $1 AND erased_at IS NULL ORDER BY id LIMIT 1",
                )
                .bind(email)
                .fetch_optional(&mut **tx)
                .await?;
                Ok(found.map(|(id,)| id))
            }

            async fn insert_candidate(
                tx: &mut Tx<'_>,
                details: &CandidateDetails,
                possible_duplicate_of: Option<i64>,
                now: DateTime<Utc>,
            ) -> StoreResult<i64> {
                let sql = format!("{INSERT_CANDIDATE} RETURNING id");
                let (id,): (i64,) = bind_candidate!(sqlx::query_as(&sql).bind(now), details)
                    .bind(possible_duplicate_of)
                    .fetch_one(&mut **tx)
                    .await?;
                Ok(id)
            }

            /// Stores `document` for candidate `candidate_id`, with their application
            /// `application_id` or on its own; `None` when the application is not theirs.
            async fn insert_document(
                tx: &mut Tx<'_>,
                candidate_id: i64,
                application_id: Option<i64>,
                document: &ReceivedDocument,
                now: DateTime<Utc>,
            ) -> StoreResult<Option<DocumentRow>> {
                let sql = format!(
                    "INSERT INTO documents (candidate_id, application_id, kind, format, file_name, size, content, text, \
                     text_state, uploaded_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 \
                     WHERE $2 IS NULL OR EXISTS (SELECT 1 FROM applications WHERE id = $2 AND candidate_id = $1) \
                     RETURNING {DOCUMENT_COLUMNS}"
                );
                Ok(sqlx::query_as(&sql)
                    .bind(candidate_id)
                    .bind(application_id)
                    .bind(document.kind.as_str())
                    .bind(document.format.as_str())
                    .bind(&document.file_name)
                    .bind(document.content.len() as i64)
                    .bind(&document.content)
                    .bind(document.text.as_text())
                    .bind(document.text.state().as_str())
                    .bind(now)
                    .fetch_optional(&mut **tx)
                    .await?)
            }

            /// How many receipts and requests to confirm went to `email` in the last day: the
            /// form is anyone's, and must not make amfit mail one address without end.
            async fn receipts_lately(tx: &mut Tx<'_>, email: &str, now: DateTime<Utc>) -> StoreResult<i64> {
                let (count,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM outbox WHERE kind IN ('receipt', 'confirmation') AND created_at > $2 \
                     AND candidate_id IN (SELECT id FROM candidates WHERE email = $1)",
                )
                .bind(email)
                .bind(now - chrono::TimeDelta::days(1))
                .fetch_one(&mut **tx)
                .await?;
                Ok(count)
            }

            /// A new application, not yet seen, with its first stage set by nobody: the candidate.
            async fn new_application(
                tx: &mut Tx<'_>,
                candidate_id: i64,
                new: NewIntake<'_>,
                now: DateTime<Utc>,
            ) -> StoreResult<i64> {
                let created: Option<(i64,)> = sqlx::query_as(
                    "INSERT INTO applications (candidate_id, profile_id, stage, applied_on, created_at, source, message, language) \
                     SELECT $1, p.id, $3, $4, $5, $6, $7, $8 FROM role_profiles p WHERE p.id = $2 RETURNING id",
                )
                .bind(candidate_id)
                .bind(new.profile_id)
                .bind(Stage::Applied.as_str())
                .bind(new.applied_on)
                .bind(now)
                .bind(new.source)
                .bind(new.message)
                .bind(new.language.as_str())
                .fetch_optional(&mut **tx)
                .await?;
                let (id,) = created.ok_or(StoreError::NotFound)?;
                <$backend>::start_application(tx, id, Stage::Applied, None, (now, now)).await?;
                Ok(id)
            }
        };
    };
}

pub(super) use impl_intake_store;
