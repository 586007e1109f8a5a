//! Journeys through a real browser: headless Chromium driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`). Without them the journey is skipped with the reason;
//! with `AMFIT_REQUIRE_BROWSER=1` (as CI sets) a missing browser fails it instead.

use std::net::TcpListener as StdListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use amfit::app::serve;
use amfit::domain::profile::RoleProfile;
use amfit::store::{self, Store};
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::helpers::TestDb;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A running chromedriver, stopped when dropped.
pub(crate) struct Driver {
    process: Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Starts chromedriver, or says why not (and fails when a browser is required).
pub(crate) fn start_driver() -> Option<Driver> {
    let required = std::env::var("AMFIT_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        let reason = format!("{CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)");
        assert!(!required, "AMFIT_REQUIRE_BROWSER=1 but {reason}");
        eprintln!("skipped: the browser journey needs a browser: {reason}");
        return None;
    }
    let port = StdListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port");
    let process = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap();
    Some(Driver { process, url: format!("http://127.0.0.1:{port}"), _profile: profile })
}

/// A headless Chromium session; the first connection is retried while chromedriver starts.
pub(crate) async fn browser(driver: &Driver) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
    ];
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", driver._profile.path().display()));
    let capabilities = json!({ "goog:chromeOptions": { "binary": CHROMIUM, "args": args } });
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(capabilities.as_object().unwrap().clone());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match builder.connect(&driver.url).await {
            Ok(client) => {
                // A page or a script that never finishes fails its test instead of holding it.
                let limits =
                    TimeoutConfiguration::new(Some(Duration::from_secs(30)), Some(Duration::from_secs(60)), None);
                client.update_timeouts(limits).await.expect("chromedriver takes time limits");
                return client;
            }
            Err(error) if Instant::now() < deadline => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("cannot reach chromedriver: {error}"),
        }
    }
}

pub(crate) async fn fill(browser: &Client, field: &str, value: &str) {
    let input = browser.find(Locator::Id(&format!("field-{field}"))).await.unwrap_or_else(|e| panic!("{field}: {e}"));
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

pub(crate) async fn choose(browser: &Client, field: &str, value: &str) {
    let select = browser.find(Locator::Id(&format!("field-{field}"))).await.unwrap();
    select.select_by_value(value).await.unwrap();
}

pub(crate) async fn submit(browser: &Client) {
    click_and_wait(browser, Locator::Css("main form button[type=submit]")).await;
}

/// Clicks, then waits until the browser has left the page (its body has gone stale).
pub(crate) async fn click_and_wait(browser: &Client, target: Locator<'_>) {
    let old_page = browser.find(Locator::Css("body")).await.unwrap();
    browser.find(target).await.unwrap().click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while old_page.tag_name().await.is_ok() {
        assert!(Instant::now() < deadline, "the page did not change after the click");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn page_text(browser: &Client) -> String {
    browser.find(Locator::Css("body")).await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn first_run_sign_in_create_a_company_and_a_profile_sign_out() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let store = store::connect(&url).await.unwrap();
    let server = tokio::spawn(serve(
        listener,
        crate::helpers::app_state(store, crate::helpers::shipped_rubric(), crate::helpers::shipped_wording()),
        std::future::pending(),
    ));
    let browser = browser(&driver).await;

    browser.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(browser.current_url().await.unwrap().path(), "/setup", "first start leads to setup");
    fill(&browser, "name", "Ada Admin").await;
    fill(&browser, "email", "ada@amfit.test").await;
    fill(&browser, "password", "a long browser passphrase").await;
    submit(&browser).await;
    // Signed in by the setup itself.
    assert_eq!(browser.current_url().await.unwrap().path(), "/", "{}", page_text(&browser).await);
    assert!(page_text(&browser).await.contains("First steps"), "the start page says what to do first");

    click_and_wait(&browser, Locator::LinkText("Add the company you hire for")).await;
    fill(&browser, "name", "Browser Made ApS").await;
    fill(&browser, "industry", "Retail").await;
    fill(&browser, "employees", "12").await;
    fill(&browser, "account_managers", "2").await;
    fill(&browser, "location", "Aarhus").await;
    submit(&browser).await;
    let text = page_text(&browser).await;
    assert!(text.contains("Browser Made ApS") && text.contains("Small (10–49 employees)"), "{text}");

    click_and_wait(&browser, Locator::LinkText("New role profile")).await;
    fill(&browser, "title", "Account Manager").await;
    fill(&browser, "location", "Aarhus C").await;
    choose(&browser, "remote_option", "hybrid").await;
    fill(&browser, "accounts_per_manager", "30").await;
    fill(&browser, "key_accounts_per_manager", "1").await;
    choose(&browser, "typical_client_size", "small_business").await;
    choose(&browser, "growth_focus", "balanced").await;
    choose(&browser, "meeting_cadence", "monthly").await;
    choose(&browser, "presentation_frequency", "sometimes").await;
    browser.find(Locator::Css("input[name=duties][value=renewals]")).await.unwrap().click().await.unwrap();
    submit(&browser).await;
    let text = page_text(&browser).await;
    assert!(text.contains("Account model: Portfolio") && text.contains("Contract renewals"), "{text}");

    click_and_wait(&browser, Locator::Css("form.signed-in button")).await;
    assert_eq!(browser.current_url().await.unwrap().path(), "/login");
    assert!(page_text(&browser).await.contains("You are signed out."));
    browser.goto(&format!("{base}/companies")).await.unwrap();
    assert_eq!(browser.current_url().await.unwrap().path(), "/login", "signed out means signed out");

    browser.close().await.unwrap();
    server.abort();
}

#[tokio::test]
async fn an_interviewer_scores_a_candidate() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let store = store::connect(&url).await.unwrap();
    let hash = amfit::auth::password::hash("a long browser passphrase".into()).await.unwrap();
    let record = |email, role| amfit::store::UserRecord { email, name: "Ivan Interviewer", role, password_hash: &hash };
    let admin = store
        .create_user(record("ada@amfit.test", amfit::domain::user::Role::Admin), &crate::helpers::by_test)
        .await
        .unwrap();
    let interviewer = store
        .create_user(record("ivan@amfit.test", amfit::domain::user::Role::Interviewer), &crate::helpers::by_test)
        .await
        .unwrap();
    let (company, profile) = amfit::domain::demo::demo_companies(chrono::Utc::now().date_naive()).remove(0);
    let company = store.create_company(&company).await.unwrap();
    let profile = store.create_profile(company.id, &profile).await.unwrap();
    let input = amfit::domain::candidate::CandidateInput {
        name: Some("Sofie Nielsen".into()),
        email: Some("sofie@example.dk".into()),
        ..Default::default()
    };
    let candidate = store.create_candidate(&input.parse(chrono::Utc::now().date_naive()).unwrap()).await.unwrap();
    let new = amfit::store::NewApplication {
        candidate_id: candidate.id,
        profile_id: profile.id,
        applied_on: chrono::Utc::now().date_naive(),
        by: admin.id,
    };
    let application = store.create_application(new).await.unwrap().application.id;
    store.assign(application, interviewer.id, &["communication".to_owned(), "diligence".to_owned()]).await.unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(
        listener,
        crate::helpers::app_state(store, crate::helpers::shipped_rubric(), crate::helpers::shipped_wording()),
        std::future::pending(),
    ));
    let browser = browser(&driver).await;

    browser.goto(&format!("{base}/login")).await.unwrap();
    fill(&browser, "email", "ivan@amfit.test").await;
    fill(&browser, "password", "a long browser passphrase").await;
    submit(&browser).await;
    assert!(page_text(&browser).await.contains("Your interviews"));
    click_and_wait(&browser, Locator::LinkText("Sofie Nielsen")).await;
    assert!(page_text(&browser).await.contains("Interview guide: Sofie Nielsen"));

    browser.find(Locator::Css("input[name='score.communication'][value='4']")).await.unwrap().click().await.unwrap();
    fill_by_id(
        &browser,
        "evidence-communication",
        "Explained a delay to a client plainly and confirmed it in writing.",
    )
    .await;
    browser
        .find(Locator::Css("input[name='score.diligence'][value='not_assessed']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.find(Locator::Css("input[name='recommendation'][value='yes']")).await.unwrap().click().await.unwrap();
    click_and_wait(&browser, Locator::Css("button[value=submit]")).await;
    let text = page_text(&browser).await;
    assert!(text.contains("Your scorecard is submitted.") && text.contains("it is locked"), "{text}");

    browser.close().await.unwrap();
    server.abort();
}

pub(crate) async fn fill_by_id(browser: &Client, id: &str, value: &str) {
    let input = browser.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("{id}: {e}"));
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

#[tokio::test]
async fn a_hiring_manager_compares_three_candidates_and_records_a_decision() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, manager, interviewer, profile) = a_managed_profile(&url).await;
    let rubric = crate::helpers::shipped_rubric();
    scored_candidates(store.as_ref(), profile.id, manager.id, interviewer.id, &rubric).await;

    let (base, server) = served(store, rubric).await;
    let browser = browser(&driver).await;

    sign_in(&browser, &base, "mette@amfit.test").await;
    assert!(
        page_text(&browser).await.contains("Ready for your decision"),
        "a hiring manager starts on their decisions"
    );
    click_and_wait(&browser, Locator::LinkText("Your role profiles")).await;
    click_and_wait(&browser, Locator::LinkText(&profile.details.title)).await;
    click_and_wait(&browser, Locator::LinkText("Compare candidates")).await;
    let text = page_text(&browser).await;
    assert!(text.contains("Ranked by fit") && text.contains("Sofie Nielsen"), "{text}");

    for checkbox in browser.find_all(Locator::Css("input[name=application]")).await.unwrap() {
        checkbox.click().await.unwrap();
    }
    click_and_wait(&browser, Locator::Css("main form button[type=submit]")).await;
    assert_eq!(browser.current_url().await.unwrap().path(), format!("/profiles/{}/head-to-head", profile.id));
    let chart = browser.find(Locator::Css("svg.bar-chart")).await.expect("the chart is drawn");
    assert_eq!(chart.attr("role").await.unwrap().as_deref(), Some("img"));
    let text = page_text(&browser).await;
    assert!(text.contains("Jonas Dahl") && text.contains("Amira Haddad"), "{text}");
    if let Ok(folder) = std::env::var("AMFIT_SCREENSHOTS") {
        std::fs::write(Path::new(&folder).join("head-to-head.png"), browser.screenshot().await.unwrap()).unwrap();
    }

    click_and_wait(&browser, Locator::Css("table.head-to-head a[href$='/decision']")).await;
    assert!(page_text(&browser).await.contains("Decision about Sofie Nielsen"));
    choose(&browser, "verdict", "advance").await;
    fill(&browser, "reason", "Strongest evidence on every must-have.").await;
    submit(&browser).await;
    let text = page_text(&browser).await;
    assert!(text.contains("The decision is recorded.") && text.contains("Advance to the next stage ("), "{text}");

    browser.close().await.unwrap();
    server.abort();
}

#[tokio::test]
async fn six_candidates_decision_controls_stay_in_view_on_a_laptop() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, _, profile, rubric) = six_scored(&url).await;

    let (base, server) = served(store, rubric).await;
    let browser = browser(&driver).await;
    browser.set_window_size(1280, 800).await.unwrap();
    sign_in(&browser, &base, "mette@amfit.test").await;
    // Every decision control inside the window as the page opens, with nothing scrolled.
    let out_of_view =
        "return [...document.querySelectorAll('a[href$=\"/decision\"]')].map(a => a.getBoundingClientRect())
        .filter(r => r.left < 0 || r.right > document.documentElement.clientWidth || r.width === 0).length;";
    let controls = "return document.querySelectorAll('a[href$=\"/decision\"]').length;";
    browser.goto(&format!("{base}/profiles/{}/comparison", profile.id)).await.unwrap();
    assert_eq!(browser.execute(controls, vec![]).await.unwrap(), json!(6), "a control a candidate");
    assert_eq!(browser.execute(out_of_view, vec![]).await.unwrap(), json!(0), "the comparison: all in view");
    // The head-to-head of the most it compares, five.
    let chosen = "return [...document.querySelectorAll('input[name=application]')].slice(0, 5)
        .map(i => 'application=' + i.value).join('&');";
    let query = browser.execute(chosen, vec![]).await.unwrap();
    browser.goto(&format!("{base}/profiles/{}/head-to-head?{}", profile.id, query.as_str().unwrap())).await.unwrap();
    assert_eq!(browser.execute(controls, vec![]).await.unwrap(), json!(5));
    assert_eq!(browser.execute(out_of_view, vec![]).await.unwrap(), json!(0), "the head-to-head: all in view");

    browser.close().await.unwrap();
    server.abort();
}

#[tokio::test]
async fn a_recruiter_mentions_the_hiring_manager_in_a_comment_and_she_reads_it() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, manager, interviewer, profile) = a_managed_profile(&url).await;
    let password = "a long browser passphrase";
    let role = amfit::domain::user::Role::Recruiter;
    crate::helpers::stored_user(store.as_ref(), "rikke@amfit.test", "Rikke Lund", role, password).await;
    let rubric = crate::helpers::shipped_rubric();
    let people = [("Sofie Nielsen", 4)];
    let (candidate, _) = scored(store.as_ref(), profile.id, (manager.id, interviewer.id), &rubric, &people).await;
    let (base, server) = served(store, rubric).await;

    let browser = browser(&driver).await;
    sign_in(&browser, &base, "rikke@amfit.test").await;
    browser.goto(&format!("{base}/candidates/{candidate}")).await.unwrap();
    let hint = browser.find(Locator::Id("hint-comment")).await.unwrap().text().await.unwrap();
    assert!(hint.contains("@Mette Holm") && hint.contains("@Ivan Berg"), "who can be mentioned: {hint}");
    fill(&browser, "comment", "@Mette Holm her renewal story is worth a second talk.").await;
    click_and_wait(&browser, Locator::Css("#comments button[type=submit]")).await;
    let landed = browser.current_url().await.unwrap();
    assert_eq!(landed.fragment(), Some("comments"), "{landed}");
    let section = browser.find(Locator::Id("comments")).await.unwrap().text().await.unwrap();
    assert!(
        section.contains("Rikke Lund")
            && section.contains("her renewal story")
            && section.contains("Mentioned: Mette Holm"),
        "{section}"
    );
    browser.delete_all_cookies().await.unwrap();

    // Mette is told by mail, with the link that opens the comment.
    let kept = crate::helpers::dump_database(&url).await;
    let link = format!("/candidates/{candidate}#comments");
    assert!(
        kept.contains("Rikke Lund mentioned you in a comment on Sofie Nielsen") && kept.contains(&link),
        "the mail to Mette waits in the outbox"
    );
    sign_in(&browser, &base, "mette@amfit.test").await;
    browser.goto(&format!("{base}{link}")).await.unwrap();
    let section = browser.find(Locator::Id("comments")).await.unwrap().text().await.unwrap();
    assert!(section.contains("her renewal story is worth a second talk."), "{section}");
    if let Ok(folder) = std::env::var("AMFIT_SCREENSHOTS") {
        browser.execute("document.getElementById('comments').scrollIntoView();", vec![]).await.unwrap();
        std::fs::write(Path::new(&folder).join("comments.png"), browser.screenshot().await.unwrap()).unwrap();
    }

    browser.close().await.unwrap();
    server.abort();
}

#[tokio::test]
async fn a_hiring_manager_reads_the_reports_on_a_laptop_and_on_a_phone() {
    use amfit::domain::candidate::Stage;
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, manager, _, rubric) = six_scored(&url).await;
    // Six weeks of history: each moved on a few days apart, to where they are now.
    let paths: [&[Stage]; 6] = [
        &[Stage::Screening, Stage::Interviewing, Stage::Offer, Stage::Hired],
        &[Stage::Screening, Stage::Interviewing, Stage::Offer],
        &[Stage::Screening, Stage::Interviewing, Stage::Rejected],
        &[Stage::Screening, Stage::Interviewing],
        &[Stage::Screening, Stage::Rejected],
        &[],
    ];
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let applications: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM applications ORDER BY id").fetch_all(&pool).await.unwrap();
    let start = chrono::Utc::now() - chrono::TimeDelta::days(42);
    for (&(application,), path) in applications.iter().zip(paths) {
        for &stage in path {
            store.change_stage(application, stage, manager.id, None, &crate::helpers::by_test(0)).await.unwrap();
        }
        let changes: Vec<(i64,)> = sqlx::query_as("SELECT id FROM stage_changes WHERE application_id = $1 ORDER BY id")
            .bind(application)
            .fetch_all(&pool)
            .await
            .unwrap();
        // Stays of two to ten days, differing between applications and stages.
        let mut day = application % 5;
        for (step, (change,)) in changes.iter().enumerate() {
            let at = start + chrono::TimeDelta::days(day);
            sqlx::query("UPDATE stage_changes SET changed_at = $1 WHERE id = $2")
                .bind(at)
                .bind(change)
                .execute(&pool)
                .await
                .unwrap();
            day += 2 + (application * 7 + step as i64 * 3) % 9;
        }
        // Interviewed a day after reaching the stage, the scorecard in a day or two later.
        if path.contains(&Stage::Interviewing) {
            let held = start + chrono::TimeDelta::days(application % 5 + 10);
            let submitted = held + chrono::TimeDelta::hours(6 + 20 * (application % 3));
            let starts = held.with_timezone(&chrono_tz::Europe::Copenhagen).naive_local() - chrono::TimeDelta::hours(1);
            let scheduled =
                "UPDATE interview_assignments SET starts_at = $1, duration_minutes = 60 WHERE application_id = $2";
            sqlx::query(scheduled).bind(starts).bind(application).execute(&pool).await.unwrap();
            let scored = "UPDATE scorecards SET submitted_at = $1 \
                WHERE assignment_id IN (SELECT id FROM interview_assignments WHERE application_id = $2)";
            sqlx::query(scored).bind(submitted).bind(application).execute(&pool).await.unwrap();
        }
        sqlx::query("UPDATE applications SET applied_on = $1, source = $2 WHERE id = $3")
            .bind((start + chrono::TimeDelta::days(application % 5)).date_naive())
            .bind(["LinkedIn", "Jobindex", "Referral"][application as usize % 3])
            .bind(application)
            .execute(&pool)
            .await
            .unwrap();
    }

    let (base, server) = served(store, rubric).await;
    let browser = browser(&driver).await;
    sign_in(&browser, &base, "mette@amfit.test").await;
    click_and_wait(&browser, Locator::LinkText("Reports")).await;
    let text = page_text(&browser).await;
    assert!(
        text.contains("6 applications.") && text.contains("Scorecard turnaround") && text.contains("Ivan Berg"),
        "{text}"
    );
    let funnel = browser.find(Locator::Css("#funnel-chart-title")).await.unwrap().prop("textContent").await.unwrap();
    assert_eq!(funnel.as_deref(), Some("Funnel"));
    let bars = "return [...document.querySelectorAll('svg.bar-chart rect')].filter(r => r.getBoundingClientRect().width > 0).length;";
    assert_eq!(browser.execute(bars, vec![]).await.unwrap(), json!(9), "five stages and four stays drawn");
    if let Ok(folder) = std::env::var("AMFIT_SCREENSHOTS") {
        browser.set_window_size(1280, 1500).await.unwrap();
        browser.execute("document.getElementById('funnel-heading').scrollIntoView();", vec![]).await.unwrap();
        std::fs::write(Path::new(&folder).join("reports.png"), browser.screenshot().await.unwrap()).unwrap();
    }
    browser.set_window_size(390, 844).await.unwrap();
    browser.refresh().await.unwrap();
    let (overflow, wide) = crate::accessibility::sideways(&browser).await;
    assert_eq!(overflow, 0, "the reports fit a phone: {wide}");

    browser.close().await.unwrap();
    server.abort();
}

/// Signs `email` in at `base`, with the passphrase every browser test's user has.
async fn sign_in(browser: &Client, base: &str, email: &str) {
    browser.goto(&format!("{base}/login")).await.unwrap();
    fill(browser, "email", email).await;
    fill(browser, "password", "a long browser passphrase").await;
    submit(browser).await;
}

/// [`a_managed_profile`] with six candidates Ivan rated from 5 down to 2: the store, Mette,
/// the profile and the rubric.
async fn six_scored(
    url: &str,
) -> (Arc<dyn Store>, amfit::domain::user::User, RoleProfile, Arc<amfit::domain::rubric::Rubric>) {
    let (store, manager, interviewer, profile) = a_managed_profile(url).await;
    let rubric = crate::helpers::shipped_rubric();
    let people = [
        ("Sofie Nielsen", 5),
        ("Jonas Dahl", 4),
        ("Amira Haddad", 4),
        ("Mikkel Sørensen-Bødtker", 3),
        ("Freja Kristiansen", 3),
        ("Oliver Mortensen", 2),
    ];
    scored(store.as_ref(), profile.id, (manager.id, interviewer.id), &rubric, &people).await;
    (store, manager, profile, rubric)
}

/// A store with the hiring manager Mette, who owns the first demo company's role profile, and
/// the interviewer Ivan.
async fn a_managed_profile(
    url: &str,
) -> (Arc<dyn Store>, amfit::domain::user::User, amfit::domain::user::User, RoleProfile) {
    use amfit::domain::user::Role;
    let store = store::connect(url).await.unwrap();
    let user = async |email, name, role| {
        crate::helpers::stored_user(store.as_ref(), email, name, role, "a long browser passphrase").await
    };
    let manager = user("mette@amfit.test", "Mette Holm", Role::HiringManager).await;
    let interviewer = user("ivan@amfit.test", "Ivan Berg", Role::Interviewer).await;
    let (company, mut profile) = amfit::domain::demo::demo_companies(chrono::Utc::now().date_naive()).remove(0);
    profile.hiring_manager_id = Some(manager.id);
    let company = store.create_company(&company).await.unwrap();
    let profile = store.create_profile(company.id, &profile).await.unwrap();
    (store, manager, interviewer, profile)
}

/// Serves `store` on a free port: its base URL and the server.
pub(crate) async fn served(
    store: Arc<dyn Store>,
    rubric: Arc<amfit::domain::rubric::Rubric>,
) -> (String, JoinHandle<std::io::Result<()>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = crate::helpers::app_state(store, rubric, crate::helpers::shipped_wording());
    (base, tokio::spawn(serve(listener, state, std::future::pending())))
}

/// Sofie Nielsen, Jonas Dahl and Amira Haddad, who applied to the profile; the interviewer
/// rated each on every competency (5, 4 and 3). The last candidate's id and interview's id.
pub(crate) async fn scored_candidates(
    store: &dyn Store,
    profile_id: i64,
    by: i64,
    interviewer: i64,
    rubric: &amfit::domain::rubric::Rubric,
) -> (i64, i64) {
    let people = [("Sofie Nielsen", 5), ("Jonas Dahl", 4), ("Amira Haddad", 3)];
    scored(store, profile_id, (by, interviewer), rubric, &people).await
}

/// Each of `people` (name, score) applied to the profile, entered by `by.0`; the interviewer
/// `by.1` rated each on every competency with their score. The last one's candidate id and
/// interview id.
async fn scored(
    store: &dyn Store,
    profile_id: i64,
    (by, interviewer): (i64, i64),
    rubric: &amfit::domain::rubric::Rubric,
    people: &[(&str, u8)],
) -> (i64, i64) {
    use amfit::domain::scorecard::{CompetencyRating, Recommendation, ScorecardContent};
    let competencies: Vec<String> = rubric.competencies.iter().map(|c| c.id.clone()).collect();
    let mut last = (0, 0);
    for &(name, score) in people {
        let email = format!("{}@example.dk", name.split(' ').next().unwrap().to_lowercase());
        let application = applicant(store, name, &email, profile_id, by).await;
        let assignment = store.assign(application, interviewer, &competencies).await.unwrap();
        let ratings = competencies
            .iter()
            .map(|c| CompetencyRating {
                competency: c.clone(),
                score: Some(score),
                evidence: "Described a difficult renewal and how it was saved.".into(),
            })
            .collect();
        let content = ScorecardContent { ratings, recommendation: Some(Recommendation::Yes) };
        store
            .write_scorecard(assignment.id, &content, &rubric.version, true, &crate::helpers::by_test(0))
            .await
            .unwrap();
        let candidate = store.get_application(application).await.unwrap().application.candidate_id;
        last = (candidate, assignment.id);
    }
    last
}

/// A store with the recruiter Rikke and the first demo company's role profile.
async fn recruiter_and_profile(url: &str) -> (Arc<dyn Store>, i64, RoleProfile) {
    let store = store::connect(url).await.unwrap();
    let recruiter = crate::helpers::stored_user(
        store.as_ref(),
        "rikke@amfit.test",
        "Rikke Recruiter",
        amfit::domain::user::Role::Recruiter,
        "a long browser passphrase",
    )
    .await
    .id;
    let (company, profile) = amfit::domain::demo::demo_companies(chrono::Utc::now().date_naive()).remove(0);
    let company = store.create_company(&company).await.unwrap();
    let profile = store.create_profile(company.id, &profile).await.unwrap();
    (store, recruiter, profile)
}

/// A candidate with an application to `profile_id`, entered by `by`; the application's id.
async fn applicant(store: &dyn Store, name: &str, email: &str, profile_id: i64, by: i64) -> i64 {
    let today = chrono::Utc::now().date_naive();
    let input = amfit::domain::candidate::CandidateInput {
        name: Some(name.into()),
        email: Some(email.into()),
        ..Default::default()
    };
    let candidate = store.create_candidate(&input.parse(today).unwrap()).await.unwrap();
    let new = amfit::store::NewApplication { candidate_id: candidate.id, profile_id, applied_on: today, by };
    store.create_application(new).await.unwrap().application.id
}

/// Serves `store` and signs Rikke in: the base URL, the server, and the browser.
async fn signed_in_recruiter(
    driver: &Driver,
    store: Arc<dyn Store>,
) -> (String, JoinHandle<std::io::Result<()>>, Client) {
    let (base, server) = served(store, crate::helpers::shipped_rubric()).await;
    let browser = browser(driver).await;
    sign_in(&browser, &base, "rikke@amfit.test").await;
    (base, server, browser)
}

#[tokio::test]
async fn a_recruiter_generates_edits_and_saves_an_ad() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, _, profile) = recruiter_and_profile(&url).await;
    let (base, server, browser) = signed_in_recruiter(&driver, store.clone()).await;
    browser.goto(&format!("{base}/profiles/{}", profile.id)).await.unwrap();
    click_and_wait(&browser, Locator::LinkText("Job ad")).await;
    let preview = browser.find(Locator::Css("#ad-preview article")).await.expect("a preview");
    assert!(preview.text().await.unwrap().contains("Praktisk information"), "the ad is written in Danish");

    // Typing checks again without a click: the script posts for the preview.
    let text = browser.find(Locator::Id("field-text")).await.unwrap();
    text.send_keys("\nVi søger en ung kollega.\n").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while browser.find(Locator::Css("#ad-preview mark.flag")).await.is_err() {
        assert!(Instant::now() < deadline, "the live check did not mark \"ung\"");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let notes = browser.find(Locator::Css("#ad-preview .notes-list")).await.unwrap().text().await.unwrap();
    assert!(notes.contains("forskelsbehandlingsloven"), "{notes}");
    if let Ok(folder) = std::env::var("AMFIT_SCREENSHOTS") {
        std::fs::write(Path::new(&folder).join("ad-editor.png"), browser.screenshot().await.unwrap()).unwrap();
    }

    // An ad with a flag is saved only once its author has been told and confirms.
    click_and_wait(&browser, Locator::Css("main form#ad-editor button.primary")).await;
    let warned = page_text(&browser).await;
    assert!(
        warned.contains("Not saved yet. Wording flags under discrimination law: 1.")
            && warned.contains("No version saved yet."),
        "{warned}"
    );
    assert!(store.list_ad_versions(profile.id).await.unwrap().is_empty(), "nothing saved before the confirmation");
    click_and_wait(&browser, Locator::Css("#confirm-save button")).await;
    let page = page_text(&browser).await;
    assert!(page.contains("Saved.") && page.contains("Version 1, saved by Rikke Recruiter"), "{page}");
    let text = browser.find(Locator::Id("field-text")).await.unwrap();
    text.send_keys("Vi glæder os til at høre fra dig.\n").await.unwrap();
    click_and_wait(&browser, Locator::Css("main form#ad-editor button.primary")).await;
    click_and_wait(&browser, Locator::Css("#confirm-save button")).await;
    assert!(page_text(&browser).await.contains("Version 2, saved by Rikke Recruiter"));

    click_and_wait(&browser, Locator::Css("form[action$='/ad/compare'] button")).await;
    let page = page_text(&browser).await;
    assert!(
        page.contains("Lines added: 1, removed: 0") && page.contains("Vi glæder os til at høre fra dig."),
        "{page}"
    );

    browser.close().await.unwrap();
    server.abort();
}

#[tokio::test]
async fn a_recruiter_keeps_a_candidate_due_for_anonymisation_in_the_talent_pool() {
    use amfit::domain::candidate::Stage;
    use chrono::{Days, Months, Utc};

    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, recruiter, profile) = recruiter_and_profile(&url).await;
    let today = Utc::now().date_naive();
    let application = applicant(store.as_ref(), "Sofie Nielsen", "sofie@example.dk", profile.id, recruiter).await;
    store.change_stage(application, Stage::Rejected, recruiter, None, &crate::helpers::by_test(0)).await.unwrap();
    // Rejected five months and three weeks ago: anonymised in about a week.
    let closed = Utc::now().checked_sub_months(Months::new(5)).unwrap() - Days::new(21);
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("UPDATE stage_changes SET changed_at = $1").bind(closed).execute(&pool).await.unwrap();
    let (base, server, browser) = signed_in_recruiter(&driver, store).await;

    browser.goto(&format!("{base}/candidates")).await.unwrap();
    click_and_wait(&browser, Locator::LinkText("Retention")).await;
    let soon = browser.find(Locator::Css("section[aria-labelledby=upcoming-heading]")).await.unwrap();
    let soon = soon.text().await.unwrap();
    assert!(soon.contains("Sofie Nielsen") && soon.contains("The retention period ends"), "{soon}");

    click_and_wait(&browser, Locator::LinkText("Sofie Nielsen")).await;
    click_and_wait(&browser, Locator::LinkText("Edit")).await;
    // A date field's typing depends on the browser's locale; its value does not.
    let until = (today + Months::new(12)).to_string();
    browser
        .execute(
            "document.getElementById('field-talent_pool_given_on').value = arguments[0];
             document.getElementById('field-talent_pool_until').value = arguments[1];",
            vec![json!(today.to_string()), json!(until)],
        )
        .await
        .unwrap();
    submit(&browser).await;
    let page = page_text(&browser).await;
    assert!(page.contains("In the talent pool until"), "{page}");

    click_and_wait(&browser, Locator::LinkText("Candidates")).await;
    click_and_wait(&browser, Locator::LinkText("Retention")).await;
    let soon = browser.find(Locator::Css("section[aria-labelledby=upcoming-heading]")).await.unwrap();
    assert!(!soon.text().await.unwrap().contains("Sofie Nielsen"), "kept by her consent now");
    let talent_pool = browser.find(Locator::Css("section[aria-labelledby=pool-heading]")).await.unwrap();
    assert!(talent_pool.text().await.unwrap().contains("Sofie Nielsen"));

    browser.close().await.unwrap();
    server.abort();
}

#[tokio::test]
async fn a_candidate_applies_with_a_pdf_and_the_recruiter_and_the_interviewer_download_the_cv() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, recruiter, profile) = recruiter_and_profile(&url).await;
    let today = chrono::Utc::now().date_naive();
    let text = "# Key account manager i Aarhus\n\nVi søger en key account manager til vores største kunder.\n";
    let new = amfit::store::NewAdVersion {
        profile_id: profile.id,
        language: amfit::domain::profile::AdLanguage::Da,
        tone: Default::default(),
        text,
        by: recruiter,
    };
    let version = store.save_ad_version(new).await.unwrap();
    let slug = "key-account-manager-aarhus";
    let publication = amfit::store::NewPublication {
        profile_id: profile.id,
        number: version.number,
        slug,
        open_from: today,
        open_until: today + chrono::Days::new(20),
        by: recruiter,
    };
    store.publish(publication).await.unwrap();
    let cv_file = tempfile::Builder::new().prefix("Sofie CV ").suffix(".pdf").tempfile().unwrap();
    std::fs::write(cv_file.path(), crate::applying::CV).unwrap();

    let (base, server, recruiter_browser) = signed_in_recruiter(&driver, store.clone()).await;
    // The candidate's own browser, with a profile (and cookies) of its own.
    let candidate_driver = start_driver().expect("a second browser");
    let candidate = browser(&candidate_driver).await;
    // Found on the list of open jobs, by the link a job board carries.
    candidate.goto(&format!("{base}/jobs")).await.unwrap();
    let listed = page_text(&candidate).await;
    assert!(listed.contains(&profile.details.title), "{listed}");
    candidate.goto(&format!("{base}/jobs/{slug}?source=jobindex")).await.unwrap();
    assert!(page_text(&candidate).await.contains("Vi søger en key account manager"));
    fill(&candidate, "name", "Sofie Quist").await;
    fill(&candidate, "email", "sofie.quist@example.dk").await;
    fill(&candidate, "message", "Jeg har passet nøglekunder i syv år.").await;
    let cv_input = candidate.find(Locator::Id("field-cv")).await.unwrap();
    cv_input.send_keys(&cv_file.path().display().to_string()).await.unwrap();
    if let Ok(folder) = std::env::var("AMFIT_SCREENSHOTS") {
        std::fs::write(Path::new(&folder).join("job-page-form.png"), candidate.screenshot().await.unwrap()).unwrap();
    }
    click_and_wait(&candidate, Locator::Css("section.apply form button[type=submit]")).await;
    let thanks = page_text(&candidate).await;
    assert!(thanks.contains("Tak for din ansøgning") && thanks.contains("ansøgningsfristen"), "{thanks}");
    candidate.close().await.unwrap();

    // The recruiter finds it on the profile: new, with its source, and the CV.
    recruiter_browser.goto(&format!("{base}/profiles/{}", profile.id)).await.unwrap();
    let row = recruiter_browser.find(Locator::XPath("//tr[td/a[text()='Sofie Quist']]")).await.unwrap();
    let row = row.text().await.unwrap();
    assert!(row.contains("New") && row.contains("jobindex"), "{row}");
    click_and_wait(&recruiter_browser, Locator::LinkText("Sofie Quist")).await;
    let page = page_text(&recruiter_browser).await;
    assert!(page.contains("Jeg har passet nøglekunder i syv år.") && page.contains("Source: jobindex"), "{page}");
    let link = recruiter_browser.find(Locator::Css("ul.documents a[download]")).await.unwrap();
    assert!(link.text().await.unwrap().starts_with("Sofie CV "), "the file's own name");
    // The CV downloads: fetched as the browser would, with the recruiter's session.
    assert_the_cv_downloads(&recruiter_browser, &link.attr("href").await.unwrap().unwrap()).await;
    recruiter_browser.close().await.unwrap();

    // The interviewer assigned to it reads the same CV from their guide, one click away.
    let interviewer_role = amfit::domain::user::Role::Interviewer;
    let passphrase = "a long browser passphrase";
    let ivan = crate::helpers::stored_user(
        store.as_ref(),
        "ivan@amfit.test",
        "Ivan Interviewer",
        interviewer_role,
        passphrase,
    )
    .await
    .id;
    let applications = store.list_applications(amfit::store::ApplicationsOf::Profile(profile.id)).await.unwrap();
    store.assign(applications[0].application.id, ivan, &["diligence".to_owned()]).await.unwrap();
    let interviewer_driver = start_driver().expect("a third browser");
    let interviewer = browser(&interviewer_driver).await;
    interviewer.goto(&format!("{base}/login")).await.unwrap();
    fill(&interviewer, "email", "ivan@amfit.test").await;
    fill(&interviewer, "password", "a long browser passphrase").await;
    submit(&interviewer).await;
    click_and_wait(&interviewer, Locator::LinkText("Sofie Quist")).await;
    let link = interviewer.find(Locator::Css("ul.documents a[download]")).await.unwrap();
    assert!(link.text().await.unwrap().starts_with("Sofie CV "), "the file's own name");
    let href = link.attr("href").await.unwrap().unwrap();
    assert!(href.starts_with("/interviews/"), "read through the interview, not the candidate page: {href}");
    assert_the_cv_downloads(&interviewer, &href).await;

    interviewer.close().await.unwrap();
    server.abort();
}

/// Fetches `href` as the browser would, with its session: the CV, as a PDF attachment.
async fn assert_the_cv_downloads(browser: &Client, href: &str) {
    let fetched = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'),
               r.headers.get('content-disposition'), b.byteLength])));",
            vec![json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(fetched[0], 200);
    assert_eq!(fetched[1], "application/pdf");
    assert!(fetched[2].as_str().unwrap().starts_with("attachment;"), "{fetched}");
    assert_eq!(fetched[3], crate::applying::CV.len());
}

#[tokio::test]
async fn a_recruiter_drags_a_card_to_another_stage_and_the_board_fits_a_phone() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, recruiter, profile) = recruiter_and_profile(&url).await;
    let mut applications = Vec::new();
    for (name, email) in [("Sofie Quist", "sofie@example.dk"), ("Bo Berg", "bo@example.dk")] {
        applications.push(applicant(store.as_ref(), name, email, profile.id, recruiter).await);
    }
    let (base, server, browser) = signed_in_recruiter(&driver, store.clone()).await;
    browser.goto(&format!("{base}/profiles/{}", profile.id)).await.unwrap();
    click_and_wait(&browser, Locator::LinkText("Pipeline")).await;
    let applied = browser.find(Locator::Css("section[data-stage=applied]")).await.unwrap().text().await.unwrap();
    assert!(applied.contains("Sofie Quist") && applied.contains("Bo Berg"), "{applied}");

    // The drag as the browser reports it to the page: dragstart on the card, drop on a column.
    let old_page = browser.find(Locator::Css("body")).await.unwrap();
    browser
        .execute(
            "const card = document.querySelector(`.card[data-application='${arguments[0]}']`);
             const column = document.querySelector('section[data-stage=interviewing]');
             const data = new DataTransfer();
             card.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
             column.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
             column.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));",
            vec![json!(applications[0].to_string())],
        )
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while old_page.tag_name().await.is_ok() {
        assert!(Instant::now() < deadline, "the drop did not move the card");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let interviewing =
        browser.find(Locator::Css("section[data-stage=interviewing]")).await.unwrap().text().await.unwrap();
    assert!(interviewing.contains("Sofie Quist") && !interviewing.contains("Bo Berg"), "{interviewing}");
    let moved = store.get_application(applications[0]).await.unwrap().application.stage;
    assert_eq!(moved, amfit::domain::candidate::Stage::Interviewing);
    if let Ok(folder) = std::env::var("AMFIT_SCREENSHOTS") {
        std::fs::write(Path::new(&folder).join("pipeline.png"), browser.screenshot().await.unwrap()).unwrap();
    }

    // On a phone the board scrolls within itself; the page does not scroll sideways.
    browser.set_window_size(390, 844).await.unwrap();
    let (overflow, wide) = crate::accessibility::sideways(&browser).await;
    assert!(overflow <= 0, "the page scrolls sideways by {overflow} px at 390 px: {wide}");

    browser.close().await.unwrap();
    server.abort();
}

#[tokio::test]
async fn the_interview_kit_prints_each_competency_whole_with_its_notes() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, _, profile) = recruiter_and_profile(&url).await;
    let (base, server, browser) = signed_in_recruiter(&driver, store).await;
    browser.goto(&format!("{base}/profiles/{}/kit", profile.id)).await.unwrap();

    let pdf = browser.print(fantoccini::wd::PrintConfiguration::default()).await.unwrap();
    let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).unwrap();
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let page_one = flat(&pages[0]);
    let heading = browser.find(Locator::Css(".kit h1")).await.unwrap().text().await.unwrap();
    assert!(page_one.contains(&flat(&heading)), "the header on page 1: {page_one}");
    // Each competency with its notes on one page: a page holds as many "Notes" as headings.
    let mut names = Vec::new();
    for heading in browser.find_all(Locator::Css(".kit-competency:not(.kit-recommendation) h2")).await.unwrap() {
        names.push(heading.text().await.unwrap().split(" ·").next().unwrap().to_owned());
    }
    eprintln!("the kit: {} competencies on {} printed pages", names.len(), pages.len());
    assert!(pages.len() <= names.len() + 1, "{} pages for {} competencies: no page wasted", pages.len(), names.len());
    for (number, page) in pages.iter().enumerate() {
        let headings = names.iter().filter(|name| page.contains(name.as_str())).count();
        let notes = page.lines().filter(|line| line.trim() == "Notes").count();
        assert_eq!(headings, notes, "page {}: {headings} competencies, {notes} notes boxes:\n{page}", number + 1);
    }
    let last = flat(pages.last().unwrap());
    assert!(last.contains("Overall recommendation") && last.contains("Notes"), "not the recommendation alone: {last}");

    browser.close().await.unwrap();
    server.abort();
}

/// Serves `store` with a mail sender to the SMTP server on `smtp_port`, as `amfit serve
/// --smtp-url` does.
async fn served_with_mail(store: Arc<dyn Store>, smtp_port: u16) -> (String, JoinHandle<std::io::Result<()>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    amfit::mail::spawn_sender(store.clone(), crate::mail::mailer_to(smtp_port));
    let mut state =
        crate::helpers::app_state(store, crate::helpers::shipped_rubric(), crate::helpers::shipped_wording());
    state.sends_mail = true;
    (base, tokio::spawn(serve(listener, state, std::future::pending())))
}

#[tokio::test]
async fn an_applicant_gets_a_receipt_and_an_invitation_and_another_a_rejection_all_by_mail() {
    if !crate::mail::aiosmtpd_available() {
        return;
    }
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let (store, recruiter, profile) = recruiter_and_profile(&url).await;
    let interviewer = crate::helpers::stored_user(
        store.as_ref(),
        "ivan@amfit.test",
        "Ivan Berg",
        amfit::domain::user::Role::Interviewer,
        "a long browser passphrase",
    )
    .await;
    store.set_panel_member(profile.id, interviewer.id, &["communication".to_owned()]).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    for (language, slug, text) in [
        (
            amfit::domain::profile::AdLanguage::Da,
            "kam-aarhus",
            "# Key account manager i Aarhus\n\nVi søger en key account manager.\n",
        ),
        (
            amfit::domain::profile::AdLanguage::En,
            "kam-aarhus-en",
            "# Key account manager in Aarhus\n\nWe are hiring.\n",
        ),
    ] {
        let new = amfit::store::NewAdVersion {
            profile_id: profile.id,
            language,
            tone: Default::default(),
            text,
            by: recruiter,
        };
        let version = store.save_ad_version(new).await.unwrap();
        let until = today + chrono::Days::new(20);
        let publication = amfit::store::NewPublication {
            profile_id: profile.id,
            number: version.number,
            slug,
            open_from: today,
            open_until: until,
            by: recruiter,
        };
        store.publish(publication).await.unwrap();
    }
    let folder = tempfile::tempdir().unwrap();
    let maildir = folder.path().join("maildir");
    let smtp_port = crate::mail::free_port();
    let _smtpd = crate::mail::MailServerProcess::start(&maildir, smtp_port).expect("aiosmtpd starts");
    let (base, server) = served_with_mail(store.clone(), smtp_port).await;

    // Two applicants, one on the Danish page and one on the English.
    let cv_file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    std::fs::write(cv_file.path(), crate::applying::CV).unwrap();
    let candidate_driver = start_driver().expect("a second browser");
    let candidate = browser(&candidate_driver).await;
    for (slug, name, email) in
        [("kam-aarhus", "Sofie Quist", "sofie.quist@example.dk"), ("kam-aarhus-en", "Liam Carter", "liam@example.com")]
    {
        candidate.goto(&format!("{base}/jobs/{slug}")).await.unwrap();
        fill(&candidate, "name", name).await;
        fill(&candidate, "email", email).await;
        candidate
            .find(Locator::Id("field-cv"))
            .await
            .unwrap()
            .send_keys(&cv_file.path().display().to_string())
            .await
            .unwrap();
        click_and_wait(&candidate, Locator::Css("section.apply form button[type=submit]")).await;
    }
    candidate.close().await.unwrap();
    let applications = store.list_applications(amfit::store::ApplicationsOf::Profile(profile.id)).await.unwrap();
    let application_of =
        |name: &str| applications.iter().find(|a| a.candidate_name == name).unwrap().application.clone();
    let (sofie, liam) = (application_of("Sofie Quist"), application_of("Liam Carter"));
    let slot = amfit::domain::interview::InterviewSlot {
        starts_at: (today + chrono::Days::new(3)).and_hms_opt(10, 0, 0).unwrap(),
        duration_minutes: 60,
        place: Some("Havnegade 4, Aarhus".into()),
        video_link: None,
    };
    store.schedule(sofie.id, &[interviewer.id], Some(&slot), &[]).await.unwrap();

    // The recruiter invites Sofie, after a look at the letter, and rejects Liam with a line.
    let (recruiter_browser, sent) = {
        let browser = browser(&driver).await;
        browser.goto(&format!("{base}/login")).await.unwrap();
        fill(&browser, "email", "rikke@amfit.test").await;
        fill(&browser, "password", "a long browser passphrase").await;
        submit(&browser).await;
        browser.goto(&format!("{base}/candidates/{}", sofie.candidate_id)).await.unwrap();
        click_and_wait(&browser, Locator::LinkText("Write a letter")).await;
        choose(&browser, "kind", "invitation").await;
        fill(&browser, "note", "Tag gerne et eksempel på en kundeplan med.").await;
        click_and_wait(&browser, Locator::Css("button[value=preview]")).await;
        let preview = page_text(&browser).await;
        assert!(
            preview.contains("Kære Sofie Quist")
                && preview.contains("Ivan Berg")
                && preview.contains("kl. 10.00–11.00"),
            "{preview}"
        );
        click_and_wait(&browser, Locator::Css("button[value=send]")).await;
        let sent = std::time::Instant::now();
        browser.goto(&format!("{base}/applications/{}/letter", liam.id)).await.unwrap();
        choose(&browser, "kind", "rejection").await;
        fill(&browser, "note", "We have kept your CV for the next opening.").await;
        click_and_wait(&browser, Locator::Css("button[value=send]")).await;
        (browser, sent)
    };

    // All four letters reach the mail server within ten seconds, and so does the recruiter's
    // word of each application (she asked to be told at once, the default).
    let deadline = sent + Duration::from_secs(10);
    let to_candidates = |messages: &[serde_json::Value]| {
        let candidates = ["sofie.quist@example.dk", "liam@example.com"];
        messages.iter().filter(|m| candidates.iter().any(|c| m["headers"]["to"] == *c)).cloned().collect::<Vec<_>>()
    };
    let (messages, all) = loop {
        let all = crate::mail::received(&maildir);
        let messages = to_candidates(&all);
        if messages.len() >= 4 || Instant::now() > deadline {
            break (messages, all);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(messages.len(), 4, "two receipts, an invitation and a rejection within 10 s: {messages:?}");
    let told = all.iter().filter(|m| m["headers"]["to"] == "rikke@amfit.test").count();
    assert_eq!(told, 2, "the recruiter is told of each application: {all:?}");
    let text = |to: &str, contains: &str| {
        messages
            .iter()
            .filter(|m| m["headers"]["to"] == to)
            .flat_map(|m| m["parts"].as_array().unwrap())
            .any(|p| p["type"] == "text/plain" && p["text"].as_str().unwrap().contains(contains))
    };
    assert!(text("sofie.quist@example.dk", "Tak for din ansøgning til stillingen"), "a Danish receipt: {messages:?}");
    assert!(
        text("sofie.quist@example.dk", "Vi vil meget gerne møde dig til en samtale"),
        "a Danish invitation: {messages:?}"
    );
    assert!(text("liam@example.com", "Thank you for applying for the position"), "an English receipt: {messages:?}");
    assert!(
        text("liam@example.com", "We have kept your CV for the next opening."),
        "an English rejection: {messages:?}"
    );
    let invitation =
        messages.iter().find(|m| !m["calendars"].as_array().unwrap().is_empty()).expect("a calendar entry");
    assert_eq!(invitation["headers"]["to"], "sofie.quist@example.dk");
    assert_eq!(invitation["calendars"][0]["method"], "REQUEST");

    // The candidate's page says they went.
    recruiter_browser.goto(&format!("{base}/candidates/{}", sofie.candidate_id)).await.unwrap();
    let page = page_text(&recruiter_browser).await;
    assert_eq!(page.matches("Sent ").count(), 2, "{page}");
    recruiter_browser.close().await.unwrap();
    server.abort();
}
