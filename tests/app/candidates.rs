//! Candidates and applications: the API and the pages, good and bad input, and who sees whom.

use amfit::domain::candidate::{CandidateInput, Stage};
use amfit::domain::demo::demo_companies;
use amfit::domain::user::Role;
use amfit::store::{ApplicationsOf, NewApplication, StoreError};
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, company_json, in_days, on_both_backends, profile_json, with};
use crate::pipeline::profile_with;

fn candidate_json() -> Value {
    json!({
        "name": "Sofie Nielsen",
        "email": "sofie@example.dk",
        "phone": "+45 20 30 40 50",
        "source": "Job ad",
        "link": "https://example.dk/cv/sofie"
    })
}

async fn app_with_profile() -> (TestApp, i64) {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    (app, profile)
}

async fn create_candidate(app: &TestApp, body: &Value) -> i64 {
    let response = app.post_json("/api/v1/candidates", body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn candidates_through_the_api() {
    let (app, _) = app_with_profile().await;
    let created = app.post_json("/api/v1/candidates", &candidate_json()).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(created.location(), format!("/api/v1/candidates/{id}"));
    assert_eq!(app.get(created.location()).await.json()["email"], "sofie@example.dk");
    assert_eq!(app.get("/api/v1/candidates").await.json()["items"].as_array().unwrap().len(), 1);

    let path = format!("/api/v1/candidates/{id}");
    let renamed = app.put_json(&path, &with(&candidate_json(), json!({ "name": "Sofie N. Holm", "version": 1 }))).await;
    assert_eq!(renamed.status, StatusCode::OK);
    let stale = app.put_json(&path, &with(&candidate_json(), json!({ "version": 1 }))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(app.get(&path).await.json()["name"], "Sofie N. Holm");
    assert_eq!(app.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_candidates_are_refused_by_field() {
    let (app, _) = app_with_profile().await;
    let cases = [
        (json!({ "name": "  " }), "name"),
        (json!({ "name": "n".repeat(201) }), "name"),
        (json!({ "email": null }), "email"),
        (json!({ "email": "sofie at example" }), "email"),
        (json!({ "email": format!("{}@example.dk", "s".repeat(250)) }), "email"),
        (json!({ "phone": "ring mig" }), "phone"),
        (json!({ "link": "javascript:alert(1)" }), "link"),
        (json!({ "link": "ftp://example.dk/cv" }), "link"),
        (json!({ "notes": "x".repeat(5_001) }), "notes"),
    ];
    for (change, field) in cases {
        let response = app.post_json("/api/v1/candidates", &with(&candidate_json(), change.clone())).await;
        assert_eq!(response.rejected_fields(), [field], "{change}");
    }
    assert!(app.store.list_candidates().await.unwrap().is_empty());
}

#[tokio::test]
async fn applications_move_through_stages_with_their_history() {
    let (app, profile) = app_with_profile().await;
    let candidate = create_candidate(&app, &candidate_json()).await;
    let path = format!("/api/v1/candidates/{candidate}/applications");
    let applied = app.post_json(&path, &json!({ "profile_id": profile })).await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let application = applied.json();
    assert_eq!((application["stage"].as_str(), application["history"].as_array().unwrap().len()), (Some("applied"), 1));
    assert_eq!(application["applied_on"], in_days(0));
    let id = application["id"].as_i64().unwrap();

    for (body, problem) in [
        (json!({ "profile_id": profile }), "already_applied"),
        (json!({ "profile_id": 999 }), "unknown_choice"),
        (json!({ "profile_id": profile, "applied_on": in_days(1) }), "date_in_future"),
        (json!({}), "required"),
    ] {
        let refused = app.post_json(&path, &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(refused.json()["errors"][0]["code"], problem, "{body}");
    }
    assert_eq!(
        app.post_json("/api/v1/candidates/999/applications", &json!({ "profile_id": profile })).await.status,
        StatusCode::NOT_FOUND
    );

    let stage = format!("/api/v1/applications/{id}/stage");
    let moved = app.put_json(&stage, &json!({ "stage": "screening" })).await;
    assert_eq!(moved.status, StatusCode::OK);
    let history = moved.json()["history"].as_array().unwrap().clone();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[1]["stage"].as_str(), history[1]["changed_by"].as_str()),
        (Some("screening"), Some("Test User"))
    );
    assert_eq!(app.put_json(&stage, &json!({ "stage": "promoted" })).await.rejected_fields(), ["stage"]);
    assert_eq!(
        app.put_json("/api/v1/applications/999/stage", &json!({ "stage": "offer" })).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&format!("/api/v1/applications/{id}")).await.json()["stage"], "screening");
}

#[tokio::test]
async fn a_hiring_manager_sees_only_candidates_of_their_profiles() {
    let (app, other_profile) = app_with_profile().await;
    let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
    let company =
        app.create_company(&with(&company_json(), json!({ "name": "Own A/S" }))).await["id"].as_i64().unwrap();
    let owned =
        app.create_profile(company, &with(&profile_json(), json!({ "hiring_manager_id": manager.user_id }))).await;
    let owned = owned["id"].as_i64().unwrap();
    let mine = create_candidate(&app, &candidate_json()).await;
    let theirs = create_candidate(&app, &with(&candidate_json(), json!({ "name": "Jonas Berg" }))).await;
    app.post_json(&format!("/api/v1/candidates/{mine}/applications"), &json!({ "profile_id": owned })).await;
    app.post_json(&format!("/api/v1/candidates/{theirs}/applications"), &json!({ "profile_id": other_profile })).await;

    let as_manager = app.as_(&manager);
    let listed: Vec<i64> = as_manager.get("/api/v1/candidates").await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [mine]);
    assert_eq!(as_manager.get(&format!("/api/v1/candidates/{theirs}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(as_manager.get(&format!("/candidates/{theirs}")).await.status, StatusCode::FORBIDDEN);
    let page = as_manager.get(&format!("/candidates/{mine}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("/applications/"), "no stage buttons for a hiring manager");
    assert_eq!(
        as_manager.put_json_status(&format!("/api/v1/candidates/{mine}"), &candidate_json()).await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_pages_add_candidates_applications_and_stages() {
    let (app, profile) = app_with_profile().await;
    let form = app.get("/candidates/new").await;
    assert_eq!(form.status, StatusCode::OK);
    for field in ["birth", "gender", "photo", "nationality", "age"] {
        assert!(!form.body.contains(&format!("name=\"{field}")), "no field for {field}");
    }
    let bad = app.post_form("/candidates", &[("name", "Sofie"), ("email", "nope")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"error-email\""));
    let created = app.post_form("/candidates", &[("name", "Sofie Nielsen"), ("email", "sofie@example.dk")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let page = created.location().split('?').next().unwrap().to_owned();
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();

    let applied = app
        .post_form(&format!("{page}/applications"), &[("profile_id", &profile.to_string()), ("applied_on", "")])
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER);
    let twice = app.post_form(&format!("{page}/applications"), &[("profile_id", &profile.to_string())]).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("The candidate has applied to this role profile already."));

    let application = app.store.list_applications(ApplicationsOf::Candidate(id)).await.unwrap()[0].application.id;
    let moved = app.post_form(&format!("/applications/{application}/stage"), &[("stage", "interviewing")]).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let shown = app.get(&page).await.body;
    assert!(shown.contains("Interviewing") && shown.contains("Account Manager – Nordlys Digital ApS"));
    let profile_page = app.get(&format!("/profiles/{profile}")).await.body;
    assert!(profile_page.contains("Sofie Nielsen") && profile_page.contains("Interviewing"));
    assert!(app.get_in(&page, "da").await.body.contains("Samtaler"));
}

on_both_backends! {
    async fn candidates_and_applications_are_stored(app) {
        let store = &app.store;
        let (company, profile) = demo_companies(chrono::Utc::now().date_naive()).remove(0);
        let company = store.create_company(&company).await.unwrap();
        let profile = store.create_profile(company.id, &profile).await.unwrap();
        let input = CandidateInput { name: Some("Æse Øberg".into()), email: Some("aese@example.dk".into()), ..Default::default() };
        let candidate = store.create_candidate(&input.parse(chrono::Utc::now().date_naive()).unwrap()).await.unwrap();
        assert_eq!(store.get_candidate(candidate.id).await.unwrap(), candidate);

        let new = NewApplication { candidate_id: candidate.id, profile_id: profile.id, applied_on: chrono::Utc::now().date_naive(), by: app.admin.user_id };
        let application = store.create_application(new).await.unwrap();
        assert_eq!((application.application.stage, application.candidate_name.as_str()), (Stage::Applied, "Æse Øberg"));
        assert!(matches!(store.create_application(new).await, Err(StoreError::Duplicate)));
        assert!(matches!(store.create_application(NewApplication { profile_id: 9999, ..new }).await, Err(StoreError::NotFound)));

        let moved = store.change_stage(application.application.id, Stage::Rejected, app.admin.user_id, None, &crate::helpers::by_test(0)).await.unwrap();
        let stages: Vec<_> = moved.application.history.iter().map(|c| c.stage).collect();
        assert_eq!(stages, [Stage::Applied, Stage::Rejected]);
        assert_eq!(store.list_applications(ApplicationsOf::Profile(profile.id)).await.unwrap(), vec![moved.clone()]);
        assert_eq!(store.list_candidates().await.unwrap()[0].application_count, 1);

        assert!(matches!(store.update_candidate(candidate.id, 7, &candidate.details).await, Err(StoreError::Conflict { current_version: 1 })));
        store.delete_candidate(candidate.id, None).await.unwrap();
        assert!(store.list_applications(ApplicationsOf::Profile(profile.id)).await.unwrap().is_empty(), "applications go with the candidate");
    }
}

/// The ids of every page from `path` on, following `next`, with a candidate added after each
/// page; and how many were added.
async fn every_page(app: &TestApp, path: &str) -> (Vec<i64>, usize) {
    let mut ids = Vec::new();
    let mut next = Some(path.to_owned());
    let mut added = 0;
    while let Some(path) = next.take() {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = page.json();
        ids.extend(body["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()));
        if let Some(cursor) = body["next"].as_str() {
            let link = page.header("link");
            assert!(link.starts_with("</api/v1/candidates?") && link.ends_with(">; rel=\"next\""), "{link}");
            assert!(link.contains(&format!("cursor={cursor}")), "{link}");
            next = Some(link[1..link.find('>').unwrap()].to_owned());
        } else {
            assert!(page.headers.get("link").is_none(), "no next link on the last page");
        }
        added += 1;
        let body = json!({ "name": format!("Added {added}"), "email": format!("added{added}@example.dk") });
        create_candidate(app, &body).await;
    }
    (ids, added)
}

#[tokio::test]
async fn pages_list_every_candidate_exactly_once_while_others_are_added() {
    let app = TestApp::sqlite().await;
    let mut before = Vec::new();
    for n in 0..7 {
        before.push(
            create_candidate(&app, &json!({ "name": format!("Kandidat {n}"), "email": format!("k{n}@example.dk") }))
                .await,
        );
    }
    let (listed, added) = every_page(&app, "/api/v1/candidates?limit=3").await;
    let mut unique = listed.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), listed.len(), "nothing twice: {listed:?}");
    assert!(before.iter().all(|id| listed.contains(id)), "everyone present throughout: {listed:?}");
    assert!(listed.windows(2).all(|pair| pair[0] < pair[1]), "oldest first");
    let all = app.get("/api/v1/candidates?limit=500").await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 7 + added, "{all}");
    assert!(all["next"].is_null());
}

#[tokio::test]
async fn candidates_are_found_by_name_or_email_whatever_the_case_and_accents() {
    let app = TestApp::sqlite().await;
    let soren = create_candidate(&app, &json!({ "name": "Søren Ærø", "email": "s.aero@firma.dk" })).await;
    let jose = create_candidate(&app, &json!({ "name": "José Müller", "email": "jm@example.com" })).await;
    let found = |q: &str| {
        let app = &app;
        let path =
            format!("/api/v1/candidates?q={}", url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>());
        async move {
            let ids: Vec<i64> = app.get(&path).await.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap())
                .collect();
            ids
        }
    };
    assert_eq!(found("soren").await, [soren]);
    assert_eq!(found("ÆRØ").await, [soren]);
    assert_eq!(found("s.aero").await, [soren], "the email's start");
    assert_eq!(found("jose mu").await, [jose]);
    assert_eq!(found("ller").await, Vec::<i64>::new(), "not inside a word");
    let today = chrono::Utc::now().date_naive();
    let since = |day: chrono::NaiveDate| format!("/api/v1/candidates?created_after={day}");
    assert_eq!(app.get(&since(today)).await.json()["items"].as_array().unwrap().len(), 2);
    assert!(app.get(&since(today.succ_opt().unwrap())).await.json()["items"].as_array().unwrap().is_empty());
}

/// Applies the candidate to the profile and moves the application to `stage`.
async fn apply_at(app: &TestApp, candidate: i64, profile: i64, stage: &str) {
    let path = format!("/api/v1/candidates/{candidate}/applications");
    let application = app.post_json(&path, &json!({ "profile_id": profile })).await.json()["id"].as_i64().unwrap();
    let moved = app.put_json(&format!("/api/v1/applications/{application}/stage"), &json!({ "stage": stage })).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
}

#[tokio::test]
async fn candidates_are_filtered_by_the_profile_and_the_stage_they_applied_at() {
    let (app, profile) = app_with_profile().await;
    let company = app.get(&format!("/api/v1/profiles/{profile}")).await.json()["company_id"].as_i64().unwrap();
    let other_profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let person = |n: usize| json!({ "name": format!("Person {n}"), "email": format!("p{n}@example.dk") });
    let (screened, applied, elsewhere) = (
        create_candidate(&app, &person(1)).await,
        create_candidate(&app, &person(2)).await,
        create_candidate(&app, &person(3)).await,
    );
    create_candidate(&app, &person(4)).await;
    apply_at(&app, screened, profile, "screening").await;
    apply_at(&app, applied, profile, "applied").await;
    apply_at(&app, elsewhere, other_profile, "screening").await;
    let found = |query: String| {
        let app = &app;
        async move {
            let page = app.get(&format!("/api/v1/candidates?{query}")).await;
            assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
            page.json()["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>()
        }
    };
    assert_eq!(found(format!("profile_id={profile}")).await, [screened, applied]);
    assert_eq!(found("stage=screening".into()).await, [screened, elsewhere]);
    assert_eq!(found(format!("profile_id={profile}&stage=screening")).await, [screened]);
    assert_eq!(found(format!("profile_id={other_profile}&stage=applied")).await, Vec::<i64>::new());
    assert_eq!(found(format!("profile_id={profile}&q=person+2")).await, [applied]);
    for (query, field) in [("profile_id=9999", "profile_id"), ("profile_id=x", "profile_id"), ("stage=won", "stage")] {
        let refused = app.get(&format!("/api/v1/candidates?{query}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(refused.rejected_fields(), [field], "{query}");
    }
}

#[tokio::test]
async fn bad_paging_and_filters_are_named() {
    let app = TestApp::sqlite().await;
    create_candidate(&app, &candidate_json()).await;
    let long = "x".repeat(201);
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=100000", "limit"),
        ("limit=ten", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("created_after=yesterday", "created_after"),
        (&format!("q={long}") as &str, "q"),
    ] {
        let refused = app.get(&format!("/api/v1/candidates?{query}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", refused.body);
        assert_eq!(refused.rejected_fields(), [field], "{query}");
    }
}

/// The names on a candidate list page, in order, and its next-page link.
fn names_and_next(body: &str) -> (Vec<String>, Option<String>) {
    let names = body
        .split("<a href=\"/candidates/")
        .skip(1)
        .filter_map(|rest| Some(rest[rest.find('>')? + 1..rest.find("</a>")?].to_owned()))
        .filter(|name| !name.is_empty() && !name.contains('<'))
        .collect();
    let next = body.split("rel=\"next\"").next().filter(|_| body.contains("rel=\"next\"")).map(|before| {
        let href = before.rsplit("href=\"").next().unwrap();
        href[..href.find('"').unwrap()].replace("&#38;", "&")
    });
    (names, next)
}

#[tokio::test]
async fn the_list_page_comes_by_name_fifty_at_a_time_and_finds_by_name() {
    let app = TestApp::sqlite().await;
    for n in (0..60).rev() {
        create_candidate(&app, &json!({ "name": format!("Kandidat {n:02}"), "email": format!("k{n}@example.dk") }))
            .await;
    }
    create_candidate(&app, &json!({ "name": "Søren Ærø", "email": "s.aero@firma.dk" })).await;
    let first = app.get("/candidates").await;
    assert_eq!(first.status, StatusCode::OK);
    let (names, next) = names_and_next(&first.body);
    let expected: Vec<String> = (0..50).map(|n| format!("Kandidat {n:02}")).collect();
    assert_eq!(names, expected, "by name, not by when added");
    let next = next.expect("a next page");
    let (_, after_notice) = names_and_next(&app.get("/candidates?notice=deleted").await.body);
    assert_eq!(after_notice.as_deref(), Some(next.as_str()), "the next page does not repeat a notice");
    // A candidate added between pages, sorting before the cursor, does not move the rest.
    create_candidate(&app, &json!({ "name": "Anna Aagaard", "email": "anna@example.dk" })).await;
    let (rest, more) = names_and_next(&app.get(&next).await.body);
    let mut expected: Vec<String> = (50..60).map(|n| format!("Kandidat {n:02}")).collect();
    expected.push("Søren Ærø".into());
    assert_eq!((rest, more), (expected, None));

    let (found, _) = names_and_next(&app.get("/candidates?q=soren").await.body);
    assert_eq!(found, ["Søren Ærø"]);
    let none = app.get("/candidates?q=zzz").await;
    assert!(none.body.contains("No candidate matches this search"), "{}", none.body);
    let refused = app.get(&format!("/candidates?q={}", "x".repeat(201))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The candidate a page ended with is deleted: the list starts again from the first page.
    let last_shown =
        app.store.list_candidates().await.unwrap().into_iter().find(|o| o.candidate.details.name == "Kandidat 49");
    app.delete(&format!("/api/v1/candidates/{}", last_shown.unwrap().candidate.id)).await;
    let restarted = app.get(&next).await;
    assert_eq!(restarted.status, StatusCode::OK);
    assert_eq!(names_and_next(&restarted.body).0[0], "Anna Aagaard");
}

on_both_backends! {
    async fn the_candidate_page_explains_erasure_and_offers_no_dead_actions(app) {
        let (_, applications) = profile_with(&app, &["Ane Holm"]).await;
        let candidate = app.store.get_application(applications[0]).await.unwrap().application.candidate_id;
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        app.create_profile(company, &profile_json()).await;
        let page = app.get(&format!("/candidates/{candidate}")).await.body;
        assert!(page.contains("&#34;Erase personal data&#34; answers the candidate&#39;s request under the GDPR"), "{page}");
        let add = page.split("name=\"profile_id\">").nth(1).unwrap();
        assert!(add.trim_start().starts_with("<option value=\"\">Choose…</option>"), "no role is chosen for the recruiter: {add}");
        assert!(page.contains(&format!("action=\"/applications/{}/stage\"", applications[0])));

        let erased = app.post_json(&format!("/api/v1/candidates/{candidate}/erasure"), &json!({})).await;
        assert_eq!(erased.status, StatusCode::OK);
        let page = app.get(&format!("/candidates/{candidate}")).await.body;
        assert!(page.contains("personal data was erased: nothing about them can be changed"));
        for dead in ["/stage\"", "/interviewers\"", "/applications\" class=\"inline add-application\"", "/erase\""] {
            assert!(!page.contains(dead), "an erased candidate's page offers {dead}");
        }
    }
}
