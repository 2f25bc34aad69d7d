//! Coaching sessions (contract section 4): numbered and scheduled in order (Q1), cancelled or
//! missed only while waiting (Q2), started in order, one at a time, with exactly coachee and
//! coach (Q3), and ended only while in progress (Q4, with the script's P2 and P3).

use super::{keep, Engagement, Verdict};
use crate::codes::Code;
use crate::event::{SessionCancelled, SessionRef, SessionStarted, SessionTime, Timestamp};
use crate::model::{BuiltinStep, Role, ScriptEnforcement};
use crate::rules::Rule;
use crate::state::{Session, SessionCancellation, SessionStatus};

impl Engagement {
    /// Sessions held (ended).
    pub fn sessions_held(&self) -> u32 {
        let held = self.sessions.iter().filter(|session| session.status == SessionStatus::Held).count();
        u32::try_from(held).unwrap_or(u32::MAX)
    }

    /// The scheduling that currently holds session number `number` (scheduled, in progress or held).
    fn active_session(&self, number: u32) -> Option<&Session> {
        self.sessions.iter().rev().find(|session| session.number == number && session.status.occupies_number())
    }

    /// The session in progress; there is at most one (rule Q3), and it is the latest one
    /// started, so the search starts from the end.
    pub(super) fn session_in_progress(&self) -> Option<&Session> {
        self.sessions.iter().rev().find(|session| session.status == SessionStatus::InProgress)
    }

    pub(super) fn session_in_progress_mut(&mut self) -> Option<&mut Session> {
        self.sessions.iter_mut().rev().find(|session| session.status == SessionStatus::InProgress)
    }

    fn waiting_session_mut(&mut self, number: u32) -> Option<&mut Session> {
        self.sessions.iter_mut().rev().find(|session| session.number == number && session.status.occupies_number())
    }

    pub(super) fn lowest_free_session(&self) -> u32 {
        let mut number = 1;
        while self.active_session(number).is_some() {
            number += 1;
        }
        number
    }

    pub(super) fn check_session_scheduled(&self, scheduled: &SessionTime, verdict: &mut Verdict) {
        let number = scheduled.session;
        let lowest = self.lowest_free_session();
        if number == 0 {
            verdict.fail(Code::InvalidEvent, Rule::Q1, "sessions are numbered from 1");
        } else if number > self.policy.sessions || lowest > self.policy.sessions {
            verdict.fail(
                Code::SessionLimitReached,
                Rule::Q1,
                format!("the programme has {} sessions", self.policy.sessions),
            );
        } else if number != lowest {
            verdict.fail(
                Code::SessionOutOfOrder,
                Rule::Q1,
                format!("session {number} cannot be scheduled yet; the next free number is {lowest}"),
            );
        }
    }

    pub(super) fn fold_session_scheduled(&mut self, scheduled: &SessionTime) {
        keep(
            &mut self.sessions,
            Session {
                number: scheduled.session,
                starts_at: scheduled.starts_at,
                status: SessionStatus::Scheduled,
                started_at: None,
                ended_at: None,
                attendees: Vec::new(),
                steps: Vec::new(),
                cancellation: None,
            },
        );
    }

    pub(super) fn fold_session_rescheduled(&mut self, moved: &SessionTime) {
        if let Some(session) = self.waiting_session_mut(moved.session) {
            session.starts_at = moved.starts_at;
        }
    }

    /// A scheduled session that has not started (for reschedule, cancel, missed).
    pub(super) fn check_waiting_session(&self, number: u32, rule: Rule, verdict: &mut Verdict) {
        match self.active_session(number) {
            Some(session) if session.status == SessionStatus::Scheduled => {}
            Some(session) => verdict.fail(
                Code::SessionNotScheduled,
                rule,
                format!(
                    "session {number} is {}, not waiting to start",
                    if session.status == SessionStatus::Held { "already held" } else { "in progress" }
                ),
            ),
            None => verdict.fail(Code::SessionNotScheduled, rule, format!("session {number} is not scheduled")),
        }
    }

    pub(super) fn fold_session_cancelled(&mut self, cancelled: &SessionCancelled, actor: &str, at: Timestamp) {
        let role = self.participants.role_of(actor).unwrap_or(Role::Coachee);
        let late_window = chrono::Duration::hours(i64::from(self.policy.late_cancellation_hours));
        let reason = self.unjudged(|| cancelled.reason.clone());
        if let Some(session) = self.waiting_session_mut(cancelled.session) {
            let late = role == Role::Coachee && at.0 > session.starts_at.0 - late_window;
            session.status = SessionStatus::Cancelled;
            session.cancellation = Some(SessionCancellation { at, by: role, late, reason });
        }
    }

    pub(super) fn fold_session_missed(&mut self, missed: &SessionRef) {
        if let Some(session) = self.waiting_session_mut(missed.session) {
            session.status = SessionStatus::Missed;
        }
    }

    pub(super) fn check_session_start(&self, started: &SessionStarted, verdict: &mut Verdict) {
        let number = started.session;
        match self.active_session(number).map(|session| session.status) {
            Some(SessionStatus::Scheduled) => {}
            Some(SessionStatus::InProgress) => {
                verdict.fail(Code::SessionInProgress, Rule::Q3, format!("session {number} already started"))
            }
            Some(_) => verdict.fail(Code::SessionNotScheduled, Rule::Q3, format!("session {number} was already held")),
            None => verdict.fail(Code::SessionNotScheduled, Rule::Q3, format!("session {number} is not scheduled")),
        }
        if let Some(running) = self.session_in_progress().filter(|running| running.number != number) {
            verdict.fail(Code::SessionInProgress, Rule::Q3, format!("session {} is still in progress", running.number));
        }
        if let Some(earlier) =
            (1..number).find(|earlier| self.active_session(*earlier).is_none_or(|s| s.status != SessionStatus::Held))
        {
            verdict.fail(
                Code::SessionOutOfOrder,
                Rule::Q3,
                format!("session {earlier} must be held before session {number} starts"),
            );
        }
        for attendee in &started.attendees {
            match self.participants.role_of(attendee) {
                Some(Role::Supervisor) => verdict.fail(
                    Code::SupervisorInSession,
                    Rule::Q3,
                    format!("the supervisor {attendee} joins only the midpoint check-in, not a coaching session"),
                ),
                Some(Role::ProgramAdmin) => verdict.fail(
                    Code::ThirdPartyInSession,
                    Rule::Q3,
                    format!("programme admin {attendee} may not attend a coaching session"),
                ),
                Some(_) => {}
                None => {
                    verdict.fail(Code::NotAParticipant, Rule::Q3, format!("attendee {attendee} is not a participant"))
                }
            }
        }
        let missing = self.absent(&[Role::Coachee, Role::Coach], &started.attendees);
        if !missing.is_empty() {
            verdict.fail(Code::MissingAttendee, Rule::Q3, format!("a session needs {}", missing.join(" and ")));
        }
    }

    pub(super) fn fold_session_started(&mut self, started: &SessionStarted, at: Timestamp) {
        let attendees = self.unjudged(|| started.attendees.clone());
        if let Some(session) = self.waiting_session_mut(started.session) {
            session.status = SessionStatus::InProgress;
            session.started_at = Some(at);
            session.attendees = attendees;
        }
    }

    /// Q4, and the script's P2 (required steps) and P3 (warnings) when a session ends.
    pub(super) fn check_session_end(&self, number: u32, verdict: &mut Verdict) {
        let Some(session) = self.session_in_progress().filter(|session| session.number == number) else {
            verdict.fail(Code::SessionNotInProgress, Rule::Q4, format!("session {number} is not in progress"));
            return;
        };
        let script = self.policy.script();
        let missing: Vec<&str> = script
            .iter()
            .filter(|definition| definition.required && !session.has_step(&definition.name))
            .map(|definition| definition.name.as_ref())
            .collect();
        if !missing.is_empty() {
            let message = format!("required steps missing in session {number}: {}", missing.join(", "));
            match self.policy.script_enforcement {
                ScriptEnforcement::Strict => verdict.fail(Code::RequiredStepsMissing, Rule::P2, message),
                ScriptEnforcement::Advisory => verdict.warn(Code::RequiredStepsMissing, Rule::P2, message),
            }
        }
        let in_script = |step: BuiltinStep| script.iter().any(|definition| definition.name == step.as_str());
        let next_assignment = BuiltinStep::NextAssignment;
        if in_script(next_assignment)
            && !session.has_step(next_assignment.as_str())
            && self.sessions_held() + 1 < self.policy.sessions
        {
            verdict.warn(
                Code::NoNextAppointment,
                Rule::P3,
                format!("session {number} ended without a next assignment while sessions remain"),
            );
        }
        let review = BuiltinStep::AssignmentReview;
        if number > 1 && in_script(review) && !session.has_step(review.as_str()) {
            let open = self.open_actions_of_session(number - 1);
            if !open.is_empty() {
                verdict.warn(
                    Code::ActionsNotReviewed,
                    Rule::P3,
                    format!("session {number} ended without reviewing open actions: {}", open.join(", ")),
                );
            }
        }
    }

    pub(super) fn fold_session_ended(&mut self, at: Timestamp) {
        // Rules read the steps of the session in progress only.
        let validating_only = self.validating_only;
        if let Some(session) = self.session_in_progress_mut() {
            session.status = SessionStatus::Held;
            session.ended_at = Some(at);
            if validating_only {
                session.steps = Vec::new();
            }
        }
    }
}
