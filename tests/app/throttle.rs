//! Login throttling over real sockets from several loopback addresses: one client's failures
//! never refuse another client's correct password, and parallel guesses meet the limit.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use amfit::app::serve;
use amfit::auth::AuthState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket};

use crate::helpers::{PASSWORD, TestApp, quick_throttle, shipped_rubric, shipped_wording};

/// The app served on 127.0.0.1, believing `X-Forwarded-For` from `trusted_proxies`.
async fn served(app: &TestApp, trusted_proxies: &[&str]) -> SocketAddr {
    let mut state = crate::helpers::app_state(app.store.clone(), shipped_rubric(), shipped_wording());
    let trusted_proxies = trusted_proxies.iter().map(|net| net.parse().unwrap()).collect();
    state.auth = Arc::new(AuthState { throttle: quick_throttle(), trusted_proxies, ..AuthState::default() });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, state, std::future::pending()));
    address
}

/// A browser at one loopback address, with its own session and CSRF token.
struct Browser {
    from: IpAddr,
    server: SocketAddr,
    cookie: String,
    csrf: String,
    forwarded_for: Option<&'static str>,
}

impl Browser {
    async fn at(from: &str, server: SocketAddr) -> Self {
        let mut browser = Self {
            from: from.parse().unwrap(),
            server,
            cookie: String::new(),
            csrf: String::new(),
            forwarded_for: None,
        };
        let (_, head, body) = browser.exchange("GET", "/login", "").await;
        browser.cookie = visitor_cookie(&head);
        let marker = "name=\"csrf_token\" value=\"";
        let at = body.find(marker).unwrap() + marker.len();
        browser.csrf = body[at..at + body[at..].find('"').unwrap()].to_owned();
        browser
    }

    async fn exchange(&self, method: &str, path: &str, body: &str) -> (u16, String, String) {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::new(self.from, 0)).expect("a loopback source address");
        let mut stream = socket.connect(self.server).await.unwrap();
        let forwarded = self.forwarded_for.map(|f| format!("X-Forwarded-For: {f}\r\n")).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {}\r\n{forwarded}\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.cookie,
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        let answered = tokio::time::timeout(std::time::Duration::from_secs(30), stream.read_to_string(&mut response));
        answered.await.expect("an answer in time").unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        (head[9..12].parse().unwrap(), head.to_owned(), body.to_owned())
    }

    /// The status of one sign-in attempt.
    async fn sign_in(&self, email: &str, password: &str) -> u16 {
        let form = serde_html_form::to_string([("email", email), ("password", password), ("csrf_token", &self.csrf)]);
        self.exchange("POST", "/login", &form.unwrap()).await.0
    }
}

fn visitor_cookie(head: &str) -> String {
    let line = head.lines().find(|l| l.to_ascii_lowercase().starts_with("set-cookie: amfit_csrf=")).unwrap();
    line["set-cookie: ".len()..].split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn failures_at_one_address_never_refuse_a_correct_password_at_another() {
    let app = TestApp::sqlite().await;
    let server = served(&app, &[]).await;
    let attacker = Browser::at("127.0.0.2", server).await;
    let mut statuses = Vec::new();
    for n in 0..200 {
        statuses.push(attacker.sign_in(&format!("nobody{n}@example.dk"), "guess").await);
    }
    assert!(statuses[..100].iter().all(|&s| s == 401), "{statuses:?}");
    assert!(statuses[100..].iter().all(|&s| s == 429), "the address is refused after 100 failures");
    let guesses_at_admin = attacker.sign_in("admin@amfit.test", PASSWORD).await;
    assert_eq!(guesses_at_admin, 429, "the refused address is refused for the real account too");

    let colleague = Browser::at("127.0.0.3", server).await;
    assert_eq!(colleague.sign_in("admin@amfit.test", PASSWORD).await, 303, "another address signs in at once");
}

#[tokio::test]
async fn parallel_guesses_at_one_account_are_checked_no_more_often_than_the_limit() {
    let app = TestApp::sqlite().await;
    let server = served(&app, &[]).await;
    let attacker = Arc::new(Browser::at("127.0.0.4", server).await);
    let guesses: Vec<_> = (0..40)
        .map(|n| {
            let attacker = attacker.clone();
            tokio::spawn(async move { attacker.sign_in("admin@amfit.test", &format!("guess {n}")).await })
        })
        .collect();
    let mut checked = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            401 => checked += 1,
            429 => {}
            other => panic!("a guess answered {other}"),
        }
    }
    let limit = quick_throttle().account.refuse_after;
    assert!(checked <= limit, "{checked} of 40 parallel guesses were checked against a limit of {limit}");
    let owner = Browser::at("127.0.0.5", server).await;
    assert_eq!(owner.sign_in("admin@amfit.test", PASSWORD).await, 303, "the owner elsewhere is not locked out");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let app = TestApp::sqlite().await;
    let server = served(&app, &["127.0.0.6/32"]).await;
    let mut first = Browser::at("127.0.0.6", server).await;
    first.forwarded_for = Some("198.51.100.1");
    for n in 0..100 {
        assert_eq!(first.sign_in(&format!("nobody{n}@example.dk"), "guess").await, 401);
    }
    assert_eq!(first.sign_in("admin@amfit.test", PASSWORD).await, 429, "198.51.100.1 is refused");
    let mut second = Browser::at("127.0.0.6", server).await;
    second.forwarded_for = Some("198.51.100.2");
    assert_eq!(second.sign_in("admin@amfit.test", PASSWORD).await, 303, "through the same proxy, another client");

    // From an address that is not a trusted proxy, the header is the client's own word: ignored.
    let mut spoofer = Browser::at("127.0.0.7", server).await;
    for n in 0..100 {
        spoofer.forwarded_for = Some(if n % 2 == 0 { "203.0.113.1" } else { "203.0.113.2" });
        assert_eq!(spoofer.sign_in(&format!("nobody{n}@example.dk"), "guess").await, 401);
    }
    assert_eq!(spoofer.sign_in("admin@amfit.test", PASSWORD).await, 429, "counted against its real address");
}
