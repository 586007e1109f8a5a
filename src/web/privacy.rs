//! The pages of candidates' rights under the GDPR: the export download and the erasure on
//! request ([`crate::service::privacy`] does both, for the API too), and who retention
//! anonymises soon, so that a recruiter can ask them for talent-pool consent first.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use chrono::Utc;

use super::{Notice, Page, render, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::retention::KeptBecause;
use crate::domain::user::Permission;
use crate::error::AppResult;
use crate::http::ResourceId;
use crate::http::download::export_archive;
use crate::service::retention::{self, Upcoming};
use crate::service::{candidates, privacy};
use crate::store::Erasure;

pub fn routes() -> Routes {
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default()
        .get("/candidates/{id}/export", manage, download)
        .get("/candidates/{id}/erase", manage, confirm_erasure)
        .post("/candidates/{id}/erase", manage, erase_on_request)
        .get("/candidates/retention", manage, retention_page)
}

async fn download(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let (export, files) = privacy::export_with_documents(&state, &user, id).await?;
    export_archive(&export, &files)
}

#[derive(Template)]
#[template(path = "candidates/confirm_erase.html")]
struct ConfirmErasurePage {
    page: Page,
    id: i64,
    name: String,
}

async fn confirm_erasure(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let seen = candidates::seen_by(&state, &user, id).await?;
    render(&ConfirmErasurePage { page, id, name: seen.candidate.details.name })
}

async fn erase_on_request(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let notice = match privacy::erase(&state, &user, id).await? {
        Erasure::Erased => Notice::Erased,
        Erasure::AlreadyErased => Notice::AlreadyErased,
    };
    Ok(see_other(format!("/candidates/{id}?{}", notice.query())))
}

/// A candidate on the retention page.
struct RetentionLine {
    id: i64,
    name: String,
    /// When they are anonymised, or that it happens at the next run.
    when: String,
    why: String,
}

/// A candidate in the talent pool, with the days of their consent.
struct PoolLine {
    id: i64,
    name: String,
    given_on: String,
    until: String,
}

#[derive(Template)]
#[template(path = "candidates/retention.html")]
struct RetentionPage {
    page: Page,
    policy: String,
    upcoming: Vec<RetentionLine>,
    talent_pool: Vec<PoolLine>,
}

/// Who is anonymised within [`retention::UPCOMING_DAYS`], soonest first, and who is in the talent pool.
async fn retention_page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
) -> AppResult<Html<String>> {
    let i18n = page.i18n;
    let now = Utc::now();
    let upcoming = retention::upcoming(&state, now, now + chrono::Days::new(retention::UPCOMING_DAYS)).await?;
    let upcoming = upcoming
        .into_iter()
        .map(|Upcoming { at, candidate, kept_because }| {
            let (when, why) = match kept_because {
                None => (i18n.t("retention-next-run"), i18n.t("retention-why-ended")),
                Some(KeptBecause::RetentionPeriod) => (i18n.date(&at.date_naive()), i18n.t("retention-why-period")),
                Some(KeptBecause::TalentPool) => (i18n.date(&at.date_naive()), i18n.t("retention-why-consent")),
            };
            RetentionLine { id: candidate.id, name: candidate.name, when, why }
        })
        .collect();
    let talent_pool = retention::talent_pool(&state, &user)
        .await?
        .into_iter()
        .map(|(candidate, consent)| PoolLine {
            id: candidate.id,
            name: candidate.details.name,
            given_on: i18n.date(&consent.given_on),
            until: i18n.date(&consent.until),
        })
        .collect();
    let months = i18n.months(state.retention.length_in_months());
    render(&RetentionPage {
        policy: i18n.tn("retention-policy", &[("months", &months), ("days", &retention::UPCOMING_DAYS.to_string())]),
        upcoming,
        talent_pool,
        page,
    })
}
