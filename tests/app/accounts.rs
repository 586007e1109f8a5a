//! First start, signing in and out, sessions, CSRF, throttling, tokens, and user administration.

use std::time::Duration;

use amfit::app::SessionSettings;
use amfit::domain::user::Role;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Client, PASSWORD, TestApp, company_json, on_both_backends};

#[tokio::test]
async fn first_start_offers_only_the_setup_page() {
    let app = TestApp::first_start().await;
    for path in ["/", "/companies", "/profiles", "/login", "/admin/users"] {
        let response = app.anonymous().get(path).await;
        assert_eq!((response.status, response.location()), (StatusCode::SEE_OTHER, "/setup"), "{path}");
    }
    assert_eq!(app.anonymous().get("/api/v1/companies").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.anonymous().get("/healthz").await.status, StatusCode::OK);

    let page = app.anonymous().get("/setup").await;
    assert_eq!(page.status, StatusCode::OK);
    let visitor = Client { cookie: page.visitor_cookie(), csrf: page.csrf_token(), ..Client::default() };
    let as_visitor = app.as_(&visitor);
    let bad = [
        (("name", "Ada"), ("email", "not-an-email"), ("password", PASSWORD), "email"),
        (("name", "Ada"), ("email", "ada@amfit.test"), ("password", "short"), "password"),
        (("name", "Ada"), ("email", "ada@amfit.test"), ("password", "password1234"), "password"),
        (("name", ""), ("email", "ada@amfit.test"), ("password", PASSWORD), "name"),
    ];
    for (name, email, password, field) in bad {
        let response = as_visitor.post_form("/setup", &[name, email, password]).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(response.body.contains(&format!("id=\"error-{field}\"")), "{field}");
        assert!(!response.body.contains(PASSWORD), "a password is never echoed");
    }
    assert!(!app.store.has_users().await.unwrap());

    let made =
        as_visitor.post_form("/setup", &[("name", "Ada"), ("email", "Ada@AMFIT.test"), ("password", PASSWORD)]).await;
    assert_eq!((made.status, made.location()), (StatusCode::SEE_OTHER, "/?notice=signed_in_as_admin"));
    // Signed in by the setup: the cookie it set opens the start page with the first steps.
    let cookie = made.session_cookie().expect("the setup signs the administrator in");
    let home = app.send(Method::GET, "/?notice=signed_in_as_admin", &[("cookie", cookie.as_str())], "").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("First steps") && home.body.contains("You are the administrator, and signed in."),
        "{}",
        home.body
    );
    let admin = app.store.list_users().await.unwrap();
    assert_eq!((admin.len(), admin[0].role, admin[0].email.as_str()), (1, Role::Admin, "ada@amfit.test"));

    assert_eq!(app.anonymous().get("/setup").await.status, StatusCode::NOT_FOUND, "setup is one-time");
    let again =
        as_visitor.post_form("/setup", &[("name", "Eve"), ("email", "eve@amfit.test"), ("password", PASSWORD)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(app.store.list_users().await.unwrap().len(), 1);
    assert!(app.sign_in("ada@amfit.test", PASSWORD).await.is_some());
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = TestApp::sqlite().await;
    let wrong = try_sign_in(&app, "admin@amfit.test", "not the password at all").await;
    let unknown = try_sign_in(&app, "nobody@amfit.test", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let message = "The email address or the password is wrong.";
    assert!(wrong.body.contains(message) && unknown.body.contains(message));
    assert!(wrong.body.contains("value=\"admin@amfit.test\""), "the email is kept");
    assert!(!wrong.body.contains("not the password at all"), "the password is not");
}

async fn try_sign_in(app: &TestApp, email: &str, password: &str) -> crate::helpers::TestResponse {
    let page = app.anonymous().get("/login").await;
    let visitor = Client { cookie: page.visitor_cookie(), csrf: page.csrf_token(), ..Client::default() };
    app.as_(&visitor).post_form("/login", &[("email", email), ("password", password)]).await
}

#[tokio::test]
async fn a_session_gets_a_fresh_id_at_login_and_ends_at_logout() {
    let app = TestApp::sqlite().await;
    let page = app.anonymous().get("/login?next=%2Fprofiles").await;
    assert_eq!(page.session_cookie(), None, "viewing the sign-in page starts no session");
    // A session id planted in the browser before sign-in does not become the signed-in one.
    let planted = "amfit_session=AAAAAAAAAAAAAAAAAAAAAA";
    let cookies = format!("{planted}; {}", page.visitor_cookie().unwrap());
    let visitor = Client { cookie: Some(cookies), csrf: page.csrf_token(), ..Client::default() };
    let signed_in = app
        .as_(&visitor)
        .post_form("/login?next=%2Fprofiles", &[("email", "admin@amfit.test"), ("password", PASSWORD)])
        .await;
    assert_eq!(signed_in.location(), "/profiles", "back to where the user was sent from");
    let cookie_header = signed_in.header("set-cookie").to_owned();
    assert!(cookie_header.contains("HttpOnly") && cookie_header.contains("SameSite=Lax"), "{cookie_header}");
    assert!(!cookie_header.contains("Secure"), "not Secure unless configured");
    assert!(cookie_header.contains("Max-Age=28800"), "eight hours idle by default: {cookie_header}");
    let after = signed_in.session_cookie().unwrap();
    assert_ne!(after, planted, "a fresh session id at login");
    let old = Client { cookie: Some(planted.to_owned()), ..Client::default() };
    assert_eq!(app.as_(&old).get("/companies").await.status, StatusCode::SEE_OTHER, "the planted id is not signed in");

    let stale = Client { cookie: Some(after.clone()), csrf: visitor.csrf.clone(), ..Client::default() };
    let companies = app.as_(&stale).get("/companies").await;
    assert_eq!(companies.status, StatusCode::OK);
    assert_eq!(
        app.as_(&stale).post_form("/logout", &[]).await.status,
        StatusCode::FORBIDDEN,
        "the CSRF token is renewed at sign-in"
    );
    let fresh = app.as_(&stale).get("/account/password").await.csrf_token();
    assert!(fresh.is_some() && fresh != visitor.csrf, "a new token after sign-in");
    let user = Client { csrf: fresh, ..stale };
    let out = app.as_(&user).post_form("/logout", &[]).await;
    assert_eq!((out.status, out.location()), (StatusCode::SEE_OTHER, "/login?notice=signed_out"));
    let replayed = app.as_(&user).get("/companies").await;
    assert_eq!(replayed.status, StatusCode::SEE_OTHER, "the session ended on the server, not just in the browser");

    // Tab and newline are dropped by browsers, which then read `//evil.example`.
    for (next, location) in
        [("%2F%2Fevil.example", "/"), ("/%09/evil.example", "/"), ("/%0A/evil.example", "/"), ("/%0Aprofiles", "/")]
    {
        let evil = app.anonymous().get("/login").await;
        let visitor = Client { cookie: evil.visitor_cookie(), csrf: evil.csrf_token(), ..Client::default() };
        let signed_in = app
            .as_(&visitor)
            .post_form(&format!("/login?next={next}"), &[("email", "admin@amfit.test"), ("password", PASSWORD)])
            .await;
        assert_eq!(
            (signed_in.status, signed_in.location()),
            (StatusCode::SEE_OTHER, location),
            "never off site: {next}"
        );
    }
}

/// A shared cache keeps what is marked public and hands it to everyone: a visitor token set on
/// it would be every visitor's token, and one could forge another's forms.
#[tokio::test]
async fn files_a_shared_cache_may_keep_set_no_visitor_token() {
    let app = TestApp::sqlite().await;
    for path in ["/static/app.css", "/static/header-menu.js", "/static/favicon.svg", "/favicon.ico"] {
        let file = app.anonymous().get(path).await;
        assert_eq!(file.status, StatusCode::OK, "{path}");
        assert!(file.header("cache-control").contains("public"), "{path} is cacheable");
        assert_eq!(file.header("set-cookie"), "", "{path} sets no cookie");
    }
    let form = app.anonymous().get("/login").await;
    assert!(form.visitor_cookie().is_some(), "a form still gives its visitor a token");
    assert_eq!(form.header("cache-control"), "no-store");
}

#[tokio::test]
async fn secure_cookies_and_the_idle_timeout_are_configurable() {
    // The plain app first: setting it up takes time, which the short idle timeout below must
    // not count.
    let plain = TestApp::sqlite().await;
    let page = plain.anonymous().get("/login").await;
    assert!(
        page.header("set-cookie").starts_with("amfit_csrf=") && page.header("strict-transport-security").is_empty()
    );
    let app = TestApp::with_sessions(SessionSettings {
        idle_timeout: Duration::from_secs(2),
        secure: true,
        ..SessionSettings::default()
    })
    .await;
    let page = app.anonymous().get("/login").await;
    let visitor = page.header("set-cookie");
    assert!(visitor.starts_with("__Host-amfit_csrf=") && visitor.contains("Secure"), "{visitor}");
    assert!(visitor.contains("Path=/") && visitor.contains("HttpOnly") && visitor.contains("SameSite=Strict"));
    assert_eq!(page.header("strict-transport-security"), "max-age=31536000; includeSubDomains");
    let anonymous = Client { cookie: page.visitor_cookie(), csrf: page.csrf_token(), ..Client::default() };
    let signed_in =
        app.as_(&anonymous).post_form("/login", &[("email", "admin@amfit.test"), ("password", PASSWORD)]).await;
    let cookie = signed_in.header("set-cookie");
    assert!(cookie.starts_with("__Host-amfit_session=") && cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    assert!(cookie.contains("Max-Age=2"));
    let fresh = Client { cookie: signed_in.session_cookie(), ..Client::default() };
    assert_eq!(app.as_(&fresh).get("/companies").await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_eq!(app.as_(&fresh).get("/companies").await.status, StatusCode::SEE_OTHER, "an idle session ends");
}

#[tokio::test]
async fn forged_or_unknown_session_cookies_are_just_signed_out() {
    let app = TestApp::sqlite().await;
    for cookie in
        ["amfit_session=forged", "amfit_session=", "amfit_session=AAAAAAAAAAAAAAAAAAAAAA", "amfit_session=%00%ff"]
    {
        let response = app.anonymous().send(Method::GET, "/companies", &[("cookie", cookie)], Body::empty()).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{cookie}");
        assert!(response.location().starts_with("/login"));
    }
}

#[tokio::test]
async fn state_changes_need_this_sessions_csrf_token() {
    let app = TestApp::sqlite().await;
    let recruiter = app.client(Role::Recruiter, "recruiter@amfit.test").await;
    let fields = [
        ("name", "Csrf A/S"),
        ("industry", "Retail"),
        ("employees", "5"),
        ("account_managers", "1"),
        ("location", "Odense"),
    ];
    let body = serde_html_form::to_string(fields).unwrap();
    let form = ("content-type", "application/x-www-form-urlencoded");
    let cookie = app.admin.cookie.clone().unwrap();
    let cases = [
        ("missing", body.clone()),
        ("wrong", format!("{body}&csrf_token=0000")),
        ("from another session", format!("{body}&csrf_token={}", recruiter.csrf.as_deref().unwrap())),
    ];
    for (case, body) in cases {
        let response = app.anonymous().send(Method::POST, "/companies", &[("cookie", &cookie), form], body).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{case}");
        assert!(response.body.contains("The form has expired"), "{case}");
    }
    let id = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let delete =
        app.anonymous().send(Method::POST, &format!("/companies/{id}/delete"), &[("cookie", &cookie), form], "").await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN);
    assert_eq!(app.company_count().await, 1, "nothing was created or deleted");
    let with_token = app.post_form("/companies", &fields).await;
    assert_eq!(with_token.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn repeated_failures_are_slowed_then_refused() {
    let app = TestApp::sqlite().await;
    for attempt in 1..=10 {
        let response = try_sign_in(&app, "admin@amfit.test", "wrong wrong wrong").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let refused = try_sign_in(&app, "admin@amfit.test", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(refused.header("retry-after"), "900");
    assert!(refused.body.contains("Too many failed attempts"));

    let other = app.client(Role::Recruiter, "recruiter@amfit.test").await;
    assert!(other.cookie.is_some(), "another account on the same address still signs in");
}

#[tokio::test]
async fn api_tokens_are_checked_and_revocable() {
    let app = TestApp::sqlite().await;
    let no_token = app.anonymous().get("/api/v1/companies").await;
    assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_token.header("content-type"), "application/problem+json");
    for header in ["Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer amfit_0000", "bearer x"] {
        let response =
            app.anonymous().send(Method::GET, "/api/v1/companies", &[("authorization", header)], Body::empty()).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{header}");
    }
    let (id, token) = amfit::cli::create_token(app.store.as_ref(), "admin@amfit.test", None).await.unwrap();
    let bearer = format!("Bearer {token}");
    let headers = [("authorization", bearer.as_str())];
    assert_eq!(
        app.anonymous().send(Method::GET, "/api/v1/companies", &headers, Body::empty()).await.status,
        StatusCode::OK
    );
    app.store.revoke_token(id, &crate::helpers::by_test(0)).await.unwrap();
    let revoked = app.anonymous().send(Method::GET, "/api/v1/companies", &headers, Body::empty()).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(revoked.json()["title"], "The API token is not valid");
    assert!(app.store.revoke_token(id, &crate::helpers::by_test(0)).await.is_err(), "a token is revoked once");
    let cookie_only = app
        .anonymous()
        .send(Method::GET, "/api/v1/companies", &[("cookie", app.admin.cookie.as_deref().unwrap())], Body::empty())
        .await;
    assert_eq!(cookie_only.status, StatusCode::UNAUTHORIZED, "the API takes tokens, not cookies");
}

#[tokio::test]
async fn a_deactivated_user_is_locked_out_at_once() {
    let app = TestApp::sqlite().await;
    let recruiter = app.client(Role::Recruiter, "recruiter@amfit.test").await;
    assert_eq!(app.as_(&recruiter).get("/companies").await.status, StatusCode::OK);
    assert_eq!(app.as_(&recruiter).get("/api/v1/companies").await.status, StatusCode::OK);

    let done = app.post_form(&format!("/admin/users/{}/deactivate", recruiter.user_id), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(app.as_(&recruiter).get("/companies").await.status, StatusCode::SEE_OTHER, "the session ended");
    assert_eq!(app.as_(&recruiter).get("/api/v1/companies").await.status, StatusCode::UNAUTHORIZED, "the token too");
    assert!(app.sign_in("recruiter@amfit.test", PASSWORD).await.is_none(), "and no new login");

    app.post_form(&format!("/admin/users/{}/reactivate", recruiter.user_id), &[]).await;
    assert_eq!(app.as_(&recruiter).get("/companies").await.status, StatusCode::SEE_OTHER, "old sessions stay ended");
    assert_eq!(
        app.as_(&recruiter).get("/api/v1/companies").await.status,
        StatusCode::UNAUTHORIZED,
        "old tokens stay revoked"
    );
    assert!(app.sign_in("recruiter@amfit.test", PASSWORD).await.is_some(), "a new login works again");
}

#[tokio::test]
async fn admins_add_users_and_change_roles_in_both_languages() {
    let app = TestApp::sqlite().await;
    let list = app.get("/admin/users").await;
    assert!(list.body.contains("admin@amfit.test") && list.body.contains("Add a user"));
    assert!(app.get_in("/admin/users", "da").await.body.contains("Tilføj en bruger"));
    assert_eq!(app.get("/admin/users/new").await.status, StatusCode::OK);

    let good =
        [("name", "Rita Recruiter"), ("email", "rita@amfit.test"), ("role", "recruiter"), ("password", PASSWORD)];
    assert_eq!(app.post_form("/admin/users", &good).await.status, StatusCode::SEE_OTHER);
    let long_name = "n".repeat(201);
    let long_email = format!("{}@amfit.test", "e".repeat(250));
    let bad: [(&str, &str, &str, &str, &str); 6] = [
        ("name", "Rita Again", "rita@amfit.test", "recruiter", "A user with this email address exists already."),
        ("role", "Boss", "boss@amfit.test", "emperor", "Choose one of the listed options"),
        ("name", &long_name, "long@amfit.test", "recruiter", "Use at most 200 characters."),
        ("email", "Long", &long_email, "recruiter", "Use at most 254 characters."),
        ("email", "Bad", "bad@", "recruiter", "Enter an email address"),
        ("password", "Weak", "weak@amfit.test", "recruiter", "Use at least 12 characters."),
    ];
    for (field, name, email, role, message) in bad {
        let password = if field == "password" { "short" } else { PASSWORD };
        let response = app
            .post_form("/admin/users", &[("name", name), ("email", email), ("role", role), ("password", password)])
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(response.body.contains(message), "{field}: {message}");
    }
    assert_eq!(app.store.list_users().await.unwrap().len(), 2);

    let rita = app.store.find_login("rita@amfit.test").await.unwrap().unwrap().0;
    let changed = app.post_form(&format!("/admin/users/{}/role", rita.id), &[("role", "hiring_manager")]).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.get_user(rita.id).await.unwrap().role, Role::HiringManager);
    let unknown = app.post_form(&format!("/admin/users/{}/role", rita.id), &[("role", "emperor")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.post_form("/admin/users/999/role", &[("role", "admin")]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admins_cannot_lock_everyone_out() {
    let app = TestApp::sqlite().await;
    let me = app.admin.user_id;
    let own_role = app.post_form(&format!("/admin/users/{me}/role"), &[("role", "recruiter")]).await;
    assert_eq!(own_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own_role.body.contains("You cannot take away your own administrator role"));
    let myself = app.post_form(&format!("/admin/users/{me}/deactivate"), &[]).await;
    assert!(myself.body.contains("You cannot deactivate yourself"));

    let other = app.client(Role::Admin, "second@amfit.test").await;
    let as_other = app.as_(&other);
    assert_eq!(
        as_other.post_form(&format!("/admin/users/{me}/role"), &[("role", "recruiter")]).await.status,
        StatusCode::SEE_OTHER
    );
    let last = app.as_(&other).post_form(&format!("/admin/users/{}/deactivate", other.user_id), &[]).await;
    assert!(last.body.contains("You cannot deactivate yourself"));
    assert!(app.store.get_user(other.user_id).await.unwrap().active);
    let users = app.store.list_users().await.unwrap();
    assert_eq!(users.iter().filter(|u| u.role == Role::Admin && u.active).count(), 1);
    let _ = json!(null);
}

#[tokio::test]
async fn an_active_session_lives_on_and_is_not_saved_on_every_request() {
    let app = TestApp::with_sessions(SessionSettings {
        idle_timeout: Duration::from_secs(4),
        secure: false,
        ..SessionSettings::default()
    })
    .await;
    let early = app.get("/companies").await;
    assert_eq!(early.status, StatusCode::OK);
    assert_eq!(early.header("set-cookie"), "", "just signed in: nothing to save");
    tokio::time::sleep(Duration::from_millis(2_200)).await;
    let later = app.get("/companies").await;
    assert!(later.header("set-cookie").contains("Max-Age=4"), "half the idle time gone: saved with a fresh expiry");
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(app.get("/companies").await.status, StatusCode::OK, "4.7 s after sign-in, 2.5 s after the last save");
}

on_both_backends! {
    async fn a_user_deactivated_through_another_instance_is_locked_out_here_at_once(app) {
        let recruiter = app.client(Role::Recruiter, "recruiter@amfit.test").await;
        assert_eq!(app.as_(&recruiter).get("/companies").await.status, StatusCode::OK, "the user now known here");
        let other_instance = amfit::store::connect(&app.database_url).await.unwrap();
        other_instance.set_user_active(recruiter.user_id, false, &crate::helpers::by_test(0)).await.unwrap();
        assert_eq!(app.as_(&recruiter).get("/companies").await.status, StatusCode::SEE_OTHER, "the session ended");
    }
}

#[tokio::test]
async fn users_change_their_own_password_and_their_other_sessions_end() {
    let app = TestApp::sqlite().await;
    let other_device = app.sign_in("admin@amfit.test", PASSWORD).await.unwrap();
    let change = async |current: &str, new: &str| {
        app.post_form("/account/password", &[("current_password", current), ("password", new)]).await
    };
    let wrong = change("not my password at all", "a fresh long passphrase").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("This is not your present password."), "{}", wrong.body);
    let weak = change(PASSWORD, "short").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("Use at least 12 characters"), "{}", weak.body);
    assert!(app.sign_in("admin@amfit.test", PASSWORD).await.is_some(), "nothing changed yet");

    let changed = change(PASSWORD, "a fresh long passphrase").await;
    assert_eq!((changed.status, changed.location()), (StatusCode::SEE_OTHER, "/?notice=password_changed"));
    assert_eq!(app.as_(&other_device).get("/companies").await.status, StatusCode::SEE_OTHER, "signed out elsewhere");
    assert!(app.sign_in("admin@amfit.test", PASSWORD).await.is_none(), "the old password is gone");
    assert!(app.sign_in("admin@amfit.test", "a fresh long passphrase").await.is_some());
    let this_browser = Client { cookie: changed.session_cookie(), ..app.admin.clone() };
    assert_eq!(
        app.as_(&this_browser).get("/companies").await.status,
        StatusCode::OK,
        "this session goes on, under a new id"
    );
    let trail = app.as_(&this_browser).get("/admin/audit").await.body;
    assert!(trail.contains("Changed their password"), "on the audit trail");
    assert_eq!(app.get("/api/v1/companies").await.status, StatusCode::OK, "their own change keeps their tokens");
}

#[tokio::test]
async fn an_administrator_sets_a_new_password_and_the_users_sessions_end() {
    let app = TestApp::sqlite().await;
    let rikke = app.client(Role::Recruiter, "rikke@amfit.test").await;
    let path = format!("/admin/users/{}/password", rikke.user_id);
    assert!(app.get(&path).await.body.contains("A new password for Test User"));
    assert_eq!(app.as_(&rikke).get(&path).await.status, StatusCode::FORBIDDEN, "administrators only");
    let weak = app.post_form(&path, &[("password", "rikke@amfit.test")]).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", weak.body);
    assert_eq!(app.as_(&rikke).get("/companies").await.status, StatusCode::OK, "a refused reset changes nothing");
    assert_eq!(app.as_(&rikke).get("/api/v1/companies").await.status, StatusCode::OK, "her token works");
    let set = app.post_form(&path, &[("password", "a temporary long passphrase")]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    assert_eq!(app.as_(&rikke).get("/companies").await.status, StatusCode::SEE_OTHER, "her session ended");
    assert_eq!(app.as_(&rikke).get("/api/v1/companies").await.status, StatusCode::UNAUTHORIZED, "so did her token");
    assert_eq!(app.get("/api/v1/companies").await.status, StatusCode::OK, "the administrator's token goes on");
    assert!(app.sign_in("rikke@amfit.test", "a temporary long passphrase").await.is_some());
    assert_eq!(app.get("/companies").await.status, StatusCode::OK, "the administrator stays signed in");
    let own = format!("/admin/users/{}/password", app.admin.user_id);
    assert_eq!(app.get(&own).await.location(), "/account/password", "their own, with the present one first");
    let bypass = app.post_form(&own, &[("password", "a takeover long passphrase")]).await;
    assert_eq!(bypass.location(), "/account/password");
    assert!(app.sign_in("admin@amfit.test", PASSWORD).await.is_some(), "unchanged");
    assert_eq!(
        app.post_form("/admin/users/999/password", &[("password", "a temporary long passphrase")]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    const LIFETIME: Duration = Duration::from_secs(5);
    let sessions = SessionSettings { absolute_lifetime: LIFETIME, ..SessionSettings::default() };
    // The session begins while the app is set up (signing in): its age lies between the time
    // since then and the time since before. A loaded machine makes set-up slow, not the test wrong.
    let before = std::time::Instant::now();
    let app = TestApp::with_sessions(sessions).await;
    let signed_in = std::time::Instant::now();
    let mut requests = 0;
    while before.elapsed() + Duration::from_millis(500) < LIFETIME {
        assert_eq!(app.get("/companies").await.status, StatusCode::OK, "active all along");
        requests += 1;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(requests >= 2, "set-up took {:?} of the session's {LIFETIME:?}", signed_in - before);
    tokio::time::sleep((LIFETIME + Duration::from_millis(300)).saturating_sub(signed_in.elapsed())).await;
    assert_eq!(app.get("/companies").await.status, StatusCode::SEE_OTHER, "past its lifetime, active or not");
}

#[tokio::test]
async fn an_expired_api_token_is_refused() {
    let app = TestApp::sqlite().await;
    let token = amfit::auth::tokens::generate();
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    app.store
        .create_token(app.admin.user_id, &amfit::auth::tokens::digest(&token), Some(past), &crate::helpers::by_test)
        .await
        .unwrap();
    let bearer = format!("Bearer {token}");
    let refused =
        app.anonymous().send(Method::GET, "/api/v1/companies", &[("authorization", &bearer)], Body::empty()).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    let token = amfit::auth::tokens::generate();
    app.store
        .create_token(app.admin.user_id, &amfit::auth::tokens::digest(&token), Some(later), &crate::helpers::by_test)
        .await
        .unwrap();
    let bearer = format!("Bearer {token}");
    let allowed =
        app.anonymous().send(Method::GET, "/api/v1/companies", &[("authorization", &bearer)], Body::empty()).await;
    assert_eq!(allowed.status, StatusCode::OK);
}

#[tokio::test]
async fn anonymous_visits_store_no_session() {
    let app = TestApp::sqlite().await;
    let sessions = async || -> i64 {
        let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions").fetch_one(&pool).await.unwrap()
    };
    let before = sessions().await;
    for _ in 0..300 {
        assert_eq!(app.anonymous().get("/login").await.status, StatusCode::OK);
    }
    let page = app.anonymous().get("/login").await;
    let visitor = Client { cookie: page.visitor_cookie(), csrf: page.csrf_token(), ..Client::default() };
    let failed =
        app.as_(&visitor).post_form("/login", &[("email", "admin@amfit.test"), ("password", "wrong guess")]).await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    assert_eq!(sessions().await, before, "300 views of the sign-in page and a failed sign-in stored no session");

    let forged = Client { csrf: Some("0".repeat(64)), ..visitor.clone() };
    let refused = app.as_(&forged).post_form("/login", &[("email", "admin@amfit.test"), ("password", PASSWORD)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "the form's token must be the visitor cookie's");
    let cookieless = Client { cookie: None, ..visitor.clone() };
    let refused =
        app.as_(&cookieless).post_form("/login", &[("email", "admin@amfit.test"), ("password", PASSWORD)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "and the cookie must come along");
    let signed_in =
        app.as_(&visitor).post_form("/login", &[("email", "admin@amfit.test"), ("password", PASSWORD)]).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(sessions().await, before + 1, "signing in stores one");
}

#[tokio::test]
async fn the_database_holds_a_hash_of_each_session_id_never_the_id() {
    use sha2::Digest;
    let app = TestApp::sqlite().await;
    let cookie = app.admin.cookie.clone().unwrap();
    let id = cookie.split_once('=').unwrap().1;
    let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
    let stored: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT id, data FROM tower_sessions").fetch_all(&pool).await.unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_ne!(stored[0].0, id, "the row is not keyed by the cookie's id");
    let raw: tower_sessions::session::Id = id.parse().unwrap();
    for bytes in [raw.0.to_le_bytes(), raw.0.to_be_bytes()] {
        assert!(!stored[0].1.windows(16).any(|w| w == bytes), "nor does the id appear in the stored data");
    }
    let hashed = tower_sessions::session::Id(i128::from_le_bytes(
        sha2::Sha256::digest(raw.0.to_le_bytes())[..16].try_into().unwrap(),
    ));
    assert_eq!(stored[0].0, hashed.to_string(), "it is keyed by the id's hash");
    assert_eq!(app.get("/companies").await.status, StatusCode::OK, "the cookie still finds its session");
    let out = app.post_form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0, "signing out deletes the hashed row");
}

on_both_backends! {
    async fn a_user_reads_who_they_are_and_changes_their_own_password_through_the_api(app) {
        let ivan = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let me = app.as_(&ivan).get("/api/v1/me").await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        let me = me.json();
        assert_eq!((me["id"].as_i64(), me["email"].as_str(), me["role"].as_str()), (Some(ivan.user_id), Some("ivan@amfit.test"), Some("interviewer")));
        assert!(me.get("password_hash").is_none() && !me.to_string().contains("argon2"), "never the password: {me}");
        assert_eq!(app.anonymous().get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);

        // Bad input names each field and changes nothing.
        let path = "/api/v1/me/password";
        let wrong = app.as_(&ivan).send_json(Method::PUT, path, &json!({ "current_password": "not it", "password": "short" })).await;
        assert_eq!(wrong.rejected_fields(), ["password", "current_password"], "{}", wrong.body);
        let own_address = json!({ "current_password": PASSWORD, "password": "ivan@amfit.test" });
        assert_eq!(app.as_(&ivan).send_json(Method::PUT, path, &own_address).await.rejected_fields(), ["password"]);
        assert_eq!(app.as_(&ivan).send_json(Method::PUT, path, &json!([1])).await.status, StatusCode::BAD_REQUEST);
        assert!(app.sign_in("ivan@amfit.test", PASSWORD).await.is_some(), "the password is as it was");

        let changed = app.as_(&ivan).send_json(Method::PUT, path, &json!({ "current_password": PASSWORD, "password": "a brand new passphrase" })).await;
        assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
        assert!(app.sign_in("ivan@amfit.test", PASSWORD).await.is_none(), "the old password no longer signs in");
        assert!(app.sign_in("ivan@amfit.test", "a brand new passphrase").await.is_some());
        let trail = app.trail(&amfit::domain::audit::AuditFilter::default()).await;
        assert!(trail.iter().any(|e| e.detail.contains("password") && e.subject_id == ivan.user_id), "on the audit trail");
    }
}
