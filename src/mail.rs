//! Sending mail through the server the operator named (`--smtp-url`), with lettre over rustls.

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

use crate::domain::mail::{MailServer, Security};

/// How long one conversation with the mail server may take before it counts as failed (and is
/// tried again later).
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
