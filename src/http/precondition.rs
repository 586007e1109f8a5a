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

/// The version an `If-Match` header names, if one was sent. `*` (any current version) names
/// none. A well-formed list of entity tags that holds no strong tag this API could have given
/// (`"stale"`, `W/"3"`: If-Match compares strongly) names [`NO_VERSION`], so that the change
/// fails its precondition (412) with the record's current version, as RFC 9110 says, instead
/// of being refused as malformed. Of several strong tags, the first is the one compared.
pub struct IfMatch(pub Option<i64>);

/// A version no record reaches (versions count up from 1), for a tag that names none.
const NO_VERSION: i64 = i64::MAX;

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let Some(value) = parts.headers.get(IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let malformed =
            || AppError::MalformedBody("If-Match must be * or ETags such as \"3\", as this API gives them".into());
        let value = value.to_str().map_err(|_| malformed())?.trim();
        if value == "*" {
            return Ok(IfMatch(None));
        }
        let tags = entity_tags(value).ok_or_else(malformed)?;
        let version = tags
            .iter()
            .filter(|tag| !tag.weak)
            .find_map(|tag| tag.opaque.parse::<i64>().ok().filter(|version| *version >= 1))
            .unwrap_or(NO_VERSION);
        Ok(IfMatch(Some(version)))
    }
}

/// One entity tag of an `If-Match` list: `"opaque"` or `W/"opaque"`.
struct EntityTag<'a> {
    weak: bool,
    opaque: &'a str,
}

/// The entity tags of a comma-separated list (RFC 9110, 8.8.3), or `None` when it is not one.
fn entity_tags(list: &str) -> Option<Vec<EntityTag<'_>>> {
    let tags: Vec<EntityTag<'_>> = list
        .split(',')
        .map(str::trim)
        .filter(|element| !element.is_empty())
        .map(|element| {
            let (weak, quoted) = element.strip_prefix("W/").map_or((false, element), |rest| (true, rest));
            let opaque = quoted.strip_prefix('"')?.strip_suffix('"')?;
            let etagc = |c: char| c == '\x21' || ('\x23'..='\x7e').contains(&c) || !c.is_ascii();
            opaque.chars().all(etagc).then_some(EntityTag { weak, opaque })
        })
        .collect::<Option<_>>()?;
    (!tags.is_empty()).then_some(tags)
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
/// A version as its strong `ETag`: `"3"`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

pub fn tagged(version: i64, answer: impl IntoResponse) -> Response {
    ([(ETAG, etag(version))], answer).into_response()
}
