//! How every error answers a browser: a page in the reader's language, inside the site's
//! layout, with the request id that the log carries.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::Page;
use crate::error::ErrorReport;
use crate::i18n::I18n;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: Page,
    status: u16,
    title: String,
    detail: String,
    /// Each rejected field and why, for 422 answers that no form shows.
    fields: Vec<(String, String)>,
    request_id: Option<&'a str>,
}

/// The page answering `report` at `path`.
pub fn error_page(
    report: &ErrorReport,
    status: StatusCode,
    i18n: I18n,
    path: String,
    request_id: Option<&str>,
) -> Response {
    let page = ErrorPage {
        page: Page::new(i18n, path),
        status: status.as_u16(),
        title: report.title(i18n),
        detail: report.explanation(i18n),
        fields: report.fields.iter().map(|e| (e.field.clone(), i18n.problem(&e.problem))).collect(),
        request_id,
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page failed to render");
            (status, report.title(i18n)).into_response()
        }
    }
}
