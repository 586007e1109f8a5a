//! The public job pages, for anyone: the published ads open for applications, and one ad by
//! its address. Nothing here needs a user.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::app::AppState;
use crate::domain::ad::{AdFormat, AdRequest};
use crate::domain::job_page;
use crate::domain::profile::{AdLanguage, Interviewing};
use crate::domain::publication::Publication;
use crate::error::{AppError, AppResult};
use crate::service::ads;

/// A published ad open for applications, as the list of jobs shows it.
pub struct OpenJob {
    pub slug: String,
    pub title: String,
    pub company_id: i64,
    pub company: String,
    pub location: String,
    pub language: AdLanguage,
    pub open_until: NaiveDate,
}

/// Which open jobs to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct JobFilter {
    pub company_id: Option<i64>,
    pub language: Option<AdLanguage>,
}

/// The ads open for applications on `today` that `filter` admits, by company and title.
pub async fn open(state: &AppState, today: NaiveDate, filter: JobFilter) -> AppResult<Vec<OpenJob>> {
    let publications = state.store.list_publications().await?;
    let profiles = state.store.list_profiles().await?;
    let mut jobs = Vec::new();
    for publication in publications.into_iter().filter(|p| p.is_open_on(today)) {
        let Some(overview) = profiles.iter().find(|o| o.profile.id == publication.profile_id) else { continue };
        if filter.company_id.is_some_and(|id| id != overview.profile.company_id) {
            continue;
        }
        if filter.language.is_some_and(|language| language != publication.language) {
            continue;
        }
        jobs.push(OpenJob {
            slug: publication.slug,
            title: overview.profile.details.ad_title(publication.language).to_owned(),
            company_id: overview.profile.company_id,
            company: overview.company_name.clone(),
            location: overview.profile.details.location.clone(),
            language: publication.language,
            open_until: publication.open_until,
        });
    }
    jobs.sort_by_cached_key(|job| (job.company.to_lowercase(), job.title.to_lowercase(), job.slug.clone()));
    Ok(jobs)
}

/// A published ad as its page shows it, written once while the data is unchanged.
pub struct PublishedAd {
    pub publication: Publication,
    pub title: String,
    pub company_id: i64,
    pub company: String,
    pub privacy_url: Option<String>,
    /// When the candidates are interviewed: as applications come, or after the deadline.
    pub interviewing: Interviewing,
    /// The week the ad says interviews are held in, if it names one.
    pub interview_week: Option<u32>,
    /// The ad as HTML.
    pub body: String,
    /// Its JSON-LD JobPosting.
    pub json_ld: String,
}

/// One published ad as its page answers.
pub enum Job {
    /// Open for applications today.
    Open(Arc<PublishedAd>),
    /// Published, but its days are over (or not begun): the company's other open jobs instead.
    Closed { company: String, others: Vec<OpenJob> },
}

/// The ad published at `slug`, as it stands on `today`; [`AppError::NotFound`] for an address
/// no ad has.
pub async fn by_slug(state: &AppState, slug: &str, today: NaiveDate) -> AppResult<Job> {
    let revision = state.store.revision().await?;
    let ad = state.reads.published_ads.get_or_load(slug.to_owned(), revision, published(state, slug)).await?;
    if ad.publication.is_open_on(today) {
        return Ok(Job::Open(ad));
    }
    let others = open(state, today, JobFilter { company_id: Some(ad.company_id), language: None }).await?;
    Ok(Job::Closed { company: ad.company.clone(), others })
}

async fn published(state: &AppState, slug: &str) -> AppResult<PublishedAd> {
    let publications = state.store.list_publications().await?;
    let publication = publications.into_iter().find(|p| p.slug == slug).ok_or(AppError::NotFound)?;
    let choice = AdRequest {
        format: AdFormat::Html,
        language: None,
        tone: Default::default(),
        version: Some(publication.version),
    };
    let ad = ads::load(state.store.as_ref(), &state.rubric, publication.profile_id, &choice).await?;
    let (body, json_ld) = ad.published(&publication);
    Ok(PublishedAd {
        title: ad.profile.details.ad_title(publication.language).to_owned(),
        company_id: ad.company.id,
        company: ad.company.details.name,
        privacy_url: ad.company.details.privacy_url,
        interviewing: job_page::interviewing_stated(&ad.text).unwrap_or(ad.profile.details.interviewing),
        interview_week: job_page::interview_week_stated(&ad.text),
        publication,
        body,
        json_ld,
    })
}
