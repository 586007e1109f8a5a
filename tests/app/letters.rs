//! Letters to candidates, delivered to a real SMTP server (aiosmtpd) and read back as a mail
//! program and a calendar program read them: the receipt an applicant gets, the invitation with
//! its calendar entry, the rejection; and every bad request refused with nothing written.

use amfit::domain::user::Role;
use amfit::mail::send_due;
use amfit::store::ApplicationsOf;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::applying::{CV, apply, field, file};
use crate::duplicates::open_job_with_panel;
use crate::helpers::{TestApp, company_json, in_days, on_both_backends, profile_json, with};
use crate::jobs::published;
use crate::mail::{MailServerProcess, aiosmtpd_available, free_port, mailer_to, received};

/// Applies to the job at `slug` as `name` <`email`>; the application's id.
async fn applicant(app: &TestApp, slug: &str, profile: i64, name: &str, email: &str) -> i64 {
    let sent = apply(app, slug, &[field("name", name), field("email", email), file("cv", "cv.pdf", CV)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let applications = app.store.list_applications(ApplicationsOf::Profile(profile)).await.unwrap();
    applications.into_iter().find(|a| a.candidate_name == name).unwrap().application.id
}

async fn candidate_of(app: &TestApp, application: i64) -> i64 {
    app.store.get_application(application).await.unwrap().application.candidate_id
}

/// The letters the API lists for candidate `id`.
async fn letters_of(app: &TestApp, candidate: i64) -> Vec<Value> {
    let listed = app.get(&format!("/api/v1/candidates/{candidate}/messages")).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    listed.json()["items"].as_array().unwrap().clone()
}

/// Delivers what is due to a fresh aiosmtpd and reads it back; `None` without aiosmtpd.
pub async fn delivered(app: &TestApp) -> Option<Vec<Value>> {
    if !aiosmtpd_available() {
        return None;
    }
    let folder = tempfile::tempdir().unwrap();
    let maildir = folder.path().join("maildir");
    let port = free_port();
    let _smtpd = MailServerProcess::start(&maildir, port).expect("aiosmtpd starts");
    while send_due(app.store.as_ref(), &mailer_to(port)).await.unwrap() > 0 {}
    Some(received(&maildir))
}

pub fn part<'m>(message: &'m Value, content_type: &str) -> &'m str {
    let parts = message["parts"].as_array().unwrap();
    parts.iter().find(|p| p["type"] == content_type).and_then(|p| p["text"].as_str()).unwrap_or_default()
}

pub fn to<'m>(messages: &'m [Value], address: &str) -> Vec<&'m Value> {
    messages.iter().filter(|m| m["headers"]["to"] == address).collect()
}

on_both_backends! {
    async fn an_applicant_gets_a_receipt_in_the_ad_s_language_true_to_when_interviews_are_held(app) {
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let after = app.create_profile(company, &with(&profile_json(), json!({ "application_deadline": in_days(30) }))).await["id"].as_i64().unwrap();
        let danish = published(&app, after, "# Account manager\n\nVi søger en account manager.\n", "da", json!({ "slug": "am-da", "until": in_days(20) })).await;
        let rolling_body = with(&profile_json(), json!({ "title": "Key Account Manager", "interviewing": "as_applications_come", "application_deadline": in_days(30) }));
        let rolling = app.create_profile(company, &rolling_body).await["id"].as_i64().unwrap();
        let english = published(&app, rolling, "# Key account manager\n\nWe are hiring.\n", "en", json!({ "slug": "kam-en", "until": in_days(20) })).await;

        let sofie = applicant(&app, &danish, after, "Sofie Madsen", "sofie@example.dk").await;
        let liam = applicant(&app, &english, rolling, "Liam Carter", "liam@example.com").await;
        let page = app.anonymous().get("/jobs/kam-en/applied").await.body;
        assert!(page.contains("as they arrive"), "the confirmation says what the receipt says: {page}");

        let listed = letters_of(&app, candidate_of(&app, sofie).await).await;
        assert_eq!(listed.len(), 1, "{listed:?}");
        let receipt = &listed[0];
        assert_eq!((receipt["kind"].as_str(), receipt["language"].as_str(), receipt["to"].as_str()), (Some("receipt"), Some("da"), Some("sofie@example.dk")));
        assert_eq!(receipt["status"], "not_configured", "no mail server: it waits");
        assert_eq!((receipt["sent_by"].clone(), receipt["application_id"].as_i64()), (Value::Null, Some(sofie)));
        let candidate_page = app.get(&format!("/candidates/{}", candidate_of(&app, sofie).await)).await.body;
        assert!(candidate_page.contains("Not sent: no mail server configured"), "{candidate_page}");

        let Some(messages) = delivered(&app).await else { return };
        let danish_receipt = to(&messages, "sofie@example.dk");
        assert_eq!(danish_receipt.len(), 1, "{messages:?}");
        let text = part(danish_receipt[0], "text/plain");
        assert!(danish_receipt[0]["headers"]["subject"].as_str().unwrap().starts_with("Tak for din ansøgning"), "{messages:?}");
        assert!(text.contains("Kære Sofie Madsen") && text.contains("efter ansøgningsfristen"), "{text}");
        assert!(part(danish_receipt[0], "text/html").contains("<html lang=\"da\">"), "{messages:?}");
        let english_receipt = to(&messages, "liam@example.com");
        let text = part(english_receipt[0], "text/plain");
        assert!(text.contains("Dear Liam Carter") && text.contains("as they arrive"), "{text}");
        assert_eq!(letters_of(&app, candidate_of(&app, liam).await).await[0]["status"], "sent");
    }
}

on_both_backends! {
    async fn a_recruiter_invites_one_applicant_with_a_calendar_entry_and_rejects_another_kindly(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        let sofie = applicant(&app, &slug, profile, "Sofie Madsen", "sofie@example.dk").await;
        let jonas = applicant(&app, &slug, profile, "Jonas Berg", "jonas@example.dk").await;
        let letters = format!("/api/v1/applications/{sofie}/letters");

        let early = app.post_json(&letters, &json!({ "kind": "invitation" })).await;
        assert_eq!((early.status, early.rejected_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["kind".to_owned()]), "no time yet: {}", early.body);
        let day = in_days(3);
        let schedule = json!({ "starts_at": format!("{day}T10:00"), "duration_minutes": "45", "place": "Havnegade 4, Aarhus" });
        let set = app.put_json(&format!("/api/v1/applications/{sofie}/schedule"), &schedule).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);

        let invited = app.post_json(&letters, &json!({ "kind": "invitation", "note": "Tag gerne et eksempel på en kundeplan med." })).await;
        assert_eq!(invited.status, StatusCode::ACCEPTED, "{}", invited.body);
        assert_eq!((invited.json()["kind"].as_str(), invited.json()["calendar"].as_bool()), (Some("invitation"), Some(true)));
        let rejected = app.post_json(&format!("/api/v1/applications/{jonas}/letters"), &json!({ "kind": "rejection", "note": "Vi har gemt dit CV." })).await;
        assert_eq!(rejected.status, StatusCode::ACCEPTED, "{}", rejected.body);
        assert_eq!(rejected.json()["calendar"], false);
        assert_eq!(app.store.list_applications(ApplicationsOf::Profile(profile)).await.unwrap().iter().filter(|a| a.application.stage != amfit::domain::candidate::Stage::Applied).count(), 0, "a letter moves no card");

        let Some(messages) = delivered(&app).await else { return };
        let invitation = to(&messages, "sofie@example.dk").into_iter().find(|m| m["calendars"].as_array().is_some_and(|c| !c.is_empty())).expect("an invitation with a calendar entry");
        let text = part(invitation, "text/plain");
        assert!(text.contains("Vi vil meget gerne møde dig") && text.contains("kl. 10.00–10.45") && text.contains("Havnegade 4, Aarhus"), "{text}");
        assert!(text.contains("Tag gerne et eksempel på en kundeplan med.") && text.contains("Test User"), "the note and whom they meet: {text}");
        let inline = invitation["parts"].as_array().unwrap().iter().find(|p| p["type"] == "text/calendar").expect("a calendar alternative");
        assert_eq!(inline["method"], "REQUEST");
        assert!(invitation["parts"].as_array().unwrap().iter().any(|p| p["file"] == "invitation.ics"), "{invitation}");
        let calendar = &invitation["calendars"][0];
        assert_eq!(calendar["method"], "REQUEST");
        let event = &calendar["events"][0];
        let start = chrono::DateTime::parse_from_rfc3339(event["start"].as_str().unwrap()).unwrap();
        let local = start.with_timezone(&chrono_tz::Europe::Copenhagen);
        assert_eq!(local.format("%Y-%m-%d %H:%M").to_string(), format!("{day} 10:00"), "Copenhagen time: {event}");
        assert_eq!(event["sequence"], 1, "after the interviewer's entry, sent when the time was set");
        assert!(event["attendees"][0].as_str().unwrap().eq_ignore_ascii_case("mailto:sofie@example.dk"), "{event}");
        assert_eq!(event["location"], "Havnegade 4, Aarhus");
        assert!(invitation["headers"]["reply-to"].as_str().is_some_and(|to| to.contains('@')), "replies reach the recruiter: {invitation}");

        let rejection = to(&messages, "jonas@example.dk").into_iter().find(|m| part(m, "text/plain").contains("Vi har gemt dit CV.")).expect("the rejection");
        let text = part(rejection, "text/plain");
        assert!(text.contains("gå videre med kandidater"), "after screening: {text}");
        assert!(rejection["calendars"].as_array().unwrap().is_empty());
        for word in ["point", "score", "vurdering"] {
            assert!(!text.to_lowercase().contains(word), "never scores: {text}");
        }

        // A new time: the invited candidate is told, and their entry moves (the same uid, one
        // version on); a time set for no one new changes nothing for them.
        let schedule_of_sofie = format!("/api/v1/applications/{sofie}/schedule");
        let moved = json!({ "starts_at": format!("{day}T13:00"), "place": "Havnegade 4, Aarhus" });
        assert_eq!(app.put_json(&schedule_of_sofie, &moved).await.status, StatusCode::OK);
        assert_eq!(app.put_json(&schedule_of_sofie, &moved).await.status, StatusCode::OK);
        let Some(again) = delivered(&app).await else { return };
        let to_sofie = to(&again, "sofie@example.dk");
        assert_eq!(to_sofie.len(), 1, "one letter for the new time, none for the same time again: {again:?}");
        assert!(to_sofie[0]["headers"]["subject"].as_str().unwrap().ends_with("er ændret"), "{}", to_sofie[0]);
        assert!(part(to_sofie[0], "text/plain").contains("kl. 13.00–14.00"), "{}", to_sofie[0]);
        let event = &to_sofie[0]["calendars"][0]["events"][0];
        assert_eq!((event["uid"].clone(), event["sequence"].clone()), (calendar["events"][0]["uid"].clone(), json!(2)));
        assert_eq!(to_sofie[0]["calendars"][0]["method"], "REQUEST");

        // Cleared: the candidate's entry is cancelled, once.
        assert_eq!(app.delete(&schedule_of_sofie).await.status, StatusCode::OK);
        assert_eq!(app.delete(&schedule_of_sofie).await.status, StatusCode::OK);
        let Some(cleared) = delivered(&app).await else { return };
        let to_sofie = to(&cleared, "sofie@example.dk");
        assert_eq!(to_sofie.len(), 1, "{cleared:?}");
        assert!(to_sofie[0]["headers"]["subject"].as_str().unwrap().contains("er aflyst"), "{}", to_sofie[0]);
        assert!(part(to_sofie[0], "text/plain").contains("kl. 13.00–14.00"), "the time that was: {}", to_sofie[0]);
        assert_eq!(to_sofie[0]["calendars"][0]["method"], "CANCEL");
        assert_eq!(to_sofie[0]["calendars"][0]["events"][0]["uid"], calendar["events"][0]["uid"]);
        let kinds: Vec<Value> = letters_of(&app, candidate_of(&app, sofie).await).await.iter().map(|l| l["kind"].clone()).collect();
        assert_eq!(kinds, [json!("receipt"), json!("invitation"), json!("invitation"), json!("invitation")], "listed for the candidate, oldest first");
    }
}

on_both_backends! {
    async fn an_interview_is_held_in_the_company_s_time_zone(app) {
        let refused = app.post_json("/api/v1/companies", &with(&company_json(), json!({ "time_zone": "Europe/Atlantis" }))).await;
        assert_eq!((refused.status, refused.rejected_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["time_zone".to_owned()]), "{}", refused.body);
        let company = app.create_company(&with(&company_json(), json!({ "time_zone": "Europe/London" }))).await;
        assert_eq!(company["time_zone"], "Europe/London");
        let edit = app.get(&format!("/companies/{}/edit", company["id"])).await.body;
        assert!(edit.contains("<option value=\"Europe/London\" selected"), "the form shows the zone: {edit}");
        let profile = app.create_profile(company["id"].as_i64().unwrap(), &with(&profile_json(), json!({ "application_deadline": in_days(30) }))).await["id"].as_i64().unwrap();
        let slug = published(&app, profile, "# Account manager\n\nWe are hiring.\n", "en", json!({ "slug": "am-london", "until": in_days(20) })).await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let liam = applicant(&app, &slug, profile, "Liam Carter", "liam@example.com").await;
        // The application's history on the candidate's page is in London time, not Danish.
        let page = app.get(&format!("/candidates/{}", candidate_of(&app, liam).await)).await.body;
        let hour_in = |zone: chrono_tz::Tz| chrono::Utc::now().with_timezone(&zone).format("%-d %B %Y at %H:").to_string();
        assert!(page.contains(&hour_in(chrono_tz::Europe::London)), "{}", page.lines().filter(|l| l.contains("December 2026 at")).collect::<Vec<_>>().join("\n"));
        assert!(!page.contains(&hour_in(chrono_tz::Europe::Copenhagen)), "{}", page.lines().filter(|l| l.contains("December 2026 at")).collect::<Vec<_>>().join("\n"));
        let planned = app.post_json(&format!("/api/v1/applications/{liam}/interviewers"), &json!({ "interviewer_id": interviewer.user_id, "competencies": ["communication"] })).await;
        assert!(planned.status.is_success(), "{}", planned.body);
        let day = in_days(5);
        let set = app.put_json(&format!("/api/v1/applications/{liam}/schedule"), &json!({ "starts_at": format!("{day}T10:00") })).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);

        let Some(messages) = delivered(&app).await else { return };
        let invitation = to(&messages, "ivan@amfit.test").into_iter().find(|m| !m["calendars"][0].is_null()).expect("a calendar invitation");
        let event = &invitation["calendars"][0]["events"][0];
        let start = chrono::DateTime::parse_from_rfc3339(event["start"].as_str().unwrap()).unwrap();
        let local = start.with_timezone(&chrono_tz::Europe::London);
        assert_eq!(local.format("%Y-%m-%d %H:%M").to_string(), format!("{day} 10:00"), "London time: {event}");
    }
}

on_both_backends! {
    async fn a_bad_letter_is_refused_naming_what_is_wrong_and_nothing_is_written(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        let sofie = applicant(&app, &slug, profile, "Sofie Madsen", "sofie@example.dk").await;
        let candidate = candidate_of(&app, sofie).await;
        let letters = format!("/api/v1/applications/{sofie}/letters");
        for (body, fields) in [
            (json!({}), vec!["kind"]),
            (json!({ "kind": "receipt" }), vec!["kind"]),
            (json!({ "kind": "custom", "subject": " " }), vec!["subject", "body"]),
            (json!({ "kind": "rejection", "body": "Dear {candidate_name}, {interview_time}" }), vec!["body"]),
            (json!({ "kind": "offer", "subject": "{salary}" }), vec!["subject"]),
            (json!({ "kind": "offer", "note": "x".repeat(2_001) }), vec!["note"]),
            (json!({ "kind": "offer", "language": "de" }), vec!["language"]),
            (json!({ "kind": ["offer"] }), vec!["kind"]),
        ] {
            let refused = app.post_json(&letters, &body).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", refused.body);
            assert_eq!(refused.rejected_fields(), fields, "{body}");
        }
        let unknown = app.post_json(&letters, &json!({ "kind": "offer", "subject": "{salary}" })).await.body;
        assert!(unknown.contains("{salary}") && unknown.contains("{note}"), "names the field and the fields there are: {unknown}");
        assert_eq!(app.post_json("/api/v1/applications/999999/letters", &json!({ "kind": "offer" })).await.status, StatusCode::NOT_FOUND);
        let as_manager = app.as_(&manager).send_json(axum::http::Method::POST, &letters, &json!({ "kind": "offer" })).await;
        assert_eq!(as_manager.status, StatusCode::FORBIDDEN, "a hiring manager decides; a recruiter writes");
        let managers_view = app.as_(&manager).get(&format!("/candidates/{candidate}")).await;
        assert!(managers_view.status == StatusCode::OK && !managers_view.body.contains("Write a letter"), "{}", managers_view.body);
        assert_eq!(letters_of(&app, candidate).await.len(), 1, "only the receipt");

        // The letter form sent twice (a double click) is one letter; a key no form gave is refused.
        let page = app.get(&format!("/applications/{sofie}/letter?kind=rejection")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let key = page.body.split("name=\"letter_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let form = [("kind", "rejection"), ("language", "en"), ("letter_key", key.as_str()), ("action", "send")];
        for _ in 0..2 {
            let sent = app.post_form(&format!("/applications/{sofie}/letter"), &form).await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        }
        let changed = [("kind", "offer"), ("language", "en"), ("letter_key", key.as_str()), ("action", "send")];
        let reused = app.post_form(&format!("/applications/{sofie}/letter"), &changed).await;
        assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY, "a form sent again with another letter writes none: {}", reused.body);
        let tampered = [("kind", "rejection"), ("letter_key", "1; DROP TABLE outbox"), ("action", "send")];
        assert_eq!(app.post_form(&format!("/applications/{sofie}/letter"), &tampered).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let preview = app.post_form(&format!("/applications/{sofie}/letter"), &[("kind", "rejection"), ("language", "en"), ("action", "preview")]).await;
        assert!(preview.status == StatusCode::OK && preview.body.contains("Dear Sofie Madsen"), "a preview with real data: {}", preview.body);
        let listed = letters_of(&app, candidate).await;
        assert_eq!(listed.iter().map(|l| l["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["receipt", "rejection"], "{listed:?}");
        assert_eq!(listed[1]["language"], "en");

        // Erased: no letter is written, and those written are gone.
        let erased = app.post_json(&format!("/api/v1/candidates/{candidate}/erasure"), &json!({})).await;
        assert!(erased.status.is_success(), "{}", erased.body);
        let refused = app.post_json(&letters, &json!({ "kind": "offer" })).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(letters_of(&app, candidate).await.is_empty());
        assert!(delivered(&app).await.unwrap_or_default().is_empty(), "an erased candidate's waiting letters are never sent");
    }
}

on_both_backends! {
    async fn a_candidate_s_letters_are_in_their_access_export(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        let sofie = applicant(&app, &slug, profile, "Sofie Madsen", "sofie@example.dk").await;
        let note = "Tak for din tid.";
        assert_eq!(app.post_json(&format!("/api/v1/applications/{sofie}/letters"), &json!({ "kind": "rejection", "note": note })).await.status, StatusCode::ACCEPTED);
        let export = app.get(&format!("/api/v1/candidates/{}/export", candidate_of(&app, sofie).await)).await;
        assert_eq!(export.status, StatusCode::OK, "{}", export.body);
        let letters = export.json()["letters"].as_array().unwrap().clone();
        assert_eq!(letters.len(), 2, "{letters:?}");
        assert_eq!((letters[0]["kind"].as_str(), letters[1]["kind"].as_str()), (Some("receipt"), Some("rejection")));
        assert!(letters[1]["text"].as_str().unwrap().contains(note));
    }
}

on_both_backends! {
    async fn a_rejection_of_several_writes_each_a_letter_when_the_recruiter_says_so(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        let sofie = applicant(&app, &slug, profile, "Sofie Madsen", "sofie@example.dk").await;
        let jonas = applicant(&app, &slug, profile, "Jonas Berg", "jonas@example.dk").await;
        let amira = applicant(&app, &slug, profile, "Amira Haddad", "amira@example.dk").await;
        let bulk = format!("/profiles/{profile}/pipeline/bulk");
        let (sofie_card, jonas_card) = (format!("{sofie}:1"), format!("{jonas}:1"));
        let chosen = [("applications", sofie_card.as_str()), ("applications", jonas_card.as_str()), ("stage", "rejected")];

        let confirm = app.post_form(&bulk, &chosen).await;
        assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
        assert!(confirm.body.contains("Write each a rejection letter") && !confirm.body.contains("the candidates are not told"), "{}", confirm.body);
        let key = confirm.body.split("name=\"letter_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let too_long = "x".repeat(2_001);
        let mut refused = chosen.to_vec();
        refused.extend([("confirm", "true"), ("send_letter", "true"), ("note", too_long.as_str()), ("letter_key", key.as_str())]);
        assert_eq!(app.post_form(&bulk, &refused).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let rejected = app.store.list_applications(ApplicationsOf::Profile(profile)).await.unwrap();
        assert!(rejected.iter().all(|a| a.application.stage == amfit::domain::candidate::Stage::Applied), "a bad letter moves no one");

        let mut confirmed = chosen.to_vec();
        confirmed.extend([("confirm", "true"), ("send_letter", "true"), ("note", "Tak for din interesse."), ("letter_key", key.as_str())]);
        let moved = app.post_form(&bulk, &confirmed).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        assert!(moved.location().contains("notice=moved_and_told"), "{}", moved.location());
        assert_eq!(app.post_form(&bulk, &confirmed).await.status, StatusCode::CONFLICT, "sent twice: the cards moved already");
        for application in [sofie, jonas] {
            let letters = letters_of(&app, candidate_of(&app, application).await).await;
            let kinds: Vec<&str> = letters.iter().map(|l| l["kind"].as_str().unwrap()).collect();
            assert_eq!(kinds, ["receipt", "rejection"], "one rejection each: {letters:?}");
        }
        assert_eq!(letters_of(&app, candidate_of(&app, amira).await).await.len(), 1, "not chosen: only the receipt");

        // Without the box ticked, the candidates are not written to.
        let amira_card = format!("{amira}:1");
        let quiet = [("applications", amira_card.as_str()), ("stage", "rejected"), ("confirm", "true"), ("note", "x")];
        assert_eq!(app.post_form(&bulk, &quiet).await.status, StatusCode::SEE_OTHER);
        assert_eq!(letters_of(&app, candidate_of(&app, amira).await).await.len(), 1);
        let Some(messages) = delivered(&app).await else { return };
        let rejections = messages.iter().filter(|m| part(m, "text/plain").contains("Tak for din interesse.")).count();
        assert_eq!(rejections, 2, "{messages:?}");
    }
}

on_both_backends! {
    async fn the_public_form_cannot_make_amfit_mail_one_address_without_end(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        for attempt in 1..=5 {
            let name = format!("Someone {attempt}");
            applicant(&app, &slug, profile, &name, "victim@example.dk").await;
        }
        assert_eq!(app.store.list_applications(ApplicationsOf::Profile(profile)).await.unwrap().len(), 5, "every application is kept");
        let Some(messages) = delivered(&app).await else { return };
        assert_eq!(messages.len(), 3, "three receipts a day to one address: {messages:?}");
    }
}

on_both_backends! {
    async fn setting_moving_and_clearing_an_interview_tells_each_interviewer_s_calendar(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        let sofie = applicant(&app, &slug, profile, "Sofie Madsen", "sofie@example.dk").await;
        let schedule = format!("/api/v1/applications/{sofie}/schedule");
        let day = in_days(4);
        for time in ["10:00", "13:30"] {
            let set = app.put_json(&schedule, &json!({ "starts_at": format!("{day}T{time}"), "video_link": "https://meet.example.dk/sofie" })).await;
            assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        }
        assert_eq!(app.delete(&schedule).await.status, StatusCode::OK);
        assert_eq!(letters_of(&app, candidate_of(&app, sofie).await).await.len(), 1, "the candidate's letters: only the receipt");

        let Some(messages) = delivered(&app).await else { return };
        let mut to_ivan: Vec<&Value> = to(&messages, "ivan@amfit.test");
        assert_eq!(to_ivan.len(), 3, "an invitation, a new time, a cancellation: {messages:?}");
        to_ivan.sort_by_key(|m| m["calendars"][0]["events"][0]["sequence"].as_i64());
        let event = |m: &Value| m["calendars"][0]["events"][0].clone();
        let methods: Vec<&str> = to_ivan.iter().map(|m| m["calendars"][0]["method"].as_str().unwrap()).collect();
        assert_eq!(methods, ["REQUEST", "REQUEST", "CANCEL"]);
        let sequences: Vec<i64> = to_ivan.iter().map(|m| event(m)["sequence"].as_i64().unwrap()).collect();
        assert_eq!(sequences, [0, 1, 2], "each version one higher");
        let uids: std::collections::BTreeSet<String> = to_ivan.iter().map(|m| event(m)["uid"].as_str().unwrap().to_owned()).collect();
        assert_eq!(uids.len(), 1, "one entry, moved and cancelled: {uids:?}");
        let moved = chrono::DateTime::parse_from_rfc3339(event(to_ivan[1])["start"].as_str().unwrap()).unwrap();
        assert_eq!(moved.with_timezone(&chrono_tz::Europe::Copenhagen).format("%Y-%m-%d %H:%M").to_string(), format!("{day} 13:30"));
        assert_eq!(event(to_ivan[2])["status"], "CANCELLED");
        assert!(part(to_ivan[0], "text/plain").contains("Sofie Madsen") && part(to_ivan[0], "text/plain").contains("https://meet.example.dk/sofie"), "{}", to_ivan[0]);
        assert!(to_ivan[2]["headers"]["subject"].as_str().unwrap().starts_with("Aflyst"), "in the application's language: {}", to_ivan[2]);

        // Erasing the candidate takes the interviewers' entries about them too.
        app.put_json(&schedule, &json!({ "starts_at": format!("{day}T09:00") })).await;
        let candidate = candidate_of(&app, sofie).await;
        assert!(app.post_json(&format!("/api/v1/candidates/{candidate}/erasure"), &json!({})).await.status.is_success());
        assert!(delivered(&app).await.unwrap_or_default().is_empty(), "nothing about an erased candidate is sent");
    }
}

on_both_backends! {
    async fn a_company_writes_its_own_templates_in_both_languages_and_its_letters_follow_them(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        let company = app.store.get_profile(profile).await.unwrap().company_id;
        let templates = format!("/api/v1/companies/{company}/letter-templates");
        let listed = app.get(&templates).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        let standard = listed.json().as_array().unwrap().iter().filter(|t| t["own"] == false && t["da"]["subject"].is_string()).count();
        assert_eq!(standard, 7, "every kind, amfit's standard: {}", listed.body);

        // Refused, naming what is wrong; nothing is kept.
        let receipt = format!("{templates}/receipt");
        let one_language = json!({ "subject_da": "Tak, {candidate_name}", "body_da": "Vi har fået din ansøgning til {job_title}." });
        let refused = app.put_json(&receipt, &one_language).await;
        assert_eq!((refused.status, refused.rejected_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["subject_en".to_owned(), "body_en".to_owned()]), "{}", refused.body);
        let foreign = json!({ "subject_da": "Tak {interview_time}", "body_da": "Hej", "subject_en": "Thanks", "body_en": "Hi {salary}" });
        let refused = app.put_json(&receipt, &foreign).await;
        assert_eq!(refused.rejected_fields(), vec!["subject_da".to_owned(), "body_en".to_owned()], "{}", refused.body);
        assert!(refused.body.contains("{salary}") && refused.body.contains("{next_steps}"), "names the field and the kind's fields: {}", refused.body);
        assert_eq!(app.put_json(&format!("{templates}/welcome"), &foreign).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.put_json("/api/v1/companies/999999/letter-templates/receipt", &one_language).await.status, StatusCode::NOT_FOUND);
        let as_manager = app.as_(&manager).send_json(axum::http::Method::PUT, &receipt, &foreign).await;
        assert_eq!(as_manager.status, StatusCode::FORBIDDEN);
        assert!(app.get(&templates).await.json().as_array().unwrap().iter().all(|t| t["own"] == false), "nothing kept");

        // Saved in both languages: the receipt an applicant gets is the company's own.
        let own = json!({
            "subject_da": "Vi har modtaget din ansøgning, {candidate_name}",
            "body_da": "Kære {candidate_name}\n\nTak for din interesse i **{job_title}**.\n\n{next_steps}\n\nHilsen {company}",
            "subject_en": "We have your application, {candidate_name}",
            "body_en": "Dear {candidate_name}\n\nThank you for your interest in **{job_title}**.\n\n{next_steps}\n\nBest, {company}",
        });
        let saved = app.put_json(&receipt, &own).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!((saved.json()["own"].clone(), saved.json()["updated_by"].clone()), (json!(true), json!("Test User")));
        let sofie = applicant(&app, &slug, profile, "Sofie Madsen", "sofie@example.dk").await;
        let letters = letters_of(&app, candidate_of(&app, sofie).await).await;
        assert_eq!(letters[0]["subject"], "Vi har modtaget din ansøgning, Sofie Madsen", "{letters:?}");

        // The web page: listed on the company, previewed with the newest application, reset.
        let company_page = app.get(&format!("/companies/{company}")).await.body;
        assert!(company_page.contains("Your own, changed") && company_page.contains("amfit&#39;s standard"), "{company_page}");
        assert!(!app.as_(&manager).get(&format!("/companies/{company}")).await.body.contains("letters-heading"), "a hiring manager is not shown the templates");
        let edit = app.get(&format!("/companies/{company}/letters/rejection_after_screening")).await;
        assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
        assert!(edit.body.contains("{note}") && edit.body.contains("Din ansøgning til stillingen som {job_title}"), "amfit's standard to start from: {}", edit.body);
        let form = [
            ("subject_da", "Om din ansøgning til {job_title}"),
            ("body_da", "Kære {candidate_name}\n\nDesværre.\n\n{note}"),
            ("subject_en", "About your application for {job_title}"),
            ("body_en", "Dear {candidate_name}\n\nUnfortunately not.\n\n{note}"),
        ];
        let preview = app.post_form(&format!("/companies/{company}/letters/rejection_after_screening"), &[&form[..], &[("action", "preview")]].concat()).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert!(preview.body.contains("Kære Sofie Madsen") && preview.body.contains("Dear Sofie Madsen") && preview.body.contains("Sofie Madsen, Account Manager"), "{}", preview.body);
        let bad = [("subject_da", "Om {job}"), ("body_da", ""), ("subject_en", "About"), ("body_en", "Hi"), ("action", "save")];
        let refused = app.post_form(&format!("/companies/{company}/letters/rejection_after_screening"), &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.body.contains("{job}") && refused.body.contains("Om {job}"), "named, and shown as typed: {}", refused.body);
        let saved = app.post_form(&format!("/companies/{company}/letters/rejection_after_screening"), &[&form[..], &[("action", "save")]].concat()).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let rejected = app.post_json(&format!("/api/v1/applications/{sofie}/letters"), &json!({ "kind": "rejection", "note": "Held og lykke." })).await;
        assert_eq!(rejected.json()["subject"], "Om din ansøgning til Account Manager", "{}", rejected.body);

        assert_eq!(app.delete(&receipt).await.status, StatusCode::NO_CONTENT);
        let reset = app.post_form(&format!("/companies/{company}/letters/rejection_after_screening/reset"), &[]).await;
        assert_eq!(reset.status, StatusCode::SEE_OTHER);
        assert!(app.get(&templates).await.json().as_array().unwrap().iter().all(|t| t["own"] == false), "back to amfit's");
        let Some(messages) = delivered(&app).await else { return };
        let rejection = to(&messages, "sofie@example.dk").into_iter().find(|m| part(m, "text/plain").contains("Desværre.")).expect("the company's rejection");
        assert!(part(rejection, "text/plain").contains("Held og lykke."), "{rejection}");
        let receipt = to(&messages, "sofie@example.dk").into_iter().find(|m| part(m, "text/html").contains("<strong>Account Manager</strong>")).expect("the company's receipt, its Markdown as HTML");
        assert!(part(receipt, "text/plain").contains("Hilsen Nordlys"), "{receipt}");
    }
}

on_both_backends! {
    async fn an_interviewer_taken_off_the_plan_is_sent_the_cancellation_and_so_is_the_invited_candidate(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        let sofie = applicant(&app, &slug, profile, "Sofie Madsen", "sofie@example.dk").await;
        let day = in_days(6);
        let set = app.put_json(&format!("/api/v1/applications/{sofie}/schedule"), &json!({ "starts_at": format!("{day}T11:00") })).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        assert_eq!(app.post_json(&format!("/api/v1/applications/{sofie}/letters"), &json!({ "kind": "invitation" })).await.status, StatusCode::ACCEPTED);
        let Some(_) = delivered(&app).await else { return };

        let assignment = set.json()[0]["id"].as_i64().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/assignments/{assignment}")).await.status, StatusCode::NO_CONTENT);
        let Some(messages) = delivered(&app).await else { return };
        let to_ivan = to(&messages, "ivan@amfit.test");
        assert_eq!(to_ivan.len(), 1, "{messages:?}");
        assert_eq!(to_ivan[0]["calendars"][0]["method"], "CANCEL");
        let to_sofie = to(&messages, "sofie@example.dk");
        assert_eq!(to_sofie.len(), 1, "no interview is left: the candidate's is cancelled: {messages:?}");
        assert_eq!(to_sofie[0]["calendars"][0]["method"], "CANCEL");
        assert!(part(to_sofie[0], "text/plain").contains("kl. 11.00–12.00"), "{}", to_sofie[0]);
    }
}
