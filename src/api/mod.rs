//! The JSON API under `/api/v1`: the same domain calls as the web UI, and an OpenAPI document
//! generated from the very handlers it describes.

mod ads;
mod applying;
mod audit;
mod calibration;
mod candidates;
mod comments;
mod companies;
mod comparison;
mod document;
mod documents;
mod duplicates;
pub mod idempotency;
mod import;
mod interviews;
mod kit;
mod letter_templates;
mod letters;
mod listing;
mod panels;
mod problem;
mod profiles;
mod publications;
mod reference;
mod reports;
mod retention;
mod tokens;
mod users;
mod webhooks;
mod wording;

pub use problem::{ProblemDocument, problem_response};

use std::sync::Arc;

use axum::http::Method;
use axum::response::Html;
use axum::{Extension, Json};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use crate::app::AppState;
use crate::auth::routes::{Access, RouteSpec, Routes, guard};
use crate::domain::ad::AdFormat;
use crate::domain::candidate::ListOrder;
use crate::domain::user::Permission;
use crate::http::application_form::APPLICATION_BODY_MAX;
use crate::i18n::{I18n, Lang};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "amfit API",
        description = "Hiring account managers: companies and their role profiles, rubric weights and interview kits, candidates and their applications, interviews and scorecards, the comparison and decisions, job ads with their wording check, and for administrators the users and the audit trail. Every list is paged; every POST takes an Idempotency-Key; single resources carry an ETag for If-Match."
    ),
    servers((url = "/api/v1")),
    components(schemas(ProblemDocument, AdFormat, ListOrder)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "companies", description = "Employers and their size"),
        (name = "profiles", description = "Account-manager roles as they are at one company"),
        (name = "candidates", description = "Candidates and their applications"),
        (name = "ads", description = "Job ads and their wording check"),
        (name = "comparison", description = "A profile's candidates compared, and the hiring manager's decisions"),
        (name = "interviews", description = "Interviewers' interviews and scorecards, and their calibration"),
        (name = "reports", description = "How hiring goes: funnel, times, sources and scorecard turnaround"),
        (name = "users", description = "User accounts and their roles (administrators)"),
        (name = "tokens", description = "The caller's own API tokens"),
        (name = "audit", description = "Who saw or changed what, and when (administrators)"),
        (name = "webhooks", description = "Events posted to integrators' addresses, signed (administrators)"),
    )
)]
struct ApiDoc;

/// The API's routes with their access, and the document that describes exactly them.
pub fn routes() -> Routes {
    let (routes, document) = routes_and_document();
    let document = Arc::new(document::finished(&document));
    let served = Arc::clone(&document);
    let serve_document = axum::routing::get(move || async move { Json(served.as_ref().clone()) });
    let serve_reference = axum::routing::get(move |Extension(lang): Extension<Lang>| async move {
        reference::page(&document, I18n::new(lang)).map(Html)
    });
    routes
        .add(Method::GET, "/openapi.json", Access::Public, serve_document)
        .nest("/api/v1")
        .merge(Routes::default().add(Method::GET, "/api/docs", Access::Public, serve_reference))
}

/// The operations, each behind its access check, and the OpenAPI document generated from them.
pub fn routes_and_document() -> (Routes, OpenApiDocument) {
    let view = Access::Requires(Permission::ViewProfiles);
    let manage = Access::Requires(Permission::ManageProfiles);
    let see_candidates = Access::Requires(Permission::ViewCandidates);
    let manage_candidates = Access::Requires(Permission::ManageCandidates);
    let admin = Access::Requires(Permission::ManageUsers);
    let api = ApiRoutes { router: OpenApiRouter::with_openapi(ApiDoc::openapi()), table: Vec::new() }
        .add(view, routes!(companies::list))
        .add(manage, routes!(companies::create))
        .add(view, routes!(companies::read))
        .add(manage, routes!(companies::update))
        .add(manage, routes!(companies::delete))
        .add(manage, routes!(letter_templates::list))
        .add(manage, routes!(letter_templates::save, letter_templates::reset))
        .add(view, routes!(profiles::list_of_company))
        .add(manage, routes!(profiles::create))
        .add(view, routes!(profiles::list))
        .add(view, routes!(profiles::read))
        .add(manage, routes!(profiles::update))
        .add(manage, routes!(profiles::delete))
        .add(view, routes!(profiles::weights))
        .add(view, routes!(kit::read))
        .add(manage, routes!(profiles::set_weight))
        .add(manage, routes!(profiles::reset_weight))
        .add(see_candidates, routes!(candidates::list))
        .add(manage_candidates, routes!(candidates::create))
        .add(see_candidates, routes!(candidates::read))
        .add(manage_candidates, routes!(candidates::update))
        .add(manage_candidates, routes!(candidates::delete))
        .add(manage_candidates, routes!(candidates::export))
        .add(manage_candidates, routes!(import::import_candidates))
        .add(see_candidates, routes!(documents::list))
        .add_upload(manage_candidates, routes!(documents::add), DOCUMENT_UPLOAD_MAX)
        .add(see_candidates, routes!(documents::read))
        .add(Access::SignedIn, routes!(comments::list, comments::add))
        .add(manage_candidates, routes!(candidates::erase))
        .add(manage_candidates, routes!(duplicates::merge))
        .add(manage_candidates, routes!(duplicates::keep_apart))
        .add(manage_candidates, routes!(letters::send))
        .add(see_candidates, routes!(letters::list))
        .add(see_candidates, routes!(candidates::applications))
        .add(manage_candidates, routes!(candidates::apply))
        .add_upload(manage_candidates, routes!(applying::send), APPLICATION_BODY_MAX)
        .add(see_candidates, routes!(candidates::read_application))
        .add(manage_candidates, routes!(candidates::change_stage))
        .add(manage_candidates, routes!(candidates::move_applications))
        .add(see_candidates, routes!(candidates::interview_plan))
        .add(manage_candidates, routes!(candidates::assign))
        .add(manage_candidates, routes!(candidates::unassign))
        .add(manage_candidates, routes!(panels::schedule, panels::clear_schedule))
        .add(view, routes!(panels::list))
        .add(manage, routes!(panels::set_member))
        .add(manage, routes!(panels::remove_member))
        .add(manage, routes!(panels::apply))
        .add(see_candidates, routes!(candidates::application_fit))
        .add(see_candidates, routes!(candidates::scorecards))
        .add(see_candidates, routes!(comparison::comparison))
        .add(see_candidates, routes!(comparison::decisions))
        .add(Access::Requires(Permission::Decide), routes!(comparison::record_decision))
        .add(view, routes!(ads::read))
        .add(view, routes!(ads::versions))
        .add(manage, routes!(ads::save))
        .add(see_candidates, routes!(comparison::export))
        .add(manage_candidates, routes!(retention::read))
        .add(view, routes!(ads::diff))
        .add(manage, routes!(publications::publish))
        .add(manage, routes!(publications::unpublish))
        .add(view, routes!(publications::list))
        .add(view, routes!(wording::check))
        .add(Access::SignedIn, routes!(interviews::list))
        .add(Access::SignedIn, routes!(interviews::read))
        .add(Access::SignedIn, routes!(interviews::save_draft))
        .add(Access::SignedIn, routes!(interviews::submit))
        .add(Access::SignedIn, routes!(interviews::start_correction))
        .add(manage_candidates, routes!(calibration::read))
        .add(see_candidates, routes!(reports::read))
        .add(see_candidates, routes!(reports::export))
        .add(admin, routes!(users::list))
        .add(admin, routes!(webhooks::list, webhooks::create))
        .add(admin, routes!(webhooks::delete))
        .add(admin, routes!(users::create))
        .add(admin, routes!(users::read))
        .add(admin, routes!(users::change_role))
        .add(admin, routes!(users::set_active))
        .add(admin, routes!(users::reset_password))
        .add(Access::SignedIn, routes!(users::me))
        .add(Access::SignedIn, routes!(users::change_own_password))
        .add(Access::SignedIn, routes!(tokens::list))
        .add(Access::SignedIn, routes!(tokens::create))
        .add(Access::SignedIn, routes!(tokens::revoke))
        .add(admin, routes!(audit::list))
        .add(admin, routes!(audit::export));
    let (router, document) = api.router.split_for_parts();
    (Routes { router, table: api.table }, document)
}

/// Collects utoipa-described operations into the router, the document and the route table.
struct ApiRoutes {
    router: OpenApiRouter<AppState>,
    table: Vec<RouteSpec>,
}

/// The most a document upload's body may hold: the file and its two text parts.
pub(crate) const DOCUMENT_UPLOAD_MAX: usize = crate::domain::document::DOCUMENT_MAX_BYTES + 64 * 1024;

impl ApiRoutes {
    /// [`add`](Self::add) for an operation whose body may be larger than the router's limit.
    fn add_upload(self, access: Access, (schemas, paths, route): UtoipaMethodRouter<AppState>, limit: usize) -> Self {
        self.add(access, (schemas, paths, route.layer(axum::extract::DefaultBodyLimit::max(limit))))
    }

    fn add(mut self, access: Access, (schemas, paths, route): UtoipaMethodRouter<AppState>) -> Self {
        for (path, item) in &paths.paths {
            let operations = [
                (Method::GET, &item.get),
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::DELETE, &item.delete),
            ];
            for (method, _) in operations.into_iter().filter(|(_, operation)| operation.is_some()) {
                self.table.push(RouteSpec { method, path: path.clone(), access });
            }
        }
        self.router = self.router.routes((schemas, paths, guard(route, access)));
        self
    }
}

/// Every operation takes an API token (`amfit token create`) as `Authorization: Bearer …`.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, document: &mut OpenApiDocument) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = document.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}
