//! The test harness: a fresh database per test (an SQLite file, or a PostgreSQL database
//! named at random when `TEST_DATABASE_URL` is set) and request helpers for the real router.

use std::sync::Arc;

use amfit::app::{AppState, router};
use amfit::store::{self, Store};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A database that exists for one test and is removed after it.
pub enum TestDb {
    /// Kept so the folder, and the file in it, live as long as the test.
    Sqlite {
        _folder: tempfile::TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    pub async fn sqlite() -> (Self, String) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite:{}", folder.path().join("amfit.db").display());
        (TestDb::Sqlite { _folder: folder }, url)
    }

    /// `None` when no PostgreSQL is configured; with `AMFIT_REQUIRE_POSTGRES=1` that, or a
    /// server that cannot be reached, fails the test instead.
    pub async fn postgres() -> Option<(Self, String)> {
        let required = std::env::var("AMFIT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            assert!(!required, "AMFIT_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set");
            eprintln!("skipped: TEST_DATABASE_URL is not set, so the PostgreSQL variant does not run");
            return None;
        };
        use sqlx::Connection;
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(connection) => connection,
            Err(error) if !required => {
                eprintln!("skipped: cannot reach PostgreSQL at TEST_DATABASE_URL: {error}");
                return None;
            }
            Err(error) => panic!("AMFIT_REQUIRE_POSTGRES=1 but PostgreSQL cannot be reached: {error}"),
        };
        let name = format!("amfit_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create test database");
        let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Some((TestDb::Postgres { admin_url, name }, url.to_string()))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot block on itself.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(async {
                    use sqlx::Connection;
                    let mut admin = sqlx::PgConnection::connect(&admin_url).await.ok()?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.ok()
                })
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub router: Router,
    pub store: Arc<dyn Store>,
    pub database_url: String,
    _db: TestDb,
}

/// A response, read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// The fields a 422 problem document names.
    pub fn rejected_fields(&self) -> Vec<String> {
        assert_eq!(self.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", self.body);
        assert_eq!(self.header("content-type"), "application/problem+json");
        self.json()["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect()
    }
}

impl TestApp {
    pub async fn sqlite() -> Self {
        let (db, url) = TestDb::sqlite().await;
        Self::on(db, url).await
    }

    pub async fn postgres() -> Option<Self> {
        let (db, url) = TestDb::postgres().await?;
        Some(Self::on(db, url).await)
    }

    async fn on(db: TestDb, database_url: String) -> Self {
        let store = store::connect(&database_url).await.expect("test store opens");
        Self { router: router(AppState::new(store.clone())), store, database_url, _db: db }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.request(builder.body(body.into()).unwrap()).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Method::GET, path, &[], Body::empty()).await
    }

    pub async fn get_in(&self, path: &str, accept_language: &str) -> TestResponse {
        self.send(Method::GET, path, &[("accept-language", accept_language)], Body::empty()).await
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_html_form::to_string(fields).unwrap();
        let content_type = (header::CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded");
        self.send(Method::POST, path, &[content_type], body).await
    }

    pub async fn send_json(&self, method: Method, path: &str, body: &Value) -> TestResponse {
        self.send(method, path, &[("content-type", "application/json")], body.to_string()).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> TestResponse {
        self.send_json(Method::POST, path, body).await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> TestResponse {
        self.send_json(Method::PUT, path, body).await
    }

    pub async fn delete(&self, path: &str) -> TestResponse {
        self.send(Method::DELETE, path, &[], Body::empty()).await
    }

    /// Creates a company through the API and returns its JSON.
    pub async fn create_company(&self, body: &Value) -> Value {
        let response = self.post_json("/api/v1/companies", body).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
        response.json()
    }

    pub async fn create_profile(&self, company_id: i64, body: &Value) -> Value {
        let response = self.post_json(&format!("/api/v1/companies/{company_id}/profiles"), body).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
        response.json()
    }

    pub async fn company_count(&self) -> usize {
        self.store.list_companies().await.unwrap().len()
    }

    pub async fn profile_count(&self) -> usize {
        self.store.list_profiles().await.unwrap().len()
    }
}

pub fn company_json() -> Value {
    serde_json::json!({
        "name": "Nordlys Digital ApS",
        "industry": "Digital agency",
        "employees": 12,
        "account_managers": 2,
        "description": "Web shops and paid social for local businesses.",
        "location": "Aarhus"
    })
}

/// A date `days` from today, as the forms and the API write it.
pub fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

pub fn profile_json() -> Value {
    serde_json::json!({
        "title": "Account Manager",
        "ad_language": "da",
        "accounts_per_manager": 30,
        "key_accounts_per_manager": 2,
        "typical_client_size": "small_business",
        "client_industries": ["Retail", "Hospitality"],
        "growth_focus": "balanced",
        "meeting_cadence": "monthly",
        "presentation_frequency": "sometimes",
        "travel_share": 10,
        "duties": ["renewals", "onboarding"],
        "location": "Aarhus C",
        "remote_option": "hybrid",
        "weekly_hours": 37,
        "salary_min": 36000,
        "salary_max": 42000,
        "salary_currency": "DKK",
        "salary_period": "month",
        "start_date": in_days(60),
        "application_deadline": in_days(28),
        "contact_name": "Mette Holm",
        "contact_email": "mette@example.dk"
    })
}

/// `base` with `changes` written over it (a `null` removes the field).
pub fn with(base: &Value, changes: Value) -> Value {
    let mut merged = base.clone();
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            merged.as_object_mut().unwrap().remove(key);
        } else {
            merged[key] = value.clone();
        }
    }
    merged
}

/// A JSON object as form fields (lists become repeated keys).
pub fn as_form(body: &Value) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (key, value) in body.as_object().unwrap() {
        match value {
            Value::Array(items) => {
                fields.extend(items.iter().map(|item| (key.clone(), item.as_str().unwrap().to_owned())))
            }
            Value::String(text) => fields.push((key.clone(), text.clone())),
            other => fields.push((key.clone(), other.to_string())),
        }
    }
    fields
}

pub fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Runs a test body once on SQLite and, where configured, once on PostgreSQL.
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            #[tokio::test]
            async fn sqlite() {
                let $app = $crate::helpers::TestApp::sqlite().await;
                $body
            }

            $(#[$meta])*
            #[tokio::test]
            async fn postgres() {
                let Some($app) = $crate::helpers::TestApp::postgres().await else { return };
                $body
            }
        }
    };
}
pub(crate) use on_both_backends;
