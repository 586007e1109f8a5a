//! Retries without duplicates: a POST to the API sent with an `Idempotency-Key` is worked on
//! once; the same key with the same request within a day gets the first answer again, and the
//! same key with another request is refused.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, ETAG, LINK, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::app::{AppState, BODY_LIMIT};
use crate::auth::{CurrentUser, is_api};
use crate::domain::input::{FieldErrors, Problem};
use crate::error::{AppError, AppResult};
use crate::http::body::read_body_within;
use crate::store::{KeptAnswer, KeyClaim};

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on an answer given again to a retry.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
pub const KEY_MAX: usize = 255;
/// How a problem names the header.
const KEY_FIELD: &str = "Idempotency-Key";
/// The headers of an answer a client may need from a replay, besides its body.
const KEPT_HEADERS: [HeaderName; 4] = [CONTENT_TYPE, LOCATION, ETAG, LINK];

/// Works on a keyed API POST once, or answers it as the first time; passes anything else on.
/// Requests nobody signed are passed on too: the access check refuses them.
pub async fn once(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let keyed = request.method() == Method::POST
        && is_api(request.uri().path())
        && request.headers().contains_key(IDEMPOTENCY_KEY);
    let user = request.extensions().get::<CurrentUser>().map(|CurrentUser(user)| user.id);
    match (keyed, user) {
        (true, Some(user_id)) => {
            answer_once(&state, user_id, request, next).await.unwrap_or_else(|e| e.into_response())
        }
        _ => next.run(request).await,
    }
}

async fn answer_once(state: &AppState, user_id: i64, request: Request, next: Next) -> AppResult<Response> {
    let (parts, body) = request.into_parts();
    let key = key_of(&parts)?;
    let body = read_body_within(body, BODY_LIMIT).await?;
    let fingerprint = fingerprint(&parts, &body);
    match state.store.claim_key(user_id, &key, &fingerprint, chrono::Utc::now()).await? {
        // Answered by the route's own [`replay_kept_answer`] layer, behind its access check, so
        // that a user who may no longer send the request does not get its answer again.
        KeyClaim::Answered(answer) => {
            let mut request = Request::from_parts(parts, Body::from(body));
            request.extensions_mut().insert(KeptReply(answer));
            Ok(next.run(request).await)
        }
        KeyClaim::InProgress => Err(AppError::InProgress),
        KeyClaim::OtherRequest => Err(AppError::Invalid(FieldErrors::single(KEY_FIELD, Problem::IdempotencyKeyReused))),
        KeyClaim::Claimed => {
            let response = next.run(Request::from_parts(parts, Body::from(body))).await;
            Ok(keep(state, user_id, &key, response).await)
        }
    }
}

/// The key the request sends: 1 to [`KEY_MAX`] visible ASCII characters.
fn key_of(parts: &Parts) -> AppResult<String> {
    let key = parts.headers.get(IDEMPOTENCY_KEY).and_then(|value| value.to_str().ok()).unwrap_or_default();
    if (1..=KEY_MAX).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) {
        return Ok(key.to_owned());
    }
    let problem = Problem::InvalidIdempotencyKey { max: KEY_MAX as u64 };
    Err(AppError::Invalid(FieldErrors::single(KEY_FIELD, problem)))
}

/// What makes two requests the same: method, path and query, content type and body.
pub fn fingerprint(parts: &Parts, body: &Bytes) -> String {
    let content_type = parts.headers.get(CONTENT_TYPE).map(HeaderValue::as_bytes).unwrap_or_default();
    let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or_default();
    let mut hash = Sha256::new();
    for part in [parts.method.as_str().as_bytes(), target.as_bytes(), content_type, body] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hash.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Keeps a success for the retries to come; gives the key up after a failure, so that a retry
/// is worked on again (nothing was done the first time), and after an answer that is not text
/// (no POST gives one). Either way the client gets `response`.
async fn keep(state: &AppState, user_id: i64, key: &str, response: Response) -> Response {
    if !response.status().is_success() {
        release(state, user_id, key).await;
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => return AppError::Internal(anyhow::anyhow!("reading an answer to keep: {error}")).into_response(),
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        release(state, user_id, key).await;
        return Response::from_parts(parts, Body::from(body));
    };
    let headers = KEPT_HEADERS
        .iter()
        .filter_map(|name| Some((name.as_str().to_owned(), parts.headers.get(name)?.to_str().ok()?.to_owned())))
        .collect();
    let answer = KeptAnswer { status: parts.status.as_u16(), headers, body: text.to_owned() };
    // The work is done and committed: the client gets its answer even when keeping it fails.
    if let Err(error) = state.store.complete_key(user_id, key, &answer).await {
        tracing::warn!(error = format!("{error:#}"), "an answer was not kept for retries");
    }
    Response::from_parts(parts, Body::from(body))
}

async fn release(state: &AppState, user_id: i64, key: &str) {
    if let Err(error) = state.store.release_key(user_id, key).await {
        tracing::warn!(error = format!("{error:#}"), "an idempotency key stays claimed until it is abandoned");
    }
}

/// The first answer to a request whose retry is being answered.
#[derive(Debug, Clone)]
struct KeptReply(KeptAnswer);

/// Answers a retry with the kept answer instead of working on it again. A route layer inside
/// the route's access check: it runs only once the caller is found still to be allowed.
pub async fn replay_kept_answer(request: Request, next: Next) -> Response {
    match request.extensions().get::<KeptReply>() {
        Some(KeptReply(answer)) => replay(answer.clone()),
        None => next.run(request).await,
    }
}

/// The kept answer, marked as given again.
fn replay(answer: KeptAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            headers.insert(name, value);
        }
    }
    headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    response
}
