//! Comments on a candidate: who reads and writes which, the independence rule that keeps an
//! interviewer's judgement their own until their scorecard is in, and telling the colleagues
//! a comment mentions.
//!
//! A comment is about one of the candidate's applications, or about the candidate in general.
//! One about an application is read as its scorecards are: by recruiters and administrators,
//! the hiring manager of its profile, and its interviewers once their own scorecard for it
//! opened the others'. One in general, only by those who see every application of theirs.

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::Assignment;
use crate::domain::comment::{Colleague, Comment, CommentInput};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::scorecard::{Scorecard, opens_others};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::service::{audit, notifications};
use crate::store::{ApplicationOverview, ApplicationsOf, NewComment, ScorecardsOf};

/// The fragment that names the comments on a page.
pub const SECTION: &str = "#comments";

/// The page on which one reader reads a candidate's comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentsPage {
    /// The candidate's page (this id), for whoever sees it.
    Candidate(i64),
    /// The guide of this interview of the reader's, for an interviewer who does not.
    Interview(i64),
}

impl CommentsPage {
    pub fn path(self) -> String {
        match self {
            CommentsPage::Candidate(id) => format!("/candidates/{id}"),
            CommentsPage::Interview(id) => format!("/interviews/{id}"),
        }
    }
}

/// The most comments one candidate holds: far more than a hiring needs, few enough that the
/// list is read whole.
pub const MOST_A_CANDIDATE: usize = 1_000;

/// What decides who reads which comment on a candidate: their applications (with each
/// profile's hiring manager), the interviews planned and the scorecards written. Read once
/// for every colleague.
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

    fn has(&self, application_id: i64) -> bool {
        self.applications.iter().any(|a| a.application.id == application_id)
    }

    fn owns(user: &User, application: &ApplicationOverview) -> bool {
        user.role.grants(Permission::ViewCandidates) && application.hiring_manager_id == Some(user.id)
    }

    /// Whether `user` sees application `id` whole: recruiters and administrators every one,
    /// a hiring manager those to their own profiles.
    fn sees_application(&self, user: &User, id: i64) -> bool {
        user.role.grants(Permission::ManageCandidates)
            || self.applications.iter().any(|a| a.application.id == id && Self::owns(user, a))
    }

    /// Whether `user` sees every application of the candidate.
    fn sees_all(&self, user: &User) -> bool {
        user.role.grants(Permission::ManageCandidates)
            || (!self.applications.is_empty() && self.applications.iter().all(|a| Self::owns(user, a)))
    }

    fn interviews(&self, user: &User, application_id: i64) -> bool {
        self.assignments.iter().any(|a| a.interviewer_id == user.id && a.application_id == application_id)
    }

    /// Whether `user`'s own scorecard for application `id` opened the others' to them.
    fn opened(&self, user: &User, id: i64) -> bool {
        opens_others(self.cards.iter().filter(|c| c.application_id == id && c.interviewer_id == user.id))
    }

    /// Whether `user` sees what is `about` (an application, or the candidate in general) as
    /// its owner does, not as one of its interviewers.
    fn sees(&self, user: &User, about: Option<i64>) -> bool {
        match about {
            None => self.sees_all(user),
            Some(id) => self.sees_application(user, id),
        }
    }

    /// Whether `user` reads every comment `about` the application (or the candidate).
    fn reads(&self, user: &User, about: Option<i64>) -> bool {
        self.sees(user, about) || about.is_some_and(|id| self.interviews(user, id) && self.opened(user, id))
    }

    /// Whether `user` may write `about` it: whoever reads it, and its interviewers before
    /// their scorecard is in.
    fn writes(&self, user: &User, about: Option<i64>) -> bool {
        self.reads(user, about) || about.is_some_and(|id| self.interviews(user, id))
    }

    /// Whether `writer` may mention `colleague` in a comment `about` it: the colleague reads
    /// it. A writer who does not read it yet is not told which interviewers do (that would
    /// tell them whose scorecards are in): they may mention only those who see it whole.
    fn may_mention(&self, writer: &User, colleague: &User, about: Option<i64>) -> bool {
        if self.reads(writer, about) { self.reads(colleague, about) } else { self.sees(colleague, about) }
    }

    /// Where `user` reads the candidate's comments: the candidate's page for whoever sees it,
    /// else the guide of their first interview with the candidate; none for anyone else.
    fn page(&self, user: &User, candidate_id: i64) -> Option<CommentsPage> {
        let sees_page =
            user.role.grants(Permission::ManageCandidates) || self.applications.iter().any(|a| Self::owns(user, a));
        if sees_page {
            return Some(CommentsPage::Candidate(candidate_id));
        }
        self.assignments.iter().find(|a| a.interviewer_id == user.id).map(|a| CommentsPage::Interview(a.id))
    }
}

/// One thing a reader may write a comment about, and whom such a comment can mention.
pub struct Subject {
    /// The application; none for the candidate in general.
    pub application_id: Option<i64>,
    /// "Title – company" of the application's profile.
    pub role: Option<String>,
    pub mentionable: Vec<User>,
}

/// A candidate's comments as one reader sees them.
pub struct CommentsView {
    /// The page on which the reader reads them.
    pub page: CommentsPage,
    /// Those the reader may read, oldest first.
    pub comments: Vec<Comment>,
    /// Some are kept from the reader until their scorecard is in.
    pub others_hidden: bool,
    /// What the reader may write about; none once the candidate's data is erased.
    pub subjects: Vec<Subject>,
}

/// The comments on candidate `id` that `user` may read: 404 without the candidate, 403 for
/// one who neither sees the candidate nor interviews them.
pub async fn readable(state: &AppState, user: &User, id: i64) -> AppResult<CommentsView> {
    let candidate = state.store.get_candidate(id).await?;
    let audience = Audience::of(state, id).await?;
    let page = audience.page(user, id).ok_or(AppError::Forbidden)?;
    let mut comments = state.store.list_comments(id).await?;
    comments.retain(|c| c.author_id == user.id || audience.reads(user, c.application_id));
    let others_hidden = audience
        .applications
        .iter()
        .any(|a| audience.interviews(user, a.application.id) && !audience.reads(user, Some(a.application.id)));
    let mut subjects = Vec::new();
    if candidate.erased_at.is_none() {
        let users: Vec<User> = state.store.list_users().await?.into_iter().filter(|u| u.active).collect();
        let abouts = audience.applications.iter().map(|a| Some(a.application.id)).chain([None]);
        for about in abouts.filter(|&about| audience.writes(user, about)) {
            let mentionable =
                users.iter().filter(|u| u.id != user.id && audience.may_mention(user, u, about)).cloned().collect();
            let role = about.and_then(|id| audience.applications.iter().find(|a| a.application.id == id));
            let role = role.map(|a| format!("{} – {}", a.profile_title, a.company_name));
            subjects.push(Subject { application_id: about, role, mentionable });
        }
    }
    Ok(CommentsView { page, comments, others_hidden, subjects })
}

/// Where `user` reads candidate `id`'s comments (and their form sends them back to), or 404 /
/// 403 as [`readable`].
pub async fn page_of(state: &AppState, user: &User, id: i64) -> AppResult<CommentsPage> {
    state.store.get_candidate(id).await?;
    Audience::of(state, id).await?.page(user, id).ok_or(AppError::Forbidden)
}

/// Writes `user`'s comment on candidate `id`, on the audit trail, and tells each colleague it
/// mentions. 404 without the candidate, 403 for one who neither sees nor interviews them, 409
/// once their data is erased, [`AppError::Invalid`] naming what is wrong with the input (what
/// it is about included: an application the writer does not see is unknown to them).
pub async fn add(state: &AppState, user: &User, id: i64, input: &CommentInput) -> AppResult<Comment> {
    let candidate = state.store.get_candidate(id).await?;
    let audience = Audience::of(state, id).await?;
    audience.page(user, id).ok_or(AppError::Forbidden)?;
    if candidate.erased_at.is_some() {
        return Err(AppError::Erased);
    }
    if state.store.list_comments(id).await?.len() >= MOST_A_CANDIDATE {
        let full = Problem::TooManyItems { max: MOST_A_CANDIDATE as u64 };
        return Err(AppError::Invalid(FieldErrors::single("body", full)));
    }
    let users: Vec<User> = state.store.list_users().await?.into_iter().filter(|u| u.active).collect();
    let colleagues_about = |about: Option<i64>| {
        match about {
            Some(id) if !audience.has(id) || !audience.writes(user, about) => {
                return Err(Problem::UnknownChoice { allowed: vec![] });
            }
            // The candidate in general is for those who see them whole: the others say which
            // application they write about.
            None if !audience.writes(user, about) => return Err(Problem::Required),
            _ => {}
        }
        let colleagues = users.iter().map(|u| Colleague {
            id: u.id,
            name: &u.name,
            email: &u.email,
            may_read: u.id == user.id || audience.may_mention(user, u, about),
        });
        Ok(colleagues.collect())
    };
    let mut text = input.parse(colleagues_about).map_err(AppError::Invalid)?;
    // Naming oneself tells no one.
    text.mentions.retain(|&mentioned| mentioned != user.id);
    let written = audit::entry(
        user,
        AuditAction::Comment,
        (AuditSubject::Candidate, id),
        AuditDetail::Commented { mentions: text.mentions.len() },
    );
    let new = NewComment {
        candidate_id: id,
        application_id: text.application_id,
        author_id: user.id,
        body: &text.body,
        mentions: &text.mentions,
    };
    let comment = state.store.add_comment(new, &written).await?;
    for mentioned in users.iter().filter(|u| text.mentions.contains(&u.id)) {
        if let Some(page) = audience.page(mentioned, id) {
            let path = format!("{}{SECTION}", page.path());
            notifications::mentioned(state, mentioned.id, &user.name, &candidate.details.name, path).await;
        }
    }
    Ok(comment)
}
