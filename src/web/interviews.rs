//! What an interviewer works from: their assignments, and for each the interview guide of the
//! competencies they rate (definition, anchored scale, questions).

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::{Page, ResourceId, render};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::rubric::QuestionKind;
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};

pub fn routes() -> Routes {
    Routes::default().get("/interviews/{id}", Access::SignedIn, guide)
}

/// One assignment as the interviewer's start page lists it.
pub struct AssignedInterview {
    pub id: i64,
    pub candidate: String,
    pub role: String,
    pub competencies: usize,
}

pub async fn assigned_to(state: &AppState, user: &User) -> AppResult<Vec<AssignedInterview>> {
    let assigned = state.store.list_assignments_of(user.id).await?;
    Ok(assigned
        .into_iter()
        .map(|(assignment, application)| AssignedInterview {
            id: assignment.id,
            candidate: application.candidate_name,
            role: format!("{} – {}", application.profile_title, application.company_name),
            competencies: assignment.competencies.len(),
        })
        .collect())
}

struct GuideCompetency {
    name: String,
    definition: String,
    /// (score, anchor), 1 to 5.
    anchors: Vec<(u8, String)>,
    /// (kind, question, what a strong answer shows).
    questions: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "interviews/guide.html")]
struct GuidePage {
    page: Page,
    candidate: String,
    role: String,
    competencies: Vec<GuideCompetency>,
}

async fn guide(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let assignment = state.store.get_assignment(id).await?;
    if assignment.interviewer_id != user.id && !user.role.grants(Permission::ManageCandidates) {
        return Err(AppError::Forbidden);
    }
    let application = state.store.get_application(assignment.application_id).await?;
    let i18n = page.i18n;
    let language = i18n.lang.content();
    let competencies = assignment
        .competencies
        .iter()
        .filter_map(|id| state.rubric.competency(id))
        .map(|c| GuideCompetency {
            name: c.name.get(language).to_owned(),
            definition: c.definition.get(language).to_owned(),
            anchors: (1u8..).zip(c.anchors.iter().map(|a| a.get(language).to_owned())).collect(),
            questions: c
                .questions
                .iter()
                .map(|q| {
                    let kind = match q.kind {
                        QuestionKind::Behavioural => i18n.t("guide-behavioural"),
                        QuestionKind::Situational => i18n.t("guide-situational"),
                    };
                    let text = match language {
                        crate::domain::profile::AdLanguage::En => q.en.clone(),
                        crate::domain::profile::AdLanguage::Da => q.da.clone(),
                    };
                    (kind, text, q.strong_answer.get(language).to_owned())
                })
                .collect(),
        })
        .collect();
    render(&GuidePage {
        page,
        candidate: application.candidate_name,
        role: format!("{} – {}", application.profile_title, application.company_name),
        competencies,
    })
}
