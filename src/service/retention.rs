//! The purge: every candidate whose retention period (or talent-pool consent) has run out is
//! anonymised. The server runs it once a day; `amfit purge` runs it on demand. Running it again
//! changes nothing, and instances sharing a database split the work between them.

use crate::metrics::Metrics;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::AppState;
use crate::domain::candidate::Candidate;
use crate::domain::retention::{KeptBecause, Retention, RetentionPolicy, TalentPoolConsent};
use crate::domain::user::User;
use crate::error::AppResult;
use crate::service::candidates;
use crate::store::{PurgeStep, RetentionCandidate, Store, StoreResult};

/// What one purge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub policy: RetentionPolicy,
    /// The candidates anonymised, by id.
    pub anonymised: Vec<i64>,
    /// Candidates kept by a talent-pool consent, with the moment it ends.
    pub in_talent_pool: Vec<(i64, DateTime<Utc>)>,
    /// Candidates whose retention period runs on, with the moment it ends.
    pub within_period: Vec<(i64, DateTime<Utc>)>,
    /// Candidates that changed since they were listed: an application reopened, or anonymised
    /// or being processed by another instance.
    pub passed_over: usize,
}

/// How far ahead the retention list looks.
pub const UPCOMING_DAYS: u64 = 60;

/// A candidate who is anonymised soon.
pub struct Upcoming {
    /// When: `now` for those due at the next run.
    pub at: DateTime<Utc>,
    pub candidate: RetentionCandidate,
    /// What keeps them until then; `None` for those due at the next run.
    pub kept_because: Option<KeptBecause>,
}

/// The candidates anonymised from `now` up to `horizon`, soonest first.
pub async fn upcoming(state: &AppState, now: DateTime<Utc>, horizon: DateTime<Utc>) -> AppResult<Vec<Upcoming>> {
    let mut upcoming: Vec<Upcoming> = Vec::new();
    for candidate in state.store.retention_candidates().await? {
        let (at, kept_because) = match state.retention.verdict(&candidate.record, now) {
            Retention::Due => (now, None),
            Retention::KeptUntil { until, reason } if until <= horizon => (until, Some(reason)),
            _ => continue,
        };
        upcoming.push(Upcoming { at, candidate, kept_because });
    }
    upcoming.sort_by_key(|u| (u.at, u.candidate.id));
    Ok(upcoming)
}

/// The candidates who consented to stay in the talent pool, by name, with their consent.
pub async fn talent_pool(state: &AppState, user: &User) -> AppResult<Vec<(Candidate, TalentPoolConsent)>> {
    let candidates = candidates::list(state, user).await?;
    let in_pool = candidates.into_iter().filter_map(|o| Some((o.candidate.details.talent_pool?, o.candidate)));
    Ok(in_pool.map(|(consent, candidate)| (candidate, consent)).collect())
}

/// Anonymises every candidate `policy` says is due at `now`.
pub async fn purge(store: &dyn Store, policy: RetentionPolicy, now: DateTime<Utc>) -> StoreResult<PurgeReport> {
    let mut report = PurgeReport { policy, ..PurgeReport::default() };
    for candidate in store.retention_candidates().await? {
        let id = candidate.id;
        // Judged again under lock before anything is anonymised.
        let step = match policy.verdict(&candidate.record, now) {
            Retention::Due => store.anonymise_if_due(id, policy, now).await?,
            kept => PurgeStep::Kept(kept),
        };
        match step {
            PurgeStep::Anonymised => report.anonymised.push(id),
            PurgeStep::Kept(Retention::KeptUntil { until, reason: KeptBecause::TalentPool }) => {
                report.in_talent_pool.push((id, until));
            }
            PurgeStep::Kept(Retention::KeptUntil { until, reason: KeptBecause::RetentionPeriod }) => {
                report.within_period.push((id, until));
            }
            PurgeStep::Kept(_) | PurgeStep::Skipped => report.passed_over += 1,
        }
    }
    // The throttles' records name client addresses, personal data too: kept a day, far
    // longer than any throttle looks back (a quarter of an hour for logins, an hour for
    // applications).
    let forgotten = store.forget_attempts_before(now - chrono::Duration::days(1)).await?;
    tracing::info!(forgotten, "throttle records older than a day forgotten");
    let forgotten = store.forget_answers_before(now - crate::store::KEY_LIFETIME).await?;
    tracing::info!(forgotten, "answers kept for idempotency keys past their lifetime forgotten");
    Ok(report)
}

/// Purges once at start and then every 24 hours, logging what each run did.
pub fn spawn_daily_purge(store: Arc<dyn Store>, policy: RetentionPolicy, metrics: Arc<Metrics>) {
    tokio::spawn(async move {
        let mut daily = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
        loop {
            daily.tick().await;
            let purged = purge(store.as_ref(), policy, Utc::now()).await;
            metrics.purge_ran(purged.as_ref().ok().map(|report| report.anonymised.len()));
            match purged {
                Ok(report) => tracing::info!(
                    anonymised = ?report.anonymised,
                    in_talent_pool = report.in_talent_pool.len(),
                    within_period = report.within_period.len(),
                    passed_over = report.passed_over,
                    "retention purge done"
                ),
                Err(error) => tracing::error!(%error, "retention purge failed; it runs again in 24 hours"),
            }
        }
    });
}

impl fmt::Display for PurgeReport {
    /// What `amfit purge` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let months = self.policy.length_in_months();
        let months = if months == 1 { "1 month".to_owned() } else { format!("{months} months") };
        writeln!(f, "Retention period: {months} after a candidate's last application closed.")?;
        match self.anonymised.as_slice() {
            [] => writeln!(f, "Anonymised no candidate.")?,
            ids => writeln!(f, "Anonymised {}: {}.", candidates(ids.len()), ids_listed(ids.iter()))?,
        }
        if !self.in_talent_pool.is_empty() {
            let kept = self.in_talent_pool.iter().map(|(id, until)| format!("#{id} (due {})", until.date_naive()));
            let kept: Vec<String> = kept.collect();
            writeln!(f, "Kept {} by talent-pool consent: {}.", candidates(kept.len()), kept.join(", "))?;
        }
        if let Some(next) = self.within_period.iter().map(|(_, until)| until).min() {
            let count = candidates(self.within_period.len());
            writeln!(f, "Kept {count} whose retention period runs on; the first is due on {}.", next.date_naive())?;
        }
        if self.passed_over > 0 {
            let count = candidates(self.passed_over);
            writeln!(f, "Passed over {count} that changed meanwhile (reopened, or handled by another instance).")?;
        }
        Ok(())
    }
}

fn candidates(count: usize) -> String {
    if count == 1 { "1 candidate".to_owned() } else { format!("{count} candidates") }
}

fn ids_listed<'a>(ids: impl Iterator<Item = &'a i64>) -> String {
    ids.map(|id| format!("#{id}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_says_what_was_done_and_what_was_kept() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        let report = PurgeReport {
            policy: RetentionPolicy::default(),
            anonymised: vec![4, 7],
            in_talent_pool: vec![(9, at("2027-03-02T00:00:00Z"))],
            within_period: vec![(3, at("2027-05-01T10:00:00Z")), (5, at("2027-01-12T08:00:00Z"))],
            passed_over: 1,
        };
        assert_eq!(
            report.to_string(),
            "Retention period: 6 months after a candidate's last application closed.\n\
             Anonymised 2 candidates: #4, #7.\n\
             Kept 1 candidate by talent-pool consent: #9 (due 2027-03-02).\n\
             Kept 2 candidates whose retention period runs on; the first is due on 2027-01-12.\n\
             Passed over 1 candidate that changed meanwhile (reopened, or handled by another instance).\n"
        );
        let nothing = PurgeReport::default().to_string();
        assert!(nothing.ends_with("Anonymised no candidate.\n"), "{nothing}");
    }
}
