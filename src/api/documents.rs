//! The documents candidates sent with their applications: listed, and each as its file.

use axum::Json;
use axum::extract::State;
use axum::response::Response;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::document::DocumentInfo;
use crate::error::AppResult;
use crate::http::ResourceId;
use crate::http::download::document_file;
use crate::http::path::DocumentPath;
use crate::service::documents;

/// A file's bytes, as OpenAPI names them (`string`, `binary`), so that a generated client hands
/// its caller a file rather than a list of numbers.
pub struct FileContent;

impl utoipa::PartialSchema for FileContent {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for FileContent {}

/// List the documents a candidate sent
#[utoipa::path(get, path = "/candidates/{id}/documents", operation_id = "listDocuments", tag = "candidates", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The documents the candidate sent with the applications the caller may see, oldest first (at most four an application, so not paged)", body = [DocumentInfo]),
        (status = 403, description = "A hiring manager none of whose profiles the candidate applied to", body = ProblemDocument),
        (status = 404, description = "No such candidate", body = ProblemDocument),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<Vec<DocumentInfo>>> {
    Ok(Json(documents::of(&state, &user, id).await?))
}

/// Download one of a candidate's documents
#[utoipa::path(get, path = "/candidates/{id}/documents/{document}", operation_id = "readDocument", tag = "candidates",
    params(("id" = i64, Path), ("document" = i64, Path)),
    responses(
        (status = 200, description = "The document's bytes, as an attachment, with the type its content was recognised as; reading it is on the audit trail", content(
            (inline(FileContent) = "application/pdf"), (inline(FileContent) = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
        (status = 403, description = "A hiring manager none of whose profiles the candidate applied to", body = ProblemDocument),
        (status = 404, description = "No such candidate, or no such document of theirs that the caller may see", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    DocumentPath { candidate_id, document_id }: DocumentPath,
) -> AppResult<Response> {
    let (document, content) = documents::read(&state, &user, candidate_id, document_id).await?;
    Ok(document_file(&document, content, false))
}
