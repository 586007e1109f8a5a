//! Slowing, then refusing, repeated failed logins: per account from one client address, and
//! per client address across all accounts. No count spans addresses, so that failures from
//! one client never refuse another client's correct password.

use std::time::Duration;

/// How many recent failures a subject may have before it is slowed, and before it is refused.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub slow_after: i64,
    pub refuse_after: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct LoginThrottle {
    /// Failures older than this are forgotten; a refusal lasts at most this long.
    pub window: Duration,
    /// One account, tried from one client address.
    pub account: Limits,
    /// A client address is shared by whole offices behind one router, so it gets more slack.
    pub client: Limits,
    /// Each failure past `slow_after` adds this much delay, up to `max_delay`.
    pub delay_step: Duration,
    pub max_delay: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            account: Limits { slow_after: 3, refuse_after: 10 },
            client: Limits { slow_after: 20, refuse_after: 100 },
            delay_step: Duration::from_secs(1),
            max_delay: Duration::from_secs(5),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Try, but only after this delay.
    Slow(Duration),
    /// Refuse without trying.
    Refuse,
}

impl LoginThrottle {
    pub fn verdict(&self, account_failures: i64, client_failures: i64) -> Verdict {
        if account_failures >= self.account.refuse_after || client_failures >= self.client.refuse_after {
            return Verdict::Refuse;
        }
        let excess = (account_failures - self.account.slow_after + 1).max(client_failures - self.client.slow_after + 1);
        if excess <= 0 {
            return Verdict::Allow;
        }
        let steps = u32::try_from(excess).unwrap_or(u32::MAX);
        Verdict::Slow(self.delay_step.saturating_mul(steps).min(self.max_delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_slowed_then_refused() {
        let throttle = LoginThrottle::default();
        let secs = Duration::from_secs;
        assert_eq!(throttle.verdict(0, 0), Verdict::Allow);
        assert_eq!(throttle.verdict(2, 0), Verdict::Allow);
        assert_eq!(throttle.verdict(3, 0), Verdict::Slow(secs(1)));
        assert_eq!(throttle.verdict(4, 0), Verdict::Slow(secs(2)));
        assert_eq!(throttle.verdict(9, 0), Verdict::Slow(secs(5)), "the delay is capped");
        assert_eq!(throttle.verdict(10, 0), Verdict::Refuse);
        assert_eq!(throttle.verdict(0, 19), Verdict::Allow);
        assert_eq!(throttle.verdict(0, 20), Verdict::Slow(secs(1)));
        assert_eq!(throttle.verdict(0, 100), Verdict::Refuse);
        assert_eq!(throttle.verdict(3, 22), Verdict::Slow(secs(3)), "the worse subject decides");
    }
}
