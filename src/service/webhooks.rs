//! Webhooks for integrators: administrators name an address and the events it is told of;
//! amfit signs each delivery with the webhook's own secret, shown once.

use crate::app::AppState;
use crate::auth::tokens;
use crate::domain::user::{Permission, User};
use crate::domain::webhook::WebhookInput;
use crate::error::{AppError, AppResult};
use crate::store::Webhook;

fn administered_by(user: &User) -> AppResult<()> {
    if user.role.grants(Permission::ManageUsers) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Keeps the webhook `input` describes, with a new secret: the webhook and the secret, which
/// is shown this once. [`AppError::Invalid`] names what is wrong (an address that is not http
/// or https, or that is amfit's own or this machine's; an unknown event).
pub async fn create(state: &AppState, user: &User, input: &WebhookInput) -> AppResult<(Webhook, String)> {
    administered_by(user)?;
    let hook = input.parse(state.public_url.host_str()).map_err(AppError::Invalid)?;
    let secret = tokens::generate();
    let created = state.store.create_webhook(&hook, &secret, user.id).await?;
    tracing::info!(webhook_id = created.id, by = user.id, "webhook added");
    Ok((created, secret))
}

/// Every webhook, with how its last delivery went.
pub async fn list(state: &AppState, user: &User) -> AppResult<Vec<Webhook>> {
    administered_by(user)?;
    Ok(state.store.list_webhooks().await?)
}

/// Deletes webhook `id`, and its deliveries not yet sent with it.
pub async fn delete(state: &AppState, user: &User, id: i64) -> AppResult<()> {
    administered_by(user)?;
    state.store.delete_webhook(id).await?;
    tracing::info!(webhook_id = id, by = user.id, "webhook deleted");
    Ok(())
}
