//! A role profile's pipeline board: every application by stage with what a recruiter decides
//! by; moving one, or several with one confirmation; stale and foreign moves refused whole.

use amfit::domain::audit::{AuditAction, AuditFilter};
use amfit::domain::candidate::Stage;
use amfit::domain::user::Role;
use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, company_json, on_both_backends, profile_json};

/// A profile with the named candidates' applications; (profile, application ids).
pub async fn profile_with(app: &TestApp, names: &[&str]) -> (i64, Vec<i64>) {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let mut applications = Vec::new();
    for name in names {
        let email = format!("{}@example.dk", name.to_lowercase().replace(' ', "."));
        let candidate =
            app.post_json("/api/v1/candidates", &json!({ "name": name, "email": email, "source": "jobindex" })).await;
        let id = candidate.json()["id"].as_i64().unwrap();
        let applied =
            app.post_json(&format!("/api/v1/candidates/{id}/applications"), &json!({ "profile_id": profile })).await;
        assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
        applications.push(applied.json()["id"].as_i64().unwrap());
    }
    (profile, applications)
}

async fn stage_of(app: &TestApp, application: i64) -> Stage {
    app.store.get_application(application).await.unwrap().application.stage
}

on_both_backends! {
    async fn the_board_shows_each_application_in_its_stage_and_moves_one(app) {
        let (profile, applications) = profile_with(&app, &["Ane Holm", "Bo Berg"]).await;
        let board = app.get(&format!("/profiles/{profile}/pipeline")).await;
        assert_eq!(board.status, StatusCode::OK);
        let applied = board.body.split("data-stage=\"applied\"").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(applied.contains("Ane Holm") && applied.contains("Bo Berg"), "{applied}");
        assert!(applied.contains("Unscored") && applied.contains("Scorecards 0 of 0") && applied.contains("0 days in this stage"));
        assert!(applied.contains("jobindex"), "the source");
        assert!(board.body.contains("/static/pipeline.js"), "drag and drop for those who may move");
        assert!(app.get(&format!("/profiles/{profile}")).await.body.contains(&format!("href=\"/profiles/{profile}/pipeline\"")));

        let card = format!("{}:1", applications[0]);
        let moved = app.post_form(&format!("/profiles/{profile}/pipeline/bulk"), &[("applications", &card), ("stage", "screening")]).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        assert_eq!(moved.location(), format!("/profiles/{profile}/pipeline?notice=moved"));
        assert_eq!(stage_of(&app, applications[0]).await, Stage::Screening);
        let board = app.get(moved.location()).await.body;
        let screening = board.split("data-stage=\"screening\"").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(screening.contains("Ane Holm"));
        let trail = app.trail(&AuditFilter { action: Some(AuditAction::MoveStage), ..AuditFilter::default() }).await;
        assert_eq!((trail.len(), trail[0].subject_id, trail[0].detail.as_str()), (1, applications[0], "stage: screening"));

        // The same card again, from the board as it was: someone moved it meanwhile.
        let stale = app.post_form(&format!("/profiles/{profile}/pipeline/bulk"), &[("applications", &card), ("stage", "rejected")]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("Someone moved an application since this board was shown"));
        assert_eq!(stage_of(&app, applications[0]).await, Stage::Screening, "nothing moved");
        for (cards, stage) in [("x", "screening"), (card.as_str(), "nowhere"), ("", "screening")] {
            let refused = app.post_form(&format!("/profiles/{profile}/pipeline/bulk"), &[("applications", cards), ("stage", stage)]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{cards} {stage}");
        }
    }
}

on_both_backends! {
    async fn several_move_at_once_after_one_confirmation_or_not_at_all(app) {
        let (profile, applications) = profile_with(&app, &["Ane Holm", "Bo Berg", "Cy Dahl"]).await;
        let (_, others) = profile_with(&app, &["Di Eng"]).await;
        let chosen = [format!("{}:1", applications[0]), format!("{}:1", applications[1])];
        let path = format!("/profiles/{profile}/pipeline/bulk");
        let asked = app.post_form(&path, &[("applications", &chosen[0]), ("applications", &chosen[1]), ("stage", "rejected")]).await;
        assert_eq!(asked.status, StatusCode::OK);
        assert!(asked.body.contains("Move 2 applications to Rejected?") && asked.body.contains("Ane Holm") && asked.body.contains("Bo Berg"), "{}", asked.body);
        assert_eq!(stage_of(&app, applications[0]).await, Stage::Applied, "nothing moves before the confirmation");

        let foreign = format!("{}:1", others[0]);
        let refused = app.post_form(&path, &[("applications", &chosen[0]), ("applications", &foreign), ("stage", "rejected"), ("confirm", "true")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("is not to this role profile; nothing was moved"));
        assert_eq!((stage_of(&app, applications[0]).await, stage_of(&app, others[0]).await), (Stage::Applied, Stage::Applied), "refused as a whole");
        let none = app.post_form(&path, &[("stage", "rejected")]).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.body.contains("Tick at least one application"));

        let confirmed = app.post_form(&path, &[("applications", &chosen[0]), ("applications", &chosen[1]), ("stage", "rejected"), ("confirm", "true")]).await;
        assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
        assert_eq!((stage_of(&app, applications[0]).await, stage_of(&app, applications[1]).await, stage_of(&app, applications[2]).await), (Stage::Rejected, Stage::Rejected, Stage::Applied));
        let trail = app.trail(&AuditFilter { action: Some(AuditAction::MoveStage), ..AuditFilter::default() }).await;
        assert_eq!(trail.len(), 2, "an entry per card");
    }
}

on_both_backends! {
    async fn only_those_who_see_the_profile_see_its_board_and_only_recruiters_move(app) {
        let (profile, applications) = profile_with(&app, &["Ane Holm"]).await;
        let interviewer = app.client(Role::Interviewer, "iv@amfit.test").await;
        assert_eq!(app.as_(&interviewer).get(&format!("/profiles/{profile}/pipeline")).await.status, StatusCode::FORBIDDEN);
        let manager = app.client(Role::HiringManager, "hm@amfit.test").await;
        assert_eq!(app.as_(&manager).get(&format!("/profiles/{profile}/pipeline")).await.status, StatusCode::FORBIDDEN, "not their profile");
        let card = format!("{}:1", applications[0]);
        let moved = app.as_(&manager).post_form(&format!("/profiles/{profile}/pipeline/bulk"), &[("applications", &card), ("stage", "offer")]).await;
        assert_eq!(moved.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/profiles/9999/pipeline").await.status, StatusCode::NOT_FOUND);
    }
}

on_both_backends! {
    async fn the_board_kept_in_memory_differs_by_reader_and_gives_way_to_a_change(app) {
        let manager = app.client(Role::HiringManager, "hm@amfit.test").await;
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let mut owned = profile_json();
        owned["hiring_manager_id"] = manager.user_id.into();
        let profile = app.create_profile(company, &owned).await["id"].as_i64().unwrap();
        let candidate = app.post_json("/api/v1/candidates", &json!({ "name": "Ane Holm", "email": "ane@example.dk" })).await;
        let candidate = candidate.json()["id"].as_i64().unwrap();
        let applied = app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
        assert_eq!(applied.status, StatusCode::CREATED);
        let path = format!("/profiles/{profile}/pipeline");

        let recruiters = app.get(&path).await.body;
        assert!(recruiters.contains("type=\"checkbox\"") && recruiters.contains("Unscored"));
        let managers = app.as_(&manager).get(&path).await.body;
        assert!(managers.contains("Ane Holm") && !managers.contains("type=\"checkbox\""), "the manager moves nothing: {managers}");
        let danish = app.get_in(&path, "da").await.body;
        assert!(danish.contains("Ikke vurderet") && !danish.contains("Unscored"), "{danish}");

        let version = app.get(&format!("/api/v1/candidates/{candidate}")).await.json()["version"].clone();
        let renamed = json!({ "name": "Ane Holm-Berg", "email": "ane@example.dk", "version": version });
        assert_eq!(app.put_json(&format!("/api/v1/candidates/{candidate}"), &renamed).await.status, StatusCode::OK);
        assert!(app.get(&path).await.body.contains("Ane Holm-Berg"), "the board after a change");
        assert!(app.as_(&manager).get(&path).await.body.contains("Ane Holm-Berg"));
    }
}

on_both_backends! {
    async fn the_api_moves_several_applications_at_once_or_none(app) {
        let (profile, applications) = profile_with(&app, &["Ane Holm", "Bo Berg", "Carl Dam"]).await;
        let (other, foreign) = profile_with(&app, &["Dorte Lund"]).await;
        let path = format!("/api/v1/profiles/{profile}/stage-moves");
        let moves = |body: serde_json::Value| {
            let app = &app;
            let path = path.clone();
            async move { app.post_json(&path, &body).await }
        };
        let version = app.get(&format!("/api/v1/applications/{}", applications[0])).await.header("etag").trim_matches('"').to_owned();

        // Every refusal moves nothing.
        let stale = moves(json!({ "stage": "screening", "applications": [{ "id": applications[0], "version": 9 }, { "id": applications[1] }] })).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        let mixed = moves(json!({ "stage": "screening", "applications": [{ "id": applications[0] }, { "id": foreign[0] }] })).await;
        assert_eq!(mixed.rejected_fields(), ["applications"], "another profile's application");
        assert_eq!(moves(json!({ "stage": "nowhere", "applications": [{ "id": applications[0] }] })).await.rejected_fields(), ["stage"]);
        assert_eq!(moves(json!({ "stage": "screening", "applications": [] })).await.rejected_fields(), ["applications"]);
        let too_many: Vec<_> = (1..=201).map(|id| json!({ "id": id })).collect();
        assert_eq!(moves(json!({ "stage": "screening", "applications": too_many })).await.rejected_fields(), ["applications"]);
        let bad_id = moves(json!({ "stage": "screening", "applications": [{ "id": "first", "version": 0 }] })).await;
        assert_eq!(bad_id.rejected_fields(), ["applications[0].id", "applications[0].version"]);
        for application in applications.iter().chain(&foreign) {
            assert_eq!(stage_of(&app, *application).await, Stage::Applied);
        }

        let body = json!({ "stage": "screening", "applications": [
            { "id": applications[0], "version": version }, { "id": applications[1] }, { "id": applications[1] },
        ] });
        let moved = moves(body).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(moved.json(), json!({ "moved": 2, "stage": "screening" }), "each once");
        assert_eq!([stage_of(&app, applications[0]).await, stage_of(&app, applications[1]).await, stage_of(&app, applications[2]).await], [Stage::Screening, Stage::Screening, Stage::Applied]);
        let trail = app.trail(&AuditFilter { action: Some(AuditAction::MoveStage), ..Default::default() }).await;
        assert_eq!(trail.len(), 2, "each move on the trail");

        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let refused = app.as_(&manager).send_json(axum::http::Method::POST, &format!("/api/v1/profiles/{other}/stage-moves"), &json!({ "stage": "screening", "applications": [{ "id": foreign[0] }] })).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
}
