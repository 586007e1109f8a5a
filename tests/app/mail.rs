//! Mail through a real SMTP server (Python's aiosmtpd, which `.ci/run` installs): what the
//! outbox sends arrives once, with its parts, also when the server was away for a while.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use amfit::domain::mail::MailServer;
use amfit::mail::{Mailer, send_due, transport};

use crate::helpers::{execute_sql, on_both_backends};

/// aiosmtpd on a free loopback port, keeping what it receives in a Maildir; stopped when dropped.
pub struct MailServerProcess {
    child: Child,
}

impl MailServerProcess {
    pub fn start(maildir: &Path, port: u16) -> Option<Self> {
        let listen = format!("127.0.0.1:{port}");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &listen, "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(&listen).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd listens on {listen} within 10 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Self { child })
    }
}

impl Drop for MailServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The messages the Maildir holds, as text.
fn delivered(maildir: &Path) -> Vec<String> {
    let new = maildir.join("new");
    let Ok(entries) = std::fs::read_dir(new) else { return vec![] };
    entries.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect()
}

/// The messages the Maildir holds, read as a mail program reads them (headers, decoded parts,
/// and each calendar entry as the icalendar library imports it): see `read_maildir.py`.
pub fn received(maildir: &Path) -> Vec<serde_json::Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scripts/read_maildir.py");
    let output = Command::new("python3").arg(script).arg(maildir).output().expect("python3 runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A mailer that sends through the aiosmtpd on `port`, from amfit@example.dk.
pub fn mailer_to(port: u16) -> Mailer {
    let server: MailServer = format!("smtp://127.0.0.1:{port}").parse().unwrap();
    Mailer { from: "Nordlys rekruttering <amfit@example.dk>".parse().unwrap(), transport: transport(&server).unwrap() }
}

pub fn aiosmtpd_available() -> bool {
    let present = Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
    assert!(present || std::env::var("CI").is_err(), "aiosmtpd is missing: .ci/run installs it");
    present
}

on_both_backends! {
    async fn a_queued_message_arrives_once_also_after_the_mail_server_was_away(app) {
        if !aiosmtpd_available() {
            return;
        }
        let folder = tempfile::tempdir().unwrap();
        let maildir = folder.path().join("maildir");
        let port = free_port();
        execute_sql(&app.database_url, &format!(
            "INSERT INTO outbox (message_id, kind, recipient, language, subject, body_text, body_html, next_attempt_at, created_at) \
             VALUES ('receipt-1', 'receipt', 'sofie@example.dk', 'da', 'Tak for din ansøgning', \
             'Vi har modtaget din ansøgning.', '<p>Vi har modtaget din ansøgning.</p>', '{now}', '{now}')",
            now = chrono::Utc::now().to_rfc3339()
        )).await.unwrap();
        let mailer = mailer_to(port);

        // The mail server is not there: the message waits for another try.
        assert_eq!(send_due(app.store.as_ref(), &mailer).await.unwrap(), 1);
        assert_eq!(send_due(app.store.as_ref(), &mailer).await.unwrap(), 0, "not due again at once");
        let smtpd = MailServerProcess::start(&maildir, port).expect("aiosmtpd starts");
        execute_sql(&app.database_url, "UPDATE outbox SET next_attempt_at = created_at").await.unwrap();
        assert_eq!(send_due(app.store.as_ref(), &mailer).await.unwrap(), 1);
        assert_eq!(send_due(app.store.as_ref(), &mailer).await.unwrap(), 0, "sent: not again");
        let messages = delivered(&maildir);
        assert_eq!(messages.len(), 1, "{messages:?}");
        let message = &messages[0];
        for part in ["To: sofie@example.dk", "From: \"Nordlys rekruttering\" <amfit@example.dk>", "Message-ID: <receipt-1@example.dk>", "multipart/alternative", "text/plain", "text/html"] {
            assert!(message.contains(part), "{part}: {message}");
        }
        drop(smtpd);
    }
}

on_both_backends! {
    async fn two_instances_sending_at_once_deliver_each_message_once(app) {
        if !aiosmtpd_available() {
            return;
        }
        let now = chrono::Utc::now().to_rfc3339();
        execute_sql(&app.database_url, &format!(
            "INSERT INTO outbox (message_id, kind, recipient, language, subject, body_text, body_html, next_attempt_at, created_at) \
             SELECT 'twin-' || n, 'receipt', 'candidate' || n || '@example.dk', 'da', 'Tak', 'Tak.', '<p>Tak.</p>', '{now}', '{now}' \
             FROM (SELECT a.x * 10 + b.x AS n FROM (SELECT 0 AS x UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 \
             UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a, \
             (SELECT 0 AS x UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 \
             UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b) numbers"
        )).await.unwrap();
        let folder = tempfile::tempdir().unwrap();
        let maildir = folder.path().join("maildir");
        let port = free_port();
        let _smtpd = MailServerProcess::start(&maildir, port).expect("aiosmtpd starts");
        // A second instance: its own connections to the same database.
        let other = amfit::store::connect(&app.database_url).await.unwrap();
        let drain = async |store: &dyn amfit::store::Store| {
            let mailer = mailer_to(port);
            let mut tried = 0;
            loop {
                match send_due(store, &mailer).await.unwrap() {
                    0 => return tried,
                    n => tried += n,
                }
            }
        };
        let (mine, theirs) = tokio::join!(drain(app.store.as_ref()), drain(other.as_ref()));
        assert_eq!(mine + theirs, 100, "each message tried by one instance: {mine} + {theirs}");
        let ids: std::collections::BTreeSet<String> = received(&maildir).iter().map(|m| m["headers"]["message-id"].as_str().unwrap().to_owned()).collect();
        assert_eq!((received(&maildir).len(), ids.len()), (100, 100), "each arrived once");
    }
}

on_both_backends! {
    async fn a_mail_server_that_answers_nothing_holds_a_message_back_only_for_a_while(app) {
        let now = chrono::Utc::now().to_rfc3339();
        execute_sql(&app.database_url, &format!(
            "INSERT INTO outbox (message_id, kind, recipient, language, subject, body_text, body_html, next_attempt_at, created_at) \
             VALUES ('stalled-1', 'receipt', 'sofie@example.dk', 'da', 'Tak', 'Tak.', '<p>Tak.</p>', '{now}', '{now}')"
        )).await.unwrap();
        // Takes the connection and never says a word.
        let silent = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = silent.local_addr().unwrap().port();
        let started = Instant::now();
        assert_eq!(send_due(app.store.as_ref(), &mailer_to(port)).await.unwrap(), 1);
        assert!(started.elapsed() < Duration::from_secs(40), "given up within the time a conversation may take: {:?}", started.elapsed());
        drop(silent);
        let waiting = "UPDATE outbox SET subject = subject WHERE status = 'queued' AND attempts = 1 \
                       AND last_error LIKE '%did not finish within%' AND claimed_until IS NULL";
        assert_eq!(execute_sql(&app.database_url, waiting).await.unwrap(), 1, "waits to be tried again later");
    }
}
