//! What each participant still owes, as of a date.

use crate::engine::{Engagement, THREE_WAY};
use crate::finding::Finding;
use crate::model::{Role, Stage};
use crate::rules::Rule;
use crate::state::ActionStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of thing is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// Pre-work: a coach must be assigned (supervisor or programme admin).
    AssignCoach,
    /// Pre-work: the coachee's orientation.
    CompleteOrientation,
    /// Pre-work: the coachee-supervisor preliminary goal discussion.
    HoldPreliminaryDiscussion,
    /// Pre-work and goal setting: acknowledging one's responsibilities.
    AcknowledgeResponsibilities,
    /// Goal setting: the three-way goal-setting meeting.
    HoldGoalSettingMeeting,
    /// Goal setting: agreeing at least `policy.min_goals` goals.
    AgreeGoals,
    /// Goal setting: the coach's confidentiality agreement.
    AgreeConfidentiality,
    /// Coaching: no session is scheduled while sessions remain.
    ScheduleNextSession,
    /// Coaching: the required midpoint check-in, once half the sessions are held.
    HoldMidpointCheckIn,
    /// An open action whose due date has passed.
    CompleteOverdueAction,
    /// Final review: goals without an outcome.
    AssessGoals,
    /// Final review: the three-way final review meeting.
    HoldFinalReview,
    /// After a coachee- or coach-initiated discontinuation: the explanation to the sponsor.
    InformSponsor,
}

impl ObligationKind {
    /// The snake_case spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ObligationKind::AssignCoach => "assign_coach",
            ObligationKind::CompleteOrientation => "complete_orientation",
            ObligationKind::HoldPreliminaryDiscussion => "hold_preliminary_discussion",
            ObligationKind::AcknowledgeResponsibilities => "acknowledge_responsibilities",
            ObligationKind::HoldGoalSettingMeeting => "hold_goal_setting_meeting",
            ObligationKind::AgreeGoals => "agree_goals",
            ObligationKind::AgreeConfidentiality => "agree_confidentiality",
            ObligationKind::ScheduleNextSession => "schedule_next_session",
            ObligationKind::HoldMidpointCheckIn => "hold_midpoint_check_in",
            ObligationKind::CompleteOverdueAction => "complete_overdue_action",
            ObligationKind::AssessGoals => "assess_goals",
            ObligationKind::HoldFinalReview => "hold_final_review",
            ObligationKind::InformSponsor => "inform_sponsor",
        }
    }
}

/// One thing one participant still owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Obligation {
    /// Who owes it.
    pub participant: String,
    /// Their role.
    pub role: Role,
    /// What is owed.
    pub kind: ObligationKind,
    /// In words.
    pub message: String,
    /// When it was due, for overdue actions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// The action it is about, for overdue actions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

impl Obligation {
    /// Whether it is owed on `day`: an action becomes owed the day after its due date;
    /// everything else is owed until it is done.
    pub fn owed_on(&self, day: NaiveDate) -> bool {
        self.due.is_none_or(|due| due < day)
    }
}

impl Engagement {
    /// What `viewer` may see of what everyone still owes as of `as_of`: their own
    /// obligations, and those of others whose subject their view shows (a supervisor does
    /// not see the coachee's overdue actions unless the coachee opened them; a programme
    /// admin does not see whether the sponsor's explanation was given). Someone who is not
    /// a participant gets `not_a_participant`.
    ///
    /// ```
    /// use coachflow::{Engagement, Event};
    /// let mut engagement = Engagement::new("e");
    /// engagement.apply(Event::from_json(r#"{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"sam",
    ///     "type":"engagement_opened","coachee":"cleo","supervisor":"sam","coach":"kim"}"#).unwrap()).unwrap();
    /// let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 6).unwrap();
    /// let owed = engagement.obligations(today, "cleo").unwrap();
    /// assert!(owed.iter().any(|obligation| obligation.participant == "cleo"));
    /// assert!(engagement.obligations(today, "stranger").is_err());
    /// ```
    pub fn obligations(&self, as_of: NaiveDate, viewer: &str) -> Result<Vec<Obligation>, Finding> {
        let role = self.role_of(viewer).ok_or_else(|| self.stranger(viewer))?;
        let mut owed = self.all_obligations(as_of);
        owed.retain(|obligation| obligation.participant == viewer || self.shows_subject(obligation, role));
        Ok(owed)
    }

    /// Whether the view of `role` shows what `obligation` is about.
    fn shows_subject(&self, obligation: &Obligation, role: Role) -> bool {
        let sees_everything = matches!(role, Role::Coachee | Role::Coach);
        match obligation.kind {
            ObligationKind::CompleteOverdueAction => {
                sees_everything
                    || obligation
                        .action
                        .as_ref()
                        .is_some_and(|action| self.is_shared(&format!("action:{action}"), role))
            }
            ObligationKind::InformSponsor => role != Role::ProgramAdmin,
            _ => true,
        }
    }

    /// Everything every participant still owes as of `as_of`: pre-work items,
    /// acknowledgements, the goal-setting meeting and goals, the confidentiality agreement,
    /// the next appointment, overdue actions, goal outcomes and the final review, and the
    /// sponsor explanation after a discontinuation. Empty before opening and once completed.
    ///
    /// This is for a trusted system job (reminders, a programme office's dashboard of its
    /// own data), not for a person: a person gets [`Engagement::obligations`].
    pub fn all_obligations(&self, as_of: NaiveDate) -> Vec<Obligation> {
        let mut owed = self.all_pending_obligations();
        owed.retain(|obligation| obligation.owed_on(as_of));
        owed
    }

    /// [`all_obligations`](Engagement::all_obligations) for every date at once: every open
    /// action with a due date is listed, whether or not the date has passed, and
    /// [`Obligation::owed_on`] tells which are owed on a given day. For systems that keep
    /// the list until they are asked about a date (the store's `due`).
    pub fn all_pending_obligations(&self) -> Vec<Obligation> {
        let mut owed = Vec::new();
        if !self.is_opened() {
            return owed;
        }
        let people = self.participants();
        let mut add =
            |roles: &[Role], kind: ObligationKind, message: String, due: Option<NaiveDate>, action: Option<&str>| {
                for role in roles {
                    for participant in people.with_role(*role) {
                        owed.push(Obligation {
                            participant: participant.to_owned(),
                            role: *role,
                            kind,
                            message: message.clone(),
                            due,
                            action: action.map(str::to_owned),
                        });
                    }
                }
            };
        let policy = self.policy();
        let stage = self.stage();
        let unmet = |rule| self.unmet(rule);
        if stage == Stage::PreWork {
            if unmet(Rule::S1) {
                add(
                    &[Role::Supervisor, Role::ProgramAdmin],
                    ObligationKind::AssignCoach,
                    "assign a coach".into(),
                    None,
                    None,
                );
            }
            if unmet(Rule::S2) {
                add(
                    &[Role::Coachee],
                    ObligationKind::CompleteOrientation,
                    "complete the orientation".into(),
                    None,
                    None,
                );
            }
            if unmet(Rule::S3) {
                add(
                    &[Role::Coachee, Role::Supervisor],
                    ObligationKind::HoldPreliminaryDiscussion,
                    "hold the preliminary goal discussion".into(),
                    None,
                    None,
                );
            }
        }
        if matches!(stage, Stage::PreWork | Stage::GoalSetting) && policy.require_acknowledgements {
            for role in THREE_WAY.iter().copied() {
                let pending =
                    people.with_role(role).iter().any(|id| !self.acknowledged().iter().any(|done| done == id));
                if pending {
                    add(
                        &[role],
                        ObligationKind::AcknowledgeResponsibilities,
                        format!("acknowledge the {role}'s responsibilities"),
                        None,
                        None,
                    );
                }
            }
        }
        if stage == Stage::GoalSetting {
            if unmet(Rule::S4) {
                add(
                    THREE_WAY,
                    ObligationKind::HoldGoalSettingMeeting,
                    "hold the three-way goal-setting meeting".into(),
                    None,
                    None,
                );
            }
            if unmet(Rule::S5) {
                add(
                    &[Role::Coachee],
                    ObligationKind::AgreeGoals,
                    format!("agree at least {} goal(s)", policy.min_goals),
                    None,
                    None,
                );
            }
            if unmet(Rule::S6) {
                add(
                    &[Role::Coach],
                    ObligationKind::AgreeConfidentiality,
                    "record the confidentiality agreement and its limits".into(),
                    None,
                    None,
                );
            }
        }
        if stage == Stage::Coaching {
            // Nothing scheduled or in progress (S9 met) while sessions remain (S8 unmet).
            if !unmet(Rule::S9) && unmet(Rule::S8) {
                add(
                    &[Role::Coachee, Role::Coach],
                    ObligationKind::ScheduleNextSession,
                    "schedule the next coaching session".into(),
                    None,
                    None,
                );
            }
            // S10 is unmet only when the policy requires the check-in and it was not held.
            if unmet(Rule::S10) && self.sessions_held() >= policy.midpoint_after() {
                add(THREE_WAY, ObligationKind::HoldMidpointCheckIn, "hold the midpoint check-in".into(), None, None);
            }
        }
        if matches!(stage, Stage::Coaching | Stage::FinalReview) {
            for action in self.actions().iter().filter(|action| action.status == ActionStatus::Open) {
                if let Some(due) = action.item.due {
                    add(
                        &[Role::Coachee],
                        ObligationKind::CompleteOverdueAction,
                        format!("action {} was due on {due}", action.item.id),
                        Some(due),
                        Some(&action.item.id),
                    );
                }
            }
        }
        if stage == Stage::FinalReview {
            if unmet(Rule::S12) {
                add(
                    &[Role::Coachee],
                    ObligationKind::AssessGoals,
                    "record an outcome for every goal".into(),
                    None,
                    None,
                );
            }
            if unmet(Rule::S11) {
                add(
                    THREE_WAY,
                    ObligationKind::HoldFinalReview,
                    "hold the three-way final review meeting".into(),
                    None,
                    None,
                );
            }
        }
        if let Some(discontinuation) = self.discontinuation() {
            if discontinuation.owes_sponsor_explanation() && self.sponsor_explanations().is_empty() {
                add(
                    &[Role::Coachee],
                    ObligationKind::InformSponsor,
                    "explain the discontinuation to the supervisor".into(),
                    None,
                    None,
                );
            }
        }
        owed
    }
}
