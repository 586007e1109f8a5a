//! The UI in English and Danish: chosen by the browser or the switch, with numbers and
//! dates written the language's way.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, company_json, profile_json, with};

#[tokio::test]
async fn the_browser_language_picks_the_ui_language() {
    let app = TestApp::sqlite().await;
    let danish = app.get_in("/companies", "da-DK,da;q=0.9,en;q=0.5").await;
    assert!(danish.body.contains("<html lang=\"da\">"));
    assert!(danish.body.contains("Virksomheder") && danish.body.contains("Ny virksomhed"));
    let english = app.get_in("/companies", "en-GB").await;
    assert!(english.body.contains("<html lang=\"en\">"));
    assert!(english.body.contains("New company"));
    let other = app.get_in("/companies", "fr-FR").await;
    assert!(other.body.contains("<html lang=\"en\">"), "English when neither is asked for");
}

#[tokio::test]
async fn the_switch_remembers_the_choice_and_returns() {
    let app = TestApp::sqlite().await;
    let switched = app.get("/language/da?back=%2Fprofiles").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/profiles");
    let cookie = switched.header("set-cookie");
    assert!(cookie.starts_with("amfit_lang=da;") && cookie.contains("SameSite=Lax"), "{cookie}");

    let headers = [("cookie", "amfit_lang=da"), ("accept-language", "en")];
    let page = app.send(Method::GET, "/profiles", &headers, Body::empty()).await;
    assert!(page.body.contains("Rolleprofiler"), "the cookie wins over the browser");
    assert!(page.body.contains("href=\"/language/en?back=%2Fprofiles\""), "the switch offers the other language");

    for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example"]
    {
        let path =
            format!("/language/en?back={}", url::form_urlencoded::byte_serialize(evil.as_bytes()).collect::<String>());
        assert_eq!(app.get(&path).await.location(), "/", "no open redirect to {evil}");
    }
    assert_eq!(app.get("/language/xx").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn numbers_and_dates_follow_the_language() {
    let app = TestApp::sqlite().await;
    let company =
        app.create_company(&with(&company_json(), json!({ "employees": 5000, "account_managers": 40 }))).await;
    let profile = app
        .create_profile(
            company["id"].as_i64().unwrap(),
            &with(&profile_json(), json!({ "application_deadline": "2099-03-01", "start_date": "2099-04-01" })),
        )
        .await;
    let english = app.get_in("/companies", "en").await;
    assert!(english.body.contains(">5,000<"));
    let danish = app.get_in("/companies", "da").await;
    assert!(danish.body.contains(">5.000<"));
    assert!(danish.body.contains(">Stor<"));

    let path = format!("/profiles/{}", profile["id"]);
    assert!(app.get_in(&path, "en").await.body.contains("1 March 2099"));
    let danish_profile = app.get_in(&path, "da").await.body;
    assert!(danish_profile.contains("1. marts 2099"));
    assert!(danish_profile.contains("36.000–42.000 DKK pr. måned"));
    assert!(danish_profile.contains("Kundemodel: Portefølje"));
}

#[tokio::test]
async fn form_errors_and_api_problems_speak_the_language() {
    let app = TestApp::sqlite().await;
    let headers = [("content-type", "application/x-www-form-urlencoded"), ("accept-language", "da")];
    let body = format!("name=&employees=0&csrf_token={}", app.admin.csrf.as_deref().unwrap());
    let form = app.send(Method::POST, "/companies", &headers, body).await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.body.contains("Feltet skal udfyldes."));
    assert!(form.body.contains("Angiv et tal fra 1 til 10.000.000."));

    let headers = [("content-type", "application/json"), ("accept-language", "da")];
    let api = app.send(Method::POST, "/api/v1/companies", &headers, "{}").await;
    assert_eq!(api.json()["title"], "Nogle værdier er ikke gyldige");
    assert_eq!(api.json()["errors"][0]["message"], "Feltet skal udfyldes.");
}
