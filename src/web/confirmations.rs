//! The page a confirmation link opens: what it confirms, a button to confirm it (a mail
//! program that opens links to scan them must not confirm anything), and what was done.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Page, render_with_status};
use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::error::AppResult;
use crate::i18n::{I18n, Lang};
use crate::service::confirmations::{self, Asked, Confirmed, Spent};

pub fn routes() -> Routes {
    Routes::default().get("/confirm/{secret}", Access::Public, asked).post("/confirm/{secret}", Access::Public, confirm)
}

#[derive(Template)]
#[template(path = "jobs/confirm.html")]
struct ConfirmPage {
    page: Page,
    heading: String,
    paragraphs: Vec<String>,
    /// Where the button sends the confirmation; `None` once there is nothing to confirm.
    action: Option<String>,
}

/// The link no longer works (410): said in the application's language while amfit knows the
/// link, and for a used one, that what it asked is confirmed (the button pressed twice).
fn spent(mut page: Page, spent: Spent) -> AppResult<Response> {
    let language = match spent {
        Spent::Used(language) => Some(language),
        Spent::Gone(language) => language,
    };
    if let Some(language) = language {
        page.i18n = I18n::new(Lang::of_content(language));
    }
    let i18n = page.i18n;
    let (heading, paragraph) = match spent {
        Spent::Used(_) => (i18n.t("confirm-done-heading"), i18n.t("confirm-already")),
        Spent::Gone(_) => {
            (i18n.t("confirm-gone-heading"), i18n.t1("confirm-gone", "days", &confirmations::LINK_DAYS.to_string()))
        }
    };
    let page = ConfirmPage { heading, paragraphs: vec![paragraph], action: None, page };
    render_with_status(StatusCode::GONE, &page)
}

/// What the link asks, in the language of the application that asked it.
async fn asked(State(state): State<AppState>, mut page: Page, Path(secret): Path<String>) -> AppResult<Response> {
    let asked = match confirmations::asked(&state, &secret).await? {
        Ok(asked) => asked,
        Err(gone) => return spent(page, gone),
    };
    page.i18n = I18n::new(Lang::of_content(asked.language));
    let heading = if asked.joins_record { "confirm-heading" } else { "confirm-heading-talent-pool" };
    let ask = ConfirmPage {
        heading: page.i18n.t(heading),
        paragraphs: what_is_asked(page.i18n, &asked),
        action: Some(format!("/confirm/{secret}")),
        page,
    };
    render_with_status(StatusCode::OK, &ask)
}

fn what_is_asked(i18n: I18n, asked: &Asked) -> Vec<String> {
    let months = crate::domain::applying::CONSENT_MONTHS.to_string();
    let title = asked.title.clone().unwrap_or_default();
    let named = [("company", asked.company.as_str()), ("title", title.as_str()), ("months", months.as_str())];
    let mut paragraphs = Vec::new();
    if asked.joins_record {
        paragraphs.push(i18n.tn("confirm-asks-joins", &named));
    }
    if asked.talent_pool {
        paragraphs.push(i18n.tn("confirm-asks-talent-pool", &named));
    }
    if paragraphs.is_empty() {
        paragraphs.push(i18n.t("confirm-asks-nothing-left"));
    }
    paragraphs
}

async fn confirm(State(state): State<AppState>, mut page: Page, Path(secret): Path<String>) -> AppResult<Response> {
    let confirmed = match confirmations::confirm(&state, &secret).await? {
        Ok(confirmed) => confirmed,
        Err(gone) => return spent(page, gone),
    };
    page.i18n = I18n::new(Lang::of_content(confirmed.language));
    let done = ConfirmPage {
        heading: page.i18n.t("confirm-done-heading"),
        paragraphs: what_was_done(page.i18n, &confirmed),
        action: None,
        page,
    };
    render_with_status(StatusCode::OK, &done)
}

fn what_was_done(i18n: I18n, confirmed: &Confirmed) -> Vec<String> {
    let mut paragraphs = Vec::new();
    match confirmed.joined {
        Some(true) => paragraphs.push(i18n.t("confirm-done-joined")),
        Some(false) => paragraphs.push(i18n.t("confirm-done-not-joined")),
        None => {}
    }
    if let Some(until) = confirmed.talent_pool_until {
        paragraphs.push(i18n.t1("confirm-done-talent-pool", "date", &i18n.date(&until)));
    }
    if paragraphs.is_empty() {
        paragraphs.push(i18n.t("confirm-done-nothing-left"));
    }
    paragraphs
}
