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

/// An event about to be stored.
pub(crate) struct NewEvent<'a> {
    /// The engagement's key ([`key_of`]).
    pub(crate) engagement: &'a str,
    pub(crate) seq: u64,
    /// The canonical JSON line.
    pub(crate) event: &'a str,
}

/// What an engagement's row becomes after events are stored: its summary, what its
/// participants owe, and a new snapshot when one is due.
pub(crate) struct EngagementRow {
    /// The engagement's key ([`key_of`]).
    pub(crate) key: String,
    pub(crate) stage: Stage,
    /// Its events, all of them (the last `seq`).
    pub(crate) events: u64,
    /// [`Engagement::all_pending_obligations`] as JSON; `None` leaves them to be worked out
    /// from the events when asked (an import writes them once, at its end).
    pub(crate) obligations: Option<String>,
    /// A snapshot to keep instead of the one stored.
    pub(crate) snapshot: Option<String>,
}

impl EngagementRow {
    /// The row of `engagement`, stored under `key` ([`key_of`]), which had `before` events
    /// stored before these; a snapshot is taken each time the count passes a multiple of
    /// `snapshot_every` (never when 0).
    pub(crate) fn of(engagement: &Engagement, key: &str, before: u64, snapshot_every: u64) -> EngagementRow {
        let events = engagement.log().len() as u64;
        let snapshot_due = snapshot_every > 0 && events / snapshot_every > before / snapshot_every;
        EngagementRow {
            key: key.to_owned(),
            stage: engagement.stage(),
            events,
            obligations: None,
            snapshot: snapshot_due.then(|| engagement.snapshot()),
        }
    }

    /// The same row with what the engagement's participants owe.
    pub(crate) fn with_obligations(self, engagement: &Engagement) -> EngagementRow {
        EngagementRow { obligations: Some(obligations_of(engagement)), ..self }
    }
}

/// [`Engagement::all_pending_obligations`] as the store keeps them.
pub(crate) fn obligations_of(engagement: &Engagement) -> String {
    serde_json::to_string(&engagement.all_pending_obligations()).unwrap_or_default()
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
    /// The engagement's latest snapshot, when it has one.
    fn snapshot(&mut self, key: &str) -> Result<Option<String>, StoreError>;
    /// Stores the events, in order, at the next global positions, and writes their
    /// engagements' rows; returns the first event's position, or `None` when some
    /// `(engagement, seq)` is already taken (the caller then rolls everything back).
    fn insert(&mut self, events: &[NewEvent<'_>], engagements: &[EngagementRow]) -> Result<Option<u64>, StoreError>;
    /// Every engagement's summary, in order of first event.
    fn engagements(&mut self, stage: Option<Stage>) -> Result<Vec<EngagementSummary>, StoreError>;
    /// Sets the obligations (key, events, JSON) of engagements that still have exactly that
    /// many events.
    fn set_obligations(&mut self, rows: &[(String, u64, String)]) -> Result<(), StoreError>;
    /// Every engagement's key and pending obligations as JSON, in order of first event (no
    /// JSON for an engagement last written before the store kept them).
    fn pending_obligations(&mut self) -> Result<Vec<(String, Option<String>)>, StoreError>;
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
/// did) brought up to date with the events stored after it; otherwise its snapshot with the
/// events after it, or a replay of all of them when it has no snapshot this version of
/// coachflow can use.
pub(crate) fn load(
    transaction: &mut dyn Transaction,
    engagement: &str,
    known: Option<Engagement>,
) -> Result<Option<Engagement>, StoreError> {
    let key = key_of(engagement);
    let current = match known {
        Some(known) => {
            let lines = transaction.events_after(&key, known.log().len() as u64)?;
            catch_up(known, lines.iter().map(String::as_str))?
        }
        None => {
            let snapshot = transaction.snapshot(&key)?;
            let lines = transaction.events_after(&key, 0)?;
            // A snapshot another version of coachflow wrote cannot be used: replay instead.
            let texts = lines.iter().map(String::as_str);
            let start = snapshot
                .and_then(|snapshot| Engagement::restore(&snapshot, texts.clone()).ok())
                .unwrap_or_else(|| Engagement::new(engagement));
            let folded = start.log().len();
            catch_up(start, texts.skip(folded))?
        }
    };
    Ok(current.is_opened().then_some(current))
}

/// Appends `event`; returns the engagement with it, for the caller to remember.
pub(crate) fn append(
    transaction: &mut dyn Transaction,
    event: &Event,
    known: Option<Engagement>,
    snapshot_every: u64,
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
    let row = NewEvent { engagement: &key, seq: applied.seq, event: &line };
    let summary = EngagementRow::of(&engagement, &key, applied.seq - 1, snapshot_every).with_obligations(&engagement);
    match transaction.insert(std::slice::from_ref(&row), std::slice::from_ref(&summary))? {
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

/// Refuses a store written by a newer coachflow-store; a store of an older version is
/// migrated by its backend.
pub(crate) fn check_version(version: i64) -> Result<(), StoreError> {
    if version > STORE_SCHEMA_VERSION {
        return Err(StoreError::new(
            StoreCode::StoreTooNew,
            format!(
                "the store has schema version {version}; this coachflow-store reads versions up to {STORE_SCHEMA_VERSION}"
            ),
        ));
    }
    Ok(())
}

/// A hash map with a fast hasher: its keys are engagement ids and keys, which the store's
/// caller chose to trust with its database.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The position of each engagement's first event among events stored from position `first`
/// on (the engagement's first position when its row is new).
pub(crate) fn first_positions<'a>(first: i64, events: &'a [NewEvent<'a>]) -> HashMap<&'a str, i64> {
    let mut positions = HashMap::default();
    for (position, event) in (first..).zip(events) {
        positions.entry(event.engagement).or_insert(position);
    }
    positions
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
