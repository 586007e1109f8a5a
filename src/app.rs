//! The application: shared state, the router with its layers, and serving it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::{ServiceBuilder, ServiceExt};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tracing::Level;

use crate::auth::routes::{Access, Routes};
use crate::auth::{AuthState, CurrentUser, authenticate, csrf, is_api};
use crate::document_reader::DocumentReader;
use crate::domain::retention::RetentionPolicy;
use crate::domain::rubric::Rubric;
use crate::domain::wording::WordingRules;
use crate::error::{AppError, ErrorReport};
use crate::http::body::BodyWithDeadline;
use crate::i18n::{I18n, Lang, negotiate_language};
use crate::metrics::{Metrics, record_request};
use crate::service::Reads;
use crate::store::{Store, StoreError, WRITE_WAIT};
use crate::{api, web};

/// Bodies larger than this are refused with 413. The largest body is an ad of 50,000
/// characters, form-encoded: up to 9 bytes a character (`%E2%80%93` for a dash).
pub const BODY_LIMIT: usize = 512 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The checked rubric the server started with.
    pub rubric: Arc<Rubric>,
    /// The job-ad wording lists the server started with.
    pub wording: Arc<WordingRules>,
    pub auth: Arc<AuthState>,
    pub sessions: SessionSettings,
    pub reads: Arc<Reads>,
    /// How long candidates who were not hired are kept.
    pub retention: RetentionPolicy,
    /// How long requests in flight may take to finish once the server is asked to stop.
    pub shutdown_deadline: Duration,
    /// Reads the text of the documents applicants send, in a child process with limits.
    pub documents: Arc<DocumentReader>,
    /// The most time a request's body may take to arrive, whatever its pace: past it, the
    /// body fails as it is read (408).
    pub request_body_time: Duration,
    /// Whether a mail sender runs (`--smtp-url`): without one, letters wait in the outbox.
    pub sends_mail: bool,
    /// Where people reach amfit (`--public-url`): the links in its mail start with it.
    pub public_url: url::Url,
    /// Application bodies being read and kept now: each may hold 20 MB of documents.
    pub applications_in_flight: Arc<tokio::sync::Semaphore>,
    /// What `/metrics` reports.
    pub metrics: Arc<Metrics>,
    /// The token a scrape of `/metrics` must carry (`--metrics-token`); open without one.
    pub metrics_token: Option<Arc<str>>,
}

/// How many application bodies are read at once; one more is refused at once (503), so that
/// a flood holds at most this many bodies (20.25 MB each, at most) in memory. A busy day's
/// applicants send far fewer at the same moment.
pub const APPLICATIONS_AT_ONCE: usize = 32;

/// How the session cookie behaves.
#[derive(Debug, Clone, Copy)]
pub struct SessionSettings {
    pub idle_timeout: Duration,
    /// How long a session lives after sign-in, however active.
    pub absolute_lifetime: Duration,
    /// Send the cookie over https only.
    pub secure: bool,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(8 * 60 * 60),
            absolute_lifetime: Duration::from_secs(7 * 24 * 60 * 60),
            secure: false,
        }
    }
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, rubric: Arc<Rubric>, wording: Arc<WordingRules>) -> Self {
        let metrics = Metrics::default();
        let reads = Arc::new(Reads::new(&metrics));
        Self {
            store,
            rubric,
            wording,
            auth: Arc::default(),
            sessions: SessionSettings::default(),
            reads,
            metrics: Arc::new(metrics),
            metrics_token: None,
            retention: RetentionPolicy::default(),
            shutdown_deadline: Duration::from_secs(30),
            documents: Arc::new(DocumentReader::of_this_program()),
            request_body_time: Duration::from_secs(60),
            applications_in_flight: Arc::new(tokio::sync::Semaphore::new(APPLICATIONS_AT_ONCE)),
            sends_mail: false,
            public_url: url::Url::parse("http://localhost:3000/").expect("a valid URL"),
        }
    }
}

/// Every route of the application, with the access each requires.
pub fn routes() -> Routes {
    Routes::default()
        .get("/livez", Access::Public, livez)
        .get("/healthz", Access::Public, healthz)
        .get("/readyz", Access::Public, readyz)
        .get("/metrics", Access::Public, metrics)
        .merge(web::routes())
        .merge(api::routes())
}

/// The whole application: web pages, the JSON API, health, and the layers around them.
pub fn router(state: AppState) -> Router {
    let idle = tower_sessions::cookie::time::Duration::seconds(
        i64::try_from(state.sessions.idle_timeout.as_secs()).unwrap_or(i64::MAX),
    );
    // Over https, the __Host- prefix makes browsers refuse the cookie unless it is Secure, for
    // this host only and for every path: no subdomain can plant or overwrite it.
    let cookie_name = if state.sessions.secure { "__Host-amfit_session" } else { "amfit_session" };
    let sessions = SessionManagerLayer::new(state.store.session_backend())
        .with_name(cookie_name)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.sessions.secure)
        .with_expiry(Expiry::OnInactivity(idle));
    // Only where amfit is served over https (so said by --secure-cookies) may browsers be told
    // to use nothing else.
    let strict_transport = state.sessions.secure.then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    routes()
        .router
        .fallback(|| async { AppError::NotFound })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(
            ServiceBuilder::new()
                .map_request(drop_unplain_request_id)
                .layer(middleware::from_fn_with_state(state.metrics.clone(), record_request))
                .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(not_personal_page)))
                .layer(middleware::from_fn_with_state(state.request_body_time, limit_body_time))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(default_header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
                .layer(default_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(default_header(header::REFERRER_POLICY, "same-origin"))
                // For browsers that predate the CSP's frame-ancestors.
                .layer(default_header(header::X_FRAME_OPTIONS, "DENY"))
                .layer(default_header(PERMISSIONS_POLICY, PERMISSIONS_POLICY_VALUE))
                // Pages and API answers carry personal data: no browser or proxy keeps a copy.
                // The stylesheet and scripts set their own caching.
                .layer(default_header(header::CACHE_CONTROL, "no-store"))
                .option_layer(strict_transport)
                .layer(middleware::from_fn(negotiate_language))
                .layer(middleware::from_fn(render_errors))
                .layer(middleware::from_fn(session_not_saved_as_unavailable))
                .layer(sessions)
                .layer(middleware::from_fn_with_state(state.clone(), authenticate))
                .layer(middleware::from_fn(mark_personal_pages))
                .layer(middleware::from_fn_with_state(state.clone(), csrf::attach_visitor_token))
                .layer(middleware::from_fn_with_state(state.clone(), api::idempotency::once)),
        )
        .with_state(state)
}

/// Marks a page answered to someone signed in on the web, which is not compressed.
#[derive(Clone, Copy)]
struct PersonalPage;

/// Pages of the signed-in web carry what others must not learn, and a cross-site link can
/// have a user's browser fetch them with their cookie, with words of the attacker's choosing in
/// the query: the compressed length would let someone watching the network guess the rest
/// (BREACH). They go uncompressed. The API (bearer tokens, which no other site's page can
/// send), the stylesheet and scripts, and public pages (whose only secret, the CSRF token, is
/// masked afresh in each) are compressed when the client accepts it.
async fn mark_personal_pages(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let shared = is_api(path) || path.starts_with("/static/") || path == "/favicon.ico";
    let personal = !shared && request.extensions().get::<CurrentUser>().is_some();
    let mut response = next.run(request).await;
    if personal {
        response.extensions_mut().insert(PersonalPage);
    }
    response
}

fn not_personal_page(
    _: StatusCode,
    _: axum::http::Version,
    _: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> bool {
    extensions.get::<PersonalPage>().is_none()
}

/// A session the database could not save is a database that cannot take writes now: 503 with
/// `Retry-After`, as every other such failure. The session layer answers it by itself with a
/// bare 500 (no body, no report of amfit's own), which nothing else in amfit sends.
async fn session_not_saved_as_unavailable(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let bare =
        !response.headers().contains_key(header::CONTENT_TYPE) && response.extensions().get::<ErrorReport>().is_none();
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR && bare {
        tracing::warn!("a session could not be saved: answered as unavailable");
        return AppError::Unavailable(StoreError::Sessions("the session could not be saved".into())).into_response();
    }
    response
}

/// Writes the body of every error answer, for its audience: those of [`AppError`], and the
/// bodiless ones of the router itself (an unknown route, a wrong method).
async fn render_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let page_path = request.uri().path().to_owned();
    let request_id = request.headers().get(REQUEST_ID).cloned();
    let i18n = I18n::new(request.extensions().get::<Lang>().copied().unwrap_or_default());
    let mut response = next.run(request).await;
    let Some(report) =
        response.extensions_mut().remove::<ErrorReport>().or_else(|| ErrorReport::of_bodiless(&response))
    else {
        return response;
    };
    let request_id = request_id.as_ref().and_then(|id| id.to_str().ok());
    let status = response.status();
    let mut rendered = if is_api {
        api::problem_response(&report, status, i18n, request_id)
    } else {
        web::error_page(&report, status, i18n, page_path, request_id)
    };
    *rendered.status_mut() = status;
    if response.extensions().get::<PersonalPage>().is_some() {
        rendered.extensions_mut().insert(PersonalPage);
    }
    for kept in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&kept) {
            rendered.headers_mut().insert(kept, value.clone());
        }
    }
    if is_api && status == StatusCode::UNAUTHORIZED {
        rendered.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    rendered
}

/// Gives a request's body `time` to arrive in full, from when its head has arrived; a body
/// still arriving then fails as it is read (408), so that a client that stalls or trickles
/// cannot hold a connection. A request without a body is passed on as it is.
async fn limit_body_time(State(time): State<Duration>, request: Request, next: Next) -> Response {
    use hyper::body::Body as _;
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    next.run(request.map(|body| axum::body::Body::new(BodyWithDeadline::new(body, time)))).await
}

/// The longest request id a client may choose; a longer one is replaced.
const REQUEST_ID_MAX: usize = 64;

/// Keeps a client's own `x-request-id` (a proxy's, so that its log and amfit's join up) only
/// when it is short and plain, so that it cannot forge or break a log line or a page: anything
/// else is dropped and replaced by a fresh id.
fn drop_unplain_request_id<B>(mut request: Request<B>) -> Request<B> {
    let plain = |id: &HeaderValue| {
        let id = id.as_bytes();
        (1..=REQUEST_ID_MAX).contains(&id.len())
            && id.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    // One id, plain; a second header would ride along behind a plain first.
    let kept = match request.headers().get_all(REQUEST_ID).iter().collect::<Vec<_>>()[..] {
        [] => true,
        [id] => plain(id),
        _ => false,
    };
    if !kept {
        request.headers_mut().remove(REQUEST_ID);
    }
    request
}

/// The log span of one request: method, path (never the query, which may hold personal
/// data) and the id that the response and any error page repeat.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    let path = logged_path(request.uri().path());
    tracing::info_span!("request", request_id = %id, method = %request.method(), path = %path)
}

/// A path as the log shows it: without the secret of a link to set a password or to confirm
/// an application, which would let anyone who reads the log act for its owner.
fn logged_path(path: &str) -> &str {
    if path.starts_with("/confirm/") {
        return "/confirm/{secret}";
    }
    match path.strip_prefix("/password/") {
        None | Some("forgot") => path,
        Some(_) => "/password/{secret}",
    }
}

/// A response header that every answer carries unless its handler set it.
fn default_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// amfit uses none of the browser's powerful features: no page of it, nor anything injected
/// into one, may ask for them.
const PERMISSIONS_POLICY_VALUE: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
    serial=(), bluetooth=(), hid=(), midi=(), display-capture=()";

/// No inline scripts or styles, no framing, no foreign origins.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
    script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Liveness of the process alone: it answers without asking the database, so that an
/// orchestrator restarts amfit when amfit hangs, not when its database is away.
async fn livez() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok")
}

/// Health, cheap enough to ask often: 200 once the store answers a read, 503 while it does not.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    probe("health", HEALTH_WAIT, state.store.ping()).await
}

/// Readiness: 200 while the store takes writes and its outbox can be read, 503 while not (a
/// full disk, a lock held too long, a database out of reach), so that a load balancer sends
/// no writes here. The body says which check failed, and what waits in the outbox.
async fn readyz(State(state): State<AppState>) -> Response {
    // A write waits its turn for up to WRITE_WAIT: a lock held that long fails nothing, so it
    // is no reason to report unready.
    let writable = probe("readiness", WRITE_WAIT + Duration::from_secs(1), state.store.check_writable());
    let backlog = tokio::time::timeout(HEALTH_WAIT, state.store.outbox_backlog());
    let ((status, database), backlog) = tokio::join!(writable, backlog);
    let outbox = match backlog {
        Ok(Ok(backlog)) => serde_json::json!({
            "status": "ok",
            "queued": backlog.queued,
            "failed": backlog.failed,
            "oldest_queued_at": backlog.oldest_queued_at,
            "sending": state.sends_mail,
        }),
        Ok(Err(error)) => {
            tracing::warn!(%error, check = "readiness", "the outbox could not be read");
            serde_json::json!({ "status": "unavailable" })
        }
        Err(_) => serde_json::json!({ "status": "timed out" }),
    };
    let ready = status == StatusCode::OK && outbox["status"] == "ok";
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = serde_json::json!({
        "status": if ready { "ready" } else { "unready" },
        "database": database,
        "outbox": outbox,
    });
    (status, axum::Json(body)).into_response()
}

/// The server's metrics (see [`crate::metrics`]); with `--metrics-token` set, only for a
/// request that carries it as a bearer token.
async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(token) = &state.metrics_token {
        let sent =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        let matches =
            sent.is_some_and(|sent| bool::from(subtle::ConstantTimeEq::ct_eq(sent.as_bytes(), token.as_bytes())));
        if !matches {
            let challenge = [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")];
            return (StatusCode::UNAUTHORIZED, challenge, "a valid metrics token is needed\n").into_response();
        }
    }
    let read = async { Ok::<_, StoreError>((state.store.pool_use().await?, state.store.outbox_backlog().await?)) };
    let figures = match tokio::time::timeout(HEALTH_WAIT, read).await {
        Ok(Ok(figures)) => Some(figures),
        Ok(Err(error)) => {
            tracing::warn!(%error, "the metrics could not read the store");
            None
        }
        Err(_) => None,
    };
    let text = state.metrics.render(figures, chrono::Utc::now());
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text).into_response()
}

/// How long the health check waits for the store to answer a read.
const HEALTH_WAIT: Duration = Duration::from_secs(2);

async fn probe(
    check: &'static str,
    wait: Duration,
    store_call: impl Future<Output = crate::store::StoreResult<()>>,
) -> (StatusCode, &'static str) {
    match tokio::time::timeout(wait, store_call).await {
        Ok(Ok(())) => (StatusCode::OK, "ok"),
        Ok(Err(error)) => {
            tracing::warn!(%error, check, "store check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "store timed out"),
    }
}

/// Serves HTTP/1.1 until `shutdown` completes, then lets the requests in flight finish for
/// at most the state's shutdown deadline, and returns. A client that sends no complete request
/// head within [`HEADER_READ_TIMEOUT`] is disconnected, so that it can neither hold a
/// connection open for ever nor keep the server from stopping.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let deadline = state.shutdown_deadline;
    let app = router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let connections = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = app.clone().map_request(move |request: Request<Incoming>| {
            let mut request = request.map(axum::body::Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let watched = connections.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = watched.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(deadline, connections.shutdown()).await.is_err() {
        tracing::warn!(seconds = deadline.as_secs(), "shutdown deadline passed: closing the connections still open");
    }
    Ok(())
}

/// How long a client may take to send a request's head (its line and headers).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled, so that a signal sent as soon as the server says it is serving
/// stops it gracefully instead of killing it.
pub fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
    };
    async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::error!(%error, "cannot listen for Ctrl-C and SIGTERM");
                std::future::pending::<()>().await;
            }
        }
        #[cfg(not(unix))]
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}

#[cfg(test)]
mod tests {
    use super::logged_path;

    #[test]
    fn the_log_never_holds_a_link_s_secret() {
        assert_eq!(logged_path("/password/amfit_0a1b"), "/password/{secret}");
        assert_eq!(logged_path("/confirm/amfit_0a1b"), "/confirm/{secret}");
        assert_eq!(logged_path("/password/forgot"), "/password/forgot", "asking for a link holds no secret");
        assert_eq!(logged_path("/candidates/7"), "/candidates/7");
    }
}
