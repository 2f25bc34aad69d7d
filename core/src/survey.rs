//! 360 feedback results (contract section 7): what a survey shows, to whom, and when.
//!
//! - R1: no rater id reaches any view; comments are unattributed and sorted.
//! - R2: a rater group is shown only from `policy.min_raters` responses (`self` and `manager`
//!   always); smaller groups are pooled into `others` or left out. Within a shown group, an
//!   item's mean appears only when at least `policy.min_raters` of its raters answered it.
//! - R3: results exist only once the survey is closed (`survey_closed`); they are computed
//!   from a set of responses that can no longer change, so nobody can difference two views
//!   to isolate one rater. While open, coachee and coach see only that it is open and how
//!   many responded.

use crate::engine::Engagement;
use crate::event::Scores;
use crate::model::RaterGroup;
use crate::sorted::{position, sorted_unique};
use crate::state::RaterResponse;
use serde::Serialize;

/// One 360 survey as a view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SurveyView {
    /// Survey id.
    pub survey: String,
    /// Whether it still takes responses; an open survey shows no results.
    pub open: bool,
    /// Responses received.
    pub responses: usize,
    /// Groups shown (closed surveys only): `self` and `manager` always, others from
    /// `policy.min_raters` responses, smaller ones pooled into `others` when the pool is
    /// large enough.
    pub groups: Vec<GroupScores>,
    /// Comments of the shown responses, sorted (not in arrival order), without names.
    pub comments: Vec<String>,
    /// Responses left out because their group and the pool were too small.
    pub left_out: usize,
}

/// The mean scores of one shown rater group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupScores {
    /// The group (`self`, `manager`, `peer`, ..., or `others` for the pool).
    pub group: String,
    /// Responses in the group.
    pub responses: usize,
    /// Mean score per item, for items enough of the group's raters answered.
    pub scores: Scores,
}

impl Engagement {
    /// The ids of the surveys with responses, in order of their first response.
    fn survey_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for response in self.rater_responses() {
            if !ids.contains(&response.survey.as_str()) {
                ids.push(&response.survey);
            }
        }
        ids
    }

    /// Whether `survey` was closed.
    pub fn is_survey_closed(&self, survey: &str) -> bool {
        self.survey_closures().iter().any(|closure| closure.survey == survey)
    }

    fn responses_to(&self, survey: &str) -> Vec<&RaterResponse> {
        self.rater_responses().iter().filter(|response| response.survey == survey).collect()
    }

    /// Every survey as coachee and coach see it: results of closed ones, only the response
    /// count of open ones.
    pub(crate) fn surveys_as_coachee_and_coach_see_them(&self) -> Vec<SurveyView> {
        self.survey_ids()
            .into_iter()
            .map(|survey| {
                self.closed_survey_results(survey).unwrap_or_else(|| SurveyView {
                    survey: survey.to_owned(),
                    open: true,
                    responses: self.responses_to(survey).len(),
                    groups: Vec::new(),
                    comments: Vec::new(),
                    left_out: 0,
                })
            })
            .collect()
    }

    /// The results of a closed survey (R1-R3); `None` while it is open or when it has no
    /// responses.
    pub fn closed_survey_results(&self, survey: &str) -> Option<SurveyView> {
        let responses = self.responses_to(survey);
        (self.is_survey_closed(survey) && !responses.is_empty())
            .then(|| aggregate_survey(survey, &responses, self.policy().min_raters as usize))
    }
}

/// Whether a group is shown as itself whatever its size.
fn always_shown(group: RaterGroup) -> bool {
    matches!(group, RaterGroup::SelfRating | RaterGroup::Manager)
}

/// A shown rater group: its name, whether it is shown whatever its size (`self`,
/// `manager`), and its responses.
pub(crate) type ShownGroup<'a> = (&'static str, bool, Vec<&'a RaterResponse>);

/// The rater groups of a survey that may be shown, per R2, and how many responses are left
/// out: `self` and `manager` always; other groups at `min_raters` responses; the rest pooled
/// into `others` when the pool reaches `min_raters`, otherwise left out (counted, never named).
pub(crate) fn shown_groups<'a>(responses: &[&'a RaterResponse], min_raters: usize) -> (Vec<ShownGroup<'a>>, usize) {
    let mut shown = Vec::new();
    let mut pool: Vec<&RaterResponse> = Vec::new();
    for group in RaterGroup::ALL {
        let members: Vec<&RaterResponse> =
            responses.iter().copied().filter(|response| response.group == *group).collect();
        if members.is_empty() {
            continue;
        }
        if always_shown(*group) || members.len() >= min_raters {
            shown.push((group.as_str(), always_shown(*group), members));
        } else {
            pool.extend(members);
        }
    }
    if pool.len() >= min_raters && !pool.is_empty() {
        shown.push(("others", false, pool));
        (shown, 0)
    } else {
        (shown, pool.len())
    }
}

/// A set of responses aggregated per R1 and R2: group means of the shown groups (each item
/// only from `min_raters` answers, except for `self` and `manager`), their comments sorted
/// (not in arrival order), no rater ids, and the count of left-out responses.
pub fn aggregate_survey(survey: &str, responses: &[&RaterResponse], min_raters: usize) -> SurveyView {
    let (shown, left_out) = shown_groups(responses, min_raters);
    let mut comments: Vec<String> = shown
        .iter()
        .flat_map(|(_, _, members)| members.iter().filter_map(|response| response.comment.clone()))
        .collect();
    comments.sort();
    SurveyView {
        survey: survey.to_owned(),
        open: false,
        responses: responses.len(),
        groups: shown
            .iter()
            .map(|(group, exempt, members)| group_scores(group, members, if *exempt { 1 } else { min_raters }))
            .collect(),
        comments,
        left_out,
    }
}

fn group_scores(group: &str, members: &[&RaterResponse], min_answers: usize) -> GroupScores {
    // Every item any member scored, sorted, with its sum and number of answers beside it.
    let items =
        sorted_unique(members.iter().flat_map(|response| response.scores.iter().map(|(item, _)| item.to_owned())));
    let mut sums = vec![(0.0, 0_usize); items.len()];
    for response in members {
        for (item, score) in response.scores.iter() {
            if let Some((sum, count)) = position(&items, item).and_then(|place| sums.get_mut(place)) {
                *sum += score;
                *count += 1;
            }
        }
    }
    GroupScores {
        group: group.to_owned(),
        responses: members.len(),
        scores: Scores::from_sorted(
            items
                .into_iter()
                .zip(sums)
                .filter(|(_, (_, count))| *count >= min_answers)
                .map(|(item, (sum, count))| (item, sum / count as f64))
                .collect(),
        ),
    }
}
