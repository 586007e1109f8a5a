//! One error type for every use case and handler, and what each error means to the client:
//! its status and the catalogue keys that explain it. The response body is written later, once
//! the audience is known: a JSON problem under `/api/` (`api::problem`), an HTML page elsewhere
//! (`web::error_page`), both in the reader's language.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::input::FieldErrors;
use crate::i18n::I18n;
use crate::store::StoreError;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("changed by someone else")]
    Conflict { current_version: i64 },
    /// An `If-Match` that names another version than the record has: nothing was written.
    #[error("the If-Match precondition failed")]
    PreconditionFailed { current_version: i64 },
    /// A change to a candidate whose personal data was erased: it would bring data back.
    #[error("the candidate's personal data was erased")]
    Erased,
    /// A request whose change met the answer another request with its idempotency key kept at
    /// the same moment: nothing of its own was written.
    #[error("another request with this idempotency key was answered at the same moment")]
    InProgress,
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
    /// More applications from one client address than people send.
    #[error("too many applications")]
    TooManyApplications { retry_after_secs: u64 },
    /// The database cannot take the request now (full, locked, out of reach); nothing was
    /// stored, and the same request may succeed later.
    #[error("the database is unavailable: {0}")]
    Unavailable(StoreError),
    /// As many applications are being received as the server reads at once: nothing was read.
    #[error("too many applications are being received at once")]
    Busy { retry_after_secs: u64 },
    /// The body did not arrive in the time a request is given: nothing was kept.
    #[error("the request body did not arrive in time")]
    BodyTimedOut,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { current_version } => AppError::Conflict { current_version },
            StoreError::KeyTaken => AppError::InProgress,
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

/// What went wrong, carried in the response's extensions from a handler to the layer that
/// knows the audience and writes the body.
#[derive(Debug, Clone)]
pub struct ErrorReport {
    kind: ErrorKind,
    /// Said instead of the kind's explanation (what was malformed in a body, say).
    pub detail: Option<String>,
    /// Every rejected field, for 422.
    pub fields: FieldErrors,
    /// The version the record has now, for 409.
    pub current_version: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
enum ErrorKind {
    NotFound,
    Invalid,
    Conflict,
    PreconditionFailed,
    Erased,
    InProgress,
    BadRequest,
    TooLarge,
    MethodNotAllowed,
    Unauthenticated,
    BadToken,
    Forbidden,
    Csrf,
    TooManyAttempts,
    TooManyApplications,
    Unavailable,
    Busy,
    TimedOut,
    Internal,
}

impl ErrorKind {
    fn of_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::UNPROCESSABLE_ENTITY => Self::Invalid,
            StatusCode::CONFLICT => Self::Conflict,
            StatusCode::PRECONDITION_FAILED => Self::PreconditionFailed,
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
            Self::Conflict | Self::Erased | Self::InProgress => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Unauthenticated | Self::BadToken => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::TooManyAttempts | Self::TooManyApplications => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::TimedOut => StatusCode::REQUEST_TIMEOUT,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The catalogue keys of the title and the explanation.
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Self::NotFound => ("error-not-found", "error-not-found-detail"),
            Self::Invalid => ("error-invalid", "error-invalid-detail"),
            Self::Conflict => ("error-conflict", "error-conflict-detail"),
            Self::PreconditionFailed => ("error-precondition-failed", "error-precondition-failed-detail"),
            Self::Erased => ("error-erased", "error-erased-detail"),
            Self::InProgress => ("error-in-progress", "error-in-progress-detail"),
            Self::BadRequest => ("error-bad-request", "error-bad-request-detail"),
            Self::TooLarge => ("error-too-large", "error-too-large-detail"),
            Self::MethodNotAllowed => ("error-method", "error-method-detail"),
            Self::Unauthenticated => ("error-unauthenticated", "error-unauthenticated-detail"),
            Self::BadToken => ("error-bad-token", "error-bad-token-detail"),
            Self::Forbidden => ("error-forbidden", "error-forbidden-detail"),
            Self::Csrf => ("error-csrf", "error-csrf-detail"),
            Self::TooManyAttempts => ("error-too-many-attempts", "error-too-many-attempts-detail"),
            Self::TooManyApplications => ("error-too-many-applications", "error-too-many-applications-detail"),
            Self::Unavailable => ("error-unavailable", "error-unavailable-detail"),
            Self::Busy => ("error-busy", "error-busy-detail"),
            Self::TimedOut => ("error-timed-out", "error-timed-out-detail"),
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
            AppError::PreconditionFailed { current_version } => {
                ErrorReport { current_version: Some(current_version), ..ErrorReport::of(ErrorKind::PreconditionFailed) }
            }
            AppError::Erased => ErrorReport::of(ErrorKind::Erased),
            AppError::InProgress => ErrorReport::of(ErrorKind::InProgress),
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
            AppError::TooManyApplications { retry_after_secs } => {
                return ErrorReport::of(ErrorKind::TooManyApplications).retry_after(retry_after_secs);
            }
            AppError::Unavailable(error) => {
                tracing::warn!(error = format!("{error:#}"), "request refused: the database is unavailable");
                return ErrorReport::of(ErrorKind::Unavailable).retry_after(UNAVAILABLE_RETRY_AFTER_SECS);
            }
            AppError::Busy { retry_after_secs } => {
                return ErrorReport::of(ErrorKind::Busy).retry_after(retry_after_secs);
            }
            AppError::BodyTimedOut => ErrorReport::of(ErrorKind::TimedOut),
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

    /// The report of a bodiless error answer of the router itself (an unknown route, a wrong
    /// method); `None` for a success, or for an error that wrote its own body.
    pub fn of_bodiless(response: &Response) -> Option<Self> {
        let status = response.status();
        let failed = status.is_client_error() || status.is_server_error();
        (failed && !response.headers().contains_key(header::CONTENT_TYPE))
            .then(|| Self::of(ErrorKind::of_status(status)))
    }

    /// What went wrong, in a few words.
    pub fn title(&self, i18n: I18n) -> String {
        i18n.t(self.kind.keys().0)
    }

    /// What went wrong and what to do about it.
    pub fn explanation(&self, i18n: I18n) -> String {
        self.detail.clone().unwrap_or_else(|| i18n.t(self.kind.keys().1))
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
