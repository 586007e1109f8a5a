//! What the pages do, the API does: scorecards, users, tokens, calibration, retention, the
//! comparison CSV and ad version diffs, each by the same rules and on the same audit trail.

use amfit::domain::audit::{AuditAction, AuditFilter, AuditSubject};
use amfit::domain::user::Role;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, company_json, on_both_backends, profile_json};

const EVIDENCE: &str = "Explained a delay to a client plainly and followed up in writing.";

/// A company, a profile and an application of a new candidate to it: (profile, application).
async fn an_application(app: &TestApp) -> (i64, i64) {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let sofie = json!({ "name": "Sofie Nielsen", "email": "sofie@example.dk" });
    let candidate = app.post_json("/api/v1/candidates", &sofie).await.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/candidates/{candidate}/applications");
    let application = app.post_json(&path, &json!({ "profile_id": profile })).await.json()["id"].as_i64().unwrap();
    (profile, application)
}

fn rating(score: &str) -> Value {
    json!({ "ratings": [{ "competency": "communication", "score": score, "evidence": EVIDENCE }], "recommendation": "yes" })
}

fn trail_of(action: AuditAction, subject: AuditSubject, id: i64) -> AuditFilter {
    AuditFilter { action: Some(action), subject: Some((subject, Some(id))), ..Default::default() }
}

on_both_backends! {
    async fn an_interviewer_drafts_submits_and_corrects_a_scorecard_through_the_api(app) {
        let (_, application) = an_application(&app).await;
        let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let other = app.client(Role::Interviewer, "olga@amfit.test").await;
        let plan = json!({ "interviewer_id": ivan.user_id, "competencies": ["communication"] });
        let assigned = app.post_json(&format!("/api/v1/applications/{application}/interviewers"), &plan).await;
        let interview = assigned.json()["id"].as_i64().unwrap();
        let as_ivan = || app.as_(&ivan);

        let mine = as_ivan().get("/api/v1/interviews").await.json();
        assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
        assert_eq!(mine["items"][0]["application"]["candidate_name"], "Sofie Nielsen");
        assert_eq!(mine["items"][0]["status"], "to_do");
        assert!(app.as_(&other).get("/api/v1/interviews").await.json()["items"].as_array().unwrap().is_empty());
        let path = format!("/api/v1/interviews/{interview}");
        assert!(as_ivan().get(&path).await.json()["versions"].as_array().unwrap().is_empty());
        assert_eq!(app.as_(&other).get(&path).await.status, StatusCode::FORBIDDEN, "not their interview");

        let scorecard = format!("{path}/scorecard");
        let draft = as_ivan().send_json(Method::PUT, &scorecard, &json!({ "ratings": [{ "competency": "communication", "score": "4" }] })).await;
        assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
        assert!(draft.json()["submitted_at"].is_null());
        let read = as_ivan().get(&path).await.json();
        assert_eq!(read["versions"][0]["ratings"][0]["score"], 4, "their own draft reads back");
        let foreign = as_ivan().send_json(Method::PUT, &scorecard, &json!({ "ratings": [{ "competency": "negotiation", "score": "3" }] })).await;
        assert_eq!(foreign.rejected_fields(), ["ratings.negotiation"]);
        assert_eq!(app.as_(&other).send_json(Method::PUT, &scorecard, &rating("4")).await.status, StatusCode::FORBIDDEN);

        let submission = format!("{scorecard}/submission");
        let lacking = as_ivan().send_json(Method::POST, &submission, &json!({ "ratings": [{ "competency": "communication", "score": "4" }] })).await;
        assert_eq!(lacking.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(lacking.rejected_fields(), ["ratings.communication.evidence", "recommendation"]);
        let submitted = as_ivan().send_json(Method::POST, &submission, &rating("4")).await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        assert!(submitted.json()["submitted_at"].is_string());
        assert_eq!(as_ivan().get("/api/v1/interviews").await.json()["items"][0]["status"], "submitted");
        assert_eq!(as_ivan().send_json(Method::PUT, &scorecard, &rating("2")).await.status, StatusCode::CONFLICT, "locked");

        let correction = as_ivan().send(Method::POST, &format!("{path}/corrections"), &[], "").await;
        assert_eq!(correction.status, StatusCode::CREATED, "{}", correction.body);
        assert_eq!(correction.json()["number"], 2);
        assert_eq!(as_ivan().send_json(Method::PUT, &scorecard, &rating("3")).await.status, StatusCode::OK);
        let versions = as_ivan().get(&path).await.json()["versions"].as_array().unwrap().len();
        assert_eq!(versions, 2);
        let entries = app.trail(&trail_of(AuditAction::ChangeScore, AuditSubject::Interview, interview)).await;
        let details: Vec<&str> = entries.iter().map(|e| e.detail.as_str()).collect();
        assert_eq!(details, ["draft saved", "correction started", "scorecard submitted", "draft saved"], "newest first");
        assert!(entries.iter().all(|e| e.actor_id == Some(ivan.user_id)));
    }
}

on_both_backends! {
    async fn administrators_keep_the_users_through_the_api_by_the_pages_rules(app) {
        let new = json!({ "email": "Rikke@Firma.dk", "name": "Rikke Holm", "role": "recruiter", "password": "a long enough passphrase" });
        let created = app.post_json("/api/v1/users", &new).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let rikke = created.json();
        let id = rikke["id"].as_i64().unwrap();
        assert_eq!((rikke["email"].as_str(), rikke["role"].as_str(), rikke["active"].as_bool()), (Some("rikke@firma.dk"), Some("recruiter"), Some(true)));
        assert!(rikke.get("session_epoch").is_none() && rikke.get("password").is_none());
        assert_eq!(created.location(), format!("/api/v1/users/{id}"));
        let taken = app.post_json("/api/v1/users", &new).await;
        assert_eq!(taken.json()["errors"][0]["code"], "email_taken");
        let weak = json!({ "email": "x@firma.dk", "name": "X", "role": "boss", "password": "short" });
        assert_eq!(app.post_json("/api/v1/users", &weak).await.rejected_fields(), ["role", "password"]);

        let listed = app.get("/api/v1/users?limit=1").await;
        assert_eq!(listed.json()["items"].as_array().unwrap().len(), 1);
        assert!(listed.json()["next"].is_string());
        assert_eq!(app.get(&format!("/api/v1/users/{id}")).await.json()["name"], "Rikke Holm");

        let role = app.put_json(&format!("/api/v1/users/{id}/role"), &json!({ "role": "hiring_manager" })).await;
        assert_eq!(role.json()["role"], "hiring_manager");
        let me = app.admin.user_id;
        let own = app.put_json(&format!("/api/v1/users/{me}/role"), &json!({ "role": "recruiter" })).await;
        assert_eq!(own.json()["errors"][0]["code"], "own_admin_role");
        assert_eq!(app.put_json(&format!("/api/v1/users/{id}/role"), &json!({ "role": "boss" })).await.rejected_fields(), ["role"]);
        let myself = app.put_json(&format!("/api/v1/users/{me}/active"), &json!({ "active": false })).await;
        assert_eq!(myself.json()["errors"][0]["code"], "deactivating_self");
        assert_eq!(app.put_json(&format!("/api/v1/users/{id}/active"), &json!({})).await.rejected_fields(), ["active"]);
        assert_eq!(app.put_json(&format!("/api/v1/users/{id}/active"), &json!({ "active": "maybe" })).await.rejected_fields(), ["active"]);

        let recruiter = app.client(Role::Recruiter, "rasmus@amfit.test").await;
        assert_eq!(app.as_(&recruiter).get("/api/v1/users").await.status, StatusCode::FORBIDDEN);
        let off = app.put_json(&format!("/api/v1/users/{}/active", recruiter.user_id), &json!({ "active": false })).await;
        assert_eq!(off.json()["active"], false);
        assert_eq!(app.as_(&recruiter).get("/api/v1/companies").await.status, StatusCode::UNAUTHORIZED, "their token stops working");
        let on = app.put_json(&format!("/api/v1/users/{}/active", recruiter.user_id), &json!({ "active": true })).await;
        assert_eq!(on.json()["active"], true);

        let reset = app.put_json(&format!("/api/v1/users/{id}/password"), &json!({ "password": "another long passphrase" })).await;
        assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
        assert!(app.sign_in("rikke@firma.dk", "another long passphrase").await.is_some());
        assert_eq!(app.put_json(&format!("/api/v1/users/{id}/password"), &json!({ "password": "short" })).await.rejected_fields(), ["password"]);
        let own_password = app.put_json(&format!("/api/v1/users/{me}/password"), &json!({ "password": "another long passphrase" })).await;
        assert_eq!(own_password.status, StatusCode::FORBIDDEN, "their own goes with the present one");

        let details: Vec<String> = app.trail(&trail_of(AuditAction::ChangeUser, AuditSubject::User, id)).await.into_iter().map(|e| e.detail).collect();
        assert_eq!(details, ["password set by an administrator", "role: hiring_manager", "added as recruiter"]);
    }
}

on_both_backends! {
    async fn users_make_list_and_revoke_their_own_tokens(app) {
        let recruiter = app.client(Role::Recruiter, "rikke@amfit.test").await;
        let as_rikke = || app.as_(&recruiter);
        assert_eq!(as_rikke().get("/api/v1/tokens").await.json()["items"].as_array().unwrap().len(), 1, "the one they call with");
        let made = as_rikke().send_json(Method::POST, "/api/v1/tokens", &json!({ "expires_in_days": 30 })).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let made = made.json();
        let secret = made["token"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("amfit_") && made["expires_at"].is_string());
        let bearer = format!("Bearer {secret}");
        let with_new = app.anonymous().send(Method::GET, "/api/v1/companies", &[("authorization", &bearer)], "").await;
        assert_eq!(with_new.status, StatusCode::OK);
        let listed = as_rikke().get("/api/v1/tokens").await;
        assert_eq!(listed.json()["items"].as_array().unwrap().len(), 2);
        assert!(!listed.body.contains(&secret), "never shown again");
        assert_eq!(app.get("/api/v1/tokens").await.json()["items"].as_array().unwrap().len(), 1, "each sees their own");

        let id = made["id"].as_i64().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/tokens/{id}")).await.status, StatusCode::NOT_FOUND, "not another's");
        assert_eq!(as_rikke().send(Method::DELETE, &format!("/api/v1/tokens/{id}"), &[], "").await.status, StatusCode::NO_CONTENT);
        let revoked = app.anonymous().send(Method::GET, "/api/v1/companies", &[("authorization", &bearer)], "").await;
        assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
        assert_eq!(as_rikke().send(Method::DELETE, &format!("/api/v1/tokens/{id}"), &[], "").await.status, StatusCode::NOT_FOUND, "revoked already");
        for bad in [json!({ "expires_in_days": 0 }), json!({ "expires_in_days": 3651 }), json!({ "expires_in_days": "soon" })] {
            let refused = as_rikke().send_json(Method::POST, "/api/v1/tokens", &bad).await;
            assert_eq!(refused.rejected_fields(), ["expires_in_days"], "{bad}");
        }
        let details: Vec<String> = app.trail(&trail_of(AuditAction::ChangeUser, AuditSubject::User, recruiter.user_id)).await.into_iter().map(|e| e.detail).collect();
        assert_eq!(details, [format!("API token {id} revoked"), format!("API token {id} made")]);
    }
}

#[tokio::test]
async fn calibration_retention_the_comparison_csv_and_ad_diffs_as_on_the_pages() {
    let app = TestApp::sqlite().await;
    let (profile, _) = an_application(&app).await;
    let calibration = app.get("/api/v1/calibration").await;
    assert_eq!(calibration.status, StatusCode::OK);
    assert!(calibration.json().as_array().unwrap().is_empty(), "nobody has rated yet");
    assert_eq!(app.get(&format!("/api/v1/calibration?profile_id={profile}")).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/calibration?profile_id=999").await.rejected_fields(), ["profile_id"]);

    let retention = app.get("/api/v1/retention").await.json();
    assert_eq!(retention["period_months"], 6, "{retention}");
    assert!(retention["upcoming"].as_array().unwrap().is_empty(), "an open application keeps the candidate");

    for (language, delimiter, heading) in [("en", ',', "Application"), ("da", ';', "Ansøgning")] {
        let headers = [("accept-language", language)];
        let api = app.send(Method::GET, &format!("/api/v1/profiles/{profile}/comparison.csv"), &headers, "").await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        assert_eq!(api.header("content-type"), "text/csv; charset=utf-8");
        assert!(api.body.trim_start_matches('\u{feff}').starts_with(&format!("{heading}{delimiter}")), "{}", api.body);
        let page = app.send(Method::GET, &format!("/profiles/{profile}/comparison.csv"), &headers, "").await;
        assert_eq!(api.body, page.body, "the same file as the page's");
    }

    for text in [
        "Vi søger en account manager.\nDu får ansvar for kunder.",
        "Vi søger en account manager.\nDu får ansvar for vores største kunder.",
    ] {
        let saved = app
            .post_json(
                &format!("/api/v1/profiles/{profile}/ads"),
                &json!({ "language": "da", "tone": "formal", "text": text }),
            )
            .await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    }
    let diff = app.get(&format!("/api/v1/profiles/{profile}/ads/diff?from=1&to=2")).await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    let lines: Vec<(String, String)> = diff.json()["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["change"].as_str().unwrap().to_owned(), l["text"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        lines,
        [
            ("same".to_owned(), "Vi søger en account manager.".to_owned()),
            ("removed".to_owned(), "Du får ansvar for kunder.".to_owned()),
            ("added".to_owned(), "Du får ansvar for vores største kunder.".to_owned()),
        ]
    );
    assert_eq!(app.get(&format!("/api/v1/profiles/{profile}/ads/diff?to=2")).await.rejected_fields(), ["from"]);
    assert_eq!(
        app.get(&format!("/api/v1/profiles/{profile}/ads/diff?from=1&to=9")).await.status,
        StatusCode::NOT_FOUND
    );
}
