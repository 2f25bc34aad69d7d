//! What a backend does inside one transaction ([`Transaction`]), and the store's logic
//! written once on top of it: append (check, then store, with optimistic concurrency and
//! idempotent retry) and load.

use crate::{Appended, FeedEntry, StoreCode, StoreError, STORE_SCHEMA_VERSION};
use coachflow::log::EngagementSummary;
use coachflow::{Engagement, Event, Stage};

/// The key an engagement id is stored under: the id as a JSON string, so that every id
/// round-trips exactly in every backend (PostgreSQL's `TEXT` cannot hold a NUL character).
pub(crate) fn key_of(id: &str) -> String {
    serde_json::to_string(id).unwrap_or_default()
}

/// The engagement id stored under `key`.
pub(crate) fn id_of(key: &str) -> Result<String, StoreError> {
    serde_json::from_str(key)
        .map_err(|_| StoreError::new(StoreCode::StoreCorrupt, "a stored engagement key is not a JSON string"))
}

/// An event about to be stored, with what the engagement's summary row becomes.
pub(crate) struct NewEvent<'a> {
    /// The engagement's key ([`key_of`]).
    pub(crate) engagement: &'a str,
    pub(crate) seq: u64,
    /// The canonical JSON line.
    pub(crate) event: &'a str,
    /// The engagement's stage after the event.
    pub(crate) stage: Stage,
}

/// An event as stored.
pub(crate) struct StoredEvent {
    pub(crate) event: String,
    pub(crate) position: u64,
}

/// One transaction of a backend. Every method runs inside it; the backend commits when the
/// store's work returns `Ok` and rolls back otherwise.
pub(crate) trait Transaction {
    /// The stored events after `seq` of the engagement with this key ([`key_of`]), as JSON
    /// lines, in `seq` order.
    fn events_after(&mut self, key: &str, seq: u64) -> Result<Vec<String>, StoreError>;
    /// The event stored at `(key, seq)`.
    fn stored(&mut self, key: &str, seq: u64) -> Result<Option<StoredEvent>, StoreError>;
    /// Stores the events, in order, at the next global positions, and updates their
    /// engagements' summaries; returns the first event's position, or `None` when some
    /// `(engagement, seq)` is already taken (the caller then rolls everything back).
    fn insert(&mut self, events: &[NewEvent<'_>]) -> Result<Option<u64>, StoreError>;
    /// Every engagement's summary, in order of first event.
    fn engagements(&mut self, stage: Option<Stage>) -> Result<Vec<EngagementSummary>, StoreError>;
    /// Up to `limit` events after global position `after`.
    fn since(&mut self, after: u64, limit: u64) -> Result<Vec<FeedEntry>, StoreError>;
    /// How far an import of `source` got: bytes and lines done.
    fn import_progress(&mut self, source: &str) -> Result<(u64, u64), StoreError>;
    /// Records how far an import of `source` got.
    fn set_import_progress(&mut self, source: &str, bytes: u64, lines: u64) -> Result<(), StoreError>;
}

/// Applies stored lines to `current`; a line that no longer applies means the store was
/// changed behind coachflow's back.
fn catch_up<'a>(mut current: Engagement, lines: impl IntoIterator<Item = &'a str>) -> Result<Engagement, StoreError> {
    for line in lines {
        current.apply_json(line).map_err(|rejection| {
            StoreError::new(
                StoreCode::StoreCorrupt,
                format!(
                    "stored event {} of engagement {} no longer applies: {rejection}",
                    current.log().len() + 1,
                    current.id()
                ),
            )
        })?;
    }
    Ok(current)
}

/// The engagement as stored: `known` (the engagement as this process last saw it, when it
/// did) brought up to date with the events stored after it, or a replay of all of them.
pub(crate) fn load(
    transaction: &mut dyn Transaction,
    engagement: &str,
    known: Option<Engagement>,
) -> Result<Option<Engagement>, StoreError> {
    let known = known.unwrap_or_else(|| Engagement::new(engagement));
    let lines = transaction.events_after(&key_of(engagement), known.log().len() as u64)?;
    let current = catch_up(known, lines.iter().map(String::as_str))?;
    Ok(current.is_opened().then_some(current))
}

/// Appends `event`; returns the engagement with it, for the caller to remember.
pub(crate) fn append(
    transaction: &mut dyn Transaction,
    event: &Event,
    known: Option<Engagement>,
) -> Result<(Appended, Engagement), StoreError> {
    let key = key_of(&event.engagement);
    let mut engagement = match load(transaction, &event.engagement, known)? {
        Some(engagement) => engagement,
        None => Engagement::new(event.engagement.clone()),
    };
    // An event for a seq that is taken is a retry or a lost race, not a rule violation. It is
    // judged after loading: on PostgreSQL each statement sees what was committed before it
    // began, so an earlier look could miss a writer that committed in between.
    if let Some(seq) = event.seq.filter(|seq| *seq <= engagement.log().len() as u64) {
        if let Some(stored) = transaction.stored(&key, seq)? {
            return retried(&engagement, event, seq, stored).map(|appended| (appended, engagement));
        }
    }
    let applied = engagement.apply(event.clone()).map_err(StoreError::rejected)?;
    // An event applied as a value is kept as its canonical line, `seq` included.
    let line = engagement.log().text(engagement.log().len() - 1).unwrap_or_default().to_owned();
    let row = NewEvent { engagement: &key, seq: applied.seq, event: &line, stage: engagement.stage() };
    match transaction.insert(std::slice::from_ref(&row))? {
        Some(position) => Ok((Appended { seq: applied.seq, position, warnings: applied.warnings }, engagement)),
        None => Err(lost_race(&event.engagement, applied.seq)),
    }
}

/// An event sent again for a `seq` that is already stored: the stored result when it is the
/// same event (its warnings found again by checking it against the events before it, from
/// the engagement just loaded), `concurrent_update` when another writer's event took the place.
fn retried(engagement: &Engagement, event: &Event, seq: u64, stored: StoredEvent) -> Result<Appended, StoreError> {
    if stored.event != event.to_json() {
        return Err(lost_race(&event.engagement, seq));
    }
    let before = (1..seq).filter_map(|earlier| engagement.log().text(usize::try_from(earlier - 1).ok()?));
    let warnings = catch_up(Engagement::new(event.engagement.clone()), before)?.check(event).unwrap_or_default();
    Ok(Appended { seq, position: stored.position, warnings })
}

fn lost_race(engagement: &str, seq: u64) -> StoreError {
    StoreError::new(
        StoreCode::ConcurrentUpdate,
        format!("another writer stored event {seq} of engagement {engagement} first; reload it and try again"),
    )
}

/// A stored integer as an unsigned one (stored values are never negative).
pub(crate) fn as_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or_default()
}

/// An unsigned integer as the databases store it.
pub(crate) fn as_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Whether a database whose tables are `tables` holds a store already (`false`: it is empty,
/// create one); one with other tables and no store is refused and left alone.
pub(crate) fn holds_store(tables: &[String]) -> Result<bool, StoreError> {
    if tables.is_empty() {
        return Ok(false);
    }
    if tables.iter().any(|table| table == "coachflow_schema") {
        return Ok(true);
    }
    Err(StoreError::new(
        StoreCode::StoreForeign,
        "the database holds other tables and no coachflow store; it was left unchanged",
    ))
}

/// Refuses a store written by a newer coachflow-store.
pub(crate) fn check_version(version: i64) -> Result<(), StoreError> {
    if version > STORE_SCHEMA_VERSION {
        return Err(StoreError::new(
            StoreCode::StoreTooNew,
            format!(
                "the store has schema version {version}; this coachflow-store reads versions up to {STORE_SCHEMA_VERSION}"
            ),
        ));
    }
    // Version 1 is the first; later versions add their migrations here.
    Ok(())
}

/// One summary row per engagement of events stored from position `first` on: the key, its
/// first position among them, its last seq and its stage after the last one.
pub(crate) fn summaries<'a>(first: i64, events: &'a [NewEvent<'a>]) -> Vec<(&'a str, i64, i64, &'static str)> {
    let mut rows: Vec<(&str, i64, i64, &str)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (position, event) in (first..).zip(events) {
        match index.get(event.engagement).and_then(|at| rows.get_mut(*at)) {
            Some(row) => (row.2, row.3) = (as_i64(event.seq), event.stage.as_str()),
            None => {
                index.insert(event.engagement, rows.len());
                rows.push((event.engagement, position, as_i64(event.seq), event.stage.as_str()));
            }
        }
    }
    rows
}

/// A feed entry read with its engagement's key, given its id.
pub(crate) fn with_id(mut entry: FeedEntry) -> Result<FeedEntry, StoreError> {
    entry.engagement = id_of(&entry.engagement)?;
    Ok(entry)
}

/// An engagement summary from its stored columns.
pub(crate) fn summary(key: String, stage: &str, events: i64) -> Result<EngagementSummary, StoreError> {
    let id = id_of(&key)?;
    let stage: Stage = stage
        .parse()
        .map_err(|_| StoreError::new(StoreCode::StoreCorrupt, format!("engagement {id} has an unknown stage")))?;
    Ok(EngagementSummary::new(id, stage, usize::try_from(events).unwrap_or_default()))
}
