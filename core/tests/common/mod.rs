//! Random engagements shared by the property tests (`properties.rs`, `differential.rs`).
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{json, Value};

/// The events of the complete default engagement from the vectors, as a realistic prefix.
pub fn full_engagement() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/whole_engagements.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["vectors"][0]["events"].as_array().unwrap().clone()
}

const KINDS: &[&str] = &["goal_setting", "midpoint_check_in", "alignment", "final_review"];
const LIMITS: &[&str] = &["risk_of_harm", "other"];
const ACTORS: &[&str] = &["cleo", "sam", "kim", "hr", "stranger", "kai"];
const STAGES: &[&str] =
    &["pre_work", "goal_setting", "coaching", "final_review", "completed", "discontinued", "nowhere"];
const STEPS: &[&str] = &[
    "check_in",
    "session_goal",
    "assignment_review",
    "coaching",
    "action_commitment",
    "key_outcomes",
    "next_assignment",
    "session_feedback",
    "made_up",
];

const LEVELS: [&str; 3] = ["low", "moderate", "high"];

/// One random event, built from a template and small random choices.
pub fn random_event(template: u8, actor: usize, number: u32, pick: usize, minutes: i64, base: i64) -> Value {
    let at = chrono::DateTime::from_timestamp(base + minutes * 60, 0).unwrap().to_rfc3339();
    let actor = ACTORS[actor % ACTORS.len()];
    let mut event = json!({"engagement": "v-1", "at": at, "actor": actor});
    let payload = match template % 25 {
        0 => json!({"type": "stage_advanced", "to": STAGES[pick % STAGES.len()]}),
        1 => json!({"type": "session_scheduled", "session": number, "starts_at": at}),
        2 => json!({"type": "session_started", "session": number, "attendees": [ACTORS[pick % 4], "cleo", "kim"]}),
        3 => json!({"type": "session_ended", "session": number}),
        4 => json!({"type": "script_step", "session": number, "step": STEPS[pick % STEPS.len()], "outcome": "o"}),
        5 => {
            json!({"type": "script_step", "session": number, "step": "action_commitment", "actions": [{"id": format!("a{pick}"), "description": "d"}]})
        }
        6 => json!({"type": "session_cancelled", "session": number}),
        7 => json!({"type": "session_missed", "session": number}),
        8 => {
            json!({"type": "meeting_scheduled", "meeting": format!("m{pick}"), "kind": KINDS[pick % 4], "starts_at": at})
        }
        9 => json!({"type": "meeting_held", "meeting": format!("m{pick}"), "attendees": ["cleo", "sam", "kim"]}),
        10 => {
            json!({"type": "goal_agreed", "goal": format!("g{pick}"), "statement": "s", "org_priority": "p", "success_measures": ["m"]})
        }
        11 => json!({"type": "goal_assessed", "goal": format!("g{pick}"), "outcome": "achieved"}),
        12 => json!({"type": "consent_granted", "record": format!("session:{number}"), "to": "supervisor"}),
        13 => json!({"type": "consent_revoked", "record": format!("session:{number}"), "to": "supervisor"}),
        14 => {
            json!({"type": "engagement_discontinued", "initiated_by": ACTORS[pick % 4].replace("cleo", "coachee").replace("kim", "coach"), "reason": "r", "mutual_discussion": pick % 2 == 0})
        }
        15 => json!({"type": "sponsor_informed", "explanation": "e"}),
        16 => json!({"type": "coach_replaced", "coach": ACTORS[pick % ACTORS.len()], "reason": "r"}),
        17 => json!({"type": "action_completed", "action": format!("a{pick}")}),
        18 => json!({"type": "disclosure_recorded", "to": "hr", "limit": LIMITS[pick % 2], "summary": "s"}),
        19 => {
            json!({"type": "rater_feedback_recorded", "survey": "s1", "rater": format!("r{pick}"), "group": "peer", "scores": {"x": 1}})
        }
        20 => json!({"type": "responsibilities_acknowledged"}),
        21 => json!({"type": "session_rescheduled", "session": number, "starts_at": at}),
        22 => json!({"type": "goal_progress_noted", "goal": format!("g{pick}"), "note": "n", "percent": pick * 30}),
        23 => json!({"type": "engagement_level_rated", "level": LEVELS[pick % LEVELS.len()]}),
        _ => json!({"type": "no_such_type"}),
    };
    event.as_object_mut().unwrap().extend(payload.as_object().unwrap().clone());
    event
}

pub fn arb_sequence() -> impl Strategy<Value = (usize, Vec<Value>)> {
    let events = prop::collection::vec((any::<u8>(), 0..6usize, 0..9u32, 0..8usize, -30..600i64), 0..40);
    (0..=83usize, events).prop_map(|(prefix, raw)| {
        // Random events continue from 2027-01-01, after the prefix; the clock can step back.
        let mut clock = 1_798_761_600i64;
        let events = raw
            .into_iter()
            .map(|(template, actor, number, pick, minutes)| {
                clock += minutes * 60;
                random_event(template, actor, number, pick, 0, clock)
            })
            .collect();
        (prefix, events)
    })
}
