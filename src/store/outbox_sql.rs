//! The shared SQL implementation of [`OutboxStore`](super::OutboxStore): the mail waiting to be
//! sent, claimed by one instance at a time, and the letters a candidate was written, for both
//! backends.

use chrono::{DateTime, Utc};

use crate::domain::letter::{LetterKind, WrittenLetter};
use crate::domain::profile::AdLanguage;

/// A message as the worker sends it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedMessage {
    pub id: i64,
    /// Unique to the message, kept through every try: the local part of its Message-ID.
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// An invitation's calendar entry (RFC 5545).
    pub calendar: Option<String>,
    /// How many tries were made before this one.
    pub attempts: i32,
    /// The address of the user who wrote it, for replies.
    pub reply_to: Option<String>,
    /// Until when this instance holds it: what says the claim is still this instance's.
    pub claimed_until: DateTime<Utc>,
}

/// A letter to write to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// Unique to the message: a form sent twice carries the same one, and makes one letter.
    pub message_id: String,
    pub kind: LetterKind,
    pub recipient: String,
    pub language: AdLanguage,
    pub letter: WrittenLetter,
    pub calendar: Option<String>,
    /// The user who sends it; `None` for what amfit sends by itself.
    pub sent_by: Option<i64>,
    /// The user it goes to, when it is not the candidate (an interviewer's invitation).
    pub to_user: Option<i64>,
}

/// Where a message stands, as the outbox holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for its first try, or for another after a temporary failure.
    Queued,
    Sent,
    /// Refused for good by the mail server, or still failing after every try.
    Failed,
}

impl OutboxStatus {
    const ALL: [OutboxStatus; 3] = [OutboxStatus::Queued, OutboxStatus::Sent, OutboxStatus::Failed];

    /// The status's name, as the store writes it and exports show it.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    /// The status named `name`, as [`as_str`](Self::as_str) names it.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }
}

/// A letter written to a candidate, as their page and the API list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub kind: LetterKind,
    pub application_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub language: AdLanguage,
    pub status: OutboxStatus,
    pub attempts: i32,
    /// What the mail server said the last time it did not take the message.
    pub last_error: Option<String>,
    /// Who sent it: `None` for amfit itself, or a user since deleted.
    pub sent_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub has_calendar: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct MessageRow {
    id: i64,
    kind: String,
    application_id: Option<i64>,
    recipient: String,
    subject: String,
    body_text: String,
    language: String,
    status: String,
    attempts: i32,
    last_error: Option<String>,
    sent_by: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    has_calendar: bool,
}

pub(super) const MESSAGE_SELECT: &str = "SELECT o.id, o.kind, o.application_id, o.recipient, o.subject, o.body_text, \
    o.language, o.status, o.attempts, o.last_error, u.name AS sent_by, o.created_at, o.sent_at, \
    o.calendar IS NOT NULL AS has_calendar FROM outbox o LEFT JOIN users u ON u.id = o.sent_by";

impl TryFrom<MessageRow> for Message {
    type Error = super::StoreError;

    fn try_from(row: MessageRow) -> Result<Self, Self::Error> {
        let status = OutboxStatus::named(&row.status)
            .ok_or_else(|| super::StoreError::Corrupt(format!("outbox status {:?}", row.status)))?;
        let kind = super::rows::choice("kind", &row.kind)?;
        Ok(Message {
            id: row.id,
            kind,
            application_id: row.application_id,
            recipient: row.recipient,
            subject: row.subject,
            // Its link is the applicant's alone: whoever reads the letters about them may not use it.
            body_text: if kind == LetterKind::Confirmation { String::new() } else { row.body_text },
            language: super::rows::choice("language", &row.language)?,
            status,
            attempts: row.attempts,
            last_error: row.last_error,
            sent_by: row.sent_by,
            created_at: row.created_at,
            sent_at: row.sent_at,
            has_calendar: row.has_calendar,
        })
    }
}

/// Implements `OutboxStore` for a backend struct with a `pool` field.
macro_rules! impl_outbox_store {
    ($backend:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::domain::mail::Delivery;
            use $crate::store::audit_sql::insert_audit;
            use $crate::store::idempotency_sql::keep_answer;
            use $crate::store::outbox_sql::{MESSAGE_SELECT, Message, MessageRow, NewMessage, QueuedMessage};
            use $crate::store::{Backend, NewAuditEntry, OutboxStore, StoreError, StoreResult};

            type Tx<'c> = sqlx::Transaction<'c, <$backend as Backend>::Db>;

            #[async_trait::async_trait]
            impl OutboxStore for $backend {
                async fn claim_due(
                    &self,
                    now: DateTime<Utc>,
                    lease: chrono::TimeDelta,
                    limit: i64,
                ) -> StoreResult<Vec<QueuedMessage>> {
                    // A look first, without the write lock: most rounds find nothing to send.
                    let due: Option<(i64,)> = sqlx::query_as(
                        "SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1 LIMIT 1",
                    )
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?;
                    if due.is_none() {
                        return Ok(Vec::new());
                    }
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let sql = format!(
                        "SELECT o.id, o.message_id, o.recipient, o.subject, o.body_text, o.body_html, o.calendar, o.attempts, \
                         (SELECT u.email FROM users u WHERE u.id = o.sent_by) AS reply_to, $3 AS claimed_until FROM outbox o \
                         WHERE o.status = 'queued' AND o.next_attempt_at <= $1 \
                         AND (o.claimed_until IS NULL OR o.claimed_until < $1) ORDER BY o.id LIMIT $2 {}",
                        Self::DIALECT.lock_or_skip()
                    );
                    let until = now + lease;
                    let due: Vec<QueuedMessage> =
                        sqlx::query_as(&sql).bind(now).bind(limit).bind(until).fetch_all(&mut *tx).await?;
                    for message in &due {
                        sqlx::query("UPDATE outbox SET claimed_until = $2 WHERE id = $1")
                            .bind(message.id)
                            .bind(until)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(due)
                }

                async fn record_deliveries(
                    &self,
                    deliveries: &[(&QueuedMessage, Delivery)],
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    for (message, delivery) in deliveries {
                        let attempts = message.attempts + 1;
                        let (status, next, error) = delivery.after_try(attempts, now);
                        // Only while the claim is this round's: a round that overran its claim
                        // must not overwrite what the instance that took the message over wrote.
                        // Mail that carries a link only its reader may use (to set a password, to
                        // confirm an application) is kept no longer than it takes to send: the
                        // link in the database would act for them. Mail to a user about their
                        // work names candidates, whose erasure it must not outlive: it keeps no
                        // subject either.
                        sqlx::query(
                            "UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, \
                             claimed_until = NULL, sent_at = CASE WHEN $2 = 'sent' THEN $6 ELSE sent_at END, \
                             subject = CASE WHEN $2 <> 'queued' AND candidate_id IS NULL AND user_id IS NOT NULL \
                             THEN '' ELSE subject END, \
                             body_text = CASE WHEN $2 <> 'queued' AND (kind = 'confirmation' \
                             OR (candidate_id IS NULL AND user_id IS NOT NULL)) THEN '' ELSE body_text END, \
                             body_html = CASE WHEN $2 <> 'queued' AND (kind = 'confirmation' \
                             OR (candidate_id IS NULL AND user_id IS NOT NULL)) THEN '' ELSE body_html END \
                             WHERE id = $1 AND claimed_until = $7",
                        )
                        .bind(message.id)
                        .bind(status)
                        .bind(attempts)
                        .bind(next)
                        .bind(error)
                        .bind(now)
                        .bind(message.claimed_until)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn still_claimed(&self, message: &QueuedMessage) -> StoreResult<bool> {
                    let row: Option<(i64,)> =
                        sqlx::query_as("SELECT id FROM outbox WHERE id = $1 AND status = 'queued' AND claimed_until = $2")
                            .bind(message.id)
                            .bind(message.claimed_until)
                            .fetch_optional(&self.pool)
                            .await?;
                    Ok(row.is_some())
                }

                async fn queue_letter(
                    &self,
                    candidate_id: i64,
                    application_id: i64,
                    new: &NewMessage,
                    audit: &NewAuditEntry,
                ) -> StoreResult<Message> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // Held until the letter is written: an erasure running now waits for it, and
                    // then deletes it; or it went first, and no letter is written.
                    let sql = format!("SELECT id FROM candidates WHERE id = $1 AND erased_at IS NULL {}", Self::DIALECT.lock());
                    let present: Option<(i64,)> = sqlx::query_as(&sql).bind(candidate_id).fetch_optional(&mut *tx).await?;
                    if present.is_none() {
                        return Err(StoreError::Conflict { current_version: 0 });
                    }
                    if <$backend>::queue_message(&mut tx, Some(candidate_id), Some(application_id), new).await? {
                        insert_audit!(&mut *tx, audit);
                    }
                    let sql = format!("{MESSAGE_SELECT} WHERE o.message_id = $1 AND o.candidate_id = $2");
                    let row: Option<MessageRow> =
                        sqlx::query_as(&sql).bind(&new.message_id).bind(candidate_id).fetch_optional(&mut *tx).await?;
                    // A form key that wrote another letter (another candidate's, or this one's
                    // before the form was changed and sent again) writes none.
                    let message = Message::try_from(row.ok_or(StoreError::Duplicate)?)?;
                    if message.kind != new.kind || message.body_text != new.letter.text {
                        return Err(StoreError::Duplicate);
                    }
                    keep_answer!(tx, &message);
                    tx.commit().await?;
                    Ok(message)
                }

                async fn calendar_versions(&self, application_id: i64) -> StoreResult<i64> {
                    let (count,): (i64,) =
                        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE application_id = $1 AND calendar IS NOT NULL")
                            .bind(application_id)
                            .fetch_one(&self.pool)
                            .await?;
                    Ok(count)
                }

                async fn candidate_calendar_entry(
                    &self,
                    application_id: i64,
                ) -> StoreResult<Option<(String, $crate::domain::profile::AdLanguage)>> {
                    let entry: Option<(String, String)> = sqlx::query_as(
                        "SELECT calendar, language FROM outbox WHERE application_id = $1 AND user_id IS NULL \
                         AND calendar IS NOT NULL ORDER BY id DESC LIMIT 1",
                    )
                    .bind(application_id)
                    .fetch_optional(&self.pool)
                    .await?;
                    entry.map(|(calendar, language)| Ok((calendar, $crate::store::rows::choice("language", &language)?))).transpose()
                }

                async fn messages_of(&self, candidate_id: i64) -> StoreResult<Vec<Message>> {
                    let sql = format!(
                        "{MESSAGE_SELECT} WHERE o.candidate_id = $1 AND o.user_id IS NULL ORDER BY o.created_at DESC, o.id DESC"
                    );
                    let rows: Vec<MessageRow> = sqlx::query_as(&sql).bind(candidate_id).fetch_all(&self.pool).await?;
                    rows.into_iter().map(Message::try_from).collect()
                }
            }

            impl $backend {
                /// Writes `new` to the outbox within `tx`, due at once; `false` when a message
                /// with its id is there already (the same form sent twice). A message to a user
                /// about their account is about no candidate and no application.
                pub(crate) async fn queue_message(
                    tx: &mut Tx<'_>,
                    candidate_id: Option<i64>,
                    application_id: Option<i64>,
                    new: &NewMessage,
                ) -> StoreResult<bool> {
                    let now = $crate::store::clock::now();
                    let written: Option<(i64,)> = sqlx::query_as(
                        "INSERT INTO outbox (message_id, kind, candidate_id, application_id, recipient, language, \
                         subject, body_text, body_html, calendar, sent_by, next_attempt_at, created_at, user_id) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) \
                         ON CONFLICT (message_id) DO NOTHING RETURNING id",
                    )
                    .bind(&new.message_id)
                    .bind(new.kind.as_str())
                    .bind(candidate_id)
                    .bind(application_id)
                    .bind(&new.recipient)
                    .bind(new.language.as_str())
                    .bind(&new.letter.subject)
                    .bind(&new.letter.text)
                    .bind(&new.letter.html)
                    .bind(&new.calendar)
                    .bind(new.sent_by)
                    .bind(now)
                    .bind(new.to_user)
                    .fetch_optional(&mut **tx)
                    .await?;
                    Ok(written.is_some())
                }
            }
        };
    };
}

pub(super) use impl_outbox_store;
