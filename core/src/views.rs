//! Who sees what (contract sections 6 and 7): one view type per role.
//!
//! Views are computed by the library, never by the caller. Coachee and coach see the same
//! [`FullView`]. The [`SupervisorView`] and [`ProgramAdminView`] types have no field that can
//! carry session content, assessments, actions, goal progress or survey results except their
//! `shared` section, which holds only the records the coachee consented to open to that role.
//! No view has a field for rater ids or `meta`.

use crate::codes::Code;
use crate::engine::Engagement;
use crate::event::{StepContent, TextList, Timestamp};
use crate::finding::Finding;
use crate::model::{EngagementLevel, GoalOutcome, MeetingKind, Role, Stage};
use crate::record::RecordRef;
use crate::rules::Rule;
use crate::state::{
    Action, ActionStatus, Assessment, ConsentGrant, Disclosure, FinalReview, Goal, LevelRating, MeetingStatus, Note,
    PartnershipReview, Session, SessionCancellation, SessionStatus, StageEntry,
};
use crate::survey::SurveyView;
use chrono::NaiveDate;
use serde::Serialize;

/// A participant's view of an engagement, by role. Serialized with a `role` field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum View {
    /// The coachee's view.
    Coachee(FullView),
    /// The coach's view.
    Coach(FullView),
    /// The supervisor's view.
    Supervisor(SupervisorView),
    /// A programme admin's view.
    ProgramAdmin(ProgramAdminView),
}

impl View {
    /// The view as JSON text (the stable shape documented in `docs/views.md`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

/// What every participant sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommonView {
    /// Engagement id.
    pub engagement: String,
    /// The participant the view was made for.
    pub viewer: String,
    /// Current stage.
    pub stage: Stage,
    /// When each stage was entered.
    pub stage_history: Vec<StageEntry>,
    /// Who takes part.
    pub participants: ParticipantsView,
    /// Meetings: kind, times, attendance.
    pub meetings: Vec<MeetingView>,
    /// The confidentiality agreement: date and limits.
    pub confidentiality: Option<AgreementView>,
    /// That the engagement was discontinued, by whom and when (not why).
    pub discontinuation: Option<DiscontinuationFact>,
    /// The steps of the process everyone shares, as facts: what the stage guards and
    /// obligations speak of, so that neither tells a reader more than this view.
    pub process: ProcessFacts,
}

/// Facts of the shared process (not content): when the orientation was completed, when the
/// preliminary goal discussion was held (not what was said), who acknowledged their
/// responsibilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ProcessFacts {
    /// When the coachee completed the orientation.
    pub orientation_completed_at: Option<Timestamp>,
    /// When the preliminary goal discussions were held.
    pub preliminary_discussions_held: Vec<Timestamp>,
    /// Who acknowledged their responsibilities.
    pub acknowledged: Vec<String>,
}

/// Participants by role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantsView {
    /// Coachee.
    pub coachee: String,
    /// Supervisor.
    pub supervisor: String,
    /// Coach.
    pub coach: Option<String>,
    /// Programme admins.
    pub program_admins: Vec<String>,
    /// Coaches who were replaced.
    pub former_coaches: Vec<String>,
}

/// A meeting as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingView {
    /// Meeting id.
    pub id: String,
    /// Kind.
    pub kind: MeetingKind,
    /// Planned start.
    pub starts_at: Timestamp,
    /// Status.
    pub status: MeetingStatus,
    /// When it was held.
    pub held_at: Option<Timestamp>,
    /// Who attended.
    pub attendees: Vec<String>,
}

/// The confidentiality agreement as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementView {
    /// The meeting date it was reviewed on.
    pub reviewed_on: NaiveDate,
    /// The limits.
    pub limits: Vec<String>,
}

/// The fact of a discontinuation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiscontinuationFact {
    /// Who initiated it.
    pub initiated_by: Role,
    /// When.
    pub at: Timestamp,
}

/// One recorded script step with its fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepView {
    /// Step name.
    pub name: String,
    /// When.
    pub at: Timestamp,
    /// The step's fields.
    #[serde(flatten)]
    pub content: StepContent,
}

/// A session as coachee and coach see it: everything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FullSession {
    /// Number.
    pub number: u32,
    /// Planned start.
    pub starts_at: Timestamp,
    /// Status.
    pub status: SessionStatus,
    /// Started.
    pub started_at: Option<Timestamp>,
    /// Ended.
    pub ended_at: Option<Timestamp>,
    /// Cancellation, with its reason.
    pub cancellation: Option<SessionCancellation>,
    /// Script steps with their content.
    pub steps: Vec<StepView>,
}

/// An action as its viewers see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionView {
    /// Action id.
    pub id: String,
    /// The commitment.
    pub description: String,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// The session it was committed in.
    pub session: u32,
    /// Status.
    pub status: ActionStatus,
}

/// What coachee and coach see: everything but rater ids and `meta`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FullView {
    /// What everyone sees.
    #[serde(flatten)]
    pub common: CommonView,
    /// Every scheduling of every session, with content.
    pub sessions: Vec<FullSession>,
    /// Actions.
    pub actions: Vec<ActionView>,
    /// Goals with progress, outcomes and evidence.
    pub goals: Vec<Goal>,
    /// Engagement level ratings with their notes.
    pub engagement_levels: Vec<LevelRating>,
    /// Preliminary discussion notes.
    pub preliminary_discussions: Vec<Note>,
    /// The sponsor's progress feedback.
    pub progress_feedback: Vec<Note>,
    /// Summaries the coachee shared.
    pub summaries: Vec<Note>,
    /// The final review record.
    pub final_review: Option<FinalReview>,
    /// Assessments.
    pub assessments: Vec<Assessment>,
    /// 360 surveys, aggregated.
    pub surveys: Vec<SurveyView>,
    /// Disclosures, with their summaries.
    pub disclosures: Vec<Disclosure>,
    /// Why the engagement was discontinued.
    pub discontinuation_reason: Option<String>,
    /// The coachee's explanations to the sponsor.
    pub sponsor_explanations: Vec<Note>,
    /// Records the coachee has opened, and to whom.
    pub consents: Vec<ConsentGrant>,
    /// The coach's reviews of their own partnering (K1): in the coach's view only; the
    /// coachee's view leaves the field out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partnership_reviews: Option<Vec<PartnershipReview>>,
}

/// A session as the supervisor sees it: that it is occurring, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionFact {
    /// Number.
    pub number: u32,
    /// Planned start.
    pub starts_at: Timestamp,
    /// Scheduled, in progress or held.
    pub status: SessionStatus,
    /// When it ended.
    pub ended_at: Option<Timestamp>,
}

/// A goal as the supervisor sees it: the goal and its outcome, not its progress notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupervisorGoal {
    /// Goal id.
    pub id: String,
    /// The goal.
    pub statement: String,
    /// The organisational priority.
    pub org_priority: String,
    /// Success measures.
    pub success_measures: TextList,
    /// Activities.
    pub activities: TextList,
    /// Outcome.
    pub outcome: Option<GoalOutcome>,
    /// Evidence of the outcome.
    pub evidence: Option<String>,
}

/// An engagement level without its note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelFact {
    /// The level.
    pub level: EngagementLevel,
    /// When it was rated.
    pub at: Timestamp,
}

/// Records the coachee opened to the viewer's role (F4).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SharedRecords {
    /// Sessions whose script content is shared.
    pub sessions: Vec<SharedSession>,
    /// Shared actions.
    pub actions: Vec<ActionView>,
    /// Shared goal progress notes (supervisor only).
    pub goal_progress: Vec<SharedGoalProgress>,
    /// Shared assessments.
    pub assessments: Vec<Assessment>,
    /// Shared survey aggregates.
    pub surveys: Vec<SurveyView>,
}

/// A shared session's script content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedSession {
    /// Number.
    pub number: u32,
    /// Its steps.
    pub steps: Vec<StepView>,
}

/// A goal's shared progress notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedGoalProgress {
    /// Goal id.
    pub goal: String,
    /// Notes.
    pub progress: Vec<crate::state::GoalProgress>,
}

/// What the supervisor sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupervisorView {
    /// What everyone sees.
    #[serde(flatten)]
    pub common: CommonView,
    /// Sessions scheduled and held, with dates (cancellations and missed sessions are not shown).
    pub sessions: Vec<SessionFact>,
    /// Goals and outcomes.
    pub goals: Vec<SupervisorGoal>,
    /// Engagement levels, without notes.
    pub engagement_levels: Vec<LevelFact>,
    /// Preliminary discussion notes.
    pub preliminary_discussions: Vec<Note>,
    /// The sponsor's own progress feedback.
    pub progress_feedback: Vec<Note>,
    /// Summaries the coachee shared.
    pub summaries: Vec<Note>,
    /// The final review record.
    pub final_review: Option<FinalReview>,
    /// The coachee's explanations after a discontinuation.
    pub sponsor_explanations: Vec<Note>,
    /// Records opened to the supervisor by consent.
    pub shared: SharedRecords,
}

/// A session as a programme admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdminSession {
    /// Number.
    pub number: u32,
    /// Planned start.
    pub starts_at: Timestamp,
    /// Status, including cancelled and missed.
    pub status: SessionStatus,
    /// When it ended.
    pub ended_at: Option<Timestamp>,
    /// Whether it was a late cancellation by the coachee.
    pub late_cancellation: bool,
    /// The coachee's rating of the session (1-5), without the comment.
    pub rating: Option<u8>,
}

/// A disclosure as a programme admin sees it: no summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureFact {
    /// Recipient.
    pub to: String,
    /// The limit.
    pub limit: String,
    /// When.
    pub at: Timestamp,
}

/// What a programme admin sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramAdminView {
    /// What everyone sees.
    #[serde(flatten)]
    pub common: CommonView,
    /// Every scheduling of every session, with cancellations, missed sessions and ratings.
    pub sessions: Vec<AdminSession>,
    /// How many goals were agreed.
    pub goal_count: usize,
    /// Goal outcomes, without the goals or the evidence.
    pub goal_outcomes: Vec<GoalOutcome>,
    /// Engagement levels, without notes.
    pub engagement_levels: Vec<LevelFact>,
    /// Disclosures: fact, limit, recipient, date.
    pub disclosures: Vec<DisclosureFact>,
    /// Records opened to programme admins by consent.
    pub shared: SharedRecords,
    /// How many held sessions the coach reviewed their partnering in (the count only).
    pub partnership_reviews: usize,
}

impl Engagement {
    /// The view of the participant with this id.
    ///
    /// A replaced coach, or anyone else who is not a current participant, gets
    /// `not_a_participant`.
    pub fn view(&self, participant: &str) -> Result<View, Finding> {
        let role = self.role_of(participant).ok_or_else(|| self.stranger(participant))?;
        Ok(self.view_for(participant, role))
    }

    /// The view of the (first) participant holding `role`.
    pub fn view_as(&self, role: Role) -> Result<View, Finding> {
        let participant = self.participants().with_role(role).first().map(|id| id.to_string()).ok_or_else(|| {
            Finding::new(Code::NotAParticipant, Rule::L5, format!("engagement {} has no {role}", self.id()))
        })?;
        Ok(self.view_for(&participant, role))
    }

    fn view_for(&self, viewer: &str, role: Role) -> View {
        match role {
            Role::Coachee => View::Coachee(self.full_view(viewer, false)),
            Role::Coach => View::Coach(self.full_view(viewer, true)),
            Role::Supervisor => View::Supervisor(self.supervisor_view(viewer)),
            Role::ProgramAdmin => View::ProgramAdmin(self.program_admin_view(viewer)),
        }
    }

    fn common_view(&self, viewer: &str) -> CommonView {
        let people = self.participants();
        CommonView {
            engagement: self.id().to_owned(),
            viewer: viewer.to_owned(),
            stage: self.stage(),
            stage_history: self.stage_history().to_vec(),
            participants: ParticipantsView {
                coachee: people.coachee.clone(),
                supervisor: people.supervisor.clone(),
                coach: people.coach.clone(),
                program_admins: people.program_admins.clone(),
                former_coaches: people.former_coaches.clone(),
            },
            meetings: self
                .meetings()
                .iter()
                .map(|meeting| MeetingView {
                    id: meeting.id.clone(),
                    kind: meeting.kind,
                    starts_at: meeting.starts_at,
                    status: meeting.status,
                    held_at: meeting.held_at,
                    attendees: meeting.attendees.clone(),
                })
                .collect(),
            confidentiality: self.confidentiality().map(|agreement| AgreementView {
                reviewed_on: agreement.reviewed_on,
                limits: agreement.limits.clone(),
            }),
            discontinuation: self.discontinuation_fact(),
            process: ProcessFacts {
                orientation_completed_at: self.orientation_completed_at(),
                preliminary_discussions_held: self.preliminary_discussions().iter().map(|note| note.at).collect(),
                acknowledged: self.acknowledged().to_vec(),
            },
        }
    }

    fn steps_of(&self, session: &Session) -> Vec<StepView> {
        session
            .steps
            .iter()
            .filter_map(|step| {
                let content = self.step_content(step)?;
                Some(StepView { name: step.name.clone(), at: step.at, content })
            })
            .collect()
    }

    fn full_view(&self, viewer: &str, coach: bool) -> FullView {
        FullView {
            common: self.common_view(viewer),
            sessions: self
                .sessions()
                .iter()
                .map(|session| FullSession {
                    number: session.number,
                    starts_at: session.starts_at,
                    status: session.status,
                    started_at: session.started_at,
                    ended_at: session.ended_at,
                    cancellation: session.cancellation.clone(),
                    steps: self.steps_of(session),
                })
                .collect(),
            actions: self.actions().iter().map(action_view).collect(),
            goals: self.goals().to_vec(),
            engagement_levels: self.engagement_levels().to_vec(),
            preliminary_discussions: self.preliminary_discussions().to_vec(),
            progress_feedback: self.progress_feedback().to_vec(),
            summaries: self.summaries().to_vec(),
            final_review: self.final_review().cloned(),
            assessments: self.assessments().to_vec(),
            surveys: self.surveys_as_coachee_and_coach_see_them(),
            disclosures: self.disclosures().to_vec(),
            discontinuation_reason: self.discontinuation().map(|ended| ended.reason.clone()),
            sponsor_explanations: self.sponsor_explanations().to_vec(),
            consents: self.consents().to_vec(),
            partnership_reviews: coach.then(|| self.partnership_reviews().to_vec()),
        }
    }

    fn supervisor_view(&self, viewer: &str) -> SupervisorView {
        SupervisorView {
            common: self.common_view(viewer),
            sessions: self
                .sessions()
                .iter()
                .filter(|session| session.status.occupies_number())
                .map(|session| SessionFact {
                    number: session.number,
                    starts_at: session.starts_at,
                    status: session.status,
                    ended_at: session.ended_at,
                })
                .collect(),
            goals: self
                .goals()
                .iter()
                .map(|goal| SupervisorGoal {
                    id: goal.id.clone(),
                    statement: goal.statement.clone(),
                    org_priority: goal.org_priority.clone(),
                    success_measures: goal.success_measures.clone(),
                    activities: goal.activities.clone(),
                    outcome: goal.assessment.as_ref().map(|assessment| assessment.outcome),
                    evidence: goal.assessment.as_ref().and_then(|assessment| assessment.evidence.clone()),
                })
                .collect(),
            engagement_levels: self.level_facts().collect(),
            preliminary_discussions: self.preliminary_discussions().to_vec(),
            progress_feedback: self.progress_feedback().to_vec(),
            summaries: self.summaries().to_vec(),
            final_review: self.final_review().cloned(),
            sponsor_explanations: self.sponsor_explanations().to_vec(),
            shared: self.shared_with(Role::Supervisor),
        }
    }

    fn program_admin_view(&self, viewer: &str) -> ProgramAdminView {
        ProgramAdminView {
            common: self.common_view(viewer),
            sessions: self.admin_sessions().collect(),
            goal_count: self.goals().len(),
            goal_outcomes: self.goal_outcomes().collect(),
            engagement_levels: self.level_facts().collect(),
            disclosures: self
                .disclosures()
                .iter()
                .map(|disclosure| DisclosureFact {
                    to: disclosure.to.clone(),
                    limit: disclosure.limit.clone(),
                    at: disclosure.at,
                })
                .collect(),
            shared: self.shared_with(Role::ProgramAdmin),
            partnership_reviews: self.partnership_reviews().len(),
        }
    }

    /// The programme admin's view whether or not the engagement has an admin: what
    /// analytics may be computed from (`metrics` builds only the parts it reads; its tests
    /// compare with the whole view).
    #[cfg(test)]
    pub(crate) fn analytics_view(&self) -> ProgramAdminView {
        self.program_admin_view("")
    }

    /// That the engagement was discontinued, by whom and when: the `discontinuation` of
    /// every view.
    pub(crate) fn discontinuation_fact(&self) -> Option<DiscontinuationFact> {
        self.discontinuation().map(|ended| DiscontinuationFact { initiated_by: ended.initiated_by, at: ended.at })
    }

    /// The `sessions` of the programme admin's view.
    pub(crate) fn admin_sessions(&self) -> impl Iterator<Item = AdminSession> + '_ {
        self.sessions().iter().map(|session| AdminSession {
            number: session.number,
            starts_at: session.starts_at,
            status: session.status,
            ended_at: session.ended_at,
            late_cancellation: session.cancellation.as_ref().is_some_and(|cancellation| cancellation.late),
            rating: self.session_rating(session),
        })
    }

    /// The `goal_outcomes` of the programme admin's view.
    pub(crate) fn goal_outcomes(&self) -> impl Iterator<Item = GoalOutcome> + '_ {
        self.goals().iter().filter_map(|goal| goal.assessment.as_ref().map(|assessment| assessment.outcome))
    }

    /// The `engagement_levels` of the supervisor's and the programme admin's views.
    pub(crate) fn level_facts(&self) -> impl DoubleEndedIterator<Item = LevelFact> + '_ {
        self.engagement_levels().iter().map(|rating| LevelFact { level: rating.level, at: rating.at })
    }

    fn session_rating(&self, session: &Session) -> Option<u8> {
        session.steps.iter().find_map(|step| step.rating)
    }

    pub(crate) fn shared_with(&self, role: Role) -> SharedRecords {
        let mut shared = SharedRecords::default();
        for grant in self.consents().iter().filter(|grant| grant.to == role) {
            match RecordRef::parse(&grant.record) {
                Ok(RecordRef::Session(number)) => {
                    // The session's script content and actions; never its feedback step,
                    // which the supervisor does not see (section 6).
                    let steps = self
                        .sessions()
                        .iter()
                        .filter(|session| session.number == number && session.status == SessionStatus::Held)
                        .flat_map(|session| self.steps_of(session))
                        .filter(|step| !matches!(step.content, StepContent::SessionFeedback(_)))
                        .collect();
                    shared.sessions.push(SharedSession { number, steps });
                }
                Ok(RecordRef::Action(id)) => {
                    shared.actions.extend(self.actions().iter().filter(|action| action.item.id == id).map(action_view))
                }
                Ok(RecordRef::GoalProgress(id)) if role == Role::Supervisor => shared.goal_progress.extend(
                    self.goals()
                        .iter()
                        .filter(|goal| goal.id == id)
                        .map(|goal| SharedGoalProgress { goal: goal.id.clone(), progress: goal.progress.clone() }),
                ),
                Ok(RecordRef::Assessment(id)) => shared
                    .assessments
                    .extend(self.assessments().iter().filter(|assessment| assessment.id == id).cloned()),
                Ok(RecordRef::Survey(id)) => shared.surveys.extend(self.closed_survey_results(&id)),
                Ok(RecordRef::GoalProgress(_)) | Err(_) => {}
            }
        }
        shared
    }
}

fn action_view(action: &Action) -> ActionView {
    ActionView {
        id: action.item.id.clone(),
        description: action.item.description.clone(),
        due: action.item.due,
        session: action.session,
        status: action.status,
    }
}
