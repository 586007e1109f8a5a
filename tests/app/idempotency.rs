//! A POST sent again with the same `Idempotency-Key` (a retry after a timeout) is worked on
//! once and answered as the first time; the key used for another request is refused.

use amfit::domain::user::Role;
use amfit::store::{KeptAnswer, KeyClaim};
use axum::body::Bytes;
use axum::http::{Method, Request, StatusCode};
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

/// The fingerprint the server takes of a JSON POST of `body` to `path`.
fn fingerprint_of(path: &str, body: &Value) -> String {
    let (parts, _) =
        Request::builder().method(Method::POST).uri(path).header(JSON.0, JSON.1).body(()).unwrap().into_parts();
    amfit::api::idempotency::fingerprint(&parts, &Bytes::from(body.to_string()))
}

on_both_backends! {
    async fn a_retry_while_the_first_is_worked_on_is_told_to_wait(app) {
        let fingerprint = fingerprint_of("/api/v1/candidates", &sofie());
        let claim = app.store.claim_key(app.admin.user_id, "key-4", &fingerprint, Utc::now()).await.unwrap();
        assert_eq!(claim, KeyClaim::Claimed);
        let waiting = post_keyed(app.admin(), "/api/v1/candidates", "key-4", &sofie()).await;
        assert_eq!(waiting.status, StatusCode::CONFLICT, "{}", waiting.body);
        assert_eq!(waiting.header("content-type"), "application/problem+json");
        assert!(app.store.list_candidates().await.unwrap().is_empty());
    }
}

on_both_backends! {
    async fn kept_answers_last_a_day_and_abandoned_claims_ten_minutes(app) {
        let store = &app.store;
        let user = app.admin.user_id;
        let now = Utc::now();
        let answer = KeptAnswer { status: 201, headers: vec![("location".into(), "/x".into())], body: "{}".into() };
        assert_eq!(store.claim_key(user, "old", "f", now - TimeDelta::hours(25)).await.unwrap(), KeyClaim::Claimed);
        store.complete_key(user, "old", &answer).await.unwrap();
        assert_eq!(store.claim_key(user, "old", "f", now - TimeDelta::hours(23)).await.unwrap(), KeyClaim::Answered(answer.clone()));
        assert_eq!(store.claim_key(user, "old", "f", now).await.unwrap(), KeyClaim::Claimed, "forgotten after 24 hours");

        assert_eq!(store.claim_key(user, "stuck", "f", now - TimeDelta::minutes(11)).await.unwrap(), KeyClaim::Claimed);
        assert_eq!(store.claim_key(user, "busy", "f", now - TimeDelta::minutes(9)).await.unwrap(), KeyClaim::Claimed);
        assert_eq!(store.claim_key(user, "stuck", "f", now).await.unwrap(), KeyClaim::Claimed, "abandoned: worked on again");
        assert_eq!(store.claim_key(user, "busy", "f", now).await.unwrap(), KeyClaim::InProgress);
        assert_eq!(store.claim_key(user, "busy", "g", now).await.unwrap(), KeyClaim::OtherRequest);
        store.release_key(user, "busy").await.unwrap();
        assert_eq!(store.claim_key(user, "busy", "g", now).await.unwrap(), KeyClaim::Claimed, "released: free again");
    }
}
