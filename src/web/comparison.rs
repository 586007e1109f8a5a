//! Comparing one profile's candidates: the side-by-side page, the head-to-head of a few, the
//! evidence behind every cell, and the CSV export. The JSON export shares the loading here.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::chart::BarChart;
use super::{Page, RenderedTables, RequestedNotice, render, render_with_status};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::compare::{LEADERS, Robustness, Standing};
use crate::domain::decision::Decision;
use crate::domain::input::Problem;
use crate::domain::scorecard::{Recommendation, RecommendationTally};
use crate::domain::scoring::{CompetencyScore, FitResult, Requirement};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::ResourceId;
use crate::http::download;
use crate::i18n::{I18n, Lang};
use crate::service::comparison::{ComparedCandidate, ProfileCandidates};
use crate::service::interviews;

/// The fewest and most candidates a head-to-head compares.
pub const HEAD_TO_HEAD: std::ops::RangeInclusive<usize> = 2..=5;

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewCandidates);
    Routes::default()
        .get("/profiles/{id}/comparison", view, comparison_page)
        .get("/profiles/{id}/comparison.csv", view, comparison_csv)
        .get("/profiles/{id}/head-to-head", view, head_to_head)
        .get("/applications/{id}/evidence/{competency}", Access::SignedIn, evidence)
}

/// A competency as a column heading: its name, weight and minimum.
struct ColumnHead {
    name: String,
    detail: String,
}

/// One candidate × competency cell.
struct Cell {
    /// The competency's name, which a phone shows beside the mean.
    label: String,
    mean: String,
    /// Shown as "3×, Δ1" under the mean; the legend above the table says what they are.
    raters: usize,
    spread: u8,
    knockout: bool,
    disagreement: bool,
    href: String,
}

/// One candidate's row.
struct Row {
    application_id: i64,
    candidate_id: i64,
    name: String,
    stage: String,
    fit: String,
    coverage: String,
    cells: Vec<Cell>,
    /// Why the candidate is set apart.
    reason: Option<String>,
    /// Which counted scorecards were corrected once their interviewers could read the others'.
    corrected_after_seeing_others: Option<String>,
    /// Who has still to submit a scorecard.
    awaiting: Option<String>,
    recommendations: String,
    decision: Option<String>,
}

#[derive(Template)]
#[template(path = "comparison/show.html")]
struct ComparisonPage {
    page: Page,
    profile_id: i64,
    title: String,
    /// The rendered [`ComparisonTable`], HTML-escaped already.
    table: Arc<String>,
    /// Why the head-to-head that was asked for was refused.
    refusal: Option<String>,
}

/// The candidates, the robustness verdict and the head-to-head form: the bulk of the page,
/// the same for everyone with the same [`Audience`], so it is kept rendered while the data
/// is unchanged.
#[derive(Template)]
#[template(path = "comparison/table.html")]
struct ComparisonTable {
    i18n: I18n,
    profile_id: i64,
    columns: Vec<ColumnHead>,
    contenders: Vec<Row>,
    set_apart: Vec<Row>,
    unscored: Vec<Row>,
    robustness: Vec<String>,
    stable: bool,
    may_decide: bool,
    may_manage_candidates: bool,
}

/// What the comparison table differs by: (profile id, language, may decide, may manage candidates).
pub type Audience = (i64, Lang, bool, bool);

fn columns(requirements: &[Requirement], state: &AppState, i18n: I18n) -> Vec<ColumnHead> {
    requirements
        .iter()
        .map(|r| ColumnHead { name: competency_name(state, &r.competency, i18n), detail: weight_detail(r, i18n) })
        .collect()
}

/// "weight 8, minimum 3" or "weight 5".
pub fn weight_detail(requirement: &Requirement, i18n: I18n) -> String {
    let weight = i18n.decimal(requirement.weight, 0);
    match requirement.minimum {
        Some(minimum) => {
            i18n.tn("compare-weight-minimum", &[("weight", &weight), ("minimum", &i18n.decimal(minimum, 0))])
        }
        None => i18n.t1("compare-weight", "weight", &weight),
    }
}

pub fn competency_name(state: &AppState, id: &str, i18n: I18n) -> String {
    state.rubric.competency_name(id, i18n.lang.content())
}

fn cell(state: &AppState, score: &CompetencyScore, application_id: i64, i18n: I18n) -> Cell {
    Cell {
        label: competency_name(state, score.competency, i18n),
        mean: score.mean.map_or_else(|| "–".to_owned(), |m| i18n.decimal(m, 1)),
        raters: score.ratings,
        spread: score.spread,
        knockout: score.knockout,
        disagreement: score.disagreement,
        href: format!("/applications/{application_id}/evidence/{}", score.competency),
    }
}

pub fn fit_text(result: &FitResult, i18n: I18n) -> String {
    result.fit.map_or_else(|| i18n.t("fit-unscored"), |fit| i18n.decimal(fit, 0))
}

fn recommendations_text(tally: &RecommendationTally, i18n: I18n) -> String {
    let parts: Vec<String> =
        [Recommendation::StrongYes, Recommendation::Yes, Recommendation::No, Recommendation::StrongNo]
            .into_iter()
            .filter(|&r| tally.count(r) > 0)
            .map(|r| format!("{} × {}", tally.count(r), i18n.t(&r.label_key())))
            .collect();
    if parts.is_empty() { "–".to_owned() } else { parts.join(", ") }
}

fn set_apart_reason(candidate: &ComparedCandidate, state: &AppState, i18n: I18n) -> Option<String> {
    match candidate.ranked.standing {
        Standing::Contender | Standing::Unscored => None,
        Standing::KnockedOut => {
            let names: Vec<String> =
                candidate.ranked.result.knockouts.iter().map(|id| competency_name(state, id, i18n)).collect();
            Some(i18n.t1("compare-reason-knockout", "names", &names.join(", ")))
        }
        Standing::LowCoverage => {
            Some(i18n.t1("compare-reason-coverage", "coverage", &i18n.decimal(candidate.ranked.result.coverage, 0)))
        }
    }
}

fn row(candidate: &ComparedCandidate, state: &AppState, i18n: I18n) -> Row {
    let application = &candidate.application.application;
    Row {
        application_id: application.id,
        candidate_id: application.candidate_id,
        name: i18n.personal(&candidate.application.candidate_name),
        stage: i18n.t(&application.stage.label_key()),
        fit: fit_text(&candidate.ranked.result, i18n),
        coverage: format!("{} %", i18n.decimal(candidate.ranked.result.coverage, 0)),
        cells: candidate.ranked.result.competencies.iter().map(|s| cell(state, s, application.id, i18n)).collect(),
        reason: set_apart_reason(candidate, state, i18n),
        corrected_after_seeing_others: (!candidate.corrected_after_seeing_others.is_empty()).then(|| {
            i18n.t1("compare-corrected-after-seeing", "names", &candidate.corrected_after_seeing_others.join(", "))
        }),
        awaiting: (!candidate.awaiting.is_empty())
            .then(|| i18n.t1("compare-awaiting", "names", &candidate.awaiting.join(", "))),
        recommendations: recommendations_text(&candidate.recommendations, i18n),
        decision: candidate.latest_decision.map(|d| decision_text(d, i18n)),
    }
}

pub fn decision_text(decision: &Decision, i18n: I18n) -> String {
    format!("{} ({})", i18n.t(&decision.verdict.label_key()), i18n.date(&decision.decided_at.date_naive()))
}

/// The robustness verdict in sentences, and whether it is "stable".
fn robustness_lines(
    data: &ProfileCandidates,
    verdict: &Robustness,
    contenders: usize,
    i18n: I18n,
    state: &AppState,
) -> (Vec<String>, bool) {
    let swaps = match verdict {
        Robustness::TooFew => return (vec![i18n.t("robustness-too-few")], false),
        Robustness::Stable => {
            let leaders = i18n.number(contenders.min(LEADERS) as i64);
            return (vec![i18n.t1("robustness-stable", "leaders", &leaders)], true);
        }
        Robustness::Fragile { swaps } => swaps,
    };
    let lines = swaps
        .iter()
        .map(|swap| {
            let ahead = i18n.personal(data.candidate_name(swap.ahead));
            let overtaker = i18n.personal(data.candidate_name(swap.overtaken_by));
            match swap.weight.zip(swap.factor) {
                Some((index, factor)) => {
                    let competency = competency_name(state, &data.requirements[index].competency, i18n);
                    let key = if factor > 1.0 { "robustness-swap-up" } else { "robustness-swap-down" };
                    i18n.tn(key, &[("competency", &competency), ("ahead", &ahead), ("overtaker", &overtaker)])
                }
                None => i18n.tn("robustness-swap-joint", &[("ahead", &ahead), ("overtaker", &overtaker)]),
            }
        })
        .collect();
    (lines, false)
}

async fn comparison_page(
    State(state): State<AppState>,
    Extension(tables): Extension<Arc<RenderedTables>>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    let data = ProfileCandidates::load(&state, &user, id).await?;
    render(&comparison_view(&state, &tables, &user, page.with_notice(notice), &data, None).await?)
}

/// The page; the table comes from memory while the data (at `revision`) is unchanged.
async fn comparison_view(
    state: &AppState,
    tables: &RenderedTables,
    user: &User,
    page: Page,
    data: &ProfileCandidates,
    refusal: Option<String>,
) -> AppResult<ComparisonPage> {
    let may_decide = user.decides_for(data.profile.details.hiring_manager_id);
    let may_manage = user.role.grants(Permission::ManageCandidates);
    let audience = (data.profile.id, page.i18n.lang, may_decide, may_manage);
    let render_table = async {
        let table = comparison_table(state, data, page.i18n, may_decide, may_manage);
        table.render().map_err(AppError::from)
    };
    let table = tables.comparisons.get_or_load(audience, data.revision, render_table).await?;
    Ok(ComparisonPage {
        profile_id: data.profile.id,
        title: format!("{} – {}", data.profile.details.title, data.company.details.name),
        table,
        refusal,
        page,
    })
}

fn comparison_table(
    state: &AppState,
    data: &ProfileCandidates,
    i18n: I18n,
    may_decide: bool,
    may_manage_candidates: bool,
) -> ComparisonTable {
    let ranked = data.ranked();
    let verdict = data.robustness(&ranked);
    let count = ranked.iter().filter(|c| c.ranked.standing == Standing::Contender).count();
    let (robustness, stable) = robustness_lines(data, &verdict, count, i18n, state);
    let rows_of = |wanted: &[Standing]| -> Vec<Row> {
        ranked.iter().filter(|c| wanted.contains(&c.ranked.standing)).map(|c| row(c, state, i18n)).collect()
    };
    ComparisonTable {
        i18n,
        profile_id: data.profile.id,
        columns: columns(&data.requirements, state, i18n),
        contenders: rows_of(&[Standing::Contender]),
        set_apart: rows_of(&[Standing::KnockedOut, Standing::LowCoverage]),
        unscored: rows_of(&[Standing::Unscored]),
        robustness,
        stable,
        may_decide,
        may_manage_candidates,
    }
}

/// The application ids a head-to-head asks for (`?application=1&application=2…`).
fn chosen_applications(query: Option<&str>) -> Result<Vec<i64>, ()> {
    let pairs: Vec<(String, String)> = serde_html_form::from_str(query.unwrap_or_default()).map_err(|_| ())?;
    let mut ids = Vec::new();
    for (key, value) in pairs {
        if key == "application" {
            let id: i64 = value.trim().parse().map_err(|_| ())?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

#[derive(Template)]
#[template(path = "comparison/head_to_head.html")]
struct HeadToHeadPage {
    page: Page,
    profile_id: i64,
    title: String,
    /// The chosen candidates, best first: (application id, candidate id, name, fit, coverage, recommendations, decision).
    candidates: Vec<Row>,
    /// Per competency: its heading and one cell per chosen candidate.
    lines: Vec<(ColumnHead, Vec<Cell>)>,
    chart: BarChart,
    may_decide: bool,
}

async fn head_to_head(
    State(state): State<AppState>,
    Extension(tables): Extension<Arc<RenderedTables>>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let data = ProfileCandidates::load(&state, &user, id).await?;
    let i18n = page.i18n;
    let chosen = match chosen_applications(query.as_deref()) {
        Ok(chosen) if HEAD_TO_HEAD.contains(&chosen.len()) => chosen,
        _ => {
            // The comparison again, saying how many to choose.
            let (min, max) = (*HEAD_TO_HEAD.start() as u64, *HEAD_TO_HEAD.end() as u64);
            let refusal = i18n.problem(&Problem::HeadToHeadSize { min, max });
            let view = comparison_view(&state, &tables, &user, page, &data, Some(refusal)).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view);
        }
    };
    if chosen.iter().any(|id| !data.applications.iter().any(|a| a.application.id == *id)) {
        return Err(AppError::NotFound);
    }
    let ranked: Vec<ComparedCandidate> =
        data.ranked().into_iter().filter(|c| chosen.contains(&c.application.application.id)).collect();
    let columns = columns(&data.requirements, &state, i18n);
    let lines = columns
        .into_iter()
        .enumerate()
        .map(|(index, head)| {
            let cells = ranked
                .iter()
                .map(|c| cell(&state, &c.ranked.result.competencies[index], c.application.application.id, i18n))
                .collect();
            (head, cells)
        })
        .collect();
    let chart = BarChart::new(&data.requirements, &ranked, &state, i18n);
    Ok(render(&HeadToHeadPage {
        profile_id: data.profile.id,
        title: format!("{} – {}", data.profile.details.title, data.company.details.name),
        candidates: ranked.iter().map(|c| row(c, &state, i18n)).collect(),
        lines,
        chart,
        may_decide: user.decides_for(data.profile.details.hiring_manager_id),
        page,
    })?
    .into_response())
}

/// The comparison as CSV, in the reader's language ([`download::comparison_csv`]).
async fn comparison_csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Response> {
    let data = ProfileCandidates::load(&state, &user, id).await?;
    download::comparison_csv(&state, &data, id, page.i18n)
}

/// One rating behind a cell.
struct EvidenceLine {
    interviewer: String,
    when: String,
    score: String,
    anchor: String,
    evidence: String,
    /// A correction made once this interviewer could read the others' scorecards.
    after_seeing_others: bool,
}

#[derive(Template)]
#[template(path = "comparison/evidence.html")]
struct EvidencePage {
    page: Page,
    candidate: String,
    candidate_id: i64,
    profile_id: i64,
    competency: String,
    lines: Vec<EvidenceLine>,
    /// Others' evidence is hidden until the viewer submits their own.
    hidden_until_submitted: bool,
    may_view_candidates: bool,
}

async fn evidence(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    Path((id, competency)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let rated = state.rubric.competency(&competency).ok_or(AppError::NotFound)?;
    let readable = interviews::readable_scorecards(&state, &user, id).await?;
    let application = readable.application;
    let i18n = page.i18n.in_zone(application.time_zone);
    let language = i18n.lang.content();
    let lines = readable
        .cards
        .iter()
        .filter_map(|card| card.ratings.iter().find(|r| r.competency == rated.id).map(|r| (card, r)))
        .map(|(card, rating)| EvidenceLine {
            interviewer: card.interviewer_name.clone(),
            when: card.submitted_at.map(|at| i18n.timestamp(&at)).unwrap_or_default(),
            score: rating.score.map_or_else(|| i18n.t("scorecard-not-assessed"), |s| s.to_string()),
            anchor: rating
                .score
                .and_then(|s| rated.anchors.get(usize::from(s) - 1))
                .map(|a| a.get(language).to_owned())
                .unwrap_or_default(),
            evidence: i18n.personal(&rating.evidence),
            after_seeing_others: card.corrected_after_seeing_others,
        })
        .collect();
    render(&EvidencePage {
        candidate: i18n.personal(&application.candidate_name),
        candidate_id: application.application.candidate_id,
        profile_id: application.application.profile_id,
        competency: rated.name.get(language).to_owned(),
        lines,
        hidden_until_submitted: readable.others_hidden,
        may_view_candidates: user.sees_every_scorecard_of(application.hiring_manager_id),
        page,
    })
}
