//! User administration: list, add, change a role, deactivate, reactivate.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::account::{PasswordInput, password_form};
use super::form::{Control, FieldBuilder, Fieldset, FormPage, shown};
use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::input::FieldErrors;
use crate::domain::user::{Permission, Role, RoleInput, User, UserInput};
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::http::ResourceId;
use crate::service::{password_links, users};

pub fn routes() -> Routes {
    let admin = Access::Requires(Permission::ManageUsers);
    Routes::default()
        .get("/admin/users", admin, list)
        .get("/admin/users/new", admin, new_form)
        .post("/admin/users", admin, create)
        .post("/admin/users/{id}/role", admin, change_role)
        .post("/admin/users/{id}/deactivate", admin, deactivate)
        .post("/admin/users/{id}/reactivate", admin, reactivate)
        .post("/admin/users/{id}/invitation", admin, invite_again)
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
    /// Whether amfit sends mail, and so invitations.
    sends_mail: bool,
}

async fn users_page(state: &AppState, page: Page, me: &User, refusal: Option<String>) -> AppResult<UsersPage> {
    let i18n = page.i18n;
    let users = users::list(state)
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
    Ok(UsersPage { page, users, refusal, sends_mail: state.sends_mail })
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&users_page(&state, page.with_notice(notice), &me, None).await?)
}

/// The form that adds a colleague: who sets their password an invitation by mail when amfit
/// sends mail (`invite`), else the administrator.
fn user_form(page: Page, input: &UserInput, errors: &FieldErrors, invite: bool) -> FormPage {
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let mut fields = vec![
        b.field("name", true, Control::Text { value: shown(&input.name), max: 200 }),
        b.field("email", true, Control::Email { value: shown(&input.email) }),
        b.select::<Role>("role", true, &input.role),
    ];
    if !invite {
        fields.push(b.field("password", true, Control::Password { autocomplete: "new-password" }));
    }
    let mut form = FormPage::new(
        page,
        i18n.t("users-new"),
        "/admin/users".into(),
        "/admin/users".into(),
        vec![Fieldset { legend: i18n.t("users-legend"), fields }],
    );
    form.intro = Some(i18n.t(if invite { "users-new-intro-invite" } else { "users-new-intro" }));
    if invite {
        form.submit_label = i18n.t("users-invite");
    }
    form
}

async fn new_form(State(state): State<AppState>, page: Page) -> AppResult<Html<String>> {
    render(&user_form(page, &UserInput::default(), &FieldErrors::default(), state.sends_mail))
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    HtmlForm(input): HtmlForm<UserInput>,
) -> AppResult<Response> {
    let invite = state.sends_mail;
    let added = if invite {
        password_links::invite(&state, &me, &input, page.i18n.lang.content()).await.map(|_| Notice::InvitationSent)
    } else {
        users::add(state.store.as_ref(), (&me).into(), &input).await.map(|_| Notice::Created)
    };
    match added {
        Ok(notice) => Ok(see_other(format!("/admin/users?{}", notice.query()))),
        Err(AppError::Invalid(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &user_form(page, &input, &errors, invite))
        }
        Err(other) => Err(other),
    }
}

/// Sends user `id` a new invitation to choose their password: the first expired or went astray.
async fn invite_again(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    if !state.sends_mail {
        return Err(AppError::NotFound);
    }
    password_links::invite_again(&state, &me, id, page.i18n.lang.content()).await?;
    Ok(see_other(format!("/admin/users?{}", Notice::InvitationSent.query())))
}

/// After a change: the list again, or with why the change was refused.
async fn after_change(state: &AppState, page: Page, me: &User, outcome: AppResult<()>) -> AppResult<Response> {
    match outcome {
        Ok(()) => Ok(see_other(format!("/admin/users?{}", Notice::Updated.query()))),
        Err(AppError::Invalid(errors)) => {
            let refusal = errors.iter().next().map(|e| page.i18n.problem(&e.problem));
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &users_page(state, page, me, refusal).await?)
        }
        Err(other) => Err(other),
    }
}

async fn change_role(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<RoleInput>,
) -> AppResult<Response> {
    users::get(&state, id).await?;
    let role = input.parse().map_err(AppError::Invalid)?;
    let outcome = users::change_role(&state, &me, id, role).await;
    after_change(&state, page, &me, outcome).await
}

async fn deactivate(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let outcome = users::set_active(&state, &me, id, false).await;
    after_change(&state, page, &me, outcome).await
}

async fn reactivate(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let outcome = users::set_active(&state, &me, id, true).await;
    after_change(&state, page, &me, outcome).await
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
    let user = users::get(&state, id).await?;
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
    let user = users::get(&state, id).await?;
    let password = input.password.clone().unwrap_or_default();
    match users::reset_password(&state, &me, id, password).await {
        Ok(_) => {}
        Err(AppError::Invalid(errors)) => {
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &reset_form(page, &user, &errors));
        }
        Err(other) => return Err(other),
    }
    Ok(see_other(format!("/admin/users?{}", Notice::Updated.query())))
}
