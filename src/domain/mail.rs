//! Mail: where amfit's messages go (the mail server an operator names) and what a message is.
//! Sending them is the outbox's work; this module only says what the settings mean.

use std::fmt;
use std::str::FromStr;

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: plain SMTP; STARTTLS is used when the server offers it, not required.
    Opportunistic,
    /// `smtp://…?tls=starttls`: STARTTLS required; a server that does not offer it is refused.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Tls,
}

/// The mail server amfit sends through, as `--smtp-url` names it.
#[derive(Clone, PartialEq, Eq)]
pub struct MailServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// User name and password, when the server asks for them.
    pub credentials: Option<(String, String)>,
}

/// Why an SMTP URL was refused, in words for the operator who typed it; never the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidMailServer(String);

impl FromStr for MailServer {
    type Err = InvalidMailServer;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refused = |why: &str| InvalidMailServer(format!("the SMTP URL {}: {why}", redacted(text)));
        let url = url::Url::parse(text).map_err(|error| refused(&error.to_string()))?;
        let (mut security, default_port) = match url.scheme() {
            "smtp" => (Security::Opportunistic, 25),
            "smtps" => (Security::Tls, 465),
            other => return Err(refused(&format!("\"{other}\" is not smtp or smtps"))),
        };
        for (name, value) in url.query_pairs() {
            match (name.as_ref(), value.as_ref(), security) {
                ("tls", "starttls", Security::Opportunistic) => security = Security::StartTls,
                ("tls", "starttls", _) => return Err(refused("tls=starttls belongs to smtp://, not smtps://")),
                ("tls", other, _) => return Err(refused(&format!("tls={other} is not starttls"))),
                (other, _, _) => return Err(refused(&format!("\"{other}\" is not a setting (only tls=starttls)"))),
            }
        }
        let host = url.host_str().filter(|host| !host.is_empty()).ok_or_else(|| refused("it names no server"))?;
        if url.path() != "" && url.path() != "/" {
            return Err(refused("it has a path; an SMTP URL names a server only"));
        }
        let decoded = |part: &str| percent_encoding::percent_decode_str(part).decode_utf8_lossy().into_owned();
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            (user, Some(password)) if !user.is_empty() => Some((decoded(user), decoded(password))),
            _ => return Err(refused("give both a user name and a password, or neither")),
        };
        // Over smtp:// a man in the middle can hide the server's STARTTLS, and the password
        // would go as plain text.
        if credentials.is_some() && security == Security::Opportunistic {
            return Err(refused("a password needs TLS: use smtps:// or smtp://…?tls=starttls"));
        }
        Ok(MailServer {
            host: host.trim_start_matches('[').trim_end_matches(']').to_owned(),
            port: url.port().unwrap_or(default_port),
            security,
            credentials,
        })
    }
}

/// `text` with any password replaced, for messages and logs.
fn redacted(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(url) => url.to_string(),
        Err(_) => "given".to_owned(),
    }
}

/// Shown in logs and `--help` output: never the password.
impl fmt::Debug for MailServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .finish()
    }
}

/// A message to send: to whom, its subject, and its body as plain text and as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What one try to hand a message to the mail server came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// Worth another try: the server was unreachable, busy, or answered 4xx.
    Temporary(String),
    /// Not worth another: the server refused the message for good (5xx), as it said.
    Permanent(String),
}

impl Delivery {
    /// Where a message stands once its `attempts`-th try came to this, at `now`: `queued`,
    /// `sent` or `failed`; when it is due again; and why it was not taken.
    pub fn after_try(
        &self,
        attempts: i32,
        now: chrono::DateTime<chrono::Utc>,
    ) -> (&'static str, chrono::DateTime<chrono::Utc>, Option<&str>) {
        match self {
            Delivery::Sent => ("sent", now, None),
            Delivery::Temporary(why) => match retry_after(u32::try_from(attempts).unwrap_or(u32::MAX)) {
                Some(wait) => ("queued", now + wait, Some(why)),
                None => ("failed", now, Some(why)),
            },
            Delivery::Permanent(why) => ("failed", now, Some(why)),
        }
    }
}

/// How many tries a message gets before a temporary failure counts as final: with
/// [`retry_after`]'s waits, a little over a day.
pub const ATTEMPTS_MAX: u32 = 32;

/// How long to wait after the `attempts`-th failed try (1 for the first) before the next: half
/// a minute, doubling up to an hour; `None` once the tries are used up.
pub fn retry_after(attempts: u32) -> Option<std::time::Duration> {
    if attempts >= ATTEMPTS_MAX {
        return None;
    }
    let seconds = 30u64.saturating_mul(1 << attempts.saturating_sub(1).min(16)).min(60 * 60);
    Some(std::time::Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_try_is_tried_again_later_and_later_until_the_tries_are_used_up() {
        let minutes = |attempts| retry_after(attempts).map(|wait| wait.as_secs());
        assert_eq!((minutes(1), minutes(2), minutes(3)), (Some(30), Some(60), Some(120)));
        assert_eq!(minutes(8), Some(3600), "at most an hour apart");
        assert_eq!(minutes(ATTEMPTS_MAX - 1), Some(3600));
        assert_eq!(minutes(ATTEMPTS_MAX), None);
        let waited: u64 = (1..ATTEMPTS_MAX).filter_map(minutes).sum();
        assert!((24 * 3600..48 * 3600).contains(&waited), "a little over a day: {waited} s");
    }

    fn server(text: &str) -> MailServer {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn each_scheme_says_how_the_connection_is_protected() {
        let plain = server("smtp://mail.example.dk");
        assert_eq!((plain.host.as_str(), plain.port, plain.security), ("mail.example.dk", 25, Security::Opportunistic));
        assert_eq!(server("smtp://mail.example.dk:587?tls=starttls").security, Security::StartTls);
        let tls = server("smtps://mail.example.dk");
        assert_eq!((tls.port, tls.security), (465, Security::Tls));
        assert_eq!(server("smtp://127.0.0.1:2525").port, 2525);
        assert_eq!(server("smtp://[::1]:2525").host, "::1");
    }

    #[test]
    fn credentials_are_read_decoded_and_never_shown() {
        let with = server("smtps://amfit%40example.dk:p%C3%A6ss%3Aword@mail.example.dk");
        assert_eq!(with.credentials, Some(("amfit@example.dk".to_owned(), "pæss:word".to_owned())));
        assert!(!format!("{with:?}").contains("word"), "{with:?}");
    }

    #[test]
    fn a_bad_url_is_named_without_its_password() {
        for (text, said) in [
            ("http://mail.example.dk", "is not smtp or smtps"),
            ("smtp://", "names no server"),
            ("smtp://mail.example.dk?tls=yes", "tls=yes is not starttls"),
            ("smtps://mail.example.dk?tls=starttls", "belongs to smtp://"),
            ("smtp://mail.example.dk?port=25", "is not a setting"),
            ("smtp://mail.example.dk/inbox", "has a path"),
            ("smtp://user@mail.example.dk", "both a user name and a password"),
            ("smtp://:secret@mail.example.dk", "both a user name and a password"),
            ("smtp://amfit:secret@mail.example.dk:587", "a password needs TLS"),
            ("mail.example.dk", "relative URL"),
        ] {
            let error = text.parse::<MailServer>().expect_err(text).to_string();
            assert!(error.contains(said), "{text}: {error}");
            assert!(!error.contains("secret"), "{error}");
        }
    }
}
