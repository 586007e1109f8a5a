//! `/api/v1/profiles`: every operation with good and bad input.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, company_json, in_days, profile_json, with};

async fn app_with_company() -> (TestApp, i64) {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await;
    (app, company["id"].as_i64().unwrap())
}

#[tokio::test]
async fn create_read_list_and_derive_the_account_model() {
    let (app, company) = app_with_company().await;
    let response = app.post_json(&format!("/api/v1/companies/{company}/profiles"), &profile_json()).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let created = response.json();
    assert_eq!(response.location(), format!("/api/v1/profiles/{}", created["id"]));
    assert_eq!(created["account_model"], "portfolio");
    assert_eq!(created["company_id"], company);
    assert_eq!(created["client_industries_en"], json!(["Retail", "Hospitality"]));
    assert_eq!(created["client_industries_da"], json!(["Detailhandel", "Hotel og restauration"]));
    assert_eq!(created["duties"], json!(["renewals", "onboarding"]));
    assert_eq!(created["salary_currency"], "DKK");
    assert_eq!(app.get(response.location()).await.json(), created);
    assert_eq!(app.get("/api/v1/profiles").await.json()["items"].as_array().unwrap().len(), 1);
    let of_company = app.get(&format!("/api/v1/companies/{company}/profiles")).await.json();
    assert_eq!(of_company["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_account_model_follows_the_client_mix() {
    let (app, company) = app_with_company().await;
    let cases = [
        (
            json!({ "accounts_per_manager": 1, "key_accounts_per_manager": 1, "typical_client_size": "enterprise" }),
            "key_account",
        ),
        (json!({ "accounts_per_manager": 12, "key_accounts_per_manager": 4 }), "mixed"),
        (json!({ "accounts_per_manager": 60, "key_accounts_per_manager": 0 }), "portfolio"),
    ];
    for (mix, model) in cases {
        let created = app.create_profile(company, &with(&profile_json(), mix.clone())).await;
        assert_eq!(created["account_model"], model, "{mix}");
    }
}

#[tokio::test]
async fn bad_fields_are_named_and_nothing_is_saved() {
    let (app, company) = app_with_company().await;
    let path = format!("/api/v1/companies/{company}/profiles");
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({ "title": "  " }), vec!["title"]),
        (json!({ "title": "t".repeat(201) }), vec!["title"]),
        (json!({ "accounts_per_manager": 0 }), vec!["accounts_per_manager"]),
        (json!({ "accounts_per_manager": 1001 }), vec!["accounts_per_manager"]),
        (json!({ "accounts_per_manager": 3, "key_accounts_per_manager": 4 }), vec!["key_accounts_per_manager"]),
        (json!({ "ad_language": "de" }), vec!["ad_language"]),
        (json!({ "typical_client_size": "galactic" }), vec!["typical_client_size"]),
        (json!({ "growth_focus": 3 }), vec!["growth_focus"]),
        (json!({ "meeting_cadence": "daily" }), vec!["meeting_cadence"]),
        (json!({ "presentation_frequency": "never" }), vec!["presentation_frequency"]),
        (json!({ "remote_option": "moon" }), vec!["remote_option"]),
        (json!({ "duties": ["renewals", "golf"] }), vec!["duties"]),
        (json!({ "travel_share": 101 }), vec!["travel_share"]),
        (json!({ "weekly_hours": 0 }), vec!["weekly_hours"]),
        (json!({ "application_deadline": in_days(-1) }), vec!["application_deadline"]),
        (json!({ "application_deadline": "2001-01-01" }), vec!["application_deadline"]),
        (json!({ "application_deadline": in_days(90), "start_date": in_days(60) }), vec!["application_deadline"]),
        (json!({ "start_date": "31/12/2027" }), vec!["start_date"]),
        (json!({ "salary_min": 50000, "salary_max": 40000 }), vec!["salary_max"]),
        (json!({ "salary_max": null }), vec!["salary_max"]),
        (json!({ "salary_currency": "kroner" }), vec!["salary_currency"]),
        (json!({ "contact_email": "mette at example" }), vec!["contact_email"]),
        (json!({ "client_industries_en": "Retail" }), vec!["client_industries_en"]),
        (
            json!({ "client_industries_da": (0..21).map(|i| format!("Branche {i}")).collect::<Vec<_>>() }),
            vec!["client_industries_da"],
        ),
    ];
    for (changes, fields) in cases {
        let response = app.post_json(&path, &with(&profile_json(), changes.clone())).await;
        let mut rejected = response.rejected_fields();
        rejected.sort();
        let mut expected: Vec<_> = fields.iter().map(|f| f.to_string()).collect();
        expected.sort();
        assert_eq!(rejected, expected, "for {changes}");
    }
    assert_eq!(app.profile_count().await, 0);
}

#[tokio::test]
async fn an_unknown_choice_lists_the_allowed_values() {
    let (app, company) = app_with_company().await;
    let body = with(&profile_json(), json!({ "meeting_cadence": "hourly" }));
    let response = app.post_json(&format!("/api/v1/companies/{company}/profiles"), &body).await;
    let error = &response.json()["errors"][0];
    assert_eq!(error["code"], "unknown_choice");
    assert_eq!(error["allowed"], json!(["weekly", "monthly", "quarterly", "ad_hoc"]));
    assert!(error["message"].as_str().unwrap().contains("ad_hoc"));
}

#[tokio::test]
async fn a_profile_needs_an_existing_company() {
    let app = TestApp::sqlite().await;
    let response = app.post_json("/api/v1/companies/77/profiles", &profile_json()).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/companies/77/profiles").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.profile_count().await, 0);
}

#[tokio::test]
async fn update_is_versioned_and_keeps_a_passed_deadline() {
    let (app, company) = app_with_company().await;
    let created = app.create_profile(company, &profile_json()).await;
    let path = format!("/api/v1/profiles/{}", created["id"]);

    let renamed = with(&profile_json(), json!({ "version": 1, "title": "Key Account Manager" }));
    let first = app.put_json(&path, &renamed).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["version"], 2);

    let stale = app.put_json(&path, &with(&profile_json(), json!({ "version": 1, "title": "Other" }))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(app.get(&path).await.json()["title"], "Key Account Manager");

    let moved_into_past = with(&profile_json(), json!({ "version": 2, "application_deadline": "2020-01-01" }));
    assert_eq!(app.put_json(&path, &moved_into_past).await.rejected_fields(), ["application_deadline"]);

    let unknown = app.put_json("/api/v1/profiles/999", &with(&profile_json(), json!({ "version": 1 }))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delete_then_gone() {
    let (app, company) = app_with_company().await;
    let created = app.create_profile(company, &profile_json()).await;
    let path = format!("/api/v1/profiles/{}", created["id"]);
    assert_eq!(app.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn employment_interviews_and_the_application_link_reach_the_ad() {
    let (app, company) = app_with_company().await;
    let plain = app.post_json(&format!("/api/v1/companies/{company}/profiles"), &profile_json()).await.json();
    assert_eq!(
        (plain["employment"].as_str(), plain["interviewing"].as_str()),
        (Some("permanent"), Some("after_deadline"))
    );
    assert!(plain["apply_url"].is_null());

    let body = with(
        &profile_json(),
        json!({ "employment": "fixed_term", "interviewing": "as_applications_come", "apply_url": "https://jobs.example/am" }),
    );
    let created = app.post_json(&format!("/api/v1/companies/{company}/profiles"), &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let ad = app.get(&format!("/api/v1/profiles/{id}/ad?language=da")).await.body;
    assert!(ad.contains("- Ansættelsesform: tidsbegrænset stilling, fuldtid"), "{ad}");
    assert!(ad.contains("Søg via https://jobs.example/am. Vi indkalder løbende til samtaler"), "{ad}");
    let posting = app.get(&format!("/api/v1/profiles/{id}/ad?format=jsonld")).await.json();
    assert_eq!(posting["employmentType"], json!(["FULL_TIME", "TEMPORARY"]));

    for (bad, field) in [
        (json!({ "apply_url": "jobs.example/am" }), "apply_url"),
        (json!({ "apply_url": "javascript:alert(1)" }), "apply_url"),
        (json!({ "employment": "forever" }), "employment"),
        (json!({ "interviewing": "never" }), "interviewing"),
    ] {
        let refused =
            app.post_json(&format!("/api/v1/companies/{company}/profiles"), &with(&profile_json(), bad)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(refused.rejected_fields(), [field]);
    }
    assert_eq!(
        app.get("/api/v1/profiles").await.json()["items"].as_array().unwrap().len(),
        2,
        "nothing refused was saved"
    );
}

#[tokio::test]
async fn requirements_and_terms_written_in_reach_the_ad_in_its_language() {
    let (app, company) = app_with_company().await;
    let plain = app.post_json(&format!("/api/v1/companies/{company}/profiles"), &profile_json()).await.json();
    assert_eq!((plain["driving_licence"].as_bool(), plain["invite_all"].as_bool()), (Some(false), Some(false)));
    assert!(plain["language_da"].is_null() && plain["experience_years"].is_null());

    let body = with(
        &profile_json(),
        json!({
            "experience_years": 3,
            "education_da": "en merkantil uddannelse",
            "language_da": "fluent",
            "language_en": "business",
            "driving_licence": true,
            "pension_percent": "10",
            "variable_pay": "commission",
            "reports_to_da": "salgschefen",
            "invite_all": true,
        }),
    );
    let created = app.post_json(&format!("/api/v1/companies/{company}/profiles"), &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let profile = created.json();
    assert_eq!((profile["experience_years"].as_i64(), profile["pension_percent"].as_i64()), (Some(3), Some(10)));
    assert_eq!(
        (profile["language_en"].as_str(), profile["variable_pay"].as_str()),
        (Some("business"), Some("commission"))
    );
    assert_eq!(profile["driving_licence"], json!(true));
    let id = profile["id"].as_i64().unwrap();

    let danish = app.get(&format!("/api/v1/profiles/{id}/ad?language=da")).await.body;
    for line in [
        "- Du har mindst 3 års erfaring med kundeansvar",
        "- Du har en merkantil uddannelse\n",
        "- Du behersker dansk flydende og engelsk på forhandlingsniveau i skrift og tale\n",
        "- Du har kørekort til bil, da jobbet indebærer kørsel til kunderne\n",
        "- Pension: vi indbetaler 10 % oven i din løn\n",
        "- Løn: 36.000–42.000 DKK om måneden plus provision\n",
        " Du refererer til salgschefen.\n",
        "Vi opfordrer alle kvalificerede til at søge – uanset alder, køn, religion, handicap eller etnisk baggrund.",
    ] {
        assert!(danish.contains(line), "{line:?} in\n{danish}");
    }
    // Education and the reporting line were given in Danish only: the English ad says so and
    // quotes no Danish.
    let english = app.get(&format!("/api/v1/profiles/{id}/ad?language=en")).await;
    assert!(english.body.contains("[Missing: the education required, in English."), "{}", english.body);
    assert!(english.body.contains("[Missing: whom the position reports to, in English."), "{}", english.body);
    assert!(!english.body.contains("merkantil") && !english.body.contains("salgschefen"), "{}", english.body);
    let editor = app.get(&format!("/profiles/{id}/ad?language=en")).await.body;
    assert!(editor.contains("whom the position reports to, in the ad&#39;s language"), "{editor}");

    for (bad, field) in [
        (json!({ "experience_years": 0 }), "experience_years"),
        (json!({ "experience_years": 16 }), "experience_years"),
        (json!({ "language_de": "native" }), "language_de"),
        (json!({ "driving_licence": "maybe" }), "driving_licence"),
        (json!({ "invite_all": 1 }), "invite_all"),
        (json!({ "pension_percent": 31 }), "pension_percent"),
        (json!({ "variable_pay": "shares" }), "variable_pay"),
        (json!({ "reports_to_en": "x".repeat(201) }), "reports_to_en"),
        (json!({ "education_da": "x".repeat(201) }), "education_da"),
    ] {
        let refused =
            app.post_json(&format!("/api/v1/companies/{company}/profiles"), &with(&profile_json(), bad)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", refused.body);
        assert_eq!(refused.rejected_fields(), [field]);
    }
    assert_eq!(
        app.get("/api/v1/profiles").await.json()["items"].as_array().unwrap().len(),
        2,
        "nothing refused was saved"
    );
}

#[tokio::test]
async fn the_interview_kit_fits_its_length_and_names_what_it_left_out() {
    let (app, company) = app_with_company().await;
    let id = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let hour = app.get(&format!("/api/v1/profiles/{id}/kit")).await;
    assert_eq!(hour.status, StatusCode::OK, "{}", hour.body);
    let hour = hour.json();
    assert_eq!((hour["minutes"].as_u64(), hour["language"].as_str()), (Some(60), Some("en")), "the reader's language");
    let danish = app.get(&format!("/api/v1/profiles/{id}/kit?language=da")).await.json();
    assert_eq!(danish["language"], "da");
    assert!(danish["competencies"][0]["do_not_score"].as_str().unwrap().starts_with("Ikke"), "as asked");
    let asked = |kit: &Value| -> u64 {
        kit["competencies"].as_array().unwrap().iter().map(|c| c["questions"].as_array().unwrap().len() as u64).sum()
    };
    assert!(asked(&hour) <= 10);
    assert!(hour["question_minutes"].as_u64().unwrap() + hour["frame_minutes"].as_u64().unwrap() <= 60);
    let first = &hour["competencies"][0];
    assert!(first["minimum"].is_i64(), "must-haves come first");
    assert_eq!(first["anchors"].as_array().unwrap().len(), 5);
    assert!(first["do_not_score"].as_str().unwrap().starts_with("Not"), "in the reader's language");

    let free = hour["minutes"].as_u64().unwrap()
        - hour["frame_minutes"].as_u64().unwrap()
        - hour["question_minutes"].as_u64().unwrap();
    assert!(hour["probe_minutes"].as_u64() == Some(free) && free >= 8, "time to probe: {hour}");

    let half = app.get(&format!("/api/v1/profiles/{id}/kit?minutes=30")).await.json();
    assert!(asked(&half) < asked(&hour));
    let left_out = half["left_out"].as_array().unwrap();
    let of_ad = half["left_out_named_in_ad"].as_array().unwrap();
    assert!(!of_ad.is_empty() && of_ad.iter().all(|left| left_out.contains(&left["competency"])), "said apart: {half}");
    let renewals = of_ad.iter().find(|left| left["competency"] == "negotiation").expect("negotiation, for renewals");
    assert_eq!(renewals["work"], json!(["renewals"]), "{half}");
    let web = app.get(&format!("/profiles/{id}/kit?minutes=30")).await.body;
    assert!(web.contains("The ad names this work, but 30 minutes leave no time to probe it: "), "{web}");
    assert!(web.contains("(contract renewals)"), "with the work it is named for: {web}");
    for bad in ["50", "soon", "0"] {
        let refused = app.get(&format!("/api/v1/profiles/{id}/kit?minutes={bad}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(refused.rejected_fields(), ["minutes"]);
    }
    let refused = app.get(&format!("/api/v1/profiles/{id}/kit?language=sv")).await;
    assert_eq!(refused.rejected_fields(), ["language"]);
    assert_eq!(app.get("/api/v1/profiles/999/kit").await.status, StatusCode::NOT_FOUND);
}
