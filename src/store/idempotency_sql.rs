//! The answers kept for POST requests sent with an `Idempotency-Key`, the same SQL on both
//! backends.

/// Implements `IdempotencyStore` for a backend struct with a `pool` field.
macro_rules! impl_idempotency_store {
    ($backend:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::store::{
                ABANDONED_AFTER, Backend, IdempotencyStore, KEY_LIFETIME, KeptAnswer, KeyClaim, StoreError, StoreResult,
            };

            /// A key's row: the request's fingerprint, and the answer once there is one.
            type KeyRow = (String, Option<i32>, Option<String>, Option<String>);

            #[async_trait::async_trait]
            impl IdempotencyStore for $backend {
                async fn claim_key(
                    &self,
                    user_id: i64,
                    key: &str,
                    fingerprint: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<KeyClaim> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    sqlx::query(
                        "DELETE FROM idempotency_keys \
                         WHERE created_at < $1 OR (response_status IS NULL AND created_at < $2)",
                    )
                    .bind(now - KEY_LIFETIME)
                    .bind(now - ABANDONED_AFTER)
                    .execute(&mut *tx)
                    .await?;
                    let inserted = sqlx::query(
                        "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    )
                    .bind(user_id)
                    .bind(key)
                    .bind(fingerprint)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let claim = if inserted == 1 {
                        KeyClaim::Claimed
                    } else {
                        let row: KeyRow = sqlx::query_as(
                            "SELECT fingerprint, response_status, response_headers, response_body \
                             FROM idempotency_keys WHERE user_id = $1 AND key = $2",
                        )
                        .bind(user_id)
                        .bind(key)
                        .fetch_one(&mut *tx)
                        .await?;
                        claim_of(row, fingerprint)?
                    };
                    tx.commit().await?;
                    Ok(claim)
                }

                async fn complete_key(&self, user_id: i64, key: &str, answer: &KeptAnswer) -> StoreResult<()> {
                    let headers =
                        serde_json::to_string(&answer.headers).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    sqlx::query(
                        "UPDATE idempotency_keys SET response_status = $3, response_headers = $4, response_body = $5 \
                         WHERE user_id = $1 AND key = $2",
                    )
                    .bind(user_id)
                    .bind(key)
                    .bind(i32::from(answer.status))
                    .bind(headers)
                    .bind(&answer.body)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn release_key(&self, user_id: i64, key: &str) -> StoreResult<()> {
                    sqlx::query(
                        "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND response_status IS NULL",
                    )
                    .bind(user_id)
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }
            }

            fn claim_of((kept, status, headers, body): KeyRow, fingerprint: &str) -> StoreResult<KeyClaim> {
                if kept != fingerprint {
                    return Ok(KeyClaim::OtherRequest);
                }
                let Some(status) = status else { return Ok(KeyClaim::InProgress) };
                let corrupt = |what: &str| StoreError::Corrupt(format!("idempotency key answer: {what}"));
                let status = u16::try_from(status).map_err(|_| corrupt("status"))?;
                let headers =
                    serde_json::from_str(headers.as_deref().unwrap_or("[]")).map_err(|_| corrupt("headers"))?;
                Ok(KeyClaim::Answered(KeptAnswer { status, headers, body: body.unwrap_or_default() }))
            }
        };
    };
}

pub(super) use impl_idempotency_store;
