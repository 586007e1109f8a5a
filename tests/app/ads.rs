//! Job ads of a role profile: written from the profile, edited with a preview and the wording
//! check, saved as versions, compared, and put out as Markdown, HTML, text and JSON-LD.

use amfit::domain::user::Role;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, company_json, profile_json, with};

/// A company with one profile; returns the profile's id.
async fn profile(app: &TestApp, changes: Value) -> i64 {
    let company = app.create_company(&company_json()).await;
    let profile = app.create_profile(company["id"].as_i64().unwrap(), &with(&profile_json(), changes)).await;
    profile["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_api_writes_the_ad_in_every_format() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    let markdown = app.get(&format!("/api/v1/profiles/{id}/ad")).await;
    assert_eq!(markdown.status, StatusCode::OK);
    assert_eq!(markdown.header("content-type"), "text/markdown; charset=utf-8");
    assert!(markdown.body.starts_with("# Account Manager til "), "the profile's language: {}", markdown.body);
    assert!(markdown.body.contains("## Praktisk information") && markdown.body.contains("Ansøgningsfrist: "));

    let english = app.get(&format!("/api/v1/profiles/{id}/ad?language=en&tone=formal&format=text")).await;
    assert_eq!(english.header("content-type"), "text/plain; charset=utf-8");
    assert!(english.body.starts_with("Account Manager at "), "{}", english.body);
    assert!(english.body.contains("We look forward to receiving your application."), "formal");
    assert!(!english.body.contains("## "), "no markup in plain text");

    let html = app.get(&format!("/api/v1/profiles/{id}/ad?format=html")).await;
    assert_eq!(html.header("content-type"), "text/html; charset=utf-8");
    assert!(html.body.starts_with("<!doctype html>") && html.body.contains("<html lang=\"da\">"));
    assert!(
        html.body.contains("<script type=\"application/ld+json\">")
            && html.body.contains("<h2>Praktisk information</h2>")
    );

    // Without a format, as Accept prefers; the query wins; an Accept of none of them is Markdown.
    let by_accept = |accept: &'static str, query: &'static str| {
        let path = format!("/api/v1/profiles/{id}/ad{query}");
        let app = &app;
        async move { app.send(axum::http::Method::GET, &path, &[("accept", accept)], "").await }
    };
    let chosen = by_accept("application/json;q=0.5, application/ld+json", "").await;
    assert_eq!((chosen.header("content-type"), chosen.header("vary")), ("application/ld+json", "accept"));
    assert_eq!(by_accept("text/html", "?format=text").await.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(
        by_accept("text/plain;q=0.2, text/html;q=0.9", "").await.header("content-type"),
        "text/html; charset=utf-8"
    );
    assert_eq!(by_accept("application/xml", "").await.header("content-type"), "text/markdown; charset=utf-8");

    let posting = app.get(&format!("/api/v1/profiles/{id}/ad?format=jsonld")).await;
    assert_eq!(posting.header("content-type"), "application/ld+json");
    let json = posting.json();
    for required in [
        "title",
        "description",
        "datePosted",
        "hiringOrganization",
        "jobLocation",
        "validThrough",
        "employmentType",
        "baseSalary",
    ] {
        assert!(json.get(required).is_some(), "{required} in {json}");
    }
    assert_eq!(json["@type"], "JobPosting");
}

#[tokio::test]
async fn the_api_refuses_what_it_cannot_write() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    for (query, field) in [
        ("format=pdf", "format"),
        ("language=de", "language"),
        ("tone=chummy", "tone"),
        ("version=0", "version"),
        ("version=x", "version"),
    ] {
        let response = app.get(&format!("/api/v1/profiles/{id}/ad?{query}")).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(response.rejected_fields(), [field], "{query}");
    }
    assert_eq!(app.get(&format!("/api/v1/profiles/{id}/ad?version=7")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/profiles/{}/ad", id + 1)).await.status, StatusCode::NOT_FOUND);
    let interviewer = app.client(Role::Interviewer, "ida@amfit.test").await;
    assert_eq!(app.as_(&interviewer).get(&format!("/api/v1/profiles/{id}/ad")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn saved_versions_are_numbered_listed_and_read_back() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    let path = format!("/api/v1/profiles/{id}/ads");
    let text = "# Account Manager\n\nVi søger en ung sælger.\n";
    let saved = app.post_json(&path, &json!({ "text": text, "language": "da" })).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let body = saved.json();
    assert_eq!((body["version"]["number"].as_i64(), body["version"]["tone"].as_str()), (Some(1), Some("informal")));
    assert_eq!(body["wording"]["flags"][0]["text"], "ung", "saved with its wording check");
    assert_eq!(saved.location(), format!("/api/v1/profiles/{id}/ad?version=1"));
    let again = app.post_json(&path, &json!({ "text": "# Second\n", "language": "en", "tone": "formal" })).await;
    assert_eq!(again.json()["version"]["number"], 2);

    let listed = app.get(&path).await.json();
    let numbers: Vec<i64> = listed["items"].as_array().unwrap().iter().map(|v| v["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(app.get(&format!("/api/v1/profiles/{id}/ad?version=1")).await.body, text);

    let long = "a".repeat(50_001);
    for (body, field) in [
        (json!({ "text": "", "language": "da" }), "text"),
        (json!({ "text": long, "language": "da" }), "text"),
        (json!({ "text": "x", "language": "sv" }), "language"),
        (json!({ "text": "x", "language": "da", "tone": "loud" }), "tone"),
    ] {
        let refused = app.post_json(&path, &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(refused.rejected_fields(), [field]);
    }
    assert_eq!(app.get(&path).await.json()["items"].as_array().unwrap().len(), 2, "nothing was saved");
    let hiring_manager = app.client(Role::HiringManager, "hm@amfit.test").await;
    let refused =
        app.as_(&hiring_manager).send_json(Method::POST, &path, &json!({ "text": "x", "language": "da" })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "only those who manage profiles save ads");
}

#[tokio::test]
async fn the_editor_shows_the_ad_with_its_preview_and_check() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    let page = app.get(&format!("/profiles/{id}/ad")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("# Account Manager til "), "the Markdown in the editor");
    assert!(page.body.contains("<h1>Account Manager til "), "and its preview");
    assert!(page.body.contains("LIX "), "with the wording check");
    assert!(page.body.contains(&format!("/profiles/{id}/ad/export?format=jsonld&#38;language=da&#38;tone=informal")));
    let english = app.get(&format!("/profiles/{id}/ad?language=en&tone=formal")).await;
    // "Responsibilities" begins with the feminine-coded stem "respon", so it is marked too.
    assert!(
        english.body.contains(">Responsibilities</mark></h2>"),
        "written afresh in English, formally: {}",
        english.body
    );
}

#[tokio::test]
async fn the_check_marks_findings_in_the_preview_and_shows_markup_as_text() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    let text = "# Sælger\n\nVi søger en ung salgsmand <script>alert(1)</script>.\n\n<img src=x onerror=alert(2)>\n";
    let page = app
        .post_form(&format!("/profiles/{id}/ad/preview"), &[("text", text), ("language", "da"), ("tone", "informal")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<mark class=\"flag\""), "findings are marked in the preview");
    assert!(page.body.contains(">salgsmand</mark>"));
    assert!(!page.body.contains("<script>alert") && !page.body.contains("<img src=x"), "nothing of the text runs");
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || page.body.contains("&#60;script&#62;alert(1)")
    );
    assert!(page.body.contains("</textarea>") && page.body.contains("alert(2)"), "the text stays in the editor");

    let export = app.get(&format!("/api/v1/profiles/{id}/ad?format=html&version=1")).await;
    assert_eq!(export.status, StatusCode::NOT_FOUND, "nothing saved yet");
    app.post_json(&format!("/api/v1/profiles/{id}/ads"), &json!({ "text": text, "language": "da" })).await;
    for format in ["html", "jsonld"] {
        let export = app.get(&format!("/profiles/{id}/ad/export?format={format}&version=1")).await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.header("content-disposition").starts_with("attachment; filename=\"account-manager-da-v1."));
        assert!(
            !export.body.contains("<script>alert") && !export.body.contains("<img src=x"),
            "{format}: {}",
            export.body
        );
    }
}

#[tokio::test]
async fn the_live_preview_answers_with_the_fragment_alone() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    let recruiter = app.client(Role::Recruiter, "rikke@amfit.test").await;
    let form = serde_html_form::to_string([
        ("text", "# Title\n\n## What we need from you\n\n- a\n- b\n- c\n- d\n- e\n- f\n- g\n"),
        ("language", "en"),
        ("csrf_token", recruiter.csrf.as_deref().unwrap()),
    ])
    .unwrap();
    let headers = [("content-type", "application/x-www-form-urlencoded"), ("x-fragment", "preview")];
    let path = format!("/profiles/{id}/ad/preview");
    let fragment = app.as_(&recruiter).send(Method::POST, &path, &headers, form).await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(!fragment.body.contains("<html") && fragment.body.contains("<h1>Title</h1>"), "{}", fragment.body);
    assert!(fragment.body.contains("The ad lists 7 must-haves"), "the structure check: {}", fragment.body);

    let empty = serde_html_form::to_string([
        ("text", " "),
        ("language", "en"),
        ("csrf_token", recruiter.csrf.as_deref().unwrap()),
    ])
    .unwrap();
    let refused = app.as_(&recruiter).send(Method::POST, &path, &headers, empty).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Text of the ad: "), "{}", refused.body);
}

#[tokio::test]
async fn saving_from_the_editor_makes_versions_that_compare() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    let path = format!("/profiles/{id}/ad");
    let first = app
        .post_form(&path, &[("text", "# Sælger\n\nLinje et\nLinje to\n"), ("language", "da"), ("tone", "formal")])
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(first.location(), format!("/profiles/{id}/ad?version=1&notice=created"));
    app.post_form(&path, &[("text", "# Sælger\n\nLinje et\nLinje tre\n"), ("language", "da")]).await;
    let opened = app.get(&format!("/profiles/{id}/ad?version=1")).await;
    assert!(opened.body.contains("Version 1, saved by"), "{}", opened.body);
    assert!(opened.body.contains("Linje to\n</textarea>"));

    let compared = app.get(&format!("/profiles/{id}/ad/compare?from=1&to=2")).await;
    assert_eq!(compared.status, StatusCode::OK);
    assert!(compared.body.contains("Lines added: 1, removed: 1"), "{}", compared.body);
    assert!(compared.body.contains("<del class=\"diff-line removed\"") && compared.body.contains("Linje to</del>"));
    assert!(compared.body.contains("Linje tre</ins>"));
    assert_eq!(app.get(&format!("/profiles/{id}/ad/compare?from=1&to=9")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/profiles/{id}/ad/compare?from=1")).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    let refused = app.post_form(&path, &[("text", ""), ("language", "da")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Text of the ad: "));
    assert_eq!(app.get(&format!("/api/v1/profiles/{id}/ads")).await.json()["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_profile_without_enough_data_gets_an_ad_that_says_what_is_missing() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({ "application_deadline": null, "contact_name": null, "ad_language": "en" })).await;
    let page = app.get(&format!("/profiles/{id}/ad")).await;
    assert!(page.body.contains("The role profile lacks what a complete ad needs"), "{}", page.body);
    assert!(page.body.contains("the application deadline, a contact person"), "{}", page.body);
    let markdown = app.get(&format!("/api/v1/profiles/{id}/ad")).await.body;
    assert!(markdown.contains("Application deadline: [Missing: the application deadline."), "{markdown}");
    assert!(markdown.contains("Contact: [Missing: a contact person"), "{markdown}");
}

#[tokio::test]
async fn an_unfinished_ad_is_saved_from_the_editor_only_once_confirmed() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    let path = format!("/profiles/{id}/ad");
    let unfinished = "# Sælger\n\nVi søger en ung sælger.\n\n- Ansøgningsfrist: [Mangler: ansøgningsfristen.]\n";
    let fields = [("text", unfinished), ("language", "da"), ("tone", "informal")];
    let warned = app.post_form(&path, &fields).await;
    assert_eq!(warned.status, StatusCode::OK, "{}", warned.body);
    assert!(
        warned.body.contains("Wording flags under discrimination law: 1. Places marked [Missing: …]: 1."),
        "{}",
        warned.body
    );
    assert!(warned.body.contains("name=\"confirm\" value=\"yes\""), "a button saves it all the same");
    assert!(warned.body.contains("Vi søger en ung sælger."), "the text stays in the editor");
    let versions = app.get(&format!("/api/v1/profiles/{id}/ads")).await.json();
    assert_eq!(versions["items"].as_array().unwrap().len(), 0, "nothing saved without the confirmation");

    let confirmed = app.post_form(&path, &[fields[0], fields[1], fields[2], ("confirm", "yes")]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    let finished = [("text", "# Sælger\n\nVi søger en sælger.\n"), ("language", "da"), ("tone", "informal")];
    assert_eq!(app.post_form(&path, &finished).await.status, StatusCode::SEE_OTHER, "a finished ad saves at once");
    let versions = app.get(&format!("/api/v1/profiles/{id}/ads")).await.json();
    assert_eq!(versions["items"].as_array().unwrap().len(), 2);

    // The API saves and says in the body what is left to finish.
    let saved =
        app.post_json(&format!("/api/v1/profiles/{id}/ads"), &json!({ "text": unfinished, "language": "da" })).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    assert_eq!(saved.json()["unfinished"], json!({ "flags": 1, "placeholders": 1 }));
    assert_eq!(saved.json()["wording"]["flags"][0]["category"], "age");
}

#[tokio::test]
async fn the_editor_marks_a_sentence_in_the_other_language() {
    let app = TestApp::sqlite().await;
    let id = profile(&app, json!({})).await;
    let text = "# Sælger\n\nVi søger en sælger til vores kunder. We are looking for someone who loves our clients.\n";
    let page = app
        .post_form(&format!("/profiles/{id}/ad/preview"), &[("text", text), ("language", "da"), ("tone", "informal")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("<mark class=\"other-language\"") && page.body.contains("written in English, not Danish"),
        "{}",
        page.body
    );
    let report = app.post_json("/api/v1/wording-check", &json!({ "text": text, "language": "da" })).await.json();
    assert_eq!(report["other_language"][0]["text"], "We are looking for someone who loves our clients");
}
