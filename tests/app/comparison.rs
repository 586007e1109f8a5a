//! Comparing a profile's candidates: the page, the head-to-head, the evidence behind each cell,
//! the exports, decisions and interviewer calibration.

use amfit::domain::scorecard::{CompetencyRating, Recommendation, ScorecardContent};
use amfit::domain::user::Role;
use amfit::store::ApplicationsOf;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, company_json, on_both_backends, profile_json, shipped_rubric};

const EVIDENCE: &str = "Walked us through a renewal that was at risk and what they changed.";

/// A profile owned by a hiring manager, and its applicants by name.
struct Panel {
    app: TestApp,
    profile: i64,
    manager: Client,
    interviewers: [Client; 2],
    /// (name, application id)
    applications: Vec<(&'static str, i64)>,
}

impl Panel {
    fn application(&self, name: &str) -> i64 {
        self.applications.iter().find(|(n, _)| *n == name).unwrap().1
    }
}

async fn apply(app: &TestApp, profile: i64, name: &str) -> i64 {
    let email = format!("{}@example.dk", name.to_lowercase());
    let candidate = app.post_json("/api/v1/candidates", &json!({ "name": name, "email": email })).await.json()["id"]
        .as_i64()
        .unwrap();
    let applied =
        app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
    applied.json()["id"].as_i64().unwrap()
}

/// `interviewer` rates every competency of the rubric with `score_of(competency)` (`None`:
/// not assessed) and submits, unless `submit` is false (a draft).
async fn rate(
    app: &TestApp,
    application: i64,
    interviewer: &Client,
    score_of: impl Fn(&str) -> Option<u8>,
    submit: bool,
) {
    let competencies: Vec<String> = shipped_rubric().competencies.iter().map(|c| c.id.clone()).collect();
    let body = json!({ "interviewer_id": interviewer.user_id, "competencies": competencies });
    let assignment =
        app.post_json(&format!("/api/v1/applications/{application}/interviewers"), &body).await.json()["id"]
            .as_i64()
            .unwrap();
    let ratings = competencies
        .iter()
        .map(|c| CompetencyRating { competency: c.clone(), score: score_of(c), evidence: EVIDENCE.into() })
        .collect();
    let content = ScorecardContent { ratings, recommendation: Some(Recommendation::Yes) };
    app.store
        .write_scorecard(assignment, &content, &shipped_rubric().version, submit, &crate::helpers::by_test(0))
        .await
        .unwrap();
}

/// Anna is strong, Bo middling, Carl strong but below the minimum on communication (a
/// must-have), Emil rated on presentation alone (too little of the role), Dina not rated.
async fn panel(app: TestApp) -> Panel {
    let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let mut body = profile_json();
    body["hiring_manager_id"] = manager.user_id.into();
    let profile = app.create_profile(company, &body).await["id"].as_i64().unwrap();
    let interviewers = [
        app.client(Role::Interviewer, "ivan@amfit.test").await,
        app.client(Role::Interviewer, "iris@amfit.test").await,
    ];
    let mut applications = Vec::new();
    for name in ["Anna", "Bo", "Carl", "Dina", "Emil"] {
        applications.push((name, apply(&app, profile, name).await));
    }
    let panel = Panel { app, profile, manager, interviewers, applications };
    let app = &panel.app;
    let [ivan, iris] = &panel.interviewers;
    rate(app, panel.application("Anna"), ivan, |_| Some(5), true).await;
    rate(app, panel.application("Anna"), iris, |_| Some(4), true).await;
    rate(app, panel.application("Bo"), ivan, |_| Some(3), true).await;
    rate(app, panel.application("Bo"), iris, |_| Some(3), true).await;
    let carl = |c: &str| Some(if c == "communication" { 2 } else { 5 });
    rate(app, panel.application("Carl"), ivan, carl, true).await;
    rate(app, panel.application("Emil"), ivan, |c| (c == "presentation").then_some(5), true).await;
    panel
}

fn position(body: &str, text: &str) -> usize {
    body.find(text).unwrap_or_else(|| panic!("{text:?} is on the page"))
}

on_both_backends! {
    async fn the_comparison_ranks_contenders_and_sets_the_others_apart_with_the_reason(app) {
        let panel = panel(app).await;
        let page = panel.app.get(&format!("/profiles/{}/comparison", panel.profile)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = &page.body;
        let (ranked, set_apart, unscored) =
            (position(body, "Ranked by fit"), position(body, "Set apart"), position(body, "Not yet scored</h2>"));
        let anna = position(body, ">Anna<");
        assert!(ranked < anna && anna < position(body, ">Bo<") && position(body, ">Bo<") < set_apart);
        assert!(set_apart < position(body, ">Carl<") && position(body, ">Carl<") < unscored);
        assert!(body.contains("Below the minimum on Communication"), "the knockout says why");
        assert!(body.contains("% of the role&#39;s weight is rated") || body.contains("% of the role's weight is rated"));
        assert!(unscored < position(body, ">Dina<"));
        assert!(body.contains(&format!("/applications/{}/evidence/communication", panel.application("Anna"))));
        assert!(body.contains("Stable") || body.contains("would overtake"), "the robustness verdict is shown");
    }
}

#[tokio::test]
async fn the_json_comparison_carries_every_number_and_the_robustness_verdict() {
    let panel = panel(TestApp::sqlite().await).await;
    let response = panel.app.get(&format!("/api/v1/profiles/{}/comparison", panel.profile)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let document = response.json();
    let candidates = document["candidates"].as_array().unwrap();
    let order: Vec<(&str, &str)> =
        candidates.iter().map(|c| (c["candidate_name"].as_str().unwrap(), c["standing"].as_str().unwrap())).collect();
    assert_eq!(
        order,
        [
            ("Anna", "contender"),
            ("Bo", "contender"),
            ("Carl", "knocked_out"),
            ("Emil", "low_coverage"),
            ("Dina", "unscored")
        ]
    );
    assert_eq!(candidates[4]["fit"], Value::Null, "unscored is null, not 0");
    assert_eq!(candidates[0]["competencies"][0]["ratings"], 2);
    assert_eq!(candidates[0]["competencies"][0]["spread"], 1);
    assert_eq!(candidates[0]["recommendations"]["yes"], 2);
    assert_eq!(candidates[0]["awaiting"], json!([]), "both of Anna's interviewers submitted");
    assert_eq!(candidates[2]["knockouts"], json!(["communication"]));
    // Anna leads Bo on every competency by 1.5 points: no weighting within ±20 % swaps them.
    assert_eq!(document["robustness"]["verdict"], "stable");
    assert_eq!(document["requirements"].as_array().unwrap().len(), 11);
}

/// Parses a CSV export; `delimiter` as the language asks.
fn parse_csv(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[tokio::test]
async fn the_csv_export_parses_back_to_the_same_numbers_as_the_json() {
    let panel = panel(TestApp::sqlite().await).await;
    let csv = panel.app.get(&format!("/profiles/{}/comparison.csv", panel.profile)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.header("content-disposition").contains("attachment"));
    let rows = parse_csv(&csv.body, b',');
    let json = panel.app.get(&format!("/api/v1/profiles/{}/comparison", panel.profile)).await.json();
    let requirements = json["requirements"].as_array().unwrap();
    assert_eq!(rows[0].len(), 4 + requirements.len() + 4, "{:?}", rows[0]);
    assert_eq!(rows.len(), 1 + 5);
    let number = |text: &str| -> Option<f64> { (!text.is_empty()).then(|| text.parse().unwrap()) };
    for (row, candidate) in rows[1..].iter().zip(json["candidates"].as_array().unwrap()) {
        assert_eq!(row[0], candidate["application_id"].to_string());
        assert_eq!(row[1], candidate["candidate_name"].as_str().unwrap());
        for (i, score) in candidate["competencies"].as_array().unwrap().iter().enumerate() {
            let exported = number(&row[4 + i]);
            match score["mean"].as_f64() {
                Some(mean) => assert!((exported.unwrap() - mean).abs() < 0.005, "{row:?}"),
                None => assert_eq!(exported, None, "unrated stays empty, not 0"),
            }
        }
        let fit = number(&row[4 + requirements.len()]);
        match candidate["fit"].as_f64() {
            Some(expected) => assert!((fit.unwrap() - expected).abs() < 0.05),
            None => assert_eq!(fit, None),
        }
        let coverage = number(&row[5 + requirements.len()]).unwrap();
        assert!((coverage - candidate["coverage"].as_f64().unwrap()).abs() < 0.05);
    }
    assert_eq!(rows[3][6 + requirements.len()], "Communication", "Carl's knockout is named");

    // A Danish reader's spreadsheet expects semicolons and decimal commas.
    let danish = panel.app.get_in(&format!("/profiles/{}/comparison.csv", panel.profile), "da").await;
    let rows = parse_csv(&danish.body, b';');
    assert_eq!(rows[0][1], "Navn");
    assert!(rows[2][4].contains(','), "Bo's mean 3 is written 3,00: {:?}", rows[2]);
}

#[tokio::test]
async fn an_empty_profile_has_a_helpful_page_a_header_only_csv_and_an_empty_json() {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let page = app.get(&format!("/profiles/{profile}/comparison")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No one has applied to this profile yet"));
    let csv = app.get(&format!("/profiles/{profile}/comparison.csv")).await;
    let rows = parse_csv(&csv.body, b',');
    assert_eq!(rows.len(), 1, "the header only: {}", csv.body);
    assert_eq!(rows[0][1], "Name");
    let json = app.get(&format!("/api/v1/profiles/{profile}/comparison")).await.json();
    assert_eq!(json["candidates"], json!([]));
    assert_eq!(json["robustness"]["verdict"], "too_few");
}

#[tokio::test]
async fn unknown_profiles_applications_and_competencies_are_404() {
    let panel = panel(TestApp::sqlite().await).await;
    let app = &panel.app;
    for path in [
        "/profiles/999/comparison",
        "/profiles/999/comparison.csv",
        "/profiles/999/head-to-head?application=1&application=2",
        "/profiles/999/kit",
        "/profiles/abc/comparison",
        "/applications/999/evidence/communication",
        "/api/v1/profiles/999/comparison",
        "/api/v1/applications/999/decisions",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let anna = panel.application("Anna");
    assert_eq!(app.get(&format!("/applications/{anna}/evidence/charisma")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_head_to_head_shows_two_to_five_candidates_with_a_chart_and_its_text_alternative() {
    let panel = panel(TestApp::sqlite().await).await;
    let (app, profile) = (&panel.app, panel.profile);
    let chosen = ["Anna", "Bo", "Carl"].map(|n| format!("application={}", panel.application(n))).join("&");
    let page = app.get(&format!("/profiles/{profile}/head-to-head?{chosen}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<svg class=\"bar-chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\""));
    assert!(page.body.contains("<desc id=\"chart-desc\">") && page.body.contains("Anna, Bo, Carl"));
    assert!(page.body.contains("class=\"minimum\""), "the must-have's minimum is drawn");
    assert!(page.body.contains("<caption class=\"visually-hidden\">The numbers behind the chart</caption>"));
    assert!(!page.body.contains(">Dina<"), "only the chosen");

    let one = format!("application={}", panel.application("Anna"));
    let six = panel.applications.iter().map(|(_, id)| format!("application={id}")).collect::<Vec<_>>().join("&")
        + "&application=424242";
    for query in [one.as_str(), "", "application=abc", six.as_str()] {
        let refused = app.get(&format!("/profiles/{profile}/head-to-head?{query}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(refused.body.contains("Choose from 2 to 5 candidates"), "{query}");
    }
    let foreign = format!("application={}&application=424242", panel.application("Anna"));
    assert_eq!(app.get(&format!("/profiles/{profile}/head-to-head?{foreign}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn evidence_shows_who_said_what_and_keeps_interviewers_independent() {
    let panel = panel(TestApp::sqlite().await).await;
    let app = &panel.app;
    let [ivan, iris] = &panel.interviewers;
    let bo = panel.application("Bo");
    let path = format!("/applications/{bo}/evidence/communication");
    let full = app.get(&path).await;
    assert_eq!(full.status, StatusCode::OK);
    assert_eq!(full.body.matches(EVIDENCE).count(), 2, "both interviewers' evidence");
    assert!(full.body.contains("Test User"), "with the interviewer");
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Copenhagen).format("%-d %B %Y at ").to_string();
    assert!(full.body.contains(&today) && !full.body.contains(" UTC"), "and when, in Danish time");
    assert_eq!(app.as_(&panel.manager).get(&path).await.status, StatusCode::OK, "the owner sees it all");

    // A third interviewer with only a draft sees their own draft's absence, and no one else's.
    let late = app.client(Role::Interviewer, "late@amfit.test").await;
    rate(app, bo, &late, |_| Some(2), false).await;
    let hidden = app.as_(&late).get(&path).await;
    assert_eq!(hidden.status, StatusCode::OK);
    assert!(hidden.body.contains("once you have submitted yours"));
    assert!(!hidden.body.contains(EVIDENCE), "no one's evidence before one's own is submitted");
    assert_eq!(app.as_(ivan).get(&path).await.body.matches(EVIDENCE).count(), 2, "submitted: sees the panel");
    assert_eq!(app.as_(iris).get(&path).await.body.matches(EVIDENCE).count(), 2);

    // Not on the panel of this application: refused.
    let anna = panel.application("Anna");
    let stranger = app.client(Role::Interviewer, "stranger@amfit.test").await;
    let other = format!("/applications/{anna}/evidence/communication");
    assert_eq!(app.as_(&stranger).get(&other).await.status, StatusCode::FORBIDDEN);
    let other_manager = app.client(Role::HiringManager, "other@amfit.test").await;
    assert_eq!(app.as_(&other_manager).get(&other).await.status, StatusCode::FORBIDDEN);
}

on_both_backends! {
    async fn the_hiring_manager_records_decisions_with_reasons_and_the_history_keeps_them(app) {
        let panel = panel(app).await;
        let app = &panel.app;
        let anna = panel.application("Anna");
        let manager = app.as_(&panel.manager);
        let path = format!("/applications/{anna}/decision");
        assert_eq!(manager.get(&path).await.status, StatusCode::OK);

        let no_reason = manager.post_form(&path, &[("verdict", "advance"), ("reason", "  ")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_reason.body.contains("id=\"error-reason\""));
        let unknown = manager.post_form(&path, &[("verdict", "maybe"), ("reason", "Strong everywhere.")]).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(app.store.list_decisions(ApplicationsOf::Profile(panel.profile)).await.unwrap().is_empty());

        let reason = "Strongest on every must-have; the panel agrees.";
        let done = manager.post_form(&path, &[("verdict", "advance"), ("reason", reason)]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), format!("/profiles/{}/comparison?notice=decided", panel.profile));
        let application = app.store.get_application(anna).await.unwrap();
        assert_eq!(application.application.stage.as_str(), "screening");
        assert_eq!(application.application.history.last().unwrap().stage.as_str(), "screening");

        let offer = manager.post_form(&path, &[("verdict", "offer"), ("reason", "Ready for an offer.")]).await;
        assert_eq!(offer.status, StatusCode::SEE_OTHER);
        let again = manager.post_form(&path, &[("verdict", "offer"), ("reason", "Twice?")]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "an offer is made once");

        let candidate = application.application.candidate_id;
        let page = app.get(&format!("/candidates/{candidate}")).await.body;
        assert!(page.contains(reason) && page.contains("Advance to the next stage by Test User"), "history: who, what, why");
        let comparison = manager.get(&format!("/profiles/{}/comparison?notice=decided", panel.profile)).await.body;
        assert!(comparison.contains("The decision is recorded.") && comparison.contains("Make an offer ("));

        let decisions = app.get(&format!("/api/v1/applications/{anna}/decisions")).await.json();
        assert_eq!(decisions.as_array().unwrap().len(), 2);
        assert_eq!(decisions[0]["verdict"], "advance");
        assert_eq!(decisions[0]["reason"], reason);
    }
}

on_both_backends! {
    async fn only_the_profiles_hiring_manager_decides(app) {
        let panel = panel(app).await;
        let app = &panel.app;
        let bo = panel.application("Bo");
        let path = format!("/applications/{bo}/decision");
        let body = [("verdict", "reject"), ("reason", "Weaker on every competency.")];
        let recruiter = app.client(Role::Recruiter, "recruiter@amfit.test").await;
        let other_manager = app.client(Role::HiringManager, "other@amfit.test").await;
        // The administrator may do everything else, but does not own this profile.
        for client in [&recruiter, &other_manager, &app.admin] {
            assert_eq!(app.as_(client).post_form(&path, &body).await.status, StatusCode::FORBIDDEN);
        }
        let api = format!("/api/v1/applications/{bo}/decisions");
        let json_body = json!({ "verdict": "reject", "reason": "Weaker on every competency." });
        assert_eq!(
            app.as_(&other_manager).send_json(axum::http::Method::POST, &api, &json_body).await.status,
            StatusCode::FORBIDDEN
        );
        assert!(app.store.list_decisions(ApplicationsOf::Profile(panel.profile)).await.unwrap().is_empty());

        let manager = app.as_(&panel.manager);
        let missing = manager.send_json(axum::http::Method::POST, &api, &json!({ "verdict": "reject" })).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(missing.rejected_fields(), ["reason"]);
        let created = manager.send_json(axum::http::Method::POST, &api, &json_body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.json()["stage"], "rejected");
        let filter = amfit::domain::audit::AuditFilter {
            action: Some(amfit::domain::audit::AuditAction::RecordDecision),
            ..Default::default()
        };
        let trail = app.trail(&filter).await;
        let on_trail: Vec<(Option<i64>, i64, &str)> =
            trail.iter().map(|e| (e.actor_id, e.subject_id, e.detail.as_str())).collect();
        assert_eq!(on_trail, [(Some(panel.manager.user_id), bo, "reject")], "the decision is on the audit trail");
        let closed = manager
            .send_json(axum::http::Method::POST, &api, &json!({ "verdict": "advance", "reason": "Reconsidered." }))
            .await;
        assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY, "a rejected application stays closed");
    }
}

#[tokio::test]
async fn calibration_shows_who_rates_leniently_and_who_severely() {
    let panel = panel(TestApp::sqlite().await).await;
    let app = &panel.app;
    // Ivan and Iris share Anna (5 vs 4) and Bo (3 vs 3): Ivan is half a point above Iris's mean.
    let page = app.get("/calibration").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Lenient") && page.body.contains("Severe"), "{}", page.body);
    let filtered = app.get(&format!("/calibration?profile={}", panel.profile)).await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(filtered.body.contains("Lenient"));
    assert_eq!(app.get("/calibration?profile=nonsense").await.status, StatusCode::OK, "an unknown filter shows all");
    let empty = TestApp::sqlite().await.get("/calibration").await;
    assert!(empty.body.contains("No submitted scorecards yet."));
}

#[tokio::test]
async fn the_interview_kit_is_printable_and_in_the_readers_language() {
    let panel = panel(TestApp::sqlite().await).await;
    let kit = panel.app.get_in(&format!("/profiles/{}/kit", panel.profile), "da").await;
    assert_eq!(kit.status, StatusCode::OK);
    // The profile's ads are in Danish; the kit is in the reader's language whatever the ad's.
    assert!(kit.body.contains("lang=\"da\"") && kit.body.contains("Interviewguide") && kit.body.contains("Noter"));
    let rubric = shipped_rubric();
    let communication = rubric.competency("communication").unwrap();
    assert!(kit.body.contains(&communication.questions[0].da.replace('\'', "&#39;")));
    assert!(kit.body.contains("krav, mindst 3"), "must-haves are marked");
    assert!(kit.body.contains("<option value=\"60\" selected>"), "an hour unless chosen otherwise");
    assert!(kit.body.contains("Indgår ikke i bedømmelsen"), "what not to rate is said for each competency");

    let english = panel.app.get_in(&format!("/profiles/{}/kit", panel.profile), "en").await.body;
    assert!(english.contains("lang=\"en\"") && english.contains(&communication.questions[0].en.replace('\'', "&#39;")));
    assert!(!english.contains(&communication.questions[0].da.replace('\'', "&#39;")), "labels and questions alike");
    let chosen = panel.app.get_in(&format!("/profiles/{}/kit?language=da", panel.profile), "en").await.body;
    assert!(chosen.contains(&communication.questions[0].da.replace('\'', "&#39;")), "?language= chooses another");
    let refused = panel.app.get(&format!("/profiles/{}/kit?language=de", panel.profile)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let short = panel.app.get_in(&format!("/profiles/{}/kit?minutes=30", panel.profile), "da").await;
    assert_eq!(short.status, StatusCode::OK);
    assert!(short.body.contains("Ikke afdækket på 30 minutter:"), "a short kit says what it left out");
    let questions = |body: &str| body.matches("<span class=\"badge\">").count();
    assert!(questions(&short.body) < questions(&kit.body), "half an hour asks fewer questions than an hour");
    assert!(questions(&kit.body) <= 10);

    for bad in ["50", "an-hour", "-60"] {
        let refused = panel.app.get(&format!("/profiles/{}/kit?minutes={bad}", panel.profile)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let api_like = panel.app.get(&format!("/profiles/{}/kit?minutes=45&minutes=90", panel.profile)).await;
    assert_ne!(api_like.status, StatusCode::INTERNAL_SERVER_ERROR);
    let css = panel.app.anonymous().get("/static/app.css").await.body;
    assert!(css.contains("@media print") && css.contains(".site-header, .site-footer"));
}

on_both_backends! {
    async fn a_comparison_served_from_memory_shows_a_new_scorecard_at_once(app) {
        let panel = panel(app).await;
        let path = format!("/api/v1/profiles/{}/comparison", panel.profile);
        let standing_of_dina = |document: &Value| {
            let dina = document["candidates"].as_array().unwrap().iter().find(|c| c["candidate_name"] == "Dina").cloned();
            dina.unwrap()["standing"].as_str().unwrap().to_owned()
        };
        assert_eq!(standing_of_dina(&panel.app.get(&path).await.json()), "unscored");
        assert_eq!(standing_of_dina(&panel.app.get(&path).await.json()), "unscored", "read twice: cached");
        rate(&panel.app, panel.application("Dina"), &panel.interviewers[0], |_| Some(4), true).await;
        assert_eq!(standing_of_dina(&panel.app.get(&path).await.json()), "contender", "the change shows at once");
    }
}

#[tokio::test]
async fn each_language_gets_its_own_comparison_with_its_own_decimal_mark() {
    let panel = panel(TestApp::sqlite().await).await;
    let path = format!("/profiles/{}/comparison", panel.profile);
    let english = panel.app.get_in(&path, "en").await.body;
    let danish = panel.app.get_in(&path, "da").await.body;
    // Anna's mean on every competency is (5 + 4) / 2.
    assert!(english.contains("Ranked by fit") && english.contains(">4.5</a>"));
    assert!(danish.contains("Rangeret efter match") && danish.contains(">4,5</a>"), "no English kept for Danish");
    assert!(panel.app.get_in(&path, "en").await.body.contains("Ranked by fit"), "and back");
    let kit = panel.app.get_in(&format!("/profiles/{}/kit", panel.profile), "en").await.body;
    assert!(kit.contains("Print this page"), "the UI around the kit stays in the reader's language");
}

#[tokio::test]
async fn a_formula_in_a_name_leaves_the_csv_as_text_in_both_languages() {
    let app = TestApp::sqlite().await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
    let formula = "=HYPERLINK(\"http://evil.example\",\"CV\")";
    let candidate = app.post_json("/api/v1/candidates", &json!({ "name": formula, "email": "f@example.dk" })).await;
    let candidate = candidate.json()["id"].as_i64().unwrap();
    let applied =
        app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    for (lang, delimiter) in [("en", b','), ("da", b';')] {
        let csv = app.get_in(&format!("/profiles/{profile}/comparison.csv"), lang).await;
        assert!(csv.body.starts_with('\u{feff}'), "a byte-order mark, so that Excel reads UTF-8");
        let rows = parse_csv(&csv.body, delimiter);
        assert_eq!(rows[1][1], format!("'{formula}"), "{lang}");
    }
}

on_both_backends! {
    async fn the_comparison_names_who_has_still_to_submit(app) {
        let panel = panel(app).await;
        let [ivan, _] = &panel.interviewers;
        // Ivan is planned for Dina and has only a draft.
        rate(&panel.app, panel.application("Dina"), ivan, |_| Some(4), false).await;
        let body = panel.app.get(&format!("/profiles/{}/comparison", panel.profile)).await.body;
        let row = |name: &str| body.split(&format!(">{name}</a>")).nth(1).unwrap().split("</th>").next().unwrap().to_owned();
        assert!(row("Dina").contains("Still to submit a scorecard:"), "{}", row("Dina"));
        assert!(!row("Anna").contains("Still to submit"), "both of Anna's interviewers submitted");
    }
}
