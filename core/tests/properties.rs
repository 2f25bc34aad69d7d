//! Property tests over random event sequences.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use coachflow::{Engagement, Event, EventBody};
use common::{arb_sequence, full_engagement};
use proptest::prelude::*;
use serde_json::{json, Value};

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
            let replayed = Engagement::replay(engagement.log().iter()).unwrap();
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

    /// Applying events as JSON text keeps the text: the state is the same as applying them
    /// as values, a rejected text changes nothing, and the log read back from the kept texts
    /// is exactly the applied events with their `seq`.
    #[test]
    fn a_log_kept_as_text_reads_back_as_the_applied_events((prefix, tail) in arb_sequence()) {
        let full = full_engagement();
        let (mut from_text, mut from_values) = (Engagement::new("v-1"), Engagement::new("v-1"));
        let mut applied = Vec::new();
        for raw in full.iter().take(prefix).chain(tail.iter()) {
            // Pretty-printed, so that the kept text is never the canonical form.
            let text = serde_json::to_string_pretty(raw).unwrap();
            let before = (state(&from_text), from_text.to_jsonl());
            let outcome = from_text.apply_json(&text);
            prop_assert_eq!(outcome.is_ok(), Event::from_value(raw).map(|event| from_values.apply(event)).is_ok_and(|r| r.is_ok()));
            match outcome {
                Ok(done) => {
                    let mut event = Event::from_json(&text).unwrap();
                    event.seq = Some(done.seq);
                    applied.push(event);
                }
                Err(_) => prop_assert_eq!(&before, &(state(&from_text), from_text.to_jsonl())),
            }
        }
        prop_assert_eq!(state(&from_text), state(&from_values));
        prop_assert_eq!(&from_text, &from_values);
        prop_assert_eq!(from_text.log().to_vec(), applied);
        prop_assert_eq!(from_text.to_jsonl(), from_values.to_jsonl());
    }

    /// Reading a log with decoding on other threads gives exactly what reading it line by
    /// line gives: the same engagements, problems and line numbers, in the same order.
    #[test]
    fn threaded_reading_equals_reading_line_by_line((prefix, tail) in arb_sequence(), junk in 0..6usize) {
        let full = full_engagement();
        let mut lines = Vec::new();
        for (index, raw) in full.iter().take(prefix).chain(tail.iter()).enumerate() {
            lines.push(raw.to_string());
            let mut other = raw.clone();
            other["engagement"] = json!("v-2");
            lines.push(other.to_string());
            if index % 7 == junk {
                lines.push(["{oops", "", "[1]", "\u{0}"][index % 4].to_owned());
            }
        }
        let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
        let mut replayer = coachflow::log::LogReplayer::new();
        for line in &lines {
            replayer.push_line(line);
        }
        let one_by_one = replayer.finish();
        // Small progress steps make small batches, so that many are in flight at once.
        let threaded = coachflow::log::read_log_with_progress(text.as_bytes(), &coachflow::Limits::default(), 300, |_| {});
        prop_assert_eq!(&threaded.problems, &one_by_one.problems);
        prop_assert_eq!((threaded.lines, threaded.events_applied), (one_by_one.lines, one_by_one.events_applied));
        prop_assert_eq!(threaded.engagements.iter().map(state).collect::<Vec<_>>(), one_by_one.engagements.iter().map(state).collect::<Vec<_>>());
        let validated = coachflow::log::validate_log(text.as_bytes(), &coachflow::Limits::default(), 300, |_| {});
        prop_assert_eq!(&validated.problems, &one_by_one.problems);
        let summaries: Vec<_> = validated.engagements.iter().map(|e| (e.id.clone(), e.stage, e.events)).collect();
        let expected: Vec<_> = one_by_one.engagements.iter().map(|e| (e.id().to_owned(), e.stage(), e.log().len())).collect();
        prop_assert_eq!(summaries, expected);
    }

    /// An engagement restored from a snapshot taken after any event, then given the later
    /// events, equals the engagement that applied them all (records, session ratings, log),
    /// and judges every later candidate alike.
    #[test]
    fn a_snapshot_plus_later_events_equals_the_replay((prefix, tail) in arb_sequence(), cut in 0..200usize) {
        let full = full_engagement();
        let mut engagement = Engagement::new("v-1");
        let mut snapshot = None;
        for raw in full.iter().take(prefix).chain(tail.iter()) {
            if engagement.log().len() == cut.min(prefix) && snapshot.is_none() {
                snapshot = Some(engagement.snapshot());
            }
            if let Ok(event) = Event::from_value(raw) {
                let _ = engagement.apply(event);
            }
        }
        let snapshot = snapshot.unwrap_or_else(|| engagement.snapshot());
        let texts: Vec<String> = engagement.log().iter().map(|event| event.to_json()).collect();
        let folded: usize = serde_json::from_str::<serde_json::Value>(&snapshot).unwrap()["events"].as_u64().unwrap() as usize;
        let mut restored = Engagement::restore(&snapshot, texts[..folded].iter().map(String::as_str)).unwrap();
        for text in &texts[folded..] {
            restored.apply_json(text).unwrap();
        }
        prop_assert_eq!(&restored, &engagement);
        prop_assert_eq!(restored.metrics(), engagement.metrics());
        for raw in &full {
            if let Ok(candidate) = Event::from_value(raw) {
                prop_assert_eq!(restored.check(&candidate), engagement.check(&candidate));
            }
        }
        let one_short = texts[..folded.saturating_sub(1)].iter().map(String::as_str);
        prop_assert!(folded == 0 || Engagement::restore(&snapshot, one_short).is_err());
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    /// A timestamp written `YYYY-MM-DDTHH:MM:SSZ`, which `Timestamp::parse` reads without
    /// chrono's parser, reads exactly as chrono reads it: the same instant and offset, or
    /// refused alike. Fields run past their ranges (month 13, day 31 of a short month,
    /// second 60, hour 24) and one byte may be replaced, so that both the shape checks and
    /// chrono's own answer for the near misses are compared.
    #[test]
    fn whole_seconds_utc_read_as_chrono_reads_them(
        year in 0..=9999u32,
        fields in proptest::array::uniform5(0..=99u32),
        replaced in proptest::option::of((0..20usize, prop_oneof![Just(b't'), Just(b'z'), Just(b' '), Just(b'+'), Just(b'9'), Just(b'-')])),
    ) {
        let [month, day, hour, minute, second] = fields;
        let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z").into_bytes();
        if let Some((index, byte)) = replaced {
            text[index] = byte;
        }
        let text = String::from_utf8(text).unwrap();
        let ours = coachflow::Timestamp::parse(&text).map(|timestamp| (timestamp.0, timestamp.0.offset().local_minus_utc()));
        let chrono = chrono::DateTime::parse_from_rfc3339(&text).map(|time| (time, time.offset().local_minus_utc()));
        prop_assert_eq!(ours.ok(), chrono.ok(), "{}", text);
    }

    /// A calendar date is read only when written `YYYY-MM-DD` (contract section 2, the
    /// schema's pattern), and then as chrono reads it: the same date, or refused alike for a
    /// date that does not exist. Unpadded parts, signs, spaces and other separators, which
    /// chrono's own reading takes, are refused.
    #[test]
    fn dates_read_as_chrono_reads_them_when_written_yyyy_mm_dd(
        year in 0..=9999u32,
        month in 0..=99u32,
        day in 0..=99u32,
        padded in any::<bool>(),
        replaced in proptest::option::of((0..10usize, prop_oneof![Just(b' '), Just(b'+'), Just(b'/'), Just(b'9'), Just(b'-')])),
    ) {
        let mut text = if padded { format!("{year:04}-{month:02}-{day:02}") } else { format!("{year}-{month}-{day}") }.into_bytes();
        if let Some((index, byte)) = replaced {
            if let Some(slot) = text.get_mut(index) {
                *slot = byte;
            }
        }
        let text = String::from_utf8(text).unwrap();
        let written_yyyy_mm_dd = text.len() == 10
            && text.bytes().enumerate().all(|(index, byte)| if index == 4 || index == 7 { byte == b'-' } else { byte.is_ascii_digit() });
        let expected = if written_yyyy_mm_dd { text.parse::<chrono::NaiveDate>().ok() } else { None };
        prop_assert_eq!(coachflow::boundary::parse_date(&text).ok(), expected, "{}", text);
    }

    /// `Scores` reads, keeps and writes a JSON object of numbers as a `BTreeMap` does: the
    /// same items in the same order, the last score of a name given twice, and the same
    /// text written.
    #[test]
    fn scores_behave_as_a_map_of_names(
        items in proptest::collection::vec(("[a-d]{0,3}", (-4000..4000i32).prop_map(|n| f64::from(n) / 4.0)), 0..12),
    ) {
        let text = format!("{{{}}}", items.iter().map(|(name, score)| format!("{}:{score}", Value::from(name.as_str()))).collect::<Vec<_>>().join(","));
        let scores: coachflow::event::Scores = serde_json::from_str(&text).unwrap();
        let map: std::collections::BTreeMap<String, f64> = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(scores.iter().map(|(name, score)| (name.to_owned(), score)).collect::<Vec<_>>(), map.clone().into_iter().collect::<Vec<_>>());
        prop_assert_eq!(serde_json::to_string(&scores).unwrap(), serde_json::to_string(&map).unwrap());
        for (name, _) in &items {
            prop_assert_eq!(scores.get(name), map.get(name).copied());
        }
        let collected: coachflow::event::Scores = items.iter().cloned().collect();
        prop_assert_eq!(collected, scores);
    }

    /// A timestamp is written as chrono writes it (RFC 3339, `Z` for UTC, fractions only
    /// when there are any), whether or not it is the whole-second UTC shape that is written
    /// without chrono: years past 9999 and before 0, leap seconds, offsets and fractions
    /// included.
    #[test]
    fn whole_seconds_utc_written_as_chrono_writes_them(
        seconds in -70_000_000_000i64..=260_000_000_000,
        nanos in prop_oneof![Just(0u32), 0..2_000_000_000u32],
        offset in prop_oneof![Just(0i32), -86_399..=86_399i32],
    ) {
        let offset = chrono::FixedOffset::east_opt(offset).unwrap();
        if let Some(time) = chrono::DateTime::from_timestamp(seconds, nanos) {
            let timestamp = coachflow::Timestamp(time.with_timezone(&offset));
            let chrono = timestamp.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            prop_assert_eq!(timestamp.to_string(), chrono.clone());
            prop_assert_eq!(serde_json::to_value(timestamp).unwrap(), Value::String(chrono));
        }
    }
}

#[test]
fn the_prefix_itself_is_a_valid_engagement() {
    let engagement = Engagement::replay(full_engagement().iter().map(|raw| Event::from_value(raw).unwrap())).unwrap();
    assert_eq!(engagement.stage(), coachflow::Stage::Completed);
    assert_eq!(engagement.log().len(), full_engagement().len());
}

#[test]
fn a_recorded_step_reads_back_and_is_written_with_its_own_fields_whatever_the_key_order() {
    let full = full_engagement();
    // Keys sorted (serde_json's `Value` writes them so) and the canonical order.
    let sorted: Vec<String> = full.iter().map(Value::to_string).collect();
    let canonical: Vec<String> = full.iter().map(|raw| Event::from_value(raw).unwrap().to_json()).collect();
    for lines in [sorted, canonical] {
        let engagement = Engagement::replay_jsonl(&lines.join("\n")).unwrap();
        let mut steps = 0;
        for step in engagement.sessions().iter().flat_map(|session| &session.steps) {
            let logged = engagement.log().get(usize::try_from(step.seq).unwrap() - 1).unwrap();
            let EventBody::ScriptStep(recorded) = logged.body else { panic!("seq {} is not a script step", step.seq) };
            let written = serde_json::to_value(engagement.step_fields(step).unwrap()).unwrap();
            assert_eq!(written, serde_json::to_value(&recorded.content).unwrap(), "a view writes the decoded fields");
            assert_eq!(engagement.step_content(step), Some(recorded.content));
            steps += 1;
        }
        assert!(steps >= 20, "{steps} steps");
    }
}
