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
    /// The kept texts, one after the other, in chunks that are never grown past their
    /// first capacity: growing one buffer per engagement meant copying it again and again
    /// and fragmenting the heap when thousands of engagements grow at once. Every chunk has
    /// the same size, so that the room left unused in an engagement's last chunk is small.
    chunks: Vec<String>,
    /// Where each event's text is: its chunk and its end in that chunk (it starts where
    /// the previous text in the same chunk ends).
    ends: Vec<(u32, u32)>,
    /// Events applied; equal to `ends.len()` unless texts are not kept.
    count: usize,
    /// Whether texts are kept (a validation-only reader counts events and keeps nothing).
    discard: bool,
}

/// The size of a chunk (a text longer than this gets a chunk of its own size): room for
/// about two dozen typical events. Chunks that grew up to 64 KB left much of every
/// engagement's last chunk unused (`load_jsonl` of a 1M-event log: 356 MB peak RSS, 341 MB
/// with chunks of one size).
const CHUNK_BYTES: usize = 4096;

impl EventLog {
    /// A log that only counts its events, `count` of them so far: for readers that
    /// validate and throw the engagements away.
    pub(crate) fn counting_only(count: usize) -> EventLog {
        EventLog { discard: true, count, ..EventLog::default() }
    }

    /// Keeps an applied event as the text it was read from.
    pub(crate) fn push_text(&mut self, text: &str) {
        self.count += 1;
        if self.discard {
            return;
        }
        let fits = self.chunks.last().is_some_and(|chunk| chunk.capacity() - chunk.len() >= text.len());
        if !fits {
            self.chunks.push(String::with_capacity(CHUNK_BYTES.max(text.len())));
        }
        let chunk_index = self.chunks.len() - 1;
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.push_str(text);
            // A chunk of more than 4 GB would need one text of that size, which no limit allows.
            let end = u32::try_from(chunk.len()).unwrap_or(u32::MAX);
            self.ends.push((u32::try_from(chunk_index).unwrap_or(u32::MAX), end));
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

    /// The JSON text the event at `index` (0-based) was kept as: the line as it was read,
    /// or the canonical [`Event::to_json`] (with `seq`) of an event applied as a value.
    pub fn text(&self, index: usize) -> Option<&str> {
        let (chunk, end) = *self.ends.get(index)?;
        let start = match index.checked_sub(1).and_then(|before| self.ends.get(before)) {
            Some(&(previous_chunk, previous_end)) if previous_chunk == chunk => previous_end,
            _ => 0,
        };
        self.chunks.get(chunk as usize)?.get(start as usize..end as usize)
    }

    /// Every kept text, in order.
    fn texts(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).filter_map(|index| self.text(index))
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
        let mut out = String::with_capacity(self.chunks.iter().map(String::len).sum::<usize>() + self.ends.len() * 12);
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
            && self.ends.len() == other.ends.len()
            && (self.texts().eq(other.texts()) || self.iter().eq(other.iter()))
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
        assert_ne!(read.text(0), built.text(0));
        assert_eq!(read, built);
    }

    #[test]
    fn a_counting_log_keeps_no_text() {
        let mut log = EventLog::counting_only(0);
        log.push_text(OPENED);
        assert_eq!((log.len(), log.get(0), log.chunks.len()), (1, None, 0));
    }

    #[test]
    fn texts_spread_over_chunks_read_back_in_order() {
        let mut log = EventLog::default();
        let texts: Vec<String> = (0..2000).map(|n| format!("{{\"n\":{}}}", "7".repeat(n % 300))).collect();
        for text in &texts {
            log.push_text(text);
        }
        assert!(log.chunks.len() > 10);
        assert!(texts.iter().enumerate().all(|(index, text)| log.text(index) == Some(text.as_str())));
        let huge = "x".repeat(3 * CHUNK_BYTES * 16);
        log.push_text(&huge);
        assert_eq!(log.text(2000), Some(huge.as_str()));
    }
}
