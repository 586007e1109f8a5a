//! Interview plans: who interviews an applicant on which competencies, and the guide an
//! interviewer works from.

use amfit::domain::candidate::Stage;
use amfit::domain::demo::demo_companies;
use amfit::domain::user::Role;
use amfit::store::{NewApplication, StoreError};
use axum::http::StatusCode;
use serde_json::json;

use amfit::domain::audit::{AuditAction, AuditFilter};

use crate::helpers::{TestApp, by_test, company_json, on_both_backends, profile_json};

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
    // Rejected before the interview was scored, the candidate is no longer work for it; back
    // in the process, they are again.
    app.store.change_stage(application, Stage::Rejected, interviewer.user_id, None, &by_test(0)).await.unwrap();
    assert!(!as_interviewer.get("/").await.body.contains("Sofie Nielsen"), "no interview to score for the rejected");
    let listed = as_interviewer.get("/api/v1/interviews").await.json();
    assert_eq!(listed["items"], json!([]), "nor in the API's list: {listed}");
    app.store.change_stage(application, Stage::Interviewing, interviewer.user_id, None, &by_test(0)).await.unwrap();
    assert!(as_interviewer.get("/").await.body.contains("2 competencies to rate"));
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

/// Posts a submitted scorecard of one competency, "diligence", for `assignment`.
async fn submit_diligence(
    app: &TestApp,
    who: &crate::helpers::Client,
    assignment: i64,
) -> crate::helpers::TestResponse {
    let fields = [
        ("score.diligence", "4"),
        ("evidence.diligence", "Checked every figure twice before the renewal meeting."),
        ("recommendation", "yes"),
        ("action", "submit"),
    ];
    app.as_(who).post_form(&format!("/interviews/{assignment}/scorecard"), &fields).await
}

on_both_backends! {
    async fn an_interviewer_reads_the_cv_from_the_guide_and_goes_on_to_the_next_interview(app) {
        use crate::applying::{CV, apply, field, file, open_job};
        let (profile, slug) = open_job(&app).await;
        let people = [("Nanna Holm", "nanna@example.dk"), ("Jonas Berg", "jonas@example.dk"), ("Amira Haddad", "amira@example.dk")];
        for (name, email) in people {
            let sent = apply(&app, &slug, &[field("name", name), field("email", email), file("cv", "cv.pdf", CV)]).await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        }
        let applications = app.store.list_applications(amfit::store::ApplicationsOf::Profile(profile)).await.unwrap();
        // Nanna also applied for another job, with another CV: not this interview's to show.
        let company = app.get(&format!("/api/v1/profiles/{profile}")).await.json()["company_id"].as_i64().unwrap();
        let deadline = json!({ "application_deadline": crate::helpers::in_days(30) });
        let other_profile = app.create_profile(company, &crate::helpers::with(&profile_json(), deadline)).await["id"].as_i64().unwrap();
        let window = json!({ "slug": "key-account-manager", "until": crate::helpers::in_days(20) });
        let other = crate::jobs::published(&app, other_profile, "# Key account manager\n\nVi søger en key account manager.\n", "da", window).await;
        let again = apply(&app, &other, &[field("name", "Nanna Holm"), field("email", "nanna@example.dk"), file("cv", "andet-cv.pdf", CV)]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        // The job page keeps her second application apart; the recruiter merges it into hers.
        let nanna = applications.iter().find(|a| a.candidate_name == "Nanna Holm").unwrap().application.candidate_id;
        let newer = crate::duplicates::newest(app.store.list_candidates().await.unwrap());
        let version = app.get(&format!("/api/v1/candidates/{nanna}")).await.json()["version"].to_string();
        let versions = [("existing_id", nanna.to_string()), ("version", version), ("duplicate_version", newer.version.to_string())];
        let fields: Vec<(&str, &str)> = versions.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let merged = app.post_form(&format!("/candidates/{}/merge", newer.id), &fields).await;
        assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
        let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let mut plan = Vec::new();
        for application in &applications {
            let path = format!("/api/v1/applications/{}/interviewers", application.application.id);
            let body = json!({ "interviewer_id": ivan.user_id, "competencies": ["diligence"] });
            plan.push((app.post_json(&path, &body).await.json()["id"].as_i64().unwrap(), application.application.candidate_id));
        }
        // Amira is rejected before her interview: hers is no next one to go on to.
        let amira = applications.iter().find(|a| a.candidate_name == "Amira Haddad").unwrap().application.id;
        let rejected = app.put_json(&format!("/api/v1/applications/{amira}/stage"), &json!({ "stage": "rejected" })).await;
        assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
        let (first, first_candidate) = plan[0];
        let nannas = app.store.list_documents(first_candidate).await.unwrap();
        assert_eq!(nannas.len(), 2, "a CV with each application");
        let (cv, her_other_cv) = (nannas[0].id, nannas[1].id);
        let others_cv = app.store.list_documents(plan[1].1).await.unwrap()[0].id;

        let guide = app.as_(&ivan).get(&format!("/interviews/{first}")).await.body;
        let href = format!("/interviews/{first}/documents/{cv}");
        assert!(guide.contains(&format!("href=\"{href}\"")) && guide.contains(&format!("{href}?view=inline")), "{guide}");
        let read = app.as_(&ivan).get(&format!("{href}?view=inline")).await;
        assert_eq!((read.status, read.header("content-type")), (StatusCode::OK, "application/pdf"));
        assert_eq!(read.bytes, CV);
        let trail = app.trail(&AuditFilter { action: Some(AuditAction::ViewCandidate), ..AuditFilter::default() }).await;
        assert!(trail.iter().any(|e| e.detail == format!("document {cv}") && e.actor_id == Some(ivan.user_id)), "on the trail");

        // Only this application's documents, only for its interviewer and those who manage candidates.
        for not_this_application in [her_other_cv, others_cv] {
            let refused = app.as_(&ivan).get(&format!("/interviews/{first}/documents/{not_this_application}")).await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND, "document {not_this_application}");
        }
        assert!(!guide.contains(&format!("/documents/{her_other_cv}")), "nor listed");
        for missing in [format!("/interviews/{first}/documents/999"), format!("/interviews/{first}/documents/x")] {
            assert_eq!(app.as_(&ivan).get(&missing).await.status, StatusCode::NOT_FOUND, "{missing}");
        }
        let other = app.client(Role::Interviewer, "other@amfit.test").await;
        assert_eq!(app.as_(&other).get(&href).await.status, StatusCode::FORBIDDEN);
        assert!(app.anonymous().get(&href).await.location().starts_with("/login?next="), "signed in only");
        let rikke = app.client(Role::Recruiter, "rikke@amfit.test").await;
        assert_eq!(app.as_(&rikke).get(&href).await.status, StatusCode::OK, "a recruiter reads it too");
        let mette = app.client(Role::HiringManager, "mette@amfit.test").await;
        assert_eq!(app.as_(&mette).get(&href).await.status, StatusCode::FORBIDDEN, "not a hiring manager: not their interview");

        // Submitting takes the interviewer on to the next interview; the last one says all is done.
        let submitted = submit_diligence(&app, &ivan, first).await;
        let (second, _) = plan[1];
        assert_eq!(submitted.location(), format!("/interviews/{second}?notice=submitted_next"));
        let next_page = app.as_(&ivan).get(submitted.location()).await.body;
        assert!(next_page.contains("This is your next interview") && next_page.contains("Jonas Berg"), "{next_page}");
        let done_page = app.as_(&ivan).get(&format!("/interviews/{first}")).await.body;
        assert!(done_page.contains(&format!("href=\"/interviews/{second}\"")), "the next interview from the one done");
        let rikkes_view = app.as_(&rikke).get(&format!("/interviews/{first}")).await.body;
        assert!(rikkes_view.contains("it is locked") && !rikkes_view.contains("Next interview"), "a recruiter reading it has no way on of her own");
        let last = submit_diligence(&app, &ivan, second).await;
        assert_eq!(last.location(), format!("/interviews/{second}?notice=submitted"));
        assert!(app.as_(&ivan).get(last.location()).await.body.contains("Every interview assigned to you is scored."));
        let in_danish = [("accept-language", "da")];
        let dansk = app.as_(&ivan).send(axum::http::Method::GET, &format!("/interviews/{second}"), &in_danish, "").await.body;
        assert!(dansk.contains("Det, kandidaten har sendt") && dansk.contains("Alle samtaler, du er sat på, er vurderet."));
    }
}
