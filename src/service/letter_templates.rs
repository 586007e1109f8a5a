//! The templates a company's letters are written from: its own where it wrote one, else
//! amfit's; written in both languages at once, checked when saved, and previewed with the
//! company's newest application.

use crate::app::AppState;
use crate::domain::company::Company;
use crate::domain::letter::{
    BilingualTemplate, Field, FieldValues, LetterTemplate, TemplateInput, TemplateKind, WrittenLetter,
};
use crate::domain::profile::AdLanguage;
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::i18n::{I18n, Lang};
use crate::service::{candidates, companies, letters};
use crate::store::CompanyTemplate;

/// The template a letter of `kind` in `language` about company `company_id`'s job is written
/// from: the company's own, else amfit's.
pub async fn template_for(
    state: &AppState,
    company_id: i64,
    kind: TemplateKind,
    language: AdLanguage,
) -> AppResult<LetterTemplate> {
    let own = state.store.letter_template(company_id, kind).await?;
    let template = own.unwrap_or_else(|| BilingualTemplate::standard(kind));
    Ok(template.in_language(language).clone())
}

/// A kind of letter as the company's template page shows it.
pub struct TemplateOverview {
    pub kind: TemplateKind,
    pub template: BilingualTemplate,
    /// The company's own, with who changed it last and when; `None` while it uses amfit's.
    pub own: Option<CompanyTemplate>,
}

/// Every kind of template of company `company_id`, its own or amfit's; for a user who may
/// manage companies.
pub async fn of_company(state: &AppState, user: &User, company_id: i64) -> AppResult<Vec<TemplateOverview>> {
    managed_by(state, user, company_id).await?;
    let mut own = state.store.letter_templates(company_id).await?;
    Ok(<TemplateKind as strum::VariantArray>::VARIANTS
        .iter()
        .map(|&kind| {
            let own = own.iter().position(|t| t.kind == kind).map(|at| own.swap_remove(at));
            let template = own.as_ref().map_or_else(|| BilingualTemplate::standard(kind), |t| t.template.clone());
            TemplateOverview { kind, template, own }
        })
        .collect())
}

/// One kind of template of company `company_id`.
pub async fn one(state: &AppState, user: &User, company_id: i64, kind: TemplateKind) -> AppResult<TemplateOverview> {
    let all = of_company(state, user, company_id).await?;
    all.into_iter().find(|t| t.kind == kind).ok_or(AppError::NotFound)
}

/// Keeps `input` as company `company_id`'s own template of `kind`; [`AppError::Invalid`] names
/// every problem (a language left out, a field the kind's letters do not have).
pub async fn save(
    state: &AppState,
    user: &User,
    company_id: i64,
    kind: TemplateKind,
    input: &TemplateInput,
) -> AppResult<CompanyTemplate> {
    managed_by(state, user, company_id).await?;
    let template = input.parse(kind).map_err(AppError::Invalid)?;
    Ok(state.store.save_letter_template(company_id, kind, &template, user.id).await?)
}

/// Takes company `company_id` back to amfit's template of `kind`.
pub async fn reset(state: &AppState, user: &User, company_id: i64, kind: TemplateKind) -> AppResult<()> {
    managed_by(state, user, company_id).await?;
    state.store.reset_letter_template(company_id, kind).await?;
    Ok(())
}

/// A template as its letters would read, in both languages.
pub struct TemplatePreview {
    pub da: WrittenLetter,
    pub en: WrittenLetter,
    /// Whose application it was written with ("Sofie Madsen, Key Account Manager"); `None`
    /// when the company has none yet and example values stand in.
    pub written_with: Option<String>,
}

/// `input` written as a letter of `kind` would be, with the company's newest application (its
/// candidate, job, interview) and `user` as the sender; examples where there is no such value.
pub async fn preview(
    state: &AppState,
    user: &User,
    company_id: i64,
    kind: TemplateKind,
    input: &TemplateInput,
) -> AppResult<TemplatePreview> {
    let company = managed_by(state, user, company_id).await?;
    let template = input.parse(kind).map_err(AppError::Invalid)?;
    let newest = state.store.newest_application_of(company_id).await?;
    let application = match newest {
        Some(id) => Some(candidates::application_seen_by(state, user, id).await?),
        None => None,
    };
    let plan = match &application {
        Some(application) => candidates::plan_of(state, application).await?,
        None => Vec::new(),
    };
    let write = |language: AdLanguage| {
        let i18n = I18n::new(Lang::of_content(language));
        let example = |key: &str| i18n.t(&format!("letter-example-{key}"));
        let mut values = FieldValues::default()
            .with(Field::Company, &company.details.name)
            .with(Field::SenderName, &user.name)
            .with(Field::Note, example("note"))
            .with(
                Field::CandidateName,
                application.as_ref().map_or_else(|| example("candidate"), |a| a.candidate_name.clone()),
            )
            .with(Field::JobTitle, application.as_ref().map_or_else(|| example("job"), |a| a.profile_title.clone()))
            .with(Field::NextSteps, example("next-steps"))
            .with(Field::InterviewTime, example("time"))
            .with(Field::InterviewPlace, example("place"))
            .with(Field::Interviewers, example("interviewers"));
        if let Some(slot) = letters::next_interview(&plan, chrono::Utc::now().naive_utc()) {
            values = letters::interview_values(values, &slot, &plan, language);
        }
        template.in_language(language).write(language, &values)
    };
    Ok(TemplatePreview {
        da: write(AdLanguage::Da),
        en: write(AdLanguage::En),
        written_with: application.map(|a| format!("{}, {}", a.candidate_name, a.profile_title)),
    })
}

/// Company `company_id`, if `user` may change its templates.
async fn managed_by(state: &AppState, user: &User, company_id: i64) -> AppResult<Company> {
    if !user.role.grants(Permission::ManageProfiles) {
        return Err(AppError::Forbidden);
    }
    companies::get(state, user, company_id).await
}
