//! The real server on a real socket: what is created survives a restart, on both backends.

use std::time::Duration;

use amfit::app::{AppState, serve};
use amfit::store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use serde_json::json;

use crate::helpers::{as_form, company_json, on_both_backends, profile_json, with};

struct RunningServer {
    address: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    finished: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(database_url: &str) -> RunningServer {
    let store = store::connect(database_url).await.expect("store opens");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let finished = tokio::spawn(serve(listener, AppState::new(store), async {
        let _ = stopped.await;
    }));
    RunningServer { address, stop, finished }
}

impl RunningServer {
    async fn stop(self) {
        self.stop.send(()).unwrap();
        let finished = tokio::time::timeout(Duration::from_secs(10), self.finished).await;
        finished.expect("the server stops after the signal").unwrap().unwrap();
    }

    /// One HTTP/1.1 exchange; returns the status code and the body.
    async fn exchange(&self, method: &str, path: &str, content_type: &str, body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.address).await.unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
        (status, body)
    }
}

on_both_backends! {
    async fn data_created_by_web_and_api_survives_a_restart(app) {
        let url = app.database_url.clone();
        let server = start(&url).await;
        assert_eq!(server.exchange("GET", "/healthz", "text/plain", "").await.0, 200);

        let (status, body) = server.exchange("POST", "/api/v1/companies", "application/json", &company_json().to_string()).await;
        assert_eq!(status, 201, "{body}");
        let company: serde_json::Value = serde_json::from_str(&body).unwrap();
        let profile_path = format!("/api/v1/companies/{}/profiles", company["id"]);
        let (status, _) = server.exchange("POST", &profile_path, "application/json", &profile_json().to_string()).await;
        assert_eq!(status, 201);

        let form_type = "application/x-www-form-urlencoded";
        let form = "name=Web+Made+ApS&industry=Retail&employees=8&account_managers=1&location=Vejle";
        let (status, _) = server.exchange("POST", "/companies", form_type, form).await;
        assert_eq!(status, 303);
        let profile_form = serde_html_form::to_string(as_form(&with(&profile_json(), json!({ "title": "Web Made Role" })))).unwrap();
        let profile_path = format!("/companies/{}/profiles", company["id"]);
        let (status, body) = server.exchange("POST", &profile_path, form_type, &profile_form).await;
        assert_eq!(status, 303, "{body}");
        server.stop().await;

        let restarted = start(&url).await;
        let (status, body) = restarted.exchange("GET", "/api/v1/companies", "text/plain", "").await;
        assert_eq!(status, 200);
        assert!(body.contains("Nordlys Digital ApS") && body.contains("Web Made ApS"), "{body}");
        let (_, profiles) = restarted.exchange("GET", "/profiles", "text/plain", "").await;
        assert!(profiles.contains("Account Manager") && profiles.contains("Web Made Role"), "{profiles}");
        restarted.stop().await;
    }
}
