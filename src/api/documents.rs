//! The documents candidates sent with their applications: listed, and each as its file.

use axum::Json;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, State};
use axum::response::Response;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};

use super::ProblemDocument;
use super::idempotency::{Answer, created};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::document::{DOCUMENT_MAX_BYTES, DocumentInfo, DocumentKind};
use crate::domain::input::{FieldParser, Problem};
use crate::error::{AppError, AppResult};
use crate::http::download::document_file;
use crate::http::path::DocumentPath;
use crate::http::{ResourceId, body};
use crate::service::documents::{self, AddedFile};

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

/// A document to add, as a multipart form sends it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the multipart body to the document; the handler reads its parts.
pub struct DocumentUpload {
    /// The file: a PDF or a Word document (.docx), recognised by its content, at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `cv` or `other`.
    kind: DocumentKind,
    /// The candidate's application it belongs to; the record alone without it.
    application_id: Option<i64>,
}

/// Add a document to a candidate's record
#[utoipa::path(post, path = "/candidates/{id}/documents", operation_id = "addDocument", tag = "candidates", params(("id" = i64, Path)),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Added, its text read for search; on the audit trail", body = DocumentInfo, headers(("Location" = String, description = "The document's bytes"))),
        (status = 400, description = "Not a multipart body", body = ProblemDocument),
        (status = 404, description = "No such candidate", body = ProblemDocument),
        (status = 409, description = "The candidate's data was erased", body = ProblemDocument),
        (status = 413, description = "A body past the limit", body = ProblemDocument),
        (status = 422, description = "No file, one that is neither a PDF nor a Word document or past 10 MB, an unknown kind, an application that is not the candidate's, or a record that holds 20 documents already; nothing was added", body = ProblemDocument),
        (status = 503, description = "As many documents are being read as are read at once: try again after Retry-After", body = ProblemDocument),
    ))]
pub async fn add(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let multipart = multipart.map_err(|rejection| AppError::MalformedBody(rejection.body_text()))?;
    let _reading = documents::reading_permit(&state)?;
    let file = upload(multipart).await?;
    let answer = Answer::new(move |document: &DocumentInfo| {
        created(format!("/api/v1/candidates/{id}/documents/{}", document.id), document)
    });
    Ok(answer.to(&documents::add(&state, &user, id, file).await?))
}

/// The most a text part of the upload may hold.
const TEXT_PART_MAX: usize = 64;

/// The upload's parts, checked: every problem named at once.
async fn upload(mut multipart: Multipart) -> AppResult<AddedFile> {
    let malformed = |error: MultipartError| match error.status() {
        axum::http::StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        _ if body::arrived_too_late(&error) => AppError::BodyTimedOut,
        _ => AppError::MalformedBody(error.body_text()),
    };
    let (mut file, mut kind, mut application) = (None, None, None);
    let mut p = FieldParser::default();
    let too_large = Problem::DocumentTooLarge { max_mb: (DOCUMENT_MAX_BYTES / (1024 * 1024)) as u64 };
    while let Some(part) = multipart.next_field().await.map_err(malformed)? {
        let name = part.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" if file.is_some() || !p.all_valid(&["file"]) => {
                return Err(AppError::MalformedBody("one file an upload: `file` was sent twice".into()));
            }
            "file" => {
                let sent_name = part.file_name().unwrap_or_default().to_owned();
                match body::part_within(part, DOCUMENT_MAX_BYTES).await.map_err(malformed)? {
                    // A file input left empty sends a part without a name or bytes: no file.
                    Some(content) if sent_name.is_empty() && content.is_empty() => {}
                    Some(content) => file = Some((sent_name, content)),
                    None => p.reject("file", too_large.clone()),
                }
            }
            "kind" | "application_id" => {
                let field = if name == "kind" { "kind" } else { "application_id" };
                match body::part_within(part, TEXT_PART_MAX).await.map_err(malformed)? {
                    Some(bytes) => {
                        let text = Some(String::from_utf8_lossy(&bytes).into_owned());
                        if field == "kind" { kind = text } else { application = text }
                    }
                    None => p.reject(field, Problem::TooLong { max: TEXT_PART_MAX as u64 }),
                }
            }
            _ => {}
        }
    }
    let kind: DocumentKind = if p.all_valid(&["kind"]) { p.choice("kind", &kind) } else { DocumentKind::Other };
    let application_id = if p.all_valid(&["application_id"]) {
        p.optional_integer("application_id", &application, 1..=i64::MAX)
    } else {
        None
    };
    let (name, content) = match file {
        Some(file) => file,
        None if p.all_valid(&["file"]) => {
            p.reject("file", Problem::Required);
            Default::default()
        }
        None => Default::default(),
    };
    let file = AddedFile { kind, name, content, application_id };
    p.finish(file).map_err(AppError::Invalid)
}
