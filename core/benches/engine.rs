//! Engine micro-benchmarks: `check` of a guarded stage change and `apply` of a script step.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use coachflow::{Engagement, Event};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use serde_json::Value;

/// The complete default engagement of the conformance vectors (6 sessions).
fn events() -> Vec<Event> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/whole_engagements.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["vectors"][0]["events"].as_array().unwrap().iter().map(|raw| Event::from_value(raw).unwrap()).collect()
}

/// The engagement up to (not including) the first event matching `stop`, and that event.
fn engagement_before(stop: impl Fn(&Event) -> bool) -> (Engagement, Event) {
    let mut engagement = Engagement::new("v-1");
    for event in events() {
        if stop(&event) {
            return (engagement, event);
        }
        engagement.apply(event).unwrap();
    }
    panic!("no matching event")
}

fn engine(c: &mut Criterion) {
    let (coaching, advance) = engagement_before(|event| event.to_json().contains(r#""to":"final_review""#));
    assert_eq!(coaching.sessions_held(), 6);
    assert!(coaching.check(&advance).is_ok());
    c.bench_function("check stage_advanced to final_review (6 sessions held)", |b| {
        b.iter(|| black_box(coaching.check(black_box(&advance))))
    });
    c.bench_function("requirements(final_review)", |b| {
        b.iter(|| black_box(coaching.requirements(black_box(coachflow::Stage::FinalReview))))
    });

    let (in_session, step) = engagement_before(|event| event.to_json().contains(r#""step":"coaching""#));
    c.bench_function("apply script_step", |b| {
        b.iter_batched_ref(
            || (in_session.clone(), step.clone()),
            |(engagement, step)| black_box(engagement.apply(step.clone())),
            BatchSize::SmallInput,
        )
    });
    let line = step.to_json();
    c.bench_function("parse one script_step line", |b| b.iter(|| black_box(Event::from_json(black_box(&line)))));
}

criterion_group!(benches, engine);
criterion_main!(benches);
