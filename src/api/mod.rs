//! The JSON API under `/api/v1`: the same domain calls as the web UI, and an OpenAPI document
//! generated from the very handlers it describes.

mod companies;
mod json;
mod profiles;

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "amfit API", description = "Companies and account-manager role profiles."),
    servers((url = "/api/v1")),
    components(schemas(crate::error::ProblemDocument)),
    tags(
        (name = "companies", description = "Employers and their size"),
        (name = "profiles", description = "Account-manager roles as they are at one company"),
    )
)]
struct ApiDoc;

/// The API routes and the document that describes exactly them.
pub fn router() -> Router<AppState> {
    let (router, document) = routes_and_document();
    let document = Arc::new(document);
    router.route("/openapi.json", get(move || async move { Json(document.as_ref().clone()) }))
}

pub fn routes_and_document() -> (Router<AppState>, OpenApiDocument) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(companies::list, companies::create))
        .routes(routes!(companies::read, companies::update, companies::delete))
        .routes(routes!(profiles::list_of_company, profiles::create))
        .routes(routes!(profiles::list))
        .routes(routes!(profiles::read, profiles::update, profiles::delete))
        .split_for_parts()
}
