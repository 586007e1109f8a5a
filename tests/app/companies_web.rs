//! Company pages: the forms keep what was typed, show errors beside fields, and never lose an
//! update silently.

use axum::http::StatusCode;

use crate::helpers::{TestApp, company_json, profile_json};

const GOOD: &[(&str, &str)] = &[
    ("name", "Nordlys Digital ApS"),
    ("industry", "Digital agency"),
    ("employees", "12"),
    ("account_managers", "2"),
    ("location", "Aarhus"),
    ("description_da", "Webshops for lokale virksomheder."),
    ("description_en", "Web shops for local businesses."),
];

fn changed<'a>(field: &str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    GOOD.iter().map(|&(k, v)| if k == field { (k, value) } else { (k, v) }).collect()
}

#[tokio::test]
async fn list_new_create_show() {
    let app = TestApp::sqlite().await;
    let empty = app.get("/companies").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("amfit demo"), "the empty list says how to get started");

    assert_eq!(app.get("/companies/new").await.status, StatusCode::OK);
    let created = app.post_form("/companies", GOOD).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert!(created.location().starts_with("/companies/"));

    let shown = app.get(created.location()).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Nordlys Digital ApS"));
    assert!(shown.body.contains("Small (10–49 employees)"));
    assert!(shown.body.contains("Saved."), "the redirect's notice is shown");

    let list = app.get("/companies").await;
    assert!(list.body.contains("Nordlys Digital ApS") && list.body.contains("Digital agency"));
}

#[tokio::test]
async fn a_bad_form_comes_back_as_typed_with_the_error_beside_the_field() {
    let app = TestApp::sqlite().await;
    let response = app.post_form("/companies", &changed("account_managers", "13")).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &response.body;
    assert!(body.contains("value=\"Nordlys Digital ApS\""), "typed values are kept");
    assert!(body.contains("value=\"13\""));
    let error_at = body.find("id=\"error-account_managers\"").expect("error beside the field");
    let input_at = body.find("id=\"field-account_managers\"").unwrap();
    assert!(error_at < input_at, "the message precedes its input");
    assert!(body.contains("There cannot be more account managers than employees."));
    assert!(body.contains("href=\"#field-account_managers\""), "the summary links to the field");
    assert_eq!(app.company_count().await, 0);
}

#[tokio::test]
async fn each_bad_input_is_refused_with_its_message() {
    let app = TestApp::sqlite().await;
    let long_name = "n".repeat(201);
    let long_description = "d".repeat(5_001);
    let cases = [
        ("name", "   ", "This field is required."),
        ("name", long_name.as_str(), "Use at most 200 characters."),
        ("employees", "0", "Enter a number from 1 to 10,000,000."),
        ("employees", "10000001", "Enter a number from 1 to 10,000,000."),
        ("employees", "many", "Enter a whole number."),
        ("account_managers", "0", "Enter a number from 1 to 10,000,000."),
        ("description_da", long_description.as_str(), "Use at most 5,000 characters."),
        ("description_en", long_description.as_str(), "Use at most 5,000 characters."),
    ];
    for (field, value, message) in cases {
        let response = app.post_form("/companies", &changed(field, value)).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
        assert!(response.body.contains(message), "{field}={value} should say {message:?}");
        assert!(response.body.contains(&format!("id=\"error-{field}\"")), "{field}");
    }
    assert_eq!(app.company_count().await, 0);
}

#[tokio::test]
async fn a_form_with_missing_fields_names_them() {
    let app = TestApp::sqlite().await;
    let response = app.post_form("/companies", &[("name", "Only a name")]).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["industry", "employees", "account_managers", "location"] {
        assert!(response.body.contains(&format!("id=\"error-{field}\"")), "{field}");
    }
    for optional in ["description_da", "description_en"] {
        assert!(!response.body.contains(&format!("id=\"error-{optional}\"")), "the descriptions are optional");
    }
    let csrf = app.admin.csrf.clone().unwrap();
    let headers = [("content-type", "text/plain"), ("x-csrf-token", csrf.as_str())];
    let not_a_form = app.send(axum::http::Method::POST, "/companies", &headers, "x").await;
    assert_eq!(not_a_form.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.company_count().await, 0);
}

#[tokio::test]
async fn edit_saves_and_a_stale_edit_shows_the_current_values() {
    let app = TestApp::sqlite().await;
    let id = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let edit = app.get(&format!("/companies/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("name=\"version\" value=\"1\""));

    let mut first = changed("employees", "20");
    first.push(("version", "1"));
    let saved = app.post_form(&format!("/companies/{id}"), &first).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location(), format!("/companies/{id}?notice=updated"));

    let mut second = changed("employees", "30");
    second.push(("version", "1"));
    let conflict = app.post_form(&format!("/companies/{id}"), &second).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.body.contains("Someone else changed this while you were editing"));
    assert!(conflict.body.contains("value=\"20\""), "the form shows the current value");
    assert!(conflict.body.contains("name=\"version\" value=\"2\""), "and the current version");
    assert!(conflict.body.contains("<dd>30</dd>"), "and what this user had typed");
    assert_eq!(app.store.get_company(id).await.unwrap().details.employees, 20);

    let mut invalid = changed("name", "");
    invalid.push(("version", "2"));
    assert_eq!(app.post_form(&format!("/companies/{id}"), &invalid).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.get_company(id).await.unwrap().version, 2);
}

#[tokio::test]
async fn delete_asks_first_and_says_what_goes_with_it() {
    let app = TestApp::sqlite().await;
    let id = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    app.create_profile(id, &profile_json()).await;
    let confirm = app.get(&format!("/companies/{id}/delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Its 1 role profile(s) will be deleted too."));
    assert_eq!(app.company_count().await, 1, "asking deletes nothing");

    let deleted = app.post_form(&format!("/companies/{id}/delete"), &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(deleted.location(), "/companies?notice=deleted");
    assert_eq!(app.get(&format!("/companies/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post_form(&format!("/companies/{id}/delete"), &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_companies_are_404_pages() {
    let app = TestApp::sqlite().await;
    for path in
        ["/companies/5", "/companies/5/edit", "/companies/5/delete", "/companies/x", "/companies/5/profiles/new"]
    {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(response.header("content-type").starts_with("text/html"), "{path}");
        assert!(response.body.contains("Not found"));
    }
    let update = app.post_form("/companies/5", &[("version", "1"), ("name", "x")]).await;
    assert_eq!(update.status, StatusCode::NOT_FOUND);
}
