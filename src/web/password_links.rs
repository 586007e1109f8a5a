//! Setting a password with a link sent by mail: asking for one ("Forgot your password?"), and
//! the page a link opens, where a user who forgot theirs, or a new colleague, chooses one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::account::{PasswordInput, password_form};
use super::form::{Control, FieldBuilder, Fieldset, FormPage, shown};
use super::{Notice, Page, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::routes::{Access, Routes};
use crate::domain::input::{FieldErrors, lenient_text};
use crate::domain::user::LinkPurpose;
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::service::password_links;

pub fn routes() -> Routes {
    Routes::default()
        .get("/password/forgot", Access::Public, forgot_form)
        .post("/password/forgot", Access::Public, forgot)
        .get("/password/{secret}", Access::Public, link_form)
        .post("/password/{secret}", Access::Public, set_with_link)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ForgotInput {
    #[serde(deserialize_with = "lenient_text")]
    email: Option<String>,
}

/// The form that asks for a link; `gone` says first that the link just opened no longer works.
fn forgot_page(page: Page, email: &Option<String>, errors: &FieldErrors, gone: bool) -> FormPage {
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let mut email = b.field("email", true, Control::Email { value: shown(email) });
    email.hint = Some(i18n.t("password-forgot-email-hint"));
    let mut form = FormPage::new(
        page,
        i18n.t("password-forgot-heading"),
        "/password/forgot".into(),
        "/login".into(),
        vec![Fieldset { legend: i18n.t("password-forgot-legend"), fields: vec![email] }],
    );
    form.intro = Some(i18n.t(if gone { "password-link-gone" } else { "password-forgot-intro" }));
    form.submit_label = i18n.t("password-forgot-send");
    form
}

async fn forgot_form(State(state): State<AppState>, page: Page) -> AppResult<Html<String>> {
    sends_mail(&state)?;
    render(&forgot_page(page, &None, &FieldErrors::default(), false))
}

/// Sends a link when the address is an active user's, and says the same either way.
async fn forgot(
    State(state): State<AppState>,
    page: Page,
    client: ClientAddress,
    HtmlForm(input): HtmlForm<ForgotInput>,
) -> AppResult<Response> {
    sends_mail(&state)?;
    let email = input.email.clone().unwrap_or_default();
    match password_links::forgot(&state, client, &email, page.i18n.lang.content()).await {
        Ok(()) => Ok(see_other(format!("/login?{}", Notice::LinkSent.query()))),
        Err(AppError::Invalid(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &forgot_page(page, &input.email, &errors, false))
        }
        Err(other) => Err(other),
    }
}

/// Without a mail server no link could arrive: the pages are not offered.
fn sends_mail(state: &AppState) -> AppResult<()> {
    if state.sends_mail { Ok(()) } else { Err(AppError::NotFound) }
}

fn link_page(page: Page, secret: &str, invitation: bool, errors: &FieldErrors) -> FormPage {
    let i18n = page.i18n;
    let heading = i18n.t(if invitation { "password-link-invitation-heading" } else { "password-link-reset-heading" });
    let mut form = password_form(page, heading, format!("/password/{secret}"), false, errors);
    form.cancel_href = Some("/login".into());
    form
}

/// The link no longer works: the page to ask for a new one, saying so (410).
fn gone(page: Page) -> AppResult<Response> {
    render_with_status(StatusCode::GONE, &forgot_page(page, &None, &FieldErrors::default(), true))
}

async fn link_form(State(state): State<AppState>, page: Page, Path(secret): Path<String>) -> AppResult<Response> {
    match password_links::user_of_link(&state, &secret).await? {
        Some((_, purpose)) => {
            let invitation = purpose == LinkPurpose::Invitation;
            Ok(render(&link_page(page, &secret, invitation, &FieldErrors::default()))?.into_response())
        }
        None => gone(page),
    }
}

async fn set_with_link(
    State(state): State<AppState>,
    page: Page,
    Path(secret): Path<String>,
    HtmlForm(input): HtmlForm<PasswordInput>,
) -> AppResult<Response> {
    let password = input.password.clone().unwrap_or_default();
    match password_links::set_password(&state, &secret, password).await {
        Ok(Some(_)) => Ok(see_other(format!("/login?{}", Notice::PasswordSet.query()))),
        Ok(None) => gone(page),
        Err(AppError::Invalid(errors)) => {
            let invitation =
                matches!(password_links::user_of_link(&state, &secret).await?, Some((_, LinkPurpose::Invitation)));
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &link_page(page, &secret, invitation, &errors))
        }
        Err(other) => Err(other),
    }
}
