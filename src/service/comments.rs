//! Comments on a candidate: who reads and writes them, the independence rule that keeps an
//! interviewer's judgement their own until their scorecard is in, and telling the colleagues
//! a comment mentions.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::Assignment;
use crate::domain::comment::{Colleague, Comment, CommentInput};
use crate::domain::scorecard::{Scorecard, opens_others};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::service::{audit, candidates, notifications};
use crate::store::{ApplicationOverview, ApplicationsOf, NewComment, ScorecardsOf};

/// The fragment that names the comments on a page.
pub const SECTION: &str = "#comments";

/// How one user reads a candidate's comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every comment, on the candidate's page: recruiters, administrators, and the hiring
    /// manager of a profile the candidate applied to.
    Everything,
    /// An interviewer of the candidate, on the guide of their interview `assignment_id`: their
    /// own comments, and the others' once each of their scorecards for the candidate is in.
    Interviewer { assignment_id: i64, others_open: bool },
}

impl Reading {
    pub fn reads_others(self) -> bool {
        match self {
            Reading::Everything => true,
            Reading::Interviewer { others_open, .. } => others_open,
        }
    }

    /// The page on which this reader reads the comments on candidate `candidate_id` (under
    /// [`SECTION`] on it).
    pub fn page(self, candidate_id: i64) -> String {
        match self {
            Reading::Everything => format!("/candidates/{candidate_id}"),
            Reading::Interviewer { assignment_id, .. } => format!("/interviews/{assignment_id}"),
        }
    }
}

/// What decides who reads a candidate's comments, read once for all colleagues: their
/// applications, the interviews planned for them and the scorecards written.
struct Audience {
    applications: Vec<ApplicationOverview>,
    assignments: Vec<Assignment>,
    cards: Vec<Scorecard>,
}

impl Audience {
    async fn of(state: &AppState, candidate_id: i64) -> AppResult<Self> {
        let applications = state.store.list_applications(ApplicationsOf::Candidate(candidate_id)).await?;
        let (mut assignments, mut cards) = (Vec::new(), Vec::new());
        for application in &applications {
            let id = application.application.id;
            assignments.extend(state.store.list_assignments(id).await?);
            cards.extend(state.store.list_scorecards(ScorecardsOf::Application(id)).await?);
        }
        Ok(Self { applications, assignments, cards })
    }

    /// How `user` reads the comments, or `None` when they may not.
    fn reading(&self, user: &User) -> Option<Reading> {
        let owns_an_application = || self.applications.iter().any(|a| a.hiring_manager_id == Some(user.id));
        if user.role.grants(Permission::ManageCandidates)
            || (user.role.grants(Permission::ViewCandidates) && owns_an_application())
        {
            return Some(Reading::Everything);
        }
        let own: Vec<&Assignment> = self.assignments.iter().filter(|a| a.interviewer_id == user.id).collect();
        let others_open = own.iter().all(|a| opens_others(self.cards.iter().filter(|c| c.assignment_id == a.id)));
        own.first().map(|first| Reading::Interviewer { assignment_id: first.id, others_open })
    }
}

/// A candidate's comments as one reader sees them.
pub struct CommentsView {
    pub reading: Reading,
    /// Oldest first.
    pub comments: Vec<Comment>,
    /// The active colleagues, other than the reader, who may read every comment now: whom a
    /// comment can mention.
    pub mentionable: Vec<User>,
    /// Whether a comment can still be added: not once the candidate's data is erased.
    pub open: bool,
}

/// The comments on candidate `id` that `user` may read: 404 without the candidate, 403 for a
/// user with no reading of them.
pub async fn readable(state: &AppState, user: &User, id: i64) -> AppResult<CommentsView> {
    let candidate = state.store.get_candidate(id).await?;
    let audience = Audience::of(state, id).await?;
    let reading = audience.reading(user).ok_or(AppError::Forbidden)?;
    let mut comments = state.store.list_comments(id).await?;
    if !reading.reads_others() {
        comments.retain(|comment| comment.author_id == user.id);
    }
    let mentionable = state
        .store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| u.active && u.id != user.id && audience.reading(u).is_some_and(Reading::reads_others))
        .collect();
    Ok(CommentsView { reading, comments, mentionable, open: candidate.erased_at.is_none() })
}

/// How `user` reads candidate `id`'s comments (where their form sends them back to), or 404
/// / 403 as [`readable`].
pub async fn reading_of(state: &AppState, user: &User, id: i64) -> AppResult<Reading> {
    state.store.get_candidate(id).await?;
    Audience::of(state, id).await?.reading(user).ok_or(AppError::Forbidden)
}

/// Writes `user`'s comment on candidate `id`, on the audit trail, and tells each colleague it
/// mentions. 404 without the candidate, 409 once their data is erased, 403 for a user who may
/// not read their comments, [`AppError::Invalid`] naming what is wrong with the text.
pub async fn add(state: &AppState, user: &User, id: i64, input: &CommentInput) -> AppResult<Comment> {
    let candidate = candidates::changeable(state, id).await?;
    let audience = Audience::of(state, id).await?;
    audience.reading(user).ok_or(AppError::Forbidden)?;
    let users: Vec<User> = state.store.list_users().await?.into_iter().filter(|u| u.active).collect();
    let colleagues: Vec<Colleague<'_>> = users
        .iter()
        .map(|u| Colleague {
            id: u.id,
            name: &u.name,
            email: &u.email,
            may_read: audience.reading(u).is_some_and(Reading::reads_others),
        })
        .collect();
    let (body, mentions) = input.parse(&colleagues).map_err(AppError::Invalid)?;
    let written = audit::entry(
        user,
        AuditAction::Comment,
        (AuditSubject::Candidate, id),
        AuditDetail::Commented { mentions: mentions.len() },
    );
    let new = NewComment { candidate_id: id, author_id: user.id, body: &body, mentions: &mentions };
    let comment = state.store.add_comment(new, &written).await?;
    for mentioned in users.iter().filter(|u| u.id != user.id && mentions.contains(&u.id)) {
        if let Some(reading) = audience.reading(mentioned) {
            let path = format!("{}{SECTION}", reading.page(id));
            notifications::mentioned(state, mentioned.id, &user.name, &candidate.details.name, path).await;
        }
    }
    Ok(comment)
}
