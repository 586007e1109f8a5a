//! What an operator watches: `/metrics` read by the Prometheus project's own parser, its
//! token, `/readyz` with the outbox, and `amfit healthcheck` against a running binary.

use std::process::Stdio;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::applying::{CV, apply, field, file, open_job};
use crate::binary::{amfit, served_address};
use crate::helpers::TestApp;

/// Every sample of a scrape, as `prometheus_client`'s OpenMetrics parser reads it: name,
/// labels and value. The parser fails on anything the format does not allow.
fn parsed(scrape: &str) -> Vec<(String, Value, f64)> {
    let script = "import json, sys\n\
        from prometheus_client.openmetrics.parser import text_string_to_metric_families\n\
        out = [[s.name, s.labels, s.value] for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples]\n\
        print(json.dumps(out))";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), scrape.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the parser refused the scrape: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn value(samples: &[(String, Value, f64)], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples.iter().find(|(n, l, _)| n == name && labels.iter().all(|(k, v)| l[*k] == *v)).map(|(_, _, value)| *value)
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_say_nothing_personal() {
    let app = TestApp::sqlite().await;
    let (_, slug) = open_job(&app).await;
    let sent = apply(
        &app,
        &slug,
        &[field("name", "Sofie Quetzal"), field("email", "sofie.q@example.dk"), file("cv", "cv.pdf", CV)],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let candidate = app.store.list_candidates().await.unwrap()[0].candidate.id;
    for _ in 0..2 {
        assert_eq!(app.get(&format!("/candidates/{candidate}")).await.status, StatusCode::OK);
        assert_eq!(app.get("/candidates").await.status, StatusCode::OK);
    }
    app.anonymous().get("/no/such/page/sofie.q@example.dk").await;
    assert!(app.sign_in("admin@amfit.test", "not the password").await.is_none());

    let scrape = app.anonymous().get("/metrics").await;
    assert_eq!(scrape.status, StatusCode::OK);
    assert!(
        scrape.header("content-type").starts_with("application/openmetrics-text"),
        "{}",
        scrape.header("content-type")
    );
    assert!(!scrape.body.contains("Quetzal") && !scrape.body.contains("sofie"), "no personal data: {}", scrape.body);
    let samples = parsed(&scrape.body);
    let page = [("method", "GET"), ("route", "/candidates/{id}"), ("status", "200")];
    assert_eq!(value(&samples, "amfit_http_request_duration_seconds_count", &page), Some(2.0));
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert_eq!(value(&samples, "amfit_http_request_duration_seconds_count", &unmatched), Some(1.0));
    let refused = [("reason", "wrong_credentials")];
    assert_eq!(value(&samples, "amfit_login_refusals_total", &refused), Some(1.0));
    assert!(value(&samples, "amfit_cache_reads_total", &[("cache", "profiles"), ("outcome", "hit")]).unwrap() >= 1.0);
    let missed = [("cache", "candidate_pages"), ("outcome", "miss")];
    assert!(value(&samples, "amfit_cache_reads_total", &missed).unwrap() >= 1.0);
    // No mail server: the receipt waits.
    assert_eq!(value(&samples, "amfit_outbox_messages", &[("state", "queued")]), Some(1.0));
    assert_eq!(value(&samples, "amfit_store_up", &[]), Some(1.0));
    assert!(value(&samples, "amfit_database_pool_max_connections", &[]).unwrap() >= 1.0);
    assert!(value(&samples, "amfit_database_pool_connections", &[("state", "idle")]).is_some());

    let ready = app.anonymous().get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    let ready = ready.json();
    assert_eq!((ready["status"].as_str(), ready["outbox"]["queued"].as_i64()), (Some("ready"), Some(1)), "{ready}");
    assert_eq!(ready["outbox"]["sending"], json!(false));
}

#[tokio::test]
async fn with_a_token_set_metrics_answer_only_to_it() {
    let token = "a-metrics-token-of-some-length";
    let app = TestApp::configured(|state| state.metrics_token = Some(token.into())).await;
    for refused in [None, Some("Bearer wrong-token-of-some-length"), Some("a-metrics-token-of-some-length")] {
        let headers: Vec<(&str, &str)> = refused.map(|value| ("authorization", value)).into_iter().collect();
        let answer = app.anonymous().send(Method::GET, "/metrics", &headers, Vec::new()).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{refused:?}");
        assert!(answer.header("www-authenticate").starts_with("Bearer"));
        assert!(!answer.body.contains("amfit_"), "nothing of the metrics: {}", answer.body);
    }
    let bearer = format!("Bearer {token}");
    let answer = app.anonymous().send(Method::GET, "/metrics", &[("authorization", bearer.as_str())], Vec::new()).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(!parsed(&answer.body).is_empty());
}

#[test]
fn the_healthcheck_command_asks_the_running_server_and_fails_when_none_answers() {
    let folder = tempfile::tempdir().unwrap();
    let mut server = amfit(folder.path()).env("AMFIT_BIND", "0.0.0.0:0").stderr(Stdio::piped()).spawn().unwrap();
    let address = served_address(&mut server);
    let port = address.rsplit(':').next().unwrap().to_owned();
    let check = amfit(folder.path()).args(["--bind", &format!("0.0.0.0:{port}"), "healthcheck"]).output().unwrap();
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(check.status.success(), "{said}{}", String::from_utf8_lossy(&check.stderr));
    assert!(said.contains(&format!("http://127.0.0.1:{port}/readyz: ready")), "{said}");
    server.kill().unwrap();
    server.wait().unwrap();

    let check = amfit(folder.path()).args(["--bind", &format!("127.0.0.1:{port}"), "healthcheck"]).output().unwrap();
    assert!(!check.status.success());
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("cannot reach"),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
