//! The shared SQL implementation of [`CandidateStore`](super::CandidateStore): candidates,
//! applications and their stage changes, for both backends.

pub const CANDIDATE_COLUMNS: &str = "id, version, name, email, phone, source, notes, link, talent_pool_given_on, \
    talent_pool_until, created_at, updated_at, erased_at";
pub const CANDIDATE_OVERVIEW_NAMES: &[&str] = &[
    "id",
    "version",
    "name",
    "email",
    "phone",
    "source",
    "notes",
    "link",
    "talent_pool_given_on",
    "talent_pool_until",
    "created_at",
    "updated_at",
    "erased_at",
    "application_count",
];

/// An application with the names shown beside it; `{where}` is filled in per query.
pub const APPLICATION_SELECT: &str = "SELECT a.id, a.candidate_id, a.profile_id, a.stage, a.applied_on, \
    c.name AS candidate_name, p.title AS profile_title, co.name AS company_name, p.hiring_manager_id \
    FROM applications a JOIN candidates c ON c.id = a.candidate_id \
    JOIN role_profiles p ON p.id = a.profile_id JOIN companies co ON co.id = p.company_id";

pub const APPLICATION_NAMES: &[&str] = &[
    "id",
    "candidate_id",
    "profile_id",
    "stage",
    "applied_on",
    "candidate_name",
    "profile_title",
    "company_name",
    "hiring_manager_id",
];

pub const STAGE_CHANGE_SELECT: &str = "SELECT sc.application_id, sc.stage, u.name AS changed_by, sc.changed_at \
    FROM stage_changes sc JOIN applications a ON a.id = sc.application_id LEFT JOIN users u ON u.id = sc.changed_by";

pub const STAGE_CHANGE_NAMES: &[&str] = &["application_id", "stage", "changed_by", "changed_at"];

pub const DECISION_SELECT: &str = "SELECT d.id, d.application_id, d.verdict, d.reason, d.stage, \
    u.name AS decided_by, d.decided_at FROM decisions d JOIN applications a ON a.id = d.application_id \
    LEFT JOIN users u ON u.id = d.decided_by";

pub const DECISION_NAMES: &[&str] = &["id", "application_id", "verdict", "reason", "stage", "decided_by", "decided_at"];

pub const ASSIGNMENT_SELECT: &str = "SELECT ia.id, ia.application_id, ia.interviewer_id, u.name AS interviewer_name, \
    ia.competencies, ia.assigned_at FROM interview_assignments ia JOIN users u ON u.id = ia.interviewer_id";

pub const SCORECARD_SELECT: &str = "SELECT s.id, s.assignment_id, ia.application_id, ia.interviewer_id, u.name AS interviewer_name, \
    s.number, s.ratings, s.recommendation, s.rubric_version, s.submitted_at, s.updated_at FROM scorecards s \
    JOIN interview_assignments ia ON ia.id = s.assignment_id JOIN users u ON u.id = ia.interviewer_id";

pub const SCORECARD_NAMES: &[&str] = &[
    "id",
    "assignment_id",
    "application_id",
    "interviewer_id",
    "interviewer_name",
    "number",
    "ratings",
    "recommendation",
    "rubric_version",
    "submitted_at",
    "updated_at",
];

/// The candidates retention may be due for: not anonymised, and every application (if any)
/// ended in a rejection. Over `candidates c`.
pub const RETENTION_FILTER: &str = "c.erased_at IS NULL AND NOT EXISTS \
    (SELECT 1 FROM applications a WHERE a.candidate_id = c.id AND a.stage <> 'rejected')";

/// Applications' stages with when they last changed; `{where}` is added per query.
pub const APPLICATION_STATE_SELECT: &str = "SELECT a.candidate_id, a.stage, a.created_at, \
    (SELECT MAX(sc.changed_at) FROM stage_changes sc WHERE sc.application_id = a.id) AS changed_at FROM applications a";

/// Binds a candidate's details as the next eight parameters.
macro_rules! bind_candidate {
    ($query:expr, $details:expr) => {
        $query
            .bind(&$details.name)
            .bind(&$details.email)
            .bind(&$details.phone)
            .bind(&$details.source)
            .bind(&$details.notes)
            .bind(&$details.link)
            .bind($details.talent_pool.map(|c| c.given_on))
            .bind($details.talent_pool.map(|c| c.until))
    };
}

/// Implements `CandidateStore` for a backend struct with a `pool` field.
macro_rules! impl_candidate_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::candidate::{Assignment, Candidate, CandidateDetails, Stage};
            use $crate::store::candidate_sql::{
                APPLICATION_NAMES, APPLICATION_SELECT, APPLICATION_STATE_SELECT, ASSIGNMENT_SELECT, CANDIDATE_COLUMNS,
                CANDIDATE_OVERVIEW_NAMES, DECISION_NAMES, DECISION_SELECT, RETENTION_FILTER, SCORECARD_NAMES,
                SCORECARD_SELECT, STAGE_CHANGE_NAMES, STAGE_CHANGE_SELECT, bind_candidate,
            };
            use $crate::store::Backend;
            use $crate::store::audit_sql::AUDIT_INSERT;
            use $crate::domain::audit::{AuditAction, AuditSubject};
            use $crate::domain::decision::Decision;
            use $crate::domain::retention::{Retention, RetentionPolicy};
            use $crate::domain::scorecard::{
                CompetencyRating, Scorecard, ScorecardContent, mark_corrections_after_seeing_others,
            };
            use $crate::store::rows::{
                ApplicationRow, ApplicationStateRow, AssignmentRow, CandidateOverviewRow, CandidateRow, DecisionRow,
                RetentionRow, ScorecardRow, StageChangeRow,
            };
            use $crate::store::user_sql::duplicate_or;
            use $crate::store::{
                ApplicationOverview, ApplicationsOf, CandidateOverview, CandidateStore, ERASED, Erasure, NewApplication,
                NewDecision, PurgeStep, RETENTION_ACTOR, RetentionCandidate, ScorecardsOf, StoreError, StoreResult,
                touched, write_returning,
            };

            #[async_trait::async_trait]
            impl CandidateStore for $backend {
                async fn list_candidates(&self) -> StoreResult<Vec<CandidateOverview>> {
                    let select = format!(
                        "SELECT {CANDIDATE_COLUMNS}, (SELECT COUNT(*) FROM applications a WHERE a.candidate_id = \
                         candidates.id) AS application_count FROM candidates"
                    );
                    let sql = Self::DIALECT.json_rows(&select, CANDIDATE_OVERVIEW_NAMES, &[]);
                    let rows: Vec<CandidateOverviewRow> = self.json_rows(&sql, None).await?;
                    let mut candidates: Vec<CandidateOverview> = rows
                        .into_iter()
                        .map(|row| CandidateOverview {
                            candidate: row.candidate.into(),
                            application_count: row.application_count,
                        })
                        .collect();
                    candidates.sort_by_cached_key(|o| (o.candidate.details.name.to_lowercase(), o.candidate.id));
                    Ok(candidates)
                }

                async fn get_candidate(&self, id: i64) -> StoreResult<Candidate> {
                    let sql = format!("SELECT {CANDIDATE_COLUMNS} FROM candidates WHERE id = $1");
                    let row: Option<CandidateRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                    Ok(row.ok_or(StoreError::NotFound)?.into())
                }

                async fn create_candidate(&self, details: &CandidateDetails) -> StoreResult<Candidate> {
                    let sql = format!(
                        "INSERT INTO candidates (created_at, name, email, phone, source, notes, link, \
                         talent_pool_given_on, talent_pool_until, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $1) RETURNING {CANDIDATE_COLUMNS}"
                    );
                    let query = bind_candidate!(sqlx::query_as(&sql).bind(chrono::Utc::now()), details);
                    let row: Option<CandidateRow> = write_returning(&self.pool, query).await?;
                    Ok(row.ok_or(StoreError::NotFound)?.into())
                }

                async fn update_candidate(
                    &self,
                    id: i64,
                    expected_version: i64,
                    details: &CandidateDetails,
                ) -> StoreResult<Candidate> {
                    let sql = format!(
                        "UPDATE candidates SET name = $2, email = $3, phone = $4, source = $5, notes = $6, link = $7, \
                         talent_pool_given_on = $8, talent_pool_until = $9, updated_at = $10, version = version + 1 \
                         WHERE id = $1 AND version = $11 RETURNING {CANDIDATE_COLUMNS}"
                    );
                    let query = bind_candidate!(sqlx::query_as(&sql).bind(id), details)
                        .bind(chrono::Utc::now())
                        .bind(expected_version);
                    let row: Option<CandidateRow> = write_returning(&self.pool, query).await?;
                    match row {
                        Some(row) => Ok(row.into()),
                        None => Err(self.why_not_written("candidates", id).await),
                    }
                }

                async fn delete_candidate(&self, id: i64) -> StoreResult<()> {
                    self.delete_by_id("candidates", id).await
                }

                async fn erase_candidate(&self, id: i64) -> StoreResult<Erasure> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let found: Option<(Option<chrono::DateTime<chrono::Utc>>,)> =
                        sqlx::query_as("SELECT erased_at FROM candidates WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    match found {
                        None => return Err(StoreError::NotFound),
                        Some((Some(_),)) => return Ok(Erasure::AlreadyErased),
                        Some((None,)) => {}
                    }
                    anonymise(&mut tx, id).await?;
                    tx.commit().await?;
                    Ok(Erasure::Erased)
                }

                async fn retention_candidates(&self) -> StoreResult<Vec<RetentionCandidate>> {
                    let sql = format!(
                        "SELECT c.id, c.name, c.created_at, c.talent_pool_given_on, c.talent_pool_until \
                         FROM candidates c WHERE {RETENTION_FILTER} ORDER BY c.id"
                    );
                    let candidates: Vec<RetentionRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                    let sql = format!("{APPLICATION_STATE_SELECT} WHERE a.candidate_id IN \
                        (SELECT c.id FROM candidates c WHERE {RETENTION_FILTER})");
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
                        "SELECT id, name, created_at, talent_pool_given_on, talent_pool_until FROM candidates \
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
                    anonymise(&mut tx, id).await?;
                    let ended = if candidate.record.talent_pool.is_some() { " and the talent-pool consent" } else { "" };
                    let detail = format!("anonymised: the retention period of {policy} months{ended} ended");
                    sqlx::query(AUDIT_INSERT)
                        .bind(now)
                        .bind(None::<i64>)
                        .bind(RETENTION_ACTOR)
                        .bind(AuditAction::AnonymiseData.as_str())
                        .bind(AuditSubject::Candidate.as_str())
                        .bind(id)
                        .bind(detail)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(PurgeStep::Anonymised)
                }

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

                async fn get_application(&self, id: i64) -> StoreResult<ApplicationOverview> {
                    let row: Option<ApplicationRow> = sqlx::query_as(&format!("{APPLICATION_SELECT} WHERE a.id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                    let row = row.ok_or(StoreError::NotFound)?;
                    let changes: Vec<StageChangeRow> =
                        sqlx::query_as(&format!("{STAGE_CHANGE_SELECT} WHERE a.id = $1"))
                            .bind(id)
                            .fetch_all(&self.pool)
                            .await?;
                    row.with_history(&changes)
                }

                async fn create_application(&self, new: NewApplication) -> StoreResult<ApplicationOverview> {
                    let now = chrono::Utc::now();
                    let mut tx = self.pool.begin().await?;
                    // Selecting from both makes a missing candidate or profile an empty result.
                    let created: Option<(i64,)> = sqlx::query_as(
                        "INSERT INTO applications (candidate_id, profile_id, stage, applied_on, created_at) \
                         SELECT c.id, p.id, 'applied', $3, $4 FROM candidates c, role_profiles p \
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
                    record_stage(&mut tx, id, Stage::Applied, new.by, now).await?;
                    tx.commit().await?;
                    self.get_application(id).await
                }

                async fn record_decision(&self, new: NewDecision<'_>) -> StoreResult<Decision> {
                    let now = chrono::Utc::now();
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
                    record_stage(&mut tx, new.application_id, new.to, new.by, now).await?;
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
                    tx.commit().await?;
                    self.decisions_where("d.id = $1", id).await?.pop().ok_or(StoreError::NotFound)
                }

                async fn list_decisions(&self, of: ApplicationsOf) -> StoreResult<Vec<Decision>> {
                    let (filter, id) = of.filter();
                    self.decisions_where(filter, id).await
                }

                async fn change_stage(&self, id: i64, stage: Stage, by: i64) -> StoreResult<ApplicationOverview> {
                    let now = chrono::Utc::now();
                    let mut tx = self.pool.begin().await?;
                    let done = sqlx::query("UPDATE applications SET stage = $2 WHERE id = $1")
                        .bind(id)
                        .bind(stage.as_str())
                        .execute(&mut *tx)
                        .await?;
                    touched(done.rows_affected())?;
                    record_stage(&mut tx, id, stage, by, now).await?;
                    tx.commit().await?;
                    self.get_application(id).await
                }

                async fn list_assignments(&self, application_id: i64) -> StoreResult<Vec<Assignment>> {
                    self.assignments_where("ia.application_id = $1", application_id).await
                }

                async fn list_assignments_of(&self, interviewer_id: i64) -> StoreResult<Vec<(Assignment, ApplicationOverview)>> {
                    let mut assigned = Vec::new();
                    for assignment in self.assignments_where("ia.interviewer_id = $1", interviewer_id).await? {
                        let application = self.get_application(assignment.application_id).await?;
                        assigned.push((assignment, application));
                    }
                    Ok(assigned)
                }

                async fn get_assignment(&self, id: i64) -> StoreResult<Assignment> {
                    self.assignments_where("ia.id = $1", id).await?.pop().ok_or(StoreError::NotFound)
                }

                async fn assign(
                    &self,
                    application_id: i64,
                    interviewer_id: i64,
                    competencies: &[String],
                ) -> StoreResult<Assignment> {
                    let query = sqlx::query_as(
                        "INSERT INTO interview_assignments (application_id, interviewer_id, competencies, assigned_at) \
                         SELECT a.id, u.id, $3, $4 FROM applications a, users u WHERE a.id = $1 AND u.id = $2 \
                         ON CONFLICT (application_id, interviewer_id) DO UPDATE SET competencies = excluded.competencies \
                         RETURNING id",
                    )
                    .bind(application_id)
                    .bind(interviewer_id)
                    .bind(sqlx::types::Json(competencies))
                    .bind(chrono::Utc::now());
                    let id: Option<(i64,)> = write_returning(&self.pool, query).await?;
                    let (id,) = id.ok_or(StoreError::NotFound)?;
                    self.get_assignment(id).await
                }

                async fn remove_assignment(&self, id: i64) -> StoreResult<()> {
                    self.delete_by_id("interview_assignments", id).await
                }

                async fn list_scorecards(&self, of: ScorecardsOf) -> StoreResult<Vec<Scorecard>> {
                    match of {
                        ScorecardsOf::Application(id) => self.application_scorecards("ia.application_id = $1", Some(id)).await,
                        ScorecardsOf::Profile(id) => {
                            let filter = "ia.application_id IN (SELECT id FROM applications WHERE profile_id = $1)";
                            self.application_scorecards(filter, Some(id)).await
                        }
                        ScorecardsOf::All => self.application_scorecards("TRUE", None).await,
                    }
                }

                async fn write_scorecard(
                    &self,
                    assignment_id: i64,
                    card: &ScorecardContent,
                    rubric_version: &str,
                    submit: bool,
                ) -> StoreResult<Scorecard> {
                    let now = chrono::Utc::now();
                    let submitted_at = submit.then_some(now);
                    let mut tx = self.pool.begin().await?;
                    let current: Option<(i64, i32, Option<chrono::DateTime<chrono::Utc>>)> = sqlx::query_as(
                        "SELECT id, number, submitted_at FROM scorecards WHERE assignment_id = $1 ORDER BY number DESC LIMIT 1",
                    )
                    .bind(assignment_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let ratings = sqlx::types::Json(&card.ratings);
                    let recommendation = card.recommendation.map(|r| r.as_str());
                    let id = match current {
                        Some((_, number, Some(_))) => return Err(StoreError::Conflict { current_version: number.into() }),
                        Some((id, _, None)) => {
                            sqlx::query(
                                "UPDATE scorecards SET ratings = $2, recommendation = $3, rubric_version = $4, \
                                 submitted_at = $5, updated_at = $6 WHERE id = $1",
                            )
                            .bind(id)
                            .bind(ratings)
                            .bind(recommendation)
                            .bind(rubric_version)
                            .bind(submitted_at)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                            id
                        }
                        None => {
                            let (id,): (i64,) = sqlx::query_as(
                                "INSERT INTO scorecards (assignment_id, number, ratings, recommendation, rubric_version, \
                                 submitted_at, updated_at) SELECT id, 1, $2, $3, $4, $5, $6 FROM interview_assignments \
                                 WHERE id = $1 RETURNING id",
                            )
                            .bind(assignment_id)
                            .bind(ratings)
                            .bind(recommendation)
                            .bind(rubric_version)
                            .bind(submitted_at)
                            .bind(now)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(StoreError::NotFound)?;
                            id
                        }
                    };
                    tx.commit().await?;
                    self.scorecard_with_its_application(id).await
                }

                async fn start_correction(&self, assignment_id: i64) -> StoreResult<Scorecard> {
                    let current = self.scorecards_where("s.assignment_id = $1", Some(assignment_id)).await?.pop();
                    let current = current.ok_or(StoreError::NotFound)?;
                    if !current.is_submitted() {
                        return Err(StoreError::Conflict { current_version: current.number });
                    }
                    let query = sqlx::query_as(
                        "INSERT INTO scorecards (assignment_id, number, ratings, recommendation, rubric_version, updated_at) \
                         SELECT assignment_id, number + 1, ratings, recommendation, rubric_version, $2 FROM scorecards \
                         WHERE id = $1 RETURNING id",
                    )
                    .bind(current.id)
                    .bind(chrono::Utc::now());
                    let created: Option<(i64,)> = write_returning(&self.pool, query).await.map_err(duplicate_or)?;
                    let (id,) = created.ok_or(StoreError::NotFound)?;
                    self.scorecard_with_its_application(id).await
                }
            }

            impl $backend {
                async fn decisions_where(&self, filter: &str, id: i64) -> StoreResult<Vec<Decision>> {
                    let select = format!("{DECISION_SELECT} WHERE {filter}");
                    let sql = Self::DIALECT.json_rows(&select, DECISION_NAMES, &[]);
                    let rows: Vec<DecisionRow> = self.json_rows(&sql, Some(id)).await?;
                    let mut decisions = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<Vec<Decision>>>()?;
                    decisions.sort_by_key(|d| (d.decided_at, d.id));
                    Ok(decisions)
                }

                /// The rows of a [`json_rows`]($crate::store::Dialect::json_rows) query; `sql` takes
                /// `id` as `$1`, or no parameter with `None`.
                async fn json_rows<T: serde::de::DeserializeOwned>(&self, sql: &str, id: Option<i64>) -> StoreResult<Vec<T>> {
                    let mut query = sqlx::query_as(sql);
                    if let Some(id) = id {
                        query = query.bind(id);
                    }
                    let (json,): (String,) = query.fetch_one(&self.pool).await?;
                    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("a list read as JSON: {e}")))
                }

                /// `filter` takes `id` as `$1`, or no parameter with `None`.
                async fn scorecards_where(&self, filter: &str, id: Option<i64>) -> StoreResult<Vec<Scorecard>> {
                    let select = format!("{SCORECARD_SELECT} WHERE {filter}");
                    let sql = Self::DIALECT.json_rows(&select, SCORECARD_NAMES, &["ratings"]);
                    let rows: Vec<ScorecardRow> = self.json_rows(&sql, id).await?;
                    let mut cards = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<Vec<Scorecard>>>()?;
                    cards.sort_by_key(|c| (c.assignment_id, c.number));
                    Ok(cards)
                }

                /// Every version of every scorecard of the applications `filter` names (taking `id`
                /// as `$1`), each correction marked as the domain rule says.
                async fn application_scorecards(&self, filter: &str, id: Option<i64>) -> StoreResult<Vec<Scorecard>> {
                    let mut cards = self.scorecards_where(filter, id).await?;
                    mark_corrections_after_seeing_others(&mut cards);
                    Ok(cards)
                }

                /// Scorecard `id`, marked as it is among its application's others.
                async fn scorecard_with_its_application(&self, id: i64) -> StoreResult<Scorecard> {
                    let filter = "ia.application_id = (SELECT a2.application_id FROM scorecards s2 \
                                  JOIN interview_assignments a2 ON a2.id = s2.assignment_id WHERE s2.id = $1)";
                    let cards = self.application_scorecards(filter, Some(id)).await?;
                    cards.into_iter().find(|card| card.id == id).ok_or(StoreError::NotFound)
                }

                async fn assignments_where(&self, filter: &str, id: i64) -> StoreResult<Vec<Assignment>> {
                    let sql = format!("{ASSIGNMENT_SELECT} WHERE {filter} ORDER BY ia.assigned_at, ia.id");
                    let rows: Vec<AssignmentRow> = sqlx::query_as(&sql).bind(id).fetch_all(&self.pool).await?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }
            }

            /// Erases candidate `id`'s personal data within `tx`: their details and talent-pool
            /// consent, the evidence written about them, the reasons given for decisions.
            /// Scores, stages and verdicts stay, anonymous.
            async fn anonymise(tx: &mut sqlx::Transaction<'_, <$backend as Backend>::Db>, id: i64) -> StoreResult<()> {
                let now = chrono::Utc::now();
                sqlx::query(
                    "UPDATE candidates SET name = $2, email = '', phone = NULL, source = NULL, notes = NULL, \
                     link = NULL, talent_pool_given_on = NULL, talent_pool_until = NULL, erased_at = $3, \
                     updated_at = $3, version = version + 1 WHERE id = $1",
                )
                .bind(id)
                .bind(ERASED)
                .bind(now)
                .execute(&mut **tx)
                .await?;
                let cards: Vec<(i64, sqlx::types::Json<Vec<CompetencyRating>>)> = sqlx::query_as(
                    "SELECT s.id, s.ratings FROM scorecards s \
                     JOIN interview_assignments ia ON ia.id = s.assignment_id \
                     JOIN applications a ON a.id = ia.application_id WHERE a.candidate_id = $1",
                )
                .bind(id)
                .fetch_all(&mut **tx)
                .await?;
                for (card, sqlx::types::Json(mut ratings)) in cards {
                    for rating in ratings.iter_mut().filter(|r| !r.evidence.is_empty()) {
                        rating.evidence = ERASED.to_owned();
                    }
                    sqlx::query("UPDATE scorecards SET ratings = $2 WHERE id = $1")
                        .bind(card)
                        .bind(sqlx::types::Json(&ratings))
                        .execute(&mut **tx)
                        .await?;
                }
                sqlx::query(
                    "UPDATE decisions SET reason = $2 WHERE application_id IN \
                     (SELECT id FROM applications WHERE candidate_id = $1)",
                )
                .bind(id)
                .bind(ERASED)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn record_stage<'c>(
                tx: &mut sqlx::Transaction<'c, <$backend as $crate::store::Backend>::Db>,
                application_id: i64,
                stage: Stage,
                by: i64,
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
        };
    };
}

pub(super) use {bind_candidate, impl_candidate_store};
