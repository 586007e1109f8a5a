//! A role profile's pipeline board: a column per stage, a card per application. The chosen
//! cards move with the board's form: one at once, several after one confirmation. With the
//! board's script a card moves by dragging it to another column, through the same form.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Notice, Page, RenderedTables, RequestedNotice, render, render_with_status, see_other};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::candidate::{SeenApplication, Stage};
use crate::domain::input::{FieldErrors, FieldParser, Problem, lenient_text};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http::{HtmlForm, ResourceId};
use crate::i18n::{I18n, Lang};
use crate::service::letters;
use crate::service::pipeline::{self, Board, Card, Column};
use crate::service::today;

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewCandidates);
    let manage = Access::Requires(Permission::ManageCandidates);
    Routes::default().get("/profiles/{id}/pipeline", view, board).post(
        "/profiles/{id}/pipeline/bulk",
        manage,
        move_chosen,
    )
}

/// A card as the board renders it.
struct CardView {
    application_id: i64,
    candidate_id: i64,
    name: String,
    fit: Arc<str>,
    scorecards: Arc<str>,
    days: Arc<str>,
    source: String,
    is_new: bool,
    version: i64,
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
    /// The rendered [`BoardColumns`], HTML-escaped already.
    board: Arc<String>,
    /// (stage, label) of every stage, for the move forms.
    stages: Vec<(&'static str, String)>,
    /// Why the last action was refused.
    alert: Option<String>,
    /// Whether the user may move cards: the form and the script.
    may_move: bool,
}

/// The columns and their cards: the bulk of the page (a hundred kilobytes at 300 cards), the
/// same for everyone with the same [`BoardAudience`], so it is kept rendered while the data
/// is unchanged.
#[derive(Template)]
#[template(path = "profiles/pipeline_columns.html")]
struct BoardColumns {
    i18n: I18n,
    columns: Vec<ColumnView>,
    /// Whether the cards have checkboxes to choose them by.
    may_move: bool,
    new_label: String,
}

/// What the board's columns differ by: (profile id, language, may move cards, today), the
/// day because the cards count the days in their stage.
pub type BoardAudience = (i64, Lang, bool, NaiveDate);

/// The cards' phrases, each written once per board: on a board of hundreds the same few
/// fits, tallies and day counts come back again and again.
/// "Fit 72" or "Unscored", written once per rounded score on a page.
pub(super) struct FitPhrases {
    i18n: I18n,
    by_score: HashMap<Option<i64>, Arc<str>>,
}

impl FitPhrases {
    pub(super) fn new(i18n: I18n) -> Self {
        Self { i18n, by_score: HashMap::new() }
    }

    /// The phrase for a fit of 0–100, `None` while unscored.
    pub(super) fn of(&mut self, fit: Option<f64>) -> Arc<str> {
        let i18n = self.i18n;
        let fit = fit.map(|fit| fit.round() as i64);
        let phrase = self.by_score.entry(fit).or_insert_with(|| match fit {
            Some(fit) => i18n.t1("pipeline-fit", "fit", &i18n.number(fit)).into(),
            None => i18n.t("pipeline-unscored").into(),
        });
        phrase.clone()
    }
}

struct Phrases {
    i18n: I18n,
    fits: FitPhrases,
    scorecards: HashMap<(usize, usize), Arc<str>>,
    days: HashMap<i64, Arc<str>>,
    today: NaiveDate,
}

impl Phrases {
    fn new(i18n: I18n, today: NaiveDate) -> Self {
        Self { i18n, fits: FitPhrases::new(i18n), scorecards: HashMap::new(), days: HashMap::new(), today }
    }

    fn card(&mut self, card: &Card) -> CardView {
        let i18n = self.i18n;
        let tally = (card.submitted, card.expected);
        let scorecards = self.scorecards.entry(tally).or_insert_with(|| {
            let (done, expected) = (tally.0.to_string(), tally.1.to_string());
            i18n.tn("pipeline-scorecards", &[("done", &done), ("expected", &expected)]).into()
        });
        let days_in_stage = (self.today - card.entered.date_naive()).num_days().max(0);
        let days = self
            .days
            .entry(days_in_stage)
            .or_insert_with(|| i18n.counted("pipeline-days", "days", days_in_stage).into());
        CardView {
            fit: self.fits.of(card.fit),
            scorecards: scorecards.clone(),
            days: days.clone(),
            source: card.source.clone().unwrap_or_default(),
            application_id: card.application_id,
            candidate_id: card.candidate_id,
            name: i18n.personal(&card.name),
            is_new: card.is_new,
            version: card.version,
        }
    }
}

/// Each stage's value and label, in the order of the process: what a move's select offers.
pub(super) fn stage_labels(i18n: I18n) -> Vec<(&'static str, String)> {
    <Stage as strum::VariantArray>::VARIANTS.iter().map(|s| (s.as_str(), i18n.t(&s.label_key()))).collect()
}

async fn board_page(
    state: &AppState,
    tables: &RenderedTables,
    user: &User,
    page: Page,
    id: i64,
    alert: Option<String>,
) -> AppResult<BoardPage> {
    let i18n = page.i18n;
    let board = pipeline::board(state, user, id).await?;
    let may_move = page.may_manage_candidates();
    let today = today();
    let render_columns = async { board_columns(&board, i18n, may_move, today).render().map_err(AppError::from) };
    let audience = (id, i18n.lang, may_move, today);
    Ok(BoardPage {
        heading: i18n.t1("pipeline-heading", "title", &board.profile.details.title),
        board: tables.boards.get_or_load(audience, board.revision, render_columns).await?,
        stages: stage_labels(i18n),
        may_move,
        profile_id: id,
        alert,
        page,
    })
}

fn board_columns(board: &Board, i18n: I18n, may_move: bool, today: NaiveDate) -> BoardColumns {
    let mut phrases = Phrases::new(i18n, today);
    let columns = board
        .columns
        .iter()
        .map(|Column { stage, cards }| ColumnView {
            stage: stage.as_str(),
            label: i18n.t(&stage.label_key()),
            cards: cards.iter().map(|card| phrases.card(card)).collect(),
        })
        .collect();
    BoardColumns { i18n, columns, may_move, new_label: i18n.t("candidate-new") }
}

async fn board(
    State(state): State<AppState>,
    Extension(tables): Extension<Arc<RenderedTables>>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    RequestedNotice(notice): RequestedNotice,
) -> AppResult<Html<String>> {
    render(&board_page(&state, &tables, &user, page.with_notice(notice), id, None).await?)
}

const FROM_LIST: &str = "list";

/// The chosen cards' move, as the board's form (or the candidate list's) sends it.
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
    /// `list` when sent from the candidate list, which the move returns to.
    #[serde(deserialize_with = "lenient_text")]
    from: Option<String>,
    /// Ticked on the confirmation of a rejection: each candidate gets a rejection letter.
    #[serde(deserialize_with = "lenient_text")]
    send_letter: Option<String>,
    /// The recruiter's own line in each letter.
    #[serde(deserialize_with = "lenient_text")]
    note: Option<String>,
    /// Made when the confirmation was shown: the same form sent twice writes each letter once.
    #[serde(deserialize_with = "lenient_text")]
    letter_key: Option<String>,
}

impl MoveForm {
    /// Where the move came from and returns to, ready for a query string: the board, or the
    /// candidate list filtered by the profile.
    fn return_to(&self, profile_id: i64) -> String {
        match self.from.as_deref() {
            Some(FROM_LIST) => format!("/candidates?profile_id={profile_id}&"),
            _ => format!("/profiles/{profile_id}/pipeline?"),
        }
    }

    /// The cards as (application, version) and the stage; 422 naming what is malformed.
    fn parse(&self) -> Result<(Vec<(i64, i64)>, Stage), AppError> {
        let mut p = FieldParser::default();
        let stage: Stage = p.choice("stage", &self.stage);
        let moves = self
            .applications
            .iter()
            .map(|pair| {
                let (id, version) = pair.split_once(':')?;
                Some((id.trim().parse().ok()?, version.trim().parse().ok()?))
            })
            .collect::<Option<Vec<_>>>()
            .filter(|moves| !moves.is_empty());
        if moves.is_none() {
            p.reject("applications", Problem::Required);
        }
        p.finish((moves.unwrap_or_default(), stage)).map_err(AppError::Invalid)
    }
}

/// Moves the cards, or answers with the board and why not: 409 when one moved meanwhile, 422
/// for a choice that is not of this board.
async fn moved(
    state: &AppState,
    tables: &RenderedTables,
    user: &User,
    page: Page,
    id: i64,
    form: &MoveForm,
) -> AppResult<Response> {
    let i18n = page.i18n;
    let outcome = match form.parse() {
        Ok((moves, stage)) => move_and_tell(state, user, id, &moves, stage, form).await,
        Err(refused) => Err(refused),
    };
    let (status, alert) = match outcome {
        Ok(notice) => return Ok(see_other(format!("{}{}", form.return_to(id), notice.query()))),
        Err(AppError::Conflict { .. }) => (StatusCode::CONFLICT, i18n.t("pipeline-stale")),
        Err(AppError::Invalid(errors)) if errors.get("applications") == Some(&Problem::Required) => {
            (StatusCode::UNPROCESSABLE_ENTITY, i18n.t("pipeline-none-chosen"))
        }
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, i18n.problems(&errors)),
        Err(other) => return Err(other),
    };
    render_with_status(status, &board_page(state, tables, user, page, id, Some(alert)).await?)
}

/// Moves the cards and, for a rejection confirmed with its box ticked, writes each candidate a
/// rejection letter; the notice that says which. The letters are checked before anything moves.
async fn move_and_tell(
    state: &AppState,
    user: &User,
    id: i64,
    moves: &[(i64, i64)],
    stage: Stage,
    form: &MoveForm,
) -> AppResult<Notice> {
    let telling = stage == Stage::Rejected && form.send_letter.is_some();
    let key = form.letter_key.clone().unwrap_or_default();
    if telling && !letters::is_message_id(&key) {
        return Err(AppError::Invalid(FieldErrors::single("letter_key", Problem::InvalidFormKey)));
    }
    let letter = letters::rejection(form.note.clone())?;
    let applications: Vec<i64> = moves.iter().map(|(application, _)| *application).collect();
    if telling {
        letters::check_each(state, user, &applications).await?;
    }
    let seen: Vec<SeenApplication> = moves.iter().map(|&(application, version)| (application, Some(version))).collect();
    pipeline::move_many(state, user, id, &seen, stage).await?;
    if !telling {
        return Ok(Notice::Moved);
    }
    letters::send_each(state, user, &applications, &letter, &key).await?;
    Ok(Notice::MovedAndTold)
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
    from: Option<String>,
    /// The board or the list, where cancelling returns.
    back: String,
    /// A rejection: the page offers to write each candidate a letter.
    rejecting: bool,
    letter_key: String,
}

async fn move_chosen(
    State(state): State<AppState>,
    Extension(tables): Extension<Arc<RenderedTables>>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
    HtmlForm(form): HtmlForm<MoveForm>,
) -> AppResult<Response> {
    let Ok((moves, stage)) = form.parse() else { return moved(&state, &tables, &user, page, id, &form).await };
    // One card moves at once (as a dragged one does); several are confirmed first.
    if form.confirm.is_some() || moves.len() == 1 {
        return moved(&state, &tables, &user, page, id, &form).await;
    }
    let board = pipeline::board(&state, &user, id).await?;
    let cards: Vec<&Card> = board.columns.iter().flat_map(|c| &c.cards).collect();
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
        from: form.from.clone().filter(|from| from == FROM_LIST),
        back: form.return_to(id).trim_end_matches(['?', '&']).to_owned(),
        rejecting: stage == Stage::Rejected,
        letter_key: letters::new_message_id(),
        profile_id: id,
        names,
        page,
    };
    render_with_status(StatusCode::OK, &confirm)
}
