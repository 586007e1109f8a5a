//! Recording a hiring decision: the form for the profile's hiring manager, and the one place
//! (shared with the API) that checks and stores a decision.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};

use super::form::{Control, FieldBuilder, Fieldset, FormPage, shown};
use super::{Notice, Page, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::decision::{Decision, DecisionInput, REASON_MAX, Verdict};
use crate::domain::input::FieldErrors;
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::http::ResourceId;
use crate::service::audit;
use crate::store::{ApplicationOverview, NewDecision};

pub fn routes() -> Routes {
    Routes::default().get("/applications/{id}/decision", Access::Requires(Permission::Decide), form).post(
        "/applications/{id}/decision",
        Access::Requires(Permission::Decide),
        record,
    )
}

/// The application, if `user` is the hiring manager of its profile.
async fn decidable(state: &AppState, user: &User, id: i64) -> AppResult<ApplicationOverview> {
    let application = state.store.get_application(id).await?;
    if !user.decides_for(application.hiring_manager_id) {
        return Err(AppError::Forbidden);
    }
    Ok(application)
}

/// Checks and records a decision; the application moves to the stage it leads to.
pub async fn decide(
    state: &AppState,
    user: &User,
    application: &ApplicationOverview,
    input: &DecisionInput,
) -> AppResult<Result<Decision, FieldErrors>> {
    let from = application.application.stage;
    let (verdict, reason, to) = match input.parse(from) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Err(errors)),
    };
    let new =
        NewDecision { application_id: application.application.id, verdict, reason: &reason, from, to, by: user.id };
    let decision = state.store.record_decision(new).await?;
    let subject = (AuditSubject::Application, decision.application_id);
    audit::record(state.store.as_ref(), user, AuditAction::RecordDecision, subject, verdict.as_str()).await?;
    tracing::info!(
        application_id = decision.application_id,
        verdict = verdict.as_str(),
        by = user.id,
        "decision recorded"
    );
    Ok(Ok(decision))
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
    let heading = i18n.t1("decision-heading", "name", &application.candidate_name);
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
    let application = decidable(&state, &user, id).await?;
    render(&decision_form(page, &application, &DecisionInput::default(), &FieldErrors::default()))
}

async fn record(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<DecisionInput>,
) -> AppResult<Response> {
    let application = decidable(&state, &user, id).await?;
    match decide(&state, &user, &application, &input).await {
        Ok(Ok(_)) => {
            let profile = application.application.profile_id;
            Ok(see_other(format!("/profiles/{profile}/comparison?{}", Notice::Decided.query())))
        }
        Ok(Err(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &decision_form(page, &application, &input, &errors))
        }
        Err(AppError::Conflict { .. }) => {
            // Someone moved the application since the form was opened: show where it stands now.
            let current = state.store.get_application(id).await?;
            let mut form = decision_form(page, &current, &input, &FieldErrors::default());
            form.conflict = true;
            render_with_status(StatusCode::CONFLICT, &form)
        }
        Err(other) => Err(other),
    }
}
