//! CSRF protection for every state-changing request of the web UI: a random token kept in the
//! session (synchronizer token pattern), which every form sends back as `csrf_token` (or a
//! script as the `x-csrf-token` header). The API is exempt: it takes no cookies, only tokens.
//!
//! A visitor who is not signed in has no session: viewing the sign-in page must store nothing
//! on the server. Their forms carry the token of a cookie of its own instead (double submit),
//! which is HttpOnly and SameSite=Strict, so that no other site's page sends it along.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use super::tokens::hex;
use super::{CurrentUser, is_api, original_path, session_error};
use crate::app::{AppState, BODY_LIMIT};
use crate::error::AppError;
use crate::http::body::read_body_within;

const SESSION_KEY: &str = "csrf_token";
pub const FORM_FIELD: &str = "csrf_token";
const HEADER: &str = "x-csrf-token";

/// The session's token, made on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(SESSION_KEY).await.map_err(session_error)? {
        return Ok(token);
    }
    let token = random_token();
    session.insert(SESSION_KEY, &token).await.map_err(session_error)?;
    Ok(token)
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The token as a page carries it: a fresh random pad, then the token's bytes XORed with it.
/// No two pages then carry the same bytes, so that a compressed page's length tells nothing
/// about the token (BREACH), however much of the page an attacker chooses.
pub fn masked(token: &str) -> String {
    let mut pad = vec![0u8; token.len()];
    rand::rngs::OsRng.fill_bytes(&mut pad);
    let hidden: Vec<u8> = token.bytes().zip(&pad).map(|(t, p)| t ^ p).collect();
    format!("{}{}", hex(&pad), hex(&hidden))
}

/// The token a form sent, as [`masked`] hid it; `None` for anything else.
fn unmasked(sent: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = (0..sent.len())
        .step_by(2)
        .map(|at| sent.get(at..at + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect();
    match bytes {
        Some(bytes) if bytes.len() % 2 == 0 && bytes.len() >= 2 => {
            let (pad, hidden) = bytes.split_at(bytes.len() / 2);
            String::from_utf8(pad.iter().zip(hidden).map(|(p, h)| p ^ h).collect()).ok()
        }
        _ => None,
    }
}

/// The token of a visitor who is not signed in, from their cookie (or new).
#[derive(Debug, Clone)]
pub struct VisitorToken(pub String);

/// The visitor cookie's name: over https with the `__Host-` prefix, so that no other host
/// (a subdomain) can set it.
fn visitor_cookie(secure: bool) -> &'static str {
    if secure { "__Host-amfit_csrf" } else { "amfit_csrf" }
}

/// Gives each page request of a visitor who is not signed in its visitor token: the one its
/// cookie carries, or a new one, which the response then sets. Runs after
/// [`authenticate`](super::authenticate), which tells who is signed in.
pub async fn attach_visitor_token(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if is_api(request.uri().path()) || request.extensions().get::<CurrentUser>().is_some() {
        return next.run(request).await;
    }
    let secure = state.sessions.secure;
    let name = visitor_cookie(secure);
    let sent = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|(_, value)| value.to_owned());
    let (token, is_new) = match sent {
        Some(token) => (token, false),
        None => (random_token(), true),
    };
    request.extensions_mut().insert(VisitorToken(token.clone()));
    let mut response = next.run(request).await;
    if is_new && !is_shared_cacheable(&response) {
        let secure = if secure { "; Secure" } else { "" };
        let cookie = format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict{secure}");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// A response a shared cache may keep and hand to others (the stylesheet, the scripts, the
/// icon): a visitor token set on it would be given to every visitor the cache serves, and one
/// visitor could then forge the others' forms.
fn is_shared_cacheable(response: &Response) -> bool {
    response
        .headers()
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|directive| directive.trim().eq_ignore_ascii_case("public"))
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
    let in_session = match &session {
        Some(session) => session.get::<String>(SESSION_KEY).await.map_err(session_error)?,
        None => None,
    };
    // A signed-in session always has its own token (made at sign-in); the visitor's token
    // stands in only where nobody is signed in.
    let signed_in = request.extensions().get::<CurrentUser>().is_some();
    let expected = match in_session {
        Some(token) => Some(token),
        None if !signed_in => request.extensions().get::<VisitorToken>().map(|visitor| visitor.0.clone()),
        None => None,
    };
    let (parts, body) = request.into_parts();
    let bytes = read_body_within(body, BODY_LIMIT).await?;
    let header = parts.headers.get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let boundary = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    let sent = match (header, boundary) {
        (Some(header), _) => Some(header),
        (None, Some(boundary)) => multipart_field(bytes.clone(), boundary, FORM_FIELD).await,
        (None, None) => form_field(&bytes, FORM_FIELD),
    };
    match (expected, sent.as_deref().and_then(unmasked)) {
        (Some(expected), Some(sent)) if bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(AppError::CsrfRejected),
    }
}

/// The text of field `name` of a `multipart/form-data` body (a form that uploads a file).
async fn multipart_field(body: axum::body::Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}
