//! Who takes part (contract sections 1 and 4): opening the engagement (L7, O1), the coach
//! (O2), acknowledgements of responsibilities (A1), and how people are named in messages.

use super::{keep, Engagement, Verdict};
use crate::codes::Code;
use crate::event::{CoachAssigned, CoachReplaced, EngagementOpened, Event, Timestamp, MAX_PARTICIPANT_ID_CHARS};
use crate::finding::Finding;
use crate::id::Id;
use crate::model::Role;
use crate::rules::Rule;
use crate::state::{CoachChange, Participants};

/// Coachee, supervisor and coach: who attends three-way meetings and acknowledges responsibilities.
pub(crate) const THREE_WAY: &[Role] = &[Role::Coachee, Role::Supervisor, Role::Coach];

impl Engagement {
    /// The `not_a_participant` finding for someone who is not (or no longer) a participant.
    pub(crate) fn stranger(&self, participant: &str) -> Finding {
        let former = self.participants.former_coaches.iter().any(|former| former == participant);
        Finding::new(
            Code::NotAParticipant,
            Rule::L5,
            if former {
                format!("{participant} was replaced as coach and is no longer a participant")
            } else {
                format!("{participant} is not a participant of engagement {}", self.id)
            },
        )
    }

    /// The people in `roles` who are not in `present`, described for messages
    /// ("the coach (kim)", or "the coach (none assigned)").
    pub(super) fn absent(&self, roles: &[Role], present: &[String]) -> Vec<String> {
        roles
            .iter()
            .filter_map(|role| match self.participants.with_role(*role).first() {
                Some(id) if present.iter().any(|person| person == id) => None,
                Some(id) => Some(format!("the {role} ({id})")),
                None => Some(format!("the {role} (none assigned)")),
            })
            .collect()
    }

    fn check_participant_id(id: &str, field: &str, verdict: &mut Verdict) {
        if id.is_empty() || id.chars().count() > MAX_PARTICIPANT_ID_CHARS {
            verdict.fail(
                Code::InvalidEvent,
                Rule::O1,
                format!("`{field}` must be a participant id of 1 to {MAX_PARTICIPANT_ID_CHARS} characters"),
            );
        } else if id.trim() != id || id.chars().any(is_invisible) {
            verdict.fail(
                Code::InvalidEvent,
                Rule::O1,
                format!(
                    "`{field}` must be a participant id without leading or trailing spaces, control, \
                     zero-width or direction characters"
                ),
            );
        }
    }

    /// The participant whose id looks the same as `id` (equal after Unicode compatibility
    /// normalisation and case folding), if any.
    fn look_alike(&self, id: &str) -> Option<(Role, String)> {
        let wanted = identity_key(id);
        Role::ALL.iter().find_map(|role| {
            self.participants
                .with_role(*role)
                .into_iter()
                .find(|existing| identity_key(existing) == wanted)
                .map(|existing| (*role, existing.to_owned()))
        })
    }

    pub(super) fn check_opening(&self, event: &Event, opened: &EngagementOpened, verdict: &mut Verdict) {
        let mut people: Vec<(&str, &str)> =
            vec![("coachee", opened.coachee.as_str()), ("supervisor", opened.supervisor.as_str())];
        if let Some(coach) = &opened.coach {
            people.push(("coach", coach.as_str()));
        }
        for admin in opened.program_admins.iter().flatten() {
            people.push(("program_admins", admin.as_str()));
        }
        for (field, id) in &people {
            Self::check_participant_id(id, field, verdict);
        }
        let keys: Vec<String> = people.iter().map(|(_, id)| identity_key(id)).collect();
        for (index, ((field, id), key)) in people.iter().zip(&keys).enumerate() {
            if keys.iter().take(index).any(|earlier| earlier == key) {
                verdict.fail(
                    Code::DuplicateParticipant,
                    Rule::O1,
                    format!("{id} is named twice (again as {field}); one person has one role"),
                );
            }
        }
        if !people.iter().any(|(_, id)| *id == event.actor) {
            verdict.fail(
                Code::NotAParticipant,
                Rule::L5,
                format!("{} opens the engagement but is not one of its participants", event.actor),
            );
        }
        if let Some(policy) = &opened.policy {
            verdict.violations.extend(policy.problems());
        }
    }

    pub(super) fn fold_opening(&mut self, engagement: &str, opened: &EngagementOpened, at: Timestamp) {
        self.opened = true;
        if self.id.as_bytes().is_empty() {
            self.id = Id::from(engagement);
        }
        self.participants = Participants {
            coachee: Id::from(&opened.coachee),
            supervisor: Id::from(&opened.supervisor),
            coach: opened.coach.as_ref().map(Id::from),
            program_admins: opened.program_admins.as_deref().unwrap_or_default().iter().map(Id::from).collect(),
            former_coaches: Vec::new(),
        };
        self.policy = opened.policy.clone().unwrap_or_default();
        self.enter_first_stage(at);
    }

    fn check_new_coach(&self, coach: &str, verdict: &mut Verdict) {
        Self::check_participant_id(coach, "coach", verdict);
        if let Some((role, existing)) = self.look_alike(coach) {
            verdict.fail(
                Code::DuplicateParticipant,
                Rule::O1,
                format!("{coach} is already the {role} ({existing}); one person has one role"),
            );
        }
    }

    pub(super) fn check_coach_assigned(&self, assigned: &CoachAssigned, verdict: &mut Verdict) {
        if let Some(coach) = &self.participants.coach {
            verdict.fail(
                Code::CoachAlreadyAssigned,
                Rule::O2,
                format!("{coach} is already the coach; use coach_replaced"),
            );
        }
        self.check_new_coach(&assigned.coach, verdict);
    }

    pub(super) fn check_coach_replaced(&self, replaced: &CoachReplaced, verdict: &mut Verdict) {
        self.check_new_coach(&replaced.coach, verdict);
        if self.participants.coach.is_none() {
            verdict.fail(Code::CoachNotAssigned, Rule::O2, "there is no coach to replace");
        }
    }

    pub(super) fn fold_coach_replaced(&mut self, replaced: &CoachReplaced, at: Timestamp) {
        let reason = self.unjudged(|| replaced.reason.clone());
        if let Some(former) = self.participants.coach.replace(Id::from(&replaced.coach)) {
            self.participants.former_coaches.retain(|id| *id != replaced.coach);
            let change = CoachChange { former: former.to_string(), new: replaced.coach.clone(), reason, at };
            keep(&mut self.participants.former_coaches, former);
            keep(&mut self.coach_changes, change);
        }
    }

    pub(super) fn check_acknowledgement(&self, actor: &str, verdict: &mut Verdict) {
        if self.acknowledged.iter().any(|done| done == actor) {
            verdict.fail(
                Code::AlreadyAcknowledged,
                Rule::A1,
                format!("{actor} already acknowledged their responsibilities"),
            );
        }
    }
}

/// Characters that make two ids look alike or hide in them: control characters, zero-width
/// characters and the direction marks and overrides of bidirectional text.
fn is_invisible(c: char) -> bool {
    INVISIBLE.iter().any(|(first, last)| (*first..=*last).contains(&c))
}

/// The characters a participant id may not hold (rule O1): control, zero-width, direction
/// and other invisible characters, as ranges of `char`.
pub(crate) const INVISIBLE: &[(char, char)] = &[
    ('\u{0000}', '\u{001F}'),
    ('\u{007F}', '\u{009F}'),
    ('\u{00AD}', '\u{00AD}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{2069}'),
    ('\u{FEFF}', '\u{FEFF}'),
];

/// What an id is compared by for "one person, one role": its Unicode compatibility
/// normalisation (NFKC) with case folded, so `Sam`, `sam` and a full-width `ｓａｍ` are one person.
fn identity_key(id: &str) -> String {
    // ASCII text is already in NFKC and its case folds within ASCII: the common case needs
    // neither normalisation (which in WebAssembly is a call into the JavaScript engine).
    if id.is_ascii() {
        return id.to_ascii_lowercase();
    }
    let folded: String = crate::unicode::nfkc(id).chars().flat_map(char::to_lowercase).collect();
    crate::unicode::nfkc(&folded)
}

#[cfg(all(test, feature = "unicode-tables"))]
mod tests {
    /// The ASCII shortcut of `identity_key` rests on two facts, checked here for every ASCII
    /// character: it is its own NFKC form, and its lowercase is its ASCII lowercase.
    #[test]
    fn an_ascii_id_keys_as_its_ascii_lowercase_as_unicode_folding_would() {
        for byte in 0u8..0x80 {
            let character = char::from(byte);
            let text = character.to_string();
            let folded: String = crate::unicode::nfkc(&text).chars().flat_map(char::to_lowercase).collect();
            assert_eq!(crate::unicode::nfkc(&folded), text.to_ascii_lowercase(), "{character:?}");
        }
        assert_eq!(super::identity_key("Sam.Lee-2"), "sam.lee-2");
        assert_eq!(super::identity_key("ＳａＭ"), "sam");
    }
}
