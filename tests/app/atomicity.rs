//! A change and its audit entry are kept together or not at all: with the database refusing
//! every new entry on the trail (a trigger the test installs), no audited change is kept; with
//! the trigger gone, the same requests are.

use axum::http::StatusCode;
use serde_json::{Value, json};

use amfit::domain::user::Role;
use axum::http::Method;

use crate::applying::{CV, apply, field, file};
use crate::helpers::{
    Client, TestApp, TestResponse, company_json, execute_sql, in_days, on_both_backends, profile_json, with,
};

/// Makes the database refuse every new audit entry, as a full disk or a failing write would.
async fn refuse_audit_entries(app: &TestApp) {
    let statements: &[&str] = if app.database_url.starts_with("sqlite:") {
        &["CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END"]
    } else {
        &[
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
            "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
        ]
    };
    for statement in statements {
        execute_sql(&app.database_url, statement).await.unwrap();
    }
}

async fn accept_audit_entries(app: &TestApp) {
    let drop = if app.database_url.starts_with("sqlite:") {
        "DROP TRIGGER audit_refused"
    } else {
        "DROP TRIGGER audit_refused ON audit_log"
    };
    execute_sql(&app.database_url, drop).await.unwrap();
}

/// Everything the audited changes below would change, as the API reads it.
async fn state_of(app: &TestApp, application: &str, profile: i64) -> Value {
    json!({
        "application": app.get(application).await.json()["stage"],
        "decisions": app.get(&format!("{application}/decisions")).await.json(),
        "users": app.get("/api/v1/users").await.json()["items"],
        "tokens": app.get("/api/v1/tokens").await.json(),
        // Read from the store: reading a candidate through the API is on the trail too.
        "candidates": app.store.list_candidates().await.unwrap().into_iter().map(|c| c.candidate.details.name).collect::<Vec<_>>(),
        "weights": app.get(&format!("/api/v1/profiles/{profile}/weights")).await.json(),
    })
}

/// Each audited change, sent as a client would; the answers, by name.
async fn audited_changes(
    app: &TestApp,
    manager: &Client,
    slug: &str,
    application: &str,
    candidate: i64,
    user: i64,
    profile: i64,
) -> Vec<(&'static str, StatusCode)> {
    let answers: Vec<(&'static str, TestResponse)> = vec![
        ("stage", app.put_json(&format!("{application}/stage"), &json!({ "stage": "screening" })).await),
        ("decision", app.as_(manager).send_json(Method::POST, &format!("{application}/decisions"), &json!({ "verdict": "reject", "reason": "Too little key-account experience." })).await),
        ("new user", app.post_json("/api/v1/users", &json!({ "email": "new@amfit.test", "name": "New User", "role": "recruiter", "password": "a long enough passphrase" })).await),
        ("role", app.put_json(&format!("/api/v1/users/{user}/role"), &json!({ "role": "hiring_manager" })).await),
        ("active", app.put_json(&format!("/api/v1/users/{user}/active"), &json!({ "active": false })).await),
        ("password", app.put_json(&format!("/api/v1/users/{user}/password"), &json!({ "password": "another long passphrase" })).await),
        ("token", app.post_json("/api/v1/tokens", &json!({ "expires_in_days": 30 })).await),
        ("weight", app.put_json(&format!("/api/v1/profiles/{profile}/weights/communication"), &json!({ "weight": 5 })).await),
        ("erasure", app.post_json(&format!("/api/v1/candidates/{candidate}/erasure"), &json!({})).await),
        ("job page", apply(app, slug, &[field("name", "Ane Berg"), field("email", "ane@example.dk"), file("cv", "cv.pdf", CV)]).await),
    ];
    answers.into_iter().map(|(name, answer)| (name, answer.status)).collect()
}

on_both_backends! {
    async fn no_audited_change_is_kept_without_its_entry_on_the_trail(app) {
        // A job whose hiring manager decides.
        let manager = app.client(Role::HiringManager, "mette@amfit.test").await;
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let body = with(&profile_json(), json!({ "application_deadline": in_days(30), "hiring_manager_id": manager.user_id }));
        let profile = app.create_profile(company, &body).await["id"].as_i64().unwrap();
        let ad = "# Account manager i Aarhus\n\nVi søger en account manager.\n";
        let slug = crate::jobs::published(&app, profile, ad, "da", json!({ "slug": "account-manager-atomic", "until": in_days(20) })).await;
        let candidate = app.post_json("/api/v1/candidates", &json!({ "name": "Dina Holm", "email": "dina@example.dk" })).await.json()["id"].as_i64().unwrap();
        let applied = app.post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile })).await;
        let application = format!("/api/v1/applications/{}", applied.json()["id"]);
        let user = app.post_json("/api/v1/users", &json!({ "email": "rita@amfit.test", "name": "Rita", "role": "recruiter", "password": "a long enough passphrase" })).await.json()["id"].as_i64().unwrap();
        let before = state_of(&app, &application, profile).await;
        let trail_before = app.trail(&Default::default()).await.len();

        refuse_audit_entries(&app).await;
        for (change, status) in audited_changes(&app, &manager, &slug, &application, candidate, user, profile).await {
            assert!(status.is_server_error(), "{change}: refused when its entry cannot be written, not {status}");
        }
        assert_eq!(state_of(&app, &application, profile).await, before, "nothing was kept");
        assert_eq!(app.trail(&Default::default()).await.len(), trail_before);

        accept_audit_entries(&app).await;
        for (change, status) in audited_changes(&app, &manager, &slug, &application, candidate, user, profile).await {
            assert!(status.is_success() || status.is_redirection(), "{change}: kept once entries are, not {status}");
        }
        assert_ne!(state_of(&app, &application, profile).await, before);
        assert!(app.trail(&Default::default()).await.len() >= trail_before + 10, "each change with its entry");
    }
}

on_both_backends! {
    async fn a_session_the_database_cannot_save_is_answered_as_unavailable(app) {
        app.client(Role::Recruiter, "rita@amfit.test").await;
        let (table, refuse, allow): (&str, Vec<String>, String) = if app.database_url.starts_with("sqlite:") {
            let table = "tower_sessions";
            (
                table,
                vec![format!("CREATE TRIGGER session_refused BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'no room'); END")],
                "DROP TRIGGER session_refused".to_owned(),
            )
        } else {
            let table = "tower_sessions.session";
            (
                table,
                vec![
                    "CREATE FUNCTION refuse_session() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'no room'; END $$"
                        .to_owned(),
                    format!("CREATE TRIGGER session_refused BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_session()"),
                ],
                format!("DROP TRIGGER session_refused ON {table}"),
            )
        };
        for statement in &refuse {
            execute_sql(&app.database_url, statement).await.unwrap();
        }
        // Signing in makes a session: it cannot be kept.
        let form = app.anonymous().get("/login").await;
        let visitor = Client { cookie: form.visitor_cookie(), csrf: form.csrf_token(), ..Client::default() };
        let credentials = [("email", "rita@amfit.test"), ("password", crate::helpers::PASSWORD)];
        let refused = app.as_(&visitor).post_form("/login", &credentials).await;
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{table}: {}", refused.body);
        assert!(refused.headers.contains_key("retry-after"));
        assert!(refused.body.contains("<html"), "the error page, not a bare status");
        execute_sql(&app.database_url, &allow).await.unwrap();
        assert!(app.sign_in("rita@amfit.test", crate::helpers::PASSWORD).await.is_some(), "and once it can, it is");
    }
}
