//! Comparing candidates for one role profile: their ranking by fit, and whether that ranking
//! survives a different weighting.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::scoring::{FitResult, Rating, Requirement, fit, weighted};

/// How much each weight moves when the ranking is tested.
pub const PERTURBATION: f64 = 0.2;
/// How many joint perturbations (every weight moved at once, at random) are tried.
pub const JOINT_TRIALS: usize = 200;
/// Fixed ("amfit" in ASCII), so the same data always gets the same verdict.
const SEED: u64 = 0x0061_6d66_6974;
/// Below this coverage (the share of the profile's weight rated at all) a fit says too little
/// to rank by: fewer than three fifths of what the role asks for has been seen.
pub const LOW_COVERAGE: f64 = 60.0;
/// How many of the best candidates the robustness check watches: the shortlist.
pub const LEADERS: usize = 3;

named_choice!(
    /// Where a candidate stands in the comparison; in this order on the page.
    Standing, "standing" {
        /// Scored, no must-have below its minimum, and enough of the weight rated.
        Contender,
        /// A must-have below its minimum, whatever the fit.
        KnockedOut,
        /// Scored, but on too little of the role to rank by.
        LowCoverage,
        /// No weighted competency rated yet.
        Unscored,
    }
);

impl Standing {
    pub fn of(result: &FitResult) -> Self {
        if result.fit.is_none() {
            Standing::Unscored
        } else if !result.knockouts.is_empty() {
            Standing::KnockedOut
        } else if result.coverage < LOW_COVERAGE {
            Standing::LowCoverage
        } else {
            Standing::Contender
        }
    }
}

/// One candidate's full fit, for the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedCandidate<'a> {
    pub id: i64,
    pub standing: Standing,
    pub result: FitResult<'a>,
}

/// Every candidate's fit with everything behind it: contenders best first, then those set
/// apart (knocked out, low coverage, each by fit), then the unscored.
pub fn compare<'a>(requirements: &'a [Requirement], candidates: &[(i64, Vec<Rating>)]) -> Vec<RankedCandidate<'a>> {
    let mut ranked: Vec<RankedCandidate> = candidates
        .iter()
        .map(|(id, ratings)| {
            let result = fit(requirements, ratings);
            RankedCandidate { id: *id, standing: Standing::of(&result), result }
        })
        .collect();
    // Ties are broken by id, so the unstable sort gives the one order there is.
    ranked
        .sort_unstable_by(|a, b| a.standing.cmp(&b.standing).then(by_fit((a.id, a.result.fit), (b.id, b.result.fit))));
    ranked
}

/// Best fit first, unscored last, ties and the unscored in id order.
fn by_fit(a: (i64, Option<f64>), b: (i64, Option<f64>)) -> std::cmp::Ordering {
    match (a.1, b.1) {
        (Some(x), Some(y)) => y.total_cmp(&x).then(a.0.cmp(&b.0)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    }
}

/// The contenders' weights and means, as the robustness check takes them.
pub fn contenders<'r, 'a: 'r>(
    requirements: &[Requirement],
    ranked: impl IntoIterator<Item = &'r RankedCandidate<'a>>,
) -> (Vec<f64>, Vec<CandidateMeans>) {
    let weights = requirements.iter().map(|r| r.weight).collect();
    let means = ranked
        .into_iter()
        .filter(|c| c.standing == Standing::Contender)
        .map(|c| CandidateMeans { id: c.id, means: c.result.competencies.iter().map(|s| s.mean).collect() })
        .collect();
    (weights, means)
}

/// One candidate's mean rating per competency, in the order of the weights it is ranked by.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateMeans {
    pub id: i64,
    pub means: Vec<Option<f64>>,
}

/// The candidates' ids by fit, best first; unscored candidates last, in id order.
pub fn rank(weights: &[f64], candidates: &[CandidateMeans]) -> Vec<(i64, Option<f64>)> {
    let mut ranked: Vec<(i64, Option<f64>)> =
        candidates.iter().map(|c| (c.id, weighted(weights.iter().copied().zip(c.means.iter().copied())).0)).collect();
    ranked.sort_by(|a, b| by_fit(*a, *b));
    ranked
}

/// A change of weights that reorders the leaders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swap {
    /// The index of the weight moved, or `None` for a joint perturbation.
    pub weight: Option<usize>,
    /// The factor it was multiplied by (0.8 or 1.2); `None` for a joint perturbation.
    pub factor: Option<f64>,
    /// The candidate who was ahead, and the one who overtakes them.
    pub ahead: i64,
    pub overtaken_by: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Robustness {
    /// No tested weighting changes the order of the leaders.
    Stable,
    /// These weightings would; the single-weight ones first.
    Fragile { swaps: Vec<Swap> },
    /// Fewer than two candidates can be ranked: there is no order to test.
    TooFew,
}

/// Whether the order of the `leaders` best-ranked scored candidates survives each weight
/// moving by ±20 % on its own, and [`JOINT_TRIALS`] random moves of all weights at once.
pub fn robustness(weights: &[f64], candidates: &[CandidateMeans], leaders: usize) -> Robustness {
    let baseline: Vec<i64> = leading(weights, candidates, leaders);
    if baseline.len() < 2 {
        return Robustness::TooFew;
    }
    let mut swaps = Vec::new();
    for index in 0..weights.len() {
        for factor in [1.0 - PERTURBATION, 1.0 + PERTURBATION] {
            let mut moved = weights.to_vec();
            moved[index] *= factor;
            if let Some((ahead, overtaken_by)) = first_swap(&baseline, &leading(&moved, candidates, leaders)) {
                swaps.push(Swap { weight: Some(index), factor: Some(factor), ahead, overtaken_by });
            }
        }
    }
    let mut random = StdRng::seed_from_u64(SEED);
    for _ in 0..JOINT_TRIALS {
        let moved: Vec<f64> =
            weights.iter().map(|w| w * random.gen_range(1.0 - PERTURBATION..=1.0 + PERTURBATION)).collect();
        if let Some((ahead, overtaken_by)) = first_swap(&baseline, &leading(&moved, candidates, leaders)) {
            let swap = Swap { weight: None, factor: None, ahead, overtaken_by };
            if !swaps.iter().any(|s| s.ahead == ahead && s.overtaken_by == overtaken_by) {
                swaps.push(swap);
            }
        }
    }
    if swaps.is_empty() { Robustness::Stable } else { Robustness::Fragile { swaps } }
}

/// The ids of the first `leaders` scored candidates. Runs for every tested weighting, so it
/// selects the leaders rather than sorting everyone.
fn leading(weights: &[f64], candidates: &[CandidateMeans], leaders: usize) -> Vec<i64> {
    let mut scored: Vec<(i64, f64)> = candidates
        .iter()
        .filter_map(|c| weighted(weights.iter().copied().zip(c.means.iter().copied())).0.map(|fit| (c.id, fit)))
        .collect();
    let best_first = |a: &(i64, f64), b: &(i64, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if scored.len() > leaders {
        scored.select_nth_unstable_by(leaders, best_first);
        scored.truncate(leaders);
    }
    scored.sort_unstable_by(best_first);
    scored.into_iter().map(|(id, _)| id).collect()
}

/// The first pair (in `before`'s order) whose order `after` reverses or that `after` breaks.
fn first_swap(before: &[i64], after: &[i64]) -> Option<(i64, i64)> {
    before.iter().zip(after).find(|(b, a)| b != a).map(|(&ahead, &overtaken_by)| (ahead, overtaken_by))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: i64, means: &[f64]) -> CandidateMeans {
        CandidateMeans { id, means: means.iter().map(|&m| Some(m)).collect() }
    }

    #[test]
    fn ranking_is_by_fit_with_unscored_last() {
        let weights = [5.0, 5.0];
        let candidates =
            [candidate(1, &[3.0, 3.0]), CandidateMeans { id: 2, means: vec![None, None] }, candidate(3, &[5.0, 4.0])];
        let ranked = rank(&weights, &candidates);
        assert_eq!(ranked.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 1, 2]);
        assert_eq!(ranked[2].1, None, "unscored, not 0");
        assert_eq!(ranked[1].1, Some(50.0));
    }

    #[test]
    fn compare_carries_the_full_fit_and_ranks_like_rank() {
        let requirements = [
            Requirement { competency: "communication".into(), weight: 5.0, minimum: Some(3.0) },
            Requirement { competency: "diligence".into(), weight: 3.0, minimum: None },
        ];
        let rate = |competency, score| Rating { competency, score };
        let candidates = vec![
            (1, vec![rate("communication", 2), rate("diligence", 5)]),
            (2, vec![]),
            (3, vec![rate("communication", 4), rate("diligence", 4)]),
        ];
        let ranked = compare(&requirements, &candidates);
        assert_eq!(ranked.iter().map(|r| r.id).collect::<Vec<_>>(), [3, 1, 2]);
        assert_eq!(ranked[1].result.knockouts, ["communication"], "the knockout travels with the rank");
        assert_eq!(ranked[2].result.fit, None);
        let standings: Vec<_> = ranked.iter().map(|r| r.standing).collect();
        assert_eq!(standings, [Standing::Contender, Standing::KnockedOut, Standing::Unscored]);
    }

    #[test]
    fn those_set_apart_follow_the_contenders_whatever_their_fit() {
        let requirements = [
            Requirement { competency: "communication".into(), weight: 5.0, minimum: Some(3.0) },
            Requirement { competency: "diligence".into(), weight: 5.0, minimum: None },
        ];
        let rate = |competency, score| Rating { competency, score };
        let candidates = vec![
            // Knocked out with a high fit: 2 on communication, 5 on diligence → 62.5.
            (1, vec![rate("communication", 2), rate("diligence", 5)]),
            // Only half the weight rated (coverage 50 < 60), though a perfect 5.
            (2, vec![rate("diligence", 5)]),
            // A modest contender: 3 and 3 → 50.
            (3, vec![rate("communication", 3), rate("diligence", 3)]),
        ];
        let ranked = compare(&requirements, &candidates);
        assert_eq!(
            ranked.iter().map(|r| (r.id, r.standing)).collect::<Vec<_>>(),
            [(3, Standing::Contender), (1, Standing::KnockedOut), (2, Standing::LowCoverage)]
        );
        let (weights, means) = contenders(&requirements, &ranked);
        assert_eq!(weights, [5.0, 5.0]);
        assert_eq!(means, [CandidateMeans { id: 3, means: vec![Some(3.0), Some(3.0)] }]);
    }

    #[test]
    fn a_clear_lead_is_stable() {
        let weights = [5.0, 5.0, 3.0];
        let candidates =
            [candidate(1, &[5.0, 5.0, 5.0]), candidate(2, &[3.0, 3.0, 3.0]), candidate(3, &[1.0, 2.0, 1.0])];
        assert_eq!(robustness(&weights, &candidates, 3), Robustness::Stable);
    }

    #[test]
    fn a_close_race_names_the_weight_that_would_swap_it() {
        // Candidate 1 leads on the first competency, 2 on the second; with equal weights 1 is
        // ahead by a hair, and 20 % more weight on the second competency puts 2 in front.
        let weights = [5.0, 5.0];
        let candidates = [candidate(1, &[5.0, 3.0]), candidate(2, &[3.1, 4.8])];
        let Robustness::Fragile { swaps } = robustness(&weights, &candidates, 2) else {
            panic!("a near tie is not stable");
        };
        let single = &swaps[0];
        assert_eq!((single.ahead, single.overtaken_by), (1, 2));
        assert!(swaps.iter().any(|s| s.weight == Some(1) && s.factor == Some(1.2)));
        assert!(swaps.iter().all(|s| s.weight != Some(1) || s.factor != Some(0.8)), "less weight there only helps 1");
    }

    #[test]
    fn one_scored_candidate_has_no_order_to_test() {
        let unscored = CandidateMeans { id: 2, means: vec![None, None] };
        assert_eq!(robustness(&[5.0, 5.0], &[candidate(1, &[4.0, 4.0]), unscored], 3), Robustness::TooFew);
        assert_eq!(robustness(&[5.0, 5.0], &[], 3), Robustness::TooFew);
    }

    #[test]
    fn the_verdict_is_the_same_every_time() {
        let weights = [4.0, 6.0, 2.0, 3.0];
        let candidates = [
            candidate(1, &[4.0, 3.5, 2.0, 5.0]),
            candidate(2, &[3.5, 4.0, 4.0, 3.0]),
            candidate(3, &[4.5, 3.0, 3.0, 4.0]),
        ];
        assert_eq!(robustness(&weights, &candidates, 3), robustness(&weights, &candidates, 3));
    }

    proptest::proptest! {
        #[test]
        fn selecting_the_leaders_agrees_with_the_full_ranking(
            weights in proptest::collection::vec(0.0f64..10.0, 3),
            means in proptest::collection::vec(proptest::collection::vec(proptest::option::of(1.0f64..5.0), 3), 0..12),
            leaders in 0usize..5,
        ) {
            let candidates: Vec<CandidateMeans> =
                means.into_iter().enumerate().map(|(id, means)| CandidateMeans { id: id as i64, means }).collect();
            let ranked: Vec<i64> = rank(&weights, &candidates)
                .into_iter()
                .filter(|(_, fit)| fit.is_some())
                .take(leaders)
                .map(|(id, _)| id)
                .collect();
            proptest::prop_assert_eq!(leading(&weights, &candidates, leaders), ranked);
        }
    }
}
