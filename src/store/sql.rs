//! The SQL both backends share, and the one implementation of [`Store`](super::Store) that
//! each backend instantiates with its own pool type. Both dialects accept `$N` placeholders
//! and `RETURNING`, so the statements are identical; only connecting and migrating differ.

pub const COMPANY_COLUMNS: &str = "id, version, name, industry, employees, account_managers, description_da, \
    description_en, location, privacy_url, time_zone, created_at, updated_at";

pub const PROFILE_COLUMNS: &str = "id, company_id, version, title, ad_language, accounts_per_manager, \
    key_accounts_per_manager, typical_client_size, client_industries, growth_focus, meeting_cadence, \
    presentation_frequency, travel_share, duties, location, remote_option, weekly_hours, salary_min, salary_max, \
    salary_currency, salary_period, start_date, application_deadline, contact_name, contact_email, contact_phone, \
    hiring_manager_id, employment, interviewing, apply_url, hard_requirements, job_terms, created_at, updated_at";

/// Binds a company's details as `$2…$10` after the leading id or timestamp parameter.
macro_rules! bind_company {
    ($query:expr, $details:expr) => {
        $query
            .bind(&$details.name)
            .bind(&$details.industry)
            .bind($crate::store::rows::column($details.employees))
            .bind($crate::store::rows::column($details.account_managers))
            .bind(&$details.description_da)
            .bind(&$details.description_en)
            .bind(&$details.location)
            .bind(&$details.privacy_url)
            .bind($details.time_zone.name())
    };
}

/// Binds a profile's details as `$2…$30` after the leading id or company parameter.
macro_rules! bind_profile {
    ($query:expr, $details:expr) => {{
        let d = $details;
        let mix = &d.client_mix;
        let extra = $crate::store::rows::ProfileBinds::of(d);
        $query
            .bind(&d.title)
            .bind(d.ad_language.as_str())
            .bind($crate::store::rows::column(mix.accounts_per_manager))
            .bind($crate::store::rows::column(mix.key_accounts_per_manager))
            .bind(mix.typical_client_size.as_str())
            .bind(extra.industries)
            .bind(mix.growth_focus.as_str())
            .bind(mix.meeting_cadence.as_str())
            .bind(mix.presentation_frequency.as_str())
            .bind($crate::store::rows::column(mix.travel_share))
            .bind(extra.duties)
            .bind(&d.location)
            .bind(d.remote_option.as_str())
            .bind($crate::store::rows::column(d.weekly_hours))
            .bind(extra.salary_min)
            .bind(extra.salary_max)
            .bind(extra.salary_currency)
            .bind(extra.salary_period)
            .bind(d.start_date)
            .bind(d.application_deadline)
            .bind(&d.contact.name)
            .bind(&d.contact.email)
            .bind(&d.contact.phone)
            .bind(d.hiring_manager_id)
            .bind(d.employment.as_str())
            .bind(d.interviewing.as_str())
            .bind(&d.apply_url)
            .bind(extra.requirements)
            .bind(extra.terms)
    }};
}

/// Implements `Store` and `RecruitmentStore` for a backend struct with a `pool` field and a
/// `MIGRATOR` constant; the items after the type are the methods that differ between backends.
macro_rules! impl_store {
    ($backend:ty, $($backend_specific:item)*) => {
        // An anonymous const scopes the imports to this expansion.
        const _: () = {
        use $crate::domain::company::{Company, CompanyDetails};
        use $crate::domain::profile::{ProfileDetails, RoleProfile};
        use $crate::domain::rubric::WeightOverride;
        use $crate::store::rows::{CompanyOverviewRow, CompanyRow, OverrideRow, ProfileOverviewRow, ProfileRow};
        use $crate::store::sql::{bind_company, bind_profile, COMPANY_COLUMNS, PROFILE_COLUMNS};
        use $crate::store::audit_sql::execute_audited;
        use $crate::store::idempotency_sql::keep_answer;
        use $crate::store::{
            CompanyOverview, NewAuditEntry, OverrideRecord, ProfileOverview, RecruitmentStore, SessionBackend, StoreError,
            StoreResult, touched, write_returning,
        };

        #[async_trait::async_trait]
        impl $crate::store::Store for $backend {
            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn pool_use(&self) -> StoreResult<$crate::store::PoolUse> {
                let (open, idle) = (self.pool.size(), u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX));
                let started = std::time::Instant::now();
                drop(self.pool.acquire().await?);
                Ok($crate::store::PoolUse {
                    max: self.pool.options().get_max_connections(),
                    open,
                    idle,
                    acquire_wait: started.elapsed(),
                })
            }

            async fn outbox_backlog(&self) -> StoreResult<$crate::store::OutboxBacklog> {
                let (queued, failed, oldest_queued_at) = sqlx::query_as(
                    "SELECT COUNT(CASE WHEN status = 'queued' THEN 1 END), COUNT(CASE WHEN status = 'failed' THEN 1 END), \
                     MIN(CASE WHEN status = 'queued' THEN created_at END) FROM outbox \
                     WHERE status IN ('queued', 'failed')",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok($crate::store::OutboxBacklog { queued, failed, oldest_queued_at })
            }

            async fn rubric_edition(&self, version: &str) -> StoreResult<(i64, chrono::DateTime<chrono::Utc>)> {
                sqlx::query(
                    "INSERT INTO rubric_versions (version, first_used_at) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING",
                )
                .bind(version)
                .bind($crate::store::clock::now())
                .execute(&self.pool)
                .await?;
                let edition = sqlx::query_as("SELECT number, first_used_at FROM rubric_versions WHERE version = $1")
                    .bind(version)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(edition)
            }

            async fn revision(&self) -> StoreResult<i64> {
                let read = sqlx::query_scalar("SELECT revision FROM data_revision WHERE id = 1").fetch_one(&self.pool);
                Ok(self.revisions.get(read).await?)
            }

            async fn migrate(&self) -> StoreResult<()> {
                Self::MIGRATOR.run(&self.pool).await?;
                self.index_unindexed_candidates().await?;
                self.session_backend().migrate().await?;
                Ok(())
            }

            $($backend_specific)*
        }

        #[async_trait::async_trait]
        impl RecruitmentStore for $backend {
            async fn is_empty(&self) -> StoreResult<bool> {
                let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM companies").fetch_one(&self.pool).await?;
                Ok(count == 0)
            }

            async fn list_companies(&self) -> StoreResult<Vec<CompanyOverview>> {
                let sql = format!(
                    "SELECT {COMPANY_COLUMNS}, \
                     (SELECT COUNT(*) FROM role_profiles p WHERE p.company_id = companies.id) AS profile_count \
                     FROM companies ORDER BY lower(name), id"
                );
                let rows: Vec<CompanyOverviewRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|row| {
                        Ok(CompanyOverview {
                            company: row.company.try_into()?,
                            profile_count: row.profile_count,
                        })
                    })
                    .collect()
            }

            async fn get_company(&self, id: i64) -> StoreResult<Company> {
                let sql = format!("SELECT {COMPANY_COLUMNS} FROM companies WHERE id = $1");
                let row: Option<CompanyRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                row.ok_or(StoreError::NotFound)?.try_into()
            }

            async fn create_company(&self, details: &CompanyDetails) -> StoreResult<Company> {
                let sql = format!(
                    "INSERT INTO companies (created_at, name, industry, employees, account_managers, description_da, \
                     description_en, location, privacy_url, time_zone, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $1) \
                     RETURNING {COMPANY_COLUMNS}"
                );
                let mut tx = self.pool.begin().await?;
                let row: Option<CompanyRow> =
                    bind_company!(sqlx::query_as(&sql).bind($crate::store::clock::now()), details).fetch_optional(&mut *tx).await?;
                let company: Company = row.ok_or(StoreError::NotFound)?.try_into()?;
                keep_answer!(tx, &company);
                tx.commit().await?;
                Ok(company)
            }

            async fn update_company(
                &self,
                id: i64,
                expected_version: i64,
                details: &CompanyDetails,
            ) -> StoreResult<Company> {
                let sql = format!(
                    "UPDATE companies SET name = $2, industry = $3, employees = $4, account_managers = $5, \
                     description_da = $6, description_en = $7, location = $8, privacy_url = $9, time_zone = $10, \
                     updated_at = $11, version = version + 1 WHERE id = $1 AND version = $12 RETURNING {COMPANY_COLUMNS}"
                );
                let query = bind_company!(sqlx::query_as(&sql).bind(id), details)
                    .bind($crate::store::clock::now())
                    .bind(expected_version);
                let row: Option<CompanyRow> = write_returning(&self.pool, query).await?;
                match row {
                    Some(row) => row.try_into(),
                    None => Err(self.why_not_written("companies", id).await),
                }
            }

            async fn delete_company(&self, id: i64, expected_version: Option<i64>) -> StoreResult<()> {
                self.delete_at_version("companies", id, expected_version).await
            }

            async fn list_profiles(&self) -> StoreResult<Vec<ProfileOverview>> {
                let columns = PROFILE_COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
                let sql = format!(
                    "SELECT {columns}, c.name AS company_name FROM role_profiles p \
                     JOIN companies c ON c.id = p.company_id ORDER BY lower(c.name), lower(p.title), p.id"
                );
                let rows: Vec<ProfileOverviewRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|row| {
                        Ok(ProfileOverview {
                            profile: row.profile.try_into()?,
                            company_name: row.company_name,
                        })
                    })
                    .collect()
            }

            async fn list_company_profiles(&self, company_id: i64) -> StoreResult<Vec<RoleProfile>> {
                let sql = format!(
                    "SELECT {PROFILE_COLUMNS} FROM role_profiles WHERE company_id = $1 ORDER BY lower(title), id"
                );
                let rows: Vec<ProfileRow> = sqlx::query_as(&sql).bind(company_id).fetch_all(&self.pool).await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn get_profile(&self, id: i64) -> StoreResult<RoleProfile> {
                let sql = format!("SELECT {PROFILE_COLUMNS} FROM role_profiles WHERE id = $1");
                let row: Option<ProfileRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                row.ok_or(StoreError::NotFound)?.try_into()
            }

            async fn create_profile(&self, company_id: i64, details: &ProfileDetails) -> StoreResult<RoleProfile> {
                // Selecting from the company makes "no such company" an empty result instead of a
                // foreign-key error, the same way on both backends.
                let sql = format!(
                    "INSERT INTO role_profiles (company_id, title, ad_language, accounts_per_manager, \
                     key_accounts_per_manager, typical_client_size, client_industries, growth_focus, meeting_cadence, \
                     presentation_frequency, travel_share, duties, location, remote_option, weekly_hours, salary_min, \
                     salary_max, salary_currency, salary_period, start_date, application_deadline, contact_name, \
                     contact_email, contact_phone, hiring_manager_id, employment, interviewing, apply_url, hard_requirements, \
                     job_terms, created_at, updated_at) \
                     SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
                     $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $31 FROM companies WHERE id = $1 \
                     RETURNING {PROFILE_COLUMNS}"
                );
                let query = bind_profile!(sqlx::query_as(&sql).bind(company_id), details).bind($crate::store::clock::now());
                let mut tx = self.pool.begin().await?;
                let row: Option<ProfileRow> = query.fetch_optional(&mut *tx).await?;
                let profile: RoleProfile = row.ok_or(StoreError::NotFound)?.try_into()?;
                keep_answer!(tx, &profile);
                tx.commit().await?;
                Ok(profile)
            }

            async fn update_profile(
                &self,
                id: i64,
                expected_version: i64,
                details: &ProfileDetails,
            ) -> StoreResult<RoleProfile> {
                let sql = format!(
                    "UPDATE role_profiles SET title = $2, ad_language = $3, accounts_per_manager = $4, \
                     key_accounts_per_manager = $5, typical_client_size = $6, client_industries = $7, \
                     growth_focus = $8, meeting_cadence = $9, presentation_frequency = $10, travel_share = $11, \
                     duties = $12, location = $13, remote_option = $14, weekly_hours = $15, salary_min = $16, \
                     salary_max = $17, salary_currency = $18, salary_period = $19, start_date = $20, \
                     application_deadline = $21, contact_name = $22, contact_email = $23, contact_phone = $24, \
                     hiring_manager_id = $25, employment = $26, interviewing = $27, apply_url = $28, \
                     hard_requirements = $29, job_terms = $30, updated_at = $31, version = version + 1 \
                     WHERE id = $1 AND version = $32 \
                     RETURNING {PROFILE_COLUMNS}"
                );
                let query = bind_profile!(sqlx::query_as(&sql).bind(id), details)
                    .bind($crate::store::clock::now())
                    .bind(expected_version);
                let row: Option<ProfileRow> = write_returning(&self.pool, query).await?;
                match row {
                    Some(row) => row.try_into(),
                    None => Err(self.why_not_written("role_profiles", id).await),
                }
            }

            async fn delete_profile(&self, id: i64, expected_version: Option<i64>) -> StoreResult<()> {
                self.delete_at_version("role_profiles", id, expected_version).await
            }

            async fn list_weight_overrides(&self, profile_id: i64) -> StoreResult<Vec<WeightOverride>> {
                let rows: Vec<OverrideRow> = sqlx::query_as(
                    "SELECT o.competency_id, o.weight, o.minimum, u.name AS set_by, o.set_at FROM weight_overrides o \
                     LEFT JOIN users u ON u.id = o.set_by WHERE o.profile_id = $1 ORDER BY o.competency_id",
                )
                .bind(profile_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn set_weight_override(
                &self,
                profile_id: i64,
                change: &OverrideRecord<'_>,
                audit: &NewAuditEntry,
            ) -> StoreResult<()> {
                let set = sqlx::query(
                    "INSERT INTO weight_overrides (profile_id, competency_id, weight, minimum, set_by, set_at) \
                     SELECT id, $2, $3, $4, $5, $6 FROM role_profiles WHERE id = $1 \
                     ON CONFLICT (profile_id, competency_id) DO UPDATE SET weight = excluded.weight, \
                     minimum = excluded.minimum, set_by = excluded.set_by, set_at = excluded.set_at",
                )
                .bind(profile_id)
                .bind(change.competency_id)
                .bind(i32::try_from(change.weight).unwrap_or(i32::MAX))
                .bind(change.minimum.map(|m| i32::try_from(m).unwrap_or(i32::MAX)))
                .bind(change.set_by)
                .bind($crate::store::clock::now());
                execute_audited!(self.pool, set, audit)
            }

            async fn reset_weight_override(
                &self,
                profile_id: i64,
                competency_id: &str,
                audit: &NewAuditEntry,
            ) -> StoreResult<()> {
                let reset = sqlx::query("DELETE FROM weight_overrides WHERE profile_id = $1 AND competency_id = $2")
                    .bind(profile_id)
                    .bind(competency_id);
                execute_audited!(self.pool, reset, audit)
            }
        }

        impl $backend {
            /// The rows of a [`json_rows`]($crate::store::Dialect::json_rows) query; `sql` takes
            /// `id` as `$1`, or no parameter with `None`.
            pub(super) async fn json_rows<T: serde::de::DeserializeOwned>(
                &self,
                sql: &str,
                id: Option<i64>,
            ) -> StoreResult<Vec<T>> {
                let mut query = sqlx::query_as(sql);
                if let Some(id) = id {
                    query = query.bind(id);
                }
                let (json,): (String,) = query.fetch_one(&self.pool).await?;
                Self::read_json(&json)
            }

            /// The rows a query's JSON value holds.
            pub(super) fn read_json<T: serde::de::DeserializeOwned>(json: &str) -> StoreResult<Vec<T>> {
                serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("a list read as JSON: {e}")))
            }

            /// Commits a one-row write to a table that holds no data.
            pub(super) async fn probe_write(&self) -> StoreResult<()> {
                sqlx::query("UPDATE readiness_probe SET probed_at = $1 WHERE id = 1")
                    .bind(chrono::Utc::now())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn delete_by_id(&self, table: &'static str, id: i64) -> StoreResult<()> {
                let done = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1")).bind(id).execute(&self.pool).await?;
                touched(done.rows_affected())
            }

            /// Deletes a versioned record, only at `expected_version` when one is given.
            pub(super) async fn delete_at_version(
                &self,
                table: &'static str,
                id: i64,
                expected_version: Option<i64>,
            ) -> StoreResult<()> {
                let Some(expected) = expected_version else { return self.delete_by_id(table, id).await };
                let sql = format!("DELETE FROM {table} WHERE id = $1 AND version = $2");
                match sqlx::query(&sql).bind(id).bind(expected).execute(&self.pool).await?.rows_affected() {
                    0 => Err(self.why_not_written(table, id).await),
                    _ => Ok(()),
                }
            }

            /// After a versioned update wrote nothing: was the record gone, or newer?
            pub(super) async fn why_not_written(&self, table: &'static str, id: i64) -> StoreError {
                let sql = format!("SELECT version FROM {table} WHERE id = $1");
                match sqlx::query_as::<_, (i64,)>(&sql).bind(id).fetch_optional(&self.pool).await {
                    Ok(Some((current_version,))) => StoreError::Conflict { current_version },
                    Ok(None) => StoreError::NotFound,
                    Err(error) => error.into(),
                }
            }
        }
        };
    };
}

pub(super) use {bind_company, bind_profile, impl_store};
