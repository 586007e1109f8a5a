//! The shared SQL implementation of [`WebhookStore`](super::WebhookStore): integrators'
//! webhooks, and their deliveries, written with the change they tell of and claimed by one
//! instance at a time, as the outbox's mail is; for both backends.

use chrono::{DateTime, Utc};

use crate::domain::webhook::WebhookEvent;
use crate::store::OutboxStatus;

/// A webhook as it is listed, with how its last delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub created_at: DateTime<Utc>,
    pub last_delivery: Option<DeliveryOverview>,
}

/// Where one delivery stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOverview {
    pub id: i64,
    pub event: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    /// The HTTP status the integrator answered the last try with.
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// A delivery as the worker sends it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedDelivery {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub event: String,
    pub payload: String,
    pub attempts: i32,
    /// Until when this instance holds it: what says the claim is still this instance's.
    pub claimed_until: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub struct WebhookRow {
    id: i64,
    url: String,
    events: String,
    created_at: DateTime<Utc>,
    delivery_id: Option<i64>,
    event: Option<String>,
    status: Option<String>,
    attempts: Option<i32>,
    status_code: Option<i32>,
    error: Option<String>,
    delivery_created_at: Option<DateTime<Utc>>,
    delivered_at: Option<DateTime<Utc>>,
}

/// Every webhook with its newest delivery, if any.
pub const WEBHOOK_SELECT: &str = "SELECT w.id, w.url, w.events, w.created_at, d.id AS delivery_id, d.event, \
    d.status, d.attempts, d.last_status_code AS status_code, d.last_error AS error, \
    d.created_at AS delivery_created_at, d.delivered_at FROM webhooks w LEFT JOIN webhook_deliveries d \
    ON d.id = (SELECT MAX(id) FROM webhook_deliveries WHERE webhook_id = w.id)";

/// The events column as the store keeps it: each name between commas, so that one is found
/// with `LIKE '%,name,%'`.
pub fn events_column(events: &[WebhookEvent]) -> String {
    format!(",{},", events.iter().map(|event| event.as_str()).collect::<Vec<_>>().join(","))
}

impl TryFrom<WebhookRow> for Webhook {
    type Error = super::StoreError;

    fn try_from(row: WebhookRow) -> Result<Self, Self::Error> {
        let events = row.events.split(',').filter(|name| !name.is_empty()).filter_map(WebhookEvent::named).collect();
        let last_delivery = match (row.delivery_id, row.event, row.status, row.delivery_created_at) {
            (Some(id), Some(event), Some(status), Some(created_at)) => Some(DeliveryOverview {
                id,
                event,
                status: OutboxStatus::named(&status)
                    .ok_or_else(|| super::StoreError::Corrupt(format!("status = {status:?}")))?,
                attempts: row.attempts.unwrap_or_default(),
                status_code: row.status_code,
                error: row.error,
                created_at,
                delivered_at: row.delivered_at,
            }),
            _ => None,
        };
        Ok(Webhook { id: row.id, url: row.url, events, created_at: row.created_at, last_delivery })
    }
}

/// Implements `WebhookStore` for a backend struct with a `pool` field.
macro_rules! impl_webhook_store {
    ($backend:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::domain::mail::Delivery;
            use $crate::domain::webhook::{NewWebhook, WebhookEvent};
            use $crate::store::webhook_sql::{QueuedDelivery, WEBHOOK_SELECT, Webhook, WebhookRow, events_column};
            use $crate::store::{Backend, StoreError, StoreResult, WebhookStore};

            type Tx<'c> = sqlx::Transaction<'c, <$backend as Backend>::Db>;

            #[async_trait::async_trait]
            impl WebhookStore for $backend {
                async fn create_webhook(&self, hook: &NewWebhook, secret: &str, by: i64) -> StoreResult<Webhook> {
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO webhooks (url, events, secret, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(hook.url.as_str())
                    .bind(events_column(&hook.events))
                    .bind(secret)
                    .bind(by)
                    .bind($crate::store::clock::now())
                    .fetch_one(&self.pool)
                    .await?;
                    self.list_webhooks().await?.into_iter().find(|hook| hook.id == id).ok_or(StoreError::NotFound)
                }

                async fn list_webhooks(&self) -> StoreResult<Vec<Webhook>> {
                    let sql = format!("{WEBHOOK_SELECT} ORDER BY w.id");
                    let rows: Vec<WebhookRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                    rows.into_iter().map(Webhook::try_from).collect()
                }

                async fn delete_webhook(&self, id: i64) -> StoreResult<()> {
                    let done = sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&self.pool).await?;
                    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
                }

                async fn claim_due_deliveries(
                    &self,
                    now: DateTime<Utc>,
                    lease: chrono::TimeDelta,
                    limit: i64,
                ) -> StoreResult<Vec<QueuedDelivery>> {
                    // A look first, without the write lock: most rounds find nothing to send.
                    let due: Option<(i64,)> = sqlx::query_as(
                        "SELECT id FROM webhook_deliveries WHERE status = 'queued' AND next_attempt_at <= $1 LIMIT 1",
                    )
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?;
                    if due.is_none() {
                        return Ok(Vec::new());
                    }
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let sql = format!(
                        "SELECT d.id, w.url, w.secret, d.event, d.payload, d.attempts, $3 AS claimed_until \
                         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
                         WHERE d.status = 'queued' AND d.next_attempt_at <= $1 \
                         AND (d.claimed_until IS NULL OR d.claimed_until < $1) ORDER BY d.id LIMIT $2 {}",
                        Self::DIALECT.lock_or_skip_of("d")
                    );
                    let until = now + lease;
                    let due: Vec<QueuedDelivery> =
                        sqlx::query_as(&sql).bind(now).bind(limit).bind(until).fetch_all(&mut *tx).await?;
                    for delivery in &due {
                        sqlx::query("UPDATE webhook_deliveries SET claimed_until = $2 WHERE id = $1")
                            .bind(delivery.id)
                            .bind(until)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(due)
                }

                async fn record_webhook_deliveries(
                    &self,
                    outcomes: &[(&QueuedDelivery, Delivery, Option<u16>)],
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    for (delivery, outcome, status_code) in outcomes {
                        let attempts = delivery.attempts + 1;
                        let (status, next, error) = outcome.after_try(attempts, now);
                        sqlx::query(
                            "UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, \
                             last_error = $5, last_status_code = $6, claimed_until = NULL, \
                             delivered_at = CASE WHEN $2 = 'sent' THEN $7 ELSE delivered_at END \
                             WHERE id = $1 AND claimed_until = $8",
                        )
                        .bind(delivery.id)
                        .bind(status)
                        .bind(attempts)
                        .bind(next)
                        .bind(error)
                        .bind(status_code.map(i32::from))
                        .bind(now)
                        .bind(delivery.claimed_until)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }
            }

            impl $backend {
                /// Writes a delivery of `event`, with `data` (ids, never personal data), for
                /// every webhook that asked for it, within `tx`: the transaction of the change.
                pub(crate) async fn tell_webhooks(
                    tx: &mut Tx<'_>,
                    event: WebhookEvent,
                    data: serde_json::Value,
                    at: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let payload = serde_json::json!({ "event": event.as_str(), "occurred_at": at, "data": data });
                    sqlx::query(
                        "INSERT INTO webhook_deliveries (webhook_id, event, payload, next_attempt_at, created_at) \
                         SELECT id, $1, $2, $3, $3 FROM webhooks WHERE events LIKE $4",
                    )
                    .bind(event.as_str())
                    .bind(payload.to_string())
                    .bind(at)
                    .bind(format!("%,{},%", event.as_str()))
                    .execute(&mut **tx)
                    .await?;
                    Ok(())
                }
            }
        };
    };
}

pub(super) use impl_webhook_store;
