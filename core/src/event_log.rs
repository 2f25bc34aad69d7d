//! [`EventLog`]: the events an engagement applied, kept as the JSON text they arrived in.
//!
//! A typed [`Event`] is several times larger than its line of JSON, and most logs are read
//! far more often than their events are looked at one by one. So an engagement keeps each
//! applied event as text in one buffer (the line exactly as read, or the canonical
//! [`Event::to_json`] for an event applied as a value) and decodes an event again only when
//! asked. Decoding cannot fail: every kept text was decoded once before it was applied.

use crate::event::Event;
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::fmt;

/// The applied events of one engagement, in order, with `seq` filled in.
///
/// ```
/// use coachflow::Engagement;
/// let mut engagement = Engagement::new("e");
/// engagement.apply_json(r#"{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"s",
///     "type":"engagement_opened","coachee":"c","supervisor":"s"}"#).unwrap();
/// let log = engagement.log();
/// assert_eq!(log.len(), 1);
/// assert_eq!(log.get(0).unwrap().seq, Some(1), "seq is filled in");
/// ```
#[derive(Clone, Default)]
pub struct EventLog {
    /// Every kept event's text, one after the other.
    text: String,
    /// Where each event's text ends in `text`.
    ends: Vec<usize>,
    /// Events applied; equal to `ends.len()` unless texts are not kept.
    count: usize,
    /// Whether texts are kept (a validation-only reader counts events and keeps nothing).
    discard: bool,
}

impl EventLog {
    /// A log that only counts its events: for readers that validate and throw the
    /// engagements away.
    pub(crate) fn counting_only() -> EventLog {
        EventLog { discard: true, ..EventLog::default() }
    }

    /// Keeps an applied event as the text it was read from.
    pub(crate) fn push_text(&mut self, text: &str) {
        self.count += 1;
        if !self.discard {
            self.text.push_str(text);
            self.ends.push(self.text.len());
        }
    }

    /// Keeps an applied event given as a value, as its canonical JSON.
    pub(crate) fn push_event(&mut self, event: &Event) {
        if self.discard {
            self.count += 1;
        } else {
            self.push_text(&event.to_json());
        }
    }

    /// The number of events applied.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no event was applied.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The text the event at `index` (0-based) was kept as.
    pub(crate) fn text(&self, index: usize) -> Option<&str> {
        let start = match index.checked_sub(1) {
            None => 0,
            Some(before) => *self.ends.get(before)?,
        };
        self.text.get(start..*self.ends.get(index)?)
    }

    /// The event at `index` (0-based), decoded from its text, with its `seq`.
    pub fn get(&self, index: usize) -> Option<Event> {
        let mut event = Event::from_json(self.text(index)?).ok()?;
        event.seq = Some(index as u64 + 1);
        Some(event)
    }

    /// The last event applied.
    pub fn last(&self) -> Option<Event> {
        self.get(self.ends.len().checked_sub(1)?)
    }

    /// Every event, decoded in order.
    pub fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        (0..self.ends.len()).filter_map(|index| self.get(index))
    }

    /// Every event, decoded, in a vector.
    pub fn to_vec(&self) -> Vec<Event> {
        self.iter().collect()
    }

    /// The log as JSON Lines in the canonical form (one event per line, each line ending
    /// in `\n`).
    pub fn to_jsonl(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + self.ends.len() * 12);
        for event in self.iter() {
            out.push_str(&event.to_json());
            out.push('\n');
        }
        out
    }
}

/// Two logs are equal when they hold the same events, however their texts were written.
impl PartialEq for EventLog {
    fn eq(&self, other: &EventLog) -> bool {
        self.count == other.count
            && (self.text == other.text || (self.ends.len() == other.ends.len() && self.iter().eq(other.iter())))
    }
}

impl fmt::Debug for EventLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Serialized as the list of its events, as the engagement's state always showed it.
impl Serialize for EventLog {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(Some(self.ends.len()))?;
        for event in self.iter() {
            list.serialize_element(&event)?;
        }
        list.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENED: &str = r#"{"type":"engagement_opened","engagement":"e","at":"2026-01-05T09:00:00Z","actor":"s","coachee":"c","supervisor":"s"}"#;

    #[test]
    fn texts_are_kept_as_read_and_decoded_with_their_seq() {
        let mut log = EventLog::default();
        log.push_text(OPENED);
        log.push_text(OPENED);
        assert_eq!(log.text(1), Some(OPENED));
        assert_eq!(log.get(1).and_then(|event| event.seq), Some(2));
        assert_eq!(log.get(2), None);
        assert!(log.to_jsonl().starts_with(r#"{"engagement":"e","seq":1,"at""#), "canonical: {}", log.to_jsonl());
    }

    #[test]
    fn equal_events_written_differently_are_equal_logs() {
        let event = Event::from_json(OPENED).unwrap();
        let (mut read, mut built) = (EventLog::default(), EventLog::default());
        read.push_text(OPENED);
        built.push_event(&event);
        assert_ne!(read.text, built.text);
        assert_eq!(read, built);
    }

    #[test]
    fn a_counting_log_keeps_no_text() {
        let mut log = EventLog::counting_only();
        log.push_text(OPENED);
        assert_eq!((log.len(), log.get(0), log.text.len()), (1, None, 0));
    }
}
