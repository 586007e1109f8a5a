//! `/api/v1/profiles` and `/api/v1/companies/{id}/profiles`

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use super::idempotency::{Answer, created};
use super::listing::{page_of, page_request, paged};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::paging::{self, Page, PageQuery, PageRequest};
use crate::domain::profile::{AccountModel, ProfileInput, RoleProfile};
use crate::domain::rubric::WeightInput;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::http::precondition::{IfMatch, tagged};
use crate::http::{ApiJson, ResourceId};
use crate::service::companies;
use crate::service::profiles::{self, ProfileCompetency, override_weight, reset_weight_override};

/// A role profile with its derived account model.
#[derive(Serialize, ToSchema)]
pub struct ProfileResource {
    #[serde(flatten)]
    profile: RoleProfile,
    account_model: AccountModel,
}

impl From<RoleProfile> for ProfileResource {
    fn from(profile: RoleProfile) -> Self {
        let account_model = profile.account_model();
        Self { profile, account_model }
    }
}

page_of!(
    /// One page of role profiles, oldest first.
    ProfilePage,
    ProfileResource
);

/// `profiles` as the page `request` asks for.
fn profile_page(profiles: impl Iterator<Item = RoleProfile>, request: PageRequest) -> Page<ProfileResource> {
    paging::page(profiles.map(ProfileResource::from), |p| p.profile.id, request)
}

/// List the role profiles
#[utoipa::path(get, path = "/profiles", operation_id = "listProfiles", tag = "profiles", params(PageQuery),
    responses(
        (status = 200, description = "A page of the role profiles the caller may see, oldest first", body = ProfilePage),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let profiles = profiles::list(&state, &user).await?;
    Ok(paged::<_, ProfilePage>(&uri, profile_page(profiles.into_iter().map(|o| o.profile), request)))
}

/// List a company's role profiles
#[utoipa::path(get, path = "/companies/{id}/profiles", operation_id = "listCompanyProfiles", tag = "profiles", params(("id" = i64, Path), PageQuery),
    responses(
        (status = 200, description = "A page of the company's role profiles, oldest first", body = ProfilePage),
        (status = 404, description = "No such company", body = ProblemDocument),
    ))]
pub async fn list_of_company(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    ResourceId(company_id): ResourceId,
    paging: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Response> {
    let request = page_request(paging)?;
    let (_, profiles) = companies::with_profiles(&state, &user, company_id).await?;
    Ok(paged::<_, ProfilePage>(&uri, profile_page(profiles.into_iter(), request)))
}

/// Create a role profile for a company
#[utoipa::path(post, path = "/companies/{id}/profiles", operation_id = "createProfile", tag = "profiles", params(("id" = i64, Path)),
    request_body = ProfileInput,
    responses(
        (status = 201, description = "Created", body = ProfileResource,
            headers(("Location" = String, description = "The new profile's URL"))),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 404, description = "No such company", body = ProblemDocument),
        (status = 413, description = "Body over 512 KiB", body = ProblemDocument),
        (status = 422, description = "Invalid fields, each named", body = ProblemDocument),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ResourceId(company_id): ResourceId,
    ApiJson(input): ApiJson<ProfileInput>,
) -> AppResult<Response> {
    let answer = Answer::new(|profile: &RoleProfile| {
        created(format!("/api/v1/profiles/{}", profile.id), &ProfileResource::from(profile.clone()))
    });
    Ok(answer.to(&profiles::create(&state, company_id, &input).await?))
}

/// Read one role profile
#[utoipa::path(get, path = "/profiles/{id}", operation_id = "readProfile", tag = "profiles", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The role profile with its account model", body = ProfileResource, headers(("ETag" = String, description = "The version, as `\"3\"`"))),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let profile = profiles::get(&state, &user, id).await?;
    Ok(tagged(profile.version, Json(ProfileResource::from(profile))))
}

/// Update a role profile
#[utoipa::path(put, path = "/profiles/{id}", operation_id = "updateProfile", tag = "profiles", params(("id" = i64, Path), IfMatch),
    request_body(content = ProfileInput, description = "All fields, and the `version` the change was made from"),
    responses(
        (status = 200, description = "The role profile with its account model", body = ProfileResource),
        (status = 400, description = "Malformed JSON or not JSON", body = ProblemDocument),
        (status = 404, description = "No such profile", body = ProblemDocument),
        (status = 409, description = "Changed since `version`; nothing was written", body = ProblemDocument),
        (status = 413, description = "Body over 512 KiB", body = ProblemDocument),
        (status = 422, description = "Invalid fields, each named", body = ProblemDocument),
    ))]
pub async fn update(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
    ApiJson(mut input): ApiJson<ProfileInput>,
) -> AppResult<Response> {
    if_match.apply(&mut input.version);
    let profile = if_match.judge(profiles::update(&state, id, &input).await)?;
    Ok(tagged(profile.version, Json(ProfileResource::from(profile))))
}

/// Delete a role profile
#[utoipa::path(delete, path = "/profiles/{id}", operation_id = "deleteProfile", tag = "profiles", params(("id" = i64, Path), IfMatch),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    if_match: IfMatch,
) -> AppResult<StatusCode> {
    if_match.judge(profiles::delete(&state, id, if_match.0).await)?;
    Ok(StatusCode::NO_CONTENT)
}

/// One competency's weight for a profile: what counts, what the rules gave, and who changed it.
#[derive(Serialize, ToSchema)]
pub struct WeightResource {
    competency: String,
    /// 0–10.
    weight: i64,
    /// The lowest acceptable mean rating (1–5) of a must-have; `null` otherwise.
    minimum: Option<i64>,
    derived_weight: i64,
    derived_minimum: Option<i64>,
    /// The ids of the weight rules that moved this competency.
    rules: Vec<String>,
    /// The rule groups whose shared cap gave a rule less than it asks: their rules measure one
    /// demand of the role.
    capped_by: Vec<String>,
    overridden_by: Option<String>,
    overridden_at: Option<chrono::DateTime<chrono::Utc>>,
}

async fn weights_of(state: &AppState, user: &User, profile_id: i64) -> AppResult<Vec<WeightResource>> {
    let weighed = profiles::weighed(state, user, profile_id).await?;
    Ok(weighed
        .weights(&state.rubric)
        .into_iter()
        .map(|w| WeightResource {
            competency: w.competency.id.clone(),
            weight: w.weight,
            minimum: w.minimum,
            derived_weight: w.derived.0,
            derived_minimum: w.derived.1,
            rules: w.reasons.iter().map(|r| r.rule.id.clone()).collect(),
            capped_by: {
                // A group's rules need not follow each other: name each group once.
                let mut groups: Vec<String> = Vec::new();
                for group in w.reasons.iter().filter_map(|r| r.shared_with) {
                    if !groups.contains(&group.id) {
                        groups.push(group.id.clone());
                    }
                }
                groups
            },
            overridden_by: w.overridden.and_then(|o| o.set_by.clone()),
            overridden_at: w.overridden.map(|o| o.set_at),
        })
        .collect())
}

/// List a role profile's competency weights
#[utoipa::path(get, path = "/profiles/{id}/weights", operation_id = "listWeights", tag = "profiles", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The profile's weights, heaviest first", body = [WeightResource]),
        (status = 404, description = "No such profile", body = ProblemDocument),
    ))]
pub async fn weights(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
) -> AppResult<Json<Vec<WeightResource>>> {
    Ok(Json(weights_of(&state, &user, id).await?))
}

/// Set a competency's weight on a role profile
#[utoipa::path(put, path = "/profiles/{id}/weights/{competency}", operation_id = "setWeight", tag = "profiles",
    params(("id" = i64, Path), ("competency" = String, Path, description = "A competency id of the rubric")),
    request_body = WeightInput,
    responses(
        (status = 200, description = "Set; the profile's weights, heaviest first", body = [WeightResource]),
        (status = 404, description = "No such profile or competency", body = ProblemDocument),
        (status = 422, description = "A weight outside 0–10 or a minimum outside 1–5", body = ProblemDocument),
    ))]
pub async fn set_weight(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    target: ProfileCompetency,
    ApiJson(input): ApiJson<WeightInput>,
) -> AppResult<Json<Vec<WeightResource>>> {
    let (weight, minimum) = input.parse().map_err(AppError::Invalid)?;
    override_weight(&state, &user, &target, (weight, minimum)).await?;
    Ok(Json(weights_of(&state, &user, target.profile_id).await?))
}

/// Reset a competency's weight on a role profile to the rules' default
#[utoipa::path(delete, path = "/profiles/{id}/weights/{competency}", operation_id = "resetWeight", tag = "profiles",
    params(("id" = i64, Path), ("competency" = String, Path)),
    responses(
        (status = 204, description = "Back to the weight and minimum the rules give"),
        (status = 404, description = "No such profile, competency or override", body = ProblemDocument),
    ))]
pub async fn reset_weight(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    target: ProfileCompetency,
) -> AppResult<StatusCode> {
    reset_weight_override(&state, &user, &target).await?;
    Ok(StatusCode::NO_CONTENT)
}
