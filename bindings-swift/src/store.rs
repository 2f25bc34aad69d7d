//! The event store on SQLite (coachflow-store without PostgreSQL): for offline-first apps
//! that keep their engagements on the device.

use crate::{findings, guarded, json, raise, CoachflowError, Engagement, Finding, Stage};
use coachflow::boundary::parse_date;
use coachflow_store::StoreError;
use std::sync::Arc;

impl From<StoreError> for CoachflowError {
    fn from(error: StoreError) -> CoachflowError {
        match error.rejection {
            Some(rejection) => raise(rejection),
            None => CoachflowError::Store { code: error.code.as_str().to_owned(), message: error.message },
        }
    }
}

/// What appending an event did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Appended {
    /// The event's position in its engagement.
    pub seq: u64,
    /// Its position in the store's global feed.
    pub position: u64,
    /// The rules' warnings.
    pub warnings: Vec<Finding>,
}

/// An engagement store in one SQLite file.
#[derive(uniffi::Object)]
pub struct Store {
    inner: coachflow_store::Store,
}

#[uniffi::export]
impl Store {
    /// Opens (creating when missing) the store in this SQLite file, writing a snapshot of an
    /// engagement each time `snapshot_every` more of its events are stored (0: never).
    #[uniffi::constructor]
    pub fn open(path: String, snapshot_every: u64) -> Result<Arc<Store>, CoachflowError> {
        guarded(|| {
            let url = if path.starts_with("sqlite:") { path } else { format!("sqlite:{path}") };
            Ok(Arc::new(Store { inner: coachflow_store::Store::open(&url)?.snapshot_every(snapshot_every) }))
        })
    }

    /// Checks an event (JSON) against its engagement as stored and stores it.
    pub fn append(&self, event: String) -> Result<Appended, CoachflowError> {
        guarded(|| {
            let appended = self.inner.append_json(&event)?;
            Ok(Appended { seq: appended.seq, position: appended.position, warnings: findings(appended.warnings) })
        })
    }

    /// The engagement as stored, or nothing.
    pub fn load(&self, engagement: String) -> Result<Option<Arc<Engagement>>, CoachflowError> {
        guarded(|| Ok(self.inner.load(&engagement)?.map(Engagement::wrap)))
    }

    /// Every engagement's id, stage and event count as JSON; only those in `stage` when given.
    pub fn engagements_json(&self, stage: Option<Stage>) -> Result<String, CoachflowError> {
        guarded(|| json(&self.inner.engagements(stage.map(coachflow::Stage::from))?))
    }

    /// Every open obligation of every engagement as of a date (`YYYY-MM-DD`), as JSON.
    pub fn due_json(&self, as_of: String) -> Result<String, CoachflowError> {
        guarded(|| json(&self.inner.due(parse_date(&as_of)?)?))
    }

    /// One analytics row per engagement, as JSON.
    pub fn metrics_json(&self) -> Result<String, CoachflowError> {
        guarded(|| json(&self.inner.metrics()?))
    }

    /// Up to `limit` events after global position `after`, as JSON.
    pub fn since_json(&self, after: u64, limit: u64) -> Result<String, CoachflowError> {
        guarded(|| json(&self.inner.since(after, limit)?))
    }

    /// Imports a JSON Lines file (resumable); returns how many events were stored.
    pub fn import_jsonl(&self, path: String) -> Result<u64, CoachflowError> {
        guarded(|| Ok(self.inner.import_jsonl(std::path::Path::new(&path), |_, _| {})?.events_stored))
    }

    /// Every stored event as JSON Lines (the canonical log).
    pub fn export_jsonl(&self) -> Result<String, CoachflowError> {
        guarded(|| {
            let mut out = Vec::new();
            self.inner.export_jsonl(&mut out)?;
            Ok(String::from_utf8_lossy(&out).into_owned())
        })
    }
}
