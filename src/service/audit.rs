//! The audit trail's entries: one function makes every entry a user's action leaves.

use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::user::User;
use crate::error::AppResult;
use crate::store::{NewAuditEntry, Store};

/// Adds to the trail that `user` did `action` to the subject; `detail` holds no personal data
/// of candidates.
pub async fn record(
    store: &dyn Store,
    user: &User,
    action: AuditAction,
    (subject, subject_id): (AuditSubject, i64),
    detail: &str,
) -> AppResult<()> {
    let entry = NewAuditEntry { actor_id: Some(user.id), actor_name: &user.name, action, subject, subject_id, detail };
    Ok(store.record_audit(entry).await?)
}
