//! Replay of a ~1,000,000-event JSON Lines log of 10,000 interleaved engagements, against
//! parsing the same lines with serde_json alone (each line into `serde_json::Value`).
//!
//! The two are measured in alternating rounds in one process, so both see the same machine
//! conditions; the medians and their ratio are printed. Set `COACHFLOW_BENCH_ENGAGEMENTS`
//! for a smaller file and `COACHFLOW_BENCH_ROUNDS` for more rounds.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use coachflow::log::read_log;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and wants a quick run.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let engagements = env_number("COACHFLOW_BENCH_ENGAGEMENTS", if quick { 50 } else { 10_000 });
    let rounds = env_number("COACHFLOW_BENCH_ROUNDS", if quick { 1 } else { 7 });
    let lines = coachflow_cli::generate::generate(engagements, 1);
    let text = lines.join("\n");
    let events = lines.len() as f64;
    println!(
        "replay: {engagements} engagements, {} events, {:.0} MB, {rounds} alternating rounds",
        lines.len(),
        text.len() as f64 / 1e6
    );
    let check = read_log(text.as_bytes());
    assert!(check.problems.is_empty(), "{:?}", check.problems.first());
    assert_eq!(check.events_applied as usize, lines.len());

    // The same events grouped by engagement: shows how much of the interleaved time is the
    // cost of hopping between thousands of engagements (cache misses), not rule work.
    let mut grouped_lines = lines.clone();
    grouped_lines.sort_by_cached_key(|line| {
        serde_json::from_str::<serde_json::Value>(line).unwrap()["engagement"].as_str().unwrap().to_owned()
    });
    let grouped = grouped_lines.join("\n");

    let (mut ours, mut ours_grouped, mut baseline) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Instant::now();
        black_box(read_log(black_box(text.as_bytes())).events_applied);
        ours.push(start.elapsed());

        let start = Instant::now();
        black_box(read_log(black_box(grouped.as_bytes())).events_applied);
        ours_grouped.push(start.elapsed());

        let start = Instant::now();
        let mut objects = 0_u64;
        for line in black_box(&text).lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            objects += u64::from(value.is_object());
        }
        black_box(objects);
        baseline.push(start.elapsed());
    }
    let rate = |samples: Vec<Duration>| events / median(samples).as_secs_f64();
    let (ours, ours_grouped, baseline) = (rate(ours), rate(ours_grouped), rate(baseline));
    println!("coachflow read_log, interleaved (parse, every rule, fold, keep the log): {ours:>10.0} events/s");
    println!("coachflow read_log, same events grouped by engagement:                  {ours_grouped:>10.0} events/s");
    println!("serde_json alone (each line into serde_json::Value):                    {baseline:>10.0} events/s");
    println!(
        "ratio coachflow / serde_json: {:.2}x interleaved, {:.2}x grouped",
        ours / baseline,
        ours_grouped / baseline
    );
}
