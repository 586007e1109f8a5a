//! The wording check over HTTP: `POST /api/v1/wording-check`.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_danish_ad_gets_its_verdict_flags_with_positions_and_lix() {
    let app = TestApp::sqlite().await;
    let text = "Vi søger en ung og selvstændig salgsmand. Du er ærlig og forstår kunderne.";
    let response = app.post_json("/api/v1/wording-check", &json!({ "text": text, "language": "da" })).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let report = response.json();
    assert_eq!(report["verdict"], "feminine_coded", "ærlig, forstår against selvstændig");
    assert_eq!(report["masculine"][0]["text"], "selvstændig");
    let flags = report["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 2);
    assert_eq!((flags[0]["category"].as_str(), flags[0]["start"].as_u64()), (Some("age"), Some(12)));
    assert_eq!(&text.chars().skip(12).take(3).collect::<String>(), "ung", "positions count characters");
    assert_eq!(flags[1]["text"], "salgsmand");
    assert!(flags[1]["suggestion"].as_str().unwrap().contains("sælger"));
    assert!(report["readability"]["lix"].as_f64().unwrap() > 0.0);
    assert_eq!(report["readability"]["sentences"], 2);
}

#[tokio::test]
async fn bad_input_is_named_and_never_a_500() {
    let app = TestApp::sqlite().await;
    let cases = [
        (json!({ "text": "", "language": "en" }), "text"),
        (json!({ "text": "   ", "language": "da" }), "text"),
        (json!({ "text": "Fine.", "language": "de" }), "language"),
        (json!({ "text": "Fine." }), "language"),
        (json!({ "text": "a".repeat(50_001), "language": "en" }), "text"),
    ];
    for (body, field) in cases {
        let response = app.post_json("/api/v1/wording-check", &body).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(response.rejected_fields(), [field]);
    }
    let at_limit =
        app.post_json("/api/v1/wording-check", &json!({ "text": "a ".repeat(25_000), "language": "en" })).await;
    assert_eq!(at_limit.status, StatusCode::OK, "50,000 characters are checked");
    let huge = app.post_json("/api/v1/wording-check", &json!({ "text": "å".repeat(40_000), "language": "da" })).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE, "over the 64 KiB body limit");
    let script = "<script>alert(1)</script> young";
    let response = app.post_json("/api/v1/wording-check", &json!({ "text": script, "language": "en" })).await;
    assert_eq!(response.json()["flags"][0]["text"], "young", "markup is text like any other");
}
