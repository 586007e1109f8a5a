//! The finishing pass over the generated OpenAPI document: what every operation can answer
//! whatever its handler (no token, a role without the permission, a database that cannot take
//! the request, a malformed request), errors as `application/problem+json` as they are sent,
//! and no `default: null`, which the request structs' `#[serde(default)]` leaves on fields that
//! are not nullable.

use serde_json::{Map, Value, json};
use utoipa::openapi::OpenApi;

use super::idempotency::KEY_MAX;

const PROBLEM_JSON: &str = "application/problem+json";
const HTTP_METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The answers every operation can give, with when.
const EVERY_OPERATION: [(&str, &str); 3] = [
    ("401", "No token was sent, or it is unknown, revoked or expired"),
    ("403", "The caller's role may not do this"),
    ("503", "The database cannot take the request now; nothing was changed, and the same request may succeed later"),
];
const MALFORMED: (&str, &str) = (
    "400",
    "A malformed body, query or header (not JSON, a wrong type, a bad parameter, an If-Match that is not an ETag)",
);
const TOO_LARGE: (&str, &str) = ("413", "The body is over 512 KiB");
const PRECONDITION_FAILED: (&str, &str) =
    ("412", "Changed since the version `If-Match` names: nothing was written, and the problem gives `current_version`");

/// Where each create puts what it created: (the POST's path, the created resource's path).
/// Every operation under the created resource is linked from the create's 201 answer, so a
/// client (or a test generator) can follow the id it returned.
const CREATES: [(&str, &str); 5] = [
    ("/companies", "/companies/{id}"),
    ("/companies/{id}/profiles", "/profiles/{id}"),
    ("/candidates", "/candidates/{id}"),
    ("/candidates/{id}/applications", "/applications/{id}"),
    ("/applications/{id}/interviewers", "/assignments/{id}"),
];

/// The document as served.
pub fn finished(document: &OpenApi) -> Value {
    let mut document = serde_json::to_value(document).unwrap_or_else(|_| json!({}));
    add_links(&mut document);
    describe_text_inputs(&mut document);
    add_all_or_none(&mut document);
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for method in HTTP_METHODS {
                if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                    if method == "post" {
                        add_idempotency_key(operation);
                    }
                    finish_operation(operation);
                }
            }
        }
    }
    drop_null_defaults(&mut document);
    document
}

/// Path parameters with an example that names a record a fresh database's first data has:
/// the first id, a competency every rubric has. Clients and test generators start from them.
fn path_example(name: &str) -> Option<Value> {
    match name {
        "id" => Some(json!(1)),
        "competency" => Some(json!("communication")),
        "version" => Some(json!(1)),
        _ => None,
    }
}

fn finish_operation(operation: &mut Map<String, Value>) {
    let has_body = operation.contains_key("requestBody");
    let has_query = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "query"));
    if has_query_parameter(operation, "cursor") {
        document_paging(operation);
    }
    let takes_if_match = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|parameters| parameters.iter().any(|p| p["name"] == "If-Match"));
    for parameter in operation.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
        add_path_example(parameter);
    }
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        if status.as_str() >= "400" {
            as_problem_json(response);
        }
    }
    let mut standard: Vec<(&str, &str)> = EVERY_OPERATION.to_vec();
    if takes_if_match {
        standard.push(PRECONDITION_FAILED);
    }
    if has_body || has_query || takes_if_match {
        standard.push(MALFORMED);
    }
    if has_body {
        standard.push(TOO_LARGE);
    }
    for (status, description) in standard {
        responses.entry(status).or_insert_with(|| problem_response(description));
    }
}

/// Every POST takes an `Idempotency-Key`, and says what a retry with one can answer.
fn add_idempotency_key(operation: &mut Map<String, Value>) {
    let parameter = json!({
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "Any new value (a UUID, say) for a request that may be retried: the same key with the same request within 24 hours answers as the first time did, with `Idempotent-Replayed: true`, and does nothing again",
        "schema": { "type": "string", "minLength": 1, "maxLength": KEY_MAX, "pattern": "^[!-~]+$" }
    });
    if let Some(parameters) = operation.entry("parameters").or_insert_with(|| json!([])).as_array_mut() {
        parameters.push(parameter);
    }
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    let replayed = json!({
        "description": "`true` when this is the answer to an earlier request with the same `Idempotency-Key`",
        "schema": { "type": "string", "enum": ["true"] }
    });
    let successes = responses.iter_mut().filter(|(status, _)| status.starts_with('2'));
    for response in successes.filter_map(|(_, response)| response.as_object_mut()) {
        response.entry("headers").or_insert_with(|| json!({}))["Idempotent-Replayed"] = replayed.clone();
    }
    describe_also(responses, "422", "An `Idempotency-Key` that is malformed or was used for another request");
    describe_also(
        responses,
        "409",
        "Another request with this `Idempotency-Key` was answered at the same moment and this one changed nothing; send it again to get that answer",
    );
}

/// Adds `when` to the description of the `status` answer, documenting it if it was not.
fn describe_also(responses: &mut Map<String, Value>, status: &str, when: &str) {
    match responses.get_mut(status) {
        Some(response) => {
            let described = response["description"].as_str().unwrap_or_default();
            response["description"] = json!(format!("{described}. Or: {when}"));
        }
        None => {
            responses.insert(status.to_owned(), problem_response(when));
        }
    }
}

fn has_query_parameter(operation: &Map<String, Value>, name: &str) -> bool {
    let parameters = operation.get("parameters").and_then(Value::as_array);
    parameters.is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "query" && p["name"] == name))
}

/// A paged list's answer carries the next page's `Link`, and a bad `limit` or `cursor` is a 422.
fn document_paging(operation: &mut Map<String, Value>) {
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(page) = responses.get_mut("200").and_then(Value::as_object_mut) {
        let link = json!({
            "description": "`<…?cursor=…>; rel=\"next\"` when there is a next page",
            "schema": { "type": "string" }
        });
        page.entry("headers").or_insert_with(|| json!({}))["Link"] = link;
    }
    responses.entry("422").or_insert_with(|| problem_response("A bad `limit` or `cursor`, named"));
}

fn add_path_example(parameter: &mut Value) {
    let example = parameter["name"].as_str().filter(|_| parameter["in"] == "path").and_then(path_example);
    if let (Some(example), Some(parameter)) = (example, parameter.as_object_mut()) {
        parameter.entry("example").or_insert(example);
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

/// Links from each create's 201 answer to the operations on what it created.
fn add_links(document: &mut Value) {
    for (create, created) in CREATES {
        let targets: Vec<String> = document["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(path, _)| path.as_str() == created || path.starts_with(&format!("{created}/")))
            .flat_map(|(_, item)| HTTP_METHODS.iter().filter_map(|method| item[*method]["operationId"].as_str()))
            .map(str::to_owned)
            .collect();
        let links: Map<String, Value> = targets
            .into_iter()
            .map(|target| {
                let link = json!({ "operationId": target, "parameters": { "id": "$response.body#/id" } });
                (target, link)
            })
            .collect();
        // Looked up without indexing, which would insert nulls for a path the document lacks.
        let created_answer = document
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(create))
            .and_then(|item| item.pointer_mut("/post/responses/201"))
            .and_then(Value::as_object_mut);
        if let Some(answer) = created_answer {
            answer.insert("links".to_owned(), Value::Object(links));
        }
    }
}

/// Text the server reads: no control character but tab, line feed and carriage return, and for
/// a required field something besides spaces. (Patterns in the ECMA-262 dialect JSON Schema uses.)
const TEXT: &str = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$";
const REQUIRED_TEXT: &str = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$";
/// Fields that are given all together or not at all.
const ALL_OR_NONE: [(&str, [&str; 4]); 1] =
    [("ProfileInput", ["salary_min", "salary_max", "salary_currency", "salary_period"])];

/// Gives the text properties of every request schema (`…Input`) the pattern the server holds
/// them to.
fn describe_text_inputs(document: &mut Value) {
    let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else {
        return;
    };
    for (_, schema) in schemas.iter_mut().filter(|(name, _)| name.ends_with("Input")) {
        describe_text_properties(schema);
        // The inline parts of an `allOf`: a flattened struct's fields.
        for part in schema.get_mut("allOf").and_then(Value::as_array_mut).into_iter().flatten() {
            describe_text_properties(part);
        }
    }
}

fn describe_text_properties(schema: &mut Value) {
    let required: Vec<String> =
        schema["required"].as_array().into_iter().flatten().filter_map(|r| r.as_str().map(str::to_owned)).collect();
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, property) in properties.iter_mut() {
        if property["type"] == "array" && property["items"]["type"] == "string" {
            describe_text(&mut property["items"], TEXT);
            continue;
        }
        let is_text = match &property["type"] {
            Value::String(kind) => kind == "string",
            Value::Array(kinds) => kinds.iter().any(|k| k == "string"),
            _ => false,
        };
        if is_text {
            describe_text(property, if required.contains(name) { REQUIRED_TEXT } else { TEXT });
        }
    }
}

/// Adds `pattern` to a text schema that has none and is not a closed set or a format.
fn describe_text(schema: &mut Value, pattern: &str) {
    if let Some(schema) = schema.as_object_mut().filter(|s| !s.contains_key("enum") && !s.contains_key("format")) {
        schema.entry("pattern").or_insert_with(|| Value::from(pattern));
    }
}

/// `dependentRequired` for the fields of [`ALL_OR_NONE`]: each one given needs the others.
fn add_all_or_none(document: &mut Value) {
    for (schema, fields) in ALL_OR_NONE {
        let Some(schema) =
            document.pointer_mut(&format!("/components/schemas/{schema}")).and_then(Value::as_object_mut)
        else {
            continue;
        };
        let dependent: Map<String, Value> = fields
            .iter()
            .map(|field| (field.to_string(), json!(fields.iter().filter(|other| *other != field).collect::<Vec<_>>())))
            .collect();
        schema.insert("dependentRequired".to_owned(), Value::Object(dependent));
    }
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
