//! The saved versions of job ads, the same SQL on both backends.

/// The columns of an ad version, with the name of the user who saved it.
pub const AD_VERSION_SELECT: &str = "SELECT v.profile_id, v.number, v.language, v.tone, v.body, \
    u.name AS saved_by, v.saved_at FROM ad_versions v LEFT JOIN users u ON u.id = v.saved_by";

/// How often a save is tried again when another save took its version number meanwhile.
pub const SAVE_ATTEMPTS: usize = 3;

/// Implements `AdStore` for a backend struct with a `pool` field.
macro_rules! impl_ad_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::ad::AdVersion;
            use $crate::store::ad_sql::{AD_VERSION_SELECT, SAVE_ATTEMPTS};
            use $crate::store::rows::AdVersionRow;
            use $crate::store::user_sql::duplicate_or;
            use $crate::store::idempotency_sql::keep_answer;
            use $crate::store::{AdStore, NewAdVersion, StoreError, StoreResult};

            #[async_trait::async_trait]
            impl AdStore for $backend {
                async fn save_ad_version(&self, new: NewAdVersion<'_>) -> StoreResult<AdVersion> {
                    let mut attempt = 0;
                    loop {
                        attempt += 1;
                        match self.try_save_ad_version(new).await {
                            Err(StoreError::Duplicate) if attempt < SAVE_ATTEMPTS => continue,
                            Err(StoreError::Duplicate) => return Err(StoreError::Conflict { current_version: 0 }),
                            saved => return saved,
                        }
                    }
                }

                async fn list_ad_versions(&self, profile_id: i64) -> StoreResult<Vec<AdVersion>> {
                    let rows: Vec<AdVersionRow> =
                        sqlx::query_as(&format!("{AD_VERSION_SELECT} WHERE v.profile_id = $1 ORDER BY v.number DESC"))
                            .bind(profile_id)
                            .fetch_all(&self.pool)
                            .await?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn get_ad_version(&self, profile_id: i64, number: i64) -> StoreResult<AdVersion> {
                    let row: Option<AdVersionRow> =
                        sqlx::query_as(&format!("{AD_VERSION_SELECT} WHERE v.profile_id = $1 AND v.number = $2"))
                            .bind(profile_id)
                            .bind(number)
                            .fetch_optional(&self.pool)
                            .await?;
                    row.ok_or(StoreError::NotFound)?.try_into()
                }
            }

            impl $backend {
                /// Saves `new` as the profile's next version, numbered inside the statement: two
                /// saves at once collide on the unique (profile, number), and the later one is
                /// [`StoreError::Duplicate`], to be tried again with the next number.
                async fn try_save_ad_version(&self, new: NewAdVersion<'_>) -> StoreResult<AdVersion> {
                    let mut tx = self.pool.begin().await?;
                    let saved: Option<(i64,)> = sqlx::query_as(
                        "INSERT INTO ad_versions (profile_id, number, language, tone, body, saved_by, saved_at) \
                         SELECT p.id, COALESCE((SELECT MAX(number) FROM ad_versions WHERE profile_id = $1), 0) + 1, \
                         $2, $3, $4, $5, $6 FROM role_profiles p WHERE p.id = $1 RETURNING number",
                    )
                    .bind(new.profile_id)
                    .bind(new.language.as_str())
                    .bind(new.tone.as_str())
                    .bind(new.text)
                    .bind(new.by)
                    .bind($crate::store::clock::now())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(duplicate_or)?;
                    let (number,) = saved.ok_or(StoreError::NotFound)?;
                    let row: Option<AdVersionRow> =
                        sqlx::query_as(&format!("{AD_VERSION_SELECT} WHERE v.profile_id = $1 AND v.number = $2"))
                            .bind(new.profile_id)
                            .bind(number)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let version: AdVersion = row.ok_or(StoreError::NotFound)?.try_into()?;
                    keep_answer!(tx, &version);
                    tx.commit().await?;
                    Ok(version)
                }
            }
        };
    };
}

pub(super) use impl_ad_store;
