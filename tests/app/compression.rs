//! Responses compressed where the client accepts it and no secret can leak through their
//! length (BREACH): the API, the static files and the public job pages, whose CSRF token is
//! masked afresh in each; never the pages of the signed-in web.

use std::io::Read;

use axum::http::{Method, StatusCode};

use crate::applying::open_job;
use crate::helpers::{Client, TestApp};

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("a gzip body");
    text
}

#[tokio::test]
async fn the_api_static_files_and_job_pages_are_compressed_and_signed_in_pages_are_not() {
    let app = TestApp::sqlite().await;
    let (_, slug) = open_job(&app).await;
    let gzip = [("accept-encoding", "gzip")];

    let plain = app.admin().get("/api/v1/profiles").await;
    let token = format!("Bearer {}", app.admin.token.clone().unwrap());
    let api = app
        .anonymous()
        .send(Method::GET, "/api/v1/profiles", &[("accept-encoding", "gzip"), ("authorization", &token)], Vec::new())
        .await;
    assert_eq!((api.status, api.header("content-encoding")), (StatusCode::OK, "gzip"));
    assert_eq!(gunzip(&api.bytes), plain.body, "the same answer, compressed");

    let css = app.anonymous().send(Method::GET, "/static/app.css", &[("accept-encoding", "br")], Vec::new()).await;
    assert_eq!(css.header("content-encoding"), "br");

    let job = app.anonymous().send(Method::GET, &format!("/jobs/{slug}"), &gzip, Vec::new()).await;
    assert_eq!((job.status, job.header("content-encoding")), (StatusCode::OK, "gzip"));
    assert!(gunzip(&job.bytes).contains(&format!("/jobs/{slug}/apply")), "the job page with its application form");
    let login = app.anonymous().send(Method::GET, "/login", &gzip, Vec::new()).await;
    assert_eq!(login.header("content-encoding"), "gzip", "a public page whose CSRF token is masked");

    // Signed in on the web: uncompressed, whatever the client accepts.
    let cookie = app.admin.cookie.clone().unwrap();
    let list = app
        .anonymous()
        .send(Method::GET, "/candidates", &[("accept-encoding", "gzip, br"), ("cookie", &cookie)], Vec::new())
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.header("content-encoding"), "", "a signed-in page is not compressed");
    assert!(list.body.contains("csrf_token"));
}

#[tokio::test]
async fn each_page_carries_its_csrf_token_masked_afresh_and_each_mask_is_accepted() {
    let app = TestApp::sqlite().await;
    let first = app.anonymous().get("/login").await;
    let cookie = first.visitor_cookie().unwrap();
    let visitor = Client { cookie: Some(cookie.clone()), ..Client::default() };
    let again = app.as_(&visitor).get("/login").await;
    let (one, two) = (first.csrf_token().unwrap(), again.csrf_token().unwrap());
    assert_ne!(one, two, "the same token, masked differently");
    let raw = cookie.split_once('=').unwrap().1;
    assert!(!one.contains(raw) && !two.contains(raw), "the token itself is on no page");

    // A form that sends the unmasked token (as read from the cookie) is refused.
    let refused = app
        .as_(&visitor)
        .post_form("/login", &[("csrf_token", raw), ("email", "admin@amfit.test"), ("password", "x")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    for token in [one, two] {
        let with_mask = Client { csrf: Some(token), ..visitor.clone() };
        let fields = [("email", "admin@amfit.test"), ("password", crate::helpers::PASSWORD)];
        let accepted = app.as_(&with_mask).post_form("/login", &fields).await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    }
}
