//! Signing in and out, and the one-time setup of the first admin.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::form::{Control, FieldBuilder, Fieldset, FormPage, shown};
use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::routes::{Access, Routes};
use crate::auth::throttle::Verdict;
use crate::auth::{CurrentUser, SESSION_USER_KEY, SessionUser, csrf, password, session_error};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::user::{Role, User, UserInput, check_password};
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::service::audit;
use crate::store::UserRecord;

pub fn routes() -> Routes {
    Routes::default()
        .get("/login", Access::Public, login_form)
        .post("/login", Access::Public, login)
        .post("/logout", Access::SignedIn, logout)
        .get("/account/password", Access::SignedIn, own_password_form)
        .post("/account/password", Access::SignedIn, change_own_password)
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
    let password = input.password.clone().unwrap_or_default();
    let Some(user) = throttled_check(&state, client, &email, password).await? else {
        let form = login_page(page, &next, &input.email, true);
        return render_with_status(StatusCode::UNAUTHORIZED, &form);
    };
    begin_session(&session, &user).await?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(see_other(next.target()))
}

/// The session from now on belongs to `user`: under a fresh id, so that an id planted before
/// cannot ride along, with a fresh CSRF token, and with its absolute lifetime starting now.
async fn begin_session(session: &Session, user: &User) -> AppResult<()> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(SESSION_USER_KEY, SessionUser::new(user)).await.map_err(session_error)?;
    csrf::renew(session).await?;
    Ok(())
}

/// The active user with this email and password, checked under the login throttle (README,
/// "Roles"): the attempt is recorded before the password is checked, so that parallel guesses
/// see one another, refused with 429 past the limits, and forgotten when it succeeds. An
/// account's failures count per client address, so that nobody elsewhere can lock its owner
/// out; each address has a budget across all accounts as well.
async fn throttled_check(
    state: &AppState,
    client: ClientAddress,
    email: &str,
    password: String,
) -> AppResult<Option<User>> {
    let (account_key, client_key) = (format!("account:{email} client:{client}"), format!("client:{client}"));
    let throttle = state.auth.throttle;
    let now = chrono::Utc::now();
    let attempt = state.store.record_login_attempt(&[&account_key, &client_key], now).await?;
    let since = now - throttle.window;
    let account_failures = state.store.count_login_attempts(&account_key, since).await? - 1;
    let client_failures = state.store.count_login_attempts(&client_key, since).await? - 1;
    match throttle.verdict(account_failures, client_failures) {
        Verdict::Refuse => {
            tracing::warn!(%email, %client, "password refused unchecked: too many failed attempts");
            return Err(AppError::TooManyAttempts { retry_after_secs: throttle.window.as_secs() });
        }
        Verdict::Slow(delay) => tokio::time::sleep(delay).await,
        Verdict::Allow => {}
    }
    let user = check_credentials(state, email, password).await?;
    match &user {
        Some(_) => state.store.forget_login_attempts(&attempt, &account_key).await?,
        None => tracing::warn!(%email, %client, "wrong password"),
    }
    Ok(user)
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PasswordInput {
    current_password: Option<String>,
    password: Option<String>,
}

/// The form that sets a new password; with `current`, it asks for the present one first.
pub(super) fn password_form(
    page: Page,
    heading: String,
    action: String,
    current: bool,
    errors: &FieldErrors,
) -> FormPage {
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let mut fields = Vec::new();
    if current {
        let mut present = b.field("current_password", true, Control::Password { autocomplete: "current-password" });
        present.hint = None;
        fields.push(present);
    }
    fields.push(b.field("password", true, Control::Password { autocomplete: "new-password" }));
    let cancel = if current { "/" } else { "/admin/users" };
    let mut form = FormPage::new(
        page,
        heading,
        action,
        cancel.into(),
        vec![Fieldset { legend: i18n.t("password-legend"), fields }],
    );
    form.intro = Some(i18n.t("password-intro"));
    form.error_summary = errors
        .iter()
        .map(|e| {
            let name: &'static str = if e.field == "current_password" { "current_password" } else { "password" };
            (name, i18n.t(&format!("field-{name}")), i18n.problem(&e.problem))
        })
        .collect();
    form
}

/// The new password, checked as at creation; the field errors otherwise.
pub(super) fn new_password(input: &PasswordInput, email: &str) -> Result<String, FieldErrors> {
    let password = input.password.clone().unwrap_or_default();
    check_password(&password, email).map(|()| password).map_err(|problem| FieldErrors::single("password", problem))
}

async fn own_password_form(page: Page) -> AppResult<Html<String>> {
    let heading = page.i18n.t("password-heading");
    render(&password_form(page, heading, "/account/password".into(), true, &FieldErrors::default()))
}

/// A signed-in user changes their own password: the present one first, then a new one by the
/// rules of every password. Every other session of theirs ends; this one goes on.
async fn change_own_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    session: Session,
    client: ClientAddress,
    HtmlForm(input): HtmlForm<PasswordInput>,
) -> AppResult<Response> {
    let new = new_password(&input, &user.email);
    let mut errors = new.as_ref().err().cloned().unwrap_or_default();
    let present = input.current_password.clone().unwrap_or_default();
    if throttled_check(&state, client, &user.email, present).await?.is_none() {
        errors.add("current_password", Problem::WrongPassword);
    }
    let password = match new {
        Ok(password) if errors.is_empty() => password,
        _ => {
            let heading = page.i18n.t("password-heading");
            let form = password_form(page, heading, "/account/password".into(), true, &errors);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form);
        }
    };
    let hash = password::hash(password).await?;
    let updated = state.store.set_password(user.id, &hash).await?;
    begin_session(&session, &updated).await?;
    audit::record(
        state.store.as_ref(),
        &user,
        AuditAction::ChangeUser,
        (AuditSubject::User, user.id),
        "changed their password",
    )
    .await?;
    tracing::info!(user_id = user.id, "password changed");
    Ok(see_other(format!("/?{}", Notice::PasswordChanged.query())))
}

/// Maps a taken email address to the field that names it.
pub fn email_taken() -> FieldErrors {
    FieldErrors::single("email", Problem::EmailTaken)
}
