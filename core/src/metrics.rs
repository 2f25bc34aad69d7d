//! One analytics record per engagement, computed only from the programme admin's view, so a
//! table built from it can never hold confidential content.

use crate::engine::Engagement;
use crate::model::{EngagementLevel, GoalOutcome, Role, Stage};
use crate::state::SessionStatus;
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

fn count(iter: impl Iterator<Item = bool>) -> u32 {
    u32::try_from(iter.filter(|hit| *hit).count()).unwrap_or(u32::MAX)
}

impl Engagement {
    /// The analytics record of this engagement.
    pub fn metrics(&self) -> Metrics {
        let view = self.analytics_view();
        let history = &view.common.stage_history;
        let entered = |stage: Stage| history.iter().find(|entry| entry.stage == stage).map(|entry| entry.at.date());
        let days = |stage: Stage| {
            let position = history.iter().position(|entry| entry.stage == stage)?;
            let (start, end) = (history.get(position)?, history.get(position + 1)?);
            Some((end.at.0 - start.at.0).num_seconds() as f64 / 86_400.0)
        };
        let sessions = &view.sessions;
        let ratings: Vec<f64> = sessions.iter().filter_map(|session| session.rating.map(f64::from)).collect();
        let outcomes = |outcome: GoalOutcome| count(view.goal_outcomes.iter().map(|o| *o == outcome));
        Metrics {
            engagement: view.common.engagement.clone(),
            stage: view.common.stage,
            completed: view.common.stage == Stage::Completed,
            discontinued: view.common.stage == Stage::Discontinued,
            discontinued_by: view.common.discontinuation.as_ref().map(|fact| fact.initiated_by),
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
            sessions_held: count(sessions.iter().map(|s| s.status == SessionStatus::Held)),
            sessions_cancelled: count(sessions.iter().map(|s| s.status == SessionStatus::Cancelled)),
            sessions_cancelled_late: count(sessions.iter().map(|s| s.late_cancellation)),
            sessions_missed: count(sessions.iter().map(|s| s.status == SessionStatus::Missed)),
            mean_session_rating: (!ratings.is_empty()).then(|| ratings.iter().sum::<f64>() / ratings.len() as f64),
            latest_engagement_level: view.engagement_levels.last().map(|fact| fact.level),
            goals: u32::try_from(view.goal_count).unwrap_or(u32::MAX),
            goals_achieved: outcomes(GoalOutcome::Achieved),
            goals_partially_achieved: outcomes(GoalOutcome::PartiallyAchieved),
            goals_not_achieved: outcomes(GoalOutcome::NotAchieved),
            goals_dropped: outcomes(GoalOutcome::Dropped),
            partnership_reviews: u32::try_from(view.partnership_reviews).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
