//! Recording a hiring decision: the form for the profile's hiring manager. The decision itself
//! is checked and stored by [`crate::service::decisions`], which the API shares.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};

use super::form::{Control, FieldBuilder, Fieldset, FormPage, shown};
use super::{Notice, Page, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::decision::{DecisionInput, REASON_MAX, Verdict};
use crate::domain::input::FieldErrors;
use crate::domain::user::Permission;
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::http::ResourceId;
use crate::service::decisions;
use crate::store::ApplicationOverview;

pub fn routes() -> Routes {
    Routes::default().get("/applications/{id}/decision", Access::Requires(Permission::Decide), form).post(
        "/applications/{id}/decision",
        Access::Requires(Permission::Decide),
        record,
    )
}

fn decision_form(
    page: Page,
    application: &ApplicationOverview,
    input: &DecisionInput,
    errors: &FieldErrors,
) -> FormPage {
    let i18n = page.i18n;
    let b = FieldBuilder { i18n, errors };
    let id = application.application.id;
    let fields = vec![
        b.select::<Verdict>("verdict", true, &input.verdict),
        b.field("reason", true, Control::TextArea { value: shown(&input.reason), max: REASON_MAX as u64 }),
    ];
    let heading = i18n.t1("decision-heading", "name", &i18n.personal(&application.candidate_name));
    let cancel = format!("/profiles/{}/comparison", application.application.profile_id);
    let legend = format!("{} – {}", application.profile_title, application.company_name);
    let mut form =
        FormPage::new(page, heading, format!("/applications/{id}/decision"), cancel, vec![Fieldset { legend, fields }]);
    form.intro = Some(i18n.t1("decision-intro", "stage", &i18n.t(&application.application.stage.label_key())));
    form.submit_label = i18n.t("decision-record");
    form
}

async fn form(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let application = decisions::decidable(&state, &user, id).await?;
    render(&decision_form(page, &application, &DecisionInput::default(), &FieldErrors::default()))
}

async fn record(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<DecisionInput>,
) -> AppResult<Response> {
    let application = decisions::decidable(&state, &user, id).await?;
    match decisions::decide(&state, &user, &application, &input).await {
        Ok(_) => {
            let profile = application.application.profile_id;
            Ok(see_other(format!("/profiles/{profile}/comparison?{}", Notice::Decided.query())))
        }
        Err(AppError::Invalid(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &decision_form(page, &application, &input, &errors))
        }
        Err(AppError::Conflict { .. }) => {
            // Someone moved the application since the form was opened: show where it stands now.
            let current = decisions::decidable(&state, &user, id).await?;
            let mut form = decision_form(page, &current, &input, &FieldErrors::default());
            form.conflict = true;
            render_with_status(StatusCode::CONFLICT, &form)
        }
        Err(other) => Err(other),
    }
}
