//! The job ad of a role profile: written from the profile, edited with a live preview and
//! wording check (the "check" button does the same without JavaScript), saved as numbered
//! versions that can be compared, and downloaded in every format.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use serde::Deserialize;

use super::wording::{Findings, findings};
use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::ad::{
    self, AdFormat, AdInput, AdQuery, AdRequest, AdVersion, CompareQuery, DiffLine, LineChange, Tone, Unfinished,
    line_diff,
};
use crate::domain::input::{FieldErrors, FieldParser};
use crate::domain::profile::AdLanguage;
use crate::domain::publication::Publication;
use crate::domain::user::{Permission, User};
use crate::domain::wording::TEXT_MAX;
use crate::error::{AppError, AppResult};
use crate::http::download::{ad_download, ad_request};
use crate::http::{self, HtmlForm, ResourceId};
use crate::i18n::I18n;
use crate::service::ads::{self, ProfileAd};
use crate::service::{profiles, publications};

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewProfiles);
    let manage = Access::Requires(Permission::ManageProfiles);
    Routes::default()
        .get("/profiles/{id}/ad", view, editor)
        .post("/profiles/{id}/ad", manage, save)
        .post("/profiles/{id}/ad/preview", view, preview)
        .get("/profiles/{id}/ad/export", view, export)
        .get("/profiles/{id}/ad/compare", view, compare)
}

/// The header the editor's script sends to get the preview alone.
const FRAGMENT_HEADER: &str = "x-fragment";

/// A saved version as the list shows it.
struct VersionLine {
    number: i64,
    language: String,
    tone: String,
    saved: String,
    /// Its public page and until when it is open, when published.
    public: Option<(String, String)>,
}

/// The preview of a text with its wording check, or why it cannot be checked.
struct Preview {
    html: String,
    findings: Option<Findings>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "ads/preview.html")]
struct PreviewFragment {
    page: Page,
    preview: Preview,
}

#[derive(Template)]
#[template(path = "ads/editor.html")]
struct EditorPage {
    page: Page,
    profile_id: i64,
    title: String,
    company: String,
    language: &'static str,
    tone: &'static str,
    languages: Vec<(&'static str, String)>,
    tones: Vec<(&'static str, String)>,
    /// Which ad the text is: "Version 3 …" or "Written from the profile".
    source: String,
    missing: Vec<String>,
    text: String,
    max: usize,
    preview: Preview,
    versions: Vec<VersionLine>,
    may_save: bool,
    /// (label, href) of each format of the shown ad.
    downloads: Vec<(String, String)>,
    /// Set when a save waits for confirmation: what is left to finish in the text.
    unfinished: Option<String>,
}

fn preview_of(state: &AppState, text: &str, language: AdLanguage, i18n: I18n) -> Preview {
    let report = state.wording.check(text, language);
    let findings = findings(&report, text, i18n);
    Preview { html: ad::to_highlighted_html(text, &findings.highlights()), findings: Some(findings), error: None }
}

fn refused(errors: &FieldErrors, i18n: I18n) -> Preview {
    let error = errors
        .iter()
        .next()
        .map(|e| format!("{}: {}", i18n.t(&format!("field-{}", e.field)), i18n.problem(&e.problem)));
    Preview { html: String::new(), findings: None, error }
}

fn version_line(version: &AdVersion, published: &[Publication], i18n: I18n) -> VersionLine {
    let by = version.saved_by.clone().unwrap_or_else(|| i18n.t("ad-deleted-user"));
    let public = published
        .iter()
        .find(|p| p.version == version.number)
        .map(|p| (format!("/jobs/{}", p.slug), i18n.t1("publish-open-until", "date", &i18n.date(&p.open_until))));
    VersionLine {
        number: version.number,
        language: i18n.t(&version.language.label_key()),
        tone: i18n.t(&version.tone.label_key()),
        saved: i18n.tn("ad-saved-by", &[("name", &by), ("at", &i18n.timestamp(&version.saved_at))]),
        public,
    }
}

/// What the editor shows besides the text and its preview.
struct EditorContext {
    ad: ProfileAd,
    versions: Vec<AdVersion>,
    /// The profile's published versions.
    published: Vec<Publication>,
}

impl EditorContext {
    async fn load(state: &AppState, user: &User, id: i64, request: &AdRequest) -> AppResult<Self> {
        let ad = ads::for_user(state, user, id, request).await?;
        let published = publications::list(state, user).await?.into_iter().filter(|p| p.profile_id == id).collect();
        Ok(Self { ad, versions: ads::versions(state, user, id).await?, published })
    }

    fn page(self, page: Page, text: String, preview: Preview) -> EditorPage {
        let ad = self.ad;
        // Versions were saved at the company's time.
        let i18n = page.i18n.in_zone(ad.company.details.time_zone);
        let id = ad.profile.id;
        let source = match ad.version.and_then(|n| self.versions.iter().find(|v| v.number == n)) {
            Some(version) => {
                let line = version_line(version, &self.published, i18n);
                i18n.tn("ad-source-version", &[("number", &version.number.to_string()), ("saved", &line.saved)])
            }
            None => i18n.t("ad-source-generated"),
        };
        let selection = match ad.version {
            Some(n) => format!("version={n}"),
            None => format!("language={}&tone={}", ad.language.as_str(), ad.tone.as_str()),
        };
        EditorPage {
            profile_id: id,
            title: ad.profile.details.title.clone(),
            company: ad.company.details.name.clone(),
            language: ad.language.as_str(),
            tone: ad.tone.as_str(),
            languages: [AdLanguage::Da, AdLanguage::En].map(|l| (l.as_str(), i18n.t(&l.label_key()))).to_vec(),
            tones: [Tone::Informal, Tone::Formal].map(|t| (t.as_str(), i18n.t(&t.label_key()))).to_vec(),
            source,
            missing: ad.missing.iter().map(|m| i18n.t(&m.label_key())).collect(),
            text,
            max: TEXT_MAX,
            preview,
            versions: self.versions.iter().map(|v| version_line(v, &self.published, i18n)).collect(),
            may_save: page.user.as_ref().is_some_and(|u| u.active && u.role.grants(Permission::ManageProfiles)),
            downloads: [AdFormat::Md, AdFormat::Html, AdFormat::Text, AdFormat::Jsonld]
                .map(|f| {
                    (i18n.t(&f.label_key()), format!("/profiles/{id}/ad/export?format={}&{selection}", f.as_str()))
                })
                .to_vec(),
            unfinished: None,
            page,
        }
    }
}

async fn editor(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    RequestedNotice(notice): RequestedNotice,
    ResourceId(id): ResourceId,
    query: Result<Query<AdQuery>, QueryRejection>,
) -> AppResult<Html<String>> {
    let request = ad_request(query, None)?;
    let context = EditorContext::load(&state, &user, id, &request).await?;
    let text = context.ad.text.clone();
    let preview = preview_of(&state, &text, context.ad.language, page.i18n);
    render(&context.page(page.with_notice(notice), text, preview))
}

/// The ad a posted form is about: its language and tone as chosen, written afresh.
fn posted_request(input: &AdInput) -> AdRequest {
    let mut p = FieldParser::default();
    AdRequest {
        format: AdFormat::Md,
        language: p.optional_choice("language", &input.language),
        tone: p.optional_choice("tone", &input.tone).unwrap_or_default(),
        version: None,
    }
}

/// The preview of a posted text, or why it has none.
fn checked(state: &AppState, input: &AdInput, i18n: I18n) -> (StatusCode, Preview) {
    match input.parse() {
        Ok(draft) => (StatusCode::OK, preview_of(state, &draft.text, draft.language, i18n)),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, refused(&errors, i18n)),
    }
}

async fn preview(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    headers: HeaderMap,
    HtmlForm(input): HtmlForm<AdInput>,
) -> AppResult<Response> {
    if headers.contains_key(FRAGMENT_HEADER) {
        profiles::get(&state, &user, id).await?;
        let (status, preview) = checked(&state, &input, page.i18n);
        return render_with_status(status, &PreviewFragment { page, preview });
    }
    let context = EditorContext::load(&state, &user, id, &posted_request(&input)).await?;
    let (status, preview) = checked(&state, &input, page.i18n);
    let text = input.text.clone().unwrap_or_default();
    render_with_status(status, &context.page(page, text, preview))
}

/// The editor's form when it saves: the ad, and whether its author confirmed saving an ad
/// that is not finished.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SaveForm {
    #[serde(flatten)]
    ad: AdInput,
    confirm: Option<String>,
}

/// Saves the text as a new version. An ad with discrimination-law flags or "[Mangler: …]"
/// left in is saved only once its author confirms, having been told how many.
async fn save(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(form): HtmlForm<SaveForm>,
) -> AppResult<Response> {
    let input = form.ad;
    if form.confirm.as_deref() != Some("yes")
        && let Ok(draft) = input.parse()
    {
        let report = state.wording.check(&draft.text, draft.language);
        let unfinished = Unfinished::of(&draft.text, &report);
        if !unfinished.is_nothing() {
            let context = EditorContext::load(&state, &user, id, &posted_request(&input)).await?;
            let preview = preview_of(&state, &draft.text, draft.language, page.i18n);
            let message = page.i18n.tn(
                "ad-confirm-save",
                &[
                    ("flags", &page.i18n.number(unfinished.flags as i64)),
                    ("placeholders", &page.i18n.number(unfinished.placeholders as i64)),
                ],
            );
            let mut editor = context.page(page, draft.text, preview);
            editor.unfinished = Some(message);
            return render_with_status(StatusCode::OK, &editor);
        }
    }
    let version = match ads::save(&state, &user, id, &input).await {
        Ok(version) => version,
        Err(AppError::Invalid(errors)) => {
            let context = EditorContext::load(&state, &user, id, &posted_request(&input)).await?;
            let preview = refused(&errors, page.i18n);
            let text = input.text.clone().unwrap_or_default();
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &context.page(page, text, preview));
        }
        Err(other) => return Err(other),
    };
    Ok(see_other(format!("/profiles/{id}/ad?version={}&{}", version.number, Notice::Created.query())))
}

async fn export(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    query: Result<Query<AdQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = ad_request(query, None)?;
    let ad = ads::for_user(&state, &user, id, &request).await?;
    Ok(ad_download(&ad, request.format, "attachment"))
}

#[derive(Template)]
#[template(path = "ads/compare.html")]
struct ComparePage {
    page: Page,
    profile_id: i64,
    title: String,
    from: VersionLine,
    to: VersionLine,
    summary: String,
    lines: Vec<DiffLine>,
}

async fn compare(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    query: Result<Query<CompareQuery>, QueryRejection>,
) -> AppResult<Html<String>> {
    let versions = http::query(query)?.parse().map_err(AppError::Invalid)?;
    let (profile, older, newer) = ads::two_versions(&state, &user, id, versions).await?;
    let lines = line_diff(&older.text, &newer.text);
    let count = |change| lines.iter().filter(|l| l.change == change).count() as i64;
    let i18n = page.i18n;
    let summary = i18n.tn(
        "ad-compare-summary",
        &[("added", &i18n.number(count(LineChange::Added))), ("removed", &i18n.number(count(LineChange::Removed)))],
    );
    render(&ComparePage {
        profile_id: id,
        title: profile.details.title,
        from: version_line(&older, &[], i18n),
        to: version_line(&newer, &[], i18n),
        summary,
        lines,
        page,
    })
}
