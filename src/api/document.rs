//! The finishing pass over the generated OpenAPI document: what every operation can answer
//! whatever its handler (no token, a role without the permission, a database that cannot take
//! the request, a malformed request), errors as `application/problem+json` as they are sent,
//! and no `default: null`, which the request structs' `#[serde(default)]` leaves on fields that
//! are not nullable.

use serde_json::{Map, Value, json};
use utoipa::openapi::OpenApi;

const PROBLEM_JSON: &str = "application/problem+json";
const HTTP_METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The answers every operation can give, with when.
const EVERY_OPERATION: [(&str, &str); 3] = [
    ("401", "No token was sent, or it is unknown, revoked or expired"),
    ("403", "The caller's role may not do this"),
    ("503", "The database cannot take the request now; nothing was changed, and the same request may succeed later"),
];
const MALFORMED: (&str, &str) = ("400", "A malformed body or query (not JSON, a wrong type, a bad parameter)");
const TOO_LARGE: (&str, &str) = ("413", "The body is over 512 KiB");

/// The document as served.
pub fn finished(document: &OpenApi) -> Value {
    let mut document = serde_json::to_value(document).unwrap_or_else(|_| json!({}));
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for method in HTTP_METHODS {
                if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                    finish_operation(operation);
                }
            }
        }
    }
    drop_null_defaults(&mut document);
    document
}

fn finish_operation(operation: &mut Map<String, Value>) {
    let has_body = operation.contains_key("requestBody");
    let has_query = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "query"));
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        if status.as_str() >= "400" {
            as_problem_json(response);
        }
    }
    let mut standard: Vec<(&str, &str)> = EVERY_OPERATION.to_vec();
    if has_body || has_query {
        standard.push(MALFORMED);
    }
    if has_body {
        standard.push(TOO_LARGE);
    }
    for (status, description) in standard {
        responses.entry(status).or_insert_with(|| problem_response(description));
    }
}

/// An error response documented as JSON is sent as problem+json: say so.
fn as_problem_json(response: &mut Value) {
    if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut)
        && let Some(schema) = content.remove("application/json")
    {
        content.insert(PROBLEM_JSON.to_owned(), schema);
    }
}

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { PROBLEM_JSON: { "schema": { "$ref": "#/components/schemas/ProblemDocument" } } }
    })
}

fn drop_null_defaults(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_null_defaults);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_defaults),
        _ => {}
    }
}
