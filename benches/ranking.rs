//! Ranks 10,000 candidates with full fit results: 9 competencies, 3 scorecards each (every
//! interviewer rating every competency), as the comparison page of a very large profile would.
//! Target: ≤ 20 ms on the project's 2-core machine. Run with `cargo bench --bench ranking`.

use std::hint::black_box;

use amfit::domain::compare::compare;
use amfit::domain::scoring::{Rating, Requirement};
use criterion::{Criterion, criterion_group, criterion_main};

const COMPETENCIES: [&str; 9] = [
    "communication",
    "customer_service",
    "reliability",
    "relationship_building",
    "diligence",
    "efficiency",
    "commercial_sense",
    "delivery_coordination",
    "presentation",
];
const CANDIDATES: i64 = 10_000;
const SCORECARDS: usize = 3;

fn requirements() -> Vec<Requirement> {
    COMPETENCIES
        .iter()
        .enumerate()
        .map(|(i, &competency)| Requirement {
            competency: competency.to_owned(),
            weight: 2.0 + (i % 5) as f64,
            minimum: (i < 2).then_some(3.0),
        })
        .collect()
}

/// Deterministic ratings spread over the whole scale.
fn candidates() -> Vec<(i64, Vec<Rating<'static>>)> {
    (0..CANDIDATES)
        .map(|id| {
            let ratings = (0..SCORECARDS)
                .flat_map(|card| {
                    COMPETENCIES.iter().enumerate().map(move |(i, &competency)| {
                        let score = 1 + ((id as usize * 7 + card * 3 + i * 5) % 5) as u8;
                        Rating { competency, score }
                    })
                })
                .collect();
            (id, ratings)
        })
        .collect()
}

fn ranking(c: &mut Criterion) {
    let requirements = requirements();
    let candidates = candidates();
    c.bench_function("rank 10,000 candidates, 9 competencies, 3 scorecards", |b| {
        b.iter(|| compare(black_box(&requirements), black_box(&candidates)))
    });
}

criterion_group!(benches, ranking);
criterion_main!(benches);
