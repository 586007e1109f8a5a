//! The job ad of a stored role profile: written afresh from the profile or read from a saved
//! version, and put out in any [`AdFormat`]. The web UI, the API and `amfit ad` share it.

use askama::Template;
use chrono::NaiveDate;

use crate::app::AppState;
use crate::domain::ad::{
    self, AdFormat, AdInput, AdRequest, AdSource, AdVersion, JobPosting, MissingItem, Posting, Tone,
};
use crate::domain::company::Company;
use crate::domain::job_page;
use crate::domain::profile::{AdLanguage, RoleProfile};
use crate::domain::publication::Publication;
use crate::domain::rubric::Rubric;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::profiles;
use crate::store::{NewAdVersion, Store, StoreResult};

/// The ad `choice` names of profile `profile_id`, for `user`: 403 for a profile they may not
/// see, 404 without the profile or the version.
pub async fn for_user(state: &AppState, user: &User, profile_id: i64, choice: &AdRequest) -> AppResult<ProfileAd> {
    profiles::get(state, user, profile_id).await?;
    Ok(load(state.store.as_ref(), &state.rubric, profile_id, choice).await?)
}

/// The saved versions of profile `profile_id`'s ad, newest first, if `user` may see the profile.
pub async fn versions(state: &AppState, user: &User, profile_id: i64) -> AppResult<Vec<AdVersion>> {
    profiles::get(state, user, profile_id).await?;
    Ok(state.store.list_ad_versions(profile_id).await?)
}

/// Versions `older` and `newer` of profile `profile_id`'s ad, with the profile.
pub async fn two_versions(
    state: &AppState,
    user: &User,
    profile_id: i64,
    (older, newer): (i64, i64),
) -> AppResult<(RoleProfile, AdVersion, AdVersion)> {
    let profile = profiles::get(state, user, profile_id).await?;
    let older = state.store.get_ad_version(profile_id, older).await?;
    let newer = state.store.get_ad_version(profile_id, newer).await?;
    Ok((profile, older, newer))
}

/// Saves the input as the next version of profile `profile_id`'s ad, as `user`'s;
/// [`AppError::Invalid`] names every problem of the input.
pub async fn save(state: &AppState, user: &User, profile_id: i64, input: &AdInput) -> AppResult<AdVersion> {
    let draft = input.parse().map_err(AppError::Invalid)?;
    profiles::get(state, user, profile_id).await?;
    let new = NewAdVersion { profile_id, language: draft.language, tone: draft.tone, text: &draft.text, by: user.id };
    Ok(state.store.save_ad_version(new).await?)
}

/// A profile's ad with what it was made from.
#[derive(Debug, Clone)]
pub struct ProfileAd {
    pub profile: RoleProfile,
    pub company: Company,
    pub language: AdLanguage,
    pub tone: Tone,
    /// The saved version it is, if any.
    pub version: Option<i64>,
    /// The ad in Markdown.
    pub text: String,
    /// What the profile lacks for a complete ad.
    pub missing: Vec<MissingItem>,
}

/// The ad `choice` names (its format aside) of profile `profile_id`;
/// [`StoreError::NotFound`](crate::store::StoreError) without the profile or the version.
pub async fn load(store: &dyn Store, rubric: &Rubric, profile_id: i64, choice: &AdRequest) -> StoreResult<ProfileAd> {
    let profile = store.get_profile(profile_id).await?;
    let company = store.get_company(profile.company_id).await?;
    let (language, tone, version, text) = match choice.version {
        Some(number) => {
            let saved = store.get_ad_version(profile_id, number).await?;
            (saved.language, saved.tone, Some(number), saved.text)
        }
        None => {
            let language = choice.language.unwrap_or(profile.details.ad_language);
            let overrides = store.list_weight_overrides(profile_id).await?;
            let weights = rubric.weigh(&company.details, &profile.details, &overrides);
            let source = AdSource { company: &company.details, profile: &profile.details, language, tone: choice.tone };
            (language, choice.tone, None, source.generate(&weights).markdown)
        }
    };
    let source = AdSource { company: &company.details, profile: &profile.details, language, tone };
    let missing = source.missing();
    Ok(ProfileAd { profile, company, language, tone, version, text, missing })
}

/// A whole HTML document: the ad, and its JSON-LD for search engines.
#[derive(Template)]
#[template(path = "ads/document.html")]
struct AdDocument<'a> {
    language: &'a str,
    title: &'a str,
    json_ld: String,
    body: String,
}

impl ProfileAd {
    /// The ad written out as `format`; `posted` is the JSON-LD's datePosted.
    pub fn write(&self, format: AdFormat, posted: NaiveDate) -> String {
        let identifier = match self.version {
            Some(number) => format!("amfit-{}-v{number}", self.profile.id),
            None => format!("amfit-{}", self.profile.id),
        };
        let context =
            Posting { date_posted: posted, language: self.language, identifier: &identifier, published_until: None };
        let posting = || JobPosting::new(&self.company.details, &self.profile.details, &self.text, context);
        match format {
            AdFormat::Md => self.text.clone(),
            AdFormat::Text => ad::to_text(&self.text),
            AdFormat::Jsonld => posting().to_json_ld(),
            AdFormat::Html => AdDocument {
                language: self.language.as_str(),
                title: ad::headline(&self.text, self.profile.details.ad_title(self.language)),
                json_ld: posting().to_json_ld(),
                body: ad::to_html(&self.text),
            }
            .render()
            // Rendering strings into a String cannot fail.
            .unwrap_or_default(),
        }
    }

    /// The ad as its public job page shows it: the text as HTML, and the JSON-LD JobPosting that
    /// says it takes applications on the page until the publication's last day.
    pub fn published(&self, publication: &Publication) -> (String, String) {
        let identifier = format!("amfit-{}-v{}", self.profile.id, publication.version);
        let context = Posting {
            date_posted: publication.open_from,
            language: self.language,
            identifier: &identifier,
            published_until: Some(publication.open_until),
        };
        // The page and its JobPosting both send applicants to the form below the ad.
        let text = job_page::with_the_form(&self.text, self.language);
        let posting = JobPosting::new(&self.company.details, &self.profile.details, &text, context);
        (ad::to_html(&text), posting.to_json_ld())
    }

    /// A file name for the download: `account-manager-da-v3.md`.
    pub fn file_name(&self, format: AdFormat) -> String {
        let title: String = self
            .profile
            .details
            .title
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let title = title.split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-");
        let version = self.version.map(|n| format!("-v{n}")).unwrap_or_default();
        format!(
            "{}-{}{version}.{}",
            if title.is_empty() { "ad" } else { &title },
            self.language.as_str(),
            format.extension()
        )
    }
}
