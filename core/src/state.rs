//! The records an engagement keeps: what the fold of its events has built so far.
//!
//! These are plain data, readable by anyone holding the [`Engagement`](crate::Engagement).
//! They are the full, unfiltered record: never hand them to a participant directly.

use crate::event::{ActionItem, PhaseChecks, Scores, TextList, Timestamp};
use crate::id::Id;
use crate::model::{EngagementLevel, GoalOutcome, MeetingKind, PartneringSignal, RaterGroup, Role, Stage};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Who takes part in an engagement.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Participants {
    /// The coachee.
    pub coachee: Id,
    /// The supervisor (sponsor).
    pub supervisor: Id,
    /// The current coach, once assigned.
    pub coach: Option<Id>,
    /// Programme admins.
    pub program_admins: Vec<Id>,
    /// Coaches replaced earlier; no longer participants.
    pub former_coaches: Vec<Id>,
}

impl Participants {
    /// The role of a current participant.
    pub fn role_of(&self, id: &str) -> Option<Role> {
        if self.coachee == id {
            Some(Role::Coachee)
        } else if self.supervisor == id {
            Some(Role::Supervisor)
        } else if self.coach.as_ref().is_some_and(|coach| *coach == id) {
            Some(Role::Coach)
        } else if self.program_admins.iter().any(|admin| *admin == id) {
            Some(Role::ProgramAdmin)
        } else {
            None
        }
    }

    /// The current participants holding a role (program admins may be several).
    pub fn with_role(&self, role: Role) -> Vec<&str> {
        match role {
            Role::Coachee => vec![self.coachee.as_str()],
            Role::Supervisor => vec![self.supervisor.as_str()],
            Role::Coach => self.coach.iter().map(Id::as_str).collect(),
            Role::ProgramAdmin => self.program_admins.iter().map(Id::as_str).collect(),
        }
    }
}

/// When the engagement entered a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageEntry {
    /// The stage.
    pub stage: Stage,
    /// When it was entered.
    pub at: Timestamp,
}

/// A note written by a participant at a time (preliminary notes, feedback, summaries, explanations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// When.
    pub at: Timestamp,
    /// Who wrote it.
    pub by: String,
    /// The text, when there is one.
    pub text: Option<String>,
}

/// Where a meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// Scheduled, not yet held.
    Scheduled,
    /// Held.
    Held,
    /// Cancelled.
    Cancelled,
}

/// A three-way meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Meeting id.
    pub id: String,
    /// Kind.
    pub kind: MeetingKind,
    /// Planned start.
    pub starts_at: Timestamp,
    /// Status.
    pub status: MeetingStatus,
    /// When the `meeting_held` was recorded.
    pub held_at: Option<Timestamp>,
    /// Who attended.
    pub attendees: Vec<String>,
    /// Why it was cancelled.
    pub cancellation_reason: Option<String>,
}

/// The confidentiality agreement (F1, F2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfidentialityAgreement {
    /// The meeting date it was reviewed on.
    pub reviewed_on: NaiveDate,
    /// The stated limits.
    pub limits: Vec<String>,
    /// When it was recorded.
    pub at: Timestamp,
}

/// A progress note on a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalProgress {
    /// When.
    pub at: Timestamp,
    /// Who.
    pub by: String,
    /// The note.
    pub note: String,
    /// Progress, 0-100.
    pub percent: Option<f64>,
}

/// A goal's recorded outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalAssessment {
    /// The outcome.
    pub outcome: GoalOutcome,
    /// What shows it.
    pub evidence: Option<String>,
    /// When.
    pub at: Timestamp,
    /// Who assessed it.
    pub by: String,
}

/// An agreed goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    /// Goal id.
    pub id: String,
    /// The goal.
    pub statement: String,
    /// The organisational priority it serves.
    pub org_priority: String,
    /// How success is measured.
    pub success_measures: TextList,
    /// Development activities.
    pub activities: TextList,
    /// When it was agreed.
    pub agreed_at: Timestamp,
    /// Progress notes, oldest first.
    pub progress: Vec<GoalProgress>,
    /// The latest outcome (a later assessment replaces an earlier one).
    pub assessment: Option<GoalAssessment>,
}

/// Where a numbered coaching session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Scheduled, not started.
    Scheduled,
    /// Started, not ended.
    InProgress,
    /// Ended: counts as held.
    Held,
    /// Cancelled; the number is free again.
    Cancelled,
    /// The coachee did not come; the number is free again.
    Missed,
}

impl SessionStatus {
    /// Whether this occupies its number (scheduled, in progress or held).
    pub fn occupies_number(self) -> bool {
        matches!(self, SessionStatus::Scheduled | SessionStatus::InProgress | SessionStatus::Held)
    }
}

/// A cancelled session's details (Q2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionCancellation {
    /// When.
    pub at: Timestamp,
    /// The role that cancelled.
    pub by: Role,
    /// Whether it was a late cancellation by the coachee.
    pub late: bool,
    /// Why.
    pub reason: Option<String>,
}

/// One recorded script step. Its fields stay in the log entry `seq` points at
/// ([`Engagement::step_content`](crate::Engagement::step_content)); they are not copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedStep {
    /// Step name, as the script in force spells it (borrowed for a built-in step).
    pub name: Cow<'static, str>,
    /// Its position in the script in force.
    pub position: usize,
    /// When.
    pub at: Timestamp,
    /// The `seq` of the `script_step` event that recorded it (who recorded it is that
    /// event's `actor`).
    pub seq: u64,
    /// The rating of a `session_feedback` step, kept so that analytics need not decode the
    /// log entry.
    #[serde(skip)]
    pub(crate) rating: Option<u8>,
}

/// One scheduling of a numbered coaching session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Session number.
    pub number: u32,
    /// Planned start.
    pub starts_at: Timestamp,
    /// Status.
    pub status: SessionStatus,
    /// When it started.
    pub started_at: Option<Timestamp>,
    /// When it ended.
    pub ended_at: Option<Timestamp>,
    /// Who attended.
    pub attendees: Vec<String>,
    /// Script steps, in order.
    pub steps: Vec<RecordedStep>,
    /// Cancellation details.
    pub cancellation: Option<SessionCancellation>,
}

impl Session {
    /// Whether the step was recorded in this session.
    pub fn has_step(&self, name: &str) -> bool {
        self.steps.iter().any(|step| step.name == name)
    }
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Still to do.
    Open,
    /// Done.
    Completed,
    /// Given up.
    Dropped,
}

/// An action the coachee committed to in a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// The commitment.
    #[serde(flatten)]
    pub item: ActionItem,
    /// The session it was committed in.
    pub session: u32,
    /// Status.
    pub status: ActionStatus,
    /// Why it was completed or dropped.
    pub closing_reason: Option<String>,
}

/// An assessment's results, owned by the coachee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// Assessment id.
    pub id: String,
    /// The instrument.
    pub instrument: String,
    /// Summary.
    pub summary: String,
    /// Detailed results.
    pub results: Option<Map<String, Value>>,
    /// When.
    pub at: Timestamp,
}

/// One rater's answers to a 360 survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaterResponse {
    /// Survey id.
    pub survey: String,
    /// Rater id: never in any view.
    pub rater: String,
    /// The rater's group.
    pub group: RaterGroup,
    /// Scores by name.
    pub scores: Scores,
    /// Comment.
    pub comment: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// The coach's review of how they partnered in one session (K1): only the coach sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnershipReview {
    /// The session reviewed.
    pub session: u32,
    /// Each phase, `true` when the coach partnered in it.
    pub phases: PhaseChecks,
    /// Signs of not partnering the coach noticed.
    pub signals: Vec<PartneringSignal>,
    /// The coach's note.
    pub note: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// A 360 survey closed to further responses (R3): its results are shown from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyClosure {
    /// Survey id.
    pub survey: String,
    /// When it was closed.
    pub at: Timestamp,
}

/// The coach's rating of the coachee's engagement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRating {
    /// The level.
    pub level: EngagementLevel,
    /// Note.
    pub note: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// A record the coachee has opened to a role (F4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentGrant {
    /// The record, e.g. `assessment:a1`.
    pub record: String,
    /// The role it is open to.
    pub to: Role,
    /// When it was granted.
    pub granted_at: Timestamp,
}

/// A disclosure under an agreed limit (F5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    /// Recipient.
    pub to: String,
    /// The limit.
    pub limit: String,
    /// What was disclosed.
    pub summary: String,
    /// When.
    pub at: Timestamp,
}

/// The final review record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalReview {
    /// Successes.
    pub successes: TextList,
    /// Opportunities for further development.
    pub development_opportunities: TextList,
    /// Resources for continued growth.
    pub resources: TextList,
    /// When.
    pub at: Timestamp,
}

/// How the engagement was discontinued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discontinuation {
    /// Who initiated it.
    pub initiated_by: Role,
    /// Why.
    pub reason: String,
    /// Whether coachee and coach discussed it.
    pub mutual_discussion: bool,
    /// When.
    pub at: Timestamp,
}

impl Discontinuation {
    /// Whether the coachee owes the sponsor an explanation (coachee- or coach-initiated).
    pub fn owes_sponsor_explanation(&self) -> bool {
        matches!(self.initiated_by, Role::Coachee | Role::Coach)
    }
}

/// A coach replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoachChange {
    /// The coach who left.
    pub former: String,
    /// The coach who joined.
    pub new: String,
    /// Why.
    pub reason: String,
    /// When.
    pub at: Timestamp,
}
