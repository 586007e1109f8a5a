//! The start page says what to do next: an administrator's first steps, a recruiter's new
//! applications, waiting candidates and closing ads, a hiring manager's decisions.

use amfit::domain::candidate::Stage;
use amfit::domain::user::Role;
use axum::http::StatusCode;
use serde_json::json;

use crate::applying::open_job;
use crate::helpers::{TestApp, candidate_at_stage, company_json, on_both_backends, profile_json};

on_both_backends! {
    async fn an_administrator_starts_with_the_first_steps_until_they_are_taken(app) {
        let home = app.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("First steps") && !home.body.contains("badge done"), "{}", home.body);
        assert!(home.body.contains("href=\"/admin/users/new\"") && home.body.contains("href=\"/companies/new\""));
        assert!(home.body.contains("Nothing is waiting"), "and, as a recruiter, nothing waits yet");

        app.client(Role::Interviewer, "ivan@amfit.test").await;
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        assert_eq!(app.get("/").await.body.matches("badge done").count(), 2, "colleagues and a company");
        app.create_profile(company, &profile_json()).await;
        let done = app.get("/").await.body;
        assert!(!done.contains("First steps"), "gone once every step is taken");
        let danish = app.get_in("/", "da").await.body;
        assert!(danish.contains("Venter på dig") && danish.contains("Intet venter"), "{danish}");
    }
}

on_both_backends! {
    async fn a_recruiter_sees_new_applications_waiting_candidates_and_closing_ads(app) {
        let recruiter = app.client(Role::Recruiter, "rita@amfit.test").await;
        let (profile, slug) = open_job(&app).await;
        let long_ago = chrono::Utc::now() - chrono::Duration::days(10);
        candidate_at_stage(&app, profile, "Ane Holm", Stage::Screening, long_ago).await;
        candidate_at_stage(&app, profile, "Bo Berg", Stage::Rejected, long_ago).await;
        let sent = crate::applying::apply(&app, &slug, &[crate::applying::field("name", "Cem Aydin"), crate::applying::field("email", "cem@example.dk"), crate::applying::file("cv", "cv.pdf", crate::applying::CV)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);

        let soon = (chrono::Utc::now().date_naive() + chrono::Duration::days(3)).to_string();
        crate::helpers::execute_sql(&app.database_url, &format!("UPDATE publications SET open_until = '{soon}'")).await.unwrap();
        let home = app.as_(&recruiter).get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        let body = &home.body;
        assert!(body.contains("href=\"/candidates?new=true&#38;sort=newest\">1 candidate with a new application</a>"), "{body}");
        assert!(body.contains(&format!("href=\"/profiles/{profile}/pipeline\">1 application waiting in its stage</a>")), "Ane, not the rejected Bo: {body}");
        assert!(body.contains("more than 7 days"));
        assert!(body.contains("An ad closes on"), "the ad's last day is within a week: {body}");
        assert!(!body.contains("First steps"), "a recruiter sets nothing up");

        let new = app.as_(&recruiter).get("/candidates?new=true&sort=newest").await.body;
        assert!(new.contains("Cem Aydin") && !new.contains("Ane Holm"), "the link lists the new ones");
        let api = app.get("/api/v1/candidates?new=true").await.json();
        assert_eq!(api["items"].as_array().unwrap().len(), 1);
        assert_eq!(app.get("/api/v1/candidates?new=maybe").await.rejected_fields(), ["new"]);
    }
}

#[tokio::test]
async fn a_hiring_manager_sees_who_is_ready_for_a_decision_and_an_interviewer_their_interviews() {
    let app = TestApp::sqlite().await;
    let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
    let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let mut body = profile_json();
    body["hiring_manager_id"] = manager.user_id.into();
    let profile = app.create_profile(company, &body).await["id"].as_i64().unwrap();
    let as_manager = app.as_(&manager);
    assert!(as_manager.get("/").await.body.contains("No candidate is ready yet"));

    let mut applications = Vec::new();
    for name in ["Anna", "Bo"] {
        let email = format!("{}@example.dk", name.to_lowercase());
        let candidate =
            app.post_json("/api/v1/candidates", &json!({ "name": name, "email": email })).await.json()["id"]
                .as_i64()
                .unwrap();
        let applied = app
            .post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile }))
            .await;
        let application = applied.json()["id"].as_i64().unwrap();
        let plan = json!({ "interviewer_id": ivan.user_id, "competencies": ["communication"] });
        let assigned = app.post_json(&format!("/api/v1/applications/{application}/interviewers"), &plan).await;
        applications.push(assigned.json()["id"].as_i64().unwrap());
    }
    let content = amfit::domain::scorecard::ScorecardContent {
        ratings: vec![amfit::domain::scorecard::CompetencyRating {
            competency: "communication".into(),
            score: Some(4),
            evidence: "Explained a delayed delivery to a client calmly and with a plan.".into(),
        }],
        recommendation: Some(amfit::domain::scorecard::Recommendation::Yes),
    };
    let version = crate::helpers::shipped_rubric().version.clone();
    app.store.write_scorecard(applications[0], &content, &version, true, &crate::helpers::by_test(0)).await.unwrap();

    let home = as_manager.get("/").await.body;
    assert!(
        home.contains(&format!("href=\"/profiles/{profile}/comparison\">1 candidate ready for a decision</a>")),
        "{home}"
    );
    assert!(home.contains("Anna") && !home.contains("Bo"), "Bo's interviewer has not submitted");
    let interviewer = app.as_(&ivan).get("/").await.body;
    assert!(interviewer.contains("Your interviews") && interviewer.contains("Bo"), "{interviewer}");
    assert!(!interviewer.contains("Waiting for you"), "nothing of a recruiter's");
}
