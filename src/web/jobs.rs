//! The public job pages: the published ads open for applications, and each ad on its own page
//! with its JSON-LD JobPosting. No sign-in; no script.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::applying;
use super::form::{Control, Field, FieldBuilder, error_summary, shown};
use super::{Page, render_with_status};
use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::domain::applying::{ApplicationForm, CONSENT_MONTHS, MESSAGE_MAX, source_of};
use crate::domain::company::NAME_MAX;
use crate::domain::input::{FieldErrors, FieldParser, lenient_text};
use crate::domain::publication::check_slug;
use crate::error::{AppError, AppResult};
use crate::http;
use crate::i18n::{I18n, Lang};
use crate::service::jobs::{self, Job, JobFilter, OpenJob, PublishedAd};
use crate::service::today;

pub fn routes() -> Routes {
    Routes::default()
        .get("/jobs", Access::Public, list)
        .get("/jobs/{slug}", Access::Public, show)
        .merge(applying::routes())
}

/// Which jobs to list, as the query string asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JobQuery {
    #[serde(deserialize_with = "lenient_text")]
    company: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    language: Option<String>,
}

/// An open job as a line of the list.
struct JobLine {
    href: String,
    title: String,
    company: String,
    location: String,
    language: &'static str,
    until: String,
}

fn lines(jobs: Vec<OpenJob>, page: &Page) -> Vec<JobLine> {
    jobs.into_iter()
        .map(|job| JobLine {
            href: format!("/jobs/{}", job.slug),
            until: page.i18n.t1("jobs-apply-by", "date", &page.i18n.date(&job.open_until)),
            language: job.language.as_str(),
            title: job.title,
            company: job.company,
            location: job.location,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "jobs/list.html")]
struct ListPage {
    page: Page,
    jobs: Vec<JobLine>,
    /// The companies with open jobs, (id, name, chosen), for the filter.
    companies: Vec<(i64, String, bool)>,
    language: String,
    /// Why the filter was refused.
    error: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    page: Page,
    query: Result<Query<JobQuery>, QueryRejection>,
) -> AppResult<Response> {
    let query = http::query(query)?;
    let mut p = FieldParser::default();
    let filter = JobFilter {
        company_id: p.optional_integer("company", &query.company, 1..=i64::MAX),
        language: p.optional_choice("language", &query.language),
    };
    let (status, filter, error) = match p.finish(filter) {
        Ok(filter) => (StatusCode::OK, filter, None),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, JobFilter::default(), Some(page.i18n.problems(&errors))),
    };
    let every = jobs::open(&state, today(), JobFilter::default()).await?;
    let mut companies: Vec<(i64, String, bool)> = Vec::new();
    for job in &every {
        if !companies.iter().any(|(id, _, _)| *id == job.company_id) {
            companies.push((job.company_id, job.company.clone(), filter.company_id == Some(job.company_id)));
        }
    }
    let admitted = every
        .into_iter()
        .filter(|job| filter.company_id.is_none_or(|id| id == job.company_id))
        .filter(|job| filter.language.is_none_or(|language| language == job.language))
        .collect();
    let language = filter.language.map(|l| l.as_str().to_owned()).unwrap_or_default();
    render_with_status(status, &ListPage { jobs: lines(admitted, &page), companies, language, error, page })
}

#[derive(Template)]
#[template(path = "jobs/show.html")]
pub(super) struct JobPage {
    page: Page,
    title: String,
    company: String,
    language: &'static str,
    body: String,
    json_ld: String,
    until: String,
    privacy_url: Option<String>,
    /// The application form below the ad.
    form: ApplicationFormView,
}

/// The application form as the job page shows it: empty, or as sent with what was wrong.
pub(super) struct ApplicationFormView {
    action: String,
    fields: Vec<Field>,
    /// (field name, label, message) of every rejected field, linked from the top of the form.
    error_summary: Vec<(&'static str, String, String)>,
    /// The form came back: any file chosen must be chosen again.
    attach_again: bool,
    source: String,
}

impl ApplicationFormView {
    /// The form to `slug`'s job, as `sent`, with the terms `state` sets: how long applications
    /// are kept, and whether amfit mails a link to confirm the talent-pool consent.
    pub(super) fn new(i18n: I18n, slug: &str, sent: &ApplicationForm, errors: &FieldErrors, state: &AppState) -> Self {
        let build = FieldBuilder { i18n, errors };
        let accept =
            ".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        let mut talent_pool = build.checkbox("talent_pool", &sent.talent_pool.as_ref().map(|_| "true".to_owned()));
        let mut hint = i18n.tn(
            "field-talent_pool-hint",
            &[
                ("duration", &i18n.months(CONSENT_MONTHS)),
                ("retention", &i18n.months(state.retention.length_in_months())),
            ],
        );
        if state.sends_mail {
            hint = format!("{hint} {}", i18n.t("field-talent_pool-hint-confirm"));
        }
        talent_pool.hint = Some(hint);
        let fields = vec![
            build.field("name", true, Control::Text { value: shown(&sent.name), max: NAME_MAX }),
            build.field("email", true, Control::Email { value: shown(&sent.email) }),
            build.field("phone", false, Control::Tel { value: shown(&sent.phone) }),
            build.field("message", false, Control::TextArea { value: shown(&sent.message), max: MESSAGE_MAX as u64 }),
            build.field("cv", true, Control::File { accept, multiple: false }),
            build.field("documents", false, Control::File { accept, multiple: true }),
            talent_pool,
        ];
        let error_summary = error_summary(&fields);
        Self {
            action: format!("/jobs/{slug}/apply"),
            fields,
            error_summary,
            attach_again: !errors.is_empty(),
            source: shown(&sent.source),
        }
    }
}

impl JobPage {
    /// The page of the open job `ad` in its own language, with the application form.
    pub(super) fn new(mut page: Page, ad: &PublishedAd, form: impl FnOnce(I18n) -> ApplicationFormView) -> Self {
        page.i18n = I18n::new(Lang::of_content(ad.publication.language));
        let until = page.i18n.t1("jobs-apply-by", "date", &page.i18n.date(&ad.publication.open_until));
        Self {
            title: ad.title.clone(),
            company: ad.company.clone(),
            language: ad.publication.language.as_str(),
            privacy_url: ad.privacy_url.clone(),
            body: ad.body.clone(),
            json_ld: ad.json_ld.clone(),
            until,
            form: form(page.i18n),
            page,
        }
    }
}

#[derive(Template)]
#[template(path = "jobs/closed.html")]
struct ClosedPage {
    page: Page,
    company: String,
    others: Vec<JobLine>,
}

/// The 410 page of a job whose days are over: the company's other open jobs instead.
pub(super) fn closed_page(page: Page, company: String, others: Vec<OpenJob>) -> AppResult<Response> {
    let others = lines(others, &page);
    render_with_status(StatusCode::GONE, &ClosedPage { company, others, page })
}

/// The ad at address `slug` as it stands today; 404 for an address that is not one.
pub(super) async fn job_at(state: &AppState, slug: &str) -> AppResult<Job> {
    check_slug(slug).map_err(|_| AppError::NotFound)?;
    jobs::by_slug(state, slug, today()).await
}

/// What the link to a job page may carry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JobLinkQuery {
    /// Where the candidate came from (a job board, a newsletter), kept with their application.
    #[serde(deserialize_with = "lenient_text")]
    source: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    query: Result<Query<JobLinkQuery>, QueryRejection>,
) -> AppResult<Response> {
    // A link with a malformed query still shows the job: the candidate did not write it.
    let source = query.map(|Query(query)| source_of(query.source.as_deref())).unwrap_or_default();
    match job_at(&state, &slug).await? {
        Job::Open(ad) => {
            let sent = ApplicationForm { source, ..ApplicationForm::default() };
            let job = JobPage::new(page, &ad, |i18n| {
                ApplicationFormView::new(i18n, &slug, &sent, &FieldErrors::default(), &state)
            });
            render_with_status(StatusCode::OK, &job)
        }
        Job::Closed { company, others } => closed_page(page, company, others),
    }
}
