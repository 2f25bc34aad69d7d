//! Who sees what (contract sections 6 and 7): one view type per role.
//!
//! Views are computed by the library, never by the caller. Coachee and coach see the same
//! [`FullView`]. The [`SupervisorView`] and [`ProgramAdminView`] types have no field that can
//! carry session content, assessments, actions, goal progress or survey results except their
//! `shared` section, which holds only the records the coachee consented to open to that role.
//! No view has a field for rater ids or `meta`.

use crate::codes::Code;
use crate::engine::Engagement;
use crate::event::{StepFields, TextList, Timestamp};
use crate::finding::Finding;
use crate::id::Id;
use crate::model::{BuiltinStep, EngagementLevel, GoalOutcome, MeetingKind, Role, Stage};
use crate::record::RecordRef;
use crate::rules::Rule;
use crate::state::{
    Action, ActionStatus, Assessment, ConsentGrant, Disclosure, FinalReview, Goal, LevelRating, MeetingStatus, Note,
    PartnershipReview, Session, SessionCancellation, SessionStatus, StageEntry,
};
use crate::survey::SurveyView;
use chrono::NaiveDate;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A participant's view of an engagement, by role. Serialized with a `role` field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum View<'a> {
    /// The coachee's view.
    Coachee(FullView<'a>),
    /// The coach's view.
    Coach(FullView<'a>),
    /// The supervisor's view.
    Supervisor(SupervisorView<'a>),
    /// A programme admin's view.
    ProgramAdmin(ProgramAdminView<'a>),
}

impl View<'_> {
    /// The view as JSON text (the stable shape documented in `docs/views.md`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

/// What every participant sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommonView<'a> {
    /// Engagement id.
    pub engagement: &'a str,
    /// The participant the view was made for.
    pub viewer: String,
    /// Current stage.
    pub stage: Stage,
    /// When each stage was entered.
    pub stage_history: &'a [StageEntry],
    /// Who takes part.
    pub participants: ParticipantsView<'a>,
    /// Meetings: kind, times, attendance.
    pub meetings: Vec<MeetingView<'a>>,
    /// The confidentiality agreement: date and limits.
    pub confidentiality: Option<AgreementView<'a>>,
    /// That the engagement was discontinued, by whom and when (not why).
    pub discontinuation: Option<DiscontinuationFact>,
    /// The steps of the process everyone shares, as facts: what the stage guards and
    /// obligations speak of, so that neither tells a reader more than this view.
    pub process: ProcessFacts<'a>,
}

/// Facts of the shared process (not content): when the orientation was completed, when the
/// preliminary goal discussion was held (not what was said), who acknowledged their
/// responsibilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ProcessFacts<'a> {
    /// When the coachee completed the orientation.
    pub orientation_completed_at: Option<Timestamp>,
    /// When the preliminary goal discussions were held.
    pub preliminary_discussions_held: Vec<Timestamp>,
    /// Who acknowledged their responsibilities.
    pub acknowledged: &'a [String],
}

/// Participants by role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantsView<'a> {
    /// Coachee.
    pub coachee: &'a str,
    /// Supervisor.
    pub supervisor: &'a str,
    /// Coach.
    pub coach: Option<&'a str>,
    /// Programme admins.
    pub program_admins: &'a [Id],
    /// Coaches who were replaced.
    pub former_coaches: &'a [Id],
}

/// A meeting as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingView<'a> {
    /// Meeting id.
    pub id: &'a str,
    /// Kind.
    pub kind: MeetingKind,
    /// Planned start.
    pub starts_at: Timestamp,
    /// Status.
    pub status: MeetingStatus,
    /// When it was held.
    pub held_at: Option<Timestamp>,
    /// Who attended.
    pub attendees: &'a [String],
}

/// The confidentiality agreement as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementView<'a> {
    /// The meeting date it was reviewed on.
    pub reviewed_on: NaiveDate,
    /// The limits.
    pub limits: &'a [String],
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
#[derive(Debug, Clone, PartialEq)]
pub struct StepView<'a> {
    /// Step name.
    pub name: &'a str,
    /// When.
    pub at: Timestamp,
    /// The step's fields, lent from the log (`content.decode()` gives them typed).
    pub content: StepFields<'a>,
}

/// The step's name and time, then its fields beside them.
impl Serialize for StepView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", self.name)?;
        map.serialize_entry("at", &self.at)?;
        self.content.write_entries(&mut map)?;
        map.end()
    }
}

/// A session as coachee and coach see it: everything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FullSession<'a> {
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
    pub cancellation: Option<&'a SessionCancellation>,
    /// Script steps with their content.
    pub steps: Vec<StepView<'a>>,
}

/// An action as its viewers see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionView<'a> {
    /// Action id.
    pub id: &'a str,
    /// The commitment.
    pub description: &'a str,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// The session it was committed in.
    pub session: u32,
    /// Status.
    pub status: ActionStatus,
}

/// What coachee and coach see: everything but rater ids and `meta`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FullView<'a> {
    /// What everyone sees.
    #[serde(flatten)]
    pub common: CommonView<'a>,
    /// Every scheduling of every session, with content.
    pub sessions: Vec<FullSession<'a>>,
    /// Actions.
    pub actions: Vec<ActionView<'a>>,
    /// Goals with progress, outcomes and evidence.
    pub goals: &'a [Goal],
    /// Engagement level ratings with their notes.
    pub engagement_levels: &'a [LevelRating],
    /// Preliminary discussion notes.
    pub preliminary_discussions: &'a [Note],
    /// The sponsor's progress feedback.
    pub progress_feedback: &'a [Note],
    /// Summaries the coachee shared.
    pub summaries: &'a [Note],
    /// The final review record.
    pub final_review: Option<&'a FinalReview>,
    /// Assessments.
    pub assessments: &'a [Assessment],
    /// 360 surveys, aggregated.
    pub surveys: Vec<SurveyView>,
    /// Disclosures, with their summaries.
    pub disclosures: &'a [Disclosure],
    /// Why the engagement was discontinued.
    pub discontinuation_reason: Option<&'a str>,
    /// The coachee's explanations to the sponsor.
    pub sponsor_explanations: &'a [Note],
    /// Records the coachee has opened, and to whom.
    pub consents: &'a [ConsentGrant],
    /// The coach's reviews of their own partnering (K1): in the coach's view only; the
    /// coachee's view leaves the field out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partnership_reviews: Option<&'a [PartnershipReview]>,
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
pub struct SupervisorGoal<'a> {
    /// Goal id.
    pub id: &'a str,
    /// The goal.
    pub statement: &'a str,
    /// The organisational priority.
    pub org_priority: &'a str,
    /// Success measures.
    pub success_measures: &'a TextList,
    /// Activities.
    pub activities: &'a TextList,
    /// Outcome.
    pub outcome: Option<GoalOutcome>,
    /// Evidence of the outcome.
    pub evidence: Option<&'a str>,
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
pub struct SharedRecords<'a> {
    /// Sessions whose script content is shared.
    pub sessions: Vec<SharedSession<'a>>,
    /// Shared actions.
    pub actions: Vec<ActionView<'a>>,
    /// Shared goal progress notes (supervisor only).
    pub goal_progress: Vec<SharedGoalProgress<'a>>,
    /// Shared assessments.
    pub assessments: Vec<&'a Assessment>,
    /// Shared survey aggregates.
    pub surveys: Vec<SurveyView>,
}

/// A shared session's script content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedSession<'a> {
    /// Number.
    pub number: u32,
    /// Its steps.
    pub steps: Vec<StepView<'a>>,
}

/// A goal's shared progress notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedGoalProgress<'a> {
    /// Goal id.
    pub goal: &'a str,
    /// Notes.
    pub progress: &'a [crate::state::GoalProgress],
}

/// What the supervisor sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupervisorView<'a> {
    /// What everyone sees.
    #[serde(flatten)]
    pub common: CommonView<'a>,
    /// Sessions scheduled and held, with dates (cancellations and missed sessions are not shown).
    pub sessions: Vec<SessionFact>,
    /// Goals and outcomes.
    pub goals: Vec<SupervisorGoal<'a>>,
    /// Engagement levels, without notes.
    pub engagement_levels: Vec<LevelFact>,
    /// Preliminary discussion notes.
    pub preliminary_discussions: &'a [Note],
    /// The sponsor's own progress feedback.
    pub progress_feedback: &'a [Note],
    /// Summaries the coachee shared.
    pub summaries: &'a [Note],
    /// The final review record.
    pub final_review: Option<&'a FinalReview>,
    /// The coachee's explanations after a discontinuation.
    pub sponsor_explanations: &'a [Note],
    /// Records opened to the supervisor by consent.
    pub shared: SharedRecords<'a>,
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
pub struct DisclosureFact<'a> {
    /// Recipient.
    pub to: &'a str,
    /// The limit.
    pub limit: &'a str,
    /// When.
    pub at: Timestamp,
}

/// What a programme admin sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramAdminView<'a> {
    /// What everyone sees.
    #[serde(flatten)]
    pub common: CommonView<'a>,
    /// Every scheduling of every session, with cancellations, missed sessions and ratings.
    pub sessions: Vec<AdminSession>,
    /// How many goals were agreed.
    pub goal_count: usize,
    /// Goal outcomes, without the goals or the evidence.
    pub goal_outcomes: Vec<GoalOutcome>,
    /// Engagement levels, without notes.
    pub engagement_levels: Vec<LevelFact>,
    /// Disclosures: fact, limit, recipient, date.
    pub disclosures: Vec<DisclosureFact<'a>>,
    /// Records opened to programme admins by consent.
    pub shared: SharedRecords<'a>,
    /// How many held sessions the coach reviewed their partnering in (the count only).
    pub partnership_reviews: usize,
}

impl Engagement {
    /// The view of the participant with this id.
    ///
    /// A replaced coach, or anyone else who is not a current participant, gets
    /// `not_a_participant`.
    pub fn view(&self, participant: &str) -> Result<View<'_>, Finding> {
        let role = self.role_of(participant).ok_or_else(|| self.stranger(participant))?;
        Ok(self.view_for(participant, role))
    }

    /// The view of the (first) participant holding `role`.
    pub fn view_as(&self, role: Role) -> Result<View<'_>, Finding> {
        let participant = self.participants().with_role(role).first().map(|id| id.to_string()).ok_or_else(|| {
            Finding::new(Code::NotAParticipant, Rule::L5, format!("engagement {} has no {role}", self.id()))
        })?;
        Ok(self.view_for(&participant, role))
    }

    fn view_for(&self, viewer: &str, role: Role) -> View<'_> {
        match role {
            Role::Coachee => View::Coachee(self.full_view(viewer, false)),
            Role::Coach => View::Coach(self.full_view(viewer, true)),
            Role::Supervisor => View::Supervisor(self.supervisor_view(viewer)),
            Role::ProgramAdmin => View::ProgramAdmin(self.program_admin_view(viewer)),
        }
    }

    fn common_view(&self, viewer: &str) -> CommonView<'_> {
        let people = self.participants();
        CommonView {
            engagement: self.id(),
            viewer: viewer.to_owned(),
            stage: self.stage(),
            stage_history: self.stage_history(),
            participants: ParticipantsView {
                coachee: &people.coachee,
                supervisor: &people.supervisor,
                coach: people.coach.as_deref(),
                program_admins: &people.program_admins,
                former_coaches: &people.former_coaches,
            },
            meetings: self
                .meetings()
                .iter()
                .map(|meeting| MeetingView {
                    id: &meeting.id,
                    kind: meeting.kind,
                    starts_at: meeting.starts_at,
                    status: meeting.status,
                    held_at: meeting.held_at,
                    attendees: &meeting.attendees,
                })
                .collect(),
            confidentiality: self
                .confidentiality()
                .map(|agreement| AgreementView { reviewed_on: agreement.reviewed_on, limits: &agreement.limits }),
            discontinuation: self.discontinuation_fact(),
            process: ProcessFacts {
                orientation_completed_at: self.orientation_completed_at(),
                preliminary_discussions_held: self.preliminary_discussions().iter().map(|note| note.at).collect(),
                acknowledged: self.acknowledged(),
            },
        }
    }

    fn steps_of<'a>(&'a self, session: &'a Session) -> Vec<StepView<'a>> {
        session
            .steps
            .iter()
            .filter_map(|step| Some(StepView { name: &step.name, at: step.at, content: self.step_fields(step)? }))
            .collect()
    }

    fn full_view(&self, viewer: &str, coach: bool) -> FullView<'_> {
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
                    cancellation: session.cancellation.as_ref(),
                    steps: self.steps_of(session),
                })
                .collect(),
            actions: self.actions().iter().map(action_view).collect(),
            goals: self.goals(),
            engagement_levels: self.engagement_levels(),
            preliminary_discussions: self.preliminary_discussions(),
            progress_feedback: self.progress_feedback(),
            summaries: self.summaries(),
            final_review: self.final_review(),
            assessments: self.assessments(),
            surveys: self.surveys_as_coachee_and_coach_see_them(),
            disclosures: self.disclosures(),
            discontinuation_reason: self.discontinuation().map(|ended| ended.reason.as_str()),
            sponsor_explanations: self.sponsor_explanations(),
            consents: self.consents(),
            partnership_reviews: coach.then(|| self.partnership_reviews()),
        }
    }

    fn supervisor_view(&self, viewer: &str) -> SupervisorView<'_> {
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
                    id: &goal.id,
                    statement: &goal.statement,
                    org_priority: &goal.org_priority,
                    success_measures: &goal.success_measures,
                    activities: &goal.activities,
                    outcome: goal.assessment.as_ref().map(|assessment| assessment.outcome),
                    evidence: goal.assessment.as_ref().and_then(|assessment| assessment.evidence.as_deref()),
                })
                .collect(),
            engagement_levels: self.level_facts().collect(),
            preliminary_discussions: self.preliminary_discussions(),
            progress_feedback: self.progress_feedback(),
            summaries: self.summaries(),
            final_review: self.final_review(),
            sponsor_explanations: self.sponsor_explanations(),
            shared: self.shared_with(Role::Supervisor),
        }
    }

    fn program_admin_view(&self, viewer: &str) -> ProgramAdminView<'_> {
        ProgramAdminView {
            common: self.common_view(viewer),
            sessions: self.admin_sessions().collect(),
            goal_count: self.goals().len(),
            goal_outcomes: self.goal_outcomes().collect(),
            engagement_levels: self.level_facts().collect(),
            disclosures: self
                .disclosures()
                .iter()
                .map(|disclosure| DisclosureFact { to: &disclosure.to, limit: &disclosure.limit, at: disclosure.at })
                .collect(),
            shared: self.shared_with(Role::ProgramAdmin),
            partnership_reviews: self.partnership_reviews().len(),
        }
    }

    /// The programme admin's view whether or not the engagement has an admin: what
    /// analytics may be computed from (`metrics` builds only the parts it reads; its tests
    /// compare with the whole view).
    #[cfg(test)]
    pub(crate) fn analytics_view(&self) -> ProgramAdminView<'_> {
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

    pub(crate) fn shared_with(&self, role: Role) -> SharedRecords<'_> {
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
                        .filter(|step| step.name != BuiltinStep::SessionFeedback.as_str())
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
                        .map(|goal| SharedGoalProgress { goal: &goal.id, progress: &goal.progress }),
                ),
                Ok(RecordRef::Assessment(id)) => {
                    shared.assessments.extend(self.assessments().iter().filter(|assessment| assessment.id == id))
                }
                Ok(RecordRef::Survey(id)) => shared.surveys.extend(self.closed_survey_results(&id)),
                Ok(RecordRef::GoalProgress(_)) | Err(_) => {}
            }
        }
        shared
    }
}

fn action_view(action: &Action) -> ActionView<'_> {
    ActionView {
        id: &action.item.id,
        description: &action.item.description,
        due: action.item.due,
        session: action.session,
        status: action.status,
    }
}
