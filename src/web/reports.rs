//! The reports page: the funnel, time to hire and in each stage, sources and scorecard
//! turnaround over the applications a reader may see, with charts drawn on the server and
//! every figure in a table; and the same as CSV.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::form::FieldMessages;
use super::{Page, render_with_status};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::input::FieldErrors;
use crate::domain::report::{Report, ReportQuery, Spread};
use crate::domain::user::{Permission, User};
use crate::error::{AppError, AppResult};
use crate::http;
use crate::http::download::{self, source_name};
use crate::i18n::I18n;
use crate::service::{profiles, reports};

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewCandidates);
    Routes::default().get("/reports", view, page).get("/reports.csv", view, csv)
}

/// A figure's label and its text, as the tables show them.
pub struct Figures {
    pub label: String,
    pub cells: Vec<String>,
}

/// Horizontal bars, one a row, scaled to the largest value.
pub struct Bars {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub width: f64,
    pub height: f64,
    pub rows: Vec<BarRow>,
}

pub struct BarRow {
    pub y: f64,
    pub label: String,
    pub width: f64,
    pub value: String,
}

const LABEL_WIDTH: f64 = 180.0;
const PLOT_WIDTH: f64 = 360.0;
const ROW_HEIGHT: f64 = 24.0;
const VALUE_GAP: f64 = 6.0;

impl Bars {
    fn of(id: &'static str, title: String, description: String, rows: Vec<(String, f64, String)>) -> Self {
        let largest = rows.iter().map(|(_, value, _)| *value).fold(0.0, f64::max);
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(at, (label, value, text))| BarRow {
                y: at as f64 * ROW_HEIGHT,
                label,
                width: if largest > 0.0 { (value / largest * PLOT_WIDTH).max(1.0) } else { 1.0 },
                value: text,
            })
            .collect::<Vec<_>>();
        let height = rows.len() as f64 * ROW_HEIGHT;
        Bars { id, title, description, width: LABEL_WIDTH + PLOT_WIDTH + 80.0, height, rows }
    }

    pub fn plot_left(&self) -> f64 {
        LABEL_WIDTH
    }

    pub fn value_x(&self, row: &BarRow) -> f64 {
        LABEL_WIDTH + row.width + VALUE_GAP
    }
}

/// The report as the page shows it.
pub struct ReportView {
    pub summary: String,
    pub funnel: Vec<Figures>,
    pub funnel_chart: Bars,
    pub time_to_hire: Figures,
    pub stages: Vec<Figures>,
    pub stage_chart: Bars,
    pub sources: Vec<Figures>,
    pub turnaround: Vec<Figures>,
}

#[derive(Template)]
#[template(path = "reports/index.html")]
struct ReportsPage {
    page: Page,
    /// (id, "title – company", selected)
    profiles: Vec<(i64, String, bool)>,
    from: String,
    to: String,
    errors: FieldMessages,
    /// The query string of the report shown, for its CSV.
    csv_query: String,
    report: Option<ReportView>,
}

async fn page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> AppResult<Response> {
    let query = http::query(query)?;
    let (report, errors) = match reports::asked(&state, &user, &query).await {
        Ok(report) => (Some(report), FieldErrors::default()),
        Err(AppError::Invalid(errors)) => (None, errors),
        Err(other) => return Err(other),
    };
    let status = if report.is_some() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let shown = reports_page(&state, &user, page, &query, report.as_ref(), &errors).await?;
    render_with_status(status, &shown)
}

async fn reports_page(
    state: &AppState,
    user: &User,
    page: Page,
    query: &ReportQuery,
    report: Option<&Report>,
    errors: &FieldErrors,
) -> AppResult<ReportsPage> {
    let i18n = page.i18n;
    let chosen = query.profile_id.as_deref().unwrap_or_default();
    let profiles = profiles::list(state, user)
        .await?
        .into_iter()
        .map(|o| {
            let id = o.profile.id;
            (id, format!("{} – {}", o.profile.details.title, o.company_name), id.to_string() == chosen)
        })
        .collect();
    Ok(ReportsPage {
        profiles,
        from: query.from.clone().unwrap_or_default(),
        to: query.to.clone().unwrap_or_default(),
        errors: FieldMessages::new(errors, i18n),
        csv_query: query_string(query),
        report: report.map(|report| view(report, i18n)),
        page,
    })
}

/// The query as a query string, without its empty parameters.
fn query_string(query: &ReportQuery) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in [("profile_id", &query.profile_id), ("from", &query.from), ("to", &query.to)] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            serializer.append_pair(name, value);
        }
    }
    serializer.finish()
}

fn days(spread: &Spread, i18n: I18n) -> [String; 3] {
    let optional = |value: Option<f64>| value.map_or_else(|| "–".to_owned(), |v| i18n.decimal(v, 1));
    [i18n.number(spread.count as i64), optional(spread.median_days), optional(spread.p90_days)]
}

fn percent(share: Option<f64>, i18n: I18n) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{} %", i18n.decimal(s * 100.0, 0)))
}

fn view(report: &Report, i18n: I18n) -> ReportView {
    let stage_name = |stage: &crate::domain::candidate::Stage| i18n.t(&stage.label_key());
    let funnel_rows =
        report.funnel.iter().map(|s| (stage_name(&s.stage), s.count as f64, i18n.number(s.count as i64))).collect();
    let stage_rows = report
        .time_in_stage
        .iter()
        .map(|t| {
            let median = t.spread.median_days.unwrap_or(0.0);
            (stage_name(&t.stage), median, days(&t.spread, i18n)[1].clone())
        })
        .collect();
    ReportView {
        summary: i18n.counted("reports-summary", "count", report.applications as i64),
        funnel: report
            .funnel
            .iter()
            .map(|s| Figures {
                label: stage_name(&s.stage),
                cells: vec![i18n.number(s.count as i64), percent(s.conversion, i18n)],
            })
            .collect(),
        funnel_chart: Bars::of("funnel-chart", i18n.t("reports-funnel"), i18n.t("reports-funnel-chart"), funnel_rows),
        time_to_hire: Figures {
            label: i18n.t("reports-time-to-hire"),
            cells: days(&report.time_to_hire, i18n).to_vec(),
        },
        stages: report
            .time_in_stage
            .iter()
            .map(|t| Figures { label: stage_name(&t.stage), cells: days(&t.spread, i18n).to_vec() })
            .collect(),
        stage_chart: Bars::of(
            "stage-chart",
            i18n.t("reports-time-in-stage"),
            i18n.t("reports-stage-chart"),
            stage_rows,
        ),
        sources: report
            .sources
            .iter()
            .map(|s| Figures {
                label: source_name(&s.source, i18n),
                cells: [s.applications, s.interviews, s.hires].map(|n| i18n.number(n as i64)).to_vec(),
            })
            .collect(),
        turnaround: report
            .turnaround
            .iter()
            .map(|t| {
                let mut cells = vec![i18n.number(t.outstanding as i64)];
                cells.extend(days(&t.spread, i18n));
                Figures { label: t.name.clone(), cells }
            })
            .collect(),
    }
}

/// The report as CSV ([`download::report_csv`]), in the reader's language.
async fn csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> AppResult<Response> {
    download::report_csv(&reports::asked(&state, &user, &http::query(query)?).await?, page.i18n)
}
