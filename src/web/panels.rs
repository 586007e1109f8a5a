//! Interview plans set once: a role profile's default panel on the profile page, and the
//! times of an application's interviews on the candidate page.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::form::{Field, FieldBuilder, FieldMessages};
use super::{Notice, Page, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::candidate::{Assignment, AssignmentInput};
use crate::domain::input::FieldErrors;
use crate::domain::interview::{InterviewSlot, PanelMember, ScheduleInput};
use crate::domain::user::Permission;
use crate::error::{AppError, AppResult};
use crate::http::path::PanelMemberPath;
use crate::http::{HtmlForm, ResourceId};
use crate::i18n::I18n;
use crate::service::{candidates, panels};
use crate::web::comparison::competency_name;

pub fn routes() -> Routes {
    let manage_profiles = Access::Requires(Permission::ManageProfiles);
    let manage_candidates = Access::Requires(Permission::ManageCandidates);
    Routes::default()
        .post("/profiles/{id}/panel", manage_profiles, add_member)
        .post("/profiles/{id}/panel/apply", manage_profiles, apply_to_open_applications)
        .post("/profiles/{id}/panel/{interviewer}/remove", manage_profiles, remove_member)
        .post("/applications/{id}/schedule", manage_candidates, schedule)
        .post("/applications/{id}/schedule/clear", manage_candidates, clear_schedule)
}

/// What an interview plan's forms offer: the active users and the rubric's competencies.
pub struct PlanChoices {
    /// As (id, name).
    pub interviewers: Vec<(i64, String)>,
    /// As (id, name in the reader's language).
    pub competencies: Vec<(String, String)>,
}

pub async fn plan_choices(state: &AppState, i18n: I18n) -> AppResult<PlanChoices> {
    let users = state.store.list_users().await?;
    let language = i18n.lang.content();
    Ok(PlanChoices {
        interviewers: users.into_iter().filter(|u| u.active).map(|u| (u.id, u.name)).collect(),
        competencies: state
            .rubric
            .competencies
            .iter()
            .map(|c| (c.id.clone(), c.name.get(language).to_owned()))
            .collect(),
    })
}

/// The competencies' names, joined: what an interviewer covers.
pub fn covered(state: &AppState, competencies: &[String], i18n: I18n) -> String {
    competencies.iter().map(|id| competency_name(state, id, i18n)).collect::<Vec<_>>().join(", ")
}

/// "3 December 2026, 10:00–11:00 · Room 2 · video" in the reader's language.
pub fn slot_line(slot: &InterviewSlot, i18n: I18n) -> String {
    let mut parts = vec![i18n.local_period(&slot.starts_at, &slot.ends_at())];
    parts.extend(slot.place.clone());
    parts.join(" · ")
}

/// The default panel on the profile page: its members and the form that adds one.
pub struct PanelSection {
    pub members: Vec<PanelLine>,
    /// The form's interviewer and competencies, with what was typed and each error beside it.
    pub fields: Vec<Field>,
    /// Whether the form was refused, so the page shows it open.
    pub refused: bool,
}

pub struct PanelLine {
    pub interviewer_id: i64,
    pub name: String,
    pub covers: String,
    /// Deactivated since: new applications skip them.
    pub inactive: bool,
}

/// The panel section of profile `profile_id`; `refused` is a refused form and why.
pub async fn panel_section(
    state: &AppState,
    members: Vec<PanelMember>,
    refused: Option<(&AssignmentInput, &FieldErrors)>,
    i18n: I18n,
) -> AppResult<PanelSection> {
    let choices = plan_choices(state, i18n).await?;
    let no_errors = FieldErrors::default();
    let (typed, errors) = refused.map_or((AssignmentInput::default(), &no_errors), |(i, e)| (i.clone(), e));
    let fields = FieldBuilder { i18n, errors };
    let interviewers = choices.interviewers.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
    Ok(PanelSection {
        members: members
            .into_iter()
            .map(|m| PanelLine {
                covers: covered(state, &m.competencies, i18n),
                interviewer_id: m.interviewer_id,
                name: m.interviewer_name,
                inactive: !m.active,
            })
            .collect(),
        fields: vec![
            fields.select_among("interviewer_id", true, interviewers, &typed.interviewer_id),
            fields.checkboxes_among("competencies", choices.competencies, &typed.competencies),
        ],
        refused: refused.is_some(),
    })
}

async fn add_member(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<AssignmentInput>,
) -> AppResult<Response> {
    match panels::set_member(&state, &user, id, &input).await {
        Ok(_) => Ok(see_other(format!("/profiles/{id}?{}#panel-heading", Notice::Updated.query()))),
        Err(AppError::Invalid(errors)) => {
            let page = super::profiles::page_with_refused_panel(&state, &user, page, id, (&input, &errors)).await?;
            super::render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other),
    }
}

async fn remove_member(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    path: PanelMemberPath,
) -> AppResult<Response> {
    panels::remove_member(&state, &user, path.profile_id, path.interviewer_id).await?;
    Ok(see_other(format!("/profiles/{}?{}#panel-heading", path.profile_id, Notice::Updated.query())))
}

async fn apply_to_open_applications(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    panels::apply_to_open_applications(&state, &user, id).await?;
    Ok(see_other(format!("/profiles/{id}?{}#panel-heading", Notice::Updated.query())))
}

/// An application's schedule form, with what was typed and the errors beside their fields.
pub struct ScheduleForm {
    pub starts_at: String,
    pub duration_minutes: String,
    pub place: String,
    pub video_link: String,
    /// The planned interviewers as (id, name, ticked).
    pub interviewers: Vec<(i64, String, bool)>,
    pub errors: FieldMessages,
    /// Whether any of the interviews has a time, which the form can clear.
    pub scheduled: bool,
}

impl ScheduleForm {
    /// The form for `plan`: the time it has (its first interviewer's), everybody ticked.
    pub fn of(plan: &[Assignment]) -> Self {
        let slot = plan.iter().find_map(|a| a.slot.as_ref());
        ScheduleForm {
            starts_at: slot.map(|s| s.starts_at.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default(),
            duration_minutes: slot.map_or(60, |s| s.duration_minutes).to_string(),
            place: slot.and_then(|s| s.place.clone()).unwrap_or_default(),
            video_link: slot.and_then(|s| s.video_link.clone()).unwrap_or_default(),
            interviewers: plan.iter().map(|a| (a.interviewer_id, a.interviewer_name.clone(), true)).collect(),
            errors: FieldMessages::default(),
            scheduled: slot.is_some(),
        }
    }

    /// Its inputs as (name, type, value), in the order shown.
    pub fn inputs(&self) -> [(&'static str, &'static str, &str); 4] {
        [
            ("starts_at", "datetime-local", &self.starts_at),
            ("duration_minutes", "number", &self.duration_minutes),
            ("place", "text", &self.place),
            ("video_link", "url", &self.video_link),
        ]
    }

    /// The form as it was sent and refused.
    pub fn refused(plan: &[Assignment], input: &ScheduleInput, errors: &FieldErrors, i18n: I18n) -> Self {
        let typed = |value: &Option<String>| value.clone().unwrap_or_default();
        let ticked = |id: i64| input.interviewer_ids.is_empty() || input.interviewer_ids.contains(&id.to_string());
        ScheduleForm {
            starts_at: typed(&input.starts_at),
            duration_minutes: typed(&input.duration_minutes),
            place: typed(&input.place),
            video_link: typed(&input.video_link),
            interviewers: plan
                .iter()
                .map(|a| (a.interviewer_id, a.interviewer_name.clone(), ticked(a.interviewer_id)))
                .collect(),
            errors: FieldMessages::new(errors, i18n),
            scheduled: plan.iter().any(|a| a.slot.is_some()),
        }
    }
}

async fn schedule(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<ScheduleInput>,
) -> AppResult<Response> {
    let application = candidates::application_seen_by(&state, &user, id).await?;
    let candidate = application.application.candidate_id;
    match panels::schedule(&state, &user, id, &input).await {
        Ok(_) => Ok(see_other(format!("/candidates/{candidate}?{}#application-{id}", Notice::Updated.query()))),
        Err(AppError::Invalid(errors)) => {
            let refused = super::candidates::Refused::Schedule { application_id: id, input: &input, errors: &errors };
            let page = super::candidates::candidate_page(&state, &user, page, candidate, Some(refused)).await?;
            super::render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other),
    }
}

async fn clear_schedule(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let application = candidates::application_seen_by(&state, &user, id).await?;
    panels::clear_schedule(&state, &user, id).await?;
    let candidate = application.application.candidate_id;
    Ok(see_other(format!("/candidates/{candidate}?{}#application-{id}", Notice::Updated.query())))
}
