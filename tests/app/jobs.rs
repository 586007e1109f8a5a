//! The public job pages: anyone finds the open jobs and reads each ad, with its JobPosting for
//! search engines; a job whose days are over says so and points to the company's others.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, company_json, in_days, on_both_backends, profile_json, with};

const DANISH: &str = "# Account manager i Aarhus\n\nVi søger en account manager til vores kunder.\n";
const ENGLISH: &str = "# Account manager in Aarhus\n\nWe are looking for an account manager.\n";

/// Saves `text` as the profile's next version and publishes it with `window`; its slug.
pub async fn published(app: &TestApp, profile: i64, text: &str, language: &str, window: serde_json::Value) -> String {
    let saved =
        app.post_json(&format!("/api/v1/profiles/{profile}/ads"), &json!({ "text": text, "language": language })).await;
    let number = saved.json()["version"]["number"].as_i64().unwrap();
    let path = format!("/api/v1/profiles/{profile}/ads/{number}/publication");
    let publication = app.post_json(&path, &window).await;
    assert_eq!(publication.status, StatusCode::CREATED, "{}", publication.body);
    publication.json()["slug"].as_str().unwrap().to_owned()
}

on_both_backends! {
    async fn anyone_finds_the_open_jobs_and_reads_each_with_its_job_posting(app) {
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &with(&profile_json(), json!({ "application_deadline": in_days(30) }))).await["id"].as_i64().unwrap();
        let open = published(&app, profile, DANISH, "da", json!({ "slug": "account-manager-aarhus", "until": in_days(20) })).await;
        let english = published(&app, profile, ENGLISH, "en", json!({ "slug": "account-manager-aarhus-en" })).await;
        let later = published(&app, profile, DANISH, "da", json!({ "slug": "account-manager-later", "from": in_days(5) })).await;

        let list = app.anonymous().get("/jobs").await;
        assert_eq!(list.status, StatusCode::OK, "no sign-in: {}", list.body);
        assert!(list.body.contains(&format!("href=\"/jobs/{open}\"")) && list.body.contains(&format!("href=\"/jobs/{english}\"")));
        assert!(!list.body.contains(&format!("/jobs/{later}")), "not open yet");
        let english_only = app.anonymous().get("/jobs?language=en").await.body;
        assert!(english_only.contains(&english) && !english_only.contains(&format!("/jobs/{open}\"")));
        let other_company = app.anonymous().get(&format!("/jobs?company={}", company + 1)).await.body;
        assert!(!other_company.contains("/jobs/account-manager"));
        for bad in ["company=x", "language=sv"] {
            assert_eq!(app.anonymous().get(&format!("/jobs?{bad}")).await.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }

        let page = app.anonymous().get(&format!("/jobs/{open}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<article class=\"ad\" lang=\"da\">"), "the ad in its language");
        assert!(page.body.contains("Vi søger en account manager til vores kunder."));
        assert!(page.body.contains("Nordlys Digital ApS"));
        let json_ld = page.body.split("<script type=\"application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
        let posting: serde_json::Value = serde_json::from_str(json_ld).unwrap();
        assert_eq!((posting["directApply"].as_bool(), posting["validThrough"].as_str()), (Some(true), Some(in_days(20).as_str())));
        assert_eq!(posting["datePosted"], in_days(0));

        let closed = app.anonymous().get(&format!("/jobs/{later}")).await;
        assert_eq!(closed.status, StatusCode::GONE);
        assert!(closed.body.contains(&format!("href=\"/jobs/{open}\"")), "the company's other open jobs");
        for unknown in ["/jobs/no-such-job", "/jobs/Not_A_Slug", "/jobs/%3Cscript%3E"] {
            assert_eq!(app.anonymous().get(unknown).await.status, StatusCode::NOT_FOUND, "{unknown}");
        }
        assert_eq!(app.delete(&format!("/api/v1/profiles/{profile}/ads/1/publication")).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.anonymous().get(&format!("/jobs/{open}")).await.status, StatusCode::NOT_FOUND, "unpublished");
    }
}

on_both_backends! {
    async fn the_job_page_sends_applicants_to_its_form_and_says_what_the_ad_says(app) {
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let deadline = json!({ "application_deadline": in_days(30), "interviewing": "after_deadline" });
        let profile = app.create_profile(company, &with(&profile_json(), deadline)).await["id"].as_i64().unwrap();
        // A version saved from the generated text, the interviews made "løbende" by hand.
        let text = "# Account manager\n\n- Kontaktperson: Mette Holm, mette@nordlys.example\n\nSøg ved at sende dit CV og \
                    en kort ansøgning til mette@nordlys.example. Vi indkalder løbende til samtaler.\n";
        let slug = published(&app, profile, text, "da", json!({})).await;

        let page = app.anonymous().get(&format!("/jobs/{slug}")).await.body;
        assert!(page.contains("Søg via <a href=\"#apply-heading\">ansøgningsformularen herunder</a>."), "{page}");
        assert!(page.contains("id=\"apply-heading\""), "the link leads to the form");
        assert!(!page.contains("sende dit CV"), "no second way to apply above the form");
        assert!(page.contains("Kontaktperson: Mette Holm, mette@nordlys.example"), "a contact for questions keeps the address");
        assert!(page.contains("gemmer vi din ansøgning i 6 måneder efter, at denne rekruttering er afsluttet"), "the real retention period");
        assert!(!page.contains("slettes dine data, når denne rekruttering er slut"));

        let applied = app.anonymous().get(&format!("/jobs/{slug}/applied")).await.body;
        assert!(applied.contains("Vi læser ansøgningerne løbende"), "the confirmation says what the ad says: {applied}");
        assert!(!applied.contains("efter ansøgningsfristen,"), "{applied}");
    }
}

on_both_backends! {
    async fn the_interview_week_of_the_profile_is_in_the_ad_and_the_confirmation(app) {
        use chrono::Datelike;
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let deadline = chrono::NaiveDate::parse_from_str(&in_days(30), "%Y-%m-%d").unwrap();
        let week = deadline.checked_add_days(chrono::Days::new(7)).unwrap().iso_week();
        let iso_week = format!("{}-W{:02}", week.year(), week.week());
        let terms = json!({
            "application_deadline": in_days(30), "interviewing": "after_deadline", "interview_week": iso_week,
            "employment": "fixed_term", "fixed_term_months": "9", "title_da": "Account manager",
        });
        let created = app.create_profile(company, &with(&profile_json(), terms)).await;
        assert_eq!((created["interview_week"].as_str(), created["fixed_term_months"].as_u64()), (Some(&*iso_week), Some(9)));
        let profile = created["id"].as_i64().unwrap();
        let ad = app.get(&format!("/api/v1/profiles/{profile}/ad?language=da&format=md")).await;
        let stated = format!("Samtaler forventes afholdt i uge {}.", week.week());
        assert!(ad.body.starts_with("# Account manager til ") && ad.body.contains(&stated), "{}", ad.body);
        assert!(ad.body.contains("tidsbegrænset stilling i 9 måneder"), "{}", ad.body);

        let slug = published(&app, profile, &ad.body, "da", json!({})).await;
        let applied = app.anonymous().get(&format!("/jobs/{slug}/applied")).await.body;
        let confirmed = format!("Samtalerne forventes afholdt i uge {}.", week.week());
        assert!(applied.contains(&confirmed), "the confirmation names the ad's week: {applied}");

        // Taking applications after the week the ad names for interviews is refused.
        let saved = app.post_json(&format!("/api/v1/profiles/{profile}/ads"), &json!({ "text": ad.body, "language": "da" })).await;
        let number = saved.json()["version"]["number"].as_i64().unwrap();
        let late = app.post_json(&format!("/api/v1/profiles/{profile}/ads/{number}/publication"), &json!({ "until": in_days(60) })).await;
        assert_eq!((late.status, late.rejected_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["until".to_owned()]), "{}", late.body);

        // A week that ends before the deadline, for interviews after it, is refused and changes nothing.
        let before = deadline.checked_sub_days(chrono::Days::new(7)).unwrap().iso_week();
        let early = format!("{}-W{:02}", before.year(), before.week());
        let refused = app.put_json(&format!("/api/v1/profiles/{profile}"), &with(&profile_json(), json!({
            "version": created["version"], "application_deadline": in_days(30), "interview_week": early,
        }))).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("interview_week"), "{}", refused.body);
    }
}
