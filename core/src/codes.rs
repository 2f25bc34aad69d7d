//! Stable rule codes and the findings that carry them.
//!
//! Every rule of the contract has one [`Code`]. Codes are part of the public API in every
//! language: their snake_case spelling ([`Code::as_str`]) never changes once released.

use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal : $meaning:literal, )*) => {
        /// Every rule code coachflow reports, as a rejection or as a warning.
        ///
        /// ```
        /// use coachflow::Code;
        /// assert_eq!(Code::SupervisorInSession.as_str(), "supervisor_in_session");
        /// assert_eq!("too_few_goals".parse::<Code>(), Ok(Code::TooFewGoals));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order of the documentation table.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable snake_case spelling of the code.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $text, )* }
            }

            /// One sentence saying what the code means, for documentation tables.
            pub fn meaning(self) -> &'static str {
                match self { $( Code::$variant => $meaning, )* }
            }
        }

        impl std::str::FromStr for Code {
            type Err = UnknownCode;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $( $text => Ok(Code::$variant), )*
                    _ => Err(UnknownCode(text.to_owned())),
                }
            }
        }
    };
}

codes! {
    /// The log declares a schema version this library does not read.
    UnsupportedSchema = "unsupported_schema": "the event declares a `schema` version this library does not read",
    /// The event is not well formed: bad JSON, a missing or mistyped field, an unknown field.
    InvalidEvent = "invalid_event": "the event is malformed: bad JSON, a missing, mistyped, out-of-range or unknown field",
    /// The input is over one of the size caps of [`crate::Limits`].
    LimitExceeded = "limit_exceeded": "a line, text, list, engagement or log is over a size cap of `Limits`",
    /// The event's `type` is not one the contract knows.
    UnknownEventType = "unknown_event_type": "`type` names no event type of the contract",
    /// `seq` skips numbers.
    SequenceGap = "sequence_gap": "`seq` is more than one above the previous event's",
    /// `seq` repeats or goes back.
    DuplicateSeq = "duplicate_seq": "`seq` was already used in this engagement",
    /// `at` is earlier than the previous event's.
    TimeWentBackwards = "time_went_backwards": "`at` is earlier than the previous event's `at`",
    /// The actor, or a named attendee, is not a participant of the engagement.
    NotAParticipant = "not_a_participant": "the person is not (or no longer) a participant of the engagement",
    /// The actor's role may not record this event.
    ActorNotPermitted = "actor_not_permitted": "the actor's role may not record this event (or not on another role's behalf)",
    /// One person was given two roles.
    DuplicateParticipant = "duplicate_participant": "coachee, supervisor, coach and programme admins must be different people",
    /// Any event other than `engagement_opened` before the engagement is opened.
    NotOpened = "not_opened": "the first event of an engagement must be `engagement_opened`",
    /// A second `engagement_opened`.
    AlreadyOpened = "already_opened": "the engagement was already opened",
    /// The event type is not accepted in the current stage.
    WrongStage = "wrong_stage": "this event type is not accepted in the current stage",
    /// The engagement is completed or discontinued.
    EngagementClosed = "engagement_closed": "the engagement is completed or discontinued; only `sponsor_informed` and `consent_revoked` remain possible",
    /// A `stage_advanced` that skips a stage, goes back, or names an unknown stage.
    InvalidTransition = "invalid_transition": "`stage_advanced` must name the next stage, one step forward",
    /// S1.
    CoachNotAssigned = "coach_not_assigned": "S1: no coach is assigned yet",
    /// S2.
    OrientationIncomplete = "orientation_incomplete": "S2: the coachee has not completed the orientation",
    /// S3.
    PreliminaryDiscussionMissing = "preliminary_discussion_missing": "S3: coachee and supervisor have not held the preliminary goal discussion",
    /// S4, and G1 for goals agreed before the meeting.
    GoalSettingMeetingNotHeld = "goal_setting_meeting_not_held": "S4/G1: the three-way goal-setting meeting has not been held",
    /// S5.
    TooFewGoals = "too_few_goals": "S5: fewer goals agreed than `policy.min_goals`",
    /// S6.
    ConfidentialityNotAgreed = "confidentiality_not_agreed": "S6: the coach has not recorded the confidentiality agreement",
    /// S7.
    ResponsibilitiesNotAcknowledged = "responsibilities_not_acknowledged": "S7: coachee, supervisor or coach has not acknowledged their responsibilities",
    /// S8.
    SessionsRemaining = "sessions_remaining": "S8: fewer sessions held than `policy.sessions`",
    /// S9.
    OpenSessions = "open_sessions": "S9: a session is scheduled or in progress",
    /// S10.
    MidpointCheckInMissing = "midpoint_check_in_missing": "S10: the required midpoint check-in has not been held",
    /// S11.
    FinalReviewNotHeld = "final_review_not_held": "S11: the three-way final review meeting has not been held",
    /// S12.
    GoalsNotAssessed = "goals_not_assessed": "S12: an agreed goal has no outcome",
    /// A coachee or coach discontinues without the mutual discussion.
    DiscontinuationWithoutDiscussion = "discontinuation_without_discussion": "coachee and coach discontinue only after a mutual discussion",
    /// A coach is assigned twice.
    CoachAlreadyAssigned = "coach_already_assigned": "a coach is already assigned (use `coach_replaced`)",
    /// A participant acknowledges twice.
    AlreadyAcknowledged = "already_acknowledged": "this participant already acknowledged their responsibilities",
    /// An id (goal, action, meeting, assessment, rater in a survey) is reused.
    DuplicateId = "duplicate_id": "the id is already used in this engagement",
    /// A reference to a meeting, goal, action, session or record that does not exist (or is no longer open).
    UnknownReference = "unknown_reference": "the event refers to something that does not exist or is no longer open",
    /// M2/Q3: a required party is missing from the attendees.
    MissingAttendee = "missing_attendee": "M2/Q3: a party who must attend is not among the attendees",
    /// M2: the meeting was already held.
    MeetingAlreadyHeld = "meeting_already_held": "M2: the meeting was already held",
    /// M3: a second midpoint check-in.
    MidpointAlreadyHeld = "midpoint_already_held": "M3: the midpoint check-in was already held",
    /// M3: the midpoint check-in before half the sessions are held.
    MidpointTooEarly = "midpoint_too_early": "M3: fewer than half of the sessions (rounded up) are held",
    /// M3: the programme switched the midpoint check-in off.
    MidpointDisabled = "midpoint_disabled": "M3: `policy.midpoint_check_in` is `off`",
    /// G1: no organisational priority.
    GoalNotAligned = "goal_not_aligned": "G1: a goal needs a non-empty `org_priority`",
    /// G1: no success measure.
    GoalWithoutMeasure = "goal_without_measure": "G1: a goal needs at least one success measure",
    /// Q1: not the lowest free session number.
    SessionOutOfOrder = "session_out_of_order": "Q1/Q3: sessions are scheduled and started in number order",
    /// Q1: above `policy.sessions`.
    SessionLimitReached = "session_limit_reached": "Q1: the session number is above `policy.sessions`",
    /// Q3: the session is not scheduled (or no longer waiting to start).
    SessionNotScheduled = "session_not_scheduled": "Q3: the session is not scheduled, or already started",
    /// Q3: another session is in progress.
    SessionInProgress = "session_in_progress": "Q3: another session is started and not ended",
    /// Q3: the supervisor is among a regular session's attendees.
    SupervisorInSession = "supervisor_in_session": "Q3: the supervisor joins only the midpoint check-in, never a regular session",
    /// Q3 (project decision): a programme admin is among a regular session's attendees.
    ThirdPartyInSession = "third_party_in_session": "Q3: a regular session is only for coachee and coach; a programme admin may not attend",
    /// Q4/P1: the session is not in progress.
    SessionNotInProgress = "session_not_in_progress": "Q4/P1: the session is not started, or already ended",
    /// F4: a session is opened by consent, or reviewed, only once it has ended.
    SessionNotHeld = "session_not_held": "F4/K1: the session has not ended yet",
    /// P1: the step name is not in the programme's script.
    UnknownStep = "unknown_step": "P1: the step is not in the programme's script",
    /// P1: a step recorded after a later step.
    ScriptStepOutOfOrder = "script_step_out_of_order": "P1: script steps are recorded in script order",
    /// P1: a step recorded twice.
    ScriptStepRepeated = "script_step_repeated": "P1: each step is recorded at most once per session",
    /// P1: `assignment_review` in session 1.
    ScriptStepNotApplicable = "script_step_not_applicable": "P1: `assignment_review` has nothing to review in session 1",
    /// P2: a required step is missing when the session ends (rejection under strict, warning otherwise).
    RequiredStepsMissing = "required_steps_missing": "P2: required script steps are missing (rejected under `strict`, a warning under `advisory`)",
    /// P3 warning.
    ActionsNotReviewed = "actions_not_reviewed": "P3 (warning): open actions from the previous session were not reviewed",
    /// P3 warning.
    NoNextAppointment = "no_next_appointment": "P3 (warning): the session ended without a next assignment while sessions remain",
    /// R3: a response to, or a second closing of, a closed survey.
    SurveyAlreadyClosed = "survey_already_closed": "R3: the survey is closed and takes no more responses",
    /// F1.
    ConfidentialityLimitsUnstated = "confidentiality_limits_unstated": "F1: the coach must state the limits of confidentiality",
    /// F2.
    AgreementNotReviewedInMeeting = "agreement_not_reviewed_in_meeting": "F2: `reviewed_on` is not the date of a held goal-setting or alignment meeting",
    /// F5.
    DisclosureOutsideLimits = "disclosure_outside_limits": "F5: a disclosure must fall under a limit named in the agreement",
}

impl Code {
    /// Whether this code is reported as a warning (never blocks) rather than a rejection.
    ///
    /// `required_steps_missing` is both: a warning under advisory script enforcement and a
    /// rejection under strict; this returns `false` for it.
    pub fn is_warning_only(self) -> bool {
        matches!(self, Code::ActionsNotReviewed | Code::NoNextAppointment)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A string that is not one of the [`Code`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a coachflow rule code")]
pub struct UnknownCode(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_spelling() {
        for code in Code::ALL {
            assert_eq!(code.as_str().parse::<Code>(), Ok(*code));
            assert!(!code.meaning().is_empty());
        }
        assert!("no_such_code".parse::<Code>().is_err());
    }

    #[test]
    fn spellings_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(text.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{text}");
            assert!(seen.insert(text), "{text} twice");
        }
    }
}
