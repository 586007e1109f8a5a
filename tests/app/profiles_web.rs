//! Role profile pages.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, as_form, borrowed, company_json, in_days, profile_json, with};

async fn app_with_company() -> (TestApp, i64) {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await;
    (app, company["id"].as_i64().unwrap())
}

#[tokio::test]
async fn the_new_form_starts_with_sensible_defaults() {
    let (app, company) = app_with_company().await;
    let form = app.get(&format!("/companies/{company}/profiles/new")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains("name=\"weekly_hours\" type=\"number\" inputmode=\"numeric\" min=\"1\" max=\"60\" value=\"37\"")
    );
    assert!(form.body.contains("value=\"DKK\""));
    assert!(form.body.contains("type=\"checkbox\" name=\"duties\" value=\"renewals\""));
}

#[tokio::test]
async fn create_from_the_form_and_show_everything() {
    let (app, company) = app_with_company().await;
    let fields = as_form(&profile_json());
    let created = app.post_form(&format!("/companies/{company}/profiles"), &borrowed(&fields)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page = app.get(created.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Account model: Portfolio",
        "Retail, Hospitality",
        "36,000–42,000 DKK per month",
        "Contract renewals",
        "Onboarding new clients",
        "37 hours a week",
        "Mette Holm",
    ] {
        assert!(page.body.contains(text), "the profile page shows {text:?}");
    }
    let list = app.get("/profiles").await;
    assert!(list.body.contains("Account Manager") && list.body.contains("Nordlys Digital ApS"));
    let company_page = app.get(&format!("/companies/{company}")).await;
    assert!(company_page.body.contains("Account Manager"));
}

#[tokio::test]
async fn bad_values_come_back_with_messages_and_save_nothing() {
    let (app, company) = app_with_company().await;
    let bad = with(
        &profile_json(),
        json!({
            "accounts_per_manager": "3",
            "key_accounts_per_manager": "5",
            "typical_client_size": "galactic",
            "application_deadline": in_days(90),
            "start_date": in_days(30),
            "title": ""
        }),
    );
    let fields = as_form(&bad);
    let response = app.post_form(&format!("/companies/{company}/profiles"), &borrowed(&fields)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "There cannot be more key accounts than accounts.",
        "Choose one of the listed options",
        "The application deadline must not be after the start date.",
        "This field is required.",
    ] {
        assert!(response.body.contains(message), "{message}");
    }
    assert!(response.body.contains("value=\"Retail, Hospitality\""), "typed values are kept");
    assert!(response.body.contains("value=\"renewals\" checked"), "ticked duties stay ticked");
    assert_eq!(app.profile_count().await, 0);
}

#[tokio::test]
async fn an_empty_form_names_every_required_field() {
    let (app, company) = app_with_company().await;
    let response = app.post_form(&format!("/companies/{company}/profiles"), &[]).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "title",
        "ad_language",
        "accounts_per_manager",
        "typical_client_size",
        "growth_focus",
        "location",
        "weekly_hours",
    ] {
        assert!(response.body.contains(&format!("id=\"error-{field}\"")), "{field}");
    }
}

#[tokio::test]
async fn edit_and_stale_edit() {
    let (app, company) = app_with_company().await;
    let id = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let edit = app.get(&format!("/profiles/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"Account Manager\""));

    let mut first = as_form(&with(&profile_json(), json!({ "title": "Senior Account Manager" })));
    first.push(("version".into(), "1".into()));
    let saved = app.post_form(&format!("/profiles/{id}"), &borrowed(&first)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let mut stale = as_form(&with(&profile_json(), json!({ "title": "Junior Account Manager" })));
    stale.push(("version".into(), "1".into()));
    let conflict = app.post_form(&format!("/profiles/{id}"), &borrowed(&stale)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.body.contains("value=\"Senior Account Manager\""));
    assert!(conflict.body.contains("Junior Account Manager"), "what this user typed is shown");
    assert_eq!(app.store.get_profile(id).await.unwrap().details.title, "Senior Account Manager");
}

#[tokio::test]
async fn delete_asks_first() {
    let (app, company) = app_with_company().await;
    let id = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let confirm = app.get(&format!("/profiles/{id}/delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Do you want to delete the role profile Account Manager?"));
    let deleted = app.post_form(&format!("/profiles/{id}/delete"), &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(deleted.location(), format!("/companies/{company}?notice=deleted"));
    assert_eq!(app.get(&format!("/profiles/{id}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn requirements_and_terms_are_written_in_shown_and_edited_on_the_form() {
    let (app, company) = app_with_company().await;
    let form = app.get(&format!("/companies/{company}/profiles/new")).await.body;
    assert!(
        form.contains("name=\"driving_licence\" value=\"true\" aria-describedby=\"hint-driving_licence\">"),
        "an unticked box for the licence"
    );
    assert!(form.contains("<option value=\"business\">Business level</option>"), "a level for each language");

    let mut fields = as_form(&with(
        &profile_json(),
        json!({
            "experience_years": "2",
            "language_da": "fluent",
            "language_sv": "conversational",
            "pension_percent": "8",
            "variable_pay": "bonus",
            "reports_to_en": "the Head of Sales",
        }),
    ));
    fields.push(("invite_all".into(), "true".into()));
    let created = app.post_form(&format!("/companies/{company}/profiles"), &borrowed(&fields)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page = app.get(created.location()).await.body;
    for fact in
        ["2 years", "Danish: Fluent, written and spoken, Swedish: Conversational", "8 %", "Bonus", "the Head of Sales"]
    {
        assert!(page.contains(fact), "the profile page shows {fact:?}");
    }
    let id = created.location().trim_start_matches("/profiles/").split('?').next().unwrap().to_owned();
    let edit = app.get(&format!("/profiles/{id}/edit")).await.body;
    assert!(
        edit.contains("name=\"invite_all\" value=\"true\" checked aria-describedby"),
        "the ticked box stays ticked"
    );
    assert!(
        edit.contains("name=\"driving_licence\" value=\"true\" aria-describedby=\"hint-driving_licence\">"),
        "the unticked one stays unticked"
    );
    assert!(edit.contains("<option value=\"conversational\" selected>"), "{edit}");

    let mut unticked = as_form(&profile_json());
    unticked.push(("version".into(), "1".into()));
    let saved = app.post_form(&format!("/profiles/{id}"), &borrowed(&unticked)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = app.store.get_profile(id.parse().unwrap()).await.unwrap().details;
    assert!(!stored.terms.invite_all, "a box left unticked is a no");

    let mut bad = as_form(&with(&profile_json(), json!({ "language_de": "native", "pension_percent": "x" })));
    bad.push(("driving_licence".into(), "perhaps".into()));
    let refused = app.post_form(&format!("/companies/{company}/profiles"), &borrowed(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["Choose one of the listed options", "Enter a whole number.", "Answer yes or no"] {
        assert!(refused.body.contains(message), "{message}");
    }
}

crate::helpers::on_both_backends! {
    async fn the_rubric_version_is_shown_as_a_number_and_a_date_with_its_hash_in_a_tooltip(app) {
        let company = app.create_company(&crate::helpers::company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &crate::helpers::profile_json()).await["id"].as_i64().unwrap();
        let hash = crate::helpers::shipped_rubric().version.clone();
        let today = chrono::Utc::now().date_naive();
        let page = app.get(&format!("/profiles/{profile}")).await.body;
        let english = amfit::domain::written::date(&today, amfit::domain::profile::AdLanguage::En);
        let shown = format!("<span title=\"{hash}\">Rubric version 1, in use since {english}</span>");
        assert!(page.contains(&shown), "{shown} in {page}");
        assert_eq!(page.matches(hash.as_str()).count(), 1, "the hash only in the tooltip");

        // A later rubric is the next number; the first keeps its own.
        let (second, _) = app.store.rubric_edition("a-later-rubric").await.unwrap();
        assert_eq!(second, 2);
        assert_eq!(app.store.rubric_edition(&hash).await.unwrap().0, 1);
        assert_eq!(app.store.rubric_edition("a-later-rubric").await.unwrap().0, 2);
    }
}
