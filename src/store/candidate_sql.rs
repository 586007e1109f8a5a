//! The shared SQL implementation of [`CandidateStore`](super::CandidateStore): candidates and
//! the erasure of their personal data, for both backends.

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
    "new_applications",
];

/// Adds a candidate: `$1` the time, then the details as [`bind_candidate`] binds them; the
/// caller adds what the insert returns.
pub const INSERT_CANDIDATE: &str = "INSERT INTO candidates (created_at, name, email, phone, source, notes, link, \
    talent_pool_given_on, talent_pool_until, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $1)";

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
            use $crate::domain::candidate::{Candidate, CandidateDetails};
            use $crate::domain::scorecard::CompetencyRating;
            use $crate::store::Backend;
            use $crate::store::candidate_sql::{CANDIDATE_COLUMNS, CANDIDATE_OVERVIEW_NAMES, INSERT_CANDIDATE, bind_candidate};
            use $crate::store::rows::{CandidateOverviewRow, CandidateRow};
            use $crate::store::{CandidateOverview, CandidateStore, ERASED, Erasure, StoreError, StoreResult, write_returning};

            #[async_trait::async_trait]
            impl CandidateStore for $backend {
                async fn list_candidates(&self) -> StoreResult<Vec<CandidateOverview>> {
                    let select = format!(
                        "SELECT {CANDIDATE_COLUMNS}, (SELECT COUNT(*) FROM applications a WHERE a.candidate_id = \
                         candidates.id) AS application_count, (SELECT COUNT(*) FROM applications a WHERE \
                         a.candidate_id = candidates.id AND a.seen_at IS NULL) AS new_applications FROM candidates"
                    );
                    let sql = Self::DIALECT.json_rows(&select, CANDIDATE_OVERVIEW_NAMES, &[]);
                    let rows: Vec<CandidateOverviewRow> = self.json_rows(&sql, None).await?;
                    let mut candidates: Vec<CandidateOverview> = rows
                        .into_iter()
                        .map(|row| CandidateOverview {
                            candidate: row.candidate.into(),
                            application_count: row.application_count,
                            new_applications: row.new_applications,
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
                    let sql = format!("{INSERT_CANDIDATE} RETURNING {CANDIDATE_COLUMNS}");
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

                async fn delete_candidate(&self, id: i64, expected_version: Option<i64>) -> StoreResult<()> {
                    self.delete_at_version("candidates", id, expected_version).await
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
                    Self::anonymise(&mut tx, id).await?;
                    tx.commit().await?;
                    Ok(Erasure::Erased)
                }
            }

            impl $backend {
                /// Erases candidate `id`'s personal data within `tx`: their details and talent-pool
                /// consent, their documents and messages, the evidence written about them, the
                /// reasons given for decisions.
                /// Scores, stages and verdicts stay, anonymous. Erasure on request and the
                /// retention period's anonymisation both end here.
                pub(super) async fn anonymise(
                    tx: &mut sqlx::Transaction<'_, <$backend as Backend>::Db>,
                    id: i64,
                ) -> StoreResult<()> {
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
                    // What they sent: the documents and their text, their messages, and the
                    // sources (a link's source can name a person who referred them).
                    sqlx::query("DELETE FROM documents WHERE candidate_id = $1").bind(id).execute(&mut **tx).await?;
                    sqlx::query("UPDATE applications SET message = NULL, source = NULL WHERE candidate_id = $1")
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                    // An answer kept for a retried POST may hold the candidate's data (the
                    // candidate created, an application with their name). Those answers only
                    // spare a client a duplicate for a day, so all are dropped, not searched.
                    sqlx::query("DELETE FROM idempotency_keys WHERE response_status IS NOT NULL")
                        .execute(&mut **tx)
                        .await?;
                    Ok(())
                }
            }
        };
    };
}

pub(super) use {bind_candidate, impl_candidate_store};
