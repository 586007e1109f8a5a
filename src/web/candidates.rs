//! Candidate pages: list, view (with applications and their stages), create, edit, delete.

use std::collections::{HashMap, HashSet};

use chrono_tz::Tz;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, Response};
use chrono::Utc;
use serde::Deserialize;

use super::comments::CommentsSection;
use super::form::{ConfirmDeletePage, Control, FieldBuilder, FieldMessages, Fieldset, FormPage, shown};
use super::letters::{LetterLine, letter_lines};
use super::panels::{PlanChoices, ScheduleForm, covered, plan_choices, slot_line};
use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::candidate::{
    Application, ApplicationInput, Assignment, AssignmentInput, Candidate, CandidateInput, Stage, StageInput,
};
use crate::domain::decision::Decision;
use crate::domain::document::{DocumentFormat, DocumentInfo, TextState};
use crate::domain::input::{FieldErrors, lenient_text, parse_version};
use crate::domain::interview::ScheduleInput;
use crate::domain::retention::{KeptBecause, Retention, RetentionPolicy, RetentionRecord};
use crate::domain::scoring::FitResult;
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::download::document_file;
use crate::http::path::DocumentPath;
use crate::http::{self, HtmlForm, ResourceId};
use crate::i18n::I18n;
use crate::service::candidates::{self, CandidateView};
use crate::service::{comparison, confirmations, documents, duplicates, profiles};
use crate::store::ApplicationOverview;
use crate::web::comparison::competency_name;
use crate::web::duplicates::consent_line;
use crate::web::interviews::{ScorecardView, view};

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewCandidates);
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default()
        .post("/candidates", manage, create)
        .get("/candidates/new", manage, new_form)
        .get("/candidates/{id}", view, show)
        .post("/candidates/{id}", manage, update)
        .get("/candidates/{id}/edit", manage, edit_form)
        .get("/candidates/{id}/delete", manage, confirm_delete)
        .post("/candidates/{id}/delete", manage, delete)
        .post("/candidates/{id}/applications", manage, apply)
        .get("/profiles/{id}/candidates/new", manage, new_applicant_form)
        .post("/profiles/{id}/candidates", manage, create_applicant)
        .post("/applications/{id}/stage", manage, change_stage)
        .post("/applications/{id}/interviewers", manage, assign)
        .post("/assignments/{id}/remove", manage, unassign)
        .get("/candidates/{id}/documents/{document}", view, document)
}

/// How a document is asked for: `?view=inline` shows a PDF in the browser's viewer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DocumentQuery {
    #[serde(deserialize_with = "lenient_text")]
    view: Option<String>,
}

impl DocumentQuery {
    pub fn inline(&self) -> bool {
        self.view.as_deref() == Some("inline")
    }
}

async fn document(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    DocumentPath { candidate_id, document_id }: DocumentPath,
    query: Result<Query<DocumentQuery>, QueryRejection>,
) -> AppResult<Response> {
    let inline = http::query(query)?.inline();
    let (document, content) = documents::read(&state, &user, candidate_id, document_id).await?;
    Ok(document_file(&document, content, inline))
}

/// One application as the candidate page shows it.
struct ApplicationLine {
    id: i64,
    profile_id: i64,
    title: String,
    stage: Stage,
    stage_label: String,
    applied_on: String,
    /// Where the application came from.
    source: Option<String>,
    /// What the candidate wrote with it.
    message: Option<String>,
    /// Not yet opened by a recruiter before this view.
    is_new: bool,
    /// Its documents, as (id, file name, "PDF, 120 KB", viewable in the browser).
    documents: Vec<DocumentLine>,
    history: Vec<String>,
    plan: Vec<PlanLine>,
    /// The form that plans an interviewer, as typed when it was refused.
    assign_form: AssignForm,
    /// The form that sets the interviews' time.
    schedule_form: ScheduleForm,
    /// The fit so far, in words and numbers.
    fit: String,
    /// Every scorecard version, with its evidence (the candidate page is for those who see all).
    scorecards: Vec<ScorecardView>,
    /// Every decision, oldest first, with who made it and why.
    decisions: Vec<String>,
}

/// One interviewer of an application's plan.
struct PlanLine {
    assignment_id: i64,
    interviewer: String,
    /// The competencies they cover.
    covers: String,
    /// When and where, once set.
    when: Option<String>,
    video_link: Option<String>,
}

/// The form that plans an interviewer for one application.
#[derive(Default)]
struct AssignForm {
    interviewer_id: String,
    competencies: Vec<String>,
    errors: FieldMessages,
}

/// A refused form of the candidate page, shown again with its errors beside its fields.
pub enum Refused<'a> {
    /// The form that adds an application.
    Application(&'a FieldErrors),
    Assignment {
        application_id: i64,
        input: &'a AssignmentInput,
        errors: &'a FieldErrors,
    },
    Schedule {
        application_id: i64,
        input: &'a ScheduleInput,
        errors: &'a FieldErrors,
    },
}

/// A document as the candidate page lists it.
pub struct DocumentLine {
    pub(super) href: String,
    pub(super) file_name: String,
    /// What it is and how large: "CV · PDF · 120 KB", and whether search finds its text when it
    /// does not ("· not indexed (too large to read)").
    pub(super) about: String,
    /// A PDF, which the browser's viewer can show.
    pub(super) viewable: bool,
}

pub fn document_line(document: &DocumentInfo, i18n: I18n) -> DocumentLine {
    document_line_at(document, format!("/candidates/{}/documents/{}", document.candidate_id, document.id), i18n)
}

/// A document as a page lists it, read at `href`.
pub fn document_line_at(document: &DocumentInfo, href: String, i18n: I18n) -> DocumentLine {
    let kilobytes = (document.size + 1023) / 1024;
    let mut about = format!(
        "{} · {} · {} KB",
        i18n.t(&document.kind.label_key()),
        document.format.as_str().to_uppercase(),
        i18n.number(kilobytes)
    );
    if document.text != TextState::Indexed {
        about.push_str(&format!(" · {}", i18n.t(&document.text.label_key())));
    }
    DocumentLine {
        href,
        file_name: document.file_name.clone(),
        about,
        viewable: document.format == DocumentFormat::Pdf,
    }
}

#[derive(Template)]
#[template(path = "candidates/show.html")]
pub struct ShowPage {
    page: Page,
    candidate: Candidate,
    applications: Vec<ApplicationLine>,
    stages: Vec<(&'static str, String)>,
    /// Profiles the candidate may still apply to, as (id, "title – company").
    open_profiles: Vec<(i64, String)>,
    /// Why the form that adds an application was refused, by field.
    application_errors: FieldMessages,
    /// How long amfit keeps the candidate, and why.
    retention: String,
    /// Who can be planned to interview, and what they can rate.
    choices: PlanChoices,
    /// Documents sent with no application the page lists (it was deleted).
    loose_documents: Vec<DocumentLine>,
    /// The talent-pool consent: its days and how it was given.
    consent: Option<String>,
    /// For whoever may merge: the candidate whose email address this one's application gave,
    /// as (id, name).
    duplicate_of: Option<(i64, String)>,
    /// For whoever may merge: the newer records that gave this candidate's email address.
    duplicates: Vec<(i64, String)>,
    /// The letters written to the candidate, newest first.
    letters: Vec<LetterLine>,
    pub comments: CommentsSection,
}

impl ShowPage {
    /// What the list of newer records that gave this candidate's address is.
    fn duplicates_text(&self) -> String {
        self.page.i18n.counted("duplicates-text", "count", self.duplicates.len() as i64)
    }
}

fn application_line(
    overview: ApplicationOverview,
    plan: Vec<Assignment>,
    fit: &FitResult,
    scorecards: Vec<ScorecardView>,
    state: &AppState,
    i18n: I18n,
) -> ApplicationLine {
    let a = overview.application;
    let name_of = |id: &str| competency_name(state, id, i18n);
    ApplicationLine {
        scorecards,
        decisions: Vec::new(),
        fit: describe_fit(fit, &name_of, i18n),
        schedule_form: ScheduleForm::of(&plan),
        assign_form: AssignForm::default(),
        plan: plan
            .into_iter()
            .map(|assignment| PlanLine {
                covers: covered(state, &assignment.competencies, i18n),
                when: assignment.slot.as_ref().map(|slot| slot_line(slot, i18n)),
                video_link: assignment.slot.and_then(|slot| slot.video_link),
                assignment_id: assignment.id,
                interviewer: assignment.interviewer_name,
            })
            .collect(),
        id: a.id,
        profile_id: a.profile_id,
        title: format!("{} – {}", overview.profile_title, overview.company_name),
        stage: a.stage,
        stage_label: i18n.t(&a.stage.label_key()),
        applied_on: i18n.date(&a.applied_on),
        is_new: a.seen_at.is_none(),
        source: a.source,
        message: a.message,
        documents: Vec::new(),
        history: a
            .history
            .iter()
            .map(|change| {
                let by = change.changed_by.as_deref().unwrap_or("—");
                format!("{}: {} ({by})", i18n.timestamp(&change.changed_at), i18n.t(&change.stage.label_key()))
            })
            .collect(),
    }
}

pub async fn candidate_page(
    state: &AppState,
    user: &User,
    page: Page,
    id: i64,
    refused: Option<Refused<'_>>,
) -> AppResult<ShowPage> {
    let seen = candidates::view(state, user, id).await?;
    let mut documents = documents::visible(state, &seen).await?;
    let CandidateView { candidate, applications, visible } = seen;
    let retention = retention_line(&candidate, &applications, state.retention, page.i18n);
    let i18n = page.i18n;
    let applied: HashSet<i64> = visible.iter().map(|a| a.application.profile_id).collect();
    let zones: HashMap<i64, Tz> = visible.iter().map(|a| (a.application.id, a.time_zone)).collect();
    let open_profiles = state
        .store
        .list_profiles()
        .await?
        .into_iter()
        .filter(|o| !applied.contains(&o.profile.id))
        .map(|o| (o.profile.id, format!("{} – {}", o.profile.details.title, o.company_name)))
        .collect();
    let decisions = candidates::decisions(state, id).await?;
    let mut lines = Vec::new();
    for application in visible {
        let application_id = application.application.id;
        // What happened to each application, at its company's time.
        let i18n = i18n.in_zone(application.time_zone);
        let plan = candidates::plan_of(state, &application).await?;
        let scored = comparison::scored(state, &application).await?;
        let fit = scored.fit();
        let views = scored.scorecards.iter().filter(|c| c.is_submitted()).map(|c| view(state, c, i18n)).collect();
        let mut line = application_line(application, plan.clone(), &fit, views, state, i18n);
        match &refused {
            Some(Refused::Assignment { application_id: refused_id, input, errors })
                if *refused_id == application_id =>
            {
                line.assign_form = AssignForm {
                    interviewer_id: input.interviewer_id.clone().unwrap_or_default(),
                    competencies: input.competencies.clone(),
                    errors: FieldMessages::new(errors, i18n),
                };
            }
            Some(Refused::Schedule { application_id: refused_id, input, errors }) if *refused_id == application_id => {
                line.schedule_form = ScheduleForm::refused(&plan, input, errors, i18n);
            }
            _ => {}
        }
        line.decisions =
            decisions.iter().filter(|d| d.application_id == application_id).map(|d| decision_line(d, i18n)).collect();
        line.documents = documents
            .extract_if(.., |d| d.application_id == Some(application_id))
            .map(|d| document_line(&d, i18n))
            .collect();
        lines.push(line);
    }
    let application_errors = match refused {
        Some(Refused::Application(errors)) => FieldMessages::new(errors, i18n),
        _ => FieldMessages::default(),
    };
    let (duplicate_of, duplicates) = possible_duplicates(state, user, &candidate, i18n).await?;
    let letters = letter_lines(state, user, id, i18n, &zones).await?;
    Ok(ShowPage {
        letters,
        comments: CommentsSection::of(state, user, id, None, i18n).await?,
        consent: consent_text(state, &candidate, i18n).await?,
        duplicate_of,
        duplicates,
        applications: lines,
        choices: plan_choices(state, i18n).await?,
        application_errors,
        stages: [Stage::Applied, Stage::Screening, Stage::Interviewing, Stage::Offer, Stage::Hired, Stage::Rejected]
            .into_iter()
            .map(|s| (s.as_str(), i18n.t(&s.label_key())))
            .collect(),
        open_profiles,
        retention,
        loose_documents: documents.iter().map(|d| document_line(d, i18n)).collect(),
        page,
        candidate,
    })
}

/// The candidate's talent-pool consent, or the one they asked for on a job page's form and
/// have yet to confirm by mail.
async fn consent_text(state: &AppState, candidate: &Candidate, i18n: I18n) -> AppResult<Option<String>> {
    if let Some(consent) = candidate.details.talent_pool {
        return Ok(Some(consent_line(consent, i18n)));
    }
    let waiting = confirmations::consent_waiting_until(state, candidate.id).await?;
    Ok(waiting.map(|until| i18n.t1("consent-waiting", "date", &i18n.date(&until))))
}

/// The candidate `candidate` may duplicate and those that may duplicate them, by id and name,
/// for a user who may merge them: others see none, as the names may be of people they do not.
async fn possible_duplicates(
    state: &AppState,
    user: &User,
    candidate: &Candidate,
    i18n: I18n,
) -> AppResult<(Option<(i64, String)>, Vec<(i64, String)>)> {
    if !user.role.grants(Permission::ManageCandidates) {
        return Ok((None, vec![]));
    }
    let named = |c: Candidate| (c.id, i18n.personal(&c.details.name));
    let duplicate_of = match candidate.possible_duplicate_of {
        Some(id) => Some(named(state.store.get_candidate(id).await?)),
        None => None,
    };
    let duplicates = duplicates::of(state, candidate.id).await?.into_iter().map(named).collect();
    Ok((duplicate_of, duplicates))
}

/// How long the candidate is kept, and why, in words.
fn retention_line(
    candidate: &Candidate,
    applications: &[ApplicationOverview],
    policy: RetentionPolicy,
    i18n: I18n,
) -> String {
    if let Some(erased_at) = candidate.erased_at {
        return i18n.t1("retention-erased", "date", &i18n.date(&erased_at.date_naive()));
    }
    let applications: Vec<Application> = applications.iter().map(|a| a.application.clone()).collect();
    let record = RetentionRecord::of(candidate, &applications);
    let months = i18n.months(policy.length_in_months());
    match policy.verdict(&record, Utc::now()) {
        Retention::InProgress => i18n.t("retention-in-progress"),
        Retention::Hired => i18n.t("retention-hired"),
        Retention::Due => i18n.t("retention-due"),
        Retention::KeptUntil { until, reason: KeptBecause::RetentionPeriod } => {
            let key = if applications.is_empty() { "retention-period-no-applications" } else { "retention-period" };
            i18n.tn(key, &[("date", &i18n.date(&until.date_naive())), ("months", &months)])
        }
        Retention::KeptUntil { until, reason: KeptBecause::TalentPool } => {
            let consent = candidate.details.talent_pool.map(|c| i18n.date(&c.until)).unwrap_or_default();
            i18n.tn("retention-talent-pool", &[("until", &consent), ("date", &i18n.date(&until.date_naive()))])
        }
    }
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&candidate_page(&state, &user, page.with_notice(notice), id, None).await?)
}

fn candidate_fieldsets(input: &CandidateInput, errors: &FieldErrors, i18n: I18n) -> Vec<Fieldset> {
    let b = FieldBuilder { i18n, errors };
    vec![
        Fieldset {
            legend: i18n.t("candidate-legend"),
            fields: vec![
                b.field("name", true, Control::Text { value: shown(&input.name), max: 200 }),
                b.field("email", true, Control::Email { value: shown(&input.email) }),
                b.field("phone", false, Control::Tel { value: shown(&input.phone) }),
                b.field("source", false, Control::Text { value: shown(&input.source), max: 100 }),
                b.field("link", false, Control::Text { value: shown(&input.link), max: 2_000 }),
                b.field("notes", false, Control::TextArea { value: shown(&input.notes), max: 5_000 }),
            ],
        },
        Fieldset {
            legend: i18n.t("candidate-talent-pool-legend"),
            fields: vec![
                b.field("talent_pool_given_on", false, Control::Date { value: shown(&input.talent_pool_given_on) }),
                b.field("talent_pool_until", false, Control::Date { value: shown(&input.talent_pool_until) }),
            ],
        },
    ]
}

/// What a candidate form is for.
enum CandidateFormTarget<'a> {
    New,
    /// A new candidate who applies to the profile (id, title) at once.
    NewFor(i64, &'a str),
    /// Candidate (id, version).
    Edit(i64, i64),
}

fn candidate_form(page: Page, target: CandidateFormTarget, input: &CandidateInput, errors: &FieldErrors) -> FormPage {
    let i18n = page.i18n;
    let (heading, action, cancel) = match target {
        CandidateFormTarget::Edit(id, _) => (
            i18n.t1("candidate-edit-heading", "name", input.name.as_deref().unwrap_or_default()),
            format!("/candidates/{id}"),
            format!("/candidates/{id}"),
        ),
        CandidateFormTarget::NewFor(profile, title) => (
            i18n.t1("candidates-new-for", "title", title),
            format!("/profiles/{profile}/candidates"),
            format!("/profiles/{profile}"),
        ),
        CandidateFormTarget::New => (i18n.t("candidates-new"), "/candidates".to_owned(), "/candidates".to_owned()),
    };
    let mut form = FormPage::new(page, heading, action, cancel, candidate_fieldsets(input, errors, i18n));
    if let CandidateFormTarget::Edit(_, version) = target {
        form.version = Some(version);
    }
    form.intro = Some(i18n.t("candidate-intro"));
    form
}

async fn new_form(page: Page) -> AppResult<Html<String>> {
    render(&candidate_form(page, CandidateFormTarget::New, &CandidateInput::default(), &FieldErrors::default()))
}

async fn new_applicant_form(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let profile = profiles::get(&state, &user, id).await?;
    let target = CandidateFormTarget::NewFor(id, &profile.details.title);
    render(&candidate_form(page, target, &CandidateInput::default(), &FieldErrors::default()))
}

async fn create_applicant(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<CandidateInput>,
) -> AppResult<Response> {
    match candidates::create_applicant(&state, &user, id, &input).await {
        Ok(candidate) => Ok(see_other(format!("/candidates/{}?{}", candidate.id, Notice::Created.query()))),
        Err(AppError::Invalid(errors)) => {
            let profile = profiles::get(&state, &user, id).await?;
            let form = candidate_form(page, CandidateFormTarget::NewFor(id, &profile.details.title), &input, &errors);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
        Err(other) => Err(other),
    }
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    HtmlForm(input): HtmlForm<CandidateInput>,
) -> AppResult<Response> {
    match candidates::create(&state, &input).await {
        Ok(candidate) => Ok(see_other(format!("/candidates/{}?{}", candidate.id, Notice::Created.query()))),
        Err(AppError::Invalid(errors)) => render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &candidate_form(page, CandidateFormTarget::New, &input, &errors),
        ),
        Err(other) => Err(other),
    }
}

async fn edit_form(State(state): State<AppState>, page: Page, ResourceId(id): ResourceId) -> AppResult<Html<String>> {
    let candidate = candidates::changeable(&state, id).await?;
    let input = CandidateInput::from(&candidate.details);
    render(&candidate_form(page, CandidateFormTarget::Edit(id, candidate.version), &input, &FieldErrors::default()))
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<CandidateInput>,
) -> AppResult<Response> {
    candidates::changeable(&state, id).await?;
    // A malformed version is no mistake a person made in the form: it gets no form back.
    let version = parse_version(&input.version).map_err(AppError::Invalid)?;
    match candidates::update(&state, id, &input).await {
        Ok(_) => Ok(see_other(format!("/candidates/{id}?{}", Notice::Updated.query()))),
        Err(AppError::Invalid(errors)) => {
            let form = candidate_form(page, CandidateFormTarget::Edit(id, version), &input, &errors);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
        Err(AppError::Conflict { .. }) => {
            let current = candidates::changeable(&state, id).await?;
            let theirs = CandidateInput::from(&current.details);
            candidate_form(page, CandidateFormTarget::Edit(id, current.version), &theirs, &FieldErrors::default())
                .conflict(&input, &theirs)
        }
        Err(other) => Err(other),
    }
}

async fn confirm_delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let candidate = candidates::seen_by(&state, &user, id).await?.candidate;
    let i18n = page.i18n;
    let name = &candidate.details.name;
    render(&ConfirmDeletePage {
        heading: i18n.t1("candidate-delete-heading", "name", name),
        question: i18n.t1("candidate-delete-question", "name", name),
        consequence: Some(i18n.t("candidate-delete-consequence")),
        action: format!("/candidates/{id}/delete"),
        cancel_href: format!("/candidates/{id}"),
        page,
    })
}

async fn delete(State(state): State<AppState>, ResourceId(id): ResourceId) -> AppResult<Response> {
    candidates::delete(&state, id, None).await?;
    Ok(see_other(format!("/candidates?{}", Notice::Deleted.query())))
}

async fn apply(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<ApplicationInput>,
) -> AppResult<Response> {
    match candidates::record_application(&state, id, &input, user.id).await {
        Ok(_) => Ok(see_other(format!("/candidates/{id}?{}", Notice::Created.query()))),
        Err(AppError::Invalid(errors)) => {
            let page = candidate_page(&state, &user, page, id, Some(Refused::Application(&errors))).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other),
    }
}

async fn change_stage(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<StageInput>,
) -> AppResult<Response> {
    let application = candidates::change_stage(&state, &user, id, &input, None).await?;
    Ok(see_other(format!("/candidates/{}?{}", application.application.candidate_id, Notice::Updated.query())))
}

async fn assign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<AssignmentInput>,
) -> AppResult<Response> {
    let application = candidates::application_seen_by(&state, &user, id).await?;
    let candidate = application.application.candidate_id;
    match candidates::plan_interview(&state, id, &input).await {
        Ok(_) => Ok(see_other(format!("/candidates/{candidate}?{}", Notice::Updated.query()))),
        Err(AppError::Invalid(errors)) => {
            let refused = Refused::Assignment { application_id: id, input: &input, errors: &errors };
            let page = candidate_page(&state, &user, page, candidate, Some(refused)).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other),
    }
}

async fn unassign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let application = candidates::remove_from_plan(&state, &user, id).await?;
    Ok(see_other(format!("/candidates/{}?{}", application.application.candidate_id, Notice::Updated.query())))
}

fn describe_fit(result: &FitResult, name_of: &dyn Fn(&str) -> String, i18n: I18n) -> String {
    let Some(fit) = result.fit else {
        return i18n.t("fit-unscored");
    };
    let mut parts = vec![
        i18n.t1("fit-score", "fit", &i18n.decimal(fit, 0)),
        i18n.t1("fit-coverage", "coverage", &i18n.decimal(result.coverage, 0)),
    ];
    if !result.knockouts.is_empty() {
        let names: Vec<_> = result.knockouts.iter().map(|id| name_of(id)).collect();
        parts.push(i18n.t1("fit-knockouts", "names", &names.join(", ")));
    }
    if !result.disagreements.is_empty() {
        let names: Vec<_> = result.disagreements.iter().map(|id| name_of(id)).collect();
        parts.push(i18n.t1("fit-disagreements", "names", &names.join(", ")));
    }
    parts.join(" · ")
}

/// "Reject by Mette Holm, 26 November 2026 at 15:02: …"
fn decision_line(decision: &Decision, i18n: I18n) -> String {
    i18n.tn(
        "decision-line",
        &[
            ("verdict", &i18n.t(&decision.verdict.label_key())),
            ("by", decision.decided_by.as_deref().unwrap_or("—")),
            ("when", &i18n.timestamp(&decision.decided_at)),
            ("reason", &i18n.personal(&decision.reason)),
        ],
    )
}
