//! Comments on a candidate: who reads and writes which (a comment about an application is read
//! as its scorecards are; one about the candidate in general only by those who see all of
//! them), an interviewer's judgement kept their own until their scorecard is in, mentions that
//! tell a colleague by mail (read back from a real SMTP server), the refusals that write
//! nothing, the audit trail, and erasure.

use amfit::domain::audit::{AuditAction, AuditFilter, AuditSubject};
use amfit::domain::user::Role;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::duplicates::open_job_with_panel;
use crate::helpers::{Client, TestApp, TestResponse, company_json, on_both_backends, profile_json, with};
use crate::letters::{delivered, part, to};
use crate::notifications::apply;

const EVIDENCE: &str = "Explained a delay to a client plainly and followed up in writing.";

/// The people of a hiring: Mette, the hiring manager who owns the profile; Ivan, its panel's
/// interviewer; Rikke, a recruiter; Søren, a hiring manager of nothing the candidate applied
/// to. And Sofie, who applied on the job page: her candidate id and application id.
struct Hiring {
    mette: Client,
    ivan: Client,
    rikke: Client,
    soren: Client,
    candidate: i64,
    application: i64,
}

async fn named(app: &TestApp, role: Role, email: &str, name: &str) -> Client {
    let client = app.client(role, email).await;
    app.execute_sql(&format!("UPDATE users SET name = '{name}' WHERE id = {}", client.user_id)).await;
    client
}

async fn hiring(app: &TestApp) -> Hiring {
    let mette = named(app, Role::HiringManager, "mette@amfit.test", "Mette Holm").await;
    let ivan = named(app, Role::Interviewer, "ivan@amfit.test", "Ivan Berg").await;
    let rikke = named(app, Role::Recruiter, "rikke@amfit.test", "Rikke Lund").await;
    let soren = named(app, Role::HiringManager, "soren@amfit.test", "Søren Kragh").await;
    let (_profile, slug) = open_job_with_panel(app, mette.user_id, ivan.user_id).await;
    let candidate = apply(app, &slug, "Sofie Madsen", "sofie@example.dk").await;
    let application = applications_of(app, candidate).await[0];
    Hiring { mette, ivan, rikke, soren, candidate, application }
}

async fn applications_of(app: &TestApp, candidate: i64) -> Vec<i64> {
    let listed = app.get(&format!("/api/v1/candidates/{candidate}/applications")).await.json();
    listed["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect()
}

fn comments_of(candidate: i64) -> String {
    format!("/api/v1/candidates/{candidate}/comments")
}

/// `who` comments on the candidate, about `application` (or the candidate in general).
async fn comment(app: &TestApp, who: &Client, candidate: i64, application: Option<i64>, body: &str) -> TestResponse {
    let sent = json!({ "body": body, "application_id": application });
    app.as_(who).send_json(Method::POST, &comments_of(candidate), &sent).await
}

async fn read(app: &TestApp, who: &Client, candidate: i64) -> Value {
    let read = app.as_(who).get(&comments_of(candidate)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    read.json()
}

async fn bodies(app: &TestApp, who: &Client, candidate: i64) -> Vec<String> {
    let comments = read(app, who, candidate).await;
    comments["comments"].as_array().unwrap().iter().map(|c| c["body"].as_str().unwrap().to_owned()).collect()
}

/// The problem code the refused comment's `field` was given.
fn problem(response: &TestResponse, field: &str) -> String {
    assert_eq!(response.rejected_fields(), [field], "{}", response.body);
    response.json()["errors"][0]["code"].as_str().unwrap().to_owned()
}

/// The interview `interviewer` has with the candidate of `application`.
async fn interview_of(app: &TestApp, interviewer: &Client, application: i64) -> i64 {
    let plan = app.get(&format!("/api/v1/applications/{application}/interviewers")).await.json();
    plan.as_array().unwrap().iter().find(|a| a["interviewer_id"] == interviewer.user_id).unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn submit_scorecard(app: &TestApp, interviewer: &Client, application: i64, score: &str) {
    let assignment = interview_of(app, interviewer, application).await;
    let fields = [
        ("score.communication", score),
        ("evidence.communication", EVIDENCE),
        ("recommendation", "yes"),
        ("action", "submit"),
    ];
    let submitted = app.as_(interviewer).post_form(&format!("/interviews/{assignment}/scorecard"), &fields).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
}

on_both_backends! {
    async fn colleagues_comment_and_mention_each_other_and_an_interviewer_judges_first(app) {
        let Hiring { mette, ivan, rikke, soren, candidate, application } = hiring(&app).await;
        let about = Some(application);

        // Ivan has not scored yet: he cannot be told of what he may not read.
        let early = comment(&app, &rikke, candidate, about, "@ivan@amfit.test she asked good questions").await;
        assert_eq!(problem(&early, "body"), "mention_cannot_read");
        let noted = comment(&app, &rikke, candidate, about, "Strong on renewals. @Mette Holm worth a second talk?").await;
        assert_eq!(noted.status, StatusCode::CREATED, "{}", noted.body);
        assert_eq!(noted.header("location"), comments_of(candidate));
        let noted = noted.json();
        assert_eq!(noted["mentions"], json!([{ "user_id": mette.user_id, "name": "Mette Holm" }]));
        assert_eq!((&noted["author_name"], &noted["application_id"]), (&json!("Rikke Lund"), &json!(application)));

        // The hiring manager reads everything about her profile's application; the interviewer
        // only his own until he scores; a "not assessed" scorecard opens nothing.
        assert_eq!(bodies(&app, &mette, candidate).await, ["Strong on renewals. @Mette Holm worth a second talk?"]);
        let hidden = read(&app, &ivan, candidate).await;
        assert_eq!((hidden["comments"].as_array().unwrap().len(), &hidden["others_hidden"]), (0, &json!(true)));
        assert_eq!(comment(&app, &ivan, candidate, about, "Ask about the churn in Q3.").await.status, StatusCode::CREATED);
        assert_eq!(bodies(&app, &ivan, candidate).await, ["Ask about the churn in Q3."]);
        let guide = app.as_(&ivan).get(&format!("/interviews/{}", interview_of(&app, &ivan, application).await)).await.body;
        assert!(guide.contains("Ask about the churn in Q3.") && !guide.contains("Strong on renewals"), "{guide}");
        let title = guide.split("<title>").nth(1).and_then(|rest| rest.split("</title>").next()).unwrap();
        assert!(title.contains("Sofie Madsen") && !title.contains("comment"), "the title is only the title: {title}");
        submit_scorecard(&app, &ivan, application, "not_assessed").await;
        assert_eq!(read(&app, &ivan, candidate).await["others_hidden"], true, "a card of no rating opens nothing");
        let correction = app.as_(&ivan).post_form(&format!("/interviews/{}/correction", interview_of(&app, &ivan, application).await), &[]).await;
        assert_eq!(correction.status, StatusCode::SEE_OTHER, "{}", correction.body);
        submit_scorecard(&app, &ivan, application, "4").await;
        let open = read(&app, &ivan, candidate).await;
        assert_eq!((open["comments"].as_array().unwrap().len(), &open["others_hidden"]), (2, &json!(false)));
        let now = comment(&app, &rikke, candidate, about, "@ivan@amfit.test see above, and @Rikke Lund too").await;
        assert_eq!(now.status, StatusCode::CREATED, "{}", now.body);
        assert_eq!(now.json()["mentions"], json!([{ "user_id": ivan.user_id, "name": "Ivan Berg" }]), "naming oneself tells no one");

        // Neither one who sees the candidate nor one of their interviewers: refused both ways.
        assert_eq!(app.as_(&soren).get(&comments_of(candidate)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(comment(&app, &soren, candidate, about, "Hello").await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&comments_of(999_999)).await.status, StatusCode::NOT_FOUND);

        // Each comment is on the trail, by id, without its text; and so is reading them.
        let trail = app.trail(&AuditFilter { subject: Some((AuditSubject::Candidate, Some(candidate))), ..Default::default() }).await;
        let written: Vec<&str> = trail.iter().filter(|e| e.action == AuditAction::Comment).map(|e| e.detail.as_str()).collect();
        assert_eq!(written, ["comment; 1 colleague(s) mentioned", "comment; 0 colleague(s) mentioned", "comment; 1 colleague(s) mentioned"]);
        assert!(trail.iter().any(|e| e.action == AuditAction::ViewCandidate && e.actor_id == Some(ivan.user_id)), "reading is on the trail");

        let Some(messages) = delivered(&app).await else { return };
        let to_mette = to(&messages, "mette@amfit.test");
        let mentioned: Vec<&Value> = to_mette.iter().copied().filter(|m| m["headers"]["subject"] == "Rikke Lund mentioned you in a comment on Sofie Madsen").collect();
        assert_eq!(mentioned.len(), 1, "{to_mette:?}");
        assert!(part(mentioned[0], "text/plain").contains(&format!("/candidates/{candidate}#comments")), "{}", mentioned[0]);
        let to_ivan = to(&messages, "ivan@amfit.test");
        assert!(to_ivan.iter().any(|m| m["headers"]["subject"] == "Rikke Lund mentioned you in a comment on Sofie Madsen"
            && part(m, "text/plain").contains("/interviews/")), "an interviewer is sent to his guide: {to_ivan:?}");
        assert!(to(&messages, "rikke@amfit.test").iter().all(|m| !m["headers"]["subject"].as_str().unwrap().contains("mentioned")), "no one is told of their own comment");
    }
}

on_both_backends! {
    async fn a_hiring_manager_reads_only_what_is_about_her_own_profile(app) {
        let Hiring { mette, rikke, soren, candidate, application, .. } = hiring(&app).await;
        // Sofie applies to Søren's role as well.
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let body = with(&profile_json(), json!({ "title": "Key Account Manager", "hiring_manager_id": soren.user_id }));
        let other_profile = app.create_profile(company, &body).await["id"].as_i64().unwrap();
        let added = app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": other_profile })).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let other = added.json()["id"].as_i64().unwrap();

        let about_other = comment(&app, &rikke, candidate, Some(other), "For the key account role: @Søren Kragh, call her.").await;
        assert_eq!(about_other.status, StatusCode::CREATED, "{}", about_other.body);
        assert_eq!(comment(&app, &rikke, candidate, Some(application), "For Mette's role.").await.status, StatusCode::CREATED);
        assert_eq!(comment(&app, &rikke, candidate, None, "In general: she moves to Aarhus in May.").await.status, StatusCode::CREATED);
        let mentions_mette_elsewhere = comment(&app, &rikke, candidate, Some(other), "@Mette Holm have a look").await;
        assert_eq!(problem(&mentions_mette_elsewhere, "body"), "mention_cannot_read", "she does not see that application");

        assert_eq!(bodies(&app, &mette, candidate).await, ["For Mette's role."]);
        assert_eq!(bodies(&app, &soren, candidate).await, ["For the key account role: @Søren Kragh, call her."]);
        assert_eq!(bodies(&app, &rikke, candidate).await.len(), 3, "a recruiter sees every one");

        // Mette writes only about what she sees, and says which.
        assert_eq!(problem(&comment(&app, &mette, candidate, None, "In general").await, "application_id"), "required");
        assert_eq!(problem(&comment(&app, &mette, candidate, Some(other), "Hm").await, "application_id"), "unknown_choice");
        assert_eq!(problem(&comment(&app, &mette, candidate, Some(999_999), "Hm").await, "application_id"), "unknown_choice");
        let page = app.as_(&mette).get(&format!("/candidates/{candidate}")).await.body;
        assert!(!page.contains("Søren Kragh") && !page.contains("key account role") && !page.contains("Aarhus in May"), "nothing of the other role on her page");
        assert!(page.contains("@Rikke Lund") && page.contains("For Mette"), "{page}");
    }
}

on_both_backends! {
    async fn a_refused_comment_names_its_fault_and_writes_nothing(app) {
        let Hiring { mette, rikke, candidate, application, .. } = hiring(&app).await;
        named(&app, Role::Recruiter, "ann.berg@amfit.test", "Ann Berg").await;
        named(&app, Role::Recruiter, "ann.b@amfit.test", "Ann Berg").await;
        let too_long = "x".repeat(4_001);
        let refusals = [
            ("   ", "required"),
            (too_long.as_str(), "too_long"),
            ("@Nobody Here, what do you think?", "unknown_mention"),
            ("@Ann Berg what do you think?", "ambiguous_mention"),
            ("a\u{7}b", "control_character"),
        ];
        for (body, code) in refusals {
            assert_eq!(problem(&comment(&app, &rikke, candidate, Some(application), body).await, "body"), code, "{body:?}");
        }
        let not_text = app.as_(&rikke).send_json(Method::POST, &comments_of(candidate), &json!({ "body": ["a"] })).await;
        assert_eq!(not_text.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", not_text.body);
        let not_a_number = app.as_(&rikke).send_json(Method::POST, &comments_of(candidate), &json!({ "body": "x", "application_id": "first" })).await;
        assert_eq!(problem(&not_a_number, "application_id"), "not_a_whole_number");
        assert_eq!(bodies(&app, &mette, candidate).await.len(), 0, "nothing was written");
        let trail = app.trail(&AuditFilter { subject: Some((AuditSubject::Candidate, Some(candidate))), ..Default::default() }).await;
        assert!(trail.iter().all(|e| e.action != AuditAction::Comment), "nor put on the trail");

        // An "@" in an address or before no name mentions no one, and is fine; an address
        // tells two of a name apart.
        let plain = comment(&app, &rikke, candidate, Some(application), "She wrote from sofie@example.dk; call @ 10. @ann.b@amfit.test").await;
        assert_eq!(plain.status, StatusCode::CREATED, "{}", plain.body);
        assert_eq!(plain.json()["mentions"][0]["name"], "Ann Berg");
    }
}

on_both_backends! {
    async fn comments_are_written_on_the_pages_and_refusals_shown_there(app) {
        let Hiring { ivan, rikke, candidate, application, .. } = hiring(&app).await;
        let page = format!("/candidates/{candidate}");
        let about = application.to_string();
        let sent = app.as_(&rikke).post_form(&format!("{page}/comments"), &[("body", "Called her references: all good."), ("application_id", &about)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        assert_eq!(sent.location(), format!("{page}?notice=commented#comments"));
        let shown = app.as_(&rikke).get(&page).await.body;
        assert!(shown.contains("Called her references: all good.") && shown.contains("id=\"comments\""), "{shown}");
        assert!(shown.contains("The candidate in general") && shown.contains(&format!("<option value=\"{about}\" selected>")), "the application first: {shown}");

        let refused = app.as_(&rikke).post_form(&format!("{page}/comments"), &[("body", "@Nobody Here, <b>look</b>"), ("application_id", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("names no colleague") && refused.body.contains("@Nobody Here, ") && !refused.body.contains("<b>look"), "{}", refused.body);
        assert!(refused.body.contains("<option value=\"\" selected>"), "the choice is kept: {}", refused.body);

        // The interviewer writes from his guide and is sent back to it; the others' comments wait.
        let assignment = interview_of(&app, &ivan, application).await;
        let sent = app.as_(&ivan).post_form(&format!("{page}/comments"), &[("body", "Prepared: read the CV."), ("application_id", &about)]).await;
        assert_eq!(sent.location(), format!("/interviews/{assignment}?notice=commented#comments"));
        let guide = app.as_(&ivan).get(&format!("/interviews/{assignment}")).await.body;
        assert!(guide.contains("Prepared: read the CV.") && !guide.contains("Called her references"), "{guide}");
        assert!(guide.contains("once your scorecard is submitted") && guide.contains(&format!("name=\"application_id\" value=\"{about}\"")), "{guide}");
        let refused = app.as_(&ivan).post_form(&format!("{page}/comments"), &[("body", ""), ("application_id", &about)]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Your comment") && refused.body.contains("aria-invalid=\"true\""), "{}", refused.body);
    }
}

on_both_backends! {
    async fn comments_go_with_the_candidate_s_data(app) {
        let Hiring { mette, rikke, candidate, application, .. } = hiring(&app).await;
        let secret = "Mentioned a long illness last year";
        assert_eq!(comment(&app, &rikke, candidate, Some(application), secret).await.status, StatusCode::CREATED);
        let export = app.get(&format!("/api/v1/candidates/{candidate}/export")).await.json();
        assert_eq!(export["comments"][0]["body"], secret, "an access request shows them");

        let erased = app.post_json(&format!("/api/v1/candidates/{candidate}/erasure"), &json!({})).await;
        assert!(erased.status.is_success(), "{}", erased.body);
        assert_eq!(bodies(&app, &mette, candidate).await.len(), 0);
        assert!(!crate::helpers::dump_database(&app.database_url).await.contains(secret), "no copy is left");
        assert_eq!(comment(&app, &rikke, candidate, Some(application), "One more").await.status, StatusCode::CONFLICT, "nothing is added after");
        let page = app.as_(&rikke).get(&format!("/candidates/{candidate}")).await.body;
        assert!(!page.contains("/comments\""), "no form on an erased candidate's page");
    }
}
