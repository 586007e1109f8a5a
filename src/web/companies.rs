//! Company pages: list, view, create, edit, delete.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};

use super::form::{Choice, ConfirmDeletePage, Control, FieldBuilder, Fieldset, FormPage, shown};
use super::letter_templates::{TemplateLine, template_lines};
use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::http::HtmlForm;
use crate::http::ResourceId;

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::company::{Company, CompanyInput, DEFAULT_TIME_ZONE, DESCRIPTION_MAX, EMPLOYEES_MAX, NAME_MAX};
use crate::domain::input::{FieldErrors, parse_version};
use crate::domain::user::Permission;
use crate::error::{AppError, AppResult};
use crate::i18n::I18n;
use crate::service::companies;

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewProfiles);
    let manage = Access::Requires(Permission::ManageProfiles);
    Routes::default()
        .get("/companies", view, list)
        .post("/companies", manage, create)
        .get("/companies/new", manage, new_form)
        .get("/companies/{id}", view, show)
        .post("/companies/{id}", manage, update)
        .get("/companies/{id}/edit", manage, edit_form)
        .get("/companies/{id}/delete", manage, confirm_delete)
        .post("/companies/{id}/delete", manage, delete)
}

/// One line of the company list, formatted for the reader's language.
struct CompanyLine {
    id: i64,
    name: String,
    industry: String,
    employees: String,
    size_band: String,
    account_managers: String,
    profile_count: String,
}

#[derive(Template)]
#[template(path = "companies/list.html")]
struct ListPage {
    page: Page,
    companies: Vec<CompanyLine>,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    let i18n = page.i18n;
    let companies = companies::list(&state, &user)
        .await?
        .into_iter()
        .map(|overview| {
            let c = &overview.company;
            CompanyLine {
                id: c.id,
                name: c.details.name.clone(),
                industry: c.details.industry.clone(),
                employees: i18n.number(c.details.employees.into()),
                size_band: i18n.t(&c.details.size_band().label_key()),
                account_managers: i18n.number(c.details.account_managers.into()),
                profile_count: i18n.number(overview.profile_count),
            }
        })
        .collect();
    render(&ListPage { page: page.with_notice(notice), companies })
}

/// A profile as the company page lists it.
struct ProfileCard {
    id: i64,
    title: String,
    account_model: String,
    location: String,
}

#[derive(Template)]
#[template(path = "companies/show.html")]
struct ShowPage {
    page: Page,
    company: Company,
    employees: String,
    size_band: String,
    account_managers: String,
    updated: String,
    profiles: Vec<ProfileCard>,
    /// The kinds of letters and whose template each is written from: for those who may change
    /// them.
    letter_templates: Vec<TemplateLine>,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    let (company, profiles) = companies::with_profiles(&state, &user, id).await?;
    let i18n = page.i18n.in_zone(company.details.time_zone);
    let profiles = profiles
        .into_iter()
        .map(|p| ProfileCard {
            id: p.id,
            title: p.details.title.clone(),
            account_model: i18n.t(&p.account_model().label_key()),
            location: p.details.location.clone(),
        })
        .collect();
    let d = &company.details;
    let band = d.size_band();
    render(&ShowPage {
        employees: i18n.number(d.employees.into()),
        size_band: format!("{} ({})", i18n.t(&band.label_key()), i18n.t(&format!("{}-range", band.label_key()))),
        account_managers: i18n.number(d.account_managers.into()),
        updated: i18n.timestamp(&company.updated_at),
        letter_templates: if user.role.grants(Permission::ManageProfiles) {
            template_lines(&state, &user, id, i18n).await?
        } else {
            Vec::new()
        },
        page: page.with_notice(notice),
        profiles,
        company,
    })
}

fn company_fieldsets(input: &CompanyInput, errors: &FieldErrors, i18n: I18n) -> Vec<Fieldset> {
    let b = FieldBuilder { i18n, errors };
    let text = |value: &Option<String>| Control::Text { value: shown(value), max: NAME_MAX };
    let count = |value: &Option<String>| Control::Number { value: shown(value), min: 1, max: EMPLOYEES_MAX };
    let description = |value: &Option<String>| Control::TextArea { value: shown(value), max: DESCRIPTION_MAX };
    vec![Fieldset {
        legend: i18n.t("company-legend"),
        fields: vec![
            b.field("name", true, text(&input.name)),
            b.field("industry", true, text(&input.industry)),
            b.field("employees", true, count(&input.employees)),
            b.field("account_managers", true, count(&input.account_managers)),
            b.field("location", true, text(&input.location)),
            b.field("description_da", false, description(&input.description_da)),
            b.field("description_en", false, description(&input.description_en)),
            b.field("privacy_url", false, Control::Text { value: shown(&input.privacy_url), max: 500 }),
            b.field("time_zone", true, time_zones(input.time_zone.as_deref())),
        ],
    }]
}

/// The areas of the IANA time zones named after a place (the rest are old aliases).
const TIME_ZONE_AREAS: [&str; 10] =
    ["Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"];

/// Every time zone named after a place, to choose from, `chosen` (else Copenhagen) selected.
fn time_zones(chosen: Option<&str>) -> Control {
    let chosen = chosen.unwrap_or(DEFAULT_TIME_ZONE.name());
    let in_area = |name: &&str| name.split_once('/').is_some_and(|(area, _)| TIME_ZONE_AREAS.contains(&area));
    // The zone a company has is offered whatever its name (the API takes any IANA name).
    let named = chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name()).filter(|name| in_area(name) || *name == chosen);
    let options = named
        .map(|name| Choice { value: name.to_owned(), label: name.replace('_', " "), selected: name == chosen })
        .collect();
    Control::Select { options }
}

fn new_company_form(page: Page, input: &CompanyInput, errors: &FieldErrors) -> FormPage {
    let i18n = page.i18n;
    FormPage::new(
        page,
        i18n.t("companies-new"),
        "/companies".into(),
        "/companies".into(),
        company_fieldsets(input, errors, i18n),
    )
}

fn edit_company_form(page: Page, id: i64, version: i64, input: &CompanyInput, errors: &FieldErrors) -> FormPage {
    let i18n = page.i18n;
    let name = input.name.clone().unwrap_or_default();
    let mut form = FormPage::new(
        page,
        i18n.t1("company-edit-heading", "name", &name),
        format!("/companies/{id}"),
        format!("/companies/{id}"),
        company_fieldsets(input, errors, i18n),
    );
    form.version = Some(version);
    form
}

async fn new_form(page: Page) -> AppResult<Html<String>> {
    render(&new_company_form(page, &CompanyInput::default(), &FieldErrors::default()))
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    HtmlForm(input): HtmlForm<CompanyInput>,
) -> AppResult<Response> {
    match companies::create(&state, &input).await {
        Ok(company) => Ok(see_other(format!("/companies/{}?{}", company.id, Notice::Created.query()))),
        Err(AppError::Invalid(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &new_company_form(page, &input, &errors))
        }
        Err(other) => Err(other),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let company = companies::get(&state, &user, id).await?;
    let input = CompanyInput::from(&company.details);
    render(&edit_company_form(page, id, company.version, &input, &FieldErrors::default()))
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<CompanyInput>,
) -> AppResult<Response> {
    companies::get(&state, &user, id).await?;
    // A malformed version is no mistake a person made in the form: it gets no form back.
    let version = parse_version(&input.version).map_err(AppError::Invalid)?;
    match companies::update(&state, id, &input).await {
        Ok(_) => Ok(see_other(format!("/companies/{id}?{}", Notice::Updated.query()))),
        Err(AppError::Invalid(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &edit_company_form(page, id, version, &input, &errors))
        }
        Err(AppError::Conflict { .. }) => {
            let current = companies::get(&state, &user, id).await?;
            let theirs = CompanyInput::from(&current.details);
            edit_company_form(page, id, current.version, &theirs, &FieldErrors::default()).conflict(&input, &theirs)
        }
        Err(other) => Err(other),
    }
}

async fn confirm_delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let (company, profiles) = companies::with_profiles(&state, &user, id).await?;
    let profiles = profiles.len();
    let i18n = page.i18n;
    let name = &company.details.name;
    render(&ConfirmDeletePage {
        heading: i18n.t1("company-delete-heading", "name", name),
        question: i18n.t1("company-delete-question", "name", name),
        consequence: (profiles > 0)
            .then(|| i18n.t1("company-delete-consequence", "count", &i18n.number(profiles as i64))),
        action: format!("/companies/{id}/delete"),
        cancel_href: format!("/companies/{id}"),
        page,
    })
}

async fn delete(State(state): State<AppState>, ResourceId(id): ResourceId) -> AppResult<Response> {
    companies::delete(&state, id, None).await?;
    Ok(see_other(format!("/companies?{}", Notice::Deleted.query())))
}
