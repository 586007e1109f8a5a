//! The documents candidates sent with their applications: listed, and each as its file.

use axum::Json;
use axum::extract::State;
use axum::response::Response;

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::document::DocumentInfo;
use crate::error::AppResult;
use crate::http::ResourceId;
use crate::http::download::document_file;
use crate::http::path::DocumentPath;
use crate::service::documents;

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

#[utoipa::path(get, path = "/candidates/{id}/documents/{document}", operation_id = "readDocument", tag = "candidates",
    params(("id" = i64, Path), ("document" = i64, Path)),
    responses(
        (status = 200, description = "The document's bytes, as an attachment, with the type its content was recognised as; reading it is on the audit trail", content(
            (Vec<u8> = "application/pdf"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
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
