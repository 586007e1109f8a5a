//! A newcomer's whole path in a real browser, counted: from an empty app to the first
//! comparison (4 users, 1 role profile with a default panel of 2 interviewers, 4 candidates,
//! 8 scorecards) in at most 100 clicks.
//!
//! How clicks are counted, as a person would make them with a mouse: each link, button,
//! checkbox and radio button is one click; a select is two (open it, pick). Typing is not a
//! click: a person moves between the fields of a form with the Tab key.

use fantoccini::{Client, Locator};
use tokio::net::TcpListener;

use amfit::app::serve;
use amfit::store;

use crate::browser::{browser, click_and_wait, fill, fill_by_id, page_text, start_driver};
use crate::helpers::TestDb;

/// The most clicks the path may take: the target (it took 241, then 107, before).
const CLICKS_MAX: u32 = 100;
const PASSWORD: &str = "a long browser passphrase";

/// The browser, and the clicks and page loads a person would have made with it.
struct Journey {
    browser: Client,
    clicks: u32,
    loads: u32,
}

impl Journey {
    /// A click that loads another page.
    async fn follow(&mut self, target: Locator<'_>) {
        click_and_wait(&self.browser, target).await;
        self.clicks += 1;
        self.loads += 1;
    }

    async fn follow_link(&mut self, text: &str) {
        self.follow(Locator::LinkText(text)).await;
    }

    async fn submit(&mut self) {
        self.follow(Locator::Css("main form button[type=submit]")).await;
    }

    /// A click on the page itself: a checkbox, a radio button, a disclosure.
    async fn tick(&mut self, css: &str) {
        self.browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
        self.clicks += 1;
    }

    async fn choose(&mut self, field: &str, value: &str) {
        crate::browser::choose(&self.browser, field, value).await;
        self.clicks += 2;
    }

    async fn sign_in(&mut self, email: &str) {
        fill(&self.browser, "email", email).await;
        fill(&self.browser, "password", PASSWORD).await;
        self.submit().await;
    }

    async fn sign_out(&mut self) {
        self.follow(Locator::Css("form.signed-in button")).await;
    }

    /// Keeps what the browser shows as `name` when `AMFIT_SCREENSHOTS` names a folder (the
    /// README's pictures).
    async fn screenshot(&self, name: &str) {
        if let Ok(folder) = std::env::var("AMFIT_SCREENSHOTS") {
            std::fs::write(std::path::Path::new(&folder).join(name), self.browser.screenshot().await.unwrap()).unwrap();
        }
    }

    async fn text(&self) -> String {
        page_text(&self.browser).await
    }
}

#[tokio::test]
async fn a_newcomer_goes_from_an_empty_app_to_the_first_comparison_in_at_most_100_clicks() {
    let Some(driver) = start_driver() else { return };
    let (_db, url) = TestDb::sqlite().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let store = store::connect(&url).await.unwrap();
    let state = crate::helpers::app_state(store, crate::helpers::shipped_rubric(), crate::helpers::shipped_wording());
    let server = tokio::spawn(serve(listener, state, std::future::pending()));
    let mut journey = Journey { browser: browser(&driver).await, clicks: 0, loads: 1 };
    journey.browser.goto(&format!("{base}/")).await.unwrap();

    set_up_and_invite_colleagues(&mut journey).await;
    let profile = describe_the_role_with_its_panel(&mut journey).await;
    add_four_candidates(&mut journey, &profile).await;
    journey.sign_out().await;
    for (email, rates) in
        [("ida@amfit.test", ["communication", "customer_service"]), ("ole@amfit.test", ["diligence", "reliability"])]
    {
        score_every_interview(&mut journey, email, rates).await;
    }

    journey.sign_in("mette@amfit.test").await;
    journey.screenshot("home-hiring-manager.png").await;
    journey.follow_link("4 candidates ready for a decision").await;
    let text = journey.text().await;
    assert!(text.contains("Ranked by fit"), "{text}");
    for name in ["Sofie Nielsen", "Jonas Dahl", "Amira Haddad", "Mads Holm"] {
        assert!(text.contains(name), "{name} is compared: {text}");
    }
    eprintln!("the newcomer's path: {} clicks, {} page loads", journey.clicks, journey.loads);
    assert!(journey.clicks <= CLICKS_MAX, "{} clicks, {} page loads", journey.clicks, journey.loads);

    journey.browser.close().await.unwrap();
    server.abort();
}

/// The first administrator, then a hiring manager and two interviewers.
async fn set_up_and_invite_colleagues(journey: &mut Journey) {
    let browser = journey.browser.clone();
    fill(&browser, "name", "Ada Admin").await;
    fill(&browser, "email", "ada@amfit.test").await;
    fill(&browser, "password", PASSWORD).await;
    // The setup signs the administrator in.
    journey.submit().await;
    journey.screenshot("home-administrator.png").await;
    journey.follow_link("Add your colleagues: recruiters, hiring managers and interviewers").await;
    let colleagues = [
        ("Mette Holm", "mette@amfit.test", "hiring_manager"),
        ("Ida Lund", "ida@amfit.test", "interviewer"),
        ("Ole Dahl", "ole@amfit.test", "interviewer"),
    ];
    for (index, (name, email, role)) in colleagues.into_iter().enumerate() {
        if index > 0 {
            journey.follow_link("Add a user").await;
        }
        fill(&browser, "name", name).await;
        fill(&browser, "email", email).await;
        journey.choose("role", role).await;
        fill(&browser, "password", PASSWORD).await;
        journey.submit().await;
        assert!(journey.text().await.contains(name), "{name} is added");
    }
}

/// The company, the role profile with Mette as its hiring manager, and its default panel:
/// Ida and Ole, two competencies each. Returns the profile's title as its links show it.
async fn describe_the_role_with_its_panel(journey: &mut Journey) -> String {
    let browser = journey.browser.clone();
    journey.follow(Locator::Css("a.brand")).await;
    journey.follow_link("Add the company you hire for").await;
    fill(&browser, "name", "Nordlys Software ApS").await;
    fill(&browser, "industry", "Software").await;
    fill(&browser, "employees", "40").await;
    fill(&browser, "account_managers", "4").await;
    fill(&browser, "location", "Aarhus").await;
    journey.submit().await;

    journey.follow_link("New role profile").await;
    fill(&browser, "title", "Account Manager").await;
    fill(&browser, "location", "Aarhus C").await;
    journey.choose("remote_option", "hybrid").await;
    fill(&browser, "accounts_per_manager", "30").await;
    fill(&browser, "key_accounts_per_manager", "1").await;
    journey.choose("typical_client_size", "small_business").await;
    journey.choose("growth_focus", "balanced").await;
    journey.choose("meeting_cadence", "monthly").await;
    journey.choose("presentation_frequency", "sometimes").await;
    journey.tick("input[name=duties][value=renewals]").await;
    let manager = browser.find(Locator::Css("#field-hiring_manager_id option:nth-child(2)")).await.unwrap();
    let manager_id = manager.attr("value").await.unwrap().unwrap();
    journey.choose("hiring_manager_id", &manager_id).await;
    journey.submit().await;
    assert!(journey.text().await.contains("Default interview panel"));

    for (index, (name, rates)) in
        [("Ida Lund", ["communication", "customer_service"]), ("Ole Dahl", ["diligence", "reliability"])]
            .into_iter()
            .enumerate()
    {
        if index > 0 {
            journey.tick("#panel-heading ~ details.assign summary").await;
        }
        let option = browser
            .find(Locator::XPath(&format!("//select[@id='field-interviewer_id']/option[text()='{name}']")))
            .await;
        let id = option.unwrap().attr("value").await.unwrap().unwrap();
        journey.choose("interviewer_id", &id).await;
        for competency in rates {
            journey.tick(&format!("#field-competencies input[value={competency}]")).await;
        }
        journey.follow(Locator::Css("form[action$='/panel'] button[type=submit]")).await;
    }
    let text = journey.text().await;
    assert!(text.contains("Ida Lund: Communication") && text.contains("Ole Dahl: Diligence"), "{text}");
    "Account Manager – Nordlys Software ApS".to_owned()
}

/// Four candidates, each added from the profile: they apply to it and meet its panel.
async fn add_four_candidates(journey: &mut Journey, profile: &str) {
    let browser = journey.browser.clone();
    for (index, name) in ["Sofie Nielsen", "Jonas Dahl", "Amira Haddad", "Mads Holm"].into_iter().enumerate() {
        if index > 0 {
            journey.follow_link(profile).await;
        }
        journey.follow_link("New candidate").await;
        fill(&browser, "name", name).await;
        let email = format!("{}@example.dk", name.to_lowercase().replace(' ', "."));
        fill(&browser, "email", &email).await;
        journey.submit().await;
        let text = journey.text().await;
        assert!(text.contains("Ida Lund") && text.contains("Ole Dahl"), "{name} meets the panel: {text}");
    }
}

/// An interviewer signs in and scores each of their four interviews, then signs out: the first
/// from their start page, each next one where submitting the one before leads.
async fn score_every_interview(journey: &mut Journey, email: &str, rates: [&str; 2]) {
    let browser = journey.browser.clone();
    let candidates = ["Sofie Nielsen", "Jonas Dahl", "Amira Haddad", "Mads Holm"];
    journey.sign_in(email).await;
    if email.starts_with("ida") {
        journey.screenshot("home-interviewer.png").await;
    }
    journey.follow_link(candidates[0]).await;
    let mut scored = Vec::new();
    for round in 0..candidates.len() {
        let heading = browser.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        let (index, name) = candidates
            .iter()
            .enumerate()
            .find(|(_, name)| heading.contains(**name))
            .unwrap_or_else(|| panic!("interview {round} is one of the four: {heading}"));
        assert!(!scored.contains(name), "{name} comes once");
        scored.push(name);
        let score = 5 - index;
        for competency in rates {
            journey.tick(&format!("input[name='score.{competency}'][value='{score}']")).await;
            let evidence = format!("{name} described a client they kept through a hard renewal, step by step.");
            fill_by_id(&browser, &format!("evidence-{competency}"), &evidence).await;
        }
        journey.tick("input[name='recommendation'][value='yes']").await;
        journey.follow(Locator::Css("button[value=submit]")).await;
        let text = journey.text().await;
        assert!(text.contains("Your scorecard is submitted."), "{email} on {name}");
        let last = round + 1 == candidates.len();
        assert_eq!(text.contains("This is your next interview."), !last, "{email} goes on to the next: {text}");
    }
    journey.sign_out().await;
}
