//! Views of 10,000 engagements for each role, and `metrics()` for them.
//! Target: under 5 µs per engagement view on average.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use coachflow::log::read_log;
use coachflow::Role;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let engagements: u64 = std::env::var("COACHFLOW_BENCH_ENGAGEMENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if quick { 50 } else { 10_000 });
    let text = coachflow_cli::generate::generate(engagements, 1).join("\n");
    let replay = read_log(text.as_bytes());
    assert!(replay.problems.is_empty());
    let count = replay.engagements.len() as f64;
    println!("views: {} engagements, {} events", replay.engagements.len(), replay.events_applied);
    let rounds = if quick { 1 } else { 5 };
    for role in Role::ALL {
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let start = Instant::now();
            for engagement in &replay.engagements {
                black_box(engagement.view_as(*role).unwrap());
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        let mut json_best = f64::MAX;
        for _ in 0..rounds {
            let start = Instant::now();
            for engagement in &replay.engagements {
                black_box(engagement.view_as(*role).unwrap().to_json());
            }
            json_best = json_best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "view_as({:<13}) {:>6.2} µs per engagement; with JSON text {:>6.2} µs",
            role.as_str(),
            best / count * 1e6,
            json_best / count * 1e6
        );
    }
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        for engagement in &replay.engagements {
            black_box(engagement.metrics());
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("metrics()            {:>6.2} µs per engagement", best / count * 1e6);
}
