//! Authorisation: the route table is walked, so every route is checked for every role.

use amfit::app::routes;
use amfit::auth::routes::Access;
use amfit::domain::user::Role;
use axum::http::{Method, StatusCode};

use crate::helpers::{Client, TestApp, company_json, profile_json};

/// A concrete path for a table path: ids of records that exist, a real language code.
fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{version}", "1")
        .replace("{document}", "1")
        .replace("{slug}", "no-such-job")
        .replace("{code}", "da")
        .replace("{competency}", "communication")
}

async fn call(app: &TestApp, client: Option<&Client>, method: &Method, path: &str) -> StatusCode {
    let caller = match client {
        Some(client) => app.as_(client),
        None => app.anonymous(),
    };
    if path.starts_with("/api/") {
        return caller.send(method.clone(), path, &[("content-type", "application/json")], "{}").await.status;
    }
    match *method {
        Method::POST => caller.post_form(path, &[]).await.status,
        _ => caller.send(method.clone(), path, &[], "").await.status,
    }
}

#[tokio::test]
async fn every_route_refuses_anonymous_requests_and_roles_without_the_permission() {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    app.create_profile(company, &profile_json()).await;
    let clients = [
        (Role::Recruiter, app.client(Role::Recruiter, "recruiter@amfit.test").await),
        (Role::HiringManager, app.client(Role::HiringManager, "manager@amfit.test").await),
        (Role::Interviewer, app.client(Role::Interviewer, "interviewer@amfit.test").await),
    ];
    let table = routes().table;
    assert!(table.len() > 30, "the table covers the whole app ({} routes)", table.len());
    assert!(table.iter().any(|r| r.path.starts_with("/api/v1/")) && table.iter().any(|r| r.path == "/companies"));

    let guarded: Vec<_> = table
        .iter()
        .filter_map(|spec| match spec.access {
            Access::Public => None,
            Access::SignedIn => Some((spec, None)),
            Access::Requires(permission) => Some((spec, Some(permission))),
        })
        .collect();
    assert!(guarded.len() > 25);

    // First every refusal, while the records exist: nothing may change.
    for (spec, permission) in &guarded {
        let path = concrete(&spec.path);
        let anonymous = app.anonymous().send(spec.method.clone(), &path, &[], "").await;
        if path.starts_with("/api/") {
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{} {path}", spec.method);
            assert_eq!(anonymous.header("www-authenticate"), "Bearer");
        } else {
            assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{} {path}", spec.method);
            assert!(anonymous.location().starts_with("/login?next="), "{} {path}", spec.method);
        }
        for (role, client) in &clients {
            if permission.is_some_and(|p| !role.grants(p)) {
                let status = call(&app, Some(client), &spec.method, &path).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} {} {path}", spec.method);
            }
        }
    }
    assert_eq!((app.company_count().await, app.profile_count().await), (1, 1), "no refused request changed anything");

    // Then what each role may do is let through (a hiring manager may still be refused a
    // profile they do not own). Signing out would end the sessions the walk uses.
    for (spec, permission) in guarded.iter().filter(|(spec, _)| spec.path != "/logout") {
        let path = concrete(&spec.path);
        for (role, client) in &clients {
            if permission.is_none_or(|p| role.grants(p)) && *role != Role::HiringManager {
                let status = call(&app, Some(client), &spec.method, &path).await;
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{role:?} {} {path}: {status}",
                    spec.method
                );
            }
        }
    }
}

#[tokio::test]
async fn a_hiring_manager_sees_only_the_profiles_they_own() {
    let app = TestApp::sqlite().await;
    let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
    let owned_company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let mut owned = profile_json();
    owned["title"] = "Owned Role".into();
    owned["hiring_manager_id"] = manager.user_id.into();
    let owned = app.create_profile(owned_company, &owned).await["id"].as_i64().unwrap();
    let other_company =
        app.create_company(&crate::helpers::with(&company_json(), serde_json::json!({ "name": "Other A/S" }))).await;
    let other_company = other_company["id"].as_i64().unwrap();
    let other = app.create_profile(other_company, &profile_json()).await["id"].as_i64().unwrap();

    let as_manager = app.as_(&manager);
    let list = as_manager.get("/profiles").await;
    assert!(list.body.contains("Owned Role") && !list.body.contains(&format!("/profiles/{other}\"")));
    assert_eq!(as_manager.get(&format!("/profiles/{owned}")).await.status, StatusCode::OK);
    assert_eq!(as_manager.get(&format!("/profiles/{other}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(as_manager.get(&format!("/companies/{owned_company}")).await.status, StatusCode::OK);
    assert_eq!(as_manager.get(&format!("/companies/{other_company}")).await.status, StatusCode::FORBIDDEN);
    let companies = as_manager.get("/companies").await;
    assert!(companies.body.contains("Nordlys Digital ApS") && !companies.body.contains("Other A/S"));
    assert!(!companies.body.contains("/companies/new"), "no button for what they may not do");

    let api: Vec<i64> = as_manager.get("/api/v1/profiles").await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(api, [owned]);
    assert_eq!(as_manager.get(&format!("/api/v1/profiles/{other}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(as_manager.get(&format!("/api/v1/companies/{other_company}")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_an_active_hiring_manager_can_own_a_profile() {
    let app = TestApp::sqlite().await;
    let recruiter = app.client(Role::Recruiter, "recruiter@amfit.test").await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let path = format!("/api/v1/companies/{company}/profiles");
    let mut body = profile_json();
    body["hiring_manager_id"] = recruiter.user_id.into();
    assert_eq!(app.post_json(&path, &body).await.rejected_fields(), ["hiring_manager_id"]);
    body["hiring_manager_id"] = 9999.into();
    assert_eq!(app.post_json(&path, &body).await.rejected_fields(), ["hiring_manager_id"]);
    assert_eq!(app.profile_count().await, 0);
}

#[tokio::test]
async fn an_interviewer_starts_on_their_own_page() {
    let app = TestApp::sqlite().await;
    let interviewer = app.client(Role::Interviewer, "interviewer@amfit.test").await;
    let home = app.as_(&interviewer).get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Nothing is assigned to you yet"));
    assert!(!home.body.contains("href=\"/companies\""), "the navigation offers nothing they may not open");
    let admin = app.get("/").await;
    assert_eq!(admin.status, StatusCode::OK);
    assert!(admin.body.contains("First steps"), "an administrator starts on what the installation still needs");
}
