//! The SQLite backend: one file in WAL mode, writers serialized by `BEGIN IMMEDIATE`.

use crate::transaction::{
    as_i64, as_u64, check_version, holds_store, summaries, summary, with_id, NewEvent, StoredEvent, Transaction,
};
use crate::{FeedEntry, StoreCode, StoreError, STORE_SCHEMA_VERSION};
use coachflow::log::EngagementSummary;
use coachflow::Stage;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::sync::Mutex;
use std::time::Duration;

/// The tables of schema version 1 (`docs/store.md`).
const SCHEMA: &str = "
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

pub(crate) struct Sqlite {
    connection: Mutex<Connection>,
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
        let connection = Connection::open(path).map_err(failed)?;
        connection.busy_timeout(Duration::from_secs(30)).map_err(failed)?;
        if path != ":memory:" {
            // `journal_mode` answers with the mode; reading it is what runs it.
            connection.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).map_err(failed)?;
        }
        connection.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;").map_err(failed)?;
        migrate(&connection)?;
        Ok(Sqlite { connection: Mutex::new(connection) })
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

/// Creates the tables in an empty database, or checks the version of an existing store.
fn migrate(connection: &Connection) -> Result<(), StoreError> {
    let tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
        .map_err(failed)?;
    if !holds_store(&tables)? {
        connection
            .execute_batch(&format!(
                "BEGIN; {SCHEMA} INSERT INTO coachflow_schema (version) VALUES ({STORE_SCHEMA_VERSION}); COMMIT;"
            ))
            .map_err(failed)?;
        return Ok(());
    }
    let version: i64 =
        connection.query_row("SELECT MAX(version) FROM coachflow_schema", [], |row| row.get(0)).map_err(failed)?;
    check_version(version)
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

    fn insert(&mut self, events: &[NewEvent<'_>]) -> Result<Option<u64>, StoreError> {
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
        let mut summary = self
            .transaction
            .prepare_cached(
                "INSERT INTO coachflow_engagements (engagement, stage, events, first_position) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (engagement) DO UPDATE SET stage = excluded.stage, events = excluded.events",
            )
            .map_err(failed)?;
        for (position, event) in (first..).zip(events) {
            let inserted =
                insert.execute(params![position, event.engagement, as_i64(event.seq), event.event]).map_err(failed)?;
            if inserted == 0 {
                return Ok(None);
            }
        }
        for (key, first_position, events, stage) in summaries(first, events) {
            summary.execute(params![key, stage, events, first_position]).map_err(failed)?;
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
