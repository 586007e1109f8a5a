//! The audit trail: one function makes every entry an action leaves, and one reads them.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::Stream;

use crate::app::AppState;
use crate::domain::audit::{Agent, AuditAction, AuditDetail, AuditEntry, AuditFilter, AuditSubject};
use crate::domain::paging::{Page, PageRequest};
use crate::domain::user::User;
use crate::error::AppResult;
use crate::store::{ApplicationOverview, NewAuditEntry, Store, StoreError};

/// Who did something: a signed-in user, or amfit itself (the job page, retention, a command
/// run on the server).
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    User(&'a User),
    Command(Agent),
}

impl<'a> From<&'a User> for Actor<'a> {
    fn from(user: &'a User) -> Self {
        Actor::User(user)
    }
}

/// The entry saying that `actor` did `action` to the subject, stored with `detail`'s English
/// text; no detail holds personal data of candidates. A change hands it to the store call that
/// makes the change, which keeps both in one transaction.
pub fn entry<'a>(
    actor: impl Into<Actor<'a>>,
    action: AuditAction,
    (subject, subject_id): (AuditSubject, i64),
    detail: AuditDetail,
) -> NewAuditEntry {
    let (actor_id, actor_name) = match actor.into() {
        Actor::User(user) => (Some(user.id), user.name.clone()),
        Actor::Command(agent) => (None, agent.name().to_owned()),
    };
    NewAuditEntry { actor_id, actor_name, action, subject, subject_id, detail: detail.to_string() }
}

/// Adds to the trail that `actor` read the subject: a reading changes nothing, so its entry is
/// written on its own, before what was read is shown.
pub async fn record_reading<'a>(
    store: &dyn Store,
    actor: impl Into<Actor<'a>>,
    action: AuditAction,
    subject: (AuditSubject, i64),
    detail: AuditDetail,
) -> AppResult<()> {
    Ok(store.record_audit(&entry(actor, action, subject, detail)).await?)
}

/// The names of the entries' subjects, for a reader who may see every subject (the trail is
/// an administrator's): a candidate's name, a profile's title, a user's name, an application's
/// candidate and role, an interview's interviewer and candidate. A deleted subject has none.
pub async fn subject_names(
    state: &AppState,
    entries: &[AuditEntry],
) -> AppResult<HashMap<(AuditSubject, i64), String>> {
    let mut names = HashMap::new();
    for entry in entries {
        let key = (entry.subject, entry.subject_id);
        if names.contains_key(&key) {
            continue;
        }
        match subject_name(state, key).await {
            Ok(name) => {
                names.insert(key, name);
            }
            Err(StoreError::NotFound) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(names)
}

async fn subject_name(state: &AppState, (subject, id): (AuditSubject, i64)) -> Result<String, StoreError> {
    let store = &state.store;
    let application_name = |a: ApplicationOverview| format!("{} – {}", a.candidate_name, a.profile_title);
    Ok(match subject {
        AuditSubject::Candidate => store.get_candidate(id).await?.details.name,
        AuditSubject::Profile => store.get_profile(id).await?.details.title,
        AuditSubject::User => store.get_user(id).await?.name,
        AuditSubject::Application => application_name(store.get_application(id).await?),
        AuditSubject::Interview => {
            let assignment = store.get_assignment(id).await?;
            let application = store.get_application(assignment.application_id).await?;
            format!("{} · {}", assignment.interviewer_name, application_name(application))
        }
    })
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
