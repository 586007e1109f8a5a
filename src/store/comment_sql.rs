//! The shared SQL implementation of [`CommentStore`](super::CommentStore): colleagues'
//! comments on a candidate and whom each mentions, for both backends.

/// A comment to write: `mentions` are the ids of the colleagues it names.
#[derive(Debug, Clone, Copy)]
pub struct NewComment<'a> {
    pub candidate_id: i64,
    pub application_id: Option<i64>,
    pub author_id: i64,
    pub body: &'a str,
    pub mentions: &'a [i64],
}

/// Implements `CommentStore` for a backend struct with a `pool` field.
macro_rules! impl_comment_store {
    ($backend:ty) => {
        const _: () = {
            use std::collections::HashMap;

            use chrono::{DateTime, Utc};

            use $crate::domain::comment::{Comment, Mention};
            use $crate::store::audit_sql::insert_audit;
            use $crate::store::comment_sql::NewComment;
            use $crate::store::idempotency_sql::keep_answer;
            use $crate::store::{Backend, CommentStore, NewAuditEntry, StoreError, StoreResult};

            #[async_trait::async_trait]
            impl CommentStore for $backend {
                async fn add_comment(&self, new: NewComment<'_>, audit: &NewAuditEntry) -> StoreResult<Comment> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // Held till the end on PostgreSQL: an erasure at the same time runs before
                    // or after, never between the check and the write.
                    let sql =
                        format!("SELECT erased_at, version FROM candidates WHERE id = $1 {}", Self::DIALECT.lock());
                    let found: Option<(Option<DateTime<Utc>>, i64)> =
                        sqlx::query_as(&sql).bind(new.candidate_id).fetch_optional(&mut *tx).await?;
                    match found {
                        None => return Err(StoreError::NotFound),
                        Some((Some(_), version)) => return Err(StoreError::Conflict { current_version: version }),
                        Some((None, _)) => {}
                    }
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO comments (candidate_id, application_id, author_id, body, created_at) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(new.candidate_id)
                    .bind(new.application_id)
                    .bind(new.author_id)
                    .bind(new.body)
                    .bind($crate::store::clock::now())
                    .fetch_one(&mut *tx)
                    .await?;
                    for user_id in new.mentions {
                        sqlx::query("INSERT INTO comment_mentions (comment_id, user_id) VALUES ($1, $2)")
                            .bind(id)
                            .bind(user_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    insert_audit!(&mut *tx, audit);
                    let comment =
                        Self::comments_where(&mut *tx, "c.id = $1", id).await?.pop().ok_or(StoreError::NotFound)?;
                    keep_answer!(tx, &comment);
                    tx.commit().await?;
                    Ok(comment)
                }

                async fn list_comments(&self, candidate_id: i64) -> StoreResult<Vec<Comment>> {
                    let mut connection = self.pool.acquire().await?;
                    Self::comments_where(&mut *connection, "c.candidate_id = $1", candidate_id).await
                }
            }

            impl $backend {
                /// The comments `condition` (on `comments c`, with `$1` bound to `value`) selects,
                /// oldest first, each with its author's name and the colleagues it mentions.
                async fn comments_where(
                    connection: &mut <<$backend as Backend>::Db as sqlx::Database>::Connection,
                    condition: &str,
                    value: i64,
                ) -> StoreResult<Vec<Comment>> {
                    let sql = format!(
                        "SELECT c.id, c.candidate_id, c.application_id, c.author_id, u.name, c.body, c.created_at \
                         FROM comments c JOIN users u ON u.id = c.author_id WHERE {condition} ORDER BY c.id"
                    );
                    let rows: Vec<(i64, i64, Option<i64>, i64, String, String, DateTime<Utc>)> =
                        sqlx::query_as(&sql).bind(value).fetch_all(&mut *connection).await?;
                    let sql = format!(
                        "SELECT m.comment_id, m.user_id, u.name FROM comment_mentions m \
                         JOIN users u ON u.id = m.user_id JOIN comments c ON c.id = m.comment_id \
                         WHERE {condition} ORDER BY m.comment_id, u.name, m.user_id"
                    );
                    let named: Vec<(i64, i64, String)> =
                        sqlx::query_as(&sql).bind(value).fetch_all(&mut *connection).await?;
                    let mut mentions: HashMap<i64, Vec<Mention>> = HashMap::new();
                    for (comment_id, user_id, name) in named {
                        mentions.entry(comment_id).or_default().push(Mention { user_id, name });
                    }
                    Ok(rows
                        .into_iter()
                        .map(|(id, candidate_id, application_id, author_id, author_name, body, created_at)| Comment {
                            mentions: mentions.remove(&id).unwrap_or_default(),
                            id,
                            candidate_id,
                            application_id,
                            author_id,
                            author_name,
                            body,
                            created_at,
                        })
                        .collect())
                }
            }
        };
    };
}

pub(super) use impl_comment_store;
