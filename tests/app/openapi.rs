//! The OpenAPI document describes exactly the routes the API serves.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};

use crate::helpers::TestApp;

#[tokio::test]
async fn the_document_lists_exactly_the_api_operations() {
    let app = TestApp::sqlite().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    let document = response.json();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(document["servers"][0]["url"], "/api/v1");

    let documented: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().unwrap().keys().map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("GET", "/companies"),
        ("POST", "/companies"),
        ("GET", "/companies/{id}"),
        ("PUT", "/companies/{id}"),
        ("DELETE", "/companies/{id}"),
        ("GET", "/companies/{id}/profiles"),
        ("POST", "/companies/{id}/profiles"),
        ("GET", "/companies/{id}/letter-templates"),
        ("PUT", "/companies/{id}/letter-templates/{kind}"),
        ("DELETE", "/companies/{id}/letter-templates/{kind}"),
        ("GET", "/webhooks"),
        ("POST", "/webhooks"),
        ("DELETE", "/webhooks/{id}"),
        ("GET", "/profiles"),
        ("GET", "/profiles/{id}"),
        ("PUT", "/profiles/{id}"),
        ("DELETE", "/profiles/{id}"),
        ("GET", "/profiles/{id}/weights"),
        ("GET", "/profiles/{id}/kit"),
        ("PUT", "/profiles/{id}/weights/{competency}"),
        ("DELETE", "/profiles/{id}/weights/{competency}"),
        ("GET", "/candidates"),
        ("POST", "/candidates"),
        ("GET", "/candidates/{id}"),
        ("PUT", "/candidates/{id}"),
        ("DELETE", "/candidates/{id}"),
        ("GET", "/candidates/{id}/applications"),
        ("POST", "/candidates/{id}/applications"),
        ("GET", "/applications/{id}"),
        ("PUT", "/applications/{id}/stage"),
        ("POST", "/profiles/{id}/stage-moves"),
        ("GET", "/applications/{id}/interviewers"),
        ("POST", "/applications/{id}/interviewers"),
        ("DELETE", "/assignments/{id}"),
        ("PUT", "/applications/{id}/schedule"),
        ("DELETE", "/applications/{id}/schedule"),
        ("GET", "/profiles/{id}/panel"),
        ("POST", "/profiles/{id}/panel"),
        ("DELETE", "/profiles/{id}/panel/{interviewer_id}"),
        ("POST", "/profiles/{id}/panel/apply"),
        ("GET", "/applications/{id}/fit"),
        ("GET", "/applications/{id}/scorecards"),
        ("GET", "/profiles/{id}/comparison"),
        ("GET", "/applications/{id}/decisions"),
        ("POST", "/applications/{id}/decisions"),
        ("POST", "/wording-check"),
        ("GET", "/profiles/{id}/ad"),
        ("GET", "/candidates/{id}/export"),
        ("GET", "/candidates/{id}/documents"),
        ("POST", "/candidates/{id}/documents"),
        ("POST", "/jobs/{slug}/applications"),
        ("POST", "/candidates/import"),
        ("GET", "/candidates/{id}/documents/{document}"),
        ("GET", "/candidates/{id}/comments"),
        ("POST", "/candidates/{id}/comments"),
        ("POST", "/candidates/{id}/erasure"),
        ("POST", "/candidates/{id}/merge"),
        ("DELETE", "/candidates/{id}/possible-duplicate"),
        ("POST", "/applications/{id}/letters"),
        ("GET", "/candidates/{id}/messages"),
        ("GET", "/profiles/{id}/ads"),
        ("POST", "/profiles/{id}/ads"),
        ("GET", "/audit"),
        ("GET", "/audit.csv"),
        ("GET", "/profiles/{id}/comparison.csv"),
        ("GET", "/retention"),
        ("GET", "/profiles/{id}/ads/diff"),
        ("GET", "/interviews"),
        ("GET", "/interviews/{id}"),
        ("PUT", "/interviews/{id}/scorecard"),
        ("POST", "/interviews/{id}/scorecard/submission"),
        ("POST", "/interviews/{id}/corrections"),
        ("GET", "/calibration"),
        ("GET", "/reports"),
        ("GET", "/reports.csv"),
        ("GET", "/users"),
        ("POST", "/users"),
        ("GET", "/users/{id}"),
        ("PUT", "/users/{id}/role"),
        ("GET", "/me"),
        ("PUT", "/me/password"),
        ("PUT", "/users/{id}/active"),
        ("PUT", "/users/{id}/password"),
        ("GET", "/tokens"),
        ("POST", "/tokens"),
        ("DELETE", "/tokens/{id}"),
        ("POST", "/profiles/{id}/ads/{version}/publication"),
        ("DELETE", "/profiles/{id}/ads/{version}/publication"),
        ("GET", "/publications"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_owned(), p.to_owned()))
    .collect();
    assert_eq!(documented, expected);

    // Every documented operation is served: no 404 or 405 from the router itself.
    for (method, path) in &documented {
        let concrete = path
            .replace("{id}", "1")
            .replace("{version}", "1")
            .replace("{document}", "1")
            .replace("{competency}", "communication");
        let concrete = format!("/api/v1{concrete}");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let response =
            app.send(method.clone(), &concrete, &[("content-type", "application/json")], Body::from("{}")).await;
        assert_ne!(response.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {concrete}");
        if response.status == StatusCode::NOT_FOUND {
            assert!(response.json()["detail"].is_string(), "{method} {concrete}: a resource 404, not a missing route");
        }
    }

    let schemas = document["components"]["schemas"].as_object().unwrap();
    for schema in
        ["CompanyInput", "CompanyResource", "ProfileInput", "ProfileResource", "ProblemDocument", "ClientSize", "Duty"]
    {
        assert!(schemas.contains_key(schema), "{schema} is described");
    }
}

/// Runs openapi-spec-validator (PyPI) over the served document. Without the validator the test
/// is skipped with the reason; with `AMFIT_REQUIRE_OPENAPI_VALIDATOR=1` (as CI sets) it fails.
#[tokio::test]
async fn a_validator_accepts_the_served_document() {
    let required = std::env::var("AMFIT_REQUIRE_OPENAPI_VALIDATOR").is_ok_and(|v| v == "1");
    let installed = std::process::Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !installed {
        let reason = "python3 with openapi-spec-validator is missing (pip install openapi-spec-validator==0.9.0)";
        assert!(!required, "AMFIT_REQUIRE_OPENAPI_VALIDATOR=1 but {reason}");
        eprintln!("skipped: {reason}");
        return;
    }
    let app = TestApp::sqlite().await;
    let document = app.get("/api/v1/openapi.json").await.body;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("openapi.json");
    std::fs::write(&file, &document).unwrap();
    let checked =
        std::process::Command::new("python3").args(["-m", "openapi_spec_validator"]).arg(&file).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&checked.stdout), String::from_utf8_lossy(&checked.stderr));
    assert!(checked.status.success() && said.contains(": OK"), "{said}");
}

/// Where `.ci/run` installs openapi-typescript with npm.
const OPENAPI_TYPESCRIPT: &str = "target/openapi-typescript/node_modules/.bin/openapi-typescript";

/// What the generator said, stdout and stderr.
fn said(output: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[tokio::test]
async fn clients_generated_from_the_document_type_every_operation_and_error() {
    let required = std::env::var("AMFIT_REQUIRE_CLIENT_GENERATORS").is_ok_and(|v| v == "1");
    let python = std::process::Command::new("openapi-python-client").arg("--version").output();
    let typescript = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(OPENAPI_TYPESCRIPT);
    if !python.is_ok_and(|out| out.status.success()) || !typescript.exists() {
        let reason = "openapi-python-client or openapi-typescript is missing (.ci/run installs both)";
        assert!(!required, "AMFIT_REQUIRE_CLIENT_GENERATORS=1 but {reason}");
        eprintln!("skipped: {reason}");
        return;
    }
    let app = TestApp::sqlite().await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("openapi.json");
    std::fs::write(&file, app.get("/api/v1/openapi.json").await.body).unwrap();

    let client = folder.path().join("python");
    let generated = std::process::Command::new("openapi-python-client")
        .args(["generate", "--meta", "none", "--path"])
        .arg(&file)
        .arg("--output-path")
        .arg(&client)
        .output()
        .unwrap();
    let output = said(&generated);
    assert!(generated.status.success(), "{output}");
    // The two things Python's generator cannot type: the CSV alternative of an import (the JSON
    // one is generated) and a download that is a PDF or a Word document. Nothing else.
    let warned: Vec<&str> = output.lines().filter(|line| line.starts_with("WARNING")).collect();
    let known = [
        "WARNING parsing POST /candidates/import within candidates.",
        "WARNING parsing GET /candidates/{id}/documents/{document} within candidates.",
    ];
    assert!(warned.iter().all(|w| known.contains(w)), "{output}");
    assert!(!output.contains("will not be generated") && !output.contains("Cannot take allOf"), "{output}");
    let field_problem = std::fs::read_to_string(client.join("models/field_problem.py")).unwrap();
    assert!(
        field_problem.contains("code (FieldProblemCode)") && field_problem.contains("message (str)"),
        "{field_problem}"
    );
    for operation in ["import_candidates", "add_comment", "read_report", "change_own_password"] {
        let module = std::fs::read_dir(client.join("api"))
            .unwrap()
            .any(|tag| tag.unwrap().path().join(format!("{operation}.py")).exists());
        assert!(module, "{operation} is generated");
    }

    let types = folder.path().join("api.ts");
    let generated = std::process::Command::new(&typescript).arg(&file).arg("-o").arg(&types).output().unwrap();
    assert!(generated.status.success(), "{}", said(&generated));
    let types = std::fs::read_to_string(types).unwrap();
    assert!(
        types.contains("FieldProblem: {") && types.contains("\"/candidates/{id}/comments\": {"),
        "the error and the paths are typed"
    );
}

#[tokio::test]
async fn every_operation_is_named_once_described_and_answers_errors_as_problem_documents() {
    let app = TestApp::sqlite().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let mut names = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let name = operation["operationId"].as_str().unwrap();
            assert!(names.insert(name.to_owned()), "{name} names two operations");
            assert!(name.chars().next().unwrap().is_ascii_lowercase() && !name.contains('_'), "{name}: camelCase");
            // What a reference, a generated client and linters show as the operation's title.
            let summary = operation["summary"].as_str().unwrap_or_default();
            assert!(
                !summary.is_empty() && summary.len() <= 80 && !summary.ends_with('.'),
                "{method} {path}: summary {summary:?}"
            );
            let responses = operation["responses"].as_object().unwrap();
            for status in ["401", "403", "503"] {
                assert!(responses.contains_key(status), "{method} {path} documents {status}");
            }
            for (status, response) in responses {
                assert!(response["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path} {status}");
                if status.as_str() >= "400" {
                    let content = response["content"].as_object().unwrap();
                    assert_eq!(
                        content.keys().collect::<Vec<_>>(),
                        ["application/problem+json"],
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
    let text = document.to_string();
    assert!(!text.contains("\"default\":null"), "no default: null");
    // A profile without a salary band writes none of its fields: the schema must allow that.
    let details = document["components"]["schemas"]["ProfileDetails"].to_string();
    assert!(details.contains("SalaryFields") && !details.contains("SalaryBand"), "{details}");
    let ad = &document["paths"]["/profiles/{id}/ad"]["get"]["responses"]["200"]["content"];
    assert_eq!(ad["application/ld+json"]["schema"]["type"], "object", "the JSON-LD is an object, not a string");
    assert!(document["info"]["description"].as_str().unwrap().contains("scorecards"));
}

#[tokio::test]
async fn errors_are_sent_as_the_document_says() {
    let app = TestApp::sqlite().await;
    let missing = app.get("/api/v1/candidates/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("content-type"), "application/problem+json");
    let anonymous = app.anonymous().get("/api/v1/candidates").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn the_reference_page_shows_every_operation_and_fetches_nothing_from_elsewhere() {
    let app = TestApp::sqlite().await;
    let document = app.anonymous().get("/api/v1/openapi.json").await.json();
    for (language, heading) in [("en", "amfit API reference"), ("da", "Reference til amfits API")] {
        let page = app.anonymous().send(Method::GET, "/api/docs", &[("accept-language", language)], "").await;
        assert_eq!(page.status, StatusCode::OK, "no token needed to read it");
        assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
        assert!(page.body.contains(&format!("<h1>{heading}</h1>")), "{language}");
        for item in document["paths"].as_object().unwrap().values() {
            for operation in item.as_object().unwrap().values() {
                let id = operation["operationId"].as_str().unwrap();
                assert!(page.body.contains(&format!("id=\"{id}\"")), "{id} is on the page");
            }
        }
        for schema in document["components"]["schemas"].as_object().unwrap().keys() {
            assert!(page.body.contains(&format!("id=\"schema-{schema}\"")), "{schema} is on the page");
        }
        for anchor in page.body.split("href=\"#").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]) {
            assert!(page.body.contains(&format!("id=\"{anchor}\"")), "#{anchor} leads somewhere");
        }
        assert!(!page.body.contains("<script") && !page.body.contains("src=\"http"), "nothing to run, nothing fetched");
        assert!(!page.body.contains("href=\"http"), "every link on site");
    }
}
