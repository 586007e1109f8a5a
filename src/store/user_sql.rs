//! The shared SQL implementation of [`AccountStore`](super::AccountStore): users, API tokens
//! and failed logins, for both backends.

pub const USER_COLUMNS: &str = "id, email, name, role, active, session_epoch, created_at";

/// Binds a new user as `$1…$5` (the last is the time of creation).
macro_rules! bind_user {
    ($query:expr, $user:expr) => {
        $query
            .bind($user.email)
            .bind($user.name)
            .bind($user.role.as_str())
            .bind($user.password_hash)
            .bind($crate::store::clock::now())
    };
}

/// Revokes, within the transaction `$tx`, every API token of user `$id` still in force.
macro_rules! revoke_tokens_of {
    ($tx:expr, $id:expr, $now:expr) => {
        sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
            .bind($id)
            .bind($now)
            .execute(&mut *$tx)
            .await?
    };
}

/// Implements `AccountStore` for a backend struct with a `pool` field.
macro_rules! impl_account_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::user::{LinkPurpose, Role, User};
            use $crate::store::audit_sql::{execute_audited, insert_audit};
            use $crate::store::rows::choice;
            use $crate::store::rows::{LoginRow, UserRow};
            use $crate::store::user_sql::{USER_COLUMNS, bind_user, duplicate_or, revoke_tokens_of};
            use $crate::store::{
                AccountStore, AuditOfCreated, Backend, NewAuditEntry, NewMessage, PasswordLink, StoreError,
                StoreResult, TokenOverview, UserRecord, write_returning,
            };

            type Tx<'c> = sqlx::Transaction<'c, <$backend as Backend>::Db>;

            #[async_trait::async_trait]
            impl AccountStore for $backend {
                async fn has_users(&self) -> StoreResult<bool> {
                    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?;
                    Ok(count > 0)
                }

                async fn create_first_user(&self, user: UserRecord<'_>) -> StoreResult<Option<User>> {
                    // One statement, so two instances racing through first start cannot both win.
                    let sql = format!(
                        "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) \
                 SELECT $1, $2, $3, $4, $5, $5 WHERE NOT EXISTS (SELECT 1 FROM users) RETURNING {USER_COLUMNS}"
                    );
                    let row: Option<UserRow> = write_returning(&self.pool, bind_user!(sqlx::query_as(&sql), user))
                        .await
                        .map_err(duplicate_or)?;
                    row.map(TryInto::try_into).transpose()
                }

                async fn create_user(&self, user: UserRecord<'_>, audit: AuditOfCreated<'_>) -> StoreResult<User> {
                    let sql = format!(
                        "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING {USER_COLUMNS}"
                    );
                    let mut tx = self.pool.begin().await?;
                    let row: Option<UserRow> =
                        bind_user!(sqlx::query_as(&sql), user).fetch_optional(&mut *tx).await.map_err(duplicate_or)?;
                    let created: User = row.ok_or(StoreError::NotFound)?.try_into()?;
                    insert_audit!(&mut *tx, &audit(created.id));
                    tx.commit().await?;
                    Ok(created)
                }

                async fn list_users(&self) -> StoreResult<Vec<User>> {
                    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY lower(name), id");
                    let rows: Vec<UserRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn get_user(&self, id: i64) -> StoreResult<User> {
                    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
                    let row: Option<UserRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                    row.ok_or(StoreError::NotFound)?.try_into()
                }

                async fn find_login(&self, email: &str) -> StoreResult<Option<(User, String)>> {
                    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1");
                    let row: Option<LoginRow> = sqlx::query_as(&sql).bind(email).fetch_optional(&self.pool).await?;
                    row.map(|row| Ok((row.user.try_into()?, row.password_hash))).transpose()
                }

                async fn set_user_role(&self, id: i64, role: Role, audit: &NewAuditEntry) -> StoreResult<User> {
                    let sql =
                        format!("UPDATE users SET role = $2, updated_at = $3 WHERE id = $1 RETURNING {USER_COLUMNS}");
                    let mut tx = self.pool.begin().await?;
                    let row: Option<UserRow> = sqlx::query_as(&sql)
                        .bind(id)
                        .bind(role.as_str())
                        .bind($crate::store::clock::now())
                        .fetch_optional(&mut *tx)
                        .await?;
                    let user = row.ok_or(StoreError::NotFound)?.try_into()?;
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    Ok(user)
                }

                async fn set_user_active(&self, id: i64, active: bool, audit: &NewAuditEntry) -> StoreResult<User> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin().await?;
                    // A deactivation moves the session epoch on, which ends every existing session.
                    let sql = format!(
                        "UPDATE users SET active = $2, updated_at = $3, \
                 session_epoch = session_epoch + CASE WHEN $2 THEN 0 ELSE 1 END \
                 WHERE id = $1 RETURNING {USER_COLUMNS}"
                    );
                    let row: Option<UserRow> =
                        sqlx::query_as(&sql).bind(id).bind(active).bind(now).fetch_optional(&mut *tx).await?;
                    let user: User = row.ok_or(StoreError::NotFound)?.try_into()?;
                    if !active {
                        revoke_tokens_of!(tx, id, now);
                        <$backend>::void_links(&mut tx, id, None, now).await?;
                    }
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    Ok(user)
                }

                async fn set_password(
                    &self,
                    id: i64,
                    password_hash: &str,
                    end_tokens: bool,
                    audit: &NewAuditEntry,
                ) -> StoreResult<User> {
                    let mut tx = self.pool.begin().await?;
                    let user = <$backend>::password_set_within(&mut tx, id, password_hash, end_tokens).await?;
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    Ok(user)
                }

                async fn create_password_link(
                    &self,
                    user_id: i64,
                    digest: &str,
                    purpose: LinkPurpose,
                    expires_at: chrono::DateTime<chrono::Utc>,
                    mail: &NewMessage,
                ) -> StoreResult<()> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    <$backend>::void_links(&mut tx, user_id, Some(purpose), now).await?;
                    sqlx::query(
                        "INSERT INTO password_links (user_id, token_digest, purpose, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(user_id)
                    .bind(digest)
                    .bind(purpose.as_str())
                    .bind(now)
                    .bind(expires_at)
                    .execute(&mut *tx)
                    .await?;
                    <$backend>::queue_message(&mut tx, None, None, mail).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn password_link(&self, digest: &str) -> StoreResult<Option<PasswordLink>> {
                    let row: Option<(
                        i64,
                        String,
                        chrono::DateTime<chrono::Utc>,
                        Option<chrono::DateTime<chrono::Utc>>,
                    )> = sqlx::query_as(
                        "SELECT user_id, purpose, expires_at, used_at FROM password_links WHERE token_digest = $1",
                    )
                    .bind(digest)
                    .fetch_optional(&self.pool)
                    .await?;
                    row.map(|(user_id, purpose, expires_at, used_at)| {
                        Ok(PasswordLink { user_id, purpose: choice("purpose", &purpose)?, expires_at, used_at })
                    })
                    .transpose()
                }

                async fn use_password_link(
                    &self,
                    digest: &str,
                    password_hash: &str,
                    audit: &NewAuditEntry,
                ) -> StoreResult<User> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    // Marked used only if it still works: of two uses at once, one marks it.
                    let used: Option<(i64,)> = sqlx::query_as(
                        "UPDATE password_links SET used_at = $2 WHERE token_digest = $1 AND used_at IS NULL \
                         AND expires_at > $2 RETURNING user_id",
                    )
                    .bind(digest)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some((user_id,)) = used else {
                        return Err(StoreError::Conflict { current_version: 0 });
                    };
                    let user = <$backend>::password_set_within(&mut tx, user_id, password_hash, true).await?;
                    insert_audit!(&mut *tx, audit);
                    tx.commit().await?;
                    Ok(user)
                }

                async fn create_token(
                    &self,
                    user_id: i64,
                    token_hash: &str,
                    expires_at: Option<chrono::DateTime<chrono::Utc>>,
                    audit: AuditOfCreated<'_>,
                ) -> StoreResult<i64> {
                    let mut tx = self.pool.begin().await?;
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4) \
                         RETURNING id",
                    )
                    .bind(user_id)
                    .bind(token_hash)
                    .bind($crate::store::clock::now())
                    .bind(expires_at)
                    .fetch_one(&mut *tx)
                    .await?;
                    insert_audit!(&mut *tx, &audit(id));
                    tx.commit().await?;
                    Ok(id)
                }

                async fn user_for_token(&self, token_hash: &str) -> StoreResult<Option<User>> {
                    let columns = USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
                    let sql = format!(
                        "SELECT {columns} FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active \
                 AND (t.expires_at IS NULL OR t.expires_at > $2)"
                    );
                    let row: Option<UserRow> = sqlx::query_as(&sql)
                        .bind(token_hash)
                        .bind(chrono::Utc::now())
                        .fetch_optional(&self.pool)
                        .await?;
                    row.map(TryInto::try_into).transpose()
                }

                async fn revoke_token(&self, id: i64, audit: &NewAuditEntry) -> StoreResult<()> {
                    let revoke =
                        sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                            .bind(id)
                            .bind($crate::store::clock::now());
                    execute_audited!(self.pool, revoke, audit)
                }

                async fn list_tokens(&self) -> StoreResult<Vec<TokenOverview>> {
                    Ok(sqlx::query_as(
                        "SELECT t.id, t.user_id, u.email AS user_email, t.created_at, t.expires_at, t.revoked_at \
                         FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id",
                    )
                    .fetch_all(&self.pool)
                    .await?)
                }

                async fn record_attempt(
                    &self,
                    subjects: &[&str],
                    at: chrono::DateTime<chrono::Utc>,
                ) -> StoreResult<Vec<i64>> {
                    let mut ids = Vec::with_capacity(subjects.len());
                    for subject in subjects {
                        let query = sqlx::query_as(
                            "INSERT INTO throttled_attempts (subject, attempted_at) VALUES ($1, $2) RETURNING id",
                        )
                        .bind(*subject)
                        .bind(at);
                        let created: Option<(i64,)> = write_returning(&self.pool, query).await?;
                        ids.push(created.ok_or(StoreError::NotFound)?.0);
                    }
                    Ok(ids)
                }

                async fn count_attempts(
                    &self,
                    subject: &str,
                    since: chrono::DateTime<chrono::Utc>,
                ) -> StoreResult<i64> {
                    let (count,): (i64,) = sqlx::query_as(
                        "SELECT COUNT(*) FROM throttled_attempts WHERE subject = $1 AND attempted_at >= $2",
                    )
                    .bind(subject)
                    .bind(since)
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(count)
                }

                async fn forget_attempts_before(&self, before: chrono::DateTime<chrono::Utc>) -> StoreResult<u64> {
                    let done = sqlx::query("DELETE FROM throttled_attempts WHERE attempted_at < $1")
                        .bind(before)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected())
                }

                async fn forget_attempts(&self, attempts: &[i64], subject: &str) -> StoreResult<()> {
                    let mut tx = self.pool.begin().await?;
                    for id in attempts {
                        sqlx::query("DELETE FROM throttled_attempts WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    }
                    sqlx::query("DELETE FROM throttled_attempts WHERE subject = $1")
                        .bind(subject)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }
            }

            impl $backend {
                /// Makes user `user_id`'s unused links stop working at `now`: those for
                /// `purpose`, or every one.
                async fn void_links(
                    tx: &mut Tx<'_>,
                    user_id: i64,
                    purpose: Option<LinkPurpose>,
                    now: chrono::DateTime<chrono::Utc>,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "UPDATE password_links SET expires_at = $2 WHERE user_id = $1 AND used_at IS NULL \
                         AND expires_at > $2 AND ($3 IS NULL OR purpose = $3)",
                    )
                    .bind(user_id)
                    .bind(now)
                    .bind(purpose.map(LinkPurpose::as_str))
                    .execute(&mut **tx)
                    .await?;
                    Ok(())
                }

                /// Gives user `id` the password with this hash within `tx`: their sessions end,
                /// and their API tokens too when `end_tokens`.
                async fn password_set_within(
                    tx: &mut Tx<'_>,
                    id: i64,
                    password_hash: &str,
                    end_tokens: bool,
                ) -> StoreResult<User> {
                    let now = $crate::store::clock::now();
                    let sql = format!(
                        "UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = $3 \
                         WHERE id = $1 RETURNING {USER_COLUMNS}"
                    );
                    let row: Option<UserRow> =
                        sqlx::query_as(&sql).bind(id).bind(password_hash).bind(now).fetch_optional(&mut **tx).await?;
                    let user = row.ok_or(StoreError::NotFound)?.try_into()?;
                    if end_tokens {
                        revoke_tokens_of!(*tx, id, now);
                    }
                    // A link sent before is for a password no longer wanted.
                    <$backend>::void_links(tx, id, None, now).await?;
                    Ok(user)
                }
            }
        };
    };
}

/// A unique-constraint violation is a taken value, which the caller can explain.
pub fn duplicate_or(error: sqlx::Error) -> super::StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => super::StoreError::Duplicate,
        _ => error.into(),
    }
}

pub(super) use {bind_user, impl_account_store, revoke_tokens_of};
