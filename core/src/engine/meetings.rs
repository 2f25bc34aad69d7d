//! Three-way meetings (contract section 4): each kind in its stages (M1), held once after
//! being scheduled with coachee, supervisor and coach present (M2), and the midpoint
//! check-in (M3).

use super::participants::THREE_WAY;
use super::{keep, Engagement, Verdict};
use crate::codes::Code;
use crate::event::{MeetingCancelled, MeetingHeld, MeetingScheduled, Timestamp};
use crate::model::{MeetingKind, MidpointCheckIn};
use crate::rules::Rule;
use crate::state::{Meeting, MeetingStatus};

impl Engagement {
    fn meeting(&self, id: &str) -> Option<&Meeting> {
        self.meetings.iter().find(|meeting| meeting.id == id)
    }

    /// Whether a meeting of this kind was held.
    pub(super) fn held_meeting(&self, kind: MeetingKind) -> bool {
        self.meetings.iter().any(|meeting| meeting.kind == kind && meeting.status == MeetingStatus::Held)
    }

    pub(super) fn check_meeting_scheduled(&self, scheduled: &MeetingScheduled, verdict: &mut Verdict) {
        Self::check_id(&scheduled.meeting, "meeting", verdict);
        if self.meeting(&scheduled.meeting).is_some() {
            verdict.fail(Code::DuplicateId, Rule::U1, format!("meeting {} already exists", scheduled.meeting));
        }
        if !scheduled.kind.scheduling_stages().contains(&self.stage) {
            verdict.fail(
                Code::WrongStage,
                Rule::M1,
                format!("a {} meeting is not scheduled in {}", scheduled.kind, self.stage),
            );
        }
        if scheduled.kind == MeetingKind::MidpointCheckIn {
            self.check_midpoint(false, verdict);
        }
    }

    pub(super) fn fold_meeting_scheduled(&mut self, scheduled: &MeetingScheduled) {
        keep(
            &mut self.meetings,
            Meeting {
                id: scheduled.meeting.clone(),
                kind: scheduled.kind,
                starts_at: scheduled.starts_at,
                status: MeetingStatus::Scheduled,
                held_at: None,
                attendees: Vec::new(),
                cancellation_reason: None,
            },
        );
    }

    pub(super) fn check_meeting_held(&self, held: &MeetingHeld, verdict: &mut Verdict) {
        match self.meeting(&held.meeting) {
            None => {
                verdict.fail(Code::UnknownReference, Rule::M2, format!("meeting {} was never scheduled", held.meeting))
            }
            Some(meeting) => match meeting.status {
                MeetingStatus::Held => {
                    verdict.fail(Code::MeetingAlreadyHeld, Rule::M2, format!("meeting {} was already held", meeting.id))
                }
                MeetingStatus::Cancelled => {
                    verdict.fail(Code::UnknownReference, Rule::M2, format!("meeting {} was cancelled", meeting.id))
                }
                MeetingStatus::Scheduled => {
                    if !meeting.kind.holding_stages().contains(&self.stage) {
                        verdict.fail(
                            Code::WrongStage,
                            Rule::M1,
                            format!("a {} meeting is not held in {}", meeting.kind, self.stage),
                        );
                    }
                    if meeting.kind == MeetingKind::MidpointCheckIn {
                        self.check_midpoint(true, verdict);
                    }
                }
            },
        }
        for attendee in &held.attendees {
            if self.participants.role_of(attendee).is_none() {
                verdict.fail(Code::NotAParticipant, Rule::M2, format!("attendee {attendee} is not a participant"));
            }
        }
        let missing = self.absent(THREE_WAY, &held.attendees);
        if !missing.is_empty() {
            verdict.fail(
                Code::MissingAttendee,
                Rule::M2,
                format!("a three-way meeting needs {}", missing.join(" and ")),
            );
        }
    }

    pub(super) fn fold_meeting_held(&mut self, held: &MeetingHeld, at: Timestamp) {
        let attendees = self.unjudged(|| held.attendees.clone());
        if let Some(meeting) = self.meetings.iter_mut().find(|meeting| meeting.id == held.meeting) {
            meeting.status = MeetingStatus::Held;
            meeting.held_at = Some(at);
            meeting.attendees = attendees;
        }
    }

    pub(super) fn check_meeting_cancelled(&self, cancelled: &MeetingCancelled, verdict: &mut Verdict) {
        match self.meeting(&cancelled.meeting) {
            None => verdict.fail(
                Code::UnknownReference,
                Rule::M2,
                format!("meeting {} was never scheduled", cancelled.meeting),
            ),
            Some(meeting) if meeting.status == MeetingStatus::Held => {
                verdict.fail(Code::MeetingAlreadyHeld, Rule::M2, format!("meeting {} was already held", meeting.id))
            }
            Some(meeting) if meeting.status == MeetingStatus::Cancelled => {
                verdict.fail(Code::UnknownReference, Rule::M2, format!("meeting {} is already cancelled", meeting.id))
            }
            Some(_) => {}
        }
    }

    pub(super) fn fold_meeting_cancelled(&mut self, cancelled: &MeetingCancelled) {
        let reason = self.unjudged(|| cancelled.reason.clone());
        if let Some(meeting) = self.meetings.iter_mut().find(|meeting| meeting.id == cancelled.meeting) {
            meeting.status = MeetingStatus::Cancelled;
            meeting.cancellation_reason = reason;
        }
    }

    /// M3, when scheduling (`holding` false) or holding the midpoint check-in.
    fn check_midpoint(&self, holding: bool, verdict: &mut Verdict) {
        if self.policy.midpoint_check_in == MidpointCheckIn::Off {
            verdict.fail(Code::MidpointDisabled, Rule::M3, "the programme has no midpoint check-in");
        }
        if self.held_meeting(MeetingKind::MidpointCheckIn) {
            verdict.fail(Code::MidpointAlreadyHeld, Rule::M3, "the midpoint check-in was already held");
        }
        let needed = self.policy.midpoint_after();
        let held = self.sessions_held();
        if holding && held < needed {
            verdict.fail(
                Code::MidpointTooEarly,
                Rule::M3,
                format!("{held} sessions held; the midpoint check-in comes after {needed}"),
            );
        }
    }
}
