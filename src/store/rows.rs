//! Database rows and their translation to domain types; both backends share them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use sqlx::FromRow;
use sqlx::types::Json;

use super::{ApplicationOverview, ListedCandidate, RetentionCandidate, StoreError};
use crate::domain::ad::AdVersion;
use crate::domain::audit::AuditEntry;
use crate::domain::candidate::{Application, Assignment, Candidate, CandidateDetails, StageChange};
use crate::domain::company::{Company, CompanyDetails};
use crate::domain::conditions::{HardRequirements, JobTerms};
use crate::domain::decision::Decision;
use crate::domain::interview::{DURATION_DEFAULT_MINUTES, InterviewSlot, PanelMember};
use crate::domain::profile::{ClientMix, ContactPerson, ProfileDetails, RoleProfile, SalaryBand};
use crate::domain::retention::{ApplicationState, RetentionRecord, TalentPoolConsent};
use crate::domain::rubric::WeightOverride;
use crate::domain::scorecard::{CompetencyRating, Scorecard};
use crate::domain::user::User;

#[derive(FromRow)]
pub struct CompanyRow {
    id: i64,
    version: i64,
    name: String,
    industry: String,
    employees: i32,
    account_managers: i32,
    description_da: Option<String>,
    description_en: Option<String>,
    location: String,
    privacy_url: Option<String>,
    time_zone: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(FromRow)]
pub struct CompanyOverviewRow {
    #[sqlx(flatten)]
    pub company: CompanyRow,
    pub profile_count: i64,
}

#[derive(FromRow)]
pub struct ProfileRow {
    id: i64,
    company_id: i64,
    version: i64,
    title: String,
    ad_language: String,
    accounts_per_manager: i32,
    key_accounts_per_manager: i32,
    typical_client_size: String,
    client_industries: Json<IndustriesByLanguage>,
    growth_focus: String,
    meeting_cadence: String,
    presentation_frequency: String,
    travel_share: i32,
    duties: Json<Vec<String>>,
    location: String,
    remote_option: String,
    weekly_hours: i32,
    salary_min: Option<i32>,
    salary_max: Option<i32>,
    salary_currency: Option<String>,
    salary_period: Option<String>,
    start_date: Option<NaiveDate>,
    application_deadline: Option<NaiveDate>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    hiring_manager_id: Option<i64>,
    employment: String,
    interviewing: String,
    apply_url: Option<String>,
    hard_requirements: Json<HardRequirements>,
    job_terms: Json<JobTerms>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(FromRow)]
pub struct ProfileOverviewRow {
    #[sqlx(flatten)]
    pub profile: ProfileRow,
    pub company_name: String,
}

fn number<T: TryFrom<i32>>(column: &str, value: i32) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::Corrupt(format!("{column} = {value}")))
}

pub(super) fn choice<T: std::str::FromStr>(column: &str, value: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| StoreError::Corrupt(format!("{column} = {value:?}")))
}

impl TryFrom<CompanyRow> for Company {
    type Error = StoreError;

    fn try_from(row: CompanyRow) -> Result<Self, StoreError> {
        Ok(Company {
            id: row.id,
            version: row.version,
            details: CompanyDetails {
                name: row.name,
                industry: row.industry,
                employees: number("employees", row.employees)?,
                account_managers: number("account_managers", row.account_managers)?,
                description_da: row.description_da,
                description_en: row.description_en,
                location: row.location,
                privacy_url: row.privacy_url,
                time_zone: choice("time_zone", &row.time_zone)?,
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl TryFrom<ProfileRow> for RoleProfile {
    type Error = StoreError;

    fn try_from(row: ProfileRow) -> Result<Self, StoreError> {
        let salary = match (row.salary_min, row.salary_max, row.salary_currency, row.salary_period) {
            (Some(min), Some(max), Some(currency), Some(period)) => Some(SalaryBand {
                min: number("salary_min", min)?,
                max: number("salary_max", max)?,
                currency,
                period: choice("salary_period", &period)?,
            }),
            _ => None,
        };
        let duties = row.duties.0.iter().map(|duty| choice("duties", duty)).collect::<Result<_, _>>()?;
        Ok(RoleProfile {
            id: row.id,
            company_id: row.company_id,
            version: row.version,
            details: ProfileDetails {
                title: row.title,
                ad_language: choice("ad_language", &row.ad_language)?,
                client_mix: ClientMix {
                    accounts_per_manager: number("accounts_per_manager", row.accounts_per_manager)?,
                    key_accounts_per_manager: number("key_accounts_per_manager", row.key_accounts_per_manager)?,
                    typical_client_size: choice("typical_client_size", &row.typical_client_size)?,
                    client_industries_da: row.client_industries.0.da,
                    client_industries_en: row.client_industries.0.en,
                    growth_focus: choice("growth_focus", &row.growth_focus)?,
                    meeting_cadence: choice("meeting_cadence", &row.meeting_cadence)?,
                    presentation_frequency: choice("presentation_frequency", &row.presentation_frequency)?,
                    travel_share: number("travel_share", row.travel_share)?,
                },
                duties,
                location: row.location,
                remote_option: choice("remote_option", &row.remote_option)?,
                weekly_hours: number("weekly_hours", row.weekly_hours)?,
                salary,
                start_date: row.start_date,
                application_deadline: row.application_deadline,
                contact: ContactPerson { name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
                hiring_manager_id: row.hiring_manager_id,
                employment: choice("employment", &row.employment)?,
                interviewing: choice("interviewing", &row.interviewing)?,
                apply_url: row.apply_url,
                requirements: row.hard_requirements.0,
                terms: row.job_terms.0,
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The values a profile binds, in the column order of `sql::PROFILE_COLUMNS`.
/// A profile's client industries as their column holds them: a list per language.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct IndustriesByLanguage {
    pub da: Vec<String>,
    pub en: Vec<String>,
}

pub struct ProfileBinds<'a> {
    pub duties: Json<Vec<&'static str>>,
    pub industries: Json<IndustriesByLanguage>,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<&'static str>,
    pub requirements: Json<&'a HardRequirements>,
    pub terms: Json<&'a JobTerms>,
}

impl<'a> ProfileBinds<'a> {
    pub fn of(details: &'a ProfileDetails) -> Self {
        let salary = details.salary.as_ref();
        Self {
            duties: Json(details.duties.iter().map(|d| d.as_str()).collect()),
            industries: Json(IndustriesByLanguage {
                da: details.client_mix.client_industries_da.clone(),
                en: details.client_mix.client_industries_en.clone(),
            }),
            salary_min: salary.map(|s| column(s.min)),
            salary_max: salary.map(|s| column(s.max)),
            salary_currency: salary.map(|s| s.currency.clone()),
            salary_period: salary.map(|s| s.period.as_str()),
            requirements: Json(&details.requirements),
            terms: Json(&details.terms),
        }
    }
}

/// A domain count as the database's 32-bit integer; the domain bounds every count far
/// below `i32::MAX`, and a value past it would be refused by the table's checks.
pub fn column(value: impl Into<u32>) -> i32 {
    i32::try_from(value.into()).unwrap_or(i32::MAX)
}

#[derive(FromRow)]
pub struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    active: bool,
    session_epoch: i64,
    created_at: DateTime<Utc>,
}

#[derive(FromRow)]
pub struct LoginRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub password_hash: String,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: row.id,
            email: row.email,
            name: row.name,
            role: choice("role", &row.role)?,
            active: row.active,
            session_epoch: row.session_epoch,
            created_at: row.created_at,
        })
    }
}

#[derive(FromRow)]
pub struct OverrideRow {
    competency_id: String,
    weight: i32,
    minimum: Option<i32>,
    set_by: Option<String>,
    set_at: DateTime<Utc>,
}

impl From<OverrideRow> for WeightOverride {
    fn from(row: OverrideRow) -> Self {
        WeightOverride {
            competency_id: row.competency_id,
            weight: row.weight.into(),
            minimum: row.minimum.map(Into::into),
            set_by: row.set_by,
            set_at: row.set_at,
        }
    }
}

#[derive(FromRow, Deserialize)]
pub struct CandidateRow {
    id: i64,
    version: i64,
    name: String,
    email: String,
    phone: Option<String>,
    source: Option<String>,
    notes: Option<String>,
    link: Option<String>,
    talent_pool_given_on: Option<NaiveDate>,
    talent_pool_until: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    erased_at: Option<DateTime<Utc>>,
    talent_pool_given_via: Option<String>,
    possible_duplicate_of: Option<i64>,
}

#[derive(FromRow, Deserialize)]
pub struct CandidateOverviewRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub candidate: CandidateRow,
    pub application_count: i64,
    pub new_applications: i64,
}

/// A line of the candidate list as a search reads it (a JSON tuple: the candidate's columns as
/// a tuple of their own, then these); its applications are read apart.
#[derive(Deserialize)]
pub struct ListedCandidateRow {
    pub candidate: CandidateRow,
    pub sort_name: String,
    pub last_activity_at: DateTime<Utc>,
}

impl From<ListedCandidateRow> for ListedCandidate {
    fn from(row: ListedCandidateRow) -> Self {
        ListedCandidate {
            candidate: row.candidate.into(),
            last_activity_at: row.last_activity_at,
            applications: vec![],
        }
    }
}

/// A 0-or-1 number as a flag: both backends' JSON hold a SQL `CASE` that way.
pub fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(i64::deserialize(deserializer)? != 0)
}

impl From<CandidateRow> for Candidate {
    fn from(row: CandidateRow) -> Self {
        Candidate {
            id: row.id,
            version: row.version,
            details: CandidateDetails {
                name: row.name,
                email: row.email,
                phone: row.phone,
                source: row.source,
                notes: row.notes,
                link: row.link,
                talent_pool: consent(row.talent_pool_given_on, row.talent_pool_until, row.talent_pool_given_via),
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
            erased_at: row.erased_at,
            possible_duplicate_of: row.possible_duplicate_of,
        }
    }
}

#[derive(FromRow, Deserialize)]
pub struct ApplicationRow {
    pub id: i64,
    candidate_id: i64,
    profile_id: i64,
    stage: String,
    applied_on: NaiveDate,
    source: Option<String>,
    message: Option<String>,
    seen_at: Option<DateTime<Utc>>,
    language: String,
    candidate_name: String,
    profile_title: String,
    company_id: i64,
    company_name: String,
    time_zone: String,
    hiring_manager_id: Option<i64>,
}

#[derive(FromRow, Deserialize)]
pub struct StageChangeRow {
    pub application_id: i64,
    stage: String,
    changed_by: Option<String>,
    changed_at: DateTime<Utc>,
}

impl ApplicationRow {
    /// The overview, with the stage changes that belong to it (in any order given).
    pub fn with_history(self, changes: &[StageChangeRow]) -> Result<ApplicationOverview, StoreError> {
        let mut history: Vec<StageChange> = changes
            .iter()
            .filter(|c| c.application_id == self.id)
            .map(|c| {
                Ok(StageChange {
                    stage: choice("stage", &c.stage)?,
                    changed_by: c.changed_by.clone(),
                    changed_at: c.changed_at,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        history.sort_by_key(|c| c.changed_at);
        Ok(ApplicationOverview {
            application: Application {
                id: self.id,
                candidate_id: self.candidate_id,
                profile_id: self.profile_id,
                stage: choice("stage", &self.stage)?,
                applied_on: self.applied_on,
                source: self.source,
                message: self.message,
                seen_at: self.seen_at,
                language: choice("language", &self.language)?,
                history,
            },
            candidate_name: self.candidate_name,
            profile_title: self.profile_title,
            company_id: self.company_id,
            company_name: self.company_name,
            time_zone: choice("time_zone", &self.time_zone)?,
            hiring_manager_id: self.hiring_manager_id,
        })
    }
}

#[derive(FromRow)]
pub struct AssignmentRow {
    id: i64,
    application_id: i64,
    interviewer_id: i64,
    interviewer_name: String,
    competencies: Json<Vec<String>>,
    assigned_at: DateTime<Utc>,
    starts_at: Option<NaiveDateTime>,
    duration_minutes: Option<i32>,
    place: Option<String>,
    video_link: Option<String>,
}

impl From<AssignmentRow> for Assignment {
    fn from(row: AssignmentRow) -> Self {
        let slot = row.starts_at.map(|starts_at| InterviewSlot {
            starts_at,
            duration_minutes: row
                .duration_minutes
                .and_then(|m| u16::try_from(m).ok())
                .unwrap_or(DURATION_DEFAULT_MINUTES),
            place: row.place,
            video_link: row.video_link,
        });
        Assignment {
            slot,
            id: row.id,
            application_id: row.application_id,
            interviewer_id: row.interviewer_id,
            interviewer_name: row.interviewer_name,
            competencies: row.competencies.0,
            assigned_at: row.assigned_at,
        }
    }
}

#[derive(FromRow)]
pub struct PanelMemberRow {
    profile_id: i64,
    interviewer_id: i64,
    interviewer_name: String,
    active: bool,
    competencies: Json<Vec<String>>,
}

impl From<PanelMemberRow> for PanelMember {
    fn from(row: PanelMemberRow) -> Self {
        PanelMember {
            profile_id: row.profile_id,
            interviewer_id: row.interviewer_id,
            interviewer_name: row.interviewer_name,
            active: row.active,
            competencies: row.competencies.0,
        }
    }
}

#[derive(FromRow, Deserialize)]
pub struct ScorecardRow {
    id: i64,
    assignment_id: i64,
    application_id: i64,
    interviewer_id: i64,
    interviewer_name: String,
    number: i32,
    ratings: Json<Vec<CompetencyRating>>,
    recommendation: Option<String>,
    rubric_version: String,
    submitted_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ScorecardRow> for Scorecard {
    type Error = StoreError;

    fn try_from(row: ScorecardRow) -> Result<Self, StoreError> {
        Ok(Scorecard {
            id: row.id,
            assignment_id: row.assignment_id,
            application_id: row.application_id,
            interviewer_id: row.interviewer_id,
            interviewer_name: row.interviewer_name,
            number: row.number.into(),
            ratings: row.ratings.0,
            recommendation: row.recommendation.map(|r| choice("recommendation", &r)).transpose()?,
            rubric_version: row.rubric_version,
            submitted_at: row.submitted_at,
            updated_at: row.updated_at,
            corrected_after_seeing_others: false,
        })
    }
}

#[derive(FromRow, Deserialize)]
pub struct DecisionRow {
    id: i64,
    application_id: i64,
    verdict: String,
    reason: String,
    stage: String,
    decided_by: Option<String>,
    decided_at: DateTime<Utc>,
}

impl TryFrom<DecisionRow> for Decision {
    type Error = StoreError;

    fn try_from(row: DecisionRow) -> Result<Self, StoreError> {
        Ok(Decision {
            id: row.id,
            application_id: row.application_id,
            verdict: choice("verdict", &row.verdict)?,
            reason: row.reason,
            stage: choice("stage", &row.stage)?,
            decided_by: row.decided_by,
            decided_at: row.decided_at,
        })
    }
}

#[derive(FromRow)]
pub struct AdVersionRow {
    profile_id: i64,
    number: i64,
    language: String,
    tone: String,
    body: String,
    saved_by: Option<String>,
    saved_at: DateTime<Utc>,
}

impl TryFrom<AdVersionRow> for AdVersion {
    type Error = StoreError;

    fn try_from(row: AdVersionRow) -> Result<Self, StoreError> {
        Ok(AdVersion {
            profile_id: row.profile_id,
            number: row.number,
            language: choice("language", &row.language)?,
            tone: choice("tone", &row.tone)?,
            text: row.body,
            saved_by: row.saved_by,
            saved_at: row.saved_at,
        })
    }
}

#[derive(FromRow)]
pub struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    subject: String,
    subject_id: i64,
    detail: String,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;

    fn try_from(row: AuditRow) -> Result<Self, StoreError> {
        Ok(AuditEntry {
            id: row.id,
            at: row.at,
            actor_id: row.actor_id,
            actor_name: row.actor_name,
            action: choice("action", &row.action)?,
            subject: choice("subject", &row.subject)?,
            subject_id: row.subject_id,
            detail: row.detail,
        })
    }
}

/// What retention reads of a candidate.
#[derive(FromRow)]
pub struct RetentionRow {
    pub id: i64,
    name: String,
    created_at: DateTime<Utc>,
    talent_pool_given_on: Option<NaiveDate>,
    talent_pool_until: Option<NaiveDate>,
    talent_pool_given_via: Option<String>,
}

/// An application's stage, when it was created and when its stage last changed.
#[derive(FromRow)]
pub struct ApplicationStateRow {
    pub candidate_id: i64,
    stage: String,
    created_at: DateTime<Utc>,
    changed_at: Option<DateTime<Utc>>,
}

impl RetentionRow {
    pub fn with_applications(self, applications: Vec<ApplicationStateRow>) -> Result<RetentionCandidate, StoreError> {
        let applications = applications
            .into_iter()
            .map(|a| {
                Ok(ApplicationState { stage: choice("stage", &a.stage)?, since: a.changed_at.unwrap_or(a.created_at) })
            })
            .collect::<Result<_, StoreError>>()?;
        let record = RetentionRecord {
            created_at: self.created_at,
            talent_pool: consent(self.talent_pool_given_on, self.talent_pool_until, self.talent_pool_given_via),
            applications,
        };
        Ok(RetentionCandidate { id: self.id, name: self.name, record })
    }
}

/// A consent's columns read back; how it was given is one of the values the column's `CHECK`
/// admits, or `NULL` for a consent recorded before amfit kept that.
fn consent(given_on: Option<NaiveDate>, until: Option<NaiveDate>, via: Option<String>) -> Option<TalentPoolConsent> {
    let given_via = via.and_then(|via| via.parse().ok());
    given_on.zip(until).map(|(given_on, until)| TalentPoolConsent { given_on, until, given_via })
}
