//! Ids taken from the request path.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use crate::app::AppState;
use crate::domain::letter::TemplateKind;
use crate::error::AppError;
use crate::service::profiles::ProfileCompetency;

/// A numeric id from the path; anything else is a page that does not exist.
pub struct ResourceId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ResourceId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        raw.parse().map(ResourceId).map_err(|_| AppError::NotFound)
    }
}

/// A profile id and one of its ad's version numbers, from the path; anything not a number is a
/// page that does not exist.
pub struct AdVersionPath {
    pub profile_id: i64,
    pub number: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for AdVersionPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let (profile_id, number) = two_ids(parts, state).await?;
        Ok(AdVersionPath { profile_id, number })
    }
}

/// A candidate id and the id of one of their documents, from the path.
pub struct DocumentPath {
    pub candidate_id: i64,
    pub document_id: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for DocumentPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let (candidate_id, document_id) = two_ids(parts, state).await?;
        Ok(DocumentPath { candidate_id, document_id })
    }
}

/// An interview (assignment) id and the id of a document of its application, from the path.
pub struct InterviewDocumentPath {
    pub assignment_id: i64,
    pub document_id: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for InterviewDocumentPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let (assignment_id, document_id) = two_ids(parts, state).await?;
        Ok(InterviewDocumentPath { assignment_id, document_id })
    }
}

/// A profile id and the id of an interviewer on its default panel, from the path.
pub struct PanelMemberPath {
    pub profile_id: i64,
    pub interviewer_id: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for PanelMemberPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let (profile_id, interviewer_id) = two_ids(parts, state).await?;
        Ok(PanelMemberPath { profile_id, interviewer_id })
    }
}

/// A company id and a kind of letter template, from the path; 404 for a kind there is not.
pub struct CompanyTemplatePath {
    pub company_id: i64,
    pub kind: TemplateKind,
}

impl<S: Send + Sync> FromRequestParts<S> for CompanyTemplatePath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path((id, kind)) =
            Path::<(String, String)>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let company_id = id.parse().map_err(|_| AppError::NotFound)?;
        Ok(CompanyTemplatePath { company_id, kind: kind.parse().map_err(|_| AppError::NotFound)? })
    }
}

/// The path's two numbers; 404 when either is not one.
async fn two_ids<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<(i64, i64), AppError> {
    let Path((first, second)) =
        Path::<(String, String)>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
    first.parse().ok().zip(second.parse().ok()).ok_or(AppError::NotFound)
}

/// A profile id and a competency of the rubric, from the path; 404 for a competency the
/// rubric does not have.
impl FromRequestParts<AppState> for ProfileCompetency {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Path((id, competency)) =
            Path::<(String, String)>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let profile_id = id.parse().map_err(|_| AppError::NotFound)?;
        state.rubric.competency(&competency).ok_or(AppError::NotFound)?;
        Ok(ProfileCompetency { profile_id, competency })
    }
}
