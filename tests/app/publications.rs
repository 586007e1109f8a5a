//! Publishing a saved ad version: its public address and the days it takes applications, the
//! wording check's findings confirmed first.

use amfit::domain::user::Role;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, company_json, in_days, on_both_backends, profile_json, with};

const CLEAN: &str = "# Account manager\n\nVi søger en account manager til vores kunder i Aarhus.\n";
const AGED: &str = "# Account manager\n\nVi søger en ung account manager.\n";

/// A profile with a deadline in 30 days and its ad saved as versions 1 (clean) and 2 (asking for
/// someone young): (profile, its publication path of version N).
async fn a_profile_with_two_versions(app: &TestApp) -> (i64, impl Fn(i64) -> String) {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile =
        app.create_profile(company, &with(&profile_json(), json!({ "application_deadline": in_days(30) }))).await;
    let profile = profile["id"].as_i64().unwrap();
    for text in [CLEAN, AGED] {
        let saved =
            app.post_json(&format!("/api/v1/profiles/{profile}/ads"), &json!({ "text": text, "language": "da" })).await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    }
    (profile, move |number| format!("/api/v1/profiles/{profile}/ads/{number}/publication"))
}

fn listed(body: &Value) -> Vec<String> {
    body["items"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap().to_owned()).collect()
}

on_both_backends! {
    async fn a_version_is_published_with_an_address_and_days_and_taken_off_again(app) {
        let (_, path) = a_profile_with_two_versions(&app).await;
        let published = app.post_json(&path(1), &json!({})).await;
        assert_eq!(published.status, StatusCode::CREATED, "{}", published.body);
        let publication = published.json();
        assert_eq!(publication["slug"], "account-manager-nordlys-digital-aps", "made of the title and the company");
        assert_eq!((publication["open_from"].as_str(), publication["open_until"].as_str()), (Some(in_days(0).as_str()), Some(in_days(30).as_str())));
        assert_eq!(publication["version"], 1);
        assert_eq!(listed(&app.get("/api/v1/publications").await.json()), ["account-manager-nordlys-digital-aps"]);

        let moved = app.post_json(&path(1), &json!({ "slug": "key-account-aarhus", "from": in_days(2), "until": in_days(9) })).await;
        assert_eq!(moved.status, StatusCode::CREATED);
        assert_eq!((moved.json()["slug"].as_str(), moved.json()["open_until"].as_str()), (Some("key-account-aarhus"), Some(in_days(9).as_str())));
        assert_eq!(listed(&app.get("/api/v1/publications").await.json()), ["key-account-aarhus"], "published once, not twice");

        assert_eq!(app.delete(&path(1)).await.status, StatusCode::NO_CONTENT);
        assert!(listed(&app.get("/api/v1/publications").await.json()).is_empty());
        assert_eq!(app.delete(&path(1)).await.status, StatusCode::NOT_FOUND, "not published");
    }
}

on_both_backends! {
    async fn legal_findings_are_confirmed_first_and_bad_windows_and_addresses_named(app) {
        let (profile, path) = a_profile_with_two_versions(&app).await;
        let unconfirmed = app.post_json(&path(2), &json!({ "slug": "ung-saelger" })).await;
        assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(unconfirmed.json()["errors"][0]["code"], "unresolved_findings");
        assert_eq!(unconfirmed.json()["errors"][0]["flags"], 1);
        assert!(listed(&app.get("/api/v1/publications").await.json()).is_empty(), "nothing published");
        let confirmed = app.post_json(&path(2), &json!({ "slug": "ung-saelger", "confirm": true })).await;
        assert_eq!(confirmed.status, StatusCode::CREATED, "{}", confirmed.body);

        let taken = app.post_json(&path(1), &json!({ "slug": "ung-saelger" })).await;
        assert_eq!(taken.json()["errors"][0]["code"], "slug_taken");
        for (body, field) in [
            (json!({ "slug": "Not A Slug" }), "slug"),
            (json!({ "until": in_days(-1) }), "until"),
            (json!({ "from": in_days(5), "until": in_days(3) }), "until"),
            (json!({ "from": "soon" }), "from"),
            (json!({ "confirm": "perhaps" }), "confirm"),
        ] {
            assert_eq!(app.post_json(&path(1), &body).await.rejected_fields(), [field], "{body}");
        }
        assert_eq!(app.post_json(&format!("/api/v1/profiles/{profile}/ads/9/publication"), &json!({})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.post_json("/api/v1/profiles/1/ads/x/publication", &json!({})).await.status, StatusCode::NOT_FOUND);

        // Made-up addresses never collide: a second profile like the first gets its numbers.
        let (_, second) = a_profile_with_two_versions(&app).await;
        let first = app.post_json(&path(1), &json!({})).await.json()["slug"].clone();
        let other = app.post_json(&second(1), &json!({})).await;
        assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);
        assert_ne!(other.json()["slug"], first);
        assert!(other.json()["slug"].as_str().unwrap().ends_with("-1"), "{}", other.body);

        let hiring_manager = app.client(Role::HiringManager, "hm@amfit.test").await;
        let refused = app.as_(&hiring_manager).send_json(Method::POST, &path(1), &json!({})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(listed(&app.as_(&hiring_manager).get("/api/v1/publications").await.json()).is_empty(), "not their profiles");
    }
}

#[tokio::test]
async fn a_recruiter_publishes_from_the_editor_and_takes_it_off_again() {
    let app = TestApp::sqlite().await;
    let (profile, _) = a_profile_with_two_versions(&app).await;
    let editor = app.get(&format!("/profiles/{profile}/ad?version=2")).await;
    let publish = format!("/profiles/{profile}/ads/2/publish");
    assert!(editor.body.contains(&format!("href=\"{publish}\"")), "each version offers publishing");
    let form = app.get(&publish).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("legal problems (1)") && form.body.contains("name=\"confirm\""),
        "the findings first: {}",
        form.body
    );

    let unconfirmed = app.post_form(&publish, &[("slug", "ung-account-manager")]).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.body.contains("value=\"ung-account-manager\""), "what was typed stays");
    let bad = app.post_form(&publish, &[("slug", "Ung Sælger"), ("confirm", "on")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let published = app.post_form(&publish, &[("slug", "ung-account-manager"), ("confirm", "on")]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let editor = app.get(published.location()).await;
    assert!(editor.body.contains("href=\"/jobs/ung-account-manager\""), "the editor links its public page");
    assert_eq!(app.anonymous().get("/jobs/ung-account-manager").await.status, StatusCode::OK);

    let taken_off = app.post_form(&format!("/profiles/{profile}/ads/2/unpublish"), &[]).await;
    assert_eq!(taken_off.status, StatusCode::SEE_OTHER);
    assert_eq!(app.anonymous().get("/jobs/ung-account-manager").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post_form(&format!("/profiles/{profile}/ads/2/unpublish"), &[]).await.status, StatusCode::NOT_FOUND);
}
