//! Redirect targets taken from a request (`back`, `next`) never lead off the site: each spelling
//! is sent as a browser would send it, and the `Location` header that comes back is resolved
//! against the site as a browser resolves it.

use axum::http::StatusCode;

use crate::helpers::{Client, PASSWORD, TestApp};

const SITE: &str = "http://amfit.test/";

/// Targets that are plain paths on the site and are kept as they are (percent-encoded).
const KEPT: &[(&str, &str)] = &[
    ("/profiles", "/profiles"),
    ("/profiles/3?tab=ads", "/profiles/3?tab=ads"),
    ("/candidates/7#notes", "/candidates/7"),
    ("/søg?q=Ærø", "/s%C3%B8g?q=%C3%86r%C3%B8"),
    ("/s%C3%B8g", "/s%C3%B8g"),
    ("/candidates?q=a%2Fb", "/candidates?q=a%2Fb"),
    ("/@evil.example", "/@evil.example"),
    ("/profiles/evil.example", "/profiles/evil.example"),
];

/// Spellings that a browser could resolve to another site, or that are not plain paths: each
/// answers `/`, never a repaired version of itself.
const REFUSED: &[&str] = &[
    "//evil.example",
    "//evil.example/",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/.//evil.example",
    "/./evil.example/..//x",
    "/..//evil.example",
    "/../evil.example",
    "/a/../..//evil.example",
    "/%2e%2e//evil.example",
    "/%2E%2E//evil.example",
    "/%2e//evil.example",
    "/.%2e//evil.example",
    "/./%2F/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%5c%5cevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\u{0}/evil.example",
    "/\u{1b}/evil.example",
    "/\u{7f}/evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D%0ASet-Cookie:x=1",
    "/\r\nSet-Cookie: x=1",
    " //evil.example",
    "\t//evil.example",
    "https://evil.example/",
    "http://evil.example",
    "HTTPS://evil.example",
    "//user:pass@evil.example",
    "https://amfit.test@evil.example/",
    "//amfit.test@evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:a@evil.example",
    "evil.example",
    "profiles",
    "./profiles",
    "../profiles",
    "?next=//evil.example",
    "#//evil.example",
    "",
    "/a/./b",
    "/a/../b",
];

fn query_value(target: &str) -> String {
    url::form_urlencoded::byte_serialize(target.as_bytes()).collect()
}

/// The `Location` sent for `target`, checked to resolve on the site; returns the path it names.
fn resolved_on_site(location: &str, target: &str) -> String {
    let site = url::Url::parse(SITE).unwrap();
    let resolved = site.join(location).unwrap_or_else(|e| panic!("{target:?}: Location {location:?} unusable: {e}"));
    assert_eq!(resolved.origin(), site.origin(), "{target:?} leads off site: Location {location:?}");
    location.to_owned()
}

#[tokio::test]
async fn the_language_switch_returns_only_to_plain_paths_on_the_site() {
    assert!(KEPT.len() + REFUSED.len() >= 40);
    let app = TestApp::sqlite().await;
    for (target, expected) in KEPT {
        let answer = app.anonymous().get(&format!("/language/da?back={}", query_value(target))).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{target:?}");
        assert_eq!(resolved_on_site(answer.location(), target), *expected, "{target:?}");
    }
    for target in REFUSED {
        let answer = app.anonymous().get(&format!("/language/da?back={}", query_value(target))).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{target:?}");
        assert_eq!(resolved_on_site(answer.location(), target), "/", "{target:?}");
    }
}

#[tokio::test]
async fn signing_in_goes_on_only_to_plain_paths_on_the_site() {
    let app = TestApp::sqlite().await;
    let cases = KEPT.iter().copied().chain(REFUSED.iter().map(|target| (*target, "/")));
    for (target, expected) in cases {
        let page = app.anonymous().get("/login").await;
        let visitor = Client { cookie: page.visitor_cookie(), csrf: page.csrf_token(), ..Client::default() };
        let signed_in = app
            .as_(&visitor)
            .post_form(
                &format!("/login?next={}", query_value(target)),
                &[("email", "admin@amfit.test"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{target:?}: {}", signed_in.body);
        assert_eq!(resolved_on_site(signed_in.location(), target), expected, "{target:?}");
    }
}
