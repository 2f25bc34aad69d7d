//! The PostgreSQL backend. Writers check in parallel; the row that hands out global
//! positions is locked only from an event's insert to its commit, so positions are dense
//! and in commit order, and the unique `(engagement, seq)` decides every race.

use crate::transaction::{
    as_i64, as_u64, check_version, first_positions, holds_store, summary, with_id, EngagementRow, NewEvent,
    StoredEvent, Transaction,
};
use crate::{FeedEntry, StoreCode, StoreError, STORE_SCHEMA_VERSION};
use coachflow::log::EngagementSummary;
use coachflow::Stage;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};
use std::collections::HashMap;
use std::sync::Mutex;

/// The tables, as the migration to each schema version in turn (`docs/store.md`).
const MIGRATIONS: [&str; 2] = [VERSION_1, VERSION_2];
const _: () = assert!(MIGRATIONS.len() as i64 == STORE_SCHEMA_VERSION);

const VERSION_1: &str = "
CREATE TABLE coachflow_schema (version BIGINT NOT NULL);
CREATE TABLE coachflow_position (id INTEGER PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL);
INSERT INTO coachflow_position (id, last) VALUES (1, 0);
CREATE TABLE coachflow_events (
    position BIGINT PRIMARY KEY,
    engagement TEXT NOT NULL,
    seq BIGINT NOT NULL,
    event TEXT NOT NULL,
    UNIQUE (engagement, seq)
);
CREATE TABLE coachflow_engagements (
    engagement TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    events BIGINT NOT NULL,
    first_position BIGINT NOT NULL
);
CREATE TABLE coachflow_imports (source TEXT PRIMARY KEY, bytes BIGINT NOT NULL, lines BIGINT NOT NULL);
";

/// Version 2: what each engagement's participants owe, kept with its summary so that `due`
/// reads one row per engagement; snapshots.
const VERSION_2: &str = "
ALTER TABLE coachflow_engagements ADD COLUMN obligations TEXT;
CREATE TABLE coachflow_snapshots (engagement TEXT PRIMARY KEY, seq BIGINT NOT NULL, snapshot TEXT NOT NULL);
";

/// Rows per `INSERT` statement (PostgreSQL takes at most 65,535 parameters, 4 per row).
const ROWS_PER_STATEMENT: usize = 1_000;

/// The advisory lock that keeps two first openings from creating the tables twice.
const MIGRATION_LOCK: i64 = 0x636f_6163_6866;

pub(crate) struct Postgres {
    url: String,
    /// The connection, `None` after it was lost (the next call connects again).
    connection: Mutex<Option<Connection>>,
}

/// A connection and the statements prepared on it: each is parsed by the server once, so a
/// query costs one round trip instead of two.
struct Connection {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

/// The store error for a PostgreSQL failure: anything but a rule is the server's or the
/// network's, so the caller may try again.
fn failed(error: postgres::Error) -> StoreError {
    let detail = match error.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => error.to_string(),
    };
    StoreError::new(StoreCode::StoreUnavailable, format!("PostgreSQL: {detail}"))
}

impl Postgres {
    pub(crate) fn open(url: &str) -> Result<Postgres, StoreError> {
        let mut client = connect(url)?;
        migrate(&mut client)?;
        let connection = Connection { client, statements: HashMap::new() };
        Ok(Postgres { url: url.to_owned(), connection: Mutex::new(Some(connection)) })
    }

    pub(crate) fn transaction<T>(
        &self,
        work: impl FnOnce(&mut dyn Transaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut slot = self.connection.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.as_ref().is_none_or(|connection| connection.client.is_closed()) {
            *slot = None;
            *slot = Some(Connection { client: connect(&self.url)?, statements: HashMap::new() });
        }
        let Some(Connection { client, statements }) = slot.as_mut() else {
            return Err(StoreError::new(StoreCode::StoreUnavailable, "PostgreSQL: not connected"));
        };
        let result = (|| {
            let transaction = client.transaction().map_err(failed)?;
            let mut inside = PostgresTransaction { transaction, statements };
            let result = work(&mut inside)?;
            inside.transaction.commit().map_err(failed)?;
            Ok(result)
        })();
        if slot.as_ref().is_some_and(|connection| connection.client.is_closed()) {
            *slot = None;
        }
        result
    }
}

/// Column `index` of `row`; a column of another type than this library writes means the
/// tables were changed behind its back.
fn column<'a, T: postgres::types::FromSql<'a>>(row: &'a postgres::Row, index: usize) -> Result<T, StoreError> {
    row.try_get(index).map_err(|error| {
        StoreError::new(StoreCode::StoreCorrupt, format!("PostgreSQL: a stored column has an unexpected type: {error}"))
    })
}

fn connect(url: &str) -> Result<Client, StoreError> {
    Client::connect(url, NoTls)
        .map_err(|error| StoreError::new(StoreCode::StoreUnavailable, format!("PostgreSQL: cannot connect: {error}")))
}

/// Creates the tables in an empty schema, or checks the version of an existing store and
/// migrates an older one.
fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut transaction = client.transaction().map_err(failed)?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(failed)?;
    let tables: Vec<String> = transaction
        .query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()", &[])
        .map_err(failed)?
        .iter()
        .map(|row| column(row, 0))
        .collect::<Result<_, _>>()?;
    let version: i64 = if holds_store(&tables)? {
        column(&transaction.query_one("SELECT MAX(version) FROM coachflow_schema", &[]).map_err(failed)?, 0)?
    } else {
        0
    };
    check_version(version)?;
    for (to, migration) in (1i64..).zip(MIGRATIONS).skip(usize::try_from(version).unwrap_or_default()) {
        transaction.batch_execute(migration).map_err(failed)?;
        transaction.execute("INSERT INTO coachflow_schema (version) VALUES ($1)", &[&to]).map_err(failed)?;
    }
    transaction.commit().map_err(failed)
}

struct PostgresTransaction<'a> {
    transaction: postgres::Transaction<'a>,
    statements: &'a mut HashMap<&'static str, Statement>,
}

type Parameters<'a> = [&'a (dyn ToSql + Sync)];

impl PostgresTransaction<'_> {
    /// The statement for `sql`, prepared on this connection the first time.
    fn prepared(&mut self, sql: &'static str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.transaction.prepare(sql).map_err(failed)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    fn query(&mut self, sql: &'static str, parameters: &Parameters<'_>) -> Result<Vec<Row>, StoreError> {
        let statement = self.prepared(sql)?;
        self.transaction.query(&statement, parameters).map_err(failed)
    }

    fn query_opt(&mut self, sql: &'static str, parameters: &Parameters<'_>) -> Result<Option<Row>, StoreError> {
        let statement = self.prepared(sql)?;
        self.transaction.query_opt(&statement, parameters).map_err(failed)
    }

    fn execute(&mut self, sql: &'static str, parameters: &Parameters<'_>) -> Result<u64, StoreError> {
        let statement = self.prepared(sql)?;
        self.transaction.execute(&statement, parameters).map_err(failed)
    }
}

impl Transaction for PostgresTransaction<'_> {
    fn events_after(&mut self, key: &str, seq: u64) -> Result<Vec<String>, StoreError> {
        let rows = self.query(
            "SELECT event FROM coachflow_events WHERE engagement = $1 AND seq > $2 ORDER BY seq",
            &[&key, &as_i64(seq)],
        )?;
        rows.iter().map(|row| column(row, 0)).collect()
    }

    fn stored(&mut self, key: &str, seq: u64) -> Result<Option<StoredEvent>, StoreError> {
        let row = self.query_opt(
            "SELECT event, position FROM coachflow_events WHERE engagement = $1 AND seq = $2",
            &[&key, &as_i64(seq)],
        )?;
        row.map(|row| Ok(StoredEvent { event: column(&row, 0)?, position: as_u64(column(&row, 1)?) })).transpose()
    }

    fn snapshot(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        let row = self.query_opt("SELECT snapshot FROM coachflow_snapshots WHERE engagement = $1", &[&key])?;
        row.map(|row| column(&row, 0)).transpose()
    }

    fn insert(&mut self, events: &[NewEvent<'_>], engagements: &[EngagementRow]) -> Result<Option<u64>, StoreError> {
        let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
        let counter =
            self.query_opt("UPDATE coachflow_position SET last = last + $1 WHERE id = 1 RETURNING last", &[&count])?;
        let Some(counter) = counter else {
            return Err(StoreError::new(StoreCode::StoreCorrupt, "PostgreSQL: the position counter row is missing"));
        };
        let last: i64 = column(&counter, 0)?;
        let first = last - count + 1;
        let rows: Vec<(i64, &NewEvent<'_>)> = (first..).zip(events).collect();
        // Many rows per statement: a round trip per event would dominate an import.
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let mut values = Vec::with_capacity(chunk.len());
            let mut parameters: Vec<&(dyn postgres::types::ToSql + Sync)> = Vec::with_capacity(chunk.len() * 4);
            let seqs: Vec<i64> = chunk.iter().map(|(_, event)| as_i64(event.seq)).collect();
            for (index, ((position, event), seq)) in chunk.iter().zip(&seqs).enumerate() {
                let at = index * 4;
                values.push(format!("(${}, ${}, ${}, ${})", at + 1, at + 2, at + 3, at + 4));
                parameters.extend([
                    position as &(dyn postgres::types::ToSql + Sync),
                    &event.engagement,
                    seq,
                    &event.event,
                ]);
            }
            let statement = format!(
                "INSERT INTO coachflow_events (position, engagement, seq, event) VALUES {}
                 ON CONFLICT (engagement, seq) DO NOTHING",
                values.join(", ")
            );
            let inserted = self.transaction.execute(&statement, &parameters).map_err(failed)?;
            if inserted != chunk.len() as u64 {
                return Ok(None);
            }
        }
        let first_positions = first_positions(first, events);
        for row in engagements {
            let first_position = first_positions.get(row.key.as_str()).copied().unwrap_or(first);
            let (events, stage) = (as_i64(row.events), row.stage.as_str());
            self.execute(
                "INSERT INTO coachflow_engagements (engagement, stage, events, first_position, obligations)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (engagement) DO UPDATE
                 SET stage = excluded.stage, events = excluded.events, obligations = excluded.obligations",
                &[&row.key, &stage, &events, &first_position, &row.obligations],
            )?;
            if let Some(text) = &row.snapshot {
                self.execute(
                    "INSERT INTO coachflow_snapshots (engagement, seq, snapshot) VALUES ($1, $2, $3)
                     ON CONFLICT (engagement) DO UPDATE SET seq = excluded.seq, snapshot = excluded.snapshot",
                    &[&row.key, &events, text],
                )?;
            }
        }
        Ok(Some(as_u64(first)))
    }

    fn engagements(&mut self, stage: Option<Stage>) -> Result<Vec<EngagementSummary>, StoreError> {
        let stage = stage.map(Stage::as_str);
        let rows = self.query(
            "SELECT engagement, stage, events FROM coachflow_engagements
                 WHERE $1::text IS NULL OR stage = $1 ORDER BY first_position",
            &[&stage],
        )?;
        rows.iter().map(|row| summary(column(row, 0)?, column::<&str>(row, 1)?, column(row, 2)?)).collect()
    }

    fn set_obligations(&mut self, rows: &[(String, u64, String)]) -> Result<(), StoreError> {
        for (key, events, obligations) in rows {
            self.execute(
                "UPDATE coachflow_engagements SET obligations = $1 WHERE engagement = $2 AND events = $3",
                &[obligations, key, &as_i64(*events)],
            )?;
        }
        Ok(())
    }

    fn pending_obligations(&mut self) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let rows =
            self.query("SELECT engagement, obligations FROM coachflow_engagements ORDER BY first_position", &[])?;
        rows.iter().map(|row| Ok((column(row, 0)?, column(row, 1)?))).collect()
    }

    fn since(&mut self, after: u64, limit: u64) -> Result<Vec<FeedEntry>, StoreError> {
        let rows = self.query(
            "SELECT position, engagement, seq, event FROM coachflow_events
                 WHERE position > $1 ORDER BY position LIMIT $2",
            &[&as_i64(after), &as_i64(limit)],
        )?;
        rows.iter()
            .map(|row| {
                with_id(FeedEntry {
                    position: as_u64(column(row, 0)?),
                    engagement: column(row, 1)?,
                    seq: as_u64(column(row, 2)?),
                    event: column(row, 3)?,
                })
            })
            .collect()
    }

    fn import_progress(&mut self, source: &str) -> Result<(u64, u64), StoreError> {
        let row = self.query_opt("SELECT bytes, lines FROM coachflow_imports WHERE source = $1", &[&source])?;
        Ok(row.map(|row| Ok((as_u64(column(&row, 0)?), as_u64(column(&row, 1)?)))).transpose()?.unwrap_or_default())
    }

    fn set_import_progress(&mut self, source: &str, bytes: u64, lines: u64) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO coachflow_imports (source, bytes, lines) VALUES ($1, $2, $3)
             ON CONFLICT (source) DO UPDATE SET bytes = excluded.bytes, lines = excluded.lines",
            &[&source, &as_i64(bytes), &as_i64(lines)],
        )
        .map(|_| ())
    }
}
