//! The main pages in a real browser at a laptop's 1280×800 and a phone's 390×844: axe-core
//! finds no accessibility violation, and on the phone the page never scrolls sideways.
//!
//! axe-core comes from npm (`.ci/run` unpacks it and sets `AMFIT_AXE`); without it the test
//! is skipped with the reason, and with `AMFIT_REQUIRE_AXE=1` (as CI sets) it fails instead.

use std::path::PathBuf;

use amfit::domain::user::Role;
use amfit::store;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{browser, fill, page_text, scored_candidates, served, start_driver, submit};
use crate::helpers::TestDb;

const PASSWORD: &str = "a long browser passphrase";

/// axe-core's script, or why there is none.
fn axe_script() -> Option<String> {
    let required = std::env::var("AMFIT_REQUIRE_AXE").is_ok_and(|v| v == "1");
    let path = std::env::var("AMFIT_AXE").map(PathBuf::from).ok();
    match path.as_ref().and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(script) => Some(script),
        None => {
            let reason = format!("AMFIT_AXE names no axe.min.js ({path:?}): .ci/run installs it from npm");
            assert!(!required, "AMFIT_REQUIRE_AXE=1 but {reason}");
            eprintln!("skipped: {reason}");
            None
        }
    }
}

/// axe-core's violations on the page shown, as "rule: target, target (impact)" lines.
async fn violations(browser: &Client, axe: &str) -> Vec<String> {
    browser.execute(axe, vec![]).await.expect("axe-core loads");
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document)
                .then(r => done({ passed: r.passes.length, violations: r.violations.map(v => `${v.id}: ${v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', ')} (${v.impact})`) }))
                .catch(e => done({ passed: 0, violations: [`axe failed: ${e}`] }));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    // A run that checked nothing would find nothing: every page passes some rules.
    assert!(found["passed"].as_u64().unwrap_or_default() > 10, "axe-core checked the page: {found}");
    found["violations"].as_array().unwrap().iter().map(|v| v.as_str().unwrap_or_default().to_owned()).collect()
}

/// How far the page scrolls sideways, with the elements that stick out.
pub(crate) async fn sideways(browser: &Client) -> (i64, Value) {
    let overflow = browser
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
        .await
        .unwrap();
    let wide = browser
        .execute(
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ');",
            vec![],
        )
        .await
        .unwrap();
    (overflow.as_i64().unwrap(), wide)
}

#[tokio::test]
async fn the_main_pages_have_no_accessibility_violation_and_fit_a_phone() {
    let Some(axe) = axe_script() else { return };
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let store = store::connect(&url).await.unwrap();
    let user = async |email, name, role| crate::helpers::stored_user(store.as_ref(), email, name, role, PASSWORD).await;
    user("ada@amfit.test", "Ada Admin", Role::Admin).await;
    let manager = user("mette@amfit.test", "Mette Holm", Role::HiringManager).await;
    let interviewer = user("ivan@amfit.test", "Ivan Berg", Role::Interviewer).await;
    let today = chrono::Utc::now().date_naive();
    let (company, mut profile) = amfit::domain::demo::demo_companies(today).remove(0);
    profile.hiring_manager_id = Some(manager.id);
    let company = store.create_company(&company).await.unwrap();
    let profile = store.create_profile(company.id, &profile).await.unwrap();
    let rubric = crate::helpers::shipped_rubric();
    let competencies: Vec<String> = rubric.competencies.iter().map(|c| c.id.clone()).collect();
    store.set_panel_member(profile.id, interviewer.id, &competencies).await.unwrap();
    let (candidate, interview) =
        scored_candidates(store.as_ref(), profile.id, manager.id, interviewer.id, &rubric).await;
    let duplicate = possible_duplicate_of(store.as_ref(), candidate, profile.id).await;
    let applications = store.list_applications(store::ApplicationsOf::Candidate(candidate)).await.unwrap();
    let application = applications[0].application.id;

    let (base, server) = served(store, rubric).await;
    let browser = browser(&driver).await;
    let mut found = Vec::new();
    browser.set_window_size(1280, 800).await.unwrap();
    browser.goto(&format!("{base}/login")).await.unwrap();
    check_page(&browser, &axe, "/login", &mut found).await;
    // The check itself: a field without a label is found.
    browser
        .execute("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=unlabelled>');", vec![])
        .await
        .unwrap();
    let unlabelled = violations(&browser, &axe).await;
    assert!(unlabelled.iter().any(|v| v.starts_with("label:")), "axe-core finds an unlabelled field: {unlabelled:?}");
    fill(&browser, "email", "ada@amfit.test").await;
    fill(&browser, "password", PASSWORD).await;
    submit(&browser).await;
    let profile_id = profile.id;
    let pages = [
        "/".to_owned(),
        "/candidates".to_owned(),
        format!("/candidates/{candidate}"),
        format!("/candidates/{duplicate}/merge"),
        // With the receipt of their application among its letters.
        format!("/candidates/{duplicate}"),
        format!("/applications/{application}/letter?kind=rejection"),
        "/profiles".to_owned(),
        format!("/profiles/{profile_id}"),
        format!("/profiles/{profile_id}/pipeline"),
        format!("/profiles/{profile_id}/comparison"),
        format!("/interviews/{interview}"),
        "/reports".to_owned(),
        "/admin/users".to_owned(),
        "/companies".to_owned(),
        // With the letter templates it writes from.
        format!("/companies/{}", company.id),
        format!("/companies/{}/letters/invitation", company.id),
        format!("/companies/{}/edit", company.id),
    ];
    for (width, height) in [(1280, 800), (390, 844)] {
        browser.set_window_size(width, height).await.unwrap();
        for path in &pages {
            browser.goto(&format!("{base}{path}")).await.unwrap();
            assert!(!page_text(&browser).await.contains("Sign in"), "{path} is shown signed in");
            check_page(&browser, &axe, &format!("{path} at {width} px"), &mut found).await;
            screenshot(&browser, path, width).await;
            if width < 500 {
                let (overflow, wide) = sideways(&browser).await;
                if overflow > 0 {
                    found.push(format!("{path} scrolls sideways by {overflow} px at {width} px: {wide}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));

    // On a phone the header's menu folds behind its button, and opens.
    browser.set_window_size(390, 844).await.unwrap();
    browser.goto(&format!("{base}/")).await.unwrap();
    let header = |browser: &Client| {
        let browser = browser.clone();
        async move {
            let height = "return document.querySelector('.site-header').getBoundingClientRect().height;";
            browser.execute(height, vec![]).await.unwrap().as_f64().unwrap()
        }
    };
    let folded = header(&browser).await;
    assert!(folded < 80.0, "the folded header is one line, not {folded} px");
    assert!(!browser.find(Locator::Css("a[href=\"/admin/audit\"]")).await.unwrap().is_displayed().await.unwrap());
    browser.find(Locator::Css("button.menu-toggle")).await.unwrap().click().await.unwrap();
    let opened = header(&browser).await;
    assert!(opened > folded, "opened, the menu shows: {opened} px");
    let audit = browser.find(Locator::Css("a[href=\"/admin/audit\"]")).await.unwrap();
    assert!(audit.is_displayed().await.unwrap(), "every entry is reachable");
    let expanded = browser.find(Locator::Css("button.menu-toggle")).await.unwrap().attr("aria-expanded").await.unwrap();
    assert_eq!(expanded.as_deref(), Some("true"));
    check_page(&browser, &axe, "/ at 390 px with the menu open", &mut found).await;
    assert!(found.is_empty(), "{}", found.join("\n"));
    let (overflow, wide) = sideways(&browser).await;
    assert!(overflow <= 0, "the open menu fits: {wide}");

    // On a laptop the comparison takes the whole width, and its names stay while it scrolls.
    browser.set_window_size(1280, 800).await.unwrap();
    browser.goto(&format!("{base}/profiles/{profile_id}/comparison")).await.unwrap();
    let layout = browser
        .execute(
            "const scroller = document.querySelector('.table-scroll');
             scroller.scrollLeft = 400;
             const name = document.querySelector('table.comparison tbody th[scope=row]');
             return [document.querySelector('main').getBoundingClientRect().width, scroller.scrollLeft,
                     name.getBoundingClientRect().left - scroller.getBoundingClientRect().left];",
            vec![],
        )
        .await
        .unwrap();
    assert!(layout[0].as_f64().unwrap() > 1200.0, "the comparison is as wide as the window: {layout}");
    assert!(layout[1].as_f64().unwrap() > 0.0, "the table scrolls sideways within itself: {layout}");
    assert!(layout[2].as_f64().unwrap().abs() < 2.0, "the name column stays at the left: {layout}");
    let _ = browser.find(Locator::Css("body")).await;
    browser.close().await.unwrap();
    server.abort();
}

/// A job-page application to `profile_id` with the email address of candidate `known`: a new
/// candidate, marked as their possible duplicate; its id.
async fn possible_duplicate_of(store: &dyn store::Store, known: i64, profile_id: i64) -> i64 {
    let known = store.get_candidate(known).await.unwrap();
    let details = amfit::domain::candidate::CandidateDetails {
        name: format!("{} (job page)", known.details.name),
        phone: Some("+45 20 30 40 50".into()),
        ..known.details
    };
    let intake = store::NewIntake {
        profile_id,
        details: &details,
        source: Some("jobindex"),
        message: Some("I applied before, with another CV."),
        applied_on: chrono::Utc::now().date_naive(),
        documents: &[],
        language: amfit::domain::profile::AdLanguage::Da,
        receipt: &crate::helpers::receipt_to(&details),
        confirmation: None,
    };
    store.receive_application(intake, &crate::helpers::by_test).await.unwrap().candidate_id
}

/// The pages the README shows, when `AMFIT_SCREENSHOTS` names a folder to keep them in.
async fn screenshot(browser: &Client, path: &str, width: u32) {
    let Ok(folder) = std::env::var("AMFIT_SCREENSHOTS") else { return };
    let name = match (path, width) {
        (path, 390) if path.ends_with("/comparison") => "comparison-phone.png",
        _ => return,
    };
    if path.ends_with("/comparison") {
        browser.execute("document.querySelector('table.comparison').scrollIntoView();", vec![]).await.unwrap();
    }
    std::fs::write(std::path::Path::new(&folder).join(name), browser.screenshot().await.unwrap()).unwrap();
}

async fn check_page(browser: &Client, axe: &str, label: &str, found: &mut Vec<String>) {
    for violation in violations(browser, axe).await {
        found.push(format!("{label}: {violation}"));
    }
}
