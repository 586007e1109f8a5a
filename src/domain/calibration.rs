//! Interviewer calibration: whether an interviewer rates more leniently or more severely than
//! the rest of the panel, judged only where they rated the same competency of the same
//! candidate as someone else — a harsh interviewer who met only weak candidates is not harsh.

use std::collections::BTreeMap;

use serde::Serialize;

/// How far (in rating points) an interviewer's mean may sit from the panel's before it is
/// called a tendency: half a point on a 1–5 scale is a visible habit, not noise.
pub const TENDENCY_THRESHOLD: f64 = 0.5;
/// Ratings this far apart on the same item are a disagreement (as in the fit).
pub const DISAGREEMENT: u8 = super::scoring::DISAGREEMENT;

/// One submitted rating of one competency of one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelRating<'a> {
    pub application: i64,
    pub competency: &'a str,
    pub interviewer: i64,
    /// 1–5.
    pub score: u8,
}

named_choice!(
    /// How an interviewer's ratings compare with the panel's.
    Tendency, "tendency" { InLine, Lenient, Severe }
);

/// One interviewer's ratings against the panel's on the same items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub interviewer: i64,
    /// All their ratings.
    pub ratings: usize,
    /// Their ratings of items someone else rated too: what the comparison rests on.
    pub shared: usize,
    /// Their mean on the shared items; `None` without any.
    pub own_mean: Option<f64>,
    /// The mean, over the shared items, of the other interviewers' mean rating of each.
    pub panel_mean: Option<f64>,
    /// Shared items where they and another interviewer were [`DISAGREEMENT`] points or more apart.
    pub disagreements: usize,
}

impl Calibration {
    /// Their mean minus the panel's: positive is lenient, negative severe.
    pub fn difference(&self) -> Option<f64> {
        self.own_mean.zip(self.panel_mean).map(|(own, panel)| own - panel)
    }

    /// `None` while they share no item with anyone.
    pub fn tendency(&self) -> Option<Tendency> {
        self.difference().map(|d| {
            if d >= TENDENCY_THRESHOLD {
                Tendency::Lenient
            } else if d <= -TENDENCY_THRESHOLD {
                Tendency::Severe
            } else {
                Tendency::InLine
            }
        })
    }

    /// The share (0–100) of shared items with a disagreement.
    pub fn disagreement_rate(&self) -> Option<f64> {
        (self.shared > 0).then(|| 100.0 * self.disagreements as f64 / self.shared as f64)
    }
}

#[derive(Default)]
struct Tally {
    ratings: usize,
    shared: usize,
    own_sum: f64,
    panel_sum: f64,
    disagreements: usize,
}

/// Every interviewer's calibration, by interviewer id.
pub fn calibrate(ratings: &[PanelRating]) -> Vec<Calibration> {
    let mut items: BTreeMap<(i64, &str), Vec<(i64, u8)>> = BTreeMap::new();
    for r in ratings {
        items.entry((r.application, r.competency)).or_default().push((r.interviewer, r.score));
    }
    let mut tallies: BTreeMap<i64, Tally> = BTreeMap::new();
    for raters in items.values() {
        for (i, &(interviewer, own)) in raters.iter().enumerate() {
            let tally = tallies.entry(interviewer).or_default();
            tally.ratings += 1;
            let others: Vec<u8> = raters.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, &(_, s))| s).collect();
            if others.is_empty() {
                continue;
            }
            tally.shared += 1;
            tally.own_sum += f64::from(own);
            tally.panel_sum += others.iter().map(|&s| f64::from(s)).sum::<f64>() / others.len() as f64;
            if others.iter().any(|&other| own.abs_diff(other) >= DISAGREEMENT) {
                tally.disagreements += 1;
            }
        }
    }
    tallies
        .into_iter()
        .map(|(interviewer, t)| {
            let mean = |sum: f64| (t.shared > 0).then(|| sum / t.shared as f64);
            Calibration {
                interviewer,
                ratings: t.ratings,
                shared: t.shared,
                own_mean: mean(t.own_sum),
                panel_mean: mean(t.panel_sum),
                disagreements: t.disagreements,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: i64 = 1;
    const B: i64 = 2;
    const C: i64 = 3;

    fn rating(application: i64, competency: &'static str, interviewer: i64, score: u8) -> PanelRating<'static> {
        PanelRating { application, competency, interviewer, score }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// Application 1, communication: A 4, B 2, C 3. Application 1, diligence: A 5, B 3.
    /// Application 2, communication: A 3, B 3. Application 2, diligence: A 4, alone.
    fn panel() -> Vec<PanelRating<'static>> {
        vec![
            rating(1, "communication", A, 4),
            rating(1, "communication", B, 2),
            rating(1, "communication", C, 3),
            rating(1, "diligence", A, 5),
            rating(1, "diligence", B, 3),
            rating(2, "communication", A, 3),
            rating(2, "communication", B, 3),
            rating(2, "diligence", A, 4),
        ]
    }

    #[test]
    fn a_lenient_interviewer_by_hand() {
        let a = &calibrate(&panel())[0];
        // Shared items: 4 vs (2+3)/2, 5 vs 3, 3 vs 3. Own mean 12/3 = 4; panel 8.5/3.
        assert_eq!((a.interviewer, a.ratings, a.shared), (A, 4, 3));
        assert!(close(a.own_mean, 4.0));
        assert!(close(a.panel_mean, 8.5 / 3.0));
        assert!(close(a.difference(), 4.0 - 8.5 / 3.0));
        assert_eq!(a.tendency(), Some(Tendency::Lenient));
        assert_eq!(a.disagreements, 2, "4 vs 2 and 5 vs 3");
        assert!(close(a.disagreement_rate(), 200.0 / 3.0));
    }

    #[test]
    fn a_severe_and_an_in_line_interviewer_by_hand() {
        let calibrations = calibrate(&panel());
        let b = &calibrations[1];
        // 2 vs (4+3)/2, 3 vs 5, 3 vs 3: own 8/3, panel 11.5/3.
        assert!(close(b.own_mean, 8.0 / 3.0));
        assert!(close(b.panel_mean, 11.5 / 3.0));
        assert_eq!(b.tendency(), Some(Tendency::Severe));
        assert_eq!(b.disagreements, 2);
        let c = &calibrations[2];
        // 3 vs (4+2)/2: in line, and 1 point from each is no disagreement.
        assert!(close(c.difference(), 0.0));
        assert_eq!((c.tendency(), c.disagreements), (Some(Tendency::InLine), 0));
    }

    #[test]
    fn an_interviewer_who_shares_no_item_has_no_tendency() {
        let alone = calibrate(&[rating(1, "communication", A, 5), rating(2, "communication", B, 1)]);
        assert!(alone.iter().all(|c| c.shared == 0 && c.tendency().is_none() && c.disagreement_rate().is_none()));
        assert!(calibrate(&[]).is_empty());
    }

    #[test]
    fn the_threshold_is_inclusive() {
        let half = calibrate(&[rating(1, "communication", A, 4), rating(1, "communication", B, 3)]);
        // A is a whole point above B: lenient; B severe.
        assert_eq!(half[0].tendency(), Some(Tendency::Lenient));
        assert_eq!(half[1].tendency(), Some(Tendency::Severe));
        let mut three = vec![rating(1, "communication", A, 4), rating(1, "communication", B, 3)];
        three.push(rating(1, "communication", C, 4));
        // B: 3 vs 4 → −1. A: 4 vs 3.5 → +0.5, exactly the threshold.
        assert_eq!(calibrate(&three)[0].tendency(), Some(Tendency::Lenient));
    }
}
