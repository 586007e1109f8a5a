//! Comments on a candidate: who reads and writes them, an interviewer's judgement kept their
//! own until their scorecard is in, mentions that tell a colleague by mail (read back from a
//! real SMTP server), the refusals that write nothing, the audit trail, and erasure.

use amfit::domain::audit::{AuditAction, AuditFilter, AuditSubject};
use amfit::domain::user::Role;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::duplicates::open_job_with_panel;
use crate::helpers::{Client, TestApp, on_both_backends};
use crate::letters::{delivered, part, to};
use crate::notifications::apply;

const EVIDENCE: &str = "Explained a delay to a client plainly and followed up in writing.";

/// The people of a hiring: a hiring manager who owns the profile, its panel's interviewer, a
/// recruiter, and a hiring manager of nothing this candidate applied to; and the candidate.
struct Hiring {
    manager: Client,
    ivan: Client,
    rikke: Client,
    stranger: Client,
    candidate: i64,
}

async fn hiring(app: &TestApp) -> Hiring {
    let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
    let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
    let rikke = app.client(Role::Recruiter, "rikke@amfit.test").await;
    let stranger = app.client(Role::HiringManager, "stranger@amfit.test").await;
    let (_profile, slug) = open_job_with_panel(app, manager.user_id, ivan.user_id).await;
    let candidate = apply(app, &slug, "Sofie Madsen", "sofie@example.dk").await;
    Hiring { manager, ivan, rikke, stranger, candidate }
}

fn comments_of(candidate: i64) -> String {
    format!("/api/v1/candidates/{candidate}/comments")
}

async fn comment(app: &TestApp, who: &Client, candidate: i64, body: &str) -> crate::helpers::TestResponse {
    app.as_(who).send_json(axum::http::Method::POST, &comments_of(candidate), &json!({ "body": body })).await
}

async fn read(app: &TestApp, who: &Client, candidate: i64) -> Value {
    let read = app.as_(who).get(&comments_of(candidate)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    read.json()
}

fn bodies(comments: &Value) -> Vec<&str> {
    comments["comments"].as_array().unwrap().iter().map(|c| c["body"].as_str().unwrap()).collect()
}

/// The problem code a refused comment's body was given.
fn problem(response: &crate::helpers::TestResponse) -> String {
    assert_eq!(response.rejected_fields(), ["body"], "{}", response.body);
    response.json()["errors"][0]["code"].as_str().unwrap().to_owned()
}

async fn submit_scorecard(app: &TestApp, interviewer: &Client, candidate: i64) {
    let assignment = interview_of(app, interviewer, candidate).await;
    let fields = [
        ("score.communication", "4"),
        ("evidence.communication", EVIDENCE),
        ("recommendation", "yes"),
        ("action", "submit"),
    ];
    let submitted = app.as_(interviewer).post_form(&format!("/interviews/{assignment}/scorecard"), &fields).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
}

/// The interview `interviewer` has with `candidate`.
async fn interview_of(app: &TestApp, interviewer: &Client, candidate: i64) -> i64 {
    let application = app.get(&format!("/api/v1/candidates/{candidate}/applications")).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let plan = app.get(&format!("/api/v1/applications/{application}/interviewers")).await.json();
    plan.as_array().unwrap().iter().find(|a| a["interviewer_id"] == interviewer.user_id).unwrap()["id"]
        .as_i64()
        .unwrap()
}

on_both_backends! {
    async fn colleagues_comment_and_mention_each_other_and_an_interviewer_judges_first(app) {
        let Hiring { manager, ivan, rikke, stranger, candidate } = hiring(&app).await;

        // Ivan has not scored yet: he cannot be told of what he may not read.
        let early = comment(&app, &rikke, candidate, "@ivan@amfit.test she asked good questions").await;
        assert_eq!(problem(&early), "mention_cannot_read");
        let noted = comment(&app, &rikke, candidate, "Strong on renewals. @manager@amfit.test worth a second talk?").await;
        assert_eq!(noted.status, StatusCode::CREATED, "{}", noted.body);
        assert_eq!(noted.header("location"), comments_of(candidate));
        let noted = noted.json();
        assert_eq!(noted["mentions"], json!([{ "user_id": manager.user_id, "name": "Test User" }]));
        assert_eq!(noted["author_id"], rikke.user_id);

        // The hiring manager reads everything; the interviewer only his own until he scores.
        assert_eq!(bodies(&read(&app, &manager, candidate).await), ["Strong on renewals. @manager@amfit.test worth a second talk?"]);
        let hidden = read(&app, &ivan, candidate).await;
        assert_eq!((bodies(&hidden).len(), &hidden["others_hidden"]), (0, &json!(true)));
        assert_eq!(comment(&app, &ivan, candidate, "Ask about the churn in Q3.").await.status, StatusCode::CREATED);
        assert_eq!(bodies(&read(&app, &ivan, candidate).await), ["Ask about the churn in Q3."]);
        let guide = app.as_(&ivan).get(&format!("/interviews/{}", interview_of(&app, &ivan, candidate).await)).await.body;
        assert!(guide.contains("Ask about the churn in Q3.") && !guide.contains("Strong on renewals"), "{guide}");

        submit_scorecard(&app, &ivan, candidate).await;
        let open = read(&app, &ivan, candidate).await;
        assert_eq!(bodies(&open).len(), 2);
        assert_eq!(open["others_hidden"], false);
        let now = comment(&app, &rikke, candidate, "@ivan@amfit.test see above").await;
        assert_eq!(now.status, StatusCode::CREATED, "{}", now.body);

        // Neither one who sees the candidate nor one of their interviewers: refused both ways.
        assert_eq!(app.as_(&stranger).get(&comments_of(candidate)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(comment(&app, &stranger, candidate, "Hello").await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&comments_of(999_999)).await.status, StatusCode::NOT_FOUND);

        // Each comment is on the trail, by id, without its text.
        let trail = app.trail(&AuditFilter { subject: Some((AuditSubject::Candidate, Some(candidate))), ..Default::default() }).await;
        let written: Vec<&str> = trail.iter().filter(|e| e.action == AuditAction::Comment).map(|e| e.detail.as_str()).collect();
        assert_eq!(written, ["comment; 1 colleague(s) mentioned", "comment; 0 colleague(s) mentioned", "comment; 1 colleague(s) mentioned"]);

        let Some(messages) = delivered(&app).await else { return };
        let told = to(&messages, "manager@amfit.test");
        let mentioned: Vec<&Value> = told.iter().copied().filter(|m| m["headers"]["subject"] == "Test User mentioned you in a comment on Sofie Madsen").collect();
        assert_eq!(mentioned.len(), 1, "{told:?}");
        assert!(part(mentioned[0], "text/plain").contains(&format!("/candidates/{candidate}#comments")), "{}", mentioned[0]);
        let to_ivan = to(&messages, "ivan@amfit.test");
        assert!(to_ivan.iter().any(|m| m["headers"]["subject"] == "Test User mentioned you in a comment on Sofie Madsen"
            && part(m, "text/plain").contains("/interviews/")), "an interviewer is sent to his guide: {to_ivan:?}");
        assert!(to(&messages, "rikke@amfit.test").iter().all(|m| !m["headers"]["subject"].as_str().unwrap().contains("mentioned")), "no one is told of their own comment");
    }
}

on_both_backends! {
    async fn a_refused_comment_names_its_fault_and_writes_nothing(app) {
        let Hiring { manager, rikke, candidate, .. } = hiring(&app).await;
        let _twin = app.client(Role::Recruiter, "twin@amfit.test").await;
        let too_long = "x".repeat(4_001);
        let refusals = [
            ("   ", "required"),
            (too_long.as_str(), "too_long"),
            ("@Nobody Here, what do you think?", "unknown_mention"),
            ("@Test User what do you think?", "ambiguous_mention"),
            ("a\u{7}b", "control_character"),
        ];
        for (body, code) in refusals {
            assert_eq!(problem(&comment(&app, &rikke, candidate, body).await), code, "{body:?}");
        }
        let not_text = app.as_(&rikke).send_json(axum::http::Method::POST, &comments_of(candidate), &json!({ "body": ["a"] })).await;
        assert_eq!(not_text.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", not_text.body);
        assert_eq!(bodies(&read(&app, &manager, candidate).await).len(), 0, "nothing was written");
        let trail = app.trail(&AuditFilter { subject: Some((AuditSubject::Candidate, Some(candidate))), ..Default::default() }).await;
        assert!(trail.iter().all(|e| e.action != AuditAction::Comment), "nor put on the trail");

        // An "@" in an address or before no name mentions no one, and is fine.
        let plain = comment(&app, &rikke, candidate, "She wrote from sofie@example.dk; call @ 10.").await;
        assert_eq!(plain.status, StatusCode::CREATED, "{}", plain.body);
        assert_eq!(plain.json()["mentions"], json!([]));
    }
}

on_both_backends! {
    async fn comments_are_written_on_the_pages_and_refusals_shown_there(app) {
        let Hiring { ivan, rikke, candidate, .. } = hiring(&app).await;
        let page = format!("/candidates/{candidate}");
        let sent = app.as_(&rikke).post_form(&format!("{page}/comments"), &[("body", "Called her references: all good.")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        assert_eq!(sent.location(), format!("{page}?notice=commented#comments"));
        let shown = app.as_(&rikke).get(&page).await.body;
        assert!(shown.contains("Called her references: all good.") && shown.contains("id=\"comments\""), "{shown}");

        let refused = app.as_(&rikke).post_form(&format!("{page}/comments"), &[("body", "@Nobody Here, <b>look</b>")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("names no colleague") && refused.body.contains("@Nobody Here, ") && !refused.body.contains("<b>look"), "{}", refused.body);

        // The interviewer writes from his guide and is sent back to it; the others' comments wait.
        let assignment = interview_of(&app, &ivan, candidate).await;
        let sent = app.as_(&ivan).post_form(&format!("{page}/comments"), &[("body", "Prepared: read the CV.")]).await;
        assert_eq!(sent.location(), format!("/interviews/{assignment}?notice=commented#comments"));
        let guide = app.as_(&ivan).get(&format!("/interviews/{assignment}")).await.body;
        assert!(guide.contains("Prepared: read the CV.") && !guide.contains("Called her references"), "{guide}");
        assert!(guide.contains("once your scorecard is submitted"), "{guide}");
        let refused = app.as_(&ivan).post_form(&format!("{page}/comments"), &[("body", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Your comment") && refused.body.contains("aria-invalid=\"true\""), "{}", refused.body);
    }
}

on_both_backends! {
    async fn comments_go_with_the_candidate_s_data(app) {
        let Hiring { manager, rikke, candidate, .. } = hiring(&app).await;
        let secret = "Mentioned a long illness last year";
        assert_eq!(comment(&app, &rikke, candidate, secret).await.status, StatusCode::CREATED);
        let export = app.get(&format!("/api/v1/candidates/{candidate}/export")).await.json();
        assert_eq!(export["comments"][0]["body"], secret, "an access request shows them");

        let erased = app.post_json(&format!("/api/v1/candidates/{candidate}/erasure"), &json!({})).await;
        assert!(erased.status.is_success(), "{}", erased.body);
        assert_eq!(bodies(&read(&app, &manager, candidate).await).len(), 0);
        assert!(!crate::helpers::dump_database(&app.database_url).await.contains(secret), "no copy is left");
        assert_eq!(comment(&app, &rikke, candidate, "One more").await.status, StatusCode::CONFLICT, "nothing is added after");
        let page = app.as_(&rikke).get(&format!("/candidates/{candidate}")).await.body;
        assert!(!page.contains("/comments\""), "no form on an erased candidate's page");
    }
}
