//! Who may record which event type, and in which stages (contract sections 2 and 4): the
//! table behind rules L5 and T2, `allowed_events` and the event reference (`docs/events.md`).

use super::Engagement;
use crate::event::EventType;
use crate::finding::Finding;
use crate::model::{Role, Stage};

const C: Role = Role::Coachee;
const S: Role = Role::Supervisor;
const K: Role = Role::Coach;
const A: Role = Role::ProgramAdmin;

const P: Stage = Stage::PreWork;
const G: Stage = Stage::GoalSetting;
const CO: Stage = Stage::Coaching;
const F: Stage = Stage::FinalReview;

/// The stages of an engagement that is not closed.
pub(crate) const OPEN_STAGES: &[Stage] = &[P, G, CO, F];

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
        E::ConfidentialityAgreed
        | E::SessionMissed
        | E::EngagementLevelRated
        | E::DisclosureRecorded
        | E::PartnershipReviewed => &[K],
        E::GoalProgressNoted
        | E::FinalReviewRecorded
        | E::SessionScheduled
        | E::SessionRescheduled
        | E::SessionCancelled
        | E::SessionStarted
        | E::ScriptStep
        | E::SessionEnded
        | E::AssessmentRecorded => &[C, K],
        E::RaterFeedbackRecorded | E::SurveyClosed => &[K, A],
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
        | E::SurveyClosed
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
        E::PartnershipReviewed => &[CO, F],
        E::ConsentRevoked => &[P, G, CO, F, Stage::Completed, Stage::Discontinued],
        E::SponsorInformed => &[Stage::Discontinued],
    }
}

impl Engagement {
    /// The event types this participant may record in the current stage (by role and stage;
    /// payload rules are checked when the event is applied).
    pub fn allowed_events(&self, participant: &str) -> Result<Vec<EventType>, Finding> {
        if !self.opened {
            return Ok(vec![EventType::EngagementOpened]);
        }
        let role = self.participants.role_of(participant).ok_or_else(|| self.stranger(participant))?;
        Ok(EventType::ALL
            .iter()
            .copied()
            .filter(|kind| *kind != EventType::EngagementOpened)
            .filter(|kind| permitted_roles(*kind).contains(&role) && accepted_stages(*kind).contains(&self.stage))
            .collect())
    }
}
