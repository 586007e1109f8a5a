//! CSRF protection for every state-changing request of the web UI: a random token kept in the
//! session (synchronizer token pattern), which every form sends back as `csrf_token` (or a
//! script as the `x-csrf-token` header). The API is exempt: it takes no cookies, only tokens.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use super::{is_api, original_path, session_error};
use crate::app::BODY_LIMIT;
use crate::error::AppError;

const SESSION_KEY: &str = "csrf_token";
pub const FORM_FIELD: &str = "csrf_token";
const HEADER: &str = "x-csrf-token";

/// The session's token, made on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(SESSION_KEY).await.map_err(session_error)? {
        return Ok(token);
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    session.insert(SESSION_KEY, &token).await.map_err(session_error)?;
    Ok(token)
}

/// Replaces the session's token, as at sign-in: a token seen before cannot be used after.
pub async fn renew(session: &Session) -> Result<String, AppError> {
    session.remove::<String>(SESSION_KEY).await.map_err(session_error)?;
    token(session).await
}

/// Refuses (403) a POST, PUT, PATCH or DELETE outside the API whose token is missing, wrong,
/// or from another session; the body is read here and handed on unchanged.
pub async fn verify(request: Request, next: Next) -> Response {
    if request.method().is_safe() || is_api(original_path(&request)) {
        return next.run(request).await;
    }
    match checked(request).await {
        Ok(request) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

async fn checked(request: Request) -> Result<Request, AppError> {
    let session = request.extensions().get::<Session>().cloned();
    let expected = match &session {
        Some(session) => session.get::<String>(SESSION_KEY).await.map_err(session_error)?,
        None => None,
    };
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| AppError::PayloadTooLarge)?;
    let sent = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| form_field(&bytes, FORM_FIELD));
    match (expected, sent) {
        (Some(expected), Some(sent)) if bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(AppError::CsrfRejected),
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}
