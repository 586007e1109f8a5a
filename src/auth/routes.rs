//! The route table: every route with the access it requires. The router is built from it,
//! and the authorisation tests walk it, so no route can be added without saying who may use it.

use axum::Router;
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;

use super::{CurrentUser, csrf, is_api, original_path};
use crate::app::AppState;
use crate::domain::user::Permission;
use crate::error::AppError;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login, first start, health, the stylesheet).
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A signed-in user whose role grants the permission.
    Requires(Permission),
}

/// One row of the route table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    /// The path as the router knows it, with `{id}` placeholders.
    pub path: String,
    pub access: Access,
}

/// A router together with the table of what it serves.
pub struct Routes {
    pub router: Router<AppState>,
    pub table: Vec<RouteSpec>,
}

impl Default for Routes {
    fn default() -> Self {
        Self { router: Router::new(), table: Vec::new() }
    }
}

impl Routes {
    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &str, access: Access, handler: H) -> Self {
        self.add(Method::GET, path, access, axum::routing::get(handler))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &str, access: Access, handler: H) -> Self {
        self.add(Method::POST, path, access, axum::routing::post(handler))
    }

    /// Adds a method router that serves exactly `method` at `path`, behind the access check.
    pub fn add(mut self, method: Method, path: &str, access: Access, route: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, guard(route, access));
        self.table.push(RouteSpec { method, path: path.to_owned(), access });
        self
    }

    /// Adds a POST that anyone may send and that acts with nobody's rights (an application on
    /// a job page). It passes no CSRF check: there is no authority to forge, and the check's
    /// reading of the whole body would defeat the limits the route's handler applies as the
    /// body streams.
    pub fn public_upload(mut self, path: &str, route: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, route);
        self.table.push(RouteSpec { method: Method::POST, path: path.to_owned(), access: Access::Public });
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// Hands `value` to every route so far, as an `Extension` its handlers can extract.
    pub fn with_extension<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        self.router = self.router.layer(axum::Extension(value));
        self
    }

    /// Prefixes every route (and its table row) with `prefix`.
    pub fn nest(self, prefix: &str) -> Self {
        Self {
            router: Router::new().nest(prefix, self.router),
            table: self
                .table
                .into_iter()
                .map(|spec| RouteSpec { path: format!("{prefix}{}", spec.path), ..spec })
                .collect(),
        }
    }
}

/// Wraps a method router in the checks it needs: the access it demands, then (for a
/// state-changing web request) the CSRF token, and only then the kept answer to a retried API
/// request. Route layers run only when the route matched, so an unknown path or method is
/// still a plain 404 or 405.
pub fn guard(route: MethodRouter<AppState>, access: Access) -> MethodRouter<AppState> {
    let route =
        route.route_layer(from_fn(crate::api::idempotency::replay_kept_answer)).route_layer(from_fn(csrf::verify));
    match access {
        Access::Public => route,
        access => route.route_layer(from_fn_with_state(access, require)),
    }
}

/// Lets the request through when its user may; otherwise 401 (API) or a redirect to the
/// login page (web) for nobody, and 403 for a user without the permission.
async fn require(State(access): State<Access>, request: Request, next: Next) -> Response {
    let user = request.extensions().get::<CurrentUser>();
    let allowed = match (access, user) {
        (_, None) => return refuse_anonymous(&request),
        (Access::Requires(permission), Some(user)) => user.may(permission),
        (Access::Public | Access::SignedIn, Some(_)) => true,
    };
    if allowed { next.run(request).await } else { AppError::Forbidden.into_response() }
}

fn refuse_anonymous(request: &Request) -> Response {
    let path = original_path(request);
    if is_api(path) {
        return AppError::Unauthenticated.into_response();
    }
    let next: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    Redirect::to(&format!("/login?next={next}")).into_response()
}
