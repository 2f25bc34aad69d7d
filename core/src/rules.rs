//! The stage table as data: which roles record which event type in which stages, and the
//! guards of each stage transition (section 3). The engine and `coachflow diagram` both read it.

use crate::codes::Code;
use crate::event::EventType;
use crate::model::{Role, Stage};

const C: Role = Role::Coachee;
const S: Role = Role::Supervisor;
const K: Role = Role::Coach;
const A: Role = Role::ProgramAdmin;

const P: Stage = Stage::PreWork;
const G: Stage = Stage::GoalSetting;
const CO: Stage = Stage::Coaching;
const F: Stage = Stage::FinalReview;

const OPEN_STAGES: &[Stage] = &[P, G, CO, F];

/// The roles that may record an event type (section 4, "actor").
///
/// `engagement_opened` may be recorded by anyone it lists; this returns every role for it.
pub fn permitted_roles(kind: EventType) -> &'static [Role] {
    use EventType as E;
    match kind {
        E::EngagementOpened | E::MeetingScheduled | E::MeetingHeld | E::MeetingCancelled | E::StageAdvanced => {
            &[C, S, K, A]
        }
        E::CoachAssigned => &[S, A],
        E::CoachReplaced => &[A],
        E::OrientationCompleted
        | E::GoalAgreed
        | E::GoalRevised
        | E::ActionCompleted
        | E::ActionDropped
        | E::SummaryShared
        | E::ConsentGranted
        | E::ConsentRevoked
        | E::SponsorInformed => &[C],
        E::PreliminaryGoalsDiscussed => &[C, S],
        E::ResponsibilitiesAcknowledged | E::GoalAssessed => &[C, S, K],
        E::ConfidentialityAgreed | E::SessionMissed | E::EngagementLevelRated | E::DisclosureRecorded => &[K],
        E::GoalProgressNoted
        | E::FinalReviewRecorded
        | E::SessionScheduled
        | E::SessionRescheduled
        | E::SessionCancelled
        | E::SessionStarted
        | E::ScriptStep
        | E::SessionEnded
        | E::AssessmentRecorded => &[C, K],
        E::RaterFeedbackRecorded => &[K, A],
        E::ProgressFeedbackGiven => &[S],
        E::EngagementDiscontinued => &[C, K, A],
    }
}

/// The stages in which an event type is accepted (section 4, "stages").
///
/// Meetings narrow this further by kind (M1). `engagement_opened` is accepted only as the
/// first event and has no stage.
pub fn accepted_stages(kind: EventType) -> &'static [Stage] {
    use EventType as E;
    match kind {
        E::EngagementOpened => &[],
        E::CoachAssigned | E::OrientationCompleted | E::PreliminaryGoalsDiscussed => &[P],
        E::ResponsibilitiesAcknowledged => &[P, G],
        E::CoachReplaced | E::ProgressFeedbackGiven | E::EngagementLevelRated | E::SummaryShared => &[G, CO, F],
        E::MeetingScheduled
        | E::MeetingCancelled
        | E::AssessmentRecorded
        | E::RaterFeedbackRecorded
        | E::ConsentGranted
        | E::DisclosureRecorded
        | E::StageAdvanced
        | E::EngagementDiscontinued => OPEN_STAGES,
        E::MeetingHeld => &[G, CO, F],
        E::ConfidentialityAgreed
        | E::GoalAgreed
        | E::SessionScheduled
        | E::SessionRescheduled
        | E::SessionCancelled => &[G, CO],
        E::GoalRevised
        | E::GoalProgressNoted
        | E::SessionMissed
        | E::SessionStarted
        | E::ScriptStep
        | E::SessionEnded => &[CO],
        E::ActionCompleted | E::ActionDropped => &[CO, F],
        E::GoalAssessed | E::FinalReviewRecorded => &[F],
        E::ConsentRevoked => &[P, G, CO, F, Stage::Completed, Stage::Discontinued],
        E::SponsorInformed => &[Stage::Discontinued],
    }
}

/// One guard of a stage transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guard {
    /// Rule reference, e.g. `S4`.
    pub rule: &'static str,
    /// The target stage it guards.
    pub to: Stage,
    /// The code reported when unmet.
    pub code: Code,
    /// What must hold, in words.
    pub condition: &'static str,
}

/// Every stage guard of section 3, in rule order.
pub const GUARDS: &[Guard] = &[
    Guard { rule: "S1", to: G, code: Code::CoachNotAssigned, condition: "a coach is assigned" },
    Guard {
        rule: "S2",
        to: G,
        code: Code::OrientationIncomplete,
        condition: "orientation completed (if policy.require_orientation)",
    },
    Guard {
        rule: "S3",
        to: G,
        code: Code::PreliminaryDiscussionMissing,
        condition: "preliminary goal discussion held (if policy.require_preliminary_discussion)",
    },
    Guard {
        rule: "S4",
        to: CO,
        code: Code::GoalSettingMeetingNotHeld,
        condition: "goal-setting meeting held with coachee, supervisor and coach",
    },
    Guard { rule: "S5", to: CO, code: Code::TooFewGoals, condition: "at least policy.min_goals goals agreed" },
    Guard { rule: "S6", to: CO, code: Code::ConfidentialityNotAgreed, condition: "confidentiality agreement reviewed" },
    Guard {
        rule: "S7",
        to: CO,
        code: Code::ResponsibilitiesNotAcknowledged,
        condition: "coachee, supervisor and coach acknowledged responsibilities (if policy.require_acknowledgements)",
    },
    Guard { rule: "S8", to: F, code: Code::SessionsRemaining, condition: "at least policy.sessions sessions held" },
    Guard { rule: "S9", to: F, code: Code::OpenSessions, condition: "no session scheduled or in progress" },
    Guard {
        rule: "S10",
        to: F,
        code: Code::MidpointCheckInMissing,
        condition: "midpoint check-in held (if policy.midpoint_check_in is required)",
    },
    Guard {
        rule: "S11",
        to: Stage::Completed,
        code: Code::FinalReviewNotHeld,
        condition: "final review meeting held with all three",
    },
    Guard {
        rule: "S12",
        to: Stage::Completed,
        code: Code::GoalsNotAssessed,
        condition: "every agreed goal has an outcome",
    },
];

/// The stage machine as a Mermaid state diagram, generated from [`GUARDS`].
///
/// ```
/// let diagram = coachflow::rules::mermaid_diagram();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_has_roles_and_every_guard_targets_a_forward_stage() {
        for kind in EventType::ALL {
            assert!(!permitted_roles(*kind).is_empty(), "{kind}");
        }
        for guard in GUARDS {
            assert!(Stage::ALL.iter().any(|stage| stage.next() == Some(guard.to)), "{}", guard.rule);
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
