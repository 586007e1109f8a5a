//! `/api/docs`: the OpenAPI document as a page to read, rendered on the server from the very
//! document `/api/v1/openapi.json` serves: no script, nothing fetched from elsewhere.

use askama::Template;
use serde_json::{Map, Value};

use crate::error::AppResult;
use crate::i18n::I18n;

const HTTP_METHODS: [&str; 4] = ["get", "post", "put", "delete"];

/// A type as the reference writes it, linked to its schema when it has one.
pub struct TypeText {
    text: String,
    schema: Option<String>,
}

struct ParameterView {
    name: String,
    location: String,
    required: bool,
    kind: TypeText,
    description: String,
}

struct ResponseView {
    status: String,
    description: String,
    kind: Option<TypeText>,
}

struct OperationView {
    id: String,
    method: String,
    path: String,
    description: String,
    parameters: Vec<ParameterView>,
    body: Option<TypeText>,
    responses: Vec<ResponseView>,
}

struct TagView {
    name: String,
    description: String,
    operations: Vec<OperationView>,
}

struct PropertyView {
    name: String,
    kind: TypeText,
    required: bool,
    description: String,
}

struct SchemaView {
    name: String,
    description: String,
    properties: Vec<PropertyView>,
    /// For a schema that is not an object: what it is (a choice of values, say).
    kind: Option<TypeText>,
}

#[derive(Template)]
#[template(path = "api/reference.html")]
struct ReferencePage {
    i18n: I18n,
    description: String,
    tags: Vec<TagView>,
    schemas: Vec<SchemaView>,
}

/// The reference page of `document`, with its headings in `i18n`'s language.
pub fn page(document: &Value, i18n: I18n) -> AppResult<String> {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let operations = operations(document);
    let tags = document["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|tag| {
            let name = text(&tag["name"]);
            let operations = operations.iter().filter(|(t, _)| *t == name).map(|(_, o)| view_operation(o)).collect();
            TagView { description: text(&tag["description"]), operations, name }
        })
        .collect();
    let schemas = document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| view_schema(name, schema))
        .collect();
    let page = ReferencePage { i18n, description: text(&document["info"]["description"]), tags, schemas };
    Ok(page.render()?)
}

/// Every operation with its first tag, in the document's path order.
fn operations(document: &Value) -> Vec<(String, OperationSource<'_>)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in HTTP_METHODS {
            if let Some(operation) = item[method].as_object() {
                let tag = operation.get("tags").and_then(|t| t[0].as_str()).unwrap_or_default().to_owned();
                found.push((tag, OperationSource { method, path, operation }));
            }
        }
    }
    found
}

struct OperationSource<'a> {
    method: &'a str,
    path: &'a str,
    operation: &'a Map<String, Value>,
}

fn view_operation(source: &OperationSource<'_>) -> OperationView {
    let operation = source.operation;
    let text = |key: &str| operation.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let parameters = operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| ParameterView {
            name: p["name"].as_str().unwrap_or_default().to_owned(),
            location: p["in"].as_str().unwrap_or_default().to_owned(),
            required: p["required"].as_bool().unwrap_or(false),
            kind: type_of(&p["schema"]),
            description: p["description"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    let body = operation.get("requestBody").and_then(first_content_schema).map(type_of);
    let responses = operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(status, response)| ResponseView {
            status: status.clone(),
            description: response["description"].as_str().unwrap_or_default().to_owned(),
            kind: first_content_schema(response).map(type_of),
        })
        .collect();
    OperationView {
        id: text("operationId"),
        method: source.method.to_uppercase(),
        path: format!("/api/v1{}", source.path),
        description: text("description"),
        parameters,
        body,
        responses,
    }
}

/// The schema of the first media type a body or answer names.
fn first_content_schema(holder: &Value) -> Option<&Value> {
    holder["content"].as_object()?.values().next().map(|media| &media["schema"])
}

fn view_schema(name: &str, schema: &Value) -> SchemaView {
    let required: Vec<&str> = schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let properties: Vec<PropertyView> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(property, definition)| PropertyView {
            name: property.clone(),
            kind: type_of(definition),
            required: required.contains(&property.as_str()),
            description: definition["description"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    SchemaView {
        name: name.to_owned(),
        description: schema["description"].as_str().unwrap_or_default().to_owned(),
        kind: properties.is_empty().then(|| type_of(schema)),
        properties,
    }
}

/// A schema as a reader says it: `string (date)`, `array of Candidate`, `one of …`.
fn type_of(schema: &Value) -> TypeText {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference).to_owned();
        return TypeText { text: name.clone(), schema: Some(name) };
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(choices) = schema[combinator].as_array() {
            let named: Vec<String> = choices.iter().map(|choice| type_of(choice).text).collect();
            let schema = choices.iter().find_map(|choice| type_of(choice).schema);
            return TypeText { text: named.join(" | "), schema };
        }
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> =
            values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
        return TypeText { text: values.join(" | "), schema: None };
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        Value::String(kind) => kind.clone(),
        _ => String::new(),
    };
    if kind.starts_with("array") {
        let items = type_of(&schema["items"]);
        return TypeText { text: format!("array of {}", items.text), schema: items.schema };
    }
    let text = match schema["format"].as_str() {
        Some(format) => format!("{kind} ({format})"),
        None if kind.is_empty() => "any".to_owned(),
        None => kind,
    };
    TypeText { text, schema: None }
}
