//! The redacted log (contract section 6, `docs/views.md` "Redacted logs"): an engagement's
//! log with everything one viewer's view does not show replaced by placeholders, so that a
//! browser can check that person's events without holding anyone else's content.
//!
//! Every event keeps its place, `seq`, `at`, actor and type, so that replaying the redacted
//! log gives the same stage, the same requirements and the same verdict for every event the
//! viewer may record (`seq` and `at` findings included). What goes:
//! - text the viewer's view does not show becomes [`REDACTED_TEXT`] when the field is required
//!   and is left out when it is optional; a hidden list of texts becomes one placeholder;
//! - an id the view does not show (a goal for a programme admin, an action, assessment or
//!   survey not opened by consent, a rater for coachee and supervisor) becomes a pseudonym
//!   such as `action-1`, the same for every mention (a rater's, for every mention in one
//!   survey);
//! - a hidden 360 response keeps no scores or comment and is filed under the `other` group;
//! - `meta` is left out for everyone.
//!
//! Which record each role sees comes from the views (`views.rs`), so the two cannot differ.

use crate::engine::Engagement;
use crate::event::{
    ActionItem, AssignmentReview, CheckIn, CoachingStep, Event, EventBody, KeyOutcomes, NextAssignment, PhaseChecks,
    Scores, ScriptStep, SessionFeedback, SessionGoal, StepContent, TextList,
};
use crate::finding::Finding;
use crate::model::{RaterGroup, Role};
use crate::record::RecordRef;
use crate::sorted::{position, sorted_unique};
use crate::views::SharedRecords;

/// What a hidden text reads as in a redacted log.
pub const REDACTED_TEXT: &str = "[redacted]";

impl Engagement {
    /// The log with everything `viewer`'s view does not show replaced by placeholders or
    /// pseudonyms (see the module documentation). Replaying it gives the same stage and
    /// requirements, and checking an event the viewer may record against it gives the same
    /// verdict as against the whole log.
    ///
    /// Someone who is not a current participant gets `not_a_participant`.
    ///
    /// ```
    /// use coachflow::{Engagement, Event};
    /// let mut engagement = Engagement::new("e-1");
    /// for line in [
    ///     r#"{"engagement":"e-1","at":"2026-03-02T09:00:00Z","actor":"hr","type":"engagement_opened","coachee":"cleo","supervisor":"sam","coach":"kim","program_admins":["hr"]}"#,
    ///     r#"{"engagement":"e-1","at":"2026-03-02T10:00:00Z","actor":"cleo","type":"preliminary_goals_discussed","notes":"wants to lead the Lisbon office"}"#,
    /// ] {
    ///     engagement.apply(Event::from_json(line).unwrap()).unwrap();
    /// }
    /// let for_admin: Vec<String> = engagement.redacted_log("hr").unwrap().iter().map(Event::to_json).collect();
    /// assert!(!for_admin[1].contains("Lisbon"));
    /// assert!(engagement.redacted_log("sam").unwrap()[1].to_json().contains("Lisbon"));
    /// ```
    pub fn redacted_log(&self, viewer: &str) -> Result<Vec<Event>, Finding> {
        let role = self.role_of(viewer).ok_or_else(|| self.stranger(viewer))?;
        let mut redactor = Redactor::new(self, role);
        Ok(self.log().iter().map(|event| redactor.event(event)).collect())
    }
}

/// The kinds of id a view may leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum IdKind {
    Goal,
    Action,
    Assessment,
    Survey,
    Rater,
}

impl IdKind {
    /// The number of kinds.
    const COUNT: usize = 5;

    fn prefix(self) -> &'static str {
        match self {
            IdKind::Goal => "goal",
            IdKind::Action => "action",
            IdKind::Assessment => "assessment",
            IdKind::Survey => "survey",
            IdKind::Rater => "rater",
        }
    }
}

struct Redactor<'a> {
    engagement: &'a Engagement,
    role: Role,
    /// The ids of each kind (by [`IdKind`]'s position) the viewer's view shows, sorted;
    /// `None` when it shows every one.
    shown: [Option<Vec<String>>; IdKind::COUNT],
    /// Every id of each kind the engagement holds, sorted, so that no pseudonym equals a
    /// real id.
    real: [Vec<String>; IdKind::COUNT],
    /// Each pseudonym given, sorted by kind and scoped id. (Sorted lists rather than maps:
    /// a redacted log holds a few hundred ids at most, and each map type is about 4 KB of
    /// the WebAssembly module.)
    pseudonyms: Vec<(IdKind, String, String)>,
    /// The limits of the confidentiality agreement in force at the event being redacted.
    limits: Vec<String>,
}

impl<'a> Redactor<'a> {
    fn new(engagement: &'a Engagement, role: Role) -> Redactor<'a> {
        let sees_all = matches!(role, Role::Coachee | Role::Coach);
        let administers_surveys = matches!(role, Role::Coach | Role::ProgramAdmin);
        let shared = if sees_all { SharedRecords::default() } else { engagement.shared_with(role) };
        let mut shared_actions: Vec<String> = shared.actions.iter().map(|action| action.id.to_owned()).collect();
        for step in shared.sessions.iter().flat_map(|session| &session.steps) {
            match step.content.decode() {
                Some(StepContent::ActionCommitment(commitment)) => {
                    shared_actions.extend(commitment.actions.into_iter().map(|item| item.id))
                }
                Some(StepContent::AssignmentReview(review)) => {
                    shared_actions.extend(review.actions_reviewed.into_iter().flatten())
                }
                _ => {}
            }
        }
        let all_or = |all: bool, some: Vec<String>| if all { None } else { Some(sorted_unique(some)) };
        // In the order of `IdKind`.
        let shown = [
            all_or(role != Role::ProgramAdmin, Vec::new()),
            all_or(sees_all, shared_actions),
            all_or(sees_all, shared.assessments.iter().map(|a| a.id.clone()).collect()),
            all_or(sees_all || administers_surveys, shared.surveys.iter().map(|s| s.survey.clone()).collect()),
            // Survey administrators learn whether a rater answered by recording responses
            // (docs/decisions.md, issue 13); nobody else has rater ids.
            all_or(administers_surveys, Vec::new()),
        ];
        let real = [
            sorted_unique(engagement.goals().iter().map(|goal| goal.id.clone())),
            sorted_unique(engagement.actions().iter().map(|action| action.item.id.clone())),
            sorted_unique(engagement.assessments().iter().map(|a| a.id.clone())),
            sorted_unique(engagement.rater_responses().iter().map(|r| r.survey.clone())),
            sorted_unique(engagement.rater_responses().iter().map(|r| r.rater.clone())),
        ];
        Redactor { engagement, role, shown, real, pseudonyms: Vec::new(), limits: Vec::new() }
    }

    fn sees_all(&self) -> bool {
        matches!(self.role, Role::Coachee | Role::Coach)
    }

    /// The id as the viewer may read it: itself when their view shows it, else a pseudonym.
    /// A rater gets one pseudonym per survey (`scope`), so that the answers one person gave
    /// to two surveys cannot be linked; other ids get one per engagement.
    fn id(&mut self, kind: IdKind, id: &str, scope: &str) -> String {
        if self
            .shown
            .get(kind as usize)
            .is_some_and(|shown| shown.as_ref().is_none_or(|ids| position(ids, id).is_some()))
        {
            return id.to_owned();
        }
        let scoped = format!("{scope}\u{0}{id}");
        let place = self
            .pseudonyms
            .binary_search_by(|(other, other_id, _)| (*other, other_id.as_str()).cmp(&(kind, scoped.as_str())));
        let place = match place {
            Ok(found) => {
                return self.pseudonyms.get(found).map(|(_, _, pseudonym)| pseudonym.clone()).unwrap_or_default()
            }
            Err(place) => place,
        };
        let taken = self.pseudonyms.iter().filter(|(other, _, _)| *other == kind).count();
        let real = self.real.get(kind as usize);
        let pseudonym = (taken + 1..)
            .map(|number| format!("{}-{number}", kind.prefix()))
            .find(|candidate| {
                real.is_none_or(|ids| position(ids, candidate).is_none())
                    && !self.pseudonyms.iter().any(|(_, _, used)| used == candidate)
            })
            .unwrap_or_default();
        self.pseudonyms.insert(place, (kind, scoped, pseudonym.clone()));
        pseudonym
    }

    fn event(&mut self, mut event: Event) -> Event {
        event.meta = None;
        let role = self.role;
        let sees_all = self.sees_all();
        let admin = role == Role::ProgramAdmin;
        let hide = |text: &mut String, hidden: bool| {
            if hidden {
                *text = REDACTED_TEXT.to_owned();
            }
        };
        let hide_list = |list: &mut TextList, hidden: bool| {
            if hidden {
                *list = TextList(vec![REDACTED_TEXT.to_owned()]);
            }
        };
        // Views show a goal as it stands now: a value a revision replaced is in no view, and
        // a programme admin's view shows no goal text at all. `same` is whether the value is
        // the goal's current one (`None`: no such goal).
        let stale = |same: Option<bool>| admin || same != Some(true);
        match &mut event.body {
            // No view shows why a coach was replaced, a meeting was cancelled or an action closed.
            EventBody::CoachReplaced(replaced) => hide(&mut replaced.reason, true),
            EventBody::MeetingCancelled(cancelled) => cancelled.reason = None,
            EventBody::ActionCompleted(closed) | EventBody::ActionDropped(closed) => {
                closed.action = self.id(IdKind::Action, &closed.action, "");
                closed.reason = None;
            }
            EventBody::PreliminaryGoalsDiscussed(discussed) if admin => discussed.notes = None,
            EventBody::ConfidentialityAgreed(agreed) => self.limits = agreed.limits.0.clone(),
            EventBody::GoalAgreed(goal) => {
                let current = self.engagement.goals().iter().find(|current| current.id == goal.goal);
                let hidden = [
                    stale(current.map(|now| now.statement == goal.statement)),
                    stale(current.map(|now| now.org_priority == goal.org_priority)),
                    stale(current.map(|now| now.success_measures == goal.success_measures)),
                    stale(current.map(|now| Some(&now.activities) == goal.activities.as_ref())),
                ];
                hide(&mut goal.statement, hidden[0]);
                hide(&mut goal.org_priority, hidden[1]);
                hide_list(&mut goal.success_measures, hidden[2]);
                if hidden[3] {
                    goal.activities = None;
                }
                goal.goal = self.id(IdKind::Goal, &goal.goal, "");
            }
            EventBody::GoalRevised(revised) => {
                let current = self.engagement.goals().iter().find(|current| current.id == revised.goal);
                if stale(current.zip(revised.statement.as_ref()).map(|(now, new)| now.statement == *new)) {
                    revised.statement = revised.statement.as_ref().map(|_| REDACTED_TEXT.to_owned());
                }
                if stale(current.zip(revised.org_priority.as_ref()).map(|(now, new)| now.org_priority == *new)) {
                    revised.org_priority = revised.org_priority.as_ref().map(|_| REDACTED_TEXT.to_owned());
                }
                if stale(current.zip(revised.success_measures.as_ref()).map(|(now, new)| now.success_measures == *new))
                {
                    revised.success_measures =
                        revised.success_measures.as_ref().map(|_| TextList(vec![REDACTED_TEXT.to_owned()]));
                }
                if stale(current.zip(revised.activities.as_ref()).map(|(now, new)| now.activities == *new)) {
                    revised.activities = revised.activities.as_ref().map(|_| TextList(vec![REDACTED_TEXT.to_owned()]));
                }
                revised.goal = self.id(IdKind::Goal, &revised.goal, "");
            }
            EventBody::GoalProgressNoted(noted) => {
                let shared = role == Role::Supervisor
                    && self.engagement.is_shared(&RecordRef::GoalProgress(noted.goal.clone()).to_string(), role);
                noted.goal = self.id(IdKind::Goal, &noted.goal, "");
                if !(sees_all || shared) {
                    hide(&mut noted.note, true);
                    noted.percent = None;
                }
            }
            EventBody::GoalAssessed(assessed) => {
                // Only the latest assessment of a goal is in a view.
                let current = self.engagement.goals().iter().find(|goal| goal.id == assessed.goal);
                let latest = current
                    .and_then(|goal| goal.assessment.as_ref())
                    .is_some_and(|now| now.evidence == assessed.evidence);
                if admin || !latest {
                    assessed.evidence = None;
                }
                assessed.goal = self.id(IdKind::Goal, &assessed.goal, "");
            }
            EventBody::FinalReviewRecorded(review) if admin => {
                hide_list(&mut review.successes, true);
                hide_list(&mut review.development_opportunities, true);
                hide_list(&mut review.resources, true);
            }
            EventBody::SessionCancelled(cancelled) if !sees_all => cancelled.reason = None,
            EventBody::ScriptStep(step) => self.script_step(step),
            EventBody::AssessmentRecorded(recorded) => {
                let id = self.id(IdKind::Assessment, &recorded.assessment, "");
                if id != recorded.assessment {
                    recorded.assessment = id;
                    hide(&mut recorded.instrument, true);
                    hide(&mut recorded.summary, true);
                    recorded.results = None;
                }
            }
            EventBody::RaterFeedbackRecorded(feedback) => {
                // Individual answers are in no view: views show survey results by group.
                let survey = feedback.survey.clone();
                feedback.survey = self.id(IdKind::Survey, &survey, "");
                feedback.rater = self.id(IdKind::Rater, &feedback.rater, &survey);
                feedback.group = RaterGroup::Other;
                feedback.scores = Scores::default();
                feedback.comment = None;
            }
            EventBody::SurveyClosed(closed) => closed.survey = self.id(IdKind::Survey, &closed.survey, ""),
            EventBody::PartnershipReviewed(review) if role != Role::Coach => {
                review.phases = PhaseChecks {
                    opening: false,
                    checking_in: false,
                    meaning_making: false,
                    action_planning: false,
                    closing: false,
                };
                review.signals = None;
                review.note = None;
            }
            EventBody::ProgressFeedbackGiven(feedback) => hide(&mut feedback.note, admin),
            EventBody::EngagementLevelRated(rated) if !sees_all => rated.note = None,
            EventBody::SummaryShared(shared) => hide(&mut shared.summary, admin),
            EventBody::ConsentGranted(consent) | EventBody::ConsentRevoked(consent) => {
                consent.record = self.record(&consent.record);
            }
            EventBody::DisclosureRecorded(disclosure) if !sees_all => {
                hide(&mut disclosure.summary, true);
                if !admin {
                    hide(&mut disclosure.to, true);
                    // The limit must stay one of the agreement's for the log to replay.
                    if let Some(first) = self.limits.first() {
                        disclosure.limit = first.clone();
                    }
                }
            }
            EventBody::EngagementDiscontinued(discontinued) => hide(&mut discontinued.reason, !sees_all),
            EventBody::SponsorInformed(informed) => hide(&mut informed.explanation, admin),
            _ => {}
        }
        event
    }

    /// A consent's record reference, with its id as the viewer may read it.
    fn record(&mut self, record: &str) -> String {
        match RecordRef::parse(record) {
            Ok(RecordRef::Assessment(id)) => RecordRef::Assessment(self.id(IdKind::Assessment, &id, "")),
            Ok(RecordRef::Action(id)) => RecordRef::Action(self.id(IdKind::Action, &id, "")),
            Ok(RecordRef::GoalProgress(id)) => RecordRef::GoalProgress(self.id(IdKind::Goal, &id, "")),
            Ok(RecordRef::Survey(id)) => RecordRef::Survey(self.id(IdKind::Survey, &id, "")),
            Ok(session @ RecordRef::Session(_)) => session,
            Err(_) => return record.to_owned(),
        }
        .to_string()
    }

    /// A script step: its content when the viewer's view shows it (coachee and coach; a
    /// session opened to the viewer's role once held, never its feedback step), else its
    /// required fields as placeholders. Programme admins see session ratings.
    fn script_step(&mut self, step: &mut ScriptStep) {
        let opened = self.engagement.session_held(step.session)
            && self.engagement.is_shared(&RecordRef::Session(step.session).to_string(), self.role)
            && !matches!(step.content, StepContent::SessionFeedback(_));
        let shown = self.sees_all() || opened;
        let placeholder = || REDACTED_TEXT.to_owned();
        let one_placeholder = || TextList(vec![REDACTED_TEXT.to_owned()]);
        match &mut step.content {
            StepContent::ActionCommitment(commitment) => {
                for item in &mut commitment.actions {
                    let id = self.id(IdKind::Action, &item.id, "");
                    if id != item.id {
                        *item = ActionItem { id, description: placeholder(), due: None };
                    }
                }
                if !shown {
                    commitment.obstacles = None;
                    commitment.support = None;
                }
            }
            StepContent::AssignmentReview(review) if shown => {
                if let Some(reviewed) = &mut review.actions_reviewed {
                    for id in reviewed.iter_mut() {
                        *id = self.id(IdKind::Action, id, "");
                    }
                }
            }
            _ if shown => {}
            StepContent::CheckIn(_) => step.content = StepContent::CheckIn(CheckIn { mood: None, since_last: None }),
            StepContent::SessionGoal(_) => {
                step.content = StepContent::SessionGoal(SessionGoal {
                    outcome: placeholder(),
                    success_looks_like: None,
                    current_position: None,
                })
            }
            StepContent::AssignmentReview(_) => {
                step.content = StepContent::AssignmentReview(AssignmentReview {
                    learned: None,
                    went_well: None,
                    struggles: None,
                    do_differently: None,
                    actions_reviewed: None,
                })
            }
            StepContent::Coaching(_) => {
                step.content = StepContent::Coaching(CoachingStep { approaches: one_placeholder(), notes: None })
            }
            StepContent::KeyOutcomes(_) => {
                step.content = StepContent::KeyOutcomes(KeyOutcomes {
                    takeaways: one_placeholder(),
                    learned: None,
                    going_forward: None,
                })
            }
            StepContent::NextAssignment(_) => {
                step.content =
                    StepContent::NextAssignment(NextAssignment { assignment: placeholder(), next_session_at: None })
            }
            StepContent::SessionFeedback(feedback) => {
                // The lowest rating stands in for one the viewer may not see.
                let rating = if self.role == Role::ProgramAdmin { feedback.rating } else { 1 };
                step.content = StepContent::SessionFeedback(SessionFeedback { rating, comment: None })
            }
            StepContent::Custom { fields } => fields.clear(),
        }
    }
}
