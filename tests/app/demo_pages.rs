//! Every main page, filled by `amfit demo`, in a real browser on a phone (390×844) and a laptop
//! (1280×800): no page scrolls sideways on the phone, and none shifts its layout while it loads
//! (cumulative layout shift below 0.1, the threshold Google's Web Vitals call good).

use std::collections::HashMap;

use fantoccini::Client;
use serde_json::Value;

use amfit::service::demo;
use amfit::store::{self, ApplicationsOf, Store};

use crate::accessibility::sideways;
use crate::browser::{browser, fill, page_text, served, start_driver, submit};
use crate::helpers::{TestDb, shipped_rubric};

/// The largest cumulative layout shift a page may have.
const LAYOUT_SHIFT_MAX: f64 = 0.1;

/// The page's cumulative layout shift so far: the layout-shift entries the browser buffered
/// since navigation, except those just after input.
async fn layout_shift(browser: &Client) -> f64 {
    let shift = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             let total = 0;
             new PerformanceObserver(list => {
                 for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
             }).observe({ type: 'layout-shift', buffered: true });
             setTimeout(() => done(total), 300);",
            vec![],
        )
        .await
        .expect("the layout shift is measured");
    shift.as_f64().expect("a number")
}

/// The password `amfit demo` printed for `email`.
fn password_of<'a>(printed: &'a [String], email: &str) -> &'a str {
    let line = printed.iter().find(|line| line.contains(email)).expect("a printed sign-in");
    line.split_whitespace().nth(2).expect("the password follows the address")
}

/// The pages an administrator works on, those of each interviewer by their address, and the
/// README's pictures, with the demo's ids filled in.
async fn main_pages(store: &dyn Store) -> (Vec<String>, HashMap<String, Vec<String>>, Vec<Picture>) {
    let profiles = store.list_profiles().await.unwrap();
    let users = store.list_users().await.unwrap();
    let mut recruiter = vec!["/".to_owned(), "/candidates".to_owned(), "/profiles".to_owned(), "/reports".to_owned()];
    recruiter.extend(["/companies".to_owned(), "/admin/users".to_owned(), "/admin/audit".to_owned()]);
    recruiter.extend(["/calibration".to_owned(), "/jobs".to_owned()]);
    let mut interviewer: HashMap<String, Vec<String>> = HashMap::new();
    // The pictures show the profile with the most applications.
    let mut pictured: Option<(usize, i64, i64)> = None;
    for listed in &profiles {
        let id = listed.profile.id;
        for page in ["", "/pipeline", "/comparison", "/ad", "/kit"] {
            recruiter.push(format!("/profiles/{id}{page}"));
        }
        recruiter.push(format!("/companies/{}", listed.profile.company_id));
        let applications = store.list_applications(ApplicationsOf::Profile(id)).await.unwrap();
        // The candidate furthest along: scorecards, comments, decisions, letters.
        let furthest = applications.iter().max_by_key(|a| a.application.history.len()).unwrap();
        recruiter.push(format!("/candidates/{}", furthest.application.candidate_id));
        if pictured.is_none_or(|(count, _, _)| applications.len() > count) {
            pictured = Some((applications.len(), id, furthest.application.candidate_id));
        }
        let plan = store.list_assignments(furthest.application.id).await.unwrap();
        for assignment in plan {
            let email = &users.iter().find(|u| u.id == assignment.interviewer_id).unwrap().email;
            let theirs = interviewer.entry(email.clone()).or_insert_with(|| vec!["/".to_owned()]);
            theirs.push(format!("/interviews/{}", assignment.id));
        }
    }
    for publication in store.list_publications().await.unwrap() {
        recruiter.push(format!("/jobs/{}", publication.slug));
    }
    let (_, profile, candidate) = pictured.unwrap();
    let pictures = pictures(profile, candidate);
    (recruiter, interviewer, pictures)
}

/// A README picture: the page, the file, and what it shows scrolled into view.
type Picture = (String, &'static str, &'static str);

/// The README's pictures of the demo: a profile's board and comparison, the candidate
/// furthest along there, and the reports.
fn pictures(profile: i64, furthest: i64) -> Vec<Picture> {
    vec![
        (format!("/profiles/{profile}/pipeline"), "demo-board.png", "h1"),
        (format!("/profiles/{profile}/comparison"), "demo-comparison.png", "#contenders-heading"),
        (format!("/candidates/{furthest}"), "demo-candidate.png", "#applications-heading"),
        ("/reports".to_owned(), "demo-reports.png", "#funnel-heading"),
    ]
}

/// Keeps the page shown as its picture, if it has one, when `AMFIT_SCREENSHOTS` names a folder.
async fn keep_picture(browser: &Client, path: &str, pictures: &[Picture]) {
    let (Ok(folder), Some((_, name, shown))) =
        (std::env::var("AMFIT_SCREENSHOTS"), pictures.iter().find(|(p, _, _)| p == path))
    else {
        return;
    };
    let scroll = format!("document.querySelector('{shown}').scrollIntoView();");
    browser.execute(&scroll, vec![]).await.unwrap();
    std::fs::write(std::path::Path::new(&folder).join(name), browser.screenshot().await.unwrap()).unwrap();
}

#[tokio::test]
async fn every_main_page_of_the_demo_fits_a_phone_without_shifting() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let store = store::connect(&url).await.unwrap();
    let rubric = shipped_rubric();
    let printed = demo::fill(store.as_ref(), &rubric, chrono::Utc::now()).await.unwrap();
    let (recruiter_pages, interviewer_pages, pictures) = main_pages(store.as_ref()).await;
    let (base, server) = served(store, rubric).await;
    let browser = browser(&driver).await;
    let mut problems = Vec::new();
    let mut measured = 0;
    let mut largest_shift = (0.0, String::new());
    // The admin sees every page a recruiter does, and the users and the audit trail too.
    let mut walks = vec![("signe@demo.amfit.example".to_owned(), recruiter_pages)];
    walks.extend(interviewer_pages);
    assert_eq!(walks.len(), 4, "the administrator and three interviewers");
    for (who, pages) in &walks {
        browser.goto(&format!("{base}/login")).await.unwrap();
        fill(&browser, "email", who).await;
        fill(&browser, "password", password_of(&printed, who)).await;
        submit(&browser).await;
        for (width, height) in [(390, 844), (1280, 800)] {
            browser.set_window_size(width, height).await.unwrap();
            for path in pages.iter() {
                browser.goto(&format!("{base}{path}")).await.unwrap();
                let shown = browser.current_url().await.unwrap();
                assert!(shown.path() != "/login", "{path} is shown signed in as {who}");
                let error = browser.find_all(fantoccini::Locator::Css("section.error-page")).await.unwrap();
                assert!(error.is_empty(), "{path} as {who}: {}", page_text(&browser).await);
                measured += 1;
                let shift = layout_shift(&browser).await;
                if shift > largest_shift.0 {
                    largest_shift = (shift, format!("{path} at {width} px"));
                }
                if shift >= LAYOUT_SHIFT_MAX {
                    problems.push(format!("{path} at {width} px as {who}: layout shift {shift:.3}"));
                }
                if width == 1280 {
                    keep_picture(&browser, path, &pictures).await;
                }
                if width == 390 {
                    let (overflow, wide): (i64, Value) = sideways(&browser).await;
                    if overflow > 0 {
                        problems.push(format!("{path} at 390 px as {who}: scrolls {overflow} px sideways ({wide})"));
                    }
                }
            }
        }
        browser.goto(&format!("{base}/")).await.unwrap();
        crate::browser::click_and_wait(&browser, fantoccini::Locator::Css("form.signed-in button")).await;
    }
    eprintln!("{measured} page views measured at 390 and 1280 px; the largest layout shift {largest_shift:?}");
    assert!(measured >= 40, "the walk saw the pages: {measured}");
    assert!(problems.is_empty(), "{problems:#?}");
    browser.close().await.unwrap();
    server.abort();
}
