//! The printable interview kit of a profile: the questions that fit an interview of the chosen
//! length, the anchored scale and room for notes, in the reader's language (the page's, or
//! `?language=`), whatever the language of the ad. The print
//! stylesheet turns the page into a clean document (the browser's "save as PDF").

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Html;

use super::{Page, render};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::kit::{self, AdWork, FRAME_MINUTES, KIT_MINUTES, Kit, KitQuery, KitRequest, LeftOut};
use crate::domain::profile::AdLanguage;
use crate::domain::rubric::QuestionKind;
use crate::domain::user::Permission;
use crate::error::{AppError, AppResult};
use crate::http::{self, ResourceId};
use crate::i18n::{I18n, Lang};
use crate::service::profiles;

pub fn routes() -> Routes {
    Routes::default().get("/profiles/{id}/kit", Access::Requires(Permission::ViewProfiles), kit)
}

struct KitQuestion {
    kind: String,
    text: String,
    strong_answer: String,
    minutes: String,
}

struct KitCompetency {
    name: String,
    definition: String,
    weight: i64,
    must_have: Option<String>,
    do_not_score: String,
    questions: Vec<KitQuestion>,
    anchors: Vec<(u8, String)>,
}

#[derive(Template)]
#[template(path = "profiles/kit.html")]
struct KitPage {
    page: Page,
    /// The kit's language, for its own words.
    kit: I18n,
    profile_id: i64,
    title: String,
    company: String,
    /// (minutes, chosen) of each offered length.
    lengths: Vec<(u32, bool)>,
    /// How many questions, how long, and the frame around them.
    summary: String,
    runs_over: Option<String>,
    /// What the ad names as the job's work and this length does not probe.
    left_out_of_ad: Option<String>,
    left_out: Option<String>,
    competencies: Vec<KitCompetency>,
}

async fn kit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    query: Result<Query<KitQuery>, QueryRejection>,
) -> AppResult<Html<String>> {
    let KitRequest { minutes, language } = http::query(query)?.parse().map_err(AppError::Invalid)?;
    let weighed = profiles::weighed(&state, &user, id).await?;
    let language = language.unwrap_or(page.i18n.lang.content());
    let words = I18n::new(Lang::of_content(language));
    let weights = weighed.weights(&state.rubric);
    let planned = kit::plan(&weights, &weighed.company.details, &weighed.profile.details, minutes);
    let Account { summary, runs_over, left_out_of_ad, left_out } = account_of(&planned, words, language);
    let competencies = planned.parts.iter().map(|part| kit_competency(part, words, language)).collect();
    render(&KitPage {
        kit: words,
        profile_id: id,
        title: weighed.profile.details.title,
        company: weighed.company.details.name,
        lengths: KIT_MINUTES.iter().map(|&m| (m, m == minutes)).collect(),
        summary,
        runs_over,
        left_out_of_ad,
        left_out,
        competencies,
        page,
    })
}

/// What a kit asks in its time and what it leaves out, in words.
struct Account {
    summary: String,
    runs_over: Option<String>,
    left_out_of_ad: Option<String>,
    left_out: Option<String>,
}

/// What the kit asks in its time, whether the must-haves overrun it, and what it leaves out:
/// the work the ad names apart, with the work it is named for.
fn account_of(planned: &Kit, words: I18n, language: AdLanguage) -> Account {
    let minutes = planned.minutes.to_string();
    let summary = words.tn(
        "kit-plan-summary",
        &[
            ("questions", &planned.question_count().to_string()),
            ("minutes", &planned.question_minutes.to_string()),
            ("probe", &planned.probe_minutes().to_string()),
            ("frame", &FRAME_MINUTES.to_string()),
            ("length", &minutes),
        ],
    );
    let runs_over = planned.runs_over().then(|| words.t1("kit-runs-over", "length", &minutes));
    let (of_ad, others): (Vec<&LeftOut>, Vec<&LeftOut>) =
        planned.left_out.iter().partition(|left| !left.named_in_ad.is_empty());
    let name = |left: &LeftOut| left.weight.competency.name.get(language).to_owned();
    let named_for = |left: &&LeftOut| {
        let work: Vec<String> = left.named_in_ad.iter().map(|work| words.t(&work_key(*work))).collect();
        format!("{} ({})", name(left), work.join(", ").to_lowercase())
    };
    let sentence = |key: &str, names: Vec<String>| {
        (!names.is_empty()).then(|| words.tn(key, &[("length", &minutes), ("names", &names.join("; "))]))
    };
    Account {
        summary,
        runs_over,
        left_out_of_ad: sentence("kit-left-out-of-ad", of_ad.iter().map(named_for).collect()),
        left_out: sentence("kit-left-out", others.into_iter().map(name).collect()),
    }
}

/// The message id of the work the ad names.
fn work_key(work: AdWork) -> String {
    match work {
        AdWork::Duty(duty) => duty.label_key(),
        AdWork::Presenting => "kit-work-presenting".to_owned(),
    }
}

fn kit_competency(part: &kit::KitPart, words: I18n, language: AdLanguage) -> KitCompetency {
    let competency = part.weight.competency;
    KitCompetency {
        name: competency.name.get(language).to_owned(),
        definition: competency.definition.get(language).to_owned(),
        weight: part.weight.weight,
        must_have: part.weight.minimum.map(|m| words.t1("kit-must-have", "minimum", &m.to_string())),
        do_not_score: competency.do_not_score.get(language).to_owned(),
        questions: part
            .questions
            .iter()
            .map(|q| KitQuestion {
                kind: words.t(match q.kind {
                    QuestionKind::Behavioural => "guide-behavioural",
                    QuestionKind::Situational => "guide-situational",
                }),
                text: q.text(language).to_owned(),
                strong_answer: q.strong_answer.get(language).to_owned(),
                minutes: words.t1("kit-question-minutes", "minutes", &q.minutes.to_string()),
            })
            .collect(),
        anchors: (1u8..).zip(competency.anchors.iter().map(|a| a.get(language).to_owned())).collect(),
    }
}
