//! The shared SQL implementation of [`OutboxStore`](super::OutboxStore): the mail waiting to be
//! sent, claimed by one instance at a time, for both backends.

/// A message as the worker sends it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedMessage {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// How many tries were made before this one.
    pub attempts: i32,
}

/// Implements `OutboxStore` for a backend struct with a `pool` field.
macro_rules! impl_outbox_store {
    ($backend:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::domain::mail::{Delivery, retry_after};
            use $crate::store::outbox_sql::QueuedMessage;
            use $crate::store::{Backend, OutboxStore, StoreResult};

            #[async_trait::async_trait]
            impl OutboxStore for $backend {
                async fn claim_due(
                    &self,
                    now: DateTime<Utc>,
                    lease: chrono::TimeDelta,
                    limit: i64,
                ) -> StoreResult<Vec<QueuedMessage>> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let sql = format!(
                        "SELECT id, message_id, recipient, subject, body_text, body_html, attempts FROM outbox \
                         WHERE status = 'queued' AND next_attempt_at <= $1 \
                         AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT $2 {}",
                        Self::DIALECT.lock_or_skip()
                    );
                    let due: Vec<QueuedMessage> = sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(&mut *tx).await?;
                    for message in &due {
                        sqlx::query("UPDATE outbox SET claimed_until = $2 WHERE id = $1")
                            .bind(message.id)
                            .bind(now + lease)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(due)
                }

                async fn record_delivery(
                    &self,
                    message: &QueuedMessage,
                    delivery: &Delivery,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let attempts = message.attempts + 1;
                    let (status, next, error) = match delivery {
                        Delivery::Sent => ("sent", now, None),
                        Delivery::Temporary(why) => {
                            match retry_after(u32::try_from(attempts).unwrap_or(u32::MAX)) {
                                Some(wait) => ("queued", now + wait, Some(why)),
                                None => ("failed", now, Some(why)),
                            }
                        }
                        Delivery::Permanent(why) => ("failed", now, Some(why)),
                    };
                    sqlx::query(
                        "UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, \
                         claimed_until = NULL, sent_at = CASE WHEN $2 = 'sent' THEN $6 ELSE sent_at END WHERE id = $1",
                    )
                    .bind(message.id)
                    .bind(status)
                    .bind(attempts)
                    .bind(next)
                    .bind(error)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }
            }
        };
    };
}

pub(super) use impl_outbox_store;
