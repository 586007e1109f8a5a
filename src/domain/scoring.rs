//! The fit of a candidate to a role profile, from the submitted ratings.
//!
//! Per competency, the mean of the submitted ratings (1–5; "not assessed" is no rating).
//! **Fit** is the weight-averaged mean over the rated competencies, mapped from 1–5 to 0–100.
//! **Coverage** is the share of the profile's total weight that was rated at all: a high fit
//! on little coverage says little. A **knockout** is a must-have whose mean is below its
//! minimum, whatever the fit. A **disagreement** is a competency whose ratings differ by 2
//! points or more: information for the hiring manager, not noise to average away.

use serde::Serialize;

/// What the profile asks of one competency.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub competency: String,
    /// 0 or more; only ratios between weights matter.
    pub weight: f64,
    /// The lowest acceptable mean of a must-have.
    pub minimum: Option<f64>,
}

/// One submitted rating of one competency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating<'a> {
    pub competency: &'a str,
    /// 1–5.
    pub score: u8,
}

pub const DISAGREEMENT: u8 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CompetencyScore<'a> {
    pub competency: &'a str,
    pub weight: f64,
    pub minimum: Option<f64>,
    /// `None`: nobody rated it.
    pub mean: Option<f64>,
    pub ratings: usize,
    /// Highest minus lowest rating.
    pub spread: u8,
    pub knockout: bool,
    pub disagreement: bool,
}

/// Everything behind a candidate's fit, never the number alone.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FitResult<'a> {
    /// 0–100; `None` while no weighted competency is rated (unscored is not zero).
    pub fit: Option<f64>,
    /// 0–100: the share of the total weight that was rated.
    pub coverage: f64,
    pub competencies: Vec<CompetencyScore<'a>>,
    /// The must-haves below their minimum.
    pub knockouts: Vec<&'a str>,
    pub disagreements: Vec<&'a str>,
}

/// The fit of one candidate: `requirements` from the profile's weights, `ratings` from the
/// submitted scorecards (ratings of competencies the profile does not weigh are ignored).
pub fn fit<'a>(requirements: &'a [Requirement], ratings: &[Rating]) -> FitResult<'a> {
    let tallies = tally(requirements, ratings);
    let competencies: Vec<CompetencyScore<'a>> =
        requirements.iter().zip(&tallies).map(|(requirement, tally)| score(requirement, tally)).collect();
    let (fit, coverage) = weighted(competencies.iter().map(|c| (c.weight, c.mean)));
    FitResult {
        fit,
        coverage,
        knockouts: competencies.iter().filter(|c| c.knockout).map(|c| c.competency).collect(),
        disagreements: competencies.iter().filter(|c| c.disagreement).map(|c| c.competency).collect(),
        competencies,
    }
}

/// Fit (0–100, `None` while nothing weighted is rated) and coverage (0–100) from each
/// competency's weight and mean rating.
pub fn weighted(competencies: impl IntoIterator<Item = (f64, Option<f64>)>) -> (Option<f64>, f64) {
    let (mut total, mut rated, mut points) = (0.0, 0.0, 0.0);
    for (weight, mean) in competencies {
        total += weight;
        if let Some(mean) = mean {
            rated += weight;
            points += weight * (mean - 1.0) / 4.0;
        }
    }
    let fit = (rated > 0.0).then(|| 100.0 * points / rated);
    (fit, if total > 0.0 { 100.0 * rated / total } else { 0.0 })
}

/// The ratings of one competency: how many, their sum, the lowest and the highest.
#[derive(Clone, Copy)]
struct Tally {
    count: usize,
    sum: u32,
    low: u8,
    high: u8,
}

/// Each requirement's tally, in one pass over the ratings: this runs for every candidate
/// compared, so each rating is matched to its competency once.
fn tally(requirements: &[Requirement], ratings: &[Rating]) -> Vec<Tally> {
    let mut tallies = vec![Tally { count: 0, sum: 0, low: u8::MAX, high: u8::MIN }; requirements.len()];
    for rating in ratings {
        if let Some(index) = requirements.iter().position(|r| r.competency == rating.competency) {
            let tally = &mut tallies[index];
            tally.count += 1;
            tally.sum += u32::from(rating.score);
            tally.low = tally.low.min(rating.score);
            tally.high = tally.high.max(rating.score);
        }
    }
    tallies
}

fn score<'a>(requirement: &'a Requirement, tally: &Tally) -> CompetencyScore<'a> {
    let mean = (tally.count > 0).then(|| f64::from(tally.sum) / tally.count as f64);
    let spread = if tally.count > 0 { tally.high - tally.low } else { 0 };
    CompetencyScore {
        competency: &requirement.competency,
        weight: requirement.weight,
        minimum: requirement.minimum,
        mean,
        ratings: tally.count,
        spread,
        knockout: mean.zip(requirement.minimum).is_some_and(|(mean, minimum)| mean < minimum),
        disagreement: spread >= DISAGREEMENT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const IDS: [&str; 4] = ["communication", "customer_service", "efficiency", "presentation"];

    fn requirements(weights: &[f64]) -> Vec<Requirement> {
        IDS.iter()
            .zip(weights)
            .map(|(&competency, &weight)| Requirement { competency: competency.to_owned(), weight, minimum: None })
            .collect()
    }

    #[test]
    fn a_hand_computed_fit() {
        let mut profile = requirements(&[5.0, 5.0, 3.0, 2.0]);
        profile[0].minimum = Some(3.0);
        let ratings = [
            Rating { competency: "communication", score: 4 },
            Rating { competency: "communication", score: 2 },
            Rating { competency: "customer_service", score: 5 },
            Rating { competency: "efficiency", score: 3 },
        ];
        let result = fit(&profile, &ratings);
        // communication mean 3 → 0.5, customer service 5 → 1.0, efficiency 3 → 0.5;
        // (5·0.5 + 5·1.0 + 3·0.5) / 13 = 9/13 → 69.23…; coverage 13 of 15.
        assert!((result.fit.unwrap() - 900.0 / 13.0).abs() < 1e-9);
        assert!((result.coverage - 100.0 * 13.0 / 15.0).abs() < 1e-9);
        assert_eq!(result.disagreements, ["communication"]);
        assert!(result.knockouts.is_empty(), "a mean of 3 meets a minimum of 3");
        assert_eq!(result.competencies[3].mean, None);
    }

    #[test]
    fn a_must_have_below_its_minimum_is_a_knockout_whatever_the_fit() {
        let mut profile = requirements(&[1.0, 9.0, 0.0, 0.0]);
        profile[0].minimum = Some(3.0);
        let ratings =
            [Rating { competency: "communication", score: 2 }, Rating { competency: "customer_service", score: 5 }];
        let result = fit(&profile, &ratings);
        assert!(result.fit.unwrap() > 90.0);
        assert_eq!(result.knockouts, ["communication"]);
    }

    #[test]
    fn unscored_is_not_zero() {
        let profile = requirements(&[5.0, 5.0, 3.0, 2.0]);
        let result = fit(&profile, &[]);
        assert_eq!((result.fit, result.coverage), (None, 0.0));
        let all_low = [Rating { competency: "efficiency", score: 1 }];
        assert_eq!(fit(&requirements(&[5.0, 5.0, 3.0, 2.0]), &all_low).fit, Some(0.0));
    }

    fn any_ratings() -> impl Strategy<Value = Vec<(usize, u8)>> {
        prop::collection::vec((0..IDS.len(), 1u8..=5), 0..12)
    }

    fn any_weights() -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec(0.0f64..10.0, IDS.len())
    }

    fn as_ratings(raw: &[(usize, u8)]) -> Vec<Rating<'static>> {
        raw.iter().map(|&(i, score)| Rating { competency: IDS[i], score }).collect()
    }

    proptest! {
        #[test]
        fn fit_stays_within_0_and_100(weights in any_weights(), raw in any_ratings()) {
            let profile = requirements(&weights);
            let result = fit(&profile, &as_ratings(&raw));
            if let Some(fit) = result.fit {
                prop_assert!((0.0..=100.0 + 1e-9).contains(&fit));
            }
            prop_assert!((0.0..=100.0 + 1e-9).contains(&result.coverage));
        }

        #[test]
        fn raising_a_rating_never_lowers_the_fit(weights in any_weights(), raw in any_ratings(), which in any::<prop::sample::Index>()) {
            prop_assume!(!raw.is_empty());
            let i = which.index(raw.len());
            prop_assume!(raw[i].1 < 5);
            let before = fit(&requirements(&weights), &as_ratings(&raw)).fit;
            let mut raised = raw.clone();
            raised[i].1 += 1;
            let after = fit(&requirements(&weights), &as_ratings(&raised)).fit;
            if let (Some(before), Some(after)) = (before, after) {
                prop_assert!(after >= before - 1e-9, "{before} → {after}");
            }
        }

        #[test]
        fn scaling_all_weights_changes_nothing(weights in any_weights(), raw in any_ratings(), factor in 0.1f64..100.0) {
            let scaled: Vec<f64> = weights.iter().map(|w| w * factor).collect();
            let (original, rescaled) = (requirements(&weights), requirements(&scaled));
            let (a, b) = (fit(&original, &as_ratings(&raw)), fit(&rescaled, &as_ratings(&raw)));
            match (a.fit, b.fit) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-6),
                (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
            }
            prop_assert!((a.coverage - b.coverage).abs() < 1e-6);
        }

        #[test]
        fn a_zero_weight_competency_never_changes_the_fit(weights in any_weights(), raw in any_ratings(), score in 1u8..=5) {
            let mut with_zero = weights.clone();
            with_zero[3] = 0.0;
            let without: Vec<_> = raw.iter().copied().filter(|&(i, _)| i != 3).collect();
            let mut with_rating = without.clone();
            with_rating.push((3, score));
            let a = fit(&requirements(&with_zero), &as_ratings(&without)).fit;
            let b = fit(&requirements(&with_zero), &as_ratings(&with_rating)).fit;
            match (a, b) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-9),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
    }
}
