//! The head-to-head chart: per competency (heaviest first) one bar per candidate for the mean
//! rating, with the must-have minimum as a dashed line. Drawn on the server as inline SVG, so
//! it needs no JavaScript; the page's table holds every number as the text alternative.

use super::comparison::{competency_name, weight_detail};
use crate::app::AppState;
use crate::domain::scoring::Requirement;
use crate::i18n::I18n;
use crate::service::comparison::ComparedCandidate;

const LABEL_WIDTH: f64 = 290.0;
const PLOT_WIDTH: f64 = 380.0;
const BAR_HEIGHT: f64 = 14.0;
const GROUP_GAP: f64 = 14.0;
const LEGEND_HEIGHT: f64 = 26.0;
const AXIS_HEIGHT: f64 = 28.0;
const SCALE_MAX: f64 = 5.0;
const LINE_HEIGHT: f64 = 14.0;
/// What fits beside the plot in the label column at the chart's font size.
const LABEL_CHARACTERS: usize = 40;

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
    /// (y, text) of each line of the competency's name.
    pub label: Vec<(f64, String)>,
    pub detail: String,
    pub detail_y: f64,
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

/// A competency's name in lines that fit the label column, broken between words.
fn wrap(name: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in name.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= LABEL_CHARACTERS => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

fn x_of(score: f64) -> f64 {
    LABEL_WIDTH + PLOT_WIDTH * score / SCALE_MAX
}

impl BarChart {
    pub fn new(requirements: &[Requirement], candidates: &[ComparedCandidate], state: &AppState, i18n: I18n) -> Self {
        let names: Vec<String> = candidates.iter().map(|c| i18n.personal(&c.application.candidate_name)).collect();
        let mut groups = Vec::new();
        let mut top = LEGEND_HEIGHT;
        for (index, requirement) in requirements.iter().enumerate() {
            let label = wrap(&competency_name(state, &requirement.competency, i18n));
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
                        .push(Gap { y: y + BAR_HEIGHT - 3.0, text: i18n.t1("chart-unrated", "name", &names[series]) }),
                }
            }
            let bottom = bars_top + BAR_HEIGHT * names.len() as f64;
            // The label's lines and the weight under them may be taller than the bars.
            let label_height = LINE_HEIGHT * (label.len() + 1) as f64;
            top = bars_top + (BAR_HEIGHT * names.len() as f64).max(label_height) + GROUP_GAP;
            groups.push(Group {
                detail_y: bars_top + 11.0 + LINE_HEIGHT * label.len() as f64,
                label: label
                    .into_iter()
                    .enumerate()
                    .map(|(i, line)| (bars_top + 11.0 + LINE_HEIGHT * i as f64, line))
                    .collect(),
                detail: weight_detail(requirement, i18n),
                bars,
                gaps,
                minimum: requirement.minimum.map(|m| (x_of(m), bars_top - 3.0, bottom + 3.0)),
            });
        }
        let axis_y = top;
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
                .map(|(series, name)| LegendItem { x: legend_step * series as f64, series, name: name.clone() })
                .collect(),
            groups,
            ticks: (0..=5).map(|score| (x_of(f64::from(score)), score.to_string())).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_names_wrap_between_words_and_short_ones_stay_whole() {
        assert_eq!(wrap("Communication"), ["Communication"]);
        let lines = wrap("Kommerciel sans: mersalg, krydssalg, fornyelser og meget mere");
        assert!(lines.len() == 2 && lines.iter().all(|l| l.chars().count() <= super::LABEL_CHARACTERS), "{lines:?}");
        assert_eq!(lines.join(" "), "Kommerciel sans: mersalg, krydssalg, fornyelser og meget mere");
    }
}
