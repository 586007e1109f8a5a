//! Reports over a small fixed history, with every figure worked by hand: the funnel and its
//! conversions, time to hire, time in each stage, sources and scorecard turnaround; who sees
//! which profiles' figures; the CSV as a Danish spreadsheet opens it; and bad queries.

use amfit::domain::user::Role;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, company_json, on_both_backends, profile_json, with};

fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
}

/// An application of a new candidate from `source` to `profile`, made on `history`'s first
/// day, moved through `history`'s stages at noon of each day (November). Its id.
async fn applied(app: &TestApp, profile: i64, name: &str, source: Option<&str>, history: &[(&str, u32)]) -> i64 {
    let email = format!("{}@example.dk", name.to_lowercase());
    let candidate =
        app.post_json("/api/v1/candidates", &json!({ "name": name, "email": email, "source": source })).await;
    assert_eq!(candidate.status, StatusCode::CREATED, "{}", candidate.body);
    let path = format!("/api/v1/candidates/{}/applications", candidate.json()["id"]);
    let applied_on = format!("2026-11-{:02}", history[0].1);
    let application = app.post_json(&path, &json!({ "profile_id": profile, "applied_on": applied_on })).await;
    assert_eq!(application.status, StatusCode::CREATED, "{}", application.body);
    let id = application.json()["id"].as_i64().unwrap();
    for (stage, _) in &history[1..] {
        let moved = app.put_json(&format!("/api/v1/applications/{id}/stage"), &json!({ "stage": stage })).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    }
    for (stage, day) in history {
        let sql = format!("UPDATE stage_changes SET changed_at = $1 WHERE application_id = $2 AND stage = '{stage}'");
        app.execute_with(&sql, at(11, *day, 12), id).await;
    }
    id
}

/// `interviewer`'s interview for `application`, an hour that ended at `ended` (none: without a
/// time), and, when given, its scorecard submitted at `submitted`.
async fn interviewed(
    app: &TestApp,
    interviewer: &Client,
    application: i64,
    ended: Option<DateTime<Utc>>,
    submitted: Option<DateTime<Utc>>,
) {
    let plan = json!({ "interviewer_id": interviewer.user_id, "competencies": ["communication"] });
    let assignment = app.post_json(&format!("/api/v1/applications/{application}/interviewers"), &plan).await;
    assert_eq!(assignment.status, StatusCode::CREATED, "{}", assignment.body);
    let id = assignment.json()["id"].as_i64().unwrap();
    if let Some(ended) = ended {
        // As the company's wall clock shows it, as the schedule form sets it.
        let starts = ended.with_timezone(&chrono_tz::Europe::Copenhagen).naive_local() - chrono::TimeDelta::hours(1);
        let sql = "UPDATE interview_assignments SET starts_at = $1, duration_minutes = 60 WHERE id = $2";
        app.execute_with(sql, starts, id).await;
    }
    let Some(submitted) = submitted else { return };
    let card = json!({ "ratings": [{ "competency": "communication", "score": "4", "evidence": "Explained a delay to a client plainly." }], "recommendation": "yes" });
    let sent = app
        .as_(interviewer)
        .send_json(axum::http::Method::POST, &format!("/api/v1/interviews/{id}/scorecard/submission"), &card)
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    app.execute_with("UPDATE scorecards SET submitted_at = $1 WHERE assignment_id = $2", submitted, id).await;
}

struct History {
    mette: Client,
    soren: Client,
    ivan: Client,
    rikke: Client,
    profile: i64,
    other_profile: i64,
}

/// Mette's profile with four applications in November (the same as the domain's own test:
/// one hired after 10 days, one rejected at interview, one on screening, one still applied)
/// and one in October; Søren's profile with one; Ivan's three interviews.
async fn history(app: &TestApp) -> History {
    let mette = app.client(Role::HiringManager, "mette@amfit.test").await;
    let soren = app.client(Role::HiringManager, "soren@amfit.test").await;
    let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
    app.execute_sql(&format!("UPDATE users SET name = 'Ivan Berg' WHERE id = {}", ivan.user_id)).await;
    let rikke = app.client(Role::Recruiter, "rikke@amfit.test").await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile =
        app.create_profile(company, &with(&profile_json(), json!({ "hiring_manager_id": mette.user_id }))).await["id"]
            .as_i64()
            .unwrap();
    let other = with(&profile_json(), json!({ "title": "Key Account Manager", "hiring_manager_id": soren.user_id }));
    let other_profile = app.create_profile(company, &other).await["id"].as_i64().unwrap();

    let hired = applied(
        app,
        profile,
        "Anna",
        Some("LinkedIn"),
        &[("applied", 1), ("screening", 3), ("interviewing", 5), ("offer", 9), ("hired", 11)],
    )
    .await;
    let rejected = applied(
        app,
        profile,
        "Bo",
        Some("LinkedIn"),
        &[("applied", 2), ("screening", 3), ("interviewing", 9), ("rejected", 10)],
    )
    .await;
    let carl = applied(app, profile, "Carl", None, &[("applied", 2), ("screening", 6), ("rejected", 7)]).await;
    let waiting = applied(app, profile, "Dorte", Some("=HYPERLINK(\"http://evil.example\")"), &[("applied", 4)]).await;
    let october = applied(app, profile, "Eva", Some("Jobindex"), &[("applied", 1)]).await;
    app.execute_sql(&format!("UPDATE applications SET applied_on = '2026-10-20' WHERE id = {october}")).await;
    applied(app, other_profile, "Frida", Some("Referral"), &[("applied", 3)]).await;

    interviewed(app, &ivan, hired, Some(at(11, 5, 12)), Some(at(11, 5, 18))).await;
    interviewed(app, &ivan, rejected, Some(at(11, 9, 12)), Some(at(11, 11, 12))).await;
    interviewed(app, &ivan, waiting, Some(at(11, 4, 12)), None).await;
    // Neither a missing scorecard of a closed application nor an interview without a time is
    // waited for.
    interviewed(app, &ivan, carl, Some(at(11, 6, 12)), None).await;
    let olga = app.client(Role::Interviewer, "olga@amfit.test").await;
    interviewed(app, &olga, waiting, None, None).await;
    History { mette, soren, ivan, rikke, profile, other_profile }
}

async fn report(app: &TestApp, who: &Client, query: &str) -> Value {
    let read = app.as_(who).get(&format!("/api/v1/reports{query}")).await;
    assert_eq!(read.status, StatusCode::OK, "{query}: {}", read.body);
    read.json()
}

on_both_backends! {
    async fn a_report_of_a_fixed_history_gives_the_hand_worked_figures(app) {
        let History { mette, soren, ivan, rikke, profile, other_profile } = history(&app).await;
        let november = format!("?profile_id={profile}&from=2026-11-01&to=2026-11-30");
        let figures = report(&app, &mette, &november).await;

        assert_eq!(figures["applications"], 4);
        assert_eq!(figures["funnel"], json!([
            { "stage": "applied", "count": 4, "conversion": null },
            { "stage": "screening", "count": 3, "conversion": 0.75 },
            { "stage": "interviewing", "count": 2, "conversion": 2.0 / 3.0 },
            { "stage": "offer", "count": 1, "conversion": 0.5 },
            { "stage": "hired", "count": 1, "conversion": 1.0 },
        ]));
        assert_eq!(figures["time_to_hire"], json!({ "count": 1, "median_days": 10.0, "p90_days": 10.0 }));
        // Applied 2, 1, 4 days (Dorte's stay goes on): median 2, 90th percentile 3.6; screening
        // 2, 6, 1: 2 and 5.2; interviewing 4 and 1: 2.5 and 3.7; offer 2.
        assert_eq!(figures["time_in_stage"], json!([
            { "stage": "applied", "count": 3, "median_days": 2.0, "p90_days": 3.6 },
            { "stage": "screening", "count": 3, "median_days": 2.0, "p90_days": 5.2 },
            { "stage": "interviewing", "count": 2, "median_days": 2.5, "p90_days": 3.7 },
            { "stage": "offer", "count": 1, "median_days": 2.0, "p90_days": 2.0 },
        ]));
        assert_eq!(figures["sources"], json!([
            { "source": "LinkedIn", "applications": 2, "interviews": 2, "hires": 1 },
            { "source": null, "applications": 1, "interviews": 0, "hires": 0 },
            { "source": "=HYPERLINK(\"http://evil.example\")", "applications": 1, "interviews": 0, "hires": 0 },
        ]));
        // Ivan: 6 hours and 2 days: median 1.125 (1.1), 90th 0.25 + 1.75 × 0.9 = 1.825 (1.8);
        // Dorte's scorecard outstanding.
        assert_eq!(figures["turnaround"], json!([
            { "interviewer_id": ivan.user_id, "name": "Ivan Berg", "outstanding": 1, "count": 2, "median_days": 1.1, "p90_days": 1.8 },
        ]));

        // Each sees what they may: Mette her profile only, all her days; Rikke every profile.
        assert_eq!(report(&app, &mette, "").await["applications"], 5, "October's too");
        assert_eq!(report(&app, &rikke, "").await["applications"], 6);
        assert_eq!(report(&app, &soren, "").await["funnel"][0]["count"], 1);
        let refused = app.as_(&mette).get(&format!("/api/v1/reports?profile_id={other_profile}")).await;
        assert_eq!(refused.rejected_fields(), ["profile_id"], "another's profile is unknown to her");
        assert_eq!(app.as_(&ivan).get("/api/v1/reports").await.status, StatusCode::FORBIDDEN);
        let empty = report(&app, &rikke, "?from=2027-01-01").await;
        assert_eq!((&empty["applications"], &empty["funnel"][1]["conversion"], &empty["time_to_hire"]["median_days"]), (&json!(0), &Value::Null, &Value::Null));

        // The page: a chart drawn on the server and the same figures in its tables.
        let page = app.as_(&mette).get(&format!("/reports{november}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<svg class=\"bar-chart\"") && page.body.contains("75 %") && page.body.contains("3.6"), "{}", page.body);
        assert!(!page.body.contains("Key Account Manager"), "nor is Søren's profile offered to Mette");
    }
}

on_both_backends! {
    async fn the_report_downloads_as_a_spreadsheet_opens_it_and_bad_queries_are_named(app) {
        let History { rikke, profile, .. } = history(&app).await;
        let november = format!("?profile_id={profile}&from=2026-11-01&to=2026-11-30");
        let csv = app.as_(&rikke).send(axum::http::Method::GET, &format!("/api/v1/reports.csv{november}"), &[("accept-language", "da")], "").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").starts_with("text/csv"));
        let text = csv.body.trim_start_matches('\u{feff}');
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Afsnit;Punkt;Mål;Værdi");
        assert!(lines.contains(&"Tid til ansættelse;Ansat;Median, dage;10,0"), "{text}");
        assert!(lines.iter().any(|l| l.starts_with("Tragt;") && l.ends_with(";Fra trinnet før;0,750")), "{text}");
        assert!(text.contains("'=HYPERLINK") && !text.contains(";=HYPERLINK"), "no cell a spreadsheet would run: {text}");
        let web = app.as_(&rikke).get(&format!("/reports.csv{november}")).await;
        assert_eq!(web.body, app.as_(&rikke).get(&format!("/api/v1/reports.csv{november}")).await.body, "the page's CSV is the API's");

        for (query, field) in [("?from=2026-13-01", "from"), ("?from=2026-11-05&to=2026-11-01", "to"), ("?profile_id=abc", "profile_id"), ("?profile_id=999999", "profile_id")] {
            let refused = app.as_(&rikke).get(&format!("/api/v1/reports{query}")).await;
            assert_eq!(refused.rejected_fields(), [field], "{query}");
            let page = app.as_(&rikke).get(&format!("/reports{query}")).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert!(page.body.contains("aria-invalid=\"true\"") && !page.body.contains("bar-chart"), "{query}: {}", page.body);
        }
    }
}
