//! coachflow-store: keeps coachflow engagements in a database, so that many people can act
//! on one engagement at once and none of them can win a race they should have lost.
//!
//! Every event goes through [`Store::append`]: in one transaction the store loads the
//! engagement, checks the event with every rule of the core, and stores it with its `seq`
//! and a global `position`. The database holds one event per `(engagement, seq)`, so of two
//! writers that both saw seq 7 as the next, one stores it and the other gets
//! [`StoreCode::ConcurrentUpdate`]: it reloads and may try again. Sending again an event
//! identical to the one stored at its `seq` returns the stored result, so a client whose
//! request timed out can always retry.
//!
//! ```
//! use coachflow_store::Store;
//! let store = Store::open("sqlite::memory:").unwrap();
//! let opened = store.append_json(r#"{"engagement":"e-1","at":"2026-01-05T09:00:00Z","actor":"hr",
//!     "type":"engagement_opened","coachee":"cleo","supervisor":"sam","program_admins":["hr"]}"#).unwrap();
//! assert_eq!((opened.seq, opened.position), (1, 1));
//! let engagement = store.load("e-1").unwrap().unwrap();
//! assert_eq!(engagement.stage(), coachflow::Stage::PreWork);
//! ```
//!
//! Two backends, one behaviour: SQLite (`sqlite:PATH`, or a plain path; the embedded
//! default, in WAL mode) and PostgreSQL (`postgres://...`). The tables are described in
//! `docs/store.md`.
#![forbid(unsafe_code)]

mod error;
mod import;
#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;
mod transaction;

pub use error::{StoreCode, StoreError};
pub use import::ImportReport;

use coachflow::log::EngagementSummary;
use coachflow::{Engagement, Event, Finding, Metrics, Obligation, Stage};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use transaction::Transaction;

/// The version of the tables this library writes. Opening a database of an older version
/// migrates it; a newer one is refused with [`StoreCode::StoreTooNew`].
pub const STORE_SCHEMA_VERSION: i64 = 2;

/// How many events apart a store writes an engagement's snapshots unless told otherwise
/// ([`Store::snapshot_every`]).
pub const SNAPSHOT_EVERY: u64 = 100;

/// The result of appending an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Appended {
    /// The event's position in its engagement (1-based).
    pub seq: u64,
    /// The event's position in the store's global feed (1-based, dense, in commit order).
    pub position: u64,
    /// The warnings the rules gave (they never block).
    pub warnings: Vec<Finding>,
}

/// An open obligation and the engagement it belongs to ([`Store::due`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Due {
    /// The engagement id.
    pub engagement: String,
    /// What is owed, by whom.
    #[serde(flatten)]
    pub obligation: Obligation,
}

/// One event of the global feed ([`Store::since`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FeedEntry {
    /// Its global position.
    pub position: u64,
    /// Its engagement.
    pub engagement: String,
    /// Its position in the engagement.
    pub seq: u64,
    /// The event as one canonical JSON line.
    pub event: String,
}

/// An engagement store. Cheap to share between threads: each call takes the connection for
/// its own transaction. For writers in parallel, open one store per thread or process; the
/// database keeps them apart.
pub struct Store {
    backend: Backend,
    /// Engagements as this store last saw them: the next call on one reads only the events
    /// stored after it (by any writer) instead of replaying them all.
    known: Mutex<HashMap<String, Engagement>>,
    snapshot_every: u64,
}

/// How many engagements a store keeps in memory at most.
const KNOWN_ENGAGEMENTS: usize = 1_000;

enum Backend {
    Sqlite(sqlite::Sqlite),
    #[cfg(feature = "postgres")]
    Postgres(Box<postgres::Postgres>),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.backend {
            Backend::Sqlite(_) => "sqlite",
            #[cfg(feature = "postgres")]
            Backend::Postgres(_) => "postgres",
        };
        f.debug_struct("Store").field("backend", &kind).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (and creates or migrates) a store: `sqlite:PATH`, `sqlite::memory:`, a plain
    /// file path (SQLite), or `postgres://user@host:port/database`.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            #[cfg(feature = "postgres")]
            {
                Backend::Postgres(Box::new(postgres::Postgres::open(url)?))
            }
            #[cfg(not(feature = "postgres"))]
            {
                return Err(StoreError::new(
                    StoreCode::InvalidStoreUrl,
                    "this build of coachflow-store has no PostgreSQL backend (feature `postgres`)",
                ));
            }
        } else if url.contains("://") {
            return Err(StoreError::new(
                StoreCode::InvalidStoreUrl,
                "a store URL is sqlite:PATH, a file path, or postgres://...; this one names another scheme",
            ));
        } else {
            let path = url.strip_prefix("sqlite:").unwrap_or(url);
            if path.is_empty() {
                return Err(StoreError::new(StoreCode::InvalidStoreUrl, "the SQLite path is empty"));
            }
            Backend::Sqlite(sqlite::Sqlite::open(path)?)
        };
        Ok(Store { backend, known: Mutex::new(HashMap::new()), snapshot_every: SNAPSHOT_EVERY })
    }

    /// The same store, writing a snapshot of an engagement each time `events` more of its
    /// events are stored (0: never). A load then restores the latest snapshot and applies
    /// only the events after it; a snapshot that another coachflow version wrote is ignored
    /// and the events are replayed.
    ///
    /// ```
    /// let store = coachflow_store::Store::open("sqlite::memory:").unwrap().snapshot_every(20);
    /// # drop(store);
    /// ```
    pub fn snapshot_every(mut self, events: u64) -> Store {
        self.snapshot_every = events;
        self
    }

    /// Runs `work` in one transaction of the backend, committed when it returns `Ok`; one
    /// that will `write` takes SQLite's write lock from its start.
    fn transaction<T>(
        &self,
        write: bool,
        work: impl FnOnce(&mut dyn Transaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.transaction(write, work),
            #[cfg(feature = "postgres")]
            Backend::Postgres(postgres) => postgres.transaction(work),
        }
    }

    /// Checks `event` against its engagement as stored and stores it, all in one
    /// transaction. A rejected event is never stored ([`StoreCode::Rejected`], with the rule
    /// violations); an event whose `seq` another writer took first is
    /// [`StoreCode::ConcurrentUpdate`], unless it is identical to the stored one, whose
    /// result is returned again.
    pub fn append(&self, event: &Event) -> Result<Appended, StoreError> {
        let known = self.recall(&event.engagement);
        let (appended, engagement) =
            self.transaction(true, |transaction| transaction::append(transaction, event, known, self.snapshot_every))?;
        self.remember(engagement);
        Ok(appended)
    }

    /// Takes the engagement this store last saw out of its memory (an engagement is only
    /// put back once a call on it succeeded, so a failed one leaves nothing half-applied).
    fn recall(&self, engagement: &str) -> Option<Engagement> {
        self.known.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(engagement)
    }

    fn remember(&self, engagement: Engagement) {
        let mut known = self.known.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.len() >= KNOWN_ENGAGEMENTS {
            known.clear();
        }
        known.insert(engagement.id().to_owned(), engagement);
    }

    /// [`Store::append`] of an event given as JSON text; text that is not an event is
    /// rejected with `invalid_event` like any other rule violation.
    pub fn append_json(&self, text: &str) -> Result<Appended, StoreError> {
        let event = Event::from_json(text).map_err(StoreError::rejected)?;
        self.append(&event)
    }

    /// The engagement as stored, or `None` when it has no events.
    pub fn load(&self, engagement: &str) -> Result<Option<Engagement>, StoreError> {
        let loaded = self.current(engagement)?;
        if let Some(loaded) = &loaded {
            self.remember(loaded.clone());
        }
        Ok(loaded)
    }

    /// The engagement as stored, taken out of this store's memory and brought up to date;
    /// the caller puts it back.
    fn current(&self, engagement: &str) -> Result<Option<Engagement>, StoreError> {
        let known = self.recall(engagement);
        self.transaction(false, |transaction| transaction::load(transaction, engagement, known))
    }

    /// Every engagement's id, stage and event count, in order of first event; only those in
    /// `stage` when given.
    pub fn engagements(&self, stage: Option<Stage>) -> Result<Vec<EngagementSummary>, StoreError> {
        self.transaction(false, |transaction| transaction.engagements(stage))
    }

    /// Every open obligation of every engagement as of `as_of`: what a reminder job or an
    /// HR dashboard works from. Every participant's obligations are listed, so this is an
    /// operator's call, not one to answer a participant with (use
    /// `Engagement::obligations` with a viewer for that).
    pub fn due(&self, as_of: chrono::NaiveDate) -> Result<Vec<Due>, StoreError> {
        // Each engagement's row keeps what is owed on any date; only the dates are compared
        // here. A row written before the store kept them is worked out from the events.
        let rows = self.transaction(false, |transaction| transaction.pending_obligations())?;
        let mut owed = Vec::new();
        for (key, pending) in rows {
            let engagement = transaction::id_of(&key)?;
            let pending: Vec<Obligation> = match pending {
                Some(json) => serde_json::from_str(&json).map_err(|_| {
                    StoreError::new(
                        StoreCode::StoreCorrupt,
                        format!("the obligations stored for engagement {engagement} are not readable"),
                    )
                })?,
                None => self.load(&engagement)?.map(|loaded| loaded.all_pending_obligations()).unwrap_or_default(),
            };
            owed.extend(
                pending
                    .into_iter()
                    .filter(|obligation| obligation.owed_on(as_of))
                    .map(|obligation| Due { engagement: engagement.clone(), obligation }),
            );
        }
        Ok(owed)
    }

    /// One analytics row per engagement, in order of first event.
    pub fn metrics(&self) -> Result<Vec<Metrics>, StoreError> {
        let mut rows = Vec::new();
        self.for_each_engagement(|engagement| rows.push(engagement.metrics()))?;
        Ok(rows)
    }

    /// Up to `limit` events after global position `after` (0 for the beginning), in order:
    /// the feed that notification jobs and projections follow. Positions are dense and in
    /// commit order, so a reader that remembers the last position it saw misses nothing.
    pub fn since(&self, after: u64, limit: u64) -> Result<Vec<FeedEntry>, StoreError> {
        self.transaction(false, |transaction| transaction.since(after, limit))
    }

    /// Writes every stored event as JSON Lines, in global order: byte for byte the
    /// canonical log (`Engagement::to_jsonl` of each engagement, interleaved as appended).
    pub fn export_jsonl(&self, out: &mut dyn Write) -> Result<u64, StoreError> {
        let mut after = 0;
        let mut written = 0;
        loop {
            let page = self.since(after, 10_000)?;
            let Some(last) = page.last() else { return Ok(written) };
            after = last.position;
            for entry in &page {
                out.write_all(entry.event.as_bytes()).map_err(StoreError::io)?;
                out.write_all(b"\n").map_err(StoreError::io)?;
                written += 1;
            }
        }
    }

    /// Replays every engagement, one at a time, in order of first event.
    fn for_each_engagement(&self, mut visit: impl FnMut(&Engagement)) -> Result<(), StoreError> {
        for summary in self.engagements(None)? {
            if let Some(engagement) = self.current(&summary.id)? {
                visit(&engagement);
                self.remember(engagement);
            }
        }
        Ok(())
    }
}
