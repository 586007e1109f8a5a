//! Who is asking, and whether they may: users, sessions, API tokens, CSRF, login throttling,
//! and the one table of routes with the access each requires.

pub mod client;
pub mod csrf;
pub mod password;
pub mod routes;
pub mod throttle;
pub mod tokens;

use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::app::AppState;
use crate::domain::user::{Permission, User};
use crate::error::AppError;

/// What a signed-in browser's session holds about its user.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    /// The user's session epoch at login; a deactivation moves it on and so ends the session.
    pub epoch: i64,
    /// When the session was last saved with a fresh expiry (Unix seconds; 0 in sessions made
    /// before this was kept).
    #[serde(default)]
    pub refreshed_at: i64,
    /// When the user signed in (Unix seconds): however active, the session ends its absolute
    /// lifetime after that. 0 in sessions made before this was kept, which therefore end.
    #[serde(default)]
    pub signed_in_at: i64,
}

impl SessionUser {
    pub fn new(user: &User) -> Self {
        let now = chrono::Utc::now().timestamp();
        Self { id: user.id, epoch: user.session_epoch, refreshed_at: now, signed_in_at: now }
    }

    /// Whether the session has outlived `lifetime` since its sign-in.
    pub fn is_past(&self, now: i64, lifetime: std::time::Duration) -> bool {
        now.saturating_sub(self.signed_in_at) >= i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX)
    }

    /// Whether the session should be saved again so that it lives `idle` from now: an active
    /// session must not end `idle` after sign-in, but saving it on every request would be a
    /// database write per page, so it is saved once half its idle time has gone.
    pub fn needs_refresh(&self, now: i64, idle: std::time::Duration) -> bool {
        let half = i64::try_from(idle.as_secs() / 2).unwrap_or(i64::MAX);
        now.saturating_sub(self.refreshed_at) >= half
    }
}

pub const SESSION_USER_KEY: &str = "user";

/// The user a request is made by, put in the request's extensions by [`authenticate`].
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl CurrentUser {
    pub fn may(&self, permission: Permission) -> bool {
        self.0.active && self.0.role.grants(permission)
    }

    /// Refuses with 403 unless the user may.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.may(permission) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts.extensions.get::<CurrentUser>().cloned().ok_or(AppError::Unauthenticated)
    }
}

/// Whether a user exists yet; once true it stays true, so the check costs a query only
/// during first start.
#[derive(Debug, Default)]
pub struct FirstStart {
    users_exist: AtomicBool,
}

impl FirstStart {
    pub async fn pending(&self, state: &AppState) -> Result<bool, AppError> {
        if self.users_exist.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let exist = state.store.has_users().await?;
        self.users_exist.store(exist, Ordering::Relaxed);
        Ok(!exist)
    }
}

/// Paths a browser may reach before the first admin exists.
fn reachable_during_first_start(path: &str) -> bool {
    path == "/setup"
        || path == "/livez"
        || path == "/healthz"
        || path == "/readyz"
        || path == "/metrics"
        || path.starts_with("/static/")
        || path == "/favicon.ico"
        || path.starts_with("/language/")
}

pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The path as the client sent it; inside a nested router the URI has lost its prefix.
pub fn original_path(request: &Request) -> &str {
    match request.extensions().get::<OriginalUri>() {
        Some(OriginalUri(uri)) => uri.path(),
        None => request.uri().path(),
    }
}

/// Finds the user behind a request: an API token (`Authorization: Bearer …`) under `/api/`,
/// the session cookie elsewhere. During first start, sends browsers to the setup page.
pub async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    match identify(&state, &mut request).await {
        Ok(Some(user)) => {
            request.extensions_mut().insert(CurrentUser(user));
        }
        Ok(None) => {}
        Err(error) => return error.into_response(),
    }
    let path = request.uri().path();
    if !is_api(path) && !reachable_during_first_start(path) {
        match state.auth.first_start.pending(&state).await {
            Ok(true) => return Redirect::to("/setup").into_response(),
            Ok(false) => {}
            Err(error) => return error.into_response(),
        }
    }
    next.run(request).await
}

async fn identify(state: &AppState, request: &mut Request) -> Result<Option<User>, AppError> {
    if is_api(request.uri().path()) {
        return match request.headers().get(AUTHORIZATION) {
            None => Ok(None),
            Some(value) => {
                let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
                let token = token.filter(|t| !t.is_empty()).ok_or(AppError::BadToken)?;
                let user = state.store.user_for_token(&tokens::digest(token)).await?;
                user.map(Some).ok_or(AppError::BadToken)
            }
        };
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return Ok(None);
    };
    let Some(signed_in) = session.get::<SessionUser>(SESSION_USER_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp();
    let user = match crate::service::users::signed_in(state, signed_in.id).await {
        Ok(_) if signed_in.is_past(now, state.sessions.absolute_lifetime) => None,
        Ok(user) if user.active && user.session_epoch == signed_in.epoch => Some(User::clone(&user)),
        Ok(_) | Err(crate::store::StoreError::NotFound) => None,
        Err(error) => return Err(error.into()),
    };
    if user.is_none() {
        // Past its lifetime, deactivated, deleted, or its password changed since: the session
        // ends here, on the server.
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    }
    if signed_in.needs_refresh(now, state.sessions.idle_timeout) {
        // Changed, the session is saved with a fresh expiry when the response goes out.
        let refreshed = SessionUser { refreshed_at: now, ..signed_in };
        session.insert(SESSION_USER_KEY, refreshed).await.map_err(session_error)?;
    }
    Ok(user)
}

/// A session that cannot be read or written because its database does not answer is the
/// database being unavailable (503, try again), like any other store call; a session that does
/// not decode is a fault of amfit's (500).
pub fn session_error(error: tower_sessions::session::Error) -> AppError {
    use tower_sessions::session::Error;
    use tower_sessions::session_store::Error as StoreFailure;
    match error {
        Error::Store(StoreFailure::Backend(cause)) => AppError::Unavailable(crate::store::StoreError::Sessions(cause)),
        other => AppError::Internal(anyhow::anyhow!("session store: {other}")),
    }
}

/// Shared pieces the auth handlers need.
#[derive(Debug, Default)]
pub struct AuthState {
    pub first_start: FirstStart,
    pub throttle: throttle::LoginThrottle,
    /// Proxies whose `X-Forwarded-For` names the client (none unless configured).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

#[cfg(test)]
mod tests {
    use super::SessionUser;
    use std::time::Duration;

    #[test]
    fn an_active_session_is_saved_again_once_half_its_idle_time_has_gone() {
        let idle = Duration::from_secs(8 * 60 * 60);
        let session = SessionUser { id: 1, epoch: 0, refreshed_at: 1_000_000, signed_in_at: 1_000_000 };
        assert!(!session.needs_refresh(1_000_000, idle), "just saved");
        assert!(!session.needs_refresh(1_000_000 + 4 * 60 * 60 - 1, idle), "not on every request");
        assert!(session.needs_refresh(1_000_000 + 4 * 60 * 60, idle), "half the idle time gone");
        assert!(SessionUser { refreshed_at: 0, ..session }.needs_refresh(1_000_000, idle), "older sessions at once");
    }

    #[test]
    fn a_session_ends_its_absolute_lifetime_after_sign_in_however_active() {
        let week = Duration::from_secs(7 * 24 * 60 * 60);
        let session = SessionUser { id: 1, epoch: 0, refreshed_at: 1_000_000, signed_in_at: 1_000_000 };
        assert!(!session.is_past(1_000_000 + 7 * 24 * 60 * 60 - 1, week));
        assert!(session.is_past(1_000_000 + 7 * 24 * 60 * 60, week));
        assert!(SessionUser { signed_in_at: 0, ..session }.is_past(1_000_000, week), "sessions from before end");
    }
}
