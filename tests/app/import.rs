//! Importing the candidates a recruiter already has from a CSV file: a preview that marks each
//! row's problems and the known candidates, then all rows or none, on the web, the API and the
//! command line.

use amfit::domain::audit::{AuditAction, AuditFilter};
use amfit::store::ApplicationsOf;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::applying::{Part, field, file, multipart};
use crate::helpers::{TestApp, TestResponse, company_json, on_both_backends, profile_json};

/// A Danish spreadsheet's CSV: a byte-order mark, semicolons, Danish headers and dates, a
/// column amfit does not know.
const DANISH: &str = "\u{feff}Navn;E-mail;Telefon;Kilde;Trin;Ansøgt den;I fasen siden;Noter\r\n\
    Sofie Østergaard;sofie@example.dk;+45 20 30 40 50;Jobindex;Samtaler;01-11-2026;15-11-2026;god\r\n\
    Bo Berg;BO@example.dk;;Henvisning;;;;\r\n";

async fn profile(app: &TestApp) -> i64 {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap()
}

/// Posts a multipart form with the admin's CSRF token first, as the page's form sends it.
async fn post_multipart(app: &TestApp, path: &str, parts: &[Part<'_>]) -> TestResponse {
    let csrf = app.admin.csrf.clone().unwrap();
    let mut all = vec![field("csrf_token", &csrf)];
    all.extend(parts.iter().map(|p| Part { name: p.name, file_name: p.file_name, content: p.content }));
    let content_type = "multipart/form-data; boundary=amfit-test-boundary-7d1f";
    app.admin().send(Method::POST, path, &[("content-type", content_type)], multipart(&all)).await
}

fn hidden_content(page: &str) -> String {
    let content = page.split("<textarea name=\"content\" hidden>").nth(1).unwrap().split("</textarea>").next().unwrap();
    content
        .replace("&#13;", "\r")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

on_both_backends! {
    async fn a_recruiter_previews_a_danish_file_and_imports_it_whole(app) {
        let profile = profile(&app).await;
        let profile_id = profile.to_string();
        assert!(app.get("/candidates").await.body.contains("href=\"/candidates/import\""));
        let form = app.get("/candidates/import").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("enctype=\"multipart/form-data\""));

        let preview = post_multipart(&app, "/candidates/import", &[field("profile_id", &profile_id), file("file", "kandidater.csv", DANISH.as_bytes())]).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert!(preview.body.contains("Sofie Østergaard") && preview.body.contains("2 rows are ready: 2 new candidates, 0 who are known"), "{}", preview.body);
        assert!(preview.body.contains("Columns left out, which amfit does not know: Noter."));
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 0, "a preview imports nothing");

        let content = hidden_content(&preview.body);
        let imported = post_multipart(&app, "/candidates/import/confirm", &[field("profile_id", &profile_id), field("content", &content)]).await;
        assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
        assert_eq!(imported.location(), "/candidates?notice=imported");
        let applications = app.store.list_applications(ApplicationsOf::Profile(profile)).await.unwrap();
        assert_eq!(applications.len(), 2);
        let sofie = applications.iter().find(|a| a.candidate_name == "Sofie Østergaard").unwrap();
        assert_eq!(sofie.application.stage, amfit::domain::candidate::Stage::Interviewing);
        assert_eq!(sofie.application.applied_on.to_string(), "2026-11-01");
        assert_eq!(sofie.application.source.as_deref(), Some("Jobindex"));
        assert!(sofie.application.seen_at.is_some(), "imported by a recruiter: not new");
        assert_eq!(sofie.application.history[0].changed_by.as_deref(), Some("Test User"), "set by who imported");
        // The history the file brings: in the stage since 15 November, waiting on the start page.
        assert_eq!(sofie.application.history[0].changed_at.date_naive().to_string(), "2026-11-15");
        let days = (chrono::Utc::now().date_naive() - chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap()).num_days();
        let board = app.get(&format!("/profiles/{profile}/pipeline")).await.body;
        assert!(board.contains(&format!("{days} days in this stage")), "{board}");
        assert!(app.get("/").await.body.contains("1 application waiting in its stage"), "Bo, applied today, is not");
        let trail = app.trail(&AuditFilter { action: Some(AuditAction::ImportCandidates), ..AuditFilter::default() }).await;
        assert_eq!((trail.len(), trail[0].subject_id, trail[0].detail.as_str()), (1, profile, "2 application(s) from a file"));

        // The same file again: both would apply twice, so nothing is imported.
        let again = post_multipart(&app, "/candidates/import", &[field("profile_id", &profile_id), file("file", "kandidater.csv", DANISH.as_bytes())]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("The candidate has applied to this role profile already.") && !again.body.contains("name=\"content\""), "no import offered");
        let forced = post_multipart(&app, "/candidates/import/confirm", &[field("profile_id", &profile_id), field("content", &content)]).await;
        assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY, "a confirmation of a stale preview shows the rows again");
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 2);
    }
}

on_both_backends! {
    async fn a_file_with_problems_is_shown_row_by_row_and_nothing_is_imported(app) {
        let profile = profile(&app).await;
        let cases: [(&str, &str); 4] = [
            ("name,phone\nBo,12345678\n", "The file has no column &#34;Email&#34;"),
            ("", "This field is required."),
            ("name,email\n", "This field is required."),
            ("name,email,navn\nBo,bo@example.dk,Bo\n", "The file has the column &#34;Name&#34; twice."),
        ];
        for (file_text, message) in cases {
            let refused = post_multipart(&app, "/candidates/import", &[file("file", "x.csv", file_text.as_bytes())]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{file_text:?}");
            assert!(refused.body.contains(message), "{file_text:?}: {}", refused.body);
        }
        let rows = format!(
            "name,email,profile,stage,applied on\n\
             Ann,ann@example.dk,{profile},,31-02-2026\n\
             Bo,not-an-email,{profile},,\n\
             Cy,cy@example.dk,999,,\n\
             Di,di@example.dk,{profile},ansat,\n\
             Di,di@example.dk,{profile},,\n\
             Ed,ed@example.dk,,,\n"
        );
        let preview = post_multipart(&app, "/candidates/import", &[file("file", "x.csv", rows.as_bytes())]).await;
        assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "Applied on: Enter a date as YYYY-MM-DD.",
            "Email: Enter an email address such as name@example.com.",
            "Profile: No role profile has this id or title.",
            "Email: Line 5 has the same person for the same role profile already.",
            "Profile: This field is required.",
        ] {
            assert!(preview.body.contains(message), "{message}: {}", preview.body);
        }
        assert!(preview.body.contains("Nothing can be imported until every row is right"));
        assert!(!preview.body.contains("name=\"content\""));
        // A confirmation sent anyway imports nothing.
        let forced = post_multipart(&app, "/candidates/import/confirm", &[field("content", &rows)]).await;
        assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 0, "all or nothing");
        let bad_profile = post_multipart(&app, "/candidates/import", &[field("profile_id", "x"), file("file", "x.csv", b"name,email\nBo,bo@example.dk\n")]).await;
        assert_eq!(bad_profile.status, StatusCode::UNPROCESSABLE_ENTITY);
        let no_csrf = app.admin().send(Method::POST, "/candidates/import", &[("content-type", "multipart/form-data; boundary=amfit-test-boundary-7d1f")], multipart(&[file("file", "x.csv", b"name,email\n")])).await;
        assert_eq!(no_csrf.status, StatusCode::FORBIDDEN, "a multipart form needs its CSRF token too");
    }
}

on_both_backends! {
    async fn the_api_reports_a_dry_run_and_imports_whole(app) {
        let profile = profile(&app).await;
        let csv = |body: &str| body.to_owned();
        let send = |path: String, body: String| {
            let app = &app;
            async move { app.send(Method::POST, &path, &[("content-type", "text/csv")], body).await }
        };
        let dry = send(format!("/api/v1/candidates/import?profile_id={profile}&dry_run=true"), csv(DANISH)).await;
        assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
        let report = dry.json();
        assert_eq!(report["ready"], true);
        assert_eq!(report["rows"][0]["line"], 2);
        assert_eq!(report["rows"][0]["stage"], "interviewing");
        assert_eq!(report["ignored_headers"], json!(["Noter"]));
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 0);

        let bad = send(format!("/api/v1/candidates/import?profile_id={profile}"), csv("name,email\nBo,nope\n")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.rejected_fields(), ["rows[2].email"]);
        let missing = send(format!("/api/v1/candidates/import?profile_id={profile}"), csv("name\nBo\n")).await;
        assert_eq!(missing.rejected_fields(), ["file"]);
        let no_rows = app.post_json("/api/v1/candidates/import", &json!({"name": "Bo"})).await;
        assert_eq!(no_rows.rejected_fields(), ["rows"], "JSON is taken, as a list of rows");
        let not_csv = app.send(Method::POST, "/api/v1/candidates/import", &[("content-type", "text/plain")], "name,email").await;
        assert_eq!(not_csv.status, StatusCode::BAD_REQUEST);
        assert!(not_csv.json()["detail"].as_str().unwrap().contains("text/csv or application/json"), "{}", not_csv.body);
        let bad_query = send("/api/v1/candidates/import?profile_id=x&dry_run=maybe".into(), csv(DANISH)).await;
        assert_eq!(bad_query.status, StatusCode::UNPROCESSABLE_ENTITY);

        let imported = send(format!("/api/v1/candidates/import?profile_id={profile}"), csv(DANISH)).await;
        assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
        assert_eq!(imported.json(), json!({ "new_candidates": 2, "applications": 2 }));
        let interviewer = app.client(amfit::domain::user::Role::Interviewer, "iv@amfit.test").await;
        let refused = app.as_(&interviewer).send(Method::POST, "/api/v1/candidates/import", &[("content-type", "text/csv")], DANISH).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
}

on_both_backends! {
    async fn the_api_imports_rows_sent_as_json_by_the_same_rules(app) {
        let profile = profile(&app).await;
        let path = format!("/api/v1/candidates/import?profile_id={profile}");
        let rows = json!({ "rows": [
            { "name": "Sofie Nielsen", "email": "sofie@example.dk", "stage": "Samtaler", "applied_on": "2026-11-02", "stage_since": "2026-11-20" },
            { "name": "Jonas Dahl", "email": "jonas@example.dk", "profile": profile, "source": "Jobindex" },
        ] });
        let dry = app.post_json(&format!("{path}&dry_run=true"), &rows).await;
        assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
        let report = dry.json();
        assert_eq!((&report["ready"], &report["rows"][0]["line"], &report["rows"][0]["stage"]), (&json!(true), &json!(0), &json!("interviewing")));
        assert_eq!(report["rows"][1]["profile_id"], profile, "an id given as a number");
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 0, "a dry run imports nothing");

        let bad = json!({ "rows": [{ "name": "Bo", "email": "bo@example.dk" }, { "name": "Eva", "email": "nope" }, { "email": "x@example.dk", "stage": "somewhere" }] });
        let refused = app.post_json(&path, &bad).await;
        assert_eq!(refused.rejected_fields(), ["rows[1].email", "rows[2].name", "rows[2].stage"], "by place from 0, as JSON paths, all at once");
        let padding = "x".repeat(200);
        let large = json!({ "rows": vec![json!({ "name": padding, "email": "a@example.dk" }); 2_100] });
        let refused = app.post_json(&path, &large).await;
        assert_eq!((refused.rejected_fields(), refused.json()["errors"][0]["code"].clone()), (vec!["rows".to_owned()], json!("file_too_large")), "held to a file's size");
        let wrong = app.post_json(&path, &json!({ "rows": "Bo" })).await;
        assert_eq!(wrong.rejected_fields(), ["rows"]);
        let too_many = json!({ "rows": vec![json!({ "name": "A", "email": "a@example.dk" }); 5_001] });
        let refused = app.post_json(&path, &too_many).await;
        assert_eq!((refused.rejected_fields(), refused.json()["errors"][0]["code"].clone()), (vec!["rows".to_owned()], json!("too_many_items")));
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 0, "nothing of a refused list");

        let imported = app.post_json(&path, &rows).await;
        assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
        assert_eq!(imported.json(), json!({ "new_candidates": 2, "applications": 2 }));
        let sofie = app.store.list_applications(amfit::store::ApplicationsOf::Profile(profile)).await.unwrap();
        let sofie = sofie.iter().find(|a| a.candidate_name == "Sofie Nielsen").unwrap();
        assert_eq!(sofie.application.history[0].changed_at.date_naive().to_string(), "2026-11-20");
    }
}

#[tokio::test]
async fn the_command_line_prints_each_problem_by_line_and_imports_whole() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", folder.path().join("amfit.db").display());
    let store = amfit::store::connect(&url).await.unwrap();
    let (company, profile) = amfit::domain::demo::demo_companies(chrono::Utc::now().date_naive()).remove(0);
    let company = store.create_company(&company).await.unwrap();
    let profile = store.create_profile(company.id, &profile).await.unwrap().id;
    std::fs::write(folder.path().join("bad.csv"), "name,email\nBo,nope\n").unwrap();
    std::fs::write(folder.path().join("good.csv"), DANISH).unwrap();
    let run = |file: &str, extra: &[&str]| {
        let mut command = crate::binary::amfit(folder.path());
        command
            .args(["--database-url", &url, "import", "candidates", file, "--profile", &profile.to_string()])
            .args(extra);
        command.output().unwrap()
    };
    let bad = run("bad.csv", &[]);
    assert!(!bad.status.success());
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(said.contains("nothing imported") && said.contains("line 2, email: Enter an email address"), "{said}");
    let dry = run("good.csv", &["--dry-run"]);
    assert!(dry.status.success());
    assert!(
        String::from_utf8_lossy(&dry.stdout).contains("2 row(s) ready"),
        "{}",
        String::from_utf8_lossy(&dry.stdout)
    );
    assert!(store.list_candidates().await.unwrap().is_empty());
    let good = run("good.csv", &[]);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    assert!(String::from_utf8_lossy(&good.stdout).contains("imported 2 application(s): 2 new candidate(s)"));
    assert_eq!(store.list_candidates().await.unwrap().len(), 2);
    let trail =
        store.list_audit(&AuditFilter::default(), amfit::domain::paging::PageRequest::first(10)).await.unwrap().items;
    assert!(trail.iter().any(|e| e.actor_name == "amfit import candidates (command line)"));
}
