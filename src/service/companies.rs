//! Companies: who sees which, and changing them.

use std::collections::HashSet;

use crate::app::AppState;
use crate::domain::company::{Company, CompanyInput};
use crate::domain::input::versioned;
use crate::domain::profile::RoleProfile;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::store::CompanyOverview;

/// The ids of the companies in which `user` owns a role profile, when that limits what they
/// see (hiring managers); `None` when they see every company.
async fn visible_ids(state: &AppState, user: &User) -> AppResult<Option<HashSet<i64>>> {
    if !user.role.sees_only_own_profiles() {
        return Ok(None);
    }
    let profiles = state.store.list_profiles().await?;
    Ok(Some(profiles.iter().filter(|o| user.may_view_profile(&o.profile)).map(|o| o.profile.company_id).collect()))
}

/// The companies `user` sees, by name, with their profile counts.
pub async fn list(state: &AppState, user: &User) -> AppResult<Vec<CompanyOverview>> {
    let visible = visible_ids(state, user).await?;
    let companies = state.store.list_companies().await?;
    Ok(companies.into_iter().filter(|o| visible.as_ref().is_none_or(|ids| ids.contains(&o.company.id))).collect())
}

/// Company `id`: 404 when there is none, 403 when `user` may not see it.
pub async fn get(state: &AppState, user: &User, id: i64) -> AppResult<Company> {
    let company = state.store.get_company(id).await?;
    if visible_ids(state, user).await?.is_some_and(|ids| !ids.contains(&id)) {
        return Err(AppError::Forbidden);
    }
    Ok(company)
}

/// Company `id` with the role profiles of it that `user` sees.
pub async fn with_profiles(state: &AppState, user: &User, id: i64) -> AppResult<(Company, Vec<RoleProfile>)> {
    let company = get(state, user, id).await?;
    let profiles = state.store.list_company_profiles(id).await?.into_iter().filter(|p| user.may_view_profile(p));
    Ok((company, profiles.collect()))
}

/// A new company; [`AppError::Invalid`] names every problem of the input.
pub async fn create(state: &AppState, input: &CompanyInput) -> AppResult<Company> {
    let details = input.parse().map_err(AppError::Invalid)?;
    Ok(state.store.create_company(&details).await?)
}

/// Changes company `id` if it is still at the input's version: [`AppError::Conflict`]
/// otherwise; [`AppError::Invalid`] names every problem of the input, version included.
pub async fn update(state: &AppState, id: i64, input: &CompanyInput) -> AppResult<Company> {
    let (version, details) = versioned(&input.version, input.parse()).map_err(AppError::Invalid)?;
    Ok(state.store.update_company(id, version, &details).await?)
}

/// Deletes the company with its role profiles; only at `expected_version` when one is given.
pub async fn delete(state: &AppState, id: i64, expected_version: Option<i64>) -> AppResult<()> {
    Ok(state.store.delete_company(id, expected_version).await?)
}
