//! `/api/v1/webhooks`: integrators' addresses that amfit tells of events, signed deliveries,
//! and how the last one went.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::webhook::{WebhookEvent, WebhookInput};
use crate::error::AppResult;
use crate::http::{ApiJson, ResourceId};
use crate::service::webhooks;
use crate::store::{DeliveryOverview, Webhook};

/// A webhook and how its last delivery went.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookResource {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub created_at: DateTime<Utc>,
    /// The newest delivery; `null` before the first.
    pub last_delivery: Option<DeliveryResource>,
}

/// One delivery of an event to a webhook.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryResource {
    /// Sent as `X-Amfit-Delivery`.
    pub id: i64,
    #[schema(example = "stage.changed")]
    pub event: String,
    /// `queued` (waiting, or retried after a failure: see `error`), `sent`, or `failed` (a final
    /// answer, or still failing after a day of tries).
    #[schema(example = "sent")]
    pub status: &'static str,
    pub attempts: i32,
    /// The HTTP status the last try was answered with.
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// A webhook just made, with its secret: shown this once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookResource,
    /// The key of each delivery's `X-Amfit-Signature`: `sha256=` and the hex HMAC-SHA256 of
    /// `"{X-Amfit-Timestamp}.{body}"`. Keep it: it is never shown again.
    pub secret: String,
}

impl From<&DeliveryOverview> for DeliveryResource {
    fn from(delivery: &DeliveryOverview) -> Self {
        DeliveryResource {
            id: delivery.id,
            event: delivery.event.clone(),
            status: delivery.status.as_str(),
            attempts: delivery.attempts,
            status_code: delivery.status_code,
            error: delivery.error.clone(),
            created_at: delivery.created_at,
            delivered_at: delivery.delivered_at,
        }
    }
}

impl From<&Webhook> for WebhookResource {
    fn from(hook: &Webhook) -> Self {
        WebhookResource {
            id: hook.id,
            url: hook.url.clone(),
            events: hook.events.clone(),
            created_at: hook.created_at,
            last_delivery: hook.last_delivery.as_ref().map(DeliveryResource::from),
        }
    }
}

/// Create a webhook
#[utoipa::path(post, path = "/webhooks", operation_id = "createWebhook", tag = "webhooks",
    request_body = WebhookInput,
    responses(
        (status = 201, description = "Kept: each event it names is posted to it as JSON (`{\"event\", \"occurred_at\", \"data\"}`, ids only) with `X-Amfit-Event`, `X-Amfit-Delivery`, `X-Amfit-Timestamp` and `X-Amfit-Signature`; a delivery not answered 2xx is tried again with backoff for about a day (a 4xx other than 408 and 429, or a redirect, is final)", body = CreatedWebhook),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 403, description = "Only administrators manage webhooks", body = ProblemDocument),
        (status = 422, description = "A field is wrong: an address that is not http or https, has credentials, or is amfit's own or this machine's (localhost, loopback, link-local); no event, or an unknown one", body = ProblemDocument),
    ))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(input): ApiJson<WebhookInput>,
) -> AppResult<Response> {
    let (hook, secret) = webhooks::create(&state, &user, &input).await?;
    let created = CreatedWebhook { webhook: WebhookResource::from(&hook), secret };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// List the webhooks
#[utoipa::path(get, path = "/webhooks", operation_id = "listWebhooks", tag = "webhooks",
    responses(
        (status = 200, description = "Every webhook, oldest first, with its last delivery", body = Vec<WebhookResource>),
        (status = 403, description = "Only administrators manage webhooks", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> AppResult<Json<Vec<WebhookResource>>> {
    let hooks = webhooks::list(&state, &user).await?;
    Ok(Json(hooks.iter().map(WebhookResource::from).collect()))
}

/// Delete a webhook
#[utoipa::path(delete, path = "/webhooks/{id}", operation_id = "deleteWebhook", tag = "webhooks",
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted, with its deliveries: none not yet sent will be"),
        (status = 403, description = "Only administrators manage webhooks", body = ProblemDocument),
        (status = 404, description = "No such webhook", body = ProblemDocument),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<StatusCode> {
    webhooks::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
