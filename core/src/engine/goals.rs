//! Goals (contract section 4, rule G1): agreed after the three-way goal-setting meeting,
//! each serving an organisational priority with at least one success measure; revised,
//! noted and assessed later; and the final review record.

use super::{keep, Engagement, Verdict};
use crate::codes::Code;
use crate::event::{
    FinalReviewRecorded, GoalAgreed, GoalAssessed, GoalProgressNoted, GoalRevised, TextList, Timestamp,
};
use crate::model::{MeetingKind, Stage};
use crate::rules::Rule;
use crate::state::{FinalReview, Goal, GoalAssessment, GoalProgress};

impl Engagement {
    fn goal_mut(&mut self, id: &str) -> Option<&mut Goal> {
        self.goals.iter_mut().find(|goal| goal.id == id)
    }

    pub(super) fn check_goal_agreed(&self, goal: &GoalAgreed, verdict: &mut Verdict) {
        Self::check_id(&goal.goal, "goal", verdict);
        if self.goals.iter().any(|existing| existing.id == goal.goal) {
            verdict.fail(Code::DuplicateId, Rule::U1, format!("goal {} already exists", goal.goal));
        }
        Self::check_goal_fields(Some(&goal.org_priority), Some(&goal.success_measures), verdict);
        if self.stage == Stage::GoalSetting && !self.held_meeting(MeetingKind::GoalSetting) {
            verdict.fail(
                Code::GoalSettingMeetingNotHeld,
                Rule::G1,
                "goals are agreed once the three-way goal-setting meeting is held",
            );
        }
    }

    pub(super) fn fold_goal_agreed(&mut self, goal: &GoalAgreed, at: Timestamp) {
        let agreed = Goal {
            id: goal.goal.clone(),
            statement: self.unjudged(|| goal.statement.clone()),
            org_priority: self.unjudged(|| goal.org_priority.clone()),
            success_measures: self.unjudged(|| goal.success_measures.clone()),
            activities: self.unjudged(|| goal.activities.clone().unwrap_or_default()),
            agreed_at: at,
            progress: Vec::new(),
            assessment: None,
        };
        keep(&mut self.goals, agreed);
    }

    pub(super) fn check_goal_revised(&self, revised: &GoalRevised, verdict: &mut Verdict) {
        self.check_goal_exists(&revised.goal, verdict);
        if revised.statement.is_none()
            && revised.org_priority.is_none()
            && revised.success_measures.is_none()
            && revised.activities.is_none()
        {
            verdict.fail(
                Code::InvalidEvent,
                Rule::L2,
                "goal_revised changes none of statement, org_priority, success_measures, activities",
            );
        }
        Self::check_goal_fields(revised.org_priority.as_ref(), revised.success_measures.as_ref(), verdict);
    }

    pub(super) fn fold_goal_revised(&mut self, revised: &GoalRevised) {
        if self.validating_only {
            return; // a revision changes only texts
        }
        if let Some(goal) = self.goal_mut(&revised.goal) {
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

    pub(super) fn check_goal_progress(&self, progress: &GoalProgressNoted, verdict: &mut Verdict) {
        self.check_goal_exists(&progress.goal, verdict);
        if progress.percent.is_some_and(|percent| !(0.0..=100.0).contains(&percent)) {
            verdict.fail(Code::InvalidEvent, Rule::L2, "`percent` must be between 0 and 100");
        }
    }

    pub(super) fn fold_goal_progress(&mut self, progress: &GoalProgressNoted, actor: &str, at: Timestamp) {
        if let Some(goal) = self.goal_mut(&progress.goal) {
            keep(
                &mut goal.progress,
                GoalProgress { at, by: actor.to_owned(), note: progress.note.clone(), percent: progress.percent },
            );
        }
    }

    pub(super) fn fold_goal_assessed(&mut self, assessed: &GoalAssessed, actor: &str, at: Timestamp) {
        let (evidence, by) = (self.unjudged(|| assessed.evidence.clone()), self.unjudged(|| actor.to_owned()));
        if let Some(goal) = self.goal_mut(&assessed.goal) {
            goal.assessment = Some(GoalAssessment { outcome: assessed.outcome, evidence, at, by });
        }
    }

    pub(super) fn fold_final_review(&mut self, review: &FinalReviewRecorded, at: Timestamp) {
        self.final_review = Some(FinalReview {
            successes: self.unjudged(|| review.successes.clone()),
            development_opportunities: self.unjudged(|| review.development_opportunities.clone()),
            resources: self.unjudged(|| review.resources.clone()),
            at,
        });
    }

    fn check_goal_fields(org_priority: Option<&String>, measures: Option<&TextList>, verdict: &mut Verdict) {
        if org_priority.is_some_and(|priority| priority.trim().is_empty()) {
            verdict.fail(Code::GoalNotAligned, Rule::G1, "a goal names the organisational priority it serves");
        }
        if measures.is_some_and(|measures| !measures.has_content()) {
            verdict.fail(Code::GoalWithoutMeasure, Rule::G1, "a goal has at least one success measure");
        }
    }

    pub(super) fn check_goal_exists(&self, goal: &str, verdict: &mut Verdict) {
        if !self.goals.iter().any(|existing| existing.id == goal) {
            verdict.fail(Code::UnknownReference, Rule::G1, format!("there is no goal {goal}"));
        }
    }
}
