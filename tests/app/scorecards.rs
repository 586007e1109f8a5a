//! Scorecards: drafts, submission that locks, corrections as new versions, independence, and
//! the fit they add up to.

use amfit::domain::demo::demo_companies;
use amfit::domain::scorecard::{CompetencyRating, Recommendation, ScorecardContent};
use amfit::domain::user::Role;
use amfit::store::{NewApplication, ScorecardsOf, StoreError};
use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{Client, TestApp, company_json, on_both_backends, profile_json};

const EVIDENCE: &str = "Explained a delay to a client plainly and followed up in writing.";

/// A profile, an applicant, and two interviewers assigned communication and customer service.
async fn interview(app: TestApp) -> (TestApp, i64, i64, [(Client, i64); 2]) {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let candidate =
        app.post_json("/api/v1/candidates", &json!({ "name": "Sofie Nielsen", "email": "sofie@example.dk" })).await;
    let candidate = candidate.json()["id"].as_i64().unwrap();
    let applied =
        app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
    let application = applied.json()["id"].as_i64().unwrap();
    let mut panel = Vec::new();
    for email in ["ivan@amfit.test", "iris@amfit.test"] {
        let interviewer = app.client(Role::Interviewer, email).await;
        let body =
            json!({ "interviewer_id": interviewer.user_id, "competencies": ["communication", "customer_service"] });
        let assignment = app.post_json(&format!("/api/v1/applications/{application}/interviewers"), &body).await.json()
            ["id"]
            .as_i64()
            .unwrap();
        panel.push((interviewer, assignment));
    }
    let panel: [(Client, i64); 2] = panel.try_into().map_err(|_| ()).unwrap();
    (app, candidate, application, panel)
}

async fn score(
    app: &TestApp,
    who: &Client,
    assignment: i64,
    communication: &str,
    service: &str,
    action: &str,
) -> crate::helpers::TestResponse {
    let fields = [
        ("score.communication", communication),
        ("evidence.communication", EVIDENCE),
        ("score.customer_service", service),
        ("evidence.customer_service", EVIDENCE),
        ("recommendation", "yes"),
        ("action", action),
    ];
    app.as_(who).post_form(&format!("/interviews/{assignment}/scorecard"), &fields).await
}

on_both_backends! {
    async fn a_scorecard_is_drafted_submitted_locked_and_corrected(app) {
        let (app, _, application, [(ivan, ivan_assignment), _]) = interview(app).await;
        let draft = app
            .as_(&ivan)
            .post_form(
                &format!("/interviews/{ivan_assignment}/scorecard"),
                &[("score.communication", "4"), ("action", "draft")],
            )
            .await;
        assert_eq!(draft.status, StatusCode::SEE_OTHER, "{}", draft.body);
        assert!(app.as_(&ivan).get(&format!("/interviews/{ivan_assignment}")).await.body.contains("value=\"4\" checked"));
        let filter = amfit::domain::audit::AuditFilter {
            action: Some(amfit::domain::audit::AuditAction::ChangeScore),
            ..Default::default()
        };
        let trail = app.trail(&filter).await;
        let on_trail: Vec<(Option<i64>, i64, &str)> =
            trail.iter().map(|e| (e.actor_id, e.subject_id, e.detail.as_str())).collect();
        assert_eq!(on_trail, [(Some(ivan.user_id), ivan_assignment, "draft saved")], "the change is on the audit trail");

        let incomplete = app
            .as_(&ivan)
            .post_form(
                &format!("/interviews/{ivan_assignment}/scorecard"),
                &[("score.communication", "4"), ("evidence.communication", "Fine."), ("action", "submit")],
            )
            .await;
        assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(incomplete.body.contains("Write what you saw or heard that supports the rating"));
        assert!(incomplete.body.contains("This field is required."), "the unrated competency and the recommendation");
        for bad in ["0", "6", "2.5", "great"] {
            let response = score(&app, &ivan, ivan_assignment, bad, "4", "submit").await;
            assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
        let unassigned = app
            .as_(&ivan)
            .post_form(
                &format!("/interviews/{ivan_assignment}/scorecard"),
                &[("score.presentation", "5"), ("action", "draft")],
            )
            .await;
        assert_eq!(unassigned.status, StatusCode::UNPROCESSABLE_ENTITY, "a rating of an unassigned competency is refused");
        assert!(unassigned.body.contains("This competency is not assigned to you for this candidate."));
        assert!(
            app.store.list_scorecards(ScorecardsOf::Application(application)).await.unwrap()[0]
                .ratings
                .iter()
                .all(|r| r.competency != "presentation")
        );

        assert_eq!(score(&app, &ivan, ivan_assignment, "4", "not_assessed", "submit").await.status, StatusCode::SEE_OTHER);
        let locked = app.as_(&ivan).get(&format!("/interviews/{ivan_assignment}")).await.body;
        assert!(locked.contains("it is locked") && locked.contains("disabled"));
        let again = score(&app, &ivan, ivan_assignment, "5", "5", "submit").await;
        assert_eq!(again.status, StatusCode::CONFLICT, "a second submit is refused");

        let corrected = app.as_(&ivan).post_form(&format!("/interviews/{ivan_assignment}/correction"), &[]).await;
        assert_eq!(corrected.status, StatusCode::SEE_OTHER);
        assert_eq!(score(&app, &ivan, ivan_assignment, "3", "4", "submit").await.status, StatusCode::SEE_OTHER);
        let cards = app.store.list_scorecards(ScorecardsOf::Application(application)).await.unwrap();
        assert_eq!(cards.iter().map(|c| (c.number, c.is_submitted())).collect::<Vec<_>>(), [(1, true), (2, true)]);
        let page = app.as_(&ivan).get(&format!("/interviews/{ivan_assignment}")).await.body;
        assert!(page.contains("Earlier versions") && page.contains("version 1"), "the old version stays visible");
    }
}

#[tokio::test]
async fn interviewers_rate_independently() {
    let (app, _, _, [(ivan, ivan_assignment), (iris, iris_assignment)]) = interview(TestApp::sqlite().await).await;
    assert_eq!(score(&app, &iris, iris_assignment, "2", "5", "submit").await.status, StatusCode::SEE_OTHER);
    let before = app.as_(&ivan).get(&format!("/interviews/{ivan_assignment}")).await.body;
    assert!(!before.contains("The other interviewers"), "no peeking before submitting");
    assert_eq!(app.as_(&ivan).get(&format!("/interviews/{iris_assignment}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        score(&app, &ivan, iris_assignment, "5", "5", "submit").await.status,
        StatusCode::FORBIDDEN,
        "not their assignment"
    );
    assert_eq!(score(&app, &ivan, ivan_assignment, "4", "4", "submit").await.status, StatusCode::SEE_OTHER);
    let after = app.as_(&ivan).get(&format!("/interviews/{ivan_assignment}")).await.body;
    assert!(after.contains("The other interviewers"), "after submitting, the panel's scorecards show");
}

#[tokio::test]
async fn the_fit_adds_up_the_submitted_scorecards() {
    let (app, candidate, application, [(ivan, ivan_assignment), (iris, iris_assignment)]) =
        interview(TestApp::sqlite().await).await;
    let unscored = app.get(&format!("/api/v1/applications/{application}/fit")).await.json();
    assert!(unscored["fit"].is_null());
    assert_eq!(unscored["coverage"], 0.0);

    score(&app, &ivan, ivan_assignment, "4", "5", "submit").await;
    score(&app, &iris, iris_assignment, "2", "5", "draft").await;
    let one = app.get(&format!("/api/v1/applications/{application}/fit")).await.json();
    // communication (weight 5) 4 → 0.75, customer service (5 + 1 for onboarding = 6) 5 → 1.0:
    // (5·0.75 + 6·1.0) / 11 · 100; drafts do not count
    assert!((one["fit"].as_f64().unwrap() - 975.0 / 11.0).abs() < 1e-9, "{one}");
    assert!(one["knockouts"].as_array().unwrap().is_empty());

    score(&app, &iris, iris_assignment, "2", "5", "submit").await;
    let both = app.get(&format!("/api/v1/applications/{application}/fit")).await.json();
    // communication mean 3 → 0.5; customer service 5 → 1.0: (5·0.5 + 6·1.0) / 11 · 100;
    // a spread of 2 is a disagreement
    assert!((both["fit"].as_f64().unwrap() - 850.0 / 11.0).abs() < 1e-9, "{both}");
    assert_eq!(both["disagreements"], json!(["communication"]));
    let coverage = both["coverage"].as_f64().unwrap();
    assert!(coverage > 20.0 && coverage < 40.0, "two of nine competencies rated: {coverage}");

    let page = app.get(&format!("/candidates/{candidate}")).await.body;
    assert!(page.contains("77 of 100") && page.contains("interviewers disagree on Communication"), "{page}");
    assert!(page.contains(EVIDENCE), "the evidence behind the numbers is on the candidate page");
    assert!(page.contains("href=\"/help/fit\""), "the fit links to how it is computed");
    let help = app.get("/help/fit").await.body;
    assert!(help.contains("(5 × 0.5 + 6 × 1.0) ÷ 11 × 100 ≈ 77"));
    assert!(app.get_in("/help/fit", "da").await.body.contains("Sådan beregnes matchet"));
    let cards = app.get(&format!("/api/v1/applications/{application}/scorecards")).await.json();
    assert_eq!(cards.as_array().unwrap().len(), 2);
    assert_eq!(cards[0]["ratings"][0]["evidence"], EVIDENCE);
}

on_both_backends! {
    async fn scorecards_are_stored_with_their_versions(app) {
        let store = &app.store;
        let (company, profile) = demo_companies(chrono::Utc::now().date_naive()).remove(0);
        let company = store.create_company(&company).await.unwrap();
        let profile = store.create_profile(company.id, &profile).await.unwrap();
        let input = amfit::domain::candidate::CandidateInput { name: Some("Ada".into()), email: Some("ada@example.dk".into()), ..Default::default() };
        let candidate = store.create_candidate(&input.parse(chrono::Utc::now().date_naive()).unwrap()).await.unwrap();
        let new = NewApplication { candidate_id: candidate.id, profile_id: profile.id, applied_on: chrono::Utc::now().date_naive(), by: app.admin.user_id };
        let application = store.create_application(new).await.unwrap().application.id;
        let assignment = store.assign(application, app.admin.user_id, &["communication".to_owned()]).await.unwrap().id;
        let content = ScorecardContent {
            ratings: vec![CompetencyRating { competency: "communication".into(), score: Some(4), evidence: EVIDENCE.into() }],
            recommendation: Some(Recommendation::StrongYes),
        };
        assert!(matches!(store.start_correction(assignment, &crate::helpers::by_test(0)).await, Err(StoreError::NotFound)));
        let draft = store.write_scorecard(assignment, &content, "v1", false, &crate::helpers::by_test(0)).await.unwrap();
        assert!(!draft.is_submitted());
        assert!(matches!(store.start_correction(assignment, &crate::helpers::by_test(0)).await, Err(StoreError::Conflict { .. })));
        let submitted = store.write_scorecard(assignment, &content, "v1", true, &crate::helpers::by_test(0)).await.unwrap();
        assert_eq!((submitted.id, submitted.number, submitted.recommendation), (draft.id, 1, Some(Recommendation::StrongYes)));
        assert!(matches!(store.write_scorecard(assignment, &content, "v1", true, &crate::helpers::by_test(0)).await, Err(StoreError::Conflict { .. })));
        let correction = store.start_correction(assignment, &crate::helpers::by_test(0)).await.unwrap();
        assert_eq!((correction.number, correction.ratings.clone(), correction.is_submitted()), (2, content.ratings.clone(), false));
        assert_eq!(store.list_scorecards(ScorecardsOf::Application(application)).await.unwrap().len(), 2);
        assert!(matches!(store.write_scorecard(9999, &content, "v1", false, &crate::helpers::by_test(0)).await, Err(StoreError::NotFound)));
    }
}

#[tokio::test]
async fn a_card_of_not_assessed_opens_nothing_and_a_correction_after_reading_others_is_marked() {
    let (app, _, application, [(ivan, ivan_assignment), (iris, iris_assignment)]) =
        interview(TestApp::sqlite().await).await;
    assert_eq!(score(&app, &iris, iris_assignment, "2", "5", "submit").await.status, StatusCode::SEE_OTHER);
    let evidence = format!("/applications/{application}/evidence/communication");

    // Ivan submits nothing but "not assessed": Iris's card stays closed to him.
    let empty = score(&app, &ivan, ivan_assignment, "not_assessed", "not_assessed", "submit").await;
    assert_eq!(empty.status, StatusCode::SEE_OTHER, "{}", empty.body);
    let guide = app.as_(&ivan).get(&format!("/interviews/{ivan_assignment}")).await.body;
    assert!(!guide.contains("The other interviewers") && guide.contains("at least one rating"), "{guide}");
    let page = app.as_(&ivan).get(&evidence).await.body;
    let lines = |page: &str| page.matches("<blockquote>").count();
    assert!(lines(&page) == 1 && page.contains("once you have submitted yours"), "only his own: {page}");

    // He corrects it with real scores, having seen nothing: not marked.
    assert_eq!(
        app.as_(&ivan).post_form(&format!("/interviews/{ivan_assignment}/correction"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(score(&app, &ivan, ivan_assignment, "3", "3", "submit").await.status, StatusCode::SEE_OTHER);
    assert_eq!(lines(&app.as_(&ivan).get(&evidence).await.body), 2, "a rated card opens the others");
    let cards = app.get(&format!("/api/v1/applications/{application}/scorecards")).await.json();
    assert!(cards.as_array().unwrap().iter().all(|c| c["corrected_after_seeing_others"] == false), "{cards}");

    // Now he could read Iris's card; a second correction is marked wherever it is counted.
    assert_eq!(
        app.as_(&ivan).post_form(&format!("/interviews/{ivan_assignment}/correction"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(score(&app, &ivan, ivan_assignment, "2", "5", "submit").await.status, StatusCode::SEE_OTHER);
    let cards = app.get(&format!("/api/v1/applications/{application}/scorecards")).await.json();
    let marked: Vec<(i64, bool)> = cards
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["interviewer_id"] == ivan.user_id)
        .map(|c| (c["number"].as_i64().unwrap(), c["corrected_after_seeing_others"].as_bool().unwrap()))
        .collect();
    assert_eq!(marked, [(1, false), (2, false), (3, true)]);
    let shown = app.get(&evidence).await.body;
    assert!(shown.contains("Corrected after this interviewer could read the other scorecards."), "{shown}");
    let profile = app.store.get_application(application).await.unwrap().application.profile_id;
    let comparison = app.get(&format!("/profiles/{profile}/comparison")).await.body;
    assert!(comparison.contains("Corrected after seeing the other scorecards: Test User"), "{comparison}");
}
