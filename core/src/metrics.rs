//! One analytics record per engagement, computed only from the programme admin's view, so a
//! table built from it can never hold confidential content. It reads the parts of that view
//! it needs, built by the same functions that build the view, without the rest; a property
//! test compares it with metrics computed from the whole view.

use crate::engine::Engagement;
use crate::model::{EngagementLevel, GoalOutcome, Role, Stage};
use crate::state::{SessionStatus, StageEntry};
use crate::views::{AdminSession, DiscontinuationFact};
use chrono::NaiveDate;
use serde::Serialize;

/// Analytics of one engagement. Every field is derived from [`ProgramAdminView`](crate::views::ProgramAdminView).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Metrics {
    /// Engagement id.
    pub engagement: String,
    /// Current stage.
    pub stage: Stage,
    /// Whether it completed.
    pub completed: bool,
    /// Whether it was discontinued.
    pub discontinued: bool,
    /// Who discontinued it.
    pub discontinued_by: Option<Role>,
    /// Date each stage was first entered (in the offset the event was written with).
    pub entered_pre_work: Option<NaiveDate>,
    /// See `entered_pre_work`.
    pub entered_goal_setting: Option<NaiveDate>,
    /// See `entered_pre_work`.
    pub entered_coaching: Option<NaiveDate>,
    /// See `entered_pre_work`.
    pub entered_final_review: Option<NaiveDate>,
    /// See `entered_pre_work`.
    pub entered_completed: Option<NaiveDate>,
    /// See `entered_pre_work`.
    pub entered_discontinued: Option<NaiveDate>,
    /// Days spent in pre-work, once it was left.
    pub days_pre_work: Option<f64>,
    /// Days in goal setting, once it was left.
    pub days_goal_setting: Option<f64>,
    /// Days in coaching, once it was left.
    pub days_coaching: Option<f64>,
    /// Days in final review, once it was left.
    pub days_final_review: Option<f64>,
    /// Sessions held.
    pub sessions_held: u32,
    /// Sessions cancelled.
    pub sessions_cancelled: u32,
    /// Of those, late cancellations by the coachee.
    pub sessions_cancelled_late: u32,
    /// Sessions the coachee missed.
    pub sessions_missed: u32,
    /// Mean session rating (1-5).
    pub mean_session_rating: Option<f64>,
    /// The latest engagement level.
    pub latest_engagement_level: Option<EngagementLevel>,
    /// Goals agreed.
    pub goals: u32,
    /// Goals achieved.
    pub goals_achieved: u32,
    /// Goals partially achieved.
    pub goals_partially_achieved: u32,
    /// Goals not achieved.
    pub goals_not_achieved: u32,
    /// Goals dropped.
    pub goals_dropped: u32,
    /// Held sessions the coach reviewed their partnering in (K1); nothing else of the reviews.
    pub partnership_reviews: u32,
}

/// The field names of [`Metrics`], in order: the columns of a CSV export.
pub const METRICS_COLUMNS: &[&str] = &[
    "engagement",
    "stage",
    "completed",
    "discontinued",
    "discontinued_by",
    "entered_pre_work",
    "entered_goal_setting",
    "entered_coaching",
    "entered_final_review",
    "entered_completed",
    "entered_discontinued",
    "days_pre_work",
    "days_goal_setting",
    "days_coaching",
    "days_final_review",
    "sessions_held",
    "sessions_cancelled",
    "sessions_cancelled_late",
    "sessions_missed",
    "mean_session_rating",
    "latest_engagement_level",
    "goals",
    "goals_achieved",
    "goals_partially_achieved",
    "goals_not_achieved",
    "goals_dropped",
    "partnership_reviews",
];

/// What analytics read: parts of the programme admin's view. [`Engagement::metrics`] builds
/// them with the same functions that build that view's fields, and nothing else of it.
struct AnalyticsParts<'a, Sessions, Outcomes> {
    engagement: &'a str,
    stage: Stage,
    stage_history: &'a [StageEntry],
    discontinuation: Option<DiscontinuationFact>,
    sessions: Sessions,
    latest_engagement_level: Option<EngagementLevel>,
    goal_count: usize,
    goal_outcomes: Outcomes,
    partnership_reviews: usize,
}

impl Metrics {
    fn of(parts: AnalyticsParts<'_, impl Iterator<Item = AdminSession>, impl Iterator<Item = GoalOutcome>>) -> Metrics {
        let history = parts.stage_history;
        let entered = |stage: Stage| history.iter().find(|entry| entry.stage == stage).map(|entry| entry.at.date());
        let days = |stage: Stage| {
            let position = history.iter().position(|entry| entry.stage == stage)?;
            let (start, end) = (history.get(position)?, history.get(position + 1)?);
            Some((end.at.0 - start.at.0).num_seconds() as f64 / 86_400.0)
        };
        let (mut held, mut cancelled, mut cancelled_late, mut missed, mut rated, mut rating_sum) = (0, 0, 0, 0, 0, 0.0);
        for session in parts.sessions {
            match session.status {
                SessionStatus::Held => held += 1,
                SessionStatus::Cancelled => cancelled += 1,
                SessionStatus::Missed => missed += 1,
                _ => {}
            }
            cancelled_late += u32::from(session.late_cancellation);
            if let Some(rating) = session.rating {
                rated += 1;
                rating_sum += f64::from(rating);
            }
        }
        let (mut achieved, mut partially_achieved, mut not_achieved, mut dropped) = (0, 0, 0, 0);
        for outcome in parts.goal_outcomes {
            *match outcome {
                GoalOutcome::Achieved => &mut achieved,
                GoalOutcome::PartiallyAchieved => &mut partially_achieved,
                GoalOutcome::NotAchieved => &mut not_achieved,
                GoalOutcome::Dropped => &mut dropped,
            } += 1;
        }
        Metrics {
            engagement: parts.engagement.to_owned(),
            stage: parts.stage,
            completed: parts.stage == Stage::Completed,
            discontinued: parts.stage == Stage::Discontinued,
            discontinued_by: parts.discontinuation.map(|fact| fact.initiated_by),
            entered_pre_work: entered(Stage::PreWork),
            entered_goal_setting: entered(Stage::GoalSetting),
            entered_coaching: entered(Stage::Coaching),
            entered_final_review: entered(Stage::FinalReview),
            entered_completed: entered(Stage::Completed),
            entered_discontinued: entered(Stage::Discontinued),
            days_pre_work: days(Stage::PreWork),
            days_goal_setting: days(Stage::GoalSetting),
            days_coaching: days(Stage::Coaching),
            days_final_review: days(Stage::FinalReview),
            sessions_held: held,
            sessions_cancelled: cancelled,
            sessions_cancelled_late: cancelled_late,
            sessions_missed: missed,
            mean_session_rating: (rated > 0).then(|| rating_sum / f64::from(rated)),
            latest_engagement_level: parts.latest_engagement_level,
            goals: u32::try_from(parts.goal_count).unwrap_or(u32::MAX),
            goals_achieved: achieved,
            goals_partially_achieved: partially_achieved,
            goals_not_achieved: not_achieved,
            goals_dropped: dropped,
            partnership_reviews: u32::try_from(parts.partnership_reviews).unwrap_or(u32::MAX),
        }
    }
}

impl Engagement {
    /// The analytics record of this engagement: computed from the parts of the programme
    /// admin's view it needs (built as that view builds them), so it never holds more.
    pub fn metrics(&self) -> Metrics {
        Metrics::of(AnalyticsParts {
            engagement: self.id(),
            stage: self.stage(),
            stage_history: self.stage_history(),
            discontinuation: self.discontinuation_fact(),
            sessions: self.admin_sessions(),
            latest_engagement_level: self.level_facts().next_back().map(|fact| fact.level),
            goal_count: self.goals().len(),
            goal_outcomes: self.goal_outcomes(),
            partnership_reviews: self.partnership_reviews().len(),
        })
    }
}

/// The random engagements of the property tests.
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod common;

#[cfg(test)]
mod tests {
    use super::*;

    use super::common;
    use proptest::prelude::*;

    /// The metrics as computed from the whole programme admin's view.
    fn from_the_whole_view(engagement: &Engagement) -> Metrics {
        let view = engagement.analytics_view();
        Metrics::of(AnalyticsParts {
            engagement: view.common.engagement,
            stage: view.common.stage,
            stage_history: view.common.stage_history,
            discontinuation: view.common.discontinuation.clone(),
            sessions: view.sessions.iter().cloned(),
            latest_engagement_level: view.engagement_levels.last().map(|fact| fact.level),
            goal_count: view.goal_count,
            goal_outcomes: view.goal_outcomes.iter().copied(),
            partnership_reviews: view.partnership_reviews,
        })
    }

    proptest! {
        /// The metrics equal those computed from the whole programme admin's view, after
        /// every event of random engagements.
        #[test]
        fn metrics_are_what_the_whole_programme_admin_view_gives((prefix, tail) in common::arb_sequence()) {
            let full = common::full_engagement();
            let mut engagement = Engagement::new("v-1");
            for raw in full.iter().take(prefix).chain(tail.iter()) {
                if let Ok(event) = crate::Event::from_value(raw) {
                    if engagement.apply(event).is_ok() {
                        prop_assert_eq!(engagement.metrics(), from_the_whole_view(&engagement));
                    }
                }
            }
        }
    }

    #[test]
    fn columns_name_every_field_in_order() {
        let metrics = crate::Engagement::new("e").metrics();
        let value = serde_json::to_value(&metrics).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        let mut sorted_columns = METRICS_COLUMNS.to_vec();
        sorted_columns.sort_unstable();
        assert_eq!(keys, sorted_columns, "serde_json sorts keys; compare as sets");
    }
}
