//! Publishing a saved ad version from the editor: its public address and days, the wording
//! check's legal findings confirmed first, and taking it off again.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::form::{Control, FieldBuilder, Fieldset, FormPage, shown};
use super::{Notice, Page, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::ad::Unfinished;
use crate::domain::input::FieldErrors;
use crate::domain::publication::{PublicationInput, SLUG_MAX};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::http::path::AdVersionPath;
use crate::service::{ads, publications};

pub fn routes() -> Routes {
    let manage = Access::Requires(Permission::ManageProfiles);
    Routes::default()
        .get("/profiles/{id}/ads/{version}/publish", manage, form)
        .post("/profiles/{id}/ads/{version}/publish", manage, publish)
        .post("/profiles/{id}/ads/{version}/unpublish", manage, unpublish)
}

/// The publishing form of a version: what it holds now (or was sent), and why it was refused.
async fn publication_form(
    state: &AppState,
    user: &User,
    page: Page,
    AdVersionPath { profile_id, number }: &AdVersionPath,
    input: &PublicationInput,
    errors: &FieldErrors,
) -> AppResult<FormPage> {
    let (profile, version, _) = ads::two_versions(state, user, *profile_id, (*number, *number)).await?;
    let i18n = page.i18n;
    let unfinished = Unfinished::of(&version.text, &state.wording.check(&version.text, version.language));
    let b = FieldBuilder { i18n, errors };
    let mut fields = vec![
        b.field("slug", false, Control::Text { value: shown(&input.slug), max: SLUG_MAX as u64 }),
        b.field("from", false, Control::Date { value: shown(&input.from) }),
        b.field("until", profile.details.application_deadline.is_none(), Control::Date { value: shown(&input.until) }),
    ];
    if !unfinished.is_nothing() {
        fields.push(b.checkbox("confirm", &input.confirm));
    }
    let heading = i18n.tn("publish-heading", &[("number", &number.to_string()), ("title", &profile.details.title)]);
    let back = format!("/profiles/{profile_id}/ad?version={number}");
    let action = format!("/profiles/{profile_id}/ads/{number}/publish");
    let legend = i18n.t("publish-legend");
    let mut form = FormPage::new(page, heading, action, back, vec![Fieldset { legend, fields }]);
    form.intro = Some(if unfinished.is_nothing() {
        i18n.t("publish-intro")
    } else {
        let counts = [("flags", unfinished.flags.to_string()), ("placeholders", unfinished.placeholders.to_string())];
        i18n.tn("publish-intro-findings", &counts.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
    });
    form.submit_label = i18n.t("publish-action");
    Ok(form)
}

async fn form(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    path: AdVersionPath,
) -> AppResult<Response> {
    let (input, errors) = (PublicationInput::default(), FieldErrors::default());
    let form = publication_form(&state, &user, page, &path, &input, &errors).await?;
    Ok(render(&form)?.into_response())
}

async fn publish(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    path: AdVersionPath,
    HtmlForm(input): HtmlForm<PublicationInput>,
) -> AppResult<Response> {
    match publications::publish(&state, &user, path.profile_id, path.number, &input).await {
        Ok(_) => Ok(see_other(format!(
            "/profiles/{}/ad?version={}&{}",
            path.profile_id,
            path.number,
            Notice::Updated.query()
        ))),
        Err(AppError::Invalid(errors)) => {
            let form = publication_form(&state, &user, page, &path, &input, &errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
        Err(other) => Err(other),
    }
}

async fn unpublish(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    path: AdVersionPath,
) -> AppResult<Response> {
    publications::unpublish(&state, &user, path.profile_id, path.number).await?;
    Ok(see_other(format!("/profiles/{}/ad?version={}&{}", path.profile_id, path.number, Notice::Updated.query())))
}
