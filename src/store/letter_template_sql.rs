//! The shared SQL implementation of [`LetterTemplateStore`](super::LetterTemplateStore): the
//! letter templates a company wrote itself, each kind in both languages, for both backends.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::domain::letter::{BilingualTemplate, LetterTemplate, TemplateKind};
use crate::domain::profile::AdLanguage;
use crate::store::StoreError;
use crate::store::rows::choice;

/// A company's own template of one kind, with who changed it last and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyTemplate {
    pub kind: TemplateKind,
    pub template: BilingualTemplate,
    /// The user's name; `None` once that user is deleted.
    pub updated_by: Option<String>,
    pub updated_at: DateTime<Utc>,
}

pub const TEMPLATE_SELECT: &str = "SELECT t.kind, t.language, t.subject, t.body, u.name AS updated_by, t.updated_at \
    FROM letter_templates t LEFT JOIN users u ON u.id = t.updated_by";

#[derive(sqlx::FromRow)]
pub struct TemplateRow {
    kind: String,
    language: String,
    subject: String,
    body: String,
    updated_by: Option<String>,
    updated_at: DateTime<Utc>,
}

/// The templates `rows` hold, a kind's two language rows as one; a kind with one language
/// only is corrupt, as the store never writes one alone.
pub fn templates_of(rows: Vec<TemplateRow>) -> Result<Vec<CompanyTemplate>, StoreError> {
    let mut by_kind: BTreeMap<TemplateKind, Vec<(AdLanguage, TemplateRow)>> = BTreeMap::new();
    for row in rows {
        let language = choice("language", &row.language)?;
        by_kind.entry(choice("kind", &row.kind)?).or_default().push((language, row));
    }
    by_kind.into_iter().map(|(kind, rows)| one_template(kind, rows)).collect()
}

fn one_template(kind: TemplateKind, rows: Vec<(AdLanguage, TemplateRow)>) -> Result<CompanyTemplate, StoreError> {
    let mut da = None;
    let mut en = None;
    let mut last = None;
    for (language, row) in rows {
        let written = LetterTemplate { subject: row.subject.clone(), body: row.body.clone() };
        *match language {
            AdLanguage::Da => &mut da,
            AdLanguage::En => &mut en,
        } = Some(written);
        last = Some(row);
    }
    match (da, en, last) {
        (Some(da), Some(en), Some(row)) => Ok(CompanyTemplate {
            kind,
            template: BilingualTemplate { da, en },
            updated_by: row.updated_by,
            updated_at: row.updated_at,
        }),
        _ => Err(StoreError::Corrupt(format!("letter template {} in one language only", kind.as_str()))),
    }
}

/// Implements `LetterTemplateStore` for a backend struct with a `pool` field.
macro_rules! impl_letter_template_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::domain::letter::{BilingualTemplate, TemplateKind};
            use $crate::store::letter_template_sql::{CompanyTemplate, TEMPLATE_SELECT, TemplateRow, templates_of};
            use $crate::store::{Backend, LetterTemplateStore, StoreError, StoreResult};

            #[async_trait::async_trait]
            impl LetterTemplateStore for $backend {
                async fn letter_templates(&self, company_id: i64) -> StoreResult<Vec<CompanyTemplate>> {
                    let sql = format!("{TEMPLATE_SELECT} WHERE t.company_id = $1 ORDER BY t.kind, t.language");
                    let rows: Vec<TemplateRow> = sqlx::query_as(&sql).bind(company_id).fetch_all(&self.pool).await?;
                    templates_of(rows)
                }

                async fn letter_template(
                    &self,
                    company_id: i64,
                    kind: TemplateKind,
                ) -> StoreResult<Option<BilingualTemplate>> {
                    let sql = format!("{TEMPLATE_SELECT} WHERE t.company_id = $1 AND t.kind = $2");
                    let rows: Vec<TemplateRow> =
                        sqlx::query_as(&sql).bind(company_id).bind(kind.as_str()).fetch_all(&self.pool).await?;
                    Ok(templates_of(rows)?.into_iter().next().map(|own| own.template))
                }

                async fn save_letter_template(
                    &self,
                    company_id: i64,
                    kind: TemplateKind,
                    template: &BilingualTemplate,
                    by: i64,
                ) -> StoreResult<CompanyTemplate> {
                    let now = $crate::store::clock::now();
                    let mut tx = self.pool.begin_with(Self::DIALECT.begin_to_write()).await?;
                    let company: Option<(i64,)> = sqlx::query_as("SELECT id FROM companies WHERE id = $1")
                        .bind(company_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if company.is_none() {
                        return Err(StoreError::NotFound);
                    }
                    for (language, written) in [("da", &template.da), ("en", &template.en)] {
                        sqlx::query(
                            "INSERT INTO letter_templates (company_id, kind, language, subject, body, updated_by, \
                             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (company_id, kind, language) \
                             DO UPDATE SET subject = excluded.subject, body = excluded.body, \
                             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                        )
                        .bind(company_id)
                        .bind(kind.as_str())
                        .bind(language)
                        .bind(&written.subject)
                        .bind(&written.body)
                        .bind(by)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    let saved = self.letter_templates(company_id).await?.into_iter().find(|own| own.kind == kind);
                    saved.ok_or(StoreError::NotFound)
                }

                async fn newest_application_of(&self, company_id: i64) -> StoreResult<Option<i64>> {
                    let newest: Option<(i64,)> = sqlx::query_as(
                        "SELECT a.id FROM applications a JOIN role_profiles p ON p.id = a.profile_id \
                         WHERE p.company_id = $1 ORDER BY a.id DESC LIMIT 1",
                    )
                    .bind(company_id)
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(newest.map(|(id,)| id))
                }

                async fn reset_letter_template(&self, company_id: i64, kind: TemplateKind) -> StoreResult<bool> {
                    let deleted = sqlx::query("DELETE FROM letter_templates WHERE company_id = $1 AND kind = $2")
                        .bind(company_id)
                        .bind(kind.as_str())
                        .execute(&self.pool)
                        .await?;
                    Ok(deleted.rows_affected() > 0)
                }
            }
        };
    };
}

pub(super) use impl_letter_template_store;
