//! The coaching guide as data: what each role commits to, what each step of a session is for
//! and what a coach can ask in it, how a coach checks that they partnered with the coachee,
//! and the phases of the coaching process. Written in the project's own words from the source
//! documents (contract sections 1 and 5); every binding exposes the same accessors, and
//! `tests/guide/guide.json` (from [`guide_json`]) is what they are all compared with.
//!
//! Every text carries a `locale` (`en` today), so a platform can add translations later
//! without an API change.
//!
//! ```
//! use coachflow::guide::{partnership_prompts, responsibilities, script_guide};
//! use coachflow::{BuiltinStep, PartnershipPhase, Role};
//! assert!(responsibilities(Role::Supervisor).iter().any(|item| item.id == "link_goals_to_priorities"));
//! assert_eq!(script_guide(BuiltinStep::KeyOutcomes).leads, [Role::Coachee]);
//! assert!(!partnership_prompts(PartnershipPhase::Closing).questions.is_empty());
//! ```

use crate::event::EventType;
use crate::model::{BuiltinStep, PartneringSignal, PartnershipPhase, Role, Stage};
use serde::Serialize;

/// The language of every text of this guide.
pub const LOCALE: &str = "en";

/// One thing a role commits to; `responsibilities_acknowledged` acknowledges the whole list
/// of the actor's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Responsibility {
    /// Stable snake_case id.
    pub id: &'static str,
    /// The commitment, in words.
    pub text: &'static str,
    /// The language of `text`.
    pub locale: &'static str,
}

/// What one step of the session script is for, who leads it and what a coach can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StepGuide {
    /// The step.
    pub step: BuiltinStep,
    /// Its purpose, in one sentence.
    pub purpose: &'static str,
    /// Who leads it.
    pub leads: &'static [Role],
    /// Questions a coach can ask.
    pub questions: &'static [&'static str],
    /// The language of the texts.
    pub locale: &'static str,
}

/// The questions that show a coach is partnering in one phase of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PhasePrompts {
    /// The phase.
    pub phase: PartnershipPhase,
    /// Questions a partnering coach asks in it.
    pub questions: &'static [&'static str],
    /// The language of the texts.
    pub locale: &'static str,
}

/// A sign that a coach was not partnering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SignalText {
    /// Its code, as `partnership_reviewed.signals` names it.
    pub code: PartneringSignal,
    /// The sign, in words.
    pub text: &'static str,
    /// The language of `text`.
    pub locale: &'static str,
}

/// One phase of the coaching process, with the stages and event types where it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ProcessPhase {
    /// Stable snake_case id.
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// What happens in it, in one or two sentences.
    pub summary: &'static str,
    /// The stages it spans.
    pub stages: &'static [Stage],
    /// The events that record it.
    pub event_types: &'static [EventType],
    /// The language of the texts.
    pub locale: &'static str,
}

const fn item(id: &'static str, text: &'static str) -> Responsibility {
    Responsibility { id, text, locale: LOCALE }
}

const COACHEE: &[Responsibility] = &[
    item(
        "set_goals_and_agenda",
        "Decide what you want from coaching, commit to those goals and bring the agenda to each session.",
    ),
    item("allow_time", "Give the relationship and the process time to develop before judging the results."),
    item("be_open_and_direct", "Speak openly, honestly and directly in sessions."),
    item("accept_challenge", "Let the coach challenge you, and question your own assumptions, beliefs and habits."),
    item("reflect_on_impact", "Pay attention to your own behaviour and the effect it has on others."),
    item("take_risks", "Try new ways of working, take sensible risks and show what you have learned."),
    item("follow_through", "Carry out the actions and assignments you chose yourself."),
    item(
        "receive_feedback_openly",
        "Take feedback with curiosity, never trying to find out who gave it or acting against them.",
    ),
    item("keep_appointments", "Keep the sessions you agreed to; cancel only in a real emergency."),
    item(
        "tell_the_coach_how_it_goes",
        "Tell your coach in good time how the coaching feels and how it could work better.",
    ),
    item("keep_supervisor_informed", "Keep your supervisor up to date on how the coaching is going."),
];

const SUPERVISOR: &[Responsibility] = &[
    item(
        "attend_three_way_meetings",
        "Take part in the goal-setting and final review meetings, and the midpoint check-in if there is one.",
    ),
    item(
        "link_goals_to_priorities",
        "Help tie the coachee's goals to the priorities of the team and the organisation.",
    ),
    item("hold_accountable", "Expect results from the coaching and hold the coachee to them."),
    item("give_regular_feedback", "Give the coachee regular feedback on their performance while the coaching runs."),
    item("allow_time", "Give the coaching process time to show results."),
    item("encourage_experiments", "Encourage and support the coachee when they try new approaches."),
    item(
        "accept_discontinuation",
        "Accept that coachee or coach may end the coaching, and that the coachee will then explain why.",
    ),
    item(
        "notice_progress",
        "Notice progress: visible improvements, how the coachee rates the coaching, what colleagues observe.",
    ),
];

const COACH: &[Responsibility] = &[
    item("keep_confidentiality", "Keep the coaching confidential and say plainly where that confidentiality ends."),
    item("design_a_plan", "Help the coachee build a realistic plan for the change they want."),
    item("hold_to_the_plan", "Hold the coachee accountable for the actions that carry the plan out."),
    item(
        "prepare_sponsor_conversations",
        "Prepare the coachee to discuss their goals with their manager and colleagues and to ask for their support.",
    ),
    item("give_honest_feedback", "Give direct and honest feedback."),
    item(
        "challenge_with_care",
        "Challenge the coachee, with compassion, to step beyond what is comfortable when it serves their learning.",
    ),
    item("focus_on_action", "Stay practical and mindful of the coachee's work and organisation."),
    item("coach_performance_and_development", "Coach for today's performance and for longer-term development."),
    item("work_from_principles", "Work from a sound coaching approach and a clear set of principles."),
];

const PROGRAM_ADMIN: &[Responsibility] = &[
    item("run_the_programme", "Set up each engagement: its participants, its coach and the programme's policy."),
    item("support_the_partnership", "Support coachee, supervisor and coach as partners, from the organisation's side."),
    item(
        "respect_confidentiality",
        "Work from facts of the process only; never ask for what the coachee has not opened.",
    ),
    item(
        "administer_feedback_fairly",
        "Collect 360 feedback without revealing who gave it, and close a survey before its results are read.",
    ),
];

/// What `role` commits to. Coachee, supervisor and coach acknowledge theirs with
/// `responsibilities_acknowledged`; a programme admin's are there to read.
pub fn responsibilities(role: Role) -> &'static [Responsibility] {
    match role {
        Role::Coachee => COACHEE,
        Role::Supervisor => SUPERVISOR,
        Role::Coach => COACH,
        Role::ProgramAdmin => PROGRAM_ADMIN,
    }
}

const COACHEE_AND_COACH: &[Role] = &[Role::Coachee, Role::Coach];
const COACHEE_ONLY: &[Role] = &[Role::Coachee];
const COACH_ONLY: &[Role] = &[Role::Coach];

const fn step(
    step: BuiltinStep,
    purpose: &'static str,
    leads: &'static [Role],
    questions: &'static [&'static str],
) -> StepGuide {
    StepGuide { step, purpose, leads, questions, locale: LOCALE }
}

const CHECK_IN: StepGuide = step(
        BuiltinStep::CheckIn,
        "Find out how the coachee is and what has happened since the last session, to shape this one without making it the topic.",
        COACHEE_AND_COACH,
        &["How are you arriving today?", "What has happened since we last met?", "Where are you right now with what matters to you?"],
    );
const SESSION_GOAL: StepGuide = step(
    BuiltinStep::SessionGoal,
    "Agree the outcome the coachee wants from this session.",
    COACHEE_AND_COACH,
    &[
        "What would you like to leave this session with?",
        "How will you know you got it?",
        "What will that look or feel like?",
        "Where are you now compared with where you want to be?",
    ],
);
const ASSIGNMENT_REVIEW: StepGuide = step(
    BuiltinStep::AssignmentReview,
    "Look back at the last assignment: what was learned, what worked, what was hard.",
    COACHEE_AND_COACH,
    &[
        "What did you learn from the assignment?",
        "What went well?",
        "What got in the way?",
        "What would you do differently next time?",
    ],
);
const COACHING: StepGuide = step(
    BuiltinStep::Coaching,
    "Work on the topic: rehearse, explore strategies, think the problem through together.",
    COACH_ONLY,
    &[
        "What change would help you, or your team, most?",
        "How will you hold yourself to the goal you set today?",
        "How can I help you stay accountable?",
    ],
);
const ACTION_COMMITMENT: StepGuide = step(
    BuiltinStep::ActionCommitment,
    "The coachee chooses the next steps they commit to.",
    COACHEE_ONLY,
    &["What will you do next, and by when?", "What could stop you?", "What will help you keep this commitment?"],
);
const KEY_OUTCOMES: StepGuide = step(
    BuiltinStep::KeyOutcomes,
    "The coachee sums up the actions, commitments and shifts in view: they, not the coach, make the meaning.",
    COACHEE_ONLY,
    &["What do you take away from today?", "What did you learn?", "How will this help you from here on?"],
);
const NEXT_ASSIGNMENT: StepGuide = step(
    BuiltinStep::NextAssignment,
    "Set the assignment until next time and book the next appointment.",
    COACHEE_AND_COACH,
    &["What will you practise before we meet again?", "When shall we meet next?"],
);
const SESSION_FEEDBACK: StepGuide = step(
    BuiltinStep::SessionFeedback,
    "Ask the coachee how the session served them, so the programme can serve them better.",
    COACHEE_ONLY,
    &["How useful was this session for you?", "What would make the next one better?"],
);
const STEPS: &[StepGuide] = &[
    CHECK_IN,
    SESSION_GOAL,
    ASSIGNMENT_REVIEW,
    COACHING,
    ACTION_COMMITMENT,
    KEY_OUTCOMES,
    NEXT_ASSIGNMENT,
    SESSION_FEEDBACK,
];

/// What a step of the built-in script is for, who leads it and what a coach can ask.
pub fn script_guide(step: BuiltinStep) -> &'static StepGuide {
    match step {
        BuiltinStep::CheckIn => &CHECK_IN,
        BuiltinStep::SessionGoal => &SESSION_GOAL,
        BuiltinStep::AssignmentReview => &ASSIGNMENT_REVIEW,
        BuiltinStep::Coaching => &COACHING,
        BuiltinStep::ActionCommitment => &ACTION_COMMITMENT,
        BuiltinStep::KeyOutcomes => &KEY_OUTCOMES,
        BuiltinStep::NextAssignment => &NEXT_ASSIGNMENT,
        BuiltinStep::SessionFeedback => &SESSION_FEEDBACK,
    }
}

const fn prompts(phase: PartnershipPhase, questions: &'static [&'static str]) -> PhasePrompts {
    PhasePrompts { phase, questions, locale: LOCALE }
}

const OPENING: PhasePrompts = prompts(
    PartnershipPhase::Opening,
    &[
        "How would you like us to work together today?",
        "What matters most to explore on this?",
        "What do we need to talk about for you to move forward?",
    ],
);
const CHECKING_IN: PhasePrompts = prompts(
    PartnershipPhase::CheckingIn,
    &[
        "How close are you now to what you wanted from today?",
        "Given what you have just found, what should we look at next to get the clarity you want?",
    ],
);
const MEANING_MAKING: PhasePrompts = prompts(
    PartnershipPhase::MeaningMaking,
    &[
        "Looking at all of this together, what do you notice?",
        "How do these things connect, as you see it?",
        "What have you not yet considered here?",
    ],
);
const ACTION_PLANNING: PhasePrompts = prompts(
    PartnershipPhase::ActionPlanning,
    &[
        "What is still on your mind?",
        "How will you take this forward after today?",
        "What is your plan?",
        "What support would help?",
        "What is in the way?",
        "How will you keep your energy for it?",
    ],
);
const CLOSING: PhasePrompts = prompts(
    PartnershipPhase::Closing,
    &[
        "What have you learned in our time today?",
        "What did we not get to?",
        "What would you need to feel finished with this?",
        "Shall we start to close?",
        "Is there anything else you want to say before we stop?",
    ],
);
const PROMPTS: &[PhasePrompts] = &[OPENING, CHECKING_IN, MEANING_MAKING, ACTION_PLANNING, CLOSING];

/// The questions that show a coach is partnering in `phase` of a session.
pub fn partnership_prompts(phase: PartnershipPhase) -> &'static PhasePrompts {
    match phase {
        PartnershipPhase::Opening => &OPENING,
        PartnershipPhase::CheckingIn => &CHECKING_IN,
        PartnershipPhase::MeaningMaking => &MEANING_MAKING,
        PartnershipPhase::ActionPlanning => &ACTION_PLANNING,
        PartnershipPhase::Closing => &CLOSING,
    }
}

const fn signal(code: PartneringSignal, text: &'static str) -> SignalText {
    SignalText { code, text, locale: LOCALE }
}

const SIGNALS: &[SignalText] = &[
    signal(PartneringSignal::MadeMeaningForThem, "I drew the conclusions instead of asking what it meant to them."),
    signal(
        PartneringSignal::StayedOnProblem,
        "I stayed with the problem, or with my own view of it, instead of with the person.",
    ),
    signal(
        PartneringSignal::WithheldObservations,
        "I kept my observations about them to myself, or held on to them when they did not fit.",
    ),
    signal(PartneringSignal::DidNotAcknowledge, "I did not acknowledge their strengths and what they achieved."),
    signal(
        PartneringSignal::CompletedTheirSentences,
        "I finished their sentences instead of leaving room for their meaning.",
    ),
    signal(
        PartneringSignal::LedInsteadOfFollowed,
        "I led instead of following: I picked the direction, or interrupted, instead of asking them.",
    ),
];

/// The six signs that a coach was not partnering, for the coach's review after a session.
pub fn partnering_signals() -> &'static [SignalText] {
    SIGNALS
}

const PHASES: &[ProcessPhase] = &[
    ProcessPhase {
        id: "building_the_partnership",
        name: "Building the partnership",
        summary: "Coachee, supervisor, coach and the programme build trust, agree roles, confidentiality and how they will communicate, and set first expectations.",
        stages: &[Stage::PreWork, Stage::GoalSetting],
        event_types: &[
            EventType::EngagementOpened,
            EventType::CoachAssigned,
            EventType::OrientationCompleted,
            EventType::PreliminaryGoalsDiscussed,
            EventType::ResponsibilitiesAcknowledged,
            EventType::ConfidentialityAgreed,
        ],
        locale: LOCALE,
    },
    ProcessPhase {
        id: "insight_through_assessment",
        name: "Insight through assessment",
        summary: "Self-assessment and feedback from others let the coachee see themselves from new angles and find patterns to work on.",
        stages: &[Stage::PreWork, Stage::GoalSetting, Stage::Coaching],
        event_types: &[EventType::AssessmentRecorded, EventType::RaterFeedbackRecorded, EventType::SurveyClosed],
        locale: LOCALE,
    },
    ProcessPhase {
        id: "development_plan",
        name: "The development plan",
        summary: "Goals with success measures and activities, agreed with the supervisor so they serve the organisation too.",
        stages: &[Stage::GoalSetting],
        event_types: &[EventType::MeetingScheduled, EventType::MeetingHeld, EventType::GoalAgreed],
        locale: LOCALE,
    },
    ProcessPhase {
        id: "working_the_plan",
        name: "Working the plan",
        summary: "Sessions on real situations: practising, getting feedback and adjusting, with the supervisor's support.",
        stages: &[Stage::Coaching],
        event_types: &[
            EventType::SessionScheduled,
            EventType::SessionStarted,
            EventType::ScriptStep,
            EventType::SessionEnded,
            EventType::GoalRevised,
            EventType::GoalProgressNoted,
            EventType::ProgressFeedbackGiven,
            EventType::PartnershipReviewed,
        ],
        locale: LOCALE,
    },
    ProcessPhase {
        id: "progress_and_ongoing_support",
        name: "Progress and ongoing support",
        summary: "Coachee, coach and supervisor name the successes, the next opportunities to grow and the support that will continue.",
        stages: &[Stage::FinalReview, Stage::Completed],
        event_types: &[EventType::GoalAssessed, EventType::FinalReviewRecorded, EventType::StageAdvanced],
        locale: LOCALE,
    },
];

/// The five phases of the coaching process, with the stages and event types where each
/// happens.
pub fn process_phases() -> &'static [ProcessPhase] {
    PHASES
}

/// One role's responsibilities, in the whole guide.
#[derive(Serialize)]
struct RoleResponsibilities {
    role: Role,
    items: &'static [Responsibility],
}

/// The whole guide as one JSON value (pretty-printed by [`guide_json`]).
#[derive(Serialize)]
struct WholeGuide {
    locale: &'static str,
    responsibilities: Vec<RoleResponsibilities>,
    script: &'static [StepGuide],
    partnership_prompts: &'static [PhasePrompts],
    partnering_signals: &'static [SignalText],
    process_phases: &'static [ProcessPhase],
}

/// The whole guide as pretty JSON: what every binding's accessors are checked against.
pub fn guide_json() -> String {
    let guide = WholeGuide {
        locale: LOCALE,
        responsibilities: Role::ALL
            .iter()
            .map(|role| RoleResponsibilities { role: *role, items: responsibilities(*role) })
            .collect(),
        script: STEPS,
        partnership_prompts: PROMPTS,
        partnering_signals: SIGNALS,
        process_phases: PHASES,
    };
    serde_json::to_string_pretty(&guide).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_step_and_phase_has_content_in_order() {
        for role in Role::ALL {
            assert!(!responsibilities(*role).is_empty(), "{role}");
        }
        for step in BuiltinStep::ALL {
            let guide = script_guide(*step);
            assert_eq!(guide.step, *step);
            assert!(!guide.questions.is_empty() && !guide.leads.is_empty(), "{step}");
        }
        for phase in PartnershipPhase::ALL {
            assert_eq!(partnership_prompts(*phase).phase, *phase);
            assert!(!partnership_prompts(*phase).questions.is_empty(), "{phase}");
        }
        let signals: Vec<PartneringSignal> = partnering_signals().iter().map(|signal| signal.code).collect();
        assert_eq!(signals, PartneringSignal::ALL);
        assert_eq!(process_phases().len(), 5);
    }

    #[test]
    fn the_shared_copy_every_binding_is_compared_with_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/guide/guide.json");
        if std::env::var_os("COACHFLOW_BLESS").is_some() {
            std::fs::write(path, format!("{}\n", guide_json())).unwrap();
        }
        let shared = std::fs::read_to_string(path).unwrap();
        assert_eq!(shared, format!("{}\n", guide_json()), "run `coachflow guide --json > tests/guide/guide.json`");
    }

    #[test]
    fn ids_are_unique_snake_case() {
        for role in Role::ALL {
            let mut seen = std::collections::BTreeSet::new();
            for item in responsibilities(*role) {
                assert!(item.id.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", item.id);
                assert!(seen.insert(item.id), "{} twice", item.id);
            }
        }
    }

    #[test]
    fn the_leaders_of_a_step_are_its_owners_in_the_default_script() {
        for definition in crate::model::DEFAULT_SCRIPT {
            let step: BuiltinStep = definition.name.parse().unwrap();
            assert_eq!(script_guide(step).leads, definition.owners.as_ref(), "{step}");
        }
    }
}
