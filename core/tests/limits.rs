//! Each size cap of `Limits`: at the cap the input is accepted, one over it is a
//! `limit_exceeded` rejection (with the line number in a log), and nothing else is lost.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use coachflow::log::{read_log_with_progress, LogReplayer};
use coachflow::{Code, Engagement, Event, Limits};
use serde_json::{json, Value};
use std::io::{BufReader, Read};

fn opened(engagement: &str) -> Value {
    json!({"engagement": engagement, "at": "2026-01-05T09:00:00Z", "actor": "cleo",
        "type": "engagement_opened", "coachee": "cleo", "supervisor": "sam", "coach": "kim"})
}

fn discussed(notes: &str) -> Value {
    json!({"engagement": "e", "at": "2026-01-05T10:00:00Z", "actor": "cleo",
        "type": "preliminary_goals_discussed", "notes": notes})
}

fn engagement_with(limits: Limits) -> Engagement {
    let mut engagement = Engagement::new("e").with_limits(limits);
    engagement.apply(Event::from_value(&opened("e")).unwrap()).unwrap();
    engagement
}

fn rejected_code(engagement: &mut Engagement, event: &Value) -> Option<Code> {
    let event = Event::from_value(event).unwrap();
    let before = engagement.log().len();
    let result = engagement.apply(event).err().map(|rejection| rejection.codes());
    if result.is_some() {
        assert_eq!(engagement.log().len(), before, "a rejected event was kept");
    }
    result.map(|codes| {
        assert_eq!(codes.len(), 1, "a limit finding comes alone: {codes:?}");
        codes[0]
    })
}

#[test]
fn defaults_are_the_documented_ones_and_json_fills_in_the_rest() {
    let limits = Limits::default();
    assert_eq!(limits.max_line_bytes, 1 << 20);
    assert_eq!(limits.max_events_per_engagement, 100_000);
    assert_eq!(limits.max_text_chars, 65_536);
    assert_eq!(limits.max_list_items, 1_000);
    assert_eq!(limits.max_engagements, 1_000_000);
    let partial: Limits = serde_json::from_str(r#"{"max_text_chars": 10}"#).unwrap();
    assert_eq!(partial, Limits { max_text_chars: 10, ..Limits::default() });
    let error = serde_json::from_str::<Limits>(r#"{"max_text_char": 10}"#).unwrap_err().to_string();
    assert!(error.contains("unknown field `max_text_char`"), "{error}");
}

#[test]
fn text_cap_counts_characters_not_bytes_and_names_the_field() {
    let mut engagement = engagement_with(Limits { max_text_chars: 10, ..Limits::default() });
    assert_eq!(rejected_code(&mut engagement, &discussed("ééééééééééé")), Some(Code::LimitExceeded));
    let event = Event::from_value(&discussed("ééééééééééé")).unwrap();
    let message = engagement.check(&event).unwrap_err().violations[0].message.clone();
    assert!(message.contains("`notes`") && message.contains("11 characters") && message.contains("10"), "{message}");
    // Ten two-byte characters are twenty bytes, and still within a cap of ten characters.
    assert_eq!(rejected_code(&mut engagement, &discussed("éééééééééé")), None);
}

#[test]
fn text_cap_covers_ids_meta_keys_and_nested_values() {
    let limits = Limits { max_text_chars: 8, ..Limits::default() };
    let mut engagement = engagement_with(limits);
    let mut long_actor = discussed("ok");
    long_actor["actor"] = json!("cleo-the-coachee");
    assert_eq!(rejected_code(&mut engagement, &long_actor), Some(Code::LimitExceeded));
    let mut long_meta_key = discussed("ok");
    long_meta_key["meta"] = json!({"a-very-long-key": 1});
    assert_eq!(rejected_code(&mut engagement, &long_meta_key), Some(Code::LimitExceeded));
    let mut nested = discussed("ok");
    nested["meta"] = json!({"k": [{"deep": "far too long"}]});
    assert_eq!(rejected_code(&mut engagement, &nested), Some(Code::LimitExceeded));
    let mut short_meta = discussed("ok");
    short_meta["meta"] = json!({"k": ["fine"]});
    assert_eq!(rejected_code(&mut engagement, &short_meta), None);
}

#[test]
fn list_cap_covers_payload_lists_and_meta_objects() {
    let limits = Limits { max_list_items: 3, ..Limits::default() };
    let mut engagement = Engagement::new("e").with_limits(limits);
    let mut four_admins = opened("e");
    four_admins["program_admins"] = json!(["a", "b", "c", "d"]);
    assert_eq!(rejected_code(&mut engagement, &four_admins), Some(Code::LimitExceeded));
    let mut three_admins = opened("e");
    three_admins["program_admins"] = json!(["a", "b", "c"]);
    assert_eq!(rejected_code(&mut engagement, &three_admins), None);
    let mut big_meta = discussed("ok");
    big_meta["meta"] = json!({"a": 1, "b": 2, "c": 3, "d": 4});
    assert_eq!(rejected_code(&mut engagement, &big_meta), Some(Code::LimitExceeded));
}

#[test]
fn event_cap_rejects_the_next_event_with_its_index() {
    let limits = Limits { max_events_per_engagement: 2, ..Limits::default() };
    let events = [opened("e"), discussed("one"), discussed("two")];
    let error = Engagement::replay_with_limits(events.iter().map(|event| Event::from_value(event).unwrap()), &limits)
        .unwrap_err();
    assert_eq!((error.index, error.rejection.codes()), (2, vec![Code::LimitExceeded]));
    let engagement =
        Engagement::replay_with_limits(events.iter().take(2).map(|e| Event::from_value(e).unwrap()), &limits);
    assert_eq!(engagement.unwrap().log().len(), 2);
}

#[test]
fn line_cap_in_a_log_reports_the_line_and_keeps_reading() {
    let limits = Limits { max_line_bytes: 300, ..Limits::default() };
    let long = discussed(&"x".repeat(400)).to_string();
    let log = format!("{}\n{long}\n{}\n", opened("e"), discussed("short"));
    let replay = read_log_with_progress(log.as_bytes(), &limits, u64::MAX, |_| {});
    assert_eq!(replay.events_applied, 2);
    assert_eq!(replay.problems.len(), 1);
    assert_eq!((replay.problems[0].line, replay.problems[0].violations[0].code), (2, Code::LimitExceeded));
    assert!(replay.problems[0].violations[0].message.contains(&format!("{} bytes", long.len())));
    // The same cap for one engagement's text, and for a reader fed line by line.
    let error = Engagement::replay_jsonl_with_limits(&log, &limits).unwrap_err();
    assert_eq!((error.index, error.rejection.codes()), (1, vec![Code::LimitExceeded]));
    let mut reader = LogReplayer::with_limits(limits);
    log.lines().for_each(|line| reader.push_line(line));
    assert_eq!(reader.finish().problems[0].line, 2);
}

/// An endless line of `x` bytes, `length` long, then a valid event.
struct HugeLine {
    left: usize,
    tail: std::io::Cursor<Vec<u8>>,
}

impl Read for HugeLine {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return self.tail.read(buffer);
        }
        let count = buffer.len().min(self.left);
        buffer[..count].fill(b'x');
        self.left -= count;
        Ok(count)
    }
}

#[test]
fn a_line_far_over_the_cap_is_skipped_without_being_held() {
    // 64 MiB on one line, read through a 64 KiB buffer: the reader keeps at most
    // max_line_bytes + 1 bytes of it, then reads on.
    let length = 64 << 20;
    let tail = format!("\n{}\n", opened("e")).into_bytes();
    let reader = BufReader::with_capacity(1 << 16, HugeLine { left: length, tail: std::io::Cursor::new(tail) });
    let replay = read_log_with_progress(reader, &Limits::default(), u64::MAX, |_| {});
    assert_eq!(replay.lines, 2);
    assert_eq!(replay.events_applied, 1);
    let problem = &replay.problems[0];
    assert_eq!((problem.line, problem.violations[0].code), (1, Code::LimitExceeded));
    assert!(problem.violations[0].message.contains(&format!("{length} bytes")), "{}", problem.violations[0].message);
}

#[test]
fn engagement_cap_refuses_lines_of_one_engagement_too_many() {
    let limits = Limits { max_engagements: 2, ..Limits::default() };
    let lines = [opened("a"), opened("b"), opened("c"), discussed("for e, also new")];
    let log: String = lines.iter().map(|line| format!("{line}\n")).collect();
    let replay = read_log_with_progress(log.as_bytes(), &limits, u64::MAX, |_| {});
    let ids: Vec<&str> = replay.engagements.iter().map(Engagement::id).collect();
    assert_eq!(ids, ["a", "b"]);
    let problems: Vec<(u64, Option<&str>, Code)> =
        replay.problems.iter().map(|p| (p.line, p.engagement.as_deref(), p.violations[0].code)).collect();
    assert_eq!(problems, [(3, Some("c"), Code::LimitExceeded), (4, Some("e"), Code::LimitExceeded)]);
}

#[test]
fn unlimited_accepts_what_the_defaults_refuse() {
    let mut engagement = engagement_with(Limits::UNLIMITED);
    assert_eq!(rejected_code(&mut engagement, &discussed(&"x".repeat(70_000))), None);
    let mut engagement = engagement_with(Limits::default());
    assert_eq!(rejected_code(&mut engagement, &discussed(&"x".repeat(70_000))), Some(Code::LimitExceeded));
}
