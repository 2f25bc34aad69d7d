//! [`Engagement`]: the fold of an engagement's events, and every rule that decides whether
//! the next event may be applied.
//!
//! This file holds the engagement itself, `apply`/`check`/`replay`, and the envelope rules
//! every event meets (L2-L7, T2, T3). The rules of each family live in their own file, each
//! with its checks (`check_*`, which never change anything) and its state changes (`fold_*`,
//! which never fail):
//!
//! | file | rules |
//! |---|---|
//! | `table.rs` | who may record which event type, in which stages (L5, T2) |
//! | `stages.rs` | the stage guards S1-S12 as data, `stage_advanced` (T1), discontinuation (D1, D2) |
//! | `participants.rs` | opening (L7, O1), the coach (O2), acknowledgements (A1) |
//! | `meetings.rs` | three-way meetings (M1-M3) |
//! | `goals.rs` | goals (G1) and the final review record |
//! | `sessions.rs` | coaching sessions (Q1-Q4) |
//! | `script.rs` | the session script (P1-P3), actions (AC1) and the coach's partnership review (K1) |
//! | `consent.rs` | confidentiality, consent and disclosures (F1-F5) |
//! | `feedback.rs` | assessments, 360 responses and closing a survey (R0, R3) |
//!
//! `snapshot.rs` holds no rules: it writes an engagement's records down and restores them.

mod consent;
mod feedback;
mod goals;
mod meetings;
mod participants;
mod script;
mod sessions;
mod snapshot;
mod stages;
mod table;

pub(crate) use participants::INVISIBLE;

pub(crate) use participants::THREE_WAY;
pub use snapshot::RestoreError;
pub use stages::{mermaid_diagram, xstate_machine, Guard, GUARDS, XSTATE_GUARD};
pub use table::{accepted_stages, permitted_roles};

use crate::codes::Code;
use crate::event::{Event, EventBody, EventType, StepContent, StepFields, Timestamp};
use crate::event_log::EventLog;
use crate::finding::{Finding, Rejection};
use crate::id::Id;
use crate::limits::Limits;
use crate::model::{Policy, Role, Stage};
use crate::rules::Rule;
use crate::state::*;
use serde::{Deserialize, Serialize};

/// The result of applying an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Applied {
    /// The event's position in the engagement's log.
    pub seq: u64,
    /// Warnings (they never block).
    pub warnings: Vec<Finding>,
}

/// One guard of a target stage and whether it holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Requirement {
    /// The code reported when the guard is unmet.
    pub code: Code,
    /// The guard's rule (`S1` ... `S12`).
    pub rule: Rule,
    /// Whether the guard holds.
    pub met: bool,
    /// What the guard asks, with what is missing when unmet.
    pub message: String,
}

/// A replay stopped at a rejected event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {index} was rejected: {rejection}")]
#[non_exhaustive]
pub struct ReplayError {
    /// 0-based index of the rejected event in the input.
    pub index: usize,
    /// Why.
    pub rejection: Rejection,
}

/// The rule findings gathered while judging one event.
#[derive(Default)]
pub(crate) struct Verdict {
    violations: Vec<Finding>,
    warnings: Vec<Finding>,
}

impl Verdict {
    /// Records a violated rule: the event will be rejected.
    pub(crate) fn fail(&mut self, code: Code, rule: Rule, message: impl Into<String>) {
        self.violations.push(Finding::new(code, rule, message));
    }

    /// Records a warning: the event still applies.
    pub(crate) fn warn(&mut self, code: Code, rule: Rule, message: impl Into<String>) {
        self.warnings.push(Finding::new(code, rule, message));
    }
}

/// Appends a record to one of the engagement's lists, growing a full list by an eighth of
/// its length rather than doubling it. Records are only ever appended and most lists stay
/// short, so doubling left about a fifth of an engagement's memory unused (issue 15); an
/// eighth keeps appending amortized constant time for the long ones.
pub(super) fn keep<T>(records: &mut Vec<T>, record: T) {
    if records.len() == records.capacity() {
        records.reserve_exact((records.len() / 8).max(1));
    }
    records.push(record);
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Engagement {
    id: Id,
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
    survey_closures: Vec<SurveyClosure>,
    partnership_reviews: Vec<PartnershipReview>,
    progress_feedback: Vec<Note>,
    engagement_levels: Vec<LevelRating>,
    summaries: Vec<Note>,
    consents: Vec<ConsentGrant>,
    disclosures: Vec<Disclosure>,
    final_review: Option<FinalReview>,
    discontinuation: Option<Discontinuation>,
    sponsor_explanations: Vec<Note>,
    coach_changes: Vec<CoachChange>,
    /// Restored from the events' texts, never from a snapshot ([`Engagement::restore`]).
    #[serde(skip_deserializing)]
    log: EventLog,
    /// How events are checked, not what happened: left out of the serialized state.
    #[serde(skip, default = "Limits::default")]
    limits: Limits,
    /// Whether the engagement keeps only what its rules read ([`Engagement::validating_only`]).
    /// Not part of the serialized state.
    #[serde(skip)]
    validating_only: bool,
}

impl Engagement {
    /// An engagement with this id and no events yet. Its first event must be `engagement_opened`.
    pub fn new(id: impl Into<String>) -> Engagement {
        Engagement {
            id: Id::from(&id.into()),
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
            survey_closures: Vec::new(),
            partnership_reviews: Vec::new(),
            progress_feedback: Vec::new(),
            engagement_levels: Vec::new(),
            summaries: Vec::new(),
            consents: Vec::new(),
            disclosures: Vec::new(),
            final_review: None,
            discontinuation: None,
            sponsor_explanations: Vec::new(),
            coach_changes: Vec::new(),
            log: EventLog::default(),
            limits: Limits::DEFAULT,
            validating_only: false,
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
        Engagement::replay_read(events.into_iter().map(|event| Ok((event, None::<&str>))), limits)
    }

    /// Replays events as they are read, one result per element of the input (the event, and
    /// the text it was read from when there is one): the id is the first event's, and the
    /// replay stops at the first element that could not be read or applied, with its index.
    /// Every replay (of events, of JSON Lines, of a binding's array) goes through here.
    pub(crate) fn replay_read<T: AsRef<str>>(
        events: impl IntoIterator<Item = Result<(Event, Option<T>), Rejection>>,
        limits: &Limits,
    ) -> Result<Engagement, ReplayError> {
        let mut engagement: Option<Engagement> = None;
        for (index, read) in events.into_iter().enumerate() {
            let fail = |rejection| ReplayError { index, rejection };
            let (event, text) = read.map_err(fail)?;
            let target =
                engagement.get_or_insert_with(|| Engagement::new(event.engagement.clone()).with_limits(*limits));
            match text {
                Some(text) => target.apply_read(&event, text.as_ref()),
                None => target.apply(event),
            }
            .map_err(fail)?;
        }
        Ok(engagement.unwrap_or_else(|| Engagement::new("").with_limits(*limits)))
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
        let events = text.lines().filter(|line| !line.trim().is_empty()).map(|line| {
            if line.len() > limits.max_line_bytes {
                return Err(limits.line_too_long(line.len()).into());
            }
            Event::from_json(line).map(|event| (event, Some(line)))
        });
        Engagement::replay_read(events, limits)
    }

    /// Applies an event: either every rule holds and the event is appended (its `seq`
    /// assigned when absent), or nothing changes and every violated rule is returned.
    pub fn apply(&mut self, mut event: Event) -> Result<Applied, Rejection> {
        let warnings = self.check(&event)?;
        let seq = self.next_seq();
        event.seq = Some(seq);
        self.fold(&event);
        self.log.push_event(&event);
        Ok(Applied { seq, warnings })
    }

    /// Parses one event from JSON text and applies it, keeping the text as written (the
    /// cheapest way to apply an event that arrives as JSON).
    ///
    /// ```
    /// use coachflow::{Code, Engagement};
    /// let mut engagement = Engagement::new("e");
    /// let applied = engagement.apply_json(r#"{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"s",
    ///     "type":"engagement_opened","coachee":"c","supervisor":"s"}"#).unwrap();
    /// assert_eq!(applied.seq, 1);
    /// let rejection = engagement.apply_json("{oops").unwrap_err();
    /// assert_eq!(rejection.codes(), [Code::InvalidEvent]);
    /// ```
    pub fn apply_json(&mut self, text: &str) -> Result<Applied, Rejection> {
        let event = Event::from_json(text)?;
        self.apply_read(&event, text)
    }

    /// Applies an event decoded from `text`, keeping `text` in the log.
    pub(crate) fn apply_read(&mut self, event: &Event, text: &str) -> Result<Applied, Rejection> {
        let warnings = self.check(event)?;
        let seq = self.next_seq();
        self.fold(event);
        self.log.push_text(text);
        Ok(Applied { seq, warnings })
    }

    /// The same engagement keeping no event texts from now on, only their count: for
    /// readers that check events and keep them elsewhere (a log validator, the event
    /// store's import). Its [`Engagement::log`] holds no events, [`Engagement::to_jsonl`]
    /// is empty and views show no script step fields; every rule still applies.
    ///
    /// ```
    /// use coachflow::Engagement;
    /// let mut engagement = Engagement::new("e").counting_only();
    /// engagement.apply_json(r#"{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"s",
    ///     "type":"engagement_opened","coachee":"c","supervisor":"s"}"#).unwrap();
    /// assert_eq!((engagement.log().len(), engagement.log().get(0)), (1, None));
    /// ```
    pub fn counting_only(mut self) -> Engagement {
        self.log = EventLog::counting_only(self.log.len());
        self
    }

    /// The same engagement keeping, from now on, only what its rules read: no event texts
    /// ([`Engagement::counting_only`]), and none of the records or parts of records that no
    /// rule reads (free texts, scores, attendee lists, who wrote a note, the steps of ended
    /// sessions; goal progress notes, progress feedback, engagement levels, summaries and
    /// sponsor explanations altogether). Every verdict is the same as a full engagement's;
    /// its views and metrics are not. For a validator, which holds thousands of engagements
    /// only to judge their next lines.
    pub(crate) fn validating_only(mut self) -> Engagement {
        self.validating_only = true;
        self.counting_only()
    }

    /// A part of a record that no rule reads: what `make` returns, or the empty value in an
    /// engagement that only validates.
    pub(super) fn unjudged<T: Default>(&self, make: impl FnOnce() -> T) -> T {
        if self.validating_only {
            T::default()
        } else {
            make()
        }
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
    /// The coach's partnership reviews, in order (only the coach's view shows them).
    pub fn partnership_reviews(&self) -> &[PartnershipReview] {
        &self.partnership_reviews
    }
    /// Closed 360 surveys, in closing order.
    pub fn survey_closures(&self) -> &[SurveyClosure] {
        &self.survey_closures
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
    pub fn step_content(&self, step: &RecordedStep) -> Option<StepContent> {
        self.step_fields(step)?.decode()
    }
    /// The fields of a recorded script step, lent from its log entry (`None` when the log
    /// keeps no texts).
    pub fn step_fields<'a>(&'a self, step: &'a RecordedStep) -> Option<StepFields<'a>> {
        let index = usize::try_from(step.seq.checked_sub(1)?).ok()?;
        Some(StepFields::new(self.log.text(index)?, &step.name))
    }
    /// Every applied event, in order, with `seq` filled in.
    pub fn log(&self) -> &EventLog {
        &self.log
    }
    /// The log as JSON Lines in the canonical form (one event per line, each line ending
    /// in `\n`).
    pub fn to_jsonl(&self) -> String {
        self.log.to_jsonl()
    }
    fn next_seq(&self) -> u64 {
        self.log.len() as u64 + 1
    }

    // ----- the envelope, then the payload's own rules -------------------------------------

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
        if !self.opened {
            self.check_order(event, &mut verdict);
            match &event.body {
                EventBody::EngagementOpened(opened) => self.check_opening(event, opened, &mut verdict),
                _ => verdict.fail(Code::NotOpened, Rule::L7, format!("{kind} before engagement_opened")),
            }
            return verdict;
        }
        // Who asks comes first, and alone: someone who may not record this event learns
        // nothing about the engagement's state from the answer (docs/views.md).
        let Some(role) = self.participants.role_of(&event.actor) else {
            verdict.violations.push(self.stranger(&event.actor));
            return verdict;
        };
        if kind == EventType::EngagementOpened {
            verdict.fail(Code::AlreadyOpened, Rule::L7, format!("engagement {} is already open", self.id));
            return verdict;
        }
        if !permitted_roles(kind).contains(&role) {
            verdict.fail(Code::ActorNotPermitted, Rule::L5, format!("a {role} may not record {kind}"));
            return verdict;
        }
        self.check_order(event, &mut verdict);
        if self.stage.is_terminal() && !matches!(kind, EventType::SponsorInformed | EventType::ConsentRevoked) {
            verdict.fail(
                Code::EngagementClosed,
                Rule::T3,
                format!("the engagement is {}; {kind} is no longer possible", self.stage),
            );
            return verdict;
        }
        if !accepted_stages(kind).contains(&self.stage) {
            verdict.fail(Code::WrongStage, Rule::T2, format!("{kind} is not accepted in {}", self.stage));
        }
        self.check_payload(event, role, &mut verdict);
        verdict
    }

    /// L2 (the event's own engagement), L3 (`seq`) and L4 (`at`): where the event goes in the log.
    fn check_order(&self, event: &Event, verdict: &mut Verdict) {
        if !self.id.as_bytes().is_empty() && self.id != event.engagement {
            verdict.fail(
                Code::InvalidEvent,
                Rule::L2,
                format!("the event belongs to engagement {}, not {}", event.engagement, self.id),
            );
        }
        if let Some(seq) = event.seq {
            let expected = self.next_seq();
            if seq < expected {
                verdict.fail(
                    Code::DuplicateSeq,
                    Rule::L3,
                    format!("seq {seq} is already used; the next is {expected}"),
                );
            } else if seq > expected {
                verdict.fail(Code::SequenceGap, Rule::L3, format!("seq {seq} skips ahead; the next is {expected}"));
            }
        }
        if let Some(last) = self.last_at {
            if event.at < last {
                verdict.fail(
                    Code::TimeWentBackwards,
                    Rule::L4,
                    format!("at {} is earlier than the previous event's {last}", event.at),
                );
            }
        }
    }

    /// L2: an id that is blank.
    pub(super) fn check_id(id: &str, field: &str, verdict: &mut Verdict) {
        if id.trim().is_empty() {
            verdict.fail(Code::InvalidEvent, Rule::L2, format!("`{field}` must not be empty"));
        }
    }

    /// The payload rules of the event's family: one line per event type.
    fn check_payload(&self, event: &Event, role: Role, verdict: &mut Verdict) {
        let actor = event.actor.as_str();
        match &event.body {
            EventBody::EngagementOpened(_) | EventBody::OrientationCompleted => {}
            EventBody::PreliminaryGoalsDiscussed(_) => {}
            EventBody::CoachAssigned(assigned) => self.check_coach_assigned(assigned, verdict),
            EventBody::CoachReplaced(replaced) => self.check_coach_replaced(replaced, verdict),
            EventBody::ResponsibilitiesAcknowledged => self.check_acknowledgement(actor, verdict),
            EventBody::MeetingScheduled(scheduled) => self.check_meeting_scheduled(scheduled, verdict),
            EventBody::MeetingHeld(held) => self.check_meeting_held(held, verdict),
            EventBody::MeetingCancelled(cancelled) => self.check_meeting_cancelled(cancelled, verdict),
            EventBody::ConfidentialityAgreed(agreed) => self.check_confidentiality(agreed, verdict),
            EventBody::GoalAgreed(goal) => self.check_goal_agreed(goal, verdict),
            EventBody::GoalRevised(revised) => self.check_goal_revised(revised, verdict),
            EventBody::GoalProgressNoted(progress) => self.check_goal_progress(progress, verdict),
            EventBody::GoalAssessed(assessed) => self.check_goal_exists(&assessed.goal, verdict),
            EventBody::FinalReviewRecorded(_) => {}
            EventBody::SessionScheduled(scheduled) => self.check_session_scheduled(scheduled, verdict),
            EventBody::SessionRescheduled(moved) => self.check_waiting_session(moved.session, Rule::Q1, verdict),
            EventBody::SessionCancelled(cancelled) => self.check_waiting_session(cancelled.session, Rule::Q2, verdict),
            EventBody::SessionMissed(missed) => self.check_waiting_session(missed.session, Rule::Q2, verdict),
            EventBody::SessionStarted(started) => self.check_session_start(started, verdict),
            EventBody::ScriptStep(step) => self.check_script_step(step, role, verdict),
            EventBody::SessionEnded(ended) => self.check_session_end(ended.session, verdict),
            EventBody::ActionCompleted(closed) | EventBody::ActionDropped(closed) => {
                self.check_action_closed(closed, verdict)
            }
            EventBody::AssessmentRecorded(recorded) => self.check_assessment(recorded, verdict),
            EventBody::RaterFeedbackRecorded(feedback) => self.check_rater_feedback(feedback, verdict),
            EventBody::SurveyClosed(closed) => self.check_survey_closed(closed, verdict),
            EventBody::PartnershipReviewed(review) => self.check_partnership_review(review, verdict),
            EventBody::ProgressFeedbackGiven(_) | EventBody::EngagementLevelRated(_) => {}
            EventBody::SummaryShared(_) => {}
            EventBody::ConsentGranted(consent) => self.check_consent(consent, true, verdict),
            EventBody::ConsentRevoked(consent) => self.check_consent(consent, false, verdict),
            EventBody::DisclosureRecorded(disclosure) => self.check_disclosure(disclosure, verdict),
            EventBody::StageAdvanced(advanced) => self.check_stage_advanced(advanced, role, verdict),
            EventBody::EngagementDiscontinued(ended) => self.check_discontinuation(ended, role, verdict),
            EventBody::SponsorInformed(_) => {}
        }
    }

    /// Applies an accepted event to the state: one line per event type. Never fails: every
    /// rule was checked before.
    fn fold(&mut self, event: &Event) {
        let at = event.at;
        let actor = event.actor.as_str();
        self.last_at = Some(at);
        let unjudged = matches!(
            event.body,
            EventBody::GoalProgressNoted(_)
                | EventBody::ProgressFeedbackGiven(_)
                | EventBody::EngagementLevelRated(_)
                | EventBody::SummaryShared(_)
                | EventBody::SponsorInformed(_)
        );
        if unjudged && self.validating_only {
            return; // records no rule reads
        }
        match &event.body {
            EventBody::EngagementOpened(opened) => self.fold_opening(&event.engagement, opened, at),
            EventBody::CoachAssigned(assigned) => self.participants.coach = Some(Id::from(&assigned.coach)),
            EventBody::CoachReplaced(replaced) => self.fold_coach_replaced(replaced, at),
            EventBody::OrientationCompleted => {
                self.orientation_completed_at.get_or_insert(at);
            }
            EventBody::PreliminaryGoalsDiscussed(discussed) => {
                let (by, text) = (self.unjudged(|| actor.to_owned()), self.unjudged(|| discussed.notes.clone()));
                keep(&mut self.preliminary_discussions, Note { at, by, text })
            }
            EventBody::ResponsibilitiesAcknowledged => keep(&mut self.acknowledged, actor.to_owned()),
            EventBody::MeetingScheduled(scheduled) => self.fold_meeting_scheduled(scheduled),
            EventBody::MeetingHeld(held) => self.fold_meeting_held(held, at),
            EventBody::MeetingCancelled(cancelled) => self.fold_meeting_cancelled(cancelled),
            EventBody::ConfidentialityAgreed(agreed) => self.fold_confidentiality(agreed, at),
            EventBody::GoalAgreed(goal) => self.fold_goal_agreed(goal, at),
            EventBody::GoalRevised(revised) => self.fold_goal_revised(revised),
            EventBody::GoalProgressNoted(progress) => self.fold_goal_progress(progress, actor, at),
            EventBody::GoalAssessed(assessed) => self.fold_goal_assessed(assessed, actor, at),
            EventBody::FinalReviewRecorded(review) => self.fold_final_review(review, at),
            EventBody::SessionScheduled(scheduled) => self.fold_session_scheduled(scheduled),
            EventBody::SessionRescheduled(moved) => self.fold_session_rescheduled(moved),
            EventBody::SessionCancelled(cancelled) => self.fold_session_cancelled(cancelled, actor, at),
            EventBody::SessionMissed(missed) => self.fold_session_missed(missed),
            EventBody::SessionStarted(started) => self.fold_session_started(started, at),
            EventBody::ScriptStep(step) => self.fold_script_step(step, at),
            EventBody::SessionEnded(_) => self.fold_session_ended(at),
            EventBody::ActionCompleted(closed) => self.fold_action_closed(closed, ActionStatus::Completed),
            EventBody::ActionDropped(closed) => self.fold_action_closed(closed, ActionStatus::Dropped),
            EventBody::AssessmentRecorded(recorded) => self.fold_assessment(recorded, at),
            EventBody::RaterFeedbackRecorded(feedback) => self.fold_rater_feedback(feedback, at),
            EventBody::PartnershipReviewed(review) => self.fold_partnership_review(review, at),
            EventBody::SurveyClosed(closed) => {
                keep(&mut self.survey_closures, SurveyClosure { survey: closed.survey.clone(), at })
            }
            EventBody::ProgressFeedbackGiven(feedback) => {
                keep(&mut self.progress_feedback, Note { at, by: actor.to_owned(), text: Some(feedback.note.clone()) })
            }
            EventBody::EngagementLevelRated(rated) => {
                keep(&mut self.engagement_levels, LevelRating { level: rated.level, note: rated.note.clone(), at })
            }
            EventBody::SummaryShared(shared) => {
                keep(&mut self.summaries, Note { at, by: actor.to_owned(), text: Some(shared.summary.clone()) })
            }
            EventBody::ConsentGranted(consent) => self.fold_consent_granted(consent, at),
            EventBody::ConsentRevoked(consent) => self.fold_consent_revoked(consent),
            EventBody::DisclosureRecorded(disclosure) => self.fold_disclosure(disclosure, at),
            EventBody::StageAdvanced(advanced) => self.fold_stage_advanced(advanced, at),
            EventBody::EngagementDiscontinued(ended) => self.fold_discontinuation(ended, at),
            EventBody::SponsorInformed(informed) => keep(
                &mut self.sponsor_explanations,
                Note { at, by: actor.to_owned(), text: Some(informed.explanation.clone()) },
            ),
        }
    }
}

#[cfg(test)]
mod tests;
