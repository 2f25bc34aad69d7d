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
    /// Confidential between coachee and coach unless the coachee consents.
    ConfidentialByDefault,
    /// The coachee opened this record to the viewer's role.
    ConsentGranted,
    /// The viewer's role never sees this kind of record, consent or not.
    NeverVisibleToRole,
    /// Nobody sees it (rater identities, `meta`).
    HiddenFromEveryone,
    /// A 360 rater group with too few responses to keep raters anonymous.
    BelowAnonymityThreshold,
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
    /// `docs/views.md`). A viewer who is not a participant gets `not_a_participant`; a record
    /// that does not exist gets `unknown_reference`.
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
        if let Some((survey, group)) = record.split_once('/') {
            return self
                .explain_rater_group(survey, group, role)
                .map(|(visible, reason, message)| answer(visible, reason, message));
        }
        let parsed =
            RecordRef::parse(record).map_err(|message| Finding::new(Code::UnknownReference, Rule::F4, message))?;
        if !self.has_record(&parsed) {
            return Err(Finding::new(Code::UnknownReference, Rule::F4, format!("there is no record {record}")));
        }
        Ok(match role {
            Role::Coachee | Role::Coach => {
                answer(true, VisibilityReason::AlwaysVisibleToRole, format!("coachee and coach always see {record}"))
            }
            Role::ProgramAdmin if matches!(parsed, RecordRef::GoalProgress(_)) => answer(
                false,
                VisibilityReason::NeverVisibleToRole,
                "goal progress notes are shared with the supervisor only".to_owned(),
            ),
            Role::Supervisor | Role::ProgramAdmin => {
                match self.consents().iter().find(|g| g.record == record && g.to == role) {
                    Some(grant) => answer(
                        true,
                        VisibilityReason::ConsentGranted,
                        format!("the coachee opened {record} to the {role} on {}", grant.granted_at),
                    ),
                    None => answer(
                        false,
                        VisibilityReason::ConfidentialByDefault,
                        format!("{record} stays between coachee and coach unless the coachee consents"),
                    ),
                }
            }
        })
    }

    fn explain_rater_group(
        &self,
        survey: &str,
        group: &str,
        role: Role,
    ) -> Result<(bool, VisibilityReason, String), Finding> {
        let survey_record = survey.strip_prefix("survey:").unwrap_or(survey);
        let record = format!("survey:{survey_record}");
        let unknown =
            || Finding::new(Code::UnknownReference, Rule::R2, format!("there is no rater group {survey}/{group}"));
        let group: RaterGroup = group.parse().map_err(|_| unknown())?;
        let responses: Vec<_> = self.rater_responses().iter().filter(|r| r.survey == survey_record).collect();
        let members = responses.iter().filter(|response| response.group == group).count();
        if members == 0 {
            return Err(unknown());
        }
        let (groups, _) = crate::views::shown_groups(&responses, self.policy().min_raters as usize);
        let shown = groups.iter().any(|(_, members)| members.iter().any(|response| response.group == group));
        if !shown {
            return Ok((
                false,
                VisibilityReason::BelowAnonymityThreshold,
                format!(
                    "{members} {group} response(s): fewer than {} and too few to pool; left out for everyone",
                    self.policy().min_raters
                ),
            ));
        }
        let allowed = matches!(role, Role::Coachee | Role::Coach) || self.is_shared(&record, role);
        Ok(if allowed {
            (
                true,
                if matches!(role, Role::Coachee | Role::Coach) {
                    VisibilityReason::AlwaysVisibleToRole
                } else {
                    VisibilityReason::ConsentGranted
                },
                format!("the {group} results of {record} are shown without names"),
            )
        } else {
            (
                false,
                VisibilityReason::ConfidentialByDefault,
                format!("{record} stays between coachee and coach unless the coachee consents"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Event;

    fn engagement(lines: &[&str]) -> Engagement {
        Engagement::replay(lines.iter().map(|line| Event::from_json(line).unwrap())).unwrap()
    }

    const OPEN: &str = r#"{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"hr","type":"engagement_opened","coachee":"cleo","supervisor":"sam","coach":"kim","program_admins":["hr"],"policy":{"min_raters":2}}"#;
    const ASSESS: &str = r#"{"engagement":"e","at":"2026-01-05T10:00:00Z","actor":"cleo","type":"assessment_recorded","assessment":"a","instrument":"i","summary":"s"}"#;
    const RATE: &str = r#"{"engagement":"e","at":"2026-01-05T11:00:00Z","actor":"hr","type":"rater_feedback_recorded","survey":"s1","rater":"r1","group":"peer","scores":{"x":1}}"#;
    const SHARE: &str = r#"{"engagement":"e","at":"2026-01-05T12:00:00Z","actor":"cleo","type":"consent_granted","record":"assessment:a","to":"supervisor"}"#;

    fn reason(engagement: &Engagement, viewer: &str, record: &str) -> (bool, VisibilityReason) {
        let answer = engagement.explain_visibility(viewer, record).unwrap();
        (answer.visible, answer.reason)
    }

    #[test]
    fn explains_each_reason() {
        let before = engagement(&[OPEN, ASSESS, RATE]);
        assert_eq!(reason(&before, "kim", "assessment:a"), (true, VisibilityReason::AlwaysVisibleToRole));
        assert_eq!(reason(&before, "sam", "assessment:a"), (false, VisibilityReason::ConfidentialByDefault));
        assert_eq!(reason(&before, "hr", "preliminary_notes"), (false, VisibilityReason::NeverVisibleToRole));
        assert_eq!(reason(&before, "cleo", "meta"), (false, VisibilityReason::HiddenFromEveryone));
        assert_eq!(reason(&before, "cleo", "survey:s1/peer"), (false, VisibilityReason::BelowAnonymityThreshold));
        let after = engagement(&[OPEN, ASSESS, RATE, SHARE]);
        let answer = after.explain_visibility("sam", "assessment:a").unwrap();
        assert_eq!((answer.visible, answer.reason), (true, VisibilityReason::ConsentGranted));
        assert!(answer.message.contains("2026-01-05T12:00:00Z"));
        assert_eq!(after.explain_visibility("sam", "assessment:zz").unwrap_err().code, Code::UnknownReference);
        assert_eq!(after.explain_visibility("nobody", "meta").unwrap_err().code, Code::NotAParticipant);
    }
}
