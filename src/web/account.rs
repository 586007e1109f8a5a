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
use crate::auth::{CurrentUser, SESSION_USER_KEY, SessionUser, csrf, session_error};
use crate::domain::input::FieldErrors;
use crate::domain::profile::AdLanguage;
use crate::domain::user::{NotificationInput, NotifyWhen, Role, User, UserInput};
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::service::accounts;

pub fn routes() -> Routes {
    Routes::default()
        .get("/login", Access::Public, login_form)
        .post("/login", Access::Public, login)
        .post("/logout", Access::SignedIn, logout)
        .get("/account/password", Access::SignedIn, own_password_form)
        .post("/account/password", Access::SignedIn, change_own_password)
        .get("/account/notifications", Access::SignedIn, notifications_form)
        .post("/account/notifications", Access::SignedIn, set_notifications)
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

/// The sign-in form; with `offer_reset` (amfit sends mail), a link for a forgotten password.
fn login_page(page: Page, next: &NextQuery, email: &Option<String>, failed: bool, offer_reset: bool) -> FormPage {
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
    if offer_reset {
        form.other_way = Some(("/password/forgot".into(), i18n.t("login-forgot")));
    }
    if failed {
        form.error_summary = vec![("email", i18n.t("field-email"), i18n.t("login-failed"))];
    }
    form
}

async fn login_form(
    State(state): State<AppState>,
    page: Page,
    Query(next): Query<NextQuery>,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&login_page(page.with_notice(notice), &next, &None, false, state.sends_mail))
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
    let Some(user) = accounts::sign_in(&state, client, &email, password).await? else {
        let form = login_page(page, &next, &input.email, true, state.sends_mail);
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
    if !accounts::awaiting_first_admin(&state).await? {
        return Err(AppError::NotFound);
    }
    render(&setup_page(page, &UserInput::default(), &FieldErrors::default()))
}

async fn setup(
    State(state): State<AppState>,
    page: Page,
    session: Session,
    HtmlForm(mut input): HtmlForm<UserInput>,
) -> AppResult<Response> {
    input.role = Some(Role::Admin.as_str().to_owned());
    match accounts::create_first_admin(&state, &input).await {
        // The one who chose the password is signed in with it, and begins on the first steps.
        Ok(Some(admin)) => {
            begin_session(&session, &admin).await?;
            tracing::info!(user_id = admin.id, "signed in as the first administrator");
            Ok(see_other(format!("/?{}", Notice::SignedInAsAdmin.query())))
        }
        // Another request made the first administrator meanwhile: sign in as that one.
        Ok(None) => Ok(see_other(format!("/login?{}", Notice::AdminCreated.query()))),
        Err(AppError::Invalid(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &setup_page(page, &input, &errors))
        }
        Err(other) => Err(other),
    }
}

/// The password forms' fields: the present password where it is asked for, and the new one.
pub(super) type PasswordInput = crate::domain::user::OwnPasswordInput;

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
    let present = input.current_password.clone().unwrap_or_default();
    let new = input.password.clone().unwrap_or_default();
    let updated = match accounts::change_own_password(&state, &user, client, present, new).await {
        Ok(updated) => updated,
        Err(AppError::Invalid(errors)) => {
            let heading = page.i18n.t("password-heading");
            let form = password_form(page, heading, "/account/password".into(), true, &errors);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form);
        }
        Err(other) => return Err(other),
    };
    begin_session(&session, &updated).await?;
    tracing::info!(user_id = user.id, "password changed");
    Ok(see_other(format!("/?{}", Notice::PasswordChanged.query())))
}

fn notifications_page(page: Page, input: &NotificationInput, errors: &FieldErrors) -> FormPage {
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let fields = vec![
        b.select::<NotifyWhen>("notifications", true, &input.notifications),
        b.select::<AdLanguage>("mail_language", true, &input.mail_language),
    ];
    let mut form = FormPage::new(
        page,
        i18n.t("notifications-heading"),
        "/account/notifications".into(),
        "/".into(),
        vec![Fieldset { legend: i18n.t("notifications-legend"), fields }],
    );
    form.intro = Some(i18n.t("notifications-intro"));
    form
}

async fn notifications_form(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    let settings = state.store.notification_settings(user.id).await?;
    render(&notifications_page(page.with_notice(notice), &settings.into(), &FieldErrors::default()))
}

/// Keeps how the user wants to be told of their work; a bad choice is shown again, named.
async fn set_notifications(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    HtmlForm(input): HtmlForm<NotificationInput>,
) -> AppResult<Response> {
    match input.parse() {
        Ok(settings) => {
            state.store.set_notification_settings(user.id, settings).await?;
            Ok(see_other(format!("/account/notifications?{}", Notice::Updated.query())))
        }
        Err(errors) => render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &notifications_page(page, &input, &errors)),
    }
}
