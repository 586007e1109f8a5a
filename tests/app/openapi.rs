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
        ("GET", "/profiles"),
        ("GET", "/profiles/{id}"),
        ("PUT", "/profiles/{id}"),
        ("DELETE", "/profiles/{id}"),
        ("GET", "/profiles/{id}/weights"),
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
        ("GET", "/applications/{id}/interviewers"),
        ("POST", "/applications/{id}/interviewers"),
        ("DELETE", "/assignments/{id}"),
        ("GET", "/applications/{id}/fit"),
        ("GET", "/applications/{id}/scorecards"),
        ("GET", "/profiles/{id}/comparison"),
        ("GET", "/applications/{id}/decisions"),
        ("POST", "/applications/{id}/decisions"),
        ("POST", "/wording-check"),
        ("GET", "/profiles/{id}/ad"),
        ("GET", "/candidates/{id}/export"),
        ("POST", "/candidates/{id}/erasure"),
        ("GET", "/profiles/{id}/ads"),
        ("POST", "/profiles/{id}/ads"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_owned(), p.to_owned()))
    .collect();
    assert_eq!(documented, expected);

    // Every documented operation is served: no 404 or 405 from the router itself.
    for (method, path) in &documented {
        let concrete = format!("/api/v1{}", path.replace("{id}", "1").replace("{competency}", "communication"));
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
