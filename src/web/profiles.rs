//! Role profile pages: list, view, create (under a company), edit, delete.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};

use super::form::{ConfirmDeletePage, Control, FieldBuilder, Fieldset, FormPage, shown};
use super::panels::{PanelSection, panel_section};
use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::candidate::AssignmentInput;
use crate::domain::company::{Company, NAME_MAX};
use crate::domain::conditions::{FIXED_TERM_MONTHS_MAX, HardRequirements, LanguageLevel, PHRASE_MAX, VariablePay};
use crate::domain::input::{FieldErrors, parse_version};
use crate::domain::profile::{
    ACCOUNTS_MAX, AdLanguage, ClientSize, Duty, Employment, GrowthFocus, Interviewing, MeetingCadence,
    PresentationFrequency, ProfileDetails, ProfileInput, RemoteOption, SALARY_MAX, SalaryPeriod,
};
use crate::domain::rubric::WeightInput;
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::HtmlForm;
use crate::http::ResourceId;
use crate::i18n::{I18n, Lang};
use crate::service::profiles::{self, ProfileCompetency, WeighedProfile, override_weight, reset_weight_override};
use crate::service::{companies, panels, rubric_edition};

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewProfiles);
    let manage = Access::Requires(Permission::ManageProfiles);
    Routes::default()
        .get("/profiles", view, list)
        .post("/companies/{id}/profiles", manage, create)
        .get("/companies/{id}/profiles/new", manage, new_form)
        .get("/profiles/{id}", view, show)
        .post("/profiles/{id}", manage, update)
        .get("/profiles/{id}/edit", manage, edit_form)
        .get("/profiles/{id}/delete", manage, confirm_delete)
        .post("/profiles/{id}/delete", manage, delete)
        .post("/profiles/{id}/weights/{competency}", manage, set_weight)
        .post("/profiles/{id}/weights/{competency}/reset", manage, reset_weight)
}

/// The active hiring managers, who may own a profile, as (id, name) options.
async fn hiring_managers(state: &AppState) -> AppResult<Vec<(String, String)>> {
    let owners = profiles::possible_owners(state).await?;
    Ok(owners.into_iter().map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.email))).collect())
}

struct ProfileLine {
    id: i64,
    title: String,
    company_id: i64,
    company_name: String,
    account_model: String,
    ad_language: String,
    deadline: String,
}

#[derive(Template)]
#[template(path = "profiles/list.html")]
struct ListPage {
    page: Page,
    profiles: Vec<ProfileLine>,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    let i18n = page.i18n;
    let profiles = profiles::list(&state, &user)
        .await?
        .into_iter()
        .map(|overview| {
            let p = &overview.profile;
            ProfileLine {
                id: p.id,
                title: p.details.title.clone(),
                company_id: p.company_id,
                company_name: overview.company_name,
                account_model: i18n.t(&p.account_model().label_key()),
                ad_language: i18n.t(&p.details.ad_language.label_key()),
                deadline: p.details.application_deadline.map(|d| i18n.date(&d)).unwrap_or_else(|| "—".into()),
            }
        })
        .collect();
    render(&ListPage { page: page.with_notice(notice), profiles })
}

/// One competency's weight, as the profile page lists it.
struct WeightLine {
    id: String,
    name: String,
    weight: i64,
    minimum: Option<i64>,
    must_have: Option<String>,
    reasons: Vec<String>,
    /// Who overrode the derived values, when, and what they were.
    overridden: Option<String>,
    /// Why the last change to this weight was refused.
    error: Option<String>,
}

fn weight_lines(
    state: &AppState,
    weighed: &WeighedProfile,
    refused: Option<(&str, &FieldErrors)>,
    i18n: I18n,
) -> Vec<WeightLine> {
    let language = i18n.lang.content();
    let none = i18n.t("weights-no-minimum");
    weighed
        .weights(&state.rubric)
        .into_iter()
        .map(|w| WeightLine {
            id: w.competency.id.clone(),
            name: w.competency.name.get(language).to_owned(),
            weight: w.weight,
            minimum: w.minimum,
            must_have: w.minimum.map(|min| i18n.t1("weights-must-have", "min", &min.to_string())),
            reasons: w
                .reasons
                .iter()
                .map(|adjustment| {
                    let reason = adjustment.rule.reason.get(language);
                    let shared = adjustment.shared_with.map_or_else(String::new, |group| {
                        format!(" ({})", i18n.t1("weights-shared", "group", group.reason.get(language)))
                    });
                    match (adjustment.change, adjustment.minimum) {
                        (0, Some(min)) => {
                            format!("{}: {reason}", i18n.t1("weights-minimum-raised", "min", &min.to_string()))
                        }
                        (change, _) => format!("{change:+}: {reason}{shared}"),
                    }
                })
                .collect(),
            overridden: w.overridden.map(|chosen| {
                let derived_minimum = w.derived.1.map_or_else(|| none.clone(), |m| m.to_string());
                format!(
                    "{} {} · {}",
                    i18n.t1("weights-overridden-by", "name", chosen.set_by.as_deref().unwrap_or("—")),
                    i18n.timestamp(&chosen.set_at),
                    i18n.t1("weights-derived-were", "values", &format!("{} / {derived_minimum}", w.derived.0)),
                )
            }),
            error: refused.filter(|(id, _)| *id == w.competency.id).and_then(|(_, errors)| {
                errors
                    .iter()
                    .next()
                    .map(|e| format!("{}: {}", i18n.t(&format!("field-{}", e.field)), i18n.problem(&e.problem)))
            }),
        })
        .collect()
}

/// A titled group of label–value pairs on the profile page.
struct FactSection {
    heading: String,
    facts: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "profiles/show.html")]
pub struct ShowPage {
    page: Page,
    id: i64,
    company_id: i64,
    company_name: String,
    profile: ProfileDetails,
    account_model: String,
    account_model_explanation: String,
    sections: Vec<FactSection>,
    duties: Vec<String>,
    weights: Vec<WeightLine>,
    /// "Rubric version 2, in use since 3 December 2026".
    rubric_edition: String,
    /// The content hash that tells rubric versions apart: only a tooltip.
    rubric_hash: String,
    /// Each application to this profile, newest first.
    applications: Vec<ApplicantLine>,
    /// The interviewers every new application gets.
    panel: PanelSection,
    updated: String,
}

/// An application as the profile page lists it.
struct ApplicantLine {
    candidate_id: i64,
    name: String,
    stage: String,
    applied_on: String,
    source: String,
    /// Not yet opened by a recruiter.
    is_new: bool,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&profile_page(&state, &user, page.with_notice(notice), id, None).await?)
}

/// A refused form of the profile page, shown again with its errors beside its fields.
enum Refused<'a> {
    /// A weight change of the competency.
    Weight(&'a str, &'a FieldErrors),
    /// An interviewer for the default panel.
    Panel(&'a AssignmentInput, &'a FieldErrors),
}

/// The profile page with the default panel's form refused, as typed.
pub async fn page_with_refused_panel(
    state: &AppState,
    user: &User,
    page: Page,
    id: i64,
    (input, errors): (&AssignmentInput, &FieldErrors),
) -> AppResult<ShowPage> {
    profile_page(state, user, page, id, Some(Refused::Panel(input, errors))).await
}

async fn profile_page(
    state: &AppState,
    user: &User,
    page: Page,
    id: i64,
    refused: Option<Refused<'_>>,
) -> AppResult<ShowPage> {
    let weighed = profiles::weighed(state, user, id).await?;
    let owner = profiles::owner_name(state, &weighed.profile).await?;
    let i18n = page.i18n.in_zone(weighed.company.details.time_zone);
    let (refused_weight, refused_panel) = match refused {
        Some(Refused::Weight(competency, errors)) => (Some((competency, errors)), None),
        Some(Refused::Panel(input, errors)) => (None, Some((input, errors))),
        None => (None, None),
    };
    let weights = weight_lines(state, &weighed, refused_weight, i18n);
    let members = panels::panel(state, user, id).await?;
    let edition = rubric_edition(state).await?;
    let panel = panel_section(state, members, refused_panel, i18n).await?;
    let WeighedProfile { profile, company, .. } = weighed;
    let model = profile.account_model();
    let applications = if page.may_view_candidates() {
        let applications = profiles::applications(state, &profile).await?;
        applications
            .into_iter()
            .map(|a| ApplicantLine {
                candidate_id: a.application.candidate_id,
                stage: i18n.t(&a.application.stage.label_key()),
                applied_on: i18n.date(&a.application.applied_on),
                is_new: a.application.seen_at.is_none(),
                source: a.application.source.unwrap_or_default(),
                name: a.candidate_name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ShowPage {
        applications,
        panel,
        id,
        company_id: company.id,
        company_name: company.details.name,
        account_model: i18n.t(&model.label_key()),
        account_model_explanation: i18n.t(&format!("{}-explanation", model.label_key())),
        sections: fact_sections(&profile.details, owner, i18n),
        duties: profile.details.duties.iter().map(|d| i18n.t(&d.label_key())).collect(),
        weights,
        rubric_edition: i18n
            .tn("weights-version", &[("number", &edition.number.to_string()), ("date", &i18n.date(&edition.since))]),
        rubric_hash: state.rubric.version.clone(),
        updated: i18n.timestamp(&profile.updated_at),
        page,
        profile: profile.details,
    })
}

async fn set_weight(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    target: ProfileCompetency,
    HtmlForm(input): HtmlForm<WeightInput>,
) -> AppResult<Response> {
    let (weight, minimum) = match input.parse() {
        Ok(values) => values,
        Err(errors) => {
            let refused = Some(Refused::Weight(target.competency.as_str(), &errors));
            let page = profile_page(&state, &user, page, target.profile_id, refused).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    override_weight(&state, &user, &target, (weight, minimum)).await?;
    Ok(see_other(format!("/profiles/{}?{}#weights-heading", target.profile_id, Notice::Updated.query())))
}

async fn reset_weight(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    target: ProfileCompetency,
) -> AppResult<Response> {
    reset_weight_override(&state, &user, &target).await?;
    Ok(see_other(format!("/profiles/{}?{}#weights-heading", target.profile_id, Notice::Updated.query())))
}

fn fact_sections(d: &ProfileDetails, owner: Option<String>, i18n: I18n) -> Vec<FactSection> {
    let label = |name: &str| i18n.t(&format!("field-{name}"));
    let choice = |value: &dyn Labelled| i18n.t(&value.label_key());
    let count = |n: u32| i18n.number(n.into());
    let mix = &d.client_mix;
    let optional = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    let listed = |list: &[String]| optional((!list.is_empty()).then(|| list.join(", ")));
    vec![
        FactSection {
            heading: i18n.t("profile-legend-role"),
            facts: vec![
                (label("ad_language"), choice(&d.ad_language)),
                (label("location"), d.location.clone()),
                (label("remote_option"), choice(&d.remote_option)),
                (label("hiring_manager_id"), optional(owner)),
            ],
        },
        FactSection {
            heading: i18n.t("profile-legend-clients"),
            facts: vec![
                (label("accounts_per_manager"), count(mix.accounts_per_manager)),
                (label("key_accounts_per_manager"), count(mix.key_accounts_per_manager)),
                (label("typical_client_size"), choice(&mix.typical_client_size)),
                (label("client_industries_da"), listed(&mix.client_industries_da)),
                (label("client_industries_en"), listed(&mix.client_industries_en)),
                (label("growth_focus"), choice(&mix.growth_focus)),
                (label("meeting_cadence"), choice(&mix.meeting_cadence)),
                (label("presentation_frequency"), choice(&mix.presentation_frequency)),
                (label("travel_share"), format!("{} %", mix.travel_share)),
            ],
        },
        FactSection {
            heading: i18n.t("profile-legend-terms"),
            facts: vec![
                (label("weekly_hours"), i18n.t1("profile-hours-per-week", "hours", &d.weekly_hours.to_string())),
                (label("employment"), choice(&d.employment)),
                (
                    i18n.t("profile-salary"),
                    optional(d.salary.as_ref().map(|s| {
                        format!(
                            "{}–{} {} {}",
                            count(s.min),
                            count(s.max),
                            s.currency,
                            i18n.t(&format!("profile-per-{}", s.period.as_str()))
                        )
                    })),
                ),
                (
                    label("start_date"),
                    d.start_date.map(|date| i18n.date(&date)).unwrap_or_else(|| i18n.t("profile-start-asap")),
                ),
                (label("application_deadline"), optional(d.application_deadline.map(|date| i18n.date(&date)))),
                (label("contact_name"), optional(d.contact.name.clone())),
                (label("contact_email"), optional(d.contact.email.clone())),
                (label("contact_phone"), optional(d.contact.phone.clone())),
                (label("apply_url"), optional(d.apply_url.clone())),
                (label("interviewing"), choice(&d.interviewing)),
                (label("interview_week"), optional(d.terms.interview_week.map(|week| week.to_string()))),
                (label("fixed_term_months"), optional(d.terms.fixed_term_months.map(|months| months.to_string()))),
                (label("title_da"), optional(d.terms.title_da.clone())),
                (label("title_en"), optional(d.terms.title_en.clone())),
                (label("pension_percent"), optional(d.terms.pension_percent.map(|p| format!("{p} %")))),
                (label("variable_pay"), optional(d.terms.variable_pay.map(|pay| choice(&pay)))),
                (label("reports_to_da"), optional(d.terms.reports_to_da.clone())),
                (label("reports_to_en"), optional(d.terms.reports_to_en.clone())),
                (label("invite_all"), yes_or_no(d.terms.invite_all, i18n)),
            ],
        },
        requirement_facts(&d.requirements, i18n),
    ]
}

fn requirement_facts(r: &HardRequirements, i18n: I18n) -> FactSection {
    let label = |name: &str| i18n.t(&format!("field-{name}"));
    let optional = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    let languages: Vec<String> = r
        .languages
        .required()
        .into_iter()
        .map(|(language, level)| format!("{}: {}", i18n.t(&language.label_key()), i18n.t(&level.label_key())))
        .collect();
    FactSection {
        heading: i18n.t("profile-legend-requirements"),
        facts: vec![
            (
                label("experience_years"),
                optional(r.experience_years.map(|n| i18n.t1("profile-years", "years", &n.to_string()))),
            ),
            (label("education_da"), optional(r.education_da.clone())),
            (label("education_en"), optional(r.education_en.clone())),
            (i18n.t("profile-languages"), optional((!languages.is_empty()).then(|| languages.join(", ")))),
            (label("driving_licence"), yes_or_no(r.driving_licence, i18n)),
        ],
    }
}

fn yes_or_no(value: bool, i18n: I18n) -> String {
    i18n.t(if value { "answer-yes" } else { "answer-no" })
}

fn profile_fieldsets(
    input: &ProfileInput,
    errors: &FieldErrors,
    i18n: I18n,
    managers: Vec<(String, String)>,
) -> Vec<Fieldset> {
    let b = FieldBuilder { i18n, errors };
    let text = |value: &Option<String>, max| Control::Text { value: shown(value), max };
    let number = |value: &Option<String>, min, max| Control::Number { value: shown(value), min, max };
    let date = |value: &Option<String>| Control::Date { value: shown(value) };
    let industries = |list: &[String]| Control::Text { value: list.join(", "), max: 2_000 };
    let c = &input.conditions;
    vec![
        Fieldset {
            legend: i18n.t("profile-legend-role"),
            fields: vec![
                b.field("title", true, text(&input.title, NAME_MAX)),
                b.field("title_da", false, text(&c.title_da, PHRASE_MAX)),
                b.field("title_en", false, text(&c.title_en, PHRASE_MAX)),
                b.select::<AdLanguage>("ad_language", true, &input.ad_language),
                b.field("location", true, text(&input.location, NAME_MAX)),
                b.select::<RemoteOption>("remote_option", true, &input.remote_option),
                b.select_among("hiring_manager_id", false, managers, &input.hiring_manager_id),
            ],
        },
        Fieldset {
            legend: i18n.t("profile-legend-clients"),
            fields: vec![
                b.field("accounts_per_manager", true, number(&input.accounts_per_manager, 1, ACCOUNTS_MAX)),
                b.field("key_accounts_per_manager", true, number(&input.key_accounts_per_manager, 0, ACCOUNTS_MAX)),
                b.select::<ClientSize>("typical_client_size", true, &input.typical_client_size),
                b.field("client_industries_da", false, industries(&input.client_industries_da)),
                b.field("client_industries_en", false, industries(&input.client_industries_en)),
                b.select::<GrowthFocus>("growth_focus", true, &input.growth_focus),
                b.select::<MeetingCadence>("meeting_cadence", true, &input.meeting_cadence),
                b.select::<PresentationFrequency>("presentation_frequency", true, &input.presentation_frequency),
                b.field("travel_share", true, number(&input.travel_share, 0, 100)),
            ],
        },
        Fieldset {
            legend: i18n.t("profile-legend-duties"),
            fields: vec![b.checkboxes::<Duty>("duties", &input.duties)],
        },
        Fieldset {
            legend: i18n.t("profile-legend-terms"),
            fields: vec![
                b.field("weekly_hours", true, number(&input.weekly_hours, 1, 60)),
                b.select::<Employment>("employment", false, &input.employment),
                b.field("fixed_term_months", false, number(&c.fixed_term_months, 1, FIXED_TERM_MONTHS_MAX)),
                b.field("salary_min", false, number(&input.salary_min, 1, SALARY_MAX)),
                b.field("salary_max", false, number(&input.salary_max, 1, SALARY_MAX)),
                b.field("salary_currency", false, text(&input.salary_currency, 3)),
                b.select::<SalaryPeriod>("salary_period", false, &input.salary_period),
                b.field("start_date", false, date(&input.start_date)),
                b.field("application_deadline", false, date(&input.application_deadline)),
                b.field("contact_name", false, text(&input.contact_name, 200)),
                b.field("contact_email", false, Control::Email { value: shown(&input.contact_email) }),
                b.field("contact_phone", false, Control::Tel { value: shown(&input.contact_phone) }),
                b.field("apply_url", false, text(&input.apply_url, 500)),
                b.select::<Interviewing>("interviewing", false, &input.interviewing),
                b.field("interview_week", false, Control::Week { value: shown(&c.interview_week) }),
                b.field("pension_percent", false, number(&c.pension_percent, 1, 30)),
                b.select::<VariablePay>("variable_pay", false, &c.variable_pay),
                b.field("reports_to_da", false, text(&c.reports_to_da, PHRASE_MAX)),
                b.field("reports_to_en", false, text(&c.reports_to_en, PHRASE_MAX)),
                b.checkbox("invite_all", &c.invite_all),
            ],
        },
        Fieldset {
            legend: i18n.t("profile-legend-requirements"),
            fields: vec![
                b.field("experience_years", false, number(&c.experience_years, 1, 15)),
                b.field("education_da", false, text(&c.education_da, PHRASE_MAX)),
                b.field("education_en", false, text(&c.education_en, PHRASE_MAX)),
                b.select::<LanguageLevel>("language_da", false, &c.language_da),
                b.select::<LanguageLevel>("language_en", false, &c.language_en),
                b.select::<LanguageLevel>("language_de", false, &c.language_de),
                b.select::<LanguageLevel>("language_sv", false, &c.language_sv),
                b.select::<LanguageLevel>("language_no", false, &c.language_no),
                b.select::<LanguageLevel>("language_fr", false, &c.language_fr),
                b.checkbox("driving_licence", &c.driving_licence),
            ],
        },
    ]
}

/// What a new profile's form starts with: the usual Danish full-time week and currency.
fn new_profile_input(lang: Lang) -> ProfileInput {
    let text = |s: &str| Some(s.to_owned());
    ProfileInput {
        ad_language: text(match lang {
            Lang::Da => AdLanguage::Da.as_str(),
            Lang::En => AdLanguage::En.as_str(),
        }),
        key_accounts_per_manager: text("0"),
        travel_share: text("0"),
        weekly_hours: text("37"),
        salary_currency: text("DKK"),
        salary_period: text(SalaryPeriod::Month.as_str()),
        ..ProfileInput::default()
    }
}

async fn new_profile_form(
    state: &AppState,
    page: Page,
    company: &Company,
    input: &ProfileInput,
    errors: &FieldErrors,
) -> AppResult<FormPage> {
    let i18n = page.i18n;
    Ok(FormPage::new(
        page,
        i18n.t1("profiles-new-for", "company", &company.details.name),
        format!("/companies/{}/profiles", company.id),
        format!("/companies/{}", company.id),
        profile_fieldsets(input, errors, i18n, hiring_managers(state).await?),
    ))
}

async fn edit_profile_form(
    state: &AppState,
    page: Page,
    id: i64,
    version: i64,
    input: &ProfileInput,
    errors: &FieldErrors,
) -> AppResult<FormPage> {
    let i18n = page.i18n;
    let title = input.title.clone().unwrap_or_default();
    let mut form = FormPage::new(
        page,
        i18n.t1("profile-edit-heading", "title", &title),
        format!("/profiles/{id}"),
        format!("/profiles/{id}"),
        profile_fieldsets(input, errors, i18n, hiring_managers(state).await?),
    );
    form.version = Some(version);
    Ok(form)
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(company_id): ResourceId,
) -> AppResult<Html<String>> {
    let company = companies::get(&state, &user, company_id).await?;
    let input = new_profile_input(page.i18n.lang);
    render(&new_profile_form(&state, page, &company, &input, &FieldErrors::default()).await?)
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(company_id): ResourceId,
    HtmlForm(input): HtmlForm<ProfileInput>,
) -> AppResult<Response> {
    match profiles::create(&state, company_id, &input).await {
        Ok(profile) => Ok(see_other(format!("/profiles/{}?{}", profile.id, Notice::Created.query()))),
        Err(AppError::Invalid(errors)) => {
            let company = companies::get(&state, &user, company_id).await?;
            let form = new_profile_form(&state, page, &company, &input, &errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
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
    let profile = profiles::get(&state, &user, id).await?;
    let input = ProfileInput::from(&profile.details);
    render(&edit_profile_form(&state, page, id, profile.version, &input, &FieldErrors::default()).await?)
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(input): HtmlForm<ProfileInput>,
) -> AppResult<Response> {
    // A malformed version is no mistake a person made in the form: it gets no form back.
    let version = parse_version(&input.version).map_err(AppError::Invalid)?;
    match profiles::update(&state, id, &input).await {
        Ok(_) => Ok(see_other(format!("/profiles/{id}?{}", Notice::Updated.query()))),
        Err(AppError::Invalid(errors)) => {
            let form = edit_profile_form(&state, page, id, version, &input, &errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
        Err(AppError::Conflict { .. }) => {
            let current = profiles::get(&state, &user, id).await?;
            let theirs = ProfileInput::from(&current.details);
            edit_profile_form(&state, page, id, current.version, &theirs, &FieldErrors::default())
                .await?
                .conflict(&input, &theirs)
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
    let profile = profiles::get(&state, &user, id).await?;
    let i18n = page.i18n;
    let title = &profile.details.title;
    render(&ConfirmDeletePage {
        heading: i18n.t1("profile-delete-heading", "title", title),
        question: i18n.t1("profile-delete-question", "title", title),
        consequence: None,
        action: format!("/profiles/{id}/delete"),
        cancel_href: format!("/profiles/{id}"),
        page,
    })
}

async fn delete(State(state): State<AppState>, ResourceId(id): ResourceId) -> AppResult<Response> {
    let profile = profiles::delete(&state, id, None).await?;
    Ok(see_other(format!("/companies/{}?{}", profile.company_id, Notice::Deleted.query())))
}
