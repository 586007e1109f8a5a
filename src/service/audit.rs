//! The audit trail: one function makes every entry an action leaves, and one reads them.

use std::sync::Arc;

use futures_util::Stream;

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditEntry, AuditFilter, AuditSubject};
use crate::domain::paging::{Page, PageRequest};
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

/// How many entries an export reads at a time: the whole trail is written without holding it.
const EXPORT_BATCH: usize = 1_000;

/// The page `request` asks for of the entries `filter` selects, newest first.
pub async fn page(state: &AppState, filter: &AuditFilter, request: PageRequest) -> AppResult<Page<AuditEntry>> {
    Ok(state.store.list_audit(filter, request).await?)
}

/// Every entry `filter` selects, newest first, a batch at a time. Entries added while it is read
/// are not in it: each batch continues below the last id read.
pub fn every(state: &AppState, filter: AuditFilter) -> impl Stream<Item = AppResult<Vec<AuditEntry>>> + Send + 'static {
    let store = Arc::clone(&state.store);
    futures_util::stream::try_unfold(Some(PageRequest::first(EXPORT_BATCH)), move |request| {
        let store = Arc::clone(&store);
        async move {
            let Some(request) = request else { return Ok(None) };
            let page = store.list_audit(&filter, request).await?;
            let after = page.next.as_ref().and(page.items.last()).map(|last| last.id);
            let next = after.map(|after| PageRequest { after: Some(after), ..request });
            Ok(Some((page.items, next)))
        }
    })
}
