//! Differential check of the stage guards (docs/contract.md section 3).
//!
//! `Reference` below is a second, deliberately plain reading of section 3, written from the
//! contract without looking at the engine: it watches the events the engine accepts and,
//! for every `stage_advanced`, predicts which stage codes the engine must report. The
//! property test feeds both random event sequences and compares.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use coachflow::{Engagement, Event};
use common::{arb_sequence, full_engagement};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const ORDER: &[&str] = &["pre_work", "goal_setting", "coaching", "final_review", "completed"];

/// The codes section 3 owns: the twelve guards, a bad target, a closed engagement.
const STAGE_CODES: &[&str] = &[
    "coach_not_assigned",
    "orientation_incomplete",
    "preliminary_discussion_missing",
    "goal_setting_meeting_not_held",
    "too_few_goals",
    "confidentiality_not_agreed",
    "responsibilities_not_acknowledged",
    "sessions_remaining",
    "open_sessions",
    "midpoint_check_in_missing",
    "final_review_not_held",
    "goals_not_assessed",
    "invalid_transition",
    "engagement_closed",
];

/// Everything the stage guards depend on, and nothing else.
#[derive(Debug, Default)]
struct Reference {
    stage: String,
    // Policy (section 8 defaults unless `engagement_opened.policy` says otherwise).
    sessions: u64,
    midpoint_required: bool,
    require_orientation: bool,
    require_preliminary_discussion: bool,
    require_acknowledgements: bool,
    min_goals: u64,
    // People.
    coachee: String,
    supervisor: String,
    coach: Option<String>,
    // What happened.
    orientation_completed: bool,
    preliminary_discussion: bool,
    confidentiality_agreed: bool,
    acknowledged: BTreeSet<String>,
    meeting_kinds: BTreeMap<String, String>,
    meetings_held_by_all_three: BTreeSet<String>,
    goals: BTreeSet<String>,
    assessed_goals: BTreeSet<String>,
    sessions_held: u64,
    open_sessions: BTreeSet<u64>,
}

impl Reference {
    /// Learns from an event the engine accepted.
    fn observe(&mut self, event: &Value) {
        let text = |name: &str| event[name].as_str().unwrap_or_default().to_owned();
        match event["type"].as_str().unwrap_or_default() {
            "engagement_opened" => {
                let policy = &event["policy"];
                let flag = |name: &str| policy[name].as_bool().unwrap_or(true);
                *self = Reference {
                    stage: "pre_work".into(),
                    sessions: policy["sessions"].as_u64().unwrap_or(6),
                    midpoint_required: policy["midpoint_check_in"] == "required",
                    require_orientation: flag("require_orientation"),
                    require_preliminary_discussion: flag("require_preliminary_discussion"),
                    require_acknowledgements: flag("require_acknowledgements"),
                    min_goals: policy["min_goals"].as_u64().unwrap_or(1),
                    coachee: text("coachee"),
                    supervisor: text("supervisor"),
                    coach: event["coach"].as_str().map(str::to_owned),
                    ..Reference::default()
                };
            }
            "coach_assigned" | "coach_replaced" => self.coach = Some(text("coach")),
            "orientation_completed" => self.orientation_completed = true,
            "preliminary_goals_discussed" => self.preliminary_discussion = true,
            "confidentiality_agreed" => self.confidentiality_agreed = true,
            "responsibilities_acknowledged" => {
                self.acknowledged.insert(text("actor"));
            }
            "meeting_scheduled" => {
                self.meeting_kinds.insert(text("meeting"), text("kind"));
            }
            "meeting_held" => {
                let attendees: BTreeSet<&str> =
                    event["attendees"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
                if self.three().iter().all(|person| attendees.contains(person.as_str())) {
                    self.meetings_held_by_all_three.insert(text("meeting"));
                }
            }
            "goal_agreed" => {
                self.goals.insert(text("goal"));
            }
            "goal_assessed" => {
                self.assessed_goals.insert(text("goal"));
            }
            "session_scheduled" => {
                self.open_sessions.insert(event["session"].as_u64().unwrap());
            }
            "session_ended" => {
                self.open_sessions.remove(&event["session"].as_u64().unwrap());
                self.sessions_held += 1;
            }
            "session_cancelled" | "session_missed" => {
                self.open_sessions.remove(&event["session"].as_u64().unwrap());
            }
            "stage_advanced" => self.stage = text("to"),
            "engagement_discontinued" => self.stage = "discontinued".into(),
            _ => {}
        }
    }

    /// Coachee, supervisor and coach (when there is one).
    fn three(&self) -> Vec<String> {
        let mut three = vec![self.coachee.clone(), self.supervisor.clone()];
        three.extend(self.coach.clone());
        three
    }

    fn held(&self, kind: &str) -> bool {
        self.meetings_held_by_all_three.iter().any(|meeting| self.meeting_kinds.get(meeting).is_some_and(|k| k == kind))
    }

    /// The stage codes `stage_advanced {to}` must be rejected with; empty when it may pass.
    fn advance(&self, to: &str) -> BTreeSet<&'static str> {
        let mut codes = BTreeSet::new();
        if self.stage == "completed" || self.stage == "discontinued" {
            codes.insert("engagement_closed");
            return codes;
        }
        let here = ORDER.iter().position(|stage| *stage == self.stage).unwrap();
        if ORDER.get(here + 1) != Some(&to) {
            codes.insert("invalid_transition");
            return codes;
        }
        let mut guard = |unmet: bool, code: &'static str| {
            if unmet {
                codes.insert(code);
            }
        };
        match to {
            "goal_setting" => {
                guard(self.coach.is_none(), "coach_not_assigned");
                guard(self.require_orientation && !self.orientation_completed, "orientation_incomplete");
                guard(
                    self.require_preliminary_discussion && !self.preliminary_discussion,
                    "preliminary_discussion_missing",
                );
            }
            "coaching" => {
                guard(!self.held("goal_setting"), "goal_setting_meeting_not_held");
                guard((self.goals.len() as u64) < self.min_goals, "too_few_goals");
                guard(!self.confidentiality_agreed, "confidentiality_not_agreed");
                guard(
                    self.require_acknowledgements && !self.three().iter().all(|p| self.acknowledged.contains(p)),
                    "responsibilities_not_acknowledged",
                );
            }
            "final_review" => {
                guard(self.sessions_held < self.sessions, "sessions_remaining");
                guard(!self.open_sessions.is_empty(), "open_sessions");
                guard(self.midpoint_required && !self.held("midpoint_check_in"), "midpoint_check_in_missing");
            }
            "completed" => {
                guard(!self.held("final_review"), "final_review_not_held");
                guard(!self.goals.is_subset(&self.assessed_goals), "goals_not_assessed");
            }
            _ => {}
        }
        codes
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// For every `stage_advanced` in a random sequence, the engine reports exactly the stage
    /// codes the reference predicts (or, when it also found other problems, no stage code
    /// the reference does not predict), and both agree on the stage after every event.
    #[test]
    fn stage_guards_match_the_reference_model((prefix, tail) in arb_sequence()) {
        let mut engagement = Engagement::new("v-1");
        let mut reference = Reference::default();
        for raw in full_engagement().iter().take(prefix).chain(tail.iter()) {
            let Ok(event) = Event::from_value(raw) else { continue };
            let result = engagement.apply(event);
            if raw["type"] == "stage_advanced" && engagement.is_opened() {
                let expected = reference.advance(raw["to"].as_str().unwrap());
                let reported: Vec<&str> = result.as_ref().err().map(|r| r.codes().iter().map(|c| c.as_str()).collect()).unwrap_or_default();
                let stage_codes: BTreeSet<&str> = reported.iter().copied().filter(|code| STAGE_CODES.contains(code)).collect();
                let other_codes = reported.len() - stage_codes.len();
                if other_codes == 0 {
                    prop_assert_eq!(&stage_codes, &expected, "event {} after {} events", raw, engagement.log().len());
                } else {
                    prop_assert!(stage_codes.is_subset(&expected), "{:?} not within {:?} for {}", stage_codes, expected, raw);
                }
            }
            if result.is_ok() {
                reference.observe(raw);
            }
            if engagement.is_opened() {
                prop_assert_eq!(engagement.stage().as_str(), reference.stage.as_str());
            }
        }
    }
}
