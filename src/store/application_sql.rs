//! The shared SQL implementation of [`ApplicationStore`](super::ApplicationStore):
//! applications, their stage changes and the decisions about them, for both backends.

/// An application with the names shown beside it; `{where}` is filled in per query.
pub const APPLICATION_SELECT: &str = "SELECT a.id, a.candidate_id, a.profile_id, a.stage, a.applied_on, \
    a.source, a.message, a.seen_at, COALESCE(a.language, p.ad_language) AS language, \
    c.name AS candidate_name, p.title AS profile_title, p.company_id, co.name AS company_name, co.time_zone, p.hiring_manager_id \
    FROM applications a JOIN candidates c ON c.id = a.candidate_id \
    JOIN role_profiles p ON p.id = a.profile_id JOIN companies co ON co.id = p.company_id";

pub const APPLICATION_NAMES: &[&str] = &[
    "id",
    "candidate_id",
    "profile_id",
    "stage",
    "applied_on",
    "source",
    "message",
    "seen_at",
    "language",
    "candidate_name",
    "profile_title",
    "company_id",
    "company_name",
    "time_zone",
    "hiring_manager_id",
];

/// The candidates with an application to the profile `$1`.
pub const APPLICANT_IDS: &str = "SELECT DISTINCT candidate_id FROM applications WHERE profile_id = $1";

pub const STAGE_CHANGE_SELECT: &str = "SELECT sc.application_id, sc.stage, u.name AS changed_by, sc.changed_at \
    FROM stage_changes sc JOIN applications a ON a.id = sc.application_id LEFT JOIN users u ON u.id = sc.changed_by";

pub const STAGE_CHANGE_NAMES: &[&str] = &["application_id", "stage", "changed_by", "changed_at"];

pub const DECISION_SELECT: &str = "SELECT d.id, d.application_id, d.verdict, d.reason, d.stage, \
    u.name AS decided_by, d.decided_at FROM decisions d JOIN applications a ON a.id = d.application_id \
    LEFT JOIN users u ON u.id = d.decided_by";

pub const DECISION_NAMES: &[&str] = &["id", "application_id", "verdict", "reason", "stage", "decided_by", "decided_at"];

/// Implements `ApplicationStore` for a backend struct with a `pool` field.
macro_rules! impl_application_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::candidate::Stage;
            use $crate::domain::decision::Decision;
            use $crate::domain::webhook::WebhookEvent;
            use $crate::store::Backend;
            use $crate::store::application_sql::{
                APPLICANT_IDS, APPLICATION_NAMES, APPLICATION_SELECT, DECISION_NAMES, DECISION_SELECT,
                STAGE_CHANGE_NAMES, STAGE_CHANGE_SELECT,
            };
            use $crate::store::rows::{ApplicationRow, DecisionRow, StageChangeRow};
            use $crate::store::user_sql::duplicate_or;
            use $crate::store::audit_sql::insert_audit;
            use $crate::store::idempotency_sql::keep_answer;
            use $crate::store::{
                ApplicationOverview, ApplicationStore, ApplicationsOf, NewApplication, NewAuditEntry, NewDecision,
                StoreError, StoreResult, touched,
            };

            #[async_trait::async_trait]
            impl ApplicationStore for $backend {
                async fn list_applications(&self, of: ApplicationsOf) -> StoreResult<Vec<ApplicationOverview>> {
                    let (filter, id) = of.filter();
                    let select = format!("{APPLICATION_SELECT} WHERE {filter}");
                    let sql = Self::DIALECT.json_rows(&select, APPLICATION_NAMES, &[]);
                    let rows: Vec<ApplicationRow> = self.json_rows(&sql, Some(id)).await?;
                    let select = format!("{STAGE_CHANGE_SELECT} WHERE {filter}");
                    let sql = Self::DIALECT.json_rows(&select, STAGE_CHANGE_NAMES, &[]);
                    let changes: Vec<StageChangeRow> = self.json_rows(&sql, Some(id)).await?;
                    let mut applications =
                        rows.into_iter().map(|row| row.with_history(&changes)).collect::<StoreResult<Vec<_>>>()?;
                    // Newest first.
                    applications.sort_by_key(|o| (std::cmp::Reverse(o.application.applied_on), o.application.id));
                    Ok(applications)
                }

                async fn applicant_ids(&self, profile_id: i64) -> StoreResult<std::collections::HashSet<i64>> {
                    let ids: Vec<(i64,)> = sqlx::query_as(APPLICANT_IDS).bind(profile_id).fetch_all(&self.pool).await?;
                    Ok(ids.into_iter().map(|(id,)| id).collect())
                }

                async fn get_application(&self, id: i64) -> StoreResult<ApplicationOverview> {
                    application_on(&mut *self.pool.acquire().await?, id).await
                }

                async fn create_application(&self, new: NewApplication) -> StoreResult<ApplicationOverview> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin().await?;
                    // Selecting from both makes a missing candidate or profile an empty result. A
                    // recruiter's entry came from where the candidate came from.
                    let created: Option<(i64,)> = sqlx::query_as(
                        "INSERT INTO applications (candidate_id, profile_id, stage, applied_on, created_at, seen_at, source) \
                         SELECT c.id, p.id, 'applied', $3, $4, $4, c.source FROM candidates c, role_profiles p \
                         WHERE c.id = $1 AND p.id = $2 RETURNING id",
                    )
                    .bind(new.candidate_id)
                    .bind(new.profile_id)
                    .bind(new.applied_on)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(duplicate_or)?;
                    let (id,) = created.ok_or(StoreError::NotFound)?;
                    Self::start_application(&mut tx, id, Stage::Applied, Some(new.by), (now, now)).await?;
                    let application = application_on(&mut *tx, id).await?;
                    keep_answer!(tx, &application);
                    tx.commit().await?;
                    Ok(application)
                }

                async fn record_decision(&self, new: NewDecision<'_>, audit: &NewAuditEntry) -> StoreResult<Decision> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin().await?;
                    let moved = sqlx::query("UPDATE applications SET stage = $3 WHERE id = $1 AND stage = $2")
                        .bind(new.application_id)
                        .bind(new.from.as_str())
                        .bind(new.to.as_str())
                        .execute(&mut *tx)
                        .await?;
                    if moved.rows_affected() == 0 {
                        // Gone, or moved by someone else since the decision was checked against it.
                        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM applications WHERE id = $1")
                            .bind(new.application_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                        return Err(match exists {
                            Some(_) => StoreError::Conflict { current_version: 0 },
                            None => StoreError::NotFound,
                        });
                    }
                    Self::record_stage(&mut tx, new.application_id, new.to, Some(new.by), now).await?;
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO decisions (application_id, verdict, reason, stage, decided_by, decided_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(new.application_id)
                    .bind(new.verdict.as_str())
                    .bind(new.reason)
                    .bind(new.to.as_str())
                    .bind(new.by)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    let moved = serde_json::json!({ "application_id": new.application_id, "stage": new.to.as_str() });
                    Self::tell_webhooks(&mut tx, WebhookEvent::StageChanged, moved, now).await?;
                    let decided = serde_json::json!({
                        "application_id": new.application_id,
                        "decision_id": id,
                        "verdict": new.verdict.as_str(),
                    });
                    Self::tell_webhooks(&mut tx, WebhookEvent::DecisionRecorded, decided, now).await?;
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    self.decisions_where("d.id = $1", id).await?.pop().ok_or(StoreError::NotFound)
                }

                async fn list_decisions(&self, of: ApplicationsOf) -> StoreResult<Vec<Decision>> {
                    let (filter, id) = of.filter();
                    self.decisions_where(filter, id).await
                }

                async fn change_stage(
                    &self,
                    id: i64,
                    stage: Stage,
                    by: i64,
                    expected_version: Option<i64>,
                    audit: &NewAuditEntry,
                ) -> StoreResult<ApplicationOverview> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let done = sqlx::query("UPDATE applications SET stage = $2 WHERE id = $1")
                        .bind(id)
                        .bind(stage.as_str())
                        .execute(&mut *tx)
                        .await?;
                    touched(done.rows_affected())?;
                    // Counted after the update, which holds the application's row: a concurrent
                    // change has committed its stage change by now, or waits for this one.
                    let (version,): (i64,) =
                        sqlx::query_as("SELECT COUNT(*) FROM stage_changes WHERE application_id = $1")
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await?;
                    if expected_version.is_some_and(|expected| expected != version) {
                        return Err(StoreError::Conflict { current_version: version });
                    }
                    Self::record_stage(&mut tx, id, stage, Some(by), now).await?;
                    let data = serde_json::json!({ "application_id": id, "stage": stage.as_str() });
                    Self::tell_webhooks(&mut tx, WebhookEvent::StageChanged, data, now).await?;
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    self.get_application(id).await
                }
            }

            impl $backend {
                async fn decisions_where(&self, filter: &str, id: i64) -> StoreResult<Vec<Decision>> {
                    let select = format!("{DECISION_SELECT} WHERE {filter}");
                    let sql = Self::DIALECT.json_rows(&select, DECISION_NAMES, &[]);
                    let rows: Vec<DecisionRow> = self.json_rows(&sql, Some(id)).await?;
                    let mut decisions =
                        rows.into_iter().map(TryInto::try_into).collect::<StoreResult<Vec<Decision>>>()?;
                    decisions.sort_by_key(|d| (d.decided_at, d.id));
                    Ok(decisions)
                }

                /// Starts new application `id`'s history at `stage`, entered at `entered` (an
                /// imported history's day, else `at`, now) and, unless it is closed, gives it its
                /// profile's default interview panel, in the transaction that creates it.
                pub(super) async fn start_application(
                    tx: &mut sqlx::Transaction<'_, <$backend as $crate::store::Backend>::Db>,
                    id: i64,
                    stage: Stage,
                    by: Option<i64>,
                    (entered, at): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
                ) -> StoreResult<()> {
                    Self::record_stage(tx, id, stage, by, entered).await?;
                    let data = serde_json::json!({ "application_id": id, "stage": stage.as_str() });
                    Self::tell_webhooks(tx, WebhookEvent::ApplicationCreated, data, at).await?;
                    if !stage.is_closed() {
                        let sql = $crate::store::interview_sql::GIVE_PANEL.replace("{which}", "a.id = $1");
                        sqlx::query(&sql).bind(id).bind(at).execute(&mut **tx).await?;
                    }
                    Ok(())
                }

                /// Puts application `application_id` on its history at `stage`, moved there by
                /// `by` (nobody: a candidate who applied, or a command).
                pub(super) async fn record_stage(
                    tx: &mut sqlx::Transaction<'_, <$backend as $crate::store::Backend>::Db>,
                    application_id: i64,
                    stage: Stage,
                    by: Option<i64>,
                    at: chrono::DateTime<chrono::Utc>,
                ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO stage_changes (application_id, stage, changed_by, changed_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(application_id)
                .bind(stage.as_str())
                .bind(by)
                .bind(at)
                .execute(&mut **tx)
                .await?;
                Ok(())
                }
            }

            /// Application `id` with its history, read on `connection` (a transaction's, to read
            /// what it has written).
            async fn application_on(
                connection: &mut <<$backend as Backend>::Db as sqlx::Database>::Connection,
                id: i64,
            ) -> StoreResult<ApplicationOverview> {
                let row: Option<ApplicationRow> = sqlx::query_as(&format!("{APPLICATION_SELECT} WHERE a.id = $1"))
                    .bind(id)
                    .fetch_optional(&mut *connection)
                    .await?;
                let row = row.ok_or(StoreError::NotFound)?;
                let changes: Vec<StageChangeRow> = sqlx::query_as(&format!("{STAGE_CHANGE_SELECT} WHERE a.id = $1"))
                    .bind(id)
                    .fetch_all(&mut *connection)
                    .await?;
                row.with_history(&changes)
            }
        };
    };
}

pub(super) use impl_application_store;
