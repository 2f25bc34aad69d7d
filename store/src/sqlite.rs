//! The SQLite backend: one file in WAL mode, writers serialized by `BEGIN IMMEDIATE`.

use crate::transaction::{
    as_i64, as_u64, check_version, first_positions, holds_store, summary, with_id, EngagementRow, NewEvent,
    StoredEvent, Transaction,
};
use crate::{FeedEntry, StoreCode, StoreError, STORE_SCHEMA_VERSION};
use coachflow::log::EngagementSummary;
use coachflow::Stage;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Mutex;
use std::time::Duration;

/// The tables, as the migration to each schema version in turn (`docs/store.md`).
const MIGRATIONS: [&str; 2] = [VERSION_1, VERSION_2];
const _: () = assert!(MIGRATIONS.len() as i64 == STORE_SCHEMA_VERSION);

const VERSION_1: &str = "
CREATE TABLE coachflow_schema (version INTEGER NOT NULL);
CREATE TABLE coachflow_position (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
INSERT INTO coachflow_position (id, last) VALUES (1, 0);
CREATE TABLE coachflow_events (
    position INTEGER PRIMARY KEY,
    engagement TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    UNIQUE (engagement, seq)
);
CREATE TABLE coachflow_engagements (
    engagement TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    events INTEGER NOT NULL,
    first_position INTEGER NOT NULL
);
CREATE TABLE coachflow_imports (source TEXT PRIMARY KEY, bytes INTEGER NOT NULL, lines INTEGER NOT NULL);
";

/// Version 2: what each engagement's participants owe, kept with its summary so that `due`
/// reads one row per engagement; snapshots.
const VERSION_2: &str = "
ALTER TABLE coachflow_engagements ADD COLUMN obligations TEXT;
CREATE TABLE coachflow_snapshots (engagement TEXT PRIMARY KEY, seq INTEGER NOT NULL, snapshot TEXT NOT NULL);
";

/// The WAL pages after which a writer copies the WAL back into the database file (64 MB).
const WAL_AUTOCHECKPOINT_PAGES: u32 = 16384;

pub(crate) struct Sqlite {
    connection: Mutex<Connection>,
    /// The database file (`None` in memory).
    path: Option<String>,
}

/// The store error for a SQLite failure.
fn failed(error: rusqlite::Error) -> StoreError {
    let code = match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreCode::StoreCorrupt,
        _ => StoreCode::StoreUnavailable,
    };
    StoreError::new(code, format!("SQLite: {error}"))
}

impl Sqlite {
    pub(crate) fn open(path: &str) -> Result<Sqlite, StoreError> {
        let mut connection = Connection::open(path).map_err(failed)?;
        connection.busy_timeout(Duration::from_secs(30)).map_err(failed)?;
        let file = (path != ":memory:").then(|| path.to_owned());
        if file.is_some() {
            // `journal_mode` answers with the mode; reading it is what runs it.
            connection.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).map_err(failed)?;
        }
        // A 64 MB page cache and checkpoints every 64 MB of WAL keep an import from
        // rewriting the same index pages again and again; reading the file through a memory
        // map makes loading an engagement's scattered events about a third faster.
        connection
            .execute_batch(
                "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;
                 PRAGMA mmap_size = 1073741824;",
            )
            .map_err(failed)?;
        connection.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES).map_err(failed)?;
        migrate(&mut connection)?;
        Ok(Sqlite { connection: Mutex::new(connection), path: file })
    }

    /// Runs `work` (an import) with the WAL copied back into the database file by another
    /// thread, on a connection of its own, instead of by the writer after its commits: a
    /// passive checkpoint never blocks the writer, so that copying overlaps the writing.
    pub(crate) fn checkpointing_alongside<T>(&self, work: impl FnOnce() -> T) -> T {
        let Some(path) = &self.path else { return work() };
        let set_autocheckpoint = |pages: u32| {
            let connection = self.connection.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // When this fails the writer checkpoints as always: slower, not wrong.
            let _ = connection.pragma_update(None, "wal_autocheckpoint", pages);
        };
        let Ok(checkpointer) = Connection::open(path) else { return work() };
        let (stop, stopped) = mpsc::channel::<()>();
        set_autocheckpoint(0);
        let result = std::thread::scope(|scope| {
            scope.spawn(move || {
                let checkpoint = || checkpointer.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(Duration::from_millis(100)) {
                    let _ = checkpoint();
                }
                // Once more at the end, so that readers find the pages in the file.
                let _ = checkpoint();
            });
            let result = work();
            drop(stop);
            result
        });
        set_autocheckpoint(WAL_AUTOCHECKPOINT_PAGES);
        result
    }

    pub(crate) fn transaction<T>(
        &self,
        write: bool,
        work: impl FnOnce(&mut dyn Transaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut connection = self.connection.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A writer takes the write lock first, so that what it checked is still true when it
        // stores; readers see a consistent snapshot without blocking writers (WAL).
        let behavior = if write { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred };
        let transaction = connection.transaction_with_behavior(behavior).map_err(failed)?;
        let mut inside = SqliteTransaction { transaction };
        let result = work(&mut inside)?;
        inside.transaction.commit().map_err(failed)?;
        Ok(result)
    }
}

/// Creates the tables in an empty database, or checks the version of an existing store and
/// migrates an older one; under the write lock, so that two first openings do not race.
fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
    let tables: Vec<String> = transaction
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
        .map_err(failed)?;
    let version: i64 = if holds_store(&tables)? {
        transaction.query_row("SELECT MAX(version) FROM coachflow_schema", [], |row| row.get(0)).map_err(failed)?
    } else {
        0
    };
    check_version(version)?;
    for (to, migration) in (1..).zip(MIGRATIONS).skip(usize::try_from(version).unwrap_or_default()) {
        transaction.execute_batch(migration).map_err(failed)?;
        transaction.execute("INSERT INTO coachflow_schema (version) VALUES (?1)", [to]).map_err(failed)?;
    }
    transaction.commit().map_err(failed)
}

struct SqliteTransaction<'a> {
    transaction: rusqlite::Transaction<'a>,
}

impl Transaction for SqliteTransaction<'_> {
    fn events_after(&mut self, key: &str, seq: u64) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .transaction
            .prepare_cached("SELECT event FROM coachflow_events WHERE engagement = ?1 AND seq > ?2 ORDER BY seq")
            .map_err(failed)?;
        let rows = statement.query_map(params![key, as_i64(seq)], |row| row.get(0)).map_err(failed)?;
        rows.collect::<Result<_, _>>().map_err(failed)
    }

    fn stored(&mut self, key: &str, seq: u64) -> Result<Option<StoredEvent>, StoreError> {
        self.transaction
            .prepare_cached("SELECT event, position FROM coachflow_events WHERE engagement = ?1 AND seq = ?2")
            .and_then(|mut statement| {
                statement
                    .query_row(params![key, as_i64(seq)], |row| {
                        Ok(StoredEvent { event: row.get(0)?, position: as_u64(row.get(1)?) })
                    })
                    .optional()
            })
            .map_err(failed)
    }

    fn snapshot(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        self.transaction
            .prepare_cached("SELECT snapshot FROM coachflow_snapshots WHERE engagement = ?1")
            .and_then(|mut statement| statement.query_row([key], |row| row.get(0)).optional())
            .map_err(failed)
    }

    fn insert(&mut self, events: &[NewEvent<'_>], engagements: &[EngagementRow]) -> Result<Option<u64>, StoreError> {
        let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
        let last: i64 = self
            .transaction
            .query_row("UPDATE coachflow_position SET last = last + ?1 WHERE id = 1 RETURNING last", [count], |row| {
                row.get(0)
            })
            .map_err(failed)?;
        let first = last - count + 1;
        let mut insert = self
            .transaction
            .prepare_cached(
                "INSERT INTO coachflow_events (position, engagement, seq, event) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (engagement, seq) DO NOTHING",
            )
            .map_err(failed)?;
        for (position, event) in (first..).zip(events) {
            let inserted =
                insert.execute(params![position, event.engagement, as_i64(event.seq), event.event]).map_err(failed)?;
            if inserted == 0 {
                return Ok(None);
            }
        }
        let mut summary = self
            .transaction
            .prepare_cached(
                "INSERT INTO coachflow_engagements (engagement, stage, events, first_position, obligations)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (engagement) DO UPDATE
                 SET stage = excluded.stage, events = excluded.events, obligations = excluded.obligations",
            )
            .map_err(failed)?;
        let mut snapshot = self
            .transaction
            .prepare_cached(
                "INSERT INTO coachflow_snapshots (engagement, seq, snapshot) VALUES (?1, ?2, ?3)
                 ON CONFLICT (engagement) DO UPDATE SET seq = excluded.seq, snapshot = excluded.snapshot",
            )
            .map_err(failed)?;
        let first_positions = first_positions(first, events);
        for row in engagements {
            let first_position = first_positions.get(row.key.as_str()).copied().unwrap_or(first);
            let (events, stage) = (as_i64(row.events), row.stage.as_str());
            summary.execute(params![row.key, stage, events, first_position, row.obligations]).map_err(failed)?;
            if let Some(text) = &row.snapshot {
                snapshot.execute(params![row.key, events, text]).map_err(failed)?;
            }
        }
        Ok(Some(as_u64(first)))
    }

    fn engagements(&mut self, stage: Option<Stage>) -> Result<Vec<EngagementSummary>, StoreError> {
        let mut statement = self
            .transaction
            .prepare_cached(
                "SELECT engagement, stage, events FROM coachflow_engagements
                 WHERE ?1 IS NULL OR stage = ?1 ORDER BY first_position",
            )
            .map_err(failed)?;
        let rows = statement
            .query_map([stage.map(Stage::as_str)], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?))
            })
            .map_err(failed)?;
        let mut summaries = Vec::new();
        for row in rows {
            let (id, stage, events) = row.map_err(failed)?;
            summaries.push(summary(id, &stage, events)?);
        }
        Ok(summaries)
    }

    fn set_obligations(&mut self, rows: &[(String, u64, String)]) -> Result<(), StoreError> {
        let mut update = self
            .transaction
            .prepare_cached("UPDATE coachflow_engagements SET obligations = ?1 WHERE engagement = ?2 AND events = ?3")
            .map_err(failed)?;
        for (key, events, obligations) in rows {
            update.execute(params![obligations, key, as_i64(*events)]).map_err(failed)?;
        }
        Ok(())
    }

    fn pending_obligations(&mut self) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let mut statement = self
            .transaction
            .prepare_cached("SELECT engagement, obligations FROM coachflow_engagements ORDER BY first_position")
            .map_err(failed)?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).map_err(failed)?;
        rows.collect::<Result<_, _>>().map_err(failed)
    }

    fn since(&mut self, after: u64, limit: u64) -> Result<Vec<FeedEntry>, StoreError> {
        let mut statement = self
            .transaction
            .prepare_cached(
                "SELECT position, engagement, seq, event FROM coachflow_events
                 WHERE position > ?1 ORDER BY position LIMIT ?2",
            )
            .map_err(failed)?;
        let rows = statement
            .query_map(params![as_i64(after), as_i64(limit)], |row| {
                Ok(FeedEntry {
                    position: as_u64(row.get(0)?),
                    engagement: row.get::<_, String>(1)?,
                    seq: as_u64(row.get(2)?),
                    event: row.get(3)?,
                })
            })
            .map_err(failed)?;
        let entries: Vec<FeedEntry> = rows.collect::<Result<_, _>>().map_err(failed)?;
        entries.into_iter().map(with_id).collect()
    }

    fn import_progress(&mut self, source: &str) -> Result<(u64, u64), StoreError> {
        self.transaction
            .query_row("SELECT bytes, lines FROM coachflow_imports WHERE source = ?1", [source], |row| {
                Ok((as_u64(row.get(0)?), as_u64(row.get(1)?)))
            })
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(failed)
    }

    fn set_import_progress(&mut self, source: &str, bytes: u64, lines: u64) -> Result<(), StoreError> {
        self.transaction
            .execute(
                "INSERT INTO coachflow_imports (source, bytes, lines) VALUES (?1, ?2, ?3)
                 ON CONFLICT (source) DO UPDATE SET bytes = excluded.bytes, lines = excluded.lines",
                params![source, as_i64(bytes), as_i64(lines)],
            )
            .map(|_| ())
            .map_err(failed)
    }
}
