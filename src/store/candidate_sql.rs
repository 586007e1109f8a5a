//! The shared SQL implementation of [`CandidateStore`](super::CandidateStore): candidates and
//! the erasure of their personal data, for both backends.

use super::rows::ListedCandidateRow;
use super::{CandidateSearch, Dialect, ListedCandidate};
use crate::domain::candidate::ListOrder;

pub const CANDIDATE_COLUMNS: &str = "id, version, name, email, phone, source, notes, link, talent_pool_given_on, \
    talent_pool_until, created_at, updated_at, erased_at, talent_pool_given_via, possible_duplicate_of";

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
    "talent_pool_given_via",
    "possible_duplicate_of",
    "application_count",
    "new_applications",
];

/// A value a candidate search binds.
pub enum SearchValue {
    Int(i64),
    Text(String),
    Time(chrono::DateTime<chrono::Utc>),
}

/// Where the previous page ended, as the orders sort: the candidate's sort name and activity.
pub struct SearchCursor {
    pub id: i64,
    pub sort_name: String,
    pub last_activity_at: chrono::DateTime<chrono::Utc>,
}

/// The conditions of a search over candidates `c` and the values they bind, `$1` onwards.
#[derive(Default)]
struct SearchSql {
    conditions: Vec<String>,
    values: Vec<SearchValue>,
}

impl SearchSql {
    /// `value` bound: its placeholder.
    fn bind(&mut self, value: SearchValue) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    fn hiring_manager_condition(&mut self, hiring_manager: i64) -> String {
        let manager = self.bind(SearchValue::Int(hiring_manager));
        format!("a.profile_id IN (SELECT id FROM role_profiles WHERE hiring_manager_id = {manager})")
    }

    fn filter(&mut self, dialect: Dialect, search: &CandidateSearch) {
        let filter = &search.filter;
        if !filter.words.is_empty() {
            let query = self.bind(SearchValue::Text(dialect.word_query(&filter.words)));
            self.conditions.push(dialect.words_match(&query));
        }
        let mut applied = Vec::new();
        if let Some(manager) = search.hiring_manager {
            applied.push(self.hiring_manager_condition(manager));
        }
        if let Some(profile) = filter.profile_id {
            applied.push(format!("a.profile_id = {}", self.bind(SearchValue::Int(profile))));
        }
        if filter.new_only {
            applied.push("a.seen_at IS NULL".to_owned());
        }
        if let Some(stage) = filter.stage {
            applied.push(format!("a.stage = {}", self.bind(SearchValue::Text(stage.as_str().to_owned()))));
        }
        if !applied.is_empty() {
            let applied = applied.join(" AND ");
            // IN, not EXISTS: when few applications match, the planner may start from them
            // instead of testing each candidate in the page's order.
            self.conditions.push(format!("c.id IN (SELECT a.candidate_id FROM applications a WHERE {applied})"));
        }
        if let Some(source) = &filter.source {
            let source = self.bind(SearchValue::Text(source.clone()));
            self.conditions.push(format!("c.source = {source}"));
        }
        let midnight = |day: chrono::NaiveDate| SearchValue::Time(day.and_time(chrono::NaiveTime::MIN).and_utc());
        if let Some(from) = filter.created_from {
            let from = self.bind(midnight(from));
            self.conditions.push(format!("c.created_at >= {from}"));
        }
        if let Some(until) = filter.created_until.and_then(|day| day.succ_opt()) {
            let until = self.bind(midnight(until));
            self.conditions.push(format!("c.created_at < {until}"));
        }
    }

    /// The condition that a candidate comes after `cursor` in `order`, and the order itself.
    fn keyset(&mut self, order: ListOrder, cursor: Option<SearchCursor>) -> &'static str {
        if let Some(cursor) = cursor {
            let id = self.bind(SearchValue::Int(cursor.id));
            let condition = match order {
                ListOrder::Added => format!("c.id > {id}"),
                ListOrder::Newest => format!("c.id < {id}"),
                ListOrder::Name => {
                    format!("(c.sort_name, c.id) > ({}, {id})", self.bind(SearchValue::Text(cursor.sort_name)))
                }
                ListOrder::Activity => {
                    let at = self.bind(SearchValue::Time(cursor.last_activity_at));
                    format!("(c.last_activity_at, c.id) < ({at}, {id})")
                }
            };
            self.conditions.push(condition);
        }
        match order {
            ListOrder::Added => "c.id",
            ListOrder::Newest => "c.id DESC",
            ListOrder::Name => "c.sort_name, c.id",
            ListOrder::Activity => "c.last_activity_at DESC, c.id DESC",
        }
    }
}

/// The rows of a page in `order`: the JSON aggregate that read them keeps none.
pub fn in_order(rows: Vec<ListedCandidateRow>, order: ListOrder) -> Vec<ListedCandidate> {
    let mut keyed: Vec<(String, ListedCandidate)> =
        rows.into_iter().map(|row| (row.sort_name.clone(), row.into())).collect();
    let activity = |(_, c): &(String, ListedCandidate)| std::cmp::Reverse((c.last_activity_at, c.candidate.id));
    match order {
        ListOrder::Added => keyed.sort_by_key(|(_, c)| c.candidate.id),
        ListOrder::Newest => keyed.sort_by_key(|(_, c)| std::cmp::Reverse(c.candidate.id)),
        ListOrder::Name => keyed.sort_by(|(a, x), (b, y)| (a, x.candidate.id).cmp(&(b, y.candidate.id))),
        ListOrder::Activity => keyed.sort_by_key(activity),
    }
    keyed.into_iter().map(|(_, listed)| listed).collect()
}

/// The select of a page of candidates `search` finds after `cursor`, as JSON tuples
/// ([`ListedCandidateRow`]), and the values it binds.
pub fn candidate_search(
    dialect: Dialect,
    search: &CandidateSearch,
    cursor: Option<SearchCursor>,
) -> (String, Vec<SearchValue>) {
    let mut sql = SearchSql::default();
    sql.filter(dialect, search);
    let order = sql.keyset(search.order, cursor);
    let conditions =
        if sql.conditions.is_empty() { String::new() } else { format!(" WHERE {}", sql.conditions.join(" AND ")) };
    let limit = sql.bind(SearchValue::Int(search.fetch as i64));
    let columns = CANDIDATE_COLUMNS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
    let candidate = dialect.json_array_of(&columns);
    let select = format!(
        "SELECT {candidate} AS candidate, c.sort_name, c.last_activity_at FROM candidates c{conditions} \
         ORDER BY {order} LIMIT {limit}"
    );
    let tuples = dialect.json_tuples(&select, &["candidate", "sort_name", "last_activity_at"], &["candidate"]);
    (tuples, sql.values)
}

/// The select of the applications of `candidates` candidates (their ids bound as `$1`
/// onwards) as JSON tuples of the candidate's id and the [`ListedApplication`](super::ListedApplication); when
/// `for_hiring_manager`, only those to the profiles of the hiring manager bound after the ids.
pub fn listed_applications(dialect: Dialect, candidates: usize, for_hiring_manager: bool) -> String {
    let ids: Vec<String> = (1..=candidates).map(|n| format!("${n}")).collect();
    let owned =
        if for_hiring_manager { format!(" AND p.hiring_manager_id = ${}", candidates + 1) } else { String::new() };
    let application = dialect.json_array_of(
        "a.id, a.profile_id, p.title, a.stage, CASE WHEN a.seen_at IS NULL THEN 1 ELSE 0 END, \
         (SELECT COUNT(*) FROM stage_changes sc WHERE sc.application_id = a.id)",
    );
    let select = format!(
        "SELECT a.candidate_id, {application} AS application \
         FROM applications a JOIN role_profiles p ON p.id = a.profile_id WHERE a.candidate_id IN ({}){owned}",
        ids.join(", ")
    );
    dialect.json_tuples(&select, &["candidate_id", "application"], &["application"])
}

/// Adds a candidate: `$1` the time, then the details as [`bind_candidate`] binds them, then
/// the candidate this one may duplicate; the caller adds what the insert returns.
pub const INSERT_CANDIDATE: &str = "INSERT INTO candidates (created_at, name, email, phone, source, notes, link, \
    talent_pool_given_on, talent_pool_until, talent_pool_given_via, possible_duplicate_of, updated_at, \
    last_activity_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $1, $1)";

/// Binds a candidate's details as the next nine parameters.
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
            .bind($details.talent_pool.and_then(|c| c.given_via).map(|via| via.as_str()))
    };
}

/// Implements `CandidateStore` for a backend struct with a `pool` field.
macro_rules! impl_candidate_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::candidate::{Candidate, CandidateDetails};
            use $crate::domain::scorecard::CompetencyRating;
            use $crate::store::Backend;
            use $crate::domain::candidate::ERASED;
            use $crate::domain::search;
            use $crate::store::candidate_sql::{
                CANDIDATE_COLUMNS, CANDIDATE_OVERVIEW_NAMES, INSERT_CANDIDATE, SearchCursor, SearchValue, bind_candidate,
                candidate_search, in_order, listed_applications,
            };
            use $crate::store::rows::{CandidateOverviewRow, CandidateRow};
            use $crate::store::audit_sql::insert_audit;
            use $crate::store::idempotency_sql::keep_answer;
            use $crate::store::{
                CandidateOverview, CandidateSearch, CandidateStore, Erasure, ListedCandidate, NewAuditEntry, StoreError,
                StoreResult,
            };

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
                    let mut tx = self.pool.begin().await?;
                    let row: CandidateRow = bind_candidate!(sqlx::query_as(&sql).bind($crate::store::clock::now()), details)
                        .bind(None::<i64>)
                        .fetch_one(&mut *tx)
                        .await?;
                    let candidate: Candidate = row.into();
                    Self::index_candidate(&mut tx, candidate.id).await?;
                    keep_answer!(tx, &candidate);
                    tx.commit().await?;
                    Ok(candidate)
                }

                async fn update_candidate(
                    &self,
                    id: i64,
                    expected_version: i64,
                    details: &CandidateDetails,
                ) -> StoreResult<Candidate> {
                    let sql = format!(
                        "UPDATE candidates SET name = $2, email = $3, phone = $4, source = $5, notes = $6, link = $7, \
                         talent_pool_given_on = $8, talent_pool_until = $9, talent_pool_given_via = $10, \
                         updated_at = $11, last_activity_at = $11, version = version + 1 \
                         WHERE id = $1 AND version = $12 RETURNING {CANDIDATE_COLUMNS}"
                    );
                    let mut tx = self.pool.begin().await?;
                    let row: Option<CandidateRow> = bind_candidate!(sqlx::query_as(&sql).bind(id), details)
                        .bind($crate::store::clock::now())
                        .bind(expected_version)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else { return Err(self.why_not_written("candidates", id).await) };
                    Self::index_candidate(&mut tx, id).await?;
                    tx.commit().await?;
                    Ok(row.into())
                }

                async fn find_candidates(&self, search: &CandidateSearch) -> StoreResult<Vec<ListedCandidate>> {
                    let cursor = match search.after {
                        None => None,
                        Some(id) => {
                            let key: Option<(String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                                "SELECT sort_name, last_activity_at FROM candidates WHERE id = $1",
                            )
                            .bind(id)
                            .fetch_optional(&self.pool)
                            .await?;
                            let (sort_name, last_activity_at) = key.ok_or(StoreError::NotFound)?;
                            Some(SearchCursor { id, sort_name, last_activity_at })
                        }
                    };
                    let (sql, values) = candidate_search(Self::DIALECT, search, cursor);
                    let mut query = sqlx::query_as(&sql);
                    for value in values {
                        query = match value {
                            SearchValue::Int(v) => query.bind(v),
                            SearchValue::Text(v) => query.bind(v),
                            SearchValue::Time(v) => query.bind(v),
                        };
                    }
                    let (json,): (String,) = query.fetch_one(&self.pool).await?;
                    let mut listed = in_order(Self::read_json(&json)?, search.order);
                    if search.with_applications && !listed.is_empty() {
                        self.add_listed_applications(&mut listed, search.hiring_manager).await?;
                    }
                    Ok(listed)
                }

                async fn count_new_applicants(&self) -> StoreResult<u64> {
                    let (count,): (i64,) =
                        sqlx::query_as("SELECT COUNT(DISTINCT candidate_id) FROM applications WHERE seen_at IS NULL")
                            .fetch_one(&self.pool)
                            .await?;
                    Ok(count as u64)
                }

                async fn candidate_sources(&self, limit: usize) -> StoreResult<Vec<String>> {
                    let rows: Vec<(String,)> = sqlx::query_as(
                        "SELECT source FROM candidates WHERE source IS NOT NULL GROUP BY source \
                         ORDER BY COUNT(*) DESC, source LIMIT $1",
                    )
                    .bind(limit as i64)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.into_iter().map(|(source,)| source).collect())
                }

                async fn delete_candidate(&self, id: i64, expected_version: Option<i64>) -> StoreResult<()> {
                    self.delete_at_version("candidates", id, expected_version).await
                }

                async fn erase_candidate(&self, id: i64, audit: &NewAuditEntry) -> StoreResult<Erasure> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // Held till the end on PostgreSQL, so that two erasures at once run one after
                    // the other and the second finds the data erased.
                    let sql = format!("SELECT erased_at FROM candidates WHERE id = $1 {}", Self::DIALECT.lock());
                    let found: Option<(Option<chrono::DateTime<chrono::Utc>>,)> =
                        sqlx::query_as(&sql).bind(id).fetch_optional(&mut *tx).await?;
                    match found {
                        None => return Err(StoreError::NotFound),
                        Some((Some(_),)) => return Ok(Erasure::AlreadyErased),
                        Some((None,)) => {}
                    }
                    Self::anonymise(&mut tx, id).await?;
                    insert_audit!(&mut *tx, audit);
                    keep_answer!(tx, &Erasure::Erased);
                    tx.commit().await?;
                    Ok(Erasure::Erased)
                }
            }

            impl $backend {
                /// Gives each line of the list its applications, only those to the profiles of
                /// `hiring_manager` when given.
                async fn add_listed_applications(
                    &self,
                    listed: &mut [ListedCandidate],
                    hiring_manager: Option<i64>,
                ) -> StoreResult<()> {
                    let sql = listed_applications(Self::DIALECT, listed.len(), hiring_manager.is_some());
                    let mut query = sqlx::query_as(&sql);
                    for line in listed.iter() {
                        query = query.bind(line.candidate.id);
                    }
                    if let Some(manager) = hiring_manager {
                        query = query.bind(manager);
                    }
                    let lines: std::collections::HashMap<i64, usize> =
                        listed.iter().enumerate().map(|(at, line)| (line.candidate.id, at)).collect();
                    let (json,): (String,) = query.fetch_one(&self.pool).await?;
                    let rows: Vec<(i64, $crate::store::ListedApplication)> = Self::read_json(&json)?;
                    for (candidate_id, application) in rows {
                        if let Some(&at) = lines.get(&candidate_id) {
                            listed[at].applications.push(application);
                        }
                    }
                    for line in listed.iter_mut() {
                        line.applications.sort_by_key(|a| a.id);
                    }
                    Ok(())
                }

                /// Writes candidate `id`'s search words and sort name, from their name, email
                /// address and documents as they are within `tx`; an erased candidate has none.
                pub(super) async fn index_candidate(
                    tx: &mut sqlx::Transaction<'_, <$backend as Backend>::Db>,
                    id: i64,
                ) -> StoreResult<()> {
                    let (name, email, erased_at): (String, String, Option<chrono::DateTime<chrono::Utc>>) =
                        sqlx::query_as("SELECT name, email, erased_at FROM candidates WHERE id = $1")
                            .bind(id)
                            .fetch_one(&mut **tx)
                            .await?;
                    let words = if erased_at.is_some() {
                        String::new()
                    } else {
                        let texts: Vec<(String,)> =
                            sqlx::query_as("SELECT text FROM documents WHERE candidate_id = $1 AND text IS NOT NULL ORDER BY id")
                                .bind(id)
                                .fetch_all(&mut **tx)
                                .await?;
                        let documents = texts.into_iter().map(|(text,)| text);
                        search::indexed_words([name.clone(), email].into_iter().chain(documents))
                    };
                    sqlx::query("UPDATE candidates SET sort_name = $2 WHERE id = $1")
                        .bind(id)
                        .bind(search::fold(&name))
                        .execute(&mut **tx)
                        .await?;
                    sqlx::query("DELETE FROM candidate_words WHERE candidate_id = $1").bind(id).execute(&mut **tx).await?;
                    sqlx::query("INSERT INTO candidate_words (candidate_id, words) VALUES ($1, $2)")
                        .bind(id)
                        .bind(words)
                        .execute(&mut **tx)
                        .await?;
                    Ok(())
                }

                /// Indexes the candidates that have no words yet (those from before the index
                /// existed), a few hundred per transaction so that writers are not held up long.
                pub(super) async fn index_unindexed_candidates(&self) -> StoreResult<u64> {
                    let mut indexed = 0;
                    loop {
                        let ids: Vec<(i64,)> = sqlx::query_as(
                            "SELECT id FROM candidates WHERE id NOT IN (SELECT candidate_id FROM candidate_words) \
                             ORDER BY id LIMIT 500",
                        )
                        .fetch_all(&self.pool)
                        .await?;
                        if ids.is_empty() {
                            return Ok(indexed);
                        }
                        let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                        for (id,) in ids {
                            Self::index_candidate(&mut tx, id).await?;
                            indexed += 1;
                        }
                        tx.commit().await?;
                    }
                }

                /// Erases candidate `id`'s personal data within `tx`: their details and talent-pool
                /// consent, their documents and messages, the evidence and comments written about
                /// them, the reasons given for decisions.
                /// Scores, stages and verdicts stay, anonymous. Erasure on request and the
                /// retention period's anonymisation both end here.
                pub(super) async fn anonymise(
                    tx: &mut sqlx::Transaction<'_, <$backend as Backend>::Db>,
                    id: i64,
                ) -> StoreResult<()> {
                    let now = $crate::store::clock::now();
                    sqlx::query(
                        "UPDATE candidates SET name = $2, email = '', phone = NULL, source = NULL, notes = NULL, \
                         link = NULL, talent_pool_given_on = NULL, talent_pool_until = NULL, \
                         talent_pool_given_via = NULL, erased_at = $3, \
                         updated_at = $3, version = version + 1 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(ERASED)
                    .bind(now)
                    .execute(&mut **tx)
                    .await?;
                    // Erased, they are no one's possible duplicate, and no one is theirs: the
                    // mark would tie an identified person to what is left of them.
                    sqlx::query(
                        "UPDATE candidates SET possible_duplicate_of = NULL, updated_at = $2, version = version + 1 \
                         WHERE possible_duplicate_of = $1",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut **tx)
                    .await?;
                    sqlx::query("UPDATE candidates SET possible_duplicate_of = NULL WHERE id = $1")
                        .bind(id)
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
                    // What colleagues wrote about them.
                    sqlx::query("DELETE FROM comments WHERE candidate_id = $1").bind(id).execute(&mut **tx).await?;
                    // The letters written to them, sent or waiting: a letter not yet sent is
                    // never sent.
                    sqlx::query("DELETE FROM outbox WHERE candidate_id = $1").bind(id).execute(&mut **tx).await?;
                    // A link still waiting to be confirmed stops working with them.
                    sqlx::query("DELETE FROM mail_confirmations WHERE candidate_id = $1")
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                    Self::index_candidate(tx, id).await?;
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
