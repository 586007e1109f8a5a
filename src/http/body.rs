//! Reading request bodies so that every failure names what is wrong in the app's own format:
//! a wrong content type or malformed syntax 400, past the body limit 413, a value of the wrong
//! kind or a control character 422 naming the field. The web pages' forms and the API's JSON
//! both read their bodies here.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::input::{FieldErrors, Problem, has_forbidden_control};
use crate::error::AppError;

/// A posted `application/x-www-form-urlencoded` body; repeated keys fill `Vec` fields.
pub struct HtmlForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for HtmlForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        require_content_type(&request, "application/x-www-form-urlencoded", |_| false)?;
        let body = read_body(request, state).await?;
        refuse_control_characters(
            url::form_urlencoded::parse(&body).map(|(field, value)| (field.into_owned(), value)),
        )?;
        serde_html_form::from_bytes(&body).map(HtmlForm).map_err(|e| AppError::MalformedBody(e.to_string()))
    }
}

/// Refuses (422) input with a control character in any value, naming each such field.
pub fn refuse_control_characters<V: AsRef<str>>(fields: impl Iterator<Item = (String, V)>) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    for (field, value) in fields {
        if has_forbidden_control(value.as_ref()) {
            errors.add(&field, Problem::ControlCharacter);
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Invalid(errors)) }
}

/// Refuses a body whose media type is neither `expected` nor one that `also_accepted` allows.
pub fn require_content_type(
    request: &Request,
    expected: &'static str,
    also_accepted: impl Fn(&str) -> bool,
) -> Result<(), AppError> {
    match media_type(request) {
        Some(media_type) if media_type == expected || also_accepted(&media_type) => Ok(()),
        _ => Err(AppError::UnsupportedContentType { expected }),
    }
}

/// The request's media type, lower-cased, without its parameters.
pub fn media_type(request: &Request) -> Option<String> {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

/// A multipart part's bytes, or `None` as soon as they pass `max`: the rest is not read.
pub async fn part_within(
    mut part: axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<Option<Vec<u8>>, axum::extract::multipart::MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = part.chunk().await? {
        if bytes.len() + chunk.len() > max {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

/// The body as bytes, within the router's body limit.
pub async fn read_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(request, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else if arrived_too_late(&rejection) {
            AppError::BodyTimedOut
        } else {
            AppError::MalformedBody(rejection.body_text())
        }
    })
}

/// The body as bytes, at most `limit` of them, for a layer that reads it before the handler.
pub async fn read_body_within(body: Body, limit: usize) -> Result<Bytes, AppError> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|error| if arrived_too_late(&error) { AppError::BodyTimedOut } else { AppError::PayloadTooLarge })
}

/// The request body's time was up before it had arrived in full.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
pub struct BodyTimedOut;

/// Whether `error`, or an error it was caused by, is a body that did not arrive in time.
pub fn arrived_too_late(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |error| error.source()).any(|error| error.is::<BodyTimedOut>())
}

/// A request body that fails with [`BodyTimedOut`] once its deadline passes before it has
/// arrived in full, however steadily or slowly it trickles in.
pub struct BodyWithDeadline {
    inner: Body,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl BodyWithDeadline {
    pub fn new(inner: Body, time: std::time::Duration) -> Self {
        Self { inner, deadline: Box::pin(tokio::time::sleep(time)) }
    }
}

impl HttpBody for BodyWithDeadline {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimedOut)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A JSON body: 400 for a wrong content type or malformed JSON, 413 past the body limit,
/// 422 naming the field for a value of the wrong kind.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Serialize> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        require_content_type(&request, "application/json", |media_type| media_type.ends_with("+json"))?;
        let body = read_body(request, state).await?;
        json_of(&body).map(ApiJson)
    }
}

/// A JSON object read as `T`, refused as [`ApiJson`] refuses it.
pub fn json_of<T: DeserializeOwned + Serialize>(body: &[u8]) -> Result<T, AppError> {
    // serde would also fill a struct from an array, in field order: only an object names fields.
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(AppError::MalformedBody("the body must be a JSON object".into()));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_data() && field != "." {
            AppError::Invalid(FieldErrors::single(&field, Problem::WrongType))
        } else if inner.is_data() {
            AppError::MalformedBody("the body must be a JSON object".into())
        } else {
            AppError::MalformedBody(format!("malformed JSON: {inner}"))
        }
    })?;
    deserializer.end().map_err(|error| AppError::MalformedBody(format!("malformed JSON: {error}")))?;
    // JSON can carry a control character only escaped; most bodies have no escape at all. Only
    // what the input reads is checked: an unknown field is ignored, whatever it holds.
    if body.contains(&b'\\') {
        let read = serde_json::to_value(&value).map_err(|error| AppError::MalformedBody(error.to_string()))?;
        let mut strings = Vec::new();
        strings_in(&read, String::new(), &mut strings);
        refuse_control_characters(strings.into_iter())?;
    }
    Ok(value)
}

/// Every string in `value` (object keys too) with its path, written as serde_path_to_error
/// writes it (`duties[2]`, `salary.currency`).
fn strings_in<'v>(value: &'v serde_json::Value, path: String, found: &mut Vec<(String, &'v str)>) {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match value {
        serde_json::Value::String(text) => found.push((path, text)),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings_in(item, format!("{path}[{i}]"), found);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                found.push((join(key), key));
                strings_in(item, join(key), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::ProfileInput;

    fn error_of(body: &str) -> AppError {
        match json_of::<ProfileInput>(body.as_bytes()) {
            Ok(_) => panic!("{body} should be refused"),
            Err(error) => error,
        }
    }

    #[test]
    fn failures_say_what_is_wrong() {
        assert!(matches!(error_of("{\"title\": "), AppError::MalformedBody(_)));
        assert!(matches!(error_of("{} {}"), AppError::MalformedBody(_)));
        assert!(matches!(error_of("[1, 2]"), AppError::MalformedBody(_)));
        match error_of(r#"{"duties": 5}"#) {
            AppError::Invalid(errors) => assert_eq!(errors.get("duties"), Some(&Problem::WrongType)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn control_characters_are_refused_naming_the_field() {
        let fields = |body: &str| match error_of(body) {
            AppError::Invalid(errors) => errors.iter().map(|e| e.field.clone()).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields(r#"{"title": "A\u0000B"}"#), ["title"]);
        assert_eq!(fields(r#"{"duties": ["ok", "x\u001b[31m"]}"#), ["duties[1]"]);
        assert_eq!(fields(r#"{"contact_name": "\u007f", "title": "\b"}"#), ["contact_name", "title"]);
        // A field the input does not read is ignored, whatever it holds.
        assert!(json_of::<ProfileInput>(br#"{"contact": {"name": "\u007f"}, "title": "A"}"#).is_ok());
        let kept: ProfileInput = json_of(br#"{"title": "Tab\there,\nnew line\r\n and \"quotes\""}"#).unwrap();
        assert_eq!(kept.title.as_deref(), Some("Tab\there,\nnew line\r\n and \"quotes\""));
    }

    #[test]
    fn numbers_may_come_as_numbers_or_text() {
        let input: ProfileInput = json_of(br#"{"weekly_hours": 37, "travel_share": "10"}"#).unwrap();
        assert_eq!((input.weekly_hours.as_deref(), input.travel_share.as_deref()), (Some("37"), Some("10")));
    }
}
