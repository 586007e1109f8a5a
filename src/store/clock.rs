//! The time the store writes into what it records. It is the system's, except within
//! [`replaying_at`], where it is the moment given: `amfit demo` replays weeks of a hiring
//! history through the store's own operations, each step at the moment it happened. What
//! checks a moment against the present (a token's expiry, an idempotency key's lifetime) reads
//! the system's time itself.
//!
//! The moment belongs to the task that runs the replayed work: work it spawns onto another
//! task runs in the system's time.

use std::future::Future;

use chrono::{DateTime, Utc};

tokio::task_local! {
    static REPLAYED_MOMENT: DateTime<Utc>;
}

/// The moment a change being written happens.
pub fn now() -> DateTime<Utc> {
    REPLAYED_MOMENT.try_with(|moment| *moment).unwrap_or_else(|_| Utc::now())
}

/// Runs `work`, whose store changes are recorded as made at `moment`.
pub async fn replaying_at<F: Future>(moment: DateTime<Utc>, work: F) -> F::Output {
    REPLAYED_MOMENT.scope(moment, work).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_replayed_moment_holds_within_its_work_only() {
        let moment = DateTime::parse_from_rfc3339("2026-10-01T09:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(replaying_at(moment, async { now() }).await, moment);
        let before = Utc::now();
        let outside = now();
        assert!(before <= outside && outside <= Utc::now(), "outside the replay the system's time holds");
        let spawned = replaying_at(moment, async { tokio::spawn(async { now() }).await.unwrap() }).await;
        assert!(spawned >= before, "a spawned task does not replay: {spawned}");
    }
}
