//! Why a participant can or cannot see a record, so an HR platform can show the reason.

use crate::codes::Code;
use crate::engine::Engagement;
use crate::finding::Finding;
use crate::model::{RaterGroup, Role};
use crate::record::RecordRef;
use crate::rules::Rule;
use serde::Serialize;

/// The reason behind a visibility answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VisibilityReason {
    /// The viewer's role always sees this kind of record.
    AlwaysVisibleToRole,
    /// The coachee opened this record to the viewer's role.
    ConsentGranted,
    /// The viewer's role never sees this kind of record, consent or not.
    NeverVisibleToRole,
    /// Nobody sees it (rater identities, `meta`).
    HiddenFromEveryone,
    /// A 360 rater group with too few responses to keep raters anonymous (or none at all:
    /// the answer is the same).
    BelowAnonymityThreshold,
    /// A 360 survey that is still open: its results are shown once it is closed.
    SurveyOpen,
    /// The viewer does not see this record. The answer is the same whether it exists and is
    /// confidential or does not exist at all, so asking teaches nothing.
    NotVisible,
}

/// The answer of [`Engagement::explain_visibility`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Visibility {
    /// The record asked about.
    pub record: String,
    /// The viewer.
    pub viewer: String,
    /// The viewer's role.
    pub role: Role,
    /// Whether the viewer sees it.
    pub visible: bool,
    /// Why.
    pub reason: VisibilityReason,
    /// The reason in words.
    pub message: String,
}

/// Named kinds of record of the section 6 matrix, with the roles that always see them.
/// Records the coachee can share (`session:<n>`, ...) are handled separately.
const ROWS: &[(&str, &[Role])] = &[
    ("participants", ALL),
    ("stage", ALL),
    ("meetings", ALL),
    ("sessions", ALL),
    ("confidentiality_agreement", ALL),
    ("discontinuation", ALL),
    ("cancellations", &[Role::Coachee, Role::Coach, Role::ProgramAdmin]),
    ("cancellation_reasons", PAIR),
    ("session_feedback_rating", &[Role::Coachee, Role::Coach, Role::ProgramAdmin]),
    ("session_feedback_comment", PAIR),
    ("engagement_level", ALL),
    ("engagement_level_note", PAIR),
    ("goals", &[Role::Coachee, Role::Coach, Role::Supervisor]),
    ("goal_count", ALL),
    ("goal_outcomes", ALL),
    ("goal_evidence", &[Role::Coachee, Role::Coach, Role::Supervisor]),
    ("preliminary_notes", &[Role::Coachee, Role::Coach, Role::Supervisor]),
    ("progress_feedback", &[Role::Coachee, Role::Coach, Role::Supervisor]),
    ("summaries", &[Role::Coachee, Role::Coach, Role::Supervisor]),
    ("final_review", &[Role::Coachee, Role::Coach, Role::Supervisor]),
    ("disclosures", &[Role::Coachee, Role::Coach, Role::ProgramAdmin]),
    ("disclosure_summaries", PAIR),
    ("discontinuation_reason", PAIR),
    ("sponsor_explanation", &[Role::Coachee, Role::Coach, Role::Supervisor]),
    ("rater_identities", &[]),
    ("meta", &[]),
];
const ALL: &[Role] = &[Role::Coachee, Role::Coach, Role::Supervisor, Role::ProgramAdmin];
const PAIR: &[Role] = &[Role::Coachee, Role::Coach];

impl Engagement {
    /// Whether `viewer` can see `record`, and why.
    ///
    /// `record` is a shareable record (`session:2`, `action:a1`, `assessment:x`,
    /// `goal_progress:g1`, `survey:s1`), a 360 group (`survey:s1/peer`), or a kind of record
    /// of the matrix (`preliminary_notes`, `session_feedback_comment`, `meta`, ...; see
    /// `docs/views.md`). A viewer who is not a participant gets `not_a_participant`. A supervisor
    /// or programme admin asking about a record they do not see gets `not_visible` whether or
    /// not it exists; coachee and coach, who see every record, get `unknown_reference` for one
    /// that does not exist. No answer counts anything the viewer's own view does not show.
    pub fn explain_visibility(&self, viewer: &str, record: &str) -> Result<Visibility, Finding> {
        let role = self.role_of(viewer).ok_or_else(|| self.stranger(viewer))?;
        let answer = |visible: bool, reason: VisibilityReason, message: String| Visibility {
            record: record.to_owned(),
            viewer: viewer.to_owned(),
            role,
            visible,
            reason,
            message,
        };
        if let Some((_, roles)) = ROWS.iter().find(|(name, _)| *name == record) {
            return Ok(if roles.is_empty() {
                answer(false, VisibilityReason::HiddenFromEveryone, format!("{record} are never shown to anyone"))
            } else if roles.contains(&role) {
                answer(true, VisibilityReason::AlwaysVisibleToRole, format!("the {role} always sees {record}"))
            } else {
                answer(false, VisibilityReason::NeverVisibleToRole, format!("the {role} never sees {record}"))
            });
        }
        let not_visible = || {
            answer(
                false,
                VisibilityReason::NotVisible,
                format!(
                    "the {role} does not see {record}: it does not exist, or the coachee has not opened it to them"
                ),
            )
        };
        let sees_everything = matches!(role, Role::Coachee | Role::Coach);
        if let Some((survey, group)) = record.split_once('/') {
            let group: RaterGroup = group.parse().map_err(|_| {
                Finding::new(
                    Code::UnknownReference,
                    Rule::R2,
                    "a rater group is one of self, manager, peer, direct_report, customer, other",
                )
            })?;
            let survey = survey.strip_prefix("survey:").unwrap_or(survey);
            let opened_to_viewer = self.is_shared(&format!("survey:{survey}"), role);
            if !(sees_everything || opened_to_viewer && self.is_survey_closed(survey)) {
                return Ok(not_visible());
            }
            if sees_everything && !self.rater_responses().iter().any(|response| response.survey == survey) {
                return Err(Finding::new(Code::UnknownReference, Rule::R2, format!("there is no survey {survey}")));
            }
            let Some(results) = self.closed_survey_results(survey) else {
                return Ok(answer(
                    false,
                    VisibilityReason::SurveyOpen,
                    format!("survey {survey} is open; its results are shown once it is closed"),
                ));
            };
            return Ok(if results.groups.iter().any(|shown| shown.group == group.as_str()) {
                let reason = if sees_everything {
                    VisibilityReason::AlwaysVisibleToRole
                } else {
                    VisibilityReason::ConsentGranted
                };
                answer(true, reason, format!("the {group} results of survey {survey} are shown without names"))
            } else {
                answer(
                    false,
                    VisibilityReason::BelowAnonymityThreshold,
                    format!(
                        "survey {survey} shows no {group} group: a group is shown from {} responses, smaller ones are pooled or left out",
                        self.policy().min_raters
                    ),
                )
            });
        }
        let parsed =
            RecordRef::parse(record).map_err(|message| Finding::new(Code::UnknownReference, Rule::F4, message))?;
        if sees_everything {
            if !self.has_record(&parsed) {
                return Err(Finding::new(Code::UnknownReference, Rule::F4, format!("there is no record {record}")));
            }
            return Ok(answer(
                true,
                VisibilityReason::AlwaysVisibleToRole,
                format!("coachee and coach always see {record}"),
            ));
        }
        if role == Role::ProgramAdmin && matches!(parsed, RecordRef::GoalProgress(_)) {
            return Ok(answer(
                false,
                VisibilityReason::NeverVisibleToRole,
                "goal progress notes are shared with the supervisor only".to_owned(),
            ));
        }
        let in_effect = match &parsed {
            RecordRef::Survey(survey) => self.is_survey_closed(survey),
            _ => true,
        };
        match self.consents().iter().find(|grant| grant.record == record && grant.to == role) {
            Some(grant) if in_effect && self.has_record(&parsed) => Ok(answer(
                true,
                VisibilityReason::ConsentGranted,
                format!("the coachee opened {record} to the {role} on {}", grant.granted_at),
            )),
            _ => Ok(not_visible()),
        }
    }
}
