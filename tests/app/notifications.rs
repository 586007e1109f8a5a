//! People told of their work by mail, as each chose, read back from a real SMTP server: an
//! interviewer at once when assigned, a recruiter in the morning's digest of the applications
//! that arrived, a hiring manager when every scorecard is in; and nobody who said no.

use amfit::domain::user::Role;
use amfit::service::notifications::send_digests;
use axum::http::StatusCode;
use serde_json::json;

use crate::duplicates::open_job_with_panel;
use crate::helpers::{Client, TestApp, on_both_backends};
use crate::letters::{delivered, part, to};

const EVIDENCE: &str = "Explained a delay to a client plainly and followed up in writing.";

async fn choose(app: &TestApp, who: &Client, notifications: &str, language: &str) -> StatusCode {
    let fields = [("notifications", notifications), ("mail_language", language)];
    app.as_(who).post_form("/account/notifications", &fields).await.status
}

pub async fn apply(app: &TestApp, slug: &str, name: &str, email: &str) -> i64 {
    let fields = [
        crate::applying::field("name", name),
        crate::applying::field("email", email),
        crate::applying::file("cv", "cv.pdf", crate::applying::CV),
    ];
    let sent = crate::applying::apply(app, slug, &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let listed = app.get("/api/v1/candidates").await.json();
    listed["items"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()["id"].as_i64().unwrap()
}

on_both_backends! {
    async fn each_is_told_of_their_work_as_they_chose(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let jonas = app.client(Role::Interviewer, "jonas@amfit.test").await;
        let rikke = app.client(Role::Recruiter, "rikke@amfit.test").await;
        let rasmus = app.client(Role::Recruiter, "rasmus@amfit.test").await;
        assert_eq!(choose(&app, &rikke, "daily", "da").await, StatusCode::SEE_OTHER);
        assert_eq!(choose(&app, &rasmus, "off", "en").await, StatusCode::SEE_OTHER);
        assert_eq!(choose(&app, &jonas, "whenever", "en").await, StatusCode::UNPROCESSABLE_ENTITY, "a choice there is not");
        let page = app.as_(&rikke).get("/account/notifications").await.body;
        assert!(page.contains("value=\"daily\" selected") && page.contains("value=\"da\" selected"), "{page}");

        let (_profile, slug) = open_job_with_panel(&app, manager.user_id, ivan.user_id).await;
        let candidate = apply(&app, &slug, "Sofie Madsen", "sofie@example.dk").await;
        let application = app.get(&format!("/api/v1/candidates/{candidate}/applications")).await.json()["items"][0]["id"].as_i64().unwrap();
        let plan = json!({ "interviewer_id": jonas.user_id, "competencies": ["communication"] });
        let assigned = app.post_json(&format!("/api/v1/applications/{application}/interviewers"), &plan).await;
        assert_eq!(assigned.status, StatusCode::CREATED, "{}", assigned.body);

        let Some(messages) = delivered(&app).await else { return };
        let to_jonas = to(&messages, "jonas@amfit.test");
        assert_eq!(to_jonas.len(), 1, "{messages:?}");
        assert_eq!(to_jonas[0]["headers"]["subject"], "You are to interview Sofie Madsen for Account Manager");
        assert!(part(to_jonas[0], "text/plain").contains(&format!("/interviews/{}", assigned.json()["id"])), "{}", to_jonas[0]);
        assert!(to(&messages, "rikke@amfit.test").is_empty() && to(&messages, "rasmus@amfit.test").is_empty(), "a digest waits; off is off");

        // The morning's digest: one mail, in Danish, with the application.
        assert_eq!(send_digests(app.store.as_ref()).await.unwrap(), 1);
        assert_eq!(send_digests(app.store.as_ref()).await.unwrap(), 0, "each line goes once");
        let Some(messages) = delivered(&app).await else { return };
        let digest = to(&messages, "rikke@amfit.test");
        assert_eq!(digest.len(), 1, "{messages:?}");
        assert_eq!(digest[0]["headers"]["subject"], "amfit: 1 nye siden i går");
        assert!(part(digest[0], "text/plain").contains("Sofie Madsen har søgt Account Manager"), "{}", digest[0]);
        let kept = crate::helpers::dump_database(&app.database_url).await;
        assert!(!kept.contains("Sofie Madsen har søgt") && !kept.contains("You are to interview Sofie"), "sent, a colleague's notification keeps no candidate's name");

        // Every scorecard in: the hiring manager is told, once, when the last is.
        let plan = app.get(&format!("/api/v1/applications/{application}/interviewers")).await.json();
        let mut told = Vec::new();
        for assignment in plan.as_array().unwrap() {
            let client = if assignment["interviewer_id"] == ivan.user_id { &ivan } else { &jonas };
            let fields = [("score.communication", "4"), ("evidence.communication", EVIDENCE), ("recommendation", "yes"), ("action", "submit")];
            let submitted = app.as_(client).post_form(&format!("/interviews/{}/scorecard", assignment["id"]), &fields).await;
            assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
            let Some(messages) = delivered(&app).await else { return };
            told.push(to(&messages, "manager@amfit.test").iter().map(|m| m["headers"]["subject"].as_str().unwrap().to_owned()).collect::<Vec<_>>());
        }
        assert_eq!(told.len(), 2, "{plan}");
        assert!(told[0].is_empty(), "one scorecard of two: not yet");
        assert_eq!(told[1], ["Every scorecard for Sofie Madsen (Account Manager) is in: ready for your decision"]);
    }
}

/// Sets the interview time of every interviewer of `application` to `day` at 10:00, for 45
/// minutes: through the API for a day to come, and in the database for a day gone by (which
/// the API refuses to plan).
async fn schedule(app: &TestApp, application: i64, day: chrono::NaiveDate) {
    let planned = day.max(chrono::Utc::now().date_naive() + chrono::TimeDelta::days(1));
    let slot = json!({ "starts_at": format!("{planned}T10:00"), "duration_minutes": "45", "place": "Havnegade 4" });
    let set = app.put_json(&format!("/api/v1/applications/{application}/schedule"), &slot).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    if planned != day {
        let held = format!(
            "UPDATE interview_assignments SET starts_at = '{day} 10:00:00' WHERE application_id = {application}"
        );
        app.execute_sql(&held).await;
    }
}

async fn application_of(app: &TestApp, candidate: i64) -> i64 {
    app.get(&format!("/api/v1/candidates/{candidate}/applications")).await.json()["items"][0]["id"].as_i64().unwrap()
}

on_both_backends! {
    async fn interviewers_are_reminded_the_day_before_and_of_late_scorecards(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (_profile, slug) = open_job_with_panel(&app, manager.user_id, ivan.user_id).await;
        let today = chrono::Utc::now().date_naive();
        let day = |offset: i64| today + chrono::TimeDelta::days(offset);
        let tomorrow = application_of(&app, apply(&app, &slug, "Sofie Madsen", "sofie@example.dk").await).await;
        let late = application_of(&app, apply(&app, &slug, "Anders Holm", "anders@example.dk").await).await;
        let not_yet = application_of(&app, apply(&app, &slug, "Ida Berg", "ida@example.dk").await).await;
        let scored = application_of(&app, apply(&app, &slug, "Karl Lund", "karl@example.dk").await).await;
        let eva = apply(&app, &slug, "Eva Dahl", "eva@example.dk").await;
        let erased = application_of(&app, eva).await;
        for (application, offset) in [(tomorrow, 1), (late, -3), (not_yet, 2), (scored, -1), (erased, 1)] {
            schedule(&app, application, day(offset)).await;
        }
        let erasure = app.post_json(&format!("/api/v1/candidates/{eva}/erasure"), &json!({})).await;
        assert_eq!(erasure.status, StatusCode::OK, "{}", erasure.body);
        let plan = app.get(&format!("/api/v1/applications/{scored}/interviewers")).await.json();
        let fields = [("score.communication", "4"), ("evidence.communication", EVIDENCE), ("recommendation", "yes"), ("action", "submit")];
        let submitted = app.as_(&ivan).post_form(&format!("/interviews/{}/scorecard", plan[0]["id"]), &fields).await;
        assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
        let Some(_) = delivered(&app).await else { return };

        let reminded = amfit::service::notifications::send_reminders(&app.state, today).await.unwrap();
        assert_eq!(reminded, 2, "tomorrow's interview and the one three days ago; not the day after tomorrow, not one scored, not an erased candidate's");
        let Some(messages) = delivered(&app).await else { return };
        let subjects: Vec<_> = to(&messages, "ivan@amfit.test").iter().map(|m| m["headers"]["subject"].as_str().unwrap().to_owned()).collect();
        let period = format!("{}, 10:00–10:45", amfit::i18n::I18n::new(amfit::i18n::Lang::En).date(&day(1)));
        assert!(subjects.contains(&format!("Tomorrow you interview Sofie Madsen for the position of Account Manager: {period}")), "{subjects:?}");
        assert!(subjects.iter().any(|s| s.starts_with("Your scorecard for Anders Holm (Account Manager) is late")), "{subjects:?}");
        assert_eq!(subjects.len(), 2, "{subjects:?}");
        let late_mail = to(&messages, "ivan@amfit.test").into_iter().find(|m| m["headers"]["subject"].as_str().unwrap().contains("Anders")).unwrap();
        let assignment = app.get(&format!("/api/v1/applications/{late}/interviewers")).await.json()[0]["id"].clone();
        assert!(part(late_mail, "text/plain").contains(&format!("/interviews/{assignment}")), "where to write it: {late_mail}");

        // A day later nothing is due for these: a reminder comes once, and the late one again after three more days.
        assert_eq!(amfit::service::notifications::send_reminders(&app.state, day(1)).await.unwrap(), 1, "the day before the interview two days out");
        assert_eq!(amfit::service::notifications::send_reminders(&app.state, day(4)).await.unwrap(), 2, "Anders' scorecard a week late, Sofie's three days");
        assert_eq!(choose(&app, &ivan, "off", "en").await, StatusCode::SEE_OTHER);
        let Some(_) = delivered(&app).await else { return };
        amfit::service::notifications::send_reminders(&app.state, day(4)).await.unwrap();
        let Some(messages) = delivered(&app).await else { return };
        assert!(to(&messages, "ivan@amfit.test").is_empty(), "off is off: {messages:?}");
    }
}
