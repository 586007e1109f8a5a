//! Links to set a password, delivered to a real SMTP server and followed as a user would: the
//! one asked for with "Forgot your password?", and a new colleague's invitation. Each works
//! once and for a while; asking never tells whether an address has an account.

use amfit::domain::user::Role;
use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::{Client, PASSWORD, TestApp};
use crate::letters::{delivered, part, to};

const NEW_PASSWORD: &str = "a brand new passphrase 42";

async fn mailing_sqlite() -> TestApp {
    TestApp::configured(|state| state.sends_mail = true).await
}

async fn mailing_postgres() -> Option<TestApp> {
    TestApp::configured_postgres(|state| state.sends_mail = true).await
}

/// Asks for a link for `email` as someone who is not signed in; the answer.
async fn ask_for_link(app: &TestApp, email: &str) -> crate::helpers::TestResponse {
    let visitor = app.visitor("/password/forgot").await;
    app.as_(&visitor).post_form("/password/forgot", &[("email", email)]).await
}

/// The path of the one link in `message`.
fn link_in(message: &Value) -> String {
    let text = part(message, "text/plain");
    let start = text.find("http://localhost:3000/password/").expect("a link to amfit") + "http://localhost:3000".len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

async fn set_password_with(app: &TestApp, link: &str, password: &str) -> crate::helpers::TestResponse {
    let visitor: Client = app.visitor(link).await;
    app.as_(&visitor).post_form(link, &[("password", password)]).await
}

async fn a_forgotten_password_is_set_again_with_a_link_that_works_once(app: TestApp) {
    let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
    let unknown = ask_for_link(&app, "nobody@amfit.test").await;
    let known = ask_for_link(&app, " Ivan@AMFIT.test ").await;
    assert_eq!(unknown.status, StatusCode::SEE_OTHER, "{}", unknown.body);
    assert_eq!(
        (known.status, known.headers.get("location")),
        (unknown.status, unknown.headers.get("location")),
        "the same answer whether or not the address has an account"
    );
    let login = app.anonymous().get("/login?notice=link_sent").await.body;
    assert!(
        login.contains("If the address belongs to an account") && login.contains("Forgot your password?"),
        "{login}"
    );
    let not_an_address = ask_for_link(&app, "ivan at amfit").await;
    assert_eq!(not_an_address.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", not_an_address.body);

    let Some(messages) = delivered(&app).await else { return };
    assert_eq!(messages.len(), 1, "only the address of an account is written to: {messages:?}");
    let mail = to(&messages, "ivan@amfit.test")[0];
    assert_eq!(mail["headers"]["subject"], "Set a new password for amfit");
    assert!(part(mail, "text/plain").contains("within 30 minutes"), "{mail}");
    let link = link_in(mail);

    let form = app.anonymous().get(&link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Choose a new password"), "{}", form.body);
    let weak = set_password_with(&app, &link, "short").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", weak.body);
    assert!(
        weak.body.contains("at least 12 characters") && weak.body.contains("Choose a new password"),
        "named, on the same page: {}",
        weak.body
    );
    let set = set_password_with(&app, &link, NEW_PASSWORD).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    assert_eq!(set.headers.get("location").unwrap(), "/login?notice=password_set");

    assert!(app.sign_in("ivan@amfit.test", PASSWORD).await.is_none(), "the old password no longer works");
    assert!(app.sign_in("ivan@amfit.test", NEW_PASSWORD).await.is_some(), "the new one does");
    let signed_out = app.as_(&ivan).get("/").await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER, "every other session ended");
    let again = set_password_with(&app, &link, "yet another passphrase 7").await;
    assert_eq!(again.status, StatusCode::GONE, "a link works once: {}", again.body);
    assert!(again.body.contains("no longer works"), "{}", again.body);

    // A link past its 30 minutes no longer works either.
    assert_eq!(ask_for_link(&app, "ivan@amfit.test").await.status, StatusCode::SEE_OTHER);
    let Some(messages) = delivered(&app).await else { return };
    let late = link_in(to(&messages, "ivan@amfit.test")[0]);
    app.execute_sql("UPDATE password_links SET expires_at = created_at").await;
    assert_eq!(app.anonymous().get(&late).await.status, StatusCode::GONE);
    assert_eq!(set_password_with(&app, &late, "yet another passphrase 7").await.status, StatusCode::GONE);
    assert!(app.sign_in("ivan@amfit.test", NEW_PASSWORD).await.is_some(), "nothing changed");

    // Asked for again and again: an address is written to three times an hour, no more.
    for _ in 0..4 {
        assert_eq!(ask_for_link(&app, "ivan@amfit.test").await.status, StatusCode::SEE_OTHER);
    }
    let Some(messages) = delivered(&app).await else { return };
    assert_eq!(to(&messages, "ivan@amfit.test").len(), 1, "two links this hour already, one more: {messages:?}");
    assert_eq!(app.anonymous().get("/password/amfit_0000").await.status, StatusCode::GONE, "a link amfit never made");
}

#[tokio::test]
async fn a_forgotten_password_is_set_again_with_a_link_that_works_once_on_sqlite() {
    a_forgotten_password_is_set_again_with_a_link_that_works_once(mailing_sqlite().await).await;
}

#[tokio::test]
async fn a_forgotten_password_is_set_again_with_a_link_that_works_once_on_postgres() {
    let Some(app) = mailing_postgres().await else { return };
    a_forgotten_password_is_set_again_with_a_link_that_works_once(app).await;
}

#[tokio::test]
async fn a_new_colleague_is_invited_and_chooses_their_own_password() {
    let app = mailing_sqlite().await;
    let form = app.get("/admin/users/new").await.body;
    assert!(!form.contains("name=\"password\""), "the administrator invents no password: {form}");
    let bad =
        app.post_form("/admin/users", &[("name", "Mette Holm"), ("email", "mette"), ("role", "interviewer")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let invited = app
        .post_form("/admin/users", &[("name", "Mette Holm"), ("email", "mette@amfit.test"), ("role", "interviewer")])
        .await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
    let users = app.get("/api/v1/users").await.json();
    let mette =
        users["items"].as_array().unwrap().iter().find(|u| u["email"] == "mette@amfit.test").expect("added").clone();
    assert_eq!(mette["active"], true, "she can be planned for interviews at once");
    assert!(app.sign_in("mette@amfit.test", PASSWORD).await.is_none());

    let Some(messages) = delivered(&app).await else { return };
    let invitation = to(&messages, "mette@amfit.test")[0];
    assert_eq!(invitation["headers"]["subject"], "Test User invites you to amfit");
    assert!(
        part(invitation, "text/plain").contains("within 7 days")
            && part(invitation, "text/plain").contains("with the role Interviewer"),
        "{invitation}"
    );
    let first = link_in(invitation);

    // A new invitation: the first link stops working.
    let again = app.post_form(&format!("/admin/users/{}/invitation", mette["id"]), &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let Some(messages) = delivered(&app).await else { return };
    let second = link_in(to(&messages, "mette@amfit.test")[0]);
    assert_eq!(app.anonymous().get(&first).await.status, StatusCode::GONE);
    let welcome = app.anonymous().get(&second).await;
    assert!(welcome.body.contains("Welcome to amfit"), "{}", welcome.body);
    assert_eq!(set_password_with(&app, &second, NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert!(app.sign_in("mette@amfit.test", NEW_PASSWORD).await.is_some());
    let trail = app.get("/api/v1/audit").await.body;
    assert!(trail.contains("accepted the invitation and chose a password"), "{trail}");
}

#[tokio::test]
async fn without_a_mail_server_no_link_is_offered_and_the_administrator_sets_the_password() {
    let app = TestApp::sqlite().await;
    assert!(!app.anonymous().get("/login").await.body.contains("Forgot your password?"));
    assert_eq!(app.anonymous().get("/password/forgot").await.status, StatusCode::NOT_FOUND);
    assert!(app.get("/admin/users/new").await.body.contains("name=\"password\""));
}
