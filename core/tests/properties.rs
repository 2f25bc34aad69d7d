//! Property tests over random event sequences.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use coachflow::{Engagement, Event};
use common::{arb_sequence, full_engagement};
use proptest::prelude::*;
use serde_json::json;

fn state(engagement: &Engagement) -> String {
    serde_json::to_string(engagement).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Nothing panics; a rejected event changes nothing (compared as serialized state);
    /// replaying the applied events gives the same state; the log round-trips through JSON Lines.
    #[test]
    fn random_sequences_keep_the_engine_invariants((prefix, tail) in arb_sequence()) {
        let full = full_engagement();
        let mut engagement = Engagement::new("v-1");
        for raw in full.iter().take(prefix).chain(tail.iter()) {
            let Ok(event) = Event::from_value(raw) else { continue };
            let before = state(&engagement);
            let checked = engagement.check(&event);
            match engagement.apply(event) {
                Ok(applied) => prop_assert_eq!(checked, Ok(applied.warnings)),
                Err(rejection) => {
                    prop_assert!(!rejection.violations.is_empty());
                    prop_assert_eq!(checked, Err(rejection));
                    prop_assert_eq!(&before, &state(&engagement));
                }
            }
        }
        if !engagement.log().is_empty() {
            let replayed = Engagement::replay(engagement.log().iter().cloned()).unwrap();
            prop_assert_eq!(state(&replayed), state(&engagement));
        }

        let jsonl = engagement.to_jsonl();
        let reread = coachflow::log::read_log(jsonl.as_bytes());
        prop_assert!(reread.problems.is_empty());
        if engagement.is_opened() {
            prop_assert_eq!(reread.engagements.len(), 1);
            prop_assert_eq!(state(&reread.engagements[0]), state(&engagement));
            prop_assert_eq!(reread.engagements[0].to_jsonl(), jsonl);
        }
    }

    /// Arbitrary text never panics the parser, and what it accepts round-trips.
    #[test]
    fn arbitrary_text_never_panics_the_parser(text in ".{0,200}") {
        if let Ok(event) = Event::from_json(&text) {
            prop_assert_eq!(Event::from_json(&event.to_json()).unwrap(), event);
        }
    }

    /// Mangled real events (a field dropped or retyped) are rejected with codes, never panic.
    #[test]
    fn mangled_events_are_rejected_not_panicking(index in 0..83usize, field in 0..12usize, replacement in prop_oneof![Just(json!(null)), Just(json!(-1)), Just(json!("x")), Just(json!([])), Just(json!({}))]) {
        let mut event = full_engagement()[index].clone();
        let object = event.as_object_mut().unwrap();
        let keys: Vec<String> = object.keys().cloned().collect();
        let key = &keys[field % keys.len()];
        object.insert(key.clone(), replacement);
        if let Err(rejection) = Event::from_value(&event) {
            prop_assert!(!rejection.violations.is_empty());
        }
    }
}

#[test]
fn the_prefix_itself_is_a_valid_engagement() {
    let engagement = Engagement::replay(full_engagement().iter().map(|raw| Event::from_value(raw).unwrap())).unwrap();
    assert_eq!(engagement.stage(), coachflow::Stage::Completed);
    assert_eq!(engagement.log().len(), full_engagement().len());
}
