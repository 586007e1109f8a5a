//! The audit trail: one function makes every entry an action leaves, and one reads them.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditEntry, AuditFilter, AuditSubject};
use crate::domain::user::User;
use crate::error::AppResult;
use crate::store::{NewAuditEntry, Store};

/// Who did something: a signed-in user, or a command run on the server (named as the trail
/// shows it).
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    User(&'a User),
    Command(&'static str),
}

impl<'a> From<&'a User> for Actor<'a> {
    fn from(user: &'a User) -> Self {
        Actor::User(user)
    }
}

/// Adds to the trail that `actor` did `action` to the subject; `detail` holds no personal data
/// of candidates.
pub async fn record<'a>(
    store: &dyn Store,
    actor: impl Into<Actor<'a>>,
    action: AuditAction,
    (subject, subject_id): (AuditSubject, i64),
    detail: &str,
) -> AppResult<()> {
    let (actor_id, actor_name) = match actor.into() {
        Actor::User(user) => (Some(user.id), user.name.as_str()),
        Actor::Command(name) => (None, name),
    };
    let entry = NewAuditEntry { actor_id, actor_name, action, subject, subject_id, detail };
    Ok(store.record_audit(entry).await?)
}

/// The entries `filter` selects, newest first.
pub async fn entries(state: &AppState, filter: &AuditFilter) -> AppResult<Vec<AuditEntry>> {
    Ok(state.store.list_audit(filter).await?)
}
