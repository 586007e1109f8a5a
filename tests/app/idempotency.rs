//! A POST sent again with the same `Idempotency-Key` (a retry after a timeout) is worked on
//! once and answered as the first time; the key used for another request is refused.

use amfit::domain::user::Role;
use amfit::store::KeptAnswer;
use amfit::store::keyed::{AnswerToKeep, KeyedRequest, answer_with};
use axum::http::{Method, StatusCode};
use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use crate::helpers::{Caller, TestResponse, on_both_backends};

const JSON: (&str, &str) = ("content-type", "application/json");

async fn post_keyed(caller: Caller<'_>, path: &str, key: &str, body: &Value) -> TestResponse {
    caller.send(Method::POST, path, &[JSON, ("idempotency-key", key)], body.to_string()).await
}

fn sofie() -> Value {
    json!({ "name": "Sofie Nielsen", "email": "sofie@example.dk" })
}

on_both_backends! {
    async fn a_retried_create_makes_one_candidate_and_gets_the_first_answer(app) {
        let first = post_keyed(app.admin(), "/api/v1/candidates", "3f2c1a9e-create-1", &sofie()).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        assert!(first.headers.get("idempotent-replayed").is_none());
        let retry = post_keyed(app.admin(), "/api/v1/candidates", "3f2c1a9e-create-1", &sofie()).await;
        assert_eq!(retry.status, StatusCode::CREATED);
        assert_eq!(retry.header("idempotent-replayed"), "true");
        assert_eq!((retry.body.as_str(), retry.location()), (first.body.as_str(), first.location()));
        assert_eq!(retry.header("content-type"), "application/json");
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 1, "one candidate, not two");

        let other = post_keyed(app.admin(), "/api/v1/candidates", "3f2c1a9e-create-1", &json!({ "name": "Bo", "email": "bo@example.dk" })).await;
        assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.body);
        assert_eq!(other.rejected_fields(), ["Idempotency-Key"]);
        assert_eq!(other.json()["errors"][0]["code"], "idempotency_key_reused");
        let elsewhere = post_keyed(app.admin(), "/api/v1/companies", "3f2c1a9e-create-1", &sofie()).await;
        assert_eq!(elsewhere.rejected_fields(), ["Idempotency-Key"], "the key names one request, path included");
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 1, "nothing done for a reused key");

        // Keys are each user's own: another user's same key is another request.
        let recruiter = app.client(Role::Recruiter, "rikke@amfit.test").await;
        let theirs = post_keyed(app.as_(&recruiter), "/api/v1/candidates", "3f2c1a9e-create-1", &json!({ "name": "Bo", "email": "bo@example.dk" })).await;
        assert_eq!(theirs.status, StatusCode::CREATED);
        assert!(theirs.headers.get("idempotent-replayed").is_none());
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 2);
    }
}

on_both_backends! {
    async fn a_retry_is_answered_only_while_its_sender_may_still_send_it(app) {
        let recruiter = app.client(Role::Recruiter, "rikke@amfit.test").await;
        let first = post_keyed(app.as_(&recruiter), "/api/v1/candidates", "demoted-1", &sofie()).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let demoted = app.put_json(&format!("/api/v1/users/{}/role", recruiter.user_id), &json!({ "role": "interviewer" })).await;
        assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.body);
        let replayed = post_keyed(app.as_(&recruiter), "/api/v1/candidates", "demoted-1", &sofie()).await;
        assert_eq!(replayed.status, StatusCode::FORBIDDEN, "the kept answer holds the candidate's data: {}", replayed.body);
        assert!(!replayed.body.contains("sofie@example.dk"));
        assert!(replayed.headers.get("idempotent-replayed").is_none());
        let promoted = app.put_json(&format!("/api/v1/users/{}/role", recruiter.user_id), &json!({ "role": "recruiter" })).await;
        assert_eq!(promoted.status, StatusCode::OK);
        let again = post_keyed(app.as_(&recruiter), "/api/v1/candidates", "demoted-1", &sofie()).await;
        assert_eq!((again.status, again.header("idempotent-replayed")), (StatusCode::CREATED, "true"));
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 1);
    }
}

on_both_backends! {
    async fn a_refused_request_leaves_its_key_free_for_the_corrected_one(app) {
        let refused = post_keyed(app.admin(), "/api/v1/candidates", "key-2", &json!({ "name": "Sofie" })).await;
        assert_eq!(refused.rejected_fields(), ["email"]);
        let corrected = post_keyed(app.admin(), "/api/v1/candidates", "key-2", &sofie()).await;
        assert_eq!(corrected.status, StatusCode::CREATED, "{}", corrected.body);
        assert!(corrected.headers.get("idempotent-replayed").is_none());

        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let forbidden = post_keyed(app.as_(&interviewer), "/api/v1/candidates", "key-3", &sofie()).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
        let nobody = app.anonymous().send(Method::POST, "/api/v1/candidates", &[JSON, ("idempotency-key", "key-3")], sofie().to_string()).await;
        assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.store.list_candidates().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_bad_key_is_named_and_nothing_is_done() {
    let app = crate::helpers::TestApp::sqlite().await;
    let long = "k".repeat(256);
    for key in ["", " ", "two words", long.as_str(), "nøgle"] {
        let refused = app
            .admin()
            .send(Method::POST, "/api/v1/candidates", &[JSON, ("idempotency-key", key)], sofie().to_string())
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{key:?}: {}", refused.body);
        assert_eq!(refused.rejected_fields(), ["Idempotency-Key"], "{key:?}");
        assert_eq!(refused.json()["errors"][0]["code"], "invalid_idempotency_key");
    }
    assert!(app.store.list_candidates().await.unwrap().is_empty());
    let the_longest = "k".repeat(255);
    let accepted = post_keyed(app.admin(), "/api/v1/candidates", &the_longest, &sofie()).await;
    assert_eq!(accepted.status, StatusCode::CREATED);
}

on_both_backends! {
    async fn two_sent_at_once_make_one_change_and_get_one_answer(app) {
        for round in 0..5 {
            let key = format!("twins-{round}");
            let body = json!({ "name": format!("Twin {round}"), "email": "twin@example.dk" });
            let (one, other) = tokio::join!(
                post_keyed(app.admin(), "/api/v1/candidates", &key, &body),
                post_keyed(app.admin(), "/api/v1/candidates", &key, &body),
            );
            assert_eq!((one.status, other.status), (StatusCode::CREATED, StatusCode::CREATED), "{} {}", one.body, other.body);
            assert_eq!((one.location(), one.json()), (other.location(), other.json()), "one answer");
            let named = app.store.list_candidates().await.unwrap();
            assert_eq!(named.iter().filter(|o| o.candidate.details.name == format!("Twin {round}")).count(), 1);
            // Twins whose second would be refused on its own (applied already, erased already)
            // get the first one's answer all the same.
            let id = one.json()["id"].as_i64().unwrap();
            let profile = app.create_profile(app.create_company(&crate::helpers::company_json()).await["id"].as_i64().unwrap(), &crate::helpers::profile_json()).await["id"].as_i64().unwrap();
            for (path, body) in [
                (format!("/api/v1/candidates/{id}/applications"), json!({ "profile_id": profile })),
                (format!("/api/v1/candidates/{id}/erasure"), json!({})),
            ] {
                let key = format!("{path}-{round}");
                let (one, other) = tokio::join!(
                    post_keyed(app.admin(), &path, &key, &body),
                    post_keyed(app.admin(), &path, &key, &body),
                );
                assert!(one.status.is_success(), "{path}: {}", one.body);
                assert_eq!((one.status, one.json()), (other.status, other.json()), "{path}: one answer");
            }
        }
    }
}

on_both_backends! {
    async fn kept_answers_last_a_day(app) {
        let store = &app.store;
        let now = Utc::now();
        let kept = |key: &str, body: &str| AnswerToKeep {
            user_id: app.admin.user_id,
            key: key.into(),
            fingerprint: "f".into(),
            answer: KeptAnswer { status: 201, headers: vec![("location".into(), "/x".into())], body: body.into() },
        };
        store.keep_answer(&kept("old", "{}"), now - TimeDelta::hours(25)).await.unwrap();
        store.keep_answer(&kept("recent", "{}"), now - TimeDelta::hours(23)).await.unwrap();
        assert_eq!(store.kept_answer(app.admin.user_id, "old", now).await.unwrap(), None, "forgotten after 24 hours");
        let recent = store.kept_answer(app.admin.user_id, "recent", now).await.unwrap();
        assert_eq!(recent, Some(("f".to_owned(), kept("recent", "{}").answer)));
        store.keep_answer(&kept("old", "{\"again\": true}"), now).await.unwrap();
        let again = store.kept_answer(app.admin.user_id, "old", now).await.unwrap().unwrap();
        assert_eq!(again.1.body, "{\"again\": true}", "a forgotten key serves a new request");
        store.keep_answer(&kept("recent", "{\"second\": true}"), now).await.unwrap();
        let first = store.kept_answer(app.admin.user_id, "recent", now).await.unwrap().unwrap();
        assert_eq!(first.1.body, "{}", "the first answer stays");
    }
}

/// Posts a keyed create of candidate `name` to the server at `address`; its status, or `None`
/// when no answer came (the server was gone).
fn try_create(address: &str, bearer: &str, key: &str, name: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let body = json!({ "name": name, "email": "crash@example.dk" }).to_string();
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).ok()?;
    write!(
        stream,
        "POST /api/v1/candidates HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: {bearer}\r\n\
         Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.get(9..12)?.parse().ok()
}

/// Keyed creates sent from four clients while the server is killed (SIGKILL) under them; then,
/// on a new server, each key retried: every key made its candidate exactly once, and every
/// retry got 201, the kept answer or the first.
fn kill_between_change_and_answer(global: &[&str], count_named: impl Fn(&str) -> usize) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let folder = tempfile::tempdir().unwrap();
    let bearer = format!("Bearer {}", crate::binary::api_token(folder.path(), global));
    let mut server = crate::binary::Served::start(folder.path(), global);
    let (sent, stop) = (Arc::new(Mutex::new(Vec::new())), Arc::new(AtomicBool::new(false)));
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (address, bearer, sent, stop) = (server.address.clone(), bearer.clone(), sent.clone(), stop.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    let key = format!("crash-{client}-{n}");
                    sent.lock().unwrap().push(key.clone());
                    if try_create(&address, &bearer, &key, &key).is_none() || stop.load(Ordering::SeqCst) {
                        break;
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    clients.into_iter().for_each(|client| client.join().unwrap());
    let restarted = crate::binary::Served::start(folder.path(), global);
    let sent = sent.lock().unwrap().clone();
    assert!(sent.len() > 8, "the clients were working when the server was killed: {}", sent.len());
    for key in &sent {
        assert_eq!(try_create(&restarted.address, &bearer, key, key), Some(201), "{key}");
        assert_eq!(count_named(key), 1, "{key}: made once");
    }
}

#[test]
fn a_server_killed_at_any_moment_under_keyed_requests_did_each_once_or_not_at_all() {
    let folder = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite:{}", folder.path().join("crash.db").display());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let postgres = runtime.block_on(crate::helpers::TestDb::postgres());
    let urls = [Some(sqlite.as_str()), postgres.as_ref().map(|(_, url)| url.as_str())];
    for url in urls.into_iter().flatten() {
        let count_named = |name: &str| {
            runtime.block_on(async {
                let store = amfit::store::connect(url).await.unwrap();
                store.list_candidates().await.unwrap().iter().filter(|o| o.candidate.details.name == name).count()
            })
        };
        kill_between_change_and_answer(&["--database-url", url], count_named);
    }
}

on_both_backends! {
    async fn every_keyed_create_is_answered_again_as_it_was_answered(app) {
        let company = post_keyed(app.admin(), "/api/v1/companies", "c-1", &crate::helpers::company_json()).await;
        let company_id = company.json()["id"].as_i64().unwrap();
        let profile_path = format!("/api/v1/companies/{company_id}/profiles");
        let profile = post_keyed(app.admin(), &profile_path, "p-1", &crate::helpers::profile_json()).await;
        let profile_id = profile.json()["id"].as_i64().unwrap();
        let candidate = post_keyed(app.admin(), "/api/v1/candidates", "k-1", &sofie()).await;
        let candidate_id = candidate.json()["id"].as_i64().unwrap();
        let applications = format!("/api/v1/candidates/{candidate_id}/applications");
        let ad = json!({ "text": "# Account manager\n\nVi søger en account manager.\n", "language": "da" });
        let ads = format!("/api/v1/profiles/{profile_id}/ads");
        let erasure = format!("/api/v1/candidates/{candidate_id}/erasure");
        let requests: Vec<(&str, String, &str, Value)> = vec![
            ("company", "/api/v1/companies".into(), "c-1", crate::helpers::company_json()),
            ("profile", profile_path.clone(), "p-1", crate::helpers::profile_json()),
            ("candidate", "/api/v1/candidates".into(), "k-1", sofie()),
            ("application", applications, "a-1", json!({ "profile_id": profile_id })),
            ("ad version", ads, "ad-1", ad),
            ("erasure", erasure, "e-1", json!({})),
        ];
        let mut originals = vec![company, profile, candidate].into_iter();
        for (what, path, key, body) in requests {
            // The first three were sent above: their first answers are those.
            let first = match originals.next() {
                Some(original) => original,
                None => post_keyed(app.admin(), &path, key, &body).await,
            };
            let again = post_keyed(app.admin(), &path, key, &body).await;
            assert!(first.status.is_success(), "{what}: {}", first.body);
            assert!(first.headers.get("idempotent-replayed").is_none(), "{what}");
            assert_eq!(again.header("idempotent-replayed"), "true", "{what}");
            for header in ["content-type", "location", "etag"] {
                assert_eq!(first.headers.get(header), again.headers.get(header), "{what}: {header}");
            }
            assert_eq!((first.status, first.json()), (again.status, again.json()), "{what}");
        }
        assert_eq!(app.store.list_companies().await.unwrap().len(), 1);
        assert_eq!(app.store.list_profiles().await.unwrap().len(), 1);
        assert_eq!(app.store.list_ad_versions(profile_id).await.unwrap().len(), 1);
    }
}

/// Runs `write` as keyed request `key` of `user`, whose answer is made from the `T` it returns:
/// whether a write took the answer, and what it returned.
async fn as_keyed<T: std::any::Any, F: std::future::Future<Output = R>, R>(
    user: i64,
    key: &str,
    write: F,
) -> (bool, R) {
    let request = KeyedRequest::new(user, key.to_owned(), format!("print of {key}"));
    let result = request
        .scope(async {
            answer_with(|_: &T| KeptAnswer { status: 201, headers: vec![], body: "{}".into() });
            write.await
        })
        .await;
    (request.answer_taken(), result)
}

on_both_backends! {
    async fn each_write_a_keyed_create_reaches_keeps_its_answer_in_its_own_transaction(app) {
        use amfit::domain::candidate::{Candidate, CandidateDetails};
        use amfit::domain::company::Company;
        use amfit::domain::profile::RoleProfile;
        use amfit::store::{ApplicationOverview, Erasure, NewAdVersion, NewApplication, StoreError};
        let (store, user) = (&app.store, app.admin.user_id);
        let kept = |key: &'static str| async move { store.kept_answer(user, key, Utc::now()).await.unwrap().is_some() };

        let company: amfit::domain::company::CompanyInput = serde_json::from_value(crate::helpers::company_json()).unwrap();
        let (taken, company) = as_keyed::<Company, _, _>(user, "company", store.create_company(&company.parse().unwrap())).await;
        assert!(taken && kept("company").await, "company");
        let company = company.unwrap().id;
        let profile = app.create_profile(company, &crate::helpers::profile_json()).await["id"].as_i64().unwrap();
        let details = store.get_profile(profile).await.unwrap().details;
        let (taken, _) = as_keyed::<RoleProfile, _, _>(user, "profile", store.create_profile(company, &details)).await;
        assert!(taken && kept("profile").await, "profile");

        let sofie = CandidateDetails {
            name: "Sofie Nielsen".into(),
            email: "sofie@example.dk".into(),
            phone: None,
            source: None,
            notes: None,
            link: None,
            talent_pool: None,
        };
        let (taken, candidate) = as_keyed::<Candidate, _, _>(user, "candidate", store.create_candidate(&sofie)).await;
        assert!(taken && kept("candidate").await, "candidate");
        let candidate = candidate.unwrap().id;
        // The same key again, its answer kept: the change is not written.
        let before = store.list_candidates().await.unwrap().len();
        let (_, twin) = as_keyed::<Candidate, _, _>(user, "candidate", store.create_candidate(&sofie)).await;
        assert!(matches!(twin, Err(StoreError::KeyTaken)), "{twin:?}");
        assert_eq!(store.list_candidates().await.unwrap().len(), before, "the twin's candidate was rolled back");

        let new = NewApplication { candidate_id: candidate, profile_id: profile, applied_on: Utc::now().date_naive(), by: user };
        let (taken, _) = as_keyed::<ApplicationOverview, _, _>(user, "application", store.create_application(new)).await;
        assert!(taken && kept("application").await, "application");
        let ad = NewAdVersion { profile_id: profile, language: amfit::domain::profile::AdLanguage::Da, tone: Default::default(), text: "# Annonce", by: user };
        let (taken, _) = as_keyed::<amfit::domain::ad::AdVersion, _, _>(user, "ad", store.save_ad_version(ad)).await;
        assert!(taken && kept("ad").await, "ad version");
        let (taken, _) = as_keyed::<Erasure, _, _>(user, "erasure", store.erase_candidate(candidate, &crate::helpers::by_test(candidate))).await;
        assert!(taken && kept("erasure").await, "erasure");

        // A key a request left unanswered before answers were kept with their changes is free.
        crate::helpers::execute_sql(&app.database_url, &format!(
            "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES ({user}, 'left', 'x', '2026-01-01T00:00:00Z')"
        )).await.unwrap();
        let (taken, made) = as_keyed::<Candidate, _, _>(user, "left", store.create_candidate(&sofie)).await;
        assert!(taken && made.is_ok() && kept("left").await, "{made:?}");
    }
}

on_both_backends! {
    async fn the_daily_purge_forgets_every_users_answers_past_their_day(app) {
        let now = Utc::now();
        let other = app.client(amfit::domain::user::Role::Recruiter, "rita@amfit.test").await.user_id;
        for (user, key, at) in [(other, "old", now - TimeDelta::hours(25)), (other, "new", now - TimeDelta::hours(1))] {
            let answer = KeptAnswer { status: 201, headers: vec![], body: "{\"name\": \"Sofie\"}".into() };
            let kept = AnswerToKeep { user_id: user, key: key.into(), fingerprint: "f".into(), answer };
            app.store.keep_answer(&kept, at).await.unwrap();
        }
        let policy = amfit::domain::retention::RetentionPolicy::default();
        amfit::service::retention::purge(app.store.as_ref(), policy, now).await.unwrap();
        let left = crate::helpers::dump_database(&app.database_url).await;
        let rows: Vec<&str> = left.lines().filter(|l| l.starts_with("idempotency_keys")).collect();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(rows[0].contains("new"), "{rows:?}");
    }
}

on_both_backends! {
    async fn a_keyed_merge_is_answered_again_as_it_was_answered(app) {
        let company = app.create_company(&crate::helpers::company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &crate::helpers::profile_json()).await["id"].as_i64().unwrap();
        let known = app.post_json("/api/v1/candidates", &sofie()).await.json()["id"].as_i64().unwrap();
        let details = app.store.get_candidate(known).await.unwrap().details;
        let intake = amfit::store::NewIntake {
            profile_id: profile,
            details: &details,
            source: None,
            message: None,
            applied_on: Utc::now().date_naive(),
            documents: &[],
            language: amfit::domain::profile::AdLanguage::Da,
            receipt: &crate::helpers::receipt_to(&details),
            confirmation: None,
        };
        let newer = app.store.receive_application(intake, &crate::helpers::by_test).await.unwrap().candidate_id;
        let path = format!("/api/v1/candidates/{known}/merge");
        let body = json!({ "duplicate_id": newer });
        let first = post_keyed(app.admin(), &path, "merge-1", &body).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let again = post_keyed(app.admin(), &path, "merge-1", &body).await;
        assert_eq!(again.header("idempotent-replayed"), "true");
        assert_eq!((first.header("etag"), first.json()), (again.header("etag"), again.json()));
    }
}
