//! Replays the kept fuzz corpus (`core/tests/fuzz-regressions/<target>/`) through the same
//! checks the fuzz targets run, so everything the fuzzers once found stays fixed. The
//! harness is shared with `fuzz/fuzz_targets/`; FUZZING.md says how to grow the corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../../fuzz/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::collections::BTreeSet;
use std::path::Path;

fn replay_kept(target: &str, check: fn(&[u8])) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions").join(target);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{target}: the kept input {} fails again", path.display());
        inputs += 1;
    }
    assert!(inputs > 0, "{target}: the kept corpus in {} is empty", folder.display());
}

#[test]
fn kept_log_replay_inputs_still_pass() {
    replay_kept("log_replay", harness::log_replay);
}

#[test]
fn kept_apply_check_inputs_still_pass() {
    replay_kept("apply_check", harness::apply_check);
}

#[test]
fn kept_views_inputs_still_pass() {
    replay_kept("views", harness::views);
}

/// The structured targets are only as good as the events they make: random inputs must get
/// at least half of the event types past every rule, not just past the parser.
#[test]
fn structured_inputs_reach_many_accepted_event_types() {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut accepted = BTreeSet::new();
    for _ in 0..6000 {
        let data: Vec<u8> = (0..400)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        harness::scenario_engagement(&data, |engagement, event| {
            let kind = event.event_type();
            if engagement.apply(event).is_ok() {
                accepted.insert(kind);
            }
        });
    }
    let all = coachflow::EventType::ALL.len();
    assert!(accepted.len() * 2 >= all, "only {} of {all} event types were ever accepted: {accepted:?}", accepted.len());
}
