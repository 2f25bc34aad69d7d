//! Replay of a 1,000,000-event JSON Lines log of 10,000 interleaved engagements, against
//! parsing the same lines with serde_json alone (into `serde_json::Value`), in one run.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use coachflow::log::read_log;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn replay(c: &mut Criterion) {
    let engagements = std::env::var("COACHFLOW_BENCH_ENGAGEMENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let lines = coachflow_cli::generate::generate(engagements, 1);
    let text = lines.join("\n");
    let events = lines.len() as u64;
    eprintln!("replay benchmark: {engagements} engagements, {events} events, {} MB", text.len() / 1_000_000);
    let check = read_log(text.as_bytes());
    assert!(check.problems.is_empty(), "{:?}", check.problems.first());

    let mut group = c.benchmark_group("log of 10k engagements");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function("coachflow read_log (parse + every rule + fold)", |b| {
        b.iter(|| black_box(read_log(black_box(text.as_bytes()))).events_applied)
    });
    group.bench_function("serde_json alone: each line into serde_json::Value", |b| {
        b.iter(|| {
            let mut count = 0_u64;
            for line in black_box(&text).lines() {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                count += u64::from(value.is_object());
            }
            count
        })
    });
    group.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
