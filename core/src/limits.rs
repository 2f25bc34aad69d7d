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

use crate::event::{struct_reader, Event};
use crate::finding::Finding;
use crate::measure::{exceeded, Measured, Meter};
use serde::Serialize;

/// Size caps. Build one from the defaults and change what you need:
/// `Limits { max_text_chars: 1_000, ..Limits::default() }`.
///
/// As JSON (the bindings' form) every field is optional and an unknown field is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

struct_reader! {
    Limits, defaults {
        max_line_bytes: usize,
        max_events_per_engagement: usize,
        max_text_chars: usize,
        max_list_items: usize,
        max_engagements: usize,
    }
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
        let mut meter = Meter::new(self.max_text_chars, self.max_list_items);
        meter.field("engagement", &event.engagement);
        meter.field("actor", &event.actor);
        meter.field("meta", &event.meta);
        event.body.measure(&mut meter);
        meter.finish()
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
