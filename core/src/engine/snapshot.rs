//! Snapshots: an engagement's records written down at some event, so that a store can load
//! a long engagement without checking every event of it again.
//!
//! A snapshot holds the records (everything [`Engagement`] serializes except its log) and
//! how many events they fold. The events themselves are not in it: whoever keeps snapshots
//! keeps the events anyway, and [`Engagement::restore`] takes their texts from there.

use super::Engagement;
use crate::event::{EventBody, StepContent};
use crate::event_log::EventLog;
use serde::{Deserialize, Serialize};

/// The version of the snapshot layout. Snapshots also name the coachflow version that wrote
/// them: a newer coachflow may judge events differently, so its records could differ.
const SNAPSHOT_FORMAT: u32 = 1;

/// Why a snapshot could not be restored. A caller that keeps the events as well replays them
/// instead (and may write a new snapshot).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RestoreError {
    /// Written by another version of coachflow, whose rules may have folded the events
    /// differently.
    #[error("the snapshot was written by coachflow {written_by}; this is coachflow {}", env!("CARGO_PKG_VERSION"))]
    OtherVersion {
        /// The version that wrote it.
        written_by: String,
    },
    /// Not a snapshot this library can read.
    #[error("the text is not a coachflow snapshot: {0}")]
    Unreadable(String),
    /// Fewer event texts were given than the snapshot folds.
    #[error("the snapshot folds {folds} events but only {given} event texts were given")]
    EventCount {
        /// Events the snapshot folds.
        folds: u64,
        /// Texts given.
        given: u64,
    },
}

#[derive(Serialize)]
struct Written<'a> {
    snapshot_format: u32,
    coachflow: &'static str,
    events: u64,
    state: &'a Engagement,
}

/// What a snapshot says of itself, read before its records so that one of another version
/// is told apart from an unreadable one.
#[derive(Deserialize)]
struct Header {
    snapshot_format: u32,
    coachflow: String,
    events: u64,
}

#[derive(Deserialize)]
struct Records {
    state: Engagement,
}

impl Engagement {
    /// The engagement's records as a snapshot (JSON text): restore it with
    /// [`Engagement::restore`] and the texts of the events it folds.
    ///
    /// ```
    /// use coachflow::Engagement;
    /// let opened = r#"{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"s",
    ///     "type":"engagement_opened","coachee":"c","supervisor":"s"}"#;
    /// let mut engagement = Engagement::new("e");
    /// engagement.apply_json(opened).unwrap();
    /// let snapshot = engagement.snapshot();
    /// let texts = engagement.log().iter().map(|event| event.to_json()).collect::<Vec<_>>();
    /// let restored = Engagement::restore(&snapshot, texts.iter().map(String::as_str)).unwrap();
    /// assert_eq!(restored, engagement);
    /// ```
    pub fn snapshot(&self) -> String {
        // The records without the event texts (a snapshot is written once in many events, so
        // copying the texts with the rest costs little).
        let records = Engagement { log: EventLog::counting_only(0), ..self.clone() };
        let written = Written {
            snapshot_format: SNAPSHOT_FORMAT,
            coachflow: env!("CARGO_PKG_VERSION"),
            events: self.log.len() as u64,
            state: &records,
        };
        serde_json::to_string(&written).unwrap_or_default()
    }

    /// Rebuilds an engagement from a [`snapshot`](Engagement::snapshot) and the texts of the
    /// engagement's events, first to last, as they were applied. The snapshot keeps as many
    /// texts as it folds (they are not checked again: pass the engagement's own stored
    /// events) and ignores any after those: apply them next, from `log().len()` on. The
    /// engagement has the default [`Limits`](crate::Limits).
    pub fn restore<'a>(snapshot: &str, texts: impl IntoIterator<Item = &'a str>) -> Result<Engagement, RestoreError> {
        let unreadable = |error: serde_json::Error| RestoreError::Unreadable(error.to_string());
        let header: Header = serde_json::from_str(snapshot).map_err(unreadable)?;
        if header.snapshot_format != SNAPSHOT_FORMAT || header.coachflow != env!("CARGO_PKG_VERSION") {
            return Err(RestoreError::OtherVersion { written_by: header.coachflow });
        }
        let Records { state: mut engagement } = serde_json::from_str(snapshot).map_err(unreadable)?;
        for text in texts.into_iter().take(usize::try_from(header.events).unwrap_or(usize::MAX)) {
            engagement.log.push_text(text);
        }
        let given = engagement.log.len() as u64;
        if given != header.events {
            return Err(RestoreError::EventCount { folds: header.events, given });
        }
        engagement.restore_ratings();
        Ok(engagement)
    }

    /// Session feedback ratings are kept beside the records but not serialized with them;
    /// they are read again from the feedback steps' events.
    fn restore_ratings(&mut self) {
        let log = &self.log;
        let feedback_steps = self
            .sessions
            .iter_mut()
            .flat_map(|session| session.steps.iter_mut())
            .filter(|step| step.name == "session_feedback");
        for step in feedback_steps {
            let Some(index) = step.seq.checked_sub(1).and_then(|seq| usize::try_from(seq).ok()) else { continue };
            if let Some(EventBody::ScriptStep(recorded)) = log.get(index).map(|event| event.body) {
                if let StepContent::SessionFeedback(feedback) = recorded.content {
                    step.rating = Some(feedback.rating);
                }
            }
        }
    }
}
