//! The audit trail, the same SQL on both backends.

const AUDIT_COLUMNS: &str = "id, at, actor_id, actor_name, action, subject, subject_id, detail";

/// Adds an entry; binds at, actor_id, actor_name, action, subject, subject_id and detail.
pub const AUDIT_INSERT: &str = "INSERT INTO audit_log (at, actor_id, actor_name, action, subject, subject_id, detail) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// The select of the entries `filter` names on the page `request` asks for, newest first, with
/// its parameters in order.
pub fn audit_select(
    filter: &crate::domain::audit::AuditFilter,
    request: crate::domain::paging::PageRequest,
) -> (String, Vec<AuditParameter>) {
    let mut conditions = Vec::new();
    let mut parameters = Vec::new();
    let mut condition = |sql: &str, parameter: AuditParameter| {
        parameters.push(parameter);
        conditions.push(sql.replace('?', &format!("${}", parameters.len())));
    };
    if let Some(action) = filter.action {
        condition("action = ?", AuditParameter::Text(action.as_str()));
    }
    if let Some(actor) = filter.actor_id {
        condition("actor_id = ?", AuditParameter::Id(actor));
    }
    if let Some((subject, id)) = filter.subject {
        condition("subject = ?", AuditParameter::Text(subject.as_str()));
        if let Some(id) = id {
            condition("subject_id = ?", AuditParameter::Id(id));
        }
    }
    let day_start = |day: chrono::NaiveDate| day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    if let Some(from) = filter.from {
        condition("at >= ?", AuditParameter::Moment(day_start(from)));
    }
    if let Some(to) = filter.to.and_then(|day| day.succ_opt()) {
        condition("at < ?", AuditParameter::Moment(day_start(to)));
    }
    if let Some(before) = request.after {
        condition("id < ?", AuditParameter::Id(before));
    }
    let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    let limit = request.fetch();
    (format!("SELECT {AUDIT_COLUMNS} FROM audit_log{filter} ORDER BY id DESC LIMIT {limit}"), parameters)
}

/// A value a filter binds.
pub enum AuditParameter {
    Text(&'static str),
    Id(i64),
    Moment(chrono::DateTime<chrono::Utc>),
}

/// Adds the [`NewAuditEntry`](super::NewAuditEntry) `$entry` through `$executor` (a pool, or
/// the transaction of the change it records).
macro_rules! insert_audit {
    ($executor:expr, $entry:expr) => {{
        let entry: &$crate::store::NewAuditEntry = $entry;
        sqlx::query($crate::store::audit_sql::AUDIT_INSERT)
            .bind($crate::store::clock::now())
            .bind(entry.actor_id)
            .bind(&entry.actor_name)
            .bind(entry.action.as_str())
            .bind(entry.subject.as_str())
            .bind(entry.subject_id)
            .bind(&entry.detail)
            .execute($executor)
            .await?
    }};
}

/// Runs `$query`, a change of one record, and adds the entry `$entry` in one transaction;
/// [`StoreError::NotFound`](super::StoreError::NotFound) (and nothing kept) when the query
/// touched no record.
macro_rules! execute_audited {
    ($pool:expr, $query:expr, $entry:expr) => {{
        let mut tx = $pool.begin().await?;
        let done = $query.execute(&mut *tx).await?;
        $crate::store::touched(done.rows_affected())?;
        $crate::store::audit_sql::insert_audit!(&mut *tx, $entry);
        tx.commit().await?;
        Ok(())
    }};
}

/// Implements `AuditStore` for a backend struct with a `pool` field.
macro_rules! impl_audit_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::audit::{AuditEntry, AuditFilter};
            use $crate::domain::paging::{Page, PageRequest};
            use $crate::store::audit_sql::{AuditParameter, audit_select, insert_audit};
            use $crate::store::rows::AuditRow;
            use $crate::store::{AuditStore, NewAuditEntry, StoreResult};

            #[async_trait::async_trait]
            impl AuditStore for $backend {
                async fn record_audit(&self, entry: &NewAuditEntry) -> StoreResult<()> {
                    insert_audit!(&self.pool, entry);
                    Ok(())
                }

                async fn list_audit(
                    &self,
                    filter: &AuditFilter,
                    request: PageRequest,
                ) -> StoreResult<Page<AuditEntry>> {
                    let (sql, parameters) = audit_select(filter, request);
                    let mut query = sqlx::query_as::<_, AuditRow>(&sql);
                    for parameter in parameters {
                        query = match parameter {
                            AuditParameter::Text(text) => query.bind(text),
                            AuditParameter::Id(id) => query.bind(id),
                            AuditParameter::Moment(moment) => query.bind(moment),
                        };
                    }
                    let entries: Vec<AuditEntry> = query
                        .fetch_all(&self.pool)
                        .await?
                        .into_iter()
                        .map(TryInto::try_into)
                        .collect::<StoreResult<_>>()?;
                    Ok(Page::of_fetched(entries, request, |entry| entry.id))
                }
            }
        };
    };
}

pub(super) use {execute_audited, impl_audit_store, insert_audit};
