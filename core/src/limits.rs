//! Caps on the size of what coachflow accepts, so that a hostile log or event cannot make a
//! host use unbounded memory.
//!
//! Every cap has a safe default ([`Limits::default`]). Going over one is never a crash: an
//! event that is too big, or one too many, is rejected with [`Code::LimitExceeded`], and a
//! log reader reports the line number and goes on with the next line.
//!
//! ```
//! use coachflow::{Code, Engagement, Limits};
//! let limits = Limits { max_events_per_engagement: 1, ..Limits::default() };
//! let log = concat!(
//!     r#"{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"c","type":"engagement_opened","coachee":"c","supervisor":"s"}"#, "\n",
//!     r#"{"engagement":"e","at":"2026-01-05T10:00:00Z","actor":"c","type":"orientation_completed"}"#,
//! );
//! let error = Engagement::replay_jsonl_with_limits(log, &limits).unwrap_err();
//! assert_eq!((error.index, error.rejection.codes()), (1, vec![Code::LimitExceeded]));
//! ```

use crate::codes::{Code, Finding};
use crate::event::{Event, StepContent, TextList, Timestamp};
use crate::model::{EngagementLevel, GoalOutcome, MeetingKind, Policy, RaterGroup, Role};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The rule reference of every limit finding (see `docs/rules.md`).
pub(crate) const LIMIT_RULE: &str = "H1";

/// Size caps. Build one from the defaults and change what you need:
/// `Limits { max_text_chars: 1_000, ..Limits::default() }`.
///
/// As JSON (the bindings' form) every field is optional and an unknown field is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Longest line of a JSON Lines log, in bytes, line break excluded. Default 1 MiB.
    pub max_line_bytes: usize,
    /// Most events one engagement may hold. Default 100,000.
    pub max_events_per_engagement: usize,
    /// Longest text anywhere in an event (ids, notes, object keys, `meta` values), in
    /// characters. Default 65,536.
    pub max_text_chars: usize,
    /// Most items in any list or object of an event (attendees, measures, scores, `meta`
    /// entries, ...). Default 1,000.
    pub max_list_items: usize,
    /// Most engagements one log file may open. Default 1,000,000.
    pub max_engagements: usize,
}

impl Limits {
    /// The defaults: generous for any real engagement, small enough that one event is at
    /// most about a megabyte.
    pub const DEFAULT: Limits = Limits {
        max_line_bytes: 1 << 20,
        max_events_per_engagement: 100_000,
        max_text_chars: 65_536,
        max_list_items: 1_000,
        max_engagements: 1_000_000,
    };

    /// No cap at all, for trusted input only.
    pub const UNLIMITED: Limits = Limits {
        max_line_bytes: usize::MAX,
        max_events_per_engagement: usize::MAX,
        max_text_chars: usize::MAX,
        max_list_items: usize::MAX,
        max_engagements: usize::MAX,
    };

    /// The first text or list of `event` that is over a cap, as a `limit_exceeded` finding.
    pub fn check_event(&self, event: &Event) -> Result<(), Finding> {
        let mut meter = Meter { limits: self, field: "", problem: None };
        meter.field("engagement", &event.engagement);
        meter.field("actor", &event.actor);
        meter.field("meta", &event.meta);
        event.body.measure(&mut meter);
        meter.problem.map_or(Ok(()), Err)
    }

    /// The finding for an engagement that already holds `max_events_per_engagement` events.
    pub(crate) fn too_many_events(&self) -> Finding {
        exceeded(format!(
            "the engagement already holds {} events, the most allowed (max_events_per_engagement)",
            self.max_events_per_engagement
        ))
    }

    /// The finding for a line longer than `max_line_bytes`.
    pub(crate) fn line_too_long(&self, bytes: usize) -> Finding {
        exceeded(format!("the line has {bytes} bytes; the most allowed is {} (max_line_bytes)", self.max_line_bytes))
    }

    /// The finding for a line that would open one engagement too many.
    pub(crate) fn too_many_engagements(&self, engagement: &str) -> Finding {
        exceeded(format!(
            "engagement {engagement} would be one more than the {} a log may hold (max_engagements)",
            self.max_engagements
        ))
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

fn exceeded(message: String) -> Finding {
    Finding::new(Code::LimitExceeded, LIMIT_RULE, message)
}

/// Walks an event's texts and lists, remembering the first one over a cap.
pub(crate) struct Meter<'a> {
    limits: &'a Limits,
    field: &'static str,
    problem: Option<Finding>,
}

impl Meter<'_> {
    /// Measures `value` as the content of field `name`.
    pub(crate) fn field(&mut self, name: &'static str, value: &impl Measured) {
        if self.problem.is_none() {
            self.field = name;
            value.measure(self);
        }
    }

    fn text(&mut self, text: &str) {
        // A text has at most as many characters as bytes, so short texts need no count.
        if self.problem.is_none() && text.len() > self.limits.max_text_chars {
            let chars = text.chars().count();
            if chars > self.limits.max_text_chars {
                self.problem = Some(exceeded(format!(
                    "a text in field `{}` has {chars} characters; the most allowed is {} (max_text_chars)",
                    self.field, self.limits.max_text_chars
                )));
            }
        }
    }

    fn list(&mut self, items: usize) {
        if self.problem.is_none() && items > self.limits.max_list_items {
            self.problem = Some(exceeded(format!(
                "a list in field `{}` has {items} items; the most allowed is {} (max_list_items)",
                self.field, self.limits.max_list_items
            )));
        }
    }
}

/// Something whose texts and lists can be measured against [`Limits`].
pub(crate) trait Measured {
    /// Reports every text and list in `self` to the meter.
    fn measure(&self, meter: &mut Meter<'_>);
}

impl Measured for String {
    fn measure(&self, meter: &mut Meter<'_>) {
        meter.text(self);
    }
}

impl<T: Measured> Measured for Option<T> {
    fn measure(&self, meter: &mut Meter<'_>) {
        if let Some(value) = self {
            value.measure(meter);
        }
    }
}

impl<T: Measured> Measured for [T] {
    fn measure(&self, meter: &mut Meter<'_>) {
        meter.list(self.len());
        self.iter().for_each(|item| item.measure(meter));
    }
}

impl<T: Measured> Measured for Vec<T> {
    fn measure(&self, meter: &mut Meter<'_>) {
        self.as_slice().measure(meter);
    }
}

impl Measured for TextList {
    fn measure(&self, meter: &mut Meter<'_>) {
        self.0.measure(meter);
    }
}

impl Measured for Value {
    fn measure(&self, meter: &mut Meter<'_>) {
        match self {
            Value::String(text) => meter.text(text),
            Value::Array(items) => items.measure(meter),
            Value::Object(entries) => entries.measure(meter),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

impl Measured for Map<String, Value> {
    fn measure(&self, meter: &mut Meter<'_>) {
        meter.list(self.len());
        for (key, value) in self {
            meter.text(key);
            value.measure(meter);
        }
    }
}

impl Measured for BTreeMap<String, f64> {
    fn measure(&self, meter: &mut Meter<'_>) {
        meter.list(self.len());
        self.keys().for_each(|key| meter.text(key));
    }
}

impl Measured for Policy {
    fn measure(&self, meter: &mut Meter<'_>) {
        if let Some(script) = &self.script {
            meter.list(script.len());
            for step in script {
                meter.text(&step.name);
                meter.list(step.owners.len());
            }
        }
    }
}

impl Measured for StepContent {
    fn measure(&self, meter: &mut Meter<'_>) {
        match self {
            StepContent::CheckIn(content) => content.measure(meter),
            StepContent::SessionGoal(content) => content.measure(meter),
            StepContent::AssignmentReview(content) => content.measure(meter),
            StepContent::Coaching(content) => content.measure(meter),
            StepContent::ActionCommitment(content) => content.measure(meter),
            StepContent::KeyOutcomes(content) => content.measure(meter),
            StepContent::NextAssignment(content) => content.measure(meter),
            StepContent::SessionFeedback(content) => content.measure(meter),
            StepContent::Custom { fields } => fields.measure(meter),
        }
    }
}

/// Types with no text or list inside.
macro_rules! nothing_to_measure {
    ($($ty:ty),*) => {
        $( impl Measured for $ty { fn measure(&self, _: &mut Meter<'_>) {} } )*
    };
}

nothing_to_measure!(
    u8,
    u32,
    f64,
    bool,
    Timestamp,
    NaiveDate,
    Role,
    MeetingKind,
    GoalOutcome,
    RaterGroup,
    EngagementLevel
);
