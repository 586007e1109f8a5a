//! The shared SQL implementation of [`DuplicateStore`](super::DuplicateStore): candidates
//! marked as possible duplicates, merged or kept apart, for both backends.

/// Implements `DuplicateStore` for a backend struct with a `pool` field.
macro_rules! impl_duplicate_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::candidate::Candidate;
            use $crate::domain::duplicate::MergePlan;
            use $crate::store::audit_sql::insert_audit;
            use $crate::store::idempotency_sql::keep_answer;
            use $crate::store::candidate_sql::CANDIDATE_COLUMNS;
            use $crate::store::rows::CandidateRow;
            use $crate::store::user_sql::duplicate_or;
            use $crate::store::{Backend, DuplicateStore, NewAuditEntry, StoreError, StoreResult};

            type Tx<'c> = sqlx::Transaction<'c, <$backend as Backend>::Db>;

            /// What a merge meets when a record changed after the recruiter read it.
            const CHANGED_MEANWHILE: StoreError = StoreError::Conflict { current_version: 0 };

            #[async_trait::async_trait]
            impl DuplicateStore for $backend {
                async fn merge_candidates(&self, plan: &MergePlan, audit: &NewAuditEntry) -> StoreResult<Candidate> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // Both records and the newer one's applications are held till the end, in
                    // one order, so that an erasure, a keep-apart or a new interview plan waits
                    // for the merge or the merge for them; then what the plan was made from is
                    // checked again.
                    let lock = Self::DIALECT.lock();
                    sqlx::query(&format!("SELECT id FROM candidates WHERE id IN ($1, $2) ORDER BY id {lock}"))
                        .bind(plan.existing_id)
                        .bind(plan.duplicate_id)
                        .fetch_all(&mut *tx)
                        .await?;
                    sqlx::query(&format!("SELECT id FROM applications WHERE candidate_id = $1 ORDER BY id {lock}"))
                        .bind(plan.duplicate_id)
                        .fetch_all(&mut *tx)
                        .await?;
                    let marked: Option<(i64,)> = sqlx::query_as(
                        "SELECT id FROM candidates WHERE id = $1 AND version = $2 AND possible_duplicate_of = $3 \
                         AND erased_at IS NULL",
                    )
                    .bind(plan.duplicate_id)
                    .bind(plan.duplicate_version)
                    .bind(plan.existing_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    marked.ok_or(CHANGED_MEANWHILE)?;
                    for &(folded, kept) in &plan.folded_applications {
                        fold_application(&mut tx, plan, folded, kept).await?;
                    }
                    for &moved in &plan.moved_applications {
                        let done = sqlx::query("UPDATE applications SET candidate_id = $2 WHERE id = $1 AND candidate_id = $3")
                            .bind(moved)
                            .bind(plan.existing_id)
                            .bind(plan.duplicate_id)
                            .execute(&mut *tx)
                            .await
                            .map_err(|error| match duplicate_or(error) {
                                StoreError::Duplicate => CHANGED_MEANWHILE,
                                other => other,
                            })?;
                        $crate::store::touched(done.rows_affected()).map_err(|_| CHANGED_MEANWHILE)?;
                    }
                    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications WHERE candidate_id = $1")
                        .bind(plan.duplicate_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    if left > 0 {
                        return Err(CHANGED_MEANWHILE);
                    }
                    // What they sent, the letters written to them (the receipt of the newer
                    // application), what they were asked to confirm and what colleagues wrote
                    // about them are the one person's.
                    for moved in ["documents", "outbox", "mail_confirmations", "comments"] {
                        sqlx::query(&format!("UPDATE {moved} SET candidate_id = $2 WHERE candidate_id = $1"))
                            .bind(plan.duplicate_id)
                            .bind(plan.existing_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    sqlx::query("UPDATE candidates SET possible_duplicate_of = $2 WHERE possible_duplicate_of = $1")
                        .bind(plan.duplicate_id)
                        .bind(plan.existing_id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM candidates WHERE id = $1").bind(plan.duplicate_id).execute(&mut *tx).await?;
                    let merged = update_existing(&mut tx, plan, now).await?;
                    Self::index_candidate(&mut tx, plan.existing_id).await?;
                    insert_audit!(&mut *tx, audit);
                    keep_answer!(tx, &merged);
                    tx.commit().await?;
                    Ok(merged)
                }

                async fn keep_apart(&self, id: i64, expected_version: i64, audit: &NewAuditEntry) -> StoreResult<Candidate> {
                    let sql = format!(
                        "UPDATE candidates SET possible_duplicate_of = NULL, version = version + 1, updated_at = $3 \
                         WHERE id = $1 AND version = $2 AND possible_duplicate_of IS NOT NULL RETURNING {CANDIDATE_COLUMNS}"
                    );
                    let mut tx = self.pool.begin().await?;
                    let row: Option<CandidateRow> = sqlx::query_as(&sql)
                        .bind(id)
                        .bind(expected_version)
                        .bind($crate::store::clock::now())
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else { return Err(self.why_not_written("candidates", id).await) };
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    Ok(row.into())
                }

                async fn possible_duplicates_of(&self, id: i64) -> StoreResult<Vec<Candidate>> {
                    let sql = format!(
                        "SELECT {CANDIDATE_COLUMNS} FROM candidates WHERE possible_duplicate_of = $1 \
                         AND erased_at IS NULL ORDER BY id"
                    );
                    let rows: Vec<CandidateRow> = sqlx::query_as(&sql).bind(id).fetch_all(&self.pool).await?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }
            }

            /// Folds the newer record's application `folded` into the existing candidate's
            /// application `kept` to the same profile: its documents join `kept`, which shows as
            /// new again, its message is added to `kept`'s, and it goes with its untouched
            /// interview plan. Only while nothing was done with it: one stage change (its
            /// first), no interview time, scorecard or decision.
            async fn fold_application(tx: &mut Tx<'_>, plan: &MergePlan, folded: i64, kept: i64) -> StoreResult<()> {
                sqlx::query(
                    "UPDATE applications SET seen_at = NULL, message = CASE \
                         WHEN message IS NULL THEN (SELECT message FROM applications WHERE id = $2) \
                         ELSE message || COALESCE((SELECT $4 || message FROM applications WHERE id = $2), '') END \
                     WHERE id = $1 AND candidate_id = $3",
                )
                .bind(kept)
                .bind(folded)
                .bind(plan.existing_id)
                .bind("\n\n")
                .execute(&mut **tx)
                .await?;
                sqlx::query("UPDATE documents SET application_id = $2 WHERE application_id = $1")
                    .bind(folded)
                    .bind(kept)
                    .execute(&mut **tx)
                    .await?;
                let done = sqlx::query(
                    "DELETE FROM applications WHERE id = $1 AND candidate_id = $2 AND stage = 'applied' \
                     AND (SELECT COUNT(*) FROM stage_changes WHERE application_id = $1) <= 1 \
                     AND NOT EXISTS (SELECT 1 FROM decisions WHERE application_id = $1) \
                     AND NOT EXISTS (SELECT 1 FROM interview_assignments a WHERE a.application_id = $1 \
                         AND (a.starts_at IS NOT NULL OR EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id))) \
                     AND EXISTS (SELECT 1 FROM applications WHERE id = $3 AND candidate_id = $4)",
                )
                .bind(folded)
                .bind(plan.duplicate_id)
                .bind(kept)
                .bind(plan.existing_id)
                .execute(&mut **tx)
                .await?;
                $crate::store::touched(done.rows_affected()).map_err(|_| CHANGED_MEANWHILE)
            }

            /// Writes the existing candidate's details as the merge leaves them, if the
            /// candidate is still at the version the recruiter read.
            async fn update_existing(
                tx: &mut Tx<'_>,
                plan: &MergePlan,
                now: chrono::DateTime<chrono::Utc>,
            ) -> StoreResult<Candidate> {
                let details = &plan.details;
                let sql = format!(
                    "UPDATE candidates SET name = $2, phone = $3, notes = $4, talent_pool_given_on = $5, \
                     talent_pool_until = $6, talent_pool_given_via = $7, updated_at = $8, last_activity_at = $8, \
                     version = version + 1 WHERE id = $1 AND version = $9 AND erased_at IS NULL \
                     RETURNING {CANDIDATE_COLUMNS}"
                );
                let row: Option<CandidateRow> = sqlx::query_as(&sql)
                    .bind(plan.existing_id)
                    .bind(&details.name)
                    .bind(&details.phone)
                    .bind(&details.notes)
                    .bind(details.talent_pool.map(|c| c.given_on))
                    .bind(details.talent_pool.map(|c| c.until))
                    .bind(details.talent_pool.and_then(|c| c.given_via).map(|via| via.as_str()))
                    .bind(now)
                    .bind(plan.existing_version)
                    .fetch_optional(&mut **tx)
                    .await?;
                Ok(row.ok_or(CHANGED_MEANWHILE)?.into())
            }
        };
    };
}

pub(super) use impl_duplicate_store;
