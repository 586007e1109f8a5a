//! Sending mail through the server the operator named (`--smtp-url`), with lettre over rustls.

use std::time::Duration;

use futures_util::StreamExt;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::domain::mail::{Delivery, MailServer, Security};
use crate::store::{QueuedMessage, Store, StoreResult};

/// How long one conversation with the mail server may take before it counts as failed (and is
/// tried again later): the connection, TLS, and handing the message over.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

pub type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// A transport to `server`, protected as its URL said: TLS from the start, STARTTLS required,
/// or STARTTLS when the server offers it. The server's certificate is checked against the web's
/// roots, for the host the URL names.
pub fn transport(server: &MailServer) -> Result<Transport, lettre::transport::smtp::Error> {
    let tls = TlsParameters::new(server.host.clone())?;
    let tls = match server.security {
        Security::Opportunistic => Tls::Opportunistic(tls),
        Security::StartTls => Tls::Required(tls),
        Security::Tls => Tls::Wrapper(tls),
    };
    let builder = Transport::builder_dangerous(&server.host).port(server.port).tls(tls).timeout(Some(SMTP_TIMEOUT));
    let builder = match &server.credentials {
        Some((user, password)) => builder.credentials(Credentials::new(user.clone(), password.clone())),
        None => builder,
    };
    Ok(builder.build())
}

/// Who amfit's mail comes from (`--mail-from`) and the server it goes through.
#[derive(Clone)]
pub struct Mailer {
    pub from: Mailbox,
    pub transport: Transport,
}

/// How long a claimed message is another instance's: longer than one conversation with the
/// mail server may take, so that a message is sent twice only when its sender died mid-way.
const LEASE: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// How long into its claim a round may start a conversation with the mail server: what is
/// left of the claim then covers the conversation and the recording of its outcome.
const SENDING_WITHIN_LEASE: Duration = Duration::from_secs(30);
/// How many conversations with the mail server run at once (each on a connection of the
/// transport's pool): a server's answers take their time, on a network and on loopback alike.
const AT_ONCE: usize = 8;
/// How many messages one round claims.
const BATCH: i64 = 50;

/// Sends the messages due now, each as its own try, and records what came of them together
/// (one write for the round, not one a message: the disk's flushes would set the pace); how
/// many were tried. A server that dies mid-round has sent some of its messages without saying
/// so: they go again once their claim has lapsed, with the same Message-ID.
pub async fn send_due(store: &dyn Store, mailer: &Mailer) -> StoreResult<usize> {
    let claimed = std::time::Instant::now();
    let due = store.claim_due(chrono::Utc::now(), LEASE, BATCH).await?;
    let tries: Vec<_> = due.iter().map(|queued| try_within_claim(store, claimed, mailer, queued)).collect();
    let deliveries: Vec<(&QueuedMessage, Delivery)> =
        futures_util::stream::iter(tries).buffer_unordered(AT_ONCE).filter_map(std::future::ready).collect().await;
    store.record_deliveries(&deliveries, chrono::Utc::now()).await?;
    Ok(deliveries.len())
}

/// [`deliver`], unless the round claimed `queued` too long ago: a slow mail server must not keep
/// a message past its claim, when another instance may take it. Those not tried wait for their
/// claim to lapse, and go in a later round.
async fn try_within_claim<'q>(
    store: &dyn Store,
    claimed: std::time::Instant,
    mailer: &Mailer,
    queued: &'q QueuedMessage,
) -> Option<(&'q QueuedMessage, Delivery)> {
    if claimed.elapsed() + SMTP_TIMEOUT > SENDING_WITHIN_LEASE {
        return None;
    }
    // Erased (or merged away) since it was claimed: not sent.
    if !store.still_claimed(queued).await.unwrap_or(false) {
        return None;
    }
    Some((queued, deliver(mailer, queued).await))
}

/// One try to hand `queued` to the mail server, within [`SMTP_TIMEOUT`] (lettre limits only the
/// connection itself). A 5xx answer about the message is final; the server refusing amfit's
/// credentials is not (all mail would fail until an operator fixes them), nor is anything else.
async fn deliver(mailer: &Mailer, queued: &QueuedMessage) -> Delivery {
    let delivery = match letter_of(&mailer.from, queued) {
        Ok(message) => match tokio::time::timeout(SMTP_TIMEOUT, mailer.transport.send(message)).await {
            Err(_) => {
                Delivery::Temporary(format!("the mail server did not finish within {} s", SMTP_TIMEOUT.as_secs()))
            }
            Ok(Ok(_)) => Delivery::Sent,
            Ok(Err(error)) if is_refused_sign_in(&error) => {
                tracing::error!(error = %error, "the mail server refuses amfit's sign-in: check --smtp-url");
                Delivery::Temporary(error.to_string())
            }
            Ok(Err(error)) if error.is_permanent() => Delivery::Permanent(error.to_string()),
            Ok(Err(error)) => Delivery::Temporary(error.to_string()),
        },
        Err(why) => Delivery::Permanent(why),
    };
    // The reason stays with the message (erased with it): what the server said often repeats
    // the candidate's address, which has no place in the logs.
    if !matches!(delivery, Delivery::Sent) {
        tracing::warn!(id = queued.id, attempts = queued.attempts + 1, "a message was not sent; its page says why");
    }
    delivery
}

/// Whether the server refused amfit's credentials (RFC 4954: 530, 534, 535, 538).
fn is_refused_sign_in(error: &lettre::transport::smtp::Error) -> bool {
    error.status().is_some_and(|code| matches!(code.to_string().as_str(), "530" | "534" | "535" | "538"))
}

/// The message as the mail server gets it: text and HTML alternatives, with its own
/// Message-ID, so that a receiver can tell a second copy sent after a crash. An invitation's
/// calendar entry is a third alternative (which mail programs offer to add to the calendar)
/// and an `invitation.ics` attachment (for those that do not).
fn letter_of(from: &Mailbox, queued: &QueuedMessage) -> Result<Message, String> {
    let to: Mailbox = queued.recipient.parse().map_err(|e| format!("the address: {e}"))?;
    let text = SinglePart::plain(queued.body_text.clone());
    let html = SinglePart::html(queued.body_html.clone());
    let mut alternatives = MultiPart::alternative().singlepart(text).singlepart(html);
    let mut attachment = None;
    if let Some(calendar) = &queued.calendar {
        let method = if calendar.contains("\r\nMETHOD:CANCEL\r\n") { "CANCEL" } else { "REQUEST" };
        let inline = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
            .map_err(|e| format!("the calendar part: {e}"))?;
        alternatives = alternatives.singlepart(SinglePart::builder().header(inline).body(calendar.clone()));
        let file = ContentType::parse("application/ics").map_err(|e| format!("the calendar file: {e}"))?;
        attachment = Some(Attachment::new("invitation.ics".to_owned()).body(calendar.clone(), file));
    }
    let body = match attachment {
        Some(file) => MultiPart::mixed().multipart(alternatives).singlepart(file),
        None => alternatives,
    };
    let mut builder = Message::builder().from(from.clone()).to(to);
    // A reply reaches the recruiter who wrote, not the sender address (often no-reply).
    if let Some(reply_to) = queued.reply_to.as_deref().and_then(|address| address.parse::<Mailbox>().ok()) {
        builder = builder.reply_to(reply_to);
    }
    builder
        .subject(&queued.subject)
        .message_id(Some(format!("<{}@{}>", queued.message_id, from.email.domain())))
        .multipart(body)
        .map_err(|e| format!("the message: {e}"))
}

/// How often the sender looks for mail that is due: a message reaches the server within about
/// this long of the change that queued it.
const ROUND: std::time::Duration = std::time::Duration::from_secs(1);

/// Sends the outbox's mail from now on, a round every [`ROUND`], and at once again after a
/// round that found a full batch (a queue of thousands goes as fast as the mail server takes
/// it); a round that fails (the database away) is logged and the next one tries again.
pub fn spawn_sender(store: std::sync::Arc<dyn Store>, mailer: Mailer) {
    tokio::spawn(async move {
        let mut rounds = tokio::time::interval(ROUND);
        rounds.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            match send_due(store.as_ref(), &mailer).await {
                Ok(tried) if tried == BATCH as usize => continue,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(error = format!("{error:#}"), "the outbox could not be read; trying again")
                }
            }
            rounds.tick().await;
        }
    });
}
