//! Retries without duplicates: a POST to the API sent with an `Idempotency-Key` is worked on
//! once; the same key with the same request within a day gets the first answer again, and the
//! same key with another request is refused. A request's answer is kept in the transaction of
//! the change it makes (see [`Answer`]), so that a retry after a crash finds either the answer
//! or nothing done; two sent at once make one change, the second answered as the first.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, ETAG, LINK, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::any::Any;
use std::sync::Arc;

use crate::app::{AppState, BODY_LIMIT};
use crate::auth::{CurrentUser, is_api};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::application_form::APPLICATION_BODY_MAX;
use crate::http::body::read_body_within;
use crate::store::KeptAnswer;
use crate::store::keyed::{self, AnswerToKeep, KeyedRequest};

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
    let user = request.extensions().get::<CurrentUser>().map(|CurrentUser(user)| (user.id, body_limit(&request, user)));
    match (keyed, user) {
        (true, Some((user_id, limit))) => {
            answer_once(&state, user_id, limit, request, next).await.unwrap_or_else(|e| e.into_response())
        }
        _ => next.run(request).await,
    }
}

/// The most a keyed request's body may hold, read in full before its route's access check: an
/// upload's limit (an application's only for one who may send it), else the router's.
fn body_limit(request: &Request, user: &User) -> usize {
    let content_type = request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("multipart/") {
        return BODY_LIMIT;
    }
    let path = request.uri().path();
    let application = path.starts_with("/api/v1/jobs/") && path.ends_with("/applications");
    if application && user.role.grants(Permission::ManageCandidates) {
        APPLICATION_BODY_MAX
    } else {
        super::DOCUMENT_UPLOAD_MAX
    }
}

async fn answer_once(
    state: &AppState,
    user_id: i64,
    limit: usize,
    request: Request,
    next: Next,
) -> AppResult<Response> {
    let (parts, body) = request.into_parts();
    let key = key_of(&parts)?;
    let body = read_body_within(body, limit).await?;
    let fingerprint = fingerprint(&parts, &body);
    if let Some((kept_for, answer)) = state.store.kept_answer(user_id, &key, chrono::Utc::now()).await? {
        if kept_for != fingerprint {
            return Err(AppError::Invalid(FieldErrors::single(KEY_FIELD, Problem::IdempotencyKeyReused)));
        }
        // Answered by the route's own [`replay_kept_answer`] layer, behind its access check, so
        // that a user who may no longer send the request does not get its answer again.
        let mut request = Request::from_parts(parts, Body::from(body));
        request.extensions_mut().insert(KeptReply(answer));
        return Ok(next.run(request).await);
    }
    let keyed = KeyedRequest::new(user_id, key, fingerprint);
    let response = keyed.scope(next.run(Request::from_parts(parts, Body::from(body)))).await;
    let status = response.status();
    if (status.is_success() && keyed.answer_taken())
        || matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
    {
        return Ok(response);
    }
    // No change of this request's kept its answer: a twin sent at the same moment may have, and
    // its answer is this one's too (whatever this one met: the twin's change, or its key). The
    // access check has just passed, or the route would have refused.
    if let Some((kept_for, answer)) = state.store.kept_answer(user_id, &keyed.key, chrono::Utc::now()).await? {
        if kept_for != keyed.fingerprint {
            return Err(AppError::Invalid(FieldErrors::single(KEY_FIELD, Problem::IdempotencyKeyReused)));
        }
        return Ok(replay(answer));
    }
    if status.is_success() {
        return Ok(keep(state, &keyed, response).await);
    }
    Ok(response)
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

/// What makes two requests the same: method, path and query, content type and body. A
/// multipart body's boundary is left out, of the content type and of the body: a client picks
/// it afresh each time it builds a request, so that a retry built anew is still the same.
pub fn fingerprint(parts: &Parts, body: &Bytes) -> String {
    let content_type = parts.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or_default();
    let mut hash = Sha256::new();
    let mut add = |part: &[u8]| {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    };
    add(parts.method.as_str().as_bytes());
    add(target.as_bytes());
    match multipart_boundary(content_type) {
        Some(boundary) => {
            add(content_type.split(';').next().unwrap_or_default().trim().as_bytes());
            let mut from = 0;
            for at in memchr::memmem::find_iter(body, boundary.as_bytes()) {
                add(&body[from..at]);
                from = at + boundary.len();
            }
            add(&body[from..]);
        }
        None => {
            add(content_type.as_bytes());
            add(body);
        }
    }
    hash.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The boundary a multipart content type names.
fn multipart_boundary(content_type: &str) -> Option<&str> {
    if !content_type.trim_start().to_ascii_lowercase().starts_with("multipart/") {
        return None;
    }
    let parameters = content_type.split(';').skip(1).map(str::trim);
    let boundary = parameters.filter_map(|p| p.split_once('=')).find(|(name, _)| name.eq_ignore_ascii_case("boundary"));
    boundary.map(|(_, value)| value.trim_matches('"')).filter(|value| !value.is_empty())
}

/// Keeps the answer to a request whose change kept none in its own transaction (a check that
/// changes nothing, a change refused or the same when done twice), for the retries to come;
/// an answer that is not text (no POST gives one) is not kept. The client gets `response`, or
/// the answer a twin kept first.
async fn keep(state: &AppState, keyed: &KeyedRequest, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => return AppError::Internal(anyhow::anyhow!("reading an answer to keep: {error}")).into_response(),
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return Response::from_parts(parts, Body::from(body));
    };
    let headers = KEPT_HEADERS
        .iter()
        .filter_map(|name| Some((name.as_str().to_owned(), parts.headers.get(name)?.to_str().ok()?.to_owned())))
        .collect();
    let answer = KeptAnswer { status: parts.status.as_u16(), headers, body: text.to_owned() };
    let kept =
        AnswerToKeep { user_id: keyed.user_id, key: keyed.key.clone(), fingerprint: keyed.fingerprint.clone(), answer };
    match state.store.keep_answer(&kept, chrono::Utc::now()).await {
        Ok(true) => {}
        Ok(false) => {
            if let Ok(Some((kept_for, first))) =
                state.store.kept_answer(keyed.user_id, &keyed.key, chrono::Utc::now()).await
                && kept_for == keyed.fingerprint
            {
                return replay(first);
            }
        }
        Err(error) => tracing::warn!(error = format!("{error:#}"), "an answer was not kept for retries"),
    }
    Response::from_parts(parts, Body::from(body))
}

/// How a POST's answer is made from the value its change's write returns. Made before the
/// change, so that a keyed request's answer is kept in the change's own transaction; then
/// used to answer, so that the answer given and the answer kept are one.
pub struct Answer<T> {
    build: Arc<dyn Fn(&T) -> KeptAnswer + Send + Sync>,
}

impl<T: Any> Answer<T> {
    pub fn new(build: impl Fn(&T) -> KeptAnswer + Send + Sync + 'static) -> Self {
        let build: Arc<dyn Fn(&T) -> KeptAnswer + Send + Sync> = Arc::new(build);
        let kept = build.clone();
        keyed::answer_with(move |value: &T| kept(value));
        Answer { build }
    }

    /// The answer made from `value`.
    pub fn to(&self, value: &T) -> Response {
        response_of((self.build)(value))
    }
}

/// `201 Created` at `location` with `body` as JSON.
pub fn created(location: String, body: &impl Serialize) -> KeptAnswer {
    let mut answer = json_answer(StatusCode::CREATED, body);
    answer.headers.push((LOCATION.as_str().to_owned(), location));
    answer
}

/// `status` with `body` as JSON.
pub fn json_answer(status: StatusCode, body: &impl Serialize) -> KeptAnswer {
    // The API's bodies are structs and lists with string keys: they always serialise.
    let body = serde_json::to_string(body).unwrap_or_else(|_| "null".to_owned());
    KeptAnswer {
        status: status.as_u16(),
        headers: vec![(CONTENT_TYPE.as_str().to_owned(), "application/json".to_owned())],
        body,
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
    let mut response = response_of(answer);
    response.headers_mut().insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    response
}

/// An answer as a response: its status, headers and body.
fn response_of(answer: KeptAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            headers.insert(name, value);
        }
    }
    response
}
