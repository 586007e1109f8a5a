//! Confirmations by mail, delivered to a real SMTP server and followed as the applicant would:
//! an application from a known address joins that record only once the owner of the address
//! confirms it, and a talent-pool consent ticked on the form counts only once confirmed. A link
//! works once, for a while, and only by its button; everything else changes nothing.

use amfit::domain::audit::{AuditAction, AuditFilter};
use amfit::domain::retention::ConsentGivenVia;
use amfit::store::ApplicationsOf;
use axum::http::StatusCode;
use serde_json::Value;

use crate::applying::{CV, apply, field, file, open_job};
use crate::duplicates::{KNOWN, apply_as, known_candidate, newest, record_of};
use crate::helpers::{TestApp, TestResponse, on_both_backends};
use crate::letters::{delivered, part, to};
use serde_json::json;

/// An app that sends mail.
fn mailing(state: &mut amfit::app::AppState) {
    state.sends_mail = true;
}

/// The path of the confirmation link in `message`.
fn link_in(message: &Value) -> String {
    let text = part(message, "text/plain");
    let start = text.find("http://localhost:3000/confirm/").expect("a link to amfit") + "http://localhost:3000".len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// The one message to `address` whose subject starts with `subject`.
fn mail_to<'m>(messages: &'m [Value], address: &str, subject: &str) -> &'m Value {
    let found: Vec<_> = to(messages, address)
        .into_iter()
        .filter(|m| m["headers"]["subject"].as_str().is_some_and(|s| s.starts_with(subject)))
        .collect();
    assert_eq!(found.len(), 1, "one mail to {address} about {subject:?}: {messages:?}");
    found[0]
}

/// Presses the link's button, as a visitor with the CSRF cookie and token any page gives.
async fn confirm(app: &TestApp, link: &str) -> TestResponse {
    let visitor = app.visitor("/login").await;
    app.as_(&visitor).post_form(link, &[]).await
}

on_both_backends! {
    async fn a_known_address_joins_its_record_only_when_its_owner_confirms(app) configured(mailing) {
        let (profile, slug) = open_job(&app).await;
        let known = known_candidate(&app, profile).await;
        let before = record_of(&app, known).await;
        let stranger = apply_as(&app, &slug, "Ny Person", "someone.new@example.dk").await;
        let first = apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        assert_eq!((first.0.0, &first.0.1), (stranger.0.0, &stranger.0.1), "the same answer for a known address");
        let newer = newest(app.store.list_candidates().await.unwrap());
        assert_eq!(newer.possible_duplicate_of, Some(known));
        assert_eq!(newer.details.talent_pool, None, "a consent waits for the address's owner");
        assert_eq!(record_of(&app, known).await, before, "nothing reaches the known record before confirming");

        let Some(messages) = delivered(&app).await else { return };
        assert_eq!(to(&messages, KNOWN).len(), 2, "a receipt and a request to confirm: {messages:?}");
        let request = mail_to(&messages, KNOWN, "Bekræft venligst din ansøgning");
        let text = part(request, "text/plain");
        assert!(text.contains("tidligere ansøgning") && text.contains("12 måneder") && text.contains("14 dage"), "{text}");
        let stranger_request = mail_to(&messages, "someone.new@example.dk", "Bekræft, at");
        assert!(!part(stranger_request, "text/plain").contains("tidligere ansøgning"), "a new address joins nothing");
        let link = link_in(request);
        let secret = link.trim_start_matches("/confirm/");
        assert!(!crate::helpers::dump_database(&app.database_url).await.contains(secret), "sent, the link is kept nowhere");
        let record = app.get(&format!("/candidates/{}", newer.id)).await.body;
        assert!(
            !record.contains("/confirm/") && record.contains("not shown"),
            "the letter is listed, its link withheld: {record}"
        );

        // Opening the link (as a mail program's scanner does) changes nothing.
        let page = app.anonymous().get(&link).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Bekræft din ansøgning") && page.body.contains("lang=\"da\""), "{}", page.body);
        assert_eq!(record_of(&app, known).await, before, "opening the link changes nothing");
        let forged = app.anonymous().post_form(&link, &[]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "the button needs the page's token: {}", forged.body);

        let done = confirm(&app, &link).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(
            done.body.contains("Tak for din bekræftelse") && done.body.contains("samlet med de oplysninger"),
            "{}",
            done.body
        );
        let joined = app.store.get_candidate(known).await.unwrap();
        assert!(app.store.get_candidate(newer.id).await.is_err(), "the newer record was merged in");
        let consent = joined.details.talent_pool.expect("the consent, once confirmed");
        assert_eq!(
            (consent.given_on, consent.given_via),
            (chrono::Utc::now().date_naive(), Some(ConsentGivenVia::ApplicationForm))
        );
        let applications = app.store.list_applications(ApplicationsOf::Candidate(known)).await.unwrap();
        assert_eq!(applications.len(), 1, "the application to the same job joined the earlier one");
        assert_eq!(app.store.list_documents(known).await.unwrap().len(), 1, "with its CV");
        let trail = app.trail(&AuditFilter::default()).await;
        let by_owner: Vec<_> =
            trail.iter().filter(|e| e.actor_name.starts_with("the address's owner")).map(|e| e.action).collect();
        assert_eq!(by_owner, vec![AuditAction::ConfirmByMail, AuditAction::MergeCandidates], "{trail:?}");

        let again = confirm(&app, &link).await;
        assert_eq!(again.status, StatusCode::GONE, "a link works once: {}", again.body);
        assert!(again.body.contains("allerede bekræftet"), "a second press is told it is done, in Danish: {}", again.body);
        assert_eq!(app.anonymous().get(&link).await.status, StatusCode::GONE);
        assert_eq!(app.anonymous().get("/confirm/amfit_0000").await.status, StatusCode::GONE, "a link amfit never made");
    }
}

on_both_backends! {
    async fn a_consent_counts_only_once_confirmed_and_a_late_or_erased_link_changes_nothing(app) configured(mailing) {
        let (_, slug) = open_job(&app).await;
        let form = app.anonymous().get(&format!("/jobs/{slug}")).await.body;
        assert!(form.contains("Du får en e-mail med et link"), "the form says how the consent is given: {form}");
        let without_box = [field("name", "Uden Kryds"), field("email", "uden@example.dk"), file("cv", "cv.pdf", CV)];
        assert_eq!(apply(&app, &slug, &without_box).await.status, StatusCode::SEE_OTHER);
        apply_as(&app, &slug, "Ida Berg", "ida@example.dk").await;
        apply_as(&app, &slug, "Karl Holm", "karl@example.dk").await;
        let candidates = app.store.list_candidates().await.unwrap();
        let id_of = |email: &str| candidates.iter().find(|o| o.candidate.details.email == email).unwrap().candidate.id;
        let (ida, karl) = (id_of("ida@example.dk"), id_of("karl@example.dk"));
        let record = app.get(&format!("/candidates/{ida}")).await.body;
        assert!(
            record.contains("waiting for the applicant to confirm it"),
            "the recruiter sees the consent waits: {record}"
        );

        let Some(messages) = delivered(&app).await else { return };
        assert_eq!(to(&messages, "uden@example.dk").len(), 1, "no box, nothing to confirm: only the receipt");
        let ida_link = link_in(mail_to(&messages, "ida@example.dk", "Bekræft"));
        let karl_link = link_in(mail_to(&messages, "karl@example.dk", "Bekræft"));

        // Karl's link is too old, then Ida's data is erased: neither link does anything.
        app.execute_sql(&format!("UPDATE mail_confirmations SET expires_at = created_at WHERE candidate_id = {karl}"))
            .await;
        let late = confirm(&app, &karl_link).await;
        assert_eq!(late.status, StatusCode::GONE, "{}", late.body);
        assert_eq!(app.store.get_candidate(karl).await.unwrap().details.talent_pool, None, "no consent from a late link");
        let page = app.anonymous().get(&ida_link).await;
        assert!(page.body.contains("12 måneder") && page.body.contains("trække det tilbage"), "{}", page.body);
        let erased = app.post_json(&format!("/api/v1/candidates/{ida}/erasure"), &serde_json::json!({})).await;
        assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
        assert_eq!(confirm(&app, &ida_link).await.status, StatusCode::GONE, "an erased candidate's link stops working");
        assert_eq!(app.store.get_candidate(ida).await.unwrap().details.talent_pool, None);

        // A new address's consent counts from the day it is confirmed.
        apply_as(&app, &slug, "Karl Holm", "karl@example.dk").await;
        let Some(messages) = delivered(&app).await else { return };
        let fresh = link_in(mail_to(&messages, "karl@example.dk", "Bekræft"));
        let done = confirm(&app, &fresh).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.body.contains("Vi gemmer din ansøgning"), "{}", done.body);
        let newest_karl = newest(app.store.list_candidates().await.unwrap());
        let consent = newest_karl.details.talent_pool.expect("confirmed");
        assert_eq!(consent.given_on, chrono::Utc::now().date_naive());
    }
}

on_both_backends! {
    async fn a_recruiter_who_merges_first_leaves_the_link_only_the_consent(app) configured(mailing) {
        let (profile, slug) = open_job(&app).await;
        let known = known_candidate(&app, profile).await;
        apply_as(&app, &slug, "Sofie M.", KNOWN).await;
        let newer = newest(app.store.list_candidates().await.unwrap());
        let Some(messages) = delivered(&app).await else { return };
        let link = link_in(mail_to(&messages, KNOWN, "Bekræft venligst din ansøgning"));
        let merge = json!({ "duplicate_id": newer.id.to_string() });
        let merged = app.post_json(&format!("/api/v1/candidates/{known}/merge"), &merge).await;
        assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);

        let page = app.anonymous().get(&link).await;
        assert_eq!(page.status, StatusCode::OK, "the link went with the record: {}", page.body);
        assert!(!page.body.contains("tidligere ansøgning"), "nothing left to join: {}", page.body);
        assert!(page.body.contains("Account Manager") || page.body.contains("12 måneder"), "{}", page.body);
        let done = confirm(&app, &link).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let consent = app.store.get_candidate(known).await.unwrap().details.talent_pool;
        assert!(consent.is_some(), "the consent reaches the record the recruiter kept");
    }
}
