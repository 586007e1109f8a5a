//! The shared SQL implementation of [`ReportStore`](super::ReportStore): only what reports are
//! computed from, selected in the database, in three queries however many profiles and
//! applications there are.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Which applications a report covers: those to these profiles, made within these days.
#[derive(Debug, Clone, Copy)]
pub struct ReportSelection<'a> {
    pub profile_ids: &'a [i64],
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl ReportSelection<'_> {
    /// The condition over applications `a`, its parameters numbered from `$1`: the profile ids,
    /// then the days given.
    pub fn condition(&self) -> String {
        let ids: Vec<String> = (1..=self.profile_ids.len()).map(|n| format!("${n}")).collect();
        let mut condition =
            format!("a.profile_id IN ({})", if ids.is_empty() { "NULL".into() } else { ids.join(", ") });
        let mut next = self.profile_ids.len() + 1;
        for (day, comparison) in [(self.from, ">="), (self.to, "<=")] {
            if day.is_some() {
                condition.push_str(&format!(" AND a.applied_on {comparison} ${next}"));
                next += 1;
            }
        }
        condition
    }
}

/// An application as reports read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportedApplication {
    pub id: i64,
    pub applied_on: NaiveDate,
    pub source: Option<String>,
}

/// A stage an application entered, and when.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportedChange {
    pub application_id: i64,
    pub stage: String,
    pub changed_at: DateTime<Utc>,
}

/// An interview as reports read it: when it was (in its company's time zone) and when its
/// first scorecard was submitted.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportedInterview {
    pub application_id: i64,
    pub interviewer_id: i64,
    pub interviewer_name: String,
    pub starts_at: Option<NaiveDateTime>,
    pub duration_minutes: Option<i32>,
    pub time_zone: String,
    pub first_submitted_at: Option<DateTime<Utc>>,
}

/// What a report is computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportRows {
    pub applications: Vec<ReportedApplication>,
    /// By application, oldest first.
    pub changes: Vec<ReportedChange>,
    pub interviews: Vec<ReportedInterview>,
}

/// Implements `ReportStore` for a backend struct with a `pool` field.
macro_rules! impl_report_store {
    ($backend:ty) => {
        const _: () = {
            use $crate::store::report_sql::{
                ReportRows, ReportSelection, ReportedApplication, ReportedChange, ReportedInterview,
            };
            use $crate::store::{ReportStore, StoreResult};

            #[async_trait::async_trait]
            impl ReportStore for $backend {
                async fn report_rows(&self, selection: ReportSelection<'_>) -> StoreResult<ReportRows> {
                    let condition = selection.condition();
                    let applications = format!(
                        "SELECT a.id, a.applied_on, a.source FROM applications a WHERE {condition} ORDER BY a.id"
                    );
                    let changes = format!(
                        "SELECT sc.application_id, sc.stage, sc.changed_at FROM stage_changes sc \
                         JOIN applications a ON a.id = sc.application_id WHERE {condition} \
                         ORDER BY sc.application_id, sc.changed_at, sc.id"
                    );
                    let interviews = format!(
                        "SELECT ia.application_id, ia.interviewer_id, u.name AS interviewer_name, ia.starts_at, \
                         ia.duration_minutes, c.time_zone, \
                         (SELECT MIN(s.submitted_at) FROM scorecards s WHERE s.assignment_id = ia.id) AS first_submitted_at \
                         FROM interview_assignments ia JOIN applications a ON a.id = ia.application_id \
                         JOIN users u ON u.id = ia.interviewer_id JOIN role_profiles p ON p.id = a.profile_id \
                         JOIN companies c ON c.id = p.company_id WHERE {condition} ORDER BY ia.id"
                    );
                    macro_rules! selected {
                        ($sql:expr, $row:ty) => {{
                            let mut query = sqlx::query_as::<_, $row>($sql);
                            for id in selection.profile_ids {
                                query = query.bind(*id);
                            }
                            for day in [selection.from, selection.to].into_iter().flatten() {
                                query = query.bind(day);
                            }
                            query.fetch_all(&self.pool).await?
                        }};
                    }
                    Ok(ReportRows {
                        applications: selected!(&applications, ReportedApplication),
                        changes: selected!(&changes, ReportedChange),
                        interviews: selected!(&interviews, ReportedInterview),
                    })
                }
            }
        };
    };
}

pub(super) use impl_report_store;
