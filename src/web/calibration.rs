//! Interviewer calibration for recruiters and admins: who rates leniently, who severely, and
//! how often each disagrees with the panel, across all profiles or one.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

use super::{Page, render};
use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::calibration::{DISAGREEMENT, TENDENCY_THRESHOLD};
use crate::domain::user::Permission;
use crate::error::AppResult;
use crate::service::calibration::{self, InterviewerCalibration};

pub fn routes() -> Routes {
    Routes::default().get("/calibration", Access::Requires(Permission::ManageCandidates), page)
}

#[derive(Deserialize)]
struct Filter {
    /// A profile id; anything else (or nothing) means every profile.
    profile: Option<String>,
}

struct Line {
    interviewer: String,
    ratings: String,
    shared: String,
    own_mean: String,
    panel_mean: String,
    difference: String,
    tendency: String,
    /// The CSS class of the tendency: lenient, severe, in_line or none.
    tendency_class: &'static str,
    disagreement_rate: String,
}

#[derive(Template)]
#[template(path = "calibration.html")]
struct CalibrationPage {
    page: Page,
    lines: Vec<Line>,
    /// (id, "title – company", selected)
    profiles: Vec<(i64, String, bool)>,
    intro: String,
}

async fn page(State(state): State<AppState>, page: Page, Query(filter): Query<Filter>) -> AppResult<Html<String>> {
    let chosen: Option<i64> = filter.profile.and_then(|p| p.trim().parse().ok());
    let panel = calibration::panel(&state, chosen).await?;
    let i18n = page.i18n;
    let optional =
        |value: Option<f64>, places: usize| value.map_or_else(|| "–".to_owned(), |v| i18n.decimal(v, places));
    let lines = panel
        .interviewers
        .into_iter()
        .map(|InterviewerCalibration { name, calibration: c }| {
            let tendency = c.tendency();
            Line {
                interviewer: name,
                ratings: i18n.number(c.ratings as i64),
                shared: i18n.number(c.shared as i64),
                own_mean: optional(c.own_mean, 2),
                panel_mean: optional(c.panel_mean, 2),
                difference: c.difference().map_or_else(
                    || "–".to_owned(),
                    |d| format!("{}{}", if d > 0.0 { "+" } else { "" }, i18n.decimal(d, 2)),
                ),
                tendency: tendency.map_or_else(|| i18n.t("tendency-unknown"), |t| i18n.t(&t.label_key())),
                tendency_class: tendency.map_or("none", |t| t.as_str()),
                disagreement_rate: c
                    .disagreement_rate()
                    .map_or_else(|| "–".to_owned(), |r| format!("{} %", i18n.decimal(r, 0))),
            }
        })
        .collect();
    render(&CalibrationPage {
        lines,
        profiles: panel
            .profiles
            .into_iter()
            .map(|o| {
                (
                    o.profile.id,
                    format!("{} – {}", o.profile.details.title, o.company_name),
                    Some(o.profile.id) == panel.chosen,
                )
            })
            .collect(),
        intro: i18n.tn(
            "calibration-intro",
            &[("threshold", &i18n.decimal(TENDENCY_THRESHOLD, 1)), ("points", &DISAGREEMENT.to_string())],
        ),
        page,
    })
}
