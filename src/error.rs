//! One error type for every handler, and the one place that turns it into an answer: a JSON
//! problem (RFC 9457) under `/api/`, an HTML page elsewhere, in the reader's language and with
//! the request id that the log carries.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use utoipa::ToSchema;

use crate::domain::input::{FieldErrors, Problem};
use crate::store::StoreError;
use crate::web::Page;
use crate::web::i18n::{I18n, Lang};

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("changed by someone else")]
    Conflict { current_version: i64 },
    /// A change to a candidate whose personal data was erased: it would bring data back.
    #[error("the candidate's personal data was erased")]
    Erased,
    #[error("malformed body: {0}")]
    MalformedBody(String),
    #[error("unsupported content type")]
    UnsupportedContentType { expected: &'static str },
    #[error("body too large")]
    PayloadTooLarge,
    /// Nobody is signed in (or no token was sent) where someone must be.
    #[error("not signed in")]
    Unauthenticated,
    /// A token was sent, but it is malformed, unknown, revoked, or its user deactivated.
    #[error("unknown or revoked token")]
    BadToken,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF token missing or wrong")]
    CsrfRejected,
    #[error("too many failed logins")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The database cannot take the request now (full, locked, out of reach); nothing was
    /// stored, and the same request may succeed later.
    #[error("the database is unavailable: {0}")]
    Unavailable(StoreError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { current_version } => AppError::Conflict { current_version },
            transient if transient.is_transient() => AppError::Unavailable(transient),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(error.into())
    }
}

/// What went wrong, carried from a handler to [`render_errors`], which knows the audience.
#[derive(Debug, Clone)]
struct ErrorReport {
    kind: ErrorKind,
    detail: Option<String>,
    fields: FieldErrors,
    current_version: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
enum ErrorKind {
    NotFound,
    Invalid,
    Conflict,
    Erased,
    BadRequest,
    TooLarge,
    MethodNotAllowed,
    Unauthenticated,
    BadToken,
    Forbidden,
    Csrf,
    TooManyAttempts,
    Unavailable,
    Internal,
}

impl ErrorKind {
    fn of_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::UNPROCESSABLE_ENTITY => Self::Invalid,
            StatusCode::CONFLICT => Self::Conflict,
            StatusCode::PAYLOAD_TOO_LARGE => Self::TooLarge,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::UNAUTHORIZED => Self::Unauthenticated,
            StatusCode::FORBIDDEN => Self::Forbidden,
            StatusCode::TOO_MANY_REQUESTS => Self::TooManyAttempts,
            StatusCode::SERVICE_UNAVAILABLE => Self::Unavailable,
            s if s.is_client_error() => Self::BadRequest,
            _ => Self::Internal,
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict | Self::Erased => StatusCode::CONFLICT,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Unauthenticated | Self::BadToken => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The catalogue keys of the title and the explanation.
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Self::NotFound => ("error-not-found", "error-not-found-detail"),
            Self::Invalid => ("error-invalid", "error-invalid-detail"),
            Self::Conflict => ("error-conflict", "error-conflict-detail"),
            Self::Erased => ("error-erased", "error-erased-detail"),
            Self::BadRequest => ("error-bad-request", "error-bad-request-detail"),
            Self::TooLarge => ("error-too-large", "error-too-large-detail"),
            Self::MethodNotAllowed => ("error-method", "error-method-detail"),
            Self::Unauthenticated => ("error-unauthenticated", "error-unauthenticated-detail"),
            Self::BadToken => ("error-bad-token", "error-bad-token-detail"),
            Self::Forbidden => ("error-forbidden", "error-forbidden-detail"),
            Self::Csrf => ("error-csrf", "error-csrf-detail"),
            Self::TooManyAttempts => ("error-too-many-attempts", "error-too-many-attempts-detail"),
            Self::Unavailable => ("error-unavailable", "error-unavailable-detail"),
            Self::Internal => ("error-internal", "error-internal-detail"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let report = match self {
            AppError::NotFound => ErrorReport::of(ErrorKind::NotFound),
            AppError::Invalid(fields) => ErrorReport { fields, ..ErrorReport::of(ErrorKind::Invalid) },
            AppError::Conflict { current_version } => {
                ErrorReport { current_version: Some(current_version), ..ErrorReport::of(ErrorKind::Conflict) }
            }
            AppError::Erased => ErrorReport::of(ErrorKind::Erased),
            AppError::MalformedBody(detail) => {
                ErrorReport { detail: Some(detail), ..ErrorReport::of(ErrorKind::BadRequest) }
            }
            AppError::UnsupportedContentType { expected } => ErrorReport {
                detail: Some(format!("Content-Type must be {expected}")),
                ..ErrorReport::of(ErrorKind::BadRequest)
            },
            AppError::PayloadTooLarge => ErrorReport::of(ErrorKind::TooLarge),
            AppError::Unauthenticated => ErrorReport::of(ErrorKind::Unauthenticated),
            AppError::BadToken => ErrorReport::of(ErrorKind::BadToken),
            AppError::Forbidden => ErrorReport::of(ErrorKind::Forbidden),
            AppError::CsrfRejected => ErrorReport::of(ErrorKind::Csrf),
            AppError::TooManyAttempts { retry_after_secs } => {
                return ErrorReport::of(ErrorKind::TooManyAttempts).retry_after(retry_after_secs);
            }
            AppError::Unavailable(error) => {
                tracing::warn!(error = format!("{error:#}"), "request refused: the database is unavailable");
                return ErrorReport::of(ErrorKind::Unavailable).retry_after(UNAVAILABLE_RETRY_AFTER_SECS);
            }
            AppError::Internal(error) => {
                // The details go to the log, under the request's span and id; never to the user.
                tracing::error!(error = format!("{error:#}"), "request failed");
                ErrorReport::of(ErrorKind::Internal)
            }
        };
        report.into_response()
    }
}

impl IntoResponse for ErrorReport {
    fn into_response(self) -> Response {
        let mut response = self.kind.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl ErrorReport {
    fn of(kind: ErrorKind) -> Self {
        Self { kind, detail: None, fields: FieldErrors::default(), current_version: None }
    }

    fn retry_after(self, seconds: u64) -> Response {
        let mut response = self.into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        response
    }
}

/// How long a client is asked to wait when the database cannot take a request: long enough
/// for a busy lock or a restarting PostgreSQL, short enough that a person retries by hand.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

/// An RFC 9457 problem document: how every API error answers.
#[derive(Serialize, ToSchema)]
pub struct ProblemDocument {
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every rejected field, for 422.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// The version the record has now, for 409.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// The id under which the server logged this request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
    /// The reason as a sentence, in the language the request asked for.
    pub message: String,
}

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

/// Renders every error response: those of [`AppError`], and the bodiless ones of the router
/// itself (an unknown route, a wrong method).
pub async fn render_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let page_path = request.uri().path().to_owned();
    let request_id = request.headers().get("x-request-id").cloned();
    let lang = request.extensions().get::<Lang>().copied().unwrap_or_default();
    let mut response = next.run(request).await;
    let report = match response.extensions_mut().remove::<ErrorReport>() {
        Some(report) => report,
        None if response.status().is_client_error() || response.status().is_server_error() => {
            if response.headers().contains_key(header::CONTENT_TYPE) {
                return response;
            }
            ErrorReport::of(ErrorKind::of_status(response.status()))
        }
        None => return response,
    };
    let request_id = request_id.as_ref().and_then(|id| id.to_str().ok());
    let status = response.status();
    let mut rendered = if is_api {
        problem_json(&report, status, I18n::new(lang), request_id)
    } else {
        error_page(&report, status, I18n::new(lang), page_path, request_id)
    };
    *rendered.status_mut() = status;
    for kept in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&kept) {
            rendered.headers_mut().insert(kept, value.clone());
        }
    }
    if is_api && status == StatusCode::UNAUTHORIZED {
        rendered.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    rendered
}

fn problem_json(report: &ErrorReport, status: StatusCode, i18n: I18n, request_id: Option<&str>) -> Response {
    let (title, detail) = report.kind.keys();
    let body = ProblemDocument {
        kind: "about:blank".into(),
        title: i18n.t(title),
        status: status.as_u16(),
        detail: report.detail.clone().unwrap_or_else(|| i18n.t(detail)),
        errors: report
            .fields
            .iter()
            .map(|e| FieldProblem {
                field: e.field.clone(),
                problem: e.problem.clone(),
                message: i18n.problem(&e.problem),
            })
            .collect(),
        current_version: report.current_version,
        request_id: request_id.map(str::to_owned),
    };
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

fn error_page(
    report: &ErrorReport,
    status: StatusCode,
    i18n: I18n,
    path: String,
    request_id: Option<&str>,
) -> Response {
    let (title, detail) = report.kind.keys();
    let page = ErrorPage {
        page: Page::new(i18n, path),
        status: status.as_u16(),
        title: i18n.t(title),
        detail: report.detail.clone().unwrap_or_else(|| i18n.t(detail)),
        fields: report.fields.iter().map(|e| (e.field.clone(), i18n.problem(&e.problem))).collect(),
        request_id,
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page failed to render");
            (status, i18n.t(title)).into_response()
        }
    }
}
