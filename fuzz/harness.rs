//! What each fuzz target checks, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/`) and
//! by the regression test that replays the kept corpus on every CI run
//! (`core/tests/fuzz_regressions.rs`). Every function takes the raw fuzz input and panics
//! when an invariant breaks; a panic anywhere inside coachflow is a finding too.

use arbitrary::{Arbitrary, Unstructured};
use coachflow::log::read_log_with_progress;
use coachflow::{Engagement, Event, EventType, Limits, PartneringSignal, Role, Stage};
use coachflow::{EngagementLevel, GoalOutcome, MeetingKind, RaterGroup, DEFAULT_SCRIPT};
use serde_json::{json, Map, Value};

/// A valid engagement to start from: pre-work to the sixth coaching session.
const SAMPLE: &str = include_str!("../examples/sample-engagement.jsonl");
/// Marks what no view may ever show: rater ids and `meta`.
const SECRET: &str = "SECRET";
const PARTICIPANTS: &[&str] = &["cleo", "sam", "kim", "hr", "stranger", "kim2"];
const IDS: &[&str] = &["m-goals", "m2", "g1", "g2", "a1", "a2", "as1", "s1", "x"];
const RECORDS: &[&str] =
    &["session:1", "session:2", "goal_progress:g1", "assessment:as1", "survey:s1", "action:a1", "goal:g1", "nope"];
const LIMITS_WORDS: &[&str] = &["illegal_activity", "required_by_law", "harm_to_self", "harm_to_others"];

/// Small caps, so the fuzzer reaches every limit with short inputs.
const SMALL_LIMITS: Limits = Limits {
    max_line_bytes: 2048,
    max_events_per_engagement: 90,
    max_text_chars: 64,
    max_list_items: 8,
    max_engagements: 4,
};

/// Target `log_replay`: bytes read as a JSON Lines log, under the defaults or small caps.
///
/// Checks: nothing panics; problems come in line order within the lines read; every event
/// of every returned engagement was counted; each engagement's log, written out and read
/// again, gives the same engagement; `replay_jsonl` on the same text agrees with the reader
/// on the first engagement when the text holds only that one.
pub fn log_replay(data: &[u8]) {
    let (limits, text) = match data.split_first() {
        Some((&selector, rest)) if selector % 2 == 0 => (SMALL_LIMITS, rest),
        Some((_, rest)) => (Limits::DEFAULT, rest),
        None => (Limits::DEFAULT, data),
    };
    let replay = read_log_with_progress(text, &limits, 512, |_| {});
    let mut last_line = 0;
    for problem in &replay.problems {
        assert!(problem.line >= last_line && problem.line <= replay.lines, "problem lines out of order");
        assert!(!problem.violations.is_empty(), "a problem without a violation");
        last_line = problem.line;
    }
    let applied: usize = replay.engagements.iter().map(|engagement| engagement.log().len()).sum();
    assert_eq!(applied as u64, replay.events_applied);
    assert!(replay.engagements.len() <= limits.max_engagements);
    for engagement in &replay.engagements {
        assert!(engagement.log().len() <= limits.max_events_per_engagement);
        let written = engagement.to_jsonl();
        let again = Engagement::replay_jsonl_with_limits(&written, &limits)
            .unwrap_or_else(|error| panic!("an accepted log does not replay: {error}\n{written}"));
        assert_eq!(again.to_jsonl(), written, "replaying the written log changed it");
        assert_eq!(again.stage(), engagement.stage());
    }
    if let Ok(text) = std::str::from_utf8(text) {
        if let Ok(single) = Engagement::replay_jsonl_with_limits(text, &limits) {
            if replay.problems.is_empty() && replay.engagements.len() == 1 {
                let first = replay.engagements.first().map(Engagement::to_jsonl);
                assert_eq!(Some(single.to_jsonl()), first);
            }
        }
    }
}

/// Target `apply_check`: structured events applied to the sample engagement.
///
/// Checks: `check` and `apply` always agree; a rejected event changes nothing; an accepted
/// event is in the log, and its JSON reads back as the same event; the whole log replays
/// to the same engagement; `requirements` and `allowed_events` answer for everyone.
pub fn apply_check(data: &[u8]) {
    let Some(engagement) = scenario_engagement(data, |engagement, event| {
        let verdict = engagement.check(&event);
        let (length, stage) = (engagement.log().len(), engagement.stage());
        let result = engagement.apply(event);
        match (&verdict, &result) {
            (Ok(warnings), Ok(applied)) => {
                assert_eq!(warnings, &applied.warnings, "check and apply disagree on warnings");
                assert_eq!(engagement.log().len(), length + 1);
                let logged = engagement.log().last().unwrap_or_else(|| panic!("the log is empty"));
                let reread = Event::from_json(&logged.to_json())
                    .unwrap_or_else(|rejection| panic!("a logged event does not parse: {rejection}"));
                assert_eq!(reread, logged, "an event changed on its way through JSON");
            }
            (Err(expected), Err(rejection)) => {
                assert_eq!(expected, rejection, "check and apply reject differently");
                assert_eq!((engagement.log().len(), engagement.stage()), (length, stage), "a rejection changed state");
            }
            _ => panic!("check said {verdict:?} but apply said {result:?}"),
        }
    }) else {
        return;
    };
    let replayed = Engagement::replay(engagement.log().to_vec())
        .unwrap_or_else(|error| panic!("the engagement's own log does not replay: {error}"));
    assert_eq!(replayed.to_jsonl(), engagement.to_jsonl());
    for stage in Stage::ALL {
        let _ = engagement.requirements(*stage);
    }
    for participant in PARTICIPANTS {
        let _ = engagement.allowed_events(participant);
    }
    let today = replayed.log().last().map_or_else(chrono::NaiveDate::default, |event| event.at.date());
    let _ = replayed.all_obligations(today);
}

/// Target `views`: structured events applied to the sample engagement, then every view.
///
/// Checks: no view and no metrics record ever contains a rater id or anything from `meta`
/// (both carry the word `SECRET`, which nothing else the fuzzer writes can contain).
pub fn views(data: &[u8]) {
    let Some(engagement) = scenario_engagement(data, |engagement, event| {
        let _ = engagement.apply(event);
    }) else {
        return;
    };
    let mut shown = Vec::new();
    for role in Role::ALL {
        if let Ok(view) = engagement.view_as(*role) {
            shown.push(view.to_json());
        }
    }
    for participant in PARTICIPANTS {
        if let Ok(view) = engagement.view(participant) {
            shown.push(view.to_json());
        }
    }
    shown.push(serde_json::to_string(&engagement.metrics()).unwrap_or_default());
    for text in shown {
        assert!(!text.contains(SECRET), "a view shows a rater id or meta: {text}");
    }
}

/// Replays the first `prefix` events of the sample, then hands each structured event to
/// `step`. `None` when the input is too short to describe a scenario.
pub fn scenario_engagement(data: &[u8], mut step: impl FnMut(&mut Engagement, Event)) -> Option<Engagement> {
    let scenario = Scenario::arbitrary_take_rest(Unstructured::new(data)).ok()?;
    let sample: Vec<&str> = SAMPLE.lines().collect();
    let prefix = usize::from(scenario.prefix) % (sample.len() + 1);
    let mut engagement = Engagement::new("v-1");
    for line in sample.iter().take(prefix.max(1)) {
        let event = Event::from_json(line).unwrap_or_else(|rejection| panic!("the sample does not parse: {rejection}"));
        engagement.apply(event).unwrap_or_else(|rejection| panic!("the sample does not apply: {rejection}"));
    }
    let mut minutes: i64 = 0;
    for fuzz_event in scenario.events.iter().take(64) {
        minutes += fuzz_event.minutes();
        let value = fuzz_event.to_json(minutes, engagement.log().len() as u64 + 1);
        // What the parser refuses is the log_replay target's business; here only events
        // that parse are applied.
        if let Ok(event) = Event::from_value(&value) {
            step(&mut engagement, event);
        }
    }
    Some(engagement)
}

#[derive(Debug, Arbitrary)]
struct Scenario {
    prefix: u8,
    events: Vec<FuzzEvent>,
}

/// One event, described by choices that mostly make a well-formed event of the contract;
/// `wild` and `extra_field` (each one event in eight) put fuzzer-made values where they do
/// not belong.
#[derive(Debug)]
struct FuzzEvent {
    kind: u8,
    actor: u8,
    /// Minutes after the previous event; above 60,000 the clock goes back two days instead.
    gap: u16,
    /// Below 64: an explicit `seq` near the expected one.
    seq: u8,
    with_meta: bool,
    /// One pick per field of the event type, reused when there are more fields.
    picks: [u8; 8],
    /// Leaves out the field at this position.
    drop: Option<u8>,
    /// Replaces the field at this position with any value.
    wild: Option<(u8, Choice)>,
    extra_field: Option<(String, Choice)>,
}

impl<'a> Arbitrary<'a> for FuzzEvent {
    fn arbitrary(input: &mut Unstructured<'a>) -> arbitrary::Result<FuzzEvent> {
        let rarely = |input: &mut Unstructured<'a>| input.ratio(1, 8);
        Ok(FuzzEvent {
            kind: input.arbitrary()?,
            actor: input.arbitrary()?,
            gap: input.arbitrary()?,
            seq: input.arbitrary()?,
            with_meta: rarely(input)?,
            picks: input.arbitrary()?,
            drop: if rarely(input)? { Some(input.arbitrary()?) } else { None },
            wild: if rarely(input)? { Some(input.arbitrary()?) } else { None },
            extra_field: if rarely(input)? { Some(input.arbitrary()?) } else { None },
        })
    }
}

#[derive(Debug, Clone, Arbitrary)]
enum Choice {
    Pick(u8),
    Text(String),
    Number(i64),
    Float(f64),
    Flag(bool),
    List(Vec<u8>),
    Null,
}

impl FuzzEvent {
    fn minutes(&self) -> i64 {
        if self.gap > 60_000 {
            -2880
        } else {
            i64::from(self.gap % 3000)
        }
    }

    fn to_json(&self, minutes: i64, next_seq: u64) -> Value {
        let kind = pick(EventType::ALL, self.kind).copied().unwrap_or(EventType::OrientationCompleted);
        let mut object = Map::new();
        object.insert("engagement".into(), json!("v-1"));
        object.insert("at".into(), json!(timestamp(minutes)));
        object.insert("actor".into(), json!(pick(PARTICIPANTS, self.actor).copied().unwrap_or("cleo")));
        object.insert("type".into(), json!(kind.as_str()));
        if self.seq < 64 {
            object.insert("seq".into(), json!((next_seq + u64::from(self.seq % 3)).saturating_sub(1)));
        }
        if self.with_meta {
            object.insert("meta".into(), json!({ "note": format!("META-{SECRET}"), SECRET: [1, 2] }));
        }
        for (index, field) in kind.fields().iter().enumerate() {
            if self.drop.is_some_and(|drop| usize::from(drop) == index) {
                continue;
            }
            let choice = match &self.wild {
                Some((position, choice)) if usize::from(*position) == index => choice.clone(),
                _ => Choice::Pick(self.picks.get(index % 8).copied().unwrap_or_default()),
            };
            if field.name == "*" {
                step_fields(&choice, &mut object);
            } else {
                object.insert(field.name.into(), value_for(field.name, field.rust_type, &choice));
            }
        }
        if let Some((name, choice)) = &self.extra_field {
            object.insert(clean(name), value_for("extra", "String", choice));
        }
        Value::Object(object)
    }
}

fn pick<T>(items: &[T], choice: u8) -> Option<&T> {
    items.get(usize::from(choice) % items.len().max(1))
}

fn timestamp(minutes: i64) -> String {
    let base = chrono::DateTime::parse_from_rfc3339("2026-03-18T12:00:00Z").unwrap_or_default();
    (base + chrono::Duration::minutes(minutes)).to_rfc3339()
}

/// Free text from the fuzzer, which must never spell the secret marker itself.
fn clean(text: &str) -> String {
    text.replace(SECRET, "secret")
}

/// A value for a field, guided by the field's declared type and name.
fn value_for(name: &str, rust_type: &str, choice: &Choice) -> Value {
    let index = match choice {
        Choice::Pick(index) => *index,
        Choice::Text(text) => return json!(clean(text)),
        Choice::Number(number) => return json!(number),
        Choice::Float(number) => return serde_json::Number::from_f64(*number).map_or(Value::Null, Value::Number),
        Choice::Flag(flag) => return json!(flag),
        Choice::Null => return Value::Null,
        Choice::List(items) => {
            let element = rust_type.strip_prefix("Vec<").and_then(|rest| rest.strip_suffix('>')).unwrap_or("String");
            let items = items.iter().take(12).map(|item| value_for(name, element, &Choice::Pick(*item)));
            return Value::Array(items.collect());
        }
    };
    let text = |items: &[&str]| json!(pick(items, index).copied().unwrap_or_default());
    match (name, rust_type) {
        ("rater", _) => json!(format!("rater-{SECRET}-{}", index % 6)),
        ("to", "String") if index % 2 == 0 => json!(pick(Stage::ALL, index).map(|stage| stage.as_str())),
        ("to", "String") => text(LIMITS_WORDS),
        ("record", _) => text(RECORDS),
        ("limit" | "limits", _) => text(LIMITS_WORDS),
        ("attendees" | "program_admins", _) => {
            // A subset of the sample's four people, chosen by the pick's low bits; now and
            // then a stranger too.
            let people = PARTICIPANTS.iter().take(4).enumerate().filter(|(bit, _)| index & (1 << bit) != 0);
            let mut people: Vec<&str> = people.map(|(_, person)| *person).collect();
            if index >= 0xC0 {
                people.push("stranger");
            }
            json!(people)
        }
        ("coachee" | "supervisor" | "coach", _) => text(PARTICIPANTS),
        (_, "String") if name == "meeting" || name == "goal" || name == "action" || name == "id" => text(IDS),
        (_, "String") if name == "assessment" || name == "survey" => text(IDS),
        (_, "String") => json!(format!("text {name} {index}")),
        (_, "u8" | "u32") => json!(index % 12),
        (_, "bool") => json!(index % 2 == 0),
        (_, "Timestamp") => json!(timestamp(i64::from(index) * 90)),
        (_, "NaiveDate") => json!(format!("2026-03-{:02}", 1 + index % 28)),
        (_, "Role") => json!(pick(Role::ALL, index).map(|role| role.as_str())),
        (_, "MeetingKind") => json!(pick(MeetingKind::ALL, index).map(|kind| kind.as_str())),
        (_, "GoalOutcome") => json!(pick(GoalOutcome::ALL, index).map(|outcome| outcome.as_str())),
        (_, "RaterGroup") => json!(pick(RaterGroup::ALL, index).map(|group| group.as_str())),
        (_, "EngagementLevel") => json!(pick(EngagementLevel::ALL, index).map(|level| level.as_str())),
        (_, "TextList") => json!([format!("{name} {index}")]),
        (_, "Scores") => json!({ "clarity": f64::from(index % 5) + 0.5, "trust": 4 }),
        (_, "Map<String, Value>") => json!({ "score": index, "band": "high" }),
        (_, "Policy") => json!({ "sessions": 1 + index % 8 }),
        (_, "PhaseChecks") => json!({ "opening": index % 2 == 0, "checking_in": true, "meaning_making": index % 3 == 0,
                                      "action_planning": true, "closing": index % 5 != 0 }),
        (_, "PartneringSignal") => json!(pick(PartneringSignal::ALL, index).map(|signal| signal.as_str())),
        (_, "Vec<PartneringSignal>") => json!([pick(PartneringSignal::ALL, index).map(|signal| signal.as_str())]),
        (_, "Vec<ActionItem>") => json!([{ "id": pick(IDS, index), "description": format!("do {index}") }]),
        (_, _) => json!(format!("{name} {index}")),
    }
}

/// The step name and a step's own fields, for `script_step`.
fn step_fields(choice: &Choice, object: &mut Map<String, Value>) {
    let index = match choice {
        Choice::Pick(index) => *index,
        other => {
            object.insert("step".into(), value_for("step", "String", other));
            return;
        }
    };
    // The default script's steps, and one step of a programme's own (P4).
    let step =
        DEFAULT_SCRIPT.get(usize::from(index) % (DEFAULT_SCRIPT.len() + 1)).map_or("own_step", |step| &step.name);
    object.insert("step".into(), json!(step));
    let session = object.get("session").and_then(Value::as_u64).unwrap_or(1);
    let fields = match step {
        "check_in" => json!({ "mood": "fine" }),
        "session_goal" => json!({ "outcome": "a plan" }),
        "action_commitment" => json!({ "actions": [{ "id": format!("a{session}-{index}"), "description": "call" }] }),
        "next_assignment" => json!({ "assignment": "read" }),
        "session_feedback" => json!({ "rating": 1 + index % 5 }),
        "own_step" => json!({ "fields": { "x": index } }),
        _ => json!({}),
    };
    if let Value::Object(fields) = fields {
        object.extend(fields);
    }
}
