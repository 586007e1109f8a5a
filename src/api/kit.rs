//! A profile's interview kit as JSON: what the printable kit holds, for an interview of a
//! chosen length, in the profile's language.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemDocument;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::kit::{self, FRAME_MINUTES, KitPart, KitQuery, KitRequest};
use crate::domain::profile::AdLanguage;
use crate::domain::rubric::QuestionKind;
use crate::error::{AppError, AppResult};
use crate::http::{self, ResourceId};
use crate::i18n::Lang;
use crate::service::profiles;

/// An interview planned for its length.
#[derive(Serialize, ToSchema)]
pub struct KitResource {
    profile_id: i64,
    /// The language the kit is written in: `?language=`, else the request's `Accept-Language`.
    language: AdLanguage,
    minutes: u32,
    /// Minutes for the welcome, the candidate's own questions and the close.
    frame_minutes: u32,
    /// What the chosen questions take.
    question_minutes: u32,
    /// What is left free to follow up thin answers: at least 15 % of the time for questions,
    /// unless the must-haves alone take more.
    probe_minutes: u32,
    /// The must-haves alone take longer than the length: they are asked all the same.
    runs_over: bool,
    /// Must-haves first, then by weight.
    competencies: Vec<KitCompetencyResource>,
    /// The ids of the competencies that count but got no question in this length, those the
    /// ad names as the job's work first.
    left_out: Vec<String>,
    /// Those of `left_out` that the ad names as the job's work, with that work: what the ad
    /// promises and this length does not probe.
    left_out_named_in_ad: Vec<LeftOutOfAdResource>,
}

/// A competency the ad names as the job's work that the kit does not probe.
#[derive(Serialize, ToSchema)]
pub struct LeftOutOfAdResource {
    competency: String,
    /// The duties (as the profile names them) and `presenting` (to clients, often) it is
    /// weighed for.
    work: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct KitCompetencyResource {
    competency: String,
    name: String,
    weight: i64,
    /// Set for a must-have: the lowest acceptable mean rating.
    minimum: Option<i64>,
    /// What interviewers must leave out of the rating.
    do_not_score: String,
    questions: Vec<KitQuestionResource>,
    /// The behavioural anchors of scores 1 to 5.
    anchors: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct KitQuestionResource {
    kind: QuestionKind,
    text: String,
    strong_answer: String,
    minutes: u32,
}

/// Read a role profile's interview kit
#[utoipa::path(get, path = "/profiles/{id}/kit", operation_id = "readKit", tag = "profiles",
    params(("id" = i64, Path), KitQuery),
    responses(
        (status = 200, description = "The questions that fit the interview, must-haves always, with the scale and what was left out", body = KitResource),
        (status = 404, description = "No such profile", body = ProblemDocument),
        (status = 422, description = "A length other than 30, 45, 60 or 90 minutes, or a language other than en or da", body = ProblemDocument),
    ))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ResourceId(id): ResourceId,
    reader: Lang,
    query: Result<Query<KitQuery>, QueryRejection>,
) -> AppResult<Json<KitResource>> {
    let KitRequest { minutes, language } = http::query(query)?.parse().map_err(AppError::Invalid)?;
    let weighed = profiles::weighed(&state, &user, id).await?;
    let language = language.unwrap_or(reader.content());
    let weights = weighed.weights(&state.rubric);
    let planned = kit::plan(&weights, &weighed.company.details, &weighed.profile.details, minutes);
    Ok(Json(KitResource {
        profile_id: id,
        language,
        minutes,
        frame_minutes: FRAME_MINUTES,
        question_minutes: planned.question_minutes,
        probe_minutes: planned.probe_minutes(),
        runs_over: planned.runs_over(),
        competencies: planned.parts.iter().map(|part| competency_of(part, language)).collect(),
        left_out: planned.left_out.iter().map(|left| left.weight.competency.id.clone()).collect(),
        left_out_named_in_ad: planned
            .left_out
            .iter()
            .filter(|left| !left.named_in_ad.is_empty())
            .map(|left| LeftOutOfAdResource {
                competency: left.weight.competency.id.clone(),
                work: left.named_in_ad.iter().map(|work| work.as_str().to_owned()).collect(),
            })
            .collect(),
    }))
}

fn competency_of(part: &KitPart, language: AdLanguage) -> KitCompetencyResource {
    let competency = part.weight.competency;
    KitCompetencyResource {
        competency: competency.id.clone(),
        name: competency.name.get(language).to_owned(),
        weight: part.weight.weight,
        minimum: part.weight.minimum,
        do_not_score: competency.do_not_score.get(language).to_owned(),
        questions: part
            .questions
            .iter()
            .map(|q| KitQuestionResource {
                kind: q.kind,
                text: q.text(language).to_owned(),
                strong_answer: q.strong_answer.get(language).to_owned(),
                minutes: q.minutes,
            })
            .collect(),
        anchors: competency.anchors.iter().map(|a| a.get(language).to_owned()).collect(),
    }
}
