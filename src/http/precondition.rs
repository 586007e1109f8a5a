//! Versions as HTTP sees them: a single resource answers with its version as a strong `ETag`,
//! and a change may name the version it was made from in `If-Match` instead of the body's
//! `version` field; a change from another version then fails its precondition (412).

use axum::extract::FromRequestParts;
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

use crate::error::AppError;

/// The version an `If-Match` header names, if one was sent.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let Some(value) = parts.headers.get(IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let version = value
            .to_str()
            .ok()
            .and_then(|tag| tag.trim().strip_prefix('"')?.strip_suffix('"')?.parse::<i64>().ok())
            .filter(|version| *version >= 1);
        version
            .map(|v| IfMatch(Some(v)))
            .ok_or_else(|| AppError::MalformedBody("If-Match must be one ETag this API gave, such as \"3\"".into()))
    }
}

impl IfMatch {
    /// The input's `version` as the header names it, when it does: the header wins.
    pub fn apply(&self, version: &mut Option<String>) {
        if let Some(expected) = self.0 {
            *version = Some(expected.to_string());
        }
    }

    /// A conflict with the version `If-Match` named is that precondition failing (412); without
    /// the header it stays a conflict with the body's `version` (409).
    pub fn judge<T>(&self, result: Result<T, AppError>) -> Result<T, AppError> {
        match result {
            Err(AppError::Conflict { current_version }) if self.0.is_some() => {
                Err(AppError::PreconditionFailed { current_version })
            }
            other => other,
        }
    }
}

/// Documents the header on the operations that take it; the OpenAPI finishing pass adds their
/// 412 answer.
impl utoipa::IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let schema = ObjectBuilder::new().schema_type(Type::String).pattern(Some(r#"^"[1-9][0-9]{0,17}"$"#));
        let description = "The ETag the request was made from (`\"3\"`, as the resource's GET gave it): \
            when the resource has another version now, the answer is 412 and nothing is written";
        let parameter = ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(schema));
        vec![parameter.build()]
    }
}

/// `answer` with the resource's `version` as its strong ETag.
pub fn tagged(version: i64, answer: impl IntoResponse) -> Response {
    ([(ETAG, format!("\"{version}\""))], answer).into_response()
}
