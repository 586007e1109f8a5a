//! Publishing saved ad versions: a public address and the days they take applications. An ad
//! whose wording check still finds something the law forbids is published only when the
//! recruiter confirms it.

use chrono::NaiveDate;

use crate::app::AppState;
use crate::domain::ad::Unfinished;
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::job_page;
use crate::domain::profile::{Interviewing, ProfileDetails};
use crate::domain::publication::{Publication, PublicationInput, SLUG_MAX, slug_of};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::{profiles, today};
use crate::store::{NewPublication, StoreError};

/// Publishes version `number` of profile `profile_id`'s ad (or gives a published one the
/// input's address and days), as `user`'s doing.
pub async fn publish(
    state: &AppState,
    user: &User,
    profile_id: i64,
    number: i64,
    input: &PublicationInput,
) -> AppResult<Publication> {
    let profile = profiles::get(state, user, profile_id).await?;
    let version = state.store.get_ad_version(profile_id, number).await?;
    let request = input
        .parse(today(), profile.details.application_deadline, interviews_by(&profile.details, &version.text))
        .map_err(AppError::Invalid)?;
    let unfinished = Unfinished::of(&version.text, &state.wording.check(&version.text, version.language));
    if !unfinished.is_nothing() && !request.confirmed {
        let problem = Problem::UnresolvedFindings {
            flags: unfinished.flags as u64,
            placeholders: unfinished.placeholders as u64,
        };
        return Err(AppError::Invalid(FieldErrors::single("confirm", problem)));
    }
    let chosen = request.slug.is_some();
    let slug = match request.slug {
        Some(slug) => slug,
        None => {
            let company = state.store.get_company(profile.company_id).await?;
            slug_of(&format!("{} {}", profile.details.ad_title(version.language), company.details.name))
        }
    };
    let new = |slug| NewPublication {
        profile_id,
        number,
        slug,
        open_from: request.open_from,
        open_until: request.open_until,
        by: user.id,
    };
    match state.store.publish(new(&slug)).await {
        Err(StoreError::Duplicate) if chosen => Err(AppError::Invalid(FieldErrors::single("slug", Problem::SlugTaken))),
        // A made-up address another ad has: this one's numbers make it its own.
        Err(StoreError::Duplicate) => Ok(state.store.publish(new(&numbered(&slug, profile_id, number))).await?),
        published => Ok(published?),
    }
}

/// `slug` ending in the profile's and the version's numbers, within [`SLUG_MAX`].
fn numbered(slug: &str, profile_id: i64, number: i64) -> String {
    let suffix = format!("-{profile_id}-{number}");
    let kept = slug_of(&slug[..slug.len().min(SLUG_MAX - suffix.len())]);
    format!("{kept}{suffix}")
}

/// Takes version `number` of profile `profile_id`'s ad off its public page.
pub async fn unpublish(state: &AppState, user: &User, profile_id: i64, number: i64) -> AppResult<()> {
    profiles::get(state, user, profile_id).await?;
    Ok(state.store.unpublish(profile_id, number).await?)
}

/// The publications of the profiles `user` may see, oldest first.
pub async fn list(state: &AppState, user: &User) -> AppResult<Vec<Publication>> {
    let visible = profiles::list(state, user).await?;
    let publications = state.store.list_publications().await?;
    Ok(publications.into_iter().filter(|p| visible.iter().any(|o| o.profile.id == p.profile_id)).collect())
}

/// The last day of the interview week that `text` names, when the profile holds interviews
/// after the deadline in that week.
fn interviews_by(profile: &ProfileDetails, text: &str) -> Option<NaiveDate> {
    let week = profile.terms.interview_week.filter(|_| profile.interviewing == Interviewing::AfterDeadline)?;
    (job_page::interview_week_stated(text) == Some(week.number())).then(|| week.sunday())
}
