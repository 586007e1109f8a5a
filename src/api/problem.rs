//! How every API error answers: an RFC 9457 problem document in the language the request asked
//! for, with the request id that the log carries.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::domain::input::Problem;
use crate::error::ErrorReport;
use crate::i18n::I18n;

/// An RFC 9457 problem document.
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

/// One rejected field: its name, the problem's `code` with the problem's own values beside it
/// (a `max`, the `allowed` choices), and the reason as a sentence.
#[derive(Serialize)]
pub struct FieldProblem {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
    /// The reason as a sentence, in the language the request asked for.
    pub message: String,
}

impl utoipa::ToSchema for FieldProblem {}

/// A plain object, not the `allOf` over a `oneOf` that the flattened enum would derive: client
/// generators (openapi-python-client among them) cannot type that, and lose every error. Its
/// `code` lists every problem's code and its other members every value a problem carries, read
/// from [`Problem`]'s own schema, so that the two cannot drift apart.
impl utoipa::PartialSchema for FieldProblem {
    fn schema() -> RefOr<Schema> {
        let (codes, values) = problem_codes_and_values();
        let text = |description: &str| ObjectBuilder::new().schema_type(Type::String).description(Some(description));
        let mut object = ObjectBuilder::new()
            .description(Some("One rejected field, the problem named by `code`, and the reason as a sentence."))
            .property("field", text("The field, as the request named it (a dotted path inside a list or an object)."))
            .required("field")
            .property("code", text("What is wrong with it.").enum_values(Some(codes)))
            .required("code")
            .property("message", text("The reason as a sentence, in the language the request asked for."))
            .required("message");
        for (name, value) in values {
            object = object.property(name, value);
        }
        object.into()
    }
}

/// Every problem's code, and every value a problem carries (by name, with its schema), from
/// [`Problem`]'s derived schema: one object for each problem, its `code` a one-value enum.
fn problem_codes_and_values() -> (Vec<serde_json::Value>, BTreeMap<String, RefOr<Schema>>) {
    let (mut codes, mut values) = (Vec::new(), BTreeMap::new());
    let RefOr::T(Schema::OneOf(problems)) = <Problem as utoipa::PartialSchema>::schema() else {
        return (codes, values);
    };
    for problem in problems.items {
        let RefOr::T(Schema::Object(object)) = problem else { continue };
        for (name, value) in object.properties {
            match (name.as_str(), value) {
                ("code", RefOr::T(Schema::Object(code))) => codes.extend(code.enum_values.unwrap_or_default()),
                (_, value) => {
                    values.entry(name).or_insert(value);
                }
            }
        }
    }
    (codes, values)
}

/// The problem document answering `report`, as `application/problem+json`.
pub fn problem_response(report: &ErrorReport, status: StatusCode, i18n: I18n, request_id: Option<&str>) -> Response {
    let body = ProblemDocument {
        kind: "about:blank".into(),
        title: report.title(i18n),
        status: status.as_u16(),
        detail: report.explanation(i18n),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_problem_is_described_as_one_plain_object_with_every_code() {
        let schema = serde_json::to_value(<FieldProblem as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(schema["type"], "object");
        assert!(schema.get("allOf").is_none() && schema.get("oneOf").is_none(), "{schema}");
        let codes = schema["properties"]["code"]["enum"].as_array().unwrap();
        for code in ["required", "too_long", "unknown_choice", "mention_cannot_read", "form_key_used"] {
            assert!(codes.iter().any(|c| c == code), "{code} is listed");
        }
        for value in ["max", "min", "allowed", "column", "text"] {
            assert!(schema["properties"].get(value).is_some(), "{value} is described");
        }
        let sent = serde_json::to_value(FieldProblem {
            field: "body".into(),
            problem: Problem::TooLong { max: 4 },
            message: "Too long".into(),
        })
        .unwrap();
        let described: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert!(sent.as_object().unwrap().keys().all(|key| described.contains(&key)), "{sent} is described");
    }
}
