//! The vocabulary of an engagement: roles, stages, meeting kinds, outcomes and the programme policy.

use crate::codes::Code;
use crate::event::struct_reader;
use crate::finding::Finding;
use crate::measure::{nothing_to_measure, Measured, Meter};
use crate::rules::Rule;
use crate::sorted::{position, sorted_unique};
use serde::{de, Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Defines a closed snake_case vocabulary: serde, `as_str`, `Display`, `FromStr`, `ALL`.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $text:literal, )* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
        }

        impl $name {
            /// Every value, in contract order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The contract's snake_case spelling.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Written as its spelling ([`as_str`](Self::as_str)).
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// Read from its spelling only, a JSON text (serde's derived reading of an enum
        /// would also take `{"coach": null}`, which the event schema refuses), through one
        /// reader that every vocabulary shares (`read_name`).
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                const NAMES: &[&str] = &[ $( $text, )* ];
                let index = read_name(deserializer, NAMES)?;
                $name::ALL.get(index).copied().ok_or_else(|| de::Error::custom("a name out of its vocabulary"))
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownName;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $( $text => Ok($name::$variant), )*
                    _ => Err(UnknownName { kind: stringify!($name), name: text.to_owned() }),
                }
            }
        }
    };
}

/// Reads one of `names` and gives its position in them: a text that is not one of them is
/// an unknown variant, anything but a text a wrong type.
fn read_name<'de, D: de::Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    struct NameVisitor(&'static [&'static str]);
    impl de::Visitor<'_> for NameVisitor {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one of ")?;
            for (index, name) in self.0.iter().enumerate() {
                write!(f, "{}`{name}`", if index == 0 { "" } else { ", " })?;
            }
            Ok(())
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<usize, E> {
            self.0.iter().position(|name| *name == text).ok_or_else(|| E::unknown_variant(text, self.0))
        }
    }
    deserializer.deserialize_str(NameVisitor(names))
}

/// A name that is not in one of the closed vocabularies (stage, role, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{name}` is not a {kind}")]
pub struct UnknownName {
    /// Which vocabulary was asked (`Stage`, `Role`, ...).
    pub kind: &'static str,
    /// The name that was not found.
    pub name: String,
}

vocabulary! {
    /// The role a participant has in an engagement. One person has one role.
    Role {
        /// The person being coached.
        Coachee = "coachee",
        /// The coachee's own supervisor, the sponsor of the engagement.
        Supervisor = "supervisor",
        /// The coach.
        Coach = "coach",
        /// The programme office or HR partner of the sponsoring organisation.
        ProgramAdmin = "program_admin",
    }
}

vocabulary! {
    /// The stages of an engagement, in order; `discontinued` can follow any non-terminal stage.
    Stage {
        /// Orientation, preliminary goal discussion, coach assignment.
        PreWork = "pre_work",
        /// The three-way goal-setting meeting and the goals.
        GoalSetting = "goal_setting",
        /// The coaching sessions.
        Coaching = "coaching",
        /// Goal outcomes and the three-way final review meeting.
        FinalReview = "final_review",
        /// The engagement ended as planned.
        Completed = "completed",
        /// The engagement was ended early.
        Discontinued = "discontinued",
    }
}

impl Stage {
    /// The stage a `stage_advanced` from this stage must name, if any.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::PreWork => Some(Stage::GoalSetting),
            Stage::GoalSetting => Some(Stage::Coaching),
            Stage::Coaching => Some(Stage::FinalReview),
            Stage::FinalReview => Some(Stage::Completed),
            Stage::Completed | Stage::Discontinued => None,
        }
    }

    /// Whether the engagement is over in this stage.
    pub fn is_terminal(self) -> bool {
        matches!(self, Stage::Completed | Stage::Discontinued)
    }
}

vocabulary! {
    /// The kinds of three-way meeting (M1).
    MeetingKind {
        /// Opens the engagement: goals are agreed after it.
        GoalSetting = "goal_setting",
        /// Optional (or required, or off) check-in with the supervisor during coaching.
        MidpointCheckIn = "midpoint_check_in",
        /// An extra three-way meeting any party may ask for.
        Alignment = "alignment",
        /// Closes the engagement.
        FinalReview = "final_review",
    }
}

impl MeetingKind {
    /// Stages in which a meeting of this kind may be scheduled (M1).
    pub fn scheduling_stages(self) -> &'static [Stage] {
        match self {
            MeetingKind::GoalSetting => &[Stage::PreWork, Stage::GoalSetting],
            MeetingKind::MidpointCheckIn => &[Stage::Coaching],
            MeetingKind::Alignment => &[Stage::GoalSetting, Stage::Coaching, Stage::FinalReview],
            MeetingKind::FinalReview => &[Stage::Coaching, Stage::FinalReview],
        }
    }

    /// Stages in which a meeting of this kind may be held (M1).
    pub fn holding_stages(self) -> &'static [Stage] {
        match self {
            MeetingKind::GoalSetting => &[Stage::GoalSetting],
            MeetingKind::MidpointCheckIn => &[Stage::Coaching],
            MeetingKind::Alignment => &[Stage::GoalSetting, Stage::Coaching, Stage::FinalReview],
            MeetingKind::FinalReview => &[Stage::FinalReview],
        }
    }
}

vocabulary! {
    /// How a goal ended (`goal_assessed`).
    GoalOutcome {
        /// Fully achieved.
        Achieved = "achieved",
        /// Partly achieved.
        PartiallyAchieved = "partially_achieved",
        /// Not achieved.
        NotAchieved = "not_achieved",
        /// Deliberately given up.
        Dropped = "dropped",
    }
}

vocabulary! {
    /// How engaged and committed the coachee is, as the coach shares it (004).
    EngagementLevel {
        /// Low.
        Low = "low",
        /// Moderate.
        Moderate = "moderate",
        /// High.
        High = "high",
    }
}

vocabulary! {
    /// Who a 360 rater is relative to the coachee (R0).
    RaterGroup {
        /// The coachee rating themselves.
        SelfRating = "self",
        /// The coachee's manager.
        Manager = "manager",
        /// A peer.
        Peer = "peer",
        /// Someone who reports to the coachee.
        DirectReport = "direct_report",
        /// A customer.
        Customer = "customer",
        /// Anyone else.
        Other = "other",
    }
}

vocabulary! {
    /// Whether the midpoint check-in is optional, required (S10) or refused (M3).
    MidpointCheckIn {
        /// May be held; not a guard.
        Optional = "optional",
        /// Must be held before `final_review`.
        Required = "required",
        /// Refused.
        Off = "off",
    }
}

vocabulary! {
    /// What happens when a session ends with required script steps missing (P2).
    ScriptEnforcement {
        /// The session ends, with a `required_steps_missing` warning.
        Advisory = "advisory",
        /// The `session_ended` is rejected with `required_steps_missing`.
        Strict = "strict",
    }
}

vocabulary! {
    /// The steps of the built-in session script (section 5), in script order.
    BuiltinStep {
        /// How the coachee is, and what happened since last time.
        CheckIn = "check_in",
        /// The outcome wanted from this session.
        SessionGoal = "session_goal",
        /// Looking back at the last assignment; not applicable in session 1.
        AssignmentReview = "assignment_review",
        /// The coaching itself.
        Coaching = "coaching",
        /// The actions the coachee commits to.
        ActionCommitment = "action_commitment",
        /// The coachee's own summary of the session.
        KeyOutcomes = "key_outcomes",
        /// Homework and the next appointment.
        NextAssignment = "next_assignment",
        /// The coachee's feedback on the session.
        SessionFeedback = "session_feedback",
    }
}

vocabulary! {
    /// The phases of a session in which a coach can check that they partner with the coachee
    /// (section 5; `partnership_reviewed.phases`).
    PartnershipPhase {
        /// Agreeing how to work together today.
        Opening = "opening",
        /// Checking in on progress during the conversation.
        CheckingIn = "checking_in",
        /// Letting the coachee make their own meaning.
        MeaningMaking = "meaning_making",
        /// Planning the coachee's actions.
        ActionPlanning = "action_planning",
        /// Closing the conversation.
        Closing = "closing",
    }
}

vocabulary! {
    /// The signs that a coach was not partnering (section 5; `partnership_reviewed.signals`).
    PartneringSignal {
        /// Drew the conclusions instead of asking the coachee.
        MadeMeaningForThem = "made_meaning_for_them",
        /// Stayed with the problem rather than the person.
        StayedOnProblem = "stayed_on_problem",
        /// Kept observations back, or held on to wrong ones.
        WithheldObservations = "withheld_observations",
        /// Did not acknowledge the coachee's strengths.
        DidNotAcknowledge = "did_not_acknowledge",
        /// Finished the coachee's sentences.
        CompletedTheirSentences = "completed_their_sentences",
        /// Led instead of following.
        LedInsteadOfFollowed = "led_instead_of_followed",
    }
}

/// One step of a session script (section 5, P4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepDefinition {
    /// The step name used in `script_step.step`.
    pub name: Cow<'static, str>,
    /// Whether the session may end without it (P2).
    pub required: bool,
    /// Roles that may record the step.
    pub owners: Cow<'static, [Role]>,
}

struct_reader! {
    StepDefinition { name: String, required: bool, owners: Vec<Role> }
}

const COACHEE_AND_COACH: &[Role] = &[Role::Coachee, Role::Coach];
const COACHEE_ONLY: &[Role] = &[Role::Coachee];
const COACH_ONLY: &[Role] = &[Role::Coach];

const fn step(name: BuiltinStep, required: bool, owners: &'static [Role]) -> StepDefinition {
    StepDefinition { name: Cow::Borrowed(name.as_str()), required, owners: Cow::Borrowed(owners) }
}

/// The default session script (001), in order.
pub const DEFAULT_SCRIPT: &[StepDefinition] = &[
    step(BuiltinStep::CheckIn, false, COACHEE_AND_COACH),
    step(BuiltinStep::SessionGoal, true, COACHEE_AND_COACH),
    step(BuiltinStep::AssignmentReview, false, COACHEE_AND_COACH),
    step(BuiltinStep::Coaching, false, COACH_ONLY),
    step(BuiltinStep::ActionCommitment, true, COACHEE_ONLY),
    step(BuiltinStep::KeyOutcomes, true, COACHEE_ONLY),
    step(BuiltinStep::NextAssignment, false, COACHEE_AND_COACH),
    step(BuiltinStep::SessionFeedback, true, COACHEE_ONLY),
];

/// Programme settings (section 8). Every key has a default; `engagement_opened.policy`
/// overrides any of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Number of coaching sessions (1-52).
    pub sessions: u32,
    /// Whether the midpoint check-in is optional, required or off.
    pub midpoint_check_in: MidpointCheckIn,
    /// S2 applies.
    pub require_orientation: bool,
    /// S3 applies.
    pub require_preliminary_discussion: bool,
    /// S7 applies.
    pub require_acknowledgements: bool,
    /// Goals needed to enter coaching (1-20).
    pub min_goals: u32,
    /// A coachee's cancellation closer than this to the start is late (0-720).
    pub late_cancellation_hours: u32,
    /// P2 behaviour.
    pub script_enforcement: ScriptEnforcement,
    /// A programme's own script; `None` is [`DEFAULT_SCRIPT`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<Vec<StepDefinition>>,
    /// Responses a 360 rater group needs before it is shown (2-50).
    pub min_raters: u32,
}

struct_reader! {
    Policy, defaults {
        sessions: u32,
        midpoint_check_in: MidpointCheckIn,
        require_orientation: bool,
        require_preliminary_discussion: bool,
        require_acknowledgements: bool,
        min_goals: u32,
        late_cancellation_hours: u32,
        script_enforcement: ScriptEnforcement,
        script: Option<Vec<StepDefinition>>,
        min_raters: u32,
    }
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            sessions: 6,
            midpoint_check_in: MidpointCheckIn::Optional,
            require_orientation: true,
            require_preliminary_discussion: true,
            require_acknowledgements: true,
            min_goals: 1,
            late_cancellation_hours: 24,
            script_enforcement: ScriptEnforcement::Advisory,
            script: None,
            min_raters: 3,
        }
    }
}

impl Policy {
    /// The session script in force.
    pub fn script(&self) -> &[StepDefinition] {
        self.script.as_deref().unwrap_or(DEFAULT_SCRIPT)
    }

    /// The sessions that must be held before the midpoint check-in (M3): half, rounded up.
    pub fn midpoint_after(&self) -> u32 {
        self.sessions.div_ceil(2)
    }

    /// Every range violation, as `invalid_event` findings (rule `PL1`).
    pub fn problems(&self) -> Vec<Finding> {
        let mut problems = Vec::new();
        let mut range = |name: &str, value: u32, low: u32, high: u32| {
            if !(low..=high).contains(&value) {
                problems.push(Finding::new(
                    Code::InvalidEvent,
                    Rule::PL1,
                    format!("policy.{name} is {value}; it must be between {low} and {high}"),
                ));
            }
        };
        range("sessions", self.sessions, 1, 52);
        range("min_goals", self.min_goals, 1, 20);
        range("late_cancellation_hours", self.late_cancellation_hours, 0, 720);
        range("min_raters", self.min_raters, 2, 50);
        if let Some(script) = &self.script {
            if script.is_empty() {
                problems.push(Finding::new(Code::InvalidEvent, Rule::P4, "policy.script has no steps"));
            }
            // The names sorted, each once, and whether each was met yet (a sorted list
            // rather than a set: a set of texts is about 3 KB of the WebAssembly module).
            let names = sorted_unique(script.iter().map(|step| step.name.to_string()));
            let mut met = vec![false; names.len()];
            for step in script {
                let met_before = position(&names, &step.name)
                    .and_then(|index| met.get_mut(index))
                    .is_some_and(|met| std::mem::replace(met, true));
                if step.name.trim().is_empty() {
                    problems.push(Finding::new(Code::InvalidEvent, Rule::P4, "a policy.script step has an empty name"));
                } else if met_before {
                    problems.push(Finding::new(
                        Code::InvalidEvent,
                        Rule::P4,
                        format!("policy.script names step `{}` twice", step.name),
                    ));
                }
                if step.owners.is_empty() {
                    problems.push(Finding::new(
                        Code::InvalidEvent,
                        Rule::P4,
                        format!("policy.script step `{}` has no owners", step.name),
                    ));
                }
                if let Some(role) = step.owners.iter().find(|role| !matches!(role, Role::Coachee | Role::Coach)) {
                    problems.push(Finding::new(
                        Code::InvalidEvent,
                        Rule::P4,
                        format!(
                            "policy.script step `{}` names {role} as an owner; only coachee and coach are in a session",
                            step.name
                        ),
                    ));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_order_is_linear_until_completed() {
        let mut stage = Stage::PreWork;
        let mut path = vec![stage];
        while let Some(next) = stage.next() {
            path.push(next);
            stage = next;
        }
        assert_eq!(path, [Stage::PreWork, Stage::GoalSetting, Stage::Coaching, Stage::FinalReview, Stage::Completed]);
        assert!(Stage::Discontinued.next().is_none());
    }

    #[test]
    fn policy_defaults_match_the_contract() {
        let policy: Policy = serde_json::from_str("{}").unwrap();
        assert_eq!(policy, Policy::default());
        assert_eq!(policy.sessions, 6);
        assert_eq!(policy.min_raters, 3);
        assert_eq!(policy.script().len(), 8);
        assert_eq!(policy.midpoint_after(), 3);
        assert!(policy.problems().is_empty());
    }

    #[test]
    fn policy_rejects_unknown_keys_and_out_of_range_values() {
        assert!(serde_json::from_str::<Policy>(r#"{"sesions": 3}"#).is_err());
        let policy: Policy = serde_json::from_str(r#"{"sessions": 0, "min_raters": 51}"#).unwrap();
        assert_eq!(policy.problems().len(), 2);
    }

    #[test]
    fn a_script_step_named_again_is_reported_at_each_repeat_and_a_blank_name_as_blank() {
        let step = |name: &str| format!(r#"{{"name": "{name}", "required": true, "owners": ["coach"]}}"#);
        let script = ["b", "a", "b", " ", "b", " "].map(step).join(",");
        let policy: Policy = serde_json::from_str(&format!(r#"{{"script": [{script}]}}"#)).unwrap();
        let messages: Vec<String> = policy.problems().into_iter().map(|problem| problem.message).collect();
        assert_eq!(
            messages,
            [
                "policy.script names step `b` twice",
                "a policy.script step has an empty name",
                "policy.script names step `b` twice",
                "a policy.script step has an empty name",
            ]
        );
    }

    #[test]
    fn rater_group_self_is_spelled_self() {
        assert_eq!(serde_json::to_string(&RaterGroup::SelfRating).unwrap(), "\"self\"");
        assert_eq!("self".parse::<RaterGroup>(), Ok(RaterGroup::SelfRating));
    }
}

impl Measured for Policy {
    fn measure(&self, meter: &mut Meter) {
        if let Some(script) = &self.script {
            meter.list(script.len());
            for step in script {
                meter.text(&step.name);
                meter.list(step.owners.len());
            }
        }
    }
}

nothing_to_measure!(Role, MeetingKind, GoalOutcome, RaterGroup, EngagementLevel, PartneringSignal);
