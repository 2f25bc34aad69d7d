//! The session script (contract section 5): steps recorded in order, once each, by their
//! owners, during their session (P1), with the warnings of P3; the actions a coachee
//! commits to, completed or dropped while open (AC1); and the coach's review of how they
//! partnered in a session that has ended (K1).

use super::{keep, Engagement, Verdict};
use crate::codes::Code;
use crate::event::{ActionClosed, ActionItem, PartnershipReviewed, ScriptStep, StepContent, Timestamp};
use crate::model::{BuiltinStep, Role, StepDefinition};
use crate::rules::Rule;
use crate::state::{Action, ActionStatus, PartnershipReview, RecordedStep};
use std::borrow::Cow;

impl Engagement {
    fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|action| action.item.id == id)
    }

    /// Open actions committed in the held session numbered `number`.
    pub(super) fn open_actions_of_session(&self, number: u32) -> Vec<&str> {
        self.actions
            .iter()
            .filter(|action| action.session == number && action.status == ActionStatus::Open)
            .map(|action| action.item.id.as_str())
            .collect()
    }

    /// The step of the script in force named `name`, with its position.
    fn script_step(&self, name: &str) -> Option<(usize, &StepDefinition)> {
        self.policy.script().iter().enumerate().find(|(_, definition)| definition.name == name)
    }

    pub(super) fn check_script_step(&self, step: &ScriptStep, role: Role, verdict: &mut Verdict) {
        let session = self.session_in_progress().filter(|session| session.number == step.session);
        if session.is_none() {
            verdict.fail(Code::SessionNotInProgress, Rule::P1, format!("session {} is not in progress", step.session));
        }
        let Some((position, definition)) = self.script_step(&step.step) else {
            verdict.fail(
                Code::UnknownStep,
                Rule::P1,
                format!("`{}` is not a step of this programme's script", step.step),
            );
            return;
        };
        if !definition.owners.contains(&role) {
            let owners: Vec<&str> = definition.owners.iter().map(|owner| owner.as_str()).collect();
            verdict.fail(
                Code::ActorNotPermitted,
                Rule::P1,
                format!("`{}` is recorded by {}", step.step, owners.join(" or ")),
            );
        }
        if step.step == BuiltinStep::AssignmentReview.as_str() && step.session == 1 {
            verdict.fail(Code::ScriptStepNotApplicable, Rule::P1, "there is no assignment to review in session 1");
        }
        // Steps are recorded in script order (both checks below refuse a step that is not),
        // so only a session whose last step is at or past this one can hold a repeat or a
        // later step: the common case reads one step, not the whole list.
        if let Some(session) =
            session.filter(|session| session.steps.last().is_some_and(|last| last.position >= position))
        {
            if session.steps.iter().any(|recorded| recorded.position == position) {
                verdict.fail(
                    Code::ScriptStepRepeated,
                    Rule::P1,
                    format!("`{}` was already recorded in session {}", step.step, session.number),
                );
            } else if let Some(later) = session.steps.iter().find(|recorded| recorded.position > position) {
                verdict.fail(
                    Code::ScriptStepOutOfOrder,
                    Rule::P1,
                    format!("`{}` comes before `{}` in the script", step.step, later.name),
                );
            }
        }
        match &step.content {
            StepContent::SessionFeedback(feedback) if !(1..=5).contains(&feedback.rating) => {
                verdict.fail(Code::InvalidEvent, Rule::P1, "`rating` must be between 1 and 5");
            }
            StepContent::ActionCommitment(commitment) => {
                for (index, action) in commitment.actions.iter().enumerate() {
                    Self::check_id(&action.id, "actions[].id", verdict);
                    let repeated = commitment.actions.iter().take(index).any(|earlier| earlier.id == action.id);
                    if repeated || self.action(&action.id).is_some() {
                        verdict.fail(Code::DuplicateId, Rule::U1, format!("action {} already exists", action.id));
                    }
                }
            }
            StepContent::AssignmentReview(review) => {
                let reviewed = review.actions_reviewed.as_deref().unwrap_or_default();
                for id in reviewed {
                    if self.action(id).is_none() {
                        verdict.fail(Code::UnknownReference, Rule::P1, format!("there is no action {id}"));
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
                            Rule::P3,
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

    pub(super) fn fold_script_step(&mut self, step: &ScriptStep, at: Timestamp) {
        let script_length = self.policy.script().len();
        // The script's own spelling of the name, so that a built-in step's is not copied.
        let (position, name) = self
            .script_step(&step.step)
            .map_or((0, Cow::Owned(step.step.clone())), |(position, definition)| (position, definition.name.clone()));
        if let StepContent::ActionCommitment(commitment) = &step.content {
            for item in &commitment.actions {
                let item = ActionItem {
                    id: item.id.clone(),
                    description: self.unjudged(|| item.description.clone()),
                    due: item.due,
                };
                let action = Action { item, session: step.session, status: ActionStatus::Open, closing_reason: None };
                keep(&mut self.actions, action);
            }
        }
        let seq = self.next_seq();
        if let Some(session) = self.session_in_progress_mut() {
            let rating = match &step.content {
                StepContent::SessionFeedback(feedback) => Some(feedback.rating),
                _ => None,
            };
            // A session records at most the script's steps: room for them all at once.
            session.steps.reserve_exact(script_length.saturating_sub(session.steps.len()));
            session.steps.push(RecordedStep { name, position, at, seq, rating });
        }
    }

    pub(super) fn check_action_closed(&self, closed: &ActionClosed, verdict: &mut Verdict) {
        match self.action(&closed.action) {
            None => verdict.fail(Code::UnknownReference, Rule::AC1, format!("there is no action {}", closed.action)),
            Some(action) if action.status != ActionStatus::Open => {
                verdict.fail(Code::UnknownReference, Rule::AC1, format!("action {} is no longer open", closed.action))
            }
            Some(_) => {}
        }
    }

    pub(super) fn fold_action_closed(&mut self, closed: &ActionClosed, status: ActionStatus) {
        let reason = self.unjudged(|| closed.reason.clone());
        if let Some(action) = self.actions.iter_mut().find(|action| action.item.id == closed.action) {
            action.status = status;
            action.closing_reason = reason;
        }
    }

    pub(super) fn check_partnership_review(&self, review: &PartnershipReviewed, verdict: &mut Verdict) {
        if !self.session_held(review.session) {
            verdict.fail(Code::SessionNotHeld, Rule::K1, format!("session {} has not ended", review.session));
        }
        if self.partnership_reviews.iter().any(|done| done.session == review.session) {
            verdict.fail(Code::DuplicateId, Rule::K1, format!("session {} was already reviewed", review.session));
        }
    }

    pub(super) fn fold_partnership_review(&mut self, review: &PartnershipReviewed, at: Timestamp) {
        let reviewed = PartnershipReview {
            session: review.session,
            phases: review.phases,
            signals: review.signals.clone().unwrap_or_default(),
            note: self.unjudged(|| review.note.clone()),
            at,
        };
        keep(&mut self.partnership_reviews, reviewed);
    }
}
