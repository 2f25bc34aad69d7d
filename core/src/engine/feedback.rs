//! What the coachee's development draws on (contract sections 4 and 7): assessments (ids
//! unique, U1), one rater's answers to a 360 survey (R0) and closing a survey (R3). The
//! sponsor's feedback, the engagement level and shared summaries have no rule beyond role
//! and stage. What a survey then shows is `survey.rs`.

use super::{keep, Engagement, Verdict};
use crate::codes::Code;
use crate::event::{AssessmentRecorded, RaterFeedbackRecorded, SurveyClosed, Timestamp};
use crate::rules::Rule;
use crate::state::{Assessment, RaterResponse};

impl Engagement {
    pub(super) fn check_assessment(&self, recorded: &AssessmentRecorded, verdict: &mut Verdict) {
        Self::check_id(&recorded.assessment, "assessment", verdict);
        if self.assessments.iter().any(|assessment| assessment.id == recorded.assessment) {
            verdict.fail(Code::DuplicateId, Rule::U1, format!("assessment {} already exists", recorded.assessment));
        }
    }

    pub(super) fn fold_assessment(&mut self, recorded: &AssessmentRecorded, at: Timestamp) {
        let (summary, results) =
            (self.unjudged(|| recorded.summary.clone()), self.unjudged(|| recorded.results.clone()));
        let id = recorded.assessment.clone();
        keep(&mut self.assessments, Assessment { id, instrument: recorded.instrument.clone(), summary, results, at });
    }

    pub(super) fn check_rater_feedback(&self, feedback: &RaterFeedbackRecorded, verdict: &mut Verdict) {
        Self::check_id(&feedback.survey, "survey", verdict);
        Self::check_id(&feedback.rater, "rater", verdict);
        if self
            .rater_responses
            .iter()
            .any(|response| response.survey == feedback.survey && response.rater == feedback.rater)
        {
            verdict.fail(
                Code::DuplicateId,
                Rule::R0,
                format!("this rater already answered survey {}", feedback.survey),
            );
        }
        if feedback.scores.iter().any(|(_, score)| !score.is_finite()) {
            verdict.fail(Code::InvalidEvent, Rule::L2, "scores must be finite numbers");
        }
        if self.is_survey_closed(&feedback.survey) {
            verdict.fail(
                Code::SurveyAlreadyClosed,
                Rule::R3,
                format!("survey {} is closed and takes no more responses", feedback.survey),
            );
        }
    }

    pub(super) fn check_survey_closed(&self, closed: &SurveyClosed, verdict: &mut Verdict) {
        if self.is_survey_closed(&closed.survey) {
            verdict.fail(Code::SurveyAlreadyClosed, Rule::R3, format!("survey {} is already closed", closed.survey));
        } else if !self.rater_responses.iter().any(|response| response.survey == closed.survey) {
            verdict.fail(Code::UnknownReference, Rule::R3, format!("survey {} has no responses", closed.survey));
        }
    }

    pub(super) fn fold_rater_feedback(&mut self, feedback: &RaterFeedbackRecorded, at: Timestamp) {
        let response = RaterResponse {
            survey: feedback.survey.clone(),
            rater: feedback.rater.clone(),
            group: feedback.group,
            scores: self.unjudged(|| feedback.scores.clone()),
            comment: self.unjudged(|| feedback.comment.clone()),
            at,
        };
        keep(&mut self.rater_responses, response);
    }
}
