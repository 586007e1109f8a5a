//! What amfit counts about itself, served at `/metrics` in the OpenMetrics text format that
//! Prometheus scrapes: requests by route and status with their latency, the database pool, the
//! read caches, the outbox, the retention purges and refused sign-ins. No personal data: the
//! labels are route templates, methods, statuses and amfit's own names, never a path as sent.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::store::{OutboxBacklog, PoolUse};

/// Upper bounds (seconds) of the latency buckets: from a cached page (about a millisecond) to
/// a request that waited out the database's lock (five seconds and more).
const LATENCY_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The route's template (`/candidates/{id}`), or `unmatched` for a path no route has.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    cache: &'static str,
    /// `hit`: answered from memory; `miss`: read from the database.
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy)]
pub enum LoginRefusal {
    /// The address is unknown, the password wrong or the user deactivated.
    WrongCredentials,
    /// Too many failures lately: the password was not even checked.
    Throttled,
}

/// The metrics of one server, registered in its own registry.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
    login_refusals: Family<ReasonLabels, Counter>,
    cache_reads: Family<CacheLabels, Counter>,
    purge_runs: Family<OutcomeLabels, Counter>,
    purged_candidates: Counter,
    pool_connections: Family<StateLabels, Gauge>,
    pool_max: Gauge,
    pool_acquire_seconds: Gauge<f64, std::sync::atomic::AtomicU64>,
    outbox_messages: Family<StateLabels, Gauge>,
    outbox_oldest_seconds: Gauge,
    store_up: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let metrics = Self {
            registry: Registry::with_prefix("amfit"),
            requests: Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS)),
            login_refusals: Family::default(),
            cache_reads: Family::default(),
            purge_runs: Family::default(),
            purged_candidates: Counter::default(),
            pool_connections: Family::default(),
            pool_max: Gauge::default(),
            pool_acquire_seconds: Gauge::default(),
            outbox_messages: Family::default(),
            outbox_oldest_seconds: Gauge::default(),
            store_up: Gauge::default(),
        };
        metrics.registered()
    }
}

impl Metrics {
    fn registered(mut self) -> Self {
        let r = &mut self.registry;
        r.register(
            "http_request_duration_seconds",
            "Requests answered, by method, route template and status, with how long each took",
            self.requests.clone(),
        );
        r.register("login_refusals", "Sign-ins refused, by reason", self.login_refusals.clone());
        r.register("cache_reads", "Reads of the in-memory caches, by cache and outcome", self.cache_reads.clone());
        r.register("retention_purge_runs", "Retention purges run, by outcome", self.purge_runs.clone());
        r.register(
            "retention_purged_candidates",
            "Candidates anonymised by retention purges",
            self.purged_candidates.clone(),
        );
        r.register(
            "database_pool_connections",
            "The database pool's open connections, by state",
            self.pool_connections.clone(),
        );
        r.register(
            "database_pool_max_connections",
            "The most connections the database pool keeps",
            self.pool_max.clone(),
        );
        r.register(
            "database_pool_acquire_seconds",
            "How long taking a connection from the pool took at the last scrape",
            self.pool_acquire_seconds.clone(),
        );
        r.register("outbox_messages", "Letters in the outbox not sent, by state", self.outbox_messages.clone());
        r.register(
            "outbox_oldest_queued_seconds",
            "How long the letter waiting longest has waited (0 when none waits)",
            self.outbox_oldest_seconds.clone(),
        );
        r.register(
            "store_up",
            "1 when the database answered the last scrape, 0 when it did not",
            self.store_up.clone(),
        );
        self
    }

    /// The counters of cache `name`'s hits and misses, as `/metrics` reports them.
    pub fn cache_counters(&self, cache: &'static str) -> (Counter, Counter) {
        let counter = |outcome| self.cache_reads.get_or_create(&CacheLabels { cache, outcome }).clone();
        (counter("hit"), counter("miss"))
    }

    pub fn login_refused(&self, refusal: LoginRefusal) {
        let reason = match refusal {
            LoginRefusal::WrongCredentials => "wrong_credentials",
            LoginRefusal::Throttled => "throttled",
        };
        self.login_refusals.get_or_create(&ReasonLabels { reason }).inc();
    }

    /// A retention purge that anonymised `anonymised` candidates, or failed (`None`).
    pub fn purge_ran(&self, anonymised: Option<usize>) {
        let outcome = if anonymised.is_some() { "done" } else { "failed" };
        self.purge_runs.get_or_create(&OutcomeLabels { outcome }).inc();
        self.purged_candidates.inc_by(anonymised.unwrap_or(0) as u64);
    }

    /// The text a scrape is answered with, the store's figures read just before (`None` when
    /// it could not be read).
    pub fn render(&self, store: Option<(PoolUse, OutboxBacklog)>, now: chrono::DateTime<chrono::Utc>) -> String {
        self.store_up.set(i64::from(store.is_some()));
        if let Some((pool, outbox)) = store {
            self.pool_max.set(pool.max.into());
            self.pool_connections.get_or_create(&StateLabels { state: "idle" }).set(pool.idle.into());
            self.pool_connections
                .get_or_create(&StateLabels { state: "in_use" })
                .set(pool.open.saturating_sub(pool.idle).into());
            self.pool_acquire_seconds.set(pool.acquire_wait.as_secs_f64());
            self.outbox_messages.get_or_create(&StateLabels { state: "queued" }).set(outbox.queued);
            self.outbox_messages.get_or_create(&StateLabels { state: "failed" }).set(outbox.failed);
            let waited = outbox.oldest_queued_at.map_or(0, |at| (now - at).num_seconds().max(0));
            self.outbox_oldest_seconds.set(waited);
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }

    fn observe(&self, method: &axum::http::Method, route: Option<&MatchedPath>, status: u16, took: Duration) {
        let method = match *method {
            axum::http::Method::GET => "GET",
            axum::http::Method::HEAD => "HEAD",
            axum::http::Method::POST => "POST",
            axum::http::Method::PUT => "PUT",
            axum::http::Method::PATCH => "PATCH",
            axum::http::Method::DELETE => "DELETE",
            // Any other word a client sends would be a label of its choosing.
            _ => "other",
        };
        let route = route.map_or("unmatched", MatchedPath::as_str).to_owned();
        self.requests.get_or_create(&RequestLabels { method, route, status }).observe(took.as_secs_f64());
    }
}

/// Counts and times each request under its route's template.
pub async fn record_request(State(metrics): State<std::sync::Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    metrics.observe(&method, route.as_ref(), response.status().as_u16(), started.elapsed());
    response
}
