//! Published ad versions, the same SQL on both backends.

/// The columns of a publication, with the name of the user who published it.
pub const PUBLICATION_SELECT: &str = "SELECT p.id, p.profile_id, p.ad_number AS version, v.language, p.slug, \
    p.open_from, p.open_until, u.name AS published_by, p.published_at FROM publications p \
    JOIN ad_versions v ON v.profile_id = p.profile_id AND v.number = p.ad_number \
    LEFT JOIN users u ON u.id = p.published_by";

/// A publication as [`PUBLICATION_SELECT`] reads it.
#[derive(sqlx::FromRow)]
pub struct PublicationRow {
    id: i64,
    profile_id: i64,
    version: i64,
    language: String,
    slug: String,
    open_from: chrono::NaiveDate,
    open_until: chrono::NaiveDate,
    published_by: Option<String>,
    published_at: chrono::DateTime<chrono::Utc>,
}

impl TryFrom<PublicationRow> for crate::domain::publication::Publication {
    type Error = super::StoreError;

    fn try_from(row: PublicationRow) -> Result<Self, super::StoreError> {
        let PublicationRow {
            id,
            profile_id,
            version,
            language,
            slug,
            open_from,
            open_until,
            published_by,
            published_at,
        } = row;
        let language = language.parse().map_err(|_| super::StoreError::Corrupt(format!("ad language {language}")))?;
        Ok(Self { id, profile_id, version, language, slug, open_from, open_until, published_by, published_at })
    }
}

/// Implements `PublicationStore` for a backend struct with a `pool` field.
macro_rules! impl_publication_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::publication::Publication;
            use $crate::store::publication_sql::{PUBLICATION_SELECT, PublicationRow};
            use $crate::store::user_sql::duplicate_or;
            use $crate::store::{NewPublication, PublicationStore, StoreError, StoreResult, touched};

            #[async_trait::async_trait]
            impl PublicationStore for $backend {
                async fn publish(&self, new: NewPublication<'_>) -> StoreResult<Publication> {
                    sqlx::query(
                        "INSERT INTO publications \
                         (profile_id, ad_number, slug, open_from, open_until, published_by, published_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (profile_id, ad_number) DO UPDATE SET \
                         slug = excluded.slug, open_from = excluded.open_from, open_until = excluded.open_until, \
                         published_by = excluded.published_by, published_at = excluded.published_at",
                    )
                    .bind(new.profile_id)
                    .bind(new.number)
                    .bind(new.slug)
                    .bind(new.open_from)
                    .bind(new.open_until)
                    .bind(new.by)
                    .bind($crate::store::clock::now())
                    .execute(&self.pool)
                    .await
                    .map_err(duplicate_or)?;
                    let sql = format!("{PUBLICATION_SELECT} WHERE p.profile_id = $1 AND p.ad_number = $2");
                    let row: Option<PublicationRow> =
                        sqlx::query_as(&sql).bind(new.profile_id).bind(new.number).fetch_optional(&self.pool).await?;
                    row.ok_or(StoreError::NotFound)?.try_into()
                }

                async fn unpublish(&self, profile_id: i64, number: i64) -> StoreResult<()> {
                    let done = sqlx::query("DELETE FROM publications WHERE profile_id = $1 AND ad_number = $2")
                        .bind(profile_id)
                        .bind(number)
                        .execute(&self.pool)
                        .await?;
                    touched(done.rows_affected())
                }

                async fn list_publications(&self) -> StoreResult<Vec<Publication>> {
                    let sql = format!("{PUBLICATION_SELECT} ORDER BY p.id");
                    let rows: Vec<PublicationRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }
            }
        };
    };
}

pub(super) use impl_publication_store;
