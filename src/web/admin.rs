//! User administration: list, add, change a role, deactivate, reactivate.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::account::{PasswordInput, email_taken, new_password, password_form};
use super::form::{Control, FieldBuilder, Fieldset, FormPage, shown};
use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::auth::{CurrentUser, password};
use crate::domain::Labelled;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::input::{FieldErrors, FieldParser};
use crate::domain::user::{Permission, Role, User, UserInput};
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::http::ResourceId;
use crate::service::audit;
use crate::store::{StoreError, UserRecord};

pub fn routes() -> Routes {
    let admin = Access::Requires(Permission::ManageUsers);
    Routes::default()
        .get("/admin/users", admin, list)
        .get("/admin/users/new", admin, new_form)
        .post("/admin/users", admin, create)
        .post("/admin/users/{id}/role", admin, change_role)
        .post("/admin/users/{id}/deactivate", admin, deactivate)
        .post("/admin/users/{id}/reactivate", admin, reactivate)
        .get("/admin/users/{id}/password", admin, password_page)
        .post("/admin/users/{id}/password", admin, set_password)
}

/// A user as the list shows it, with the roles to choose from.
struct UserLine {
    id: i64,
    name: String,
    email: String,
    active: bool,
    is_you: bool,
    roles: Vec<(&'static str, String, bool)>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    users: Vec<UserLine>,
    /// Why the last change was refused.
    refusal: Option<String>,
}

async fn users_page(state: &AppState, page: Page, me: &User, refusal: Option<String>) -> AppResult<UsersPage> {
    let i18n = page.i18n;
    let users = state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|user| UserLine {
            roles: [Role::Admin, Role::Recruiter, Role::HiringManager, Role::Interviewer]
                .into_iter()
                .map(|role| (role.as_str(), i18n.t(&role.label_key()), role == user.role))
                .collect(),
            is_you: user.id == me.id,
            id: user.id,
            name: user.name,
            email: user.email,
            active: user.active,
        })
        .collect();
    Ok(UsersPage { page, users, refusal })
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&users_page(&state, page.with_notice(notice), &me, None).await?)
}

fn user_form(page: Page, input: &UserInput, errors: &FieldErrors) -> FormPage {
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let fields = vec![
        b.field("name", true, Control::Text { value: shown(&input.name), max: 200 }),
        b.field("email", true, Control::Email { value: shown(&input.email) }),
        b.select::<Role>("role", true, &input.role),
        b.field("password", true, Control::Password { autocomplete: "new-password" }),
    ];
    let mut form = FormPage::new(
        page,
        i18n.t("users-new"),
        "/admin/users".into(),
        "/admin/users".into(),
        vec![Fieldset { legend: i18n.t("users-legend"), fields }],
    );
    form.intro = Some(i18n.t("users-new-intro"));
    form
}

async fn new_form(page: Page) -> AppResult<Html<String>> {
    render(&user_form(page, &UserInput::default(), &FieldErrors::default()))
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    HtmlForm(input): HtmlForm<UserInput>,
) -> AppResult<Response> {
    let refuse = |page, errors: &FieldErrors| {
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &user_form(page, &input, errors))
    };
    let user = match input.parse() {
        Ok(user) => user,
        Err(errors) => return refuse(page, &errors),
    };
    let hash = password::hash(user.password.clone()).await?;
    let record = UserRecord { email: &user.email, name: &user.name, role: user.role, password_hash: &hash };
    match state.store.create_user(record).await {
        Ok(created) => {
            tracing::info!(user_id = created.id, role = created.role.as_str(), "user added");
            let detail = format!("added as {}", created.role.as_str());
            audit::record(
                state.store.as_ref(),
                &me,
                AuditAction::ChangeUser,
                (AuditSubject::User, created.id),
                &detail,
            )
            .await?;
            Ok(see_other(format!("/admin/users?{}", Notice::Created.query())))
        }
        Err(StoreError::Duplicate) => refuse(page, &email_taken()),
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoleInput {
    role: Option<String>,
}

/// Why a change to `target` would leave the system without a way to administer it.
async fn lockout_reason(
    state: &AppState,
    me: &User,
    target: &User,
    i18n_key_if_self: &'static str,
) -> AppResult<Option<&'static str>> {
    if target.id == me.id {
        return Ok(Some(i18n_key_if_self));
    }
    if target.role == Role::Admin && target.active {
        let admins = state.store.list_users().await?.into_iter().filter(|u| u.role == Role::Admin && u.active).count();
        if admins <= 1 {
            return Ok(Some("users-refused-last-admin"));
        }
    }
    Ok(None)
}

async fn refused(state: &AppState, page: Page, me: &User, key: &str) -> AppResult<Response> {
    let message = page.i18n.t(key);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &users_page(state, page, me, Some(message)).await?)
}

async fn change_role(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<RoleInput>,
) -> AppResult<Response> {
    let target = state.store.get_user(id).await?;
    let mut p = FieldParser::default();
    let role: Role = p.choice("role", &input.role);
    p.finish(()).map_err(AppError::Invalid)?;
    if role != Role::Admin
        && let Some(key) = lockout_reason(&state, &me, &target, "users-refused-own-role").await?
    {
        return refused(&state, page, &me, key).await;
    }
    state.store.set_user_role(id, role).await?;
    let detail = format!("role: {}", role.as_str());
    audit::record(state.store.as_ref(), &me, AuditAction::ChangeUser, (AuditSubject::User, id), &detail).await?;
    tracing::info!(user_id = id, role = role.as_str(), by = me.id, "role changed");
    Ok(see_other(format!("/admin/users?{}", Notice::Updated.query())))
}

async fn deactivate(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let target = state.store.get_user(id).await?;
    if let Some(key) = lockout_reason(&state, &me, &target, "users-refused-self").await? {
        return refused(&state, page, &me, key).await;
    }
    state.store.set_user_active(id, false).await?;
    audit::record(state.store.as_ref(), &me, AuditAction::ChangeUser, (AuditSubject::User, id), "deactivated").await?;
    tracing::info!(user_id = id, by = me.id, "user deactivated");
    Ok(see_other(format!("/admin/users?{}", Notice::Updated.query())))
}

async fn reactivate(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    state.store.set_user_active(id, true).await?;
    audit::record(state.store.as_ref(), &me, AuditAction::ChangeUser, (AuditSubject::User, id), "reactivated").await?;
    tracing::info!(user_id = id, by = me.id, "user reactivated");
    Ok(see_other(format!("/admin/users?{}", Notice::Updated.query())))
}

fn reset_form(page: Page, user: &User, errors: &FieldErrors) -> FormPage {
    let heading = page.i18n.t1("password-reset-heading", "name", &user.name);
    password_form(page, heading, format!("/admin/users/{}/password", user.id), false, errors)
}

/// Administrators change their own password as everyone does, with the present one first: so
/// that a session left open cannot be used to take over the account.
fn own_password_instead() -> Response {
    see_other("/account/password".to_owned())
}

async fn password_page(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    if id == me.id {
        return Ok(own_password_instead());
    }
    let user = state.store.get_user(id).await?;
    Ok(render(&reset_form(page, &user, &FieldErrors::default()))?.into_response())
}

/// An administrator sets a new password for another user (who forgot theirs): by the rules of
/// every password, and every session of that user ends.
async fn set_password(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<PasswordInput>,
) -> AppResult<Response> {
    if id == me.id {
        return Ok(own_password_instead());
    }
    let user = state.store.get_user(id).await?;
    let password = match new_password(&input, &user.email) {
        Ok(password) => password,
        Err(errors) => return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &reset_form(page, &user, &errors)),
    };
    let hash = password::hash(password).await?;
    state.store.set_password(id, &hash).await?;
    let detail = "password set by an administrator";
    audit::record(state.store.as_ref(), &me, AuditAction::ChangeUser, (AuditSubject::User, id), detail).await?;
    tracing::info!(user_id = id, "password set by an administrator");
    Ok(see_other(format!("/admin/users?{}", Notice::Updated.query())))
}
