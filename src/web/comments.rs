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
use crate::service::comments::{self, Reading, SECTION};

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
    pub body: String,
    /// Whom it mentions, when anyone.
    pub mentioned: Option<String>,
}

/// The comments section of a page: what the reader may read, and the form.
#[derive(Default)]
pub struct CommentsSection {
    pub candidate_id: i64,
    pub lines: Vec<CommentLine>,
    /// Colleagues' comments are kept from this interviewer until their scorecard is in.
    pub others_hidden: bool,
    /// Who can be mentioned now.
    pub hint: String,
    pub max: usize,
    /// Whether the form is shown: not once the candidate's data is erased.
    pub open: bool,
    /// A refused comment as it was written, and why it was refused.
    pub body: String,
    pub error: Option<String>,
}

impl CommentsSection {
    /// The comments on candidate `candidate_id` that `user` reads, in `i18n`'s words.
    pub async fn of(state: &AppState, user: &User, candidate_id: i64, i18n: I18n) -> AppResult<Self> {
        let view = comments::readable(state, user, candidate_id).await?;
        let names: Vec<String> = view.mentionable.iter().map(|u| format!("@{}", u.name)).collect();
        let hint = if names.is_empty() {
            i18n.t("comments-hint-no-one")
        } else {
            i18n.t1("comments-hint", "names", &names.join(", "))
        };
        Ok(Self {
            candidate_id,
            lines: view.comments.iter().map(|comment| line(comment, i18n)).collect(),
            others_hidden: !view.reading.reads_others(),
            hint,
            max: BODY_MAX,
            open: view.open,
            body: String::new(),
            error: None,
        })
    }

    /// The section with a refused comment shown again as written, and why.
    fn refused(self, input: &CommentInput, errors: &FieldErrors, i18n: I18n) -> Self {
        let error = errors.iter().next().map(|e| i18n.problem(&e.problem));
        Self { body: input.body.clone().unwrap_or_default(), error, ..self }
    }
}

fn line(comment: &Comment, i18n: I18n) -> CommentLine {
    let names: Vec<&str> = comment.mentions.iter().map(|m| m.name.as_str()).collect();
    CommentLine {
        author: comment.author_name.clone(),
        at: comment.created_at.to_rfc3339(),
        when: i18n.timestamp(&comment.created_at),
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
            let back = comments::reading_of(&state, &user, id).await?.page(id);
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
    match comments::reading_of(state, user, id).await? {
        Reading::Everything => {
            let mut shown = super::candidates::candidate_page(state, user, page, id, None).await?;
            shown.comments = std::mem::take(&mut shown.comments).refused(input, errors, i18n);
            render_with_status(status, &shown)
        }
        Reading::Interviewer { assignment_id, .. } => {
            let mut shown = super::interviews::guide_page(state, user, page, assignment_id, None).await?;
            shown.comments = std::mem::take(&mut shown.comments).refused(input, errors, i18n);
            render_with_status(status, &shown)
        }
    }
}
