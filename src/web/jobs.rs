//! The public job pages: the published ads open for applications, and each ad on its own page
//! with its JSON-LD JobPosting. No sign-in; no script.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{Page, render_with_status};
use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::domain::input::{FieldParser, lenient_text};
use crate::domain::publication::check_slug;
use crate::error::{AppError, AppResult};
use crate::http;
use crate::service::jobs::{self, Job, JobFilter, OpenJob};
use crate::service::today;

pub fn routes() -> Routes {
    Routes::default().get("/jobs", Access::Public, list).get("/jobs/{slug}", Access::Public, show)
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
        Err(errors) => {
            let reasons: Vec<String> = errors.iter().map(|e| page.i18n.problem(&e.problem)).collect();
            (StatusCode::UNPROCESSABLE_ENTITY, JobFilter::default(), Some(reasons.join(" ")))
        }
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
struct JobPage {
    page: Page,
    title: String,
    company: String,
    language: &'static str,
    body: String,
    json_ld: String,
    until: String,
    privacy_url: Option<String>,
}

#[derive(Template)]
#[template(path = "jobs/closed.html")]
struct ClosedPage {
    page: Page,
    company: String,
    others: Vec<JobLine>,
}

async fn show(State(state): State<AppState>, page: Page, Path(slug): Path<String>) -> AppResult<Response> {
    check_slug(&slug).map_err(|_| AppError::NotFound)?;
    match jobs::by_slug(&state, &slug, today()).await? {
        Job::Open(ad) => {
            let until = page.i18n.t1("jobs-apply-by", "date", &page.i18n.date(&ad.publication.open_until));
            let job = JobPage {
                title: ad.title.clone(),
                company: ad.company.clone(),
                language: ad.publication.language.as_str(),
                privacy_url: ad.privacy_url.clone(),
                body: ad.body.clone(),
                json_ld: ad.json_ld.clone(),
                until,
                page,
            };
            render_with_status(StatusCode::OK, &job)
        }
        Job::Closed { company, others } => {
            let others = lines(others, &page);
            render_with_status(StatusCode::GONE, &ClosedPage { company, others, page })
        }
    }
}
