//! Schemathesis (PyPI) generates requests from the served OpenAPI document and checks every
//! answer against it, on a real server over a database with data in it, on both backends.
//! Without schemathesis the test is skipped with the reason; with
//! `AMFIT_REQUIRE_SCHEMATHESIS=1` (as CI sets) it fails instead.

use std::net::SocketAddr;
use std::process::Command;

use serde_json::json;
use tokio::net::TcpListener;

use crate::helpers::{TestApp, company_json, profile_json, with};

/// What a run checks: every answer is one the document lists, with its media type, headers and
/// body schema, and none is a server error. (Whether the server accepts every request the
/// document allows is not among them: cross-field rules, such as a salary band's ends in
/// order, cannot be written in JSON Schema, and their 422 is documented.)
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
    response_schema_conformance,response_headers_conformance";
/// Examples an operation: enough to reach every branch of the inputs, bounded for CI's time.
const EXAMPLES: &str = "25";
/// Fixed, so that a clean checkout runs the same cases.
const SEED: &str = "20261202";

fn installed() -> bool {
    let required = std::env::var("AMFIT_REQUIRE_SCHEMATHESIS").is_ok_and(|v| v == "1");
    let found =
        Command::new("python3").args(["-c", "import schemathesis"]).output().is_ok_and(|out| out.status.success());
    if !found {
        let reason = "python3 with schemathesis is missing (pip install schemathesis==4.32.5)";
        assert!(!required, "AMFIT_REQUIRE_SCHEMATHESIS=1 but {reason}");
        eprintln!("skipped: {reason}");
    }
    found
}

/// A company with two profiles, and a candidate who applied to one, so that reads find
/// something. Record 1 of each kind is what the document's examples name; profile 1 has no
/// salary band, the case a generated profile rarely reaches.
async fn seed(app: &TestApp) {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let unpaid = json!({ "salary_min": null, "salary_max": null, "salary_currency": null, "salary_period": null });
    let profile = app.create_profile(company, &with(&profile_json(), unpaid)).await["id"].as_i64().unwrap();
    assert_eq!(profile, 1, "the examples' id");
    app.create_profile(company, &profile_json()).await;
    let candidate =
        app.post_json("/api/v1/candidates", &json!({ "name": "Dina Holm", "email": "dina@example.dk" })).await;
    let candidate = candidate.json()["id"].as_i64().unwrap();
    app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
}

async fn run_against(app: TestApp) {
    seed(&app).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let service = app.router.clone().into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, service).await });
    let token = app.admin.token.clone().unwrap();
    let run = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .args([
                "-c",
                "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'st'; sys.exit(schemathesis())",
            ])
            .args(["run", &format!("{base}/api/v1/openapi.json"), "--url", &format!("{base}/api/v1")])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            // Revoking token 1 (the examples' id) would revoke the very token the run calls
            // with, and leave every later request a 401; `parity` tests revoking.
            .args(["--exclude-operation-id", "revokeToken"])
            .args(["--checks", CHECKS, "--max-examples", EXAMPLES, "--seed", SEED, "--no-color"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    server.abort();
    let said = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "{said}");
    assert!(said.contains("Tested:"), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_matches_the_document_on_sqlite() {
    if installed() {
        run_against(TestApp::sqlite().await).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_matches_the_document_on_postgres() {
    if installed()
        && let Some(app) = TestApp::postgres().await
    {
        run_against(app).await;
    }
}
