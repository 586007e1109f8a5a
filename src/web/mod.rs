//! The server-rendered web UI: one module per resource, each with its `router()`.

pub mod account;
pub mod admin;
pub mod ads;
mod applying;
pub mod audit;
pub mod calibration;
mod candidate_list;
pub mod candidates;
mod chart;
pub mod comments;
pub mod companies;
pub mod comparison;
mod confirmations;
pub mod decisions;
mod duplicates;
mod error_page;
pub mod form;
mod import;
pub mod interviews;
mod jobs;
mod kit;
mod letter_templates;
mod letters;
mod panels;
mod password_links;
mod pipeline;
pub mod privacy;
pub mod profiles;
mod publishing;
pub mod reports;
pub mod wording;

pub use error_page::error_page;

use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::auth::{CurrentUser, csrf};
use crate::domain::Labelled;
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::i18n::{I18n, LANGUAGE_COOKIE, Lang};
use crate::service::home;
use crate::store::cache::RevisionCache;
use tower_sessions::Session;

/// Every page of the web UI, with who may see it.
pub fn routes() -> Routes {
    let pages = Routes::default()
        .get("/", Access::SignedIn, home)
        .get("/language/{code}", Access::Public, switch_language)
        .get("/static/app.css", Access::Public, stylesheet)
        .get("/static/ad-editor.js", Access::Public, ad_editor_script)
        .get("/static/pipeline.js", Access::Public, pipeline_script)
        .get("/static/header-menu.js", Access::Public, menu_script)
        .get("/static/favicon.svg", Access::Public, favicon)
        .get("/favicon.ico", Access::Public, favicon)
        .get("/help/fit", Access::SignedIn, fit_help)
        .merge(account::routes())
        .merge(ads::routes())
        .merge(audit::routes())
        .merge(admin::routes())
        .merge(calibration::routes())
        .merge(candidates::routes())
        .merge(comments::routes())
        .merge(reports::routes())
        .merge(candidate_list::routes())
        .merge(duplicates::routes())
        .merge(letters::routes())
        .merge(letter_templates::routes())
        .merge(import::routes())
        .merge(panels::routes())
        .merge(confirmations::routes())
        .merge(password_links::routes())
        .merge(pipeline::routes())
        .merge(companies::routes())
        .merge(comparison::routes())
        .merge(decisions::routes())
        .merge(interviews::routes())
        .merge(jobs::routes())
        .merge(kit::routes())
        .merge(privacy::routes())
        .merge(profiles::routes())
        .merge(publishing::routes())
        .merge(wording::routes());
    pages.with_extension(Arc::new(RenderedTables::default()))
}

/// The busiest pages' bulk, kept rendered while the data is unchanged: what those pages show
/// differs by their reader's language and permissions, not by the reader.
pub struct RenderedTables {
    /// The comparison tables, by who reads them.
    comparisons: RevisionCache<comparison::Audience, String>,
    /// The pipeline boards' columns, by who reads them.
    boards: RevisionCache<pipeline::BoardAudience, String>,
}

impl Default for RenderedTables {
    fn default() -> Self {
        // Each profile's table or board in two languages, for a few kinds of reader.
        Self { comparisons: RevisionCache::new(256), boards: RevisionCache::new(256) }
    }
}

/// The start page: what the user has to do next, by what their role does.
async fn home(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Response> {
    let page = page.with_notice(notice);
    let agenda = home::agenda(&state, &user).await?;
    let interviews = interviews::assigned_to(&state, &user, page.i18n).await?;
    let i18n = page.i18n;
    let days = i18n.counted("home-waiting-days", "days", home::WAITING_DAYS);
    let recruiting = agenda.recruiting.map(|r| {
        let waiting = r.waiting.iter().map(|p| {
            let link = format!("/profiles/{}/pipeline", p.profile_id);
            let detail = format!("{} ({}; {days})", p.title, p.company);
            AgendaLine { link, text: i18n.counted("home-waiting", "count", p.names.len() as i64), detail }
        });
        let closing = r.closing.iter().map(|ad| AgendaLine {
            link: format!("/profiles/{}", ad.profile_id),
            text: i18n.t1("home-closing", "date", &i18n.date(&ad.open_until)),
            detail: format!("{} (/jobs/{})", ad.title, ad.slug),
        });
        let new = (r.new_applicants > 0).then(|| AgendaLine {
            link: "/candidates?new=true&sort=newest".into(),
            text: i18n.counted("home-new-applicants", "count", r.new_applicants as i64),
            detail: String::new(),
        });
        let overdue = r.overdue.iter().map(|interview| AgendaLine {
            link: format!("/candidates/{}", interview.candidate_id),
            text: i18n.tn(
                "home-overdue",
                &[("interviewer", &interview.interviewer), ("candidate", &i18n.personal(&interview.candidate))],
            ),
            detail: i18n.date(&interview.held_on),
        });
        new.into_iter().chain(overdue).chain(waiting).chain(closing).collect()
    });
    let ready = agenda.ready.iter().map(|p| AgendaLine {
        link: format!("/profiles/{}/comparison", p.profile_id),
        text: i18n.counted("home-ready", "count", p.names.len() as i64),
        detail: format!(
            "{}: {}",
            p.title,
            p.names.iter().map(|name| i18n.personal(name)).collect::<Vec<_>>().join(", ")
        ),
    });
    let home_page = HomePage {
        setup: agenda.setup,
        recruiting,
        ready: ready.collect(),
        decides: user.role.grants(Permission::Decide) && !user.role.grants(Permission::ManageProfiles),
        interviews,
        page,
    };
    Ok(render(&home_page)?.into_response())
}

/// One thing to do on the start page: a link saying what, and what it is about.
struct AgendaLine {
    link: String,
    text: String,
    detail: String,
}

/// The start page: an administrator's first steps, a recruiter's waiting work, a hiring
/// manager's decisions, an interviewer's interviews.
#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    setup: Option<home::Setup>,
    /// For those who manage candidates: new applications, waiting ones, closing ads.
    recruiting: Option<Vec<AgendaLine>>,
    /// For hiring managers.
    decides: bool,
    ready: Vec<AgendaLine>,
    interviews: Vec<interviews::AssignedInterview>,
}

/// How the fit score is computed, in the reader's language; linked wherever a fit is shown.
#[derive(Template)]
#[template(path = "help/fit.html")]
struct FitHelpPage {
    page: Page,
}

async fn fit_help(page: Page) -> AppResult<Html<String>> {
    render(&FitHelpPage { page })
}

/// What the base layout needs on every page.
pub struct Page {
    pub i18n: I18n,
    /// The path of this page, so the language switch can come back to it.
    pub path: String,
    pub notice: Option<String>,
    /// Who is signed in, for the header.
    pub user: Option<User>,
    /// The session's CSRF token, which every form of the page sends back.
    pub csrf_token: String,
}

impl Page {
    pub fn new(i18n: I18n, path: String) -> Self {
        Self { i18n, path, notice: None, user: None, csrf_token: String::new() }
    }

    fn may(&self, permission: Permission) -> bool {
        self.user.as_ref().is_some_and(|user| user.active && user.role.grants(permission))
    }

    /// Whether the navigation offers companies and role profiles.
    pub fn may_view_profiles(&self) -> bool {
        self.may(Permission::ViewProfiles)
    }

    /// Whether the page offers creating, changing and deleting.
    pub fn may_manage_profiles(&self) -> bool {
        self.may(Permission::ManageProfiles)
    }

    /// Whether the navigation offers candidates.
    pub fn may_view_candidates(&self) -> bool {
        self.may(Permission::ViewCandidates)
    }

    /// Whether the page offers adding and changing candidates and applications.
    pub fn may_manage_candidates(&self) -> bool {
        self.may(Permission::ManageCandidates)
    }

    /// Whether the navigation offers the user administration.
    pub fn may_manage_users(&self) -> bool {
        self.may(Permission::ManageUsers)
    }

    pub fn role_label(&self) -> String {
        self.user.as_ref().map(|user| self.i18n.t(&user.role.label_key())).unwrap_or_default()
    }

    pub fn with_notice(mut self, notice: Option<Notice>) -> Self {
        self.notice = notice.map(|n| self.i18n.t(n.key()));
        self
    }

    pub fn in_section(&self, prefix: &str) -> bool {
        self.path.starts_with(prefix)
    }

    /// The link that switches the UI to `code` and returns here.
    pub fn language_link(&self, code: &str) -> String {
        let back: String = url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
        format!("/language/{code}?back={back}")
    }

    /// The code of the language the switch in the header offers.
    pub fn other_language_code(&self) -> &'static str {
        self.other_language().code()
    }

    /// That language's own name for itself.
    pub fn other_language_name(&self) -> &'static str {
        match self.other_language() {
            Lang::En => "English",
            Lang::Da => "Dansk",
        }
    }

    fn other_language(&self) -> Lang {
        match self.i18n.lang {
            Lang::En => Lang::Da,
            Lang::Da => Lang::En,
        }
    }
}

/// The page context of a request: its language, its path, its user and CSRF token.
impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Ok(lang) = Lang::from_request_parts(parts, state).await;
        let mut page = Page::new(I18n::new(lang), parts.uri.path().to_owned());
        page.user = parts.extensions.get::<CurrentUser>().map(|current| current.0.clone());
        let token = match (&page.user, parts.extensions.get::<Session>()) {
            (Some(_), Some(session)) => csrf::token(session).await?,
            _ => parts.extensions.get::<csrf::VisitorToken>().map(|visitor| visitor.0.clone()).unwrap_or_default(),
        };
        page.csrf_token = csrf::masked(&token);
        Ok(page)
    }
}

/// What a redirect after a change tells the next page to confirm.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    Created,
    Updated,
    Deleted,
    SignedOut,
    AdminCreated,
    /// The first administrator made, and signed in by the setup that made them.
    SignedInAsAdmin,
    Submitted,
    /// A scorecard submitted, and the interviewer taken on to their next interview.
    SubmittedNext,
    Decided,
    Erased,
    AlreadyErased,
    PasswordChanged,
    Imported,
    Moved,
    Merged,
    KeptApart,
    LetterQueued,
    TemplateSaved,
    TemplateReset,
    LinkSent,
    PasswordSet,
    InvitationSent,
    MovedAndTold,
    /// A comment written, and whoever it mentions told.
    Commented,
}

impl Notice {
    fn key(self) -> &'static str {
        match self {
            Notice::Created => "notice-created",
            Notice::Updated => "notice-updated",
            Notice::Deleted => "notice-deleted",
            Notice::SignedOut => "notice-signed-out",
            Notice::AdminCreated => "notice-admin-created",
            Notice::SignedInAsAdmin => "notice-signed-in-as-admin",
            Notice::Submitted => "notice-submitted",
            Notice::SubmittedNext => "notice-submitted-next",
            Notice::Decided => "notice-decided",
            Notice::Erased => "notice-erased",
            Notice::AlreadyErased => "notice-already-erased",
            Notice::PasswordChanged => "notice-password-changed",
            Notice::Imported => "notice-imported",
            Notice::Moved => "pipeline-moved",
            Notice::Merged => "notice-merged",
            Notice::KeptApart => "notice-kept-apart",
            Notice::LetterQueued => "notice-letter-queued",
            Notice::TemplateSaved => "notice-template-saved",
            Notice::TemplateReset => "notice-template-reset",
            Notice::LinkSent => "notice-link-sent",
            Notice::PasswordSet => "notice-password-set",
            Notice::InvitationSent => "notice-invitation-sent",
            Notice::MovedAndTold => "notice-moved-and-told",
            Notice::Commented => "notice-commented",
        }
    }

    pub fn query(self) -> &'static str {
        match self {
            Notice::Created => "notice=created",
            Notice::Updated => "notice=updated",
            Notice::Deleted => "notice=deleted",
            Notice::SignedOut => "notice=signed_out",
            Notice::AdminCreated => "notice=admin_created",
            Notice::SignedInAsAdmin => "notice=signed_in_as_admin",
            Notice::Submitted => "notice=submitted",
            Notice::SubmittedNext => "notice=submitted_next",
            Notice::Decided => "notice=decided",
            Notice::Erased => "notice=erased",
            Notice::AlreadyErased => "notice=already_erased",
            Notice::PasswordChanged => "notice=password_changed",
            Notice::Imported => "notice=imported",
            Notice::Moved => "notice=moved",
            Notice::Merged => "notice=merged",
            Notice::KeptApart => "notice=kept_apart",
            Notice::LetterQueued => "notice=letter_queued",
            Notice::TemplateSaved => "notice=template_saved",
            Notice::TemplateReset => "notice=template_reset",
            Notice::LinkSent => "notice=link_sent",
            Notice::PasswordSet => "notice=password_set",
            Notice::InvitationSent => "notice=invitation_sent",
            Notice::MovedAndTold => "notice=moved_and_told",
            Notice::Commented => "notice=commented",
        }
    }
}

/// The notice a page was redirected with (`?notice=…`); anything else in the query is
/// ignored rather than refused.
pub struct RequestedNotice(pub Option<Notice>);

impl<S: Send + Sync> FromRequestParts<S> for RequestedNotice {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let notice = parts.uri.query().and_then(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "notice")
                .and_then(|(_, value)| serde_json::from_value(serde_json::Value::String(value.into_owned())).ok())
        });
        Ok(RequestedNotice(notice))
    }
}

pub fn render(template: &impl Template) -> AppResult<Html<String>> {
    Ok(Html(template.render()?))
}

/// A page shown with a status other than 200: a form with errors (422) or a conflict (409).
pub fn render_with_status(status: StatusCode, template: &impl Template) -> AppResult<Response> {
    Ok((status, render(template)?).into_response())
}

/// After a successful POST: see the result with GET (so a reload does not post again).
pub fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
}

/// Where to send the browser for a `next` or `back` target that a request carried: the target
/// itself when it is a plain path on this site, else the home page. Every redirect target taken
/// from a request goes through here. A target is taken as it is or not at all, never repaired:
/// whatever a browser might resolve elsewhere (a second slash or a backslash after the first,
/// a control character it would drop, a dot segment that collapses into `//`, an escaped slash,
/// backslash or dot) answers `/`. What is kept is serialized again, percent-encoded, so that
/// nothing but URL characters reaches the `Location` header.
pub fn on_site(target: &str) -> String {
    plain_site_path(target).unwrap_or_else(|| "/".to_owned())
}

fn plain_site_path(target: &str) -> Option<String> {
    const ORIGIN: &str = "http://amfit.invalid/";
    let after_slash = target.strip_prefix('/')?;
    if after_slash.starts_with(['/', '\\']) || target.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if path.split('/').any(|segment| segment == "." || segment == "..") || escapes_ascii(path) {
        return None;
    }
    let base = url::Url::parse(ORIGIN).ok()?;
    let url = base.join(target).ok()?;
    let kept = &url[url::Position::BeforePath..url::Position::AfterQuery];
    (url.origin() == base.origin() && kept.starts_with('/') && !kept.starts_with("//")).then(|| kept.to_owned())
}

/// Whether `path` holds a percent-escape of an ASCII character: no path of amfit needs one, and
/// `%2f`, `%5c`, `%2e` or an escaped control character are how a slash, a backslash, a dot
/// segment or a dropped character are smuggled past a check. Escapes of non-ASCII bytes (`%C3%B8`)
/// are ordinary text.
fn escapes_ascii(path: &str) -> bool {
    path.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && std::str::from_utf8(&w[1..])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .is_some_and(|byte| byte.is_ascii())
    })
}

#[derive(Deserialize)]
struct BackQuery {
    back: Option<String>,
}

/// Remembers the chosen language in a cookie and returns to the page it was chosen on.
async fn switch_language(Path(code): Path<String>, Query(query): Query<BackQuery>) -> AppResult<Response> {
    let lang = Lang::from_code(&code).ok_or(AppError::NotFound)?;
    let back = query.back.as_deref().map_or_else(|| "/".to_owned(), on_site);
    let cookie = format!("{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    Ok((StatusCode::SEE_OTHER, [(SET_COOKIE, cookie), (LOCATION, back)]).into_response())
}

async fn ad_editor_script() -> impl IntoResponse {
    script(include_str!("../../static/ad-editor.js"))
}

async fn pipeline_script() -> impl IntoResponse {
    script(include_str!("../../static/pipeline.js"))
}

async fn menu_script() -> impl IntoResponse {
    script(include_str!("../../static/header-menu.js"))
}

/// One of the site's own scripts, cached for an hour.
fn script(source: &'static str) -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")], source)
}

/// The site's icon, also at `/favicon.ico`, where browsers look when a page names none.
async fn favicon() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../static/favicon.svg"),
    )
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
}

#[cfg(test)]
mod tests {
    use super::on_site;

    #[test]
    fn a_redirect_target_stays_on_this_site() {
        for (target, expected) in [
            ("/profiles/3?tab=ads", "/profiles/3?tab=ads"),
            ("/candidates/7#x", "/candidates/7"),
            ("/søg?q=Ærø", "/s%C3%B8g?q=%C3%86r%C3%B8"),
            ("/a/../b", "/"),
            ("/.//evil.example", "/"),
            ("/%2e%2e//evil.example", "/"),
            ("/./%2F/evil.example", "/"),
            ("//evil.example", "/"),
            ("/\t/evil.example", "/"),
            ("/\n/evil.example", "/"),
            ("/\\evil.example", "/"),
            ("\\\\evil.example", "/"),
            ("https://evil.example/", "/"),
            ("javascript:alert(1)", "/"),
            ("profiles", "/"),
            ("", "/"),
            ("/\r\nSet-Cookie: x=1", "/"),
        ] {
            assert_eq!(on_site(target), expected, "{target:?}");
        }
    }
}
