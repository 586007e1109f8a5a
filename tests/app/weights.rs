//! A profile's derived weights, and a recruiter's overrides of them.

use amfit::domain::demo::demo_companies;
use amfit::store::{OverrideRecord, StoreError};
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, company_json, on_both_backends, profile_json};

async fn app_with_profile() -> (TestApp, i64) {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    (app, profile)
}

fn weight_of<'a>(weights: &'a Value, competency: &str) -> &'a Value {
    weights.as_array().unwrap().iter().find(|w| w["competency"] == competency).unwrap()
}

#[tokio::test]
async fn the_api_lists_the_weights_with_their_rules() {
    let (app, profile) = app_with_profile().await;
    let weights = app.get(&format!("/api/v1/profiles/{profile}/weights")).await.json();
    assert_eq!(weights.as_array().unwrap().len(), 11);
    let efficiency = weight_of(&weights, "efficiency");
    // 3 base + 2 small company + 2 thirty accounts + 1 small-business clients, which share a cap of +3
    assert_eq!(efficiency["weight"], 6);
    assert_eq!(efficiency["rules"], json!(["small-company", "many-accounts", "small-business-clients"]));
    assert_eq!(efficiency["capped_by"], json!(["volume"]), "the rules share one effect");
    assert_eq!(weight_of(&weights, "communication")["capped_by"], json!([]));
    assert_eq!(weight_of(&weights, "communication")["minimum"], 3);
    assert!(weight_of(&weights, "presentation")["minimum"].is_null());
}

#[tokio::test]
async fn an_override_is_recorded_shown_and_reset() {
    let (app, profile) = app_with_profile().await;
    let path = format!("/api/v1/profiles/{profile}/weights/presentation");
    let set = app.put_json(&path, &json!({ "weight": 9, "minimum": 4 })).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let presentation = weight_of(&set.json(), "presentation").clone();
    assert_eq!((presentation["weight"].as_i64(), presentation["minimum"].as_i64()), (Some(9), Some(4)));
    assert_eq!((presentation["derived_weight"].as_i64(), presentation["derived_minimum"].as_i64()), (Some(2), None));
    assert_eq!(presentation["overridden_by"], "Test User");
    assert!(presentation["overridden_at"].is_string());

    let page = app.get(&format!("/profiles/{profile}")).await;
    assert!(page.body.contains("Overridden by Test User on"), "the page says who changed it");
    assert!(page.body.contains("the rules gave weight / minimum 2 / none"));

    assert_eq!(app.delete(&path).await.status, StatusCode::NO_CONTENT);
    let reset =
        weight_of(&app.get(&format!("/api/v1/profiles/{profile}/weights")).await.json(), "presentation").clone();
    assert_eq!((reset["weight"].as_i64(), reset["overridden_by"].is_null()), (Some(2), true));
    assert_eq!(app.delete(&path).await.status, StatusCode::NOT_FOUND, "nothing left to reset");
}

#[tokio::test]
async fn bad_overrides_are_refused_and_change_nothing() {
    let (app, profile) = app_with_profile().await;
    let path = format!("/api/v1/profiles/{profile}/weights/diligence");
    for (body, field) in [
        (json!({ "weight": -1 }), "weight"),
        (json!({ "weight": 11 }), "weight"),
        (json!({ "weight": "heavy" }), "weight"),
        (json!({ "weight": 2.5 }), "weight"),
        (json!({}), "weight"),
        (json!({ "weight": 5, "minimum": 0 }), "minimum"),
        (json!({ "weight": 5, "minimum": 6 }), "minimum"),
    ] {
        assert_eq!(app.put_json(&path, &body).await.rejected_fields(), [field], "{body}");
    }
    assert_eq!(
        app.put_json(&format!("/api/v1/profiles/{profile}/weights/golf"), &json!({ "weight": 5 })).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.put_json("/api/v1/profiles/999/weights/diligence", &json!({ "weight": 5 })).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(app.store.list_weight_overrides(profile).await.unwrap().is_empty());

    let form =
        app.post_form(&format!("/profiles/{profile}/weights/diligence"), &[("weight", "-3"), ("minimum", "")]).await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.body.contains("Weight: Enter a number from 0 to 10."));
    let form =
        app.post_form(&format!("/profiles/{profile}/weights/diligence"), &[("weight", "7"), ("minimum", "2")]).await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    let reset = app.post_form(&format!("/profiles/{profile}/weights/diligence/reset"), &[]).await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    assert!(app.store.list_weight_overrides(profile).await.unwrap().is_empty());
}

on_both_backends! {
    async fn overrides_are_stored_per_profile_and_competency(app) {
        let store = &app.store;
        let (company, profile) = demo_companies(chrono::Utc::now().date_naive()).remove(0);
        let company = store.create_company(&company).await.unwrap();
        let profile = store.create_profile(company.id, &profile).await.unwrap();
        let set = |weight, minimum| OverrideRecord { competency_id: "diligence", weight, minimum, set_by: app.admin.user_id };
        store.set_weight_override(profile.id, &set(7, Some(2)), &crate::helpers::by_test(0)).await.unwrap();
        store.set_weight_override(profile.id, &set(8, None), &crate::helpers::by_test(0)).await.unwrap();
        let overrides = store.list_weight_overrides(profile.id).await.unwrap();
        assert_eq!(overrides.len(), 1, "a second override replaces the first");
        assert_eq!((overrides[0].weight, overrides[0].minimum, overrides[0].set_by.as_deref()), (8, None, Some("Test User")));
        assert!(matches!(store.set_weight_override(9999, &set(1, None), &crate::helpers::by_test(0)).await, Err(StoreError::NotFound)));
        store.reset_weight_override(profile.id, "diligence", &crate::helpers::by_test(0)).await.unwrap();
        assert!(matches!(store.reset_weight_override(profile.id, "diligence", &crate::helpers::by_test(0)).await, Err(StoreError::NotFound)));
        store.set_weight_override(profile.id, &set(3, None), &crate::helpers::by_test(0)).await.unwrap();
        store.delete_profile(profile.id, None).await.unwrap();
        assert!(store.list_weight_overrides(profile.id).await.unwrap().is_empty(), "they go with the profile");
    }
}
