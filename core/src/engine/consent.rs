//! Confidentiality (contract section 6): the coach's agreement and its limits (F1, F2),
//! the records a coachee opens by consent and takes back (F4), and disclosures under an
//! agreed limit (F5). What each role then sees is `views.rs` (F3).

use super::{keep, Engagement, Verdict};
use crate::codes::Code;
use crate::event::{ConfidentialityAgreed, Consent, DisclosureRecorded, Timestamp};
use crate::model::{MeetingKind, Role};
use crate::record::RecordRef;
use crate::rules::Rule;
use crate::state::{ConfidentialityAgreement, ConsentGrant, Disclosure, MeetingStatus, SessionStatus};

impl Engagement {
    /// Whether the coachee opened `record` to `role`.
    pub fn is_shared(&self, record: &str, role: Role) -> bool {
        self.consents.iter().any(|grant| grant.record == record && grant.to == role)
    }

    /// Whether the record exists in the engagement (a session must have started).
    pub fn has_record(&self, record: &RecordRef) -> bool {
        match record {
            RecordRef::Assessment(id) => self.assessments.iter().any(|a| a.id == *id),
            RecordRef::Action(id) => self.actions.iter().any(|a| a.item.id == *id),
            RecordRef::Session(number) => self
                .sessions
                .iter()
                .any(|s| s.number == *number && matches!(s.status, SessionStatus::InProgress | SessionStatus::Held)),
            RecordRef::GoalProgress(id) => self.goals.iter().any(|g| g.id == *id),
            RecordRef::Survey(id) => self.rater_responses.iter().any(|r| r.survey == *id),
        }
    }

    /// Whether session `number` was held (it started and ended).
    pub(crate) fn session_held(&self, number: u32) -> bool {
        self.sessions.iter().any(|session| session.number == number && session.status == SessionStatus::Held)
    }

    pub(super) fn check_confidentiality(&self, agreed: &ConfidentialityAgreed, verdict: &mut Verdict) {
        if !agreed.limits.has_content() {
            verdict.fail(
                Code::ConfidentialityLimitsUnstated,
                Rule::F1,
                "the coach must state at least one limit of confidentiality",
            );
        }
        let reviewed_in_meeting = self.meetings.iter().any(|meeting| {
            meeting.status == MeetingStatus::Held
                && matches!(meeting.kind, MeetingKind::GoalSetting | MeetingKind::Alignment)
                && (meeting.starts_at.date() == agreed.reviewed_on
                    || meeting.held_at.is_some_and(|at| at.date() == agreed.reviewed_on))
        });
        if !reviewed_in_meeting {
            verdict.fail(
                Code::AgreementNotReviewedInMeeting,
                Rule::F2,
                format!("no goal-setting or alignment meeting was held on {}", agreed.reviewed_on),
            );
        }
    }

    pub(super) fn fold_confidentiality(&mut self, agreed: &ConfidentialityAgreed, at: Timestamp) {
        self.confidentiality =
            Some(ConfidentialityAgreement { reviewed_on: agreed.reviewed_on, limits: agreed.limits.0.clone(), at });
    }

    pub(super) fn check_consent(&self, consent: &Consent, granting: bool, verdict: &mut Verdict) {
        if !matches!(consent.to, Role::Supervisor | Role::ProgramAdmin) {
            verdict.fail(
                Code::InvalidEvent,
                Rule::F4,
                format!("consent is given to the supervisor or the program_admin, not the {}", consent.to),
            );
        }
        match RecordRef::parse(&consent.record) {
            Err(message) => {
                verdict.fail(Code::InvalidEvent, Rule::F4, message);
                return;
            }
            Ok(RecordRef::GoalProgress(_)) if granting && consent.to == Role::ProgramAdmin => verdict.fail(
                Code::InvalidEvent,
                Rule::F4,
                "goal progress notes are shared with the supervisor only; programme admins never see them",
            ),
            Ok(RecordRef::Session(number)) if granting && !self.session_held(number) => {
                if self.has_record(&RecordRef::Session(number)) {
                    verdict.fail(Code::SessionNotHeld, Rule::F4, format!("session {number} has not ended yet"));
                } else {
                    verdict.fail(Code::UnknownReference, Rule::F4, format!("there is no record {}", consent.record));
                }
            }
            Ok(record) => {
                if !self.has_record(&record) {
                    verdict.fail(Code::UnknownReference, Rule::F4, format!("there is no record {}", consent.record));
                }
            }
        }
        if !granting && !self.is_shared(&consent.record, consent.to) {
            verdict.fail(
                Code::UnknownReference,
                Rule::F4,
                format!("{} is not open to the {}", consent.record, consent.to),
            );
        }
    }

    pub(super) fn fold_consent_granted(&mut self, consent: &Consent, at: Timestamp) {
        if !self.is_shared(&consent.record, consent.to) {
            keep(&mut self.consents, ConsentGrant { record: consent.record.clone(), to: consent.to, granted_at: at });
        }
    }

    pub(super) fn fold_consent_revoked(&mut self, consent: &Consent) {
        self.consents.retain(|grant| !(grant.record == consent.record && grant.to == consent.to));
    }

    pub(super) fn check_disclosure(&self, disclosure: &DisclosureRecorded, verdict: &mut Verdict) {
        let agreed =
            self.confidentiality.as_ref().is_some_and(|agreement| agreement.limits.contains(&disclosure.limit));
        if !agreed {
            verdict.fail(
                Code::DisclosureOutsideLimits,
                Rule::F5,
                format!("`{}` is not a limit named in the confidentiality agreement", disclosure.limit),
            );
        }
    }

    pub(super) fn fold_disclosure(&mut self, disclosure: &DisclosureRecorded, at: Timestamp) {
        let summary = self.unjudged(|| disclosure.summary.clone());
        keep(
            &mut self.disclosures,
            Disclosure { to: disclosure.to.clone(), limit: disclosure.limit.clone(), summary, at },
        );
    }
}
