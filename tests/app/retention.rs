//! Retention: a candidate who was not hired is anonymised once the retention period after their
//! last application has run out, or their talent-pool consent has; nobody else, and nobody twice.

use std::collections::HashSet;

use amfit::domain::audit::Agent;
use amfit::domain::audit::{AuditAction, AuditFilter};
use amfit::domain::candidate::Stage;
use amfit::domain::retention::{RetentionPolicy, TalentPoolConsent};
use amfit::service::retention::purge;
use amfit::store::ApplicationsOf;
use axum::http::StatusCode;
use chrono::{DateTime, Days, Months, Utc};
use serde_json::json;

use crate::helpers::{TestApp, candidate_at_stage, company_json, dump_database, on_both_backends, profile_json};

fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months)).unwrap()
}

fn anonymisations() -> AuditFilter {
    AuditFilter { action: Some(AuditAction::AnonymiseData), ..Default::default() }
}

async fn a_profile(app: &TestApp) -> i64 {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap()
}

async fn give_consent(app: &TestApp, id: i64, given_on: DateTime<Utc>, until: chrono::NaiveDate) {
    let candidate = app.store.get_candidate(id).await.unwrap();
    let mut details = candidate.details;
    details.talent_pool = Some(TalentPoolConsent { given_on: given_on.date_naive(), until, given_via: None });
    app.store.update_candidate(id, candidate.version, &details).await.unwrap();
}

on_both_backends! {
    async fn the_purge_anonymises_those_whose_time_is_up_and_nobody_else(app) {
        let now = Utc::now();
        let today = now.date_naive();
        let profile = a_profile(&app).await;
        let expired = candidate_at_stage(&app, profile, "Anna Expired", Stage::Rejected, months_before(now, 7)).await;
        let recent = candidate_at_stage(&app, profile, "Bo Recent", Stage::Rejected, months_before(now, 5)).await;
        let pooled = candidate_at_stage(&app, profile, "Carl Pooled", Stage::Rejected, months_before(now, 7)).await;
        give_consent(&app, pooled, months_before(now, 7), today + Days::new(30)).await;
        let lapsed = candidate_at_stage(&app, profile, "Dora Lapsed", Stage::Rejected, months_before(now, 30)).await;
        give_consent(&app, lapsed, months_before(now, 30), today - Days::new(1)).await;
        let open = candidate_at_stage(&app, profile, "Eva Open", Stage::Interviewing, months_before(now, 24)).await;
        let hired = candidate_at_stage(&app, profile, "Finn Hired", Stage::Hired, months_before(now, 24)).await;

        let report = purge(app.store.as_ref(), RetentionPolicy::default(), now).await.unwrap();
        assert_eq!(report.anonymised, [expired, lapsed]);
        assert_eq!(report.in_talent_pool.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [pooled]);
        assert_eq!(report.within_period.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [recent]);
        assert_eq!(report.passed_over, 0);

        let dump = dump_database(&app.database_url).await;
        for gone in ["Anna Expired", "anna.expired@example.dk", "Dora Lapsed", "dora.lapsed@example.dk"] {
            assert!(!dump.contains(gone), "{gone} is still in the database");
        }
        for kept in ["Bo Recent", "Carl Pooled", "Eva Open", "Finn Hired"] {
            assert!(dump.contains(kept), "{kept} was not to be touched");
        }
        let applications = app.store.list_applications(ApplicationsOf::Candidate(expired)).await.unwrap();
        assert_eq!(applications[0].application.stage, Stage::Rejected, "the statistics keep the outcome");
        assert_eq!(app.store.get_candidate(lapsed).await.unwrap().details.talent_pool, None);

        let trail = app.trail(&anonymisations()).await;
        let subjects: HashSet<i64> = trail.iter().map(|e| e.subject_id).collect();
        assert_eq!(subjects, HashSet::from([expired, lapsed]));
        assert!(trail.iter().all(|e| e.actor_id.is_none() && e.actor_name == Agent::Retention.name()));
        assert!(trail.iter().all(|e| e.detail.contains("6 months") && !e.detail.contains("Anna")), "{trail:?}");
        let detail_of = |id: i64| trail.iter().find(|e| e.subject_id == id).map(|e| e.detail.as_str()).unwrap();
        assert_eq!(detail_of(expired), "anonymised: the retention period of 6 months ended");
        assert_eq!(detail_of(lapsed), "anonymised: the retention period of 6 months and the talent-pool consent ended");
        let danish = app.get_in("/admin/audit?action=anonymise_data", "da").await.body;
        for said in [
            "amfit (opbevaringsperiode)",
            "Anonymiseret: opbevaringsperioden på 6 måneder udløb",
            "Anonymiseret: opbevaringsperioden på 6 måneder og samtykket til talentbanken udløb",
        ] {
            assert!(danish.contains(said), "{said}: {danish}");
        }

        for (id, says) in [
            (expired, "Personal data erased on"),
            (recent, "Anonymised on"),
            (pooled, "In the talent pool until"),
            (open, "Kept while an application is open."),
            (hired, "Hired: amfit does not anonymise hired candidates."),
        ] {
            let page = app.get(&format!("/candidates/{id}")).await;
            assert!(page.body.contains(says), "candidate {id} should say {says:?}");
        }

        let again = purge(app.store.as_ref(), RetentionPolicy::default(), now).await.unwrap();
        assert!(again.anonymised.is_empty(), "a second run finds nothing to do");
        assert_eq!(app.trail(&anonymisations()).await.len(), 2);
    }
}

/// Two app instances (two connection pools) purging the same database at the same moment.
async fn two_instances_purge_at_once(app: TestApp) {
    let now = Utc::now();
    let profile = a_profile(&app).await;
    let mut due = HashSet::new();
    for n in 0..24 {
        due.insert(
            candidate_at_stage(&app, profile, &format!("Due {n}"), Stage::Rejected, months_before(now, 8)).await,
        );
    }
    let other_instance = amfit::store::connect(&app.database_url).await.unwrap();
    let policy = RetentionPolicy::default();
    let (first, second) =
        tokio::join!(purge(app.store.as_ref(), policy, now), purge(other_instance.as_ref(), policy, now));
    let (first, second) = (first.unwrap(), second.unwrap());
    let first_ids: HashSet<i64> = first.anonymised.iter().copied().collect();
    let second_ids: HashSet<i64> = second.anonymised.iter().copied().collect();
    assert!(first_ids.is_disjoint(&second_ids), "processed twice: {:?}", first_ids.intersection(&second_ids));
    assert_eq!(&first_ids | &second_ids, due);
    let trail = app.trail(&anonymisations()).await;
    assert_eq!(trail.len(), due.len(), "one entry per candidate");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_never_process_the_same_candidate_sqlite() {
    two_instances_purge_at_once(TestApp::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_never_process_the_same_candidate_postgres() {
    let Some(app) = TestApp::postgres().await else { return };
    two_instances_purge_at_once(app).await;
}

#[tokio::test]
async fn talent_pool_consent_is_recorded_from_the_form_and_bad_dates_change_nothing() {
    let app = TestApp::sqlite().await;
    let today = Utc::now().date_naive();
    let in_a_year = (today + Days::new(365)).to_string();
    let given = today.to_string();
    let fields = [
        ("name", "Gitte Pool"),
        ("email", "gitte@example.dk"),
        ("talent_pool_given_on", given.as_str()),
        ("talent_pool_until", in_a_year.as_str()),
    ];
    let created = app.post_form("/candidates", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 = created.location().trim_start_matches("/candidates/").split('?').next().unwrap().parse().unwrap();
    let stored = app.get(&format!("/api/v1/candidates/{id}")).await.json();
    assert_eq!(stored["talent_pool"], json!({ "given_on": given, "until": in_a_year, "given_via": "recruiter" }));
    let edit = app.get(&format!("/candidates/{id}/edit")).await;
    assert!(edit.body.contains(&format!("value=\"{in_a_year}\"")), "the form shows the consent");

    let too_long = (today + Months::new(36) + Days::new(1)).to_string();
    let tomorrow = (today + Days::new(1)).to_string();
    for (given_on, until, field, message) in [
        (given.as_str(), "2020-01-01", "talent_pool_until", "The end comes before the start."),
        (given.as_str(), too_long.as_str(), "talent_pool_until", "at most 36 months"),
        (given.as_str(), "", "talent_pool_until", "Give both the day the consent was given and its last day"),
        ("", in_a_year.as_str(), "talent_pool_given_on", "Give both the day the consent was given and its last day"),
        (tomorrow.as_str(), in_a_year.as_str(), "talent_pool_given_on", "The date lies in the future."),
        ("31/12/2026", in_a_year.as_str(), "talent_pool_given_on", ""),
    ] {
        let fields = [
            ("name", "Gitte Pool"),
            ("email", "gitte@example.dk"),
            ("talent_pool_given_on", given_on),
            ("talent_pool_until", until),
            ("version", "1"),
        ];
        let refused = app.post_form(&format!("/candidates/{id}"), &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{given_on}..{until}");
        assert!(refused.body.contains(&format!("id=\"error-{field}\"")), "{given_on}..{until}: {field}");
        assert!(refused.body.contains(message), "{given_on}..{until}: {message}");
        assert!(refused.body.contains(&format!("value=\"{given_on}\"")), "what was typed is kept");
        let api = app
            .put_json(
                &format!("/api/v1/candidates/{id}"),
                &json!({
                    "name": "Gitte Pool", "email": "gitte@example.dk", "version": 1,
                    "talent_pool_given_on": given_on, "talent_pool_until": until,
                }),
            )
            .await;
        assert_eq!(api.rejected_fields(), [field], "{given_on}..{until}");
    }
    let unchanged = app.store.get_candidate(id).await.unwrap();
    assert_eq!((unchanged.version, unchanged.details.talent_pool.unwrap().until.to_string()), (1, in_a_year));
}

on_both_backends! {
    async fn an_anonymised_candidate_cannot_be_given_their_data_back(app) {
        let profile = a_profile(&app).await;
        let other = a_profile(&app).await;
        let closed = months_before(Utc::now(), 7);
        let id = candidate_at_stage(&app, profile, "Ida Gone", Stage::Rejected, closed).await;
        let changes = [format!("href=\"/candidates/{id}/edit\""), format!("action=\"/candidates/{id}/applications\"")];
        let page = app.get(&format!("/candidates/{id}")).await;
        assert!(changes.iter().all(|change| page.body.contains(change)), "editable before");
        purge(app.store.as_ref(), RetentionPolicy::default(), Utc::now()).await.unwrap();
        let page = app.get(&format!("/candidates/{id}")).await;
        assert!(changes.iter().all(|change| !page.body.contains(change)), "no way to change them after");

        let edit = app.get(&format!("/candidates/{id}/edit")).await;
        assert_eq!(edit.status, StatusCode::CONFLICT);
        assert!(edit.body.contains("personal data was erased"), "{}", edit.body);
        let fields = [("name", "Ida Gone"), ("email", "ida.gone@example.dk"), ("version", "2")];
        assert_eq!(app.post_form(&format!("/candidates/{id}"), &fields).await.status, StatusCode::CONFLICT);
        let body = json!({ "name": "Ida Gone", "email": "ida.gone@example.dk", "version": 2 });
        let refused = app.put_json(&format!("/api/v1/candidates/{id}"), &body).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert_eq!(refused.header("content-type"), "application/problem+json");
        let applied = app.post_json(&format!("/api/v1/candidates/{id}/applications"), &json!({ "profile_id": other })).await;
        assert_eq!(applied.status, StatusCode::CONFLICT);
        assert!(!dump_database(&app.database_url).await.contains("Ida Gone"), "nothing came back");
    }
}

#[tokio::test]
async fn the_retention_page_shows_who_is_anonymised_soon_and_who_is_in_the_talent_pool() {
    let app = TestApp::sqlite().await;
    let now = Utc::now();
    let profile = a_profile(&app).await;
    let due = candidate_at_stage(&app, profile, "Anna Expired", Stage::Rejected, months_before(now, 7)).await;
    let soon = candidate_at_stage(&app, profile, "Bo Soon", Stage::Rejected, months_before(now, 5)).await;
    candidate_at_stage(&app, profile, "Cilla Later", Stage::Rejected, months_before(now, 1)).await;
    candidate_at_stage(&app, profile, "Eva Open", Stage::Interviewing, months_before(now, 24)).await;
    let pooled = candidate_at_stage(&app, profile, "Carl Pooled", Stage::Interviewing, now).await;
    give_consent(&app, pooled, now, now.date_naive() + Months::new(12)).await;

    let page = app.get("/candidates/retention").await;
    assert_eq!(page.status, StatusCode::OK);
    let upcoming = &page.body[page.body.find("upcoming-heading").unwrap()..page.body.find("pool-heading").unwrap()];
    let (anna, bo) = (upcoming.find("Anna Expired").unwrap(), upcoming.find("Bo Soon").unwrap());
    assert!(anna < bo, "soonest first");
    assert!(upcoming.contains("At the next daily run") && upcoming.contains(&format!("/candidates/{due}")));
    assert!(upcoming.contains(&format!("/candidates/{soon}")));
    assert!(!upcoming.contains("Cilla Later") && !upcoming.contains("Eva Open"), "later, or still open");
    let pool = &page.body[page.body.find("pool-heading").unwrap()..];
    assert!(pool.contains("Carl Pooled") && !pool.contains("Anna"));
    assert!(page.body.contains("kept for 6 months"));

    let danish = app.get_in("/candidates/retention", "da").await;
    assert!(danish.body.contains("Ved næste daglige kørsel") && danish.body.contains("6 måneder"));
    let interviewer = app.client(amfit::domain::user::Role::Interviewer, "ivan@amfit.test").await;
    assert_eq!(app.as_(&interviewer).get("/candidates/retention").await.status, StatusCode::FORBIDDEN);
}
