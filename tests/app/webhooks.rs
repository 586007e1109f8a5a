//! Webhooks delivered to a real HTTP server on this machine's network address (not loopback,
//! which a webhook may not name): signed, retried after a failure until answered, each
//! delivery received once it is answered 2xx; and the addresses a webhook may not reach.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use amfit::domain::user::Role;
use amfit::domain::webhook::signature;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, on_both_backends};

/// What the receiver was sent: headers and body of each request.
type Received = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// This machine's address on its network: where its traffic to the world leaves (no packet is
/// sent to find it).
fn network_address() -> IpAddr {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    socket.connect("192.0.2.1:9").or_else(|_| socket.connect("8.8.8.8:53")).expect("a route off this machine");
    let ip = socket.local_addr().unwrap().ip();
    assert!(!ip.is_loopback(), "a network address other than loopback: {ip}");
    ip
}

/// A receiver answering each request with the next of `answers` (the last one repeated).
async fn receiver(answers: Vec<u16>) -> (SocketAddr, Received) {
    let received: Received = Arc::default();
    let kept = received.clone();
    let answers = Arc::new(Mutex::new(answers));
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let kept = kept.clone();
            let answers = answers.clone();
            async move {
                kept.lock().unwrap().push((headers, body));
                let mut answers = answers.lock().unwrap();
                let code = if answers.len() > 1 { answers.remove(0) } else { answers[0] };
                StatusCode::from_u16(code).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind((network_address(), 0)).await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (address, received)
}

async fn deliver_due(app: &TestApp) {
    let client = amfit::webhooks::client();
    while amfit::webhooks::send_due(app.store.as_ref(), &client).await.unwrap() > 0 {}
}

on_both_backends! {
    async fn events_reach_the_integrator_signed_and_once_after_a_failure(app) {
        let (address, received) = receiver(vec![500, 200]).await;
        let url = format!("http://{address}/hook");
        let created = app.post_json("/api/v1/webhooks", &json!({ "url": url, "events": ["application.created", "stage.changed", "decision.recorded"] })).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let secret = created.json()["secret"].as_str().unwrap().to_owned();
        let hook = created.json()["id"].as_i64().unwrap();
        assert!(app.get("/api/v1/webhooks").await.body.contains(&url) && !app.get("/api/v1/webhooks").await.body.contains(&secret), "the secret is shown once");

        let company = app.create_company(&crate::helpers::company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &crate::helpers::profile_json()).await["id"].as_i64().unwrap();
        let candidate = app.post_json("/api/v1/candidates", &json!({ "name": "Sofie Madsen", "email": "sofie@example.dk" })).await.json()["id"].as_i64().unwrap();
        let applied = app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
        let application = applied.json()["id"].as_i64().unwrap();
        let moved = app.put_json(&format!("/api/v1/applications/{application}/stage"), &json!({ "stage": "screening" })).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

        deliver_due(&app).await;
        assert_eq!(received.lock().unwrap().len(), 2, "both tried; the first answered 500 and waits for its next try");
        deliver_due(&app).await;
        assert_eq!(received.lock().unwrap().len(), 2, "not before its time");
        app.execute_sql("UPDATE webhook_deliveries SET next_attempt_at = created_at WHERE status = 'queued'").await;
        deliver_due(&app).await;
        let listed = app.get("/api/v1/webhooks").await.json();
        let last = &listed[0]["last_delivery"];
        assert_eq!((last["status"].as_str(), last["status_code"].as_i64()), (Some("sent"), Some(200)), "{listed}");

        let received = received.lock().unwrap().clone();
        assert_eq!(received.len(), 3, "the first try answered 500 and came again; each other once: {received:?}");
        let mut events = Vec::new();
        for (headers, body) in &received {
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let timestamp: i64 = header("x-amfit-timestamp").parse().unwrap();
            assert_eq!(header("x-amfit-signature"), signature(&secret, timestamp, body), "signed with the webhook's secret");
            assert_eq!(header("content-type"), "application/json");
            let payload: Value = serde_json::from_str(body).unwrap();
            assert_eq!(payload["event"].as_str().unwrap(), header("x-amfit-event"));
            assert_eq!(payload["data"]["application_id"], application);
            assert!(!body.contains("Sofie"), "ids only, no personal data: {body}");
            events.push((header("x-amfit-delivery"), payload["event"].as_str().unwrap().to_owned()));
        }
        assert_eq!(events[0], events[2], "the same delivery again after the 500");
        let names: Vec<&str> = events[..2].iter().map(|(_, event)| event.as_str()).collect();
        assert_eq!(names, ["application.created", "stage.changed"]);

        assert_eq!(app.delete(&format!("/api/v1/webhooks/{hook}")).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.delete(&format!("/api/v1/webhooks/{hook}")).await.status, StatusCode::NOT_FOUND);
    }
}

on_both_backends! {
    async fn a_webhook_never_reaches_amfit_or_this_machine(app) {
        for (body, field) in [
            (json!({ "url": "http://127.0.0.1:3000/api/v1/users", "events": ["stage.changed"] }), "url"),
            (json!({ "url": "http://localhost:3000/", "events": ["stage.changed"] }), "url"),
            (json!({ "url": "http://169.254.169.254/latest/meta-data/", "events": ["stage.changed"] }), "url"),
            (json!({ "url": "file:///etc/passwd", "events": ["stage.changed"] }), "url"),
            (json!({ "url": "https://ats.example.com/", "events": ["stage.moved"] }), "events"),
            (json!({ "url": "https://ats.example.com/", "events": [] }), "events"),
        ] {
            let refused = app.post_json("/api/v1/webhooks", &body).await;
            assert_eq!((refused.status, refused.rejected_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec![field.to_owned()]), "{body}: {}", refused.body);
        }
        let recruiter = app.client(Role::Recruiter, "rikke@amfit.test").await;
        let as_recruiter = app.as_(&recruiter).send_json(axum::http::Method::POST, "/api/v1/webhooks", &json!({ "url": "https://ats.example.com/", "events": ["stage.changed"] })).await;
        assert_eq!(as_recruiter.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/webhooks").await.json(), json!([]), "nothing kept");

        // A name that is no loopback literal but resolves to this machine: refused when sent.
        let own_name = std::fs::read_to_string("/etc/hostname").unwrap_or_default().trim().to_owned();
        let resolves_here = tokio::net::lookup_host((own_name.as_str(), 0)).await.is_ok_and(|mut found| found.all(|a| a.ip().is_loopback()));
        if own_name.is_empty() || !resolves_here {
            eprintln!("skipped the name check: this machine's name does not resolve to loopback only");
            return;
        }
        let created = app.post_json("/api/v1/webhooks", &json!({ "url": format!("http://{own_name}:9/hook"), "events": ["application.created"] })).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let candidate = app.post_json("/api/v1/candidates", &json!({ "name": "Liam Carter", "email": "liam@example.com" })).await.json()["id"].as_i64().unwrap();
        let company = app.create_company(&crate::helpers::company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &crate::helpers::profile_json()).await["id"].as_i64().unwrap();
        app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
        deliver_due(&app).await;
        let last = app.get("/api/v1/webhooks").await.json()[0]["last_delivery"].clone();
        assert_eq!(last["status"], "failed", "final at once: {last}");
        assert!(last["error"].as_str().unwrap().contains("this machine"), "{last}");
    }
}
