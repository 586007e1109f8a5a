//! The public form never changes a person's record on a stranger's word: an application with
//! a known email address is answered as any other, becomes a new candidate marked as a possible
//! duplicate, and reaches the known record only when a recruiter merges the two.

use amfit::domain::audit::{AuditAction, AuditFilter};
use amfit::domain::retention::ConsentGivenVia;
use amfit::domain::user::Role;
use amfit::store::ApplicationsOf;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::applying::{CV, apply, field, file, open_job};
use crate::helpers::{TestApp, company_json, dump_database, in_days, on_both_backends, profile_json, with};
use crate::jobs::published;

pub const KNOWN: &str = "sofie.madsen@example.dk";

/// The candidate a recruiter entered, with an application to `profile` and a note; their id.
pub async fn known_candidate(app: &TestApp, profile: i64) -> i64 {
    let body = json!({ "name": "Sofie Madsen", "email": KNOWN, "notes": "Met at the Aarhus fair." });
    let created = app.post_json("/api/v1/candidates", &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let applied =
        app.post_json(&format!("/api/v1/candidates/{id}/applications"), &json!({ "profile_id": profile })).await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    id
}

/// A company's profile, with `manager` as its hiring manager and `interviewer` on its default
/// interview panel, whose Danish ad is published; the profile's id and the ad's address.
pub async fn open_job_with_panel(app: &TestApp, manager: i64, interviewer: i64) -> (i64, String) {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let body = with(&profile_json(), json!({ "application_deadline": in_days(30), "hiring_manager_id": manager }));
    let profile = app.create_profile(company, &body).await["id"].as_i64().unwrap();
    let member = json!({ "interviewer_id": interviewer, "competencies": ["communication"] });
    let panel = app.post_json(&format!("/api/v1/profiles/{profile}/panel"), &member).await;
    assert_eq!(panel.status, StatusCode::CREATED, "{}", panel.body);
    let ad = "# Account manager i Aarhus\n\nVi søger en account manager til vores kunder.\n";
    let slug =
        published(app, profile, ad, "da", json!({ "slug": "account-manager-aarhus", "until": in_days(20) })).await;
    (profile, slug)
}

/// Everything the store says of candidate `id`: their record, applications and documents.
pub async fn record_of(app: &TestApp, id: i64) -> String {
    let candidate = app.store.get_candidate(id).await.unwrap();
    let applications = app.store.list_applications(ApplicationsOf::Candidate(id)).await.unwrap();
    let documents = app.store.list_documents(id).await.unwrap();
    format!("{candidate:?}\n{applications:?}\n{documents:?}")
}

/// What an answer tells its reader: its status, its headers but those that differ from one
/// answer to the next whatever was sent (the date, the request's id, a fresh cookie), its body.
pub type Told = (StatusCode, Vec<(String, String)>, String);

fn told(response: &crate::helpers::TestResponse) -> Told {
    let mut headers: Vec<(String, String)> = response
        .headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "date" | "x-request-id" | "set-cookie"))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    headers.sort();
    (response.status, headers, response.body.clone())
}

/// Sends the form with `email` as `name`, with a CV and the talent-pool box ticked: what the
/// answer and the confirmation page it leads to tell.
pub async fn apply_as(app: &TestApp, slug: &str, name: &str, email: &str) -> (Told, Told) {
    let parts = [
        field("name", name),
        field("email", email),
        field("phone", "+45 20 30 40 50"),
        field("talent_pool", "true"),
        field("message", "Jeg søger igen."),
        file("cv", "cv.pdf", CV),
    ];
    let sent = apply(app, slug, &parts).await;
    let page = app.anonymous().get(sent.location()).await;
    (told(&sent), told(&page))
}

pub fn newest(app_candidates: Vec<amfit::store::CandidateOverview>) -> amfit::domain::candidate::Candidate {
    app_candidates.into_iter().map(|o| o.candidate).max_by_key(|c| c.id).unwrap()
}

on_both_backends! {
    async fn a_known_address_is_answered_as_any_other_and_its_record_stays_as_it_was(app) {
        let (profile, slug) = open_job(&app).await;
        let known = known_candidate(&app, profile).await;
        let before = record_of(&app, known).await;

        let stranger = apply_as(&app, &slug, "Ny Person", "someone.new@example.dk").await;
        let first = apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let newer = newest(app.store.list_candidates().await.unwrap());
        // The address has now applied to this job twice: still the same answer.
        let second = apply_as(&app, &slug, "S. Madsen", &KNOWN.to_uppercase()).await;

        assert_eq!((stranger.0.0, stranger.1.0), (StatusCode::SEE_OTHER, StatusCode::OK));
        assert_eq!(first, stranger, "status, headers, body and page: the same for a known address");
        assert_eq!(second, stranger, "and for one that applied to this job before");
        assert_eq!(record_of(&app, known).await, before, "details, consent, applications and documents unchanged");
        assert_eq!(app.store.get_candidate(known).await.unwrap().details.talent_pool, None, "no consent in their name");

        assert_eq!(newer.possible_duplicate_of, Some(known));
        assert_eq!(newer.details.name, "Sofie M.");
        let consent = newer.details.talent_pool.expect("the box was ticked");
        assert_eq!(consent.given_via, Some(ConsentGivenVia::ApplicationForm), "how the consent was given is kept");
        let marked = app.store.possible_duplicates_of(known).await.unwrap();
        assert_eq!(marked.len(), 2, "each submission is a record of its own");
        assert_eq!(app.store.list_documents(newer.id).await.unwrap().len(), 1, "the CV is the new record's");
        let not_marked = app.store.list_candidates().await.unwrap();
        let stranger_record = not_marked.iter().find(|o| o.candidate.details.email == "someone.new@example.dk").unwrap();
        assert_eq!(stranger_record.candidate.possible_duplicate_of, None);

        // The recruiter is told on both records, and in the list.
        let page = app.get(&format!("/candidates/{}", newer.id)).await.body;
        assert!(page.contains(&format!("href=\"/candidates/{}/merge\"", newer.id)) && page.contains("Sofie Madsen"), "{page}");
        let page = app.get(&format!("/candidates/{known}")).await.body;
        assert!(page.contains(&format!("href=\"/candidates/{}/merge\"", newer.id)), "{page}");
        let list = app.get("/candidates").await.body;
        assert_eq!(list.matches("Possible duplicate").count(), 2, "{list}");
    }
}

on_both_backends! {
    async fn a_hiring_manager_is_not_told_whom_an_applicant_may_duplicate(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        known_candidate(&app, profile).await;
        apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let newer = newest(app.store.list_candidates().await.unwrap());
        assert!(newer.possible_duplicate_of.is_some());

        let read = app.as_(&manager).get(&format!("/api/v1/candidates/{}", newer.id)).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(read.json()["possible_duplicate_of"], Value::Null);
        let listed = app.as_(&manager).get("/api/v1/candidates").await.json();
        assert!(listed["items"].as_array().unwrap().iter().all(|c| c["possible_duplicate_of"].is_null()), "{listed}");
        let list = app.as_(&manager).get("/candidates").await.body;
        assert!(list.contains("Sofie M.") && !list.contains("Possible duplicate"), "{list}");
        let page = app.as_(&manager).get(&format!("/candidates/{}", newer.id)).await.body;
        assert!(!page.contains("/merge") && !page.contains("Sofie Madsen"), "{page}");
        let admin = app.get(&format!("/api/v1/candidates/{}", newer.id)).await.json();
        assert!(admin["possible_duplicate_of"].is_i64(), "a recruiter or an administrator is told");
    }
}

on_both_backends! {
    async fn a_recruiter_merges_a_possible_duplicate_after_seeing_both_side_by_side(app) {
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        // Each new application gets the profile's default panel: that is no work to lose.
        let (profile, slug) = open_job_with_panel(&app, manager.user_id, interviewer.user_id).await;
        let known = known_candidate(&app, profile).await;
        apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let newer = newest(app.store.list_candidates().await.unwrap());
        let recruiter = app.client(Role::Recruiter, "recruiter@amfit.test").await;

        let page = app.as_(&recruiter).get(&format!("/candidates/{}/merge", newer.id)).await;
        assert_eq!(page.status, StatusCode::OK);
        for shown in ["Sofie Madsen", "Sofie M.", "Met at the Aarhus fair.", "cv.pdf", "+45 20 30 40 50", "ticked by the applicant"] {
            assert!(page.body.contains(shown), "the merge page shows {shown:?}: {}", page.body);
        }

        let versions = [("existing_id", known.to_string()), ("version", "1".to_owned()), ("duplicate_version", newer.version.to_string())];
        let mut fields: Vec<(&str, &str)> = versions.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fields.push(("take_from_duplicate", "phone"));
        let merged = app.as_(&recruiter).post_form(&format!("/candidates/{}/merge", newer.id), &fields).await;
        assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
        assert_eq!(merged.location(), format!("/candidates/{known}?notice=merged"));

        assert_eq!(app.get(&format!("/api/v1/candidates/{}", newer.id)).await.status, StatusCode::NOT_FOUND, "the newer record is gone");
        let kept = app.store.get_candidate(known).await.unwrap();
        assert_eq!(kept.details.name, "Sofie Madsen", "the name was not chosen: it stays");
        assert_eq!(kept.details.phone.as_deref(), Some("+45 20 30 40 50"), "the phone was chosen");
        assert_eq!(kept.details.talent_pool.and_then(|c| c.given_via), Some(ConsentGivenVia::ApplicationForm));
        let applications = app.store.list_applications(ApplicationsOf::Candidate(known)).await.unwrap();
        assert_eq!(applications.len(), 1, "the application to the same job joined the earlier one");
        let joined = &applications[0].application;
        assert_eq!(joined.message.as_deref(), Some("Jeg søger igen."), "the message came with it");
        assert!(joined.seen_at.is_none(), "and it shows as new again");
        let plan = app.store.list_assignments(joined.id).await.unwrap();
        assert_eq!(plan.len(), 1, "the earlier application keeps its own plan; the folded one's went with it");
        let documents = app.store.list_documents(known).await.unwrap();
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].application_id, Some(applications[0].application.id), "the CV is with the application");
        let trail = app.trail(&AuditFilter { action: Some(AuditAction::MergeCandidates), ..AuditFilter::default() }).await;
        assert_eq!((trail.len(), trail[0].subject_id, trail[0].actor_id), (1, known, Some(recruiter.user_id)));
        assert!(app.get(&format!("/candidates/{known}?notice=merged")).await.body.contains("Merged."));

        // Through the API, a second submission with an application to a job they had not applied to.
        let other = app.create_profile(app.store.list_companies().await.unwrap()[0].company.id, &crate::helpers::profile_json()).await;
        apply_as(&app, &slug, "Sofie Madsen", KNOWN).await;
        let again = newest(app.store.list_candidates().await.unwrap());
        let to_other = app.post_json(&format!("/api/v1/candidates/{}/applications", again.id), &json!({ "profile_id": other["id"] })).await;
        assert_eq!(to_other.status, StatusCode::CREATED);
        let merged = app.post_json(&format!("/api/v1/candidates/{known}/merge"), &json!({ "duplicate_id": again.id, "duplicate_version": again.version })).await;
        assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
        assert_eq!(merged.json()["possible_duplicate_of"], Value::Null);
        assert_eq!(merged.header("etag"), format!("\"{}\"", merged.json()["version"]));
        let applications = app.store.list_applications(ApplicationsOf::Candidate(known)).await.unwrap();
        assert_eq!(applications.len(), 2, "the application to the other role moved as it was");
    }
}

/// The rows of every table but those a request touches without changing anything a person
/// sees (an API token's last use, sessions).
async fn data_of(app: &TestApp) -> String {
    let dump = dump_database(&app.database_url).await;
    dump.lines().filter(|l| !l.starts_with("api_tokens") && !l.contains("session")).collect::<Vec<_>>().join("\n")
}

on_both_backends! {
    async fn a_merge_that_is_wrong_or_would_lose_work_changes_nothing(app) {
        let (profile, slug) = open_job(&app).await;
        let known = known_candidate(&app, profile).await;
        apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let newer = newest(app.store.list_candidates().await.unwrap());
        let someone = app.post_json("/api/v1/candidates", &json!({ "name": "Ida Berg", "email": "ida@example.dk" })).await.json()["id"].as_i64().unwrap();
        let interviewer = app.client(Role::Interviewer, "interviewer@amfit.test").await;
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        let merge = |into: i64, body: Value| {
            let app = &app;
            async move { app.post_json(&format!("/api/v1/candidates/{into}/merge"), &body).await }
        };
        let before = data_of(&app).await;

        let cases: Vec<(i64, Value, &str)> = vec![
            (known, json!({}), "required"),
            (known, json!({ "duplicate_id": "seven" }), "not_a_whole_number"),
            (known, json!({ "duplicate_id": newer.id, "take_from_duplicate": ["email"] }), "unknown_choice"),
            (known, json!({ "duplicate_id": someone }), "not_a_possible_duplicate"),
            (known, json!({ "duplicate_id": 999_999 }), "not_a_possible_duplicate"),
            (known, json!({ "duplicate_id": known }), "not_a_possible_duplicate"),
            (someone, json!({ "duplicate_id": newer.id }), "not_a_possible_duplicate"),
        ];
        for (into, body, code) in cases {
            let refused = merge(into, body.clone()).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", refused.body);
            assert_eq!(refused.json()["errors"][0]["code"], code, "{body}: {}", refused.body);
        }
        let malformed = app.send(Method::POST, &format!("/api/v1/candidates/{known}/merge"), &[("content-type", "application/json")], "{").await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(merge(424_242, json!({ "duplicate_id": newer.id })).await.status, StatusCode::NOT_FOUND);
        for caller in [&interviewer, &manager] {
            let path = format!("/api/v1/candidates/{known}/merge");
            let refused = app.as_(caller).send_json(Method::POST, &path, &json!({ "duplicate_id": newer.id })).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN);
            assert_eq!(app.as_(caller).get(&format!("/candidates/{}/merge", newer.id)).await.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(app.get(&format!("/candidates/{someone}/merge")).await.status, StatusCode::NOT_FOUND, "not marked: no merge page");
        // Either record at another version than the one seen.
        let stale = merge(known, json!({ "duplicate_id": newer.id, "duplicate_version": newer.version + 1 })).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        let body = json!({ "duplicate_id": newer.id }).to_string();
        let path = format!("/api/v1/candidates/{known}/merge");
        let stale = app.send(Method::POST, &path, &[("content-type", "application/json"), ("if-match", "\"9\"")], body).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
        let (known_id, newer_version) = (known.to_string(), newer.version.to_string());
        let seen_before = [("existing_id", known_id.as_str()), ("version", "9"), ("duplicate_version", newer_version.as_str())];
        let page = app.post_form(&format!("/candidates/{}/merge", newer.id), &seen_before).await;
        assert_eq!(page.status, StatusCode::CONFLICT);
        assert!(page.body.contains("changed while you were looking"), "{}", page.body);
        assert_eq!(data_of(&app).await, before, "no refused merge changed anything");

        // The newer application to the same job moved on: folding it away would lose that.
        let newer_application = app.store.list_applications(ApplicationsOf::Candidate(newer.id)).await.unwrap()[0].application.id;
        let moved = app.put_json(&format!("/api/v1/applications/{newer_application}/stage"), &json!({ "stage": "screening" })).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        let before = data_of(&app).await;
        let refused = merge(known, json!({ "duplicate_id": newer.id })).await;
        assert_eq!(refused.json()["errors"][0]["code"], "applications_overlap", "{}", refused.body);
        let page = app.post_form(&format!("/candidates/{}/merge", newer.id), &[("existing_id", &known.to_string()), ("version", "1")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("work has begun on the newer application"), "the page says why: {}", page.body);
        assert_eq!(data_of(&app).await, before, "nothing merged");

        // An erased record cannot be merged.
        let erased = app.post_json(&format!("/api/v1/candidates/{known}/erasure"), &json!({})).await;
        assert_eq!(erased.status, StatusCode::OK);
        assert_eq!(merge(known, json!({ "duplicate_id": newer.id })).await.status, StatusCode::CONFLICT);
    }
}

on_both_backends! {
    async fn a_possible_duplicate_kept_apart_stays_a_candidate_of_its_own(app) {
        let (profile, slug) = open_job(&app).await;
        let known = known_candidate(&app, profile).await;
        apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let newer = newest(app.store.list_candidates().await.unwrap());
        let path = format!("/api/v1/candidates/{}/possible-duplicate", newer.id);

        let stale = app.send(Method::DELETE, &path, &[("if-match", "\"77\"")], "").await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
        assert_eq!(app.store.get_candidate(newer.id).await.unwrap().possible_duplicate_of, Some(known));

        let current = format!("\"{}\"", newer.version);
        let apart = app.send(Method::DELETE, &path, &[("if-match", current.as_str())], "").await;
        assert_eq!(apart.status, StatusCode::OK, "{}", apart.body);
        assert_eq!(apart.json()["possible_duplicate_of"], Value::Null);
        let again = app.delete(&path).await;
        assert_eq!((again.status, again.json()["version"].clone()), (StatusCode::OK, apart.json()["version"].clone()), "already apart: as it is");
        let trail = app.trail(&AuditFilter { action: Some(AuditAction::KeepCandidatesApart), ..AuditFilter::default() }).await;
        assert_eq!(trail.len(), 1, "one change, one entry");
        assert!(app.store.possible_duplicates_of(known).await.unwrap().is_empty());
        assert_eq!(app.get(&format!("/candidates/{}/merge", newer.id)).await.status, StatusCode::NOT_FOUND);

        // On the web, from the merge page.
        apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let third = newest(app.store.list_candidates().await.unwrap());
        let kept = app.post_form(&format!("/candidates/{}/keep-apart", third.id), &[("version", &third.version.to_string())]).await;
        assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
        assert_eq!(kept.location(), format!("/candidates/{}?notice=kept_apart", third.id));
        assert_eq!(app.store.get_candidate(third.id).await.unwrap().possible_duplicate_of, None);
        assert_eq!(app.store.get_candidate(known).await.unwrap().version, 1, "the known record was never touched");

        // Once erased, a candidate is no one's possible duplicate and has none.
        apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let fourth = newest(app.store.list_candidates().await.unwrap());
        assert_eq!(fourth.possible_duplicate_of, Some(known));
        let erased = app.post_json(&format!("/api/v1/candidates/{known}/erasure"), &json!({})).await;
        assert_eq!(erased.status, StatusCode::OK);
        assert_eq!(app.store.get_candidate(fourth.id).await.unwrap().possible_duplicate_of, None);
        apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let fifth = newest(app.store.list_candidates().await.unwrap());
        assert_eq!(fifth.possible_duplicate_of, Some(newer.id), "the oldest with the address not erased");
        let erased = app.post_json(&format!("/api/v1/candidates/{}/erasure", fifth.id), &json!({})).await;
        assert_eq!(erased.status, StatusCode::OK);
        assert!(app.store.possible_duplicates_of(newer.id).await.unwrap().is_empty());
        assert_eq!(app.store.get_candidate(fifth.id).await.unwrap().possible_duplicate_of, None);
    }
}

on_both_backends! {
    async fn a_consent_keeps_how_it_was_given_until_a_recruiter_changes_it(app) {
        let (_, slug) = open_job(&app).await;
        apply_as(&app, &slug, "Ida Berg", "ida@example.dk").await;
        let ida = newest(app.store.list_candidates().await.unwrap());
        let consent = ida.details.talent_pool.unwrap();
        let path = format!("/api/v1/candidates/{}", ida.id);
        let mut body = json!({
            "name": "Ida Berg-Hansen", "email": "ida@example.dk", "version": ida.version.to_string(),
            "talent_pool_given_on": consent.given_on.to_string(), "talent_pool_until": consent.until.to_string(),
        });
        let renamed = app.put_json(&path, &body).await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        assert_eq!(renamed.json()["talent_pool"]["given_via"], "application_form", "the same consent, given as before");
        body["version"] = json!(renamed.json()["version"].to_string());
        body["talent_pool_until"] = json!(consent.given_on.to_string());
        let shortened = app.put_json(&path, &body).await;
        assert_eq!(shortened.json()["talent_pool"]["given_via"], "recruiter", "{}", shortened.body);
        assert!(app.get(&format!("/candidates/{}", ida.id)).await.body.contains("recorded by a recruiter"));
    }
}

on_both_backends! {
    async fn a_merge_and_an_erasure_of_the_newer_record_at_once_never_both_happen(app) {
        let (profile, slug) = open_job(&app).await;
        let known = known_candidate(&app, profile).await;
        let mut merged_cvs = 0;
        for round in 0..6 {
            apply_as(&app, &slug, &format!("Sofie {round}"), KNOWN).await;
            let newer = newest(app.store.list_candidates().await.unwrap());
            let (merge_path, erase_path) = (format!("/api/v1/candidates/{known}/merge"), format!("/api/v1/candidates/{}/erasure", newer.id));
            let (merge_body, erase_body) = (json!({ "duplicate_id": newer.id }), json!({}));
            let (merged, erased) = tokio::join!(app.post_json(&merge_path, &merge_body), app.post_json(&erase_path, &erase_body));
            match (merged.status, erased.status) {
                // Merged first: the newer record is gone, and its CV is the known candidate's.
                (StatusCode::OK, StatusCode::NOT_FOUND) => merged_cvs += 1,
                // Erased first: nothing of it reached the known candidate.
                (StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY, StatusCode::OK) => {
                    assert!(app.store.get_candidate(newer.id).await.unwrap().erased_at.is_some());
                }
                other => panic!("round {round}: merge {} and erasure {}: {other:?}", merged.body, erased.body),
            }
            assert_eq!(app.store.list_documents(known).await.unwrap().len(), merged_cvs, "round {round}");
            assert!(app.store.get_candidate(known).await.unwrap().erased_at.is_none());
        }
    }
}
