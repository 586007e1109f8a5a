//! The shared SQL implementation of [`NotificationStore`](super::NotificationStore): how each
//! user is told of their work, what waits for their daily digest, and the daily jobs' runs.

/// A user's digest: the notifications waiting for it, oldest first, as (id, line, link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub user_id: i64,
    pub lines: Vec<(i64, String, String)>,
}

/// Implements `NotificationStore` for a backend struct with a `pool` field.
macro_rules! impl_notification_store {
    ($backend:ty) => {
        const _: () = {
            use chrono::NaiveDate;

            use $crate::domain::user::{NotificationSettings, NotifyWhen};
            use $crate::store::notification_sql::Digest;
            use $crate::store::rows::choice;
            use $crate::store::{Backend, NewMessage, NotificationStore, StoreError, StoreResult};

            #[async_trait::async_trait]
            impl NotificationStore for $backend {
                async fn notification_settings(&self, user_id: i64) -> StoreResult<NotificationSettings> {
                    let row: Option<(String, String)> =
                        sqlx::query_as("SELECT notifications, mail_language FROM users WHERE id = $1")
                            .bind(user_id)
                            .fetch_optional(&self.pool)
                            .await?;
                    let (when, language) = row.ok_or(StoreError::NotFound)?;
                    Ok(NotificationSettings { when: choice("notifications", &when)?, language: choice("mail_language", &language)? })
                }

                async fn set_notification_settings(&self, user_id: i64, settings: NotificationSettings) -> StoreResult<()> {
                    let done = sqlx::query("UPDATE users SET notifications = $2, mail_language = $3 WHERE id = $1")
                        .bind(user_id)
                        .bind(settings.when.as_str())
                        .bind(settings.language.as_str())
                        .execute(&self.pool)
                        .await?;
                    $crate::store::touched(done.rows_affected())
                }

                async fn notify(&self, user_id: i64, at_once: &NewMessage, line: &str, link: &str) -> StoreResult<()> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let when: Option<(String,)> = sqlx::query_as("SELECT notifications FROM users WHERE id = $1 AND active")
                        .bind(user_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    match when.map(|(when,)| choice::<NotifyWhen>("notifications", &when)).transpose()? {
                        Some(NotifyWhen::AtOnce) => {
                            <$backend>::queue_message(&mut tx, None, None, at_once).await?;
                        }
                        Some(NotifyWhen::Daily) => {
                            sqlx::query("INSERT INTO notifications (user_id, line, link, created_at) VALUES ($1, $2, $3, $4)")
                                .bind(user_id)
                                .bind(line)
                                .bind(link)
                                .bind($crate::store::clock::now())
                                .execute(&mut *tx)
                                .await?;
                        }
                        Some(NotifyWhen::Off) | None => {}
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn waiting_digests(&self) -> StoreResult<Vec<Digest>> {
                    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
                        "SELECT n.user_id, n.id, n.line, n.link FROM notifications n JOIN users u ON u.id = n.user_id \
                         WHERE n.sent_at IS NULL AND u.active ORDER BY n.user_id, n.id",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                    let mut digests: Vec<Digest> = Vec::new();
                    for (user_id, id, line, link) in rows {
                        match digests.last_mut() {
                            Some(digest) if digest.user_id == user_id => digest.lines.push((id, line, link)),
                            _ => digests.push(Digest { user_id, lines: vec![(id, line, link)] }),
                        }
                    }
                    Ok(digests)
                }

                async fn send_digest(&self, digest: &Digest, mail: &NewMessage) -> StoreResult<()> {
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // A line names a candidate, whose erasure it must not outlive: once in the
                    // digest's mail (itself emptied once sent), it goes.
                    for (id, _, _) in &digest.lines {
                        sqlx::query("DELETE FROM notifications WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    }
                    <$backend>::queue_message(&mut tx, None, None, mail).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn claim_daily_run(&self, job: &str, day: NaiveDate) -> StoreResult<bool> {
                    let claimed: Option<(String,)> = sqlx::query_as(
                        "INSERT INTO daily_runs (job, day) VALUES ($1, $2) ON CONFLICT (job, day) DO NOTHING RETURNING job",
                    )
                    .bind(job)
                    .bind(day.to_string())
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(claimed.is_some())
                }
            }
        };
    };
}

pub(super) use impl_notification_store;
