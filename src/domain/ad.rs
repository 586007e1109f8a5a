//! Job ads written from a role profile. This part chooses what the ad asks of the candidate:
//! the profile's heaviest competencies, must-haves apart from nice-to-haves.

use super::rubric::{Competency, DerivedWeight};

/// The most requirements an ad lists, must-haves and nice-to-haves together: long lists of
/// requirements deter qualified applicants, women more than men (../shared/DOMAIN.md).
pub const REQUIREMENTS_MAX: usize = 6;

/// What the ad asks for, each list heaviest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirements<'r> {
    pub must_haves: Vec<&'r Competency>,
    pub nice_to_haves: Vec<&'r Competency>,
}

/// At most [`REQUIREMENTS_MAX`] requirements from `weights` (heaviest first, as
/// [`Rubric::weigh`](super::rubric::Rubric::weigh) gives them): must-haves first and never
/// dropped for a nice-to-have; a competency weighted 0 is never asked for.
pub fn requirements<'r>(weights: &[DerivedWeight<'r>]) -> Requirements<'r> {
    let weighted = || weights.iter().filter(|w| w.weight > 0);
    let must_haves: Vec<&Competency> =
        weighted().filter(|w| w.minimum.is_some()).map(|w| w.competency).take(REQUIREMENTS_MAX).collect();
    let room = REQUIREMENTS_MAX - must_haves.len();
    let nice_to_haves = weighted().filter(|w| w.minimum.is_none()).map(|w| w.competency).take(room).collect();
    Requirements { must_haves, nice_to_haves }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::demo_companies;

    fn rubric() -> crate::domain::rubric::Rubric {
        crate::rubrics::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics")).unwrap()
    }

    fn ids(competencies: &[&Competency]) -> Vec<String> {
        competencies.iter().map(|c| c.id.clone()).collect()
    }

    #[test]
    fn must_haves_come_apart_and_six_requirements_at_most() {
        let rubric = rubric();
        for (company, profile) in demo_companies(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()) {
            let weights = rubric.weigh(&company, &profile, &[]);
            let chosen = requirements(&weights);
            assert!(chosen.must_haves.len() + chosen.nice_to_haves.len() <= REQUIREMENTS_MAX);
            let must: Vec<String> =
                weights.iter().filter(|w| w.minimum.is_some()).map(|w| w.competency.id.clone()).collect();
            assert_eq!(ids(&chosen.must_haves), must, "every must-have, in weight order");
            let heaviest_others: Vec<String> = weights
                .iter()
                .filter(|w| w.minimum.is_none() && w.weight > 0)
                .map(|w| w.competency.id.clone())
                .take(REQUIREMENTS_MAX - must.len())
                .collect();
            assert_eq!(ids(&chosen.nice_to_haves), heaviest_others);
        }
    }

    #[test]
    fn too_many_must_haves_keep_the_heaviest_and_zero_weights_are_never_asked_for() {
        let rubric = rubric();
        let (company, profile) = demo_companies(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).remove(0);
        let mut weights = rubric.weigh(&company, &profile, &[]);
        for w in &mut weights {
            w.minimum = Some(3);
        }
        // The heaviest competency weighted 0 by an override: it drops out, the next six stay.
        weights[0].weight = 0;
        let chosen = requirements(&weights);
        assert_eq!(chosen.must_haves.len(), REQUIREMENTS_MAX);
        assert!(chosen.nice_to_haves.is_empty());
        let expected: Vec<&Competency> = weights[1..=REQUIREMENTS_MAX].iter().map(|w| w.competency).collect();
        assert_eq!(ids(&chosen.must_haves), ids(&expected));
    }
}
