//! A role profile's pipeline board: a column per stage, a card per application; a card moves
//! with its own form (or, with the board's script, by dragging it), several at once with one
//! confirmation.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};
use chrono::Utc;
use serde::Deserialize;

use super::{Notice, Page, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::candidate::Stage;
use crate::domain::input::{FieldParser, lenient_text};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::{HtmlForm, ResourceId};
use crate::i18n::I18n;
use crate::service::pipeline::{self, Card, Column};
use crate::service::profiles;

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewCandidates);
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default()
        .get("/profiles/{id}/pipeline", view, board)
        .post("/profiles/{id}/pipeline/move", manage, move_one)
        .post("/profiles/{id}/pipeline/bulk", manage, move_chosen)
}

/// A card as the board renders it.
struct CardView {
    application_id: i64,
    candidate_id: i64,
    name: String,
    select_label: String,
    fit: String,
    scorecards: String,
    days: String,
    source: String,
    is_new: bool,
    version: i64,
    stage: &'static str,
}

struct ColumnView {
    stage: &'static str,
    label: String,
    cards: Vec<CardView>,
}

#[derive(Template)]
#[template(path = "profiles/pipeline.html")]
struct BoardPage {
    page: Page,
    profile_id: i64,
    heading: String,
    columns: Vec<ColumnView>,
    /// (stage, label) of every stage, for the move forms.
    stages: Vec<(&'static str, String)>,
    /// Why the last action was refused.
    alert: Option<String>,
}

fn card_view(card: Card, stage: Stage, i18n: I18n) -> CardView {
    let fit = match card.fit {
        Some(fit) => i18n.t1("pipeline-fit", "fit", &i18n.decimal(fit, 0)),
        None => i18n.t("pipeline-unscored"),
    };
    let (done, expected) = (card.submitted.to_string(), card.expected.to_string());
    CardView {
        select_label: i18n.t1("pipeline-select", "name", &card.name),
        scorecards: i18n.tn("pipeline-scorecards", &[("done", &done), ("expected", &expected)]),
        days: i18n.counted("pipeline-days", "days", card.days_in_stage),
        source: card.source.unwrap_or_default(),
        application_id: card.application_id,
        candidate_id: card.candidate_id,
        name: card.name,
        is_new: card.is_new,
        version: card.version,
        stage: stage.as_str(),
        fit,
    }
}

async fn board_page(state: &AppState, user: &User, page: Page, id: i64, alert: Option<String>) -> AppResult<BoardPage> {
    let profile = profiles::get(state, user, id).await?;
    let i18n = page.i18n;
    let columns = pipeline::board(state, user, id, Utc::now())
        .await?
        .into_iter()
        .map(|Column { stage, cards }| ColumnView {
            stage: stage.as_str(),
            label: i18n.t(&stage.label_key()),
            cards: cards.into_iter().map(|card| card_view(card, stage, i18n)).collect(),
        })
        .collect();
    Ok(BoardPage {
        heading: i18n.t1("pipeline-heading", "title", &profile.details.title),
        stages: <Stage as strum::VariantArray>::VARIANTS.iter().map(|s| (s.as_str(), i18n.t(&s.label_key()))).collect(),
        profile_id: id,
        columns,
        alert,
        page,
    })
}

async fn board(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&board_page(&state, &user, page.with_notice(notice), id, None).await?)
}

/// One card's move, or the chosen cards' move, as the forms send it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
    /// `APPLICATION:VERSION`, once per card.
    applications: Vec<String>,
    #[serde(deserialize_with = "lenient_text")]
    stage: Option<String>,
    /// Set by the confirmation of a move of several.
    #[serde(deserialize_with = "lenient_text")]
    confirm: Option<String>,
}

impl MoveForm {
    /// The cards as (application, version) and the stage; 422 naming what is malformed.
    fn parse(&self) -> Result<(Vec<(i64, i64)>, Stage), AppError> {
        let mut p = FieldParser::default();
        let stage: Stage = p.choice("stage", &self.stage);
        let moves: Option<Vec<(i64, i64)>> = self
            .applications
            .iter()
            .map(|pair| {
                let (id, version) = pair.split_once(':')?;
                Some((id.trim().parse().ok()?, version.trim().parse().ok()?))
            })
            .collect();
        match moves {
            Some(moves) if !moves.is_empty() => p.finish((moves, stage)).map_err(AppError::Invalid),
            _ => {
                p.reject("applications", crate::domain::input::Problem::Required);
                p.finish((Vec::new(), stage)).map_err(AppError::Invalid)
            }
        }
    }
}

async fn move_one(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(form): HtmlForm<MoveForm>,
) -> AppResult<Response> {
    moved(&state, &user, page, id, &form).await
}

/// Moves the cards, or answers with the board and why not: 409 when one moved meanwhile, 422
/// for a choice that is not of this board.
async fn moved(state: &AppState, user: &User, page: Page, id: i64, form: &MoveForm) -> AppResult<Response> {
    let i18n = page.i18n;
    let refused = |status: StatusCode, key: &str| (status, i18n.t(key));
    let (status, alert) = match form.parse() {
        Ok((moves, stage)) => match pipeline::move_many(state, user, id, &moves, stage).await {
            Ok(_) => return Ok(see_other(format!("/profiles/{id}/pipeline?{}", Notice::Moved.query()))),
            Err(AppError::Conflict { .. }) => refused(StatusCode::CONFLICT, "pipeline-stale"),
            Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, i18n.problems(&errors)),
            Err(other) => return Err(other),
        },
        Err(AppError::Invalid(errors)) if errors.has("applications") => {
            refused(StatusCode::UNPROCESSABLE_ENTITY, "pipeline-none-chosen")
        }
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, i18n.problems(&errors)),
        Err(other) => return Err(other),
    };
    render_with_status(status, &board_page(state, user, page, id, Some(alert)).await?)
}

#[derive(Template)]
#[template(path = "profiles/pipeline_confirm.html")]
struct ConfirmPage {
    page: Page,
    profile_id: i64,
    heading: String,
    names: Vec<String>,
    applications: Vec<String>,
    stage: &'static str,
}

async fn move_chosen(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(form): HtmlForm<MoveForm>,
) -> AppResult<Response> {
    let Ok((moves, stage)) = form.parse() else { return moved(&state, &user, page, id, &form).await };
    if form.confirm.is_some() {
        return moved(&state, &user, page, id, &form).await;
    }
    let columns = pipeline::board(&state, &user, id, Utc::now()).await?;
    let cards: Vec<&Card> = columns.iter().flat_map(|c| &c.cards).collect();
    let names = moves
        .iter()
        .filter_map(|(application, _)| cards.iter().find(|c| c.application_id == *application).map(|c| c.name.clone()))
        .collect();
    let i18n = page.i18n;
    let count = i18n.number(moves.len() as i64);
    let confirm = ConfirmPage {
        heading: i18n.tn("pipeline-confirm-heading", &[("count", &count), ("stage", &i18n.t(&stage.label_key()))]),
        applications: form.applications.clone(),
        stage: stage.as_str(),
        profile_id: id,
        names,
        page,
    };
    render_with_status(StatusCode::OK, &confirm)
}
