//! [`Engagement`]: the fold of an engagement's events, and every rule that decides whether
//! the next event may be applied.

use crate::codes::{Code, Finding, Rejection};
use crate::event::{Event, EventBody, EventType, StepContent, Timestamp, MAX_PARTICIPANT_ID_CHARS};
use crate::limits::Limits;
use crate::model::{MeetingKind, MidpointCheckIn, Policy, Role, ScriptEnforcement, Stage};
use crate::rules::{accepted_stages, permitted_roles, GUARDS};
use crate::state::*;
use serde::Serialize;

/// Coachee, supervisor and coach: who attends three-way meetings and acknowledges responsibilities.
pub(crate) const THREE_WAY: &[Role] = &[Role::Coachee, Role::Supervisor, Role::Coach];

/// The result of applying an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The event's position in the engagement's log.
    pub seq: u64,
    /// Warnings (they never block).
    pub warnings: Vec<Finding>,
}

/// One guard of a target stage and whether it holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The code reported when the guard is unmet.
    pub code: Code,
    /// Rule reference (`S1` ... `S12`).
    pub rule: &'static str,
    /// Whether the guard holds.
    pub met: bool,
    /// What the guard asks, with what is missing when unmet.
    pub message: String,
}

/// A replay stopped at a rejected event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {index} was rejected: {rejection}")]
pub struct ReplayError {
    /// 0-based index of the rejected event in the input.
    pub index: usize,
    /// Why.
    pub rejection: Rejection,
}

/// The rule findings gathered while judging one event.
#[derive(Default)]
struct Verdict {
    violations: Vec<Finding>,
    warnings: Vec<Finding>,
}

impl Verdict {
    fn fail(&mut self, code: Code, rule: &'static str, message: impl Into<String>) {
        self.violations.push(Finding::new(code, rule, message));
    }

    fn warn(&mut self, code: Code, rule: &'static str, message: impl Into<String>) {
        self.warnings.push(Finding::new(code, rule, message));
    }
}

/// One engagement: the fold of its events.
///
/// ```
/// use coachflow::{Engagement, Event, Stage, Code};
/// let mut engagement = Engagement::new("eng-7");
/// let open = Event::from_json(r#"{"engagement":"eng-7","at":"2026-01-05T09:00:00Z","actor":"hr",
///     "type":"engagement_opened","coachee":"cleo","supervisor":"sam","program_admins":["hr"]}"#).unwrap();
/// engagement.apply(open).unwrap();
/// assert_eq!(engagement.stage(), Stage::PreWork);
///
/// // No coach yet, orientation and preliminary discussion missing: every guard is reported.
/// let advance = Event::from_json(r#"{"engagement":"eng-7","at":"2026-01-06T09:00:00Z","actor":"sam",
///     "type":"stage_advanced","to":"goal_setting"}"#).unwrap();
/// let rejection = engagement.apply(advance).unwrap_err();
/// assert_eq!(rejection.codes(), [Code::CoachNotAssigned, Code::OrientationIncomplete, Code::PreliminaryDiscussionMissing]);
/// assert_eq!(engagement.log().len(), 1, "a rejected event changes nothing");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Engagement {
    id: String,
    opened: bool,
    policy: Policy,
    stage: Stage,
    stage_history: Vec<StageEntry>,
    participants: Participants,
    last_at: Option<Timestamp>,
    orientation_completed_at: Option<Timestamp>,
    preliminary_discussions: Vec<Note>,
    acknowledged: Vec<String>,
    meetings: Vec<Meeting>,
    confidentiality: Option<ConfidentialityAgreement>,
    goals: Vec<Goal>,
    sessions: Vec<Session>,
    actions: Vec<Action>,
    assessments: Vec<Assessment>,
    rater_responses: Vec<RaterResponse>,
    progress_feedback: Vec<Note>,
    engagement_levels: Vec<LevelRating>,
    summaries: Vec<Note>,
    consents: Vec<ConsentGrant>,
    disclosures: Vec<Disclosure>,
    final_review: Option<FinalReview>,
    discontinuation: Option<Discontinuation>,
    sponsor_explanations: Vec<Note>,
    coach_changes: Vec<CoachChange>,
    log: Vec<Event>,
    /// How events are checked, not what happened: left out of the serialized state.
    #[serde(skip)]
    limits: Limits,
}

impl Engagement {
    /// An engagement with this id and no events yet. Its first event must be `engagement_opened`.
    pub fn new(id: impl Into<String>) -> Engagement {
        Engagement {
            id: id.into(),
            opened: false,
            policy: Policy::default(),
            stage: Stage::PreWork,
            stage_history: Vec::new(),
            participants: Participants::default(),
            last_at: None,
            orientation_completed_at: None,
            preliminary_discussions: Vec::new(),
            acknowledged: Vec::new(),
            meetings: Vec::new(),
            confidentiality: None,
            goals: Vec::new(),
            sessions: Vec::new(),
            actions: Vec::new(),
            assessments: Vec::new(),
            rater_responses: Vec::new(),
            progress_feedback: Vec::new(),
            engagement_levels: Vec::new(),
            summaries: Vec::new(),
            consents: Vec::new(),
            disclosures: Vec::new(),
            final_review: None,
            discontinuation: None,
            sponsor_explanations: Vec::new(),
            coach_changes: Vec::new(),
            log: Vec::new(),
            limits: Limits::DEFAULT,
        }
    }

    /// The same engagement with other size caps; every later event is checked against them.
    pub fn with_limits(mut self, limits: Limits) -> Engagement {
        self.limits = limits;
        self
    }

    /// The size caps events are checked against ([`Limits::DEFAULT`] unless changed).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Replays a whole log of one engagement; the id is the first event's. Stops at the first
    /// rejected event.
    pub fn replay(events: impl IntoIterator<Item = Event>) -> Result<Engagement, ReplayError> {
        Engagement::replay_with_limits(events, &Limits::DEFAULT)
    }

    /// [`Engagement::replay`] under other size caps.
    pub fn replay_with_limits(
        events: impl IntoIterator<Item = Event>,
        limits: &Limits,
    ) -> Result<Engagement, ReplayError> {
        let mut events = events.into_iter().peekable();
        let id = events.peek().map(|event| event.engagement.clone()).unwrap_or_default();
        let mut engagement = Engagement::new(id).with_limits(*limits);
        for (index, event) in events.enumerate() {
            engagement.apply(event).map_err(|rejection| ReplayError { index, rejection })?;
        }
        Ok(engagement)
    }

    /// Replays one engagement written as JSON Lines (blank lines are skipped). The `index` of
    /// a [`ReplayError`] counts events, not lines: the first event is 0.
    ///
    /// ```
    /// use coachflow::{Code, Engagement};
    /// let log = "{\"engagement\":\"e\",\"at\":\"2026-01-05T09:00:00Z\",\"actor\":\"s\",\"type\":\"engagement_opened\",\"coachee\":\"c\",\"supervisor\":\"s\"}\n\n{oops";
    /// let error = Engagement::replay_jsonl(log).unwrap_err();
    /// assert_eq!((error.index, error.rejection.codes()), (1, vec![Code::InvalidEvent]));
    /// ```
    pub fn replay_jsonl(text: &str) -> Result<Engagement, ReplayError> {
        Engagement::replay_jsonl_with_limits(text, &Limits::DEFAULT)
    }

    /// [`Engagement::replay_jsonl`] under other size caps, `max_line_bytes` included.
    pub fn replay_jsonl_with_limits(text: &str, limits: &Limits) -> Result<Engagement, ReplayError> {
        let mut engagement: Option<Engagement> = None;
        for (index, line) in text.lines().filter(|line| !line.trim().is_empty()).enumerate() {
            let fail = |rejection| ReplayError { index, rejection };
            if line.len() > limits.max_line_bytes {
                return Err(fail(limits.line_too_long(line.len()).into()));
            }
            let event = Event::from_json(line).map_err(fail)?;
            let target =
                engagement.get_or_insert_with(|| Engagement::new(event.engagement.clone()).with_limits(*limits));
            target.apply(event).map_err(fail)?;
        }
        Ok(engagement.unwrap_or_else(|| Engagement::new("").with_limits(*limits)))
    }

    /// Applies an event: either every rule holds and the event is appended (its `seq`
    /// assigned when absent), or nothing changes and every violated rule is returned.
    pub fn apply(&mut self, mut event: Event) -> Result<Applied, Rejection> {
        let warnings = self.check(&event)?;
        let seq = self.next_seq();
        event.seq = Some(seq);
        self.fold(&event);
        self.log.push(event);
        Ok(Applied { seq, warnings })
    }

    /// The verdict `apply` would give, without changing anything: the warnings when the
    /// event would apply, every violated rule when it would not.
    pub fn check(&self, event: &Event) -> Result<Vec<Finding>, Rejection> {
        let verdict = self.evaluate(event);
        if verdict.violations.is_empty() {
            Ok(verdict.warnings)
        } else {
            Err(Rejection { violations: verdict.violations })
        }
    }

    // ----- read access -------------------------------------------------------------------

    /// The engagement id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Whether `engagement_opened` was applied.
    pub fn is_opened(&self) -> bool {
        self.opened
    }
    /// The current stage (`pre_work` before opening).
    pub fn stage(&self) -> Stage {
        self.stage
    }
    /// When each stage was entered, oldest first.
    pub fn stage_history(&self) -> &[StageEntry] {
        &self.stage_history
    }
    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }
    /// Who takes part.
    pub fn participants(&self) -> &Participants {
        &self.participants
    }
    /// The role of a current participant.
    pub fn role_of(&self, participant: &str) -> Option<Role> {
        self.participants.role_of(participant)
    }
    /// When the orientation was completed.
    pub fn orientation_completed_at(&self) -> Option<Timestamp> {
        self.orientation_completed_at
    }
    /// Preliminary goal discussions.
    pub fn preliminary_discussions(&self) -> &[Note] {
        &self.preliminary_discussions
    }
    /// Participants who acknowledged their responsibilities.
    pub fn acknowledged(&self) -> &[String] {
        &self.acknowledged
    }
    /// Meetings, in scheduling order.
    pub fn meetings(&self) -> &[Meeting] {
        &self.meetings
    }
    /// The confidentiality agreement.
    pub fn confidentiality(&self) -> Option<&ConfidentialityAgreement> {
        self.confidentiality.as_ref()
    }
    /// Goals, in agreement order.
    pub fn goals(&self) -> &[Goal] {
        &self.goals
    }
    /// Every scheduling of a session, in order (cancelled and missed ones included).
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }
    /// Actions, in commitment order.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }
    /// Assessments.
    pub fn assessments(&self) -> &[Assessment] {
        &self.assessments
    }
    /// 360 responses (with rater ids: never show these directly).
    pub fn rater_responses(&self) -> &[RaterResponse] {
        &self.rater_responses
    }
    /// The sponsor's progress feedback.
    pub fn progress_feedback(&self) -> &[Note] {
        &self.progress_feedback
    }
    /// Engagement level ratings, oldest first.
    pub fn engagement_levels(&self) -> &[LevelRating] {
        &self.engagement_levels
    }
    /// Summaries the coachee shared.
    pub fn summaries(&self) -> &[Note] {
        &self.summaries
    }
    /// Records currently open to a role by consent.
    pub fn consents(&self) -> &[ConsentGrant] {
        &self.consents
    }
    /// Disclosures.
    pub fn disclosures(&self) -> &[Disclosure] {
        &self.disclosures
    }
    /// The final review record.
    pub fn final_review(&self) -> Option<&FinalReview> {
        self.final_review.as_ref()
    }
    /// How the engagement was discontinued.
    pub fn discontinuation(&self) -> Option<&Discontinuation> {
        self.discontinuation.as_ref()
    }
    /// The coachee's explanations to the sponsor.
    pub fn sponsor_explanations(&self) -> &[Note] {
        &self.sponsor_explanations
    }
    /// Coach replacements.
    pub fn coach_changes(&self) -> &[CoachChange] {
        &self.coach_changes
    }
    /// The fields of a recorded script step, read from its log entry.
    pub fn step_content(&self, step: &RecordedStep) -> Option<&StepContent> {
        let index = usize::try_from(step.seq.checked_sub(1)?).ok()?;
        match &self.log.get(index)?.body {
            EventBody::ScriptStep(recorded) => Some(&recorded.content),
            _ => None,
        }
    }
    /// Every applied event, in order, with `seq` filled in.
    pub fn log(&self) -> &[Event] {
        &self.log
    }
    /// The log as JSON Lines (one event per line, each line ending in `\n`).
    pub fn to_jsonl(&self) -> String {
        let mut out = String::new();
        for event in &self.log {
            out.push_str(&event.to_json());
            out.push('\n');
        }
        out
    }
    /// Sessions held (ended).
    pub fn sessions_held(&self) -> u32 {
        let held = self.sessions.iter().filter(|session| session.status == SessionStatus::Held).count();
        u32::try_from(held).unwrap_or(u32::MAX)
    }

    fn next_seq(&self) -> u64 {
        self.log.len() as u64 + 1
    }

    /// The scheduling that currently holds session number `number` (scheduled, in progress or held).
    fn active_session(&self, number: u32) -> Option<&Session> {
        self.sessions.iter().rev().find(|session| session.number == number && session.status.occupies_number())
    }

    fn session_in_progress(&self) -> Option<&Session> {
        self.sessions.iter().find(|session| session.status == SessionStatus::InProgress)
    }

    fn lowest_free_session(&self) -> u32 {
        let mut number = 1;
        while self.active_session(number).is_some() {
            number += 1;
        }
        number
    }

    fn meeting(&self, id: &str) -> Option<&Meeting> {
        self.meetings.iter().find(|meeting| meeting.id == id)
    }

    fn held_meeting(&self, kind: MeetingKind) -> bool {
        self.meetings.iter().any(|meeting| meeting.kind == kind && meeting.status == MeetingStatus::Held)
    }

    fn goal(&self, id: &str) -> Option<&Goal> {
        self.goals.iter().find(|goal| goal.id == id)
    }

    fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|action| action.item.id == id)
    }

    /// Open actions committed in the held session numbered `number`.
    fn open_actions_of_session(&self, number: u32) -> Vec<&str> {
        self.actions
            .iter()
            .filter(|action| action.session == number && action.status == ActionStatus::Open)
            .map(|action| action.item.id.as_str())
            .collect()
    }

    // ----- guards ------------------------------------------------------------------------

    /// Each guard of `target` with met/unmet, for a checklist before the "advance" button.
    /// Guards switched off by the policy are left out. Stages without guards give an empty list.
    pub fn requirements(&self, target: Stage) -> Vec<Requirement> {
        GUARDS
            .iter()
            .filter(|guard| guard.to == target)
            .filter_map(|guard| {
                let met = self.guard_met(guard.code)?;
                Some(Requirement {
                    code: guard.code,
                    rule: guard.rule,
                    met,
                    message: self.guard_message(guard.code, met),
                })
            })
            .collect()
    }

    /// Whether a guard holds; `None` when the policy switches it off.
    pub(crate) fn guard_met(&self, code: Code) -> Option<bool> {
        let policy = &self.policy;
        Some(match code {
            Code::CoachNotAssigned => self.participants.coach.is_some(),
            Code::OrientationIncomplete => {
                policy.require_orientation.then_some(self.orientation_completed_at.is_some())?
            }
            Code::PreliminaryDiscussionMissing => {
                policy.require_preliminary_discussion.then_some(!self.preliminary_discussions.is_empty())?
            }
            Code::GoalSettingMeetingNotHeld => self.held_meeting(MeetingKind::GoalSetting),
            Code::TooFewGoals => self.goals.len() >= policy.min_goals as usize,
            Code::ConfidentialityNotAgreed => self.confidentiality.is_some(),
            Code::ResponsibilitiesNotAcknowledged => {
                policy.require_acknowledgements.then(|| self.absent(THREE_WAY, &self.acknowledged).is_empty())?
            }
            Code::SessionsRemaining => self.sessions_held() >= policy.sessions,
            Code::OpenSessions => self.waiting_or_running_session().is_none(),
            Code::MidpointCheckInMissing => (policy.midpoint_check_in == MidpointCheckIn::Required)
                .then(|| self.held_meeting(MeetingKind::MidpointCheckIn))?,
            Code::FinalReviewNotHeld => self.held_meeting(MeetingKind::FinalReview),
            Code::GoalsNotAssessed => self.goals.iter().all(|goal| goal.assessment.is_some()),
            _ => return None,
        })
    }

    /// What a guard asks, saying what is missing when it is unmet.
    fn guard_message(&self, code: Code, met: bool) -> String {
        let policy = &self.policy;
        let choose = |yes: &str, no: &str| if met { yes.to_owned() } else { no.to_owned() };
        match code {
            Code::CoachNotAssigned => match &self.participants.coach {
                Some(coach) => format!("coach {coach} is assigned"),
                None => "no coach is assigned yet".to_owned(),
            },
            Code::OrientationIncomplete => {
                choose("the coachee completed the orientation", "the coachee has not completed the orientation")
            }
            Code::PreliminaryDiscussionMissing => choose(
                "the preliminary goal discussion was held",
                "coachee and supervisor have not held the preliminary goal discussion",
            ),
            Code::GoalSettingMeetingNotHeld => {
                choose("the goal-setting meeting was held", "the three-way goal-setting meeting has not been held")
            }
            Code::TooFewGoals => format!("{} of at least {} goals agreed", self.goals.len(), policy.min_goals),
            Code::ConfidentialityNotAgreed => choose(
                "the confidentiality agreement was reviewed",
                "the coach has not recorded the confidentiality agreement",
            ),
            Code::ResponsibilitiesNotAcknowledged => {
                let missing = self.absent(THREE_WAY, &self.acknowledged);
                if missing.is_empty() {
                    "coachee, supervisor and coach acknowledged their responsibilities".to_owned()
                } else {
                    format!("not yet acknowledged: {}", missing.join(", "))
                }
            }
            Code::SessionsRemaining => format!("{} of {} sessions held", self.sessions_held(), policy.sessions),
            Code::OpenSessions => match self.waiting_or_running_session() {
                Some(open) if open.status == SessionStatus::InProgress => {
                    format!("session {} is still in progress", open.number)
                }
                Some(open) => format!("session {} is still scheduled", open.number),
                None => "no session is scheduled or in progress".to_owned(),
            },
            Code::MidpointCheckInMissing => {
                choose("the midpoint check-in was held", "the required midpoint check-in has not been held")
            }
            Code::FinalReviewNotHeld => {
                choose("the final review meeting was held", "the three-way final review meeting has not been held")
            }
            Code::GoalsNotAssessed => {
                let open: Vec<&str> =
                    self.goals.iter().filter(|goal| goal.assessment.is_none()).map(|goal| goal.id.as_str()).collect();
                if open.is_empty() {
                    "every agreed goal has an outcome".to_owned()
                } else {
                    format!("goals without an outcome: {}", open.join(", "))
                }
            }
            other => other.meaning().to_owned(),
        }
    }

    /// The people in `roles` who are not in `present`, described for messages
    /// ("the coach (kim)", or "the coach (none assigned)").
    fn absent(&self, roles: &[Role], present: &[String]) -> Vec<String> {
        roles
            .iter()
            .filter_map(|role| match self.participants.with_role(*role).first() {
                Some(id) if present.iter().any(|person| person == id) => None,
                Some(id) => Some(format!("the {role} ({id})")),
                None => Some(format!("the {role} (none assigned)")),
            })
            .collect()
    }

    fn waiting_or_running_session(&self) -> Option<&Session> {
        self.sessions
            .iter()
            .find(|session| matches!(session.status, SessionStatus::Scheduled | SessionStatus::InProgress))
    }

    // ----- what a participant may do, and owes -----------------------------------------

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

    pub(crate) fn stranger(&self, participant: &str) -> Finding {
        let former = self.participants.former_coaches.iter().any(|former| former == participant);
        Finding::new(
            Code::NotAParticipant,
            "L5",
            if former {
                format!("{participant} was replaced as coach and is no longer a participant")
            } else {
                format!("{participant} is not a participant of engagement {}", self.id)
            },
        )
    }

    // ----- rules -------------------------------------------------------------------------

    fn evaluate(&self, event: &Event) -> Verdict {
        let mut verdict = Verdict::default();
        // Size first: a rule message should never have to quote an oversized value.
        if self.log.len() >= self.limits.max_events_per_engagement {
            verdict.violations.push(self.limits.too_many_events());
            return verdict;
        }
        if let Err(finding) = self.limits.check_event(event) {
            verdict.violations.push(finding);
            return verdict;
        }
        let kind = event.event_type();
        if !self.id.is_empty() && event.engagement != self.id {
            verdict.fail(
                Code::InvalidEvent,
                "L2",
                format!("the event belongs to engagement {}, not {}", event.engagement, self.id),
            );
        }
        if let Some(seq) = event.seq {
            let expected = self.next_seq();
            if seq < expected {
                verdict.fail(Code::DuplicateSeq, "L3", format!("seq {seq} is already used; the next is {expected}"));
            } else if seq > expected {
                verdict.fail(Code::SequenceGap, "L3", format!("seq {seq} skips ahead; the next is {expected}"));
            }
        }
        if let Some(last) = self.last_at {
            if event.at < last {
                verdict.fail(
                    Code::TimeWentBackwards,
                    "L4",
                    format!("at {} is earlier than the previous event's {last}", event.at),
                );
            }
        }
        if !self.opened {
            match &event.body {
                EventBody::EngagementOpened(opened) => self.check_opening(event, opened, &mut verdict),
                _ => verdict.fail(Code::NotOpened, "L7", format!("{kind} before engagement_opened")),
            }
            return verdict;
        }
        if kind == EventType::EngagementOpened {
            verdict.fail(Code::AlreadyOpened, "L7", format!("engagement {} is already open", self.id));
            return verdict;
        }
        let role = self.participants.role_of(&event.actor);
        match role {
            None => verdict.violations.push(self.stranger(&event.actor)),
            Some(role) if !permitted_roles(kind).contains(&role) => {
                verdict.fail(Code::ActorNotPermitted, "L5", format!("a {role} may not record {kind}"))
            }
            Some(_) => {}
        }
        if self.stage.is_terminal() && !matches!(kind, EventType::SponsorInformed | EventType::ConsentRevoked) {
            verdict.fail(
                Code::EngagementClosed,
                "T3",
                format!("the engagement is {}; {kind} is no longer possible", self.stage),
            );
            return verdict;
        }
        if !accepted_stages(kind).contains(&self.stage) {
            verdict.fail(Code::WrongStage, "T2", format!("{kind} is not accepted in {}", self.stage));
        }
        self.check_payload(event, role, &mut verdict);
        verdict
    }

    fn check_participant_id(id: &str, field: &str, verdict: &mut Verdict) {
        if id.is_empty() || id.chars().count() > MAX_PARTICIPANT_ID_CHARS {
            verdict.fail(
                Code::InvalidEvent,
                "O1",
                format!("`{field}` must be a participant id of 1 to {MAX_PARTICIPANT_ID_CHARS} characters"),
            );
        }
    }

    fn check_id(id: &str, field: &str, verdict: &mut Verdict) {
        if id.trim().is_empty() {
            verdict.fail(Code::InvalidEvent, "L2", format!("`{field}` must not be empty"));
        }
    }

    fn check_opening(&self, event: &Event, opened: &crate::event::EngagementOpened, verdict: &mut Verdict) {
        let mut people: Vec<(&str, &str)> =
            vec![("coachee", opened.coachee.as_str()), ("supervisor", opened.supervisor.as_str())];
        if let Some(coach) = &opened.coach {
            people.push(("coach", coach.as_str()));
        }
        for admin in opened.program_admins.iter().flatten() {
            people.push(("program_admins", admin.as_str()));
        }
        for (field, id) in &people {
            Self::check_participant_id(id, field, verdict);
        }
        for (index, (field, id)) in people.iter().enumerate() {
            if people.iter().take(index).any(|(_, earlier)| earlier == id) {
                verdict.fail(
                    Code::DuplicateParticipant,
                    "O1",
                    format!("{id} is named twice (again as {field}); one person has one role"),
                );
            }
        }
        if !people.iter().any(|(_, id)| *id == event.actor) {
            verdict.fail(
                Code::NotAParticipant,
                "L5",
                format!("{} opens the engagement but is not one of its participants", event.actor),
            );
        }
        if let Some(policy) = &opened.policy {
            verdict.violations.extend(policy.problems());
        }
    }

    fn check_new_coach(&self, coach: &str, verdict: &mut Verdict) {
        Self::check_participant_id(coach, "coach", verdict);
        if let Some(role) = self.participants.role_of(coach) {
            verdict.fail(
                Code::DuplicateParticipant,
                "O1",
                format!("{coach} is already the {role}; one person has one role"),
            );
        }
    }

    fn check_payload(&self, event: &Event, role: Option<Role>, verdict: &mut Verdict) {
        match &event.body {
            EventBody::EngagementOpened(_)
            | EventBody::OrientationCompleted
            | EventBody::PreliminaryGoalsDiscussed(_) => {}
            EventBody::CoachAssigned(assigned) => {
                if let Some(coach) = &self.participants.coach {
                    verdict.fail(
                        Code::CoachAlreadyAssigned,
                        "O2",
                        format!("{coach} is already the coach; use coach_replaced"),
                    );
                }
                self.check_new_coach(&assigned.coach, verdict);
            }
            EventBody::CoachReplaced(replaced) => {
                self.check_new_coach(&replaced.coach, verdict);
                if self.participants.coach.is_none() {
                    verdict.fail(Code::CoachNotAssigned, "O2", "there is no coach to replace");
                }
            }
            EventBody::ResponsibilitiesAcknowledged => {
                if self.acknowledged.contains(&event.actor) {
                    verdict.fail(
                        Code::AlreadyAcknowledged,
                        "A1",
                        format!("{} already acknowledged their responsibilities", event.actor),
                    );
                }
            }
            EventBody::MeetingScheduled(scheduled) => {
                Self::check_id(&scheduled.meeting, "meeting", verdict);
                if self.meeting(&scheduled.meeting).is_some() {
                    verdict.fail(Code::DuplicateId, "U1", format!("meeting {} already exists", scheduled.meeting));
                }
                if !scheduled.kind.scheduling_stages().contains(&self.stage) {
                    verdict.fail(
                        Code::WrongStage,
                        "M1",
                        format!("a {} meeting is not scheduled in {}", scheduled.kind, self.stage),
                    );
                }
                if scheduled.kind == MeetingKind::MidpointCheckIn {
                    self.check_midpoint(false, verdict);
                }
            }
            EventBody::MeetingHeld(held) => {
                match self.meeting(&held.meeting) {
                    None => verdict.fail(
                        Code::UnknownReference,
                        "M2",
                        format!("meeting {} was never scheduled", held.meeting),
                    ),
                    Some(meeting) => match meeting.status {
                        MeetingStatus::Held => verdict.fail(
                            Code::MeetingAlreadyHeld,
                            "M2",
                            format!("meeting {} was already held", meeting.id),
                        ),
                        MeetingStatus::Cancelled => {
                            verdict.fail(Code::UnknownReference, "M2", format!("meeting {} was cancelled", meeting.id))
                        }
                        MeetingStatus::Scheduled => {
                            if !meeting.kind.holding_stages().contains(&self.stage) {
                                verdict.fail(
                                    Code::WrongStage,
                                    "M1",
                                    format!("a {} meeting is not held in {}", meeting.kind, self.stage),
                                );
                            }
                            if meeting.kind == MeetingKind::MidpointCheckIn {
                                self.check_midpoint(true, verdict);
                            }
                        }
                    },
                }
                self.check_attendees(&held.attendees, "M2", verdict);
                let missing = self.absent(THREE_WAY, &held.attendees);
                if !missing.is_empty() {
                    verdict.fail(
                        Code::MissingAttendee,
                        "M2",
                        format!("a three-way meeting needs {}", missing.join(" and ")),
                    );
                }
            }
            EventBody::MeetingCancelled(cancelled) => match self.meeting(&cancelled.meeting) {
                None => verdict.fail(
                    Code::UnknownReference,
                    "M2",
                    format!("meeting {} was never scheduled", cancelled.meeting),
                ),
                Some(meeting) if meeting.status == MeetingStatus::Held => {
                    verdict.fail(Code::MeetingAlreadyHeld, "M2", format!("meeting {} was already held", meeting.id))
                }
                Some(meeting) if meeting.status == MeetingStatus::Cancelled => {
                    verdict.fail(Code::UnknownReference, "M2", format!("meeting {} is already cancelled", meeting.id))
                }
                Some(_) => {}
            },
            EventBody::ConfidentialityAgreed(agreed) => {
                if !agreed.limits.has_content() {
                    verdict.fail(
                        Code::ConfidentialityLimitsUnstated,
                        "F1",
                        "the coach must state at least one limit of confidentiality",
                    );
                }
                let reviewed_in_meeting = self.meetings.iter().any(|meeting| {
                    meeting.status == MeetingStatus::Held
                        && matches!(meeting.kind, MeetingKind::GoalSetting | MeetingKind::Alignment)
                        && (meeting.starts_at.date() == agreed.reviewed_on
                            || meeting.held_at.is_some_and(|at| at.date() == agreed.reviewed_on))
                });
                if !reviewed_in_meeting {
                    verdict.fail(
                        Code::AgreementNotReviewedInMeeting,
                        "F2",
                        format!("no goal-setting or alignment meeting was held on {}", agreed.reviewed_on),
                    );
                }
            }
            EventBody::GoalAgreed(goal) => {
                Self::check_id(&goal.goal, "goal", verdict);
                if self.goal(&goal.goal).is_some() {
                    verdict.fail(Code::DuplicateId, "G1", format!("goal {} already exists", goal.goal));
                }
                Self::check_goal_fields(Some(&goal.org_priority), Some(&goal.success_measures), verdict);
                if self.stage == Stage::GoalSetting && !self.held_meeting(MeetingKind::GoalSetting) {
                    verdict.fail(
                        Code::GoalSettingMeetingNotHeld,
                        "G1",
                        "goals are agreed once the three-way goal-setting meeting is held",
                    );
                }
            }
            EventBody::GoalRevised(revised) => {
                self.check_goal_exists(&revised.goal, verdict);
                if revised.statement.is_none()
                    && revised.org_priority.is_none()
                    && revised.success_measures.is_none()
                    && revised.activities.is_none()
                {
                    verdict.fail(
                        Code::InvalidEvent,
                        "L2",
                        "goal_revised changes none of statement, org_priority, success_measures, activities",
                    );
                }
                Self::check_goal_fields(revised.org_priority.as_ref(), revised.success_measures.as_ref(), verdict);
            }
            EventBody::GoalProgressNoted(progress) => {
                self.check_goal_exists(&progress.goal, verdict);
                if progress.percent.is_some_and(|percent| !(0.0..=100.0).contains(&percent)) {
                    verdict.fail(Code::InvalidEvent, "L2", "`percent` must be between 0 and 100");
                }
            }
            EventBody::GoalAssessed(assessed) => self.check_goal_exists(&assessed.goal, verdict),
            EventBody::FinalReviewRecorded(_)
            | EventBody::ProgressFeedbackGiven(_)
            | EventBody::EngagementLevelRated(_)
            | EventBody::SummaryShared(_) => {}
            EventBody::SessionScheduled(scheduled) => {
                let number = scheduled.session;
                let lowest = self.lowest_free_session();
                if number == 0 {
                    verdict.fail(Code::InvalidEvent, "Q1", "sessions are numbered from 1");
                } else if number > self.policy.sessions || lowest > self.policy.sessions {
                    verdict.fail(
                        Code::SessionLimitReached,
                        "Q1",
                        format!("the programme has {} sessions", self.policy.sessions),
                    );
                } else if number != lowest {
                    verdict.fail(
                        Code::SessionOutOfOrder,
                        "Q1",
                        format!("session {number} cannot be scheduled yet; the next free number is {lowest}"),
                    );
                }
            }
            EventBody::SessionRescheduled(moved) => self.check_waiting_session(moved.session, "Q1", verdict),
            EventBody::SessionCancelled(cancelled) => self.check_waiting_session(cancelled.session, "Q2", verdict),
            EventBody::SessionMissed(missed) => self.check_waiting_session(missed.session, "Q2", verdict),
            EventBody::SessionStarted(started) => self.check_session_start(started, verdict),
            EventBody::ScriptStep(step) => self.check_script_step(step, role, verdict),
            EventBody::SessionEnded(ended) => self.check_session_end(ended.session, verdict),
            EventBody::ActionCompleted(closed) | EventBody::ActionDropped(closed) => {
                match self.action(&closed.action) {
                    None => {
                        verdict.fail(Code::UnknownReference, "AC1", format!("there is no action {}", closed.action))
                    }
                    Some(action) if action.status != ActionStatus::Open => verdict.fail(
                        Code::UnknownReference,
                        "AC1",
                        format!("action {} is no longer open", closed.action),
                    ),
                    Some(_) => {}
                }
            }
            EventBody::AssessmentRecorded(recorded) => {
                Self::check_id(&recorded.assessment, "assessment", verdict);
                if self.assessments.iter().any(|assessment| assessment.id == recorded.assessment) {
                    verdict.fail(Code::DuplicateId, "U1", format!("assessment {} already exists", recorded.assessment));
                }
            }
            EventBody::RaterFeedbackRecorded(feedback) => {
                Self::check_id(&feedback.survey, "survey", verdict);
                Self::check_id(&feedback.rater, "rater", verdict);
                if self
                    .rater_responses
                    .iter()
                    .any(|response| response.survey == feedback.survey && response.rater == feedback.rater)
                {
                    verdict.fail(
                        Code::DuplicateId,
                        "R0",
                        format!("this rater already answered survey {}", feedback.survey),
                    );
                }
                if feedback.scores.values().any(|score| !score.is_finite()) {
                    verdict.fail(Code::InvalidEvent, "L2", "scores must be finite numbers");
                }
            }
            EventBody::ConsentGranted(consent) | EventBody::ConsentRevoked(consent) => {
                self.check_consent(consent, event.event_type() == EventType::ConsentGranted, verdict)
            }
            EventBody::DisclosureRecorded(disclosure) => {
                let agreed =
                    self.confidentiality.as_ref().is_some_and(|agreement| agreement.limits.contains(&disclosure.limit));
                if !agreed {
                    verdict.fail(
                        Code::DisclosureOutsideLimits,
                        "F5",
                        format!("`{}` is not a limit named in the confidentiality agreement", disclosure.limit),
                    );
                }
            }
            EventBody::StageAdvanced(advanced) => match (advanced.to.parse::<Stage>(), self.stage.next()) {
                (Ok(target), Some(next)) if target == next => {
                    for guard in GUARDS.iter().filter(|guard| guard.to == target) {
                        if self.guard_met(guard.code) == Some(false) {
                            verdict.fail(guard.code, guard.rule, self.guard_message(guard.code, false));
                        }
                    }
                }
                (Ok(target), _) => verdict.fail(
                    Code::InvalidTransition,
                    "T1",
                    format!("{} cannot move to {target}; stages advance one step forward", self.stage),
                ),
                (Err(_), _) => verdict.fail(Code::InvalidTransition, "T1", format!("`{}` is not a stage", advanced.to)),
            },
            EventBody::EngagementDiscontinued(discontinued) => {
                if role.is_some_and(|role| role != discontinued.initiated_by) {
                    verdict.fail(
                        Code::ActorNotPermitted,
                        "D1",
                        format!("initiated_by must be the actor's own role, not {}", discontinued.initiated_by),
                    );
                }
                if matches!(discontinued.initiated_by, Role::Coachee | Role::Coach)
                    && discontinued.mutual_discussion != Some(true)
                {
                    verdict.fail(
                        Code::DiscontinuationWithoutDiscussion,
                        "D1",
                        "coachee and coach discontinue only after discussing it together (mutual_discussion: true)",
                    );
                }
            }
            EventBody::SponsorInformed(_) => {}
        }
    }

    fn check_midpoint(&self, holding: bool, verdict: &mut Verdict) {
        if self.policy.midpoint_check_in == MidpointCheckIn::Off {
            verdict.fail(Code::MidpointDisabled, "M3", "the programme has no midpoint check-in");
        }
        if self.held_meeting(MeetingKind::MidpointCheckIn) {
            verdict.fail(Code::MidpointAlreadyHeld, "M3", "the midpoint check-in was already held");
        }
        let needed = self.policy.midpoint_after();
        let held = self.sessions_held();
        if holding && held < needed {
            verdict.fail(
                Code::MidpointTooEarly,
                "M3",
                format!("{held} sessions held; the midpoint check-in comes after {needed}"),
            );
        }
    }

    fn check_attendees(&self, attendees: &[String], rule: &'static str, verdict: &mut Verdict) {
        for attendee in attendees {
            if self.participants.role_of(attendee).is_none() {
                verdict.fail(Code::NotAParticipant, rule, format!("attendee {attendee} is not a participant"));
            }
        }
    }

    fn check_goal_fields(
        org_priority: Option<&String>,
        measures: Option<&crate::event::TextList>,
        verdict: &mut Verdict,
    ) {
        if org_priority.is_some_and(|priority| priority.trim().is_empty()) {
            verdict.fail(Code::GoalNotAligned, "G1", "a goal names the organisational priority it serves");
        }
        if measures.is_some_and(|measures| !measures.has_content()) {
            verdict.fail(Code::GoalWithoutMeasure, "G1", "a goal has at least one success measure");
        }
    }

    fn check_goal_exists(&self, goal: &str, verdict: &mut Verdict) {
        if self.goal(goal).is_none() {
            verdict.fail(Code::UnknownReference, "G1", format!("there is no goal {goal}"));
        }
    }

    /// A scheduled session that has not started (for reschedule, cancel, missed).
    fn check_waiting_session(&self, number: u32, rule: &'static str, verdict: &mut Verdict) {
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

    fn check_session_start(&self, started: &crate::event::SessionStarted, verdict: &mut Verdict) {
        let number = started.session;
        match self.active_session(number).map(|session| session.status) {
            Some(SessionStatus::Scheduled) => {}
            Some(SessionStatus::InProgress) => {
                verdict.fail(Code::SessionInProgress, "Q3", format!("session {number} already started"))
            }
            Some(_) => verdict.fail(Code::SessionNotScheduled, "Q3", format!("session {number} was already held")),
            None => verdict.fail(Code::SessionNotScheduled, "Q3", format!("session {number} is not scheduled")),
        }
        if let Some(running) = self.session_in_progress().filter(|running| running.number != number) {
            verdict.fail(Code::SessionInProgress, "Q3", format!("session {} is still in progress", running.number));
        }
        if let Some(earlier) =
            (1..number).find(|earlier| self.active_session(*earlier).is_none_or(|s| s.status != SessionStatus::Held))
        {
            verdict.fail(
                Code::SessionOutOfOrder,
                "Q3",
                format!("session {earlier} must be held before session {number} starts"),
            );
        }
        for attendee in &started.attendees {
            match self.participants.role_of(attendee) {
                Some(Role::Supervisor) => verdict.fail(
                    Code::SupervisorInSession,
                    "Q3",
                    format!("the supervisor {attendee} joins only the midpoint check-in, not a coaching session"),
                ),
                Some(Role::ProgramAdmin) => verdict.fail(
                    Code::ThirdPartyInSession,
                    "Q3",
                    format!("programme admin {attendee} may not attend a coaching session"),
                ),
                Some(_) => {}
                None => verdict.fail(Code::NotAParticipant, "Q3", format!("attendee {attendee} is not a participant")),
            }
        }
        let missing = self.absent(&[Role::Coachee, Role::Coach], &started.attendees);
        if !missing.is_empty() {
            verdict.fail(Code::MissingAttendee, "Q3", format!("a session needs {}", missing.join(" and ")));
        }
    }

    fn check_script_step(&self, step: &crate::event::ScriptStep, role: Option<Role>, verdict: &mut Verdict) {
        let session = self.session_in_progress().filter(|session| session.number == step.session);
        if session.is_none() {
            verdict.fail(Code::SessionNotInProgress, "P1", format!("session {} is not in progress", step.session));
        }
        let script = self.policy.script();
        let Some((position, definition)) =
            script.iter().enumerate().find(|(_, definition)| definition.name == step.step)
        else {
            verdict.fail(Code::UnknownStep, "P1", format!("`{}` is not a step of this programme's script", step.step));
            return;
        };
        if role.is_some_and(|role| !definition.owners.contains(&role)) {
            let owners: Vec<&str> = definition.owners.iter().map(|owner| owner.as_str()).collect();
            verdict.fail(
                Code::ActorNotPermitted,
                "P1",
                format!("`{}` is recorded by {}", step.step, owners.join(" or ")),
            );
        }
        if step.step == "assignment_review" && step.session == 1 {
            verdict.fail(Code::ScriptStepNotApplicable, "P1", "there is no assignment to review in session 1");
        }
        if let Some(session) = session {
            if session.steps.iter().any(|recorded| recorded.position == position) {
                verdict.fail(
                    Code::ScriptStepRepeated,
                    "P1",
                    format!("`{}` was already recorded in session {}", step.step, session.number),
                );
            } else if let Some(later) = session.steps.iter().find(|recorded| recorded.position > position) {
                verdict.fail(
                    Code::ScriptStepOutOfOrder,
                    "P1",
                    format!("`{}` comes before `{}` in the script", step.step, later.name),
                );
            }
        }
        match &step.content {
            StepContent::SessionFeedback(feedback) if !(1..=5).contains(&feedback.rating) => {
                verdict.fail(Code::InvalidEvent, "P1", "`rating` must be between 1 and 5");
            }
            StepContent::ActionCommitment(commitment) => {
                for (index, action) in commitment.actions.iter().enumerate() {
                    Self::check_id(&action.id, "actions[].id", verdict);
                    let repeated = commitment.actions.iter().take(index).any(|earlier| earlier.id == action.id);
                    if repeated || self.action(&action.id).is_some() {
                        verdict.fail(Code::DuplicateId, "U1", format!("action {} already exists", action.id));
                    }
                }
            }
            StepContent::AssignmentReview(review) => {
                let reviewed = review.actions_reviewed.as_deref().unwrap_or_default();
                for id in reviewed {
                    if self.action(id).is_none() {
                        verdict.fail(Code::UnknownReference, "P1", format!("there is no action {id}"));
                    }
                }
                if step.session > 1 {
                    let unreviewed: Vec<&str> = self
                        .open_actions_of_session(step.session - 1)
                        .into_iter()
                        .filter(|open| !reviewed.iter().any(|id| id == open))
                        .collect();
                    if !unreviewed.is_empty() {
                        verdict.warn(
                            Code::ActionsNotReviewed,
                            "P3",
                            format!(
                                "open actions from session {} not reviewed: {}",
                                step.session - 1,
                                unreviewed.join(", ")
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn check_session_end(&self, number: u32, verdict: &mut Verdict) {
        let Some(session) = self.session_in_progress().filter(|session| session.number == number) else {
            verdict.fail(Code::SessionNotInProgress, "Q4", format!("session {number} is not in progress"));
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
                ScriptEnforcement::Strict => verdict.fail(Code::RequiredStepsMissing, "P2", message),
                ScriptEnforcement::Advisory => verdict.warn(Code::RequiredStepsMissing, "P2", message),
            }
        }
        let has_step = |name: &str| script.iter().any(|definition| definition.name == name);
        if has_step("next_assignment")
            && !session.has_step("next_assignment")
            && self.sessions_held() + 1 < self.policy.sessions
        {
            verdict.warn(
                Code::NoNextAppointment,
                "P3",
                format!("session {number} ended without a next assignment while sessions remain"),
            );
        }
        if number > 1 && has_step("assignment_review") && !session.has_step("assignment_review") {
            let open = self.open_actions_of_session(number - 1);
            if !open.is_empty() {
                verdict.warn(
                    Code::ActionsNotReviewed,
                    "P3",
                    format!("session {number} ended without reviewing open actions: {}", open.join(", ")),
                );
            }
        }
    }

    fn check_consent(&self, consent: &crate::event::Consent, granting: bool, verdict: &mut Verdict) {
        if !matches!(consent.to, Role::Supervisor | Role::ProgramAdmin) {
            verdict.fail(
                Code::InvalidEvent,
                "F4",
                format!("consent is given to the supervisor or the program_admin, not the {}", consent.to),
            );
        }
        match crate::record::RecordRef::parse(&consent.record) {
            Err(message) => verdict.fail(Code::InvalidEvent, "F4", message),
            Ok(crate::record::RecordRef::GoalProgress(_)) if granting && consent.to == Role::ProgramAdmin => verdict
                .fail(
                    Code::InvalidEvent,
                    "F4",
                    "goal progress notes are shared with the supervisor only; programme admins never see them",
                ),
            Ok(record) => {
                if !record.exists_in(self) {
                    verdict.fail(Code::UnknownReference, "F4", format!("there is no record {}", consent.record));
                }
            }
        }
        if !granting && !self.is_shared(&consent.record, consent.to) {
            verdict.fail(Code::UnknownReference, "F4", format!("{} is not open to the {}", consent.record, consent.to));
        }
    }

    // ----- fold --------------------------------------------------------------------------

    /// Applies an accepted event to the state. Never fails: every rule was checked before.
    fn fold(&mut self, event: &Event) {
        let at = event.at;
        let by = || event.actor.clone();
        self.last_at = Some(at);
        match &event.body {
            EventBody::EngagementOpened(opened) => {
                self.opened = true;
                if self.id.is_empty() {
                    self.id = event.engagement.clone();
                }
                self.participants = Participants {
                    coachee: opened.coachee.clone(),
                    supervisor: opened.supervisor.clone(),
                    coach: opened.coach.clone(),
                    program_admins: opened.program_admins.clone().unwrap_or_default(),
                    former_coaches: Vec::new(),
                };
                self.policy = opened.policy.clone().unwrap_or_default();
                self.stage = Stage::PreWork;
                self.stage_history.push(StageEntry { stage: Stage::PreWork, at });
            }
            EventBody::CoachAssigned(assigned) => self.participants.coach = Some(assigned.coach.clone()),
            EventBody::CoachReplaced(replaced) => {
                if let Some(former) = self.participants.coach.replace(replaced.coach.clone()) {
                    self.participants.former_coaches.retain(|id| *id != replaced.coach);
                    self.participants.former_coaches.push(former.clone());
                    self.coach_changes.push(CoachChange {
                        former,
                        new: replaced.coach.clone(),
                        reason: replaced.reason.clone(),
                        at,
                    });
                }
            }
            EventBody::OrientationCompleted => {
                self.orientation_completed_at.get_or_insert(at);
            }
            EventBody::PreliminaryGoalsDiscussed(discussed) => {
                self.preliminary_discussions.push(Note { at, by: by(), text: discussed.notes.clone() })
            }
            EventBody::ResponsibilitiesAcknowledged => self.acknowledged.push(by()),
            EventBody::MeetingScheduled(scheduled) => self.meetings.push(Meeting {
                id: scheduled.meeting.clone(),
                kind: scheduled.kind,
                starts_at: scheduled.starts_at,
                status: MeetingStatus::Scheduled,
                held_at: None,
                attendees: Vec::new(),
                cancellation_reason: None,
            }),
            EventBody::MeetingHeld(held) => {
                if let Some(meeting) = self.meetings.iter_mut().find(|meeting| meeting.id == held.meeting) {
                    meeting.status = MeetingStatus::Held;
                    meeting.held_at = Some(at);
                    meeting.attendees = held.attendees.clone();
                }
            }
            EventBody::MeetingCancelled(cancelled) => {
                if let Some(meeting) = self.meetings.iter_mut().find(|meeting| meeting.id == cancelled.meeting) {
                    meeting.status = MeetingStatus::Cancelled;
                    meeting.cancellation_reason = cancelled.reason.clone();
                }
            }
            EventBody::ConfidentialityAgreed(agreed) => {
                self.confidentiality = Some(ConfidentialityAgreement {
                    reviewed_on: agreed.reviewed_on,
                    limits: agreed.limits.0.clone(),
                    at,
                })
            }
            EventBody::GoalAgreed(goal) => self.goals.push(Goal {
                id: goal.goal.clone(),
                statement: goal.statement.clone(),
                org_priority: goal.org_priority.clone(),
                success_measures: goal.success_measures.clone(),
                activities: goal.activities.clone().unwrap_or_default(),
                agreed_at: at,
                progress: Vec::new(),
                assessment: None,
            }),
            EventBody::GoalRevised(revised) => {
                if let Some(goal) = self.goals.iter_mut().find(|goal| goal.id == revised.goal) {
                    if let Some(statement) = &revised.statement {
                        goal.statement = statement.clone();
                    }
                    if let Some(priority) = &revised.org_priority {
                        goal.org_priority = priority.clone();
                    }
                    if let Some(measures) = &revised.success_measures {
                        goal.success_measures = measures.clone();
                    }
                    if let Some(activities) = &revised.activities {
                        goal.activities = activities.clone();
                    }
                }
            }
            EventBody::GoalProgressNoted(progress) => {
                if let Some(goal) = self.goals.iter_mut().find(|goal| goal.id == progress.goal) {
                    goal.progress.push(GoalProgress {
                        at,
                        by: by(),
                        note: progress.note.clone(),
                        percent: progress.percent,
                    });
                }
            }
            EventBody::GoalAssessed(assessed) => {
                if let Some(goal) = self.goals.iter_mut().find(|goal| goal.id == assessed.goal) {
                    goal.assessment = Some(GoalAssessment {
                        outcome: assessed.outcome,
                        evidence: assessed.evidence.clone(),
                        at,
                        by: by(),
                    });
                }
            }
            EventBody::FinalReviewRecorded(review) => {
                self.final_review = Some(FinalReview {
                    successes: review.successes.clone(),
                    development_opportunities: review.development_opportunities.clone(),
                    resources: review.resources.clone(),
                    at,
                })
            }
            EventBody::SessionScheduled(scheduled) => self.sessions.push(Session {
                number: scheduled.session,
                starts_at: scheduled.starts_at,
                status: SessionStatus::Scheduled,
                started_at: None,
                ended_at: None,
                attendees: Vec::new(),
                steps: Vec::new(),
                cancellation: None,
            }),
            EventBody::SessionRescheduled(moved) => {
                if let Some(session) = self.waiting_session_mut(moved.session) {
                    session.starts_at = moved.starts_at;
                }
            }
            EventBody::SessionCancelled(cancelled) => {
                let role = self.participants.role_of(&event.actor).unwrap_or(Role::Coachee);
                let late_window = chrono::Duration::hours(i64::from(self.policy.late_cancellation_hours));
                if let Some(session) = self.waiting_session_mut(cancelled.session) {
                    let late = role == Role::Coachee && at.0 > session.starts_at.0 - late_window;
                    session.status = SessionStatus::Cancelled;
                    session.cancellation =
                        Some(SessionCancellation { at, by: role, late, reason: cancelled.reason.clone() });
                }
            }
            EventBody::SessionMissed(missed) => {
                if let Some(session) = self.waiting_session_mut(missed.session) {
                    session.status = SessionStatus::Missed;
                }
            }
            EventBody::SessionStarted(started) => {
                if let Some(session) = self.waiting_session_mut(started.session) {
                    session.status = SessionStatus::InProgress;
                    session.started_at = Some(at);
                    session.attendees = started.attendees.clone();
                }
            }
            EventBody::ScriptStep(step) => {
                let position =
                    self.policy.script().iter().position(|definition| definition.name == step.step).unwrap_or_default();
                if let StepContent::ActionCommitment(commitment) = &step.content {
                    for item in &commitment.actions {
                        self.actions.push(Action {
                            item: item.clone(),
                            session: step.session,
                            status: ActionStatus::Open,
                            closing_reason: None,
                        });
                    }
                }
                let seq = self.next_seq();
                if let Some(session) = self.session_in_progress_mut() {
                    session.steps.push(RecordedStep { name: step.step.clone(), position, at, seq });
                }
            }
            EventBody::SessionEnded(_) => {
                if let Some(session) = self.session_in_progress_mut() {
                    session.status = SessionStatus::Held;
                    session.ended_at = Some(at);
                }
            }
            EventBody::ActionCompleted(closed) | EventBody::ActionDropped(closed) => {
                let status = if event.event_type() == EventType::ActionCompleted {
                    ActionStatus::Completed
                } else {
                    ActionStatus::Dropped
                };
                if let Some(action) = self.actions.iter_mut().find(|action| action.item.id == closed.action) {
                    action.status = status;
                    action.closing_reason = closed.reason.clone();
                }
            }
            EventBody::AssessmentRecorded(recorded) => self.assessments.push(Assessment {
                id: recorded.assessment.clone(),
                instrument: recorded.instrument.clone(),
                summary: recorded.summary.clone(),
                results: recorded.results.clone(),
                at,
            }),
            EventBody::RaterFeedbackRecorded(feedback) => self.rater_responses.push(RaterResponse {
                survey: feedback.survey.clone(),
                rater: feedback.rater.clone(),
                group: feedback.group,
                scores: feedback.scores.clone(),
                comment: feedback.comment.clone(),
                at,
            }),
            EventBody::ProgressFeedbackGiven(feedback) => {
                self.progress_feedback.push(Note { at, by: by(), text: Some(feedback.note.clone()) })
            }
            EventBody::EngagementLevelRated(rated) => {
                self.engagement_levels.push(LevelRating { level: rated.level, note: rated.note.clone(), at })
            }
            EventBody::SummaryShared(shared) => {
                self.summaries.push(Note { at, by: by(), text: Some(shared.summary.clone()) })
            }
            EventBody::ConsentGranted(consent) => {
                if !self.is_shared(&consent.record, consent.to) {
                    self.consents.push(ConsentGrant { record: consent.record.clone(), to: consent.to, granted_at: at });
                }
            }
            EventBody::ConsentRevoked(consent) => {
                self.consents.retain(|grant| !(grant.record == consent.record && grant.to == consent.to))
            }
            EventBody::DisclosureRecorded(disclosure) => self.disclosures.push(Disclosure {
                to: disclosure.to.clone(),
                limit: disclosure.limit.clone(),
                summary: disclosure.summary.clone(),
                at,
            }),
            EventBody::StageAdvanced(advanced) => {
                if let Ok(stage) = advanced.to.parse::<Stage>() {
                    self.enter(stage, at);
                }
            }
            EventBody::EngagementDiscontinued(discontinued) => {
                self.discontinuation = Some(Discontinuation {
                    initiated_by: discontinued.initiated_by,
                    reason: discontinued.reason.clone(),
                    mutual_discussion: discontinued.mutual_discussion.unwrap_or(false),
                    at,
                });
                self.enter(Stage::Discontinued, at);
            }
            EventBody::SponsorInformed(informed) => {
                self.sponsor_explanations.push(Note { at, by: by(), text: Some(informed.explanation.clone()) })
            }
        }
    }

    fn enter(&mut self, stage: Stage, at: Timestamp) {
        self.stage = stage;
        self.stage_history.push(StageEntry { stage, at });
    }

    fn session_in_progress_mut(&mut self) -> Option<&mut Session> {
        self.sessions.iter_mut().find(|session| session.status == SessionStatus::InProgress)
    }

    fn waiting_session_mut(&mut self, number: u32) -> Option<&mut Session> {
        self.sessions.iter_mut().rev().find(|session| session.number == number && session.status.occupies_number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obligations::ObligationKind;
    use chrono::NaiveDate;
    use serde_json::{json, Value};

    /// Applies events given as (actor, type, payload) one hour apart, panicking on rejection.
    fn engagement(policy: Value, steps: &[(&str, &str, Value)]) -> Engagement {
        let mut engagement = Engagement::new("t");
        let mut opened = json!({"coachee": "cleo", "supervisor": "sam", "program_admins": ["hr"]});
        if !policy.is_null() {
            opened["policy"] = policy;
        }
        let all = std::iter::once(("hr", "engagement_opened", opened)).chain(steps.iter().cloned());
        for (hour, (actor, kind, payload)) in all.enumerate() {
            let event = event_at(hour as i64, actor, kind, payload);
            engagement.apply(event).unwrap_or_else(|rejection| panic!("{kind}: {rejection}"));
        }
        engagement
    }

    fn event_at(hour: i64, actor: &str, kind: &str, payload: Value) -> Event {
        let at = chrono::DateTime::from_timestamp(1_767_600_000 + hour * 3600, 0).unwrap().to_rfc3339();
        let mut object = json!({"engagement": "t", "at": at, "actor": actor, "type": kind});
        object.as_object_mut().unwrap().extend(payload.as_object().unwrap().clone());
        Event::from_value(&object).unwrap()
    }

    fn to_coaching() -> Vec<(&'static str, &'static str, Value)> {
        vec![
            ("hr", "coach_assigned", json!({"coach": "kim"})),
            ("cleo", "orientation_completed", json!({})),
            ("sam", "preliminary_goals_discussed", json!({})),
            ("cleo", "responsibilities_acknowledged", json!({})),
            ("sam", "responsibilities_acknowledged", json!({})),
            ("kim", "responsibilities_acknowledged", json!({})),
            (
                "sam",
                "meeting_scheduled",
                json!({"meeting": "m", "kind": "goal_setting", "starts_at": "2026-01-05T12:00:00Z"}),
            ),
            ("sam", "stage_advanced", json!({"to": "goal_setting"})),
            ("kim", "meeting_held", json!({"meeting": "m", "attendees": ["cleo", "sam", "kim"]})),
            ("kim", "confidentiality_agreed", json!({"reviewed_on": "2026-01-05", "limits": ["risk_of_harm"]})),
            (
                "cleo",
                "goal_agreed",
                json!({"goal": "g", "statement": "s", "org_priority": "p", "success_measures": ["m"]}),
            ),
            ("kim", "stage_advanced", json!({"to": "coaching"})),
        ]
    }

    #[test]
    fn only_a_coachees_cancellation_inside_the_window_is_late() {
        // Events are an hour apart from 2026-01-05T08:00Z; the 13th event is at 20:00.
        let mut steps = to_coaching();
        steps.extend([
            ("cleo", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-06T10:00:00Z"})),
            ("cleo", "session_cancelled", json!({"session": 1})),
            ("kim", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-06T10:00:00Z"})),
            ("kim", "session_cancelled", json!({"session": 1})),
            ("cleo", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-09T10:00:00Z"})),
            ("cleo", "session_cancelled", json!({"session": 1})),
        ]);
        let engagement = engagement(Value::Null, &steps);
        let late: Vec<(Role, bool)> =
            engagement.sessions().iter().filter_map(|s| s.cancellation.as_ref()).map(|c| (c.by, c.late)).collect();
        assert_eq!(late, [(Role::Coachee, true), (Role::Coach, false), (Role::Coachee, false)]);
        assert_eq!(engagement.lowest_free_session(), 1, "cancelled sessions free their number");
    }

    #[test]
    fn obligations_follow_the_stage_and_the_date() {
        let fresh = engagement(Value::Null, &[]);
        let owed = fresh.obligations(NaiveDate::from_ymd_opt(2026, 1, 6).unwrap());
        let kinds: Vec<(&str, ObligationKind)> = owed.iter().map(|o| (o.participant.as_str(), o.kind)).collect();
        assert!(kinds.contains(&("sam", ObligationKind::AssignCoach)));
        assert!(kinds.contains(&("hr", ObligationKind::AssignCoach)));
        assert!(kinds.contains(&("cleo", ObligationKind::CompleteOrientation)));

        let mut steps = to_coaching();
        steps.extend([
            ("kim", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-06T10:00:00Z"})),
            ("kim", "session_started", json!({"session": 1, "attendees": ["cleo", "kim"]})),
            ("cleo", "script_step", json!({"session": 1, "step": "action_commitment", "actions": [{"id": "a1", "description": "d", "due": "2026-01-20"}]})),
            ("kim", "session_ended", json!({"session": 1})),
        ]);
        let coaching = engagement(Value::Null, &steps);
        let before = coaching.obligations(NaiveDate::from_ymd_opt(2026, 1, 20).unwrap());
        assert!(before.iter().all(|o| o.kind != ObligationKind::CompleteOverdueAction));
        assert!(before.iter().any(|o| o.kind == ObligationKind::ScheduleNextSession && o.participant == "kim"));
        let after = coaching.obligations(NaiveDate::from_ymd_opt(2026, 1, 21).unwrap());
        let overdue: Vec<_> = after.iter().filter(|o| o.kind == ObligationKind::CompleteOverdueAction).collect();
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].participant, "cleo");
        assert_eq!(overdue[0].due, NaiveDate::from_ymd_opt(2026, 1, 20));
    }

    #[test]
    fn discontinued_by_the_coach_the_coachee_owes_an_explanation_until_given() {
        let mut steps = to_coaching();
        steps.push((
            "kim",
            "engagement_discontinued",
            json!({"initiated_by": "coach", "reason": "r", "mutual_discussion": true}),
        ));
        let day = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let owed = engagement(Value::Null, &steps).obligations(day);
        assert_eq!(
            owed.iter().map(|o| (o.participant.as_str(), o.kind)).collect::<Vec<_>>(),
            [("cleo", ObligationKind::InformSponsor)]
        );
        steps.push(("cleo", "sponsor_informed", json!({"explanation": "e"})));
        assert!(engagement(Value::Null, &steps).obligations(day).is_empty());
    }

    #[test]
    fn allowed_events_follow_role_and_stage() {
        let coaching = engagement(Value::Null, &to_coaching());
        let supervisor = coaching.allowed_events("sam").unwrap();
        assert!(supervisor.contains(&EventType::ProgressFeedbackGiven));
        assert!(supervisor.contains(&EventType::StageAdvanced));
        assert!(!supervisor.contains(&EventType::SessionStarted));
        let coach = coaching.allowed_events("kim").unwrap();
        assert!(coach.contains(&EventType::ScriptStep));
        assert!(!coach.contains(&EventType::CoachAssigned));
        assert_eq!(coaching.allowed_events("mallory").unwrap_err().code, Code::NotAParticipant);
        assert_eq!(Engagement::new("x").allowed_events("anyone").unwrap(), [EventType::EngagementOpened]);
    }

    #[test]
    fn replay_reports_the_index_of_the_first_rejected_event() {
        let good = engagement(Value::Null, &[]);
        let mut events = good.log().to_vec();
        events.push(event_at(5, "cleo", "stage_advanced", json!({"to": "coaching"})));
        events.push(event_at(6, "cleo", "orientation_completed", json!({})));
        let error = Engagement::replay(events).unwrap_err();
        assert_eq!(error.index, 1);
        assert_eq!(error.rejection.codes(), [Code::InvalidTransition]);
    }

    #[test]
    fn recorded_steps_point_at_their_log_entry() {
        let mut steps = to_coaching();
        steps.extend([
            ("kim", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-06T10:00:00Z"})),
            ("kim", "session_started", json!({"session": 1, "attendees": ["cleo", "kim"]})),
            ("cleo", "script_step", json!({"session": 1, "step": "session_goal", "outcome": "clarity"})),
        ]);
        let engagement = engagement(Value::Null, &steps);
        let step = &engagement.sessions()[0].steps[0];
        match engagement.step_content(step) {
            Some(StepContent::SessionGoal(goal)) => assert_eq!(goal.outcome, "clarity"),
            other => panic!("{other:?}"),
        }
    }
}
