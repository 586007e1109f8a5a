//! Each access rule and each audit entry of the use cases, driven through the page and the
//! API side by side: both front ends must let the same users through, refuse the same users,
//! and leave the same entry on the trail.

use amfit::domain::audit::{AuditAction, AuditFilter, AuditSubject};
use amfit::domain::user::Role;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, company_json, profile_json, with};

/// A profile owned by one hiring manager, with one application; another hiring manager who
/// owns nothing there.
struct Owned {
    app: TestApp,
    owner: Client,
    stranger: Client,
    company: i64,
    profile: i64,
    /// (candidate id, application id)
    applicants: Vec<(i64, i64)>,
}

async fn owned_profile() -> Owned {
    let app = TestApp::sqlite().await;
    let owner = app.client(Role::HiringManager, "owner@amfit.test").await;
    let stranger = app.client(Role::HiringManager, "stranger@amfit.test").await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = with(&profile_json(), json!({ "hiring_manager_id": owner.user_id }));
    let profile = app.create_profile(company, &profile).await["id"].as_i64().unwrap();
    let mut applicants = Vec::new();
    for name in ["Anna", "Bo", "Carl"] {
        let email = format!("{}@example.dk", name.to_lowercase());
        let candidate = app.post_json("/api/v1/candidates", &json!({ "name": name, "email": email })).await;
        let candidate = candidate.json()["id"].as_i64().unwrap();
        let applied = app
            .post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile }))
            .await;
        applicants.push((candidate, applied.json()["id"].as_i64().unwrap()));
    }
    Owned { app, owner, stranger, company, profile, applicants }
}

/// What a caller may do with a request: be let through (whatever the answer then says about
/// the input) or be refused.
fn let_through(status: StatusCode) -> bool {
    status.is_success() || status == StatusCode::UNPROCESSABLE_ENTITY
}

async fn status_of(app: &TestApp, client: &Client, (method, path, body): &(Method, String, Value)) -> StatusCode {
    let caller = app.as_(client);
    if method == Method::GET {
        caller.get(path).await.status
    } else {
        caller.send_json(method.clone(), path, body).await.status
    }
}

#[tokio::test]
async fn each_ownership_rule_lets_the_same_users_through_the_page_and_the_api() {
    let Owned { app, owner, stranger, company, profile, applicants } = owned_profile().await;
    let (candidate, application) = applicants[0];
    let get = |path: String| (Method::GET, path, Value::Null);
    // (the rule, the use case's page, the same use case in the API)
    let rules = [
        (
            "a company is seen by whom its profiles concern",
            get(format!("/companies/{company}")),
            get(format!("/api/v1/companies/{company}")),
        ),
        (
            "a company's profiles",
            get(format!("/companies/{company}")),
            get(format!("/api/v1/companies/{company}/profiles")),
        ),
        ("a profile is its owner's", get(format!("/profiles/{profile}")), get(format!("/api/v1/profiles/{profile}"))),
        (
            "a profile's weights",
            get(format!("/profiles/{profile}/kit")),
            get(format!("/api/v1/profiles/{profile}/weights")),
        ),
        ("a profile's ad", get(format!("/profiles/{profile}/ad")), get(format!("/api/v1/profiles/{profile}/ad"))),
        (
            "a profile's ad versions",
            get(format!("/profiles/{profile}/ad")),
            get(format!("/api/v1/profiles/{profile}/ads")),
        ),
        (
            "a profile's comparison",
            get(format!("/profiles/{profile}/comparison")),
            get(format!("/api/v1/profiles/{profile}/comparison")),
        ),
        (
            "a candidate is seen by whom their applications concern",
            get(format!("/candidates/{candidate}")),
            get(format!("/api/v1/candidates/{candidate}")),
        ),
        (
            "an application's scorecards",
            get(format!("/applications/{application}/evidence/communication")),
            get(format!("/api/v1/applications/{application}/scorecards")),
        ),
        (
            "only the profile's hiring manager decides",
            get(format!("/applications/{application}/decision")),
            (Method::POST, format!("/api/v1/applications/{application}/decisions"), json!({})),
        ),
    ];
    for (rule, page, api) in &rules {
        for (who, client, allowed) in [("the owner", &owner, true), ("another hiring manager", &stranger, false)] {
            let (on_page, in_api) = (status_of(&app, client, page).await, status_of(&app, client, api).await);
            assert_eq!(let_through(on_page), allowed, "{rule}: {who} on the page {} got {on_page}", page.1);
            assert_eq!(let_through(in_api), allowed, "{rule}: {who} in the API {} got {in_api}", api.1);
            if !allowed {
                assert_eq!((on_page, in_api), (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN), "{rule}: {who}");
            }
        }
    }
    let decisions = app.store.list_decisions(amfit::store::ApplicationsOf::Profile(profile)).await.unwrap();
    assert!(decisions.is_empty(), "no refused or invalid request decided anything");
}

/// The trail's entries of `action`, oldest first, as (subject, subject id, actor id, detail).
async fn trail(app: &TestApp, action: AuditAction) -> Vec<(AuditSubject, i64, Option<i64>, String)> {
    let filter = AuditFilter { action: Some(action), ..AuditFilter::default() };
    let mut entries = app.trail(&filter).await;
    entries.sort_by_key(|e| e.id);
    entries.into_iter().map(|e| (e.subject, e.subject_id, e.actor_id, e.detail)).collect()
}

#[tokio::test]
async fn each_audit_entry_is_the_same_whether_the_page_or_the_api_did_it() {
    let Owned { app, owner, profile, applicants, .. } = owned_profile().await;
    let admin = app.admin.user_id;
    let [(anna, anna_applied), (bo, bo_applied), (carl, _)] = applicants[..] else { unreachable!() };
    let as_owner = app.as_(&owner);

    app.get(&format!("/candidates/{anna}")).await;
    app.get(&format!("/api/v1/candidates/{anna}")).await;
    let viewed = (AuditSubject::Candidate, anna, Some(admin), String::new());
    assert_eq!(trail(&app, AuditAction::ViewCandidate).await, [viewed.clone(), viewed]);

    let weight = format!("/profiles/{profile}/weights/communication");
    assert_eq!(app.post_form(&weight, &[("weight", "7"), ("minimum", "3")]).await.status, StatusCode::SEE_OTHER);
    let api_weight = format!("/api/v1{weight}");
    assert_eq!(app.put_json(&api_weight, &json!({ "weight": "7", "minimum": "3" })).await.status, StatusCode::OK);
    let weighed = (AuditSubject::Profile, profile, Some(admin), "communication: weight 7, minimum 3".to_owned());
    assert_eq!(trail(&app, AuditAction::ChangeWeights).await, [weighed.clone(), weighed]);

    let reason = [("verdict", "advance"), ("reason", "Strong on every must-have.")];
    let on_page = as_owner.post_form(&format!("/applications/{anna_applied}/decision"), &reason).await;
    assert_eq!(on_page.status, StatusCode::SEE_OTHER, "{}", on_page.body);
    let api = format!("/api/v1/applications/{bo_applied}/decisions");
    let decision = json!({ "verdict": "advance", "reason": "Strong on every must-have." });
    assert_eq!(as_owner.send_json(Method::POST, &api, &decision).await.status, StatusCode::CREATED);
    let decided = |application| (AuditSubject::Application, application, Some(owner.user_id), "advance".to_owned());
    assert_eq!(trail(&app, AuditAction::RecordDecision).await, [decided(anna_applied), decided(bo_applied)]);

    assert_eq!(app.get(&format!("/candidates/{bo}/export")).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/candidates/{bo}/export")).await.status, StatusCode::OK);
    let exported = trail(&app, AuditAction::ExportData).await;
    assert_eq!(exported.len(), 2, "{exported:?}");
    assert_eq!(exported[0], exported[1], "one export entry, whichever front end exported");

    assert_eq!(app.post_form(&format!("/candidates/{carl}/erase"), &[]).await.status, StatusCode::SEE_OTHER);
    let erasure = app.post_json(&format!("/api/v1/candidates/{anna}/erasure"), &json!({})).await;
    assert_eq!(erasure.status, StatusCode::OK, "{}", erasure.body);
    let erased = trail(&app, AuditAction::EraseData).await;
    let erased: Vec<(i64, String)> = erased.into_iter().map(|(_, id, _, detail)| (id, detail)).collect();
    let detail = "personal data erased on request".to_owned();
    assert_eq!(erased, [(carl, detail.clone()), (anna, detail)]);
}
