//! The test harness: a fresh database per test (an SQLite file, or a PostgreSQL database
//! named at random when `TEST_DATABASE_URL` is set) and request helpers for the real router.

use amfit::rubrics::RubricSource;
use std::sync::Arc;

use std::time::Duration;

use amfit::app::{AppState, SessionSettings, router};
use amfit::auth::AuthState;
use amfit::auth::throttle::LoginThrottle;
use amfit::document_reader::DocumentReader;
use amfit::domain::audit::{AuditEntry, AuditFilter};
use amfit::domain::paging::{PAGE_MAX, PageRequest};
use amfit::domain::user::Role;
use amfit::store::{self, Store, UserRecord};
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
    /// One the test made itself (reached another way) and removes itself.
    Borrowed,
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
    /// What the router serves with, for the work amfit does on its own (the morning's mail).
    pub state: AppState,
    pub store: Arc<dyn Store>,
    pub database_url: String,
    /// The administrator every plain helper acts as: signed in on the web and holding a token.
    pub admin: Client,
    _db: TestDb,
}

/// A response, read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as text (bytes that are not UTF-8 replaced).
    pub body: String,
    /// The body as sent, for files.
    pub bytes: Vec<u8>,
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

    /// The session cookie this response sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookie("amfit_session")
    }

    /// The cookie holding the CSRF token of a visitor who is not signed in, as `name=value`.
    pub fn visitor_cookie(&self) -> Option<String> {
        self.cookie("amfit_csrf")
    }

    /// The cookie called `name` (or `__Host-name`) this response sets, as `name=value`.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")) || v.starts_with(&format!("__Host-{name}=")))
            .map(|v| v.split(';').next().unwrap().to_owned())
    }

    /// The CSRF token embedded in this page's forms.
    pub fn csrf_token(&self) -> Option<String> {
        let marker = "name=\"csrf_token\" value=\"";
        let at = self.body.find(marker)? + marker.len();
        Some(self.body[at..at + self.body[at..].find('"')?].to_owned())
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

/// What a user presents: a session cookie and its CSRF token on the web, a token on the API.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub user_id: i64,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub token: Option<String>,
}

pub const PASSWORD: &str = "a long test passphrase";

impl TestApp {
    pub async fn sqlite() -> Self {
        let (db, url) = TestDb::sqlite().await;
        Self::on(db, url).await
    }

    pub async fn postgres() -> Option<Self> {
        let (db, url) = TestDb::postgres().await?;
        Some(Self::on(db, url).await)
    }

    /// An app on a database the caller made (and removes), at `database_url`.
    pub async fn on_url(database_url: String) -> Self {
        Self::on(TestDb::Borrowed, database_url).await
    }

    async fn on(db: TestDb, database_url: String) -> Self {
        let mut app = Self::without_users(db, database_url, SessionSettings::default()).await;
        app.admin = app.client(Role::Admin, "admin@amfit.test").await;
        app
    }

    /// An app on an empty SQLite database: first start, no user yet.
    pub async fn first_start() -> Self {
        let (db, url) = TestDb::sqlite().await;
        Self::without_users(db, url, SessionSettings::default()).await
    }

    /// An app whose sessions behave as `sessions` says, with an admin.
    pub async fn with_sessions(sessions: SessionSettings) -> Self {
        let (db, url) = TestDb::sqlite().await;
        let mut app = Self::without_users(db, url, sessions).await;
        app.admin = app.client(Role::Admin, "admin@amfit.test").await;
        app
    }

    async fn without_users(db: TestDb, database_url: String, sessions: SessionSettings) -> Self {
        Self::configured_on(db, database_url, |state| state.sessions = sessions).await
    }

    /// An app on SQLite whose state `configure` changed, with an admin.
    pub async fn configured(configure: impl FnOnce(&mut AppState)) -> Self {
        let (db, url) = TestDb::sqlite().await;
        let mut app = Self::configured_on(db, url, configure).await;
        app.admin = app.client(Role::Admin, "admin@amfit.test").await;
        app
    }

    /// The same on PostgreSQL; `None` when none is configured.
    pub async fn configured_postgres(configure: impl FnOnce(&mut AppState)) -> Option<Self> {
        let (db, url) = TestDb::postgres().await?;
        let mut app = Self::configured_on(db, url, configure).await;
        app.admin = app.client(Role::Admin, "admin@amfit.test").await;
        Some(app)
    }

    async fn configured_on(db: TestDb, database_url: String, configure: impl FnOnce(&mut AppState)) -> Self {
        let store = store::connect(&database_url).await.expect("test store opens");
        let mut state = app_state(store.clone(), shipped_rubric(), shipped_wording());
        state.auth = Arc::new(AuthState { throttle: quick_throttle(), ..AuthState::default() });
        configure(&mut state);
        Self { router: router(state.clone()), state, store, database_url, admin: Client::default(), _db: db }
    }

    /// A new user of `role`, signed in on the web and holding an API token.
    pub async fn client(&self, role: Role, email: &str) -> Client {
        let hash = amfit::auth::password::hash(PASSWORD.into()).await.unwrap();
        let record = UserRecord { email, name: "Test User", role, password_hash: &hash };
        let user = self.store.create_user(record, &by_test).await.expect("test user");
        let token = amfit::auth::tokens::generate();
        self.store.create_token(user.id, &amfit::auth::tokens::digest(&token), None, &by_test).await.unwrap();
        let mut client = self.sign_in(email, PASSWORD).await.expect("test user signs in");
        client.user_id = user.id;
        client.token = Some(token);
        client
    }

    /// Runs `sql` on the app's database directly: what a clock that moved on would leave.
    pub async fn execute_sql(&self, sql: &str) {
        if self.database_url.starts_with("sqlite") {
            let pool = sqlx::SqlitePool::connect(&self.database_url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
        } else {
            let pool = sqlx::PgPool::connect(&self.database_url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
    }

    /// Runs `sql` with `value` (a moment, a local time) as `$1` and `id` as `$2`, as the store
    /// binds them: what a clock that moved on, or a history the test needs, would leave.
    pub async fn execute_with<T>(&self, sql: &str, value: T, id: i64)
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
        T: for<'q> sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + 'static,
    {
        if self.database_url.starts_with("sqlite") {
            let pool = sqlx::SqlitePool::connect(&self.database_url).await.unwrap();
            sqlx::query(sql).bind(value).bind(id).execute(&pool).await.unwrap();
        } else {
            let pool = sqlx::PgPool::connect(&self.database_url).await.unwrap();
            sqlx::query(sql).bind(value).bind(id).execute(&pool).await.unwrap();
        }
    }

    /// A visitor who opened the public form at `path`: with its CSRF cookie and token.
    pub async fn visitor(&self, path: &str) -> Client {
        let form = self.anonymous().get(path).await;
        let cookie = form.visitor_cookie().expect("a public form gives a visitor its CSRF cookie");
        let csrf = form.csrf_token().expect("the form has a CSRF token");
        Client { cookie: Some(cookie), csrf: Some(csrf), ..Client::default() }
    }

    /// Signs in through the login form, as a browser does; `None` when refused.
    pub async fn sign_in(&self, email: &str, password: &str) -> Option<Client> {
        let anonymous = self.visitor("/login").await;
        let response = self.as_(&anonymous).post_form("/login", &[("email", email), ("password", password)]).await;
        if response.status != StatusCode::SEE_OTHER {
            return None;
        }
        let cookie = response.session_cookie().expect("a fresh session id at login");
        let signed_in = Client { cookie: Some(cookie), ..Client::default() };
        // Signing in renews the CSRF token: the login page's one is spent.
        let csrf = self.as_(&signed_in).get("/account/password").await.csrf_token();
        assert!(csrf.is_some(), "a signed-in page has a form with the session's CSRF token");
        Some(Client { csrf, ..signed_in })
    }

    pub fn as_<'a>(&'a self, client: &'a Client) -> Caller<'a> {
        Caller { app: self, client: Some(client) }
    }

    pub fn anonymous(&self) -> Caller<'_> {
        Caller { app: self, client: None }
    }

    pub fn admin(&self) -> Caller<'_> {
        self.as_(&self.admin)
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> TestResponse {
        self.admin().send(method, path, headers, body).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.admin().get(path).await
    }

    pub async fn get_in(&self, path: &str, accept_language: &str) -> TestResponse {
        self.admin().send(Method::GET, path, &[("accept-language", accept_language)], Body::empty()).await
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        self.admin().post_form(path, fields).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> TestResponse {
        self.admin().send_json(Method::POST, path, body).await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> TestResponse {
        self.admin().send_json(Method::PUT, path, body).await
    }

    pub async fn delete(&self, path: &str) -> TestResponse {
        self.admin().send(Method::DELETE, path, &[], Body::empty()).await
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

    /// The newest entries of the audit trail `filter` selects (a page's worth; tests make fewer),
    /// but those of the test's own setup ([`by_test`]).
    pub async fn trail(&self, filter: &AuditFilter) -> Vec<AuditEntry> {
        let entries = self.store.list_audit(filter, PageRequest::first(PAGE_MAX)).await.unwrap().items;
        entries.into_iter().filter(|entry| entry.actor_name != TEST_SETUP).collect()
    }
}

/// Requests made as one client (or as nobody): the API gets its token, the web its cookie,
/// and every posted form its CSRF token.
pub struct Caller<'a> {
    app: &'a TestApp,
    client: Option<&'a Client>,
}

impl Caller<'_> {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(client) = self.client {
            if path.starts_with("/api/") {
                if let Some(token) = &client.token {
                    builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
            } else if let Some(cookie) = &client.cookie {
                builder = builder.header(header::COOKIE, cookie);
            }
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.app.request(builder.body(body.into()).unwrap()).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Method::GET, path, &[], Body::empty()).await
    }

    /// Posts a form, adding the client's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut fields = fields.to_vec();
        if let Some(csrf) = self.client.and_then(|c| c.csrf.as_deref()) {
            fields.push(("csrf_token", csrf));
        }
        let body = serde_html_form::to_string(&fields).unwrap();
        let content_type = (header::CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded");
        self.send(Method::POST, path, &[content_type], body).await
    }

    pub async fn send_json(&self, method: Method, path: &str, body: &Value) -> TestResponse {
        self.send(method, path, &[("content-type", "application/json")], body.to_string()).await
    }

    pub async fn put_json_status(&self, path: &str, body: &Value) -> StatusCode {
        self.send_json(Method::PUT, path, body).await.status
    }
}

/// The wording lists in the repository's `rubrics/wording/` folder, as the server loads them.
/// The production limits, with delays short enough for tests.
/// The state a server starts with, its documents read by the amfit binary built for the tests
/// (the test binary itself is no document reader).
pub fn app_state(
    store: Arc<dyn Store>,
    rubric: Arc<amfit::domain::rubric::Rubric>,
    wording: Arc<amfit::domain::wording::WordingRules>,
) -> AppState {
    AppState {
        documents: Arc::new(DocumentReader::new(env!("CARGO_BIN_EXE_amfit"))),
        ..AppState::new(store, rubric, wording)
    }
}

/// A user stored directly, as a test's setup: `role`, signing in with `password`.
pub async fn stored_user(
    store: &dyn Store,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> amfit::domain::user::User {
    let hash = amfit::auth::password::hash(password.into()).await.unwrap();
    let record = UserRecord { email, name, role, password_hash: &hash };
    store.create_user(record, &by_test).await.unwrap()
}

/// Who the entries of a test's own setup name as their doer.
pub const TEST_SETUP: &str = "test setup";

/// A receipt to go with an application a test sends straight to the store, as the job page
/// writes one.
pub fn receipt_to(details: &amfit::domain::candidate::CandidateDetails) -> amfit::store::NewMessage {
    let letter = amfit::domain::letter::default_template(
        amfit::domain::letter::TemplateKind::Receipt,
        amfit::domain::profile::AdLanguage::Da,
    )
    .write(amfit::domain::profile::AdLanguage::Da, &Default::default());
    amfit::store::NewMessage {
        message_id: amfit::service::letters::new_message_id(),
        kind: amfit::domain::letter::LetterKind::Receipt,
        recipient: details.email.clone(),
        language: amfit::domain::profile::AdLanguage::Da,
        letter,
        calendar: None,
        sent_by: None,
        to_user: None,
    }
}

/// The audit entry of a change that a test makes in the store directly, where no use case is
/// under test: amfit's own doing, on record `id`.
pub fn by_test(id: i64) -> amfit::store::NewAuditEntry {
    use amfit::domain::audit::{AuditAction, AuditSubject};
    amfit::store::NewAuditEntry {
        actor_id: None,
        actor_name: TEST_SETUP.into(),
        action: AuditAction::ChangeUser,
        subject: AuditSubject::User,
        subject_id: id,
        detail: String::new(),
    }
}

pub fn quick_throttle() -> LoginThrottle {
    LoginThrottle {
        delay_step: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..LoginThrottle::default()
    }
}

pub fn shipped_wording() -> Arc<amfit::domain::wording::WordingRules> {
    Arc::new(amfit::rubrics::load_wording(&RubricSource::BuiltIn).expect("the shipped wording lists are valid"))
}

/// The rubric built into amfit (the repository's `rubrics/` folder), as the server loads it.
pub fn shipped_rubric() -> Arc<amfit::domain::rubric::Rubric> {
    Arc::new(amfit::rubrics::load(&RubricSource::BuiltIn).expect("the shipped rubric is valid"))
}

pub fn company_json() -> Value {
    serde_json::json!({
        "name": "Nordlys Digital ApS",
        "industry": "Digital agency",
        "employees": 12,
        "account_managers": 2,
        "description_da": "Webshops og betalt annoncering på sociale medier for lokale virksomheder.",
        "description_en": "Web shops and paid social for local businesses.",
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
        "client_industries_da": ["Detailhandel", "Hotel og restauration"],
        "client_industries_en": ["Retail", "Hospitality"],
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
    // With the state set up by `$configure` (a closure taking `&mut AppState`).
    ($(#[$meta:meta])* async fn $name:ident($app:ident) configured($configure:expr) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            #[tokio::test]
            async fn sqlite() {
                let $app = $crate::helpers::TestApp::configured($configure).await;
                $body
            }

            $(#[$meta])*
            #[tokio::test]
            async fn postgres() {
                let Some($app) = $crate::helpers::TestApp::configured_postgres($configure).await else { return };
                $body
            }
        }
    };
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

/// Runs one statement on the database behind `url` directly, as someone with database access
/// would, bypassing the app; the error's text when the database refuses it.
pub async fn execute_sql(url: &str, sql: &str) -> Result<u64, String> {
    let result = if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.map_err(|e| e.to_string())?;
        sqlx::query(sql).execute(&pool).await.map(|done| done.rows_affected())
    } else {
        let pool = sqlx::PgPool::connect(url).await.map_err(|e| e.to_string())?;
        sqlx::query(sql).execute(&pool).await.map(|done| done.rows_affected())
    };
    result.map_err(|e| e.to_string())
}

/// Every row of every table behind `url`, as text: what someone with the database file (or a
/// dump of it) could read.
pub async fn dump_database(url: &str) -> String {
    let mut dump = String::new();
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let tables: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(&pool).await.unwrap();
        for (table,) in tables {
            let columns: Vec<(String,)> = sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&pool)
                .await
                .unwrap();
            let row = columns.iter().map(|(c,)| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
            let rows: Vec<(String,)> =
                sqlx::query_as(&format!("SELECT {row} FROM \"{table}\"")).fetch_all(&pool).await.unwrap();
            dump.extend(rows.into_iter().map(|(r,)| format!("{table}: {r}\n")));
        }
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let tables: Vec<(String,)> =
            sqlx::query_as("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
                .fetch_all(&pool)
                .await
                .unwrap();
        for (table,) in tables {
            let rows: Vec<(String,)> =
                sqlx::query_as(&format!("SELECT t::text FROM \"{table}\" t")).fetch_all(&pool).await.unwrap();
            dump.extend(rows.into_iter().map(|(r,)| format!("{table}: {r}\n")));
        }
    }
    dump
}

/// A candidate `name` whose one application to `profile_id` moved to `stage` at `at` (when
/// retention counts from), by user `by`; their id.
pub async fn candidate_at_stage(
    app: &TestApp,
    profile_id: i64,
    name: &str,
    stage: amfit::domain::candidate::Stage,
    at: chrono::DateTime<chrono::Utc>,
) -> i64 {
    let details = amfit::domain::candidate::CandidateDetails {
        name: name.to_owned(),
        email: format!("{}@example.dk", name.to_lowercase().replace(' ', ".")),
        phone: None,
        source: None,
        notes: Some(format!("{name} came through a referral.")),
        link: None,
        talent_pool: None,
    };
    let candidate = app.store.create_candidate(&details).await.unwrap();
    let new = store::NewApplication {
        candidate_id: candidate.id,
        profile_id,
        applied_on: at.date_naive(),
        by: app.admin.user_id,
    };
    let application = app.store.create_application(new).await.unwrap().application.id;
    app.store.change_stage(application, stage, app.admin.user_id, None, &by_test(0)).await.unwrap();
    // Moved back in time, as the test needs: the store dates every change now.
    app.execute_with("UPDATE stage_changes SET changed_at = $1 WHERE application_id = $2", at, application).await;
    candidate.id
}
