//! The candidate list: a page of candidates with their applications' roles, stages and fit and
//! their last activity; a search through names, email addresses and CVs; filters by profile,
//! stage, source and date; a choice of order. Filtered by one profile, the applications can be
//! chosen and moved at once, through the profile's pipeline form.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::pipeline::{FitPhrases, stage_labels};
use super::{Page, RequestedNotice, render_with_status};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::candidate::{CandidateFilter, CandidateFilterQuery, ListOrder, Stage};
use crate::domain::input::FieldParser;
use crate::domain::paging::{Page as PagedList, PageQuery, PageRequest};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http;
use crate::i18n::I18n;
use crate::service::{candidates, pipeline, profiles};
use crate::store::ListedCandidate;

pub fn routes() -> Routes {
    Routes::default().get("/candidates", Access::Requires(Permission::ViewCandidates), list)
}

/// A line of the list.
struct CandidateLine {
    id: i64,
    name: String,
    email: String,
    source: String,
    /// Has an application no recruiter has opened yet.
    is_new: bool,
    /// Gave the email address of a candidate held already, and is not yet merged or kept apart.
    possible_duplicate: bool,
    applications: Vec<ApplicationCell>,
    last_activity: String,
}

/// One of a candidate's applications, in their line.
struct ApplicationCell {
    profile_id: i64,
    title: String,
    stage: String,
    fit: Arc<str>,
    /// `APPLICATION:VERSION`, what the bulk form sends, when it may be chosen.
    choice: Option<String>,
}

/// A choice of a filter's select: its value, its label, and whether the list is filtered by it.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// The candidate list: a page of 50, filtered, searched and sorted as its form asks.
#[derive(Template)]
#[template(path = "candidates/list.html")]
struct ListPage {
    page: Page,
    /// The search as typed, and the dates.
    q: String,
    created_after: String,
    created_before: String,
    profiles: Vec<Choice>,
    stages: Vec<Choice>,
    sources: Vec<Choice>,
    sorts: Vec<Choice>,
    candidates: Vec<CandidateLine>,
    /// Whether any filter or search narrows the list (an empty list then says "none found").
    narrowed: bool,
    /// Whether the filters beyond the search are shown open: when one is set, or refused.
    filters_open: bool,
    /// The profile whose applications may be chosen and moved from here.
    bulk_profile: Option<i64>,
    bulk_stages: Vec<(&'static str, String)>,
    /// The link to the next page, when there is one.
    next: Option<String>,
    /// The link to the first page, on any other.
    first: Option<String>,
    /// Why the filters were refused.
    error: Option<String>,
}

const LIST_PAGE: usize = 50;

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    RequestedNotice(notice): RequestedNotice,
    OriginalUri(uri): OriginalUri,
    filter: Result<Query<CandidateFilterQuery>, QueryRejection>,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let (query, paging) = (http::query(filter)?, http::query(paging)?);
    let mut p = FieldParser::default();
    let (filter, mut request) = (query.parse(&mut p), paging.parse(&mut p));
    request.limit = request.limit.min(LIST_PAGE);
    let i18n = page.i18n;
    let (status, listed, filter, error) = match p.finish(filter) {
        Ok(filter) => match found(&state, &user, &filter, request).await {
            Ok(listed) => (StatusCode::OK, listed, filter, None),
            Err(AppError::Invalid(errors)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, PagedList::default(), filter, Some(i18n.problems(&errors)))
            }
            Err(other) => return Err(other),
        },
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            PagedList::default(),
            CandidateFilter::default(),
            Some(i18n.problems(&errors)),
        ),
    };
    let bulk_profile = filter.profile_id.filter(|_| user.role.grants(Permission::ManageCandidates) && error.is_none());
    let candidates = lines(&state, &user, &listed.items, bulk_profile, i18n).await?;
    let list_page = ListPage {
        q: query.q.clone().unwrap_or_default(),
        created_after: query.created_after.clone().unwrap_or_default(),
        created_before: query.created_before.clone().unwrap_or_default(),
        profiles: profile_choices(&state, &user, &query).await?,
        stages: choices::<Stage>(&query.stage, i18n),
        sources: candidates::sources(&state)
            .await?
            .iter()
            .map(|source| Choice {
                selected: query.source.as_deref() == Some(source.as_str()),
                label: source.clone(),
                value: source.clone(),
            })
            .collect(),
        sorts: choices::<ListOrder>(&query.sort, i18n).into_iter().filter(|c| c.value != "added").collect(),
        narrowed: filter.narrows() || error.is_some(),
        filters_open: error.is_some()
            || [
                &query.profile_id,
                &query.stage,
                &query.source,
                &query.created_after,
                &query.created_before,
                &query.sort,
                &query.new,
            ]
            .iter()
            .any(|value| value.as_deref().is_some_and(|v| !v.trim().is_empty())),
        bulk_stages: stage_labels(i18n),
        bulk_profile,
        next: listed.next.as_deref().map(|next| http::page_link(&uri, Some(next))),
        first: paging.cursor.is_some().then(|| http::page_link(&uri, None)),
        page: page.with_notice(notice),
        candidates,
        error,
    };
    render_with_status(status, &list_page)
}

/// The page the filter finds, in name order unless it asks for another; a page whose last
/// candidate is gone starts again from the first.
async fn found(
    state: &AppState,
    user: &User,
    filter: &CandidateFilter,
    request: PageRequest,
) -> AppResult<PagedList<ListedCandidate>> {
    match candidates::page(state, user, filter, request, ListOrder::Name, true).await {
        Err(AppError::Invalid(errors)) if request.after.is_some() && errors.get("cursor").is_some() => {
            candidates::page(state, user, filter, PageRequest { after: None, ..request }, ListOrder::Name, true).await
        }
        listed => listed,
    }
}

/// The lines of `listed`, with each application's fit from its profile's board; those to
/// `bulk_profile` may be chosen.
async fn lines(
    state: &AppState,
    user: &User,
    listed: &[ListedCandidate],
    bulk_profile: Option<i64>,
    i18n: I18n,
) -> AppResult<Vec<CandidateLine>> {
    let applications = listed.iter().flat_map(|c| &c.applications);
    let fits = pipeline::fits(state, user, applications.map(|a| (a.id, a.profile_id))).await?;
    let mut fit_phrases = FitPhrases::new(i18n);
    let lines = listed
        .iter()
        .map(|c| CandidateLine {
            id: c.candidate.id,
            name: i18n.personal(&c.candidate.details.name),
            email: c.candidate.details.email.clone(),
            source: c.candidate.details.source.clone().unwrap_or_default(),
            is_new: c.applications.iter().any(|a| a.is_new),
            possible_duplicate: c.candidate.possible_duplicate_of.is_some(),
            applications: c
                .applications
                .iter()
                .map(|a| ApplicationCell {
                    profile_id: a.profile_id,
                    title: a.profile_title.clone(),
                    stage: i18n.t(&a.stage.label_key()),
                    fit: fit_phrases.of(fits.get(&a.id).copied().flatten()),
                    choice: (bulk_profile == Some(a.profile_id)).then(|| format!("{}:{}", a.id, a.version)),
                })
                .collect(),
            last_activity: i18n.date(&c.last_activity_at.date_naive()),
        })
        .collect();
    Ok(lines)
}

/// The profiles the user may see, for the profile filter.
async fn profile_choices(state: &AppState, user: &User, query: &CandidateFilterQuery) -> AppResult<Vec<Choice>> {
    let chosen = query.profile_id.as_deref().map(str::trim);
    let mut visible = profiles::list(state, user).await?;
    visible.sort_by_cached_key(|o| o.profile.details.title.to_lowercase());
    Ok(visible
        .into_iter()
        .map(|o| {
            let value = o.profile.id.to_string();
            Choice { selected: chosen == Some(value.as_str()), label: o.profile.details.title, value }
        })
        .collect())
}

/// Every value of a closed set as a choice, labelled in the reader's language.
fn choices<E>(chosen: &Option<String>, i18n: I18n) -> Vec<Choice>
where
    E: strum::VariantArray + Labelled + Copy + Into<&'static str>,
{
    let chosen = chosen.as_deref().map(str::trim);
    E::VARIANTS
        .iter()
        .map(|variant| {
            let value: &'static str = (*variant).into();
            Choice { selected: chosen == Some(value), label: i18n.t(&variant.label_key()), value: value.to_owned() }
        })
        .collect()
}
