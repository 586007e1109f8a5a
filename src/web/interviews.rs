//! What an interviewer works from: their assignments, and for each the interview guide of the
//! competencies they rate (definition, anchored scale, questions).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Html;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;

use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::candidate::Assignment;
use crate::domain::input::FieldErrors;
use crate::domain::rubric::QuestionKind;
use crate::domain::scorecard::{RatingInput, Recommendation, Scorecard, ScorecardInput, ScorecardStatus};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::http::download::document_file;
use crate::http::path::InterviewDocumentPath;
use crate::http::{self, HtmlForm, ResourceId};
use crate::i18n::I18n;
use crate::service::{documents, interviews, today};
use crate::store::ApplicationOverview;
use crate::web::candidates::{DocumentLine, DocumentQuery, document_line_at};
use crate::web::comments::CommentsSection;
use crate::web::panels::slot_line;

pub fn routes() -> Routes {
    Routes::default()
        .get("/interviews/{id}", Access::SignedIn, guide)
        .post("/interviews/{id}/scorecard", Access::SignedIn, write_scorecard)
        .post("/interviews/{id}/correction", Access::SignedIn, start_correction)
        .get("/interviews/{id}/documents/{document}", Access::SignedIn, document)
}

/// One assignment as the interviewer's start page lists it.
pub struct AssignedInterview {
    pub id: i64,
    pub candidate: String,
    pub role: String,
    /// What is left to do, or that it is done: "11 competencies to rate", "Draft saved",
    /// "Submitted".
    pub status: String,
    pub done: bool,
    /// When and where, once set.
    pub when: Option<String>,
    /// Held today.
    pub today: bool,
    starts_at: Option<chrono::NaiveDateTime>,
}

impl AssignedInterview {
    fn of((assignment, application, status): (Assignment, ApplicationOverview, ScorecardStatus), i18n: I18n) -> Self {
        let status_text = match status {
            ScorecardStatus::ToDo => {
                i18n.t1("home-competency-count", "count", &assignment.competencies.len().to_string())
            }
            done_or_draft => i18n.t(&done_or_draft.label_key()),
        };
        let starts_at = assignment.slot.as_ref().map(|slot| slot.starts_at);
        Self {
            when: assignment.slot.as_ref().map(|slot| slot_line(slot, i18n)),
            today: starts_at.is_some_and(|at| at.date() == today()),
            starts_at,
            id: assignment.id,
            candidate: i18n.personal(&application.candidate_name),
            role: format!("{} – {}", application.profile_title, application.company_name),
            status: status_text,
            done: status == ScorecardStatus::Submitted,
        }
    }
}

/// The interviews assigned to `user`, as their start page lists them: those still to score
/// first, each part by time (those without one last).
pub async fn assigned_to(state: &AppState, user: &User, i18n: I18n) -> AppResult<Vec<AssignedInterview>> {
    let mut assigned: Vec<AssignedInterview> = interviews::assigned_with_status(state, user)
        .await?
        .into_iter()
        .map(|assigned| AssignedInterview::of(assigned, i18n))
        .collect();
    assigned.sort_by_key(|interview| (interview.done, interview.starts_at.is_none(), interview.starts_at));
    Ok(assigned)
}

struct GuideCompetency {
    id: String,
    name: String,
    definition: String,
    /// (score, anchor), 1 to 5.
    anchors: Vec<(u8, String)>,
    /// What to leave out of the rating.
    do_not_score: String,
    /// (kind, question, what a strong answer shows) of the questions that suit the role.
    questions: Vec<(String, String, String)>,
    /// What the current scorecard (or the refused form) holds: "1"–"5", "not_assessed" or "".
    score: String,
    evidence: String,
    error: Option<String>,
}

/// A scorecard as others (and the history) show it: interviewer, version, lines, recommendation.
pub struct ScorecardView {
    pub title: String,
    pub lines: Vec<String>,
    pub recommendation: String,
}

#[derive(Template)]
#[template(path = "interviews/guide.html")]
pub struct GuidePage {
    page: Page,
    id: i64,
    candidate: String,
    role: String,
    /// When and where the interview is, once set, and its video meeting.
    when: Option<String>,
    video_link: Option<String>,
    /// The CV and other documents sent with the application, each a click away.
    documents: Vec<DocumentLine>,
    /// The interviewer's next interview still to score, once this one is submitted.
    next: Option<AssignedInterview>,
    competencies: Vec<GuideCompetency>,
    /// The current scorecard is submitted: the form is shown read-only.
    locked: bool,
    recommendations: Vec<(&'static str, String, bool)>,
    recommendation_error: Option<String>,
    /// Refusals that belong to no field of the form (a rating of an unassigned competency).
    other_errors: Vec<String>,
    /// The rubric changed since the current scorecard was made.
    older_rubric: bool,
    earlier: Vec<ScorecardView>,
    /// Other interviewers' scorecards, once this one is submitted.
    others: Vec<ScorecardView>,
    pub comments: CommentsSection,
}

async fn guide(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&guide_page(&state, &user, page.with_notice(notice), id, None).await?)
}

/// The guide with the scorecard; `refused` shows a refused form as it was sent, with errors.
pub async fn guide_page(
    state: &AppState,
    user: &User,
    page: Page,
    id: i64,
    refused: Option<(&ScorecardInput, &FieldErrors)>,
) -> AppResult<GuidePage> {
    let guide = interviews::guide(state, user, id).await?;
    let documents = documents::sent_with(state, &guide.application).await?;
    let current = guide.current();
    let locked = current.is_some_and(|c| c.is_submitted());
    let i18n = page.i18n.in_zone(guide.application.time_zone);
    let language = i18n.lang.content();
    let error_of = |field: String| refused.and_then(|(_, errors)| errors.get(&field).map(|p| i18n.problem(p)));
    let competencies = guide
        .assignment
        .competencies
        .iter()
        .filter_map(|cid| state.rubric.competency(cid))
        .map(|c| {
            let (score, evidence) = match refused {
                Some((input, _)) => input
                    .ratings
                    .iter()
                    .find(|r| r.competency == c.id)
                    .map(|r| (r.score.clone().unwrap_or_default(), r.evidence.clone().unwrap_or_default()))
                    .unwrap_or_default(),
                None => current
                    .and_then(|card| card.ratings.iter().find(|r| r.competency == c.id))
                    .map(|r| (r.score.map_or_else(|| "not_assessed".to_owned(), |s| s.to_string()), r.evidence.clone()))
                    .unwrap_or_default(),
            };
            GuideCompetency {
                id: c.id.clone(),
                name: c.name.get(language).to_owned(),
                definition: c.definition.get(language).to_owned(),
                anchors: (1u8..).zip(c.anchors.iter().map(|a| a.get(language).to_owned())).collect(),
                do_not_score: c.do_not_score.get(language).to_owned(),
                questions: c
                    .questions
                    .iter()
                    .filter(|q| q.suits(&guide.company, &guide.profile))
                    .map(|q| {
                        let kind = match q.kind {
                            QuestionKind::Behavioural => i18n.t("guide-behavioural"),
                            QuestionKind::Situational => i18n.t("guide-situational"),
                        };
                        (kind, q.text(language).to_owned(), q.strong_answer.get(language).to_owned())
                    })
                    .collect(),
                error: error_of(format!("ratings.{}.score", c.id))
                    .or_else(|| error_of(format!("ratings.{}.evidence", c.id))),
                score,
                evidence,
            }
        })
        .collect();
    let chosen = match refused {
        Some((input, _)) => input.recommendation.clone().unwrap_or_default(),
        None => current.and_then(|c| c.recommendation).map(|r| r.as_str().to_owned()).unwrap_or_default(),
    };
    Ok(GuidePage {
        id,
        candidate: i18n.personal(&guide.application.candidate_name),
        role: format!("{} – {}", guide.application.profile_title, guide.application.company_name),
        when: guide.assignment.slot.as_ref().map(|slot| slot_line(slot, i18n)),
        video_link: guide.assignment.slot.as_ref().and_then(|slot| slot.video_link.clone()),
        documents: documents
            .iter()
            .map(|d| document_line_at(d, format!("/interviews/{id}/documents/{}", d.id), i18n))
            .collect(),
        // The interviewer's own way on; a recruiter reading someone's guide has none.
        next: if locked && guide.assignment.interviewer_id == user.id {
            next_to_score(state, user, id, i18n).await?
        } else {
            None
        },
        competencies,
        locked,
        recommendations: [Recommendation::StrongNo, Recommendation::No, Recommendation::Yes, Recommendation::StrongYes]
            .into_iter()
            .map(|r| (r.as_str(), i18n.t(&r.label_key()), r.as_str() == chosen))
            .collect(),
        recommendation_error: error_of("recommendation".to_owned()),
        other_errors: refused
            .map(|(_, errors)| {
                errors
                    .iter()
                    .filter(|e| {
                        e.field != "recommendation"
                            && !guide
                                .assignment
                                .competencies
                                .iter()
                                .any(|c| e.field.starts_with(&format!("ratings.{c}.")))
                    })
                    .map(|e| i18n.problem(&e.problem))
                    .collect()
            })
            .unwrap_or_default(),
        older_rubric: current.is_some_and(|c| c.rubric_version != state.rubric.version),
        earlier: guide.versions.iter().rev().skip(1).map(|c| view(state, c, i18n)).collect(),
        others: guide.others.iter().map(|c| view(state, c, i18n)).collect(),
        comments: CommentsSection::of(
            state,
            user,
            guide.application.application.candidate_id,
            Some(guide.application.application.id),
            i18n,
        )
        .await?,
        page,
    })
}

pub fn view(state: &AppState, card: &Scorecard, i18n: I18n) -> ScorecardView {
    let language = i18n.lang.content();
    let status = match card.submitted_at {
        Some(at) => i18n.t1("scorecard-submitted-at", "at", &i18n.timestamp(&at)),
        None => i18n.t("scorecard-draft"),
    };
    let rubric = if card.rubric_version == state.rubric.version {
        String::new()
    } else {
        format!(" · {}", i18n.t("scorecard-older-rubric-short"))
    };
    ScorecardView {
        title: format!(
            "{} · {} {} · {status}{rubric}",
            card.interviewer_name,
            i18n.t("scorecard-version"),
            card.number
        ),
        lines: card
            .ratings
            .iter()
            .map(|r| {
                let name =
                    state.rubric.competency(&r.competency).map_or(r.competency.as_str(), |c| c.name.get(language));
                let score = r.score.map_or_else(|| i18n.t("scorecard-not-assessed"), |s| s.to_string());
                format!("{name}: {score} – {}", i18n.personal(&r.evidence))
            })
            .collect(),
        recommendation: card.recommendation.map(|r| i18n.t(&r.label_key())).unwrap_or_default(),
    }
}

/// A scorecard form: `score.<competency>`, `evidence.<competency>`, `recommendation`, and
/// `action` (`draft` or `submit`).
fn scorecard_input(form: &BTreeMap<String, String>, assigned: &[String]) -> (ScorecardInput, bool) {
    // Every competency the form names, so that a rating of an unassigned one is refused, not dropped.
    let mut named: Vec<String> = form
        .keys()
        .filter_map(|key| key.strip_prefix("score.").or_else(|| key.strip_prefix("evidence.")))
        .map(str::to_owned)
        .chain(assigned.iter().cloned())
        .collect();
    named.sort();
    named.dedup();
    let ratings = named
        .into_iter()
        .map(|c| RatingInput {
            score: form.get(&format!("score.{c}")).cloned(),
            evidence: form.get(&format!("evidence.{c}")).cloned(),
            competency: c,
        })
        .collect();
    let submit = form.get("action").is_some_and(|a| a == "submit");
    (ScorecardInput { ratings, recommendation: form.get("recommendation").cloned() }, submit)
}

async fn write_scorecard(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(form): HtmlForm<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let assignment = interviews::interviewers_own(&state, &user, id).await?;
    let (input, submit) = scorecard_input(&form, &assignment.competencies);
    match interviews::write_scorecard(&state, &user, &assignment, &input, submit).await {
        Ok(_) => {}
        Err(AppError::Invalid(errors)) => {
            let page = guide_page(&state, &user, page, id, Some((&input, &errors))).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(other) => return Err(other),
    }
    if !submit {
        return Ok(see_other(format!("/interviews/{id}?{}", Notice::Updated.query())));
    }
    // On to the next interview to score, if there is one.
    let target = match next_to_score(&state, &user, id, page.i18n).await? {
        Some(next) => format!("/interviews/{}?{}", next.id, Notice::SubmittedNext.query()),
        None => format!("/interviews/{id}?{}", Notice::Submitted.query()),
    };
    Ok(see_other(target))
}

/// The first of `user`'s interviews still to score (of applications still open), other than
/// `id`: the one held soonest.
async fn next_to_score(state: &AppState, user: &User, id: i64, i18n: I18n) -> AppResult<Option<AssignedInterview>> {
    let assigned = assigned_to(state, user, i18n).await?;
    Ok(assigned.into_iter().find(|interview| !interview.done && interview.id != id))
}

/// A document of the application an interview is about, to download or (`?view=inline`, a PDF)
/// to read in the browser.
async fn document(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    InterviewDocumentPath { assignment_id, document_id }: InterviewDocumentPath,
    query: Result<Query<DocumentQuery>, QueryRejection>,
) -> AppResult<Response> {
    let inline = http::query(query)?.inline();
    let (document, content) = documents::read_for_interview(&state, &user, assignment_id, document_id).await?;
    Ok(document_file(&document, content, inline))
}

async fn start_correction(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    interviews::start_correction(&state, &user, id).await?;
    Ok(see_other(format!("/interviews/{id}")))
}
