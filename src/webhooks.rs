//! Delivering webhooks: each due delivery posted to its integrator as JSON, signed, within a
//! short time, over HTTPS with the web's roots; only to addresses a delivery may go to, checked
//! again for every address a name resolves to when it is sent (so that a name moved to this
//! machine later does not get through). Redirects are not followed.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::rt::TokioExecutor;

use crate::domain::mail::Delivery;
use crate::domain::webhook::{may_receive, signature};
use crate::store::{QueuedDelivery, Store, StoreResult};

/// How long one delivery may take: connecting, TLS, and the integrator's answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claimed delivery is this instance's: longer than a round of tries takes.
const LEASE: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// How far into its claim a round may start a try.
const SENDING_WITHIN_LEASE: Duration = Duration::from_secs(30);
const AT_ONCE: usize = 8;
const BATCH: i64 = 50;

pub type Client =
    hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<HttpConnector<AllowedAddresses>>, Full<Bytes>>;

/// The client deliveries go through.
pub fn client() -> Client {
    let mut http = HttpConnector::new_with_resolver(AllowedAddresses);
    http.enforce_http(false);
    http.set_connect_timeout(Some(TIMEOUT));
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(https)
}

/// Resolves a host name to the addresses a delivery may go to; none is an error, which the
/// delivery counts as final.
#[derive(Clone, Copy, Debug)]
pub struct AllowedAddresses;

/// Why a delivery went nowhere: its name resolved to this machine or its link's network only.
const OWN_NETWORK: &str = "the address resolves to this machine or its network link only";

impl tower::Service<Name> for AllowedAddresses {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = found.filter(|address| may_receive(address.ip())).collect();
            if allowed.is_empty() {
                return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, OWN_NETWORK));
            }
            Ok(allowed.into_iter())
        })
    }
}

/// Sends the deliveries due now and records what came of them in one write; how many were
/// tried.
pub async fn send_due(store: &dyn Store, client: &Client) -> StoreResult<usize> {
    let claimed = std::time::Instant::now();
    let due = store.claim_due_deliveries(chrono::Utc::now(), LEASE, BATCH).await?;
    let tries: Vec<_> = due.iter().map(|delivery| try_within_claim(claimed, client, delivery)).collect();
    let outcomes: Vec<_> =
        futures_util::stream::iter(tries).buffer_unordered(AT_ONCE).filter_map(std::future::ready).collect().await;
    store.record_webhook_deliveries(&outcomes, chrono::Utc::now()).await?;
    Ok(outcomes.len())
}

/// [`deliver`], unless the round claimed `delivery` too long ago to finish within the claim.
async fn try_within_claim<'d>(
    claimed: std::time::Instant,
    client: &Client,
    delivery: &'d QueuedDelivery,
) -> Option<(&'d QueuedDelivery, Delivery, Option<u16>)> {
    if claimed.elapsed() + TIMEOUT > SENDING_WITHIN_LEASE {
        return None;
    }
    let (outcome, status) = deliver(client, delivery).await;
    Some((delivery, outcome, status))
}

/// One try: a 2xx answer delivers it; 408, 429 and 5xx, no answer or no connection are tried
/// again later; any other answer (a redirect, a 4xx) and an address of amfit's own network are
/// final.
async fn deliver(client: &Client, delivery: &QueuedDelivery) -> (Delivery, Option<u16>) {
    let timestamp = chrono::Utc::now().timestamp();
    let request = hyper::Request::post(&delivery.url)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::USER_AGENT, concat!("amfit-webhooks/", env!("CARGO_PKG_VERSION")))
        .header("x-amfit-event", &delivery.event)
        .header("x-amfit-delivery", delivery.id)
        .header("x-amfit-timestamp", timestamp)
        .header("x-amfit-signature", signature(&delivery.secret, timestamp, &delivery.payload))
        .body(Full::new(Bytes::from(delivery.payload.clone())));
    let request = match request {
        Ok(request) => request,
        Err(error) => return (Delivery::Permanent(format!("the address: {error}")), None),
    };
    let outcome = match tokio::time::timeout(TIMEOUT, client.request(request)).await {
        Err(_) => (Delivery::Temporary(format!("no answer within {} s", TIMEOUT.as_secs())), None),
        Ok(Err(error)) if refused_by_us(&error) => (Delivery::Permanent(OWN_NETWORK.to_owned()), None),
        Ok(Err(error)) => (Delivery::Temporary(format!("{error:#}: {}", source_of(&error))), None),
        Ok(Ok(response)) => {
            let code = response.status().as_u16();
            let outcome = match code {
                200..=299 => Delivery::Sent,
                408 | 429 | 500..=599 => Delivery::Temporary(format!("answered {code}")),
                _ => Delivery::Permanent(format!("answered {code}")),
            };
            (outcome, Some(code))
        }
    };
    if !matches!(outcome.0, Delivery::Sent) {
        tracing::warn!(
            id = delivery.id,
            attempts = delivery.attempts + 1,
            "a webhook delivery failed; its webhook lists why"
        );
    }
    outcome
}

/// The innermost cause of `error`, which says what went wrong (a refused connection, TLS).
fn source_of(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Whether the connection was not made because every address was one a delivery may not go to.
fn refused_by_us(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if current.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied)
        {
            return true;
        }
        cause = current.source();
    }
    false
}

/// How often the sender looks for deliveries that are due.
const ROUND: Duration = Duration::from_secs(1);

/// Delivers webhooks from now on, a round every [`ROUND`] (at once again after a full batch).
pub fn spawn_sender(store: std::sync::Arc<dyn Store>) {
    let client = client();
    tokio::spawn(async move {
        let mut rounds = tokio::time::interval(ROUND);
        rounds.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            match send_due(store.as_ref(), &client).await {
                Ok(tried) if tried == BATCH as usize => continue,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(error = format!("{error:#}"), "webhook deliveries could not be read; trying again")
                }
            }
            rounds.tick().await;
        }
    });
}
