//! `/api/v1/companies`: every operation with good and bad input.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse, company_json, profile_json, with};

#[tokio::test]
async fn create_answers_201_with_location_and_derived_size_band() {
    let app = TestApp::sqlite().await;
    let response = app.post_json("/api/v1/companies", &company_json()).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let created = response.json();
    assert_eq!(response.location(), format!("/api/v1/companies/{}", created["id"]));
    assert_eq!(created["size_band"], "small");
    assert_eq!(created["version"], 1);

    let read = app.get(response.location()).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json(), created);
    let list = app.get("/api/v1/companies").await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn size_bands_follow_the_headcount() {
    let app = TestApp::sqlite().await;
    for (employees, band) in [(9, "micro"), (10, "small"), (50, "medium"), (249, "medium"), (250, "large")] {
        let created =
            app.create_company(&with(&company_json(), json!({ "employees": employees, "account_managers": 1 }))).await;
        assert_eq!(created["size_band"], band, "{employees} employees");
    }
}

/// Each bad body is refused with 422 naming exactly the bad fields, and nothing is saved.
#[tokio::test]
async fn bad_fields_are_named_and_nothing_is_saved() {
    let app = TestApp::sqlite().await;
    let long = "x".repeat(201);
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({ "name": "" }), vec!["name"]),
        (json!({ "name": "   \t " }), vec!["name"]),
        (json!({ "name": long }), vec!["name"]),
        (json!({ "description_da": "d".repeat(5_001) }), vec!["description_da"]),
        (json!({ "employees": 0 }), vec!["employees"]),
        (json!({ "employees": 10_000_001 }), vec!["employees"]),
        (json!({ "employees": "twelve" }), vec!["employees"]),
        (json!({ "employees": 1.5 }), vec!["employees"]),
        (json!({ "account_managers": 0 }), vec!["account_managers"]),
        (json!({ "account_managers": 13 }), vec!["account_managers"]),
        (json!({ "name": null, "location": null }), vec!["name", "location"]),
        (json!({ "name": "", "employees": -1, "account_managers": 0 }), vec!["name", "employees", "account_managers"]),
    ];
    for (changes, fields) in cases {
        let body = with(&company_json(), changes.clone());
        let response = app.post_json("/api/v1/companies", &body).await;
        let mut rejected = response.rejected_fields();
        rejected.sort();
        let mut expected: Vec<_> = fields.iter().map(|f| f.to_string()).collect();
        expected.sort();
        assert_eq!(rejected, expected, "for {changes}");
        assert!(response.json()["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(app.company_count().await, 0);
}

#[tokio::test]
async fn an_empty_object_names_every_required_field() {
    let app = TestApp::sqlite().await;
    let mut rejected = app.post_json("/api/v1/companies", &json!({})).await.rejected_fields();
    rejected.sort();
    assert_eq!(rejected, ["account_managers", "employees", "industry", "location", "name"]);
}

#[tokio::test]
async fn unknown_ids_are_404_problems() {
    let app = TestApp::sqlite().await;
    for path in [
        "/api/v1/companies/999",
        "/api/v1/companies/abc",
        "/api/v1/companies/-1",
        "/api/v1/companies/99999999999999999999",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.header("content-type"), "application/problem+json");
        assert_eq!(response.json()["status"], 404);
    }
    let body = with(&company_json(), json!({ "version": 1 }));
    assert_eq!(app.put_json("/api/v1/companies/999", &body).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete("/api/v1/companies/999").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn update_needs_the_current_version() {
    let app = TestApp::sqlite().await;
    let created = app.create_company(&company_json()).await;
    let path = format!("/api/v1/companies/{}", created["id"]);

    let missing_version = app.put_json(&path, &company_json()).await;
    assert_eq!(missing_version.rejected_fields(), ["version"]);

    let first = app.put_json(&path, &with(&company_json(), json!({ "version": 1, "employees": 20 }))).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!((first.json()["version"].as_i64(), first.json()["employees"].as_i64()), (Some(2), Some(20)));

    let stale = app.put_json(&path, &with(&company_json(), json!({ "version": 1, "employees": 30 }))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.json()["current_version"], 2);
    assert_eq!(app.get(&path).await.json()["employees"], 20, "the stale update overwrote nothing");

    let invalid = app.put_json(&path, &with(&company_json(), json!({ "version": 2, "employees": 0 }))).await;
    assert_eq!(invalid.rejected_fields(), ["employees"]);
    assert_eq!(app.get(&path).await.json()["version"], 2);
}

#[tokio::test]
async fn delete_removes_the_company_and_its_profiles() {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await;
    let id = company["id"].as_i64().unwrap();
    app.create_profile(id, &profile_json()).await;
    let response = app.delete(&format!("/api/v1/companies/{id}")).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/companies/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.profile_count().await, 0);
}

#[tokio::test]
async fn malformed_bodies_are_400_and_save_nothing() {
    let app = TestApp::sqlite().await;
    let json = [("content-type", "application/json")];
    for body in ["{\"name\": ", "not json", "", "[1, 2, 3]", "42", "{} {}", "{\"name\": \"a\",}"] {
        let response = app.send(Method::POST, "/api/v1/companies", &json, body.to_owned()).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{body:?}: {}", response.body);
        assert_eq!(response.header("content-type"), "application/problem+json");
        assert!(!response.json()["detail"].as_str().unwrap().is_empty());
    }
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let headers: Vec<_> = content_type.map(|c| ("content-type", c)).into_iter().collect();
        let response = app.send(Method::POST, "/api/v1/companies", &headers, company_json().to_string()).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{content_type:?}");
        assert!(response.json()["detail"].as_str().unwrap().contains("application/json"));
    }
    let charset = [("content-type", "application/json; charset=utf-8")];
    let accepted = app.send(Method::POST, "/api/v1/companies", &charset, company_json().to_string()).await;
    assert_eq!(accepted.status, StatusCode::CREATED);
    assert_eq!(app.company_count().await, 1);
}

#[tokio::test]
async fn bodies_over_512_kib_are_413() {
    let app = TestApp::sqlite().await;
    let huge = with(&company_json(), json!({ "description_en": "x".repeat(520 * 1024) }));
    let response = app.post_json("/api/v1/companies", &huge).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.header("content-type"), "application/problem+json");
    assert_eq!(app.company_count().await, 0);
}

#[tokio::test]
async fn wrong_json_types_name_the_field() {
    let app = TestApp::sqlite().await;
    let response = app.post_json("/api/v1/companies", &with(&company_json(), json!({ "name": ["a", "b"] }))).await;
    assert_eq!(response.rejected_fields(), ["name"]);
    let response = app.post_json("/api/v1/companies", &with(&company_json(), json!({ "employees": { "n": 1 } }))).await;
    assert_eq!(response.rejected_fields(), ["employees"]);
}

#[tokio::test]
async fn the_privacy_notice_link_is_checked_and_the_ads_point_to_it() {
    let app = TestApp::sqlite().await;
    for bad in ["privatliv.html", "ftp://nordlys.example/privatliv", "javascript:alert(1)"] {
        let refused = app.post_json("/api/v1/companies", &with(&company_json(), json!({ "privacy_url": bad }))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(refused.rejected_fields(), ["privacy_url"], "{bad}");
    }
    assert_eq!(app.company_count().await, 0, "nothing refused was saved");
    let link = "https://nordlys.example/privatliv";
    let company = app.create_company(&with(&company_json(), json!({ "privacy_url": link }))).await;
    assert_eq!(company["privacy_url"], link);
    let id = company["id"].as_i64().unwrap();
    let profile = app.create_profile(id, &profile_json()).await["id"].as_i64().unwrap();
    let ad = app.get(&format!("/api/v1/profiles/{profile}/ad?language=da")).await.body;
    assert!(ad.contains(&format!("databeskyttelsesreglerne. Læs mere i vores privatlivspolitik på {link}.")), "{ad}");
}

/// A PUT of `body` to `path` with `If-Match`.
async fn put_if_match(app: &TestApp, path: &str, if_match: &str, body: &Value) -> TestResponse {
    let headers = [("content-type", "application/json"), ("if-match", if_match)];
    app.send(Method::PUT, path, &headers, body.to_string()).await
}

#[tokio::test]
async fn single_resources_carry_their_version_as_etag_and_take_it_back_in_if_match() {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let candidate =
        app.post_json("/api/v1/candidates", &json!({ "name": "Dina Holm", "email": "dina@example.dk" })).await;
    let candidate = candidate.json()["id"].as_i64().unwrap();
    let changes = [
        (format!("/api/v1/companies/{company}"), with(&company_json(), json!({ "name": "Renamed ApS" }))),
        (format!("/api/v1/profiles/{profile}"), with(&profile_json(), json!({ "title": "Senior Account Manager" }))),
        (format!("/api/v1/candidates/{candidate}"), json!({ "name": "Dina Holm-Berg", "email": "dina@example.dk" })),
    ];
    for (path, body) in changes {
        let read = app.get(&path).await;
        assert_eq!(read.header("etag"), "\"1\"", "{path}");
        let changed = put_if_match(&app, &path, "\"1\"", &body).await;
        assert_eq!(changed.status, StatusCode::OK, "{path}: {}", changed.body);
        assert_eq!((changed.header("etag"), changed.json()["version"].as_i64()), ("\"2\"", Some(2)), "{path}");

        let stale = put_if_match(&app, &path, "\"1\"", &body).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{path}: {}", stale.body);
        assert_eq!(stale.header("content-type"), "application/problem+json");
        assert_eq!(stale.json()["current_version"], 2);
        // The header wins over a body's version, and a malformed one changes nothing.
        let both = put_if_match(&app, &path, "\"1\"", &with(&body, json!({ "version": 2 }))).await;
        assert_eq!(both.status, StatusCode::PRECONDITION_FAILED, "{path}");
        for malformed in ["2", "\"2", "two\"", "\"a\"b\"", "\"2\" \"3\"", "w/\"2\"", ",", "\"a b\""] {
            let refused = put_if_match(&app, &path, malformed, &body).await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{path} If-Match: {malformed}");
        }
        // Well-formed tags that are not the current version fail the precondition (RFC 9110,
        // 13.1.1): a weak tag never matches, since If-Match compares strongly.
        for not_current in ["\"stale\"", "W/\"2\"", "\"two\"", "\"0\"", "\"1\", \"9\"", "\"\"", "\"-2\""] {
            let refused = put_if_match(&app, &path, not_current, &body).await;
            assert_eq!(
                refused.status,
                StatusCode::PRECONDITION_FAILED,
                "{path} If-Match: {not_current}: {}",
                refused.body
            );
            assert_eq!(refused.json()["current_version"], 2, "{path} If-Match: {not_current}");
        }
        assert_eq!(app.get(&path).await.header("etag"), "\"2\"", "{path}: nothing refused was written");
    }
}

/// A request to `path` with only an `If-Match` (and a JSON body when there is one).
async fn send_if_match(
    app: &TestApp,
    method: Method,
    path: &str,
    if_match: &str,
    body: Option<&Value>,
) -> TestResponse {
    let headers = [("content-type", "application/json"), ("if-match", if_match)];
    app.send(method, path, &headers, body.map(Value::to_string).unwrap_or_default()).await
}

#[tokio::test]
async fn deletes_and_stage_changes_take_a_precondition_too() {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let dina = json!({ "name": "Dina Holm", "email": "dina@example.dk" });
    let candidate = app.post_json("/api/v1/candidates", &dina).await.json()["id"].as_i64().unwrap();
    let applied =
        app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
    let application = format!("/api/v1/applications/{}", applied.json()["id"]);
    assert_eq!(app.get(&application).await.header("etag"), "\"1\"", "one stage so far: applied");

    let stage = format!("{application}/stage");
    let screening = json!({ "stage": "screening" });
    let moved = send_if_match(&app, Method::PUT, &stage, "\"1\"", Some(&screening)).await;
    assert_eq!((moved.status, moved.header("etag")), (StatusCode::OK, "\"2\""), "{}", moved.body);
    let stale = send_if_match(&app, Method::PUT, &stage, "\"1\"", Some(&json!({ "stage": "rejected" }))).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
    assert_eq!(stale.json()["current_version"], 2);
    let now = app.get(&application).await;
    assert_eq!((now.json()["stage"].as_str(), now.header("etag")), (Some("screening"), "\"2\""), "nothing moved");
    let bad = send_if_match(&app, Method::PUT, &stage, "two", Some(&screening)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let renamed = json!({ "name": "Dina Holm-Berg", "email": "dina@example.dk", "version": 1 });
    assert_eq!(app.put_json(&format!("/api/v1/candidates/{candidate}"), &renamed).await.status, StatusCode::OK);
    for path in [
        format!("/api/v1/candidates/{candidate}"),
        format!("/api/v1/profiles/{profile}"),
        format!("/api/v1/companies/{company}"),
    ] {
        let current = app.get(&path).await.header("etag").to_owned();
        let stale = send_if_match(&app, Method::DELETE, &path, "\"7\"", None).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{path}: {}", stale.body);
        assert_eq!(app.get(&path).await.status, StatusCode::OK, "{path}: still there");
        let malformed = send_if_match(&app, Method::DELETE, &path, "7", None).await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST, "{path}");
        let not_current = send_if_match(&app, Method::DELETE, &path, "\"stale\"", None).await;
        assert_eq!(not_current.status, StatusCode::PRECONDITION_FAILED, "{path}: {}", not_current.body);
        assert_eq!(app.get(&path).await.status, StatusCode::OK, "{path}: still there");
        let deleted = send_if_match(&app, Method::DELETE, &path, &current, None).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{path}: {}", deleted.body);
        assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        let gone = send_if_match(&app, Method::DELETE, &path, &current, None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{path}: gone is 404, not 412");
    }
}
