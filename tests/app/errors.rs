//! Answers to what no handler expects: unknown routes, wrong methods, odd bodies. None may
//! be a 500, and every one is in the app's own format.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, company_json, on_both_backends, profile_json, with};

#[tokio::test]
async fn the_icon_every_browser_asks_for_is_there() {
    let app = TestApp::sqlite().await;
    for path in ["/favicon.ico", "/static/favicon.svg"] {
        let icon = app.anonymous().get(path).await;
        assert_eq!((icon.status, icon.header("content-type")), (StatusCode::OK, "image/svg+xml"), "{path}");
        assert!(icon.body.starts_with("<svg"), "{path}");
    }
    let page = app.anonymous().get("/login").await.body;
    assert!(page.contains("<link rel=\"icon\" href=\"/static/favicon.svg\""), "{page}");
}

#[tokio::test]
async fn unknown_routes_are_404_in_the_right_format() {
    let app = TestApp::sqlite().await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.header("content-type").starts_with("text/html"));
    let request_id = page.header("x-request-id").to_owned();
    assert!(!request_id.is_empty());
    assert!(page.body.contains(&request_id), "the error page shows the request id the log has");

    let api = app.get("/api/v1/no/such/thing").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.header("content-type"), "application/problem+json");
    assert_eq!(api.json()["request_id"], api.header("x-request-id"));
}

#[tokio::test]
async fn a_clients_request_id_is_kept_only_when_short_and_plain() {
    let app = TestApp::sqlite().await;
    for kept in ["proxy-7f3a.2_b", "A", &"x".repeat(64)] {
        let answer = app.send(Method::GET, "/no/such/page", &[("x-request-id", kept)], axum::body::Body::empty()).await;
        assert_eq!(answer.header("x-request-id"), kept);
    }
    let forged = "x method=DELETE path=/api/v1/candidates/1} status=204";
    for replaced in [forged, "a b", "a\"b", "<script>", "ü", &"x".repeat(65), "a/b", "a%0Ab"] {
        let answer =
            app.send(Method::GET, "/no/such/page", &[("x-request-id", replaced)], axum::body::Body::empty()).await;
        let given = answer.header("x-request-id");
        assert_ne!(given, replaced);
        assert!(uuid::Uuid::parse_str(given).is_ok(), "{replaced:?} replaced by a fresh id, not {given:?}");
        assert!(answer.body.contains(given), "the page shows the fresh id");
    }
    // A plain first id does not carry a second one along.
    let request = axum::http::Request::get("/no/such/page")
        .header("x-request-id", "plain-1")
        .header("x-request-id", forged)
        .body(axum::body::Body::empty())
        .unwrap();
    let answer = app.request(request).await;
    assert!(uuid::Uuid::parse_str(answer.header("x-request-id")).is_ok(), "{:?}", answer.headers);
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow() {
    let app = TestApp::sqlite().await;
    let api = app.send(Method::PATCH, "/api/v1/companies", &[], axum::body::Body::empty()).await;
    assert_eq!(api.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(api.header("content-type"), "application/problem+json");
    assert!(api.header("allow").contains("POST"));
    let page = app.delete("/companies").await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(page.body.contains("Not allowed here"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::sqlite().await;
    for path in ["/companies", "/api/v1/companies", "/nowhere", "/static/app.css"] {
        let response = app.get(path).await;
        let csp = response.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(response.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(response.header("referrer-policy"), "same-origin", "{path}");
        assert_eq!(response.header("x-frame-options"), "DENY", "{path}");
        let permissions = response.header("permissions-policy");
        assert!(permissions.contains("camera=()") && permissions.contains("geolocation=()"), "{path}: {permissions}");
        let cache = response.header("cache-control");
        if path.starts_with("/static/") {
            assert!(cache.starts_with("public"), "{path}: {cache}");
        } else {
            assert_eq!(cache, "no-store", "{path}: personal data is never cached");
        }
    }
    let candidate =
        app.post_json("/api/v1/candidates", &serde_json::json!({ "name": "Ida", "email": "ida@example.dk" })).await;
    let id = candidate.json()["id"].as_i64().unwrap();
    for path in
        [format!("/candidates/{id}"), format!("/api/v1/candidates/{id}"), format!("/api/v1/candidates/{id}/export")]
    {
        assert_eq!(app.get(&path).await.header("cache-control"), "no-store", "{path}");
    }
}

on_both_backends! {
    async fn liveness_and_readiness_answer_once_the_store_reads_and_writes(app) {
        let health = app.anonymous().get("/healthz").await;
        assert_eq!((health.status, health.body.as_str()), (StatusCode::OK, "ok"));
        let ready = app.anonymous().get("/readyz").await;
        assert_eq!(ready.status, StatusCode::OK);
        let ready = ready.json();
        assert_eq!((ready["status"].as_str(), ready["database"].as_str()), (Some("ready"), Some("ok")), "{ready}");
        assert_eq!(ready["outbox"]["queued"], 0, "{ready}");
    }
}

/// Odd bodies of every kind at every write route: each gets a 4xx, none a 500.
#[tokio::test]
async fn no_request_shape_produces_a_500() {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let bodies = [
        String::new(),
        "\u{0}\u{1}\u{2}".into(),
        "{\"name\": null}".into(),
        "{\"employees\": 1e400}".into(),
        "{\"employees\": 99999999999999999999999}".into(),
        "{\"version\": -5}".into(),
        "{\"version\": 9223372036854775807}".into(),
        "{\"duties\": [1, {\"a\": []}]}".into(),
        format!("{{\"title\": {}}}", "[".repeat(200) + &"]".repeat(200)),
        "name=%ZZ&employees=%00".into(),
        "duties=renewals&duties=renewals&title=a&title=b".into(),
        "{\"start_date\": \"2027-13-45\", \"application_deadline\": \"0000-00-00\"}".into(),
        "{\"salary_min\": -1, \"salary_max\": 4294967296}".into(),
    ];
    let writes = [
        (Method::POST, "/api/v1/companies".to_owned()),
        (Method::PUT, format!("/api/v1/companies/{company}")),
        (Method::POST, format!("/api/v1/companies/{company}/profiles")),
        (Method::PUT, format!("/api/v1/profiles/{profile}")),
        (Method::POST, "/companies".to_owned()),
        (Method::POST, format!("/companies/{company}")),
        (Method::POST, format!("/companies/{company}/profiles")),
        (Method::POST, format!("/profiles/{profile}")),
    ];
    for (method, path) in &writes {
        for content_type in ["application/json", "application/x-www-form-urlencoded", "text/plain"] {
            for body in &bodies {
                let response = app.send(method.clone(), path, &[("content-type", content_type)], body.clone()).await;
                assert!(
                    response.status.is_client_error(),
                    "{method} {path} ({content_type}) {body:?} gave {}",
                    response.status
                );
            }
        }
    }
    assert_eq!(app.company_count().await, 1, "nothing was created or deleted");
    assert_eq!(app.store.get_company(company).await.unwrap().version, 1, "nothing was changed");
    assert_eq!(app.store.get_profile(profile).await.unwrap().version, 1);
    let _ = json!(null);
}

on_both_backends! {
    async fn control_characters_are_refused_with_422_naming_the_field_and_store_nothing(app) {
        let refused = app.post_json("/api/v1/companies", &with(&company_json(), serde_json::json!({ "name": "Nul\u{0}ApS" }))).await;
        assert_eq!(refused.rejected_fields(), ["name"]);
        assert_eq!(app.company_count().await, 0);

        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
        let ad = serde_json::json!({ "language": "da", "tone": "informal", "text": "# Annonce\n\nEscape \u{1b}[2J her" });
        let refused = app.post_json(&format!("/api/v1/profiles/{profile}/ads"), &ad).await;
        assert_eq!(refused.rejected_fields(), ["text"]);
        assert!(app.get(&format!("/api/v1/profiles/{profile}/ads")).await.json()["items"].as_array().unwrap().is_empty());

        let page = app.post_form(&format!("/companies/{company}"), &[("name", "Web\u{0}ApS"), ("version", "1")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(page.body.contains("<code>name</code>"), "the page names the field: {}", page.body);
        let kept = app.get(&format!("/api/v1/companies/{company}")).await.json();
        assert_eq!(kept["version"], 1, "nothing changed");

        let ok = with(&company_json(), serde_json::json!({ "name": "Lines ApS", "description_en": "Tab\tand\r\nlines." }));
        assert_eq!(app.post_json("/api/v1/companies", &ok).await.status, StatusCode::CREATED, "tab, CR and LF are text");

        // A field amfit does not read is ignored whatever it holds; one it reads is checked,
        // also inside a list.
        let unknown = with(&company_json(), serde_json::json!({ "name": "Extra ApS", "x-note\u{1}": "a\u{0}b" }));
        assert_eq!(app.post_json("/api/v1/companies", &unknown).await.status, StatusCode::CREATED);
        let listed = with(&profile_json(), serde_json::json!({ "duties": ["renewals", "report\u{7}ing"] }));
        let refused = app.post_json(&format!("/api/v1/companies/{company}/profiles"), &listed).await;
        assert_eq!(refused.rejected_fields(), ["duties[1]"]);
    }
}
