//! The head-to-head chart: per competency (heaviest first) one bar per candidate for the mean
//! rating, with the must-have minimum as a dashed line. Drawn on the server as inline SVG, so
//! it needs no JavaScript; the page's table holds every number as the text alternative.

use super::comparison::{ComparedCandidate, competency_name, weight_detail};
use super::i18n::I18n;
use crate::app::AppState;
use crate::domain::scoring::Requirement;

const LABEL_WIDTH: f64 = 240.0;
const PLOT_WIDTH: f64 = 360.0;
const BAR_HEIGHT: f64 = 14.0;
const GROUP_GAP: f64 = 14.0;
const LEGEND_HEIGHT: f64 = 26.0;
const AXIS_HEIGHT: f64 = 28.0;
const SCALE_MAX: f64 = 5.0;

pub struct Bar {
    pub y: f64,
    pub width: f64,
    pub series: usize,
    /// "Name: 3.7", shown on hover and read by screen readers that enter the chart.
    pub tooltip: String,
}

/// A candidate without a rating of this competency.
pub struct Gap {
    pub y: f64,
    pub text: String,
}

pub struct Group {
    pub label: String,
    pub detail: String,
    pub label_y: f64,
    pub bars: Vec<Bar>,
    pub gaps: Vec<Gap>,
    /// x, top and bottom of the minimum's line.
    pub minimum: Option<(f64, f64, f64)>,
}

pub struct LegendItem {
    pub x: f64,
    pub series: usize,
    pub name: String,
}

pub struct BarChart {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub axis_y: f64,
    pub title: String,
    pub description: String,
    pub legend: Vec<LegendItem>,
    pub groups: Vec<Group>,
    /// (x, label) of the scale's ticks.
    pub ticks: Vec<(f64, String)>,
}

fn x_of(score: f64) -> f64 {
    LABEL_WIDTH + PLOT_WIDTH * score / SCALE_MAX
}

impl BarChart {
    pub fn new(requirements: &[Requirement], candidates: &[ComparedCandidate], state: &AppState, i18n: I18n) -> Self {
        let names: Vec<&str> = candidates.iter().map(|c| c.application.candidate_name.as_str()).collect();
        let group_height = BAR_HEIGHT * names.len() as f64 + GROUP_GAP + 16.0;
        let mut groups = Vec::new();
        for (index, requirement) in requirements.iter().enumerate() {
            let top = LEGEND_HEIGHT + group_height * index as f64;
            let bars_top = top + 16.0;
            let mut bars = Vec::new();
            let mut gaps = Vec::new();
            for (series, candidate) in candidates.iter().enumerate() {
                let y = bars_top + BAR_HEIGHT * series as f64;
                match candidate.ranked.result.competencies[index].mean {
                    Some(mean) => bars.push(Bar {
                        y,
                        width: PLOT_WIDTH * mean / SCALE_MAX,
                        series,
                        tooltip: format!("{}: {}", names[series], i18n.decimal(mean, 1)),
                    }),
                    None => gaps
                        .push(Gap { y: y + BAR_HEIGHT - 3.0, text: i18n.t1("chart-unrated", "name", names[series]) }),
                }
            }
            let bottom = bars_top + BAR_HEIGHT * names.len() as f64;
            groups.push(Group {
                label: competency_name(state, &requirement.competency, i18n),
                detail: weight_detail(requirement, i18n),
                label_y: bars_top + 11.0,
                bars,
                gaps,
                minimum: requirement.minimum.map(|m| (x_of(m), bars_top - 3.0, bottom + 3.0)),
            });
        }
        let axis_y = LEGEND_HEIGHT + group_height * requirements.len() as f64;
        let legend_step = (LABEL_WIDTH + PLOT_WIDTH) / names.len().max(1) as f64;
        Self {
            width: LABEL_WIDTH + PLOT_WIDTH + 20.0,
            height: axis_y + AXIS_HEIGHT,
            plot_left: LABEL_WIDTH,
            axis_y,
            title: i18n.t("chart-title"),
            description: i18n.t1("chart-description", "names", &names.join(", ")),
            legend: names
                .iter()
                .enumerate()
                .map(|(series, name)| LegendItem { x: legend_step * series as f64, series, name: (*name).to_owned() })
                .collect(),
            groups,
            ticks: (0..=5).map(|score| (x_of(f64::from(score)), score.to_string())).collect(),
        }
    }
}
