//! The real server on a real socket: what is created survives a restart, on both backends.

use std::time::Duration;

use amfit::app::serve;
use amfit::store;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::helpers::{as_form, company_json, on_both_backends, profile_json, with};

struct RunningServer {
    address: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    finished: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// One HTTP/1.1 answer, read whole.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    /// The cookie called `name` that this answer sets, as `name=value`.
    fn cookie(&self, name: &str) -> String {
        let prefix = format!("set-cookie: {name}=");
        let line = self.head.lines().find(|l| l.to_ascii_lowercase().starts_with(&prefix));
        line.expect("the cookie")["set-cookie: ".len()..].split(';').next().unwrap().to_owned()
    }
}

async fn start(database_url: &str) -> RunningServer {
    let store = store::connect(database_url).await.expect("store opens");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let finished = tokio::spawn(serve(
        listener,
        crate::helpers::app_state(store, crate::helpers::shipped_rubric(), crate::helpers::shipped_wording()),
        async {
            let _ = stopped.await;
        },
    ));
    RunningServer { address, stop, finished }
}

impl RunningServer {
    async fn stop(self) {
        self.stop.send(()).unwrap();
        let finished = tokio::time::timeout(Duration::from_secs(10), self.finished).await;
        finished.expect("the server stops after the signal").unwrap().unwrap();
    }

    async fn exchange(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut stream = TcpStream::connect(self.address).await.unwrap();
        let extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        let answered = tokio::time::timeout(std::time::Duration::from_secs(30), stream.read_to_string(&mut response));
        answered.await.expect("an answer in time").unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        Answer { status: head[9..12].parse().unwrap(), head: head.to_owned(), body: body.to_owned() }
    }

    /// Runs first-start setup and signs in, as a browser would; returns the cookie and CSRF token.
    async fn set_up_and_sign_in(&self) -> (String, String) {
        let form = "application/x-www-form-urlencoded";
        let setup_page = self.exchange("GET", "/setup", &[], "").await;
        let cookie = setup_page.cookie("amfit_csrf");
        let csrf = csrf_token(&setup_page.body);
        let setup = format!("name=Ada&email=ada%40amfit.test&password=a+long+test+passphrase&csrf_token={csrf}");
        let created = self.exchange("POST", "/setup", &[("cookie", &cookie), ("content-type", form)], &setup).await;
        assert_eq!(created.status, 303, "{}", created.body);
        let login = format!("email=ada%40amfit.test&password=a+long+test+passphrase&csrf_token={csrf}");
        let signed_in = self.exchange("POST", "/login", &[("cookie", &cookie), ("content-type", form)], &login).await;
        assert_eq!(signed_in.status, 303, "{}", signed_in.body);
        let cookie = signed_in.cookie("amfit_session");
        // Signing in renews the CSRF token.
        let page = self.exchange("GET", "/account/password", &[("cookie", &cookie)], "").await;
        (cookie, csrf_token(&page.body))
    }
}

fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let at = html.find(marker).expect("a CSRF field") + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

on_both_backends! {
    async fn data_created_by_web_and_api_survives_a_restart(app) {
        // The harness made an admin already; this test starts from an empty database.
        let (db, url) = if app.database_url.starts_with("sqlite") {
            crate::helpers::TestDb::sqlite().await
        } else {
            crate::helpers::TestDb::postgres().await.unwrap()
        };
        let server = start(&url).await;
        assert_eq!(server.exchange("GET", "/healthz", &[], "").await.status, 200);
        let (cookie, csrf) = server.set_up_and_sign_in().await;
        let web = [("cookie", cookie.as_str()), ("content-type", "application/x-www-form-urlencoded")];

        let company = format!("name=Web+Made+ApS&industry=Retail&employees=8&account_managers=1&location=Vejle&csrf_token={csrf}");
        let created = server.exchange("POST", "/companies", &web, &company).await;
        assert_eq!(created.status, 303, "{}", created.body);
        let company_path = created.head.lines().find_map(|l| l.strip_prefix("location: ")).unwrap().split('?').next().unwrap().to_owned();
        let mut profile = as_form(&with(&profile_json(), json!({ "title": "Web Made Role" })));
        profile.push(("csrf_token".into(), csrf.clone()));
        let profile = serde_html_form::to_string(profile).unwrap();
        let created = server.exchange("POST", &format!("{company_path}/profiles"), &web, &profile).await;
        assert_eq!(created.status, 303, "{}", created.body);

        let store = store::connect(&url).await.unwrap();
        let (_, token) = amfit::cli::create_token(store.as_ref(), "ada@amfit.test", None).await.unwrap();
        let bearer = format!("Bearer {token}");
        let api = [("authorization", bearer.as_str()), ("content-type", "application/json")];
        let created = server.exchange("POST", "/api/v1/companies", &api, &company_json().to_string()).await;
        assert_eq!(created.status, 201, "{}", created.body);
        let id: serde_json::Value = serde_json::from_str(&created.body).unwrap();
        let path = format!("/api/v1/companies/{}/profiles", id["id"]);
        assert_eq!(server.exchange("POST", &path, &api, &profile_json().to_string()).await.status, 201);
        server.stop().await;

        let restarted = start(&url).await;
        let companies = restarted.exchange("GET", "/api/v1/companies", &api, "").await;
        assert_eq!(companies.status, 200);
        assert!(companies.body.contains("Nordlys Digital ApS") && companies.body.contains("Web Made ApS"), "{}", companies.body);
        let profiles = restarted.exchange("GET", "/profiles", &[("cookie", &cookie)], "").await;
        assert!(profiles.body.contains("Account Manager") && profiles.body.contains("Web Made Role"), "{}", profiles.body);
        restarted.stop().await;
        drop(db);
    }
}
