//! The shared SQL implementation of [`RetentionStore`](super::RetentionStore): the candidates
//! a retention period may run out for, and anonymising them, for both backends.

/// The candidates retention may be due for: not anonymised, and every application (if any)
/// ended in a rejection. Over `candidates c`.
pub const RETENTION_FILTER: &str = "c.erased_at IS NULL AND NOT EXISTS \
    (SELECT 1 FROM applications a WHERE a.candidate_id = c.id AND a.stage <> 'rejected')";

/// Applications' stages with when they last changed; `{where}` is added per query.
pub const APPLICATION_STATE_SELECT: &str = "SELECT a.candidate_id, a.stage, a.created_at, \
    (SELECT MAX(sc.changed_at) FROM stage_changes sc WHERE sc.application_id = a.id) AS changed_at FROM applications a";

/// Implements `RetentionStore` for a backend struct with a `pool` field.
macro_rules! impl_retention_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::audit::{Agent, AuditAction, AuditDetail, AuditSubject};
            use $crate::domain::retention::{Retention, RetentionPolicy};
            use $crate::store::NewAuditEntry;
            use $crate::store::audit_sql::insert_audit;
            use $crate::store::retention_sql::{APPLICATION_STATE_SELECT, RETENTION_FILTER};
            use $crate::store::rows::{ApplicationStateRow, RetentionRow};
            use $crate::store::{Backend, PurgeStep, RetentionCandidate, RetentionStore, StoreResult};

            #[async_trait::async_trait]
            impl RetentionStore for $backend {
                async fn retention_candidates(&self) -> StoreResult<Vec<RetentionCandidate>> {
                    let sql = format!(
                        "SELECT c.id, c.name, c.created_at, c.talent_pool_given_on, c.talent_pool_until, c.talent_pool_given_via \
                         FROM candidates c WHERE {RETENTION_FILTER} ORDER BY c.id"
                    );
                    let candidates: Vec<RetentionRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                    let sql = format!(
                        "{APPLICATION_STATE_SELECT} WHERE a.candidate_id IN \
                        (SELECT c.id FROM candidates c WHERE {RETENTION_FILTER})"
                    );
                    let mut applications: Vec<ApplicationStateRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                    candidates
                        .into_iter()
                        .map(|candidate| {
                            let theirs = applications.extract_if(.., |a| a.candidate_id == candidate.id).collect();
                            candidate.with_applications(theirs)
                        })
                        .collect()
                }

                async fn anonymise_if_due(
                    &self,
                    id: i64,
                    policy: RetentionPolicy,
                    now: chrono::DateTime<chrono::Utc>,
                ) -> StoreResult<PurgeStep> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // Another instance holding the row is processing this candidate: leave it to it.
                    let sql = format!(
                        "SELECT id, name, created_at, talent_pool_given_on, talent_pool_until, talent_pool_given_via FROM candidates \
                         WHERE id = $1 AND erased_at IS NULL {}",
                        Self::DIALECT.lock_or_skip()
                    );
                    let found: Option<RetentionRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *tx).await?;
                    let Some(candidate) = found else { return Ok(PurgeStep::Skipped) };
                    let applications: Vec<ApplicationStateRow> =
                        sqlx::query_as(&format!("{APPLICATION_STATE_SELECT} WHERE a.candidate_id = $1"))
                            .bind(id)
                            .fetch_all(&mut *tx)
                            .await?;
                    let candidate = candidate.with_applications(applications)?;
                    match policy.verdict(&candidate.record, now) {
                        Retention::Due => {}
                        kept => return Ok(PurgeStep::Kept(kept)),
                    }
                    Self::anonymise(&mut tx, id).await?;
                    let talent_pool = candidate.record.talent_pool.is_some();
                    let detail = AuditDetail::Anonymised { months: policy.length_in_months(), talent_pool };
                    let entry = NewAuditEntry {
                        actor_id: None,
                        actor_name: Agent::Retention.name().to_owned(),
                        action: AuditAction::AnonymiseData,
                        subject: AuditSubject::Candidate,
                        subject_id: id,
                        detail: detail.to_string(),
                    };
                    insert_audit!(&mut *tx, &entry);
                    tx.commit().await?;
                    Ok(PurgeStep::Anonymised)
                }
            }
        };
    };
}

pub(super) use impl_retention_store;
