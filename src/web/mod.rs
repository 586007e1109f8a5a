//! The server-rendered web UI: one module per resource, each with its `router()`.

pub mod companies;
pub mod form;
pub mod i18n;
pub mod profiles;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use self::i18n::{I18n, LANGUAGE_COOKIE, Lang};
use crate::app::AppState;
use crate::error::{AppError, AppResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/companies") }))
        .route("/language/{code}", get(switch_language))
        .route("/static/app.css", get(stylesheet))
        .merge(companies::router())
        .merge(profiles::router())
}

/// What the base layout needs on every page.
pub struct Page {
    pub i18n: I18n,
    /// The path of this page, so the language switch can come back to it.
    pub path: String,
    pub notice: Option<String>,
}

impl Page {
    pub fn new(i18n: I18n, path: String) -> Self {
        Self { i18n, path, notice: None }
    }

    pub fn with_notice(mut self, notice: Option<Notice>) -> Self {
        self.notice = notice.map(|n| self.i18n.t(n.key()));
        self
    }

    pub fn in_section(&self, prefix: &str) -> bool {
        self.path.starts_with(prefix)
    }

    /// The link that switches the UI to `code` and returns here.
    pub fn language_link(&self, code: &str) -> String {
        let back: String = url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
        format!("/language/{code}?back={back}")
    }

    /// The code of the language the switch in the header offers.
    pub fn other_language_code(&self) -> &'static str {
        self.other_language().code()
    }

    /// That language's own name for itself.
    pub fn other_language_name(&self) -> &'static str {
        match self.other_language() {
            Lang::En => "English",
            Lang::Da => "Dansk",
        }
    }

    fn other_language(&self) -> Lang {
        match self.i18n.lang {
            Lang::En => Lang::Da,
            Lang::Da => Lang::En,
        }
    }
}

/// The page context of a request: its language and its path.
impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_request_parts(parts, state).await?;
        Ok(Page::new(I18n::new(lang), parts.uri.path().to_owned()))
    }
}

/// What a redirect after a change tells the next page to confirm.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    Created,
    Updated,
    Deleted,
}

impl Notice {
    fn key(self) -> &'static str {
        match self {
            Notice::Created => "notice-created",
            Notice::Updated => "notice-updated",
            Notice::Deleted => "notice-deleted",
        }
    }

    pub fn query(self) -> &'static str {
        match self {
            Notice::Created => "notice=created",
            Notice::Updated => "notice=updated",
            Notice::Deleted => "notice=deleted",
        }
    }
}

/// The notice a page was redirected with (`?notice=…`); anything else in the query is
/// ignored rather than refused.
pub struct RequestedNotice(pub Option<Notice>);

impl<S: Send + Sync> FromRequestParts<S> for RequestedNotice {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let notice = parts.uri.query().and_then(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "notice")
                .and_then(|(_, value)| serde_json::from_value(serde_json::Value::String(value.into_owned())).ok())
        });
        Ok(RequestedNotice(notice))
    }
}

/// A numeric id from the path; anything else is a page that does not exist.
pub struct ResourceId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ResourceId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        raw.parse().map(ResourceId).map_err(|_| AppError::NotFound)
    }
}

pub fn render(template: &impl Template) -> AppResult<Html<String>> {
    Ok(Html(template.render()?))
}

/// A page shown with a status other than 200: a form with errors (422) or a conflict (409).
pub fn render_with_status(status: StatusCode, template: &impl Template) -> AppResult<Response> {
    Ok((status, render(template)?).into_response())
}

/// After a successful POST: see the result with GET (so a reload does not post again).
pub fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
}

#[derive(Deserialize)]
struct BackQuery {
    back: Option<String>,
}

/// Remembers the chosen language in a cookie and returns to the page it was chosen on.
async fn switch_language(Path(code): Path<String>, Query(query): Query<BackQuery>) -> AppResult<Response> {
    let lang = Lang::from_code(&code).ok_or(AppError::NotFound)?;
    // Only a path on this site: never an open redirect.
    let back = query
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!("{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    Ok((StatusCode::SEE_OTHER, [(SET_COOKIE, cookie), (LOCATION, back)]).into_response())
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
}
