//! The stage machine (contract section 3): the guards S1-S12, each one value that says when
//! it holds and how to describe it; `requirements`; `stage_advanced` (T1); discontinuation
//! (D1) and the sponsor's explanation (D2); and the Mermaid diagram generated from the guards.

use super::participants::THREE_WAY;
use super::table::OPEN_STAGES;
use super::{keep, Engagement, Requirement, Verdict};
use crate::codes::Code;
use crate::event::{EngagementDiscontinued, StageAdvanced, Timestamp};
use crate::model::{MeetingKind, MidpointCheckIn, Role, Stage};
use crate::rules::Rule;
use crate::state::{Discontinuation, Session, SessionStatus, StageEntry};

/// One guard of a stage transition: its rule, its target, its code, and how it is evaluated
/// and described. Adding a guard to [`GUARDS`] is all it takes for `check`, `requirements`,
/// `obligations`, the diagram and the docs to know it.
#[derive(Clone, Copy)]
pub struct Guard {
    /// The guard's rule (`S1` ... `S12`).
    pub rule: Rule,
    /// The stage it guards.
    pub to: Stage,
    /// The code reported when it is unmet.
    pub code: Code,
    /// What must hold, in words.
    pub condition: &'static str,
    /// Whether it holds now; `None` when the policy switches it off.
    holds: fn(&Engagement) -> Option<bool>,
    /// What it asks, saying what is missing when it is unmet (`met` is whether it holds), in
    /// words for `reader`: never naming what that role's view does not show.
    describe: fn(&Engagement, bool, Reader) -> String,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard").field("rule", &self.rule).field("to", &self.to).field("code", &self.code).finish()
    }
}

impl Guard {
    /// Whether the guard holds for `engagement`; `None` when its policy switches it off.
    pub fn holds(&self, engagement: &Engagement) -> Option<bool> {
        (self.holds)(engagement)
    }

    /// What the guard asks of `engagement`, saying what is missing when it is unmet, in words
    /// any participant may read.
    pub fn describe(&self, engagement: &Engagement) -> String {
        (self.describe)(engagement, self.holds(engagement) != Some(false), Reader::Anyone)
    }
}

/// Who a guard's description is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// Any participant: the checklist of `requirements`.
    Anyone,
    /// The actor of a rejected `stage_advanced`, in this role.
    Actor(Role),
}

impl Reader {
    /// Whether this reader's view shows the goals themselves (the programme admin sees only
    /// how many there are and their outcomes).
    fn sees_goals(self) -> bool {
        matches!(self, Reader::Actor(Role::Coachee | Role::Coach | Role::Supervisor))
    }
}

/// `yes` when met, `no` otherwise.
fn choose(met: bool, yes: &str, no: &str) -> String {
    if met { yes } else { no }.to_owned()
}

/// Every stage guard of section 3, in rule order.
pub const GUARDS: &[Guard] = &[
    Guard {
        rule: Rule::S1,
        to: Stage::GoalSetting,
        code: Code::CoachNotAssigned,
        condition: "a coach is assigned",
        holds: |e| Some(e.participants.coach.is_some()),
        describe: |e, _, _| match &e.participants.coach {
            Some(coach) => format!("coach {coach} is assigned"),
            None => "no coach is assigned yet".to_owned(),
        },
    },
    Guard {
        rule: Rule::S2,
        to: Stage::GoalSetting,
        code: Code::OrientationIncomplete,
        condition: "orientation completed (if policy.require_orientation)",
        holds: |e| e.policy.require_orientation.then_some(e.orientation_completed_at.is_some()),
        describe: |_, met, _| {
            choose(met, "the coachee completed the orientation", "the coachee has not completed the orientation")
        },
    },
    Guard {
        rule: Rule::S3,
        to: Stage::GoalSetting,
        code: Code::PreliminaryDiscussionMissing,
        condition: "preliminary goal discussion held (if policy.require_preliminary_discussion)",
        holds: |e| e.policy.require_preliminary_discussion.then_some(!e.preliminary_discussions.is_empty()),
        describe: |_, met, _| {
            choose(
                met,
                "the preliminary goal discussion was held",
                "coachee and supervisor have not held the preliminary goal discussion",
            )
        },
    },
    Guard {
        rule: Rule::S4,
        to: Stage::Coaching,
        code: Code::GoalSettingMeetingNotHeld,
        condition: "goal-setting meeting held with coachee, supervisor and coach",
        holds: |e| Some(e.held_meeting(MeetingKind::GoalSetting)),
        describe: |_, met, _| {
            choose(met, "the goal-setting meeting was held", "the three-way goal-setting meeting has not been held")
        },
    },
    Guard {
        rule: Rule::S5,
        to: Stage::Coaching,
        code: Code::TooFewGoals,
        condition: "at least policy.min_goals goals agreed",
        holds: |e| Some(e.goals.len() >= e.policy.min_goals as usize),
        describe: |e, _, _| format!("{} of at least {} goals agreed", e.goals.len(), e.policy.min_goals),
    },
    Guard {
        rule: Rule::S6,
        to: Stage::Coaching,
        code: Code::ConfidentialityNotAgreed,
        condition: "confidentiality agreement reviewed",
        holds: |e| Some(e.confidentiality.is_some()),
        describe: |_, met, _| {
            choose(
                met,
                "the confidentiality agreement was reviewed",
                "the coach has not recorded the confidentiality agreement",
            )
        },
    },
    Guard {
        rule: Rule::S7,
        to: Stage::Coaching,
        code: Code::ResponsibilitiesNotAcknowledged,
        condition: "coachee, supervisor and coach acknowledged responsibilities (if policy.require_acknowledgements)",
        holds: |e| e.policy.require_acknowledgements.then(|| e.absent(THREE_WAY, &e.acknowledged).is_empty()),
        describe: |e, _, _| {
            let missing = e.absent(THREE_WAY, &e.acknowledged);
            if missing.is_empty() {
                "coachee, supervisor and coach acknowledged their responsibilities".to_owned()
            } else {
                format!("not yet acknowledged: {}", missing.join(", "))
            }
        },
    },
    Guard {
        rule: Rule::S8,
        to: Stage::FinalReview,
        code: Code::SessionsRemaining,
        condition: "at least policy.sessions sessions held",
        holds: |e| Some(e.sessions_held() >= e.policy.sessions),
        describe: |e, _, _| format!("{} of {} sessions held", e.sessions_held(), e.policy.sessions),
    },
    Guard {
        rule: Rule::S9,
        to: Stage::FinalReview,
        code: Code::OpenSessions,
        condition: "no session scheduled or in progress",
        holds: |e| Some(e.waiting_or_running_session().is_none()),
        describe: |e, _, _| match e.waiting_or_running_session() {
            Some(open) if open.status == SessionStatus::InProgress => {
                format!("session {} is still in progress", open.number)
            }
            Some(open) => format!("session {} is still scheduled", open.number),
            None => "no session is scheduled or in progress".to_owned(),
        },
    },
    Guard {
        rule: Rule::S10,
        to: Stage::FinalReview,
        code: Code::MidpointCheckInMissing,
        condition: "midpoint check-in held (if policy.midpoint_check_in is required)",
        holds: |e| {
            (e.policy.midpoint_check_in == MidpointCheckIn::Required)
                .then(|| e.held_meeting(MeetingKind::MidpointCheckIn))
        },
        describe: |_, met, _| {
            choose(met, "the midpoint check-in was held", "the required midpoint check-in has not been held")
        },
    },
    Guard {
        rule: Rule::S11,
        to: Stage::Completed,
        code: Code::FinalReviewNotHeld,
        condition: "final review meeting held with all three",
        holds: |e| Some(e.held_meeting(MeetingKind::FinalReview)),
        describe: |_, met, _| {
            choose(met, "the final review meeting was held", "the three-way final review meeting has not been held")
        },
    },
    Guard {
        rule: Rule::S12,
        to: Stage::Completed,
        code: Code::GoalsNotAssessed,
        condition: "every agreed goal has an outcome",
        holds: |e| Some(e.goals.iter().all(|goal| goal.assessment.is_some())),
        describe: |e, _, reader| {
            let open: Vec<&str> =
                e.goals.iter().filter(|goal| goal.assessment.is_none()).map(|goal| goal.id.as_str()).collect();
            match open.len() {
                0 => "every agreed goal has an outcome".to_owned(),
                _ if reader.sees_goals() => format!("goals without an outcome: {}", open.join(", ")),
                1 => "1 goal without an outcome".to_owned(),
                count => format!("{count} goals without an outcome"),
            }
        },
    },
];

/// The guard of `rule`. Every S rule has one, so this never fails for S1-S12.
pub(crate) fn guard(rule: Rule) -> Option<&'static Guard> {
    GUARDS.iter().find(|guard| guard.rule == rule)
}

impl Engagement {
    /// Each guard of `target` with met/unmet, for a checklist before the "advance" button.
    /// Guards switched off by the policy are left out. Stages without guards give an empty list.
    pub fn requirements(&self, target: Stage) -> Vec<Requirement> {
        GUARDS
            .iter()
            .filter(|guard| guard.to == target)
            .filter_map(|guard| {
                let met = guard.holds(self)?;
                let message = (guard.describe)(self, met, Reader::Anyone);
                Some(Requirement { code: guard.code, rule: guard.rule, met, message })
            })
            .collect()
    }

    /// Whether the guard of `rule` is in force and unmet.
    pub(crate) fn unmet(&self, rule: Rule) -> bool {
        guard(rule).is_some_and(|guard| guard.holds(self) == Some(false))
    }

    pub(super) fn waiting_or_running_session(&self) -> Option<&Session> {
        self.sessions
            .iter()
            .find(|session| matches!(session.status, SessionStatus::Scheduled | SessionStatus::InProgress))
    }

    pub(super) fn check_stage_advanced(&self, advanced: &StageAdvanced, actor: Role, verdict: &mut Verdict) {
        match (advanced.to.parse::<Stage>(), self.stage.next()) {
            (Ok(target), Some(next)) if target == next => {
                for guard in GUARDS.iter().filter(|guard| guard.to == target) {
                    if guard.holds(self) == Some(false) {
                        verdict.fail(guard.code, guard.rule, (guard.describe)(self, false, Reader::Actor(actor)));
                    }
                }
            }
            (Ok(target), _) => verdict.fail(
                Code::InvalidTransition,
                Rule::T1,
                format!("{} cannot move to {target}; stages advance one step forward", self.stage),
            ),
            (Err(_), _) => verdict.fail(Code::InvalidTransition, Rule::T1, format!("`{}` is not a stage", advanced.to)),
        }
    }

    pub(super) fn fold_stage_advanced(&mut self, advanced: &StageAdvanced, at: Timestamp) {
        if let Ok(stage) = advanced.to.parse::<Stage>() {
            self.enter(stage, at);
        }
    }

    pub(super) fn check_discontinuation(
        &self,
        discontinued: &EngagementDiscontinued,
        role: Role,
        verdict: &mut Verdict,
    ) {
        if role != discontinued.initiated_by {
            verdict.fail(
                Code::ActorNotPermitted,
                Rule::D1,
                format!("initiated_by must be the actor's own role, not {}", discontinued.initiated_by),
            );
        }
        if matches!(discontinued.initiated_by, Role::Coachee | Role::Coach)
            && discontinued.mutual_discussion != Some(true)
        {
            verdict.fail(
                Code::DiscontinuationWithoutDiscussion,
                Rule::D1,
                "coachee and coach discontinue only after discussing it together (mutual_discussion: true)",
            );
        }
    }

    pub(super) fn fold_discontinuation(&mut self, discontinued: &EngagementDiscontinued, at: Timestamp) {
        self.discontinuation = Some(Discontinuation {
            initiated_by: discontinued.initiated_by,
            reason: self.unjudged(|| discontinued.reason.clone()),
            mutual_discussion: discontinued.mutual_discussion.unwrap_or(false),
            at,
        });
        self.enter(Stage::Discontinued, at);
    }

    fn enter(&mut self, stage: Stage, at: Timestamp) {
        self.stage = stage;
        keep(&mut self.stage_history, StageEntry { stage, at });
    }

    pub(super) fn enter_first_stage(&mut self, at: Timestamp) {
        self.enter(Stage::PreWork, at);
    }
}

/// The stage machine as a Mermaid state diagram, generated from [`GUARDS`].
///
/// ```
/// let diagram = coachflow::mermaid_diagram();
/// assert!(diagram.starts_with("stateDiagram-v2"));
/// assert!(diagram.contains("coaching --> final_review"));
/// ```
pub fn mermaid_diagram() -> String {
    let mut out = String::from("stateDiagram-v2\n    [*] --> pre_work: engagement_opened\n");
    let mut stage = Stage::PreWork;
    while let Some(next) = stage.next() {
        let guards: Vec<String> = GUARDS
            .iter()
            .filter(|guard| guard.to == next)
            .map(|guard| format!("{} {}", guard.rule, guard.code))
            .collect();
        out.push_str(&format!("    {stage} --> {next}: stage_advanced, guards {}\n", guards.join(", ")));
        stage = next;
    }
    for stage in OPEN_STAGES {
        out.push_str(&format!("    {stage} --> discontinued: engagement_discontinued\n"));
    }
    out.push_str("    completed --> [*]\n    discontinued --> [*]\n");
    out
}

/// The name of the one guard type [`xstate_machine`] uses: `params.rules` lists the rules
/// that must hold for the transition.
pub const XSTATE_GUARD: &str = "rules_hold";

/// The stage machine as an XState (v5) machine config, generated from [`GUARDS`], for teams
/// that inspect state machines with XState or Stately tooling.
///
/// States are the stages; the events are the two that change the stage, under their own
/// `type` names, so a coachflow event can be sent to an XState actor as it is. Each
/// transition's guard is `{ "type": "rules_hold", "params": { "rules": [...] } }`, naming the
/// rules it stands for; an implementation of `rules_hold` asks coachflow (`check`, or
/// `requirements` for the stage guards). Events that do not change the stage are left out.
///
/// ```
/// let machine = coachflow::xstate_machine();
/// assert_eq!(machine["initial"], "pre_work");
/// let advance = &machine["states"]["coaching"]["on"]["stage_advanced"];
/// assert_eq!(advance["target"], "final_review");
/// assert_eq!(advance["guard"]["params"]["rules"], serde_json::json!(["T1", "S8", "S9", "S10"]));
/// ```
pub fn xstate_machine() -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let transition = |target: Stage, rules: Vec<Rule>| {
        let description: Vec<String> = rules.iter().map(|rule| format!("{rule}: {}", rule.summary())).collect();
        json!({
            "target": target.as_str(),
            "guard": { "type": XSTATE_GUARD, "params": { "rules": rules.iter().map(|rule| rule.as_str()).collect::<Vec<_>>() } },
            "description": description.join("; "),
        })
    };
    let mut states = Map::new();
    for stage in Stage::ALL {
        let mut state = Map::new();
        if stage.is_terminal() {
            state.insert("type".into(), json!("final"));
        }
        let mut on = Map::new();
        if let Some(next) = stage.next() {
            let mut rules = vec![Rule::T1];
            rules.extend(GUARDS.iter().filter(|guard| guard.to == next).map(|guard| guard.rule));
            on.insert("stage_advanced".into(), transition(next, rules));
        }
        if OPEN_STAGES.contains(stage) {
            on.insert("engagement_discontinued".into(), transition(Stage::Discontinued, vec![Rule::D1]));
        }
        if !on.is_empty() {
            state.insert("on".into(), Value::Object(on));
        }
        states.insert(stage.as_str().into(), Value::Object(state));
    }
    json!({
        "id": "coachflow_engagement",
        "description": "The stages of a supervisor-partnered coaching engagement (coachflow). \
            The engagement enters pre_work with engagement_opened; other events do not change the stage.",
        "initial": Stage::PreWork.as_str(),
        "states": states,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventType;

    #[test]
    fn the_xstate_machine_names_every_guard_once_on_the_transition_into_its_stage() {
        let machine = xstate_machine();
        let states = machine["states"].as_object().unwrap();
        assert_eq!(states.len(), Stage::ALL.len());
        let mut named = Vec::new();
        for stage in Stage::ALL {
            let state = &states[stage.as_str()];
            assert_eq!(state["type"] == "final", stage.is_terminal(), "{stage}");
            if let Some(next) = stage.next() {
                let advance = &state["on"]["stage_advanced"];
                assert_eq!(advance["target"], next.as_str());
                assert_eq!(advance["guard"]["type"], XSTATE_GUARD);
                for rule in advance["guard"]["params"]["rules"].as_array().unwrap() {
                    let rule = rule.as_str().unwrap();
                    if let Some(guard) = GUARDS.iter().find(|guard| guard.rule.as_str() == rule) {
                        assert_eq!(guard.to, next, "{rule}");
                        named.push(guard.rule);
                    }
                }
            }
            let discontinue = &state["on"]["engagement_discontinued"];
            assert_eq!(discontinue.is_null(), !OPEN_STAGES.contains(stage), "{stage}");
        }
        assert_eq!(named, GUARDS.iter().map(|guard| guard.rule).collect::<Vec<_>>());
    }

    #[test]
    fn every_guard_targets_a_forward_stage_and_every_s_rule_has_a_guard() {
        for guard in GUARDS {
            assert!(Stage::ALL.iter().any(|stage| stage.next() == Some(guard.to)), "{}", guard.rule);
            assert!(guard.rule.codes().contains(&guard.code), "{}", guard.rule);
        }
        for rule in Rule::ALL.iter().filter(|rule| rule.as_str().starts_with('S')) {
            assert!(guard(*rule).is_some(), "{rule} has no guard");
        }
        for kind in EventType::ALL {
            assert!(!super::super::permitted_roles(*kind).is_empty(), "{kind}");
        }
    }

    #[test]
    fn diagram_lists_every_guard() {
        let diagram = mermaid_diagram();
        for guard in GUARDS {
            assert!(diagram.contains(guard.code.as_str()), "{}", guard.rule);
        }
    }
}
