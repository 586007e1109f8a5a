//! The answers kept for POST requests sent with an `Idempotency-Key`, the same SQL on both
//! backends.

/// Adds a key's answer: binds user_id, key, fingerprint, created_at, the status, the headers
/// (JSON) and the body.
pub const KEY_INSERT: &str = "INSERT INTO idempotency_keys \
    (user_id, key, fingerprint, created_at, response_status, response_headers, response_body) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Frees key `$2` of user `$1` when its answer is older than its lifetime (before `$3`), or
/// when a request left it unanswered before answers were kept with their changes. Only that
/// row: a change's transaction holds no other user's or key's rows.
pub const KEY_FREED: &str = "DELETE FROM idempotency_keys \
    WHERE user_id = $1 AND key = $2 AND (created_at < $3 OR response_status IS NULL)";

/// A kept answer's headers as stored.
pub fn headers_text(answer: &super::KeptAnswer) -> String {
    // A list of pairs of strings always serialises.
    serde_json::to_string(&answer.headers).unwrap_or_else(|_| "[]".to_owned())
}

/// Keeps, through `$executor` (the transaction of the change), the answer of the keyed request
/// being worked on when it is made from `$value`, what the change's write returns. A twin
/// request that kept its answer first makes this one [`StoreError::KeyTaken`](super::StoreError)
/// and its change is not written.
macro_rules! keep_answer {
    ($executor:expr, $value:expr) => {
        if let Some(kept) = $crate::store::keyed::answer_to_keep($value) {
            let now = chrono::Utc::now();
            sqlx::query($crate::store::idempotency_sql::KEY_FREED)
                .bind(kept.user_id)
                .bind(&kept.key)
                .bind(now - $crate::store::KEY_LIFETIME)
                .execute(&mut *$executor)
                .await?;
            sqlx::query($crate::store::idempotency_sql::KEY_INSERT)
                .bind(kept.user_id)
                .bind(&kept.key)
                .bind(&kept.fingerprint)
                .bind(now)
                .bind(i32::from(kept.answer.status))
                .bind($crate::store::idempotency_sql::headers_text(&kept.answer))
                .bind(&kept.answer.body)
                .execute(&mut *$executor)
                .await
                .map_err(|error| match $crate::store::user_sql::duplicate_or(error) {
                    $crate::store::StoreError::Duplicate => $crate::store::StoreError::KeyTaken,
                    other => other,
                })?;
        }
    };
}

/// Implements `IdempotencyStore` for a backend struct with a `pool` field.
macro_rules! impl_idempotency_store {
    ($backend:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::store::idempotency_sql::{KEY_FREED, KEY_INSERT, headers_text};
            use $crate::store::keyed::AnswerToKeep;
            use $crate::store::{IdempotencyStore, KEY_LIFETIME, KeptAnswer, StoreError, StoreResult};

            /// A key's row: the request's fingerprint and its answer.
            type KeyRow = (String, i32, Option<String>, Option<String>);

            #[async_trait::async_trait]
            impl IdempotencyStore for $backend {
                async fn kept_answer(
                    &self,
                    user_id: i64,
                    key: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<Option<(String, KeptAnswer)>> {
                    let row: Option<KeyRow> = sqlx::query_as(
                        "SELECT fingerprint, response_status, response_headers, response_body \
                         FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at >= $3 \
                         AND response_status IS NOT NULL",
                    )
                    .bind(user_id)
                    .bind(key)
                    .bind(now - KEY_LIFETIME)
                    .fetch_optional(&self.pool)
                    .await?;
                    row.map(answer_of).transpose()
                }

                async fn keep_answer(&self, kept: &AnswerToKeep, now: DateTime<Utc>) -> StoreResult<bool> {
                    let mut tx = self.pool.begin().await?;
                    sqlx::query(KEY_FREED)
                        .bind(kept.user_id)
                        .bind(&kept.key)
                        .bind(now - KEY_LIFETIME)
                        .execute(&mut *tx)
                        .await?;
                    let insert = format!("{KEY_INSERT} ON CONFLICT DO NOTHING");
                    let inserted = sqlx::query(&insert)
                        .bind(kept.user_id)
                        .bind(&kept.key)
                        .bind(&kept.fingerprint)
                        .bind(now)
                        .bind(i32::from(kept.answer.status))
                        .bind(headers_text(&kept.answer))
                        .bind(&kept.answer.body)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    tx.commit().await?;
                    Ok(inserted == 1)
                }

                async fn forget_answers_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
                    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                        .bind(before)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected())
                }
            }

            fn answer_of((fingerprint, status, headers, body): KeyRow) -> StoreResult<(String, KeptAnswer)> {
                let corrupt = |what: &str| StoreError::Corrupt(format!("idempotency key answer: {what}"));
                let status = u16::try_from(status).map_err(|_| corrupt("status"))?;
                let headers =
                    serde_json::from_str(headers.as_deref().unwrap_or("[]")).map_err(|_| corrupt("headers"))?;
                Ok((fingerprint, KeptAnswer { status, headers, body: body.unwrap_or_default() }))
            }
        };
    };
}

pub(super) use {impl_idempotency_store, keep_answer};
