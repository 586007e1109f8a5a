//! Interview plans: who interviews an applicant on which competencies, and the guide an
//! interviewer works from.

use amfit::domain::demo::demo_companies;
use amfit::domain::user::Role;
use amfit::store::{NewApplication, StoreError};
use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, company_json, on_both_backends, profile_json};

/// An app with a profile, a candidate who applied to it, and an interviewer.
async fn app_with_application() -> (TestApp, i64, i64, crate::helpers::Client) {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let candidate =
        app.post_json("/api/v1/candidates", &json!({ "name": "Sofie Nielsen", "email": "sofie@example.dk" })).await;
    let candidate = candidate.json()["id"].as_i64().unwrap();
    let applied =
        app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
    let application = applied.json()["id"].as_i64().unwrap();
    let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
    (app, candidate, application, interviewer)
}

#[tokio::test]
async fn a_recruiter_plans_who_rates_what() {
    let (app, _, application, interviewer) = app_with_application().await;
    let path = format!("/api/v1/applications/{application}/interviewers");
    let body = json!({ "interviewer_id": interviewer.user_id, "competencies": ["communication", "customer_service"] });
    let assigned = app.post_json(&path, &body).await;
    assert_eq!(assigned.status, StatusCode::CREATED, "{}", assigned.body);
    assert_eq!(assigned.json()["competencies"], json!(["communication", "customer_service"]));

    let again = json!({ "interviewer_id": interviewer.user_id, "competencies": ["diligence"] });
    assert_eq!(app.post_json(&path, &again).await.status, StatusCode::CREATED);
    let plan = app.get(&path).await.json();
    assert_eq!(plan.as_array().unwrap().len(), 1, "assigning again replaces the competencies");
    assert_eq!(plan[0]["competencies"], json!(["diligence"]));
    assert_eq!(plan[0]["interviewer_name"], "Test User");

    let gone = app.client(Role::Interviewer, "gone@amfit.test").await;
    app.store.set_user_active(gone.user_id, false, &crate::helpers::by_test(0)).await.unwrap();
    for (body, field) in [
        (json!({ "interviewer_id": interviewer.user_id, "competencies": [] }), "competencies"),
        (json!({ "interviewer_id": interviewer.user_id, "competencies": ["golf"] }), "competencies"),
        (json!({ "interviewer_id": 999, "competencies": ["diligence"] }), "interviewer_id"),
        (json!({ "interviewer_id": gone.user_id, "competencies": ["diligence"] }), "interviewer_id"),
        (json!({ "competencies": ["diligence"] }), "interviewer_id"),
    ] {
        assert_eq!(app.post_json(&path, &body).await.rejected_fields(), [field], "{body}");
    }
    assert_eq!(app.post_json("/api/v1/applications/999/interviewers", &again).await.status, StatusCode::NOT_FOUND);

    let id = plan[0]["id"].as_i64().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/assignments/{id}")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.delete(&format!("/api/v1/assignments/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(app.get(&path).await.json().as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_interviewer_sees_their_interviews_and_the_guide_only() {
    let (app, candidate, application, interviewer) = app_with_application().await;
    let form = app
        .post_form(
            &format!("/applications/{application}/interviewers"),
            &[
                ("interviewer_id", &interviewer.user_id.to_string()),
                ("competencies", "presentation"),
                ("competencies", "reliability"),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/candidates/{candidate}")).await.body;
    assert!(page.contains("Presenting and leading client meetings, Reliability"), "the plan is on the candidate page");

    let as_interviewer = app.as_(&interviewer);
    let home = as_interviewer.get("/").await;
    assert!(home.body.contains("Sofie Nielsen") && home.body.contains("2 competencies to rate"));
    let assignment = app.store.list_assignments(application).await.unwrap()[0].id;
    // The list says where the scorecard stands, not what was assigned.
    let rating = |score| amfit::domain::scorecard::CompetencyRating {
        competency: "presentation".into(),
        score,
        evidence: "Walked a sceptical buyer through the numbers.".into(),
    };
    let card = amfit::domain::scorecard::ScorecardContent { ratings: vec![rating(Some(4))], recommendation: None };
    app.store.write_scorecard(assignment, &card, "test", false, &crate::helpers::by_test(0)).await.unwrap();
    assert!(as_interviewer.get("/").await.body.contains("Draft saved: not yet submitted"));
    app.store.write_scorecard(assignment, &card, "test", true, &crate::helpers::by_test(0)).await.unwrap();
    let home = as_interviewer.get("/").await.body;
    assert!(home.contains("badge done\">Submitted") && !home.contains("competencies to rate"), "{home}");
    let guide = as_interviewer.get(&format!("/interviews/{assignment}")).await;
    assert_eq!(guide.status, StatusCode::OK);
    assert!(
        guide.body.contains("Describes winning over a sceptical audience"),
        "the anchors of an assigned competency"
    );
    assert!(guide.body.contains("Tell me about a promise to a client that you could not keep."), "and its questions");
    assert!(!guide.body.contains("Customer service"), "nothing they were not assigned");
    assert!(app.get_in(&format!("/interviews/{assignment}"), "da").await.body.contains("Samtaleguide"));

    let other = app.client(Role::Interviewer, "other@amfit.test").await;
    assert_eq!(app.as_(&other).get(&format!("/interviews/{assignment}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(as_interviewer.get(&format!("/candidates/{candidate}")).await.status, StatusCode::FORBIDDEN);

    let bad = app
        .post_form(
            &format!("/applications/{application}/interviewers"),
            &[("interviewer_id", &interviewer.user_id.to_string())],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("This field is required."));
    let removed = app.post_form(&format!("/assignments/{assignment}/remove"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(as_interviewer.get("/").await.body.contains("Nothing is assigned to you yet"));
}

on_both_backends! {
    async fn assignments_are_stored(app) {
        let store = &app.store;
        let (company, profile) = demo_companies(chrono::Utc::now().date_naive()).remove(0);
        let company = store.create_company(&company).await.unwrap();
        let profile = store.create_profile(company.id, &profile).await.unwrap();
        let input = amfit::domain::candidate::CandidateInput { name: Some("Ada".into()), email: Some("ada@example.dk".into()), ..Default::default() };
        let candidate = store.create_candidate(&input.parse(chrono::Utc::now().date_naive()).unwrap()).await.unwrap();
        let new = NewApplication { candidate_id: candidate.id, profile_id: profile.id, applied_on: chrono::Utc::now().date_naive(), by: app.admin.user_id };
        let application = store.create_application(new).await.unwrap().application.id;
        let competencies = vec!["communication".to_owned(), "diligence".to_owned()];
        let assignment = store.assign(application, app.admin.user_id, &competencies).await.unwrap();
        assert_eq!(assignment.competencies, competencies);
        assert_eq!(store.list_assignments_of(app.admin.user_id).await.unwrap()[0].1.candidate_name, "Ada");
        assert!(matches!(store.assign(9999, app.admin.user_id, &competencies).await, Err(StoreError::NotFound)));
        assert!(matches!(store.assign(application, 9999, &competencies).await, Err(StoreError::NotFound)));
        store.remove_assignment(assignment.id, &[]).await.unwrap();
        assert!(store.list_assignments(application).await.unwrap().is_empty());
    }
}
