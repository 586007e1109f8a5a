//! The shared SQL implementation of [`InterviewStore`](super::InterviewStore): interview plans
//! and the interviewers' scorecards, for both backends.

pub const ASSIGNMENT_SELECT: &str = "SELECT ia.id, ia.application_id, ia.interviewer_id, u.name AS interviewer_name, \
    ia.competencies, ia.assigned_at, ia.starts_at, ia.duration_minutes, ia.place, ia.video_link \
    FROM interview_assignments ia JOIN users u ON u.id = ia.interviewer_id";

pub const PANEL_SELECT: &str = "SELECT pp.profile_id, pp.interviewer_id, u.name AS interviewer_name, u.active, \
    pp.competencies FROM profile_panels pp JOIN users u ON u.id = pp.interviewer_id";

/// The applications still in the process (not hired, not rejected).
pub const OPEN_APPLICATIONS: &str = "SELECT id FROM applications WHERE stage NOT IN ('hired', 'rejected')";

/// Plans the profile's active default panel members for the applications `{which}` names
/// (binding `$1`), each once; `$2` is now.
pub const GIVE_PANEL: &str = "INSERT INTO interview_assignments (application_id, interviewer_id, competencies, assigned_at) \
    SELECT a.id, pp.interviewer_id, pp.competencies, $2 FROM applications a \
    JOIN profile_panels pp ON pp.profile_id = a.profile_id JOIN users u ON u.id = pp.interviewer_id \
    WHERE {which} AND u.active ON CONFLICT (application_id, interviewer_id) DO NOTHING";

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

/// Implements `InterviewStore` for a backend struct with a `pool` field.
macro_rules! impl_interview_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::candidate::Assignment;
            use $crate::domain::scorecard::{Scorecard, ScorecardContent, mark_corrections_after_seeing_others};
            use $crate::domain::interview::{InterviewSlot, PanelMember, still_known};
            use $crate::store::interview_sql::{
                ASSIGNMENT_SELECT, GIVE_PANEL, OPEN_APPLICATIONS, PANEL_SELECT, SCORECARD_NAMES, SCORECARD_SELECT,
            };
            use $crate::store::Backend;
            use $crate::store::rows::{AssignmentRow, PanelMemberRow, ScorecardRow};
            use $crate::store::user_sql::duplicate_or;
            use $crate::store::audit_sql::insert_audit;
            use $crate::store::{
                ApplicationOverview, ApplicationStore, InterviewStore, NewAuditEntry, ScorecardsOf, StoreError,
                StoreResult, write_returning,
            };

            #[async_trait::async_trait]
            impl InterviewStore for $backend {
                async fn list_assignments(&self, application_id: i64) -> StoreResult<Vec<Assignment>> {
                    self.assignments_where("ia.application_id = $1", application_id).await
                }

                async fn list_profile_assignments(&self, profile_id: i64) -> StoreResult<Vec<Assignment>> {
                    self.assignments_where("ia.application_id IN (SELECT id FROM applications WHERE profile_id = $1)", profile_id)
                        .await
                }

                async fn list_assignments_of(&self, interviewer_id: i64) -> StoreResult<Vec<(Assignment, ApplicationOverview)>> {
                    let assignments = self.assignments_where("ia.interviewer_id = $1", interviewer_id).await?;
                    self.with_applications(assignments).await
                }

                async fn unscored_interviews(
                    &self,
                    before: chrono::NaiveDateTime,
                ) -> StoreResult<Vec<(Assignment, ApplicationOverview)>> {
                    let sql = format!(
                        "{ASSIGNMENT_SELECT} WHERE ia.starts_at < $1 \
                         AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = ia.id AND s.submitted_at IS NOT NULL) \
                         AND ia.application_id IN ({OPEN_APPLICATIONS}) \
                         AND ia.application_id IN (SELECT a.id FROM applications a JOIN candidates c \
                         ON c.id = a.candidate_id WHERE c.erased_at IS NULL) \
                         ORDER BY ia.starts_at, ia.id"
                    );
                    let rows: Vec<AssignmentRow> = sqlx::query_as(&sql).bind(before).fetch_all(&self.pool).await?;
                    self.with_applications(rows.into_iter().map(Into::into).collect()).await
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
                    .bind($crate::store::clock::now());
                    let id: Option<(i64,)> = write_returning(&self.pool, query).await?;
                    let (id,) = id.ok_or(StoreError::NotFound)?;
                    self.get_assignment(id).await
                }

                async fn remove_assignment(&self, id: i64, messages: &[$crate::store::NewMessage]) -> StoreResult<()> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let removed: Option<(i64, i64)> = sqlx::query_as(
                        "DELETE FROM interview_assignments WHERE id = $1 RETURNING application_id, \
                         (SELECT candidate_id FROM applications a WHERE a.id = application_id)",
                    )
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let (application_id, _) = removed.ok_or(StoreError::NotFound)?;
                    <$backend>::queue_unless_erased(&mut tx, application_id, messages).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn schedule(
                    &self,
                    application_id: i64,
                    interviewer_ids: &[i64],
                    slot: Option<&InterviewSlot>,
                    invitations: &[$crate::store::NewMessage],
                ) -> StoreResult<Vec<Assignment>> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    <$backend>::queue_unless_erased(&mut tx, application_id, invitations).await?;
                    for interviewer_id in interviewer_ids {
                        sqlx::query(
                            "UPDATE interview_assignments SET starts_at = $3, duration_minutes = $4, place = $5, \
                             video_link = $6 WHERE application_id = $1 AND interviewer_id = $2",
                        )
                        .bind(application_id)
                        .bind(interviewer_id)
                        .bind(slot.map(|s| s.starts_at))
                        .bind(slot.map(|s| i32::from(s.duration_minutes)))
                        .bind(slot.and_then(|s| s.place.as_deref()))
                        .bind(slot.and_then(|s| s.video_link.as_deref()))
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    self.list_assignments(application_id).await
                }

                async fn list_panel(&self, profile_id: i64) -> StoreResult<Vec<PanelMember>> {
                    let sql = format!("{PANEL_SELECT} WHERE pp.profile_id = $1 ORDER BY u.name, u.id");
                    let rows: Vec<PanelMemberRow> = sqlx::query_as(&sql).bind(profile_id).fetch_all(&self.pool).await?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }

                async fn set_panel_member(
                    &self,
                    profile_id: i64,
                    interviewer_id: i64,
                    competencies: &[String],
                ) -> StoreResult<PanelMember> {
                    let query = sqlx::query_as(
                        "INSERT INTO profile_panels (profile_id, interviewer_id, competencies, added_at) \
                         SELECT p.id, u.id, $3, $4 FROM role_profiles p, users u WHERE p.id = $1 AND u.id = $2 \
                         ON CONFLICT (profile_id, interviewer_id) DO UPDATE SET competencies = excluded.competencies \
                         RETURNING interviewer_id",
                    )
                    .bind(profile_id)
                    .bind(interviewer_id)
                    .bind(sqlx::types::Json(competencies))
                    .bind($crate::store::clock::now());
                    let set: Option<(i64,)> = write_returning(&self.pool, query).await?;
                    set.ok_or(StoreError::NotFound)?;
                    let panel = self.list_panel(profile_id).await?;
                    panel.into_iter().find(|m| m.interviewer_id == interviewer_id).ok_or(StoreError::NotFound)
                }

                async fn remove_panel_member(&self, profile_id: i64, interviewer_id: i64) -> StoreResult<()> {
                    let removed = sqlx::query("DELETE FROM profile_panels WHERE profile_id = $1 AND interviewer_id = $2")
                        .bind(profile_id)
                        .bind(interviewer_id)
                        .execute(&self.pool)
                        .await?;
                    if removed.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
                }

                async fn prune_panels(&self, known: &[&str]) -> StoreResult<u64> {
                    let members: Vec<(i64, i64, sqlx::types::Json<Vec<String>>)> =
                        sqlx::query_as("SELECT profile_id, interviewer_id, competencies FROM profile_panels")
                            .fetch_all(&self.pool)
                            .await?;
                    let mut changed = 0;
                    let mut tx = self.pool.begin().await?;
                    for (profile_id, interviewer_id, competencies) in members {
                        let (kept, pruned) = still_known(&competencies.0, known);
                        if !pruned {
                            continue;
                        }
                        if kept.is_empty() {
                            sqlx::query("DELETE FROM profile_panels WHERE profile_id = $1 AND interviewer_id = $2")
                                .bind(profile_id)
                                .bind(interviewer_id)
                                .execute(&mut *tx)
                                .await?;
                        } else {
                            sqlx::query(
                                "UPDATE profile_panels SET competencies = $3 WHERE profile_id = $1 AND interviewer_id = $2",
                            )
                            .bind(profile_id)
                            .bind(interviewer_id)
                            .bind(sqlx::types::Json(kept))
                            .execute(&mut *tx)
                            .await?;
                        }
                        changed += 1;
                    }
                    tx.commit().await?;
                    Ok(changed)
                }

                async fn apply_panel(&self, profile_id: i64) -> StoreResult<u64> {
                    let which = format!(
                        "a.profile_id = $1 AND a.id IN ({OPEN_APPLICATIONS}) \
                         AND a.candidate_id IN (SELECT id FROM candidates WHERE erased_at IS NULL)"
                    );
                    let sql = GIVE_PANEL.replace("{which}", &which);
                    let given = sqlx::query(&sql).bind(profile_id).bind($crate::store::clock::now()).execute(&self.pool).await?;
                    Ok(given.rows_affected())
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
                    audit: &NewAuditEntry,
                ) -> StoreResult<Scorecard> {
                    let now = $crate::store::clock::now();
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
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    self.scorecard_with_its_application(id).await
                }

                async fn start_correction(&self, assignment_id: i64, audit: &NewAuditEntry) -> StoreResult<Scorecard> {
                    let current = self.scorecards_where("s.assignment_id = $1", Some(assignment_id)).await?.pop();
                    let current = current.ok_or(StoreError::NotFound)?;
                    if !current.is_submitted() {
                        return Err(StoreError::Conflict { current_version: current.number });
                    }
                    let mut tx = self.pool.begin().await?;
                    let created: Option<(i64,)> = sqlx::query_as(
                        "INSERT INTO scorecards (assignment_id, number, ratings, recommendation, rubric_version, updated_at) \
                         SELECT assignment_id, number + 1, ratings, recommendation, rubric_version, $2 FROM scorecards \
                         WHERE id = $1 RETURNING id",
                    )
                    .bind(current.id)
                    .bind($crate::store::clock::now())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(duplicate_or)?;
                    let (id,) = created.ok_or(StoreError::NotFound)?;
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    self.scorecard_with_its_application(id).await
                }
            }

            impl $backend {
                /// Writes `messages` about application `application_id` to the outbox within `tx`,
                /// unless its candidate's data was erased: the candidate's row is held to the end,
                /// so that an erasure waits for them (and deletes them) or went first (and none is
                /// written).
                async fn queue_unless_erased(
                    tx: &mut sqlx::Transaction<'_, <$backend as Backend>::Db>,
                    application_id: i64,
                    messages: &[$crate::store::NewMessage],
                ) -> StoreResult<()> {
                    if messages.is_empty() {
                        return Ok(());
                    }
                    let sql = format!(
                        "SELECT c.id FROM candidates c JOIN applications a ON a.candidate_id = c.id \
                         WHERE a.id = $1 AND c.erased_at IS NULL {}",
                        Self::DIALECT.lock_of("c")
                    );
                    let present: Option<(i64,)> = sqlx::query_as(&sql).bind(application_id).fetch_optional(&mut **tx).await?;
                    if let Some((candidate_id,)) = present {
                        for message in messages {
                            <$backend>::queue_message(tx, Some(candidate_id), Some(application_id), message).await?;
                        }
                    }
                    Ok(())
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

                async fn with_applications(
                    &self,
                    assignments: Vec<Assignment>,
                ) -> StoreResult<Vec<(Assignment, ApplicationOverview)>> {
                    let mut assigned = Vec::new();
                    for assignment in assignments {
                        let application = self.get_application(assignment.application_id).await?;
                        assigned.push((assignment, application));
                    }
                    Ok(assigned)
                }

                async fn assignments_where(&self, filter: &str, id: i64) -> StoreResult<Vec<Assignment>> {
                    let sql = format!("{ASSIGNMENT_SELECT} WHERE {filter} ORDER BY ia.assigned_at, ia.id");
                    let rows: Vec<AssignmentRow> = sqlx::query_as(&sql).bind(id).fetch_all(&self.pool).await?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }
            }
        };
    };
}

pub(super) use impl_interview_store;
