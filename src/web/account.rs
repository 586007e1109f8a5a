//! Signing in and out, and the one-time setup of the first admin.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::form::{Control, FieldBuilder, Fieldset, FormPage, HtmlForm, shown};
use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::routes::{Access, Routes};
use crate::auth::throttle::Verdict;
use crate::auth::{SESSION_USER_KEY, SessionUser, password, session_error};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::user::{Role, User, UserInput};
use crate::error::{AppError, AppResult};
use crate::store::UserRecord;

pub fn routes() -> Routes {
    Routes::default()
        .get("/login", Access::Public, login_form)
        .post("/login", Access::Public, login)
        .post("/logout", Access::SignedIn, logout)
        .get("/setup", Access::Public, setup_form)
        .post("/setup", Access::Public, setup)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginInput {
    email: Option<String>,
    password: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NextQuery {
    next: Option<String>,
}

impl NextQuery {
    /// Where to go after signing in: a path on this site, never elsewhere.
    fn target(&self) -> String {
        self.next.as_deref().map_or_else(|| "/".to_owned(), super::on_site)
    }

    fn query(&self) -> String {
        match &self.next {
            Some(next) => {
                format!("?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
            }
            None => String::new(),
        }
    }
}

fn login_page(page: Page, next: &NextQuery, email: &Option<String>, failed: bool) -> FormPage {
    let i18n = page.i18n;
    let errors = FieldErrors::default();
    let b = FieldBuilder { i18n, errors: &errors };
    let mut password = b.field("password", true, Control::Password { autocomplete: "current-password" });
    // The hint is about choosing a password, not about typing one's own.
    password.hint = None;
    let fields = vec![b.field("email", true, Control::Email { value: shown(email) }), password];
    let mut form = FormPage::new(
        page,
        i18n.t("login-heading"),
        format!("/login{}", next.query()),
        "/".into(),
        vec![Fieldset { legend: i18n.t("login-legend"), fields }],
    );
    form.submit_label = i18n.t("action-log-in");
    form.cancel_href = None;
    if failed {
        form.error_summary = vec![("email", i18n.t("field-email"), i18n.t("login-failed"))];
    }
    form
}

async fn login_form(
    page: Page,
    Query(next): Query<NextQuery>,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&login_page(page.with_notice(notice), &next, &None, false))
}

async fn login(
    State(state): State<AppState>,
    page: Page,
    session: Session,
    client: ClientAddress,
    Query(next): Query<NextQuery>,
    HtmlForm(input): HtmlForm<LoginInput>,
) -> AppResult<Response> {
    let email = input.email.as_deref().unwrap_or_default().trim().to_lowercase();
    // An account's failures count per client address, so that nobody elsewhere can lock its
    // owner out; each address has a budget across all accounts as well.
    let (account_key, client_key) = (format!("account:{email} client:{client}"), format!("client:{client}"));
    let throttle = state.auth.throttle;
    let now = chrono::Utc::now();
    // Recorded before the password is checked, so that parallel guesses see one another.
    let attempt = state.store.record_login_attempt(&[&account_key, &client_key], now).await?;
    let since = now - throttle.window;
    let account_failures = state.store.count_login_attempts(&account_key, since).await? - 1;
    let client_failures = state.store.count_login_attempts(&client_key, since).await? - 1;
    match throttle.verdict(account_failures, client_failures) {
        Verdict::Refuse => {
            tracing::warn!(%email, %client, "login refused: too many failed attempts");
            return Err(AppError::TooManyAttempts { retry_after_secs: throttle.window.as_secs() });
        }
        Verdict::Slow(delay) => tokio::time::sleep(delay).await,
        Verdict::Allow => {}
    }
    let password = input.password.clone().unwrap_or_default();
    let Some(user) = check_credentials(&state, &email, password).await? else {
        tracing::warn!(%email, %client, "login failed");
        let form = login_page(page, &next, &input.email, true);
        return render_with_status(StatusCode::UNAUTHORIZED, &form);
    };
    state.store.forget_login_attempts(&attempt, &account_key).await?;
    // A fresh session id at login, so that an id planted before cannot ride along.
    session.cycle_id().await.map_err(session_error)?;
    session.insert(SESSION_USER_KEY, SessionUser::new(&user)).await.map_err(session_error)?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(see_other(next.target()))
}

/// The active user with this email and password, taking as long for an unknown address.
async fn check_credentials(state: &AppState, email: &str, password: String) -> AppResult<Option<User>> {
    let Some((user, hash)) = state.store.find_login(email).await? else {
        password::verify_nothing(password).await?;
        return Ok(None);
    };
    let matches = password::verify(password, hash).await?;
    Ok((matches && user.active).then_some(user))
}

async fn logout(session: Session) -> AppResult<Response> {
    // Deletes the session from the store, not just the cookie.
    session.flush().await.map_err(session_error)?;
    Ok(see_other(format!("/login?{}", Notice::SignedOut.query())))
}

fn setup_page(page: Page, input: &UserInput, errors: &FieldErrors) -> FormPage {
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let fields = vec![
        b.field("name", true, Control::Text { value: shown(&input.name), max: 200 }),
        b.field("email", true, Control::Email { value: shown(&input.email) }),
        b.field("password", true, Control::Password { autocomplete: "new-password" }),
    ];
    let mut form = FormPage::new(
        page,
        i18n.t("setup-heading"),
        "/setup".into(),
        "/setup".into(),
        vec![Fieldset { legend: i18n.t("setup-legend"), fields }],
    );
    form.intro = Some(i18n.t("setup-intro"));
    form.cancel_href = None;
    form
}

async fn setup_form(State(state): State<AppState>, page: Page) -> AppResult<Html<String>> {
    if !state.auth.first_start.pending(&state).await? {
        return Err(AppError::NotFound);
    }
    render(&setup_page(page, &UserInput::default(), &FieldErrors::default()))
}

async fn setup(
    State(state): State<AppState>,
    page: Page,
    HtmlForm(mut input): HtmlForm<UserInput>,
) -> AppResult<Response> {
    if !state.auth.first_start.pending(&state).await? {
        return Err(AppError::NotFound);
    }
    input.role = Some(Role::Admin.as_str().to_owned());
    let user = match input.parse() {
        Ok(user) => user,
        Err(errors) => return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &setup_page(page, &input, &errors)),
    };
    let hash = password::hash(user.password.clone()).await?;
    let record = UserRecord { email: &user.email, name: &user.name, role: Role::Admin, password_hash: &hash };
    if state.store.create_first_user(record).await?.is_some() {
        tracing::info!("first admin created");
    }
    // Whoever won a race, an admin exists now: sign in as one.
    Ok(see_other(format!("/login?{}", Notice::AdminCreated.query())))
}

/// Maps a taken email address to the field that names it.
pub fn email_taken() -> FieldErrors {
    FieldErrors::single("email", Problem::EmailTaken)
}
