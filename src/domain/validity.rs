//! How well interview ratings predicted later performance: the correlation between the two over
//! the hires, a bootstrap interval around it, and the correction for range restriction (only
//! those hired are ever reviewed, so the ratings seen are narrower than the applicants').

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

/// Pearson's correlation of the pairs (interview rating, later review); `None` for fewer than
/// two pairs or when either side does not vary.
pub fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mean_x, mean_y) = pairs.iter().fold((0.0, 0.0), |(x, y), (px, py)| (x + px / n, y + py / n));
    let (mut covariance, mut spread_x, mut spread_y) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        let (dx, dy) = (x - mean_x, y - mean_y);
        covariance += dx * dy;
        spread_x += dx * dx;
        spread_y += dy * dy;
    }
    let denominator = (spread_x * spread_y).sqrt();
    (denominator > f64::EPSILON).then(|| (covariance / denominator).clamp(-1.0, 1.0))
}

/// The percentile bootstrap interval of the correlation at `level` (0.90 for 90 %): the pairs
/// resampled with replacement `resamples` times, from `seed`, so that a report says the same
/// each time it is read. Resamples whose correlation is undefined (every pair alike) are left
/// out; `None` when too few remain to say.
pub fn bootstrap_interval(pairs: &[(f64, f64)], level: f64, resamples: usize, seed: u64) -> Option<(f64, f64)> {
    if pairs.len() < 2 {
        return None;
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut sample = Vec::with_capacity(pairs.len());
    let mut estimates = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        sample.clear();
        sample.extend((0..pairs.len()).map(|_| pairs[rng.gen_range(0..pairs.len())]));
        estimates.extend(correlation(&sample));
    }
    if estimates.len() < resamples / 2 {
        return None;
    }
    estimates.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    let at = |share: f64| estimates[((estimates.len() - 1) as f64 * share).round() as usize];
    Some((at(tail), at(1.0 - tail)))
}

/// The correlation corrected for direct range restriction on the predictor (Thorndike's case
/// 2): `r` observed among those selected, whose ratings spread `selected_sd`, as it would be
/// among all applicants, whose ratings spread `applicants_sd`.
pub fn corrected_for_range_restriction(r: f64, applicants_sd: f64, selected_sd: f64) -> Option<f64> {
    if selected_sd <= f64::EPSILON || applicants_sd <= f64::EPSILON {
        return None;
    }
    let u = applicants_sd / selected_sd;
    Some((r * u / (1.0 - r * r + r * r * u * u).sqrt()).clamp(-1.0, 1.0))
}

/// The (sample) standard deviation of `values`; `None` for fewer than two.
pub fn standard_deviation(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    Some((values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn the_correlation_is_pearson_s_worked_by_hand() {
        // Means 3 and 4; the deviations' products sum to 6, their squares to 10 and 6:
        // r = 6 / sqrt(60) = 0.7746.
        let pairs = [(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)];
        assert!(close(correlation(&pairs).unwrap(), 0.774_597), "{:?}", correlation(&pairs));
        let reversed: Vec<(f64, f64)> = pairs.iter().map(|(x, y)| (*x, -y)).collect();
        assert!(close(correlation(&reversed).unwrap(), -0.774_597));
        assert_eq!(correlation(&[(1.0, 2.0)]), None, "one hire says nothing");
        assert_eq!(correlation(&[(3.0, 2.0), (3.0, 5.0), (3.0, 4.0)]), None, "ratings that do not vary");
    }

    #[test]
    fn range_restriction_is_corrected_as_thorndike_s_case_2_worked_by_hand() {
        // u = 1.5: 0.3 × 1.5 / sqrt(1 − 0.09 + 0.09 × 2.25) = 0.45 / sqrt(1.1125) = 0.42664.
        assert!(close(corrected_for_range_restriction(0.3, 1.5, 1.0).unwrap(), 0.426_641));
        assert!(close(corrected_for_range_restriction(0.3, 1.0, 1.0).unwrap(), 0.3), "no restriction, no change");
        assert_eq!(corrected_for_range_restriction(0.3, 1.0, 0.0), None);
        assert!(corrected_for_range_restriction(0.9, 10.0, 1.0).unwrap() <= 1.0);
    }

    #[test]
    fn the_standard_deviation_is_the_sample_s() {
        // Deviations from 3: squares 4, 1, 0, 1, 4 sum to 10; 10 / 4 = 2.5.
        assert!(close(standard_deviation(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap(), 2.5f64.sqrt()));
        assert_eq!(standard_deviation(&[4.0]), None);
    }

    #[test]
    fn the_bootstrap_interval_holds_the_estimate_is_the_same_from_its_seed_and_narrows_with_hires() {
        let pairs: Vec<(f64, f64)> =
            (0..20).map(|i| (f64::from(i % 5 + 1), f64::from((i * 7) % 5 + 1) + f64::from(i % 5) * 0.5)).collect();
        let r = correlation(&pairs).unwrap();
        let (low, high) = bootstrap_interval(&pairs, 0.90, 2_000, 7).unwrap();
        assert!(low <= r && r <= high, "{low} ≤ {r} ≤ {high}");
        assert_eq!(bootstrap_interval(&pairs, 0.90, 2_000, 7), Some((low, high)), "the same seed, the same interval");
        let many: Vec<(f64, f64)> = pairs.iter().cycle().take(200).copied().collect();
        let (many_low, many_high) = bootstrap_interval(&many, 0.90, 2_000, 7).unwrap();
        assert!(many_high - many_low < (high - low) / 2.0, "ten times the hires, a far narrower interval");
        assert_eq!(bootstrap_interval(&pairs[..1], 0.90, 100, 7), None);
    }
}
