//! Comments on a candidate, as the candidate's page and an interviewer's guide show them, and
//! the form that adds one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Notice, Page, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::comment::{BODY_MAX, Comment, CommentInput};
use crate::domain::input::FieldErrors;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::http::{HtmlForm, ResourceId};
use crate::i18n::I18n;
use crate::service::comments::{self, CommentsPage, SECTION};

pub fn routes() -> Routes {
    // Who may comment is the service's to say: interviewers of the candidate may too.
    Routes::default().post("/candidates/{id}/comments", Access::SignedIn, add)
}

/// One comment as a page shows it.
pub struct CommentLine {
    pub author: String,
    /// When, as RFC 3339 for `<time>`, and in the reader's words.
    pub at: String,
    pub when: String,
    /// What it is about, when the reader may read about more than one thing.
    pub about: Option<String>,
    pub body: String,
    /// Whom it mentions, when anyone.
    pub mentioned: Option<String>,
}

/// One choice of what to write about: the value sent, its label, and who can be mentioned.
pub struct SubjectChoice {
    /// The application's id; empty for the candidate in general.
    pub value: String,
    pub label: String,
    /// Who can be mentioned in a comment about it: "@Name, @Name", or that no one can yet.
    pub names: String,
    pub chosen: bool,
}

/// The comments section of a page: what the reader may read, and the form.
#[derive(Default)]
pub struct CommentsSection {
    pub candidate_id: i64,
    pub lines: Vec<CommentLine>,
    /// Some comments wait until this interviewer's scorecard is in.
    pub others_hidden: bool,
    /// What a comment may be about; none once the candidate's data is erased (no form).
    pub subjects: Vec<SubjectChoice>,
    pub max: usize,
    /// A refused comment as it was written, and why it was refused.
    pub body: String,
    pub error: Option<String>,
    pub subject_error: Option<String>,
}

impl CommentsSection {
    /// The comments on candidate `candidate_id` that `user` reads, in `i18n`'s words; the form
    /// is about application `preferred` when the user may write about it.
    pub async fn of(
        state: &AppState,
        user: &User,
        candidate_id: i64,
        preferred: Option<i64>,
        i18n: I18n,
    ) -> AppResult<Self> {
        let view = comments::readable(state, user, candidate_id).await?;
        let several = view.subjects.len() > 1;
        let about_of = |comment: &Comment| {
            let subject = view.subjects.iter().find(|s| s.application_id == comment.application_id);
            several.then(|| subject_label(subject.and_then(|s| s.role.as_deref()), i18n))
        };
        let preferred =
            view.subjects.iter().position(|s| preferred.is_some() && s.application_id == preferred).unwrap_or(0);
        Ok(Self {
            candidate_id,
            lines: view.comments.iter().map(|comment| line(comment, about_of(comment), i18n)).collect(),
            others_hidden: view.others_hidden,
            subjects: view
                .subjects
                .iter()
                .enumerate()
                .map(|(at, subject)| SubjectChoice {
                    value: subject.application_id.map(|id| id.to_string()).unwrap_or_default(),
                    label: subject_label(subject.role.as_deref(), i18n),
                    names: mention_names(&subject.mentionable, i18n),
                    chosen: at == preferred,
                })
                .collect(),
            max: BODY_MAX,
            ..Self::default()
        })
    }

    /// The section with a refused comment shown again as written, and why.
    fn refused(mut self, input: &CommentInput, errors: &FieldErrors, i18n: I18n) -> Self {
        let message = |field: &str| errors.get(field).map(|problem| i18n.problem(problem));
        let chosen = input.application_id.clone().unwrap_or_default();
        for subject in &mut self.subjects {
            subject.chosen = subject.value == chosen;
        }
        Self {
            body: input.body.clone().unwrap_or_default(),
            error: message("body"),
            subject_error: message("application_id"),
            ..self
        }
    }

    /// The choice the form opens with.
    pub fn chosen(&self) -> Option<&SubjectChoice> {
        self.subjects.iter().find(|s| s.chosen).or(self.subjects.first())
    }
}

fn subject_label(role: Option<&str>, i18n: I18n) -> String {
    match role {
        Some(role) => i18n.t1("comments-about-application", "role", role),
        None => i18n.t("comments-about-candidate"),
    }
}

fn mention_names(mentionable: &[User], i18n: I18n) -> String {
    let names: Vec<String> = mentionable.iter().map(|u| format!("@{}", u.name)).collect();
    if names.is_empty() { i18n.t("comments-no-one-yet") } else { names.join(", ") }
}

fn line(comment: &Comment, about: Option<String>, i18n: I18n) -> CommentLine {
    let names: Vec<&str> = comment.mentions.iter().map(|m| m.name.as_str()).collect();
    CommentLine {
        author: comment.author_name.clone(),
        at: comment.created_at.to_rfc3339(),
        when: i18n.timestamp(&comment.created_at),
        about,
        body: comment.body.clone(),
        mentioned: (!names.is_empty()).then(|| i18n.t1("comments-mentioned", "names", &names.join(", "))),
    }
}

async fn add(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<CommentInput>,
) -> AppResult<Response> {
    match comments::add(&state, &user, id, &input).await {
        Ok(_) => {
            let back = comments::page_of(&state, &user, id).await?.path();
            Ok(see_other(format!("{back}?{}{SECTION}", Notice::Commented.query())))
        }
        Err(AppError::Invalid(errors)) => refused(&state, &user, page, id, &input, &errors).await,
        Err(other) => Err(other),
    }
}

/// The page the comment was written on, with the comment shown again and why it was refused.
async fn refused(
    state: &AppState,
    user: &User,
    page: Page,
    id: i64,
    input: &CommentInput,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let i18n = page.i18n;
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    match comments::page_of(state, user, id).await? {
        CommentsPage::Interview(assignment_id) => {
            let mut shown = super::interviews::guide_page(state, user, page, assignment_id, None).await?;
            shown.comments = std::mem::take(&mut shown.comments).refused(input, errors, i18n);
            render_with_status(status, &shown)
        }
        CommentsPage::Candidate(_) => {
            let mut shown = super::candidates::candidate_page(state, user, page, id, None).await?;
            shown.comments = std::mem::take(&mut shown.comments).refused(input, errors, i18n);
            render_with_status(status, &shown)
        }
    }
}
