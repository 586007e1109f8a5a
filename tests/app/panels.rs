//! Interview panels set once: a role profile's default panel goes to every new application,
//! and an application's interviews get a time, a place and a link.

use amfit::domain::user::Role;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, company_json, execute_sql, in_days, on_both_backends, profile_json};

async fn profile(app: &TestApp) -> i64 {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap()
}

/// A new candidate's application to `profile`, made through the API: its id.
async fn application(app: &TestApp, profile: i64, name: &str) -> i64 {
    let email = format!("{}@example.dk", name.to_lowercase().replace(' ', "."));
    let candidate = app.post_json("/api/v1/candidates", &json!({ "name": name, "email": email })).await.json()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/candidates/{candidate}/applications");
    app.post_json(&path, &json!({ "profile_id": profile })).await.json()["id"].as_i64().unwrap()
}

async fn plan(app: &TestApp, application: i64) -> Value {
    app.get(&format!("/api/v1/applications/{application}/interviewers")).await.json()
}

/// Who the plan names, by name, and what each rates.
fn planned(plan: &Value) -> Vec<(String, Value)> {
    let mut who: Vec<_> = plan
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["interviewer_name"].as_str().unwrap().to_owned(), a["competencies"].clone()))
        .collect();
    who.sort_by(|a, b| a.0.cmp(&b.0));
    who
}

async fn interviewer(app: &TestApp, name: &str, email: &str) -> Client {
    let client = app.client(Role::Interviewer, email).await;
    let rename = format!("UPDATE users SET name = '{name}' WHERE id = {}", client.user_id);
    execute_sql(&app.database_url, &rename).await.unwrap();
    client
}

on_both_backends! {
    async fn a_profile_s_default_panel_goes_to_every_new_application(app) {
        let profile = profile(&app).await;
        let ida = interviewer(&app, "Ida Lund", "ida@amfit.test").await;
        let ole = interviewer(&app, "Ole Dahl", "ole@amfit.test").await;
        let before = application(&app, profile, "Early Bird").await;

        let panel = format!("/api/v1/profiles/{profile}/panel");
        let set = app.post_json(&panel, &json!({ "interviewer_id": ida.user_id, "competencies": ["communication", "customer_service"] })).await;
        assert_eq!(set.status, StatusCode::CREATED, "{}", set.body);
        assert_eq!(set.json()["interviewer_name"], "Ida Lund");
        let form = [("interviewer_id", ole.user_id.to_string()), ("competencies", "diligence".into())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let added = app.post_form(&format!("/profiles/{profile}/panel"), &form).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "the page's form too: {}", added.body);
        assert_eq!(app.get(&panel).await.json().as_array().unwrap().len(), 2);

        let after = application(&app, profile, "Sofie Nielsen").await;
        let expected = vec![
            ("Ida Lund".to_owned(), json!(["communication", "customer_service"])),
            ("Ole Dahl".to_owned(), json!(["diligence"])),
        ];
        assert_eq!(planned(&plan(&app, after).await), expected, "planned as the application was made");
        assert!(plan(&app, before).await.as_array().unwrap().is_empty(), "an earlier application keeps its plan");

        // A deactivated member is skipped for new applications and marked on the profile page.
        app.store.set_user_active(ole.user_id, false, &crate::helpers::by_test(0)).await.unwrap();
        let later = application(&app, profile, "Mads Holm").await;
        assert_eq!(planned(&plan(&app, later).await), expected[..1].to_vec());
        let page = app.get(&format!("/profiles/{profile}")).await.body;
        assert!(page.contains("Default interview panel") && page.contains("Deactivated: not given to new applications"), "{page}");
        assert!(app.get_in(&format!("/profiles/{profile}"), "da").await.body.contains("Fast interviewpanel"));

        // Given to the open applications that lack it, once; a closed one is left alone.
        let closed = application(&app, profile, "Bo Berg").await;
        execute_sql(&app.database_url, &format!("DELETE FROM interview_assignments WHERE application_id = {closed}")).await.unwrap();
        execute_sql(&app.database_url, &format!("UPDATE applications SET stage = 'rejected' WHERE id = {closed}")).await.unwrap();
        let applied = app.post_json(&format!("{panel}/apply"), &json!({})).await;
        assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
        assert_eq!(applied.json()["planned"], 1, "Ida for the early application; Ole is deactivated");
        assert_eq!(planned(&plan(&app, before).await), expected[..1].to_vec());
        assert!(plan(&app, closed).await.as_array().unwrap().is_empty());
        assert_eq!(app.post_json(&format!("{panel}/apply"), &json!({})).await.json()["planned"], 0);

        // Off the panel: new applications do without, the planned keep them.
        assert_eq!(app.delete(&format!("{panel}/{}", ida.user_id)).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.delete(&format!("{panel}/{}", ida.user_id)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(planned(&plan(&app, after).await), expected);
        let last = application(&app, profile, "Ulla Ravn").await;
        assert!(plan(&app, last).await.as_array().unwrap().is_empty());
    }
}

on_both_backends! {
    async fn a_bad_panel_member_is_refused_beside_its_field_and_changes_nothing(app) {
        let profile = profile(&app).await;
        let ida = interviewer(&app, "Ida Lund", "ida@amfit.test").await;
        let gone = interviewer(&app, "Gone Away", "gone@amfit.test").await;
        app.store.set_user_active(gone.user_id, false, &crate::helpers::by_test(0)).await.unwrap();
        let panel = format!("/api/v1/profiles/{profile}/panel");
        for (body, field, code) in [
            (json!({ "interviewer_id": gone.user_id, "competencies": ["diligence"] }), "interviewer_id", "inactive_user"),
            (json!({ "interviewer_id": 999, "competencies": ["diligence"] }), "interviewer_id", "unknown_user"),
            (json!({ "interviewer_id": ida.user_id, "competencies": ["golf"] }), "competencies", "unknown_choice"),
            (json!({ "interviewer_id": ida.user_id, "competencies": [] }), "competencies", "required"),
            (json!({ "interviewer_id": "Ida", "competencies": ["diligence"] }), "interviewer_id", "not_a_whole_number"),
        ] {
            let refused = app.post_json(&panel, &body).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(refused.rejected_fields(), [field], "{body}");
            assert!(refused.body.contains(code), "{body}: {}", refused.body);
        }
        assert_eq!(app.post_json("/api/v1/profiles/999/panel", &json!({ "interviewer_id": ida.user_id, "competencies": ["diligence"] })).await.status, StatusCode::NOT_FOUND);
        assert!(app.get(&panel).await.json().as_array().unwrap().is_empty(), "nothing was added");

        let form = [("interviewer_id", gone.user_id.to_string()), ("competencies", "diligence".into())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = app.post_form(&format!("/profiles/{profile}/panel"), &form).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = &page.body;
        let error = body.find("This user is deactivated and can no longer interview.").expect("the message");
        let select = body.find("<select id=\"field-interviewer_id\"").expect("the interviewer's field");
        assert!(error < select && select - error < 400, "beside the interviewer's field: {body}");
        assert!(body.contains("value=\"diligence\" checked"), "the form keeps what was ticked");
        assert!(body.contains("<details class=\"assign\" open>"), "and stays open");

        // Only those who manage profiles set panels.
        let recruiterless = app.client(Role::HiringManager, "hanne@amfit.test").await;
        let status = app.as_(&recruiterless).post_form(&format!("/profiles/{profile}/panel"), &form).await.status;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

on_both_backends! {
    async fn an_application_s_interviews_get_a_time_a_place_and_a_link(app) {
        let profile = profile(&app).await;
        let ida = interviewer(&app, "Ida Lund", "ida@amfit.test").await;
        let ole = interviewer(&app, "Ole Dahl", "ole@amfit.test").await;
        for member in [&ida, &ole] {
            let body = json!({ "interviewer_id": member.user_id, "competencies": ["communication"] });
            app.post_json(&format!("/api/v1/profiles/{profile}/panel"), &body).await;
        }
        let application = application(&app, profile, "Sofie Nielsen").await;
        let schedule = format!("/api/v1/applications/{application}/schedule");
        let tomorrow = in_days(1);
        let body = json!({ "starts_at": format!("{tomorrow}T10:00"), "duration_minutes": 45, "place": "Mødelokale 2", "video_link": "https://meet.example.com/am-1" });
        let set = app.put_json(&schedule, &body).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        let plan = set.json();
        for assignment in plan.as_array().unwrap() {
            assert_eq!(assignment["slot"]["starts_at"], format!("{tomorrow}T10:00:00"), "everybody, when nobody is named");
            assert_eq!(assignment["slot"]["duration_minutes"], 45);
            assert_eq!(assignment["slot"]["place"], "Mødelokale 2");
        }

        // Only Ole's, a day later.
        let later = in_days(2);
        let body = json!({ "starts_at": format!("{later}T09:30"), "interviewer_ids": [ole.user_id] });
        let plan = app.put_json(&schedule, &body).await.json();
        let slot_of = |plan: &Value, id: i64| plan.as_array().unwrap().iter().find(|a| a["interviewer_id"] == id).unwrap()["slot"].clone();
        assert_eq!(slot_of(&plan, ole.user_id)["starts_at"], format!("{later}T09:30:00"));
        assert_eq!(slot_of(&plan, ole.user_id)["duration_minutes"], 60, "an hour unless said");
        assert_eq!(slot_of(&plan, ida.user_id)["starts_at"], format!("{tomorrow}T10:00:00"));

        // Bad input names its field and changes nothing.
        let stranger = app.client(Role::Interviewer, "stranger@amfit.test").await;
        for (body, field) in [
            (json!({ "starts_at": format!("{}T10:00", in_days(-1)) }), "starts_at"),
            (json!({ "starts_at": "tomorrow at ten" }), "starts_at"),
            (json!({}), "starts_at"),
            (json!({ "starts_at": format!("{tomorrow}T10:00"), "duration_minutes": 5 }), "duration_minutes"),
            (json!({ "starts_at": format!("{tomorrow}T10:00"), "video_link": "javascript:alert(1)" }), "video_link"),
            (json!({ "starts_at": format!("{tomorrow}T10:00"), "place": "x".repeat(201) }), "place"),
            (json!({ "starts_at": format!("{tomorrow}T10:00"), "interviewer_ids": [stranger.user_id] }), "interviewer_ids"),
        ] {
            assert_eq!(app.put_json(&schedule, &body).await.rejected_fields(), [field], "{body}");
        }
        assert_eq!(app.get(&format!("/api/v1/applications/{application}/interviewers")).await.json(), plan);
        assert_eq!(app.put_json("/api/v1/applications/999/schedule", &json!({ "starts_at": format!("{tomorrow}T10:00") })).await.status, StatusCode::NOT_FOUND);

        // The candidate page shows it; the interviewer's start page too, with their own time.
        let candidate = app.get(&format!("/api/v1/applications/{application}")).await.json()["candidate_id"].as_i64().unwrap();
        let page = app.get(&format!("/candidates/{candidate}")).await.body;
        assert!(page.contains("Mødelokale 2") && page.contains("href=\"https://meet.example.com/am-1\""), "{page}");
        let home = app.as_(&ole).get("/").await.body;
        assert!(home.contains("09:30–10:30"), "{home}");
        let ole_s = plan.as_array().unwrap().iter().find(|a| a["interviewer_id"] == ole.user_id).unwrap()["id"].clone();
        let guide = app.as_(&ole).get(&format!("/interviews/{ole_s}")).await.body;
        assert!(guide.contains("09:30–10:30") && !guide.contains("meet.example.com"), "his own time, no link: {guide}");
        let danish = app.as_(&ole).send(Method::GET, "/", &[("accept-language", "da")], Body::empty()).await.body;
        assert!(danish.contains("kl. 09.30–10.30"), "{danish}");

        // Cleared, for everybody.
        let cleared = app.delete(&schedule).await;
        assert_eq!(cleared.status, StatusCode::OK);
        assert!(cleared.json().as_array().unwrap().iter().all(|a| a["slot"].is_null()));
    }
}

on_both_backends! {
    async fn a_refused_time_stays_open_beside_its_field(app) {
        let profile = profile(&app).await;
        let ida = interviewer(&app, "Ida Lund", "ida@amfit.test").await;
        app.post_json(&format!("/api/v1/profiles/{profile}/panel"), &json!({ "interviewer_id": ida.user_id, "competencies": ["communication"] })).await;
        let application = application(&app, profile, "Sofie Nielsen").await;
        let yesterday = format!("{}T10:00", in_days(-1));
        let page = app.post_form(&format!("/applications/{application}/schedule"), &[("starts_at", &yesterday), ("place", "Room 2")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = &page.body;
        let error = body.find("The date has already passed.").expect("the message");
        let input = body.find(&format!("id=\"starts_at-{application}\"")).expect("the field");
        assert!(error < input && input - error < 300, "beside the field: {body}");
        assert!(body.contains(&format!("value=\"{yesterday}\"")) && body.contains("value=\"Room 2\""), "as typed");
        assert!(body.matches("<details class=\"assign\" open>").count() == 1, "the time's form, open");

        let tomorrow = format!("{}T14:00", in_days(1));
        let saved = app.post_form(&format!("/applications/{application}/schedule"), &[("starts_at", &tomorrow), ("duration_minutes", "30"), ("interviewer_ids", &ida.user_id.to_string())]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(saved.location().ends_with(&format!("#application-{application}")));
        let plan = app.get(&format!("/api/v1/applications/{application}/interviewers")).await.json();
        assert_eq!(plan[0]["slot"]["duration_minutes"], 30);
    }
}

on_both_backends! {
    async fn a_recruiter_sees_interviews_held_without_a_scorecard(app) {
        let profile = profile(&app).await;
        let ida = interviewer(&app, "Ida Lund", "ida@amfit.test").await;
        app.post_json(&format!("/api/v1/profiles/{profile}/panel"), &json!({ "interviewer_id": ida.user_id, "competencies": ["communication"] })).await;
        let held = application(&app, profile, "Sofie Nielsen").await;
        let today = application(&app, profile, "Mads Holm").await;
        for id in [held, today] {
            let body = json!({ "starts_at": format!("{}T10:00", in_days(0)) });
            assert_eq!(app.put_json(&format!("/api/v1/applications/{id}/schedule"), &body).await.status, StatusCode::OK);
        }
        let two_days_ago = format!("{} 10:00:00", in_days(-2));
        let backdate = format!("UPDATE interview_assignments SET starts_at = '{two_days_ago}' WHERE application_id = {held}");
        execute_sql(&app.database_url, &backdate).await.unwrap();

        let home = app.get("/").await.body;
        assert!(home.contains("Ida Lund has not submitted a scorecard for Sofie Nielsen"), "{home}");
        assert!(!home.contains("for Mads Holm"), "today's interview is not late yet");
        let interviewer_home = app.as_(&ida).get("/").await.body;
        assert_eq!(interviewer_home.matches(">Today<").count(), 1, "Mads's interview is today: {interviewer_home}");
    }
}

on_both_backends! {
    async fn a_panel_keeps_to_the_competencies_the_rubric_has(app) {
        let profile = profile(&app).await;
        let ida = interviewer(&app, "Ida Lund", "ida@amfit.test").await;
        let ole = interviewer(&app, "Ole Dahl", "ole@amfit.test").await;
        let rated = |ids: &[&str]| ids.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        app.store.set_panel_member(profile, ida.user_id, &rated(&["communication", "retired"])).await.unwrap();
        app.store.set_panel_member(profile, ole.user_id, &rated(&["retired"])).await.unwrap();

        // As a server started with a rubric that no longer has "retired" does.
        assert_eq!(app.store.prune_panels(&["communication", "diligence"]).await.unwrap(), 2);
        let panel = app.store.list_panel(profile).await.unwrap();
        assert_eq!(panel.len(), 1, "Ole rated nothing left, and went: {panel:?}");
        assert_eq!(panel[0].competencies, ["communication"]);
        assert_eq!(app.store.prune_panels(&["communication", "diligence"]).await.unwrap(), 0);
        let new = application(&app, profile, "Sofie Nielsen").await;
        assert_eq!(planned(&plan(&app, new).await), [("Ida Lund".to_owned(), json!(["communication"]))]);
    }
}

on_both_backends! {
    async fn a_candidate_added_from_the_profile_applies_to_it_and_meets_its_panel(app) {
        let profile = profile(&app).await;
        let ida = interviewer(&app, "Ida Lund", "ida@amfit.test").await;
        app.post_json(&format!("/api/v1/profiles/{profile}/panel"), &json!({ "interviewer_id": ida.user_id, "competencies": ["communication"] })).await;
        let page = app.get(&format!("/profiles/{profile}")).await.body;
        assert!(page.contains(&format!("href=\"/profiles/{profile}/candidates/new\"")), "{page}");
        let form = app.get(&format!("/profiles/{profile}/candidates/new")).await.body;
        assert!(form.contains("New candidate for Account Manager") && form.contains(&format!("action=\"/profiles/{profile}/candidates\"")), "{form}");

        let refused = app.post_form(&format!("/profiles/{profile}/candidates"), &[("name", "Sofie Nielsen"), ("email", "nope")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("value=\"Sofie Nielsen\""), "kept as typed");
        assert!(app.get("/api/v1/candidates").await.json()["items"].as_array().unwrap().is_empty(), "nobody added");
        let unknown = app.post_form("/profiles/999/candidates", &[("name", "Sofie Nielsen"), ("email", "sofie@example.dk")]).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(app.get("/api/v1/candidates").await.json()["items"].as_array().unwrap().is_empty(), "nobody added");

        let added = app.post_form(&format!("/profiles/{profile}/candidates"), &[("name", "Sofie Nielsen"), ("email", "sofie@example.dk")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let candidate = app.get("/api/v1/candidates").await.json()["items"][0]["id"].as_i64().unwrap();
        let applications = app.get(&format!("/api/v1/candidates/{candidate}/applications")).await.json();
        let applications = &applications["items"];
        assert_eq!(applications[0]["profile_id"], profile, "{applications}");
        let application = applications[0]["id"].as_i64().unwrap();
        assert_eq!(planned(&plan(&app, application).await), [("Ida Lund".to_owned(), json!(["communication"]))]);
    }
}
